//! Revocation: certificate revocation lists (CRLs, RFC 5280 §5) that the caller supplies.
//!
//! lucid-tls never fetches anything, so revocation information comes in like the time does:
//! the caller downloads CRLs (from the distribution points the certificates name, or from its
//! own PKI) and hands them over as DER. For each certificate of a candidate path, rustls-webpki
//! then:
//!
//! 1. looks for a CRL that is *authoritative* for it: issued by the certificate's issuer
//!    (same name), and, if the CRL has an issuingDistributionPoint, one that matches a
//!    distribution point of the certificate;
//! 2. checks the CRL's signature with the issuer's key (through our crypto provider), and that
//!    the issuer's keyUsage, if present, allows cRLSign;
//! 3. with [`ExpiredCrl::Refuse`], refuses a CRL whose nextUpdate is before the verification
//!    time;
//! 4. looks the certificate's serial number up: listed → certificate_revoked.
//!
//! A certificate no CRL speaks for has an *unknown* status, which [`UnknownStatus`] decides.
//! [`RevocationScope`] says whether intermediates are checked as well as the end-entity
//! certificate (the trust anchor never is: it is trusted by definition).
//!
//! Not supported (a CRL using them is refused when added, or makes the status unknown):
//! delta CRLs, indirect CRLs, CRLs partitioned by reason, v1 CRLs, CRLs without nextUpdate.
//! OCSP (RFC 6960), including OCSP responses stapled in the Certificate message (RFC 9846
//! §4.5.1.1), is not checked.

use alloc::vec::Vec;

use webpki::{CertRevocationList, OwnedCertRevocationList};

use crate::error::Error;

/// What to do with a certificate whose revocation status no CRL gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnknownStatus {
    /// Refuse the certificate (certificate_unknown). Fail closed: the default.
    Refuse,
    /// Accept it as if it were not revoked.
    Accept,
}

/// Which certificates of the path are checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RevocationScope {
    /// The end-entity certificate and every intermediate: the default.
    WholeChain,
    /// Only the end-entity certificate.
    EndEntityOnly,
}

/// What to do with a CRL whose nextUpdate has passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpiredCrl {
    /// Refuse it: the certificates it speaks for fail (certificate_unknown). The default.
    Refuse,
    /// Use it anyway.
    Accept,
}

/// The caller's CRLs and the policy to apply with them.
#[derive(Debug)]
pub struct Revocation {
    crls: Vec<CertRevocationList<'static>>,
    /// Certificates no CRL speaks for.
    pub unknown_status: UnknownStatus,
    /// Which certificates are checked.
    pub scope: RevocationScope,
    /// CRLs past their nextUpdate.
    pub expired_crl: ExpiredCrl,
}

impl Revocation {
    /// The CRLs in `crls` (DER), with the default policy: the whole chain is checked, unknown
    /// status and expired CRLs are refused. A CRL that does not parse, or uses a feature
    /// listed as unsupported in the module doc, is the caller's problem: [`Error::Misuse`].
    pub fn from_der_crls<C: AsRef<[u8]>>(crls: impl IntoIterator<Item = C>) -> Result<Self, Error> {
        let mut parsed = Vec::new();
        for crl in crls {
            let crl = OwnedCertRevocationList::from_der(crl.as_ref())
                .map_err(|_| Error::Misuse("a CRL does not parse or is of an unsupported kind"))?;
            parsed.push(CertRevocationList::from(crl));
        }
        Ok(Self {
            crls: parsed,
            unknown_status: UnknownStatus::Refuse,
            scope: RevocationScope::WholeChain,
            expired_crl: ExpiredCrl::Refuse,
        })
    }

    /// How many CRLs there are.
    pub fn len(&self) -> usize {
        self.crls.len()
    }

    /// Whether there are none (then every status is unknown).
    pub fn is_empty(&self) -> bool {
        self.crls.is_empty()
    }

    /// The CRLs, borrowed the way rustls-webpki's options take them.
    pub(crate) fn crl_refs(&self) -> Vec<&CertRevocationList<'static>> {
        self.crls.iter().collect()
    }

    /// rustls-webpki's options for `crls` (from [`Self::crl_refs`]), or `None` when there
    /// are no CRLs at all (then, with [`UnknownStatus::Refuse`], the caller must fail every
    /// chain itself: see [`Self::refuses_everything`]).
    pub(crate) fn webpki_options<'a>(
        &self,
        crls: &'a [&'a CertRevocationList<'a>],
    ) -> Option<webpki::RevocationOptions<'a>> {
        let builder = webpki::RevocationOptionsBuilder::new(crls).ok()?;
        Some(
            builder
                .with_depth(match self.scope {
                    RevocationScope::WholeChain => webpki::RevocationCheckDepth::Chain,
                    RevocationScope::EndEntityOnly => webpki::RevocationCheckDepth::EndEntity,
                })
                .with_status_policy(match self.unknown_status {
                    UnknownStatus::Refuse => webpki::UnknownStatusPolicy::Deny,
                    UnknownStatus::Accept => webpki::UnknownStatusPolicy::Allow,
                })
                .with_expiration_policy(match self.expired_crl {
                    ExpiredCrl::Refuse => webpki::ExpirationPolicy::Enforce,
                    ExpiredCrl::Accept => webpki::ExpirationPolicy::Ignore,
                })
                .build(),
        )
    }

    /// With no CRL at all and unknown status refused, no certificate can pass.
    pub(crate) fn refuses_everything(&self) -> bool {
        self.crls.is_empty() && self.unknown_status == UnknownStatus::Refuse
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_parse_bad_crl_is_misuse() {
        let err = Revocation::from_der_crls([[0x30u8, 0x00]]).unwrap_err();
        assert!(matches!(err, Error::Misuse(_)));
    }

    #[test]
    fn test_empty_crl_list_policy() {
        let mut revocation = Revocation::from_der_crls(Vec::<Vec<u8>>::new()).unwrap();
        assert!(revocation.is_empty());
        assert!(revocation.refuses_everything());
        assert!(revocation.webpki_options(&[]).is_none());
        revocation.unknown_status = UnknownStatus::Accept;
        assert!(!revocation.refuses_everything());
    }
}
