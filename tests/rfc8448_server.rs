//! RFC 8448's traces replayed in the SERVER role: the server engine is fed the RFC's client
//! records and must answer with the RFC's server records, byte for byte, while reporting
//! every secret the RFC prints. One test function per trace.
//!
//! The servers are [`lucid_tls::rfc8448`]'s: NSS's configuration, the RFC's ticket and
//! cookie through the public issuer traits, and the server's randomness replayed in the
//! order documented in `docs/determinism.md` (ServerHello.random, the key share's private
//! key, the RSA-PSS salt of CertificateVerify, then per NewSessionTicket its
//! ticket_age_add). RFC 8448 does not print the PSS salts: `rfc8448::server_key` reads each
//! back out of the published signature with the public key, and the signature the engine
//! then produces must still match the RFC's bytes.

mod common;

use common::check::traced_secret;
use common::vectors::Trace;
use lucid_tls::connection::Event;
use lucid_tls::key_schedule::{PskKind, SecretLabel};
use lucid_tls::pair::Side;
use lucid_tls::rfc8448::{ReplayRng, Rfc8448Handshake, TraceName, expected};
use lucid_tls::server::ServerConnection;
use lucid_tls::time::Time;
use lucid_tls::trace::{Direction, Epoch, TraceEvent};
use lucid_tls::wire::algorithms::{CipherSuite, NamedGroup};

// ----- The replay ----------------------------------------------------------------------------

/// Feeds the trace's client records to `server` in RFC order (each in pieces of `split`
/// bytes), writing the server's application data and closing when the RFC's server does,
/// and checks that every byte the server sends is the RFC's, in order. (The RFC prints some
/// records in another order than they are produced: §4's server answers the ClientHello
/// before the 0-RTT record that follows it is read. So the output is checked as a growing
/// prefix of the RFC's server records.) Returns the events.
fn replay(trace: &Trace, server: &mut ServerConnection, now: Time, split: usize) -> Vec<Event> {
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
            events.extend(std::iter::from_fn(|| server.poll_event()));
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
fn server_secrets() -> impl Iterator<Item = SecretLabel> {
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
fn check_secrets(trace: &Trace, traces: &[TraceEvent]) -> usize {
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
fn rfc_server(name: TraceName) -> (ServerConnection, ReplayRng, Trace, Time) {
    let rfc = Rfc8448Handshake::new(name).unwrap();
    let now = rfc.pair.now;
    (rfc.pair.server, rfc.server_rng, rfc.trace, now)
}

fn handshake_complete(events: &[Event]) -> lucid_tls::connection::Negotiated {
    events
        .iter()
        .find_map(|e| match e {
            Event::HandshakeComplete(n) => Some(n.clone()),
            _ => None,
        })
        .expect("the handshake completed")
}

fn traces(server: &mut ServerConnection) -> Vec<TraceEvent> {
    std::iter::from_fn(|| server.poll_trace()).collect()
}

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
            let checked = check_secrets(&simple, &traces(&mut server));
            assert_eq!(checked, 12 + 8, "secrets and keys compared");
        }
    }
}

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
            assert_eq!(check_secrets(&hrr, &traces(&mut server)), 11 + 8);
        }
    }
}

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
            assert_eq!(check_secrets(&compat, &traces), 11 + 8);
            let dummies = traces
                .iter()
                .filter(|t| matches!(t, TraceEvent::ChangeCipherSpec { .. }))
                .count();
            assert_eq!(dummies, 2, "one sent, one received and dropped");
        }
    }
}

#[test]
fn rfc8448_resumed_0rtt_server() {
    // §4 resumes with the ticket §3's server issued: the §4 server shares §3's ticket store
    // and runs as much later as the §4 ClientHello's ticket age says.
    for split in [usize::MAX, 1] {
        let (mut server, rng, resumed, now) = rfc_server(TraceName::Resumed);
        let events = replay(&resumed, &mut server, now, split);
        assert_eq!(rng.remaining(), 0);
        let early = resumed
            .block("client", "send application_data")
            .get("payload");
        assert!(
            events
                .iter()
                .any(|e| matches!(e, Event::EarlyData(d) if d == early))
        );
        let negotiated = handshake_complete(&events);
        assert!(negotiated.early_data_accepted);
        assert_eq!(negotiated.psk, Some(PskKind::Resumption));
        if split == usize::MAX {
            let traces = traces(&mut server);
            assert_eq!(
                check_secrets(&resumed, &traces),
                11 + 10,
                "with the 0-RTT read key"
            );
            for label in [SecretLabel::ClientEarlyTraffic, SecretLabel::EarlyExporter] {
                let rfc_value = expected::secret(&resumed, label).unwrap();
                assert!(traces.iter().any(|t| matches!(t,
                    TraceEvent::SecretDerived { label: l, secret } if *l == label && secret.as_bytes() == rfc_value)));
            }
        }
    }
}

#[test]
fn rfc8448_client_auth_server() {
    // §6: the server (an ECDSA P-256 certificate whose private key RFC 8448 does not
    // publish, so its signature is replayed after being verified) asks for a client
    // certificate and checks the client's RSA-PSS CertificateVerify.
    for split in [usize::MAX, 1] {
        let (mut server, rng, trace, now) = rfc_server(TraceName::ClientAuth);
        let events = replay(&trace, &mut server, now, split);
        assert_eq!(rng.remaining(), 0);
        let negotiated = handshake_complete(&events);
        assert_eq!(
            negotiated.signature_scheme,
            Some(lucid_tls::wire::algorithms::SignatureScheme::RsaPssRsaeSha256)
        );
        let client_chain = lucid_tls::rfc8448::nss::certificate_chain(&trace, "client").unwrap();
        assert_eq!(negotiated.peer_certificates, client_chain);
        if split == usize::MAX {
            assert_eq!(check_secrets(&trace, &traces(&mut server)), 11 + 8);
        }
    }
}
