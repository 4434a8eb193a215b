//! Which alert each certificate failure sends (RFC 9846 §6.2), in one match over every error
//! rustls-webpki can return.
//!
//! RFC 9846 §6.2 defines the certificate alerts this way, and the match below follows it:
//!
//! | alert                     | RFC 9846 §6.2                                                  | used for |
//! |---------------------------|----------------------------------------------------------------|----------|
//! | `bad_certificate`         | "A certificate was corrupt, contained signatures that did not verify correctly, etc." | DER errors, a signature that fails, a chain breaking its issuers' constraints (CA:false issuer, path length, name constraints), MD5/SHA-1 signatures (§4.5.1.3) |
//! | `unsupported_certificate` | "A certificate was of an unsupported type."                    | not X.509v3, an unknown critical extension, a signature algorithm or key we do not take (§4.5.1.2 makes it the default alert when no acceptable chain can be built), a certificate not issued for this purpose (extendedKeyUsage, keyUsage) |
//! | `certificate_revoked`     | "A certificate was revoked by its signer."                     | listed in a CRL |
//! | `certificate_expired`     | "A certificate has expired or is not currently valid."         | before notBefore, after notAfter |
//! | `unknown_ca`              | "the CA certificate could not be located or could not be matched with a known trust anchor" | no path to an anchor, the path too long to reach one, a distrusted key |
//! | `certificate_unknown`     | "Some other (unspecified) issue arose in processing the certificate, rendering it unacceptable." | the name does not match, the revocation status cannot be established, webpki's work limits |
//!
//! A certificate that is malformed or carries a signature that does not verify
//! (bad_certificate) is an [`Error::PeerMisbehaved`]; unsupported_certificate is an
//! [`Error::Incompatible`] (the peer did nothing wrong; we do not share its choices); every
//! other failure is a decision of our own trust policy (an issuer not among our anchors, a
//! certificate expired or revoked), an [`Error::CertificateRejected`].

use crate::error::Error;
use crate::wire::alert::AlertDescription;

/// OIDs (DER, with tag and length) of signature algorithms over MD5 or SHA-1, which RFC 9846
/// §4.5.1.3 answers with bad_certificate: md5WithRSAEncryption, sha1WithRSAEncryption,
/// ecdsa-with-SHA1 and dsa-with-sha1.
const MD5_OR_SHA1_SIGNATURE_OIDS: [&[u8]; 4] = [
    &[
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x04,
    ],
    &[
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05,
    ],
    &[0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01],
    &[0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x03],
];

/// The alert and a reason for a rustls-webpki error.
pub fn alert_for(error: &webpki::Error) -> (AlertDescription, &'static str) {
    use AlertDescription as A;
    use webpki::Error as E;
    #[allow(deprecated)] // the deprecated variants may still be returned; map them too.
    match error {
        // Validity period. RFC 9846 §6.2: certificate_expired.
        E::CertExpired { .. } => (
            A::CertificateExpired,
            "certificate expired (after notAfter)",
        ),
        E::CertNotValidYet { .. } => (
            A::CertificateExpired,
            "certificate not yet valid (before notBefore)",
        ),

        // Revocation.
        E::CertRevoked => (A::CertificateRevoked, "certificate revoked by a CRL"),
        E::UnknownRevocationStatus => (
            A::CertificateUnknown,
            "no CRL gives the certificate's revocation status",
        ),
        E::CrlExpired { .. } => (
            A::CertificateUnknown,
            "the CRL for a certificate is past its nextUpdate",
        ),
        E::InvalidCrlSignatureForPublicKey
        | E::IssuerNotCrlSigner
        | E::UnsupportedCrlSignatureAlgorithm
        | E::UnsupportedCrlSignatureAlgorithmContext(_)
        | E::UnsupportedCrlSignatureAlgorithmForPublicKey
        | E::UnsupportedCrlSignatureAlgorithmForPublicKeyContext(_)
        | E::InvalidCrlNumber
        | E::UnsupportedCrlVersion
        | E::UnsupportedDeltaCrl
        | E::UnsupportedIndirectCrl
        | E::UnsupportedRevocationReason
        | E::UnsupportedRevocationReasonsPartitioning
        | E::UnsupportedCrlIssuingDistributionPoint => (
            A::CertificateUnknown,
            "a CRL could not be used, so the revocation status is unknown",
        ),

        // No path to a trust anchor.
        E::UnknownIssuer => (A::UnknownCa, "no path to a trusted anchor (unknown issuer)"),
        E::MaximumPathDepthExceeded => (
            A::UnknownCa,
            "no trusted anchor within the maximum path depth",
        ),
        E::CertDistrusted => (A::UnknownCa, "a certificate's key is explicitly distrusted"),

        // Signatures.
        E::InvalidSignatureForPublicKey => {
            (A::BadCertificate, "a certificate signature does not verify")
        }
        E::SignatureAlgorithmMismatch => (
            A::BadCertificate,
            "signatureAlgorithm differs from the TBSCertificate's signature field",
        ),
        E::UnsupportedSignatureAlgorithmContext(context)
            if MD5_OR_SHA1_SIGNATURE_OIDS
                .iter()
                .any(|oid| context.signature_algorithm_id.starts_with(oid)) =>
        {
            // RFC 9846 §4.5.1.3: a certificate needing MD5 "MUST abort the handshake with a
            // "bad_certificate" alert"; for SHA-1 that is RECOMMENDED.
            (
                A::BadCertificate,
                "a certificate is signed with MD5 or SHA-1",
            )
        }
        E::UnsupportedSignatureAlgorithm | E::UnsupportedSignatureAlgorithmContext(_) => (
            A::UnsupportedCertificate,
            "a certificate is signed with an algorithm we do not accept",
        ),
        E::UnsupportedSignatureAlgorithmForPublicKey
        | E::UnsupportedSignatureAlgorithmForPublicKeyContext(_) => (
            A::UnsupportedCertificate,
            "a certificate signature algorithm does not fit its issuer's key",
        ),

        // The chain breaks its issuers' constraints.
        E::EndEntityUsedAsCa => (
            A::BadCertificate,
            "a certificate without basicConstraints cA=true issued another certificate",
        ),
        E::CaUsedAsEndEntity => (
            A::BadCertificate,
            "a CA certificate (cA=true) is used as the end-entity certificate",
        ),
        E::PathLenConstraintViolated => (
            A::BadCertificate,
            "the path is longer than an issuer's pathLenConstraint allows",
        ),
        E::NameConstraintViolation => (
            A::BadCertificate,
            "a certificate name violates an issuer's name constraints",
        ),

        // Purpose.
        E::RequiredEkuNotFound | E::RequiredEkuNotFoundContext(_) => (
            A::UnsupportedCertificate,
            "extendedKeyUsage does not include the required purpose (serverAuth/clientAuth)",
        ),
        E::EmptyEkuExtension => (
            A::UnsupportedCertificate,
            "extendedKeyUsage is present but empty",
        ),

        // Names (server certificates).
        E::CertNotValidForName(_) => (
            A::CertificateUnknown,
            "certificate has no subjectAltName matching the server name",
        ),
        E::UnsupportedNameType => (
            A::CertificateUnknown,
            "the server name is of a type that cannot be checked",
        ),

        // Kinds of certificate we do not take.
        E::UnsupportedCertVersion => (
            A::UnsupportedCertificate,
            "certificate is not X.509 version 3",
        ),
        E::UnsupportedCriticalExtension => (
            A::UnsupportedCertificate,
            "certificate has a critical extension we do not know",
        ),

        // Corrupt certificates.
        E::BadDer | E::TrailingData(_) => (A::BadCertificate, "certificate DER is malformed"),
        E::BadDerTime => (A::BadCertificate, "certificate time is malformed"),
        E::InvalidCertValidity => (A::BadCertificate, "certificate notBefore is after notAfter"),
        E::MalformedExtensions | E::ExtensionValueInvalid => {
            (A::BadCertificate, "certificate extensions are malformed")
        }
        E::InvalidSerialNumber => (A::BadCertificate, "certificate serial number is malformed"),
        E::MalformedDnsIdentifier => (A::BadCertificate, "a dNSName is malformed"),
        E::MalformedNameConstraint | E::InvalidNetworkMaskConstraint => {
            (A::BadCertificate, "a name constraint is malformed")
        }

        // Work limits against pathological chains.
        E::MaximumSignatureChecksExceeded
        | E::MaximumPathBuildCallsExceeded
        | E::MaximumNameConstraintComparisonsExceeded => (
            A::CertificateUnknown,
            "path building gave up: the chain needs too much work",
        ),

        // rustls-webpki's Error is #[non_exhaustive]: a variant added by a later version lands
        // here until it is given its own arm.
        _ => (
            A::CertificateUnknown,
            "certificate refused (unclassified reason)",
        ),
    }
}

/// The [`Error`] a connection fails with for a rustls-webpki error.
pub fn to_error(error: &webpki::Error) -> Error {
    let (alert, reason) = alert_for(error);
    match alert {
        AlertDescription::UnsupportedCertificate => Error::Incompatible { alert, reason },
        AlertDescription::BadCertificate => Error::PeerMisbehaved { alert, reason },
        _ => Error::CertificateRejected { alert, reason },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use webpki::UnsupportedSignatureAlgorithmContext;

    #[test]
    fn test_sha1_signature_is_bad_certificate() {
        let mut sha1_rsa = MD5_OR_SHA1_SIGNATURE_OIDS[1].to_vec();
        sha1_rsa.extend_from_slice(&[0x05, 0x00]); // NULL parameters
        let error = webpki::Error::UnsupportedSignatureAlgorithmContext(
            UnsupportedSignatureAlgorithmContext {
                signature_algorithm_id: sha1_rsa,
                supported_algorithms: vec![],
            },
        );
        assert_eq!(alert_for(&error).0, AlertDescription::BadCertificate);

        // An algorithm we merely do not support (ecdsa-with-SHA512) is unsupported_certificate.
        let error = webpki::Error::UnsupportedSignatureAlgorithmContext(
            UnsupportedSignatureAlgorithmContext {
                signature_algorithm_id: vec![
                    0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04,
                ],
                supported_algorithms: vec![],
            },
        );
        assert_eq!(
            alert_for(&error).0,
            AlertDescription::UnsupportedCertificate
        );
        assert!(matches!(to_error(&error), Error::Incompatible { .. }));
    }

    #[test]
    fn test_alerts_of_common_failures() {
        use AlertDescription as A;
        for (error, alert) in [
            (webpki::Error::CertRevoked, A::CertificateRevoked),
            (webpki::Error::UnknownIssuer, A::UnknownCa),
            (
                webpki::Error::InvalidSignatureForPublicKey,
                A::BadCertificate,
            ),
            (webpki::Error::EndEntityUsedAsCa, A::BadCertificate),
            (webpki::Error::PathLenConstraintViolated, A::BadCertificate),
            (
                webpki::Error::UnknownRevocationStatus,
                A::CertificateUnknown,
            ),
            (webpki::Error::BadDer, A::BadCertificate),
        ] {
            assert_eq!(to_error(&error).alert(), Some(alert), "{error:?}");
        }
    }
}
