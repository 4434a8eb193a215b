//! The RFC 8448 vectors for the integration tests: the library's embedded traces
//! ([`lucid_tls::rfc8448::vectors`]), loaded with a panic instead of an error.
//!
//! ```ignore
//! let simple = vectors::load("simple");
//! let key = simple.block("client", "create an ephemeral x25519").get("private key");
//! ```

#[allow(unused_imports)]
pub use lucid_tls::rfc8448::vectors::{Block, TRACES, Trace};

/// Loads trace `name` (one of [`TRACES`]); panics with the reason if it cannot.
pub fn load(name: &str) -> Trace {
    lucid_tls::rfc8448::vectors::load(name).unwrap_or_else(|e| panic!("{e}"))
}
