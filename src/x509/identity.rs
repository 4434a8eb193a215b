//! [`PeerIdentity`]: who the peer's end-entity certificate says it is, its subject and its
//! subjectAltName entries (RFC 5280 §4.1.2.6, §4.2.1.6), read for the application.
//!
//! This only reads the certificate. Whether it is trusted, and whether it names the server
//! the client wanted, is the verifier's decision (`crate::verify`), made before the
//! handshake completes.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use x509_cert::Certificate as X509Certificate;
use x509_cert::der::Decode;
use x509_cert::ext::pkix::SubjectAltName;
use x509_cert::ext::pkix::name::GeneralName;

/// The subject and subjectAltName entries of a certificate.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PeerIdentity {
    /// The subject's distinguished name, in RFC 4514 form (`CN=client,O=Example`).
    pub subject: String,
    /// dNSName entries.
    pub dns_names: Vec<String>,
    /// iPAddress entries.
    pub ip_addresses: Vec<core::net::IpAddr>,
    /// rfc822Name (e-mail) entries.
    pub emails: Vec<String>,
    /// uniformResourceIdentifier entries (SPIFFE IDs, for instance).
    pub uris: Vec<String>,
}

impl PeerIdentity {
    /// Reads the identity of a DER certificate; `None` if it does not decode.
    pub fn from_certificate(der: &[u8]) -> Option<Self> {
        let certificate = X509Certificate::from_der(der).ok()?;
        let tbs = certificate.tbs_certificate();
        let mut identity = Self {
            subject: tbs.subject().to_string(),
            ..Self::default()
        };
        let Ok(Some((_critical, SubjectAltName(names)))) = tbs.get_extension::<SubjectAltName>()
        else {
            return Some(identity);
        };
        for name in names {
            match name {
                GeneralName::DnsName(n) => identity.dns_names.push(n.as_str().to_string()),
                GeneralName::Rfc822Name(n) => identity.emails.push(n.as_str().to_string()),
                GeneralName::UniformResourceIdentifier(n) => {
                    identity.uris.push(n.as_str().to_string())
                }
                GeneralName::IpAddress(octets) => {
                    let bytes = octets.as_bytes();
                    if let Ok(v4) = <[u8; 4]>::try_from(bytes) {
                        identity.ip_addresses.push(v4.into());
                    } else if let Ok(v6) = <[u8; 16]>::try_from(bytes) {
                        identity.ip_addresses.push(v6.into());
                    }
                }
                _ => {}
            }
        }
        Some(identity)
    }
}
