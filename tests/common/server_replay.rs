//! Replaying RFC 8448's traces in the SERVER role: the server engine is fed the RFC's
//! client records and must answer with the RFC's server records, byte for byte, while
//! reporting every secret the RFC prints. Each `tests/rfc8448_<trace>.rs` uses this for its
//! server-role test.
//!
//! The servers are [`lucid_tls::rfc8448`]'s: NSS's configuration, the RFC's ticket and
//! cookie through the public issuer traits, and the server's randomness replayed in the
//! order documented in `docs/determinism.md` (ServerHello.random, the key share's private
//! key, the RSA-PSS salt of CertificateVerify, then per NewSessionTicket its
//! ticket_age_add). RFC 8448 does not print the PSS salts: `rfc8448::server_key` reads each
//! back out of the published signature with the public key, and the signature the engine
//! then produces must still match the RFC's bytes.

use super::check::traced_secret;
use super::vectors::Trace;
pub use lucid_tls::connection::Event;
#[allow(unused_imports)]
pub use lucid_tls::key_schedule::{PskKind, SecretLabel};
use lucid_tls::pair::Side;
pub use lucid_tls::rfc8448::TraceName;
pub use lucid_tls::rfc8448::expected;
use lucid_tls::rfc8448::{ReplayRng, Rfc8448Handshake};
use lucid_tls::server::ServerConnection;
use lucid_tls::time::Time;
use lucid_tls::trace::{Direction, Epoch, TraceEvent};
#[allow(unused_imports)]
pub use lucid_tls::wire::algorithms::{CipherSuite, NamedGroup};

// ----- The replay ----------------------------------------------------------------------------

/// Feeds the trace's client records to `server` in RFC order (each in pieces of `split`
/// bytes), writing the server's application data and closing when the RFC's server does,
/// and checks that every byte the server sends is the RFC's, in order. (The RFC prints some
/// records in another order than they are produced: §4's server answers the ClientHello
/// before the 0-RTT record that follows it is read. So the output is checked as a growing
/// prefix of the RFC's server records.) Returns the events.
pub fn replay(trace: &Trace, server: &mut ServerConnection, now: Time, split: usize) -> Vec<Event> {
    replay_answering(trace, server, now, split, &mut |_, _| {})
}

/// [`replay`], handing every event the server produces to `answer` as it comes (for a
/// server whose verifier or key defers: `answer` calls `answer_verification` or
/// `answer_signature`, whose own events are handed on in turn).
#[allow(dead_code)]
pub fn replay_answering(
    trace: &Trace,
    server: &mut ServerConnection,
    now: Time,
    split: usize,
    answer: &mut dyn FnMut(&mut ServerConnection, &Event),
) -> Vec<Event> {
    let expected: Vec<u8> = trace
        .blocks
        .iter()
        .filter(|b| b.actor == "server")
        .filter_map(|b| b.try_get("complete record"))
        .flatten()
        .copied()
        .collect();
    let mut sent: Vec<u8> = Vec::new();
    let mut events = Vec::new();
    for block in &trace.blocks {
        let Some(record) = block.try_get("complete record") else {
            continue;
        };
        if block.actor == "client" {
            // Everything sent so far must be the start of the RFC's server records.
            sent.extend(server.take_output());
            let expected_so_far = &expected[..sent.len().min(expected.len())];
            assert_eq!(
                hex::encode(&sent),
                hex::encode(expected_so_far),
                "server output before [client] {}",
                block.heading
            );
            for piece in record.chunks(split) {
                assert_eq!(server.feed(now, piece).unwrap(), piece.len());
            }
            while let Some(event) = server.poll_event() {
                answer(server, &event);
                events.push(event);
            }
            continue;
        }
        // A server record the application causes: 0.5-RTT or later data, and closing.
        if block.heading.starts_with("send application_data") {
            server.write(block.get("payload")).unwrap();
        } else if block.heading.starts_with("send alert") {
            server.close();
        }
    }
    sent.extend(server.take_output());
    assert_eq!(hex::encode(&sent), hex::encode(&expected), "server output");
    events.extend(std::iter::from_fn(|| server.poll_event()));
    events
}

/// The secrets the server derives that RFC 8448 prints (under the server's block, or the
/// client's when the server's only says "same as"): all but the 0-RTT ones.
pub fn server_secrets() -> impl Iterator<Item = SecretLabel> {
    expected::PRINTED_SECRETS.into_iter().filter(|label| {
        !matches!(
            label,
            SecretLabel::ResumptionBinderKey
                | SecretLabel::ClientEarlyTraffic
                | SecretLabel::EarlyExporter
        )
    })
}

/// The server's traffic keys, per direction and epoch.
const KEYS: [(Direction, Epoch); 5] = [
    (Direction::Sent, Epoch::Handshake),
    (Direction::Sent, Epoch::Application(0)),
    (Direction::Received, Epoch::Handshake),
    (Direction::Received, Epoch::Application(0)),
    (Direction::Received, Epoch::Early),
];

/// Checks every secret and traffic key the server traced against the RFC; returns how many
/// values were compared.
pub fn check_server_secrets(trace: &Trace, traces: &[TraceEvent]) -> usize {
    let mut checked = 0;
    for label in server_secrets() {
        let Some(rfc_value) = expected::secret(trace, label) else {
            continue;
        };
        let got = traced_secret(traces, label).unwrap_or_else(|| panic!("{label:?} not traced"));
        assert_eq!(hex::encode(got), hex::encode(rfc_value), "{label:?}");
        checked += 1;
    }
    for (direction, epoch) in KEYS {
        let Some((key, iv)) = expected::installed_key(trace, Side::Server, direction, epoch) else {
            continue;
        };
        let installed = traces.iter().find_map(|t| match t {
            TraceEvent::KeyInstalled {
                direction: d,
                epoch: e,
                key,
                iv,
                ..
            } if *d == direction && *e == epoch => Some((key.as_bytes().to_vec(), iv.to_vec())),
            _ => None,
        });
        let (got_key, got_iv) =
            installed.unwrap_or_else(|| panic!("no key {direction:?} {epoch:?}"));
        assert_eq!(got_key, key, "{direction:?} {epoch:?}: key");
        assert_eq!(got_iv, iv, "{direction:?} {epoch:?}: iv");
        checked += 2;
    }
    checked
}

/// The RFC's server for trace `name` (fresh, with its replayed randomness), the trace, and
/// the time it runs at.
pub fn rfc_server(name: TraceName) -> (ServerConnection, ReplayRng, Trace, Time) {
    let rfc = Rfc8448Handshake::new(name).unwrap();
    let now = rfc.pair.now;
    (rfc.pair.server, rfc.server_rng, rfc.trace, now)
}

pub fn handshake_complete(events: &[Event]) -> lucid_tls::connection::Negotiated {
    events
        .iter()
        .find_map(|e| match e {
            Event::HandshakeComplete(n) => Some(n.clone()),
            _ => None,
        })
        .expect("the handshake completed")
}

pub fn traces(server: &mut ServerConnection) -> Vec<TraceEvent> {
    std::iter::from_fn(|| server.poll_trace()).collect()
}
