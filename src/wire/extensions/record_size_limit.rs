//! record_size_limit (RFC 8449 §4): the largest protected record plaintext an endpoint is
//! willing to receive, counting TLS 1.3's inner content type and padding.
//!
//! The client sends its limit in the ClientHello and the server its own in
//! EncryptedExtensions. Not checked here: the upper bound. In TLS 1.3 a value above 2^14+1
//! is one a client MAY reject and a server MUST NOT (RFC 8449 §4); the engines decide, and
//! the record layer applies the limit.

use crate::codec::{DecodeError, Reader, Writer};

/// The smallest limit RFC 8449 allows.
pub const MIN_RECORD_SIZE_LIMIT: u16 = 64;

/// Reads `uint16 RecordSizeLimit`.
pub fn decode_record_size_limit(r: &mut Reader<'_>) -> Result<u16, DecodeError> {
    let limit = r.u16()?;
    // RFC 8449 §4: "Endpoints MUST NOT send a "record_size_limit" extension with a value
    // smaller than 64. An endpoint MUST treat receipt of a smaller value as a fatal error and
    // generate an "illegal_parameter" alert."
    if limit < MIN_RECORD_SIZE_LIMIT {
        return Err(DecodeError::illegal("record_size_limit below 64"));
    }
    Ok(limit)
}

/// Writes `uint16 RecordSizeLimit`.
pub fn encode_record_size_limit(w: &mut Writer, limit: u16) {
    w.u16(limit);
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{emit, parse, round_trip};
    use super::super::{Extension, ExtensionContext};
    use super::*;
    use crate::wire::alert::AlertDescription;
    use crate::wire::codes::ExtensionType;

    #[test]
    fn test_parse_record_size_limit() {
        // RFC 8448 §3, ClientHello and EncryptedExtensions: 0x4001 = 2^14+1.
        assert_eq!(parse(&[0x40, 0x01], decode_record_size_limit), Ok(0x4001));
        for ctx in [
            ExtensionContext::ClientHello,
            ExtensionContext::EncryptedExtensions,
        ] {
            let ext = round_trip(ExtensionType::RecordSizeLimit, ctx, &[0x40, 0x01]);
            assert_eq!(ext, Extension::RecordSizeLimit(16385));
        }
        assert_eq!(parse(&[0x00, 0x40], decode_record_size_limit), Ok(64));
    }

    #[test]
    fn test_emit_record_size_limit() {
        assert_eq!(emit(|w| encode_record_size_limit(w, 16385)), [0x40, 0x01]);
    }

    #[test]
    fn test_parse_rejects_record_size_limit_below_64() {
        let err = parse(&[0x00, 0x3f], decode_record_size_limit).unwrap_err();
        assert_eq!(err.alert, AlertDescription::IllegalParameter);
    }
}
