//! NewSessionTicket (RFC 9846 §4.7.1): a post-handshake message from the server giving the
//! client a ticket it can later offer as a PSK identity to resume.
//!
//! ```text
//! struct {
//!     uint32 ticket_lifetime;
//!     uint32 ticket_age_add;
//!     opaque ticket_nonce<0..255>;
//!     opaque ticket<1..2^16-1>;
//!     Extension extensions<0..2^16-1>;
//! } NewSessionTicket;
//! ```
//!
//! A `ticket_lifetime` above seven days is *not* a decode failure: RFC 9846 §4.7.1 forbids
//! servers to send one ("Servers MUST NOT use any value greater than 604800 seconds") but
//! names no alert for the client, only that "Clients MUST NOT use tickets for longer than 7
//! days after issuance, regardless of the ticket_lifetime". [`NewSessionTicket::usable_lifetime`]
//! applies that cap. Deriving the PSK from `ticket_nonce` is the key schedule's job.

use alloc::vec::Vec;

use crate::codec::{DecodeError, Reader, Writer};
use crate::wire::codes::ExtensionType;
use crate::wire::extensions::{Extension, ExtensionContext, decode_extensions, encode_extensions};

/// RFC 9846 §4.7.1: the longest a ticket may live, in seconds (7 days).
pub const MAX_TICKET_LIFETIME: u32 = 604_800;

/// RFC 9846 §4.7.1: the NewSessionTicket message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSessionTicket {
    /// `ticket_lifetime`: seconds from issuance; 0 means discard at once.
    pub ticket_lifetime: u32,
    /// `ticket_age_add`: added (mod 2^32) to the ticket age the client reports.
    pub ticket_age_add: u32,
    /// `ticket_nonce`: makes each ticket's PSK distinct.
    pub ticket_nonce: Vec<u8>,
    /// `ticket`: the opaque PSK identity to send back.
    pub ticket: Vec<u8>,
    /// `extensions`: at present only early_data (max_early_data_size).
    pub extensions: Vec<Extension>,
}

impl NewSessionTicket {
    /// Decodes a NewSessionTicket body.
    pub fn decode(body: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(body);
        let ticket_lifetime = r.u32()?;
        let ticket_age_add = r.u32()?;
        let ticket_nonce = r.vec_u8(0, 0xff)?.to_vec();
        let ticket = r.vec_u16(1, 0xffff)?.to_vec();
        let extensions = decode_extensions(&mut r, ExtensionContext::NewSessionTicket)?;
        r.finish()?;
        Ok(Self {
            ticket_lifetime,
            ticket_age_add,
            ticket_nonce,
            ticket,
            extensions,
        })
    }

    /// Appends the NewSessionTicket body.
    pub fn encode(&self, w: &mut Writer) {
        w.u32(self.ticket_lifetime);
        w.u32(self.ticket_age_add);
        w.vec_u8(&self.ticket_nonce);
        w.vec_u16(&self.ticket);
        encode_extensions(w, &self.extensions);
    }

    /// How long, in seconds, the client may keep using the ticket: RFC 9846 §4.7.1 "Clients
    /// MUST NOT use tickets for longer than 7 days after issuance, regardless of the
    /// ticket_lifetime".
    pub fn usable_lifetime(&self) -> u32 {
        self.ticket_lifetime.min(MAX_TICKET_LIFETIME)
    }

    /// The extension of type `typ`, if the server sent one.
    pub fn extension(&self, typ: ExtensionType) -> Option<&Extension> {
        self.extensions.iter().find(|e| e.extension_type() == typ)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::alert::AlertDescription;

    /// RFC 8448 §3, "construct a NewSessionTicket handshake message", without its header.
    const SIMPLE_NST: &str = "\
        0000001efad6aac502000000b22c035d829359ee5ff7af4ec900000000262a6494dc486d2c8a34cb33fa90bf\
        1b0070ad3c498883c9367c09a2be785abc55cd226097a3a982117283f82a03a143efd3ff5dd36d64e861be7fd61d2827\
        db279cce145077d454a3664d4e6da4d29ee03725a6a4dafcd0fc67d2aea70529513e3da2677fa5906c5b3f7d8f92f228\
        bda40dda721470f9fbf297b5aea617646fac5c03272e970727c621a79141ef5f7de6505e5bfbc388e93343694093934a\
        e4d3570008002a000400000400";

    #[test]
    fn test_parse_rfc8448_new_session_ticket() {
        let nst = NewSessionTicket::decode(&hex::decode(SIMPLE_NST).unwrap()).unwrap();
        assert_eq!(nst.ticket_lifetime, 30);
        assert_eq!(nst.ticket_age_add, 0xfad6_aac5);
        assert_eq!(nst.ticket_nonce, [0x00, 0x00]);
        assert_eq!(nst.ticket.len(), 0xb2);
        assert_eq!(nst.ticket[..4], [0x2c, 0x03, 0x5d, 0x82]);
        // early_data carrying max_early_data_size = 0x400.
        assert_eq!(
            nst.extension(ExtensionType::EarlyData)
                .map(|e| e.extension_type()),
            Some(ExtensionType::EarlyData)
        );
        assert_eq!(nst.usable_lifetime(), 30);
    }

    #[test]
    fn test_emit_rfc8448_new_session_ticket() {
        let body = hex::decode(SIMPLE_NST).unwrap();
        let mut w = Writer::new();
        NewSessionTicket::decode(&body).unwrap().encode(&mut w);
        assert_eq!(w.finish().unwrap(), body);
    }

    #[test]
    fn test_parse_long_lifetime_is_capped_not_rejected() {
        let mut body = hex::decode(SIMPLE_NST).unwrap();
        body[..4].copy_from_slice(&(MAX_TICKET_LIFETIME + 1).to_be_bytes());
        let nst = NewSessionTicket::decode(&body).unwrap();
        assert_eq!(nst.ticket_lifetime, MAX_TICKET_LIFETIME + 1);
        assert_eq!(nst.usable_lifetime(), MAX_TICKET_LIFETIME);
    }

    #[test]
    fn test_parse_rejects_empty_ticket_and_trailing_bytes() {
        // lifetime, age_add, empty nonce, empty ticket, no extensions.
        let empty_ticket = [0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0];
        let mut trailing = hex::decode(SIMPLE_NST).unwrap();
        trailing.push(0);
        for bad in [&empty_ticket[..], &trailing[..], &trailing[..9]] {
            let err = NewSessionTicket::decode(bad).unwrap_err();
            assert_eq!(err.alert, AlertDescription::DecodeError);
        }
    }
}
