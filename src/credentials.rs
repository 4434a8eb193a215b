//! What an endpoint proves itself with, the same types for both roles: a
//! [`CertifiedKey`] (a certificate chain or a raw public key (RFC 7250), and its private
//! key: a server's identity, or a client's for mutual TLS) and an [`ExternalPsk`] (a key agreed outside TLS, RFC 9846
//! §4.3.11).
//!
//! Whether a key matches its certificate is checked once, when a config is built
//! (`ClientConfigBuilder::build`, `ServerConfigBuilder::build`), not here.

use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::crypto::{HashAlgorithm, Secret, SigningKey, suite_algorithms};
use crate::wire::algorithms::CipherSuite;
use crate::wire::codes::CertificateType;

/// A certificate chain, a raw public key or both, and the private key they name.
///
/// Which one is sent is negotiated (RFC 7250 §4.2): the chain when the certificate type is
/// X509 (the default), the raw public key when it is RawPublicKey. A credential with only
/// a chain serves X.509 peers only; one with only a raw public key
/// ([`CertifiedKey::from_raw_public_key`]) serves only peers that take raw public keys.
#[derive(Clone)]
pub struct CertifiedKey {
    /// DER certificates, end-entity first (RFC 9846 §4.5.1: "The sender's certificate MUST
    /// come in the first CertificateEntry in the list"). Empty for a raw public key alone.
    pub chain: Vec<Vec<u8>>,
    /// The DER SubjectPublicKeyInfo of `key`, sent as the single CertificateEntry when the
    /// RawPublicKey certificate type is negotiated (RFC 9846 §4.5.1, RFC 7250 §3). `None`:
    /// this credential is X.509 only.
    pub raw_public_key: Option<Vec<u8>>,
    /// The end-entity certificate's private key, which signs CertificateVerify.
    pub key: Arc<dyn SigningKey>,
    /// Server only: the host names this chain serves, matched against the client's
    /// server_name (ASCII case-insensitive; `*.example.com` matches one leftmost label).
    /// Empty: the chain serves any name, and clients that send none. A client ignores it.
    pub server_names: Vec<String>,
}

impl CertifiedKey {
    /// `chain` (DER, end-entity first) with its end-entity certificate's `key`, for any name.
    pub fn new(chain: Vec<Vec<u8>>, key: Arc<dyn SigningKey>) -> Self {
        Self {
            chain,
            key,
            raw_public_key: None,
            server_names: Vec::new(),
        }
    }

    /// A raw public key (RFC 7250): `spki` (DER SubjectPublicKeyInfo) with its private
    /// `key`, and no certificate.
    pub fn from_raw_public_key(spki: Vec<u8>, key: Arc<dyn SigningKey>) -> Self {
        Self {
            chain: Vec::new(),
            key,
            raw_public_key: Some(spki),
            server_names: Vec::new(),
        }
    }

    /// The same credential, also offered as the raw public key `spki` (DER
    /// SubjectPublicKeyInfo) to peers that negotiate RawPublicKey.
    pub fn with_raw_public_key(mut self, spki: Vec<u8>) -> Self {
        self.raw_public_key = Some(spki);
        self
    }

    /// True if this credential can be sent as certificate type `typ`: X509 with a chain,
    /// RawPublicKey with an SPKI.
    pub fn serves(&self, typ: CertificateType) -> bool {
        match typ {
            CertificateType::X509 => !self.chain.is_empty(),
            CertificateType::RawPublicKey => self.raw_public_key.is_some(),
            CertificateType::Unknown(_) => false,
        }
    }

    /// What a Certificate message of type `typ` carries: the chain, or the SPKI alone.
    pub fn entries(&self, typ: CertificateType) -> Vec<Vec<u8>> {
        match (typ, &self.raw_public_key) {
            (CertificateType::RawPublicKey, Some(spki)) => alloc::vec![spki.clone()],
            (CertificateType::RawPublicKey, None) => Vec::new(),
            _ => self.chain.clone(),
        }
    }

    /// The same chain, served only for `names` (server only).
    pub fn for_names(mut self, names: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.server_names = names.into_iter().map(Into::into).collect();
        self
    }

    /// The end-entity certificate (DER), if the chain is not empty.
    pub fn end_entity(&self) -> Option<&[u8]> {
        self.chain.first().map(Vec::as_slice)
    }
}

impl core::fmt::Debug for CertifiedKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CertifiedKey")
            .field("chain_len", &self.chain.len())
            .field("raw_public_key", &self.raw_public_key.is_some())
            .field("schemes", &self.key.schemes())
            .field("server_names", &self.server_names)
            .finish()
    }
}

/// A PSK agreed outside TLS (RFC 9846 §4.3.11: an "external" PSK), known to both sides.
#[derive(Clone, Debug)]
pub struct ExternalPsk {
    /// The PskIdentity.identity both sides know it by.
    pub identity: Vec<u8>,
    /// The key.
    pub secret: Secret,
    /// The suite to use it with; its hash is the PSK's hash. RFC 9846 §2.2: "the PSK
    /// identity and the KDF hash algorithm to be used with the PSK MUST also be
    /// provisioned". A client offers it with this suite; a server accepts it with any suite
    /// of the same hash.
    pub cipher_suite: CipherSuite,
}

impl ExternalPsk {
    /// The PSK's hash, `None` for a suite this library does not run.
    pub fn hash(&self) -> Option<HashAlgorithm> {
        suite_algorithms(self.cipher_suite).map(|(_, hash)| hash)
    }
}
