//! Extensions (RFC 9846 §4.3): the typed bodies of every extension TLS 1.3 uses, and the
//! extension list that ClientHello, ServerHello, EncryptedExtensions, CertificateRequest,
//! CertificateEntry and NewSessionTicket carry.
//!
//! An extension's body can depend on the message it is in (key_share has three forms,
//! supported_versions two, early_data two), so decoding takes an [`ExtensionContext`].
//! Extensions we do not know, and known ones we keep opaque, stay as
//! [`Extension::Unknown`] with their bytes, so a list always re-encodes byte for byte.
//!
//! | extension                  | defined in          | may appear in (RFC 9846 §4.3, Table 1) | module |
//! |----------------------------|---------------------|-------------|-----------------------------|
//! | server_name                | RFC 6066 §3         | CH, EE, CR  | [`server_name`]             |
//! | max_fragment_length        | RFC 6066 §4         | CH, EE ¹    | [`max_fragment_length`]     |
//! | status_request             | RFC 6066 §8, RFC 9846 §4.5.1.1 | CH, CR, CT | [`status_request`] |
//! | supported_groups           | RFC 9846 §4.3.7     | CH, EE      | [`supported_groups`]        |
//! | signature_algorithms       | RFC 9846 §4.3.3     | CH, CR      | [`signature_algorithms`]    |
//! | application_layer_protocol_negotiation | RFC 7301 §3.1 | CH, EE | [`alpn`]                |
//! | padding                    | RFC 7685 §3         | CH          | [`padding`]                 |
//! | record_size_limit          | RFC 8449 §4         | CH, EE      | [`record_size_limit`]       |
//! | pre_shared_key             | RFC 9846 §4.3.11    | CH, SH      | [`pre_shared_key`]          |
//! | early_data                 | RFC 9846 §4.3.10    | CH, EE, NST | [`early_data`]              |
//! | supported_versions         | RFC 9846 §4.3.1     | CH, SH, HRR | [`supported_versions`]      |
//! | cookie                     | RFC 9846 §4.3.2     | CH, HRR     | [`cookie`]                  |
//! | psk_key_exchange_modes     | RFC 9846 §4.3.9     | CH          | [`psk_key_exchange_modes`]  |
//! | certificate_authorities    | RFC 9846 §4.3.4     | CH, CR      | [`certificate_authorities`] |
//! | signature_algorithms_cert  | RFC 9846 §4.3.3     | CH, CR      | [`signature_algorithms`]    |
//! | key_share                  | RFC 9846 §4.3.8     | CH, SH, HRR | [`key_share`]               |
//! | client_certificate_type, server_certificate_type | RFC 7250 §4.1, §4.2 | CH, EE | [`certificate_type`] |
//! | use_srtp, heartbeat        | (kept opaque)       | CH, EE      | —                           |
//! | signed_certificate_timestamp | (kept opaque)     | CH, CR, CT ¹ | —                          |
//! | oid_filters                | (kept opaque)       | CR          | —                           |
//! | post_handshake_auth        | (kept opaque)       | CH          | —                           |
//! | renegotiation_info         | (kept opaque)       | CH ²        | —                           |
//!
//! ¹ Not in RFC 9846's table, which lists only "Recommended" extensions; the rows are RFC
//! 8446's. ² RFC 5746, a TLS 1.2 extension: a client that also offers TLS 1.2 sends it, and no
//! TLS 1.3 server message carries it.
//!
//! What is checked here: each body's syntax (bounds, trailing bytes), the values a body's own
//! RFC forbids, that a recognized extension is allowed in its message, that no type repeats
//! in a list, and that pre_shared_key comes last in a ClientHello. What is not: whether a
//! response answers a request we sent (RFC 9846 §4.3, `unsupported_extension`), and every
//! other rule that needs to know what the peer or we sent before. The engines check those.

use alloc::vec::Vec;

use crate::codec::{DecodeError, Reader, Writer};
use crate::wire::algorithms::NamedGroup;
use crate::wire::codes::{CertificateType, ExtensionType, ProtocolVersion};

pub mod alpn;
pub mod certificate_authorities;
pub mod certificate_type;
pub mod cookie;
pub mod early_data;
pub mod key_share;
pub mod max_fragment_length;
pub mod padding;
pub mod pre_shared_key;
pub mod psk_key_exchange_modes;
pub mod record_size_limit;
mod seen_types;
pub mod server_name;
pub mod signature_algorithms;
pub mod status_request;
pub mod supported_groups;
pub mod supported_versions;

#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_rfc8448;

pub use alpn::{ProtocolName, ProtocolNameList};
pub use certificate_authorities::{CertificateAuthoritiesExtension, DistinguishedName};
pub use certificate_type::CertificateTypeList;
pub use cookie::Cookie;
pub use key_share::{
    KeyShareClientHello, KeyShareEntry, KeyShareHelloRetryRequest, KeyShareServerHello,
};
pub use max_fragment_length::MaxFragmentLength;
pub use pre_shared_key::{OfferedPsks, PskBinderEntry, PskIdentity};
pub use psk_key_exchange_modes::PskKeyExchangeModes;
pub use server_name::{ServerName, ServerNameList};
pub use signature_algorithms::SignatureSchemeList;
pub use status_request::{CertificateStatus, CertificateStatusRequest, OcspStatusRequest};
pub use supported_groups::NamedGroupList;

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
///
/// Where a body has more than one form, each form is its own variant, named after the
/// message that carries it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Extension {
    /// server_name in CH (or CR): the names the client wants to reach.
    ServerNameList(ServerNameList),
    /// server_name in EE: empty, "I used your name".
    ServerNameAck,
    /// max_fragment_length in CH or EE.
    MaxFragmentLength(MaxFragmentLength),
    /// status_request in CH: the client asks for an OCSP response.
    StatusRequest(CertificateStatusRequest),
    /// status_request in CR: empty, the server asks for the client's OCSP response.
    StatusRequestEmpty,
    /// status_request in a CertificateEntry: the OCSP response for that certificate.
    CertificateStatus(CertificateStatus),
    /// supported_groups in CH or EE.
    SupportedGroups(NamedGroupList),
    /// signature_algorithms in CH or CR.
    SignatureAlgorithms(SignatureSchemeList),
    /// signature_algorithms_cert in CH or CR.
    SignatureAlgorithmsCert(SignatureSchemeList),
    /// application_layer_protocol_negotiation in CH: the protocols offered.
    ApplicationLayerProtocolNegotiation(ProtocolNameList),
    /// application_layer_protocol_negotiation in EE: the one protocol the server selected.
    ApplicationLayerProtocolSelected(ProtocolName),
    /// client_certificate_type in CH: the types the client can send (RFC 7250 §4.1).
    ClientCertificateTypes(CertificateTypeList),
    /// client_certificate_type in EE: the type the client's Certificate is to carry.
    ClientCertificateTypeSelected(CertificateType),
    /// server_certificate_type in CH: the types the client can process (RFC 7250 §4.1).
    ServerCertificateTypes(CertificateTypeList),
    /// server_certificate_type in EE: the type the server's Certificate carries.
    ServerCertificateTypeSelected(CertificateType),
    /// padding in CH: this many zero bytes.
    Padding(u16),
    /// record_size_limit in CH or EE: the largest protected record plaintext we accept.
    RecordSizeLimit(u16),
    /// pre_shared_key in CH: the PSKs offered and their binders.
    PreSharedKeyClientHello(OfferedPsks),
    /// pre_shared_key in SH: `selected_identity`, an index into the offered identities.
    PreSharedKeyServerHello(u16),
    /// early_data in CH or EE: empty.
    EarlyData,
    /// early_data in NST: `max_early_data_size`.
    EarlyDataMaxSize(u32),
    /// supported_versions in CH: `versions`, most preferred first.
    SupportedVersionsClientHello(Vec<ProtocolVersion>),
    /// supported_versions in SH or HRR: `selected_version`.
    SupportedVersionsServerHello(ProtocolVersion),
    /// cookie in HRR or CH.
    Cookie(Cookie),
    /// psk_key_exchange_modes in CH.
    PskKeyExchangeModes(PskKeyExchangeModes),
    /// certificate_authorities in CH or CR.
    CertificateAuthorities(CertificateAuthoritiesExtension),
    /// key_share in CH: the client's shares.
    KeyShareClientHello(KeyShareClientHello),
    /// key_share in SH: the server's one share.
    KeyShareServerHello(KeyShareServerHello),
    /// key_share in HRR: the group the server wants a share for.
    KeyShareHelloRetryRequest(KeyShareHelloRetryRequest),
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
            Self::ServerNameList(_) | Self::ServerNameAck => ExtensionType::ServerName,
            Self::MaxFragmentLength(_) => ExtensionType::MaxFragmentLength,
            Self::StatusRequest(_) | Self::StatusRequestEmpty | Self::CertificateStatus(_) => {
                ExtensionType::StatusRequest
            }
            Self::SupportedGroups(_) => ExtensionType::SupportedGroups,
            Self::SignatureAlgorithms(_) => ExtensionType::SignatureAlgorithms,
            Self::SignatureAlgorithmsCert(_) => ExtensionType::SignatureAlgorithmsCert,
            Self::ApplicationLayerProtocolNegotiation(_)
            | Self::ApplicationLayerProtocolSelected(_) => {
                ExtensionType::ApplicationLayerProtocolNegotiation
            }
            Self::ClientCertificateTypes(_) | Self::ClientCertificateTypeSelected(_) => {
                ExtensionType::ClientCertificateType
            }
            Self::ServerCertificateTypes(_) | Self::ServerCertificateTypeSelected(_) => {
                ExtensionType::ServerCertificateType
            }
            Self::Padding(_) => ExtensionType::Padding,
            Self::RecordSizeLimit(_) => ExtensionType::RecordSizeLimit,
            Self::PreSharedKeyClientHello(_) | Self::PreSharedKeyServerHello(_) => {
                ExtensionType::PreSharedKey
            }
            Self::EarlyData | Self::EarlyDataMaxSize(_) => ExtensionType::EarlyData,
            Self::SupportedVersionsClientHello(_) | Self::SupportedVersionsServerHello(_) => {
                ExtensionType::SupportedVersions
            }
            Self::Cookie(_) => ExtensionType::Cookie,
            Self::PskKeyExchangeModes(_) => ExtensionType::PskKeyExchangeModes,
            Self::CertificateAuthorities(_) => ExtensionType::CertificateAuthorities,
            Self::KeyShareClientHello(_)
            | Self::KeyShareServerHello(_)
            | Self::KeyShareHelloRetryRequest(_) => ExtensionType::KeyShare,
            Self::Unknown { typ, .. } => *typ,
        }
    }

    /// Decodes one extension body of type `typ` as it appears in `ctx`.
    pub fn decode_body(
        typ: ExtensionType,
        data: &[u8],
        ctx: ExtensionContext,
    ) -> Result<Self, DecodeError> {
        use ExtensionContext as M;
        use ExtensionType as T;
        // RFC 9846 §4.3: "If an implementation receives an extension which it recognizes and
        // which is not specified for the message in which it appears, it MUST abort the
        // handshake with an "illegal_parameter" alert."
        let allowed_here = permitted_contexts(typ).is_none_or(|allowed| allowed.contains(&ctx));
        if !allowed_here {
            return Err(DecodeError::illegal(
                "extension not allowed in this message",
            ));
        }
        let mut reader = Reader::new(data);
        let r = &mut reader;
        // Rows matching any message (`_`) have one form in every message the table allows.
        let extension = match (typ, ctx) {
            (T::ServerName, M::ClientHello | M::CertificateRequest) => {
                Self::ServerNameList(ServerNameList::decode(r)?)
            }
            (T::ServerName, M::EncryptedExtensions) => Self::ServerNameAck,
            (T::MaxFragmentLength, _) => Self::MaxFragmentLength(MaxFragmentLength::decode(r)?),
            (T::StatusRequest, M::ClientHello) => {
                Self::StatusRequest(CertificateStatusRequest::decode(r)?)
            }
            (T::StatusRequest, M::CertificateRequest) => Self::StatusRequestEmpty,
            (T::StatusRequest, M::Certificate) => {
                Self::CertificateStatus(CertificateStatus::decode(r)?)
            }
            (T::SupportedGroups, _) => Self::SupportedGroups(NamedGroupList::decode(r)?),
            (T::SignatureAlgorithms, _) => {
                Self::SignatureAlgorithms(SignatureSchemeList::decode(r)?)
            }
            (T::SignatureAlgorithmsCert, _) => {
                Self::SignatureAlgorithmsCert(SignatureSchemeList::decode(r)?)
            }
            (T::ApplicationLayerProtocolNegotiation, M::ClientHello) => {
                Self::ApplicationLayerProtocolNegotiation(ProtocolNameList::decode(r)?)
            }
            (T::ApplicationLayerProtocolNegotiation, M::EncryptedExtensions) => {
                Self::ApplicationLayerProtocolSelected(alpn::decode_selected(r)?)
            }
            (T::ClientCertificateType, M::ClientHello) => {
                Self::ClientCertificateTypes(CertificateTypeList::decode(r)?)
            }
            (T::ClientCertificateType, M::EncryptedExtensions) => {
                Self::ClientCertificateTypeSelected(certificate_type::decode_selected(r)?)
            }
            (T::ServerCertificateType, M::ClientHello) => {
                Self::ServerCertificateTypes(CertificateTypeList::decode(r)?)
            }
            (T::ServerCertificateType, M::EncryptedExtensions) => {
                Self::ServerCertificateTypeSelected(certificate_type::decode_selected(r)?)
            }
            // Padding that is not all zeros is kept opaque, so it re-encodes as received
            // (see the padding module).
            (T::Padding, _) if padding::is_all_zeros(data) => {
                Self::Padding(padding::decode_padding(r)?)
            }
            (T::RecordSizeLimit, _) => {
                Self::RecordSizeLimit(record_size_limit::decode_record_size_limit(r)?)
            }
            (T::PreSharedKey, M::ClientHello) => {
                Self::PreSharedKeyClientHello(OfferedPsks::decode(r)?)
            }
            (T::PreSharedKey, M::ServerHello) => {
                Self::PreSharedKeyServerHello(pre_shared_key::decode_selected_identity(r)?)
            }
            (T::EarlyData, M::ClientHello | M::EncryptedExtensions) => Self::EarlyData,
            (T::EarlyData, M::NewSessionTicket) => {
                Self::EarlyDataMaxSize(early_data::decode_max_early_data_size(r)?)
            }
            (T::SupportedVersions, M::ClientHello) => {
                Self::SupportedVersionsClientHello(supported_versions::decode_versions(r)?)
            }
            (T::SupportedVersions, M::ServerHello | M::HelloRetryRequest) => {
                Self::SupportedVersionsServerHello(supported_versions::decode_selected_version(r)?)
            }
            (T::Cookie, _) => Self::Cookie(Cookie::decode(r)?),
            (T::PskKeyExchangeModes, _) => {
                Self::PskKeyExchangeModes(PskKeyExchangeModes::decode(r)?)
            }
            (T::CertificateAuthorities, _) => {
                Self::CertificateAuthorities(CertificateAuthoritiesExtension::decode(r)?)
            }
            (T::KeyShare, M::ClientHello) => {
                Self::KeyShareClientHello(KeyShareClientHello::decode(r)?)
            }
            (T::KeyShare, M::ServerHello) => {
                Self::KeyShareServerHello(KeyShareServerHello::decode(r)?)
            }
            (T::KeyShare, M::HelloRetryRequest) => {
                Self::KeyShareHelloRetryRequest(KeyShareHelloRetryRequest::decode(r)?)
            }
            _ => {
                return Ok(Self::Unknown {
                    typ,
                    data: data.to_vec(),
                });
            }
        };
        // RFC 9846 §4.3: "When processing an extension, receivers MUST abort the handshake
        // with a "decode_error" alert if there is data left over after parsing the structure."
        reader.finish()?;
        Ok(extension)
    }

    /// Appends `extension_type`, the two-byte length and `extension_data`.
    pub fn encode(&self, w: &mut Writer) {
        w.u16(self.extension_type().to_u16());
        w.len_u16(|w| self.encode_body(w));
    }

    /// Appends `extension_data` alone: the mirror image of [`Extension::decode_body`].
    pub fn encode_body(&self, w: &mut Writer) {
        match self {
            Self::ServerNameList(list) => list.encode(w),
            Self::ServerNameAck | Self::StatusRequestEmpty | Self::EarlyData => {}
            Self::MaxFragmentLength(length) => length.encode(w),
            Self::StatusRequest(request) => request.encode(w),
            Self::CertificateStatus(status) => status.encode(w),
            Self::SupportedGroups(list) => list.encode(w),
            Self::SignatureAlgorithms(list) | Self::SignatureAlgorithmsCert(list) => list.encode(w),
            Self::ApplicationLayerProtocolNegotiation(list) => list.encode(w),
            Self::ApplicationLayerProtocolSelected(name) => alpn::encode_selected(w, name),
            Self::ClientCertificateTypes(list) | Self::ServerCertificateTypes(list) => {
                list.encode(w)
            }
            Self::ClientCertificateTypeSelected(selected)
            | Self::ServerCertificateTypeSelected(selected) => {
                certificate_type::encode_selected(w, *selected)
            }
            Self::Padding(len) => padding::encode_padding(w, *len),
            Self::RecordSizeLimit(limit) => record_size_limit::encode_record_size_limit(w, *limit),
            Self::PreSharedKeyClientHello(offered) => offered.encode(w),
            Self::PreSharedKeyServerHello(selected_identity) => {
                pre_shared_key::encode_selected_identity(w, *selected_identity)
            }
            Self::EarlyDataMaxSize(max) => early_data::encode_max_early_data_size(w, *max),
            Self::SupportedVersionsClientHello(versions) => {
                supported_versions::encode_versions(w, versions)
            }
            Self::SupportedVersionsServerHello(version) => {
                supported_versions::encode_selected_version(w, *version)
            }
            Self::Cookie(cookie) => cookie.encode(w),
            Self::PskKeyExchangeModes(modes) => modes.encode(w),
            Self::CertificateAuthorities(authorities) => authorities.encode(w),
            Self::KeyShareClientHello(shares) => shares.encode(w),
            Self::KeyShareServerHello(share) => share.encode(w),
            Self::KeyShareHelloRetryRequest(selected) => selected.encode(w),
            Self::Unknown { data, .. } => w.bytes(data),
        }
    }
}

/// RFC 9846 §4.3, Table 1: the messages an extension this library recognizes may appear in,
/// or `None` for a type it does not recognize (which may then appear anywhere).
pub fn permitted_contexts(typ: ExtensionType) -> Option<&'static [ExtensionContext]> {
    use ExtensionContext::*;
    let contexts: &'static [ExtensionContext] = match typ {
        ExtensionType::ServerName => &[ClientHello, EncryptedExtensions, CertificateRequest],
        ExtensionType::MaxFragmentLength => &[ClientHello, EncryptedExtensions],
        ExtensionType::StatusRequest => &[ClientHello, CertificateRequest, Certificate],
        ExtensionType::SupportedGroups => &[ClientHello, EncryptedExtensions],
        ExtensionType::SignatureAlgorithms => &[ClientHello, CertificateRequest],
        ExtensionType::UseSrtp => &[ClientHello, EncryptedExtensions],
        ExtensionType::Heartbeat => &[ClientHello, EncryptedExtensions],
        ExtensionType::ApplicationLayerProtocolNegotiation => &[ClientHello, EncryptedExtensions],
        ExtensionType::SignedCertificateTimestamp => {
            &[ClientHello, CertificateRequest, Certificate]
        }
        ExtensionType::ClientCertificateType => &[ClientHello, EncryptedExtensions],
        ExtensionType::ServerCertificateType => &[ClientHello, EncryptedExtensions],
        ExtensionType::Padding => &[ClientHello],
        ExtensionType::RecordSizeLimit => &[ClientHello, EncryptedExtensions],
        ExtensionType::PreSharedKey => &[ClientHello, ServerHello],
        ExtensionType::EarlyData => &[ClientHello, EncryptedExtensions, NewSessionTicket],
        ExtensionType::SupportedVersions => &[ClientHello, ServerHello, HelloRetryRequest],
        ExtensionType::Cookie => &[ClientHello, HelloRetryRequest],
        ExtensionType::PskKeyExchangeModes => &[ClientHello],
        ExtensionType::CertificateAuthorities => &[ClientHello, CertificateRequest],
        ExtensionType::OidFilters => &[CertificateRequest],
        ExtensionType::PostHandshakeAuth => &[ClientHello],
        ExtensionType::SignatureAlgorithmsCert => &[ClientHello, CertificateRequest],
        ExtensionType::KeyShare => &[ClientHello, ServerHello, HelloRetryRequest],
        ExtensionType::RenegotiationInfo => &[ClientHello],
        ExtensionType::Unknown(_) => return None,
    };
    Some(contexts)
}

/// Reads `Extension extensions<0..2^16-1>` (the caller checks a larger minimum if its
/// message has one: RFC 9846 gives the ClientHello `<7..2^16-1>`, where RFC 8446 had
/// `<8..2^16-1>`, and the ServerHello `<6..2^16-1>`).
pub fn decode_extensions(
    r: &mut Reader<'_>,
    ctx: ExtensionContext,
) -> Result<Vec<Extension>, DecodeError> {
    let mut list = r.sub_u16(0, 0xffff)?;
    let mut out: Vec<Extension> = Vec::new();
    let mut seen = seen_types::SeenTypes::new();
    while !list.is_empty() {
        let code = list.u16()?;
        let typ = ExtensionType::from_u16(code);
        let data = list.vec_u16(0, 0xffff)?;
        // RFC 9846 §4.3: "There MUST NOT be more than one extension of the same type in a
        // given extension block." Checked in linear time: this runs before anything is
        // authenticated (see `seen_types`).
        if !seen.insert(code) {
            return Err(DecodeError::illegal("duplicated extension"));
        }
        // RFC 9846 §4.3.11: "The "pre_shared_key" extension MUST be the last extension in
        // the ClientHello [...] Servers MUST check that it is the last extension and
        // otherwise fail the handshake with an "illegal_parameter" alert."
        let after_psk = out
            .last()
            .is_some_and(|e| e.extension_type() == ExtensionType::PreSharedKey);
        if ctx == ExtensionContext::ClientHello && after_psk {
            return Err(DecodeError::illegal(
                "pre_shared_key is not the last extension",
            ));
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

/// The extension of type `typ` in a decoded list, if there is one (a list holds at most
/// one of each type).
pub fn find(extensions: &[Extension], typ: ExtensionType) -> Option<&Extension> {
    extensions.iter().find(|e| e.extension_type() == typ)
}

/// The client's key share for `group` in a decoded ClientHello list, if it sent one.
pub fn find_client_share(extensions: &[Extension], group: NamedGroup) -> Option<&KeyShareEntry> {
    match find(extensions, ExtensionType::KeyShare) {
        Some(Extension::KeyShareClientHello(shares)) => shares.find(group),
        _ => None,
    }
}

/// Reads items with `item` until `list` is used up: the loop behind every
/// `Item list<min..max>` vector whose length has already been read into `list`.
fn decode_items<'a, T>(
    mut list: Reader<'a>,
    mut item: impl FnMut(&mut Reader<'a>) -> Result<T, DecodeError>,
) -> Result<Vec<T>, DecodeError> {
    let mut out = Vec::new();
    while !list.is_empty() {
        out.push(item(&mut list)?);
    }
    Ok(out)
}

/// True if two of `items` have the same `key` (a group's or a name_type's code point).
/// Linear in the list, like the duplicate-extension check ([`seen_types`]): these lists
/// are decoded before anything is authenticated, and a 64 KiB supported_groups holds
/// 32,767 groups.
fn has_repeats<T>(items: &[T], key: impl Fn(&T) -> u16) -> bool {
    let mut seen = seen_types::SeenTypes::new();
    items.iter().any(|item| !seen.insert(key(item)))
}
