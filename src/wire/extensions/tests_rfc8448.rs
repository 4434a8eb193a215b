//! RFC 8448's extension blocks, decoded and re-encoded whole.
//!
//! Every extension block of every ClientHello, ServerHello, HelloRetryRequest,
//! EncryptedExtensions, CertificateRequest and NewSessionTicket in RFC 8448 (each block once,
//! where traces repeat one), starting at the block's two-byte length. Each must decode into
//! typed extensions (only session_ticket and renegotiation_info, which TLS 1.3 does not use,
//! stay opaque) and encode back to the same bytes.

use super::test_support::rfc_hex;
use super::{Extension, ExtensionContext, decode_extensions, encode_extensions};
use crate::codec::{Reader, Writer};
use crate::wire::alert::AlertDescription;
use crate::wire::codes::ExtensionType;

/// (the message the block is in, the block as RFC 8448 prints it).
const RFC8448_BLOCKS: &[(ExtensionContext, &str)] = &[
    (
        // §3 ClientHello.
        ExtensionContext::ClientHello,
        "00 91 00 00 00 0b 00 09 00 00 06 73 65 72 76 65
         72 ff 01 00 01 00 00 0a 00 14 00 12 00 1d 00 17
         00 18 00 19 01 00 01 01 01 02 01 03 01 04 00 23
         00 00 00 33 00 26 00 24 00 1d 00 20 99 38 1d e5
         60 e4 bd 43 d2 3d 8e 43 5a 7d ba fe b3 c0 6e 51
         c1 3c ae 4d 54 13 69 1e 52 9a af 2c 00 2b 00 03
         02 03 04 00 0d 00 20 00 1e 04 03 05 03 06 03 02
         03 08 04 08 05 08 06 04 01 05 01 06 01 02 01 04
         02 05 02 06 02 02 02 00 2d 00 02 01 01 00 1c 00
         02 40 01",
    ),
    (
        // §3 ServerHello.
        ExtensionContext::ServerHello,
        "00 2e 00 33 00 24 00 1d 00 20 c9 82 88 76 11 20
         95 fe 66 76 2b db f7 c6 72 e1 56 d6 cc 25 3b 83
         3d f1 dd 69 b1 b0 4e 75 1f 0f 00 2b 00 02 03 04",
    ),
    (
        // §3 EncryptedExtensions, §6 EncryptedExtensions, §7 EncryptedExtensions.
        ExtensionContext::EncryptedExtensions,
        "00 22 00 0a 00 14 00 12 00 1d 00 17 00 18 00 19
         01 00 01 01 01 02 01 03 01 04 00 1c 00 02 40 01
         00 00 00 00",
    ),
    (
        // §3 NewSessionTicket.
        ExtensionContext::NewSessionTicket,
        "00 08 00 2a 00 04 00 00 04 00",
    ),
    (
        // §4 ClientHello.
        ExtensionContext::ClientHello,
        "01 cd 00 00 00 0b 00 09 00 00 06 73 65 72 76 65
         72 ff 01 00 01 00 00 0a 00 14 00 12 00 1d 00 17
         00 18 00 19 01 00 01 01 01 02 01 03 01 04 00 33
         00 26 00 24 00 1d 00 20 e4 ff b6 8a c0 5f 8d 96
         c9 9d a2 66 98 34 6c 6b e1 64 82 ba dd da fe 05
         1a 66 b4 f1 8d 66 8f 0b 00 2a 00 00 00 2b 00 03
         02 03 04 00 0d 00 20 00 1e 04 03 05 03 06 03 02
         03 08 04 08 05 08 06 04 01 05 01 06 01 02 01 04
         02 05 02 06 02 02 02 00 2d 00 02 01 01 00 1c 00
         02 40 01 00 15 00 57 00 00 00 00 00 00 00 00 00
         00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
         00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
         00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
         00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
         00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 29
         00 dd 00 b8 00 b2 2c 03 5d 82 93 59 ee 5f f7 af
         4e c9 00 00 00 00 26 2a 64 94 dc 48 6d 2c 8a 34
         cb 33 fa 90 bf 1b 00 70 ad 3c 49 88 83 c9 36 7c
         09 a2 be 78 5a bc 55 cd 22 60 97 a3 a9 82 11 72
         83 f8 2a 03 a1 43 ef d3 ff 5d d3 6d 64 e8 61 be
         7f d6 1d 28 27 db 27 9c ce 14 50 77 d4 54 a3 66
         4d 4e 6d a4 d2 9e e0 37 25 a6 a4 da fc d0 fc 67
         d2 ae a7 05 29 51 3e 3d a2 67 7f a5 90 6c 5b 3f
         7d 8f 92 f2 28 bd a4 0d da 72 14 70 f9 fb f2 97
         b5 ae a6 17 64 6f ac 5c 03 27 2e 97 07 27 c6 21
         a7 91 41 ef 5f 7d e6 50 5e 5b fb c3 88 e9 33 43
         69 40 93 93 4a e4 d3 57 fa d6 aa cb 00 21 20 3a
         dd 4f b2 d8 fd f8 22 a0 ca 3c f7 67 8e f5 e8 8d
         ae 99 01 41 c5 92 4d 57 bb 6f a3 1b 9e 5f 9d",
    ),
    (
        // §4 ServerHello.
        ExtensionContext::ServerHello,
        "00 34 00 29 00 02 00 00 00 33 00 24 00 1d 00 20
         12 17 61 ee 42 c3 33 e1 b9 e7 7b 60 dd 57 c2 05
         3c d9 45 12 ab 47 f1 15 e8 6e ff 50 94 2c ea 31
         00 2b 00 02 03 04",
    ),
    (
        // §4 EncryptedExtensions.
        ExtensionContext::EncryptedExtensions,
        "00 26 00 0a 00 14 00 12 00 1d 00 17 00 18 00 19
         01 00 01 01 01 02 01 03 01 04 00 1c 00 02 40 01
         00 00 00 00 00 2a 00 00",
    ),
    (
        // §5 first ClientHello.
        ExtensionContext::ClientHello,
        "00 81 00 00 00 0b 00 09 00 00 06 73 65 72 76 65
         72 ff 01 00 01 00 00 0a 00 08 00 06 00 1d 00 17
         00 18 00 33 00 26 00 24 00 1d 00 20 e8 e8 e3 f3
         b9 3a 25 ed 97 a1 4a 7d ca cb 8a 27 2c 62 88 e5
         85 c6 48 4d 05 26 2f ca d0 62 ad 1f 00 2b 00 03
         02 03 04 00 0d 00 20 00 1e 04 03 05 03 06 03 02
         03 08 04 08 05 08 06 04 01 05 01 06 01 02 01 04
         02 05 02 06 02 02 02 00 2d 00 02 01 01 00 1c 00
         02 40 01",
    ),
    (
        // §5 HelloRetryRequest.
        ExtensionContext::HelloRetryRequest,
        "00 84 00 33 00 02 00 17 00 2c 00 74 00 72 71 dc
         d0 4b b8 8b c3 18 91 19 39 8a 00 00 00 00 ee fa
         fc 76 c1 46 b8 23 b0 96 f8 aa ca d3 65 dd 00 30
         95 3f 4e df 62 56 36 e5 f2 1b b2 e2 3f cc 65 4b
         1b 5b 40 31 8d 10 d1 37 ab cb b8 75 74 e3 6e 8a
         1f 02 5f 7d fa 5d 6e 50 78 1b 5e da 4a a1 5b 0c
         8b e7 78 25 7d 16 aa 30 30 e9 e7 84 1d d9 e4 c0
         34 22 67 e8 ca 0c af 57 1f b2 b7 cf f0 f9 34 b0
         00 2b 00 02 03 04",
    ),
    (
        // §5 second ClientHello.
        ExtensionContext::ClientHello,
        "01 cd 00 00 00 0b 00 09 00 00 06 73 65 72 76 65
         72 ff 01 00 01 00 00 0a 00 08 00 06 00 1d 00 17
         00 18 00 33 00 47 00 45 00 17 00 41 04 a6 da 73
         92 ec 59 1e 17 ab fd 53 59 64 b9 98 94 d1 3b ef
         b2 21 b3 de f2 eb e3 83 0e ac 8f 01 51 81 26 77
         c4 d6 d2 23 7e 85 cf 01 d6 91 0c fb 83 95 4e 76
         ba 73 52 83 05 34 15 98 97 e8 06 57 80 00 2b 00
         03 02 03 04 00 0d 00 20 00 1e 04 03 05 03 06 03
         02 03 08 04 08 05 08 06 04 01 05 01 06 01 02 01
         04 02 05 02 06 02 02 02 00 2c 00 74 00 72 71 dc
         d0 4b b8 8b c3 18 91 19 39 8a 00 00 00 00 ee fa
         fc 76 c1 46 b8 23 b0 96 f8 aa ca d3 65 dd 00 30
         95 3f 4e df 62 56 36 e5 f2 1b b2 e2 3f cc 65 4b
         1b 5b 40 31 8d 10 d1 37 ab cb b8 75 74 e3 6e 8a
         1f 02 5f 7d fa 5d 6e 50 78 1b 5e da 4a a1 5b 0c
         8b e7 78 25 7d 16 aa 30 30 e9 e7 84 1d d9 e4 c0
         34 22 67 e8 ca 0c af 57 1f b2 b7 cf f0 f9 34 b0
         00 2d 00 02 01 01 00 1c 00 02 40 01 00 15 00 af
         00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
         00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
         00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
         00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
         00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
         00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
         00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
         00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
         00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
         00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
         00 00 00 00 00 00 00 00 00 00 00 00 00 00 00",
    ),
    (
        // §5 ServerHello.
        ExtensionContext::ServerHello,
        "00 4f 00 33 00 45 00 17 00 41 04 58 3e 05 4b 7a
         66 67 2a e0 20 ad 9d 26 86 fc c8 5b 5a d4 1a 13
         4a 0f 03 ee 72 b8 93 05 2b d8 5b 4c 8d e6 77 6f
         5b 04 ac 07 d8 35 40 ea b3 e3 d9 c5 47 bc 65 28
         c4 31 7d 29 46 86 09 3a 6c ad 7d 00 2b 00 02 03
         04",
    ),
    (
        // §5 EncryptedExtensions.
        ExtensionContext::EncryptedExtensions,
        "00 16 00 0a 00 08 00 06 00 17 00 18 00 1d 00 1c
         00 02 40 01 00 00 00 00",
    ),
    (
        // §6 ClientHello.
        ExtensionContext::ClientHello,
        "00 8d 00 00 00 0b 00 09 00 00 06 73 65 72 76 65
         72 ff 01 00 01 00 00 0a 00 14 00 12 00 1d 00 17
         00 18 00 19 01 00 01 01 01 02 01 03 01 04 00 33
         00 26 00 24 00 1d 00 20 08 9c c2 67 1f 73 8d 9a
         67 1e 5b 2e 46 49 81 d0 5b 76 e3 61 aa 22 ae a9
         1f 1d 49 ca 10 a7 a3 62 00 2b 00 03 02 03 04 00
         0d 00 20 00 1e 04 03 05 03 06 03 02 03 08 04 08
         05 08 06 04 01 05 01 06 01 02 01 04 02 05 02 06
         02 02 02 00 2d 00 02 01 01 00 1c 00 02 40 01",
    ),
    (
        // §6 ServerHello.
        ExtensionContext::ServerHello,
        "00 2e 00 33 00 24 00 1d 00 20 6c 2e 50 e8 65 91
         9a 6b 5a 12 df af 91 8f 92 b4 42 56 7b 0f 89 bc
         54 47 8c 69 21 36 66 58 f0 62 00 2b 00 02 03 04",
    ),
    (
        // §6 CertificateRequest.
        ExtensionContext::CertificateRequest,
        "00 24 00 0d 00 20 00 1e 04 03 05 03 06 03 02 03
         08 04 08 05 08 06 04 01 05 01 06 01 02 01 04 02
         05 02 06 02 02 02",
    ),
    (
        // §7 ClientHello.
        ExtensionContext::ClientHello,
        "00 8d 00 00 00 0b 00 09 00 00 06 73 65 72 76 65
         72 ff 01 00 01 00 00 0a 00 14 00 12 00 1d 00 17
         00 18 00 19 01 00 01 01 01 02 01 03 01 04 00 33
         00 26 00 24 00 1d 00 20 8e 72 92 cf 30 56 db b0
         d2 5f cb e5 5c 10 7d c9 bb f8 3d d9 70 8f 39 20
         3b a3 41 24 9a 7d 9b 63 00 2b 00 03 02 03 04 00
         0d 00 20 00 1e 04 03 05 03 06 03 02 03 08 04 08
         05 08 06 04 01 05 01 06 01 02 01 04 02 05 02 06
         02 02 02 00 2d 00 02 01 01 00 1c 00 02 40 01",
    ),
    (
        // §7 ServerHello.
        ExtensionContext::ServerHello,
        "00 2e 00 33 00 24 00 1d 00 20 3e 30 f0 f4 ba 55
         1a fd 62 76 83 41 17 5f 52 65 e4 da f0 c8 84 16
         17 aa 4f af dd 21 42 32 0c 22 00 2b 00 02 03 04",
    ),
];

#[test]
fn test_parse_rfc8448_extension_blocks() {
    let mut decoded = 0;
    let mut opaque = 0;
    for (ctx, text) in RFC8448_BLOCKS {
        let bytes = rfc_hex(text);
        let mut r = Reader::new(&bytes);
        let list = decode_extensions(&mut r, *ctx).unwrap();
        r.finish().unwrap();
        for ext in &list {
            decoded += 1;
            if let Extension::Unknown { typ, .. } = ext {
                // session_ticket (RFC 5077, TLS 1.2) and renegotiation_info (RFC 5746).
                let tls12_only = [
                    ExtensionType::Unknown(0x0023),
                    ExtensionType::RenegotiationInfo,
                ];
                assert!(tls12_only.contains(typ), "{typ:?} left opaque in {ctx:?}");
                opaque += 1;
            }
        }
        let mut w = Writer::new();
        encode_extensions(&mut w, &list);
        assert_eq!(w.finish().unwrap(), bytes, "{ctx:?} block re-encodes");
    }
    // 17 distinct blocks holding 80 extensions, 7 of them the two TLS 1.2 ones.
    assert_eq!((RFC8448_BLOCKS.len(), decoded, opaque), (17, 80, 7));
}

#[test]
fn test_parse_truncated_or_altered_rfc8448_blocks_fail_cleanly() {
    for (ctx, text) in RFC8448_BLOCKS {
        let bytes = rfc_hex(text);
        // Every strict prefix is short of the block's own length: a decode_error, no panic.
        for end in 0..bytes.len() {
            let mut r = Reader::new(&bytes[..end]);
            let err = decode_extensions(&mut r, *ctx).unwrap_err();
            assert_eq!(
                err.alert,
                AlertDescription::DecodeError,
                "{ctx:?} cut at {end}"
            );
        }
        // Any one byte changed may still decode, but must never panic, and whatever decodes
        // must encode back to the altered bytes (nothing is silently dropped or fixed up).
        for i in 0..bytes.len() {
            for value in [0x00, 0x01, 0x20, 0xff] {
                let mut altered = bytes.clone();
                altered[i] = value;
                let mut r = Reader::new(&altered);
                let Ok(list) = decode_extensions(&mut r, *ctx) else {
                    continue;
                };
                if r.finish().is_err() {
                    continue;
                }
                let mut w = Writer::new();
                encode_extensions(&mut w, &list);
                assert_eq!(
                    w.finish().unwrap(),
                    altered,
                    "{ctx:?} byte {i} = {value:#04x}"
                );
            }
        }
    }
}
