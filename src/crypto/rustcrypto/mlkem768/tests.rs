//! This ML-KEM-768 against RustCrypto's `ml-kem` (a dev-dependency) on many pseudorandom
//! inputs: key generation, encapsulation, decapsulation of honest ciphertexts and of forged
//! ones (implicit rejection), and the encapsulation key's modulus check. FIPS 203's
//! known answers are in `tests/mlkem_kat.rs`, through the provider.

use ml_kem::array::Array;
use ml_kem::{Decapsulate, EncapsulationKey, KeyExport, MlKem768};

use super::*;

/// How many pseudorandom cases each differential test runs: 40, or `MLKEM_DIFFERENTIAL_CASES`
/// for a longer run (e.g. 2000 before a release).
fn cases() -> u32 {
    std::env::var("MLKEM_DIFFERENTIAL_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(40)
}

/// Pseudorandom bytes: SHAKE256 of a label and a counter.
fn bytes<const L: usize>(label: &str, counter: u32) -> [u8; L] {
    let mut xof = Shake256::default();
    xof.update(label.as_bytes());
    xof.update(&counter.to_be_bytes());
    let mut out = [0u8; L];
    xof.finalize_xof().read(&mut out);
    out
}

/// Our key pair and `ml-kem`'s for the same seed.
fn both_keys(
    seed: &[u8; SEED_LEN],
) -> (
    DecapsulationKey,
    [u8; ENCAPSULATION_KEY_LEN],
    ml_kem::DecapsulationKey<MlKem768>,
) {
    let mut ek = [0u8; ENCAPSULATION_KEY_LEN];
    let dk = generate(seed, &mut ek);
    let theirs = ml_kem::DecapsulationKey::<MlKem768>::from_seed(Array::from(*seed));
    (dk, ek, theirs)
}

#[test]
fn keygen_encapsulation_and_decapsulation_match_ml_kem() {
    for n in 0..cases() {
        let (dk, ek, theirs) = both_keys(&bytes("seed", n));
        assert_eq!(
            ek.as_slice(),
            theirs.encapsulation_key().to_bytes().as_slice(),
            "ek {n}"
        );
        assert!(encapsulation_key_is_valid(&ek));
        let m = bytes::<32>("m", n);
        let (c, k) = encapsulate(&ek, &m);
        let (their_c, their_k) = theirs
            .encapsulation_key()
            .encapsulate_deterministic(&Array::from(m));
        assert_eq!(c.as_slice(), their_c.as_slice(), "ciphertext {n}");
        assert_eq!(k.as_slice(), their_k.as_slice(), "secret {n}");
        assert_eq!(decapsulate(&dk, &ek, &c).as_slice(), k.as_slice(), "{n}");
    }
}

#[test]
fn forged_ciphertexts_are_rejected_implicitly_as_ml_kem_does() {
    for n in 0..cases() {
        let (dk, ek, theirs) = both_keys(&bytes("seed", 1_000_000 + n));
        // A random ciphertext, and an honest one with one bit flipped.
        let random = bytes::<CIPHERTEXT_LEN>("c", n);
        let (mut flipped, honest_k) = encapsulate(&ek, &bytes("m", n));
        flipped[(n as usize * 97) % CIPHERTEXT_LEN] ^= 1 << (n % 8);
        for c in [random, flipped] {
            let ours = decapsulate(&dk, &ek, &c);
            let ciphertext = ml_kem::Ciphertext::<MlKem768>::try_from(c.as_slice()).unwrap();
            assert_eq!(ours.as_slice(), theirs.decapsulate(&ciphertext).as_slice());
            // The implicit-rejection secret J(z ‖ c), not the honest one.
            assert_eq!(
                ours.as_slice(),
                j(&[&bytes::<64>("seed", 1_000_000 + n)[32..], &c]).as_slice()
            );
            assert_ne!(ours.as_slice(), honest_k.as_slice());
        }
    }
}

#[test]
fn the_modulus_check_refuses_what_ml_kem_refuses() {
    let (_, ek, _) = both_keys(&bytes("seed", 7));
    // Coefficient 0 of t̂₀ set to q, then to 4095: both out of range; q − 1 is in range.
    for (value, valid) in [(3329u16, false), (4095, false), (3328, true)] {
        let mut key = ek;
        key[0] = value as u8;
        key[1] = (key[1] & 0xf0) | (value >> 8) as u8;
        assert_eq!(encapsulation_key_is_valid(&key), valid, "{value}");
        let theirs = ml_kem::Key::<EncapsulationKey<MlKem768>>::try_from(key.as_slice()).unwrap();
        assert_eq!(EncapsulationKey::<MlKem768>::new(&theirs).is_ok(), valid);
    }
}
