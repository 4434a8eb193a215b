//! [`OsRng`]: the operating system's random number generator, as an [`Rng`] (requires the
//! `std` feature).
//!
//! The sans-IO core never draws randomness itself: every connection is handed an [`Rng`] by
//! its caller. This is the one a program on an operating system usually hands it, and the
//! one the blocking [`crate::stream`] adapter uses. It reads `getrandom(2)` (or the
//! platform's equivalent) through the `getrandom` crate, which is a dependency only when
//! `std` is enabled.
//!
//! Not here: seeding, reseeding or buffering. Each `fill` asks the OS afresh.

use crate::crypto::{CryptoError, Rng};

/// The operating system's cryptographically secure RNG. It holds no state.
#[derive(Clone, Copy, Debug, Default)]
pub struct OsRng;

impl Rng for OsRng {
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), CryptoError> {
        getrandom::fill(dest).map_err(|_| CryptoError::RngFailure)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_fills_differently_each_time() {
        let (mut a, mut b) = ([0u8; 32], [0u8; 32]);
        OsRng.fill(&mut a).unwrap();
        OsRng.fill(&mut b).unwrap();
        // 2^-256 chance of a false failure.
        assert_ne!(a, b);
        assert_ne!(a, [0u8; 32]);
    }
}
