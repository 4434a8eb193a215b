//! ClientHello (RFC 9846 §4.2.2): the client's first message, offering cipher suites and,
//! in its extensions, versions, groups, key shares, signature schemes and PSKs.
//!
//! ```text
//! struct {
//!     ProtocolVersion legacy_version = 0x0303;    /* TLS v1.2 */
//!     Random random;
//!     opaque legacy_session_id<0..32>;
//!     CipherSuite cipher_suites<2..2^16-2>;
//!     opaque legacy_compression_methods<1..2^8-1>;
//!     Extension extensions<7..2^16-1>;
//! } ClientHello;
//! ```
//!
//! The decoder checks the syntax: bounds, an even-length suite list, trailing bytes; the
//! extension list decoder adds its own checks (allowed here, no repeats, `pre_shared_key`
//! last: RFC 9846 §4.3, §4.3.11). Cipher suites we do not know are kept as
//! [`CipherSuite::Unknown`], because RFC 9846 §4.2.2 tells the server to ignore them, not to
//! fail.
//!
//! The two legacy fields are *not* checked by the decoder, because the right alert depends
//! on something only the engine knows: whether this is a TLS 1.3 ClientHello at all (one
//! whose supported_versions offers 0x0304). A hello from an old client must be answered
//! with `protocol_version`, so failing it earlier with `illegal_parameter` over its
//! compression methods would send the wrong alert. The engine calls
//! [`ClientHello::check_legacy_fields`] once it has established that.
//!
//! For PSK binders (RFC 9846 §4.3.11.2), [`ClientHello::encode_truncated_for_binders`] gives
//! the encoding cut just before the binders list.

use alloc::vec::Vec;

use crate::codec::{DecodeError, EncodeError, Reader, Writer};
use crate::wire::alert::AlertDescription;
use crate::wire::algorithms::CipherSuite;
use crate::wire::codes::{ExtensionType, HandshakeType, ProtocolVersion};
use crate::wire::extensions::{Extension, ExtensionContext};
use crate::wire::handshake::{decode_hello_extensions, encode_handshake, encode_hello_extensions};

/// The smallest extensions block a ClientHello may carry (`extensions<7..2^16-1>`).
const MIN_EXTENSIONS_LEN: usize = 7;

/// RFC 9846 §4.2.2: the ClientHello message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientHello {
    /// `legacy_version`: 0x0303 in every TLS 1.3 ClientHello.
    pub legacy_version: ProtocolVersion,
    /// `random`: 32 bytes from a secure random number generator.
    pub random: [u8; 32],
    /// `legacy_session_id`: empty, or 32 bytes in middlebox compatibility mode
    /// (RFC 9846 Appendix E.4).
    pub legacy_session_id: Vec<u8>,
    /// `cipher_suites`, in the client's order of preference.
    pub cipher_suites: Vec<CipherSuite>,
    /// `legacy_compression_methods`: exactly `[0]` in TLS 1.3.
    pub legacy_compression_methods: Vec<u8>,
    /// `extensions`, in the order sent.
    pub extensions: Vec<Extension>,
}

impl ClientHello {
    /// Decodes a ClientHello body (the bytes after the handshake header).
    pub fn decode(body: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(body);
        let legacy_version = ProtocolVersion::from_u16(r.u16()?);
        let random = r.array::<32>()?;
        let legacy_session_id = r.vec_u8(0, 32)?.to_vec();
        let mut suites = r.sub_u16(2, 0xfffe)?;
        // RFC 9846 §3.4: a vector of uint8[2] code points holds a whole number of them.
        if suites.remaining() % 2 != 0 {
            return Err(DecodeError::decode("cipher_suites has an odd length"));
        }
        let mut cipher_suites = Vec::with_capacity(suites.remaining() / 2);
        while !suites.is_empty() {
            cipher_suites.push(CipherSuite::from_u16(suites.u16()?));
        }
        let legacy_compression_methods = r.vec_u8(1, 0xff)?.to_vec();
        let extensions =
            decode_hello_extensions(&mut r, ExtensionContext::ClientHello, MIN_EXTENSIONS_LEN)?;
        r.finish()?;
        Ok(Self {
            legacy_version,
            random,
            legacy_session_id,
            cipher_suites,
            legacy_compression_methods,
            extensions,
        })
    }

    /// Appends the ClientHello body.
    pub fn encode(&self, w: &mut Writer) {
        w.u16(self.legacy_version.to_u16());
        w.bytes(&self.random);
        w.vec_u8(&self.legacy_session_id);
        w.len_u16(|w| {
            for suite in &self.cipher_suites {
                w.u16(suite.to_u16());
            }
        });
        w.vec_u8(&self.legacy_compression_methods);
        encode_hello_extensions(w, &self.extensions);
    }

    /// The checks RFC 9846 §4.2.2 makes of a TLS 1.3 ClientHello's legacy fields, for the
    /// server to run once it knows the client offered TLS 1.3.
    pub fn check_legacy_fields(&self) -> Result<(), DecodeError> {
        // RFC 9846 §4.2.2: "A server which receives a legacy_version value not equal to
        // 0x0303 MUST abort the handshake with a "protocol_version" alert."
        if self.legacy_version != ProtocolVersion::Tls12 {
            return Err(DecodeError::with_alert(
                AlertDescription::ProtocolVersion,
                "ClientHello.legacy_version is not 0x0303",
            ));
        }
        // RFC 9846 §4.2.2: "For every TLS 1.3 ClientHello, this list MUST contain exactly
        // one byte, set to zero [...] If a TLS 1.3 ClientHello is received with any other
        // value in this field, the server MUST abort the handshake with an
        // "illegal_parameter" alert."
        if self.legacy_compression_methods != [0] {
            return Err(DecodeError::illegal(
                "legacy_compression_methods is not exactly [null]",
            ));
        }
        Ok(())
    }

    /// The extension of type `typ`, if the client sent one.
    pub fn extension(&self, typ: ExtensionType) -> Option<&Extension> {
        self.extensions.iter().find(|e| e.extension_type() == typ)
    }

    /// The size of the `binders` field at the end of the message (its two-byte length
    /// included), or `None` if the hello does not end with a well-formed pre_shared_key.
    ///
    /// A server uses it to cut the *received* bytes for binder verification:
    /// `&received[..received.len() - binders_len]`.
    pub fn binders_len(&self) -> Option<usize> {
        // RFC 9846 §4.3.11: pre_shared_key "MUST be the last extension in the ClientHello";
        // the extension list decoder enforces it, so the binders end the message.
        match self.extensions.last()? {
            Extension::PreSharedKeyClientHello(offered) => Some(offered.binders_len()),
            _ => None,
        }
    }

    /// The whole message (header included) without its binders list: `Truncate(ClientHello)`
    /// of RFC 9846 §4.3.11.2, which a client hashes to compute its PSK binders.
    ///
    /// RFC 9846 §4.3.11.2: "it includes all of the ClientHello but not the binders list
    /// itself. The length fields for the message (including the overall length, the length
    /// of the extensions block, and the length of the "pre_shared_key" extension) are all set
    /// as if binders of the correct lengths were present." So the hello is encoded in full,
    /// with binders of the right sizes (placeholders are fine), and the binders cut off.
    /// Returns `Ok(None)` if the hello offers no PSK.
    pub fn encode_truncated_for_binders(&self) -> Result<Option<Vec<u8>>, EncodeError> {
        let Some(binders_len) = self.binders_len() else {
            return Ok(None);
        };
        let mut w = Writer::new();
        encode_handshake(&mut w, HandshakeType::ClientHello, |w| self.encode(w));
        let mut bytes = w.finish()?;
        bytes.truncate(bytes.len() - binders_len);
        Ok(Some(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::extensions::{OfferedPsks, PskBinderEntry, PskIdentity};
    use alloc::vec;

    /// RFC 8448 §3, "construct a ClientHello handshake message", without its 4-byte header.
    const SIMPLE_CLIENT_HELLO: &str = "\
        0303cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece700000613011303130201\
        0000910000000b0009000006736572766572ff01000100000a00140012001d0017001800190100010101020103010400\
        230000003300260024001d002099381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c002b00\
        03020304000d0020001e040305030603020308040805080604010501060102010402050206020202002d00020101001c\
        00024001";

    fn body() -> Vec<u8> {
        hex::decode(SIMPLE_CLIENT_HELLO).unwrap()
    }

    fn minimal(extensions: Vec<Extension>) -> ClientHello {
        ClientHello {
            legacy_version: ProtocolVersion::Tls12,
            random: [7; 32],
            legacy_session_id: Vec::new(),
            cipher_suites: vec![CipherSuite::TLS_AES_128_GCM_SHA256],
            legacy_compression_methods: vec![0],
            extensions,
        }
    }

    fn supported_versions() -> Extension {
        Extension::SupportedVersionsClientHello(vec![ProtocolVersion::Tls13])
    }

    /// One 1-byte identity and its 32-byte binder.
    fn pre_shared_key() -> Extension {
        Extension::PreSharedKeyClientHello(OfferedPsks {
            identities: vec![PskIdentity {
                identity: vec![0xaa],
                obfuscated_ticket_age: 0x01020304,
            }],
            binders: vec![PskBinderEntry(vec![0xbb; 32])],
        })
    }

    #[test]
    fn test_parse_rfc8448_simple_client_hello() {
        let ch = ClientHello::decode(&body()).unwrap();
        assert_eq!(ch.legacy_version, ProtocolVersion::Tls12);
        assert_eq!(ch.random[..4], [0xcb, 0x34, 0xec, 0xb1]);
        assert_eq!(ch.random[28..], [0x02, 0x4d, 0xec, 0xe7]);
        assert!(ch.legacy_session_id.is_empty());
        assert_eq!(
            ch.cipher_suites,
            [
                CipherSuite::TLS_AES_128_GCM_SHA256,
                CipherSuite::TLS_CHACHA20_POLY1305_SHA256,
                CipherSuite::TLS_AES_256_GCM_SHA384,
            ]
        );
        assert_eq!(ch.legacy_compression_methods, [0]);
        let types: Vec<u16> = ch
            .extensions
            .iter()
            .map(|e| e.extension_type().to_u16())
            .collect();
        assert_eq!(
            types,
            [
                0x0000, 0xff01, 0x000a, 0x0023, 0x0033, 0x002b, 0x000d, 0x002d, 0x001c
            ]
        );
        ch.check_legacy_fields().unwrap();
        assert_eq!(ch.binders_len(), None);
    }

    #[test]
    fn test_emit_rfc8448_simple_client_hello() {
        let ch = ClientHello::decode(&body()).unwrap();
        let mut w = Writer::new();
        ch.encode(&mut w);
        assert_eq!(w.finish().unwrap(), body());
    }

    #[test]
    fn test_parse_keeps_unknown_suites() {
        let mut ch = minimal(vec![supported_versions()]);
        ch.cipher_suites = vec![
            CipherSuite::Unknown(0x0a0a),
            CipherSuite::TLS_AES_128_GCM_SHA256,
        ];
        let mut w = Writer::new();
        ch.encode(&mut w);
        assert_eq!(ClientHello::decode(&w.finish().unwrap()).unwrap(), ch);
    }

    #[test]
    fn test_parse_rejects_bad_vectors() {
        let good = body();
        // Offsets in the body: session id length at 34, suites length at 35..37.
        let mut odd_suites = good.clone();
        odd_suites[36] = 0x05;
        let mut no_suites = good.clone();
        no_suites.splice(35..43, [0x00, 0x00]);
        let mut long_session_id = good.clone();
        long_session_id[34] = 33;
        let mut no_compression = good.clone();
        no_compression[43] = 0x00;
        for bad in [odd_suites, no_suites, long_session_id, no_compression] {
            assert_eq!(
                ClientHello::decode(&bad).unwrap_err().alert,
                AlertDescription::DecodeError
            );
        }
    }

    #[test]
    fn test_parse_extensions_block_bounds() {
        // No extensions field at all: decodes with none, and re-encodes the same way.
        let bare = &body()[..45];
        let ch = ClientHello::decode(bare).unwrap();
        assert!(ch.extensions.is_empty());
        let mut w = Writer::new();
        ch.encode(&mut w);
        assert_eq!(w.finish().unwrap(), bare);
        // A present block must hold at least 7 bytes.
        let mut short = bare.to_vec();
        short.extend_from_slice(&[0x00, 0x04, 0x00, 0x2b, 0x00, 0x00]);
        assert_eq!(
            ClientHello::decode(&short).unwrap_err().alert,
            AlertDescription::DecodeError
        );
    }

    #[test]
    fn test_parse_pre_shared_key_must_be_last() {
        let mut w = Writer::new();
        minimal(vec![pre_shared_key(), supported_versions()]).encode(&mut w);
        let err = ClientHello::decode(&w.finish().unwrap()).unwrap_err();
        assert_eq!(err.alert, AlertDescription::IllegalParameter);
    }

    #[test]
    fn test_check_legacy_fields() {
        let mut ch = minimal(Vec::new());
        ch.check_legacy_fields().unwrap();
        ch.legacy_compression_methods = vec![1, 0];
        assert_eq!(
            ch.check_legacy_fields().unwrap_err().alert,
            AlertDescription::IllegalParameter
        );
        ch.legacy_compression_methods = vec![0];
        ch.legacy_version = ProtocolVersion::Unknown(0x0301);
        assert_eq!(
            ch.check_legacy_fields().unwrap_err().alert,
            AlertDescription::ProtocolVersion
        );
    }

    #[test]
    fn test_emit_truncated_for_binders() {
        let ch = minimal(vec![supported_versions(), pre_shared_key()]);
        assert_eq!(ch.binders_len(), Some(2 + 1 + 32));
        let mut w = Writer::new();
        encode_handshake(&mut w, HandshakeType::ClientHello, |w| ch.encode(w));
        let full = w.finish().unwrap();
        let truncated = ch.encode_truncated_for_binders().unwrap().unwrap();
        assert_eq!(truncated, full[..full.len() - 35]);
        assert_eq!(truncated.last(), Some(&0x04));
        assert_eq!(
            minimal(Vec::new()).encode_truncated_for_binders().unwrap(),
            None
        );
    }
}
