//! [`WebPkiServerVerifier`]: the client's full check of a server certificate chain.
//!
//! It plugs into [`ClientConfig::verifier`](crate::client::ClientConfig) as a
//! [`ServerCertVerifier`], and does, in this order:
//!
//! 1. path validation for serverAuth at the caller's time ([`CertificateValidator`]);
//! 2. the server's identity: the name the client connects to, against the end-entity
//!    certificate's subjectAltName ([`super::names`]).
//!
//! The name is required: a client that does not say whom it wants to reach cannot tell the
//! server from anyone else holding a certificate from the same CAs, so a `None` name is
//! refused as [`Error::Misuse`]. The one exception is explicit:
//! [`WebPkiServerVerifier::without_name_check`], for certificates that name no host at all,
//! like RFC 8448's.
//!
//! Through [`ServerCertVerifier::certificate_schemes`] it tells the client which
//! certificate signatures it accepts; `ClientConfig::builder` advertises them in
//! signature_algorithms_cert (RFC 9846 §4.3.3), so that a server can pick a chain the
//! client will take.

use alloc::vec::Vec;

use crate::error::Error;
use crate::time::Time;
use crate::verify::{Answer, ServerCertVerifier};
use crate::wire::algorithms::SignatureScheme;

use super::names::{self, ReferenceIdentity};
use super::validator::{CertificateValidator, Purpose, ValidatedPath};

/// Whether the server's name is checked against its certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NameCheck {
    /// The normal case.
    Required,
    /// Only the chain is validated: any server with a certificate from a trusted CA passes.
    Skipped,
}

/// Validates server certificate chains against trust anchors, and the server's name.
#[derive(Debug)]
pub struct WebPkiServerVerifier {
    validator: CertificateValidator,
    name_check: NameCheck,
}

impl WebPkiServerVerifier {
    /// A verifier that validates chains with `validator` and checks the server name.
    pub fn new(validator: CertificateValidator) -> Self {
        Self {
            validator,
            name_check: NameCheck::Required,
        }
    }

    /// A verifier that validates chains but does NOT check the server's name: any server
    /// holding a certificate from one of the anchors passes. For certificates that name no
    /// host (RFC 8448's carry no subjectAltName), or an anchor that is a single pinned
    /// end-entity certificate; never with a public CA.
    pub fn without_name_check(validator: CertificateValidator) -> Self {
        Self {
            validator,
            name_check: NameCheck::Skipped,
        }
    }

    /// The chain validator (its anchors, accepted signature schemes, revocation).
    pub fn validator(&self) -> &CertificateValidator {
        &self.validator
    }

    /// Validates the chain and the name, and returns the path that validated.
    pub fn validate(
        &self,
        end_entity: &[u8],
        intermediates: &[&[u8]],
        server_name: Option<&str>,
        now: Time,
    ) -> Result<ValidatedPath, Error> {
        // Parse the reference identity first: a bad name is our caller's mistake, whatever
        // the peer sent.
        let identity = match (self.name_check, server_name) {
            (NameCheck::Skipped, _) => None,
            (NameCheck::Required, Some(name)) => Some(ReferenceIdentity::parse(name)?),
            (NameCheck::Required, None) => {
                return Err(Error::Misuse(
                    "WebPkiServerVerifier needs the server name to check the certificate against",
                ));
            }
        };
        let path = self
            .validator
            .validate(end_entity, intermediates, Purpose::ServerAuth, now)?;
        if let Some(identity) = identity {
            names::check_name(end_entity, &identity)?;
        }
        Ok(path)
    }
}

impl ServerCertVerifier for WebPkiServerVerifier {
    fn verify(
        &self,
        end_entity: &[u8],
        intermediates: &[&[u8]],
        server_name: Option<&str>,
        now: Time,
    ) -> Answer {
        Answer::Now(
            self.validate(end_entity, intermediates, server_name, now)
                .map(|_| ()),
        )
    }

    /// The certificate signatures the validator accepts, for signature_algorithms_cert.
    fn certificate_schemes(&self) -> Option<Vec<SignatureScheme>> {
        Some(self.validator.signature_schemes().to_vec())
    }

    fn requires_server_name(&self) -> bool {
        self.name_check == NameCheck::Required
    }
}

/// What to send in signature_algorithms_cert when signature_algorithms says
/// `signature_algorithms` and certificates are accepted signed with `accepted`: nothing when
/// the two agree, as RFC 9846 §4.3.3 allows ("Implementations which have the same policy in
/// both cases MAY omit the "signature_algorithms_cert" extension"), else `accepted`.
pub fn signature_algorithms_cert(
    signature_algorithms: &[SignatureScheme],
    accepted: &[SignatureScheme],
) -> Option<Vec<SignatureScheme>> {
    (signature_algorithms != accepted).then(|| accepted.to_vec())
}
