//! The names of cipher suites, named groups and signature schemes: `Display` and `FromStr`
//! for the types of [`crate::wire::algorithms`], under the names the RFCs and the IANA
//! registries give them.
//!
//! Each type has one table of `(value, name)` rows. The first row of a value is its
//! canonical name (what [`core::fmt::Display`] and `rfc_name` print); further rows of the
//! same value are aliases that parsing also accepts (`P-256` for `secp256r1`). Parsing
//! ignores ASCII case, and also accepts a wire value in hex (`0x1301`), which is what
//! `Display` prints for a value without a name. Naming a new code point is one row here.
//!
//! Not here: which of these values this library can run (the crypto provider says that).

use core::fmt;
use core::str::FromStr;

use super::algorithms::{CipherSuite, NamedGroup, SignatureScheme};

/// RFC 9846 Appendix B.4 and the IANA "TLS Cipher Suites" registry.
pub(crate) const CIPHER_SUITE_NAMES: &[(CipherSuite, &str)] = &[
    (
        CipherSuite::TLS_AES_128_GCM_SHA256,
        "TLS_AES_128_GCM_SHA256",
    ),
    (
        CipherSuite::TLS_AES_256_GCM_SHA384,
        "TLS_AES_256_GCM_SHA384",
    ),
    (
        CipherSuite::TLS_CHACHA20_POLY1305_SHA256,
        "TLS_CHACHA20_POLY1305_SHA256",
    ),
    (
        CipherSuite::TLS_AES_128_CCM_SHA256,
        "TLS_AES_128_CCM_SHA256",
    ),
    (
        CipherSuite::TLS_AES_128_CCM_8_SHA256,
        "TLS_AES_128_CCM_8_SHA256",
    ),
];

/// RFC 9846 §4.3.7 and the IANA "TLS Supported Groups" registry.
pub(crate) const NAMED_GROUP_NAMES: &[(NamedGroup, &str)] = &[
    (NamedGroup::Secp256r1, "secp256r1"),
    (NamedGroup::Secp384r1, "secp384r1"),
    (NamedGroup::Secp521r1, "secp521r1"),
    (NamedGroup::X25519, "x25519"),
    (NamedGroup::X448, "x448"),
    (NamedGroup::Ffdhe2048, "ffdhe2048"),
    (NamedGroup::Ffdhe3072, "ffdhe3072"),
    (NamedGroup::Ffdhe4096, "ffdhe4096"),
    (NamedGroup::Ffdhe6144, "ffdhe6144"),
    (NamedGroup::Ffdhe8192, "ffdhe8192"),
    // The post-quantum hybrids (RFC 10024), under their IANA names.
    (NamedGroup::SecP256r1MlKem768, "SecP256r1MLKEM768"),
    (NamedGroup::X25519MlKem768, "X25519MLKEM768"),
    // Aliases: the curves' NIST names.
    (NamedGroup::Secp256r1, "P-256"),
    (NamedGroup::Secp384r1, "P-384"),
    (NamedGroup::Secp521r1, "P-521"),
];

/// RFC 9846 §4.3.3 and the IANA "TLS SignatureScheme" registry.
pub(crate) const SIGNATURE_SCHEME_NAMES: &[(SignatureScheme, &str)] = &[
    (SignatureScheme::RsaPkcs1Sha256, "rsa_pkcs1_sha256"),
    (SignatureScheme::RsaPkcs1Sha384, "rsa_pkcs1_sha384"),
    (SignatureScheme::RsaPkcs1Sha512, "rsa_pkcs1_sha512"),
    (
        SignatureScheme::EcdsaSecp256r1Sha256,
        "ecdsa_secp256r1_sha256",
    ),
    (
        SignatureScheme::EcdsaSecp384r1Sha384,
        "ecdsa_secp384r1_sha384",
    ),
    (
        SignatureScheme::EcdsaSecp521r1Sha512,
        "ecdsa_secp521r1_sha512",
    ),
    (SignatureScheme::RsaPssRsaeSha256, "rsa_pss_rsae_sha256"),
    (SignatureScheme::RsaPssRsaeSha384, "rsa_pss_rsae_sha384"),
    (SignatureScheme::RsaPssRsaeSha512, "rsa_pss_rsae_sha512"),
    (SignatureScheme::Ed25519, "ed25519"),
    (SignatureScheme::Ed448, "ed448"),
    (SignatureScheme::RsaPssPssSha256, "rsa_pss_pss_sha256"),
    (SignatureScheme::RsaPssPssSha384, "rsa_pss_pss_sha384"),
    (SignatureScheme::RsaPssPssSha512, "rsa_pss_pss_sha512"),
    (SignatureScheme::RsaPkcs1Sha1, "rsa_pkcs1_sha1"),
    (SignatureScheme::EcdsaSha1, "ecdsa_sha1"),
];

/// A name that is in none of the tables (and is no hex wire value either).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnknownName {
    /// What was being parsed: "cipher suite", "named group" or "signature scheme".
    pub kind: &'static str,
}

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a known {} name", self.kind)
    }
}

#[cfg(feature = "std")]
impl std::error::Error for UnknownName {}

/// The canonical name of `value` in `table`, or "unknown".
pub(crate) fn name_of<T: PartialEq + Copy>(table: &[(T, &'static str)], value: T) -> &'static str {
    table
        .iter()
        .find(|(v, _)| *v == value)
        .map_or("unknown", |(_, name)| name)
}

/// The value named `text` (ASCII case ignored) in `table`, or the wire value `0x....`.
fn parse<T: Copy>(
    table: &[(T, &'static str)],
    text: &str,
    from_u16: fn(u16) -> T,
    kind: &'static str,
) -> Result<T, UnknownName> {
    let text = text.trim();
    if let Some((value, _)) = table.iter().find(|(_, n)| n.eq_ignore_ascii_case(text)) {
        return Ok(*value);
    }
    text.strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))
        .and_then(|hex| u16::from_str_radix(hex, 16).ok())
        .map(from_u16)
        .ok_or(UnknownName { kind })
}

/// A named value prints its name, any other its wire value in hex.
fn display(f: &mut fmt::Formatter<'_>, name: &str, wire: u16) -> fmt::Result {
    match name {
        "unknown" => write!(f, "0x{wire:04x}"),
        name => f.write_str(name),
    }
}

impl fmt::Display for CipherSuite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        display(f, self.rfc_name(), self.to_u16())
    }
}

impl FromStr for CipherSuite {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse(CIPHER_SUITE_NAMES, s, Self::from_u16, "cipher suite")
    }
}

impl fmt::Display for NamedGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        display(f, self.rfc_name(), self.to_u16())
    }
}

impl FromStr for NamedGroup {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse(NAMED_GROUP_NAMES, s, Self::from_u16, "named group")
    }
}

impl fmt::Display for SignatureScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        display(f, self.rfc_name(), self.to_u16())
    }
}

impl FromStr for SignatureScheme {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse(
            SIGNATURE_SCHEME_NAMES,
            s,
            Self::from_u16,
            "signature scheme",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn test_every_name_round_trips() {
        for (suite, _) in CIPHER_SUITE_NAMES {
            assert_eq!(suite.to_string().parse::<CipherSuite>(), Ok(*suite));
        }
        for (group, _) in NAMED_GROUP_NAMES {
            assert_eq!(group.to_string().parse::<NamedGroup>(), Ok(*group));
        }
        for (scheme, _) in SIGNATURE_SCHEME_NAMES {
            assert_eq!(scheme.to_string().parse::<SignatureScheme>(), Ok(*scheme));
        }
    }

    #[test]
    fn test_parse_ignores_case_and_takes_aliases_and_hex() {
        assert_eq!("X25519".parse(), Ok(NamedGroup::X25519));
        assert_eq!("p-256".parse(), Ok(NamedGroup::Secp256r1));
        assert_eq!(NamedGroup::Secp256r1.to_string(), "secp256r1");
        assert_eq!(
            "tls_aes_256_gcm_sha384".parse(),
            Ok(CipherSuite::TLS_AES_256_GCM_SHA384)
        );
        assert_eq!("Ed25519".parse(), Ok(SignatureScheme::Ed25519));
        assert_eq!("0xfe0e".parse(), Ok(NamedGroup::from_u16(0xfe0e)));
        assert_eq!(NamedGroup::from_u16(0xfe0e).to_string(), "0xfe0e");
        assert_eq!("x25519mlkem768".parse(), Ok(NamedGroup::X25519MlKem768));
        assert_eq!(
            "SECP256R1MLKEM768".parse(),
            Ok(NamedGroup::SecP256r1MlKem768)
        );
        assert_eq!(NamedGroup::X25519MlKem768.to_string(), "X25519MLKEM768");
        assert!("x25519-mlkem".parse::<NamedGroup>().is_err());
        let err = "x25520".parse::<NamedGroup>().unwrap_err();
        assert_eq!(err.to_string(), "not a known named group name");
    }
}
