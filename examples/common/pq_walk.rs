//! `walkthrough --trace pq`: one post-quantum hybrid handshake in X25519MLKEM768 (RFC 10024),
//! lucid-tls's client and server in memory, with fixed randomness and every value shown.
//!
//! RFC 8448 has no hybrid handshake, so nothing here is compared with the RFC. Instead the
//! ML-KEM-768 half draws its randomness from NIST's ACVP vectors (keyGen tcId 26's d and z,
//! encapsulation tcId 26's m) and its results are compared with the `[walkthrough]` block of
//! `vectors/mlkem768/acvp-fips203.txt`, which an independent ML-KEM-768 computed: ✓ equal,
//! ✗ different. The X25519 half uses RFC 7748 §6.1's private keys, so its shared secret is
//! the RFC's. The rest (randoms, the RSA-PSS salt) is a fixed pattern or a seeded stream.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use lucid_tls::client::{ClientConfig, ClientConnection, PinnedCertificates};
use lucid_tls::connection::Event;
use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::crypto::{CryptoError, Rng};
use lucid_tls::explain::{self, hex};
use lucid_tls::pair::{Flight, Pair, Side};
use lucid_tls::server::{ServerConfig, ServerConnection};
use lucid_tls::time::Time;
use lucid_tls::trace::{Direction, TraceEvent};
use lucid_tls::wire::algorithms::NamedGroup;
use lucid_tls::wire::extensions::Extension;
use lucid_tls::wire::handshake::HandshakeMessage;

/// How many hex digits go on one line.
const HEX_PER_LINE: usize = 64;

/// RFC 7748 §6.1: Alice's X25519 private key (the client's here) and Bob's (the server's).
const ALICE: &str = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
const BOB: &str = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";

/// RFC 7748 §6.1: the X25519 shared secret of Alice and Bob.
const X25519_SHARED: &str = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

/// The known answers, with the `[walkthrough]` block.
const KAT: &str = include_str!("../../vectors/mlkem768/acvp-fips203.txt");

/// The `[walkthrough]` block's fields.
fn walkthrough_block() -> HashMap<String, Vec<u8>> {
    let mut fields = HashMap::new();
    let mut inside = false;
    for line in KAT.lines() {
        if line.starts_with('[') {
            inside = line == "[walkthrough]";
        } else if let (true, Some((key, value))) = (inside, line.split_once(" = ")) {
            fields.insert(key.to_string(), decode(value));
        }
    }
    fields
}

fn decode(text: &str) -> Vec<u8> {
    (0..text.len() / 2)
        .filter_map(|i| u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok())
        .collect()
}

/// Hands out a script of values, each to a draw of its exact length, then a fixed stream
/// (SHA-256 of a counter) for whatever else is drawn (the RSA-PSS salt and blinding).
struct ScriptedRng {
    script: VecDeque<Vec<u8>>,
    counter: u64,
}

impl Rng for ScriptedRng {
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), CryptoError> {
        if let Some(next) = self.script.pop_front() {
            if next.len() != dest.len() {
                return Err(CryptoError::RngFailure);
            }
            dest.copy_from_slice(&next);
            return Ok(());
        }
        use sha2::Digest;
        for chunk in dest.chunks_mut(32) {
            self.counter += 1;
            let block = sha2::Sha256::digest(self.counter.to_be_bytes());
            chunk.copy_from_slice(&block[..chunk.len()]);
        }
        Ok(())
    }
}

/// `n` bytes counting up from `start`: a recognisable stand-in for a random.
fn pattern(start: u8, n: u8) -> Vec<u8> {
    (0..n).map(|i| start.wrapping_add(i)).collect()
}

/// Steps `pair` to the end: the handshake, then a request and its answer.
fn run(pair: &mut Pair) -> Vec<Flight> {
    let mut flights = Vec::new();
    let mut sent_request = false;
    loop {
        let Some(flight) = pair.step() else {
            if !sent_request && pair.client.negotiated().is_some() {
                sent_request = true;
                let _ = pair.client.write(b"GET / over X25519MLKEM768\r\n");
                continue;
            }
            return flights;
        };
        let request_read = flight
            .events
            .iter()
            .any(|(side, e)| *side == Side::Server && matches!(e, Event::ApplicationData(_)));
        if request_read {
            let _ = pair.server.write(b"200 OK, post-quantum\r\n");
        }
        let failed = flight.result.is_err();
        flights.push(flight);
        if failed {
            return flights;
        }
    }
}

/// The hybrid handshake's flights, for `illustrate --trace pq`: the same configuration and
/// randomness as [`walkthrough`].
pub fn flights() -> Result<Vec<Flight>, String> {
    let (mut pair, _) = setup()?;
    Ok(run(&mut pair))
}

/// One fixed draw: who draws it, what it is and where it comes from, its bytes.
type Draw = (Side, &'static str, Vec<u8>);

/// The fixed randomness, in the order each side draws it.
fn draws(kat: &HashMap<String, Vec<u8>>) -> Result<Vec<Draw>, String> {
    let field = |name: &str| kat.get(name).cloned().ok_or(format!("KAT lacks {name}"));
    let seed = [field("d")?, field("z")?].concat();
    Ok(vec![
        (
            Side::Client,
            "random                              (a counting pattern)",
            pattern(0x00, 32),
        ),
        (
            Side::Client,
            "ML-KEM-768 seed d ‖ z, FIPS 203 §7.1 (ACVP keyGen tcId 26)",
            seed,
        ),
        (
            Side::Client,
            "X25519 private key                  (RFC 7748 §6.1, Alice)",
            decode(ALICE),
        ),
        (
            Side::Server,
            "random                              (a counting pattern)",
            pattern(0x80, 32),
        ),
        (
            Side::Server,
            "ML-KEM-768 message m, FIPS 203 §7.2 (ACVP encapsulation tcId 26)",
            field("m")?,
        ),
        (
            Side::Server,
            "X25519 private key                  (RFC 7748 §6.1, Bob)",
            decode(BOB),
        ),
    ])
}

/// The client and server, connected in memory, drawing [`draws`]; and the known answers.
fn setup() -> Result<(Pair, HashMap<String, Vec<u8>>), String> {
    let kat = walkthrough_block();
    let rfc = lucid_tls::rfc8448::vectors::load("simple").map_err(|e| format!("{e:?}"))?;
    let certified = lucid_tls::rfc8448::server_key::rsa_certified_key(&rfc).map_err(|e| e.0)?;
    let certificate = certified.chain[0].clone();

    let provider = Arc::new(RustCryptoProvider);
    let verifier = Arc::new(PinnedCertificates::new(vec![certificate]));
    let mut client_config = ClientConfig::new(provider.clone(), verifier);
    client_config.key_share_groups = vec![NamedGroup::X25519MlKem768];
    client_config.supported_groups = vec![NamedGroup::X25519MlKem768, NamedGroup::X25519];
    client_config.trace = true;
    let mut server_config = ServerConfig::new(provider, vec![certified]);
    server_config.trace = true;

    let script = |side: Side| -> Result<VecDeque<Vec<u8>>, String> {
        Ok(draws(&kat)?
            .into_iter()
            .filter(|(s, _, _)| *s == side)
            .map(|(_, _, bytes)| bytes)
            .collect())
    };
    let client_rng = ScriptedRng {
        script: script(Side::Client)?,
        counter: 0,
    };
    let server_rng = ScriptedRng {
        script: script(Side::Server)?,
        counter: 1 << 32,
    };
    let now = Time::from_unix_secs(1_748_736_000);
    let client = ClientConnection::new(
        Arc::new(client_config),
        Some("server"),
        Box::new(client_rng),
        now,
    )
    .map_err(|e| format!("{e:?}"))?;
    let server = ServerConnection::new(Arc::new(server_config), Box::new(server_rng), now)
        .map_err(|e| format!("{e:?}"))?;
    Ok((Pair::new(client, server, now), kat))
}

/// The walkthrough's text, and whether every ML-KEM value matched the independent one and
/// the handshake completed.
pub fn walkthrough() -> Result<(String, bool), String> {
    let (mut pair, kat) = setup()?;
    let mut out = Walk::default();
    out.line("A post-quantum hybrid handshake: X25519MLKEM768 (RFC 10024, code point 0x11ec)");
    out.line("");
    out.wrap(
        "Two key exchanges run at once and their secrets are joined, so the connection stays \
         private unless both are broken: ML-KEM-768 (FIPS 203), a lattice key encapsulation \
         believed to resist quantum computers, and X25519 (RFC 7748). ML-KEM is not a \
         Diffie-Hellman: the client sends an encapsulation key, the server encapsulates a \
         fresh secret to it and sends the ciphertext, the client decapsulates.",
    );
    out.line("");
    out.line("Fixed randomness, in the order it is drawn:");
    for (side, what, bytes) in draws(&kat)? {
        out.line(format!("  {:<7} {what}", side.name()));
        out.hex_lines(&bytes, "          ");
    }
    out.line("  server  RSA-PSS salt and blinding          (SHA-256 of a counter)");
    let flights = run(&mut pair);
    for (n, flight) in flights.iter().enumerate() {
        let (from, to) = (flight.from.name(), flight.from.peer().name());
        out.line("");
        out.line(format!(
            "── Flight {}: {from} → {to}, {} bytes on the wire",
            n + 1,
            flight.bytes.len()
        ));
        for (side, event) in &flight.trace {
            out.trace_event(*side, event, &kat);
        }
        for (side, event) in &flight.events {
            if let Event::ApplicationData(data) = event {
                out.line(format!(
                    "  {} reads application data: {:?}",
                    side.name(),
                    String::from_utf8_lossy(data)
                ));
            }
        }
    }
    let failed = flights.iter().enumerate().find_map(|(n, f)| {
        f.result
            .as_ref()
            .err()
            .map(|e| format!("flight {} failed: {e:?}", n + 1))
    });
    out.line("");
    let group = pair.client.negotiated().and_then(|n| n.key_exchange_group);
    let completed = failed.is_none() && group == Some(NamedGroup::X25519MlKem768);
    out.line(format!(
        "Negotiated group: {}. ML-KEM-768 values checked against the independent \
         implementation: {} equal, {} different.",
        group.map_or("none".into(), explain::group),
        out.equal,
        out.different
    ));
    if let Some(why) = failed {
        out.line(format!("✗ {why}"));
    }
    let all_equal = completed && out.different == 0 && out.equal == 3;
    Ok((out.text, all_equal))
}

/// The text so far and the comparison counts.
#[derive(Default)]
struct Walk {
    text: String,
    equal: usize,
    different: usize,
}

impl Walk {
    fn line(&mut self, text: impl AsRef<str>) {
        self.text.push_str(text.as_ref());
        self.text.push('\n');
    }

    fn hex_lines(&mut self, bytes: &[u8], indent: &str) {
        let text = hex(bytes);
        for start in (0..text.len()).step_by(HEX_PER_LINE) {
            let end = (start + HEX_PER_LINE).min(text.len());
            self.line(format!("{indent}{}", &text[start..end]));
        }
    }

    fn wrap(&mut self, text: &str) {
        let mut line = String::new();
        for word in text.split_whitespace() {
            if line.len() + word.len() + 1 > 92 && !line.is_empty() {
                self.line(&line);
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        self.line(&line);
    }

    /// ✓ or ✗ for `value` against the KAT's `name`, counted.
    fn mark(&mut self, kat: &HashMap<String, Vec<u8>>, name: &str, value: &[u8]) -> String {
        match kat.get(name) {
            Some(expected) if expected == value => {
                self.equal += 1;
                format!("✓ equals the independent ML-KEM-768's {name}")
            }
            _ => {
                self.different += 1;
                format!("✗ differs from the independent ML-KEM-768's {name}")
            }
        }
    }

    fn trace_event(&mut self, side: Side, event: &TraceEvent, kat: &HashMap<String, Vec<u8>>) {
        let who = side.name();
        match event {
            TraceEvent::StateChanged { from, to } => self.line(format!("  {who}: {from} → {to}")),
            TraceEvent::HandshakeMessage {
                direction,
                message,
                bytes,
            } => {
                let verb = match direction {
                    Direction::Sent => "sends",
                    Direction::Received => "reads",
                };
                self.line(format!(
                    "  {who} {verb} {} ({} bytes)  {}",
                    explain::message_name(message),
                    bytes.len(),
                    explain::message_section(message)
                ));
                if *direction == Direction::Sent {
                    self.key_shares(message);
                    self.hex_lines(bytes, "      ");
                }
            }
            TraceEvent::KeyExchangeCompleted {
                group,
                shared_secret,
                parts,
                ..
            } => {
                self.line(format!(
                    "  {who} completes the key exchange in {}  RFC 9846 §7.4, RFC 10024",
                    explain::group(*group)
                ));
                for part in parts {
                    let (client_what, server_what, secret_what) = match part.name {
                        "ML-KEM-768" => (
                            "encapsulation key ek (client)",
                            "ciphertext c (server)",
                            if side == Side::Client {
                                "shared secret K = ML-KEM.Decaps(dk, c)"
                            } else {
                                "shared secret K from ML-KEM.Encaps(ek, m)"
                            },
                        ),
                        _ => (
                            "public key (client)",
                            "public key (server)",
                            "shared secret = X25519(own private key, peer's public key)",
                        ),
                    };
                    self.line(format!(
                        "    {} part: {client_what}, {} bytes",
                        part.name,
                        part.client_share.len()
                    ));
                    if part.name == "ML-KEM-768" && side == Side::Client {
                        let mark = self.mark(kat, "ek", &part.client_share);
                        self.line(format!("      {mark}"));
                    }
                    self.line(format!(
                        "    {} part: {server_what}, {} bytes",
                        part.name,
                        part.server_share.len()
                    ));
                    if part.name == "ML-KEM-768" && side == Side::Server {
                        let mark = self.mark(kat, "c", &part.server_share);
                        self.line(format!("      {mark}"));
                    }
                    self.line(format!("    {} part: {secret_what}", part.name));
                    self.hex_lines(part.secret.as_bytes(), "      ");
                    if part.name == "ML-KEM-768" && side == Side::Client {
                        let mark = self.mark(kat, "k", part.secret.as_bytes());
                        self.line(format!("      {mark}"));
                    }
                    if part.name == "X25519" && part.secret.as_bytes() == decode(X25519_SHARED) {
                        self.line("      ✓ equals RFC 7748 §6.1's shared secret of Alice and Bob");
                    }
                }
                let names: Vec<&str> = parts.iter().map(|p| p.name).collect();
                self.line(format!(
                    "    shared secret = {} secret ‖ {} secret ({} bytes), joined as they are:",
                    names.first().unwrap_or(&"?"),
                    names.get(1).unwrap_or(&"?"),
                    shared_secret.as_bytes().len()
                ));
                self.line(
                    "    no KDF here; it is the IKM of HKDF-Extract for the Handshake Secret \
                     (RFC 9846 §7.1)",
                );
                self.hex_lines(shared_secret.as_bytes(), "      ");
            }
            TraceEvent::SecretDerived { label, secret } => {
                let (formula, section) = explain::secret_derivation(*label);
                self.line(format!(
                    "  {who} derives {}  RFC 9846 {section}",
                    explain::secret_name(*label)
                ));
                self.line(format!("      = {formula}"));
                self.hex_lines(secret.as_bytes(), "      ");
            }
            TraceEvent::KeyInstalled {
                direction,
                aead,
                key,
                iv,
                ..
            } => {
                let verb = match direction {
                    Direction::Sent => "write",
                    Direction::Received => "read",
                };
                self.line(format!(
                    "  {who} installs {} keys to {verb} with  RFC 9846 §7.3",
                    explain::aead_name(*aead)
                ));
                self.line(format!("      key {}", hex(key.as_bytes())));
                self.line(format!("      iv  {}", hex(iv)));
            }
            TraceEvent::Alert { direction, alert } => self.line(format!(
                "  {who} {} alert {}",
                if *direction == Direction::Sent {
                    "sends"
                } else {
                    "receives"
                },
                alert.description.rfc_name()
            )),
            TraceEvent::Record { .. }
            | TraceEvent::ChangeCipherSpec { .. }
            | TraceEvent::DecisionRequested { .. }
            | TraceEvent::DecisionAnswered { .. } => {}
        }
    }

    /// A ClientHello's or ServerHello's key share, cut into its hybrid parts.
    fn key_shares(&mut self, message: &HandshakeMessage) {
        let entries = match message {
            HandshakeMessage::ClientHello(hello) => hello
                .extensions
                .iter()
                .flat_map(|e| match e {
                    Extension::KeyShareClientHello(shares) => shares.client_shares.clone(),
                    _ => Vec::new(),
                })
                .collect(),
            HandshakeMessage::ServerHello(hello) => hello
                .extensions
                .iter()
                .filter_map(|e| match e {
                    Extension::KeyShareServerHello(share) => Some(share.server_share.clone()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        let from_client = matches!(message, HandshakeMessage::ClientHello(_));
        for entry in entries {
            let Some(layout) = lucid_tls::crypto::hybrid::layout(entry.group) else {
                continue;
            };
            let parts = if from_client {
                layout.split_client_share(&entry.key_exchange)
            } else {
                layout.split_server_share(&entry.key_exchange)
            };
            let Some(parts) = parts else { continue };
            self.line(format!(
                "    key_share {}: {} bytes = {} ({}) ‖ {} ({})",
                explain::group(entry.group),
                entry.key_exchange.len(),
                layout.parts[0].name,
                parts[0].len(),
                layout.parts[1].name,
                parts[1].len()
            ));
            for (part, bytes) in layout.parts.iter().zip(parts) {
                let what = match (part.name, from_client) {
                    ("ML-KEM-768", true) => "encapsulation key",
                    ("ML-KEM-768", false) => "ciphertext",
                    _ => "public key",
                };
                self.line(format!("      {} {what}:", part.name));
                self.hex_lines(bytes, "        ");
            }
        }
    }
}
