//! RFC 8448 §7, "Compatibility Mode", replayed through the client engine.
//!
//! Middlebox compatibility mode (RFC 9846 Appendix E.4): the client sends a random
//! 32-byte legacy_session_id, the server echoes it and sends a dummy change_cipher_spec
//! after its ServerHello (which the client drops), and the client sends its own dummy
//! change_cipher_spec right before its encrypted second flight.

mod common;

#[allow(unused_imports)]
use common::server_replay::*;

use std::sync::Arc;

use common::check::{check_client_keys, check_secrets};
use common::client_replay::{CCS, HS, Step, replay_client};
use common::nss::nss_client_config;
use common::replay_rng::ReplayRng;
use common::vectors;
use lucid_tls::client::ClientConnection;
use lucid_tls::time::Time;
use lucid_tls::trace::{Direction, TraceEvent};

const NOW: Time = Time::from_unix_secs(1_748_736_000);

fn run_client(piece: usize) -> (ClientConnection, Vec<TraceEvent>) {
    let trace = vectors::load("compat");
    let hello = trace
        .block("client", "construct a ClientHello")
        .get("ClientHello");
    // The session id follows the random and its one-byte length; it is drawn first.
    let rng = ReplayRng::new(&[
        ("legacy_session_id", &hello[39..71]),
        ("ClientHello.random", &hello[6..38]),
        (
            "x25519 private key",
            trace
                .block("client", "create an ephemeral x25519")
                .get("private key"),
        ),
    ]);
    let mut config = nss_client_config(&trace, false);
    config.middlebox_compat = true;
    let client =
        ClientConnection::new(Arc::new(config), Some("server"), Box::new(rng), NOW).unwrap();
    let steps = vec![
        Step::Sends(&[(HS, 0)]),
        Step::Receives(&[(HS, 0), (CCS, 0), (HS, 1)]),
        Step::State("CONNECTED"),
        Step::Sends(&[(CCS, 0), (HS, 1)]),
    ];
    let replayed = replay_client(&trace, client, NOW, piece, steps);
    (replayed.client, replayed.traces)
}

#[test]
fn client_replays_rfc8448_compat_records() {
    let (client, traces) = run_client(usize::MAX);
    assert!(client.negotiated().is_some());
    let dummies: Vec<Direction> = traces
        .iter()
        .filter_map(|t| match t {
            TraceEvent::ChangeCipherSpec { direction } => Some(*direction),
            _ => None,
        })
        .collect();
    assert_eq!(dummies, [Direction::Received, Direction::Sent]);
}

#[test]
fn client_replays_rfc8448_compat_one_byte_at_a_time() {
    let (client, _) = run_client(1);
    assert!(client.negotiated().is_some());
}

#[test]
fn client_reports_every_rfc8448_compat_secret_and_key() {
    let trace = vectors::load("compat");
    let (_, traces) = run_client(usize::MAX);
    assert_eq!(check_secrets(&trace, &traces), 10);
    assert_eq!(check_client_keys(&trace, &traces), 4);
}

// ----- Server role ---------------------------------------------------------------------------

#[test]
fn rfc8448_compatibility_mode_server() {
    // §7: the client sends a 32-byte legacy_session_id; the server echoes it and sends a
    // dummy change_cipher_spec right after its ServerHello (RFC 9846 Appendix E.4), and
    // drops the client's.
    for split in [usize::MAX, 1] {
        let (mut server, rng, compat, now) = rfc_server(TraceName::Compat);
        let events = replay(&compat, &mut server, now, split);
        assert_eq!(rng.remaining(), 0);
        handshake_complete(&events);
        if split == usize::MAX {
            let traces = traces(&mut server);
            assert_eq!(check_server_secrets(&compat, &traces), 11 + 8);
            let dummies = traces
                .iter()
                .filter(|t| matches!(t, TraceEvent::ChangeCipherSpec { .. }))
                .count();
            assert_eq!(dummies, 2, "one sent, one received and dropped");
        }
    }
}
