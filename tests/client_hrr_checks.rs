//! The client's checks on a HelloRetryRequest (RFC 9846 §4.2.4, §4.3.8) and on the
//! ServerHello that follows one, each triggered by altering RFC 8448 §5's messages (which
//! travel in the clear) and asserting the alert the RFC names.

mod common;

use std::sync::Arc;

use common::check::record;
use common::nss::{hello_rng, nss_client_config};
use common::vectors::{self, Trace};
use lucid_tls::client::ClientConnection;
use lucid_tls::time::Time;
use lucid_tls::wire::alert::AlertDescription;
use lucid_tls::wire::algorithms::{CipherSuite, NamedGroup};
use lucid_tls::wire::codes::{ContentType, ExtensionType};
use lucid_tls::wire::extensions::Extension;
use lucid_tls::wire::handshake::HandshakeMessage;
use lucid_tls::wire::record::TLSPlaintext;
use lucid_tls::wire::server_hello::{HelloRetryRequest, ServerHello};

const NOW: Time = Time::from_unix_secs(1_748_736_000);

/// An alteration of the HelloRetryRequest.
type RetryChange = Box<dyn FnOnce(&mut HelloRetryRequest)>;

/// §5's client, its first ClientHello taken.
fn client(trace: &Trace) -> ClientConnection {
    let rng = hello_rng(trace);
    rng.push(
        "P-256 private key",
        trace
            .block("client", "create an ephemeral P-256")
            .get("private key"),
    );
    let mut config = nss_client_config(trace, false);
    config.supported_groups = vec![
        NamedGroup::X25519,
        NamedGroup::Secp256r1,
        NamedGroup::Secp384r1,
    ];
    let mut client =
        ClientConnection::new(Arc::new(config), Some("server"), Box::new(rng), NOW).unwrap();
    client.take_output();
    client
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

/// The RFC's HelloRetryRequest (the first "construct a ServerHello" of §5).
fn retry(trace: &Trace) -> HelloRetryRequest {
    let bytes = trace.blocks("server", "construct a ServerHello")[0].get("ServerHello");
    match HandshakeMessage::decode(bytes, None).unwrap() {
        HandshakeMessage::HelloRetryRequest(retry) => retry,
        other => panic!("not a HelloRetryRequest: {other:?}"),
    }
}

fn alert_after(trace: &Trace, bytes: &[u8]) -> Option<AlertDescription> {
    let mut client = client(trace);
    client.feed(NOW, bytes).unwrap_err().alert()
}

#[test]
fn client_checks_the_hello_retry_request() {
    let trace = vectors::load("hrr");
    let illegal = Some(AlertDescription::IllegalParameter);
    let set_group = |group: NamedGroup| -> RetryChange {
        Box::new(move |r: &mut HelloRetryRequest| {
            for e in &mut r.extensions {
                if let Extension::KeyShareHelloRetryRequest(share) = e {
                    share.selected_group = group;
                }
            }
        })
    };
    let cases: Vec<(&str, RetryChange, Option<AlertDescription>)> = vec![
        (
            "group already shared",
            set_group(NamedGroup::X25519),
            illegal,
        ),
        (
            "group never advertised",
            set_group(NamedGroup::Secp521r1),
            illegal,
        ),
        (
            "no change asked for",
            Box::new(|r| {
                r.extensions.retain(|e| {
                    !matches!(
                        e.extension_type(),
                        ExtensionType::KeyShare | ExtensionType::Cookie
                    )
                })
            }),
            illegal,
        ),
        (
            "suite not offered",
            Box::new(|r| r.cipher_suite = CipherSuite::from_u16(0x1304)),
            illegal,
        ),
        (
            "session id echo",
            Box::new(|r| r.legacy_session_id_echo = vec![7; 32]),
            illegal,
        ),
        (
            "unsolicited extension",
            Box::new(|r| {
                r.extensions.push(Extension::Unknown {
                    typ: ExtensionType::Unknown(0xfe00),
                    data: vec![],
                })
            }),
            Some(AlertDescription::UnsupportedExtension),
        ),
        (
            "no supported_versions",
            Box::new(|r| {
                r.extensions
                    .retain(|e| e.extension_type() != ExtensionType::SupportedVersions)
            }),
            Some(AlertDescription::ProtocolVersion),
        ),
    ];
    for (name, alter, expected) in cases {
        let mut message = retry(&trace);
        alter(&mut message);
        let bytes = plaintext_record(&HandshakeMessage::HelloRetryRequest(message));
        assert_eq!(alert_after(&trace, &bytes), expected, "{name}");
    }
}

#[test]
fn client_refuses_a_second_hello_retry_request() {
    let trace = vectors::load("hrr");
    let mut client = client(&trace);
    let retry = record(&trace, "server", "send handshake record", 0);
    client.feed(NOW, retry).unwrap();
    let err = client.feed(NOW, retry).unwrap_err();
    assert_eq!(err.alert(), Some(AlertDescription::UnexpectedMessage));
}

/// The RFC's ServerHello after the retry, altered.
fn server_hello_after_retry(trace: &Trace, alter: impl FnOnce(&mut ServerHello)) -> Vec<u8> {
    let bytes = trace.blocks("server", "construct a ServerHello")[1].get("ServerHello");
    let HandshakeMessage::ServerHello(mut hello) = HandshakeMessage::decode(bytes, None).unwrap()
    else {
        panic!("not a ServerHello");
    };
    alter(&mut hello);
    plaintext_record(&HandshakeMessage::ServerHello(hello))
}

#[test]
fn client_checks_the_server_hello_against_the_retry() {
    let trace = vectors::load("hrr");
    let retry = record(&trace, "server", "send handshake record", 0);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            // Offered, but not the suite the HelloRetryRequest chose.
            "suite changed",
            server_hello_after_retry(&trace, |h| {
                h.cipher_suite = CipherSuite::TLS_AES_256_GCM_SHA384
            }),
        ),
        (
            // X25519 was shared in ClientHello1, but the retry asked for P-256.
            "group changed",
            server_hello_after_retry(&trace, |h| {
                for e in &mut h.extensions {
                    if let Extension::KeyShareServerHello(share) = e {
                        share.server_share.group = NamedGroup::X25519;
                    }
                }
            }),
        ),
    ];
    for (name, bytes) in cases {
        let mut client = client(&trace);
        client.feed(NOW, retry).unwrap();
        let err = client.feed(NOW, &bytes).unwrap_err();
        assert_eq!(
            err.alert(),
            Some(AlertDescription::IllegalParameter),
            "{name}"
        );
    }
    // The unaltered ServerHello is accepted (a control for the cases above).
    let mut client = client(&trace);
    client.feed(NOW, retry).unwrap();
    client
        .feed(NOW, &server_hello_after_retry(&trace, |_| {}))
        .unwrap();
    assert_eq!(client.state_name(), "WAIT_EE");
}
