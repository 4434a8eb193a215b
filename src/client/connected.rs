//! CONNECTED (RFC 9846 Appendix A.1): the handshake is done. What can still arrive is
//! application data and the post-handshake messages (RFC 9846 §4.7): NewSessionTicket,
//! which becomes a [`Ticket`] event, and KeyUpdate, which the shared core handles.
//!
//! Post-handshake client authentication (RFC 9846 §4.7.2) is not offered (the ClientHello
//! never carries post_handshake_auth), so a CertificateRequest here is unexpected.

use alloc::vec::Vec;

use crate::connection::{ConnectionCore, Event, HandshakeInput, Negotiated};
use crate::error::Error;
use crate::key_schedule::ResumptionSecret;
use crate::wire::codes::ExtensionType;
use crate::wire::extensions::{Extension, find};
use crate::wire::handshake::HandshakeMessage;
use crate::wire::new_session_ticket::{MAX_TICKET_LIFETIME, NewSessionTicket};

use super::ClientState;
use super::wait_sh::{illegal, unexpected};
use crate::connection::Ticket;

/// CONNECTED: application data flows both ways.
pub struct Connected {
    negotiated: Negotiated,
    /// The secret tickets' PSKs come from; `None` when no PSK mode was offered.
    resumption: Option<ResumptionSecret>,
}

impl Connected {
    /// Enters CONNECTED with the secret that tickets' PSKs come from (`None` when the
    /// client offered no PSK mode and keeps no ticket).
    pub fn new(negotiated: Negotiated, resumption: Option<ResumptionSecret>) -> Self {
        Self {
            negotiated,
            resumption,
        }
    }

    /// Handles a post-handshake message.
    #[inline(never)] // its own stack frame: see `ClientState::handle_handshake`
    pub fn handle(
        self,
        core: &mut ConnectionCore,
        input: HandshakeInput,
    ) -> Result<ClientState, Error> {
        match &input.message {
            HandshakeMessage::NewSessionTicket(ticket) => self.new_session_ticket(core, ticket)?,
            HandshakeMessage::KeyUpdate(key_update) => core.receive_key_update(key_update)?,
            _ => return Err(unexpected("unexpected message after the handshake")),
        }
        Ok(ClientState::Connected(self))
    }

    /// Turns a NewSessionTicket (RFC 9846 §4.7.1) into a [`Ticket`] event.
    fn new_session_ticket(
        &self,
        core: &mut ConnectionCore,
        nst: &NewSessionTicket,
    ) -> Result<(), Error> {
        // RFC 9846 §4.7.1: "Servers MUST NOT use any value greater than 604800 seconds (7
        // days)."
        if nst.ticket_lifetime > MAX_TICKET_LIFETIME {
            return Err(illegal("ticket_lifetime over 7 days"));
        }
        // RFC 9846 §4.7.1: "The value of zero indicates that the ticket should be
        // discarded immediately."
        if nst.ticket_lifetime == 0 {
            return Ok(());
        }
        // Without PSK modes offered, no ticket can be used (RFC 9846 §4.3.9): none is kept.
        let Some(resumption) = &self.resumption else {
            return Ok(());
        };
        // RFC 9846 §4.7.1: the ticket's PSK is "HKDF-Expand-Label(resumption_secret,
        // "resumption", ticket_nonce, Hash.length)".
        let provider = core.provider();
        let mut derived = Vec::new();
        let psk = resumption.ticket_psk(&*provider, &nst.ticket_nonce, &mut |label, secret| {
            derived.push((label, secret.clone()));
        })?;
        for (label, secret) in derived {
            core.emit_secret(label, &secret);
        }
        let max_early_data_size = match find(&nst.extensions, ExtensionType::EarlyData) {
            Some(Extension::EarlyDataMaxSize(max)) => Some(*max),
            _ => None,
        };
        core.push_event(Event::NewSessionTicket(Ticket {
            server_name: self.negotiated.server_name.clone(),
            cipher_suite: self.negotiated.cipher_suite,
            psk,
            ticket: nst.ticket.clone(),
            ticket_age_add: nst.ticket_age_add,
            lifetime_secs: nst.ticket_lifetime,
            received_at: core.now(),
            max_early_data_size,
            alpn: self.negotiated.alpn.clone(),
            server_certificates: self.negotiated.peer_certificates.clone(),
        }));
        Ok(())
    }

    /// Application data from the server.
    pub fn application_data(
        self,
        core: &mut ConnectionCore,
        data: Vec<u8>,
    ) -> Result<ClientState, Error> {
        core.deliver_application_data(data);
        Ok(ClientState::Connected(self))
    }
}
