//! Receiving alerts (RFC 9846 §6): the level of an error alert does not matter, an unknown
//! alert is an error alert, user_canceled is not an error, and nothing is sent in answer
//! to an error alert.

use lucid_tls::Error;
use lucid_tls::connection::Event;
use lucid_tls::pair::Side;
use lucid_tls::wire::alert::{AlertDescription, AlertLevel};
use lucid_tls::wire::codes::ContentType;

use super::common::setup::{client_config, connect, data, run, server_config};
use super::harness::{alert_bytes, seal, write_key};
use lucid_tls::trace::Epoch;

/// A finished handshake; the server is fed `records` (contents sealed under the client's
/// application key, from sequence number 0) and its result and events are returned.
fn server_reads(
    seed: u64,
    contents: &[(ContentType, &[u8])],
) -> (lucid_tls::pair::Pair, Result<usize, Error>, Vec<Event>) {
    let mut pair = connect(client_config(), server_config(), None, seed);
    let flights = run(&mut pair);
    let key = write_key(&flights, Side::Client, Epoch::Application(0));
    let result = pair.server.feed(pair.now, &seal(key, 0, contents));
    let events = std::iter::from_fn(|| pair.server.poll_event()).collect();
    (pair, result, events)
}

/// The receiver of an error alert fails with it, keeps the error, and sends nothing back
/// (RFC 9846 §6: "Upon receiving an error alert, the TLS implementation SHOULD indicate
/// an error to the application and MUST NOT allow any further data to be sent or
/// received on the connection").
fn assert_error_alert(seed: u64, level: AlertLevel, description: AlertDescription) {
    let alert = alert_bytes(level, description);
    let (mut pair, result, events) = server_reads(seed, &[(ContentType::Alert, &alert)]);
    assert_eq!(result, Err(Error::AlertReceived(description)), "{level:?}");
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::AlertReceived(d) if *d == description))
    );
    assert_eq!(pair.server.error(), Some(Error::AlertReceived(description)));
    assert_eq!(
        pair.server.feed(pair.now, b"\x17"),
        Err(Error::AlertReceived(description)),
        "sticky"
    );
    assert!(
        pair.server.write(b"more").is_err(),
        "no further data is sent"
    );
    assert!(
        !pair.server.has_output(),
        "nothing in answer to an error alert"
    );
}

/// RFC 9846 §6: "All the alerts listed in Section 6.2 MUST be sent with AlertLevel=fatal
/// and MUST be treated as error alerts when received regardless of the AlertLevel in the
/// message."
#[test]
fn an_error_alert_at_warning_level_is_an_error() {
    assert_error_alert(60, AlertLevel::Warning, AlertDescription::HandshakeFailure);
    assert_error_alert(61, AlertLevel::Warning, AlertDescription::DecryptError);
    assert_error_alert(62, AlertLevel::Fatal, AlertDescription::DecryptError);
}

/// RFC 9846 §6: "Unknown Alert types MUST be treated as error alerts."
#[test]
fn an_unknown_alert_is_an_error() {
    assert_error_alert(63, AlertLevel::Fatal, AlertDescription::Unknown(254));
    assert_error_alert(64, AlertLevel::Warning, AlertDescription::Unknown(254));
}

/// RFC 9846 §6.1: user_canceled "is generally a warning [...] This alert MUST be followed
/// by a "close_notify"", and "Receiving implementations SHOULD continue to read data from
/// the peer until a "close_notify" is received": the connection reads on, and the
/// close_notify ends it.
#[test]
fn user_canceled_is_not_an_error_and_data_is_read_until_close_notify() {
    let canceled = alert_bytes(AlertLevel::Warning, AlertDescription::UserCanceled);
    let close = alert_bytes(AlertLevel::Warning, AlertDescription::CloseNotify);
    let (pair, result, events) = server_reads(
        65,
        &[
            (ContentType::Alert, &canceled),
            (ContentType::ApplicationData, b"still here"),
            (ContentType::Alert, &close),
        ],
    );
    assert!(result.is_ok(), "{result:?}");
    assert!(pair.server.error().is_none());
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::AlertReceived(AlertDescription::UserCanceled)))
    );
    assert_eq!(data(&events), b"still here");
    assert!(matches!(events.last(), Some(Event::PeerClosed)));
}
