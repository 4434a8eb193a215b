//! Certificate checks, shown: a generated chain and RFC 8448's certificate decoded (with
//! x509-parser, for display only), then lucid-tls' verdict on each of them in a series of
//! situations, with the alert a connection would send.
//!
//! Run with `cargo run --example certificate_check`. docs/certificates.md quotes its output.

#[path = "../tests/x509/pki.rs"]
mod pki;

#[path = "../tests/common/vectors.rs"]
mod rfc8448_vectors;
/// What `pki` expects to find at `crate::common::vectors`.
mod common {
    pub(crate) use super::rfc8448_vectors as vectors;
}

use std::sync::Arc;

use lucid_tls::Error;
use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::time::Time;
use lucid_tls::wire::algorithms::SignatureScheme;
use lucid_tls::x509::{
    CertificateValidator, Purpose, Revocation, TrustAnchors, ValidatedPath, WebPkiClientVerifier,
    WebPkiServerVerifier,
};
use pki::{Alg, NOW};
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::public_key::PublicKey;

fn main() {
    let mut params = pki::ca_params("Example Root CA");
    params.serial_number = Some(1u64.into());
    let root = pki::self_signed(params, Alg::P384);
    let mut params = pki::ca_params("Example Issuing CA");
    params.serial_number = Some(2u64.into());
    let intermediate = pki::issue(params, Alg::P256, &root);
    let mut params = pki::server_params(&["www.example.com", "*.api.example.com", "192.0.2.10"]);
    params.serial_number = Some(1000u64.into());
    let leaf = pki::issue(params, Alg::P256, &intermediate);

    println!("== A generated chain: what the server sends, and the client's trust anchor ==\n");
    describe("Certificate[0] (end entity)", &leaf.der);
    describe("Certificate[1] (intermediate)", &intermediate.der);
    describe("trust anchor (the client's)", &root.der);

    let validator = || {
        let anchors = TrustAnchors::from_der_certificates([&root.der]).unwrap();
        CertificateValidator::new(Arc::new(RustCryptoProvider), anchors)
    };
    let verifier = WebPkiServerVerifier::new(validator());
    let chain: Vec<&[u8]> = vec![&intermediate.der];
    let later = Time::from_unix_secs(2_082_758_400); // 2036-01-01

    println!("== Verdicts (at 2027-06-01 unless said) ==\n");
    let verdict = |what: &str, result: Result<ValidatedPath, Error>| {
        println!("{what:<54} {}", summary(&result));
    };
    verdict(
        "server name www.example.com",
        verifier.validate(&leaf.der, &chain, Some("www.example.com"), NOW),
    );
    verdict(
        "server name v2.api.example.com (wildcard)",
        verifier.validate(&leaf.der, &chain, Some("v2.api.example.com"), NOW),
    );
    verdict(
        "server name a.b.api.example.com",
        verifier.validate(&leaf.der, &chain, Some("a.b.api.example.com"), NOW),
    );
    verdict(
        "server name example.com",
        verifier.validate(&leaf.der, &chain, Some("example.com"), NOW),
    );
    verdict(
        "server address 192.0.2.10",
        verifier.validate(&leaf.der, &chain, Some("192.0.2.10"), NOW),
    );
    verdict(
        "server address 192.0.2.11",
        verifier.validate(&leaf.der, &chain, Some("192.0.2.11"), NOW),
    );
    verdict(
        "at 2036-01-01",
        verifier.validate(&leaf.der, &chain, Some("www.example.com"), later),
    );
    verdict(
        "without the intermediate",
        verifier.validate(&leaf.der, &[], Some("www.example.com"), NOW),
    );
    let stranger = pki::self_signed(pki::ca_params("Stranger CA"), Alg::P256);
    verdict(
        "intermediates reversed, with a stranger and the root",
        verifier.validate(
            &leaf.der,
            &[&root.der, &stranger.der, &intermediate.der],
            Some("www.example.com"),
            NOW,
        ),
    );
    let tampered = pki::corrupt_signature(&leaf.der);
    verdict(
        "leaf signature altered",
        verifier.validate(&tampered, &chain, Some("www.example.com"), NOW),
    );
    let crls = [
        pki::crl(&intermediate, &[1000], (2028, 1, 1)),
        pki::crl(&root, &[], (2028, 1, 1)),
    ];
    let revoking = WebPkiServerVerifier::new(
        validator().with_revocation(Revocation::from_der_crls(crls).unwrap()),
    );
    verdict(
        "with CRLs, the leaf's serial 1000 listed",
        revoking.validate(&leaf.der, &chain, Some("www.example.com"), NOW),
    );
    let crls = [pki::crl(&root, &[], (2028, 1, 1))];
    let partial = WebPkiServerVerifier::new(
        validator().with_revocation(Revocation::from_der_crls(crls).unwrap()),
    );
    verdict(
        "with only the root's CRL (leaf status unknown)",
        partial.validate(&leaf.der, &chain, Some("www.example.com"), NOW),
    );
    let ed25519_only =
        WebPkiServerVerifier::new(validator().with_signature_schemes(&[SignatureScheme::Ed25519]));
    verdict(
        "signature_algorithms_cert = [ed25519]",
        ed25519_only.validate(&leaf.der, &chain, Some("www.example.com"), NOW),
    );
    verdict(
        "as a client certificate (EKU is serverAuth)",
        WebPkiClientVerifier::new(validator()).validate(&leaf.der, &chain, NOW),
    );

    let rfc8448 = pki::rfc8448_certificate("simple", "server");
    println!("\n== RFC 8448 §3: the server's certificate ==\n");
    describe("Certificate[0] (self-signed end entity)", &rfc8448);
    let own_anchor = |min_rsa_bits: usize| {
        let anchors = TrustAnchors::from_der_certificates([&rfc8448]).unwrap();
        CertificateValidator::new(Arc::new(RustCryptoProvider), anchors)
            .with_min_rsa_bits(min_rsa_bits)
    };
    let jan_2019 = Time::from_unix_secs(1_546_300_800);
    let aug_2026 = Time::from_unix_secs(1_785_542_400);
    let verdict = |what: &str, result: Result<ValidatedPath, Error>| {
        println!("{what:<54} {}", summary(&result));
    };
    verdict(
        "its own anchor, RSA >= 1024 bits, 2019-01-01",
        own_anchor(1024).validate(&rfc8448, &[], Purpose::ServerAuth, jan_2019),
    );
    verdict(
        "the same on 2026-08-01",
        own_anchor(1024).validate(&rfc8448, &[], Purpose::ServerAuth, aug_2026),
    );
    verdict(
        "the default RSA floor (2048 bits), 2019-01-01",
        own_anchor(2048).validate(&rfc8448, &[], Purpose::ServerAuth, jan_2019),
    );
    verdict(
        "for the server name \"server\" (RFC 8448's SNI)",
        WebPkiServerVerifier::new(own_anchor(1024)).validate(
            &rfc8448,
            &[],
            Some("server"),
            jan_2019,
        ),
    );
}

/// "accepted: the path" or "refused: alert (reason)".
fn summary(result: &Result<ValidatedPath, Error>) -> String {
    match result {
        Ok(path) => {
            let mut names = vec![subject_of(&path.end_entity)];
            names.extend(path.intermediates.iter().map(|der| subject_of(der)));
            names.push(format!("anchor {}", name_of(&path.anchor_subject)));
            format!("accepted: {}", names.join(" <- "))
        }
        Err(error) => match error {
            Error::PeerMisbehaved { alert, reason } | Error::Incompatible { alert, reason } => {
                format!("refused: {} ({reason})", alert.rfc_name())
            }
            other => format!("refused: {other}"),
        },
    }
}

/// The subject of a DER certificate, as text.
fn subject_of(der: &[u8]) -> String {
    let (_, cert) = X509Certificate::from_der(der).unwrap();
    cert.subject().to_string()
}

/// A DER `Name` given as its contents (how webpki reports an anchor's subject), as text.
/// (Names under 256 bytes, as in this example.)
fn name_of(contents: &[u8]) -> String {
    let mut der = vec![0x30];
    if contents.len() < 0x80 {
        der.push(contents.len() as u8);
    } else {
        der.extend_from_slice(&[0x81, contents.len() as u8]);
    }
    der.extend_from_slice(contents);
    let (_, name) = x509_parser::x509::X509Name::from_der(&der).unwrap();
    name.to_string()
}

/// Prints the fields of `der` that validation looks at.
fn describe(title: &str, der: &[u8]) {
    let (_, cert) = X509Certificate::from_der(der).unwrap();
    println!("{title}");
    println!("  subject           {}", cert.subject());
    println!("  issuer            {}", cert.issuer());
    println!("  serial            {}", cert.raw_serial_as_string());
    println!(
        "  validity          {} .. {}",
        cert.validity().not_before,
        cert.validity().not_after
    );
    let key = match cert.public_key().parsed() {
        Ok(PublicKey::RSA(rsa)) => format!("RSA, {} bits", rsa.key_size()),
        Ok(PublicKey::EC(point)) => {
            let curve = cert
                .public_key()
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok())
                .map(|oid| oid_name(&oid))
                .unwrap_or_default();
            format!("EC {curve}, {} bits", point.key_size())
        }
        _ => oid_name(&cert.public_key().algorithm.algorithm),
    };
    println!("  public key        {key}");
    println!(
        "  signed with       {}",
        oid_name(&cert.signature_algorithm.algorithm)
    );
    if let Ok(Some(bc)) = cert.basic_constraints() {
        let len = bc
            .value
            .path_len_constraint
            .map(|l| format!(", pathLen {l}"))
            .unwrap_or_default();
        println!("  basicConstraints  cA={}{len}", bc.value.ca);
    }
    if let Ok(Some(ku)) = cert.key_usage() {
        println!("  keyUsage          {}", ku.value);
    }
    if let Ok(Some(eku)) = cert.extended_key_usage() {
        let mut purposes = Vec::new();
        if eku.value.server_auth {
            purposes.push("serverAuth");
        }
        if eku.value.client_auth {
            purposes.push("clientAuth");
        }
        println!("  extKeyUsage       {}", purposes.join(", "));
    }
    if let Ok(Some(san)) = cert.subject_alternative_name() {
        let names: Vec<String> = san
            .value
            .general_names
            .iter()
            .map(|n| n.to_string())
            .collect();
        println!("  subjectAltName    {}", names.join(", "));
    }
    println!();
}

/// The short name of an OID (for example `ecdsa-with-SHA256`), from x509-parser's registry.
fn oid_name(oid: &x509_parser::der_parser::oid::Oid<'_>) -> String {
    let registry = x509_parser::objects::oid_registry();
    x509_parser::objects::oid2sn(oid, registry)
        .unwrap_or("?")
        .to_string()
}
