//! Tests of the shared connection driver with a stand-in state machine that only collects
//! what it receives: record joining and splitting, the change_cipher_spec window, alerts,
//! the sticky error, protected records, KeyUpdate and exporters between two cores.

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;

use super::ccs::CcsWindow;
use super::*;
use crate::crypto::rustcrypto::RustCryptoProvider;
use crate::crypto::{CryptoError, HashAlgorithm, HashOutput, Rng, Secret};
use crate::key_schedule::{ApplicationSecrets, EarlySecret, HandshakeTrafficSecrets};
use crate::record::limits::RecordSizeLimit;
use crate::trace::{Direction, Epoch};
use crate::wire::alert::AlertDescription;
use crate::wire::algorithms::CipherSuite;
use crate::wire::codes::ContentType;
use crate::wire::end_of_early_data::EndOfEarlyData;
use crate::wire::finished::Finished;
use crate::wire::handshake::HandshakeMessage;

/// A state machine that keeps every message and answers KeyUpdates.
struct Collect {
    messages: Vec<Vec<u8>>,
}

impl Role for Collect {}

impl StateMachine for Collect {
    fn name(&self) -> &'static str {
        "COLLECT"
    }

    fn is_handshaking(&self) -> bool {
        false
    }

    fn handle_handshake(
        mut self,
        core: &mut ConnectionCore,
        input: HandshakeInput,
    ) -> Result<Self, Error> {
        if let HandshakeMessage::KeyUpdate(key_update) = &input.message {
            core.receive_key_update(key_update)?;
        }
        self.messages.push(input.bytes);
        Ok(self)
    }

    fn handle_application_data(
        self,
        core: &mut ConnectionCore,
        data: Vec<u8>,
    ) -> Result<Self, Error> {
        core.push_event(Event::ApplicationData(data));
        Ok(self)
    }
}

struct NoRng;

impl Rng for NoRng {
    fn fill(&mut self, _dest: &mut [u8]) -> Result<(), CryptoError> {
        Err(CryptoError::RngFailure)
    }
}

const NOW: Time = Time::from_unix_secs(1_700_000_000);

fn connection() -> Connection<Collect> {
    let core = ConnectionCore::new(
        Arc::new(RustCryptoProvider),
        Box::new(NoRng),
        NOW,
        true,
        None,
    );
    let mut connection = Connection::from_parts(core, Collect { messages: vec![] });
    connection
        .core_mut()
        .set_cipher_suite(CipherSuite::TLS_AES_128_GCM_SHA256);
    connection
}

fn messages(connection: &Connection<Collect>) -> Vec<Vec<u8>> {
    connection
        .state()
        .map(|s| s.messages.clone())
        .unwrap_or_default()
}

fn events(connection: &mut Connection<Collect>) -> Vec<Event> {
    ::core::iter::from_fn(|| connection.poll_event()).collect()
}

/// An EndOfEarlyData (4 bytes) and a Finished (36 bytes), back to back.
fn two_messages() -> Vec<u8> {
    let mut bytes = vec![0x05, 0, 0, 0, 0x14, 0, 0, 0x20];
    bytes.extend_from_slice(&[0x5a; 32]);
    bytes
}

fn plaintext_record(content_type: u8, body: &[u8]) -> Vec<u8> {
    let mut record = vec![content_type, 0x03, 0x03];
    record.extend_from_slice(&(body.len() as u16).to_be_bytes());
    record.extend_from_slice(body);
    record
}

#[test]
fn test_parse_messages_joined_from_any_split() {
    let body = two_messages();
    // One record with both messages, then the same bytes as three records.
    let mut stream = plaintext_record(22, &body);
    for piece in [&body[..2], &body[2..30], &body[30..]] {
        stream.extend(plaintext_record(22, piece));
    }
    for chunk in [1, 3, 7, stream.len()] {
        let mut c = connection();
        for piece in stream.chunks(chunk) {
            assert_eq!(c.feed(NOW, piece), Ok(piece.len()));
        }
        let expected = vec![body[..4].to_vec(), body[4..].to_vec()];
        assert_eq!(
            messages(&c),
            [expected.clone(), expected].concat(),
            "chunks of {chunk}"
        );
    }
}

#[test]
fn test_parse_dummy_ccs_window() {
    let ccs = plaintext_record(20, &[1]);
    // Before the first ClientHello: an unexpected record type.
    let mut c = connection();
    let err = c.feed(NOW, &ccs).unwrap_err();
    assert_eq!(err.alert(), Some(AlertDescription::UnexpectedMessage));
    assert_eq!(c.take_output(), plaintext_record(21, &[2, 10]));
    // Inside the window: dropped, and traced.
    let mut c = connection();
    c.core_mut().set_ccs_window(CcsWindow::Open);
    assert_eq!(c.feed(NOW, &[ccs.clone(), ccs.clone()].concat()), Ok(12));
    assert!(!c.has_output());
    let traced = ::core::iter::from_fn(|| c.poll_trace())
        .filter(|t| {
            matches!(
                t,
                TraceEvent::ChangeCipherSpec {
                    direction: Direction::Received
                }
            )
        })
        .count();
    assert_eq!(traced, 2);
    // Inside the window but between two fragments of one handshake message.
    let body = two_messages();
    let mut c = connection();
    c.core_mut().set_ccs_window(CcsWindow::Open);
    let stream = [
        plaintext_record(22, &body[..6]),
        ccs,
        plaintext_record(22, &body[6..]),
    ]
    .concat();
    let err = c.feed(NOW, &stream).unwrap_err();
    assert_eq!(err.alert(), Some(AlertDescription::UnexpectedMessage));
}

#[test]
fn test_parse_alerts() {
    // An error alert ends the connection; nothing is sent back, and the error sticks.
    let mut c = connection();
    let err = c.feed(NOW, &plaintext_record(21, &[2, 40])).unwrap_err();
    assert_eq!(
        err,
        Error::AlertReceived(AlertDescription::HandshakeFailure)
    );
    assert!(!c.has_output());
    assert_eq!(c.feed(NOW, &plaintext_record(22, &[5, 0, 0, 0])), Err(err));
    // close_notify: the peer is done, and whatever follows is ignored.
    let mut c = connection();
    let stream = [
        plaintext_record(21, &[1, 0]),
        plaintext_record(22, &[5, 0, 0, 0]),
    ]
    .concat();
    assert_eq!(c.feed(NOW, &stream), Ok(stream.len()));
    assert!(messages(&c).is_empty());
    let events = events(&mut c);
    assert!(matches!(
        events.as_slice(),
        [
            Event::AlertReceived(AlertDescription::CloseNotify),
            Event::PeerClosed
        ]
    ));
    // An alert record must hold exactly one alert.
    let mut c = connection();
    let err = c
        .feed(NOW, &plaintext_record(21, &[1, 0, 1, 0]))
        .unwrap_err();
    assert_eq!(err.alert(), Some(AlertDescription::DecodeError));
}

#[test]
fn test_parse_unprotected_application_data_is_refused() {
    let mut c = connection();
    let err = c.feed(NOW, &plaintext_record(23, &[1, 2, 3])).unwrap_err();
    assert_eq!(err.alert(), Some(AlertDescription::UnexpectedMessage));
}

/// The value labelled `label` in the first block of RFC 8448 §3 whose heading starts with
/// `heading` (read from the extracted vectors file).
fn simple(heading: &str, label: &str) -> Vec<u8> {
    let text = include_str!("../../vectors/rfc8448/simple.txt");
    let block = text.split("\n\n").find(|b| b.starts_with(heading)).unwrap();
    let prefix = alloc::format!("{label} = ");
    let line = block.lines().find(|l| l.starts_with(&prefix)).unwrap();
    hex::decode(&line[prefix.len()..]).unwrap()
}

/// RFC 8448 §3's handshake and application secrets, derived by the key schedule from the
/// trace's shared secret and transcript hashes.
fn rfc8448_secrets() -> (HandshakeTrafficSecrets, ApplicationSecrets) {
    let provider = RustCryptoProvider;
    let hash = HashAlgorithm::Sha256;
    let shared = Secret::new(&simple("[server] extract secret \"handshake\"", "IKM"));
    let hello_hash = HashOutput::new(&simple(
        "[server] derive secret \"tls13 c hs traffic\"",
        "hash",
    ));
    let finished_hash = HashOutput::new(&simple(
        "[server] derive secret \"tls13 c ap traffic\"",
        "hash",
    ));
    let early = EarlySecret::new(&provider, hash, None, &mut |_, _| {});
    let handshake = early
        .into_handshake(&provider, Some(&shared), &mut |_, _| {})
        .unwrap();
    let traffic = handshake
        .traffic_secrets(&provider, &hello_hash, &mut |_, _| {})
        .unwrap();
    let main = handshake.into_main(&provider, &mut |_, _| {}).unwrap();
    let application = main
        .application_secrets(&provider, &finished_hash, &mut |_, _| {})
        .unwrap();
    (traffic, application)
}

/// A client and a server core with RFC 8448 §3's application keys installed both ways.
fn connected_pair() -> (Connection<Collect>, Connection<Collect>) {
    let (_, secrets) = rfc8448_secrets();
    let mut client = connection();
    let mut server = connection();
    for (c, write, read) in [
        (&mut client, secrets.client.clone(), secrets.server.clone()),
        (&mut server, secrets.server.clone(), secrets.client.clone()),
    ] {
        let core = c.core_mut();
        core.install_application_write_key(write).unwrap();
        core.install_application_read_key(read).unwrap();
        core.set_exporter_secret(secrets.exporter.clone());
    }
    (client, server)
}

fn deliver(from: &mut Connection<Collect>, to: &mut Connection<Collect>) {
    let bytes = from.take_output();
    assert_eq!(to.feed(NOW, &bytes), Ok(bytes.len()));
}

#[test]
fn test_emit_rfc8448_client_application_data_record() {
    // RFC 8448 §3: the client's first application data record, byte for byte.
    let value = simple;
    let (mut client, mut server) = connected_pair();
    let payload = value("[client] send application_data record", "payload");
    client.write(&payload).unwrap();
    let record = client.take_output();
    assert_eq!(
        record,
        value("[client] send application_data record", "complete record")
    );
    server.feed(NOW, &record).unwrap();
    assert!(matches!(events(&mut server).as_slice(), [Event::ApplicationData(d)] if *d == payload));
}

/// A sender and a receiver of records under RFC 8448 §3's server handshake key.
fn handshake_key_pair() -> (Connection<Collect>, Connection<Collect>) {
    let (traffic, _) = rfc8448_secrets();
    let mut sender = connection();
    let mut receiver = connection();
    sender
        .core_mut()
        .install_write_key(&traffic.server, Epoch::Handshake)
        .unwrap();
    receiver
        .core_mut()
        .install_read_key(&traffic.server, Epoch::Handshake)
        .unwrap();
    (sender, receiver)
}

#[test]
fn test_emit_coalesced_and_split_handshake_records() {
    let (mut sender, mut receiver) = handshake_key_pair();
    let eoed = HandshakeMessage::EndOfEarlyData(EndOfEarlyData);
    let fin = HandshakeMessage::Finished(Finished {
        verify_data: vec![7; 32],
    });
    sender.core_mut().send_handshake(&eoed, None).unwrap();
    sender.core_mut().send_handshake(&fin, None).unwrap();
    // Two messages of one epoch: one record of 5 + (4 + 36 + 1) + 16 bytes.
    let out = sender.take_output();
    assert_eq!(out.len(), 5 + 41 + 16);
    receiver.feed(NOW, &out).unwrap();
    assert_eq!(
        messages(&receiver),
        vec![eoed.encode().unwrap(), fin.encode().unwrap()]
    );
    // Under a peer's 64-byte record_size_limit a 100-byte message takes two records.
    sender
        .core_mut()
        .set_send_limit(RecordSizeLimit::from_record_size_limit(64).unwrap());
    let big = HandshakeMessage::Finished(Finished {
        verify_data: vec![9; 96],
    });
    sender.core_mut().send_handshake(&big, None).unwrap();
    let out = sender.take_output();
    assert_eq!(out.len(), (5 + 64 + 16) + (5 + 38 + 16));
    // The receiver needs the suite's hash length to decode a Finished; a 96-byte one is a
    // decode error, which proves the two records were joined into one message.
    let err = receiver.feed(NOW, &out).unwrap_err();
    assert_eq!(err.alert(), Some(AlertDescription::DecodeError));
}

#[test]
fn test_parse_record_over_our_limit_refused_by_its_header() {
    let (mut sender, mut receiver) = handshake_key_pair();
    // We advertised 64 bytes; the peer ignores it and sends a 100-byte message whole.
    receiver
        .core_mut()
        .set_receive_limit(RecordSizeLimit::from_record_size_limit(64).unwrap());
    let big = HandshakeMessage::Finished(Finished {
        verify_data: vec![9; 96],
    });
    sender.core_mut().send_handshake(&big, None).unwrap();
    let out = sender.take_output();
    assert_eq!(out.len(), 5 + 101 + 16);
    // The header alone is enough to refuse it: nothing of the body is buffered.
    let err = receiver.feed(NOW, &out[..5]).unwrap_err();
    assert_eq!(err.alert(), Some(AlertDescription::RecordOverflow));
}

#[test]
fn test_key_update_each_way_and_exporters() {
    let (mut client, mut server) = connected_pair();
    client.key_update(true).unwrap();
    // A second request before the peer answered is refused (RFC 9846 §4.7.3).
    assert!(matches!(client.key_update(true), Err(Error::Misuse(_))));
    client.write(b"after update").unwrap();
    deliver(&mut client, &mut server);
    // The server updated its read key, answered with its own KeyUpdate, and got the data.
    let server_events = events(&mut server);
    assert!(matches!(
        server_events.as_slice(),
        [
            Event::KeyUpdated { direction: Direction::Received },
            Event::KeyUpdated { direction: Direction::Sent },
            Event::ApplicationData(d),
        ] if d == b"after update"
    ));
    server.write(b"reply").unwrap();
    deliver(&mut server, &mut client);
    let client_events = events(&mut client);
    assert!(matches!(
        client_events.as_slice(),
        [
            Event::KeyUpdated { direction: Direction::Sent },
            Event::KeyUpdated { direction: Direction::Received },
            Event::ApplicationData(d),
        ] if d == b"reply"
    ));
    // The request was answered, so the client may request again.
    client.key_update(true).unwrap();
    // Both sides export the same keying material; the context matters, None == empty.
    let export = |c: &Connection<Collect>, context: Option<&[u8]>| {
        let mut out = [0u8; 32];
        c.export_keying_material(b"EXPERIMENTAL test", context, &mut out)
            .unwrap();
        out
    };
    assert_eq!(export(&client, Some(b"ctx")), export(&server, Some(b"ctx")));
    assert_eq!(export(&client, None), export(&server, Some(b"")));
    assert_ne!(export(&client, None), export(&client, Some(b"ctx")));
}

#[test]
fn test_close_notify_and_sticky_errors() {
    let (mut client, mut server) = connected_pair();
    client.close();
    assert!(matches!(client.write(b"late"), Err(Error::Misuse(_))));
    deliver(&mut client, &mut server);
    assert!(matches!(
        events(&mut server).as_slice(),
        [
            Event::AlertReceived(AlertDescription::CloseNotify),
            Event::PeerClosed
        ]
    ));
    // A tampered record fails with bad_record_mac, whose alert goes out protected.
    server.write(b"data").unwrap();
    let mut record = server.take_output();
    let last = record.len() - 1;
    record[last] ^= 1;
    let err = client.feed(NOW, &record).unwrap_err();
    assert_eq!(err.alert(), Some(AlertDescription::BadRecordMac));
    let alert = client.take_output();
    assert_eq!(alert.first(), Some(&ContentType::ApplicationData.to_u8()));
    assert_eq!(client.write(b"x"), Err(err));
    assert_eq!(client.key_update(false), Err(err));
    assert_eq!(client.feed(NOW, &[0]), Err(err));
}

#[test]
fn test_fatal_error_forgets_keys_and_secrets() {
    // Issue 13 §1 d. RFC 9846 §6: "Servers and clients MUST forget the secret values and
    // keys established in failed connections".
    let (mut client, mut server) = connected_pair();
    server.write(b"data").unwrap();
    let mut record = server.take_output();
    let last = record.len() - 1;
    record[last] ^= 1;
    let err = client.feed(NOW, &record).unwrap_err();
    // The alert went out under the write key, which is gone with everything else.
    assert!(!client.take_output().is_empty());
    let core = client.core();
    assert!(core.encrypter.is_none());
    assert!(core.decrypter.is_none());
    assert!(core.application_secrets.read.is_none());
    assert!(core.application_secrets.write.is_none());
    assert!(core.exporter.is_none());
    assert!(core.early_exporter.is_none());
    assert!(
        client.state().is_none(),
        "the state machine's secrets go with it"
    );
    let mut out = [0u8; 16];
    assert_eq!(
        client.export_keying_material(b"x", None, &mut out),
        Err(err)
    );
}

#[test]
fn test_trace_reports_keys_installed() {
    let (mut client, _) = connected_pair();
    let installed: Vec<(Direction, Epoch)> = ::core::iter::from_fn(|| client.poll_trace())
        .filter_map(|t| match t {
            TraceEvent::KeyInstalled {
                direction, epoch, ..
            } => Some((direction, epoch)),
            _ => None,
        })
        .collect();
    assert_eq!(
        installed,
        [
            (Direction::Sent, Epoch::Application(0)),
            (Direction::Received, Epoch::Application(0))
        ]
    );
}
