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
//!
//! | file | what |
//! | --- | --- |
//! | this file | the schedule run on each trace, and the walk over the RFC's blocks |
//! | `key_schedule/transcript_hashes.rs` | the trace's messages and transcript hashes |
//! | `key_schedule/shared_secret.rs` | the (EC)DHE shared secret from the RFC's key pairs |
//! | `key_schedule/checks.rs` | counting checks, and which RFC values they covered |
//! | `key_schedule/recorder.rs` | the recorded HKDF calls, and the replayed private keys |
//! | `key_schedule/ring_reference.rs` | SHA-384 and SHA-256 against ring |

mod common;

use std::sync::Arc;

use checks::{Checks, is_key_schedule_block};
use common::observed_provider::Observed;
use common::vectors::{self, Trace};
use lucid_tls::crypto::{AeadAlgorithm, CryptoProvider, HashAlgorithm, Secret};
use lucid_tls::key_schedule::{
    ApplicationTrafficSecret, BinderKey, EarlySecret, PskKind, SecretLabel, SecretLog,
    TrafficSecret,
};
use lucid_tls::transcript::{PendingTranscript, Transcript, partial_client_hello};
use recorder::Recorder;
use shared_secret::shared_secret;
use transcript_hashes::{Hashes, derive_secret_hash, handshake_messages, transcript_hashes};

const SHA256: HashAlgorithm = HashAlgorithm::Sha256;

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

#[path = "key_schedule/checks.rs"]
mod checks;
#[path = "key_schedule/recorder.rs"]
mod recorder;
#[path = "key_schedule/ring_reference.rs"]
mod ring_reference;
#[path = "key_schedule/shared_secret.rs"]
mod shared_secret;
#[path = "key_schedule/transcript_hashes.rs"]
mod transcript_hashes;
