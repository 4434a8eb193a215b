//! Loading certificates and private keys from PEM (RFC 7468) or DER, through
//! rustls-pki-types' PEM parser.
//!
//! TLS itself carries certificates as DER (RFC 9846 §4.5.1: `opaque cert_data<1..2^24-1>`
//! holds "the DER-encoded X.509 certificate"); files usually hold them as PEM, base64 between
//! `-----BEGIN CERTIFICATE-----` lines. This module turns either into what the configs want:
//!
//! | input                                        | output                                  |
//! |----------------------------------------------|-----------------------------------------|
//! | `CERTIFICATE` sections, or one DER certificate | `Vec<Vec<u8>>` (DER, in file order)   |
//! | `PRIVATE KEY` (PKCS#8: EC P-256/P-384, RSA, RSA-PSS, Ed25519), `RSA PRIVATE KEY` (PKCS#1), or DER | an `Arc<dyn SigningKey>` from the crypto provider |
//! | `PUBLIC KEY` (a SubjectPublicKeyInfo, as `openssl pkey -pubout` writes it), or DER | `Vec<u8>` (DER): a raw public key (RFC 7250) to send or pin |
//!
//! A file whose text holds no `-----BEGIN` line is read as DER. In a PEM file, sections of
//! other kinds (a key next to the certificates, say) are skipped.
//!
//! The slice functions work without `std`; the `load_*` functions, which read files, need
//! it.
//!
//! Not supported: encrypted PKCS#8 (`ENCRYPTED PRIVATE KEY`), SEC1 `EC PRIVATE KEY` files
//! (convert them with `openssl pkcs8 -topk8 -nocrypt`), and keys the provider cannot sign
//! with (see [`crate::crypto::CryptoProvider::load_signing_key`]).

use alloc::sync::Arc;
use alloc::vec::Vec;

use rustls_pki_types::pem::{self, PemObject};
use rustls_pki_types::{CertificateDer, PrivateKeyDer, SubjectPublicKeyInfoDer};

use crate::crypto::{CryptoError, CryptoProvider, SigningKey};

/// Why certificates or a key could not be loaded.
#[derive(Debug)]
#[non_exhaustive]
pub enum PemError {
    /// The PEM text is malformed (or, reading a file, the read failed).
    Pem(pem::Error),
    /// No certificate was found.
    NoCertificates,
    /// No private key was found.
    NoPrivateKey,
    /// No public key (`PUBLIC KEY` section) was found.
    NoPublicKey,
    /// The key is a SEC1 `EC PRIVATE KEY`, which is not supported: convert it to PKCS#8.
    Sec1Key,
    /// The crypto provider refused the key (an unsupported algorithm or curve).
    Key(CryptoError),
}

impl core::fmt::Display for PemError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Pem(e) => write!(f, "bad PEM: {e}"),
            Self::NoCertificates => f.write_str("no certificate found"),
            Self::NoPrivateKey => f.write_str("no private key found"),
            Self::NoPublicKey => f.write_str("no public key found"),
            Self::Sec1Key => f.write_str(
                "SEC1 'EC PRIVATE KEY' is not supported; convert it with \
                 `openssl pkcs8 -topk8 -nocrypt`",
            ),
            Self::Key(e) => write!(f, "unsupported private key: {e}"),
        }
    }
}

impl core::error::Error for PemError {}

/// True if `data` looks like PEM text rather than DER (it holds a `-----BEGIN` line).
fn is_pem(data: &[u8]) -> bool {
    data.windows(10).any(|w| w == b"-----BEGIN")
}

/// Every certificate in `data` (PEM `CERTIFICATE` sections in order, or one DER
/// certificate), as DER. For a chain, the end-entity certificate comes first in the file.
pub fn certificates_from_pem(data: &[u8]) -> Result<Vec<Vec<u8>>, PemError> {
    let certificates = if is_pem(data) {
        CertificateDer::pem_slice_iter(data)
            .map(|c| c.map(|c| c.as_ref().to_vec()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(PemError::Pem)?
    } else if data.is_empty() {
        Vec::new()
    } else {
        alloc::vec![data.to_vec()]
    };
    if certificates.is_empty() {
        return Err(PemError::NoCertificates);
    }
    Ok(certificates)
}

/// The first private key in `data` (PEM `PRIVATE KEY` or `RSA PRIVATE KEY`, or DER),
/// loaded by `provider` into a key that can sign CertificateVerify messages.
pub fn signing_key_from_pem(
    provider: &dyn CryptoProvider,
    data: &[u8],
) -> Result<Arc<dyn SigningKey>, PemError> {
    let key = if is_pem(data) {
        PrivateKeyDer::from_pem_slice(data).map_err(|e| match e {
            pem::Error::NoItemsFound => PemError::NoPrivateKey,
            e => PemError::Pem(e),
        })?
    } else {
        PrivateKeyDer::try_from(data).map_err(|_| PemError::NoPrivateKey)?
    };
    let der = match &key {
        PrivateKeyDer::Pkcs8(k) => k.secret_pkcs8_der(),
        PrivateKeyDer::Pkcs1(k) => k.secret_pkcs1_der(),
        PrivateKeyDer::Sec1(_) => return Err(PemError::Sec1Key),
        _ => return Err(PemError::NoPrivateKey),
    };
    // The DER copy inside `key` is wiped when it is dropped (pki-types zeroizes keys).
    let signing_key = provider.load_signing_key(der).map_err(PemError::Key)?;
    Ok(Arc::from(signing_key))
}

/// The public key in `data` (the first PEM `PUBLIC KEY` section, or DER), as a DER
/// SubjectPublicKeyInfo: what a raw public key (RFC 7250) is sent and pinned as. Whether
/// it parses is checked where it is used (a config's `build`, a verifier).
pub fn public_key_from_pem(data: &[u8]) -> Result<Vec<u8>, PemError> {
    if !is_pem(data) {
        return match data.is_empty() {
            true => Err(PemError::NoPublicKey),
            false => Ok(data.to_vec()),
        };
    }
    match SubjectPublicKeyInfoDer::from_pem_slice(data) {
        Ok(spki) => Ok(spki.as_ref().to_vec()),
        Err(pem::Error::NoItemsFound) => Err(PemError::NoPublicKey),
        Err(e) => Err(PemError::Pem(e)),
    }
}

#[cfg(feature = "std")]
mod files {
    use super::*;
    use std::path::Path;

    /// `path: what went wrong`, as an I/O error.
    fn error(path: &Path, kind: std::io::ErrorKind, e: impl core::fmt::Display) -> std::io::Error {
        std::io::Error::new(kind, std::format!("{}: {e}", path.display()))
    }

    /// The file's bytes, wiped from memory when dropped (it may hold a key).
    fn read(path: &Path) -> std::io::Result<zeroize::Zeroizing<Vec<u8>>> {
        let bytes = std::fs::read(path).map_err(|e| error(path, e.kind(), e))?;
        Ok(zeroize::Zeroizing::new(bytes))
    }

    /// Every certificate in the file at `path` (see [`certificates_from_pem`]).
    pub fn load_certificates(path: impl AsRef<Path>) -> std::io::Result<Vec<Vec<u8>>> {
        let path = path.as_ref();
        certificates_from_pem(&read(path)?)
            .map_err(|e| error(path, std::io::ErrorKind::InvalidData, e))
    }

    /// The public key in the file at `path` (see [`public_key_from_pem`]).
    pub fn load_public_key(path: impl AsRef<Path>) -> std::io::Result<Vec<u8>> {
        let path = path.as_ref();
        public_key_from_pem(&read(path)?)
            .map_err(|e| error(path, std::io::ErrorKind::InvalidData, e))
    }

    /// The private key in the file at `path` (see [`signing_key_from_pem`]).
    pub fn load_signing_key(
        provider: &dyn CryptoProvider,
        path: impl AsRef<Path>,
    ) -> std::io::Result<Arc<dyn SigningKey>> {
        let path = path.as_ref();
        signing_key_from_pem(provider, &read(path)?)
            .map_err(|e| error(path, std::io::ErrorKind::InvalidData, e))
    }
}

#[cfg(feature = "std")]
pub use files::{load_certificates, load_public_key, load_signing_key};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::RustCryptoProvider;
    use crate::wire::algorithms::SignatureScheme;

    /// A PEM section of `label` around `der`.
    fn pem(label: &str, der: &[u8]) -> Vec<u8> {
        let b64 = base64(der);
        let mut out = alloc::format!("-----BEGIN {label}-----\n");
        for line in b64.as_bytes().chunks(64) {
            out.push_str(core::str::from_utf8(line).unwrap());
            out.push('\n');
        }
        out.push_str(&alloc::format!("-----END {label}-----\n"));
        out.into_bytes()
    }

    fn base64(data: &[u8]) -> alloc::string::String {
        const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut s = alloc::string::String::new();
        for chunk in data.chunks(3) {
            let b = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..4 {
                if i <= chunk.len() {
                    s.push(char::from(T[((n >> (18 - 6 * i)) & 63) as usize]));
                } else {
                    s.push('=');
                }
            }
        }
        s
    }

    /// An Ed25519 PKCS#8 key (RFC 8410 §10.3's example).
    const ED25519_PKCS8: &str = "302e020100300506032b657004220420d4ee72dbf913584ad5b6d8f1f769f8ad3afe7c28cbf1d4fbe097a88f44755842";

    #[test]
    fn test_parse_certificates_in_order_skipping_other_sections() {
        let mut text = pem("CERTIFICATE", b"\x30\x03\x02\x01\x01");
        text.extend(pem("PRIVATE KEY", &hex::decode(ED25519_PKCS8).unwrap()));
        text.extend(pem("CERTIFICATE", b"\x30\x03\x02\x01\x02"));
        let certs = certificates_from_pem(&text).unwrap();
        assert_eq!(
            certs,
            [
                b"\x30\x03\x02\x01\x01".to_vec(),
                b"\x30\x03\x02\x01\x02".to_vec()
            ]
        );
        // DER is taken as one certificate.
        assert_eq!(certificates_from_pem(b"\x30\x00").unwrap(), [b"\x30\x00"]);
        assert!(matches!(
            certificates_from_pem(&pem("PRIVATE KEY", b"\x30\x00")),
            Err(PemError::NoCertificates)
        ));
        assert!(matches!(
            certificates_from_pem(b"-----BEGIN CERTIFICATE-----\nAAAA\n"),
            Err(PemError::Pem(_))
        ));
    }

    #[test]
    fn test_parse_private_keys() {
        let der = hex::decode(ED25519_PKCS8).unwrap();
        let provider = RustCryptoProvider;
        for data in [pem("PRIVATE KEY", &der), der.clone()] {
            let key = signing_key_from_pem(&provider, &data).unwrap();
            assert_eq!(key.schemes(), [SignatureScheme::Ed25519]);
        }
        assert!(matches!(
            signing_key_from_pem(&provider, &pem("EC PRIVATE KEY", b"\x30\x03\x02\x01\x01")),
            Err(PemError::Sec1Key)
        ));
        assert!(matches!(
            signing_key_from_pem(&provider, &pem("CERTIFICATE", &der)),
            Err(PemError::NoPrivateKey)
        ));
        // A well-formed PKCS#8 envelope around an algorithm the provider lacks (Ed448).
        let mut ed448 = der.clone();
        ed448[11] = 0x71;
        assert!(matches!(
            signing_key_from_pem(&provider, &pem("PRIVATE KEY", &ed448)),
            Err(PemError::Key(_))
        ));
    }

    #[test]
    fn test_parse_public_keys() {
        // RFC 8410 §10.1's Ed25519 SubjectPublicKeyInfo.
        let spki = hex::decode(
            "302a300506032b657003210019bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1",
        )
        .unwrap();
        let mut text = pem("CERTIFICATE", b"\x30\x00");
        text.extend(pem("PUBLIC KEY", &spki));
        assert_eq!(public_key_from_pem(&text).unwrap(), spki);
        assert_eq!(public_key_from_pem(&spki).unwrap(), spki);
        assert!(matches!(
            public_key_from_pem(&pem("CERTIFICATE", &spki)),
            Err(PemError::NoPublicKey)
        ));
    }

    #[cfg(feature = "std")]
    #[test]
    fn test_load_files() {
        let dir = std::env::temp_dir().join(std::format!("lucid-pem-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // Longer than any fixed-size buffer: a 2000-byte "certificate".
        let big: Vec<u8> = (0..2000u32).map(|i| i as u8).collect();
        let mut text = pem("CERTIFICATE", &big);
        text.extend(pem("CERTIFICATE", b"\x30\x00"));
        std::fs::write(dir.join("chain.pem"), &text).unwrap();
        let chain = load_certificates(dir.join("chain.pem")).unwrap();
        assert_eq!(chain, [big, b"\x30\x00".to_vec()]);

        std::fs::write(
            dir.join("key.pem"),
            pem("PRIVATE KEY", &hex::decode(ED25519_PKCS8).unwrap()),
        )
        .unwrap();
        let key = load_signing_key(&RustCryptoProvider, dir.join("key.pem")).unwrap();
        assert_eq!(key.schemes(), [SignatureScheme::Ed25519]);

        let missing = load_certificates(dir.join("missing.pem")).unwrap_err();
        assert_eq!(missing.kind(), std::io::ErrorKind::NotFound);
        assert!(std::string::ToString::to_string(&missing).contains("missing.pem"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
