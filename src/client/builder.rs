//! The builder of [`ClientConfig`]: [`ClientConfigBuilder`].

use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::credentials::{CertifiedKey, ExternalPsk};
use crate::crypto::CryptoProvider;
use crate::error::ConfigError;
use crate::keylog::KeyLog;
use crate::time::Time;
use crate::verify::{Answer, PinnedCertificates, PinnedPublicKeys, ServerCertVerifier};
use crate::wire::algorithms::{CipherSuite, NamedGroup, SignatureScheme};
use crate::wire::codes::CertificateType;
#[cfg(feature = "x509")]
use crate::x509::{CertificateValidator, TrustAnchors, WebPkiServerVerifier};

use super::config::ClientConfig;

/// [`ClientConfigBuilder`]: a client configuration in three steps, checked once.
///
/// 1. `ClientConfig::builder(provider)`;
/// 2. whom to trust, exactly one of: `trust_anchors`
///    (full X.509 validation and the server's name, feature `x509`), [`pinned_certificates`](ClientConfigBuilder::pinned_certificates),
///    [`pinned_public_keys`](ClientConfigBuilder::pinned_public_keys) (raw public keys, RFC 7250),
///    or a custom [`verifier`](ClientConfigBuilder::verifier);
/// 3. optional settings (client certificates, ALPN, suites, groups, PSKs, 0-RTT, key log),
///    then [`build`](ClientConfigBuilder::build), which checks the whole config once and
///    names the field at fault ([`ConfigError`](crate::ConfigError)). Connections made with the result do not
///    check it again.
///
/// ```
/// # use std::sync::Arc;
/// # use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
/// # use lucid_tls::{ClientConfig, NamedGroup};
/// # fn main() -> Result<(), lucid_tls::ConfigError> {
/// let config = ClientConfig::builder(Arc::new(RustCryptoProvider))
///     .pinned_certificates(vec![vec![0x30, 0x00]])
///     .alpn(["h2", "http/1.1"])
///     .groups(&[NamedGroup::X25519, NamedGroup::Secp256r1])
///     .build()?;
/// assert_eq!(config.alpn_protocols[0], b"h2");
/// # Ok(()) }
/// ```
pub struct ClientConfigBuilder {
    config: ClientConfig,
    verifier_set: bool,
}

impl ClientConfig {
    /// Starts a client configuration with [`ClientConfig::new`]'s defaults; say whom to
    /// trust next, then [`ClientConfigBuilder::build`].
    pub fn builder(provider: Arc<dyn CryptoProvider>) -> ClientConfigBuilder {
        ClientConfigBuilder {
            config: ClientConfig::new(provider, Arc::new(NoVerifier)),
            verifier_set: false,
        }
    }
}

#[cfg(feature = "x509")]
impl WebPkiServerVerifier {
    /// A [`ClientConfig::new`] default that validates servers with this verifier and
    /// advertises what it accepts in signature_algorithms_cert (what
    /// [`ClientConfig::builder`] does; kept for existing callers).
    pub fn into_client_config(self) -> ClientConfig {
        let provider = self.validator().provider().clone();
        let mut config = ClientConfig::new(provider, Arc::new(self));
        advertise_certificate_schemes(&mut config);
        config
    }
}

impl ClientConfigBuilder {
    /// Trust servers whose chain leads to one of `anchors`, and whose certificate names the
    /// server name the connection is made to (full X.509 validation,
    /// [`WebPkiServerVerifier`]; feature `x509`).
    #[cfg(feature = "x509")]
    pub fn trust_anchors(self, anchors: TrustAnchors) -> Self {
        let provider = self.config.provider.clone();
        let validator = CertificateValidator::new(provider, anchors);
        self.verifier(Arc::new(WebPkiServerVerifier::new(validator)))
    }

    /// Trust exactly these end-entity certificates (DER), byte for byte
    /// ([`PinnedCertificates`]).
    pub fn pinned_certificates(self, certificates: Vec<Vec<u8>>) -> Self {
        self.verifier(Arc::new(PinnedCertificates::new(certificates)))
    }

    /// Trust exactly these public keys (DER SubjectPublicKeyInfo, [`PinnedPublicKeys`]),
    /// and ask the server for a raw public key (RFC 7250): server_certificate_type offers
    /// RawPublicKey alone. A server that cannot send one fails the handshake
    /// (unsupported_certificate); to also take an X.509 certificate whose key is pinned, add
    /// X509 with [`server_certificate_types`](Self::server_certificate_types).
    pub fn pinned_public_keys(self, keys: Vec<Vec<u8>>) -> Self {
        self.verifier(Arc::new(PinnedPublicKeys::new(keys)))
            .server_certificate_types(&[CertificateType::RawPublicKey])
    }

    /// The certificate types to take from the server, most preferred first (RFC 7250
    /// server_certificate_type). X.509 alone by default; with RawPublicKey the verifier's
    /// `verify_raw_public_key` decides on the server's key.
    pub fn server_certificate_types(mut self, types: &[CertificateType]) -> Self {
        self.config.server_certificate_types = types.to_vec();
        self
    }

    /// Trust whatever `verifier` accepts.
    pub fn verifier(mut self, verifier: Arc<dyn ServerCertVerifier>) -> Self {
        self.config.verifier = verifier;
        self.verifier_set = true;
        self
    }

    /// Adds a certificate and key to answer a CertificateRequest with (mutual TLS); several
    /// may be added, in preference order. One with a raw public key
    /// ([`CertifiedKey::from_raw_public_key`]) makes the client offer RawPublicKey in
    /// client_certificate_type (RFC 7250).
    pub fn client_auth(mut self, certified: CertifiedKey) -> Self {
        self.config.client_auth.push(certified);
        self
    }

    /// The ALPN protocols to offer, most preferred first (RFC 7301).
    pub fn alpn<P: AsRef<[u8]>>(mut self, protocols: impl IntoIterator<Item = P>) -> Self {
        self.config.alpn_protocols = protocols.into_iter().map(|p| p.as_ref().to_vec()).collect();
        self
    }

    /// The cipher suites to offer, most preferred first.
    pub fn cipher_suites(mut self, suites: &[CipherSuite]) -> Self {
        self.config.cipher_suites = suites.to_vec();
        self
    }

    /// The groups to advertise, most preferred first; the first also gets a key share.
    pub fn groups(mut self, groups: &[NamedGroup]) -> Self {
        self.config.key_share_groups = groups.iter().take(1).copied().collect();
        self.config.supported_groups = groups.to_vec();
        self
    }

    /// The signature schemes to accept in the server's CertificateVerify.
    pub fn signature_schemes(mut self, schemes: &[SignatureScheme]) -> Self {
        self.config.signature_schemes = schemes.to_vec();
        self
    }

    /// Adds an external PSK to offer (RFC 9846 §4.3.11).
    pub fn external_psk(mut self, psk: ExternalPsk) -> Self {
        self.config.external_psks.push(psk);
        self
    }

    /// Send 0-RTT data when resuming with a ticket that allows it.
    pub fn early_data(mut self, enable: bool) -> Self {
        self.config.enable_early_data = enable;
        self
    }

    /// The record_size_limit to advertise (RFC 8449), 64 to 16385.
    pub fn record_size_limit(mut self, limit: u16) -> Self {
        self.config.record_size_limit = Some(limit);
        self
    }

    /// Middlebox compatibility mode (RFC 9846 Appendix E.4).
    pub fn middlebox_compat(mut self, enable: bool) -> Self {
        self.config.middlebox_compat = enable;
        self
    }

    /// Collect trace events (off by default; see [`crate::trace`]).
    pub fn trace(mut self, enable: bool) -> Self {
        self.config.trace = enable;
        self
    }

    /// Write NSS key log lines (debugging only; see [`crate::keylog`]).
    pub fn keylog(mut self, keylog: Arc<dyn KeyLog>) -> Self {
        self.config.keylog = Some(keylog);
        self
    }

    /// The most records one of our write keys may protect before a KeyUpdate (at least 2;
    /// it only lowers the limits of RFC 9846 §5.5).
    pub fn max_records_per_key(mut self, max_records: u64) -> Self {
        self.config.max_records_per_key = Some(max_records);
        self
    }

    /// How many tickets a [`TicketStore`](super::TicketStore) built for this config keeps.
    pub fn ticket_store_capacity(mut self, capacity: usize) -> Self {
        self.config.ticket_store_capacity = capacity;
        self
    }

    /// Checks the config once ([`ClientConfig::validate`]: suites and groups against the
    /// provider, every client certificate against its key) and returns it, ready to share.
    /// signature_algorithms_cert advertises the certificate signatures the verifier
    /// accepts, when they differ from signature_algorithms.
    pub fn build(mut self) -> Result<Arc<ClientConfig>, ConfigError> {
        if !self.verifier_set {
            return Err(ConfigError {
                config: "ClientConfig",
                field: "verifier",
                problem: "say whom to trust: trust_anchors, pinned_certificates, pinned_public_keys or verifier",
            });
        }
        advertise_certificate_schemes(&mut self.config);
        self.config.validate()?;
        Ok(Arc::new(self.config))
    }
}

/// Sets signature_algorithms_cert from the verifier's hint (RFC 9846 §4.3.3:
/// "Implementations which have the same policy in both cases MAY omit the
/// "signature_algorithms_cert" extension").
fn advertise_certificate_schemes(config: &mut ClientConfig) {
    if let Some(accepted) = config.verifier.certificate_schemes() {
        config.signature_schemes_cert = (config.signature_schemes != accepted).then_some(accepted);
    }
}

/// The builder's verifier until one is chosen; `build` refuses a config that still has it.
struct NoVerifier;

impl ServerCertVerifier for NoVerifier {
    fn verify(&self, _: &[u8], _: &[&[u8]], _: Option<&str>, _: Time) -> Answer {
        Answer::Now(Err(crate::error::Error::Misuse(
            "no certificate verifier chosen",
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::RustCryptoProvider;
    use alloc::string::ToString;

    #[test]
    fn test_build_names_the_field_at_fault() {
        let provider = || -> Arc<dyn CryptoProvider> { Arc::new(RustCryptoProvider) };
        let err = ClientConfig::builder(provider()).build().unwrap_err();
        assert_eq!(err.field, "verifier");
        let err = ClientConfig::builder(provider())
            .pinned_certificates(Vec::new())
            .cipher_suites(&[])
            .build()
            .unwrap_err();
        assert_eq!(err.field, "cipher_suites");
        let err = ClientConfig::builder(provider())
            .pinned_certificates(Vec::new())
            .groups(&[NamedGroup::Ffdhe2048])
            .build()
            .unwrap_err();
        assert_eq!(err.field, "key_share_groups");
        let err = ClientConfig::builder(provider())
            .pinned_certificates(Vec::new())
            .record_size_limit(10)
            .build()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "ClientConfig.record_size_limit: outside 64..=16385"
        );
        let err = ClientConfig::builder(provider())
            .pinned_certificates(Vec::new())
            .max_records_per_key(1)
            .build()
            .unwrap_err();
        assert_eq!(err.field, "max_records_per_key");
    }

    #[test]
    fn test_build_keeps_the_hybrid_default_and_hardening_settings() {
        let config = ClientConfig::builder(Arc::new(RustCryptoProvider))
            .pinned_certificates(Vec::new())
            .max_records_per_key(2)
            .ticket_store_capacity(3)
            .build()
            .unwrap();
        assert_eq!(
            config.key_share_groups,
            [NamedGroup::X25519MlKem768, NamedGroup::X25519]
        );
        assert_eq!(config.max_records_per_key, Some(2));
        assert_eq!(config.ticket_store_capacity, 3);
    }
}
