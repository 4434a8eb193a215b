//! The tokio adapter, shaped like tokio-rustls: [`TlsConnector::connect`] and
//! [`TlsAcceptor::accept`] run the handshake over any `AsyncRead + AsyncWrite` transport
//! and give a [`TlsStream`], itself `AsyncRead + AsyncWrite`. Feature `tokio`.
//!
//! ```ignore
//! let acceptor = TlsAcceptor::new(Arc::new(server_config));
//! let (tcp, _) = listener.accept().await?;
//! let acceptor = acceptor.clone();
//! tokio::spawn(async move {
//!     let mut tls = acceptor.accept(tcp).await?;
//!     tls.write_all(b"hello").await?;
//!     tls.shutdown().await
//! });
//! ```
//!
//! - **The loop** is `crate::adapters::pump`'s, shared with the blocking adapters:
//!   `Pending` from the transport loses nothing, a fatal error is sticky and returned by
//!   every later call, a transport that ends without close_notify is
//!   `io::ErrorKind::UnexpectedEof`, and after the peer's close_notify reads return 0.
//! - **The executor is never held long**: the connection is paced
//!   ([`Connection::set_pacing`], see [`crate::connection::pacing`]), so one poll does at
//!   most one expensive crypto operation of the handshake (a key exchange, a signature, a
//!   CertificateVerify verification, a chain validation), even when the peer's whole
//!   flight arrives in one record; the task yields between steps. A signature or a chain
//!   check can leave the executor entirely through a deferred decision.
//! - **Deferred decisions** (a verifier or signing key whose `defers()` is true, see
//!   [`crate::connection::deferred`]) are answered by the [`Decisions`] given with
//!   `with_decisions`: the stream awaits its future (which may run the work on
//!   `tokio::task::spawn_blocking` or in another service) and goes on. Without one, a
//!   pause fails the handshake with `io::ErrorKind::Unsupported`.
//! - **Handshakes are bounded**: each must finish within a timeout (default
//!   [`DEFAULT_HANDSHAKE_TIMEOUT`], `io::ErrorKind::TimedOut`), and an acceptor keeps at
//!   most [`DEFAULT_MAX_HANDSHAKES`] in progress: at the cap, the oldest one in progress is
//!   dropped (`io::ErrorKind::ConnectionAborted`) to make room. Clients that stall, such as
//!   a flood of half ClientHellos, thus cost bounded memory and never keep a fresh client
//!   out.
//! - **Events**: tickets are kept (the newest, `ClientConfig::ticket_store_capacity`) for
//!   [`TlsStream::take_tickets`], accepted 0-RTT data for [`TlsStream::take_early_data`];
//!   trace events go to a sink ([`TlsAcceptor::accept_traced`], [`TlsStream::set_trace_sink`])
//!   or are dropped.
//!
//! Not here: splitting a stream into read and write halves (use `tokio::io::split`).

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, ready};
use core::time::Duration;
use std::io;

use ::tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::adapters::pump::{self, Inbox, Step};
#[cfg(feature = "client")]
use crate::client::{ClientConfig, ClientConnection, ClientRole, Ticket, TicketStore};
use crate::connection::{
    Connection, Event, Negotiated, RequestId, Role, SignRequest, VerifyRequest,
};
use crate::error::Error;
use crate::os_rng::OsRng;
#[cfg(feature = "server")]
use crate::server::{ServerConfig, ServerConnection, ServerRole};
use crate::stream::{TraceSink, tls_error};
use crate::time::Time;

#[cfg(feature = "server")]
mod slots;

#[cfg(feature = "server")]
use slots::HandshakeSlots;

/// The name a client connects to (rustls-pki-types' type, re-exported).
pub use rustls_pki_types::ServerName;

/// How long a handshake may take by default.
pub const DEFAULT_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// How many handshakes an acceptor keeps in progress by default.
pub const DEFAULT_MAX_HANDSHAKES: usize = 256;

/// The transport read buffer during the handshake: flights are small, and a stalled
/// client should cost little.
const HANDSHAKE_READ_SIZE: usize = 2048;

/// The transport read buffer once connected: a whole maximal record (RFC 9846 §5.2).
const CONNECTED_READ_SIZE: usize = 5 + (1 << 14) + 256;

/// The most plaintext one `poll_write` takes: 4 full records.
const MAX_PLAINTEXT_PER_WRITE: usize = 4 << 14;

/// A future answering one deferred decision.
pub type DecisionFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// Who answers the deferred decisions of a handshake (see the module doc).
pub trait Decisions: Send + Sync {
    /// Judges the peer's certificate chain: `Ok(())` accepts it, an error rejects it with
    /// the alert it names.
    fn verify(&self, request: VerifyRequest) -> DecisionFuture<Result<(), Error>>;

    /// Signs `request.message` with `request.scheme` (the CertificateVerify signature).
    fn sign(&self, request: SignRequest) -> DecisionFuture<Result<Vec<u8>, Error>>;
}

/// A tokio TLS client stream.
#[cfg(feature = "client")]
pub type ClientTlsStream<IO> = TlsStream<ClientRole, IO>;
/// A tokio TLS server stream.
#[cfg(feature = "server")]
pub type ServerTlsStream<IO> = TlsStream<ServerRole, IO>;

/// Makes client connections: [`TlsConnector::connect`].
#[cfg(feature = "client")]
#[derive(Clone)]
pub struct TlsConnector {
    config: Arc<ClientConfig>,
    decisions: Option<Arc<dyn Decisions>>,
    handshake_timeout: Duration,
}

#[cfg(feature = "client")]
impl TlsConnector {
    /// A connector with `config`, the OS RNG and the default timeout.
    pub fn new(config: Arc<ClientConfig>) -> Self {
        Self {
            config,
            decisions: None,
            handshake_timeout: DEFAULT_HANDSHAKE_TIMEOUT,
        }
    }

    /// Deferred decisions are answered by `decisions`.
    pub fn with_decisions(mut self, decisions: Arc<dyn Decisions>) -> Self {
        self.decisions = Some(decisions);
        self
    }

    /// Each handshake must finish within `timeout`.
    pub fn with_handshake_timeout(mut self, timeout: Duration) -> Self {
        self.handshake_timeout = timeout;
        self
    }

    /// Runs a client handshake with `server_name` over `io`.
    pub async fn connect<IO>(
        &self,
        server_name: ServerName<'_>,
        io: IO,
    ) -> io::Result<ClientTlsStream<IO>>
    where
        IO: AsyncRead + AsyncWrite + Unpin,
    {
        let name = server_name.to_str();
        let conn = ClientConnection::new(
            self.config.clone(),
            Some(name.as_ref()),
            Box::new(OsRng),
            Time::now(),
        )
        .map_err(tls_error)?;
        let mut stream = TlsStream::new(conn, io, self.decisions.clone());
        stream.tickets = TicketStore::new(self.config.ticket_store_capacity);
        within(self.handshake_timeout, stream.handshake()).await?;
        Ok(stream)
    }
}

#[cfg(feature = "client")]
impl From<Arc<ClientConfig>> for TlsConnector {
    fn from(config: Arc<ClientConfig>) -> Self {
        Self::new(config)
    }
}

/// Accepts server connections: [`TlsAcceptor::accept`]. Clones share the cap on
/// handshakes in progress.
#[cfg(feature = "server")]
#[derive(Clone)]
pub struct TlsAcceptor {
    config: Arc<ServerConfig>,
    decisions: Option<Arc<dyn Decisions>>,
    handshake_timeout: Duration,
    in_progress: Arc<HandshakeSlots>,
}

#[cfg(feature = "server")]
impl TlsAcceptor {
    /// An acceptor with `config`, the OS RNG, the default timeout and cap.
    pub fn new(config: Arc<ServerConfig>) -> Self {
        Self {
            config,
            decisions: None,
            handshake_timeout: DEFAULT_HANDSHAKE_TIMEOUT,
            in_progress: Arc::new(HandshakeSlots::new(DEFAULT_MAX_HANDSHAKES)),
        }
    }

    /// Deferred decisions are answered by `decisions`.
    pub fn with_decisions(mut self, decisions: Arc<dyn Decisions>) -> Self {
        self.decisions = Some(decisions);
        self
    }

    /// Each handshake must finish within `timeout`.
    pub fn with_handshake_timeout(mut self, timeout: Duration) -> Self {
        self.handshake_timeout = timeout;
        self
    }

    /// At most `max` handshakes in progress (at least 1): a new one beyond that drops the
    /// oldest. Applies to the clones made from now on.
    pub fn with_max_handshakes(mut self, max: usize) -> Self {
        self.in_progress = Arc::new(HandshakeSlots::new(max.max(1)));
        self
    }

    /// How many handshakes are in progress now.
    pub fn handshakes_in_progress(&self) -> usize {
        self.in_progress.len()
    }

    /// Runs a server handshake over `io`.
    pub async fn accept<IO>(&self, io: IO) -> io::Result<ServerTlsStream<IO>>
    where
        IO: AsyncRead + AsyncWrite + Unpin,
    {
        self.accept_traced(io, None).await
    }

    /// Runs a server handshake over `io`, handing its trace events to `sink` (the config
    /// must enable tracing).
    pub async fn accept_traced<IO>(
        &self,
        io: IO,
        sink: Option<TraceSink>,
    ) -> io::Result<ServerTlsStream<IO>>
    where
        IO: AsyncRead + AsyncWrite + Unpin,
    {
        let slot = self.in_progress.enter();
        let conn = ServerConnection::new(self.config.clone(), Box::new(OsRng), Time::now())
            .map_err(tls_error)?;
        let mut stream = TlsStream::new(conn, io, self.decisions.clone());
        stream.trace_sink = sink;
        {
            let mut handshake = core::pin::pin!(within(self.handshake_timeout, stream.handshake()));
            let mut dropped = core::pin::pin!(slot.dropped.notified());
            core::future::poll_fn(|cx| {
                if let Poll::Ready(result) = handshake.as_mut().poll(cx) {
                    return Poll::Ready(result);
                }
                if dropped.as_mut().poll(cx).is_ready() {
                    return Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::ConnectionAborted,
                        "dropped: too many handshakes in progress, this was the oldest",
                    )));
                }
                Poll::Pending
            })
            .await?;
        }
        drop(slot);
        Ok(stream)
    }
}

#[cfg(feature = "server")]
impl From<Arc<ServerConfig>> for TlsAcceptor {
    fn from(config: Arc<ServerConfig>) -> Self {
        Self::new(config)
    }
}

/// `future`, or `TimedOut` after `timeout`.
async fn within<T>(
    timeout: Duration,
    future: impl Future<Output = io::Result<T>>,
) -> io::Result<T> {
    match ::tokio::time::timeout(timeout, future).await {
        Ok(result) => result,
        Err(_) => Err(io::Error::new(
            io::ErrorKind::TimedOut,
            "the TLS handshake did not finish in time",
        )),
    }
}

/// An answer to a deferred decision, once its future is done.
enum Answer {
    Verification(RequestId, Result<(), Error>),
    Signature(RequestId, Result<Vec<u8>, Error>),
}

/// Lets other tasks run: the task is woken at once and polled again after them.
fn yield_now<T>(cx: &mut Context<'_>) -> Poll<T> {
    cx.waker().wake_by_ref();
    Poll::Pending
}

/// A TLS connection and its transport, as one `AsyncRead + AsyncWrite` stream.
pub struct TlsStream<S, IO> {
    conn: Connection<S>,
    io: IO,
    inbox: Inbox<Box<[u8]>>,
    decisions: Option<Arc<dyn Decisions>>,
    /// The deferred decision being answered, if any.
    decision: Option<DecisionFuture<Answer>>,
    /// Tickets received (client), not yet taken: the newest, at most
    /// `ClientConfig::ticket_store_capacity` of them.
    #[cfg(feature = "client")]
    tickets: TicketStore,
    early_data: Vec<u8>,
    close_sent: bool,
    trace_sink: Option<TraceSink>,
}

impl<S: Role, IO: AsyncRead + AsyncWrite + Unpin> TlsStream<S, IO> {
    /// Wraps a connection (built with the caller's own RNG, say) and its transport; the
    /// handshake runs on the first read or write, or with [`TlsStream::handshake`].
    pub fn new(mut conn: Connection<S>, io: IO, decisions: Option<Arc<dyn Decisions>>) -> Self {
        conn.set_pacing(true);
        Self {
            conn,
            io,
            inbox: Inbox::new(vec![0; HANDSHAKE_READ_SIZE].into_boxed_slice()),
            decisions,
            decision: None,
            #[cfg(feature = "client")]
            tickets: TicketStore::default(),
            early_data: Vec::new(),
            close_sent: false,
            trace_sink: None,
        }
    }

    /// Runs the handshake to its end, if it is not over yet (no timeout here).
    pub async fn handshake(&mut self) -> io::Result<()> {
        core::future::poll_fn(|cx| self.poll_run(cx, pump::handshake_step))
            .await
            .map(|_| ())
    }

    /// Hands every later trace event to `sink` (the config must enable tracing).
    pub fn set_trace_sink(&mut self, sink: TraceSink) {
        self.trace_sink = Some(sink);
    }

    /// The negotiated parameters, once the handshake is complete.
    pub fn negotiated(&self) -> Option<&Negotiated> {
        self.conn.negotiated()
    }

    /// The session tickets received so far (client; the newest, at most
    /// `ClientConfig::ticket_store_capacity` of them).
    #[cfg(feature = "client")]
    pub fn take_tickets(&mut self) -> Vec<Ticket> {
        self.tickets.take_all()
    }

    /// The 0-RTT data the server accepted; it may be a replay (RFC 9846 §8).
    pub fn take_early_data(&mut self) -> Vec<u8> {
        core::mem::take(&mut self.early_data)
    }

    /// The transport and the connection.
    pub fn get_ref(&self) -> (&IO, &Connection<S>) {
        (&self.io, &self.conn)
    }

    /// The transport and the connection, mutably. Reading or writing the transport
    /// directly corrupts the TLS stream.
    pub fn get_mut(&mut self) -> (&mut IO, &mut Connection<S>) {
        (&mut self.io, &mut self.conn)
    }

    /// The transport and the connection.
    pub fn into_inner(self) -> (IO, Connection<S>) {
        (self.io, self.conn)
    }

    /// Performs steps until `next` says done or failed, or the transport is not ready.
    fn poll_run(
        &mut self,
        cx: &mut Context<'_>,
        mut next: impl FnMut(&mut Connection<S>) -> Step,
    ) -> Poll<io::Result<usize>> {
        loop {
            self.take_events();
            if self.conn.has_paced_step() {
                // The last poll stopped after an expensive step: this poll takes the next.
                // A TLS error is sticky: the next step reports it.
                let _ = self.conn.take_paced_step(Time::now());
                if self.conn.has_paced_step() {
                    return yield_now(cx);
                }
                continue;
            }
            match next(&mut self.conn) {
                Step::Done(n) => return Poll::Ready(Ok(n)),
                Step::Send => ready!(self.poll_send(cx))?,
                Step::Receive => ready!(self.poll_receive(cx))?,
                Step::Paused(_) => ready!(self.poll_decision(cx))?,
                Step::Failed(err) => return Poll::Ready(Err(tls_error(err))),
            }
            if self.conn.has_paced_step() {
                // One expensive step was done: let other tasks run before the next.
                return yield_now(cx);
            }
        }
    }

    /// One write of the queued TLS bytes; only what the transport took leaves the queue.
    fn poll_send(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let written = ready!(Pin::new(&mut self.io).poll_write(cx, pump::output(&mut self.conn)));
        match written {
            Ok(0) => Poll::Ready(Err(io::ErrorKind::WriteZero.into())),
            Ok(n) => {
                pump::sent(&mut self.conn, n);
                if pump::output(&mut self.conn).is_empty() {
                    ready!(Pin::new(&mut self.io).poll_flush(cx))?;
                }
                Poll::Ready(Ok(()))
            }
            // The TLS error first: it says why, where a failed write of our alert would not.
            Err(e) => Poll::Ready(Err(self.conn.error().map_or(e, tls_error))),
        }
    }

    /// One read of the transport (unless received bytes are still waiting), fed to the
    /// connection, which stops after an expensive step of the handshake (it is paced).
    fn poll_receive(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.inbox.is_empty() {
            if !self.conn.is_handshaking() && self.inbox.capacity() < CONNECTED_READ_SIZE {
                self.inbox = Inbox::new(vec![0; CONNECTED_READ_SIZE].into_boxed_slice());
            }
            let mut buf = ReadBuf::new(self.inbox.space());
            ready!(Pin::new(&mut self.io).poll_read(cx, &mut buf))?;
            let n = buf.filled().len();
            if n == 0 {
                return Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the transport ended without a TLS close_notify",
                )));
            }
            self.inbox.filled(n);
        }
        // A TLS error is reported by the next step, after our alert.
        let _ = self.inbox.feed(&mut self.conn, Time::now());
        Poll::Ready(Ok(()))
    }

    /// Waits for the answer to the deferred decision and gives it to the connection.
    fn poll_decision(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let Some(decision) = &mut self.decision else {
            return Poll::Ready(Err(io::Error::new(
                io::ErrorKind::Unsupported,
                Error::Misuse(
                    "the handshake paused for a deferred decision: give the connector or acceptor a `Decisions`",
                ),
            )));
        };
        let answer = ready!(decision.as_mut().poll(cx));
        self.decision = None;
        // A rejection or a failure is sticky in the connection: the next step reports it.
        let _ = match answer {
            Answer::Verification(id, verdict) => self.conn.answer_verification(id, verdict),
            Answer::Signature(id, signature) => self.conn.answer_signature(id, signature),
        };
        Poll::Ready(Ok(()))
    }

    /// Takes the connection's events but application data (which reads take) and drops
    /// its trace events; starts answering a deferred decision.
    fn take_events(&mut self) {
        let decisions = self.decisions.clone();
        let mut decision = None;
        #[cfg(feature = "client")]
        let tickets = &mut self.tickets;
        let early_data = &mut self.early_data;
        self.conn.take_events_except_data(|event| match event {
            #[cfg(feature = "client")]
            Event::NewSessionTicket(ticket) => tickets.push(ticket),
            Event::EarlyData(data) => early_data.extend(data),
            Event::VerifyRequest(request) => {
                if let Some(d) = &decisions {
                    let id = request.id;
                    let future = d.verify(request);
                    let answer: DecisionFuture<Answer> =
                        Box::pin(async move { Answer::Verification(id, future.await) });
                    decision = Some(answer);
                }
            }
            Event::SignRequest(request) => {
                if let Some(d) = &decisions {
                    let id = request.id;
                    let future = d.sign(request);
                    let answer: DecisionFuture<Answer> =
                        Box::pin(async move { Answer::Signature(id, future.await) });
                    decision = Some(answer);
                }
            }
            _ => {}
        });
        if decision.is_some() {
            self.decision = decision;
        }
        while let Some(trace) = self.conn.poll_trace() {
            if let Some(sink) = &mut self.trace_sink {
                sink(trace);
            }
        }
    }
}

impl<S: Role, IO: core::fmt::Debug> core::fmt::Debug for TlsStream<S, IO> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TlsStream")
            .field("state", &self.conn.state_name())
            .field("io", &self.io)
            .finish_non_exhaustive()
    }
}

// Nothing in the stream is pinned structurally: the connection is only reached by `&mut`.
impl<S, IO: Unpin> Unpin for TlsStream<S, IO> {}

impl<S: Role, IO: AsyncRead + AsyncWrite + Unpin> AsyncRead for TlsStream<S, IO> {
    /// Reads application data, running the handshake first if needed; nothing (end of
    /// stream) after the peer's close_notify.
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let out = buf.initialize_unfilled();
        let n = ready!(this.poll_run(cx, |conn| pump::read_step(conn, out)))?;
        buf.advance(n);
        Poll::Ready(Ok(()))
    }
}

impl<S: Role, IO: AsyncRead + AsyncWrite + Unpin> AsyncWrite for TlsStream<S, IO> {
    /// Encrypts up to 64 KiB of `data`, running the handshake first if needed. Once the
    /// connection took `data`, what the transport does not take yet goes out on the next
    /// call (or flush).
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.poll_run(cx, pump::write_step))?;
        let data = data.get(..MAX_PLAINTEXT_PER_WRITE).unwrap_or(data);
        this.conn.write(data).map_err(tls_error)?;
        let _ = this.poll_run(cx, pump::flush_step);
        Poll::Ready(Ok(data.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_run(cx, pump::flush_step))?;
        Pin::new(&mut this.io).poll_flush(cx)
    }

    /// Sends close_notify (RFC 9846 §6.1), then shuts the transport's write side down.
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if !this.close_sent {
            this.conn.close();
            this.close_sent = true;
        }
        ready!(this.poll_run(cx, pump::flush_step))?;
        Pin::new(&mut this.io).poll_shutdown(cx)
    }
}
