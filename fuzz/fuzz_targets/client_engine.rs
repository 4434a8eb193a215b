//! The client engine fed arbitrary server bytes, in arbitrary splits. The client is RFC
//! 8448 §3's (NSS's ClientHello, the trace's random and X25519 key), so the RFC's server
//! records are valid input and mutations of them reach every state: ServerHello checks,
//! the encrypted flight's parsers, CertificateVerify and Finished checks, tickets, alerts.
//! Errors are fine; panics are not, and a failure must be sticky.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use lucid_tls::client::{ClientConfig, ClientConnection, ClientHelloPadding, danger};
use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::crypto::{CryptoError, Rng};
use lucid_tls::time::Time;
use lucid_tls::wire::algorithms::{CipherSuite, NamedGroup, SignatureScheme};
use lucid_tls::wire::codes::{ExtensionType, PskKeyExchangeMode};
use lucid_tls::wire::extensions::Extension;

/// RFC 8448 §3: the ClientHello's random, then the client's X25519 private key.
const DRAWS: [&str; 2] = [
    "cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7",
    "49af42ba7f7994852d713ef2784bcbcaa7911de26adc5642cb634540e7ea5005",
];

/// Returns RFC 8448 §3's draws in order, then zeros.
struct TraceRng(usize);

impl Rng for TraceRng {
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), CryptoError> {
        dest.fill(0);
        if let Some(hex) = DRAWS.get(self.0) {
            for (i, byte) in dest.iter_mut().enumerate().take(hex.len() / 2) {
                *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap_or(0);
            }
        }
        self.0 += 1;
        Ok(())
    }
}

/// NSS's configuration in RFC 8448 §3 (see tests/common/nss.rs), trusting any certificate.
fn config() -> ClientConfig {
    let mut config = ClientConfig::new(Arc::new(RustCryptoProvider), Arc::new(danger::AcceptAnyServerCert));
    config.cipher_suites = vec![
        CipherSuite::TLS_AES_128_GCM_SHA256,
        CipherSuite::TLS_CHACHA20_POLY1305_SHA256,
        CipherSuite::TLS_AES_256_GCM_SHA384,
    ];
    config.key_share_groups = vec![NamedGroup::X25519];
    config.supported_groups = [0x001d, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104]
        .into_iter()
        .map(NamedGroup::from_u16)
        .collect();
    config.signature_schemes = [
        0x0403, 0x0503, 0x0603, 0x0203, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0201,
        0x0402, 0x0502, 0x0602, 0x0202,
    ]
    .into_iter()
    .map(SignatureScheme::from_u16)
    .collect();
    config.psk_modes = vec![PskKeyExchangeMode::PskDheKe];
    config.record_size_limit = Some(0x4001);
    config.client_hello_padding = ClientHelloPadding::To512WhenBetween256And511;
    config.extra_extensions = vec![
        Extension::Unknown { typ: ExtensionType::RenegotiationInfo, data: vec![0] },
        Extension::Unknown { typ: ExtensionType::Unknown(0x0023), data: vec![] },
    ];
    config.extension_order = Some(vec![
        ExtensionType::ServerName,
        ExtensionType::RenegotiationInfo,
        ExtensionType::SupportedGroups,
        ExtensionType::Unknown(0x0023),
        ExtensionType::KeyShare,
        ExtensionType::SupportedVersions,
        ExtensionType::SignatureAlgorithms,
        ExtensionType::PskKeyExchangeModes,
        ExtensionType::RecordSizeLimit,
    ]);
    config
}

fuzz_target!(|data: &[u8]| {
    let Some((&split, bytes)) = data.split_first() else {
        return;
    };
    let now = Time::from_unix_secs(1_748_736_000);
    let Ok(mut client) = ClientConnection::new(Arc::new(config()), Some("server"), Box::new(TraceRng(0)), now) else {
        return;
    };
    client.take_output();
    let step = usize::from(split).max(1);
    for piece in bytes.chunks(step) {
        match client.feed(now, piece) {
            Ok(n) => assert_eq!(n, piece.len()),
            Err(err) => {
                assert_eq!(client.feed(now, piece), Err(err));
                break;
            }
        }
        let _ = client.take_output();
        while client.poll_event().is_some() {}
    }
    if client.negotiated().is_some() {
        let _ = client.write(b"fuzz");
        let _ = client.key_update(true);
        client.close();
    }
});
