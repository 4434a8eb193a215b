//! Test support for `rfc8448_key_schedule`: an observer that records a provider's HKDF
//! calls, and an RNG that replays RFC 8448's private keys.

use std::sync::Mutex;

use lucid_tls::crypto::{CryptoError, Rng};

use crate::common::observed_provider::Observer;

// An observer of the provider (`Observed<Recorder>`) that records every HKDF call, so that
// the RFC's PRK, salt, IKM and info can be checked against what the library fed into HKDF,
// not just against its outputs.

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

impl Observer for Recorder {
    fn extracted(&self, salt: &[u8], ikm: &[u8], prk: &[u8]) {
        let call = (salt.to_vec(), ikm.to_vec(), prk.to_vec());
        self.extracts.lock().unwrap().push(call);
    }

    fn expanded(&self, prk: &[u8], info: &[&[u8]], out: &[u8]) {
        let call = (prk.to_vec(), info.concat(), out.to_vec());
        self.expands.lock().unwrap().push(call);
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
