//! The replay RNG the RFC 8448 tests give the engines: the library's
//! [`lucid_tls::rfc8448::ReplayRng`] (see docs/determinism.md for the draw order).

pub use lucid_tls::rfc8448::ReplayRng;
