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

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use lucid_tls::crypto::CryptoProvider;
use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::explain::{self, hex};
use lucid_tls::pair::Side;
use lucid_tls::record::decrypter::RecordDecrypter;
use lucid_tls::record::nonce::TrafficKey;
use lucid_tls::rfc8448::vectors::Trace;
use lucid_tls::rfc8448::{Rfc8448Handshake, SetupError, TraceName, expected};
use lucid_tls::trace::{Direction, Epoch, TraceEvent};
use lucid_tls::wire::handshake::HandshakeMessage;

#[path = "common/pcap.rs"]
mod pcap;

#[allow(dead_code)] // the walkthrough's text is not used here
#[path = "common/pq_walk.rs"]
mod pq_walk;

#[allow(dead_code)]
#[path = "common/mod.rs"]
mod common;

/// AEAD tags are 16 bytes for every suite lucid-tls supports (not a rule of RFC 9846 §5.2:
/// TLS_AES_128_CCM_8_SHA256 has 8).
const TAG_LEN: usize = 16;

/// A live peer to connect to.
struct Live {
    address: String,
    ca: PathBuf,
    server_name: Option<String>,
}

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

/// Connects to a live server as a client, sends one HTTP/1.0 request, reads for up to two
/// seconds, closes, and renders what the client's trace shows.
fn illustrate_live(live: &Live) -> Result<Page, String> {
    use std::io::{Read, Write};
    use std::sync::Arc;
    use std::time::Duration;

    use lucid_tls::client::{ClientConfig, ClientConnection};
    use lucid_tls::connection::Event;
    use lucid_tls::time::Time;
    use lucid_tls::x509::WebPkiServerVerifier;

    let host = live
        .address
        .rsplit_once(':')
        .map_or(live.address.as_str(), |(h, _)| h);
    let server_name = live.server_name.clone().unwrap_or_else(|| host.to_string());
    let validator = common::validator(std::slice::from_ref(&live.ca))?;
    let mut config = ClientConfig::new(
        common::provider(),
        Arc::new(WebPkiServerVerifier::new(validator)),
    );
    config.trace = true;
    config.keylog = common::keylog_from_env();
    let mut client = ClientConnection::new(
        Arc::new(config),
        Some(&server_name),
        Box::new(lucid_tls::os_rng::OsRng),
        Time::now(),
    )
    .map_err(|e| format!("cannot start: {e:?}"))?;
    let mut tcp = std::net::TcpStream::connect(&live.address)
        .map_err(|e| format!("cannot connect to {}: {e}", live.address))?;
    tcp.set_read_timeout(Some(Duration::from_secs(2)))
        .map_err(|e| e.to_string())?;
    let mut wire = Vec::new();
    let mut trace = Vec::new();
    let mut requested = false;
    let mut buffer = [0u8; 16384];
    let outcome = loop {
        let output = client.take_output();
        if !output.is_empty() {
            tcp.write_all(&output).map_err(|e| e.to_string())?;
            wire.push((Side::Client, output));
        }
        trace.extend(std::iter::from_fn(|| client.poll_trace()));
        let events: Vec<Event> = std::iter::from_fn(|| client.poll_event()).collect();
        if events.iter().any(|e| matches!(e, Event::PeerClosed)) {
            break Ok(());
        }
        if let Some(e) = client.error() {
            break Err(format!("the handshake failed: {e:?}"));
        }
        if !client.is_handshaking() && !requested {
            requested = true;
            let request = format!("GET / HTTP/1.0\r\nHost: {server_name}\r\n\r\n");
            client
                .write(request.as_bytes())
                .map_err(|e| format!("{e:?}"))?;
            continue;
        }
        match tcp.read(&mut buffer) {
            Ok(0) => break Ok(()),
            Ok(n) => {
                wire.push((Side::Server, buffer[..n].to_vec()));
                // An error is reported by client.error() on the next turn.
                let _ = client.feed(Time::now(), &buffer[..n]);
            }
            // Nothing more within the timeout: done.
            Err(_) => break Ok(()),
        }
    };
    if client.error().is_none() {
        client.close();
        let output = client.take_output();
        if tcp.write_all(&output).is_ok() && !output.is_empty() {
            wire.push((Side::Client, output));
        }
    }
    trace.extend(std::iter::from_fn(|| client.poll_trace()));
    let title = format!("TLS 1.3 handshake with {} ({server_name})", live.address);
    let summary = match &outcome {
        Ok(()) => "A live handshake, as lucid-tls's client saw it.".to_string(),
        Err(e) => format!("A live handshake, as lucid-tls's client saw it: {e}."),
    };
    let mut renderer = Renderer::new(None);
    let html = renderer.render(&title, &summary, &trace);
    Ok(Page {
        html,
        wire,
        all_equal: outcome.is_ok() && renderer.mismatches == 0,
    })
}

// ----- The model: records as the client saw them ----------------------------------------

/// One record, as on the wire, with what the client knew about it.
struct Record {
    /// Sent by the client (Direction::Sent) or received from the server.
    direction: Direction,
    bytes: Vec<u8>,
    /// For a protected record: the key that protected it and what was inside.
    protection: Option<Protection>,
}

struct Protection {
    epoch: Epoch,
    aead: &'static str,
    key: Vec<u8>,
    iv: [u8; 12],
    sequence_number: u64,
    /// The inner content type and content, or why it could not be decrypted.
    inner: Result<(u8, Vec<u8>), String>,
}

/// The read or write key in force in one direction.
struct KeyState {
    epoch: Epoch,
    aead: &'static str,
    key: Vec<u8>,
    iv: [u8; 12],
    decrypter: Option<RecordDecrypter>,
}

/// The records of the client's trace, decrypted with the keys it installed.
fn records(trace: &[TraceEvent]) -> Vec<Record> {
    let mut keys: [Option<KeyState>; 2] = [None, None];
    let slot = |direction: Direction| match direction {
        Direction::Sent => 0,
        Direction::Received => 1,
    };
    let mut records = Vec::new();
    for event in trace {
        match event {
            TraceEvent::KeyInstalled {
                direction,
                epoch,
                aead,
                key,
                iv,
            } => {
                let decrypter = RustCryptoProvider
                    .aead(*aead, key.as_bytes())
                    .ok()
                    .and_then(|aead| TrafficKey::new(aead, iv).ok())
                    .map(RecordDecrypter::new);
                keys[slot(*direction)] = Some(KeyState {
                    epoch: *epoch,
                    aead: explain::aead_name(*aead),
                    key: key.as_bytes().to_vec(),
                    iv: *iv,
                    decrypter,
                });
            }
            TraceEvent::Record {
                direction, bytes, ..
            } => {
                let protected = bytes.first() == Some(&23);
                let protection = match (&mut keys[slot(*direction)], protected) {
                    (Some(state), true) => Some(decrypt(state, bytes)),
                    _ => None,
                };
                records.push(Record {
                    direction: *direction,
                    bytes: bytes.clone(),
                    protection,
                });
            }
            _ => {}
        }
    }
    records
}

fn decrypt(state: &mut KeyState, bytes: &[u8]) -> Protection {
    let (sequence_number, inner) = match state.decrypter.as_mut() {
        Some(decrypter) => {
            let sequence_number = decrypter.sequence_number();
            let mut record = bytes.to_vec();
            let inner = decrypter
                .decrypt_in_place(&mut record)
                .map(|plain| (plain.content_type.to_u8(), plain.fragment.to_vec()))
                .map_err(|e| format!("{e:?}"));
            (sequence_number, inner)
        }
        None => (
            0,
            Err("the provider does not support this AEAD".to_string()),
        ),
    };
    Protection {
        epoch: state.epoch,
        aead: state.aead,
        key: state.key.clone(),
        iv: state.iv,
        sequence_number,
        inner,
    }
}

/// What a record carries: its (inner) content type and content.
fn content(record: &Record) -> (u8, &[u8]) {
    match &record.protection {
        Some(Protection {
            inner: Ok((inner_type, content)),
            ..
        }) => (*inner_type, content),
        _ => (
            record.bytes.first().copied().unwrap_or(0),
            record.bytes.get(5..).unwrap_or_default(),
        ),
    }
}

fn content_type_name(t: u8) -> &'static str {
    match t {
        20 => "change_cipher_spec",
        21 => "alert",
        22 => "handshake",
        23 => "application_data",
        _ => "unknown",
    }
}

/// Cuts handshake content into messages (type, whole message bytes).
fn split_messages(content: &[u8]) -> Vec<&[u8]> {
    let mut messages = Vec::new();
    let mut rest = content;
    while let Some(header) = rest.get(..4) {
        let length =
            usize::from(header[1]) << 16 | usize::from(header[2]) << 8 | usize::from(header[3]);
        let end = (4 + length).min(rest.len());
        let (message, tail) = rest.split_at(end);
        messages.push(message);
        rest = tail;
    }
    messages
}

// ----- Rendering ------------------------------------------------------------------------

/// Escapes text for HTML.
fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Table rows, one per `(field, value)`.
fn field_rows(fields: Vec<explain::Field>) -> String {
    fields
        .iter()
        .map(|(field, value)| format!("<tr><th>{}</th><td>{}</td></tr>", esc(field), esc(value)))
        .collect()
}

/// Hex with a space between bytes, for reading.
fn spaced_hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

struct Renderer<'t> {
    rfc: Option<&'t Trace>,
    mismatches: usize,
}

impl<'t> Renderer<'t> {
    fn new(rfc: Option<&'t Trace>) -> Self {
        Self { rfc, mismatches: 0 }
    }

    /// A check mark against RFC 8448, if the RFC has a value to compare with.
    fn check(&mut self, rfc_value: Option<&[u8]>, value: &[u8]) -> String {
        match rfc_value {
            Some(v) if v == value => {
                "<span class=\"ok\" title=\"equal to RFC 8448\">✓ RFC 8448</span>".to_string()
            }
            Some(v) => {
                self.mismatches += 1;
                format!(
                    "<span class=\"bad\" title=\"RFC 8448 has {}\">✗ differs from RFC 8448</span>",
                    hex(v)
                )
            }
            None => String::new(),
        }
    }

    fn render(&mut self, title: &str, summary: &str, trace: &[TraceEvent]) -> String {
        let records = records(trace);
        let messages: Vec<(&HandshakeMessage, &[u8])> = trace
            .iter()
            .filter_map(|e| match e {
                TraceEvent::HandshakeMessage { message, bytes, .. } => {
                    Some((message, bytes.as_slice()))
                }
                _ => None,
            })
            .collect();
        let mut body = String::new();
        let _ = write!(
            body,
            "<header><h1>{}</h1><p>{}</p><p class=\"small\">Rendered by <code>cargo run --example illustrate</code> from the client's trace events (lucid-tls). \
             Protected records are decrypted here with the keys the trace reports. Notation as in RFC 9846 §2: \
             <code>{{…}}</code> protected with handshake keys, <code>[…]</code> with application keys, <code>(…)</code> with 0-RTT keys.</p></header>",
            esc(title),
            esc(summary)
        );
        body.push_str(
            "<nav><a href=\"#sequence\">Sequence</a> <a href=\"#records\">Records</a> \
             <a href=\"#secrets\">Secrets</a> <a href=\"#keys\">Keys</a> \
             <a href=\"#certificates\">Certificates</a> \
             <button id=\"toggle-bytes\" type=\"button\">hide bytes</button></nav>",
        );
        body.push_str(&self.sequence(&records, &messages));
        body.push_str(&self.records(&records, &messages));
        body.push_str(&self.secrets(trace));
        body.push_str(&self.keys(trace));
        body.push_str(&self.certificates(&messages));
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
            esc(title)
        )
    }

    /// One line per record for the diagram: what it carries, in RFC 9846 §2's notation.
    fn label(record: &Record, messages: &[(&HandshakeMessage, &[u8])]) -> String {
        let (inner, content) = content(record);
        let text = match inner {
            22 => split_messages(content)
                .iter()
                .map(|m| {
                    messages
                        .iter()
                        .find(|(_, bytes)| bytes == m)
                        .map_or("handshake", |(message, _)| explain::message_name(message))
                })
                .collect::<Vec<_>>()
                .join(", "),
            21 => content.get(1).map_or("alert".to_string(), |d| {
                format!(
                    "alert {}",
                    lucid_tls::wire::alert::AlertDescription::from_u8(*d).rfc_name()
                )
            }),
            20 => "change_cipher_spec".to_string(),
            23 => format!("application data, {} bytes", content.len()),
            _ => "?".to_string(),
        };
        match record.protection.as_ref().map(|p| p.epoch) {
            Some(Epoch::Handshake) => format!("{{{text}}}"),
            Some(Epoch::Application(_)) => format!("[{text}]"),
            Some(Epoch::Early) => format!("({text})"),
            _ => text,
        }
    }

    fn sequence(&mut self, records: &[Record], messages: &[(&HandshakeMessage, &[u8])]) -> String {
        let row = 34;
        let height = 70 + row * records.len();
        let mut svg = format!(
            "<section id=\"sequence\"><h2>Sequence diagram</h2><svg class=\"diagram\" viewBox=\"0 0 760 {height}\" role=\"img\" aria-label=\"sequence diagram\">\
             <text x=\"90\" y=\"24\" class=\"actor\">client</text><text x=\"670\" y=\"24\" class=\"actor\">server</text>\
             <line x1=\"90\" y1=\"34\" x2=\"90\" y2=\"{height}\" class=\"life\"/><line x1=\"670\" y1=\"34\" x2=\"670\" y2=\"{height}\" class=\"life\"/>"
        );
        for (i, record) in records.iter().enumerate() {
            let y = 60 + row * i;
            let (x1, x2) = match record.direction {
                Direction::Sent => (90, 670),
                Direction::Received => (670, 90),
            };
            let label = esc(&Self::label(record, messages));
            let _ = write!(
                svg,
                "<a href=\"#rec-{n}\"><line x1=\"{x1}\" y1=\"{y}\" x2=\"{x2}\" y2=\"{y}\" class=\"arrow\" marker-end=\"url(#head)\"/>\
                 <text x=\"380\" y=\"{ty}\" class=\"label\">{n}. {label}</text></a>",
                n = i + 1,
                ty = y - 6
            );
        }
        svg.push_str(
            "<defs><marker id=\"head\" markerWidth=\"10\" markerHeight=\"8\" refX=\"9\" refY=\"4\" orient=\"auto\">\
             <path d=\"M0,0 L10,4 L0,8 z\"/></marker></defs></svg></section>",
        );
        svg
    }

    fn records(&mut self, records: &[Record], messages: &[(&HandshakeMessage, &[u8])]) -> String {
        let mut out = String::from(
            "<section id=\"records\"><h2>Records</h2>\
            <p>Every record on the wire (RFC 9846 §5.1). Colours: <span class=\"hdr\">record header</span> \
            <span class=\"ct\">ciphertext</span> <span class=\"tag\">AEAD tag</span> \
            <span class=\"mh\">handshake message header</span>.</p>",
        );
        // The RFC's records of each side, in order, to compare with.
        let mut rfc_records: [Vec<&[u8]>; 2] = [Vec::new(), Vec::new()];
        if let Some(rfc) = self.rfc {
            rfc_records = [
                rfc.records("client").into_iter().map(|(_, r)| r).collect(),
                rfc.records("server").into_iter().map(|(_, r)| r).collect(),
            ];
        }
        let mut seen = [0usize; 2];
        for (i, record) in records.iter().enumerate() {
            let side = match record.direction {
                Direction::Sent => 0,
                Direction::Received => 1,
            };
            let rfc_record = rfc_records[side].get(seen[side]).copied();
            seen[side] += 1;
            let mark = self.check(rfc_record, &record.bytes);
            let arrow = if side == 0 {
                "client → server"
            } else {
                "server → client"
            };
            let outer = record.bytes.first().copied().unwrap_or(0);
            let version = record
                .bytes
                .get(1..3)
                .map_or(0, |v| u16::from_be_bytes([v[0], v[1]]));
            let length = record
                .bytes
                .get(3..5)
                .map_or(0, |v| u16::from_be_bytes([v[0], v[1]]));
            let _ = write!(
                out,
                "<article class=\"record\" id=\"rec-{n}\"><h3>{n}. {arrow} · {} · {} bytes {mark}</h3>\
                 <table class=\"fields\"><tr><th>content_type</th><td>{outer} ({})</td></tr>\
                 <tr><th>legacy_record_version</th><td>0x{version:04x}</td></tr>\
                 <tr><th>length</th><td>{length}</td></tr></table>",
                esc(&Self::label(record, messages)),
                record.bytes.len(),
                content_type_name(outer),
                n = i + 1,
            );
            let head = spaced_hex(record.bytes.get(..5).unwrap_or_default());
            let rest = record.bytes.get(5..).unwrap_or_default();
            match &record.protection {
                Some(protection) => {
                    let split = rest.len().saturating_sub(TAG_LEN);
                    let _ = write!(
                        out,
                        "<pre class=\"bytes\"><span class=\"hdr\">{head}</span> <span class=\"ct\">{}</span> <span class=\"tag\">{}</span></pre>",
                        spaced_hex(&rest[..split]),
                        spaced_hex(&rest[split..])
                    );
                    out.push_str(&self.protection(protection));
                }
                None => {
                    let _ = write!(
                        out,
                        "<pre class=\"bytes\"><span class=\"hdr\">{head}</span> {}</pre>",
                        spaced_hex(rest)
                    );
                }
            }
            let (inner, content) = content(record);
            if inner == 22 {
                for message in split_messages(content) {
                    out.push_str(&self.message(message, messages));
                }
            } else if inner == 23 {
                let _ = write!(
                    out,
                    "<p>Application data ({} bytes):</p><pre class=\"bytes\">{}</pre>",
                    content.len(),
                    spaced_hex(content)
                );
            }
            out.push_str("</article>");
        }
        out.push_str("</section>");
        out
    }

    fn protection(&mut self, p: &Protection) -> String {
        let mut nonce = [0u8; 12];
        nonce[4..].copy_from_slice(&p.sequence_number.to_be_bytes());
        for (n, iv) in nonce.iter_mut().zip(p.iv) {
            *n ^= iv;
        }
        let mut out = format!(
            "<table class=\"fields\"><tr><th>protected with</th><td>{} · {} keys (RFC 9846 §5.2)</td></tr>\
             <tr><th>key</th><td><code>{}</code></td></tr><tr><th>iv</th><td><code>{}</code></td></tr>\
             <tr><th>sequence number</th><td>{}</td></tr>\
             <tr><th>nonce = iv ⊕ seq (§5.3)</th><td><code>{}</code></td></tr>",
            p.aead,
            esc(&epoch_name(p.epoch)),
            hex(&p.key),
            hex(&p.iv),
            p.sequence_number,
            hex(&nonce)
        );
        match &p.inner {
            Ok((inner_type, content)) => {
                let _ = write!(
                    out,
                    "<tr><th>TLSInnerPlaintext</th><td>content ({} bytes) · type {inner_type} ({}) · no padding</td></tr></table>",
                    content.len(),
                    content_type_name(*inner_type)
                );
            }
            Err(why) => {
                self.mismatches += 1;
                let _ = write!(
                    out,
                    "<tr><th>decryption</th><td class=\"bad\">failed: {}</td></tr></table>",
                    esc(why)
                );
            }
        }
        out
    }

    fn message(&mut self, bytes: &[u8], messages: &[(&HandshakeMessage, &[u8])]) -> String {
        let Some((message, _)) = messages.iter().find(|(_, b)| *b == bytes) else {
            return format!(
                "<div class=\"message\"><h4>handshake fragment ({} bytes)</h4><pre class=\"bytes\">{}</pre></div>",
                bytes.len(),
                spaced_hex(bytes)
            );
        };
        let name = explain::message_name(message);
        let mut out = format!(
            "<div class=\"message\"><h4>{name} · {} bytes · {}</h4><table class=\"fields\">\
             <tr><th>msg_type</th><td>{} </td></tr><tr><th>length</th><td>{}</td></tr>",
            bytes.len(),
            explain::message_section(message),
            bytes.first().copied().unwrap_or(0),
            bytes.len().saturating_sub(4)
        );
        out.push_str(&field_rows(explain::message_fields(message)));
        let _ = write!(
            out,
            "</table><pre class=\"bytes\"><span class=\"mh\">{}</span> {}</pre></div>",
            spaced_hex(bytes.get(..4).unwrap_or_default()),
            spaced_hex(bytes.get(4..).unwrap_or_default())
        );
        out
    }

    fn secrets(&mut self, trace: &[TraceEvent]) -> String {
        let mut out = String::from(
            "<section id=\"secrets\"><h2>Secrets</h2><p>The key schedule (RFC 9846 §7.1), as the client derived it. \
             <code>Derive-Secret(Secret, Label, Messages) = HKDF-Expand-Label(Secret, Label, Transcript-Hash(Messages), Hash.length)</code>.</p>\
             <table class=\"secrets\"><tr><th>secret</th><th>derivation</th><th>value</th><th></th></tr>",
        );
        for event in trace {
            if let TraceEvent::KeyExchangeCompleted {
                group,
                shared_secret,
                parts,
                ..
            } = event
            {
                // A hybrid group (RFC 10024): each part's secret, then the joined one.
                for part in parts {
                    let _ = write!(
                        out,
                        "<tr><td>{} shared secret</td><td>{} part of {} <span class=\"small\">RFC 10024</span></td><td><code>{}</code></td><td></td></tr>",
                        esc(part.name),
                        esc(part.name),
                        esc(&explain::group(*group)),
                        hex(part.secret.as_bytes())
                    );
                }
                if let [first, second] = &parts[..] {
                    let _ = write!(
                        out,
                        "<tr><td>(EC)DHE shared secret</td><td>{} ‖ {} <span class=\"small\">RFC 10024, RFC 9846 §7.4</span></td><td><code>{}</code></td><td></td></tr>",
                        esc(first.name),
                        esc(second.name),
                        hex(shared_secret.as_bytes())
                    );
                }
            }
            if let TraceEvent::SecretDerived { label, secret } = event {
                let (formula, section) = explain::secret_derivation(*label);
                let rfc_value = self.rfc.and_then(|t| expected::secret(t, *label));
                let mark = self.check(rfc_value, secret.as_bytes());
                let _ = write!(
                    out,
                    "<tr><td>{}</td><td>{} <span class=\"small\">RFC 9846 {section}</span></td><td><code>{}</code></td><td>{mark}</td></tr>",
                    esc(&explain::secret_name(*label)),
                    esc(formula),
                    hex(secret.as_bytes())
                );
            }
        }
        out.push_str("</table></section>");
        out
    }

    fn keys(&mut self, trace: &[TraceEvent]) -> String {
        let mut out = String::from(
            "<section id=\"keys\"><h2>Keys</h2><p>Traffic keys and IVs (RFC 9846 §7.3): \
             <code>key = HKDF-Expand-Label(secret, \"key\", \"\", key_length)</code>, \
             <code>iv = HKDF-Expand-Label(secret, \"iv\", \"\", iv_length)</code>.</p>\
             <table><tr><th>direction</th><th>epoch</th><th>AEAD</th><th>key</th><th>iv</th><th></th></tr>",
        );
        for event in trace {
            if let TraceEvent::KeyInstalled {
                direction,
                epoch,
                aead,
                key,
                iv,
            } = event
            {
                let who = match direction {
                    Direction::Sent => "client → server",
                    Direction::Received => "server → client",
                };
                let rfc_pair = self
                    .rfc
                    .and_then(|t| expected::installed_key(t, Side::Client, *direction, *epoch));
                let key_mark = self.check(rfc_pair.map(|p| p.0), key.as_bytes());
                let iv_mark = self.check(rfc_pair.map(|p| p.1), iv);
                let _ = write!(
                    out,
                    "<tr><td>{who}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td><code>{}</code></td><td>{key_mark} {iv_mark}</td></tr>",
                    esc(&epoch_name(*epoch)),
                    explain::aead_name(*aead),
                    hex(key.as_bytes()),
                    hex(iv)
                );
            }
        }
        out.push_str("</table></section>");
        out
    }

    fn certificates(&mut self, messages: &[(&HandshakeMessage, &[u8])]) -> String {
        let mut out = String::from("<section id=\"certificates\"><h2>Certificates</h2>");
        let mut any = false;
        for (message, _) in messages {
            let HandshakeMessage::Certificate(certificate) = message else {
                continue;
            };
            for (i, entry) in certificate.certificate_list.iter().enumerate() {
                any = true;
                let _ = write!(
                    out,
                    "<article class=\"certificate\"><h3>certificate {i} · {} bytes of DER</h3><table class=\"fields\">",
                    entry.cert_data.len()
                );
                out.push_str(&field_rows(explain::certificate_summary(&entry.cert_data)));
                let _ = write!(
                    out,
                    "</table><details><summary>DER</summary><pre class=\"bytes\">{}</pre></details></article>",
                    spaced_hex(&entry.cert_data)
                );
            }
        }
        if !any {
            out.push_str("<p>No certificates: this handshake authenticated with a PSK.</p>");
        }
        out.push_str("</section>");
        out
    }
}

fn epoch_name(epoch: Epoch) -> String {
    match epoch {
        Epoch::Initial => "plaintext".to_string(),
        Epoch::Early => "0-RTT".to_string(),
        Epoch::Handshake => "handshake".to_string(),
        Epoch::Application(n) => format!("application (generation {n})"),
    }
}

const STYLE: &str = "
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:0 1em 4em;color:#1d232a}
h1{font-size:1.5em;margin-top:1em}h2{border-bottom:2px solid #d8dee4;padding-bottom:.2em;margin-top:2em}
h3{font-size:1.05em;margin:.2em 0}h4{margin:.8em 0 .3em;font-size:1em}
nav{position:sticky;top:0;background:#fff;padding:.5em 0;border-bottom:1px solid #d8dee4;z-index:1}
nav a{margin-right:1em}
code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px}
pre.bytes{white-space:pre-wrap;word-break:break-all;background:#f6f8fa;padding:.5em;border-radius:4px;margin:.3em 0}
.hdr{background:#ffd8a8}.ct{background:#d0ebff}.tag{background:#ffc9c9}.mh{background:#d3f9d8}
article{border:1px solid #d8dee4;border-radius:6px;padding:.6em .8em;margin:.8em 0}
.message{border-left:3px solid #8ce99a;padding-left:.7em;margin:.6em 0}
table{border-collapse:collapse;margin:.3em 0}th,td{text-align:left;vertical-align:top;padding:.15em .6em .15em 0}
table.fields th{font-weight:600;white-space:nowrap;color:#444}
table.secrets td code,table td code{word-break:break-all}
.ok{color:#2b8a3e;font-weight:600}.bad{color:#c92a2a;font-weight:700}.small{color:#666;font-size:.9em}
svg.diagram{width:100%;max-width:900px;height:auto;background:#fcfcfd;border:1px solid #eee}
svg .actor{font-weight:700;text-anchor:middle;font-size:15px}
svg .life{stroke:#adb5bd;stroke-width:2;stroke-dasharray:4 3}
svg .arrow{stroke:#1c7ed6;stroke-width:1.6}svg .label{text-anchor:middle;font-size:12px}
svg a:hover .arrow{stroke:#e8590c;stroke-width:2.5}
body.nobytes pre.bytes{display:none}
";

const SCRIPT: &str = "
document.getElementById('toggle-bytes').addEventListener('click', function () {
  var hidden = document.body.classList.toggle('nobytes');
  this.textContent = hidden ? 'show bytes' : 'hide bytes';
});
";
