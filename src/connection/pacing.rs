//! Pacing: a connection that does at most one expensive crypto operation per call, for
//! callers that must not hold their thread long (an async executor's task, an event loop).
//!
//! The expensive operations of a handshake are the key exchange (ECDHE, ML-KEM), the
//! CertificateVerify signature, its verification, and the validation of the peer's chain
//! by the certificate verifier. Without pacing, one `feed` does all the work its bytes
//! allow: a server's whole flight in one record (EncryptedExtensions, Certificate,
//! CertificateVerify, Finished) makes a client validate the chain and verify the
//! signature in one call, and a ClientHello makes a server do its key exchange and sign.
//!
//! With [`Connection::set_pacing`] on, during the handshake:
//!
//! - after each handshake message whose handling may do one of those operations
//!   (ClientHello, ServerHello, Certificate, CertificateVerify), the connection stops:
//!   messages and records still queued wait, and bytes not yet taken are left to the
//!   caller (`feed` returns fewer bytes than it was given);
//! - a server's ClientHello is two steps: the key exchange, then the CertificateVerify
//!   signature. The flight stops before its CertificateVerify, on the same path as a
//!   signing key that answers later (`deferred.rs`), and the messages built so far are
//!   held back, so the flight goes out in the same records as without pacing;
//! - an answer to a deferred decision (`deferred.rs`) is the step of the operation it
//!   answers (the caller's verifier or key did the work): the connection stops after it;
//! - [`Connection::has_paced_step`] is then true until the next call: the caller lets
//!   other work run, then calls [`Connection::take_paced_step`] (or `feed` with more bytes) for the
//!   next step.
//!
//! A step may do less than one operation (a HelloRetryRequest, a PSK handshake without a
//! certificate); it never does two. The bytes on the wire are the same with and without
//! pacing. Once the handshake is complete, pacing changes nothing.
//!
//! Not here: deciding what is expensive inside a state (the state machines do the work;
//! this module only stops between messages), and yielding (the caller's, e.g. the tokio
//! adapter's).

use crate::wire::handshake::HandshakeMessage;

use super::Connection;
use super::core::ConnectionCore;

/// Where a paced connection stands in the current call. All false when pacing is off.
#[derive(Debug, Default)]
pub(crate) struct Pacing {
    /// [`Connection::set_pacing`].
    on: bool,
    /// The current call did an expensive step: it takes no further one.
    spent: bool,
    /// The connection stopped after an expensive step; the next call goes on.
    stopped: bool,
    /// The state machine holds a step of its own for the next call (the server's
    /// CertificateVerify signature), and the flight built so far is held back.
    held_step: bool,
}

/// True if handling `message` may do an expensive operation: a ClientHello or ServerHello
/// (the key exchange, and for a server its signature), a Certificate (the verifier's chain
/// validation), a CertificateVerify (its verification).
pub(super) fn may_be_expensive(message: &HandshakeMessage) -> bool {
    matches!(
        message,
        HandshakeMessage::ClientHello(_)
            | HandshakeMessage::ServerHello(_)
            | HandshakeMessage::Certificate(_)
            | HandshakeMessage::CertificateVerify(_)
    )
}

impl Pacing {
    /// A new call (`feed`, `take_paced_step`, an answer) starts: it may do one expensive step.
    pub(super) fn start_call(&mut self) {
        self.spent = false;
        self.stopped = false;
    }

    /// An expensive step was done in this call (only counted with pacing on).
    pub(super) fn spend(&mut self) {
        if self.on {
            self.spent = true;
        }
    }

    /// True if the call must stop before the next message: pacing is on, the handshake is
    /// under way and this call did its expensive step. Marks the connection stopped.
    pub(super) fn stop_here(&mut self, handshaking: bool) -> bool {
        if self.on && self.spent && handshaking {
            self.stopped = true;
        }
        self.stopped
    }

    /// True if the connection stopped after an expensive step.
    pub(super) fn stopped(&self) -> bool {
        self.stopped
    }

    /// Takes the held step, if any: true if the state machine is to take it now.
    pub(super) fn take_held_step(&mut self) -> bool {
        core::mem::take(&mut self.held_step)
    }
}

impl ConnectionCore {
    /// True if a state machine is to split an expensive message into steps: pacing is on
    /// and the current call already did its expensive step.
    pub(crate) fn pacing_spent(&self) -> bool {
        self.pacing.on && self.pacing.spent
    }

    /// Notes that the current call did an expensive step (a state's own, inside a message).
    pub(crate) fn spend_step(&mut self) {
        self.pacing.spend();
    }

    /// Holds the state's next step for the next call (see the module doc); the flight
    /// built so far is held back until then.
    pub(crate) fn hold_step(&mut self) {
        self.pacing.held_step = true;
        self.pacing.spent = true;
    }

    /// True while the handshake messages being built are held back: for a deferred
    /// decision, or for a step held by pacing.
    pub(super) fn holds_flight(&self) -> bool {
        self.is_paused() || self.pacing.held_step
    }

    /// True if a step is held (see [`ConnectionCore::hold_step`]).
    pub(super) fn holds_step(&self) -> bool {
        self.pacing.held_step
    }
}

impl<S: super::Role> Connection<S> {
    /// Turns pacing on or off (off by default): with pacing, each call does at most one
    /// expensive crypto operation of the handshake, and the connection stops after it
    /// until [`Connection::take_paced_step`]. See the module doc of `connection::pacing`.
    pub fn set_pacing(&mut self, on: bool) {
        self.core.pacing.on = on;
    }

    /// True if the connection stopped after an expensive step of the handshake (pacing
    /// on): call [`Connection::take_paced_step`] for the next one, after letting other work run.
    /// False while a deferred decision is pending (answer it instead).
    pub fn has_paced_step(&self) -> bool {
        self.core.pacing.stopped() && !self.core.is_paused()
    }

    /// Takes the next step of a paced handshake: the step the connection held, then the
    /// messages and records queued, up to the next expensive operation. Does nothing if
    /// [`Connection::has_paced_step`] is false. Returns the connection's error, if any.
    pub fn take_paced_step(&mut self, now: crate::time::Time) -> Result<(), crate::error::Error> {
        if let Some(err) = self.core.error() {
            return Err(err);
        }
        if !self.has_paced_step() {
            return Ok(());
        }
        self.core.set_now(now);
        self.core.pacing.start_call();
        if let Err(err) = self.process() {
            return Err(self.fail(err));
        }
        Ok(())
    }
}
