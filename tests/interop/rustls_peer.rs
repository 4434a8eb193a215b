//! The rustls peer (with its ring provider), in threads of the test process: a server that
//! answers HTTP requests with a line naming what it negotiated (or echoes), and a client.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

use rustls::crypto::{CryptoProvider, SupportedKxGroup, ring};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{HandshakeKind, RootCertStore, SupportedCipherSuite};

use crate::pki::{CertKind, pki};

/// rustls's suite of an RFC name.
pub fn suite(name: &str) -> SupportedCipherSuite {
    match name {
        "TLS_AES_128_GCM_SHA256" => ring::cipher_suite::TLS13_AES_128_GCM_SHA256,
        "TLS_AES_256_GCM_SHA384" => ring::cipher_suite::TLS13_AES_256_GCM_SHA384,
        _ => ring::cipher_suite::TLS13_CHACHA20_POLY1305_SHA256,
    }
}

/// rustls's group of an RFC name.
pub fn group(name: &str) -> &'static dyn SupportedKxGroup {
    match name {
        "x25519" => ring::kx_group::X25519,
        "secp384r1" => ring::kx_group::SECP384R1,
        _ => ring::kx_group::SECP256R1,
    }
}

/// The ring provider, narrowed to `suites` and `groups` (in order) when given.
fn provider(suites: &[&str], groups: &[&str]) -> Arc<CryptoProvider> {
    let mut provider = ring::default_provider();
    if !suites.is_empty() {
        provider.cipher_suites = suites.iter().map(|s| suite(s)).collect();
    }
    if !groups.is_empty() {
        provider.kx_groups = groups.iter().map(|g| group(g)).collect();
    }
    Arc::new(provider)
}

fn certificates(path: &std::path::Path) -> Vec<CertificateDer<'static>> {
    CertificateDer::pem_file_iter(path)
        .unwrap()
        .map(|c| c.unwrap())
        .collect()
}

fn roots() -> RootCertStore {
    let mut roots = RootCertStore::empty();
    for cert in certificates(&pki().ca) {
        roots.add(cert).unwrap();
    }
    roots
}

/// How the rustls server is set up.
#[derive(Clone, Default)]
pub struct ServerOptions {
    pub groups: Vec<&'static str>,
    pub alpn: Vec<&'static str>,
    pub require_client_cert: bool,
    pub early_data: bool,
    pub echo: bool,
    /// Send a KeyUpdate (asking for the client's) before the answer.
    pub key_update: bool,
}

/// A rustls server on a loopback port, one thread per connection; stopped on drop.
pub struct RustlsServer {
    pub port: u16,
    stop: Arc<AtomicBool>,
}

impl RustlsServer {
    /// Starts a server with the certificate `cert`.
    pub fn start(cert: CertKind, options: ServerOptions) -> RustlsServer {
        let provider = provider(&[], &options.groups);
        let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
            .with_protocol_versions(&[&rustls::version::TLS13])
            .unwrap();
        let builder = if options.require_client_cert {
            let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
                Arc::new(roots()),
                provider,
            )
            .build()
            .unwrap();
            builder.with_client_cert_verifier(verifier)
        } else {
            builder.with_no_client_auth()
        };
        let key = PrivateKeyDer::from_pem_file(pki().key(cert)).unwrap();
        let mut config = builder
            .with_single_cert(certificates(&pki().cert(cert)), key)
            .unwrap();
        config.alpn_protocols = options.alpn.iter().map(|a| a.as_bytes().to_vec()).collect();
        if options.early_data {
            config.max_early_data_size = 16 * 1024;
        }
        let config = Arc::new(config);

        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let (echo, key_update) = (options.echo, options.key_update);
        thread::spawn(move || {
            for tcp in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(tcp) = tcp else { continue };
                let config = config.clone();
                thread::spawn(move || {
                    let _ = serve(config, tcp, echo, key_update);
                });
            }
        });
        RustlsServer { port, stop }
    }
}

impl Drop for RustlsServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// Serves one connection: the handshake (collecting 0-RTT data), then echo, or one HTTP
/// answer naming the negotiated parameters (after a KeyUpdate if `key_update`).
fn serve(
    config: Arc<rustls::ServerConfig>,
    mut tcp: TcpStream,
    echo: bool,
    key_update: bool,
) -> std::io::Result<()> {
    tcp.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut conn = rustls::ServerConnection::new(config).map_err(std::io::Error::other)?;
    let mut early = Vec::new();
    while conn.is_handshaking() {
        conn.complete_io(&mut tcp)?;
        if let Some(mut data) = conn.early_data() {
            data.read_to_end(&mut early)?;
        }
    }
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    if echo {
        let mut buffer = vec![0u8; 64 * 1024];
        loop {
            let n = tls.read(&mut buffer)?;
            if n == 0 {
                break;
            }
            tls.write_all(&buffer[..n])?;
        }
    } else {
        let mut request = early.clone();
        let mut buffer = [0u8; 4096];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = tls.read(&mut buffer)?;
            if n == 0 {
                break;
            }
            request.extend_from_slice(&buffer[..n]);
        }
        if key_update {
            tls.conn
                .refresh_traffic_keys()
                .map_err(std::io::Error::other)?;
        }
        let page = describe_server(&tls.conn, early.len());
        let response = format!(
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
            page.len()
        );
        tls.write_all(response.as_bytes())?;
    }
    tls.conn.send_close_notify();
    tls.flush()?;
    Ok(())
}

/// One line: what the rustls server negotiated.
fn describe_server(conn: &rustls::ServerConnection, early: usize) -> String {
    format!(
        "rustls server: suite={:?} group={:?} kind={} alpn={} client-cert={} early-data={early}\n",
        conn.negotiated_cipher_suite().map(|s| s.suite()),
        conn.negotiated_key_exchange_group().map(|g| g.name()),
        kind(conn.handshake_kind()),
        conn.alpn_protocol()
            .map_or("none".into(), |a| String::from_utf8_lossy(a).into_owned()),
        conn.peer_certificates().map_or(0, |c| c.len()),
    )
}

/// The handshake kind, short.
pub fn kind(kind: Option<HandshakeKind>) -> &'static str {
    match kind {
        Some(HandshakeKind::Full) => "full",
        Some(HandshakeKind::FullWithHelloRetryRequest) => "hrr",
        Some(HandshakeKind::Resumed) => "resumed",
        None => "none",
    }
}

/// How the rustls client is set up.
#[derive(Clone, Default)]
pub struct ClientOptions {
    pub suites: Vec<&'static str>,
    pub groups: Vec<&'static str>,
    pub alpn: Vec<&'static str>,
    pub client_cert: bool,
    pub early_data: bool,
}

/// A rustls client configuration trusting the test CA (it keeps tickets for resumption).
pub fn client_config(options: &ClientOptions) -> Arc<rustls::ClientConfig> {
    let builder =
        rustls::ClientConfig::builder_with_provider(provider(&options.suites, &options.groups))
            .with_protocol_versions(&[&rustls::version::TLS13])
            .unwrap()
            .with_root_certificates(roots());
    let mut config = if options.client_cert {
        let key = PrivateKeyDer::from_pem_file(&pki().client_key).unwrap();
        builder
            .with_client_auth_cert(certificates(&pki().client_cert), key)
            .unwrap()
    } else {
        builder.with_no_client_auth()
    };
    config.alpn_protocols = options.alpn.iter().map(|a| a.as_bytes().to_vec()).collect();
    config.enable_early_data = options.early_data;
    Arc::new(config)
}

/// What a rustls client connection saw.
pub struct ClientRun {
    /// Everything the server sent, up to its close_notify.
    pub received: Vec<u8>,
    pub kind: &'static str,
    pub early_data_accepted: bool,
}

/// Connects to `port` as `localhost`, sends `early` as 0-RTT data if it can, then `request`
/// (and a KeyUpdate first if `key_update`), and reads until the server closes.
pub fn client_run(
    config: &Arc<rustls::ClientConfig>,
    port: u16,
    early: Option<&[u8]>,
    request: &[u8],
    key_update: bool,
) -> Result<ClientRun, String> {
    let mut tcp = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    tcp.set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    let name = "localhost".try_into().unwrap();
    let mut conn =
        rustls::ClientConnection::new(config.clone(), name).map_err(|e| e.to_string())?;
    let mut early_sent = false;
    if let Some(early) = early
        && let Some(mut writer) = conn.early_data()
    {
        writer.write_all(early).map_err(|e| e.to_string())?;
        early_sent = true;
    }
    while conn.is_handshaking() {
        conn.complete_io(&mut tcp).map_err(|e| e.to_string())?;
    }
    let early_data_accepted = early_sent && conn.is_early_data_accepted();
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    if key_update {
        tls.conn.refresh_traffic_keys().map_err(|e| e.to_string())?;
    }
    if let Some(early) = early.filter(|_| !early_data_accepted) {
        tls.write_all(early).map_err(|e| e.to_string())?;
    }
    tls.write_all(request).map_err(|e| e.to_string())?;
    let mut received = Vec::new();
    tls.read_to_end(&mut received).map_err(|e| e.to_string())?;
    Ok(ClientRun {
        received,
        kind: kind(tls.conn.handshake_kind()),
        early_data_accepted,
    })
}

/// Sends `data` through our echo server and reads it back.
pub fn client_echo(
    config: &Arc<rustls::ClientConfig>,
    port: u16,
    data: &[u8],
) -> Result<Vec<u8>, String> {
    let tcp = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    tcp.set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    let conn = rustls::ClientConnection::new(config.clone(), "localhost".try_into().unwrap())
        .map_err(|e| e.to_string())?;
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    let back = crate::harness::echo_in_chunks(&mut tls, data)?;
    tls.conn.send_close_notify();
    tls.flush().map_err(|e| e.to_string())?;
    let mut rest = Vec::new();
    tls.read_to_end(&mut rest).map_err(|e| e.to_string())?;
    Ok(back)
}
