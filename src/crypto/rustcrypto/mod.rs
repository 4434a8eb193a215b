//! The default [`CryptoProvider`]: [`RustCryptoProvider`], built on the RustCrypto crates
//! (and the dalek crates for Curve25519). Everything here is `no_std`, and every random byte
//! comes from the caller's [`Rng`]: no crate is allowed to reach for the OS RNG.
//!
//! What each primitive is for in TLS 1.3 (RFC 9846), and where it lives:
//!
//! | primitive                                   | used for                               | module   |
//! |---------------------------------------------|----------------------------------------|----------|
//! | SHA-256, SHA-384                            | transcript hash (§4.1)                 | `hash`   |
//! | HMAC                                        | Finished (§4.5.3), PSK binders (§4.3.11) | `hash` |
//! | HKDF-Extract / HKDF-Expand (RFC 5869)       | the key schedule (§7.1, §7.3)          | `hash`   |
//! | AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305 | record protection (§5.2)               | `aead`   |
//! | X25519, secp256r1 ECDH                      | key shares (§4.3.8), shared secret (§7.4) | `kx`  |
//! | ECDSA, RSA-PSS, RSA PKCS#1 v1.5, Ed25519    | CertificateVerify (§4.5.2), certificate signatures (§4.5.1.2) | `verify`, `sign` |
//!
//! Not supported: the CCM suites, secp384r1/secp521r1/X448 and the finite-field groups for
//! key exchange, ECDSA P-521, Ed448, SHA-1 signatures, and signing with RSA PKCS#1 v1.5
//! (TLS 1.3 never signs with it: §4.3.3). Asking for any of them gives
//! [`CryptoError::Unsupported`].
//!
//! # Randomness, and replaying RFC 8448
//!
//! Key shares draw their private key from the caller's [`Rng`] as raw bytes (32 for X25519,
//! 32 per attempt for secp256r1), and RSA-PSS signing draws its salt first (exactly the
//! hash length), then RSA blinding. A test [`Rng`] that returns RFC 8448's private keys and
//! salts therefore reproduces the RFC's key shares and CertificateVerify signatures byte for
//! byte. ECDSA signing is deterministic (RFC 6979) and draws nothing.
//!
//! # Side channels
//!
//! RustCrypto's `rsa` 0.10 replaced its big-integer backend with the constant-time
//! `crypto-bigint`, which is the fix for RUSTSEC-2023-0071 (the "Marvin" timing attack on
//! RSA decryption and signing); its README now describes the attack as affecting earlier
//! versions. This provider only signs with RSA-PSS (blinded, with blinding randomness from
//! the caller's [`Rng`]) and never decrypts, which is the operation Marvin targets.

use alloc::boxed::Box;

use crate::crypto::{
    Aead, AeadAlgorithm, CryptoError, CryptoProvider, HashAlgorithm, HashContext, HashOutput,
    KeyExchange, Rng, Secret, SigningKey,
};
use crate::wire::algorithms::{NamedGroup, SignatureScheme};

mod aead;
mod hash;
mod kx;

/// The default crypto provider, on RustCrypto crates. It holds no state.
#[derive(Clone, Copy, Debug, Default)]
pub struct RustCryptoProvider;

impl CryptoProvider for RustCryptoProvider {
    fn hash(&self, alg: HashAlgorithm) -> Box<dyn HashContext> {
        Box::new(hash::RunningHash::new(alg))
    }

    fn hmac(&self, alg: HashAlgorithm, key: &[u8], data: &[&[u8]]) -> HashOutput {
        hash::hmac(alg, key, data)
    }

    fn hkdf_extract(&self, alg: HashAlgorithm, salt: &[u8], ikm: &[u8]) -> Secret {
        hash::hkdf_extract(alg, salt, ikm)
    }

    fn hkdf_expand(
        &self,
        alg: HashAlgorithm,
        prk: &[u8],
        info: &[&[u8]],
        out: &mut [u8],
    ) -> Result<(), CryptoError> {
        hash::hkdf_expand(alg, prk, info, out)
    }

    fn aead(&self, alg: AeadAlgorithm, key: &[u8]) -> Result<Box<dyn Aead>, CryptoError> {
        Ok(Box::new(aead::AeadKey::new(alg, key)?))
    }

    fn groups(&self) -> &[NamedGroup] {
        kx::GROUPS
    }

    fn start_key_exchange(
        &self,
        group: NamedGroup,
        rng: &mut dyn Rng,
    ) -> Result<Box<dyn KeyExchange>, CryptoError> {
        kx::start(group, rng)
    }

    fn verify_signature(
        &self,
        _scheme: SignatureScheme,
        _public_key: &[u8],
        _message: &[u8],
        _signature: &[u8],
    ) -> Result<(), CryptoError> {
        Err(CryptoError::Unsupported)
    }

    fn load_signing_key(&self, _der: &[u8]) -> Result<Box<dyn SigningKey>, CryptoError> {
        Err(CryptoError::Unsupported)
    }
}
