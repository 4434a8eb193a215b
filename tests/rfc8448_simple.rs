//! RFC 8448 §3, "Simple 1-RTT Handshake", replayed through the client engine.
//!
//! Client role: a ClientConfig built from public options only reproduces NSS's ClientHello;
//! a replay RNG hands the engine the trace's random and X25519 private key; the RFC's
//! server records are fed in (whole, and one byte at a time); every record the client
//! sends must equal the RFC's byte for byte, and every secret the RFC prints must come out
//! of the trace events. The server's CertificateVerify (rsa_pss_rsae_sha256) is checked
//! against the RSA key of the RFC's certificate, which the config pins.

mod common;

#[allow(unused_imports)]
use common::server_replay::*;

use common::check::{check_client_keys, check_secrets, first_server_flight, states, value};
use common::client_replay::{APP, HS, Step, replay_client};
use std::sync::{Arc, Mutex};

use common::nss::{hello_rng, nss_client_config, simple_client};
use common::vectors;
use lucid_tls::client::ClientConnection;
use lucid_tls::connection::Event;
use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::crypto::{CryptoProvider, HashAlgorithm, Secret};
use lucid_tls::key_schedule::SecretLabel;
use lucid_tls::key_schedule::{derive_secret, empty_transcript_hash, hkdf_expand_label};
use lucid_tls::keylog::KeyLog;
use lucid_tls::time::Time;
use lucid_tls::trace::TraceEvent;
use lucid_tls::wire::alert::AlertDescription;
use lucid_tls::wire::algorithms::{CipherSuite, NamedGroup, SignatureScheme};

/// 2025-06-01: RFC 8448's certificate is valid then (it expires in July 2026).
const NOW: Time = Time::from_unix_secs(1_748_736_000);

/// Runs the whole §3 exchange, feeding the server's bytes in pieces of `piece` bytes.
fn run_client(piece: usize) -> (ClientConnection, Vec<Event>, Vec<TraceEvent>) {
    let trace = vectors::load("simple");
    let (client, rng) = simple_client(&trace, NOW);
    assert_eq!(
        rng.remaining(),
        0,
        "the ClientHello draws the random and the key share"
    );
    let steps = vec![
        Step::State("WAIT_SH"),
        Step::Sends(&[(HS, 0)]),
        // The server's flight: ServerHello in the clear, then EE..Finished in one record.
        Step::Receives(&[(HS, 0), (HS, 1)]),
        Step::State("CONNECTED"),
        Step::Sends(&[(HS, 1)]),
        // The NewSessionTicket, then application data both ways.
        Step::Receives(&[(HS, 2)]),
        Step::Writes(0),
        Step::Sends(&[(APP, 0)]),
        Step::Receives(&[(APP, 0)]),
    ];
    let replayed = replay_client(&trace, client, NOW, piece, steps);
    assert!(!replayed.client.is_handshaking());
    (replayed.client, replayed.events, replayed.traces)
}

#[test]
fn client_replays_rfc8448_simple_records() {
    let trace = vectors::load("simple");
    let (client, events, _) = run_client(usize::MAX);
    let negotiated = client.negotiated().unwrap();
    assert_eq!(negotiated.cipher_suite, CipherSuite::TLS_AES_128_GCM_SHA256);
    assert_eq!(negotiated.key_exchange_group, Some(NamedGroup::X25519));
    assert_eq!(
        negotiated.signature_scheme,
        Some(SignatureScheme::RsaPssRsaeSha256)
    );
    assert_eq!(negotiated.peer_record_size_limit, Some(0x4001));
    assert_eq!(
        negotiated.peer_certificates,
        vec![common::nss::server_certificate(&trace)]
    );
    assert_eq!(negotiated.server_name.as_deref(), Some("server"));
    assert!(negotiated.psk.is_none());

    let payload = trace
        .block("server", "send application_data record")
        .get("payload");
    let mut events = events.into_iter();
    assert!(matches!(events.next(), Some(Event::HandshakeComplete(_))));
    let Some(Event::NewSessionTicket(ticket)) = events.next() else {
        panic!("no ticket")
    };
    assert_eq!(
        ticket.psk.as_bytes(),
        value(&trace, "generate resumption secret", "expanded")
    );
    assert_eq!(ticket.lifetime_secs, 30);
    assert_eq!(ticket.max_early_data_size, Some(0x400));
    assert!(matches!(events.next(), Some(Event::ApplicationData(d)) if d == payload));
    assert!(matches!(
        events.next(),
        Some(Event::AlertSent(AlertDescription::CloseNotify))
    ));
    assert!(matches!(
        events.next(),
        Some(Event::AlertReceived(AlertDescription::CloseNotify))
    ));
    assert!(matches!(events.next(), Some(Event::PeerClosed)));
    assert!(events.next().is_none());
}

#[test]
fn client_replays_rfc8448_simple_one_byte_at_a_time() {
    let (client, events, _) = run_client(1);
    assert_eq!(client.state_name(), "CONNECTED");
    assert_eq!(events.len(), 6);
}

#[test]
fn client_reports_every_rfc8448_simple_secret_and_key() {
    let trace = vectors::load("simple");
    let (_, _, traces) = run_client(usize::MAX);
    assert_eq!(check_secrets(&trace, &traces), 11);
    let early = common::check::traced_secret(&traces, SecretLabel::EarlySecret);
    assert_eq!(
        early.as_deref(),
        Some(value(&trace, "extract secret \"early\"", "secret"))
    );
    assert_eq!(check_client_keys(&trace, &traces), 4);
    // The states, in RFC 9846 Appendix A order.
    assert_eq!(
        states(&traces),
        [
            "WAIT_SH",
            "WAIT_EE",
            "WAIT_CERT_CR",
            "WAIT_CV",
            "WAIT_FINISHED",
            "CONNECTED"
        ]
    );
}

#[test]
fn client_exporter_follows_the_trace() {
    // RFC 8448 prints exporter_secret; TLS-Exporter (RFC 9846 §7.5) computed from it by
    // hand must equal what the connection exports.
    let trace = vectors::load("simple");
    let (client, _, _) = run_client(usize::MAX);
    let provider = RustCryptoProvider;
    let hash = HashAlgorithm::Sha256;
    let exporter_secret = Secret::new(value(
        &trace,
        "derive secret \"tls13 exp master\"",
        "expanded",
    ));
    let empty = empty_transcript_hash(&provider, hash);
    let per_label =
        derive_secret(&provider, hash, &exporter_secret, b"EXPORTER-test", &empty).unwrap();
    let mut context = provider.hash(hash);
    context.update(b"ctx");
    let mut expected = [0u8; 32];
    hkdf_expand_label(
        &provider,
        hash,
        &per_label,
        b"exporter",
        context.current().as_bytes(),
        &mut expected,
    )
    .unwrap();
    let mut out = [0u8; 32];
    client
        .export_keying_material(b"EXPORTER-test", Some(b"ctx"), &mut out)
        .unwrap();
    assert_eq!(out, expected);
}

/// Collects key log lines.
#[derive(Default)]
struct Lines(Mutex<Vec<String>>);

impl KeyLog for Lines {
    fn log(&self, label: &str, client_random: &[u8; 32], secret: &[u8]) {
        let line = format!(
            "{label} {} {}",
            hex::encode(client_random),
            hex::encode(secret)
        );
        self.0.lock().unwrap().push(line);
    }
}

#[test]
fn client_key_log_has_the_five_nss_lines() {
    let trace = vectors::load("simple");
    let lines = Arc::new(Lines::default());
    let mut config = nss_client_config(&trace, true);
    config.keylog = Some(lines.clone());
    let rng = hello_rng(&trace);
    let mut client =
        ClientConnection::new(Arc::new(config), Some("server"), Box::new(rng), NOW).unwrap();
    client.take_output();
    let flight = first_server_flight(&trace);
    client.feed(NOW, &flight).unwrap();
    let hello = trace
        .block("client", "construct a ClientHello")
        .get("ClientHello");
    let random = hex::encode(&hello[6..38]);
    let secret = |heading: &str| hex::encode(value(&trace, heading, "expanded"));
    let expected = vec![
        format!(
            "CLIENT_HANDSHAKE_TRAFFIC_SECRET {random} {}",
            secret("derive secret \"tls13 c hs traffic\"")
        ),
        format!(
            "SERVER_HANDSHAKE_TRAFFIC_SECRET {random} {}",
            secret("derive secret \"tls13 s hs traffic\"")
        ),
        format!(
            "CLIENT_TRAFFIC_SECRET_0 {random} {}",
            secret("derive secret \"tls13 c ap traffic\"")
        ),
        format!(
            "SERVER_TRAFFIC_SECRET_0 {random} {}",
            secret("derive secret \"tls13 s ap traffic\"")
        ),
        format!(
            "EXPORTER_SECRET {random} {}",
            secret("derive secret \"tls13 exp master\"")
        ),
    ];
    assert_eq!(*lines.0.lock().unwrap(), expected);
}

// ----- Server role ---------------------------------------------------------------------------

#[test]
fn rfc8448_simple_1rtt_server() {
    for split in [usize::MAX, 1, 7] {
        let (mut server, rng, simple, now) = rfc_server(TraceName::Simple);
        let events = replay(&simple, &mut server, now, split);
        assert_eq!(rng.remaining(), 0, "every replayed value was drawn");
        let payload = simple
            .block("client", "send application_data")
            .get("payload");
        assert!(
            events
                .iter()
                .any(|e| matches!(e, Event::ApplicationData(d) if d == payload))
        );
        assert!(events.iter().any(|e| matches!(e, Event::PeerClosed)));
        let negotiated = handshake_complete(&events);
        assert_eq!(negotiated.cipher_suite, CipherSuite::TLS_AES_128_GCM_SHA256);
        assert_eq!(negotiated.key_exchange_group, Some(NamedGroup::X25519));
        assert_eq!(negotiated.server_name.as_deref(), Some("server"));
        assert_eq!(negotiated.peer_record_size_limit, Some(0x4001));
        assert_eq!(server.state_name(), "CONNECTED");
        if split == usize::MAX {
            let checked = check_server_secrets(&simple, &traces(&mut server));
            assert_eq!(checked, 12 + 8, "secrets and keys compared");
        }
    }
}
