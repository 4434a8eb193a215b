//! Sanity checks for the RFC 8448 vectors and their loader (`tests/common/vectors.rs`).
//!
//! These tests prove the extraction is complete and that no page break of the RFC text lost or
//! duplicated a byte: every length the traces carry inside their own bytes (handshake headers,
//! record headers) must agree with the number of bytes extracted.

mod common;

use common::vectors::{self, Block, TRACES, Trace};

/// The five handshake traces (§3 to §7).
const HANDSHAKE_TRACES: [&str; 5] = ["simple", "resumed", "hrr", "client_auth", "compat"];

/// Reads a big-endian uint24, as in RFC 9846 §3.3.
fn u24(bytes: &[u8]) -> usize {
    (usize::from(bytes[0]) << 16) | (usize::from(bytes[1]) << 8) | usize::from(bytes[2])
}

/// The RFC 9846 §4 HandshakeType of each message name the traces use as a label.
fn handshake_type(name: &str) -> u8 {
    match name {
        "ClientHello" => 1,
        "ServerHello" => 2, // also the HelloRetryRequest of §5 (RFC 9846 §4.2.4)
        "NewSessionTicket" => 4,
        "EndOfEarlyData" => 5,
        "EncryptedExtensions" => 8,
        "Certificate" => 11,
        "CertificateRequest" => 13,
        "CertificateVerify" => 15,
        "Finished" => 20,
        other => panic!("unexpected handshake message label {other:?}"),
    }
}

/// The "construct a ... handshake message" blocks of a trace.
fn message_blocks(trace: &Trace) -> Vec<&Block> {
    let mut blocks = trace.blocks("client", "construct a");
    blocks.extend(trace.blocks("server", "construct a"));
    blocks.retain(|b| b.heading.ends_with("handshake message"));
    blocks
}

/// The "send ... record" blocks of a trace, in RFC order.
fn record_blocks(trace: &Trace) -> Vec<&Block> {
    trace
        .blocks
        .iter()
        .filter(|b| b.heading.starts_with("send ") && b.heading.ends_with(" record"))
        .collect()
}

#[test]
fn test_every_trace_loads_and_counts_match_the_rfc() {
    // (trace, blocks, values, "send handshake record" blocks, "complete record" values,
    //  "construct ... handshake message" blocks), counted in rfc8448.txt with grep.
    let expected = [
        ("keys", 1, 8, 0, 0, 0),
        ("simple", 55, 109, 5, 9, 8),
        ("resumed", 60, 125, 5, 10, 6),
        ("hrr", 54, 106, 6, 8, 9),
        ("client_auth", 52, 101, 4, 6, 10),
        ("compat", 51, 102, 4, 8, 7),
    ];
    for (name, blocks, values, handshake_records, complete_records, messages) in expected {
        let trace = vectors::load(name);
        let section = TRACES.iter().find(|(n, _)| *n == name).unwrap().1;
        let value_count: usize = trace.blocks.iter().map(|b| b.values.len()).sum();
        let octets: usize = trace
            .blocks
            .iter()
            .flat_map(|b| &b.values)
            .map(|(_, v)| v.len())
            .sum();
        println!(
            "{name:12} {section:28} {:3} blocks {value_count:4} values {octets:5} octets",
            trace.blocks.len()
        );
        assert_eq!(trace.blocks.len(), blocks, "{name}: blocks");
        assert_eq!(value_count, values, "{name}: values");
        let sent = trace.blocks("client", "send handshake record").len()
            + trace.blocks("server", "send handshake record").len();
        assert_eq!(sent, handshake_records, "{name}: send handshake record");
        let complete = trace
            .blocks
            .iter()
            .filter(|b| b.try_get("complete record").is_some())
            .count();
        assert_eq!(complete, complete_records, "{name}: complete record");
        assert_eq!(message_blocks(&trace).len(), messages, "{name}: messages");
    }
}

#[test]
fn test_files_are_well_formed_and_summaries_agree() {
    // Read the raw files: every value is lowercase hex of even length, and the summary line
    // the extractor wrote agrees with what is in the file.
    for (name, _) in TRACES {
        let path = format!("{}/vectors/rfc8448/{name}.txt", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap();
        let (mut blocks, mut values, mut octets) = (0, 0, 0);
        for line in text.lines() {
            if line.starts_with('[') {
                blocks += 1;
            } else if let Some((_, hex_text)) = line.split_once(" =") {
                if line.starts_with('#') {
                    continue;
                }
                let hex_text = hex_text.trim_start();
                assert_eq!(hex_text.len() % 2, 0, "{path}: odd hex length: {line}");
                assert!(
                    hex_text
                        .bytes()
                        .all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')),
                    "{path}: not lowercase hex: {line}"
                );
                values += 1;
                octets += hex::decode(hex_text).unwrap().len();
            }
        }
        let summary = format!("# summary: {blocks} blocks, {values} values, {octets} octets");
        assert!(
            text.lines().any(|l| l == summary),
            "{path}: expected {summary:?}"
        );
    }
}

#[test]
fn test_simple_client_key_share() {
    // RFC 8448 §3: "{client}  create an ephemeral x25519 key pair".
    let simple = vectors::load("simple");
    let pair = simple.block("client", "create an ephemeral x25519 key pair");
    assert_eq!(
        pair.get("private key"),
        hex::decode("49af42ba7f7994852d713ef2784bcbcaa7911de26adc5642cb634540e7ea5005").unwrap()
    );
    assert_eq!(
        pair.get("public key"),
        hex::decode("99381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c").unwrap()
    );
    // The ClientHello: type 1, uint24 length 0x0000c0 = 192, 196 octets with its header.
    let hello = simple
        .block("client", "construct a ClientHello")
        .get("ClientHello");
    assert_eq!(&hello[..4], &[0x01, 0x00, 0x00, 0xc0]);
    assert_eq!(hello.len(), 196);
}

#[test]
fn test_every_handshake_message_length_matches_its_header() {
    for name in HANDSHAKE_TRACES {
        let trace = vectors::load(name);
        for block in message_blocks(&trace) {
            let (label, message) = &block.values[0];
            assert_eq!(block.values.len(), 1, "{name}: {}", block.heading);
            assert_eq!(message[0], handshake_type(label), "{name}: {label} type");
            if name == "resumed" && label == "ClientHello" {
                // §4 shows the ClientHello without its binders (the "ClientHello prefix" the
                // binder is computed over), so its header counts 35 more octets: the binders
                // list's uint16 length, the binder's uint8 length and the 32-octet binder.
                assert_eq!(
                    u24(&message[1..4]),
                    message.len() - 4 + 35,
                    "{name}: {label}"
                );
            } else {
                assert_eq!(u24(&message[1..4]), message.len() - 4, "{name}: {label}");
            }
            // Each constructed message is sent, by the same actor, in a handshake record.
            let sent = trace
                .blocks(&block.actor, "send handshake record")
                .iter()
                .any(|r| {
                    r.get("payload")
                        .windows(message.len())
                        .any(|w| w == message)
                });
            assert!(sent, "{name}: {label} is in no handshake record payload");
        }
    }
}

#[test]
fn test_resumed_client_hello_is_prefix_and_binders() {
    // RFC 8448 §4: the sent ClientHello = the prefix || binders (u16 33, u8 32, the binder),
    // where the binder is the "finished" value of "calculate PSK binder".
    let resumed = vectors::load("resumed");
    let binder_block = resumed.block("client", "calculate PSK binder");
    let prefix = binder_block.get("ClientHello prefix");
    assert_eq!(
        resumed
            .block("client", "construct a ClientHello")
            .get("ClientHello"),
        prefix
    );
    let mut expected = prefix.to_vec();
    expected.extend_from_slice(&[0x00, 0x21, 0x20]);
    expected.extend_from_slice(binder_block.get("finished"));
    let payload = resumed
        .block("client", "send handshake record")
        .get("payload");
    assert_eq!(payload, expected.as_slice());
}

#[test]
fn test_every_record_header_matches_its_payload() {
    for name in HANDSHAKE_TRACES {
        let trace = vectors::load(name);
        for block in record_blocks(&trace) {
            let what = format!("{name}: [{}] {}", block.actor, block.heading);
            let payload = block.get("payload");
            let record = block.get("complete record");
            // RFC 9846 §5.1: type(1) legacy_record_version(2) length(2) fragment.
            let length = usize::from(u16::from_be_bytes([record[3], record[4]]));
            assert_eq!(length, record.len() - 5, "{what}: record length");
            assert!(
                matches!(record[1..3], [0x03, 0x01] | [0x03, 0x03]),
                "{what}"
            );
            let inner_type = match block.heading.as_str() {
                "send change_cipher_spec record" => 20,
                "send alert record" => 21,
                "send handshake record" => 22,
                "send application_data record" => 23,
                other => panic!("{name}: unexpected record block {other:?}"),
            };
            if record[0] == 23 {
                // RFC 9846 §5.2: TLSInnerPlaintext = content || type, then a 16-octet
                // AES-128-GCM tag (every trace uses TLS_AES_128_GCM_SHA256; no padding).
                assert_eq!(length, payload.len() + 1 + 16, "{what}: protected length");
            } else {
                assert_eq!(record[0], inner_type, "{what}: plaintext type");
                assert_eq!(&record[5..], payload, "{what}: plaintext fragment");
            }
            if inner_type == 22 {
                // A handshake payload is whole messages, each with a consistent header.
                let mut rest = payload;
                while !rest.is_empty() {
                    let end = 4 + u24(&rest[1..4]);
                    assert!(end <= rest.len(), "{what}: message overruns the payload");
                    rest = &rest[end..];
                }
            }
        }
    }
}

#[test]
fn test_value_split_by_page_break_is_joined() {
    // RFC 8448 §3, the server's second "complete record" (679 octets) runs from page 8 to
    // page 9: page 8 ends "... 60 bd 59 6e ea", page 9 starts "52 0a 56 a8 ...".
    let simple = vectors::load("simple");
    let record = simple.blocks("server", "send handshake record")[1].get("complete record");
    assert_eq!(record.len(), 679);
    assert_eq!(
        &record[259..268],
        &[0x60, 0xbd, 0x59, 0x6e, 0xea, 0x52, 0x0a, 0x56, 0xa8]
    );
}

/// Multiplies two big-endian unsigned integers (schoolbook), returning big-endian bytes.
fn multiply(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut product = vec![0u32; a.len() + b.len()];
    for (i, &x) in a.iter().rev().enumerate() {
        let mut carry = 0u32;
        for (j, &y) in b.iter().rev().enumerate() {
            let sum = product[i + j] + u32::from(x) * u32::from(y) + carry;
            product[i + j] = sum & 0xff;
            carry = sum >> 8;
        }
        product[i + b.len()] += carry;
    }
    let bytes: Vec<u8> = product.iter().rev().map(|&d| d as u8).collect();
    let first = bytes.iter().position(|&d| d != 0).unwrap_or(bytes.len());
    bytes[first..].to_vec()
}

#[test]
fn test_rsa_key_is_consistent() {
    // RFC 8448 §2: a 1024-bit RSA key with e = 65537 whose modulus is prime1 * prime2, and
    // whose modulus is the public key in the §3 server Certificate.
    let keys = vectors::load("keys");
    let key = keys.block("server", "RSA certificate private key");
    let modulus = key.get("modulus (public)");
    assert_eq!(modulus.len(), 128);
    assert_eq!(key.get("public exponent"), &[0x01, 0x00, 0x01]);
    assert_eq!(multiply(key.get("prime1"), key.get("prime2")), modulus);
    let simple = vectors::load("simple");
    let certificate = simple
        .block("server", "construct a Certificate")
        .get("Certificate");
    assert!(certificate.windows(128).any(|w| w == modulus));
}

#[test]
fn test_same_as_blocks_have_no_values() {
    // RFC 8448 §3: "{client}  extract secret "handshake" (same as server handshake
    // secret)" spans two lines in the RFC and repeats no values.
    let simple = vectors::load("simple");
    let block = simple.block("client", "extract secret \"handshake\"");
    assert_eq!(
        block.heading,
        "extract secret \"handshake\" (same as server handshake secret)"
    );
    assert!(block.values.is_empty());
    // The values are under the server's block.
    let server = simple.block("server", "extract secret \"handshake\"");
    assert_eq!(server.get("secret").len(), 32);
    assert_eq!(server.try_get("key"), None);
}

#[test]
fn test_salt_zero_is_hash_length_zeros_and_empty_hash_is_empty() {
    // RFC 8448 writes "salt:  0 (all zero octets)" and "hash (0 octets):  (empty)".
    let simple = vectors::load("simple");
    assert_eq!(
        simple
            .block("server", "extract secret \"early\"")
            .get("salt"),
        &[0u8; 32]
    );
    let finished = simple.block("server", "calculate finished");
    assert_eq!(finished.get("hash"), &[] as &[u8]);
    assert_eq!(finished.get("finished").len(), 32);
}

#[test]
#[should_panic(expected = "closest:")]
fn test_missing_block_panics_with_close_matches() {
    vectors::load("simple").block("client", "derive secret \"tls13 c hs trafic\"");
}

#[test]
#[should_panic(expected = "its labels are")]
fn test_missing_label_panics_with_labels() {
    vectors::load("simple")
        .block("server", "extract secret \"early\"")
        .get("PRK");
}
