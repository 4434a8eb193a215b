//! Our own CertificateVerify signatures (RFC 9846 §4.5.2): loading a private key and signing
//! the CertificateVerify content with it.
//!
//! | key (PKCS#8 DER, or PKCS#1 DER for RSA) | schemes offered, in order                         |
//! |-----------------------------------------|---------------------------------------------------|
//! | EC P-256                                | `ecdsa_secp256r1_sha256`                          |
//! | EC P-384                                | `ecdsa_secp384r1_sha384`                          |
//! | RSA (rsaEncryption, or PKCS#1)          | `rsa_pss_rsae_sha256`, `_sha384`, `_sha512` (those the modulus is large enough for) |
//! | RSA-PSS (id-RSASSA-PSS)                 | `rsa_pss_pss_sha256`, `_sha384`, `_sha512` (those its parameters allow and the modulus can carry; see [`crate::crypto::rsassa_pss_key`]) |
//! | Ed25519                                 | `ed25519`                                         |
//!
//! The two RSA rows never overlap. RFC 9846 §4.3.3 ties `rsa_pss_rsae_*` to a certificate
//! key with the rsaEncryption OID and `rsa_pss_pss_*` to one with the RSASSA-PSS OID; the
//! private key's PKCS#8 algorithm is the same OID as its certificate's, so it decides.
//!
//! Randomness, all from the caller's [`Rng`]:
//!
//! - RSA-PSS (both families) draws its salt first, exactly hash-length bytes (§4.3.3: "The
//!   length of the Salt MUST be equal to the length of the output of the digest
//!   algorithm"), then the blinding factor for the private-key operation. An [`Rng`] that
//!   returns RFC 8448's salt first therefore reproduces the RFC's signature.
//! - ECDSA (P-256 and P-384) is deterministic (RFC 6979): the nonce is derived from the key
//!   and the message, so it draws nothing, and a weak RNG cannot leak the key through
//!   repeated nonces.
//! - Ed25519 is deterministic by definition (RFC 8032).
//!
//! ECDSA P-256 keys always load; P-384, Ed25519 and RSA keys are Cargo features (`p384`,
//! `ed25519`, `rsa`, on by default). With a family's feature off, a PKCS#8 key of that
//! family is [`CryptoError::Unsupported`] (a PKCS#1 RSA key, which names no algorithm, is
//! [`CryptoError::InvalidKey`]).
//!
//! Not here: RSA PKCS#1 v1.5 signing (TLS 1.3 never signs handshake messages with it,
//! §4.3.3), P-521 ECDSA and Ed448 keys, SEC1 `EC PRIVATE KEY` documents, and encrypted
//! PKCS#8.

use alloc::boxed::Box;
use alloc::vec::Vec;

use p256::ecdsa::signature::Signer;
use pkcs8::DecodePrivateKey;
#[cfg(feature = "rsa")]
use rsa::pkcs1::DecodeRsaPrivateKey;
#[cfg(feature = "rsa")]
use rsa::traits::PublicKeyParts;
#[cfg(feature = "rsa")]
use sha2::{Sha256, Sha384, Sha512};

#[cfg(feature = "rsa")]
use super::Sha2;
#[cfg(feature = "rsa")]
use crate::crypto::rsassa_pss_key;
use crate::crypto::{CryptoError, Rng, SigningKey};
use crate::wire::algorithms::SignatureScheme;

/// Loads a private key from PKCS#8 DER (EC P-256 or P-384, RSA with either OID, or
/// Ed25519), or from PKCS#1 DER (`RSAPrivateKey`, RFC 8017 A.1.2, taken as rsaEncryption).
/// Anything else is [`CryptoError::InvalidKey`].
///
/// Each decoder checks the PKCS#8 algorithm identifier (and, for EC, the named curve), so
/// trying them in turn picks the one that matches.
pub(super) fn load(der: &[u8]) -> Result<Box<dyn SigningKey>, CryptoError> {
    if let Ok(key) = p256::ecdsa::SigningKey::from_pkcs8_der(der) {
        return Ok(Box::new(PrivateKey::EcdsaP256(key)));
    }
    #[cfg(feature = "p384")]
    if let Ok(key) = p384::ecdsa::SigningKey::from_pkcs8_der(der) {
        return Ok(Box::new(PrivateKey::EcdsaP384(key)));
    }
    #[cfg(feature = "ed25519")]
    if let Ok(key) = ed25519_dalek::SigningKey::from_pkcs8_der(der) {
        return Ok(Box::new(PrivateKey::Ed25519(key)));
    }
    #[cfg(feature = "rsa")]
    if let Some(key) = load_rsa(der)? {
        return Ok(key);
    }
    if family_compiled_out(der) {
        return Err(CryptoError::Unsupported);
    }
    Err(CryptoError::InvalidKey)
}

/// Whether `der` is a PKCS#8 key of a family this build leaves out (Cargo features): such a
/// key is unsupported here, not invalid.
fn family_compiled_out(der: &[u8]) -> bool {
    use pkcs8::der::Decode;
    use pkcs8::der::asn1::ObjectIdentifier as Oid;
    const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
    const ED25519: Oid = Oid::new_unwrap("1.3.101.112");
    const EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
    const SECP384R1: Oid = Oid::new_unwrap("1.3.132.0.34");
    let Ok(info) = pkcs8::PrivateKeyInfoRef::from_der(der) else {
        return false;
    };
    let (oid, curve) = (info.algorithm.oid, info.algorithm.parameters_oid().ok());
    let rsa = oid == RSA_ENCRYPTION || oid == crate::crypto::rsassa_pss_key::ID_RSASSA_PSS;
    (rsa && cfg!(not(feature = "rsa")))
        || (oid == ED25519 && cfg!(not(feature = "ed25519")))
        || (oid == EC_PUBLIC_KEY && curve == Some(SECP384R1) && cfg!(not(feature = "p384")))
}

/// An RSA key from `der` (either OID, PKCS#8 or PKCS#1), `None` if it is not one.
#[cfg(feature = "rsa")]
fn load_rsa(der: &[u8]) -> Result<Option<Box<dyn SigningKey>>, CryptoError> {
    // An id-RSASSA-PSS key first: the `rsa` crate's PKCS#8 decoder accepts that OID as
    // well as rsaEncryption, and would load it as an rsae key. Its RSAPrivateKey is loaded
    // as PKCS#1, with the schemes its parameters allow.
    if let Ok(pss) = rsassa_pss_key::decode(der) {
        let key = rsa::PrivateKey::from_pkcs1_der(pss.rsa_private_key)
            .map_err(|_| CryptoError::InvalidKey)?;
        return Ok(Some(Box::new(PrivateKey::rsa(key, &pss.schemes))));
    }
    if let Ok(key) = rsa::PrivateKey::from_pkcs8_der(der) {
        return Ok(Some(Box::new(PrivateKey::rsa(key, RSAE_SCHEMES))));
    }
    if let Ok(key) = rsa::PrivateKey::from_pkcs1_der(der) {
        return Ok(Some(Box::new(PrivateKey::rsa(key, RSAE_SCHEMES))));
    }
    Ok(None)
}

#[cfg(feature = "rsa")]
/// The schemes of an rsaEncryption key (RFC 9846 §4.3.3), before the modulus is considered.
const RSAE_SCHEMES: &[SignatureScheme] = &[
    SignatureScheme::RsaPssRsaeSha256,
    SignatureScheme::RsaPssRsaeSha384,
    SignatureScheme::RsaPssRsaeSha512,
];

/// A loaded private key. Every key type wipes itself when dropped (checked below).
enum PrivateKey {
    /// An ECDSA P-256 key: `ecdsa_secp256r1_sha256`.
    EcdsaP256(p256::ecdsa::SigningKey),
    /// An ECDSA P-384 key: `ecdsa_secp384r1_sha384`.
    #[cfg(feature = "p384")]
    EcdsaP384(p384::ecdsa::SigningKey),
    /// An Ed25519 key: `ed25519`.
    #[cfg(feature = "ed25519")]
    Ed25519(ed25519_dalek::SigningKey),
    /// An RSA key: the `rsa_pss_rsae_*` schemes (rsaEncryption) or the `rsa_pss_pss_*`
    /// schemes (id-RSASSA-PSS) that its modulus can carry.
    #[cfg(feature = "rsa")]
    Rsa {
        key: rsa::PrivateKey,
        schemes: Vec<SignatureScheme>,
    },
}

// Compile-time proof that every private key type is wiped on drop.
const _: fn() = || {
    fn wiped_on_drop<T: zeroize::ZeroizeOnDrop>() {}
    wiped_on_drop::<p256::ecdsa::SigningKey>();
    #[cfg(feature = "p384")]
    wiped_on_drop::<p384::ecdsa::SigningKey>();
    #[cfg(feature = "ed25519")]
    wiped_on_drop::<ed25519_dalek::SigningKey>();
    #[cfg(feature = "rsa")]
    wiped_on_drop::<rsa::PrivateKey>();
};

#[cfg(feature = "rsa")]
impl PrivateKey {
    /// An RSA key offering those of `candidates` (all RSA-PSS schemes of one family) that
    /// its modulus can carry.
    fn rsa(key: rsa::PrivateKey, candidates: &[SignatureScheme]) -> Self {
        let mod_bits = key.n().bit_width() as usize;
        let schemes = rsassa_pss_key::schemes_fitting_modulus(candidates, mod_bits);
        Self::Rsa { key, schemes }
    }
}

impl SigningKey for PrivateKey {
    fn schemes(&self) -> &[SignatureScheme] {
        match self {
            Self::EcdsaP256(_) => &[SignatureScheme::EcdsaSecp256r1Sha256],
            #[cfg(feature = "p384")]
            Self::EcdsaP384(_) => &[SignatureScheme::EcdsaSecp384r1Sha384],
            #[cfg(feature = "ed25519")]
            Self::Ed25519(_) => &[SignatureScheme::Ed25519],
            #[cfg(feature = "rsa")]
            Self::Rsa { schemes, .. } => schemes,
        }
    }

    fn sign(
        &self,
        scheme: SignatureScheme,
        message: &[u8],
        rng: &mut dyn Rng,
    ) -> Result<Vec<u8>, CryptoError> {
        if !self.schemes().contains(&scheme) {
            return Err(CryptoError::Unsupported);
        }
        // Only RSA-PSS draws from `rng`; without the `rsa` feature nothing does.
        #[cfg(not(feature = "rsa"))]
        let _ = rng;
        match self {
            // RFC 9846 §4.3.3: ECDSA signatures are "a DER-encoded [X690] ECDSA-Sig-Value".
            // The nonce comes from RFC 6979, so `rng` is not used.
            Self::EcdsaP256(key) => {
                let signature: p256::ecdsa::DerSignature =
                    key.try_sign(message).map_err(|_| CryptoError::InvalidKey)?;
                Ok(signature.as_bytes().to_vec())
            }
            #[cfg(feature = "p384")]
            Self::EcdsaP384(key) => {
                let signature: p384::ecdsa::DerSignature =
                    key.try_sign(message).map_err(|_| CryptoError::InvalidKey)?;
                Ok(signature.as_bytes().to_vec())
            }
            #[cfg(feature = "ed25519")]
            Self::Ed25519(key) => {
                let signature = key.try_sign(message).map_err(|_| CryptoError::InvalidKey)?;
                Ok(signature.to_bytes().to_vec())
            }
            #[cfg(feature = "rsa")]
            Self::Rsa { key, .. } => rsa_pss_sign(key, scheme, message, rng),
        }
    }
}

#[cfg(feature = "rsa")]
/// RSASSA-PSS with salt length = hash length (RFC 9846 §4.3.3), for both families: they
/// compute the same, only the certificate's key OID differs. The crate draws the salt
/// (hash-length bytes) from `rng` first, then the blinding factor.
fn rsa_pss_sign(
    key: &rsa::PrivateKey,
    scheme: SignatureScheme,
    message: &[u8],
    rng: &mut dyn Rng,
) -> Result<Vec<u8>, CryptoError> {
    let hash = match scheme {
        SignatureScheme::RsaPssRsaeSha256 | SignatureScheme::RsaPssPssSha256 => Sha2::Sha256,
        SignatureScheme::RsaPssRsaeSha384 | SignatureScheme::RsaPssPssSha384 => Sha2::Sha384,
        SignatureScheme::RsaPssRsaeSha512 | SignatureScheme::RsaPssPssSha512 => Sha2::Sha512,
        _ => return Err(CryptoError::Unsupported),
    };
    let rng = &mut RngAdapter(rng);
    let signed = match hash {
        Sha2::Sha256 => key.pss_sign_with_rng::<Sha256, _>(rng, message),
        Sha2::Sha384 => key.pss_sign_with_rng::<Sha384, _>(rng, message),
        Sha2::Sha512 => key.pss_sign_with_rng::<Sha512, _>(rng, message),
    };
    signed.map_err(|e| match e {
        rsa::Error::Rng => CryptoError::RngFailure,
        _ => CryptoError::InvalidKey,
    })
}

#[cfg(feature = "rsa")]
/// Lets the `rsa` crate draw from the caller's [`Rng`] through `rand_core`'s traits.
struct RngAdapter<'a>(&'a mut dyn Rng);

#[cfg(feature = "rsa")]
/// The caller's [`Rng`] failed (the `rand_core` traits need an error type of their own).
#[derive(Debug)]
struct RngFailed;

#[cfg(feature = "rsa")]
impl core::fmt::Display for RngFailed {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("the caller's RNG failed")
    }
}

#[cfg(feature = "rsa")]
impl core::error::Error for RngFailed {}

#[cfg(feature = "rsa")]
impl rand_core::TryRng for RngAdapter<'_> {
    type Error = RngFailed;

    fn try_next_u32(&mut self) -> Result<u32, RngFailed> {
        let mut bytes = [0u8; 4];
        self.try_fill_bytes(&mut bytes)?;
        Ok(u32::from_le_bytes(bytes))
    }

    fn try_next_u64(&mut self) -> Result<u64, RngFailed> {
        let mut bytes = [0u8; 8];
        self.try_fill_bytes(&mut bytes)?;
        Ok(u64::from_le_bytes(bytes))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), RngFailed> {
        self.0.fill(dst).map_err(|_| RngFailed)
    }
}

/// The caller promises a cryptographically secure [`Rng`] (see its documentation).
#[cfg(feature = "rsa")]
impl rand_core::TryCryptoRng for RngAdapter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::TryRng;

    /// Counts up from a starting byte; fails after `limit` bytes.
    struct Counter {
        next: u8,
        limit: usize,
    }

    impl Rng for Counter {
        fn fill(&mut self, dest: &mut [u8]) -> Result<(), CryptoError> {
            if dest.len() > self.limit {
                return Err(CryptoError::RngFailure);
            }
            self.limit -= dest.len();
            for b in dest {
                *b = self.next;
                self.next = self.next.wrapping_add(1);
            }
            Ok(())
        }
    }

    #[test]
    fn test_rng_adapter_passes_bytes_through_in_order() {
        let mut rng = Counter { next: 1, limit: 14 };
        let mut adapter = RngAdapter(&mut rng);
        let mut two = [0u8; 2];
        adapter.try_fill_bytes(&mut two).unwrap();
        assert_eq!(two, [1, 2]);
        // rand_core's convention: words are read little-endian from the byte stream.
        assert_eq!(adapter.try_next_u32().unwrap(), 0x0605_0403);
        assert_eq!(adapter.try_next_u64().unwrap(), 0x0e0d_0c0b_0a09_0807);
        assert!(
            adapter.try_next_u32().is_err(),
            "the caller's failure comes through"
        );
    }

    #[test]
    fn test_family_compiled_out_only_without_its_feature() {
        let p384 = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384).unwrap();
        let ed25519 = rcgen::KeyPair::generate_for(&rcgen::PKCS_ED25519).unwrap();
        assert_eq!(
            family_compiled_out(&p384.serialize_der()),
            cfg!(not(feature = "p384"))
        );
        assert_eq!(
            family_compiled_out(&ed25519.serialize_der()),
            cfg!(not(feature = "ed25519"))
        );
        assert_eq!(
            family_compiled_out(PSS_SERVER_KEY),
            cfg!(not(feature = "rsa"))
        );
        let p256 = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        assert!(!family_compiled_out(&p256.serialize_der()));
        assert!(!family_compiled_out(&[0x30, 0x00]));
    }

    #[test]
    fn test_load_refuses_non_keys() {
        for der in [&[][..], &[0x30, 0x03, 0x02, 0x01, 0x00], &[0xff; 40]] {
            assert_eq!(load(der).err(), Some(CryptoError::InvalidKey));
        }
    }

    #[test]
    fn test_ed25519_pkcs8_rfc8032_test_1() {
        // Ed25519 key from RFC 8032 §7.1 TEST 1, as PKCS#8 (RFC 8410 §10.3 layout).
        let der = ::hex::decode(concat!(
            "302e020100300506032b657004220420",
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
        ))
        .unwrap();
        let key = load(&der).unwrap();
        assert_eq!(key.schemes(), [SignatureScheme::Ed25519]);
        let mut rng = Counter { next: 0, limit: 0 };
        assert_eq!(
            key.sign(SignatureScheme::RsaPssRsaeSha256, b"", &mut rng)
                .err(),
            Some(CryptoError::Unsupported)
        );
        // RFC 8032 §7.1 TEST 1's signature of the empty message; nothing drawn from the RNG.
        let signature = key.sign(SignatureScheme::Ed25519, b"", &mut rng).unwrap();
        assert_eq!(
            ::hex::encode(signature),
            concat!(
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155",
                "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
            )
        );
    }

    /// The end-entity public key of a fixture certificate (tools/make_rsa_pss_pki.sh).
    fn certificate_key(der: &[u8]) -> crate::connection::cert_verify::EndEntityKey {
        crate::connection::cert_verify::EndEntityKey::from_certificate(der).unwrap()
    }

    const PSS_SERVER_KEY: &[u8] = include_bytes!("../../../tests/fixtures/rsa_pss/server.key.der");
    const PSS_SERVER_CERT: &[u8] = include_bytes!("../../../tests/fixtures/rsa_pss/server.der");
    const PSS_CLIENT_KEY: &[u8] = include_bytes!("../../../tests/fixtures/rsa_pss/client.key.der");
    const PSS_CLIENT_CERT: &[u8] = include_bytes!("../../../tests/fixtures/rsa_pss/client.der");

    #[test]
    fn test_ecdsa_p384_signs_deterministically_and_verifies() {
        let pair = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384).unwrap();
        let key = load(&pair.serialize_der()).unwrap();
        assert_eq!(key.schemes(), [SignatureScheme::EcdsaSecp384r1Sha384]);
        // RFC 6979: nothing drawn (the Counter fails on the first byte), same bytes twice.
        let mut rng = Counter { next: 0, limit: 0 };
        let scheme = SignatureScheme::EcdsaSecp384r1Sha384;
        let signature = key.sign(scheme, b"cv content", &mut rng).unwrap();
        assert_eq!(
            key.sign(scheme, b"cv content", &mut rng).unwrap(),
            signature
        );
        let public = pair.public_key_raw();
        let verify = super::super::verify::verify;
        assert_eq!(verify(scheme, public, b"cv content", &signature), Ok(()));
        assert_eq!(
            verify(scheme, public, b"other", &signature),
            Err(CryptoError::BadSignature)
        );
        assert_eq!(
            key.sign(SignatureScheme::EcdsaSecp256r1Sha256, b"cv", &mut rng)
                .err(),
            Some(CryptoError::Unsupported)
        );
    }

    #[test]
    fn test_rsassa_pss_key_offers_only_pss_schemes() {
        use SignatureScheme as S;
        let verify = super::super::verify::verify;
        // Without parameters: every rsa_pss_pss_* scheme (2048 bits carry SHA-512 too).
        let key = load(PSS_SERVER_KEY).unwrap();
        assert_eq!(
            key.schemes(),
            [S::RsaPssPssSha256, S::RsaPssPssSha384, S::RsaPssPssSha512]
        );
        let certificate = certificate_key(PSS_SERVER_CERT);
        for scheme in [S::RsaPssPssSha256, S::RsaPssPssSha384, S::RsaPssPssSha512] {
            assert!(certificate.fits(scheme), "{scheme:?}");
            let mut rng = Counter {
                next: 7,
                limit: 4096,
            };
            let signature = key.sign(scheme, b"cv content", &mut rng).unwrap();
            let public = &certificate.public_key;
            assert_eq!(verify(scheme, public, b"cv content", &signature), Ok(()));
            assert_eq!(
                verify(scheme, public, b"cv contents", &signature),
                Err(CryptoError::BadSignature)
            );
        }
        // RFC 9846 §4.3.3: rsa_pss_rsae_* needs an rsaEncryption key; this one is not.
        let mut rng = Counter {
            next: 0,
            limit: 4096,
        };
        for scheme in [
            S::RsaPssRsaeSha256,
            S::RsaPssRsaeSha384,
            S::RsaPssRsaeSha512,
        ] {
            assert!(!certificate.fits(scheme));
            assert_eq!(
                key.sign(scheme, b"cv", &mut rng).err(),
                Some(CryptoError::Unsupported)
            );
        }
        // With parameters (SHA-256, MGF1-SHA-256, salt 32): rsa_pss_pss_sha256 only.
        let key = load(PSS_CLIENT_KEY).unwrap();
        assert_eq!(key.schemes(), [S::RsaPssPssSha256]);
        assert_eq!(
            key.sign(S::RsaPssPssSha384, b"cv", &mut rng).err(),
            Some(CryptoError::Unsupported)
        );
        let signature = key.sign(S::RsaPssPssSha256, b"cv", &mut rng).unwrap();
        let public = &certificate_key(PSS_CLIENT_CERT).public_key;
        assert_eq!(
            verify(S::RsaPssPssSha256, public, b"cv", &signature),
            Ok(())
        );
    }

    #[test]
    fn test_rsassa_pss_salt_comes_from_the_rng_first() {
        // Two signatures with the same RNG stream are identical (salt, then blinding, both
        // from the caller); a different stream gives a different salt, so other bytes.
        let key = load(PSS_SERVER_KEY).unwrap();
        let scheme = SignatureScheme::RsaPssPssSha256;
        let sign = |next| {
            let mut rng = Counter { next, limit: 4096 };
            key.sign(scheme, b"cv", &mut rng).unwrap()
        };
        assert_eq!(sign(1), sign(1));
        assert_ne!(sign(1), sign(2));
        // An RNG that cannot even supply the 32-byte salt fails the signature.
        let mut short = Counter { next: 0, limit: 31 };
        assert_eq!(
            key.sign(scheme, b"cv", &mut short).err(),
            Some(CryptoError::RngFailure)
        );
    }
}
