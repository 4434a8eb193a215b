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
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod codec;
pub mod crypto;
pub mod error;
pub mod key_schedule;
pub mod record;
pub mod transcript;
pub mod wire;

pub use error::Error;
