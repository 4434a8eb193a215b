//! What an I/O adapter needs from a connection, and nothing more: the TLS bytes still to
//! send, acknowledged by how many the transport took; the application data received, read
//! into the caller's buffer; whether the peer closed.
//!
//! The adapters (`crate::stream`, `crate::adapters`) reach the connection through these
//! calls only (via `crate::adapters::pump`), so a short write or a small read buffer never
//! loses a byte: what the transport did not take stays queued in the connection, and what
//! the caller's buffer did not hold stays in the connection's event queue.
//!
//! Not here: reading from or writing to a transport (the adapters do), events other than
//! application data (they stay in the queue for `poll_event`).

use super::event::Event;
use super::{Connection, Role};

impl<S: Role> Connection<S> {
    /// The TLS bytes queued for the transport and not yet acknowledged as sent, with the
    /// handshake messages still being gathered into records (as `take_output` does; held
    /// back while a deferred decision or a paced step is pending).
    pub(crate) fn pending_output(&mut self) -> &[u8] {
        if !self.core.holds_flight()
            && let Err(err) = self.core.flush_handshake()
        {
            self.core.fail(err);
        }
        &self.core.output
    }

    /// Acknowledges that the transport took the first `n` bytes of
    /// [`Connection::pending_output`].
    pub(crate) fn output_sent(&mut self, n: usize) {
        let n = n.min(self.core.output.len());
        self.core.output.drain(..n);
        if self.core.output.is_empty() && self.is_handshaking() {
            // A handshake between flights keeps no send buffer, as an idle connection keeps
            // no receive buffer (see `RecordDeframer`): a large flight's capacity (a
            // certificate chain) is not held for the session. Once connected the buffer is
            // kept, so that application data costs no allocation per record.
            self.core.output = alloc::vec::Vec::new();
        }
    }

    /// Copies application data received into `out`, oldest first; returns how many bytes
    /// were copied (0 if none is waiting). What does not fit stays for the next call.
    /// Other events stay in the queue, in their order.
    pub(crate) fn read_application_data(&mut self, out: &mut [u8]) -> usize {
        let mut copied = 0;
        while copied < out.len() {
            let Some(index) = self
                .core
                .events
                .iter()
                .position(|e| matches!(e, Event::ApplicationData(_)))
            else {
                break;
            };
            let Some(Event::ApplicationData(data)) = self.core.events.get_mut(index) else {
                break;
            };
            let room = out.get_mut(copied..).unwrap_or(&mut []);
            let n = room.len().min(data.len());
            if let (Some(to), Some(from)) = (room.get_mut(..n), data.get(..n)) {
                to.copy_from_slice(from);
            }
            data.drain(..n);
            copied += n;
            if data.is_empty() {
                self.core.events.remove(index);
            }
        }
        copied
    }

    /// Hands every queued event except application data to `handle`, oldest first;
    /// application data stays queued for [`Connection::read_application_data`].
    #[cfg(feature = "std")]
    pub(crate) fn take_events_except_data(&mut self, mut handle: impl FnMut(Event)) {
        let events = core::mem::take(&mut self.core.events);
        let mut kept = alloc::collections::VecDeque::new();
        for event in events {
            match event {
                Event::ApplicationData(_) => kept.push_back(event),
                other => handle(other),
            }
        }
        self.core.events = kept;
    }

    /// True once the peer's close_notify arrived (RFC 9846 §6.1).
    pub(crate) fn peer_has_closed(&self) -> bool {
        self.core.peer_closed
    }
}
