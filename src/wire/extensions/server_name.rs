//! server_name, "Server Name Indication" (RFC 6066 §3): the name of the server the client
//! wants to reach, so that one address can serve many names.
//!
//! In a ClientHello the body is a `ServerNameList`; RFC 9261 lets a CertificateRequest of an
//! exported authenticator carry the same list. A server that used the name answers with an
//! empty body in EncryptedExtensions ([`super::Extension::ServerNameAck`]); RFC 6066 §3:
//! "The "extension_data" field of this extension SHALL be empty."
//!
//! Checked here: the list's syntax, that a host_name is not empty, and that no name_type
//! repeats. Not checked: that the host_name is a valid DNS name without a trailing dot and not
//! an IP address literal (RFC 6066 §3); the engine decides what to do with the name.

use alloc::vec::Vec;

use super::{decode_items, has_repeats};
use crate::codec::{DecodeError, Reader, Writer};

/// `NameType` (RFC 6066 §3): `host_name(0)`.
pub const NAME_TYPE_HOST_NAME: u8 = 0;

/// One `ServerName` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServerName {
    /// `host_name(0)`: a `HostName<1..2^16-1>`, the DNS name as ASCII bytes.
    HostName(Vec<u8>),
    /// A name_type this library does not know, kept as received.
    Unknown {
        /// The name_type.
        name_type: u8,
        /// The name's bytes, without their length.
        name: Vec<u8>,
    },
}

impl ServerName {
    /// The `name_type` byte this entry is sent under.
    pub fn name_type(&self) -> u8 {
        match self {
            Self::HostName(_) => NAME_TYPE_HOST_NAME,
            Self::Unknown { name_type, .. } => *name_type,
        }
    }

    /// Reads one entry.
    pub fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let name_type = r.u8()?;
        if name_type == NAME_TYPE_HOST_NAME {
            // RFC 6066 §3: `opaque HostName<1..2^16-1>`, so an empty name is a decode_error.
            return Ok(Self::HostName(r.vec_u16(1, 0xffff)?.to_vec()));
        }
        // RFC 6066 §3: "all future data structures associated with new NameTypes MUST begin
        // with a 16-bit length field", so an unknown name can still be skipped.
        let name = r.vec_u16(0, 0xffff)?.to_vec();
        Ok(Self::Unknown { name_type, name })
    }

    /// Writes one entry.
    pub fn encode(&self, w: &mut Writer) {
        w.u8(self.name_type());
        match self {
            Self::HostName(name) | Self::Unknown { name, .. } => w.vec_u16(name),
        }
    }
}

/// `ServerNameList`: `ServerName server_name_list<1..2^16-1>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerNameList {
    /// The names, at most one of each name_type.
    pub server_name_list: Vec<ServerName>,
}

impl ServerNameList {
    /// A list holding one host_name, as a client sends it.
    pub fn from_host_name(host_name: &[u8]) -> Self {
        Self {
            server_name_list: alloc::vec![ServerName::HostName(host_name.to_vec())],
        }
    }

    /// The host_name entry, if the list has one.
    pub fn host_name(&self) -> Option<&[u8]> {
        self.server_name_list.iter().find_map(|n| match n {
            ServerName::HostName(name) => Some(name.as_slice()),
            ServerName::Unknown { .. } => None,
        })
    }

    /// Reads the list.
    pub fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let server_name_list = decode_items(r.sub_u16(1, 0xffff)?, ServerName::decode)?;
        // RFC 6066 §3: "The ServerNameList MUST NOT contain more than one name of the same
        // name_type." (No alert is named; the list is well formed but wrong.)
        if has_repeats(&server_name_list, |n| u16::from(n.name_type())) {
            return Err(DecodeError::illegal("server_name: repeated name_type"));
        }
        Ok(Self { server_name_list })
    }

    /// Writes the list.
    pub fn encode(&self, w: &mut Writer) {
        w.len_u16(|w| {
            for name in &self.server_name_list {
                name.encode(w);
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

    /// RFC 8448 §3, ClientHello: server_name for "server".
    const CLIENT_HELLO_BODY: &str = "00 09 00 00 06 73 65 72 76 65 72";

    #[test]
    fn test_parse_server_name_list() {
        let list = parse(&rfc_hex(CLIENT_HELLO_BODY), ServerNameList::decode).unwrap();
        assert_eq!(list.host_name(), Some(&b"server"[..]));
        assert_eq!(list.server_name_list.len(), 1);
    }

    #[test]
    fn test_emit_server_name_list() {
        let list = ServerNameList::from_host_name(b"server");
        assert_eq!(emit(|w| list.encode(w)), rfc_hex(CLIENT_HELLO_BODY));
    }

    #[test]
    fn test_parse_server_name_ack_in_encrypted_extensions() {
        // RFC 8448 §3, EncryptedExtensions: server_name with an empty body (00 00 00 00).
        let ext = round_trip(
            ExtensionType::ServerName,
            ExtensionContext::EncryptedExtensions,
            &[],
        );
        assert_eq!(ext, Extension::ServerNameAck);
        // A non-empty body there is left-over data.
        let err = Extension::decode_body(
            ExtensionType::ServerName,
            &rfc_hex(CLIENT_HELLO_BODY),
            ExtensionContext::EncryptedExtensions,
        )
        .unwrap_err();
        assert_eq!(err.alert, AlertDescription::DecodeError);
    }

    #[test]
    fn test_parse_rejects_empty_host_name_and_empty_list() {
        let empty_name = parse(&rfc_hex("00 03 00 00 00"), ServerNameList::decode);
        assert_eq!(empty_name.unwrap_err().alert, AlertDescription::DecodeError);
        let empty_list = parse(&rfc_hex("00 00"), ServerNameList::decode);
        assert_eq!(empty_list.unwrap_err().alert, AlertDescription::DecodeError);
    }

    #[test]
    fn test_parse_rejects_repeated_name_type() {
        let two = rfc_hex("00 08 00 00 01 61 00 00 01 62");
        let err = parse(&two, ServerNameList::decode).unwrap_err();
        assert_eq!(err.alert, AlertDescription::IllegalParameter);
    }

    #[test]
    fn test_parse_keeps_unknown_name_type() {
        let bytes = rfc_hex("00 0b 00 00 01 61 07 00 04 de ad be ef");
        let list = parse(&bytes, ServerNameList::decode).unwrap();
        assert_eq!(
            list.server_name_list[1],
            ServerName::Unknown {
                name_type: 7,
                name: rfc_hex("de ad be ef")
            }
        );
        assert_eq!(emit(|w| list.encode(w)), bytes);
    }
}
