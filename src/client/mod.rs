//! The TLS 1.3 client (RFC 9846 Appendix A.1): [`ClientConnection`], its configuration,
//! and one type per state of the RFC's client state machine.
//!
//! ```text
//!                               START <----+
//!                Send ClientHello |        | Recv HelloRetryRequest
//!           [K_send = early data] |        |
//!                                 v        |
//!            /                 WAIT_SH ----+
//!            |                    | Recv ServerHello
//!            |                    | K_recv = handshake
//!        Can |                    V
//!       send |                 WAIT_EE
//!      early |                    | Recv EncryptedExtensions
//!       data |           +--------+--------+
//!            |     Using |                 | Using certificate
//!            |       PSK |                 v
//!            |           |            WAIT_CERT_CR
//!            |           |        Recv |       | Recv CertificateRequest
//!            |           | Certificate |       v
//!            |           |             |    WAIT_CERT
//!            |           |             |       | Recv Certificate
//!            |           |             v       v
//!            |           |              WAIT_CV
//!            |           |                 | Recv CertificateVerify
//!            |           +> WAIT_FINISHED <+
//!            |                  | Recv Finished
//!            \                  | [Send EndOfEarlyData]
//!                               | K_send = handshake
//!                               | [Send Certificate [+ CertificateVerify]]
//!     Can send                  | Send Finished
//!     app data   -->            | K_send = K_recv = application
//!     after here                v
//!                           CONNECTED
//! ```
//! (RFC 9846 Appendix A.1, Figure 4.)
//!
//! | file               | state / role                                               |
//! |--------------------|------------------------------------------------------------|
//! | `start.rs`         | START: ClientHello1, and ClientHello2 after a HelloRetryRequest |
//! | `wait_sh.rs`       | WAIT_SH: ServerHello or HelloRetryRequest                  |
//! | `wait_ee.rs`       | WAIT_EE: EncryptedExtensions                               |
//! | `wait_cert_cr.rs`  | WAIT_CERT_CR: CertificateRequest or Certificate            |
//! | `wait_cert.rs`     | WAIT_CERT: Certificate                                     |
//! | `wait_cv.rs`       | WAIT_CV: CertificateVerify                                 |
//! | `wait_finished.rs` | WAIT_FINISHED: Finished, then our second flight            |
//! | `connected.rs`     | CONNECTED: NewSessionTicket, KeyUpdate, application data   |
//! | `hello.rs`         | building the ClientHello and its PSK binders               |
//! | `cert_choice.rs`   | answering a CertificateRequest: which certificate to send  |
//! | `handshake.rs`     | what the states carry between them                         |
//! | `config.rs`, `builder.rs` | configuration (certificate verifiers: [`crate::verify`]; tickets: [`crate::connection::Ticket`]) |
//! | `ticket_store.rs`  | a bounded store of tickets, newest kept                    |
//!
//! Not implemented: TLS 1.2 and earlier, post-handshake client authentication, and
//! certificate compression or raw public keys.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::connection::{Connection, ConnectionCore, HandshakeInput, Role, StateMachine};
use crate::crypto::Rng;
use crate::error::Error;
use crate::time::Time;
use rustls_pki_types::IpAddr;
pub use rustls_pki_types::ServerName;

mod builder;
mod cert_choice;
mod certificate_type;
mod config;
mod connected;
mod handshake;
mod hello;
mod start;
mod ticket_store;
mod wait_cert;
mod wait_cert_cr;
mod wait_cv;
mod wait_ee;
mod wait_finished;
mod wait_sh;

pub use crate::connection::Ticket;
pub use crate::credentials::{CertifiedKey, ExternalPsk};
pub use crate::verify::{PinnedCertificates, PinnedPublicKeys, ServerCertVerifier, danger};
pub use builder::ClientConfigBuilder;
pub use config::{ClientConfig, ClientHelloPadding};
pub use ticket_store::TicketStore;

/// The client's state between messages: one variant per RFC 9846 Appendix A.1 state
/// but START, which `connect` passes through as it sends the ClientHello.
pub(crate) enum ClientState {
    /// WAIT_SH. Boxed, as are the handshake inside the later states and the paused flight:
    /// the enum stays small, and moving it through the engine's frames copies little
    /// (docs/embedded.md, "Stack and heap").
    WaitSh(Box<wait_sh::WaitSh>),
    /// WAIT_EE.
    WaitEe(wait_ee::WaitEe),
    /// WAIT_CERT_CR.
    WaitCertCr(wait_cert_cr::WaitCertCr),
    /// WAIT_CERT.
    WaitCert(wait_cert::WaitCert),
    /// WAIT_CV.
    WaitCv(wait_cv::WaitCv),
    /// WAIT_FINISHED.
    WaitFinished(wait_finished::WaitFinished),
    /// Still WAIT_FINISHED: our flight stopped before its CertificateVerify, for the
    /// signature a deferred key gives later (see [`crate::connection::deferred`]).
    SigningFlight(Box<wait_finished::SigningFlight>),
    /// CONNECTED.
    Connected(connected::Connected),
}

/// The client role: the type parameter of [`ClientConnection`] and of the adapters' client
/// streams. It holds the client's current state (RFC 9846 Appendix A.1), which only the
/// connection's own methods move; see [`Role`].
pub struct ClientRole(ClientState);

impl Role for ClientRole {}

impl StateMachine for ClientRole {
    fn name(&self) -> &'static str {
        match &self.0 {
            ClientState::WaitSh(_) => "WAIT_SH",
            ClientState::WaitEe(_) => "WAIT_EE",
            ClientState::WaitCertCr(_) => "WAIT_CERT_CR",
            ClientState::WaitCert(_) => "WAIT_CERT",
            ClientState::WaitCv(_) => "WAIT_CV",
            ClientState::WaitFinished(_) | ClientState::SigningFlight(_) => "WAIT_FINISHED",
            ClientState::Connected(_) => "CONNECTED",
        }
    }

    fn is_handshaking(&self) -> bool {
        !matches!(self.0, ClientState::Connected(_))
    }

    /// Each state's `handle` is kept out of line (`#[inline(never)]`): inlined into this
    /// one function, the frames of all the states added up to 5 KB of stack below the
    /// certificate validation, where the deepest point of a client's RAM is
    /// (docs/embedded.md, "Stack").
    fn handle_handshake(
        self,
        core: &mut ConnectionCore,
        input: HandshakeInput,
    ) -> Result<Self, Error> {
        let next = match self.0 {
            ClientState::WaitSh(state) => state.handle(core, input),
            ClientState::WaitEe(state) => state.handle(core, input),
            ClientState::WaitCertCr(state) => state.handle(core, input),
            ClientState::WaitCert(state) => state.handle(core, input),
            ClientState::WaitCv(state) => state.handle(core, input),
            ClientState::WaitFinished(state) => state.handle(core, input),
            // A paused connection reads nothing; a message here is an engine bug.
            ClientState::SigningFlight(_) => Err(Error::Misuse("message read while paused")),
            ClientState::Connected(state) => state.handle(core, input),
        };
        next.map(Self)
    }

    fn handle_application_data(
        self,
        core: &mut ConnectionCore,
        data: Vec<u8>,
    ) -> Result<Self, Error> {
        let next = match self.0 {
            ClientState::Connected(state) => state.application_data(core, data),
            // RFC 9846 §2: a server sends application data only after its Finished, which
            // moves the client to CONNECTED before the next record is read.
            _ => Err(wait_sh::unexpected(
                "application data before the handshake completed",
            )),
        };
        next.map(Self)
    }

    fn resume_with_signature(
        self,
        core: &mut ConnectionCore,
        signature: Vec<u8>,
    ) -> Result<Self, Error> {
        let next = match self.0 {
            ClientState::SigningFlight(state) => state.resume(core, signature),
            _ => Err(Error::Misuse("the client does not wait for a signature")),
        };
        next.map(Self)
    }
}

/// A TLS 1.3 client connection: [`Connection`] in the [`ClientRole`].
pub type ClientConnection = Connection<ClientRole>;

impl Connection<ClientRole> {
    /// Starts a connection to `server_name` (sent as SNI when it is a DNS name, and given to
    /// the certificate verifier): the ClientHello is ready in [`Connection::take_output`] on
    /// return. The connection owns `rng`; see the START state (`start.rs`) and
    /// `docs/determinism.md` for the order in which it draws.
    ///
    /// The config is not checked again: [`ClientConfig::builder`] checked it once (a config
    /// assembled field by field should be checked with [`ClientConfig::validate`]).
    pub fn connect(
        config: Arc<ClientConfig>,
        server_name: ServerName<'_>,
        rng: Box<dyn Rng + Send>,
        now: Time,
    ) -> Result<Self, Error> {
        Self::start(config, Some(server_name_text(&server_name)), None, rng, now)
    }

    /// Like [`ClientConnection::connect`], offering `ticket` for resumption (and 0-RTT, if
    /// the config enables it and the ticket allows it).
    pub fn connect_with_ticket(
        config: Arc<ClientConfig>,
        server_name: ServerName<'_>,
        ticket: Ticket,
        rng: Box<dyn Rng + Send>,
        now: Time,
    ) -> Result<Self, Error> {
        let name = server_name_text(&server_name);
        Self::start(config, Some(name), Some(ticket), rng, now)
    }

    /// Like [`ClientConnection::connect`], with the server name as text, or none at all
    /// (then no SNI is sent; a verifier that needs a name, like
    /// `x509::WebPkiServerVerifier`, refuses this with
    /// [`Error::Misuse`] here, before anything is sent).
    pub fn new(
        config: Arc<ClientConfig>,
        server_name: Option<&str>,
        rng: Box<dyn Rng + Send>,
        now: Time,
    ) -> Result<Self, Error> {
        Self::start(config, server_name.map(String::from), None, rng, now)
    }

    /// Like [`ClientConnection::new`], offering `ticket` for resumption.
    pub fn resume(
        config: Arc<ClientConfig>,
        server_name: Option<&str>,
        ticket: Ticket,
        rng: Box<dyn Rng + Send>,
        now: Time,
    ) -> Result<Self, Error> {
        Self::start(
            config,
            server_name.map(String::from),
            Some(ticket),
            rng,
            now,
        )
    }

    fn start(
        config: Arc<ClientConfig>,
        server_name: Option<String>,
        ticket: Option<Ticket>,
        rng: Box<dyn Rng + Send>,
        now: Time,
    ) -> Result<Self, Error> {
        if server_name.is_none() && config.verifier.requires_server_name() {
            return Err(Error::Misuse(
                "the certificate verifier needs a server name to check the certificate against",
            ));
        }
        let mut core = ConnectionCore::new(
            config.provider.clone(),
            rng,
            now,
            config.trace,
            config.keylog.clone(),
        );
        core.set_max_records_per_key(config.max_records_per_key);
        let start = start::Start::new(config, server_name, ticket);
        let wait_sh = start.send_client_hello(&mut core)?;
        core.state_changed("START", "WAIT_SH");
        Ok(Connection::from_parts(
            core,
            ClientRole(ClientState::WaitSh(Box::new(wait_sh))),
        ))
    }

    /// Sends 0-RTT application data (RFC 9846 §2.3): allowed between the ClientHello and
    /// the server's Finished when the connection offered early data, up to the ticket's
    /// max_early_data_size. It may be replayed by an attacker: send only what is safe to
    /// receive twice (RFC 9846 §8, Appendix F.5).
    pub fn write_early_data(&mut self, data: &[u8]) -> Result<(), Error> {
        if let Some(err) = self.error() {
            return Err(err);
        }
        self.core_mut().send_early_data(data)
    }

    /// True while 0-RTT data may be written.
    pub fn can_write_early_data(&self) -> bool {
        self.state()
            .is_some_and(|_| self.core().can_send_early_data())
    }
}

/// A server name as the text the handshake and the verifier use: a DNS name as it is, an IP
/// address in its usual notation.
fn server_name_text(name: &ServerName<'_>) -> String {
    match name {
        ServerName::DnsName(dns) => String::from(dns.as_ref()),
        ServerName::IpAddress(IpAddr::V4(v4)) => {
            alloc::format!("{}", core::net::Ipv4Addr::from(*v4.as_ref()))
        }
        ServerName::IpAddress(IpAddr::V6(v6)) => {
            alloc::format!("{}", core::net::Ipv6Addr::from(*v6.as_ref()))
        }
        // ServerName is #[non_exhaustive]: a kind added later has no text form here yet;
        // its debug form names it in the verifier's error.
        other => alloc::format!("{other:?}"),
    }
}
