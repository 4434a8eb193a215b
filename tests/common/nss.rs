//! The client configuration that reproduces RFC 8448's NSS ClientHellos through public
//! config only: NSS's extension order, its advertised-only groups and signature schemes,
//! the opaque renegotiation_info and session_ticket extensions, record_size_limit 0x4001,
//! and its padding of 256..511-byte hellos to 512 bytes.

use std::sync::Arc;

use lucid_tls::client::{ClientConfig, ClientConnection, ClientHelloPadding, PinnedCertificates};
use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::time::Time;
use lucid_tls::wire::algorithms::{CipherSuite, NamedGroup, SignatureScheme};
use lucid_tls::wire::certificate::Certificate;
use lucid_tls::wire::codes::{ExtensionType, PskKeyExchangeMode};
use lucid_tls::wire::extensions::Extension;

use super::replay_rng::ReplayRng;
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

/// The 15 signature schemes NSS advertises (SHA-1 and PKCS#1 ones included).
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

/// The end-entity certificate (DER) of the trace's server Certificate message.
pub fn server_certificate(trace: &Trace) -> Vec<u8> {
    let message = trace
        .block("server", "construct a Certificate handshake message")
        .get("Certificate");
    let certificate = Certificate::decode(&message[4..]).expect("RFC 8448 Certificate parses");
    certificate.certificate_list[0].cert_data.clone()
}

/// NSS's client config for `trace`, trusting exactly the trace's server certificate.
/// `session_ticket` adds NSS's empty session_ticket extension (sent in §3, §6, §7).
pub fn nss_client_config(trace: &Trace, session_ticket: bool) -> ClientConfig {
    let verifier = Arc::new(PinnedCertificates::new(vec![server_certificate(trace)]));
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
    config
}

/// RFC 8448 §3's client: NSS's config, drawing the trace's random and X25519 key. Its
/// ClientHello is ready in `take_output`. Returns the RNG to check it was used up.
pub fn simple_client(trace: &Trace, now: Time) -> (ClientConnection, ReplayRng) {
    let hello = trace
        .block("client", "construct a ClientHello")
        .get("ClientHello");
    let rng = ReplayRng::new(&[
        ("ClientHello.random", &hello[6..38]),
        (
            "x25519 private key",
            trace
                .block("client", "create an ephemeral x25519")
                .get("private key"),
        ),
    ]);
    let config = Arc::new(nss_client_config(trace, true));
    let client = ClientConnection::new(config, Some("server"), Box::new(rng.clone()), now).unwrap();
    (client, rng)
}

/// A replay RNG with the trace's ClientHello.random and X25519 private key, the draws of
/// every RFC 8448 ClientHello outside compatibility mode.
pub fn hello_rng(trace: &Trace) -> ReplayRng {
    let hello = trace
        .block("client", "construct a ClientHello")
        .get("ClientHello");
    ReplayRng::new(&[
        ("ClientHello.random", &hello[6..38]),
        (
            "x25519 private key",
            trace
                .block("client", "create an ephemeral x25519")
                .get("private key"),
        ),
    ])
}
