//! The config builders and what a newcomer trips on (issue 12 §2, §2b): mistakes caught
//! when a config is built or a connection made, errors that say which side failed, and the
//! peer's identity one call away.

use std::sync::Arc;

use lucid_tls::crypto::CryptoProvider;
use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::wire::alert::AlertDescription;
use lucid_tls::{
    CertifiedKey, CipherSuite, ClientConfig, ClientConnection, Error, NamedGroup, ServerConfig,
    ServerName, SignatureScheme, TrustAnchors,
};

use super::common::setup::SeededRng;
use super::pki::{self, Alg, Cert, NOW};
use super::{HOST, handshake, server_pki};

fn provider() -> Arc<dyn CryptoProvider> {
    Arc::new(RustCryptoProvider)
}

fn anchors(root: &Cert) -> TrustAnchors {
    TrustAnchors::from_der_certificates([&root.der]).unwrap()
}

fn key_of(cert: &Cert) -> Arc<dyn lucid_tls::crypto::SigningKey> {
    Arc::from(RustCryptoProvider.load_signing_key(&cert.key).unwrap())
}

#[test]
fn test_a_key_that_does_not_match_its_certificate_is_refused_at_build() {
    let (_root, intermediate, leaf) = server_pki(pki::server_params(&[HOST]));
    let other = pki::issue(pki::server_params(&[HOST]), Alg::P256, &intermediate);
    // The leaf's chain with the other certificate's key: same algorithm, wrong key.
    let wrong = CertifiedKey::new(vec![leaf.der.clone()], key_of(&other));
    let err = ServerConfig::builder(provider())
        .certified_key(wrong)
        .build()
        .unwrap_err();
    assert_eq!(err.field, "certificates");
    assert_eq!(
        err.to_string(),
        "ServerConfig.certificates: the private key does not match the end-entity certificate"
    );
    // A key of another algorithm cannot even sign for the certificate.
    let ed = pki::issue(pki::server_params(&[HOST]), Alg::Ed25519, &intermediate);
    let err = ServerConfig::builder(provider())
        .certified_key(CertifiedKey::new(vec![leaf.der.clone()], key_of(&ed)))
        .build()
        .unwrap_err();
    assert_eq!(err.field, "certificates");
    // The right key builds, and so does a client certificate on the client side.
    let right = CertifiedKey::new(vec![leaf.der.clone()], key_of(&leaf));
    assert!(
        ServerConfig::builder(provider())
            .certified_key(right.clone())
            .build()
            .is_ok()
    );
    let err = ClientConfig::builder(provider())
        .pinned_certificates(vec![])
        .client_auth(CertifiedKey::new(vec![leaf.der.clone()], key_of(&other)))
        .build()
        .unwrap_err();
    assert_eq!(err.field, "client_auth");
}

#[test]
fn test_build_names_the_field_and_checks_ticket_lifetime() {
    let (_root, _intermediate, leaf) = server_pki(pki::server_params(&[HOST]));
    let certified = CertifiedKey::new(vec![leaf.der.clone()], key_of(&leaf));
    let err = ServerConfig::builder(provider()).build().unwrap_err();
    assert_eq!(err.field, "certificates");
    let err = ServerConfig::builder(provider())
        .certified_key(certified.clone())
        .groups(&[NamedGroup::Ffdhe2048])
        .build()
        .unwrap_err();
    assert_eq!(err.field, "key_share_groups");
    let sealer = lucid_tls::server::Sealer::new(&RustCryptoProvider, [0; 4], &[1; 32]).unwrap();
    let err = ServerConfig::builder(provider())
        .certified_key(certified)
        .tickets(lucid_tls::server::TicketConfig {
            issuer: Arc::new(sealer),
            count: 1,
            lifetime_secs: 604_801,
            nonce_len: 1,
        })
        .build()
        .unwrap_err();
    assert_eq!(err.field, "tickets.lifetime_secs");
}

#[test]
fn test_a_webpki_client_without_a_server_name_is_refused_when_connecting() {
    let (root, _, _) = server_pki(pki::server_params(&[HOST]));
    let config = ClientConfig::builder(provider())
        .trust_anchors(anchors(&root))
        .build()
        .unwrap();
    let result = ClientConnection::new(config.clone(), None, Box::new(SeededRng::new(1)), NOW);
    assert!(matches!(result, Err(Error::Misuse(_))));
    let name = ServerName::try_from(HOST).unwrap();
    assert!(ClientConnection::connect(config, name, Box::new(SeededRng::new(1)), NOW).is_ok());
}

#[test]
fn test_builder_config_completes_and_names_the_peer() {
    let (root, intermediate, leaf) = server_pki(pki::server_params(&[HOST]));
    let client_root = pki::self_signed(pki::ca_params("Client CA"), Alg::P256);
    let client_leaf = pki::issue(pki::client_params("device-7"), Alg::P256, &client_root);
    let client = ClientConfig::builder(provider())
        .trust_anchors(anchors(&root))
        .client_auth(CertifiedKey::new(
            vec![client_leaf.der.clone()],
            key_of(&client_leaf),
        ))
        .build()
        .unwrap();
    // The webpki verifier's certificate schemes are advertised (RFC 9846 §4.3.3).
    assert!(client.signature_schemes_cert.is_some());
    let server = ServerConfig::builder(provider())
        .certified_key(CertifiedKey::new(
            vec![leaf.der.clone(), intermediate.der.clone()],
            key_of(&leaf),
        ))
        .require_client_certificates_from(anchors(&client_root))
        .build()
        .unwrap();
    let outcome = handshake((*client).clone(), (*server).clone(), HOST, NOW);
    assert!(
        outcome.completed(),
        "{:?} {:?}",
        outcome.client,
        outcome.server
    );
    let (client_identity, server_identity) = (outcome.client_peer, outcome.server_peer);
    let client_identity = client_identity.expect("the client saw the server's certificate");
    assert_eq!(client_identity.dns_names, [HOST]);
    let server_identity = server_identity.expect("the server saw the client's certificate");
    assert!(
        server_identity.subject.contains("CN=device-7"),
        "{server_identity:?}"
    );
}

#[test]
fn test_an_unknown_ca_is_our_trust_decision_not_peer_misbehaviour() {
    let (_root, intermediate, leaf) = server_pki(pki::server_params(&[HOST]));
    let stranger = pki::self_signed(pki::ca_params("Someone else's CA"), Alg::P256);
    let client = ClientConfig::builder(provider())
        .trust_anchors(anchors(&stranger))
        .build()
        .unwrap();
    let server = ServerConfig::builder(provider())
        .certified_key(CertifiedKey::new(
            vec![leaf.der.clone(), intermediate.der.clone()],
            key_of(&leaf),
        ))
        .build()
        .unwrap();
    let outcome = handshake((*client).clone(), (*server).clone(), HOST, NOW);
    outcome.assert_alert("client", AlertDescription::UnknownCa);
    let err = outcome.client.unwrap_err();
    assert!(matches!(err, Error::CertificateRejected { .. }), "{err:?}");
    assert!(
        err.to_string().starts_with("peer certificate not accepted"),
        "{err}"
    );
}

#[test]
fn test_algorithm_names_parse_and_print() {
    assert_eq!("x25519".parse(), Ok(NamedGroup::X25519));
    assert_eq!("SECP256R1".parse(), Ok(NamedGroup::Secp256r1));
    assert_eq!(
        "tls_chacha20_poly1305_sha256".parse(),
        Ok(CipherSuite::TLS_CHACHA20_POLY1305_SHA256)
    );
    assert_eq!(
        SignatureScheme::RsaPssRsaeSha256.to_string(),
        "rsa_pss_rsae_sha256"
    );
    assert!("aes".parse::<CipherSuite>().is_err());
}
