//! key_share (RFC 9846 §4.3.8): the endpoints' (EC)DHE public values.
//!
//! The body has three forms, one per message:
//!
//! - ClientHello: [`KeyShareClientHello`], the client's shares, possibly none (to ask the
//!   server to choose a group with a HelloRetryRequest).
//! - ServerHello: [`KeyShareServerHello`], the one share the server answers with.
//! - HelloRetryRequest: [`KeyShareHelloRetryRequest`], the group the server wants a share for.
//!
//! Checked here: the syntax, that `key_exchange` is not empty, and that no group has two
//! client shares. Not checked: that shares follow the supported_groups order, that the
//! server's group was offered, and that the public value is valid for its group (RFC 9846
//! §4.3.8.1 and §4.3.8.2); the engines and the crypto provider do that.

use alloc::vec::Vec;

use super::{decode_items, has_repeats};
use crate::codec::{DecodeError, Reader, Writer};
use crate::wire::algorithms::NamedGroup;

/// `KeyShareEntry`: one public value and its group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyShareEntry {
    /// The named group of the key.
    pub group: NamedGroup,
    /// `opaque key_exchange<1..2^16-1>`: the public value, encoded as its group defines.
    pub key_exchange: Vec<u8>,
}

impl KeyShareEntry {
    /// Reads one entry.
    pub fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let group = NamedGroup::from_u16(r.u16()?);
        let key_exchange = r.vec_u16(1, 0xffff)?.to_vec();
        Ok(Self {
            group,
            key_exchange,
        })
    }

    /// Writes one entry.
    pub fn encode(&self, w: &mut Writer) {
        w.u16(self.group.to_u16());
        w.vec_u16(&self.key_exchange);
    }
}

/// `KeyShareClientHello`: `KeyShareEntry client_shares<0..2^16-1>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyShareClientHello {
    /// The shares, most preferred first.
    pub client_shares: Vec<KeyShareEntry>,
}

impl KeyShareClientHello {
    /// The share for `group`, if the client sent one.
    pub fn find(&self, group: NamedGroup) -> Option<&KeyShareEntry> {
        self.client_shares.iter().find(|share| share.group == group)
    }

    /// Reads the list.
    pub fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let client_shares = decode_items(r.sub_u16(0, 0xffff)?, KeyShareEntry::decode)?;
        // RFC 9846 §4.3.8: "Clients MUST NOT offer multiple KeyShareEntry values for the same
        // group. [...] Servers MAY check for violations of these rules and abort the handshake
        // with an "illegal_parameter" alert if one is violated." We check this one.
        if has_repeats(&client_shares, |share| share.group.to_u16()) {
            return Err(DecodeError::illegal("key_share: two shares for one group"));
        }
        Ok(Self { client_shares })
    }

    /// Writes the list.
    pub fn encode(&self, w: &mut Writer) {
        w.len_u16(|w| {
            for share in &self.client_shares {
                share.encode(w);
            }
        });
    }
}

/// `KeyShareServerHello`: `KeyShareEntry server_share`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyShareServerHello {
    /// The server's share, in the group of the client share it selected.
    pub server_share: KeyShareEntry,
}

impl KeyShareServerHello {
    /// Reads the server's share.
    pub fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let server_share = KeyShareEntry::decode(r)?;
        Ok(Self { server_share })
    }

    /// Writes the server's share.
    pub fn encode(&self, w: &mut Writer) {
        self.server_share.encode(w);
    }
}

/// `KeyShareHelloRetryRequest`: `NamedGroup selected_group`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyShareHelloRetryRequest {
    /// The group the server asks the client to send a share for in its second ClientHello.
    pub selected_group: NamedGroup,
}

impl KeyShareHelloRetryRequest {
    /// Reads the selected group.
    pub fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let selected_group = NamedGroup::from_u16(r.u16()?);
        Ok(Self { selected_group })
    }

    /// Writes the selected group.
    pub fn encode(&self, w: &mut Writer) {
        w.u16(self.selected_group.to_u16());
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

    /// RFC 8448 §3, "{client} create an ephemeral x25519 key pair": public key.
    const CLIENT_PUBLIC: &str = "99 38 1d e5 60 e4 bd 43 d2 3d 8e 43 5a 7d ba fe
                                 b3 c0 6e 51 c1 3c ae 4d 54 13 69 1e 52 9a af 2c";
    /// RFC 8448 §3, "{server} create an ephemeral x25519 key pair": public key.
    const SERVER_PUBLIC: &str = "c9 82 88 76 11 20 95 fe 66 76 2b db f7 c6 72 e1
                                 56 d6 cc 25 3b 83 3d f1 dd 69 b1 b0 4e 75 1f 0f";

    fn client_hello_body() -> Vec<u8> {
        rfc_hex(&alloc::format!("00 24 00 1d 00 20 {CLIENT_PUBLIC}"))
    }

    fn server_hello_body() -> Vec<u8> {
        rfc_hex(&alloc::format!("00 1d 00 20 {SERVER_PUBLIC}"))
    }

    #[test]
    fn test_parse_key_share_client_hello() {
        let shares = parse(&client_hello_body(), KeyShareClientHello::decode).unwrap();
        assert_eq!(shares.client_shares.len(), 1);
        let x25519 = shares.find(NamedGroup::X25519).unwrap();
        assert_eq!(x25519.key_exchange, rfc_hex(CLIENT_PUBLIC));
        assert_eq!(shares.find(NamedGroup::Secp256r1), None);
        let ext = round_trip(
            ExtensionType::KeyShare,
            ExtensionContext::ClientHello,
            &client_hello_body(),
        );
        assert_eq!(ext, Extension::KeyShareClientHello(shares));
    }

    #[test]
    fn test_emit_key_share_client_hello() {
        let shares = KeyShareClientHello {
            client_shares: vec![KeyShareEntry {
                group: NamedGroup::X25519,
                key_exchange: rfc_hex(CLIENT_PUBLIC),
            }],
        };
        assert_eq!(emit(|w| shares.encode(w)), client_hello_body());
        let empty = KeyShareClientHello {
            client_shares: vec![],
        };
        assert_eq!(emit(|w| empty.encode(w)), [0, 0]);
    }

    #[test]
    fn test_parse_key_share_server_hello() {
        let share = parse(&server_hello_body(), KeyShareServerHello::decode).unwrap();
        assert_eq!(share.server_share.group, NamedGroup::X25519);
        assert_eq!(share.server_share.key_exchange, rfc_hex(SERVER_PUBLIC));
        let ext = round_trip(
            ExtensionType::KeyShare,
            ExtensionContext::ServerHello,
            &server_hello_body(),
        );
        assert_eq!(ext, Extension::KeyShareServerHello(share));
    }

    #[test]
    fn test_emit_key_share_server_hello() {
        let share = KeyShareServerHello {
            server_share: KeyShareEntry {
                group: NamedGroup::X25519,
                key_exchange: rfc_hex(SERVER_PUBLIC),
            },
        };
        assert_eq!(emit(|w| share.encode(w)), server_hello_body());
    }

    #[test]
    fn test_parse_key_share_hello_retry_request() {
        // RFC 8448 §5, HelloRetryRequest: selected_group secp256r1 (00 17).
        let ext = round_trip(
            ExtensionType::KeyShare,
            ExtensionContext::HelloRetryRequest,
            &rfc_hex("00 17"),
        );
        let selected = KeyShareHelloRetryRequest {
            selected_group: NamedGroup::Secp256r1,
        };
        assert_eq!(ext, Extension::KeyShareHelloRetryRequest(selected));
    }

    #[test]
    fn test_emit_key_share_hello_retry_request() {
        let selected = KeyShareHelloRetryRequest {
            selected_group: NamedGroup::Secp256r1,
        };
        assert_eq!(emit(|w| selected.encode(w)), rfc_hex("00 17"));
    }

    #[test]
    fn test_parse_rejects_bad_key_shares() {
        // An empty key_exchange, and two shares for x25519.
        let empty = parse(&rfc_hex("00 04 00 1d 00 00"), KeyShareClientHello::decode);
        assert_eq!(empty.unwrap_err().alert, AlertDescription::DecodeError);
        let twice = rfc_hex("00 0a 00 1d 00 01 aa 00 1d 00 01 bb");
        let twice = parse(&twice, KeyShareClientHello::decode);
        assert_eq!(twice.unwrap_err().alert, AlertDescription::IllegalParameter);
        // Two entries where the ServerHello allows one: left-over bytes.
        let two = Extension::decode_body(
            ExtensionType::KeyShare,
            &rfc_hex("00 1d 00 01 aa 00 17 00 01 bb"),
            ExtensionContext::ServerHello,
        );
        assert_eq!(two.unwrap_err().alert, AlertDescription::DecodeError);
    }
}
