//! The blocking std stream, owned ([`Stream`]) and borrowed ([`BorrowedStream`]), against a
//! rustls server: a transport that says `WouldBlock` or `Interrupted` and writes short at
//! random (seeded) points loses nothing; a fatal error is returned by every later read;
//! a transport that ends without close_notify is `UnexpectedEof`; after close_notify,
//! reads return 0.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;

use lucid_tls::Error;
use lucid_tls::client::ClientConnection;
use lucid_tls::os_rng::OsRng;
use lucid_tls::stream::{BorrowedStream, ClientStream};
use lucid_tls::time::Time;
use lucid_tls::wire::alert::AlertDescription;
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};

use crate::pki;
use crate::rustls_peer::{self, Peer};

/// A transport that, at seeded random points, returns `WouldBlock` or `Interrupted`
/// instead of doing anything, and reads or writes fewer bytes than asked.
pub struct Flaky<T> {
    inner: T,
    rng: ChaCha8Rng,
    pub would_blocks: u64,
    pub interrupts: u64,
    pub short_writes: u64,
}

impl<T> Flaky<T> {
    pub fn new(inner: T, seed: u64) -> Self {
        Self {
            inner,
            rng: ChaCha8Rng::seed_from_u64(seed),
            would_blocks: 0,
            interrupts: 0,
            short_writes: 0,
        }
    }

    /// `Some(error)` for this call, or `None` and how many of `len` bytes to move.
    fn roll(&mut self, len: usize) -> Result<usize, io::Error> {
        match self.rng.next_u32() % 8 {
            0 | 1 => {
                self.would_blocks += 1;
                Err(io::ErrorKind::WouldBlock.into())
            }
            2 => {
                self.interrupts += 1;
                Err(io::ErrorKind::Interrupted.into())
            }
            _ if len == 0 => Ok(0),
            _ => Ok(1 + (self.rng.next_u32() as usize) % len),
        }
    }
}

impl<T: Read> Read for Flaky<T> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.roll(buf.len())?;
        self.inner.read(&mut buf[..n])
    }
}

impl<T: Write> Write for Flaky<T> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.roll(buf.len())?;
        if n < buf.len() {
            self.short_writes += 1;
        }
        self.inner.write(&buf[..n])
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Repeats `op` while it says `WouldBlock`, as an event loop would when the transport is
/// ready again.
fn again<T>(mut op: impl FnMut() -> io::Result<T>) -> io::Result<T> {
    loop {
        match op() {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
            result => return result,
        }
    }
}

/// A client connection to the rustls peer, and the TCP connection.
fn connect(peer: Peer) -> (ClientConnection, TcpStream, std::thread::JoinHandle<()>) {
    let (port, server) = rustls_peer::start(peer);
    let conn = ClientConnection::new(
        Arc::new(pki::client_config()),
        Some("localhost"),
        Box::new(OsRng),
        Time::now(),
    )
    .unwrap();
    let tcp = TcpStream::connect(("127.0.0.1", port)).unwrap();
    (conn, tcp, server)
}

/// `len` seeded random bytes.
fn message(seed: u64, len: usize) -> Vec<u8> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut data = vec![0u8; len];
    rng.fill_bytes(&mut data);
    data
}

/// Read + Write, as one object.
pub trait ReadWrite: Read + Write {}
impl<T: Read + Write> ReadWrite for T {}

/// Echoes `data` through `tls` in seeded pieces; returns the bytes that came back.
fn echo_in_pieces(tls: &mut dyn ReadWrite, data: &[u8], seed: u64) -> Vec<u8> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut echoed = Vec::with_capacity(data.len());
    let mut at = 0;
    while at < data.len() {
        let piece = (1 + rng.next_u32() as usize % 20_000).min(data.len() - at);
        let taken = again(|| tls.write(&data[at..at + piece])).unwrap();
        assert!(taken > 0);
        at += taken;
        again(|| tls.flush()).unwrap();
        while echoed.len() < at {
            let mut buffer = vec![0u8; 1 + rng.next_u32() as usize % 5000];
            let n = again(|| tls.read(&mut buffer)).unwrap();
            assert!(n > 0, "end of stream in the middle of the echo");
            echoed.extend_from_slice(&buffer[..n]);
        }
    }
    echoed
}

#[test]
fn std_owned_stream_loses_nothing_on_would_block_interrupted_and_short_writes() {
    for seed in [1u64, 2, 3] {
        let (conn, tcp, server) = connect(Peer::Echo);
        let mut tls = ClientStream::new(conn, Flaky::new(tcp, seed));
        again(|| tls.handshake()).unwrap();
        let data = message(seed, 150_000);
        let echoed = echo_in_pieces(&mut tls, &data, seed);
        assert!(echoed == data, "seed {seed}: the echo differs");
        again(|| tls.close()).unwrap();
        let mut rest = [0u8; 16];
        assert_eq!(again(|| tls.read(&mut rest)).unwrap(), 0);
        let flaky = tls.get_ref();
        assert!(flaky.would_blocks > 10 && flaky.interrupts > 5 && flaky.short_writes > 10);
        server.join().unwrap();
    }
}

#[test]
fn std_borrowed_stream_loses_nothing_on_would_block_interrupted_and_short_writes() {
    for seed in [11u64, 12] {
        let (mut conn, tcp, server) = connect(Peer::Echo);
        let mut flaky = Flaky::new(tcp, seed);
        // A fresh borrowed stream for every call: what is queued lives in the connection.
        again(|| BorrowedStream::new(&mut conn, &mut flaky).handshake()).unwrap();
        let data = message(seed, 100_000);
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut echoed = Vec::new();
        let mut at = 0;
        while at < data.len() {
            let piece = (1 + rng.next_u32() as usize % 20_000).min(data.len() - at);
            at += again(|| BorrowedStream::new(&mut conn, &mut flaky).write(&data[at..at + piece]))
                .unwrap();
            again(|| BorrowedStream::new(&mut conn, &mut flaky).flush()).unwrap();
            while echoed.len() < at {
                let mut buffer = vec![0u8; 1 + rng.next_u32() as usize % 5000];
                let n =
                    again(|| BorrowedStream::new(&mut conn, &mut flaky).read(&mut buffer)).unwrap();
                assert!(n > 0);
                echoed.extend_from_slice(&buffer[..n]);
            }
        }
        assert!(echoed == data, "seed {seed}: the echo differs");
        again(|| BorrowedStream::new(&mut conn, &mut flaky).close()).unwrap();
        let mut rest = [0u8; 16];
        assert_eq!(
            again(|| BorrowedStream::new(&mut conn, &mut flaky).read(&mut rest)).unwrap(),
            0
        );
        assert!(flaky.would_blocks > 10 && flaky.short_writes > 10);
        server.join().unwrap();
    }
}

/// The TLS error inside an I/O error.
fn inner(err: &io::Error) -> Error {
    *err.get_ref()
        .and_then(|e| e.downcast_ref::<Error>())
        .unwrap_or_else(|| panic!("not a TLS error: {err}"))
}

#[test]
fn std_read_after_a_fatal_error_returns_that_tls_error() {
    let (conn, tcp, server) = connect(Peer::Garbage);
    let mut tls = ClientStream::new(conn, tcp);
    let mut buffer = [0u8; 3];
    tls.read_exact(&mut buffer).unwrap();
    assert_eq!(&buffer, b"bye");
    let first = tls.read(&mut buffer).unwrap_err();
    assert_eq!(inner(&first).alert(), Some(AlertDescription::BadRecordMac));
    // Sticky, and without touching the transport again (it would block: the peer waits).
    let again = tls.read(&mut buffer).unwrap_err();
    assert_eq!(inner(&again), inner(&first));
    assert_eq!(inner(&tls.write(b"x").unwrap_err()), inner(&first));
    drop(tls);
    server.join().unwrap();
}

#[test]
fn std_end_of_transport_without_close_notify_is_unexpected_eof() {
    let (conn, tcp, server) = connect(Peer::Truncate);
    let mut tls = ClientStream::new(conn, tcp);
    let mut buffer = [0u8; 3];
    tls.read_exact(&mut buffer).unwrap();
    let err = tls.read(&mut buffer).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    server.join().unwrap();
}

#[test]
fn std_reads_return_zero_after_close_notify() {
    let (mut conn, mut tcp, server) = connect(Peer::Close);
    let mut tls = BorrowedStream::new(&mut conn, &mut tcp);
    let mut received = Vec::new();
    tls.read_to_end(&mut received).unwrap();
    assert_eq!(received, b"bye");
    let mut buffer = [0u8; 8];
    assert_eq!(tls.read(&mut buffer).unwrap(), 0);
    assert_eq!(tls.read(&mut buffer).unwrap(), 0);
    tls.close().unwrap();
    drop(tls);
    drop(tcp);
    server.join().unwrap();
}

#[test]
fn std_client_stream_keeps_only_the_newest_tickets() {
    use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
    use lucid_tls::server::{Sealer, TicketConfig};
    use lucid_tls::stream::ServerStream;
    let mut config = pki::server_config();
    config.tickets = Some(TicketConfig {
        issuer: Arc::new(Sealer::new(&RustCryptoProvider, [1, 2, 3, 4], &[7u8; 32]).unwrap()),
        count: 20,
        lifetime_secs: 3600,
        nonce_len: 1,
    });
    let config = Arc::new(config);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let (tcp, _) = listener.accept().unwrap();
        let mut tls = ServerStream::accept(config, tcp).unwrap();
        tls.write_all(b"twenty tickets sent").unwrap();
        tls.close().unwrap();
    });
    let tcp = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let client_config = pki::client_config();
    let kept = client_config.ticket_store_capacity;
    assert!(kept < 20);
    let mut tls = ClientStream::connect(Arc::new(client_config), Some("localhost"), tcp).unwrap();
    let mut received = String::new();
    tls.read_to_string(&mut received).unwrap();
    assert_eq!(received, "twenty tickets sent");
    assert_eq!(tls.take_tickets().len(), kept);
    server.join().unwrap();
}

#[test]
fn std_stream_completes_a_handshake_with_a_hello_retry_request() {
    // The second ClientHello is gathered into records lazily: the stream must send it.
    let (conn, tcp, server) = connect(Peer::EchoAfterRetry);
    let mut tls = ClientStream::new(conn, Flaky::new(tcp, 7));
    again(|| tls.handshake()).unwrap();
    let echoed = echo_in_pieces(&mut tls, b"after a retry", 7);
    assert_eq!(echoed, b"after a retry");
    again(|| tls.close()).unwrap();
    assert_eq!(again(|| tls.read(&mut [0u8; 8])).unwrap(), 0);
    server.join().unwrap();
}
