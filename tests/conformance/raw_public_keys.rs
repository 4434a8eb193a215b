//! Raw public keys (RFC 7250) in TLS 1.3, both roles: the handshakes that complete
//! (server key pinned by the client, client key pinned by the server, a server serving
//! both kinds of client), and each refusal with the alert RFC 7250 or RFC 9846 names:
//! no common certificate type, a type the client did not offer, a key that is not pinned,
//! a Certificate of more than one entry, an SPKI that does not parse, and a key whose
//! algorithm does not fit the CertificateVerify scheme.

use std::sync::Arc;

use lucid_tls::client::ClientConfig;
use lucid_tls::connection::Event;
use lucid_tls::credentials::CertifiedKey;
use lucid_tls::crypto::CryptoProvider;
use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::pair::{Flight, Pair, Side, split_records};
use lucid_tls::server::{ClientAuth, ServerConfig};
use lucid_tls::trace::Epoch;
use lucid_tls::verify::PinnedPublicKeys;
use lucid_tls::wire::alert::AlertDescription::{
    self, BadCertificate, CertificateUnknown, DecodeError, IllegalParameter, UnsupportedCertificate,
};
use lucid_tls::wire::certificate::CertificateEntry;
use lucid_tls::wire::codes::{CertificateType, ContentType};
use lucid_tls::wire::extensions::Extension;
use lucid_tls::wire::handshake::HandshakeMessage;

use super::common::later::Later;
use super::common::setup::{connect, events, run, ticket_server, tickets};
use super::harness::{
    assert_refuses, intercept, message, open_all, open_server_flight, seal, seal_server_flight,
    split_messages, write_key,
};

/// A fresh key of `alg`: its DER SubjectPublicKeyInfo, as a raw-public-key credential,
/// and a self-signed certificate for the same key.
struct Key {
    spki: Vec<u8>,
    raw: CertifiedKey,
    certificate: Vec<u8>,
}

fn key(alg: &'static rcgen::SignatureAlgorithm) -> Key {
    let pair = rcgen::KeyPair::generate_for(alg).unwrap();
    let signing = Arc::from(
        RustCryptoProvider
            .load_signing_key(&pair.serialize_der())
            .unwrap(),
    );
    let certificate = rcgen::CertificateParams::new(vec!["server".to_string()])
        .unwrap()
        .self_signed(&pair)
        .unwrap()
        .der()
        .to_vec();
    Key {
        spki: rcgen::PublicKeyData::subject_public_key_info(&pair),
        raw: CertifiedKey::from_raw_public_key(
            rcgen::PublicKeyData::subject_public_key_info(&pair),
            signing,
        ),
        certificate,
    }
}

fn p256() -> Key {
    key(&rcgen::PKCS_ECDSA_P256_SHA256)
}

/// A client that pins `pins` and takes only raw public keys from the server.
fn pinning_client(pins: &[&[u8]]) -> ClientConfig {
    let pins = pins.iter().map(|p| p.to_vec()).collect();
    let config = ClientConfig::builder(Arc::new(RustCryptoProvider))
        .pinned_public_keys(pins)
        .trace(true)
        .build()
        .unwrap();
    (*config).clone()
}

/// A server with `credentials`.
fn server(credentials: Vec<CertifiedKey>) -> ServerConfig {
    let mut config = ServerConfig::new(Arc::new(RustCryptoProvider), credentials);
    config.trace = true;
    config
}

/// A client that pins `certificate` (X.509 only: no certificate type extension).
fn x509_client(certificate: &[u8]) -> ClientConfig {
    let config = ClientConfig::builder(Arc::new(RustCryptoProvider))
        .pinned_certificates(vec![certificate.to_vec()])
        .trace(true)
        .build()
        .unwrap();
    (*config).clone()
}

/// A server with `server_key`'s raw key that requires the client's raw key `client_spki`.
fn server_requiring(server_key: &Key, client_spki: &[u8]) -> ServerConfig {
    let config = ServerConfig::builder(Arc::new(RustCryptoProvider))
        .certified_key(server_key.raw.clone())
        .require_client_raw_public_keys(vec![client_spki.to_vec()])
        .trace(true)
        .build()
        .unwrap();
    (*config).clone()
}

fn completed(flights: &[Flight], side: Side) -> Option<lucid_tls::connection::Negotiated> {
    flights
        .iter()
        .flat_map(|f| f.events_of(side))
        .find_map(|e| match e {
            Event::HandshakeComplete(negotiated) => Some(negotiated.clone()),
            _ => None,
        })
}

/// Runs the handshake and returns the alert `side` sent, asserting that it failed.
fn refused_by(mut pair: Pair, side: Side) -> AlertDescription {
    let flights = pair.run(64);
    let sent: Vec<AlertDescription> = flights
        .iter()
        .flat_map(|f| f.alerts())
        .filter(|(s, d, _)| *s == side && *d == lucid_tls::trace::Direction::Sent)
        .map(|(_, _, a)| a)
        .collect();
    assert_eq!(sent.len(), 1, "{side:?} sends one alert: {sent:?}");
    assert!(completed(&flights, side).is_none());
    sent[0]
}

/// The server's Certificate among its encrypted `messages`.
fn server_certificate(messages: &[Vec<u8>]) -> lucid_tls::wire::certificate::Certificate {
    let Ok(HandshakeMessage::Certificate(certificate)) =
        HandshakeMessage::decode(&messages[1], None)
    else {
        panic!("EncryptedExtensions, then Certificate")
    };
    certificate
}

// ---- Handshakes that complete ----

/// RFC 9846 §4.5.1: "If the RawPublicKey certificate type was negotiated, then the
/// certificate_list MUST contain no more than one CertificateEntry, which contains an
/// ASN1_subjectPublicKeyInfo value". The server's EncryptedExtensions says RawPublicKey,
/// its Certificate is the SPKI alone, and the CertificateVerify checks out with it.
#[test]
fn raw_public_key_server_authentication_completes() {
    let server_key = p256();
    let mut pair = connect(
        pinning_client(&[&server_key.spki]),
        server(vec![server_key.raw.clone()]),
        None,
        7250,
    );
    let flights = run(&mut pair);
    let client = completed(&flights, Side::Client).expect("the client completes");
    assert_eq!(
        &*client.peer_certificates,
        std::slice::from_ref(&server_key.spki)
    );
    // Both sides report the negotiated types: a raw key from the server, nothing from the
    // client (no CertificateRequest).
    let server_side = completed(&flights, Side::Server).expect("the server completes");
    for negotiated in [&client, &server_side] {
        assert_eq!(
            negotiated.server_certificate_type,
            Some(CertificateType::RawPublicKey)
        );
        assert_eq!(negotiated.client_certificate_type, None);
    }
    let sent = flights[1].received_messages();
    let HandshakeMessage::EncryptedExtensions(ee) = sent[1] else {
        panic!("ServerHello, then EncryptedExtensions: {sent:?}")
    };
    assert!(
        ee.extensions
            .contains(&Extension::ServerCertificateTypeSelected(
                CertificateType::RawPublicKey
            ))
    );
    let HandshakeMessage::Certificate(certificate) = sent[2] else {
        panic!("then Certificate")
    };
    assert_eq!(certificate.certificate_list.len(), 1);
    assert_eq!(certificate.certificate_list[0].cert_data, server_key.spki);
}

/// Both roles: the client's raw public key, pinned by the server (client_certificate_type
/// RawPublicKey in EncryptedExtensions), with Ed25519 on the server's side.
#[test]
fn raw_public_key_mutual_authentication_completes() {
    let server_key = key(&rcgen::PKCS_ED25519);
    let client_key = p256();
    let mut client = pinning_client(&[&server_key.spki]);
    client.client_auth.push(client_key.raw.clone());
    let server = server_requiring(&server_key, &client_key.spki);
    let mut pair = connect(client, server, None, 7251);
    let flights = run(&mut pair);
    let server_side = completed(&flights, Side::Server).expect("the server completes");
    assert_eq!(
        &*server_side.peer_certificates,
        std::slice::from_ref(&client_key.spki)
    );
    let client_side = completed(&flights, Side::Client).expect("the client completes");
    for negotiated in [&server_side, &client_side] {
        assert_eq!(
            negotiated.server_certificate_type,
            Some(CertificateType::RawPublicKey)
        );
        assert_eq!(
            negotiated.client_certificate_type,
            Some(CertificateType::RawPublicKey)
        );
    }
}

/// A server holding a certificate and the same key as a raw public key serves both: an
/// X.509 client gets the certificate, a raw-public-key client the SPKI.
#[test]
fn a_server_with_both_forms_serves_both_kinds_of_client() {
    let server_key = p256();
    let both = CertifiedKey::new(
        vec![server_key.certificate.clone()],
        server_key.raw.key.clone(),
    )
    .with_raw_public_key(server_key.spki.clone());
    let x509_client = x509_client(&server_key.certificate);
    let mut pair = connect(x509_client, server(vec![both.clone()]), None, 1);
    let flights = run(&mut pair);
    let negotiated = completed(&flights, Side::Client).expect("the X.509 client completes");
    assert_eq!(
        &*negotiated.peer_certificates,
        std::slice::from_ref(&server_key.certificate)
    );
    assert_eq!(
        negotiated.server_certificate_type,
        Some(CertificateType::X509)
    );
    let mut pair = connect(
        pinning_client(&[&server_key.spki]),
        server(vec![both]),
        None,
        2,
    );
    let flights = run(&mut pair);
    let negotiated = completed(&flights, Side::Client).expect("the raw-key client completes");
    assert_eq!(*negotiated.peer_certificates, [server_key.spki]);
    assert_eq!(
        negotiated.server_certificate_type,
        Some(CertificateType::RawPublicKey)
    );
}

/// A ticket from a raw-public-key handshake resumes: no Certificate follows, so no
/// certificate type is answered, and the client does not ask for one (RFC 7250's types
/// say what a Certificate carries, §4.2; a PSK handshake has none).
#[test]
fn raw_public_key_ticket_resumption_completes() {
    let server_key = p256();
    let mut server = ticket_server(1, 0);
    server.certificates = vec![server_key.raw.clone()];
    let client = pinning_client(&[&server_key.spki]);
    let mut pair = connect(client.clone(), server.clone(), None, 14);
    let ticket = tickets(&events(&run(&mut pair), Side::Client)).remove(0);
    let mut pair = connect(client, server, Some(ticket), 15);
    let flights = run(&mut pair);
    let resumed = completed(&flights, Side::Client).expect("the resumption completes");
    assert!(resumed.psk.is_some());
    assert_eq!(
        &*resumed.peer_certificates,
        std::slice::from_ref(&server_key.spki)
    );
    // No Certificate in this handshake: no type negotiated in it.
    assert_eq!(resumed.server_certificate_type, None);
    assert_eq!(resumed.client_certificate_type, None);
}

/// A verifier may decide on a raw public key later, in both roles, as on a chain
/// (`lucid_tls::connection::deferred`): the connection pauses with `Event::VerifyRequest`,
/// whose `end_entity` is the SubjectPublicKeyInfo and whose `intermediates` are empty.
#[test]
fn raw_public_key_verdicts_can_come_later_in_both_roles() {
    let server_key = p256();
    let client_key = p256();
    let mut client = pinning_client(&[&server_key.spki]);
    client.verifier = Arc::new(Later(Arc::new(PinnedPublicKeys::new(vec![]))));
    client.client_auth.push(client_key.raw.clone());
    let mut server = server_requiring(&server_key, &client_key.spki);
    server.client_auth =
        ClientAuth::Required(Arc::new(Later(Arc::new(PinnedPublicKeys::new(vec![])))));
    let mut pair = connect(client, server, None, 16);
    let mut requests = Vec::new();
    for _ in 0..16 {
        let Some(flight) = pair.step() else { break };
        assert_eq!(flight.result, Ok(()));
        for (side, event) in flight.events {
            if let Event::VerifyRequest(request) = event {
                assert!(request.intermediates.is_empty());
                let verdict = match side {
                    Side::Client => pair.client.answer_verification(request.id, Ok(())),
                    Side::Server => pair.server.answer_verification(request.id, Ok(())),
                };
                assert_eq!(verdict, Ok(()));
                requests.push((side, request.end_entity));
            }
        }
    }
    assert_eq!(
        requests,
        [
            (Side::Client, server_key.spki.clone()),
            (Side::Server, client_key.spki.clone())
        ]
    );
    assert!(!pair.client.is_handshaking() && !pair.server.is_handshaking());
}

/// `build` checks each raw public key against its private key, as it checks certificates:
/// an SPKI of another key, or a certificate and an SPKI of two different keys, is a
/// configuration error naming the field.
#[test]
fn build_refuses_a_raw_public_key_that_is_not_its_keys() {
    let (one, other) = (p256(), p256());
    let mismatched = CertifiedKey::from_raw_public_key(other.spki.clone(), one.raw.key.clone());
    let both = CertifiedKey::new(vec![one.certificate.clone()], one.raw.key.clone())
        .with_raw_public_key(other.spki.clone());
    for credential in [mismatched, both] {
        let err = ServerConfig::builder(Arc::new(RustCryptoProvider))
            .certified_key(credential.clone())
            .build()
            .unwrap_err();
        assert_eq!(err.field, "certificates", "{err}");
        let err = ClientConfig::builder(Arc::new(RustCryptoProvider))
            .pinned_public_keys(vec![one.spki.clone()])
            .client_auth(credential)
            .build()
            .unwrap_err();
        assert_eq!(err.field, "client_auth", "{err}");
    }
}

// ---- Refusals ----

/// RFC 7250 §4.2: a server that "does not have any certificate type in common with the
/// client" terminates the session "with a fatal alert of type "unsupported_certificate"".
/// Both ways: a client taking only raw public keys meets a server with only a
/// certificate, and a client taking only X.509 (no extension, so not RFC 7250's case, but
/// the same want of a common type: RFC 9846 §4.5.1.2, X.509 "unless explicitly negotiated
/// otherwise") meets a server with only a raw public key.
#[test]
fn server_refuses_a_client_hello_without_a_common_certificate_type() {
    let server_key = p256();
    let x509_only = CertifiedKey::new(
        vec![server_key.certificate.clone()],
        server_key.raw.key.clone(),
    );
    let pair = connect(
        pinning_client(&[&server_key.spki]),
        server(vec![x509_only]),
        None,
        3,
    );
    assert_eq!(refused_by(pair, Side::Server), UnsupportedCertificate);

    let x509_client = x509_client(&server_key.certificate);
    let pair = connect(x509_client, server(vec![server_key.raw]), None, 4);
    assert_eq!(refused_by(pair, Side::Server), UnsupportedCertificate);
}

/// client_certificate_type: a server that accepts only raw public keys from clients, and a
/// client that can only send a certificate (so it sends no client_certificate_type, and
/// its type is X.509, RFC 9846 §4.5.1.2). RFC 7250 §4.2 lets the server ask only for a
/// type "selected from one of the values provided in the client_certificate_type extension
/// sent in the client hello", so it has none to ask for; it refuses as §4.2 has a server
/// without a common type do: unsupported_certificate.
#[test]
fn server_refuses_a_client_without_a_common_client_certificate_type() {
    let server_key = p256();
    let client_key = p256();
    let mut client = pinning_client(&[&server_key.spki]);
    client.client_auth.push(CertifiedKey::new(
        vec![client_key.certificate.clone()],
        client_key.raw.key.clone(),
    ));
    let server = server_requiring(&server_key, &client_key.spki);
    let pair = connect(client, server, None, 5);
    assert_eq!(refused_by(pair, Side::Server), UnsupportedCertificate);
}

/// Under optional client authentication, the same client is let in unauthenticated: no
/// CertificateRequest, no client_certificate_type answer (RFC 7250 §4.2: the server then
/// omits it).
#[test]
fn optional_client_authentication_without_a_common_type_requests_no_certificate() {
    let server_key = p256();
    let client_key = p256();
    let mut client = pinning_client(&[&server_key.spki]);
    client.client_auth.push(CertifiedKey::new(
        vec![client_key.certificate.clone()],
        client_key.raw.key.clone(),
    ));
    let mut server = server_requiring(&server_key, &client_key.spki);
    server.client_auth =
        ClientAuth::Optional(Arc::new(PinnedPublicKeys::new(vec![client_key.spki])));
    let mut pair = connect(client, server, None, 17);
    let flights = run(&mut pair);
    let negotiated = completed(&flights, Side::Server).expect("the server completes");
    assert!(negotiated.peer_certificates.is_empty());
    assert_eq!(negotiated.client_certificate_type, None);
    assert_eq!(
        negotiated.server_certificate_type,
        Some(CertificateType::RawPublicKey)
    );
    let requested = flights[1]
        .received_messages()
        .iter()
        .any(|m| matches!(m, HandshakeMessage::CertificateRequest(_)));
    assert!(!requested);
}

/// A server answering server_certificate_type X509 to a client that offered RawPublicKey
/// alone answers with a type the client said nothing of being "able to process" (RFC 7250
/// §4.1); §4.2 leaves a server only the types "in common with the client" (and says of
/// client_certificate_type that the answer "MUST be selected from one of the values
/// provided"). RFC 7250 names no alert for it: illegal_parameter (RFC 9846 §6.2: "A field
/// in the handshake was incorrect or inconsistent with other fields").
#[test]
fn client_refuses_a_server_certificate_type_it_did_not_offer() {
    let server_key = p256();
    let (mut pair, flights, server_hello, mut messages) =
        raw_key_server_flight(&server_key, &[&server_key.spki], 6);
    let Ok(HandshakeMessage::EncryptedExtensions(mut ee)) =
        HandshakeMessage::decode(&messages[0], None)
    else {
        panic!("the encrypted flight starts with EncryptedExtensions")
    };
    for extension in &mut ee.extensions {
        if let Extension::ServerCertificateTypeSelected(selected) = extension {
            *selected = CertificateType::X509;
        }
    }
    messages[0] = message(&HandshakeMessage::EncryptedExtensions(ee));
    let bytes = seal_server_flight(&flights, &server_hello, &messages);
    assert_refuses(&mut pair, Side::Client, &bytes, IllegalParameter);
}

/// A raw public key that is not pinned: certificate_unknown, as a pinned-certificate
/// client refuses an unknown certificate (RFC 9846 §6.2: "Some other (unspecified) issue
/// arose in processing the certificate, rendering it unacceptable").
#[test]
fn client_refuses_a_raw_public_key_that_is_not_pinned() {
    let server_key = p256();
    let other = p256();
    let pair = connect(
        pinning_client(&[&other.spki]),
        server(vec![server_key.raw]),
        None,
        8,
    );
    assert_eq!(refused_by(pair, Side::Client), CertificateUnknown);
}

/// RFC 9846 §4.5.1: under RawPublicKey "the certificate_list MUST contain no more than
/// one CertificateEntry": two entries are a message of the wrong shape, decode_error.
#[test]
fn client_refuses_a_raw_public_key_certificate_of_two_entries() {
    let server_key = p256();
    let (mut pair, flights, server_hello, mut messages) =
        raw_key_server_flight(&server_key, &[&server_key.spki], 9);
    let mut certificate = server_certificate(&messages);
    let entry = certificate.certificate_list[0].clone();
    certificate.certificate_list.push(entry);
    messages[1] = message(&HandshakeMessage::Certificate(certificate));
    let bytes = seal_server_flight(&flights, &server_hello, &messages);
    assert_refuses(&mut pair, Side::Client, &bytes, DecodeError);
}

/// An entry that is not a DER SubjectPublicKeyInfo (RFC 7250 §3): bad_certificate (RFC
/// 9846 §6.2: "A certificate was corrupt"). The client pins the corrupt bytes, so the
/// refusal is the engine's, not the verifier's.
#[test]
fn client_refuses_a_raw_public_key_that_does_not_parse() {
    let server_key = p256();
    let mut corrupt = server_key.spki.clone();
    corrupt.push(0);
    let (mut pair, flights, server_hello, mut messages) =
        raw_key_server_flight(&server_key, &[&corrupt], 10);
    let mut certificate = server_certificate(&messages);
    certificate.certificate_list[0].cert_data = corrupt;
    messages[1] = message(&HandshakeMessage::Certificate(certificate));
    let bytes = seal_server_flight(&flights, &server_hello, &messages);
    assert_refuses(&mut pair, Side::Client, &bytes, BadCertificate);
}

/// RFC 9846 §4.5.2: the signature algorithm "MUST be compatible with the key": a pinned
/// P-256 key swapped in for the server's Ed25519 key, under an ed25519 CertificateVerify:
/// illegal_parameter.
#[test]
fn client_refuses_a_raw_public_key_that_does_not_fit_the_certificate_verify_scheme() {
    let server_key = key(&rcgen::PKCS_ED25519);
    let p256_key = p256();
    let (mut pair, flights, server_hello, mut messages) =
        raw_key_server_flight(&server_key, &[&p256_key.spki], 11);
    let mut certificate = server_certificate(&messages);
    certificate.certificate_list[0] = CertificateEntry {
        cert_data: p256_key.spki,
        extensions: Vec::new(),
    };
    messages[1] = message(&HandshakeMessage::Certificate(certificate));
    let bytes = seal_server_flight(&flights, &server_hello, &messages);
    assert_refuses(&mut pair, Side::Client, &bytes, IllegalParameter);
}

/// The server's side of RFC 9846 §4.5.1's one-entry rule: a client Certificate of two
/// entries under RawPublicKey: decode_error.
#[test]
fn server_refuses_a_raw_public_key_client_certificate_of_two_entries() {
    let server_key = p256();
    let client_key = p256();
    let mut client = pinning_client(&[&server_key.spki]);
    client.client_auth.push(client_key.raw.clone());
    let server = server_requiring(&server_key, &client_key.spki);
    let mut pair = connect(client, server, None, 12);
    let mut flights = vec![pair.step_from(Side::Client), pair.step_from(Side::Server)];
    let (flight, bytes) = intercept(&mut pair, Side::Client);
    flights.push(flight);
    let protected: Vec<&[u8]> = split_records(&bytes)
        .into_iter()
        .filter(|r| r[0] == 23)
        .collect();
    let key = write_key(&flights, Side::Client, Epoch::Handshake);
    let plaintext: Vec<u8> = open_all(key, &protected)
        .into_iter()
        .flat_map(|(_, content)| content)
        .collect();
    let mut messages = split_messages(&plaintext);
    let Ok(HandshakeMessage::Certificate(mut certificate)) =
        HandshakeMessage::decode(&messages[0], None)
    else {
        panic!("the client's flight starts with its Certificate")
    };
    let entry = certificate.certificate_list[0].clone();
    certificate.certificate_list.push(entry);
    messages[0] = message(&HandshakeMessage::Certificate(certificate));
    let contents: Vec<(ContentType, &[u8])> = messages
        .iter()
        .map(|m| (ContentType::Handshake, m.as_slice()))
        .collect();
    let key = write_key(&flights, Side::Client, Epoch::Handshake);
    assert_refuses(
        &mut pair,
        Side::Server,
        &seal(key, 0, &contents),
        DecodeError,
    );
}

/// The server flight of a handshake where the client pins `pins` (raw public keys only)
/// and the server has `server_key`'s raw key, opened: the pair, the flights, the
/// ServerHello record and the encrypted messages.
fn raw_key_server_flight(
    server_key: &Key,
    pins: &[&[u8]],
    seed: u64,
) -> (Pair, Vec<Flight>, Vec<u8>, Vec<Vec<u8>>) {
    let mut pair = connect(
        pinning_client(pins),
        server(vec![server_key.raw.clone()]),
        None,
        seed,
    );
    let hello = pair.step_from(Side::Client);
    let (flight, bytes) = intercept(&mut pair, Side::Server);
    let flights = vec![hello, flight];
    let (server_hello, messages) = open_server_flight(&flights, &bytes);
    (pair, flights, server_hello, messages)
}
