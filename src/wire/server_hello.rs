//! ServerHello (RFC 9846 §4.2.3) and HelloRetryRequest (RFC 9846 §4.2.4): the server's
//! answer to a ClientHello, either choosing the connection's parameters or asking the client
//! to try again with a different key share or a cookie.
//!
//! ```text
//! struct {
//!     ProtocolVersion legacy_version = 0x0303;    /* TLS v1.2 */
//!     Random random;
//!     opaque legacy_session_id_echo<0..32>;
//!     CipherSuite cipher_suite;
//!     uint8 legacy_compression_method = 0;
//!     Extension extensions<6..2^16-1>;
//! } ServerHello;
//! ```
//!
//! Both messages share this structure and the `server_hello` type; a HelloRetryRequest is
//! the one whose random is [`HELLO_RETRY_REQUEST_RANDOM`]. [`ServerHelloMessage::decode`]
//! looks at the random first and decodes the extensions in the matching context, as RFC
//! 9846 §4.2.3 requires: "Upon receiving a message with type server_hello, implementations
//! MUST first examine the Random value and, if it matches this value, process it as
//! described in Section 4.2.4."
//!
//! As for the ClientHello, `legacy_version` and `legacy_compression_method` are checked by
//! [`check_legacy_fields`] once the client knows it is looking at a TLS 1.3 answer (one with
//! supported_versions), not by the decoder: an old server must get `protocol_version`.
//! Comparing the echoed session id and the suite with what the client sent is the client
//! engine's job.

use alloc::vec::Vec;

use crate::codec::{DecodeError, Reader, Writer};
use crate::wire::alert::AlertDescription;
use crate::wire::algorithms::CipherSuite;
use crate::wire::codes::{ExtensionType, ProtocolVersion};
use crate::wire::extensions::{Extension, ExtensionContext};
use crate::wire::handshake::{decode_hello_extensions, encode_hello_extensions};

/// RFC 9846 §4.2.3: the random that marks a HelloRetryRequest, "the SHA-256 of
/// "HelloRetryRequest"".
pub const HELLO_RETRY_REQUEST_RANDOM: [u8; 32] = [
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
];

/// RFC 9846 §4.2.3: the last 8 bytes of ServerHello.random when a TLS 1.3 server
/// negotiates TLS 1.2 ("DOWNGRD" and 0x01).
pub const DOWNGRADE_TLS12: [u8; 8] = [0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x01];

/// RFC 9846 §4.2.3: the last 8 bytes of ServerHello.random when a TLS 1.3 server
/// negotiates TLS 1.1 or below ("DOWNGRD" and 0x00).
pub const DOWNGRADE_TLS11_OR_BELOW: [u8; 8] = [0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x00];

/// The smallest extensions block a ServerHello may carry (`extensions<6..2^16-1>`).
const MIN_EXTENSIONS_LEN: usize = 6;

/// RFC 9846 §4.2.3: the ServerHello message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerHello {
    /// `legacy_version`: 0x0303 in every TLS 1.3 ServerHello.
    pub legacy_version: ProtocolVersion,
    /// `random`: 32 bytes from a secure random number generator.
    pub random: [u8; 32],
    /// `legacy_session_id_echo`: the client's `legacy_session_id`, echoed.
    pub legacy_session_id_echo: Vec<u8>,
    /// `cipher_suite`: the suite the server chose from the client's list.
    pub cipher_suite: CipherSuite,
    /// `legacy_compression_method`: 0 in TLS 1.3.
    pub legacy_compression_method: u8,
    /// `extensions`: supported_versions, and key_share and/or pre_shared_key.
    pub extensions: Vec<Extension>,
}

/// RFC 9846 §4.2.4: the HelloRetryRequest message. Its random is always
/// [`HELLO_RETRY_REQUEST_RANDOM`], so it has no field for one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HelloRetryRequest {
    /// `legacy_version`: 0x0303.
    pub legacy_version: ProtocolVersion,
    /// `legacy_session_id_echo`: the client's `legacy_session_id`, echoed.
    pub legacy_session_id_echo: Vec<u8>,
    /// `cipher_suite`: the suite the server will choose again in its ServerHello.
    pub cipher_suite: CipherSuite,
    /// `legacy_compression_method`: 0.
    pub legacy_compression_method: u8,
    /// `extensions`: supported_versions, and key_share and/or cookie.
    pub extensions: Vec<Extension>,
}

/// What a `server_hello` message turned out to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServerHelloMessage {
    /// A real ServerHello.
    ServerHello(ServerHello),
    /// A HelloRetryRequest.
    HelloRetryRequest(HelloRetryRequest),
}

impl ServerHelloMessage {
    /// Decodes a `server_hello` body, telling the two messages apart by their random.
    pub fn decode(body: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(body);
        let legacy_version = ProtocolVersion::from_u16(r.u16()?);
        let random = r.array::<32>()?;
        let is_retry = random == HELLO_RETRY_REQUEST_RANDOM;
        let legacy_session_id_echo = r.vec_u8(0, 32)?.to_vec();
        let cipher_suite = CipherSuite::from_u16(r.u16()?);
        let legacy_compression_method = r.u8()?;
        let ctx = if is_retry {
            ExtensionContext::HelloRetryRequest
        } else {
            ExtensionContext::ServerHello
        };
        let extensions = decode_hello_extensions(&mut r, ctx, MIN_EXTENSIONS_LEN)?;
        r.finish()?;
        Ok(if is_retry {
            Self::HelloRetryRequest(HelloRetryRequest {
                legacy_version,
                legacy_session_id_echo,
                cipher_suite,
                legacy_compression_method,
                extensions,
            })
        } else {
            Self::ServerHello(ServerHello {
                legacy_version,
                random,
                legacy_session_id_echo,
                cipher_suite,
                legacy_compression_method,
                extensions,
            })
        })
    }
}

impl ServerHello {
    /// Appends the ServerHello body.
    pub fn encode(&self, w: &mut Writer) {
        encode_fields(
            w,
            self.legacy_version,
            &self.random,
            &self.legacy_session_id_echo,
            self.cipher_suite,
            self.legacy_compression_method,
            &self.extensions,
        );
    }

    /// True if the last 8 bytes of `random` are one of the downgrade sentinels. RFC 9846
    /// §4.2.3: "TLS 1.3 clients receiving a ServerHello indicating TLS 1.2 or below MUST check
    /// that the last 8 bytes are not equal to either of these values. [...] If a match is
    /// found, the client MUST abort the handshake with an "illegal_parameter" alert."
    pub fn has_downgrade_sentinel(&self) -> bool {
        let tail = &self.random[24..];
        tail == DOWNGRADE_TLS12 || tail == DOWNGRADE_TLS11_OR_BELOW
    }

    /// The RFC 9846 §4.2.3 checks of the legacy fields; see [`check_legacy_fields`].
    pub fn check_legacy_fields(&self) -> Result<(), DecodeError> {
        check_legacy_fields(self.legacy_version, self.legacy_compression_method)
    }

    /// The extension of type `typ`, if the server sent one.
    pub fn extension(&self, typ: ExtensionType) -> Option<&Extension> {
        self.extensions.iter().find(|e| e.extension_type() == typ)
    }
}

impl HelloRetryRequest {
    /// Appends the HelloRetryRequest body (a ServerHello body with the special random).
    pub fn encode(&self, w: &mut Writer) {
        encode_fields(
            w,
            self.legacy_version,
            &HELLO_RETRY_REQUEST_RANDOM,
            &self.legacy_session_id_echo,
            self.cipher_suite,
            self.legacy_compression_method,
            &self.extensions,
        );
    }

    /// RFC 9846 §4.2.4: "the client MUST check the legacy_version, legacy_session_id_echo,
    /// cipher_suite, and legacy_compression_method as specified in Section 4.2.3"; this
    /// checks the two legacy fields, see [`check_legacy_fields`].
    pub fn check_legacy_fields(&self) -> Result<(), DecodeError> {
        check_legacy_fields(self.legacy_version, self.legacy_compression_method)
    }

    /// The extension of type `typ`, if the server sent one.
    pub fn extension(&self, typ: ExtensionType) -> Option<&Extension> {
        self.extensions.iter().find(|e| e.extension_type() == typ)
    }
}

/// The checks RFC 9846 §4.2.3 makes of a TLS 1.3 ServerHello's (or HelloRetryRequest's)
/// legacy fields, for the client to run once supported_versions says TLS 1.3.
pub fn check_legacy_fields(
    legacy_version: ProtocolVersion,
    legacy_compression_method: u8,
) -> Result<(), DecodeError> {
    // RFC 9846 §4.2.3: "A client which receives a TLS 1.3 Server Hello with a
    // legacy_version value not equal to 0x0303 MUST abort the handshake with a
    // "protocol_version" alert."
    if legacy_version != ProtocolVersion::Tls12 {
        return Err(DecodeError::with_alert(
            AlertDescription::ProtocolVersion,
            "ServerHello.legacy_version is not 0x0303",
        ));
    }
    // RFC 9846 §4.2.3: "If a TLS 1.3 ServerHello is received with any other value in this
    // field, the client MUST abort the handshake with an "illegal_parameter" alert."
    if legacy_compression_method != 0 {
        return Err(DecodeError::illegal("legacy_compression_method is not 0"));
    }
    Ok(())
}

/// Writes the structure the two messages share.
fn encode_fields(
    w: &mut Writer,
    legacy_version: ProtocolVersion,
    random: &[u8; 32],
    legacy_session_id_echo: &[u8],
    cipher_suite: CipherSuite,
    legacy_compression_method: u8,
    extensions: &[Extension],
) {
    w.u16(legacy_version.to_u16());
    w.bytes(random);
    w.vec_u8(legacy_session_id_echo);
    w.u16(cipher_suite.to_u16());
    w.u8(legacy_compression_method);
    encode_hello_extensions(w, extensions);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 8448 §3, "construct a ServerHello handshake message", without its header.
    const SIMPLE_SERVER_HELLO: &str = "\
        0303a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e2692800130100002e00330024\
        001d0020c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f002b00020304";

    /// RFC 8448 §5, the HelloRetryRequest ("construct a ServerHello"), without its header.
    const HRR: &str = "\
        0303cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c00130100008400330002\
        0017002c0074007271dcd04bb88bc3189119398a00000000eefafc76c146b823b096f8aacad365dd0030953f4edf6256\
        36e5f21bb2e23fcc654b1b5b40318d10d137abcbb87574e36e8a1f025f7dfa5d6e50781b5eda4aa15b0c8be778257d16\
        aa3030e9e7841dd9e4c0342267e8ca0caf571fb2b7cff0f934b0002b00020304";

    fn round_trip(msg: &ServerHelloMessage) -> Vec<u8> {
        let mut w = Writer::new();
        match msg {
            ServerHelloMessage::ServerHello(sh) => sh.encode(&mut w),
            ServerHelloMessage::HelloRetryRequest(hrr) => hrr.encode(&mut w),
        }
        w.finish().unwrap()
    }

    #[test]
    fn test_parse_rfc8448_simple_server_hello() {
        let body = hex::decode(SIMPLE_SERVER_HELLO).unwrap();
        let ServerHelloMessage::ServerHello(sh) = ServerHelloMessage::decode(&body).unwrap() else {
            panic!("decoded as a HelloRetryRequest");
        };
        assert_eq!(sh.random[..4], [0xa6, 0xaf, 0x06, 0xa4]);
        assert_eq!(sh.cipher_suite, CipherSuite::TLS_AES_128_GCM_SHA256);
        assert!(sh.legacy_session_id_echo.is_empty());
        assert!(sh.extension(ExtensionType::KeyShare).is_some());
        assert!(sh.extension(ExtensionType::SupportedVersions).is_some());
        assert!(!sh.has_downgrade_sentinel());
        sh.check_legacy_fields().unwrap();
    }

    #[test]
    fn test_emit_rfc8448_simple_server_hello() {
        let body = hex::decode(SIMPLE_SERVER_HELLO).unwrap();
        assert_eq!(
            round_trip(&ServerHelloMessage::decode(&body).unwrap()),
            body
        );
    }

    #[test]
    fn test_parse_rfc8448_hello_retry_request() {
        let body = hex::decode(HRR).unwrap();
        let msg = ServerHelloMessage::decode(&body).unwrap();
        let ServerHelloMessage::HelloRetryRequest(hrr) = &msg else {
            panic!("decoded as a ServerHello");
        };
        assert_eq!(hrr.cipher_suite, CipherSuite::TLS_AES_128_GCM_SHA256);
        let Some(Extension::Cookie(cookie)) = hrr.extension(ExtensionType::Cookie) else {
            panic!("no cookie extension");
        };
        // cookie<1..2^16-1>: a 0x72-byte cookie in a 0x74-byte extension body.
        assert_eq!(cookie.cookie.len(), 0x72);
        assert_eq!(round_trip(&msg), body);
    }

    #[test]
    fn test_parse_rejects_bad_fields() {
        let body = hex::decode(SIMPLE_SERVER_HELLO).unwrap();
        let mut long_echo = body.clone();
        long_echo[34] = 33;
        let mut short_extensions = body[..38].to_vec();
        short_extensions.extend_from_slice(&[0x00, 0x05, 0x00, 0x2b, 0x00, 0x01, 0x00]);
        let mut trailing = body.clone();
        trailing.push(0);
        for bad in [long_echo, short_extensions, trailing, body[..37].to_vec()] {
            let err = ServerHelloMessage::decode(&bad).unwrap_err();
            assert_eq!(err.alert, AlertDescription::DecodeError, "{bad:02x?}");
        }
    }

    #[test]
    fn test_check_legacy_fields_and_downgrade_sentinels() {
        let body = hex::decode(SIMPLE_SERVER_HELLO).unwrap();
        let ServerHelloMessage::ServerHello(mut sh) = ServerHelloMessage::decode(&body).unwrap()
        else {
            panic!("decoded as a HelloRetryRequest");
        };
        sh.legacy_compression_method = 1;
        assert_eq!(
            sh.check_legacy_fields().unwrap_err().alert,
            AlertDescription::IllegalParameter
        );
        sh.legacy_compression_method = 0;
        sh.legacy_version = ProtocolVersion::Tls13;
        assert_eq!(
            sh.check_legacy_fields().unwrap_err().alert,
            AlertDescription::ProtocolVersion
        );
        for sentinel in [DOWNGRADE_TLS12, DOWNGRADE_TLS11_OR_BELOW] {
            sh.random[24..].copy_from_slice(&sentinel);
            assert!(sh.has_downgrade_sentinel());
        }
        assert_eq!(&DOWNGRADE_TLS12[..7], b"DOWNGRD");
    }
}
