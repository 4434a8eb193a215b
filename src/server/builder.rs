//! The builder of [`ServerConfig`]: [`ServerConfigBuilder`].

use alloc::sync::Arc;

use crate::credentials::{CertifiedKey, ExternalPsk};
use crate::crypto::CryptoProvider;
use crate::error::ConfigError;
use crate::keylog::KeyLog;
use crate::verify::{ClientCertVerifier, PinnedPublicKeys};
use crate::wire::algorithms::{CipherSuite, NamedGroup};
use crate::wire::codes::CertificateType;
#[cfg(feature = "x509")]
use crate::x509::{CertificateValidator, TrustAnchors, WebPkiClientVerifier};

use super::config::{ClientAuth, EarlyDataConfig, ServerConfig, TicketConfig};

/// [`ServerConfigBuilder`]: a server configuration in three steps, checked once.
///
/// 1. `ServerConfig::builder(provider)`;
/// 2. the certified keys to serve ([`certified_key`](ServerConfigBuilder::certified_key),
///    one per host name or one for all);
/// 3. optional settings: the client-authentication policy, session tickets, 0-RTT,
///    external PSKs, ALPN, suites, groups, key log; then
///    [`build`](ServerConfigBuilder::build), which checks the whole config once (every key
///    against its certificate, suites and groups against the provider, ticket lifetime) and
///    names the field at fault ([`ConfigError`](crate::ConfigError)). Connections made with the result do not
///    check it again.
pub struct ServerConfigBuilder {
    config: ServerConfig,
}

impl ServerConfig {
    /// Starts a server configuration with [`ServerConfig::new`]'s defaults and no
    /// certificate; add some with [`ServerConfigBuilder::certified_key`], then
    /// [`ServerConfigBuilder::build`].
    pub fn builder(provider: Arc<dyn CryptoProvider>) -> ServerConfigBuilder {
        ServerConfigBuilder {
            config: ServerConfig::new(provider, alloc::vec::Vec::new()),
        }
    }
}

impl ServerConfigBuilder {
    /// Adds a certificate chain (or raw public key, RFC 7250) and its key; they are tried in
    /// the order added (see [`CertifiedKey::server_names`]).
    pub fn certified_key(mut self, certified: CertifiedKey) -> Self {
        self.config.certificates.push(certified);
        self
    }

    /// The client-authentication policy (default: [`ClientAuth::None`]).
    pub fn client_auth(mut self, policy: ClientAuth) -> Self {
        self.config.client_auth = policy;
        self
    }

    /// Requires every client to present a certificate chain that `verifier` accepts.
    pub fn require_client_certificates(self, verifier: Arc<dyn ClientCertVerifier>) -> Self {
        self.client_auth(ClientAuth::Required(verifier))
    }

    /// Requires every client to present a certificate chain leading to one of `anchors`
    /// (full X.509 validation for clientAuth, [`WebPkiClientVerifier`]; feature `x509`).
    #[cfg(feature = "x509")]
    pub fn require_client_certificates_from(self, anchors: TrustAnchors) -> Self {
        let validator = CertificateValidator::new(self.config.provider.clone(), anchors);
        self.require_client_certificates(Arc::new(WebPkiClientVerifier::new(validator)))
    }

    /// Requires every client to present one of these raw public keys (DER
    /// SubjectPublicKeyInfo, RFC 7250; [`PinnedPublicKeys`]): the client must offer
    /// RawPublicKey in client_certificate_type, else the handshake fails with
    /// unsupported_certificate.
    pub fn require_client_raw_public_keys(
        mut self,
        keys: alloc::vec::Vec<alloc::vec::Vec<u8>>,
    ) -> Self {
        self.config.client_certificate_types = alloc::vec![CertificateType::RawPublicKey];
        self.require_client_certificates(Arc::new(PinnedPublicKeys::new(keys)))
    }

    /// Session tickets (RFC 9846 §4.7.1): how many, sealed how, valid how long.
    pub fn tickets(mut self, tickets: TicketConfig) -> Self {
        self.config.tickets = Some(tickets);
        self
    }

    /// Accept 0-RTT data (needs tickets or external PSKs).
    pub fn early_data(mut self, early_data: EarlyDataConfig) -> Self {
        self.config.early_data = Some(early_data);
        self
    }

    /// Adds an external PSK the server accepts (RFC 9846 §4.3.11).
    pub fn external_psk(mut self, psk: ExternalPsk) -> Self {
        self.config.external_psks.push(psk);
        self
    }

    /// The ALPN protocols served, most preferred first (RFC 7301).
    pub fn alpn<P: AsRef<[u8]>>(mut self, protocols: impl IntoIterator<Item = P>) -> Self {
        self.config.alpn_protocols = protocols.into_iter().map(|p| p.as_ref().to_vec()).collect();
        self
    }

    /// The cipher suites, most preferred first.
    pub fn cipher_suites(mut self, suites: &[CipherSuite]) -> Self {
        self.config.cipher_suites = suites.to_vec();
        self
    }

    /// The key exchange groups, most preferred first.
    pub fn groups(mut self, groups: &[NamedGroup]) -> Self {
        self.config.key_share_groups = groups.to_vec();
        self
    }

    /// The record_size_limit to answer a client's with (RFC 8449), 64 to 16385.
    pub fn record_size_limit(mut self, limit: u16) -> Self {
        self.config.record_size_limit = Some(limit);
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

    /// Checks the config once ([`ServerConfig::validate`]) and returns it, ready to share.
    pub fn build(self) -> Result<Arc<ServerConfig>, ConfigError> {
        if self.config.certificates.is_empty() && self.config.external_psks.is_empty() {
            return Err(ConfigError {
                config: "ServerConfig",
                field: "certificates",
                problem: "no certified key (and no external PSK)",
            });
        }
        self.config.validate()?;
        Ok(Arc::new(self.config))
    }
}
