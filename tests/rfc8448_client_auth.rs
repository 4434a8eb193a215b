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

use common::check::{
    check_client_keys, check_secrets, feed_in_pieces, first_server_flight, record,
};
use common::nss::{hello_rng, nss_client_config};
use common::vectors::{self, Trace};
use lucid_tls::client::{ClientAuth, ClientConnection};
use lucid_tls::rfc8448::endpoints::replayed_key;
use lucid_tls::time::Time;
use lucid_tls::trace::TraceEvent;
use lucid_tls::wire::algorithms::SignatureScheme;

const NOW: Time = Time::from_unix_secs(1_748_736_000);

fn client_auth(trace: &Trace) -> ClientAuth {
    let (certificate_chain, key) = replayed_key(trace, "client").unwrap();
    ClientAuth {
        certificate_chain,
        key,
    }
}

fn run_client(piece: usize) -> (ClientConnection, Vec<TraceEvent>) {
    let trace = vectors::load("client_auth");
    let rng = hello_rng(&trace);
    let mut config = nss_client_config(&trace, false);
    config.client_auth = vec![client_auth(&trace)];
    let mut client =
        ClientConnection::new(Arc::new(config), Some("server"), Box::new(rng), NOW).unwrap();
    assert_eq!(
        client.take_output(),
        record(&trace, "client", "send handshake record", 0)
    );
    let flight = first_server_flight(&trace);
    feed_in_pieces(&mut client, NOW, &flight, piece);
    assert_eq!(client.state_name(), "CONNECTED");
    // Certificate, CertificateVerify and Finished, in one record.
    assert_eq!(
        client.take_output(),
        record(&trace, "client", "send handshake record", 1)
    );
    client.close();
    assert_eq!(
        client.take_output(),
        record(&trace, "client", "send alert record", 0)
    );
    feed_in_pieces(
        &mut client,
        NOW,
        record(&trace, "server", "send alert record", 0),
        piece,
    );
    let traces = std::iter::from_fn(|| client.poll_trace()).collect();
    (client, traces)
}

#[test]
fn client_replays_rfc8448_client_auth_records() {
    let (client, _) = run_client(usize::MAX);
    let negotiated = client.negotiated().unwrap();
    assert_eq!(
        negotiated.signature_scheme,
        Some(SignatureScheme::EcdsaSecp256r1Sha256)
    );
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
        if split == usize::MAX {
            assert_eq!(check_server_secrets(&trace, &traces(&mut server)), 11 + 8);
        }
    }
}
