//! Cross-check: the certificate fields lucid-tls relies on, as read by the code it uses
//! (rustls-webpki, x509-cert, our keyUsage and name checks, the validator's time and purpose
//! decisions), agree with an independent parser, x509-parser (std-only, tests only).
//!
//! The corpus: RFC 8448's three certificates and a generated set covering every key type and
//! the extensions the validator looks at.

mod common;
#[path = "x509/pki.rs"]
mod pki;

use std::sync::Arc;

use lucid_tls::connection::EndEntityKey;
use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::time::Time;
use lucid_tls::x509::{
    CertificateValidator, Purpose, ReferenceIdentity, TrustAnchors, key_usage, names,
};
use pki::Alg;
use rcgen::{ExtendedKeyUsagePurpose, KeyUsagePurpose};
use x509_parser::extensions::GeneralName;
use x509_parser::prelude::{FromDer, X509Certificate};

/// RFC 8448's certificates (from its Certificate messages).
fn rfc8448_certificates() -> Vec<Vec<u8>> {
    [
        ("simple", "server"),
        ("client_auth", "server"),
        ("client_auth", "client"),
    ]
    .into_iter()
    .map(|(trace, actor)| pki::rfc8448_certificate(trace, actor))
    .collect()
}

/// Generated certificates: every key type, CAs with and without keyUsage, leaves with
/// various keyUsage, extendedKeyUsage and subjectAltName contents.
fn generated_certificates() -> Vec<Vec<u8>> {
    let root = pki::self_signed(pki::ca_params("Cross Root"), Alg::P384);
    let mut out = vec![root.der.clone()];
    for alg in [
        Alg::P256,
        Alg::P384,
        Alg::Ed25519,
        Alg::RsaSha256,
        Alg::RsaPss,
    ] {
        let ca = pki::issue(pki::ca_params(&format!("{alg:?} CA")), alg, &root);
        out.push(ca.der.clone());
        let leaf = pki::issue(
            pki::server_params(&["a.example", "*.b.example", "192.0.2.7", "2001:db8::7"]),
            Alg::P256,
            &ca,
        );
        out.push(leaf.der);
    }
    let mut params = pki::ca_params("No-KU CA");
    params.key_usages = vec![];
    out.push(pki::issue(params, Alg::P256, &root).der);
    let mut params = pki::ca_params("Sign-only CA");
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    out.push(pki::issue(params, Alg::P256, &root).der);
    for (key_usages, ekus) in [
        (
            vec![KeyUsagePurpose::KeyEncipherment],
            vec![ExtendedKeyUsagePurpose::ServerAuth],
        ),
        (vec![], vec![ExtendedKeyUsagePurpose::ClientAuth]),
        (vec![KeyUsagePurpose::DigitalSignature], vec![]),
        (
            vec![
                KeyUsagePurpose::DigitalSignature,
                KeyUsagePurpose::KeyAgreement,
            ],
            vec![
                ExtendedKeyUsagePurpose::ServerAuth,
                ExtendedKeyUsagePurpose::ClientAuth,
            ],
        ),
    ] {
        let mut params = pki::server_params(&["leaf.example"]);
        params.key_usages = key_usages;
        params.extended_key_usages = ekus;
        out.push(pki::issue(params.clone(), Alg::RsaSha256, &root).der);
        // The same, self-signed: it can then be validated against itself.
        out.push(pki::self_signed(params, Alg::Ed25519).der);
    }
    out
}

fn corpus() -> Vec<Vec<u8>> {
    let mut all = rfc8448_certificates();
    all.extend(generated_certificates());
    all
}

fn parse(der: &[u8]) -> X509Certificate<'_> {
    let (rest, cert) = X509Certificate::from_der(der).unwrap();
    assert!(rest.is_empty());
    cert
}

/// The contents of a DER element (what follows its tag and length).
fn contents(der: &[u8]) -> &[u8] {
    let first = der[1] as usize;
    let header = if first < 0x80 { 2 } else { 2 + (first & 0x7f) };
    &der[header..]
}

#[test]
fn test_names_serial_and_key_agree() {
    for der in corpus() {
        let theirs = parse(&der);
        let cert_der = rustls_pki_types::CertificateDer::from(der.as_slice());
        let ours = webpki::EndEntityCert::try_from(&cert_der).unwrap();
        // Issuer matching in path building compares these bytes.
        assert_eq!(ours.subject(), contents(theirs.subject().as_raw()));
        assert_eq!(ours.issuer(), contents(theirs.issuer().as_raw()));
        // CRL lookups compare the serial.
        assert_eq!(ours.serial(), theirs.raw_serial());
        // Signatures are checked with this key; CertificateVerify too (the engine's reader).
        assert_eq!(
            ours.subject_public_key_info().as_ref(),
            theirs.public_key().raw
        );
        let key = EndEntityKey::from_certificate(&der).unwrap();
        assert_eq!(
            key.public_key,
            theirs.public_key().subject_public_key.as_ref()
        );
        // certificate_authorities carries the subject with its header.
        let anchors = TrustAnchors::from_der_certificates([&der]).unwrap();
        assert_eq!(
            anchors.subject_names().next().unwrap(),
            theirs.subject().as_raw()
        );
    }
}

#[test]
fn test_key_usage_agrees() {
    for der in corpus() {
        let theirs = parse(&der);
        let key_usage = theirs.key_usage().unwrap().map(|ext| *ext.value);
        let signs = key_usage.is_none_or(|ku| ku.digital_signature());
        let signs_certificates = key_usage.is_none_or(|ku| ku.key_cert_sign());
        assert_eq!(
            key_usage::check_end_entity(&der).is_ok(),
            signs,
            "{}",
            theirs.subject()
        );
        assert_eq!(
            key_usage::check_issuer(&der).is_ok(),
            signs_certificates,
            "{}",
            theirs.subject()
        );
    }
}

#[test]
fn test_validity_and_purpose_agree() {
    let mut self_issued = 0;
    for der in corpus() {
        let theirs = parse(&der);
        // Only self-issued certificates validate against themselves alone.
        if theirs.subject().as_raw() != theirs.issuer().as_raw() {
            continue;
        }
        self_issued += 1;
        let not_before = theirs.validity().not_before.timestamp() as u64;
        let not_after = theirs.validity().not_after.timestamp() as u64;
        let is_ca = theirs
            .basic_constraints()
            .unwrap()
            .is_some_and(|bc| bc.value.ca);
        let signs = theirs
            .key_usage()
            .unwrap()
            .is_none_or(|ext| ext.value.digital_signature());
        let eku = theirs
            .extended_key_usage()
            .unwrap()
            .map(|ext| ext.value.clone());
        let anchors = TrustAnchors::from_der_certificates([&der]).unwrap();
        let validator = CertificateValidator::new(Arc::new(RustCryptoProvider), anchors)
            .with_min_rsa_bits(1024);
        for (purpose, wanted) in [
            (
                Purpose::ServerAuth,
                eku.as_ref().is_none_or(|e| e.server_auth),
            ),
            (
                Purpose::ClientAuth,
                eku.as_ref().is_none_or(|e| e.client_auth),
            ),
        ] {
            let at = |secs: u64| validator.validate(&der, &[], purpose, Time::from_unix_secs(secs));
            // A CA used as an end entity, or a key that may not sign, fails at any time.
            let acceptable = wanted && !is_ca && signs;
            assert_eq!(at(not_before).is_ok(), acceptable, "{}", theirs.subject());
            assert_eq!(at(not_after).is_ok(), acceptable, "{}", theirs.subject());
            assert!(at(not_before - 1).is_err());
            assert!(at(not_after + 1).is_err());
        }
    }
    // RFC 8448's three, the generated root and four self-signed leaves.
    assert_eq!(self_issued, 8);
}

#[test]
fn test_subject_alt_names_agree() {
    for der in corpus() {
        let theirs = parse(&der);
        let cert_der = rustls_pki_types::CertificateDer::from(der.as_slice());
        let ours = webpki::EndEntityCert::try_from(&cert_der).unwrap();
        let their_names: Vec<GeneralName> = theirs
            .subject_alternative_name()
            .unwrap()
            .map(|ext| ext.value.general_names.clone())
            .unwrap_or_default();
        let their_dns: Vec<&str> = their_names
            .iter()
            .filter_map(|n| match n {
                GeneralName::DNSName(name) => Some(*name),
                _ => None,
            })
            .collect();
        let our_dns: Vec<&str> = ours.valid_dns_names().collect();
        assert_eq!(our_dns, their_dns);
        // Every non-wildcard DNS name and every IP address the certificate lists passes the
        // name check.
        for name in &their_names {
            let reference = match name {
                GeneralName::DNSName(dns) if !dns.starts_with('*') => dns.to_string(),
                GeneralName::DNSName(wildcard) => format!("x{}", &wildcard[1..]),
                GeneralName::IPAddress(bytes) => match bytes.len() {
                    4 => std::net::Ipv4Addr::from(<[u8; 4]>::try_from(*bytes).unwrap()).to_string(),
                    _ => {
                        std::net::Ipv6Addr::from(<[u8; 16]>::try_from(*bytes).unwrap()).to_string()
                    }
                },
                _ => continue,
            };
            let identity = ReferenceIdentity::parse(&reference).unwrap();
            assert!(names::check_name(&der, &identity).is_ok(), "{reference}");
        }
    }
}
