//! The client's checks on the server's messages (RFC 9846 §4.2.3, §4.2.4, §4.3, §4.4.1,
//! §4.5.1.3, §4.5.2, §4.5.3), each triggered by altering one thing in RFC 8448 §3's server
//! flight and asserting the alert the RFC names. The ServerHello goes in the clear; the
//! encrypted flight is opened with the RFC's server handshake key, altered, and sealed
//! again, so only the altered field differs.

mod common;

use common::check::value;
use common::nss::simple_client;
use common::reseal::{flight_messages, sealed_flight};
use common::vectors::{self, Trace};
use lucid_tls::client::ClientConnection;
use lucid_tls::connection::Event;
use lucid_tls::error::Error;
use lucid_tls::time::Time;
use lucid_tls::wire::alert::AlertDescription;
use lucid_tls::wire::algorithms::{CipherSuite, NamedGroup};
use lucid_tls::wire::codes::{ContentType, ExtensionType};
use lucid_tls::wire::extensions::{Extension, ProtocolName};
use lucid_tls::wire::handshake::HandshakeMessage;
use lucid_tls::wire::record::TLSPlaintext;
use lucid_tls::wire::server_hello::{DOWNGRADE_TLS12, ServerHello};

/// An alteration of the ServerHello.
type HelloChange = Box<dyn FnOnce(&mut ServerHello)>;

/// An alteration of one message of the encrypted flight.
type MessageChange = Box<dyn FnOnce(&mut HandshakeMessage)>;

const NOW: Time = Time::from_unix_secs(1_748_736_000);

fn trace() -> Trace {
    vectors::load("simple")
}

/// Feeds `bytes` to a fresh §3 client and returns the error, checking that the client
/// reported the alert it sent.
fn client_error(trace: &Trace, bytes: &[u8]) -> Error {
    let (mut client, _) = simple_client(trace, NOW);
    client.take_output();
    let err = client.feed(NOW, bytes).unwrap_err();
    if let Some(alert) = err.alert() {
        let sent = std::iter::from_fn(|| client.poll_event())
            .any(|e| matches!(e, Event::AlertSent(a) if a == alert));
        assert!(sent, "the client sent its {alert:?} alert");
        assert!(client.has_output());
    }
    // The error is sticky.
    assert_eq!(client.feed(NOW, &[0x16]), Err(err));
    err
}

fn alert_of(trace: &Trace, bytes: &[u8]) -> Option<AlertDescription> {
    client_error(trace, bytes).alert()
}

/// The RFC's ServerHello, decoded.
fn server_hello(trace: &Trace) -> ServerHello {
    let bytes = value(trace, "construct a ServerHello", "ServerHello");
    match HandshakeMessage::decode(bytes, None).unwrap() {
        HandshakeMessage::ServerHello(hello) => hello,
        other => panic!("not a ServerHello: {other:?}"),
    }
}

fn plaintext_record(message: &HandshakeMessage) -> Vec<u8> {
    let fragment = message.encode().unwrap();
    TLSPlaintext {
        content_type: ContentType::Handshake,
        legacy_record_version: 0x0303,
        fragment: &fragment,
    }
    .to_bytes()
    .unwrap()
}

fn altered_server_hello(trace: &Trace, alter: impl FnOnce(&mut ServerHello)) -> Vec<u8> {
    let mut hello = server_hello(trace);
    alter(&mut hello);
    plaintext_record(&HandshakeMessage::ServerHello(hello))
}

#[test]
fn client_checks_the_server_hello() {
    let trace = trace();
    let illegal = Some(AlertDescription::IllegalParameter);
    let cases: Vec<(&str, HelloChange, Option<AlertDescription>)> = vec![
        (
            "session id echo",
            Box::new(|h| h.legacy_session_id_echo = vec![1; 32]),
            illegal,
        ),
        (
            "suite not offered",
            Box::new(|h| h.cipher_suite = CipherSuite::from_u16(0x1304)),
            illegal,
        ),
        (
            "compression",
            Box::new(|h| h.legacy_compression_method = 1),
            illegal,
        ),
        (
            "legacy_version",
            Box::new(|h| {
                h.legacy_version = lucid_tls::wire::codes::ProtocolVersion::from_u16(0x0304)
            }),
            Some(AlertDescription::ProtocolVersion),
        ),
        (
            "no supported_versions",
            Box::new(|h| {
                h.extensions
                    .retain(|e| e.extension_type() != ExtensionType::SupportedVersions)
            }),
            Some(AlertDescription::ProtocolVersion),
        ),
        (
            "downgrade sentinel",
            Box::new(|h| {
                h.extensions
                    .retain(|e| e.extension_type() != ExtensionType::SupportedVersions);
                h.random[24..].copy_from_slice(&DOWNGRADE_TLS12);
            }),
            illegal,
        ),
        (
            "unsolicited extension",
            Box::new(|h| {
                h.extensions.push(Extension::Unknown {
                    typ: ExtensionType::Unknown(0xff00),
                    data: vec![],
                })
            }),
            Some(AlertDescription::UnsupportedExtension),
        ),
        (
            "share in a group we did not share",
            Box::new(|h| {
                for e in &mut h.extensions {
                    if let Extension::KeyShareServerHello(share) = e {
                        share.server_share.group = NamedGroup::Secp256r1;
                    }
                }
            }),
            illegal,
        ),
        (
            "no key_share, no PSK",
            Box::new(|h| {
                h.extensions
                    .retain(|e| e.extension_type() != ExtensionType::KeyShare)
            }),
            Some(AlertDescription::MissingExtension),
        ),
        (
            "PSK never offered",
            Box::new(|h| h.extensions.push(Extension::PreSharedKeyServerHello(0))),
            Some(AlertDescription::UnsupportedExtension),
        ),
    ];
    for (name, alter, expected) in cases {
        let bytes = altered_server_hello(&trace, alter);
        assert_eq!(alert_of(&trace, &bytes), expected, "{name}");
        // The alert goes out in the clear: the client has no keys yet.
        let (mut client, _) = simple_client(&trace, NOW);
        client.take_output();
        let _ = client.feed(NOW, &bytes);
        let desc = expected.unwrap().to_u8();
        assert_eq!(client.take_output(), [21, 3, 3, 0, 2, 2, desc], "{name}");
    }
}

#[test]
fn client_refuses_a_message_out_of_order() {
    let trace = trace();
    // The server's Finished in place of its ServerHello.
    let finished = value(&trace, "construct a Finished", "Finished");
    let message = HandshakeMessage::decode(finished, Some(32)).unwrap();
    assert_eq!(
        alert_of(&trace, &plaintext_record(&message)),
        Some(AlertDescription::UnexpectedMessage)
    );
}

/// ServerHello + the flight with message `index` replaced by `replacement`, sealed again.
fn altered_flight(trace: &Trace, index: usize, replacement: Vec<u8>) -> Vec<u8> {
    let mut messages = flight_messages(trace);
    messages[index] = replacement;
    sealed_flight(trace, &messages.concat())
}

fn altered_message(
    trace: &Trace,
    index: usize,
    alter: impl FnOnce(&mut HandshakeMessage),
) -> Vec<u8> {
    let mut message = HandshakeMessage::decode(&flight_messages(trace)[index], Some(32)).unwrap();
    alter(&mut message);
    altered_flight(trace, index, message.encode().unwrap())
}

#[test]
fn client_checks_the_encrypted_flight() {
    let trace = trace();
    // Sealing the RFC's own messages again reproduces the RFC's record.
    let unaltered = altered_flight(&trace, 0, flight_messages(&trace)[0].clone());
    let (mut client, _) = simple_client(&trace, NOW);
    client.take_output();
    client.feed(NOW, &unaltered).unwrap();
    assert_eq!(client.state_name(), "CONNECTED");

    let cases: Vec<(&str, usize, MessageChange, AlertDescription)> = vec![
        (
            "ALPN never offered",
            0,
            Box::new(|m| {
                if let HandshakeMessage::EncryptedExtensions(ee) = m {
                    ee.extensions
                        .push(Extension::ApplicationLayerProtocolSelected(ProtocolName(
                            b"h2".to_vec(),
                        )));
                }
            }),
            AlertDescription::UnsupportedExtension,
        ),
        (
            "record_size_limit below 64",
            0,
            Box::new(|m| {
                if let HandshakeMessage::EncryptedExtensions(ee) = m {
                    for e in &mut ee.extensions {
                        if let Extension::RecordSizeLimit(v) = e {
                            *v = 63;
                        }
                    }
                }
            }),
            AlertDescription::IllegalParameter,
        ),
        (
            "empty Certificate",
            1,
            Box::new(|m| {
                if let HandshakeMessage::Certificate(c) = m {
                    c.certificate_list.clear();
                }
            }),
            AlertDescription::DecodeError,
        ),
        (
            // One bit flipped inside the signed part of the certificate: its signature no
            // longer verifies under the trusted anchor (RFC 9846 §6.2 bad_certificate).
            "certificate altered",
            1,
            Box::new(|m| {
                if let HandshakeMessage::Certificate(c) = m {
                    c.certificate_list[0].cert_data[100] ^= 1;
                }
            }),
            AlertDescription::BadCertificate,
        ),
        (
            "CertificateVerify signature altered",
            2,
            Box::new(|m| {
                if let HandshakeMessage::CertificateVerify(cv) = m {
                    cv.signature[10] ^= 1;
                }
            }),
            AlertDescription::DecryptError,
        ),
        (
            "CertificateVerify scheme not offered",
            2,
            Box::new(|m| {
                if let HandshakeMessage::CertificateVerify(cv) = m {
                    cv.algorithm = lucid_tls::wire::algorithms::SignatureScheme::from_u16(0x0807);
                }
            }),
            AlertDescription::IllegalParameter,
        ),
        (
            "CertificateVerify scheme not matching the RSA key",
            2,
            Box::new(|m| {
                if let HandshakeMessage::CertificateVerify(cv) = m {
                    cv.algorithm = lucid_tls::wire::algorithms::SignatureScheme::from_u16(0x0403);
                }
            }),
            AlertDescription::IllegalParameter,
        ),
        (
            "Finished altered",
            3,
            Box::new(|m| {
                if let HandshakeMessage::Finished(f) = m {
                    f.verify_data[0] ^= 1;
                }
            }),
            AlertDescription::DecryptError,
        ),
    ];
    for (name, index, alter, expected) in cases {
        let bytes = altered_message(&trace, index, alter);
        assert_eq!(alert_of(&trace, &bytes), Some(expected), "{name}");
    }
}

#[test]
fn client_refuses_messages_in_the_wrong_order() {
    let trace = trace();
    let messages = flight_messages(&trace);
    // CertificateVerify before Certificate; Finished before EncryptedExtensions.
    for (name, order) in [("CV first", [0, 2, 1, 3]), ("Finished first", [3, 0, 1, 2])] {
        let reordered: Vec<u8> = order.iter().flat_map(|i| messages[*i].clone()).collect();
        let bytes = sealed_flight(&trace, &reordered);
        assert_eq!(
            alert_of(&trace, &bytes),
            Some(AlertDescription::UnexpectedMessage),
            "{name}"
        );
    }
}

#[test]
fn client_refuses_a_key_change_inside_a_record() {
    // ServerHello and the start of EncryptedExtensions in one plaintext record: the key
    // changes after the ServerHello, so it must end its record (RFC 9846 §5.1).
    let trace = trace();
    let hello = value(&trace, "construct a ServerHello", "ServerHello");
    let fragment = [hello, &[0x08, 0x00]].concat();
    let bytes = TLSPlaintext {
        content_type: ContentType::Handshake,
        legacy_record_version: 0x0303,
        fragment: &fragment,
    }
    .to_bytes()
    .unwrap();
    assert_eq!(
        alert_of(&trace, &bytes),
        Some(AlertDescription::UnexpectedMessage)
    );
}

#[test]
fn client_after_an_error_only_sends_its_alert() {
    let trace = trace();
    let bytes = altered_server_hello(&trace, |h| h.legacy_compression_method = 1);
    let (mut client, _): (ClientConnection, _) = simple_client(&trace, NOW);
    client.take_output();
    let err = client.feed(NOW, &bytes).unwrap_err();
    client.take_output();
    assert_eq!(client.write(b"data"), Err(err));
    client.close();
    assert!(!client.has_output());
    assert_eq!(client.error(), Some(err));
}
