//! A small HTTPS client on lucid-tls: `GET /`, and the response body on stdout.
//!
//! ```text
//! cargo run --example client -- --connect localhost:8443 --ca ca.pem
//! ```
//!
//! It verifies the server's chain against `--ca` and its name (`--server-name`, by default
//! the host of `--connect`; an IP address is checked against the certificate's iPAddress
//! entries and not sent as SNI), sends `GET / HTTP/1.1` with `Host` and `Connection: close`,
//! and prints the response body. One line per connection on stderr names what was
//! negotiated, as `key=value` pairs. It exits 0 on success, and 1 with the alert or error on
//! failure; a failure that sent no error alert (a timeout, the server closing early) still
//! ends with close_notify. SSLKEYLOGFILE is honoured.
//!
//! - `--groups X25519MLKEM768,x25519,secp256r1` (IANA names, any case): a key share for the
//!   first group; all are advertised, so a
//!   server that wants another one answers with a HelloRetryRequest.
//! - `--resume`: a second connection, resuming with a ticket from the first.
//! - `--early-data TEXT`: `TEXT` is sent as 0-RTT data ahead of the request on the resumed
//!   connection (implies `--resume`); if the server rejects it, it is sent again after the
//!   handshake.
//! - `--key-update`: a KeyUpdate asking the server to update too, before the request.
//! - `--timeout SECONDS`: how long to wait for the server's next bytes (default 30).
//! - `--pin-spki PUB.pem` (repeatable, instead of `--ca`): take only a raw public key
//!   (RFC 7250) from the server, one of these; `--rawpkfile PUB.pem --rawpkkeyfile KEY.pem`:
//!   our own raw public key, if the server asks for one.

mod common;

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clap::Parser;
use lucid_tls::client::{ClientConfig, Ticket};
use lucid_tls::key_schedule::PskKind;
use lucid_tls::stream::ClientStream;
use lucid_tls::x509::WebPkiServerVerifier;
use lucid_tls::{CertifiedKey, CipherSuite, NamedGroup};

#[derive(Parser, Debug)]
#[command(about = "A small HTTPS client on lucid-tls: GET / and print the body")]
struct Args {
    /// The server, HOST:PORT.
    #[arg(long, value_name = "HOST:PORT")]
    connect: String,
    /// The CA certificate(s) to trust (repeatable).
    #[arg(long, value_name = "CA.pem", required_unless_present = "pin_spkis")]
    ca: Vec<PathBuf>,
    /// Take the server's raw public key (RFC 7250) if it is one of these (repeatable;
    /// `PUBLIC KEY` PEM or DER), instead of validating a certificate against --ca.
    #[arg(long = "pin-spki", value_name = "PUB.pem", conflicts_with = "ca")]
    pin_spkis: Vec<PathBuf>,
    /// Our raw public key (RFC 7250), if the server asks for one (with --rawpkkeyfile).
    #[arg(long, value_name = "PUB.pem", requires = "rawpkkeyfile")]
    rawpkfile: Option<PathBuf>,
    /// The private key of --rawpkfile.
    #[arg(long, value_name = "KEY.pem", requires = "rawpkfile")]
    rawpkkeyfile: Option<PathBuf>,
    /// The name to send as SNI and to check the certificate against (default: the host).
    #[arg(long, value_name = "NAME")]
    server_name: Option<String>,
    /// Our certificate chain, if the server asks for one (with --key).
    #[arg(long, value_name = "C.pem", requires = "key")]
    cert: Option<PathBuf>,
    /// The private key of --cert.
    #[arg(long, value_name = "K.pem", requires = "cert")]
    key: Option<PathBuf>,
    /// Key exchange groups: a key share for the first, all advertised.
    #[arg(long, value_name = "LIST")]
    groups: Option<String>,
    /// Cipher suites, most preferred first.
    #[arg(long, value_name = "LIST")]
    suites: Option<String>,
    /// ALPN protocols, most preferred first.
    #[arg(long, value_name = "LIST")]
    alpn: Option<String>,
    /// Connect a second time, resuming with a ticket from the first connection.
    #[arg(long)]
    resume: bool,
    /// 0-RTT data to send on the resumed connection (implies --resume).
    #[arg(long, value_name = "TEXT")]
    early_data: Option<String>,
    /// Send a KeyUpdate (requesting the server's) before the request.
    #[arg(long)]
    key_update: bool,
    /// Seconds to wait for the server's next bytes before giving up.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    timeout: u64,
}

fn main() {
    let args = Args::parse();
    if let Err(e) = run(&args) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run(args: &Args) -> Result<(), String> {
    let config = client_config(args)?;
    let host = host_of(&args.connect);
    let server_name = args.server_name.clone().unwrap_or_else(|| host.to_string());
    let tickets = connect(args, &config, &server_name, host, None, 1)?;
    if args.resume || args.early_data.is_some() {
        // RFC 9846 Appendix C.4: a ticket is best used once; take the newest.
        let ticket = tickets
            .into_iter()
            .last()
            .ok_or("the first connection received no session ticket")?;
        connect(args, &config, &server_name, host, Some(ticket), 2)?;
    }
    Ok(())
}

/// The client configuration the flags describe.
fn client_config(args: &Args) -> Result<Arc<ClientConfig>, String> {
    let provider = common::provider();
    // The summary says whether a HelloRetryRequest came: trace events on.
    let mut builder = ClientConfig::builder(provider.clone());
    if args.pin_spkis.is_empty() {
        let verifier = Arc::new(WebPkiServerVerifier::new(common::validator(&args.ca)?));
        builder = builder.verifier(verifier);
    } else {
        builder = builder.pinned_public_keys(common::public_keys(&args.pin_spkis)?);
    }
    let mut builder = builder.trace(true).early_data(args.early_data.is_some());
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
    if let (Some(cert), Some(key)) = (&args.cert, &args.key) {
        let chain = lucid_tls::pem::load_certificates(cert).map_err(|e| e.to_string())?;
        let key = lucid_tls::pem::load_signing_key(&*provider, key).map_err(|e| e.to_string())?;
        builder = builder.client_auth(CertifiedKey::new(chain, key));
    }
    if let (Some(public), Some(key)) = (&args.rawpkfile, &args.rawpkkeyfile) {
        let spki = lucid_tls::pem::load_public_key(public).map_err(|e| e.to_string())?;
        let key = lucid_tls::pem::load_signing_key(&*provider, key).map_err(|e| e.to_string())?;
        builder = builder.client_auth(CertifiedKey::from_raw_public_key(spki, key));
    }
    builder.build().map_err(|e| e.to_string())
}

/// The host part of `HOST:PORT` (`[v6]:PORT` too).
fn host_of(address: &str) -> &str {
    let host = address.rsplit_once(':').map_or(address, |(h, _)| h);
    host.trim_start_matches('[').trim_end_matches(']')
}

/// One connection: handshake, request, response. Returns the tickets it received.
fn connect(
    args: &Args,
    config: &Arc<ClientConfig>,
    server_name: &str,
    host: &str,
    ticket: Option<Ticket>,
    number: u32,
) -> Result<Vec<Ticket>, String> {
    let tcp = TcpStream::connect(&args.connect)
        .map_err(|e| format!("cannot connect to {}: {e}", args.connect))?;
    let _ = tcp.set_read_timeout(Some(Duration::from_secs(args.timeout.max(1))));
    let _ = tcp.set_nodelay(true);
    let resuming = ticket.is_some();
    let mut tls = match ticket {
        Some(ticket) => ClientStream::resume(config.clone(), Some(server_name), ticket, tcp),
        None => ClientStream::connect(config.clone(), Some(server_name), tcp),
    }
    .map_err(|e| common::describe_error(&e))?;
    let (sink, observed) = common::observer();
    tls.set_trace_sink(sink);
    let result = exchange(args, &mut tls, host, resuming, number, &observed);
    if result.is_err() {
        // RFC 9846 §6.1: close_notify before closing our write side, unless an error alert
        // went out already (then the connection has a stored error and this sends nothing).
        let _ = tls.close();
    }
    result
}

/// Handshake, request and response on one connection. Returns the tickets it received.
fn exchange(
    args: &Args,
    tls: &mut ClientStream<TcpStream>,
    host: &str,
    resuming: bool,
    number: u32,
    observed: &Arc<Mutex<common::Observed>>,
) -> Result<Vec<Ticket>, String> {
    let early = args.early_data.as_deref().filter(|_| resuming);
    let mut early_sent = false;
    if let Some(text) = early
        && tls.can_write_early_data()
    {
        tls.write_early_data(text.as_bytes())
            .map_err(|e| common::describe_error(&e))?;
        early_sent = true;
    }
    tls.handshake().map_err(|e| common::describe_error(&e))?;
    if let Some(text) = early
        && tls.early_data_accepted() != Some(true)
    {
        // Not sent, or rejected: RFC 9846 §4.3.10 leaves it to the application to send
        // it again as ordinary data.
        tls.write_all(text.as_bytes())
            .map_err(|e| common::describe_error(&e))?;
    }
    if args.key_update {
        tls.key_update(true)
            .map_err(|e| common::describe_error(&e))?;
    }
    let request = format!(
        "GET / HTTP/1.1\r\nHost: {host}\r\nUser-Agent: lucid-tls\r\nConnection: close\r\n\r\n"
    );
    tls.write_all(request.as_bytes())
        .map_err(|e| common::describe_error(&e))?;
    let body = read_response(tls).map_err(|e| common::describe_error(&e))?;
    // Done: close_notify (the server may already have closed).
    let _ = tls.close();
    io::stdout()
        .write_all(&body)
        .map_err(|e| format!("stdout: {e}"))?;
    let _ = io::stdout().flush();
    eprintln!(
        "{}",
        summary(tls, number, early_sent, common::observed(observed))
    );
    Ok(tls.take_tickets())
}

/// Reads an HTTP response and returns its body: `Content-Length` bytes after the head, or
/// everything up to the server's close_notify.
fn read_response(tls: &mut ClientStream<TcpStream>) -> io::Result<Vec<u8>> {
    let mut data = Vec::new();
    let head_len = loop {
        if let Some(len) = common::http_head_len(&data) {
            break len;
        }
        read_more(
            tls,
            &mut data,
            "the server closed before a whole response head",
        )?;
    };
    let mut body = data.split_off(head_len);
    match content_length(&data) {
        Some(len) => {
            while body.len() < len {
                read_more(
                    tls,
                    &mut body,
                    "the server closed in the middle of the body",
                )?;
            }
            body.truncate(len);
        }
        None => {
            tls.read_to_end(&mut body)?;
        }
    }
    Ok(body)
}

/// Reads some more into `data`; the end of the stream is an error, `what`.
fn read_more(
    tls: &mut ClientStream<TcpStream>,
    data: &mut Vec<u8>,
    what: &'static str,
) -> io::Result<()> {
    let mut chunk = [0u8; 16 * 1024];
    let n = tls.read(&mut chunk)?;
    if n == 0 {
        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, what));
    }
    data.extend_from_slice(&chunk[..n]);
    Ok(())
}

/// The Content-Length of a response head, if it has one.
fn content_length(head: &[u8]) -> Option<usize> {
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    head.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        (name.trim() == "content-length")
            .then(|| value.trim().parse().ok())
            .flatten()
    })
}

/// What the connection negotiated, as `key=value` pairs on one line.
fn summary(
    tls: &ClientStream<TcpStream>,
    number: u32,
    early_sent: bool,
    observed: common::Observed,
) -> String {
    let Some(n) = tls.negotiated() else {
        return format!("connection={number} no-handshake");
    };
    let resumed = match n.psk {
        Some(PskKind::Resumption) => "yes",
        Some(PskKind::External) => "external-psk",
        None => "no",
    };
    let early = match (early_sent, tls.early_data_accepted()) {
        (false, _) => "none",
        (true, Some(true)) => "accepted",
        (true, _) => "rejected",
    };
    format!(
        "connection={number} version={} suite={} group={} hrr={} signature={} alpn={} resumed={resumed} \
         early-data={early} key-updates-sent={} key-updates-received={}{}",
        n.version.rfc_name().replace(' ', ""),
        n.cipher_suite.rfc_name(),
        common::group_name(n.key_exchange_group),
        if observed.hello_retry_request {
            "yes"
        } else {
            "no"
        },
        common::scheme_name(n.signature_scheme),
        common::alpn_name(n.alpn.as_deref()),
        tls.key_updates_sent(),
        tls.key_updates_received(),
        common::raw_public_key_pairs(n),
    )
}
