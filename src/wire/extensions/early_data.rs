//! early_data (RFC 9846 §4.3.10): 0-RTT, application data sent in the client's first flight.
//!
//! ```text
//! struct {} Empty;
//! struct {
//!     select (Handshake.msg_type) {
//!         case new_session_ticket:   uint32 max_early_data_size;
//!         case client_hello:         Empty;
//!         case encrypted_extensions: Empty;
//!     };
//! } EarlyDataIndication;
//! ```
//!
//! In a ClientHello the empty body says "early data follows"; in EncryptedExtensions it says
//! "accepted" ([`super::Extension::EarlyData`]). In a NewSessionTicket it says how much
//! early data the ticket allows ([`super::Extension::EarlyDataMaxSize`]). Whether 0-RTT may
//! be accepted (same PSK, version, suite and ALPN) is for the engines.

use crate::codec::{DecodeError, Reader, Writer};

/// Reads the NewSessionTicket form, `uint32 max_early_data_size`: the most 0-RTT
/// application data, in bytes, the client may send with this ticket (RFC 9846 §4.7.1).
pub fn decode_max_early_data_size(r: &mut Reader<'_>) -> Result<u32, DecodeError> {
    r.u32()
}

/// Writes the NewSessionTicket form.
pub fn encode_max_early_data_size(w: &mut Writer, max_early_data_size: u32) {
    w.u32(max_early_data_size);
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{emit, parse, round_trip};
    use super::super::{Extension, ExtensionContext};
    use super::*;
    use crate::wire::alert::AlertDescription;
    use crate::wire::codes::ExtensionType;

    #[test]
    fn test_parse_early_data_max_size() {
        // RFC 8448 §3, NewSessionTicket: early_data with max_early_data_size 1024.
        let body = [0x00, 0x00, 0x04, 0x00];
        assert_eq!(parse(&body, decode_max_early_data_size), Ok(1024));
        let ext = round_trip(
            ExtensionType::EarlyData,
            ExtensionContext::NewSessionTicket,
            &body,
        );
        assert_eq!(ext, Extension::EarlyDataMaxSize(1024));
    }

    #[test]
    fn test_emit_early_data_max_size() {
        assert_eq!(emit(|w| encode_max_early_data_size(w, 1024)), [0, 0, 4, 0]);
    }

    #[test]
    fn test_parse_early_data_empty() {
        // RFC 8448 §4: an empty early_data in the ClientHello and in EncryptedExtensions.
        for ctx in [
            ExtensionContext::ClientHello,
            ExtensionContext::EncryptedExtensions,
        ] {
            let ext = round_trip(ExtensionType::EarlyData, ctx, &[]);
            assert_eq!(ext, Extension::EarlyData);
            let err = Extension::decode_body(ExtensionType::EarlyData, &[0], ctx).unwrap_err();
            assert_eq!(err.alert, AlertDescription::DecodeError);
        }
        let short = Extension::decode_body(
            ExtensionType::EarlyData,
            &[0, 0, 4],
            ExtensionContext::NewSessionTicket,
        );
        assert_eq!(short.unwrap_err().alert, AlertDescription::DecodeError);
    }

    #[test]
    fn test_emit_early_data_empty() {
        assert_eq!(
            emit(|w| Extension::EarlyData.encode(w)),
            [0x00, 0x2a, 0x00, 0x00]
        );
    }
}
