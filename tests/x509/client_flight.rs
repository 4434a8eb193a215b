//! The server's checks of the client's second flight (Certificate, CertificateVerify,
//! Finished) in mutual TLS. Each test steps the handshake with [`lucid_tls::pair::Pair`],
//! optionally rewrites a message of that flight (opened with the client's handshake key from
//! its trace, sealed again with it), and asserts what the server did: the error it reports,
//! the fatal alert it put on the wire (opened with its own write key), that the client
//! received that alert, and that the error is sticky.

use std::sync::Arc;

use lucid_tls::Error;
use lucid_tls::client::{ClientConfig, ClientConnection};
use lucid_tls::pair::{Pair, Side};
use lucid_tls::server::{ServerConfig, ServerConnection};
use lucid_tls::trace::{Epoch, TraceEvent};
use lucid_tls::wire::alert::{Alert, AlertDescription};
use lucid_tls::wire::algorithms::SignatureScheme;
use lucid_tls::wire::certificate_verify::CertificateVerify;
use lucid_tls::wire::handshake::HandshakeMessage;
use lucid_tls::x509::Revocation;
use rcgen::date_time_ymd;

use super::common::setup::SeededRng;
use super::flights::{alerts_on_the_wire, open_flight, seal_flight, write_key};
use super::pki::{self, Alg, Cert, NOW};
use super::{HOST, certified_key, client_pki, mutual_configs, validator};

/// A handshake stepped flight by flight, up to the server's answer to the client's second
/// flight and whatever followed it.
struct Stepped {
    pair: Pair,
    /// Both sides' trace events, in order.
    trace: Vec<(Side, TraceEvent)>,
    /// What the server's `feed` returned on the client's second flight.
    server_result: Result<(), Error>,
}

/// Runs `client` against `server`; `alter` rewrites the messages of the client's second
/// flight before they reach the server.
fn stepped(
    mut client: ClientConfig,
    mut server: ServerConfig,
    alter: impl FnOnce(&mut Vec<HandshakeMessage>),
) -> Stepped {
    client.trace = true;
    server.trace = true;
    let c = ClientConnection::new(
        Arc::new(client),
        Some(HOST),
        Box::new(SeededRng::new(1)),
        NOW,
    )
    .unwrap();
    let s = ServerConnection::new(Arc::new(server), Box::new(SeededRng::new(2)), NOW).unwrap();
    let mut pair = Pair::new(c, s, NOW);
    let mut trace = Vec::new();
    // The ClientHello, then the server's flight (ServerHello .. Finished).
    for _ in 0..2 {
        trace.extend(pair.step().expect("a flight").trace);
    }
    let open_key = write_key(&trace, Side::Client, Epoch::Handshake);
    let seal_key = write_key(&trace, Side::Client, Epoch::Handshake);
    let flight = pair.step_tampered(Side::Client, |bytes| {
        let mut messages = open_flight(open_key, bytes);
        alter(&mut messages);
        *bytes = seal_flight(seal_key, &messages);
    });
    let server_result = flight.result;
    trace.extend(flight.trace);
    for flight in pair.run(8) {
        trace.extend(flight.trace);
    }
    Stepped {
        pair,
        trace,
        server_result,
    }
}

impl Stepped {
    /// Asserts that the server refused the client's flight with `alert`.
    #[track_caller]
    fn assert_server_sent(mut self, alert: AlertDescription) {
        let error = self
            .server_result
            .expect_err("the server should refuse the client's flight");
        assert_eq!(error.alert(), Some(alert), "{error}");
        // The one alert the server sent, read off the wire with its own write key.
        assert_eq!(
            alerts_on_the_wire(&self.trace, Side::Server),
            [Alert::fatal(alert)]
        );
        assert_eq!(self.pair.client.error(), Some(Error::AlertReceived(alert)));
        // Sticky: the same error for anything that follows, and nothing more is sent.
        assert_eq!(self.pair.server.error(), Some(error));
        let more = self
            .pair
            .server
            .feed(NOW, &[0x17, 0x03, 0x03, 0x00, 0x01, 0x00]);
        assert_eq!(more, Err(error));
        assert!(!self.pair.server.has_output());
    }
}

/// A client presenting an Ed25519 leaf under `client_pki` to a server requiring one;
/// `alter` rewrites its second flight.
fn alice(alter: impl FnOnce(&mut Vec<HandshakeMessage>)) -> Stepped {
    let (root, intermediate, leaf) = client_pki(pki::client_params("alice"));
    let (client, server) = mutual_configs(validator(&root), &[&leaf, &intermediate], true);
    stepped(client, server, alter)
}

/// A client presenting `chain` to a server that requires a certificate under `root`.
fn presenting(root: &Cert, chain: &[&Cert]) -> Stepped {
    let (client, server) = mutual_configs(validator(root), chain, true);
    stepped(client, server, |_| {})
}

/// The message of `messages` that `pick` selects, mutably.
fn message<T>(
    messages: &mut [HandshakeMessage],
    pick: impl FnMut(&mut HandshakeMessage) -> Option<&mut T>,
) -> &mut T {
    messages.iter_mut().find_map(pick).expect("no such message")
}

/// The client's CertificateVerify among `messages`.
fn certificate_verify(messages: &mut [HandshakeMessage]) -> &mut CertificateVerify {
    message(messages, |m| match m {
        HandshakeMessage::CertificateVerify(verify) => Some(verify),
        _ => None,
    })
}

/// Sets the scheme of the client's CertificateVerify, leaving its signature as it is.
fn with_scheme(scheme: SignatureScheme) -> impl FnOnce(&mut Vec<HandshakeMessage>) {
    move |messages| certificate_verify(messages).algorithm = scheme
}

#[test]
fn test_resealed_client_flight_completes() {
    // The open-and-seal path alone changes nothing: the failures below come from the
    // changes they make.
    let mut stepped = alice(|_| {});
    assert_eq!(stepped.server_result, Ok(()));
    assert!(stepped.pair.server.negotiated().is_some());
    assert!(stepped.pair.client.negotiated().is_some());
    assert!(alerts_on_the_wire(&stepped.trace, Side::Server).is_empty());
    assert!(!stepped.pair.server.has_output() && stepped.pair.server.error().is_none());
    stepped.pair.client.write(b"ping").unwrap();
    assert!(stepped.pair.step().unwrap().result.is_ok());
}

#[test]
fn test_client_certificate_verify_with_a_scheme_not_offered() {
    // RFC 9846 §4.5.2: "If sent by a client, the signature algorithm used in the signature
    // MUST be one of those present in the supported_signature_algorithms field of the
    // "signature_algorithms" extension in the CertificateRequest message." The server's
    // CertificateRequest lists ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256/384 and ed25519.
    for scheme in [
        SignatureScheme::EcdsaSecp384r1Sha384,
        SignatureScheme::RsaPssPssSha256,
        SignatureScheme::Unknown(0x0fff),
    ] {
        alice(with_scheme(scheme)).assert_server_sent(AlertDescription::IllegalParameter);
    }
}

#[test]
fn test_client_certificate_verify_with_rsa_pkcs1_even_when_offered() {
    // RFC 9846 §4.3.3: the RSASSA-PKCS1-v1_5 algorithms "refer solely to signatures which
    // appear in certificates ... and are not defined for use in signed TLS handshake
    // messages"; §4.5.2: "The SHA-1 algorithm MUST NOT be used in any signatures of
    // CertificateVerify messages." A server that lists them in its CertificateRequest still
    // refuses them, for an RSA client key too.
    let (root, intermediate, _) = client_pki(pki::client_params("alice"));
    let leaf = pki::issue(
        pki::client_params("rsa alice"),
        Alg::RsaSha256,
        &intermediate,
    );
    for scheme in [
        SignatureScheme::RsaPkcs1Sha256,
        SignatureScheme::RsaPkcs1Sha512,
        SignatureScheme::RsaPkcs1Sha1,
    ] {
        let (client, mut server) = mutual_configs(validator(&root), &[&leaf, &intermediate], true);
        server.client_auth_schemes.insert(0, scheme);
        stepped(client, server, with_scheme(scheme))
            .assert_server_sent(AlertDescription::IllegalParameter);
    }
}

#[test]
fn test_client_certificate_verify_scheme_not_fitting_the_key() {
    // RFC 9846 §4.5.2: "the signature algorithm MUST be compatible with the key in the
    // sender's end-entity certificate". ecdsa_secp256r1_sha256 is offered, but alice's key
    // is Ed25519.
    alice(with_scheme(SignatureScheme::EcdsaSecp256r1Sha256))
        .assert_server_sent(AlertDescription::IllegalParameter);
}

#[test]
fn test_client_certificate_verify_with_a_bad_signature() {
    // RFC 9846 §4.5.2: "If the verification fails, the receiver MUST terminate the
    // handshake with a "decrypt_error" alert."
    alice(|messages| certificate_verify(messages).signature[10] ^= 0x01)
        .assert_server_sent(AlertDescription::DecryptError);
}

#[test]
fn test_client_certificate_verify_with_the_wrong_key() {
    // A valid chain, and a CertificateVerify made with another Ed25519 key.
    let (root, intermediate, leaf) = client_pki(pki::client_params("alice"));
    let impostor = pki::issue(pki::client_params("mallory"), Alg::Ed25519, &intermediate);
    let (mut client, server) = mutual_configs(validator(&root), &[&leaf, &intermediate], true);
    if let Some(auth) = client.client_auth.first_mut() {
        auth.key = certified_key(&[&impostor]).key;
    }
    stepped(client, server, |_| {}).assert_server_sent(AlertDescription::DecryptError);
}

#[test]
fn test_client_finished_mismatch() {
    // RFC 9846 §4.5.3: "Recipients of Finished messages MUST verify that the contents are
    // correct and if incorrect MUST terminate the connection with a "decrypt_error" alert."
    alice(|messages| {
        let finished = message(messages, |m| match m {
            HandshakeMessage::Finished(f) => Some(f),
            _ => None,
        });
        finished.verify_data[0] ^= 0x80;
    })
    .assert_server_sent(AlertDescription::DecryptError);
}

#[test]
fn test_client_certificate_without_certificate_verify() {
    // RFC 9846 §4.5.2: "Clients MUST send this message whenever authenticating via a
    // certificate"; a Finished in WAIT_CV is out of order (RFC 9846 Appendix A.2).
    alice(|messages| messages.retain(|m| !matches!(m, HandshakeMessage::CertificateVerify(_))))
        .assert_server_sent(AlertDescription::UnexpectedMessage);
}

#[test]
fn test_empty_client_certificate_when_required() {
    // RFC 9846 §4.5.1.3: "If the client does not send any certificates (i.e., it sends an
    // empty Certificate message), the server MAY at its discretion either continue the
    // handshake without client authentication or abort the handshake with a
    // "certificate_required" alert." A client without a certificate, and alice's flight
    // emptied on the way.
    let (root, _, _) = client_pki(pki::client_params("alice"));
    presenting(&root, &[]).assert_server_sent(AlertDescription::CertificateRequired);
    alice(|messages| {
        messages.retain(|m| !matches!(m, HandshakeMessage::CertificateVerify(_)));
        let certificate = message(messages, |m| match m {
            HandshakeMessage::Certificate(c) => Some(c),
            _ => None,
        });
        certificate.certificate_list.clear();
    })
    .assert_server_sent(AlertDescription::CertificateRequired);
}

#[test]
fn test_client_certificate_expired_and_not_yet_valid() {
    // RFC 9846 §6.2: certificate_expired, "A certificate has expired or is not currently
    // valid."
    let (root, intermediate, _) = client_pki(pki::client_params("alice"));
    let mut params = pki::client_params("old alice");
    params.not_after = date_time_ymd(2026, 1, 1);
    let expired = pki::issue(params, Alg::P256, &intermediate);
    presenting(&root, &[&expired, &intermediate])
        .assert_server_sent(AlertDescription::CertificateExpired);
    let mut params = pki::client_params("future alice");
    params.not_before = date_time_ymd(2028, 1, 1);
    let future = pki::issue(params, Alg::P256, &intermediate);
    presenting(&root, &[&future, &intermediate])
        .assert_server_sent(AlertDescription::CertificateExpired);
}

#[test]
fn test_client_certificate_from_an_unknown_ca() {
    // RFC 9846 §6.2: unknown_ca, "A valid certificate chain or partial chain was received,
    // but the certificate was not accepted because the CA certificate could not be located
    // or could not be matched with a known trust anchor." The intermediate left out, and a
    // stranger's chain.
    let (root, intermediate, _) = client_pki(pki::client_params("alice"));
    let good = pki::issue(pki::client_params("alice"), Alg::P256, &intermediate);
    presenting(&root, &[&good]).assert_server_sent(AlertDescription::UnknownCa);
    let stranger_root = pki::self_signed(pki::ca_params("Stranger"), Alg::P256);
    let stranger = pki::issue(pki::client_params("mallory"), Alg::P256, &stranger_root);
    presenting(&root, &[&stranger]).assert_server_sent(AlertDescription::UnknownCa);
}

#[test]
fn test_client_certificate_with_a_bad_signature_on_a_link() {
    let (root, intermediate, leaf) = client_pki(pki::client_params("alice"));
    let bad = Cert {
        der: pki::corrupt_signature(&intermediate.der),
        ..intermediate
    };
    presenting(&root, &[&leaf, &bad]).assert_server_sent(AlertDescription::BadCertificate);
}

#[test]
fn test_server_auth_certificate_used_as_a_client_certificate() {
    // A certificate whose extendedKeyUsage allows serverAuth only cannot authenticate a
    // client (RFC 5280 §4.2.1.12): unsupported_certificate.
    let (root, intermediate, _) = client_pki(pki::client_params("alice"));
    let server_only = pki::issue(
        pki::server_params(&["alice.example"]),
        Alg::P256,
        &intermediate,
    );
    presenting(&root, &[&server_only, &intermediate])
        .assert_server_sent(AlertDescription::UnsupportedCertificate);
}

#[test]
fn test_revoked_client_certificate() {
    let (root, intermediate, _) = client_pki(pki::client_params("alice"));
    let mut params = pki::client_params("revoked alice");
    params.serial_number = Some(7u64.into());
    let leaf = pki::issue(params, Alg::P256, &intermediate);
    let crls = [
        pki::crl(&intermediate, &[7], (2028, 1, 1)),
        pki::crl(&root, &[], (2028, 1, 1)),
    ];
    let validator = validator(&root).with_revocation(Revocation::from_der_crls(crls).unwrap());
    let (client, server) = mutual_configs(validator, &[&leaf, &intermediate], true);
    stepped(client, server, |_| {}).assert_server_sent(AlertDescription::CertificateRevoked);
}
