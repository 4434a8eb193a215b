//! The tokio adapter holds the executor for one handshake record at a time: a client whose
//! transport hands over one record per read, with the server's whole flight already
//! waiting, never completes its key exchange (the ServerHello) and checks the server's
//! CertificateVerify in the same poll.
//!
//! The client's provider counts its expensive operations (key exchange completions and
//! signature verifications); a wrapper future notes how many each poll of the handshake
//! did. Without the yield after each handshake record, the poll that handles the
//! ServerHello goes on to read and handle the encrypted flight, and does both.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

use lucid_tls::adapters::tokio::{TlsAcceptor, TlsStream};
use lucid_tls::client::ClientConnection;
use lucid_tls::os_rng::OsRng;
use lucid_tls::time::Time;
use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::observed_provider::{Observed, Observer};
use crate::pki;

/// Counts key exchange completions and signature verifications.
#[derive(Default)]
struct Counter {
    ops: AtomicUsize,
}

impl Observer for Counter {
    fn key_exchange_completed(&self) {
        self.ops.fetch_add(1, Ordering::SeqCst);
    }

    fn signature_verified(&self) {
        self.ops.fetch_add(1, Ordering::SeqCst);
    }
}

/// A transport that hands over at most one TLS record per read (RFC 9846 §5.1: a 5-byte
/// header whose last two bytes are the length), however much its inner transport holds.
struct OneRecordPerRead<T> {
    inner: T,
    /// Bytes read from `inner`, not handed over yet.
    held: Vec<u8>,
}

impl<T> OneRecordPerRead<T> {
    /// The length of the first record in `held`, if it is all there.
    fn whole_record(&self) -> Option<usize> {
        let header = self.held.get(..5)?;
        let len = 5 + usize::from(u16::from_be_bytes([header[3], header[4]]));
        (self.held.len() >= len).then_some(len)
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for OneRecordPerRead<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        loop {
            if let Some(len) = self.whole_record() {
                let n = len.min(buf.remaining());
                buf.put_slice(&self.held[..n]);
                self.held.drain(..n);
                return Poll::Ready(Ok(()));
            }
            let mut chunk = [0u8; 4096];
            let mut chunk_buf = ReadBuf::new(&mut chunk);
            std::task::ready!(Pin::new(&mut self.inner).poll_read(cx, &mut chunk_buf))?;
            if chunk_buf.filled().is_empty() {
                // The end: hand over a partial record as it is (the connection reports it).
                let n = self.held.len().min(buf.remaining());
                buf.put_slice(&self.held[..n]);
                self.held.drain(..n);
                return Poll::Ready(Ok(()));
            }
            let filled = chunk_buf.filled().to_vec();
            self.held.extend_from_slice(&filled);
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for OneRecordPerRead<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, data)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// Polls `future`, noting the most operations `counter` counted during one poll.
struct PerPoll<F> {
    future: Pin<Box<F>>,
    counter: Arc<Counter>,
    most_in_one_poll: usize,
    polls: usize,
}

impl<F: Future> Future for PerPoll<F> {
    type Output = (F::Output, usize, usize);

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let before = self.counter.ops.load(Ordering::SeqCst);
        let result = self.future.as_mut().poll(cx);
        let done = self.counter.ops.load(Ordering::SeqCst) - before;
        self.most_in_one_poll = self.most_in_one_poll.max(done);
        self.polls += 1;
        result.map(|output| (output, self.most_in_one_poll, self.polls))
    }
}

#[tokio::test]
async fn tokio_one_poll_handles_one_handshake_record() {
    let (client_io, server_io) = tokio::io::duplex(64 * 1024);
    let acceptor = TlsAcceptor::new(Arc::new(pki::server_config()));
    let server = tokio::spawn(async move {
        let mut tls = acceptor.accept(server_io).await?;
        tls.handshake().await?;
        // Hold the stream until the client is done.
        let mut rest = Vec::new();
        tokio::io::AsyncReadExt::read_to_end(&mut tls, &mut rest).await
    });

    let counter = Arc::new(Counter::default());
    let mut config = pki::client_config();
    // Only the connection's own work is counted: the certificate validator keeps its own
    // provider (webpki's chain check is one record's work as well).
    config.provider = Arc::new(Observed(counter.clone()));
    let conn = ClientConnection::connect(
        Arc::new(config),
        ServerName::try_from("localhost").unwrap(),
        Box::new(OsRng),
        Time::now(),
    )
    .unwrap();
    let transport = OneRecordPerRead {
        inner: client_io,
        held: Vec::new(),
    };
    let mut tls = TlsStream::new(conn, transport, None);
    let handshake = PerPoll {
        future: Box::pin(async { tls.handshake().await }),
        counter: counter.clone(),
        most_in_one_poll: 0,
        polls: 0,
    };
    let (result, most_in_one_poll, polls) = handshake.await;
    result.expect("the handshake completes");
    let (_, conn) = tls.get_ref();
    assert!(!conn.is_handshaking());
    // The ServerHello's key exchange and the CertificateVerify's signature were both done...
    let total = counter.ops.load(Ordering::SeqCst);
    assert!(total >= 2, "counted {total} operations");
    // ... each in a poll of its own.
    assert_eq!(
        most_in_one_poll, 1,
        "one poll of the handshake did {most_in_one_poll} expensive operations ({polls} polls)"
    );
    tokio::io::AsyncWriteExt::shutdown(&mut tls).await.unwrap();
    drop(tls);
    let _ = server.await.unwrap();
}
