//! RFC 8448 §5, "HelloRetryRequest", replayed through the client engine.
//!
//! The client offers an X25519 share; the server answers with a HelloRetryRequest asking
//! for P-256 and carrying a cookie; the client's second ClientHello (P-256 share, the
//! cookie echoed, padded to 512 bytes like NSS's) must equal the RFC's byte for byte, as
//! must its Finished and alert records, and every secret the RFC prints must be reported.

mod common;

#[allow(unused_imports)]
use common::server_replay::*;

use std::sync::Arc;

use common::check::{check_client_keys, check_secrets, states};
use common::client_replay::{HS, Step, replay_client};
use common::nss::{hello_rng, nss_client_config};
use common::vectors;
use lucid_tls::client::ClientConnection;
use lucid_tls::connection::Event;
use lucid_tls::time::Time;
use lucid_tls::trace::TraceEvent;
use lucid_tls::wire::algorithms::NamedGroup;

const NOW: Time = Time::from_unix_secs(1_748_736_000);

fn run_client(piece: usize) -> (ClientConnection, Vec<Event>, Vec<TraceEvent>) {
    let trace = vectors::load("hrr");
    let rng = hello_rng(&trace);
    rng.push(
        "P-256 private key",
        trace
            .block("client", "create an ephemeral P-256")
            .get("private key"),
    );
    let mut config = nss_client_config(&trace, false);
    config.supported_groups = vec![
        NamedGroup::X25519,
        NamedGroup::Secp256r1,
        NamedGroup::Secp384r1,
    ];
    let client =
        ClientConnection::new(Arc::new(config), Some("server"), Box::new(rng.clone()), NOW)
            .unwrap();
    let mut drew_the_p256_key = |_: &mut ClientConnection| {
        assert_eq!(
            rng.remaining(),
            0,
            "the second ClientHello drew the P-256 key"
        )
    };
    let steps = vec![
        Step::Sends(&[(HS, 0)]),
        // The HelloRetryRequest, then the second ClientHello.
        Step::Receives(&[(HS, 0)]),
        Step::Then(&mut drew_the_p256_key),
        Step::State("WAIT_SH"),
        Step::Sends(&[(HS, 1)]),
        Step::Receives(&[(HS, 1), (HS, 2)]),
        Step::State("CONNECTED"),
        Step::Sends(&[(HS, 2)]),
    ];
    let replayed = replay_client(&trace, client, NOW, piece, steps);
    (replayed.client, replayed.events, replayed.traces)
}

#[test]
fn client_replays_rfc8448_hrr_records() {
    let (client, events, _) = run_client(usize::MAX);
    let negotiated = client.negotiated().unwrap();
    assert_eq!(negotiated.key_exchange_group, Some(NamedGroup::Secp256r1));
    assert!(matches!(events.first(), Some(Event::HandshakeComplete(_))));
    assert!(matches!(events.last(), Some(Event::PeerClosed)));
}

#[test]
fn client_replays_rfc8448_hrr_one_byte_at_a_time() {
    let (client, _, _) = run_client(1);
    assert!(client.negotiated().is_some());
}

#[test]
fn client_reports_every_rfc8448_hrr_secret_and_key() {
    let trace = vectors::load("hrr");
    let (_, _, traces) = run_client(usize::MAX);
    assert_eq!(check_secrets(&trace, &traces), 10);
    assert_eq!(check_client_keys(&trace, &traces), 4);
    // RFC 9846 Appendix A.1: the HelloRetryRequest leads back to START, then WAIT_SH again.
    assert_eq!(
        states(&traces),
        [
            "WAIT_SH",
            "START",
            "WAIT_SH",
            "WAIT_EE",
            "WAIT_CERT_CR",
            "WAIT_CV",
            "WAIT_FINISHED",
            "CONNECTED"
        ]
    );
}

// ----- Server role ---------------------------------------------------------------------------

#[test]
fn rfc8448_hello_retry_request_server() {
    // NSS in §5 prefers secp256r1 and asks for it (with a cookie) even though an X25519
    // share came.
    for split in [usize::MAX, 1] {
        let (mut server, rng, hrr, now) = rfc_server(TraceName::Hrr);
        let events = replay(&hrr, &mut server, now, split);
        assert_eq!(rng.remaining(), 0);
        let negotiated = handshake_complete(&events);
        assert_eq!(negotiated.key_exchange_group, Some(NamedGroup::Secp256r1));
        if split == usize::MAX {
            assert_eq!(check_server_secrets(&hrr, &traces(&mut server)), 11 + 8);
        }
    }
}
