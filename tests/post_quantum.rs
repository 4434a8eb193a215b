//! The post-quantum hybrid groups (RFC 10024) in the engines, client and server in memory:
//! the defaults negotiate X25519MLKEM768, a HelloRetryRequest moves a client to it, mTLS
//! runs over it, the trace shows its parts, and each malformed share is refused with
//! illegal_parameter. (HelloRetryRequest, resumption with psk_dhe_ke, 0-RTT and external
//! PSKs for both hybrid groups are in the matrix of tests/engine_matrix.rs.)

mod common;

use std::sync::Arc;

use common::setup::{
    client_config, connect, rfc_certificate, rfc_certified_key, run, saw_hello_retry, server_config,
};
use lucid_tls::client::ClientConnection;
use lucid_tls::connection::Event;
use lucid_tls::pair::{Flight, Side};
use lucid_tls::server::ClientCertVerifier;
use lucid_tls::server::ServerConnection;
use lucid_tls::time::Time;
use lucid_tls::trace::TraceEvent;
use lucid_tls::verify::Answer;
use lucid_tls::wire::alert::AlertDescription;
use lucid_tls::wire::algorithms::NamedGroup;
use lucid_tls::wire::codes::ContentType;
use lucid_tls::wire::extensions::{Extension, KeyShareEntry};
use lucid_tls::wire::handshake::HandshakeMessage;
use lucid_tls::wire::record::TLSPlaintext;

#[path = "../examples/common/pq_walk.rs"]
#[allow(dead_code)]
mod pq_walk;

const HYBRIDS: [NamedGroup; 2] = [NamedGroup::X25519MlKem768, NamedGroup::SecP256r1MlKem768];

/// `side`'s key exchange trace events during `flights`.
fn key_exchanges(flights: &[Flight], side: Side) -> Vec<&TraceEvent> {
    flights
        .iter()
        .flat_map(|f| f.trace.iter())
        .filter(|(s, t)| *s == side && matches!(t, TraceEvent::KeyExchangeCompleted { .. }))
        .map(|(_, t)| t)
        .collect()
}

#[test]
fn defaults_negotiate_x25519mlkem768_in_one_round_trip() {
    let mut config = server_config();
    config.trace = true;
    let mut pair = connect(client_config(), config, None, 1);
    let flights = run(&mut pair);
    assert!(!saw_hello_retry(&flights));
    for negotiated in [pair.client.negotiated(), pair.server.negotiated()] {
        let group = negotiated.unwrap().key_exchange_group;
        assert_eq!(group, Some(NamedGroup::X25519MlKem768));
    }
}

#[test]
fn trace_shows_the_parts_and_how_the_secret_is_joined() {
    let mut config = server_config();
    config.trace = true;
    for group in HYBRIDS {
        let mut client = client_config();
        client.key_share_groups = vec![group];
        client.supported_groups = vec![group];
        let mut pair = connect(client, config.clone(), None, 2);
        let flights = run(&mut pair);
        let client_side = key_exchanges(&flights, Side::Client);
        let server_side = key_exchanges(&flights, Side::Server);
        let [
            TraceEvent::KeyExchangeCompleted {
                group: traced,
                client_share,
                server_share,
                shared_secret,
                parts,
            },
        ] = &client_side[..]
        else {
            panic!("one key exchange on the client: {client_side:?}");
        };
        assert_eq!(*traced, group);
        let names: Vec<&str> = parts.iter().map(|p| p.name).collect();
        let (ecdh_len, expected) = match group {
            NamedGroup::X25519MlKem768 => (32, ["ML-KEM-768", "X25519"]),
            _ => (65, ["secp256r1", "ML-KEM-768"]),
        };
        assert_eq!(names, expected);
        assert_eq!(client_share.len(), 1184 + ecdh_len);
        assert_eq!(server_share.len(), 1088 + ecdh_len);
        // The shares and the secret are the parts' bytes, end to end.
        let joined = |f: &dyn Fn(&lucid_tls::trace::KeyExchangePart) -> Vec<u8>| {
            parts.iter().flat_map(f).collect::<Vec<u8>>()
        };
        assert_eq!(&joined(&|p| p.client_share.clone()), client_share);
        assert_eq!(&joined(&|p| p.server_share.clone()), server_share);
        assert_eq!(
            joined(&|p| p.secret.as_bytes().to_vec()),
            shared_secret.as_bytes()
        );
        assert_eq!(shared_secret.as_bytes().len(), 64);
        // The server saw the same exchange.
        let Some(TraceEvent::KeyExchangeCompleted {
            shared_secret: server_secret,
            ..
        }) = server_side.first()
        else {
            panic!("one key exchange on the server");
        };
        assert_eq!(server_secret.as_bytes(), shared_secret.as_bytes());
    }
}

#[test]
fn server_asks_for_the_hybrid_listed_without_a_share() {
    // The client shares X25519 only, but lists X25519MLKEM768 too: the default server
    // prefers the hybrid and asks for it (RFC 9846 §4.2.4, HelloRetryRequest).
    let mut client = client_config();
    client.key_share_groups = vec![NamedGroup::X25519];
    client.supported_groups = vec![NamedGroup::X25519, NamedGroup::X25519MlKem768];
    let mut pair = connect(client, server_config(), None, 3);
    let flights = run(&mut pair);
    assert!(saw_hello_retry(&flights));
    let group = pair.client.negotiated().unwrap().key_exchange_group;
    assert_eq!(group, Some(NamedGroup::X25519MlKem768));
}

#[test]
fn server_without_the_hybrid_takes_the_second_share() {
    let mut server = server_config();
    server.key_share_groups = vec![NamedGroup::X25519, NamedGroup::Secp256r1];
    let mut pair = connect(client_config(), server, None, 4);
    let flights = run(&mut pair);
    assert!(!saw_hello_retry(&flights));
    let group = pair.client.negotiated().unwrap().key_exchange_group;
    assert_eq!(group, Some(NamedGroup::X25519));
}

/// Accepts exactly the RFC's certificate from clients.
struct PinnedClientCert;

impl ClientCertVerifier for PinnedClientCert {
    fn verify(&self, end_entity: &[u8], _: &[&[u8]], _now: Time) -> Answer {
        assert_eq!(end_entity, rfc_certificate());
        Answer::Now(Ok(()))
    }
}

#[test]
fn mutual_tls_over_both_hybrids() {
    for group in HYBRIDS {
        let mut client = client_config();
        client.key_share_groups = vec![group];
        client.supported_groups = vec![group];
        client.client_auth = vec![rfc_certified_key()];
        let mut server = server_config();
        server.client_auth = lucid_tls::server::ClientAuth::Required(Arc::new(PinnedClientCert));
        let mut pair = connect(client, server, None, 5);
        run(&mut pair);
        let negotiated = pair.server.negotiated().unwrap().clone();
        assert_eq!(negotiated.key_exchange_group, Some(group));
        assert_eq!(negotiated.peer_certificates, vec![rfc_certificate()]);
    }
}

/// The one plaintext handshake record at the front of `bytes`, decoded, and what follows.
fn first_message(bytes: &[u8]) -> (HandshakeMessage, &[u8]) {
    assert_eq!(bytes[0], 22, "a handshake record");
    let len = usize::from(u16::from_be_bytes([bytes[3], bytes[4]]));
    let message = HandshakeMessage::decode(&bytes[5..5 + len], None).unwrap();
    (message, &bytes[5 + len..])
}

/// `message` in a plaintext record.
fn record(message: &HandshakeMessage) -> Vec<u8> {
    let fragment = message.encode().unwrap();
    TLSPlaintext {
        content_type: ContentType::Handshake,
        legacy_record_version: 0x0303,
        fragment: &fragment,
    }
    .to_bytes()
    .unwrap()
}

/// A client offering only `group`, and a server for it, with the ClientHello taken.
fn fresh(group: NamedGroup, seed: u64) -> (ClientConnection, ServerConnection, Vec<u8>) {
    let mut client = client_config();
    client.key_share_groups = vec![group];
    client.supported_groups = vec![group];
    let mut pair = connect(client, server_config(), None, seed);
    let hello = pair.client.take_output();
    (pair.client, pair.server, hello)
}

/// The client's share in `hello` changed by `alter`, fed to the server: the error it
/// gives, and checks that it sent that alert.
fn server_refuses(group: NamedGroup, alter: impl Fn(&mut Vec<u8>)) -> Option<AlertDescription> {
    let (_, mut server, hello) = fresh(group, 6);
    let (mut message, _) = first_message(&hello);
    let HandshakeMessage::ClientHello(hello) = &mut message else {
        panic!("not a ClientHello");
    };
    for extension in &mut hello.extensions {
        if let Extension::KeyShareClientHello(shares) = extension {
            alter(&mut shares.client_shares[0].key_exchange);
        }
    }
    let now = lucid_tls::time::Time::from_unix_secs(1_748_736_000);
    let err = server.feed(now, &record(&message)).unwrap_err();
    let alert = err.alert();
    let sent = std::iter::from_fn(|| server.poll_event())
        .any(|e| matches!(e, Event::AlertSent(a) if Some(a) == alert));
    assert!(sent, "the server sent its alert");
    alert
}

#[test]
fn server_refuses_a_client_share_of_the_wrong_length() {
    for group in HYBRIDS {
        for alter in [
            |s: &mut Vec<u8>| s.truncate(s.len() - 1),
            |s: &mut Vec<u8>| s.push(0),
        ] {
            assert_eq!(
                server_refuses(group, alter),
                Some(AlertDescription::IllegalParameter),
                "{group:?}"
            );
        }
    }
}

#[test]
fn server_refuses_an_encapsulation_key_failing_the_modulus_check() {
    // FIPS 203 §7.2: a 12-bit coefficient 0xfff = 4095 is not below q = 3329.
    for group in HYBRIDS {
        let at = if group == NamedGroup::X25519MlKem768 {
            0
        } else {
            65
        };
        let alert = server_refuses(group, |s| {
            s[at] = 0xff;
            s[at + 1] |= 0x0f;
        });
        assert_eq!(alert, Some(AlertDescription::IllegalParameter), "{group:?}");
    }
}

#[test]
fn client_refuses_a_server_ciphertext_of_the_wrong_length() {
    for group in HYBRIDS {
        for cut in [1usize, 0] {
            let (mut client, mut server, hello) = fresh(group, 7);
            let now = lucid_tls::time::Time::from_unix_secs(1_748_736_000);
            server.feed(now, &hello).unwrap();
            let flight = server.take_output();
            let (mut message, _) = first_message(&flight);
            let HandshakeMessage::ServerHello(server_hello) = &mut message else {
                panic!("not a ServerHello");
            };
            for extension in &mut server_hello.extensions {
                if let Extension::KeyShareServerHello(share) = extension {
                    let KeyShareEntry { key_exchange, .. } = &mut share.server_share;
                    // One byte short, or one byte too many.
                    if cut == 1 {
                        key_exchange.pop();
                    } else {
                        key_exchange.push(0);
                    }
                }
            }
            let err = client.feed(now, &record(&message)).unwrap_err();
            assert_eq!(
                err.alert(),
                Some(AlertDescription::IllegalParameter),
                "{group:?}"
            );
            let sent = std::iter::from_fn(|| client.poll_event())
                .any(|e| matches!(e, Event::AlertSent(AlertDescription::IllegalParameter)));
            assert!(sent, "{group:?}: the client sent illegal_parameter");
        }
    }
}

#[test]
fn walkthrough_pq_shows_the_parts_and_matches_the_independent_mlkem() {
    let (text, all_equal) = pq_walk::walkthrough().unwrap();
    assert!(all_equal, "{text}");
    for line in [
        "    key_share X25519MLKEM768: 1216 bytes = ML-KEM-768 (1184) ‖ X25519 (32)",
        "    key_share X25519MLKEM768: 1120 bytes = ML-KEM-768 (1088) ‖ X25519 (32)",
        "      ✓ equals the independent ML-KEM-768's ek",
        "      ✓ equals the independent ML-KEM-768's c",
        "      ✓ equals the independent ML-KEM-768's k",
        "      ✓ equals RFC 7748 §6.1's shared secret of Alice and Bob",
        "    shared secret = ML-KEM-768 secret ‖ X25519 secret (64 bytes), joined as they are:",
        "Negotiated group: X25519MLKEM768. ML-KEM-768 values checked against the independent \
         implementation: 3 equal, 0 different.",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    // Fixed randomness: the same text every run.
    assert_eq!(pq_walk::walkthrough().unwrap().0, text);
}

/// Bytes on the wire of a full handshake (no application data) in `group`: client to
/// server, server to client.
fn handshake_bytes(group: NamedGroup) -> (usize, usize) {
    let mut client = client_config();
    client.key_share_groups = vec![group];
    client.supported_groups = vec![group];
    let mut stepped = connect(client, server_config(), None, 8);
    let flights = stepped.run(8);
    assert!(stepped.client.negotiated().is_some());
    let sent = |side| {
        flights
            .iter()
            .filter(|f| f.from == side)
            .map(|f| f.bytes.len())
            .sum()
    };
    (sent(Side::Client), sent(Side::Server))
}

#[test]
fn bytes_on_the_wire_x25519_against_the_hybrid() {
    let classical = handshake_bytes(NamedGroup::X25519);
    let hybrid = handshake_bytes(NamedGroup::X25519MlKem768);
    // The client's share grows by the encapsulation key, the server's by the ciphertext
    // (docs/performance.md quotes these totals).
    assert_eq!(hybrid.0 - classical.0, 1184);
    assert_eq!(hybrid.1 - classical.1, 1088);
    assert_eq!((classical, hybrid), ((216, 744), (1400, 1832)));
}
