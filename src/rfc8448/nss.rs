//! The configurations of RFC 8448's two endpoints, both NSS, built from public config
//! options only.
//!
//! - [`nss_client_config`]: NSS's extension order, its advertised-only groups (ffdhe*,
//!   secp384r1, secp521r1) and signature schemes (SHA-1 and PKCS#1 ones), the opaque
//!   renegotiation_info and session_ticket extensions, record_size_limit 0x4001, and its
//!   padding of 256..511-byte hellos to 512 bytes.
//! - [`nss_server_config`]: suites 1301, 1303, 1302; X25519 then P-256; NSS's
//!   EncryptedExtensions (supported_groups with advertised-only groups, record_size_limit,
//!   the server_name acknowledgement); tickets of 30 s allowing 1024 bytes of 0-RTT.
//!
//! What differs per trace (HelloRetryRequest preferences, compatibility mode, client
//! authentication, resumption) is set in [`super::handshakes`].

use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;

use crate::client::{ClientConfig, ClientHelloPadding};
use crate::crypto::rustcrypto::RustCryptoProvider;
use crate::server::anti_replay::MemoryReplayStore;
use crate::server::{AntiReplay, CertifiedKey, EarlyDataConfig, ServerConfig, TicketConfig};
use crate::wire::algorithms::{CipherSuite, NamedGroup, SignatureScheme};
use crate::wire::certificate::Certificate;
use crate::wire::codes::{ExtensionType, PskKeyExchangeMode};
use crate::wire::extensions::Extension;
use crate::x509::{CertificateValidator, TrustAnchors, WebPkiServerVerifier};

use super::SetupError;
use super::issuers::RfcTickets;
use super::vectors::Trace;

/// session_ticket (35), which NSS sends empty in its first, non-resuming hellos.
pub const SESSION_TICKET: ExtensionType = ExtensionType::Unknown(0x0023);

/// NSS's extension order in RFC 8448's ClientHellos.
pub fn nss_extension_order() -> Vec<ExtensionType> {
    use ExtensionType as T;
    vec![
        T::ServerName,
        T::RenegotiationInfo,
        T::SupportedGroups,
        SESSION_TICKET,
        T::KeyShare,
        T::EarlyData,
        T::SupportedVersions,
        T::SignatureAlgorithms,
        T::Cookie,
        T::PskKeyExchangeModes,
        T::RecordSizeLimit,
        T::Padding,
        T::PreSharedKey,
    ]
}

/// The 15 signature schemes NSS advertises (SHA-1 and PKCS#1 ones included), in its order;
/// also the list of §6's CertificateRequest.
pub fn nss_signature_schemes() -> Vec<SignatureScheme> {
    [
        0x0403, 0x0503, 0x0603, 0x0203, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0201,
        0x0402, 0x0502, 0x0602, 0x0202,
    ]
    .into_iter()
    .map(SignatureScheme::from_u16)
    .collect()
}

/// The groups NSS advertises in RFC 8448 §3, §4, §6 and §7 (only X25519 gets a share).
pub fn nss_supported_groups() -> Vec<NamedGroup> {
    [
        0x001d, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104,
    ]
    .into_iter()
    .map(NamedGroup::from_u16)
    .collect()
}

/// The certificate chain (DER, end-entity first) of `actor`'s Certificate message in
/// `trace`.
pub fn certificate_chain(trace: &Trace, actor: &str) -> Result<Vec<Vec<u8>>, SetupError> {
    let message = trace
        .find_block(actor, "construct a Certificate handshake message")
        .and_then(|b| b.try_get("Certificate"))
        .ok_or_else(|| SetupError::missing(trace, actor, "Certificate"))?;
    let body = message.get(4..).unwrap_or_default();
    let certificate = Certificate::decode(body)?;
    Ok(certificate
        .certificate_list
        .into_iter()
        .map(|entry| entry.cert_data)
        .collect())
}

/// The end-entity certificate (DER) of the trace's server Certificate message.
pub fn server_certificate(trace: &Trace) -> Result<Vec<u8>, SetupError> {
    certificate_chain(trace, "server")?
        .into_iter()
        .next()
        .ok_or_else(|| SetupError::missing(trace, "server", "certificate entry"))
}

/// NSS's client config for `trace`, trusting the trace's (self-signed) server certificate as
/// its only trust anchor and validating it fully (signature, validity at the connection's
/// time, basicConstraints, keyUsage, serverAuth) with rustls-webpki. RFC 8448's certificates
/// carry a 1024-bit RSA key and name no host, so the RSA floor is lowered to 1024 bits and the
/// name check is off: that is the only concession to the trace.
/// `session_ticket` adds NSS's empty session_ticket extension (sent in §3 only). Tracing
/// is on.
pub fn nss_client_config(trace: &Trace, session_ticket: bool) -> Result<ClientConfig, SetupError> {
    let anchors = TrustAnchors::from_der_certificates([server_certificate(trace)?])
        .map_err(|e| SetupError(alloc::format!("server certificate as anchor: {e}")))?;
    let validator =
        CertificateValidator::new(Arc::new(RustCryptoProvider), anchors).with_min_rsa_bits(1024);
    let verifier = Arc::new(WebPkiServerVerifier::without_name_check(validator));
    let mut config = ClientConfig::new(Arc::new(RustCryptoProvider), verifier);
    config.cipher_suites = vec![
        CipherSuite::TLS_AES_128_GCM_SHA256,
        CipherSuite::TLS_CHACHA20_POLY1305_SHA256,
        CipherSuite::TLS_AES_256_GCM_SHA384,
    ];
    config.key_share_groups = vec![NamedGroup::X25519];
    config.supported_groups = nss_supported_groups();
    config.signature_schemes = nss_signature_schemes();
    config.psk_modes = vec![PskKeyExchangeMode::PskDheKe];
    config.record_size_limit = Some(0x4001);
    config.client_hello_padding = ClientHelloPadding::To512WhenBetween256And511;
    config.extra_extensions = vec![Extension::Unknown {
        typ: ExtensionType::RenegotiationInfo,
        data: vec![0],
    }];
    if session_ticket {
        config.extra_extensions.push(Extension::Unknown {
            typ: SESSION_TICKET,
            data: vec![],
        });
    }
    config.extension_order = Some(nss_extension_order());
    config.trace = true;
    Ok(config)
}

/// The groups NSS's server advertises in EncryptedExtensions (§3, §4, §6, §7).
pub fn nss_server_groups() -> Vec<NamedGroup> {
    vec![
        NamedGroup::X25519,
        NamedGroup::Secp256r1,
        NamedGroup::Secp384r1,
        NamedGroup::Secp521r1,
        NamedGroup::Ffdhe2048,
        NamedGroup::Ffdhe3072,
        NamedGroup::Ffdhe4096,
        NamedGroup::Ffdhe6144,
        NamedGroup::Ffdhe8192,
    ]
}

/// NSS's server config with `certificate`, issuing one ticket through `tickets` (30 s,
/// 1024 bytes of 0-RTT, recorded ClientHellos against replays). Tracing is on.
pub fn nss_server_config(certificate: CertifiedKey, tickets: Arc<RfcTickets>) -> ServerConfig {
    let mut config = ServerConfig::new(Arc::new(RustCryptoProvider), vec![certificate]);
    config.cipher_suites = vec![
        CipherSuite::TLS_AES_128_GCM_SHA256,
        CipherSuite::TLS_CHACHA20_POLY1305_SHA256,
        CipherSuite::TLS_AES_256_GCM_SHA384,
    ];
    config.key_share_groups = vec![NamedGroup::X25519, NamedGroup::Secp256r1];
    config.advertised_groups = Some(nss_server_groups());
    config.record_size_limit = Some(0x4001);
    config.tickets = Some(TicketConfig {
        issuer: tickets,
        count: 1,
        lifetime_secs: 30,
        nonce_len: 2,
    });
    config.early_data = Some(EarlyDataConfig {
        max_early_data_size: 0x400,
        anti_replay: AntiReplay::ClientHelloRecording(Arc::new(MemoryReplayStore::new(0, 64))),
        freshness_window_ms: 10_000,
    });
    config.trace = true;
    config
}
