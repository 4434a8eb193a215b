//! The TLS 1.3 server (RFC 9846), as a sans-IO state machine.
//!
//! Work in progress: configuration, parameter selection, tickets, cookies and anti-replay.

// Until the state machine lands, the crate-internal helpers have no caller outside tests.
#![allow(dead_code)]

pub mod anti_replay;
pub mod config;
pub mod cookie;
mod psk;
mod retry;
pub mod seal;
mod select;
#[cfg(test)]
mod test_support;
pub mod ticket;

pub use anti_replay::{AntiReplay, ReplayStore};
pub use config::{
    CertifiedKey, ClientAuth, ClientCertVerifier, CookieConfig, EarlyDataConfig, ExternalPsk,
    Preference, ServerConfig, TicketConfig,
};
pub use cookie::{CookieIssuer, CookieState};
pub use seal::Sealer;
pub use ticket::{TicketIssuer, TicketState};
