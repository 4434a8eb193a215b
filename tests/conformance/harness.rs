//! How a conformance test reaches a rule: a real client and server run in memory
//! ([`lucid_tls::pair::Pair`]) up to the point where the rule applies; then the test puts
//! crafted bytes on the wire, sealed with the sender's real traffic keys (read from the
//! trace events), and checks the receiver's answer with [`assert_fatal`]: the exact alert
//! on the wire, decoded by the peer, and a sticky error.

use lucid_tls::Error;
use lucid_tls::codec::Writer;
use lucid_tls::connection::Event;
use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::pair::{Flight, Pair, Side};
use lucid_tls::record::decrypter::RecordDecrypter;
use lucid_tls::record::encrypter::{Padding, RecordEncrypter};
use lucid_tls::record::nonce::TrafficKey;
use lucid_tls::trace::{Direction, Epoch, TraceEvent};
use lucid_tls::wire::alert::{Alert, AlertDescription, AlertLevel};
use lucid_tls::wire::codes::ContentType;
use lucid_tls::wire::handshake::{HandshakeMessage, split_header};
use lucid_tls::wire::record::{RecordHeader, TLSPlaintext};

/// The traffic key `side` installed to write under `epoch` during `flights` (the last one,
/// if it installed several), keyed for sealing or opening that direction's records.
pub fn write_key(flights: &[Flight], side: Side, epoch: Epoch) -> TrafficKey {
    flights
        .iter()
        .flat_map(|f| f.trace.iter())
        .rev()
        .find_map(|(s, t)| match t {
            TraceEvent::KeyInstalled {
                direction: Direction::Sent,
                epoch: e,
                aead,
                key,
                iv,
            } if *s == side && *e == epoch => Some(
                TrafficKey::from_key_and_iv(&RustCryptoProvider, *aead, key.as_bytes(), iv)
                    .unwrap(),
            ),
            _ => None,
        })
        .unwrap_or_else(|| panic!("{side:?} installed no {epoch:?} write key"))
}

/// `contents` sealed one record each under `key`, the first at sequence number `seq`.
pub fn seal(key: TrafficKey, seq: u64, contents: &[(ContentType, &[u8])]) -> Vec<u8> {
    let mut encrypter = RecordEncrypter::new(key);
    for _ in 0..seq {
        encrypter
            .encrypt(ContentType::ApplicationData, b"", Padding::None)
            .unwrap();
    }
    contents
        .iter()
        .flat_map(|(content_type, content)| {
            encrypter
                .encrypt(*content_type, content, Padding::None)
                .unwrap()
        })
        .collect()
}

/// The content type and plaintext of each of `records`, sealed under `key` from sequence
/// number 0 on.
pub fn open_all(key: TrafficKey, records: &[&[u8]]) -> Vec<(ContentType, Vec<u8>)> {
    let mut decrypter = RecordDecrypter::new(key);
    records
        .iter()
        .map(|record| {
            let mut record = record.to_vec();
            let plaintext = decrypter.decrypt_in_place(&mut record).unwrap();
            (plaintext.content_type, plaintext.fragment.to_vec())
        })
        .collect()
}

/// A handshake message's bytes, header included.
pub fn message(message: &HandshakeMessage) -> Vec<u8> {
    message.encode().unwrap()
}

/// An unprotected record (TLSPlaintext) of `content_type` carrying `fragment`.
pub fn plaintext_record(content_type: ContentType, fragment: &[u8]) -> Vec<u8> {
    let header = RecordHeader {
        content_type,
        legacy_record_version: 0x0303,
        length: fragment.len() as u16,
    };
    let mut out = header.to_bytes().to_vec();
    out.extend_from_slice(fragment);
    out
}

/// The two bytes of an alert at `level`.
pub fn alert_bytes(level: AlertLevel, description: AlertDescription) -> Vec<u8> {
    let mut w = Writer::new();
    Alert { level, description }.encode(&mut w);
    w.finish().unwrap()
}

/// The decoded fragment of the first record of `bytes`, which must be unprotected.
pub fn first_plaintext(bytes: &[u8]) -> (ContentType, Vec<u8>) {
    let record = lucid_tls::pair::split_records(bytes)[0];
    let plaintext = TLSPlaintext::parse(record).unwrap();
    (plaintext.content_type, plaintext.fragment.to_vec())
}

/// The handshake message in an unprotected record.
pub fn plaintext_message(record: &[u8]) -> HandshakeMessage {
    let (content_type, fragment) = first_plaintext(record);
    assert_eq!(content_type, ContentType::Handshake);
    HandshakeMessage::decode(&fragment, None).unwrap()
}

/// Takes everything `side` has queued, without delivering it: the flight carries `side`'s
/// trace since the previous step and the bytes are returned for the test to change. (The
/// keys a side installed while reading a flight are in the trace of that flight.)
pub fn intercept(pair: &mut Pair, side: Side) -> (Flight, Vec<u8>) {
    let mut bytes = Vec::new();
    let flight = pair.step_tampered(side, |b| bytes = std::mem::take(b));
    (flight, bytes)
}

/// Feeds `bytes` to `side`.
pub fn feed(pair: &mut Pair, side: Side, bytes: &[u8]) -> Result<usize, Error> {
    match side {
        Side::Client => pair.client.feed(pair.now, bytes),
        Side::Server => pair.server.feed(pair.now, bytes),
    }
}

/// Asserts that `side` failed on what it was fed (`result`) with exactly `alert`, and
/// queued it for the wire:
/// - the error names that alert, and the connection reports it with
///   [`Event::AlertSent`];
/// - the error is sticky: the connection keeps it, and more input gets it again.
///
/// Returns the error.
pub fn assert_fatal_queued(
    pair: &mut Pair,
    side: Side,
    result: Result<usize, Error>,
    alert: AlertDescription,
) -> Error {
    let err = result.expect_err("the receiver must refuse this");
    assert_eq!(err.alert(), Some(alert), "{err:?}");
    let (error, more) = match side {
        Side::Client => (pair.client.error(), pair.client.feed(pair.now, b"\x17")),
        Side::Server => (pair.server.error(), pair.server.feed(pair.now, b"\x17")),
    };
    assert_eq!(error, Some(err), "the error is kept");
    assert_eq!(more, Err(err), "the error is sticky");
    let events: Vec<Event> = match side {
        Side::Client => std::iter::from_fn(|| pair.client.poll_event()).collect(),
        Side::Server => std::iter::from_fn(|| pair.server.poll_event()).collect(),
    };
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::AlertSent(a) if *a == alert)),
        "{side:?} reports sending {alert:?}: {events:?}"
    );
    assert!(pair.has_output(side), "{side:?} has its alert to send");
    err
}

/// Feeds `bytes` to `side` and asserts that it refuses them with exactly `alert`, on the
/// wire ([`assert_fatal`]).
pub fn assert_refuses(pair: &mut Pair, side: Side, bytes: &[u8], alert: AlertDescription) {
    let result = feed(pair, side, bytes);
    assert_fatal(pair, side, result, alert);
}

/// [`assert_fatal_queued`], then the alert is delivered: the peer decodes exactly `alert`
/// from the wire (and fails with [`Error::AlertReceived`]), and nothing follows it.
pub fn assert_fatal(
    pair: &mut Pair,
    side: Side,
    result: Result<usize, Error>,
    alert: AlertDescription,
) {
    assert_fatal_queued(pair, side, result, alert);
    let flight = pair.step_from(side);
    let received: Vec<AlertDescription> = flight
        .alerts()
        .into_iter()
        .filter(|(s, d, _)| *s == side.peer() && *d == Direction::Received)
        .map(|(_, _, a)| a)
        .collect();
    assert_eq!(received, [alert], "the peer decodes the alert on the wire");
    assert_eq!(flight.result, Err(Error::AlertReceived(alert)));
    assert!(!pair.has_output(side), "nothing after the fatal alert");
}

/// The handshake messages (bytes, header included) back to back in `bytes`.
pub fn split_messages(mut bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut messages = Vec::new();
    while let Some(header) = split_header(bytes).unwrap() {
        let (message, rest) = bytes.split_at(header.message_len());
        messages.push(message.to_vec());
        bytes = rest;
    }
    assert!(bytes.is_empty(), "a partial message");
    messages
}

/// The server's first flight, opened: its ServerHello record (as sent) and the messages of
/// its encrypted records (EncryptedExtensions .. Finished), decrypted with the key the
/// server's trace (in `flights`) reports. A dummy change_cipher_spec is left out.
pub fn open_server_flight(flights: &[Flight], bytes: &[u8]) -> (Vec<u8>, Vec<Vec<u8>>) {
    let records = lucid_tls::pair::split_records(bytes);
    let server_hello = records[0].to_vec();
    let protected: Vec<&[u8]> = records[1..]
        .iter()
        .copied()
        .filter(|r| r[0] == 23)
        .collect();
    let key = write_key(flights, Side::Server, Epoch::Handshake);
    let plaintext: Vec<u8> = open_all(key, &protected)
        .into_iter()
        .flat_map(|(content_type, content)| {
            assert_eq!(content_type, ContentType::Handshake);
            content
        })
        .collect();
    (server_hello, split_messages(&plaintext))
}

/// The ServerHello record followed by `messages` sealed one per record under the server's
/// handshake key (from `flights`' trace), as a server would have sent them.
pub fn seal_server_flight(
    flights: &[Flight],
    server_hello: &[u8],
    messages: &[Vec<u8>],
) -> Vec<u8> {
    let key = write_key(flights, Side::Server, Epoch::Handshake);
    let contents: Vec<(ContentType, &[u8])> = messages
        .iter()
        .map(|m| (ContentType::Handshake, m.as_slice()))
        .collect();
    [server_hello.to_vec(), seal(key, 0, &contents)].concat()
}
