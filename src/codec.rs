//! The byte-level reader and writer that every wire structure is built on.
//!
//! RFC 9846 §3 describes TLS's presentation language: fixed-width big-endian integers
//! (`uint8`, `uint16`, `uint24`, `uint32`) and variable-length vectors whose length is
//! written first, in as many bytes as the vector's ceiling needs (`opaque x<0..2^16-1>` has
//! a two-byte length). This module implements exactly that and nothing else:
//!
//! - [`Reader`] walks a received byte slice. Every read is checked: running out of bytes,
//!   a length outside the declared bounds, or bytes left over at the end all return a
//!   [`DecodeError`] that names the alert to send. No method panics.
//! - [`Writer`] builds bytes to send. Length prefixes are written by nesting
//!   ([`Writer::len_u16`] and friends) so a structure's length can never disagree with its
//!   contents; a body too long for its prefix is remembered and reported by
//!   [`Writer::finish`].
//!
//! It does not know any TLS structure; those live in [`crate::wire`].

use alloc::vec::Vec;

use crate::alert_codes::AlertDescription;

/// Why received bytes could not be decoded, and which alert that calls for.
///
/// RFC 9846 §6.2: "decode_error: A message could not be decoded because some field was out
/// of the specified range or the length of the message was incorrect." Structurally valid
/// messages with a forbidden value call for `illegal_parameter` instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// The alert the receiver must send.
    pub alert: AlertDescription,
    /// A short human-readable reason, for logs and tests.
    pub reason: &'static str,
}

impl DecodeError {
    /// A malformed encoding: RFC 9846 §6.2 `decode_error`.
    pub const fn decode(reason: &'static str) -> Self {
        Self {
            alert: AlertDescription::DecodeError,
            reason,
        }
    }

    /// A well-formed encoding carrying a forbidden value: RFC 9846 §6.2 `illegal_parameter`.
    pub const fn illegal(reason: &'static str) -> Self {
        Self {
            alert: AlertDescription::IllegalParameter,
            reason,
        }
    }

    /// Any other alert a decoder may need (for example `unexpected_message`).
    pub const fn with_alert(alert: AlertDescription, reason: &'static str) -> Self {
        Self { alert, reason }
    }
}

impl core::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{} ({:?})", self.reason, self.alert)
    }
}

/// A checked cursor over received bytes.
#[derive(Clone, Debug)]
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// Starts reading at the first byte of `bytes`.
    pub const fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, pos: 0 }
    }

    /// How many bytes are left.
    pub fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    /// True when every byte has been read.
    pub fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// How many bytes have been read so far.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Takes exactly `n` bytes, or fails with `decode_error` if fewer are left.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self
            .pos
            .checked_add(n)
            .ok_or(DecodeError::decode("length overflow"))?;
        let out = self
            .bytes
            .get(self.pos..end)
            .ok_or(DecodeError::decode("truncated input"))?;
        self.pos = end;
        Ok(out)
    }

    /// Takes every remaining byte.
    pub fn rest(&mut self) -> &'a [u8] {
        let out = self.bytes.get(self.pos..).unwrap_or(&[]);
        self.pos = self.bytes.len();
        out
    }

    /// Reads a fixed-size array, such as a 32-byte `Random`.
    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    /// Reads a `uint8`.
    pub fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.array::<1>()?[0])
    }

    /// Reads a big-endian `uint16`.
    pub fn u16(&mut self) -> Result<u16, DecodeError> {
        Ok(u16::from_be_bytes(self.array()?))
    }

    /// Reads a big-endian `uint24`.
    pub fn u24(&mut self) -> Result<u32, DecodeError> {
        let [a, b, c] = self.array()?;
        Ok(u32::from_be_bytes([0, a, b, c]))
    }

    /// Reads a big-endian `uint32`.
    pub fn u32(&mut self) -> Result<u32, DecodeError> {
        Ok(u32::from_be_bytes(self.array()?))
    }

    /// Reads a vector with a one-byte length, `opaque x<min..max>` (max ≤ 255).
    pub fn vec_u8(&mut self, min: usize, max: usize) -> Result<&'a [u8], DecodeError> {
        let len = usize::from(self.u8()?);
        self.bounded(len, min, max)
    }

    /// Reads a vector with a two-byte length, `opaque x<min..max>` (max ≤ 2^16-1).
    pub fn vec_u16(&mut self, min: usize, max: usize) -> Result<&'a [u8], DecodeError> {
        let len = usize::from(self.u16()?);
        self.bounded(len, min, max)
    }

    /// Reads a vector with a three-byte length, `opaque x<min..max>` (max ≤ 2^24-1).
    pub fn vec_u24(&mut self, min: usize, max: usize) -> Result<&'a [u8], DecodeError> {
        let len = self.u24()? as usize;
        self.bounded(len, min, max)
    }

    /// Like [`Reader::vec_u8`], but returns a reader over the vector's contents.
    pub fn sub_u8(&mut self, min: usize, max: usize) -> Result<Reader<'a>, DecodeError> {
        self.vec_u8(min, max).map(Reader::new)
    }

    /// Like [`Reader::vec_u16`], but returns a reader over the vector's contents.
    pub fn sub_u16(&mut self, min: usize, max: usize) -> Result<Reader<'a>, DecodeError> {
        self.vec_u16(min, max).map(Reader::new)
    }

    /// Like [`Reader::vec_u24`], but returns a reader over the vector's contents.
    pub fn sub_u24(&mut self, min: usize, max: usize) -> Result<Reader<'a>, DecodeError> {
        self.vec_u24(min, max).map(Reader::new)
    }

    /// Succeeds only if every byte was consumed.
    ///
    /// RFC 9846 §4: a message whose contents do not fill its declared length exactly is
    /// malformed, so leftovers are a `decode_error`.
    pub fn finish(self) -> Result<(), DecodeError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(DecodeError::decode("trailing bytes"))
        }
    }

    fn bounded(&mut self, len: usize, min: usize, max: usize) -> Result<&'a [u8], DecodeError> {
        // RFC 9846 §3.4: a vector's length must lie within its declared bounds.
        if len < min || len > max {
            return Err(DecodeError::decode("vector length out of bounds"));
        }
        self.take(len)
    }
}

/// An encoding that did not fit its length prefix (a local error, never the peer's).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EncodeError;

impl core::fmt::Display for EncodeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("a field is too long for its length prefix")
    }
}

/// Builds bytes to send.
///
/// Writing never fails on the spot; a nested body longer than its prefix allows sets a flag
/// that [`Writer::finish`] turns into an [`EncodeError`].
#[derive(Clone, Debug, Default)]
pub struct Writer {
    buf: Vec<u8>,
    overflow: bool,
}

impl Writer {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends one byte.
    pub fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }

    /// Appends a big-endian `uint16`.
    pub fn u16(&mut self, v: u16) {
        self.buf.extend_from_slice(&v.to_be_bytes());
    }

    /// Appends a big-endian `uint24`; values above 2^24-1 set the overflow flag.
    pub fn u24(&mut self, v: u32) {
        if v > 0xff_ffff {
            self.overflow = true;
        }
        self.buf.extend_from_slice(&v.to_be_bytes()[1..]);
    }

    /// Appends a big-endian `uint32`.
    pub fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_be_bytes());
    }

    /// Appends raw bytes with no length prefix.
    pub fn bytes(&mut self, v: &[u8]) {
        self.buf.extend_from_slice(v);
    }

    /// Appends `v` as a vector with a one-byte length.
    pub fn vec_u8(&mut self, v: &[u8]) {
        self.len_u8(|w| w.bytes(v));
    }

    /// Appends `v` as a vector with a two-byte length.
    pub fn vec_u16(&mut self, v: &[u8]) {
        self.len_u16(|w| w.bytes(v));
    }

    /// Appends `v` as a vector with a three-byte length.
    pub fn vec_u24(&mut self, v: &[u8]) {
        self.len_u24(|w| w.bytes(v));
    }

    /// Writes whatever `body` writes, preceded by its length in one byte.
    pub fn len_u8(&mut self, body: impl FnOnce(&mut Writer)) {
        self.nested(1, body);
    }

    /// Writes whatever `body` writes, preceded by its length in two bytes.
    pub fn len_u16(&mut self, body: impl FnOnce(&mut Writer)) {
        self.nested(2, body);
    }

    /// Writes whatever `body` writes, preceded by its length in three bytes.
    pub fn len_u24(&mut self, body: impl FnOnce(&mut Writer)) {
        self.nested(3, body);
    }

    /// The bytes written so far.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf
    }

    /// The finished encoding, or [`EncodeError`] if any body overflowed its prefix.
    pub fn finish(self) -> Result<Vec<u8>, EncodeError> {
        if self.overflow {
            Err(EncodeError)
        } else {
            Ok(self.buf)
        }
    }

    fn nested(&mut self, prefix_len: usize, body: impl FnOnce(&mut Writer)) {
        let start = self.buf.len();
        self.buf.resize(start + prefix_len, 0);
        let mut inner = Writer {
            buf: core::mem::take(&mut self.buf),
            overflow: false,
        };
        body(&mut inner);
        self.buf = inner.buf;
        self.overflow |= inner.overflow;
        let len = self.buf.len() - start - prefix_len;
        let max = (1usize << (8 * prefix_len)) - 1;
        if len > max {
            self.overflow = true;
        }
        let be = (len as u32).to_be_bytes();
        self.buf[start..start + prefix_len].copy_from_slice(&be[4 - prefix_len..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_parse_integers_and_vectors() {
        let mut r = Reader::new(&[0x01, 0x02, 0x03, 0x00, 0x00, 0x02, 0xaa, 0xbb, 0x01, 0xcc]);
        assert_eq!(r.u8().unwrap(), 1);
        assert_eq!(r.u16().unwrap(), 0x0203);
        assert_eq!(r.vec_u24(0, 10).unwrap(), &[0xaa, 0xbb]);
        assert_eq!(r.vec_u8(1, 1).unwrap(), &[0xcc]);
        r.finish().unwrap();
    }

    #[test]
    fn test_parse_rejects_truncation_bounds_and_trailing_bytes() {
        assert_eq!(
            Reader::new(&[0x00]).u16().unwrap_err().alert,
            AlertDescription::DecodeError
        );
        assert!(Reader::new(&[0x03, 1, 2]).vec_u8(0, 255).is_err());
        assert!(Reader::new(&[0x01, 1]).vec_u8(2, 255).is_err());
        assert!(Reader::new(&[0x00, 0x03, 1, 2, 3]).vec_u16(0, 2).is_err());
        let mut r = Reader::new(&[0x00, 0x01]);
        r.u8().unwrap();
        assert!(r.finish().is_err());
    }

    #[test]
    fn test_emit_nested_lengths() {
        let mut w = Writer::new();
        w.len_u16(|w| {
            w.u8(7);
            w.vec_u8(&[1, 2]);
        });
        w.u24(0x010203);
        assert_eq!(w.finish().unwrap(), [0, 4, 7, 2, 1, 2, 1, 2, 3]);
    }

    #[test]
    fn test_emit_reports_overflow() {
        let mut w = Writer::new();
        w.vec_u8(&[0u8; 256]);
        assert_eq!(w.finish(), Err(EncodeError));
    }
}
