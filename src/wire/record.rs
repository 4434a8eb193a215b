//! The record layer's wire formats (RFC 9846 §5.1, §5.2, §5.4): the five-byte record
//! header, `TLSPlaintext`, `TLSCiphertext` and `TLSInnerPlaintext`.
//!
//! Every byte TLS sends travels in a record: a header naming a content type, a legacy
//! version and a length, followed by that many bytes.
//!
//! ```text
//!  +------+---------+---------+------------------------------+
//!  | type | version | length  | fragment / encrypted_record  |
//!  | 1 B  |   2 B   |   2 B   |         length bytes         |
//!  +------+---------+---------+------------------------------+
//! ```
//!
//! Before keys exist the fragment is a [`TLSPlaintext`] fragment in the clear. Afterwards
//! it is a [`TLSCiphertext`]: the outer type always says application_data, and the true
//! type hides inside the encrypted [`TLSInnerPlaintext`] together with optional zero
//! padding.
//!
//! This module is framing only: it checks the lengths the syntax allows and finds the
//! inner content type. Encryption, sequence numbers and negotiated size limits are in
//! [`crate::record`]; which content types may appear where is also decided there.

use alloc::vec::Vec;

use crate::codec::{DecodeError, EncodeError, Reader, Writer};
use crate::wire::alert::AlertDescription;
use crate::wire::codes::ContentType;

/// The length of every record header: type (1), legacy_record_version (2), length (2).
pub const RECORD_HEADER_LEN: usize = 5;

/// The longest `TLSPlaintext.fragment`, 2^14 bytes (RFC 9846 §5.1).
pub const MAX_PLAINTEXT_LEN: usize = 1 << 14;

/// The longest encoded `TLSInnerPlaintext` (content, type and padding): 2^14 + 1 bytes
/// (RFC 9846 §5.4).
pub const MAX_INNER_PLAINTEXT_LEN: usize = MAX_PLAINTEXT_LEN + 1;

/// The most an AEAD used with TLS 1.3 may expand a plaintext, 255 bytes (RFC 9846 §5.2).
pub const MAX_AEAD_EXPANSION: usize = 255;

/// The longest `TLSCiphertext.encrypted_record`, 2^14 + 256 bytes (RFC 9846 §5.2).
pub const MAX_CIPHERTEXT_LEN: usize = MAX_INNER_PLAINTEXT_LEN + MAX_AEAD_EXPANSION;

/// The longest complete record on the wire, header included: the size of a buffer that can
/// hold any record a peer may legally send (16,645 bytes).
pub const MAX_CIPHERTEXT_RECORD_LEN: usize = RECORD_HEADER_LEN + MAX_CIPHERTEXT_LEN;

/// The legacy_record_version of every TLS 1.3 record (0x0303, "TLS 1.2").
///
/// RFC 9846 §5.1: legacy_record_version "MUST be set to 0x0303 for all records generated
/// by a TLS 1.3 implementation other than an initial ClientHello".
pub const LEGACY_RECORD_VERSION: u16 = 0x0303;

/// The legacy_record_version an initial ClientHello's record may carry (0x0301, "TLS 1.0").
///
/// RFC 9846 §5.1: "a record containing an initial ClientHello SHOULD have version 0x0301".
pub const LEGACY_RECORD_VERSION_INITIAL_CLIENT_HELLO: u16 = 0x0301;

/// The five bytes that open every record (RFC 9846 §5.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordHeader {
    /// `type`; for a protected record this is the outer `opaque_type`.
    pub content_type: ContentType,
    /// `legacy_record_version`. RFC 9846 §5.1: "This field is deprecated and MUST be
    /// ignored for all purposes", so nothing checks it (but it is authenticated, §5.2).
    pub legacy_record_version: u16,
    /// `length`: how many bytes of fragment follow.
    pub length: u16,
}

impl RecordHeader {
    /// Reads a header from the first five bytes of `bytes` (more may follow).
    pub fn parse(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        Ok(Self {
            content_type: ContentType::from_u8(r.u8()?),
            legacy_record_version: r.u16()?,
            length: r.u16()?,
        })
    }

    /// The header's five bytes.
    pub fn to_bytes(&self) -> [u8; RECORD_HEADER_LEN] {
        let [v0, v1] = self.legacy_record_version.to_be_bytes();
        let [l0, l1] = self.length.to_be_bytes();
        [self.content_type.to_u8(), v0, v1, l0, l1]
    }
}

/// An unprotected record (RFC 9846 §5.1):
///
/// ```text
/// struct {
///     ContentType type;
///     ProtocolVersion legacy_record_version;
///     uint16 length;
///     opaque fragment[TLSPlaintext.length];
/// } TLSPlaintext;
/// ```
///
/// Deprotecting a [`TLSCiphertext`] also yields one of these, with the inner content type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TLSPlaintext<'a> {
    /// `type`: the protocol the fragment belongs to.
    pub content_type: ContentType,
    /// `legacy_record_version`, ignored on receipt.
    pub legacy_record_version: u16,
    /// `fragment`: a piece of a handshake or alert message, or application data.
    pub fragment: &'a [u8],
}

impl<'a> TLSPlaintext<'a> {
    /// Parses one complete record, header and fragment, with nothing after it.
    pub fn parse(record: &'a [u8]) -> Result<Self, DecodeError> {
        // RFC 9846 §5.1: "The length MUST NOT exceed 2^14 bytes. An endpoint that receives a
        // record that exceeds this length MUST terminate the connection with a
        // "record_overflow" alert."
        let (header, fragment) = split_record(
            record,
            MAX_PLAINTEXT_LEN,
            "TLSPlaintext.length exceeds 2^14",
        )?;
        Ok(Self {
            content_type: header.content_type,
            legacy_record_version: header.legacy_record_version,
            fragment,
        })
    }

    /// Writes the record, header and fragment. A fragment longer than 2^14 bytes is a local
    /// error: the caller must fragment first.
    pub fn emit(&self, w: &mut Writer) -> Result<(), EncodeError> {
        let length = plaintext_length(self.fragment.len())?;
        w.bytes(
            &RecordHeader {
                content_type: self.content_type,
                legacy_record_version: self.legacy_record_version,
                length,
            }
            .to_bytes(),
        );
        w.bytes(self.fragment);
        Ok(())
    }

    /// The record's bytes, as [`TLSPlaintext::emit`] writes them.
    pub fn to_bytes(&self) -> Result<Vec<u8>, EncodeError> {
        let mut w = Writer::new();
        self.emit(&mut w)?;
        w.finish()
    }
}

/// Splits one complete record into its header and body, refusing a length above
/// `max_length` with record_overflow, and a record that is cut short or followed by more
/// bytes with decode_error.
fn split_record<'a>(
    record: &'a [u8],
    max_length: usize,
    overflow: &'static str,
) -> Result<(RecordHeader, &'a [u8]), DecodeError> {
    let mut r = Reader::new(record);
    let header = RecordHeader::parse(r.take(RECORD_HEADER_LEN)?)?;
    if usize::from(header.length) > max_length {
        return Err(DecodeError::with_alert(
            AlertDescription::RecordOverflow,
            overflow,
        ));
    }
    let body = r.take(usize::from(header.length))?;
    r.finish()?;
    Ok((header, body))
}

/// `TLSPlaintext.length` for a fragment of `len` bytes, if it is within 2^14.
fn plaintext_length(len: usize) -> Result<u16, EncodeError> {
    if len > MAX_PLAINTEXT_LEN {
        return Err(EncodeError);
    }
    u16::try_from(len).map_err(|_| EncodeError)
}

/// A protected record (RFC 9846 §5.2):
///
/// ```text
/// struct {
///     ContentType opaque_type = application_data; /* 23 */
///     ProtocolVersion legacy_record_version = 0x0303; /* TLS v1.2 */
///     uint16 length;
///     opaque encrypted_record[TLSCiphertext.length];
/// } TLSCiphertext;
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TLSCiphertext<'a> {
    /// The header as received; it is the AEAD's additional data, so any change to it
    /// makes the record fail to deprotect.
    pub header: RecordHeader,
    /// `encrypted_record`: the AEAD output, ciphertext then tag.
    pub encrypted_record: &'a [u8],
}

impl<'a> TLSCiphertext<'a> {
    /// Parses one complete record, header and encrypted_record, with nothing after it.
    ///
    /// The outer type and version are *not* checked here: they are authenticated as
    /// additional data, so a record whose header was altered fails as bad_record_mac.
    pub fn parse(record: &'a [u8]) -> Result<Self, DecodeError> {
        // RFC 9846 §5.2: "The length MUST NOT exceed 2^14 + 256 bytes. An endpoint that
        // receives a record that exceeds this length MUST terminate the connection with a
        // "record_overflow" alert."
        let (header, encrypted_record) = split_record(
            record,
            MAX_CIPHERTEXT_LEN,
            "TLSCiphertext.length exceeds 2^14 + 256",
        )?;
        Ok(Self {
            header,
            encrypted_record,
        })
    }

    /// The header of a record we send carrying `length` bytes of encrypted_record, which is
    /// also the AEAD's additional data.
    ///
    /// RFC 9846 §5.2: "additional_data = TLSCiphertext.opaque_type ||
    /// TLSCiphertext.legacy_record_version || TLSCiphertext.length".
    pub fn header_for_length(length: usize) -> Result<RecordHeader, EncodeError> {
        if length > MAX_CIPHERTEXT_LEN {
            return Err(EncodeError);
        }
        Ok(RecordHeader {
            // RFC 9846 §5.2: "The outer opaque_type field of a TLSCiphertext record is
            // always set to the value 23 (application_data)".
            content_type: ContentType::ApplicationData,
            // RFC 9846 §5.2: "The legacy_record_version field is always 0x0303."
            legacy_record_version: LEGACY_RECORD_VERSION,
            length: u16::try_from(length).map_err(|_| EncodeError)?,
        })
    }
}

/// The plaintext inside a protected record (RFC 9846 §5.2):
///
/// ```text
/// struct {
///     opaque content[TLSPlaintext.length];
///     ContentType type;
///     uint8 zeros[length_of_padding];
/// } TLSInnerPlaintext;
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TLSInnerPlaintext<'a> {
    /// `content`: the TLSPlaintext.fragment being protected.
    pub content: &'a [u8],
    /// `type`: the real content type.
    pub content_type: ContentType,
    /// `length_of_padding`: how many zero bytes follow the type.
    pub padding_len: usize,
}

impl<'a> TLSInnerPlaintext<'a> {
    /// Splits a decrypted `TLSInnerPlaintext` into content, type and padding.
    ///
    /// The content has no length prefix: the type is the *last non-zero byte*, and
    /// everything after it is padding.
    pub fn parse(plaintext: &'a [u8]) -> Result<Self, DecodeError> {
        // RFC 9846 §5.4: "the receiving implementation scans the field from the end toward
        // the beginning until it finds a non-zero octet. This non-zero octet is the content
        // type of the message."
        let Some(type_pos) = plaintext.iter().rposition(|&b| b != 0) else {
            // RFC 9846 §5.4: "If a receiving implementation does not find a non-zero octet
            // in the cleartext, it MUST terminate the connection with an
            // "unexpected_message" alert."
            return Err(DecodeError::with_alert(
                AlertDescription::UnexpectedMessage,
                "TLSInnerPlaintext has no non-zero content type",
            ));
        };
        let (content, type_and_zeros) = plaintext.split_at(type_pos);
        let type_byte = type_and_zeros.first().copied().unwrap_or(0);
        Ok(Self {
            content,
            content_type: ContentType::from_u8(type_byte),
            padding_len: type_and_zeros.len() - 1,
        })
    }

    /// Writes content, type and padding (the allocating twin of
    /// [`TLSInnerPlaintext::emit_trailer`]).
    pub fn emit(&self, w: &mut Writer) {
        w.bytes(self.content);
        w.u8(self.content_type.to_u8());
        w.bytes(&alloc::vec![0u8; self.padding_len]);
    }

    /// Writes the part after the content — the type byte, then zeros — into `trailer`,
    /// which must be exactly `1 + length_of_padding` bytes long. This lets a record be
    /// built in place right behind content that is already in the buffer.
    pub fn emit_trailer(content_type: ContentType, trailer: &mut [u8]) {
        if let Some((type_byte, zeros)) = trailer.split_first_mut() {
            *type_byte = content_type.to_u8();
            // RFC 9846 §5.4: "Implementations MUST set the padding octets to all zeros
            // before encrypting."
            zeros.fill(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 8448 §3, the server's close_notify: header, then 19 bytes of encrypted_record.
    const ALERT_RECORD: [u8; 24] = [
        0x17, 0x03, 0x03, 0x00, 0x13, 0xb5, 0x8f, 0xd6, 0x71, 0x66, 0xeb, 0xf5, 0x99, 0xd2, 0x47,
        0x20, 0xcf, 0xbe, 0x7e, 0xfa, 0x7a, 0x88, 0x64, 0xa9,
    ];

    // RFC 8448 §7, the compatibility-mode change_cipher_spec record.
    const CCS_RECORD: [u8; 6] = [0x14, 0x03, 0x03, 0x00, 0x01, 0x01];

    #[test]
    fn test_parse_record_header() {
        let h = RecordHeader::parse(&ALERT_RECORD).unwrap();
        assert_eq!(h.content_type, ContentType::ApplicationData);
        assert_eq!(h.legacy_record_version, 0x0303);
        assert_eq!(h.length, 19);
        assert!(RecordHeader::parse(&ALERT_RECORD[..4]).is_err());
    }

    #[test]
    fn test_emit_record_header() {
        let h = RecordHeader::parse(&ALERT_RECORD).unwrap();
        assert_eq!(h.to_bytes(), ALERT_RECORD[..5]);
    }

    #[test]
    fn test_parse_tls_plaintext() {
        let p = TLSPlaintext::parse(&CCS_RECORD).unwrap();
        assert_eq!(p.content_type, ContentType::ChangeCipherSpec);
        assert_eq!(p.legacy_record_version, LEGACY_RECORD_VERSION);
        assert_eq!(p.fragment, [0x01]);
        // Truncated, and with a trailing byte.
        assert!(TLSPlaintext::parse(&CCS_RECORD[..5]).is_err());
        let mut long = CCS_RECORD.to_vec();
        long.push(0);
        assert!(TLSPlaintext::parse(&long).is_err());
    }

    #[test]
    fn test_parse_tls_plaintext_rejects_overflow() {
        let mut record = alloc::vec![0x16, 0x03, 0x03, 0x40, 0x01];
        record.resize(RECORD_HEADER_LEN + MAX_PLAINTEXT_LEN + 1, 0);
        let err = TLSPlaintext::parse(&record).unwrap_err();
        assert_eq!(err.alert, AlertDescription::RecordOverflow);
        // Exactly 2^14 is allowed.
        record.pop();
        record[3..5].copy_from_slice(&0x4000u16.to_be_bytes());
        assert_eq!(
            TLSPlaintext::parse(&record).unwrap().fragment.len(),
            1 << 14
        );
    }

    #[test]
    fn test_emit_tls_plaintext() {
        let p = TLSPlaintext {
            content_type: ContentType::ChangeCipherSpec,
            legacy_record_version: LEGACY_RECORD_VERSION,
            fragment: &[0x01],
        };
        assert_eq!(p.to_bytes().unwrap(), CCS_RECORD);
        let too_long = [0u8; MAX_PLAINTEXT_LEN + 1];
        let p = TLSPlaintext {
            fragment: &too_long,
            ..p
        };
        assert_eq!(p.to_bytes(), Err(EncodeError));
    }

    #[test]
    fn test_parse_tls_ciphertext() {
        let c = TLSCiphertext::parse(&ALERT_RECORD).unwrap();
        assert_eq!(c.header.content_type, ContentType::ApplicationData);
        assert_eq!(c.encrypted_record, &ALERT_RECORD[5..]);
        assert!(TLSCiphertext::parse(&ALERT_RECORD[..23]).is_err());

        let mut record = alloc::vec![0x17, 0x03, 0x03];
        record.extend_from_slice(&((MAX_CIPHERTEXT_LEN + 1) as u16).to_be_bytes());
        record.resize(RECORD_HEADER_LEN + MAX_CIPHERTEXT_LEN + 1, 0);
        let err = TLSCiphertext::parse(&record).unwrap_err();
        assert_eq!(err.alert, AlertDescription::RecordOverflow);
    }

    #[test]
    fn test_emit_tls_ciphertext_header() {
        let h = TLSCiphertext::header_for_length(19).unwrap();
        assert_eq!(h.to_bytes(), ALERT_RECORD[..5]);
        assert!(TLSCiphertext::header_for_length(MAX_CIPHERTEXT_LEN).is_ok());
        assert_eq!(
            TLSCiphertext::header_for_length(MAX_CIPHERTEXT_LEN + 1),
            Err(EncodeError)
        );
    }

    #[test]
    fn test_parse_inner_plaintext_padding() {
        // An alert (0x15) with three bytes of padding.
        let inner = TLSInnerPlaintext::parse(&[0x01, 0x00, 0x15, 0, 0, 0]).unwrap();
        assert_eq!(inner.content, [0x01, 0x00]);
        assert_eq!(inner.content_type, ContentType::Alert);
        assert_eq!(inner.padding_len, 3);
        // Zero-length application data with no padding: just the type.
        let inner = TLSInnerPlaintext::parse(&[0x17]).unwrap();
        assert_eq!(inner.content, [0u8; 0]);
        assert_eq!(inner.content_type, ContentType::ApplicationData);
        assert_eq!(inner.padding_len, 0);
        // Content ending in zero bytes is fine: the type is the last non-zero byte.
        let inner = TLSInnerPlaintext::parse(&[0x00, 0x00, 0x16, 0x00]).unwrap();
        assert_eq!(inner.content, [0x00, 0x00]);
        assert_eq!(inner.content_type, ContentType::Handshake);
    }

    #[test]
    fn test_parse_inner_plaintext_all_zeros() {
        for len in [0, 1, 7] {
            let err = TLSInnerPlaintext::parse(&alloc::vec![0u8; len]).unwrap_err();
            assert_eq!(err.alert, AlertDescription::UnexpectedMessage);
        }
    }

    #[test]
    fn test_emit_inner_plaintext() {
        let inner = TLSInnerPlaintext {
            content: &[0x01, 0x00],
            content_type: ContentType::Alert,
            padding_len: 3,
        };
        let mut w = Writer::new();
        inner.emit(&mut w);
        let bytes = w.finish().unwrap();
        assert_eq!(bytes, [0x01, 0x00, 0x15, 0, 0, 0]);
        assert_eq!(TLSInnerPlaintext::parse(&bytes).unwrap(), inner);

        let mut trailer = [0xffu8; 4];
        TLSInnerPlaintext::emit_trailer(ContentType::Alert, &mut trailer);
        assert_eq!(trailer, [0x15, 0, 0, 0]);
    }
}
