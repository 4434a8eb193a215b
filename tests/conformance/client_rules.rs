//! Receiver-side rules of RFC 9846 the client enforces on what a server sends: its
//! ServerHello's PSK choice, EncryptedExtensions' early_data, the order of the encrypted
//! flight, change_cipher_spec after the server's Finished, and post-handshake messages.
//! Each test changes one thing in a real server's flight (re-sealed with the server's real
//! keys where it is encrypted) and asserts the alert the client puts on the wire.

use lucid_tls::client::{ClientConfig, ExternalPsk, Ticket};
use lucid_tls::crypto::Secret;
use lucid_tls::pair::{Flight, Pair, Side, split_records};
use lucid_tls::server::ServerConfig;
use lucid_tls::trace::Epoch;
use lucid_tls::wire::alert::AlertDescription::{
    self, DecryptError, IllegalParameter, MissingExtension, UnexpectedMessage, UnsupportedExtension,
};
use lucid_tls::wire::algorithms::{CipherSuite, SignatureScheme};
use lucid_tls::wire::certificate_request::CertificateRequest;
use lucid_tls::wire::codes::{ContentType, KeyUpdateRequest};
use lucid_tls::wire::extensions::{Extension, MaxFragmentLength, SignatureSchemeList};
use lucid_tls::wire::handshake::HandshakeMessage;
use lucid_tls::wire::key_update::KeyUpdate;

use super::common::setup::{
    client_config, connect, events, run, server_config, ticket_server, tickets,
};
use super::harness::{
    assert_fatal, assert_refuses, feed, intercept, message, open_server_flight, plaintext_message,
    plaintext_record, seal, seal_server_flight, write_key,
};

/// A ticket from a full handshake between `client` and `server`.
fn ticket(client: ClientConfig, server: ServerConfig) -> Ticket {
    let mut pair = connect(client, server, None, 30);
    tickets(&events(&run(&mut pair), Side::Client)).remove(0)
}

/// A pair whose client resumes a ticket; the ClientHello has reached the server, whose
/// flight is returned undelivered.
fn resumed_server_flight(seed: u64) -> (Pair, Vec<u8>) {
    let server = ticket_server(1, 1024);
    let ticket = ticket(client_config(), server.clone());
    let mut pair = connect(client_config(), server, Some(ticket), seed);
    pair.step_from(Side::Client);
    let (_, bytes) = intercept(&mut pair, Side::Server);
    (pair, bytes)
}

/// The ServerHello of a server flight, changed by `change`, as a record.
fn changed_server_hello(bytes: &[u8], change: impl FnOnce(&mut ServerHelloFields)) -> Vec<u8> {
    let HandshakeMessage::ServerHello(mut hello) = plaintext_message(split_records(bytes)[0])
    else {
        panic!("the flight starts with a ServerHello")
    };
    change(&mut hello);
    plaintext_record(
        ContentType::Handshake,
        &message(&HandshakeMessage::ServerHello(hello)),
    )
}

type ServerHelloFields = lucid_tls::wire::server_hello::ServerHello;

/// RFC 9846 §4.3.11: "Clients MUST verify that the server's selected_identity is within the
/// range supplied by the client [...] If these values are not consistent, the client MUST
/// abort the handshake with an "illegal_parameter" alert."
#[test]
fn client_refuses_a_selected_psk_identity_out_of_range() {
    let (mut pair, bytes) = resumed_server_flight(31);
    let record = changed_server_hello(&bytes, |hello| {
        let index = hello.extensions.iter_mut().find_map(|e| match e {
            Extension::PreSharedKeyServerHello(index) => Some(index),
            _ => None,
        });
        let index = index.expect("the server accepted the ticket");
        assert_eq!(*index, 0);
        *index = 1; // the client offered one identity
    });
    assert_refuses(&mut pair, Side::Client, &record, IllegalParameter);
}

/// RFC 9846 §4.3.11: the client MUST verify "that the server selected a cipher suite
/// indicating a Hash associated with the PSK"; if not, illegal_parameter.
#[test]
fn client_refuses_a_psk_with_another_hash_than_the_suite() {
    let (mut pair, bytes) = resumed_server_flight(32);
    let record = changed_server_hello(&bytes, |hello| {
        // The ticket is for SHA-256; SHA-384 is a suite the client offered.
        assert_eq!(hello.cipher_suite, CipherSuite::TLS_AES_128_GCM_SHA256);
        hello.cipher_suite = CipherSuite::TLS_AES_256_GCM_SHA384;
    });
    assert_refuses(&mut pair, Side::Client, &record, IllegalParameter);
}

/// RFC 9846 §4.3.11: the client MUST verify "that a server "key_share" extension is
/// present if required by the ClientHello "psk_key_exchange_modes" extension"; if not,
/// illegal_parameter. The client offers psk_dhe_ke only.
#[test]
fn client_refuses_a_psk_without_the_key_share_its_mode_needs() {
    let (mut pair, bytes) = resumed_server_flight(75);
    assert_eq!(
        client_config().psk_modes,
        [lucid_tls::wire::codes::PskKeyExchangeMode::PskDheKe]
    );
    let record = changed_server_hello(&bytes, |hello| {
        let before = hello.extensions.len();
        hello
            .extensions
            .retain(|e| !matches!(e, Extension::KeyShareServerHello(_)));
        assert_eq!(hello.extensions.len(), before - 1);
    });
    assert_refuses(&mut pair, Side::Client, &record, IllegalParameter);
}

/// A full handshake's server flight, opened: the pair (ClientHello delivered), the
/// flight's trace, the ServerHello record and the encrypted messages.
fn full_server_flight(seed: u64) -> (Pair, Vec<Flight>, Vec<u8>, Vec<Vec<u8>>) {
    server_flight(client_config(), server_config(), seed)
}

/// Like [`full_server_flight`], with these configs.
fn server_flight(
    client: ClientConfig,
    server: ServerConfig,
    seed: u64,
) -> (Pair, Vec<Flight>, Vec<u8>, Vec<Vec<u8>>) {
    let mut pair = connect(client, server, None, seed);
    let hello = pair.step_from(Side::Client);
    let (flight, bytes) = intercept(&mut pair, Side::Server);
    let flights = vec![hello, flight];
    let (server_hello, messages) = open_server_flight(&flights, &bytes);
    (pair, flights, server_hello, messages)
}

/// `messages[0]`, an EncryptedExtensions, with `extension` added.
fn with_extension(messages: &mut [Vec<u8>], extension: Extension) {
    let Ok(HandshakeMessage::EncryptedExtensions(mut ee)) =
        HandshakeMessage::decode(&messages[0], None)
    else {
        panic!("the encrypted flight starts with EncryptedExtensions")
    };
    ee.extensions.push(extension);
    messages[0] = message(&HandshakeMessage::EncryptedExtensions(ee));
}

/// RFC 9846 §4.3: "Implementations MUST NOT send extension responses [...] if the remote
/// endpoint did not send the corresponding extension requests [...]. Upon receiving such
/// an extension, an endpoint MUST abort the handshake with an "unsupported_extension"
/// alert." Here: early_data in EncryptedExtensions to a client that offered no 0-RTT.
#[test]
fn client_refuses_early_data_in_encrypted_extensions_it_did_not_offer() {
    let (mut pair, flights, server_hello, mut messages) = full_server_flight(33);
    with_extension(&mut messages, Extension::EarlyData);
    let bytes = seal_server_flight(&flights, &server_hello, &messages);
    assert_refuses(&mut pair, Side::Client, &bytes, UnsupportedExtension);
}

/// RFC 9846 §4.3.11: "If the server supplies an "early_data" extension, the client MUST
/// verify that the server's selected_identity is 0. If any other value is returned, the
/// client MUST abort the handshake with an "illegal_parameter" alert."
///
/// The client offers a ticket (identity 0, allowing 0-RTT) and an external PSK (identity
/// 1); the server, which cannot read the ticket, selects the external PSK, and its
/// EncryptedExtensions is changed to accept 0-RTT. The server, having rejected 0-RTT,
/// reads the handshake key: the client rekeys to it before its alert (RFC 9846
/// Appendix A.1), so the server decodes the alert.
#[test]
fn client_refuses_early_data_accepted_for_a_psk_other_than_the_first() {
    let mut client = client_config();
    client.enable_early_data = true;
    let issued = ticket(client.clone(), ticket_server(1, 1024));
    assert_eq!(issued.max_early_data_size, Some(1024));
    client.external_psks = vec![ExternalPsk {
        identity: b"second".to_vec(),
        secret: Secret::new(&[0x21; 32]),
        cipher_suite: CipherSuite::TLS_AES_128_GCM_SHA256,
    }];
    let mut server = server_config();
    server.external_psks = vec![ExternalPsk {
        identity: b"second".to_vec(),
        secret: Secret::new(&[0x21; 32]),
        cipher_suite: CipherSuite::TLS_AES_128_GCM_SHA256,
    }];
    let mut pair = connect(client, server, Some(issued), 34);
    let hello_flight = pair.step_from(Side::Client);
    let (flight, bytes) = intercept(&mut pair, Side::Server);
    let flights = vec![hello_flight, flight];
    let HandshakeMessage::ServerHello(hello) = plaintext_message(split_records(&bytes)[0]) else {
        panic!("a ServerHello")
    };
    assert!(
        hello
            .extensions
            .contains(&Extension::PreSharedKeyServerHello(1)),
        "the server selected the external PSK"
    );
    let (server_hello, mut messages) = open_server_flight(&flights, &bytes);
    with_extension(&mut messages, Extension::EarlyData);
    let bytes = seal_server_flight(&flights, &server_hello, &messages);
    let result = feed(&mut pair, Side::Client, &bytes);
    assert_fatal(
        &mut pair,
        Side::Client,
        result,
        AlertDescription::IllegalParameter,
    );
}

/// The last message of the server's encrypted flight (its Finished), with `before`
/// inserted ahead of it, sealed as `content_type` in a record of its own.
fn before_server_finished(seed: u64, content_type: ContentType, before: &[u8]) -> (Pair, Vec<u8>) {
    let (pair, flights, server_hello, messages) = full_server_flight(seed);
    let key = write_key(&flights, Side::Server, Epoch::Handshake);
    let (finished, head) = messages.split_last().unwrap();
    let mut contents: Vec<(ContentType, &[u8])> = head
        .iter()
        .map(|m| (ContentType::Handshake, m.as_slice()))
        .collect();
    contents.push((content_type, before));
    contents.push((ContentType::Handshake, finished));
    (pair, [server_hello, seal(key, 0, &contents)].concat())
}

/// RFC 9846 §2: application data is protected by traffic keys derived after the
/// handshake, and RFC 9846 Appendix A.1 has no application data before CONNECTED; a
/// protected application_data record under the handshake key is an unexpected message
/// (RFC 9846 §5: an unexpected record type MUST give unexpected_message).
#[test]
fn client_refuses_application_data_before_the_servers_finished() {
    let (mut pair, bytes) = before_server_finished(35, ContentType::ApplicationData, b"early?");
    assert_refuses(&mut pair, Side::Client, &bytes, UnexpectedMessage);
}

/// RFC 9846 §4.7.3: "Implementations that receive a KeyUpdate message prior to receiving
/// a Finished message MUST terminate the connection with an "unexpected_message" alert."
#[test]
fn client_refuses_a_key_update_before_the_servers_finished() {
    let key_update = message(&HandshakeMessage::KeyUpdate(KeyUpdate {
        request_update: KeyUpdateRequest::UpdateNotRequested,
    }));
    let (mut pair, bytes) = before_server_finished(36, ContentType::Handshake, &key_update);
    assert_refuses(&mut pair, Side::Client, &bytes, UnexpectedMessage);
}

/// RFC 9846 §5: "If an implementation detects a change_cipher_spec record received before
/// the first ClientHello message or after the peer's Finished message, it MUST be treated
/// as an unexpected record type" (unexpected_message); here in a whole handshake, right
/// after the server's Finished.
#[test]
fn client_refuses_change_cipher_spec_after_the_servers_finished() {
    let mut pair = connect(client_config(), server_config(), None, 37);
    pair.step_from(Side::Client);
    let (_, bytes) = intercept(&mut pair, Side::Server);
    let ccs = plaintext_record(ContentType::ChangeCipherSpec, &[1]);
    assert_refuses(
        &mut pair,
        Side::Client,
        &[bytes, ccs].concat(),
        AlertDescription::UnexpectedMessage,
    );
}

/// RFC 9846 §5.1: "Implementations MUST verify that all messages immediately preceding a
/// key change align with a record boundary; if not, then they MUST terminate the
/// connection with an "unexpected_message" alert." After the handshake, the server's
/// KeyUpdate is followed by a second one in the same record.
#[test]
fn client_refuses_a_key_update_not_at_the_end_of_its_record() {
    let mut pair = connect(client_config(), server_config(), None, 78);
    let flights = run(&mut pair);
    let key_update = message(&HandshakeMessage::KeyUpdate(KeyUpdate {
        request_update: KeyUpdateRequest::UpdateNotRequested,
    }));
    let two = [key_update.clone(), key_update].concat();
    // The server sent nothing under its application key yet (no tickets): sequence 0.
    let key = write_key(&flights, Side::Server, Epoch::Application(0));
    let record = seal(key, 0, &[(ContentType::Handshake, &two)]);
    assert_refuses(&mut pair, Side::Client, &record, UnexpectedMessage);
}

/// RFC 9846 §4.7.2: "A client that receives a CertificateRequest message without having
/// sent the "post_handshake_auth" extension MUST send an "unexpected_message" fatal
/// alert."
#[test]
fn client_refuses_a_post_handshake_certificate_request_it_did_not_offer() {
    let mut pair = connect(client_config(), server_config(), None, 38);
    let flights = run(&mut pair);
    assert!(!pair.client.is_handshaking());
    let request = message(&HandshakeMessage::CertificateRequest(CertificateRequest {
        certificate_request_context: vec![7],
        extensions: vec![Extension::SignatureAlgorithms(SignatureSchemeList {
            supported_signature_algorithms: vec![SignatureScheme::EcdsaSecp256r1Sha256],
        })],
    }));
    // The server sent nothing under its application key yet (no tickets): sequence 0.
    let key = write_key(&flights, Side::Server, Epoch::Application(0));
    let record = seal(key, 0, &[(ContentType::Handshake, &request)]);
    assert_refuses(&mut pair, Side::Client, &record, UnexpectedMessage);
}

/// RFC 9846 §4.6: "Servers MUST NOT send this message, and clients receiving it MUST
/// terminate the connection with an "unexpected_message" alert."
#[test]
fn client_refuses_end_of_early_data_from_the_server() {
    let eoed = message(&HandshakeMessage::EndOfEarlyData(
        lucid_tls::wire::end_of_early_data::EndOfEarlyData,
    ));
    let (mut pair, bytes) = before_server_finished(39, ContentType::Handshake, &eoed);
    assert_refuses(&mut pair, Side::Client, &bytes, UnexpectedMessage);
}

/// RFC 9846 §4.4.2: in CertificateRequest, "The "signature_algorithms" extension MUST be
/// specified"; without it the client cannot choose a scheme (RFC 9846 §9.2 names
/// missing_extension for a missing mandatory extension).
#[test]
fn client_refuses_a_certificate_request_without_signature_algorithms() {
    let (mut pair, flights, server_hello, mut messages, mut request) = certificate_request(70);
    request
        .extensions
        .retain(|e| !matches!(e, Extension::SignatureAlgorithms(_)));
    messages[1] = message(&HandshakeMessage::CertificateRequest(request));
    let bytes = seal_server_flight(&flights, &server_hello, &messages);
    assert_refuses(&mut pair, Side::Client, &bytes, MissingExtension);
}

/// A server flight with a CertificateRequest (client authentication optional), opened, and
/// that request decoded for the test to change.
fn certificate_request(
    seed: u64,
) -> (Pair, Vec<Flight>, Vec<u8>, Vec<Vec<u8>>, CertificateRequest) {
    let mut server = server_config();
    server.client_auth = lucid_tls::server::ClientAuth::Optional(std::sync::Arc::new(AnyClient));
    let (pair, flights, server_hello, messages) = server_flight(client_config(), server, seed);
    let Ok(HandshakeMessage::CertificateRequest(request)) =
        HandshakeMessage::decode(&messages[1], None)
    else {
        panic!("EncryptedExtensions, then CertificateRequest")
    };
    (pair, flights, server_hello, messages, request)
}

/// Accepts any client certificate (the request is what the test is about).
struct AnyClient;

impl lucid_tls::server::ClientCertVerifier for AnyClient {
    fn verify(&self, _: &[u8], _: &[&[u8]], _: lucid_tls::time::Time) -> lucid_tls::verify::Answer {
        lucid_tls::verify::Answer::Now(Ok(()))
    }
}

/// A client offering both record_size_limit and max_fragment_length (512); the server's
/// EncryptedExtensions, opened, with its record_size_limit answer, ready to change.
fn limits_flight(seed: u64) -> (Pair, Vec<Flight>, Vec<u8>, Vec<Vec<u8>>) {
    let mut client = client_config();
    client.record_size_limit = Some(1000);
    client.max_fragment_length = Some(MaxFragmentLength::Len512);
    let mut server = server_config();
    server.record_size_limit = Some(2000);
    server_flight(client, server, seed)
}

/// RFC 8449 §5: "A server that supports the "record_size_limit" extension MUST ignore a
/// "max_fragment_length" that appears in a ClientHello if both extensions appear."
#[test]
fn server_ignores_max_fragment_length_beside_record_size_limit() {
    let (_, _, _, messages) = limits_flight(71);
    let Ok(HandshakeMessage::EncryptedExtensions(ee)) =
        HandshakeMessage::decode(&messages[0], None)
    else {
        panic!("EncryptedExtensions")
    };
    assert!(ee.extensions.contains(&Extension::RecordSizeLimit(2000)));
    assert!(
        !ee.extensions
            .iter()
            .any(|e| matches!(e, Extension::MaxFragmentLength(_)))
    );
}

/// RFC 8449 §5: "A client MUST treat receipt of both "max_fragment_length" and
/// "record_size_limit" as a fatal error, and it SHOULD generate an "illegal_parameter"
/// alert."
#[test]
fn client_refuses_record_size_limit_and_max_fragment_length_together() {
    let (mut pair, flights, server_hello, mut messages) = limits_flight(72);
    with_extension(
        &mut messages,
        Extension::MaxFragmentLength(MaxFragmentLength::Len512),
    );
    let bytes = seal_server_flight(&flights, &server_hello, &messages);
    assert_refuses(&mut pair, Side::Client, &bytes, IllegalParameter);
}

/// RFC 6066 §4: "if a client receives a maximum fragment length negotiation response that
/// differs from the length it requested, it MUST also abort the handshake with an
/// "illegal_parameter" alert."
#[test]
fn client_refuses_a_max_fragment_length_it_did_not_request() {
    let mut client = client_config();
    client.max_fragment_length = Some(MaxFragmentLength::Len512);
    let (mut pair, flights, server_hello, mut messages) =
        server_flight(client, server_config(), 73);
    let Ok(HandshakeMessage::EncryptedExtensions(mut ee)) =
        HandshakeMessage::decode(&messages[0], None)
    else {
        panic!("EncryptedExtensions")
    };
    let answer = ee.extensions.iter_mut().find_map(|e| match e {
        Extension::MaxFragmentLength(length) => Some(length),
        _ => None,
    });
    *answer.expect("the server accepted 512") = MaxFragmentLength::Len1024;
    messages[0] = message(&HandshakeMessage::EncryptedExtensions(ee));
    let bytes = seal_server_flight(&flights, &server_hello, &messages);
    assert_refuses(&mut pair, Side::Client, &bytes, IllegalParameter);
}

/// RFC 9846 §4.7.1, NewSessionTicket extensions: "Clients MUST ignore unrecognized
/// extensions." A ticket with an unknown extension is delivered like any other.
#[test]
fn client_ignores_unknown_extensions_in_a_new_session_ticket() {
    let mut pair = connect(client_config(), server_config(), None, 74);
    let flights = run(&mut pair);
    let ticket = message(&HandshakeMessage::NewSessionTicket(
        lucid_tls::wire::new_session_ticket::NewSessionTicket {
            ticket_lifetime: 3600,
            ticket_age_add: 7,
            ticket_nonce: vec![0],
            ticket: vec![0xaa; 40],
            extensions: vec![Extension::Unknown {
                typ: lucid_tls::wire::codes::ExtensionType::Unknown(0x7a7a),
                data: vec![1, 2, 3],
            }],
        },
    ));
    let key = write_key(&flights, Side::Server, Epoch::Application(0));
    let record = seal(key, 0, &[(ContentType::Handshake, &ticket)]);
    assert_eq!(feed(&mut pair, Side::Client, &record), Ok(record.len()));
    let delivered = std::iter::from_fn(|| pair.client.poll_event()).any(|e| {
        matches!(e, lucid_tls::connection::Event::NewSessionTicket(t) if t.ticket == vec![0xaa; 40])
    });
    assert!(delivered);
}

/// RFC 9846 §4.5.1: "Extensions in the Certificate message from the server MUST correspond
/// to ones from the ClientHello message", and §4.3: an extension response that was not
/// requested MUST abort the handshake with unsupported_extension. Here a
/// signed_certificate_timestamp the client never asked for.
#[test]
fn client_refuses_an_unrequested_extension_in_the_servers_certificate() {
    let (mut pair, flights, server_hello, mut messages) = full_server_flight(76);
    let Ok(HandshakeMessage::Certificate(mut certificate)) =
        HandshakeMessage::decode(&messages[1], None)
    else {
        panic!("EncryptedExtensions, then Certificate")
    };
    certificate.certificate_list[0]
        .extensions
        .push(Extension::Unknown {
            typ: lucid_tls::wire::codes::ExtensionType::from_u16(18),
            data: vec![0, 0],
        });
    messages[1] = message(&HandshakeMessage::Certificate(certificate));
    let bytes = seal_server_flight(&flights, &server_hello, &messages);
    assert_refuses(&mut pair, Side::Client, &bytes, UnsupportedExtension);
}

/// RFC 9846 §4.4.2, CertificateRequest extensions: "Clients MUST ignore unrecognized
/// extensions." The changed request is accepted (the client reads on to the
/// CertificateVerify, whose signature then fails over the changed transcript: RFC 9846
/// §4.5.2, decrypt_error), not refused as unsupported or illegal.
#[test]
fn client_ignores_unknown_extensions_in_a_certificate_request() {
    let (mut pair, flights, server_hello, mut messages, mut request) = certificate_request(77);
    request.extensions.push(Extension::Unknown {
        typ: lucid_tls::wire::codes::ExtensionType::from_u16(0x7a7a),
        data: vec![9; 5],
    });
    messages[1] = message(&HandshakeMessage::CertificateRequest(request));
    let bytes = seal_server_flight(&flights, &server_hello, &messages);
    let result = feed(&mut pair, Side::Client, &bytes);
    let accepted: Vec<&'static str> = std::iter::from_fn(|| pair.client.poll_trace())
        .filter_map(|t| match t {
            lucid_tls::trace::TraceEvent::StateChanged { to, .. } => Some(to),
            _ => None,
        })
        .collect();
    assert!(accepted.contains(&"WAIT_CV"), "{accepted:?}");
    assert_fatal(&mut pair, Side::Client, result, DecryptError);
}
