//! padding (RFC 7685 §3): zero bytes a client adds to make its ClientHello a chosen size
//! (some middleboxes mishandle ClientHellos of certain lengths).
//!
//! RFC 7685 §3 asks the client to fill the extension "completely with zero bytes" and the
//! server not to echo it; it asks the receiver to check nothing. So we keep only the length
//! of a well-formed padding ([`super::Extension::Padding`]) and emit zeros. A padding with
//! non-zero bytes is tolerated but kept as [`super::Extension::Unknown`], so that its bytes,
//! which the transcript hash covers, re-encode exactly as received.

use crate::codec::{DecodeError, Reader, Writer};

/// True if `data` is a padding body as RFC 7685 asks: only zero bytes (possibly none).
pub fn is_all_zeros(data: &[u8]) -> bool {
    data.iter().all(|&b| b == 0)
}

/// Reads the padding body and returns its length.
pub fn decode_padding(r: &mut Reader<'_>) -> Result<u16, DecodeError> {
    let zeros = r.rest();
    u16::try_from(zeros.len()).map_err(|_| DecodeError::decode("padding longer than 2^16-1"))
}

/// Writes `len` zero bytes.
pub fn encode_padding(w: &mut Writer, len: u16) {
    for _ in 0..len {
        w.u8(0);
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{emit, parse, round_trip};
    use super::super::{Extension, ExtensionContext};
    use super::*;
    use crate::wire::codes::ExtensionType;
    use alloc::vec;

    #[test]
    fn test_parse_padding() {
        // RFC 8448 §4, ClientHello: padding of 0x57 = 87 zero bytes.
        let zeros = [0u8; 87];
        assert_eq!(parse(&zeros, decode_padding), Ok(87));
        let ext = round_trip(
            ExtensionType::Padding,
            ExtensionContext::ClientHello,
            &zeros,
        );
        assert_eq!(ext, Extension::Padding(87));
        let empty = round_trip(ExtensionType::Padding, ExtensionContext::ClientHello, &[]);
        assert_eq!(empty, Extension::Padding(0));
    }

    #[test]
    fn test_emit_padding() {
        // RFC 8448 §5, second ClientHello: padding of 0xaf = 175 zero bytes.
        assert_eq!(emit(|w| encode_padding(w, 175)), [0u8; 175]);
    }

    #[test]
    fn test_parse_padding_with_non_zero_bytes_kept_opaque() {
        let ext = round_trip(
            ExtensionType::Padding,
            ExtensionContext::ClientHello,
            &[0, 1],
        );
        let expected = Extension::Unknown {
            typ: ExtensionType::Padding,
            data: vec![0, 1],
        };
        assert_eq!(ext, expected);
    }
}
