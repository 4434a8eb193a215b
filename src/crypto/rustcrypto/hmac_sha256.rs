//! HMAC-SHA-256 (RFC 2104) and HKDF-Expand over it (RFC 5869 §2.3), on sha2's SHA-256
//! compression function, keyed once per key.
//!
//! The key schedule of a TLS_*_SHA256 suite is a few dozen HMAC-SHA-256 computations over
//! short inputs: every HKDF-Expand-Label fits one SHA-256 block. Computed through the
//! `hmac` and `hkdf` crates, each also paid for block buffers, piecewise copies and an HMAC
//! keyed anew per call, which on a Cortex-M4 came to about as much as the two compressions
//! the HMAC needs (docs/embedded.md). Here the key is absorbed once into its two SHA-256
//! states (after the ipad and the opad blocks, RFC 2104 §2), and each HMAC then costs one
//! compression per block of its input and one for the outer hash.
//!
//! Only SHA-256: SHA-384's HMAC and HKDF stay on the `hmac` and `hkdf` crates (see
//! [`super::hash`]). The tests check this module against those crates and RFC 4231.

use sha2::block_api::compress256;
use zeroize::Zeroize;

/// SHA-256's block length (FIPS 180-4 §1).
const BLOCK_LEN: usize = 64;
/// SHA-256's output length.
pub(super) const OUTPUT_LEN: usize = 32;
/// SHA-256's initial hash value H(0) (FIPS 180-4 §5.3.3).
const H0: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

/// HMAC-SHA-256 keyed with one key: the SHA-256 states after `K XOR ipad` and after
/// `K XOR opad` (RFC 2104 §2). Zeroized on drop.
pub(super) struct KeyedHmacSha256 {
    inner: [u32; 8],
    outer: [u32; 8],
}

impl KeyedHmacSha256 {
    /// Keys HMAC with `key`; a key longer than a block is hashed first (RFC 2104 §2:
    /// "Applications that use keys longer than B bytes will first hash the key").
    pub(super) fn new(key: &[u8]) -> Self {
        if key.len() > BLOCK_LEN {
            let mut hashed = [0u8; OUTPUT_LEN];
            Self::sha256(key, &mut hashed);
            let keyed = Self::new(&hashed);
            hashed.zeroize();
            return keyed;
        }
        // K XOR ipad and K XOR opad, K padded with zeros to the block length.
        let mut ipad = [0x36u8; BLOCK_LEN];
        let mut opad = [0x5cu8; BLOCK_LEN];
        for ((i, o), k) in ipad.iter_mut().zip(opad.iter_mut()).zip(key) {
            *i ^= k;
            *o ^= k;
        }
        let mut inner = H0;
        compress256(&mut inner, &[ipad]);
        let mut outer = H0;
        compress256(&mut outer, &[opad]);
        ipad[..key.len()].zeroize();
        opad[..key.len()].zeroize();
        Self { inner, outer }
    }

    /// `HMAC(K, data[0] || data[1] || ...)`.
    pub(super) fn mac(&self, data: &[&[u8]]) -> [u8; OUTPUT_LEN] {
        let mut out = [0u8; OUTPUT_LEN];
        self.mac_into(data.iter().copied(), &mut out);
        out
    }

    /// `HKDF-Expand(PRK, info[0] || info[1] || ..., L = out.len())` with this key as the
    /// PRK (RFC 5869 §2.3): `T(i) = HMAC(PRK, T(i-1) || info || i)`. `L` must be at most
    /// 255 × 32: [`crate::crypto::HkdfPrk::expand`] checks it.
    pub(super) fn expand_unchecked(&self, info: &[&[u8]], out: &mut [u8]) {
        let last = out.len().saturating_sub(1) / OUTPUT_LEN;
        let mut previous = [0u8; OUTPUT_LEN];
        for (i, chunk) in out.chunks_mut(OUTPUT_LEN).enumerate() {
            let counter = [(i + 1) as u8]; // at most 255 blocks: the caller checks L
            let t_previous: &[u8] = if i == 0 { &[] } else { &previous };
            let pieces = core::iter::once(t_previous)
                .chain(info.iter().copied())
                .chain(core::iter::once(&counter[..]));
            self.mac_into(pieces, chunk);
            if i < last {
                // T(i) is a whole block when another one follows.
                previous.copy_from_slice(chunk);
            }
        }
        if last > 0 {
            previous.zeroize();
        }
    }

    /// Writes the first `out.len()` (at most 32) bytes of the HMAC of the concatenation of
    /// `pieces`: the inner hash continues from the ipad state (one block already
    /// absorbed), the outer from the opad state.
    fn mac_into<'a>(&self, pieces: impl Iterator<Item = &'a [u8]>, out: &mut [u8]) {
        let mut state = self.inner;
        let mut block = [0u8; BLOCK_LEN];
        let mut filled = 0;
        let mut total = BLOCK_LEN as u64; // the ipad block
        for piece in pieces {
            total += piece.len() as u64;
            let mut rest = piece;
            while !rest.is_empty() {
                let take = rest.len().min(BLOCK_LEN - filled);
                block[filled..filled + take].copy_from_slice(&rest[..take]);
                filled += take;
                rest = &rest[take..];
                if filled == BLOCK_LEN {
                    compress256(&mut state, &[block]);
                    filled = 0;
                }
            }
        }
        finish(&mut state, &mut block, filled, total);
        // The outer hash's one block: the inner hash, then padding.
        write_digest(&state, &mut block[..OUTPUT_LEN]);
        let mut outer = self.outer;
        finish(
            &mut outer,
            &mut block,
            OUTPUT_LEN,
            (BLOCK_LEN + OUTPUT_LEN) as u64,
        );
        write_digest(&outer, out);
        block[..OUTPUT_LEN].zeroize();
        state.zeroize();
        outer.zeroize();
    }

    /// SHA-256 of `data` into `out`, for keys longer than a block.
    fn sha256(data: &[u8], out: &mut [u8; OUTPUT_LEN]) {
        let mut state = H0;
        let mut blocks = data.chunks_exact(BLOCK_LEN);
        for full in &mut blocks {
            let mut block = [0u8; BLOCK_LEN];
            block.copy_from_slice(full);
            compress256(&mut state, &[block]);
        }
        let tail = blocks.remainder();
        let mut block = [0u8; BLOCK_LEN];
        block[..tail.len()].copy_from_slice(tail);
        finish(&mut state, &mut block, tail.len(), data.len() as u64);
        write_digest(&state, out);
        block.zeroize();
        state.zeroize();
    }
}

impl Drop for KeyedHmacSha256 {
    fn drop(&mut self) {
        self.inner.zeroize();
        self.outer.zeroize();
    }
}

/// Pads the last `filled` bytes in `block` (FIPS 180-4 §5.1.1: a 1 bit, zeros, the message
/// length in bits as 64 bits) and compresses: `state` is then the digest of a message of
/// `total` bytes.
fn finish(state: &mut [u32; 8], block: &mut [u8; BLOCK_LEN], filled: usize, total: u64) {
    block[filled] = 0x80;
    block[filled + 1..].fill(0);
    if filled + 1 > BLOCK_LEN - 8 {
        compress256(state, &[*block]);
        block.fill(0);
    }
    block[BLOCK_LEN - 8..].copy_from_slice(&(total * 8).to_be_bytes());
    compress256(state, &[*block]);
}

/// The first `out.len()` bytes of the digest in `state` (big-endian words, FIPS 180-4 §6.2.2).
fn write_digest(state: &[u32; 8], out: &mut [u8]) {
    for (bytes, word) in out.chunks_mut(4).zip(state) {
        bytes.copy_from_slice(&word.to_be_bytes()[..bytes.len()]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::hex;
    use alloc::vec::Vec;
    use hmac::{Hmac, KeyInit, Mac};
    use sha2::Sha256;

    fn reference_hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).unwrap();
        mac.update(data);
        mac.finalize().into_bytes().to_vec()
    }

    #[test]
    fn test_rfc4231_case_6_long_key() {
        // RFC 4231 §4.7: a 131-byte key, hashed first.
        let key = [0xaa; 131];
        let out = KeyedHmacSha256::new(&key)
            .mac(&[b"Test Using Larger Than Block-Size Key - Hash Key First"]);
        assert_eq!(
            out.to_vec(),
            hex("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
        );
    }

    #[test]
    fn test_matches_the_hmac_crate_at_every_length_around_the_blocks() {
        // Input lengths across the padding boundaries (55, 56, 64, 119, 120, 128) and key
        // lengths below, at and above the block, split in uneven pieces.
        let data: Vec<u8> = (0..200u32).map(|i| (i * 7 + 3) as u8).collect();
        for key_len in [0, 1, 32, 63, 64, 65, 100] {
            let key = &data[..key_len];
            let keyed = KeyedHmacSha256::new(key);
            for len in 0..=200 {
                let message = &data[..len];
                let (a, b) = message.split_at(len / 3);
                assert_eq!(
                    keyed.mac(&[a, b]).to_vec(),
                    reference_hmac(key, message),
                    "key {key_len} bytes, message {len} bytes"
                );
            }
        }
    }

    #[test]
    fn test_expand_matches_the_hkdf_crate() {
        let prk = [0x42u8; 32];
        let keyed = KeyedHmacSha256::new(&prk);
        let reference = hkdf::Hkdf::<Sha256>::from_prk(&prk).unwrap();
        for len in [0, 1, 12, 16, 32, 33, 64, 100, 255 * 32] {
            let mut ours = alloc::vec![0u8; len];
            let mut theirs = alloc::vec![0u8; len];
            keyed.expand_unchecked(&[b"tls13 ", b"c hs traffic", &[0x20; 40]], &mut ours);
            reference
                .expand(
                    &[b"tls13 c hs traffic".as_slice(), &[0x20; 40]].concat(),
                    &mut theirs,
                )
                .unwrap();
            assert_eq!(ours, theirs, "L = {len}");
        }
    }
}
