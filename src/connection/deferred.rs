//! Deferred decisions: a connection that pauses to let its caller verify a certificate
//! chain or sign a CertificateVerify, and goes on when the caller answers.
//!
//! Four points of a handshake need a decision from outside the protocol:
//!
//! | who    | decision                                   | asks                    | RFC 9846 |
//! |--------|--------------------------------------------|-------------------------|----------|
//! | client | is the server's chain acceptable?          | `ServerCertVerifier`    | §4.5.1   |
//! | server | is the client's chain acceptable? (mTLS)   | `ClientCertVerifier`    | §4.5.1   |
//! | server | the signature of its CertificateVerify     | `SigningKey`            | §4.5.2   |
//! | client | the signature of its CertificateVerify     | `SigningKey`            | §4.5.2   |
//!
//! By default each answers at once, inside `feed`. A verifier that answers
//! [`Answer::Later`](crate::verify::Answer), or a key whose `defers()` returns true, answers
//! later instead (the key lives in an HSM or a secure element, the
//! chain is checked by another task): the connection then
//!
//! 1. queues [`Event::VerifyRequest`] or [`Event::SignRequest`], carrying a [`RequestId`],
//!    and the trace event [`TraceEvent::DecisionRequested`];
//! 2. pauses: bytes fed meanwhile are kept (up to one full record's worth) but not
//!    processed, and the handshake messages of the flight being built are held back, so
//!    the flight goes out in the same records as without the pause;
//! 3. goes on when the caller calls `Connection::answer_verification` or
//!    `Connection::answer_signature` with that id. An accepted chain or a signature
//!    resumes the handshake where it stopped and processes what was fed meanwhile; a
//!    rejection fails the connection with the alert the rejection names (sticky, like
//!    every fatal error).
//!
//! A verifier only decides about the chain: the CertificateVerify signature is always
//! checked by the engine against the end-entity certificate's key (RFC 9846 §4.5.2), and a
//! deferred verdict gates it, since nothing after the Certificate is processed before the
//! verdict. A signature from outside is sent as given; a wrong one makes the peer fail
//! the handshake with decrypt_error.
//!
//! Answering when nothing is pending, with another request's id, or with the wrong kind of
//! answer is [`Error::Misuse`]: the call changes nothing. Closing while paused abandons the
//! handshake: close_notify goes out without the held flight, and the connection fails.
//!
//! The caller's loop, after each `feed` (`tests/x509/deferred.rs` runs it for real):
//!
//! ```ignore
//! while let Some(event) = conn.poll_event() {
//!     match event {
//!         Event::VerifyRequest(request) => {
//!             let verdict = my_verifier(&request.end_entity, &request.intermediates);
//!             conn.answer_verification(request.id, verdict)?;
//!         }
//!         Event::SignRequest(request) => {
//!             let signature = my_hsm.sign(request.scheme, &request.message);
//!             conn.answer_signature(request.id, signature)?;
//!         }
//!         _ => {}
//!     }
//! }
//! ```
//!
//! The adapters: the tokio one (`crate::adapters`) answers through the `Decisions` it was
//! given; the embedded-io ones return `StreamError::Paused`, answer through
//! `connection_mut()` and call again; the blocking std `Stream` stops the handshake with an
//! error when the connection pauses.

use alloc::string::String;
use alloc::vec::Vec;

use crate::error::Error;
use crate::time::Time;
use crate::trace::TraceEvent;
pub use crate::verify::{RequestId, RequestKind};
use crate::wire::algorithms::SignatureScheme;

use super::core::ConnectionCore;
use super::event::Event;

/// "Is this chain acceptable?" Answer with `Connection::answer_verification`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyRequest {
    /// The id to answer with.
    pub id: RequestId,
    /// The peer's end-entity certificate (DER).
    pub end_entity: Vec<u8>,
    /// The other certificates the peer sent, in its order (DER).
    pub intermediates: Vec<Vec<u8>>,
    /// The server name the client asked for (a client verifying the server), or `None`.
    pub server_name: Option<String>,
    /// The time of the `feed` call that received the Certificate.
    pub now: Time,
}

/// "Sign this." Answer with `Connection::answer_signature`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignRequest {
    /// The id to answer with.
    pub id: RequestId,
    /// The scheme to sign with, one the peer offered and the key supports.
    pub scheme: SignatureScheme,
    /// The content to sign, built as RFC 9846 §4.5.2 says: 64 spaces, the context string,
    /// a zero byte, then the transcript hash.
    pub message: Vec<u8>,
}

/// The decision a paused connection waits for.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pending {
    pub id: RequestId,
    pub kind: RequestKind,
}

impl ConnectionCore {
    /// True while the connection waits for its caller's answer.
    pub(crate) fn is_paused(&self) -> bool {
        self.pending.is_some()
    }

    /// Pauses for a verdict on a peer's chain: queues [`Event::VerifyRequest`].
    pub(crate) fn request_verification(
        &mut self,
        end_entity: &[u8],
        intermediates: &[&[u8]],
        server_name: Option<&str>,
    ) {
        let id = self.pause(RequestKind::Verification);
        self.push_event(Event::VerifyRequest(VerifyRequest {
            id,
            end_entity: end_entity.to_vec(),
            intermediates: intermediates.iter().map(|c| c.to_vec()).collect(),
            server_name: server_name.map(String::from),
            now: self.now(),
        }));
    }

    /// Pauses for a signature over `message` with `scheme`: queues [`Event::SignRequest`].
    pub(crate) fn request_signature(&mut self, scheme: SignatureScheme, message: Vec<u8>) {
        let id = self.pause(RequestKind::Signature);
        self.push_event(Event::SignRequest(SignRequest {
            id,
            scheme,
            message,
        }));
    }

    fn pause(&mut self, kind: RequestKind) -> RequestId {
        self.requests_made += 1;
        let id = RequestId(self.requests_made);
        self.pending = Some(Pending { id, kind });
        self.trace(|| TraceEvent::DecisionRequested { id, kind });
        id
    }

    /// Ends the pause for answer `id` of `kind`, or says why the answer does not fit.
    pub(super) fn take_pending(&mut self, id: RequestId, kind: RequestKind) -> Result<(), Error> {
        let pending = self
            .pending
            .ok_or(Error::Misuse("answer given while no decision is pending"))?;
        if pending.id != id {
            return Err(Error::Misuse("answer given for another request id"));
        }
        if pending.kind != kind {
            return Err(Error::Misuse("answer of the wrong kind for this request"));
        }
        self.pending = None;
        Ok(())
    }

    /// If paused, drops the flight held back and returns true: `Connection::close` then
    /// fails the connection, so that the decision can no longer be answered.
    pub(super) fn abandon_pause(&mut self) -> bool {
        if self.pending.is_none() && !self.holds_step() {
            return false;
        }
        self.pending_handshake.clear();
        true
    }

    /// Records the caller's answer as a trace event.
    pub(super) fn trace_answer(&mut self, id: RequestId, accepted: bool) {
        self.trace(|| TraceEvent::DecisionAnswered { id, accepted });
    }
}
