//! The signatures on a certificate chain, checked by OUR crypto provider.
//!
//! rustls-webpki builds and checks paths but does no cryptography of its own: it asks a list
//! of `SignatureVerificationAlgorithm`s (a trait from rustls-pki-types) to verify each
//! signature. Each [`CertificateSignatureAlgorithm`] here is one entry of that list: a pair
//! (public-key AlgorithmIdentifier, signatureAlgorithm AlgorithmIdentifier) that it
//! recognises, and the TLS [`SignatureScheme`] whose computation it is, which it hands to
//! [`CryptoProvider::verify_signature`]. So a device with hardware crypto validates chains
//! with its own provider, in `no_std` as with `std`.
//!
//! | certificate signature (RFC 5758, 8017, 4055, 8410)  | key            | computed as            |
//! |-----------------------------------------------------|----------------|------------------------|
//! | ecdsa-with-SHA256                                   | EC, P-256      | `ecdsa_secp256r1_sha256` |
//! | ecdsa-with-SHA384                                   | EC, P-384      | `ecdsa_secp384r1_sha384` |
//! | sha256/384/512WithRSAEncryption                     | rsaEncryption  | `rsa_pkcs1_sha256/384/512` |
//! | RSASSA-PSS, SHA-256/384/512, MGF1 same hash, salt = hash length | rsaEncryption | `rsa_pss_rsae_sha256/384/512` |
//! | Ed25519                                             | Ed25519        | `ed25519`              |
//!
//! RFC 9846 §4.3.3 names these schemes for certificates too: rsa_pkcs1_* "refer solely to
//! signatures which appear in certificates", which is the only place this module accepts
//! them (CertificateVerify has its own check).
//!
//! Not accepted (webpki then reports the signature as unsupported): the mixed pairs P-256
//! with SHA-384 and P-384 with SHA-256 (our provider computes TLS schemes, which fix the
//! hash per curve), P-521, Ed448, SHA-1 and MD5 signatures (RFC 9846 §4.5.1.3 recommends
//! refusing SHA-1 and requires refusing MD5), RSA-PSS with other parameters, and issuer keys of
//! type id-RSASSA-PSS. RSA keys shorter than a minimum (2048 bits by default) are refused.
//!
//! id-RSASSA-PSS keys, precisely: webpki verifies each link with the *issuer's* key, so the
//! key type matters only for certificates that sign. An end-entity certificate whose own key
//! is id-RSASSA-PSS validates like any other (tested with OpenSSL-made certificates in
//! `tests/x509/key_types.rs`); its key then signs CertificateVerify with `rsa_pss_pss_*`,
//! checked by `connection/cert_verify.rs`. A CA or trust anchor with such a key is
//! refused: no entry here pairs that key type with a signature, so webpki reports
//! `UnsupportedSignatureAlgorithmForPublicKey` (→ unsupported_certificate).

use core::sync::atomic::{AtomicBool, Ordering};

use rustls_pki_types::alg_id;
use rustls_pki_types::{AlgorithmIdentifier, InvalidSignature, SignatureVerificationAlgorithm};

use crate::crypto::CryptoProvider;
use crate::wire::algorithms::SignatureScheme;

/// The RSA modulus size below which certificate signatures are refused, unless configured
/// otherwise. 2048 bits is the floor of the CA/Browser Forum and of NIST SP 800-131A.
pub const DEFAULT_MIN_RSA_BITS: usize = 2048;

/// Every certificate signature this module can check: the TLS scheme, the public-key
/// algorithm it needs, and the certificate's signatureAlgorithm.
pub const CERTIFICATE_ALGORITHMS: &[(SignatureScheme, AlgorithmIdentifier, AlgorithmIdentifier)] =
    &[
        (
            SignatureScheme::EcdsaSecp256r1Sha256,
            alg_id::ECDSA_P256,
            alg_id::ECDSA_SHA256,
        ),
        (
            SignatureScheme::EcdsaSecp384r1Sha384,
            alg_id::ECDSA_P384,
            alg_id::ECDSA_SHA384,
        ),
        (SignatureScheme::Ed25519, alg_id::ED25519, alg_id::ED25519),
        (
            SignatureScheme::RsaPssRsaeSha256,
            alg_id::RSA_ENCRYPTION,
            alg_id::RSA_PSS_SHA256,
        ),
        (
            SignatureScheme::RsaPssRsaeSha384,
            alg_id::RSA_ENCRYPTION,
            alg_id::RSA_PSS_SHA384,
        ),
        (
            SignatureScheme::RsaPssRsaeSha512,
            alg_id::RSA_ENCRYPTION,
            alg_id::RSA_PSS_SHA512,
        ),
        (
            SignatureScheme::RsaPkcs1Sha256,
            alg_id::RSA_ENCRYPTION,
            alg_id::RSA_PKCS1_SHA256,
        ),
        (
            SignatureScheme::RsaPkcs1Sha384,
            alg_id::RSA_ENCRYPTION,
            alg_id::RSA_PKCS1_SHA384,
        ),
        (
            SignatureScheme::RsaPkcs1Sha512,
            alg_id::RSA_ENCRYPTION,
            alg_id::RSA_PKCS1_SHA512,
        ),
    ];

/// The TLS schemes this module can check in certificates, in the order of
/// [`CERTIFICATE_ALGORITHMS`]: what a client may advertise in signature_algorithms_cert.
pub fn certificate_schemes() -> impl Iterator<Item = SignatureScheme> {
    CERTIFICATE_ALGORITHMS.iter().map(|(scheme, _, _)| *scheme)
}

/// One certificate signature algorithm, checked by a [`CryptoProvider`]. Built for one
/// validation at a time (it borrows the provider and a flag it raises on short RSA keys).
pub struct CertificateSignatureAlgorithm<'a> {
    provider: &'a dyn CryptoProvider,
    scheme: SignatureScheme,
    public_key_alg: AlgorithmIdentifier,
    signature_alg: AlgorithmIdentifier,
    min_rsa_bits: usize,
    short_rsa_key_seen: &'a AtomicBool,
}

impl<'a> CertificateSignatureAlgorithm<'a> {
    /// The algorithms for `schemes` (those this module knows; others are skipped), checked
    /// by `provider`, refusing RSA keys below `min_rsa_bits` and raising `short_rsa_key_seen`
    /// when it does.
    pub fn for_schemes(
        provider: &'a dyn CryptoProvider,
        schemes: &[SignatureScheme],
        min_rsa_bits: usize,
        short_rsa_key_seen: &'a AtomicBool,
    ) -> alloc::vec::Vec<Self> {
        CERTIFICATE_ALGORITHMS
            .iter()
            .filter(|(scheme, _, _)| schemes.contains(scheme))
            .map(|&(scheme, public_key_alg, signature_alg)| Self {
                provider,
                scheme,
                public_key_alg,
                signature_alg,
                min_rsa_bits,
                short_rsa_key_seen,
            })
            .collect()
    }

    /// The TLS scheme whose computation this is.
    pub fn scheme(&self) -> SignatureScheme {
        self.scheme
    }
}

impl SignatureVerificationAlgorithm for CertificateSignatureAlgorithm<'_> {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        if self.public_key_alg == alg_id::RSA_ENCRYPTION {
            let bits = rsa_modulus_bits(public_key).ok_or(InvalidSignature)?;
            if bits < self.min_rsa_bits {
                self.short_rsa_key_seen.store(true, Ordering::Relaxed);
                return Err(InvalidSignature);
            }
        }
        self.provider
            .verify_signature(self.scheme, public_key, message, signature)
            .map_err(|_| InvalidSignature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        self.public_key_alg
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        self.signature_alg
    }
}

impl core::fmt::Debug for CertificateSignatureAlgorithm<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "{} via the lucid-tls crypto provider",
            self.scheme.rfc_name()
        )
    }
}

/// The size in bits of the modulus of a DER `RSAPublicKey` (RFC 8017 §A.1.1), or `None` if
/// it does not parse.
pub fn rsa_modulus_bits(public_key: &[u8]) -> Option<usize> {
    use pkcs1::der::Decode;
    let key = pkcs1::RsaPublicKey::<pkcs1::UintRef<'_>>::from_der(public_key).ok()?;
    // `as_bytes` has no leading zero bytes: the first byte holds the top bit.
    let modulus = key.modulus.as_bytes();
    let top = *modulus.first()?;
    Some((modulus.len() - 1) * 8 + (8 - top.leading_zeros() as usize))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::RustCryptoProvider;

    #[test]
    fn test_parse_rsa_modulus_bits() {
        // RSAPublicKey { modulus 0x00c3 (one byte after the sign byte: 8 bits), e = 3 }.
        assert_eq!(
            rsa_modulus_bits(&[0x30, 0x07, 0x02, 0x02, 0x00, 0xc3, 0x02, 0x01, 0x03]),
            Some(8)
        );
        // Modulus 0x0101: 9 bits.
        assert_eq!(
            rsa_modulus_bits(&[0x30, 0x07, 0x02, 0x02, 0x01, 0x01, 0x02, 0x01, 0x03]),
            Some(9)
        );
        assert_eq!(rsa_modulus_bits(&[0x30, 0x00]), None);
        assert_eq!(rsa_modulus_bits(&[]), None);
    }

    #[test]
    fn test_every_scheme_is_one_the_provider_computes() {
        // An empty signature must be refused as a bad signature or key, never as
        // "unsupported": the provider knows every scheme in the table.
        let provider = RustCryptoProvider;
        for scheme in certificate_schemes() {
            assert_ne!(
                provider.verify_signature(scheme, &[], b"m", &[]),
                Err(crate::crypto::CryptoError::Unsupported),
                "{scheme:?}"
            );
        }
    }

    #[test]
    fn test_for_schemes_filters() {
        let flag = AtomicBool::new(false);
        let provider = RustCryptoProvider;
        let algs = CertificateSignatureAlgorithm::for_schemes(
            &provider,
            &[SignatureScheme::Ed25519, SignatureScheme::RsaPkcs1Sha1],
            DEFAULT_MIN_RSA_BITS,
            &flag,
        );
        assert_eq!(algs.len(), 1);
        assert_eq!(algs[0].scheme(), SignatureScheme::Ed25519);
        assert_eq!(algs[0].public_key_alg_id(), alg_id::ED25519);
    }
}
