//! KeyUpdate (RFC 9846 §4.7.3): a post-handshake message announcing that the sender now
//! protects its records with the next generation of traffic keys, optionally asking the peer
//! to do the same.
//!
//! ```text
//! enum {
//!     update_not_requested(0), update_requested(1), (255)
//! } KeyUpdateRequest;
//!
//! struct {
//!     KeyUpdateRequest request_update;
//! } KeyUpdate;
//! ```
//!
//! Updating the secrets (RFC 9846 §7.2) and the rule that a KeyUpdate before Finished is
//! `unexpected_message` belong to the key schedule and the engine.

use crate::codec::{DecodeError, Reader, Writer};
use crate::wire::codes::KeyUpdateRequest;

/// RFC 9846 §4.7.3: the KeyUpdate message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyUpdate {
    /// `request_update`: whether the receiver must answer with a KeyUpdate of its own.
    pub request_update: KeyUpdateRequest,
}

impl KeyUpdate {
    /// Decodes a KeyUpdate body.
    pub fn decode(body: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(body);
        let request_update = KeyUpdateRequest::from_u8(r.u8()?);
        r.finish()?;
        // RFC 9846 §4.7.3: "If an implementation receives any other value, it MUST terminate
        // the connection with an "illegal_parameter" alert."
        if let KeyUpdateRequest::Unknown(_) = request_update {
            return Err(DecodeError::illegal("request_update is neither 0 nor 1"));
        }
        Ok(Self { request_update })
    }

    /// Appends the KeyUpdate body.
    pub fn encode(&self, w: &mut Writer) {
        w.u8(self.request_update.to_u8());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::alert::AlertDescription;

    #[test]
    fn test_parse_request_update_values() {
        let not = KeyUpdate::decode(&[0]).unwrap();
        assert_eq!(not.request_update, KeyUpdateRequest::UpdateNotRequested);
        let yes = KeyUpdate::decode(&[1]).unwrap();
        assert_eq!(yes.request_update, KeyUpdateRequest::UpdateRequested);
        for v in 2..=255u8 {
            let err = KeyUpdate::decode(&[v]).unwrap_err();
            assert_eq!(err.alert, AlertDescription::IllegalParameter, "value {v}");
        }
        for bad in [&[][..], &[0, 0]] {
            assert_eq!(
                KeyUpdate::decode(bad).unwrap_err().alert,
                AlertDescription::DecodeError
            );
        }
    }

    #[test]
    fn test_emit_request_update() {
        for (request_update, byte) in [
            (KeyUpdateRequest::UpdateNotRequested, 0u8),
            (KeyUpdateRequest::UpdateRequested, 1),
        ] {
            let mut w = Writer::new();
            KeyUpdate { request_update }.encode(&mut w);
            assert_eq!(w.finish().unwrap(), [byte]);
        }
    }
}
