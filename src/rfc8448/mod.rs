//! RFC 8448's example handshakes, ready to run: the traces as data, the two endpoints'
//! configurations, and the randomness they used, so that lucid-tls's client and server
//! engines can replay every trace byte for byte, and show each step.
//!
//! RFC 8448 publishes five TLS 1.3 handshakes between two NSS endpoints, every byte and
//! every secret of them ([`TraceName`]). To reproduce one, an engine needs the RFC's
//! configuration and its randomness. Both come in through public interfaces only:
//!
//! | module          | what                                                              |
//! |-----------------|-------------------------------------------------------------------|
//! | [`vectors`]     | the RFC's values, embedded (`vectors/rfc8448/*.txt`), as [`Trace`]s |
//! | [`nss`]         | NSS's client and server configurations                            |
//! | [`server_key`]  | RFC 8448 §2's RSA key, and the salts of its RSA-PSS signatures    |
//! | [`issuers`]     | ticket and cookie issuers returning the RFC's bytes               |
//! | [`replay`]      | [`ReplayRng`] (randoms, private keys, salts) and [`ReplaySigner`] |
//! | [`expected`]    | where the RFC prints each secret and key, to check trace events   |
//! | [`endpoints`]   | each trace's client and server, with their randomness            |
//! | [`handshakes`]  | [`Rfc8448Handshake`]: a trace's client and server as a [`crate::pair::Pair`], with the trace's application data as a script |
//!
//! Running one, with every record and secret checked against the RFC:
//!
//! ```
//! use lucid_tls::rfc8448::{Rfc8448Handshake, TraceName};
//!
//! let mut rfc = Rfc8448Handshake::new(TraceName::Simple)?;
//! let flights = rfc.run()?;
//! assert_eq!(flights.len(), 8); // ClientHello, the server's flight, Finished, ...
//! assert!(flights.iter().all(|f| f.all_match()));
//! # Ok::<(), lucid_tls::rfc8448::SetupError>(())
//! ```
//!
//! This module needs the `rfc8448` feature (on by default). It builds without `std` (the
//! browser demo, `demos/web/`, runs it in WebAssembly). It is test and teaching support:
//! nothing else in the library depends on it.

use alloc::string::{String, ToString};

pub mod endpoints;
pub mod expected;
pub mod handshakes;
pub mod issuers;
pub mod nss;
pub mod replay;
pub mod server_key;
pub mod vectors;

pub use handshakes::{AppAction, CheckedFlight, RecordCheck, Rfc8448Handshake, ScriptedFlight};
pub use replay::{OtherDraws, ReplayRng, ReplaySigner};
pub use vectors::{Block, Trace};

/// The five handshakes of RFC 8448.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TraceName {
    /// §3 Simple 1-RTT Handshake.
    Simple,
    /// §4 Resumed 0-RTT Handshake (with §3's ticket).
    Resumed,
    /// §5 HelloRetryRequest.
    Hrr,
    /// §6 Client Authentication.
    ClientAuth,
    /// §7 Compatibility Mode.
    Compat,
}

impl TraceName {
    /// All five, in RFC order.
    pub const ALL: [Self; 5] = [
        Self::Simple,
        Self::Resumed,
        Self::Hrr,
        Self::ClientAuth,
        Self::Compat,
    ];

    /// The name of its file in `vectors/rfc8448/`, as [`vectors::load`] takes it.
    pub fn file(self) -> &'static str {
        match self {
            Self::Simple => "simple",
            Self::Resumed => "resumed",
            Self::Hrr => "hrr",
            Self::ClientAuth => "client_auth",
            Self::Compat => "compat",
        }
    }

    /// The name the examples' `--trace` option takes.
    pub fn cli_name(self) -> &'static str {
        match self {
            Self::Simple => "simple",
            Self::Resumed => "resumed-0rtt",
            Self::Hrr => "hrr",
            Self::ClientAuth => "client-auth",
            Self::Compat => "compat",
        }
    }

    /// The trace called `name`: its [`TraceName::cli_name`] or [`TraceName::file`].
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|t| t.cli_name() == name || t.file() == name)
    }

    /// Its section of RFC 8448, e.g. `"§3"`.
    pub fn section(self) -> &'static str {
        match self {
            Self::Simple => "§3",
            Self::Resumed => "§4",
            Self::Hrr => "§5",
            Self::ClientAuth => "§6",
            Self::Compat => "§7",
        }
    }

    /// What happens in it, in two sentences.
    pub fn summary(self) -> &'static str {
        match self {
            Self::Simple => {
                "A full handshake: X25519 key exchange, the server authenticated by an RSA \
                 certificate (rsa_pss_rsae_sha256), a session ticket for later. Then one \
                 application data record each way, and close_notify each way."
            }
            Self::Resumed => {
                "The client resumes with §3's ticket (PSK with X25519, psk_dhe_ke) and sends \
                 0-RTT data before the server answers; no certificate is sent. The server \
                 accepts the early data; the client ends it with EndOfEarlyData."
            }
            Self::Hrr => {
                "The client offers only an X25519 key share; the server prefers P-256 and \
                 answers with a HelloRetryRequest carrying a cookie (RFC 9846 §4.2.4). The \
                 client sends a second ClientHello with a P-256 share and the cookie."
            }
            Self::ClientAuth => {
                "The server asks for a client certificate (CertificateRequest, RFC 9846 \
                 §4.4.2); the client answers with its Certificate and CertificateVerify. \
                 RFC 8448 publishes neither private key: both signatures are the RFC's, \
                 replayed only after they verify over the content each engine built."
            }
            Self::Compat => {
                "Middlebox compatibility mode (RFC 9846 Appendix E.4): the client sends a \
                 32-byte legacy_session_id, the server echoes it, and each side sends a dummy \
                 change_cipher_spec record that the other drops."
            }
        }
    }

    /// Its section title in RFC 8448.
    pub fn title(self) -> &'static str {
        match self {
            Self::Simple => "Simple 1-RTT Handshake",
            Self::Resumed => "Resumed 0-RTT Handshake",
            Self::Hrr => "HelloRetryRequest",
            Self::ClientAuth => "Client Authentication",
            Self::Compat => "Compatibility Mode",
        }
    }
}

/// Why an RFC 8448 handshake could not be set up or run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetupError(pub String);

impl SetupError {
    /// An error saying `what`.
    pub fn new(what: &str) -> Self {
        Self(what.to_string())
    }

    /// The trace has no value `what` under `actor`.
    pub fn missing(trace: &Trace, actor: &str, what: &str) -> Self {
        Self(alloc::format!(
            "RFC 8448 trace {:?} has no [{actor}] {what}",
            trace.name
        ))
    }
}

impl core::fmt::Display for SetupError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

impl core::error::Error for SetupError {}

impl From<vectors::VectorError> for SetupError {
    fn from(e: vectors::VectorError) -> Self {
        Self(e.to_string())
    }
}

impl From<crate::Error> for SetupError {
    fn from(e: crate::Error) -> Self {
        Self(alloc::format!("the engine failed: {e:?}"))
    }
}

impl From<crate::codec::DecodeError> for SetupError {
    fn from(e: crate::codec::DecodeError) -> Self {
        Self(alloc::format!("an RFC 8448 message does not decode: {e:?}"))
    }
}
