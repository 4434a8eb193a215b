//! The randomness of a live handshake: a ChaCha20 stream seeded with 32 bytes the page
//! took from `crypto.getRandomValues` (the bridge never asks the platform for randomness).
//! Each side gets its own seed, so a run can be repeated exactly (to tamper with one of its
//! flights) by sending the same seeds again.

use lucid_tls::crypto::{CryptoError, Rng};
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::{Rng as _, SeedableRng};

/// A seeded ChaCha20 stream.
pub struct SeededRng(ChaCha20Rng);

impl SeededRng {
    /// The stream seeded with `seed`.
    pub fn new(seed: [u8; 32]) -> Self {
        Self(ChaCha20Rng::from_seed(seed))
    }
}

impl Rng for SeededRng {
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), CryptoError> {
        self.0.fill_bytes(dest);
        Ok(())
    }
}
