//! Every handshake message of RFC 8448's five handshake traces (§3 simple, §4 resumed 0-RTT,
//! §5 HelloRetryRequest, §6 client authentication, §7 compatibility mode), decoded with
//! `lucid_tls::wire` and encoded again, byte for byte.
//!
//! The messages are taken from the "send handshake record" payloads, cut apart with
//! `split_header` as an engine would, and tied back to the RFC's "construct a ...
//! handshake message" blocks. Key fields are checked against the RFC's values, and every
//! message is mangled (cut at every length, one byte appended) to check that the decoders
//! fail cleanly with the right alert.

mod common;

use common::vectors::{self, Trace};
use lucid_tls::codec::Writer;
use lucid_tls::crypto::suite_algorithms;
use lucid_tls::wire::alert::AlertDescription;
use lucid_tls::wire::algorithms::{CipherSuite, SignatureScheme};
use lucid_tls::wire::codes::{ExtensionType, HandshakeType};
use lucid_tls::wire::extensions::Extension;
use lucid_tls::wire::handshake::{HANDSHAKE_HEADER_LEN, HandshakeMessage, split_header};

/// One handshake message as it crossed the wire in a trace.
struct WireMessage {
    /// "client" or "server".
    actor: String,
    /// The message, header included.
    bytes: Vec<u8>,
    /// `Hash.length` of the suite negotiated when the message was sent, if any yet.
    hash_len: Option<usize>,
    /// What it decoded to.
    decoded: HandshakeMessage,
}

/// Cuts every "send handshake record" payload of `trace` into messages, in RFC order, and
/// decodes each, learning the Finished length from the ServerHello as an engine would.
fn wire_messages(trace: &Trace) -> Vec<WireMessage> {
    let mut out = Vec::new();
    let mut hash_len = None;
    let records = trace
        .blocks
        .iter()
        .filter(|b| b.heading.starts_with("send handshake record"));
    for record in records {
        let mut rest = record.get("payload");
        while !rest.is_empty() {
            let header = split_header(rest).unwrap().expect("a whole header");
            let (bytes, tail) = rest.split_at(header.message_len());
            let decoded = HandshakeMessage::decode(bytes, hash_len).unwrap_or_else(|e| {
                panic!(
                    "{}: {:?} failed to decode: {e}",
                    trace.name, header.msg_type
                )
            });
            if let HandshakeMessage::ServerHello(sh) = &decoded {
                let (_, hash) = suite_algorithms(sh.cipher_suite).expect("a suite we run");
                hash_len = Some(hash.output_len());
            }
            out.push(WireMessage {
                actor: record.actor.clone(),
                bytes: bytes.to_vec(),
                hash_len,
                decoded,
            });
            rest = tail;
        }
    }
    out
}

/// The messages of `trace` that decode to the variant `pick` selects, in RFC order.
fn all_of<'a, T>(
    messages: &'a [WireMessage],
    pick: impl Fn(&'a HandshakeMessage) -> Option<&'a T>,
) -> Vec<&'a T> {
    messages.iter().filter_map(|m| pick(&m.decoded)).collect()
}

/// The single message of `trace` that `pick` selects; panics if there are none or several.
fn only<'a, T>(
    messages: &'a [WireMessage],
    what: &str,
    pick: impl Fn(&'a HandshakeMessage) -> Option<&'a T>,
) -> &'a T {
    match all_of(messages, pick)[..] {
        [one] => one,
        ref found => panic!("expected one {what}, found {}", found.len()),
    }
}

/// The bytes of one extension as sent: type, length, data.
fn extension_bytes(e: &Extension) -> Vec<u8> {
    let mut w = Writer::new();
    e.encode(&mut w);
    w.finish().unwrap()
}

fn hex(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

/// The traces and how many handshake messages each carries.
const TRACES: [(&str, usize); 5] = [
    ("simple", 8),       // CH, SH, EE, Certificate, CertificateVerify, Finished x2, NST
    ("resumed", 6),      // CH, SH, EE, Finished, EndOfEarlyData, Finished
    ("hrr", 9),          // CH1, HRR, CH2, SH, EE, Certificate, CertificateVerify, Finished x2
    ("client_auth", 10), // CH, SH, EE, CR, Certificate x2, CertificateVerify x2, Finished x2
    ("compat", 7),       // CH, SH, EE, Certificate, CertificateVerify, Finished x2
];

#[test]
fn every_message_round_trips() {
    let mut total = 0;
    for (name, count) in TRACES {
        let messages = wire_messages(&vectors::load(name));
        assert_eq!(
            messages.len(),
            count,
            "{name}: number of handshake messages"
        );
        for m in &messages {
            assert_eq!(
                m.decoded.encode().unwrap(),
                m.bytes,
                "{name}: {:?} from the {} does not re-encode",
                m.decoded.handshake_type(),
                m.actor
            );
        }
        total += messages.len();
    }
    assert_eq!(total, 40);
}

#[test]
fn construct_blocks_are_the_messages_sent() {
    for (name, _) in TRACES {
        let trace = vectors::load(name);
        let constructed: Vec<(&str, &[u8])> = trace
            .blocks
            .iter()
            .filter(|b| b.heading.starts_with("construct a"))
            .map(|b| (b.actor.as_str(), b.values[0].1.as_slice()))
            .collect();
        let sent = wire_messages(&trace);
        assert_eq!(constructed.len(), sent.len(), "{name}");
        for ((actor, bytes), m) in constructed.into_iter().zip(&sent) {
            assert_eq!(actor, m.actor, "{name}");
            if name == "resumed" && m.decoded.handshake_type() == HandshakeType::ClientHello {
                // RFC 8448 §4 shows the ClientHello before its binders were filled in; see
                // resumed_client_hello_binders.
                continue;
            }
            assert_eq!(bytes, m.bytes, "{name}: {:?}", m.decoded.handshake_type());
        }
    }
}

#[test]
fn simple_fields() {
    let trace = vectors::load("simple");
    let messages = wire_messages(&trace);
    let ch = only(&messages, "ClientHello", |m| match m {
        HandshakeMessage::ClientHello(ch) => Some(ch),
        _ => None,
    });
    assert_eq!(
        ch.random.to_vec(),
        hex("cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7")
    );
    assert_eq!(
        ch.cipher_suites,
        [
            CipherSuite::TLS_AES_128_GCM_SHA256,
            CipherSuite::TLS_CHACHA20_POLY1305_SHA256,
            CipherSuite::TLS_AES_256_GCM_SHA384,
        ]
    );
    assert!(ch.legacy_session_id.is_empty());
    ch.check_legacy_fields().unwrap();
    assert_eq!(ch.extensions.len(), 9);
    assert!(ch.extension(ExtensionType::KeyShare).is_some());

    let sh = only(&messages, "ServerHello", |m| match m {
        HandshakeMessage::ServerHello(sh) => Some(sh),
        _ => None,
    });
    assert_eq!(sh.cipher_suite.to_u16(), 0x1301);
    assert_eq!(
        sh.random.to_vec(),
        hex("a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e26928")
    );
    sh.check_legacy_fields().unwrap();
    assert!(!sh.has_downgrade_sentinel());

    let cert = only(&messages, "Certificate", |m| match m {
        HandshakeMessage::Certificate(c) => Some(c),
        _ => None,
    });
    assert!(cert.certificate_request_context.is_empty());
    assert_eq!(cert.certificate_list.len(), 1);
    let end_entity = cert.end_entity().unwrap();
    assert_eq!(end_entity.cert_data.len(), 0x1b0);
    assert_eq!(end_entity.cert_data[..4], [0x30, 0x82, 0x01, 0xac]); // DER SEQUENCE
    assert!(end_entity.extensions.is_empty());

    let cv = only(&messages, "CertificateVerify", |m| match m {
        HandshakeMessage::CertificateVerify(cv) => Some(cv),
        _ => None,
    });
    assert_eq!(cv.algorithm.to_u16(), 0x0804);
    assert_eq!(cv.algorithm, SignatureScheme::RsaPssRsaeSha256);
    assert_eq!(cv.signature.len(), 128);

    check_finished_values(&trace, &messages);

    let nst = only(&messages, "NewSessionTicket", |m| match m {
        HandshakeMessage::NewSessionTicket(nst) => Some(nst),
        _ => None,
    });
    assert_eq!(nst.ticket_lifetime, 30);
    assert_eq!(nst.ticket_age_add, 0xfad6aac5);
    assert_eq!(nst.ticket_nonce, [0x00, 0x00]);
    assert_eq!(nst.ticket.len(), 178);
    assert_eq!(nst.ticket[..4], [0x2c, 0x03, 0x5d, 0x82]);
    let early_data = nst.extension(ExtensionType::EarlyData).unwrap();
    // max_early_data_size = 1024.
    assert_eq!(extension_bytes(early_data), hex("002a000400000400"));
}

/// Each Finished carries the verify_data the trace's "calculate finished" block computed.
fn check_finished_values(trace: &Trace, messages: &[WireMessage]) {
    for actor in ["server", "client"] {
        // The first such block of the receiving side says "(same as ...)" and has no value.
        let expected: Vec<&[u8]> = trace
            .blocks(actor, "calculate finished \"tls13 finished\"")
            .iter()
            .filter_map(|b| b.try_get("finished"))
            .collect();
        let finished: Vec<&[u8]> = messages
            .iter()
            .filter(|m| m.actor == actor)
            .filter_map(|m| match &m.decoded {
                HandshakeMessage::Finished(f) => Some(f.verify_data.as_slice()),
                _ => None,
            })
            .collect();
        assert_eq!(expected.len(), 1, "{}: {actor} finished value", trace.name);
        assert_eq!(finished, expected, "{}: {actor} Finished", trace.name);
    }
}

#[test]
fn resumed_fields_and_binders() {
    let trace = vectors::load("resumed");
    let messages = wire_messages(&trace);
    let ch = only(&messages, "ClientHello", |m| match m {
        HandshakeMessage::ClientHello(ch) => Some(ch),
        _ => None,
    });
    let psk = ch.extensions.last().unwrap();
    assert_eq!(psk.extension_type(), ExtensionType::PreSharedKey);
    assert!(ch.extension(ExtensionType::EarlyData).is_some());

    // RFC 9846 §4.3.11.2: the binder is computed over the hello cut before its binders.
    let binder = trace.block("client", "calculate PSK binder");
    let truncated = ch.encode_truncated_for_binders().unwrap().unwrap();
    assert_eq!(truncated, binder.get("ClientHello prefix"));
    assert_eq!(ch.binders_len(), Some(2 + 1 + 32));
    let sent = &messages[0].bytes;
    assert_eq!(sent[sent.len() - 32..], *binder.get("finished"));
    assert_eq!(sent[..sent.len() - 35], truncated[..]);

    // The "construct a ClientHello" block is that partial hello: its length field promises
    // the binders, so it must not decode.
    let partial = trace
        .block("client", "construct a ClientHello")
        .get("ClientHello");
    assert_eq!(partial, &truncated[..]);
    let err = HandshakeMessage::decode(partial, None).unwrap_err();
    assert_eq!(err.alert, AlertDescription::DecodeError);

    let sh = only(&messages, "ServerHello", |m| match m {
        HandshakeMessage::ServerHello(sh) => Some(sh),
        _ => None,
    });
    assert_eq!(sh.cipher_suite, CipherSuite::TLS_AES_128_GCM_SHA256);
    let selected = sh.extension(ExtensionType::PreSharedKey).unwrap();
    assert_eq!(extension_bytes(selected), hex("002900020000")); // selected_identity 0

    let ee = only(&messages, "EncryptedExtensions", |m| match m {
        HandshakeMessage::EncryptedExtensions(ee) => Some(ee),
        _ => None,
    });
    assert!(ee.extension(ExtensionType::EarlyData).is_some());
    let eoed: Vec<_> = messages
        .iter()
        .filter(|m| m.decoded == HandshakeMessage::EndOfEarlyData(Default::default()))
        .collect();
    assert_eq!(eoed.len(), 1);
    assert_eq!(eoed[0].actor, "client");
    assert_eq!(eoed[0].bytes, [0x05, 0x00, 0x00, 0x00]);
    check_finished_values(&trace, &messages);
}

#[test]
fn hrr_fields() {
    let trace = vectors::load("hrr");
    let messages = wire_messages(&trace);
    let kinds: Vec<&str> = messages
        .iter()
        .take(4)
        .map(|m| match m.decoded {
            HandshakeMessage::ClientHello(_) => "CH",
            HandshakeMessage::HelloRetryRequest(_) => "HRR",
            HandshakeMessage::ServerHello(_) => "SH",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["CH", "HRR", "CH", "SH"]);
    let HandshakeMessage::HelloRetryRequest(hrr) = &messages[1].decoded else {
        unreachable!()
    };
    // The special random is on the wire even though the type has no field for it.
    assert_eq!(
        messages[1].bytes[6..38],
        lucid_tls::wire::server_hello::HELLO_RETRY_REQUEST_RANDOM
    );
    assert_eq!(hrr.cipher_suite, CipherSuite::TLS_AES_128_GCM_SHA256);
    hrr.check_legacy_fields().unwrap();
    let key_share = hrr.extension(ExtensionType::KeyShare).unwrap();
    assert_eq!(extension_bytes(key_share), hex("003300020017")); // selected_group secp256r1
    let cookie = hrr.extension(ExtensionType::Cookie).unwrap();
    assert_eq!(extension_bytes(cookie).len(), 4 + 0x74);

    // RFC 9846 §4.2.2: the second ClientHello carries the cookie back unchanged.
    let hellos = all_of(&messages, |m| match m {
        HandshakeMessage::ClientHello(ch) => Some(ch),
        _ => None,
    });
    assert_eq!(hellos.len(), 2);
    assert!(hellos[0].extension(ExtensionType::Cookie).is_none());
    let echoed = hellos[1].extension(ExtensionType::Cookie).unwrap();
    assert_eq!(extension_bytes(echoed), extension_bytes(cookie));
    assert_eq!(hellos[0].random, hellos[1].random);

    let HandshakeMessage::ServerHello(sh) = &messages[3].decoded else {
        unreachable!()
    };
    assert_eq!(sh.cipher_suite, hrr.cipher_suite);
    check_finished_values(&trace, &messages);
}

#[test]
fn client_auth_fields() {
    let trace = vectors::load("client_auth");
    let messages = wire_messages(&trace);
    let cr = only(&messages, "CertificateRequest", |m| match m {
        HandshakeMessage::CertificateRequest(cr) => Some(cr),
        _ => None,
    });
    assert!(cr.certificate_request_context.is_empty());
    assert!(cr.extension(ExtensionType::SignatureAlgorithms).is_some());

    let certificates: Vec<(&str, usize, usize)> = messages
        .iter()
        .filter_map(|m| match &m.decoded {
            HandshakeMessage::Certificate(c) => Some((
                m.actor.as_str(),
                c.certificate_list.len(),
                c.certificate_request_context.len(),
            )),
            _ => None,
        })
        .collect();
    assert_eq!(certificates, [("server", 1, 0), ("client", 1, 0)]);

    let verifies: Vec<(&str, u16, usize)> = messages
        .iter()
        .filter_map(|m| match &m.decoded {
            HandshakeMessage::CertificateVerify(cv) => {
                Some((m.actor.as_str(), cv.algorithm.to_u16(), cv.signature.len()))
            }
            _ => None,
        })
        .collect();
    // The server signs with ECDSA P-256 (a DER signature), the client with RSA-PSS.
    assert_eq!(verifies, [("server", 0x0403, 71), ("client", 0x0804, 128)]);
    check_finished_values(&trace, &messages);
}

#[test]
fn compat_fields() {
    let trace = vectors::load("compat");
    let messages = wire_messages(&trace);
    let HandshakeMessage::ClientHello(ch) = &messages[0].decoded else {
        panic!("the first message is not a ClientHello")
    };
    let HandshakeMessage::ServerHello(sh) = &messages[1].decoded else {
        panic!("the second message is not a ServerHello")
    };
    // RFC 9846 Appendix E.4: in compatibility mode the client sends a 32-byte session id
    // and the server echoes it.
    assert_eq!(ch.legacy_session_id.len(), 32);
    assert_eq!(sh.legacy_session_id_echo, ch.legacy_session_id);
    check_finished_values(&trace, &messages);
}

/// `bytes` with its handshake header rewritten to announce a body of `body_len` bytes.
fn with_body_len(bytes: &[u8], body_len: usize) -> Vec<u8> {
    let mut out = bytes.to_vec();
    out[1..4].copy_from_slice(&(body_len as u32).to_be_bytes()[1..]);
    out
}

/// The body length at which a ClientHello or ServerHello has no extensions field: the one
/// shorter form of these messages that is itself well formed (RFC 9846 §4.2.2).
fn bare_hello_len(m: &HandshakeMessage) -> Option<usize> {
    let mut bare = m.clone();
    match &mut bare {
        HandshakeMessage::ClientHello(ch) => ch.extensions.clear(),
        HandshakeMessage::ServerHello(sh) => sh.extensions.clear(),
        HandshakeMessage::HelloRetryRequest(hrr) => hrr.extensions.clear(),
        _ => return None,
    }
    Some(bare.encode().unwrap().len() - HANDSHAKE_HEADER_LEN)
}

#[test]
fn every_truncation_fails() {
    let mut cuts = 0;
    for (name, _) in TRACES {
        for m in wire_messages(&vectors::load(name)) {
            let body_len = m.bytes.len() - HANDSHAKE_HEADER_LEN;
            for len in 0..m.bytes.len() {
                // Cut as a record boundary would cut it: the header still promises more.
                let err = HandshakeMessage::decode(&m.bytes[..len], m.hash_len).unwrap_err();
                assert_eq!(
                    err.alert,
                    AlertDescription::DecodeError,
                    "{name}: cut at {len}"
                );
                cuts += 1;
            }
            for len in 0..body_len {
                // Cut inside the body, with a header that agrees: the body decoder must
                // notice on its own.
                let shortened = with_body_len(&m.bytes[..HANDSHAKE_HEADER_LEN + len], len);
                let result = HandshakeMessage::decode(&shortened, m.hash_len);
                if Some(len) == bare_hello_len(&m.decoded) {
                    assert_eq!(result.unwrap().encode().unwrap(), shortened);
                } else {
                    let err = result.expect_err("a shortened body decoded");
                    assert_eq!(
                        err.alert,
                        AlertDescription::DecodeError,
                        "{name}: body of {len}"
                    );
                }
                cuts += 1;
            }
        }
    }
    println!("{cuts} truncations rejected");
}

#[test]
fn one_appended_byte_is_a_decode_error() {
    for (name, _) in TRACES {
        for m in wire_messages(&vectors::load(name)) {
            let body_len = m.bytes.len() - HANDSHAKE_HEADER_LEN;
            // After the message, outside its length...
            let mut after = m.bytes.clone();
            after.push(0x00);
            let err = HandshakeMessage::decode(&after, m.hash_len).unwrap_err();
            assert_eq!(err.alert, AlertDescription::DecodeError, "{name}");
            // ...and inside it, with the length grown to match.
            let mut inside = with_body_len(&m.bytes, body_len + 1);
            inside.push(0x00);
            let err = HandshakeMessage::decode(&inside, m.hash_len).unwrap_err();
            assert_eq!(
                err.alert,
                AlertDescription::DecodeError,
                "{name}: {:?} with a byte appended to its body",
                m.decoded.handshake_type()
            );
        }
    }
}

#[test]
fn corrupted_bytes_never_panic() {
    let mut decoded = 0;
    for (name, _) in TRACES {
        for m in wire_messages(&vectors::load(name)) {
            for i in 0..m.bytes.len() {
                for value in [0x00, 0xff, m.bytes[i] ^ 0x01, m.bytes[i] ^ 0x80] {
                    let mut corrupted = m.bytes.clone();
                    corrupted[i] = value;
                    // Either answer is fine; what matters is that there is one, and that
                    // whatever decodes re-encodes to what was received.
                    if let Ok(msg) = HandshakeMessage::decode(&corrupted, m.hash_len) {
                        assert_eq!(msg.encode().unwrap(), corrupted, "{name}: byte {i}");
                        decoded += 1;
                    }
                }
            }
        }
    }
    println!("{decoded} corrupted messages still decoded, all re-encoding exactly");
}

#[test]
fn split_header_waits_for_whole_headers() {
    let messages = wire_messages(&vectors::load("simple"));
    let flight: Vec<u8> = messages[2..6]
        .iter()
        .flat_map(|m| m.bytes.clone())
        .collect();
    // Fed one byte at a time, the header is known exactly from the fourth byte on.
    for len in 0..HANDSHAKE_HEADER_LEN {
        assert_eq!(split_header(&flight[..len]).unwrap(), None);
    }
    let header = split_header(&flight[..HANDSHAKE_HEADER_LEN])
        .unwrap()
        .unwrap();
    assert_eq!(header.msg_type, HandshakeType::EncryptedExtensions);
    assert_eq!(header.message_len(), messages[2].bytes.len());
}
