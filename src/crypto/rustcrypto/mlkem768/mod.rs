//! ML-KEM-768 (FIPS 203), written to need little stack: what the hybrid groups of
//! [`super::hybrid`] use, on a host as on a microcontroller.
//!
//! FIPS 203 describes K-PKE with the whole k × k matrix Â and whole vectors of polynomials.
//! Here each matrix entry is sampled when it is needed and dropped after one multiply-add
//! (Â is public and cheap to expand again), and each vector is built one polynomial at a
//! time. The deepest step, decapsulation, holds five polynomials and one compressed
//! polynomial (≈ 3 KB; it compares the re-encrypted ciphertext part by part instead of
//! making a second one) where a whole-matrix implementation holds the matrix alone in 4.6 KB.
//!
//! The decapsulation key is kept in its seed form (FIPS 203 §7.1 allows storing the seed
//! `d ‖ z` instead of the expanded key): [`DecapsulationKey`] keeps σ and z, 64 bytes, and
//! H(ek); ŝ is sampled again from σ when a ciphertext comes, which costs three samplings
//! and NTTs (a few per cent of a decapsulation) and saves the 2,400-byte expanded key.
//!
//! Secrets (σ, z, m, r, ŝ, the shared secrets) are zeroized when dropped; their
//! arithmetic runs in constant time ([`poly`]), and so does the implicit-rejection choice
//! of decapsulation.
//!
//! Not here: ML-KEM-512 and ML-KEM-1024, the expanded (2,400-byte) decapsulation-key
//! format, and the randomness itself (callers pass `d ‖ z` and `m`, FIPS 203's
//! `_internal` functions).

mod poly;

use sha3::{Digest, Sha3_256, Sha3_512};
use shake::{ExtendableOutput, Shake256, Update, XofReader};
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use poly::Poly;

/// k: the rank of the module (ML-KEM-768, FIPS 203 §8, Table 2).
const K: usize = 3;
/// d_u: bits per coefficient of the ciphertext's u.
const DU: u32 = 10;
/// d_v: bits per coefficient of the ciphertext's v.
const DV: u32 = 4;
/// Bytes of one polynomial in ByteEncode₁₂.
const ENCODED_POLY: usize = 384;
/// Bytes of one compressed polynomial of u.
const ENCODED_U: usize = 32 * DU as usize;

/// Bytes of an encapsulation key: t̂ in ByteEncode₁₂, then ρ.
pub(crate) const ENCAPSULATION_KEY_LEN: usize = ENCODED_POLY * K + 32;
/// Bytes of a ciphertext: u (d_u bits), then v (d_v bits).
pub(crate) const CIPHERTEXT_LEN: usize = ENCODED_U * K + 32 * DV as usize;
/// Bytes of the key-generation seed `d ‖ z`.
pub(crate) const SEED_LEN: usize = 64;

/// An ML-KEM-768 decapsulation key in seed form: σ (from which ŝ is sampled), H(ek) and
/// the implicit-rejection value z. Its encapsulation key is the caller's to keep.
#[derive(Zeroize, ZeroizeOnDrop)]
pub(crate) struct DecapsulationKey {
    sigma: [u8; 32],
    ek_hash: [u8; 32],
    z: [u8; 32],
}

/// G (FIPS 203 §4.1): SHA3-512 of the concatenated inputs, as two 32-byte halves.
fn g(inputs: &[&[u8]]) -> (Zeroizing<[u8; 32]>, Zeroizing<[u8; 32]>) {
    let mut hash = Sha3_512::new();
    for input in inputs {
        Digest::update(&mut hash, input);
    }
    let out = Zeroizing::new(<[u8; 64]>::from(hash.finalize()));
    let (mut a, mut b) = (Zeroizing::new([0u8; 32]), Zeroizing::new([0u8; 32]));
    a.copy_from_slice(&out[..32]);
    b.copy_from_slice(&out[32..]);
    (a, b)
}

/// H (FIPS 203 §4.1): SHA3-256.
fn h(input: &[u8]) -> [u8; 32] {
    Sha3_256::digest(input).into()
}

/// J (FIPS 203 §4.1): SHAKE256 of the concatenated inputs, 32 bytes.
fn j(inputs: &[&[u8]]) -> Zeroizing<[u8; 32]> {
    let mut xof = Shake256::default();
    for input in inputs {
        xof.update(input);
    }
    let mut out = Zeroizing::new([0u8; 32]);
    xof.finalize_xof().read(out.as_mut_slice());
    out
}

/// ŝ_i (or ê_i, ŷ_i...): NTT(SamplePolyCBD₂(PRF₂(seed, nonce))).
fn sampled_in_ntt_domain(seed: &[u8; 32], nonce: u8) -> Poly {
    let mut p = Poly::zero();
    p.sample_cbd2(seed, nonce);
    p.ntt();
    p
}

/// ρ, the last 32 bytes of an encapsulation key.
fn rho(encapsulation_key: &[u8; ENCAPSULATION_KEY_LEN]) -> [u8; 32] {
    let mut rho = [0u8; 32];
    rho.copy_from_slice(&encapsulation_key[ENCODED_POLY * K..]);
    rho
}

/// FIPS 203 §6.1, Algorithm 16, ML-KEM.KeyGen_internal(d, z), with K-PKE.KeyGen
/// (§5.1, Algorithm 13) inside: writes the encapsulation key to `encapsulation_key` and
/// returns the decapsulation key in seed form.
pub(crate) fn generate(
    seed: &[u8; SEED_LEN],
    encapsulation_key: &mut [u8; ENCAPSULATION_KEY_LEN],
) -> DecapsulationKey {
    let (d, z) = seed.split_at(32);
    // (ρ, σ) ← G(d ‖ k)
    let (rho, sigma) = g(&[d, &[K as u8]]);
    let s_hat: [Poly; K] = core::array::from_fn(|i| sampled_in_ntt_domain(&sigma, i as u8));
    let mut entry = Poly::zero();
    for (i, encoded) in encapsulation_key
        .chunks_exact_mut(ENCODED_POLY)
        .take(K)
        .enumerate()
    {
        // t̂_i = ê_i + Σ_j Â[i, j] ∘ ŝ_j, with ê_i from the nonces after ŝ's.
        let mut t_hat = sampled_in_ntt_domain(&sigma, (K + i) as u8);
        for (j, s) in s_hat.iter().enumerate() {
            entry.sample_ntt(&rho, j as u8, i as u8);
            t_hat.add_product(&entry, s);
        }
        t_hat.byte_encode(12, encoded);
    }
    encapsulation_key[ENCODED_POLY * K..].copy_from_slice(rho.as_slice());
    let mut key = DecapsulationKey {
        sigma: *sigma,
        ek_hash: h(encapsulation_key),
        z: [0; 32],
    };
    key.z.copy_from_slice(z);
    key
}

/// FIPS 203 §7.2's input check on an encapsulation key: its length is fixed by the type;
/// the modulus check decodes t̂ and requires every coefficient below q.
pub(crate) fn encapsulation_key_is_valid(encapsulation_key: &[u8; ENCAPSULATION_KEY_LEN]) -> bool {
    encapsulation_key
        .chunks_exact(ENCODED_POLY)
        .take(K)
        .all(|encoded| Poly::byte_decode(12, encoded).is_reduced())
}

/// FIPS 203 §6.2, Algorithm 17, ML-KEM.Encaps_internal(ek, m): the ciphertext and the
/// shared secret K. The caller has run [`encapsulation_key_is_valid`].
pub(crate) fn encapsulate(
    encapsulation_key: &[u8; ENCAPSULATION_KEY_LEN],
    m: &[u8; 32],
) -> ([u8; CIPHERTEXT_LEN], Zeroizing<[u8; 32]>) {
    // (K, r) ← G(m ‖ H(ek))
    let (shared_secret, r) = g(&[m, &h(encapsulation_key)]);
    let mut ciphertext = [0u8; CIPHERTEXT_LEN];
    encrypt(encapsulation_key, m, &r, &mut |at, part| {
        ciphertext[at..at + part.len()].copy_from_slice(part);
    });
    (ciphertext, shared_secret)
}

/// FIPS 203 §6.3, Algorithm 18, ML-KEM.Decaps_internal(dk, c), with the decapsulation key
/// in seed form and its encapsulation key beside it: the shared secret, or, if the
/// ciphertext does not re-encrypt to itself, the implicit-rejection secret J(z ‖ c).
pub(crate) fn decapsulate(
    key: &DecapsulationKey,
    encapsulation_key: &[u8; ENCAPSULATION_KEY_LEN],
    ciphertext: &[u8; CIPHERTEXT_LEN],
) -> Zeroizing<[u8; 32]> {
    let m = decrypt(&key.sigma, ciphertext);
    // (K', r') ← G(m' ‖ h); K̄ ← J(z ‖ c)
    let (mut shared_secret, r) = g(&[m.as_slice(), &key.ek_hash]);
    let rejection = j(&[&key.z, ciphertext]);
    // c' ← K-PKE.Encrypt(ek, m', r'), compared with c part by part as it is made (no second
    // ciphertext on the stack). Constant time: neither the comparison nor the choice
    // branches on the result.
    let mut equal = Choice::from(1);
    encrypt(encapsulation_key, &m, &r, &mut |at, part| {
        equal &= ciphertext[at..at + part.len()].ct_eq(part);
    });
    for (k, rejected) in shared_secret.iter_mut().zip(rejection.iter()) {
        *k = u8::conditional_select(rejected, k, equal);
    }
    shared_secret
}

/// FIPS 203 §5.2, Algorithm 14, K-PKE.Encrypt(ek, m, r). Â's entries are sampled one at a
/// time and ŷ is kept (three polynomials); the ciphertext is handed to `output` in four
/// parts as they are made, `output(offset, bytes)`: u₀, u₁, u₂, then v.
fn encrypt(
    encapsulation_key: &[u8; ENCAPSULATION_KEY_LEN],
    m: &[u8; 32],
    r: &[u8; 32],
    output: &mut dyn FnMut(usize, &[u8]),
) {
    let rho = rho(encapsulation_key);
    // ŷ_i from nonces 0..k, e₁ from k..2k, e₂ from 2k.
    let y_hat: [Poly; K] = core::array::from_fn(|i| sampled_in_ntt_domain(r, i as u8));
    let mut entry = Poly::zero();
    let mut encoded = Zeroizing::new([0u8; ENCODED_U]);
    for i in 0..K {
        // u_i = NTT⁻¹(Σ_j Âᵀ[i, j] ∘ ŷ_j) + e₁_i, where Âᵀ[i, j] = Â[j, i].
        let mut u = Poly::zero();
        for (j, y) in y_hat.iter().enumerate() {
            entry.sample_ntt(&rho, i as u8, j as u8);
            u.add_product(&entry, y);
        }
        u.inverse_ntt();
        entry.sample_cbd2(r, (K + i) as u8);
        u.add(&entry);
        u.compress(DU);
        u.byte_encode(DU, encoded.as_mut_slice());
        output(ENCODED_U * i, encoded.as_slice());
    }
    // v = NTT⁻¹(Σ_j t̂_j ∘ ŷ_j) + e₂ + Decompress₁(ByteDecode₁(m))
    let mut v = Poly::zero();
    for (t_encoded, y) in encapsulation_key
        .chunks_exact(ENCODED_POLY)
        .zip(y_hat.iter())
    {
        // t̂_j, in `entry`. ByteDecode₁₂ is taken mod q (FIPS 203 §4.2.1); a checked key is
        // below q already.
        entry.set_byte_decoded(12, t_encoded);
        entry.reduce();
        v.add_product(&entry, y);
    }
    v.inverse_ntt();
    entry.sample_cbd2(r, (2 * K) as u8);
    v.add(&entry);
    v.add_message(m);
    v.compress(DV);
    let v_encoded = &mut encoded[..32 * DV as usize];
    v.byte_encode(DV, v_encoded);
    output(ENCODED_U * K, v_encoded);
}

/// FIPS 203 §5.3, Algorithm 15, K-PKE.Decrypt(dk, c), with ŝ sampled again from σ one
/// polynomial at a time: the message m'.
fn decrypt(sigma: &[u8; 32], ciphertext: &[u8; CIPHERTEXT_LEN]) -> Zeroizing<[u8; 32]> {
    let (u_in, v_in) = ciphertext.split_at(ENCODED_U * K);
    // w = v' − NTT⁻¹(Σ_i ŝ_i ∘ NTT(u'_i))
    let mut w = Poly::zero();
    for (i, encoded) in u_in.chunks_exact(ENCODED_U).enumerate() {
        let mut u = Poly::byte_decode(DU, encoded);
        u.decompress(DU);
        u.ntt();
        w.add_product(&sampled_in_ntt_domain(sigma, i as u8), &u);
    }
    w.inverse_ntt();
    let mut v = Poly::byte_decode(DV, v_in);
    v.decompress(DV);
    w.subtract_from(&v);
    // m ← ByteEncode₁(Compress₁(w))
    w.compress(1);
    let mut m = Zeroizing::new([0u8; 32]);
    w.byte_encode(1, m.as_mut_slice());
    m
}

#[cfg(test)]
mod tests;
