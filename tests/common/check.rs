//! Checks shared by the RFC 8448 replay tests: finding a trace's values, feeding records
//! in pieces, and comparing the secrets and keys an engine reports in its trace events
//! with the ones the RFC prints.

use lucid_tls::client::ClientConnection;
use lucid_tls::key_schedule::SecretLabel;
use lucid_tls::pair::Side;
use lucid_tls::rfc8448::expected;
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
    trace.value(heading, label)
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

/// Every secret an RFC 8448 trace may print, except the Early Secret and the binder key
/// (checked separately: a PSK trace prints two Early Secrets).
pub fn printed_secrets() -> Vec<SecretLabel> {
    expected::PRINTED_SECRETS
        .into_iter()
        .filter(|l| {
            !matches!(
                l,
                SecretLabel::EarlySecret | SecretLabel::ResumptionBinderKey
            )
        })
        .collect()
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
    for label in printed_secrets() {
        if let Some(expected) = expected::secret(trace, label) {
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

/// The client's traffic keys, per direction and epoch.
pub fn client_printed_keys() -> Vec<(Direction, Epoch)> {
    vec![
        (Direction::Sent, Epoch::Early),
        (Direction::Received, Epoch::Handshake),
        (Direction::Sent, Epoch::Handshake),
        (Direction::Received, Epoch::Application(0)),
        (Direction::Sent, Epoch::Application(0)),
    ]
}

/// Asserts that every traffic key the trace prints for the client was installed, equal,
/// and returns how many were checked.
pub fn check_client_keys(trace: &Trace, traces: &[TraceEvent]) -> usize {
    let mut checked = 0;
    for (direction, epoch) in client_printed_keys() {
        let Some((key, iv)) = expected::installed_key(trace, Side::Client, direction, epoch) else {
            continue;
        };
        let expected = (key.to_vec(), iv.to_vec());
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
