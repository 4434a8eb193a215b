//! Cross-checks the default provider, `RustCryptoProvider`, against `ring` on the same
//! inputs: two independent implementations must agree byte for byte (hash, HMAC, HKDF,
//! AEAD), interoperate (key exchange, signatures made by one and checked by the other), and
//! both refuse tampered input.

use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::crypto::{
    AEAD_NONCE_LEN, AEAD_TAG_LEN, Aead, AeadAlgorithm, CryptoError, CryptoProvider, HashAlgorithm,
    Rng,
};
use lucid_tls::wire::algorithms::{NamedGroup, SignatureScheme};
use ring::signature::KeyPair;

mod common;
use common::vectors;

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
    assert_eq!(
        p.groups(),
        [
            NamedGroup::X25519MlKem768,
            NamedGroup::X25519,
            NamedGroup::SecP256r1MlKem768,
            NamedGroup::Secp256r1
        ]
    );
    let ring_rng = ring::rand::SystemRandom::new();
    // ring has no ML-KEM: the hybrids are checked against FIPS 203's vectors instead
    // (tests/mlkem_kat.rs).
    for group in p.groups().iter().copied().filter(|g| !g.is_hybrid()) {
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

// ---------------------------------------------------------------------------------------
// Signatures: ring signs, we verify; we sign, ring verifies
// ---------------------------------------------------------------------------------------

/// The CertificateVerify content shape (RFC 9846 §4.5.2) over a stand-in transcript hash:
/// what TLS actually signs.
fn certificate_verify_content(transcript_hash: &[u8]) -> Vec<u8> {
    let mut content = vec![0x20; 64];
    content.extend_from_slice(b"TLS 1.3, server CertificateVerify");
    content.push(0x00);
    content.extend_from_slice(transcript_hash);
    content
}

/// Asserts that `signature` verifies over `message` and fails once message or signature
/// is altered.
fn assert_verifies(scheme: SignatureScheme, public_key: &[u8], message: &[u8], signature: &[u8]) {
    let p = RustCryptoProvider;
    assert_eq!(
        p.verify_signature(scheme, public_key, message, signature),
        Ok(()),
        "{scheme:?}"
    );
    let mut other_message = message.to_vec();
    other_message[70] ^= 1;
    assert_eq!(
        p.verify_signature(scheme, public_key, &other_message, signature),
        Err(CryptoError::BadSignature),
        "{scheme:?} altered message"
    );
    let mut other_signature = signature.to_vec();
    let last = other_signature.len() - 1;
    other_signature[last] ^= 1;
    assert_eq!(
        p.verify_signature(scheme, public_key, message, &other_signature),
        Err(CryptoError::BadSignature),
        "{scheme:?} altered signature"
    );
}

/// A fresh ring ECDSA key: its PKCS#8 DER and the key pair (for signing and its public key).
fn ring_ecdsa_key(
    alg: &'static ring::signature::EcdsaSigningAlgorithm,
) -> (Vec<u8>, ring::signature::EcdsaKeyPair) {
    let ring_rng = ring::rand::SystemRandom::new();
    let pkcs8 = ring::signature::EcdsaKeyPair::generate_pkcs8(alg, &ring_rng).unwrap();
    let pair = ring::signature::EcdsaKeyPair::from_pkcs8(alg, pkcs8.as_ref(), &ring_rng).unwrap();
    (pkcs8.as_ref().to_vec(), pair)
}

/// A fresh ring Ed25519 key: its PKCS#8 DER and the key pair.
fn ring_ed25519_key() -> (Vec<u8>, ring::signature::Ed25519KeyPair) {
    let pkcs8 =
        ring::signature::Ed25519KeyPair::generate_pkcs8(&ring::rand::SystemRandom::new()).unwrap();
    let pair = ring::signature::Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap();
    (pkcs8.as_ref().to_vec(), pair)
}

#[test]
fn ecdsa_ring_signs_we_verify() {
    let ring_rng = ring::rand::SystemRandom::new();
    let p256 = (
        SignatureScheme::EcdsaSecp256r1Sha256,
        &ring::signature::ECDSA_P256_SHA256_ASN1_SIGNING,
    );
    let p384 = (
        SignatureScheme::EcdsaSecp384r1Sha384,
        &ring::signature::ECDSA_P384_SHA384_ASN1_SIGNING,
    );
    for (scheme, ring_alg) in [p256, p384] {
        for i in 0..8u8 {
            let (_, pair) = ring_ecdsa_key(ring_alg);
            let message = certificate_verify_content(&bytes(i, 32));
            let signature = pair.sign(&ring_rng, &message).unwrap();
            let public = pair.public_key().as_ref();
            assert_verifies(scheme, public, &message, signature.as_ref());
        }
    }
    // A P-256 key is not a P-384 key.
    let (_, pair) = ring_ecdsa_key(p256.1);
    let signature = pair.sign(&ring_rng, b"message").unwrap();
    let public = pair.public_key().as_ref();
    assert_eq!(
        RustCryptoProvider.verify_signature(p384.0, public, b"message", signature.as_ref()),
        Err(CryptoError::InvalidPeerKey)
    );
}

#[test]
fn ed25519_ring_signs_we_verify() {
    for i in 0..8u8 {
        let (_, pair) = ring_ed25519_key();
        let message = certificate_verify_content(&bytes(i, 48));
        let signature = pair.sign(&message);
        let public = pair.public_key().as_ref();
        assert_verifies(
            SignatureScheme::Ed25519,
            public,
            &message,
            signature.as_ref(),
        );
    }
}

/// A 2048-bit RSA key made by the `rsa` crate from a fixed seed (ring cannot generate RSA
/// keys), as PKCS#8 DER, shared by the RSA tests.
fn rsa_test_key_pkcs8() -> &'static [u8] {
    static KEY: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    KEY.get_or_init(|| {
        use rand_chacha::rand_core::SeedableRng;
        use rsa::pkcs8::EncodePrivateKey;
        let mut rng = rand_chacha::ChaCha20Rng::from_seed([42; 32]);
        let key = rsa::PrivateKey::new(&mut rng, 2048).unwrap();
        key.to_pkcs8_der().unwrap().as_bytes().to_vec()
    })
}

fn ring_rsa_signing(scheme: SignatureScheme) -> &'static dyn ring::signature::RsaEncoding {
    use SignatureScheme as S;
    match scheme {
        S::RsaPssRsaeSha256 | S::RsaPssPssSha256 => &ring::signature::RSA_PSS_SHA256,
        S::RsaPssRsaeSha384 | S::RsaPssPssSha384 => &ring::signature::RSA_PSS_SHA384,
        S::RsaPssRsaeSha512 | S::RsaPssPssSha512 => &ring::signature::RSA_PSS_SHA512,
        S::RsaPkcs1Sha256 => &ring::signature::RSA_PKCS1_SHA256,
        S::RsaPkcs1Sha384 => &ring::signature::RSA_PKCS1_SHA384,
        S::RsaPkcs1Sha512 => &ring::signature::RSA_PKCS1_SHA512,
        _ => unreachable!("not an RSA scheme"),
    }
}

const RSA_SCHEMES: [SignatureScheme; 9] = [
    SignatureScheme::RsaPssRsaeSha256,
    SignatureScheme::RsaPssRsaeSha384,
    SignatureScheme::RsaPssRsaeSha512,
    SignatureScheme::RsaPssPssSha256,
    SignatureScheme::RsaPssPssSha384,
    SignatureScheme::RsaPssPssSha512,
    SignatureScheme::RsaPkcs1Sha256,
    SignatureScheme::RsaPkcs1Sha384,
    SignatureScheme::RsaPkcs1Sha512,
];

#[test]
fn rsa_ring_signs_we_verify() {
    let ring_rng = ring::rand::SystemRandom::new();
    let pair = ring::signature::RsaKeyPair::from_pkcs8(rsa_test_key_pkcs8()).unwrap();
    // ring's public key encoding is the DER RSAPublicKey, as in a certificate's BIT STRING.
    let public = pair.public().as_ref();
    let message = certificate_verify_content(&bytes(14, 32));
    for scheme in RSA_SCHEMES {
        let mut signature = vec![0u8; pair.public().modulus_len()];
        pair.sign(
            ring_rsa_signing(scheme),
            &ring_rng,
            &message,
            &mut signature,
        )
        .unwrap();
        assert_verifies(scheme, public, &message, &signature);
    }
    // PSS and PKCS#1 v1.5 signatures are not interchangeable, nor are the hashes.
    let mut pss = vec![0u8; pair.public().modulus_len()];
    pair.sign(
        &ring::signature::RSA_PSS_SHA256,
        &ring_rng,
        &message,
        &mut pss,
    )
    .unwrap();
    for wrong in [
        SignatureScheme::RsaPkcs1Sha256,
        SignatureScheme::RsaPssRsaeSha384,
    ] {
        assert_eq!(
            RustCryptoProvider.verify_signature(wrong, public, &message, &pss),
            Err(CryptoError::BadSignature)
        );
    }
}

/// Verifies with ring one of our signatures.
fn ring_verifies(scheme: SignatureScheme, public_key: &[u8], message: &[u8], signature: &[u8]) {
    use ring::signature as rs;
    let alg: &dyn rs::VerificationAlgorithm = match scheme {
        SignatureScheme::EcdsaSecp256r1Sha256 => &rs::ECDSA_P256_SHA256_ASN1,
        SignatureScheme::EcdsaSecp384r1Sha384 => &rs::ECDSA_P384_SHA384_ASN1,
        SignatureScheme::Ed25519 => &rs::ED25519,
        // ring has no notion of the key's OID: the two RSA-PSS families verify alike.
        SignatureScheme::RsaPssRsaeSha256 | SignatureScheme::RsaPssPssSha256 => {
            &rs::RSA_PSS_2048_8192_SHA256
        }
        SignatureScheme::RsaPssRsaeSha384 | SignatureScheme::RsaPssPssSha384 => {
            &rs::RSA_PSS_2048_8192_SHA384
        }
        SignatureScheme::RsaPssRsaeSha512 | SignatureScheme::RsaPssPssSha512 => {
            &rs::RSA_PSS_2048_8192_SHA512
        }
        _ => unreachable!("not a scheme we sign with"),
    };
    rs::UnparsedPublicKey::new(alg, public_key)
        .verify(message, signature)
        .unwrap_or_else(|_| panic!("ring refused our {scheme:?} signature"));
}

#[test]
fn we_sign_ring_verifies() {
    let p = RustCryptoProvider;
    let message = certificate_verify_content(&bytes(15, 48));

    let (p256, p256_pair) = ring_ecdsa_key(&ring::signature::ECDSA_P256_SHA256_ASN1_SIGNING);
    let (p384, p384_pair) = ring_ecdsa_key(&ring::signature::ECDSA_P384_SHA384_ASN1_SIGNING);
    let (ed25519, ed25519_pair) = ring_ed25519_key();
    let rsa = rsa_test_key_pkcs8();
    let rsa_pair = ring::signature::RsaKeyPair::from_pkcs8(rsa).unwrap();
    let pss_server = certificate_public_key(RSA_PSS_SERVER_CERT);
    let pss_client = certificate_public_key(RSA_PSS_CLIENT_CERT);

    let keys: [(&[u8], &[u8], &[SignatureScheme]); 6] = [
        (
            &p256,
            p256_pair.public_key().as_ref(),
            &[SignatureScheme::EcdsaSecp256r1Sha256],
        ),
        (
            &p384,
            p384_pair.public_key().as_ref(),
            &[SignatureScheme::EcdsaSecp384r1Sha384],
        ),
        // id-RSASSA-PSS keys (tools/make_rsa_pss_pki.sh): rsa_pss_pss_* only, all three
        // without parameters, SHA-256 alone when the parameters say so.
        (
            RSA_PSS_SERVER_KEY,
            &pss_server,
            &[
                SignatureScheme::RsaPssPssSha256,
                SignatureScheme::RsaPssPssSha384,
                SignatureScheme::RsaPssPssSha512,
            ],
        ),
        (
            RSA_PSS_CLIENT_KEY,
            &pss_client,
            &[SignatureScheme::RsaPssPssSha256],
        ),
        (
            &ed25519,
            ed25519_pair.public_key().as_ref(),
            &[SignatureScheme::Ed25519],
        ),
        (
            rsa,
            rsa_pair.public().as_ref(),
            &[
                SignatureScheme::RsaPssRsaeSha256,
                SignatureScheme::RsaPssRsaeSha384,
                SignatureScheme::RsaPssRsaeSha512,
            ],
        ),
    ];
    for (pkcs8, public, schemes) in keys {
        let key = p.load_signing_key(pkcs8).unwrap();
        assert_eq!(key.schemes(), schemes);
        for &scheme in schemes {
            let signature = key.sign(scheme, &message, &mut TestRng::new(3)).unwrap();
            ring_verifies(scheme, public, &message, &signature);
            assert_verifies(scheme, public, &message, &signature);
        }
        // A scheme the key does not offer is refused, not silently substituted; an
        // RSA-PSS-OID key refuses the rsae schemes (RFC 9846 §4.3.3).
        for refused in [
            SignatureScheme::RsaPkcs1Sha256,
            SignatureScheme::RsaPssRsaeSha256,
        ] {
            if !schemes.contains(&refused) {
                let signed = key.sign(refused, &message, &mut TestRng::new(3));
                assert_eq!(signed.err(), Some(CryptoError::Unsupported), "{refused:?}");
            }
        }
    }
}

/// The RSA-PSS fixtures of tools/make_rsa_pss_pki.sh.
const RSA_PSS_SERVER_KEY: &[u8] = include_bytes!("fixtures/rsa_pss/server.key.der");
const RSA_PSS_SERVER_CERT: &[u8] = include_bytes!("fixtures/rsa_pss/server.der");
const RSA_PSS_CLIENT_KEY: &[u8] = include_bytes!("fixtures/rsa_pss/client.key.der");
const RSA_PSS_CLIENT_CERT: &[u8] = include_bytes!("fixtures/rsa_pss/client.der");

/// The subjectPublicKey of a certificate (an RSAPublicKey for RSA-PSS keys too), read by
/// x509-parser, independently of lucid-tls.
fn certificate_public_key(der: &[u8]) -> Vec<u8> {
    use x509_parser::prelude::{FromDer, X509Certificate};
    let (_, cert) = X509Certificate::from_der(der).unwrap();
    cert.public_key().subject_public_key.data.to_vec()
}

#[test]
fn ring_signs_with_an_rsa_pss_key_we_verify() {
    // ring cannot read an id-RSASSA-PSS PKCS#8 document; give it the RSAPrivateKey inside
    // (the OCTET STRING at the end: PKCS#8 v1 without attributes).
    let info = x509_parser::der_parser::parse_der(RSA_PSS_SERVER_KEY)
        .unwrap()
        .1;
    let fields = info.as_sequence().unwrap();
    let inner = fields[2].as_slice().unwrap();
    assert!(ring::signature::RsaKeyPair::from_pkcs8(RSA_PSS_SERVER_KEY).is_err());
    let pair = ring::signature::RsaKeyPair::from_der(inner).unwrap();
    let public = certificate_public_key(RSA_PSS_SERVER_CERT);
    assert_eq!(pair.public().as_ref(), public.as_slice());
    let message = certificate_verify_content(&bytes(16, 32));
    for scheme in [
        SignatureScheme::RsaPssPssSha256,
        SignatureScheme::RsaPssPssSha384,
        SignatureScheme::RsaPssPssSha512,
    ] {
        let mut signature = vec![0u8; pair.public().modulus_len()];
        let ring_rng = ring::rand::SystemRandom::new();
        let padding = ring_rsa_signing(scheme);
        pair.sign(padding, &ring_rng, &message, &mut signature)
            .unwrap();
        assert_verifies(scheme, &public, &message, &signature);
    }
}

#[test]
fn ecdsa_and_ed25519_signing_draw_no_randomness() {
    // ECDSA uses RFC 6979 nonces and Ed25519 is deterministic: different RNGs, same bytes.
    let (p256, _) = ring_ecdsa_key(&ring::signature::ECDSA_P256_SHA256_ASN1_SIGNING);
    let (ed25519, _) = ring_ed25519_key();
    let (p384, _) = ring_ecdsa_key(&ring::signature::ECDSA_P384_SHA384_ASN1_SIGNING);
    for (pkcs8, scheme) in [
        (p256, SignatureScheme::EcdsaSecp256r1Sha256),
        (p384, SignatureScheme::EcdsaSecp384r1Sha384),
        (ed25519, SignatureScheme::Ed25519),
    ] {
        let key = RustCryptoProvider.load_signing_key(&pkcs8).unwrap();
        let a = key.sign(scheme, b"content", &mut TestRng::new(1)).unwrap();
        let b = key.sign(scheme, b"content", &mut TestRng::new(2)).unwrap();
        assert_eq!(a, b, "{scheme:?}");
    }
}

#[test]
fn rsa_loads_from_pkcs1_too() {
    use rsa::pkcs1::EncodeRsaPrivateKey;
    use rsa::pkcs8::DecodePrivateKey;
    let key = rsa::PrivateKey::from_pkcs8_der(rsa_test_key_pkcs8()).unwrap();
    let pkcs1 = key.to_pkcs1_der().unwrap();
    let ours = RustCryptoProvider
        .load_signing_key(pkcs1.as_bytes())
        .unwrap();
    let scheme = SignatureScheme::RsaPssRsaeSha256;
    let signature = ours.sign(scheme, b"content", &mut TestRng::new(4)).unwrap();
    let pair = ring::signature::RsaKeyPair::from_pkcs8(rsa_test_key_pkcs8()).unwrap();
    ring_verifies(scheme, pair.public().as_ref(), b"content", &signature);
}

#[test]
fn load_signing_key_refuses_other_keys() {
    // An Ed448 key (RFC 8410 §10.3 layout, id-Ed448 1.3.101.113) is valid PKCS#8 but not
    // a key this provider signs with.
    let mut ed448 = vec![
        0x30, 0x47, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x71, 0x04, 0x3b, 0x04,
        0x39,
    ];
    ed448.extend_from_slice(&[7; 57]);
    for der in [&ed448[..], &[], &[0x30, 0x00], &rsa_test_key_pkcs8()[..100]] {
        let refused = RustCryptoProvider.load_signing_key(der);
        assert_eq!(refused.err(), Some(CryptoError::InvalidKey));
    }
}

// ---------------------------------------------------------------------------------------
// RFC 8448: every CertificateVerify of the traces verifies; §3's is reproduced
// ---------------------------------------------------------------------------------------

/// The server's RSA key of RFC 8448 §2 (1024 bits), from its published components.
fn rfc8448_server_rsa_key() -> rsa::PrivateKey {
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

/// One handshake message of a trace: who sent it, its name, its bytes.
struct Message {
    actor: String,
    name: String,
    bytes: Vec<u8>,
}

/// The handshake messages of an RFC 8448 trace, in the order they were sent.
fn rfc8448_messages(trace: &str) -> Vec<Message> {
    let trace = vectors::load(trace);
    trace
        .blocks
        .iter()
        .filter(|b| {
            b.heading.starts_with("construct a") && b.heading.ends_with("handshake message")
        })
        .map(|b| Message {
            actor: b.actor.clone(),
            name: b.values[0].0.clone(),
            bytes: b.values[0].1.clone(),
        })
        .collect()
}

/// The `signer`'s CertificateVerify message in `trace`, and the content it signs (RFC 9846
/// §4.5.2): 64 spaces, the context string, a zero byte, and the transcript hash of every
/// handshake message before it.
fn rfc8448_certificate_verify(trace: &str, signer: &str) -> (Vec<u8>, Vec<u8>) {
    let messages = rfc8448_messages(trace);
    let at = messages
        .iter()
        .position(|m| m.actor == signer && m.name == "CertificateVerify")
        .unwrap();
    let mut transcript = RustCryptoProvider.hash(HashAlgorithm::Sha256);
    let hello_retry = messages.iter().filter(|m| m.name == "ClientHello").count() == 2;
    for (i, m) in messages[..at].iter().enumerate() {
        if hello_retry && i == 0 {
            // RFC 9846 §4.1: after a HelloRetryRequest, "the value of ClientHello1 is
            // replaced with a special synthetic handshake message of handshake type
            // "message_hash" (254) containing Hash(ClientHello1)".
            let ch1_hash = ring::digest::digest(&ring::digest::SHA256, &m.bytes);
            transcript.update(&[254, 0, 0, 32]);
            transcript.update(ch1_hash.as_ref());
        } else {
            transcript.update(&m.bytes);
        }
    }
    let mut content = vec![0x20; 64];
    content.extend_from_slice(format!("TLS 1.3, {signer} CertificateVerify").as_bytes());
    content.push(0x00);
    content.extend_from_slice(transcript.current().as_bytes());
    (messages[at].bytes.clone(), content)
}

/// The public key in the `signer`'s Certificate message of `trace`: the contents of the
/// subjectPublicKey BIT STRING following the SPKI's AlgorithmIdentifier `algorithm`. (A byte
/// search, not a certificate parser: enough for the RFC's three certificates.)
fn rfc8448_certificate_public_key(trace: &str, signer: &str, algorithm: &[u8]) -> Vec<u8> {
    let messages = rfc8448_messages(trace);
    let certificate = messages
        .iter()
        .find(|m| m.actor == signer && m.name == "Certificate")
        .unwrap();
    let at = certificate
        .bytes
        .windows(algorithm.len())
        .position(|w| w == algorithm)
        .unwrap()
        + algorithm.len();
    // BIT STRING: tag 03, a one- or two-byte DER length, then 00 (no unused bits).
    let rest = &certificate.bytes[at..];
    let (len, header) = match rest[1] {
        0x81 => (usize::from(rest[2]), 3),
        short => (usize::from(short), 2),
    };
    assert_eq!((rest[0], rest[header]), (0x03, 0x00));
    rest[header + 1..header + len].to_vec()
}

/// `SEQUENCE { rsaEncryption, NULL }` (RFC 8017 A.1).
const RSA_ENCRYPTION: [u8; 15] = [
    0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
];

/// `SEQUENCE { id-ecPublicKey, secp256r1 }` (RFC 5480 §2.1.1).
const EC_P256: [u8; 21] = [
    0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
    0xce, 0x3d, 0x03, 0x01, 0x07,
];

#[test]
fn rfc8448_every_certificate_verify_verifies() {
    use rsa::pkcs1::EncodeRsaPublicKey;
    let server_rsa = rfc8448_server_rsa_key()
        .to_public_key()
        .to_pkcs1_der()
        .unwrap();
    // The server signs with its §2 RSA key in §3, §5 (after a HelloRetryRequest) and §7, and
    // with an ECDSA P-256 certificate in §6, where the client signs with its own RSA key. §4
    // resumes with a PSK and has no CertificateVerify.
    let rsa = SignatureScheme::RsaPssRsaeSha256;
    let ecdsa = SignatureScheme::EcdsaSecp256r1Sha256;
    let cases = [
        ("simple", "server", &RSA_ENCRYPTION[..], rsa),
        ("hrr", "server", &RSA_ENCRYPTION[..], rsa),
        ("client_auth", "server", &EC_P256[..], ecdsa),
        ("client_auth", "client", &RSA_ENCRYPTION[..], rsa),
        ("compat", "server", &RSA_ENCRYPTION[..], rsa),
    ];
    for (trace, signer, algorithm, expected_scheme) in cases {
        let public_key = rfc8448_certificate_public_key(trace, signer, algorithm);
        if signer == "server" && expected_scheme == rsa {
            let server_key = server_rsa.as_bytes();
            assert_eq!(public_key, server_key, "the §2 key is in the certificate");
        }
        let (certificate_verify, content) = rfc8448_certificate_verify(trace, signer);
        // CertificateVerify: type 15, uint24 length, SignatureScheme, uint16 length, signature.
        let (header, signature) = certificate_verify.split_at(8);
        assert_eq!(header[0], 15);
        assert_eq!(
            usize::from(u16::from_be_bytes([header[6], header[7]])),
            signature.len()
        );
        let scheme = SignatureScheme::from_u16(u16::from_be_bytes([header[4], header[5]]));
        assert_eq!(scheme, expected_scheme, "{trace} {signer}");
        assert_verifies(scheme, &public_key, &content, signature);
    }
}

/// Reads the salt out of an RSASSA-PSS signature (RFC 8017 §9.1.2 steps 7–10, with SHA-256
/// and MGF1-SHA-256): anyone holding the public key can, which is why a salt is not secret.
fn pss_sha256_salt(public: &rsa::PublicKey, signature: &[u8]) -> Vec<u8> {
    use rsa::traits::PublicKeyParts;
    use sha2::Digest;
    let s = rsa::BoxedUint::from_be_slice_vartime(signature);
    let m = rsa::hazmat::rsa_encrypt(public, &s).unwrap().to_be_bytes();
    let em_bits = public.n().bit_width() as usize - 1;
    let em_len = em_bits.div_ceil(8);
    let em = &m[m.len() - em_len..];
    assert_eq!(em[em_len - 1], 0xbc, "EM must end in 0xbc");
    let (masked_db, h) = em[..em_len - 1].split_at(em_len - 1 - 32);
    let mut db: Vec<u8> = masked_db.to_vec();
    let mask = (0u32..)
        .flat_map(|counter| {
            sha2::Sha256::new()
                .chain_update(h)
                .chain_update(counter.to_be_bytes())
                .finalize()
        })
        .take(db.len());
    db.iter_mut().zip(mask).for_each(|(d, m)| *d ^= m);
    db[0] &= 0xff >> (8 * em_len - em_bits);
    let salt_start = db.iter().position(|&b| b != 0).unwrap() + 1;
    assert_eq!(db[salt_start - 1], 0x01, "DB = PS || 0x01 || salt");
    db[salt_start..].to_vec()
}

/// Returns `first`, then a ChaCha20 stream: RFC 8448's salt followed by blinding randomness.
struct ReplayThen(Vec<u8>, TestRng);

impl Rng for ReplayThen {
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), CryptoError> {
        if self.0.is_empty() {
            return self.1.fill(dest);
        }
        assert!(
            dest.len() <= self.0.len(),
            "the salt must be drawn in one piece"
        );
        let rest = self.0.split_off(dest.len());
        dest.copy_from_slice(&self.0);
        self.0 = rest;
        Ok(())
    }
}

#[test]
fn rfc8448_simple_server_certificate_verify_reproduced() {
    use rsa::pkcs1::EncodeRsaPrivateKey;
    let key = rfc8448_server_rsa_key();
    let (certificate_verify, content) = rfc8448_certificate_verify("simple", "server");
    let signature = &certificate_verify[8..];

    // Replaying the RFC's salt through the caller's Rng reproduces the RFC's signature
    // byte for byte: the salt is drawn first, and blinding does not change the result.
    let salt = pss_sha256_salt(&key.to_public_key(), signature);
    assert_eq!(salt.len(), 32, "RFC 9846 §4.3.3: salt length = hash length");
    let ours = RustCryptoProvider
        .load_signing_key(key.to_pkcs1_der().unwrap().as_bytes())
        .unwrap();
    // A 1024-bit modulus is too short for PSS with SHA-512 (RFC 8017 §9.1.1).
    assert_eq!(
        ours.schemes(),
        [
            SignatureScheme::RsaPssRsaeSha256,
            SignatureScheme::RsaPssRsaeSha384
        ]
    );
    for blinding_seed in [5, 6] {
        let mut rng = ReplayThen(salt.clone(), TestRng::new(blinding_seed));
        let scheme = SignatureScheme::RsaPssRsaeSha256;
        let reproduced = ours.sign(scheme, &content, &mut rng).unwrap();
        assert_eq!(reproduced, signature);
    }
}
