//! Cross-checks the default provider, `RustCryptoProvider`, against `ring` on the same
//! inputs: two independent implementations must agree byte for byte (hash, HMAC, HKDF,
//! AEAD), interoperate (key exchange, signatures made by one and checked by the other), and
//! both refuse tampered input.
//!
//! | file | primitive family |
//! | --- | --- |
//! | `crypto_vs_ring/hashes.rs` | hash, HMAC, HKDF (and RFC 5869's test cases) |
//! | `crypto_vs_ring/aead.rs` | AES-GCM and ChaCha20-Poly1305 records |
//! | `crypto_vs_ring/key_exchange.rs` | X25519 and P-256 key shares |
//! | `crypto_vs_ring/signatures.rs` | ECDSA, Ed25519, RSA-PSS and PKCS#1: ring signs, we verify, and back |
//! | `crypto_vs_ring/rfc8448_certificate_verify.rs` | RFC 8448's CertificateVerify signatures |
//!
//! This file holds what they share: the test inputs and the seeded RNG.

use lucid_tls::crypto::{CryptoError, Rng};

mod common;

#[path = "crypto_vs_ring/aead.rs"]
mod aead;
#[path = "crypto_vs_ring/hashes.rs"]
mod hashes;
#[path = "crypto_vs_ring/key_exchange.rs"]
mod key_exchange;
#[path = "crypto_vs_ring/rfc8448_certificate_verify.rs"]
mod rfc8448_certificate_verify;
#[path = "crypto_vs_ring/signatures.rs"]
mod signatures;

/// Deterministic, varied test input: `len` bytes that depend on `seed`.
fn bytes(seed: u8, len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

/// The input lengths the symmetric cross-checks run over: empty, shorter than a block,
/// around block and key-size boundaries, and longer than several blocks.
const LENGTHS: [usize; 9] = [0, 1, 15, 16, 17, 32, 64, 65, 300];

/// A seeded ChaCha20 stream as the caller's RNG: reproducible, and good enough for keys.
struct TestRng(rand_chacha::ChaCha20Rng);

impl TestRng {
    fn new(seed: u8) -> Self {
        use rand_chacha::rand_core::SeedableRng;
        Self(rand_chacha::ChaCha20Rng::from_seed([seed; 32]))
    }
}

impl Rng for TestRng {
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), CryptoError> {
        use rand_chacha::rand_core::Rng as _;
        self.0.fill_bytes(dest);
        Ok(())
    }
}
