//! The docs chapters quote real output, and this test fails if a quote drifts.
//!
//! In `docs/*.md` and `docs/learn/*.md`, a quote is an HTML comment naming what produced it, followed by a
//! ```` ```text ```` block:
//!
//! ```text
//! <!-- quote: walkthrough simple flight=2 lines=1-9 -->
//! ```
//!
//! Sources: `walkthrough TRACE [tamper=N] flight=N [lines=A-B]` (the walkthrough's text for
//! flight N, 0 for what comes before flight 1 and `end` for the conclusion, optionally only
//! lines A to B of it), `key-update` (RFC 8448 §3's pair after the handshake: a KeyUpdate
//! each way and an exporter on both sides, produced below), and three calculations redone
//! by hand and checked against the engines (`docs/handshake_math.rs`): `hkdf-label`,
//! `transcript-hrr` and `nonce`, and `downgrade` (a TLS 1.2 ServerHello fed to the client). To refresh every quote after a deliberate change:
//! `LUCID_BLESS=1 cargo test --test docs`.
//!
//! Two more checks keep the teaching right (`docs/spec_checks.rs`): every RFC 9846 section
//! cited in the docs and the code exists in RFC 9846, and every state name the docs use is
//! one of RFC 9846 Appendix A's.

#[allow(dead_code)]
#[path = "../examples/walkthrough/main.rs"]
mod walkthrough;

#[path = "docs/handshake_math.rs"]
mod handshake_math;

#[path = "docs/spec_checks.rs"]
mod spec_checks;

use std::fmt::Write as _;
use std::path::Path;

use lucid_tls::explain::{self, hex};
use lucid_tls::pair::Side;
use lucid_tls::rfc8448::{Rfc8448Handshake, TraceName};
use lucid_tls::trace::{Direction, TraceEvent};

const OPEN: &str = "<!-- quote: ";

/// The text `spec` names.
fn generate(spec: &str) -> String {
    let words: Vec<&str> = spec.split_whitespace().collect();
    match words.first() {
        Some(&"walkthrough") => walkthrough_quote(&words[1..]),
        Some(&"key-update") => key_update(),
        Some(&"hkdf-label") => handshake_math::hkdf_label(),
        Some(&"transcript-hrr") => handshake_math::transcript_hrr(),
        Some(&"nonce") => handshake_math::nonce(),
        Some(&"downgrade") => handshake_math::downgrade(),
        Some(&"walkthrough-pq") => post_quantum::walkthrough_pq_quote(&words[1..]),
        _ => panic!("unknown quote source {spec:?}"),
    }
}

fn walkthrough_quote(args: &[&str]) -> String {
    let trace = TraceName::from_name(args[0]).unwrap_or_else(|| panic!("trace {:?}", args[0]));
    let option = |name: &str| {
        args.iter()
            .find_map(|a| a.strip_prefix(name).and_then(|v| v.strip_prefix('=')))
    };
    let mut options = walkthrough::Options::trace(trace);
    options.tamper = option("tamper").map(|n| n.parse().unwrap());
    let (text, _) = walkthrough::walkthrough(options).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let starts: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with("━━ Flight") || l.starts_with("═══"))
        .map(|(i, _)| i)
        .collect();
    // Section 0 is the introduction; section N starts at the Nth flight; the last one is the
    // conclusion after the closing rule.
    let section = match option("flight").expect("flight=") {
        "end" => &lines[*starts.last().unwrap()..],
        n => {
            let n: usize = n.parse().unwrap();
            let start = if n == 0 { 0 } else { starts[n] };
            let end = starts.get(n + 1).copied().unwrap_or(lines.len());
            &lines[start..end]
        }
    };
    quote_lines(section, option("lines"))
}

/// `section`, or only its lines A to B (1-based, inclusive) for `lines=A-B`, as a quote.
fn quote_lines(section: &[&str], lines: Option<&str>) -> String {
    let section = match lines {
        Some(range) => {
            let (a, b) = range.split_once('-').unwrap();
            let (a, b): (usize, usize) = (a.parse().unwrap(), b.parse().unwrap());
            &section[a - 1..b.min(section.len())]
        }
        None => section,
    };
    let mut quote = section.join("\n");
    quote.push('\n');
    quote
}

/// RFC 8448 §3 run to its application data, then a KeyUpdate each way (the client asks the
/// server to update too) and an exporter computed on both sides.
fn key_update() -> String {
    let mut rfc = Rfc8448Handshake::new(TraceName::Simple).unwrap();
    for _ in 0..6 {
        rfc.next_flight().unwrap().unwrap();
    }
    let mut out = String::new();
    writeln!(
        out,
        "client.key_update(true)  // update, and ask the server to update too"
    )
    .unwrap();
    rfc.pair.client.key_update(true).unwrap();
    while let Some(flight) = rfc.pair.step() {
        for (side, event) in &flight.trace {
            let who = side.name();
            match event {
                TraceEvent::HandshakeMessage {
                    direction,
                    message,
                    bytes,
                } => {
                    let verb = if *direction == Direction::Sent {
                        "sends"
                    } else {
                        "reads"
                    };
                    let fields: Vec<String> = explain::message_fields(message)
                        .into_iter()
                        .map(|(k, v)| format!("{k} = {v}"))
                        .collect();
                    writeln!(
                        out,
                        "{who:<7} {verb} {} ({} bytes: {}): {}",
                        explain::message_name(message),
                        bytes.len(),
                        hex(bytes),
                        fields.join(", ")
                    )
                    .unwrap();
                }
                TraceEvent::SecretDerived { label, secret } => {
                    let (formula, section) = explain::secret_derivation(*label);
                    writeln!(out, "{who:<7} derives {}", explain::secret_name(*label)).unwrap();
                    writeln!(out, "          = {formula}  (RFC 9846 {section})").unwrap();
                    writeln!(out, "          {}", hex(secret.as_bytes())).unwrap();
                }
                TraceEvent::KeyInstalled {
                    direction, key, iv, ..
                } => {
                    let verb = if *direction == Direction::Sent {
                        "write"
                    } else {
                        "read"
                    };
                    writeln!(
                        out,
                        "{who:<7} installs its new {verb} key {} and iv {}",
                        hex(key.as_bytes()),
                        hex(iv)
                    )
                    .unwrap();
                }
                _ => {}
            }
        }
    }
    let label = b"EXPORTER-lucid-tls-docs";
    let mut client_value = [0u8; 32];
    let mut server_value = [0u8; 32];
    rfc.pair
        .client
        .export_keying_material(label, Some(b"context"), &mut client_value)
        .unwrap();
    rfc.pair
        .server
        .export_keying_material(label, Some(b"context"), &mut server_value)
        .unwrap();
    assert_eq!(client_value, server_value);
    writeln!(
        out,
        "export_keying_material(\"EXPORTER-lucid-tls-docs\", \"context\", 32):"
    )
    .unwrap();
    writeln!(out, "client  {}", hex(&client_value)).unwrap();
    writeln!(out, "server  {}", hex(&server_value)).unwrap();
    let _ = Side::Client;
    out
}

/// Every quote in `text`: (spec, start and end byte offsets of the quoted block's body).
fn quotes(text: &str) -> Vec<(String, usize, usize)> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(open) = text[at..].find(OPEN) {
        let spec_start = at + open + OPEN.len();
        let spec_end = spec_start
            + text[spec_start..]
                .find(" -->")
                .expect("unclosed quote comment");
        let spec = text[spec_start..spec_end].to_string();
        let fence = spec_end
            + text[spec_end..]
                .find("```text\n")
                .expect("no ```text block after a quote");
        let body = fence + "```text\n".len();
        let end = body + text[body..].find("```\n").expect("unclosed ```text block");
        found.push((spec, body, end));
        at = end;
    }
    found
}

#[test]
fn docs_quotes_match_running_code() {
    let bless = std::env::var_os("LUCID_BLESS").is_some();
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    let mut files: Vec<_> = [docs.clone(), docs.join("learn")]
        .iter()
        .flat_map(|dir| std::fs::read_dir(dir).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    let mut checked = 0;
    let mut drifted = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let mut updated = text.clone();
        // Replace from the end so earlier offsets stay valid.
        for (spec, body, end) in quotes(&text).into_iter().rev() {
            let fresh = generate(&spec);
            if text[body..end] != fresh {
                drifted.push(format!("{}: {spec}", path.display()));
                updated.replace_range(body..end, &fresh);
            }
            checked += 1;
        }
        if bless && updated != text {
            std::fs::write(&path, updated).unwrap();
        }
    }
    assert!(checked >= 10, "only {checked} quotes found in docs/");
    assert!(
        bless || drifted.is_empty(),
        "quotes no longer match the code (refresh with LUCID_BLESS=1 cargo test --test docs):\n{}",
        drifted.join("\n")
    );
}

// ----- Post-quantum chapter (docs/learn/11-post-quantum-hybrid.md) ------------------------

/// The quote source `walkthrough-pq flight=N [lines=A-B]`: the text of
/// `cargo run --example walkthrough -- --trace pq` for flight N (0: before flight 1, `end`:
/// the conclusion after the last flight), optionally only lines A to B of it.
mod post_quantum {
    use super::walkthrough::pq_walk;

    pub fn walkthrough_pq_quote(args: &[&str]) -> String {
        let option = |name: &str| {
            args.iter()
                .find_map(|a| a.strip_prefix(name).and_then(|v| v.strip_prefix('=')))
        };
        let (text, all_equal) = pq_walk::walkthrough().unwrap();
        assert!(all_equal, "the pq walkthrough did not check out");
        let lines: Vec<&str> = text.lines().collect();
        let starts: Vec<usize> = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.starts_with("── Flight") || l.starts_with("Negotiated group:"))
            .map(|(i, _)| i)
            .collect();
        let section = match option("flight").expect("flight=") {
            "end" => &lines[*starts.last().unwrap()..],
            n => {
                let n: usize = n.parse().unwrap();
                let start = if n == 0 { 0 } else { starts[n - 1] };
                let end = starts.get(n).copied().unwrap_or(lines.len());
                &lines[start..end]
            }
        };
        super::quote_lines(section, option("lines"))
    }
}
