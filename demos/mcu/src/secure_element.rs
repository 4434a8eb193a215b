//! The board's client key as a secure element would hold it: outside the TLS engine.
//!
//! For mutual TLS the client's configuration carries the board's certificate with a
//! [`DeferredKey`], which holds no key at all: it only says that signatures come from
//! elsewhere (`SigningKey::defers`). When the server asks for the board's certificate, the
//! connection pauses before its CertificateVerify with `Event::SignRequest`; the firmware
//! asks the [`SecureElement`] for the signature and hands it back with
//! `Connection::answer_signature` (lucid-tls's deferred signing interface,
//! `lucid_tls::connection::deferred`).
//!
//! Here the "secure element" is a software ECDSA P-256 key loaded from the PKCS#8 DER that
//! `./run` made: QEMU's board has none. On a real board, [`SecureElement::sign`] would send
//! the message (or its hash) to the chip and read the signature back.

use alloc::boxed::Box;
use alloc::vec::Vec;

use lucid_tls::connection::SignRequest;
use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::crypto::{CryptoError, CryptoProvider, Rng, SigningKey};
use lucid_tls::wire::algorithms::SignatureScheme;

use crate::tls::pki;

/// The only scheme the board's key signs with.
const SCHEMES: &[SignatureScheme] = &[SignatureScheme::EcdsaSecp256r1Sha256];

/// The key the TLS configuration holds: it defers every signature to the caller.
pub struct DeferredKey;

impl SigningKey for DeferredKey {
    fn schemes(&self) -> &[SignatureScheme] {
        SCHEMES
    }

    /// Never called: the connection asks its caller instead (see [`DeferredKey::defers`]).
    fn sign(
        &self,
        _scheme: SignatureScheme,
        _message: &[u8],
        _rng: &mut dyn Rng,
    ) -> Result<Vec<u8>, CryptoError> {
        Err(CryptoError::Unsupported)
    }

    fn defers(&self) -> bool {
        true
    }
}

/// The stand-in secure element: it holds the board's private key and signs on request.
pub struct SecureElement {
    key: Box<dyn SigningKey>,
}

impl SecureElement {
    /// Loads the board's key (PKCS#8 DER, embedded at build time).
    pub fn load() -> Result<Self, CryptoError> {
        Ok(Self {
            key: RustCryptoProvider.load_signing_key(pki::CLIENT_KEY)?,
        })
    }

    /// Signs what the connection asked for: the CertificateVerify content, with the scheme
    /// it named.
    pub fn sign(
        &self,
        request: &SignRequest,
        rng: &mut dyn Rng,
    ) -> Result<Vec<u8>, lucid_tls::Error> {
        if !SCHEMES.contains(&request.scheme) {
            return Err(lucid_tls::Error::Crypto(CryptoError::Unsupported));
        }
        self.key
            .sign(request.scheme, &request.message, rng)
            .map_err(lucid_tls::Error::Crypto)
    }
}
