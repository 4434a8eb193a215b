//! Server names against subjectAltName: RFC 9525 DNS names and wildcards, IP addresses,
//! and no fallback to the CN.

use super::*;

#[test]
fn test_wrong_host_name() {
    let (root, intermediate, leaf) = chain(Alg::P256, Alg::P256, Alg::P256);
    for name in [
        "example.com",
        "www.example.org",
        "wwww.example.com",
        "www.example.com.evil",
    ] {
        assert_alert(
            check_server(&[&root], &leaf, &[&intermediate], name),
            AlertDescription::CertificateUnknown,
            "subjectAltName matching",
        );
    }
    // Case does not matter (DNS names are case-insensitive).
    assert!(check_server(&[&root], &leaf, &[&intermediate], "WWW.Example.COM").is_ok());
}

#[test]
fn test_ip_address_names() {
    let root = pki::self_signed(pki::ca_params("Root CA"), Alg::P256);
    let leaf = pki::issue(
        pki::server_params(&["192.0.2.1", "2001:db8::1"]),
        Alg::P256,
        &root,
    );
    assert!(check_server(&[&root], &leaf, &[], "192.0.2.1").is_ok());
    assert!(check_server(&[&root], &leaf, &[], "2001:db8:0::1").is_ok());
    for name in ["192.0.2.2", "2001:db8::2", "::ffff:192.0.2.1"] {
        assert_alert(
            check_server(&[&root], &leaf, &[], name),
            AlertDescription::CertificateUnknown,
            "iPAddress",
        );
    }
    // An IP literal is not matched against dNSName entries, nor a DNS name against iPAddress.
    let dns_leaf = pki::issue(
        pki::server_params(&["192.0.2.1.example.com"]),
        Alg::P256,
        &root,
    );
    assert_alert(
        check_server(&[&root], &dns_leaf, &[], "192.0.2.1"),
        AlertDescription::CertificateUnknown,
        "iPAddress",
    );
}

#[test]
fn test_rfc9525_wildcards() {
    let root = pki::self_signed(pki::ca_params("Root CA"), Alg::P256);
    let leaf = pki::issue(pki::server_params(&["*.example.com"]), Alg::P256, &root);
    assert!(check_server(&[&root], &leaf, &[], "www.example.com").is_ok());
    assert!(check_server(&[&root], &leaf, &[], "mail.EXAMPLE.com").is_ok());
    // Exactly one label: not zero, not two.
    for name in ["example.com", "a.b.example.com", "www.example.org"] {
        assert_alert(
            check_server(&[&root], &leaf, &[], name),
            AlertDescription::CertificateUnknown,
            "subjectAltName matching",
        );
    }
    // Only as the whole left-most label: partial and inner wildcards are ignored.
    for (presented, reference) in [
        ("w*.example.com", "www.example.com"),
        ("*w.example.com", "www.example.com"),
        ("www.*.com", "www.example.com"),
        ("*.*.example.com", "a.b.example.com"),
        ("*.com", "example.com"),
    ] {
        let leaf = pki::issue(pki::server_params(&[presented]), Alg::P256, &root);
        assert_alert(
            check_server(&[&root], &leaf, &[], reference),
            AlertDescription::CertificateUnknown,
            "subjectAltName matching",
        );
    }
}

#[test]
fn test_no_common_name_fallback() {
    let root = pki::self_signed(pki::ca_params("Root CA"), Alg::P256);
    let mut params = pki::server_params(&["other.example.com"]);
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, HOST);
    let leaf = pki::issue(params, Alg::P256, &root);
    assert_alert(
        check_server(&[&root], &leaf, &[], HOST),
        AlertDescription::CertificateUnknown,
        "subjectAltName matching",
    );
    let mut params = pki::server_params(&[]);
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, HOST);
    let no_san = pki::issue(params, Alg::P256, &root);
    assert_alert(
        check_server(&[&root], &no_san, &[], HOST),
        AlertDescription::CertificateUnknown,
        "subjectAltName matching",
    );
}

#[test]
fn test_server_name_is_required_unless_waived() {
    let (root, intermediate, leaf) = chain(Alg::P256, Alg::P256, Alg::P256);
    let verifier = server_verifier(&[&root]);
    let err = verifier
        .validate(&leaf.der, &[&intermediate.der], None, NOW)
        .unwrap_err();
    assert!(matches!(err, Error::Misuse(_)), "{err}");
    let err = verifier
        .validate(&leaf.der, &[&intermediate.der], Some("bad name!"), NOW)
        .unwrap_err();
    assert!(matches!(err, Error::Misuse(_)), "{err}");
    let waived = WebPkiServerVerifier::without_name_check(validator(&[&root]));
    assert!(
        waived
            .validate(&leaf.der, &[&intermediate.der], None, NOW)
            .is_ok()
    );
    assert!(
        waived
            .validate(&leaf.der, &[&intermediate.der], Some("other.test"), NOW)
            .is_ok()
    );
}
