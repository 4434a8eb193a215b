//! Test support for `rfc8448_key_schedule`: a provider that records its HKDF calls, and an
//! RNG that replays RFC 8448's private keys.

use std::sync::Mutex;

use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::crypto::{
    Aead, AeadAlgorithm, CryptoError, CryptoProvider, HashAlgorithm, HashContext, HashOutput,
    KeyExchange, Rng, Secret, SigningKey,
};
use lucid_tls::wire::algorithms::{CipherSuite, NamedGroup, SignatureScheme};

// A provider that records every HKDF call, so that the RFC's PRK, salt, IKM and info can be
// checked against what the library fed into HKDF, not just against its outputs.

/// One recorded call: (key or salt, info or IKM, output).
pub type Call = (Vec<u8>, Vec<u8>, Vec<u8>);

#[derive(Default)]
pub struct Recorder {
    pub extracts: Mutex<Vec<Call>>,
    pub expands: Mutex<Vec<Call>>,
}

impl Recorder {
    /// The outputs of every recorded call whose first two inputs are `a` and `b`.
    pub fn outputs(calls: &Mutex<Vec<Call>>, a: &[u8], b: &[u8]) -> Vec<Vec<u8>> {
        let calls = calls.lock().unwrap();
        calls
            .iter()
            .filter(|(x, y, _)| x == a && y == b)
            .map(|(_, _, out)| out.clone())
            .collect()
    }
}

impl CryptoProvider for Recorder {
    fn hash(&self, alg: HashAlgorithm) -> Box<dyn HashContext> {
        RustCryptoProvider.hash(alg)
    }
    fn hmac(&self, alg: HashAlgorithm, key: &[u8], data: &[&[u8]]) -> HashOutput {
        RustCryptoProvider.hmac(alg, key, data)
    }
    fn hkdf_extract(&self, alg: HashAlgorithm, salt: &[u8], ikm: &[u8]) -> Secret {
        let out = RustCryptoProvider.hkdf_extract(alg, salt, ikm);
        let call = (salt.to_vec(), ikm.to_vec(), out.as_bytes().to_vec());
        self.extracts.lock().unwrap().push(call);
        out
    }
    fn hkdf_expand(
        &self,
        alg: HashAlgorithm,
        prk: &[u8],
        info: &[&[u8]],
        out: &mut [u8],
    ) -> Result<(), CryptoError> {
        RustCryptoProvider.hkdf_expand(alg, prk, info, out)?;
        let call = (prk.to_vec(), info.concat(), out.to_vec());
        self.expands.lock().unwrap().push(call);
        Ok(())
    }
    fn aead(&self, alg: AeadAlgorithm, key: &[u8]) -> Result<Box<dyn Aead>, CryptoError> {
        RustCryptoProvider.aead(alg, key)
    }
    fn groups(&self) -> &[NamedGroup] {
        RustCryptoProvider.groups()
    }
    fn cipher_suites(&self) -> &[CipherSuite] {
        RustCryptoProvider.cipher_suites()
    }
    fn signature_schemes(&self) -> &[SignatureScheme] {
        RustCryptoProvider.signature_schemes()
    }
    fn start_key_exchange(
        &self,
        group: NamedGroup,
        rng: &mut dyn Rng,
    ) -> Result<Box<dyn KeyExchange>, CryptoError> {
        RustCryptoProvider.start_key_exchange(group, rng)
    }
    fn verify_signature(
        &self,
        scheme: SignatureScheme,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), CryptoError> {
        RustCryptoProvider.verify_signature(scheme, public_key, message, signature)
    }
    fn load_signing_key(&self, der: &[u8]) -> Result<Box<dyn SigningKey>, CryptoError> {
        RustCryptoProvider.load_signing_key(der)
    }
}

/// An RNG that replays the private key printed in the trace.
pub struct Replay(pub Vec<u8>);

impl Rng for Replay {
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), CryptoError> {
        if dest.len() > self.0.len() {
            return Err(CryptoError::RngFailure);
        }
        let rest = self.0.split_off(dest.len());
        dest.copy_from_slice(&self.0);
        self.0 = rest;
        Ok(())
    }
}
