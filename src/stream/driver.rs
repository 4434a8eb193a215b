//! The blocking I/O loop both std streams run: the steps of `crate::adapters::pump`,
//! performed with `std::io`, and TLS errors as I/O errors.
//!
//! Not here: the streams' own state (events, tickets: `super::Stream`).

use alloc::vec::Vec;
use std::io::{self, Read, Write};

use super::MAX_PLAINTEXT_PER_WRITE;
use crate::adapters::pump::{self, Inbox, Step};
use crate::connection::{Connection, Role};
use crate::error::Error;
use crate::time::Time;

/// The blocking I/O loop both streams run: the steps of `crate::adapters::pump`,
/// performed with `std::io`.
pub(super) struct Driver<'a, S, T> {
    pub(super) conn: &'a mut Connection<S>,
    pub(super) transport: &'a mut T,
    pub(super) inbox: &'a mut Inbox<Vec<u8>>,
    /// Where the connection's events go after every record fed (the owned stream's state);
    /// `None` leaves them queued in the connection for the caller.
    pub(super) received: Option<&'a mut super::Received>,
}

impl<S: Role, T: Read + Write> Driver<'_, S, T> {
    pub(super) fn handshake(&mut self) -> io::Result<()> {
        self.run(pump::handshake_step).map(|_| ())
    }

    pub(super) fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        self.run(|conn| pump::read_step(conn, out))
    }

    pub(super) fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        // Everything queued earlier goes out first: an error here has accepted nothing.
        self.run(pump::write_step)?;
        let data = data.get(..MAX_PLAINTEXT_PER_WRITE).unwrap_or(data);
        self.conn.write(data).map_err(tls_error)?;
        // The connection holds `data` now: what the transport does not take at once
        // (`WouldBlock`, a short write) goes out on the next call, so this is not an error.
        let _ = self.run(pump::flush_step);
        Ok(data.len())
    }

    pub(super) fn flush(&mut self) -> io::Result<()> {
        self.run(pump::flush_step)?;
        self.transport.flush()
    }

    pub(super) fn close(&mut self) -> io::Result<()> {
        self.conn.close();
        self.run(pump::flush_step).map(|_| ())
    }

    pub(super) fn key_update(&mut self, request_peer: bool) -> io::Result<()> {
        self.handshake()?;
        self.conn.key_update(request_peer).map_err(tls_error)?;
        self.run(pump::flush_step).map(|_| ())
    }

    /// Performs steps until `next` says done, paused or failed.
    pub(super) fn run(
        &mut self,
        mut next: impl FnMut(&mut Connection<S>) -> Step,
    ) -> io::Result<usize> {
        loop {
            match next(self.conn) {
                Step::Done(n) => return Ok(n),
                Step::Send => self.send()?,
                Step::Receive => self.receive()?,
                Step::Paused(_) => {
                    return Err(io::Error::new(
                        io::ErrorKind::Unsupported,
                        Error::Misuse(
                            "a deferred verifier or signing key paused the handshake: a \
                             blocking stream cannot answer it; use the tokio adapter or drive \
                             the Connection directly",
                        ),
                    ));
                }
                Step::Failed(err) => return Err(tls_error(err)),
            }
        }
    }

    /// One write of the queued TLS bytes; only what the transport took leaves the queue.
    fn send(&mut self) -> io::Result<()> {
        match self.transport.write(pump::output(self.conn)) {
            Ok(0) => Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => {
                pump::sent(self.conn, n);
                if pump::output(self.conn).is_empty() {
                    self.transport.flush()?;
                }
                Ok(())
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Ok(()),
            // The TLS error first: it says why, where a failed write of our alert would not.
            Err(e) => Err(self.conn.error().map_or(e, tls_error)),
        }
    }

    /// One read of the transport (unless received bytes are still waiting), fed to the
    /// connection. A TLS error is left for the next step to report, after our alert.
    fn receive(&mut self) -> io::Result<()> {
        if self.inbox.is_empty() {
            let n = match self.transport.read(self.inbox.space()) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => return Ok(()),
                Err(e) => return Err(e),
            };
            if n == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the transport ended without a TLS close_notify",
                ));
            }
            self.inbox.filled(n);
        }
        let _ = self.inbox.feed(self.conn, Time::now());
        if let Some(received) = self.received.as_deref_mut() {
            received.drain(self.conn);
        }
        Ok(())
    }
}

/// A TLS error as an I/O error carrying it.
pub(crate) fn tls_error(err: Error) -> io::Error {
    let kind = match err {
        Error::AlertReceived(_) => io::ErrorKind::ConnectionAborted,
        Error::Misuse(_) => io::ErrorKind::InvalidInput,
        _ => io::ErrorKind::InvalidData,
    };
    io::Error::new(kind, err)
}
