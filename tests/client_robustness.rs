//! The client refuses every altered byte of a server's flight, with the alert RFC 9846
//! names for what the byte was. RFC 8448 §3's server flight is altered one byte at a time
//! (in the clear ServerHello record, in the sealed record's header and ciphertext, and
//! inside the flight's plaintext, sealed again so that the alteration reaches the
//! parsers); what each byte is decides the expected outcome, which is asserted exactly:
//! the alert, or that the client waits for more bytes, or (for the one field RFC 9846 tells
//! receivers to ignore) that the handshake completes. A failure must leave the error sticky
//! and the alert queued. Random bytes are fed as well.

mod common;

use std::ops::Range;

use common::check::first_server_flight;
use common::nss::simple_client;
use common::reseal::{flight_messages, sealed_flight};
use common::setup::SeededRng;
use common::vectors::{self, Trace};
use lucid_tls::crypto::Rng;
use lucid_tls::time::Time;
use lucid_tls::wire::alert::AlertDescription::{
    self, BadCertificate, BadRecordMac, DecodeError, DecryptError, IllegalParameter,
    ProtocolVersion, RecordOverflow, UnexpectedMessage, UnknownCa, UnsupportedCertificate,
    UnsupportedExtension,
};
use lucid_tls::wire::codes::ExtensionType;

const NOW: Time = Time::from_unix_secs(1_748_736_000);

/// What feeding an altered flight did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    /// The client failed and queued this alert.
    Alert(AlertDescription),
    /// No error: the client waits in this state for more bytes.
    Waits(&'static str),
    /// The bytes held an alert, which ended the connection (nothing is sent back).
    PeerAlert(AlertDescription),
}

/// Feeds `bytes` to a fresh §3 client; checks what a failure leaves behind.
fn feed(trace: &Trace, bytes: &[u8]) -> Outcome {
    let (mut client, _) = simple_client(trace, NOW);
    client.take_output();
    match client.feed(NOW, bytes) {
        Ok(n) => {
            assert_eq!(n, bytes.len());
            Outcome::Waits(client.state_name())
        }
        Err(err) => {
            assert_eq!(client.error(), Some(err));
            assert_eq!(client.feed(NOW, b"more"), Err(err), "sticky");
            if let lucid_tls::Error::AlertReceived(alert) = err {
                assert!(!client.has_output(), "nothing in answer to an alert");
                return Outcome::PeerAlert(alert);
            }
            let alert = err.alert().expect("a server flight error sends an alert");
            assert!(client.has_output(), "{err:?} must send its alert");
            Outcome::Alert(alert)
        }
    }
}

/// What one byte of the ServerHello record is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    RecordType,
    RecordVersion,
    RecordLength,
    MessageType,
    MessageLength,
    LegacyVersion,
    Random,
    SessionIdLength,
    CipherSuite,
    Compression,
    ExtensionsLength,
    ExtensionType(ExtensionType),
    ExtensionLength,
    KeyShareGroup,
    KeyShareLength,
    KeyShareKey,
    SelectedVersion,
}

/// The fields of the ServerHello record `record`, by byte range.
fn server_hello_fields(record: &[u8]) -> Vec<(Range<usize>, Field)> {
    let be16 = |at: usize| usize::from(u16::from_be_bytes([record[at], record[at + 1]]));
    let session_id_len = usize::from(record[43]);
    let mut at = 44 + session_id_len;
    let mut fields = vec![
        (0..1, Field::RecordType),
        (1..3, Field::RecordVersion),
        (3..5, Field::RecordLength),
        (5..6, Field::MessageType),
        (6..9, Field::MessageLength),
        (9..11, Field::LegacyVersion),
        (11..43, Field::Random),
        (43..44, Field::SessionIdLength),
        (at..at + 2, Field::CipherSuite),
        (at + 2..at + 3, Field::Compression),
        (at + 3..at + 5, Field::ExtensionsLength),
    ];
    at += 5;
    while at < record.len() {
        let typ = ExtensionType::from_u16(be16(at) as u16);
        let len = be16(at + 2);
        fields.push((at..at + 2, Field::ExtensionType(typ)));
        fields.push((at + 2..at + 4, Field::ExtensionLength));
        let body = at + 4;
        match typ {
            ExtensionType::KeyShare => {
                fields.push((body..body + 2, Field::KeyShareGroup));
                fields.push((body + 2..body + 4, Field::KeyShareLength));
                fields.push((body + 4..body + len, Field::KeyShareKey));
            }
            ExtensionType::SupportedVersions => {
                fields.push((body..body + len, Field::SelectedVersion))
            }
            other => panic!("§3's ServerHello has no {other:?}"),
        }
        at = body + len;
    }
    assert_eq!(at, record.len());
    fields
}

/// What the client must do with the ServerHello record's byte in `field`, altered to
/// `altered` (the record's whole altered bytes, to read lengths from).
fn expected_in_server_hello(field: Field, altered: &[u8]) -> Vec<Outcome> {
    use Outcome::{Alert, Waits};
    match field {
        // RFC 9846 §5: "If a TLS implementation receives an unexpected record type, it
        // MUST terminate the connection with an "unexpected_message" alert" (here
        // application_data before any key, or an unknown type).
        Field::RecordType => vec![Alert(UnexpectedMessage)],
        // RFC 9846 §5.1: legacy_record_version "MUST be ignored for all purposes".
        Field::RecordVersion => vec![Waits("CONNECTED")],
        Field::RecordLength => {
            let length = usize::from(u16::from_be_bytes([altered[3], altered[4]]));
            if length > 1 << 14 {
                // RFC 9846 §5.1: a TLSPlaintext over 2^14 bytes: record_overflow.
                vec![Alert(RecordOverflow)]
            } else {
                // The records are cut elsewhere: the ServerHello is short (decode_error),
                // or takes in bytes of the next record as handshake bytes (an unknown
                // message type, or an interleaved record: unexpected_message).
                vec![Alert(DecodeError), Alert(UnexpectedMessage)]
            }
        }
        // RFC 9846 §4: a message in an unexpected order (or of no TLS 1.3 type) MUST
        // abort the handshake with unexpected_message.
        Field::MessageType => vec![Alert(UnexpectedMessage)],
        // A shorter message does not parse (decode_error); a longer one waits for bytes
        // that come in an application_data record (RFC 9846 §5.1: handshake messages "MUST
        // NOT be interleaved with other record types": unexpected_message).
        Field::MessageLength => vec![Alert(DecodeError), Alert(UnexpectedMessage)],
        // RFC 9846 §4.2.3: "A client which receives a TLS 1.3 Server Hello with a
        // legacy_version value not equal to 0x0303 MUST abort the handshake with a
        // "protocol_version" alert."
        Field::LegacyVersion => vec![Alert(ProtocolVersion)],
        // The random is in the transcript: the server's handshake keys are not the ones
        // the client derives, and the sealed record fails (RFC 9846 §5.2: bad_record_mac).
        Field::Random | Field::KeyShareKey => vec![Alert(BadRecordMac)],
        Field::SessionIdLength | Field::ExtensionsLength | Field::ExtensionLength => {
            vec![Alert(DecodeError)]
        }
        Field::KeyShareLength => vec![Alert(DecodeError), Alert(IllegalParameter)],
        // RFC 9846 §4.2.3: "A client which receives a cipher suite that was not offered
        // MUST abort the handshake with an "illegal_parameter" alert."; and
        // legacy_compression_method "MUST have the value 0" (illegal_parameter).
        Field::CipherSuite | Field::Compression => vec![Alert(IllegalParameter)],
        // RFC 9846 §4.3.8: the selected group must be one the client offered a share for.
        Field::KeyShareGroup => vec![Alert(IllegalParameter)],
        // RFC 9846 §4.3.1: a version not offered or prior to TLS 1.3: illegal_parameter.
        Field::SelectedVersion => vec![Alert(IllegalParameter)],
        // RFC 9846 §4.3: an extension the client did not offer: unsupported_extension; a
        // known one not allowed in ServerHello: illegal_parameter; without
        // supported_versions the server negotiated TLS 1.2 or older: protocol_version.
        Field::ExtensionType(_) => vec![
            Alert(UnsupportedExtension),
            Alert(IllegalParameter),
            Alert(ProtocolVersion),
        ],
    }
}

/// What the client must do when a byte of the sealed record (EncryptedExtensions ..
/// Finished) at `offset` in the record is altered to give `altered`.
fn expected_in_sealed_record(offset: usize, altered: &[u8], original_len: usize) -> Vec<Outcome> {
    use Outcome::{Alert, Waits};
    match offset {
        // A handshake (or unknown) record type after keys are installed: RFC 9846 §5.1,
        // an unprotected record of another type is an unexpected message.
        0 => vec![Alert(UnexpectedMessage)],
        3 | 4 => {
            let length = usize::from(u16::from_be_bytes([altered[3], altered[4]]));
            if length > (1 << 14) + 256 {
                // RFC 9846 §5.2: TLSCiphertext over 2^14 + 256 bytes: record_overflow.
                vec![Alert(RecordOverflow)]
            } else if length > original_len - 5 {
                vec![Waits("WAIT_EE")]
            } else {
                vec![Alert(BadRecordMac)]
            }
        }
        // The header is the AEAD's additional data (RFC 9846 §5.2), and every other byte
        // is ciphertext or tag: "If the decryption fails, the receiver MUST terminate the
        // connection with a "bad_record_mac" alert."
        _ => vec![Alert(BadRecordMac)],
    }
}

#[test]
fn every_altered_byte_of_the_server_flight() {
    let trace = vectors::load("simple");
    let flight = first_server_flight(&trace);
    let hello_len = 5 + usize::from(u16::from_be_bytes([flight[3], flight[4]]));
    let fields = server_hello_fields(&flight[..hello_len]);
    let mut checked = 0;
    for i in 0..flight.len() {
        for mask in [0x01, 0x80] {
            let mut altered = flight.clone();
            altered[i] ^= mask;
            let expected = if i < hello_len {
                let (_, field) = fields.iter().find(|(r, _)| r.contains(&i)).unwrap();
                expected_in_server_hello(*field, &altered)
            } else {
                let record = &altered[hello_len..];
                expected_in_sealed_record(i - hello_len, record, flight.len() - hello_len)
            };
            let outcome = feed(&trace, &altered);
            assert!(
                expected.contains(&outcome),
                "byte {i} ^ {mask:#x}: {outcome:?}, expected one of {expected:?}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 2 * flight.len());
}

/// What the client must do when byte `offset` of `message` (one of EncryptedExtensions,
/// Certificate, CertificateVerify, Finished: number `index` of the flight) is altered,
/// everything sealed again with the right key. Every change is in the transcript, so
/// nothing may complete: a value that still parses fails the CertificateVerify or the
/// Finished.
fn expected_in_message(index: usize, offset: usize) -> Vec<Outcome> {
    use Outcome::{Alert, Waits};
    let waits = ["WAIT_EE", "WAIT_CERT_CR", "WAIT_CV", "WAIT_FINISHED"][index];
    match (index, offset) {
        // RFC 9846 §4: a message out of order: unexpected_message.
        (_, 0) => vec![Alert(UnexpectedMessage)],
        // A length that does not fit (decode_error), or a longer message the client waits
        // for the rest of.
        (_, 1..=3) => vec![Alert(DecodeError), Waits(waits)],
        // EncryptedExtensions: an extension the client did not offer (RFC 9846 §4.3:
        // unsupported_extension), a body that does not parse (decode_error) or breaks a
        // rule of its extension (illegal_parameter), or a value that parses and changes
        // the transcript: the CertificateVerify fails (RFC 9846 §4.5.2: decrypt_error).
        (0, _) => vec![
            Alert(UnsupportedExtension),
            Alert(DecodeError),
            Alert(IllegalParameter),
            Alert(DecryptError),
        ],
        // Certificate: the pinned certificate no longer matches, or does not parse (RFC
        // 9846 §4.5.1.3 and §6.2: bad_certificate, unsupported_certificate, unknown_ca),
        // or the message's own lengths break (decode_error).
        (1, _) => vec![
            Alert(BadCertificate),
            Alert(UnsupportedCertificate),
            Alert(UnknownCa),
            Alert(DecodeError),
        ],
        // CertificateVerify: the scheme (4..6) is one not offered (RFC 9846 §4.5.2:
        // illegal_parameter) or another offered one the signature fails under; the
        // signature's length (6..8) no longer fits; the signature (8..) fails: RFC 9846
        // §4.5.2, "If the verification fails, the receiver MUST terminate the handshake
        // with a "decrypt_error" alert."
        (2, 4..=5) => vec![Alert(IllegalParameter), Alert(DecryptError)],
        (2, 6..=7) => vec![Alert(DecodeError)],
        (2, _) => vec![Alert(DecryptError)],
        // Finished: RFC 9846 §4.5.3, "if incorrect MUST terminate the connection with a
        // "decrypt_error" alert."
        (3, _) => vec![Alert(DecryptError)],
        _ => unreachable!("four messages"),
    }
}

#[test]
fn every_altered_byte_inside_the_sealed_flight() {
    let trace = vectors::load("simple");
    let messages = flight_messages(&trace);
    assert_eq!(
        messages.len(),
        4,
        "EE, Certificate, CertificateVerify, Finished"
    );
    let plaintext = messages.concat();
    let mut start = 0;
    for (index, message) in messages.iter().enumerate() {
        for offset in 0..message.len() {
            for mask in [0x01, 0xff] {
                let mut altered = plaintext.clone();
                altered[start + offset] ^= mask;
                let outcome = feed(&trace, &sealed_flight(&trace, &altered));
                let expected = expected_in_message(index, offset);
                assert!(
                    expected.contains(&outcome),
                    "message {index} byte {offset} ^ {mask:#x}: {outcome:?}, expected one of {expected:?}"
                );
            }
        }
        start += message.len();
    }
}

#[test]
fn every_truncation_of_the_sealed_flight_waits() {
    // A sealed record that ends inside a message: every whole message before the cut is
    // taken, and the client waits in the state that expects the next one.
    let trace = vectors::load("simple");
    let messages = flight_messages(&trace);
    let plaintext = messages.concat();
    let states = ["WAIT_EE", "WAIT_CERT_CR", "WAIT_CV", "WAIT_FINISHED"];
    for len in 1..plaintext.len() {
        let mut whole = 0;
        let mut end = 0;
        for message in &messages {
            if end + message.len() > len {
                break;
            }
            end += message.len();
            whole += 1;
        }
        let outcome = feed(&trace, &sealed_flight(&trace, &plaintext[..len]));
        assert_eq!(outcome, Outcome::Waits(states[whole]), "cut at {len}");
    }
}

#[test]
fn random_bytes() {
    let trace = vectors::load("simple");
    let mut rng = SeededRng::new(99);
    for _ in 0..500 {
        let len = rng.below(300);
        let mut bytes = vec![0u8; len];
        rng.fill(&mut bytes).unwrap();
        // Half of the runs get a plausible record header, to get past the deframer.
        if len > 5 && rng.below(2) == 0 {
            bytes[0] = [20, 21, 22, 23][rng.below(4)];
            bytes[1..3].copy_from_slice(&[3, 3]);
            bytes[3..5].copy_from_slice(&((len - 5) as u16).to_be_bytes());
        }
        let outcome = feed(&trace, &bytes);
        assert!(
            !matches!(outcome, Outcome::Waits(state) if state != "WAIT_SH"),
            "random bytes moved the client on: {outcome:?}"
        );
    }
}
