//! Certificate validation inside real handshakes: the client engine with a
//! `WebPkiServerVerifier`, the server engine with a `WebPkiClientVerifier`, in memory. Each
//! broken chain must make the validating side send the alert RFC 9846 §6.2 calls for, and the
//! other side must receive it; good chains must complete, in both roles (mutual TLS).

mod common;
#[path = "x509/pki.rs"]
mod pki;

use std::sync::Arc;

use common::pair::SeededRng;
use lucid_tls::Error;
use lucid_tls::client::{self, ClientConfig, ClientConnection};
use lucid_tls::connection::Event;
use lucid_tls::crypto::CryptoProvider;
use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::server::{ClientAuth, ServerConfig, ServerConnection};
use lucid_tls::time::Time;
use lucid_tls::wire::alert::AlertDescription;
use lucid_tls::x509::{
    CertificateValidator, Revocation, TrustAnchors, WebPkiClientVerifier, WebPkiServerVerifier,
};
use pki::{Alg, Cert, NOW};
use rcgen::{ExtendedKeyUsagePurpose, IsCa, date_time_ymd};

const HOST: &str = "www.example.com";

/// What happened on each side of a handshake.
struct Outcome {
    client: Result<(), Error>,
    server: Result<(), Error>,
    client_events: Vec<Event>,
    server_events: Vec<Event>,
}

impl Outcome {
    fn completed(&self) -> bool {
        let done = |events: &[Event]| {
            events
                .iter()
                .any(|e| matches!(e, Event::HandshakeComplete(_)))
        };
        self.client.is_ok()
            && self.server.is_ok()
            && done(&self.client_events)
            && done(&self.server_events)
    }

    /// Asserts that `sender` ("client" or "server") failed and sent `alert`, and that the
    /// other side received it.
    #[track_caller]
    fn assert_alert(&self, sender: &str, alert: AlertDescription) {
        let (failed, sent, other, received) = match sender {
            "client" => (
                &self.client,
                &self.client_events,
                &self.server,
                &self.server_events,
            ),
            _ => (
                &self.server,
                &self.server_events,
                &self.client,
                &self.client_events,
            ),
        };
        let error = failed
            .as_ref()
            .expect_err("the validating side should fail");
        assert_eq!(error.alert(), Some(alert), "{error}");
        assert!(
            sent.iter()
                .any(|e| matches!(e, Event::AlertSent(a) if *a == alert)),
            "{sent:?}"
        );
        assert_eq!(other, &Err(Error::AlertReceived(alert)));
        assert!(
            received
                .iter()
                .any(|e| matches!(e, Event::AlertReceived(a) if *a == alert)),
            "{received:?}"
        );
    }
}

/// Runs a handshake to `name` at `now` until both sides are quiet.
fn handshake(client: ClientConfig, server: ServerConfig, name: &str, now: Time) -> Outcome {
    let mut c = ClientConnection::new(
        Arc::new(client),
        Some(name),
        Box::new(SeededRng::new(1)),
        now,
    )
    .unwrap();
    let mut s = ServerConnection::new(Arc::new(server), Box::new(SeededRng::new(2)), now).unwrap();
    let (mut client_result, mut server_result) = (Ok(()), Ok(()));
    for _ in 0..16 {
        let to_server = c.take_output();
        let to_client = s.take_output();
        if to_server.is_empty() && to_client.is_empty() {
            break;
        }
        if !to_server.is_empty() && server_result.is_ok() {
            server_result = s.feed(now, &to_server).map(|_| ());
        }
        if !to_client.is_empty() && client_result.is_ok() {
            client_result = c.feed(now, &to_client).map(|_| ());
        }
    }
    Outcome {
        client: client_result,
        server: server_result,
        client_events: std::iter::from_fn(|| c.poll_event()).collect(),
        server_events: std::iter::from_fn(|| s.poll_event()).collect(),
    }
}

fn validator(root: &Cert) -> CertificateValidator {
    let anchors = TrustAnchors::from_der_certificates([&root.der]).unwrap();
    CertificateValidator::new(Arc::new(RustCryptoProvider), anchors)
}

fn client_config(verifier: WebPkiServerVerifier) -> ClientConfig {
    ClientConfig::new(Arc::new(RustCryptoProvider), Arc::new(verifier))
}

/// A server presenting `chain` (end entity first) with the end entity's key `key`.
fn server_config(chain: &[&Cert]) -> ServerConfig {
    let key = RustCryptoProvider.load_signing_key(&chain[0].key).unwrap();
    let certified = lucid_tls::server::CertifiedKey {
        chain: chain.iter().map(|c| c.der.clone()).collect(),
        key: Arc::from(key),
        server_names: Vec::new(),
    };
    ServerConfig::new(Arc::new(RustCryptoProvider), vec![certified])
}

/// root → intermediate → a server leaf for `names`, built from `leaf_params`.
fn server_pki(leaf: rcgen::CertificateParams) -> (Cert, Cert, Cert) {
    let root = pki::self_signed(pki::ca_params("Root CA"), Alg::P256);
    let intermediate = pki::issue(pki::ca_params("Intermediate CA"), Alg::P256, &root);
    let leaf = pki::issue(leaf, Alg::P256, &intermediate);
    (root, intermediate, leaf)
}

/// A client trusting `root` connecting to `name` on a server presenting `chain`.
fn connect(root: &Cert, chain: &[&Cert], name: &str) -> Outcome {
    handshake(
        client_config(WebPkiServerVerifier::new(validator(root))),
        server_config(chain),
        name,
        NOW,
    )
}

// ---- The client validates the server ----

#[test]
fn test_valid_chains_complete() {
    for (root_alg, leaf_alg) in [
        (Alg::P256, Alg::P256),
        (Alg::RsaPss, Alg::Ed25519),
        (Alg::Ed25519, Alg::RsaSha256),
    ] {
        let root = pki::self_signed(pki::ca_params("Root CA"), root_alg);
        let intermediate = pki::issue(pki::ca_params("Intermediate CA"), Alg::P384, &root);
        let leaf = pki::issue(pki::server_params(&[HOST]), leaf_alg, &intermediate);
        let outcome = connect(&root, &[&leaf, &intermediate], HOST);
        assert!(
            outcome.completed(),
            "{:?} / {:?}",
            outcome.client,
            outcome.server
        );
    }
}

#[test]
fn test_server_chain_sent_out_of_order_completes() {
    let root = pki::self_signed(pki::ca_params("Root CA"), Alg::P256);
    let upper = pki::issue(pki::ca_params("Upper CA"), Alg::P256, &root);
    let lower = pki::issue(pki::ca_params("Lower CA"), Alg::P256, &upper);
    let leaf = pki::issue(pki::server_params(&[HOST]), Alg::P256, &lower);
    assert!(connect(&root, &[&leaf, &upper, &root, &lower], HOST).completed());
}

#[test]
fn test_expired_and_not_yet_valid_server_certificate() {
    let mut params = pki::server_params(&[HOST]);
    params.not_after = date_time_ymd(2026, 1, 1);
    let (root, intermediate, leaf) = server_pki(params);
    connect(&root, &[&leaf, &intermediate], HOST)
        .assert_alert("client", AlertDescription::CertificateExpired);
    let mut params = pki::server_params(&[HOST]);
    params.not_before = date_time_ymd(2028, 1, 1);
    let (root, intermediate, leaf) = server_pki(params);
    connect(&root, &[&leaf, &intermediate], HOST)
        .assert_alert("client", AlertDescription::CertificateExpired);
}

#[test]
fn test_unknown_ca() {
    let (_, intermediate, leaf) = server_pki(pki::server_params(&[HOST]));
    let other = pki::self_signed(pki::ca_params("Other Root"), Alg::P256);
    connect(&other, &[&leaf, &intermediate], HOST)
        .assert_alert("client", AlertDescription::UnknownCa);
    // The intermediate left out.
    let (root, _, leaf) = server_pki(pki::server_params(&[HOST]));
    connect(&root, &[&leaf], HOST).assert_alert("client", AlertDescription::UnknownCa);
}

#[test]
fn test_bad_signature_on_a_link() {
    let (root, intermediate, leaf) = server_pki(pki::server_params(&[HOST]));
    let bad = Cert {
        der: pki::corrupt_signature(&intermediate.der),
        ..intermediate
    };
    connect(&root, &[&leaf, &bad], HOST).assert_alert("client", AlertDescription::BadCertificate);
}

#[test]
fn test_wrong_host_name_and_ip_mismatch() {
    let (root, intermediate, leaf) = server_pki(pki::server_params(&[HOST, "192.0.2.1"]));
    connect(&root, &[&leaf, &intermediate], "mail.example.com")
        .assert_alert("client", AlertDescription::CertificateUnknown);
    assert!(connect(&root, &[&leaf, &intermediate], "192.0.2.1").completed());
    connect(&root, &[&leaf, &intermediate], "192.0.2.2")
        .assert_alert("client", AlertDescription::CertificateUnknown);
}

#[test]
fn test_ca_false_intermediate() {
    let root = pki::self_signed(pki::ca_params("Root CA"), Alg::P256);
    let mut params = pki::ca_params("Not A CA");
    params.is_ca = IsCa::ExplicitNoCa;
    let not_ca = pki::issue(params, Alg::P256, &root);
    let leaf = pki::issue(pki::server_params(&[HOST]), Alg::P256, &not_ca);
    connect(&root, &[&leaf, &not_ca], HOST)
        .assert_alert("client", AlertDescription::BadCertificate);
}

#[test]
fn test_path_length_exceeded() {
    let (root, upper, lower, leaf) = pki::path_len_zero_chain(HOST);
    connect(&root, &[&leaf, &lower, &upper], HOST)
        .assert_alert("client", AlertDescription::BadCertificate);
}

#[test]
fn test_wrong_eku() {
    let mut params = pki::server_params(&[HOST]);
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    let (root, intermediate, leaf) = server_pki(params);
    connect(&root, &[&leaf, &intermediate], HOST)
        .assert_alert("client", AlertDescription::UnsupportedCertificate);
}

#[test]
fn test_revoked_server_certificate() {
    let mut params = pki::server_params(&[HOST]);
    params.serial_number = Some(42u64.into());
    let (root, intermediate, leaf) = server_pki(params);
    let crls = [
        pki::crl(&intermediate, &[42], (2028, 1, 1)),
        pki::crl(&root, &[], (2028, 1, 1)),
    ];
    let validator = validator(&root).with_revocation(Revocation::from_der_crls(crls).unwrap());
    handshake(
        client_config(WebPkiServerVerifier::new(validator)),
        server_config(&[&leaf, &intermediate]),
        HOST,
        NOW,
    )
    .assert_alert("client", AlertDescription::CertificateRevoked);
}

#[test]
fn test_validation_uses_the_connections_time() {
    let (root, intermediate, leaf) = server_pki(pki::server_params(&[HOST]));
    let config = || client_config(WebPkiServerVerifier::new(validator(&root)));
    let chain = [&leaf, &intermediate];
    assert!(handshake(config(), server_config(&chain), HOST, NOW).completed());
    handshake(
        config(),
        server_config(&chain),
        HOST,
        Time::from_unix_secs(2_082_758_400),
    )
    .assert_alert("client", AlertDescription::CertificateExpired);
}

// ---- The server validates the client (mutual TLS) ----

/// A client presenting `chain` (end entity first) and a server requiring a certificate
/// from `client_root` (its own certificate is issued under `server_root`).
fn mutual(client_root: &Cert, chain: &[&Cert], required: bool, now: Time) -> Outcome {
    let (server_root, server_intermediate, server_leaf) = server_pki(pki::server_params(&[HOST]));
    let mut client = client_config(WebPkiServerVerifier::new(validator(&server_root)));
    if !chain.is_empty() {
        let key = RustCryptoProvider.load_signing_key(&chain[0].key).unwrap();
        client.client_auth = Some(client::ClientAuth {
            certificate_chain: chain.iter().map(|c| c.der.clone()).collect(),
            key: Arc::from(key),
        });
    }
    let mut server = server_config(&[&server_leaf, &server_intermediate]);
    let verifier = Arc::new(WebPkiClientVerifier::new(validator(client_root)));
    server.client_auth = if required {
        ClientAuth::Required(verifier)
    } else {
        ClientAuth::Optional(verifier)
    };
    handshake(client, server, HOST, now)
}

/// A client PKI: root → issuing CA → a client leaf built from `params`.
fn client_pki(params: rcgen::CertificateParams) -> (Cert, Cert, Cert) {
    let root = pki::self_signed(pki::ca_params("Client Root"), Alg::RsaSha256);
    let intermediate = pki::issue(pki::ca_params("Client Issuing CA"), Alg::P256, &root);
    let leaf = pki::issue(params, Alg::Ed25519, &intermediate);
    (root, intermediate, leaf)
}

#[test]
fn test_mutual_tls_completes() {
    let (root, intermediate, leaf) = client_pki(pki::client_params("alice"));
    let outcome = mutual(&root, &[&leaf, &intermediate], true, NOW);
    assert!(
        outcome.completed(),
        "{:?} / {:?}",
        outcome.client,
        outcome.server
    );
    let negotiated = outcome.server_events.iter().find_map(|e| match e {
        Event::HandshakeComplete(n) => Some(n.clone()),
        _ => None,
    });
    assert_eq!(negotiated.unwrap().peer_certificates[0], leaf.der);
}

#[test]
fn test_client_certificate_failures() {
    let (root, intermediate, _) = client_pki(pki::client_params("alice"));
    let expired = {
        let mut params = pki::client_params("old alice");
        params.not_after = date_time_ymd(2026, 1, 1);
        pki::issue(params, Alg::P256, &intermediate)
    };
    mutual(&root, &[&expired, &intermediate], true, NOW)
        .assert_alert("server", AlertDescription::CertificateExpired);
    let server_only = pki::issue(
        pki::server_params(&["alice.example"]),
        Alg::P256,
        &intermediate,
    );
    mutual(&root, &[&server_only, &intermediate], true, NOW)
        .assert_alert("server", AlertDescription::UnsupportedCertificate);
    let good = pki::issue(pki::client_params("alice"), Alg::P256, &intermediate);
    mutual(&root, &[&good], true, NOW).assert_alert("server", AlertDescription::UnknownCa);
    let stranger_root = pki::self_signed(pki::ca_params("Stranger"), Alg::P256);
    let stranger = pki::issue(pki::client_params("mallory"), Alg::P256, &stranger_root);
    mutual(&root, &[&stranger], true, NOW).assert_alert("server", AlertDescription::UnknownCa);
}

#[test]
fn test_empty_client_certificate() {
    let (root, _, _) = client_pki(pki::client_params("alice"));
    // RFC 9846 §4.5.1.3: the server "MAY ... abort the handshake with a
    // "certificate_required" alert", or go on without client authentication.
    mutual(&root, &[], true, NOW).assert_alert("server", AlertDescription::CertificateRequired);
    assert!(mutual(&root, &[], false, NOW).completed());
}
