//! Unit tests of parameter selection ([`super::select`] and [`super::super::psk`]), on RFC
//! 8448's ClientHellos.

use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;

use super::*;
use crate::credentials::ExternalPsk;
use crate::crypto::Secret;
use crate::server::anti_replay::{AntiReplay, MemoryReplayStore};
use crate::server::config::{EarlyDataConfig, TicketConfig};
use crate::server::psk::{EarlyData, decide_early_data};
use crate::server::test_support::{
    FixedTickets, nss_like_config, rfc_client_hello, rfc_value, rsa_like_certificate,
};
use crate::server::ticket::TicketState;
use crate::wire::codes::PskKeyExchangeMode;
use crate::wire::extensions::{ProtocolName, ProtocolNameList};

fn decide(
    config: &ServerConfig,
    bytes: &[u8],
    hello: &ClientHello,
    now_ms: u64,
) -> Result<Decision, Error> {
    let input = ClientHelloInput {
        hello,
        bytes,
        retry: None,
        now_ms,
    };
    select(config, input, &mut |_, _| {})
}

fn proceed(decision: Result<Decision, Error>) -> Negotiation {
    match decision {
        Ok(Decision::Proceed(n)) => *n,
        other => panic!("expected Proceed, got {other:?}"),
    }
}

fn alert_of(decision: Result<Decision, Error>) -> AlertDescription {
    decision.unwrap_err().alert().unwrap()
}

/// Replaces (or adds) one extension of a ClientHello.
fn with_extension(hello: &ClientHello, extension: Extension) -> ClientHello {
    let mut hello = hello.clone();
    let typ = extension.extension_type();
    match hello
        .extensions
        .iter_mut()
        .find(|e| e.extension_type() == typ)
    {
        Some(slot) => *slot = extension,
        None => hello.extensions.insert(0, extension),
    }
    hello
}

fn without_extension(hello: &ClientHello, typ: ExtensionType) -> ClientHello {
    let mut hello = hello.clone();
    hello.extensions.retain(|e| e.extension_type() != typ);
    hello
}

#[test]
fn test_rfc8448_simple_client_hello_selects_the_rfc_parameters() {
    let (bytes, hello) = rfc_client_hello("simple", 0);
    let n = proceed(decide(&nss_like_config(), &bytes, &hello, 0));
    assert_eq!(n.cipher_suite, CipherSuite::TLS_AES_128_GCM_SHA256);
    assert_eq!(n.hash, HashAlgorithm::Sha256);
    let share = n.client_share.unwrap();
    assert_eq!(share.group, NamedGroup::X25519);
    let client_public = rfc_value(
        "simple",
        "client",
        "create an ephemeral x25519",
        "public key",
    );
    assert_eq!(share.key_exchange, client_public);
    // RFC 8448 §3's CertificateVerify starts 08 04: rsa_pss_rsae_sha256.
    assert_eq!(n.certificate, Some((0, SignatureScheme::RsaPssRsaeSha256)));
    assert_eq!(n.server_name.as_deref(), Some("server"));
    assert_eq!(n.client_record_size_limit, Some(0x4001));
    assert!(n.psk.is_none());
    assert_eq!(n.alpn, None);
    // No tickets configured: none are sent, even though the client offers psk_dhe_ke.
    assert!(!n.tickets_usable);
}

#[test]
fn test_suite_preference_server_or_client() {
    let (bytes, hello) = rfc_client_hello("simple", 0);
    // The client offers 1301, 1303, 1302.
    let mut config = nss_like_config();
    config.cipher_suites = vec![
        CipherSuite::TLS_AES_256_GCM_SHA384,
        CipherSuite::TLS_AES_128_GCM_SHA256,
    ];
    let n = proceed(decide(&config, &bytes, &hello, 0));
    assert_eq!(n.cipher_suite, CipherSuite::TLS_AES_256_GCM_SHA384);
    config.preference = Preference::Client;
    let n = proceed(decide(&config, &bytes, &hello, 0));
    assert_eq!(n.cipher_suite, CipherSuite::TLS_AES_128_GCM_SHA256);
    config.cipher_suites = vec![CipherSuite::TLS_AES_128_CCM_SHA256];
    assert_eq!(
        alert_of(decide(&config, &bytes, &hello, 0)),
        AlertDescription::HandshakeFailure
    );
}

#[test]
fn test_rfc8448_hrr_first_client_hello_gets_a_retry_for_p256() {
    // RFC 8448 §5: the client sends an X25519 share; the server wants secp256r1.
    let (bytes, hello) = rfc_client_hello("hrr", 0);
    let mut config = nss_like_config();
    config.key_share_groups = vec![NamedGroup::Secp256r1, NamedGroup::X25519];
    config.retry_for_preferred_group = true;
    match decide(&config, &bytes, &hello, 0).unwrap() {
        Decision::Retry {
            cipher_suite,
            selected_group,
        } => {
            assert_eq!(cipher_suite, CipherSuite::TLS_AES_128_GCM_SHA256);
            assert_eq!(selected_group, NamedGroup::Secp256r1);
        }
        other => panic!("expected a retry, got {other:?}"),
    }
    // Without the policy, the X25519 share the client sent is taken: no extra round trip.
    config.retry_for_preferred_group = false;
    let n = proceed(decide(&config, &bytes, &hello, 0));
    assert_eq!(n.client_share.unwrap().group, NamedGroup::X25519);
    // A server that only does P-256 must retry either way.
    config.key_share_groups = vec![NamedGroup::Secp256r1];
    assert!(matches!(
        decide(&config, &bytes, &hello, 0),
        Ok(Decision::Retry { .. })
    ));
    // And one with no group in common fails.
    config.key_share_groups = vec![NamedGroup::X448];
    assert_eq!(
        alert_of(decide(&config, &bytes, &hello, 0)),
        AlertDescription::HandshakeFailure
    );
}

#[test]
fn test_version_and_mandatory_extension_checks() {
    let (bytes, hello) = rfc_client_hello("simple", 0);
    let config = nss_like_config();
    let tls12_only = with_extension(
        &hello,
        Extension::SupportedVersionsClientHello(vec![ProtocolVersion::Tls12]),
    );
    assert_eq!(
        alert_of(decide(&config, &bytes, &tls12_only, 0)),
        AlertDescription::ProtocolVersion
    );
    let no_versions = without_extension(&hello, ExtensionType::SupportedVersions);
    assert_eq!(
        alert_of(decide(&config, &bytes, &no_versions, 0)),
        AlertDescription::ProtocolVersion
    );
    let mut old_version = hello.clone();
    old_version.legacy_version = ProtocolVersion::Unknown(0x0301);
    assert_eq!(
        alert_of(decide(&config, &bytes, &old_version, 0)),
        AlertDescription::ProtocolVersion
    );
    for typ in [
        ExtensionType::SignatureAlgorithms,
        ExtensionType::SupportedGroups,
        ExtensionType::KeyShare,
    ] {
        let missing = without_extension(&hello, typ);
        assert_eq!(
            alert_of(decide(&config, &bytes, &missing, 0)),
            AlertDescription::MissingExtension,
            "{typ:?}"
        );
    }
    let mut compressed = hello.clone();
    compressed.legacy_compression_methods = vec![1, 0];
    assert_eq!(
        alert_of(decide(&config, &bytes, &compressed, 0)),
        AlertDescription::IllegalParameter
    );
}

#[test]
fn test_key_share_must_follow_supported_groups() {
    let (bytes, hello) = rfc_client_hello("simple", 0);
    let config = nss_like_config();
    // supported_groups without x25519, which the client has a share for.
    let groups = crate::wire::extensions::NamedGroupList {
        named_group_list: vec![NamedGroup::Secp256r1],
    };
    let bad = with_extension(&hello, Extension::SupportedGroups(groups));
    assert_eq!(
        alert_of(decide(&config, &bytes, &bad, 0)),
        AlertDescription::IllegalParameter
    );
}

#[test]
fn test_alpn_and_server_name() {
    let (bytes, hello) = rfc_client_hello("simple", 0);
    let mut config = nss_like_config();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    // The RFC's client offers no ALPN: none is negotiated.
    assert_eq!(proceed(decide(&config, &bytes, &hello, 0)).alpn, None);
    let offer = |names: &[&[u8]]| {
        let list = ProtocolNameList {
            protocol_name_list: names.iter().map(|n| ProtocolName(n.to_vec())).collect(),
        };
        with_extension(&hello, Extension::ApplicationLayerProtocolNegotiation(list))
    };
    let both = offer(&[b"http/1.1", b"h2"]);
    assert_eq!(
        proceed(decide(&config, &bytes, &both, 0)).alpn.unwrap(),
        b"h2"
    );
    config.preference = Preference::Client;
    assert_eq!(
        proceed(decide(&config, &bytes, &both, 0)).alpn.unwrap(),
        b"http/1.1"
    );
    let other = offer(&[b"spdy/3"]);
    assert_eq!(
        alert_of(decide(&config, &bytes, &other, 0)),
        AlertDescription::NoApplicationProtocol
    );

    // The client asks for "server": a chain for example.com only does not serve it.
    let mut config = nss_like_config();
    config.certificates = vec![rsa_like_certificate(&["example.com"])];
    assert_eq!(
        alert_of(decide(&config, &bytes, &hello, 0)),
        AlertDescription::UnrecognizedName
    );
    config
        .certificates
        .push(rsa_like_certificate(&["*.example.com", "SERVER"]));
    assert_eq!(
        proceed(decide(&config, &bytes, &hello, 0))
            .certificate
            .unwrap()
            .0,
        1
    );
    config.require_server_name = true;
    let anonymous = without_extension(&hello, ExtensionType::ServerName);
    assert_eq!(
        alert_of(decide(&config, &bytes, &anonymous, 0)),
        AlertDescription::MissingExtension
    );
    assert!(name_matches("*.example.com", "a.example.com"));
    assert!(!name_matches("*.example.com", "example.com"));
    assert!(!name_matches("*.example.com", "a.b.example.com"));
}

#[test]
fn test_signature_schemes_must_overlap() {
    let (bytes, hello) = rfc_client_hello("simple", 0);
    let mut config = nss_like_config();
    config.certificates = vec![crate::server::CertifiedKey {
        key: Arc::new(crate::server::test_support::SchemesOnly(vec![
            SignatureScheme::Ed448,
        ])),
        ..rsa_like_certificate(&[])
    }];
    assert_eq!(
        alert_of(decide(&config, &bytes, &hello, 0)),
        AlertDescription::HandshakeFailure
    );
    // The client offers rsa_pkcs1_sha256 (for certificates), but RFC 9846 §4.3.3 does not
    // let it sign a CertificateVerify: a key that can only do that is not chosen.
    config.certificates[0].key = Arc::new(crate::server::test_support::SchemesOnly(vec![
        SignatureScheme::RsaPkcs1Sha256,
    ]));
    assert_eq!(
        alert_of(decide(&config, &bytes, &hello, 0)),
        AlertDescription::HandshakeFailure
    );
}

/// RFC 8448 §3's ticket, as §4 resumes it, issued at `issued_at_ms`.
fn rfc_ticket_state(issued_at_ms: u64) -> TicketState {
    TicketState {
        cipher_suite: CipherSuite::TLS_AES_128_GCM_SHA256,
        psk: Secret::new(&rfc_value(
            "simple",
            "server",
            "generate resumption secret",
            "expanded",
        )),
        ticket_age_add: 0xfad6_aac5,
        issued_at_ms,
        lifetime_secs: 30,
        max_early_data_size: 0x400,
        alpn: None,
        client_certificates: Vec::new(),
    }
}

const ISSUED_AT: u64 = 1_000_000;

/// A config that knows RFC 8448 §3's ticket and accepts 0-RTT under `anti_replay`.
fn resumption_config(anti_replay: AntiReplay) -> ServerConfig {
    let issuer = FixedTickets::default();
    let ticket = rfc_ticket_bytes();
    issuer.remember(
        ticket,
        rfc_ticket_state(ISSUED_AT).encode().unwrap().to_vec(),
    );
    let mut config = nss_like_config();
    config.tickets = Some(TicketConfig {
        issuer: Arc::new(issuer),
        count: 1,
        lifetime_secs: 30,
        nonce_len: 2,
    });
    config.early_data = Some(EarlyDataConfig {
        max_early_data_size: 0x400,
        anti_replay,
        freshness_window_ms: 10_000,
    });
    config
}

fn rfc_ticket_bytes() -> Vec<u8> {
    let nst = rfc_value(
        "simple",
        "server",
        "construct a NewSessionTicket",
        "NewSessionTicket",
    );
    match crate::wire::handshake::HandshakeMessage::decode(&nst, None).unwrap() {
        crate::wire::handshake::HandshakeMessage::NewSessionTicket(t) => t.ticket,
        other => panic!("{other:?}"),
    }
}

/// The time at which RFC 8448 §4's ClientHello is exactly on time for a ticket issued at
/// [`ISSUED_AT`].
fn on_time(hello: &ClientHello) -> u64 {
    let Some(Extension::PreSharedKeyClientHello(offered)) =
        hello.extension(ExtensionType::PreSharedKey)
    else {
        panic!("no PSK");
    };
    let age = rfc_ticket_state(ISSUED_AT)
        .client_ticket_age_ms(offered.identities[0].obfuscated_ticket_age);
    ISSUED_AT + u64::from(age)
}

#[test]
fn test_rfc8448_resumed_client_hello_selects_the_ticket_and_accepts_0rtt() {
    let (bytes, hello) = rfc_client_hello("resumed", 0);
    let store = Arc::new(MemoryReplayStore::new(0, 16));
    let config = resumption_config(AntiReplay::ClientHelloRecording(store));
    let now = on_time(&hello);
    let mut log = crate::key_schedule::SecretLog::default();
    let input = ClientHelloInput {
        hello: &hello,
        bytes: &bytes,
        retry: None,
        now_ms: now,
    };
    let Decision::Proceed(n) = select(&config, input, &mut log.observer()).unwrap() else {
        panic!("no ServerHello");
    };
    let psk = n.psk.as_ref().unwrap();
    assert_eq!(psk.index, 0);
    assert_eq!(psk.mode, PskKeyExchangeMode::PskDheKe);
    assert!(n.certificate.is_none());
    assert_eq!(n.client_share.as_ref().unwrap().group, NamedGroup::X25519);
    // RFC 8448 §4: the early secret and binder key the server derives.
    let early = rfc_value("resumed", "client", "extract secret \"early\"", "secret");
    assert_eq!(log.get(SecretLabel::EarlySecret).unwrap().as_bytes(), early);
    let binder_prk = rfc_value("resumed", "client", "calculate PSK binder", "PRK");
    assert_eq!(
        log.get(SecretLabel::ResumptionBinderKey)
            .unwrap()
            .as_bytes(),
        binder_prk
    );
    assert_eq!(
        decide_early_data(&config, input, &n),
        EarlyData::Accepted {
            max_early_data_size: 0x400
        }
    );
    // The same ClientHello again: a replay. The PSK is still fine, 0-RTT is not.
    let n = proceed(decide(&config, &bytes, &hello, now));
    assert!(matches!(
        decide_early_data(&config, input, &n),
        EarlyData::Rejected(_)
    ));
}

#[test]
fn test_0rtt_rejected_when_stale_or_mismatched() {
    let (bytes, hello) = rfc_client_hello("resumed", 0);
    let fresh_store = || AntiReplay::ClientHelloRecording(Arc::new(MemoryReplayStore::new(0, 16)));
    let config = resumption_config(fresh_store());
    let late = on_time(&hello) + 10_001;
    let input = ClientHelloInput {
        hello: &hello,
        bytes: &bytes,
        retry: None,
        now_ms: late,
    };
    let n = proceed(decide(&config, &bytes, &hello, late));
    assert!(n.psk.is_some());
    assert_eq!(
        decide_early_data(&config, input, &n),
        EarlyData::Rejected("the ticket age is not fresh")
    );
    // The ALPN differs from the ticket's (none).
    let config = resumption_config(fresh_store());
    let now = on_time(&hello);
    let input = ClientHelloInput {
        now_ms: now,
        ..input
    };
    let mut n = proceed(decide(&config, &bytes, &hello, now));
    n.alpn = Some(b"h2".to_vec());
    assert!(matches!(
        decide_early_data(&config, input, &n),
        EarlyData::Rejected(_)
    ));
    // Without early_data in the ClientHello there is nothing to decide.
    let plain = without_extension(&hello, ExtensionType::EarlyData);
    let input = ClientHelloInput {
        hello: &plain,
        ..input
    };
    assert_eq!(decide_early_data(&config, input, &n), EarlyData::NotOffered);
    // After the ticket expired (30 s), it is not even a PSK any more.
    let n = proceed(decide(&config, &bytes, &hello, ISSUED_AT + 30_000));
    assert!(n.psk.is_none());
    assert!(n.certificate.is_some());
}

#[test]
fn test_single_use_tickets_fall_back_to_a_full_handshake() {
    let (bytes, hello) = rfc_client_hello("resumed", 0);
    let store = Arc::new(MemoryReplayStore::new(0, 16));
    let config = resumption_config(AntiReplay::SingleUseTickets(store));
    let now = on_time(&hello);
    assert!(proceed(decide(&config, &bytes, &hello, now)).psk.is_some());
    let second = proceed(decide(&config, &bytes, &hello, now + 1));
    assert!(second.psk.is_none());
    assert!(second.certificate.is_some());
}

#[test]
fn test_bad_binder_is_a_decrypt_error() {
    let (bytes, hello) = rfc_client_hello("resumed", 0);
    let config = resumption_config(AntiReplay::SingleUseTickets(Arc::new(
        MemoryReplayStore::new(0, 4),
    )));
    let Some(Extension::PreSharedKeyClientHello(mut offered)) =
        hello.extension(ExtensionType::PreSharedKey).cloned()
    else {
        panic!();
    };
    offered.binders[0].0[31] ^= 1;
    let tampered = with_extension(&hello, Extension::PreSharedKeyClientHello(offered));
    assert_eq!(
        alert_of(decide(&config, &bytes, &tampered, on_time(&hello))),
        AlertDescription::DecryptError
    );
}

#[test]
fn test_external_psk_and_psk_ke() {
    let (bytes, hello) = rfc_client_hello("resumed", 0);
    // The same PSK, provisioned as an external one under the ticket's identity: the binder
    // then uses "ext binder" and fails.
    let mut config = nss_like_config();
    config.external_psks = vec![ExternalPsk {
        identity: rfc_ticket_bytes(),
        secret: rfc_ticket_state(0).psk,
        cipher_suite: CipherSuite::TLS_AES_128_GCM_SHA256,
    }];
    assert_eq!(
        alert_of(decide(&config, &bytes, &hello, 0)),
        AlertDescription::DecryptError
    );
    // A SHA-384 PSK does not fit the SHA-256 suite: ignored, full handshake.
    config.external_psks[0].cipher_suite = CipherSuite::TLS_AES_256_GCM_SHA384;
    assert!(proceed(decide(&config, &bytes, &hello, 0)).psk.is_none());
    // The client allows only psk_dhe_ke; a server that only does psk_ke cannot use the PSK.
    let mut config = resumption_config(AntiReplay::SingleUseTickets(Arc::new(
        MemoryReplayStore::new(0, 4),
    )));
    config.psk_modes = vec![PskKeyExchangeMode::PskKe];
    let n = proceed(decide(&config, &bytes, &hello, on_time(&hello)));
    assert!(n.psk.is_none());
    assert!(!n.tickets_usable);
}
