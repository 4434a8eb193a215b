//! The algorithm registries TLS 1.3 negotiates (RFC 9846 §4.3.3, §4.3.7, Appendix B.4):
//! cipher suites, named groups and signature schemes.
//!
//! Like [`crate::wire::codes`], these only *name* values; `Unknown` keeps anything else as
//! received. Which of them this library can actually run is the crypto provider's answer.
//! Their names (`Display`, `FromStr`) are in [`crate::wire::algorithm_names`].

use super::algorithm_names::{
    CIPHER_SUITE_NAMES, NAMED_GROUP_NAMES, SIGNATURE_SCHEME_NAMES, name_of,
};

/// RFC 9846 §B.4: the AEAD and hash pair a connection uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(non_camel_case_types)]
pub enum CipherSuite {
    /// `TLS_AES_128_GCM_SHA256` (0x1301).
    TLS_AES_128_GCM_SHA256,
    /// `TLS_AES_256_GCM_SHA384` (0x1302).
    TLS_AES_256_GCM_SHA384,
    /// `TLS_CHACHA20_POLY1305_SHA256` (0x1303).
    TLS_CHACHA20_POLY1305_SHA256,
    /// `TLS_AES_128_CCM_SHA256` (0x1304).
    TLS_AES_128_CCM_SHA256,
    /// `TLS_AES_128_CCM_8_SHA256` (0x1305).
    TLS_AES_128_CCM_8_SHA256,
    /// A value without a name here, kept as received.
    Unknown(u16),
}

impl CipherSuite {
    /// The wire value.
    pub fn to_u16(self) -> u16 {
        match self {
            Self::TLS_AES_128_GCM_SHA256 => 0x1301,
            Self::TLS_AES_256_GCM_SHA384 => 0x1302,
            Self::TLS_CHACHA20_POLY1305_SHA256 => 0x1303,
            Self::TLS_AES_128_CCM_SHA256 => 0x1304,
            Self::TLS_AES_128_CCM_8_SHA256 => 0x1305,
            Self::Unknown(v) => v,
        }
    }

    /// The code point for a wire value.
    pub fn from_u16(v: u16) -> Self {
        match v {
            0x1301 => Self::TLS_AES_128_GCM_SHA256,
            0x1302 => Self::TLS_AES_256_GCM_SHA384,
            0x1303 => Self::TLS_CHACHA20_POLY1305_SHA256,
            0x1304 => Self::TLS_AES_128_CCM_SHA256,
            0x1305 => Self::TLS_AES_128_CCM_8_SHA256,
            v => Self::Unknown(v),
        }
    }

    /// The name the RFC gives this value ("unknown" for a value without one); the
    /// names live in [`crate::wire::algorithm_names`].
    pub fn rfc_name(self) -> &'static str {
        name_of(CIPHER_SUITE_NAMES, self)
    }
}

/// RFC 9846 §4.3.7: the groups a key share can be made in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NamedGroup {
    /// `secp256r1` (0x0017).
    Secp256r1,
    /// `secp384r1` (0x0018).
    Secp384r1,
    /// `secp521r1` (0x0019).
    Secp521r1,
    /// `x25519` (0x001d).
    X25519,
    /// `x448` (0x001e).
    X448,
    /// `ffdhe2048` (0x0100).
    Ffdhe2048,
    /// `ffdhe3072` (0x0101).
    Ffdhe3072,
    /// `ffdhe4096` (0x0102).
    Ffdhe4096,
    /// `ffdhe6144` (0x0103).
    Ffdhe6144,
    /// `ffdhe8192` (0x0104).
    Ffdhe8192,
    /// `SecP256r1MLKEM768` (0x11eb): P-256 ECDHE and ML-KEM-768 together (RFC 10024).
    SecP256r1MlKem768,
    /// `X25519MLKEM768` (0x11ec): ML-KEM-768 and X25519 together (RFC 10024).
    X25519MlKem768,
    /// A value without a name here, kept as received.
    Unknown(u16),
}

impl NamedGroup {
    /// The wire value.
    pub fn to_u16(self) -> u16 {
        match self {
            Self::Secp256r1 => 0x0017,
            Self::Secp384r1 => 0x0018,
            Self::Secp521r1 => 0x0019,
            Self::X25519 => 0x001d,
            Self::X448 => 0x001e,
            Self::Ffdhe2048 => 0x0100,
            Self::Ffdhe3072 => 0x0101,
            Self::Ffdhe4096 => 0x0102,
            Self::Ffdhe6144 => 0x0103,
            Self::Ffdhe8192 => 0x0104,
            Self::SecP256r1MlKem768 => 0x11eb,
            Self::X25519MlKem768 => 0x11ec,
            Self::Unknown(v) => v,
        }
    }

    /// The code point for a wire value.
    pub fn from_u16(v: u16) -> Self {
        match v {
            0x0017 => Self::Secp256r1,
            0x0018 => Self::Secp384r1,
            0x0019 => Self::Secp521r1,
            0x001d => Self::X25519,
            0x001e => Self::X448,
            0x0100 => Self::Ffdhe2048,
            0x0101 => Self::Ffdhe3072,
            0x0102 => Self::Ffdhe4096,
            0x0103 => Self::Ffdhe6144,
            0x0104 => Self::Ffdhe8192,
            0x11eb => Self::SecP256r1MlKem768,
            0x11ec => Self::X25519MlKem768,
            v => Self::Unknown(v),
        }
    }

    /// The name the RFC gives this value ("unknown" for a value without one); the
    /// names live in [`crate::wire::algorithm_names`].
    pub fn rfc_name(self) -> &'static str {
        name_of(NAMED_GROUP_NAMES, self)
    }

    /// True for the post-quantum hybrid groups (RFC 10024), whose key shares are an ML-KEM
    /// key or ciphertext joined with an (EC)DHE share.
    pub fn is_hybrid(self) -> bool {
        matches!(self, Self::SecP256r1MlKem768 | Self::X25519MlKem768)
    }
}

/// RFC 9846 §4.3.3: a signature algorithm together with its hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SignatureScheme {
    /// `rsa_pkcs1_sha256` (0x0401).
    RsaPkcs1Sha256,
    /// `rsa_pkcs1_sha384` (0x0501).
    RsaPkcs1Sha384,
    /// `rsa_pkcs1_sha512` (0x0601).
    RsaPkcs1Sha512,
    /// `ecdsa_secp256r1_sha256` (0x0403).
    EcdsaSecp256r1Sha256,
    /// `ecdsa_secp384r1_sha384` (0x0503).
    EcdsaSecp384r1Sha384,
    /// `ecdsa_secp521r1_sha512` (0x0603).
    EcdsaSecp521r1Sha512,
    /// `rsa_pss_rsae_sha256` (0x0804).
    RsaPssRsaeSha256,
    /// `rsa_pss_rsae_sha384` (0x0805).
    RsaPssRsaeSha384,
    /// `rsa_pss_rsae_sha512` (0x0806).
    RsaPssRsaeSha512,
    /// `ed25519` (0x0807).
    Ed25519,
    /// `ed448` (0x0808).
    Ed448,
    /// `rsa_pss_pss_sha256` (0x0809).
    RsaPssPssSha256,
    /// `rsa_pss_pss_sha384` (0x080a).
    RsaPssPssSha384,
    /// `rsa_pss_pss_sha512` (0x080b).
    RsaPssPssSha512,
    /// `rsa_pkcs1_sha1` (0x0201).
    RsaPkcs1Sha1,
    /// `ecdsa_sha1` (0x0203).
    EcdsaSha1,
    /// A value without a name here, kept as received.
    Unknown(u16),
}

impl SignatureScheme {
    /// The wire value.
    pub fn to_u16(self) -> u16 {
        match self {
            Self::RsaPkcs1Sha256 => 0x0401,
            Self::RsaPkcs1Sha384 => 0x0501,
            Self::RsaPkcs1Sha512 => 0x0601,
            Self::EcdsaSecp256r1Sha256 => 0x0403,
            Self::EcdsaSecp384r1Sha384 => 0x0503,
            Self::EcdsaSecp521r1Sha512 => 0x0603,
            Self::RsaPssRsaeSha256 => 0x0804,
            Self::RsaPssRsaeSha384 => 0x0805,
            Self::RsaPssRsaeSha512 => 0x0806,
            Self::Ed25519 => 0x0807,
            Self::Ed448 => 0x0808,
            Self::RsaPssPssSha256 => 0x0809,
            Self::RsaPssPssSha384 => 0x080a,
            Self::RsaPssPssSha512 => 0x080b,
            Self::RsaPkcs1Sha1 => 0x0201,
            Self::EcdsaSha1 => 0x0203,
            Self::Unknown(v) => v,
        }
    }

    /// The code point for a wire value.
    pub fn from_u16(v: u16) -> Self {
        match v {
            0x0401 => Self::RsaPkcs1Sha256,
            0x0501 => Self::RsaPkcs1Sha384,
            0x0601 => Self::RsaPkcs1Sha512,
            0x0403 => Self::EcdsaSecp256r1Sha256,
            0x0503 => Self::EcdsaSecp384r1Sha384,
            0x0603 => Self::EcdsaSecp521r1Sha512,
            0x0804 => Self::RsaPssRsaeSha256,
            0x0805 => Self::RsaPssRsaeSha384,
            0x0806 => Self::RsaPssRsaeSha512,
            0x0807 => Self::Ed25519,
            0x0808 => Self::Ed448,
            0x0809 => Self::RsaPssPssSha256,
            0x080a => Self::RsaPssPssSha384,
            0x080b => Self::RsaPssPssSha512,
            0x0201 => Self::RsaPkcs1Sha1,
            0x0203 => Self::EcdsaSha1,
            v => Self::Unknown(v),
        }
    }

    /// The name the RFC gives this value ("unknown" for a value without one); the
    /// names live in [`crate::wire::algorithm_names`].
    pub fn rfc_name(self) -> &'static str {
        name_of(SIGNATURE_SCHEME_NAMES, self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_every_code_point_round_trips() {
        for v in 0..=u16::MAX {
            assert_eq!(CipherSuite::from_u16(v).to_u16(), v);
        }
        for v in 0..=u16::MAX {
            assert_eq!(NamedGroup::from_u16(v).to_u16(), v);
        }
        for v in 0..=u16::MAX {
            assert_eq!(SignatureScheme::from_u16(v).to_u16(), v);
        }
    }

    #[test]
    fn test_hybrid_code_points() {
        assert_eq!(NamedGroup::X25519MlKem768.to_u16(), 0x11ec);
        assert_eq!(NamedGroup::from_u16(0x11eb), NamedGroup::SecP256r1MlKem768);
        assert!(NamedGroup::X25519MlKem768.is_hybrid());
        assert!(!NamedGroup::X25519.is_hybrid());
    }
}
