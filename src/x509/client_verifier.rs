//! [`WebPkiClientVerifier`]: the server's full check of a client certificate chain (mutual
//! TLS).
//!
//! It plugs into a server's client-authentication policy as a
//! [`ClientCertVerifier`], and validates the chain for clientAuth at the caller's time with
//! the same [`CertificateValidator`] as the client side. Who the client *is* (its subject or
//! subjectAltName) is not judged here: the application reads it from the validated chain,
//! which the connection reports once the handshake completes.
//!
//! Whether a client may omit its certificate is the server configuration's choice
//! (`ClientAuth::Optional` or `Required`, RFC 9846 §4.5.1.3), not this verifier's.
//! Through the [`ClientCertVerifier`] trait it also tells the server what to put in its
//! CertificateRequest: the anchors' subject names in certificate_authorities (RFC 9846
//! §4.3.4), and the certificate signatures it accepts in signature_algorithms_cert (§4.3.3),
//! so that a client can pick a certificate this verifier will take.

use alloc::vec::Vec;

use crate::error::Error;
use crate::time::Time;
use crate::verify::{Answer, ClientCertVerifier};
use crate::wire::algorithms::SignatureScheme;

use super::validator::{CertificateValidator, Purpose, ValidatedPath};

/// Validates client certificate chains against trust anchors.
#[derive(Debug)]
pub struct WebPkiClientVerifier {
    validator: CertificateValidator,
    request_hints: bool,
}

impl WebPkiClientVerifier {
    /// A verifier that validates chains with `validator`, for clientAuth.
    pub fn new(validator: CertificateValidator) -> Self {
        Self {
            validator,
            request_hints: true,
        }
    }

    /// The same verifier, but the CertificateRequest carries neither certificate_authorities
    /// nor signature_algorithms_cert (for instance to send NSS's bare request, as RFC 8448
    /// §6 shows, or to keep the list of trusted CAs private).
    pub fn without_request_hints(mut self) -> Self {
        self.request_hints = false;
        self
    }

    /// The chain validator.
    pub fn validator(&self) -> &CertificateValidator {
        &self.validator
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
    fn verify(&self, end_entity: &[u8], intermediates: &[&[u8]], now: Time) -> Answer {
        Answer::Now(self.validate(end_entity, intermediates, now).map(|_| ()))
    }

    /// The anchors' subject names (DER), for certificate_authorities.
    fn acceptable_issuers(&self) -> Vec<Vec<u8>> {
        match self.request_hints {
            true => self.validator.anchors().subject_names().collect(),
            false => Vec::new(),
        }
    }

    /// The certificate signatures the validator accepts, for signature_algorithms_cert.
    fn certificate_schemes(&self) -> Option<Vec<SignatureScheme>> {
        self.request_hints
            .then(|| self.validator.signature_schemes().to_vec())
    }
}
