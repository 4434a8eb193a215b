//! [`TlsStream`]: an async TLS stream over an [`embedded_io_async`] 0.7 transport, itself
//! [`embedded_io_async::Read`] and [`embedded_io_async::Write`]. `no_std`, any executor
//! (embassy, or a host runtime); feature `embedded-io-async`.
//!
//! The twin of the blocking [`crate::adapters::embedded::TlsStream`], with the same
//! constructor, the same loop (`crate::adapters::pump`) and the same
//! [`StreamError`]: each transport call is awaited instead of blocking.
//!
//! Not here: timeouts (wrap the calls in your executor's), deferred decisions answered
//! for you (a pause returns [`StreamError::Paused`]; answer through
//! [`TlsStream::connection_mut`] and call again).

use crate::adapters::embedded::{MAX_PLAINTEXT_PER_WRITE, StreamError};
use crate::adapters::pump::{self, Inbox, Step};
use crate::connection::{Connection, Role};
use crate::time::Time;

/// A TLS connection over an embedded-io-async transport, as one async stream.
pub struct TlsStream<'b, S, T, C> {
    conn: Connection<S>,
    transport: T,
    inbox: Inbox<&'b mut [u8]>,
    clock: C,
}

impl<'b, S, T, C> TlsStream<'b, S, T, C>
where
    S: Role,
    T: embedded_io_async::Read + embedded_io_async::Write,
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
    pub async fn handshake(&mut self) -> Result<(), StreamError<T::Error>> {
        self.run(pump::handshake_step).await.map(|_| ())
    }

    /// Sends close_notify (RFC 9846 §6.1). Reading may go on until `read` returns 0.
    pub async fn close(&mut self) -> Result<(), StreamError<T::Error>> {
        self.conn.close();
        self.run(pump::flush_step).await.map(|_| ())
    }

    /// The connection.
    pub fn connection(&self) -> &Connection<S> {
        &self.conn
    }

    /// The connection, mutably (to answer a deferred decision, or take its events).
    pub fn connection_mut(&mut self) -> &mut Connection<S> {
        &mut self.conn
    }

    /// The connection and the transport.
    pub fn into_parts(self) -> (Connection<S>, T) {
        (self.conn, self.transport)
    }

    /// Performs steps until `next` says done, paused or failed.
    async fn run(
        &mut self,
        mut next: impl FnMut(&mut Connection<S>) -> Step,
    ) -> Result<usize, StreamError<T::Error>> {
        loop {
            match next(&mut self.conn) {
                Step::Done(n) => return Ok(n),
                Step::Send => self.send().await?,
                Step::Receive => self.receive().await?,
                Step::Paused(kind) => return Err(StreamError::Paused(kind)),
                Step::Failed(err) => return Err(StreamError::Tls(err)),
            }
        }
    }

    /// One write of the queued TLS bytes; only what the transport took leaves the queue.
    async fn send(&mut self) -> Result<(), StreamError<T::Error>> {
        match self.transport.write(pump::output(&mut self.conn)).await {
            Ok(0) => Err(StreamError::WriteZero),
            Ok(n) => {
                pump::sent(&mut self.conn, n);
                if pump::output(&mut self.conn).is_empty() {
                    self.transport
                        .flush()
                        .await
                        .map_err(StreamError::Transport)?;
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
    async fn receive(&mut self) -> Result<(), StreamError<T::Error>> {
        if self.inbox.is_empty() {
            let n = self
                .transport
                .read(self.inbox.space())
                .await
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

impl<S, T: embedded_io_async::ErrorType, C> embedded_io_async::ErrorType
    for TlsStream<'_, S, T, C>
{
    type Error = StreamError<T::Error>;
}

impl<S, T, C> embedded_io_async::Read for TlsStream<'_, S, T, C>
where
    S: Role,
    T: embedded_io_async::Read + embedded_io_async::Write,
    C: FnMut() -> Time,
{
    /// Reads application data, running the handshake first if needed; 0 after the peer's
    /// close_notify.
    async fn read(&mut self, out: &mut [u8]) -> Result<usize, Self::Error> {
        self.run(|conn| pump::read_step(conn, out)).await
    }
}

impl<S, T, C> embedded_io_async::Write for TlsStream<'_, S, T, C>
where
    S: Role,
    T: embedded_io_async::Read + embedded_io_async::Write,
    C: FnMut() -> Time,
{
    /// Encrypts up to one record of `data` and sends it, running the handshake first if
    /// needed. Once the connection took `data`, a transport error is reported by the next
    /// call instead (the bytes are queued, not lost).
    async fn write(&mut self, data: &[u8]) -> Result<usize, Self::Error> {
        self.run(pump::write_step).await?;
        let data = data.get(..MAX_PLAINTEXT_PER_WRITE).unwrap_or(data);
        self.conn.write(data).map_err(StreamError::Tls)?;
        let _ = self.run(pump::flush_step).await;
        Ok(data.len())
    }

    /// Sends everything queued, then flushes the transport.
    async fn flush(&mut self) -> Result<(), Self::Error> {
        self.run(pump::flush_step).await?;
        self.transport.flush().await.map_err(StreamError::Transport)
    }
}
