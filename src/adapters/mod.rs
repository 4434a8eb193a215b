//! Adapters: the sans-IO [`Connection`](crate::connection::Connection) driven over a
//! transport, each behind its feature.
//!
//! | adapter | transport | feature | `no_std` |
//! |---------|-----------|---------|----------|
//! | `crate::stream` (blocking, owned and borrowed) | `std::io::Read + Write` | `std` | no |
//! | `tokio` (`TlsConnector`, `TlsAcceptor`, `TlsStream`) | `tokio::io::AsyncRead + AsyncWrite` | `tokio` | no |
//! | `embedded` (blocking) | `embedded_io::Read + Write` 0.7 | `embedded-io` | yes |
//! | `embedded_async` | `embedded_io_async::Read + Write` 0.7 | `embedded-io-async` | yes |
//!
//! All of them are the same loop, written once in `pump` (private): it says what to do
//! next (send the queued TLS bytes, receive, done, paused, failed), and each adapter does
//! it with its kind of transport. So they behave alike:
//!
//! - a transport that takes part of the output, or says "not now", loses nothing: the
//!   next call resumes where this one stopped;
//! - after a fatal error, our alert goes out and every later call returns the TLS error;
//! - a transport that ends without close_notify is an unexpected end of file
//!   (RFC 9846 §6.1: a truncation looks exactly like that); after the peer's close_notify,
//!   reads return 0.
//!
//! Not here: TLS itself (the connection does it), certificates (see `crate::x509`).

#[cfg(any(feature = "std", feature = "embedded-io"))]
pub(crate) mod pump;

#[cfg(feature = "embedded-io")]
pub mod embedded;
#[cfg(feature = "embedded-io-async")]
pub mod embedded_async;
#[cfg(feature = "tokio")]
pub mod tokio;
