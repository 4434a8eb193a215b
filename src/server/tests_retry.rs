//! Unit tests of HelloRetryRequest handling ([`super::retry`]), on RFC 8448 §5.

use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;

use super::*;
use crate::crypto::rustcrypto::RustCryptoProvider;
use crate::crypto::{CryptoProvider, HashAlgorithm};
use crate::server::config::CookieConfig;
use crate::server::cookie::CookieIssuer;
use crate::server::seal::Sealer;
use crate::server::seal::tests::CountingRng;
use crate::server::test_support::{nss_like_config, rfc_client_hello, rfc_value};
use crate::wire::alert::AlertDescription;
use crate::wire::extensions::{OfferedPsks, PskBinderEntry, PskIdentity};

/// A cookie issuer that hands out RFC 8448 §5's cookie bytes and accepts only them.
struct RfcCookie(Vec<u8>);

impl CookieIssuer for RfcCookie {
    fn issue(&self, _: &[u8], _: &mut dyn Rng) -> Result<Vec<u8>, Error> {
        Ok(self.0.clone())
    }

    fn open(&self, _: &[u8]) -> Option<Vec<u8>> {
        None
    }
}

/// RFC 8448 §5's HelloRetryRequest message and its cookie.
fn rfc_retry() -> (Vec<u8>, Vec<u8>) {
    let bytes = rfc_values_hrr();
    let HandshakeMessage::HelloRetryRequest(hrr) = HandshakeMessage::decode(&bytes, None).unwrap()
    else {
        panic!("not a HelloRetryRequest");
    };
    let Some(Extension::Cookie(cookie)) = hrr.extension(ExtensionType::Cookie) else {
        panic!("no cookie");
    };
    (bytes, cookie.cookie.clone())
}

fn rfc_values_hrr() -> Vec<u8> {
    rfc_value("hrr", "server", "construct a ServerHello", "ServerHello")
}

fn retry_state(with_cookie: bool) -> RetryState {
    let provider = RustCryptoProvider;
    let (hrr, cookie) = rfc_retry();
    let (ch1_bytes, ch1) = rfc_client_hello("hrr", 0);
    let mut transcript = Transcript::new(&provider, HashAlgorithm::Sha256);
    transcript.add(&ch1_bytes);
    transcript.replace_client_hello1(&provider).unwrap();
    transcript.add(&hrr);
    RetryState {
        cipher_suite: CipherSuite::TLS_AES_128_GCM_SHA256,
        selected_group: Some(NamedGroup::Secp256r1),
        cookie: with_cookie.then_some(cookie),
        transcript,
        client_hello1: Some(ch1),
    }
}

#[test]
fn test_emit_rfc8448_hello_retry_request() {
    let (expected, cookie) = rfc_retry();
    let (_, ch1) = rfc_client_hello("hrr", 0);
    let mut config = nss_like_config();
    config.cookies = Some(CookieConfig {
        issuer: Arc::new(RfcCookie(cookie)),
        lifetime_ms: 1000,
    });
    let hash = RustCryptoProvider.hash(HashAlgorithm::Sha256).current();
    let suite = CipherSuite::TLS_AES_128_GCM_SHA256;
    let group = Some(NamedGroup::Secp256r1);
    let cookie = make_cookie(&config, suite, group, hash, 0, &mut CountingRng(0)).unwrap();
    let hrr = hello_retry_request(&config, &ch1.legacy_session_id, suite, group, cookie);
    assert_eq!(
        HandshakeMessage::HelloRetryRequest(hrr).encode().unwrap(),
        expected
    );
}

#[test]
fn test_rfc8448_second_client_hello_is_a_conformant_update() {
    // RFC 8448 §5's second ClientHello adds the cookie, swaps the key share and pads.
    let (_, ch2) = rfc_client_hello("hrr", 1);
    assert_eq!(check_second_client_hello(&retry_state(true), &ch2), Ok(()));
    // Without the cookie it would not echo anything we sent.
    let err = check_second_client_hello(&retry_state(false), &ch2).unwrap_err();
    assert_eq!(err.alert(), Some(AlertDescription::IllegalParameter));
}

#[test]
fn test_parse_second_client_hello_rejects_other_changes() {
    let state = retry_state(true);
    let (_, ch2) = rfc_client_hello("hrr", 1);
    let check = |hello: &ClientHello| {
        check_second_client_hello(&state, hello)
            .unwrap_err()
            .alert()
    };
    let illegal = Some(AlertDescription::IllegalParameter);

    let mut random = ch2.clone();
    random.random[0] ^= 1;
    assert_eq!(check(&random), illegal);
    let mut suites = ch2.clone();
    suites.cipher_suites.pop();
    assert_eq!(check(&suites), illegal);
    let mut session = ch2.clone();
    session.legacy_session_id = vec![1; 32];
    assert_eq!(check(&session), illegal);
    let mut early = ch2.clone();
    early.extensions.insert(0, Extension::EarlyData);
    assert_eq!(check(&early), illegal);
    let mut extra = ch2.clone();
    extra.extensions.insert(
        0,
        Extension::Unknown {
            typ: ExtensionType::Unknown(0x1a1a),
            data: vec![],
        },
    );
    assert_eq!(check(&extra), illegal);
    let mut dropped = ch2.clone();
    dropped
        .extensions
        .retain(|e| e.extension_type() != ExtensionType::ServerName);
    assert_eq!(check(&dropped), illegal);
    let mut no_share = ch2.clone();
    no_share
        .extensions
        .retain(|e| e.extension_type() != ExtensionType::KeyShare);
    assert_eq!(check(&no_share), illegal);
    // Padding may come, go or change.
    let mut padded = ch2.clone();
    padded
        .extensions
        .retain(|e| e.extension_type() != ExtensionType::Padding);
    assert_eq!(check_second_client_hello(&state, &padded), Ok(()));
}

#[test]
fn test_parse_second_client_hello_psk_identities() {
    let identity = |id: &[u8]| PskIdentity {
        identity: id.to_vec(),
        obfuscated_ticket_age: 7,
    };
    let with_psks = |ids: &[&[u8]]| {
        let mut hello = rfc_client_hello("hrr", 0).1;
        hello
            .extensions
            .push(Extension::PreSharedKeyClientHello(OfferedPsks {
                identities: ids.iter().map(|id| identity(id)).collect(),
                binders: ids.iter().map(|_| PskBinderEntry(vec![0; 32])).collect(),
            }));
        hello
    };
    let first = with_psks(&[b"a", b"b", b"c"]);
    assert_eq!(check_psk_update(&first, &with_psks(&[b"a", b"c"])), Ok(()));
    assert_eq!(
        check_psk_update(&first, &rfc_client_hello("hrr", 0).1),
        Ok(())
    );
    assert!(check_psk_update(&first, &with_psks(&[b"c", b"a"])).is_err());
    assert!(check_psk_update(&first, &with_psks(&[b"d"])).is_err());
    assert!(check_psk_update(&rfc_client_hello("hrr", 0).1, &first).is_err());
}

#[test]
fn test_stateless_retry_restores_the_transcript() {
    let provider = RustCryptoProvider;
    let (ch1_bytes, ch1) = rfc_client_hello("hrr", 0);
    let mut config = nss_like_config();
    let sealer = Sealer::new(&provider, [1; 4], &[2; 32]).unwrap();
    config.cookies = Some(CookieConfig {
        issuer: Arc::new(sealer),
        lifetime_ms: 5_000,
    });
    let suite = CipherSuite::TLS_AES_128_GCM_SHA256;
    let group = Some(NamedGroup::Secp256r1);
    let mut transcript = Transcript::new(&provider, HashAlgorithm::Sha256);
    transcript.add(&ch1_bytes);
    let cookie = make_cookie(
        &config,
        suite,
        group,
        transcript.current(),
        100,
        &mut CountingRng(0),
    )
    .unwrap()
    .unwrap();
    let hrr = hello_retry_request(
        &config,
        &ch1.legacy_session_id,
        suite,
        group,
        Some(cookie.clone()),
    );
    transcript.replace_client_hello1(&provider).unwrap();
    transcript.add(&HandshakeMessage::HelloRetryRequest(hrr).encode().unwrap());

    // The second ClientHello carries our cookie and arrives on a fresh connection.
    let mut ch2 = rfc_client_hello("hrr", 1).1;
    for e in &mut ch2.extensions {
        if let Extension::Cookie(c) = e {
            c.cookie = cookie.clone();
        }
    }
    let restored = restore_from_cookie(&config, &ch2, 200).unwrap().unwrap();
    assert_eq!(restored.transcript.current(), transcript.current());
    assert_eq!(restored.selected_group, group);
    assert_eq!(check_second_client_hello(&restored, &ch2), Ok(()));
    // Expired, or not ours: illegal_parameter.
    let err = restore_from_cookie(&config, &ch2, 5_101).unwrap_err();
    assert_eq!(err.alert(), Some(AlertDescription::IllegalParameter));
    let (_, rfc_ch2) = rfc_client_hello("hrr", 1);
    assert!(restore_from_cookie(&config, &rfc_ch2, 200).is_err());
    // No cookie, nothing to restore.
    assert!(restore_from_cookie(&config, &ch1, 200).unwrap().is_none());
}
