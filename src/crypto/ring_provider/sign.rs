//! CertificateVerify signatures on ring (RFC 9846 §4.5.2): loading a private key, signing,
//! and verifying a peer's signature with the public key from its certificate.
//!
//! | key (PKCS#8 DER, or PKCS#1 DER for RSA) | schemes offered, in order                   |
//! |-----------------------------------------|---------------------------------------------|
//! | EC P-256                                | `ecdsa_secp256r1_sha256`                    |
//! | RSA (2048 to 8192 bits)                 | `rsa_pss_rsae_sha256`, `_sha384`, `_sha512` |
//! | Ed25519                                 | `ed25519`                                   |
//!
//! ECDSA nonces and RSA-PSS salts come from ring's `SystemRandom`, not the caller's
//! [`Rng`] (see [`super`]).

use alloc::boxed::Box;
use alloc::vec;
use alloc::vec::Vec;

use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, Ed25519KeyPair, RsaKeyPair};

use crate::crypto::{CryptoError, Rng, SigningKey};
use crate::wire::algorithms::SignatureScheme;

/// Loads a private key from PKCS#8 (EC P-256, RSA, Ed25519) or PKCS#1 (RSA) DER.
pub(super) fn load(der: &[u8]) -> Result<Box<dyn SigningKey>, CryptoError> {
    let rng = SystemRandom::new();
    if let Ok(key) = EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P256_SHA256_ASN1_SIGNING, der, &rng)
    {
        return Ok(Box::new(PrivateKey::EcdsaP256(key)));
    }
    if let Ok(key) = Ed25519KeyPair::from_pkcs8_maybe_unchecked(der) {
        return Ok(Box::new(PrivateKey::Ed25519(key)));
    }
    if let Ok(key) = RsaKeyPair::from_pkcs8(der).or_else(|_| RsaKeyPair::from_der(der)) {
        return Ok(Box::new(PrivateKey::Rsa(key)));
    }
    Err(CryptoError::InvalidKey)
}

/// A loaded private key.
enum PrivateKey {
    EcdsaP256(EcdsaKeyPair),
    Ed25519(Ed25519KeyPair),
    Rsa(RsaKeyPair),
}

const ECDSA_P256: &[SignatureScheme] = &[SignatureScheme::EcdsaSecp256r1Sha256];
const ED25519: &[SignatureScheme] = &[SignatureScheme::Ed25519];
const RSA_PSS: &[SignatureScheme] = &[
    SignatureScheme::RsaPssRsaeSha256,
    SignatureScheme::RsaPssRsaeSha384,
    SignatureScheme::RsaPssRsaeSha512,
];

impl SigningKey for PrivateKey {
    fn schemes(&self) -> &[SignatureScheme] {
        match self {
            Self::EcdsaP256(_) => ECDSA_P256,
            Self::Ed25519(_) => ED25519,
            Self::Rsa(_) => RSA_PSS,
        }
    }

    fn sign(
        &self,
        scheme: SignatureScheme,
        message: &[u8],
        _rng: &mut dyn Rng,
    ) -> Result<Vec<u8>, CryptoError> {
        if !self.schemes().contains(&scheme) {
            return Err(CryptoError::Unsupported);
        }
        let rng = SystemRandom::new();
        match self {
            Self::EcdsaP256(key) => key
                .sign(&rng, message)
                .map(|s| s.as_ref().to_vec())
                .map_err(|_| CryptoError::RngFailure),
            Self::Ed25519(key) => Ok(key.sign(message).as_ref().to_vec()),
            Self::Rsa(key) => {
                // RFC 9846 §4.3.3: RSASSA-PSS with the salt as long as the digest, which is
                // what ring's RSA_PSS_* encodings use.
                let padding: &'static dyn signature::RsaEncoding = match scheme {
                    SignatureScheme::RsaPssRsaeSha256 => &signature::RSA_PSS_SHA256,
                    SignatureScheme::RsaPssRsaeSha384 => &signature::RSA_PSS_SHA384,
                    _ => &signature::RSA_PSS_SHA512,
                };
                let mut out = vec![0u8; key.public().modulus_len()];
                key.sign(padding, &rng, message, &mut out)
                    .map_err(|_| CryptoError::RngFailure)?;
                Ok(out)
            }
        }
    }
}

/// Verifies `signature` over `message` under `public_key` (the certificate's
/// `subjectPublicKey`: an RSAPublicKey DER, a SEC1 point, or 32 Ed25519 bytes).
pub(super) fn verify(
    scheme: SignatureScheme,
    public_key: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<(), CryptoError> {
    use SignatureScheme as S;
    let algorithm: &'static dyn signature::VerificationAlgorithm = match scheme {
        S::EcdsaSecp256r1Sha256 => &signature::ECDSA_P256_SHA256_ASN1,
        S::EcdsaSecp384r1Sha384 => &signature::ECDSA_P384_SHA384_ASN1,
        S::RsaPssRsaeSha256 | S::RsaPssPssSha256 => &signature::RSA_PSS_2048_8192_SHA256,
        S::RsaPssRsaeSha384 | S::RsaPssPssSha384 => &signature::RSA_PSS_2048_8192_SHA384,
        S::RsaPssRsaeSha512 | S::RsaPssPssSha512 => &signature::RSA_PSS_2048_8192_SHA512,
        S::RsaPkcs1Sha256 => &signature::RSA_PKCS1_2048_8192_SHA256,
        S::RsaPkcs1Sha384 => &signature::RSA_PKCS1_2048_8192_SHA384,
        S::RsaPkcs1Sha512 => &signature::RSA_PKCS1_2048_8192_SHA512,
        S::Ed25519 => &signature::ED25519,
        S::EcdsaSecp521r1Sha512 | S::Ed448 | S::RsaPkcs1Sha1 | S::EcdsaSha1 | S::Unknown(_) => {
            return Err(CryptoError::Unsupported);
        }
    };
    // ring does not tell a malformed key from a wrong signature; both are a bad signature
    // (→ decrypt_error, RFC 9846 §4.5.2).
    signature::UnparsedPublicKey::new(algorithm, public_key)
        .verify(message, signature)
        .map_err(|_| CryptoError::BadSignature)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ring::signature::KeyPair;

    /// A fresh Ed25519 PKCS#8 document from ring.
    fn ed25519_pkcs8() -> Vec<u8> {
        Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
            .unwrap()
            .as_ref()
            .to_vec()
    }

    #[test]
    fn test_ed25519_and_ecdsa_sign_then_verify() {
        let der = ed25519_pkcs8();
        let public = Ed25519KeyPair::from_pkcs8(&der)
            .unwrap()
            .public_key()
            .as_ref()
            .to_vec();
        let key = load(&der).unwrap();
        assert_eq!(key.schemes(), ED25519);
        let mut no_rng = NoRng;
        let sig = key.sign(S::Ed25519, b"cv content", &mut no_rng).unwrap();
        verify(S::Ed25519, &public, b"cv content", &sig).unwrap();
        assert_eq!(
            verify(S::Ed25519, &public, b"other content", &sig),
            Err(CryptoError::BadSignature)
        );

        let rng = SystemRandom::new();
        let alg = &signature::ECDSA_P256_SHA256_ASN1_SIGNING;
        let der = EcdsaKeyPair::generate_pkcs8(alg, &rng).unwrap();
        let public = EcdsaKeyPair::from_pkcs8(alg, der.as_ref(), &rng)
            .unwrap()
            .public_key()
            .as_ref()
            .to_vec();
        let key = load(der.as_ref()).unwrap();
        let sig = key
            .sign(S::EcdsaSecp256r1Sha256, b"cv", &mut no_rng)
            .unwrap();
        verify(S::EcdsaSecp256r1Sha256, &public, b"cv", &sig).unwrap();
        assert_eq!(
            key.sign(S::Ed25519, b"cv", &mut no_rng).err(),
            Some(CryptoError::Unsupported)
        );
        assert_eq!(load(b"not a key").err(), Some(CryptoError::InvalidKey));
    }

    use SignatureScheme as S;

    /// This provider must not draw from the caller's RNG.
    struct NoRng;

    impl Rng for NoRng {
        fn fill(&mut self, _: &mut [u8]) -> Result<(), CryptoError> {
            panic!("the ring provider drew from the caller's RNG")
        }
    }
}
