//! Every record of RFC 8448's five handshake traces (§3–§7), both directions, through the
//! record layer: plaintext records framed byte for byte, protected records sealed byte for
//! byte from their payload and opened back, a deframer that sees the same records however
//! the bytes are split, and tampering that ends in bad_record_mac.
//!
//! The keys come from each trace's "derive write/read traffic keys for ..." blocks. The
//! sequence numbers are not in the trace: they are counted here, per sender and per key, in
//! RFC order, exactly as RFC 9846 §5.3 says a connection counts them.

mod common;

use std::collections::HashMap;

use common::vectors::{self, Trace};
use lucid_tls::Error;
use lucid_tls::crypto::AeadAlgorithm;
use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::record::check_unprotected;
use lucid_tls::record::decrypter::RecordDecrypter;
use lucid_tls::record::deframer::RecordDeframer;
use lucid_tls::record::encrypter::{Padding, RecordEncrypter};
use lucid_tls::record::nonce::TrafficKey;
use lucid_tls::wire::alert::AlertDescription;
use lucid_tls::wire::codes::ContentType;
use lucid_tls::wire::record::{
    LEGACY_RECORD_VERSION, LEGACY_RECORD_VERSION_INITIAL_CLIENT_HELLO, TLSPlaintext,
};

/// The five traces with records, and how many plaintext and protected records each has.
const TRACES: [(&str, &str, usize, usize); 5] = [
    ("simple", "§3", 2, 7),
    ("resumed", "§4", 2, 8),
    ("hrr", "§5", 4, 4),
    ("client_auth", "§6", 2, 4),
    ("compat", "§7", 4, 4),
];

/// The key a record was protected with: `[sender]_write_key` and `_iv` of one epoch
/// ("handshake data", "application data", "early application data").
#[derive(Clone, Debug)]
struct Epoch {
    name: String,
    key: Vec<u8>,
    iv: Vec<u8>,
}

/// One "{actor} send ... record" block of a trace.
#[derive(Clone, Debug)]
struct TraceRecord {
    sender: String,
    content_type: ContentType,
    payload: Vec<u8>,
    complete: Vec<u8>,
    /// For a protected record: the epoch and the sequence number within it.
    protection: Option<(Epoch, u64)>,
}

fn peer(actor: &str) -> &'static str {
    if actor == "client" {
        "server"
    } else {
        "client"
    }
}

/// "derive write traffic keys for handshake data (same as ...)" → "handshake data".
fn epoch_name(rest: &str) -> String {
    rest.split(" (").next().unwrap_or(rest).to_string()
}

/// Every record of `trace` in RFC order, each with the key and sequence number it used.
fn trace_records(trace: &Trace) -> Vec<TraceRecord> {
    // Each sender's key per epoch, wherever the trace prints it: in the sender's "write"
    // block or in the receiver's "read" block (the other is "(same as ...)" and empty).
    let mut keys: HashMap<(String, String), Epoch> = HashMap::new();
    for block in &trace.blocks {
        let (sender, rest) =
            if let Some(rest) = block.heading.strip_prefix("derive write traffic keys for ") {
                (block.actor.as_str(), rest)
            } else if let Some(rest) = block.heading.strip_prefix("derive read traffic keys for ") {
                (peer(&block.actor), rest)
            } else {
                continue;
            };
        if let (Some(key), Some(iv)) = (block.try_get("key expanded"), block.try_get("iv expanded"))
        {
            let name = epoch_name(rest);
            let epoch = Epoch {
                name: name.clone(),
                key: key.to_vec(),
                iv: iv.to_vec(),
            };
            keys.insert((sender.to_string(), name), epoch);
        }
    }

    // Walk the trace: a sender's "derive write traffic keys" starts a new epoch at sequence
    // number 0 (RFC 9846 §5.3); each record it sends then uses the next number.
    let mut current: HashMap<String, (Epoch, u64)> = HashMap::new();
    let mut records = Vec::new();
    for block in &trace.blocks {
        if let Some(rest) = block.heading.strip_prefix("derive write traffic keys for ") {
            let name = epoch_name(rest);
            let epoch = keys
                .get(&(block.actor.clone(), name.clone()))
                .unwrap_or_else(|| panic!("no {} key for {name} in the trace", block.actor))
                .clone();
            current.insert(block.actor.clone(), (epoch, 0));
            continue;
        }
        let Some(kind) = block
            .heading
            .strip_prefix("send ")
            .and_then(|r| r.strip_suffix(" record"))
        else {
            continue;
        };
        let content_type = match kind {
            "handshake" => ContentType::Handshake,
            "application_data" => ContentType::ApplicationData,
            "alert" => ContentType::Alert,
            "change_cipher_spec" => ContentType::ChangeCipherSpec,
            other => panic!("unknown record kind {other:?}"),
        };
        let protection = match (content_type, current.get_mut(&block.actor)) {
            // RFC 9846 §5: change_cipher_spec is never protected.
            (ContentType::ChangeCipherSpec, _) | (_, None) => None,
            (_, Some((epoch, seq))) => {
                *seq += 1;
                Some((epoch.clone(), *seq - 1))
            }
        };
        records.push(TraceRecord {
            sender: block.actor.clone(),
            content_type,
            payload: block.get("payload").to_vec(),
            complete: block.get("complete record").to_vec(),
            protection,
        });
    }
    records
}

fn traffic_key(epoch: &Epoch) -> TrafficKey {
    // Every RFC 8448 trace negotiates TLS_AES_128_GCM_SHA256.
    assert_eq!(epoch.key.len(), 16, "{} key", epoch.name);
    TrafficKey::from_key_and_iv(
        &RustCryptoProvider,
        AeadAlgorithm::Aes128Gcm,
        &epoch.key,
        &epoch.iv,
    )
    .unwrap()
}

/// A decrypter for `epoch` that has already read `seq` records: the earlier records of the
/// same sender and epoch are decrypted first, since the count is the only way to get there.
fn decrypter_at(records: &[TraceRecord], sender: &str, epoch: &Epoch, seq: u64) -> RecordDecrypter {
    let mut d = RecordDecrypter::new(traffic_key(epoch));
    for r in records.iter().filter(|r| r.sender == sender) {
        if let Some((e, n)) = &r.protection
            && e.name == epoch.name
            && *n < seq
        {
            d.decrypt_in_place(&mut r.complete.clone()).unwrap();
        }
    }
    assert_eq!(d.sequence_number(), seq);
    d
}

#[test]
fn test_emit_and_parse_every_record() {
    let mut total = (0, 0);
    for (name, section, want_plain, want_protected) in TRACES {
        let records = trace_records(&vectors::load(name));
        let mut encrypters: HashMap<(String, String), RecordEncrypter> = HashMap::new();
        let mut decrypters: HashMap<(String, String), RecordDecrypter> = HashMap::new();
        let mut seen_client_hello = false;
        let (mut plain, mut protected) = (0, 0);

        for r in &records {
            let what = format!(
                "RFC 8448 {section} {} {:?} record",
                r.sender, r.content_type
            );
            match &r.protection {
                None => {
                    // RFC 9846 §5.1: 0x0301 is allowed only for an initial ClientHello.
                    let version = if r.sender == "client" && !seen_client_hello {
                        seen_client_hello = true;
                        LEGACY_RECORD_VERSION_INITIAL_CLIENT_HELLO
                    } else {
                        LEGACY_RECORD_VERSION
                    };
                    let record = TLSPlaintext {
                        content_type: r.content_type,
                        legacy_record_version: version,
                        fragment: &r.payload,
                    };
                    assert_eq!(record.to_bytes().unwrap(), r.complete, "{what}: framing");
                    assert_eq!(TLSPlaintext::parse(&r.complete).unwrap(), record, "{what}");
                    check_unprotected(r.content_type, r.payload.len()).unwrap();
                    plain += 1;
                }
                Some((epoch, seq)) => {
                    let id = (r.sender.clone(), epoch.name.clone());
                    let e = encrypters
                        .entry(id.clone())
                        .or_insert_with(|| RecordEncrypter::new(traffic_key(epoch)));
                    assert_eq!(e.sequence_number(), *seq, "{what}");
                    let sealed = e
                        .encrypt(r.content_type, &r.payload, Padding::None)
                        .unwrap();
                    assert_eq!(sealed, r.complete, "{what} #{seq} under {}", epoch.name);

                    let d = decrypters
                        .entry(id)
                        .or_insert_with(|| RecordDecrypter::new(traffic_key(epoch)));
                    let mut bytes = r.complete.clone();
                    let opened = d.decrypt_in_place(&mut bytes).unwrap();
                    assert_eq!(opened.content_type, r.content_type, "{what}");
                    assert_eq!(opened.fragment, r.payload, "{what}");
                    protected += 1;
                }
            }
        }
        eprintln!("RFC 8448 {section} ({name}): {plain} plaintext + {protected} protected records");
        assert_eq!(
            (plain, protected),
            (want_plain, want_protected),
            "{section}"
        );
        total = (total.0 + plain, total.1 + protected);
    }
    eprintln!(
        "total: {} plaintext + {} protected records",
        total.0, total.1
    );
    assert_eq!(total, (14, 27));
}

#[test]
fn test_parse_tampered_records_fail_with_bad_record_mac() {
    let mut checked = 0;
    for (name, section, ..) in TRACES {
        let records = trace_records(&vectors::load(name));
        for r in &records {
            let Some((epoch, seq)) = &r.protection else {
                continue;
            };
            // Flip one bit of every byte in turn: header, ciphertext and tag. Zeros after the
            // record give a lengthened header something to swallow.
            for i in 0..r.complete.len() {
                let mut stream = r.complete.clone();
                stream[i] ^= 0x01;
                stream.extend_from_slice(&[0u8; 300]);
                let mut deframer = RecordDeframer::new();
                deframer.feed(&stream);
                let received = deframer.next_record().unwrap().unwrap();

                let mut d = decrypter_at(&records, &r.sender, epoch, *seq);
                let err = d.decrypt_in_place(received.bytes).unwrap_err();
                assert_eq!(
                    err.alert(),
                    Some(AlertDescription::BadRecordMac),
                    "RFC 8448 {section} {} record #{seq}, byte {i}: {err}",
                    r.sender
                );
                assert!(matches!(err, Error::Crypto(_)));
                checked += 1;
            }
        }
    }
    eprintln!("{checked} tampered records rejected");
}

#[test]
fn test_parse_byte_by_byte_flights_yield_the_same_records() {
    for (name, section, ..) in TRACES {
        let records = trace_records(&vectors::load(name));
        for sender in ["client", "server"] {
            let sent: Vec<&Vec<u8>> = records
                .iter()
                .filter(|r| r.sender == sender)
                .map(|r| &r.complete)
                .collect();
            let stream: Vec<u8> = sent.iter().flat_map(|r| r.iter().copied()).collect();
            for chunk in [1, 2, 5, 7, 100, stream.len()] {
                let mut deframer = RecordDeframer::new();
                let mut got: Vec<Vec<u8>> = Vec::new();
                for piece in stream.chunks(chunk) {
                    // The deframer takes bytes up to the end of one record at a time.
                    let mut fed = 0;
                    while fed < piece.len() {
                        fed += deframer.feed(&piece[fed..]);
                        while let Some(record) = deframer.next_record().unwrap() {
                            got.push(record.bytes.to_vec());
                        }
                    }
                }
                assert_eq!(deframer.buffered_len(), 0);
                let want: Vec<Vec<u8>> = sent.iter().map(|r| r.to_vec()).collect();
                assert_eq!(
                    got, want,
                    "RFC 8448 {section} {sender} stream in {chunk}-byte pieces"
                );
            }
        }
    }
}
