//! The TLS 1.3 server (RFC 9846), as a sans-IO state machine: [`ServerConnection`].
//!
//! The states are those of RFC 9846 Appendix A.2, one type per state, each in its own
//! file. Each state's `handle` consumes it and returns the next, so a state cannot act
//! twice.
//!
//! ```text
//!                           START <-----+
//!            Recv ClientHello |         | Send HelloRetryRequest        start.rs
//!                             v         |
//!                          RECVD_CH ----+                               recvd_ch.rs
//!                             | Select parameters                       select.rs, psk.rs
//!                             v
//!                          NEGOTIATED                                   negotiated.rs
//!                             | Send ServerHello ... Finished   flight_end.rs
//!                +------------+------------+
//!        No 0-RTT|                         | 0-RTT
//!                |                     WAIT_EOED                        wait_eoed.rs
//!                |                         | Recv EndOfEarlyData
//!                +-> WAIT_FLIGHT2 <--------+                            wait_flight2.rs
//!                         |
//!                +--------+--------+
//!        No auth |                 | Client auth
//!                |             WAIT_CERT                                wait_cert.rs
//!                |   empty cert |     | Recv Certificate
//!                |              |  WAIT_CV                              wait_cv.rs
//!                +-> WAIT_FINISHED <--+                                 wait_finished.rs
//!                         | Recv Finished
//!                     CONNECTED                                         connected.rs
//! ```
//!
//! RECVD_CH and NEGOTIATED are passed through while one ClientHello is handled (the server
//! sends its whole flight at once, RFC 9846 §4.3.11.3), and WAIT_CERT while the client's
//! Certificate is handled, so they are not variants of the internal `ServerState` that
//! [`ServerRole`] wraps; their transitions still appear as trace events. The other modules:
//! [`config`] (what a server offers), `select.rs`/`psk.rs`/`retry.rs` (choosing from a
//! ClientHello), [`ticket`] and [`cookie`] (state handed to the client, sealed by [`seal`]),
//! and [`anti_replay`] (0-RTT, RFC 9846 §8).
//!
//! # Randomness
//!
//! Every random byte comes from the [`Rng`] given to [`ServerConnection::new`], in this
//! order (also in `docs/determinism.md`):
//!
//! 1. a HelloRetryRequest cookie, if one is sent: whatever the [`CookieIssuer`] draws (the
//!    default [`Sealer`] draws a 12-byte nonce);
//! 2. ServerHello.random (32 bytes);
//! 3. the key share's private key (32 bytes for X25519; P-256 draws 32 per attempt);
//! 4. the CertificateVerify signature's randomness (RSA-PSS: the salt, hash-length bytes,
//!    then the blinding the provider draws; ECDSA and Ed25519 draw nothing);
//! 5. per NewSessionTicket: `ticket_age_add` (4 bytes), then whatever the [`TicketIssuer`]
//!    draws (the default [`Sealer`] draws a 12-byte nonce). `ticket_nonce` is a counter.
//!
//! Not implemented: post-handshake client authentication (RFC 9846 §4.7.2), TLS 1.2 and
//! earlier, raw public keys, OCSP stapling.

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::connection::ccs::CcsWindow;
use crate::connection::{Connection, ConnectionCore, HandshakeInput, Role, StateMachine};
use crate::crypto::Rng;
use crate::error::Error;
use crate::time::Time;

pub mod anti_replay;
mod builder;
mod certificate_type;
pub mod config;
mod connected;
pub mod cookie;
mod flight_end;
mod negotiated;
mod psk;
mod recvd_ch;
mod retry;
pub mod seal;
mod select;
mod start;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests_engine;
pub mod ticket;
mod wait_cert;
mod wait_cv;
mod wait_eoed;
mod wait_finished;
mod wait_flight2;

pub use crate::credentials::{CertifiedKey, ExternalPsk};
pub use crate::verify::ClientCertVerifier;
pub use anti_replay::{AntiReplay, ReplayStore};
pub use builder::ServerConfigBuilder;
pub use config::{
    ClientAuth, CookieConfig, EarlyDataConfig, Preference, ServerConfig, TicketConfig,
};
use connected::Connected;
pub use cookie::{CookieIssuer, CookieState};
use flight_end::SigningFlight;
pub use seal::Sealer;
use start::Start;
pub use ticket::{TicketIssuer, TicketState};
use wait_cv::WaitCv;
use wait_eoed::WaitEoed;
use wait_finished::WaitFinished;
use wait_flight2::WaitFlight2;

/// The server role: the type parameter of [`ServerConnection`] and of the adapters' server
/// streams. It holds the server's current state (RFC 9846 Appendix A.2), which only the
/// connection's own methods move; see [`Role`].
#[derive(Debug)]
pub struct ServerRole(ServerState);

impl Role for ServerRole {}

/// A TLS 1.3 server connection: [`Connection`] in the [`ServerRole`].
pub type ServerConnection = Connection<ServerRole>;

impl Connection<ServerRole> {
    /// A server connection waiting for a ClientHello, drawing every random byte from `rng`
    /// in the order documented in the [module docs](self).
    ///
    /// The config is not checked again: [`ServerConfig::builder`] checked it once (a config
    /// assembled field by field should be checked with [`ServerConfig::validate`]).
    pub fn new(
        config: Arc<ServerConfig>,
        rng: Box<dyn Rng + Send>,
        now: Time,
    ) -> Result<Self, Error> {
        let provider = config.provider.clone();
        let mut core = ConnectionCore::new(provider, rng, now, config.trace, config.keylog.clone());
        core.set_max_records_per_key(config.max_records_per_key);
        core.accept_clear_alerts_from_client();
        if config.cookies.is_some() {
            // RFC 9846 §4.3.2: "When a server is operating statelessly, it may receive an
            // unprotected record of type change_cipher_spec between the first and second
            // ClientHello ... Servers operating statelessly MUST ignore these records." A
            // server that sends cookies may be seeing a second ClientHello first.
            core.set_ccs_window(CcsWindow::Open);
        }
        Ok(Self::from_parts(
            core,
            ServerRole(ServerState::Start(Start::new(config))),
        ))
    }
}

/// The server's states between messages (RFC 9846 Appendix A.2).
#[derive(Debug)]
pub(crate) enum ServerState {
    /// START: waiting for a ClientHello (again, after a HelloRetryRequest).
    Start(Start),
    /// Still NEGOTIATED: the flight stopped before its CertificateVerify, for the signature
    /// a deferred key gives later (see [`crate::connection::deferred`]).
    SigningFlight(SigningFlight),
    /// WAIT_EOED: reading accepted 0-RTT data until EndOfEarlyData.
    WaitEoed(WaitEoed),
    /// WAIT_FLIGHT2: the server's flight is out; the client's second flight comes next.
    WaitFlight2(WaitFlight2),
    /// WAIT_CV: the client's CertificateVerify.
    WaitCv(WaitCv),
    /// WAIT_FINISHED: the client's Finished.
    WaitFinished(WaitFinished),
    /// CONNECTED: the handshake is complete.
    Connected(Connected),
}

impl StateMachine for ServerRole {
    fn name(&self) -> &'static str {
        match &self.0 {
            ServerState::Start(_) => "START",
            ServerState::SigningFlight(_) => "NEGOTIATED",
            ServerState::WaitEoed(_) => "WAIT_EOED",
            ServerState::WaitFlight2(_) => "WAIT_FLIGHT2",
            ServerState::WaitCv(_) => "WAIT_CV",
            ServerState::WaitFinished(_) => "WAIT_FINISHED",
            ServerState::Connected(_) => "CONNECTED",
        }
    }

    fn is_handshaking(&self) -> bool {
        !matches!(self.0, ServerState::Connected(_))
    }

    fn handle_handshake(
        self,
        core: &mut ConnectionCore,
        input: HandshakeInput,
    ) -> Result<Self, Error> {
        let next = match self.0 {
            ServerState::Start(state) => state.handle(core, input),
            // A paused connection reads nothing; a message here is an engine bug.
            ServerState::SigningFlight(_) => Err(Error::Misuse("message read while paused")),
            ServerState::WaitEoed(state) => state.handle(core, input),
            ServerState::WaitFlight2(state) => state.handle(core, input),
            ServerState::WaitCv(state) => state.handle(core, input),
            ServerState::WaitFinished(state) => state.handle(core, input),
            ServerState::Connected(state) => state.handle(core, input),
        };
        next.map(Self)
    }

    fn handle_application_data(
        self,
        core: &mut ConnectionCore,
        data: Vec<u8>,
    ) -> Result<Self, Error> {
        let next = match self.0 {
            ServerState::WaitEoed(state) => state.handle_early_data(core, data),
            ServerState::Connected(state) => state.handle_application_data(core, data),
            // RFC 9846 §5: "If a TLS implementation receives an unexpected record type, it
            // MUST terminate the connection with an unexpected_message alert." Before the
            // client's Finished, only accepted 0-RTT data may be application data.
            _ => Err(unexpected_message(
                "application data before the client's Finished",
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
            ServerState::SigningFlight(state) => state.resume(core, signature),
            _ => Err(Error::Misuse("the server does not wait for a signature")),
        };
        next.map(Self)
    }

    fn take_held_step(self, core: &mut ConnectionCore) -> Result<Self, Error> {
        let next = match self.0 {
            ServerState::SigningFlight(state) => state.sign(core),
            _ => Err(Error::Misuse("the server holds no step")),
        };
        next.map(Self)
    }
}

pub(crate) use crate::error::unexpected_message;
