//! An optional [`CryptoProvider`] on the `ring` crate: [`RingProvider`] (feature
//! `ring-provider`, off by default; `ring` never enters the default or `no_std` build).
//!
//! It exists so that lucid-tls can be measured against rustls on *equal* cryptography (the
//! benchmarks run lucid-tls on ring against rustls on ring), and for hosts that prefer
//! ring's assembly implementations. Everything a handshake needs is here:
//!
//! | primitive                                   | ring API                                  |
//! |---------------------------------------------|-------------------------------------------|
//! | SHA-256, SHA-384 transcript hash (§4.1)     | `digest::Context`                         |
//! | HMAC (§4.5.3 Finished, §4.3.11 binders)     | `hmac`                                    |
//! | HKDF-Extract (RFC 5869 §2.2)                | `hmac::sign(salt, IKM)`: the PRK must leave the function as bytes, which `hkdf::Salt::extract` does not allow |
//! | HKDF-Expand (RFC 5869 §2.3)                 | `hkdf::Prk::new_less_safe(..).expand(..)` |
//! | AES-GCM, ChaCha20-Poly1305 (§5.2)           | `aead::LessSafeKey`, in place, tag apart  |
//! | X25519, secp256r1 (§4.3.8, §7.4)            | `agreement`                               |
//! | ECDSA P-256/P-384, RSA-PSS, RSA PKCS#1, Ed25519 verification (§4.5.2) | `signature` |
//! | ECDSA P-256/P-384, RSA-PSS (rsaEncryption and id-RSASSA-PSS keys), Ed25519 signing | `signature` |
//!
//! # Not deterministic: randomness comes from ring, not from the caller
//!
//! The rest of lucid-tls draws every random byte from the caller's [`Rng`]. ring does not
//! allow that: its `SecureRandom` trait is sealed, and its ephemeral key-exchange keys can
//! only be generated, never loaded from bytes. So this provider **ignores the caller's
//! [`Rng`]** and uses `ring::rand::SystemRandom` (the operating system) for key shares,
//! ECDSA nonces and RSA-PSS salts. Connections on it cannot replay RFC 8448's traces; the
//! draw order in `docs/determinism.md` applies to the connection's own draws (randoms,
//! ticket fields) only.
//!
//! Also not here: RSA keys below 2048 bits (ring refuses them, so RFC 8448's 1024-bit
//! server certificate does not verify with this provider), the CCM suites, secp384r1 and
//! other groups for key exchange, Ed448, SHA-1 signatures.

use alloc::boxed::Box;

use ring::{digest, hkdf, hmac};

use crate::crypto::{
    Aead, AeadAlgorithm, CryptoError, CryptoProvider, HashAlgorithm, HashContext, HashOutput,
    KeyExchange, Rng, Secret, SigningKey,
};
use crate::wire::algorithms::{CipherSuite, NamedGroup, SignatureScheme};

mod aead;
mod kx;
mod sign;

/// The ring-backed crypto provider. It holds no state.
#[derive(Clone, Copy, Debug, Default)]
pub struct RingProvider;

/// The ring HMAC algorithm for a suite hash.
fn hmac_algorithm(alg: HashAlgorithm) -> hmac::Algorithm {
    match alg {
        HashAlgorithm::Sha256 => hmac::HMAC_SHA256,
        HashAlgorithm::Sha384 => hmac::HMAC_SHA384,
    }
}

impl CryptoProvider for RingProvider {
    fn hash(&self, alg: HashAlgorithm) -> Box<dyn HashContext> {
        let algorithm = match alg {
            HashAlgorithm::Sha256 => &digest::SHA256,
            HashAlgorithm::Sha384 => &digest::SHA384,
        };
        Box::new(RunningHash {
            alg,
            context: digest::Context::new(algorithm),
        })
    }

    fn hmac(&self, alg: HashAlgorithm, key: &[u8], data: &[&[u8]]) -> HashOutput {
        let key = hmac::Key::new(hmac_algorithm(alg), key);
        let mut context = hmac::Context::with_key(&key);
        for piece in data {
            context.update(piece);
        }
        HashOutput::new(context.sign().as_ref())
    }

    fn hkdf_extract(&self, alg: HashAlgorithm, salt: &[u8], ikm: &[u8]) -> Secret {
        // RFC 5869 §2.2: PRK = HMAC-Hash(salt, IKM). An empty salt is HashLen zeros, which
        // HMAC's zero-padding of short keys makes the same key.
        let key = hmac::Key::new(hmac_algorithm(alg), salt);
        Secret::new(hmac::sign(&key, ikm).as_ref())
    }

    fn hkdf_expand(
        &self,
        alg: HashAlgorithm,
        prk: &[u8],
        info: &[&[u8]],
        out: &mut [u8],
    ) -> Result<(), CryptoError> {
        // RFC 5869 §2.3: "PRK: a pseudorandom key of at least HashLen octets"; "L: length
        // of output keying material in octets (<= 255*HashLen)".
        if prk.len() < alg.output_len() {
            return Err(CryptoError::InvalidKey);
        }
        let hkdf_alg = match alg {
            HashAlgorithm::Sha256 => hkdf::HKDF_SHA256,
            HashAlgorithm::Sha384 => hkdf::HKDF_SHA384,
        };
        let prk = hkdf::Prk::new_less_safe(hkdf_alg, prk);
        let okm = prk
            .expand(info, OutputLen(out.len()))
            .map_err(|_| CryptoError::BadLength)?;
        okm.fill(out).map_err(|_| CryptoError::BadLength)
    }

    fn aead(&self, alg: AeadAlgorithm, key: &[u8]) -> Result<Box<dyn Aead>, CryptoError> {
        Ok(Box::new(aead::AeadKey::new(alg, key)?))
    }

    fn groups(&self) -> &[NamedGroup] {
        kx::GROUPS
    }

    fn cipher_suites(&self) -> &[CipherSuite] {
        aead::SUITES
    }

    fn signature_schemes(&self) -> &[SignatureScheme] {
        sign::SCHEMES
    }

    fn start_key_exchange(
        &self,
        group: NamedGroup,
        _rng: &mut dyn Rng,
    ) -> Result<Box<dyn KeyExchange>, CryptoError> {
        kx::start(group)
    }

    fn verify_signature(
        &self,
        scheme: SignatureScheme,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), CryptoError> {
        sign::verify(scheme, public_key, message, signature)
    }

    fn load_signing_key(&self, der: &[u8]) -> Result<Box<dyn SigningKey>, CryptoError> {
        sign::load(der)
    }
}

/// HKDF-Expand's `L`, in the form ring asks for it.
struct OutputLen(usize);

impl hkdf::KeyType for OutputLen {
    fn len(&self) -> usize {
        self.0
    }
}

/// The transcript hash on ring's `digest::Context`.
#[derive(Clone)]
struct RunningHash {
    alg: HashAlgorithm,
    context: digest::Context,
}

impl HashContext for RunningHash {
    fn algorithm(&self) -> HashAlgorithm {
        self.alg
    }

    fn update(&mut self, data: &[u8]) {
        self.context.update(data);
    }

    fn current(&self) -> HashOutput {
        HashOutput::new(self.context.clone().finish().as_ref())
    }

    fn fork(&self) -> Box<dyn HashContext> {
        Box::new(self.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::RustCryptoProvider;

    #[test]
    fn test_hash_hmac_hkdf_match_the_default_provider() {
        let (ring, rc) = (RingProvider, RustCryptoProvider);
        for alg in [HashAlgorithm::Sha256, HashAlgorithm::Sha384] {
            let mut a = ring.hash(alg);
            let mut b = rc.hash(alg);
            a.update(b"client hello");
            b.update(b"client hello");
            let fork = a.fork();
            a.update(b"server hello");
            b.update(b"server hello");
            assert_eq!(a.current(), b.current());
            assert_ne!(fork.current(), a.current());
            assert_eq!(
                ring.hmac(alg, b"key", &[b"a", b"bc"]),
                rc.hmac(alg, b"key", &[b"abc"])
            );
            let prk = ring.hkdf_extract(alg, b"", &[1; 32]);
            assert_eq!(
                prk.as_bytes(),
                rc.hkdf_extract(alg, b"", &[1; 32]).as_bytes()
            );
            let (mut x, mut y) = ([0u8; 44], [0u8; 44]);
            ring.hkdf_expand(alg, prk.as_bytes(), &[b"in", b"fo"], &mut x)
                .unwrap();
            rc.hkdf_expand(alg, prk.as_bytes(), &[b"info"], &mut y)
                .unwrap();
            assert_eq!(x, y);
        }
    }

    #[test]
    fn test_hkdf_expand_limits() {
        let mut too_long = alloc::vec![0u8; 255 * 32 + 1];
        assert_eq!(
            RingProvider.hkdf_expand(HashAlgorithm::Sha256, &[7; 32], &[], &mut too_long),
            Err(CryptoError::BadLength)
        );
        assert_eq!(
            RingProvider.hkdf_expand(HashAlgorithm::Sha384, &[7; 32], &[], &mut [0; 16]),
            Err(CryptoError::InvalidKey)
        );
    }
}
