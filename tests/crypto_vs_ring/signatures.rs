//! Signatures against ring: ring signs and we verify (ECDSA P-256/P-384, Ed25519, RSA-PSS
//! and PKCS#1 v1.5, id-RSASSA-PSS keys), we sign and ring verifies, altered messages and
//! signatures are refused, deterministic schemes draw no randomness, and signing keys load
//! from PKCS#8 and PKCS#1 but not for algorithms the provider lacks.

use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::crypto::{CryptoError, CryptoProvider};
use lucid_tls::wire::algorithms::SignatureScheme;
use ring::signature::KeyPair;

use super::{TestRng, bytes};

/// The CertificateVerify content shape (RFC 9846 §4.5.2) over a stand-in transcript hash:
/// what TLS actually signs.
fn certificate_verify_content(transcript_hash: &[u8]) -> Vec<u8> {
    let mut content = vec![0x20; 64];
    content.extend_from_slice(b"TLS 1.3, server CertificateVerify");
    content.push(0x00);
    content.extend_from_slice(transcript_hash);
    content
}

/// Asserts that `signature` verifies over `message` and fails once message or signature
/// is altered.
pub(crate) fn assert_verifies(
    scheme: SignatureScheme,
    public_key: &[u8],
    message: &[u8],
    signature: &[u8],
) {
    let p = RustCryptoProvider;
    assert_eq!(
        p.verify_signature(scheme, public_key, message, signature),
        Ok(()),
        "{scheme:?}"
    );
    let mut other_message = message.to_vec();
    other_message[70] ^= 1;
    assert_eq!(
        p.verify_signature(scheme, public_key, &other_message, signature),
        Err(CryptoError::BadSignature),
        "{scheme:?} altered message"
    );
    let mut other_signature = signature.to_vec();
    let last = other_signature.len() - 1;
    other_signature[last] ^= 1;
    assert_eq!(
        p.verify_signature(scheme, public_key, message, &other_signature),
        Err(CryptoError::BadSignature),
        "{scheme:?} altered signature"
    );
}

/// A fresh ring ECDSA key: its PKCS#8 DER and the key pair (for signing and its public key).
fn ring_ecdsa_key(
    alg: &'static ring::signature::EcdsaSigningAlgorithm,
) -> (Vec<u8>, ring::signature::EcdsaKeyPair) {
    let ring_rng = ring::rand::SystemRandom::new();
    let pkcs8 = ring::signature::EcdsaKeyPair::generate_pkcs8(alg, &ring_rng).unwrap();
    let pair = ring::signature::EcdsaKeyPair::from_pkcs8(alg, pkcs8.as_ref(), &ring_rng).unwrap();
    (pkcs8.as_ref().to_vec(), pair)
}

/// A fresh ring Ed25519 key: its PKCS#8 DER and the key pair.
fn ring_ed25519_key() -> (Vec<u8>, ring::signature::Ed25519KeyPair) {
    let pkcs8 =
        ring::signature::Ed25519KeyPair::generate_pkcs8(&ring::rand::SystemRandom::new()).unwrap();
    let pair = ring::signature::Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap();
    (pkcs8.as_ref().to_vec(), pair)
}

#[test]
fn ecdsa_ring_signs_we_verify() {
    let ring_rng = ring::rand::SystemRandom::new();
    let p256 = (
        SignatureScheme::EcdsaSecp256r1Sha256,
        &ring::signature::ECDSA_P256_SHA256_ASN1_SIGNING,
    );
    let p384 = (
        SignatureScheme::EcdsaSecp384r1Sha384,
        &ring::signature::ECDSA_P384_SHA384_ASN1_SIGNING,
    );
    for (scheme, ring_alg) in [p256, p384] {
        for i in 0..8u8 {
            let (_, pair) = ring_ecdsa_key(ring_alg);
            let message = certificate_verify_content(&bytes(i, 32));
            let signature = pair.sign(&ring_rng, &message).unwrap();
            let public = pair.public_key().as_ref();
            assert_verifies(scheme, public, &message, signature.as_ref());
        }
    }
    // A P-256 key is not a P-384 key.
    let (_, pair) = ring_ecdsa_key(p256.1);
    let signature = pair.sign(&ring_rng, b"message").unwrap();
    let public = pair.public_key().as_ref();
    assert_eq!(
        RustCryptoProvider.verify_signature(p384.0, public, b"message", signature.as_ref()),
        Err(CryptoError::InvalidPeerKey)
    );
}

#[test]
fn ed25519_ring_signs_we_verify() {
    for i in 0..8u8 {
        let (_, pair) = ring_ed25519_key();
        let message = certificate_verify_content(&bytes(i, 48));
        let signature = pair.sign(&message);
        let public = pair.public_key().as_ref();
        assert_verifies(
            SignatureScheme::Ed25519,
            public,
            &message,
            signature.as_ref(),
        );
    }
}

/// A 2048-bit RSA key made by the `rsa` crate from a fixed seed (ring cannot generate RSA
/// keys), as PKCS#8 DER, shared by the RSA tests.
fn rsa_test_key_pkcs8() -> &'static [u8] {
    static KEY: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    KEY.get_or_init(|| {
        use rand_chacha::rand_core::SeedableRng;
        use rsa::pkcs8::EncodePrivateKey;
        let mut rng = rand_chacha::ChaCha20Rng::from_seed([42; 32]);
        let key = rsa::PrivateKey::new(&mut rng, 2048).unwrap();
        key.to_pkcs8_der().unwrap().as_bytes().to_vec()
    })
}

fn ring_rsa_signing(scheme: SignatureScheme) -> &'static dyn ring::signature::RsaEncoding {
    use SignatureScheme as S;
    match scheme {
        S::RsaPssRsaeSha256 | S::RsaPssPssSha256 => &ring::signature::RSA_PSS_SHA256,
        S::RsaPssRsaeSha384 | S::RsaPssPssSha384 => &ring::signature::RSA_PSS_SHA384,
        S::RsaPssRsaeSha512 | S::RsaPssPssSha512 => &ring::signature::RSA_PSS_SHA512,
        S::RsaPkcs1Sha256 => &ring::signature::RSA_PKCS1_SHA256,
        S::RsaPkcs1Sha384 => &ring::signature::RSA_PKCS1_SHA384,
        S::RsaPkcs1Sha512 => &ring::signature::RSA_PKCS1_SHA512,
        _ => unreachable!("not an RSA scheme"),
    }
}

const RSA_SCHEMES: [SignatureScheme; 9] = [
    SignatureScheme::RsaPssRsaeSha256,
    SignatureScheme::RsaPssRsaeSha384,
    SignatureScheme::RsaPssRsaeSha512,
    SignatureScheme::RsaPssPssSha256,
    SignatureScheme::RsaPssPssSha384,
    SignatureScheme::RsaPssPssSha512,
    SignatureScheme::RsaPkcs1Sha256,
    SignatureScheme::RsaPkcs1Sha384,
    SignatureScheme::RsaPkcs1Sha512,
];

#[test]
fn rsa_ring_signs_we_verify() {
    let ring_rng = ring::rand::SystemRandom::new();
    let pair = ring::signature::RsaKeyPair::from_pkcs8(rsa_test_key_pkcs8()).unwrap();
    // ring's public key encoding is the DER RSAPublicKey, as in a certificate's BIT STRING.
    let public = pair.public().as_ref();
    let message = certificate_verify_content(&bytes(14, 32));
    for scheme in RSA_SCHEMES {
        let mut signature = vec![0u8; pair.public().modulus_len()];
        pair.sign(
            ring_rsa_signing(scheme),
            &ring_rng,
            &message,
            &mut signature,
        )
        .unwrap();
        assert_verifies(scheme, public, &message, &signature);
    }
    // PSS and PKCS#1 v1.5 signatures are not interchangeable, nor are the hashes.
    let mut pss = vec![0u8; pair.public().modulus_len()];
    pair.sign(
        &ring::signature::RSA_PSS_SHA256,
        &ring_rng,
        &message,
        &mut pss,
    )
    .unwrap();
    for wrong in [
        SignatureScheme::RsaPkcs1Sha256,
        SignatureScheme::RsaPssRsaeSha384,
    ] {
        assert_eq!(
            RustCryptoProvider.verify_signature(wrong, public, &message, &pss),
            Err(CryptoError::BadSignature)
        );
    }
}

/// Verifies with ring one of our signatures.
fn ring_verifies(scheme: SignatureScheme, public_key: &[u8], message: &[u8], signature: &[u8]) {
    use ring::signature as rs;
    let alg: &dyn rs::VerificationAlgorithm = match scheme {
        SignatureScheme::EcdsaSecp256r1Sha256 => &rs::ECDSA_P256_SHA256_ASN1,
        SignatureScheme::EcdsaSecp384r1Sha384 => &rs::ECDSA_P384_SHA384_ASN1,
        SignatureScheme::Ed25519 => &rs::ED25519,
        // ring has no notion of the key's OID: the two RSA-PSS families verify alike.
        SignatureScheme::RsaPssRsaeSha256 | SignatureScheme::RsaPssPssSha256 => {
            &rs::RSA_PSS_2048_8192_SHA256
        }
        SignatureScheme::RsaPssRsaeSha384 | SignatureScheme::RsaPssPssSha384 => {
            &rs::RSA_PSS_2048_8192_SHA384
        }
        SignatureScheme::RsaPssRsaeSha512 | SignatureScheme::RsaPssPssSha512 => {
            &rs::RSA_PSS_2048_8192_SHA512
        }
        _ => unreachable!("not a scheme we sign with"),
    };
    rs::UnparsedPublicKey::new(alg, public_key)
        .verify(message, signature)
        .unwrap_or_else(|_| panic!("ring refused our {scheme:?} signature"));
}

#[test]
fn we_sign_ring_verifies() {
    let p = RustCryptoProvider;
    let message = certificate_verify_content(&bytes(15, 48));

    let (p256, p256_pair) = ring_ecdsa_key(&ring::signature::ECDSA_P256_SHA256_ASN1_SIGNING);
    let (p384, p384_pair) = ring_ecdsa_key(&ring::signature::ECDSA_P384_SHA384_ASN1_SIGNING);
    let (ed25519, ed25519_pair) = ring_ed25519_key();
    let rsa = rsa_test_key_pkcs8();
    let rsa_pair = ring::signature::RsaKeyPair::from_pkcs8(rsa).unwrap();
    let pss_server = certificate_public_key(RSA_PSS_SERVER_CERT);
    let pss_client = certificate_public_key(RSA_PSS_CLIENT_CERT);

    let keys: [(&[u8], &[u8], &[SignatureScheme]); 6] = [
        (
            &p256,
            p256_pair.public_key().as_ref(),
            &[SignatureScheme::EcdsaSecp256r1Sha256],
        ),
        (
            &p384,
            p384_pair.public_key().as_ref(),
            &[SignatureScheme::EcdsaSecp384r1Sha384],
        ),
        // id-RSASSA-PSS keys (tools/make_rsa_pss_pki.sh): rsa_pss_pss_* only, all three
        // without parameters, SHA-256 alone when the parameters say so.
        (
            RSA_PSS_SERVER_KEY,
            &pss_server,
            &[
                SignatureScheme::RsaPssPssSha256,
                SignatureScheme::RsaPssPssSha384,
                SignatureScheme::RsaPssPssSha512,
            ],
        ),
        (
            RSA_PSS_CLIENT_KEY,
            &pss_client,
            &[SignatureScheme::RsaPssPssSha256],
        ),
        (
            &ed25519,
            ed25519_pair.public_key().as_ref(),
            &[SignatureScheme::Ed25519],
        ),
        (
            rsa,
            rsa_pair.public().as_ref(),
            &[
                SignatureScheme::RsaPssRsaeSha256,
                SignatureScheme::RsaPssRsaeSha384,
                SignatureScheme::RsaPssRsaeSha512,
            ],
        ),
    ];
    for (pkcs8, public, schemes) in keys {
        let key = p.load_signing_key(pkcs8).unwrap();
        assert_eq!(key.schemes(), schemes);
        for &scheme in schemes {
            let signature = key.sign(scheme, &message, &mut TestRng::new(3)).unwrap();
            ring_verifies(scheme, public, &message, &signature);
            assert_verifies(scheme, public, &message, &signature);
        }
        // A scheme the key does not offer is refused, not silently substituted; an
        // RSA-PSS-OID key refuses the rsae schemes (RFC 9846 §4.3.3).
        for refused in [
            SignatureScheme::RsaPkcs1Sha256,
            SignatureScheme::RsaPssRsaeSha256,
        ] {
            if !schemes.contains(&refused) {
                let signed = key.sign(refused, &message, &mut TestRng::new(3));
                assert_eq!(signed.err(), Some(CryptoError::Unsupported), "{refused:?}");
            }
        }
    }
}

/// The RSA-PSS fixtures of tools/make_rsa_pss_pki.sh.
const RSA_PSS_SERVER_KEY: &[u8] = include_bytes!("../fixtures/rsa_pss/server.key.der");
const RSA_PSS_SERVER_CERT: &[u8] = include_bytes!("../fixtures/rsa_pss/server.der");
const RSA_PSS_CLIENT_KEY: &[u8] = include_bytes!("../fixtures/rsa_pss/client.key.der");
const RSA_PSS_CLIENT_CERT: &[u8] = include_bytes!("../fixtures/rsa_pss/client.der");

/// The subjectPublicKey of a certificate (an RSAPublicKey for RSA-PSS keys too), read by
/// x509-parser, independently of lucid-tls.
fn certificate_public_key(der: &[u8]) -> Vec<u8> {
    use x509_parser::prelude::{FromDer, X509Certificate};
    let (_, cert) = X509Certificate::from_der(der).unwrap();
    cert.public_key().subject_public_key.data.to_vec()
}

#[test]
fn ring_signs_with_an_rsa_pss_key_we_verify() {
    // ring cannot read an id-RSASSA-PSS PKCS#8 document; give it the RSAPrivateKey inside
    // (the OCTET STRING at the end: PKCS#8 v1 without attributes).
    let info = x509_parser::der_parser::parse_der(RSA_PSS_SERVER_KEY)
        .unwrap()
        .1;
    let fields = info.as_sequence().unwrap();
    let inner = fields[2].as_slice().unwrap();
    assert!(ring::signature::RsaKeyPair::from_pkcs8(RSA_PSS_SERVER_KEY).is_err());
    let pair = ring::signature::RsaKeyPair::from_der(inner).unwrap();
    let public = certificate_public_key(RSA_PSS_SERVER_CERT);
    assert_eq!(pair.public().as_ref(), public.as_slice());
    let message = certificate_verify_content(&bytes(16, 32));
    for scheme in [
        SignatureScheme::RsaPssPssSha256,
        SignatureScheme::RsaPssPssSha384,
        SignatureScheme::RsaPssPssSha512,
    ] {
        let mut signature = vec![0u8; pair.public().modulus_len()];
        let ring_rng = ring::rand::SystemRandom::new();
        let padding = ring_rsa_signing(scheme);
        pair.sign(padding, &ring_rng, &message, &mut signature)
            .unwrap();
        assert_verifies(scheme, &public, &message, &signature);
    }
}

#[test]
fn ecdsa_and_ed25519_signing_draw_no_randomness() {
    // ECDSA uses RFC 6979 nonces and Ed25519 is deterministic: different RNGs, same bytes.
    let (p256, _) = ring_ecdsa_key(&ring::signature::ECDSA_P256_SHA256_ASN1_SIGNING);
    let (ed25519, _) = ring_ed25519_key();
    let (p384, _) = ring_ecdsa_key(&ring::signature::ECDSA_P384_SHA384_ASN1_SIGNING);
    for (pkcs8, scheme) in [
        (p256, SignatureScheme::EcdsaSecp256r1Sha256),
        (p384, SignatureScheme::EcdsaSecp384r1Sha384),
        (ed25519, SignatureScheme::Ed25519),
    ] {
        let key = RustCryptoProvider.load_signing_key(&pkcs8).unwrap();
        let a = key.sign(scheme, b"content", &mut TestRng::new(1)).unwrap();
        let b = key.sign(scheme, b"content", &mut TestRng::new(2)).unwrap();
        assert_eq!(a, b, "{scheme:?}");
    }
}

#[test]
fn rsa_loads_from_pkcs1_too() {
    use rsa::pkcs1::EncodeRsaPrivateKey;
    use rsa::pkcs8::DecodePrivateKey;
    let key = rsa::PrivateKey::from_pkcs8_der(rsa_test_key_pkcs8()).unwrap();
    let pkcs1 = key.to_pkcs1_der().unwrap();
    let ours = RustCryptoProvider
        .load_signing_key(pkcs1.as_bytes())
        .unwrap();
    let scheme = SignatureScheme::RsaPssRsaeSha256;
    let signature = ours.sign(scheme, b"content", &mut TestRng::new(4)).unwrap();
    let pair = ring::signature::RsaKeyPair::from_pkcs8(rsa_test_key_pkcs8()).unwrap();
    ring_verifies(scheme, pair.public().as_ref(), b"content", &signature);
}

#[test]
fn load_signing_key_refuses_other_keys() {
    // An Ed448 key (RFC 8410 §10.3 layout, id-Ed448 1.3.101.113) is valid PKCS#8 but not
    // a key this provider signs with.
    let mut ed448 = vec![
        0x30, 0x47, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x71, 0x04, 0x3b, 0x04,
        0x39,
    ];
    ed448.extend_from_slice(&[7; 57]);
    for der in [&ed448[..], &[], &[0x30, 0x00], &rsa_test_key_pkcs8()[..100]] {
        let refused = RustCryptoProvider.load_signing_key(der);
        assert_eq!(refused.err(), Some(CryptoError::InvalidKey));
    }
}
