//! The RFC 8448 server's RSA key (§2) and the salt of each of its RSA-PSS signatures.
//!
//! RFC 8448 §2 publishes the 1024-bit RSA key behind the certificate of §3, §5 and §7 as
//! its components. [`rsa_certified_key`] loads it through the provider's public interface
//! (as PKCS#1 DER), so the server engine signs its CertificateVerify for real.
//!
//! An RSA-PSS signature is randomized by its salt, which the RFC does not print. But the
//! salt can be read back out of a published signature with the public key (RFC 8017
//! §8.1.2's RSAVP1 gives the encoded message EM; §9.1.2 steps 5-10 unmask the data block
//! that ends with the salt). [`pss_salt`] does that, and the server's replayed RNG hands
//! the salt to the engine, whose signature must then equal the RFC's byte for byte.

use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;

use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::traits::PublicKeyParts;
use sha2::{Digest, Sha256};

use crate::crypto::CryptoProvider;
use crate::crypto::rustcrypto::RustCryptoProvider;
use crate::server::CertifiedKey;
use crate::wire::handshake::HandshakeMessage;

use super::SetupError;
use super::nss::certificate_chain;
use super::vectors::{self, Trace};

/// RFC 8448 §2's RSA key, from its published components.
pub fn rsa_private_key() -> Result<rsa::PrivateKey, SetupError> {
    let keys = vectors::load("keys")?;
    let block = keys
        .find_block("server", "RSA certificate private key")
        .ok_or_else(|| SetupError::missing(&keys, "server", "RSA certificate private key"))?;
    let int = |label: &str| {
        block
            .try_get(label)
            .map(rsa::BoxedUint::from_be_slice_vartime)
            .ok_or_else(|| SetupError::missing(&keys, "server", label))
    };
    rsa::PrivateKey::from_components(
        int("modulus (public)")?,
        int("public exponent")?,
        int("private exponent")?,
        vec![int("prime1")?, int("prime2")?],
    )
    .map_err(|_| SetupError::new("RFC 8448 §2's RSA components do not form a key"))
}

/// The server certificate of `trace` with §2's RSA key, loaded through
/// [`CryptoProvider::load_signing_key`].
pub fn rsa_certified_key(trace: &Trace) -> Result<CertifiedKey, SetupError> {
    let der = rsa_private_key()?
        .to_pkcs1_der()
        .map_err(|_| SetupError::new("cannot encode the RSA key as PKCS#1"))?;
    let key = RustCryptoProvider
        .load_signing_key(der.as_bytes())
        .map_err(|_| SetupError::new("the provider does not load RFC 8448's RSA key"))?;
    Ok(CertifiedKey {
        chain: certificate_chain(trace, "server")?,
        raw_public_key: None,
        key: Arc::from(key),
        server_names: Vec::new(),
    })
}

/// The salt of the RSA-PSS (SHA-256) signature in `trace`'s server CertificateVerify,
/// recovered with §2's public key (RFC 8017 §8.1.2 RSAVP1, then §9.1.2 steps 5-10).
pub fn pss_salt(trace: &Trace) -> Result<Vec<u8>, SetupError> {
    let bad = || SetupError::new("the RFC's CertificateVerify is not an RSA-PSS signature");
    let message = trace
        .find_block("server", "construct a CertificateVerify")
        .and_then(|b| b.try_get("CertificateVerify"))
        .ok_or_else(|| SetupError::missing(trace, "server", "CertificateVerify"))?;
    let HandshakeMessage::CertificateVerify(verify) = HandshakeMessage::decode(message, None)?
    else {
        return Err(bad());
    };
    let key = rsa_private_key()?.to_public_key();
    let s = rsa::BoxedUint::from_be_slice(&verify.signature, key.n_bits_precision())
        .map_err(|_| bad())?;
    let m = rsa::hazmat::rsa_encrypt(&key, &s).map_err(|_| bad())?;
    let em_len = key.size(); // emBits = modBits - 1 = 1023, so emLen = 128
    let bytes = m.to_be_bytes();
    let em = bytes
        .get(bytes.len().saturating_sub(em_len)..)
        .ok_or_else(bad)?;
    let h_len = 32;
    // §9.1.2 step 4: "If the rightmost octet of EM does not have hexadecimal value 0xbc,
    // output "inconsistent"".
    let (&last, rest) = em.split_last().ok_or_else(bad)?;
    if last != 0xbc || rest.len() < h_len + 1 {
        return Err(bad());
    }
    let (masked_db, h) = rest.split_at(rest.len() - h_len);
    // Steps 7-8: dbMask = MGF1(H, emLen - hLen - 1); DB = maskedDB xor dbMask.
    let mut mask = Vec::new();
    let mut counter = 0u32;
    while mask.len() < masked_db.len() {
        let mut hash = Sha256::new();
        hash.update(h);
        hash.update(counter.to_be_bytes());
        mask.extend_from_slice(&hash.finalize());
        counter += 1;
    }
    let mut db: Vec<u8> = masked_db.iter().zip(&mask).map(|(a, b)| a ^ b).collect();
    // Step 9: clear the leftmost 8 * emLen - emBits = 1 bit.
    if let Some(first) = db.first_mut() {
        *first &= 0x7f;
    }
    // Step 10: DB = PS (zeros) || 0x01 || salt.
    let salt_start = db.len().checked_sub(h_len).ok_or_else(bad)?;
    let (padding, salt) = db.split_at(salt_start);
    match padding.split_last() {
        Some((0x01, zeros)) if zeros.iter().all(|b| *b == 0) => Ok(salt.to_vec()),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rfc8448::{OtherDraws, ReplayRng};
    use crate::wire::algorithms::SignatureScheme;

    #[test]
    fn test_recovered_salt_reproduces_the_rfc_signature() {
        // Signing §3's CertificateVerify content with §2's key and the recovered salt gives
        // back the RFC's signature byte for byte.
        let simple = vectors::load("simple").unwrap();
        let salt = pss_salt(&simple).unwrap();
        assert_eq!(salt.len(), 32);
        let message = |actor: &str, heading: &str, label: &str| {
            simple.block(actor, heading).get(label).to_vec()
        };
        let mut transcript = Sha256::new();
        transcript.update(message("client", "construct a ClientHello", "ClientHello"));
        transcript.update(message("server", "construct a ServerHello", "ServerHello"));
        transcript.update(message(
            "server",
            "construct an EncryptedExtensions",
            "EncryptedExtensions",
        ));
        transcript.update(message("server", "construct a Certificate", "Certificate"));
        // RFC 9846 §4.5.2: 64 spaces, the context string, a zero byte, the transcript hash.
        let mut content = vec![0x20; 64];
        content.extend_from_slice(b"TLS 1.3, server CertificateVerify\0");
        content.extend_from_slice(&transcript.finalize());

        let certified = rsa_certified_key(&simple).unwrap();
        let mut rng = ReplayRng::new(&[("salt", &salt)]).with_other_draws(OtherDraws::Fill);
        let signature = certified
            .key
            .sign(SignatureScheme::RsaPssRsaeSha256, &content, &mut rng)
            .unwrap();
        let cv = message(
            "server",
            "construct a CertificateVerify",
            "CertificateVerify",
        );
        assert_eq!(signature, cv[8..]);
        assert_eq!(certified.chain, [server_certificate_der(&simple)]);
    }

    fn server_certificate_der(trace: &Trace) -> Vec<u8> {
        crate::rfc8448::nss::server_certificate(trace).unwrap()
    }
}
