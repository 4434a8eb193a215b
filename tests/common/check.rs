//! Checks shared by the RFC 8448 replay tests: finding a trace's values, feeding records
//! in pieces, and comparing the secrets and keys an engine reports in its trace events
//! with the ones the RFC prints.

use lucid_tls::client::ClientConnection;
use lucid_tls::key_schedule::SecretLabel;
use lucid_tls::time::Time;
use lucid_tls::trace::{Direction, Epoch, TraceEvent};

use super::vectors::Trace;

/// The value `label` of the first block (client's, then server's) under `heading` that has
/// it; blocks the RFC marks "(same as ...)" have no values.
pub fn value<'a>(trace: &'a Trace, heading: &str, label: &str) -> &'a [u8] {
    try_value(trace, heading, label).unwrap_or_else(|| panic!("no {label:?} under {heading:?}"))
}

/// Like [`value`], `None` if the trace has no such value.
pub fn try_value<'a>(trace: &'a Trace, heading: &str, label: &str) -> Option<&'a [u8]> {
    ["client", "server"]
        .iter()
        .flat_map(|actor| trace.blocks(actor, heading))
        .find_map(|block| block.try_get(label))
}

/// The `n`th (from 0) record `actor` sends under `heading`.
pub fn record<'a>(trace: &'a Trace, actor: &str, heading: &str, n: usize) -> &'a [u8] {
    trace.blocks(actor, heading)[n].get("complete record")
}

/// The server's first flight of a trace without HelloRetryRequest or dummy
/// change_cipher_spec: its first two handshake records (the ServerHello, then the
/// encrypted flight).
pub fn first_server_flight(trace: &Trace) -> Vec<u8> {
    [
        record(trace, "server", "send handshake record", 0),
        record(trace, "server", "send handshake record", 1),
    ]
    .concat()
}

/// Feeds `bytes` to `client` in pieces of `piece` bytes.
pub fn feed_in_pieces(client: &mut ClientConnection, now: Time, bytes: &[u8], piece: usize) {
    for chunk in bytes.chunks(piece) {
        assert_eq!(client.feed(now, chunk), Ok(chunk.len()));
    }
}

/// Every secret an RFC 8448 trace may print, and where.
pub fn printed_secrets() -> Vec<(SecretLabel, &'static str, &'static str)> {
    use SecretLabel as L;
    vec![
        (
            L::ClientEarlyTraffic,
            "derive secret \"tls13 c e traffic\"",
            "expanded",
        ),
        (
            L::EarlyExporter,
            "derive secret \"tls13 e exp master\"",
            "expanded",
        ),
        (
            L::DerivedForHandshake,
            "derive secret for handshake \"tls13 derived\"",
            "expanded",
        ),
        (L::HandshakeSecret, "extract secret \"handshake\"", "secret"),
        (
            L::ClientHandshakeTraffic,
            "derive secret \"tls13 c hs traffic\"",
            "expanded",
        ),
        (
            L::ServerHandshakeTraffic,
            "derive secret \"tls13 s hs traffic\"",
            "expanded",
        ),
        (
            L::DerivedForMain,
            "derive secret for master \"tls13 derived\"",
            "expanded",
        ),
        (L::MainSecret, "extract secret \"master\"", "secret"),
        (
            L::ClientApplicationTraffic(0),
            "derive secret \"tls13 c ap traffic\"",
            "expanded",
        ),
        (
            L::ServerApplicationTraffic(0),
            "derive secret \"tls13 s ap traffic\"",
            "expanded",
        ),
        (
            L::Exporter,
            "derive secret \"tls13 exp master\"",
            "expanded",
        ),
        (
            L::Resumption,
            "derive secret \"tls13 res master\"",
            "expanded",
        ),
        (
            L::ResumptionPsk,
            "generate resumption secret \"tls13 resumption\"",
            "expanded",
        ),
    ]
}

/// The last secret reported under `label`.
pub fn traced_secret(traces: &[TraceEvent], label: SecretLabel) -> Option<Vec<u8>> {
    traces.iter().rev().find_map(|t| match t {
        TraceEvent::SecretDerived { label: l, secret } if *l == label => {
            Some(secret.as_bytes().to_vec())
        }
        _ => None,
    })
}

/// Asserts that every secret `trace` prints was reported, equal, and returns how many
/// were checked. The Early Secret is checked separately (a PSK trace prints two).
pub fn check_secrets(trace: &Trace, traces: &[TraceEvent]) -> usize {
    let mut checked = 0;
    for (label, heading, field) in printed_secrets() {
        if let Some(expected) = try_value(trace, heading, field) {
            assert_eq!(
                traced_secret(traces, label).as_deref(),
                Some(expected),
                "{label:?}"
            );
            checked += 1;
        }
    }
    checked
}

/// The client's traffic keys, per direction and epoch, and what the RFC calls the data
/// they protect.
pub fn client_printed_keys() -> Vec<(Direction, Epoch, &'static str)> {
    vec![
        (Direction::Sent, Epoch::Early, "early application data"),
        (Direction::Received, Epoch::Handshake, "handshake data"),
        (Direction::Sent, Epoch::Handshake, "handshake data"),
        (
            Direction::Received,
            Epoch::Application(0),
            "application data",
        ),
        (Direction::Sent, Epoch::Application(0), "application data"),
    ]
}

/// The key and IV the trace prints for what `writer` sends: under the writer's "derive
/// write traffic keys for ..." or the other side's "derive read traffic keys for ...".
fn printed_key(trace: &Trace, writer: &str, data: &str) -> Option<(Vec<u8>, Vec<u8>)> {
    let reader = if writer == "client" {
        "server"
    } else {
        "client"
    };
    let write_heading = format!("derive write traffic keys for {data}");
    let read_heading = format!("derive read traffic keys for {data}");
    let blocks = trace.blocks(writer, &write_heading).into_iter();
    blocks
        .chain(trace.blocks(reader, &read_heading))
        .find_map(|block| {
            Some((
                block.try_get("key expanded")?.to_vec(),
                block.try_get("iv expanded")?.to_vec(),
            ))
        })
}

/// Asserts that every traffic key the trace prints for the client was installed, equal,
/// and returns how many were checked.
pub fn check_client_keys(trace: &Trace, traces: &[TraceEvent]) -> usize {
    let mut checked = 0;
    for (direction, epoch, data) in client_printed_keys() {
        let writer = if direction == Direction::Sent {
            "client"
        } else {
            "server"
        };
        let Some(expected) = printed_key(trace, writer, data) else {
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
        assert_eq!(installed, Some(expected), "{direction:?} {epoch:?}");
        checked += 1;
    }
    checked
}

/// The states entered, in order.
pub fn states(traces: &[TraceEvent]) -> Vec<&'static str> {
    traces
        .iter()
        .filter_map(|t| match t {
            TraceEvent::StateChanged { to, .. } => Some(*to),
            _ => None,
        })
        .collect()
}
