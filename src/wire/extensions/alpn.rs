//! application_layer_protocol_negotiation, "ALPN" (RFC 7301 §3.1): which application
//! protocol (such as "h2" or "http/1.1") runs over the connection.
//!
//! The client lists the protocols it speaks in its ClientHello; the server names the one it
//! selected in EncryptedExtensions, as a list of exactly one name. Choosing the protocol, and
//! the `no_application_protocol` alert when none fits (RFC 7301 §3.2), are for the engines.

use alloc::vec::Vec;

use super::decode_items;
use crate::codec::{DecodeError, Reader, Writer};

/// `opaque ProtocolName<1..2^8-1>`: one protocol identifier, as registered with IANA.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProtocolName(pub Vec<u8>);

impl ProtocolName {
    /// Reads one name.
    pub fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        // RFC 7301 §3.1: "Empty strings MUST NOT be included", which the lower bound of 1
        // enforces as a decode_error.
        Ok(Self(r.vec_u8(1, 255)?.to_vec()))
    }

    /// Writes one name.
    pub fn encode(&self, w: &mut Writer) {
        w.vec_u8(&self.0);
    }
}

/// `ProtocolNameList`: `ProtocolName protocol_name_list<2..2^16-1>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProtocolNameList {
    /// The names, most preferred first.
    pub protocol_name_list: Vec<ProtocolName>,
}

impl ProtocolNameList {
    /// Reads the list.
    pub fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let protocol_name_list = decode_items(r.sub_u16(2, 0xffff)?, ProtocolName::decode)?;
        Ok(Self { protocol_name_list })
    }

    /// Writes the list.
    pub fn encode(&self, w: &mut Writer) {
        w.len_u16(|w| {
            for name in &self.protocol_name_list {
                name.encode(w);
            }
        });
    }
}

/// Reads the EncryptedExtensions form: a `ProtocolNameList` holding the one selected name.
pub fn decode_selected(r: &mut Reader<'_>) -> Result<ProtocolName, DecodeError> {
    let list = ProtocolNameList::decode(r)?;
    // RFC 7301 §3.1: in the server's extension, "the "ProtocolNameList" MUST contain exactly
    // one "ProtocolName"". No alert is named; a longer list is well formed but wrong, an
    // "illegal_parameter" (RFC 9846 §6.2).
    match list.protocol_name_list.as_slice() {
        [selected] => Ok(selected.clone()),
        _ => Err(DecodeError::illegal(
            "ALPN: server must select exactly one protocol",
        )),
    }
}

/// Writes the EncryptedExtensions form.
pub fn encode_selected(w: &mut Writer, selected: &ProtocolName) {
    w.len_u16(|w| selected.encode(w));
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{emit, parse, rfc_hex, round_trip};
    use super::super::{Extension, ExtensionContext};
    use super::*;
    use crate::wire::alert::AlertDescription;
    use crate::wire::codes::ExtensionType;
    use alloc::vec;

    // RFC 8448 has no ALPN; these bytes follow RFC 7301 §3.1 for "h2" and "http/1.1".
    const OFFER: &str = "00 0c 02 68 32 08 68 74 74 70 2f 31 2e 31";
    const SELECTED_H2: &str = "00 03 02 68 32";

    fn offer() -> ProtocolNameList {
        ProtocolNameList {
            protocol_name_list: vec![
                ProtocolName(b"h2".to_vec()),
                ProtocolName(b"http/1.1".to_vec()),
            ],
        }
    }

    #[test]
    fn test_parse_protocol_name_list() {
        assert_eq!(
            parse(&rfc_hex(OFFER), ProtocolNameList::decode),
            Ok(offer())
        );
        let ext = round_trip(
            ExtensionType::ApplicationLayerProtocolNegotiation,
            ExtensionContext::ClientHello,
            &rfc_hex(OFFER),
        );
        assert_eq!(ext, Extension::ApplicationLayerProtocolNegotiation(offer()));
    }

    #[test]
    fn test_emit_protocol_name_list() {
        assert_eq!(emit(|w| offer().encode(w)), rfc_hex(OFFER));
    }

    #[test]
    fn test_parse_selected_protocol() {
        let h2 = ProtocolName(b"h2".to_vec());
        assert_eq!(
            parse(&rfc_hex(SELECTED_H2), decode_selected),
            Ok(h2.clone())
        );
        let ext = round_trip(
            ExtensionType::ApplicationLayerProtocolNegotiation,
            ExtensionContext::EncryptedExtensions,
            &rfc_hex(SELECTED_H2),
        );
        assert_eq!(ext, Extension::ApplicationLayerProtocolSelected(h2));
    }

    #[test]
    fn test_emit_selected_protocol() {
        let h2 = ProtocolName(b"h2".to_vec());
        assert_eq!(emit(|w| encode_selected(w, &h2)), rfc_hex(SELECTED_H2));
    }

    #[test]
    fn test_parse_rejects_bad_alpn() {
        // The server selected two protocols.
        let err = parse(&rfc_hex(OFFER), decode_selected).unwrap_err();
        assert_eq!(err.alert, AlertDescription::IllegalParameter);
        // An empty name; an empty list.
        for bytes in ["00 04 02 68 32 00", "00 00"] {
            let err = parse(&rfc_hex(bytes), ProtocolNameList::decode).unwrap_err();
            assert_eq!(err.alert, AlertDescription::DecodeError, "{bytes}");
        }
    }
}
