//! The Alert message (RFC 9846 §6): a level and a description, two bytes in all.
//!
//! Implements the wire form. The level and description codes, with the full AlertDescription
//! registry of RFC 9846 Appendix B.2, are defined in `alert_codes.rs` (below the codec, whose
//! `DecodeError` names the alert it calls for) and re-exported here.
//! Deciding *which* alert a failure calls for is done where the failure is detected; turning
//! an alert into a record is the record layer's job.

pub use crate::alert_codes::{AlertDescription, AlertLevel};
use crate::codec::{DecodeError, Reader, Writer};

/// RFC 9846 §6: `struct { AlertLevel level; AlertDescription description; } Alert;`
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Alert {
    /// The level byte.
    pub level: AlertLevel,
    /// What happened.
    pub description: AlertDescription,
}

impl Alert {
    /// A fatal alert, the only kind TLS 1.3 sends for errors.
    pub fn fatal(description: AlertDescription) -> Self {
        Self {
            level: AlertLevel::Fatal,
            description,
        }
    }

    /// The close_notify alert (RFC 9846 §6.1), sent with level warning.
    pub fn close_notify() -> Self {
        Self {
            level: AlertLevel::Warning,
            description: AlertDescription::CloseNotify,
        }
    }

    /// Decodes the two bytes of an alert record's body.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        let level = AlertLevel::from_u8(r.u8()?);
        let description = AlertDescription::from_u8(r.u8()?);
        r.finish()?;
        Ok(Self { level, description })
    }

    /// Appends the two bytes of this alert.
    pub fn encode(&self, w: &mut Writer) {
        w.u8(self.level.to_u8());
        w.u8(self.description.to_u8());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_parse_and_emit_every_description() {
        for v in 0..=255u8 {
            let alert = Alert::decode(&[2, v]).unwrap();
            assert_eq!(alert.description.to_u8(), v);
            let mut w = Writer::new();
            alert.encode(&mut w);
            assert_eq!(w.finish().unwrap(), [2, v]);
        }
        assert!(Alert::decode(&[2]).is_err());
        assert!(Alert::decode(&[2, 0, 0]).is_err());
    }
}
