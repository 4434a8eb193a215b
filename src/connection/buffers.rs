//! Caller-owned buffers: the connection's output written into the caller's buffer, the
//! plaintext read into the caller's buffer, and application data records sealed and opened
//! in the caller's buffer, with no allocation per record.
//!
//! Three levels, from the most convenient to the fastest:
//!
//! | direction | copies into and out of the connection | in place, in the caller's buffer |
//! |-----------|----------------------------------------|----------------------------------|
//! | out | [`Connection::write`], then [`Connection::write_tls_into`] (or `write_tls` to an `io::Write`) | [`Connection::seal_in_place`] |
//! | in  | [`Connection::feed`], then [`Connection::read`] (after [`Connection::enable_reader`]) | [`Connection::open_in_place`] |
//!
//! `take_output` and `Event::ApplicationData` keep working: they hand out vectors. Once a
//! connection is switched to its reader ([`Connection::enable_reader`]) application data
//! is kept for [`Connection::read`] instead of becoming events, and the connection keeps
//! its receive buffer between calls, so that in a steady state nothing is allocated.
//!
//! The in-place calls do the record layer's work (RFC 9846 §5.2) on the caller's bytes:
//! sealing writes the header, the content type and the tag around content the caller put
//! in place; opening decrypts a record where it lies and returns its content as a slice of
//! the caller's buffer. A record that is not application data (a KeyUpdate, a
//! NewSessionTicket, an alert) is handed to the engine as if it had been fed.
//!
//! Not here: the records themselves (`crate::record`), and the adapters to sockets.

use alloc::vec::Vec;

use zeroize::Zeroize;

use crate::error::Error;
use crate::record::deframer::check_header;
use crate::record::encrypter::{Padding, RecordEncrypter};
use crate::time::Time;
use crate::trace::{Direction, Epoch, TraceEvent};
use crate::wire::codes::ContentType;
use crate::wire::record::{RECORD_HEADER_LEN, RecordHeader};

use super::core::{ConnectionCore, unexpected};
use super::event::Event;
use super::{Connection, Role};

/// The connection's side of the caller-owned buffers: how much of the output was already
/// handed out, and the plaintext kept for `read`.
#[derive(Debug, Default)]
pub(super) struct CallerBuffers {
    /// Bytes at the front of `ConnectionCore::output` already written out.
    output_taken: usize,
    /// Application data goes to `plaintext` instead of `Event::ApplicationData`.
    reader: bool,
    /// Application data not read yet, from `plaintext_read` on.
    plaintext: Vec<u8>,
    plaintext_read: usize,
    /// A vector kept for the next record's content, so that it is not allocated again.
    spare: Vec<u8>,
}

impl CallerBuffers {
    /// True once the connection keeps application data for `read`.
    pub(super) fn reader_enabled(&self) -> bool {
        self.reader
    }

    /// Zeroizes and drops the plaintext not read yet and the recycled vector (which held an
    /// earlier record's plaintext): on a fatal error, with the connection's keys.
    pub(super) fn forget_plaintext(&mut self) {
        self.plaintext.zeroize();
        self.spare.zeroize();
        self.plaintext = Vec::new();
        self.spare = Vec::new();
        self.plaintext_read = 0;
    }

    /// A copy of `content` in a vector recycled from an earlier record.
    pub(super) fn copy_of(&mut self, content: &[u8]) -> Vec<u8> {
        let mut copy = core::mem::take(&mut self.spare);
        copy.clear();
        copy.extend_from_slice(content);
        copy
    }
}

impl ConnectionCore {
    /// Delivers the content of one application_data record: to `read` when the reader is
    /// enabled (the vector is kept for the next record), as an event otherwise.
    pub(crate) fn deliver_application_data(&mut self, data: Vec<u8>) {
        let buffers = &mut self.buffers;
        if !buffers.reader {
            self.push_event(Event::ApplicationData(data));
            return;
        }
        if buffers.plaintext_read == buffers.plaintext.len() {
            // Nothing unread: the record's vector becomes the plaintext buffer.
            buffers.plaintext_read = 0;
            buffers.spare = core::mem::replace(&mut buffers.plaintext, data);
        } else {
            buffers.plaintext.extend_from_slice(&data);
            buffers.spare = data;
        }
    }

    /// The decrypted content of a record opened in place that is not application data:
    /// what `next_input` does with a record's content (handshake messages to the joiner,
    /// alerts handled here); `process` then hands the messages to the state machine.
    fn receive_decrypted(
        &mut self,
        content_type: ContentType,
        content: &[u8],
    ) -> Result<(), Error> {
        match content_type {
            ContentType::Handshake => self.joiner.push(content, self.read_epoch),
            ContentType::Alert => self.receive_alert(content),
            // RFC 9846 §5: "If a TLS implementation receives an unexpected record type, it
            // MUST terminate the connection with an "unexpected_message" alert."
            _ => Err(unexpected(
                "unexpected record type inside a protected record",
            )),
        }
    }

    /// The output not yet handed out.
    fn pending_output(&self) -> &[u8] {
        self.output
            .get(self.buffers.output_taken..)
            .unwrap_or_default()
    }

    /// Marks `n` more bytes of output as handed out; once all are, the queue is emptied
    /// (keeping its memory for the next records).
    fn output_written(&mut self, n: usize) {
        self.buffers.output_taken = self.buffers.output_taken.saturating_add(n);
        if self.buffers.output_taken >= self.output.len() {
            self.output.clear();
            self.buffers.output_taken = 0;
        }
    }

    /// `take_output` on a queue part of which was already written out.
    pub(super) fn drop_taken_output(&mut self) {
        let taken = core::mem::take(&mut self.buffers.output_taken);
        self.output.drain(..taken.min(self.output.len()));
    }
}

impl<S: Role> Connection<S> {
    /// Copies as much of the output as fits into `out` and returns how many bytes it wrote;
    /// the rest stays queued for the next call (0: nothing to send). Send them in order.
    pub fn write_tls_into(&mut self, out: &mut [u8]) -> usize {
        self.flush_for_output();
        let pending = self.core.pending_output();
        let n = pending.len().min(out.len());
        if let (Some(to), Some(from)) = (out.get_mut(..n), pending.get(..n)) {
            to.copy_from_slice(from);
        }
        self.core.output_written(n);
        n
    }

    /// Writes the output to `writer`, as much as it takes: what it does not take (a short
    /// write, `WouldBlock`, `Interrupted`, any error) stays queued for the next call, so no
    /// byte is lost. Returns how many bytes were written.
    #[cfg(feature = "std")]
    pub fn write_tls(&mut self, writer: &mut dyn std::io::Write) -> std::io::Result<usize> {
        self.flush_for_output();
        let mut written = 0;
        while !self.core.pending_output().is_empty() {
            match writer.write(self.core.pending_output()) {
                Ok(0) => break,
                Ok(n) => {
                    self.core.output_written(n);
                    written += n;
                }
                // Written bytes are reported; the error comes back on the next call.
                Err(_) if written > 0 => break,
                Err(e) => return Err(e),
            }
        }
        Ok(written)
    }

    /// Flushes pending handshake messages into the output; flushing can fail the
    /// connection, and then its state goes as on any failure (as in `take_output`).
    fn flush_for_output(&mut self) {
        self.core.flush_for_output();
        if self.core.error().is_some() {
            self.state = None;
        }
    }

    /// From now on, application data is kept for [`Connection::read`] instead of being
    /// queued as `Event::ApplicationData`, and the receive buffer is kept between calls
    /// (no allocation per record in a steady state). Data already queued as events stays
    /// there.
    pub fn enable_reader(&mut self) {
        self.core.buffers.reader = true;
    }

    /// Copies received application data into `out` and returns how many bytes it copied:
    /// 0 when none is waiting (or `out` is empty). Needs [`Connection::enable_reader`].
    /// After a fatal error, returns that error: data not read before it is zeroized and
    /// dropped with the connection's keys (RFC 9846 §6).
    pub fn read(&mut self, out: &mut [u8]) -> Result<usize, Error> {
        let buffers = &mut self.core.buffers;
        if !buffers.reader {
            return Err(Error::Misuse("read without enable_reader"));
        }
        let unread = buffers
            .plaintext
            .get(buffers.plaintext_read..)
            .unwrap_or_default();
        if unread.is_empty() {
            return match self.core.error() {
                Some(err) => Err(err),
                None => Ok(0),
            };
        }
        let n = unread.len().min(out.len());
        if let (Some(to), Some(from)) = (out.get_mut(..n), unread.get(..n)) {
            to.copy_from_slice(from);
        }
        buffers.plaintext_read += n;
        if buffers.plaintext_read == buffers.plaintext.len() {
            buffers.plaintext.clear();
            buffers.plaintext_read = 0;
        }
        Ok(n)
    }

    /// How many bytes of application data [`Connection::read`] can return now.
    pub fn readable(&self) -> usize {
        let buffers = &self.core.buffers;
        buffers.plaintext.len() - buffers.plaintext_read
    }

    /// Seals one application data record in the caller's buffer, without copying: the
    /// content is in `record[5..5 + content_len]`, and `record` has room for the header
    /// before it and 17 bytes (content type and tag) behind it
    /// ([`Connection::sealed_len`]). Writes the header, type and tag, encrypts in place
    /// and returns the record's length; the caller sends `record[..len]`.
    ///
    /// Allowed once application data may be written ([`Connection::write`]), when no other
    /// output is queued (send [`Connection::write_tls_into`]'s bytes first) and the content
    /// fits the peer's record size limit ([`Connection::max_record_content`]). When the
    /// write key is due for an update (RFC 9846 §5.5), a KeyUpdate is queued and this
    /// returns [`Error::Misuse`]: send the queued output, then seal again.
    pub fn seal_in_place(&mut self, record: &mut [u8], content_len: usize) -> Result<usize, Error> {
        if let Some(err) = self.core.error() {
            return Err(err);
        }
        if self.core.sent_close_notify {
            return Err(Error::Misuse("write after close"));
        }
        if !self.core.can_send_application_data() {
            return Err(Error::Misuse("write before the handshake completed"));
        }
        if self.core.has_output() {
            return Err(Error::Misuse(
                "output is queued: send it before sealing a record in place",
            ));
        }
        if self.core.encrypter().is_some_and(|e| e.needs_key_update()) {
            // RFC 9846 §5.5: the key is updated before the record that would reach its
            // usage limit, as `write` does per record.
            if let Err(err) = self.core.send_key_update(false) {
                return Err(self.fail(err));
            }
            return Err(Error::Misuse(
                "a KeyUpdate was queued: send the queued output, then seal again",
            ));
        }
        let encrypter = self
            .core
            .encrypter
            .as_mut()
            .ok_or(Error::Misuse("no write key"))?;
        let len = encrypter.encrypt_in_place(
            ContentType::ApplicationData,
            record,
            content_len,
            Padding::None,
        )?;
        self.core.key_update_answered_while_silent = false;
        if self.core.trace_enabled {
            let bytes = record.get(..len).unwrap_or_default().to_vec();
            self.core.traces.push_back(TraceEvent::Record {
                direction: Direction::Sent,
                content_type: ContentType::ApplicationData,
                bytes,
            });
        }
        Ok(len)
    }

    /// The length of the record [`Connection::seal_in_place`] makes of `content_len` bytes.
    pub fn sealed_len(content_len: usize) -> usize {
        RecordEncrypter::record_len(content_len, 0)
    }

    /// The most content one record may carry now (the peer's record size limit).
    pub fn max_record_content(&self) -> usize {
        self.core
            .encrypter()
            .map_or(0, |e| e.size_limit().max_content_len())
    }

    /// Opens the record at the start of `records` in place. Returns how many bytes of
    /// `records` it used (0: the record is not complete yet; read more behind it and call
    /// again) and, for an application data record, its content as a slice of `records`.
    /// Any other record (a post-handshake message, an alert, or anything during the
    /// handshake) is processed as if [`Connection::feed`] had been given it: its events
    /// are queued as usual.
    ///
    /// Bytes given to `feed` that are still buffered (a partial record) must be completed
    /// with `feed`; this returns [`Error::Misuse`] until they are.
    pub fn open_in_place<'a>(
        &mut self,
        now: Time,
        records: &'a mut [u8],
    ) -> Result<(usize, Option<&'a [u8]>), Error> {
        if let Some(err) = self.core.error() {
            return Err(err);
        }
        if self.core.deframer.buffered_len() != 0 {
            return Err(Error::Misuse(
                "bytes given to feed are still buffered: complete them with feed",
            ));
        }
        let Some(header) = records.get(..RECORD_HEADER_LEN) else {
            return Ok((0, None));
        };
        let header = RecordHeader::parse(header)?;
        if let Err(err) = check_header(&header) {
            return Err(self.fail(err));
        }
        let record_len = RECORD_HEADER_LEN + usize::from(header.length);
        let Some(record) = records.get_mut(..record_len) else {
            return Ok((0, None));
        };
        let in_place = header.content_type == ContentType::ApplicationData
            && matches!(self.core.read_epoch, Epoch::Application(_))
            && !self.is_handshaking()
            && !self.core.peer_closed
            && !self.core.is_paused()
            && self.core.joiner.is_empty();
        if !in_place {
            let used = self.feed(now, record)?;
            return Ok((used, None));
        }
        self.core.set_now(now);
        if self.core.trace_enabled {
            self.core.traces.push_back(TraceEvent::Record {
                direction: Direction::Received,
                content_type: ContentType::ApplicationData,
                bytes: record.to_vec(),
            });
        }
        let decrypter = self
            .core
            .decrypter
            .as_mut()
            .ok_or(Error::Misuse("no read key"))?;
        let opened = decrypter
            .decrypt_in_place(record)
            .map(|p| (p.content_type, p.fragment));
        let (content_type, content) = match opened {
            Ok(opened) => opened,
            Err(err) => return Err(self.fail(err)),
        };
        if content_type == ContentType::ApplicationData {
            return Ok((record_len, Some(content)));
        }
        // A handshake message or an alert inside the record: the engine's path, from the
        // decrypted content on.
        if let Err(err) = self.core.receive_decrypted(content_type, content) {
            return Err(self.fail(err));
        }
        if let Err(err) = self.process() {
            return Err(self.fail(err));
        }
        Ok((record_len, None))
    }
}
