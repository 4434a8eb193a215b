//! Renders a TLS 1.3 handshake as one self-contained HTML page: a sequence diagram, every
//! record with its bytes and fields annotated, the decrypted contents with the keys that
//! protect them, every secret with its derivation, and the certificates, decoded.
//!
//! ```text
//! cargo run --example illustrate -- --trace simple --out handshake.html
//! cargo run --example illustrate -- --trace hrr --out hrr.html --pcap hrr.pcap
//! cargo run --example illustrate -- --connect localhost:4433 --ca ca.pem --out live.html
//! ```
//!
//! `--trace pq` renders a post-quantum hybrid handshake in X25519MLKEM768 instead (RFC
//! 10024; the walkthrough's, with the same fixed randomness), with the hybrid shared secret
//! cut into its ML-KEM-768 and X25519 parts.
//!
//! `--trace` takes an RFC 8448 trace (`simple`, `resumed-0rtt`, `hrr`, `client-auth`,
//! `compat`): lucid-tls's client and server replay it in memory, and every record, secret
//! and key is also checked against the RFC (✓). The page is built from the *client's*
//! trace events alone (lucid_tls::trace), so the same rendering works for any connection a
//! client makes: the client sees every record both ways, and every key. Protected records
//! are decrypted here, with the keys the trace reports, by the library's own record layer.
//!
//! `--connect HOST:PORT --ca CA.pem [--server-name NAME]` makes a live handshake instead,
//! as a client trusting the CA certificates in the PEM file, sends one HTTP/1.0 request
//! (`openssl s_server -www` answers it), reads for up to two seconds, and closes. The key
//! log (SSLKEYLOGFILE) and `--pcap` work for live handshakes too.
//!
//! The page loads nothing from the network: styles and the little script are inline.
//!
//! | file | what |
//! | --- | --- |
//! | `main.rs` | the command line, and the page of an RFC 8448 trace or of `--trace pq` |
//! | `live.rs` | `--connect`: a live handshake as a client |
//! | `records.rs` | the records the client's trace saw, decrypted with the keys it reports |
//! | `render.rs` | the HTML page: diagram, records, secrets, keys, certificates |

use std::path::PathBuf;
use std::process::ExitCode;

use lucid_tls::pair::Side;
use lucid_tls::rfc8448::{Rfc8448Handshake, SetupError, TraceName};
use lucid_tls::trace::TraceEvent;

#[path = "../common/pcap.rs"]
mod pcap;

#[allow(dead_code)] // the walkthrough's text is not used here
#[path = "../common/pq_walk.rs"]
mod pq_walk;

#[allow(dead_code)]
#[path = "../common/mod.rs"]
mod common;

mod live;
mod records;
mod render;

use live::{Live, illustrate_live};
use render::Renderer;

struct Args {
    trace: TraceName,
    /// `--trace pq`: the hybrid handshake.
    pq: bool,
    live: Option<Live>,
    out: PathBuf,
    pcap: Option<PathBuf>,
}

fn usage() -> String {
    let names: Vec<&str> = TraceName::ALL.iter().map(|t| t.cli_name()).collect();
    format!(
        "usage: illustrate (--trace {}|pq | --connect HOST:PORT --ca CA.pem [--server-name NAME]) \
         --out FILE.html [--pcap FILE]",
        names.join("|")
    )
}

fn parse_args() -> Result<Args, String> {
    use lexopt::prelude::*;
    let (mut trace, mut out, mut pcap) = (None, None, None);
    let mut pq = false;
    let (mut address, mut ca, mut server_name) = (None, None, None);
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long("trace") | Short('t') => {
                let name = parser.value().map_err(|e| e.to_string())?;
                let name = name.to_string_lossy();
                if name == "pq" {
                    pq = true;
                    continue;
                }
                trace = Some(
                    TraceName::from_name(&name)
                        .ok_or_else(|| format!("unknown trace {name:?}\n{}", usage()))?,
                );
            }
            Long("out") | Short('o') => out = Some(parser.value().map_err(|e| e.to_string())?),
            Long("pcap") => pcap = Some(parser.value().map_err(|e| e.to_string())?.into()),
            Long("connect") => address = Some(value(&mut parser)?),
            Long("ca") => ca = Some(PathBuf::from(value(&mut parser)?)),
            Long("server-name") => server_name = Some(value(&mut parser)?),
            Long("help") | Short('h') => return Err(usage()),
            other => return Err(format!("{}\n{}", other.unexpected(), usage())),
        }
    }
    let live = match (address, ca) {
        (Some(address), Some(ca)) => Some(Live {
            address,
            ca,
            server_name,
        }),
        (None, None) => None,
        _ => {
            return Err(format!(
                "--connect needs --ca (and --ca needs --connect)\n{}",
                usage()
            ));
        }
    };
    Ok(Args {
        trace: trace.unwrap_or(TraceName::Simple),
        pq,
        live,
        out: out.ok_or_else(usage)?.into(),
        pcap,
    })
}

fn value(parser: &mut lexopt::Parser) -> Result<String, String> {
    let value = parser.value().map_err(|e| e.to_string())?;
    value
        .into_string()
        .map_err(|v| format!("not UTF-8: {}", v.to_string_lossy()))
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let page = match &args.live {
        Some(live) => illustrate_live(live),
        None if args.pq => illustrate_pq(),
        None => illustrate_trace(args.trace)
            .map_err(|e| format!("cannot run RFC 8448 {}: {e}", args.trace.section())),
    };
    let page = match page {
        Ok(page) => page,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = std::fs::write(&args.out, &page.html) {
        eprintln!("cannot write {}: {e}", args.out.display());
        return ExitCode::FAILURE;
    }
    println!("wrote {} ({} bytes)", args.out.display(), page.html.len());
    if let Some(path) = &args.pcap {
        let mut stream = pcap::TcpStream::new();
        for (from, bytes) in &page.wire {
            stream.send(*from, bytes);
        }
        stream.close();
        if let Err(e) = stream.write(path) {
            eprintln!("cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        println!("wrote {}", path.display());
    }
    if page.all_equal {
        ExitCode::SUCCESS
    } else {
        eprintln!("some values differ from RFC 8448: see the ✗ marks in the page");
        ExitCode::FAILURE
    }
}

/// A rendered page, the flights it shows (for a capture), and whether every value checked
/// against RFC 8448 was equal.
pub struct Page {
    pub html: String,
    pub wire: Vec<(Side, Vec<u8>)>,
    pub all_equal: bool,
}

/// Replays RFC 8448 trace `name` and renders it.
pub fn illustrate_trace(name: TraceName) -> Result<Page, SetupError> {
    let mut rfc = Rfc8448Handshake::new(name)?;
    let flights = rfc.run()?;
    let complete = flights.iter().all(|f| f.all_match());
    let wire = flights
        .iter()
        .map(|f| (f.flight.from, f.flight.bytes.clone()))
        .collect();
    let client_trace: Vec<TraceEvent> = flights
        .into_iter()
        .flat_map(|f| f.flight.trace)
        .filter(|(side, _)| *side == Side::Client)
        .map(|(_, event)| event)
        .collect();
    let title = format!("RFC 8448 {} {}", name.section(), name.title());
    let mut page = Renderer::new(Some(&rfc.trace));
    let html = page.render(&title, name.summary(), &client_trace);
    Ok(Page {
        html,
        wire,
        all_equal: complete && page.mismatches == 0,
    })
}

/// Renders the walkthrough's hybrid X25519MLKEM768 handshake (`--trace pq`).
pub fn illustrate_pq() -> Result<Page, String> {
    let flights = pq_walk::flights()?;
    let complete = flights.iter().all(|f| f.result.is_ok());
    let wire = flights.iter().map(|f| (f.from, f.bytes.clone())).collect();
    let client_trace: Vec<TraceEvent> = flights
        .into_iter()
        .flat_map(|f| f.trace)
        .filter(|(side, _)| *side == Side::Client)
        .map(|(_, event)| event)
        .collect();
    let mut page = Renderer::new(None);
    let html = page.render(
        "A post-quantum hybrid handshake: X25519MLKEM768",
        "lucid-tls's client and server in memory with fixed randomness (the walkthrough's \
         --trace pq): ML-KEM-768 (FIPS 203) and X25519 at once, their shared secrets joined \
         (RFC 10024).",
        &client_trace,
    );
    Ok(Page {
        html,
        wire,
        all_equal: complete && page.mismatches == 0,
    })
}
