//! Finished (RFC 9846 §4.5.3): the MAC over the whole handshake that closes each side's
//! authentication block.
//!
//! ```text
//! struct {
//!     opaque verify_data[Hash.length];
//! } Finished;
//! ```
//!
//! The body has no length prefix: its size is `Hash.length` of the negotiated suite, which
//! the decoder therefore takes as a parameter. Computing verify_data (an HMAC) and comparing
//! it in constant time are the key schedule's and the engine's work, not this module's.

use alloc::vec::Vec;

use crate::codec::{DecodeError, Reader, Writer};

/// RFC 9846 §4.5.3: the Finished message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finished {
    /// `verify_data`: HMAC(finished_key, Transcript-Hash(...)), Hash.length bytes.
    pub verify_data: Vec<u8>,
}

impl Finished {
    /// Decodes a Finished body that must be exactly `hash_len` (Hash.length) bytes.
    ///
    /// A body of any other length is a `decode_error`: RFC 9846 §6.2 "the length of the
    /// message was incorrect".
    pub fn decode(body: &[u8], hash_len: usize) -> Result<Self, DecodeError> {
        let mut r = Reader::new(body);
        let verify_data = r.take(hash_len)?.to_vec();
        r.finish()?;
        Ok(Self { verify_data })
    }

    /// Appends the Finished body (verify_data, with no length prefix).
    pub fn encode(&self, w: &mut Writer) {
        w.bytes(&self.verify_data);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::alert::AlertDescription;

    /// RFC 8448 §3, the server's "construct a Finished handshake message", without its header.
    const SIMPLE_SERVER_FINISHED: &str =
        "9b9b141d906337fbd2cbdce71df4deda4ab42c309572cb7fffee5454b78f0718";

    #[test]
    fn test_parse_rfc8448_finished() {
        let body = hex::decode(SIMPLE_SERVER_FINISHED).unwrap();
        let fin = Finished::decode(&body, 32).unwrap();
        assert_eq!(fin.verify_data, body);
    }

    #[test]
    fn test_emit_rfc8448_finished() {
        let body = hex::decode(SIMPLE_SERVER_FINISHED).unwrap();
        let mut w = Writer::new();
        Finished::decode(&body, 32).unwrap().encode(&mut w);
        assert_eq!(w.finish().unwrap(), body);
    }

    #[test]
    fn test_parse_rejects_wrong_length() {
        let body = hex::decode(SIMPLE_SERVER_FINISHED).unwrap();
        for (bytes, hash_len) in [(&body[..31], 32), (&body[..], 48), (&body[..], 31)] {
            let err = Finished::decode(bytes, hash_len).unwrap_err();
            assert_eq!(err.alert, AlertDescription::DecodeError);
        }
    }
}
