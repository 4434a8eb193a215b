//! An [`Rng`] that replays recorded values: each `fill` returns the next queued byte
//! string, which must have exactly the length asked for. This is how the RFC 8448 tests
//! give an engine the trace's randoms, private keys and signature salts, in the draw order
//! documented in docs/determinism.md. Running out, or a length mismatch, panics with a
//! message naming the draw, since it means the engine's draw order changed.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use lucid_tls::crypto::{CryptoError, Rng};

/// The queued values, each with the name of what it is in the trace.
type Queue = VecDeque<(String, Vec<u8>)>;

/// Replays queued byte strings, in order.
#[derive(Clone, Debug, Default)]
pub struct ReplayRng {
    queue: Arc<Mutex<Queue>>,
}

impl ReplayRng {
    /// An RNG that will return each of `values` once, in order; the names appear in panics.
    pub fn new(values: &[(&str, &[u8])]) -> Self {
        let queue = values
            .iter()
            .map(|(name, v)| (name.to_string(), v.to_vec()))
            .collect();
        Self {
            queue: Arc::new(Mutex::new(queue)),
        }
    }

    /// Queues one more value.
    pub fn push(&self, name: &str, value: &[u8]) {
        self.queue
            .lock()
            .unwrap()
            .push_back((name.to_string(), value.to_vec()));
    }

    /// How many queued values were not drawn yet (shared with every clone).
    pub fn remaining(&self) -> usize {
        self.queue.lock().unwrap().len()
    }
}

impl Rng for ReplayRng {
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), CryptoError> {
        let (name, value) =
            self.queue.lock().unwrap().pop_front().unwrap_or_else(|| {
                panic!("replay RNG exhausted: asked for {} more bytes", dest.len())
            });
        assert_eq!(
            value.len(),
            dest.len(),
            "replay RNG: the engine asked for {} bytes where the trace's {name} has {}",
            dest.len(),
            value.len()
        );
        dest.copy_from_slice(&value);
        Ok(())
    }
}
