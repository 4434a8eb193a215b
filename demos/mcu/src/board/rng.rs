//! A deterministic random number generator for the demo. **NOT SECURE.**
//!
//! TLS needs unpredictable randomness: the ClientHello random, and above all the ephemeral
//! private keys. QEMU's mps2-an386 has no hardware random number generator, so this demo
//! stands in a DRBG built on SHA-256 (lucid-tls's own provider), seeded from the
//! instruction counter and the build time. Under `-icount` the counter reads the same on
//! every run, so **every run draws the same "random" bytes**: anyone who has this
//! firmware can compute its private keys and decrypt its traffic.
//!
//! On a real board, implement [`Rng`] on the chip's TRNG (or seed a DRBG from it, e.g.
//! rand_chacha's ChaCha20Rng, reseeding as NIST SP 800-90A says), and never ship this type.
//!
//! The construction, for the curious: `key = HKDF-Extract("lucid-tls demo DRBG", seed)`;
//! the `n`-th `fill` outputs the blocks `SHA-256(key || "out" || n || i)`, i = 0, 1, ...,
//! and then replaces `key` with `SHA-256(key || "next" || n)`, so that an earlier output
//! cannot be recomputed from a later state. Each block costs one SHA-256 compression: the
//! stand-in adds as little as it can to the handshake's instruction count, where a real
//! board's TRNG costs a register read. (It was HKDF-Expand, three HMACs per draw.)

use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::crypto::{CryptoError, CryptoProvider, HashAlgorithm, HashOutput, Rng, Secret};

const HASH: HashAlgorithm = HashAlgorithm::Sha256;

/// SHA-256-based DRBG with a predictable seed. Demo only: see the module doc.
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

    /// `SHA-256(key || parts[0] || parts[1] || ...)`.
    fn hash(&self, parts: &[&[u8]]) -> HashOutput {
        let mut hash = RustCryptoProvider.hash(HASH);
        hash.update(self.key.as_bytes());
        for part in parts {
            hash.update(part);
        }
        hash.current()
    }
}

impl Rng for InsecureDemoRng {
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), CryptoError> {
        let n = self.draws.to_be_bytes();
        for (i, chunk) in dest.chunks_mut(32).enumerate() {
            let i = u32::try_from(i).map_err(|_| CryptoError::RngFailure)?;
            let block = self.hash(&[b"out", &n, &i.to_be_bytes()]);
            chunk.copy_from_slice(&block.as_bytes()[..chunk.len()]);
        }
        self.key = Secret::new(self.hash(&[b"next", &n]).as_bytes());
        self.draws += 1;
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
