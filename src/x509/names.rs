//! Whether a server certificate names the server the client meant to reach.
//!
//! The reference identity is what the client's caller asked for: a DNS host name, or an IP
//! address literal (which never goes into server_name: RFC 6066 §3, "Literal IPv4 and IPv6
//! addresses are not permitted in "HostName""). It is matched against the end-entity
//! certificate's subjectAltName only, by rustls-webpki:
//!
//! - a **DNS name** against each dNSName entry, ASCII case-insensitively. A wildcard follows
//!   RFC 9525 §6.3: it is only recognised as the whole left-most label (`*.example.com`,
//!   never `f*o.example.com` or `foo.*.example.com`), there is at most one, and it stands for
//!   exactly one label (`*.example.com` matches `www.example.com`, not `example.com` nor
//!   `a.b.example.com`). An entry breaking these rules is ignored, as RFC 9525 requires of an
//!   invalid presented identifier. webpki is stricter on one point: a wildcard needs at least
//!   two labels after it (`*.com` is never honoured).
//! - an **IP address** (v4 or v6) against each iPAddress entry, byte for byte.
//!
//! There is no fallback to the subject's Common Name: RFC 9525 dropped the CN-ID that RFC 6125
//! still tolerated, and browsers stopped reading the CN years before. A certificate without a
//! matching subjectAltName entry fails.
//!
//! Not checked: URI and SRV identities, internationalised names in U-label form (pass the
//! A-label, `xn--...`), and the subject name of client certificates (a server decides who the
//! client is, from the validated chain, in its own application logic).

use rustls_pki_types::ServerName;

use crate::error::Error;
use crate::wire::alert::AlertDescription;

/// The identity a client expects its server to prove: a DNS name or an IP address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReferenceIdentity(ServerName<'static>);

impl ReferenceIdentity {
    /// Parses `name`: an IPv4 or IPv6 literal (`192.0.2.1`, `2001:db8::1`) or a DNS name.
    /// Anything else is the caller's mistake ([`Error::Misuse`]).
    pub fn parse(name: &str) -> Result<Self, Error> {
        ServerName::try_from(name)
            .map(|n| Self(n.to_owned()))
            .map_err(|_| Error::Misuse("server name is neither a DNS name nor an IP address"))
    }

    /// Whether this is an IP address (matched against iPAddress entries).
    pub fn is_ip_address(&self) -> bool {
        matches!(self.0, ServerName::IpAddress(_))
    }

    /// The name as rustls-webpki takes it.
    pub fn as_webpki(&self) -> &ServerName<'static> {
        &self.0
    }
}

/// Checks that the end-entity certificate `end_entity` (DER) names `identity` in its
/// subjectAltName.
pub fn check_name(end_entity: &[u8], identity: &ReferenceIdentity) -> Result<(), Error> {
    let der = rustls_pki_types::CertificateDer::from(end_entity);
    let cert = webpki::EndEntityCert::try_from(&der).map_err(|e| super::alerts::to_error(&e))?;
    cert.verify_is_valid_for_subject_name(identity.as_webpki())
        .map_err(|e| match e {
            // Name the kind of identity that failed, for the logs; the alert is the same.
            webpki::Error::CertNotValidForName(_) if identity.is_ip_address() => {
                Error::CertificateRejected {
                    alert: AlertDescription::CertificateUnknown,
                    reason: "certificate has no iPAddress subjectAltName equal to the server's address",
                }
            }
            e => super::alerts::to_error(&e),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_parse_reference_identities() {
        assert!(
            !ReferenceIdentity::parse("example.com")
                .unwrap()
                .is_ip_address()
        );
        assert!(
            ReferenceIdentity::parse("192.0.2.1")
                .unwrap()
                .is_ip_address()
        );
        assert!(
            ReferenceIdentity::parse("2001:db8::1")
                .unwrap()
                .is_ip_address()
        );
        assert!(matches!(
            ReferenceIdentity::parse("not a name"),
            Err(Error::Misuse(_))
        ));
        assert!(matches!(
            ReferenceIdentity::parse(""),
            Err(Error::Misuse(_))
        ));
    }
}
