//! Signature verification: the peer's CertificateVerify (RFC 9846 §4.5.2) and the
//! signatures inside its certificate chain (§4.5.1.2), under the schemes of §4.3.3.
//!
//! The public key is what a certificate's `subjectPublicKey` BIT STRING holds:
//!
//! | schemes                                    | public key                      | signature          |
//! |--------------------------------------------|---------------------------------|--------------------|
//! | `ecdsa_secp256r1_sha256`, `ecdsa_secp384r1_sha384` | SEC1 point              | DER `ECDSA-Sig-Value` |
//! | `rsa_pss_rsae_*`, `rsa_pss_pss_*`, `rsa_pkcs1_*` | DER `RSAPublicKey` (PKCS#1) | k-byte integer     |
//! | `ed25519`                                  | 32 raw bytes                    | 64 raw bytes       |
//!
//! `rsa_pkcs1_*` is here only because certificates are still signed with it; the handshake
//! layer must not accept it in CertificateVerify (§4.3.3, "not defined for use in signed TLS
//! handshake messages"). That check belongs to the caller, which knows which of the two it
//! is verifying.
//!
//! ECDSA P-256 is always here; RSA (both paddings), P-384 and Ed25519 are Cargo features
//! (`rsa`, `p384`, `ed25519`, on by default). A scheme whose feature is off is not in
//! [`SCHEMES`] and is [`CryptoError::Unsupported`], like the schemes below.
//!
//! Not here: `ecdsa_secp521r1_sha512`, `ed448`, and the SHA-1 schemes `rsa_pkcs1_sha1` and
//! `ecdsa_sha1` (→ [`CryptoError::Unsupported`]).

use p256::ecdsa::signature::Verifier;
#[cfg(feature = "rsa")]
use rsa::pkcs1::DecodeRsaPublicKey;
#[cfg(feature = "rsa")]
use sha2::{Sha256, Sha384, Sha512};

#[cfg(feature = "rsa")]
use super::Sha2;
use crate::crypto::CryptoError;
use crate::wire::algorithms::SignatureScheme;

/// The schemes [`verify`] computes, in preference order.
pub(super) const SCHEMES: &[SignatureScheme] = &[
    SignatureScheme::EcdsaSecp256r1Sha256,
    #[cfg(feature = "p384")]
    SignatureScheme::EcdsaSecp384r1Sha384,
    #[cfg(feature = "ed25519")]
    SignatureScheme::Ed25519,
    #[cfg(feature = "rsa")]
    SignatureScheme::RsaPssRsaeSha256,
    #[cfg(feature = "rsa")]
    SignatureScheme::RsaPssRsaeSha384,
    #[cfg(feature = "rsa")]
    SignatureScheme::RsaPssRsaeSha512,
    #[cfg(feature = "rsa")]
    SignatureScheme::RsaPssPssSha256,
    #[cfg(feature = "rsa")]
    SignatureScheme::RsaPssPssSha384,
    #[cfg(feature = "rsa")]
    SignatureScheme::RsaPssPssSha512,
    #[cfg(feature = "rsa")]
    SignatureScheme::RsaPkcs1Sha256,
    #[cfg(feature = "rsa")]
    SignatureScheme::RsaPkcs1Sha384,
    #[cfg(feature = "rsa")]
    SignatureScheme::RsaPkcs1Sha512,
];

/// Verifies `signature` over `message` under `public_key` with `scheme`.
///
/// A public key that does not parse is [`CryptoError::InvalidPeerKey`]; a signature that does
/// not parse or does not verify is [`CryptoError::BadSignature`].
pub(super) fn verify(
    scheme: SignatureScheme,
    public_key: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<(), CryptoError> {
    use SignatureScheme as S;
    match scheme {
        S::EcdsaSecp256r1Sha256 => ecdsa_p256(public_key, message, signature),
        #[cfg(feature = "p384")]
        S::EcdsaSecp384r1Sha384 => ecdsa_p384(public_key, message, signature),
        #[cfg(feature = "rsa")]
        S::RsaPssRsaeSha256 | S::RsaPssPssSha256 => rsa(
            RsaPadding::Pss,
            Sha2::Sha256,
            public_key,
            message,
            signature,
        ),
        #[cfg(feature = "rsa")]
        S::RsaPssRsaeSha384 | S::RsaPssPssSha384 => rsa(
            RsaPadding::Pss,
            Sha2::Sha384,
            public_key,
            message,
            signature,
        ),
        #[cfg(feature = "rsa")]
        S::RsaPssRsaeSha512 | S::RsaPssPssSha512 => rsa(
            RsaPadding::Pss,
            Sha2::Sha512,
            public_key,
            message,
            signature,
        ),
        #[cfg(feature = "rsa")]
        S::RsaPkcs1Sha256 => rsa(
            RsaPadding::Pkcs1,
            Sha2::Sha256,
            public_key,
            message,
            signature,
        ),
        #[cfg(feature = "rsa")]
        S::RsaPkcs1Sha384 => rsa(
            RsaPadding::Pkcs1,
            Sha2::Sha384,
            public_key,
            message,
            signature,
        ),
        #[cfg(feature = "rsa")]
        S::RsaPkcs1Sha512 => rsa(
            RsaPadding::Pkcs1,
            Sha2::Sha512,
            public_key,
            message,
            signature,
        ),
        #[cfg(feature = "ed25519")]
        S::Ed25519 => ed25519(public_key, message, signature),
        // Not implemented, or (with some Cargo features off) compiled out.
        _ => Err(CryptoError::Unsupported),
    }
}

fn bad_signature<E>(_: E) -> CryptoError {
    CryptoError::BadSignature
}

fn bad_key<E>(_: E) -> CryptoError {
    CryptoError::InvalidPeerKey
}

#[cfg(feature = "rsa")]
/// Parses a DER `RSAPublicKey` (RFC 8017 A.1.1). The `rsa` crate refuses moduli below 1024
/// or above 8192 bits.
fn rsa_key(public_key: &[u8]) -> Result<rsa::PublicKey, CryptoError> {
    rsa::PublicKey::from_pkcs1_der(public_key).map_err(bad_key)
}

#[cfg(feature = "rsa")]
/// The two RSA signature encodings TLS 1.3 names (RFC 9846 §4.3.3).
#[derive(Clone, Copy)]
enum RsaPadding {
    /// RSASSA-PSS (RFC 8017 §8.1) with MGF1, both hashing with the scheme's hash.
    Pss,
    /// RSASSA-PKCS1-v1_5 (RFC 8017 §8.2), for certificate signatures only.
    Pkcs1,
}

#[cfg(feature = "rsa")]
/// RSA verification with `padding` and `hash`.
///
/// RFC 9846 §4.3.3, for both the rsae and the pss families: "The length of the Salt MUST be
/// equal to the length of the output of the digest algorithm". `pss_verify` requires exactly
/// that salt length. The rsae/pss split is about the certificate's key OID, which the
/// certificate layer checks; the computation is the same.
fn rsa(
    padding: RsaPadding,
    hash: Sha2,
    public_key: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<(), CryptoError> {
    let key = rsa_key(public_key)?;
    let (m, s) = (message, signature);
    let verified = match (padding, hash) {
        (RsaPadding::Pss, Sha2::Sha256) => key.pss_verify::<Sha256>(m, s),
        (RsaPadding::Pss, Sha2::Sha384) => key.pss_verify::<Sha384>(m, s),
        (RsaPadding::Pss, Sha2::Sha512) => key.pss_verify::<Sha512>(m, s),
        (RsaPadding::Pkcs1, Sha2::Sha256) => key.pkcs1v15_verify::<Sha256>(m, s),
        (RsaPadding::Pkcs1, Sha2::Sha384) => key.pkcs1v15_verify::<Sha384>(m, s),
        (RsaPadding::Pkcs1, Sha2::Sha512) => key.pkcs1v15_verify::<Sha512>(m, s),
    };
    verified.map_err(bad_signature)
}

/// ECDSA over P-256 with SHA-256. RFC 9846 §4.3.3: "The signature is represented as a
/// DER-encoded \[X690\] ECDSA-Sig-Value structure".
fn ecdsa_p256(public_key: &[u8], message: &[u8], signature: &[u8]) -> Result<(), CryptoError> {
    let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(public_key).map_err(bad_key)?;
    let signature = p256::ecdsa::DerSignature::from_bytes(signature).map_err(bad_signature)?;
    key.verify(message, &signature).map_err(bad_signature)
}

#[cfg(feature = "p384")]
/// ECDSA over P-384 with SHA-384, DER-encoded as for P-256.
fn ecdsa_p384(public_key: &[u8], message: &[u8], signature: &[u8]) -> Result<(), CryptoError> {
    let key = p384::ecdsa::VerifyingKey::from_sec1_bytes(public_key).map_err(bad_key)?;
    let signature = p384::ecdsa::DerSignature::from_bytes(signature).map_err(bad_signature)?;
    key.verify(message, &signature).map_err(bad_signature)
}

#[cfg(feature = "ed25519")]
/// PureEdDSA over edwards25519 (RFC 8032 §5.1). RFC 9846 §4.3.3: "these correspond to the
/// "PureEdDSA" algorithms and not the "prehash" variants".
///
/// `verify_strict` also refuses small-order public keys and non-canonical encodings, which
/// RFC 8032 permits but no honest signer produces.
fn ed25519(public_key: &[u8], message: &[u8], signature: &[u8]) -> Result<(), CryptoError> {
    let key: &[u8; 32] = public_key.try_into().map_err(bad_key)?;
    let key = ed25519_dalek::VerifyingKey::from_bytes(key).map_err(bad_key)?;
    let signature = ed25519_dalek::Signature::from_slice(signature).map_err(bad_signature)?;
    key.verify_strict(message, &signature)
        .map_err(bad_signature)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::hex;

    #[test]
    fn test_ed25519_rfc8032_test_1() {
        // RFC 8032 §7.1 TEST 1: empty message.
        let public = hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        let signature = hex(concat!(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155",
            "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        ));
        assert_eq!(
            verify(SignatureScheme::Ed25519, &public, b"", &signature),
            Ok(())
        );
        assert_eq!(
            verify(SignatureScheme::Ed25519, &public, b"x", &signature),
            Err(CryptoError::BadSignature)
        );
        assert_eq!(
            verify(SignatureScheme::Ed25519, &public[..31], b"", &signature),
            Err(CryptoError::InvalidPeerKey)
        );
        assert_eq!(
            verify(SignatureScheme::Ed25519, &public, b"", &signature[..63]),
            Err(CryptoError::BadSignature)
        );
    }

    #[test]
    fn test_unsupported_schemes() {
        for scheme in [
            SignatureScheme::EcdsaSecp521r1Sha512,
            SignatureScheme::Ed448,
            SignatureScheme::RsaPkcs1Sha1,
            SignatureScheme::EcdsaSha1,
            SignatureScheme::Unknown(0xfe00),
        ] {
            assert_eq!(verify(scheme, &[], b"", &[]), Err(CryptoError::Unsupported));
        }
    }

    #[test]
    fn test_malformed_keys_and_signatures() {
        use SignatureScheme as S;
        for scheme in [
            S::EcdsaSecp256r1Sha256,
            S::EcdsaSecp384r1Sha384,
            S::RsaPssRsaeSha256,
            S::RsaPkcs1Sha256,
        ] {
            assert_eq!(
                verify(scheme, &[0x30, 0x00], b"m", &[0x30, 0x00]),
                Err(CryptoError::InvalidPeerKey)
            );
        }
    }
}
