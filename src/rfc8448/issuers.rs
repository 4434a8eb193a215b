//! The RFC 8448 server's tickets and cookie, and the §6 client certificate, plugged into
//! the server engine through its public extension points.
//!
//! NSS's tickets and cookies are in NSS's own sealed formats, which lucid-tls cannot (and
//! need not) reproduce. A server hands out whatever bytes its [`TicketIssuer`] and
//! [`CookieIssuer`] return, so these issuers return the RFC's bytes: [`RfcTickets`] works
//! like a server-side session cache (ticket bytes in, state remembered), [`RfcCookie`]
//! hands out the RFC's cookie (the server keeps its HelloRetryRequest state itself).
//! Their locks are spin locks, so that this module builds without `std`.

use alloc::collections::VecDeque;
use alloc::vec::Vec;
use spin::Mutex;

use crate::crypto::Rng;
use crate::error::Error;
use crate::server::{CookieIssuer, TicketIssuer};
use crate::time::Time;
use crate::verify::{Answer, ClientCertVerifier};
use crate::wire::alert::AlertDescription;

/// Issues queued ticket bytes, remembering the resumption state sealed under each.
#[derive(Debug, Default)]
pub struct RfcTickets {
    to_issue: Mutex<VecDeque<Vec<u8>>>,
    issued: Mutex<Vec<(Vec<u8>, Vec<u8>)>>,
}

impl RfcTickets {
    /// An issuer that will hand out `tickets`, in order.
    pub fn new(tickets: Vec<Vec<u8>>) -> Self {
        Self {
            to_issue: Mutex::new(tickets.into()),
            issued: Mutex::default(),
        }
    }

    /// An independent copy: the same tickets left to issue and the same ones remembered.
    pub fn fork(&self) -> Self {
        Self {
            to_issue: Mutex::new(self.to_issue.lock().clone()),
            issued: Mutex::new(self.issued.lock().clone()),
        }
    }

    /// How many tickets were issued.
    pub fn issued(&self) -> usize {
        self.issued.lock().len()
    }
}

impl TicketIssuer for RfcTickets {
    fn issue(&self, state: &[u8], _: &mut dyn Rng) -> Result<Vec<u8>, Error> {
        let no_ticket = Error::Misuse("the RFC 8448 ticket issuer has no ticket left");
        let ticket = self.to_issue.lock().pop_front().ok_or(no_ticket)?;
        self.issued.lock().push((ticket.clone(), state.to_vec()));
        Ok(ticket)
    }

    fn open(&self, ticket: &[u8]) -> Option<Vec<u8>> {
        let issued = self.issued.lock();
        issued
            .iter()
            .find(|(t, _)| t == ticket)
            .map(|(_, state)| state.clone())
    }
}

/// Hands out RFC 8448 §5's cookie. It cannot be opened (it is NSS's format), so the server
/// must keep its HelloRetryRequest state: the second ClientHello reaches the same
/// connection, which checks that the cookie is echoed byte for byte.
#[derive(Debug)]
pub struct RfcCookie(pub Vec<u8>);

impl CookieIssuer for RfcCookie {
    fn issue(&self, _: &[u8], _: &mut dyn Rng) -> Result<Vec<u8>, Error> {
        Ok(self.0.clone())
    }

    fn open(&self, _: &[u8]) -> Option<Vec<u8>> {
        None
    }
}

/// Accepts exactly one client certificate (DER), as RFC 8448 §6's server does.
#[derive(Debug)]
pub struct PinnedClientCertificate(pub Vec<u8>);

impl ClientCertVerifier for PinnedClientCertificate {
    fn verify(&self, end_entity: &[u8], _: &[&[u8]], _: Time) -> Answer {
        Answer::Now(if end_entity == self.0.as_slice() {
            Ok(())
        } else {
            // RFC 9846 §6.2: bad_certificate: "A certificate was corrupt, contained
            // signatures that did not verify correctly, etc."
            Err(Error::PeerMisbehaved {
                alert: AlertDescription::BadCertificate,
                reason: "not the pinned client certificate",
            })
        })
    }
}
