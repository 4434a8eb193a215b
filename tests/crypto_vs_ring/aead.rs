//! The AEADs against ring (AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305): what one seals
//! the other opens, over every length in `LENGTHS`; a flipped bit in ciphertext, tag, AAD or
//! nonce is refused; keys of the wrong length are refused.

use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::crypto::{
    AEAD_NONCE_LEN, AEAD_TAG_LEN, Aead, AeadAlgorithm, CryptoError, CryptoProvider,
};

use super::{LENGTHS, bytes};

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
