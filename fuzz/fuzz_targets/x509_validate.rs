//! Any bytes, cut into a certificate chain, given to the certificate validation the engines
//! use: the client's [`WebPkiServerVerifier`] and the server's [`WebPkiClientVerifier`], both
//! through the engine-facing verifier traits, over one [`CertificateValidator`] that trusts
//! the fixture root of `fuzz/fixtures/` (made by `tools/make_fuzz_pki.sh`), at a fixed time.
//! Validation never panics, and every refusal names an alert to send.
//!
//! Input: one selector byte, then up to [`MAX_CERTIFICATES`] certificates, each a 2-byte
//! big-endian length and that many bytes (a short last one takes what is left). The first
//! certificate is the end entity, the others the peer's extra certificates, in any order.
//! The selector's low two bits pick the check:
//!
//! | bits | check |
//! |------|-------|
//! | 0    | server chain for `fuzz.example` (path, then subjectAltName) |
//! | 1    | server chain without the name check |
//! | 2    | client chain (clientAuth) |
//! | 3    | server chain, with the intermediate's CRL for the end entity |
#![no_main]

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::time::Time;
use lucid_tls::verify::{Answer, ClientCertVerifier, ServerCertVerifier};
use lucid_tls::x509::{
    CertificateValidator, Revocation, RevocationScope, TrustAnchors, WebPkiClientVerifier,
    WebPkiServerVerifier,
};

/// The most certificates one input is cut into.
const MAX_CERTIFICATES: usize = 8;
/// 2027-06-01T00:00:00Z: within the fixtures' validity.
const NOW: Time = Time::from_unix_secs(1_811_808_000);
/// The name the fixture server certificate carries.
const SERVER_NAME: &str = "fuzz.example";

/// The verifiers, built once.
struct Verifiers {
    named: WebPkiServerVerifier,
    unnamed: WebPkiServerVerifier,
    client: WebPkiClientVerifier,
    revoking: WebPkiServerVerifier,
}

fn validator() -> CertificateValidator {
    let anchors = TrustAnchors::from_der_certificates([include_bytes!("../fixtures/root.der")])
        .expect("the fixture root is a trust anchor");
    CertificateValidator::new(Arc::new(RustCryptoProvider), anchors)
}

fn verifiers() -> &'static Verifiers {
    static VERIFIERS: OnceLock<Verifiers> = OnceLock::new();
    VERIFIERS.get_or_init(|| {
        let mut revocation =
            Revocation::from_der_crls([include_bytes!("../fixtures/intermediate.crl.der")])
                .expect("the fixture CRL parses");
        revocation.scope = RevocationScope::EndEntityOnly;
        Verifiers {
            named: WebPkiServerVerifier::new(validator()),
            unnamed: WebPkiServerVerifier::without_name_check(validator()),
            client: WebPkiClientVerifier::new(validator()),
            revoking: WebPkiServerVerifier::new(validator().with_revocation(revocation)),
        }
    })
}

/// Cuts `bytes` into length-prefixed certificates.
fn split_chain(mut bytes: &[u8]) -> Vec<&[u8]> {
    let mut chain = Vec::new();
    while chain.len() < MAX_CERTIFICATES {
        let [high, low, rest @ ..] = bytes else { break };
        let len = usize::from(u16::from_be_bytes([*high, *low])).min(rest.len());
        let (certificate, tail) = rest.split_at(len);
        chain.push(certificate);
        bytes = tail;
    }
    chain
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let chain = split_chain(rest);
    let Some((end_entity, intermediates)) = chain.split_first() else {
        return;
    };
    let v = verifiers();
    let result = match selector & 0b11 {
        0 => v
            .named
            .verify(end_entity, intermediates, Some(SERVER_NAME), NOW),
        1 => v.unnamed.verify(end_entity, intermediates, None, NOW),
        2 => v.client.verify(end_entity, intermediates, NOW),
        _ => v
            .revoking
            .verify(end_entity, intermediates, Some(SERVER_NAME), NOW),
    };
    if let Answer::Now(Err(error)) = result {
        assert!(
            error.alert().is_some(),
            "a refused chain names no alert: {error:?}"
        );
    }
});
