//! Which signature schemes a certificate chain was signed with, for choosing a chain the
//! peer can validate (RFC 9846 §4.3.3, §4.5.1.2).
//!
//! RFC 9846 §4.5.1.2: "All certificates provided by the sender MUST be signed by a
//! signature algorithm advertised by the peer, if it is able to provide such a chain (see
//! Section 4.3.3). Certificates that are self-signed or certificates that are expected to be
//! trust anchors are not validated as part of the chain and therefore MAY be signed with any
//! algorithm." The algorithms the peer advertised are its signature_algorithms_cert, or its
//! signature_algorithms when it sent no signature_algorithms_cert (§4.3.3).
//!
//! A certificate's signatureAlgorithm is matched against the table of
//! [`super::signatures::CERTIFICATE_ALGORITHMS`]; one that is not there (SHA-1, P-521, ...)
//! has no TLS scheme lucid-tls knows, and so fits no list.

use alloc::vec::Vec;

use super::certificate_fields::CertificateFields;
use super::signatures::CERTIFICATE_ALGORITHMS;
use crate::wire::algorithms::SignatureScheme;

/// How one certificate of a chain is signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkSignature {
    /// Self-signed (issuer = subject): exempt, it can only be a trust anchor.
    SelfSigned,
    /// Signed with this scheme.
    Scheme(SignatureScheme),
    /// Signed with an algorithm that has no TLS scheme here, or the certificate does not
    /// parse.
    Unknown,
}

/// The signature of each certificate of `chain` (DER, end entity first).
pub fn link_signatures(chain: &[Vec<u8>]) -> Vec<LinkSignature> {
    chain.iter().map(|der| link_signature(der)).collect()
}

/// How the DER certificate `der` is signed.
pub fn link_signature(der: &[u8]) -> LinkSignature {
    let Ok(cert) = CertificateFields::parse(der) else {
        return LinkSignature::Unknown;
    };
    // DER is canonical: equal names have equal encodings.
    if cert.issuer == cert.subject {
        return LinkSignature::SelfSigned;
    }
    let algorithm = cert.signature_algorithm;
    // rustls-pki-types' AlgorithmIdentifiers are the SEQUENCE's contents: skip the header
    // (tag and a short or one-byte long length: these identifiers are short).
    let contents = match algorithm.get(1) {
        Some(len) if *len < 0x80 => algorithm.get(2..),
        Some(0x81) => algorithm.get(3..),
        _ => None,
    };
    CERTIFICATE_ALGORITHMS
        .iter()
        .find(|(_, _, signature_alg)| Some(signature_alg.as_ref()) == contents)
        .map_or(LinkSignature::Unknown, |(scheme, _, _)| {
            LinkSignature::Scheme(*scheme)
        })
}

/// Whether every certificate of `chain` that is not self-signed is signed with one of
/// `accepted`: a chain the peer said it can validate.
pub fn chain_fits(chain: &[Vec<u8>], accepted: &[SignatureScheme]) -> bool {
    link_signatures(chain).iter().all(|link| match link {
        LinkSignature::SelfSigned => true,
        LinkSignature::Scheme(scheme) => accepted.contains(scheme),
        LinkSignature::Unknown => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_parse_garbage_is_unknown() {
        assert_eq!(link_signature(&[0x30, 0x00]), LinkSignature::Unknown);
        assert!(!chain_fits(
            &[alloc::vec![0x30, 0x00]],
            &[SignatureScheme::Ed25519]
        ));
        assert!(chain_fits(&[], &[]));
    }
}
