//! The smallest useful lucid-tls client: the README's quick start, kept here so that CI
//! compiles it. It trusts the roots in `ca.pem`, connects to localhost:8443 (for example
//! `cargo run --example server -- --listen 127.0.0.1:8443 --cert chain.pem --key key.pem`),
//! validates the server's chain and name, and prints the page it serves.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;

use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::stream::ClientStream;
use lucid_tls::{ClientConfig, TrustAnchors, pem};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let anchors = TrustAnchors::from_der_certificates(&pem::load_certificates("ca.pem")?)?;
    let config = ClientConfig::builder(Arc::new(RustCryptoProvider))
        .trust_anchors(anchors)
        .build()?;
    let mut tls = ClientStream::connect(
        config,
        Some("localhost"),
        TcpStream::connect("localhost:8443")?,
    )?;
    tls.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")?;
    let mut page = String::new();
    tls.read_to_string(&mut page)?;
    println!("{page}");
    Ok(())
}
