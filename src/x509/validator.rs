//! Certificate path validation: from the certificates a peer sent to one of the caller's
//! trust anchors, at the caller's time, for a purpose (serverAuth or clientAuth).
//!
//! [`CertificateValidator::validate`] is the one validation path of the crate, used by the
//! server-certificate verifier and the client-certificate verifier alike, with or without
//! `std`. It hands the work to rustls-webpki, with three additions of ours: signatures are
//! checked by our [`CryptoProvider`] (see [`super::signatures`]), keyUsage is checked (see
//! [`super::key_usage`]), and every failure is mapped to its alert (see [`super::alerts`]).
//!
//! Path building (what rustls-webpki does): starting from the end-entity certificate, it
//! looks for an issuer whose subject equals the certificate's issuer name, first among the
//! trust anchors and then among the certificates the peer sent, in any order and ignoring
//! any that do not fit; it backtracks when a candidate fails, so extra, unrelated or
//! out-of-order certificates do no harm. It gives up after 6 intermediates
//! (`MaximumPathDepthExceeded` → unknown_ca), 100 signature checks or 200,000 path-building
//! steps (→ certificate_unknown), whichever comes first. A certificate repeating a subject
//! and key already on the path is skipped (no loops).

use alloc::sync::Arc;
use alloc::vec::Vec;
use core::cell::Cell;
use core::sync::atomic::{AtomicBool, Ordering};
use core::time::Duration;

use rustls_pki_types::{CertificateDer, SignatureVerificationAlgorithm, UnixTime};

use super::alerts;
use super::anchors::TrustAnchors;
use super::key_usage::{self, KeyUsageProblem};
use super::revocation::Revocation;
use super::signatures::{self, CertificateSignatureAlgorithm};
use crate::crypto::CryptoProvider;
use crate::error::Error;
use crate::time::Time;
use crate::wire::alert::AlertDescription;
use crate::wire::algorithms::SignatureScheme;

/// What the end-entity certificate must be good for: the extendedKeyUsage purpose (RFC 5280
/// §4.2.1.12) required, if the certificate has the extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// id-kp-serverAuth (1.3.6.1.5.5.7.3.1): a TLS server's certificate.
    ServerAuth,
    /// id-kp-clientAuth (1.3.6.1.5.5.7.3.2): a TLS client's certificate.
    ClientAuth,
}

/// A path that validated: the end-entity certificate, the intermediates used (in order,
/// each issuing the one before), and the trust anchor they chain to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidatedPath {
    /// The end-entity certificate (DER).
    pub end_entity: Vec<u8>,
    /// The intermediates on the path, from the end entity's issuer up (DER). Certificates
    /// the peer sent but the path did not need are not here.
    pub intermediates: Vec<Vec<u8>>,
    /// The subject of the trust anchor that ends the path (DER `Name` contents, without the
    /// SEQUENCE header).
    pub anchor_subject: Vec<u8>,
}

/// Validates certificate chains against trust anchors, with revocation if configured.
pub struct CertificateValidator {
    provider: Arc<dyn CryptoProvider>,
    anchors: TrustAnchors,
    revocation: Option<Revocation>,
    signature_schemes: Vec<SignatureScheme>,
    min_rsa_bits: usize,
}

impl core::fmt::Debug for CertificateValidator {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CertificateValidator")
            .field("anchors", &self.anchors.len())
            .field("crls", &self.revocation.as_ref().map(Revocation::len))
            .field("signature_schemes", &self.signature_schemes)
            .field("min_rsa_bits", &self.min_rsa_bits)
            .finish()
    }
}

impl CertificateValidator {
    /// A validator trusting `anchors`, checking signatures with `provider`: every
    /// certificate signature algorithm of [`super::signatures`] that the provider computes
    /// accepted (a signature outside them is unsupported, not wrong), RSA keys of at
    /// least [`signatures::DEFAULT_MIN_RSA_BITS`], no revocation checking.
    pub fn new(provider: Arc<dyn CryptoProvider>, anchors: TrustAnchors) -> Self {
        let computable = provider.signature_schemes();
        let signature_schemes = signatures::certificate_schemes()
            .filter(|s| computable.contains(s))
            .collect();
        Self {
            provider,
            anchors,
            revocation: None,
            signature_schemes,
            min_rsa_bits: signatures::DEFAULT_MIN_RSA_BITS,
        }
    }

    /// Checks revocation with these CRLs and policy.
    pub fn with_revocation(mut self, revocation: Revocation) -> Self {
        self.revocation = Some(revocation);
        self
    }

    /// Accepts only certificate signatures made with `schemes` (for example what a client
    /// advertises in signature_algorithms_cert, RFC 9846 §4.3.3). Schemes this module cannot
    /// check in certificates, or the provider cannot compute, are dropped.
    pub fn with_signature_schemes(mut self, schemes: &[SignatureScheme]) -> Self {
        let computable = self.provider.signature_schemes();
        self.signature_schemes = signatures::certificate_schemes()
            .filter(|s| schemes.contains(s) && computable.contains(s))
            .collect();
        self
    }

    /// Refuses RSA keys (of issuers) shorter than `bits`. RFC 8448's 1024-bit certificates
    /// need 1024; the default is [`signatures::DEFAULT_MIN_RSA_BITS`].
    pub fn with_min_rsa_bits(mut self, bits: usize) -> Self {
        self.min_rsa_bits = bits;
        self
    }

    /// The certificate signature schemes accepted, in preference order.
    pub fn signature_schemes(&self) -> &[SignatureScheme] {
        &self.signature_schemes
    }

    /// The trust anchors.
    pub fn anchors(&self) -> &TrustAnchors {
        &self.anchors
    }

    /// The crypto provider that checks signatures.
    pub fn provider(&self) -> &Arc<dyn CryptoProvider> {
        &self.provider
    }

    /// Validates `end_entity` (DER) with the peer's other certificates `intermediates`, for
    /// `purpose`, at `now`. Names are not checked here (see [`super::names`]).
    pub fn validate(
        &self,
        end_entity: &[u8],
        intermediates: &[&[u8]],
        purpose: Purpose,
        now: Time,
    ) -> Result<ValidatedPath, Error> {
        let end_entity_der = CertificateDer::from(end_entity);
        let end_entity_cert =
            webpki::EndEntityCert::try_from(&end_entity_der).map_err(|e| alerts::to_error(&e))?;
        key_usage::check_end_entity(end_entity).map_err(key_usage_error)?;

        let revocation_crls = self.revocation.as_ref().map(Revocation::crl_refs);
        let revocation = match (&self.revocation, &revocation_crls) {
            (Some(r), _) if r.refuses_everything() => {
                return Err(alerts::to_error(&webpki::Error::UnknownRevocationStatus));
            }
            (Some(r), Some(crls)) => r.webpki_options(crls),
            _ => None,
        };

        let short_rsa_key_seen = AtomicBool::new(false);
        let algorithms = CertificateSignatureAlgorithm::for_schemes(
            &*self.provider,
            &self.signature_schemes,
            self.min_rsa_bits,
            &short_rsa_key_seen,
        );
        let algorithms: Vec<&dyn SignatureVerificationAlgorithm> = algorithms
            .iter()
            .map(|a| a as &dyn SignatureVerificationAlgorithm)
            .collect();
        let intermediates: Vec<CertificateDer<'_>> = intermediates
            .iter()
            .map(|c| CertificateDer::from(*c))
            .collect();
        let time = UnixTime::since_unix_epoch(Duration::from_secs(now.as_unix_secs()));
        let usage = match purpose {
            Purpose::ServerAuth => webpki::KeyUsage::server_auth(),
            Purpose::ClientAuth => webpki::KeyUsage::client_auth(),
        };

        // webpki calls this for each path it has fully verified; refusing one makes it try
        // the next. keyUsage problems are remembered to report them precisely.
        let key_usage_problem = Cell::new(None);
        let check_issuers_key_usage = |path: &webpki::VerifiedPath<'_>| {
            for issuer in path.intermediate_certificates() {
                if let Err(problem) = key_usage::check_issuer(issuer.der().as_ref()) {
                    key_usage_problem.set(Some(problem));
                    return Err(webpki::Error::ExtensionValueInvalid);
                }
            }
            Ok(())
        };

        let result = end_entity_cert.verify_for_usage(
            &algorithms,
            self.anchors.as_webpki(),
            &intermediates,
            time,
            usage,
            revocation,
            Some(&check_issuers_key_usage),
        );
        match result {
            Ok(path) => Ok(ValidatedPath {
                end_entity: end_entity.to_vec(),
                intermediates: path
                    .intermediate_certificates()
                    .map(|c| c.der().as_ref().to_vec())
                    .collect(),
                anchor_subject: path.anchor().subject.as_ref().to_vec(),
            }),
            Err(e) => Err(failure(
                e,
                key_usage_problem.get(),
                short_rsa_key_seen.load(Ordering::Relaxed),
            )),
        }
    }
}

/// The error for a failed validation, given what the checks of ours saw on the way.
fn failure(error: webpki::Error, key_usage: Option<KeyUsageProblem>, short_rsa_key: bool) -> Error {
    match (error, key_usage) {
        // Our keyUsage check refused the path (and no more specific failure came up).
        (webpki::Error::ExtensionValueInvalid, Some(problem)) => key_usage_error(problem),
        // Our adapter refused a short RSA key, which webpki can only see as a bad signature.
        (webpki::Error::InvalidSignatureForPublicKey, _) if short_rsa_key => Error::Incompatible {
            alert: AlertDescription::UnsupportedCertificate,
            reason: "an issuer's RSA key is shorter than the configured minimum",
        },
        (error, _) => alerts::to_error(&error),
    }
}

/// The error for a keyUsage problem: a certificate not meant for this use is
/// unsupported_certificate (like a wrong extendedKeyUsage); a CA that may not sign
/// certificates breaks the chain (bad_certificate, like cA=false).
fn key_usage_error(problem: KeyUsageProblem) -> Error {
    match problem {
        KeyUsageProblem::EndEntityCannotSign => Error::Incompatible {
            alert: AlertDescription::UnsupportedCertificate,
            reason: problem.reason(),
        },
        KeyUsageProblem::IssuerCannotSignCertificates | KeyUsageProblem::Malformed => {
            Error::PeerMisbehaved {
                alert: AlertDescription::BadCertificate,
                reason: problem.reason(),
            }
        }
    }
}
