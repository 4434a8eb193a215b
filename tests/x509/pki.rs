//! Test PKIs, generated on the fly with rcgen: roots, intermediates and leaves with the key
//! types and signature algorithms of `lucid_tls::x509::signatures`, and CRLs.
//!
//! rcgen (on ring) cannot sign with RSA-PSS, so a certificate issued by an [`Alg::RsaPss`]
//! issuer is first signed with PKCS#1 v1.5 and then re-signed: the signature algorithm in the
//! tbsCertificate and outside it is replaced by RSASSA-PSS/SHA-256, and the new
//! tbsCertificate is signed by lucid-tls' own RSA-PSS signer. RSA keys are generated with
//! the `rsa` crate from a fixed seed (ring cannot generate them).
#![allow(dead_code)]

use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::crypto::{CryptoError, CryptoProvider, Rng};
use lucid_tls::time::Time;
use lucid_tls::wire::algorithms::SignatureScheme;
use rand_chacha::ChaCha20Rng;
use rand_core::{Rng as _, SeedableRng};
use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, DistinguishedName,
    DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyIdMethod, KeyPair, KeyUsagePurpose,
    RevocationReason, RevokedCertParams, SanType, SerialNumber, date_time_ymd,
};

/// The time every test validates at, unless it says otherwise: 2027-06-01T00:00:00Z.
pub const NOW: Time = Time::from_unix_secs(1_811_808_000);

/// The key type of a certificate, and how it signs the certificates it issues.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alg {
    /// ECDSA P-256, signing with ecdsa-with-SHA256.
    P256,
    /// ECDSA P-384, signing with ecdsa-with-SHA384.
    P384,
    /// Ed25519.
    Ed25519,
    /// RSA 2048, signing with sha256WithRSAEncryption.
    RsaSha256,
    /// RSA 2048, signing with sha384WithRSAEncryption.
    RsaSha384,
    /// RSA 2048, signing with sha512WithRSAEncryption.
    RsaSha512,
    /// RSA 2048, signing with RSASSA-PSS/SHA-256 (salt 32).
    RsaPss,
}

/// A deterministic [`Rng`] for lucid-tls' signers.
pub struct TestRng(pub ChaCha20Rng);

impl Rng for TestRng {
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), CryptoError> {
        self.0.fill_bytes(dest);
        Ok(())
    }
}

/// A PKCS#8 private key for `alg`. RSA keys come from a seeded RNG (`seed`), so a test
/// suite generates each of its few RSA keys once per seed.
pub fn private_key(alg: Alg, seed: u64) -> Vec<u8> {
    match alg {
        Alg::P256 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)
            .unwrap()
            .serialize_der(),
        Alg::P384 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384)
            .unwrap()
            .serialize_der(),
        Alg::Ed25519 => KeyPair::generate_for(&rcgen::PKCS_ED25519)
            .unwrap()
            .serialize_der(),
        Alg::RsaSha256 | Alg::RsaSha384 | Alg::RsaSha512 | Alg::RsaPss => rsa_key(seed),
    }
}

/// A 2048-bit RSA key (PKCS#8) from `seed`, generated once per seed and test binary.
fn rsa_key(seed: u64) -> Vec<u8> {
    use rsa::pkcs8::EncodePrivateKey;
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static KEYS: OnceLock<Mutex<HashMap<u64, Vec<u8>>>> = OnceLock::new();
    let keys = KEYS.get_or_init(Default::default);
    let mut keys = keys.lock().unwrap();
    keys.entry(seed)
        .or_insert_with(|| {
            let mut rng = ChaCha20Rng::seed_from_u64(seed);
            let key = rsa::PrivateKey::new(&mut rng, 2048).unwrap();
            key.to_pkcs8_der().unwrap().as_bytes().to_vec()
        })
        .clone()
}

/// The rcgen key pair for a PKCS#8 key, signing as `alg` does (RSA-PSS: PKCS#1 first).
fn key_pair(alg: Alg, pkcs8: &[u8]) -> KeyPair {
    let sign_alg = match alg {
        Alg::P256 => &rcgen::PKCS_ECDSA_P256_SHA256,
        Alg::P384 => &rcgen::PKCS_ECDSA_P384_SHA384,
        Alg::Ed25519 => &rcgen::PKCS_ED25519,
        Alg::RsaSha256 | Alg::RsaPss => &rcgen::PKCS_RSA_SHA256,
        Alg::RsaSha384 => &rcgen::PKCS_RSA_SHA384,
        Alg::RsaSha512 => &rcgen::PKCS_RSA_SHA512,
    };
    KeyPair::from_pkcs8_der_and_sign_algo(&pkcs8.into(), sign_alg).unwrap()
}

/// A certificate with its private key and the parameters it was made from.
pub struct Cert {
    /// The certificate, DER.
    pub der: Vec<u8>,
    /// Its private key, PKCS#8 DER.
    pub key: Vec<u8>,
    /// How its key signs.
    pub alg: Alg,
    /// The parameters it was made from (its issuer-side view: name, key usages).
    pub params: CertificateParams,
}

impl Cert {
    fn issuer(&self) -> Issuer<'_, KeyPair> {
        Issuer::from_params(&self.params, key_pair(self.alg, &self.key))
    }
}

/// Parameters with subject CN=`cn`, valid 2025-01-01 to 2035-01-01, nothing else.
pub fn params(cn: &str) -> CertificateParams {
    let mut params = CertificateParams::default();
    params.distinguished_name = DistinguishedName::new();
    params.distinguished_name.push(DnType::CommonName, cn);
    params.not_before = date_time_ymd(2025, 1, 1);
    params.not_after = date_time_ymd(2035, 1, 1);
    params
}

/// A CA: cA=TRUE without a path length limit, keyUsage keyCertSign + cRLSign.
pub fn ca_params(cn: &str) -> CertificateParams {
    let mut params = params(cn);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params
}

/// A CA whose pathLenConstraint is `len`.
pub fn ca_params_with_path_len(cn: &str, len: u8) -> CertificateParams {
    let mut params = ca_params(cn);
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(len));
    params
}

/// A TLS server leaf for `names` (DNS names or IP literals): cA=FALSE, keyUsage
/// digitalSignature, extendedKeyUsage serverAuth.
pub fn server_params(names: &[&str]) -> CertificateParams {
    let mut params = params(names.first().copied().unwrap_or("server"));
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.subject_alt_names = names
        .iter()
        .map(|name| match name.parse() {
            Ok(ip) => SanType::IpAddress(ip),
            Err(_) => SanType::DnsName((*name).try_into().unwrap()),
        })
        .collect();
    params
}

/// A TLS client leaf: like a server leaf, with clientAuth and no names.
pub fn client_params(cn: &str) -> CertificateParams {
    let mut params = server_params(&[]);
    params.distinguished_name = DistinguishedName::new();
    params.distinguished_name.push(DnType::CommonName, cn);
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    params
}

/// A self-signed certificate with a fresh `alg` key.
pub fn self_signed(params: CertificateParams, alg: Alg) -> Cert {
    let key = private_key(alg, 1);
    let der = params
        .self_signed(&key_pair(alg, &key))
        .unwrap()
        .der()
        .to_vec();
    let der = if alg == Alg::RsaPss {
        resign_pss(&der, &key)
    } else {
        der
    };
    Cert {
        der,
        key,
        alg,
        params,
    }
}

/// A certificate for `params` with a fresh `alg` key (RSA: from `seed`), signed by `issuer`.
pub fn issue_seeded(params: CertificateParams, alg: Alg, seed: u64, issuer: &Cert) -> Cert {
    reissue_with_key(params, alg, &private_key(alg, seed), issuer)
}

/// A certificate for `params` with the existing key `key` (PKCS#8), signed by `issuer`.
pub fn reissue_with_key(params: CertificateParams, alg: Alg, key: &[u8], issuer: &Cert) -> Cert {
    let der = params
        .signed_by(&key_pair(alg, key), &issuer.issuer())
        .unwrap()
        .der()
        .to_vec();
    let der = if issuer.alg == Alg::RsaPss {
        resign_pss(&der, &issuer.key)
    } else {
        der
    };
    Cert {
        der,
        key: key.to_vec(),
        alg,
        params,
    }
}

/// [`issue_seeded`] with seed 2.
pub fn issue(params: CertificateParams, alg: Alg, issuer: &Cert) -> Cert {
    issue_seeded(params, alg, 2, issuer)
}

/// root → "Upper CA" (pathLenConstraint 0) → "Lower CA" → a server leaf for `host`: one
/// intermediate too many for the upper CA. Returns (root, upper, lower, leaf).
pub fn path_len_zero_chain(host: &str) -> (Cert, Cert, Cert, Cert) {
    let root = self_signed(ca_params("Root CA"), Alg::P256);
    let upper = issue(ca_params_with_path_len("Upper CA", 0), Alg::P256, &root);
    let lower = issue(ca_params("Lower CA"), Alg::P256, &upper);
    let leaf = issue(server_params(&[host]), Alg::P256, &lower);
    (root, upper, lower, leaf)
}

/// A CRL from `issuer` revoking `serials`, valid from 2027-01-01 to `next_update`.
pub fn crl(issuer: &Cert, serials: &[u64], next_update: (i32, u8, u8)) -> Vec<u8> {
    let (y, m, d) = next_update;
    CertificateRevocationListParams {
        this_update: date_time_ymd(2027, 1, 1),
        next_update: date_time_ymd(y, m, d),
        crl_number: SerialNumber::from(1),
        issuing_distribution_point: None,
        revoked_certs: serials
            .iter()
            .map(|serial| RevokedCertParams {
                serial_number: SerialNumber::from(*serial),
                revocation_time: date_time_ymd(2027, 2, 1),
                reason_code: Some(RevocationReason::KeyCompromise),
                invalidity_date: None,
            })
            .collect(),
        key_identifier_method: KeyIdMethod::Sha256,
    }
    .signed_by(&issuer.issuer())
    .unwrap()
    .der()
    .to_vec()
}

/// `der` with one bit of its signature flipped (the last byte of the certificate).
pub fn corrupt_signature(der: &[u8]) -> Vec<u8> {
    let mut out = der.to_vec();
    *out.last_mut().unwrap() ^= 0x01;
    out
}

/// The end-entity certificate of one of RFC 8448's Certificate messages (`trace` "simple" or
/// "client_auth", `actor` "server" or "client"). The crate including this module must also
/// include `tests/common`.
pub fn rfc8448_certificate(trace: &str, actor: &str) -> Vec<u8> {
    let message = crate::common::vectors::load(trace)
        .block(actor, "construct a Certificate handshake message")
        .get("Certificate")
        .to_vec();
    // Handshake header (4), empty context (1), list length (3), cert_data length (3).
    let len = u32::from_be_bytes([0, message[8], message[9], message[10]]) as usize;
    message[11..11 + len].to_vec()
}

// ---- RSA-PSS re-signing (DER surgery on a certificate rcgen signed with PKCS#1) ----

/// One DER element at the start of `input`: (header length, total length).
fn tlv(input: &[u8]) -> (usize, usize) {
    let first = input[1] as usize;
    if first < 0x80 {
        return (2, 2 + first);
    }
    let n = first & 0x7f;
    let len = input[2..2 + n]
        .iter()
        .fold(0usize, |acc, b| acc << 8 | *b as usize);
    (2 + n, 2 + n + len)
}

/// A DER element with `tag` and `contents`.
fn encode(tag: u8, contents: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = contents.len();
    if len < 0x80 {
        out.push(len as u8);
    } else if len < 0x100 {
        out.extend_from_slice(&[0x81, len as u8]);
    } else {
        out.extend_from_slice(&[0x82, (len >> 8) as u8, len as u8]);
    }
    out.extend_from_slice(contents);
    out
}

/// Re-signs the certificate `der` with RSASSA-PSS/SHA-256 under `issuer_key` (PKCS#8).
fn resign_pss(der: &[u8], issuer_key: &[u8]) -> Vec<u8> {
    let pss_alg = encode(0x30, rustls_pki_types::alg_id::RSA_PSS_SHA256.as_ref());
    // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
    let (header, _) = tlv(der);
    let cert = &der[header..];
    let (tbs_header, tbs_len) = tlv(cert);
    let tbs = &cert[tbs_header..tbs_len];
    // tbsCertificate ::= SEQUENCE { [0] version, serialNumber, signature, ...rest }
    let (_, version_len) = tlv(tbs);
    let (_, serial_len) = tlv(&tbs[version_len..]);
    let signature_at = version_len + serial_len;
    let (_, signature_len) = tlv(&tbs[signature_at..]);
    let mut new_tbs = tbs[..signature_at].to_vec();
    new_tbs.extend_from_slice(&pss_alg);
    new_tbs.extend_from_slice(&tbs[signature_at + signature_len..]);
    let new_tbs = encode(0x30, &new_tbs);

    let signer = RustCryptoProvider.load_signing_key(issuer_key).unwrap();
    let mut rng = TestRng(ChaCha20Rng::seed_from_u64(7));
    let signature = signer
        .sign(SignatureScheme::RsaPssRsaeSha256, &new_tbs, &mut rng)
        .unwrap();
    let mut bit_string = vec![0x00];
    bit_string.extend_from_slice(&signature);

    let mut body = new_tbs;
    body.extend_from_slice(&pss_alg);
    body.extend_from_slice(&encode(0x03, &bit_string));
    encode(0x30, &body)
}
