//! A session ticket as the client keeps it: what a NewSessionTicket (RFC 9846 §4.7.1)
//! gave it, plus the PSK it derived, so that a later connection can resume (RFC 9846 §2.2).
//!
//! ```text
//!   PSK = HKDF-Expand-Label(resumption_secret, "resumption", ticket_nonce, Hash.length)
//!   obfuscated_ticket_age = (age in milliseconds + ticket_age_add) mod 2^32   (§4.3.11.1)
//! ```
//!
//! [`Ticket::to_bytes`] and [`Ticket::from_bytes`] turn a ticket into bytes and back, for
//! an application that keeps tickets across restarts. Not here: where to store them and
//! how many (the application decides; RFC 9846 Appendix C.4: "Clients SHOULD NOT reuse a
//! ticket for multiple connections").

use alloc::string::String;
use alloc::vec::Vec;

use zeroize::Zeroizing;

use crate::codec::{DecodeError, Reader, Writer};
use crate::connection::CertificateChain;
use crate::crypto::{MAX_HASH_LEN, Secret};
use crate::error::Error;
use crate::time::Time;
use crate::wire::algorithms::CipherSuite;

/// A ticket to resume a session with.
#[derive(Clone, Debug)]
pub struct Ticket {
    /// The server name of the connection that received it. RFC 9846 §4.7.1: a client "SHOULD only resume if the SNI value matches the one used in the original
    /// session".
    pub server_name: Option<String>,
    /// The suite of the original connection: the PSK's hash is this suite's hash
    /// (RFC 9846 §4.3.11), and 0-RTT data must use this suite (RFC 9846 §4.3.10).
    pub cipher_suite: CipherSuite,
    /// The resumption PSK.
    pub psk: Secret,
    /// The opaque ticket: the PskIdentity.identity to offer.
    pub ticket: Vec<u8>,
    /// `ticket_age_add`, to obfuscate the age.
    pub ticket_age_add: u32,
    /// `ticket_lifetime` in seconds (at most 7 days).
    pub lifetime_secs: u32,
    /// When the NewSessionTicket arrived.
    pub received_at: Time,
    /// `max_early_data_size` if the server allows 0-RTT with this ticket (RFC 9846 §4.3.10).
    pub max_early_data_size: Option<u32>,
    /// The ALPN protocol of the original connection: 0-RTT must use the same one
    /// (RFC 9846 §4.3.10).
    pub alpn: Option<Vec<u8>>,
    /// The server's certificate chain (end-entity first, DER) as validated on the original
    /// connection. A resumed handshake carries no Certificate (RFC 9846 §2.2: the server
    /// "does not need to send its certificate"), so the connection that resumes with this
    /// ticket reports this chain in `Negotiated::peer_certificates`; it is not validated
    /// again, and may be past its notAfter by then. Shared with the connection and its
    /// other tickets, not copied.
    pub server_certificates: CertificateChain,
}

impl Ticket {
    /// True once `ticket_lifetime` seconds have passed since the ticket arrived.
    /// RFC 9846 §4.7.1: ticket_lifetime is how long the ticket may be used, and "Clients
    /// MUST NOT use tickets for longer than 7 days after issuance".
    pub fn is_expired(&self, now: Time) -> bool {
        now.millis_since(self.received_at) >= u64::from(self.lifetime_secs).saturating_mul(1000)
    }

    /// `obfuscated_ticket_age` for a ClientHello sent at `now`.
    ///
    /// RFC 9846 §4.3.11.1: "The "obfuscated_ticket_age" field of each PskIdentity contains
    /// an obfuscated version of the ticket age formed by taking the age in milliseconds and
    /// adding the "ticket_age_add" value that was included with the ticket, modulo 2^32."
    pub fn obfuscated_age(&self, now: Time) -> u32 {
        // Modulo 2^32 by definition, so the truncation is the rule, not an accident.
        let age = now.millis_since(self.received_at) as u32;
        age.wrapping_add(self.ticket_age_add)
    }
}

/// The first bytes of a serialized ticket: a name and a format version.
/// Version 2 added the server's certificates; version 1 tickets are refused.
const TICKET_FORMAT: &[u8; 5] = b"LTTK\x02";

impl Ticket {
    /// The ticket as bytes, to store. They hold the resumption PSK: keep them as secret as
    /// a key (they are zeroized when dropped).
    ///
    /// ```text
    ///   "LTTK" 02 | server_name<0..2^16-1> (with a presence byte) | cipher_suite u16
    ///   | psk<1..48> | ticket<1..2^16-1> | ticket_age_add u32 | lifetime u32
    ///   | received_at u64 (ms) | max_early_data_size (presence byte, u32) | alpn (presence byte, <1..255>)
    ///   | server_certificates<0..2^24-1> of certificate<1..2^24-1>
    /// ```
    pub fn to_bytes(&self) -> Result<Zeroizing<Vec<u8>>, Error> {
        let mut w = Writer::new();
        w.bytes(TICKET_FORMAT);
        w.u8(u8::from(self.server_name.is_some()));
        w.vec_u16(self.server_name.as_deref().unwrap_or("").as_bytes());
        w.u16(self.cipher_suite.to_u16());
        w.vec_u8(self.psk.as_bytes());
        w.vec_u16(&self.ticket);
        w.u32(self.ticket_age_add);
        w.u32(self.lifetime_secs);
        w.bytes(&self.received_at.as_unix_millis().to_be_bytes());
        w.u8(u8::from(self.max_early_data_size.is_some()));
        w.u32(self.max_early_data_size.unwrap_or(0));
        w.u8(u8::from(self.alpn.is_some()));
        w.vec_u8(self.alpn.as_deref().unwrap_or(&[]));
        w.len_u24(|w| {
            for certificate in self.server_certificates.iter() {
                w.vec_u24(certificate);
            }
        });
        Ok(Zeroizing::new(w.finish()?))
    }

    /// A ticket from [`Ticket::to_bytes`]'s bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        if r.take(TICKET_FORMAT.len())? != TICKET_FORMAT {
            return Err(DecodeError::decode(
                "not a lucid-tls ticket (or another format version)",
            ));
        }
        let has_name = r.u8()? == 1;
        let name = r.vec_u16(0, 0xffff)?;
        let server_name = match has_name {
            true => Some(
                String::from_utf8(name.to_vec())
                    .map_err(|_| DecodeError::decode("ticket server name is not UTF-8"))?,
            ),
            false => None,
        };
        let cipher_suite = CipherSuite::from_u16(r.u16()?);
        let psk = Secret::new(r.vec_u8(1, MAX_HASH_LEN)?);
        let ticket = r.vec_u16(1, 0xffff)?.to_vec();
        let ticket_age_add = r.u32()?;
        let lifetime_secs = r.u32()?;
        let received_at = Time::from_unix_millis(u64::from_be_bytes(r.array::<8>()?));
        let has_max = r.u8()? == 1;
        let max = r.u32()?;
        let has_alpn = r.u8()? == 1;
        let alpn = r.vec_u8(0, 0xff)?.to_vec();
        let mut list = r.sub_u24(0, 0xff_ffff)?;
        let mut server_certificates = Vec::new();
        while !list.is_empty() {
            server_certificates.push(list.vec_u24(1, 0xff_ffff)?.to_vec());
        }
        r.finish()?;
        Ok(Self {
            server_name,
            cipher_suite,
            psk,
            ticket,
            ticket_age_add,
            lifetime_secs,
            received_at,
            max_early_data_size: has_max.then_some(max),
            alpn: has_alpn.then_some(alpn),
            server_certificates: server_certificates.into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ticket(received_at: Time) -> Ticket {
        Ticket {
            server_name: None,
            cipher_suite: CipherSuite::TLS_AES_128_GCM_SHA256,
            psk: Secret::new(&[1; 32]),
            ticket: alloc::vec![2; 8],
            ticket_age_add: 0xffff_fff0,
            lifetime_secs: 10,
            received_at,
            max_early_data_size: None,
            alpn: None,
            server_certificates: CertificateChain::default(),
        }
    }

    #[test]
    fn test_obfuscated_age_wraps_modulo_2_32() {
        let t = ticket(Time::from_unix_secs(100));
        assert_eq!(t.obfuscated_age(Time::from_unix_secs(100)), 0xffff_fff0);
        assert_eq!(t.obfuscated_age(Time::from_unix_millis(100_020)), 4);
    }

    #[test]
    fn test_ticket_expires_after_its_lifetime() {
        let t = ticket(Time::from_unix_secs(100));
        assert!(!t.is_expired(Time::from_unix_millis(109_999)));
        assert!(t.is_expired(Time::from_unix_secs(110)));
    }

    #[test]
    fn test_emit_and_parse_ticket_bytes() {
        let ticket = Ticket {
            server_name: Some(String::from("server")),
            cipher_suite: CipherSuite::TLS_AES_256_GCM_SHA384,
            psk: Secret::new(&[5; 48]),
            ticket: alloc::vec![6; 178],
            ticket_age_add: 0xfad6_aac5,
            lifetime_secs: 30,
            received_at: Time::from_unix_millis(1_748_736_000_123),
            max_early_data_size: Some(0x400),
            alpn: Some(b"h2".to_vec()),
            server_certificates: CertificateChain::new(alloc::vec![
                alloc::vec![0x30, 0x03, 1, 2, 3],
                alloc::vec![0x30; 300]
            ]),
        };
        let bytes = ticket.to_bytes().unwrap();
        let back = Ticket::from_bytes(&bytes).unwrap();
        assert_eq!(back.to_bytes().unwrap(), bytes);
        assert_eq!(back.psk.as_bytes(), ticket.psk.as_bytes());
        assert_eq!(back.server_name.as_deref(), Some("server"));
        assert_eq!(back.alpn.as_deref(), Some(&b"h2"[..]));
        assert_eq!(back.received_at, ticket.received_at);
        assert_eq!(back.server_certificates, ticket.server_certificates);
        // Every truncation, and a trailing byte, are refused.
        for len in 0..bytes.len() {
            assert!(Ticket::from_bytes(&bytes[..len]).is_err(), "{len}");
        }
        let mut longer = bytes.to_vec();
        longer.push(0);
        assert!(Ticket::from_bytes(&longer).is_err());
    }
}
