//! The model the page is drawn from: every record of the client's trace, as on the wire,
//! with, for a protected one, the key that protected it and what was inside, decrypted here
//! by the library's own record layer with the keys the trace reports (RFC 9846 §5.2). And
//! cutting a record's content into handshake messages.

use lucid_tls::crypto::CryptoProvider;
use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::explain;
use lucid_tls::record::decrypter::RecordDecrypter;
use lucid_tls::record::nonce::TrafficKey;
use lucid_tls::trace::{Direction, Epoch, TraceEvent};

/// AEAD tags are 16 bytes for every suite lucid-tls supports (not a rule of RFC 9846 §5.2:
/// TLS_AES_128_CCM_8_SHA256 has 8).
pub(super) const TAG_LEN: usize = 16;

/// One record, as on the wire, with what the client knew about it.
pub(super) struct Record {
    /// Sent by the client (Direction::Sent) or received from the server.
    pub(super) direction: Direction,
    pub(super) bytes: Vec<u8>,
    /// For a protected record: the key that protected it and what was inside.
    pub(super) protection: Option<Protection>,
}

pub(super) struct Protection {
    pub(super) epoch: Epoch,
    pub(super) aead: &'static str,
    pub(super) key: Vec<u8>,
    pub(super) iv: [u8; 12],
    pub(super) sequence_number: u64,
    /// The inner content type and content, or why it could not be decrypted.
    pub(super) inner: Result<(u8, Vec<u8>), String>,
}

/// The read or write key in force in one direction.
struct KeyState {
    epoch: Epoch,
    aead: &'static str,
    key: Vec<u8>,
    iv: [u8; 12],
    decrypter: Option<RecordDecrypter>,
}

/// The records of the client's trace, decrypted with the keys it installed.
pub(super) fn records(trace: &[TraceEvent]) -> Vec<Record> {
    let mut keys: [Option<KeyState>; 2] = [None, None];
    let slot = |direction: Direction| match direction {
        Direction::Sent => 0,
        Direction::Received => 1,
    };
    let mut records = Vec::new();
    for event in trace {
        match event {
            TraceEvent::KeyInstalled {
                direction,
                epoch,
                aead,
                key,
                iv,
            } => {
                let decrypter = RustCryptoProvider
                    .aead(*aead, key.as_bytes())
                    .ok()
                    .and_then(|aead| TrafficKey::new(aead, iv).ok())
                    .map(RecordDecrypter::new);
                keys[slot(*direction)] = Some(KeyState {
                    epoch: *epoch,
                    aead: explain::aead_name(*aead),
                    key: key.as_bytes().to_vec(),
                    iv: *iv,
                    decrypter,
                });
            }
            TraceEvent::Record {
                direction, bytes, ..
            } => {
                let protected = bytes.first() == Some(&23);
                let protection = match (&mut keys[slot(*direction)], protected) {
                    (Some(state), true) => Some(decrypt(state, bytes)),
                    _ => None,
                };
                records.push(Record {
                    direction: *direction,
                    bytes: bytes.clone(),
                    protection,
                });
            }
            _ => {}
        }
    }
    records
}

fn decrypt(state: &mut KeyState, bytes: &[u8]) -> Protection {
    let (sequence_number, inner) = match state.decrypter.as_mut() {
        Some(decrypter) => {
            let sequence_number = decrypter.sequence_number();
            let mut record = bytes.to_vec();
            let inner = decrypter
                .decrypt_in_place(&mut record)
                .map(|plain| (plain.content_type.to_u8(), plain.fragment.to_vec()))
                .map_err(|e| format!("{e:?}"));
            (sequence_number, inner)
        }
        None => (
            0,
            Err("the provider does not support this AEAD".to_string()),
        ),
    };
    Protection {
        epoch: state.epoch,
        aead: state.aead,
        key: state.key.clone(),
        iv: state.iv,
        sequence_number,
        inner,
    }
}

/// What a record carries: its (inner) content type and content.
pub(super) fn content(record: &Record) -> (u8, &[u8]) {
    match &record.protection {
        Some(Protection {
            inner: Ok((inner_type, content)),
            ..
        }) => (*inner_type, content),
        _ => (
            record.bytes.first().copied().unwrap_or(0),
            record.bytes.get(5..).unwrap_or_default(),
        ),
    }
}

pub(super) fn content_type_name(t: u8) -> &'static str {
    match t {
        20 => "change_cipher_spec",
        21 => "alert",
        22 => "handshake",
        23 => "application_data",
        _ => "unknown",
    }
}

/// Cuts handshake content into messages (type, whole message bytes).
pub(super) fn split_messages(content: &[u8]) -> Vec<&[u8]> {
    let mut messages = Vec::new();
    let mut rest = content;
    while let Some(header) = rest.get(..4) {
        let length =
            usize::from(header[1]) << 16 | usize::from(header[2]) << 8 | usize::from(header[3]);
        let end = (4 + length).min(rest.len());
        let (message, tail) = rest.split_at(end);
        messages.push(message);
        rest = tail;
    }
    messages
}
