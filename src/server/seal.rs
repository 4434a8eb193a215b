//! Self-encrypted, self-authenticated blobs: the default format of session tickets
//! ([`super::ticket`]) and HelloRetryRequest cookies ([`super::cookie`]).
//!
//! A server that does not want to keep a database of tickets (or, for cookies, of pending
//! HelloRetryRequests) hands the state to the client instead, sealed so that only the server
//! can read it and nobody can alter it. RFC 9846 §4.7.1 allows exactly this for tickets: "It
//! MAY be either a database lookup key or a self-encrypted and self-authenticated value", and
//! §4.3.2 for cookies: the server can store its state "in the HelloRetryRequest cookie
//! (protected with some suitable integrity protection algorithm)".
//!
//! # Format
//!
//! ```text
//!   sealed = key_name (4 bytes) || nonce (12 bytes) || AES-256-GCM(plaintext) || tag (16 bytes)
//!   AAD    = purpose label ("lucid-tls ticket v1" or "lucid-tls cookie v1") || key_name
//! ```
//!
//! - `key_name` says which key sealed the blob, so that keys can be rotated: a [`Sealer`]
//!   seals with its current key and opens with the current or any previous one.
//! - `nonce` is 12 bytes from the connection's RNG (one draw per blob, documented in
//!   `docs/determinism.md`). Random 96-bit nonces are safe for about 2^32 blobs per key
//!   (NIST SP 800-38D §8.3); rotate keys well before that.
//! - The purpose label in the AAD keeps a ticket from being accepted as a cookie and the
//!   other way round, even if one key were configured for both.
//!
//! Not here: what goes inside (see [`super::ticket::TicketState`] and
//! [`super::cookie::CookieState`]) and expiry, which those states carry and check.

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::crypto::{AEAD_NONCE_LEN, AEAD_TAG_LEN, Aead, AeadAlgorithm, CryptoProvider, Rng};
use crate::error::Error;

/// The length of a key name at the start of every sealed blob.
pub const KEY_NAME_LEN: usize = 4;

/// The bytes a sealed blob adds to its plaintext: key name, nonce and tag.
pub const SEAL_OVERHEAD: usize = KEY_NAME_LEN + AEAD_NONCE_LEN + AEAD_TAG_LEN;

/// What a sealed blob is for; part of its additional data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// A NewSessionTicket's `ticket` (RFC 9846 §4.7.1).
    Ticket,
    /// A HelloRetryRequest's `cookie` (RFC 9846 §4.3.2).
    Cookie,
}

impl Purpose {
    fn label(self) -> &'static [u8] {
        match self {
            Self::Ticket => b"lucid-tls ticket v1",
            Self::Cookie => b"lucid-tls cookie v1",
        }
    }
}

/// One AES-256-GCM key with its name.
struct NamedKey {
    name: [u8; KEY_NAME_LEN],
    aead: Box<dyn Aead>,
}

/// Seals blobs under a current key and opens blobs sealed under it or an older one.
pub struct Sealer {
    /// The current key first, then older keys still accepted for opening.
    keys: Vec<NamedKey>,
}

impl core::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let names: Vec<[u8; KEY_NAME_LEN]> = self.keys.iter().map(|k| k.name).collect();
        f.debug_struct("Sealer")
            .field("key_names", &names)
            .finish_non_exhaustive()
    }
}

impl Sealer {
    /// A sealer whose current key is `key` (32 bytes of secret randomness, AES-256-GCM),
    /// named `name`. The key is copied into the provider's AEAD and not kept here.
    pub fn new(
        provider: &dyn CryptoProvider,
        name: [u8; KEY_NAME_LEN],
        key: &[u8; 32],
    ) -> Result<Self, Error> {
        let aead = provider.aead(AeadAlgorithm::Aes256Gcm, key)?;
        Ok(Self {
            keys: alloc::vec![NamedKey { name, aead }],
        })
    }

    /// Also opens blobs sealed under an older key `name` (after a rotation). New blobs are
    /// still sealed under the key given to [`Sealer::new`].
    pub fn with_previous_key(
        mut self,
        provider: &dyn CryptoProvider,
        name: [u8; KEY_NAME_LEN],
        key: &[u8; 32],
    ) -> Result<Self, Error> {
        let aead = provider.aead(AeadAlgorithm::Aes256Gcm, key)?;
        self.keys.push(NamedKey { name, aead });
        Ok(self)
    }

    /// Wraps the sealer for sharing between a [`crate::server::ServerConfig`]'s users.
    pub fn into_arc(self) -> Arc<Self> {
        Arc::new(self)
    }

    /// Seals `plaintext`, drawing the 12-byte nonce from `rng`.
    pub fn seal(
        &self,
        purpose: Purpose,
        plaintext: &[u8],
        rng: &mut dyn Rng,
    ) -> Result<Vec<u8>, Error> {
        let key = self
            .keys
            .first()
            .ok_or(Error::Misuse("a Sealer needs a key"))?;
        let mut nonce = [0u8; AEAD_NONCE_LEN];
        rng.fill(&mut nonce)?;
        let aad = additional_data(purpose, &key.name);
        let mut sealed = Vec::with_capacity(plaintext.len() + SEAL_OVERHEAD);
        sealed.extend_from_slice(&key.name);
        sealed.extend_from_slice(&nonce);
        let body_start = sealed.len();
        sealed.extend_from_slice(plaintext);
        let tag = key
            .aead
            .seal_in_place(&nonce, &aad, &mut sealed[body_start..])?;
        sealed.extend_from_slice(&tag);
        Ok(sealed)
    }

    /// Opens a blob sealed for `purpose`; `None` if it is too short, names a key we do not
    /// have, or fails authentication. Received bytes: nothing here panics.
    pub fn open(&self, purpose: Purpose, sealed: &[u8]) -> Option<Vec<u8>> {
        let (name, rest) = sealed.split_first_chunk::<KEY_NAME_LEN>()?;
        let (nonce, rest) = rest.split_first_chunk::<AEAD_NONCE_LEN>()?;
        let (body, tag) = rest.split_last_chunk::<AEAD_TAG_LEN>()?;
        let key = self.keys.iter().find(|k| &k.name == name)?;
        let aad = additional_data(purpose, name);
        let mut plaintext = body.to_vec();
        key.aead
            .open_in_place(nonce, &aad, &mut plaintext, tag)
            .ok()?;
        Some(plaintext)
    }
}

/// `purpose label || key_name`.
fn additional_data(purpose: Purpose, name: &[u8; KEY_NAME_LEN]) -> Vec<u8> {
    let mut aad = purpose.label().to_vec();
    aad.extend_from_slice(name);
    aad
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::crypto::CryptoError;
    use crate::crypto::rustcrypto::RustCryptoProvider;

    /// A counting RNG for unit tests: byte i of the stream is `seed + i`.
    pub(crate) struct CountingRng(pub u8);

    impl Rng for CountingRng {
        fn fill(&mut self, dest: &mut [u8]) -> Result<(), CryptoError> {
            for b in dest {
                *b = self.0;
                self.0 = self.0.wrapping_add(1);
            }
            Ok(())
        }
    }

    fn sealer(name: u8, key: u8) -> Sealer {
        Sealer::new(&RustCryptoProvider, [name; 4], &[key; 32]).unwrap()
    }

    #[test]
    fn test_emit_sealed_layout_and_open() {
        let s = sealer(1, 7);
        let sealed = s
            .seal(Purpose::Ticket, b"resumption state", &mut CountingRng(0))
            .unwrap();
        assert_eq!(sealed.len(), 16 + SEAL_OVERHEAD);
        assert_eq!(&sealed[..4], &[1; 4]);
        // The nonce is the RNG's first 12 bytes.
        assert_eq!(&sealed[4..16], &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        assert_ne!(&sealed[16..32], b"resumption state");
        assert_eq!(
            s.open(Purpose::Ticket, &sealed).unwrap(),
            b"resumption state"
        );
    }

    #[test]
    fn test_parse_rejects_tampering_purpose_and_unknown_key() {
        let s = sealer(1, 7);
        let sealed = s.seal(Purpose::Cookie, b"x", &mut CountingRng(9)).unwrap();
        // A cookie is not a ticket.
        assert_eq!(s.open(Purpose::Ticket, &sealed), None);
        for i in 0..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 0x80;
            assert_eq!(s.open(Purpose::Cookie, &bad), None, "byte {i}");
        }
        for len in 0..sealed.len() {
            assert_eq!(s.open(Purpose::Cookie, &sealed[..len]), None, "len {len}");
        }
        // Same name, other key material; and another name altogether.
        assert_eq!(sealer(1, 8).open(Purpose::Cookie, &sealed), None);
        assert_eq!(sealer(2, 7).open(Purpose::Cookie, &sealed), None);
    }

    #[test]
    fn test_parse_rotated_key_still_opens() {
        let old = sealer(1, 7);
        let sealed = old
            .seal(Purpose::Ticket, b"abc", &mut CountingRng(3))
            .unwrap();
        let rotated = Sealer::new(&RustCryptoProvider, [2; 4], &[8; 32])
            .unwrap()
            .with_previous_key(&RustCryptoProvider, [1; 4], &[7; 32])
            .unwrap();
        assert_eq!(rotated.open(Purpose::Ticket, &sealed).unwrap(), b"abc");
        let fresh = rotated
            .seal(Purpose::Ticket, b"abc", &mut CountingRng(3))
            .unwrap();
        assert_eq!(&fresh[..4], &[2; 4]);
        assert_eq!(old.open(Purpose::Ticket, &fresh), None);
    }
}
