//! supported_versions (RFC 9846 §4.3.1): how TLS 1.3 is negotiated, since the legacy
//! version fields stay at TLS 1.2.
//!
//! The body has two forms:
//!
//! ```text
//! struct {
//!     select (Handshake.msg_type) {
//!         case client_hello: ProtocolVersion versions<2..254>;
//!         case server_hello: /* and HelloRetryRequest */ ProtocolVersion selected_version;
//!     };
//! } SupportedVersions;
//! ```
//!
//! Not checked here: that the server selected a version the client offered and nothing
//! older than TLS 1.3 (RFC 9846 §4.3.1, `illegal_parameter`); the client engine does that.

use alloc::vec::Vec;

use super::decode_items;
use crate::codec::{DecodeError, Reader, Writer};
use crate::wire::codes::ProtocolVersion;

/// Reads the ClientHello form, `ProtocolVersion versions<2..254>`, most preferred first.
pub fn decode_versions(r: &mut Reader<'_>) -> Result<Vec<ProtocolVersion>, DecodeError> {
    decode_items(r.sub_u8(2, 254)?, |r| {
        Ok(ProtocolVersion::from_u16(r.u16()?))
    })
}

/// Writes the ClientHello form.
pub fn encode_versions(w: &mut Writer, versions: &[ProtocolVersion]) {
    w.len_u8(|w| {
        for version in versions {
            w.u16(version.to_u16());
        }
    });
}

/// Reads the ServerHello and HelloRetryRequest form, `ProtocolVersion selected_version`.
pub fn decode_selected_version(r: &mut Reader<'_>) -> Result<ProtocolVersion, DecodeError> {
    Ok(ProtocolVersion::from_u16(r.u16()?))
}

/// Writes the ServerHello and HelloRetryRequest form.
pub fn encode_selected_version(w: &mut Writer, selected_version: ProtocolVersion) {
    w.u16(selected_version.to_u16());
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{emit, parse, rfc_hex, round_trip};
    use super::super::{Extension, ExtensionContext};
    use super::*;
    use crate::wire::alert::AlertDescription;
    use crate::wire::codes::ExtensionType;
    use alloc::vec;

    #[test]
    fn test_parse_supported_versions_client_hello() {
        // RFC 8448 §3, ClientHello: only TLS 1.3.
        let versions = parse(&rfc_hex("02 03 04"), decode_versions).unwrap();
        assert_eq!(versions, [ProtocolVersion::Tls13]);
        let ext = round_trip(
            ExtensionType::SupportedVersions,
            ExtensionContext::ClientHello,
            &rfc_hex("02 03 04"),
        );
        assert_eq!(
            ext,
            Extension::SupportedVersionsClientHello(vec![ProtocolVersion::Tls13])
        );
    }

    #[test]
    fn test_emit_supported_versions_client_hello() {
        let both = [ProtocolVersion::Tls13, ProtocolVersion::Tls12];
        assert_eq!(
            emit(|w| encode_versions(w, &both)),
            rfc_hex("04 03 04 03 03")
        );
    }

    #[test]
    fn test_parse_supported_versions_server_hello() {
        // RFC 8448 §3 ServerHello and §5 HelloRetryRequest: 03 04.
        let version = parse(&rfc_hex("03 04"), decode_selected_version).unwrap();
        assert_eq!(version, ProtocolVersion::Tls13);
        for ctx in [
            ExtensionContext::ServerHello,
            ExtensionContext::HelloRetryRequest,
        ] {
            let ext = round_trip(ExtensionType::SupportedVersions, ctx, &rfc_hex("03 04"));
            assert_eq!(
                ext,
                Extension::SupportedVersionsServerHello(ProtocolVersion::Tls13)
            );
        }
    }

    #[test]
    fn test_emit_supported_versions_server_hello() {
        let bytes = emit(|w| encode_selected_version(w, ProtocolVersion::Tls13));
        assert_eq!(bytes, rfc_hex("03 04"));
    }

    #[test]
    fn test_parse_rejects_bad_versions_list() {
        // Empty, and an odd number of bytes.
        for bytes in ["00", "03 03 04 03"] {
            let err = parse(&rfc_hex(bytes), decode_versions).unwrap_err();
            assert_eq!(err.alert, AlertDescription::DecodeError, "{bytes}");
        }
    }
}
