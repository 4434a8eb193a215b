//! `Later`: wraps a verifier or signing key that answers at once and makes it answer later
//! (`lucid_tls::connection::deferred`): a verifier answers `Answer::Later`. The test then
//! answers each request with what the wrapped verifier or key says.

use std::sync::Arc;

use lucid_tls::Error;
use lucid_tls::connection::VerifyRequest;
use lucid_tls::crypto::{CryptoError, Rng, SigningKey};
use lucid_tls::time::Time;
use lucid_tls::verify::{Answer, ClientCertVerifier, ServerCertVerifier};
use lucid_tls::wire::algorithms::SignatureScheme;

/// The wrapped verifier or key, deferring.
pub struct Later<T: ?Sized>(pub Arc<T>);

impl<V: ServerCertVerifier + ?Sized> ServerCertVerifier for Later<V> {
    fn verify(&self, _: &[u8], _: &[&[u8]], _: Option<&str>, _: Time) -> Answer {
        Answer::Later
    }
    fn verify_raw_public_key(&self, _: &[u8], _: Option<&str>, _: Time) -> Answer {
        Answer::Later
    }
}

impl<V: ClientCertVerifier + ?Sized> ClientCertVerifier for Later<V> {
    fn verify(&self, _: &[u8], _: &[&[u8]], _: Time) -> Answer {
        Answer::Later
    }
    fn verify_raw_public_key(&self, _: &[u8], _: Time) -> Answer {
        Answer::Later
    }
    fn acceptable_issuers(&self) -> Vec<Vec<u8>> {
        self.0.acceptable_issuers()
    }
    fn certificate_schemes(&self) -> Option<Vec<SignatureScheme>> {
        self.0.certificate_schemes()
    }
}

impl<K: SigningKey + ?Sized> SigningKey for Later<K> {
    fn schemes(&self) -> &[SignatureScheme] {
        self.0.schemes()
    }
    fn sign(
        &self,
        s: SignatureScheme,
        m: &[u8],
        rng: &mut dyn Rng,
    ) -> Result<Vec<u8>, CryptoError> {
        self.0.sign(s, m, rng)
    }
    fn defers(&self) -> bool {
        true
    }
}

/// What `verifier`, answering at once, says to `request`: the verdict to pass to
/// `answer_verification` (a verifier that defers again is a test mistake).
pub fn verdict_of(verifier: &dyn ServerCertVerifier, request: &VerifyRequest) -> Result<(), Error> {
    let intermediates: Vec<&[u8]> = request.intermediates.iter().map(Vec::as_slice).collect();
    match verifier.verify(
        &request.end_entity,
        &intermediates,
        request.server_name.as_deref(),
        request.now,
    ) {
        Answer::Now(verdict) => verdict,
        Answer::Later => Err(Error::Misuse("the wrapped verifier deferred again")),
    }
}
