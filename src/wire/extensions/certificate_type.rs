//! client_certificate_type (19) and server_certificate_type (20) (RFC 7250 §3, §4.1, §4.2):
//! which certificate types each side can send or take, X509 (0) or RawPublicKey (2).
//!
//! In a ClientHello each carries a list, most preferred first: client_certificate_type the
//! types the client can send, server_certificate_type the types it can process from the
//! server. In TLS 1.3 the server's answers go in EncryptedExtensions (RFC 9846 §4.3,
//! Table 1: "CH, EE"), each a single type: the one the Certificate that follows carries.
//!
//! Not checked here: that the server picked a type the client listed, and what a
//! Certificate of each type holds (the engines; see `crate::connection::cert_verify`).

use alloc::vec::Vec;

use super::decode_items;
use crate::codec::{DecodeError, Reader, Writer};
use crate::wire::codes::CertificateType;

/// The ClientHello form of both extensions: `CertificateType client_certificate_types<1..2^8-1>`
/// (or `server_certificate_types`, the same shape), most preferred first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateTypeList {
    /// The types, most preferred first; values we do not know are kept as `Unknown`.
    pub certificate_types: Vec<CertificateType>,
}

impl CertificateTypeList {
    /// Reads the list.
    pub fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let certificate_types =
            decode_items(r.sub_u8(1, 255)?, |r| Ok(CertificateType::from_u8(r.u8()?)))?;
        Ok(Self { certificate_types })
    }

    /// Writes the list.
    pub fn encode(&self, w: &mut Writer) {
        w.len_u8(|w| {
            for typ in &self.certificate_types {
                w.u8(typ.to_u8());
            }
        });
    }
}

/// Reads the EncryptedExtensions form: one `CertificateType`, the type selected.
pub fn decode_selected(r: &mut Reader<'_>) -> Result<CertificateType, DecodeError> {
    Ok(CertificateType::from_u8(r.u8()?))
}

/// Writes the EncryptedExtensions form.
pub fn encode_selected(w: &mut Writer, selected: CertificateType) {
    w.u8(selected.to_u8());
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{parse, rfc_hex, round_trip};
    use super::super::{Extension, ExtensionContext};
    use super::*;
    use crate::wire::alert::AlertDescription;
    use crate::wire::codes::ExtensionType;
    use alloc::vec;

    #[test]
    fn test_parse_certificate_type_lists_in_client_hello() {
        // RawPublicKey (2) first, then X509 (0).
        let list = CertificateTypeList {
            certificate_types: vec![CertificateType::RawPublicKey, CertificateType::X509],
        };
        let server = round_trip(
            ExtensionType::ServerCertificateType,
            ExtensionContext::ClientHello,
            &rfc_hex("02 02 00"),
        );
        assert_eq!(server, Extension::ServerCertificateTypes(list.clone()));
        let client = round_trip(
            ExtensionType::ClientCertificateType,
            ExtensionContext::ClientHello,
            &rfc_hex("02 02 00"),
        );
        assert_eq!(client, Extension::ClientCertificateTypes(list));
        // An unknown type (1, OpenPGP, which TLS 1.3 forbids) is kept, for the engine to skip.
        let kept = parse(&rfc_hex("01 01"), CertificateTypeList::decode).unwrap();
        assert_eq!(kept.certificate_types, [CertificateType::Unknown(1)]);
    }

    #[test]
    fn test_parse_selected_certificate_type_in_encrypted_extensions() {
        let server = round_trip(
            ExtensionType::ServerCertificateType,
            ExtensionContext::EncryptedExtensions,
            &rfc_hex("02"),
        );
        assert_eq!(
            server,
            Extension::ServerCertificateTypeSelected(CertificateType::RawPublicKey)
        );
        let client = round_trip(
            ExtensionType::ClientCertificateType,
            ExtensionContext::EncryptedExtensions,
            &rfc_hex("00"),
        );
        assert_eq!(
            client,
            Extension::ClientCertificateTypeSelected(CertificateType::X509)
        );
    }

    #[test]
    fn test_parse_rejects_malformed_certificate_types() {
        // An empty list (<1..2^8-1>), a list longer than its body, and a selected type
        // with a second byte.
        for (typ, ctx, body) in [
            (
                ExtensionType::ServerCertificateType,
                ExtensionContext::ClientHello,
                "00",
            ),
            (
                ExtensionType::ClientCertificateType,
                ExtensionContext::ClientHello,
                "02 02",
            ),
            (
                ExtensionType::ServerCertificateType,
                ExtensionContext::EncryptedExtensions,
                "02 00",
            ),
            (
                ExtensionType::ServerCertificateType,
                ExtensionContext::EncryptedExtensions,
                "",
            ),
        ] {
            let err = Extension::decode_body(typ, &rfc_hex(body), ctx).unwrap_err();
            assert_eq!(err.alert, AlertDescription::DecodeError, "{typ:?} {body}");
        }
        // RFC 9846 §4.3, Table 1: CH and EE only.
        let err = Extension::decode_body(
            ExtensionType::ServerCertificateType,
            &[2],
            ExtensionContext::CertificateRequest,
        )
        .unwrap_err();
        assert_eq!(err.alert, AlertDescription::IllegalParameter);
    }
}
