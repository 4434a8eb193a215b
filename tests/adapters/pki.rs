//! One test PKI for every adapter test: an ECDSA P-256 CA and a server certificate it
//! signs for `localhost` and 127.0.0.1, made with rcgen; the configs of both lucid-tls
//! roles and of the rustls peer; the CA as a PEM file for openssl and curl.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use lucid_tls::client::ClientConfig;
use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::server::{CertifiedKey, ServerConfig};
use lucid_tls::x509::{CertificateValidator, TrustAnchors, WebPkiServerVerifier};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose, SanType,
};

/// The PKI's parts.
pub struct Pki {
    pub ca_der: Vec<u8>,
    /// The CA certificate as a PEM file.
    pub ca_pem_path: PathBuf,
    pub server_der: Vec<u8>,
    /// The server key, PKCS#8 PEM.
    pub server_key_pem: String,
}

/// The PKI, made once per test run.
pub fn pki() -> &'static Pki {
    static PKI: OnceLock<Pki> = OnceLock::new();
    PKI.get_or_init(|| {
        let ca_key = KeyPair::generate().unwrap();
        let mut ca_params = CertificateParams::default();
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "lucid-tls adapters test CA");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca = ca_params.self_signed(&ca_key).unwrap();
        let issuer = Issuer::from_params(&ca_params, &ca_key);

        let server_key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
        params
            .subject_alt_names
            .push(SanType::IpAddress([127, 0, 0, 1].into()));
        params
            .distinguished_name
            .push(DnType::CommonName, "localhost");
        let server = params.signed_by(&server_key, &issuer).unwrap();

        let dir = std::env::temp_dir().join(format!("lucid-tls-adapters-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let ca_pem_path = dir.join("ca.pem");
        std::fs::write(&ca_pem_path, ca.pem()).unwrap();
        Pki {
            ca_der: ca.der().to_vec(),
            ca_pem_path,
            server_der: server.der().to_vec(),
            server_key_pem: server_key.serialize_pem(),
        }
    })
}

/// A lucid-tls server config presenting the server certificate.
pub fn server_config() -> ServerConfig {
    let pki = pki();
    let key =
        lucid_tls::pem::signing_key_from_pem(&RustCryptoProvider, pki.server_key_pem.as_bytes())
            .unwrap();
    ServerConfig::new(
        Arc::new(RustCryptoProvider),
        vec![CertifiedKey {
            chain: vec![pki.server_der.clone(), pki.ca_der.clone()],
            raw_public_key: None,
            key,
            server_names: Vec::new(),
        }],
    )
}

/// A lucid-tls client config trusting the CA.
pub fn client_config() -> ClientConfig {
    let anchors = TrustAnchors::from_der_certificates([&pki().ca_der]).unwrap();
    let validator = CertificateValidator::new(Arc::new(RustCryptoProvider), anchors);
    WebPkiServerVerifier::new(validator).into_client_config()
}

/// A rustls server config presenting the same certificate; with `p256_only`, it accepts
/// only P-256 key shares (our client's X25519 share then gets a HelloRetryRequest).
pub fn rustls_server_config(p256_only: bool) -> Arc<rustls::ServerConfig> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let pki = pki();
    let mut provider = rustls::crypto::ring::default_provider();
    if p256_only {
        provider.kx_groups = vec![rustls::crypto::ring::kx_group::SECP256R1];
    }
    let provider = Arc::new(provider);
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(pki.server_der.clone())],
            PrivateKeyDer::from_pem_slice(pki.server_key_pem.as_bytes()).unwrap(),
        )
        .unwrap();
    Arc::new(config)
}
