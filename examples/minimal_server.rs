//! The smallest useful lucid-tls server, with mutual TLS: the README's second quick start,
//! kept here so that CI compiles it. It serves `chain.pem` with `key.pem` on
//! 127.0.0.1:8443, requires every client to present a certificate issued by a CA in
//! `client-ca.pem`, and answers each request with a page naming the client. Try it with
//! `curl --cacert ca.pem --cert client.pem --key client-key.pem https://localhost:8443/`.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::thread;

use lucid_tls::crypto::CryptoProvider;
use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::stream::ServerStream;
use lucid_tls::{CertifiedKey, ServerConfig, TrustAnchors, pem};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let provider: Arc<dyn CryptoProvider> = Arc::new(RustCryptoProvider);
    let chain = pem::load_certificates("chain.pem")?;
    let key = pem::load_signing_key(&*provider, "key.pem")?;
    let client_cas =
        TrustAnchors::from_der_certificates(&pem::load_certificates("client-ca.pem")?)?;
    let config = ServerConfig::builder(provider)
        .certified_key(CertifiedKey::new(chain, key)) // checked: the key must fit the chain
        .require_client_certificates_from(client_cas)
        .build()?;

    for tcp in TcpListener::bind("127.0.0.1:8443")?.incoming() {
        let (tcp, config) = (tcp?, config.clone());
        thread::spawn(move || -> std::io::Result<()> {
            let mut tls = ServerStream::accept(config, tcp)?;
            let mut request = [0u8; 4096];
            let _ = tls.read(&mut request)?; // the handshake runs first; one read is enough here
            let client = tls
                .connection()
                .peer_identity()
                .map(|id| id.subject)
                .unwrap_or_default();
            let body = format!("hello, {client}\n");
            write!(
                tls,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )?;
            tls.close()
        });
    }
    Ok(())
}
