//! # lucid-tls
//!
//! A TLS 1.3 library (RFC 9846) to learn from and to ship.
//!
//! - **Sans-IO**: it never touches a socket, a clock or the OS RNG. You feed it bytes, take
//!   bytes to send, and pass in the time and a random number generator.
//! - **Traceable**: every message, secret and key it handles can be observed, under the
//!   names RFC 9846 gives them, and checked against RFC 8448's example traces.
//! - **`no_std`** with `alloc`; `std` is a default feature that adds conveniences only.
//!
//! ## Where each part of RFC 9846 lives
//!
//! | RFC 9846                          | module                  |
//! |-----------------------------------|-------------------------|
//! | §3 presentation language          | [`codec`]               |
//! | §4 handshake messages, §6 alerts  | [`wire`]                |
//! | crypto primitives (§5.2, §7, §4.5.3) | [`crypto`]           |
//! | transcript hash (§4.1)            | [`transcript`]          |
//! | key schedule (§7.1–§7.3, §7.5)    | [`key_schedule`]        |
//! | error → alert mapping (§6.2)       | [`error`]               |
//! | the sans-IO connection: records in and out, KeyUpdate (§4.7.3), exporters (§7.5) | [`connection`] |
//! | client state machine (Appendix A.1) | [`client`]             |
//! | trace events, NSS key log          | [`trace`], [`keylog`]   |
//! | time as an input (§4.3.11.1, §8.3)  | [`time`]                |
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod client;
pub mod codec;
pub mod connection;
pub mod crypto;
pub mod error;
pub mod key_schedule;
pub mod keylog;
#[cfg(feature = "std")]
pub mod os_rng;
pub mod pem;
pub mod record;
pub mod server;
#[cfg(feature = "std")]
pub mod stream;
pub mod time;
pub mod trace;
pub mod transcript;
pub mod wire;
pub mod x509;

pub use error::Error;
