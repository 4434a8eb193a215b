//! cookie (RFC 9846 §4.3.2): an opaque value a server puts in a HelloRetryRequest and the
//! client must echo in its second ClientHello, to prove reachability or to let the server
//! keep its state in the client.
//!
//! The body is the same in both messages. What the cookie means is the server's business;
//! the client only copies it.

use alloc::vec::Vec;

use crate::codec::{DecodeError, Reader, Writer};

/// `Cookie`: `opaque cookie<1..2^16-1>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cookie {
    /// The cookie's bytes.
    pub cookie: Vec<u8>,
}

impl Cookie {
    /// Reads the cookie.
    pub fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let cookie = r.vec_u16(1, 0xffff)?.to_vec();
        Ok(Self { cookie })
    }

    /// Writes the cookie.
    pub fn encode(&self, w: &mut Writer) {
        w.vec_u16(&self.cookie);
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{emit, parse, rfc_hex, round_trip};
    use super::super::{Extension, ExtensionContext};
    use super::*;
    use crate::wire::alert::AlertDescription;
    use crate::wire::codes::ExtensionType;

    /// RFC 8448 §5, HelloRetryRequest and the second ClientHello: the cookie (0x72 bytes).
    const COOKIE: &str = "71 dc d0 4b b8 8b c3 18 91 19 39 8a 00 00 00 00
                          ee fa fc 76 c1 46 b8 23 b0 96 f8 aa ca d3 65 dd
                          00 30 95 3f 4e df 62 56 36 e5 f2 1b b2 e2 3f cc
                          65 4b 1b 5b 40 31 8d 10 d1 37 ab cb b8 75 74 e3
                          6e 8a 1f 02 5f 7d fa 5d 6e 50 78 1b 5e da 4a a1
                          5b 0c 8b e7 78 25 7d 16 aa 30 30 e9 e7 84 1d d9
                          e4 c0 34 22 67 e8 ca 0c af 57 1f b2 b7 cf f0 f9
                          34 b0";

    fn body() -> Vec<u8> {
        rfc_hex(&alloc::format!("00 72 {COOKIE}"))
    }

    #[test]
    fn test_parse_cookie() {
        let cookie = parse(&body(), Cookie::decode).unwrap();
        assert_eq!(cookie.cookie, rfc_hex(COOKIE));
        for ctx in [
            ExtensionContext::HelloRetryRequest,
            ExtensionContext::ClientHello,
        ] {
            let ext = round_trip(ExtensionType::Cookie, ctx, &body());
            assert_eq!(ext, Extension::Cookie(cookie.clone()));
        }
    }

    #[test]
    fn test_emit_cookie() {
        let cookie = Cookie {
            cookie: rfc_hex(COOKIE),
        };
        assert_eq!(emit(|w| cookie.encode(w)), body());
    }

    #[test]
    fn test_parse_rejects_empty_cookie() {
        let err = parse(&[0x00, 0x00], Cookie::decode).unwrap_err();
        assert_eq!(err.alert, AlertDescription::DecodeError);
    }
}
