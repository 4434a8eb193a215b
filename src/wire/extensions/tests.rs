//! The extension list: unknown types kept, wrong messages, trailing bytes, duplicates,
//! pre_shared_key's place, and encoding a list.

use super::test_support::{rfc_hex, round_trip};
use super::*;
use crate::wire::alert::AlertDescription;
use alloc::vec;

fn decode_list(bytes: &[u8], ctx: ExtensionContext) -> Result<Vec<Extension>, DecodeError> {
    let mut r = Reader::new(bytes);
    let list = decode_extensions(&mut r, ctx)?;
    r.finish()?;
    Ok(list)
}

#[test]
fn test_parse_unknown_extension_kept_opaque() {
    // RFC 8448 §3's ClientHello carries session_ticket (0x0023) with an empty body,
    // which this library does not implement.
    let ext = round_trip(
        ExtensionType::Unknown(0x0023),
        ExtensionContext::ClientHello,
        &[],
    );
    assert_eq!(
        ext,
        Extension::Unknown {
            typ: ExtensionType::Unknown(0x0023),
            data: vec![]
        }
    );
}

#[test]
fn test_parse_rejects_extension_in_wrong_message() {
    for (typ, ctx) in [
        (
            ExtensionType::KeyShare,
            ExtensionContext::EncryptedExtensions,
        ),
        (ExtensionType::EarlyData, ExtensionContext::ServerHello),
        (ExtensionType::ServerName, ExtensionContext::ServerHello),
        (
            ExtensionType::PskKeyExchangeModes,
            ExtensionContext::NewSessionTicket,
        ),
        (
            ExtensionType::PostHandshakeAuth,
            ExtensionContext::EncryptedExtensions,
        ),
        (ExtensionType::Padding, ExtensionContext::HelloRetryRequest),
    ] {
        let err = Extension::decode_body(typ, &[], ctx).unwrap_err();
        assert_eq!(
            err.alert,
            AlertDescription::IllegalParameter,
            "{typ:?} in {ctx:?}"
        );
    }
    // Types we do not recognize are allowed anywhere.
    let unknown = Extension::decode_body(
        ExtensionType::Unknown(0x1a1a),
        &[1],
        ExtensionContext::ServerHello,
    );
    assert!(unknown.is_ok());
}

#[test]
fn test_parse_rejects_trailing_bytes_in_body() {
    // RFC 8448 §3's supported_versions in ServerHello (03 04), with one byte too many.
    let err = Extension::decode_body(
        ExtensionType::SupportedVersions,
        &[0x03, 0x04, 0x00],
        ExtensionContext::ServerHello,
    )
    .unwrap_err();
    assert_eq!(err.alert, AlertDescription::DecodeError);
}

#[test]
fn test_parse_rejects_duplicate_extension() {
    // Two record_size_limit extensions (RFC 8448 §3's value 0x4001).
    let bytes = rfc_hex("00 0c 00 1c 00 02 40 01 00 1c 00 02 40 01");
    let err = decode_list(&bytes, ExtensionContext::ClientHello).unwrap_err();
    assert_eq!(err.alert, AlertDescription::IllegalParameter);
}

#[test]
fn test_parse_rejects_pre_shared_key_not_last_in_client_hello() {
    // A minimal pre_shared_key (one 1-byte identity, one 32-byte binder) followed by
    // early_data.
    let psk = "00 29 00 2c 00 07 00 01 aa 00 00 00 00 00 21 20
               00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
               00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00";
    let list = rfc_hex(&alloc::format!("00 34 {psk} 00 2a 00 00"));
    let err = decode_list(&list, ExtensionContext::ClientHello).unwrap_err();
    assert_eq!(err.alert, AlertDescription::IllegalParameter);
    // Last, it is accepted.
    let list = rfc_hex(&alloc::format!("00 34 00 2a 00 00 {psk}"));
    let decoded = decode_list(&list, ExtensionContext::ClientHello).unwrap();
    assert!(matches!(decoded[1], Extension::PreSharedKeyClientHello(_)));
}

#[test]
fn test_emit_extension_list() {
    // RFC 8448 §3's ServerHello extensions: key_share, then supported_versions.
    let share = rfc_hex(
        "c9 82 88 76 11 20 95 fe 66 76 2b db f7 c6 72 e1
         56 d6 cc 25 3b 83 3d f1 dd 69 b1 b0 4e 75 1f 0f",
    );
    let list = [
        Extension::KeyShareServerHello(KeyShareServerHello {
            server_share: KeyShareEntry {
                group: NamedGroup::X25519,
                key_exchange: share.clone(),
            },
        }),
        Extension::SupportedVersionsServerHello(ProtocolVersion::Tls13),
    ];
    let mut w = Writer::new();
    encode_extensions(&mut w, &list);
    let expected = rfc_hex(&alloc::format!(
        "00 2e 00 33 00 24 00 1d 00 20 {} 00 2b 00 02 03 04",
        hex::encode(&share)
    ));
    assert_eq!(w.finish().unwrap(), expected);
    assert_eq!(find_client_share(&list, NamedGroup::X25519), None);
    assert_eq!(
        find(&list, ExtensionType::SupportedVersions),
        Some(&list[1])
    );
    assert_eq!(find(&list, ExtensionType::Cookie), None);
}
