//! A server inside the client's transport, for the per-poll tests of the tokio adapter
//! (`tokio_one_record.rs`): it answers in whole records, its encrypted flight coalesced in
//! one record and one read, as real servers send it.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use lucid_tls::os_rng::OsRng;
use lucid_tls::server::{ServerConfig, ServerConnection};
use lucid_tls::time::Time;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// The record types (RFC 9846 §5.1, the first header byte) of the whole records in `bytes`.
pub fn record_types(bytes: &[u8]) -> Vec<u8> {
    let mut types = Vec::new();
    let mut at = 0;
    while let Some(header) = bytes.get(at..at + 5) {
        types.push(header[0]);
        at += 5 + usize::from(u16::from_be_bytes([header[3], header[4]]));
    }
    types
}

/// The length of the whole records at the start of `bytes` that fit in `room` bytes.
fn whole_records_within(bytes: &[u8], room: usize) -> usize {
    let mut end = 0;
    while let Some(header) = bytes.get(end..end + 5) {
        let next = end + 5 + usize::from(u16::from_be_bytes([header[3], header[4]]));
        if next > room || next > bytes.len() {
            break;
        }
        end = next;
    }
    end
}

/// The server, as a sans-IO connection inside the client's transport: what the client
/// writes is fed to it at once, and what it sends back is handed over in as few reads as
/// the reader's buffer allows, whole records at a time. Its encrypted flight is one record
/// (EncryptedExtensions, Certificate, CertificateVerify, Finished), as openssl and rustls
/// send it, and reaches the client in one read.
pub struct ServerInMemory {
    server: ServerConnection,
    to_client: Vec<u8>,
    /// The record types of each read handed over.
    pub reads: Vec<Vec<u8>>,
    /// The record types of the server's first flight.
    pub flight: Vec<u8>,
}

impl ServerInMemory {
    pub fn new(config: ServerConfig) -> Self {
        Self {
            server: ServerConnection::new(Arc::new(config), Box::new(OsRng), Time::now()).unwrap(),
            to_client: Vec::new(),
            reads: Vec::new(),
            flight: Vec::new(),
        }
    }
}

impl AsyncRead for ServerInMemory {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        if self.to_client.is_empty() {
            // The handshake never waits for the server with nothing in flight.
            return Poll::Ready(Err(std::io::Error::other(
                "the in-memory server has nothing to send",
            )));
        }
        let whole = whole_records_within(&self.to_client, buf.remaining());
        let n = if whole == 0 {
            buf.remaining().min(self.to_client.len())
        } else {
            whole
        };
        let handed: Vec<u8> = self.to_client.drain(..n).collect();
        buf.put_slice(&handed);
        self.reads.push(record_types(&handed));
        Poll::Ready(Ok(()))
    }
}

impl AsyncWrite for ServerInMemory {
    fn poll_write(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = &mut *self;
        this.server
            .feed(Time::now(), data)
            .map_err(std::io::Error::other)?;
        let output = this.server.take_output();
        if this.flight.is_empty() {
            this.flight = record_types(&output);
        }
        this.to_client.extend_from_slice(&output);
        Poll::Ready(Ok(data.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}
