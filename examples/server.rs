//! A small HTTPS server on lucid-tls, in the manner of `openssl s_server -www`.
//!
//! ```text
//! cargo run --example server -- --cert chain.pem --key key.pem          # then:
//! curl --cacert ca.pem https://localhost:8443/
//! ```
//!
//! Each connection is served by its own thread, through the blocking
//! [`lucid_tls::stream::ServerStream`]. Every HTTP/1.x request (it ends at the first blank
//! line; a `Content-Length` body is read and counted) gets a `200 OK` in a single TLS
//! record, whose text names what the handshake negotiated. With `--echo`, whatever arrives
//! is sent back instead.
//!
//! A KeyUpdate from the client is answered at once, even in the middle of a request (the
//! stream does that inside `read`); close_notify is answered with close_notify. A TLS
//! error sends its alert, logs one line, and ends that connection only. SSLKEYLOGFILE is
//! honoured.
//!
//! Certificates: each `--cert`/`--key` pair is one chain; a client gets the first chain
//! whose subjectAltName matches its server_name and whose key can sign with one of its
//! signature_algorithms, else the first chain whose key can (any name).
//!
//! Beyond the usual flags, `--groups` and `--suites` set the server's preference lists
//! (a client whose key share is not in `--groups` gets a HelloRetryRequest).

mod common;

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use clap::Parser;
use lucid_tls::crypto::{CryptoProvider, Rng, Secret};
use lucid_tls::key_schedule::PskKind;
use lucid_tls::os_rng::OsRng;
use lucid_tls::server::config::MAX_RECORD_SIZE_LIMIT;
use lucid_tls::server::{
    AntiReplay, CertifiedKey, ClientAuth, EarlyDataConfig, ExternalPsk, Sealer, ServerConfig,
    TicketConfig,
};
use lucid_tls::stream::ServerStream;
use lucid_tls::time::Time;
use lucid_tls::wire::codes::PskKeyExchangeMode;
use lucid_tls::x509::WebPkiClientVerifier;
use lucid_tls::{CipherSuite, NamedGroup};

#[derive(Parser, Debug)]
#[command(about = "A small HTTPS server on lucid-tls, in the manner of `openssl s_server -www`")]
struct Args {
    /// The address to listen on (port 0: any free port; the address is printed).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8443")]
    listen: String,
    /// A certificate chain, end-entity first (repeatable, paired with --key in order).
    #[arg(long = "cert", value_name = "CHAIN.pem")]
    certs: Vec<PathBuf>,
    /// The private key of the matching --cert (PKCS#8 EC P-256 or P-384, RSA, RSA-PSS or
    /// Ed25519; PKCS#1 RSA).
    #[arg(long = "key", value_name = "KEY.pem")]
    keys: Vec<PathBuf>,
    /// Request a client certificate chaining to this CA (repeatable).
    #[arg(long = "client-ca", value_name = "CA.pem")]
    client_cas: Vec<PathBuf>,
    /// Refuse clients without a certificate (certificate_required).
    #[arg(long, requires = "client_cas")]
    require_client_cert: bool,
    /// ALPN protocols, most preferred first, e.g. `h2,http/1.1`.
    #[arg(long, value_name = "LIST")]
    alpn: Option<String>,
    /// NewSessionTickets sent after each full handshake (0: none).
    #[arg(long, value_name = "N", default_value_t = 2)]
    tickets: u8,
    /// Accept 0-RTT data on resumption (single-use tickets against replays).
    #[arg(long)]
    early_data: bool,
    /// The identity of an external PSK (with --psk).
    #[arg(long, value_name = "ID", requires = "psk")]
    psk_identity: Option<String>,
    /// The external PSK, in hex (SHA-256 suites).
    #[arg(long, value_name = "HEX", requires = "psk_identity")]
    psk: Option<String>,
    /// Echo what arrives instead of answering HTTP.
    #[arg(long)]
    echo: bool,
    /// Key exchange groups by IANA name, most preferred first (default:
    /// X25519MLKEM768,x25519,SecP256r1MLKEM768,secp256r1).
    #[arg(long, value_name = "LIST")]
    groups: Option<String>,
    /// Cipher suites, most preferred first (default: all three).
    #[arg(long, value_name = "LIST")]
    suites: Option<String>,
    /// The record_size_limit (RFC 8449) sent to a client that sends one: the largest
    /// record plaintext we accept (64 to 16385; the default takes any size).
    #[arg(long, value_name = "BYTES", default_value_t = MAX_RECORD_SIZE_LIMIT)]
    record_size_limit: u16,
}

/// The largest request head accepted (request line and headers).
const MAX_REQUEST_HEAD: usize = 64 * 1024;

/// How long a connection may stay silent before it is dropped.
const IDLE_TIMEOUT: Duration = Duration::from_secs(30);

fn main() {
    let args = Args::parse();
    let config = match server_config(&args) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let listener = match TcpListener::bind(&args.listen) {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("error: cannot listen on {}: {e}", args.listen);
            std::process::exit(2);
        }
    };
    match listener.local_addr() {
        Ok(address) => println!("listening on {address}"),
        Err(e) => eprintln!("warning: local address unknown: {e}"),
    }
    let _ = io::stdout().flush();
    let echo = args.echo;
    for tcp in listener.incoming() {
        let tcp = match tcp {
            Ok(tcp) => tcp,
            Err(e) => {
                eprintln!("accept failed: {e}");
                continue;
            }
        };
        let config = config.clone();
        thread::spawn(move || connection(tcp, config, echo));
    }
}

/// The server configuration the flags describe.
fn server_config(args: &Args) -> Result<Arc<ServerConfig>, String> {
    let provider = common::provider();
    if args.certs.len() != args.keys.len() {
        return Err("give each --cert its --key".into());
    }
    if args.certs.is_empty() && args.psk.is_none() {
        return Err("give a --cert and --key (or an external --psk)".into());
    }
    let mut certificates = Vec::new();
    for (cert, key) in args.certs.iter().zip(&args.keys) {
        let chain = lucid_tls::pem::load_certificates(cert).map_err(|e| e.to_string())?;
        let key = lucid_tls::pem::load_signing_key(&*provider, key).map_err(|e| e.to_string())?;
        let server_names = dns_names(&chain[0]);
        certificates.push(CertifiedKey::new(chain, key).for_names(server_names));
    }
    // The same chains again, for any server name: a client that names no host, or one no
    // chain lists, still gets a certificate (picked by its signature_algorithms).
    let any_name: Vec<CertifiedKey> = certificates
        .iter()
        .map(|c| CertifiedKey::new(c.chain.clone(), c.key.clone()))
        .collect();
    certificates.extend(any_name);

    // The page names our CertificateVerify scheme, and any HelloRetryRequest: trace on.
    let mut builder = ServerConfig::builder(provider.clone()).trace(true);
    for certified in certificates {
        builder = builder.certified_key(certified);
    }
    if let Some(keylog) = common::keylog_from_env() {
        builder = builder.keylog(keylog);
    }
    if let Some(groups) = &args.groups {
        builder = builder.groups(&common::parse_list::<NamedGroup>(groups)?);
    }
    if let Some(suites) = &args.suites {
        builder = builder.cipher_suites(&common::parse_list::<CipherSuite>(suites)?);
    }
    if let Some(alpn) = &args.alpn {
        builder = builder.alpn(common::split_list(alpn));
    }
    if !args.client_cas.is_empty() {
        let verifier = Arc::new(WebPkiClientVerifier::new(common::validator(
            &args.client_cas,
        )?));
        builder = builder.client_auth(match args.require_client_cert {
            true => ClientAuth::Required(verifier),
            false => ClientAuth::Optional(verifier),
        });
    }
    if args.tickets > 0 {
        builder = builder.tickets(TicketConfig {
            issuer: Arc::new(ticket_sealer(&*provider)?),
            count: args.tickets,
            lifetime_secs: 2 * 60 * 60,
            nonce_len: 1,
        });
    }
    if let (Some(identity), Some(psk)) = (&args.psk_identity, &args.psk) {
        let psk = hex::decode(psk).map_err(|_| "--psk is not hex")?;
        if psk.is_empty() || psk.len() > lucid_tls::crypto::MAX_HASH_LEN {
            return Err("--psk must be 1 to 48 bytes".into());
        }
        builder = builder.external_psk(ExternalPsk {
            identity: identity.clone().into_bytes(),
            secret: Secret::new(&psk),
            cipher_suite: CipherSuite::TLS_AES_128_GCM_SHA256,
        });
    }
    if args.early_data {
        let store = lucid_tls::server::anti_replay::MemoryReplayStore::new(
            Time::now().as_unix_millis(),
            100_000,
        );
        builder = builder.early_data(EarlyDataConfig {
            max_early_data_size: 16 * 1024,
            anti_replay: AntiReplay::SingleUseTickets(Arc::new(store)),
            freshness_window_ms: 10_000,
        });
    }
    // The client's record_size_limit is honoured whether or not we answer it; answering
    // tells the client so. RFC 8449 §4: "Endpoints SHOULD advertise the
    // "record_size_limit" extension, even if they have no need to limit the size of
    // records. [...] For servers, this allows clients to know that their limit will be
    // respected."
    builder
        .record_size_limit(args.record_size_limit)
        .build()
        .map_err(|e| e.to_string())
}

/// A ticket sealer under a fresh random key: tickets do not outlive the process.
fn ticket_sealer(provider: &dyn CryptoProvider) -> Result<Sealer, String> {
    let (mut name, mut key) = ([0u8; 4], [0u8; 32]);
    OsRng.fill(&mut name).map_err(|e| e.to_string())?;
    OsRng.fill(&mut key).map_err(|e| e.to_string())?;
    Sealer::new(provider, name, &key).map_err(|e| e.to_string())
}

/// The subjectAltName dNSName entries of a certificate.
fn dns_names(der: &[u8]) -> Vec<String> {
    use x509_parser::extensions::GeneralName;
    let Ok((_, cert)) = x509_parser::parse_x509_certificate(der) else {
        return Vec::new();
    };
    let Ok(Some(san)) = cert.subject_alternative_name() else {
        return Vec::new();
    };
    san.value
        .general_names
        .iter()
        .filter_map(|n| match n {
            GeneralName::DNSName(name) => Some(name.to_string()),
            _ => None,
        })
        .collect()
}

/// Serves one connection, and logs one line about it.
fn connection(tcp: TcpStream, config: Arc<ServerConfig>, echo: bool) {
    let peer = tcp
        .peer_addr()
        .map_or_else(|_| "?".to_string(), |a| a.to_string());
    let _ = tcp.set_read_timeout(Some(IDLE_TIMEOUT));
    let _ = tcp.set_nodelay(true);
    let mut tls = match ServerStream::accept(config, tcp) {
        Ok(tls) => tls,
        Err(e) => return eprintln!("{peer}: {e}"),
    };
    let (sink, observed) = common::observer();
    tls.set_trace_sink(sink);
    let result = tls.handshake().and_then(|()| match echo {
        true => serve_echo(&mut tls),
        false => serve_http(&mut tls, common::observed(&observed)),
    });
    match result {
        Ok(requests) => eprintln!("{peer}: {} ok, {requests} request(s)", summary(&tls)),
        Err(e) => eprintln!("{peer}: {}", common::describe_error(&e)),
    }
}

/// The negotiated parameters, on one line.
fn summary(tls: &ServerStream<TcpStream>) -> String {
    let Some(n) = tls.negotiated() else {
        return "no handshake".into();
    };
    format!(
        "{} {} group={} alpn={}",
        n.version.rfc_name(),
        n.cipher_suite.rfc_name(),
        common::group_name(n.key_exchange_group),
        common::alpn_name(n.alpn.as_deref()),
    )
}

/// Sends back whatever arrives (0-RTT data first), until the client's close_notify.
fn serve_echo(tls: &mut ServerStream<TcpStream>) -> io::Result<usize> {
    let early = tls.take_early_data();
    if !early.is_empty() {
        tls.write_all(&early)?;
    }
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let n = tls.read(&mut buffer)?;
        if n == 0 {
            tls.close()?;
            return Ok(0);
        }
        tls.write_all(&buffer[..n])?;
    }
}

/// An HTTP/1.x request head: how long it is, and what it says about what follows.
struct RequestHead {
    /// Bytes up to and including the blank line.
    len: usize,
    /// The Content-Length of the body.
    body_len: usize,
    /// The client wants the connection closed after the response (HTTP/1.0 without
    /// keep-alive, or `Connection: close`).
    close: bool,
    /// The request line's version, answered in kind.
    http10: bool,
}

/// The first complete request head in `buffer`, if there is one: it ends at the first
/// blank line (`\r\n\r\n` or `\n\n`).
fn parse_request_head(buffer: &[u8]) -> Option<RequestHead> {
    let len = common::http_head_len(buffer)?;
    let head = String::from_utf8_lossy(&buffer[..len]).to_ascii_lowercase();
    let mut lines = head.lines();
    let http10 = lines
        .next()
        .is_some_and(|l| l.trim_end().ends_with("http/1.0"));
    let mut body_len = 0;
    let mut close = http10;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        match (name.trim(), value.trim()) {
            ("content-length", v) => body_len = v.parse().unwrap_or(0),
            ("connection", "close") => close = true,
            ("connection", "keep-alive") => close = false,
            _ => {}
        }
    }
    Some(RequestHead {
        len,
        body_len,
        close,
        http10,
    })
}

/// Answers each request with a page naming the handshake's parameters, until the client
/// closes (or asks to). Returns how many requests were answered.
fn serve_http(tls: &mut ServerStream<TcpStream>, observed: common::Observed) -> io::Result<usize> {
    // RFC 8470's way: 0-RTT data is the start of the request stream.
    let early = tls.take_early_data();
    let early_len = early.len();
    let mut buffer = early;
    let mut chunk = vec![0u8; 64 * 1024];
    let mut answered = 0;
    let mut current: Option<RequestHead> = None;
    let mut body_seen = 0;
    loop {
        if current.is_none() {
            current = parse_request_head(&buffer);
            if let Some(head) = &current {
                buffer.drain(..head.len);
                body_seen = 0;
            } else if buffer.len() > MAX_REQUEST_HEAD {
                tls.close()?;
                return Err(io::Error::other("request head too large"));
            }
        }
        if let Some(head) = &current {
            let take = (head.body_len - body_seen).min(buffer.len());
            buffer.drain(..take);
            body_seen += take;
            if body_seen == head.body_len {
                let page = page(tls, observed, early_len, body_seen);
                let response = response(&page, head);
                // One write of less than 2^14 bytes: one record.
                tls.write_all(response.as_bytes())?;
                answered += 1;
                let close = head.close;
                current = None;
                if close {
                    tls.close()?;
                    return Ok(answered);
                }
                continue;
            }
        }
        let n = tls.read(&mut chunk)?;
        if n == 0 {
            // The client's close_notify: answer it with ours.
            tls.close()?;
            return Ok(answered);
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
}

/// The HTTP response carrying `page`.
fn response(page: &str, head: &RequestHead) -> String {
    format!(
        "{} 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n{}\r\n{page}",
        if head.http10 { "HTTP/1.0" } else { "HTTP/1.1" },
        page.len(),
        if head.close {
            "Connection: close\r\n"
        } else {
            ""
        },
    )
}

/// The page: what this connection negotiated.
fn page(
    tls: &ServerStream<TcpStream>,
    observed: common::Observed,
    early_len: usize,
    body_len: usize,
) -> String {
    let Some(n) = tls.negotiated() else {
        return "no handshake\n".into();
    };
    let resumed = match (n.psk, n.psk_mode) {
        (None, _) => "no".to_string(),
        (Some(kind), mode) => format!(
            "{} ({})",
            match kind {
                PskKind::Resumption => "ticket",
                PskKind::External => "external PSK",
            },
            match mode {
                Some(PskKeyExchangeMode::PskKe) => "psk_ke",
                _ => "psk_dhe_ke",
            }
        ),
    };
    let early = match n.early_data_accepted {
        true => format!("accepted, {early_len} bytes"),
        false => "none".into(),
    };
    format!(
        "lucid-tls example server\n\
         version: {}\n\
         cipher suite: {}\n\
         group: {}\n\
         hello retry request: {}\n\
         signature scheme: {}\n\
         alpn: {}\n\
         client certificate: {}\n\
         client signature scheme: {}\n\
         resumed: {resumed}\n\
         early data: {early}\n\
         key updates: received {}, sent {}\n\
         client record_size_limit: {}\n\
         request body: {body_len} bytes\n",
        n.version.rfc_name(),
        n.cipher_suite.rfc_name(),
        common::group_name(n.key_exchange_group),
        if observed.hello_retry_request {
            "yes"
        } else {
            "no"
        },
        common::scheme_name(observed.our_signature_scheme),
        common::alpn_name(n.alpn.as_deref()),
        n.peer_certificates
            .first()
            .map_or("none".into(), |c| subject(c)),
        common::scheme_name(n.signature_scheme),
        tls.key_updates_received(),
        tls.key_updates_sent(),
        n.peer_record_size_limit
            .map_or("none".into(), |limit| limit.to_string()),
    )
}

/// A certificate's subject, as RFC 4514 text.
fn subject(der: &[u8]) -> String {
    match x509_parser::parse_x509_certificate(der) {
        Ok((_, cert)) => cert.subject().to_string(),
        Err(_) => "(unparsable)".into(),
    }
}
