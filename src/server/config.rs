//! [`ServerConfig`]: everything a server decides before it sees a ClientHello.
//!
//! A config is built once and shared by many connections (`Arc<ServerConfig>`), usually with
//! [`ServerConfig::builder`]. Its fields are public and documented one by one;
//! [`ServerConfig::new`] fills in defaults a careful server would choose, and
//! [`ServerConfig::validate`] (run once, by the builder's `build`) refuses combinations
//! RFC 9846 forbids and keys that do not match their certificates.
//!
//! The config is detailed enough to reproduce, byte for byte, the flights of the NSS server
//! that produced RFC 8448's traces: the order of extensions in ServerHello,
//! HelloRetryRequest and EncryptedExtensions ([`ServerConfig::extension_order`]), the
//! `supported_groups` list NSS advertises in EncryptedExtensions (including groups it only
//! advertises, [`ServerConfig::advertised_groups`]), the `server_name` acknowledgement, the
//! `record_size_limit`, and every NewSessionTicket field ([`TicketConfig`]; the ticket bytes
//! themselves come from a pluggable [`TicketIssuer`]).
//!
//! Decisions written down here:
//!
//! - **Preference.** [`Preference::Server`] (the default) walks the server's lists and takes
//!   the first entry the client also offers; [`Preference::Client`] walks the client's.
//!   It applies to cipher suites, groups, signature schemes and ALPN.
//! - **Groups and HelloRetryRequest.** By default the server picks among the groups the
//!   client sent a key share for, and asks for another share (HelloRetryRequest) only when
//!   there is none it accepts: one round trip saved. With
//!   [`ServerConfig::retry_for_preferred_group`] it follows RFC 9846 §4.3.8's advice to
//!   "first select a group based on supported_groups and then either send a ServerHello or a
//!   HelloRetryRequest", as RFC 8448 §5's server does.
//! - **0-RTT needs anti-replay.** Early data can only be enabled together with an
//!   [`AntiReplay`] mechanism (RFC 9846 §8: servers "SHOULD provide that level of replay
//!   safety"); there is no way to accept 0-RTT without one.

use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;

use crate::connection::cert_verify::check_certified_key;
use crate::credentials::{CertifiedKey, ExternalPsk};
use crate::crypto::{
    CryptoProvider, DEFAULT_CIPHER_SUITES, DEFAULT_GROUPS, DEFAULT_SIGNATURE_SCHEMES,
    keep_supported,
};
use crate::error::ConfigError;
use crate::keylog::KeyLog;
use crate::record::limits::check_max_records_per_key;
use crate::verify::ClientCertVerifier;
use crate::wire::algorithms::{CipherSuite, NamedGroup, SignatureScheme};
use crate::wire::codes::{CertificateType, ExtensionType, PskKeyExchangeMode};
use crate::wire::extensions::Extension;
use crate::wire::new_session_ticket::MAX_TICKET_LIFETIME;

use super::anti_replay::AntiReplay;
use super::cookie::CookieIssuer;
use super::ticket::TicketIssuer;

/// Whose order of preference decides when both sides support several options.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preference {
    /// The first entry of the server's list that the client offers.
    Server,
    /// The first entry of the client's list that the server supports.
    Client,
}

/// Whether the server asks the client for a certificate (RFC 9846 §4.4.2).
#[derive(Clone)]
pub enum ClientAuth {
    /// No CertificateRequest.
    None,
    /// CertificateRequest is sent; a client that answers with an empty Certificate is let in
    /// unauthenticated (RFC 9846 §4.5.1.3: the server "MAY at its discretion either continue
    /// the handshake without client authentication, or abort").
    Optional(Arc<dyn ClientCertVerifier>),
    /// CertificateRequest is sent; an empty Certificate ends the handshake with
    /// `certificate_required`.
    Required(Arc<dyn ClientCertVerifier>),
}

impl core::fmt::Debug for ClientAuth {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::None => "None",
            Self::Optional(_) => "Optional",
            Self::Required(_) => "Required",
        })
    }
}

impl ClientAuth {
    /// The verifier, when a CertificateRequest is sent.
    pub fn verifier(&self) -> Option<&Arc<dyn ClientCertVerifier>> {
        match self {
            Self::None => None,
            Self::Optional(v) | Self::Required(v) => Some(v),
        }
    }
}

/// Session tickets: how many NewSessionTicket messages to send after the handshake, and
/// what goes into them (RFC 9846 §4.7.1).
#[derive(Clone)]
pub struct TicketConfig {
    /// Seals resumption state into `ticket` and opens it again.
    pub issuer: Arc<dyn TicketIssuer>,
    /// NewSessionTickets sent right after the client's Finished.
    pub count: u8,
    /// `ticket_lifetime` in seconds; at most 604800 (RFC 9846 §4.7.1: "Servers MUST NOT use
    /// any value greater than 604800 seconds (7 days)"). The server also refuses the ticket
    /// once this has passed.
    pub lifetime_secs: u32,
    /// The width in bytes (1 to 8) of `ticket_nonce`, a big-endian counter of the tickets
    /// sent on this connection starting at 0 (RFC 9846 §4.7.1: "unique across all tickets
    /// issued on this connection"; it need not be secret). RFC 8448's server uses 2.
    pub nonce_len: u8,
}

impl core::fmt::Debug for TicketConfig {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TicketConfig")
            .field("count", &self.count)
            .field("lifetime_secs", &self.lifetime_secs)
            .field("nonce_len", &self.nonce_len)
            .finish_non_exhaustive()
    }
}

/// HelloRetryRequest cookies (RFC 9846 §4.3.2).
#[derive(Clone)]
pub struct CookieConfig {
    /// Seals the retry state (the hash of ClientHello1, suite and group) into the cookie.
    pub issuer: Arc<dyn CookieIssuer>,
    /// How long, in milliseconds, a cookie is accepted after it was issued.
    pub lifetime_ms: u64,
}

impl core::fmt::Debug for CookieConfig {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CookieConfig")
            .field("lifetime_ms", &self.lifetime_ms)
            .finish_non_exhaustive()
    }
}

/// Accepting 0-RTT data (RFC 9846 §4.3.10, §8).
#[derive(Clone)]
pub struct EarlyDataConfig {
    /// `max_early_data_size` written into each ticket and enforced on 0-RTT data received
    /// (RFC 9846 §4.7.1: more "SHOULD terminate the connection with an unexpected_message").
    pub max_early_data_size: u32,
    /// How 0-RTT replays are refused (RFC 9846 §8).
    pub anti_replay: AntiReplay,
    /// How far, in milliseconds, the ClientHello's expected arrival time (ticket issue time
    /// plus the client's ticket age) may be from now for 0-RTT to be accepted (RFC 9846
    /// §8.3; "windows on the order of ten seconds" for clients on the Internet).
    pub freshness_window_ms: u64,
}

impl core::fmt::Debug for EarlyDataConfig {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("EarlyDataConfig")
            .field("max_early_data_size", &self.max_early_data_size)
            .field("freshness_window_ms", &self.freshness_window_ms)
            .finish_non_exhaustive()
    }
}

/// What a server offers and how it chooses.
#[derive(Clone)]
#[non_exhaustive]
pub struct ServerConfig {
    /// The cryptography.
    pub provider: Arc<dyn CryptoProvider>,
    /// Cipher suites, most preferred first.
    pub cipher_suites: Vec<CipherSuite>,
    /// Groups the server can do key exchange in, most preferred first.
    pub key_share_groups: Vec<NamedGroup>,
    /// If set, EncryptedExtensions carries `supported_groups` with this list (RFC 9846
    /// §4.3.7: the server "SHOULD send supported_groups to update the client's view of its
    /// preferences"); it may name groups the server only advertises, as NSS does.
    pub advertised_groups: Option<Vec<NamedGroup>>,
    /// Whose preference order wins.
    pub preference: Preference,
    /// Ask for a share of the most preferred common group even when the client sent a
    /// share of another acceptable group (see the module docs).
    pub retry_for_preferred_group: bool,
    /// Certificate chains and raw public keys, tried in order (see
    /// [`CertifiedKey::server_names`]); which of them can be sent depends on the
    /// negotiated certificate type (RFC 7250, [`CertifiedKey::serves`]).
    pub certificates: Vec<CertifiedKey>,
    /// Abort with `missing_extension` when the client sends no server_name (RFC 9846 §9.2:
    /// "Servers MAY require clients to send a valid server_name extension").
    pub require_server_name: bool,
    /// Answer a server_name the server used with an empty server_name in
    /// EncryptedExtensions (RFC 6066 §3).
    pub acknowledge_server_name: bool,
    /// Client authentication policy.
    pub client_auth: ClientAuth,
    /// Signature schemes accepted in the client's CertificateVerify, sent in
    /// CertificateRequest's signature_algorithms in this order (it may also name schemes
    /// that are only advertised: a client signature in one the provider cannot verify fails).
    pub client_auth_schemes: Vec<SignatureScheme>,
    /// The certificate types accepted from clients (RFC 7250 client_certificate_type):
    /// X509 by default; with RawPublicKey, the client verifier's `verify_raw_public_key`
    /// decides on the client's key. The client's order of preference picks among them.
    pub client_certificate_types: Vec<CertificateType>,
    /// ALPN protocols, most preferred first; empty: ALPN is not negotiated. A client that
    /// offers ALPN with none of these gets `no_application_protocol` (RFC 7301 §3.2).
    pub alpn_protocols: Vec<Vec<u8>>,
    /// The server's record_size_limit (RFC 8449), sent in EncryptedExtensions when the client
    /// sent one; at most 2^14+1 in TLS 1.3.
    pub record_size_limit: Option<u16>,
    /// Accept the client's max_fragment_length (RFC 6066 §4) when it sends no
    /// record_size_limit (RFC 8449 §5 makes record_size_limit win).
    pub accept_max_fragment_length: bool,
    /// PSK key exchange modes the server accepts, most preferred first (RFC 9846 §4.3.9).
    pub psk_modes: Vec<PskKeyExchangeMode>,
    /// Session tickets; `None`: no NewSessionTicket is sent and tickets are not accepted.
    pub tickets: Option<TicketConfig>,
    /// External PSKs the server accepts.
    pub external_psks: Vec<ExternalPsk>,
    /// HelloRetryRequest cookies; `None`: HelloRetryRequests carry no cookie.
    pub cookies: Option<CookieConfig>,
    /// 0-RTT; `None`: early data is always rejected and tickets do not allow it.
    pub early_data: Option<EarlyDataConfig>,
    /// The order of extensions in ServerHello, HelloRetryRequest and EncryptedExtensions:
    /// extensions of the listed types come first, in this order, then any others.
    pub extension_order: Vec<ExtensionType>,
    /// Fill the trace event queue (state changes, messages, secrets, keys). A small device
    /// may turn it off.
    pub trace: bool,
    /// Where to write NSS key log lines (for Wireshark; debugging only: whoever reads it can
    /// decrypt the connections).
    pub keylog: Option<Arc<dyn KeyLog>>,
    /// The most records one of our write keys may protect; a KeyUpdate (RFC 9846 §4.7.3)
    /// goes out before, with a margin of 2^16 records or half this value. `None`: the
    /// limits of RFC 9846 §5.5 (⌊2^24.5⌋ records for AES-GCM, none below the sequence
    /// number space for ChaCha20-Poly1305). It can only lower them (to at least 2 records):
    /// for an application that wants frequent key updates, and for tests that cross the
    /// limit on the sending and the receiving side without 2^24.5 records.
    pub max_records_per_key: Option<u64>,
}

impl core::fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ServerConfig")
            .field("cipher_suites", &self.cipher_suites)
            .field("key_share_groups", &self.key_share_groups)
            .field("preference", &self.preference)
            .field("certificates", &self.certificates)
            .field("client_auth", &self.client_auth)
            .field("tickets", &self.tickets)
            .field("early_data", &self.early_data)
            .finish_non_exhaustive()
    }
}

/// The order in which RFC 8448's server (NSS) writes its extensions.
pub const NSS_EXTENSION_ORDER: [ExtensionType; 10] = [
    ExtensionType::PreSharedKey,
    ExtensionType::KeyShare,
    ExtensionType::Cookie,
    ExtensionType::SupportedGroups,
    ExtensionType::RecordSizeLimit,
    ExtensionType::ServerName,
    ExtensionType::MaxFragmentLength,
    ExtensionType::ApplicationLayerProtocolNegotiation,
    ExtensionType::EarlyData,
    ExtensionType::SupportedVersions,
];

/// The largest record_size_limit a TLS 1.3 endpoint may send: 2^14 plus the inner content
/// type byte (RFC 8449 §4).
pub const MAX_RECORD_SIZE_LIMIT: u16 = (1 << 14) + 1;

impl ServerConfig {
    /// A server with the given certificates and defaults: all three suites (AES-128-GCM
    /// first), X25519MLKEM768, X25519, SecP256r1MLKEM768 then P-256, server preference (a
    /// client listing a hybrid group without a share for it gets a HelloRetryRequest), no
    /// client authentication, no tickets, PSK modes `psk_dhe_ke` then `psk_ke`, no 0-RTT,
    /// no cookies, no tracing, no key log.
    ///
    /// Of these suites, groups and schemes, only those the provider computes (a provider
    /// built without some algorithm families reports fewer).
    pub fn new(provider: Arc<dyn CryptoProvider>, certificates: Vec<CertifiedKey>) -> Self {
        let cipher_suites = keep_supported(DEFAULT_CIPHER_SUITES, provider.cipher_suites());
        let key_share_groups = keep_supported(DEFAULT_GROUPS, provider.groups());
        let client_auth_schemes =
            keep_supported(DEFAULT_SIGNATURE_SCHEMES, provider.signature_schemes());
        Self {
            provider,
            cipher_suites,
            key_share_groups,
            advertised_groups: None,
            preference: Preference::Server,
            retry_for_preferred_group: false,
            certificates,
            require_server_name: false,
            acknowledge_server_name: true,
            client_auth: ClientAuth::None,
            client_auth_schemes,
            client_certificate_types: vec![CertificateType::X509],
            alpn_protocols: Vec::new(),
            record_size_limit: None,
            accept_max_fragment_length: true,
            psk_modes: vec![PskKeyExchangeMode::PskDheKe, PskKeyExchangeMode::PskKe],
            tickets: None,
            external_psks: Vec::new(),
            cookies: None,
            early_data: None,
            extension_order: NSS_EXTENSION_ORDER.to_vec(),
            trace: false,
            keylog: None,
            max_records_per_key: None,
        }
    }

    /// `extensions` sorted into [`ServerConfig::extension_order`] (a stable sort: types not
    /// in the list keep their relative order, after the listed ones).
    pub(crate) fn in_extension_order(&self, mut extensions: Vec<Extension>) -> Vec<Extension> {
        extensions.sort_by_key(|e| {
            let typ = e.extension_type();
            self.extension_order
                .iter()
                .position(|t| *t == typ)
                .unwrap_or(usize::MAX)
        });
        extensions
    }

    /// Checks the rules a configuration must follow, naming the field that breaks one.
    /// [`ServerConfigBuilder::build`](super::ServerConfigBuilder::build) runs it.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let fail = |field, problem| {
            Err(ConfigError {
                config: "ServerConfig",
                field,
                problem,
            })
        };
        if self.cipher_suites.is_empty() {
            return fail("cipher_suites", "no cipher suites");
        }
        let runnable = self.provider.cipher_suites();
        if self.cipher_suites.iter().any(|s| !runnable.contains(s)) {
            return fail("cipher_suites", "a cipher suite the provider cannot run");
        }
        if self.key_share_groups.is_empty() && self.external_psks.is_empty() {
            return fail("key_share_groups", "no key exchange groups");
        }
        let computable = self.provider.groups();
        if self
            .key_share_groups
            .iter()
            .any(|g| !computable.contains(g))
        {
            return fail("key_share_groups", "a group the provider cannot compute");
        }
        for certified in &self.certificates {
            if let Err(problem) = check_certified_key(self.provider.as_ref(), certified) {
                return fail("certificates", problem);
            }
        }
        if let Some(limit) = self.record_size_limit {
            // RFC 8449 §4: a TLS 1.3 endpoint "MUST NOT send a value higher than the
            // protocol-defined maximum record size", and no value below 64.
            if !(64..=MAX_RECORD_SIZE_LIMIT).contains(&limit) {
                return fail("record_size_limit", "outside 64..=16385");
            }
        }
        if let Some(tickets) = &self.tickets {
            // RFC 9846 §4.7.1: "Servers MUST NOT use any value greater than 604800 seconds".
            if tickets.lifetime_secs > MAX_TICKET_LIFETIME {
                return fail("tickets.lifetime_secs", "over 7 days (604800 s)");
            }
            if !(1..=8).contains(&tickets.nonce_len) {
                return fail("tickets.nonce_len", "outside 1..=8");
            }
            // A u8 count of tickets always fits a counter of at least one byte, so nonces
            // never repeat (RFC 9846 §4.7.1: "unique across all tickets issued on this
            // connection").
        }
        if let Some(problem) = check_max_records_per_key(self.max_records_per_key) {
            return fail("max_records_per_key", problem);
        }
        if self.external_psks.iter().any(|p| p.hash().is_none()) {
            return fail("external_psks", "an external PSK with an unknown suite");
        }
        if self.early_data.is_some() && self.tickets.is_none() && self.external_psks.is_empty() {
            return fail("early_data", "0-RTT needs tickets or external PSKs");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::RustCryptoProvider;
    use crate::server::seal::Sealer;

    fn config() -> ServerConfig {
        ServerConfig::new(Arc::new(RustCryptoProvider), Vec::new())
    }

    fn tickets(lifetime_secs: u32, nonce_len: u8, count: u8) -> TicketConfig {
        let sealer = Sealer::new(&RustCryptoProvider, [0; 4], &[1; 32]).unwrap();
        TicketConfig {
            issuer: Arc::new(sealer),
            count,
            lifetime_secs,
            nonce_len,
        }
    }

    #[test]
    fn test_defaults_validate() {
        assert_eq!(config().validate(), Ok(()));
    }

    #[test]
    fn test_validate_refuses_forbidden_values() {
        let mut c = config();
        c.record_size_limit = Some(MAX_RECORD_SIZE_LIMIT + 1);
        assert!(c.validate().is_err());
        c.record_size_limit = Some(63);
        assert!(c.validate().is_err());
        c.record_size_limit = Some(MAX_RECORD_SIZE_LIMIT);
        assert_eq!(c.validate(), Ok(()));

        c.tickets = Some(tickets(MAX_TICKET_LIFETIME + 1, 2, 1));
        assert!(c.validate().is_err());
        c.tickets = Some(tickets(MAX_TICKET_LIFETIME, 0, 1));
        assert!(c.validate().is_err());
        c.tickets = Some(tickets(MAX_TICKET_LIFETIME, 9, 1));
        assert!(c.validate().is_err());
        c.tickets = Some(tickets(MAX_TICKET_LIFETIME, 1, 255));
        assert_eq!(c.validate(), Ok(()));

        let mut c = config();
        c.cipher_suites.clear();
        assert!(c.validate().is_err());
    }
}
