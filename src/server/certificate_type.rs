//! The server's side of certificate type negotiation (RFC 7250 §4.2): which type its own
//! Certificate carries, which type it asks the client's to carry, and the answers that go
//! in EncryptedExtensions (RFC 9846 §4.3, Table 1: "CH, EE").
//!
//! - **server_certificate_type**: the first type in the client's list (its order of
//!   preference) that one of [`ServerConfig::certificates`] can be sent as: X509 for a
//!   chain, RawPublicKey for a raw public key. Without the extension the type is X509.
//! - **client_certificate_type**, only when a CertificateRequest is sent: the first type in
//!   the client's list that [`ServerConfig::client_certificate_types`] accepts. Without the
//!   extension the type is X509.
//!
//! RFC 7250 §4.2: a server that "does not have any certificate type in common with the
//! client" terminates the session with a fatal unsupported_certificate alert. This server
//! does so for both extensions, and also when a client that sent no extension (X509) meets
//! a server with no X.509 chain, or one that accepts no X.509 client certificate; except
//! that under [`ClientAuth::Optional`] a client without a common client certificate type
//! is not asked for a certificate at all (RFC 7250 §4.2: the server then omits
//! client_certificate_type).
//!
//! Not here: choosing among several certificates of the chosen type ([`super::select`]).

use alloc::vec::Vec;

use crate::error::{Error, incompatible};
use crate::wire::alert::AlertDescription;
use crate::wire::client_hello::ClientHello;
use crate::wire::codes::{CertificateType, ExtensionType};
use crate::wire::extensions::Extension;

use super::config::{ClientAuth, ServerConfig};

/// The certificate types of one handshake, and the EncryptedExtensions answers saying so.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CertificateTypes {
    /// What our Certificate carries.
    pub server: CertificateType,
    /// What the client's Certificate is to carry, if a CertificateRequest is sent.
    pub client: CertificateType,
    /// False when client authentication is optional and the client can send no type the
    /// server accepts: no CertificateRequest is sent, and the client goes on
    /// unauthenticated, as [`ClientAuth::Optional`] lets one that sends no certificate.
    pub request_client_certificate: bool,
    /// server_certificate_type and client_certificate_type for EncryptedExtensions, each
    /// only if the client sent the extension (RFC 9846 §4.3: no unsolicited responses).
    pub answers: Vec<Extension>,
}

/// RFC 9846 §6.2: unsupported_certificate: "A certificate was of an unsupported type."
fn no_common_type(reason: &'static str) -> Error {
    incompatible(AlertDescription::UnsupportedCertificate, reason)
}

/// The client's list in one of the two extensions, if it sent it.
fn listed(hello: &ClientHello, typ: ExtensionType) -> Option<&[CertificateType]> {
    match hello.extension(typ) {
        Some(Extension::ServerCertificateTypes(list) | Extension::ClientCertificateTypes(list)) => {
            Some(&list.certificate_types)
        }
        _ => None,
    }
}

/// Chooses both types for a handshake authenticated with a certificate;
/// `certificate_requested`: a CertificateRequest will be sent.
pub(crate) fn negotiate(
    config: &ServerConfig,
    hello: &ClientHello,
    certificate_requested: bool,
) -> Result<CertificateTypes, Error> {
    let optional = matches!(config.client_auth, ClientAuth::Optional(_));
    let mut answers = Vec::new();
    let servable = |typ: &CertificateType| config.certificates.iter().any(|c| c.serves(*typ));
    let server = match listed(hello, ExtensionType::ServerCertificateType) {
        Some(offered) => {
            let chosen = offered
                .iter()
                .copied()
                .find(servable)
                .ok_or(no_common_type(
                    "no certificate of a type in the client's server_certificate_type",
                ))?;
            // RFC 7250 §4.2: "With the server_certificate_type extension in the server
            // hello, the TLS server indicates the certificate type carried in the
            // Certificate payload."
            answers.push(Extension::ServerCertificateTypeSelected(chosen));
            chosen
        }
        // A server with no certificate at all fails later, in certificate selection.
        None if config.certificates.is_empty() || servable(&CertificateType::X509) => {
            CertificateType::X509
        }
        None => {
            return Err(no_common_type(
                "client takes only X.509 and the server has only raw public keys",
            ));
        }
    };
    let accepted = |typ: &CertificateType| config.client_certificate_types.contains(typ);
    let listed_client = listed(hello, ExtensionType::ClientCertificateType);
    let common = match listed_client {
        Some(offered) => offered.iter().copied().find(accepted),
        None => Some(CertificateType::X509).filter(accepted),
    };
    let (client, request_client_certificate) = match (certificate_requested, common) {
        (false, _) => (CertificateType::X509, false),
        (true, Some(chosen)) => {
            if listed_client.is_some() {
                // RFC 7250 §4.2: the value "MUST be selected from one of the values provided
                // in the client_certificate_type extension sent in the client hello".
                answers.push(Extension::ClientCertificateTypeSelected(chosen));
            }
            (chosen, true)
        }
        (true, None) if optional => (CertificateType::X509, false),
        (true, None) => {
            return Err(no_common_type(
                "the client can send no certificate type the server accepts",
            ));
        }
    };
    Ok(CertificateTypes {
        server,
        client,
        request_client_certificate,
        answers,
    })
}
