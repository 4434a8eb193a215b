//! Revocation: caller-supplied CRLs for every certificate on the path, and the policies for
//! unknown status and expired CRLs.

use super::*;

/// root → intermediate (serial 7) → leaf (serial 42).
fn revocation_chain() -> (Cert, Cert, Cert) {
    let root = pki::self_signed(pki::ca_params("Root CA"), Alg::P256);
    let mut params = pki::ca_params("Intermediate CA");
    params.serial_number = Some(7u64.into());
    let intermediate = pki::issue(params, Alg::P256, &root);
    let mut params = pki::server_params(&[HOST]);
    params.serial_number = Some(42u64.into());
    let leaf = pki::issue(params, Alg::P256, &intermediate);
    (root, intermediate, leaf)
}

fn check_with_crls(
    root: &Cert,
    intermediate: &Cert,
    leaf: &Cert,
    crls: &[Vec<u8>],
    adjust: impl FnOnce(&mut Revocation),
) -> Result<ValidatedPath, Error> {
    let mut revocation = Revocation::from_der_crls(crls).unwrap();
    adjust(&mut revocation);
    let verifier = WebPkiServerVerifier::new(validator(&[root]).with_revocation(revocation));
    verifier.validate(&leaf.der, &[&intermediate.der], Some(HOST), NOW)
}

#[test]
fn test_revoked_leaf() {
    let (root, intermediate, leaf) = revocation_chain();
    let crls = [
        pki::crl(&intermediate, &[41, 42], (2028, 1, 1)),
        pki::crl(&root, &[], (2028, 1, 1)),
    ];
    assert_alert(
        check_with_crls(&root, &intermediate, &leaf, &crls, |_| {}),
        AlertDescription::CertificateRevoked,
        "revoked",
    );
    // Not listed: good.
    let crls = [
        pki::crl(&intermediate, &[41], (2028, 1, 1)),
        pki::crl(&root, &[], (2028, 1, 1)),
    ];
    assert!(check_with_crls(&root, &intermediate, &leaf, &crls, |_| {}).is_ok());
}

#[test]
fn test_revoked_intermediate() {
    let (root, intermediate, leaf) = revocation_chain();
    let crls = [
        pki::crl(&intermediate, &[], (2028, 1, 1)),
        pki::crl(&root, &[7], (2028, 1, 1)),
    ];
    assert_alert(
        check_with_crls(&root, &intermediate, &leaf, &crls, |_| {}),
        AlertDescription::CertificateRevoked,
        "revoked",
    );
    // Checking only the end entity misses it, as configured.
    assert!(
        check_with_crls(&root, &intermediate, &leaf, &crls, |r| {
            r.scope = RevocationScope::EndEntityOnly
        })
        .is_ok()
    );
}

#[test]
fn test_unknown_revocation_status_policy() {
    let (root, intermediate, leaf) = revocation_chain();
    // Only the root's CRL: the leaf's status is unknown.
    let crls = [pki::crl(&root, &[], (2028, 1, 1))];
    assert_alert(
        check_with_crls(&root, &intermediate, &leaf, &crls, |_| {}),
        AlertDescription::CertificateUnknown,
        "revocation status",
    );
    assert!(
        check_with_crls(&root, &intermediate, &leaf, &crls, |r| {
            r.unknown_status = UnknownStatus::Accept
        })
        .is_ok()
    );
    // No CRL at all: refused, or accepted under the permissive policy.
    assert_alert(
        check_with_crls(&root, &intermediate, &leaf, &[], |_| {}),
        AlertDescription::CertificateUnknown,
        "revocation status",
    );
    assert!(
        check_with_crls(&root, &intermediate, &leaf, &[], |r| {
            r.unknown_status = UnknownStatus::Accept
        })
        .is_ok()
    );
    // A revoked certificate is refused whatever the unknown-status policy.
    let crls = [pki::crl(&intermediate, &[42], (2028, 1, 1))];
    assert_alert(
        check_with_crls(&root, &intermediate, &leaf, &crls, |r| {
            r.unknown_status = UnknownStatus::Accept
        }),
        AlertDescription::CertificateRevoked,
        "revoked",
    );
}

#[test]
fn test_expired_crl_policy() {
    let (root, intermediate, leaf) = revocation_chain();
    let crls = [
        pki::crl(&intermediate, &[], (2027, 3, 1)),
        pki::crl(&root, &[], (2028, 1, 1)),
    ];
    assert_alert(
        check_with_crls(&root, &intermediate, &leaf, &crls, |_| {}),
        AlertDescription::CertificateUnknown,
        "nextUpdate",
    );
    assert!(
        check_with_crls(&root, &intermediate, &leaf, &crls, |r| {
            r.expired_crl = ExpiredCrl::Accept
        })
        .is_ok()
    );
}

#[test]
fn test_crl_signed_by_the_wrong_key_is_not_trusted() {
    let (root, intermediate, leaf) = revocation_chain();
    // An impostor with the intermediate's name but its own key issues a CRL that says
    // nothing is revoked; it must not count as the leaf's CRL.
    let impostor = pki::self_signed(pki::ca_params("Intermediate CA"), Alg::P256);
    let crls = [
        pki::crl(&impostor, &[], (2028, 1, 1)),
        pki::crl(&root, &[], (2028, 1, 1)),
    ];
    assert_alert(
        check_with_crls(&root, &intermediate, &leaf, &crls, |_| {}),
        AlertDescription::CertificateUnknown,
        "CRL could not be used",
    );
}
