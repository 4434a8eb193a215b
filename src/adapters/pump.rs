//! The one seam between the sans-IO [`Connection`] and every adapter: what to do next
//! (send, receive, done, paused, failed), and the received bytes on their way in.
//!
//! Each adapter (`crate::stream`, `tokio`, `embedded`, `embedded_async`) is a loop over
//! [`handshake_step`] or [`read_step`] that performs the [`Step`] with its own kind of
//! transport (blocking, polled, awaited). The decisions are made here once:
//!
//! - output is acknowledged by what the transport took ([`sent`]), so `WouldBlock`, an
//!   interrupted call or a short write loses nothing, and the next call resumes;
//! - received bytes wait in an [`Inbox`] until the connection takes them, so a pause for a
//!   deferred decision keeps what arrived meanwhile;
//! - after a fatal error, our alert is sent, application data that arrived before it is
//!   still delivered, and then the TLS error is the answer to every call;
//! - after the peer's close_notify, reads return 0.
//!
//! Not here: any transport, any clock, any executor.

use crate::connection::{Connection, RequestKind, Role};
use crate::error::Error;
use crate::time::Time;

/// What an adapter does next.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// Write [`output`] to the transport, then acknowledge it with [`sent`].
    Send,
    /// Read from the transport into the [`Inbox`], then [`Inbox::feed`] it.
    Receive,
    /// The goal is reached: for a read, this many bytes were copied (0: end of stream).
    Done(usize),
    /// The connection waits for the caller's answer to a deferred decision.
    Paused(RequestKind),
    /// The connection failed with this error (our alert, if any, is already sent).
    Failed(Error),
}

/// The TLS bytes to write to the transport now.
pub(crate) fn output<S: Role>(conn: &mut Connection<S>) -> &[u8] {
    conn.pending_output()
}

/// The transport took `n` bytes of [`output`].
pub(crate) fn sent<S: Role>(conn: &mut Connection<S>, n: usize) {
    conn.output_sent(n);
}

/// The next step towards a finished handshake; `Done(0)` once it is.
pub(crate) fn handshake_step<S: Role>(conn: &mut Connection<S>) -> Step {
    if !conn.pending_output().is_empty() {
        // Our flight, or our alert before the error is reported.
        return Step::Send;
    }
    if let Some(err) = conn.error() {
        return Step::Failed(err);
    }
    if !conn.is_handshaking() {
        return Step::Done(0);
    }
    if let Some((_, kind)) = conn.pending_request() {
        return Step::Paused(kind);
    }
    Step::Receive
}

/// The next step towards reading application data into `out`: the handshake first, then
/// data already received (data that arrived before a fatal error is still delivered,
/// then the error), then our pending output, then the transport. `Done(0)` means end of
/// stream (the peer's close_notify, or an empty `out`).
pub(crate) fn read_step<S: Role>(conn: &mut Connection<S>, out: &mut [u8]) -> Step {
    if conn.is_handshaking() {
        return handshake_step(conn);
    }
    let failed = conn.error();
    if failed.is_some() && !conn.pending_output().is_empty() {
        // Our alert goes out first.
        return Step::Send;
    }
    let n = conn.read_application_data(out);
    if n > 0 || out.is_empty() {
        return Step::Done(n);
    }
    if let Some(err) = failed {
        return Step::Failed(err);
    }
    if !conn.pending_output().is_empty() {
        // A KeyUpdate answer, say: sent before we wait for more.
        return Step::Send;
    }
    if conn.peer_has_closed() {
        return Step::Done(0);
    }
    Step::Receive
}

/// The next step towards an empty output queue: `Done(0)` once everything is sent.
pub(crate) fn flush_step<S: Role>(conn: &mut Connection<S>) -> Step {
    if !conn.pending_output().is_empty() {
        return Step::Send;
    }
    Step::Done(0)
}

/// The next step before application data can be written: the handshake, then an empty
/// output queue, so that what is queued stays within one write's worth of records.
pub(crate) fn write_step<S: Role>(conn: &mut Connection<S>) -> Step {
    match handshake_step(conn) {
        Step::Done(_) => flush_step(conn),
        step => step,
    }
}

/// Received TLS bytes not yet taken by the connection, in a buffer of fixed size (the
/// caller's, on a microcontroller). Bytes stay here while the connection is paused.
pub(crate) struct Inbox<B> {
    buffer: B,
    start: usize,
    end: usize,
}

impl<B: AsMut<[u8]> + AsRef<[u8]>> Inbox<B> {
    /// An empty inbox over `buffer`.
    pub(crate) fn new(buffer: B) -> Self {
        Self {
            buffer,
            start: 0,
            end: 0,
        }
    }

    /// The free space to read the transport into (the bytes waiting are moved to the
    /// front first). Empty only if the buffer is full of bytes the connection did not take.
    pub(crate) fn space(&mut self) -> &mut [u8] {
        if self.start > 0 {
            self.buffer.as_mut().copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        self.buffer.as_mut().get_mut(self.end..).unwrap_or(&mut [])
    }

    /// The transport put `n` bytes into [`Inbox::space`].
    pub(crate) fn filled(&mut self, n: usize) {
        self.end = (self.end + n).min(self.buffer.as_ref().len());
    }

    /// The size of the buffer.
    #[cfg(feature = "tokio")]
    pub(crate) fn capacity(&self) -> usize {
        self.buffer.as_ref().len()
    }

    /// True if no received byte waits.
    pub(crate) fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// Feeds the waiting bytes to the connection. Bytes the connection does not take (it
    /// paused for a decision, or stopped after a paced step) stay. Returns the connection's
    /// error.
    pub(crate) fn feed<S: Role>(
        &mut self,
        conn: &mut Connection<S>,
        now: Time,
    ) -> Result<(), Error> {
        let waiting = self
            .buffer
            .as_ref()
            .get(self.start..self.end)
            .unwrap_or(&[]);
        let result = conn.feed(now, waiting);
        let taken = match result {
            Ok(taken) => taken,
            // Failed: nothing more will be taken.
            Err(_) => self.end - self.start,
        };
        self.start += taken;
        result.map(|_| ())
    }
}
