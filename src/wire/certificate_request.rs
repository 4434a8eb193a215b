//! CertificateRequest (RFC 9846 §4.4.2): the server asking the client to authenticate with a
//! certificate, during the handshake or after it (RFC 9846 §4.7.2).
//!
//! ```text
//! struct {
//!     opaque certificate_request_context<0..2^8-1>;
//!     Extension extensions<0..2^16-1>;
//! } CertificateRequest;
//! ```
//!
//! The decoder checks syntax only. That signature_algorithms is present ("The
//! "signature_algorithms" extension MUST be specified") and that the context is empty during
//! the main handshake are checks for the client engine, which knows which of the two cases
//! it is in.

use alloc::vec::Vec;

use crate::codec::{DecodeError, Reader, Writer};
use crate::wire::codes::ExtensionType;
use crate::wire::extensions::{Extension, ExtensionContext, decode_extensions, encode_extensions};

/// RFC 9846 §4.4.2: the CertificateRequest message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateRequest {
    /// `certificate_request_context`: echoed in the client's Certificate; empty during the
    /// main handshake.
    pub certificate_request_context: Vec<u8>,
    /// `extensions`: signature_algorithms and optional others.
    pub extensions: Vec<Extension>,
}

impl CertificateRequest {
    /// Decodes a CertificateRequest body.
    pub fn decode(body: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(body);
        let certificate_request_context = r.vec_u8(0, 0xff)?.to_vec();
        let extensions = decode_extensions(&mut r, ExtensionContext::CertificateRequest)?;
        r.finish()?;
        Ok(Self {
            certificate_request_context,
            extensions,
        })
    }

    /// Appends the CertificateRequest body.
    pub fn encode(&self, w: &mut Writer) {
        w.vec_u8(&self.certificate_request_context);
        encode_extensions(w, &self.extensions);
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

    /// RFC 8448 §6, "construct a CertificateRequest handshake message", without its header.
    const CLIENT_AUTH_CR: &str = "\
        000024000d0020001e040305030603020308040805080604010501060102010402050206020202";

    #[test]
    fn test_parse_rfc8448_certificate_request() {
        let cr = CertificateRequest::decode(&hex::decode(CLIENT_AUTH_CR).unwrap()).unwrap();
        assert!(cr.certificate_request_context.is_empty());
        assert_eq!(cr.extensions.len(), 1);
        assert!(cr.extension(ExtensionType::SignatureAlgorithms).is_some());
    }

    #[test]
    fn test_emit_rfc8448_certificate_request() {
        let body = hex::decode(CLIENT_AUTH_CR).unwrap();
        let mut w = Writer::new();
        CertificateRequest::decode(&body).unwrap().encode(&mut w);
        assert_eq!(w.finish().unwrap(), body);
    }

    #[test]
    fn test_parse_rejects_truncation_and_trailing_bytes() {
        let body = hex::decode(CLIENT_AUTH_CR).unwrap();
        let mut trailing = body.clone();
        trailing.push(0);
        for bad in [&body[..1], &body[..body.len() - 1], &trailing] {
            let err = CertificateRequest::decode(bad).unwrap_err();
            assert_eq!(err.alert, AlertDescription::DecodeError);
        }
    }
}
