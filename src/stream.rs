//! [`Stream`] and [`BorrowedStream`]: a blocking TLS stream over any `Read + Write`
//! transport (a `TcpStream`, a Unix socket, a pipe), which is itself `Read + Write`
//! (requires the `std` feature).
//!
//! This is the sans-IO [`Connection`] with the I/O loop written once (the steps come from
//! `crate::adapters::pump`, shared with the tokio and embedded-io adapters):
//!
//! ```text
//!   your code ──write()──► Stream ──conn.write()──► Connection ──output──► transport
//!   your code ◄──read()─── Stream ◄───── data ───── Connection ◄──feed(now, ..)── transport
//! ```
//!
//! - **Owned or borrowed**: [`Stream`] owns its connection and transport, and collects the
//!   connection's events (tickets, early data, KeyUpdate counts). [`BorrowedStream`] runs
//!   the same loop over a `&mut Connection` and a `&mut T` that the caller keeps; the
//!   events other than application data stay in the connection for `poll_event`.
//! - **Handshake**: runs on the first `read` or `write`, or when [`Stream::handshake`] is
//!   called.
//! - **Nothing is lost on `WouldBlock` or a short write**: TLS bytes leave the connection's
//!   queue only once the transport took them, and received bytes wait in the stream until
//!   the connection took them. A call that returns `WouldBlock` resumes where it stopped
//!   on the next call. `Interrupted` is retried. A `write` returns `Ok(n)` once the
//!   connection has accepted the `n` bytes; what the transport did not take yet goes out
//!   on the next call (or `flush`).
//! - **Time and randomness**: the convenience constructors ([`ClientStream::connect`],
//!   [`ClientStream::resume`], [`ServerStream::accept`]) give the connection the OS RNG
//!   ([`OsRng`]), and every `feed` gets [`Time::now`]. To choose your own, build the
//!   [`Connection`] yourself and wrap it with [`Stream::new`].
//! - **Post-handshake messages** are handled inside `read`: a KeyUpdate is answered before
//!   `read` waits for more, NewSessionTickets are kept for [`ClientStream::take_tickets`]
//!   (the newest, at most `ClientConfig::ticket_store_capacity`), and
//!   close_notify makes `read` return 0 (end of stream). Answering the peer's close_notify
//!   with ours is the caller's choice: call [`Stream::close`].
//! - **Errors**: a TLS failure comes back as an [`io::Error`] whose inner error is the
//!   crate's [`Error`](crate::Error) (`err.get_ref()` and `downcast_ref::<Error>()`). The
//!   alert it calls for has been written to the transport first. Errors are sticky: every later `read` or
//!   `write` returns the same TLS error. A transport that ends without close_notify gives
//!   [`io::ErrorKind::UnexpectedEof`]: a truncation attack looks exactly like that
//!   (RFC 9846 §6.1).
//! - **Early data**: a client writes 0-RTT data with [`ClientStream::write_early_data`]
//!   before the handshake; a server finds what it accepted in [`ServerStream::take_early_data`]
//!   once the handshake is done, kept apart from `read`'s data because it may be a replay
//!   (RFC 9846 §8).
//! - **Deferred decisions** (a verifier answering `Answer::Later` or a signing key whose `defers()` is true, see
//!   [`crate::connection::deferred`]) are not supported: a blocking stream cannot wait
//!   for an answer. When the connection pauses for one, the call fails with an
//!   [`io::ErrorKind::Unsupported`] error carrying [`Error::Misuse`](crate::Error::Misuse).
//!   The tokio adapter (`crate::adapters::tokio`) supports them.
//! - **Trace events** are dropped unless a sink is set ([`Stream::set_trace_sink`]); turn
//!   `trace` off in the config when nobody reads them.
//!
//! Not here: async (see `crate::adapters`). The stream does not split into read and
//! write halves.

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;
use std::io::{self, Read, Write};

use crate::adapters::pump::Inbox;
#[cfg(feature = "client")]
use crate::client::{ClientConfig, ClientConnection, ClientRole, Ticket, TicketStore};
use crate::connection::{Connection, Event, Negotiated, Role};
use crate::os_rng::OsRng;
#[cfg(feature = "server")]
use crate::server::{ServerConfig, ServerConnection, ServerRole};
use crate::time::Time;
use crate::trace::{Direction, TraceEvent};

mod borrowed;
mod driver;

pub use borrowed::BorrowedStream;
use driver::Driver;
pub(crate) use driver::tls_error;

/// A blocking TLS client stream.
#[cfg(feature = "client")]
pub type ClientStream<T> = Stream<ClientRole, T>;

/// A blocking TLS server stream.
#[cfg(feature = "server")]
pub type ServerStream<T> = Stream<ServerRole, T>;

/// Where trace events go, one by one, as the connection produces them.
pub type TraceSink = Box<dyn FnMut(TraceEvent) + Send>;

/// How much TLS data one `read` of the transport asks for: a whole maximal record
/// (RFC 9846 §5.2: 5 header bytes and at most 2^14 + 256 bytes of ciphertext).
const TRANSPORT_READ_SIZE: usize = 5 + (1 << 14) + 256;

/// The most plaintext one `write` call takes: 4 full records. `write_all` loops.
const MAX_PLAINTEXT_PER_WRITE: usize = 4 << 14;

/// A TLS connection and its transport, as one blocking `Read + Write` stream.
pub struct Stream<S, T> {
    conn: Connection<S>,
    transport: T,
    /// Received TLS bytes the connection has not taken yet.
    inbox: Inbox<Vec<u8>>,
    /// What the connection reported: tickets, early data, KeyUpdate counts, traces.
    received: Received,
}

/// The connection's events (but application data) and traces, taken as they come: the
/// driver hands them over after every record it feeds, so that a flood of
/// NewSessionTickets or trace events in one long `read` never piles up in the connection.
struct Received {
    /// 0-RTT data received (server), not yet taken.
    early_data: Vec<u8>,
    /// Tickets received (client), not yet taken: the newest, at most
    /// `ClientConfig::ticket_store_capacity` of them.
    #[cfg(feature = "client")]
    tickets: TicketStore,
    /// The server's verdict on our 0-RTT data (client), once known.
    early_data_accepted: Option<bool>,
    key_updates_sent: u64,
    key_updates_received: u64,
    trace_sink: Option<TraceSink>,
}

impl Received {
    fn new() -> Self {
        Self {
            early_data: Vec::new(),
            #[cfg(feature = "client")]
            tickets: TicketStore::default(),
            early_data_accepted: None,
            key_updates_sent: 0,
            key_updates_received: 0,
            trace_sink: None,
        }
    }

    /// Takes the connection's events (but application data, which `read` takes) into the
    /// stream's state, and trace events to the sink.
    fn drain<S: Role>(&mut self, conn: &mut Connection<S>) {
        conn.take_events_except_data(|event| match event {
            Event::EarlyData(data) => self.early_data.extend(data),
            // RFC 9846 §4.7.1 sets no limit on tickets: the store keeps the newest.
            #[cfg(feature = "client")]
            Event::NewSessionTicket(ticket) => self.tickets.push(ticket),
            #[cfg(not(feature = "client"))]
            Event::NewSessionTicket(_) => {}
            Event::EarlyDataAccepted => self.early_data_accepted = Some(true),
            Event::EarlyDataRejected => self.early_data_accepted = Some(false),
            Event::KeyUpdated { direction } => match direction {
                Direction::Sent => self.key_updates_sent += 1,
                Direction::Received => self.key_updates_received += 1,
            },
            // Visible through `negotiated()`, `peer_closed()` and the errors returned.
            Event::HandshakeComplete(_)
            | Event::PeerClosed
            | Event::AlertSent(_)
            | Event::AlertReceived(_)
            | Event::ApplicationData(_) => {}
            // A blocking stream cannot wait for an answer: the call that paused reports
            // it as an error (see the module doc).
            Event::VerifyRequest(_) | Event::SignRequest(_) => {}
        });
        while let Some(trace) = conn.poll_trace() {
            if let Some(sink) = &mut self.trace_sink {
                sink(trace);
            }
        }
    }
}

impl<S: Role, T: Read + Write> Stream<S, T> {
    /// Wraps a connection (built with the caller's own RNG and time, for example) and its
    /// transport. Nothing is sent until the first call that needs the peer.
    pub fn new(conn: Connection<S>, transport: T) -> Self {
        Self {
            conn,
            transport,
            inbox: Inbox::new(vec![0; TRANSPORT_READ_SIZE]),
            received: Received::new(),
        }
    }

    /// Runs the handshake to its end, if it is not over yet.
    pub fn handshake(&mut self) -> io::Result<()> {
        let result = self.driver().handshake();
        self.drain_events();
        result
    }

    /// Sends close_notify (RFC 9846 §6.1): we will write nothing more. Reading may go on
    /// until the peer's close_notify makes `read` return 0.
    pub fn close(&mut self) -> io::Result<()> {
        let result = self.driver().close();
        self.drain_events();
        result
    }

    /// Sends a KeyUpdate (RFC 9846 §4.7.3), asking the peer to update its keys too if
    /// `request_peer`. Runs the handshake first if needed.
    pub fn key_update(&mut self, request_peer: bool) -> io::Result<()> {
        let result = self.driver().key_update(request_peer);
        self.drain_events();
        result
    }

    /// The negotiated parameters, once the handshake is complete.
    pub fn negotiated(&self) -> Option<&Negotiated> {
        self.conn.negotiated()
    }

    /// True once the peer's close_notify arrived.
    pub fn peer_closed(&self) -> bool {
        self.conn.peer_has_closed()
    }

    /// How many KeyUpdates we sent (ours and our answers to the peer's requests).
    pub fn key_updates_sent(&self) -> u64 {
        self.received.key_updates_sent
    }

    /// How many KeyUpdates the peer sent.
    pub fn key_updates_received(&self) -> u64 {
        self.received.key_updates_received
    }

    /// Hands every later trace event to `sink` (the config must enable tracing).
    pub fn set_trace_sink(&mut self, sink: TraceSink) {
        self.received.trace_sink = Some(sink);
    }

    /// The connection.
    pub fn connection(&self) -> &Connection<S> {
        &self.conn
    }

    /// The connection, mutably: bytes it queues are written at the stream's next call.
    pub fn connection_mut(&mut self) -> &mut Connection<S> {
        &mut self.conn
    }

    /// The transport.
    pub fn get_ref(&self) -> &T {
        &self.transport
    }

    /// The transport, mutably. Reading or writing it directly corrupts the TLS stream.
    pub fn get_mut(&mut self) -> &mut T {
        &mut self.transport
    }

    /// The connection and the transport. Received bytes the connection had not taken yet
    /// (only while it is paused) are dropped.
    pub fn into_parts(self) -> (Connection<S>, T) {
        (self.conn, self.transport)
    }

    /// The I/O loop over this stream's parts.
    fn driver(&mut self) -> Driver<'_, S, T> {
        Driver {
            conn: &mut self.conn,
            transport: &mut self.transport,
            inbox: &mut self.inbox,
            received: Some(&mut self.received),
        }
    }

    /// Takes what the connection reported since the last call (see [`Received`]).
    fn drain_events(&mut self) {
        self.received.drain(&mut self.conn);
    }
}

impl<S: Role, T: Read + Write> Read for Stream<S, T> {
    /// Reads application data, running the handshake first if needed. Returns 0 once the
    /// peer has sent close_notify and everything before it has been read.
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let result = self.driver().read(out);
        self.drain_events();
        result
    }
}

impl<S: Role, T: Read + Write> Write for Stream<S, T> {
    /// Encrypts up to 64 KiB of `data` and sends it, running the handshake first if needed.
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let result = self.driver().write(data);
        self.drain_events();
        result
    }

    /// Sends everything queued, then flushes the transport.
    fn flush(&mut self) -> io::Result<()> {
        self.driver().flush()
    }
}

#[cfg(feature = "client")]
impl<T: Read + Write> Stream<ClientRole, T> {
    /// A client stream to `server_name` over `transport`, with the OS RNG. The ClientHello
    /// is sent by the first call that needs the peer.
    pub fn connect(
        config: Arc<ClientConfig>,
        server_name: Option<&str>,
        transport: T,
    ) -> io::Result<Self> {
        let tickets = TicketStore::new(config.ticket_store_capacity);
        let conn = ClientConnection::new(config, server_name, Box::new(OsRng), Time::now())
            .map_err(tls_error)?;
        let mut stream = Self::new(conn, transport);
        stream.received.tickets = tickets;
        Ok(stream)
    }

    /// Like [`ClientStream::connect`], offering `ticket` for resumption (and 0-RTT, if the
    /// config enables it and the ticket allows it: see [`ClientStream::write_early_data`]).
    pub fn resume(
        config: Arc<ClientConfig>,
        server_name: Option<&str>,
        ticket: Ticket,
        transport: T,
    ) -> io::Result<Self> {
        let tickets = TicketStore::new(config.ticket_store_capacity);
        let conn =
            ClientConnection::resume(config, server_name, ticket, Box::new(OsRng), Time::now())
                .map_err(tls_error)?;
        let mut stream = Self::new(conn, transport);
        stream.received.tickets = tickets;
        Ok(stream)
    }

    /// Sends `data` as 0-RTT data (RFC 9846 §2.3), before the handshake completes. Only
    /// possible on a resumed connection whose ticket allows early data. It may be replayed
    /// by an attacker. If the server rejects it ([`ClientStream::early_data_accepted`] is
    /// `Some(false)` after the handshake), send it again with `write` if it still matters.
    pub fn write_early_data(&mut self, data: &[u8]) -> io::Result<()> {
        let result = self.conn.write_early_data(data);
        self.drain_events();
        result.map_err(tls_error)?;
        self.driver()
            .run(crate::adapters::pump::flush_step)
            .map(|_| ())
    }

    /// True while 0-RTT data may be written.
    pub fn can_write_early_data(&self) -> bool {
        self.conn.can_write_early_data()
    }

    /// Whether the server accepted our 0-RTT data: `None` until it said.
    pub fn early_data_accepted(&self) -> Option<bool> {
        self.received.early_data_accepted
    }

    /// The session tickets received so far and not taken yet (oldest first), to resume
    /// with later: the newest `ClientConfig::ticket_store_capacity` of them.
    pub fn take_tickets(&mut self) -> Vec<Ticket> {
        self.received.tickets.take_all()
    }
}

#[cfg(feature = "server")]
impl<T: Read + Write> Stream<ServerRole, T> {
    /// A server stream over `transport`, with the OS RNG. The handshake starts with the
    /// first call that needs the peer.
    pub fn accept(config: Arc<ServerConfig>, transport: T) -> io::Result<Self> {
        let conn =
            ServerConnection::new(config, Box::new(OsRng), Time::now()).map_err(tls_error)?;
        Ok(Self::new(conn, transport))
    }

    /// The 0-RTT data the server accepted (complete once the handshake is). It may be a
    /// replay: act on it only as RFC 9846 §8 and Appendix F.5 allow.
    pub fn take_early_data(&mut self) -> Vec<u8> {
        core::mem::take(&mut self.received.early_data)
    }
}

impl<S: Role, T: core::fmt::Debug> core::fmt::Debug for Stream<S, T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Stream")
            .field("state", &self.conn.state_name())
            .field("transport", &self.transport)
            .field("peer_closed", &self.conn.peer_has_closed())
            .finish_non_exhaustive()
    }
}

#[cfg(all(test, feature = "client", feature = "server"))]
mod tests {
    use super::*;
    use crate::client::PinnedCertificates;
    use crate::crypto::rustcrypto::RustCryptoProvider;
    use crate::error::Error;
    use crate::server::CertifiedKey;
    use crate::wire::alert::AlertDescription;
    use std::net::{TcpListener, TcpStream};
    use std::string::ToString;
    use std::thread;

    /// A fresh self-signed ECDSA P-256 certificate for "localhost", and its key.
    fn certified_key() -> CertifiedKey {
        let generated = rcgen::generate_simple_self_signed(["localhost".to_string()]).unwrap();
        let key = crate::pem::signing_key_from_pem(
            &RustCryptoProvider,
            generated.signing_key.serialize_pem().as_bytes(),
        )
        .unwrap();
        CertifiedKey {
            chain: vec![generated.cert.der().to_vec()],
            raw_public_key: None,
            key,
            server_names: Vec::new(),
        }
    }

    /// A server config with `key`, and a client config pinning `pinned`.
    fn configs(key: CertifiedKey, pinned: Vec<u8>) -> (Arc<ServerConfig>, Arc<ClientConfig>) {
        let provider = Arc::new(RustCryptoProvider);
        let server = ServerConfig::new(provider.clone(), vec![key]);
        let verifier = Arc::new(PinnedCertificates::new(vec![pinned]));
        (
            Arc::new(server),
            Arc::new(ClientConfig::new(provider, verifier)),
        )
    }

    /// Runs `serve` on a server stream in a thread; returns a connected client stream.
    fn pair(
        key: CertifiedKey,
        pinned: Vec<u8>,
        serve: impl FnOnce(ServerStream<TcpStream>) + Send + 'static,
    ) -> (ClientStream<TcpStream>, thread::JoinHandle<()>) {
        let (server_config, client_config) = configs(key, pinned);
        pair_with(server_config, client_config, serve)
    }

    /// [`pair`] with the configs given.
    fn pair_with(
        server_config: Arc<ServerConfig>,
        client_config: Arc<ClientConfig>,
        serve: impl FnOnce(ServerStream<TcpStream>) + Send + 'static,
    ) -> (ClientStream<TcpStream>, thread::JoinHandle<()>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let server = thread::spawn(move || {
            let (tcp, _) = listener.accept().unwrap();
            serve(ServerStream::accept(server_config, tcp).unwrap());
        });
        let tcp = TcpStream::connect(address).unwrap();
        let client = ClientStream::connect(client_config, Some("localhost"), tcp).unwrap();
        (client, server)
    }

    /// The TLS error inside an I/O error.
    fn inner(err: &io::Error) -> Error {
        *err.get_ref().unwrap().downcast_ref::<Error>().unwrap()
    }

    #[test]
    fn test_data_both_ways_key_update_and_close() {
        let key = certified_key();
        let cert = key.chain[0].clone();
        let (mut client, server) = pair(key, cert, |mut s| {
            // Echo until the client's close_notify, then answer it.
            let mut buf = [0u8; 1000];
            loop {
                let n = s.read(&mut buf).unwrap();
                if n == 0 {
                    break;
                }
                s.write_all(&buf[..n]).unwrap();
            }
            assert!(s.peer_closed());
            assert_eq!(s.key_updates_received(), 1);
            // The answer to the client's request went out inside `read`.
            assert_eq!(s.key_updates_sent(), 1);
            s.close().unwrap();
        });
        client.handshake().unwrap();
        let negotiated = client.negotiated().unwrap().clone();
        assert_eq!(negotiated.peer_certificates.len(), 1);

        let message: Vec<u8> = (0..100_000u32).map(|i| i as u8).collect();
        client.write_all(&message).unwrap();
        let mut echoed = vec![0; message.len()];
        client.read_exact(&mut echoed).unwrap();
        assert_eq!(echoed, message);

        client.key_update(true).unwrap();
        client.write_all(b"after the update").unwrap();
        let mut echoed = [0u8; 16];
        client.read_exact(&mut echoed).unwrap();
        assert_eq!(&echoed, b"after the update");
        assert_eq!(client.key_updates_received(), 1);

        client.close().unwrap();
        let mut rest = Vec::new();
        assert_eq!(client.read_to_end(&mut rest).unwrap(), 0);
        assert!(client.peer_closed());
        server.join().unwrap();
    }

    #[test]
    fn test_a_deferring_verifier_stops_the_handshake_with_a_clear_error() {
        use crate::verify::Answer;
        struct Later;
        impl crate::verify::ServerCertVerifier for Later {
            fn verify(&self, _: &[u8], _: &[&[u8]], _: Option<&str>, _: Time) -> Answer {
                Answer::Later
            }
        }
        let key = certified_key();
        let cert = key.chain[0].clone();
        let (server_config, client_config) = configs(key, cert.clone());
        let mut client_config = (*client_config).clone();
        client_config.verifier = Arc::new(Later);
        let (mut client, server) = pair_with(server_config, Arc::new(client_config), |mut s| {
            // The client never sends its second flight.
            assert!(s.handshake().is_err());
        });
        let err = client.handshake().unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::Unsupported);
        assert!(matches!(inner(&err), Error::Misuse(_)));
        assert_eq!(client.connection().state_name(), "WAIT_CV");
        drop(client);
        server.join().unwrap();
    }

    #[test]
    fn test_transport_end_without_close_notify_is_an_error() {
        let key = certified_key();
        let cert = key.chain[0].clone();
        let (mut client, server) = pair(key, cert, |mut s| {
            s.write_all(b"bye").unwrap();
            // Dropped without close_notify.
        });
        let mut buf = [0u8; 3];
        client.read_exact(&mut buf).unwrap();
        let err = client.read(&mut buf).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
        server.join().unwrap();
    }

    #[test]
    fn test_refused_certificate_sends_the_alert_to_the_peer() {
        let key = certified_key();
        let (mut client, server) = pair(key, b"another certificate".to_vec(), |mut s| {
            let err = s.handshake().unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::ConnectionAborted);
            assert_eq!(
                inner(&err),
                Error::AlertReceived(AlertDescription::CertificateUnknown)
            );
        });
        let err = client.write(b"never sent").unwrap_err();
        assert_eq!(
            inner(&err).alert(),
            Some(AlertDescription::CertificateUnknown)
        );
        // Sticky.
        assert_eq!(client.handshake().unwrap_err().kind(), err.kind());
        server.join().unwrap();
    }
}
