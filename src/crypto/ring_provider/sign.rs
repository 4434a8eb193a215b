//! CertificateVerify signatures on ring (RFC 9846 §4.5.2): loading a private key, signing,
//! and verifying a peer's signature with the public key from its certificate.
//!
//! | key (PKCS#8 DER, or PKCS#1 DER for RSA) | schemes offered, in order                   |
//! |-----------------------------------------|---------------------------------------------|
//! | EC P-256                                | `ecdsa_secp256r1_sha256`                    |
//! | EC P-384                                | `ecdsa_secp384r1_sha384`                    |
//! | RSA, rsaEncryption (2048 to 8192 bits)  | `rsa_pss_rsae_sha256`, `_sha384`, `_sha512` |
//! | RSA-PSS, id-RSASSA-PSS (2048 to 8192 bits) | `rsa_pss_pss_sha256`, `_sha384`, `_sha512`, as its parameters allow |
//! | Ed25519                                 | `ed25519`                                   |
//!
//! ring's PKCS#8 reader knows rsaEncryption only. An id-RSASSA-PSS document is unwrapped by
//! [`crate::crypto::rsassa_pss_key`] (which also reads its parameters), and the
//! `RSAPrivateKey` inside is given to ring as PKCS#1. The signature is computed the same way
//! for both RSA families; the OID only decides which schemes the key may offer (RFC 9846
//! §4.3.3).
//!
//! ECDSA nonces and RSA-PSS salts come from ring's `SystemRandom`, not the caller's
//! [`Rng`] (see [`super`]): ring's ECDSA is not deterministic, unlike the default provider's
//! RFC 6979 signatures.

use alloc::boxed::Box;
use alloc::vec;
use alloc::vec::Vec;

use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, Ed25519KeyPair, RsaKeyPair};

use crate::crypto::rsassa_pss_key;
use crate::crypto::{CryptoError, Rng, SigningKey};
use crate::wire::algorithms::SignatureScheme;

/// Loads a private key from PKCS#8 (EC P-256 or P-384, RSA with either OID, Ed25519) or
/// PKCS#1 (RSA, taken as rsaEncryption) DER.
pub(super) fn load(der: &[u8]) -> Result<Box<dyn SigningKey>, CryptoError> {
    let rng = SystemRandom::new();
    if let Ok(key) = EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P256_SHA256_ASN1_SIGNING, der, &rng)
    {
        return Ok(Box::new(PrivateKey::Ecdsa(key, ECDSA_P256)));
    }
    if let Ok(key) = EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P384_SHA384_ASN1_SIGNING, der, &rng)
    {
        return Ok(Box::new(PrivateKey::Ecdsa(key, ECDSA_P384)));
    }
    if let Ok(key) = Ed25519KeyPair::from_pkcs8_maybe_unchecked(der) {
        return Ok(Box::new(PrivateKey::Ed25519(key)));
    }
    // An id-RSASSA-PSS key (which ring's PKCS#8 reader refuses): its RSAPrivateKey as PKCS#1.
    if let Ok(pss) = rsassa_pss_key::decode(der) {
        let key = RsaKeyPair::from_der(pss.rsa_private_key).map_err(|_| CryptoError::InvalidKey)?;
        return Ok(Box::new(PrivateKey::rsa(key, &pss.schemes)));
    }
    if let Ok(key) = RsaKeyPair::from_pkcs8(der).or_else(|_| RsaKeyPair::from_der(der)) {
        return Ok(Box::new(PrivateKey::rsa(key, RSAE_SCHEMES)));
    }
    Err(CryptoError::InvalidKey)
}

/// A loaded private key.
enum PrivateKey {
    /// ECDSA, with the one scheme its curve signs.
    Ecdsa(EcdsaKeyPair, &'static [SignatureScheme]),
    Ed25519(Ed25519KeyPair),
    /// RSA, with the RSA-PSS schemes of its family (rsae or pss) that it offers.
    Rsa {
        key: RsaKeyPair,
        schemes: Vec<SignatureScheme>,
    },
}

const ECDSA_P256: &[SignatureScheme] = &[SignatureScheme::EcdsaSecp256r1Sha256];
const ECDSA_P384: &[SignatureScheme] = &[SignatureScheme::EcdsaSecp384r1Sha384];
const ED25519: &[SignatureScheme] = &[SignatureScheme::Ed25519];
const RSAE_SCHEMES: &[SignatureScheme] = &[
    SignatureScheme::RsaPssRsaeSha256,
    SignatureScheme::RsaPssRsaeSha384,
    SignatureScheme::RsaPssRsaeSha512,
];

impl PrivateKey {
    /// An RSA key offering those of `candidates` its modulus can carry (ring's 2048-bit
    /// minimum carries all three hashes).
    fn rsa(key: RsaKeyPair, candidates: &[SignatureScheme]) -> Self {
        let modulus_bits = key.public().modulus_len() * 8;
        let schemes = rsassa_pss_key::schemes_fitting_modulus(candidates, modulus_bits);
        Self::Rsa { key, schemes }
    }
}

impl SigningKey for PrivateKey {
    fn schemes(&self) -> &[SignatureScheme] {
        match self {
            Self::Ecdsa(_, schemes) => schemes,
            Self::Ed25519(_) => ED25519,
            Self::Rsa { schemes, .. } => schemes,
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
            Self::Ecdsa(key, _) => key
                .sign(&rng, message)
                .map(|s| s.as_ref().to_vec())
                .map_err(|_| CryptoError::RngFailure),
            Self::Ed25519(key) => Ok(key.sign(message).as_ref().to_vec()),
            Self::Rsa { key, .. } => {
                // RFC 9846 §4.3.3: RSASSA-PSS with the salt as long as the digest, which is
                // what ring's RSA_PSS_* encodings use; both families compute the same.
                use SignatureScheme as S;
                let padding: &'static dyn signature::RsaEncoding = match scheme {
                    S::RsaPssRsaeSha256 | S::RsaPssPssSha256 => &signature::RSA_PSS_SHA256,
                    S::RsaPssRsaeSha384 | S::RsaPssPssSha384 => &signature::RSA_PSS_SHA384,
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

/// The schemes [`verify`] computes: every TLS 1.3 scheme but P-521, Ed448 and SHA-1.
pub(super) const SCHEMES: &[SignatureScheme] = &[
    SignatureScheme::EcdsaSecp256r1Sha256,
    SignatureScheme::EcdsaSecp384r1Sha384,
    SignatureScheme::Ed25519,
    SignatureScheme::RsaPssRsaeSha256,
    SignatureScheme::RsaPssRsaeSha384,
    SignatureScheme::RsaPssRsaeSha512,
    SignatureScheme::RsaPssPssSha256,
    SignatureScheme::RsaPssPssSha384,
    SignatureScheme::RsaPssPssSha512,
    SignatureScheme::RsaPkcs1Sha256,
    SignatureScheme::RsaPkcs1Sha384,
    SignatureScheme::RsaPkcs1Sha512,
];

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

        let (der, public) = ecdsa_pkcs8(&signature::ECDSA_P256_SHA256_ASN1_SIGNING);
        let key = load(&der).unwrap();
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

    /// A fresh ECDSA PKCS#8 document from ring, and its public key (SEC1 point).
    fn ecdsa_pkcs8(alg: &'static signature::EcdsaSigningAlgorithm) -> (Vec<u8>, Vec<u8>) {
        let rng = SystemRandom::new();
        let der = EcdsaKeyPair::generate_pkcs8(alg, &rng).unwrap();
        let pair = EcdsaKeyPair::from_pkcs8(alg, der.as_ref(), &rng).unwrap();
        (der.as_ref().to_vec(), pair.public_key().as_ref().to_vec())
    }

    /// This provider must not draw from the caller's RNG.
    struct NoRng;

    impl Rng for NoRng {
        fn fill(&mut self, _: &mut [u8]) -> Result<(), CryptoError> {
            panic!("the ring provider drew from the caller's RNG")
        }
    }

    #[test]
    fn test_ecdsa_p384_sign_then_verify() {
        let (der, public) = ecdsa_pkcs8(&signature::ECDSA_P384_SHA384_ASN1_SIGNING);
        let key = load(&der).unwrap();
        assert_eq!(key.schemes(), ECDSA_P384);
        let sig = key
            .sign(S::EcdsaSecp384r1Sha384, b"cv", &mut NoRng)
            .unwrap();
        verify(S::EcdsaSecp384r1Sha384, &public, b"cv", &sig).unwrap();
        assert_eq!(
            verify(S::EcdsaSecp256r1Sha256, &public, b"cv", &sig),
            Err(CryptoError::BadSignature)
        );
    }

    #[test]
    fn test_rsassa_pss_key_signs_pss_schemes_only() {
        // tools/make_rsa_pss_pki.sh: an id-RSASSA-PSS key without parameters, its
        // certificate, and a key restricted to SHA-256 by its parameters.
        let der = include_bytes!("../../../tests/fixtures/rsa_pss/server.key.der");
        let cert = include_bytes!("../../../tests/fixtures/rsa_pss/server.der");
        let public = crate::connection::cert_verify::EndEntityKey::from_certificate(cert)
            .unwrap()
            .public_key;
        let key = load(der).unwrap();
        let pss = [S::RsaPssPssSha256, S::RsaPssPssSha384, S::RsaPssPssSha512];
        assert_eq!(key.schemes(), pss);
        for scheme in pss {
            let sig = key.sign(scheme, b"cv", &mut NoRng).unwrap();
            verify(scheme, &public, b"cv", &sig).unwrap();
        }
        assert_eq!(
            key.sign(S::RsaPssRsaeSha256, b"cv", &mut NoRng).err(),
            Some(CryptoError::Unsupported)
        );
        let restricted = include_bytes!("../../../tests/fixtures/rsa_pss/client.key.der");
        assert_eq!(load(restricted).unwrap().schemes(), [S::RsaPssPssSha256]);
    }
}
