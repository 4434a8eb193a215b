//! The key schedule and transcript hash against every key-schedule value RFC 8448 prints.
//!
//! For each handshake trace (§3 simple, §4 resumed with 0-RTT, §5 HelloRetryRequest, §6
//! client authentication, §7 compatibility mode) this test
//!
//! 1. computes the (EC)DHE shared secret from the RFC's private keys and peer public keys
//!    with the default provider (X25519, or P-256 in §5),
//! 2. builds the transcript with `lucid_tls::transcript` from the trace's handshake records
//!    (with §5's `message_hash` rule) the way a client, a server and a stateless server
//!    would, and checks that all three agree,
//! 3. runs the key schedule, from the PSK (§4: the ticket PSK derived from §3's resumption
//!    secret) or none,
//! 4. then walks every block of the trace that RFC 8448 prints for the key schedule
//!    ("extract secret", "derive secret", "derive ... traffic keys", "calculate finished",
//!    "calculate PSK binder", "generate resumption secret") and checks each value in it:
//!    secrets and keys against what the API returned, the "hash" inputs against the
//!    transcript hash, and the PRK/salt/IKM/info inputs against the HKDF calls the library
//!    actually made (recorded by a wrapper around the provider).
//!
//! Each trace asserts that no value of those blocks went unchecked, and prints its count.
//! RFC 8448 has no SHA-384 trace, so the last tests cross-check a whole SHA-384 (and
//! SHA-256) schedule, its traffic keys, binders, exporters and key updates against an
//! independent computation with ring.

mod common;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use common::observed_provider::Observed;
use common::vectors::{self, Block, Trace};
use lucid_tls::crypto::{AeadAlgorithm, CryptoProvider, HashAlgorithm, HashOutput, Secret};
use lucid_tls::key_schedule::{
    ApplicationTrafficSecret, BinderKey, EarlySecret, PskKind, SecretLabel, SecretLog,
    TrafficSecret,
};
use lucid_tls::transcript::{PendingTranscript, Transcript, partial_client_hello};
use lucid_tls::wire::algorithms::NamedGroup;
use recorder::{Call, Recorder, Replay};

const SHA256: HashAlgorithm = HashAlgorithm::Sha256;

// ---------------------------------------------------------------------------------------
// Counting checks, and which values of which blocks they covered.

#[derive(Default)]
struct Checks {
    count: usize,
    /// (block index in the trace, value label) of every RFC value checked.
    covered: BTreeSet<(usize, String)>,
}

impl Checks {
    /// Asserts `ours == the RFC's value labelled `label` in block `index``.
    fn value(&mut self, trace: &Trace, index: usize, label: &str, ours: &[u8]) {
        let block = &trace.blocks[index];
        let rfc = block.get(label);
        assert_eq!(
            hex::encode(ours),
            hex::encode(rfc),
            "RFC 8448 {} [{}] {} / {label}",
            trace.name,
            block.actor,
            block.heading
        );
        self.count += 1;
        self.covered.insert((index, label.to_string()));
    }

    /// Asserts that the library made an HKDF call with the RFC's two inputs `a_label` and
    /// `b_label` of block `index`, and that it output the RFC's `out_label`.
    fn hkdf_call(
        &mut self,
        trace: &Trace,
        index: usize,
        calls: &Mutex<Vec<Call>>,
        [a_label, b_label, out_label]: [&str; 3],
    ) {
        let block = &trace.blocks[index];
        let outputs = Recorder::outputs(calls, block.get(a_label), block.get(b_label));
        assert!(
            !outputs.is_empty(),
            "RFC 8448 {} [{}] {}: no HKDF call with this {a_label} and {b_label}",
            trace.name,
            block.actor,
            block.heading
        );
        for out in &outputs {
            self.value(trace, index, out_label, out);
        }
        self.value(trace, index, a_label, block.get(a_label));
        self.value(trace, index, b_label, block.get(b_label));
    }

    /// For a value the library takes as a constant (the Early Secret without a PSK and the
    /// salt derived from it): asserts that no HKDF call was made with the RFC's two inputs,
    /// and that those inputs are `a` and `b`.
    fn constant(
        &mut self,
        trace: &Trace,
        index: usize,
        calls: &Mutex<Vec<Call>>,
        [(a_label, a), (b_label, b)]: [(&str, &[u8]); 2],
    ) {
        let block = &trace.blocks[index];
        let outputs = Recorder::outputs(calls, block.get(a_label), block.get(b_label));
        assert!(
            outputs.is_empty(),
            "{}: computed, not a constant",
            block.heading
        );
        self.value(trace, index, a_label, a);
        self.value(trace, index, b_label, b);
    }
}

/// Is this block one that RFC 8448 prints for the key schedule?
fn is_key_schedule_block(block: &Block) -> bool {
    const HEADINGS: [&str; 7] = [
        "extract secret",
        "derive secret",
        "derive write traffic keys",
        "derive read traffic keys",
        "calculate finished",
        "calculate PSK binder",
        "generate resumption secret",
    ];
    HEADINGS.iter().any(|h| block.heading.starts_with(h))
}

// ---------------------------------------------------------------------------------------
// The handshake messages and the transcript.

/// The handshake messages of a trace in the order they were sent, split out of its
/// plaintext "send handshake record" payloads.
fn handshake_messages(trace: &Trace) -> Vec<Vec<u8>> {
    let mut messages = Vec::new();
    for block in trace
        .blocks
        .iter()
        .filter(|b| b.heading == "send handshake record")
    {
        let mut rest = block.get("payload");
        while !rest.is_empty() {
            let len = usize::from(rest[1]) << 16 | usize::from(rest[2]) << 8 | usize::from(rest[3]);
            messages.push(rest[..4 + len].to_vec());
            rest = &rest[4 + len..];
        }
    }
    messages
}

const CLIENT_HELLO: u8 = 1;
const SERVER_HELLO: u8 = 2;
const NEW_SESSION_TICKET: u8 = 4;
const FINISHED: u8 = 20;

/// The transcript hashes a trace's key schedule needs, computed by `lucid_tls::transcript`.
struct Hashes {
    /// `Transcript-Hash(ClientHello)`, for the early secrets (only without HelloRetryRequest).
    client_hello: HashOutput,
    /// ClientHello...ServerHello.
    hello: HashOutput,
    /// ClientHello...CertificateVerify: what the server's Finished MACs.
    before_server_finished: HashOutput,
    /// ClientHello...server Finished.
    server_finished: HashOutput,
    /// ClientHello...EndOfEarlyData or client CertificateVerify: what the client's Finished MACs.
    before_client_finished: HashOutput,
    /// ClientHello...client Finished.
    client_finished: HashOutput,
    /// The Finished messages as sent: (server's, client's).
    finished_messages: (Vec<u8>, Vec<u8>),
    /// The ticket_nonce of each NewSessionTicket.
    ticket_nonces: Vec<Vec<u8>>,
}

fn transcript_hashes(provider: &dyn CryptoProvider, messages: &[Vec<u8>]) -> Hashes {
    let handshake: Vec<&Vec<u8>> = messages
        .iter()
        .filter(|m| m[0] != NEW_SESSION_TICKET)
        .collect();
    // The client buffers ClientHello1 until the ServerHello (or HelloRetryRequest) names the
    // suite; every trace uses TLS_AES_128_GCM_SHA256.
    let mut pending = PendingTranscript::new();
    pending.add(handshake[0]);
    let client_hello = pending.hash_with(provider, SHA256, &[]);
    let hello_retry = handshake[1][0] == SERVER_HELLO && handshake[2][0] == CLIENT_HELLO;
    let mut transcript = if hello_retry {
        pending
            .into_transcript_after_hello_retry(provider, SHA256)
            .unwrap()
    } else {
        pending.into_transcript(provider, SHA256)
    };
    // The server's view: it picks the suite from ClientHello1 and hashes as it goes, then
    // (§5) swaps ClientHello1 for message_hash when it sends the HelloRetryRequest. And a
    // stateless server that kept only Hash(ClientHello1) in its cookie.
    let mut server = Transcript::new(provider, SHA256);
    server.add(handshake[0]);
    assert_eq!(server.current(), client_hello);
    let mut stateless = None;
    if hello_retry {
        server.replace_client_hello1(provider).unwrap();
        stateless = Some(Transcript::from_client_hello1_hash(
            provider,
            SHA256,
            &client_hello,
        ));
    }
    // after[i]: the transcript hash once handshake[i] is in.
    let mut after = vec![client_hello];
    for message in &handshake[1..] {
        transcript.add(message);
        server.add(message);
        after.push(transcript.current());
        assert_eq!(server.current(), transcript.current());
        if let Some(stateless) = stateless.as_mut() {
            stateless.add(message);
            assert_eq!(stateless.current(), transcript.current());
        }
    }
    let last = |typ: u8| handshake.iter().rposition(|m| m[0] == typ).unwrap();
    let first = |typ: u8| handshake.iter().position(|m| m[0] == typ).unwrap();
    let (server_fin, client_fin) = (first(FINISHED), last(FINISHED));
    let ticket_nonces = messages
        .iter()
        .filter(|m| m[0] == NEW_SESSION_TICKET)
        // NewSessionTicket: header(4), ticket_lifetime(4), ticket_age_add(4), ticket_nonce<0..255>.
        .map(|m| m[13..13 + usize::from(m[12])].to_vec())
        .collect();
    Hashes {
        client_hello,
        hello: after[last(SERVER_HELLO)],
        before_server_finished: after[server_fin - 1],
        server_finished: after[server_fin],
        before_client_finished: after[client_fin - 1],
        client_finished: after[client_fin],
        finished_messages: (handshake[server_fin].clone(), handshake[client_fin].clone()),
        ticket_nonces,
    }
}

/// The "hash" input RFC 9846 §7.1 gives each Derive-Secret.
fn derive_secret_hash(label: SecretLabel, hashes: &Hashes, empty: &HashOutput) -> HashOutput {
    match label {
        SecretLabel::ExternalBinderKey
        | SecretLabel::ResumptionBinderKey
        | SecretLabel::DerivedForHandshake
        | SecretLabel::DerivedForMain => *empty,
        SecretLabel::ClientEarlyTraffic | SecretLabel::EarlyExporter => hashes.client_hello,
        SecretLabel::ClientHandshakeTraffic | SecretLabel::ServerHandshakeTraffic => hashes.hello,
        SecretLabel::ClientApplicationTraffic(0)
        | SecretLabel::ServerApplicationTraffic(0)
        | SecretLabel::Exporter => hashes.server_finished,
        SecretLabel::Resumption => hashes.client_finished,
        other => panic!("{other:?} is not a Derive-Secret of RFC 8448"),
    }
}

// ---------------------------------------------------------------------------------------
// The (EC)DHE shared secret from the RFC's key pairs.

/// The group and private key of the `actor`'s last "create an ephemeral ... key pair" block
/// in `group_name` ("x25519" or "P-256"), and that block's index.
fn key_pair<'t>(trace: &'t Trace, actor: &str, group_name: &str) -> (usize, &'t Block) {
    let heading = format!("create an ephemeral {group_name} key pair");
    trace
        .blocks
        .iter()
        .enumerate()
        .rev()
        .find(|(_, b)| b.actor == actor && b.heading == heading)
        .unwrap_or_else(|| panic!("{}: no [{actor}] {heading}", trace.name))
}

/// Computes the shared secret on both sides from the RFC's private keys, checking that the
/// provider derives the RFC's public keys and that both sides agree.
fn shared_secret(provider: &dyn CryptoProvider, trace: &Trace, checks: &mut Checks) -> Secret {
    let group_name = if trace.name == "hrr" {
        "P-256"
    } else {
        "x25519"
    };
    let group = match group_name {
        "P-256" => NamedGroup::Secp256r1,
        _ => NamedGroup::X25519,
    };
    let (client_index, client) = key_pair(trace, "client", group_name);
    let (server_index, server) = key_pair(trace, "server", group_name);
    let mut secrets = Vec::new();
    for (index, ours, peer) in [
        (client_index, client, server),
        (server_index, server, client),
    ] {
        let mut rng = Replay(ours.get("private key").to_vec());
        let share = provider.start_key_exchange(group, &mut rng).unwrap();
        checks.value(trace, index, "public key", share.public_key());
        secrets.push(share.complete(peer.get("public key")).unwrap());
    }
    assert_eq!(secrets[0].as_bytes(), secrets[1].as_bytes());
    secrets.remove(0)
}

// ---------------------------------------------------------------------------------------
// One trace.

/// Everything one run of the schedule produced.
struct Schedule {
    log: SecretLog,
    binder_key: Option<BinderKey>,
    client_early: Option<TrafficSecret>,
    client_handshake: TrafficSecret,
    server_handshake: TrafficSecret,
    client_application: ApplicationTrafficSecret,
    server_application: ApplicationTrafficSecret,
    /// The secret of each ticket's PSK, in NewSessionTicket order.
    ticket_psks: Vec<Secret>,
}

fn run_schedule(
    provider: &dyn CryptoProvider,
    psk: Option<&Secret>,
    shared: &Secret,
    hashes: &Hashes,
) -> Schedule {
    let mut log = SecretLog::default();
    let mut observe = log.observer();
    let early = EarlySecret::new(provider, SHA256, psk, &mut observe);
    let (binder_key, client_early) = match psk {
        Some(_) => {
            let binder_key = early.binder_key(provider, PskKind::Resumption, &mut observe);
            let client_early = early
                .client_early_traffic_secret(provider, &hashes.client_hello, &mut observe)
                .unwrap();
            early
                .early_exporter_secret(provider, &hashes.client_hello, &mut observe)
                .unwrap();
            (Some(binder_key.unwrap()), Some(client_early))
        }
        None => (None, None),
    };
    let handshake = early
        .into_handshake(provider, Some(shared), &mut observe)
        .unwrap();
    let hs = handshake
        .traffic_secrets(provider, &hashes.hello, &mut observe)
        .unwrap();
    let main = handshake.into_main(provider, &mut observe).unwrap();
    let app = main
        .application_secrets(provider, &hashes.server_finished, &mut observe)
        .unwrap();
    let resumption = main
        .into_resumption_secret(provider, &hashes.client_finished, &mut observe)
        .unwrap();
    let ticket_psks = hashes
        .ticket_nonces
        .iter()
        .map(|nonce| {
            resumption
                .ticket_psk(provider, nonce, &mut observe)
                .unwrap()
        })
        .collect();
    drop(observe);
    Schedule {
        log,
        binder_key,
        client_early,
        client_handshake: hs.client,
        server_handshake: hs.server,
        client_application: app.client,
        server_application: app.server,
        ticket_psks,
    }
}

/// The Derive-Secret label a `derive secret ...` heading names.
fn derive_label(heading: &str) -> SecretLabel {
    if heading.starts_with("derive secret for handshake") {
        return SecretLabel::DerivedForHandshake;
    }
    if heading.starts_with("derive secret for master") {
        return SecretLabel::DerivedForMain;
    }
    let text = heading
        .strip_prefix("derive secret \"tls13 ")
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("unexpected heading {heading:?}"));
    [
        SecretLabel::ClientEarlyTraffic,
        SecretLabel::EarlyExporter,
        SecretLabel::ClientHandshakeTraffic,
        SecretLabel::ServerHandshakeTraffic,
        SecretLabel::ClientApplicationTraffic(0),
        SecretLabel::ServerApplicationTraffic(0),
        SecretLabel::Exporter,
        SecretLabel::Resumption,
    ]
    .into_iter()
    .find(|label| label.hkdf_label() == Some(text))
    .unwrap_or_else(|| panic!("no label {text:?}"))
}

/// The secret of an "extract secret" heading.
fn extract_label(heading: &str) -> SecretLabel {
    match heading.split('"').nth(1) {
        Some("early") => SecretLabel::EarlySecret,
        Some("handshake") => SecretLabel::HandshakeSecret,
        Some("master") => SecretLabel::MainSecret,
        _ => panic!("unexpected heading {heading:?}"),
    }
}

/// The traffic secret a "derive write|read traffic keys for ... data" block of `actor` uses.
fn traffic_secret_for<'s>(schedule: &'s Schedule, actor: &str, heading: &str) -> &'s TrafficSecret {
    let write = heading.starts_with("derive write");
    let sender_is_client = (actor == "client") == write;
    if heading.contains("for early application data") {
        assert!(sender_is_client, "only the client sends 0-RTT data");
        return schedule.client_early.as_ref().unwrap();
    }
    match (heading.contains("for handshake data"), sender_is_client) {
        (true, true) => &schedule.client_handshake,
        (true, false) => &schedule.server_handshake,
        (false, true) => schedule.client_application.traffic(),
        (false, false) => schedule.server_application.traffic(),
    }
}

/// Runs one trace and checks every value of its key-schedule blocks. Returns the ticket PSKs
/// (for §4) and the number of values checked.
fn check_trace(name: &str, psk: Option<&Secret>) -> (Vec<Secret>, usize) {
    let trace = vectors::load(name);
    let recorder = Arc::new(Recorder::default());
    let observed = Observed(recorder.clone());
    let provider: &dyn CryptoProvider = &observed;
    let mut checks = Checks::default();

    let messages = handshake_messages(&trace);
    let hashes = transcript_hashes(provider, &messages);
    let shared = shared_secret(provider, &trace, &mut checks);
    let schedule = run_schedule(provider, psk, &shared, &hashes);
    let empty = provider.hash(SHA256).current();

    for (index, block) in trace.blocks.iter().enumerate() {
        if block.values.is_empty() || !is_key_schedule_block(block) {
            continue;
        }
        let heading = block.heading.as_str();
        if heading.starts_with("extract secret") {
            let label = extract_label(heading);
            checks.value(
                &trace,
                index,
                "secret",
                schedule.log.get(label).unwrap().as_bytes(),
            );
            if label == SecretLabel::EarlySecret && psk.is_none() {
                // HKDF-Extract(0, 0): a constant of the library (key_schedule::without_psk).
                let zeros: &[u8] = &[0; 32];
                let inputs = [("salt", zeros), ("IKM", zeros)];
                checks.constant(&trace, index, &recorder.extracts, inputs);
            } else {
                checks.hkdf_call(&trace, index, &recorder.extracts, ["salt", "IKM", "secret"]);
            }
            if label == SecretLabel::HandshakeSecret {
                // The (EC)DHE shared secret computed from the RFC's key pairs.
                checks.value(&trace, index, "IKM", shared.as_bytes());
            }
        } else if heading.starts_with("derive secret") {
            let label = derive_label(heading);
            let hash = derive_secret_hash(label, &hashes, &empty);
            checks.value(&trace, index, "hash", hash.as_bytes());
            checks.value(
                &trace,
                index,
                "expanded",
                schedule.log.get(label).unwrap().as_bytes(),
            );
            if label == SecretLabel::DerivedForHandshake && psk.is_none() {
                // Derived from HKDF-Extract(0, 0): a constant too.
                let early = schedule.log.get(SecretLabel::EarlySecret).unwrap();
                let info = [&[0, 32, 13][..], b"tls13 derived", &[32], empty.as_bytes()].concat();
                let inputs = [("PRK", early.as_bytes()), ("info", &info[..])];
                checks.constant(&trace, index, &recorder.expands, inputs);
            } else {
                checks.hkdf_call(
                    &trace,
                    index,
                    &recorder.expands,
                    ["PRK", "info", "expanded"],
                );
            }
        } else if heading.starts_with("derive write") || heading.starts_with("derive read") {
            let secret = traffic_secret_for(&schedule, &block.actor, heading);
            let keys = secret
                .traffic_keys(provider, AeadAlgorithm::Aes128Gcm)
                .unwrap();
            checks.value(&trace, index, "PRK", secret.secret().as_bytes());
            checks.value(&trace, index, "key expanded", keys.key.as_bytes());
            checks.value(&trace, index, "iv expanded", &keys.iv);
            checks.hkdf_call(
                &trace,
                index,
                &recorder.expands,
                ["PRK", "key info", "key expanded"],
            );
            checks.hkdf_call(
                &trace,
                index,
                &recorder.expands,
                ["PRK", "iv info", "iv expanded"],
            );
        } else if heading.starts_with("calculate finished") {
            let client = block.actor == "client";
            let (base, hash, message) = if client {
                let h = &hashes.before_client_finished;
                (&schedule.client_handshake, h, &hashes.finished_messages.1)
            } else {
                let h = &hashes.before_server_finished;
                (&schedule.server_handshake, h, &hashes.finished_messages.0)
            };
            let verify_data = base.finished_verify_data(provider, hash).unwrap();
            checks.value(&trace, index, "PRK", base.secret().as_bytes());
            checks.value(
                &trace,
                index,
                "expanded",
                base.finished_key(provider).unwrap().as_bytes(),
            );
            checks.value(&trace, index, "finished", verify_data.as_bytes());
            // The Finished message as sent carries exactly this verify_data.
            checks.value(&trace, index, "finished", &message[4..]);
            // The finished key's context is empty: HKDF-Expand-Label(BaseKey, "finished", "").
            checks.value(&trace, index, "hash", b"");
            checks.hkdf_call(
                &trace,
                index,
                &recorder.expands,
                ["PRK", "info", "expanded"],
            );
            assert!(
                base.verify_finished(provider, hash, verify_data.as_bytes())
                    .is_ok()
            );
            let mut forged = verify_data.as_bytes().to_vec();
            forged[0] ^= 1;
            assert!(base.verify_finished(provider, hash, &forged).is_err());
        } else if heading.starts_with("calculate PSK binder") {
            check_binder(provider, &trace, index, &schedule, &messages, &mut checks);
            checks.hkdf_call(
                &trace,
                index,
                &recorder.expands,
                ["PRK", "info", "expanded"],
            );
        } else if heading.starts_with("generate resumption secret") {
            let psk = &schedule.ticket_psks[0];
            checks.value(&trace, index, "expanded", psk.as_bytes());
            checks.value(&trace, index, "hash", &hashes.ticket_nonces[0]);
            let resumption = schedule.log.get(SecretLabel::Resumption).unwrap();
            checks.value(&trace, index, "PRK", resumption.as_bytes());
            checks.hkdf_call(
                &trace,
                index,
                &recorder.expands,
                ["PRK", "info", "expanded"],
            );
        }
    }

    // Every value of every key-schedule block was checked.
    for (index, block) in trace.blocks.iter().enumerate() {
        if !is_key_schedule_block(block) {
            continue;
        }
        for (label, _) in &block.values {
            assert!(
                checks.covered.contains(&(index, label.clone())),
                "RFC 8448 {name} [{}] {} / {label} was not checked",
                block.actor,
                block.heading
            );
        }
    }
    let covered = checks.covered.len();
    println!(
        "RFC 8448 {name}: {covered} distinct RFC values checked ({} assertions)",
        checks.count
    );
    (schedule.ticket_psks, covered)
}

/// §4's binder: over the ClientHello cut before its binders, with the resumption binder key.
fn check_binder(
    provider: &dyn CryptoProvider,
    trace: &Trace,
    index: usize,
    schedule: &Schedule,
    messages: &[Vec<u8>],
    checks: &mut Checks,
) {
    let binder_key = schedule.binder_key.as_ref().unwrap();
    let client_hello = &messages[0];
    // One SHA-256 binder: binders<33..2^16-1> = 00 21, then PskBinderEntry = 20 + 32 bytes.
    let binders_len = 2 + 1 + 32;
    assert_eq!(
        client_hello[client_hello.len() - binders_len..][..3],
        [0, 0x21, 0x20]
    );
    let prefix = partial_client_hello(client_hello, binders_len).unwrap();
    checks.value(trace, index, "ClientHello prefix", prefix);

    // The client hashes the prefix before knowing the suite; the server, having picked the
    // suite, hashes it into an empty running transcript. Both must agree with the RFC.
    let client_hash = PendingTranscript::new().hash_with(provider, SHA256, prefix);
    let server_hash = Transcript::new(provider, SHA256).current_with(prefix);
    checks.value(trace, index, "binder hash", client_hash.as_bytes());
    checks.value(trace, index, "binder hash", server_hash.as_bytes());

    let binder = binder_key.binder(provider, &client_hash).unwrap();
    checks.value(trace, index, "PRK", binder_key.secret().as_bytes());
    checks.value(trace, index, "hash", b"");
    let finished_key = binder_key.finished_key(provider).unwrap();
    checks.value(trace, index, "expanded", finished_key.as_bytes());
    checks.value(trace, index, "finished", binder.as_bytes());
    // The binder as sent ends the ClientHello.
    checks.value(
        trace,
        index,
        "finished",
        &client_hello[client_hello.len() - 32..],
    );
    assert!(
        binder_key
            .verify_binder(provider, &server_hash, binder.as_bytes())
            .is_ok()
    );
    assert!(
        binder_key
            .verify_binder(provider, &server_hash, &binder.as_bytes()[1..])
            .is_err()
    );
}

#[test]
fn rfc8448_key_schedules() {
    let (simple_psks, simple) = check_trace("simple", None);
    // §4 resumes with the ticket §3's server sent: its PSK is the IKM of §4's Early Secret.
    let (_, resumed) = check_trace("resumed", Some(&simple_psks[0]));
    let (_, hrr) = check_trace("hrr", None);
    let (_, client_auth) = check_trace("client_auth", None);
    let (_, compat) = check_trace("compat", None);
    println!(
        "RFC 8448 key schedule values checked: §3 {simple}, §4 {resumed}, §5 {hrr}, \
         §6 {client_auth}, §7 {compat}; total {}",
        simple + resumed + hrr + client_auth + compat
    );
}

#[path = "key_schedule/recorder.rs"]
mod recorder;
#[path = "key_schedule/ring_reference.rs"]
mod ring_reference;
