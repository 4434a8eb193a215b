//! The hybrid groups in both roles, and each refusal the handshake relies on.

use ml_kem::{Decapsulate, KeyExport, MlKem768};

use super::*;
use crate::crypto::hybrid::{MLKEM768_CIPHERTEXT_LEN, MLKEM768_ENCAPSULATION_KEY_LEN};

/// A deterministic RNG: a counter run through a simple mix, different per `salt`.
struct Counter(u8);

impl Rng for Counter {
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), CryptoError> {
        for byte in dest {
            self.0 = self.0.wrapping_mul(31).wrapping_add(17);
            *byte = self.0;
        }
        Ok(())
    }
}

/// Client start, server encapsulate, client complete: the pieces a handshake runs.
fn exchange(group: NamedGroup) -> (Vec<u8>, Vec<u8>, Secret, Secret) {
    let client = start(group, &mut Counter(1)).unwrap();
    let client_share = client.public_key().to_vec();
    let (server_share, server_secret) = encapsulate(group, &client_share, &mut Counter(2)).unwrap();
    let client_secret = client.complete(&server_share).unwrap();
    (client_share, server_share, client_secret, server_secret)
}

#[test]
fn test_x25519mlkem768_both_roles_agree() {
    let (client_share, server_share, client_secret, server_secret) =
        exchange(NamedGroup::X25519MlKem768);
    assert_eq!((client_share.len(), server_share.len()), (1216, 1120));
    assert_eq!(client_secret.as_bytes().len(), 64);
    assert_eq!(client_secret.as_bytes(), server_secret.as_bytes());
}

#[test]
fn test_secp256r1mlkem768_both_roles_agree() {
    let (client_share, server_share, client_secret, server_secret) =
        exchange(NamedGroup::SecP256r1MlKem768);
    // ECDH first: an uncompressed point opens both shares.
    assert_eq!((client_share.len(), server_share.len()), (1249, 1153));
    assert_eq!((client_share[0], server_share[0]), (0x04, 0x04));
    assert_eq!(client_secret.as_bytes().len(), 64);
    assert_eq!(client_secret.as_bytes(), server_secret.as_bytes());
}

#[test]
fn test_secret_is_mlkem_then_x25519() {
    // Rebuild both parts by hand from the same randomness, the ML-KEM part with RustCrypto's
    // `ml-kem`, and check the concatenation.
    let mut rng = Counter(1);
    let mut seed = [0u8; 64];
    rng.fill(&mut seed).unwrap();
    let dk = ml_kem::DecapsulationKey::<MlKem768>::from_seed(ml_kem::array::Array::from(seed));
    let x25519 = kx::start(NamedGroup::X25519, &mut rng).unwrap();
    let client = start(NamedGroup::X25519MlKem768, &mut Counter(1)).unwrap();
    let share = client.public_key().to_vec();
    assert_eq!(&share[..1184], dk.encapsulation_key().to_bytes().as_slice());
    assert_eq!(&share[1184..], x25519.public_key());

    let (server_share, secret) =
        encapsulate(NamedGroup::X25519MlKem768, &share, &mut Counter(2)).unwrap();
    let ciphertext = ml_kem::Ciphertext::<MlKem768>::try_from(&server_share[..1088]).unwrap();
    assert_eq!(
        &secret.as_bytes()[..32],
        dk.decapsulate(&ciphertext).as_slice()
    );
    let x25519_secret = x25519.complete(&server_share[1088..]).unwrap();
    assert_eq!(&secret.as_bytes()[32..], x25519_secret.as_bytes());
}

#[test]
fn test_refuses_client_share_of_wrong_length() {
    for group in GROUPS {
        let client = start(*group, &mut Counter(1)).unwrap();
        let share = client.public_key();
        for bad in [&share[..share.len() - 1], &[share, &[0]].concat()[..], &[]] {
            assert_eq!(
                encapsulate(*group, bad, &mut Counter(2)).err(),
                Some(CryptoError::InvalidPeerKey)
            );
        }
    }
}

#[test]
fn test_refuses_encapsulation_key_failing_modulus_check() {
    // FIPS 203 §7.2: every 12-bit coefficient of the encapsulation key must be below
    // q = 3329. 0xfff = 4095 in the first coefficient fails the check.
    for group in GROUPS {
        let client = start(*group, &mut Counter(1)).unwrap();
        let mut share = client.public_key().to_vec();
        let mlkem_at = if *group == NamedGroup::X25519MlKem768 {
            0
        } else {
            65
        };
        share[mlkem_at] = 0xff;
        share[mlkem_at + 1] |= 0x0f;
        assert_eq!(
            encapsulate(*group, &share, &mut Counter(2)).err(),
            Some(CryptoError::InvalidPeerKey)
        );
        // The same key with a valid coefficient in that place is accepted.
        share[mlkem_at] = 0;
        share[mlkem_at + 1] &= 0xf0;
        assert!(encapsulate(*group, &share, &mut Counter(2)).is_ok());
    }
    assert_eq!(MLKEM768_ENCAPSULATION_KEY_LEN, 1184);
}

#[test]
fn test_refuses_server_ciphertext_of_wrong_length() {
    for group in GROUPS {
        let fresh = || start(*group, &mut Counter(1)).unwrap();
        let share = fresh().public_key().to_vec();
        let (server_share, _) = encapsulate(*group, &share, &mut Counter(2)).unwrap();
        let short = &server_share[..server_share.len() - 1];
        let long = [&server_share[..], &[0]].concat();
        for bad in [short, &long[..], &server_share[..MLKEM768_CIPHERTEXT_LEN]] {
            assert_eq!(
                fresh().complete(bad).err(),
                Some(CryptoError::InvalidPeerKey)
            );
        }
    }
}

#[test]
fn test_forged_ciphertext_gives_a_different_secret() {
    // Implicit rejection (FIPS 203 §7.3): no error, but not the server's secret.
    let client = start(NamedGroup::X25519MlKem768, &mut Counter(1)).unwrap();
    let share = client.public_key().to_vec();
    let (mut server_share, server_secret) =
        encapsulate(NamedGroup::X25519MlKem768, &share, &mut Counter(2)).unwrap();
    server_share[10] ^= 1;
    let client_secret = client.complete(&server_share).unwrap();
    assert_ne!(
        &client_secret.as_bytes()[..32],
        &server_secret.as_bytes()[..32]
    );
    assert_eq!(
        &client_secret.as_bytes()[32..],
        &server_secret.as_bytes()[32..]
    );
}

#[test]
fn test_classical_part_refusals_pass_through() {
    // An all-zero X25519 part gives the all-zero shared secret (RFC 9846 §7.4.2).
    let client = start(NamedGroup::X25519MlKem768, &mut Counter(1)).unwrap();
    let mut share = client.public_key().to_vec();
    share[1184..].fill(0);
    assert_eq!(
        encapsulate(NamedGroup::X25519MlKem768, &share, &mut Counter(2)).err(),
        Some(CryptoError::InvalidPeerKey)
    );
}
