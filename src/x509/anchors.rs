//! Trust anchors: the certificates the caller trusts without proof, where every path must
//! end.
//!
//! A trust anchor is reduced to what path validation uses from it (RFC 5280 §6.1.1 (d)): its
//! subject name, its public key and any name constraints it carries. Its own validity
//! period, basicConstraints, keyUsage and signature are NOT checked: trusting it is the
//! caller's decision. This is also what lets a self-signed end-entity certificate (RFC
//! 8448's, for example) be trusted directly: the path is then that certificate alone, its
//! self-signature checked with its own key.
//!
//! The anchors' subject names are also what a server lists in the certificate_authorities
//! extension of a CertificateRequest (RFC 9846 §4.3.4), see [`TrustAnchors::subject_names`].

use alloc::vec::Vec;

use rustls_pki_types::{CertificateDer, TrustAnchor};

use crate::error::Error;

/// The caller's trust anchors, each taken from a DER certificate.
#[derive(Clone, Debug, Default)]
pub struct TrustAnchors {
    anchors: Vec<TrustAnchor<'static>>,
}

impl TrustAnchors {
    /// No anchors: every chain fails with unknown_ca until some are added.
    pub fn new() -> Self {
        Self::default()
    }

    /// The anchors of `roots`, DER certificates (v1 or v3). A root that does not parse is
    /// the caller's mistake: [`Error::Misuse`].
    pub fn from_der_certificates<C: AsRef<[u8]>>(
        roots: impl IntoIterator<Item = C>,
    ) -> Result<Self, Error> {
        let mut anchors = Self::new();
        for root in roots {
            anchors.add_der_certificate(root.as_ref())?;
        }
        Ok(anchors)
    }

    /// Adds the anchor of one DER certificate.
    pub fn add_der_certificate(&mut self, root: &[u8]) -> Result<(), Error> {
        let der = CertificateDer::from(root);
        let anchor = webpki::anchor_from_trusted_cert(&der)
            .map_err(|_| Error::Misuse("a trust anchor certificate does not parse"))?;
        self.anchors.push(anchor.to_owned());
        Ok(())
    }

    /// The anchors, as rustls-webpki takes them.
    pub fn as_webpki(&self) -> &[TrustAnchor<'static>] {
        &self.anchors
    }

    /// How many anchors there are.
    pub fn len(&self) -> usize {
        self.anchors.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty()
    }

    /// Each anchor's subject as a DER `Name` (with its SEQUENCE header), the form RFC 9846
    /// §4.3.4 gives a `DistinguishedName` in certificate_authorities.
    pub fn subject_names(&self) -> impl Iterator<Item = Vec<u8>> + '_ {
        self.anchors
            .iter()
            .map(|anchor| der_sequence(anchor.subject.as_ref()))
    }
}

/// Wraps `contents` in a DER SEQUENCE header (tag 0x30, definite length, X.690 §8.1.3).
fn der_sequence(contents: &[u8]) -> Vec<u8> {
    let len = contents.len();
    let mut out = Vec::with_capacity(len + 6);
    out.push(0x30);
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = (len as u64).to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(contents);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_emit_der_sequence_lengths() {
        assert_eq!(der_sequence(&[]), [0x30, 0x00]);
        assert_eq!(der_sequence(&[0xaa; 0x7f])[..2], [0x30, 0x7f]);
        assert_eq!(der_sequence(&[0xaa; 0x80])[..3], [0x30, 0x81, 0x80]);
        assert_eq!(der_sequence(&[0xaa; 0x1234])[..4], [0x30, 0x82, 0x12, 0x34]);
    }

    #[test]
    fn test_parse_bad_root_is_misuse() {
        let err = TrustAnchors::from_der_certificates([[0x30u8, 0x00]]).unwrap_err();
        assert!(matches!(err, Error::Misuse(_)));
    }
}
