//! CertificateVerify (RFC 9846 §4.5.2), both ways: signing our own and checking the
//! peer's against the public key of its end-entity certificate. Both roles use it (the
//! server always, the client when asked for a certificate).
//!
//! ```text
//!   content   = 0x20 × 64 || context string || 0x00 || Transcript-Hash(..., Certificate)
//!   signature = Sign(end-entity private key, content)   with a scheme the peer offered
//! ```
//!
//! The rules checked on a received CertificateVerify:
//! - the scheme is one we offered (in signature_algorithms, or in our CertificateRequest);
//! - it is a scheme TLS 1.3 allows in CertificateVerify: no SHA-1, no RSA PKCS#1 v1.5;
//! - it fits the key in the end-entity certificate (rsaEncryption for rsa_pss_rsae_*,
//!   id-RSASSA-PSS for rsa_pss_pss_*, and only its parameters' hash when it has
//!   RSASSA-PSS-params, the named curve for ecdsa_*, Ed25519 for ed25519), else
//!   illegal_parameter;
//! - the signature verifies (else decrypt_error).
//!
//! Only the certificate's SubjectPublicKeyInfo is read here
//! (`crate::x509::certificate_fields`); whether the certificate is valid, trusted and names
//! the server is the verifier's business.

use alloc::vec::Vec;

use x509_cert::der::Decode;
use x509_cert::der::oid::ObjectIdentifier;
use x509_cert::spki::SubjectPublicKeyInfoRef;

use crate::credentials::CertifiedKey;
use crate::crypto::rsassa_pss_key;
use crate::crypto::{CryptoError, CryptoProvider, HashOutput, Rng, SigningKey};
use crate::error::Error;
use crate::wire::alert::AlertDescription;
use crate::x509::certificate_fields::CertificateFields;

use super::core::ConnectionCore;
use crate::wire::algorithms::SignatureScheme;
use crate::wire::certificate_verify::{CertificateVerify, Signer, signed_content};

/// rsaEncryption (RFC 8017): the key of rsa_pss_rsae_* (and rsa_pkcs1_*) signatures.
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
/// id-RSASSA-PSS (RFC 4055): the key of rsa_pss_pss_* signatures.
const RSASSA_PSS: ObjectIdentifier = rsassa_pss_key::ID_RSASSA_PSS;
/// id-ecPublicKey (RFC 5480), with the curve as the algorithm parameter.
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
/// secp256r1 (prime256v1).
const SECP256R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
/// secp384r1.
const SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
/// id-Ed25519 (RFC 8410).
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");

/// The public key of an end-entity certificate: its algorithm, curve (for EC keys) and the
/// contents of the `subjectPublicKey` BIT STRING.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndEntityKey {
    algorithm: ObjectIdentifier,
    curve: Option<ObjectIdentifier>,
    /// For an id-RSASSA-PSS key: the `rsa_pss_pss_*` schemes its parameters allow.
    rsassa_pss_schemes: Vec<SignatureScheme>,
    /// What [`CryptoProvider::verify_signature`] takes as the public key.
    pub public_key: Vec<u8>,
}

impl EndEntityKey {
    /// Reads the SubjectPublicKeyInfo of a DER certificate. A certificate that does not
    /// parse is a bad_certificate (RFC 9846 §6.2: "A certificate was corrupt").
    pub fn from_certificate(der: &[u8]) -> Result<Self, Error> {
        let bad = |_| Error::PeerMisbehaved {
            alert: AlertDescription::BadCertificate,
            reason: "end-entity certificate does not parse",
        };
        let fields = CertificateFields::parse(der).map_err(bad)?;
        Self::from_subject_public_key_info(fields.subject_public_key_info)
    }

    /// Reads a DER SubjectPublicKeyInfo alone: the raw public key of RFC 7250 §3, which a
    /// CertificateEntry carries when RawPublicKey was negotiated (RFC 9846 §4.5.1). One
    /// that does not parse, or has bytes after it, is a bad_certificate.
    pub fn from_spki(der: &[u8]) -> Result<Self, Error> {
        let spki = SubjectPublicKeyInfoRef::from_der(der).map_err(|_| Error::PeerMisbehaved {
            alert: AlertDescription::BadCertificate,
            reason: "raw public key is not a DER SubjectPublicKeyInfo",
        })?;
        Self::from_subject_public_key_info(spki)
    }

    fn from_subject_public_key_info(spki: SubjectPublicKeyInfoRef<'_>) -> Result<Self, Error> {
        let curve = spki
            .algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
        let public_key = spki
            .subject_public_key
            .as_bytes()
            .ok_or(Error::PeerMisbehaved {
                alert: AlertDescription::BadCertificate,
                reason: "subjectPublicKey is not a whole number of bytes",
            })?
            .to_vec();
        // RFC 4055 §3.1: an RSASSA-PSS key with parameters signs only with their hash (see
        // crate::crypto::rsassa_pss_key, which applies the same rule to our own keys).
        let rsassa_pss_schemes = if spki.algorithm.oid == RSASSA_PSS {
            let parameters = spki.algorithm.parameters;
            rsassa_pss_key::schemes_allowed_by(parameters)
        } else {
            Vec::new()
        };
        Ok(Self {
            algorithm: spki.algorithm.oid,
            curve,
            rsassa_pss_schemes,
            public_key,
        })
    }

    /// True if `scheme` signs with this kind of key (RFC 9846 §4.5.2: "the signature
    /// algorithm MUST be compatible with the key in the sender's end-entity certificate").
    pub fn fits(&self, scheme: SignatureScheme) -> bool {
        use SignatureScheme as S;
        match scheme {
            S::RsaPssRsaeSha256 | S::RsaPssRsaeSha384 | S::RsaPssRsaeSha512 => {
                self.algorithm == RSA_ENCRYPTION
            }
            S::RsaPssPssSha256 | S::RsaPssPssSha384 | S::RsaPssPssSha512 => {
                self.algorithm == RSASSA_PSS && self.rsassa_pss_schemes.contains(&scheme)
            }
            S::EcdsaSecp256r1Sha256 => {
                self.algorithm == EC_PUBLIC_KEY && self.curve == Some(SECP256R1)
            }
            S::EcdsaSecp384r1Sha384 => {
                self.algorithm == EC_PUBLIC_KEY && self.curve == Some(SECP384R1)
            }
            S::Ed25519 => self.algorithm == ED25519,
            _ => false,
        }
    }
}

/// Checks the length of a Certificate's list when RawPublicKey was negotiated, both roles
/// (the caller has refused an empty list already, or let an empty client Certificate
/// through). RFC 9846 §4.5.1: "If the RawPublicKey certificate type was negotiated, then
/// the certificate_list MUST contain no more than one CertificateEntry". A longer list is
/// a message of the wrong shape: decode_error (RFC 9846 §6.2: "A message could not be
/// decoded because some field was out of the specified range or the length of the message
/// was incorrect").
pub fn check_raw_public_key_count(entries: usize) -> Result<(), Error> {
    if entries > 1 {
        return Err(Error::PeerMisbehaved {
            alert: AlertDescription::DecodeError,
            reason: "a RawPublicKey Certificate holds more than one entry",
        });
    }
    Ok(())
}

/// True for the schemes TLS 1.3 allows in a CertificateVerify.
///
/// RFC 9846 §4.5.2: "The SHA-1 algorithm MUST NOT be used in any signatures of
/// CertificateVerify messages." RFC 9846 §4.3.3: the RSASSA-PKCS1-v1_5 algorithms "are not
/// defined for use in signed TLS handshake messages".
pub fn allowed_in_certificate_verify(scheme: SignatureScheme) -> bool {
    use SignatureScheme as S;
    matches!(
        scheme,
        S::EcdsaSecp256r1Sha256
            | S::EcdsaSecp384r1Sha384
            | S::EcdsaSecp521r1Sha512
            | S::RsaPssRsaeSha256
            | S::RsaPssRsaeSha384
            | S::RsaPssRsaeSha512
            | S::RsaPssPssSha256
            | S::RsaPssPssSha384
            | S::RsaPssPssSha512
            | S::Ed25519
            | S::Ed448
    )
}

/// Checks the peer's CertificateVerify: `offered` are the schemes we offered, `signer` who
/// signed, `transcript_hash` the transcript up to and including the peer's Certificate.
pub fn verify_certificate_verify(
    provider: &dyn CryptoProvider,
    key: &EndEntityKey,
    certificate_verify: &CertificateVerify,
    offered: &[SignatureScheme],
    signer: Signer,
    transcript_hash: &HashOutput,
) -> Result<(), Error> {
    let scheme = certificate_verify.algorithm;
    // RFC 9846 §4.5.2: the scheme "MUST be one offered in the client's
    // "signature_algorithms" extension" (for a server), or "one of those present in the
    // supported_signature_algorithms field of the "signature_algorithms" extension in the
    // CertificateRequest message" (for a client). A scheme we never offered is a value the
    // peer may not choose: illegal_parameter.
    if !offered.contains(&scheme) || !allowed_in_certificate_verify(scheme) {
        return Err(Error::PeerMisbehaved {
            alert: AlertDescription::IllegalParameter,
            reason: "CertificateVerify uses a signature scheme that was not offered",
        });
    }
    if !key.fits(scheme) {
        return Err(Error::PeerMisbehaved {
            alert: AlertDescription::IllegalParameter,
            reason: "CertificateVerify scheme does not match the certificate's key",
        });
    }
    let content = signed_content(signer, transcript_hash.as_bytes());
    // RFC 9846 §4.5.2: "If the verification fails, the receiver MUST terminate the
    // handshake with a "decrypt_error" alert."
    provider
        .verify_signature(
            scheme,
            &key.public_key,
            &content,
            &certificate_verify.signature,
        )
        .map_err(|err| match err {
            CryptoError::Unsupported => Error::Incompatible {
                alert: AlertDescription::HandshakeFailure,
                reason: "the crypto provider cannot verify this signature scheme",
            },
            // RFC 9846 §4.5.2: "If the verification fails, the receiver MUST terminate the
            // handshake with a "decrypt_error" alert."
            CryptoError::InvalidPeerKey | CryptoError::BadSignature => Error::PeerMisbehaved {
                alert: AlertDescription::DecryptError,
                reason: match signer {
                    Signer::Server => "server CertificateVerify signature does not verify",
                    Signer::Client => "client CertificateVerify signature does not verify",
                },
            },
            other => Error::Crypto(other),
        })
}

/// Picks the first of our key's schemes that the peer offered and TLS 1.3 allows.
pub fn choose_scheme(
    key: &dyn SigningKey,
    peer_offered: &[SignatureScheme],
) -> Option<SignatureScheme> {
    key.schemes()
        .iter()
        .copied()
        .find(|s| peer_offered.contains(s) && allowed_in_certificate_verify(*s))
}

/// Our CertificateVerify: signed now, or, for a key that [defers](SigningKey::defers),
/// `None` after asking the caller for the signature (`Event::SignRequest`, see
/// [`super::deferred`]); the state machine then pauses until the answer arrives.
pub fn sign_or_request(
    core: &mut ConnectionCore,
    key: &dyn SigningKey,
    scheme: SignatureScheme,
    signer: Signer,
    transcript_hash: &HashOutput,
) -> Result<Option<CertificateVerify>, Error> {
    if key.defers() {
        core.request_signature(scheme, signed_content(signer, transcript_hash.as_bytes()));
        return Ok(None);
    }
    sign_certificate_verify(key, scheme, signer, transcript_hash, core.rng()).map(Some)
}

/// Signs our CertificateVerify over `transcript_hash` with `scheme`, drawing any
/// randomness (RSA-PSS salt) from `rng`.
pub fn sign_certificate_verify(
    key: &dyn SigningKey,
    scheme: SignatureScheme,
    signer: Signer,
    transcript_hash: &HashOutput,
    rng: &mut dyn Rng,
) -> Result<CertificateVerify, Error> {
    let content = signed_content(signer, transcript_hash.as_bytes());
    let signature = key.sign(scheme, &content, rng)?;
    Ok(CertificateVerify {
        algorithm: scheme,
        signature,
    })
}

/// Checks, once, when a config is built, that `certified`'s key belongs to its end-entity
/// certificate (or its raw public key): it has a chain or a raw public key, which parses,
/// one of the key's schemes fits that public key and the provider verifies it, and a probe
/// signature made with the key verifies with that public key. A key that signs later (in an HSM,
/// [`SigningKey::defers`]) is only checked for its schemes. Returns what is wrong.
pub(crate) fn check_certified_key(
    provider: &dyn CryptoProvider,
    certified: &CertifiedKey,
) -> Result<(), &'static str> {
    // A raw public key alone (RFC 7250) is checked like a certificate's key; a credential
    // with both has its certificate's key checked, and the two must be the same key.
    let public = match (certified.end_entity(), &certified.raw_public_key) {
        (Some(end_entity), raw) => {
            let public = EndEntityKey::from_certificate(end_entity)
                .map_err(|_| "an end-entity certificate does not parse")?;
            let raw = raw.as_deref().map(EndEntityKey::from_spki).transpose();
            if raw
                .map_err(|_| "a raw public key does not parse")?
                .is_some_and(|raw| raw != public)
            {
                return Err("the raw public key is not the end-entity certificate's key");
            }
            public
        }
        (None, Some(spki)) => {
            EndEntityKey::from_spki(spki).map_err(|_| "a raw public key does not parse")?
        }
        (None, None) => return Err("a certificate chain is empty"),
    };
    let verifiable = provider.signature_schemes();
    let scheme = certified
        .key
        .schemes()
        .iter()
        .copied()
        .find(|s| public.fits(*s) && allowed_in_certificate_verify(*s) && verifiable.contains(s))
        .ok_or("the key signs with no scheme that fits its certificate's key")?;
    if certified.key.defers() {
        return Ok(());
    }
    let probe = b"lucid-tls: does this key belong to its certificate?";
    let signature = certified
        .key
        .sign(scheme, probe, &mut ProbeRng::new())
        .map_err(|_| "the key cannot sign")?;
    provider
        .verify_signature(scheme, &public.public_key, probe, &signature)
        .map_err(|_| "the private key does not match the end-entity certificate")
}

/// The randomness of the probe signature above (an RSA-PSS salt, RSA blinding): the OS
/// RNG with `std`; without it, a SplitMix64 sequence (the probe signs a fixed public
/// message and is thrown away, so its randomness protects nothing).
struct ProbeRng {
    #[cfg(not(feature = "std"))]
    state: u64,
}

impl ProbeRng {
    fn new() -> Self {
        Self {
            #[cfg(not(feature = "std"))]
            state: 0x9e37_79b9_7f4a_7c15,
        }
    }
}

impl Rng for ProbeRng {
    #[cfg(feature = "std")]
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), CryptoError> {
        crate::os_rng::OsRng.fill(dest)
    }

    #[cfg(not(feature = "std"))]
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), CryptoError> {
        for chunk in dest.chunks_mut(8) {
            self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^= z >> 31;
            chunk.copy_from_slice(&z.to_le_bytes()[..chunk.len()]);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // tools/make_rsa_pss_pki.sh: id-RSASSA-PSS certificates, without and with parameters.
    const PSS_ANY_HASH: &[u8] = include_bytes!("../../tests/fixtures/rsa_pss/server.der");
    const PSS_SHA256_ONLY: &[u8] = include_bytes!("../../tests/fixtures/rsa_pss/client.der");
    const RSA_ENCRYPTION_CA: &[u8] = include_bytes!("../../tests/fixtures/rsa_pss/root.der");

    #[test]
    fn test_parse_rsassa_pss_key_fits_pss_schemes_as_its_parameters_allow() {
        use SignatureScheme as S;
        let pss = [S::RsaPssPssSha256, S::RsaPssPssSha384, S::RsaPssPssSha512];
        let rsae = [
            S::RsaPssRsaeSha256,
            S::RsaPssRsaeSha384,
            S::RsaPssRsaeSha512,
        ];
        let any_hash = EndEntityKey::from_certificate(PSS_ANY_HASH).unwrap();
        let sha256_only = EndEntityKey::from_certificate(PSS_SHA256_ONLY).unwrap();
        let rsa_encryption = EndEntityKey::from_certificate(RSA_ENCRYPTION_CA).unwrap();
        for scheme in pss {
            assert!(any_hash.fits(scheme), "{scheme:?}");
            assert_eq!(sha256_only.fits(scheme), scheme == S::RsaPssPssSha256);
            assert!(!rsa_encryption.fits(scheme));
        }
        for scheme in rsae {
            assert!(!any_hash.fits(scheme));
            assert!(!sha256_only.fits(scheme));
            assert!(rsa_encryption.fits(scheme));
        }
        // The public key is the RSAPublicKey either way.
        assert_eq!(
            crate::x509::signatures::rsa_modulus_bits(&any_hash.public_key),
            Some(2048)
        );
    }
}
