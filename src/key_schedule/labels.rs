//! The names of the key schedule's secrets: [`SecretLabel`], one variant per secret RFC 9846
//! §7.1 derives, with the three names each goes by.
//!
//! - [`SecretLabel::rfc_name`]: the name in RFC 9846's prose and Figure 5, e.g.
//!   `client_handshake_traffic_secret`.
//! - [`SecretLabel::hkdf_label`]: the `Label` its HKDF-Expand-Label uses, without the
//!   `"tls13 "` prefix, e.g. `c hs traffic`. RFC 8448's traces print it with the prefix.
//! - [`SecretLabel::keylog_label`]: the SSLKEYLOGFILE label, e.g.
//!   `CLIENT_HANDSHAKE_TRAFFIC_SECRET`, for the few secrets a key log carries. The format
//!   is RFC 9850, "The SSLKEYLOGFILE Format for TLS" (Informational, July 2026, published
//!   from draft-ietf-tls-keylogfile; before it, NSS's documentation was the only reference).
//!
//! Leaf keying material (write keys and IVs, finished keys, exporter outputs) has no label
//! here: it is returned to the caller, who knows which secret it came from.

/// One secret of the TLS 1.3 key schedule (RFC 9846 §7.1, §7.2, §4.7.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SecretLabel {
    /// `Early Secret = HKDF-Extract(0, PSK)`.
    EarlySecret,
    /// `binder_key` for an externally provisioned PSK (`"ext binder"`).
    ExternalBinderKey,
    /// `binder_key` for a resumption PSK (`"res binder"`).
    ResumptionBinderKey,
    /// `client_early_traffic_secret` (`"c e traffic"`), protecting 0-RTT data.
    ClientEarlyTraffic,
    /// `early_exporter_secret` (`"e exp master"`).
    EarlyExporter,
    /// `Derive-Secret(Early Secret, "derived", "")`: the salt of the Handshake Secret.
    DerivedForHandshake,
    /// `Handshake Secret = HKDF-Extract(derived, asymmetric shared secret)`: the (EC)DHE or KEM
    /// shared secret (RFC 9846 §7.4), or 0 in a psk_ke handshake.
    HandshakeSecret,
    /// `client_handshake_traffic_secret` (`"c hs traffic"`).
    ClientHandshakeTraffic,
    /// `server_handshake_traffic_secret` (`"s hs traffic"`).
    ServerHandshakeTraffic,
    /// `Derive-Secret(Handshake Secret, "derived", "")`: the salt of the Main Secret.
    DerivedForMain,
    /// `Main Secret = HKDF-Extract(derived, 0)` (RFC 8446 called it the master secret).
    MainSecret,
    /// `client_application_traffic_secret_N`: generation 0 is `"c ap traffic"`, each later
    /// one is `"traffic upd"` of the one before (RFC 9846 §7.2).
    ClientApplicationTraffic(u64),
    /// `server_application_traffic_secret_N`, as for the client.
    ServerApplicationTraffic(u64),
    /// `exporter_secret` (`"exp master"`).
    Exporter,
    /// `resumption_secret` (`"res master"`).
    Resumption,
    /// The PSK a NewSessionTicket carries: `HKDF-Expand-Label(resumption_secret,
    /// "resumption", ticket_nonce, Hash.length)` (RFC 9846 §4.7.1).
    ResumptionPsk,
}

impl SecretLabel {
    /// The secret's name in RFC 9846 (§7.1 Figure 5, §7.2, §4.7.1).
    pub fn rfc_name(self) -> &'static str {
        match self {
            Self::EarlySecret => "Early Secret",
            Self::ExternalBinderKey | Self::ResumptionBinderKey => "binder_key",
            Self::ClientEarlyTraffic => "client_early_traffic_secret",
            Self::EarlyExporter => "early_exporter_secret",
            Self::DerivedForHandshake => "derived (salt of the Handshake Secret)",
            Self::HandshakeSecret => "Handshake Secret",
            Self::ClientHandshakeTraffic => "client_handshake_traffic_secret",
            Self::ServerHandshakeTraffic => "server_handshake_traffic_secret",
            Self::DerivedForMain => "derived (salt of the Main Secret)",
            Self::MainSecret => "Main Secret",
            Self::ClientApplicationTraffic(_) => "client_application_traffic_secret_N",
            Self::ServerApplicationTraffic(_) => "server_application_traffic_secret_N",
            Self::Exporter => "exporter_secret",
            Self::Resumption => "resumption_secret",
            Self::ResumptionPsk => "PSK (from a ticket)",
        }
    }

    /// The `Label` of the HKDF-Expand-Label that derives this secret, without the
    /// `"tls13 "` prefix; `None` for the three HKDF-Extract outputs.
    ///
    /// RFC 9846 §7.1: "The key derivation labels use the string "master" even though the
    /// values are referred to as "main" secrets."
    pub fn hkdf_label(self) -> Option<&'static str> {
        match self {
            Self::EarlySecret | Self::HandshakeSecret | Self::MainSecret => None,
            Self::ExternalBinderKey => Some("ext binder"),
            Self::ResumptionBinderKey => Some("res binder"),
            Self::ClientEarlyTraffic => Some("c e traffic"),
            Self::EarlyExporter => Some("e exp master"),
            Self::DerivedForHandshake | Self::DerivedForMain => Some("derived"),
            Self::ClientHandshakeTraffic => Some("c hs traffic"),
            Self::ServerHandshakeTraffic => Some("s hs traffic"),
            Self::ClientApplicationTraffic(0) => Some("c ap traffic"),
            Self::ServerApplicationTraffic(0) => Some("s ap traffic"),
            // RFC 9846 §7.2: "application_traffic_secret_N+1 = HKDF-Expand-Label(
            // application_traffic_secret_N, "traffic upd", "", Hash.length)".
            Self::ClientApplicationTraffic(_) | Self::ServerApplicationTraffic(_) => {
                Some("traffic upd")
            }
            Self::Exporter => Some("exp master"),
            Self::Resumption => Some("res master"),
            Self::ResumptionPsk => Some("resumption"),
        }
    }

    /// The SSLKEYLOGFILE label (RFC 9850) under which a key log records this secret,
    /// for the seven TLS 1.3 secrets a key log carries; `None` for the others.
    pub fn keylog_label(self) -> Option<&'static str> {
        match self {
            Self::ClientEarlyTraffic => Some("CLIENT_EARLY_TRAFFIC_SECRET"),
            Self::EarlyExporter => Some("EARLY_EXPORTER_SECRET"),
            Self::ClientHandshakeTraffic => Some("CLIENT_HANDSHAKE_TRAFFIC_SECRET"),
            Self::ServerHandshakeTraffic => Some("SERVER_HANDSHAKE_TRAFFIC_SECRET"),
            // Only generation 0 is logged; a reader derives later generations itself.
            Self::ClientApplicationTraffic(0) => Some("CLIENT_TRAFFIC_SECRET_0"),
            Self::ServerApplicationTraffic(0) => Some("SERVER_TRAFFIC_SECRET_0"),
            Self::Exporter => Some("EXPORTER_SECRET"),
            Self::EarlySecret
            | Self::ExternalBinderKey
            | Self::ResumptionBinderKey
            | Self::DerivedForHandshake
            | Self::HandshakeSecret
            | Self::DerivedForMain
            | Self::MainSecret
            | Self::ClientApplicationTraffic(_)
            | Self::ServerApplicationTraffic(_)
            | Self::Resumption
            | Self::ResumptionPsk => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SecretLabel;

    #[test]
    fn test_labels_fit_hkdf_label_bounds() {
        // RFC 9846 §7.1: "any label longer than 12 characters requires an additional
        // iteration of the hash function ... The labels in this specification have all been
        // chosen to fit within this limit."
        let all = [
            SecretLabel::ExternalBinderKey,
            SecretLabel::ResumptionBinderKey,
            SecretLabel::ClientEarlyTraffic,
            SecretLabel::EarlyExporter,
            SecretLabel::DerivedForHandshake,
            SecretLabel::ClientHandshakeTraffic,
            SecretLabel::ServerHandshakeTraffic,
            SecretLabel::ClientApplicationTraffic(0),
            SecretLabel::ServerApplicationTraffic(7),
            SecretLabel::Exporter,
            SecretLabel::Resumption,
            SecretLabel::ResumptionPsk,
        ];
        for label in all {
            let text = label.hkdf_label().unwrap();
            assert!(text.len() <= 12, "{text}");
        }
    }

    #[test]
    fn test_application_generations() {
        assert_eq!(
            SecretLabel::ClientApplicationTraffic(0).hkdf_label(),
            Some("c ap traffic")
        );
        assert_eq!(
            SecretLabel::ClientApplicationTraffic(1).hkdf_label(),
            Some("traffic upd")
        );
        assert_eq!(
            SecretLabel::ServerApplicationTraffic(0).keylog_label(),
            Some("SERVER_TRAFFIC_SECRET_0")
        );
        assert_eq!(
            SecretLabel::ServerApplicationTraffic(1).keylog_label(),
            None
        );
        assert_eq!(SecretLabel::MainSecret.hkdf_label(), None);
    }
}
