//! [`RandCoreRng`]: a `rand_core` generator as this crate's [`Rng`] (documented on the type,
//! re-exported as `crate::crypto::RandCoreRng`).

use super::{CryptoError, Rng};

/// Any `rand_core` cryptographic generator as this crate's [`Rng`], so that a board's TRNG
/// driver, or a DRBG seeded from it, plugs in directly.
///
/// The HALs of most microcontrollers offer their hardware generator through `rand_core`'s
/// traits, and RustCrypto's crates (on which the default provider is built) use the same
/// version, 0.10, re-exported here as [`rand_core`](crate::crypto::rand_core) so that a
/// mismatch shows at compile time:
///
/// ```
/// use lucid_tls::crypto::{RandCoreRng, Rng};
/// # use lucid_tls::crypto::rand_core::{TryCryptoRng, TryRng};
/// # struct Trng; // stands in for a HAL's TRNG peripheral
/// # impl TryRng for Trng {
/// #     type Error = core::convert::Infallible;
/// #     fn try_next_u32(&mut self) -> Result<u32, Self::Error> { Ok(4) }
/// #     fn try_next_u64(&mut self) -> Result<u64, Self::Error> { Ok(4) }
/// #     fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
/// #         dst.fill(4);
/// #         Ok(())
/// #     }
/// # }
/// # impl TryCryptoRng for Trng {}
/// # let trng = Trng;
/// // `trng` is the HAL's generator: anything that implements rand_core's `TryCryptoRng`
/// // (a fallible TRNG) or `CryptoRng` (an infallible one, or rand_chacha's ChaCha20Rng).
/// let mut rng = RandCoreRng::new(trng);
/// let mut random = [0u8; 32];
/// rng.fill(&mut random)?;
/// # Ok::<(), lucid_tls::crypto::CryptoError>(())
/// ```
///
/// A failure of the generator (a TRNG's health test, say) is [`CryptoError::RngFailure`]:
/// the call that needed the bytes fails, and nothing goes out with predictable randomness.
///
/// Not checked here: whether the generator is good enough. `TryCryptoRng` is the driver's
/// promise that it is; a raw TRNG without conditioning should feed a DRBG (NIST SP 800-90A).
#[derive(Debug)]
pub struct RandCoreRng<R>(R);

impl<R: rand_core::TryCryptoRng> RandCoreRng<R> {
    /// Wraps `generator`.
    pub fn new(generator: R) -> Self {
        Self(generator)
    }

    /// Gives the generator back.
    pub fn into_inner(self) -> R {
        self.0
    }
}

impl<R: rand_core::TryCryptoRng> Rng for RandCoreRng<R> {
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), CryptoError> {
        self.0
            .try_fill_bytes(dest)
            .map_err(|_| CryptoError::RngFailure)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::{SeedableRng, TryRng};

    /// A generator that fails, like a TRNG whose health test tripped.
    struct FailingTrng;

    impl TryRng for FailingTrng {
        // Any error type will do; a HAL has its own.
        type Error = core::fmt::Error;
        fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
            Err(core::fmt::Error)
        }
        fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
            Err(core::fmt::Error)
        }
        fn try_fill_bytes(&mut self, _dst: &mut [u8]) -> Result<(), Self::Error> {
            Err(core::fmt::Error)
        }
    }

    impl rand_core::TryCryptoRng for FailingTrng {}

    #[test]
    fn test_fill_draws_the_generators_bytes() {
        // rand_chacha's ChaCha20Rng is a CryptoRng: what a board's DRBG would be.
        let seed = [7u8; 32];
        let mut rng = RandCoreRng::new(rand_chacha::ChaCha20Rng::from_seed(seed));
        let mut ours = [0u8; 48];
        rng.fill(&mut ours).unwrap();
        let mut direct = [0u8; 48];
        rand_chacha::ChaCha20Rng::from_seed(seed)
            .try_fill_bytes(&mut direct)
            .unwrap();
        assert_eq!(ours, direct);
        assert_ne!(ours, [0u8; 48]);
        // The generator goes on where it stopped: the next draw differs.
        let mut next = [0u8; 48];
        rng.fill(&mut next).unwrap();
        assert_ne!(next, ours);
    }

    #[test]
    fn test_fill_failure_is_rng_failure() {
        let mut rng = RandCoreRng::new(FailingTrng);
        assert_eq!(rng.fill(&mut [0u8; 8]), Err(CryptoError::RngFailure));
    }

    #[cfg(feature = "client")]
    #[test]
    fn test_a_handshake_runs_on_the_adapter() {
        use crate::client::{ClientConfig, ClientConnection, PinnedCertificates};
        use crate::crypto::rustcrypto::RustCryptoProvider;
        use alloc::boxed::Box;
        use alloc::sync::Arc;
        use alloc::vec::Vec;

        let config = ClientConfig::new(
            Arc::new(RustCryptoProvider),
            Arc::new(PinnedCertificates::new(Vec::new())),
        );
        let rng = RandCoreRng::new(rand_chacha::ChaCha20Rng::from_seed([1; 32]));
        let mut client = ClientConnection::new(
            Arc::new(config),
            Some("example.com"),
            Box::new(rng),
            crate::time::Time::from_unix_secs(1_700_000_000),
        )
        .unwrap();
        // The ClientHello went out with the adapter's randomness in it.
        assert!(!client.take_output().is_empty());
        let failing = ClientConnection::new(
            Arc::new(ClientConfig::new(
                Arc::new(RustCryptoProvider),
                Arc::new(PinnedCertificates::new(Vec::new())),
            )),
            Some("example.com"),
            Box::new(RandCoreRng::new(FailingTrng)),
            crate::time::Time::from_unix_secs(1_700_000_000),
        );
        assert!(failing.is_err());
    }
}
