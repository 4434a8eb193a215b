//! Quote sources that redo, by hand and out loud, three calculations the engines do inside:
//! one HkdfLabel byte by byte (`hkdf-label`), the transcript hash after a HelloRetryRequest
//! with its `message_hash` (`transcript-hrr`), and one per-record nonce (`nonce`); and one
//! experiment, a TLS 1.2 ServerHello fed to the client (`downgrade`).
//!
//! Each takes its inputs from an RFC 8448 handshake replayed by lucid-tls's engines, redoes
//! the calculation with the crypto provider's raw HKDF, hash and AEAD, and asserts that the
//! result is what the engines derived (and so what RFC 8448 prints). A quote can therefore
//! only show a calculation that is true.

use std::fmt::Write as _;

use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::crypto::{AeadAlgorithm, CryptoProvider, HashAlgorithm};
use lucid_tls::explain::{self, hex};
use lucid_tls::key_schedule::SecretLabel;
use lucid_tls::pair::Side;
use lucid_tls::record::nonce::{WriteIv, per_record_nonce};
use lucid_tls::rfc8448::{Rfc8448Handshake, TraceName};
use lucid_tls::trace::{Direction, Epoch, TraceEvent};
use lucid_tls::transcript::message_hash_header;
use lucid_tls::wire::codes::{ContentType, ExtensionType};
use lucid_tls::wire::handshake::HandshakeMessage;
use lucid_tls::wire::record::TLSPlaintext;
use lucid_tls::wire::server_hello::DOWNGRADE_TLS12;

const SHA256: HashAlgorithm = HashAlgorithm::Sha256;

/// Every trace event of one RFC 8448 handshake, in order, with the side that produced it.
fn events(trace: TraceName) -> Vec<(Side, TraceEvent)> {
    let mut rfc = Rfc8448Handshake::new(trace).unwrap();
    let flights = rfc.run().unwrap();
    flights.into_iter().flat_map(|f| f.flight.trace).collect()
}

/// The bytes of every handshake message `side` sent, with the message's name.
fn sent_messages(events: &[(Side, TraceEvent)], side: Side) -> Vec<(&'static str, Vec<u8>)> {
    events
        .iter()
        .filter_map(|(s, e)| match e {
            TraceEvent::HandshakeMessage {
                direction: Direction::Sent,
                message,
                bytes,
            } if *s == side => Some((explain::message_name(message), bytes.clone())),
            _ => None,
        })
        .collect()
}

/// The first message named `name` that `side` sent.
fn sent(events: &[(Side, TraceEvent)], side: Side, name: &str) -> Vec<u8> {
    let messages = sent_messages(events, side);
    let found = messages.into_iter().find(|(n, _)| *n == name);
    found.unwrap_or_else(|| panic!("{side:?} sent no {name}")).1
}

/// The value of the secret `label` as `side` derived it.
fn secret(events: &[(Side, TraceEvent)], side: Side, label: SecretLabel) -> Vec<u8> {
    let found = events.iter().find_map(|(s, e)| match e {
        TraceEvent::SecretDerived { label: l, secret } if *s == side && *l == label => {
            Some(secret.as_bytes().to_vec())
        }
        _ => None,
    });
    found.unwrap_or_else(|| panic!("{side:?} derived no {label:?}"))
}

fn sha256(parts: &[&[u8]]) -> Vec<u8> {
    let mut hash = RustCryptoProvider.hash(SHA256);
    for part in parts {
        hash.update(part);
    }
    hash.current().as_bytes().to_vec()
}

/// `HkdfLabel` (RFC 9846 §7.1) for `label` (without "tls13 ") and `context`, as its fields.
fn hkdf_label_fields(length: u16, label: &str, context: &[u8]) -> Vec<(Vec<u8>, String)> {
    let full = format!("tls13 {label}");
    vec![
        (
            length.to_be_bytes().to_vec(),
            format!("uint16 length = {length}"),
        ),
        (
            vec![full.len() as u8],
            format!("label length = {}", full.len()),
        ),
        (full.as_bytes().to_vec(), format!("\"{full}\"")),
        (
            vec![context.len() as u8],
            format!("context length = {}", context.len()),
        ),
        (context.to_vec(), "context".to_string()),
    ]
}

/// HKDF-Expand(prk, info, length) with the provider's raw HKDF.
fn hkdf_expand(prk: &[u8], info: &[u8], length: usize) -> Vec<u8> {
    let mut out = vec![0u8; length];
    RustCryptoProvider
        .hkdf_expand(SHA256, prk, &[info], &mut out)
        .unwrap();
    out
}

/// Writes one Derive-Secret of RFC 8448 §3 as HKDF-Expand over an HkdfLabel spelled out,
/// and checks the result against what the server's engine derived.
fn explain_expand(
    out: &mut String,
    prk: (&str, &[u8]),
    label: &str,
    context: (&str, &[u8]),
    expected: (SecretLabel, &[u8]),
) {
    let fields = hkdf_label_fields(32, label, context.1);
    let info: Vec<u8> = fields.iter().flat_map(|(b, _)| b.clone()).collect();
    writeln!(
        out,
        "Derive-Secret({}, \"{label}\", ...) = HKDF-Expand({}, HkdfLabel, 32)",
        prk.0, prk.0
    )
    .unwrap();
    writeln!(out, "  HkdfLabel ({} bytes):", info.len()).unwrap();
    for (bytes, meaning) in &fields {
        let meaning = if meaning == "context" {
            context.0.to_string()
        } else {
            meaning.clone()
        };
        writeln!(out, "    {:<38}  {meaning}", hex(bytes)).unwrap();
    }
    let derived = hkdf_expand(prk.1, &info, 32);
    assert_eq!(
        derived, expected.1,
        "{label}: HkdfLabel spelled out wrongly"
    );
    writeln!(out, "  = {}", hex(&derived)).unwrap();
    writeln!(
        out,
        "    which is the engines' {}",
        explain::secret_name(expected.0)
    )
    .unwrap();
}

/// RFC 8448 §3: the two HKDF-Expand calls after ServerHello, with their HkdfLabels.
pub fn hkdf_label() -> String {
    let events = events(TraceName::Simple);
    let early = secret(&events, Side::Server, SecretLabel::EarlySecret);
    let derived = secret(&events, Side::Server, SecretLabel::DerivedForHandshake);
    let handshake = secret(&events, Side::Server, SecretLabel::HandshakeSecret);
    let client_hs = secret(&events, Side::Server, SecretLabel::ClientHandshakeTraffic);
    let client_hello = sent(&events, Side::Client, "ClientHello");
    let server_hello = sent(&events, Side::Server, "ServerHello");
    let mut out = String::new();
    explain_expand(
        &mut out,
        ("Early Secret", &early),
        "derived",
        ("Transcript-Hash() = SHA-256(\"\")", &sha256(&[])),
        (SecretLabel::DerivedForHandshake, &derived),
    );
    let transcript = sha256(&[&client_hello, &server_hello]);
    explain_expand(
        &mut out,
        ("Handshake Secret", &handshake),
        "c hs traffic",
        ("Transcript-Hash(ClientHello, ServerHello)", &transcript),
        (SecretLabel::ClientHandshakeTraffic, &client_hs),
    );
    out
}

/// RFC 8448 §5: the transcript hash behind the handshake secrets after a HelloRetryRequest,
/// with ClientHello1 replaced by `message_hash`.
pub fn transcript_hrr() -> String {
    let events = events(TraceName::Hrr);
    let client = sent_messages(&events, Side::Client);
    let (client_hello1, client_hello2) = (&client[0].1, &client[1].1);
    assert_eq!((client[0].0, client[1].0), ("ClientHello", "ClientHello"));
    let retry = sent(&events, Side::Server, "HelloRetryRequest");
    let server_hello = sent(&events, Side::Server, "ServerHello");
    let handshake = secret(&events, Side::Server, SecretLabel::HandshakeSecret);
    let client_hs = secret(&events, Side::Server, SecretLabel::ClientHandshakeTraffic);

    let hash1 = sha256(&[client_hello1]);
    let mut message_hash = message_hash_header(SHA256).to_vec();
    message_hash.extend_from_slice(&hash1);
    let transcript = sha256(&[&message_hash, &retry, client_hello2, &server_hello]);
    // The transcript is right if it gives the engines' client_handshake_traffic_secret.
    let fields = hkdf_label_fields(32, "c hs traffic", &transcript);
    let info: Vec<u8> = fields.into_iter().flat_map(|(b, _)| b).collect();
    assert_eq!(hkdf_expand(&handshake, &info, 32), client_hs);

    let mut out = String::new();
    let lengths = [
        ("ClientHello1", client_hello1.len()),
        ("HelloRetryRequest", retry.len()),
        ("ClientHello2", client_hello2.len()),
        ("ServerHello", server_hello.len()),
    ];
    for (name, len) in lengths {
        writeln!(out, "{name:<18} {len} bytes").unwrap();
    }
    writeln!(out, "Hash(ClientHello1) = {}", hex(&hash1)).unwrap();
    writeln!(out, "message_hash       = {}", hex(&message_hash[..4])).unwrap();
    writeln!(out, "                     {}", hex(&hash1)).unwrap();
    writeln!(
        out,
        "                     (type 254, uint24 length 32, then Hash(ClientHello1))"
    )
    .unwrap();
    writeln!(
        out,
        "Transcript-Hash(ClientHello1, HelloRetryRequest, ClientHello2, ServerHello)"
    )
    .unwrap();
    writeln!(
        out,
        "  = SHA-256(message_hash || HelloRetryRequest || ClientHello2 || ServerHello)"
    )
    .unwrap();
    writeln!(out, "  = {}", hex(&transcript)).unwrap();
    writeln!(
        out,
        "  which, as the context of \"c hs traffic\", gives the engines' {}",
        explain::secret_name(SecretLabel::ClientHandshakeTraffic)
    )
    .unwrap();
    out
}

/// RFC 8448 §3: the server's application data record, sequence number 1 under its first
/// application key, opened with the right nonce and with the wrong one.
pub fn nonce() -> String {
    let events = events(TraceName::Simple);
    let installed = events.iter().position(|(s, e)| {
        *s == Side::Server
            && matches!(
                e,
                TraceEvent::KeyInstalled {
                    direction: Direction::Sent,
                    epoch: Epoch::Application(0),
                    ..
                }
            )
    });
    let installed = installed.expect("the server installs an application write key");
    let (key, iv) = match &events[installed].1 {
        TraceEvent::KeyInstalled { key, iv, aead, .. } => {
            assert_eq!(*aead, AeadAlgorithm::Aes128Gcm);
            (key.as_bytes().to_vec(), *iv)
        }
        _ => unreachable!(),
    };
    let aead = RustCryptoProvider
        .aead(AeadAlgorithm::Aes128Gcm, &key)
        .unwrap();
    let write_iv = WriteIv::new(&iv).unwrap();
    // Which protected record the server sent under this key opens with sequence number n?
    let opens = |record: &[u8], n: u64| {
        let (header, body) = record.split_at(5);
        let (ciphertext, tag) = body.split_at(body.len() - 16);
        let mut plaintext = ciphertext.to_vec();
        let tag: [u8; 16] = tag.try_into().unwrap();
        let nonce = per_record_nonce(&write_iv, n);
        aead.open_in_place(&nonce, header, &mut plaintext, &tag)
            .ok()
            .map(|()| plaintext)
    };
    let records: Vec<&Vec<u8>> = events[installed..]
        .iter()
        .filter_map(|(s, e)| match e {
            TraceEvent::Record {
                direction: Direction::Sent,
                bytes,
                ..
            } if *s == Side::Server && bytes[0] == 23 => Some(bytes),
            _ => None,
        })
        .collect();
    let record = records
        .into_iter()
        .find(|r| opens(r, 1).is_some())
        .expect("a server record at sequence number 1");
    let inner = opens(record, 1).unwrap();
    assert!(opens(record, 0).is_none());

    let mut padded = [0u8; 12];
    padded[4..].copy_from_slice(&1u64.to_be_bytes());
    let nonce = per_record_nonce(&write_iv, 1);
    let mut out = String::new();
    writeln!(out, "server_write_iv (application)  {}", hex(&iv)).unwrap();
    writeln!(out, "sequence number 1, padded      {}", hex(&padded)).unwrap();
    writeln!(out, "nonce = iv XOR padded number   {}", hex(&nonce)).unwrap();
    writeln!(
        out,
        "the server's record {}… ({} bytes, its second under this key):",
        hex(&record[..5]),
        record.len()
    )
    .unwrap();
    let content_type = inner.last().copied().unwrap_or_default();
    writeln!(
        out,
        "  with the nonce for sequence number 1: the tag checks, {} bytes of content type {content_type}",
        inner.len() - 1
    )
    .unwrap();
    writeln!(
        out,
        "  with the nonce for sequence number 0: the tag does not check"
    )
    .unwrap();
    out
}

/// What the RFC 8448 §3 client does with a TLS 1.2 ServerHello: RFC 8448's ServerHello
/// without supported_versions, once with the downgrade sentinel a TLS 1.3 server puts in
/// its random when it negotiates TLS 1.2, once without.
pub fn downgrade() -> String {
    let mut out = String::new();
    for sentinel in [true, false] {
        let mut rfc = Rfc8448Handshake::new(TraceName::Simple).unwrap();
        let flight = rfc.next_flight().unwrap().unwrap();
        let server_hello = sent(&flight.flight.trace, Side::Server, "ServerHello");
        let mut hello = match HandshakeMessage::decode(&server_hello, None).unwrap() {
            HandshakeMessage::ServerHello(hello) => hello,
            other => panic!("not a ServerHello: {other:?}"),
        };
        hello
            .extensions
            .retain(|e| e.extension_type() != ExtensionType::SupportedVersions);
        if sentinel {
            hello.random[24..].copy_from_slice(&DOWNGRADE_TLS12);
        }
        let random = hello.random;
        let fragment = HandshakeMessage::ServerHello(hello).encode().unwrap();
        let record = TLSPlaintext {
            content_type: ContentType::Handshake,
            legacy_record_version: 0x0303,
            fragment: &fragment,
        }
        .to_bytes()
        .unwrap();
        let now = rfc.pair.now;
        let error = rfc.pair.client.feed(now, &record).unwrap_err();
        let kind = if sentinel {
            "TLS 1.2 ServerHello from a TLS 1.3 server (downgrade sentinel)"
        } else {
            "TLS 1.2 ServerHello from a TLS 1.2 server (no sentinel)"
        };
        writeln!(out, "{kind}:").unwrap();
        writeln!(out, "  random   {}", hex(&random)).unwrap();
        writeln!(out, "  client   {error}").unwrap();
    }
    out
}
