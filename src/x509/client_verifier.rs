//! [`WebPkiClientVerifier`]: the server's full check of a client certificate chain (mutual
//! TLS).
//!
//! It plugs into [`ClientAuth`](crate::server::ClientAuth) as a
//! [`ClientCertVerifier`], and validates the chain for clientAuth at the caller's time with
//! the same [`CertificateValidator`] as the client side. Who the client *is* (its subject or
//! subjectAltName) is not judged here: the application reads it from the validated chain,
//! which the connection reports once the handshake completes.
//!
//! Whether a client may omit its certificate is the server configuration's choice
//! (`ClientAuth::Optional` or `Required`, RFC 9846 §4.5.1.3), not this verifier's.
//! The anchors' subjects are what the server may list in certificate_authorities (RFC 9846
//! §4.3.4): [`WebPkiClientVerifier::acceptable_issuers`].

use alloc::vec::Vec;

use crate::error::Error;
use crate::server::ClientCertVerifier;
use crate::time::Time;

use super::validator::{CertificateValidator, Purpose, ValidatedPath};

/// Validates client certificate chains against trust anchors.
#[derive(Debug)]
pub struct WebPkiClientVerifier {
    validator: CertificateValidator,
}

impl WebPkiClientVerifier {
    /// A verifier that validates chains with `validator`, for clientAuth.
    pub fn new(validator: CertificateValidator) -> Self {
        Self { validator }
    }

    /// The chain validator.
    pub fn validator(&self) -> &CertificateValidator {
        &self.validator
    }

    /// The DER subject names of the trust anchors, for certificate_authorities.
    pub fn acceptable_issuers(&self) -> Vec<Vec<u8>> {
        self.validator.anchors().subject_names().collect()
    }

    /// Validates the chain and returns the path that validated.
    pub fn validate(
        &self,
        end_entity: &[u8],
        intermediates: &[&[u8]],
        now: Time,
    ) -> Result<ValidatedPath, Error> {
        self.validator
            .validate(end_entity, intermediates, Purpose::ClientAuth, now)
    }
}

impl ClientCertVerifier for WebPkiClientVerifier {
    fn verify(&self, end_entity: &[u8], intermediates: &[&[u8]], now_ms: u64) -> Result<(), Error> {
        self.validate(end_entity, intermediates, Time::from_unix_millis(now_ms))
            .map(|_| ())
    }
}
