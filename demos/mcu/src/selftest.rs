//! Known-answer tests of lucid-tls's building blocks, run on the board, each with its cost.
//!
//! They show that the `no_std` library really works on a Cortex-M4, before any peer is
//! involved, and what each step costs there:
//!
//! | step                       | known answer                                   |
//! |----------------------------|------------------------------------------------|
//! | X25519                     | RFC 8448 §3: the client's public key, the shared secret |
//! | key schedule (RFC 9846 §7) | RFC 8448 §3: 6 secrets, the server's handshake key and IV, its Finished |
//! | record protection (§5.2)   | RFC 8448 §3: the server's encrypted flight, sealed and opened byte for byte |
//! | P-256 ECDH                 | OpenSSL: public key and shared secret          |
//! | ECDSA P-256 verify         | OpenSSL: a signature (and an altered message refused) |
//!
//! The RFC 8448 values come from `vectors/rfc8448/simple.txt`, the OpenSSL ones from
//! `demos/mcu/vectors/p256.txt`; build.rs turns them into constants.

use alloc::vec;
use alloc::vec::Vec;

use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::crypto::{AeadAlgorithm, CryptoError, CryptoProvider, HashAlgorithm, Secret};
use lucid_tls::key_schedule::{EarlySecret, SecretLabel};
use lucid_tls::record::decrypter::RecordDecrypter;
use lucid_tls::record::encrypter::{Padding, RecordEncrypter};
use lucid_tls::record::nonce::TrafficKey;
use lucid_tls::transcript::Transcript;
use lucid_tls::wire::algorithms::{NamedGroup, SignatureScheme};
use lucid_tls::wire::codes::ContentType;

use crate::board::counter::Counter;
use crate::board::rng::Replay;
use crate::report::{check, figure, same};

mod vectors {
    include!(concat!(env!("OUT_DIR"), "/vectors.rs"));
}
use vectors::*;

/// Runs every test; returns how many failed.
#[inline(never)] // its own stack frame, measured on its own
pub fn run(counter: &Counter) -> usize {
    let tests: [fn(&Counter) -> usize; 6] = [
        x25519,
        key_schedule,
        record_protection,
        bulk_costs,
        p256_ecdh,
        ecdsa_p256_verify,
    ];
    tests.iter().map(|test| test(counter)).sum()
}

/// Counts a failed check.
fn failed(passed: bool) -> usize {
    usize::from(!passed)
}

/// X25519 with RFC 8448 §3's client private key and server public key.
fn x25519(counter: &Counter) -> usize {
    let provider = RustCryptoProvider;
    let (kx, keygen) = counter.measure(|| {
        provider.start_key_exchange(NamedGroup::X25519, &mut Replay(&CLIENT_X25519_PRIVATE))
    });
    let Ok(kx) = kx else {
        return failed(check("x25519 (RFC 8448 §3)", Err("no key pair")));
    };
    let mut failures = failed(check(
        "x25519 public key (RFC 8448 §3)",
        same(kx.public_key(), &CLIENT_X25519_PUBLIC, "public key differs"),
    ));
    let (shared, exchange) = counter.measure(|| kx.complete(&SERVER_X25519_PUBLIC));
    failures += failed(check(
        "x25519 shared secret (RFC 8448 §3)",
        match &shared {
            Ok(secret) => same(secret.as_bytes(), &SHARED_SECRET, "shared secret differs"),
            Err(_) => Err("refused the RFC's public key"),
        },
    ));
    figure("x25519 keygen instructions", keygen);
    figure("x25519 shared secret instructions", exchange);
    failures
}

/// RFC 9846 §7.1's key schedule over RFC 8448 §3's transcript.
fn key_schedule(counter: &Counter) -> usize {
    let provider = RustCryptoProvider;
    let hash = HashAlgorithm::Sha256;
    let expected: [(SecretLabel, &[u8]); 6] = [
        (SecretLabel::HandshakeSecret, &HANDSHAKE_SECRET),
        (SecretLabel::ClientHandshakeTraffic, &CLIENT_HS_TRAFFIC),
        (SecretLabel::ServerHandshakeTraffic, &SERVER_HS_TRAFFIC),
        (SecretLabel::MainSecret, &MAIN_SECRET),
        (SecretLabel::ClientApplicationTraffic(0), &CLIENT_AP_TRAFFIC),
        (SecretLabel::ServerApplicationTraffic(0), &SERVER_AP_TRAFFIC),
    ];
    let mut matched = 0usize;
    let mut mismatched = 0usize;
    let mut observe = |label: SecretLabel, secret: &Secret| {
        if let Some((_, value)) = expected.iter().find(|(l, _)| *l == label) {
            if secret.as_bytes() == *value {
                matched += 1;
            } else {
                mismatched += 1;
            }
        }
    };
    let shared = Secret::new(&SHARED_SECRET);

    let (outcome, cost) = counter.measure(|| -> Result<(bool, bool), CryptoError> {
        let mut transcript = Transcript::new(&provider, hash);
        transcript.add(&CLIENT_HELLO);
        transcript.add(&SERVER_HELLO);
        let early = EarlySecret::new(&provider, hash, None, &mut observe);
        let handshake = early.into_handshake(&provider, Some(&shared), &mut observe)?;
        let traffic = handshake.traffic_secrets(&provider, &transcript.current(), &mut observe)?;
        let keys = traffic
            .server
            .traffic_keys(&provider, AeadAlgorithm::Aes128Gcm)?;
        let keys_ok = keys.key.as_bytes() == SERVER_HS_KEY && keys.iv == SERVER_HS_IV;
        transcript.add(&ENCRYPTED_EXTENSIONS);
        transcript.add(&CERTIFICATE);
        transcript.add(&CERTIFICATE_VERIFY);
        let finished = traffic
            .server
            .finished_verify_data(&provider, &transcript.current())?;
        let finished_ok = finished.as_bytes() == SERVER_FINISHED_VERIFY_DATA;
        transcript.add(&SERVER_FINISHED);
        let main = handshake.into_main(&provider, &mut observe)?;
        main.application_secrets(&provider, &transcript.current(), &mut observe)?;
        Ok((keys_ok, finished_ok))
    });
    let result = match outcome {
        Err(_) => Err("the provider failed"),
        Ok(_) if mismatched > 0 || matched != expected.len() => Err("a secret differs"),
        Ok((false, _)) => Err("server handshake key or IV differs"),
        Ok((_, false)) => Err("server Finished differs"),
        Ok((true, true)) => Ok(()),
    };
    let failures = failed(check("key schedule (RFC 8448 §3, 9 values)", result));
    figure("key schedule instructions", cost);
    failures
}

/// The record key for RFC 8448 §3's server handshake flight.
fn server_handshake_key() -> Result<TrafficKey, lucid_tls::Error> {
    TrafficKey::from_key_and_iv(
        &RustCryptoProvider,
        AeadAlgorithm::Aes128Gcm,
        &SERVER_HS_KEY,
        &SERVER_HS_IV,
    )
}

/// RFC 9846 §5.2 record protection: RFC 8448 §3's server flight (EncryptedExtensions to
/// Finished) sealed into the RFC's record, opened again, and refused once altered.
fn record_protection(counter: &Counter) -> usize {
    let (Ok(seal_key), Ok(open_key), Ok(tamper_key)) = (
        server_handshake_key(),
        server_handshake_key(),
        server_handshake_key(),
    ) else {
        return failed(check("record keys", Err("AES-128-GCM key refused")));
    };
    let mut encrypter = RecordEncrypter::new(seal_key);
    let (sealed, seal_cost) = counter.measure(|| {
        encrypter.encrypt(
            ContentType::Handshake,
            &SERVER_FLIGHT_PAYLOAD,
            Padding::None,
        )
    });
    let mut failures = failed(check(
        "record seal (RFC 8448 §3 server flight)",
        match &sealed {
            Ok(record) => same(record, &SERVER_FLIGHT_RECORD, "record differs"),
            Err(_) => Err("refused to seal"),
        },
    ));

    let mut record = SERVER_FLIGHT_RECORD.to_vec();
    let mut decrypter = RecordDecrypter::new(open_key);
    let (opened, open_cost) = counter.measure(|| {
        decrypter
            .decrypt_in_place(&mut record)
            .map(|plain| (plain.content_type, plain.fragment.to_vec()))
    });
    failures += failed(check(
        "record open (RFC 8448 §3 server flight)",
        match opened {
            Ok((ContentType::Handshake, content)) => {
                same(&content, &SERVER_FLIGHT_PAYLOAD, "content differs")
            }
            Ok(_) => Err("wrong content type"),
            Err(_) => Err("refused the RFC's record"),
        },
    ));

    let mut altered = SERVER_FLIGHT_RECORD.to_vec();
    if let Some(byte) = altered.get_mut(100) {
        *byte ^= 0x01;
    }
    let refused = RecordDecrypter::new(tamper_key).decrypt_in_place(&mut altered);
    failures += failed(check(
        "record open refuses an altered record",
        match refused {
            Err(lucid_tls::Error::Crypto(CryptoError::AeadTagMismatch)) => Ok(()),
            _ => Err("altered record not refused with bad_record_mac"),
        },
    ));
    figure("record bytes", SERVER_FLIGHT_RECORD.len());
    figure("record seal instructions", seal_cost);
    figure("record open instructions", open_cost);
    failures
}

/// Bulk costs, per KiB: AES-128-GCM sealing and SHA-256 hashing.
fn bulk_costs(counter: &Counter) -> usize {
    let provider = RustCryptoProvider;
    let Ok(key) = server_handshake_key() else {
        return failed(check("aes-128-gcm key", Err("refused")));
    };
    let mut encrypter = RecordEncrypter::new(key);
    let data: Vec<u8> = (0..1024u32).map(|i| i as u8).collect();
    // A record holds the content, the type byte and the tag: 1 KiB + 22 bytes go through
    // AES-GCM and GHASH, close enough to "per KiB".
    let (sealed, aes_cost) =
        counter.measure(|| encrypter.encrypt(ContentType::ApplicationData, &data, Padding::None));
    let mut hasher = provider.hash(HashAlgorithm::Sha256);
    let (_, sha_cost) = counter.measure(|| {
        hasher.update(&data);
        hasher.current()
    });
    figure("aes-128-gcm seal instructions per KiB", aes_cost);
    figure("sha-256 instructions per KiB", sha_cost);
    failed(check(
        "aes-128-gcm 1 KiB record",
        sealed.map(|_| ()).map_err(|_| "refused to seal"),
    ))
}

/// P-256 ECDH (secp256r1, RFC 9846 §4.3.8.2) against OpenSSL's answer.
fn p256_ecdh(counter: &Counter) -> usize {
    let provider = RustCryptoProvider;
    let (kx, keygen) = counter.measure(|| {
        provider.start_key_exchange(NamedGroup::Secp256r1, &mut Replay(&P256_A_PRIVATE))
    });
    let Ok(kx) = kx else {
        return failed(check("p256 (OpenSSL)", Err("no key pair")));
    };
    let mut failures = failed(check(
        "p256 public key (OpenSSL)",
        same(kx.public_key(), &P256_A_PUBLIC, "public key differs"),
    ));
    let (shared, exchange) = counter.measure(|| kx.complete(&P256_B_PUBLIC));
    failures += failed(check(
        "p256 ecdh shared secret (OpenSSL)",
        match &shared {
            Ok(secret) => same(
                secret.as_bytes(),
                &P256_SHARED_SECRET,
                "shared secret differs",
            ),
            Err(_) => Err("refused OpenSSL's public key"),
        },
    ));
    figure("p256 keygen instructions", keygen);
    figure("p256 ecdh instructions", exchange);
    failures
}

/// ECDSA P-256 with SHA-256 (ecdsa_secp256r1_sha256, RFC 9846 §4.3.3) on OpenSSL's
/// signature, and the same signature over an altered message.
fn ecdsa_p256_verify(counter: &Counter) -> usize {
    let provider = RustCryptoProvider;
    let scheme = SignatureScheme::EcdsaSecp256r1Sha256;
    let (verified, cost) = counter.measure(|| {
        provider.verify_signature(scheme, &P256_A_PUBLIC, &ECDSA_MESSAGE, &ECDSA_SIGNATURE)
    });
    let mut failures = failed(check(
        "ecdsa p256 verify (OpenSSL signature)",
        verified.map_err(|_| "OpenSSL's signature refused"),
    ));
    let mut altered = vec![0u8; ECDSA_MESSAGE.len()];
    altered.copy_from_slice(&ECDSA_MESSAGE);
    altered[0] ^= 0x20;
    let refused = provider.verify_signature(scheme, &P256_A_PUBLIC, &altered, &ECDSA_SIGNATURE);
    failures += failed(check(
        "ecdsa p256 verify refuses an altered message",
        match refused {
            Err(CryptoError::BadSignature) => Ok(()),
            _ => Err("altered message accepted"),
        },
    ));
    figure("ecdsa p256 verify instructions", cost);
    failures
}

/// The demo RNG drives a key exchange the way the TLS engine will use it (boxed, owned):
/// two X25519 key pairs drawn from it agree on a shared secret, and differ from each other.
pub fn demo_rng(counter: &Counter, rng: &mut dyn lucid_tls::crypto::Rng) -> usize {
    let provider = RustCryptoProvider;
    let (outcome, cost) = counter.measure(|| {
        let a = provider.start_key_exchange(NamedGroup::X25519, rng)?;
        let b = provider.start_key_exchange(NamedGroup::X25519, rng)?;
        let distinct = a.public_key() != b.public_key();
        let b_public = b.public_key().to_vec();
        let a_secret = b.complete(a.public_key())?;
        let b_secret = a.complete(&b_public)?;
        Ok::<_, CryptoError>(distinct && a_secret.ct_eq(b_secret.as_bytes()))
    });
    figure("demo rng x25519 exchange instructions", cost);
    failed(check(
        "demo rng x25519 exchange agrees",
        match outcome {
            Ok(true) => Ok(()),
            Ok(false) => Err("key pairs repeat or secrets differ"),
            Err(_) => Err("the provider failed"),
        },
    ))
}
