//! The crypto provider the TLS client runs on: RustCrypto's, with the instructions of each
//! signature verification counted.
//!
//! The handshake's ratio to the crypto floor (`./run`) takes the floor's ECDSA part from
//! here: the verifications this handshake made (the CA's signature on the server's
//! certificate, the CertificateVerify), on the signatures it received. ECDSA P-256
//! verification is variable-time in its signature (a double-scalar multiplication in
//! variable time: it handles public data), and openssl s_server signs each CertificateVerify
//! with fresh randomness, so one fixed signature measured in the self-test stands for any
//! other only to about ±50,000 instructions. Everything else is delegated unchanged.
//!
//! The counts live in statics (the provider is shared by the configuration and the chain
//! validator, behind `Arc`s the firmware does not keep): [`reset`] before a handshake,
//! [`verification_ticks`] after it.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU32, Ordering};

use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::crypto::{
    Aead, AeadAlgorithm, CryptoError, CryptoProvider, HashAlgorithm, HashContext, HashOutput,
    HkdfPrk, KeyExchange, Rng, Secret, SigningKey,
};
use lucid_tls::wire::algorithms::{CipherSuite, NamedGroup, SignatureScheme};

use crate::board::counter;

/// Timer ticks spent in `verify_signature` since [`reset`].
static VERIFY_TICKS: AtomicU32 = AtomicU32::new(0);
/// Calls to `verify_signature` since [`reset`].
static VERIFICATIONS: AtomicU32 = AtomicU32::new(0);

/// Zeroes the counts.
pub fn reset() {
    VERIFY_TICKS.store(0, Ordering::Relaxed);
    VERIFICATIONS.store(0, Ordering::Relaxed);
}

/// The ticks spent verifying signatures since [`reset`], and how many were verified.
pub fn verification_ticks() -> (u32, u32) {
    (
        VERIFY_TICKS.load(Ordering::Relaxed),
        VERIFICATIONS.load(Ordering::Relaxed),
    )
}

/// RustCrypto's provider, counting its signature verifications.
pub struct MeasuredProvider;

impl CryptoProvider for MeasuredProvider {
    fn hash(&self, alg: HashAlgorithm) -> Box<dyn HashContext> {
        RustCryptoProvider.hash(alg)
    }
    fn hmac(&self, alg: HashAlgorithm, key: &[u8], data: &[&[u8]]) -> HashOutput {
        RustCryptoProvider.hmac(alg, key, data)
    }
    fn hkdf_extract(&self, alg: HashAlgorithm, salt: &[u8], ikm: &[u8]) -> Secret {
        RustCryptoProvider.hkdf_extract(alg, salt, ikm)
    }
    fn hkdf_expand(
        &self,
        alg: HashAlgorithm,
        prk: &[u8],
        info: &[&[u8]],
        out: &mut [u8],
    ) -> Result<(), CryptoError> {
        RustCryptoProvider.hkdf_expand(alg, prk, info, out)
    }
    fn hkdf_prk<'a>(
        &'a self,
        alg: HashAlgorithm,
        prk: &[u8],
    ) -> Result<Box<dyn HkdfPrk + 'a>, CryptoError> {
        RustCryptoProvider.hkdf_prk(alg, prk)
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
        RustCryptoProvider.start_key_exchange(group, rng)
    }
    fn encapsulate(
        &self,
        group: NamedGroup,
        client_share: &[u8],
        rng: &mut dyn Rng,
    ) -> Result<(Vec<u8>, Secret), CryptoError> {
        RustCryptoProvider.encapsulate(group, client_share, rng)
    }
    fn verify_signature(
        &self,
        scheme: SignatureScheme,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), CryptoError> {
        let start = counter::ticks_now();
        let verdict = RustCryptoProvider.verify_signature(scheme, public_key, message, signature);
        VERIFY_TICKS.fetch_add(counter::ticks_now().wrapping_sub(start), Ordering::Relaxed);
        VERIFICATIONS.fetch_add(1, Ordering::Relaxed);
        verdict
    }
    fn load_signing_key(&self, der: &[u8]) -> Result<Box<dyn SigningKey>, CryptoError> {
        RustCryptoProvider.load_signing_key(der)
    }
}
