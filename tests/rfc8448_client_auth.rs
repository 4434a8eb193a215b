//! RFC 8448 §6, "Client Authentication", replayed through the client engine.
//!
//! The server asks for a certificate (CertificateRequest); the client answers with the
//! RFC's certificate and CertificateVerify. RFC 8448 does not publish the client's private
//! key, so the client's key is a `ReplaySigner` that returns the RFC's signature, after
//! checking it against the client certificate's public key over the content the engine
//! asked it to sign: the engine must have built exactly the RFC's signed content. The
//! server's ECDSA CertificateVerify is verified for real.

mod common;

#[allow(unused_imports)]
use common::server_replay::*;

use std::sync::Arc;

use common::check::{check_client_keys, check_secrets, first_server_flight};
use common::client_replay::{HS, Step, replay_client};
use common::later::Later;
use common::nss::{hello_rng, nss_client_config};
use common::vectors::{self, Trace};
use lucid_tls::CertifiedKey;
use lucid_tls::Error;
use lucid_tls::client::{ClientConnection, ServerCertVerifier};
use lucid_tls::connection::{Event, RequestKind};
use lucid_tls::crypto::SigningKey;
use lucid_tls::rfc8448::endpoints::replayed_key;
use lucid_tls::time::Time;
use lucid_tls::trace::TraceEvent;
use lucid_tls::verify::Answer;
use lucid_tls::wire::algorithms::SignatureScheme;
use lucid_tls::wire::codes::CertificateType;

const NOW: Time = Time::from_unix_secs(1_748_736_000);

fn client_auth(trace: &Trace) -> CertifiedKey {
    let (certificate_chain, key) = replayed_key(trace, "client").unwrap();
    CertifiedKey::new(certificate_chain, key)
}

/// Answers every request `client` has made, as `verifier` and `key` would; returns the
/// kinds of the requests, in order.
fn answer_requests(
    client: &mut ClientConnection,
    verifier: &dyn ServerCertVerifier,
    key: &dyn SigningKey,
) -> Vec<RequestKind> {
    let mut kinds = Vec::new();
    while let Some(event) = client.poll_event() {
        match event {
            Event::VerifyRequest(r) => {
                assert_eq!(r.server_name.as_deref(), Some("server"));
                let im: Vec<&[u8]> = r.intermediates.iter().map(Vec::as_slice).collect();
                let Answer::Now(verdict) =
                    verifier.verify(&r.end_entity, &im, Some("server"), r.now)
                else {
                    panic!("the wrapped verifier answers at once")
                };
                client.answer_verification(r.id, verdict).unwrap();
                kinds.push(RequestKind::Verification);
            }
            Event::SignRequest(r) => {
                let signature = key.sign(
                    r.scheme,
                    &r.message,
                    &mut hello_rng(&vectors::load("client_auth")),
                );
                client
                    .answer_signature(r.id, signature.map_err(Error::from))
                    .unwrap();
                kinds.push(RequestKind::Signature);
            }
            _ => {}
        }
    }
    kinds
}

fn run_client(piece: usize) -> (ClientConnection, Vec<TraceEvent>) {
    run_client_deferring(piece, false)
}

/// The §6 client; with `deferred`, its verifier and its key both answer later, after the
/// whole server flight has been fed.
fn run_client_deferring(piece: usize, deferred: bool) -> (ClientConnection, Vec<TraceEvent>) {
    let trace = vectors::load("client_auth");
    let rng = hello_rng(&trace);
    let mut config = nss_client_config(&trace, false);
    let auth = client_auth(&trace);
    let (verifier, key) = (config.verifier.clone(), auth.key.clone());
    config.client_auth = vec![auth];
    if deferred {
        config.verifier = Arc::new(Later(verifier.clone()));
        config.client_auth[0].key = Arc::new(Later(key.clone()));
    }
    let client =
        ClientConnection::new(Arc::new(config), Some("server"), Box::new(rng), NOW).unwrap();
    let mut answer = |client: &mut ClientConnection| {
        if deferred {
            // Paused on the server's chain, with the rest of the flight buffered.
            assert_eq!(client.state_name(), "WAIT_CV");
            assert!(!client.has_output());
            let kinds = answer_requests(client, &*verifier, &*key);
            assert_eq!(kinds, [RequestKind::Verification, RequestKind::Signature]);
        }
    };
    let steps = vec![
        Step::Sends(&[(HS, 0)]),
        Step::Receives(&[(HS, 0), (HS, 1)]),
        Step::Then(&mut answer),
        Step::State("CONNECTED"),
        // Certificate, CertificateVerify and Finished, in one record.
        Step::Sends(&[(HS, 1)]),
    ];
    let replayed = replay_client(&trace, client, NOW, piece, steps);
    (replayed.client, replayed.traces)
}

#[test]
fn client_replays_rfc8448_client_auth_records() {
    let (client, _) = run_client(usize::MAX);
    let negotiated = client.negotiated().unwrap();
    assert_eq!(
        negotiated.signature_scheme,
        Some(SignatureScheme::EcdsaSecp256r1Sha256)
    );
    // No certificate type extension in §6: X.509 both ways (RFC 9846 §4.5.1.2).
    assert_eq!(
        negotiated.server_certificate_type,
        Some(CertificateType::X509)
    );
    assert_eq!(
        negotiated.client_certificate_type,
        Some(CertificateType::X509)
    );
}

#[test]
fn client_with_a_deferred_verifier_and_signer_replays_the_same_bytes() {
    // The RFC's records, byte for byte (checked inside), whether the decisions are made
    // at once or later; the traces differ only by the two requests and their answers.
    let trace = vectors::load("client_auth");
    for piece in [usize::MAX, 1] {
        let (client, traces) = run_client_deferring(piece, true);
        assert!(client.negotiated().is_some());
        assert_eq!(check_secrets(&trace, &traces), 10);
        let (_, immediate) = run_client(piece);
        let decisions = |t: &&TraceEvent| {
            matches!(
                t,
                TraceEvent::DecisionRequested { .. } | TraceEvent::DecisionAnswered { .. }
            )
        };
        assert_eq!(traces.iter().filter(decisions).count(), 4);
        let rest: Vec<String> = traces
            .iter()
            .filter(|t| !decisions(t))
            .map(|t| format!("{t:?}"))
            .collect();
        let immediate: Vec<String> = immediate.iter().map(|t| format!("{t:?}")).collect();
        assert_eq!(rest, immediate);
    }
}

#[test]
fn client_replays_rfc8448_client_auth_one_byte_at_a_time() {
    let (client, _) = run_client(1);
    assert!(client.negotiated().is_some());
}

#[test]
fn client_reports_every_rfc8448_client_auth_secret_and_key() {
    let trace = vectors::load("client_auth");
    let (_, traces) = run_client(usize::MAX);
    assert_eq!(check_secrets(&trace, &traces), 10);
    assert_eq!(check_client_keys(&trace, &traces), 4);
}

#[test]
fn client_without_a_certificate_sends_an_empty_one() {
    // Without client_auth the client answers the CertificateRequest with an empty
    // Certificate (RFC 9846 §4.5.1): its Finished then differs from the RFC's, but the
    // handshake completes on the client's side.
    let trace = vectors::load("client_auth");
    let rng = hello_rng(&trace);
    let config = nss_client_config(&trace, false);
    let mut client =
        ClientConnection::new(Arc::new(config), Some("server"), Box::new(rng), NOW).unwrap();
    client.take_output();
    let flight = first_server_flight(&trace);
    client.feed(NOW, &flight).unwrap();
    let sent: Vec<Vec<u8>> = std::iter::from_fn(|| client.poll_trace())
        .filter_map(|t| match t {
            TraceEvent::HandshakeMessage {
                direction: lucid_tls::trace::Direction::Sent,
                bytes,
                ..
            } => Some(bytes),
            _ => None,
        })
        .collect();
    // ClientHello, then Certificate with an empty context and list, then Finished.
    assert_eq!(sent.len(), 3);
    assert_eq!(sent[1], [0x0b, 0, 0, 4, 0, 0, 0, 0]);
    assert_eq!(sent[2][0], 0x14);
    // Asked, but no certificate sent: no client certificate type.
    let negotiated = client.negotiated().expect("the client completes");
    assert_eq!(
        negotiated.server_certificate_type,
        Some(CertificateType::X509)
    );
    assert_eq!(negotiated.client_certificate_type, None);
}

// ----- Server role ---------------------------------------------------------------------------

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
        assert_eq!(
            negotiated.client_certificate_type,
            Some(CertificateType::X509)
        );
        assert_eq!(
            negotiated.server_certificate_type,
            Some(CertificateType::X509)
        );
        if split == usize::MAX {
            assert_eq!(check_server_secrets(&trace, &traces(&mut server)), 11 + 8);
        }
    }
}

#[test]
fn rfc8448_client_auth_server_with_a_deferred_signer_and_verifier() {
    // §6's server whose key and client-certificate verifier both answer later: the same
    // bytes as the immediate server (checked inside `replay_answering`), after one
    // SignRequest (on the ClientHello) and one VerifyRequest (on the client's Certificate).
    use lucid_tls::rfc8448::endpoints::client_auth_server;
    use lucid_tls::server::ServerConnection;

    let trace = vectors::load("client_auth");
    let client_chain = lucid_tls::rfc8448::nss::certificate_chain(&trace, "client").unwrap();
    for split in [usize::MAX, 1] {
        let (mut config, rng) = client_auth_server(&trace, client_chain[0].clone()).unwrap();
        let key = config.certificates[0].key.clone();
        config.certificates[0].key = Arc::new(Later(key.clone()));
        let verifier = config.client_auth.verifier().unwrap().clone();
        config.client_auth =
            lucid_tls::server::ClientAuth::Required(Arc::new(Later(verifier.clone())));
        let mut server =
            ServerConnection::new(Arc::new(config), Box::new(rng.clone()), NOW).unwrap();
        let mut kinds = Vec::new();
        let events =
            replay_answering(
                &trace,
                &mut server,
                NOW,
                split,
                &mut |server, event| match event {
                    Event::SignRequest(r) => {
                        let signature = key.sign(r.scheme, &r.message, &mut rng.clone());
                        server
                            .answer_signature(r.id, signature.map_err(Error::from))
                            .unwrap();
                        kinds.push(RequestKind::Signature);
                    }
                    Event::VerifyRequest(r) => {
                        let im: Vec<&[u8]> = r.intermediates.iter().map(Vec::as_slice).collect();
                        let Answer::Now(verdict) = verifier.verify(&r.end_entity, &im, r.now)
                        else {
                            panic!("the wrapped verifier answers at once")
                        };
                        server.answer_verification(r.id, verdict).unwrap();
                        kinds.push(RequestKind::Verification);
                    }
                    _ => {}
                },
            );
        assert_eq!(kinds, [RequestKind::Signature, RequestKind::Verification]);
        assert_eq!(rng.remaining(), 0);
        assert_eq!(handshake_complete(&events).peer_certificates, client_chain);
    }
}
