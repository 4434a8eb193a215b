//! Certificate validation inside real handshakes: the client engine with a
//! `WebPkiServerVerifier`, the server engine with a `WebPkiClientVerifier`, in memory. Each
//! broken chain must make the validating side send the alert RFC 9846 §6.2 calls for, and the
//! other side must receive it; good chains must complete, in both roles (mutual TLS).

#[path = "x509/builders.rs"]
mod builders;
#[path = "x509/client_choice.rs"]
mod client_choice;
#[path = "x509/client_flight.rs"]
mod client_flight;
mod common;
#[path = "x509/deferred.rs"]
mod deferred;
#[path = "x509/flights.rs"]
mod flights;
#[path = "x509/key_types.rs"]
mod key_types;
#[path = "x509/pki.rs"]
mod pki;

use std::sync::Arc;

use common::setup::SeededRng;
use lucid_tls::Error;
use lucid_tls::client::{self, ClientConfig, ClientConnection};
use lucid_tls::connection::Event;
use lucid_tls::crypto::CryptoProvider;
use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::server::{ClientAuth, ServerConfig, ServerConnection};
use lucid_tls::time::Time;
use lucid_tls::trace::{Direction, TraceEvent};
use lucid_tls::wire::alert::AlertDescription;
use lucid_tls::wire::algorithms::SignatureScheme;
use lucid_tls::wire::codes::ExtensionType;
use lucid_tls::wire::extensions::Extension;
use lucid_tls::wire::handshake::HandshakeMessage;
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
    /// Every handshake message either side sent, in order.
    sent_messages: Vec<HandshakeMessage>,
    /// Who each side's peer certificate says it is (`Connection::peer_identity`).
    client_peer: Option<lucid_tls::x509::PeerIdentity>,
    server_peer: Option<lucid_tls::x509::PeerIdentity>,
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
fn handshake(mut client: ClientConfig, mut server: ServerConfig, name: &str, now: Time) -> Outcome {
    client.trace = true;
    server.trace = true;
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
    let sent = |t: TraceEvent| match t {
        TraceEvent::HandshakeMessage {
            direction: Direction::Sent,
            message,
            ..
        } => Some(message),
        _ => None,
    };
    let mut sent_messages: Vec<HandshakeMessage> = std::iter::from_fn(|| c.poll_trace())
        .filter_map(sent)
        .collect();
    sent_messages.extend(std::iter::from_fn(|| s.poll_trace()).filter_map(sent));
    Outcome {
        client_peer: c.peer_identity(),
        server_peer: s.peer_identity(),
        client: client_result,
        server: server_result,
        client_events: std::iter::from_fn(|| c.poll_event()).collect(),
        server_events: std::iter::from_fn(|| s.poll_event()).collect(),
        sent_messages,
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
    ServerConfig::new(Arc::new(RustCryptoProvider), vec![certified_key(chain)])
}

/// `chain` (end entity first) with the end entity's key.
fn certified_key(chain: &[&Cert]) -> lucid_tls::server::CertifiedKey {
    let key = RustCryptoProvider.load_signing_key(&chain[0].key).unwrap();
    lucid_tls::server::CertifiedKey {
        chain: chain.iter().map(|c| c.der.clone()).collect(),
        raw_public_key: None,
        key: Arc::from(key),
        server_names: Vec::new(),
    }
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

#[test]
fn test_server_certificate_verify_with_the_wrong_key() {
    // A valid chain, but the server signs CertificateVerify with another key of the same
    // type: RFC 9846 §4.5.2, "If the verification fails, the receiver MUST terminate the
    // handshake with a "decrypt_error" alert."
    let (root, intermediate, leaf) = server_pki(pki::server_params(&[HOST]));
    let impostor = pki::issue(pki::server_params(&[HOST]), Alg::P256, &intermediate);
    let mut server = server_config(&[&leaf, &intermediate]);
    server.certificates[0].key = certified_key(&[&impostor]).key;
    handshake(
        client_config(WebPkiServerVerifier::new(validator(&root))),
        server,
        HOST,
        NOW,
    )
    .assert_alert("client", AlertDescription::DecryptError);
}

// ---- The server validates the client (mutual TLS) ----

/// A client presenting `chain` (end entity first) and a server requiring a certificate
/// from `client_root` (its own certificate is issued under `server_root`).
fn mutual(client_root: &Cert, chain: &[&Cert], required: bool, now: Time) -> Outcome {
    let (client, server) = mutual_configs(validator(client_root), chain, required);
    handshake(client, server, HOST, now)
}

/// The configs of [`mutual`]: a client presenting `chain`, and a server with its own chain
/// that checks the client's with `validator`.
fn mutual_configs(
    validator: CertificateValidator,
    chain: &[&Cert],
    required: bool,
) -> (ClientConfig, ServerConfig) {
    let (server_root, server_intermediate, server_leaf) = server_pki(pki::server_params(&[HOST]));
    let mut client = client_config(WebPkiServerVerifier::new(self::validator(&server_root)));
    if !chain.is_empty() {
        let key = RustCryptoProvider.load_signing_key(&chain[0].key).unwrap();
        client.client_auth = vec![lucid_tls::CertifiedKey::new(
            chain.iter().map(|c| c.der.clone()).collect(),
            Arc::from(key),
        )];
    }
    let mut server = server_config(&[&server_leaf, &server_intermediate]);
    let verifier = Arc::new(WebPkiClientVerifier::new(validator));
    server.client_auth = if required {
        ClientAuth::Required(verifier)
    } else {
        ClientAuth::Optional(verifier)
    };
    (client, server)
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
    assert_eq!(client_certificate_seen(&outcome), leaf.der);
}

/// The client's end-entity certificate as the server saw it, once the handshake completed.
#[track_caller]
fn client_certificate_seen(outcome: &Outcome) -> Vec<u8> {
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
    negotiated.unwrap().peer_certificates[0].clone()
}

#[test]
fn test_optional_client_certificate_may_be_empty() {
    let (root, _, _) = client_pki(pki::client_params("alice"));
    // RFC 9846 §4.5.1.3: the server "MAY ... abort the handshake with a
    // "certificate_required" alert", or go on without client authentication (the refusal
    // is in `client_flight`).
    assert!(mutual(&root, &[], false, NOW).completed());
}

// ---- signature_algorithms_cert and certificate_authorities ----

/// Two chains for the same name: the first signed with RSA PKCS#1 (an RSA root), the second
/// with ECDSA (a P-256 root). Returns (rsa_root, rsa_leaf, ecdsa_root, ecdsa_leaf).
fn two_chains() -> (Cert, Cert, Cert, Cert) {
    let rsa_root = pki::self_signed(pki::ca_params("RSA Root"), Alg::RsaSha256);
    let rsa_leaf = pki::issue(pki::server_params(&[HOST]), Alg::P256, &rsa_root);
    let ecdsa_root = pki::self_signed(pki::ca_params("ECDSA Root"), Alg::P256);
    let ecdsa_leaf = pki::issue(pki::server_params(&[HOST]), Alg::P256, &ecdsa_root);
    (rsa_root, rsa_leaf, ecdsa_root, ecdsa_leaf)
}

/// A client trusting both roots, accepting certificates signed with `schemes` only.
fn narrow_client(roots: [&Cert; 2], schemes: &[SignatureScheme]) -> ClientConfig {
    let anchors = TrustAnchors::from_der_certificates(roots.map(|r| &r.der)).unwrap();
    let validator = CertificateValidator::new(Arc::new(RustCryptoProvider), anchors)
        .with_signature_schemes(schemes);
    WebPkiServerVerifier::new(validator).into_client_config()
}

fn server_certificate_sent(outcome: &Outcome) -> Vec<u8> {
    outcome
        .sent_messages
        .iter()
        .find_map(|m| match m {
            HandshakeMessage::Certificate(c) => Some(c.certificate_list[0].cert_data.clone()),
            _ => None,
        })
        .unwrap()
}

#[test]
fn test_server_picks_the_chain_the_client_can_validate() {
    let (rsa_root, rsa_leaf, ecdsa_root, ecdsa_leaf) = two_chains();
    let mut server = server_config(&[&rsa_leaf]);
    server.certificates.push(certified_key(&[&ecdsa_leaf]));
    // A client that validates only ECDSA-signed certificates says so in
    // signature_algorithms_cert; the server skips its first (RSA-signed) chain.
    let client = narrow_client(
        [&rsa_root, &ecdsa_root],
        &[SignatureScheme::EcdsaSecp256r1Sha256],
    );
    assert_eq!(
        client.signature_schemes_cert,
        Some(vec![SignatureScheme::EcdsaSecp256r1Sha256])
    );
    let outcome = handshake(client, server.clone(), HOST, NOW);
    assert!(
        outcome.completed(),
        "{:?} / {:?}",
        outcome.client,
        outcome.server
    );
    assert_eq!(server_certificate_sent(&outcome), ecdsa_leaf.der);
    // A client taking RSA PKCS#1 gets the first chain.
    let client = narrow_client([&rsa_root, &ecdsa_root], &[SignatureScheme::RsaPkcs1Sha256]);
    let outcome = handshake(client, server.clone(), HOST, NOW);
    assert!(outcome.completed());
    assert_eq!(server_certificate_sent(&outcome), rsa_leaf.der);
    // With no chain that fits, the server falls back to its first chain (RFC 9846
    // §4.5.1.2), and the client refuses it with the default alert, unsupported_certificate.
    let client = narrow_client([&rsa_root, &ecdsa_root], &[SignatureScheme::Ed25519]);
    let outcome = handshake(client, server, HOST, NOW);
    assert_eq!(server_certificate_sent(&outcome), rsa_leaf.der);
    outcome.assert_alert("client", AlertDescription::UnsupportedCertificate);
}

#[test]
fn test_client_advertises_what_its_verifier_accepts() {
    let (rsa_root, rsa_leaf, _, _) = two_chains();
    // By default the verifier accepts rsa_pkcs1_* in certificates, which signature_algorithms
    // (CertificateVerify) must not offer: signature_algorithms_cert says so.
    let client = WebPkiServerVerifier::new(validator(&rsa_root)).into_client_config();
    let outcome = handshake(client, server_config(&[&rsa_leaf]), HOST, NOW);
    assert!(outcome.completed());
    let Some(HandshakeMessage::ClientHello(hello)) = outcome.sent_messages.first() else {
        panic!("no ClientHello");
    };
    let Some(Extension::SignatureAlgorithmsCert(list)) =
        hello.extension(ExtensionType::SignatureAlgorithmsCert)
    else {
        panic!("no signature_algorithms_cert");
    };
    assert_eq!(
        list.supported_signature_algorithms,
        validator(&rsa_root).signature_schemes()
    );
    assert!(
        list.supported_signature_algorithms
            .contains(&SignatureScheme::RsaPkcs1Sha256)
    );
}

#[test]
fn test_certificate_request_names_the_trusted_cas() {
    let (root, intermediate, leaf) = client_pki(pki::client_params("alice"));
    let outcome = mutual(&root, &[&leaf, &intermediate], true, NOW);
    assert!(outcome.completed());
    let request = outcome
        .sent_messages
        .iter()
        .find_map(|m| match m {
            HandshakeMessage::CertificateRequest(r) => Some(r.clone()),
            _ => None,
        })
        .unwrap();
    let Some(Extension::CertificateAuthorities(cas)) =
        request.extension(ExtensionType::CertificateAuthorities)
    else {
        panic!("no certificate_authorities");
    };
    let anchors = TrustAnchors::from_der_certificates([&root.der]).unwrap();
    let names: Vec<Vec<u8>> = anchors.subject_names().collect();
    assert_eq!(cas.authorities.len(), 1);
    assert_eq!(cas.authorities[0].0, names[0]);
    assert!(matches!(
        request.extension(ExtensionType::SignatureAlgorithmsCert),
        Some(Extension::SignatureAlgorithmsCert(_))
    ));
}

#[test]
fn test_resumed_connections_report_the_original_chains() {
    // A resumed handshake has no Certificate messages (RFC 9846 §2.2); each side reports
    // the chain the original connection validated, carried in the ticket (the client's
    // `Ticket::server_certificates`, the server's sealed ticket state).
    let (root, intermediate, leaf) = client_pki(pki::client_params("alice"));
    let (client, mut server) = mutual_configs(validator(&root), &[&leaf, &intermediate], false);
    server.tickets = Some(lucid_tls::server::TicketConfig {
        issuer: common::setup::sealer(),
        count: 1,
        lifetime_secs: 3600,
        nonce_len: 1,
    });
    let server_chain = server.certificates[0].chain.clone();
    let (client, server) = (Arc::new(client), Arc::new(server));
    let connect = |ticket: Option<client::Ticket>| {
        let rng = Box::new(SeededRng::new(3));
        let c = match ticket {
            Some(t) => ClientConnection::resume(client.clone(), Some(HOST), t, rng, NOW),
            None => ClientConnection::new(client.clone(), Some(HOST), rng, NOW),
        };
        let s = ServerConnection::new(server.clone(), Box::new(SeededRng::new(4)), NOW);
        let mut pair = lucid_tls::pair::Pair::new(c.unwrap(), s.unwrap(), NOW);
        let flights = pair.run(8);
        (pair, flights)
    };
    let (_, flights) = connect(None);
    let ticket = flights
        .into_iter()
        .flat_map(|flight| flight.events)
        .find_map(|(_, e)| match e {
            Event::NewSessionTicket(t) => Some(t),
            _ => None,
        })
        .expect("a ticket");
    assert_eq!(ticket.server_certificates, server_chain);
    let (resumed, _) = connect(Some(ticket));
    let on_client = resumed.client.negotiated().unwrap();
    assert_eq!(
        on_client.psk,
        Some(lucid_tls::key_schedule::PskKind::Resumption)
    );
    assert_eq!(on_client.peer_certificates, server_chain);
    let on_server = resumed.server.negotiated().unwrap();
    assert_eq!(
        on_server.peer_certificates,
        [leaf.der.clone(), intermediate.der.clone()]
    );
}
