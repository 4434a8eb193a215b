//! psk_key_exchange_modes (RFC 9846 §4.3.9): the ways the client lets a PSK be used, either
//! alone (`psk_ke`) or together with a fresh (EC)DHE exchange (`psk_dhe_ke`).
//!
//! Only a ClientHello carries it. Not checked here: that a ClientHello with pre_shared_key
//! also has this extension, and that the server picks a listed mode (engines).

use alloc::vec::Vec;

use super::decode_items;
use crate::codec::{DecodeError, Reader, Writer};
use crate::wire::codes::PskKeyExchangeMode;

/// `PskKeyExchangeModes`: `PskKeyExchangeMode ke_modes<1..255>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PskKeyExchangeModes {
    /// The modes the client supports; values we do not know are kept as `Unknown`.
    pub ke_modes: Vec<PskKeyExchangeMode>,
}

impl PskKeyExchangeModes {
    /// True if the client listed `mode`.
    pub fn allows(&self, mode: PskKeyExchangeMode) -> bool {
        self.ke_modes.contains(&mode)
    }

    /// Reads the list.
    pub fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let ke_modes = decode_items(r.sub_u8(1, 255)?, |r| {
            Ok(PskKeyExchangeMode::from_u8(r.u8()?))
        })?;
        Ok(Self { ke_modes })
    }

    /// Writes the list.
    pub fn encode(&self, w: &mut Writer) {
        w.len_u8(|w| {
            for mode in &self.ke_modes {
                w.u8(mode.to_u8());
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

    #[test]
    fn test_parse_psk_key_exchange_modes() {
        // RFC 8448 §3 and §4, ClientHello: psk_dhe_ke only.
        let modes = parse(&rfc_hex("01 01"), PskKeyExchangeModes::decode).unwrap();
        assert_eq!(modes.ke_modes, [PskKeyExchangeMode::PskDheKe]);
        assert!(modes.allows(PskKeyExchangeMode::PskDheKe));
        assert!(!modes.allows(PskKeyExchangeMode::PskKe));
        let ext = round_trip(
            ExtensionType::PskKeyExchangeModes,
            ExtensionContext::ClientHello,
            &rfc_hex("01 01"),
        );
        assert_eq!(ext, Extension::PskKeyExchangeModes(modes));
    }

    #[test]
    fn test_emit_psk_key_exchange_modes() {
        let modes = PskKeyExchangeModes {
            ke_modes: vec![PskKeyExchangeMode::PskKe, PskKeyExchangeMode::PskDheKe],
        };
        assert_eq!(emit(|w| modes.encode(w)), rfc_hex("02 00 01"));
    }

    #[test]
    fn test_parse_rejects_empty_psk_key_exchange_modes() {
        let err = parse(&rfc_hex("00"), PskKeyExchangeModes::decode).unwrap_err();
        assert_eq!(err.alert, AlertDescription::DecodeError);
    }
}
