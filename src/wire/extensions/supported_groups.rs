//! supported_groups (RFC 9846 §4.3.7): the named groups an endpoint supports for key
//! exchange, most preferred first.
//!
//! The client sends it in its ClientHello; a server may send its own list in
//! EncryptedExtensions, which a client only remembers for later connections. Which groups we
//! can compute, and how the server picks one, is decided by the engines.

use alloc::vec::Vec;

use super::{decode_items, has_repeats};
use crate::codec::{DecodeError, Reader, Writer};
use crate::wire::algorithms::NamedGroup;

/// `NamedGroupList`: `NamedGroup named_group_list<2..2^16-1>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedGroupList {
    /// The groups, most preferred first; values we do not know are kept as `Unknown`.
    pub named_group_list: Vec<NamedGroup>,
}

impl NamedGroupList {
    /// Reads the list.
    pub fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let named_group_list = decode_items(r.sub_u16(2, 0xffff)?, |r| {
            Ok(NamedGroup::from_u16(r.u16()?))
        })?;
        // RFC 9846 §4.3.7: "The "named_group_list" MUST NOT contain any duplicate entries. A
        // recipient MAY abort a connection with a fatal "illegal_parameter" alert if it
        // detects a duplicate entry." We do.
        if has_repeats(&named_group_list, |g| g.to_u16()) {
            return Err(DecodeError::illegal("supported_groups: duplicate group"));
        }
        Ok(Self { named_group_list })
    }

    /// Writes the list.
    pub fn encode(&self, w: &mut Writer) {
        w.len_u16(|w| {
            for group in &self.named_group_list {
                w.u16(group.to_u16());
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{emit, parse, rfc_hex, round_trip};
    use super::super::{Extension, ExtensionContext};
    use super::*;
    use crate::wire::alert::AlertDescription;
    use crate::wire::codes::ExtensionType;
    use alloc::vec;

    /// RFC 8448 §3, ClientHello and EncryptedExtensions: supported_groups.
    const RFC8448_BODY: &str = "00 12 00 1d 00 17 00 18 00 19 01 00 01 01 01 02 01 03 01 04";

    fn rfc8448_list() -> NamedGroupList {
        NamedGroupList {
            named_group_list: vec![
                NamedGroup::X25519,
                NamedGroup::Secp256r1,
                NamedGroup::Secp384r1,
                NamedGroup::Secp521r1,
                NamedGroup::Ffdhe2048,
                NamedGroup::Ffdhe3072,
                NamedGroup::Ffdhe4096,
                NamedGroup::Ffdhe6144,
                NamedGroup::Ffdhe8192,
            ],
        }
    }

    #[test]
    fn test_parse_named_group_list() {
        let list = parse(&rfc_hex(RFC8448_BODY), NamedGroupList::decode).unwrap();
        assert_eq!(list, rfc8448_list());
        for ctx in [
            ExtensionContext::ClientHello,
            ExtensionContext::EncryptedExtensions,
        ] {
            let ext = round_trip(ExtensionType::SupportedGroups, ctx, &rfc_hex(RFC8448_BODY));
            assert_eq!(ext, Extension::SupportedGroups(rfc8448_list()));
        }
    }

    #[test]
    fn test_emit_named_group_list() {
        assert_eq!(emit(|w| rfc8448_list().encode(w)), rfc_hex(RFC8448_BODY));
    }

    #[test]
    fn test_parse_rejects_bad_named_group_lists() {
        // Empty (below the minimum of 2), odd length, and a duplicate (x25519 twice).
        for (bytes, alert) in [
            ("00 00", AlertDescription::DecodeError),
            ("00 03 00 1d 00", AlertDescription::DecodeError),
            ("00 04 00 1d 00 1d", AlertDescription::IllegalParameter),
        ] {
            let err = parse(&rfc_hex(bytes), NamedGroupList::decode).unwrap_err();
            assert_eq!(err.alert, alert, "{bytes}");
        }
    }
}
