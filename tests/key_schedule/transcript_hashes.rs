//! Test support for `rfc8448_key_schedule`: a trace's handshake messages, the transcript
//! hashes its key schedule needs (computed as a client, a server and a stateless server
//! would, with §5's `message_hash` rule, and checked to agree), and which hash RFC 9846 §7.1
//! gives each Derive-Secret.

use lucid_tls::crypto::{CryptoProvider, HashOutput};
use lucid_tls::key_schedule::SecretLabel;
use lucid_tls::transcript::{PendingTranscript, Transcript};

use crate::SHA256;
use crate::common::vectors::Trace;

/// The handshake messages of a trace in the order they were sent, split out of its
/// plaintext "send handshake record" payloads.
pub fn handshake_messages(trace: &Trace) -> Vec<Vec<u8>> {
    let mut messages = Vec::new();
    for block in trace
        .blocks
        .iter()
        .filter(|b| b.heading == "send handshake record")
    {
        let mut rest = block.get("payload");
        while !rest.is_empty() {
            let len = usize::from(rest[1]) << 16 | usize::from(rest[2]) << 8 | usize::from(rest[3]);
            messages.push(rest[..4 + len].to_vec());
            rest = &rest[4 + len..];
        }
    }
    messages
}

const CLIENT_HELLO: u8 = 1;
const SERVER_HELLO: u8 = 2;
const NEW_SESSION_TICKET: u8 = 4;
const FINISHED: u8 = 20;

/// The transcript hashes a trace's key schedule needs, computed by `lucid_tls::transcript`.
pub struct Hashes {
    /// `Transcript-Hash(ClientHello)`, for the early secrets (only without HelloRetryRequest).
    pub client_hello: HashOutput,
    /// ClientHello...ServerHello.
    pub hello: HashOutput,
    /// ClientHello...CertificateVerify: what the server's Finished MACs.
    pub before_server_finished: HashOutput,
    /// ClientHello...server Finished.
    pub server_finished: HashOutput,
    /// ClientHello...EndOfEarlyData or client CertificateVerify: what the client's Finished MACs.
    pub before_client_finished: HashOutput,
    /// ClientHello...client Finished.
    pub client_finished: HashOutput,
    /// The Finished messages as sent: (server's, client's).
    pub finished_messages: (Vec<u8>, Vec<u8>),
    /// The ticket_nonce of each NewSessionTicket.
    pub ticket_nonces: Vec<Vec<u8>>,
}

/// Hashes `messages` as a client (buffering ClientHello1 until the suite is known), a server
/// and, after a HelloRetryRequest, a stateless server, asserting at every step that they agree.
pub fn transcript_hashes(provider: &dyn CryptoProvider, messages: &[Vec<u8>]) -> Hashes {
    let handshake: Vec<&Vec<u8>> = messages
        .iter()
        .filter(|m| m[0] != NEW_SESSION_TICKET)
        .collect();
    // The client buffers ClientHello1 until the ServerHello (or HelloRetryRequest) names the
    // suite; every trace uses TLS_AES_128_GCM_SHA256.
    let mut pending = PendingTranscript::new();
    pending.add(handshake[0]);
    let client_hello = pending.hash_with(provider, SHA256, &[]);
    let hello_retry = handshake[1][0] == SERVER_HELLO && handshake[2][0] == CLIENT_HELLO;
    let mut transcript = if hello_retry {
        pending
            .into_transcript_after_hello_retry(provider, SHA256)
            .unwrap()
    } else {
        pending.into_transcript(provider, SHA256)
    };
    // The server's view: it picks the suite from ClientHello1 and hashes as it goes, then
    // (§5) swaps ClientHello1 for message_hash when it sends the HelloRetryRequest. And a
    // stateless server that kept only Hash(ClientHello1) in its cookie.
    let mut server = Transcript::new(provider, SHA256);
    server.add(handshake[0]);
    assert_eq!(server.current(), client_hello);
    let mut stateless = None;
    if hello_retry {
        server.replace_client_hello1(provider).unwrap();
        stateless = Some(Transcript::from_client_hello1_hash(
            provider,
            SHA256,
            &client_hello,
        ));
    }
    // after[i]: the transcript hash once handshake[i] is in.
    let mut after = vec![client_hello];
    for message in &handshake[1..] {
        transcript.add(message);
        server.add(message);
        after.push(transcript.current());
        assert_eq!(server.current(), transcript.current());
        if let Some(stateless) = stateless.as_mut() {
            stateless.add(message);
            assert_eq!(stateless.current(), transcript.current());
        }
    }
    let last = |typ: u8| handshake.iter().rposition(|m| m[0] == typ).unwrap();
    let first = |typ: u8| handshake.iter().position(|m| m[0] == typ).unwrap();
    let (server_fin, client_fin) = (first(FINISHED), last(FINISHED));
    let ticket_nonces = messages
        .iter()
        .filter(|m| m[0] == NEW_SESSION_TICKET)
        // NewSessionTicket: header(4), ticket_lifetime(4), ticket_age_add(4), ticket_nonce<0..255>.
        .map(|m| m[13..13 + usize::from(m[12])].to_vec())
        .collect();
    Hashes {
        client_hello,
        hello: after[last(SERVER_HELLO)],
        before_server_finished: after[server_fin - 1],
        server_finished: after[server_fin],
        before_client_finished: after[client_fin - 1],
        client_finished: after[client_fin],
        finished_messages: (handshake[server_fin].clone(), handshake[client_fin].clone()),
        ticket_nonces,
    }
}

/// The "hash" input RFC 9846 §7.1 gives each Derive-Secret.
pub fn derive_secret_hash(label: SecretLabel, hashes: &Hashes, empty: &HashOutput) -> HashOutput {
    match label {
        SecretLabel::ExternalBinderKey
        | SecretLabel::ResumptionBinderKey
        | SecretLabel::DerivedForHandshake
        | SecretLabel::DerivedForMain => *empty,
        SecretLabel::ClientEarlyTraffic | SecretLabel::EarlyExporter => hashes.client_hello,
        SecretLabel::ClientHandshakeTraffic | SecretLabel::ServerHandshakeTraffic => hashes.hello,
        SecretLabel::ClientApplicationTraffic(0)
        | SecretLabel::ServerApplicationTraffic(0)
        | SecretLabel::Exporter => hashes.server_finished,
        SecretLabel::Resumption => hashes.client_finished,
        other => panic!("{other:?} is not a Derive-Secret of RFC 8448"),
    }
}
