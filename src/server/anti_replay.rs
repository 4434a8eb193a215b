//! 0-RTT anti-replay (RFC 9846 §8): making sure the server accepts a given flight of early
//! data at most once.
//!
//! 0-RTT data is protected only by keys derived from the PSK and the ClientHello, so an
//! attacker who records a ClientHello and its early data can send them again, and a server
//! with no memory would accept the data again. RFC 9846 §8: "The server MUST ensure that
//! any instance of it ... would accept 0-RTT for the same 0-RTT handshake at most once".
//! Two mechanisms from the RFC are offered, both on a [`ReplayStore`] that remembers
//! 32-byte keys for a while:
//!
//! - [`AntiReplay::SingleUseTickets`] (§8.1): each ticket is accepted once. The store
//!   remembers a hash of every ticket used, until the ticket expires; a ticket seen before is
//!   ignored and the handshake falls back to a full one ("If an unknown ticket is provided,
//!   the server would then fall back to a full handshake"). External PSKs cannot be used up,
//!   so with this mechanism they never carry 0-RTT.
//! - [`AntiReplay::ClientHelloRecording`] (§8.2): the store remembers the *validated*
//!   binder of each ClientHello whose 0-RTT was accepted, for as long as a replay could pass
//!   the freshness check; a repeat keeps the PSK but rejects 0-RTT ("accepts the PSK but
//!   rejects 0-RTT"). The binder, not the whole ClientHello, is the key because §8.2 says
//!   "The server MUST derive the storage key only from validated sections of the
//!   ClientHello".
//!
//! Both also apply the freshness check of §8.3 (see [`is_fresh`]): 0-RTT is rejected
//! unless the time the ClientHello should have arrived, by the client's account of the
//! ticket's age, is within a window of now.
//!
//! A store shared by several server instances must be shared storage (RFC 9846 §8.2
//! discusses zones); `MemoryReplayStore` (with `std`) is for one process. Without `std`,
//! implement [`ReplayStore`] over whatever lock the platform has.

use alloc::sync::Arc;

use crate::crypto::{CryptoProvider, HashAlgorithm};

/// Remembers keys for a time; the memory behind 0-RTT anti-replay.
pub trait ReplayStore: Send + Sync {
    /// Records `key` until `valid_until_ms` and returns `true` if it was not recorded
    /// before: the use may go ahead.
    ///
    /// Returns `false` when the key is already there (a replay), and also whenever the
    /// store cannot vouch for the key: when it is full, or when an earlier use could have
    /// happened before the store started remembering (`valid_from_ms` earlier than its
    /// start). RFC 9846 §8.2: "When implementations are freshly started, they SHOULD reject
    /// 0-RTT as long as any portion of their recording window overlaps the startup time."
    fn insert_if_new(
        &self,
        key: &[u8; 32],
        now_ms: u64,
        valid_from_ms: u64,
        valid_until_ms: u64,
    ) -> bool;
}

/// The anti-replay mechanism, with its store.
#[derive(Clone)]
pub enum AntiReplay {
    /// RFC 9846 §8.1: every ticket is used at most once.
    SingleUseTickets(Arc<dyn ReplayStore>),
    /// RFC 9846 §8.2: ClientHellos that carried accepted 0-RTT are recorded within the
    /// freshness window, and a repeat gets no 0-RTT.
    ClientHelloRecording(Arc<dyn ReplayStore>),
}

impl AntiReplay {
    /// The store behind the mechanism.
    pub fn store(&self) -> &dyn ReplayStore {
        match self {
            Self::SingleUseTickets(store) | Self::ClientHelloRecording(store) => store.as_ref(),
        }
    }
}

/// The freshness check of RFC 9846 §8.3 (and §4.3.10's "the server MUST validate that the
/// ticket age for the selected PSK identity ... is within a small tolerance of the time
/// since the ticket was issued").
///
/// ```text
///   expected_arrival_time = adjusted_creation_time + clients_ticket_age
/// ```
///
/// `issued_at_ms` plays adjusted_creation_time (the round-trip estimate is left to the
/// window), and `client_ticket_age_ms` is `obfuscated_ticket_age - ticket_age_add` mod 2^32.
/// Fresh if the expected arrival is within `window_ms` of `now_ms`, either way.
pub fn is_fresh(issued_at_ms: u64, client_ticket_age_ms: u32, now_ms: u64, window_ms: u64) -> bool {
    let expected_arrival = issued_at_ms.saturating_add(u64::from(client_ticket_age_ms));
    expected_arrival.abs_diff(now_ms) <= window_ms
}

/// The 32-byte key under which `data` (a ticket, a binder) is stored: SHA-256 of
/// `label || data`, so that keys have one size and the two uses never collide.
pub(crate) fn replay_key(provider: &dyn CryptoProvider, label: &[u8], data: &[u8]) -> [u8; 32] {
    let mut hash = provider.hash(HashAlgorithm::Sha256);
    hash.update(label);
    hash.update(data);
    let mut key = [0u8; 32];
    for (k, d) in key.iter_mut().zip(hash.current().as_bytes()) {
        *k = *d;
    }
    key
}

#[cfg(any(feature = "std", feature = "rfc8448"))]
pub use memory::MemoryReplayStore;

// With `std` a std mutex; without it (the RFC 8448 servers in WebAssembly), a spin lock.
#[cfg(any(feature = "std", feature = "rfc8448"))]
mod memory {
    use alloc::collections::BTreeMap;
    use core::ops::DerefMut;
    #[cfg(not(feature = "std"))]
    use spin::Mutex;
    #[cfg(feature = "std")]
    use std::sync::Mutex;

    use super::ReplayStore;

    /// An in-process [`ReplayStore`]: a map from key to expiry behind a mutex, holding at
    /// most `capacity` keys. Expired keys are dropped when room is needed; when none has
    /// expired, new keys are refused (and so is their 0-RTT) rather than old ones forgotten.
    #[derive(Debug)]
    pub struct MemoryReplayStore {
        started_at_ms: u64,
        capacity: usize,
        entries: Mutex<BTreeMap<[u8; 32], u64>>,
    }

    impl MemoryReplayStore {
        /// A store that starts remembering at `started_at_ms` (the caller's clock, in
        /// milliseconds since the UNIX epoch) and holds up to `capacity` keys.
        pub fn new(started_at_ms: u64, capacity: usize) -> Self {
            Self {
                started_at_ms,
                capacity,
                entries: Mutex::new(BTreeMap::new()),
            }
        }

        /// How many keys are held now.
        pub fn len(&self) -> usize {
            self.entries().map_or(0, |e| e.len())
        }

        /// The map, or None if a thread panicked while holding it.
        #[cfg(feature = "std")]
        fn entries(&self) -> Option<impl DerefMut<Target = BTreeMap<[u8; 32], u64>> + '_> {
            self.entries.lock().ok()
        }

        /// The map (a spin lock cannot be poisoned).
        #[cfg(not(feature = "std"))]
        fn entries(&self) -> Option<impl DerefMut<Target = BTreeMap<[u8; 32], u64>> + '_> {
            Some(self.entries.lock())
        }

        /// True if no key is held.
        pub fn is_empty(&self) -> bool {
            self.len() == 0
        }
    }

    impl ReplayStore for MemoryReplayStore {
        fn insert_if_new(
            &self,
            key: &[u8; 32],
            now_ms: u64,
            valid_from_ms: u64,
            valid_until_ms: u64,
        ) -> bool {
            if valid_from_ms < self.started_at_ms {
                return false;
            }
            // A poisoned lock means another thread panicked mid-update: refuse.
            let Some(mut entries) = self.entries() else {
                return false;
            };
            if entries.get(key).is_some_and(|&until| until > now_ms) {
                return false;
            }
            if entries.len() >= self.capacity {
                entries.retain(|_, until| *until > now_ms);
            }
            if entries.len() >= self.capacity {
                return false;
            }
            entries.insert(*key, valid_until_ms);
            true
        }
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;

    #[test]
    fn test_freshness_window() {
        // Issued at t=1000 s; the client says the ticket is 5 s old.
        let issued = 1_000_000;
        assert!(is_fresh(issued, 5_000, 1_005_000, 0));
        assert!(is_fresh(issued, 5_000, 1_015_000, 10_000));
        assert!(is_fresh(issued, 5_000, 995_000, 10_000));
        assert!(!is_fresh(issued, 5_000, 1_015_001, 10_000));
        assert!(!is_fresh(issued, 5_000, 994_999, 10_000));
        // A huge claimed age cannot overflow.
        assert!(!is_fresh(u64::MAX - 1, u32::MAX, 0, 10));
    }

    #[test]
    fn test_store_accepts_once_then_refuses_replays() {
        let store = MemoryReplayStore::new(100, 8);
        let key = [7u8; 32];
        assert!(store.insert_if_new(&key, 200, 150, 300));
        assert!(!store.insert_if_new(&key, 250, 150, 300));
        // After it expired, the key is new again.
        assert!(store.insert_if_new(&key, 300, 150, 400));
        assert!(store.insert_if_new(&[8u8; 32], 300, 150, 400));
        assert_eq!(store.len(), 2);
    }

    #[test]
    fn test_store_refuses_what_it_cannot_vouch_for() {
        let store = MemoryReplayStore::new(1_000, 2);
        // Could have been used before the store started.
        assert!(!store.insert_if_new(&[1u8; 32], 1_500, 999, 2_000));
        assert!(store.is_empty());
        // Full of live keys: refuse.
        assert!(store.insert_if_new(&[1u8; 32], 1_500, 1_000, 2_000));
        assert!(store.insert_if_new(&[2u8; 32], 1_500, 1_000, 3_000));
        assert!(!store.insert_if_new(&[3u8; 32], 1_600, 1_000, 3_000));
        // Once one expired, there is room again.
        assert!(store.insert_if_new(&[3u8; 32], 2_000, 1_000, 3_000));
        assert_eq!(store.len(), 2);
    }
}
