//! The record protocol (RFC 9846 §5): cutting the byte stream into records, protecting
//! and deprotecting them, and the limits that apply to both.
//!
//! | RFC 9846                              | here                                           |
//! |---------------------------------------|------------------------------------------------|
//! | §5.1 record framing, byte formats     | [`crate::wire::record`]                        |
//! | §5 / §5.1 / §5.4 content-type rules   | [`check_unprotected`], [`check_protected`]     |
//! | receiving a stream of records         | [`deframer::RecordDeframer`]                   |
//! | §5.2 record payload protection        | [`encrypter::RecordEncrypter`], [`decrypter::RecordDecrypter`] |
//! | §5.3 per-record nonce                 | [`nonce`]                                      |
//! | §5.4 record padding                   | [`encrypter::Padding`]                         |
//! | §5.1 / §5.4 size limits, RFC 8449, RFC 6066 | [`limits::RecordSizeLimit`]              |
//! | §5.5 limits on key usage              | [`limits::key_usage_limit`]                    |
//!
//! Receiving goes: bytes → [`deframer::RecordDeframer`] → one complete record → either
//! [`crate::wire::record::TLSPlaintext::parse`] (before keys) or
//! [`decrypter::RecordDecrypter::decrypt_in_place`] (after) → a `TLSPlaintext` whose type
//! is checked here. Sending is the mirror image.
//!
//! Not here: which key is in force when (the engines switch keys at the points RFC 9846 §4
//! names), deriving keys (the key schedule), dropping change_cipher_spec records (the
//! engine, RFC 9846 §5 and Appendix E.4), and reassembling handshake messages that span
//! records.

use crate::error::Error;
use crate::wire::codes::ContentType;

pub mod decrypter;
pub mod deframer;
pub mod encrypter;
pub mod limits;
pub mod nonce;

/// Checks the type and length of a record received in the clear.
///
/// change_cipher_spec is let through: whether it may appear now and holds the byte 0x01
/// is for the engine to decide (RFC 9846 §5).
pub fn check_unprotected(content_type: ContentType, fragment_len: usize) -> Result<(), Error> {
    content_rule(content_type, fragment_len, false).map_err(unexpected_message)
}

/// Checks the inner type and content length of a record that was just deprotected.
pub fn check_protected(content_type: ContentType, content_len: usize) -> Result<(), Error> {
    content_rule(content_type, content_len, true).map_err(unexpected_message)
}

/// The rule both directions obey; a violation is named by its reason. Senders turn it
/// into [`Error::Misuse`], receivers into unexpected_message.
pub(crate) fn content_rule(
    content_type: ContentType,
    content_len: usize,
    protected: bool,
) -> Result<(), &'static str> {
    match (content_type, protected) {
        (ContentType::Handshake | ContentType::Alert, _) => {
            // RFC 9846 §5.4: "Implementations MUST NOT send Handshake and Alert records that
            // have a zero-length TLSInnerPlaintext.content; if such a message is received,
            // the receiving implementation MUST terminate the connection with an
            // "unexpected_message" alert." RFC 9846 §5.1 forbids zero-length Handshake
            // fragments in the clear too.
            if content_len == 0 {
                Err("zero-length handshake or alert record")
            } else {
                Ok(())
            }
        }
        // RFC 9846 §5.1: "Application Data records MUST NOT be written to the wire
        // unprotected".
        (ContentType::ApplicationData, true) => Ok(()),
        (ContentType::ApplicationData, false) => Err("unprotected application_data record"),
        (ContentType::ChangeCipherSpec, false) => Ok(()),
        // RFC 9846 §5: "An implementation which receives [...] a protected
        // change_cipher_spec record MUST abort the handshake with an "unexpected_message"
        // alert."
        (ContentType::ChangeCipherSpec, true) => Err("protected change_cipher_spec record"),
        // RFC 9846 §5: "If a TLS implementation receives an unexpected record type, it MUST
        // terminate the connection with an "unexpected_message" alert."
        (ContentType::Invalid | ContentType::Unknown(_), _) => Err("unknown record type"),
    }
}

use crate::error::unexpected_message;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::alert::AlertDescription;

    const UNEXPECTED: Option<AlertDescription> = Some(AlertDescription::UnexpectedMessage);

    #[test]
    fn test_parse_unprotected_content_types() {
        assert!(check_unprotected(ContentType::Handshake, 4).is_ok());
        assert!(check_unprotected(ContentType::Alert, 2).is_ok());
        assert!(check_unprotected(ContentType::ChangeCipherSpec, 1).is_ok());
        for (typ, len) in [
            (ContentType::ApplicationData, 10),
            (ContentType::Handshake, 0),
            (ContentType::Alert, 0),
            (ContentType::Invalid, 1),
            (ContentType::Unknown(24), 1),
        ] {
            let err = check_unprotected(typ, len).unwrap_err();
            assert_eq!(err.alert(), UNEXPECTED, "{typ:?} of {len} bytes");
        }
    }

    #[test]
    fn test_parse_protected_content_types() {
        assert!(check_protected(ContentType::Handshake, 4).is_ok());
        assert!(check_protected(ContentType::Alert, 2).is_ok());
        // RFC 9846 §5.4: zero-length application data is allowed (cover traffic).
        assert!(check_protected(ContentType::ApplicationData, 0).is_ok());
        for (typ, len) in [
            (ContentType::ChangeCipherSpec, 1),
            (ContentType::Handshake, 0),
            (ContentType::Alert, 0),
            (ContentType::Unknown(0x18), 3),
        ] {
            let err = check_protected(typ, len).unwrap_err();
            assert_eq!(err.alert(), UNEXPECTED, "{typ:?} of {len} bytes");
        }
    }
}
