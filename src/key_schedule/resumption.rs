//! The resumption secret and the ticket PSKs derived from it (RFC 9846 §4.7.1).
//!
//! ```text
//!   PSK = HKDF-Expand-Label(resumption_secret, "resumption", ticket_nonce, Hash.length)
//! ```
//!
//! The PSK then starts a later connection's schedule as the input of its Early Secret, with
//! the `"res binder"` binder key.

use crate::crypto::{CryptoError, CryptoProvider, HashAlgorithm, Secret};

use super::{SecretLabel, expand_reported};

/// `resumption_secret`, the last secret of a connection's schedule.
#[derive(Clone, Debug)]
pub struct ResumptionSecret {
    hash: HashAlgorithm,
    secret: Secret,
}

impl ResumptionSecret {
    pub(super) fn new(hash: HashAlgorithm, secret: Secret) -> Self {
        Self { hash, secret }
    }

    /// The hash function of the schedule it came from, which the ticket's PSK keeps.
    /// RFC 9846 §4.7.1: "Any ticket MUST only be resumed with a cipher suite that has the
    /// same KDF hash algorithm as that used to establish the original connection."
    pub fn hash_algorithm(&self) -> HashAlgorithm {
        self.hash
    }

    /// The secret's bytes, for trace events.
    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    /// The PSK of the ticket sent with `ticket_nonce`. Reports
    /// [`SecretLabel::ResumptionPsk`].
    ///
    /// RFC 9846 §4.7.1: "Because the ticket_nonce value is distinct for each
    /// NewSessionTicket message, a different PSK will be derived for each ticket."
    pub fn ticket_psk(
        &self,
        provider: &dyn CryptoProvider,
        ticket_nonce: &[u8],
        observe: &mut dyn FnMut(SecretLabel, &Secret),
    ) -> Result<Secret, CryptoError> {
        let label = SecretLabel::ResumptionPsk;
        let prk = provider.hkdf_prk(self.hash, self.secret.as_bytes())?;
        expand_reported(&*prk, self.hash, label, ticket_nonce, observe)
    }
}
