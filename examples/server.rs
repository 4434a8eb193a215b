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
//! Raw public keys (RFC 7250): `--rawpkfile PUB.pem --rawpkkeyfile KEY.pem` serves a raw
//! public key to clients that take one (beside `--cert`, or alone); `--pin-client-spki
//! PUB.pem` (repeatable) requires clients to authenticate with one of these raw keys.
//!
//! Beyond the usual flags, `--groups` and `--suites` set the server's preference lists
//! (a client whose key share is not in `--groups` gets a HelloRetryRequest).

mod common;
#[path = "common/serve.rs"]
mod serve;

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use clap::Parser;
use lucid_tls::CipherSuite;
use lucid_tls::crypto::{CryptoProvider, Rng, Secret};
use lucid_tls::os_rng::OsRng;
use lucid_tls::server::config::MAX_RECORD_SIZE_LIMIT;
use lucid_tls::server::{
    AntiReplay, EarlyDataConfig, ExternalPsk, Sealer, ServerConfig, TicketConfig,
};
use lucid_tls::stream::ServerStream;
use lucid_tls::time::Time;

#[derive(Parser, Debug)]
#[command(about = "A small HTTPS server on lucid-tls, in the manner of `openssl s_server -www`")]
struct Args {
    #[command(flatten)]
    server: serve::ServerFlags,
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
    /// The record_size_limit (RFC 8449) sent to a client that sends one: the largest
    /// record plaintext we accept (64 to 16385; the default takes any size).
    #[arg(long, value_name = "BYTES", default_value_t = MAX_RECORD_SIZE_LIMIT)]
    record_size_limit: u16,
}

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
    let listener = match TcpListener::bind(&args.server.listen) {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("error: cannot listen on {}: {e}", args.server.listen);
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
    let mut builder = serve::server_config(&args.server, args.psk.is_some())?;
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
        Ok(requests) => eprintln!(
            "{peer}: {} ok, {requests} request(s)",
            serve::summary(tls.negotiated())
        ),
        Err(e) => eprintln!("{peer}: {}", common::describe_error(&e)),
    }
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

/// Answers each request with a page naming the handshake's parameters, until the client
/// closes (or asks to). Returns how many requests were answered.
fn serve_http(tls: &mut ServerStream<TcpStream>, observed: common::Observed) -> io::Result<usize> {
    // RFC 8470's way: 0-RTT data is the start of the request stream.
    let early = tls.take_early_data();
    let early_len = early.len();
    let mut requests = serve::RequestReader::new(early);
    let mut chunk = vec![0u8; 64 * 1024];
    let mut answered = 0;
    loop {
        let Ok(next) = requests.next_request() else {
            tls.close()?;
            return Err(io::Error::other("request head too large"));
        };
        if let Some(head) = next {
            let facts = serve::PageFacts {
                observed,
                early_len,
                body_len: head.body_len,
                key_updates: (tls.key_updates_received(), tls.key_updates_sent()),
            };
            let page = serve::page(tls.negotiated(), facts);
            let response = serve::response(&page, &head);
            // One write of less than 2^14 bytes: one record.
            tls.write_all(response.as_bytes())?;
            answered += 1;
            if head.close {
                tls.close()?;
                return Ok(answered);
            }
            continue;
        }
        let n = tls.read(&mut chunk)?;
        if n == 0 {
            // The client's close_notify: answer it with ours.
            tls.close()?;
            return Ok(answered);
        }
        requests.push(&chunk[..n]);
    }
}
