//! Certificate (RFC 9846 §4.5.1): an endpoint's certificate chain, or a raw public key,
//! each entry followed by its own extensions (OCSP status, SCTs).
//!
//! ```text
//! struct {
//!     select (certificate_type) {
//!         case RawPublicKey:
//!           /* From RFC 7250 ASN.1_subjectPublicKeyInfo */
//!           opaque ASN1_subjectPublicKeyInfo<1..2^24-1>;
//!         case X509:
//!           opaque cert_data<1..2^24-1>;
//!     };
//!     Extension extensions<0..2^16-1>;
//! } CertificateEntry;
//!
//! struct {
//!     opaque certificate_request_context<0..2^8-1>;
//!     CertificateEntry certificate_list<0..2^24-1>;
//! } Certificate;
//! ```
//!
//! Both certificate types have the same encoding, so one decoder serves both;
//! [`CertificateEntry::cert_data`] holds a DER X.509 certificate or, if RawPublicKey was
//! negotiated, a DER SubjectPublicKeyInfo. Nothing here parses those bytes (see the X.509
//! module).
//!
//! The decoder checks syntax only. Rules that depend on who sent the message are the
//! engine's: RFC 9846 §4.5.1.3 "If the server supplies an empty Certificate message, the
//! client MUST abort the handshake with a "decode_error" alert" (a client may send an empty
//! list), at most one entry for RawPublicKey, and the context matching the request.

use alloc::vec::Vec;

use crate::codec::{DecodeError, Reader, Writer};
use crate::wire::extensions::{Extension, ExtensionContext, decode_extensions, encode_extensions};

/// RFC 9846 §4.5.1: one certificate (or raw public key) and its extensions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateEntry {
    /// `cert_data` (X509) or `ASN1_subjectPublicKeyInfo` (RawPublicKey), DER-encoded.
    pub cert_data: Vec<u8>,
    /// `extensions` for this entry, decoded in the Certificate ("CT") context.
    pub extensions: Vec<Extension>,
}

/// RFC 9846 §4.5.1: the Certificate message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Certificate {
    /// `certificate_request_context`: empty for the server; for the client, the value from
    /// the CertificateRequest it answers.
    pub certificate_request_context: Vec<u8>,
    /// `certificate_list`: the sender's own certificate first, then the chain.
    pub certificate_list: Vec<CertificateEntry>,
}

impl Certificate {
    /// Decodes a Certificate body.
    pub fn decode(body: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(body);
        let certificate_request_context = r.vec_u8(0, 0xff)?.to_vec();
        let mut list = r.sub_u24(0, 0xff_ffff)?;
        let mut certificate_list = Vec::new();
        while !list.is_empty() {
            let cert_data = list.vec_u24(1, 0xff_ffff)?.to_vec();
            let extensions = decode_extensions(&mut list, ExtensionContext::Certificate)?;
            certificate_list.push(CertificateEntry {
                cert_data,
                extensions,
            });
        }
        r.finish()?;
        Ok(Self {
            certificate_request_context,
            certificate_list,
        })
    }

    /// Appends the Certificate body.
    pub fn encode(&self, w: &mut Writer) {
        w.vec_u8(&self.certificate_request_context);
        w.len_u24(|w| {
            for entry in &self.certificate_list {
                w.vec_u24(&entry.cert_data);
                encode_extensions(w, &entry.extensions);
            }
        });
    }

    /// The sender's own certificate: RFC 9846 §4.5.1 "The sender's certificate MUST come in
    /// the first CertificateEntry in the list."
    pub fn end_entity(&self) -> Option<&CertificateEntry> {
        self.certificate_list.first()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::alert::AlertDescription;
    use crate::wire::codes::ExtensionType;
    use alloc::vec;

    /// A context of 2 bytes, then two entries: a 3-byte certificate with a 1-byte
    /// signed_certificate_timestamp extension (kept opaque), and a 1-byte one with no
    /// extensions.
    const TWO_ENTRIES: &str = "02abcd 000013 000003010203 0005 0012000177 000001ff 0000";

    fn bytes(spaced: &str) -> Vec<u8> {
        hex::decode(spaced.replace(' ', "")).unwrap()
    }

    #[test]
    fn test_parse_entries_with_extensions() {
        let c = Certificate::decode(&bytes(TWO_ENTRIES)).unwrap();
        assert_eq!(c.certificate_request_context, [0xab, 0xcd]);
        assert_eq!(c.certificate_list.len(), 2);
        let first = c.end_entity().unwrap();
        assert_eq!(first.cert_data, [1, 2, 3]);
        assert_eq!(
            first.extensions[0].extension_type(),
            ExtensionType::SignedCertificateTimestamp
        );
        assert_eq!(c.certificate_list[1].cert_data, [0xff]);
        assert!(c.certificate_list[1].extensions.is_empty());
    }

    #[test]
    fn test_emit_entries_with_extensions() {
        let c = Certificate {
            certificate_request_context: vec![0xab, 0xcd],
            certificate_list: vec![
                CertificateEntry {
                    cert_data: vec![1, 2, 3],
                    extensions: vec![Extension::Unknown {
                        typ: ExtensionType::SignedCertificateTimestamp,
                        data: vec![0x77],
                    }],
                },
                CertificateEntry {
                    cert_data: vec![0xff],
                    extensions: Vec::new(),
                },
            ],
        };
        let mut w = Writer::new();
        c.encode(&mut w);
        assert_eq!(w.finish().unwrap(), bytes(TWO_ENTRIES));
    }

    #[test]
    fn test_parse_empty_list() {
        // What a client without a suitable certificate sends (RFC 9846 §4.5.1).
        let c = Certificate::decode(&[0x00, 0x00, 0x00, 0x00]).unwrap();
        assert!(c.certificate_list.is_empty());
        assert!(c.end_entity().is_none());
    }

    #[test]
    fn test_parse_rejects_empty_cert_data_and_bad_lengths() {
        let empty_cert = bytes("00 000005 000000 0000");
        let list_too_long = bytes("00 000009 000001ff 0000");
        let entry_past_list = bytes("00 000004 000002ff 0000");
        let mut trailing = bytes(TWO_ENTRIES);
        trailing.push(0);
        for bad in [empty_cert, list_too_long, entry_past_list, trailing] {
            let err = Certificate::decode(&bad).unwrap_err();
            assert_eq!(err.alert, AlertDescription::DecodeError, "{bad:02x?}");
        }
    }
}
