//! Hash, HMAC and HKDF against ring: every prefix of a stream hashes alike, HMAC and
//! HKDF-Extract/Expand agree over keys, salts, infos and output lengths around the block
//! sizes, and RFC 5869's test cases 1 and 3 reproduce. SHA-256 and SHA-384.

use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::crypto::{CryptoError, CryptoProvider, HashAlgorithm};

use super::{LENGTHS, bytes};

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
