//! The synthetic `message_hash` handshake message (RFC 9846 §4.1), which stands in for the
//! first ClientHello in the transcript once a HelloRetryRequest has been sent.
//!
//! ```text
//! Transcript-Hash(ClientHello1, HelloRetryRequest, ... Mn) =
//!     Hash(message_hash ||        /* Handshake type */
//!          00 00 Hash.length  ||  /* Handshake message length (bytes) */
//!          Hash(ClientHello1) ||  /* Hash of ClientHello1 */
//!          HelloRetryRequest  || ... || Mn)
//! ```
//!
//! It is never sent: [`crate::wire::handshake::HandshakeMessage::decode`] rejects type 254
//! from the wire with `unexpected_message`. This module only builds (and, for tests and
//! stateless-HRR cookies, reads back) its bytes; feeding them to the transcript is the
//! transcript module's job.

use alloc::vec::Vec;

use crate::codec::{DecodeError, EncodeError, Reader, Writer};
use crate::wire::codes::HandshakeType;
use crate::wire::handshake::encode_handshake;

/// RFC 9846 §4.1: the synthetic message_hash message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageHash {
    /// Hash(ClientHello1), Hash.length bytes, computed with the negotiated hash.
    pub client_hello1_hash: Vec<u8>,
}

impl MessageHash {
    /// Decodes a message_hash body that must be exactly `hash_len` bytes.
    pub fn decode(body: &[u8], hash_len: usize) -> Result<Self, DecodeError> {
        let mut r = Reader::new(body);
        let client_hello1_hash = r.take(hash_len)?.to_vec();
        r.finish()?;
        Ok(Self { client_hello1_hash })
    }

    /// Appends the message_hash body: the hash itself.
    pub fn encode(&self, w: &mut Writer) {
        w.bytes(&self.client_hello1_hash);
    }

    /// The whole synthetic message, `254 || 00 00 Hash.length || Hash(ClientHello1)`, as it
    /// enters the transcript.
    pub fn to_bytes(&self) -> Result<Vec<u8>, EncodeError> {
        let mut w = Writer::new();
        encode_handshake(&mut w, HandshakeType::MessageHash, |w| self.encode(w));
        w.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::alert::AlertDescription;
    use crate::wire::handshake::HandshakeMessage;

    #[test]
    fn test_emit_message_hash_layout() {
        for hash_len in [32usize, 48] {
            let hash: Vec<u8> = (0..hash_len as u8).collect();
            let bytes = MessageHash {
                client_hello1_hash: hash.clone(),
            }
            .to_bytes()
            .unwrap();
            assert_eq!(bytes[..4], [0xfe, 0x00, 0x00, hash_len as u8]);
            assert_eq!(bytes[4..], hash);
        }
    }

    #[test]
    fn test_parse_message_hash_body() {
        let hash = [0x5a; 32];
        assert_eq!(
            MessageHash::decode(&hash, 32).unwrap().client_hello1_hash,
            hash
        );
        assert!(MessageHash::decode(&hash, 48).is_err());
        assert!(MessageHash::decode(&hash[..31], 32).is_err());
    }

    #[test]
    fn test_parse_message_hash_never_from_the_wire() {
        let bytes = MessageHash {
            client_hello1_hash: alloc::vec![0; 32],
        }
        .to_bytes()
        .unwrap();
        let err = HandshakeMessage::decode(&bytes, Some(32)).unwrap_err();
        assert_eq!(err.alert, AlertDescription::UnexpectedMessage);
    }
}
