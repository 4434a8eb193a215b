//! RSASSA-PSS private keys: PKCS#8 documents whose algorithm is id-RSASSA-PSS (RFC 4055 §3.1)
//! rather than rsaEncryption, as `openssl genpkey -algorithm RSA-PSS` writes them. Both crypto
//! providers read them here, then sign with the `RSAPrivateKey` inside.
//!
//! ```text
//!   PrivateKeyInfo ::= SEQUENCE {                 -- RFC 5958 (PKCS#8)
//!     version              INTEGER,
//!     privateKeyAlgorithm  AlgorithmIdentifier,   -- id-RSASSA-PSS, RSASSA-PSS-params or absent
//!     privateKey           OCTET STRING,          -- RSAPrivateKey (RFC 8017 A.1.2)
//!     ... }
//!
//!   RSASSA-PSS-params ::= SEQUENCE {              -- RFC 4055 §3.1, RFC 8017 A.2.3
//!     hashAlgorithm      [0] HashAlgorithm     DEFAULT sha1,
//!     maskGenAlgorithm   [1] MaskGenAlgorithm  DEFAULT mgf1SHA1,
//!     saltLength         [2] INTEGER           DEFAULT 20,
//!     trailerField       [3] TrailerField      DEFAULT trailerFieldBC }
//! ```
//!
//! Why the OID matters in TLS: RFC 9846 §4.3.3 splits RSA-PSS in two. `rsa_pss_rsae_*` is for
//! keys whose certificate says rsaEncryption; `rsa_pss_pss_*`: "If the public key is carried
//! in an X.509 certificate, it MUST use the RSASSA-PSS OID". A key of this module therefore
//! offers only `rsa_pss_pss_*`, never `rsa_pss_rsae_*`.
//!
//! Which `rsa_pss_pss_*` schemes, when the key carries parameters: RFC 4055 §3.1 binds a key
//! with parameters to their hash and mask generation function, and makes their saltLength a
//! minimum. TLS signs with MGF1 over the signed digest's hash and a salt exactly as long as
//! that hash (RFC 9846 §4.3.3: "The length of the Salt MUST be equal to the length of the
//! digest algorithm"), so parameters allow one scheme at most:
//!
//! | parameters                                                  | schemes allowed |
//! |-------------------------------------------------------------|-----------------|
//! | absent                                                      | `rsa_pss_pss_sha256`, `_sha384`, `_sha512` |
//! | SHA-256/384/512, MGF1 with the same hash, saltLength ≤ hash length | that one's `rsa_pss_pss_*` |
//! | anything else (SHA-1 by default, another MGF hash, a longer salt) | none: the key is refused |
//!
//! The modulus may narrow the list further (see [`schemes_fitting_modulus`]).
//!
//! Not here: encrypted PKCS#8, and loading the RSA key itself (each provider does that).

use alloc::vec::Vec;

use pkcs8::PrivateKeyInfoRef;
use pkcs8::der::Decode;
use pkcs8::der::asn1::{AnyRef, ObjectIdentifier};

use crate::crypto::CryptoError;
use crate::wire::algorithms::SignatureScheme;

/// id-RSASSA-PSS (RFC 4055 §3.1, RFC 8017 A.2.3).
pub const ID_RSASSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
/// id-mgf1 (RFC 8017 B.2.1), the only mask generation function TLS uses.
const ID_MGF1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.8");

/// The `rsa_pss_pss_*` schemes, their hash's OID (RFC 4055 §2.1) and output length.
const PSS_SCHEMES: [(SignatureScheme, ObjectIdentifier, usize); 3] = [
    (
        SignatureScheme::RsaPssPssSha256,
        ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1"),
        32,
    ),
    (
        SignatureScheme::RsaPssPssSha384,
        ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2"),
        48,
    ),
    (
        SignatureScheme::RsaPssPssSha512,
        ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3"),
        64,
    ),
];

/// A decoded id-RSASSA-PSS PKCS#8 document.
#[derive(Debug)]
pub struct RsassaPssPrivateKey<'a> {
    /// The `RSAPrivateKey` (PKCS#1 DER, RFC 8017 A.1.2) inside, to load with the provider.
    pub rsa_private_key: &'a [u8],
    /// The `rsa_pss_pss_*` schemes the parameters allow, before the modulus is considered.
    pub schemes: Vec<SignatureScheme>,
}

/// Decodes `der` as a PKCS#8 `PrivateKeyInfo` with algorithm id-RSASSA-PSS. Anything else
/// (another algorithm, no TLS scheme allowed by the parameters, bad DER) is
/// [`CryptoError::InvalidKey`].
pub fn decode(der: &[u8]) -> Result<RsassaPssPrivateKey<'_>, CryptoError> {
    let info = PrivateKeyInfoRef::from_der(der).map_err(|_| CryptoError::InvalidKey)?;
    if info.algorithm.oid != ID_RSASSA_PSS {
        return Err(CryptoError::InvalidKey);
    }
    let schemes = schemes_allowed_by(info.algorithm.parameters);
    if schemes.is_empty() {
        return Err(CryptoError::InvalidKey);
    }
    Ok(RsassaPssPrivateKey {
        rsa_private_key: info.private_key.as_bytes(),
        schemes,
    })
}

/// The `rsa_pss_pss_*` schemes that an id-RSASSA-PSS key with these AlgorithmIdentifier
/// `parameters` may sign with: all three without parameters, at most one with them, none
/// if they do not decode. The same rule serves private keys and certificates' public keys.
pub fn schemes_allowed_by(parameters: Option<AnyRef<'_>>) -> Vec<SignatureScheme> {
    let Some(parameters) = parameters else {
        return PSS_SCHEMES.iter().map(|&(scheme, _, _)| scheme).collect();
    };
    let Ok(params) = parameters.decode_as::<pkcs1::RsaPssParamsOwned>() else {
        return Vec::new();
    };
    // RFC 9846 §4.3.3: "The digest used in MGF1 and the digest being signed are both the
    // corresponding hash algorithm". Only the OIDs are compared: a hash's NULL parameters
    // may be present or absent.
    let mgf1_hash = match params.mask_gen.parameters {
        Some(hash) if params.mask_gen.oid == ID_MGF1 => hash.oid,
        _ => return Vec::new(),
    };
    PSS_SCHEMES
        .iter()
        .filter(|&&(_, oid, hash_len)| {
            params.hash.oid == oid && mgf1_hash == oid && usize::from(params.salt_len) <= hash_len
        })
        .map(|&(scheme, _, _)| scheme)
        .collect()
}

/// The output length of the hash of an RSA-PSS scheme, `rsae` or `pss`.
pub fn pss_hash_len(scheme: SignatureScheme) -> Option<usize> {
    use SignatureScheme as S;
    match scheme {
        S::RsaPssRsaeSha256 | S::RsaPssPssSha256 => Some(32),
        S::RsaPssRsaeSha384 | S::RsaPssPssSha384 => Some(48),
        S::RsaPssRsaeSha512 | S::RsaPssPssSha512 => Some(64),
        _ => None,
    }
}

/// The RSA-PSS schemes of `candidates` that a modulus of `modulus_bits` can carry.
///
/// RFC 8017 §9.1.1: encoding fails unless emLen >= hLen + sLen + 2, and TLS fixes
/// sLen = hLen. emLen is ceil((modBits - 1) / 8), so a 1024-bit key (RFC 8448's) can carry
/// SHA-256 and SHA-384 but not SHA-512.
pub fn schemes_fitting_modulus(
    candidates: &[SignatureScheme],
    modulus_bits: usize,
) -> Vec<SignatureScheme> {
    let em_len = modulus_bits.saturating_sub(1).div_ceil(8);
    candidates
        .iter()
        .copied()
        .filter(|&scheme| pss_hash_len(scheme).is_some_and(|h| em_len >= 2 * h + 2))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use pkcs8::der::Encode;

    /// AlgorithmIdentifier { id-RSASSA-PSS, `params` } wrapped in a PrivateKeyInfo around a
    /// dummy private key (this module does not look inside it).
    fn pkcs8(params: Option<&[u8]>) -> Vec<u8> {
        let oid = ID_RSASSA_PSS.to_der().unwrap();
        let params = params.unwrap_or(&[]);
        let alg_len = oid.len() + params.len();
        let mut alg = vec![0x30, alg_len as u8];
        alg.extend_from_slice(&oid);
        alg.extend_from_slice(params);
        let key = [0x04, 0x02, 0x30, 0x00];
        let body_len = 3 + alg.len() + key.len();
        let mut der = vec![0x30, body_len as u8, 0x02, 0x01, 0x00];
        der.extend_from_slice(&alg);
        der.extend_from_slice(&key);
        der
    }

    /// RSASSA-PSS-params for `hash` (the last byte of a NIST hash OID: 1 = SHA-256), MGF1
    /// over `mgf_hash`, and `salt` — as OpenSSL writes them (hash NULL parameters absent).
    fn params(hash: u8, mgf_hash: u8, salt: u8) -> Vec<u8> {
        let hash_alg = |h: u8| {
            [
                0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 1, 0x65, 3, 4, 2, h,
            ]
        };
        let mut body = vec![0xa0, 0x0d];
        body.extend_from_slice(&hash_alg(hash));
        body.extend_from_slice(&[0xa1, 0x1a, 0x30, 0x18]);
        body.extend_from_slice(&ID_MGF1.to_der().unwrap());
        body.extend_from_slice(&hash_alg(mgf_hash));
        body.extend_from_slice(&[0xa2, 0x03, 0x02, 0x01, salt]);
        let mut out = vec![0x30, body.len() as u8];
        out.extend_from_slice(&body);
        out
    }

    #[test]
    fn test_parse_without_parameters_allows_every_pss_scheme() {
        let der = pkcs8(None);
        let key = decode(&der).unwrap();
        assert_eq!(key.rsa_private_key, [0x30, 0x00]);
        assert_eq!(
            key.schemes,
            [
                SignatureScheme::RsaPssPssSha256,
                SignatureScheme::RsaPssPssSha384,
                SignatureScheme::RsaPssPssSha512
            ]
        );
    }

    #[test]
    fn test_parse_parameters_restrict_to_their_hash() {
        let der = pkcs8(Some(&params(2, 2, 48)));
        assert_eq!(
            decode(&der).unwrap().schemes,
            [SignatureScheme::RsaPssPssSha384]
        );
        // A shorter minimum salt still allows TLS's salt = hash length.
        let der = pkcs8(Some(&params(1, 1, 20)));
        assert_eq!(
            decode(&der).unwrap().schemes,
            [SignatureScheme::RsaPssPssSha256]
        );
    }

    #[test]
    fn test_parse_refuses_parameters_tls_cannot_meet() {
        for bad in [
            params(1, 3, 32), // MGF1 over another hash
            params(1, 1, 33), // a minimum salt longer than the hash
            vec![0x30, 0x00], // every field defaulted: SHA-1
        ] {
            assert_eq!(
                decode(&pkcs8(Some(&bad))).err(),
                Some(CryptoError::InvalidKey)
            );
        }
    }

    #[test]
    fn test_parse_refuses_other_algorithms() {
        // An Ed25519 PKCS#8 document (RFC 8410 §10.3 layout).
        let ed25519 = [
            0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22,
            0x04, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0,
        ];
        assert_eq!(decode(&ed25519).err(), Some(CryptoError::InvalidKey));
        assert_eq!(decode(&[]).err(), Some(CryptoError::InvalidKey));
    }

    #[test]
    fn test_schemes_fitting_modulus() {
        let all = [
            SignatureScheme::RsaPssRsaeSha256,
            SignatureScheme::RsaPssRsaeSha384,
            SignatureScheme::RsaPssRsaeSha512,
        ];
        // 1024 bits: emLen 128 < 2 × 64 + 2, so no SHA-512.
        assert_eq!(schemes_fitting_modulus(&all, 1024), all[..2]);
        assert_eq!(schemes_fitting_modulus(&all, 2048), all);
        // emLen = ceil(1033 / 8) = 130 = 2 × 64 + 2: just enough.
        assert_eq!(schemes_fitting_modulus(&all, 1034), all);
        assert_eq!(schemes_fitting_modulus(&all, 1033), all[..2]);
        assert_eq!(
            schemes_fitting_modulus(&[SignatureScheme::Ed25519], 4096),
            []
        );
    }
}
