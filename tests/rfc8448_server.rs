//! RFC 8448's traces replayed in the SERVER role: the server engine is fed the RFC's client
//! records and must answer with the RFC's server records, byte for byte, while reporting
//! every secret the RFC prints. One test function per trace.
//!
//! The server's randomness is replayed through a [`ReplayRng`] in the order documented in
//! `docs/determinism.md`: ServerHello.random, the key share's private key, the RSA-PSS salt
//! of CertificateVerify, then per NewSessionTicket its ticket_age_add.
//!
//! RFC 8448 does not print the PSS salt of the server's CertificateVerify. It is recovered
//! here from the published signature (RFC 8017 §9.1.2 run backwards: RSAVP1 with the
//! public key gives the encoded message EM; unmasking its DB with MGF1 leaves the salt),
//! which is legitimate test-vector derivation: the signature the engine then produces must
//! still match the RFC's bytes.

mod common;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use common::check;
use common::vectors::{self, Trace};
use lucid_tls::Error;
use lucid_tls::connection::Event;
use lucid_tls::connection::cert_verify::EndEntityKey;
use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::crypto::{CryptoError, CryptoProvider, Rng, SigningKey};
use lucid_tls::key_schedule::{PskKind, SecretLabel};
use lucid_tls::server::anti_replay::MemoryReplayStore;
use lucid_tls::server::{
    AntiReplay, CertifiedKey, ClientAuth, CookieConfig, CookieIssuer, EarlyDataConfig,
    ServerConfig, ServerConnection, TicketConfig, TicketIssuer,
};
use lucid_tls::time::Time;
use lucid_tls::trace::{Direction, Epoch, TraceEvent};
use lucid_tls::wire::algorithms::{CipherSuite, NamedGroup, SignatureScheme};
use lucid_tls::wire::codes::ExtensionType;
use lucid_tls::wire::extensions::Extension;
use lucid_tls::wire::handshake::HandshakeMessage;
use lucid_tls::x509::{CertificateValidator, TrustAnchors, WebPkiClientVerifier};
use sha2::{Digest, Sha256};

// ----- Replayed randomness ------------------------------------------------------------------

/// An RNG that returns queued byte strings, each for a draw of exactly its length, in
/// order. Draws of any other length (RSA blinding, which does not change the signature) get
/// filler bytes. The queue is shared so a test can check that everything was drawn.
struct ReplayRng {
    queue: Queue,
    filler: u8,
}

impl Rng for ReplayRng {
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), CryptoError> {
        let mut queue = self.queue.lock().unwrap();
        if queue.front().is_some_and(|next| next.len() == dest.len()) {
            dest.copy_from_slice(&queue.pop_front().unwrap());
        } else {
            for b in dest {
                self.filler = self.filler.wrapping_add(0x5b);
                *b = self.filler | 1;
            }
        }
        Ok(())
    }
}

/// The values a [`ReplayRng`] has yet to hand out.
type Queue = Arc<Mutex<VecDeque<Vec<u8>>>>;

fn replay_rng(values: Vec<Vec<u8>>) -> (Box<ReplayRng>, Queue) {
    let queue = Arc::new(Mutex::new(VecDeque::from(values)));
    let rng = ReplayRng {
        queue: queue.clone(),
        filler: 0,
    };
    (Box::new(rng), queue)
}

// ----- The RFC's server key and certificate --------------------------------------------------

/// RFC 8448 §2's RSA key, built from its components and loaded through the public API as
/// PKCS#1 DER.
fn rfc_rsa_key() -> rsa::PrivateKey {
    let keys = vectors::load("keys");
    let block = keys.block("server", "RSA certificate private key");
    let int = |label: &str| rsa::BoxedUint::from_be_slice_vartime(block.get(label));
    rsa::PrivateKey::from_components(
        int("modulus (public)"),
        int("public exponent"),
        int("private exponent"),
        vec![int("prime1"), int("prime2")],
    )
    .unwrap()
}

fn rfc_certified_key(trace: &Trace) -> CertifiedKey {
    use rsa::pkcs1::EncodeRsaPrivateKey;
    let der = rfc_rsa_key().to_pkcs1_der().unwrap();
    let key = RustCryptoProvider
        .load_signing_key(der.as_bytes())
        .expect("RFC 8448's RSA key loads");
    let certificate = message(
        trace,
        "server",
        "construct a Certificate handshake",
        "Certificate",
    );
    let HandshakeMessage::Certificate(certificate) = certificate else {
        panic!("not a Certificate");
    };
    CertifiedKey {
        chain: vec![certificate.certificate_list[0].cert_data.clone()],
        key: Arc::from(key),
        server_names: Vec::new(),
    }
}

/// The salt of the RFC's RSA-PSS (SHA-256) CertificateVerify signature in `trace`,
/// recovered with the public key (RFC 8017 §8.1.2 RSAVP1 then §9.1.2 steps 5-10).
fn rfc_pss_salt(trace: &Trace) -> Vec<u8> {
    use rsa::traits::PublicKeyParts;
    let HandshakeMessage::CertificateVerify(cv) = message(
        trace,
        "server",
        "construct a CertificateVerify",
        "CertificateVerify",
    ) else {
        panic!("not a CertificateVerify");
    };
    let key = rfc_rsa_key().to_public_key();
    let s = rsa::BoxedUint::from_be_slice(&cv.signature, key.n_bits_precision()).unwrap();
    let m = rsa::hazmat::rsa_encrypt(&key, &s).unwrap();
    let em_len = key.size(); // emBits = 1023, so emLen = 128
    let bytes = m.to_be_bytes();
    let em = &bytes[bytes.len() - em_len..];
    let h_len = 32;
    assert_eq!(em[em_len - 1], 0xbc, "EM ends with 0xbc");
    let (masked_db, h) = em[..em_len - 1].split_at(em_len - h_len - 1);
    // MGF1(H, emLen - hLen - 1) with SHA-256.
    let mut mask = Vec::new();
    for counter in 0u32.. {
        if mask.len() >= masked_db.len() {
            break;
        }
        let mut hash = Sha256::new();
        hash.update(h);
        hash.update(counter.to_be_bytes());
        mask.extend_from_slice(&hash.finalize());
    }
    let mut db: Vec<u8> = masked_db.iter().zip(&mask).map(|(a, b)| a ^ b).collect();
    db[0] &= 0x7f; // 8 * emLen - emBits = 1 leftmost bit
    let salt_start = db.len() - h_len;
    assert!(db[..salt_start - 1].iter().all(|b| *b == 0), "PS is zeros");
    assert_eq!(db[salt_start - 1], 0x01);
    db[salt_start..].to_vec()
}

// ----- Trace helpers -------------------------------------------------------------------------

fn message(trace: &Trace, actor: &str, heading: &str, label: &str) -> HandshakeMessage {
    let bytes = trace.block(actor, heading).get(label);
    HandshakeMessage::decode(bytes, Some(32)).unwrap()
}

/// The ServerHello.random of the trace's (last) ServerHello.
fn server_random(trace: &Trace) -> Vec<u8> {
    let hellos = trace.blocks("server", "construct a ServerHello");
    hellos.last().unwrap().get("ServerHello")[6..38].to_vec()
}

/// A ticket issuer that hands out the RFC's ticket bytes and remembers the state sealed
/// under them, like a server-side session database.
#[derive(Default)]
struct RfcTickets {
    to_issue: Mutex<VecDeque<Vec<u8>>>,
    issued: Mutex<Vec<(Vec<u8>, Vec<u8>)>>,
}

impl TicketIssuer for RfcTickets {
    fn issue(&self, state: &[u8], _: &mut dyn Rng) -> Result<Vec<u8>, Error> {
        let ticket = self.to_issue.lock().unwrap().pop_front().unwrap();
        self.issued
            .lock()
            .unwrap()
            .push((ticket.clone(), state.to_vec()));
        Ok(ticket)
    }

    fn open(&self, ticket: &[u8]) -> Option<Vec<u8>> {
        let issued = self.issued.lock().unwrap();
        issued
            .iter()
            .find(|(t, _)| t == ticket)
            .map(|(_, s)| s.clone())
    }
}

/// The RFC 8448 §3 NewSessionTicket's ticket.
fn rfc_ticket(simple: &Trace) -> Vec<u8> {
    match message(
        simple,
        "server",
        "construct a NewSessionTicket",
        "NewSessionTicket",
    ) {
        HandshakeMessage::NewSessionTicket(nst) => nst.ticket,
        other => panic!("{other:?}"),
    }
}

/// A server configured like NSS in RFC 8448: suites 1301, 1303, 1302, X25519 then P-256,
/// the EncryptedExtensions NSS sends, one RSA certificate, tickets of 30 s allowing 1024
/// bytes of 0-RTT.
fn nss_server_config(trace: &Trace, tickets: Arc<RfcTickets>) -> ServerConfig {
    let mut config =
        ServerConfig::new(Arc::new(RustCryptoProvider), vec![rfc_certified_key(trace)]);
    config.cipher_suites = vec![
        CipherSuite::TLS_AES_128_GCM_SHA256,
        CipherSuite::TLS_CHACHA20_POLY1305_SHA256,
        CipherSuite::TLS_AES_256_GCM_SHA384,
    ];
    config.key_share_groups = vec![NamedGroup::X25519, NamedGroup::Secp256r1];
    config.advertised_groups = Some(vec![
        NamedGroup::X25519,
        NamedGroup::Secp256r1,
        NamedGroup::Secp384r1,
        NamedGroup::Secp521r1,
        NamedGroup::Ffdhe2048,
        NamedGroup::Ffdhe3072,
        NamedGroup::Ffdhe4096,
        NamedGroup::Ffdhe6144,
        NamedGroup::Ffdhe8192,
    ]);
    config.record_size_limit = Some(0x4001);
    config.tickets = Some(TicketConfig {
        issuer: tickets,
        count: 1,
        lifetime_secs: 30,
        nonce_len: 2,
    });
    config.early_data = Some(EarlyDataConfig {
        max_early_data_size: 0x400,
        anti_replay: AntiReplay::ClientHelloRecording(Arc::new(MemoryReplayStore::new(0, 64))),
        freshness_window_ms: 10_000,
    });
    config
}

// ----- The replay ----------------------------------------------------------------------------

/// Feeds the trace's client records to `server` in RFC order (each in pieces of `split`
/// bytes), writing the server's application data and closing when the RFC's server does,
/// and checks that every byte the server sends is the RFC's, in order. (The RFC prints some
/// records in another order than they are produced: §4's server answers the ClientHello
/// before the 0-RTT record that follows it is read. So the output is checked as a growing
/// prefix of the RFC's server records.) Returns the events.
fn replay(trace: &Trace, server: &mut ServerConnection, now: Time, split: usize) -> Vec<Event> {
    let expected: Vec<u8> = trace
        .blocks
        .iter()
        .filter(|b| b.actor == "server")
        .filter_map(|b| b.try_get("complete record"))
        .flatten()
        .copied()
        .collect();
    let mut sent: Vec<u8> = Vec::new();
    let mut events = Vec::new();
    for block in &trace.blocks {
        let Some(record) = block.try_get("complete record") else {
            continue;
        };
        if block.actor == "client" {
            // Everything sent so far must be the start of the RFC's server records.
            sent.extend(server.take_output());
            let expected_so_far = &expected[..sent.len().min(expected.len())];
            assert_eq!(
                hex::encode(&sent),
                hex::encode(expected_so_far),
                "server output before [client] {}",
                block.heading
            );
            for piece in record.chunks(split) {
                assert_eq!(server.feed(now, piece).unwrap(), piece.len());
            }
            events.extend(std::iter::from_fn(|| server.poll_event()));
            continue;
        }
        // A server record the application causes: 0.5-RTT or later data, and closing.
        if block.heading.starts_with("send application_data") {
            server.write(block.get("payload")).unwrap();
        } else if block.heading.starts_with("send alert") {
            server.close();
        }
    }
    sent.extend(server.take_output());
    assert_eq!(hex::encode(&sent), hex::encode(&expected), "server output");
    events.extend(std::iter::from_fn(|| server.poll_event()));
    events
}

/// Checks every secret and traffic key the server traced against the RFC; returns how many
/// values were compared.
fn check_secrets(trace: &Trace, traces: &[TraceEvent]) -> usize {
    // The Early Secret (the first one printed: §4 prints the PSK one first), then every
    // other secret the RFC prints.
    let early = check::value(trace, "extract secret \"early\"", "secret").to_vec();
    let traced_early = traces.iter().find_map(|t| match t {
        TraceEvent::SecretDerived {
            label: SecretLabel::EarlySecret,
            secret,
        } => Some(secret.as_bytes().to_vec()),
        _ => None,
    });
    assert_eq!(traced_early, Some(early), "Early Secret");
    let mut checked = 1 + check::check_secrets(trace, traces);
    let key = |direction: Direction, epoch: Epoch| {
        traces.iter().find_map(|t| match t {
            TraceEvent::KeyInstalled {
                direction: d,
                epoch: e,
                key,
                iv,
                ..
            } if *d == direction && *e == epoch => Some((key.as_bytes().to_vec(), iv.to_vec())),
            _ => None,
        })
    };
    let keys = [
        (
            "server",
            "derive write traffic keys for handshake data",
            Direction::Sent,
            Epoch::Handshake,
        ),
        (
            "server",
            "derive write traffic keys for application data",
            Direction::Sent,
            Epoch::Application(0),
        ),
        (
            "server",
            "derive read traffic keys for handshake data",
            Direction::Received,
            Epoch::Handshake,
        ),
        (
            "client",
            "derive write traffic keys for application data",
            Direction::Received,
            Epoch::Application(0),
        ),
        (
            "client",
            "derive write traffic keys for early application data",
            Direction::Received,
            Epoch::Early,
        ),
    ];
    for (actor, heading, direction, epoch) in keys {
        let Some(block) = trace
            .blocks(actor, heading)
            .into_iter()
            .find(|b| !b.values.is_empty())
        else {
            continue;
        };
        let (got_key, got_iv) = key(direction, epoch).unwrap_or_else(|| panic!("no key {heading}"));
        assert_eq!(got_key, block.get("key expanded"), "{heading}: key");
        assert_eq!(got_iv, block.get("iv expanded"), "{heading}: iv");
        checked += 2;
    }
    checked
}

/// The RFC 8448 §3 server, with its replayed randomness.
fn simple_server(simple: &Trace, now: Time) -> (ServerConnection, Queue) {
    let tickets = Arc::new(RfcTickets::default());
    tickets
        .to_issue
        .lock()
        .unwrap()
        .push_back(rfc_ticket(simple));
    let config = nss_server_config(simple, tickets);
    let (rng, queue) = replay_rng(vec![
        server_random(simple),
        simple
            .block("server", "create an ephemeral x25519")
            .get("private key")
            .to_vec(),
        rfc_pss_salt(simple),
        // RFC 8448 §3's NewSessionTicket: ticket_age_add = fad6aac5.
        vec![0xfa, 0xd6, 0xaa, 0xc5],
    ]);
    let server = ServerConnection::new(Arc::new(config), rng, now).unwrap();
    (server, queue)
}

const NOW: Time = Time::from_unix_secs(1_700_000_000);

#[test]
fn rfc8448_simple_1rtt_server() {
    let simple = vectors::load("simple");
    for split in [usize::MAX, 1, 7] {
        let (mut server, queue) = simple_server(&simple, NOW);
        let events = replay(&simple, &mut server, NOW, split);
        assert!(
            queue.lock().unwrap().is_empty(),
            "every replayed value was drawn"
        );
        let payload = simple
            .block("client", "send application_data")
            .get("payload");
        assert!(
            events
                .iter()
                .any(|e| matches!(e, Event::ApplicationData(d) if d == payload))
        );
        assert!(events.iter().any(|e| matches!(e, Event::PeerClosed)));
        let negotiated = events
            .iter()
            .find_map(|e| match e {
                Event::HandshakeComplete(n) => Some(n.clone()),
                _ => None,
            })
            .unwrap();
        assert_eq!(negotiated.cipher_suite, CipherSuite::TLS_AES_128_GCM_SHA256);
        assert_eq!(negotiated.key_exchange_group, Some(NamedGroup::X25519));
        assert_eq!(negotiated.server_name.as_deref(), Some("server"));
        assert_eq!(negotiated.peer_record_size_limit, Some(0x4001));
        assert_eq!(server.state_name(), "CONNECTED");
        if split == usize::MAX {
            let traces: Vec<TraceEvent> = std::iter::from_fn(|| server.poll_trace()).collect();
            let checked = check_secrets(&simple, &traces);
            assert_eq!(checked, 12 + 8, "secrets and keys compared");
        }
    }
}

/// A cookie issuer that hands out RFC 8448 §5's cookie (NSS's own format, which this test
/// cannot open; the server checks that the second ClientHello echoes it byte for byte).
struct RfcCookie(Vec<u8>);

impl CookieIssuer for RfcCookie {
    fn issue(&self, _: &[u8], _: &mut dyn Rng) -> Result<Vec<u8>, Error> {
        Ok(self.0.clone())
    }

    fn open(&self, _: &[u8]) -> Option<Vec<u8>> {
        None
    }
}

#[test]
fn rfc8448_hello_retry_request_server() {
    let hrr = vectors::load("hrr");
    let HandshakeMessage::HelloRetryRequest(retry) =
        message(&hrr, "server", "construct a ServerHello", "ServerHello")
    else {
        panic!("the first ServerHello of §5 is a HelloRetryRequest");
    };
    let Some(Extension::Cookie(cookie)) = retry.extension(ExtensionType::Cookie) else {
        panic!("no cookie");
    };
    let mut config = nss_server_config(&hrr, Arc::new(RfcTickets::default()));
    // NSS in §5 prefers secp256r1 and asks for it even though an X25519 share came.
    config.key_share_groups = vec![NamedGroup::Secp256r1, NamedGroup::X25519];
    config.retry_for_preferred_group = true;
    config.advertised_groups = Some(vec![
        NamedGroup::Secp256r1,
        NamedGroup::Secp384r1,
        NamedGroup::X25519,
    ]);
    config.cookies = Some(CookieConfig {
        issuer: Arc::new(RfcCookie(cookie.cookie.clone())),
        lifetime_ms: 60_000,
    });
    config.tickets = None;
    config.early_data = None;
    for split in [usize::MAX, 1] {
        let (rng, queue) = replay_rng(vec![
            server_random(&hrr),
            hrr.block("server", "create an ephemeral P-256")
                .get("private key")
                .to_vec(),
            rfc_pss_salt(&hrr),
        ]);
        let mut server = ServerConnection::new(Arc::new(config.clone()), rng, NOW).unwrap();
        let events = replay(&hrr, &mut server, NOW, split);
        assert!(queue.lock().unwrap().is_empty());
        let negotiated = handshake_complete(&events);
        assert_eq!(negotiated.key_exchange_group, Some(NamedGroup::Secp256r1));
        if split == usize::MAX {
            let traces: Vec<TraceEvent> = std::iter::from_fn(|| server.poll_trace()).collect();
            assert_eq!(check_secrets(&hrr, &traces), 11 + 8);
        }
    }
}

#[test]
fn rfc8448_compatibility_mode_server() {
    // §7: the client sends a 32-byte legacy_session_id; the server echoes it and sends a
    // dummy change_cipher_spec right after its ServerHello (RFC 9846 Appendix E.4), and
    // drops the client's.
    let compat = vectors::load("compat");
    let mut config = nss_server_config(&compat, Arc::new(RfcTickets::default()));
    config.tickets = None;
    config.early_data = None;
    for split in [usize::MAX, 1] {
        let (rng, queue) = replay_rng(vec![
            server_random(&compat),
            compat
                .block("server", "create an ephemeral x25519")
                .get("private key")
                .to_vec(),
            rfc_pss_salt(&compat),
        ]);
        let mut server = ServerConnection::new(Arc::new(config.clone()), rng, NOW).unwrap();
        let events = replay(&compat, &mut server, NOW, split);
        assert!(queue.lock().unwrap().is_empty());
        handshake_complete(&events);
        if split == usize::MAX {
            let traces: Vec<TraceEvent> = std::iter::from_fn(|| server.poll_trace()).collect();
            assert_eq!(check_secrets(&compat, &traces), 11 + 8);
            let dummies = traces
                .iter()
                .filter(|t| matches!(t, TraceEvent::ChangeCipherSpec { .. }))
                .count();
            assert_eq!(dummies, 2, "one sent, one received and dropped");
        }
    }
}

#[test]
fn rfc8448_resumed_0rtt_server() {
    // §4 resumes with the ticket §3's server issued: run §3 first, then hand its ticket
    // store to the §4 server.
    let simple = vectors::load("simple");
    let resumed = vectors::load("resumed");
    let tickets = Arc::new(RfcTickets::default());
    tickets
        .to_issue
        .lock()
        .unwrap()
        .push_back(rfc_ticket(&simple));
    let config = nss_server_config(&simple, tickets.clone());
    let (rng, _) = replay_rng(vec![
        server_random(&simple),
        simple
            .block("server", "create an ephemeral x25519")
            .get("private key")
            .to_vec(),
        rfc_pss_salt(&simple),
        vec![0xfa, 0xd6, 0xaa, 0xc5],
    ]);
    let mut first = ServerConnection::new(Arc::new(config), rng, NOW).unwrap();
    replay(&simple, &mut first, NOW, usize::MAX);

    // The §4 ClientHello says how old the ticket is; the server is that much later.
    let HandshakeMessage::ClientHello(hello) = HandshakeMessage::decode(
        resumed
            .block("client", "send handshake record")
            .get("payload"),
        None,
    )
    .unwrap() else {
        panic!("not a ClientHello");
    };
    let Some(Extension::PreSharedKeyClientHello(offered)) =
        hello.extension(ExtensionType::PreSharedKey)
    else {
        panic!("no PSK");
    };
    let age = offered.identities[0]
        .obfuscated_ticket_age
        .wrapping_sub(0xfad6_aac5);
    let later = NOW.plus_millis(u64::from(age));

    let mut config = nss_server_config(&simple, tickets);
    // §4's server sends no NewSessionTicket.
    if let Some(t) = config.tickets.as_mut() {
        t.count = 0;
    }
    let config = Arc::new(config);
    for split in [usize::MAX, 1] {
        let (rng, queue) = replay_rng(vec![
            server_random(&resumed),
            resumed
                .block("server", "create an ephemeral x25519")
                .get("private key")
                .to_vec(),
        ]);
        // A fresh replay store each time: the second run is not a replay attack.
        let mut config = (*config).clone();
        config.early_data.as_mut().unwrap().anti_replay =
            AntiReplay::ClientHelloRecording(Arc::new(MemoryReplayStore::new(0, 8)));
        let mut server = ServerConnection::new(Arc::new(config), rng, later).unwrap();
        let events = replay(&resumed, &mut server, later, split);
        assert!(queue.lock().unwrap().is_empty());
        let early = resumed
            .block("client", "send application_data")
            .get("payload");
        assert!(
            events
                .iter()
                .any(|e| matches!(e, Event::EarlyData(d) if d == early))
        );
        let negotiated = handshake_complete(&events);
        assert!(negotiated.early_data_accepted);
        assert_eq!(negotiated.psk, Some(PskKind::Resumption));
        if split == usize::MAX {
            let traces: Vec<TraceEvent> = std::iter::from_fn(|| server.poll_trace()).collect();
            // Including client_early_traffic_secret and early_exporter_secret, and the
            // client's early traffic key.
            assert_eq!(check_secrets(&resumed, &traces), 13 + 8);
        }
    }
}

fn handshake_complete(events: &[Event]) -> lucid_tls::connection::Negotiated {
    events
        .iter()
        .find_map(|e| match e {
            Event::HandshakeComplete(n) => Some(n.clone()),
            _ => None,
        })
        .expect("the handshake completed")
}

/// A signing key standing in for RFC 8448 §6's unpublished ECDSA key: it checks, with the
/// certificate's public key, that the content it is asked to sign is what the RFC's
/// signature covers, and returns that signature.
struct ReplayedSignature {
    scheme: SignatureScheme,
    public_key: Vec<u8>,
    signature: Vec<u8>,
}

impl SigningKey for ReplayedSignature {
    fn schemes(&self) -> &[SignatureScheme] {
        std::slice::from_ref(&self.scheme)
    }

    fn sign(
        &self,
        scheme: SignatureScheme,
        message: &[u8],
        _: &mut dyn Rng,
    ) -> Result<Vec<u8>, CryptoError> {
        RustCryptoProvider.verify_signature(scheme, &self.public_key, message, &self.signature)?;
        Ok(self.signature.clone())
    }
}

/// Full X.509 validation of RFC 8448 §6's client certificate, which is self-signed: it is
/// trusted as its own anchor, and validated (signature, validity at the connection's time,
/// basicConstraints, keyUsage, clientAuth purpose) with its 1024-bit RSA key allowed.
fn rfc_client_verifier(client_certificate: &[u8]) -> WebPkiClientVerifier {
    let anchors = TrustAnchors::from_der_certificates([client_certificate]).unwrap();
    let validator =
        CertificateValidator::new(Arc::new(RustCryptoProvider), anchors).with_min_rsa_bits(1024);
    // NSS's CertificateRequest carries only signature_algorithms.
    WebPkiClientVerifier::new(validator).without_request_hints()
}

fn first_certificate(trace: &Trace, actor: &str) -> Vec<u8> {
    match message(
        trace,
        actor,
        "construct a Certificate handshake",
        "Certificate",
    ) {
        HandshakeMessage::Certificate(c) => c.certificate_list[0].cert_data.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn rfc8448_client_auth_server() {
    // §6: the server (an ECDSA P-256 certificate whose private key RFC 8448 does not
    // publish) asks for a client certificate and checks the client's RSA-PSS
    // CertificateVerify.
    let trace = vectors::load("client_auth");
    let server_cert = first_certificate(&trace, "server");
    let HandshakeMessage::CertificateVerify(server_cv) = message(
        &trace,
        "server",
        "construct a CertificateVerify",
        "CertificateVerify",
    ) else {
        panic!("no CertificateVerify");
    };
    let key = EndEntityKey::from_certificate(&server_cert).unwrap();
    let signer = ReplayedSignature {
        scheme: server_cv.algorithm,
        public_key: key.public_key,
        signature: server_cv.signature,
    };
    let HandshakeMessage::CertificateRequest(request) = message(
        &trace,
        "server",
        "construct a CertificateRequest",
        "CertificateRequest",
    ) else {
        panic!("no CertificateRequest");
    };
    let Some(Extension::SignatureAlgorithms(schemes)) =
        request.extension(ExtensionType::SignatureAlgorithms)
    else {
        panic!("no signature_algorithms");
    };
    let mut config = nss_server_config(&trace, Arc::new(RfcTickets::default()));
    config.certificates = vec![CertifiedKey {
        chain: vec![server_cert],
        key: Arc::new(signer),
        server_names: Vec::new(),
    }];
    config.client_auth = ClientAuth::Required(Arc::new(rfc_client_verifier(&first_certificate(
        &trace, "client",
    ))));
    config.client_auth_schemes = schemes.supported_signature_algorithms.clone();
    config.tickets = None;
    config.early_data = None;
    for split in [usize::MAX, 1] {
        let (rng, queue) = replay_rng(vec![
            server_random(&trace),
            trace
                .block("server", "create an ephemeral x25519")
                .get("private key")
                .to_vec(),
        ]);
        let mut server = ServerConnection::new(Arc::new(config.clone()), rng, NOW).unwrap();
        let events = replay(&trace, &mut server, NOW, split);
        assert!(queue.lock().unwrap().is_empty());
        let negotiated = handshake_complete(&events);
        assert_eq!(
            negotiated.signature_scheme,
            Some(SignatureScheme::RsaPssRsaeSha256)
        );
        assert_eq!(
            negotiated.peer_certificates,
            vec![first_certificate(&trace, "client")]
        );
        if split == usize::MAX {
            let traces: Vec<TraceEvent> = std::iter::from_fn(|| server.poll_trace()).collect();
            assert_eq!(check_secrets(&trace, &traces), 11 + 8);
        }
    }
}
