//! Reading and rewriting protected flights in a stepped handshake ([`lucid_tls::pair`]),
//! with the keys the endpoints' own trace events report (`TraceEvent::KeyInstalled`): a
//! test can open what a side sent, or change a message of an encrypted flight and seal it
//! again, so that only the receiver's checks stand between the change and the handshake.
#![allow(dead_code)]

use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::pair::{Side, split_records};
use lucid_tls::record::decrypter::RecordDecrypter;
use lucid_tls::record::encrypter::{Padding, RecordEncrypter};
use lucid_tls::record::nonce::TrafficKey;
use lucid_tls::trace::{Direction, Epoch, TraceEvent};
use lucid_tls::wire::alert::Alert;
use lucid_tls::wire::codes::ContentType;
use lucid_tls::wire::handshake::{HandshakeMessage, split_header};
use lucid_tls::wire::record::RECORD_HEADER_LEN;

/// The key a `KeyInstalled` event reports, ready to protect or deprotect records.
fn installed_key(event: &TraceEvent) -> Option<(Epoch, TrafficKey)> {
    match event {
        TraceEvent::KeyInstalled {
            direction: Direction::Sent,
            epoch,
            aead,
            key,
            iv,
        } => Some((
            *epoch,
            TrafficKey::from_key_and_iv(&RustCryptoProvider, *aead, key.as_bytes(), iv).unwrap(),
        )),
        _ => None,
    }
}

/// The write key `side` installed last for `epoch`, as its trace reported it.
pub fn write_key(trace: &[(Side, TraceEvent)], side: Side, epoch: Epoch) -> TrafficKey {
    trace
        .iter()
        .rev()
        .filter(|(s, _)| *s == side)
        .filter_map(|(_, event)| installed_key(event))
        .find_map(|(e, key)| (e == epoch).then_some(key))
        .unwrap_or_else(|| panic!("{side:?} installed no {epoch:?} write key"))
}

/// Every record `side` sent, opened: protected records with the write key in force when
/// they were sent (the trace lists keys and records in order), plaintext ones as they are.
pub fn sent_records(trace: &[(Side, TraceEvent)], side: Side) -> Vec<(ContentType, Vec<u8>)> {
    let mut decrypter: Option<RecordDecrypter> = None;
    let mut opened = Vec::new();
    for (_, event) in trace.iter().filter(|(s, _)| *s == side) {
        if let Some((_, key)) = installed_key(event) {
            decrypter = Some(RecordDecrypter::new(key));
        }
        let TraceEvent::Record {
            direction: Direction::Sent,
            content_type,
            bytes,
        } = event
        else {
            continue;
        };
        match (&mut decrypter, content_type) {
            (Some(d), ContentType::ApplicationData) => {
                let mut record = bytes.clone();
                let plaintext = d.decrypt_in_place(&mut record).unwrap();
                opened.push((plaintext.content_type, plaintext.fragment.to_vec()));
            }
            _ => opened.push((*content_type, bytes[RECORD_HEADER_LEN..].to_vec())),
        }
    }
    opened
}

/// The alerts `side` put on the wire, decoded from its records.
pub fn alerts_on_the_wire(trace: &[(Side, TraceEvent)], side: Side) -> Vec<Alert> {
    sent_records(trace, side)
        .into_iter()
        .filter(|(content_type, _)| *content_type == ContentType::Alert)
        .map(|(_, fragment)| Alert::decode(&fragment).unwrap())
        .collect()
}

/// The handshake messages of an encrypted flight, opened with `key` (fresh: the flight is
/// the first thing sent under it).
pub fn open_flight(key: TrafficKey, bytes: &[u8]) -> Vec<HandshakeMessage> {
    let mut decrypter = RecordDecrypter::new(key);
    let mut plaintext = Vec::new();
    for record in split_records(bytes) {
        let mut record = record.to_vec();
        let opened = decrypter.decrypt_in_place(&mut record).unwrap();
        assert_eq!(opened.content_type, ContentType::Handshake);
        plaintext.extend_from_slice(opened.fragment);
    }
    let mut messages = Vec::new();
    let mut rest = &plaintext[..];
    while let Some(header) = split_header(rest).unwrap() {
        let (message, tail) = rest.split_at(header.message_len());
        // Only a Finished reads `hash_len`: its own length is Hash.length.
        messages.push(HandshakeMessage::decode(message, Some(header.length)).unwrap());
        rest = tail;
    }
    messages
}

/// `messages` sealed as one handshake record under `key` (fresh).
pub fn seal_flight(key: TrafficKey, messages: &[HandshakeMessage]) -> Vec<u8> {
    let plaintext: Vec<u8> = messages.iter().flat_map(|m| m.encode().unwrap()).collect();
    RecordEncrypter::new(key)
        .encrypt(ContentType::Handshake, &plaintext, Padding::None)
        .unwrap()
}
