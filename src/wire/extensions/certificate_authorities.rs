//! certificate_authorities (RFC 9846 §4.3.4): the distinguished names of CAs an endpoint
//! trusts, to guide the peer's choice of certificate.
//!
//! A client may send it in its ClientHello, a server in its CertificateRequest. The names
//! are kept as DER bytes; this module does not parse X.501 names, and choosing a certificate
//! chain that fits them is for the engines.

use alloc::vec::Vec;

use super::decode_items;
use crate::codec::{DecodeError, Reader, Writer};

/// `opaque DistinguishedName<1..2^16-1>`: a DER-encoded X.501 Name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DistinguishedName(pub Vec<u8>);

impl DistinguishedName {
    /// Reads one name.
    pub fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Self(r.vec_u16(1, 0xffff)?.to_vec()))
    }

    /// Writes one name.
    pub fn encode(&self, w: &mut Writer) {
        w.vec_u16(&self.0);
    }
}

/// `CertificateAuthoritiesExtension`: `DistinguishedName authorities<3..2^16-1>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateAuthoritiesExtension {
    /// The acceptable CAs (trust anchors or subordinate CAs).
    pub authorities: Vec<DistinguishedName>,
}

impl CertificateAuthoritiesExtension {
    /// Reads the list.
    pub fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let authorities = decode_items(r.sub_u16(3, 0xffff)?, DistinguishedName::decode)?;
        Ok(Self { authorities })
    }

    /// Writes the list.
    pub fn encode(&self, w: &mut Writer) {
        w.len_u16(|w| {
            for name in &self.authorities {
                name.encode(w);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{emit, parse, rfc_hex, round_trip};
    use super::super::{Extension, ExtensionContext};
    use super::*;
    use crate::wire::alert::AlertDescription;
    use crate::wire::codes::ExtensionType;
    use alloc::vec;

    /// RFC 8448 §3, Certificate: the issuer (and subject) name of the server's certificate,
    /// "CN=rsa". RFC 8448 sends no certificate_authorities; the list around it is built from
    /// RFC 9846 §4.3.4.
    const CN_RSA: &str = "30 0e 31 0c 30 0a 06 03 55 04 03 13 03 72 73 61";

    fn body() -> Vec<u8> {
        rfc_hex(&alloc::format!("00 12 00 10 {CN_RSA}"))
    }

    fn extension() -> CertificateAuthoritiesExtension {
        CertificateAuthoritiesExtension {
            authorities: vec![DistinguishedName(rfc_hex(CN_RSA))],
        }
    }

    #[test]
    fn test_parse_certificate_authorities() {
        let parsed = parse(&body(), CertificateAuthoritiesExtension::decode).unwrap();
        assert_eq!(parsed, extension());
        for ctx in [
            ExtensionContext::ClientHello,
            ExtensionContext::CertificateRequest,
        ] {
            let ext = round_trip(ExtensionType::CertificateAuthorities, ctx, &body());
            assert_eq!(ext, Extension::CertificateAuthorities(extension()));
        }
    }

    #[test]
    fn test_emit_certificate_authorities() {
        assert_eq!(emit(|w| extension().encode(w)), body());
    }

    #[test]
    fn test_parse_rejects_bad_certificate_authorities() {
        // An empty list, a list too short to hold a name, and an empty name.
        for bytes in ["00 00", "00 02 00 00", "00 03 00 00 30"] {
            let err = parse(&rfc_hex(bytes), CertificateAuthoritiesExtension::decode).unwrap_err();
            assert_eq!(err.alert, AlertDescription::DecodeError, "{bytes}");
        }
    }
}
