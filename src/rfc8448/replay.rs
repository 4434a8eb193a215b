//! Randomness and signatures replayed from a published trace.
//!
//! A connection draws every random byte it uses from the [`Rng`] its caller gives it, in a
//! documented order (`docs/determinism.md`). [`ReplayRng`] hands out a trace's values in
//! that order, which is how RFC 8448's randoms, ephemeral private keys and RSA-PSS salts
//! reach the engines through their ordinary public interface.
//!
//! [`ReplaySigner`] is a [`SigningKey`] for a key the trace does not publish (RFC 8448 §6's
//! client and server keys): it returns the trace's signature, but only after checking it
//! with the certificate's public key over exactly the content the engine asked it to sign,
//! so the engine must have built the RFC's signed content byte for byte.

use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec::Vec;
use spin::{Mutex, MutexGuard};

use alloc::collections::VecDeque;

use crate::crypto::{CryptoError, CryptoProvider, Rng, SigningKey};
use crate::wire::algorithms::SignatureScheme;

/// What a [`ReplayRng`] does with a draw whose length is not that of the next queued value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OtherDraws {
    /// Fail it (`CryptoError::RngFailure`) and remember why: the engine's draw order is not
    /// the one the trace was recorded with.
    Refuse,
    /// Fill it with deterministic filler bytes. For randomness that does not show in the
    /// output, such as RSA blinding.
    Fill,
}

/// The queue and what happened, shared by every clone of a [`ReplayRng`].
#[derive(Clone, Debug)]
struct Shared {
    queue: VecDeque<(String, Vec<u8>)>,
    other_draws: OtherDraws,
    filler: u8,
    failure: Option<String>,
    drawn: Vec<(String, usize)>,
}

/// Replays named byte strings: each draw returns the next queued value, which must have
/// exactly the length asked for. Clones share the queue, so a test can keep one and check
/// after the handshake that the engine drew everything.
#[derive(Clone, Debug)]
pub struct ReplayRng {
    shared: Arc<Mutex<Shared>>,
}

impl ReplayRng {
    /// Returns each of `values` once, in order, refusing any other draw. The names
    /// (`"ClientHello.random"`) say what each value is in the trace, for [`ReplayRng::failure`].
    pub fn new(values: &[(&str, &[u8])]) -> Self {
        let queue = values
            .iter()
            .map(|(name, v)| (name.to_string(), v.to_vec()))
            .collect();
        Self {
            shared: Arc::new(Mutex::new(Shared {
                queue,
                other_draws: OtherDraws::Refuse,
                filler: 0,
                failure: None,
                drawn: Vec::new(),
            })),
        }
    }

    /// Sets what happens to draws that do not match the next value.
    pub fn with_other_draws(self, other_draws: OtherDraws) -> Self {
        self.lock().other_draws = other_draws;
        self
    }

    /// An independent copy: the same values queued and the same history, shared with
    /// nothing (a clone shares them). Replays the same draws to another connection.
    pub fn fork(&self) -> Self {
        Self {
            shared: Arc::new(Mutex::new(self.lock().clone())),
        }
    }

    /// Queues one more value.
    pub fn push(&self, name: &str, value: &[u8]) {
        self.lock()
            .queue
            .push_back((name.to_string(), value.to_vec()));
    }

    /// How many queued values were not drawn yet.
    pub fn remaining(&self) -> usize {
        self.lock().queue.len()
    }

    /// The names of the values not drawn yet.
    pub fn remaining_names(&self) -> Vec<String> {
        self.lock().queue.iter().map(|(n, _)| n.clone()).collect()
    }

    /// The names and lengths of the values drawn so far, in order (filler draws are not
    /// listed).
    pub fn drawn(&self) -> Vec<(String, usize)> {
        self.lock().drawn.clone()
    }

    /// Why the first refused draw was refused, if one was.
    pub fn failure(&self) -> Option<String> {
        self.lock().failure.clone()
    }

    fn lock(&self) -> MutexGuard<'_, Shared> {
        // A spin lock (this module builds without `std`): the engines draw from one
        // thread, so it is never contended.
        self.shared.lock()
    }
}

impl Rng for ReplayRng {
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), CryptoError> {
        let mut shared = self.lock();
        let matches = shared
            .queue
            .front()
            .is_some_and(|(_, value)| value.len() == dest.len());
        if matches && let Some((name, value)) = shared.queue.pop_front() {
            dest.copy_from_slice(&value);
            shared.drawn.push((name, value.len()));
            return Ok(());
        }
        if shared.other_draws == OtherDraws::Fill {
            for b in dest {
                shared.filler = shared.filler.wrapping_add(0x5b);
                *b = shared.filler | 1;
            }
            return Ok(());
        }
        let why = match shared.queue.front() {
            Some((name, value)) => alloc::format!(
                "the engine asked for {} random bytes where the trace's {name} has {}",
                dest.len(),
                value.len()
            ),
            None => alloc::format!(
                "the engine asked for {} random bytes after the trace's values ran out",
                dest.len()
            ),
        };
        shared.failure.get_or_insert(why);
        Err(CryptoError::RngFailure)
    }
}

/// Signs by returning a recorded signature, which must verify over the content it is asked
/// to sign with `public_key` (a SubjectPublicKeyInfo's key, as the provider verifies).
pub struct ReplaySigner {
    /// The provider that checks the recorded signature.
    pub provider: Arc<dyn CryptoProvider>,
    /// The scheme of the recorded signature.
    pub scheme: SignatureScheme,
    /// The recorded signature.
    pub signature: Vec<u8>,
    /// The public key of the certificate that signed it.
    pub public_key: Vec<u8>,
}

impl SigningKey for ReplaySigner {
    fn schemes(&self) -> &[SignatureScheme] {
        core::slice::from_ref(&self.scheme)
    }

    fn sign(
        &self,
        scheme: SignatureScheme,
        message: &[u8],
        _rng: &mut dyn Rng,
    ) -> Result<Vec<u8>, CryptoError> {
        if scheme != self.scheme {
            return Err(CryptoError::Unsupported);
        }
        self.provider
            .verify_signature(scheme, &self.public_key, message, &self.signature)?;
        Ok(self.signature.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_replay_rng_hands_out_values_in_order() {
        let rng = ReplayRng::new(&[("a", &[1, 2]), ("b", &[3])]);
        let mut draw = rng.clone();
        let mut two = [0u8; 2];
        draw.fill(&mut two).unwrap();
        assert_eq!(two, [1, 2]);
        assert_eq!(rng.remaining_names(), ["b"]);
        assert_eq!(rng.drawn(), [("a".into(), 2)]);
        // A draw of the wrong length is refused and explained.
        assert_eq!(draw.fill(&mut two), Err(CryptoError::RngFailure));
        assert!(rng.failure().unwrap().contains("trace's b has 1"));
        let mut one = [0u8; 1];
        draw.fill(&mut one).unwrap();
        assert_eq!((one, rng.remaining()), ([3], 0));
    }

    #[test]
    fn test_replay_rng_fork_shares_nothing() {
        let rng = ReplayRng::new(&[("a", &[1]), ("b", &[2])]);
        let mut fork = rng.fork();
        let mut one = [0u8; 1];
        fork.fill(&mut one).unwrap();
        assert_eq!((one, fork.remaining(), rng.remaining()), ([1], 1, 2));
        let mut draw = rng.clone();
        draw.fill(&mut one).unwrap();
        assert_eq!(one, [1]);
        assert_eq!(rng.fork().remaining_names(), ["b"]);
    }

    #[test]
    fn test_replay_rng_fills_other_draws_when_asked() {
        let mut rng = ReplayRng::new(&[("salt", &[9; 4])]).with_other_draws(OtherDraws::Fill);
        let mut blinding = [0u8; 16];
        rng.fill(&mut blinding).unwrap();
        assert!(blinding.iter().all(|b| b % 2 == 1));
        let mut salt = [0u8; 4];
        rng.fill(&mut salt).unwrap();
        assert_eq!(salt, [9; 4]);
        assert!(rng.failure().is_none());
    }
}
