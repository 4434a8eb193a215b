//! [`ClientConfig`]: everything a client decides before it says hello, shared by every
//! connection made with it (put it in an `Arc`).
//!
//! What the fields become in the ClientHello (RFC 9846 §4.2.2, §4.3):
//!
//! | field                       | ClientHello                                             |
//! |-----------------------------|---------------------------------------------------------|
//! | `cipher_suites`             | `cipher_suites`, in preference order                    |
//! | `key_share_groups`          | key_share: one share per group, computed, in this order |
//! | `supported_groups`          | supported_groups (advertised; defaults to the above)    |
//! | `signature_schemes`         | signature_algorithms; also what a CertificateVerify may use |
//! | `signature_schemes_cert`    | signature_algorithms_cert, if set                       |
//! | `alpn_protocols`            | application_layer_protocol_negotiation, if not empty    |
//! | server name (per connection) | server_name                                            |
//! | `server_certificate_types`  | server_certificate_type (RFC 7250), if it lists more than X509 |
//! | `client_auth`               | client_certificate_type (RFC 7250), if a credential has a raw public key |
//! | `record_size_limit`         | record_size_limit (RFC 8449), if set                    |
//! | `max_fragment_length`       | max_fragment_length (RFC 6066), if set                  |
//! | `psk_modes`                 | psk_key_exchange_modes, if not empty                    |
//! | `middlebox_compat`          | a random legacy_session_id, dummy change_cipher_spec (Appendix E.4) |
//! | `client_hello_padding`      | padding (RFC 7685), if the policy asks for it          |
//! | `extra_extensions`          | sent as given (advertised-only extensions such as renegotiation_info) |
//! | `extension_order`           | the order of the extensions; pre_shared_key stays last  |
//!
//! Advertised-only values (ffdhe groups, SHA-1 schemes, opaque extensions) are how a config
//! reproduces a real client's hello byte for byte, as RFC 8448's NSS hellos; lucid-tls never
//! selects them. [`ClientConfig::new`] gives a modern default.

use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;

use crate::connection::cert_verify::check_certified_key;
use crate::credentials::{CertifiedKey, ExternalPsk};
use crate::crypto::{
    CryptoProvider, DEFAULT_CIPHER_SUITES, DEFAULT_GROUPS, DEFAULT_KEY_SHARE_GROUPS,
    DEFAULT_SIGNATURE_SCHEMES, keep_supported, suite_algorithms,
};
use crate::error::ConfigError;
use crate::keylog::KeyLog;
use crate::record::limits::check_max_records_per_key;
use crate::wire::algorithms::{CipherSuite, NamedGroup, SignatureScheme};
use crate::wire::codes::{CertificateType, ExtensionType, PskKeyExchangeMode};
use crate::wire::extensions::{Extension, MaxFragmentLength};

use crate::verify::ServerCertVerifier;

/// Whether to pad the ClientHello with RFC 7685's padding extension.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ClientHelloPadding {
    /// Never pad.
    #[default]
    None,
    /// Pad a hello whose encoding would be 256 to 511 bytes up to exactly 512: the
    /// workaround (NSS, BoringSSL) for servers that hang on hellos of those sizes, which is
    /// what RFC 8448's resumption and HelloRetryRequest hellos show.
    To512WhenBetween256And511,
}

/// A client configuration. See the module doc for what each field sends.
#[derive(Clone)]
#[non_exhaustive]
pub struct ClientConfig {
    /// The crypto provider.
    pub provider: Arc<dyn CryptoProvider>,
    /// Suites offered, most preferred first.
    pub cipher_suites: Vec<CipherSuite>,
    /// Groups to send a key share for, in this order (key-share prediction). After a
    /// HelloRetryRequest, the group the server asks for must be in `supported_groups`.
    pub key_share_groups: Vec<NamedGroup>,
    /// Groups advertised in supported_groups; empty means `key_share_groups`.
    pub supported_groups: Vec<NamedGroup>,
    /// Schemes advertised in signature_algorithms, and accepted in CertificateVerify.
    pub signature_schemes: Vec<SignatureScheme>,
    /// Schemes advertised in signature_algorithms_cert, if any.
    pub signature_schemes_cert: Option<Vec<SignatureScheme>>,
    /// ALPN protocols offered, most preferred first (RFC 7301).
    pub alpn_protocols: Vec<Vec<u8>>,
    /// The record_size_limit to advertise (RFC 8449), the largest TLSInnerPlaintext we
    /// accept (64 to 16385).
    pub record_size_limit: Option<u16>,
    /// A max_fragment_length to request (RFC 6066).
    pub max_fragment_length: Option<MaxFragmentLength>,
    /// PSK key exchange modes offered; empty sends no psk_key_exchange_modes, and then no
    /// ticket can be used (RFC 9846 §4.3.9).
    pub psk_modes: Vec<PskKeyExchangeMode>,
    /// Send 0-RTT data when resuming with a ticket that allows it (RFC 9846 §4.3.10).
    pub enable_early_data: bool,
    /// Middlebox compatibility mode (RFC 9846 Appendix E.4).
    pub middlebox_compat: bool,
    /// ClientHello padding (RFC 7685).
    pub client_hello_padding: ClientHelloPadding,
    /// Extensions sent as given, after the ones lucid-tls generates.
    pub extra_extensions: Vec<Extension>,
    /// The order of the ClientHello's extensions; types not listed follow, in generation
    /// order. pre_shared_key is always last (RFC 9846 §4.3.11).
    pub extension_order: Option<Vec<ExtensionType>>,
    /// Checks the server's certificate chain (or raw public key).
    pub verifier: Arc<dyn ServerCertVerifier>,
    /// The certificate types the client can process from the server, most preferred first
    /// (RFC 7250 §4.1, server_certificate_type). Empty, or X509 alone: X.509 only, and no
    /// extension. With RawPublicKey, the verifier's `verify_raw_public_key` decides on the
    /// server's key.
    pub server_certificate_types: Vec<CertificateType>,
    /// Our certificates and keys, in preference order, to answer a CertificateRequest
    /// with; empty: an empty Certificate. Which one is sent depends on the request (see
    /// `cert_choice.rs`: its signature_algorithms and certificate_authorities).
    pub client_auth: Vec<CertifiedKey>,
    /// External PSKs to offer (after any ticket).
    pub external_psks: Vec<ExternalPsk>,
    /// Collect trace events (see [`crate::trace`]).
    pub trace: bool,
    /// Write NSS key log lines (see [`crate::keylog`]).
    pub keylog: Option<Arc<dyn KeyLog>>,
    /// The most records one of our write keys may protect; a KeyUpdate (RFC 9846 §4.7.3)
    /// goes out before, with a margin of 2^16 records or half this value. `None`: the
    /// limits of RFC 9846 §5.5 (⌊2^24.5⌋ records for AES-GCM, none below the sequence
    /// number space for ChaCha20-Poly1305). It can only lower them (to at least 2 records):
    /// for an application that wants frequent key updates, and for tests that cross the
    /// limit on the sending and the receiving side without 2^24.5 records.
    pub max_records_per_key: Option<u64>,
    /// How many tickets a [`super::TicketStore`] built for this config keeps (the std
    /// stream's, for one): the newest, however many the server sends (RFC 9846 §4.7.1).
    pub ticket_store_capacity: usize,
}

impl ClientConfig {
    /// A modern default: the three TLS 1.3 suites (AES-128-GCM first); key shares for the
    /// post-quantum hybrid X25519MLKEM768 and for X25519, with SecP256r1MLKEM768 and P-256
    /// also advertised (a server preferring one answers with a HelloRetryRequest); ECDSA
    /// (P-256, P-384), RSA-PSS (rsaEncryption and RSASSA-PSS keys) and Ed25519 signatures; psk_dhe_ke; no ALPN, no 0-RTT, no compatibility mode. Of
    /// these suites, groups and schemes, only those the provider computes (a provider built
    /// without some algorithm families reports fewer).
    pub fn new(provider: Arc<dyn CryptoProvider>, verifier: Arc<dyn ServerCertVerifier>) -> Self {
        let cipher_suites = keep_supported(DEFAULT_CIPHER_SUITES, provider.cipher_suites());
        let supported_groups = keep_supported(DEFAULT_GROUPS, provider.groups());
        let key_share_groups = keep_supported(DEFAULT_KEY_SHARE_GROUPS, provider.groups());
        let signature_schemes =
            keep_supported(DEFAULT_SIGNATURE_SCHEMES, provider.signature_schemes());
        Self {
            provider,
            cipher_suites,
            key_share_groups,
            supported_groups,
            signature_schemes,
            signature_schemes_cert: None,
            alpn_protocols: Vec::new(),
            record_size_limit: None,
            max_fragment_length: None,
            psk_modes: vec![PskKeyExchangeMode::PskDheKe],
            enable_early_data: false,
            middlebox_compat: false,
            client_hello_padding: ClientHelloPadding::None,
            extra_extensions: Vec::new(),
            extension_order: None,
            verifier,
            server_certificate_types: Vec::new(),
            client_auth: Vec::new(),
            external_psks: Vec::new(),
            trace: false,
            keylog: None,
            max_records_per_key: None,
            ticket_store_capacity: super::TicketStore::DEFAULT_CAPACITY,
        }
    }

    /// Checks the rules a configuration must follow, naming the field that breaks one.
    /// [`ClientConfigBuilder::build`](super::ClientConfigBuilder::build) runs it.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let fail = |field, problem| {
            Err(ConfigError {
                config: "ClientConfig",
                field,
                problem,
            })
        };
        if self.cipher_suites.is_empty() {
            return fail("cipher_suites", "no cipher suites");
        }
        if self
            .cipher_suites
            .iter()
            .any(|s| suite_algorithms(*s).is_none())
        {
            return fail("cipher_suites", "a cipher suite this library cannot run");
        }
        let runnable = self.provider.cipher_suites();
        if self.cipher_suites.iter().any(|s| !runnable.contains(s)) {
            return fail("cipher_suites", "a cipher suite the provider cannot run");
        }
        let computable = self.provider.groups();
        if self
            .key_share_groups
            .iter()
            .any(|g| !computable.contains(g))
        {
            return fail(
                "key_share_groups",
                "a key share group the provider cannot compute",
            );
        }
        // RFC 9846 §4.3.8: "Each KeyShareEntry value MUST correspond to a group offered in
        // the "supported_groups" extension and MUST appear in the same order."
        let mut advertised = self.advertised_groups().iter();
        if !self
            .key_share_groups
            .iter()
            .all(|g| advertised.any(|a| a == g))
        {
            return fail(
                "key_share_groups",
                "key share groups must be supported_groups, in the same order",
            );
        }
        if let Some(limit) = self.record_size_limit {
            // RFC 8449 §4: "Endpoints MUST NOT send a "record_size_limit" extension with a
            // value smaller than 64", and a TLS 1.3 endpoint's value is at most 2^14 + 1.
            if !(64..=(1 << 14) + 1).contains(&limit) {
                return fail("record_size_limit", "outside 64..=16385");
            }
        }
        if let Some(problem) = check_max_records_per_key(self.max_records_per_key) {
            return fail("max_records_per_key", problem);
        }
        if self.external_psks.iter().any(|p| {
            suite_algorithms(p.cipher_suite).is_none() || !runnable.contains(&p.cipher_suite)
        }) {
            return fail("external_psks", "an external PSK with an unknown suite");
        }
        for certified in &self.client_auth {
            if let Err(problem) = check_certified_key(self.provider.as_ref(), certified) {
                return fail("client_auth", problem);
            }
        }
        Ok(())
    }

    /// The groups advertised in supported_groups.
    pub(crate) fn advertised_groups(&self) -> &[NamedGroup] {
        if self.supported_groups.is_empty() {
            &self.key_share_groups
        } else {
            &self.supported_groups
        }
    }
}

impl core::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ClientConfig")
            .field("cipher_suites", &self.cipher_suites)
            .field("key_share_groups", &self.key_share_groups)
            .field("supported_groups", &self.supported_groups)
            .field("alpn_protocols", &self.alpn_protocols)
            .field("middlebox_compat", &self.middlebox_compat)
            .field("enable_early_data", &self.enable_early_data)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::danger::AcceptAnyServerCert;
    use crate::crypto::rustcrypto::RustCryptoProvider;

    fn config() -> ClientConfig {
        ClientConfig::new(Arc::new(RustCryptoProvider), Arc::new(AcceptAnyServerCert))
    }

    #[test]
    fn test_default_config_is_valid() {
        assert_eq!(config().validate(), Ok(()));
        let mut lowered = config();
        lowered.max_records_per_key = Some(2);
        assert_eq!(lowered.validate(), Ok(()));
    }

    #[test]
    fn test_validate_refuses_broken_configs() {
        let broken: [fn(&mut ClientConfig); 8] = [
            |c| c.cipher_suites.clear(),
            |c| c.cipher_suites = vec![CipherSuite::from_u16(0x1304)],
            |c| c.key_share_groups = vec![NamedGroup::Ffdhe2048],
            |c| c.key_share_groups = vec![NamedGroup::Secp256r1, NamedGroup::X25519],
            |c| c.record_size_limit = Some(63),
            |c| c.record_size_limit = Some(16386),
            |c| c.max_records_per_key = Some(0),
            |c| c.max_records_per_key = Some(1),
        ];
        for (i, breaks) in broken.iter().enumerate() {
            let mut c = config();
            c.supported_groups.push(NamedGroup::Ffdhe2048);
            breaks(&mut c);
            assert!(c.validate().is_err(), "case {i}");
        }
    }
}
