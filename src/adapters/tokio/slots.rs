//! The cap on handshakes in progress of one acceptor: each handshake takes a slot; when
//! all are taken, the oldest handshake is told to give up its slot (it then fails with
//! `ConnectionAborted`). Clients that stall mid-handshake therefore hold at most the cap's
//! worth of memory, and a fresh client always gets in.
//!
//! Not here: the handshake timeout (`super::TlsAcceptor` wraps each handshake in one).

use alloc::collections::VecDeque;
use alloc::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use ::tokio::sync::Notify;

/// The handshakes an acceptor has in progress, oldest first, each with the signal that
/// drops it.
pub(super) struct HandshakeSlots {
    max: usize,
    next_id: AtomicU64,
    slots: Mutex<VecDeque<(u64, Arc<Notify>)>>,
}

/// One handshake in progress; leaves its place when dropped.
pub(super) struct Slot {
    id: u64,
    /// Notified when this handshake is dropped to make room.
    pub(super) dropped: Arc<Notify>,
    slots: Arc<HandshakeSlots>,
}

impl HandshakeSlots {
    pub(super) fn new(max: usize) -> Self {
        Self {
            max,
            next_id: AtomicU64::new(0),
            slots: Mutex::new(VecDeque::new()),
        }
    }

    pub(super) fn len(&self) -> usize {
        self.slots.lock().map_or(0, |slots| slots.len())
    }

    /// Takes a place, dropping the oldest handshakes if all are taken.
    pub(super) fn enter(self: &Arc<Self>) -> Slot {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let dropped = Arc::new(Notify::new());
        if let Ok(mut slots) = self.slots.lock() {
            while slots.len() >= self.max {
                if let Some((_, oldest)) = slots.pop_front() {
                    // Stored if the oldest is not waiting right now: it sees it next poll.
                    oldest.notify_one();
                }
            }
            slots.push_back((id, dropped.clone()));
        }
        Slot {
            id,
            dropped,
            slots: self.clone(),
        }
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Ok(mut slots) = self.slots.slots.lock() {
            slots.retain(|(id, _)| *id != self.id);
        }
    }
}
