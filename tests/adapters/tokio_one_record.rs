//! The tokio adapter holds the executor for one expensive crypto operation at a time (a key
//! exchange, a signature, a CertificateVerify verification, a chain validation), in both
//! roles, however the peer's records arrive (`lucid_tls::connection::pacing`):
//!
//! - a client whose transport hands over one record per read, with the server's whole
//!   flight already waiting, never completes its key exchange (the ServerHello) and
//!   checks the server's CertificateVerify in the same poll;
//! - a client that gets the server's encrypted flight (EncryptedExtensions, Certificate,
//!   CertificateVerify, Finished) in one record and one read, as openssl and rustls send
//!   it, validates the chain and verifies the CertificateVerify in separate polls;
//! - a server never does its key exchange and its CertificateVerify signature in the same
//!   poll;
//! - deferred decisions (a verifier or a signing key answering later) still work, and the
//!   work their answers stand for counts as a poll's operation.
//!
//! Each side's provider counts its key exchanges and signature verifications, and wrapped
//! verifiers and keys count chain validations and signatures; a wrapper future notes how
//! many each poll of the handshake did.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

use lucid_tls::Error;
use lucid_tls::adapters::tokio::{DecisionFuture, Decisions, TlsAcceptor, TlsConnector, TlsStream};
use lucid_tls::client::{ClientConfig, ClientConnection, ServerCertVerifier};
use lucid_tls::connection::{SignRequest, VerifyRequest};
use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::crypto::{CryptoError, Rng, SigningKey};
use lucid_tls::os_rng::OsRng;
use lucid_tls::server::{ClientAuth, ClientCertVerifier, ServerConfig};
use lucid_tls::time::Time;
use lucid_tls::verify::Answer;
use lucid_tls::wire::algorithms::SignatureScheme;
use lucid_tls::x509::{CertificateValidator, TrustAnchors, WebPkiClientVerifier};
use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::later::{Later, verdict_of};
use crate::observed_provider::{Observed, Observer};
use crate::pki;
use crate::server_in_memory::ServerInMemory;

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

/// Counts one operation per chain validation, then asks the wrapped verifier.
struct CountedVerifier {
    inner: Arc<dyn ServerCertVerifier>,
    counter: Arc<Counter>,
}

impl ServerCertVerifier for CountedVerifier {
    fn verify(
        &self,
        end_entity: &[u8],
        intermediates: &[&[u8]],
        server_name: Option<&str>,
        now: Time,
    ) -> Answer {
        self.counter.ops.fetch_add(1, Ordering::SeqCst);
        self.inner
            .verify(end_entity, intermediates, server_name, now)
    }

    fn certificate_schemes(&self) -> Option<Vec<SignatureScheme>> {
        self.inner.certificate_schemes()
    }

    fn requires_server_name(&self) -> bool {
        self.inner.requires_server_name()
    }
}

/// Counts one operation per signature, then signs with the wrapped key.
struct CountedKey {
    inner: Arc<dyn SigningKey>,
    counter: Arc<Counter>,
}

impl SigningKey for CountedKey {
    fn schemes(&self) -> &[SignatureScheme] {
        self.inner.schemes()
    }

    fn sign(
        &self,
        scheme: SignatureScheme,
        message: &[u8],
        rng: &mut dyn Rng,
    ) -> Result<Vec<u8>, CryptoError> {
        self.counter.ops.fetch_add(1, Ordering::SeqCst);
        self.inner.sign(scheme, message, rng)
    }
}

/// Answers deferred decisions inline, on the executor, inside the poll of the answer's
/// future: the verifier's or the key's work is then part of that poll.
struct Inline {
    verifier: Option<Arc<dyn ServerCertVerifier>>,
    key: Option<Arc<dyn SigningKey>>,
    answered: Arc<AtomicUsize>,
}

impl Decisions for Inline {
    fn verify(&self, request: VerifyRequest) -> DecisionFuture<Result<(), Error>> {
        let verifier = self.verifier.clone();
        let answered = self.answered.clone();
        Box::pin(async move {
            let verifier = verifier.ok_or(Error::Misuse("no verifier"))?;
            answered.fetch_add(1, Ordering::SeqCst);
            verdict_of(verifier.as_ref(), &request)
        })
    }

    fn sign(&self, request: SignRequest) -> DecisionFuture<Result<Vec<u8>, Error>> {
        let key = self.key.clone();
        let answered = self.answered.clone();
        Box::pin(async move {
            let key = key.ok_or(Error::Misuse("no key"))?;
            answered.fetch_add(1, Ordering::SeqCst);
            key.sign(request.scheme, &request.message, &mut OsRng)
                .map_err(Error::from)
        })
    }
}

/// Runs `future`, returning its output, the most operations counted in one of its polls,
/// and how many polls it took.
async fn per_poll<F: Future>(future: F, counter: &Arc<Counter>) -> (F::Output, usize, usize) {
    PerPoll {
        future: Box::pin(future),
        counter: counter.clone(),
        most_in_one_poll: 0,
        polls: 0,
    }
    .await
}

/// A client config whose provider and verifier count into `counter`; with `defer`, the
/// verifier answers later (`Later`) and the counted one is returned for the `Decisions`.
fn counted_client_config(
    counter: &Arc<Counter>,
    defer: bool,
) -> (ClientConfig, Arc<dyn ServerCertVerifier>) {
    let mut config = pki::client_config();
    config.provider = Arc::new(Observed(counter.clone()));
    let counted: Arc<dyn ServerCertVerifier> = Arc::new(CountedVerifier {
        inner: config.verifier.clone(),
        counter: counter.clone(),
    });
    config.verifier = if defer {
        Arc::new(Later(counted.clone()))
    } else {
        counted.clone()
    };
    (config, counted)
}

/// The client's handshake with [`ServerInMemory`]: the result, the most operations in one
/// poll, the total, and the transport's record log.
async fn client_against_coalesced_flight(
    config: ClientConfig,
    decisions: Option<Arc<dyn Decisions>>,
    counter: &Arc<Counter>,
) -> (std::io::Result<()>, usize, usize, ServerInMemory) {
    let conn = ClientConnection::connect(
        Arc::new(config),
        ServerName::try_from("localhost").unwrap(),
        Box::new(OsRng),
        Time::now(),
    )
    .unwrap();
    let mut tls = TlsStream::new(conn, ServerInMemory::new(pki::server_config()), decisions);
    let (result, most, polls) = per_poll(tls.handshake(), counter).await;
    let total = counter.ops.load(Ordering::SeqCst);
    println!("client: {total} operations in {polls} polls, at most {most} in one");
    let (transport, conn) = tls.into_inner();
    assert!(result.is_err() || !conn.is_handshaking());
    (result, most, total, transport)
}

/// The transport really delivered the server's encrypted flight as one record in one read.
fn assert_flight_coalesced(transport: &ServerInMemory) {
    const APPLICATION_DATA: u8 = 23;
    let encrypted = transport
        .flight
        .iter()
        .filter(|&&t| t == APPLICATION_DATA)
        .count();
    assert_eq!(
        encrypted, 1,
        "the server's flight {:?} is not one encrypted record",
        transport.flight
    );
    assert!(
        transport
            .reads
            .iter()
            .any(|read| read.contains(&APPLICATION_DATA)),
        "no read carried the encrypted flight whole: {:?}",
        transport.reads
    );
}

#[tokio::test]
async fn tokio_client_checks_a_coalesced_flight_one_operation_per_poll() {
    let counter = Arc::new(Counter::default());
    let (config, _) = counted_client_config(&counter, false);
    let (result, most, total, transport) =
        client_against_coalesced_flight(config, None, &counter).await;
    result.expect("the handshake completes");
    assert_flight_coalesced(&transport);
    // The key exchange, the chain validation and the CertificateVerify check...
    assert_eq!(total, 3, "counted {total} operations");
    // ... each in a poll of its own.
    assert_eq!(most, 1, "one poll did {most} expensive operations");
}

/// A server config whose provider and signing key count into `counter`; with `defer`, the
/// key answers later (`Later`) and the counted key is returned for the `Decisions`.
fn counted_server_config(
    counter: &Arc<Counter>,
    defer: bool,
) -> (ServerConfig, Arc<dyn SigningKey>) {
    let plain = pki::server_config();
    let mut certified = plain.certificates[0].clone();
    let counted: Arc<dyn SigningKey> = Arc::new(CountedKey {
        inner: certified.key.clone(),
        counter: counter.clone(),
    });
    certified.key = if defer {
        Arc::new(Later(counted.clone()))
    } else {
        counted.clone()
    };
    let config = ServerConfig::new(Arc::new(Observed(counter.clone())), vec![certified]);
    (config, counted)
}

/// Our acceptor's handshake with our connector configured by `client` (whose work is not
/// counted): the result, the most operations in one poll of the acceptor, and the total.
async fn acceptor_against_our_client(
    acceptor: TlsAcceptor,
    client: ClientConfig,
    counter: &Arc<Counter>,
) -> (std::io::Result<()>, usize, usize) {
    let (client_io, server_io) = tokio::io::duplex(64 * 1024);
    let client = tokio::spawn(async move {
        let connector = TlsConnector::new(Arc::new(client));
        let mut tls = connector
            .connect(ServerName::try_from("localhost").unwrap(), client_io)
            .await?;
        tokio::io::AsyncWriteExt::shutdown(&mut tls).await
    });
    let (accepted, most, polls) = per_poll(acceptor.accept(server_io), counter).await;
    let total = counter.ops.load(Ordering::SeqCst);
    println!("server: {total} operations in {polls} polls, at most {most} in one");
    let result = accepted.map(drop);
    client.await.unwrap().expect("our client completes");
    (result, most, total)
}

#[tokio::test]
async fn tokio_server_never_does_key_exchange_and_signature_in_one_poll() {
    let counter = Arc::new(Counter::default());
    let (config, _) = counted_server_config(&counter, false);
    let acceptor = TlsAcceptor::new(Arc::new(config));
    let (result, most, total) =
        acceptor_against_our_client(acceptor, pki::client_config(), &counter).await;
    result.expect("the handshake completes");
    // The key exchange and the CertificateVerify signature...
    assert_eq!(total, 2, "counted {total} operations");
    // ... each in a poll of its own.
    assert_eq!(most, 1, "one poll did {most} expensive operations");
}

/// Counts one operation per client chain validation, then asks the wrapped verifier.
struct CountedClientVerifier {
    inner: Arc<dyn ClientCertVerifier>,
    counter: Arc<Counter>,
}

impl ClientCertVerifier for CountedClientVerifier {
    fn verify(&self, end_entity: &[u8], intermediates: &[&[u8]], now: Time) -> Answer {
        self.counter.ops.fetch_add(1, Ordering::SeqCst);
        self.inner.verify(end_entity, intermediates, now)
    }

    fn certificate_schemes(&self) -> Option<Vec<SignatureScheme>> {
        self.inner.certificate_schemes()
    }

    fn acceptable_issuers(&self) -> Vec<Vec<u8>> {
        self.inner.acceptable_issuers()
    }
}

#[tokio::test]
async fn tokio_server_checks_a_client_certificate_one_operation_per_poll() {
    // Mutual TLS: the server also validates the client's chain and checks its
    // CertificateVerify, which arrive in one flight.
    let counter = Arc::new(Counter::default());
    let (mut config, _) = counted_server_config(&counter, false);
    let anchors = TrustAnchors::from_der_certificates([&pki::pki().ca_der]).unwrap();
    let validator = CertificateValidator::new(Arc::new(RustCryptoProvider), anchors);
    config.client_auth = ClientAuth::Required(Arc::new(CountedClientVerifier {
        inner: Arc::new(WebPkiClientVerifier::new(validator)),
        counter: counter.clone(),
    }));
    // The client presents the test PKI's certificate (it has no extendedKeyUsage, so it
    // serves for client authentication too).
    let mut client = pki::client_config();
    client.client_auth = vec![pki::server_config().certificates[0].clone()];
    let acceptor = TlsAcceptor::new(Arc::new(config));
    let (result, most, total) = acceptor_against_our_client(acceptor, client, &counter).await;
    result.expect("the mutual handshake completes");
    // The key exchange, the signature, the client's chain and its CertificateVerify...
    assert_eq!(total, 4, "counted {total} operations");
    // ... each in a poll of its own.
    assert_eq!(most, 1, "one poll did {most} expensive operations");
}

#[tokio::test]
async fn tokio_deferred_verifier_answered_inline_still_one_operation_per_poll() {
    // The client's verifier answers later; its `Decisions` validates the chain inside the
    // poll of its future, and the server's flight arrives coalesced.
    let counter = Arc::new(Counter::default());
    let (config, counted) = counted_client_config(&counter, true);
    let client_answers = Arc::new(AtomicUsize::new(0));
    let decisions: Arc<dyn Decisions> = Arc::new(Inline {
        verifier: Some(counted),
        key: None,
        answered: client_answers.clone(),
    });
    let (result, most, total, transport) =
        client_against_coalesced_flight(config, Some(decisions), &counter).await;
    result.expect("the client's handshake completes");
    assert_flight_coalesced(&transport);
    assert_eq!(client_answers.load(Ordering::SeqCst), 1);
    assert_eq!(total, 3, "client: counted {total} operations");
    assert_eq!(most, 1, "client: one poll did {most} expensive operations");
}

#[tokio::test]
async fn tokio_deferred_signing_key_answered_inline_still_one_operation_per_poll() {
    // The server's key answers later; its `Decisions` signs inside the poll of its future.
    let counter = Arc::new(Counter::default());
    let (config, counted) = counted_server_config(&counter, true);
    let server_answers = Arc::new(AtomicUsize::new(0));
    let acceptor = TlsAcceptor::new(Arc::new(config)).with_decisions(Arc::new(Inline {
        verifier: None,
        key: Some(counted),
        answered: server_answers.clone(),
    }));
    let (result, most, total) =
        acceptor_against_our_client(acceptor, pki::client_config(), &counter).await;
    result.expect("the server's handshake completes");
    assert_eq!(server_answers.load(Ordering::SeqCst), 1);
    assert_eq!(total, 2, "server: counted {total} operations");
    assert_eq!(most, 1, "server: one poll did {most} expensive operations");
}
