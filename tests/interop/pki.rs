//! The test PKI, generated once per run with rcgen (and the `rsa` crate for the RSA key,
//! which ring cannot generate), written as PEM files every peer can read.
//!
//! ```text
//!   ca.pem  "lucid-tls interop CA" (ECDSA P-256, self-signed)
//!    ├── ecdsa.pem / ecdsa.key      server, ECDSA P-256    ┐ subjectAltName: DNS localhost,
//!    ├── rsa.pem / rsa.key          server, RSA 2048 (PSS) ├ IP 127.0.0.1; EKU serverAuth
//!    ├── ed25519.pem / ed25519.key  server, Ed25519        ┘
//!    └── client.pem / client.key    client "interop client", ECDSA P-256; EKU clientAuth
//! ```
//!
//! Keys are PKCS#8 PEM (version 1 for Ed25519, which older peers require). Each chain file holds the end-entity certificate only: every peer
//! is given `ca.pem` as its trust anchor.

use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::sync::OnceLock;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose, SanType,
};

/// The three kinds of server certificate the matrix covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CertKind {
    /// ECDSA P-256: signs ecdsa_secp256r1_sha256.
    Ecdsa,
    /// RSA 2048: signs rsa_pss_rsae_*.
    Rsa,
    /// Ed25519: signs ed25519.
    Ed25519,
}

impl CertKind {
    /// Every kind.
    pub const ALL: [CertKind; 3] = [CertKind::Ecdsa, CertKind::Rsa, CertKind::Ed25519];

    /// The file stem, and the name in results.
    pub fn name(self) -> &'static str {
        match self {
            CertKind::Ecdsa => "ecdsa",
            CertKind::Rsa => "rsa",
            CertKind::Ed25519 => "ed25519",
        }
    }

    /// The TLS signature scheme a peer should end up using with this certificate: the RFC
    /// name, or its prefix for RSA (any rsa_pss_rsae_* hash is right).
    pub fn scheme_prefix(self) -> &'static str {
        match self {
            CertKind::Ecdsa => "ecdsa_secp256r1_sha256",
            CertKind::Rsa => "rsa_pss_rsae_sha",
            CertKind::Ed25519 => "ed25519",
        }
    }

    /// OpenSSL's `-sigalgs` name for the scheme.
    pub fn openssl_sigalg(self) -> &'static str {
        match self {
            CertKind::Ecdsa => "ecdsa_secp256r1_sha256",
            CertKind::Rsa => "rsa_pss_rsae_sha256",
            CertKind::Ed25519 => "ed25519",
        }
    }

    /// GnuTLS's priority string item for the scheme.
    pub fn gnutls_sign(self) -> &'static str {
        match self {
            CertKind::Ecdsa => "SIGN-ECDSA-SECP256R1-SHA256",
            CertKind::Rsa => "SIGN-RSA-PSS-RSAE-SHA256",
            CertKind::Ed25519 => "SIGN-EDDSA-ED25519",
        }
    }
}

/// The generated files.
pub struct Pki {
    pub dir: PathBuf,
    pub ca: PathBuf,
    pub client_cert: PathBuf,
    pub client_key: PathBuf,
}

impl Pki {
    /// The chain file of a server certificate.
    pub fn cert(&self, kind: CertKind) -> PathBuf {
        self.dir.join(format!("{}.pem", kind.name()))
    }

    /// The key file of a server certificate.
    pub fn key(&self, kind: CertKind) -> PathBuf {
        self.dir.join(format!("{}.key", kind.name()))
    }

    /// `--cert C --key K` for examples/server.
    pub fn server_args(&self, kind: CertKind) -> Vec<String> {
        vec![
            "--cert".into(),
            self.cert(kind).display().to_string(),
            "--key".into(),
            self.key(kind).display().to_string(),
        ]
    }
}

/// The PKI of this run, generated on first use.
pub fn pki() -> &'static Pki {
    static PKI: OnceLock<Pki> = OnceLock::new();
    PKI.get_or_init(generate)
}

fn generate() -> Pki {
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    remove_stale(&tmp);
    let dir = tmp.join(format!("interop-pki-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).unwrap();

    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "lucid-tls interop CA");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let ca = CertifiedIssuer::self_signed(ca_params, ca_key).unwrap();
    write("ca.pem", &ca.pem());

    for kind in CertKind::ALL {
        let key = match kind {
            CertKind::Ecdsa => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap(),
            CertKind::Ed25519 => ed25519_key(),
            CertKind::Rsa => rsa_key(),
        };
        let mut params = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
        params
            .subject_alt_names
            .push(SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)));
        params
            .distinguished_name
            .push(DnType::CommonName, format!("localhost ({})", kind.name()));
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let cert = params.signed_by(&key, &ca).unwrap();
        write(&format!("{}.pem", kind.name()), &cert.pem());
        write(&format!("{}.key", kind.name()), &key.serialize_pem());
    }

    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "interop client");
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    let cert = params.signed_by(&key, &ca).unwrap();
    write("client.pem", &cert.pem());
    write("client.key", &key.serialize_pem());

    Pki {
        ca: dir.join("ca.pem"),
        client_cert: dir.join("client.pem"),
        client_key: dir.join("client.key"),
        dir,
    }
}

/// Removes the PKIs of earlier runs whose process has ended (`interop-pki-<pid>`, and no
/// `/proc/<pid>`): a run that is still going keeps its files.
fn remove_stale(tmp: &std::path::Path) {
    let proc = std::path::Path::new("/proc");
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    if !proc.join("self").exists() {
        return; // no way to tell a finished run from a running one
    }
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix("interop-pki-")) else {
            continue;
        };
        if !proc.join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// A fresh Ed25519 key whose PKCS#8 is version 1 (RFC 8410 §7: the seed only). ring writes
/// version 2 (with the public key), which OpenSSL 3.0 and GnuTLS 3.7 cannot read.
fn ed25519_key() -> KeyPair {
    let v2 = KeyPair::generate_for(&rcgen::PKCS_ED25519)
        .unwrap()
        .serialize_der();
    // 30 51 02 01 01 30 05 06 03 2b 65 70 04 22 04 20 <seed: 32 bytes> a1 23 ...
    let seed = &v2[16..48];
    let mut v1 = hex::decode("302e020100300506032b657004220420").unwrap();
    v1.extend_from_slice(seed);
    let der = rustls::pki_types::PrivatePkcs8KeyDer::from(v1.as_slice());
    KeyPair::from_pkcs8_der_and_sign_algo(&der, &rcgen::PKCS_ED25519).unwrap()
}

/// A fresh 2048-bit RSA key, as an rcgen key pair.
fn rsa_key() -> KeyPair {
    use rand_chacha::rand_core::SeedableRng;
    use rsa::pkcs8::EncodePrivateKey;
    let mut seed = [0u8; 32];
    getrandom_seed(&mut seed);
    let mut rng = rand_chacha::ChaCha20Rng::from_seed(seed);
    let key = rsa::PrivateKey::new(&mut rng, 2048).unwrap();
    let der = key.to_pkcs8_der().unwrap();
    let der = rustls::pki_types::PrivatePkcs8KeyDer::from(der.as_bytes());
    KeyPair::from_pkcs8_der_and_sign_algo(&der, &rcgen::PKCS_RSA_SHA256).unwrap()
}

/// A seed from the OS, through lucid-tls's own OS RNG.
fn getrandom_seed(seed: &mut [u8; 32]) {
    use lucid_tls::crypto::Rng;
    lucid_tls::os_rng::OsRng.fill(seed).unwrap();
}
