//! Receiver-side rules of RFC 9846 the server enforces on what a client sends: the PSK
//! extensions of its ClientHello, 0-RTT limits, EndOfEarlyData's epoch, the order of the
//! client's second flight, change_cipher_spec after the client's Finished, and the
//! messages a client may not send after the handshake. Each test changes one thing in a
//! real client's output (sealed with the client's real keys where it is protected) and
//! asserts the alert the server puts on the wire.

use lucid_tls::client::{ClientConfig, Ticket};
use lucid_tls::pair::{Flight, Pair, Side, split_records};
use lucid_tls::trace::Epoch;
use lucid_tls::wire::alert::AlertDescription::{
    self, BadRecordMac, HandshakeFailure, MissingExtension, UnexpectedMessage,
};
use lucid_tls::wire::codes::{ContentType, KeyUpdateRequest};
use lucid_tls::wire::end_of_early_data::EndOfEarlyData;
use lucid_tls::wire::extensions::Extension;
use lucid_tls::wire::handshake::HandshakeMessage;
use lucid_tls::wire::key_update::KeyUpdate;
use lucid_tls::wire::new_session_ticket::NewSessionTicket;

use super::common::setup::{
    client_config, connect, events, run, server_config, ticket_server, tickets,
};
use super::harness::{
    assert_refuses, intercept, message, plaintext_message, plaintext_record, seal, write_key,
};

/// A ticket (allowing `max_early_data_size` bytes of 0-RTT) from a full handshake.
fn ticket(client: ClientConfig, max_early_data_size: u32) -> Ticket {
    let mut pair = connect(client, ticket_server(1, max_early_data_size), None, 40);
    tickets(&events(&run(&mut pair), Side::Client)).remove(0)
}

/// RFC 9846 §4.3.9: "If clients offer "pre_shared_key" without a
/// "psk_key_exchange_modes" extension, servers MUST abort the handshake"; RFC 9846 §9.2
/// names the alert: missing_extension.
#[test]
fn server_refuses_pre_shared_key_without_psk_key_exchange_modes() {
    let issued = ticket(client_config(), 1024);
    let mut pair = connect(client_config(), ticket_server(1, 1024), Some(issued), 41);
    let (_, bytes) = intercept(&mut pair, Side::Client);
    let HandshakeMessage::ClientHello(mut hello) = plaintext_message(&bytes) else {
        panic!("a ClientHello")
    };
    let before = hello.extensions.len();
    hello
        .extensions
        .retain(|e| !matches!(e, Extension::PskKeyExchangeModes(_)));
    assert_eq!(hello.extensions.len(), before - 1);
    assert!(matches!(
        hello.extensions.last(),
        Some(Extension::PreSharedKeyClientHello(_))
    ));
    let record = plaintext_record(
        ContentType::Handshake,
        &message(&HandshakeMessage::ClientHello(hello)),
    );
    assert_refuses(&mut pair, Side::Server, &record, MissingExtension);
}

/// A resumption with 0-RTT accepted: the client wrote `early` bytes of early data, the
/// server read them and its flight reached the client, whose second flight (EndOfEarlyData
/// under the 0-RTT key, Finished) is returned undelivered. The flights carry the trace.
fn accepted_early_data(max: u32, early: usize, seed: u64) -> (Pair, Vec<Flight>, Vec<u8>) {
    let mut client = client_config();
    client.enable_early_data = true;
    let issued = ticket(client.clone(), max);
    let mut pair = connect(client, ticket_server(1, max), Some(issued), seed);
    pair.client.write_early_data(&vec![0x45; early]).unwrap();
    let mut flights = vec![pair.step_from(Side::Client), pair.step_from(Side::Server)];
    assert!(pair.client.negotiated().unwrap().early_data_accepted);
    let (flight, bytes) = intercept(&mut pair, Side::Client);
    flights.push(flight);
    (pair, flights, bytes)
}

/// RFC 9846 §4.7.1: "A server receiving more than max_early_data_size bytes of 0-RTT data
/// SHOULD terminate the connection with an "unexpected_message" alert" (lucid-tls does).
/// The client's API refuses to write more, so the extra byte is sealed by the test under
/// the client's 0-RTT key, right after the accepted early data.
#[test]
fn server_refuses_more_0rtt_data_than_max_early_data_size() {
    let (mut pair, flights, _) = accepted_early_data(100, 100, 42);
    let early_records = split_records(&flights[0].bytes).len() - 1;
    let key = write_key(&flights, Side::Client, Epoch::Early);
    let extra = seal(
        key,
        early_records as u64,
        &[(ContentType::ApplicationData, b"!")],
    );
    assert_refuses(&mut pair, Side::Server, &extra, UnexpectedMessage);
}

/// RFC 9846 §4.3.10: with 0-RTT accepted, EndOfEarlyData "will be encrypted with the 0-RTT
/// traffic keys"; the server reads the early epoch until it arrives. An EndOfEarlyData
/// under the handshake key cannot be deprotected with the 0-RTT key: RFC 9846 §5.2, "If
/// the decryption fails, the receiver MUST terminate the connection with a
/// "bad_record_mac" alert."
#[test]
fn server_refuses_end_of_early_data_under_the_handshake_key() {
    let (mut pair, flights, _) = accepted_early_data(1024, 10, 43);
    let key = write_key(&flights, Side::Client, Epoch::Handshake);
    let eoed = message(&HandshakeMessage::EndOfEarlyData(EndOfEarlyData));
    let record = seal(key, 0, &[(ContentType::Handshake, &eoed)]);
    assert_refuses(&mut pair, Side::Server, &record, BadRecordMac);
}

/// RFC 9846 §4.6: EndOfEarlyData is sent only "If the server sent an "early_data"
/// extension in EncryptedExtensions"; without 0-RTT, one in the handshake epoch is a
/// message out of order (RFC 9846 §4: "A peer which receives a handshake message in an
/// unexpected order MUST abort the handshake with an "unexpected_message" alert").
#[test]
fn server_refuses_end_of_early_data_without_0rtt() {
    let eoed = message(&HandshakeMessage::EndOfEarlyData(EndOfEarlyData));
    let (mut pair, record) = before_client_finished(44, ContentType::Handshake, &eoed);
    assert_refuses(&mut pair, Side::Server, &record, UnexpectedMessage);
}

/// A full handshake up to the client's Finished, which is held back; instead, `content`
/// sealed as `content_type` under the client's handshake key (the first record under it).
fn before_client_finished(seed: u64, content_type: ContentType, content: &[u8]) -> (Pair, Vec<u8>) {
    let mut pair = connect(client_config(), server_config(), None, seed);
    let mut flights = vec![pair.step_from(Side::Client), pair.step_from(Side::Server)];
    let (flight, _) = intercept(&mut pair, Side::Client);
    flights.push(flight);
    let key = write_key(&flights, Side::Client, Epoch::Handshake);
    let record = seal(key, 0, &[(content_type, content)]);
    (pair, record)
}

/// RFC 9846 Appendix A.2: the server reads application data only once CONNECTED (after
/// the client's Finished); protected application data under the client's handshake key is
/// an unexpected record (RFC 9846 §5: unexpected_message).
#[test]
fn server_refuses_application_data_before_the_clients_finished() {
    let (mut pair, record) = before_client_finished(45, ContentType::ApplicationData, b"hi");
    assert_refuses(&mut pair, Side::Server, &record, UnexpectedMessage);
}

/// RFC 9846 §4.7.3: "Implementations that receive a KeyUpdate message prior to receiving
/// a Finished message MUST terminate the connection with an "unexpected_message" alert."
#[test]
fn server_refuses_a_key_update_before_the_clients_finished() {
    let key_update = message(&HandshakeMessage::KeyUpdate(KeyUpdate {
        request_update: KeyUpdateRequest::UpdateRequested,
    }));
    let (mut pair, record) = before_client_finished(46, ContentType::Handshake, &key_update);
    assert_refuses(&mut pair, Side::Server, &record, UnexpectedMessage);
}

/// RFC 9846 §5: a change_cipher_spec "after the peer's Finished message [...] MUST be
/// treated as an unexpected record type" (unexpected_message); here in a whole handshake,
/// right behind the client's Finished.
#[test]
fn server_refuses_change_cipher_spec_after_the_clients_finished() {
    let mut pair = connect(client_config(), server_config(), None, 47);
    pair.step_from(Side::Client);
    pair.step_from(Side::Server);
    let (_, finished) = intercept(&mut pair, Side::Client);
    let ccs = plaintext_record(ContentType::ChangeCipherSpec, &[1]);
    assert_refuses(
        &mut pair,
        Side::Server,
        &[finished, ccs].concat(),
        AlertDescription::UnexpectedMessage,
    );
}

/// A finished full handshake (no tickets, so the server sent nothing after it) and the
/// client's application key, at sequence number 0.
fn connected(seed: u64) -> (Pair, lucid_tls::record::nonce::TrafficKey) {
    let mut pair = connect(client_config(), server_config(), None, seed);
    let flights = run(&mut pair);
    assert!(!pair.server.is_handshaking());
    let key = write_key(&flights, Side::Client, Epoch::Application(0));
    (pair, key)
}

/// RFC 9846 §5.1: "Implementations MUST verify that all messages immediately preceding a
/// key change align with a record boundary; if not, then they MUST terminate the
/// connection with an "unexpected_message" alert." A KeyUpdate is a key change; here
/// another message follows it in the same record.
#[test]
fn server_refuses_a_key_update_not_at_the_end_of_its_record() {
    let (mut pair, key) = connected(48);
    let key_update = message(&HandshakeMessage::KeyUpdate(KeyUpdate {
        request_update: KeyUpdateRequest::UpdateNotRequested,
    }));
    let two = [key_update.clone(), key_update].concat();
    let record = seal(key, 0, &[(ContentType::Handshake, &two)]);
    assert_refuses(&mut pair, Side::Server, &record, UnexpectedMessage);
}

/// RFC 9846 §4.2.2: "If a server established a TLS connection with TLS 1.3 and receives a
/// ClientHello at any other time, it MUST terminate the connection with an
/// "unexpected_message" alert."
#[test]
fn server_refuses_a_client_hello_after_the_handshake() {
    let mut other = connect(client_config(), server_config(), None, 51);
    let (_, hello) = intercept(&mut other, Side::Client);
    let hello = plaintext_message(&hello);
    let (mut pair, key) = connected(49);
    let record = seal(key, 0, &[(ContentType::Handshake, &message(&hello))]);
    assert_refuses(&mut pair, Side::Server, &record, UnexpectedMessage);
}

/// RFC 9846 §4.7.1: "At any time after the server has received the client Finished
/// message, it MAY send a NewSessionTicket message": only the server sends one. A client's
/// is a message the server never expects (RFC 9846 §4: unexpected_message).
#[test]
fn server_refuses_a_new_session_ticket_from_the_client() {
    let (mut pair, key) = connected(50);
    let ticket = message(&HandshakeMessage::NewSessionTicket(NewSessionTicket {
        ticket_lifetime: 60,
        ticket_age_add: 0,
        ticket_nonce: vec![0],
        ticket: vec![1, 2, 3],
        extensions: vec![],
    }));
    let record = seal(key, 0, &[(ContentType::Handshake, &ticket)]);
    assert_refuses(&mut pair, Side::Server, &record, UnexpectedMessage);
}

/// RFC 9846 §4.3.10: "if the server fails to decrypt a 0-RTT record following an accepted
/// "early_data" extension, it MUST terminate the connection with a "bad_record_mac" alert
/// as per Section 5.2."
#[test]
fn server_refuses_a_0rtt_record_it_cannot_decrypt_after_accepting() {
    let (mut pair, flights, _) = accepted_early_data(1024, 10, 52);
    let early_records = split_records(&flights[0].bytes).len() - 1;
    let key = write_key(&flights, Side::Client, Epoch::Early);
    let mut record = seal(
        key,
        early_records as u64,
        &[(ContentType::ApplicationData, b"tampered")],
    );
    let last = record.len() - 1;
    record[last] ^= 0x01;
    assert_refuses(&mut pair, Side::Server, &record, BadRecordMac);
}

/// RFC 9846 §5.1: "Handshake messages MUST NOT be interleaved with other record types.
/// That is, if a handshake message is split over two or more records, there MUST NOT be
/// any other records between them." The client's Finished is cut in two records with a
/// user_canceled alert (harmless on its own) between them.
#[test]
fn server_refuses_a_record_between_the_fragments_of_a_handshake_message() {
    let mut pair = connect(client_config(), server_config(), None, 53);
    let mut flights = vec![pair.step_from(Side::Client), pair.step_from(Side::Server)];
    let (flight, finished) = intercept(&mut pair, Side::Client);
    flights.push(flight);
    let key = write_key(&flights, Side::Client, Epoch::Handshake);
    let (_, plaintext) = &super::harness::open_all(
        write_key(&flights, Side::Client, Epoch::Handshake),
        &split_records(&finished),
    )[0];
    let (head, tail) = plaintext.split_at(10);
    let canceled = super::harness::alert_bytes(
        lucid_tls::wire::alert::AlertLevel::Warning,
        AlertDescription::UserCanceled,
    );
    let records = seal(
        key,
        0,
        &[
            (ContentType::Handshake, head),
            (ContentType::Alert, &canceled),
            (ContentType::Handshake, tail),
        ],
    );
    assert_refuses(&mut pair, Side::Server, &records, UnexpectedMessage);
}

/// RFC 9846 §4.3.8: "Because [RFC8446] permitted reuse, receiving implementations MUST
/// permit reuse by the peer": a client key share seen before (same seed, same share) is
/// accepted again.
#[test]
fn server_accepts_a_key_share_reused_across_connections() {
    let server = server_config();
    let mut shares = Vec::new();
    for _ in 0..2 {
        let mut pair = connect(client_config(), server.clone(), None, 54);
        let flights = run(&mut pair);
        assert!(!pair.server.is_handshaking());
        let Some(HandshakeMessage::ClientHello(hello)) =
            flights[0].received_messages().first().cloned().cloned()
        else {
            panic!("a ClientHello")
        };
        let share = hello
            .extensions
            .into_iter()
            .find(|e| matches!(e, Extension::KeyShareClientHello(_)));
        shares.push(share.expect("a key share"));
    }
    assert_eq!(shares[0], shares[1], "the same share twice");
}

/// RFC 9846 §4.7.1: "Any ticket MUST only be resumed with a cipher suite that has the same
/// KDF hash algorithm as that used to establish the original connection." A SHA-256
/// ticket brought to a server that now only runs a SHA-384 suite gives a full handshake.
#[test]
fn server_resumes_a_ticket_only_with_a_suite_of_its_hash() {
    let issued = ticket(client_config(), 0);
    let mut server = ticket_server(1, 0);
    server.cipher_suites = vec![lucid_tls::wire::algorithms::CipherSuite::TLS_AES_256_GCM_SHA384];
    let mut pair = connect(client_config(), server, Some(issued), 55);
    run(&mut pair);
    let negotiated = pair.server.negotiated().unwrap();
    assert_eq!(
        negotiated.cipher_suite,
        lucid_tls::wire::algorithms::CipherSuite::TLS_AES_256_GCM_SHA384
    );
    assert!(negotiated.psk.is_none(), "not resumed");
}

/// lucid-tls sends no NewSessionTicket to a client that sent no psk_key_exchange_modes:
/// RFC 9846 §4.7.1 allows a ticket "If the client's hello contained a suitable
/// "psk_key_exchange_modes" extension", and §4.3.9 says a client that does not send one
/// cannot use PSKs ("To use PSKs, clients MUST also send a "psk_key_exchange_modes"
/// extension"). Many servers send tickets regardless.
#[test]
fn server_sends_no_ticket_to_a_client_without_psk_key_exchange_modes() {
    for (modes, expected) in [(true, 1), (false, 0)] {
        let mut client = client_config();
        if !modes {
            client.psk_modes.clear();
        }
        let mut pair = connect(client, ticket_server(1, 0), None, 56);
        let flights = run(&mut pair);
        assert_eq!(tickets(&events(&flights, Side::Client)).len(), expected);
    }
}

/// RFC 9846 §4.2.1: "If there is no overlap between the received "supported_groups" and
/// the groups supported by the server, then the server MUST abort the handshake with a
/// "handshake_failure" or an "insufficient_security" alert." (lucid-tls: handshake_failure.)
#[test]
fn server_refuses_a_client_hello_without_a_common_group() {
    let mut client = client_config();
    client.supported_groups = vec![lucid_tls::wire::algorithms::NamedGroup::X25519];
    client.key_share_groups = vec![lucid_tls::wire::algorithms::NamedGroup::X25519];
    let mut server = server_config();
    server.key_share_groups = vec![lucid_tls::wire::algorithms::NamedGroup::Secp256r1];
    let mut pair = connect(client, server, None, 57);
    let (_, hello) = intercept(&mut pair, Side::Client);
    assert_refuses(&mut pair, Side::Server, &hello, HandshakeFailure);
}
