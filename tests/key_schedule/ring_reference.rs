//! SHA-384 (and SHA-256) against an independent computation with ring: RFC 8448 has no
//! SHA-384 trace, so every secret, key, Finished, binder, exporter output and key update of a
//! whole schedule is recomputed here from RFC 9846 §7 on ring's HMAC and HKDF-Expand.

use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::crypto::{AeadAlgorithm, HashAlgorithm, Secret};
use lucid_tls::key_schedule::{EarlySecret, PskKind, SecretLabel, SecretLog, TrafficSecret};
use lucid_tls::transcript::{PendingTranscript, Transcript};

/// The reference: RFC 9846 §7.1's functions written again on ring's HMAC and HKDF-Expand.
struct Reference(HashAlgorithm);

/// ring needs its output length as a `KeyType`.
struct OkmLen(usize);

impl ring::hkdf::KeyType for OkmLen {
    fn len(&self) -> usize {
        self.0
    }
}

impl Reference {
    fn len(&self) -> usize {
        self.0.output_len()
    }

    fn hash(&self, data: &[u8]) -> Vec<u8> {
        let alg = match self.0 {
            HashAlgorithm::Sha256 => &ring::digest::SHA256,
            HashAlgorithm::Sha384 => &ring::digest::SHA384,
        };
        ring::digest::digest(alg, data).as_ref().to_vec()
    }

    fn hmac(&self, key: &[u8], data: &[u8]) -> Vec<u8> {
        let alg = match self.0 {
            HashAlgorithm::Sha256 => ring::hmac::HMAC_SHA256,
            HashAlgorithm::Sha384 => ring::hmac::HMAC_SHA384,
        };
        ring::hmac::sign(&ring::hmac::Key::new(alg, key), data)
            .as_ref()
            .to_vec()
    }

    /// RFC 5869 §2.2: PRK = HMAC-Hash(salt, IKM).
    fn extract(&self, salt: &[u8], ikm: &[u8]) -> Vec<u8> {
        self.hmac(salt, ikm)
    }

    fn expand_label(&self, secret: &[u8], label: &str, context: &[u8], len: usize) -> Vec<u8> {
        let full_label = format!("tls13 {label}");
        let mut info = (len as u16).to_be_bytes().to_vec();
        info.push(full_label.len() as u8);
        info.extend_from_slice(full_label.as_bytes());
        info.push(context.len() as u8);
        info.extend_from_slice(context);
        let alg = match self.0 {
            HashAlgorithm::Sha256 => ring::hkdf::HKDF_SHA256,
            HashAlgorithm::Sha384 => ring::hkdf::HKDF_SHA384,
        };
        let prk = ring::hkdf::Prk::new_less_safe(alg, secret);
        let mut out = vec![0u8; len];
        prk.expand(&[&info], OkmLen(len))
            .unwrap()
            .fill(&mut out)
            .unwrap();
        out
    }

    fn derive_secret(&self, secret: &[u8], label: &str, transcript_hash: &[u8]) -> Vec<u8> {
        self.expand_label(secret, label, transcript_hash, self.len())
    }

    fn finished(&self, base_key: &[u8], transcript_hash: &[u8]) -> Vec<u8> {
        let finished_key = self.expand_label(base_key, "finished", b"", self.len());
        self.hmac(&finished_key, transcript_hash)
    }

    fn export(&self, secret: &[u8], label: &str, context: &[u8], len: usize) -> Vec<u8> {
        let per_label = self.derive_secret(secret, label, &self.hash(b""));
        self.expand_label(&per_label, "exporter", &self.hash(context), len)
    }
}

/// Compares one value and counts it.
fn same(count: &mut usize, what: &str, ours: &[u8], reference: &[u8]) {
    assert_eq!(hex::encode(ours), hex::encode(reference), "{what}");
    *count += 1;
}

/// Runs a whole schedule (PSK, 0-RTT, (EC)DHE, key updates, ticket, exporters) under `hash`
/// and checks every secret and key against [`Reference`]. Returns the number of values.
fn cross_check_with_ring(hash: HashAlgorithm, aead: AeadAlgorithm) -> usize {
    let provider = RustCryptoProvider;
    let r = Reference(hash);
    let n = hash.output_len();
    let mut count = 0;

    // Inputs: a PSK, a shared secret, and a transcript of made-up messages.
    let psk_bytes: Vec<u8> = (0..n as u8).map(|i| i.wrapping_mul(7) ^ 0x5a).collect();
    let psk = Secret::new(&psk_bytes);
    let shared_bytes: Vec<u8> = (0..32u8).map(|i| i.wrapping_mul(13) ^ 0xc3).collect();
    let shared = Secret::new(&shared_bytes);
    let messages: [&[u8]; 4] = [
        &[1, 0, 0, 3, 0xc1, 0xc2, 0xc3],
        &[2, 0, 0, 2, 0x51, 0x52],
        &[20, 0, 0, 1, 0xf5],
        &[20, 0, 0, 1, 0xfc],
    ];
    let mut transcript = Transcript::new(&provider, hash);
    let mut hashes = Vec::new();
    let mut so_far = Vec::new();
    for message in messages {
        transcript.add(message);
        so_far.extend_from_slice(message);
        same(
            &mut count,
            "transcript hash",
            transcript.current().as_bytes(),
            &r.hash(&so_far),
        );
        hashes.push(transcript.current());
    }
    let [ch, sh, sf, cf] = [hashes[0], hashes[1], hashes[2], hashes[3]];
    let empty = r.hash(b"");

    // The reference schedule, down the left side of Figure 5.
    let early = r.extract(&vec![0; n], &psk_bytes);
    let derived_hs = r.derive_secret(&early, "derived", &empty);
    let handshake = r.extract(&derived_hs, &shared_bytes);
    let derived_main = r.derive_secret(&handshake, "derived", &empty);
    let main = r.extract(&derived_main, &vec![0; n]);
    let c_ap0 = r.derive_secret(&main, "c ap traffic", sf.as_bytes());
    let s_ap0 = r.derive_secret(&main, "s ap traffic", sf.as_bytes());
    let resumption = r.derive_secret(&main, "res master", cf.as_bytes());
    let ds = |secret: &[u8], label: &str, hash: &[u8]| r.derive_secret(secret, label, hash);
    let (ch_, sh_, sf_) = (ch.as_bytes(), sh.as_bytes(), sf.as_bytes());
    let expected: Vec<(SecretLabel, Vec<u8>)> = vec![
        (SecretLabel::EarlySecret, early.clone()),
        (
            SecretLabel::ExternalBinderKey,
            ds(&early, "ext binder", &empty),
        ),
        (
            SecretLabel::ResumptionBinderKey,
            ds(&early, "res binder", &empty),
        ),
        (
            SecretLabel::ClientEarlyTraffic,
            ds(&early, "c e traffic", ch_),
        ),
        (SecretLabel::EarlyExporter, ds(&early, "e exp master", ch_)),
        (SecretLabel::DerivedForHandshake, derived_hs),
        (SecretLabel::HandshakeSecret, handshake.clone()),
        (
            SecretLabel::ClientHandshakeTraffic,
            ds(&handshake, "c hs traffic", sh_),
        ),
        (
            SecretLabel::ServerHandshakeTraffic,
            ds(&handshake, "s hs traffic", sh_),
        ),
        (SecretLabel::DerivedForMain, derived_main),
        (SecretLabel::MainSecret, main.clone()),
        (SecretLabel::ClientApplicationTraffic(0), c_ap0.clone()),
        (SecretLabel::ServerApplicationTraffic(0), s_ap0.clone()),
        (SecretLabel::Exporter, ds(&main, "exp master", sf_)),
        (SecretLabel::Resumption, resumption.clone()),
        (
            SecretLabel::ResumptionPsk,
            r.expand_label(&resumption, "resumption", &[0, 7], n),
        ),
        (
            SecretLabel::ClientApplicationTraffic(1),
            ds(&c_ap0, "traffic upd", b""),
        ),
        (
            SecretLabel::ServerApplicationTraffic(1),
            ds(&s_ap0, "traffic upd", b""),
        ),
    ];

    // The library's schedule, reporting every secret into `log`.
    let mut log = SecretLog::default();
    let mut observe = log.observer();
    let es = EarlySecret::new(&provider, hash, Some(&psk), &mut observe);
    let ext_binder = es
        .binder_key(&provider, PskKind::External, &mut observe)
        .unwrap();
    let res_binder = es
        .binder_key(&provider, PskKind::Resumption, &mut observe)
        .unwrap();
    let c_e = es
        .client_early_traffic_secret(&provider, &ch, &mut observe)
        .unwrap();
    let e_exp = es
        .early_exporter_secret(&provider, &ch, &mut observe)
        .unwrap();
    let hs = es
        .into_handshake(&provider, Some(&shared), &mut observe)
        .unwrap();
    let hs_secrets = hs.traffic_secrets(&provider, &sh, &mut observe).unwrap();
    let ms = hs.into_main(&provider, &mut observe).unwrap();
    let app = ms
        .application_secrets(&provider, &sf, &mut observe)
        .unwrap();
    let res = ms
        .into_resumption_secret(&provider, &cf, &mut observe)
        .unwrap();
    res.ticket_psk(&provider, &[0, 7], &mut observe).unwrap();
    let c_ap1 = app
        .client
        .clone()
        .next_generation(&provider, &mut observe)
        .unwrap();
    let s_ap1 = app
        .server
        .clone()
        .next_generation(&provider, &mut observe)
        .unwrap();
    drop(observe);

    // Every secret, in RFC order, under its label.
    let reported: Vec<SecretLabel> = log.entries.iter().map(|(label, _)| *label).collect();
    let wanted: Vec<SecretLabel> = expected.iter().map(|(label, _)| *label).collect();
    assert_eq!(reported, wanted);
    for ((label, ours), (_, reference)) in log.entries.iter().zip(&expected) {
        same(&mut count, label.rfc_name(), ours.as_bytes(), reference);
    }
    assert_eq!(c_ap1.generation(), 1);
    assert_eq!(
        c_ap1.traffic().label(),
        SecretLabel::ClientApplicationTraffic(1)
    );

    // A third generation, and the traffic key and IV of every traffic secret.
    let c_ap2 = c_ap1
        .clone()
        .next_generation(&provider, &mut |_, _| {})
        .unwrap();
    let c_ap2_reference = r.derive_secret(&expected[16].1, "traffic upd", b"");
    same(
        &mut count,
        "c ap traffic 2",
        c_ap2.traffic().secret().as_bytes(),
        &c_ap2_reference,
    );
    let traffic: [&TrafficSecret; 8] = [
        &c_e,
        &hs_secrets.client,
        &hs_secrets.server,
        app.client.traffic(),
        app.server.traffic(),
        c_ap1.traffic(),
        s_ap1.traffic(),
        c_ap2.traffic(),
    ];
    for secret in traffic {
        let keys = secret.traffic_keys(&provider, aead).unwrap();
        let base = secret.secret().as_bytes();
        let key = r.expand_label(base, "key", b"", aead.key_len());
        same(&mut count, "write key", keys.key.as_bytes(), &key);
        same(
            &mut count,
            "write iv",
            &keys.iv,
            &r.expand_label(base, "iv", b"", 12),
        );
    }

    // Finished (both handshake secrets, and an application secret for post-handshake
    // authentication) and both kinds of binder.
    for (secret, hash_in) in [
        (&hs_secrets.server, &sh),
        (&hs_secrets.client, &sf),
        (app.client.traffic(), &cf),
    ] {
        let ours = secret.finished_verify_data(&provider, hash_in).unwrap();
        let reference = r.finished(secret.secret().as_bytes(), hash_in.as_bytes());
        same(&mut count, "verify_data", ours.as_bytes(), &reference);
        assert!(
            secret
                .verify_finished(&provider, hash_in, &reference)
                .is_ok()
        );
        assert!(
            secret
                .verify_finished(&provider, hash_in, &reference[..n - 1])
                .is_err()
        );
    }
    for binder_key in [&ext_binder, &res_binder] {
        let ours = binder_key.binder(&provider, &ch).unwrap();
        let reference = r.finished(binder_key.secret().as_bytes(), ch.as_bytes());
        same(&mut count, "binder", ours.as_bytes(), &reference);
    }
    assert_ne!(
        ext_binder.secret().as_bytes(),
        res_binder.secret().as_bytes()
    );

    // Exporters: both secrets, with and without context, short and long outputs.
    for exporter in [&app.exporter, &e_exp] {
        for (label, context, len) in [
            ("EXPORTER-test", &b""[..], 32),
            ("EXPORTER-test", &b"context"[..], 32),
            ("EXPORTER-other", &b"context"[..], 100),
        ] {
            let mut ours = vec![0u8; len];
            exporter
                .export(&provider, label.as_bytes(), context, &mut ours)
                .unwrap();
            let reference = r.export(exporter.secret().as_bytes(), label, context, len);
            same(&mut count, "exporter output", &ours, &reference);
        }
    }
    count
}

#[test]
fn sha384_schedule_matches_ring() {
    let count = cross_check_with_ring(HashAlgorithm::Sha384, AeadAlgorithm::Aes256Gcm);
    println!("TLS_AES_256_GCM_SHA384 schedule: {count} values equal to ring's");
}

#[test]
fn sha256_schedule_matches_ring() {
    let count = cross_check_with_ring(HashAlgorithm::Sha256, AeadAlgorithm::ChaCha20Poly1305);
    println!("TLS_CHACHA20_POLY1305_SHA256 schedule: {count} values equal to ring's");
}

#[test]
fn sha384_hello_retry_transcript_matches_ring() {
    // message_hash || 00 00 30 || SHA-384(ClientHello1) || HelloRetryRequest
    let provider = RustCryptoProvider;
    let r = Reference(HashAlgorithm::Sha384);
    let (ch1, hrr): (&[u8], &[u8]) = (&[1, 0, 0, 1, 0x11], &[2, 0, 0, 1, 0x22]);
    let mut pending = PendingTranscript::new();
    pending.add(ch1);
    let mut transcript = pending
        .into_transcript_after_hello_retry(&provider, HashAlgorithm::Sha384)
        .unwrap();
    transcript.add(hrr);
    let mut expected_input = vec![254, 0, 0, 48];
    expected_input.extend_from_slice(&r.hash(ch1));
    expected_input.extend_from_slice(hrr);
    assert_eq!(
        transcript.current().as_bytes(),
        r.hash(&expected_input).as_slice()
    );
}
