//! A session ticket as the client keeps it: what a NewSessionTicket (RFC 9846 §4.7.1)
//! gave it, plus the PSK it derived, so that a later connection can resume (RFC 9846 §2.2).
//!
//! ```text
//!   PSK = HKDF-Expand-Label(resumption_secret, "resumption", ticket_nonce, Hash.length)
//!   obfuscated_ticket_age = (age in milliseconds + ticket_age_add) mod 2^32   (§4.3.11.1)
//! ```
//!
//! Not here: storing tickets (the application decides where, and how many; RFC 9846 Appendix C.4
//! recommends using each ticket only once) and serializing them.

use alloc::string::String;
use alloc::vec::Vec;

use crate::crypto::Secret;
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
}
