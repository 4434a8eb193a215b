//! Unit tests of the server state machine's refusals, driven through [`ServerConnection`]:
//! each failure sends the alert RFC 9846 names and leaves the error sticky.

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;

use super::ServerConnection;
use super::config::{CookieConfig, ServerConfig};
use super::seal::Sealer;
use super::seal::tests::CountingRng;
use super::test_support::{nss_like_config, rfc_client_hello, rfc_value};
use crate::connection::ccs::DUMMY_CHANGE_CIPHER_SPEC_RECORD;
use crate::crypto::rustcrypto::RustCryptoProvider;
use crate::error::Error;
use crate::time::Time;
use crate::wire::alert::AlertDescription;
use crate::wire::codes::{ExtensionType, ProtocolVersion};
use crate::wire::extensions::Extension;
use crate::wire::handshake::HandshakeMessage;

const NOW: Time = Time::from_unix_secs(1_700_000_000);

fn server(config: ServerConfig) -> ServerConnection {
    ServerConnection::new(Arc::new(config), Box::new(CountingRng(0)), NOW).unwrap()
}

/// A plaintext handshake record holding `message`.
fn record(content_type: u8, message: &[u8]) -> Vec<u8> {
    let mut record = vec![content_type, 0x03, 0x03];
    record.extend_from_slice(&(message.len() as u16).to_be_bytes());
    record.extend_from_slice(message);
    record
}

/// The fatal alert record a server sends in the clear before it has keys.
fn plaintext_alert(description: AlertDescription) -> Vec<u8> {
    vec![0x15, 0x03, 0x03, 0x00, 0x02, 0x02, description.to_u8()]
}

fn fails_with(server: &mut ServerConnection, input: &[u8], alert: AlertDescription) {
    let err = server.feed(NOW, input).unwrap_err();
    assert_eq!(err.alert(), Some(alert), "{err:?}");
    assert_eq!(server.take_output(), plaintext_alert(alert));
    // Sticky: the same error again, and nothing more is sent.
    assert_eq!(server.feed(NOW, input), Err(err));
    assert!(server.take_output().is_empty());
}

#[test]
fn test_start_refuses_anything_but_a_client_hello() {
    let server_hello = rfc_value("simple", "server", "construct a ServerHello", "ServerHello");
    fails_with(
        &mut server(nss_like_config()),
        &record(0x16, &server_hello),
        AlertDescription::UnexpectedMessage,
    );
    // Application data before any handshake, and a change_cipher_spec before the first
    // ClientHello (RFC 9846 §5), are unexpected too.
    fails_with(
        &mut server(nss_like_config()),
        &record(0x17, b"early"),
        AlertDescription::UnexpectedMessage,
    );
    fails_with(
        &mut server(nss_like_config()),
        &DUMMY_CHANGE_CIPHER_SPEC_RECORD,
        AlertDescription::UnexpectedMessage,
    );
}

#[test]
fn test_stateless_server_drops_a_leading_change_cipher_spec() {
    // RFC 9846 §4.3.2: a server using cookies may see the dummy change_cipher_spec that
    // follows ClientHello1 on the connection of ClientHello2.
    let mut config = nss_like_config();
    let sealer = Sealer::new(&RustCryptoProvider, [1; 4], &[2; 32]).unwrap();
    config.cookies = Some(CookieConfig {
        issuer: Arc::new(sealer),
        lifetime_ms: 1000,
    });
    let mut server = server(config);
    assert_eq!(server.feed(NOW, &DUMMY_CHANGE_CIPHER_SPEC_RECORD), Ok(6));
    assert!(server.take_output().is_empty());
    assert_eq!(server.error(), None);
}

#[test]
fn test_client_hello_without_tls13_gets_protocol_version() {
    let (_, mut hello) = rfc_client_hello("simple", 0);
    for extension in &mut hello.extensions {
        if let Extension::SupportedVersionsClientHello(versions) = extension {
            *versions = vec![ProtocolVersion::Tls12];
        }
    }
    let bytes = HandshakeMessage::ClientHello(hello).encode().unwrap();
    fails_with(
        &mut server(nss_like_config()),
        &record(0x16, &bytes),
        AlertDescription::ProtocolVersion,
    );
}

#[test]
fn test_hello_retry_request_then_a_second_one_is_refused() {
    // RFC 8448 §5's ClientHello1 to a P-256-only server: a HelloRetryRequest. Sending
    // ClientHello1 again does not answer it (no P-256 share): illegal_parameter.
    let (ch1, hello) = rfc_client_hello("hrr", 0);
    let mut config = nss_like_config();
    config.key_share_groups = vec![crate::wire::algorithms::NamedGroup::Secp256r1];
    let mut server = server(config);
    assert!(server.feed(NOW, &record(0x16, &ch1)).is_ok());
    let output = server.take_output();
    let retry = output.get(5..).unwrap();
    let Ok(HandshakeMessage::HelloRetryRequest(hrr)) = HandshakeMessage::decode(retry, None) else {
        panic!("expected a HelloRetryRequest");
    };
    assert_eq!(hrr.legacy_session_id_echo, hello.legacy_session_id);
    assert!(matches!(
        hrr.extension(ExtensionType::KeyShare),
        Some(Extension::KeyShareHelloRetryRequest(_))
    ));
    assert_eq!(server.state_name(), "START");
    let err: Error = server.feed(NOW, &record(0x16, &ch1)).unwrap_err();
    assert_eq!(err.alert(), Some(AlertDescription::IllegalParameter));
}
