//! The client engine against the server engine, in memory: every suite and group, a
//! HelloRetryRequest (with and without a cookie), resumption with psk_dhe_ke and psk_ke,
//! 0-RTT accepted and rejected, external PSKs, ALPN and SNI, record_size_limit and
//! max_fragment_length, client authentication, KeyUpdate both ways, exporters, and input
//! cut into single bytes and random pieces.

mod common;

use std::sync::Arc;

use common::setup::{
    client_config, connect, data, events, random_split, rfc_certificate, rfc_certified_key, run,
    saw_hello_retry, sealer, server_config, state_path, ticket_server, tickets, try_run,
};
use lucid_tls::client::{ClientConfig, ExternalPsk, Ticket};
use lucid_tls::connection::Event;
use lucid_tls::crypto::Secret;
use lucid_tls::error::Error;
use lucid_tls::key_schedule::PskKind;
use lucid_tls::pair::{Flight, Pair, Side, Split};
use lucid_tls::server::{ClientCertVerifier, CookieConfig, ServerConfig};
use lucid_tls::trace::{Direction, TraceEvent};
use lucid_tls::wire::algorithms::{CipherSuite, NamedGroup};
use lucid_tls::wire::codes::PskKeyExchangeMode;
use lucid_tls::wire::extensions::MaxFragmentLength;

const SUITES: [CipherSuite; 3] = [
    CipherSuite::TLS_AES_128_GCM_SHA256,
    CipherSuite::TLS_AES_256_GCM_SHA384,
    CipherSuite::TLS_CHACHA20_POLY1305_SHA256,
];

/// Application data and a KeyUpdate each way, and the same exporter on both sides.
fn exercise(pair: &mut Pair) {
    pair.client.write(b"ping").unwrap();
    assert_eq!(data(&events(&run(pair), Side::Server)), b"ping");
    pair.server.write(b"pong").unwrap();
    assert_eq!(data(&events(&run(pair), Side::Client)), b"pong");

    pair.client.key_update(true).unwrap();
    pair.client.write(b"after client update").unwrap();
    let server_events = events(&run(pair), Side::Server);
    assert!(server_events.iter().any(|e| matches!(
        e,
        Event::KeyUpdated {
            direction: Direction::Received
        }
    )));
    assert!(server_events.iter().any(|e| matches!(
        e,
        Event::KeyUpdated {
            direction: Direction::Sent
        }
    )));
    assert_eq!(data(&server_events), b"after client update");
    pair.server.key_update(false).unwrap();
    pair.server.write(b"after server update").unwrap();
    assert_eq!(
        data(&events(&run(pair), Side::Client)),
        b"after server update"
    );

    let export = |c: Result<(), Error>, out: [u8; 48]| (c, out);
    let mut ours = [0u8; 48];
    let mut theirs = [0u8; 48];
    let a = pair
        .client
        .export_keying_material(b"EXPORTER-lucid", Some(b"ctx"), &mut ours);
    let b = pair
        .server
        .export_keying_material(b"EXPORTER-lucid", Some(b"ctx"), &mut theirs);
    assert_eq!(export(a, ours), export(b, theirs));
    assert_ne!(ours, [0u8; 48]);
}

/// A full handshake; returns the pair and the handshake's flights.
fn handshake(client: ClientConfig, server: ServerConfig, seed: u64) -> (Pair, Vec<Flight>) {
    let mut pair = connect(client, server, None, seed);
    let flights = run(&mut pair);
    assert!(!pair.client.is_handshaking());
    assert!(!pair.server.is_handshaking());
    (pair, flights)
}

#[test]
fn full_handshake_every_suite_and_group() {
    for (i, suite) in SUITES.into_iter().enumerate() {
        for group in [NamedGroup::X25519, NamedGroup::Secp256r1] {
            let mut client = client_config();
            client.cipher_suites = vec![suite];
            client.key_share_groups = vec![group];
            client.supported_groups = vec![group];
            let (mut pair, _) = handshake(client, server_config(), i as u64);
            let negotiated = pair.client.negotiated().unwrap().clone();
            assert_eq!(negotiated.cipher_suite, suite);
            assert_eq!(negotiated.key_exchange_group, Some(group));
            assert_eq!(negotiated.peer_certificates, vec![rfc_certificate()]);
            assert_eq!(pair.server.negotiated().unwrap().cipher_suite, suite);
            exercise(&mut pair);
        }
    }
}

#[test]
fn full_handshake_with_input_in_single_bytes_and_random_pieces() {
    for split in [Split::Chunks(1), random_split(1), random_split(2)] {
        let mut pair = connect(client_config(), server_config(), None, 3).with_split(split.clone());
        let flights = run(&mut pair);
        for flight in &flights {
            let max = if split == Split::Chunks(1) { 1 } else { 64 };
            assert!(flight.pieces * max >= flight.bytes.len(), "{split:?}");
            assert!(flight.pieces > 1 || flight.bytes.len() <= max, "{split:?}");
        }
        assert!(!pair.client.is_handshaking(), "{split:?}");
        exercise(&mut pair);
    }
}

#[test]
fn hello_retry_request_for_the_servers_group() {
    for cookies in [false, true] {
        let mut client = client_config();
        client.key_share_groups = vec![NamedGroup::X25519];
        client.supported_groups = vec![NamedGroup::X25519, NamedGroup::Secp256r1];
        let mut server = server_config();
        server.key_share_groups = vec![NamedGroup::Secp256r1];
        if cookies {
            server.cookies = Some(CookieConfig {
                issuer: sealer(),
                lifetime_ms: 10_000,
            });
        }
        let (mut pair, flights) = handshake(client, server, 4);
        // RFC 9846 Appendix A.1: the HelloRetryRequest takes the client back to START.
        assert_eq!(
            state_path(&flights, Side::Client)[..5],
            ["START", "WAIT_SH", "START", "WAIT_SH", "WAIT_EE"],
            "cookies: {cookies}"
        );
        assert_eq!(
            pair.client.negotiated().unwrap().key_exchange_group,
            Some(NamedGroup::Secp256r1)
        );
        exercise(&mut pair);
    }
}

/// A full handshake with a ticket server; returns the client's tickets.
fn first_connection(client: ClientConfig) -> Vec<Ticket> {
    let (_, flights) = handshake(client, ticket_server(2, 1024), 5);
    let tickets = tickets(&events(&flights, Side::Client));
    assert_eq!(tickets.len(), 2);
    tickets
}

#[test]
fn resumption_with_psk_dhe_ke_and_psk_ke() {
    for mode in [PskKeyExchangeMode::PskDheKe, PskKeyExchangeMode::PskKe] {
        let mut client = client_config();
        client.psk_modes = vec![mode];
        let ticket = first_connection(client.clone()).remove(0);
        // The ticket survives a trip through storage.
        let ticket = Ticket::from_bytes(&ticket.to_bytes().unwrap()).unwrap();
        let mut pair = connect(client, ticket_server(2, 1024), Some(ticket), 6);
        run(&mut pair);
        let negotiated = pair.client.negotiated().unwrap().clone();
        assert_eq!(negotiated.psk, Some(PskKind::Resumption), "{mode:?}");
        assert_eq!(negotiated.psk_mode, Some(mode));
        // No Certificate on a resumed connection: the client reports the chain of the
        // connection that gave it the ticket, kept in the ticket (and through storage).
        assert_eq!(negotiated.peer_certificates, [rfc_certificate()]);
        let expected_group =
            (mode == PskKeyExchangeMode::PskDheKe).then_some(NamedGroup::X25519MlKem768);
        assert_eq!(negotiated.key_exchange_group, expected_group);
        exercise(&mut pair);
    }
}

#[test]
fn early_data_accepted() {
    // With compatibility mode, the dummy change_cipher_spec goes right after ClientHello1,
    // before the 0-RTT records (RFC 9846 Appendix E.4).
    for compat in [false, true] {
        let mut client = client_config();
        client.enable_early_data = true;
        client.middlebox_compat = compat;
        let ticket = first_connection(client.clone()).remove(0);
        assert_eq!(ticket.max_early_data_size, Some(1024));
        let mut pair = connect(client, ticket_server(2, 1024), Some(ticket), 7);
        assert!(pair.client.can_write_early_data());
        pair.client.write_early_data(b"early bird").unwrap();
        // More than max_early_data_size is refused locally.
        assert!(matches!(
            pair.client.write_early_data(&[0; 1024]),
            Err(Error::Misuse(_))
        ));
        let flights = run(&mut pair);
        assert!(
            pair.client.negotiated().unwrap().early_data_accepted,
            "compat: {compat}"
        );
        let client_events = events(&flights, Side::Client);
        assert!(
            client_events
                .iter()
                .any(|e| matches!(e, Event::EarlyDataAccepted))
        );
        assert_eq!(data(&events(&flights, Side::Server)), b"early bird");
        exercise(&mut pair);
    }
}

/// The pair's clock: a ClientHello that reaches the server a minute after the client
/// wrote it reports a ticket age the server finds stale (its freshness window is 10 s), so
/// the 0-RTT data is rejected (RFC 9846 §8.3); on time, it is accepted.
#[test]
fn early_data_rejected_when_the_client_hello_arrives_late() {
    let mut client = client_config();
    client.enable_early_data = true;
    let tickets = first_connection(client.clone());
    for (ticket, delay_ms, accepted) in [(&tickets[0], 0, true), (&tickets[1], 60_000, false)] {
        let mut pair = connect(
            client.clone(),
            ticket_server(2, 1024),
            Some(ticket.clone()),
            17,
        );
        pair.client.write_early_data(b"fresh?").unwrap();
        let start = pair.now;
        pair.advance(delay_ms);
        assert_eq!(pair.now.millis_since(start), delay_ms);
        let flights = run(&mut pair);
        let negotiated = pair.client.negotiated().unwrap().clone();
        assert_eq!(negotiated.early_data_accepted, accepted, "{delay_ms} ms");
        let early: &[u8] = if accepted { b"fresh?" } else { b"" };
        assert_eq!(data(&events(&flights, Side::Server)), early);
    }
}

#[test]
fn early_data_rejected_when_a_single_use_ticket_comes_back() {
    let mut client = client_config();
    client.enable_early_data = true;
    let ticket = first_connection(client.clone()).remove(0);
    let server = ticket_server(2, 1024);
    // The first use of the ticket gets its 0-RTT accepted...
    let mut first = connect(client.clone(), server.clone(), Some(ticket.clone()), 8);
    first.client.write_early_data(b"once").unwrap();
    run(&mut first);
    assert!(first.client.negotiated().unwrap().early_data_accepted);
    // ...a replay of it does not (RFC 9846 §8.1), and the server skips the 0-RTT records.
    let mut pair = connect(client, server, Some(ticket), 8);
    pair.client.write_early_data(b"twice").unwrap();
    let flights = run(&mut pair);
    let negotiated = pair.client.negotiated().unwrap().clone();
    assert!(!negotiated.early_data_accepted);
    assert!(
        events(&flights, Side::Client)
            .iter()
            .any(|e| matches!(e, Event::EarlyDataRejected))
    );
    assert!(data(&events(&flights, Side::Server)).is_empty());
    assert!(pair.client.write_early_data(b"too late").is_err());
    exercise(&mut pair);
}

#[test]
fn early_data_rejected_by_a_hello_retry_request() {
    let mut client = client_config();
    client.enable_early_data = true;
    client.key_share_groups = vec![NamedGroup::X25519];
    client.supported_groups = vec![NamedGroup::X25519, NamedGroup::Secp256r1];
    let ticket = first_connection(client.clone()).remove(0);
    let mut server = ticket_server(2, 1024);
    server.key_share_groups = vec![NamedGroup::Secp256r1];
    let mut pair = connect(client, server, Some(ticket), 9);
    pair.client.write_early_data(b"lost in the retry").unwrap();
    let flights = run(&mut pair);
    assert!(saw_hello_retry(&flights));
    assert!(!pair.client.negotiated().unwrap().early_data_accepted);
    assert!(data(&events(&flights, Side::Server)).is_empty());
    exercise(&mut pair);
}

#[test]
fn external_psk() {
    let secret = Secret::new(&[0x17; 32]);
    let mut client = client_config();
    client.external_psks = vec![ExternalPsk {
        identity: b"device-42".to_vec(),
        secret: secret.clone(),
        cipher_suite: CipherSuite::TLS_AES_128_GCM_SHA256,
    }];
    let mut server = server_config();
    server.external_psks = vec![lucid_tls::server::ExternalPsk {
        identity: b"device-42".to_vec(),
        secret,
        cipher_suite: CipherSuite::TLS_AES_128_GCM_SHA256,
    }];
    let (mut pair, _) = handshake(client, server, 10);
    assert_eq!(
        pair.client.negotiated().unwrap().psk,
        Some(PskKind::External)
    );
    exercise(&mut pair);
}

#[test]
fn external_psk_with_the_wrong_key_fails_the_binder() {
    let mut client = client_config();
    client.external_psks = vec![ExternalPsk {
        identity: b"device-42".to_vec(),
        secret: Secret::new(&[0x17; 32]),
        cipher_suite: CipherSuite::TLS_AES_128_GCM_SHA256,
    }];
    let mut server = server_config();
    server.external_psks = vec![lucid_tls::server::ExternalPsk {
        identity: b"device-42".to_vec(),
        secret: Secret::new(&[0x18; 32]),
        cipher_suite: CipherSuite::TLS_AES_128_GCM_SHA256,
    }];
    let mut pair = connect(client, server, None, 11);
    let err = try_run(&mut pair).unwrap_err();
    assert_eq!(
        err.alert(),
        Some(lucid_tls::wire::alert::AlertDescription::DecryptError)
    );
}

#[test]
fn alpn_sni_and_record_size_limit() {
    let mut client = client_config();
    client.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    client.record_size_limit = Some(256);
    let mut server = server_config();
    server.alpn_protocols = vec![b"http/1.1".to_vec()];
    server.record_size_limit = Some(100);
    let (mut pair, _) = handshake(client, server, 12);
    let negotiated = pair.client.negotiated().unwrap().clone();
    assert_eq!(negotiated.alpn.as_deref(), Some(&b"http/1.1"[..]));
    assert_eq!(negotiated.server_name.as_deref(), Some("server"));
    assert_eq!(negotiated.peer_record_size_limit, Some(100));
    // 1000 bytes under the server's limit of 100 (99 bytes of content per record).
    pair.client.write(&[7; 1000]).unwrap();
    let out = pair.client.take_output();
    let records = count_records(&out);
    assert_eq!(records, 1000usize.div_ceil(99));
    pair.server.feed(pair.now, &out).unwrap();
    let server_events: Vec<Event> = std::iter::from_fn(|| pair.server.poll_event()).collect();
    assert_eq!(data(&server_events), vec![7; 1000]);
    exercise(&mut pair);
}

#[test]
fn max_fragment_length() {
    let mut client = client_config();
    client.max_fragment_length = Some(MaxFragmentLength::Len512);
    let (mut pair, _) = handshake(client, server_config(), 13);
    assert_eq!(
        pair.client.negotiated().unwrap().max_fragment_length,
        Some(512)
    );
    pair.client.write(&[1; 2000]).unwrap();
    let out = pair.client.take_output();
    assert_eq!(count_records(&out), 2000usize.div_ceil(511));
    pair.server.feed(pair.now, &out).unwrap();
    let server_events: Vec<Event> = std::iter::from_fn(|| pair.server.poll_event()).collect();
    assert_eq!(data(&server_events), vec![1; 2000]);
}

fn count_records(mut bytes: &[u8]) -> usize {
    let mut n = 0;
    while bytes.len() >= 5 {
        let len = usize::from(u16::from_be_bytes([bytes[3], bytes[4]]));
        bytes = &bytes[5 + len..];
        n += 1;
    }
    n
}

/// Accepts exactly the RFC's certificate from clients.
struct PinnedClientCert;

impl ClientCertVerifier for PinnedClientCert {
    fn verify(
        &self,
        end_entity: &[u8],
        _intermediates: &[&[u8]],
        _now: lucid_tls::time::Time,
    ) -> lucid_tls::verify::Answer {
        assert_eq!(end_entity, rfc_certificate());
        lucid_tls::verify::Answer::Now(Ok(()))
    }
}

#[test]
fn client_authentication() {
    let mut client = client_config();
    let certified = rfc_certified_key();
    client.client_auth = vec![lucid_tls::CertifiedKey::new(
        certified.chain.clone(),
        certified.key.clone(),
    )];
    let mut server = server_config();
    server.client_auth = lucid_tls::server::ClientAuth::Required(Arc::new(PinnedClientCert));
    let (mut pair, flights) = handshake(client, server, 14);
    assert_eq!(
        pair.server.negotiated().unwrap().peer_certificates,
        vec![rfc_certificate()]
    );
    // RFC 9846 Appendix A: each side walks its state machine, including the server states
    // a message passes straight through (RECVD_CH, NEGOTIATED, WAIT_FLIGHT2).
    assert_eq!(
        state_path(&flights, Side::Client),
        [
            "START",
            "WAIT_SH",
            "WAIT_EE",
            "WAIT_CERT_CR",
            "WAIT_CERT",
            "WAIT_CV",
            "WAIT_FINISHED",
            "CONNECTED"
        ]
    );
    assert_eq!(
        state_path(&flights, Side::Server),
        [
            "START",
            "RECVD_CH",
            "NEGOTIATED",
            "WAIT_FLIGHT2",
            "WAIT_CERT",
            "WAIT_CV",
            "WAIT_FINISHED",
            "CONNECTED"
        ]
    );
    exercise(&mut pair);
}

#[test]
fn client_without_a_certificate_when_one_is_required() {
    let mut server = server_config();
    server.client_auth = lucid_tls::server::ClientAuth::Required(Arc::new(PinnedClientCert));
    let mut pair = connect(client_config(), server, None, 15);
    let err = try_run(&mut pair).unwrap_err();
    assert_eq!(
        err.alert(),
        Some(lucid_tls::wire::alert::AlertDescription::CertificateRequired)
    );
}

#[test]
fn middlebox_compatibility_mode() {
    let mut client = client_config();
    client.middlebox_compat = true;
    let (mut pair, flights) = handshake(client, server_config(), 16);
    let dummies = flights
        .iter()
        .flat_map(|f| f.trace.iter())
        .filter(|(side, t)| {
            *side == Side::Client && matches!(t, TraceEvent::ChangeCipherSpec { .. })
        })
        .count();
    assert_eq!(dummies, 2, "one sent, one received");
    exercise(&mut pair);
}

#[test]
fn without_psk_modes_no_resumption_secret_and_no_ticket() {
    // A client that offers no PSK mode can use no ticket (RFC 9846 §4.3.9): it derives no
    // resumption secret and keeps none of the tickets a server sends anyway.
    let derived = |psk_modes: Vec<PskKeyExchangeMode>| {
        let mut client = client_config();
        client.psk_modes = psk_modes;
        let (mut pair, flights) = handshake(client, ticket_server(2, 1024), 17);
        let resumption_secrets = flights
            .iter()
            .flat_map(|f| f.trace.iter())
            .filter(|(side, t)| {
                *side == Side::Client
                    && matches!(t, TraceEvent::SecretDerived { label, .. }
                        if *label == lucid_tls::key_schedule::SecretLabel::Resumption)
            })
            .count();
        exercise(&mut pair);
        (
            resumption_secrets,
            tickets(&events(&flights, Side::Client)).len(),
        )
    };
    assert_eq!(derived(vec![PskKeyExchangeMode::PskDheKe]), (1, 2));
    assert_eq!(derived(Vec::new()), (0, 0));
}
