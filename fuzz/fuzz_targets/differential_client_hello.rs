//! Differential: the same ClientHello goes to lucid-tls's server and to rustls's (0.23, ring
//! provider), both configured alike; they must agree on accepting it (answering with a
//! ServerHello or a HelloRetryRequest, or waiting for more bytes) or rejecting it (an
//! alert). A disagreement fails the target unless [`explained`] names it: a difference both
//! RFCs permit, or a feature one side lacks, each with its reason. See docs/fuzzing.md.
//!
//! Input: the ClientHello handshake message (type, 3-byte length, body). The target frames
//! it in handshake records of at most 2^14 bytes (legacy_record_version 0x0301) and feeds
//! both servers the same record bytes. Bytes past the message's length stay in the record,
//! where both must refuse them.
//!
//! Both servers: TLS 1.3 only (rustls without its `tls12` feature), suites AES-128-GCM,
//! AES-256-GCM and ChaCha20-Poly1305, groups X25519 and P-256 (lucid-tls's RustCrypto
//! provider does no P-384 key exchange), the client's order of preference, a
//! HelloRetryRequest for the client's first common group when it sent no share of it (as
//! rustls does), one ECDSA P-256 certificate serving any name, no client authentication, no
//! ALPN, no tickets, no 0-RTT.
#![no_main]

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use lucid_tls::crypto::CryptoProvider;
use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::rfc8448::{OtherDraws, ReplayRng};
use lucid_tls::server::{CertifiedKey, Preference, ServerConfig, ServerConnection};
use lucid_tls::time::Time;
use lucid_tls::wire::algorithms::{CipherSuite, NamedGroup};
use lucid_tls::wire::codes::ExtensionType;
use lucid_tls::wire::extensions::{ExtensionContext, permitted_contexts};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// 2027-06-01T00:00:00Z (neither server reads a clock for a ClientHello).
const NOW: Time = Time::from_unix_secs(1_811_808_000);
/// The largest input: four full records.
const MAX_INPUT: usize = 4 << 14;

/// The two configurations, built once.
struct Servers {
    ours: Arc<ServerConfig>,
    theirs: Arc<rustls::ServerConfig>,
}

fn servers() -> &'static Servers {
    static SERVERS: OnceLock<Servers> = OnceLock::new();
    SERVERS.get_or_init(|| {
        let key = rcgen::KeyPair::generate().expect("a P-256 key");
        let certificate = rcgen::CertificateParams::new(vec!["differential.example".into()])
            .and_then(|params| params.self_signed(&key))
            .expect("a self-signed certificate");
        let (cert_der, key_der) = (certificate.der().to_vec(), key.serialize_der());

        let signing_key = RustCryptoProvider
            .load_signing_key(&key_der)
            .expect("our provider loads the PKCS#8 key");
        let certified = CertifiedKey {
            chain: vec![cert_der.clone()],
            raw_public_key: None,
            key: Arc::from(signing_key),
            server_names: Vec::new(),
        };
        let mut ours = ServerConfig::new(Arc::new(RustCryptoProvider), vec![certified]);
        ours.cipher_suites = vec![
            CipherSuite::TLS_AES_128_GCM_SHA256,
            CipherSuite::TLS_AES_256_GCM_SHA384,
            CipherSuite::TLS_CHACHA20_POLY1305_SHA256,
        ];
        ours.key_share_groups = vec![NamedGroup::X25519, NamedGroup::Secp256r1];
        // rustls's choices: the client's order for suites and groups, and a
        // HelloRetryRequest for the client's first common group when it sent no share of it.
        ours.preference = Preference::Client;
        ours.retry_for_preferred_group = true;
        ours.trace = false;

        // lucid-tls's RustCrypto provider does no P-384 key exchange: neither offers it.
        let mut provider = rustls::crypto::ring::default_provider();
        provider.kx_groups = vec![
            rustls::crypto::ring::kx_group::X25519,
            rustls::crypto::ring::kx_group::SECP256R1,
        ];
        let provider = Arc::new(provider);
        let theirs = rustls::ServerConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&rustls::version::TLS13])
            .expect("rustls does TLS 1.3")
            .with_no_client_auth()
            .with_single_cert(
                vec![CertificateDer::from(cert_der)],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key_der)),
            )
            .expect("rustls takes the certificate and key");
        Servers {
            ours: Arc::new(ours),
            theirs: Arc::new(theirs),
        }
    })
}

/// `message` in handshake records of at most 2^14 bytes each.
fn records(message: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len() + 5 * (message.len() / (1 << 14) + 1));
    for fragment in message.chunks(1 << 14) {
        out.extend_from_slice(&[0x16, 0x03, 0x01]);
        out.extend_from_slice(&(fragment.len() as u16).to_be_bytes());
        out.extend_from_slice(fragment);
    }
    out
}

/// What one server did with the records: Ok (answered or waits), or the error it fails with.
type Outcome<E> = Result<(), E>;

fn ours(records: &[u8]) -> Outcome<lucid_tls::Error> {
    ours_answer(records).map(|_| ())
}

/// Our server's outcome, and whether it answered with a HelloRetryRequest.
fn ours_answer(records: &[u8]) -> Result<bool, lucid_tls::Error> {
    let rng = ReplayRng::new(&[]).with_other_draws(OtherDraws::Fill);
    let mut server = ServerConnection::new(servers().ours.clone(), Box::new(rng), NOW)
        .expect("the configuration is valid");
    server.feed(NOW, records)?;
    // Record header (5), handshake header (4), legacy_version (2), then the random.
    let output = server.take_output();
    Ok(output.get(5) == Some(&2) && output.get(11..43) == Some(&HRR_RANDOM[..]))
}

/// RFC 9846 §4.2.3: the random that marks a ServerHello as a HelloRetryRequest.
const HRR_RANDOM: [u8; 32] = [
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
];

fn theirs(records: &[u8]) -> Outcome<rustls::Error> {
    let mut server = rustls::ServerConnection::new(servers().theirs.clone())
        .expect("rustls starts a server connection");
    let mut rest = records;
    while !rest.is_empty() {
        match server.read_tls(&mut rest) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        server.process_new_packets()?;
    }
    Ok(())
}

/// Why a disagreement on `message` is not a bug, if it is one of the known differences
/// (docs/fuzzing.md lists them with the same reasons).
fn explained(
    message: &[u8],
    ours: &Outcome<lucid_tls::Error>,
    theirs: &Outcome<rustls::Error>,
) -> Option<&'static str> {
    if ours.is_ok() == theirs.is_ok() {
        return Some("no disagreement");
    }
    if let Some(why) = explained_by_extension(message) {
        return Some(why);
    }
    match (ours, theirs) {
        (Err(error), Ok(())) => ours_stricter(message, our_reason(error)),
        (Ok(()), Err(rustls::Error::PeerMisbehaved(why))) => theirs_stricter(message, why),
        _ => None,
    }
}

/// Where lucid-tls refuses what rustls lets through, and may (`reason`: our error's).
fn ours_stricter(message: &[u8], reason: &str) -> Option<&'static str> {
    let declared = declared_len(message);
    let extensions = raw_extensions(message);
    let extension = |typ: u16| {
        let list = extensions.as_ref()?;
        list.iter().find(|(t, _)| *t == typ).map(|(_, data)| *data)
    };
    if declared.saturating_add(4) > 0x1_0000
        && reason == "handshake message longer than this implementation accepts"
    {
        return Some(
            "lucid-tls bounds a handshake message at 64 KiB, header included; rustls at 2^16-1 + 4",
        );
    }
    if declared > message.len().saturating_sub(4)
        && message.first() != Some(&1)
        && (reason == "handshake type not defined for TLS 1.3" || reason.starts_with("unexpected"))
    {
        // Either way it is refused once whole.
        return Some(
            "lucid-tls refuses a non-ClientHello from its header; rustls waits for the body",
        );
    }
    match reason {
        "ClientHello.legacy_version is not 0x0303" => (message.get(4..6) != Some(&[3, 3][..]))
            .then_some(
                "RFC 9846 §4.2.2: a legacy_version other than 0x0303 MUST be refused with \
                 protocol_version; rustls (as RFC 8446 had it) does not check",
            ),
        "cookie not issued by this server, or expired" => extension(44).map(|_| {
            "RFC 9846 §4.3.2: a client MUST NOT send a cookie in an initial ClientHello; \
             lucid-tls refuses one it cannot open, rustls ignores it"
        }),
        "supported_groups: duplicate group" => extension(10)
            .filter(|data| has_duplicate_u16(data.get(2..).unwrap_or_default()))
            .map(|_| {
                "RFC 9846 §4.3.7: a duplicate in supported_groups MAY be refused; rustls does not \
                 check"
            }),
        "key_share not in supported_groups order" => Some(
            "RFC 9846 §4.3.8: key shares for groups not in supported_groups, or not in its order, \
             MAY be refused; rustls does not check",
        ),
        _ => None,
    }
}

/// Where rustls refuses what lucid-tls lets through, and may.
fn theirs_stricter(message: &[u8], why: &rustls::PeerMisbehaved) -> Option<&'static str> {
    let declared = declared_len(message);
    match why {
        // Our server answered the ClientHello with a HelloRetryRequest: no key change.
        rustls::PeerMisbehaved::KeyEpochWithPendingFragment
            if message.len().saturating_sub(4) > declared
                && ours_answer(&records(&message[..4 + declared])) == Ok(true) =>
        {
            Some(
                "RFC 9846 §5.1: a client MUST end its ClientHello at a record boundary, and a \
                 server MUST check it before a key change; after a HelloRetryRequest there is \
                 none: rustls checks anyway, lucid-tls waits for the second ClientHello",
            )
        }
        _ => None,
    }
}

/// The reason an extension type is read differently by the two servers, if it is.
fn read_differently(typ: u16) -> Option<&'static str> {
    Some(match typ {
        0 => {
            "server_name with a name_type other than host_name: lucid-tls skips the entry by its \
             length (RFC 6066 §3: new NameTypes \"MUST begin with a 16-bit length field\"); \
             rustls stops reading the list there, and needs a host_name before it"
        }
        1 => {
            "max_fragment_length: lucid-tls reads it and refuses a bad value (RFC 6066 §4: MUST, \
             illegal_parameter); rustls does not implement it"
        }
        28 => {
            "record_size_limit: lucid-tls implements RFC 8449 and refuses a value below 64 (§4: \
             MUST, illegal_parameter); rustls does not implement it"
        }
        50 => {
            "signature_algorithms_cert (RFC 9846 §4.3.3): lucid-tls decodes it; rustls 0.23 does \
             not read it in a ClientHello"
        }
        // ec_point_formats, client_ and server_certificate_type, extended_master_secret,
        // compress_certificate, session_ticket, quic_transport_parameters (and its draft),
        // ticket_request, ech_outer_extensions, encrypted_client_hello, renegotiation_info.
        11 | 19 | 20 | 23 | 27 | 35 | 57 | 58 | 0xfd00 | 0xfe0d | 0xffa5 | 0xff01 => {
            "an extension lucid-tls does not implement: it ignores it (RFC 9846 §4.2.2: \
             \"Servers MUST ignore unrecognized extensions\"); rustls parses it and refuses a \
             malformed body"
        }
        _ => {
            let contexts = permitted_contexts(ExtensionType::from_u16(typ))?;
            if contexts.contains(&ExtensionContext::ClientHello) {
                return None;
            }
            "an extension lucid-tls knows but not for a ClientHello: RFC 9846 §4.3 \"MUST abort \
             the handshake with an illegal_parameter alert\"; rustls does not know it and \
             ignores it"
        }
    })
}

/// The reason the disagreement goes away, or is explained, once every extension of one type
/// that the servers read differently is disguised as an unknown one (GREASE, RFC 8701,
/// which both ignore).
fn explained_by_extension(message: &[u8]) -> Option<&'static str> {
    let extensions = raw_extensions(message)?;
    let mut types: Vec<u16> = extensions.iter().map(|(t, _)| *t).collect();
    types.sort_unstable();
    types.dedup();
    // The GREASE values 0x?A?A not in the message yet: one for each occurrence.
    let unused: Vec<u16> = (0..16u16)
        .map(|n| 0x0a0a + 0x1010 * n)
        .filter(|grease| types.binary_search(grease).is_err())
        .collect();
    types.iter().find_map(|&typ| {
        let why = read_differently(typ)?;
        let mut disguised = message.to_vec();
        let offsets = extensions
            .iter()
            .filter(|(t, _)| *t == typ)
            .map(|(_, data)| data.as_ptr() as usize - message.as_ptr() as usize - 4);
        for (offset, grease) in offsets.zip(&unused) {
            disguised[offset..offset + 2].copy_from_slice(&grease.to_be_bytes());
        }
        let records = records(&disguised);
        explained(&disguised, &ours(&records), &theirs(&records)).map(|_| why)
    })
}

/// What a lucid-tls error says went wrong.
fn our_reason(error: &lucid_tls::Error) -> &'static str {
    match error {
        lucid_tls::Error::Decode(e) => e.reason,
        lucid_tls::Error::PeerMisbehaved { reason, .. }
        | lucid_tls::Error::Incompatible { reason, .. } => reason,
        _ => "",
    }
}

/// The body length the message's header declares.
fn declared_len(message: &[u8]) -> usize {
    match message {
        [_, a, b, c, ..] => usize::from(*a) << 16 | usize::from(*b) << 8 | usize::from(*c),
        _ => usize::MAX,
    }
}

/// The ClientHello's extensions as (type, data), reading only the lengths; `None` unless
/// the message holds a whole ClientHello whose fields up to the extensions are complete.
fn raw_extensions(message: &[u8]) -> Option<Vec<(u16, &[u8])>> {
    let body = message.get(4..4 + declared_len(message).min(message.len()))?;
    let mut at = 2 + 32; // legacy_version, random
    at += 1 + usize::from(*body.get(at)?); // legacy_session_id
    at += 2 + usize::from(u16::from_be_bytes([*body.get(at)?, *body.get(at + 1)?]));
    at += 1 + usize::from(*body.get(at)?); // legacy_compression_methods
    let len = usize::from(u16::from_be_bytes([*body.get(at)?, *body.get(at + 1)?]));
    let mut list = body.get(at + 2..at + 2 + len)?;
    let mut out = Vec::new();
    while let [t0, t1, l0, l1, rest @ ..] = list {
        let len = usize::from(u16::from_be_bytes([*l0, *l1]));
        let data = rest.get(..len)?;
        out.push((u16::from_be_bytes([*t0, *t1]), data));
        list = &rest[len..];
    }
    Some(out)
}

/// Whether a list of 2-byte values names one twice.
fn has_duplicate_u16(list: &[u8]) -> bool {
    let values: Vec<&[u8]> = list.chunks(2).collect();
    values
        .iter()
        .enumerate()
        .any(|(i, v)| values[i + 1..].contains(v))
}

/// With `DIFFERENTIAL_SURVEY` set in the environment, unexplained disagreements are printed
/// (once per pair of outcomes) instead of failing: a way to list them all in one run.
fn survey(
    ours: &Outcome<lucid_tls::Error>,
    theirs: &Outcome<rustls::Error>,
    message: &[u8],
) -> bool {
    static SURVEY: OnceLock<Option<std::sync::Mutex<std::collections::HashSet<String>>>> =
        OnceLock::new();
    let Some(seen) = SURVEY.get_or_init(|| {
        std::env::var_os("DIFFERENTIAL_SURVEY").map(|_| std::sync::Mutex::default())
    }) else {
        return false;
    };
    let key = format!("lucid-tls {ours:?}, rustls {theirs:?}");
    if seen.lock().is_ok_and(|mut seen| seen.insert(key.clone())) {
        let hex: String = message.iter().map(|b| format!("{b:02x}")).collect();
        eprintln!("DISAGREEMENT {key}\n  input {hex}");
    }
    true
}

fuzz_target!(|message: &[u8]| {
    if message.is_empty() || message.len() > MAX_INPUT {
        return;
    }
    let records = records(message);
    let (ours, theirs) = (ours(&records), theirs(&records));
    if ours.is_ok() != theirs.is_ok()
        && explained(message, &ours, &theirs).is_none()
        && !survey(&ours, &theirs, message)
    {
        panic!("lucid-tls and rustls disagree: lucid-tls {ours:?}, rustls {theirs:?}");
    }
});
