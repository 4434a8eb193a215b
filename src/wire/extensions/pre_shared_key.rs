//! pre_shared_key (RFC 9846 §4.3.11): the PSKs a client offers, and which one the server
//! picked.
//!
//! ```text
//! struct {
//!     select (Handshake.msg_type) {
//!         case client_hello: OfferedPsks;
//!         case server_hello: uint16 selected_identity;
//!     };
//! } PreSharedKeyExtension;
//! ```
//!
//! The binders close the ClientHello, and each is a MAC over the ClientHello *without* them
//! ("Truncate(ClientHello1)", RFC 9846 §4.3.11.2). Because this extension must come last,
//! the truncated ClientHello is the encoded ClientHello minus its last
//! [`OfferedPsks::binders_len`] bytes, with every length field already counting the binders.
//!
//! Checked here: the syntax, and that there is one binder per identity. Not checked: that
//! the extension is last (see [`super::decode_extensions`]), that `selected_identity` is in
//! range, and the binder values themselves, which the engine compares in constant time.

use alloc::vec::Vec;

use super::decode_items;
use crate::codec::{DecodeError, Reader, Writer};

/// `PskIdentity`: a label for a key, and the key's obfuscated age.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PskIdentity {
    /// `opaque identity<1..2^16-1>`: a ticket, or the label of an external PSK.
    pub identity: Vec<u8>,
    /// The ticket age in milliseconds plus `ticket_age_add`, modulo 2^32 (RFC 9846
    /// §4.3.11.1); 0 for external PSKs.
    pub obfuscated_ticket_age: u32,
}

impl PskIdentity {
    /// Reads one identity.
    pub fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let identity = r.vec_u16(1, 0xffff)?.to_vec();
        let obfuscated_ticket_age = r.u32()?;
        Ok(Self {
            identity,
            obfuscated_ticket_age,
        })
    }

    /// Writes one identity.
    pub fn encode(&self, w: &mut Writer) {
        w.vec_u16(&self.identity);
        w.u32(self.obfuscated_ticket_age);
    }
}

/// `opaque PskBinderEntry<32..255>`: an HMAC binding one PSK to this handshake.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PskBinderEntry(pub Vec<u8>);

impl PskBinderEntry {
    /// Reads one binder.
    pub fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self(r.vec_u8(32, 255)?.to_vec()))
    }

    /// Writes one binder.
    pub fn encode(&self, w: &mut Writer) {
        w.vec_u8(&self.0);
    }
}

/// `OfferedPsks`: the ClientHello form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfferedPsks {
    /// `PskIdentity identities<7..2^16-1>`; with early_data, the first is used for 0-RTT.
    pub identities: Vec<PskIdentity>,
    /// `PskBinderEntry binders<33..2^16-1>`: one per identity, in the same order.
    pub binders: Vec<PskBinderEntry>,
}

impl OfferedPsks {
    /// The encoded length of the binders list, its two-byte length included: how many bytes
    /// Truncate() removes from the end of the ClientHello (RFC 9846 §4.3.11.2).
    pub fn binders_len(&self) -> usize {
        let entries: usize = self.binders.iter().map(|b| 1 + b.0.len()).sum();
        2 + entries
    }

    /// Reads the identities and the binders.
    pub fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let identities = decode_items(r.sub_u16(7, 0xffff)?, PskIdentity::decode)?;
        let binders = decode_items(r.sub_u16(33, 0xffff)?, PskBinderEntry::decode)?;
        // RFC 9846 §4.3.11: binders are "A series of HMAC values, one for each value in the
        // identities list and in the same order". No alert is named; both lists are well
        // formed but inconsistent, which RFC 9846 §6.2 calls an "illegal_parameter".
        if identities.len() != binders.len() {
            return Err(DecodeError::illegal(
                "pre_shared_key: binder count != identity count",
            ));
        }
        Ok(Self {
            identities,
            binders,
        })
    }

    /// Writes the identities and the binders.
    pub fn encode(&self, w: &mut Writer) {
        w.len_u16(|w| {
            for identity in &self.identities {
                identity.encode(w);
            }
        });
        self.encode_binders(w);
    }

    /// Writes the binders list alone: what follows Truncate(ClientHello) on the wire.
    pub fn encode_binders(&self, w: &mut Writer) {
        w.len_u16(|w| {
            for binder in &self.binders {
                binder.encode(w);
            }
        });
    }
}

/// Reads the ServerHello form, `uint16 selected_identity`: a 0-based index into the
/// client's identities.
pub fn decode_selected_identity(r: &mut Reader<'_>) -> Result<u16, DecodeError> {
    r.u16()
}

/// Writes the ServerHello form.
pub fn encode_selected_identity(w: &mut Writer, selected_identity: u16) {
    w.u16(selected_identity);
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{emit, parse, rfc_hex, round_trip};
    use super::super::{Extension, ExtensionContext};
    use super::*;
    use crate::wire::alert::AlertDescription;
    use crate::wire::codes::ExtensionType;
    use alloc::format;
    use alloc::vec;

    /// RFC 8448 §3, NewSessionTicket: the ticket, which §4's ClientHello offers as identity.
    const TICKET: &str = "2c 03 5d 82 93 59 ee 5f f7 af 4e c9 00 00 00 00
                          26 2a 64 94 dc 48 6d 2c 8a 34 cb 33 fa 90 bf 1b
                          00 70 ad 3c 49 88 83 c9 36 7c 09 a2 be 78 5a bc
                          55 cd 22 60 97 a3 a9 82 11 72 83 f8 2a 03 a1 43
                          ef d3 ff 5d d3 6d 64 e8 61 be 7f d6 1d 28 27 db
                          27 9c ce 14 50 77 d4 54 a3 66 4d 4e 6d a4 d2 9e
                          e0 37 25 a6 a4 da fc d0 fc 67 d2 ae a7 05 29 51
                          3e 3d a2 67 7f a5 90 6c 5b 3f 7d 8f 92 f2 28 bd
                          a4 0d da 72 14 70 f9 fb f2 97 b5 ae a6 17 64 6f
                          ac 5c 03 27 2e 97 07 27 c6 21 a7 91 41 ef 5f 7d
                          e6 50 5e 5b fb c3 88 e9 33 43 69 40 93 93 4a e4
                          d3 57";
    /// RFC 8448 §4, "{client} calculate PSK binder": finished, the binder value.
    const BINDER: &str = "3a dd 4f b2 d8 fd f8 22 a0 ca 3c f7 67 8e f5 e8
                          8d ae 99 01 41 c5 92 4d 57 bb 6f a3 1b 9e 5f 9d";

    /// RFC 8448 §4, ClientHello: the pre_shared_key body (identities 0xb8 bytes, one
    /// 0xb2-byte ticket aged 0xfad6aacb, then binders 0x21 bytes, one 0x20-byte binder).
    fn client_hello_body() -> Vec<u8> {
        rfc_hex(&format!(
            "00 b8 00 b2 {TICKET} fa d6 aa cb 00 21 20 {BINDER}"
        ))
    }

    fn offered() -> OfferedPsks {
        OfferedPsks {
            identities: vec![PskIdentity {
                identity: rfc_hex(TICKET),
                obfuscated_ticket_age: 0xfad6_aacb,
            }],
            binders: vec![PskBinderEntry(rfc_hex(BINDER))],
        }
    }

    #[test]
    fn test_parse_offered_psks() {
        let psks = parse(&client_hello_body(), OfferedPsks::decode).unwrap();
        assert_eq!(psks, offered());
        let ext = round_trip(
            ExtensionType::PreSharedKey,
            ExtensionContext::ClientHello,
            &client_hello_body(),
        );
        assert_eq!(ext, Extension::PreSharedKeyClientHello(offered()));
    }

    #[test]
    fn test_emit_offered_psks() {
        assert_eq!(emit(|w| offered().encode(w)), client_hello_body());
    }

    #[test]
    fn test_emit_binders_len_matches_rfc8448_truncation() {
        // RFC 8448 §4: the ClientHello is 512 octets and the "ClientHello prefix" hashed for
        // the binder is 477 octets, so Truncate() removed 35 bytes.
        assert_eq!(offered().binders_len(), 512 - 477);
        let binders = emit(|w| offered().encode_binders(w));
        assert_eq!(binders.len(), offered().binders_len());
        assert!(client_hello_body().ends_with(&binders));
    }

    #[test]
    fn test_parse_pre_shared_key_server_hello() {
        // RFC 8448 §4, ServerHello: selected_identity 0.
        let ext = round_trip(
            ExtensionType::PreSharedKey,
            ExtensionContext::ServerHello,
            &[0x00, 0x00],
        );
        assert_eq!(ext, Extension::PreSharedKeyServerHello(0));
        assert_eq!(parse(&[0x00, 0x02], decode_selected_identity), Ok(2));
    }

    #[test]
    fn test_emit_pre_shared_key_server_hello() {
        assert_eq!(emit(|w| encode_selected_identity(w, 0)), [0x00, 0x00]);
    }

    #[test]
    fn test_parse_rejects_bad_offered_psks() {
        let one_identity = "00 07 00 01 aa 00 00 00 00";
        let binder = format!("20 {BINDER}");
        for (bytes, alert) in [
            // A binder of 31 bytes (after one of 32, so the list itself is long enough).
            (
                format!("{one_identity} 00 41 {binder} 1f {}", &BINDER[3..]),
                AlertDescription::DecodeError,
            ),
            // An empty identity.
            (
                format!("00 06 00 00 00 00 00 00 00 21 {binder}"),
                AlertDescription::DecodeError,
            ),
            // Two binders for one identity.
            (
                format!("{one_identity} 00 42 {binder} {binder}"),
                AlertDescription::IllegalParameter,
            ),
        ] {
            let err = parse(&rfc_hex(&bytes), OfferedPsks::decode).unwrap_err();
            assert_eq!(err.alert, alert, "{bytes}");
        }
    }
}
