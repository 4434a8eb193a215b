//! The client choosing which of its certificates answers a CertificateRequest (RFC 9846
//! §4.5.1.2): by the request's signature_algorithms and certificate_authorities, or an
//! empty Certificate when no key can sign as asked.

use std::sync::Arc;

use lucid_tls::wire::alert::AlertDescription;
use lucid_tls::wire::algorithms::SignatureScheme;

use super::pki::{self, Alg, Cert, NOW};
use super::*;

/// Two client chains, each a leaf under its own root: (root, leaf).
struct TwoClients {
    ecdsa: (Cert, Cert),
    ed25519: (Cert, Cert),
}

impl TwoClients {
    fn new() -> Self {
        let root_a = pki::self_signed(pki::ca_params("Client CA A"), Alg::P256);
        let ecdsa = pki::issue(pki::client_params("alice (ECDSA)"), Alg::P256, &root_a);
        let root_b = pki::self_signed(pki::ca_params("Client CA B"), Alg::P256);
        let ed25519 = pki::issue(pki::client_params("alice (Ed25519)"), Alg::Ed25519, &root_b);
        Self {
            ecdsa: (root_a, ecdsa),
            ed25519: (root_b, ed25519),
        }
    }
}

/// The client certificates `leaves` (each a one-certificate chain) with their keys, in
/// this order of preference.
fn holding(leaves: [&Cert; 2]) -> Vec<lucid_tls::CertifiedKey> {
    leaves
        .into_iter()
        .map(|leaf| {
            lucid_tls::CertifiedKey::new(vec![leaf.der.clone()], certified_key(&[leaf]).key)
        })
        .collect()
}

/// A client holding the ECDSA chain then the Ed25519 chain, and a server that requires a
/// certificate, signs CertificateVerify with `schemes` only, and trusts `roots`.
fn choose(two: &TwoClients, schemes: &[SignatureScheme], roots: &[&Cert]) -> Outcome {
    let (server_root, server_intermediate, server_leaf) = server_pki(pki::server_params(&[HOST]));
    let mut client = client_config(WebPkiServerVerifier::new(validator(&server_root)));
    client.client_auth = holding([&two.ecdsa.1, &two.ed25519.1]);
    let mut server = server_config(&[&server_leaf, &server_intermediate]);
    let anchors = TrustAnchors::from_der_certificates(roots.iter().map(|r| &r.der)).unwrap();
    let validator = CertificateValidator::new(Arc::new(RustCryptoProvider), anchors);
    server.client_auth = ClientAuth::Required(Arc::new(WebPkiClientVerifier::new(validator)));
    server.client_auth_schemes = schemes.to_vec();
    handshake(client, server, HOST, NOW)
}

#[test]
fn test_client_picks_the_certificate_the_request_can_verify() {
    let two = TwoClients::new();
    let both = [&two.ecdsa.0, &two.ed25519.0];
    // RFC 9846 §4.5.2: the client's CertificateVerify must use a scheme of the request's
    // signature_algorithms: the chain whose key can is sent.
    let ed25519 = choose(&two, &[SignatureScheme::Ed25519], &both);
    assert_eq!(client_certificate_seen(&ed25519), two.ed25519.1.der);
    let ecdsa = choose(&two, &[SignatureScheme::EcdsaSecp256r1Sha256], &both);
    assert_eq!(client_certificate_seen(&ecdsa), two.ecdsa.1.der);
    // Both fit: the configuration's order decides.
    let either = [
        SignatureScheme::Ed25519,
        SignatureScheme::EcdsaSecp256r1Sha256,
    ];
    assert_eq!(
        client_certificate_seen(&choose(&two, &either, &both)),
        two.ecdsa.1.der
    );
}

#[test]
fn test_client_prefers_a_chain_from_a_named_ca() {
    let two = TwoClients::new();
    let either = [
        SignatureScheme::Ed25519,
        SignatureScheme::EcdsaSecp256r1Sha256,
    ];
    // The server trusts (and names in certificate_authorities) CA B only: the second
    // chain is sent although the first comes first (RFC 9846 §4.5.1.2: "at least one of
    // the certificates in the certificate chain SHOULD be issued by one of the listed CAs").
    let outcome = choose(&two, &either, &[&two.ed25519.0]);
    assert_eq!(client_certificate_seen(&outcome), two.ed25519.1.der);
    let outcome = choose(&two, &either, &[&two.ecdsa.0]);
    assert_eq!(client_certificate_seen(&outcome), two.ecdsa.1.der);
}

#[test]
fn test_no_matching_certificate_sends_an_empty_one() {
    let two = TwoClients::new();
    let both = [&two.ecdsa.0, &two.ed25519.0];
    // Neither key can sign with RSA-PSS: an empty Certificate (RFC 9846 §4.5.1), and the
    // server, which requires one, answers certificate_required (§4.5.1.3).
    let outcome = choose(&two, &[SignatureScheme::RsaPssRsaeSha256], &both);
    outcome.assert_alert("server", AlertDescription::CertificateRequired);
    let empty = outcome
        .sent_messages
        .iter()
        .any(|m| matches!(m, HandshakeMessage::Certificate(c) if c.certificate_list.is_empty()));
    assert!(empty, "the client sent an empty Certificate");
}

/// Trusts what `inner` trusts, but says in signature_algorithms_cert that it accepts only
/// `schemes` in certificates.
struct CertSchemes {
    inner: WebPkiClientVerifier,
    schemes: Vec<SignatureScheme>,
}

use lucid_tls::verify::Answer;

impl lucid_tls::server::ClientCertVerifier for CertSchemes {
    fn verify(&self, ee: &[u8], im: &[&[u8]], now: lucid_tls::time::Time) -> Answer {
        self.inner.verify(ee, im, now)
    }
    fn acceptable_issuers(&self) -> Vec<Vec<u8>> {
        self.inner.acceptable_issuers()
    }
    fn certificate_schemes(&self) -> Option<Vec<SignatureScheme>> {
        Some(self.schemes.clone())
    }
}

#[test]
fn test_client_prefers_a_chain_signed_as_the_request_asks() {
    // Two Ed25519 leaves, the first signed by an RSA (PKCS#1) root, the second by a P-256
    // root. The server trusts both but lists only ecdsa_secp256r1_sha256 in
    // signature_algorithms_cert: the second chain is sent (RFC 9846 §4.5.1.2: "All
    // certificates provided by the sender MUST be signed by a signature algorithm
    // advertised by the peer, if it is able to provide such a chain").
    let rsa_root = pki::self_signed(pki::ca_params("RSA Client CA"), Alg::RsaSha256);
    let rsa_signed = pki::issue(pki::client_params("alice"), Alg::Ed25519, &rsa_root);
    let ecdsa_root = pki::self_signed(pki::ca_params("ECDSA Client CA"), Alg::P256);
    let ecdsa_signed = pki::issue(pki::client_params("alice"), Alg::Ed25519, &ecdsa_root);
    let (server_root, server_intermediate, server_leaf) = server_pki(pki::server_params(&[HOST]));
    let mut client = client_config(WebPkiServerVerifier::new(validator(&server_root)));
    client.client_auth = holding([&rsa_signed, &ecdsa_signed]);
    let mut server = server_config(&[&server_leaf, &server_intermediate]);
    let anchors = TrustAnchors::from_der_certificates([&rsa_root.der, &ecdsa_root.der]).unwrap();
    let validator = CertificateValidator::new(Arc::new(RustCryptoProvider), anchors);
    server.client_auth = ClientAuth::Required(Arc::new(CertSchemes {
        inner: WebPkiClientVerifier::new(validator),
        schemes: vec![SignatureScheme::EcdsaSecp256r1Sha256],
    }));
    let outcome = handshake(client, server, HOST, NOW);
    assert_eq!(client_certificate_seen(&outcome), ecdsa_signed.der);
}
