//! max_fragment_length (RFC 6066 §4): a client's request for records of at most 2^9, 2^10,
//! 2^11 or 2^12 bytes of plaintext, which the server accepts by echoing the same value.
//!
//! RFC 8449 §5 deprecates it in favour of record_size_limit, and RFC 9846's table no longer
//! lists it, but RFC 8446 allowed it in CH and EE, so a TLS 1.3 peer may still send it. Not
//! checked here: that the server echoed the value the client asked for (RFC 6066 §4,
//! `illegal_parameter`); the client engine does that.

use crate::codec::{DecodeError, Reader, Writer};

/// `enum { 2^9(1), 2^10(2), 2^11(3), 2^12(4), (255) } MaxFragmentLength;`
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MaxFragmentLength {
    /// `2^9(1)`: 512 bytes.
    Len512,
    /// `2^10(2)`: 1024 bytes.
    Len1024,
    /// `2^11(3)`: 2048 bytes.
    Len2048,
    /// `2^12(4)`: 4096 bytes.
    Len4096,
}

impl MaxFragmentLength {
    /// The wire value.
    pub fn to_u8(self) -> u8 {
        match self {
            Self::Len512 => 1,
            Self::Len1024 => 2,
            Self::Len2048 => 3,
            Self::Len4096 => 4,
        }
    }

    /// The value for a wire byte, if it is one of the four RFC 6066 allows.
    pub fn from_u8(v: u8) -> Option<Self> {
        match v {
            1 => Some(Self::Len512),
            2 => Some(Self::Len1024),
            3 => Some(Self::Len2048),
            4 => Some(Self::Len4096),
            _ => None,
        }
    }

    /// The maximum plaintext length, in bytes.
    pub fn max_fragment_len(self) -> usize {
        match self {
            Self::Len512 => 1 << 9,
            Self::Len1024 => 1 << 10,
            Self::Len2048 => 1 << 11,
            Self::Len4096 => 1 << 12,
        }
    }

    /// Reads the one-byte value.
    pub fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        // RFC 6066 §4: "If a server receives a maximum fragment length negotiation request
        // for a value other than the allowed values, it MUST abort the handshake with an
        // "illegal_parameter" alert."
        Self::from_u8(r.u8()?).ok_or(DecodeError::illegal("max_fragment_length: bad value"))
    }

    /// Writes the one-byte value.
    pub fn encode(&self, w: &mut Writer) {
        w.u8(self.to_u8());
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{emit, parse, round_trip};
    use super::super::{Extension, ExtensionContext};
    use super::*;
    use crate::wire::alert::AlertDescription;
    use crate::wire::codes::ExtensionType;

    // RFC 8448 has no max_fragment_length; the values are RFC 6066 §4's.
    #[test]
    fn test_parse_max_fragment_length() {
        assert_eq!(
            parse(&[1], MaxFragmentLength::decode),
            Ok(MaxFragmentLength::Len512)
        );
        let len4096 = parse(&[4], MaxFragmentLength::decode).unwrap();
        assert_eq!(len4096.max_fragment_len(), 4096);
        for ctx in [
            ExtensionContext::ClientHello,
            ExtensionContext::EncryptedExtensions,
        ] {
            let ext = round_trip(ExtensionType::MaxFragmentLength, ctx, &[2]);
            assert_eq!(
                ext,
                Extension::MaxFragmentLength(MaxFragmentLength::Len1024)
            );
        }
    }

    #[test]
    fn test_emit_max_fragment_length() {
        assert_eq!(emit(|w| MaxFragmentLength::Len2048.encode(w)), [3]);
    }

    #[test]
    fn test_parse_rejects_other_max_fragment_lengths() {
        for v in [0, 5, 255] {
            let err = parse(&[v], MaxFragmentLength::decode).unwrap_err();
            assert_eq!(err.alert, AlertDescription::IllegalParameter, "{v}");
        }
    }
}
