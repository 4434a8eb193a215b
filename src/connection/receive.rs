//! Records in: bytes → records → deprotected content → whole handshake messages, with the
//! record-level rules of RFC 9846 §5 applied on the way. More methods on
//! [`ConnectionCore`].
//!
//! ```text
//!   feed_bytes ─► RecordDeframer ─► one record ─┬─ change_cipher_spec ─► drop or refuse (ccs.rs)
//!                                               ├─ no read key ─► TLSPlaintext
//!                                               └─ read key ────► RecordDecrypter
//!        content ─┬─ handshake ─► HandshakeJoiner ─► Input::Handshake (decoded message)
//!                 ├─ alert ─────► close_notify / error alert
//!                 └─ application_data ─► Input::ApplicationData
//! ```
//!
//! A record is read only once every message of the previous one was handled, so a state
//! machine that installs a new read key after a message affects the very next record.

use alloc::vec::Vec;

use crate::crypto::{AEAD_TAG_LEN, CryptoError};
use crate::error::Error;
use crate::record::check_unprotected;
use crate::record::deframer::RecordDeframer;
use crate::trace::{Direction, Epoch, TraceEvent};
use crate::wire::alert::{Alert, AlertDescription};
use crate::wire::codes::ContentType;
use crate::wire::handshake::HandshakeMessage;
use crate::wire::record::{RECORD_HEADER_LEN, TLSPlaintext};

use super::core::{ConnectionCore, unexpected};
use super::event::Event;

/// A handshake message the core joined, decoded and hands to the state machine.
#[derive(Debug)]
pub struct HandshakeInput {
    /// The decoded message.
    pub message: HandshakeMessage,
    /// Its bytes, header included, exactly as received: what goes into the transcript.
    pub bytes: Vec<u8>,
    /// The read epoch it arrived under.
    pub epoch: Epoch,
}

/// One thing received, for the state machine.
#[derive(Debug)]
pub enum Input {
    /// A whole handshake message.
    Handshake(HandshakeInput),
    /// The content of one application_data record.
    ApplicationData(Vec<u8>),
}

/// What reading one record gave: content for the layer above, or nothing (a dropped
/// dummy change_cipher_spec, or skipped 0-RTT data).
enum Received {
    /// The record's content, `len` bytes that stay where they are in the deframer's buffer
    /// ([`content_of_last_record`]): a handshake fragment goes straight to the joiner, with
    /// no copy of its own.
    Content(ContentType, usize),
    Dropped,
}

/// The content of the record the deframer handed out last, `len` bytes long. Deprotected or
/// parsed in place, a record's content always starts right after its 5-byte header (RFC
/// 9846 §5.1, §5.2).
fn content_of_last_record(deframer: &RecordDeframer, len: usize) -> &[u8] {
    deframer
        .last_record()
        .get(RECORD_HEADER_LEN..RECORD_HEADER_LEN + len)
        .unwrap_or(&[])
}

impl ConnectionCore {
    /// Buffers received bytes; returns how many were taken (see [`RecordDeframer::feed`]).
    pub(super) fn feed_bytes(&mut self, input: &[u8]) -> usize {
        self.deframer.feed(input)
    }

    /// The next handshake message or application data, or `None` until more bytes arrive.
    ///
    /// Dummy change_cipher_spec records are dropped, alerts are handled here (close_notify
    /// becomes [`Event::PeerClosed`]; an error alert fails the connection), and a handshake
    /// message comes out only when all of it is in.
    pub(crate) fn next_input(&mut self) -> Result<Option<Input>, Error> {
        loop {
            if let Some((bytes, epoch)) = self.joiner.next_message()? {
                let message = HandshakeMessage::decode(&bytes, self.hash_len())?;
                self.trace(|| TraceEvent::HandshakeMessage {
                    direction: Direction::Received,
                    message: message.clone(),
                    bytes: bytes.clone(),
                });
                return Ok(Some(Input::Handshake(HandshakeInput {
                    message,
                    bytes,
                    epoch,
                })));
            }
            if self.peer_closed {
                return Ok(None);
            }
            let (content_type, len) = match self.read_record()? {
                None => return Ok(None),
                Some(Received::Dropped) => continue,
                Some(Received::Content(content_type, len)) => (content_type, len),
            };
            let content = content_of_last_record(&self.deframer, len);
            if content_type != ContentType::Handshake && !self.joiner.is_empty() {
                // RFC 9846 §5.1: "Handshake messages MUST NOT be interleaved with other
                // record types."
                return Err(unexpected(
                    "record interleaved with a fragmented handshake message",
                ));
            }
            match content_type {
                ContentType::Handshake => self.joiner.push(content, self.read_epoch)?,
                ContentType::Alert => {
                    let alert = decode_alert(content)?;
                    self.alert_received(alert)?;
                }
                ContentType::ApplicationData => {
                    // The content is copied into a vector recycled from an earlier record.
                    let data = self.buffers.copy_of(content);
                    return Ok(Some(Input::ApplicationData(data)));
                }
                ContentType::ChangeCipherSpec => {
                    self.ccs_window.check_received(content)?;
                    self.trace(|| TraceEvent::ChangeCipherSpec {
                        direction: Direction::Received,
                    });
                }
                // The deframer and the record checks let no other type through.
                ContentType::Invalid | ContentType::Unknown(_) => {
                    return Err(unexpected("unknown record type"));
                }
            }
        }
    }

    /// Takes one record off the deframer and deprotects or parses it.
    fn read_record(&mut self) -> Result<Option<Received>, Error> {
        let Some(record) = self.deframer.next_record()? else {
            return Ok(None);
        };
        let outer_type = record.header.content_type;
        let record_len = record.bytes.len();
        if self.trace_enabled {
            self.traces.push_back(TraceEvent::Record {
                direction: Direction::Received,
                content_type: outer_type,
                bytes: record.bytes.to_vec(),
            });
        }
        let decrypter = match (&mut self.decrypter, outer_type) {
            // RFC 9846 §5: a dummy change_cipher_spec "may appear at a point at the
            // handshake where the implementation is expecting protected records, and so it
            // is necessary to detect this condition prior to attempting to deprotect".
            (_, ContentType::ChangeCipherSpec) | (None, _) => {
                // RFC 9846 §4.3.10: after a HelloRetryRequest, the server "ignores early
                // data by skipping all records with an external content type of
                // "application_data" (indicating that they are encrypted), up to the
                // configured max_early_data_size." Encrypted, so up to 2^14 + 256 bytes
                // long: skipped before the length limit of a plaintext record applies.
                if outer_type == ContentType::ApplicationData
                    && skip_early_data(&mut self.early_data_skip, record_len)
                {
                    return Ok(Some(Received::Dropped));
                }
                let plaintext = TLSPlaintext::parse(record.bytes)?;
                let (content_type, len) = (plaintext.content_type, plaintext.fragment.len());
                check_unprotected(content_type, len)?;
                return Ok(Some(Received::Content(content_type, len)));
            }
            (Some(decrypter), ContentType::ApplicationData) => decrypter,
            (Some(decrypter), ContentType::Alert)
                if self.clear_alerts_from_client
                    && match self.read_epoch {
                        Epoch::Early => true,
                        Epoch::Handshake => decrypter.sequence_number() == 0,
                        Epoch::Initial | Epoch::Application(_) => false,
                    } =>
            {
                // RFC 9846 Appendix A.1: "clients may send alerts that derive from
                // post-ServerHello messages in the clear or with the early data keys."
                // A client that failed on our ServerHello (or later in our flight) before it
                // switched to its handshake key sends its alert in the clear: accepted under
                // the early key, and under the handshake key until its first protected
                // record. A server has its handshake key before it sends anything after the
                // ServerHello, so a client accepts no alert in the clear once it has a read
                // key (RFC 9846 §5.1: "Once record protection has started, TLSPlaintext
                // records are protected").
                let plaintext = TLSPlaintext::parse(record.bytes)?;
                return Ok(Some(Received::Content(
                    ContentType::Alert,
                    plaintext.fragment.len(),
                )));
            }
            (Some(_), _) => {
                // RFC 9846 §5.1: once protection has started, records are protected; an
                // unprotected handshake record now is "an unexpected record type".
                return Err(unexpected("unprotected record after keys were installed"));
            }
        };
        let result = decrypter
            .decrypt_in_place(record.bytes)
            .map(|plaintext| (plaintext.content_type, plaintext.fragment.len()));
        match result {
            Ok((content_type, len)) => {
                // RFC 9846 §4.3.10: "Once a record is deprotected successfully, it is
                // treated as the start of the client's second flight".
                self.early_data_skip = None;
                Ok(Some(Received::Content(content_type, len)))
            }
            // Rejected 0-RTT data, protected under a key we do not use: skipped within the
            // budget, and past it a deprotection failure like any other (bad_record_mac).
            Err(Error::Crypto(CryptoError::AeadTagMismatch))
                if skip_early_data(&mut self.early_data_skip, record_len) =>
            {
                Ok(Some(Received::Dropped))
            }
            Err(err) => Err(err),
        }
    }

    /// Handles the content of an alert record.
    pub(super) fn receive_alert(&mut self, content: &[u8]) -> Result<(), Error> {
        let alert = decode_alert(content)?;
        self.alert_received(alert)
    }

    fn alert_received(&mut self, alert: Alert) -> Result<(), Error> {
        self.trace(|| TraceEvent::Alert {
            direction: Direction::Received,
            alert,
        });
        self.push_event(Event::AlertReceived(alert.description));
        match alert.description {
            // RFC 9846 §6.1: close_notify: "Any data received after a closure alert has
            // been received MUST be ignored."
            AlertDescription::CloseNotify => {
                self.peer_closed = true;
                self.push_event(Event::PeerClosed);
                Ok(())
            }
            // RFC 9846 §6.1: user_canceled "MUST be followed by a "close_notify"" and
            // "Receiving implementations SHOULD continue to read data from the peer until
            // a "close_notify" is received".
            AlertDescription::UserCanceled => Ok(()),
            // RFC 9846 §6: "All the alerts listed in Section 6.2 MUST be sent with
            // AlertLevel=fatal and MUST be treated as error alerts when received regardless
            // of the AlertLevel in the message. Unknown Alert types MUST be treated as error
            // alerts."
            description => Err(Error::AlertReceived(description)),
        }
    }
}

/// The one alert an alert record holds.
fn decode_alert(content: &[u8]) -> Result<Alert, Error> {
    // RFC 9846 §5.1: "a record with an Alert type MUST contain exactly one message."
    Ok(Alert::decode(content)?)
}

/// Spends the skipping budget (`skip`, see `ConnectionCore::skip_rejected_early_data`) on
/// a record of `record_len` bytes (counted without its header and tag, as the 0-RTT
/// plaintext it carries at most); false if the budget does not cover it or there is none.
fn skip_early_data(skip: &mut Option<usize>, record_len: usize) -> bool {
    let len = record_len.saturating_sub(RECORD_HEADER_LEN + AEAD_TAG_LEN);
    match *skip {
        Some(budget) if len <= budget => {
            *skip = Some(budget - len);
            true
        }
        _ => false,
    }
}
