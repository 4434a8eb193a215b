//! Record protection on ring's AEADs (RFC 9846 §5.2): AES-128-GCM, AES-256-GCM and
//! ChaCha20-Poly1305, sealed and opened in place with the tag kept apart, as the record
//! layer asks. ring wipes nothing on drop; its key schedules live inside `LessSafeKey`.

use ring::aead::{self, Aad, LessSafeKey, Nonce, Tag, UnboundKey};

use crate::crypto::{AEAD_NONCE_LEN, AEAD_TAG_LEN, Aead, AeadAlgorithm, CryptoError};
use crate::wire::algorithms::CipherSuite;

/// The suites whose AEAD this module computes: all three of TLS 1.3's GCM and ChaCha suites.
pub(super) const SUITES: &[CipherSuite] = &[
    CipherSuite::TLS_AES_128_GCM_SHA256,
    CipherSuite::TLS_AES_256_GCM_SHA384,
    CipherSuite::TLS_CHACHA20_POLY1305_SHA256,
];

/// One keyed AEAD, for one direction and epoch.
pub(super) struct AeadKey {
    alg: AeadAlgorithm,
    key: LessSafeKey,
}

impl AeadKey {
    /// Keys `alg` with `key` ([`CryptoError::InvalidKey`] if its length is wrong).
    pub(super) fn new(alg: AeadAlgorithm, key: &[u8]) -> Result<Self, CryptoError> {
        let algorithm = match alg {
            AeadAlgorithm::Aes128Gcm => &aead::AES_128_GCM,
            AeadAlgorithm::Aes256Gcm => &aead::AES_256_GCM,
            AeadAlgorithm::ChaCha20Poly1305 => &aead::CHACHA20_POLY1305,
        };
        let unbound = UnboundKey::new(algorithm, key).map_err(|_| CryptoError::InvalidKey)?;
        Ok(Self {
            alg,
            key: LessSafeKey::new(unbound),
        })
    }
}

impl Aead for AeadKey {
    fn algorithm(&self) -> AeadAlgorithm {
        self.alg
    }

    fn seal_in_place(
        &self,
        nonce: &[u8; AEAD_NONCE_LEN],
        aad: &[u8],
        in_out: &mut [u8],
    ) -> Result<[u8; AEAD_TAG_LEN], CryptoError> {
        let tag = self
            .key
            .seal_in_place_separate_tag(
                Nonce::assume_unique_for_key(*nonce),
                Aad::from(aad),
                in_out,
            )
            .map_err(|_| CryptoError::BadLength)?;
        tag.as_ref().try_into().map_err(|_| CryptoError::BadLength)
    }

    fn open_in_place(
        &self,
        nonce: &[u8; AEAD_NONCE_LEN],
        aad: &[u8],
        in_out: &mut [u8],
        tag: &[u8; AEAD_TAG_LEN],
    ) -> Result<(), CryptoError> {
        // RFC 9846 §5.2: a record that fails to decrypt ends the connection with
        // "bad_record_mac", which AeadTagMismatch maps to.
        self.key
            .open_in_place_separate_tag(
                Nonce::assume_unique_for_key(*nonce),
                Aad::from(aad),
                Tag::from(*tag),
                in_out,
                0..,
            )
            .map(|_| ())
            .map_err(|_| CryptoError::AeadTagMismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::CryptoProvider;
    use crate::crypto::rustcrypto::RustCryptoProvider;

    #[test]
    fn test_seal_matches_the_default_provider_and_opens() {
        for alg in [
            AeadAlgorithm::Aes128Gcm,
            AeadAlgorithm::Aes256Gcm,
            AeadAlgorithm::ChaCha20Poly1305,
        ] {
            let key = alloc::vec![0x5a; alg.key_len()];
            let ours = AeadKey::new(alg, &key).unwrap();
            let theirs = RustCryptoProvider.aead(alg, &key).unwrap();
            let (mut a, mut b) = (*b"record payload..", *b"record payload..");
            let tag = ours.seal_in_place(&[3; 12], b"hdr", &mut a).unwrap();
            assert_eq!(theirs.seal_in_place(&[3; 12], b"hdr", &mut b).unwrap(), tag);
            assert_eq!(a, b);
            let mut flipped = a;
            flipped[0] ^= 1;
            assert_eq!(
                ours.open_in_place(&[3; 12], b"hdr", &mut flipped, &tag),
                Err(CryptoError::AeadTagMismatch)
            );
            ours.open_in_place(&[3; 12], b"hdr", &mut a, &tag).unwrap();
            assert_eq!(&a, b"record payload..");
        }
        assert!(AeadKey::new(AeadAlgorithm::Aes128Gcm, &[0; 32]).is_err());
    }
}
