//! Records out: handshake messages coalesced per epoch, the dummy change_cipher_spec,
//! alerts and application data, cut to the peer's size limit and protected with the current
//! write key (RFC 9846 §5.1, §5.2). More methods on [`ConnectionCore`].
//!
//! Handshake messages are held until something else must be sent, the write key changes,
//! or the caller takes the output, so a flight goes out in as few records as fit: RFC 8448
//! §3's server sends EncryptedExtensions, Certificate, CertificateVerify and Finished in one
//! record. RFC 9846 §5.1 requires messages that precede a key change to end their record,
//! which holds because a key change flushes first.

use alloc::vec::Vec;

use crate::error::Error;
use crate::record::encrypter::{Padding, RecordEncrypter};
use crate::trace::{Direction, Epoch, TraceEvent};
use crate::transcript::Transcript;
use crate::wire::codes::ContentType;
use crate::wire::handshake::HandshakeMessage;
use crate::wire::record::{
    MAX_CIPHERTEXT_RECORD_LEN, MAX_PLAINTEXT_LEN, RECORD_HEADER_LEN, TLSPlaintext,
};

use super::ccs::DUMMY_CHANGE_CIPHER_SPEC_RECORD;
use super::core::ConnectionCore;

impl ConnectionCore {
    /// Encodes `msg`, adds it to `transcript` (if given), queues it for the current write
    /// epoch and returns its bytes (header included).
    ///
    /// The message shares records with the other handshake messages of its epoch; it goes
    /// out when the key changes, another record type is sent, or the output is taken.
    pub(crate) fn send_handshake(
        &mut self,
        msg: &HandshakeMessage,
        transcript: Option<&mut Transcript>,
    ) -> Result<Vec<u8>, Error> {
        let bytes = msg.encode()?;
        if let Some(transcript) = transcript {
            transcript.add(&bytes);
        }
        self.pending_handshake.extend_from_slice(&bytes);
        self.trace(|| TraceEvent::HandshakeMessage {
            direction: Direction::Sent,
            message: msg.clone(),
            bytes: bytes.clone(),
        });
        Ok(bytes)
    }

    /// Sends the dummy change_cipher_spec record of middlebox compatibility mode
    /// (RFC 9846 Appendix E.4). It is never protected (RFC 9846 §5).
    pub(crate) fn send_dummy_change_cipher_spec(&mut self) -> Result<(), Error> {
        self.flush_handshake()?;
        self.output
            .extend_from_slice(&DUMMY_CHANGE_CIPHER_SPEC_RECORD);
        self.trace(|| TraceEvent::Record {
            direction: Direction::Sent,
            content_type: ContentType::ChangeCipherSpec,
            bytes: DUMMY_CHANGE_CIPHER_SPEC_RECORD.to_vec(),
        });
        self.trace(|| TraceEvent::ChangeCipherSpec {
            direction: Direction::Sent,
        });
        Ok(())
    }

    /// Sends the pending handshake messages.
    pub(crate) fn flush_handshake(&mut self) -> Result<(), Error> {
        if self.pending_handshake.is_empty() {
            return Ok(());
        }
        let pending = core::mem::take(&mut self.pending_handshake);
        self.write_records(ContentType::Handshake, &pending)
    }

    /// Sends `content` as records of `content_type`, after any pending handshake messages.
    pub(super) fn send_record(
        &mut self,
        content_type: ContentType,
        content: &[u8],
    ) -> Result<(), Error> {
        self.flush_handshake()?;
        self.write_records(content_type, content)
    }

    /// Cuts `content` into records that fit the limits and protects them if a write key is
    /// installed.
    fn write_records(&mut self, content_type: ContentType, content: &[u8]) -> Result<(), Error> {
        let max = match &self.encrypter {
            Some(encrypter) => encrypter.size_limit().max_content_len(),
            // RFC 8449 §4: "Unprotected messages are not subject to this limit."
            None => MAX_PLAINTEXT_LEN,
        };
        // Zero-length content still makes one (application data) record.
        let empty: &[u8] = &[];
        let pieces = content
            .chunks(max.max(1))
            .chain(content.is_empty().then_some(empty));
        let records = content.len().div_ceil(max.max(1)).max(1);
        // Room for every record at once: a large write must not regrow (and recopy) the
        // output queue record by record.
        let overhead = RecordEncrypter::record_len(0, 0);
        self.output.reserve(
            content
                .len()
                .saturating_add(records.saturating_mul(overhead)),
        );
        for piece in pieces {
            let start = self.output.len();
            match self.encrypter.as_mut() {
                // Protected records are built in place at the end of the output queue: no
                // record-sized temporary, and the content is copied once.
                Some(encrypter) => {
                    let len =
                        RecordEncrypter::record_len(piece.len(), 0).min(MAX_CIPHERTEXT_RECORD_LEN);
                    self.output.reserve(len);
                    self.output.extend_from_slice(&[0; RECORD_HEADER_LEN]);
                    self.output.extend_from_slice(piece);
                    self.output.resize(start + len, 0);
                    let record = self.output.get_mut(start..).unwrap_or_default();
                    match encrypter.encrypt_in_place(
                        content_type,
                        record,
                        piece.len(),
                        Padding::None,
                    ) {
                        Ok(written) => self.output.truncate(start + written),
                        Err(err) => {
                            self.output.truncate(start);
                            return Err(err);
                        }
                    }
                }
                None => {
                    let record = TLSPlaintext {
                        content_type,
                        legacy_record_version: self.plaintext_record_version,
                        fragment: piece,
                    }
                    .to_bytes()?;
                    self.output.extend_from_slice(&record);
                }
            }
            if self.trace_enabled {
                let bytes = self.output.get(start..).unwrap_or_default().to_vec();
                self.traces.push_back(TraceEvent::Record {
                    direction: Direction::Sent,
                    content_type: ContentType::from_u8(bytes.first().copied().unwrap_or(0)),
                    bytes,
                });
            }
        }
        Ok(())
    }

    /// True if `take_output` would return bytes.
    pub(super) fn has_output(&self) -> bool {
        !self.output.is_empty() || (!self.pending_handshake.is_empty() && !self.holds_flight())
    }

    /// All bytes to send, pending handshake messages included, except while a deferred
    /// decision is pending: the flight being built is then held back, so that it goes out
    /// in the same records as it would without the pause.
    pub(super) fn take_output(&mut self) -> Vec<u8> {
        self.flush_for_output();
        self.drop_taken_output();
        core::mem::take(&mut self.output)
    }

    /// Flushes the pending handshake messages into the output, unless paused.
    pub(super) fn flush_for_output(&mut self) {
        if !self.holds_flight()
            && let Err(err) = self.flush_handshake()
        {
            self.fail(err);
        }
    }

    /// True if our records are protected under an application traffic key.
    pub(super) fn can_send_application_data(&self) -> bool {
        matches!(self.write_epoch, Epoch::Application(_)) && self.encrypter.is_some()
    }

    /// The write encrypter, for the post-handshake checks on key usage.
    pub(super) fn encrypter(&self) -> Option<&RecordEncrypter> {
        self.encrypter.as_ref()
    }

    /// Allows `max_early_data_size` bytes of 0-RTT data under the early write key.
    pub(crate) fn set_early_data_budget(&mut self, max_early_data_size: u32) {
        self.early_data_budget = max_early_data_size as usize;
    }

    /// True while our records go out under the early traffic key (RFC 9846 §2.3).
    pub(crate) fn can_send_early_data(&self) -> bool {
        self.write_epoch == Epoch::Early && self.encrypter.is_some()
    }

    /// Sends 0-RTT application data under the early traffic key.
    ///
    /// RFC 9846 §4.7.1: max_early_data_size is "The maximum amount of 0-RTT data that the
    /// client is allowed to send when using this ticket, in bytes. Only Application Data
    /// payload (i.e., plaintext but not padding or the inner content type byte) is
    /// counted."
    pub(crate) fn send_early_data(&mut self, data: &[u8]) -> Result<(), Error> {
        if !self.can_send_early_data() {
            return Err(Error::Misuse(
                "no 0-RTT: not offered, rejected, or the server's Finished arrived",
            ));
        }
        let budget = self
            .early_data_budget
            .checked_sub(data.len())
            .ok_or(Error::Misuse(
                "early data beyond the ticket's max_early_data_size",
            ))?;
        self.early_data_budget = budget;
        self.send_record(ContentType::ApplicationData, data)
    }
}
