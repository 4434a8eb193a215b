//! The default [`CryptoProvider`](super::CryptoProvider), built on RustCrypto crates.
