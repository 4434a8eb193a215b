//! The sans-IO connection shared by both roles: [`Connection`], driven by a client or
//! server state machine.
//!
//! A connection never touches a socket, a clock or the OS RNG. The caller moves bytes and
//! time in and out:
//!
//! ```text
//!             feed(now, bytes) ──►┌──────────────────────────┐──► take_output()  (bytes to send)
//!   write(data), close(), ...  ──►│ Connection               │──► poll_event()   (Event)
//!                                 │  state machine (role)    │──► poll_trace()   (TraceEvent)
//!                                 │  ConnectionCore (shared) │
//!                                 └──────────────────────────┘
//! ```
//!
//! A typical loop: send what [`Connection::take_output`] returns, [`Connection::feed`] what
//! arrives, then drain [`Connection::poll_event`] (and [`Connection::poll_trace`] when
//! tracing). Input may be split anywhere, down to single bytes.
//!
//! A connection whose verifier or signing key answers later pauses with
//! [`Event::VerifyRequest`] or [`Event::SignRequest`] and goes on when the caller calls
//! [`Connection::answer_verification`] or [`Connection::answer_signature`]; see
//! [`deferred`].
//!
//! A caller that must not be held long (an async task) turns on pacing
//! ([`Connection::set_pacing`]): each call then does at most one expensive crypto operation
//! of the handshake, and [`Connection::take_paced_step`] takes the next; see [`pacing`].
//!
//! After a fatal error (ours or the peer's alert) the error is sticky: every later `feed`,
//! `write`, `key_update` or exporter call returns it, the only output left is our alert,
//! if any, and every key and secret of the connection is gone (RFC 9846 §6).
//!
//! | file                | what                                                            |
//! |---------------------|-----------------------------------------------------------------|
//! | `core.rs`           | `ConnectionCore`: keys, events, traces, the sticky error        |
//! | `receive.rs`        | records in: deframing, deprotection, alerts, joining messages   |
//! | `send.rs`           | records out: coalescing, size limits, protection                |
//! | `joiner.rs`         | handshake messages out of records (RFC 9846 §5.1)               |
//! | `ccs.rs`            | dummy change_cipher_spec rules (RFC 9846 §5, Appendix E.4)      |
//! | `post_handshake.rs` | application data, KeyUpdate, exporters, close_notify            |
//! | `event.rs`          | [`Event`], [`Negotiated`]                                       |
//! | `cert_verify.rs`    | CertificateVerify signing and checking (RFC 9846 §4.5.2)        |
//! | `deferred.rs`       | pausing for a verdict or a signature the caller gives later     |
//! | `pacing.rs`         | one expensive crypto operation per call, for async callers      |
//!
//! # What is public
//!
//! [`Connection`] and its methods, the sealed [`Role`] trait (to write code generic over
//! both roles), [`Event`], [`Negotiated`], [`Ticket`], the [`deferred`] requests and
//! [`EndEntityKey`]. Everything else here is internal (`pub(crate)`): `ConnectionCore`, the
//! state machine trait the roles implement, the joiner, the change_cipher_spec rules and the
//! CertificateVerify functions. Only a connection's own methods install keys, push events
//! or move its state, so no public call can put it into a state the protocol does not allow.
//!
//! Not here: anything that depends on the role. `crate::client` and `crate::server` hold
//! the state machines of RFC 9846 Appendix A, one type per state.

// Built with one engine (feature `client` or `server`), the helpers only the other engine
// calls are unused; the linker leaves them out of the image.
#![cfg_attr(not(all(feature = "client", feature = "server")), allow(dead_code))]

use alloc::vec::Vec;

use crate::error::Error;
use crate::time::Time;
use crate::trace::TraceEvent;

mod buffers;
pub(crate) mod ccs;
pub(crate) mod cert_verify;
mod core;
pub mod deferred;
mod event;
mod identity;
#[cfg(any(feature = "std", feature = "embedded-io"))]
mod io_seam;
pub(crate) mod joiner;
pub mod pacing;
mod post_handshake;
mod receive;
mod send;
#[cfg(test)]
mod tests;
mod ticket;

pub(crate) use self::core::ConnectionCore;
pub use cert_verify::EndEntityKey;
pub use deferred::{RequestId, RequestKind, SignRequest, VerifyRequest};
pub use event::{CertificateChain, Event, Negotiated};
pub use post_handshake::MAX_KEY_UPDATES;
pub(crate) use receive::{HandshakeInput, Input};
pub(crate) use state_machine::StateMachine;
pub use ticket::Ticket;

/// A connection's role: [`ClientRole`](crate::client::ClientRole) or
/// [`ServerRole`](crate::server::ServerRole), the type parameter of [`Connection`].
///
/// Write code generic over both roles with `S: Role`, e.g.
/// `fn pump<S: Role>(conn: &mut Connection<S>)`. The trait is sealed: only the crate's two
/// roles implement it, and their states (RFC 9846 Appendix A) are moved only by the
/// connection's own methods, so no call can put a connection into a state the protocol
/// does not allow.
pub trait Role: StateMachine {}

/// The state machine behind [`Role`]. Declared `pub` inside a private module: nameable by
/// no one outside the crate (the sealed-trait pattern), so it can be neither implemented
/// nor called from outside.
mod state_machine {
    use alloc::vec::Vec;

    use super::{ConnectionCore, HandshakeInput};
    use crate::error::Error;

    /// A role's state machine: the enum of its RFC 9846 Appendix A states.
    ///
    /// Implemented by the enums `ClientState` and `ServerState`, and by the roles that wrap
    /// them. Each call consumes the current state and returns the next, so a state cannot
    /// be reused after it has handled a message.
    pub trait StateMachine: Sized {
        /// The RFC's name of the current state, e.g. `"WAIT_SH"`.
        fn name(&self) -> &'static str;

        /// True until the handshake is complete (the CONNECTED state).
        fn is_handshaking(&self) -> bool;

        /// Handles one whole handshake message.
        fn handle_handshake(
            self,
            core: &mut ConnectionCore,
            input: HandshakeInput,
        ) -> Result<Self, Error>;

        /// Handles the content of one application_data record.
        fn handle_application_data(
            self,
            core: &mut ConnectionCore,
            data: Vec<u8>,
        ) -> Result<Self, Error>;

        /// Goes on with the signature a deferred key produced (see [`super::deferred`]): sends the
        /// CertificateVerify and the rest of the flight. Only the states that paused for a
        /// signature implement it.
        fn resume_with_signature(
            self,
            _core: &mut ConnectionCore,
            _signature: Vec<u8>,
        ) -> Result<Self, Error> {
            Err(Error::Misuse("this state does not wait for a signature"))
        }

        /// Takes the step the state held back under pacing (see [`super::pacing`]): the
        /// server's CertificateVerify signature. Only the states that hold one implement it.
        fn take_held_step(self, _core: &mut ConnectionCore) -> Result<Self, Error> {
            Err(Error::Misuse("this state holds no step"))
        }
    }
}

/// A TLS 1.3 connection in one role. `ClientConnection` and `ServerConnection` are this
/// type with their role's state machine.
pub struct Connection<S> {
    core: ConnectionCore,
    /// `None` once the connection failed: the state, and the secrets it holds, are dropped
    /// on the first fatal error (RFC 9846 §6).
    state: Option<S>,
    state_name: &'static str,
    /// False once the state machine reached CONNECTED (kept when the state is dropped).
    handshaking: bool,
}

impl<S: Role> Connection<S> {
    /// Wraps a core and the role's first state (used by the roles' constructors).
    pub(crate) fn from_parts(core: ConnectionCore, state: S) -> Self {
        Self {
            state_name: state.name(),
            handshaking: state.is_handshaking(),
            core,
            state: Some(state),
        }
    }

    /// Fails the connection with `err` (sticky, its alert queued) and drops the state
    /// machine with every secret it holds (RFC 9846 §6: "Servers and clients MUST forget
    /// the secret values and keys established in failed connections"). Returns the first
    /// error.
    fn fail(&mut self, err: Error) -> Error {
        let first = self.core.fail(err);
        self.state = None;
        first
    }

    /// Processes received bytes, in any split. Returns how many bytes were consumed, which
    /// is all of them unless an error occurred, a deferred decision paused the connection,
    /// or pacing stopped it after an expensive step ([`Connection::has_paced_step`]): offer
    /// the rest again then. After an error, returns the sticky error.
    pub fn feed(&mut self, now: Time, input: &[u8]) -> Result<usize, Error> {
        if let Some(err) = self.core.error() {
            return Err(err);
        }
        self.core.set_now(now);
        self.core.pacing.start_call();
        let mut consumed = 0;
        while consumed < input.len() {
            if self.core.peer_closed {
                // RFC 9846 §6.1: "Any data received after a closure alert has been
                // received MUST be ignored."
                return Ok(input.len());
            }
            let rest = input.get(consumed..).unwrap_or(&[]);
            let taken = self.core.feed_bytes(rest);
            consumed += taken;
            if let Err(err) = self.process() {
                return Err(self.fail(err));
            }
            if taken == 0 && self.core.is_paused() {
                // Paused with a full receive buffer: the caller offers the rest again
                // after answering.
                break;
            }
            if self.core.pacing.stopped() {
                // Paced: this call did its expensive step; the rest waits for the next.
                break;
            }
        }
        // An idle connection keeps no receive buffer (see `RecordDeframer`), unless it reads
        // into its caller's buffers, where it keeps one to allocate nothing per record.
        // During the handshake the buffer stays between calls: freeing and allocating it
        // again for every piece of a flight churns a small heap into fragments.
        if !self.core.buffers.reader_enabled() && !self.is_handshaking() {
            self.core.deframer.release_if_empty();
        }
        Ok(consumed)
    }

    /// Takes the step the state held under pacing, if any, then hands every complete input
    /// to the state machine, until it pauses for a deferred decision or, paced, has done
    /// this call's expensive step.
    fn process(&mut self) -> Result<(), Error> {
        if self.core.pacing.take_held_step() {
            let state = self.take_state()?;
            let next = state.take_held_step(&mut self.core)?;
            self.enter(next);
            self.core.pacing.spend();
        }
        while !self.core.is_paused() && !self.core.pacing.stop_here(self.handshaking) {
            let Some(input) = self.core.next_input()? else {
                break;
            };
            let expensive =
                matches!(&input, Input::Handshake(h) if pacing::may_be_expensive(&h.message));
            let state = self.take_state()?;
            let next = match input {
                Input::Handshake(message) => state.handle_handshake(&mut self.core, message)?,
                Input::ApplicationData(data) => {
                    state.handle_application_data(&mut self.core, data)?
                }
            };
            self.enter(next);
            if expensive {
                self.core.pacing.spend();
            }
        }
        Ok(())
    }

    fn take_state(&mut self) -> Result<S, Error> {
        self.state
            .take()
            .ok_or(Error::Misuse("connection has no state"))
    }

    /// Rests in `next`. States a message passes straight through report themselves; this
    /// closes the chain from the last reported state to where the machine now rests.
    fn enter(&mut self, next: S) {
        let from = self.core.traced_state();
        if next.name() != from {
            self.core.state_changed(from, next.name());
        }
        self.state_name = next.name();
        self.handshaking = next.is_handshaking();
        self.state = Some(next);
    }

    /// The deferred decision the connection waits for, if any (see [`deferred`]).
    pub fn pending_request(&self) -> Option<(RequestId, RequestKind)> {
        self.core.pending.map(|p| (p.id, p.kind))
    }

    /// Answers [`Event::VerifyRequest`] `id`: `Ok(())` accepts the peer's chain and the
    /// handshake goes on with the bytes fed meanwhile; an error rejects it, and the
    /// connection fails with the alert the error names (RFC 9846 §6.2: bad_certificate,
    /// unknown_ca, certificate_expired, ...). Returns the connection's error, if any.
    ///
    /// Answering when no verification is pending, or with another id, is
    /// [`Error::Misuse`] and changes nothing.
    pub fn answer_verification(
        &mut self,
        id: RequestId,
        verdict: Result<(), Error>,
    ) -> Result<(), Error> {
        if let Some(err) = self.core.error() {
            return Err(err);
        }
        self.core.take_pending(id, RequestKind::Verification)?;
        self.core.pacing.start_call();
        // Paced: the answer is this call's expensive step (the caller's work).
        self.core.pacing.spend();
        self.core.trace_answer(id, verdict.is_ok());
        if let Err(err) = verdict.and_then(|()| self.process()) {
            return Err(self.fail(err));
        }
        Ok(())
    }

    /// Answers [`Event::SignRequest`] `id` with the signature (the bytes of
    /// CertificateVerify.signature), or with the error that kept the key from signing,
    /// which fails the connection. On a signature the flight is completed and the bytes fed
    /// meanwhile are processed. Returns the connection's error, if any.
    ///
    /// Answering when no signature is pending, or with another id, is [`Error::Misuse`]
    /// and changes nothing.
    pub fn answer_signature(
        &mut self,
        id: RequestId,
        signature: Result<Vec<u8>, Error>,
    ) -> Result<(), Error> {
        if let Some(err) = self.core.error() {
            return Err(err);
        }
        self.core.take_pending(id, RequestKind::Signature)?;
        self.core.pacing.start_call();
        // Paced: the answer is this call's expensive step (the caller's work).
        self.core.pacing.spend();
        self.core.trace_answer(id, signature.is_ok());
        let resumed = signature.and_then(|signature| {
            let state = self.take_state()?;
            let next = state.resume_with_signature(&mut self.core, signature)?;
            self.enter(next);
            self.process()
        });
        if let Err(err) = resumed {
            return Err(self.fail(err));
        }
        Ok(())
    }

    /// The current state, for role-specific inspection.
    pub(crate) fn state(&self) -> Option<&S> {
        self.state.as_ref()
    }

    /// The shared core, read-only.
    pub(crate) fn core(&self) -> &ConnectionCore {
        &self.core
    }

    /// The shared core, for role-specific API calls.
    pub(crate) fn core_mut(&mut self) -> &mut ConnectionCore {
        &mut self.core
    }

    /// All bytes waiting to be sent. Send them in order, and all of them.
    pub fn take_output(&mut self) -> Vec<u8> {
        let output = self.core.take_output();
        if self.core.error().is_some() {
            // Flushing can fail the connection: its state goes as on any failure.
            self.state = None;
        }
        output
    }

    /// True if [`Connection::take_output`] would return bytes.
    pub fn has_output(&self) -> bool {
        self.core.has_output()
    }

    /// The next event for the application, oldest first.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.core.poll_event()
    }

    /// The next trace event, oldest first (only produced when the config enables tracing).
    pub fn poll_trace(&mut self) -> Option<TraceEvent> {
        self.core.poll_trace()
    }

    /// Sends application data, in records within the peer's size limit. Allowed once our
    /// application keys are installed (for a server, right after its Finished: 0.5-RTT
    /// data, RFC 9846 §2).
    pub fn write(&mut self, data: &[u8]) -> Result<(), Error> {
        if let Some(err) = self.core.error() {
            return Err(err);
        }
        self.core.check_can_write()?;
        // A failure once records are being queued leaves part of `data` sent: fatal.
        if let Err(err) = self.core.send_application_data(data) {
            return Err(self.fail(err));
        }
        Ok(())
    }

    /// Sends close_notify: we will send nothing more (RFC 9846 §6.1). Reading goes on.
    ///
    /// Closing while paused for a deferred decision abandons the handshake: the flight held
    /// back is dropped rather than sent half-built, close_notify goes out, and the
    /// connection fails with [`Error::Misuse`] (sticky: the decision can no longer be
    /// answered).
    pub fn close(&mut self) {
        let abandoned = self.core.abandon_pause();
        if let Err(err) = self.core.send_close_notify() {
            self.fail(err);
        }
        if abandoned {
            self.fail(Error::Misuse(
                "closed while a deferred decision was pending",
            ));
        }
    }

    /// Sends a KeyUpdate (RFC 9846 §4.7.3) and switches our write key to the next
    /// generation; with `request_peer`, asks the peer to update its keys too. After
    /// [`Connection::close`] this is [`Error::Misuse`] and sends nothing.
    pub fn key_update(&mut self, request_peer: bool) -> Result<(), Error> {
        if let Some(err) = self.core.error() {
            return Err(err);
        }
        self.core.send_key_update(request_peer)
    }

    /// Fills `out` with keying material exported under `label` and `context`
    /// (RFC 9846 §7.5). Available once the handshake is complete, and until the
    /// connection fails: then it returns the sticky error.
    pub fn export_keying_material(
        &self,
        label: &[u8],
        context: Option<&[u8]>,
        out: &mut [u8],
    ) -> Result<(), Error> {
        if let Some(err) = self.core.error() {
            return Err(err);
        }
        self.core.export_keying_material(false, label, context, out)
    }

    /// Fills `out` from the early exporter secret (RFC 9846 §7.5), which exists when 0-RTT
    /// was offered. Early exported values are not protected against replay (RFC 9846
    /// Appendix F.5.1). After a failure it returns the sticky error.
    pub fn export_early_keying_material(
        &self,
        label: &[u8],
        context: Option<&[u8]>,
        out: &mut [u8],
    ) -> Result<(), Error> {
        if let Some(err) = self.core.error() {
            return Err(err);
        }
        self.core.export_keying_material(true, label, context, out)
    }

    /// True until the handshake is complete.
    pub fn is_handshaking(&self) -> bool {
        self.handshaking
    }

    /// The negotiated parameters, once the handshake is complete.
    pub fn negotiated(&self) -> Option<&Negotiated> {
        self.core.negotiated.as_ref()
    }

    /// The RFC 9846 Appendix A name of the current state (the last one, after a failure).
    pub fn state_name(&self) -> &'static str {
        self.state_name
    }

    /// The sticky error, if the connection failed.
    pub fn error(&self) -> Option<Error> {
        self.core.error()
    }
}
