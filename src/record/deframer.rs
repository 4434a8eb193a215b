//! Cutting received bytes into records.
//!
//! TCP delivers a byte stream, not records: one read may hold half a header, or three
//! records and the start of a fourth. [`RecordDeframer`] collects bytes however they are
//! split and hands out each record once all of it has arrived, as a mutable slice of its
//! own buffer so the record can be decrypted in place.
//!
//! A header is judged as soon as its five bytes are in, before the body is waited for: an
//! unknown record type or an impossible length ends the connection without buffering up
//! to 64 KiB of garbage. The buffer never grows beyond one largest record: at most
//! [`MAX_CIPHERTEXT_RECORD_LEN`], and less once a smaller record size limit was negotiated
//! ([`RecordDeframer::set_size_limit`], RFC 8449 or RFC 6066), so a small device that
//! advertised a small limit never needs a receive buffer larger than that.
//!
//! Memory: the buffer grows to the length of the record being collected as soon as its
//! header is in (one allocation per record however its bytes are split, up to one largest
//! record), and [`RecordDeframer::release_if_empty`] gives it back when no partial record
//! is held, so an idle connection keeps no receive buffer (the engine calls it at the end
//! of each `feed`).
//!
//! Not here: what a record means (the engine), deprotection
//! ([`crate::record::decrypter`], which checks the limit on the decrypted plaintext).

use alloc::vec::Vec;

use crate::error::Error;
use crate::record::limits::RecordSizeLimit;
use crate::wire::alert::AlertDescription;
use crate::wire::codes::ContentType;
use crate::wire::record::{
    MAX_CIPHERTEXT_LEN, MAX_CIPHERTEXT_RECORD_LEN, MAX_PLAINTEXT_LEN, RECORD_HEADER_LEN,
    RecordHeader,
};

/// One complete record as it arrived: its header, and all of its bytes (header included,
/// since the header is the AEAD's additional data), ready to parse or decrypt in place.
#[derive(Debug, PartialEq, Eq)]
pub struct ReceivedRecord<'a> {
    /// The parsed header.
    pub header: RecordHeader,
    /// The whole record: `RECORD_HEADER_LEN + header.length` bytes.
    pub bytes: &'a mut [u8],
}

/// Accumulates received bytes and yields complete records.
#[derive(Debug)]
pub struct RecordDeframer {
    /// Received bytes; `buf[start..]` have not been handed out yet.
    buf: Vec<u8>,
    start: usize,
    /// The longest record accepted, header included: one record within the receive limit.
    max_record_len: usize,
}

impl Default for RecordDeframer {
    fn default() -> Self {
        Self::new()
    }
}

impl RecordDeframer {
    /// How many bytes the deframer holds at most without a negotiated limit: one largest
    /// legal record.
    pub const CAPACITY: usize = MAX_CIPHERTEXT_RECORD_LEN;

    /// An empty deframer; its buffer is allocated when the first bytes arrive.
    pub fn new() -> Self {
        Self {
            buf: Vec::new(),
            start: 0,
            max_record_len: Self::CAPACITY,
        }
    }

    /// Accepts only records within `limit`, the limit we advertised and the peer agreed to
    /// (the engine calls it when it sets the decrypter's limit). From now on the buffer
    /// holds at most one such record, and a longer one is refused by its header.
    pub fn set_size_limit(&mut self, limit: RecordSizeLimit) {
        self.max_record_len = RECORD_HEADER_LEN + limit.max_ciphertext_len();
    }

    /// How many bytes the deframer holds at most: one record within the current limit.
    pub fn capacity(&self) -> usize {
        self.max_record_len
    }

    /// Frees the buffer if it holds no bytes that were not handed out yet.
    pub fn release_if_empty(&mut self) {
        if self.buffered_len() == 0 {
            self.buf = Vec::new();
            self.start = 0;
        }
    }

    /// Takes as many bytes of `data` as fit and returns how many that was.
    ///
    /// Fewer than `data.len()` are taken only when complete records are waiting: take them
    /// with [`RecordDeframer::next_record`], then offer the rest again. A partial record
    /// always leaves room for the bytes that complete it.
    pub fn feed(&mut self, data: &[u8]) -> usize {
        // Forget the records already handed out, moving what is left to the front.
        self.buf.drain(..self.start.min(self.buf.len()));
        self.start = 0;
        let room = self.max_record_len.saturating_sub(self.buf.len());
        let taken = data.len().min(room);
        let needed = self.buf.len() + taken;
        if needed > self.buf.capacity() {
            // Grow once to the whole record being collected, as soon as its header is in:
            // however the bytes are split, a record costs one allocation of its own size
            // (capped at one largest record), and bulk data settles at one record.
            let record_len = self.first_record_len(data).unwrap_or(0);
            let target = record_len.min(self.max_record_len).max(needed);
            self.buf.reserve_exact(target - self.buf.len());
        }
        self.buf.extend_from_slice(data.get(..taken).unwrap_or(&[]));
        taken
    }

    /// The length, header included, of the record that `buf` followed by `data` starts
    /// with, once its 5-byte header is among them (`buf` holds no handed-out bytes here).
    fn first_record_len(&self, data: &[u8]) -> Option<usize> {
        let mut header = [0u8; RECORD_HEADER_LEN];
        let held = self.buf.len().min(RECORD_HEADER_LEN);
        let from_data = RECORD_HEADER_LEN - held;
        header[..held].copy_from_slice(self.buf.get(..held)?);
        header[held..].copy_from_slice(data.get(..from_data)?);
        let length = u16::from_be_bytes([header[3], header[4]]);
        Some(RECORD_HEADER_LEN + usize::from(length))
    }

    /// How many received bytes are held that have not been handed out as a record.
    pub fn buffered_len(&self) -> usize {
        self.buf.len().saturating_sub(self.start)
    }

    /// The next complete record, `Ok(None)` if more bytes are needed first, or the alert a
    /// bad header calls for. A bad header stays in place, so asking again repeats the error.
    pub fn next_record(&mut self) -> Result<Option<ReceivedRecord<'_>>, Error> {
        let pending = self.buf.get(self.start..).unwrap_or(&[]);
        if pending.len() < RECORD_HEADER_LEN {
            return Ok(None);
        }
        let header = RecordHeader::parse(pending)?;
        check_header(&header)?;
        let record_len = RECORD_HEADER_LEN + usize::from(header.length);
        // RFC 8449 §4: "A TLS endpoint that receives a record larger than its advertised
        // limit MUST generate a fatal "record_overflow" alert". Judged by the header: a
        // protected record within the limit is at most the limit plus the AEAD's tag.
        if record_len > self.max_record_len {
            return Err(record_overflow(
                "record longer than the record size limit we advertised",
            ));
        }
        if pending.len() < record_len {
            return Ok(None);
        }
        let begin = self.start;
        self.start += record_len;
        match self.buf.get_mut(begin..begin + record_len) {
            Some(bytes) => Ok(Some(ReceivedRecord { header, bytes })),
            None => Ok(None),
        }
    }
}

/// The checks a header allows before its body arrives.
pub(crate) fn check_header(header: &RecordHeader) -> Result<(), Error> {
    let length = usize::from(header.length);
    match header.content_type {
        // RFC 9846 §5.2: "An endpoint that receives a record from its peer with
        // TLSCiphertext.length larger than 2^14 + 256 octets MUST terminate the connection
        // with a "record_overflow" alert." Only protected records, whose outer type is
        // always application_data, may be that long.
        ContentType::ApplicationData if length > MAX_CIPHERTEXT_LEN => {
            Err(record_overflow("TLSCiphertext.length exceeds 2^14 + 256"))
        }
        ContentType::ApplicationData => Ok(()),
        // RFC 9846 §5.1: TLSPlaintext.length "MUST NOT exceed 2^14 bytes. An endpoint that
        // receives a record that exceeds this length MUST terminate the connection with a
        // "record_overflow" alert." A record with any other outer type is unprotected.
        ContentType::Handshake | ContentType::Alert | ContentType::ChangeCipherSpec
            if length > MAX_PLAINTEXT_LEN =>
        {
            Err(record_overflow("TLSPlaintext.length exceeds 2^14"))
        }
        ContentType::Handshake | ContentType::Alert | ContentType::ChangeCipherSpec => Ok(()),
        // RFC 9846 §5: "If a TLS implementation receives an unexpected record type, it MUST
        // terminate the connection with an "unexpected_message" alert."
        ContentType::Invalid | ContentType::Unknown(_) => Err(Error::PeerMisbehaved {
            alert: AlertDescription::UnexpectedMessage,
            reason: "unknown record type",
        }),
    }
}

fn record_overflow(reason: &'static str) -> Error {
    Error::PeerMisbehaved {
        alert: AlertDescription::RecordOverflow,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    /// Three small records of different types, back to back.
    fn stream() -> Vec<u8> {
        let mut s = vec![0x16, 0x03, 0x01, 0x00, 0x04, 0x01, 0x00, 0x00, 0x00];
        s.extend_from_slice(&[0x14, 0x03, 0x03, 0x00, 0x01, 0x01]);
        s.extend_from_slice(&[0x17, 0x03, 0x03, 0x00, 0x03, 0xaa, 0xbb, 0xcc]);
        s
    }

    /// Feeds `data` in chunks of `chunk` bytes, draining after each, and collects records.
    fn deframe(data: &[u8], chunk: usize) -> Vec<Vec<u8>> {
        let mut d = RecordDeframer::new();
        let mut out = Vec::new();
        for piece in data.chunks(chunk) {
            let mut rest = piece;
            while !rest.is_empty() {
                let n = d.feed(rest);
                rest = &rest[n..];
                while let Some(r) = d.next_record().unwrap() {
                    assert_eq!(
                        r.bytes.len(),
                        RECORD_HEADER_LEN + usize::from(r.header.length)
                    );
                    out.push(r.bytes.to_vec());
                }
            }
        }
        assert_eq!(d.buffered_len(), 0);
        out
    }

    #[test]
    fn test_parse_any_split_yields_the_same_records() {
        let s = stream();
        let expected = vec![s[..9].to_vec(), s[9..15].to_vec(), s[15..].to_vec()];
        for chunk in 1..=s.len() {
            assert_eq!(deframe(&s, chunk), expected, "chunks of {chunk}");
        }
    }

    #[test]
    fn test_parse_waits_for_a_whole_record() {
        let s = stream();
        let mut d = RecordDeframer::new();
        assert_eq!(d.feed(&s[..4]), 4);
        assert_eq!(d.next_record().unwrap(), None);
        assert_eq!(d.feed(&s[4..8]), 4);
        assert_eq!(d.next_record().unwrap(), None);
        assert_eq!(d.buffered_len(), 8);
        assert_eq!(d.feed(&s[8..9]), 1);
        let r = d.next_record().unwrap().unwrap();
        assert_eq!(r.header.content_type, ContentType::Handshake);
        assert_eq!(r.header.legacy_record_version, 0x0301);
        assert_eq!(d.next_record().unwrap(), None);
        assert_eq!(d.buffered_len(), 0);
    }

    #[test]
    fn test_parse_records_can_be_modified_in_place() {
        let mut d = RecordDeframer::new();
        d.feed(&stream());
        let r = d.next_record().unwrap().unwrap();
        r.bytes[5] = 0xee;
        let r = d.next_record().unwrap().unwrap();
        assert_eq!(r.bytes, [0x14, 0x03, 0x03, 0x00, 0x01, 0x01]);
    }

    #[test]
    fn test_parse_buffer_is_bounded() {
        // A full-size protected record, then one more byte.
        let mut big = vec![0x17, 0x03, 0x03];
        big.extend_from_slice(&(MAX_CIPHERTEXT_LEN as u16).to_be_bytes());
        big.resize(MAX_CIPHERTEXT_RECORD_LEN, 0x42);
        big.push(0x16);
        let mut d = RecordDeframer::new();
        assert_eq!(d.feed(&big), MAX_CIPHERTEXT_RECORD_LEN);
        assert_eq!(
            d.feed(&big[MAX_CIPHERTEXT_RECORD_LEN..]),
            0,
            "full until drained"
        );
        let r = d.next_record().unwrap().unwrap();
        assert_eq!(r.bytes.len(), MAX_CIPHERTEXT_RECORD_LEN);
        assert_eq!(d.feed(&big[MAX_CIPHERTEXT_RECORD_LEN..]), 1);
        assert_eq!(d.buffered_len(), 1);
    }

    #[test]
    fn test_parse_negotiated_limit_bounds_records_and_buffer() {
        // record_size_limit 513 (RFC 8449): 513 bytes of TLSInnerPlaintext, plus the tag.
        let limit = RecordSizeLimit::from_record_size_limit(513).unwrap();
        let mut d = RecordDeframer::new();
        d.set_size_limit(limit);
        assert_eq!(d.capacity(), 5 + 513 + 16);
        // The longest record within the limit, fed in 100-byte pieces, then one more byte.
        let mut record = vec![0x17, 0x03, 0x03, 0x02, 0x11]; // length 529
        record.resize(5 + 529, 0x42);
        record.push(0x17);
        let mut fed = 0;
        while fed < 5 + 529 {
            fed += d.feed(&record[fed..(fed + 100).min(5 + 529)]);
            assert!(
                d.buf.capacity() <= d.capacity(),
                "never more than one record"
            );
        }
        assert_eq!(d.feed(&record[fed..]), 0, "full until drained");
        assert_eq!(d.next_record().unwrap().unwrap().bytes.len(), 5 + 529);
        // One byte longer: refused as soon as the header is in, whatever its type.
        for header in [
            [0x17, 0x03, 0x03, 0x02, 0x12],
            [0x16, 0x03, 0x03, 0x02, 0x12],
        ] {
            let mut d = RecordDeframer::new();
            d.set_size_limit(limit);
            assert_eq!(d.feed(&header), 5);
            let err = d.next_record().unwrap_err();
            assert_eq!(err.alert(), Some(AlertDescription::RecordOverflow));
        }
    }

    #[test]
    fn test_parse_buffer_is_released_only_when_empty() {
        let stream = stream();
        let mut d = RecordDeframer::new();
        assert_eq!(d.buf.capacity(), 0, "nothing allocated before bytes arrive");
        d.feed(&stream[..3]);
        d.release_if_empty();
        assert_eq!(d.buffered_len(), 3, "a partial header is kept");
        d.feed(&stream[3..]);
        while d.next_record().unwrap().is_some() {}
        d.release_if_empty();
        assert_eq!((d.buf.capacity(), d.buffered_len()), (0, 0));
        assert_eq!(deframe(&stream, 7), deframe(&stream, stream.len()));
    }

    #[test]
    fn test_parse_buffer_grows_once_to_the_record_however_it_is_split() {
        // A 1,000-byte record fed in 7-byte pieces: one allocation of its own length once
        // the header is in, never a doubled buffer beyond it.
        let mut record = vec![0x17, 0x03, 0x03, 0x03, 0xe3];
        record.resize(1000, 0xaa);
        let mut d = RecordDeframer::new();
        let mut capacities = Vec::new();
        for piece in record.chunks(7) {
            assert_eq!(d.feed(piece), piece.len());
            if capacities.last() != Some(&d.buf.capacity()) {
                capacities.push(d.buf.capacity());
            }
        }
        assert_eq!(capacities, [1000]);
        assert_eq!(d.next_record().unwrap().map(|r| r.bytes.len()), Some(1000));
    }

    #[test]
    fn test_parse_rejects_oversized_headers_early() {
        let cases: [([u8; 5], AlertDescription); 4] = [
            // 2^14 + 257 bytes of ciphertext.
            (
                [0x17, 0x03, 0x03, 0x41, 0x01],
                AlertDescription::RecordOverflow,
            ),
            // 2^14 + 1 bytes of plaintext handshake, alert, change_cipher_spec.
            (
                [0x16, 0x03, 0x03, 0x40, 0x01],
                AlertDescription::RecordOverflow,
            ),
            (
                [0x15, 0x03, 0x03, 0x40, 0x01],
                AlertDescription::RecordOverflow,
            ),
            // An unknown content type.
            (
                [0x18, 0x03, 0x03, 0x00, 0x01],
                AlertDescription::UnexpectedMessage,
            ),
        ];
        for (header, alert) in cases {
            let mut d = RecordDeframer::new();
            // Byte by byte: the error comes with the fifth byte, not the body.
            for (i, b) in header.iter().enumerate() {
                d.feed(&[*b]);
                let result = d.next_record();
                if i < 4 {
                    assert_eq!(result.unwrap(), None);
                } else {
                    assert_eq!(result.unwrap_err().alert(), Some(alert), "{header:02x?}");
                }
            }
            // Sticky: asking again repeats it.
            assert!(d.next_record().is_err());
        }
        // The largest legal lengths are accepted.
        for header in [
            [0x17, 0x03, 0x03, 0x41, 0x00],
            [0x16, 0x03, 0x03, 0x40, 0x00],
        ] {
            let mut d = RecordDeframer::new();
            d.feed(&header);
            assert_eq!(d.next_record().unwrap(), None);
        }
    }
}
