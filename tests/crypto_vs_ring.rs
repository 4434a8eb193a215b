//! Cross-checks the default provider, `RustCryptoProvider`, against `ring` on the same
//! inputs: two independent implementations must agree byte for byte (hash, HMAC, HKDF,
//! AEAD), interoperate (key exchange, signatures made by one and checked by the other), and
//! both refuse tampered input.

use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::crypto::{
    AEAD_NONCE_LEN, AEAD_TAG_LEN, Aead, AeadAlgorithm, CryptoError, CryptoProvider, HashAlgorithm,
    Rng,
};
use lucid_tls::wire::algorithms::NamedGroup;

/// Deterministic, varied test input: `len` bytes that depend on `seed`.
fn bytes(seed: u8, len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

/// The input lengths the symmetric cross-checks run over: empty, shorter than a block,
/// around block and key-size boundaries, and longer than several blocks.
const LENGTHS: [usize; 9] = [0, 1, 15, 16, 17, 32, 64, 65, 300];

fn ring_hmac_alg(alg: HashAlgorithm) -> ring::hmac::Algorithm {
    match alg {
        HashAlgorithm::Sha256 => ring::hmac::HMAC_SHA256,
        HashAlgorithm::Sha384 => ring::hmac::HMAC_SHA384,
    }
}

fn ring_hkdf_alg(alg: HashAlgorithm) -> ring::hkdf::Algorithm {
    match alg {
        HashAlgorithm::Sha256 => ring::hkdf::HKDF_SHA256,
        HashAlgorithm::Sha384 => ring::hkdf::HKDF_SHA384,
    }
}

/// ring needs its output length as a `KeyType`.
struct OkmLen(usize);

impl ring::hkdf::KeyType for OkmLen {
    fn len(&self) -> usize {
        self.0
    }
}

const HASHES: [HashAlgorithm; 2] = [HashAlgorithm::Sha256, HashAlgorithm::Sha384];

// ---------------------------------------------------------------------------------------
// Hash, HMAC, HKDF
// ---------------------------------------------------------------------------------------

#[test]
fn hash_matches_ring_at_every_prefix() {
    let p = RustCryptoProvider;
    for alg in HASHES {
        let ring_alg = match alg {
            HashAlgorithm::Sha256 => &ring::digest::SHA256,
            HashAlgorithm::Sha384 => &ring::digest::SHA384,
        };
        let data = bytes(1, LENGTHS.iter().sum());
        let mut ours = p.hash(alg);
        let mut fed = 0;
        for len in LENGTHS {
            let end = fed + len;
            ours.update(&data[fed..end]);
            fed = end;
            let expected = ring::digest::digest(ring_alg, &data[..fed]);
            assert_eq!(
                ours.current().as_bytes(),
                expected.as_ref(),
                "{alg:?} at {fed}"
            );
            assert_eq!(ours.fork().current(), ours.current());
        }
    }
}

#[test]
fn hmac_matches_ring() {
    let p = RustCryptoProvider;
    for alg in HASHES {
        // Key lengths below, at and above the block size (64 for SHA-256, 128 for SHA-384).
        for key_len in [0, 32, 48, 64, 128, 200] {
            for len in LENGTHS {
                let key = bytes(2, key_len);
                let data = bytes(3, len);
                let (a, b) = data.split_at(len / 3);
                let ours = p.hmac(alg, &key, &[a, b]);
                let theirs =
                    ring::hmac::sign(&ring::hmac::Key::new(ring_hmac_alg(alg), &key), &data);
                assert_eq!(
                    ours.as_bytes(),
                    theirs.as_ref(),
                    "{alg:?} key {key_len} data {len}"
                );
            }
        }
    }
}

#[test]
fn hkdf_extract_matches_ring() {
    // ring keeps its PRK opaque, but HKDF-Extract(salt, IKM) is HMAC(salt, IKM) (RFC 5869
    // §2.2), which ring does expose; and ring's expansion of our PRK must match ours.
    let p = RustCryptoProvider;
    for alg in HASHES {
        for (salt_len, ikm_len) in [(0, 0), (0, 32), (32, 32), (48, 48), (13, 22), (100, 80)] {
            let salt = bytes(4, salt_len);
            let ikm = bytes(5, ikm_len);
            let ours = p.hkdf_extract(alg, &salt, &ikm);
            let theirs = ring::hmac::sign(&ring::hmac::Key::new(ring_hmac_alg(alg), &salt), &ikm);
            assert_eq!(ours.as_bytes(), theirs.as_ref());
        }
    }
}

#[test]
fn hkdf_expand_matches_ring() {
    let p = RustCryptoProvider;
    for alg in HASHES {
        let prk = bytes(6, alg.output_len());
        let ring_prk = ring::hkdf::Prk::new_less_safe(ring_hkdf_alg(alg), &prk);
        for out_len in [1, 12, 16, 32, 33, 48, 100, 255 * alg.output_len()] {
            for info_len in [0, 10, 70] {
                let info = bytes(7, info_len);
                let (a, b) = info.split_at(info_len / 2);
                let mut ours = vec![0u8; out_len];
                p.hkdf_expand(alg, &prk, &[a, &[], b], &mut ours).unwrap();
                let mut theirs = vec![0u8; out_len];
                ring_prk
                    .expand(&[&info], OkmLen(out_len))
                    .unwrap()
                    .fill(&mut theirs)
                    .unwrap();
                assert_eq!(ours, theirs, "{alg:?} L={out_len} info {info_len}");
            }
        }
        let mut too_long = vec![0u8; 255 * alg.output_len() + 1];
        assert_eq!(
            p.hkdf_expand(alg, &prk, &[], &mut too_long),
            Err(CryptoError::BadLength)
        );
    }
}

#[test]
fn hkdf_rfc5869_test_cases_1_and_3() {
    // RFC 5869 Appendix A.1 (salt and info) and A.3 (zero-length salt and info), SHA-256.
    let p = RustCryptoProvider;
    let ikm = [0x0b; 22];
    let cases: [(&str, &str, &str, &str); 2] = [
        (
            "000102030405060708090a0b0c",
            "f0f1f2f3f4f5f6f7f8f9",
            "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
        ),
        (
            "",
            "",
            "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8",
        ),
    ];
    for (salt, info, prk, okm) in cases {
        let got_prk = p.hkdf_extract(HashAlgorithm::Sha256, &hex::decode(salt).unwrap(), &ikm);
        assert_eq!(hex::encode(got_prk.as_bytes()), prk);
        let mut got_okm = [0u8; 42];
        p.hkdf_expand(
            HashAlgorithm::Sha256,
            got_prk.as_bytes(),
            &[&hex::decode(info).unwrap()],
            &mut got_okm,
        )
        .unwrap();
        assert_eq!(hex::encode(got_okm), okm);
    }
}

// ---------------------------------------------------------------------------------------
// AEAD
// ---------------------------------------------------------------------------------------

const AEADS: [AeadAlgorithm; 3] = [
    AeadAlgorithm::Aes128Gcm,
    AeadAlgorithm::Aes256Gcm,
    AeadAlgorithm::ChaCha20Poly1305,
];

fn ring_aead(alg: AeadAlgorithm, key: &[u8]) -> ring::aead::LessSafeKey {
    let ring_alg = match alg {
        AeadAlgorithm::Aes128Gcm => &ring::aead::AES_128_GCM,
        AeadAlgorithm::Aes256Gcm => &ring::aead::AES_256_GCM,
        AeadAlgorithm::ChaCha20Poly1305 => &ring::aead::CHACHA20_POLY1305,
    };
    ring::aead::LessSafeKey::new(ring::aead::UnboundKey::new(ring_alg, key).unwrap())
}

fn ring_nonce(nonce: [u8; AEAD_NONCE_LEN]) -> ring::aead::Nonce {
    ring::aead::Nonce::assume_unique_for_key(nonce)
}

/// One AEAD cross-check: the same key in both implementations, and one record's inputs.
struct AeadCase {
    alg: AeadAlgorithm,
    ours: Box<dyn Aead>,
    theirs: ring::aead::LessSafeKey,
    nonce: [u8; AEAD_NONCE_LEN],
    aad: Vec<u8>,
    plaintext: Vec<u8>,
}

/// Every AEAD × every length in [`LENGTHS`], with inputs derived from `seed`.
fn aead_cases(seed: u8) -> Vec<AeadCase> {
    let mut cases = Vec::new();
    for alg in AEADS {
        for len in LENGTHS {
            let key = bytes(seed, alg.key_len());
            cases.push(AeadCase {
                alg,
                ours: RustCryptoProvider.aead(alg, &key).unwrap(),
                theirs: ring_aead(alg, &key),
                nonce: bytes(seed ^ len as u8, AEAD_NONCE_LEN).try_into().unwrap(),
                aad: bytes(seed.wrapping_add(1), 5),
                plaintext: bytes(seed.wrapping_add(2), len),
            });
        }
    }
    cases
}

#[test]
fn aead_we_seal_ring_opens() {
    for c in aead_cases(8) {
        let mut record = c.plaintext.clone();
        let tag = c.ours.seal_in_place(&c.nonce, &c.aad, &mut record).unwrap();
        record.extend_from_slice(&tag);
        let opened = c
            .theirs
            .open_in_place(
                ring_nonce(c.nonce),
                ring::aead::Aad::from(&c.aad),
                &mut record,
            )
            .unwrap();
        assert_eq!(
            opened,
            &c.plaintext[..],
            "{:?} {}",
            c.alg,
            c.plaintext.len()
        );
    }
}

#[test]
fn aead_ring_seals_we_open() {
    for c in aead_cases(11) {
        let (ours, nonce, aad) = (&c.ours, c.nonce, &c.aad);
        let mut record = c.plaintext.clone();
        let ring_tag = c
            .theirs
            .seal_in_place_separate_tag(ring_nonce(nonce), ring::aead::Aad::from(aad), &mut record)
            .unwrap();
        let tag: [u8; AEAD_TAG_LEN] = ring_tag.as_ref().try_into().unwrap();

        // Any flipped bit, in ciphertext, tag, AAD or nonce, is refused.
        if let Some(last) = record.len().checked_sub(1) {
            let mut tampered = record.clone();
            tampered[last] ^= 0x80;
            let got = ours.open_in_place(&nonce, aad, &mut tampered, &tag);
            assert_eq!(got, Err(CryptoError::AeadTagMismatch));
        }
        let mut bad_tag = tag;
        bad_tag[0] ^= 1;
        let got = ours.open_in_place(&nonce, aad, &mut record.clone(), &bad_tag);
        assert_eq!(got, Err(CryptoError::AeadTagMismatch));
        let mut bad_aad = aad.clone();
        bad_aad[4] ^= 1;
        let got = ours.open_in_place(&nonce, &bad_aad, &mut record.clone(), &tag);
        assert_eq!(got, Err(CryptoError::AeadTagMismatch));
        let mut bad_nonce = nonce;
        bad_nonce[11] ^= 1;
        let got = ours.open_in_place(&bad_nonce, aad, &mut record.clone(), &tag);
        assert_eq!(got, Err(CryptoError::AeadTagMismatch));

        ours.open_in_place(&nonce, aad, &mut record, &tag).unwrap();
        assert_eq!(record, c.plaintext, "{:?} {}", c.alg, c.plaintext.len());
    }
}

#[test]
fn aead_refuses_wrong_key_length() {
    let p = RustCryptoProvider;
    for alg in AEADS {
        for len in [0, 15, 17, 24, 31, 33] {
            if len != alg.key_len() {
                assert_eq!(
                    p.aead(alg, &vec![1; len]).err(),
                    Some(CryptoError::InvalidKey)
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Key exchange
// ---------------------------------------------------------------------------------------

/// A seeded ChaCha20 stream as the caller's RNG: reproducible, and good enough for keys.
struct TestRng(rand_chacha::ChaCha20Rng);

impl TestRng {
    fn new(seed: u8) -> Self {
        use rand_chacha::rand_core::SeedableRng;
        Self(rand_chacha::ChaCha20Rng::from_seed([seed; 32]))
    }
}

impl Rng for TestRng {
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), CryptoError> {
        use rand_chacha::rand_core::Rng as _;
        self.0.fill_bytes(dest);
        Ok(())
    }
}

fn ring_agreement(group: NamedGroup) -> &'static ring::agreement::Algorithm {
    match group {
        NamedGroup::X25519 => &ring::agreement::X25519,
        NamedGroup::Secp256r1 => &ring::agreement::ECDH_P256,
        _ => unreachable!("not a group of this provider"),
    }
}

#[test]
fn key_exchange_agrees_with_ring() {
    let p = RustCryptoProvider;
    assert_eq!(p.groups(), [NamedGroup::X25519, NamedGroup::Secp256r1]);
    let ring_rng = ring::rand::SystemRandom::new();
    for group in p.groups().iter().copied() {
        for seed in 0..8 {
            let ours = p
                .start_key_exchange(group, &mut TestRng::new(seed))
                .unwrap();
            assert_eq!(ours.group(), group);
            let theirs =
                ring::agreement::EphemeralPrivateKey::generate(ring_agreement(group), &ring_rng)
                    .unwrap();
            let their_public = theirs.compute_public_key().unwrap();
            let our_public = ring::agreement::UnparsedPublicKey::new(
                ring_agreement(group),
                ours.public_key().to_vec(),
            );
            // ring parses our key share and computes the same secret we do from its share.
            let ring_secret =
                ring::agreement::agree_ephemeral(theirs, &our_public, |s| s.to_vec()).unwrap();
            let our_secret = ours.complete(their_public.as_ref()).unwrap();
            assert_eq!(our_secret.as_bytes(), ring_secret, "{group:?} seed {seed}");
        }
    }
}

#[test]
fn key_exchange_refuses_what_ring_refuses() {
    // Peer keys that are not points of the group: both implementations must refuse them.
    let p = RustCryptoProvider;
    let ring_rng = ring::rand::SystemRandom::new();
    let mut not_on_curve = vec![0x04];
    not_on_curve.extend_from_slice(&[0x01; 64]);
    let cases: [(NamedGroup, Vec<u8>); 5] = [
        (NamedGroup::X25519, vec![0; 32]),
        (NamedGroup::X25519, vec![9; 31]),
        (NamedGroup::Secp256r1, not_on_curve),
        (NamedGroup::Secp256r1, vec![0x00]),
        (NamedGroup::Secp256r1, vec![0x04; 33]),
    ];
    for (group, bad) in cases {
        let ours = p.start_key_exchange(group, &mut TestRng::new(1)).unwrap();
        assert_eq!(
            ours.complete(&bad).err(),
            Some(CryptoError::InvalidPeerKey),
            "{group:?} {bad:02x?}"
        );
        let theirs =
            ring::agreement::EphemeralPrivateKey::generate(ring_agreement(group), &ring_rng)
                .unwrap();
        let bad_key = ring::agreement::UnparsedPublicKey::new(ring_agreement(group), &bad);
        assert!(ring::agreement::agree_ephemeral(theirs, &bad_key, |_| ()).is_err());
    }
}
