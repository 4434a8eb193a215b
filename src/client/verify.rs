//! Deciding whether to trust the server's certificate chain: the [`ServerCertVerifier`]
//! trait, and the simple verifiers beside the full one.
//!
//! - [`crate::x509::WebPkiServerVerifier`] (in `src/x509/`): full X.509 path validation to
//!   caller-supplied trust anchors: signatures on every link, validity at the connection's
//!   time, basicConstraints, keyUsage, extendedKeyUsage, name constraints, the server name
//!   (RFC 9525) and CRLs. This is the verifier to use; `docs/certificates.md` lists exactly
//!   what it checks and what it does not.
//! - [`PinnedCertificates`]: accept exactly these end-entity certificates, byte for byte.
//!   Useful for tests and for devices that talk to one known server.
//! - [`danger::AcceptAnyServerCert`]: accept anything. Only for experiments: with it, a
//!   connection has no server authentication at all.
//!
//! A verifier may also answer later ([`ServerCertVerifier::defers`]): the connection then
//! pauses with `Event::VerifyRequest` (see [`crate::connection::deferred`]).
//!
//! Whatever the verifier, the CertificateVerify signature is always checked against the
//! end-entity certificate's key (RFC 9846 §4.5.2), so the server must hold that
//! certificate's private key.

use alloc::vec::Vec;

use crate::error::Error;
use crate::time::Time;
use crate::wire::alert::AlertDescription;

/// Decides whether a server certificate chain is acceptable.
pub trait ServerCertVerifier: Send + Sync {
    /// Checks `end_entity` (DER) with its `intermediates`, for `server_name` (the SNI we
    /// sent, if any), at time `now`. Errors should name the alert RFC 9846 §6.2 gives
    /// (bad_certificate, unknown_ca, certificate_expired, ...).
    fn verify(
        &self,
        end_entity: &[u8],
        intermediates: &[&[u8]],
        server_name: Option<&str>,
        now: Time,
    ) -> Result<(), Error>;

    /// True if this verifier answers later: the connection then does not call
    /// [`ServerCertVerifier::verify`] but pauses with `Event::VerifyRequest`, and the
    /// caller answers with `Connection::answer_verification` (see
    /// [`crate::connection::deferred`]). False (answer at once) by default.
    fn defers(&self) -> bool {
        false
    }
}

/// Accepts exactly the listed end-entity certificates (compared as DER bytes).
#[derive(Clone, Debug, Default)]
pub struct PinnedCertificates {
    certificates: Vec<Vec<u8>>,
}

impl PinnedCertificates {
    /// Pins `certificates` (DER).
    pub fn new(certificates: Vec<Vec<u8>>) -> Self {
        Self { certificates }
    }
}

impl ServerCertVerifier for PinnedCertificates {
    fn verify(
        &self,
        end_entity: &[u8],
        _intermediates: &[&[u8]],
        _server_name: Option<&str>,
        _now: Time,
    ) -> Result<(), Error> {
        if self.certificates.iter().any(|c| c.as_slice() == end_entity) {
            Ok(())
        } else {
            // RFC 9846 §6.2: certificate_unknown: "Some other (unspecified) issue arose in
            // processing the certificate, rendering it unacceptable."
            Err(Error::Incompatible {
                alert: AlertDescription::CertificateUnknown,
                reason: "server certificate is not one of the pinned certificates",
            })
        }
    }
}

/// Verifiers that switch security off, in a module whose name says so.
pub mod danger {
    use super::*;

    /// Accepts every certificate: NO SERVER AUTHENTICATION. Anyone on the path can
    /// impersonate the server. For experiments and tests only.
    #[derive(Clone, Copy, Debug, Default)]
    pub struct AcceptAnyServerCert;

    impl ServerCertVerifier for AcceptAnyServerCert {
        fn verify(
            &self,
            _end_entity: &[u8],
            _intermediates: &[&[u8]],
            _server_name: Option<&str>,
            _now: Time,
        ) -> Result<(), Error> {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn test_pinned_certificates() {
        let pinned = PinnedCertificates::new(vec![vec![1, 2, 3]]);
        let now = Time::from_unix_secs(0);
        assert!(pinned.verify(&[1, 2, 3], &[], None, now).is_ok());
        let err = pinned
            .verify(&[1, 2], &[], Some("server"), now)
            .unwrap_err();
        assert_eq!(err.alert(), Some(AlertDescription::CertificateUnknown));
        assert!(
            danger::AcceptAnyServerCert
                .verify(&[9], &[], None, now)
                .is_ok()
        );
    }
}
