//! A run as the page reads it: every flight with its records, trace events and
//! application events as JSON, each value the RFC 8448 trace prints marked equal or
//! different, messages decoded field by field (`lucid_tls::explain`), secrets with their
//! HKDF derivations, records decrypted and transcript hashes (from [`crate::inspect`]), and
//! the NSS key log lines of the secrets (`lucid_tls::keylog`).

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use lucid_tls::connection::Event;
use lucid_tls::explain::{self, hex};
use lucid_tls::keylog::keylog_line;
use lucid_tls::pair::Side;
use lucid_tls::rfc8448::{Trace, expected};
use lucid_tls::trace::{Direction, Epoch, TraceEvent};
use lucid_tls::wire::handshake::HandshakeMessage;
use serde_json::{Map, Value, json};

use crate::inspect::SideInspector;
use crate::run::Step;

/// Builds the answer to a run; keeps what spans flights (inspectors, message counts).
pub struct Report<'t> {
    trace: Option<&'t Trace>,
    /// Per connection, the client's and the server's inspector.
    inspectors: BTreeMap<u8, [SideInspector; 2]>,
    /// How many messages of each name each side sent: the RFC's `n`th message to compare.
    sent: BTreeMap<(u8, &'static str, &'static str), usize>,
    /// Per connection, the ClientHello.random keying its key log lines.
    client_random: BTreeMap<u8, [u8; 32]>,
    keylog: Vec<String>,
}

fn side_name(side: Side) -> &'static str {
    side.name()
}

fn index(side: Side) -> usize {
    match side {
        Side::Client => 0,
        Side::Server => 1,
    }
}

fn direction(d: Direction) -> &'static str {
    match d {
        Direction::Sent => "sent",
        Direction::Received => "received",
    }
}

fn epoch(e: Epoch) -> String {
    match e {
        Epoch::Initial => "initial".to_string(),
        Epoch::Early => "early (0-RTT)".to_string(),
        Epoch::Handshake => "handshake".to_string(),
        Epoch::Application(n) => format!("application (generation {n})"),
    }
}

/// `{"rfc": hex, "equal": bool}` when the RFC prints the value.
fn compare(rfc: Option<&[u8]>, ours: &[u8]) -> Value {
    match rfc {
        Some(rfc) => json!({ "rfc": hex(rfc), "equal": rfc == ours }),
        None => Value::Null,
    }
}

impl<'t> Report<'t> {
    /// A report comparing with `trace`, if the run replays one.
    pub fn new(trace: Option<&'t Trace>) -> Self {
        Self {
            trace,
            inspectors: BTreeMap::new(),
            sent: BTreeMap::new(),
            client_random: BTreeMap::new(),
            keylog: Vec::new(),
        }
    }

    /// The whole answer: `head` (scenario fields) with the flights and the key log.
    pub fn answer(&mut self, steps: &[Step], head: Value) -> Value {
        let flights: Vec<Value> = steps
            .iter()
            .enumerate()
            .map(|(i, step)| self.step(i, step))
            .collect();
        let mut answer = match head {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        answer.insert("flights".to_string(), Value::Array(flights));
        answer.insert("keylog".to_string(), json!(self.keylog));
        answer.insert("rfc".to_string(), json!(self.trace.is_some()));
        Value::Object(answer)
    }

    fn step(&mut self, i: usize, step: &Step) -> Value {
        let flight = &step.flight;
        let records: Vec<Value> = match &step.checks {
            Some(checks) => checks
                .iter()
                .map(|c| {
                    json!({ "sent": c.sent.as_deref().map(hex),
                            "rfc": c.expected.as_ref().map(|r| hex(&r.bytes)),
                            "heading": c.expected.as_ref().map(|r| r.heading.clone()),
                            "equal": c.matches() })
                })
                .collect(),
            None => Vec::new(),
        };
        let events: Vec<Value> = flight
            .trace
            .iter()
            .map(|(side, event)| self.event(step.connection, *side, event))
            .collect();
        let app: Vec<Value> = flight
            .events
            .iter()
            .map(|(side, event)| json!({ "side": side_name(*side), "text": app_event(event) }))
            .collect();
        let result = match &flight.result {
            Ok(()) => Value::Null,
            Err(e) => json!({ "error": format!("{e:?}"),
                              "alert": e.alert().map(|a| a.rfc_name()) }),
        };
        json!({ "index": i, "connection": step.connection, "from": side_name(flight.from),
                "bytes": hex(&flight.bytes), "records": records, "events": events,
                "app": app, "result": result, "actions": step.actions })
    }

    fn event(&mut self, connection: u8, side: Side, event: &TraceEvent) -> Value {
        let trace = self.trace;
        let inspector = &mut self.inspectors.entry(connection).or_default()[index(side)];
        let mut out = Map::new();
        out.insert("side".to_string(), json!(side_name(side)));
        let fields = match event {
            TraceEvent::StateChanged { from, to } => {
                json!({ "kind": "state", "from": from, "to": to })
            }
            TraceEvent::HandshakeMessage {
                direction: d,
                message,
                bytes,
            } => {
                if let (Side::Client, Direction::Sent, HandshakeMessage::ClientHello(hello)) =
                    (side, d, message)
                {
                    self.client_random.insert(connection, hello.random);
                }
                let transcript = inspector.add_message(message, bytes);
                let name = explain::message_name(message);
                let mut rfc = Value::Null;
                if *d == Direction::Sent
                    && let Some(trace) = trace
                {
                    let n = self
                        .sent
                        .get(&(connection, side.name(), name))
                        .copied()
                        .unwrap_or(0);
                    // RFC 8448 prints a HelloRetryRequest as a ServerHello.
                    let label = if name == "HelloRetryRequest" {
                        "ServerHello"
                    } else {
                        name
                    };
                    let retries = self
                        .sent
                        .get(&(connection, side.name(), "HelloRetryRequest"));
                    let nth = if name == "ServerHello" {
                        retries.copied().unwrap_or(0) + n
                    } else {
                        n
                    };
                    let printed = expected::message(trace, side, label, nth);
                    rfc = match printed {
                        // RFC 8448 §4 prints its ClientHello without the binders (the
                        // record has them): compare up to them.
                        Some(p) if name == "ClientHello" && p.len() < bytes.len() => json!({
                            "rfc": hex(p), "equal": bytes.starts_with(p),
                            "note": "RFC 8448 prints this ClientHello without its binders: compared up to them" }),
                        _ => compare(printed, bytes),
                    };
                    self.sent.insert((connection, side.name(), name), n + 1);
                }
                let fields: Vec<Value> = explain::message_fields(message)
                    .into_iter()
                    .map(|(k, v)| json!([k, v]))
                    .collect();
                let certificates: Vec<Value> = match message {
                    HandshakeMessage::Certificate(c) => c
                        .certificate_list
                        .iter()
                        .map(|e| {
                            let summary: Vec<Value> = explain::certificate_summary(&e.cert_data)
                                .into_iter()
                                .map(|(k, v)| json!([k, v]))
                                .collect();
                            Value::Array(summary)
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                json!({ "kind": "message", "dir": direction(*d), "name": name,
                        "section": explain::message_section(message), "fields": fields,
                        "certificates": certificates, "bytes": hex(bytes), "rfc": rfc,
                        "transcript": transcript.map(|(alg, h)| json!({
                            "hash": format!("{alg:?}"), "value": hex(&h) })) })
            }
            TraceEvent::Record {
                direction: d,
                content_type,
                bytes,
            } => {
                let inner = if *d == Direction::Received {
                    inspector.decrypt(*content_type, bytes).map(|p| {
                        json!({ "type": p.content_type.rfc_name(), "content": hex(&p.content) })
                    })
                } else {
                    None
                };
                json!({ "kind": "record", "dir": direction(*d), "type": content_type.rfc_name(),
                        "bytes": hex(bytes), "inner": inner })
            }
            TraceEvent::SecretDerived { label, secret } => {
                let (formula, section) = explain::secret_derivation(*label);
                if let Some(random) = self.client_random.get(&connection)
                    && side == Side::Client
                    && let Some(line) = keylog_line(*label, random, secret)
                {
                    self.keylog.push(line);
                }
                let rfc = trace.and_then(|t| expected::secret(t, *label));
                json!({ "kind": "secret", "name": explain::secret_name(*label),
                        "value": hex(secret.as_bytes()), "derivation": formula,
                        "section": format!("RFC 9846 {section}"),
                        "rfc": compare(rfc, secret.as_bytes()) })
            }
            TraceEvent::KeyInstalled {
                direction: d,
                epoch: e,
                aead,
                key,
                iv,
            } => {
                if *d == Direction::Received {
                    inspector.install_read_key(*aead, key.as_bytes(), iv);
                }
                let rfc = trace.and_then(|t| expected::installed_key(t, side, *d, *e));
                let (rfc_key, rfc_iv) = match rfc {
                    Some((k, i)) => (Some(k), Some(i)),
                    None => (None, None),
                };
                json!({ "kind": "key", "dir": direction(*d), "epoch": epoch(*e),
                        "aead": explain::aead_name(*aead), "key": hex(key.as_bytes()),
                        "iv": hex(iv), "rfc_key": compare(rfc_key, key.as_bytes()),
                        "rfc_iv": compare(rfc_iv, iv) })
            }
            TraceEvent::Alert {
                direction: d,
                alert,
            } => {
                json!({ "kind": "alert", "dir": direction(*d),
                        "level": format!("{:?}", alert.level),
                        "description": alert.description.rfc_name(),
                        "code": alert.description.to_u8() })
            }
            TraceEvent::ChangeCipherSpec { direction: d } => {
                json!({ "kind": "ccs", "dir": direction(*d) })
            }
            TraceEvent::KeyExchangeCompleted {
                group,
                shared_secret,
                parts,
                ..
            } => {
                // RFC 9846 §7.4 (and RFC 10024 for a hybrid group: its parts' secrets, joined).
                let mut text = format!(
                    "key exchange in {} complete: shared secret {}",
                    explain::group(*group),
                    hex(shared_secret.as_bytes())
                );
                for part in parts {
                    text.push_str(&format!(
                        "; {} part: secret {}",
                        part.name,
                        hex(part.secret.as_bytes())
                    ));
                }
                json!({ "kind": "kex", "text": text })
            }
            TraceEvent::DecisionRequested { kind, .. } => {
                json!({ "kind": "decision", "text": format!("asks its caller: {kind:?}") })
            }
            TraceEvent::DecisionAnswered { accepted, .. } => {
                json!({ "kind": "decision", "text": format!("answered: accepted = {accepted}") })
            }
        };
        if let Value::Object(map) = fields {
            out.extend(map);
        }
        Value::Object(out)
    }
}

/// An application event in one line.
fn app_event(event: &Event) -> String {
    match event {
        Event::HandshakeComplete(n) => {
            let mut parts = Vec::from([explain::suite(n.cipher_suite)]);
            if let Some(group) = n.key_exchange_group {
                parts.push(explain::group(group));
            }
            if let Some(scheme) = n.signature_scheme {
                parts.push(explain::scheme(scheme));
            }
            if let Some(alpn) = &n.alpn {
                parts.push(format!("ALPN {}", String::from_utf8_lossy(alpn)));
            }
            if n.psk.is_some() {
                parts.push("resumed with a PSK".to_string());
            }
            if n.early_data_accepted {
                parts.push("0-RTT accepted".to_string());
            }
            format!("handshake complete: {}", parts.join(", "))
        }
        Event::ApplicationData(data) => {
            format!("application data: {:?}", String::from_utf8_lossy(data))
        }
        Event::EarlyData(data) => format!("0-RTT data: {:?}", String::from_utf8_lossy(data)),
        Event::EarlyDataAccepted => "the server accepted the 0-RTT data".to_string(),
        Event::EarlyDataRejected => "the server rejected the 0-RTT data".to_string(),
        Event::NewSessionTicket(t) => {
            format!(
                "received a ticket ({} bytes) to resume with",
                t.ticket.len()
            )
        }
        Event::KeyUpdated { direction: d } => format!("KeyUpdate took effect ({})", direction(*d)),
        Event::PeerClosed => "the peer closed (close_notify)".to_string(),
        Event::AlertSent(a) => format!("sent alert {}", a.rfc_name()),
        Event::AlertReceived(a) => format!("received alert {}", a.rfc_name()),
        other => format!("{other:?}"),
    }
}
