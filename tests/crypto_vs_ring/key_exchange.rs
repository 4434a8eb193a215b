//! Key exchange against ring (X25519 and P-256): ring parses our key share and derives
//! the secret we derive from its share, and both refuse peer keys that are not points of
//! the group. The ML-KEM hybrids are not here: ring has none (tests/mlkem_kat.rs checks them).

use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::crypto::{CryptoError, CryptoProvider};
use lucid_tls::wire::algorithms::NamedGroup;

use super::TestRng;

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
