//! Deferred decisions (`lucid_tls::connection::deferred`) in real handshakes: each of the
//! four points (client verifying the server chain, server verifying the client chain,
//! server signing, client signing) pauses, holds its output, buffers the bytes fed
//! meanwhile, and goes on when the test answers with the verifier or key it wraps.

use std::sync::Arc;

use lucid_tls::Error;
use lucid_tls::client::ClientConnection;
use lucid_tls::connection::{Event, RequestId, RequestKind, SignRequest, VerifyRequest};
use lucid_tls::crypto::{CryptoError, SigningKey};
use lucid_tls::server::{ClientAuth, ServerConnection};
use lucid_tls::wire::alert::AlertDescription;

use super::common::later::Later;
use super::common::setup::SeededRng;
use super::pki::{self, Cert, NOW};
use super::*;

/// Which of the four points defer, and how the test answers.
#[derive(Clone, Copy)]
struct Plan {
    client_verifies_later: bool,
    server_verifies_later: bool,
    server_signs_later: bool,
    client_signs_later: bool,
    /// Reject every chain with this alert instead of asking the wrapped verifier.
    reject: Option<AlertDescription>,
}

impl Plan {
    const NONE: Self = Self {
        client_verifies_later: false,
        server_verifies_later: false,
        server_signs_later: false,
        client_signs_later: false,
        reject: None,
    };

    /// Only the point `(client?, kind)` defers.
    fn only((client, kind): (bool, RequestKind)) -> Self {
        let verify = kind == RequestKind::Verification;
        Self {
            client_verifies_later: client && verify,
            server_verifies_later: !client && verify,
            server_signs_later: !client && !verify,
            client_signs_later: client && !verify,
            reject: None,
        }
    }
}

/// The test's side of a deferred decision: what it answers with.
struct Answers {
    server_verifier: Arc<WebPkiServerVerifier>,
    client_verifier: Arc<WebPkiClientVerifier>,
    server_key: Arc<dyn SigningKey>,
    client_key: Arc<dyn SigningKey>,
    reject: Option<AlertDescription>,
}

impl Answers {
    fn verdict(&self, request: &VerifyRequest, client: bool) -> Result<(), Error> {
        if let Some(alert) = self.reject {
            return Err(Error::PeerMisbehaved {
                alert,
                reason: "rejected by the test",
            });
        }
        let im: Vec<&[u8]> = request.intermediates.iter().map(Vec::as_slice).collect();
        if client {
            let name = request.server_name.as_deref();
            self.server_verifier
                .validate(&request.end_entity, &im, name, request.now)
                .map(|_| ())
        } else {
            self.client_verifier
                .validate(&request.end_entity, &im, request.now)
                .map(|_| ())
        }
    }

    fn signature(&self, request: &SignRequest, client: bool) -> Result<Vec<u8>, Error> {
        let key = if client {
            &self.client_key
        } else {
            &self.server_key
        };
        let mut rng = SeededRng::new(7);
        Ok(key.sign(request.scheme, &request.message, &mut rng)?)
    }
}

/// What a paused handshake did.
struct Paused {
    outcome: Outcome,
    /// (client?, kind) of every pause, in order.
    pauses: Vec<(bool, RequestKind)>,
    /// Bytes fed to a side while it was paused.
    fed_while_paused: usize,
    /// Everything the client sent, and everything the server sent.
    sent: (Vec<u8>, Vec<u8>),
}

/// A side's pending request, taken from its new events (which are kept in `all`).
fn take_request(conn_events: Vec<Event>, all: &mut Vec<Event>) -> Option<Event> {
    let request = conn_events
        .iter()
        .find(|e| matches!(e, Event::VerifyRequest(_) | Event::SignRequest(_)))
        .cloned();
    all.extend(conn_events);
    request
}

/// Answers `request` on `conn` (a macro-free helper over the two roles' connections).
fn answer<S: lucid_tls::connection::Role>(
    conn: &mut lucid_tls::connection::Connection<S>,
    request: &Event,
    answers: &Answers,
    client: bool,
) -> Result<(), Error> {
    match request {
        Event::VerifyRequest(r) => conn.answer_verification(r.id, answers.verdict(r, client)),
        Event::SignRequest(r) => conn.answer_signature(r.id, answers.signature(r, client)),
        _ => unreachable!(),
    }
}

/// Mutual TLS between a client PKI and a server PKI, with the points `plan` names
/// deferred. A paused side is fed whatever the other side sends (0.5-RTT data from the
/// server, the client's first application data) before the test answers it; it must send
/// nothing meanwhile.
fn paused_handshake(plan: Plan) -> Paused {
    paused_handshake_with(plan, &Pkis::new())
}

/// The server's and the client's PKI: (root, intermediate, leaf) each.
struct Pkis {
    server: (Cert, Cert, Cert),
    client: (Cert, Cert, Cert),
}

impl Pkis {
    fn new() -> Self {
        Self {
            server: server_pki(pki::server_params(&[HOST])),
            client: client_pki(pki::client_params("alice")),
        }
    }
}

fn paused_handshake_with(plan: Plan, pkis: &Pkis) -> Paused {
    let (server_root, server_intermediate, server_leaf) = &pkis.server;
    let (client_root, client_intermediate, client_leaf) = &pkis.client;
    let server_verifier = Arc::new(WebPkiServerVerifier::new(validator(server_root)));
    let client_verifier = Arc::new(WebPkiClientVerifier::new(validator(client_root)));
    let client_certified = certified_key(&[client_leaf, client_intermediate]);
    let mut server_certified = certified_key(&[server_leaf, server_intermediate]);
    let answers = Answers {
        server_verifier: server_verifier.clone(),
        client_verifier: client_verifier.clone(),
        server_key: server_certified.key.clone(),
        client_key: client_certified.key.clone(),
        reject: plan.reject,
    };

    let mut client = ClientConfig::new(Arc::new(RustCryptoProvider), server_verifier.clone());
    if plan.client_verifies_later {
        client.verifier = Arc::new(Later(server_verifier));
    }
    let mut client_key = client_certified.key.clone();
    if plan.client_signs_later {
        client_key = Arc::new(Later(client_key));
    }
    client.client_auth = vec![lucid_tls::CertifiedKey::new(
        client_certified.chain.clone(),
        client_key,
    )];
    if plan.server_signs_later {
        server_certified.key = Arc::new(Later(server_certified.key.clone()));
    }
    let mut server = ServerConfig::new(Arc::new(RustCryptoProvider), vec![server_certified]);
    server.client_auth = if plan.server_verifies_later {
        ClientAuth::Required(Arc::new(Later(client_verifier)))
    } else {
        ClientAuth::Required(client_verifier)
    };

    let mut c = ClientConnection::new(
        Arc::new(client),
        Some(HOST),
        Box::new(SeededRng::new(1)),
        NOW,
    )
    .unwrap();
    let mut s = ServerConnection::new(Arc::new(server), Box::new(SeededRng::new(2)), NOW).unwrap();
    let (mut client_result, mut server_result) = (Ok(()), Ok(()));
    let (mut client_events, mut server_events) = (Vec::new(), Vec::new());
    let (mut client_waiting, mut server_waiting): (Option<Event>, Option<Event>) = (None, None);
    let (mut pauses, mut fed_while_paused) = (Vec::new(), 0);
    let (mut server_wrote, mut client_wrote) = (false, false);
    let mut sent = (Vec::new(), Vec::new());
    for _ in 0..32 {
        // Each side writes once the other has taken in its flight, so that a side paused
        // on that flight is fed the data while paused.
        if !server_wrote && s.state_name() == "WAIT_FLIGHT2" && c.state_name() != "WAIT_SH" {
            s.write(b"half-rtt").unwrap();
            server_wrote = true;
        }
        if !client_wrote && c.state_name() == "CONNECTED" && s.state_name() != "WAIT_FLIGHT2" {
            c.write(b"ping").unwrap();
            client_wrote = true;
        }
        let to_server = c.take_output();
        let to_client = s.take_output();
        sent.0.extend_from_slice(&to_server);
        sent.1.extend_from_slice(&to_client);
        let quiet = to_server.is_empty() && to_client.is_empty();
        if quiet && client_waiting.is_none() && server_waiting.is_none() {
            break;
        }
        if !to_server.is_empty() && server_result.is_ok() {
            let paused = s.pending_request().is_some();
            server_result = s.feed(NOW, &to_server).map(|_| ());
            if paused {
                fed_while_paused += to_server.len();
                assert!(!s.has_output(), "a paused server sends nothing");
            }
        }
        if !to_client.is_empty() && client_result.is_ok() {
            let paused = c.pending_request().is_some();
            client_result = c.feed(NOW, &to_client).map(|_| ());
            if paused {
                fed_while_paused += to_client.len();
                assert!(!c.has_output(), "a paused client sends nothing");
            }
        }
        // A side that paused in the last round has been fed this round: answer it now.
        if let Some(request) = server_waiting.take() {
            server_result = answer(&mut s, &request, &answers, false);
        }
        if let Some(request) = client_waiting.take() {
            client_result = answer(&mut c, &request, &answers, true);
        }
        if let Some(request) = take_request(poll_all(&mut s), &mut server_events) {
            pauses.push((false, kind(&request)));
            server_waiting = Some(request);
        }
        if let Some(request) = take_request(poll_all(&mut c), &mut client_events) {
            pauses.push((true, kind(&request)));
            client_waiting = Some(request);
        }
    }
    client_events.extend(poll_all(&mut c));
    server_events.extend(poll_all(&mut s));
    Paused {
        outcome: Outcome {
            client_peer: c.peer_identity(),
            server_peer: s.peer_identity(),
            client: client_result,
            server: server_result,
            client_events,
            server_events,
            sent_messages: Vec::new(),
        },
        pauses,
        fed_while_paused,
        sent,
    }
}

fn poll_all<S: lucid_tls::connection::Role>(
    conn: &mut lucid_tls::connection::Connection<S>,
) -> Vec<Event> {
    std::iter::from_fn(|| conn.poll_event()).collect()
}

fn kind(event: &Event) -> RequestKind {
    match event {
        Event::SignRequest(_) => RequestKind::Signature,
        _ => RequestKind::Verification,
    }
}

fn data(events: &[Event]) -> Vec<u8> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::ApplicationData(d) => Some(d.clone()),
            _ => None,
        })
        .flatten()
        .collect()
}

#[test]
fn test_each_point_deferred_and_answered_later() {
    let points = [
        (true, RequestKind::Verification),
        (false, RequestKind::Verification),
        (false, RequestKind::Signature),
        (true, RequestKind::Signature),
    ];
    for point in points {
        let paused = paused_handshake(Plan::only(point));
        let outcome = &paused.outcome;
        assert!(
            outcome.completed(),
            "{point:?}: {:?} / {:?}",
            outcome.client,
            outcome.server
        );
        assert_eq!(paused.pauses, vec![point]);
        // Data the peer sent during the pause came out after it, intact. (A server
        // paused on the ClientHello has no peer data to be fed: see the test below.)
        if point != (false, RequestKind::Signature) {
            assert!(paused.fed_while_paused > 0, "{point:?}");
        }
        assert_eq!(data(&outcome.client_events), b"half-rtt");
        assert_eq!(data(&outcome.server_events), b"ping");
        let server_done = outcome.server_events.iter().find_map(|e| match e {
            Event::HandshakeComplete(n) => Some(n.clone()),
            _ => None,
        });
        assert_eq!(server_done.unwrap().peer_certificates.len(), 2);
    }
}

#[test]
fn test_deferring_changes_no_byte_on_the_wire() {
    // Same seeds, same keys (ECDSA per RFC 6979 and Ed25519 draw nothing): the pauses only
    // delay the flights, which go out in the same records.
    let pkis = Pkis::new();
    let immediate = paused_handshake_with(Plan::NONE, &pkis);
    assert!(immediate.pauses.is_empty());
    let all = paused_handshake_with(
        Plan {
            client_verifies_later: true,
            server_verifies_later: true,
            server_signs_later: true,
            client_signs_later: true,
            reject: None,
        },
        &pkis,
    );
    assert_eq!(all.pauses.len(), 4);
    assert_eq!(hex::encode(&all.sent.0), hex::encode(&immediate.sent.0));
    assert_eq!(hex::encode(&all.sent.1), hex::encode(&immediate.sent.1));
}

#[test]
fn test_all_four_points_deferred_in_one_handshake() {
    let paused = paused_handshake(Plan {
        client_verifies_later: true,
        server_verifies_later: true,
        server_signs_later: true,
        client_signs_later: true,
        reject: None,
    });
    let outcome = &paused.outcome;
    assert!(
        outcome.completed(),
        "{:?} / {:?}",
        outcome.client,
        outcome.server
    );
    assert_eq!(
        paused.pauses,
        vec![
            (false, RequestKind::Signature),
            (true, RequestKind::Verification),
            (true, RequestKind::Signature),
            (false, RequestKind::Verification),
        ]
    );
}

#[test]
fn test_deferred_rejection_sends_the_named_alert() {
    let client_rejects = paused_handshake(Plan {
        reject: Some(AlertDescription::UnknownCa),
        ..Plan::only((true, RequestKind::Verification))
    });
    client_rejects
        .outcome
        .assert_alert("client", AlertDescription::UnknownCa);
    let server_rejects = paused_handshake(Plan {
        reject: Some(AlertDescription::CertificateRevoked),
        ..Plan::only((false, RequestKind::Verification))
    });
    server_rejects
        .outcome
        .assert_alert("server", AlertDescription::CertificateRevoked);
}

/// A client, and a tracing server whose key defers and that has just read the client's
/// ClientHello (so is paused for its signature), and the key the deferral wraps.
fn server_with_a_deferred_key() -> (ClientConnection, ServerConnection, Arc<dyn SigningKey>) {
    let (root, intermediate, leaf) = server_pki(pki::server_params(&[HOST]));
    let mut certified = certified_key(&[&leaf, &intermediate]);
    let inner = certified.key.clone();
    certified.key = Arc::new(Later(inner.clone()));
    let mut server = ServerConfig::new(Arc::new(RustCryptoProvider), vec![certified]);
    server.trace = true;
    let client = client_config(WebPkiServerVerifier::new(validator(&root)));
    let seeded = |seed| Box::new(SeededRng::new(seed));
    let mut c = ClientConnection::new(Arc::new(client), Some(HOST), seeded(1), NOW).unwrap();
    let mut s = ServerConnection::new(Arc::new(server), seeded(2), NOW).unwrap();
    s.feed(NOW, &c.take_output()).unwrap();
    (c, s, inner)
}

#[test]
fn test_server_paused_for_a_signature_buffers_what_it_is_fed() {
    let (mut c, mut s, inner) = server_with_a_deferred_key();
    s.feed(NOW, &c.take_output()).unwrap();
    let Some(Event::SignRequest(request)) = poll_all(&mut s).into_iter().next_back() else {
        panic!("no SignRequest");
    };
    assert_eq!(s.state_name(), "NEGOTIATED");
    assert_eq!(
        s.pending_request(),
        Some((request.id, RequestKind::Signature))
    );
    // RFC 9846 §4.5.2: the content to sign starts with 64 spaces and the server's context.
    assert_eq!(&request.message[..64], &[0x20; 64][..]);
    assert!(request.message[64..].starts_with(b"TLS 1.3, server CertificateVerify\0"));
    // ServerHello went out; EncryptedExtensions and Certificate wait for the signature.
    let hello = s.take_output();
    assert!(!s.has_output());
    // A dummy change_cipher_spec fed meanwhile is kept, not processed.
    let ccs = [0x14, 0x03, 0x03, 0x00, 0x01, 0x01];
    assert_eq!(s.feed(NOW, &ccs), Ok(ccs.len()));
    let dropped = |s: &mut ServerConnection| {
        std::iter::from_fn(|| s.poll_trace())
            .filter(|t| {
                matches!(
                    t,
                    TraceEvent::ChangeCipherSpec {
                        direction: Direction::Received
                    }
                )
            })
            .count()
    };
    assert_eq!(dropped(&mut s), 0);

    // Misuse changes nothing.
    let wrong = RequestId(request.id.0 + 1);
    assert!(matches!(
        s.answer_signature(wrong, Ok(vec![1])),
        Err(Error::Misuse(_))
    ));
    assert!(matches!(
        s.answer_verification(request.id, Ok(())),
        Err(Error::Misuse(_))
    ));
    assert_eq!(s.error(), None);

    let signature = inner
        .sign(request.scheme, &request.message, &mut SeededRng::new(3))
        .unwrap();
    s.answer_signature(request.id, Ok(signature)).unwrap();
    assert_eq!(dropped(&mut s), 1);
    assert_eq!(s.state_name(), "WAIT_FLIGHT2");
    c.feed(NOW, &hello).unwrap();
    c.feed(NOW, &s.take_output()).unwrap();
    s.feed(NOW, &c.take_output()).unwrap();
    assert_eq!(c.state_name(), "CONNECTED");
    assert_eq!(s.state_name(), "CONNECTED");
    // Answering again, with nothing pending, is misuse too.
    assert!(matches!(
        s.answer_signature(request.id, Ok(vec![])),
        Err(Error::Misuse(_))
    ));
}

#[test]
fn test_a_signer_that_fails_ends_the_connection() {
    let (_, mut s, _) = server_with_a_deferred_key();
    let (id, _) = s.pending_request().unwrap();
    let failure = Error::Crypto(CryptoError::InvalidKey);
    assert_eq!(s.answer_signature(id, Err(failure)), Err(failure));
    assert_eq!(s.error(), Some(failure));
    assert!(
        poll_all(&mut s)
            .iter()
            .any(|e| matches!(e, Event::AlertSent(AlertDescription::InternalError)))
    );
    // Sticky: later answers and feeds return the same error.
    assert_eq!(s.answer_signature(id, Ok(vec![])), Err(failure));
}

#[test]
fn test_a_paused_connection_keeps_at_most_one_record_of_input() {
    // While paused nothing is read out of the receive buffer, so it fills: `feed` then
    // takes fewer bytes than given, and the caller offers the rest again after answering.
    let (_, mut s, _) = server_with_a_deferred_key();
    let flood = vec![0x17; 64 * 1024];
    let taken = s.feed(NOW, &flood).unwrap();
    assert!(0 < taken && taken < flood.len(), "{taken}");
    assert_eq!(s.feed(NOW, &flood), Ok(0));
    assert!(s.pending_request().is_some());
    assert_eq!(s.error(), None);
}

#[test]
fn test_closing_while_paused_abandons_the_handshake() {
    let (_, mut s, _) = server_with_a_deferred_key();
    let (id, _) = s.pending_request().unwrap();
    let hello = s.take_output();
    s.close();
    // Only close_notify follows the ServerHello: EncryptedExtensions and Certificate,
    // held for the signature, are dropped. It is protected: 5 bytes of header, 2 of
    // alert, 1 of content type, 16 of tag.
    let after = s.take_output();
    assert_eq!(after.len(), 5 + 2 + 1 + 16, "{hello:02x?}");
    assert!(matches!(s.error(), Some(Error::Misuse(_))));
    assert!(s.answer_signature(id, Ok(vec![1])).is_err());
    assert!(s.take_output().is_empty());
}
