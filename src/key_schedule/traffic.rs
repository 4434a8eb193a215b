//! Traffic secrets and the keys they yield: the write key and IV of RFC 9846 §7.3, and the
//! next generation of an application traffic secret (§7.2, for KeyUpdate, §4.7.3).

use crate::crypto::{
    AEAD_NONCE_LEN, AeadAlgorithm, CryptoError, CryptoProvider, HashAlgorithm, HashOutput, Secret,
};
use crate::error::Error;

use super::finished;
use super::{SecretLabel, expand_reported, hkdf_expand_label_with};

/// The keying material of one direction and epoch: what record protection needs (§5.2).
pub struct TrafficKeys {
    /// `[sender]_write_key`, `key_length` bytes of the AEAD.
    pub key: Secret,
    /// `[sender]_write_iv`, `iv_length` = 12 bytes, XORed with the sequence number to form
    /// each record's nonce (§5.3).
    pub iv: [u8; AEAD_NONCE_LEN],
}

impl core::fmt::Debug for TrafficKeys {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TrafficKeys")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

/// A secret that protects one direction of traffic: `client_early_traffic_secret`, a
/// `[sender]_handshake_traffic_secret`, or (inside an [`ApplicationTrafficSecret`]) a
/// `[sender]_application_traffic_secret_N`.
#[derive(Clone, Debug)]
pub struct TrafficSecret {
    label: SecretLabel,
    hash: HashAlgorithm,
    secret: Secret,
}

impl TrafficSecret {
    pub(super) fn new(label: SecretLabel, hash: HashAlgorithm, secret: Secret) -> Self {
        Self {
            label,
            hash,
            secret,
        }
    }

    /// Which secret this is.
    pub fn label(&self) -> SecretLabel {
        self.label
    }

    /// The hash function of the schedule it came from.
    pub fn hash_algorithm(&self) -> HashAlgorithm {
        self.hash
    }

    /// The secret's bytes, for trace events and key logs.
    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    /// The write key and IV for `aead` (RFC 9846 §7.3):
    ///
    /// ```text
    ///   [sender]_write_key = HKDF-Expand-Label(Secret, "key", "", key_length)
    ///   [sender]_write_iv  = HKDF-Expand-Label(Secret, "iv", "", iv_length)
    /// ```
    pub fn traffic_keys(
        &self,
        provider: &dyn CryptoProvider,
        aead: AeadAlgorithm,
    ) -> Result<TrafficKeys, CryptoError> {
        // One keyed PRK for both.
        let prk = provider.hkdf_prk(self.hash, self.secret.as_bytes())?;
        let mut key = [0u8; 32];
        let key_len = aead.key_len();
        let expanded = hkdf_expand_label_with(&*prk, b"key", b"", &mut key[..key_len]);
        let key_secret = Secret::new(&key[..key_len]);
        zeroize::Zeroize::zeroize(&mut key);
        expanded?;
        let mut iv = [0u8; AEAD_NONCE_LEN];
        hkdf_expand_label_with(&*prk, b"iv", b"", &mut iv)?;
        Ok(TrafficKeys {
            key: key_secret,
            iv,
        })
    }

    /// `finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length)`, with this
    /// secret as the Base Key (RFC 9846 §4.5.3; the Base Keys are listed in §4.5, Table 2).
    pub fn finished_key(&self, provider: &dyn CryptoProvider) -> Result<Secret, CryptoError> {
        finished::finished_key(provider, self.hash, &self.secret)
    }

    /// The Finished `verify_data` this secret's sender puts over `transcript_hash`
    /// (`Transcript-Hash(Handshake Context, Certificate*, CertificateVerify*)`):
    /// `HMAC(finished_key, transcript_hash)` (RFC 9846 §4.5.3).
    pub fn finished_verify_data(
        &self,
        provider: &dyn CryptoProvider,
        transcript_hash: &HashOutput,
    ) -> Result<HashOutput, CryptoError> {
        finished::mac(provider, self.hash, &self.secret, transcript_hash)
    }

    /// Checks a received Finished `verify_data`, in constant time.
    ///
    /// RFC 9846 §4.5.3: "Recipients of Finished messages MUST verify that the contents are
    /// correct and if incorrect MUST terminate the connection with a "decrypt_error" alert."
    pub fn verify_finished(
        &self,
        provider: &dyn CryptoProvider,
        transcript_hash: &HashOutput,
        received: &[u8],
    ) -> Result<(), Error> {
        let expected = self.finished_verify_data(provider, transcript_hash)?;
        finished::check(&expected, received, "Finished verify_data does not match")
    }
}

/// `[sender]_application_traffic_secret_N`: a traffic secret that can move to its next
/// generation.
#[derive(Clone, Debug)]
pub struct ApplicationTrafficSecret {
    current: TrafficSecret,
}

impl ApplicationTrafficSecret {
    /// Generation 0, fresh from the Main Secret.
    pub(super) fn first(label: SecretLabel, hash: HashAlgorithm, secret: Secret) -> Self {
        Self {
            current: TrafficSecret::new(label, hash, secret),
        }
    }

    /// The traffic secret of this generation, for its keys and (post-handshake
    /// authentication) its Finished.
    pub fn traffic(&self) -> &TrafficSecret {
        &self.current
    }

    /// N, the generation: 0 after the handshake, one more after each KeyUpdate.
    pub fn generation(&self) -> u64 {
        match self.current.label {
            SecretLabel::ClientApplicationTraffic(n) | SecretLabel::ServerApplicationTraffic(n) => {
                n
            }
            _ => 0,
        }
    }

    /// `application_traffic_secret_N+1 = HKDF-Expand-Label(application_traffic_secret_N,
    /// "traffic upd", "", Hash.length)` (RFC 9846 §7.2). Consumes generation N, which is
    /// then erased (§7.2: implementations "SHOULD delete
    /// client_/server_application_traffic_secret_N and its associated traffic keys").
    /// Reports the new secret.
    ///
    /// The generation counter saturates at `u64::MAX`; the sender's limit of 2^48-1 key
    /// updates (§4.7.3) is enforced where KeyUpdate is sent.
    pub fn next_generation(
        self,
        provider: &dyn CryptoProvider,
        observe: &mut dyn FnMut(SecretLabel, &Secret),
    ) -> Result<Self, CryptoError> {
        let next = self.generation().saturating_add(1);
        let label = match self.current.label {
            SecretLabel::ServerApplicationTraffic(_) => SecretLabel::ServerApplicationTraffic(next),
            _ => SecretLabel::ClientApplicationTraffic(next),
        };
        let hash = self.current.hash;
        let prk = provider.hkdf_prk(hash, self.current.secret.as_bytes())?;
        let secret = expand_reported(&*prk, hash, label, b"", observe)?;
        Ok(Self {
            current: TrafficSecret::new(label, hash, secret),
        })
    }
}
