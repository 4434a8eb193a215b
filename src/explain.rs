//! Plain-language descriptions of what a trace shows, for learners: the decoded fields of
//! each handshake message and extension, where each message and secret is defined in
//! RFC 9846, how each secret is derived, and what a certificate says.
//!
//! `cargo run --example walkthrough`, `cargo run --example illustrate` and the docs
//! chapters print these; they are plain strings, so any other tool can too. Nothing here
//! changes what a connection does.
//!
//! Not here: checking values against RFC 8448 (that is `lucid_tls::rfc8448::expected`,
//! feature `rfc8448`), or X.509 validation (a certificate summary decodes, it does not
//! judge).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use x509_cert::Certificate as X509Certificate;
use x509_cert::der::Decode;

use crate::crypto::AeadAlgorithm;
use crate::key_schedule::SecretLabel;
use crate::wire::algorithms::{CipherSuite, NamedGroup, SignatureScheme};
use crate::wire::codes::{ExtensionType, ProtocolVersion};
use crate::wire::extensions::{Extension, ServerName};
use crate::wire::handshake::HandshakeMessage;

/// `bytes` as lower-case hex, no separators.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// Hex, shortened to the first and last `keep` bytes when longer than `2 * keep` bytes.
pub fn hex_abbrev(bytes: &[u8], keep: usize) -> String {
    match (bytes.get(..keep), bytes.len().checked_sub(keep)) {
        (Some(head), Some(tail_start)) if bytes.len() > 2 * keep => {
            let tail = bytes.get(tail_start..).unwrap_or_default();
            format!("{}…{} ({} bytes)", hex(head), hex(tail), bytes.len())
        }
        _ => hex(bytes),
    }
}

/// The message's name as RFC 9846 writes it (a HelloRetryRequest is a ServerHello on the
/// wire, but has its own name and section).
pub fn message_name(message: &HandshakeMessage) -> &'static str {
    match message {
        HandshakeMessage::ClientHello(_) => "ClientHello",
        HandshakeMessage::ServerHello(_) => "ServerHello",
        HandshakeMessage::HelloRetryRequest(_) => "HelloRetryRequest",
        HandshakeMessage::EncryptedExtensions(_) => "EncryptedExtensions",
        HandshakeMessage::CertificateRequest(_) => "CertificateRequest",
        HandshakeMessage::Certificate(_) => "Certificate",
        HandshakeMessage::CertificateVerify(_) => "CertificateVerify",
        HandshakeMessage::Finished(_) => "Finished",
        HandshakeMessage::EndOfEarlyData(_) => "EndOfEarlyData",
        HandshakeMessage::NewSessionTicket(_) => "NewSessionTicket",
        HandshakeMessage::KeyUpdate(_) => "KeyUpdate",
    }
}

/// The RFC 9846 section defining the message.
pub fn message_section(message: &HandshakeMessage) -> &'static str {
    match message {
        HandshakeMessage::ClientHello(_) => "RFC 9846 §4.2.2",
        HandshakeMessage::ServerHello(_) => "RFC 9846 §4.2.3",
        HandshakeMessage::HelloRetryRequest(_) => "RFC 9846 §4.2.4",
        HandshakeMessage::EncryptedExtensions(_) => "RFC 9846 §4.4.1",
        HandshakeMessage::CertificateRequest(_) => "RFC 9846 §4.4.2",
        HandshakeMessage::Certificate(_) => "RFC 9846 §4.5.1",
        HandshakeMessage::CertificateVerify(_) => "RFC 9846 §4.5.2",
        HandshakeMessage::Finished(_) => "RFC 9846 §4.5.3",
        HandshakeMessage::EndOfEarlyData(_) => "RFC 9846 §4.6",
        HandshakeMessage::NewSessionTicket(_) => "RFC 9846 §4.7.1",
        HandshakeMessage::KeyUpdate(_) => "RFC 9846 §4.7.3",
    }
}

/// One line of what a message says: `(field, value)`.
pub type Field = (String, String);

fn field(name: &str, value: String) -> Field {
    (name.to_string(), value)
}

/// The message's fields, decoded, in wire order; extensions one per line, named.
pub fn message_fields(message: &HandshakeMessage) -> Vec<Field> {
    let mut fields = Vec::new();
    let extensions = match message {
        HandshakeMessage::ClientHello(hello) => {
            fields.push(field("legacy_version", version(hello.legacy_version)));
            fields.push(field("random", hex(&hello.random)));
            fields.push(field("legacy_session_id", opaque(&hello.legacy_session_id)));
            let suites: Vec<String> = hello.cipher_suites.iter().map(|s| suite(*s)).collect();
            fields.push(field("cipher_suites", suites.join(", ")));
            &hello.extensions
        }
        HandshakeMessage::ServerHello(hello) => {
            fields.push(field("legacy_version", version(hello.legacy_version)));
            fields.push(field("random", hex(&hello.random)));
            let echo = opaque(&hello.legacy_session_id_echo);
            fields.push(field("legacy_session_id_echo", echo));
            fields.push(field("cipher_suite", suite(hello.cipher_suite)));
            &hello.extensions
        }
        HandshakeMessage::HelloRetryRequest(retry) => {
            fields.push(field(
                "random",
                "the HelloRetryRequest value: SHA-256(\"HelloRetryRequest\")".to_string(),
            ));
            let echo = opaque(&retry.legacy_session_id_echo);
            fields.push(field("legacy_session_id_echo", echo));
            fields.push(field("cipher_suite", suite(retry.cipher_suite)));
            &retry.extensions
        }
        HandshakeMessage::EncryptedExtensions(ee) => &ee.extensions,
        HandshakeMessage::CertificateRequest(request) => {
            let context = opaque(&request.certificate_request_context);
            fields.push(field("certificate_request_context", context));
            &request.extensions
        }
        HandshakeMessage::Certificate(certificate) => {
            let context = opaque(&certificate.certificate_request_context);
            fields.push(field("certificate_request_context", context));
            for (i, entry) in certificate.certificate_list.iter().enumerate() {
                let name = format!("certificate[{i}]");
                let subject = certificate_summary(&entry.cert_data)
                    .into_iter()
                    .find(|(k, _)| k == "subject")
                    .map_or_else(String::new, |(_, v)| format!(", subject {v}"));
                let value = format!("{} bytes of DER{subject}", entry.cert_data.len());
                fields.push(field(&name, value));
            }
            return fields;
        }
        HandshakeMessage::CertificateVerify(verify) => {
            fields.push(field("algorithm", verify.algorithm.rfc_name().to_string()));
            fields.push(field("signature", hex_abbrev(&verify.signature, 16)));
            return fields;
        }
        HandshakeMessage::Finished(finished) => {
            fields.push(field("verify_data", hex(&finished.verify_data)));
            return fields;
        }
        HandshakeMessage::EndOfEarlyData(_) => {
            fields.push(field(
                "(empty)",
                "the client's last 0-RTT message".to_string(),
            ));
            return fields;
        }
        HandshakeMessage::NewSessionTicket(ticket) => {
            let lifetime = format!("{} s", ticket.ticket_lifetime);
            fields.push(field("ticket_lifetime", lifetime));
            let age_add = format!("0x{:08x}", ticket.ticket_age_add);
            fields.push(field("ticket_age_add", age_add));
            fields.push(field("ticket_nonce", opaque(&ticket.ticket_nonce)));
            fields.push(field("ticket", hex_abbrev(&ticket.ticket, 16)));
            &ticket.extensions
        }
        HandshakeMessage::KeyUpdate(update) => {
            let request = update.request_update.rfc_name().to_string();
            fields.push(field("request_update", request));
            return fields;
        }
    };
    fields.extend(extensions.iter().map(extension_field));
    fields
}

fn version(v: ProtocolVersion) -> String {
    format!("0x{:04x} ({})", v.to_u16(), v.rfc_name())
}

/// An opaque vector: its length, then its bytes.
fn opaque(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        "(empty)".to_string()
    } else {
        format!("{} bytes {}", bytes.len(), hex_abbrev(bytes, 16))
    }
}

/// An extension's RFC name and decoded body.
pub fn extension_field(extension: &Extension) -> Field {
    let name = extension_name(extension.extension_type());
    let names = |list: Vec<&str>| list.join(", ");
    let listed = |list: Vec<String>| list.join(", ");
    let value = match extension {
        Extension::ServerNameList(list) => names(
            list.server_name_list
                .iter()
                .map(|n| match n {
                    ServerName::HostName(host) => core::str::from_utf8(host).unwrap_or("?"),
                    ServerName::Unknown { .. } => "(unknown name type)",
                })
                .collect(),
        ),
        Extension::ServerNameAck => "(empty: the server used the name)".to_string(),
        Extension::MaxFragmentLength(length) => format!("{length:?}"),
        Extension::SupportedGroups(groups) => {
            listed(groups.named_group_list.iter().map(|g| group(*g)).collect())
        }
        Extension::SignatureAlgorithms(list) | Extension::SignatureAlgorithmsCert(list) => {
            let schemes = list.supported_signature_algorithms.iter();
            listed(schemes.map(|s| scheme(*s)).collect())
        }
        Extension::ApplicationLayerProtocolNegotiation(list) => names(
            list.protocol_name_list
                .iter()
                .map(|p| core::str::from_utf8(&p.0).unwrap_or("?"))
                .collect(),
        ),
        Extension::ApplicationLayerProtocolSelected(protocol) => {
            core::str::from_utf8(&protocol.0).unwrap_or("?").to_string()
        }
        Extension::Padding(zeros) => format!("{zeros} zero bytes"),
        Extension::RecordSizeLimit(limit) => format!("{limit} (0x{limit:04x})"),
        Extension::PreSharedKeyClientHello(offered) => {
            let identities: Vec<String> = offered
                .identities
                .iter()
                .map(|id| {
                    let age = id.obfuscated_ticket_age;
                    let identity = hex_abbrev(&id.identity, 8);
                    format!("identity {identity}, obfuscated_ticket_age 0x{age:08x}")
                })
                .collect();
            let binders: Vec<String> = offered.binders.iter().map(|b| hex(&b.0)).collect();
            format!("{}; binder {}", identities.join("; "), binders.join(", "))
        }
        Extension::PreSharedKeyServerHello(index) => format!("selected_identity {index}"),
        Extension::EarlyData => "(empty)".to_string(),
        Extension::EarlyDataMaxSize(size) => format!("max_early_data_size {size}"),
        Extension::SupportedVersionsClientHello(versions) => {
            names(versions.iter().map(|v| v.rfc_name()).collect())
        }
        Extension::SupportedVersionsServerHello(v) => v.rfc_name().to_string(),
        Extension::Cookie(cookie) => opaque(&cookie.cookie),
        Extension::PskKeyExchangeModes(modes) => {
            names(modes.ke_modes.iter().map(|m| m.rfc_name()).collect())
        }
        Extension::KeyShareClientHello(shares) => {
            let shares = shares.client_shares.iter().map(|share| {
                let key = hex_abbrev(&share.key_exchange, 40);
                format!("{} {key}", share.group.rfc_name())
            });
            shares.collect::<Vec<_>>().join("; ")
        }
        Extension::KeyShareServerHello(share) => {
            let share = &share.server_share;
            let key = hex_abbrev(&share.key_exchange, 40);
            format!("{} {key}", share.group.rfc_name())
        }
        Extension::KeyShareHelloRetryRequest(retry) => {
            format!("send a share for {}", retry.selected_group.rfc_name())
        }
        Extension::ClientCertificateTypes(list) | Extension::ServerCertificateTypes(list) => names(
            list.certificate_types
                .iter()
                .map(|t| t.rfc_name())
                .collect(),
        ),
        Extension::ClientCertificateTypeSelected(selected)
        | Extension::ServerCertificateTypeSelected(selected) => selected.rfc_name().to_string(),
        Extension::Unknown { data, .. } => opaque(data),
        other => format!("{other:?}"),
    };
    (name, value)
}

/// A cipher suite's name, or its code point if this library does not know it.
pub fn suite(suite: CipherSuite) -> String {
    match suite {
        CipherSuite::Unknown(v) => format!("0x{v:04x}"),
        known => known.rfc_name().to_string(),
    }
}

/// A group's name, or its code point if this library does not know it.
pub fn group(group: NamedGroup) -> String {
    match group {
        NamedGroup::Unknown(v) => format!("0x{v:04x}"),
        known => known.rfc_name().to_string(),
    }
}

/// A signature scheme's name. Code points this library does not know are named the
/// TLS 1.2 way (RFC 5246 §7.4.1.4.1: a hash byte, then a signature byte), as RFC 8448's
/// client still advertises a few of them.
pub fn scheme(scheme: SignatureScheme) -> String {
    let SignatureScheme::Unknown(v) = scheme else {
        return scheme.rfc_name().to_string();
    };
    let [hash, signature] = v.to_be_bytes();
    let hash = match hash {
        1 => "md5",
        2 => "sha1",
        3 => "sha224",
        4 => "sha256",
        5 => "sha384",
        6 => "sha512",
        _ => return format!("0x{v:04x}"),
    };
    let signature = match signature {
        1 => "rsa",
        2 => "dsa",
        3 => "ecdsa",
        _ => return format!("0x{v:04x}"),
    };
    // No-break spaces keep the note with the name when a list is wrapped.
    format!("{signature}_{hash}\u{a0}(TLS\u{a0}1.2)")
}

/// An extension type's name, with the few pre-TLS 1.3 ones RFC 8448's client sends.
pub fn extension_name(typ: ExtensionType) -> String {
    match typ {
        ExtensionType::Unknown(35) => "session_ticket (RFC 5077)".to_string(),
        ExtensionType::Unknown(v) => format!("unknown ({v})"),
        known => known.rfc_name().to_string(),
    }
}

/// How RFC 9846 derives `label`, and where: `(formula, section)`.
pub fn secret_derivation(label: SecretLabel) -> (&'static str, &'static str) {
    use SecretLabel as L;
    match label {
        L::EarlySecret => ("HKDF-Extract(salt: 0, IKM: PSK, or 0 without one)", "§7.1"),
        L::ExternalBinderKey => ("Derive-Secret(Early Secret, \"ext binder\", \"\")", "§7.1"),
        L::ResumptionBinderKey => ("Derive-Secret(Early Secret, \"res binder\", \"\")", "§7.1"),
        L::ClientEarlyTraffic => (
            "Derive-Secret(Early Secret, \"c e traffic\", ClientHello)",
            "§7.1",
        ),
        L::EarlyExporter => (
            "Derive-Secret(Early Secret, \"e exp master\", ClientHello)",
            "§7.1",
        ),
        L::DerivedForHandshake => ("Derive-Secret(Early Secret, \"derived\", \"\")", "§7.1"),
        L::HandshakeSecret => (
            "HKDF-Extract(salt: derived, IKM: asymmetric shared secret, or 0 under psk_ke)",
            "§7.1",
        ),
        L::ClientHandshakeTraffic => (
            "Derive-Secret(Handshake Secret, \"c hs traffic\", ClientHello...ServerHello)",
            "§7.1",
        ),
        L::ServerHandshakeTraffic => (
            "Derive-Secret(Handshake Secret, \"s hs traffic\", ClientHello...ServerHello)",
            "§7.1",
        ),
        L::DerivedForMain => ("Derive-Secret(Handshake Secret, \"derived\", \"\")", "§7.1"),
        L::MainSecret => ("HKDF-Extract(salt: derived, IKM: 0)", "§7.1"),
        L::ClientApplicationTraffic(0) => (
            "Derive-Secret(Main Secret, \"c ap traffic\", ClientHello...server Finished)",
            "§7.1",
        ),
        L::ServerApplicationTraffic(0) => (
            "Derive-Secret(Main Secret, \"s ap traffic\", ClientHello...server Finished)",
            "§7.1",
        ),
        L::ClientApplicationTraffic(_) | L::ServerApplicationTraffic(_) => (
            "HKDF-Expand-Label(application_traffic_secret_N-1, \"traffic upd\", \"\", Hash.length)",
            "§7.2",
        ),
        L::Exporter => (
            "Derive-Secret(Main Secret, \"exp master\", ClientHello...server Finished)",
            "§7.1",
        ),
        L::Resumption => (
            "Derive-Secret(Main Secret, \"res master\", ClientHello...client Finished)",
            "§7.1",
        ),
        L::ResumptionPsk => (
            "HKDF-Expand-Label(resumption_secret, \"resumption\", ticket_nonce, Hash.length)",
            "§4.7.1",
        ),
    }
}

/// The name of a secret, with the generation of an application traffic secret.
pub fn secret_name(label: SecretLabel) -> String {
    match label {
        SecretLabel::ClientApplicationTraffic(n) => {
            format!("client_application_traffic_secret_{n}")
        }
        SecretLabel::ServerApplicationTraffic(n) => {
            format!("server_application_traffic_secret_{n}")
        }
        other => other.rfc_name().to_string(),
    }
}

/// The AEAD's name as in the cipher suite names.
pub fn aead_name(aead: AeadAlgorithm) -> &'static str {
    match aead {
        AeadAlgorithm::Aes128Gcm => "AES-128-GCM",
        AeadAlgorithm::Aes256Gcm => "AES-256-GCM",
        AeadAlgorithm::ChaCha20Poly1305 => "ChaCha20-Poly1305",
    }
}

/// What an X.509 certificate (DER) says: subject, issuer, validity, public key, signature
/// algorithm, serial number. A certificate that does not decode gives one line saying so.
pub fn certificate_summary(der: &[u8]) -> Vec<Field> {
    let Ok(certificate) = X509Certificate::from_der(der) else {
        return alloc::vec![field("(undecodable)", format!("{} bytes", der.len()))];
    };
    let tbs = certificate.tbs_certificate();
    let spki = tbs.subject_public_key_info();
    let key_len = spki.subject_public_key.raw_bytes().len();
    let curve = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.decode_as::<x509_cert::der::oid::ObjectIdentifier>().ok())
        .map_or_else(String::new, |oid| {
            format!(" on {}", oid_name(&oid.to_string()))
        });
    let algorithm = oid_name(&spki.algorithm.oid.to_string());
    let signature = oid_name(&certificate.signature_algorithm().oid.to_string());
    alloc::vec![
        field("subject", tbs.subject().to_string()),
        field("issuer", tbs.issuer().to_string()),
        field("serial", tbs.serial_number().to_string()),
        field("not before", tbs.validity().not_before.to_string()),
        field("not after", tbs.validity().not_after.to_string()),
        field(
            "public key",
            format!("{algorithm}{curve}, {key_len}-byte subjectPublicKey")
        ),
        field("signed with", signature),
    ]
}

/// A readable name for the OIDs RFC 8448's certificates use; others stay dotted.
fn oid_name(oid: &str) -> String {
    match oid {
        "1.2.840.113549.1.1.1" => "rsaEncryption",
        "1.2.840.113549.1.1.10" => "RSASSA-PSS",
        "1.2.840.113549.1.1.11" => "sha256WithRSAEncryption",
        "1.2.840.113549.1.1.12" => "sha384WithRSAEncryption",
        "1.2.840.10045.2.1" => "id-ecPublicKey",
        "1.2.840.10045.3.1.7" => "P-256",
        "1.3.132.0.34" => "P-384",
        "1.2.840.10045.4.3.2" => "ecdsa-with-SHA256",
        "1.2.840.10045.4.3.3" => "ecdsa-with-SHA384",
        "1.3.101.112" => "Ed25519",
        other => return other.to_string(),
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_emit_hex_and_abbreviation() {
        assert_eq!(hex(&[0x00, 0xab, 0xff]), "00abff");
        assert_eq!(hex_abbrev(&[1, 2, 3, 4], 2), "01020304");
        assert_eq!(hex_abbrev(&[1, 2, 3, 4, 5], 2), "0102…0405 (5 bytes)");
        assert_eq!(
            scheme(SignatureScheme::from_u16(0x0402)),
            "dsa_sha256\u{a0}(TLS\u{a0}1.2)"
        );
        assert_eq!(
            scheme(SignatureScheme::from_u16(0x0804)),
            "rsa_pss_rsae_sha256"
        );
        assert_eq!(group(NamedGroup::from_u16(0x1234)), "0x1234");
    }

    #[test]
    fn test_emit_certificate_type_extensions() {
        use crate::wire::codes::CertificateType;
        use crate::wire::extensions::CertificateTypeList;
        let offered = Extension::ServerCertificateTypes(CertificateTypeList {
            certificate_types: alloc::vec![CertificateType::RawPublicKey, CertificateType::X509],
        });
        let (name, value) = extension_field(&offered);
        assert_eq!(name, "server_certificate_type");
        assert_eq!(value, "RawPublicKey, X509");
        let selected = Extension::ClientCertificateTypeSelected(CertificateType::RawPublicKey);
        assert_eq!(extension_field(&selected).1, "RawPublicKey");
    }

    #[test]
    fn test_secret_derivations_name_their_labels() {
        // Every Derive-Secret formula quotes the label hkdf_label gives.
        for label in [
            SecretLabel::ClientHandshakeTraffic,
            SecretLabel::Exporter,
            SecretLabel::ResumptionBinderKey,
            SecretLabel::ServerApplicationTraffic(3),
        ] {
            let (formula, _) = secret_derivation(label);
            let hkdf = label.hkdf_label().unwrap();
            assert!(formula.contains(&format!("\"{hkdf}\"")), "{formula}");
        }
        assert_eq!(
            secret_name(SecretLabel::ClientApplicationTraffic(2)),
            "client_application_traffic_secret_2"
        );
    }

    #[test]
    fn test_parse_garbage_certificate_summary() {
        let summary = certificate_summary(&[0x30, 0x03, 0x01]);
        assert_eq!(summary[0].0, "(undecodable)");
    }
}
