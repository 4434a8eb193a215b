//! Finished MACs and PSK binders: the same computation over two kinds of Base Key
//! (RFC 9846 §4.5.3, §4.3.11.2).
//!
//! ```text
//!   finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length)
//!   verify_data  = HMAC(finished_key, transcript hash)
//! ```
//!
//! For Finished, the Base Key is a handshake (or, after the handshake, application) traffic
//! secret: see [`TrafficSecret`](super::TrafficSecret). For a binder it is the `binder_key`
//! and the transcript ends with the partial ClientHello: see [`BinderKey`].

use crate::crypto::{CryptoError, CryptoProvider, HashAlgorithm, HashOutput, Secret};
use crate::error::Error;
use crate::wire::alert::AlertDescription;

use super::{SecretLabel, expand_to_secret};

/// `finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length)`.
pub(super) fn finished_key(
    provider: &dyn CryptoProvider,
    hash: HashAlgorithm,
    base_key: &Secret,
) -> Result<Secret, CryptoError> {
    expand_to_secret(provider, hash, base_key, b"finished", b"")
}

/// `HMAC(finished_key(base_key), transcript_hash)`: a Finished verify_data or a binder.
pub(super) fn mac(
    provider: &dyn CryptoProvider,
    hash: HashAlgorithm,
    base_key: &Secret,
    transcript_hash: &HashOutput,
) -> Result<HashOutput, CryptoError> {
    let key = finished_key(provider, hash, base_key)?;
    Ok(provider.hmac(hash, key.as_bytes(), &[transcript_hash.as_bytes()]))
}

/// Compares a received MAC with the expected one in constant time; a mismatch is a
/// `decrypt_error` (RFC 9846 §6.2: "a handshake (not record layer) cryptographic operation
/// failed, including being unable to correctly verify a signature or validate a Finished
/// message or a PSK binder").
pub(super) fn check(
    expected: &HashOutput,
    received: &[u8],
    reason: &'static str,
) -> Result<(), Error> {
    use subtle::ConstantTimeEq;
    // `ct_eq` on slices of different lengths is false without comparing contents.
    if bool::from(expected.as_bytes().ct_eq(received)) {
        Ok(())
    } else {
        Err(Error::PeerMisbehaved {
            alert: AlertDescription::DecryptError,
            reason,
        })
    }
}

/// Where a PSK came from, which picks the binder key's label (RFC 9846 §7.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PskKind {
    /// Provisioned outside TLS: `"ext binder"`.
    External,
    /// From a NewSessionTicket of an earlier connection: `"res binder"`.
    Resumption,
}

impl PskKind {
    /// The label of the binder key for this kind of PSK.
    pub fn label(self) -> SecretLabel {
        match self {
            Self::External => SecretLabel::ExternalBinderKey,
            Self::Resumption => SecretLabel::ResumptionBinderKey,
        }
    }
}

/// `binder_key`, the Base Key of a PSK binder (RFC 9846 §4.3.11.2: "The PskBinderEntry is
/// computed in the same way as the Finished message ... but with the BaseKey being the
/// binder_key derived via the key schedule from the corresponding PSK").
#[derive(Debug)]
pub struct BinderKey {
    kind: PskKind,
    hash: HashAlgorithm,
    secret: Secret,
}

impl BinderKey {
    pub(super) fn new(kind: PskKind, hash: HashAlgorithm, secret: Secret) -> Self {
        Self { kind, hash, secret }
    }

    /// Which kind of PSK this binds.
    pub fn kind(&self) -> PskKind {
        self.kind
    }

    /// The binder key's bytes, for trace events.
    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    /// The finished key derived from the binder key.
    pub fn finished_key(&self, provider: &dyn CryptoProvider) -> Result<Secret, CryptoError> {
        finished_key(provider, self.hash, &self.secret)
    }

    /// The binder over `partial_hello_hash`, which is `Transcript-Hash(Truncate(ClientHello1))`
    /// or, after a HelloRetryRequest, `Transcript-Hash(ClientHello1, HelloRetryRequest,
    /// Truncate(ClientHello2))` (see [`crate::transcript`]).
    pub fn binder(
        &self,
        provider: &dyn CryptoProvider,
        partial_hello_hash: &HashOutput,
    ) -> Result<HashOutput, CryptoError> {
        mac(provider, self.hash, &self.secret, partial_hello_hash)
    }

    /// Checks a received binder, in constant time.
    ///
    /// RFC 9846 §4.3.11: "Prior to accepting PSK key establishment, the server MUST validate
    /// the corresponding binder value ... If this value is not present or does not validate,
    /// the server MUST abort the handshake."
    pub fn verify_binder(
        &self,
        provider: &dyn CryptoProvider,
        partial_hello_hash: &HashOutput,
        received: &[u8],
    ) -> Result<(), Error> {
        let expected = self.binder(provider, partial_hello_hash)?;
        check(&expected, received, "PSK binder does not match")
    }
}
