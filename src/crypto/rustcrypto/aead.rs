//! Record protection: the three AEADs of TLS 1.3's suites (RFC 9846 §5.2, §B.4).
//!
//! A record is protected as `AEAD-Encrypt(write_key, nonce, additional_data, plaintext)`,
//! where the additional data is the record header and the ciphertext carries a 16-byte tag.
//! The record layer owns the buffer: it passes the plaintext to be encrypted in place and
//! appends the tag this module returns, and on receipt passes the ciphertext and the tag
//! separately. Building the per-record nonce (§5.3) is the record layer's job, not this one's.
//!
//! Keys live inside the cipher states, which wipe themselves when dropped (the crates'
//! `zeroize` features; the `const` check below fails to compile if they are turned off).
//! Tag comparison is constant time inside the crates.
//!
//! AES-256-GCM and ChaCha20-Poly1305 are Cargo features (`aes256`, `chacha20`, both on by
//! default); without one, its suite is not in [`SUITES`] and keying it is
//! [`CryptoError::Unsupported`]. AES-128-GCM is always here.
//!
//! Not here: AES-CCM and AES-CCM-8 (`TLS_AES_128_CCM_SHA256`, `TLS_AES_128_CCM_8_SHA256`).

use aes_gcm::Aes128Gcm;
#[cfg(feature = "aes256")]
use aes_gcm::Aes256Gcm;
use aes_gcm::aead::consts::{U12, U16};
use aes_gcm::aead::{AeadCore, AeadInOut, KeyInit};
#[cfg(feature = "chacha20")]
use chacha20poly1305::ChaCha20Poly1305;

use crate::crypto::{AEAD_NONCE_LEN, AEAD_TAG_LEN, Aead, AeadAlgorithm, CryptoError};
use crate::wire::algorithms::CipherSuite;

/// The suites whose AEAD this module computes, in preference order.
pub(super) const SUITES: &[CipherSuite] = &[
    CipherSuite::TLS_AES_128_GCM_SHA256,
    #[cfg(feature = "aes256")]
    CipherSuite::TLS_AES_256_GCM_SHA384,
    #[cfg(feature = "chacha20")]
    CipherSuite::TLS_CHACHA20_POLY1305_SHA256,
];

/// One keyed AEAD, for one direction and epoch.
#[allow(
    clippy::large_enum_variant,
    reason = "always boxed as a `dyn Aead`; AES-GCM keeps its expanded key schedule inline"
)]
pub(super) enum AeadKey {
    /// AES-128-GCM (`TLS_AES_128_GCM_SHA256`).
    Aes128Gcm(Aes128Gcm),
    /// AES-256-GCM (`TLS_AES_256_GCM_SHA384`).
    #[cfg(feature = "aes256")]
    Aes256Gcm(Aes256Gcm),
    /// ChaCha20-Poly1305 (`TLS_CHACHA20_POLY1305_SHA256`, RFC 8439).
    #[cfg(feature = "chacha20")]
    ChaCha20Poly1305(ChaCha20Poly1305),
}

// Compile-time proof that every cipher state is wiped on drop.
const _: fn() = || {
    fn wiped_on_drop<T: zeroize::ZeroizeOnDrop>() {}
    wiped_on_drop::<Aes128Gcm>();
    #[cfg(feature = "aes256")]
    wiped_on_drop::<Aes256Gcm>();
    #[cfg(feature = "chacha20")]
    wiped_on_drop::<ChaCha20Poly1305>();
};

impl AeadKey {
    /// Keys `alg` with `key`, which must be exactly `alg.key_len()` bytes
    /// ([`CryptoError::InvalidKey`] otherwise); [`CryptoError::Unsupported`] if its Cargo
    /// feature is off.
    pub(super) fn new(alg: AeadAlgorithm, key: &[u8]) -> Result<Self, CryptoError> {
        let bad_key = |_| CryptoError::InvalidKey;
        Ok(match alg {
            AeadAlgorithm::Aes128Gcm => {
                Self::Aes128Gcm(Aes128Gcm::new_from_slice(key).map_err(bad_key)?)
            }
            #[cfg(feature = "aes256")]
            AeadAlgorithm::Aes256Gcm => {
                Self::Aes256Gcm(Aes256Gcm::new_from_slice(key).map_err(bad_key)?)
            }
            #[cfg(feature = "chacha20")]
            AeadAlgorithm::ChaCha20Poly1305 => {
                Self::ChaCha20Poly1305(ChaCha20Poly1305::new_from_slice(key).map_err(bad_key)?)
            }
            #[allow(unreachable_patterns, reason = "reached when a family is compiled out")]
            _ => return Err(CryptoError::Unsupported),
        })
    }
}

impl Aead for AeadKey {
    fn algorithm(&self) -> AeadAlgorithm {
        match self {
            Self::Aes128Gcm(_) => AeadAlgorithm::Aes128Gcm,
            #[cfg(feature = "aes256")]
            Self::Aes256Gcm(_) => AeadAlgorithm::Aes256Gcm,
            #[cfg(feature = "chacha20")]
            Self::ChaCha20Poly1305(_) => AeadAlgorithm::ChaCha20Poly1305,
        }
    }

    fn seal_in_place(
        &self,
        nonce: &[u8; AEAD_NONCE_LEN],
        aad: &[u8],
        in_out: &mut [u8],
    ) -> Result<[u8; AEAD_TAG_LEN], CryptoError> {
        match self {
            Self::Aes128Gcm(c) => seal_with(c, nonce, aad, in_out),
            #[cfg(feature = "aes256")]
            Self::Aes256Gcm(c) => seal_with(c, nonce, aad, in_out),
            #[cfg(feature = "chacha20")]
            Self::ChaCha20Poly1305(c) => seal_with(c, nonce, aad, in_out),
        }
    }

    fn open_in_place(
        &self,
        nonce: &[u8; AEAD_NONCE_LEN],
        aad: &[u8],
        in_out: &mut [u8],
        tag: &[u8; AEAD_TAG_LEN],
    ) -> Result<(), CryptoError> {
        match self {
            Self::Aes128Gcm(c) => open_with(c, nonce, aad, in_out, tag),
            #[cfg(feature = "aes256")]
            Self::Aes256Gcm(c) => open_with(c, nonce, aad, in_out, tag),
            #[cfg(feature = "chacha20")]
            Self::ChaCha20Poly1305(c) => open_with(c, nonce, aad, in_out, tag),
        }
    }
}

/// The three ciphers share one shape: a 12-byte nonce and a 16-byte tag.
trait TlsAead: AeadInOut + AeadCore<NonceSize = U12, TagSize = U16> {}
impl<A: AeadInOut + AeadCore<NonceSize = U12, TagSize = U16>> TlsAead for A {}

fn seal_with<A: TlsAead>(
    cipher: &A,
    nonce: &[u8; AEAD_NONCE_LEN],
    aad: &[u8],
    in_out: &mut [u8],
) -> Result<[u8; AEAD_TAG_LEN], CryptoError> {
    // The only failure is a plaintext or AAD beyond the cipher's limit (2^36 bytes for GCM),
    // far above TLS's 2^14-byte records; report it as a length problem.
    let tag = cipher
        .encrypt_inout_detached(nonce.into(), aad, in_out.into())
        .map_err(|_| CryptoError::BadLength)?;
    Ok(tag.into())
}

fn open_with<A: TlsAead>(
    cipher: &A,
    nonce: &[u8; AEAD_NONCE_LEN],
    aad: &[u8],
    in_out: &mut [u8],
    tag: &[u8; AEAD_TAG_LEN],
) -> Result<(), CryptoError> {
    // RFC 9846 §5.2: "If the decryption fails, the receiver MUST terminate the connection
    // with a "bad_record_mac" alert." That alert is what AeadTagMismatch maps to.
    cipher
        .decrypt_inout_detached(nonce.into(), aad, in_out.into(), tag.into())
        .map_err(|_| CryptoError::AeadTagMismatch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::hex;

    #[test]
    fn test_chacha20poly1305_rfc8439_section_2_8_2() {
        // RFC 8439 §2.8.2: the "sunscreen" AEAD example.
        let key = hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
        let nonce: [u8; 12] = hex("070000004041424344454647").try_into().unwrap();
        let aad = hex("50515253c0c1c2c3c4c5c6c7");
        let mut text = b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.".to_vec();
        let aead = AeadKey::new(AeadAlgorithm::ChaCha20Poly1305, &key).unwrap();
        let tag = aead.seal_in_place(&nonce, &aad, &mut text).unwrap();
        assert_eq!(&text[..16], &hex("d31a8d34648e60db7b86afbc53ef7ec2")[..]);
        assert_eq!(tag.to_vec(), hex("1ae10b594f09e26a7e902ecbd0600691"));
        aead.open_in_place(&nonce, &aad, &mut text, &tag).unwrap();
        assert!(text.starts_with(b"Ladies and Gentlemen"));
    }

    #[test]
    fn test_aes128gcm_empty_known_answer() {
        // GCM spec test case 1: zero key, zero nonce, no plaintext, no AAD.
        let aead = AeadKey::new(AeadAlgorithm::Aes128Gcm, &[0; 16]).unwrap();
        let tag = aead.seal_in_place(&[0; 12], &[], &mut []).unwrap();
        assert_eq!(tag.to_vec(), hex("58e2fccefa7e3061367f1d57a4e7455a"));
    }

    #[test]
    fn test_wrong_key_length_is_invalid_key() {
        for (alg, len) in [
            (AeadAlgorithm::Aes128Gcm, 32),
            (AeadAlgorithm::Aes256Gcm, 16),
            (AeadAlgorithm::ChaCha20Poly1305, 31),
        ] {
            assert_eq!(
                AeadKey::new(alg, &alloc::vec![0; len]).err(),
                Some(CryptoError::InvalidKey)
            );
            let right = AeadKey::new(alg, &alloc::vec![0; alg.key_len()]).unwrap();
            assert_eq!(right.algorithm(), alg);
        }
    }

    #[test]
    fn test_tampering_is_tag_mismatch() {
        let aead = AeadKey::new(AeadAlgorithm::Aes256Gcm, &[9; 32]).unwrap();
        let nonce = [1; 12];
        let mut record = *b"application data";
        let tag = aead.seal_in_place(&nonce, b"hdr", &mut record).unwrap();
        let mut flipped = record;
        flipped[3] ^= 1;
        assert_eq!(
            aead.open_in_place(&nonce, b"hdr", &mut flipped, &tag),
            Err(CryptoError::AeadTagMismatch)
        );
        assert_eq!(
            aead.open_in_place(&nonce, b"hdX", &mut record.clone(), &tag),
            Err(CryptoError::AeadTagMismatch)
        );
        assert_eq!(
            aead.open_in_place(&[2; 12], b"hdr", &mut record.clone(), &tag),
            Err(CryptoError::AeadTagMismatch)
        );
        aead.open_in_place(&nonce, b"hdr", &mut record, &tag)
            .unwrap();
        assert_eq!(&record, b"application data");
    }
}
