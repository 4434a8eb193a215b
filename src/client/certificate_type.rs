//! The client's side of certificate type negotiation (RFC 7250): what its ClientHello
//! offers in server_certificate_type and client_certificate_type, and what it makes of the
//! server's answers in EncryptedExtensions (RFC 9846 §4.3, Table 1: "CH, EE").
//!
//! - server_certificate_type lists [`ClientConfig::server_certificate_types`], the types
//!   the client can process from the server, most preferred first.
//! - client_certificate_type lists the types the client can send: RawPublicKey if a
//!   [`ClientConfig::client_auth`] credential has a raw public key, X509 if one has a
//!   chain.
//!
//! RFC 7250 §4.1: a client with no type to list "other than the default X.509 type" omits
//! the extension, and then X.509 is used. The server answers with one type each: one we did
//! not list is refused with illegal_parameter; an answer left out means X509, which is
//! refused with unsupported_certificate if we did not list X509 (a server that ignored our
//! raw-public-key-only offer).

use alloc::vec::Vec;

use crate::error::{Error, illegal_parameter};
use crate::wire::alert::AlertDescription;
use crate::wire::codes::{CertificateType, ExtensionType};
use crate::wire::extensions::{CertificateTypeList, Extension, find};

use super::config::ClientConfig;

/// The certificate types the server's EncryptedExtensions settled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CertificateTypes {
    /// What the server's Certificate carries.
    pub server: CertificateType,
    /// What our Certificate carries, if the server asks for one.
    pub client: CertificateType,
}

impl Default for CertificateTypes {
    /// RFC 9846 §4.5.1.2: "The certificate type MUST be X.509v3 [RFC5280], unless
    /// explicitly negotiated otherwise (e.g., [RFC7250])."
    fn default() -> Self {
        Self {
            server: CertificateType::X509,
            client: CertificateType::X509,
        }
    }
}

/// The types the client can send, most preferred first: RawPublicKey, then X509.
fn client_types(config: &ClientConfig) -> Vec<CertificateType> {
    [CertificateType::RawPublicKey, CertificateType::X509]
        .into_iter()
        .filter(|typ| config.client_auth.iter().any(|auth| auth.serves(*typ)))
        .collect()
}

/// The ClientHello's certificate type extensions, each only when it lists more than the
/// default X509 (RFC 7250 §4.1).
pub fn offered_extensions(config: &ClientConfig) -> Vec<Extension> {
    let beyond_x509 = |types: &[CertificateType]| types.iter().any(|t| *t != CertificateType::X509);
    let mut out = Vec::new();
    let client = client_types(config);
    if beyond_x509(&client) {
        out.push(Extension::ClientCertificateTypes(CertificateTypeList {
            certificate_types: client,
        }));
    }
    if beyond_x509(&config.server_certificate_types) {
        out.push(Extension::ServerCertificateTypes(CertificateTypeList {
            certificate_types: config.server_certificate_types.clone(),
        }));
    }
    out
}

/// Reads the server's answers in EncryptedExtensions (`offered` is what our ClientHello
/// sent), and returns the types both Certificates are to carry. `certificate_follows`:
/// the handshake is authenticated with a certificate, not a PSK (a PSK handshake has no
/// Certificate, and the server need not answer).
pub fn read_answers(
    offered: &[Extension],
    encrypted_extensions: &[Extension],
    certificate_follows: bool,
) -> Result<CertificateTypes, Error> {
    let listed = |typ: ExtensionType| match find(offered, typ) {
        Some(Extension::ClientCertificateTypes(list) | Extension::ServerCertificateTypes(list)) => {
            Some(list.certificate_types.clone())
        }
        _ => None,
    };
    let server = match find(encrypted_extensions, ExtensionType::ServerCertificateType) {
        Some(Extension::ServerCertificateTypeSelected(selected)) => *selected,
        _ => CertificateType::X509,
    };
    let client = match find(encrypted_extensions, ExtensionType::ClientCertificateType) {
        Some(Extension::ClientCertificateTypeSelected(selected)) => *selected,
        _ => CertificateType::X509,
    };
    for (typ, selected) in [
        (ExtensionType::ServerCertificateType, server),
        (ExtensionType::ClientCertificateType, client),
    ] {
        let Some(listed) = listed(typ) else {
            // Not offered: an answer is an unsolicited extension, refused before this
            // (RFC 9846 §4.3, unsupported_extension); without one, X509.
            continue;
        };
        let answered = find(encrypted_extensions, typ).is_some();
        if !listed.contains(&selected) {
            if answered {
                // RFC 7250 §4.2: "The value conveyed in the client_certificate_type
                // extension MUST be selected from one of the values provided in the
                // client_certificate_type extension sent in the client hello". For
                // server_certificate_type RFC 7250 has no such sentence, but our list is
                // the types we are "able to process" (§4.1), and §4.2 leaves a server
                // only the types it has "in common with the client" (or an abort). A
                // value we never offered is one the server may not choose; RFC 7250 names
                // no alert for it: RFC 9846 §6.2 illegal_parameter, "inconsistent with
                // other fields".
                return Err(illegal_parameter(
                    "server selected a certificate type that was not offered",
                ));
            }
            if typ == ExtensionType::ServerCertificateType && certificate_follows {
                // No answer: the server will send X.509, which we did not offer to take.
                // RFC 9846 §6.2: unsupported_certificate: "A certificate was of an
                // unsupported type."
                return Err(Error::PeerMisbehaved {
                    alert: AlertDescription::UnsupportedCertificate,
                    reason: "server did not take the offered certificate types",
                });
            }
        }
    }
    Ok(CertificateTypes { server, client })
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn offer(types: &[CertificateType]) -> Vec<Extension> {
        vec![Extension::ServerCertificateTypes(CertificateTypeList {
            certificate_types: types.to_vec(),
        })]
    }

    #[test]
    fn test_server_certificate_type_answers() {
        use CertificateType::{RawPublicKey, X509};
        let selected = |t| vec![Extension::ServerCertificateTypeSelected(t)];
        let both = offer(&[RawPublicKey, X509]);
        assert_eq!(
            read_answers(&both, &selected(RawPublicKey), true)
                .unwrap()
                .server,
            RawPublicKey
        );
        assert_eq!(read_answers(&both, &[], true).unwrap().server, X509);
        // RawPublicKey only: X509, chosen or implied, is refused.
        let raw_only = offer(&[RawPublicKey]);
        let err = read_answers(&raw_only, &selected(X509), true).unwrap_err();
        assert_eq!(err.alert(), Some(AlertDescription::IllegalParameter));
        let err = read_answers(&raw_only, &[], true).unwrap_err();
        assert_eq!(err.alert(), Some(AlertDescription::UnsupportedCertificate));
        // Resuming with a PSK, no Certificate follows: no answer is needed.
        assert!(read_answers(&raw_only, &[], false).is_ok());
        // Nothing offered: X.509.
        assert_eq!(
            read_answers(&[], &[], true).unwrap(),
            CertificateTypes::default()
        );
    }
}
