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
//! - `nonce` is 12 bytes the sealer makes itself, never the caller's RNG: a replayed or
//!   deterministic RNG (which this library invites, for tests) must not repeat a nonce under
//!   a long-lived key, where two blobs under one nonce would expose the GCM authentication
//!   key and the XOR of the plaintexts (ticket PSKs). The nonce is synthetic, as in SIV
//!   modes (RFC 5297's idea, not its construction):
//!
//!   ```text
//!     nonce_key = HMAC-SHA256(key, "lucid-tls sealer nonce key")      (once, per sealer)
//!     nonce     = HMAC-SHA256(nonce_key, AAD || plaintext)[0..12]
//!   ```
//!
//!   The same blob content gives the same nonce and the same sealed bytes, which reveals
//!   nothing but that equality; two different contents share a nonce only by a 96-bit
//!   collision of HMAC outputs, about n²/2^97 for n blobs (2^-33 after 2^32 blobs). It
//!   needs no shared counter, so no atomics (`AtomicU64` is missing on thumbv7em and
//!   others) and no lock between the connections that share the sealer through the
//!   config, and nothing to persist: a counter would restart at zero with the process and
//!   repeat nonces under a key kept across restarts. Sealing draws no randomness. Rotate
//!   keys well before 2^32 blobs all the same.
//! - The purpose label in the AAD keeps a ticket from being accepted as a cookie and the
//!   other way round, even if one key were configured for both.
//!
//! Not here: what goes inside (see [`super::ticket::TicketState`] and
//! [`super::cookie::CookieState`]) and expiry, which those states carry and check.

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::crypto::rustcrypto::RustCryptoProvider;
use crate::crypto::{
    AEAD_NONCE_LEN, AEAD_TAG_LEN, Aead, AeadAlgorithm, CryptoProvider, HashAlgorithm, HashOutput,
    Secret,
};
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

/// The label the nonce key is derived under (see the module doc).
const NONCE_KEY_LABEL: &[u8] = b"lucid-tls sealer nonce key";

/// One AES-256-GCM key with its name.
struct NamedKey {
    name: [u8; KEY_NAME_LEN],
    aead: Box<dyn Aead>,
}

/// Seals blobs under a current key and opens blobs sealed under it or an older one.
pub struct Sealer {
    /// The current key first, then older keys still accepted for opening.
    keys: Vec<NamedKey>,
    /// The key the current key's nonces are derived under (see the module doc).
    nonce_key: Secret,
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
    /// named `name`. The key is copied into the provider's AEAD and not kept here; the key
    /// its nonces are derived under is kept (and zeroized on drop).
    pub fn new(
        provider: &dyn CryptoProvider,
        name: [u8; KEY_NAME_LEN],
        key: &[u8; 32],
    ) -> Result<Self, Error> {
        let aead = provider.aead(AeadAlgorithm::Aes256Gcm, key)?;
        let nonce_key = hmac_sha256(key, &[NONCE_KEY_LABEL]);
        Ok(Self {
            keys: alloc::vec![NamedKey { name, aead }],
            nonce_key: Secret::new(nonce_key.as_bytes()),
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

    /// Seals `plaintext` under the current key, with the synthetic nonce of the module doc.
    /// Draws no randomness: the nonce comes from the sealer, never from a connection's RNG.
    pub fn seal(&self, purpose: Purpose, plaintext: &[u8]) -> Result<Vec<u8>, Error> {
        let key = self
            .keys
            .first()
            .ok_or(Error::Misuse("a Sealer needs a key"))?;
        let aad = additional_data(purpose, &key.name);
        let mut nonce = [0u8; AEAD_NONCE_LEN];
        let derived = hmac_sha256(self.nonce_key.as_bytes(), &[&aad, plaintext]);
        for (n, d) in nonce.iter_mut().zip(derived.as_bytes()) {
            *n = *d;
        }
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

/// HMAC-SHA256 of the concatenated `data` under `key`, with the built-in RustCrypto
/// provider: it derives nonces, which need no key of the configured provider's.
fn hmac_sha256(key: &[u8], data: &[&[u8]]) -> HashOutput {
    RustCryptoProvider.hmac(HashAlgorithm::Sha256, key, data)
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
    use crate::crypto::{CryptoError, Rng};
    use crate::server::cookie::CookieIssuer;
    use crate::server::ticket::TicketIssuer;

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
        let sealed = s.seal(Purpose::Ticket, b"resumption state").unwrap();
        assert_eq!(sealed.len(), 16 + SEAL_OVERHEAD);
        assert_eq!(&sealed[..4], &[1; 4]);
        // The nonce is the synthetic one of the module doc.
        let aad = [&b"lucid-tls ticket v1"[..], &[1; 4]].concat();
        let nonce_key = hmac_sha256(&[7; 32], &[NONCE_KEY_LABEL]);
        let nonce = hmac_sha256(nonce_key.as_bytes(), &[&aad, b"resumption state"]);
        assert_eq!(&sealed[4..16], &nonce.as_bytes()[..12]);
        assert_ne!(&sealed[16..32], b"resumption state");
        assert_eq!(
            s.open(Purpose::Ticket, &sealed).unwrap(),
            b"resumption state"
        );
    }

    #[test]
    fn test_parse_rejects_tampering_purpose_and_unknown_key() {
        let s = sealer(1, 7);
        let sealed = s.seal(Purpose::Cookie, b"x").unwrap();
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
        let sealed = old.seal(Purpose::Ticket, b"abc").unwrap();
        let rotated = Sealer::new(&RustCryptoProvider, [2; 4], &[8; 32])
            .unwrap()
            .with_previous_key(&RustCryptoProvider, [1; 4], &[7; 32])
            .unwrap();
        assert_eq!(rotated.open(Purpose::Ticket, &sealed).unwrap(), b"abc");
        let fresh = rotated.seal(Purpose::Ticket, b"abc").unwrap();
        assert_eq!(&fresh[..4], &[2; 4]);
        assert_eq!(old.open(Purpose::Ticket, &fresh), None);
    }

    /// Issue 13 §1 e: a replayed RNG (two connections given the same seed) must not make
    /// the sealer repeat a nonce under its key. Goes through the issuer traits, which still
    /// hand the sealer the connection's RNG.
    #[test]
    fn test_replayed_rng_never_repeats_a_nonce() {
        let s = sealer(1, 7);
        let nonce = |sealed: &[u8]| sealed[KEY_NAME_LEN..KEY_NAME_LEN + AEAD_NONCE_LEN].to_vec();
        let first = TicketIssuer::issue(&s, b"ticket state 1", &mut CountingRng(0)).unwrap();
        let second = TicketIssuer::issue(&s, b"ticket state 2", &mut CountingRng(0)).unwrap();
        assert_ne!(nonce(&first), nonce(&second));
        let cookie = CookieIssuer::issue(&s, b"ticket state 1", &mut CountingRng(0)).unwrap();
        assert_ne!(
            nonce(&cookie),
            nonce(&first),
            "the purpose is in the nonce's input"
        );
        // Equal content under one key gives equal bytes: nothing but that equality shows.
        let again = TicketIssuer::issue(&s, b"ticket state 1", &mut CountingRng(5)).unwrap();
        assert_eq!(again, first);
        assert_eq!(TicketIssuer::open(&s, &second).unwrap(), b"ticket state 2");
    }
}
