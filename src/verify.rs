//! Deciding whether to trust the peer's certificate chain, for both roles: the
//! [`ServerCertVerifier`] a client uses and the [`ClientCertVerifier`] a server uses
//! (mutual TLS), with the same shape.
//!
//! Each verifier gets the peer's end-entity certificate, the other certificates it sent and
//! the connection's [`Time`], and gives an [`Answer`]: a verdict now, or
//! [`Answer::Later`], which pauses the connection with `Event::VerifyRequest` until the
//! caller calls `Connection::answer_verification` (see [`crate::connection::deferred`]).
//! Each also gives hints that go into the handshake so that the peer can pick a chain the
//! verifier will take: the certificate signature schemes it accepts
//! (signature_algorithms_cert, RFC 9846 §4.3.3), and, for client certificates, the names
//! of the CAs it trusts (certificate_authorities, RFC 9846 §4.3.4).
//!
//! Whatever the verifier, the CertificateVerify signature is always checked by the engine
//! against the end-entity certificate's key (RFC 9846 §4.5.2).
//!
//! Raw public keys (RFC 7250): when the RawPublicKey certificate type is negotiated, the
//! peer sends a DER SubjectPublicKeyInfo instead of a chain, and the verifier's
//! `verify_raw_public_key` decides on it, with the same [`Answer`]s (a deferred one
//! reaches the caller as `Event::VerifyRequest` whose `end_entity` is the SPKI and whose
//! `intermediates` are empty). Verifiers refuse raw keys by default (unsupported_certificate);
//! [`PinnedPublicKeys`] takes the keys it pins, in both roles.
//!
//! Implementations: `x509::WebPkiServerVerifier` and
//! `x509::WebPkiClientVerifier` (full path validation, feature `x509`), the simple
//! ones here ([`PinnedCertificates`], [`PinnedPublicKeys`], [`danger::AcceptAnyServerCert`]). This module is below
//! `connection`, `client` and `server`, and imports none of them.

use alloc::vec::Vec;

use crate::error::Error;
use crate::time::Time;
use crate::wire::alert::AlertDescription;
use crate::wire::algorithms::SignatureScheme;
use crate::x509::certificate_fields::CertificateFields;

/// A verifier's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// The verdict, now: `Ok` accepts the chain, `Err` rejects it and names the alert
    /// (RFC 9846 §6.2: bad_certificate, unknown_ca, certificate_expired, ...).
    Now(Result<(), Error>),
    /// The verdict comes later: the connection pauses with `Event::VerifyRequest`, and the
    /// caller answers with `Connection::answer_verification`.
    Later,
}

impl From<Result<(), Error>> for Answer {
    fn from(verdict: Result<(), Error>) -> Self {
        Self::Now(verdict)
    }
}

/// Names one deferred decision of one connection (numbered from 1, per connection): the
/// id an `Event::VerifyRequest` or `Event::SignRequest` carries, and its answer names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RequestId(pub u64);

/// The kind of decision a paused connection waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestKind {
    /// A verdict on the peer's certificate chain.
    Verification,
    /// A CertificateVerify signature.
    Signature,
}

/// Decides whether a server's certificate chain is acceptable (the client's side).
pub trait ServerCertVerifier: Send + Sync {
    /// Checks `end_entity` (DER) with its `intermediates`, for `server_name` (the name the
    /// client connects to, if any), at time `now`.
    fn verify(
        &self,
        end_entity: &[u8],
        intermediates: &[&[u8]],
        server_name: Option<&str>,
        now: Time,
    ) -> Answer;

    /// The signature schemes accepted in certificates, advertised in
    /// signature_algorithms_cert (RFC 9846 §4.3.3) when `Some` and different from
    /// signature_algorithms. `None` by default: no separate list.
    fn certificate_schemes(&self) -> Option<Vec<SignatureScheme>> {
        None
    }

    /// Checks the server's raw public key `spki` (DER SubjectPublicKeyInfo, RFC 7250 §3),
    /// sent when the client offered RawPublicKey in server_certificate_type and the server
    /// chose it, for `server_name` at time `now`. Refuses by default.
    fn verify_raw_public_key(&self, spki: &[u8], server_name: Option<&str>, now: Time) -> Answer {
        let _ = (spki, server_name, now);
        Answer::Now(Err(raw_public_keys_not_accepted()))
    }

    /// True if this verifier cannot decide without a server name: a connection made
    /// without one is then refused when it is made (with [`Error::Misuse`]), not a round
    /// trip later. False by default.
    fn requires_server_name(&self) -> bool {
        false
    }
}

/// Decides whether a client's certificate chain is acceptable (the server's side, mutual
/// TLS). Whether a client may send no certificate at all is the server configuration's
/// choice, not the verifier's.
pub trait ClientCertVerifier: Send + Sync {
    /// Checks `end_entity` (DER) with its `intermediates` at time `now`.
    fn verify(&self, end_entity: &[u8], intermediates: &[&[u8]], now: Time) -> Answer;

    /// Checks the client's raw public key `spki` (DER SubjectPublicKeyInfo, RFC 7250 §3) at
    /// time `now`, sent when the server chose RawPublicKey in client_certificate_type.
    /// Refuses by default.
    fn verify_raw_public_key(&self, spki: &[u8], now: Time) -> Answer {
        let _ = (spki, now);
        Answer::Now(Err(raw_public_keys_not_accepted()))
    }

    /// The signature schemes accepted in certificates, sent in the CertificateRequest's
    /// signature_algorithms_cert (RFC 9846 §4.3.3) when `Some`.
    fn certificate_schemes(&self) -> Option<Vec<SignatureScheme>> {
        None
    }

    /// The DER names of the CAs this verifier trusts, sent in the CertificateRequest's
    /// certificate_authorities (RFC 9846 §4.3.4) when not empty.
    fn acceptable_issuers(&self) -> Vec<Vec<u8>> {
        Vec::new()
    }
}

/// Accepts exactly the listed end-entity certificates (compared as DER bytes): for tests,
/// and for devices that talk to one known peer. Works in both roles.
#[derive(Clone, Debug, Default)]
pub struct PinnedCertificates {
    certificates: Vec<Vec<u8>>,
}

impl PinnedCertificates {
    /// Pins `certificates` (DER).
    pub fn new(certificates: Vec<Vec<u8>>) -> Self {
        Self { certificates }
    }

    fn check(&self, end_entity: &[u8]) -> Answer {
        if self.certificates.iter().any(|c| c.as_slice() == end_entity) {
            Answer::Now(Ok(()))
        } else {
            // RFC 9846 §6.2: certificate_unknown: "Some other (unspecified) issue arose in
            // processing the certificate, rendering it unacceptable."
            Answer::Now(Err(Error::CertificateRejected {
                alert: AlertDescription::CertificateUnknown,
                reason: "peer certificate is not one of the pinned certificates",
            }))
        }
    }
}

impl ServerCertVerifier for PinnedCertificates {
    fn verify(
        &self,
        end_entity: &[u8],
        _intermediates: &[&[u8]],
        _server_name: Option<&str>,
        _now: Time,
    ) -> Answer {
        self.check(end_entity)
    }
}

impl ClientCertVerifier for PinnedCertificates {
    fn verify(&self, end_entity: &[u8], _intermediates: &[&[u8]], _now: Time) -> Answer {
        self.check(end_entity)
    }
}

/// The default answer to a raw public key: RFC 9846 §6.2: unsupported_certificate: "A
/// certificate was of an unsupported type."
fn raw_public_keys_not_accepted() -> Error {
    Error::CertificateRejected {
        alert: AlertDescription::UnsupportedCertificate,
        reason: "this verifier does not take raw public keys",
    }
}

/// Accepts exactly the listed public keys (DER SubjectPublicKeyInfo, compared byte for
/// byte): as a raw public key (RFC 7250), or as the key of an X.509 end-entity certificate
/// (whose other contents are then not checked). Works in both roles: a client that pins its
/// server's key, a server that pins its clients' keys.
///
/// A key that is not pinned is refused with certificate_unknown, as
/// [`PinnedCertificates`] refuses a certificate: RFC 9846 §6.2 has no alert for "not the
/// key I expected", and the key itself is not corrupt (bad_certificate) nor of an
/// unsupported type.
#[derive(Clone, Debug, Default)]
pub struct PinnedPublicKeys {
    keys: Vec<Vec<u8>>,
}

impl PinnedPublicKeys {
    /// Pins `keys` (DER SubjectPublicKeyInfo).
    pub fn new(keys: Vec<Vec<u8>>) -> Self {
        Self { keys }
    }

    /// The pinned keys.
    pub fn keys(&self) -> &[Vec<u8>] {
        &self.keys
    }

    fn check_key(&self, spki: &[u8]) -> Answer {
        if self.keys.iter().any(|k| k.as_slice() == spki) {
            Answer::Now(Ok(()))
        } else {
            // RFC 9846 §6.2: certificate_unknown: "Some other (unspecified) issue arose in
            // processing the certificate, rendering it unacceptable."
            Answer::Now(Err(Error::CertificateRejected {
                alert: AlertDescription::CertificateUnknown,
                reason: "peer public key is not one of the pinned keys",
            }))
        }
    }

    fn check_certificate(&self, end_entity: &[u8]) -> Answer {
        use x509_cert::der::Encode;
        // Only the SubjectPublicKeyInfo is read (not the whole certificate).
        let spki = CertificateFields::parse(end_entity)
            .ok()
            .and_then(|fields| fields.subject_public_key_info.to_der().ok());
        match spki {
            Some(spki) => self.check_key(&spki),
            // RFC 9846 §6.2: bad_certificate: "A certificate was corrupt".
            None => Answer::Now(Err(Error::CertificateRejected {
                alert: AlertDescription::BadCertificate,
                reason: "end-entity certificate does not parse",
            })),
        }
    }
}

impl ServerCertVerifier for PinnedPublicKeys {
    fn verify(
        &self,
        end_entity: &[u8],
        _intermediates: &[&[u8]],
        _server_name: Option<&str>,
        _now: Time,
    ) -> Answer {
        self.check_certificate(end_entity)
    }

    fn verify_raw_public_key(&self, spki: &[u8], _server_name: Option<&str>, _now: Time) -> Answer {
        self.check_key(spki)
    }
}

impl ClientCertVerifier for PinnedPublicKeys {
    fn verify(&self, end_entity: &[u8], _intermediates: &[&[u8]], _now: Time) -> Answer {
        self.check_certificate(end_entity)
    }

    fn verify_raw_public_key(&self, spki: &[u8], _now: Time) -> Answer {
        self.check_key(spki)
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
        ) -> Answer {
            Answer::Now(Ok(()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn test_pinned_certificates_in_both_roles() {
        let pinned = PinnedCertificates::new(vec![vec![1, 2, 3]]);
        let now = Time::from_unix_secs(0);
        let server = |ee: &[u8]| ServerCertVerifier::verify(&pinned, ee, &[], Some("s"), now);
        let client = |ee: &[u8]| ClientCertVerifier::verify(&pinned, ee, &[], now);
        assert_eq!(server(&[1, 2, 3]), Answer::Now(Ok(())));
        assert_eq!(client(&[1, 2, 3]), Answer::Now(Ok(())));
        for answer in [server(&[1, 2]), client(&[1, 2])] {
            let Answer::Now(Err(err)) = answer else {
                panic!("accepted an unpinned certificate");
            };
            assert_eq!(err.alert(), Some(AlertDescription::CertificateUnknown));
        }
        assert_eq!(
            danger::AcceptAnyServerCert.verify(&[9], &[], None, now),
            Answer::Now(Ok(()))
        );
        // Raw public keys are refused unless a verifier says otherwise.
        let Answer::Now(Err(err)) =
            ServerCertVerifier::verify_raw_public_key(&pinned, &[1, 2, 3], None, now)
        else {
            panic!("a certificate pin accepted a raw public key");
        };
        assert_eq!(err.alert(), Some(AlertDescription::UnsupportedCertificate));
    }

    #[test]
    fn test_pinned_public_keys_in_both_roles() {
        let pinned = PinnedPublicKeys::new(vec![vec![0x30, 0x01, 0x00]]);
        let now = Time::from_unix_secs(0);
        let server = |k: &[u8]| ServerCertVerifier::verify_raw_public_key(&pinned, k, None, now);
        let client = |k: &[u8]| ClientCertVerifier::verify_raw_public_key(&pinned, k, now);
        assert_eq!(server(&[0x30, 0x01, 0x00]), Answer::Now(Ok(())));
        assert_eq!(client(&[0x30, 0x01, 0x00]), Answer::Now(Ok(())));
        for answer in [server(&[0x30, 0x00]), client(&[0x30, 0x00])] {
            let Answer::Now(Err(err)) = answer else {
                panic!("accepted an unpinned key");
            };
            assert_eq!(err.alert(), Some(AlertDescription::CertificateUnknown));
        }
        // A certificate that does not parse is corrupt.
        let Answer::Now(Err(err)) = ClientCertVerifier::verify(&pinned, &[1], &[], now) else {
            panic!("accepted garbage as a certificate");
        };
        assert_eq!(err.alert(), Some(AlertDescription::BadCertificate));
    }
}
