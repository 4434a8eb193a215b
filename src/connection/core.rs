//! [`ConnectionCore`]: everything a TLS 1.3 connection has that does not depend on being the
//! client or the server. The state machines (`crate::client`, `crate::server`) make the
//! protocol decisions; the core owns the plumbing they share:
//!
//! - **state**: the crypto provider, the caller's RNG and time, the negotiated suite, the
//!   record-layer state for both directions, the event and trace queues, the sticky error;
//! - **keys**: installing traffic keys (RFC 9846 §7.3) with a trace of each, and reporting
//!   secrets to traces and the key log;
//! - **failing**: [`ConnectionCore::fail`] makes an error sticky and sends its alert;
//! - **pausing**: a deferred decision (`deferred.rs`) stops input until the caller answers.
//!
//! Its methods are spread over the files of this module by concern: records in
//! (`receive.rs`), records out (`send.rs`), and what follows the handshake
//! (`post_handshake.rs`).

use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::codec::Writer;
use crate::crypto::{CryptoError, CryptoProvider, Rng, Secret, suite_algorithms};
use crate::error::Error;
use crate::key_schedule::{ApplicationTrafficSecret, ExporterSecret, SecretLabel, TrafficSecret};
use crate::keylog::KeyLog;
use crate::record::decrypter::RecordDecrypter;
use crate::record::deframer::RecordDeframer;
use crate::record::encrypter::RecordEncrypter;
use crate::record::limits::RecordSizeLimit;
use crate::record::nonce::TrafficKey;
use crate::time::Time;
use crate::trace::{Direction, Epoch, TraceEvent};
use crate::wire::alert::Alert;
use crate::wire::algorithms::CipherSuite;
use crate::wire::codes::ContentType;
use crate::wire::record::LEGACY_RECORD_VERSION;

use super::buffers::CallerBuffers;
use super::ccs::CcsWindow;
use super::deferred::Pending;
use super::event::{Event, Negotiated};
use super::joiner::HandshakeJoiner;
use super::pacing::Pacing;

/// The application traffic secrets, kept for KeyUpdate (RFC 9846 §7.2).
#[derive(Debug, Default)]
pub(super) struct ApplicationSecrets {
    pub(super) write: Option<ApplicationTrafficSecret>,
    pub(super) read: Option<ApplicationTrafficSecret>,
}

/// How many event slots an idle connection keeps: one, for an application that takes each
/// event as it comes. An [`Event`] is large (`HandshakeComplete` carries the whole
/// [`super::event::Negotiated`]: about 140 bytes on a 32-bit microcontroller), and a queue
/// left at `VecDeque`'s smallest growth of four slots would hold over 500 bytes of heap for
/// the life of the connection.
const RETAINED_EVENT_SLOTS: usize = 1;

/// The state both roles share. See the module doc.
///
/// Internal: nominally `pub` only so the sealed `StateMachine` trait can name it, but it is
/// reachable from no public path, and every method that installs a key, pushes an event or
/// moves a state is `pub(crate)`.
pub struct ConnectionCore {
    pub(super) provider: Arc<dyn CryptoProvider>,
    pub(super) rng: Box<dyn Rng + Send>,
    pub(super) now: Time,
    pub(super) trace_enabled: bool,
    pub(super) keylog: Option<Arc<dyn KeyLog>>,
    pub(super) client_random: Option<[u8; 32]>,
    /// The state named by the last `StateChanged` trace, so that states a message passes
    /// straight through (the server's RECVD_CH, NEGOTIATED, WAIT_FLIGHT2) chain correctly.
    pub(super) traced_state: &'static str,
    pub(super) suite: Option<CipherSuite>,

    // Receiving.
    pub(super) deframer: RecordDeframer,
    pub(super) decrypter: Option<RecordDecrypter>,
    pub(super) read_epoch: Epoch,
    pub(super) joiner: HandshakeJoiner,
    pub(super) ccs_window: CcsWindow,
    pub(super) receive_limit: RecordSizeLimit,
    pub(super) early_data_skip: Option<usize>,
    pub(super) peer_closed: bool,
    /// A server accepts the client's alerts in the clear after its ServerHello (see
    /// [`ConnectionCore::accept_clear_alerts_from_client`]); a client never does once it
    /// has a read key.
    pub(super) clear_alerts_from_client: bool,

    // Sending.
    pub(super) encrypter: Option<RecordEncrypter>,
    pub(super) write_epoch: Epoch,
    pub(super) send_limit: RecordSizeLimit,
    pub(super) plaintext_record_version: u16,
    pub(super) pending_handshake: Vec<u8>,
    pub(super) output: Vec<u8>,
    pub(super) sent_close_notify: bool,
    /// How many more bytes of 0-RTT data may be sent (RFC 9846 §4.3.10).
    pub(super) early_data_budget: usize,
    /// The configuration's lower key usage limit, for every write key (RFC 9846 §5.5).
    pub(super) max_records_per_key: Option<u64>,

    // After the handshake.
    pub(super) negotiated: Option<Negotiated>,
    pub(super) application_secrets: ApplicationSecrets,
    pub(super) exporter: Option<ExporterSecret>,
    pub(super) early_exporter: Option<ExporterSecret>,
    /// We sent update_requested and the peer has not sent a KeyUpdate since.
    pub(super) key_update_requested: bool,
    /// We answered an update_requested and have sent no application data since.
    pub(super) key_update_answered_while_silent: bool,

    pub(super) events: VecDeque<Event>,
    pub(super) traces: VecDeque<TraceEvent>,
    pub(super) error: Option<Error>,

    // Deferred decisions (see `deferred.rs`).
    /// The decision the connection is paused for, if any.
    pub(super) pending: Option<Pending>,
    /// How many decisions were requested so far (the last request's id).
    pub(super) requests_made: u64,
    /// One expensive step per call, when on (see `pacing.rs`).
    pub(super) pacing: Pacing,
    /// Output handed out in pieces, plaintext kept for `read` (see `buffers.rs`).
    pub(super) buffers: CallerBuffers,
}

impl ConnectionCore {
    /// A fresh core: no keys, nothing received or sent.
    pub(crate) fn new(
        provider: Arc<dyn CryptoProvider>,
        rng: Box<dyn Rng + Send>,
        now: Time,
        trace_enabled: bool,
        keylog: Option<Arc<dyn KeyLog>>,
    ) -> Self {
        Self {
            provider,
            rng,
            now,
            trace_enabled,
            keylog,
            client_random: None,
            traced_state: "START",
            suite: None,
            deframer: RecordDeframer::new(),
            decrypter: None,
            read_epoch: Epoch::Initial,
            joiner: HandshakeJoiner::new(),
            ccs_window: CcsWindow::BeforeClientHello,
            receive_limit: RecordSizeLimit::PROTOCOL_MAX,
            early_data_skip: None,
            peer_closed: false,
            clear_alerts_from_client: false,
            encrypter: None,
            write_epoch: Epoch::Initial,
            send_limit: RecordSizeLimit::PROTOCOL_MAX,
            plaintext_record_version: LEGACY_RECORD_VERSION,
            pending_handshake: Vec::new(),
            output: Vec::new(),
            sent_close_notify: false,
            early_data_budget: 0,
            max_records_per_key: None,
            negotiated: None,
            application_secrets: ApplicationSecrets::default(),
            exporter: None,
            early_exporter: None,
            key_update_requested: false,
            key_update_answered_while_silent: false,
            events: VecDeque::new(),
            traces: VecDeque::new(),
            error: None,
            pending: None,
            requests_made: 0,
            pacing: Pacing::default(),
            buffers: CallerBuffers::default(),
        }
    }

    // ----- Context the state machines read -----------------------------------------------

    /// The crypto provider (a cheap clone, so it can be used while `self` is borrowed).
    pub(crate) fn provider(&self) -> Arc<dyn CryptoProvider> {
        self.provider.clone()
    }

    /// The caller's RNG, which every random byte of the connection comes from.
    pub(crate) fn rng(&mut self) -> &mut dyn Rng {
        &mut *self.rng
    }

    /// The time passed to the call being processed.
    pub(crate) fn now(&self) -> Time {
        self.now
    }

    pub(super) fn set_now(&mut self, now: Time) {
        self.now = now;
    }

    /// Sets the suite whose AEAD protects records from now on and whose hash sizes Finished.
    pub(crate) fn set_cipher_suite(&mut self, suite: CipherSuite) {
        self.suite = Some(suite);
    }

    /// `Hash.length` of the negotiated suite: the length a Finished must have.
    pub(super) fn hash_len(&self) -> Option<usize> {
        let (_, hash) = suite_algorithms(self.suite?)?;
        Some(hash.output_len())
    }

    /// Records ClientHello.random, which keys the key log's lines.
    pub(crate) fn set_client_random(&mut self, random: [u8; 32]) {
        self.client_random = Some(random);
    }

    /// The sticky error, if the connection has failed.
    pub(crate) fn error(&self) -> Option<Error> {
        self.error
    }

    // ----- Events and traces ---------------------------------------------------------------

    /// Queues an event for the application.
    pub(crate) fn push_event(&mut self, event: Event) {
        if self.events.capacity() == 0 {
            // One slot to start with (see RETAINED_EVENT_SLOTS), not VecDeque's four.
            self.events.reserve_exact(RETAINED_EVENT_SLOTS);
        }
        self.events.push_back(event);
    }

    pub(super) fn poll_event(&mut self) -> Option<Event> {
        let event = self.events.pop_front();
        // A burst of records (say 1 MiB of application data fed at once) queues one event
        // per record; once drained, give the queue's memory back rather than keep it for
        // the life of the connection.
        if self.events.is_empty() && self.events.capacity() > RETAINED_EVENT_SLOTS {
            self.events.shrink_to(RETAINED_EVENT_SLOTS);
        }
        event
    }

    pub(super) fn poll_trace(&mut self) -> Option<TraceEvent> {
        self.traces.pop_front()
    }

    /// True if trace events are being collected (building one may cost a copy).
    pub(crate) fn tracing(&self) -> bool {
        self.trace_enabled
    }

    /// Queues a trace event, built only if tracing is on.
    pub(crate) fn trace(&mut self, event: impl FnOnce() -> TraceEvent) {
        if self.trace_enabled {
            self.traces.push_back(event());
        }
    }

    /// Traces a move of the state machine.
    pub(crate) fn state_changed(&mut self, from: &'static str, to: &'static str) {
        self.traced_state = to;
        self.trace(|| TraceEvent::StateChanged { from, to });
    }

    /// The state the trace last moved to.
    pub(crate) fn traced_state(&self) -> &'static str {
        self.traced_state
    }

    /// Reports a secret the key schedule derived: a trace event, and a key log line if it
    /// is one of the key log's secrets.
    pub(crate) fn emit_secret(&mut self, label: SecretLabel, secret: &Secret) {
        if let (Some(keylog), Some(random), Some(name)) =
            (&self.keylog, &self.client_random, label.keylog_label())
        {
            keylog.log(name, random, secret.as_bytes());
        }
        self.trace(|| TraceEvent::SecretDerived {
            label,
            secret: secret.clone(),
        });
    }

    // ----- Failing -------------------------------------------------------------------------

    /// Makes `err` the connection's sticky error and queues the alert it names, protected
    /// with the current write key if there is one. Returns the error (the first one, if the
    /// connection had already failed).
    ///
    /// RFC 9846 §6.2: "Upon transmission or receipt of a fatal alert message, both parties
    /// MUST immediately close the connection." Handshake messages not yet sent are dropped,
    /// and once the alert is out every key and secret the core holds is forgotten: record
    /// keys, application traffic secrets, exporter secrets, tickets not yet polled. The
    /// state machine's go with its state (`Connection` drops it).
    pub(crate) fn fail(&mut self, err: Error) -> Error {
        if let Some(first) = self.error {
            return first;
        }
        self.error = Some(err);
        self.pending_handshake.clear();
        if let Some(description) = err.alert() {
            // The alert is best effort: if it cannot be sent, the error still stands.
            let _ = self.send_alert(Alert::fatal(description));
        }
        self.forget_secrets();
        err
    }

    /// Drops the record keys of both directions, the application traffic secrets, the
    /// exporter secrets (each zeroizes its bytes on drop) and the tickets not yet polled,
    /// and zeroizes the plaintext kept for `read` (see `buffers.rs`).
    ///
    /// RFC 9846 §6: "Servers and clients MUST forget the secret values and keys established
    /// in failed connections, with the exception of the PSKs associated with session
    /// tickets, which SHOULD be discarded if possible."
    fn forget_secrets(&mut self) {
        self.encrypter = None;
        self.decrypter = None;
        self.application_secrets = ApplicationSecrets::default();
        self.exporter = None;
        self.early_exporter = None;
        self.joiner = HandshakeJoiner::new();
        self.events
            .retain(|event| !matches!(event, Event::NewSessionTicket(_)));
        self.buffers.forget_plaintext();
    }

    /// Sends one alert record (RFC 9846 §6), reporting it as a trace and an event.
    pub(super) fn send_alert(&mut self, alert: Alert) -> Result<(), Error> {
        let mut w = Writer::new();
        alert.encode(&mut w);
        self.send_record(ContentType::Alert, &w.finish()?)?;
        self.trace(|| TraceEvent::Alert {
            direction: Direction::Sent,
            alert,
        });
        self.push_event(Event::AlertSent(alert.description));
        Ok(())
    }

    // ----- Keys ----------------------------------------------------------------------------

    /// Protects our records from now on with the key and IV of `secret` (RFC 9846 §7.3).
    /// Handshake messages still pending go out first, under the old key.
    pub(crate) fn install_write_key(
        &mut self,
        secret: &TrafficSecret,
        epoch: Epoch,
    ) -> Result<(), Error> {
        self.flush_handshake()?;
        let key = self.traffic_key(secret, epoch, Direction::Sent)?;
        let mut encrypter = RecordEncrypter::new(key);
        encrypter.set_size_limit(self.send_limit);
        encrypter.set_max_records(self.max_records_per_key);
        self.encrypter = Some(encrypter);
        self.write_epoch = epoch;
        Ok(())
    }

    /// Sends unprotected records again: a client whose 0-RTT attempt met a
    /// HelloRetryRequest sends its second ClientHello in the clear (RFC 9846 §4.3.10).
    pub(crate) fn remove_write_key(&mut self) {
        self.encrypter = None;
        self.write_epoch = Epoch::Initial;
    }

    /// Deprotects the peer's records from now on with the key and IV of `secret`.
    pub(crate) fn install_read_key(
        &mut self,
        secret: &TrafficSecret,
        epoch: Epoch,
    ) -> Result<(), Error> {
        if !self.joiner.is_empty() {
            // RFC 9846 §5.1: "Implementations MUST verify that all messages immediately
            // preceding a key change align with a record boundary; if not, then they MUST
            // terminate the connection with an "unexpected_message" alert."
            return Err(unexpected(
                "handshake message not aligned with a key change",
            ));
        }
        let key = self.traffic_key(secret, epoch, Direction::Received)?;
        let mut decrypter = RecordDecrypter::new(key);
        decrypter.set_size_limit(self.receive_limit);
        self.decrypter = Some(decrypter);
        self.read_epoch = epoch;
        Ok(())
    }

    /// `[sender]_write_key` and `[sender]_write_iv` of `secret` under the suite's AEAD.
    fn traffic_key(
        &mut self,
        secret: &TrafficSecret,
        epoch: Epoch,
        direction: Direction,
    ) -> Result<TrafficKey, Error> {
        let suite = self.suite.ok_or(Error::Misuse(
            "traffic key before a cipher suite was chosen",
        ))?;
        let (aead, _) = suite_algorithms(suite).ok_or(CryptoError::Unsupported)?;
        let keys = secret.traffic_keys(&*self.provider, aead)?;
        let key =
            TrafficKey::from_key_and_iv(&*self.provider, aead, keys.key.as_bytes(), &keys.iv)?;
        self.trace(|| TraceEvent::KeyInstalled {
            direction,
            epoch,
            aead,
            key: keys.key.clone(),
            iv: keys.iv,
        });
        Ok(key)
    }

    /// The epoch whose key protects the records we send now.
    pub(crate) fn write_epoch(&self) -> Epoch {
        self.write_epoch
    }

    /// Stores the first application traffic secrets and installs their keys: `write` now,
    /// or later by [`ConnectionCore::install_application_write_key`].
    pub(crate) fn install_application_read_key(
        &mut self,
        secret: ApplicationTrafficSecret,
    ) -> Result<(), Error> {
        let epoch = Epoch::Application(secret.generation());
        self.install_read_key(secret.traffic(), epoch)?;
        self.application_secrets.read = Some(secret);
        Ok(())
    }

    /// Installs our application write key (generation `secret.generation()`), kept for
    /// KeyUpdate.
    pub(crate) fn install_application_write_key(
        &mut self,
        secret: ApplicationTrafficSecret,
    ) -> Result<(), Error> {
        let epoch = Epoch::Application(secret.generation());
        self.install_write_key(secret.traffic(), epoch)?;
        self.application_secrets.write = Some(secret);
        Ok(())
    }

    /// Keeps `exporter_secret` for `Connection::export_keying_material`.
    pub(crate) fn set_exporter_secret(&mut self, exporter: ExporterSecret) {
        self.exporter = Some(exporter);
    }

    /// Keeps `early_exporter_secret` (RFC 9846 §7.5) for 0-RTT exporters.
    pub(crate) fn set_early_exporter_secret(&mut self, exporter: ExporterSecret) {
        self.early_exporter = Some(exporter);
    }

    /// The handshake is complete: keeps `negotiated` and tells the application.
    pub(crate) fn complete_handshake(&mut self, negotiated: Negotiated) {
        self.negotiated = Some(negotiated.clone());
        self.push_event(Event::HandshakeComplete(negotiated));
    }

    // ----- Record-level policy the state machines set --------------------------------------

    /// Opens or closes the window in which dummy change_cipher_spec records are dropped.
    pub(crate) fn set_ccs_window(&mut self, window: CcsWindow) {
        self.ccs_window = window;
    }

    /// The limit on records we send: the peer's record_size_limit (RFC 8449) or the
    /// negotiated max_fragment_length (RFC 6066). Applies to protected records.
    pub(crate) fn set_send_limit(&mut self, limit: RecordSizeLimit) {
        self.send_limit = limit;
        if let Some(encrypter) = self.encrypter.as_mut() {
            encrypter.set_size_limit(limit);
        }
    }

    /// The limit on records we receive: what we advertised. The deframer then refuses a
    /// longer record by its header, and never buffers more than one such record.
    pub(crate) fn set_receive_limit(&mut self, limit: RecordSizeLimit) {
        self.receive_limit = limit;
        self.deframer.set_size_limit(limit);
        if let Some(decrypter) = self.decrypter.as_mut() {
            decrypter.set_size_limit(limit);
        }
    }

    /// Lowers the number of records each of our write keys may protect before a KeyUpdate
    /// (the configurations' `max_records_per_key`); `None`: RFC 9846 §5.5's limits.
    pub(crate) fn set_max_records_per_key(&mut self, max_records: Option<u64>) {
        self.max_records_per_key = max_records;
    }

    /// For a server: accepts a client's alert in the clear under the early read key, and
    /// under the handshake read key until the first protected record (RFC 9846
    /// Appendix A.1: "clients may send alerts that derive from post-ServerHello messages in
    /// the clear or with the early data keys"). Anything else unprotected after a read key
    /// is installed is unexpected_message.
    pub(crate) fn accept_clear_alerts_from_client(&mut self) {
        self.clear_alerts_from_client = true;
    }

    /// The `legacy_record_version` of unprotected records we send: 0x0301 is allowed for
    /// an initial ClientHello (RFC 9846 §5.1), 0x0303 everywhere else.
    pub(crate) fn set_plaintext_record_version(&mut self, version: u16) {
        self.plaintext_record_version = version;
    }

    /// A server that rejected 0-RTT skips up to `max_early_data_size` bytes of records it
    /// cannot deprotect (or, after a HelloRetryRequest, of application_data records).
    ///
    /// RFC 9846 §4.3.10: the server "skips past early data by attempting to deprotect
    /// received records using the handshake traffic key, discarding records which fail
    /// deprotection (up to the configured max_early_data_size). Once a record is deprotected
    /// successfully, it is treated as the start of the client's second flight".
    pub(crate) fn skip_rejected_early_data(&mut self, max_early_data_size: u32) {
        self.early_data_skip = Some(max_early_data_size as usize);
    }
}

pub(crate) use crate::error::unexpected_message as unexpected;
