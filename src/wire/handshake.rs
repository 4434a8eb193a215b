//! The handshake message framing (RFC 9846 §4) and [`HandshakeMessage`], the one type that
//! stands for any handshake message received or sent.
//!
//! Every handshake message travels as
//!
//! ```text
//! struct {
//!     HandshakeType msg_type;    /* handshake type */
//!     uint24 length;             /* remaining bytes in message */
//!     select (Handshake.msg_type) { ... };
//! } Handshake;
//! ```
//!
//! This module reads and writes that 4-byte header and dispatches the body to the message's
//! own module (`client_hello.rs`, `server_hello.rs`, ...). It implements:
//!
//! - [`split_header`]: looks at the start of a byte buffer and says which message begins there
//!   and how long it is, so an engine can find message boundaries in a stream of records
//!   (one message may span several records, one record may hold several messages).
//! - [`HandshakeMessage::decode`] / [`HandshakeMessage::encode`]: exactly one whole message.
//!
//! It does not reassemble fragments across records (that buffer belongs to the engine), and
//! it does not check whether a message is *expected* in the current state; that is the
//! engine's job too. What it does decide:
//!
//! - A `msg_type` that TLS 1.3 does not define, or `message_hash` (254, which is only ever
//!   hashed, never sent), fails with a [`DecodeError`] naming `unexpected_message`: RFC 9846
//!   §4 calls for that alert when a message arrives out of order, and a message no state can
//!   accept is out of order in every state.
//! - `server_hello` carries two messages: a random equal to
//!   [`HELLO_RETRY_REQUEST_RANDOM`](crate::wire::server_hello::HELLO_RETRY_REQUEST_RANDOM)
//!   makes it a [`HelloRetryRequest`] (RFC 9846 §4.2.3).
//! - `finished` has no length of its own: it is `Hash.length` of the negotiated suite, which
//!   the caller passes in.

use alloc::vec::Vec;

use crate::codec::{DecodeError, EncodeError, Reader, Writer};
use crate::wire::alert::AlertDescription;
use crate::wire::certificate::Certificate;
use crate::wire::certificate_request::CertificateRequest;
use crate::wire::certificate_verify::CertificateVerify;
use crate::wire::client_hello::ClientHello;
use crate::wire::codes::HandshakeType;
use crate::wire::encrypted_extensions::EncryptedExtensions;
use crate::wire::end_of_early_data::EndOfEarlyData;
use crate::wire::extensions::{Extension, ExtensionContext, decode_extensions, encode_extensions};
use crate::wire::finished::Finished;
use crate::wire::key_update::KeyUpdate;
use crate::wire::new_session_ticket::NewSessionTicket;
use crate::wire::server_hello::{HelloRetryRequest, ServerHello, ServerHelloMessage};

/// The size of the handshake header: `msg_type` (1 byte) and `length` (3 bytes).
pub const HANDSHAKE_HEADER_LEN: usize = 4;

/// The start of a handshake message: its type and the length of its body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HandshakeHeader {
    /// `msg_type`.
    pub msg_type: HandshakeType,
    /// `length`: the number of body bytes after the header.
    pub length: usize,
}

impl HandshakeHeader {
    /// The whole message's size on the wire, header included.
    pub fn message_len(&self) -> usize {
        HANDSHAKE_HEADER_LEN + self.length
    }
}

/// Reads the header at the start of `bytes`, if all four of its bytes are there.
///
/// Returns `Ok(None)` when fewer than [`HANDSHAKE_HEADER_LEN`] bytes are available (wait for
/// more), and the header otherwise; the body may still be incomplete, so compare
/// [`HandshakeHeader::message_len`] with what you have. A type no peer may send fails at
/// once with `unexpected_message`, so an engine never buffers the body of a message it
/// would reject anyway.
pub fn split_header(bytes: &[u8]) -> Result<Option<HandshakeHeader>, DecodeError> {
    if bytes.len() < HANDSHAKE_HEADER_LEN {
        return Ok(None);
    }
    let mut r = Reader::new(bytes);
    let msg_type = HandshakeType::from_u8(r.u8()?);
    let length = r.u24()? as usize;
    if !is_sent_on_the_wire(msg_type) {
        // RFC 9846 §4: "A peer which receives a handshake message in an unexpected order
        // MUST abort the handshake with an "unexpected_message" alert."
        return Err(DecodeError::with_alert(
            AlertDescription::UnexpectedMessage,
            "handshake type not defined for TLS 1.3",
        ));
    }
    Ok(Some(HandshakeHeader { msg_type, length }))
}

/// True for the types a peer may send in TLS 1.3 (every named type but `message_hash`).
fn is_sent_on_the_wire(msg_type: HandshakeType) -> bool {
    match msg_type {
        HandshakeType::ClientHello
        | HandshakeType::ServerHello
        | HandshakeType::NewSessionTicket
        | HandshakeType::EndOfEarlyData
        | HandshakeType::EncryptedExtensions
        | HandshakeType::Certificate
        | HandshakeType::CertificateRequest
        | HandshakeType::CertificateVerify
        | HandshakeType::Finished
        | HandshakeType::KeyUpdate => true,
        // RFC 9846 §4.1: message_hash is a "synthetic handshake message" that only exists
        // inside the transcript hash.
        HandshakeType::MessageHash | HandshakeType::Unknown(_) => false,
    }
}

/// Writes a handshake header for `msg_type` followed by whatever `body` writes.
pub fn encode_handshake(w: &mut Writer, msg_type: HandshakeType, body: impl FnOnce(&mut Writer)) {
    w.u8(msg_type.to_u8());
    w.len_u24(body);
}

/// Reads the extensions that end a ClientHello or ServerHello, whose block has a minimum
/// length (`<7..2^16-1>` and `<6..2^16-1>`) and may be absent altogether.
///
/// RFC 9846 §4.2.2: "TLS 1.3 servers might receive ClientHello messages without an
/// extensions field from prior versions of TLS. The presence of extensions can be detected
/// by determining whether there are bytes following the compression_methods field". A hello
/// without the field decodes with no extensions, so the engine, not finding
/// supported_versions, answers with the alert for an old version (protocol_version) rather
/// than decode_error.
pub(crate) fn decode_hello_extensions(
    r: &mut Reader<'_>,
    ctx: ExtensionContext,
    min_len: usize,
) -> Result<Vec<Extension>, DecodeError> {
    if r.is_empty() {
        return Ok(Vec::new());
    }
    // RFC 9846 §3.4: a vector's length must lie within its declared bounds.
    if usize::from(r.clone().u16()?) < min_len {
        return Err(DecodeError::decode(
            "extensions block shorter than its minimum",
        ));
    }
    decode_extensions(r, ctx)
}

/// Writes the extensions that end a ClientHello or ServerHello: an empty list is written as
/// no extensions field at all, the only form in which a hello can have none (see
/// [`decode_hello_extensions`]), so decoding and encoding stay mirror images.
pub(crate) fn encode_hello_extensions(w: &mut Writer, extensions: &[Extension]) {
    if !extensions.is_empty() {
        encode_extensions(w, extensions);
    }
}

/// Any handshake message a TLS 1.3 peer may send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HandshakeMessage {
    /// RFC 9846 §4.2.2.
    ClientHello(ClientHello),
    /// RFC 9846 §4.2.3.
    ServerHello(ServerHello),
    /// RFC 9846 §4.2.4 (sent with msg_type `server_hello`).
    HelloRetryRequest(HelloRetryRequest),
    /// RFC 9846 §4.4.1.
    EncryptedExtensions(EncryptedExtensions),
    /// RFC 9846 §4.4.2.
    CertificateRequest(CertificateRequest),
    /// RFC 9846 §4.5.1.
    Certificate(Certificate),
    /// RFC 9846 §4.5.2.
    CertificateVerify(CertificateVerify),
    /// RFC 9846 §4.5.3.
    Finished(Finished),
    /// RFC 9846 §4.6.
    EndOfEarlyData(EndOfEarlyData),
    /// RFC 9846 §4.7.1.
    NewSessionTicket(NewSessionTicket),
    /// RFC 9846 §4.7.3.
    KeyUpdate(KeyUpdate),
}

impl HandshakeMessage {
    /// The `msg_type` this message is sent under (HelloRetryRequest shares `server_hello`).
    pub fn handshake_type(&self) -> HandshakeType {
        match self {
            Self::ClientHello(_) => HandshakeType::ClientHello,
            Self::ServerHello(_) | Self::HelloRetryRequest(_) => HandshakeType::ServerHello,
            Self::EncryptedExtensions(_) => HandshakeType::EncryptedExtensions,
            Self::CertificateRequest(_) => HandshakeType::CertificateRequest,
            Self::Certificate(_) => HandshakeType::Certificate,
            Self::CertificateVerify(_) => HandshakeType::CertificateVerify,
            Self::Finished(_) => HandshakeType::Finished,
            Self::EndOfEarlyData(_) => HandshakeType::EndOfEarlyData,
            Self::NewSessionTicket(_) => HandshakeType::NewSessionTicket,
            Self::KeyUpdate(_) => HandshakeType::KeyUpdate,
        }
    }

    /// Decodes exactly one handshake message, header included.
    ///
    /// `hash_len` is `Hash.length` of the negotiated cipher suite, once a ServerHello has
    /// chosen one; it is the length a Finished message must have (RFC 9846 §4.5.3). A
    /// Finished received while it is `None` fails with `unexpected_message`: no suite, no
    /// Finished. Bytes after the message fail with `decode_error`; use [`split_header`] to
    /// cut a buffer into messages first.
    pub fn decode(bytes: &[u8], hash_len: Option<usize>) -> Result<Self, DecodeError> {
        let header = split_header(bytes)?.ok_or(DecodeError::decode("truncated input"))?;
        let mut r = Reader::new(bytes);
        r.take(HANDSHAKE_HEADER_LEN)?;
        let body = r.take(header.length)?;
        // RFC 9846 §4: `length` counts the "remaining bytes in message", so nothing may
        // follow them.
        r.finish()?;
        Ok(match header.msg_type {
            HandshakeType::ClientHello => Self::ClientHello(ClientHello::decode(body)?),
            HandshakeType::ServerHello => match ServerHelloMessage::decode(body)? {
                ServerHelloMessage::ServerHello(sh) => Self::ServerHello(sh),
                ServerHelloMessage::HelloRetryRequest(hrr) => Self::HelloRetryRequest(hrr),
            },
            HandshakeType::EncryptedExtensions => {
                Self::EncryptedExtensions(EncryptedExtensions::decode(body)?)
            }
            HandshakeType::CertificateRequest => {
                Self::CertificateRequest(CertificateRequest::decode(body)?)
            }
            HandshakeType::Certificate => Self::Certificate(Certificate::decode(body)?),
            HandshakeType::CertificateVerify => {
                Self::CertificateVerify(CertificateVerify::decode(body)?)
            }
            HandshakeType::Finished => {
                let len = hash_len.ok_or(DecodeError::with_alert(
                    AlertDescription::UnexpectedMessage,
                    "Finished before a cipher suite was negotiated",
                ))?;
                Self::Finished(Finished::decode(body, len)?)
            }
            HandshakeType::EndOfEarlyData => Self::EndOfEarlyData(EndOfEarlyData::decode(body)?),
            HandshakeType::NewSessionTicket => {
                Self::NewSessionTicket(NewSessionTicket::decode(body)?)
            }
            HandshakeType::KeyUpdate => Self::KeyUpdate(KeyUpdate::decode(body)?),
            // split_header already turned these away.
            HandshakeType::MessageHash | HandshakeType::Unknown(_) => {
                return Err(DecodeError::with_alert(
                    AlertDescription::UnexpectedMessage,
                    "handshake type not defined for TLS 1.3",
                ));
            }
        })
    }

    /// Appends the message, header included.
    pub fn encode_to(&self, w: &mut Writer) {
        encode_handshake(w, self.handshake_type(), |w| match self {
            Self::ClientHello(m) => m.encode(w),
            Self::ServerHello(m) => m.encode(w),
            Self::HelloRetryRequest(m) => m.encode(w),
            Self::EncryptedExtensions(m) => m.encode(w),
            Self::CertificateRequest(m) => m.encode(w),
            Self::Certificate(m) => m.encode(w),
            Self::CertificateVerify(m) => m.encode(w),
            Self::Finished(m) => m.encode(w),
            Self::EndOfEarlyData(m) => m.encode(w),
            Self::NewSessionTicket(m) => m.encode(w),
            Self::KeyUpdate(m) => m.encode(w),
        });
    }

    /// The message's bytes, header included: what is sent and what is hashed into the
    /// transcript (RFC 9846 §4.1).
    pub fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        let mut w = Writer::new();
        self.encode_to(&mut w);
        w.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::codes::KeyUpdateRequest;

    #[test]
    fn test_parse_header_waits_for_four_bytes() {
        assert_eq!(split_header(&[]).unwrap(), None);
        assert_eq!(split_header(&[0x14, 0x00, 0x00]).unwrap(), None);
        // RFC 8448 §3: the server Finished starts "14 00 00 20".
        let header = split_header(&[0x14, 0x00, 0x00, 0x20, 0x9b])
            .unwrap()
            .unwrap();
        assert_eq!(header.msg_type, HandshakeType::Finished);
        assert_eq!(header.length, 32);
        assert_eq!(header.message_len(), 36);
    }

    #[test]
    fn test_parse_header_rejects_unknown_and_synthetic_types() {
        for t in [0x00, 0x03, 0x06, 0x15, 0xfe, 0xff] {
            let err = split_header(&[t, 0, 0, 0]).unwrap_err();
            assert_eq!(err.alert, AlertDescription::UnexpectedMessage, "type {t}");
            let err = HandshakeMessage::decode(&[t, 0, 0, 0], Some(32)).unwrap_err();
            assert_eq!(err.alert, AlertDescription::UnexpectedMessage, "type {t}");
        }
    }

    #[test]
    fn test_parse_rejects_length_mismatch() {
        // key_update(24), length 1, body 01: well formed.
        let ok = HandshakeMessage::decode(&[0x18, 0, 0, 1, 1], None).unwrap();
        assert_eq!(
            ok,
            HandshakeMessage::KeyUpdate(KeyUpdate {
                request_update: KeyUpdateRequest::UpdateRequested
            })
        );
        for bad in [
            &[0x18, 0, 0, 1][..],
            &[0x18, 0, 0, 1, 1, 0],
            &[0x18, 0, 0, 2, 1],
        ] {
            let err = HandshakeMessage::decode(bad, None).unwrap_err();
            assert_eq!(err.alert, AlertDescription::DecodeError, "{bad:02x?}");
        }
    }

    #[test]
    fn test_parse_finished_needs_a_negotiated_hash() {
        let mut bytes = alloc::vec![0x14, 0x00, 0x00, 0x20];
        bytes.extend_from_slice(&[0xab; 32]);
        let err = HandshakeMessage::decode(&bytes, None).unwrap_err();
        assert_eq!(err.alert, AlertDescription::UnexpectedMessage);
        assert!(matches!(
            HandshakeMessage::decode(&bytes, Some(32)).unwrap(),
            HandshakeMessage::Finished(_)
        ));
        let err = HandshakeMessage::decode(&bytes, Some(48)).unwrap_err();
        assert_eq!(err.alert, AlertDescription::DecodeError);
    }

    #[test]
    fn test_emit_header_and_body() {
        let m = HandshakeMessage::EndOfEarlyData(EndOfEarlyData);
        // RFC 8448 §4: "EndOfEarlyData (4 octets): 05 00 00 00".
        assert_eq!(m.encode().unwrap(), [0x05, 0x00, 0x00, 0x00]);
    }
}
