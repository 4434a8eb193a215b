//! # lucid-tls
//!
//! A TLS 1.3 library (RFC 9846) to learn from and to ship.
//!
//! - **Sans-IO**: it never touches a socket, a clock or the OS RNG. You feed it bytes, take
//!   bytes to send, and pass in the time and a random number generator.
//! - **Traceable**: every message, secret and key it handles can be observed, under the
//!   names RFC 9846 gives them, and checked against RFC 8448's example traces.
//! - **`no_std`** with `alloc`; `std` is a default feature that adds conveniences only, and
//!   `x509` (default) X.509 path validation with rustls-webpki.
//!
//! ## Three tiers of public API
//!
//! - **The connection API, stable**: [`ClientConnection`] and [`ServerConnection`] (one
//!   [`Connection`](connection::Connection) type, generic over the sealed
//!   [`Role`](connection::Role)), [`ClientConfig`] and [`ServerConfig`] with their
//!   builders, [`Event`], [`Error`]; the verifier traits ([`verify`], implemented there
//!   for pinned keys and in [`x509`](x509/index.html), feature `x509`) and the
//!   [`credentials`]; the [`SigningKey`](crypto::SigningKey) and
//!   [`CryptoProvider`](crypto::CryptoProvider) traits with their providers; the adapters
//!   ([`stream`](stream/index.html), [`adapters`]). The server's extension points (ticket
//!   and cookie issuers, the replay store) belong to it.
//! - **The building blocks, public for learners and test authors**: [`codec`], [`wire`],
//!   [`key_schedule`], [`transcript`], [`record`], [`trace`], [`explain`], [`pair`] and
//!   [`rfc8448`](rfc8448/index.html) (feature `rfc8448`). They compute what RFC 9846 says,
//!   one piece at a time; none of them can drive a connection.
//! - **Everything else is internal** (`pub(crate)`): the state both roles share, the
//!   state machine trait behind [`Role`](connection::Role), the states of RFC 9846
//!   Appendix A, the handshake joiner, the change_cipher_spec rules, and every method that
//!   installs a key, pushes an event or moves a state. Only a connection's own methods move
//!   it, so no public call can put it into a state the protocol does not allow.
//!
//! ## Where each part of RFC 9846 lives
//!
//! | RFC 9846                                   | module                      |
//! |--------------------------------------------|-----------------------------|
//! | §3 presentation language                   | [`codec`]                   |
//! | §4 handshake messages and extensions       | [`wire`], [`wire::extensions`] |
//! | §5 record layer: framing                   | [`wire::record`]            |
//! | §5 record layer: protection, limits        | [`record`]                  |
//! | §6 alerts                                  | [`wire::alert`], [`error`]  |
//! | §4.1 transcript hash, §4.5.1 message_hash  | [`transcript`]              |
//! | §7.1–§7.3, §7.5 key schedule, exporters    | [`key_schedule`]            |
//! | primitives: §5.2 AEAD, §7.1 HKDF, §4.3.8 (EC)DHE, §4.5.2 signatures | [`crypto`] |
//! | the sans-IO connection both roles share: records in and out, KeyUpdate (§4.7.3), exporters (§7.5), CertificateVerify (§4.5.2) | [`connection`] |
//! | client state machine (Appendix A.1)        | [`client`]                  |
//! | server state machine (Appendix A.2)        | [`server`]                  |
//! | trace events, NSS key log                  | [`trace`], [`keylog`]       |
//! | time as an input (§4.3.11.1, §8.3)         | [`time`]                    |
//! | certificate verifiers of both roles, certified keys and PSKs | [`verify`], [`credentials`], [`x509`] |
//! | raw public keys (RFC 7250): the certificate type extensions, pinned keys | [`wire::extensions::certificate_type`], [`verify::PinnedPublicKeys`] |
//! | PEM loading                                | [`pem`]                     |
//! | std only: the OS RNG, blocking streams     | `os_rng`, [`stream`](stream/index.html) |
//! | adapters: tokio (feature `tokio`), embedded-io and embedded-io-async (features `embedded-io`, `embedded-io-async`) | [`adapters`] |
//!
//! ## Learning and testing
//!
//! | what                                                         | module          |
//! |--------------------------------------------------------------|-----------------|
//! | drive a client/server pair one flight at a time              | [`pair`]        |
//! | RFC 8448's five handshakes: vectors, configs, replayed randomness (feature `rfc8448`) | [`rfc8448`](rfc8448/index.html) |
//! | decoded message fields, secret derivations, certificate summaries | [`explain`] |
//!
//! `cargo run --example walkthrough` steps through an RFC 8448 handshake with both engines;
//! `docs/learn/` has ten chapters built on its output.
//!
//! Each module's own documentation says what it implements and what it does not.
//!
//! ## Quick start
//!
//! The crate root re-exports what a first program needs: [`ClientConfig`] and
//! [`ServerConfig`] with their builders, `TrustAnchors` (feature `x509`), [`CertifiedKey`],
//! [`ServerName`], the algorithm names ([`CipherSuite`], [`NamedGroup`],
//! [`SignatureScheme`], which parse and print their RFC names), [`Event`], [`Error`] and
//! [`ConfigError`]. A client over a blocking socket, with [`pem`] and
//! [`stream`](stream/index.html):
//!
//! ```no_run
//! # #[cfg(all(feature = "std", feature = "client"))]
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use std::io::{Read, Write};
//! use std::sync::Arc;
//! use lucid_tls::{ClientConfig, TrustAnchors, crypto::rustcrypto::RustCryptoProvider, pem};
//!
//! let anchors = TrustAnchors::from_der_certificates(&pem::load_certificates("ca.pem")?)?;
//! let config = ClientConfig::builder(Arc::new(RustCryptoProvider)).trust_anchors(anchors).build()?;
//! let tcp = std::net::TcpStream::connect("localhost:8443")?;
//! let mut tls = lucid_tls::stream::ClientStream::connect(config, Some("localhost"), tcp)?;
//! tls.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")?;
//! let mut page = String::new();
//! tls.read_to_string(&mut page)?;
//! # Ok(()) }
//! # #[cfg(not(all(feature = "std", feature = "client")))]
//! # fn main() {}
//! ```
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// Without either engine (features `client`, `server`) the crate is the layers they share:
// codecs, records, key schedule. Their engine-facing helpers are then unused.
#![cfg_attr(
    not(any(feature = "client", feature = "server")),
    allow(dead_code, unused_imports)
)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod adapters;
mod alert_codes;
#[cfg(feature = "client")]
pub mod client;
pub mod codec;
pub mod connection;
pub mod credentials;
pub mod crypto;
pub mod error;
pub mod explain;
pub mod key_schedule;
pub mod keylog;
#[cfg(feature = "std")]
pub mod os_rng;
#[cfg(all(feature = "client", feature = "server"))]
pub mod pair;
pub mod pem;
pub mod record;
#[cfg(feature = "rfc8448")]
pub mod rfc8448;
#[cfg(feature = "server")]
pub mod server;
#[cfg(feature = "std")]
pub mod stream;
pub mod time;
pub mod trace;
pub mod transcript;
pub mod verify;
pub mod wire;
pub mod x509;

/// `docs/certificates.md`, whose Rust snippets `cargo test --doc` compiles and runs.
#[cfg(all(doctest, feature = "std"))]
#[doc = include_str!("../docs/certificates.md")]
mod certificates_md {}

#[cfg(feature = "client")]
pub use client::{ClientConfig, ClientConnection, ServerName};
pub use connection::Event;
pub use credentials::{CertifiedKey, ExternalPsk};
pub use error::{ConfigError, Error};
#[cfg(feature = "server")]
pub use server::{ServerConfig, ServerConnection};
pub use wire::algorithms::{CipherSuite, NamedGroup, SignatureScheme};
#[cfg(feature = "x509")]
pub use x509::TrustAnchors;
