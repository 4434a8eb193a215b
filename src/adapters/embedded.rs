//! [`TlsStream`]: a blocking TLS stream over an [`embedded_io`] 0.7 transport (a UART, a
//! TCP socket of an embedded network stack), itself [`embedded_io::Read`] and
//! [`embedded_io::Write`]. `no_std`; feature `embedded-io`.
//!
//! ```ignore
//! let mut read_buffer = [0u8; 1024];
//! let conn = ClientConnection::new(config, Some("example.com"), rng, clock())?;
//! let mut tls = TlsStream::new(conn, uart, &mut read_buffer, clock);
//! tls.write_all(b"GET / HTTP/1.0\r\n\r\n")?;
//! let n = tls.read(&mut response)?;
//! ```
//!
//! - **Buffers**: the caller lends the buffer the transport is read into; any size works
//!   (a few hundred bytes is enough: the connection gathers records itself).
//! - **Time**: the `clock` closure gives the time of each `feed` (certificate validity,
//!   ticket ages); there is no OS clock here.
//! - **The loop** is `crate::adapters::pump`'s, shared with the other adapters: nothing
//!   is lost when the transport writes short or returns an error; after a fatal error,
//!   every call returns the TLS error ([`StreamError::Tls`]); a transport that ends
//!   without close_notify is [`StreamError::UnexpectedEof`]; after the peer's
//!   close_notify, `read` returns 0.
//! - **Deferred decisions**: when the connection pauses for one, the call returns
//!   [`StreamError::Paused`]. Answer through [`TlsStream::connection_mut`], then call
//!   again: what was received meanwhile waits in the stream.
//! - **Events** other than application data (tickets, KeyUpdates, alerts) stay in the
//!   connection: take them with `connection_mut().poll_event()`.
//!
//! Not here: async (see [`crate::adapters::embedded_async`]).

use crate::adapters::pump::{self, Inbox, Step};
use crate::connection::{Connection, RequestKind, Role};
use crate::error::Error;
use crate::time::Time;

/// What a call on a TLS stream over an embedded-io transport can fail with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamError<E> {
    /// The TLS connection failed (sticky: every later call returns it).
    Tls(Error),
    /// The transport failed; the call may be repeated.
    Transport(E),
    /// The transport ended without the peer's close_notify (RFC 9846 §6.1).
    UnexpectedEof,
    /// The transport accepted no byte of a write.
    WriteZero,
    /// The connection waits for the answer to a deferred decision.
    Paused(RequestKind),
}

impl<E: core::fmt::Debug> core::fmt::Display for StreamError<E> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Tls(err) => write!(f, "TLS: {err}"),
            Self::Transport(err) => write!(f, "transport: {err:?}"),
            Self::UnexpectedEof => f.write_str("the transport ended without a TLS close_notify"),
            Self::WriteZero => f.write_str("the transport accepted no byte"),
            Self::Paused(kind) => write!(f, "paused for a deferred decision ({kind:?})"),
        }
    }
}

impl<E: core::fmt::Debug> core::error::Error for StreamError<E> {}

impl<E: embedded_io::Error> embedded_io::Error for StreamError<E> {
    fn kind(&self) -> embedded_io::ErrorKind {
        match self {
            Self::Tls(_) => embedded_io::ErrorKind::InvalidData,
            Self::Transport(err) => err.kind(),
            Self::UnexpectedEof => embedded_io::ErrorKind::BrokenPipe,
            Self::WriteZero => embedded_io::ErrorKind::WriteZero,
            Self::Paused(_) => embedded_io::ErrorKind::Other,
        }
    }
}

/// The most plaintext one `write` call takes: one full record.
pub(crate) const MAX_PLAINTEXT_PER_WRITE: usize = 1 << 14;

/// A TLS connection over an embedded-io transport, as one blocking stream.
pub struct TlsStream<'b, S, T, C> {
    conn: Connection<S>,
    transport: T,
    inbox: Inbox<&'b mut [u8]>,
    clock: C,
}

impl<'b, S, T, C> TlsStream<'b, S, T, C>
where
    S: Role,
    T: embedded_io::Read + embedded_io::Write,
    C: FnMut() -> Time,
{
    /// Wraps a connection and its transport; the transport is read into `read_buffer`, and
    /// `clock` tells the time. Nothing is sent until the first call that needs the peer.
    pub fn new(conn: Connection<S>, transport: T, read_buffer: &'b mut [u8], clock: C) -> Self {
        Self {
            conn,
            transport,
            inbox: Inbox::new(read_buffer),
            clock,
        }
    }

    /// Runs the handshake to its end, if it is not over yet.
    pub fn handshake(&mut self) -> Result<(), StreamError<T::Error>> {
        self.run(pump::handshake_step).map(|_| ())
    }

    /// Sends close_notify (RFC 9846 §6.1). Reading may go on until `read` returns 0.
    pub fn close(&mut self) -> Result<(), StreamError<T::Error>> {
        self.conn.close();
        self.run(pump::flush_step).map(|_| ())
    }

    /// The connection.
    pub fn connection(&self) -> &Connection<S> {
        &self.conn
    }

    /// The connection, mutably (to answer a deferred decision, or take its events).
    pub fn connection_mut(&mut self) -> &mut Connection<S> {
        &mut self.conn
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// The connection and the transport.
    pub fn into_parts(self) -> (Connection<S>, T) {
        (self.conn, self.transport)
    }

    /// Performs steps until `next` says done, paused or failed.
    fn run(
        &mut self,
        mut next: impl FnMut(&mut Connection<S>) -> Step,
    ) -> Result<usize, StreamError<T::Error>> {
        loop {
            match next(&mut self.conn) {
                Step::Done(n) => return Ok(n),
                Step::Send => self.send()?,
                Step::Receive => self.receive()?,
                Step::Paused(kind) => return Err(StreamError::Paused(kind)),
                Step::Failed(err) => return Err(StreamError::Tls(err)),
            }
        }
    }

    /// One write of the queued TLS bytes; only what the transport took leaves the queue.
    fn send(&mut self) -> Result<(), StreamError<T::Error>> {
        match self.transport.write(pump::output(&mut self.conn)) {
            Ok(0) => Err(StreamError::WriteZero),
            Ok(n) => {
                pump::sent(&mut self.conn, n);
                if pump::output(&mut self.conn).is_empty() {
                    self.transport.flush().map_err(StreamError::Transport)?;
                }
                Ok(())
            }
            Err(err) => Err(self
                .conn
                .error()
                .map_or(StreamError::Transport(err), StreamError::Tls)),
        }
    }

    /// One read of the transport (unless received bytes are still waiting), fed to the
    /// connection. A TLS error is left for the next step to report, after our alert.
    fn receive(&mut self) -> Result<(), StreamError<T::Error>> {
        if self.inbox.is_empty() {
            let n = self
                .transport
                .read(self.inbox.space())
                .map_err(StreamError::Transport)?;
            if n == 0 {
                return Err(StreamError::UnexpectedEof);
            }
            self.inbox.filled(n);
        }
        let now = (self.clock)();
        let _ = self.inbox.feed(&mut self.conn, now);
        Ok(())
    }
}

impl<S, T: embedded_io::ErrorType, C> embedded_io::ErrorType for TlsStream<'_, S, T, C> {
    type Error = StreamError<T::Error>;
}

impl<S, T, C> embedded_io::Read for TlsStream<'_, S, T, C>
where
    S: Role,
    T: embedded_io::Read + embedded_io::Write,
    C: FnMut() -> Time,
{
    /// Reads application data, running the handshake first if needed; 0 after the peer's
    /// close_notify.
    fn read(&mut self, out: &mut [u8]) -> Result<usize, Self::Error> {
        self.run(|conn| pump::read_step(conn, out))
    }
}

impl<S, T, C> embedded_io::Write for TlsStream<'_, S, T, C>
where
    S: Role,
    T: embedded_io::Read + embedded_io::Write,
    C: FnMut() -> Time,
{
    /// Encrypts up to one record of `data` and sends it, running the handshake first if
    /// needed. Once the connection took `data`, a transport error is reported by the next
    /// call instead (the bytes are queued, not lost).
    fn write(&mut self, data: &[u8]) -> Result<usize, Self::Error> {
        self.run(pump::write_step)?;
        let data = data.get(..MAX_PLAINTEXT_PER_WRITE).unwrap_or(data);
        self.conn.write(data).map_err(StreamError::Tls)?;
        let _ = self.run(pump::flush_step);
        Ok(data.len())
    }

    /// Sends everything queued, then flushes the transport.
    fn flush(&mut self) -> Result<(), Self::Error> {
        self.run(pump::flush_step)?;
        self.transport.flush().map_err(StreamError::Transport)
    }
}
