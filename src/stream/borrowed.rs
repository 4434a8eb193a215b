//! [`BorrowedStream`]: the blocking stream over a connection and a transport the caller
//! keeps (`&mut Connection`, `&mut T`). Everything it must not lose lives in the
//! connection: TLS bytes the transport did not take stay queued there, and application data
//! the caller's buffer did not hold stays in its event queue.
//!
//! Not here: collecting events (the owned [`super::Stream`] does; here they stay for
//! `poll_event`).

use alloc::vec;
use alloc::vec::Vec;
use std::io::{self, Read, Write};

use super::TRANSPORT_READ_SIZE;
use super::driver::Driver;
use crate::adapters::pump::Inbox;
use crate::connection::{Connection, Role};

/// The same stream over a connection and a transport the caller keeps: `Read + Write` for
/// as long as the borrows last. Events other than application data (tickets, KeyUpdates,
/// early data) stay in the connection: take them with `poll_event` afterwards.
pub struct BorrowedStream<'a, S, T> {
    conn: &'a mut Connection<S>,
    transport: &'a mut T,
    /// Received TLS bytes the connection has not taken yet (only while it is paused; they
    /// are dropped with the stream).
    inbox: Inbox<Vec<u8>>,
}

impl<'a, S: Role, T: Read + Write> BorrowedStream<'a, S, T> {
    /// A stream over `conn` and `transport`.
    pub fn new(conn: &'a mut Connection<S>, transport: &'a mut T) -> Self {
        Self {
            conn,
            transport,
            inbox: Inbox::new(vec![0; TRANSPORT_READ_SIZE]),
        }
    }

    /// Runs the handshake to its end, if it is not over yet.
    pub fn handshake(&mut self) -> io::Result<()> {
        self.driver().handshake()
    }

    /// Sends close_notify (RFC 9846 §6.1).
    pub fn close(&mut self) -> io::Result<()> {
        self.driver().close()
    }

    fn driver(&mut self) -> Driver<'_, S, T> {
        Driver {
            conn: self.conn,
            transport: self.transport,
            inbox: &mut self.inbox,
            received: None,
        }
    }
}

impl<S: Role, T: Read + Write> Read for BorrowedStream<'_, S, T> {
    /// As [`super::Stream`]'s `read`.
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        self.driver().read(out)
    }
}

impl<S: Role, T: Read + Write> Write for BorrowedStream<'_, S, T> {
    /// As [`super::Stream`]'s `write`.
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.driver().write(data)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.driver().flush()
    }
}
