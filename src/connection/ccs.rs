//! The dummy change_cipher_spec rules (RFC 9846 §5 and Appendix E.4).
//!
//! TLS 1.3 has no ChangeCipherSpec message. It keeps the record type only so that a TLS 1.3
//! handshake can look like TLS 1.2 session resumption to middleboxes ("middlebox
//! compatibility mode", Appendix E.4): each side may send one dummy record `14 03 03 00 01
//! 01` during the handshake, and the other side drops it. RFC 9846 §5:
//!
//! > An implementation may receive an unencrypted record of type change_cipher_spec
//! > consisting of the single byte value 0x01 at any time after the first ClientHello
//! > message has been sent or received and before the peer's Finished message has been
//! > received and MUST simply drop it without further processing. [...] An implementation
//! > which receives any other change_cipher_spec value or which receives a protected
//! > change_cipher_spec record MUST abort the handshake with an "unexpected_message" alert.
//! > If an implementation detects a change_cipher_spec record received before the first
//! > ClientHello message or after the peer's Finished message, it MUST be treated as an
//! > unexpected record type.
//!
//! The RFC puts no number on how many dummies may arrive in that window; this
//! implementation drops each one (a peer that floods them gains nothing it could not get
//! by flooding the TCP connection). A protected change_cipher_spec is refused by the
//! record layer ([`crate::record::check_protected`]); this module judges the unprotected
//! ones. Sending the dummy is the state machines' decision, through
//! `ConnectionCore::send_dummy_change_cipher_spec`.

use super::core::unexpected;
use crate::error::Error;

/// The one byte a dummy change_cipher_spec record carries.
pub const CHANGE_CIPHER_SPEC_BYTE: u8 = 0x01;

/// The complete dummy record: type 20, legacy version 0x0303, length 1, value 0x01.
pub const DUMMY_CHANGE_CIPHER_SPEC_RECORD: [u8; 6] = [0x14, 0x03, 0x03, 0x00, 0x01, 0x01];

/// Where the connection is relative to the window in which dummies are dropped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CcsWindow {
    /// Before the first ClientHello was sent (client) or received (server).
    #[default]
    BeforeClientHello,
    /// Between the first ClientHello and the peer's Finished: dummies are dropped.
    Open,
    /// After the peer's Finished.
    Closed,
}

impl CcsWindow {
    /// Judges an unprotected change_cipher_spec record whose fragment is `fragment`.
    /// `Ok(())` means: drop it and carry on.
    pub fn check_received(self, fragment: &[u8]) -> Result<(), Error> {
        match self {
            CcsWindow::Open if fragment == [CHANGE_CIPHER_SPEC_BYTE] => Ok(()),
            // RFC 9846 §5: "An implementation which receives any other change_cipher_spec
            // value [...] MUST abort the handshake with an "unexpected_message" alert."
            CcsWindow::Open => Err(unexpected("change_cipher_spec other than the byte 0x01")),
            // RFC 9846 §5: a change_cipher_spec "received before the first ClientHello
            // message or after the peer's Finished message, it MUST be treated as an
            // unexpected record type", and RFC 9846 §5: "If a TLS implementation receives an
            // unexpected record type, it MUST terminate the connection with an
            // "unexpected_message" alert."
            CcsWindow::BeforeClientHello | CcsWindow::Closed => {
                Err(unexpected("change_cipher_spec outside the handshake"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::alert::AlertDescription;

    const UNEXPECTED: Option<AlertDescription> = Some(AlertDescription::UnexpectedMessage);

    #[test]
    fn test_parse_dummy_ccs_dropped_only_inside_the_window() {
        assert!(CcsWindow::Open.check_received(&[0x01]).is_ok());
        for window in [CcsWindow::BeforeClientHello, CcsWindow::Closed] {
            let err = window.check_received(&[0x01]).unwrap_err();
            assert_eq!(err.alert(), UNEXPECTED, "{window:?}");
        }
    }

    #[test]
    fn test_parse_ccs_with_other_contents_is_refused() {
        for fragment in [&[0x00][..], &[0x02], &[0x01, 0x01], &[]] {
            let err = CcsWindow::Open.check_received(fragment).unwrap_err();
            assert_eq!(err.alert(), UNEXPECTED, "{fragment:02x?}");
        }
    }

    #[test]
    fn test_emit_dummy_record_bytes() {
        // RFC 8448 §7: the client's "complete record" for its change_cipher_spec.
        assert_eq!(
            DUMMY_CHANGE_CIPHER_SPEC_RECORD,
            [0x14, 0x03, 0x03, 0x00, 0x01, 0x01]
        );
    }
}
