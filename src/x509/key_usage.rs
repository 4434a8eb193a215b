//! The keyUsage extension (RFC 5280 §4.2.1.3), which rustls-webpki does not check on
//! certificates, so this module does, on every path webpki has otherwise accepted.
//!
//! Two rules, each applying only when the extension is present (a certificate without it may
//! be used for anything, RFC 5280 §4.2.1.3 leaving the extension optional for end entities):
//!
//! - **End-entity certificate:** RFC 9846 §4.5.1.2: "the digitalSignature bit MUST be set if
//!   the Key Usage extension is present", since the key signs CertificateVerify.
//! - **Each intermediate CA certificate:** RFC 5280 §6.1.4 (n): "If a key usage extension is
//!   present, verify that the keyCertSign bit is set", since its key signed the next
//!   certificate down.
//!
//! The trust anchor's keyUsage is not checked (see [`super::anchors`]); a CRL issuer's cRLSign
//! bit is checked by webpki itself (see [`super::revocation`]).
//!
//! The extension is found with `super::certificate_fields` and decoded with the
//! `x509-cert` crate (`no_std`), because webpki does not expose it.

use x509_cert::der::Decode;
use x509_cert::der::oid::AssociatedOid;
use x509_cert::ext::pkix::KeyUsage;

use super::certificate_fields::CertificateFields;

/// Why a certificate's keyUsage forbids its place in the path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyUsageProblem {
    /// The end-entity certificate has keyUsage without digitalSignature.
    EndEntityCannotSign,
    /// An intermediate CA certificate has keyUsage without keyCertSign.
    IssuerCannotSignCertificates,
    /// The certificate or its keyUsage extension does not decode (or is repeated).
    Malformed,
}

impl KeyUsageProblem {
    /// A sentence for error messages.
    pub fn reason(self) -> &'static str {
        match self {
            Self::EndEntityCannotSign => {
                "end-entity certificate's keyUsage does not allow digitalSignature"
            }
            Self::IssuerCannotSignCertificates => {
                "an intermediate CA certificate's keyUsage does not allow keyCertSign"
            }
            Self::Malformed => "a certificate's keyUsage extension is malformed",
        }
    }
}

/// Reads the keyUsage extension of a DER certificate: `None` if absent.
fn key_usage(certificate: &[u8]) -> Result<Option<KeyUsage>, KeyUsageProblem> {
    let fields = CertificateFields::parse(certificate).map_err(|_| KeyUsageProblem::Malformed)?;
    let Some((_critical, value)) = fields
        .extension(KeyUsage::OID)
        .map_err(|_| KeyUsageProblem::Malformed)?
    else {
        return Ok(None);
    };
    KeyUsage::from_der(value)
        .map(Some)
        .map_err(|_| KeyUsageProblem::Malformed)
}

/// The end-entity rule: digitalSignature, if keyUsage is present.
pub fn check_end_entity(certificate: &[u8]) -> Result<(), KeyUsageProblem> {
    match key_usage(certificate)? {
        Some(usage) if !usage.digital_signature() => Err(KeyUsageProblem::EndEntityCannotSign),
        _ => Ok(()),
    }
}

/// The intermediate rule: keyCertSign, if keyUsage is present.
pub fn check_issuer(certificate: &[u8]) -> Result<(), KeyUsageProblem> {
    match key_usage(certificate)? {
        Some(usage) if !usage.key_cert_sign() => Err(KeyUsageProblem::IssuerCannotSignCertificates),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_parse_garbage_is_malformed() {
        assert_eq!(
            check_end_entity(&[0x30, 0x00]),
            Err(KeyUsageProblem::Malformed)
        );
        assert_eq!(check_issuer(&[]), Err(KeyUsageProblem::Malformed));
    }
}
