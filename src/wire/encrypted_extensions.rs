//! EncryptedExtensions (RFC 9846 §4.4.1): the first message under handshake keys, carrying
//! the server's extensions that are not needed to set up the keys (ALPN, server_name, ...).
//!
//! ```text
//! struct {
//!     Extension extensions<0..2^16-1>;
//! } EncryptedExtensions;
//! ```
//!
//! Which extensions may appear here is the extension table of RFC 9846 §4.3 (the "EE"
//! column); the extension decoder applies it through [`ExtensionContext::EncryptedExtensions`].
//! Whether each one answers something the client offered is the client engine's check.

use alloc::vec::Vec;

use crate::codec::{DecodeError, Reader, Writer};
use crate::wire::codes::ExtensionType;
use crate::wire::extensions::{Extension, ExtensionContext, decode_extensions, encode_extensions};

/// RFC 9846 §4.4.1: the EncryptedExtensions message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EncryptedExtensions {
    /// `extensions`, in the order sent.
    pub extensions: Vec<Extension>,
}

impl EncryptedExtensions {
    /// Decodes an EncryptedExtensions body.
    pub fn decode(body: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(body);
        let extensions = decode_extensions(&mut r, ExtensionContext::EncryptedExtensions)?;
        r.finish()?;
        Ok(Self { extensions })
    }

    /// Appends the EncryptedExtensions body.
    pub fn encode(&self, w: &mut Writer) {
        encode_extensions(w, &self.extensions);
    }

    /// The extension of type `typ`, if the server sent one.
    pub fn extension(&self, typ: ExtensionType) -> Option<&Extension> {
        self.extensions.iter().find(|e| e.extension_type() == typ)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::alert::AlertDescription;

    /// RFC 8448 §3, "construct an EncryptedExtensions handshake message", without its header:
    /// supported_groups, record_size_limit and an empty server_name.
    const SIMPLE_EE: &str =
        "0022000a00140012001d00170018001901000101010201030104001c0002400100000000";

    #[test]
    fn test_parse_rfc8448_encrypted_extensions() {
        let ee = EncryptedExtensions::decode(&hex::decode(SIMPLE_EE).unwrap()).unwrap();
        let types: Vec<ExtensionType> = ee.extensions.iter().map(|e| e.extension_type()).collect();
        assert_eq!(
            types,
            [
                ExtensionType::SupportedGroups,
                ExtensionType::RecordSizeLimit,
                ExtensionType::ServerName
            ]
        );
        assert!(ee.extension(ExtensionType::ServerName).is_some());
    }

    #[test]
    fn test_emit_rfc8448_encrypted_extensions() {
        let body = hex::decode(SIMPLE_EE).unwrap();
        let mut w = Writer::new();
        EncryptedExtensions::decode(&body).unwrap().encode(&mut w);
        assert_eq!(w.finish().unwrap(), body);
    }

    #[test]
    fn test_parse_rejects_missing_and_trailing_bytes() {
        // An empty list is "00 00"; no bytes at all is truncation.
        assert_eq!(
            EncryptedExtensions::decode(&[0, 0]).unwrap(),
            EncryptedExtensions::default()
        );
        for bad in [&[][..], &[0, 0, 0], &[0, 4, 0, 0, 0]] {
            let err = EncryptedExtensions::decode(bad).unwrap_err();
            assert_eq!(err.alert, AlertDescription::DecodeError);
        }
    }
}
