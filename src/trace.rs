//! Trace events: what a connection did, step by step, under the names RFC 9846 uses.
//!
//! Trace events are public API, made for learners (a walkthrough prints them), for test
//! authors (RFC 8448 tests compare every secret and every record against the RFC), and for
//! tools (a key log is built on [`TraceEvent::SecretDerived`], a pcap writer on
//! [`TraceEvent::Record`]). A connection queues them only when its config enables tracing,
//! so a microcontroller that does not want them pays nothing; take them with
//! `poll_trace()`.
//!
//! The events, in the order a connection produces them:
//!
//! | event                  | when                                                       |
//! |------------------------|------------------------------------------------------------|
//! | `StateChanged`         | the state machine moved (RFC 9846 Appendix A state names)  |
//! | `HandshakeMessage`     | a handshake message was sent or accepted, with its bytes   |
//! | `Record`               | a record went onto or came off the wire, as on the wire     |
//! | `KeyExchangeCompleted` | the (EC)DHE or hybrid shared secret is known (§7.4)         |
//! | `SecretDerived`        | the key schedule derived a secret (RFC 9846 §7.1)           |
//! | `KeyInstalled`         | a traffic key and IV took over one direction (RFC 9846 §7.3) |
//! | `Alert`                | an alert was sent or received (RFC 9846 §6)                 |
//! | `ChangeCipherSpec`     | a dummy change_cipher_spec was sent or dropped (Appendix E.4) |
//! | `DecisionRequested`    | the connection paused for a deferred verifier or signer     |
//! | `DecisionAnswered`     | the caller answered it                                      |
//!
//! Secrets and keys in these events are the real ones: a trace is as sensitive as a key
//! log, and is off by default.

use alloc::vec::Vec;

use crate::crypto::hybrid;
use crate::crypto::{AEAD_NONCE_LEN, AeadAlgorithm, Secret};
use crate::key_schedule::SecretLabel;
use crate::verify::{RequestId, RequestKind};
use crate::wire::alert::Alert;
use crate::wire::algorithms::NamedGroup;
use crate::wire::codes::ContentType;
use crate::wire::handshake::HandshakeMessage;

/// Which way something went, seen from this endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// From us to the peer.
    Sent,
    /// From the peer to us.
    Received,
}

/// Which keys protect a direction's records (RFC 9846 §2, Figure 1's "{}", "[]" and "()").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Epoch {
    /// No protection yet: ClientHello, ServerHello, HelloRetryRequest.
    Initial,
    /// 0-RTT: client_early_traffic_secret protects early data and EndOfEarlyData.
    Early,
    /// `[sender]_handshake_traffic_secret` protects the rest of the handshake.
    Handshake,
    /// `[sender]_application_traffic_secret_N`, N counting KeyUpdates (RFC 9846 §7.2).
    Application(u64),
}

/// One of the two key exchanges of a hybrid group, as [`TraceEvent::KeyExchangeCompleted`]
/// shows it.
#[derive(Clone, Debug)]
pub struct KeyExchangePart {
    /// `"ML-KEM-768"`, `"X25519"` or `"secp256r1"`.
    pub name: &'static str,
    /// Its bytes of the client's share (for ML-KEM, the encapsulation key).
    pub client_share: Vec<u8>,
    /// Its bytes of the server's share (for ML-KEM, the ciphertext).
    pub server_share: Vec<u8>,
    /// Its shared secret.
    pub secret: Secret,
}

impl TraceEvent {
    /// A [`TraceEvent::KeyExchangeCompleted`], with a hybrid group's shares and secret cut
    /// into their parts by [`hybrid::layout`].
    pub fn key_exchange_completed(
        group: NamedGroup,
        client_share: &[u8],
        server_share: &[u8],
        shared_secret: &Secret,
    ) -> Self {
        let mut parts = Vec::new();
        if let Some(layout) = hybrid::layout(group) {
            let client = layout.split_client_share(client_share);
            let server = layout.split_server_share(server_share);
            let secret = layout.split_secret(shared_secret.as_bytes());
            if let (Some(client), Some(server), Some(secret)) = (client, server, secret) {
                for i in 0..2 {
                    parts.push(KeyExchangePart {
                        name: layout.parts[i].name,
                        client_share: client[i].to_vec(),
                        server_share: server[i].to_vec(),
                        secret: Secret::new(secret[i]),
                    });
                }
            }
        }
        Self::KeyExchangeCompleted {
            group,
            client_share: client_share.to_vec(),
            server_share: server_share.to_vec(),
            shared_secret: shared_secret.clone(),
            parts,
        }
    }
}

/// One step of a connection, for learners, tests and tools.
#[derive(Clone, Debug)]
pub enum TraceEvent {
    /// The state machine moved from one RFC 9846 Appendix A state to another.
    StateChanged {
        /// The state left, e.g. `"WAIT_SH"`.
        from: &'static str,
        /// The state entered, e.g. `"WAIT_EE"`.
        to: &'static str,
    },
    /// A handshake message was sent, or received and accepted by the state machine.
    HandshakeMessage {
        /// Sent or received.
        direction: Direction,
        /// The decoded message.
        message: HandshakeMessage,
        /// Its encoding with the 4-byte header: what went into the transcript hash.
        bytes: Vec<u8>,
    },
    /// A record went onto the wire or came off it.
    Record {
        /// Sent or received.
        direction: Direction,
        /// The outer content type (application_data for every protected record).
        content_type: ContentType,
        /// The whole record as on the wire, header included.
        bytes: Vec<u8>,
    },
    /// The key exchange gave its shared secret (RFC 9846 §7.4), the IKM of the Handshake
    /// Secret (§7.1).
    KeyExchangeCompleted {
        /// The group.
        group: NamedGroup,
        /// The client's `key_exchange` in this group.
        client_share: Vec<u8>,
        /// The server's `key_exchange`.
        server_share: Vec<u8>,
        /// The shared secret as it enters the key schedule.
        shared_secret: Secret,
        /// For a hybrid group (RFC 10024), its two key exchanges in wire order, with their
        /// bytes of each share and of the shared secret, which is the two parts' secrets
        /// concatenated; empty for an (EC)DHE group.
        parts: Vec<KeyExchangePart>,
    },
    /// The key schedule derived a secret (RFC 9846 §7.1).
    SecretDerived {
        /// Which secret, under its RFC name.
        label: SecretLabel,
        /// Its value.
        secret: Secret,
    },
    /// A traffic key and IV (RFC 9846 §7.3) now protect one direction's records.
    KeyInstalled {
        /// Sent: our write key; received: the peer's, which we read with.
        direction: Direction,
        /// Which epoch the key belongs to.
        epoch: Epoch,
        /// The record protection algorithm.
        aead: AeadAlgorithm,
        /// `[sender]_write_key`.
        key: Secret,
        /// `[sender]_write_iv`.
        iv: [u8; AEAD_NONCE_LEN],
    },
    /// An alert was sent or received (RFC 9846 §6).
    Alert {
        /// Sent or received.
        direction: Direction,
        /// The alert.
        alert: Alert,
    },
    /// A dummy change_cipher_spec record was sent, or received and dropped (RFC 9846 §5,
    /// Appendix E.4).
    ChangeCipherSpec {
        /// Sent or received.
        direction: Direction,
    },
    /// The connection paused for a decision its caller makes: a deferred verifier's verdict
    /// or a deferred key's signature (see [`crate::connection::deferred`]).
    DecisionRequested {
        /// The id the answer must carry.
        id: RequestId,
        /// What is asked.
        kind: RequestKind,
    },
    /// The caller answered a deferred decision.
    DecisionAnswered {
        /// The request answered.
        id: RequestId,
        /// False if the caller rejected the chain or could not sign.
        accepted: bool,
    },
}
