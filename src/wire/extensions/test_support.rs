//! Helpers shared by the extension tests: RFC-formatted hex, and a decode/re-encode check.

use alloc::string::String;
use alloc::vec::Vec;

use super::{Extension, ExtensionContext};
use crate::codec::{DecodeError, Reader, Writer};
use crate::wire::codes::ExtensionType;

/// Bytes from hex as RFC 8448 prints it: pairs of digits separated by spaces and newlines.
pub fn rfc_hex(text: &str) -> Vec<u8> {
    let digits: String = text.split_whitespace().collect();
    hex::decode(digits).expect("fixture is valid hex")
}

/// Runs `decode` over all of `bytes`, requiring that nothing is left over.
pub fn parse<'a, T>(
    bytes: &'a [u8],
    decode: impl FnOnce(&mut Reader<'a>) -> Result<T, DecodeError>,
) -> Result<T, DecodeError> {
    let mut r = Reader::new(bytes);
    let value = decode(&mut r)?;
    r.finish()?;
    Ok(value)
}

/// The bytes `encode` writes.
pub fn emit(encode: impl FnOnce(&mut Writer)) -> Vec<u8> {
    let mut w = Writer::new();
    encode(&mut w);
    w.finish().expect("fits its length prefixes")
}

/// Decodes `body` as an extension of type `typ` in `ctx`, checks that it encodes back to
/// exactly `body`, and returns it.
pub fn round_trip(typ: ExtensionType, ctx: ExtensionContext, body: &[u8]) -> Extension {
    let ext = Extension::decode_body(typ, body, ctx).expect("decodes");
    assert_eq!(ext.extension_type(), typ);
    assert_eq!(emit(|w| ext.encode_body(w)), body, "{ext:?} re-encodes");
    ext
}
