//! X.509 certificates: is the peer's certificate chain acceptable?
//!
//! RFC 9846 §4.5.1.3 leaves "detailed certificate validation procedures" to RFC 5280; this
//! module does them, once, for both roles and for `std` and `no_std` alike. Chain building,
//! validity, constraints, names and CRLs are rustls-webpki's; signatures are computed by our
//! own [`crate::crypto::CryptoProvider`]; keyUsage and the alert for each failure are ours.
//!
//! | module          | concept |
//! |-----------------|---------|
//! | `anchors`     | the caller's trust anchors (DER roots) |
//! | [`signatures`]  | certificate signature algorithms, computed by our provider |
//! | `validator`   | path validation: `CertificateValidator` (the one validation path) |
//! | `key_usage`   | keyUsage, which webpki leaves unchecked |
//! | `names`       | server name against subjectAltName |
//! | `revocation`  | caller-supplied CRLs and the unknown-status policy |
//! | `alerts`      | every webpki error → its RFC 9846 §6.2 alert |
//! | [`chain_schemes`] | which schemes a chain is signed with (signature_algorithms_cert) |
//! | `server_verifier` | `WebPkiServerVerifier`: the client's check of a server chain and name |
//! | `client_verifier` | `WebPkiClientVerifier`: the server's check of a client chain |
//! | [`identity`]    | [`PeerIdentity`]: a certificate's subject and subjectAltName, for the application |
//!
//! Path validation (anchors, validator, key_usage, names, revocation, alerts and the two
//! verifiers) is behind the `x509` feature (default), which brings in rustls-webpki;
//! without it, only `chain_schemes`, `signatures` and `identity` remain (read with the
//! `x509-cert` crate), for builds that authenticate with raw public keys (RFC 7250) or
//! pinned certificates.
//!
//! # What is checked
//!
//! For the end-entity certificate and every certificate on the path to a trust anchor:
//!
//! 1. **Encoding**: each certificate is DER, X.509 **version 3**, with well-formed extensions;
//!    an unknown **critical** extension is refused (RFC 5280 §4.2).
//! 2. **Signature** of every link, by the issuer's key: ECDSA P-256/SHA-256 and
//!    P-384/SHA-384; RSA PKCS#1 v1.5 with SHA-256/384/512; RSA-PSS with SHA-256/384/512;
//!    Ed25519. The tbsCertificate's `signature` must equal the outer `signatureAlgorithm`.
//!    Only the schemes configured are accepted (all of these by default; a client can narrow
//!    them to its signature_algorithms_cert). RSA issuer keys must have at least 2048 bits
//!    by default.
//! 3. **Validity**: notBefore ≤ now ≤ notAfter, with the time the caller passes in
//!    (seconds), for every certificate on the path.
//! 4. **basicConstraints**: every issuer has cA=TRUE; the end-entity certificate has not;
//!    each issuer's pathLenConstraint bounds the intermediates below it.
//! 5. **keyUsage**, when present: digitalSignature on the end-entity certificate (RFC 9846
//!    §4.5.1.2), keyCertSign on each intermediate (RFC 5280 §6.1.4 (n)), cRLSign on a CRL's
//!    issuer.
//! 6. **extendedKeyUsage**, when present: it must include serverAuth (server certificates) or
//!    clientAuth (client certificates). This applies to the CAs on the path too, as in
//!    browsers ("EKU chaining"); anyExtendedKeyUsage is not honoured. A certificate without
//!    the extension is good for any purpose (RFC 5280 §4.2.1.12).
//! 7. **Name constraints** of every issuer and of the anchor, on dNSName, iPAddress and
//!    (refused whenever constrained) directoryName and URI names.
//! 8. **Path building**: the peer's certificates may come with extras and in any order; the
//!    path is built up to 6 intermediates, with backtracking (see `validator`).
//! 9. **Trust**: the path ends at one of the caller's anchors, by subject name and signature.
//! 10. **Server name** (client side): a DNS name against subjectAltName dNSName entries with
//!     RFC 9525 wildcards, an IP address against iPAddress entries; never the CN (see
//!     `names`).
//! 11. **Revocation**, if CRLs are configured: every certificate on the path (or only the
//!     end entity), with a policy for unknown status and expired CRLs (see `revocation`).
//!
//! # What is not checked
//!
//! - The trust anchor itself: its validity period, constraints, keyUsage and signature
//!   (trusting it is the caller's decision).
//! - OCSP, stapled OCSP responses and Signed Certificate Timestamps (RFC 9846 §4.5.1.1), and
//!   any revocation at all without CRLs.
//! - Certificate policies, policy constraints and inhibitAnyPolicy (RFC 5280 §6.1 policy
//!   processing), authority/subject key identifiers (issuers are matched by name).
//! - The subject or SAN of client certificates: who the client is, is the application's call.
//! - Signature algorithms other than those listed (SHA-1 and MD5 are refused with
//!   bad_certificate, RFC 9846 §4.5.1.3), id-RSASSA-PSS keys on CAs and trust anchors
//!   (unsupported_certificate; an id-RSASSA-PSS *end-entity* key is fine, see
//!   [`signatures`]), mixed ECDSA curve/hash pairs.
//! - Raw public keys (RFC 7250): [`crate::verify::PinnedPublicKeys`] pins them.
//! - The CertificateVerify signature: that is [`crate::connection`]'s job, with the
//!   end-entity key this module has vouched for.

#[cfg(feature = "x509")]
pub mod alerts;
#[cfg(feature = "x509")]
pub mod anchors;
pub(crate) mod certificate_fields;
pub mod chain_schemes;
#[cfg(feature = "x509")]
pub mod client_verifier;
pub mod identity;
#[cfg(feature = "x509")]
pub mod key_usage;
#[cfg(feature = "x509")]
pub mod names;
#[cfg(feature = "x509")]
pub mod revocation;
#[cfg(feature = "x509")]
pub mod server_verifier;
pub mod signatures;
#[cfg(feature = "x509")]
pub mod validator;

#[cfg(feature = "x509")]
pub use anchors::TrustAnchors;
#[cfg(feature = "x509")]
pub use client_verifier::WebPkiClientVerifier;
pub use identity::PeerIdentity;
#[cfg(feature = "x509")]
pub use names::ReferenceIdentity;
#[cfg(feature = "x509")]
pub use revocation::{ExpiredCrl, Revocation, RevocationScope, UnknownStatus};
#[cfg(feature = "x509")]
pub use server_verifier::WebPkiServerVerifier;
#[cfg(feature = "x509")]
pub use validator::{CertificateValidator, Purpose, ValidatedPath};
