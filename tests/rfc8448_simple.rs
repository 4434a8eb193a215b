//! RFC 8448 §3, "Simple 1-RTT Handshake", replayed through the client engine.
//!
//! Client role: a ClientConfig built from public options only reproduces NSS's ClientHello;
//! a replay RNG hands the engine the trace's random and X25519 private key; the RFC's
//! server records are fed in (whole, and one byte at a time); every record the client
//! sends must equal the RFC's byte for byte, and every secret the RFC prints must come out
//! of the trace events. The server's CertificateVerify (rsa_pss_rsae_sha256) is checked
//! against the RSA key of the RFC's certificate, which the config pins.

mod common;

use std::sync::Arc;

use common::nss::nss_client_config;
use common::replay_rng::ReplayRng;
use common::vectors::{self, Trace};
use lucid_tls::client::ClientConnection;
use lucid_tls::connection::Event;
use lucid_tls::key_schedule::SecretLabel;
use lucid_tls::time::Time;
use lucid_tls::trace::{Direction, Epoch, TraceEvent};
use lucid_tls::wire::alert::AlertDescription;
use lucid_tls::wire::algorithms::{CipherSuite, NamedGroup, SignatureScheme};

/// 2025-06-01: RFC 8448's certificate is valid then (it expires in July 2026).
const NOW: Time = Time::from_unix_secs(1_748_736_000);

/// The value `label` of the first `actor` block under `heading` that has it (blocks the
/// RFC marks "(same as ...)" have no values).
fn value<'a>(trace: &'a Trace, heading: &str, label: &str) -> &'a [u8] {
    ["client", "server"]
        .iter()
        .flat_map(|actor| trace.blocks(actor, heading))
        .find_map(|block| block.try_get(label))
        .unwrap_or_else(|| panic!("no {label:?} under {heading:?}"))
}

/// The `n`th (from 0) record `actor` sends under `heading`.
fn record<'a>(trace: &'a Trace, actor: &str, heading: &str, n: usize) -> &'a [u8] {
    trace.blocks(actor, heading)[n].get("complete record")
}

/// Every secret of RFC 8448 §3 the client derives, with where the RFC prints it.
fn printed_secrets() -> Vec<(SecretLabel, &'static str, &'static str)> {
    use SecretLabel as L;
    vec![
        (L::EarlySecret, "extract secret \"early\"", "secret"),
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

/// The client's traffic keys, per direction and epoch, and where the RFC prints them.
fn printed_keys() -> Vec<(Direction, Epoch, &'static str, &'static str)> {
    vec![
        (
            Direction::Received,
            Epoch::Handshake,
            "server",
            "derive write traffic keys for handshake data",
        ),
        (
            Direction::Sent,
            Epoch::Handshake,
            "server",
            "derive read traffic keys for handshake data",
        ),
        (
            Direction::Received,
            Epoch::Application(0),
            "server",
            "derive write traffic keys for application data",
        ),
        (
            Direction::Sent,
            Epoch::Application(0),
            "client",
            "derive write traffic keys for application data",
        ),
    ]
}

/// A client configured like NSS in §3, drawing the trace's random and private key.
fn client(trace: &Trace) -> (ClientConnection, ReplayRng) {
    let hello = trace
        .block("client", "construct a ClientHello")
        .get("ClientHello");
    let rng = ReplayRng::new(&[
        ("ClientHello.random", &hello[6..38]),
        (
            "x25519 private key",
            trace
                .block("client", "create an ephemeral x25519")
                .get("private key"),
        ),
    ]);
    let config = Arc::new(nss_client_config(trace, true));
    let client = ClientConnection::new(config, Some("server"), Box::new(rng.clone()), NOW).unwrap();
    (client, rng)
}

fn feed_in_pieces(client: &mut ClientConnection, bytes: &[u8], piece: usize) {
    for chunk in bytes.chunks(piece) {
        assert_eq!(client.feed(NOW, chunk), Ok(chunk.len()));
    }
}

/// Runs the whole §3 exchange, feeding the server's bytes in pieces of `piece` bytes.
fn run_client(piece: usize) -> (ClientConnection, Vec<Event>, Vec<TraceEvent>) {
    let trace = vectors::load("simple");
    let (mut client, rng) = client(&trace);
    assert_eq!(
        rng.remaining(),
        0,
        "the ClientHello draws the random and the key share"
    );
    assert_eq!(client.state_name(), "WAIT_SH");
    assert_eq!(
        client.take_output(),
        record(&trace, "client", "send handshake record", 0)
    );

    // The server's flight: ServerHello in the clear, then EE..Finished in one record.
    let flight = [
        record(&trace, "server", "send handshake record", 0),
        record(&trace, "server", "send handshake record", 1),
    ]
    .concat();
    feed_in_pieces(&mut client, &flight, piece);
    assert_eq!(client.state_name(), "CONNECTED");
    assert!(!client.is_handshaking());
    assert_eq!(
        client.take_output(),
        record(&trace, "client", "send handshake record", 1)
    );

    // The NewSessionTicket, then application data both ways, then close_notify both ways.
    feed_in_pieces(
        &mut client,
        record(&trace, "server", "send handshake record", 2),
        piece,
    );
    let payload = trace
        .block("client", "send application_data record")
        .get("payload");
    client.write(payload).unwrap();
    assert_eq!(
        client.take_output(),
        record(&trace, "client", "send application_data record", 0)
    );
    feed_in_pieces(
        &mut client,
        record(&trace, "server", "send application_data record", 0),
        piece,
    );
    client.close();
    assert_eq!(
        client.take_output(),
        record(&trace, "client", "send alert record", 0)
    );
    feed_in_pieces(
        &mut client,
        record(&trace, "server", "send alert record", 0),
        piece,
    );

    let events = std::iter::from_fn(|| client.poll_event()).collect();
    let traces = std::iter::from_fn(|| client.poll_trace()).collect();
    (client, events, traces)
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
    for (label, heading, field) in printed_secrets() {
        let derived = traces.iter().find_map(|t| match t {
            TraceEvent::SecretDerived { label: l, secret } if *l == label => {
                Some(secret.as_bytes().to_vec())
            }
            _ => None,
        });
        assert_eq!(
            derived.as_deref(),
            Some(value(&trace, heading, field)),
            "{label:?}"
        );
    }
    for (direction, epoch, actor, heading) in printed_keys() {
        let block = trace.block(actor, heading);
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
        let expected = (
            block.get("key expanded").to_vec(),
            block.get("iv expanded").to_vec(),
        );
        assert_eq!(installed, Some(expected), "{direction:?} {epoch:?}");
    }
    // The states, in RFC 9846 Appendix A order.
    let states: Vec<_> = traces
        .iter()
        .filter_map(|t| match t {
            TraceEvent::StateChanged { to, .. } => Some(*to),
            _ => None,
        })
        .collect();
    assert_eq!(
        states,
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
fn client_exporter_and_keylog_follow_the_trace() {
    let trace = vectors::load("simple");
    let (client, _, traces) = run_client(usize::MAX);
    let mut out = [0u8; 32];
    client
        .export_keying_material(b"EXPORTER-test", Some(b"ctx"), &mut out)
        .unwrap();
    assert_ne!(out, [0u8; 32]);
    // The key log lines are keyed by the ClientHello's random.
    let hello = trace
        .block("client", "construct a ClientHello")
        .get("ClientHello");
    let random: [u8; 32] = hello[6..38].try_into().unwrap();
    let lines: Vec<String> = traces
        .iter()
        .filter_map(|t| match t {
            TraceEvent::SecretDerived { label, secret } => {
                lucid_tls::keylog::keylog_line(*label, &random, secret)
            }
            _ => None,
        })
        .collect();
    assert_eq!(lines.len(), 5);
    let expected = format!(
        "CLIENT_HANDSHAKE_TRAFFIC_SECRET {} {}",
        hex::encode(random),
        hex::encode(value(
            &trace,
            "derive secret \"tls13 c hs traffic\"",
            "expanded"
        ))
    );
    assert!(lines.contains(&expected));
}
