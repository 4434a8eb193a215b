//! A small HTTPS server on lucid-tls's tokio adapter: one task per connection, many
//! clients at once. It takes the same flags as `examples/server` (`--listen`, `--cert`,
//! `--key`, `--client-ca`, `--require-client-cert`, `--alpn`) and answers every HTTP/1.x
//! request with the same 200 page, which names what the handshake negotiated.
//!
//! ```text
//! cargo run --example tokio_server -- --cert chain.pem --key key.pem      # then:
//! curl --cacert ca.pem https://localhost:8443/
//! ```
//!
//! Handshakes are bounded (`lucid_tls::adapters::tokio`): each must finish within
//! `--handshake-timeout` seconds, and at most `--max-handshakes` are in progress (beyond
//! that the oldest is dropped), so clients that stall mid-handshake cannot keep fresh
//! ones out or grow memory without bound. A connection then idle for 30 s is closed.

mod common;
#[path = "common/serve.rs"]
mod serve;

use std::io;
use std::time::Duration;

use clap::Parser;
use lucid_tls::adapters::tokio::{DEFAULT_MAX_HANDSHAKES, ServerTlsStream, TlsAcceptor};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Parser, Debug)]
#[command(about = "A small HTTPS server on lucid-tls's tokio adapter, many clients at once")]
struct Args {
    #[command(flatten)]
    server: serve::ServerFlags,
    /// Seconds a handshake may take.
    #[arg(long, value_name = "SECS", default_value_t = 10)]
    handshake_timeout: u64,
    /// Handshakes in progress at most (beyond that the oldest is dropped).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_HANDSHAKES)]
    max_handshakes: usize,
}

/// How long a connection may stay silent after its handshake before it is dropped.
const IDLE_TIMEOUT: Duration = Duration::from_secs(30);

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let config = match serve::server_config(&args.server, false)
        .and_then(|builder| builder.build().map_err(|e| e.to_string()))
    {
        Ok(config) => config,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let acceptor = TlsAcceptor::new(config)
        .with_handshake_timeout(Duration::from_secs(args.handshake_timeout))
        .with_max_handshakes(args.max_handshakes);
    let listener = match TcpListener::bind(&args.server.listen).await {
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
    loop {
        let (tcp, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                eprintln!("accept failed: {e}");
                // Out of file descriptors, say: give the others a moment to close.
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let acceptor = acceptor.clone();
        tokio::spawn(async move {
            match connection(tcp, &acceptor).await {
                Ok((summary, requests)) => eprintln!("{peer}: {summary} ok, {requests} request(s)"),
                Err(e) => eprintln!("{peer}: {}", common::describe_error(&e)),
            }
        });
    }
}

/// Serves one connection: the handshake, then HTTP until the client closes.
async fn connection(tcp: TcpStream, acceptor: &TlsAcceptor) -> io::Result<(String, usize)> {
    let _ = tcp.set_nodelay(true);
    let (sink, observed) = common::observer();
    let mut tls = acceptor.accept_traced(tcp, Some(sink)).await?;
    let requests = serve_http(&mut tls, common::observed(&observed)).await?;
    Ok((serve::summary(tls.get_ref().1.negotiated()), requests))
}

/// Answers each request with the page, until the client closes (or asks to). Returns how
/// many requests were answered.
async fn serve_http(
    tls: &mut ServerTlsStream<TcpStream>,
    observed: common::Observed,
) -> io::Result<usize> {
    let early = tls.take_early_data();
    let early_len = early.len();
    let mut requests = serve::RequestReader::new(early);
    let mut chunk = vec![0u8; 16 * 1024];
    let mut answered = 0;
    loop {
        let Ok(next) = requests.next_request() else {
            tls.shutdown().await?;
            return Err(io::Error::other("request head too large"));
        };
        if let Some(head) = next {
            let facts = serve::PageFacts {
                observed,
                early_len,
                body_len: head.body_len,
                // The tokio stream answers KeyUpdates without counting them.
                key_updates: (0, 0),
            };
            let page = serve::page(tls.negotiated(), facts);
            tls.write_all(serve::response(&page, &head).as_bytes())
                .await?;
            tls.flush().await?;
            answered += 1;
            if head.close {
                tls.shutdown().await?;
                return Ok(answered);
            }
            continue;
        }
        let n = match tokio::time::timeout(IDLE_TIMEOUT, tls.read(&mut chunk)).await {
            Ok(read) => read?,
            Err(_) => return Err(io::Error::new(io::ErrorKind::TimedOut, "idle")),
        };
        if n == 0 {
            // The client's close_notify: answer it with ours.
            tls.shutdown().await?;
            return Ok(answered);
        }
        requests.push(&chunk[..n]);
    }
}
