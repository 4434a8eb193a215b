//! RFC 8448's certificates through the same validation path (each its own anchor, at a fixed
//! time), and the fuzz target's fixture chains.

use super::*;

/// 2019-01-01T00:00:00Z: RFC 8448 was published this month.
const RFC8448_TIME: Time = Time::from_unix_secs(1_546_300_800);

/// Trusts `der` itself and validates it (RSA 1024-bit keys allowed, as RFC 8448 uses them).
fn validate_self(der: &[u8], purpose: Purpose, now: Time) -> Result<ValidatedPath, Error> {
    let anchors = TrustAnchors::from_der_certificates([der]).unwrap();
    CertificateValidator::new(Arc::new(RustCryptoProvider), anchors)
        .with_min_rsa_bits(1024)
        .validate(der, &[], purpose, now)
}

#[test]
fn test_rfc8448_certificates_validate_as_their_own_anchors() {
    // RFC 8448's certificates are self-signed end-entity certificates (CN=rsa, CN=ecdsa256,
    // CN=client; cA=FALSE; keyUsage with digitalSignature; no subjectAltName, no EKU). The
    // fullest validation they allow is to trust each as its own anchor: its self-signature
    // is then checked with its own key, its validity at the given time, its
    // basicConstraints, keyUsage and EKU.
    let server_rsa = pki::rfc8448_certificate("simple", "server");
    let server_ecdsa = pki::rfc8448_certificate("client_auth", "server");
    let client_rsa = pki::rfc8448_certificate("client_auth", "client");
    assert!(validate_self(&server_rsa, Purpose::ServerAuth, RFC8448_TIME).is_ok());
    assert!(validate_self(&server_ecdsa, Purpose::ServerAuth, RFC8448_TIME).is_ok());
    assert!(validate_self(&client_rsa, Purpose::ClientAuth, RFC8448_TIME).is_ok());

    // notAfter is 2026-07-30T01:23:59Z (2026-07-30T01:24:00Z for CN=ecdsa256).
    let last_second = Time::from_unix_secs(1_785_374_639);
    assert!(validate_self(&server_rsa, Purpose::ServerAuth, last_second).is_ok());
    for der in [&server_rsa, &server_ecdsa, &client_rsa] {
        assert_alert(
            validate_self(
                der,
                Purpose::ServerAuth,
                Time::from_unix_secs(1_785_456_000),
            ),
            AlertDescription::CertificateExpired,
            "after notAfter",
        );
    }
    // Before notBefore (2016-07-30).
    assert_alert(
        validate_self(
            &server_rsa,
            Purpose::ServerAuth,
            Time::from_unix_secs(1_400_000_000),
        ),
        AlertDescription::CertificateExpired,
        "before notBefore",
    );
}

#[test]
fn test_rfc8448_certificates_other_failures() {
    let server_rsa = pki::rfc8448_certificate("simple", "server");
    let client_rsa = pki::rfc8448_certificate("client_auth", "client");
    // With the default 2048-bit RSA floor, their 1024-bit keys are refused.
    let anchors = TrustAnchors::from_der_certificates([&server_rsa]).unwrap();
    let strict = CertificateValidator::new(Arc::new(RustCryptoProvider), anchors);
    assert_alert(
        strict.validate(&server_rsa, &[], Purpose::ServerAuth, RFC8448_TIME),
        AlertDescription::UnsupportedCertificate,
        "RSA key is shorter",
    );
    // The client's certificate does not chain to the server's.
    let anchors = TrustAnchors::from_der_certificates([&server_rsa]).unwrap();
    let v =
        CertificateValidator::new(Arc::new(RustCryptoProvider), anchors).with_min_rsa_bits(1024);
    assert_alert(
        v.validate(&client_rsa, &[], Purpose::ClientAuth, RFC8448_TIME),
        AlertDescription::UnknownCa,
        "unknown issuer",
    );
    // They name no host: the name "server" (RFC 8448's SNI) is not in the certificate.
    let verifier = WebPkiServerVerifier::new(v);
    assert_alert(
        verifier.validate(&server_rsa, &[], Some("server"), RFC8448_TIME),
        AlertDescription::CertificateUnknown,
        "subjectAltName matching",
    );
}

#[test]
fn test_fuzz_fixtures_validate() {
    // The x509_validate fuzz target starts from these (tools/make_fuzz_pki.sh): its seeds
    // reach the end of every check only if the fixture chains are good at its fixed time.
    let fixture = |name: &str| {
        std::fs::read(format!(
            "{}/fuzz/fixtures/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    };
    let (root, intermediate) = (fixture("root.der"), fixture("intermediate.der"));
    let anchors = TrustAnchors::from_der_certificates([&root]).unwrap();
    let validator = || CertificateValidator::new(Arc::new(RustCryptoProvider), anchors.clone());
    let server = WebPkiServerVerifier::new(validator());
    let path = server.validate(
        &fixture("server.der"),
        &[&intermediate],
        Some("fuzz.example"),
        NOW,
    );
    assert_eq!(path.map(|_| ()), Ok(()));
    let client = WebPkiClientVerifier::new(validator());
    assert_eq!(
        client
            .validate(&fixture("client.der"), &[&intermediate], NOW)
            .map(|_| ()),
        Ok(())
    );
    let mut revocation = Revocation::from_der_crls([fixture("intermediate.crl.der")]).unwrap();
    revocation.scope = RevocationScope::EndEntityOnly;
    let revoking = WebPkiServerVerifier::new(validator().with_revocation(revocation));
    let path = revoking.validate(
        &fixture("server.der"),
        &[&intermediate],
        Some("fuzz.example"),
        NOW,
    );
    assert_eq!(path.map(|_| ()), Ok(()));
}
