//! SHA-256/384, HMAC and HKDF: everything TLS 1.3 derives its keys and transcript from.
//!
//! - The running hash is the transcript hash (RFC 9846 §4.1): it is read after many messages
//!   while the handshake keeps adding to it, so [`RunningHash::current`] finalizes a copy.
//! - HMAC computes Finished `verify_data` (§4.5.3) and PSK binders (§4.3.11).
//! - HKDF-Extract and HKDF-Expand (RFC 5869) are the two steps of the key schedule (§7.1);
//!   `HKDF-Expand-Label` builds its `HkdfLabel` as pieces of `info`, which is why
//!   [`hkdf_expand`] takes `info` as a list of slices rather than one buffer.
//!
//! Only SHA-256 and SHA-384 are here: they are the hashes of the five TLS 1.3 suites
//! (§B.4). SHA-512 appears in TLS only inside signature schemes, and lives in the
//! signature module. HMAC and HKDF over SHA-256 are computed by [`super::hmac_sha256`],
//! which keys each HMAC once; over SHA-384, by the `hmac` and `hkdf` crates.

use alloc::boxed::Box;

use hkdf::Hkdf;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256, Sha384};
use zeroize::Zeroize;

use super::hmac_sha256::{self, KeyedHmacSha256};
use crate::crypto::{CryptoError, HashAlgorithm, HashContext, HashOutput, HkdfPrk, Secret};

/// A running SHA-256 or SHA-384 whose value can be read at any point.
#[derive(Clone)]
pub(super) enum RunningHash {
    /// SHA-256 state.
    Sha256(Sha256),
    /// SHA-384 state.
    Sha384(Sha384),
}

impl RunningHash {
    /// A hash of the empty string so far.
    pub(super) fn new(alg: HashAlgorithm) -> Self {
        match alg {
            HashAlgorithm::Sha256 => Self::Sha256(Sha256::new()),
            HashAlgorithm::Sha384 => Self::Sha384(Sha384::new()),
        }
    }
}

impl HashContext for RunningHash {
    fn algorithm(&self) -> HashAlgorithm {
        match self {
            Self::Sha256(_) => HashAlgorithm::Sha256,
            Self::Sha384(_) => HashAlgorithm::Sha384,
        }
    }

    fn update(&mut self, data: &[u8]) {
        match self {
            Self::Sha256(h) => h.update(data),
            Self::Sha384(h) => h.update(data),
        }
    }

    fn current(&self) -> HashOutput {
        // Finalizing consumes the state, so finalize a copy and keep absorbing into `self`.
        match self {
            Self::Sha256(h) => HashOutput::new(&h.clone().finalize()),
            Self::Sha384(h) => HashOutput::new(&h.clone().finalize()),
        }
    }

    fn fork(&self) -> Box<dyn HashContext> {
        Box::new(self.clone())
    }
}

/// `HMAC-alg(key, data[0] || data[1] || ...)` (RFC 2104).
pub(super) fn hmac(alg: HashAlgorithm, key: &[u8], data: &[&[u8]]) -> HashOutput {
    // Callers compare the value through `Secret::ct_eq` or an equivalent (RFC 9846 §4.5.3
    // Finished, §4.3.11 binders).
    match alg {
        HashAlgorithm::Sha256 => {
            let mut out = KeyedHmacSha256::new(key).mac(data);
            let value = HashOutput::new(&out);
            out.zeroize();
            value
        }
        HashAlgorithm::Sha384 => {
            let mut out = hmac_sha384(key, data);
            let value = HashOutput::new(&out);
            out.zeroize();
            value
        }
    }
}

/// HMAC-SHA-384 through the `hmac` crate.
fn hmac_sha384(key: &[u8], data: &[&[u8]]) -> [u8; 48] {
    // RFC 2104 §2: keys of any length are allowed (longer ones are hashed first), so the
    // crate's length check cannot fail; `expect` states that invariant rather than hiding it.
    let mut mac =
        <Hmac<Sha384> as KeyInit>::new_from_slice(key).expect("HMAC accepts keys of any length");
    for piece in data {
        mac.update(piece);
    }
    mac.finalize().into_bytes().into()
}

/// HKDF-Extract(salt, IKM) = HMAC-Hash(salt, IKM) (RFC 5869 §2.2).
pub(super) fn hkdf_extract(alg: HashAlgorithm, salt: &[u8], ikm: &[u8]) -> Secret {
    // The HMAC itself, not `Hkdf::extract`, which also keys an HMAC with the PRK for an
    // expansion that would not happen here.
    let mut prk = match alg {
        HashAlgorithm::Sha256 => {
            let mut out = [0u8; 48];
            out[..32].copy_from_slice(&KeyedHmacSha256::new(salt).mac(&[ikm]));
            out
        }
        HashAlgorithm::Sha384 => hmac_sha384(salt, &[ikm]),
    };
    let secret = Secret::new(&prk[..alg.output_len()]);
    prk.zeroize();
    secret
}

/// `HKDF-Expand(PRK, info[0] || info[1] || ..., L = out.len())` (RFC 5869 §2.3).
///
/// Fails with [`CryptoError::InvalidKey`] if `prk` is shorter than the hash output (RFC 5869
/// §2.3: "PRK: a pseudorandom key of at least HashLen octets") and with
/// [`CryptoError::BadLength`] if `L` exceeds 255 × HashLen.
pub(super) fn hkdf_expand(
    alg: HashAlgorithm,
    prk: &[u8],
    info: &[&[u8]],
    out: &mut [u8],
) -> Result<(), CryptoError> {
    check_prk_length(alg, prk)?;
    match alg {
        HashAlgorithm::Sha256 => KeyedHmacSha256::new(prk).expand(info, out),
        HashAlgorithm::Sha384 => Sha384Prk::new(prk)?.expand(info, out),
    }
}

/// A PRK keyed into HMAC once, for several HKDF-Expand calls ([`HkdfPrk`]); the same
/// failures as [`hkdf_expand`].
pub(super) fn hkdf_prk(alg: HashAlgorithm, prk: &[u8]) -> Result<Box<dyn HkdfPrk>, CryptoError> {
    check_prk_length(alg, prk)?;
    Ok(match alg {
        HashAlgorithm::Sha256 => Box::new(KeyedHmacSha256::new(prk)),
        HashAlgorithm::Sha384 => Box::new(Sha384Prk::new(prk)?),
    })
}

/// RFC 5869 §2.3: "PRK: a pseudorandom key of at least HashLen octets".
fn check_prk_length(alg: HashAlgorithm, prk: &[u8]) -> Result<(), CryptoError> {
    if prk.len() < alg.output_len() {
        return Err(CryptoError::InvalidKey);
    }
    Ok(())
}

impl HkdfPrk for KeyedHmacSha256 {
    fn expand(&self, info: &[&[u8]], out: &mut [u8]) -> Result<(), CryptoError> {
        if out.len() > 255 * hmac_sha256::OUTPUT_LEN {
            return Err(CryptoError::BadLength);
        }
        self.expand_unchecked(info, out);
        Ok(())
    }
}

/// An HKDF-SHA-384 PRK, keyed by the `hkdf` crate (its SHA-384 states are zeroized on
/// drop, through sha2's `zeroize` feature).
struct Sha384Prk(Hkdf<Sha384>);

impl Sha384Prk {
    fn new(prk: &[u8]) -> Result<Self, CryptoError> {
        Hkdf::<Sha384>::from_prk(prk)
            .map(Self)
            .map_err(|_| CryptoError::InvalidKey)
    }
}

impl HkdfPrk for Sha384Prk {
    fn expand(&self, info: &[&[u8]], out: &mut [u8]) -> Result<(), CryptoError> {
        self.0
            .expand_multi_info(info, out)
            .map_err(|_| CryptoError::BadLength)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::hex;

    #[test]
    fn test_running_hash_reads_prefix_and_keeps_going() {
        // SHA-256("abc") and SHA-256("abcdef"), FIPS 180-4 style known answers.
        let mut h = RunningHash::new(HashAlgorithm::Sha256);
        h.update(b"abc");
        let forked = h.fork();
        assert_eq!(
            h.current().as_bytes(),
            hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        );
        h.update(b"def");
        assert_eq!(
            h.current().as_bytes(),
            hex("bef57ec7f53a6d40beb640a780a639c83bc29ac8a9816f1fc6c5c6dcd93c4721")
        );
        // The fork taken after "abc" did not see "def".
        assert_eq!(forked.current().as_bytes()[..4], [0xba, 0x78, 0x16, 0xbf]);
        assert_eq!(h.algorithm(), HashAlgorithm::Sha256);
    }

    #[test]
    fn test_sha384_empty() {
        let h = RunningHash::new(HashAlgorithm::Sha384);
        assert_eq!(
            h.current().as_bytes(),
            hex(concat!(
                "38b060a751ac96384cd9327eb1b1e36a21fdb71114be0743",
                "4c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b"
            ))
        );
    }

    #[test]
    fn test_rfc5869_case_1() {
        // RFC 5869 Appendix A.1, SHA-256.
        let ikm = [0x0b; 22];
        let salt = hex("000102030405060708090a0b0c");
        let info = hex("f0f1f2f3f4f5f6f7f8f9");
        let prk = hkdf_extract(HashAlgorithm::Sha256, &salt, &ikm);
        assert_eq!(
            prk.as_bytes(),
            hex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5")
        );
        let mut okm = [0u8; 42];
        // info split in two pieces must equal info in one.
        hkdf_expand(
            HashAlgorithm::Sha256,
            prk.as_bytes(),
            &[&info[..3], &info[3..]],
            &mut okm,
        )
        .unwrap();
        assert_eq!(
            okm.to_vec(),
            hex(concat!(
                "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf",
                "34007208d5b887185865"
            ))
        );
    }

    #[test]
    fn test_hkdf_expand_limits() {
        let prk = [7u8; 32];
        let mut too_long = alloc::vec![0u8; 255 * 32 + 1];
        assert_eq!(
            hkdf_expand(HashAlgorithm::Sha256, &prk, &[], &mut too_long),
            Err(CryptoError::BadLength)
        );
        let mut max = alloc::vec![0u8; 255 * 32];
        assert_eq!(
            hkdf_expand(HashAlgorithm::Sha256, &prk, &[], &mut max),
            Ok(())
        );
        let mut out = [0u8; 16];
        assert_eq!(
            hkdf_expand(HashAlgorithm::Sha384, &prk, &[], &mut out),
            Err(CryptoError::InvalidKey),
            "a 32-byte PRK is too short for SHA-384"
        );
    }

    #[test]
    fn test_hmac_rfc4231_case_2() {
        // RFC 4231 §4.3: key "Jefe", data "what do ya want for nothing?".
        let out = hmac(
            HashAlgorithm::Sha256,
            b"Jefe",
            &[b"what do ya want ", b"for nothing?"],
        );
        assert_eq!(
            out.as_bytes(),
            hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        );
        let out = hmac(
            HashAlgorithm::Sha384,
            b"Jefe",
            &[b"what do ya want for nothing?"],
        );
        assert_eq!(
            out.as_bytes(),
            hex(concat!(
                "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47",
                "e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649"
            ))
        );
    }
}
