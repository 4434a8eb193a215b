//! The registries of code points that TLS 1.3 messages carry (RFC 9846 Appendix B).
//!
//! Each type is a plain enum with one variant per value the RFC (or a registry it cites)
//! names, and an `Unknown` variant that keeps any other value exactly as received: a peer may
//! send code points we do not implement, and RFC 9846 §4.2.2 and §4.3 tell us to ignore them
//! rather than fail. Conversions are explicit `from_*`/`to_*` functions.
//!
//! What is *supported* (which suites we can run, which groups we can compute) is decided
//! elsewhere; this file only names values.

/// RFC 9846 §5.1: the type of a record's contents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ContentType {
    /// `invalid` (0x00).
    Invalid,
    /// `change_cipher_spec` (0x14).
    ChangeCipherSpec,
    /// `alert` (0x15).
    Alert,
    /// `handshake` (0x16).
    Handshake,
    /// `application_data` (0x17).
    ApplicationData,
    /// A value without a name here, kept as received.
    Unknown(u8),
}

impl ContentType {
    /// The wire value.
    pub fn to_u8(self) -> u8 {
        match self {
            Self::Invalid => 0x00,
            Self::ChangeCipherSpec => 0x14,
            Self::Alert => 0x15,
            Self::Handshake => 0x16,
            Self::ApplicationData => 0x17,
            Self::Unknown(v) => v,
        }
    }

    /// The code point for a wire value.
    pub fn from_u8(v: u8) -> Self {
        match v {
            0x00 => Self::Invalid,
            0x14 => Self::ChangeCipherSpec,
            0x15 => Self::Alert,
            0x16 => Self::Handshake,
            0x17 => Self::ApplicationData,
            v => Self::Unknown(v),
        }
    }

    /// The name the RFC gives this value.
    pub fn rfc_name(self) -> &'static str {
        match self {
            Self::Invalid => "invalid",
            Self::ChangeCipherSpec => "change_cipher_spec",
            Self::Alert => "alert",
            Self::Handshake => "handshake",
            Self::ApplicationData => "application_data",
            Self::Unknown(_) => "unknown",
        }
    }
}

/// RFC 9846 §4: the type byte that opens every handshake message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HandshakeType {
    /// `client_hello` (0x01).
    ClientHello,
    /// `server_hello` (0x02).
    ServerHello,
    /// `new_session_ticket` (0x04).
    NewSessionTicket,
    /// `end_of_early_data` (0x05).
    EndOfEarlyData,
    /// `encrypted_extensions` (0x08).
    EncryptedExtensions,
    /// `certificate` (0x0b).
    Certificate,
    /// `certificate_request` (0x0d).
    CertificateRequest,
    /// `certificate_verify` (0x0f).
    CertificateVerify,
    /// `finished` (0x14).
    Finished,
    /// `key_update` (0x18).
    KeyUpdate,
    /// `message_hash` (0xfe).
    MessageHash,
    /// A value without a name here, kept as received.
    Unknown(u8),
}

impl HandshakeType {
    /// The wire value.
    pub fn to_u8(self) -> u8 {
        match self {
            Self::ClientHello => 0x01,
            Self::ServerHello => 0x02,
            Self::NewSessionTicket => 0x04,
            Self::EndOfEarlyData => 0x05,
            Self::EncryptedExtensions => 0x08,
            Self::Certificate => 0x0b,
            Self::CertificateRequest => 0x0d,
            Self::CertificateVerify => 0x0f,
            Self::Finished => 0x14,
            Self::KeyUpdate => 0x18,
            Self::MessageHash => 0xfe,
            Self::Unknown(v) => v,
        }
    }

    /// The code point for a wire value.
    pub fn from_u8(v: u8) -> Self {
        match v {
            0x01 => Self::ClientHello,
            0x02 => Self::ServerHello,
            0x04 => Self::NewSessionTicket,
            0x05 => Self::EndOfEarlyData,
            0x08 => Self::EncryptedExtensions,
            0x0b => Self::Certificate,
            0x0d => Self::CertificateRequest,
            0x0f => Self::CertificateVerify,
            0x14 => Self::Finished,
            0x18 => Self::KeyUpdate,
            0xfe => Self::MessageHash,
            v => Self::Unknown(v),
        }
    }

    /// The name the RFC gives this value.
    pub fn rfc_name(self) -> &'static str {
        match self {
            Self::ClientHello => "client_hello",
            Self::ServerHello => "server_hello",
            Self::NewSessionTicket => "new_session_ticket",
            Self::EndOfEarlyData => "end_of_early_data",
            Self::EncryptedExtensions => "encrypted_extensions",
            Self::Certificate => "certificate",
            Self::CertificateRequest => "certificate_request",
            Self::CertificateVerify => "certificate_verify",
            Self::Finished => "finished",
            Self::KeyUpdate => "key_update",
            Self::MessageHash => "message_hash",
            Self::Unknown(_) => "unknown",
        }
    }
}

/// RFC 9846 §4.2.1: protocol versions as they appear in supported_versions and legacy fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProtocolVersion {
    /// `TLS 1.2` (0x0303).
    Tls12,
    /// `TLS 1.3` (0x0304).
    Tls13,
    /// A value without a name here, kept as received.
    Unknown(u16),
}

impl ProtocolVersion {
    /// The wire value.
    pub fn to_u16(self) -> u16 {
        match self {
            Self::Tls12 => 0x0303,
            Self::Tls13 => 0x0304,
            Self::Unknown(v) => v,
        }
    }

    /// The code point for a wire value.
    pub fn from_u16(v: u16) -> Self {
        match v {
            0x0303 => Self::Tls12,
            0x0304 => Self::Tls13,
            v => Self::Unknown(v),
        }
    }

    /// The name the RFC gives this value.
    pub fn rfc_name(self) -> &'static str {
        match self {
            Self::Tls12 => "TLS 1.2",
            Self::Tls13 => "TLS 1.3",
            Self::Unknown(_) => "unknown",
        }
    }
}

/// RFC 9846 §4.3.9: how a PSK may be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PskKeyExchangeMode {
    /// `psk_ke` (0x00).
    PskKe,
    /// `psk_dhe_ke` (0x01).
    PskDheKe,
    /// A value without a name here, kept as received.
    Unknown(u8),
}

impl PskKeyExchangeMode {
    /// The wire value.
    pub fn to_u8(self) -> u8 {
        match self {
            Self::PskKe => 0x00,
            Self::PskDheKe => 0x01,
            Self::Unknown(v) => v,
        }
    }

    /// The code point for a wire value.
    pub fn from_u8(v: u8) -> Self {
        match v {
            0x00 => Self::PskKe,
            0x01 => Self::PskDheKe,
            v => Self::Unknown(v),
        }
    }

    /// The name the RFC gives this value.
    pub fn rfc_name(self) -> &'static str {
        match self {
            Self::PskKe => "psk_ke",
            Self::PskDheKe => "psk_dhe_ke",
            Self::Unknown(_) => "unknown",
        }
    }
}

/// RFC 9846 §4.4.2: the form of a CertificateEntry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CertificateType {
    /// `X509` (0x00).
    X509,
    /// `RawPublicKey` (0x02).
    RawPublicKey,
    /// A value without a name here, kept as received.
    Unknown(u8),
}

impl CertificateType {
    /// The wire value.
    pub fn to_u8(self) -> u8 {
        match self {
            Self::X509 => 0x00,
            Self::RawPublicKey => 0x02,
            Self::Unknown(v) => v,
        }
    }

    /// The code point for a wire value.
    pub fn from_u8(v: u8) -> Self {
        match v {
            0x00 => Self::X509,
            0x02 => Self::RawPublicKey,
            v => Self::Unknown(v),
        }
    }

    /// The name the RFC gives this value.
    pub fn rfc_name(self) -> &'static str {
        match self {
            Self::X509 => "X509",
            Self::RawPublicKey => "RawPublicKey",
            Self::Unknown(_) => "unknown",
        }
    }
}

/// RFC 9846 §4.7.3: whether the receiver of a KeyUpdate must answer it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyUpdateRequest {
    /// `update_not_requested` (0x00).
    UpdateNotRequested,
    /// `update_requested` (0x01).
    UpdateRequested,
    /// A value without a name here, kept as received.
    Unknown(u8),
}

impl KeyUpdateRequest {
    /// The wire value.
    pub fn to_u8(self) -> u8 {
        match self {
            Self::UpdateNotRequested => 0x00,
            Self::UpdateRequested => 0x01,
            Self::Unknown(v) => v,
        }
    }

    /// The code point for a wire value.
    pub fn from_u8(v: u8) -> Self {
        match v {
            0x00 => Self::UpdateNotRequested,
            0x01 => Self::UpdateRequested,
            v => Self::Unknown(v),
        }
    }

    /// The name the RFC gives this value.
    pub fn rfc_name(self) -> &'static str {
        match self {
            Self::UpdateNotRequested => "update_not_requested",
            Self::UpdateRequested => "update_requested",
            Self::Unknown(_) => "unknown",
        }
    }
}

/// RFC 9846 §4.3: the type that opens every extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExtensionType {
    /// `server_name` (0x0000).
    ServerName,
    /// `max_fragment_length` (0x0001).
    MaxFragmentLength,
    /// `status_request` (0x0005).
    StatusRequest,
    /// `supported_groups` (0x000a).
    SupportedGroups,
    /// `signature_algorithms` (0x000d).
    SignatureAlgorithms,
    /// `use_srtp` (0x000e).
    UseSrtp,
    /// `heartbeat` (0x000f).
    Heartbeat,
    /// `application_layer_protocol_negotiation` (0x0010).
    ApplicationLayerProtocolNegotiation,
    /// `signed_certificate_timestamp` (0x0012).
    SignedCertificateTimestamp,
    /// `client_certificate_type` (0x0013).
    ClientCertificateType,
    /// `server_certificate_type` (0x0014).
    ServerCertificateType,
    /// `padding` (0x0015).
    Padding,
    /// `record_size_limit` (0x001c).
    RecordSizeLimit,
    /// `pre_shared_key` (0x0029).
    PreSharedKey,
    /// `early_data` (0x002a).
    EarlyData,
    /// `supported_versions` (0x002b).
    SupportedVersions,
    /// `cookie` (0x002c).
    Cookie,
    /// `psk_key_exchange_modes` (0x002d).
    PskKeyExchangeModes,
    /// `certificate_authorities` (0x002f).
    CertificateAuthorities,
    /// `oid_filters` (0x0030).
    OidFilters,
    /// `post_handshake_auth` (0x0031).
    PostHandshakeAuth,
    /// `signature_algorithms_cert` (0x0032).
    SignatureAlgorithmsCert,
    /// `key_share` (0x0033).
    KeyShare,
    /// `renegotiation_info` (0xff01).
    RenegotiationInfo,
    /// A value without a name here, kept as received.
    Unknown(u16),
}

impl ExtensionType {
    /// The wire value.
    pub fn to_u16(self) -> u16 {
        match self {
            Self::ServerName => 0x0000,
            Self::MaxFragmentLength => 0x0001,
            Self::StatusRequest => 0x0005,
            Self::SupportedGroups => 0x000a,
            Self::SignatureAlgorithms => 0x000d,
            Self::UseSrtp => 0x000e,
            Self::Heartbeat => 0x000f,
            Self::ApplicationLayerProtocolNegotiation => 0x0010,
            Self::SignedCertificateTimestamp => 0x0012,
            Self::ClientCertificateType => 0x0013,
            Self::ServerCertificateType => 0x0014,
            Self::Padding => 0x0015,
            Self::RecordSizeLimit => 0x001c,
            Self::PreSharedKey => 0x0029,
            Self::EarlyData => 0x002a,
            Self::SupportedVersions => 0x002b,
            Self::Cookie => 0x002c,
            Self::PskKeyExchangeModes => 0x002d,
            Self::CertificateAuthorities => 0x002f,
            Self::OidFilters => 0x0030,
            Self::PostHandshakeAuth => 0x0031,
            Self::SignatureAlgorithmsCert => 0x0032,
            Self::KeyShare => 0x0033,
            Self::RenegotiationInfo => 0xff01,
            Self::Unknown(v) => v,
        }
    }

    /// The code point for a wire value.
    pub fn from_u16(v: u16) -> Self {
        match v {
            0x0000 => Self::ServerName,
            0x0001 => Self::MaxFragmentLength,
            0x0005 => Self::StatusRequest,
            0x000a => Self::SupportedGroups,
            0x000d => Self::SignatureAlgorithms,
            0x000e => Self::UseSrtp,
            0x000f => Self::Heartbeat,
            0x0010 => Self::ApplicationLayerProtocolNegotiation,
            0x0012 => Self::SignedCertificateTimestamp,
            0x0013 => Self::ClientCertificateType,
            0x0014 => Self::ServerCertificateType,
            0x0015 => Self::Padding,
            0x001c => Self::RecordSizeLimit,
            0x0029 => Self::PreSharedKey,
            0x002a => Self::EarlyData,
            0x002b => Self::SupportedVersions,
            0x002c => Self::Cookie,
            0x002d => Self::PskKeyExchangeModes,
            0x002f => Self::CertificateAuthorities,
            0x0030 => Self::OidFilters,
            0x0031 => Self::PostHandshakeAuth,
            0x0032 => Self::SignatureAlgorithmsCert,
            0x0033 => Self::KeyShare,
            0xff01 => Self::RenegotiationInfo,
            v => Self::Unknown(v),
        }
    }

    /// The name the RFC gives this value.
    pub fn rfc_name(self) -> &'static str {
        match self {
            Self::ServerName => "server_name",
            Self::MaxFragmentLength => "max_fragment_length",
            Self::StatusRequest => "status_request",
            Self::SupportedGroups => "supported_groups",
            Self::SignatureAlgorithms => "signature_algorithms",
            Self::UseSrtp => "use_srtp",
            Self::Heartbeat => "heartbeat",
            Self::ApplicationLayerProtocolNegotiation => "application_layer_protocol_negotiation",
            Self::SignedCertificateTimestamp => "signed_certificate_timestamp",
            Self::ClientCertificateType => "client_certificate_type",
            Self::ServerCertificateType => "server_certificate_type",
            Self::Padding => "padding",
            Self::RecordSizeLimit => "record_size_limit",
            Self::PreSharedKey => "pre_shared_key",
            Self::EarlyData => "early_data",
            Self::SupportedVersions => "supported_versions",
            Self::Cookie => "cookie",
            Self::PskKeyExchangeModes => "psk_key_exchange_modes",
            Self::CertificateAuthorities => "certificate_authorities",
            Self::OidFilters => "oid_filters",
            Self::PostHandshakeAuth => "post_handshake_auth",
            Self::SignatureAlgorithmsCert => "signature_algorithms_cert",
            Self::KeyShare => "key_share",
            Self::RenegotiationInfo => "renegotiation_info",
            Self::Unknown(_) => "unknown",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_every_code_point_round_trips() {
        for v in 0..=u8::MAX {
            assert_eq!(ContentType::from_u8(v).to_u8(), v);
        }
        for v in 0..=u8::MAX {
            assert_eq!(HandshakeType::from_u8(v).to_u8(), v);
        }
        for v in 0..=u16::MAX {
            assert_eq!(ProtocolVersion::from_u16(v).to_u16(), v);
        }
        for v in 0..=u8::MAX {
            assert_eq!(PskKeyExchangeMode::from_u8(v).to_u8(), v);
        }
        for v in 0..=u8::MAX {
            assert_eq!(CertificateType::from_u8(v).to_u8(), v);
        }
        for v in 0..=u8::MAX {
            assert_eq!(KeyUpdateRequest::from_u8(v).to_u8(), v);
        }
        for v in 0..=u16::MAX {
            assert_eq!(ExtensionType::from_u16(v).to_u16(), v);
        }
    }
}
