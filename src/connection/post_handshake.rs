//! What both roles do once the handshake is over: application data, KeyUpdate
//! (RFC 9846 §4.7.3, §7.2), exporters (RFC 9846 §7.5) and close_notify (RFC 9846 §6.1).
//! These are more methods on [`ConnectionCore`]; the state machines' CONNECTED states call
//! [`ConnectionCore::receive_key_update`], and the public API calls the rest.
//!
//! KeyUpdate rules implemented here:
//! - a KeyUpdate is sent under the old key, then our write key moves to the next generation;
//! - a received KeyUpdate must end its record (RFC 9846 §5.1), then the read key moves on;
//! - update_requested is answered with one update_not_requested before our next application
//!   data; several requests received while we are silent get a single answer;
//! - we do not request again until the peer has sent a KeyUpdate since our last request;
//! - our write generation never exceeds 2^48 - 1;
//! - when our write key nears its usage limit (RFC 9846 §5.5), `write` updates it before
//!   the next record, however long the write.
//!
//! Not here: post-handshake authentication (RFC 9846 §4.7.2), which lucid-tls does not
//! offer, and NewSessionTicket (the roles' own business).

use alloc::vec::Vec;

use crate::error::Error;
use crate::key_schedule::ApplicationTrafficSecret;
use crate::record::encrypter::RecordEncrypter;
use crate::trace::Direction;
use crate::wire::alert::{Alert, AlertDescription};
use crate::wire::codes::{ContentType, KeyUpdateRequest};
use crate::wire::handshake::HandshakeMessage;
use crate::wire::key_update::KeyUpdate;

use super::core::ConnectionCore;
use super::event::Event;

/// RFC 9846 §4.7.3: "sending implementations MUST NOT allow the epoch -- and hence the
/// number of key updates -- to exceed 2^48-1."
pub const MAX_KEY_UPDATES: u64 = (1 << 48) - 1;

impl ConnectionCore {
    /// Checks that application data may be sent now: the caller's mistakes, before
    /// anything is queued (not fatal to the connection).
    pub(super) fn check_can_write(&self) -> Result<(), Error> {
        if self.sent_close_notify {
            return Err(Error::Misuse("write after close"));
        }
        if !self.can_send_application_data() {
            return Err(Error::Misuse("write before the handshake completed"));
        }
        Ok(())
    }

    /// Sends `data` as application data records within the peer's size limit, updating
    /// our write key before any record that would bring it to its usage limit. An error
    /// here may leave part of `data` queued: the caller makes it fatal.
    ///
    /// RFC 9846 §5.5: "Implementations MUST either close the connection or do a key update
    /// as described in Section 4.7.3 prior to reaching these limits." Checked per record,
    /// so that no write, however long, runs into the limit.
    pub(super) fn send_application_data(&mut self, data: &[u8]) -> Result<(), Error> {
        let max = self
            .encrypter()
            .map_or(1, |e| e.size_limit().max_content_len().max(1));
        if data.is_empty() {
            return Ok(());
        }
        // Room for every record at once, so that the output queue is not regrown record by
        // record (`write_records` reserves per call, and each call is one record here).
        let records = data.len().div_ceil(max);
        self.output.reserve(
            data.len()
                .saturating_add(records.saturating_mul(RecordEncrypter::record_len(0, 0))),
        );
        for record in data.chunks(max) {
            if self.encrypter().is_some_and(|e| e.needs_key_update()) {
                self.send_key_update(false)?;
            }
            self.send_record(ContentType::ApplicationData, record)?;
        }
        self.key_update_answered_while_silent = false;
        Ok(())
    }

    /// Sends a KeyUpdate and moves our write key to the next generation.
    pub(super) fn send_key_update(&mut self, request_peer: bool) -> Result<(), Error> {
        // RFC 9846 §6.1: close_notify "notifies the recipient that the sender will not send
        // any more messages on this connection".
        if self.sent_close_notify {
            return Err(Error::Misuse("KeyUpdate after close"));
        }
        if !self.can_send_application_data() {
            return Err(Error::Misuse("KeyUpdate before the handshake completed"));
        }
        if request_peer && self.key_update_requested {
            // RFC 9846 §4.7.3: "Until receiving a subsequent KeyUpdate from the peer, the
            // sender MUST NOT send another KeyUpdate with request_update set to
            // "update_requested"."
            return Err(Error::Misuse(
                "a KeyUpdate requesting an update is already outstanding",
            ));
        }
        let current = self
            .application_secrets
            .write
            .take()
            .ok_or(Error::Misuse("no application write secret"))?;
        if current.generation() >= MAX_KEY_UPDATES {
            self.application_secrets.write = Some(current);
            return Err(Error::Misuse("KeyUpdate limit of 2^48 - 1 reached"));
        }
        let request_update = if request_peer {
            KeyUpdateRequest::UpdateRequested
        } else {
            KeyUpdateRequest::UpdateNotRequested
        };
        // RFC 9846 §4.7.3: "Both sender and receiver MUST encrypt their KeyUpdate messages
        // with the old keys."
        let message = HandshakeMessage::KeyUpdate(KeyUpdate { request_update });
        self.send_handshake(&message, None)?;
        let next = self.next_generation(current)?;
        // RFC 9846 §4.7.3: "After sending a KeyUpdate message, the sender SHALL send all
        // its traffic using the next generation of keys".
        self.install_application_write_key(next)?;
        self.key_update_requested |= request_peer;
        self.push_event(Event::KeyUpdated {
            direction: Direction::Sent,
        });
        Ok(())
    }

    /// Handles a KeyUpdate from the peer: moves the read key on, and answers a request.
    pub(crate) fn receive_key_update(&mut self, key_update: &KeyUpdate) -> Result<(), Error> {
        let current = self
            .application_secrets
            .read
            .take()
            .ok_or(Error::PeerMisbehaved {
                // RFC 9846 §4.7.3: "Implementations that receive a KeyUpdate message prior to
                // receiving a Finished message MUST terminate the connection with an
                // "unexpected_message" alert."
                alert: AlertDescription::UnexpectedMessage,
                reason: "KeyUpdate before the handshake completed",
            })?;
        let requested = match key_update.request_update {
            KeyUpdateRequest::UpdateNotRequested => false,
            KeyUpdateRequest::UpdateRequested => true,
            // RFC 9846 §4.7.3: "If an implementation receives any other value, it MUST
            // terminate the connection with an "illegal_parameter" alert."
            KeyUpdateRequest::Unknown(_) => {
                return Err(Error::PeerMisbehaved {
                    alert: AlertDescription::IllegalParameter,
                    reason: "KeyUpdate request_update is neither 0 nor 1",
                });
            }
        };
        // RFC 9846 §4.7.3: "Upon receiving a KeyUpdate, the receiver MUST update its
        // receiving keys." Receivers do not enforce the 2^48 limit ("receiving
        // implementations MUST NOT enforce this rule").
        let next = self.next_generation(current)?;
        self.install_application_read_key(next)?;
        self.key_update_requested = false;
        self.push_event(Event::KeyUpdated {
            direction: Direction::Received,
        });
        let can_answer = self
            .application_secrets
            .write
            .as_ref()
            .is_some_and(|w| w.generation() < MAX_KEY_UPDATES);
        // RFC 9846 §4.7.3: the receiver "MUST send a KeyUpdate of its own with
        // request_update set to "update_not_requested" prior to sending its next
        // Application Data record", which "causes an implementation which receives
        // multiple KeyUpdates while it is silent to respond with a single update". Past the
        // 2^48 limit it "SHOULD instead ignore the "update_requested" flag".
        if requested
            && can_answer
            && !self.key_update_answered_while_silent
            && !self.sent_close_notify
        {
            self.send_key_update(false)?;
            self.key_update_answered_while_silent = true;
        }
        Ok(())
    }

    /// `application_traffic_secret_N+1` (RFC 9846 §7.2), reported as a secret.
    fn next_generation(
        &mut self,
        current: ApplicationTrafficSecret,
    ) -> Result<ApplicationTrafficSecret, Error> {
        let provider = self.provider();
        let mut derived = Vec::new();
        let next = current.next_generation(&*provider, &mut |label, secret| {
            derived.push((label, secret.clone()));
        })?;
        for (label, secret) in derived {
            self.emit_secret(label, &secret);
        }
        Ok(next)
    }

    /// Sends close_notify (RFC 9846 §6.1): "Each party MUST send a "close_notify" alert
    /// before closing its write side of the connection". Nothing more is sent afterwards.
    pub(super) fn send_close_notify(&mut self) -> Result<(), Error> {
        if self.sent_close_notify || self.error().is_some() {
            return Ok(());
        }
        self.send_alert(Alert::close_notify())?;
        self.sent_close_notify = true;
        Ok(())
    }

    /// `TLS-Exporter(label, context_value, key_length)` (RFC 9846 §7.5) into `out`, from
    /// the exporter secret or, with `early`, the early exporter secret (which exists when
    /// 0-RTT was offered).
    ///
    /// RFC 9846 §7.5: "If no context is provided, the context_value is zero length.
    /// Consequently, providing no context computes the same value as providing an empty
    /// context."
    pub(super) fn export_keying_material(
        &self,
        early: bool,
        label: &[u8],
        context: Option<&[u8]>,
        out: &mut [u8],
    ) -> Result<(), Error> {
        let exporter = match early {
            false => self.exporter.as_ref(),
            true => self.early_exporter.as_ref(),
        };
        let exporter =
            exporter.ok_or(Error::Misuse("that exporter secret is not available (yet)"))?;
        exporter.export(&*self.provider(), label, context.unwrap_or(&[]), out)?;
        Ok(())
    }
}
