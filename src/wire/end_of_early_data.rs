//! EndOfEarlyData (RFC 9846 §4.6): the client's marker that its 0-RTT data is over and what
//! follows is protected under handshake keys.
//!
//! ```text
//! struct {} EndOfEarlyData;
//! ```
//!
//! The body is empty. That only a client sends it, and only after the server accepted
//! early_data, is checked by the engine (RFC 9846 §4.6: a client receiving it MUST send
//! `unexpected_message`).

use crate::codec::{DecodeError, Reader, Writer};

/// RFC 9846 §4.6: the EndOfEarlyData message.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EndOfEarlyData;

impl EndOfEarlyData {
    /// Decodes an EndOfEarlyData body, which must be empty.
    pub fn decode(body: &[u8]) -> Result<Self, DecodeError> {
        Reader::new(body).finish()?;
        Ok(Self)
    }

    /// Appends the EndOfEarlyData body: nothing.
    pub fn encode(&self, _w: &mut Writer) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::alert::AlertDescription;

    #[test]
    fn test_parse_empty_body_only() {
        assert_eq!(EndOfEarlyData::decode(&[]).unwrap(), EndOfEarlyData);
        let err = EndOfEarlyData::decode(&[0]).unwrap_err();
        assert_eq!(err.alert, AlertDescription::DecodeError);
    }

    #[test]
    fn test_emit_nothing() {
        let mut w = Writer::new();
        EndOfEarlyData.encode(&mut w);
        assert!(w.finish().unwrap().is_empty());
    }
}
