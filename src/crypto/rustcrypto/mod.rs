//! The default [`CryptoProvider`]: [`RustCryptoProvider`], built on the RustCrypto crates
//! (and the dalek crates for Curve25519). Everything here is `no_std`, and every random byte
//! comes from the caller's [`Rng`]: no crate is allowed to reach for the OS RNG.
//!
//! What each primitive is for in TLS 1.3 (RFC 9846), and where it lives:
//!
//! | primitive                                   | used for                               | module   |
//! |---------------------------------------------|----------------------------------------|----------|
//! | SHA-256, SHA-384                            | transcript hash (§4.1)                 | `hash`   |
//! | HMAC                                        | Finished (§4.5.3), PSK binders (§4.3.11) | `hash` |
//! | HKDF-Extract / HKDF-Expand (RFC 5869)       | the key schedule (§7.1, §7.3)          | `hash`   |
//! | AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305 | record protection (§5.2)               | `aead`   |
//! | X25519, secp256r1 ECDH                      | key shares (§4.3.8), shared secret (§7.4) | `kx`  |
//! | ML-KEM-768 (FIPS 203) joined with X25519 or P-256 | hybrid key shares (RFC 10024)    | `hybrid` |
//! | ECDSA, RSA-PSS, RSA PKCS#1 v1.5, Ed25519    | CertificateVerify (§4.5.2), certificate signatures (§4.5.1.2) | `verify`, `sign` |
//!
//! # Cargo features: leaving algorithm families out
//!
//! Always here: SHA-256/384, HMAC, HKDF, P-256 (ECDH and ECDSA) and AES-128-GCM: a
//! complete TLS 1.3 endpoint for peers with ECDSA P-256 certificates. The rest are Cargo
//! features, all on by default, that a small device can turn off to save flash
//! (docs/embedded.md measures it). Without `rsa`, the endpoint is no longer what RFC 9846
//! §9.1 calls TLS-compliant: "A TLS-compliant application MUST support digital signatures
//! with rsa_pkcs1_sha256 (for certificates), rsa_pss_rsae_sha256 (for CertificateVerify and
//! certificates), and ecdsa_secp256r1_sha256"; an application profile may say otherwise.
//!
//! | feature    | what it adds                                                   |
//! |------------|----------------------------------------------------------------|
//! | `x25519`   | X25519 key shares                                              |
//! | `rsa`      | RSA-PSS signing and verifying, RSA PKCS#1 v1.5 verifying (certificates) |
//! | `p384`     | ECDSA P-384 (`ecdsa_secp384r1_sha384`)                         |
//! | `ed25519`  | Ed25519                                                        |
//! | `aes256`   | `TLS_AES_256_GCM_SHA384`                                       |
//! | `chacha20` | `TLS_CHACHA20_POLY1305_SHA256`                                 |
//! | `mlkem`    | the hybrid groups X25519MLKEM768 and SecP256r1MLKEM768 (RFC 10024); needs `x25519` |
//!
//! The provider reports what it was built with ([`CryptoProvider::cipher_suites`],
//! [`CryptoProvider::signature_schemes`]): default configurations offer only that, a
//! configured suite outside it is refused, and a scheme outside it is
//! [`CryptoError::Unsupported`].
//!
//! Not supported: the CCM suites, secp384r1/secp521r1/X448 and the finite-field groups for
//! key exchange, ECDSA P-521, Ed448, SHA-1 signatures, and signing with RSA PKCS#1 v1.5
//! (TLS 1.3 never signs with it: §4.3.3). Asking for any of them gives
//! [`CryptoError::Unsupported`].
//!
//! # Randomness, and replaying RFC 8448
//!
//! Key shares draw their private key from the caller's [`Rng`] as raw bytes (32 for X25519,
//! 32 per attempt for secp256r1), and RSA-PSS signing draws its salt first (exactly the
//! hash length), then RSA blinding. A test [`Rng`] that returns RFC 8448's private keys and
//! salts therefore reproduces the RFC's key shares and CertificateVerify signatures byte for
//! byte. ECDSA signing is deterministic (RFC 6979) and draws nothing.
//!
//! # Side channels, and RUSTSEC-2023-0071 ("Marvin")
//!
//! RUSTSEC-2023-0071 reports that RustCrypto's `rsa` leaked private-key timing (the Marvin
//! attack, which turns a timing-leaky RSA *decryption* into a decryption and signing
//! oracle). `rsa` 0.10.0, used here, says in its changelog and README that the side channels
//! were resolved in 0.10: modular exponentiation moved to the constant-time `crypto-bigint`,
//! private-key operations were hardened and blinded, and PKCS#1 v1.5 decryption uses
//! implicit rejection. The advisory database listed no patched version as late as
//! September 2026, before 0.10.0 was published, so `cargo audit` may still flag this
//! dependency until the advisory is updated; we could not check its current state offline.
//!
//! This provider's exposure is small either way: it never decrypts with RSA (TLS 1.3 has no
//! RSA key transport), it verifies with public keys only, and it signs only with RSA-PSS,
//! blinded, with the blinding drawn from the caller's [`Rng`].

use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::crypto::{
    Aead, AeadAlgorithm, CryptoError, CryptoProvider, HashAlgorithm, HashContext, HashOutput,
    HkdfPrk, KeyExchange, Rng, Secret, SigningKey,
};
use crate::wire::algorithms::{CipherSuite, NamedGroup, SignatureScheme};

mod aead;
mod hash;
mod hmac_sha256;
#[cfg(feature = "mlkem")]
mod hybrid;
mod kx;
// The stack-lean ML-KEM-768 backs the hybrid groups under `mlkem-lean`; the unit tests
// compile it in every `mlkem` build, to cross-check it against `ml-kem`.
#[cfg(any(feature = "mlkem-lean", all(test, feature = "mlkem")))]
#[cfg_attr(not(feature = "mlkem-lean"), allow(dead_code))]
mod mlkem768;
#[cfg(all(feature = "mlkem", not(feature = "mlkem-lean")))]
mod mlkem768_crate;
mod sign;
mod verify;

/// The groups, in preference order: the post-quantum hybrid X25519MLKEM768 first, as
/// OpenSSL 3.5 and the browsers prefer it, then X25519, then the P-256 pair.
#[cfg(feature = "mlkem")]
const GROUPS: &[NamedGroup] = &[
    NamedGroup::X25519MlKem768,
    NamedGroup::X25519,
    NamedGroup::SecP256r1MlKem768,
    NamedGroup::Secp256r1,
];

/// The groups, in preference order (built without `mlkem`: the classical ones only).
#[cfg(not(feature = "mlkem"))]
const GROUPS: &[NamedGroup] = kx::GROUPS;

/// The default crypto provider, on RustCrypto crates. It holds no state.
#[derive(Clone, Copy, Debug, Default)]
pub struct RustCryptoProvider;

impl CryptoProvider for RustCryptoProvider {
    fn hash(&self, alg: HashAlgorithm) -> Box<dyn HashContext> {
        Box::new(hash::RunningHash::new(alg))
    }

    fn hmac(&self, alg: HashAlgorithm, key: &[u8], data: &[&[u8]]) -> HashOutput {
        hash::hmac(alg, key, data)
    }

    fn hkdf_extract(&self, alg: HashAlgorithm, salt: &[u8], ikm: &[u8]) -> Secret {
        hash::hkdf_extract(alg, salt, ikm)
    }

    fn hkdf_expand(
        &self,
        alg: HashAlgorithm,
        prk: &[u8],
        info: &[&[u8]],
        out: &mut [u8],
    ) -> Result<(), CryptoError> {
        hash::hkdf_expand(alg, prk, info, out)
    }

    fn hkdf_prk<'a>(
        &'a self,
        alg: HashAlgorithm,
        prk: &[u8],
    ) -> Result<Box<dyn HkdfPrk + 'a>, CryptoError> {
        hash::hkdf_prk(alg, prk)
    }

    fn aead(&self, alg: AeadAlgorithm, key: &[u8]) -> Result<Box<dyn Aead>, CryptoError> {
        Ok(Box::new(aead::AeadKey::new(alg, key)?))
    }

    fn groups(&self) -> &[NamedGroup] {
        GROUPS
    }

    fn cipher_suites(&self) -> &[CipherSuite] {
        aead::SUITES
    }

    fn signature_schemes(&self) -> &[SignatureScheme] {
        verify::SCHEMES
    }

    fn start_key_exchange(
        &self,
        group: NamedGroup,
        rng: &mut dyn Rng,
    ) -> Result<Box<dyn KeyExchange>, CryptoError> {
        #[cfg(feature = "mlkem")]
        if hybrid::GROUPS.contains(&group) {
            return hybrid::start(group, rng);
        }
        kx::start(group, rng)
    }

    fn encapsulate(
        &self,
        group: NamedGroup,
        client_share: &[u8],
        rng: &mut dyn Rng,
    ) -> Result<(Vec<u8>, Secret), CryptoError> {
        #[cfg(feature = "mlkem")]
        if hybrid::GROUPS.contains(&group) {
            return hybrid::encapsulate(group, client_share, rng);
        }
        crate::crypto::encapsulate_by_key_pair(self, group, client_share, rng)
    }

    fn verify_signature(
        &self,
        scheme: SignatureScheme,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), CryptoError> {
        verify::verify(scheme, public_key, message, signature)
    }

    fn load_signing_key(&self, der: &[u8]) -> Result<Box<dyn SigningKey>, CryptoError> {
        sign::load(der)
    }
}

/// Decodes the hex of a known-answer test.
#[cfg(test)]
fn hex(s: &str) -> alloc::vec::Vec<u8> {
    ::hex::decode(s).unwrap()
}

#[cfg(feature = "rsa")]
/// The SHA-2 hash a signature scheme names (RFC 9846 §4.3.3). SHA-512 appears only here,
/// never as a suite's hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sha2 {
    Sha256,
    Sha384,
    Sha512,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::{DEFAULT_CIPHER_SUITES, DEFAULT_SIGNATURE_SCHEMES, suite_algorithms};

    /// Every scheme lucid-tls names, whether or not this build computes it.
    const EVERY_SCHEME: &[SignatureScheme] = &[
        SignatureScheme::EcdsaSecp256r1Sha256,
        SignatureScheme::EcdsaSecp384r1Sha384,
        SignatureScheme::EcdsaSecp521r1Sha512,
        SignatureScheme::Ed25519,
        SignatureScheme::Ed448,
        SignatureScheme::RsaPssRsaeSha256,
        SignatureScheme::RsaPssPssSha512,
        SignatureScheme::RsaPkcs1Sha256,
        SignatureScheme::RsaPkcs1Sha1,
    ];

    #[test]
    fn test_reported_suites_are_exactly_those_it_keys() {
        // Whatever the Cargo features: a reported suite keys, any other is Unsupported.
        for &suite in DEFAULT_CIPHER_SUITES {
            let (aead, _) = suite_algorithms(suite).unwrap();
            let keyed = RustCryptoProvider.aead(aead, &alloc::vec![7; aead.key_len()]);
            if RustCryptoProvider.cipher_suites().contains(&suite) {
                assert!(keyed.is_ok(), "{suite:?}");
            } else {
                assert_eq!(keyed.err(), Some(CryptoError::Unsupported), "{suite:?}");
            }
        }
        assert!(
            RustCryptoProvider
                .cipher_suites()
                .contains(&crate::wire::algorithms::CipherSuite::TLS_AES_128_GCM_SHA256)
        );
    }

    #[test]
    fn test_reported_schemes_are_exactly_those_it_verifies() {
        // A junk key and signature: a scheme it computes refuses them as bad input, any other
        // scheme is Unsupported, whatever the Cargo features.
        let schemes = RustCryptoProvider.signature_schemes();
        for &scheme in EVERY_SCHEME.iter().chain(DEFAULT_SIGNATURE_SCHEMES) {
            let verdict = RustCryptoProvider.verify_signature(scheme, &[0x30, 0], b"m", &[0x30]);
            if schemes.contains(&scheme) {
                assert!(
                    matches!(
                        verdict,
                        Err(CryptoError::InvalidPeerKey | CryptoError::BadSignature)
                    ),
                    "{scheme:?}: {verdict:?}"
                );
            } else {
                assert_eq!(verdict, Err(CryptoError::Unsupported), "{scheme:?}");
            }
        }
    }

    #[cfg(all(
        feature = "rsa",
        feature = "p384",
        feature = "ed25519",
        feature = "chacha20",
        feature = "aes256"
    ))]
    #[test]
    fn test_with_every_family_the_defaults_are_unchanged() {
        assert_eq!(RustCryptoProvider.cipher_suites(), DEFAULT_CIPHER_SUITES);
        let schemes = RustCryptoProvider.signature_schemes();
        assert!(
            DEFAULT_SIGNATURE_SCHEMES
                .iter()
                .all(|s| schemes.contains(s))
        );
        assert_eq!(
            schemes.len(),
            12,
            "the nine defaults and rsa_pkcs1_sha256/384/512"
        );
    }
}
