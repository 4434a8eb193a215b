//! signature_algorithms and signature_algorithms_cert (RFC 9846 §4.3.3): the signature
//! schemes an endpoint can verify, most preferred first.
//!
//! "signature_algorithms" covers CertificateVerify signatures (and certificate signatures too
//! when "signature_algorithms_cert" is absent); "signature_algorithms_cert" covers signatures
//! in certificates. Both carry a `SignatureSchemeList`, in a ClientHello or a
//! CertificateRequest. Choosing a scheme, and the rules about legacy SHA-1 and PKCS#1 v1.5
//! schemes, belong to the engines.

use alloc::vec::Vec;

use super::decode_items;
use crate::codec::{DecodeError, Reader, Writer};
use crate::wire::algorithms::SignatureScheme;

/// `SignatureSchemeList`: `SignatureScheme supported_signature_algorithms<2..2^16-2>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureSchemeList {
    /// The schemes, most preferred first; values we do not know are kept as `Unknown`.
    pub supported_signature_algorithms: Vec<SignatureScheme>,
}

impl SignatureSchemeList {
    /// Reads the list.
    pub fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let supported_signature_algorithms = decode_items(r.sub_u16(2, 0xfffe)?, |r| {
            Ok(SignatureScheme::from_u16(r.u16()?))
        })?;
        Ok(Self {
            supported_signature_algorithms,
        })
    }

    /// Writes the list.
    pub fn encode(&self, w: &mut Writer) {
        w.len_u16(|w| {
            for scheme in &self.supported_signature_algorithms {
                w.u16(scheme.to_u16());
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

    /// RFC 8448 §3 ClientHello and §6 CertificateRequest: signature_algorithms.
    const RFC8448_BODY: &str = "00 1e 04 03 05 03 06 03 02 03 08 04 08 05 08 06
                                04 01 05 01 06 01 02 01 04 02 05 02 06 02 02 02";

    fn rfc8448_list() -> SignatureSchemeList {
        use SignatureScheme::*;
        SignatureSchemeList {
            supported_signature_algorithms: vec![
                EcdsaSecp256r1Sha256,
                EcdsaSecp384r1Sha384,
                EcdsaSecp521r1Sha512,
                EcdsaSha1,
                RsaPssRsaeSha256,
                RsaPssRsaeSha384,
                RsaPssRsaeSha512,
                RsaPkcs1Sha256,
                RsaPkcs1Sha384,
                RsaPkcs1Sha512,
                RsaPkcs1Sha1,
                // 0x0402, 0x0502, 0x0602, 0x0202: TLS 1.2's DSA pairs, unnamed in TLS 1.3.
                Unknown(0x0402),
                Unknown(0x0502),
                Unknown(0x0602),
                Unknown(0x0202),
            ],
        }
    }

    #[test]
    fn test_parse_signature_scheme_list() {
        let list = parse(&rfc_hex(RFC8448_BODY), SignatureSchemeList::decode).unwrap();
        assert_eq!(list, rfc8448_list());
        for ctx in [
            ExtensionContext::ClientHello,
            ExtensionContext::CertificateRequest,
        ] {
            let body = rfc_hex(RFC8448_BODY);
            let ext = round_trip(ExtensionType::SignatureAlgorithms, ctx, &body);
            assert_eq!(ext, Extension::SignatureAlgorithms(rfc8448_list()));
            let ext = round_trip(ExtensionType::SignatureAlgorithmsCert, ctx, &body);
            assert_eq!(ext, Extension::SignatureAlgorithmsCert(rfc8448_list()));
        }
    }

    #[test]
    fn test_emit_signature_scheme_list() {
        assert_eq!(emit(|w| rfc8448_list().encode(w)), rfc_hex(RFC8448_BODY));
    }

    #[test]
    fn test_parse_rejects_empty_or_odd_signature_scheme_list() {
        for bytes in ["00 00", "00 01 08", "00 03 08 04 08"] {
            let err = parse(&rfc_hex(bytes), SignatureSchemeList::decode).unwrap_err();
            assert_eq!(err.alert, AlertDescription::DecodeError, "{bytes}");
        }
    }
}
