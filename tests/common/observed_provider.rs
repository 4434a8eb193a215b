//! A provider for tests that watch the crypto a connection or a key schedule asks for:
//! RustCrypto's, telling an [`Observer`] about each HKDF call, key exchange completion and
//! signature verification.

use std::sync::Arc;

use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::crypto::{
    Aead, AeadAlgorithm, CryptoError, CryptoProvider, HashAlgorithm, HashContext, HashOutput,
    KeyExchange, Rng, Secret, SigningKey,
};
use lucid_tls::wire::algorithms::{CipherSuite, NamedGroup, SignatureScheme};

/// What a test wants to hear about; every method does nothing by default.
pub trait Observer: Send + Sync + 'static {
    /// HKDF-Extract(`salt`, `ikm`) gave `prk`.
    fn extracted(&self, _salt: &[u8], _ikm: &[u8], _prk: &[u8]) {}
    /// HKDF-Expand(`prk`, `info`) gave `out`.
    fn expanded(&self, _prk: &[u8], _info: &[&[u8]], _out: &[u8]) {}
    /// A key exchange was completed with the peer's share (the Diffie-Hellman, the
    /// decapsulation, or a server's encapsulation).
    fn key_exchange_completed(&self) {}
    /// A signature was verified (whether it verified or not).
    fn signature_verified(&self) {}
}

/// RustCrypto's provider, observed by `O`.
pub struct Observed<O>(pub Arc<O>);

/// A key pair whose completion is observed.
struct ObservedKeyExchange<O> {
    inner: Box<dyn KeyExchange>,
    observer: Arc<O>,
}

impl<O: Observer> KeyExchange for ObservedKeyExchange<O> {
    fn group(&self) -> NamedGroup {
        self.inner.group()
    }

    fn public_key(&self) -> &[u8] {
        self.inner.public_key()
    }

    fn complete(self: Box<Self>, peer_public_key: &[u8]) -> Result<Secret, CryptoError> {
        self.observer.key_exchange_completed();
        self.inner.complete(peer_public_key)
    }
}

impl<O: Observer> CryptoProvider for Observed<O> {
    fn hash(&self, alg: HashAlgorithm) -> Box<dyn HashContext> {
        RustCryptoProvider.hash(alg)
    }

    fn hmac(&self, alg: HashAlgorithm, key: &[u8], data: &[&[u8]]) -> HashOutput {
        RustCryptoProvider.hmac(alg, key, data)
    }

    fn hkdf_extract(&self, alg: HashAlgorithm, salt: &[u8], ikm: &[u8]) -> Secret {
        let prk = RustCryptoProvider.hkdf_extract(alg, salt, ikm);
        self.0.extracted(salt, ikm, prk.as_bytes());
        prk
    }

    fn hkdf_expand(
        &self,
        alg: HashAlgorithm,
        prk: &[u8],
        info: &[&[u8]],
        out: &mut [u8],
    ) -> Result<(), CryptoError> {
        RustCryptoProvider.hkdf_expand(alg, prk, info, out)?;
        self.0.expanded(prk, info, out);
        Ok(())
    }

    fn aead(&self, alg: AeadAlgorithm, key: &[u8]) -> Result<Box<dyn Aead>, CryptoError> {
        RustCryptoProvider.aead(alg, key)
    }

    fn groups(&self) -> &[NamedGroup] {
        RustCryptoProvider.groups()
    }

    fn cipher_suites(&self) -> &[CipherSuite] {
        RustCryptoProvider.cipher_suites()
    }

    fn signature_schemes(&self) -> &[SignatureScheme] {
        RustCryptoProvider.signature_schemes()
    }

    fn start_key_exchange(
        &self,
        group: NamedGroup,
        rng: &mut dyn Rng,
    ) -> Result<Box<dyn KeyExchange>, CryptoError> {
        let inner = RustCryptoProvider.start_key_exchange(group, rng)?;
        let observer = self.0.clone();
        Ok(Box::new(ObservedKeyExchange { inner, observer }))
    }

    fn encapsulate(
        &self,
        group: NamedGroup,
        client_share: &[u8],
        rng: &mut dyn Rng,
    ) -> Result<(Vec<u8>, Secret), CryptoError> {
        self.0.key_exchange_completed();
        RustCryptoProvider.encapsulate(group, client_share, rng)
    }

    fn verify_signature(
        &self,
        scheme: SignatureScheme,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), CryptoError> {
        self.0.signature_verified();
        RustCryptoProvider.verify_signature(scheme, public_key, message, signature)
    }

    fn load_signing_key(&self, der: &[u8]) -> Result<Box<dyn SigningKey>, CryptoError> {
        RustCryptoProvider.load_signing_key(der)
    }
}
