//! The polynomial ring of ML-KEM (FIPS 203 §4.3): arithmetic modulo q = 3329, the number-
//! theoretic transform and its inverse, the two samplers and the byte encodings. One
//! polynomial is 256 coefficients of 16 bits, 512 bytes, and is zeroized when dropped.
//!
//! Every coefficient is kept reduced, in `0..q`. Reduction, compression and the samplers of
//! secret values run in constant time: no branch, no table look-up and no division depends
//! on a coefficient (a hardware divider, such as the Cortex-M4's, takes a variable number of
//! cycles, so `/` and `%` on secret values are avoided). Only [`Poly::sample_ntt`], which
//! expands the public matrix, branches on its (public) input.
//!
//! Not here: the key-encapsulation algorithms that use these ([`super`]).

use shake::{ExtendableOutput, Shake128, Shake256, Update, XofReader};
use zeroize::Zeroize;

/// n: coefficients in a polynomial.
pub(super) const N: usize = 256;
/// q: the prime modulus.
const Q: u32 = 3329;
/// ⌊2³² / q⌋, the Barrett constant of [`reduce`] and [`divide_by_q`].
const BARRETT: u64 = 1_290_167;
/// 128⁻¹ mod q: the scaling at the end of NTT⁻¹ (FIPS 203 §4.3, Algorithm 10, "f ← f · 3303").
const INVERSE_128: u32 = 3303;

/// FIPS 203 §4.3: ζ^BitRev₇(i) mod q for i = 0..128, with ζ = 17, the zetas of NTT and NTT⁻¹.
const ZETAS: [u16; 128] = powers_of_zeta(false);
/// FIPS 203 §4.3.1: ζ^(2·BitRev₇(i)+1) mod q, the gammas of MultiplyNTTs.
const GAMMAS: [u16; 128] = powers_of_zeta(true);

/// 17^e mod q, at compile time.
const fn power_of_17(mut e: u32) -> u32 {
    let (mut result, mut base) = (1, 17);
    while e > 0 {
        if e & 1 == 1 {
            result = result * base % Q;
        }
        base = base * base % Q;
        e >>= 1;
    }
    result
}

/// BitRev₇(i): the 7-bit number `i` with its bits reversed.
const fn bit_reverse_7(i: u32) -> u32 {
    let mut reversed = 0;
    let mut bit = 0;
    while bit < 7 {
        reversed |= ((i >> bit) & 1) << (6 - bit);
        bit += 1;
    }
    reversed
}

/// The table of [`ZETAS`] (`gammas` false) or [`GAMMAS`] (true), computed at build time.
const fn powers_of_zeta(gammas: bool) -> [u16; 128] {
    let mut table = [0u16; 128];
    let mut i = 0;
    while i < 128 {
        let exponent = if gammas {
            2 * bit_reverse_7(i as u32) + 1
        } else {
            bit_reverse_7(i as u32)
        };
        table[i] = power_of_17(exponent) as u16;
        i += 1;
    }
    table
}

/// `r - q` if `r ≥ q`, else `r`, for `r < 2q`, without a branch.
fn subtract_q(r: u32) -> u32 {
    let s = r.wrapping_sub(Q);
    // s's top bit is set exactly when r < q: then add q back.
    s.wrapping_add(Q & 0u32.wrapping_sub(s >> 31))
}

/// `x mod q` for any `x: u32` (Barrett reduction: the estimate `t` is ⌊x/q⌋ or one less).
fn reduce(x: u32) -> u16 {
    let t = ((u64::from(x) * BARRETT) >> 32) as u32;
    subtract_q(x - t * Q) as u16
}

/// `⌊x / q⌋` for any `x: u32`, without a division instruction.
fn divide_by_q(x: u32) -> u32 {
    let t = ((u64::from(x) * BARRETT) >> 32) as u32;
    let r = x - t * Q;
    // r < 2q; t is one short exactly when r ≥ q, when r - q has its top bit clear.
    t + 1 - (r.wrapping_sub(Q) >> 31)
}

/// A polynomial in R_q (or, after [`Poly::ntt`], in T_q): 256 coefficients in `0..q`.
#[derive(Clone)]
pub(super) struct Poly(pub(super) [u16; N]);

impl Drop for Poly {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl Poly {
    /// The zero polynomial.
    pub(super) fn zero() -> Self {
        Poly([0; N])
    }

    /// `self += other`.
    pub(super) fn add(&mut self, other: &Poly) {
        for (a, b) in self.0.iter_mut().zip(other.0.iter()) {
            *a = reduce(u32::from(*a) + u32::from(*b));
        }
    }

    /// `self = other - self`.
    pub(super) fn subtract_from(&mut self, other: &Poly) {
        for (a, b) in self.0.iter_mut().zip(other.0.iter()) {
            *a = reduce(u32::from(*b) + Q - u32::from(*a));
        }
    }

    /// FIPS 203 §4.3, Algorithm 9, NTT: in place, from R_q to T_q.
    pub(super) fn ntt(&mut self) {
        let f = &mut self.0;
        let mut i = 1;
        let mut len = 128;
        while len >= 2 {
            for start in (0..N).step_by(2 * len) {
                let zeta = u32::from(ZETAS[i]);
                i += 1;
                for j in start..start + len {
                    let t = u32::from(reduce(zeta * u32::from(f[j + len])));
                    f[j + len] = reduce(u32::from(f[j]) + Q - t);
                    f[j] = reduce(u32::from(f[j]) + t);
                }
            }
            len /= 2;
        }
    }

    /// FIPS 203 §4.3, Algorithm 10, NTT⁻¹: in place, from T_q back to R_q.
    pub(super) fn inverse_ntt(&mut self) {
        let f = &mut self.0;
        let mut i = 127;
        let mut len = 2;
        while len <= 128 {
            for start in (0..N).step_by(2 * len) {
                let zeta = u32::from(ZETAS[i]);
                i -= 1;
                for j in start..start + len {
                    let t = u32::from(f[j]);
                    f[j] = reduce(t + u32::from(f[j + len]));
                    f[j + len] = reduce(zeta * (u32::from(f[j + len]) + Q - t));
                }
            }
            len *= 2;
        }
        for c in f.iter_mut() {
            *c = reduce(u32::from(*c) * INVERSE_128);
        }
    }

    /// `self += a ∘ b` in T_q: FIPS 203 §4.3.1, Algorithm 11, MultiplyNTTs (with
    /// Algorithm 12, BaseCaseMultiply, for each of the 128 degree-one pairs), accumulated.
    pub(super) fn add_product(&mut self, a: &Poly, b: &Poly) {
        for (i, gamma) in GAMMAS.iter().enumerate() {
            let (a0, a1) = (u32::from(a.0[2 * i]), u32::from(a.0[2 * i + 1]));
            let (b0, b1) = (u32::from(b.0[2 * i]), u32::from(b.0[2 * i + 1]));
            let a1b1 = u32::from(reduce(a1 * b1));
            let c0 = u32::from(self.0[2 * i]) + a0 * b0 + a1b1 * u32::from(*gamma);
            let c1 = u32::from(self.0[2 * i + 1]) + a0 * b1 + a1 * b0;
            self.0[2 * i] = reduce(c0);
            self.0[2 * i + 1] = reduce(c1);
        }
    }

    /// FIPS 203 §4.2.2, Algorithm 7, SampleNTT: the matrix entry Â[i, j] from SHAKE128 of
    /// `rho ‖ j ‖ i`, by rejection sampling 12-bit values below q. Public data only.
    pub(super) fn sample_ntt(&mut self, rho: &[u8; 32], j: u8, i: u8) {
        let mut xof = Shake128::default();
        xof.update(rho);
        xof.update(&[j, i]);
        let mut reader = xof.finalize_xof();
        // One SHAKE128 block (168 bytes, a multiple of 3) at a time.
        let mut block = [0u8; 168];
        let mut filled = 0;
        while filled < N {
            reader.read(&mut block);
            for c in block.chunks_exact(3) {
                let (c0, c1, c2) = (u16::from(c[0]), u16::from(c[1]), u16::from(c[2]));
                for d in [c0 | ((c1 & 0x0f) << 8), (c1 >> 4) | (c2 << 4)] {
                    if u32::from(d) < Q && filled < N {
                        self.0[filled] = d;
                        filled += 1;
                    }
                }
            }
        }
    }

    /// FIPS 203 §4.2.2, Algorithm 8, SamplePolyCBD with η = 2, from PRF₂(seed, nonce)
    /// (§4.1: SHAKE256 of `seed ‖ nonce`, 128 bytes). Each nibble gives one coefficient:
    /// (b₀ + b₁) − (b₂ + b₃) mod q.
    pub(super) fn sample_cbd2(&mut self, seed: &[u8; 32], nonce: u8) {
        let mut prf = Shake256::default();
        prf.update(seed);
        prf.update(&[nonce]);
        let mut bytes = zeroize::Zeroizing::new([0u8; 128]);
        prf.finalize_xof().read(bytes.as_mut_slice());
        for (pair, byte) in self.0.chunks_exact_mut(2).zip(bytes.iter()) {
            for (c, nibble) in pair.iter_mut().zip([byte & 0x0f, byte >> 4]) {
                let n = u32::from(nibble);
                let x = (n & 1) + ((n >> 1) & 1);
                let y = ((n >> 2) & 1) + ((n >> 3) & 1);
                *c = subtract_q(x + Q - y) as u16;
            }
        }
    }

    /// FIPS 203 §4.2.1, Algorithm 5, ByteEncode_d: `d` bits of each coefficient, least
    /// significant first, into `out` (32·d bytes).
    pub(super) fn byte_encode(&self, d: u32, out: &mut [u8]) {
        let mut bits: u32 = 0;
        let mut held = 0;
        let mut out = out.iter_mut();
        for c in self.0 {
            bits |= u32::from(c) << held;
            held += d;
            while held >= 8 {
                if let Some(byte) = out.next() {
                    *byte = bits as u8;
                }
                bits >>= 8;
                held -= 8;
            }
        }
        bits.zeroize();
    }

    /// FIPS 203 §4.2.1, Algorithm 6, ByteDecode_d: 256 values of `d` bits from `bytes`
    /// (32·d bytes). For d = 12 the values are not reduced: see [`Poly::is_reduced`].
    pub(super) fn byte_decode(d: u32, bytes: &[u8]) -> Poly {
        let mut poly = Poly::zero();
        poly.set_byte_decoded(d, bytes);
        poly
    }

    /// [`Poly::byte_decode`] into this polynomial, which saves a polynomial of stack.
    pub(super) fn set_byte_decoded(&mut self, d: u32, bytes: &[u8]) {
        let mask = (1u32 << d) - 1;
        let mut bits: u32 = 0;
        let mut held = 0;
        let mut bytes = bytes.iter();
        for c in self.0.iter_mut() {
            while held < d {
                bits |= u32::from(bytes.next().copied().unwrap_or(0)) << held;
                held += 8;
            }
            *c = (bits & mask) as u16;
            bits >>= d;
            held -= d;
        }
        bits.zeroize();
    }

    /// `self += Decompress₁(ByteDecode₁(m))`: ⌈q/2⌋ = 1665 added where m has a 1 bit, in
    /// constant time (FIPS 203 §5.2, Algorithm 14, the message's term μ of v).
    pub(super) fn add_message(&mut self, m: &[u8; 32]) {
        for (i, c) in self.0.iter_mut().enumerate() {
            let bit = u32::from(m[i / 8] >> (i % 8)) & 1;
            *c = reduce(u32::from(*c) + (1665 & 0u32.wrapping_sub(bit)));
        }
    }

    /// Each coefficient mod q (for values decoded from 12 bits, which may reach 4095).
    pub(super) fn reduce(&mut self) {
        for c in self.0.iter_mut() {
            *c = reduce(u32::from(*c));
        }
    }

    /// Whether every coefficient is below q: FIPS 203 §7.2's modulus check on a decoded
    /// encapsulation key (public data).
    pub(super) fn is_reduced(&self) -> bool {
        self.0.iter().all(|&c| u32::from(c) < Q)
    }

    /// FIPS 203 §4.2.1, Compress_d on each coefficient: ⌈(2^d / q) · x⌋ mod 2^d.
    pub(super) fn compress(&mut self, d: u32) {
        for c in self.0.iter_mut() {
            // Rounding x·2^d / q to the nearest integer is ⌊(x·2^d + (q−1)/2) / q⌋, q odd.
            let rounded = divide_by_q((u32::from(*c) << d) + (Q - 1) / 2);
            *c = (rounded & ((1 << d) - 1)) as u16;
        }
    }

    /// FIPS 203 §4.2.1, Decompress_d on each coefficient: ⌈(q / 2^d) · y⌋.
    pub(super) fn decompress(&mut self, d: u32) {
        for c in self.0.iter_mut() {
            *c = ((u32::from(*c) * Q + (1 << (d - 1))) >> d) as u16;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reduction_and_division_agree_with_the_operators() {
        let samples = (0..200_000u32)
            .map(|i| i.wrapping_mul(2_654_435_761))
            .chain([0, 1, Q - 1, Q, Q + 1, 2 * Q - 1, u32::MAX, u32::MAX - 1]);
        for x in samples {
            assert_eq!(u32::from(reduce(x)), x % Q, "{x}");
            assert_eq!(divide_by_q(x), x / Q, "{x}");
        }
    }

    #[test]
    fn the_zeta_tables_start_as_fips_203_lists_them() {
        // FIPS 203 Appendix A: the first zetas and gammas.
        assert_eq!(ZETAS[..4], [1, 1729, 2580, 3289]);
        assert_eq!(GAMMAS[..4], [17, 3312, 2761, 568]);
    }

    #[test]
    fn the_inverse_ntt_undoes_the_ntt() {
        let mut f = Poly::zero();
        for (i, c) in f.0.iter_mut().enumerate() {
            *c = (i as u32 * 37 % Q) as u16;
        }
        let original = f.clone();
        f.ntt();
        assert_ne!(f.0, original.0);
        f.inverse_ntt();
        assert_eq!(f.0, original.0);
    }

    #[test]
    fn encoding_and_compression_round_trip() {
        let mut f = Poly::zero();
        for (i, c) in f.0.iter_mut().enumerate() {
            *c = (i as u32 * 1031 % Q) as u16;
        }
        let mut bytes = [0u8; 384];
        f.byte_encode(12, &mut bytes);
        assert_eq!(Poly::byte_decode(12, &bytes).0, f.0);
        // Compress then Decompress moves a coefficient by at most ⌈q / 2^(d+1)⌋.
        let mut g = f.clone();
        g.compress(10);
        g.decompress(10);
        for (a, b) in f.0.iter().zip(g.0.iter()) {
            let distance = (i32::from(*a) - i32::from(*b)).rem_euclid(Q as i32);
            assert!(distance.min(Q as i32 - distance) <= 2, "{a} {b}");
        }
    }
}
