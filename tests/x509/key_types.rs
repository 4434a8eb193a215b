//! End-entity keys beyond P-256, RSA (rsaEncryption) and Ed25519, in whole handshakes:
//! ECDSA P-384 (generated with rcgen) and RSASSA-PSS keys, whose certificate and PKCS#8 say
//! id-RSASSA-PSS (the fixtures of `tools/make_rsa_pss_pki.sh`, since rcgen cannot make them).
//!
//! RFC 9846 §4.3.3: an `rsa_pss_pss_*` signature needs a certificate key with "the RSASSA-PSS
//! OID", an `rsa_pss_rsae_*` signature one with "the rsaEncryption OID"; §4.5.2: "the
//! signature algorithm MUST be compatible with the key in the sender's end-entity
//! certificate". So a PSS-OID key signs with `rsa_pss_pss_*` only, and a CertificateVerify
//! that uses `rsa_pss_rsae_*` with such a certificate is refused (illegal_parameter).

use std::sync::Arc;

use lucid_tls::client::ClientConfig;
use lucid_tls::crypto::CryptoProvider;
use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::server::{ClientAuth, ServerConfig};
use lucid_tls::wire::alert::AlertDescription;
use lucid_tls::wire::algorithms::SignatureScheme;
use lucid_tls::wire::handshake::HandshakeMessage;
use lucid_tls::x509::{
    CertificateValidator, TrustAnchors, WebPkiClientVerifier, WebPkiServerVerifier,
};

use super::pki::{self, Alg, NOW};
use super::{HOST, Outcome, client_config, handshake, server_config, validator};

const PSS_ROOT: &[u8] = include_bytes!("../fixtures/rsa_pss/root.der");
const PSS_SERVER: &[u8] = include_bytes!("../fixtures/rsa_pss/server.der");
const PSS_SERVER_KEY: &[u8] = include_bytes!("../fixtures/rsa_pss/server.key.der");
const PSS_CLIENT: &[u8] = include_bytes!("../fixtures/rsa_pss/client.der");
/// Restricted by its RSASSA-PSS-params to SHA-256 (so to `rsa_pss_pss_sha256`).
const PSS_CLIENT_KEY: &[u8] = include_bytes!("../fixtures/rsa_pss/client.key.der");

/// The schemes of every CertificateVerify sent: the client's first (mutual TLS), then the
/// server's.
fn certificate_verify_schemes(outcome: &Outcome) -> Vec<SignatureScheme> {
    outcome
        .sent_messages
        .iter()
        .filter_map(|m| match m {
            HandshakeMessage::CertificateVerify(cv) => Some(cv.algorithm),
            _ => None,
        })
        .collect()
}

#[track_caller]
fn assert_completed(outcome: &Outcome) {
    assert!(
        outcome.completed(),
        "{:?} / {:?}",
        outcome.client,
        outcome.server
    );
}

/// A validator trusting the RSA-PSS fixtures' root.
fn pss_validator() -> CertificateValidator {
    let anchors = TrustAnchors::from_der_certificates([PSS_ROOT]).unwrap();
    CertificateValidator::new(Arc::new(RustCryptoProvider), anchors)
}

/// A server presenting `chain` (end entity first), signing with the key in `key_der`.
fn server_with(chain: &[&[u8]], key_der: &[u8]) -> ServerConfig {
    let key = RustCryptoProvider.load_signing_key(key_der).unwrap();
    let certified = lucid_tls::server::CertifiedKey {
        chain: chain.iter().map(|c| c.to_vec()).collect(),
        raw_public_key: None,
        key: Arc::from(key),
        server_names: Vec::new(),
    };
    ServerConfig::new(Arc::new(RustCryptoProvider), vec![certified])
}

/// A client validating servers against the RSA-PSS root, offering `schemes`.
fn pss_client(schemes: &[SignatureScheme]) -> ClientConfig {
    let mut client = client_config(WebPkiServerVerifier::new(pss_validator()));
    client.signature_schemes = schemes.to_vec();
    client
}

/// A client offering `schemes` connects to the RSA-PSS server certificate, whose server
/// signs with `key_der`.
fn pss_server(schemes: &[SignatureScheme], key_der: &[u8]) -> Outcome {
    handshake(
        pss_client(schemes),
        server_with(&[PSS_SERVER], key_der),
        HOST,
        NOW,
    )
}

/// The `RSAPrivateKey` inside an id-RSASSA-PSS PKCS#8 document, which the providers load
/// as an rsaEncryption key (PKCS#1): the same key, claiming the other OID.
fn as_rsae_key(pss_pkcs8: &[u8]) -> Vec<u8> {
    let info = x509_parser::der_parser::parse_der(pss_pkcs8).unwrap().1;
    info.as_sequence().unwrap()[2].as_slice().unwrap().to_vec()
}

#[test]
fn test_p384_server_certificate_signs_with_secp384r1_sha384() {
    let root = pki::self_signed(pki::ca_params("Root CA"), Alg::P256);
    let intermediate = pki::issue(pki::ca_params("Intermediate CA"), Alg::P256, &root);
    let leaf = pki::issue(pki::server_params(&[HOST]), Alg::P384, &intermediate);
    let outcome = handshake(
        client_config(WebPkiServerVerifier::new(validator(&root))),
        server_config(&[&leaf, &intermediate]),
        HOST,
        NOW,
    );
    assert_completed(&outcome);
    assert_eq!(
        certificate_verify_schemes(&outcome),
        [SignatureScheme::EcdsaSecp384r1Sha384]
    );
}

#[test]
fn test_p384_client_certificate() {
    let root = pki::self_signed(pki::ca_params("Client Root"), Alg::P384);
    let leaf = pki::issue(pki::client_params("carol"), Alg::P384, &root);
    // The server's default CertificateRequest asks for ecdsa_secp384r1_sha384 too.
    let (client, server) = super::mutual_configs(validator(&root), &[&leaf], true);
    let outcome = handshake(client, server, HOST, NOW);
    assert_completed(&outcome);
    assert_eq!(
        certificate_verify_schemes(&outcome)[0],
        SignatureScheme::EcdsaSecp384r1Sha384
    );
}

#[test]
fn test_rsa_pss_server_certificate_with_the_default_client_schemes() {
    // ClientConfig::new offers rsa_pss_pss_* after rsa_pss_rsae_*: the PSS key picks the
    // first pss_pss scheme the client lists.
    let client = client_config(WebPkiServerVerifier::new(pss_validator()));
    let outcome = handshake(
        client,
        server_with(&[PSS_SERVER], PSS_SERVER_KEY),
        HOST,
        NOW,
    );
    assert_completed(&outcome);
    assert_eq!(
        certificate_verify_schemes(&outcome),
        [SignatureScheme::RsaPssPssSha256]
    );
}

#[test]
fn test_rsa_pss_server_certificate_negotiates_rsa_pss_pss() {
    // rustls-webpki validates the chain: the end entity's id-RSASSA-PSS key signs nothing
    // on the path (the root signed it with sha256WithRSAEncryption).
    let outcome = pss_server(
        &[
            SignatureScheme::RsaPssPssSha256,
            SignatureScheme::RsaPssPssSha384,
            SignatureScheme::EcdsaSecp256r1Sha256,
        ],
        PSS_SERVER_KEY,
    );
    assert_completed(&outcome);
    assert_eq!(
        certificate_verify_schemes(&outcome),
        [SignatureScheme::RsaPssPssSha256]
    );
    // The client's preference decides among the key's schemes.
    let outcome = pss_server(&[SignatureScheme::RsaPssPssSha512], PSS_SERVER_KEY);
    assert_completed(&outcome);
    assert_eq!(
        certificate_verify_schemes(&outcome),
        [SignatureScheme::RsaPssPssSha512]
    );
}

#[test]
fn test_rsa_pss_key_never_signs_rsae() {
    // A client offering only rsa_pss_rsae_*: the PSS-OID key has no scheme in common, and
    // the server says so (RFC 9846 §4.3.3 forbids it to sign rsae with this key).
    let outcome = pss_server(
        &[
            SignatureScheme::RsaPssRsaeSha256,
            SignatureScheme::RsaPssRsaeSha384,
            SignatureScheme::RsaPssRsaeSha512,
        ],
        PSS_SERVER_KEY,
    );
    outcome.assert_alert("server", AlertDescription::HandshakeFailure);
    assert!(certificate_verify_schemes(&outcome).is_empty());
}

#[test]
fn test_rsae_signature_with_a_pss_certificate_is_illegal_parameter() {
    // The right private key, but loaded as rsaEncryption, so it signs rsa_pss_rsae_sha256:
    // the signature verifies mathematically, yet the scheme does not fit the certificate's
    // id-RSASSA-PSS key (RFC 9846 §4.5.2).
    let outcome = pss_server(
        &[
            SignatureScheme::RsaPssRsaeSha256,
            SignatureScheme::RsaPssPssSha256,
        ],
        &as_rsae_key(PSS_SERVER_KEY),
    );
    assert_eq!(
        certificate_verify_schemes(&outcome),
        [SignatureScheme::RsaPssRsaeSha256]
    );
    outcome.assert_alert("client", AlertDescription::IllegalParameter);
    assert_scheme_misfit(&outcome.client);
}

/// The failure is the key check, not "a scheme that was not offered".
#[track_caller]
fn assert_scheme_misfit(result: &Result<(), lucid_tls::Error>) {
    let error = result.as_ref().unwrap_err().to_string();
    assert!(
        error.contains("does not match the certificate's key"),
        "{error}"
    );
}

/// Mutual TLS where both sides hold RSA-PSS-OID certificates from the fixtures, the client
/// signing with `client_key`; the server asks for `client_auth_schemes`.
fn pss_mutual(client_key: &[u8], client_auth_schemes: &[SignatureScheme]) -> Outcome {
    let mut client = pss_client(&[SignatureScheme::RsaPssPssSha256]);
    let key = RustCryptoProvider.load_signing_key(client_key).unwrap();
    client.client_auth = vec![lucid_tls::CertifiedKey::new(
        vec![PSS_CLIENT.to_vec()],
        Arc::from(key),
    )];
    let mut server = server_with(&[PSS_SERVER], PSS_SERVER_KEY);
    let verifier = Arc::new(WebPkiClientVerifier::new(pss_validator()));
    server.client_auth = ClientAuth::Required(verifier);
    server.client_auth_schemes = client_auth_schemes.to_vec();
    handshake(client, server, HOST, NOW)
}

#[test]
fn test_rsa_pss_client_certificate_in_mutual_tls() {
    // The client's key allows SHA-256 only (its parameters), so it picks rsa_pss_pss_sha256
    // even though the server lists SHA-384 first.
    let outcome = pss_mutual(
        PSS_CLIENT_KEY,
        &[
            SignatureScheme::RsaPssPssSha384,
            SignatureScheme::RsaPssPssSha256,
        ],
    );
    assert_completed(&outcome);
    assert_eq!(
        certificate_verify_schemes(&outcome),
        [
            SignatureScheme::RsaPssPssSha256,
            SignatureScheme::RsaPssPssSha256
        ]
    );
}

#[test]
fn test_server_refuses_a_client_rsae_signature_with_a_pss_certificate() {
    let outcome = pss_mutual(
        &as_rsae_key(PSS_CLIENT_KEY),
        &[
            SignatureScheme::RsaPssRsaeSha256,
            SignatureScheme::RsaPssPssSha256,
        ],
    );
    assert_eq!(
        certificate_verify_schemes(&outcome)[0],
        SignatureScheme::RsaPssRsaeSha256
    );
    outcome.assert_alert("server", AlertDescription::IllegalParameter);
    assert_scheme_misfit(&outcome.server);
}

#[test]
fn test_rsa_pss_key_on_an_intermediate_is_not_accepted() {
    // A CA whose key is id-RSASSA-PSS signs its leaf with RSASSA-PSS: no certificate
    // signature algorithm of lucid_tls::x509::signatures pairs that key type with a
    // signature, so rustls-webpki finds no verifier for the link
    // (UnsupportedSignatureAlgorithmForPublicKey) and the path fails.
    let ca = include_bytes!("../fixtures/rsa_pss/pss_ca.der");
    let leaf = include_bytes!("../fixtures/rsa_pss/under_pss_ca.der");
    let error = pss_validator()
        .validate(leaf, &[&ca[..]], lucid_tls::x509::Purpose::ServerAuth, NOW)
        .unwrap_err();
    assert_eq!(
        error.alert(),
        Some(AlertDescription::UnsupportedCertificate)
    );
    assert!(
        error.to_string().contains("does not fit its issuer's key"),
        "{error}"
    );
}
