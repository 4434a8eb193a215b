//! A deterministic random number generator for the demo. **NOT SECURE.**
//!
//! TLS needs unpredictable randomness: the ClientHello random, and above all the ephemeral
//! private keys. QEMU's mps2-an386 has no hardware random number generator, so this demo
//! stands in a DRBG built on HKDF-SHA-256 (lucid-tls's own provider), seeded from the
//! instruction counter and the build time. Under `-icount` the counter reads the same on
//! every run, so **every run draws the same "random" bytes**: anyone who has this
//! firmware can compute its private keys and decrypt its traffic.
//!
//! On a real board, implement [`Rng`] on the chip's TRNG (or seed a DRBG from it, e.g.
//! rand_chacha's ChaCha20Rng, reseeding as NIST SP 800-90A says), and never ship this type.
//!
//! The construction, for the curious: `key = HKDF-Extract("lucid-tls demo DRBG", seed)`;
//! each `fill` outputs `HKDF-Expand(key, "out" || n, len)` and then replaces `key` with
//! `HKDF-Expand(key, "next" || n, 32)`, so that an earlier output cannot be recomputed
//! from a later state.

use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::crypto::{CryptoError, CryptoProvider, HashAlgorithm, Rng, Secret};

const HASH: HashAlgorithm = HashAlgorithm::Sha256;
/// HKDF-Expand's largest output: 255 hash lengths (RFC 5869 §2.3).
const MAX_EXPAND: usize = 255 * 32;

/// HKDF-based DRBG with a predictable seed. Demo only: see the module doc.
pub struct InsecureDemoRng {
    key: Secret,
    draws: u64,
}

impl InsecureDemoRng {
    /// Seeds the generator from whatever the board can offer: here the instruction counter
    /// and the build time, which are predictable.
    pub fn from_predictable_seed(seed: &[u8]) -> Self {
        let key = RustCryptoProvider.hkdf_extract(HASH, b"lucid-tls demo DRBG", seed);
        Self { key, draws: 0 }
    }
}

impl Rng for InsecureDemoRng {
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), CryptoError> {
        let provider = RustCryptoProvider;
        for chunk in dest.chunks_mut(MAX_EXPAND) {
            let n = self.draws.to_be_bytes();
            // The key's HMAC is keyed once for both expansions.
            let key = provider.hkdf_prk(HASH, self.key.as_bytes())?;
            key.expand(&[b"out", &n], chunk)?;
            let mut next = [0u8; 32];
            key.expand(&[b"next", &n], &mut next)?;
            drop(key);
            self.key = Secret::new(&next);
            next.fill(0);
            self.draws += 1;
        }
        Ok(())
    }
}

/// An [`Rng`] that hands out fixed bytes: the known-answer tests give the library the
/// private keys that RFC 8448 and OpenSSL used, through the same path a real RNG takes.
#[cfg(not(feature = "client-only"))]
pub struct Replay<'a>(pub &'a [u8]);

#[cfg(not(feature = "client-only"))]
impl Rng for Replay<'_> {
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), CryptoError> {
        let (head, rest) = self
            .0
            .split_at_checked(dest.len())
            .ok_or(CryptoError::RngFailure)?;
        dest.copy_from_slice(head);
        self.0 = rest;
        Ok(())
    }
}
