//! RFC 8448 §3's key schedule, secret by secret.
//!
//! Run with `cargo run --example key_schedule`. It takes only the trace's *inputs* (the two
//! X25519 private/public keys and the handshake messages) and derives every secret of
//! RFC 9846 §7.1 with lucid-tls's key schedule, printing each one next to the value RFC 8448
//! prints, with a check mark when they agree. It exits non-zero if any value differs.
//!
//! This shows the foundation on its own; `cargo run --example walkthrough` drives the whole
//! handshake through the client and server engines.

use std::process::ExitCode;

use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::crypto::{AeadAlgorithm, CryptoProvider, HashAlgorithm, Secret};
use lucid_tls::key_schedule::{EarlySecret, SecretLabel};
use lucid_tls::rfc8448::{ReplayRng, expected, vectors};
use lucid_tls::transcript::Transcript;
use lucid_tls::wire::algorithms::NamedGroup;

fn main() -> ExitCode {
    let trace = vectors::load("simple").expect("RFC 8448 §3's vectors are embedded");
    let provider = RustCryptoProvider;
    let hash = HashAlgorithm::Sha256; // TLS_AES_128_GCM_SHA256, chosen by the ServerHello
    let mut mismatches = 0;

    // Every secret the schedule derives comes through this observer, in RFC order.
    let mut report = |label: SecretLabel, secret: &Secret| {
        // The RFC prints each value once, under whichever side it shows first.
        let expected = expected::secret(&trace, label).map(<[u8]>::to_vec);
        let mark = match &expected {
            Some(v) if v == secret.as_bytes() => "✓ RFC 8448",
            Some(_) => {
                mismatches += 1;
                "✗ differs from RFC 8448"
            }
            None => "(not printed by RFC 8448)",
        };
        println!(
            "{:<36} {}  {mark}",
            label.rfc_name(),
            hex::encode(secret.as_bytes())
        );
    };

    // (EC)DHE: the client's private key and the server's public key give the shared secret.
    let client_key = trace
        .block("client", "create an ephemeral x25519")
        .get("private key");
    let server_public = trace
        .block("server", "create an ephemeral x25519")
        .get("public key");
    // The library draws every private key from the caller's RNG: replaying the trace's
    // value through it gives the trace's key.
    let mut rng = ReplayRng::new(&[("client x25519 private key", client_key)]);
    let shared = provider
        .start_key_exchange(NamedGroup::X25519, &mut rng)
        .and_then(|kx| kx.complete(server_public))
        .expect("X25519 with RFC 8448's keys");
    println!(
        "(EC)DHE shared secret                {}\n",
        hex::encode(shared.as_bytes())
    );

    // The transcript: each message as the RFC prints it.
    let message = |heading: &str, actor: &str| -> Vec<u8> {
        let block = trace.block(actor, heading);
        block.values[0].1.clone()
    };
    let mut transcript = Transcript::new(&provider, hash);
    transcript.add(&message("construct a ClientHello", "client"));
    transcript.add(&message("construct a ServerHello", "server"));

    let early = EarlySecret::new(&provider, hash, None, &mut report);
    let handshake = early
        .into_handshake(&provider, Some(&shared), &mut report)
        .expect("handshake secret");
    let hs = handshake
        .traffic_secrets(&provider, &transcript.current(), &mut report)
        .expect("handshake traffic secrets");
    let keys = hs
        .server
        .traffic_keys(&provider, AeadAlgorithm::Aes128Gcm)
        .expect("server handshake keys");
    println!(
        "  server handshake write key         {}",
        hex::encode(keys.key.as_bytes())
    );
    println!(
        "  server handshake write iv          {}",
        hex::encode(keys.iv)
    );

    for heading in [
        "construct an EncryptedExtensions",
        "construct a Certificate handshake",
        "construct a CertificateVerify",
        "construct a Finished",
    ] {
        transcript.add(&message(heading, "server"));
    }
    let main = handshake
        .into_main(&provider, &mut report)
        .expect("main secret");
    main.application_secrets(&provider, &transcript.current(), &mut report)
        .expect("application secrets");
    transcript.add(&message("construct a Finished", "client"));
    main.into_resumption_secret(&provider, &transcript.current(), &mut report)
        .expect("resumption secret");

    if mismatches == 0 {
        println!("\nEvery secret matches RFC 8448 §3.");
        ExitCode::SUCCESS
    } else {
        println!("\n{mismatches} secret(s) differ from RFC 8448 §3.");
        ExitCode::FAILURE
    }
}
