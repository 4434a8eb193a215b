//! Extensions (RFC 9846 §4.3): the typed bodies of every extension TLS 1.3 uses, and the
//! extension list that ClientHello, ServerHello, EncryptedExtensions, CertificateRequest,
//! CertificateEntry and NewSessionTicket carry.
//!
//! An extension's body can depend on the message it is in (key_share has three forms,
//! supported_versions two, early_data three), so decoding takes an [`ExtensionContext`].
//! Extensions we do not know, and known ones we keep opaque, stay as
//! [`Extension::Unknown`] with their bytes, so a list always re-encodes byte for byte.

use alloc::vec::Vec;

use crate::codec::{DecodeError, Reader, Writer};
use crate::wire::codes::ExtensionType;

/// The message an extension list belongs to (the "TLS 1.3" column of RFC 9846 §4.3's table).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExtensionContext {
    /// CH.
    ClientHello,
    /// SH.
    ServerHello,
    /// HRR.
    HelloRetryRequest,
    /// EE.
    EncryptedExtensions,
    /// CR.
    CertificateRequest,
    /// CT: the extensions of one CertificateEntry.
    Certificate,
    /// NST.
    NewSessionTicket,
}

/// One extension, decoded into its typed body where this library knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Extension {
    /// An extension kept as its type and raw `extension_data`.
    Unknown {
        /// The extension_type.
        typ: ExtensionType,
        /// The extension_data, as received.
        data: Vec<u8>,
    },
}

impl Extension {
    /// The extension_type this extension is sent under.
    pub fn extension_type(&self) -> ExtensionType {
        match self {
            Self::Unknown { typ, .. } => *typ,
        }
    }

    /// Decodes one extension body of type `typ` as it appears in `ctx`.
    pub fn decode_body(
        typ: ExtensionType,
        data: &[u8],
        _ctx: ExtensionContext,
    ) -> Result<Self, DecodeError> {
        Ok(Self::Unknown {
            typ,
            data: data.to_vec(),
        })
    }

    /// Appends `extension_type`, the two-byte length and `extension_data`.
    pub fn encode(&self, w: &mut Writer) {
        w.u16(self.extension_type().to_u16());
        w.len_u16(|w| match self {
            Self::Unknown { data, .. } => w.bytes(data),
        });
    }
}

/// Reads `Extension extensions<0..2^16-1>` (the caller checks a larger minimum, such as the
/// ClientHello's `<8..2^16-1>`, if its message has one).
pub fn decode_extensions(
    r: &mut Reader<'_>,
    ctx: ExtensionContext,
) -> Result<Vec<Extension>, DecodeError> {
    let mut list = r.sub_u16(0, 0xffff)?;
    let mut out: Vec<Extension> = Vec::new();
    while !list.is_empty() {
        let typ = ExtensionType::from_u16(list.u16()?);
        let data = list.vec_u16(0, 0xffff)?;
        // RFC 9846 §4.3: "There MUST NOT be more than one extension of the same type in a
        // given extension block."
        if out.iter().any(|e| e.extension_type() == typ) {
            return Err(DecodeError::illegal("duplicated extension"));
        }
        out.push(Extension::decode_body(typ, data, ctx)?);
    }
    Ok(out)
}

/// Writes an extension list with its two-byte length, in the order given.
pub fn encode_extensions(w: &mut Writer, extensions: &[Extension]) {
    w.len_u16(|w| {
        for e in extensions {
            e.encode(w);
        }
    });
}
