//! ML-KEM-768 (FIPS 203) from RustCrypto's `ml-kem`: what the hybrid groups of
//! [`super::hybrid`] use by default. It offers the same five calls as our stack-lean
//! [`super::mlkem768`], which replaces it under the `mlkem-lean` feature (a microcontroller
//! image: `ml-kem` keeps the whole matrix and its temporaries on the stack, about 46 KB at
//! its deepest on a Cortex-M4, docs/embedded.md).
//!
//! Not here: the arithmetic (it is `ml-kem`'s), the randomness (callers pass `d ‖ z` and
//! `m`, FIPS 203's `_internal` functions).

use ml_kem::array::Array;
use ml_kem::{Decapsulate, EncapsulationKey, KeyExport, MlKem768};
use zeroize::Zeroizing;

/// Bytes of an encapsulation key (FIPS 203 §8, Table 3).
pub(crate) const ENCAPSULATION_KEY_LEN: usize = 1184;
/// Bytes of a ciphertext (FIPS 203 §8, Table 3).
pub(crate) const CIPHERTEXT_LEN: usize = 1088;
/// Bytes of the key-generation seed `d ‖ z`.
pub(crate) const SEED_LEN: usize = 64;

/// An ML-KEM-768 decapsulation key (`ml-kem` zeroizes it when dropped).
pub(crate) struct DecapsulationKey(ml_kem::DecapsulationKey<MlKem768>);

/// FIPS 203 §6.1, ML-KEM.KeyGen_internal(d, z): writes the encapsulation key to
/// `encapsulation_key` and returns the decapsulation key.
pub(crate) fn generate(
    seed: &[u8; SEED_LEN],
    encapsulation_key: &mut [u8; ENCAPSULATION_KEY_LEN],
) -> DecapsulationKey {
    let key = ml_kem::DecapsulationKey::<MlKem768>::from_seed(Array::from(*seed));
    encapsulation_key.copy_from_slice(&key.encapsulation_key().to_bytes());
    DecapsulationKey(key)
}

/// FIPS 203 §7.2's input check on an encapsulation key (`ml-kem` runs the modulus check
/// when it decodes the key).
pub(crate) fn encapsulation_key_is_valid(encapsulation_key: &[u8; ENCAPSULATION_KEY_LEN]) -> bool {
    decoded(encapsulation_key).is_some()
}

fn decoded(encapsulation_key: &[u8; ENCAPSULATION_KEY_LEN]) -> Option<EncapsulationKey<MlKem768>> {
    let bytes = ml_kem::Key::<EncapsulationKey<MlKem768>>::try_from(&encapsulation_key[..]).ok()?;
    EncapsulationKey::<MlKem768>::new(&bytes).ok()
}

/// FIPS 203 §6.2, ML-KEM.Encaps_internal(ek, m): the ciphertext and the shared secret. The
/// caller has run [`encapsulation_key_is_valid`]; a key failing it gives the all-zero
/// ciphertext and secret, which no caller uses.
pub(crate) fn encapsulate(
    encapsulation_key: &[u8; ENCAPSULATION_KEY_LEN],
    m: &[u8; 32],
) -> ([u8; CIPHERTEXT_LEN], Zeroizing<[u8; 32]>) {
    let mut ciphertext = [0u8; CIPHERTEXT_LEN];
    let mut shared_secret = Zeroizing::new([0u8; 32]);
    if let Some(key) = decoded(encapsulation_key) {
        let (c, k) = key.encapsulate_deterministic(&Array::from(*m));
        ciphertext.copy_from_slice(&c);
        shared_secret.copy_from_slice(&k);
        let mut k = k;
        zeroize::Zeroize::zeroize(k.as_mut_slice());
    }
    (ciphertext, shared_secret)
}

/// FIPS 203 §6.3, ML-KEM.Decaps_internal(dk, c): the shared secret, or the
/// implicit-rejection secret for a forged ciphertext. (`ml-kem`'s key holds its own
/// encapsulation key; the argument is there for the lean implementation's shape.)
pub(crate) fn decapsulate(
    key: &DecapsulationKey,
    _encapsulation_key: &[u8; ENCAPSULATION_KEY_LEN],
    ciphertext: &[u8; CIPHERTEXT_LEN],
) -> Zeroizing<[u8; 32]> {
    let mut shared_secret = Zeroizing::new([0u8; 32]);
    let mut k = key.0.decapsulate(&Array::from(*ciphertext));
    shared_secret.copy_from_slice(&k);
    zeroize::Zeroize::zeroize(k.as_mut_slice());
    shared_secret
}
