//! RFC 8448's CertificateVerify messages: every signature of the traces (§3, §5, §6 both
//! sides, §7) verifies over the content rebuilt from the transcript, with the public key
//! found in the trace's Certificate; and §3's server signature is reproduced byte for byte
//! by replaying its RSA-PSS salt through the caller's RNG.

use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::crypto::{CryptoError, CryptoProvider, HashAlgorithm, Rng};
use lucid_tls::wire::algorithms::SignatureScheme;

use super::TestRng;
use super::signatures::assert_verifies;
use crate::common::vectors;

/// The server's RSA key of RFC 8448 §2 (1024 bits), from its published components.
fn rfc8448_server_rsa_key() -> rsa::PrivateKey {
    let keys = vectors::load("keys");
    let block = keys.block("server", "RSA certificate private key");
    let int = |label: &str| rsa::BoxedUint::from_be_slice_vartime(block.get(label));
    rsa::PrivateKey::from_components(
        int("modulus (public)"),
        int("public exponent"),
        int("private exponent"),
        vec![int("prime1"), int("prime2")],
    )
    .unwrap()
}

/// One handshake message of a trace: who sent it, its name, its bytes.
struct Message {
    actor: String,
    name: String,
    bytes: Vec<u8>,
}

/// The handshake messages of an RFC 8448 trace, in the order they were sent.
fn rfc8448_messages(trace: &str) -> Vec<Message> {
    let trace = vectors::load(trace);
    trace
        .blocks
        .iter()
        .filter(|b| {
            b.heading.starts_with("construct a") && b.heading.ends_with("handshake message")
        })
        .map(|b| Message {
            actor: b.actor.clone(),
            name: b.values[0].0.clone(),
            bytes: b.values[0].1.clone(),
        })
        .collect()
}

/// The `signer`'s CertificateVerify message in `trace`, and the content it signs (RFC 9846
/// §4.5.2): 64 spaces, the context string, a zero byte, and the transcript hash of every
/// handshake message before it.
fn rfc8448_certificate_verify(trace: &str, signer: &str) -> (Vec<u8>, Vec<u8>) {
    let messages = rfc8448_messages(trace);
    let at = messages
        .iter()
        .position(|m| m.actor == signer && m.name == "CertificateVerify")
        .unwrap();
    let mut transcript = RustCryptoProvider.hash(HashAlgorithm::Sha256);
    let hello_retry = messages.iter().filter(|m| m.name == "ClientHello").count() == 2;
    for (i, m) in messages[..at].iter().enumerate() {
        if hello_retry && i == 0 {
            // RFC 9846 §4.1: after a HelloRetryRequest, "the value of ClientHello1 is
            // replaced with a special synthetic handshake message of handshake type
            // "message_hash" (254) containing Hash(ClientHello1)".
            let ch1_hash = ring::digest::digest(&ring::digest::SHA256, &m.bytes);
            transcript.update(&[254, 0, 0, 32]);
            transcript.update(ch1_hash.as_ref());
        } else {
            transcript.update(&m.bytes);
        }
    }
    let mut content = vec![0x20; 64];
    content.extend_from_slice(format!("TLS 1.3, {signer} CertificateVerify").as_bytes());
    content.push(0x00);
    content.extend_from_slice(transcript.current().as_bytes());
    (messages[at].bytes.clone(), content)
}

/// The public key in the `signer`'s Certificate message of `trace`: the contents of the
/// subjectPublicKey BIT STRING following the SPKI's AlgorithmIdentifier `algorithm`. (A byte
/// search, not a certificate parser: enough for the RFC's three certificates.)
fn rfc8448_certificate_public_key(trace: &str, signer: &str, algorithm: &[u8]) -> Vec<u8> {
    let messages = rfc8448_messages(trace);
    let certificate = messages
        .iter()
        .find(|m| m.actor == signer && m.name == "Certificate")
        .unwrap();
    let at = certificate
        .bytes
        .windows(algorithm.len())
        .position(|w| w == algorithm)
        .unwrap()
        + algorithm.len();
    // BIT STRING: tag 03, a one- or two-byte DER length, then 00 (no unused bits).
    let rest = &certificate.bytes[at..];
    let (len, header) = match rest[1] {
        0x81 => (usize::from(rest[2]), 3),
        short => (usize::from(short), 2),
    };
    assert_eq!((rest[0], rest[header]), (0x03, 0x00));
    rest[header + 1..header + len].to_vec()
}

/// `SEQUENCE { rsaEncryption, NULL }` (RFC 8017 A.1).
const RSA_ENCRYPTION: [u8; 15] = [
    0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
];

/// `SEQUENCE { id-ecPublicKey, secp256r1 }` (RFC 5480 §2.1.1).
const EC_P256: [u8; 21] = [
    0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
    0xce, 0x3d, 0x03, 0x01, 0x07,
];

#[test]
fn rfc8448_every_certificate_verify_verifies() {
    use rsa::pkcs1::EncodeRsaPublicKey;
    let server_rsa = rfc8448_server_rsa_key()
        .to_public_key()
        .to_pkcs1_der()
        .unwrap();
    // The server signs with its §2 RSA key in §3, §5 (after a HelloRetryRequest) and §7, and
    // with an ECDSA P-256 certificate in §6, where the client signs with its own RSA key. §4
    // resumes with a PSK and has no CertificateVerify.
    let rsa = SignatureScheme::RsaPssRsaeSha256;
    let ecdsa = SignatureScheme::EcdsaSecp256r1Sha256;
    let cases = [
        ("simple", "server", &RSA_ENCRYPTION[..], rsa),
        ("hrr", "server", &RSA_ENCRYPTION[..], rsa),
        ("client_auth", "server", &EC_P256[..], ecdsa),
        ("client_auth", "client", &RSA_ENCRYPTION[..], rsa),
        ("compat", "server", &RSA_ENCRYPTION[..], rsa),
    ];
    for (trace, signer, algorithm, expected_scheme) in cases {
        let public_key = rfc8448_certificate_public_key(trace, signer, algorithm);
        if signer == "server" && expected_scheme == rsa {
            let server_key = server_rsa.as_bytes();
            assert_eq!(public_key, server_key, "the §2 key is in the certificate");
        }
        let (certificate_verify, content) = rfc8448_certificate_verify(trace, signer);
        // CertificateVerify: type 15, uint24 length, SignatureScheme, uint16 length, signature.
        let (header, signature) = certificate_verify.split_at(8);
        assert_eq!(header[0], 15);
        assert_eq!(
            usize::from(u16::from_be_bytes([header[6], header[7]])),
            signature.len()
        );
        let scheme = SignatureScheme::from_u16(u16::from_be_bytes([header[4], header[5]]));
        assert_eq!(scheme, expected_scheme, "{trace} {signer}");
        assert_verifies(scheme, &public_key, &content, signature);
    }
}

/// Reads the salt out of an RSASSA-PSS signature (RFC 8017 §9.1.2 steps 7–10, with SHA-256
/// and MGF1-SHA-256): anyone holding the public key can, which is why a salt is not secret.
fn pss_sha256_salt(public: &rsa::PublicKey, signature: &[u8]) -> Vec<u8> {
    use rsa::traits::PublicKeyParts;
    use sha2::Digest;
    let s = rsa::BoxedUint::from_be_slice_vartime(signature);
    let m = rsa::hazmat::rsa_encrypt(public, &s).unwrap().to_be_bytes();
    let em_bits = public.n().bit_width() as usize - 1;
    let em_len = em_bits.div_ceil(8);
    let em = &m[m.len() - em_len..];
    assert_eq!(em[em_len - 1], 0xbc, "EM must end in 0xbc");
    let (masked_db, h) = em[..em_len - 1].split_at(em_len - 1 - 32);
    let mut db: Vec<u8> = masked_db.to_vec();
    let mask = (0u32..)
        .flat_map(|counter| {
            sha2::Sha256::new()
                .chain_update(h)
                .chain_update(counter.to_be_bytes())
                .finalize()
        })
        .take(db.len());
    db.iter_mut().zip(mask).for_each(|(d, m)| *d ^= m);
    db[0] &= 0xff >> (8 * em_len - em_bits);
    let salt_start = db.iter().position(|&b| b != 0).unwrap() + 1;
    assert_eq!(db[salt_start - 1], 0x01, "DB = PS || 0x01 || salt");
    db[salt_start..].to_vec()
}

/// Returns `first`, then a ChaCha20 stream: RFC 8448's salt followed by blinding randomness.
struct ReplayThen(Vec<u8>, TestRng);

impl Rng for ReplayThen {
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), CryptoError> {
        if self.0.is_empty() {
            return self.1.fill(dest);
        }
        assert!(
            dest.len() <= self.0.len(),
            "the salt must be drawn in one piece"
        );
        let rest = self.0.split_off(dest.len());
        dest.copy_from_slice(&self.0);
        self.0 = rest;
        Ok(())
    }
}

#[test]
fn rfc8448_simple_server_certificate_verify_reproduced() {
    use rsa::pkcs1::EncodeRsaPrivateKey;
    let key = rfc8448_server_rsa_key();
    let (certificate_verify, content) = rfc8448_certificate_verify("simple", "server");
    let signature = &certificate_verify[8..];

    // Replaying the RFC's salt through the caller's Rng reproduces the RFC's signature
    // byte for byte: the salt is drawn first, and blinding does not change the result.
    let salt = pss_sha256_salt(&key.to_public_key(), signature);
    assert_eq!(salt.len(), 32, "RFC 9846 §4.3.3: salt length = hash length");
    let ours = RustCryptoProvider
        .load_signing_key(key.to_pkcs1_der().unwrap().as_bytes())
        .unwrap();
    // A 1024-bit modulus is too short for PSS with SHA-512 (RFC 8017 §9.1.1).
    assert_eq!(
        ours.schemes(),
        [
            SignatureScheme::RsaPssRsaeSha256,
            SignatureScheme::RsaPssRsaeSha384
        ]
    );
    for blinding_seed in [5, 6] {
        let mut rng = ReplayThen(salt.clone(), TestRng::new(blinding_seed));
        let scheme = SignatureScheme::RsaPssRsaeSha256;
        let reproduced = ours.sign(scheme, &content, &mut rng).unwrap();
        assert_eq!(reproduced, signature);
    }
}
