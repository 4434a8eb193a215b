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
//! Memory: the deframer holds one record at a time. [`RecordDeframer::feed`] takes bytes
//! only up to the end of the record being collected (the caller offers the rest again after
//! [`RecordDeframer::next_record`]), and gathers a record's header apart, in five bytes of
//! its own, so that the buffer is sized once the length is known. The buffer's allocations
//! therefore follow the lengths of the records and nothing else: however the bytes are
//! split (a whole flight in one read, or one byte at a time), the same records cost the
//! same allocations, at most one per record that is longer than every earlier one, up to
//! one largest record. [`RecordDeframer::release_if_empty`] gives the buffer back when no
//! partial record is held, so an idle connection keeps no receive buffer.
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

/// Accumulates received bytes and yields complete records, one at a time.
#[derive(Debug)]
pub struct RecordDeframer {
    /// The record being collected, header first. Once [`RecordDeframer::next_record`] has
    /// handed it out, `start` is its length (`buf[..start]` is the record handed out last).
    buf: Vec<u8>,
    start: usize,
    /// The first bytes of the next record's header while fewer than five have arrived.
    header: [u8; RECORD_HEADER_LEN],
    header_len: usize,
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

    /// An empty deframer; its buffer is allocated when the first header is in.
    pub fn new() -> Self {
        Self {
            buf: Vec::new(),
            start: 0,
            header: [0; RECORD_HEADER_LEN],
            header_len: 0,
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

    /// Takes bytes of `data` up to the end of the record being collected and returns how
    /// many that was.
    ///
    /// Fewer than `data.len()` are taken when `data` goes on past the record: take the
    /// record with [`RecordDeframer::next_record`], then offer the rest again. 0 are taken
    /// only while a complete record, or a header that [`RecordDeframer::next_record`]
    /// refuses, is waiting.
    pub fn feed(&mut self, data: &[u8]) -> usize {
        // Forget the record already handed out.
        self.buf.drain(..self.start.min(self.buf.len()));
        self.start = 0;
        let mut taken = 0;
        let record_len = if let Some(header) = self.buf.first_chunk::<RECORD_HEADER_LEN>() {
            self.acceptable_len(header)
        } else {
            // The next header, gathered on its own until its five bytes are in.
            let wanted = RECORD_HEADER_LEN - self.header_len;
            let n = wanted.min(data.len());
            if let (Some(slot), Some(bytes)) = (
                self.header.get_mut(self.header_len..self.header_len + n),
                data.get(..n),
            ) {
                slot.copy_from_slice(bytes);
            }
            self.header_len += n;
            taken = n;
            if self.header_len < RECORD_HEADER_LEN {
                return taken;
            }
            // One allocation of the record's own size, unless the buffer already has room.
            let record_len = self.acceptable_len(&self.header);
            if record_len > self.buf.capacity() {
                self.buf.reserve_exact(record_len);
            }
            self.buf.extend_from_slice(&self.header);
            self.header_len = 0;
            record_len
        };
        // The body, up to the end of this record.
        let rest = data.get(taken..).unwrap_or(&[]);
        let n = record_len.saturating_sub(self.buf.len()).min(rest.len());
        self.buf.extend_from_slice(rest.get(..n).unwrap_or(&[]));
        taken + n
    }

    /// The length, header included, of the record `header` starts: its own length if the
    /// header passes the checks a header allows, and the header alone if it does not
    /// ([`RecordDeframer::next_record`] then says why), so that a bad header never makes
    /// the buffer grow.
    fn acceptable_len(&self, header: &[u8; RECORD_HEADER_LEN]) -> usize {
        let Ok(header) = RecordHeader::parse(header) else {
            return RECORD_HEADER_LEN;
        };
        let record_len = RECORD_HEADER_LEN + usize::from(header.length);
        if check_header(&header).is_ok() && record_len <= self.max_record_len {
            record_len
        } else {
            RECORD_HEADER_LEN
        }
    }

    /// The record [`RecordDeframer::next_record`] handed out last, as it was left there (a
    /// protected record deprotected in place), until the next [`RecordDeframer::feed`].
    pub(crate) fn last_record(&self) -> &[u8] {
        self.buf.get(..self.start).unwrap_or(&[])
    }

    /// How many received bytes are held that have not been handed out as a record.
    pub fn buffered_len(&self) -> usize {
        self.buf.len().saturating_sub(self.start) + self.header_len
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
        let s = stream();
        let mut d = RecordDeframer::new();
        assert_eq!(d.feed(&s), 9, "up to the end of the first record");
        let r = d.next_record().unwrap().unwrap();
        r.bytes[5] = 0xee;
        assert_eq!(d.feed(&s[9..]), 6);
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
        let mut fed = 3;
        while fed < stream.len() {
            fed += d.feed(&stream[fed..]);
            while d.next_record().unwrap().is_some() {}
        }
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
    fn test_parse_allocations_follow_the_records_not_the_split() {
        // A flight like a server's: a short record, a dummy change_cipher_spec, then longer
        // protected records. Whatever the split, the buffer is allocated at the same sizes
        // in the same order: the first record's length, then each longer one's.
        let mut flight = Vec::new();
        for len in [90u16, 1, 160, 529, 529, 90, 300] {
            let content_type = if len == 1 { 0x14 } else { 0x17 };
            flight.extend_from_slice(&[content_type, 0x03, 0x03]);
            flight.extend_from_slice(&len.to_be_bytes());
            flight.resize(flight.len() + usize::from(len), 0x5a);
        }
        for chunk in [1, 2, 4, 5, 6, 95, 100, 128, 1000, flight.len()] {
            let mut d = RecordDeframer::new();
            let mut capacities = Vec::new();
            let mut records = 0;
            for piece in flight.chunks(chunk) {
                let mut fed = 0;
                while fed < piece.len() {
                    fed += d.feed(&piece[fed..]);
                    if d.buf.capacity() > 0 && capacities.last() != Some(&d.buf.capacity()) {
                        capacities.push(d.buf.capacity());
                    }
                    while d.next_record().unwrap().is_some() {
                        records += 1;
                    }
                }
            }
            assert_eq!(records, 7, "chunks of {chunk}");
            assert_eq!(capacities, [95, 165, 534], "chunks of {chunk}");
        }
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
