//! The crypto provider: the small trait surface through which lucid-tls does all of its
//! cryptography, so that a microcontroller can slot in hardware crypto.
//!
//! TLS 1.3 needs six kinds of primitive, and this module names each of them once:
//!
//! | need (RFC 9846)                        | here                                          |
//! |----------------------------------------|-----------------------------------------------|
//! | transcript hash (§4.1)                 | [`CryptoProvider::hash`] → [`HashContext`]     |
//! | HMAC and HKDF (§7.1, RFC 5869)          | [`CryptoProvider::hmac`], `hkdf_extract/expand`|
//! | record protection (§5.2)               | [`CryptoProvider::aead`] → [`Aead`]            |
//! | (EC)DHE key exchange (§4.3.8, §7.4)    | [`CryptoProvider::start_key_exchange`]         |
//! | hybrid KEM key exchange (RFC 10024)     | the same, and [`CryptoProvider::encapsulate`]  |
//! | CertificateVerify (§4.5.2)             | `verify_signature`, [`SigningKey`]             |
//! | randomness (§C.1)                      | [`Rng`], always supplied by the caller         |
//!
//! Nothing here draws randomness on its own: every random byte (key shares, PSS salts,
//! blinding) comes from the caller's [`Rng`], which is what lets the RFC 8448 traces replay
//! byte for byte. The default implementation, on RustCrypto crates, is in [`rustcrypto`].
//!
//! Not here: certificate parsing and chain validation (see the certificates module), and
//! the key schedule's *order* of derivations (see [`crate::key_schedule`]).

use alloc::boxed::Box;
use alloc::vec::Vec;

use zeroize::Zeroize;

use crate::wire::algorithms::{CipherSuite, NamedGroup, SignatureScheme};

pub mod hybrid;
mod rand_core_rng;
#[cfg(feature = "ring-provider")]
pub mod ring_provider;
pub mod rsassa_pss_key;
pub mod rustcrypto;

/// The `rand_core` that [`RandCoreRng`] takes generators of: the version RustCrypto's crates
/// use, so that one TRNG driver serves both.
pub use rand_core;
pub use rand_core_rng::RandCoreRng;

/// The longest hash output TLS 1.3's suites use (SHA-384).
pub const MAX_HASH_LEN: usize = 48;

/// The longest secret a [`Secret`] holds: the 64-byte shared secret of a hybrid group
/// (RFC 10024: the ML-KEM-768 and the (EC)DH shared secrets, 32 bytes each, joined).
pub const MAX_SECRET_LEN: usize = 64;

/// The tag every AEAD lucid-tls supports appends: 16 bytes for AES-GCM and ChaCha20-Poly1305.
/// Not a TLS 1.3 rule (RFC 9846 §5.2 counts the AEAD's own expansion):
/// TLS_AES_128_CCM_8_SHA256, which lucid-tls does not implement, has 8.
pub const AEAD_TAG_LEN: usize = 16;

/// The per-record nonce length, `iv_length` (RFC 9846 §5.3: max(8, N_MIN) = 12 for all suites).
pub const AEAD_NONCE_LEN: usize = 12;

/// Why a cryptographic operation failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CryptoError {
    /// An AEAD tag did not verify (→ bad_record_mac).
    AeadTagMismatch,
    /// A signature did not verify (→ decrypt_error).
    BadSignature,
    /// A peer's key share or public key was not a valid point/key (→ illegal_parameter).
    InvalidPeerKey,
    /// A key we were given (ours) could not be loaded.
    InvalidKey,
    /// The algorithm, group or scheme is not implemented by this provider.
    Unsupported,
    /// An output length was not possible (for example HKDF-Expand beyond 255 × Hash.length).
    BadLength,
    /// The caller's RNG failed.
    RngFailure,
}

impl core::fmt::Display for CryptoError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::AeadTagMismatch => "a record does not decrypt (its AEAD tag does not verify)",
            Self::BadSignature => "a signature does not verify",
            Self::InvalidPeerKey => "the peer's public key or key share is not a valid key",
            Self::InvalidKey => "one of our keys could not be loaded",
            Self::Unsupported => "the crypto provider does not implement this algorithm",
            Self::BadLength => "an output length the algorithm cannot produce",
            Self::RngFailure => "the random number generator failed",
        })
    }
}

impl core::error::Error for CryptoError {}

/// A cryptographically secure random number generator, supplied by the caller.
///
/// On a host this is typically the OS RNG; on a microcontroller, a hardware TRNG; in tests,
/// a replay of the bytes a published trace used.
pub trait Rng {
    /// Fills `dest` with random bytes.
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), CryptoError>;
}

/// The two hash functions TLS 1.3's suites use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HashAlgorithm {
    /// SHA-256, 32-byte output.
    Sha256,
    /// SHA-384, 48-byte output.
    Sha384,
}

impl HashAlgorithm {
    /// `Hash.length` in the RFC's notation.
    pub fn output_len(self) -> usize {
        match self {
            Self::Sha256 => 32,
            Self::Sha384 => 48,
        }
    }
}

/// The three AEADs that TLS 1.3's mandatory and recommended suites use (RFC 9846 §B.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AeadAlgorithm {
    /// AES-128-GCM, 16-byte key.
    Aes128Gcm,
    /// AES-256-GCM, 32-byte key.
    Aes256Gcm,
    /// ChaCha20-Poly1305, 32-byte key.
    ChaCha20Poly1305,
}

impl AeadAlgorithm {
    /// `key_length` for the traffic key derivation (RFC 9846 §7.3).
    pub fn key_len(self) -> usize {
        match self {
            Self::Aes128Gcm => 16,
            Self::Aes256Gcm | Self::ChaCha20Poly1305 => 32,
        }
    }
}

/// A hash value: a transcript hash, an HMAC, a Finished verify_data. Not secret.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct HashOutput {
    bytes: [u8; MAX_HASH_LEN],
    len: usize,
}

impl HashOutput {
    /// Copies `bytes` (at most [`MAX_HASH_LEN`] of them; longer input is cut to that).
    pub fn new(bytes: &[u8]) -> Self {
        let len = bytes.len().min(MAX_HASH_LEN);
        let mut out = [0u8; MAX_HASH_LEN];
        out[..len].copy_from_slice(&bytes[..len]);
        Self { bytes: out, len }
    }

    /// The value.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

impl core::fmt::Debug for HashOutput {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        for b in self.as_bytes() {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// Secret bytes (a PRK, a traffic secret, a shared secret, a key): zeroized on drop, and
/// never printed by `Debug`.
#[derive(Clone)]
pub struct Secret {
    bytes: [u8; MAX_SECRET_LEN],
    len: usize,
}

impl Secret {
    /// Copies `bytes` (at most [`MAX_SECRET_LEN`] of them; longer input is cut to that).
    pub fn new(bytes: &[u8]) -> Self {
        let len = bytes.len().min(MAX_SECRET_LEN);
        let mut out = [0u8; MAX_SECRET_LEN];
        out[..len].copy_from_slice(&bytes[..len]);
        Self { bytes: out, len }
    }

    /// An all-zero secret of `len` bytes: RFC 9846 §7.1's "0" input of Hash.length.
    pub fn zeros(len: usize) -> Self {
        Self {
            bytes: [0u8; MAX_SECRET_LEN],
            len: len.min(MAX_SECRET_LEN),
        }
    }

    /// The secret's bytes. Handle with care: this is what traces and key logs print.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    /// Compares in constant time (for Finished and PSK binders, RFC 9846 §4.5.3, §4.3.11.2).
    pub fn ct_eq(&self, other: &[u8]) -> bool {
        use subtle::ConstantTimeEq;
        self.as_bytes().ct_eq(other).into()
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.bytes.zeroize();
    }
}

impl core::fmt::Debug for Secret {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Secret({} bytes, redacted)", self.len)
    }
}

/// A running hash that can be forked, as the transcript hash needs (RFC 9846 §4.1): the
/// hash "so far" is read at many points while the transcript keeps growing.
pub trait HashContext: Send + Sync {
    /// Which hash this is.
    fn algorithm(&self) -> HashAlgorithm;
    /// Absorbs more input.
    fn update(&mut self, data: &[u8]);
    /// The hash of everything absorbed so far, leaving the context usable.
    fn current(&self) -> HashOutput;
    /// An independent copy of this context.
    fn fork(&self) -> Box<dyn HashContext>;
}

/// An HKDF PRK whose HMAC is keyed once, for several HKDF-Expand calls (RFC 5869 §2.3):
/// the key schedule expands most secrets more than once (a traffic secret into its key and
/// IV, the Handshake Secret into both handshake traffic secrets), and keying the HMAC is a
/// good part of each expansion's cost. Made by [`CryptoProvider::hkdf_prk`]; its key
/// material is zeroized on drop.
pub trait HkdfPrk {
    /// `HKDF-Expand(PRK, info[0] || info[1] || ..., L = out.len())`; fails with
    /// [`CryptoError::BadLength`] if `L` exceeds 255 × Hash.length.
    fn expand(&self, info: &[&[u8]], out: &mut [u8]) -> Result<(), CryptoError>;
}

/// What [`CryptoProvider::hkdf_prk`] gives by default: the PRK, expanded through
/// [`CryptoProvider::hkdf_expand`] each time.
struct PrkBytes<'a, P: ?Sized> {
    provider: &'a P,
    alg: HashAlgorithm,
    prk: Secret,
}

impl<P: CryptoProvider + ?Sized> HkdfPrk for PrkBytes<'_, P> {
    fn expand(&self, info: &[&[u8]], out: &mut [u8]) -> Result<(), CryptoError> {
        self.provider
            .hkdf_expand(self.alg, self.prk.as_bytes(), info, out)
    }
}

/// An AEAD keyed for one direction and epoch (RFC 9846 §5.2). Operations are in place, so a
/// record buffer can be owned by the caller.
pub trait Aead: Send + Sync {
    /// Which AEAD this is.
    fn algorithm(&self) -> AeadAlgorithm;
    /// Encrypts `in_out` in place and returns the tag.
    fn seal_in_place(
        &self,
        nonce: &[u8; AEAD_NONCE_LEN],
        aad: &[u8],
        in_out: &mut [u8],
    ) -> Result<[u8; AEAD_TAG_LEN], CryptoError>;
    /// Checks `tag` and decrypts `in_out` in place; on failure `in_out` must not be used.
    fn open_in_place(
        &self,
        nonce: &[u8; AEAD_NONCE_LEN],
        aad: &[u8],
        in_out: &mut [u8],
        tag: &[u8; AEAD_TAG_LEN],
    ) -> Result<(), CryptoError>;
}

/// One side's ephemeral key pair, used once (RFC 9846 §4.3.8).
///
/// For an (EC)DHE group either side has one. For a key-encapsulation group (the hybrids
/// of RFC 10024) only the client does: its public key is an encapsulation key, and
/// `complete` decapsulates the server's ciphertext; the server side is
/// [`CryptoProvider::encapsulate`].
pub trait KeyExchange: Send + Sync {
    /// The group of this key.
    fn group(&self) -> NamedGroup;
    /// The encoded public key, as it goes into `KeyShareEntry.key_exchange` (§4.3.8.1–2).
    fn public_key(&self) -> &[u8];
    /// Combines with the peer's share into the shared secret (§7.4), consuming the private
    /// key. Invalid peer keys, an all-zero X25519 result (§7.4.2), and a hybrid server share
    /// of the wrong length are refused with [`CryptoError::InvalidPeerKey`].
    fn complete(self: Box<Self>, peer_public_key: &[u8]) -> Result<Secret, CryptoError>;
}

/// A private key that can sign CertificateVerify messages (RFC 9846 §4.5.2).
pub trait SigningKey: Send + Sync {
    /// The schemes this key can produce, in preference order.
    fn schemes(&self) -> &[SignatureScheme];
    /// Signs `message` with `scheme`. Randomized schemes (RSA-PSS salts, blinding) draw from
    /// `rng`, in that order, so that a recorded salt can be replayed.
    fn sign(
        &self,
        scheme: SignatureScheme,
        message: &[u8],
        rng: &mut dyn Rng,
    ) -> Result<Vec<u8>, CryptoError>;

    /// True if signatures come from outside the engine, later (an HSM, a secure element,
    /// another task): the connection then does not call [`SigningKey::sign`] but pauses
    /// with `Event::SignRequest`, and the caller answers with
    /// `Connection::answer_signature` (see `crate::connection::deferred`). False (sign at
    /// once) by default.
    fn defers(&self) -> bool {
        false
    }
}

/// Everything TLS 1.3 asks of cryptography, behind one object.
pub trait CryptoProvider: Send + Sync {
    /// A fresh running hash.
    fn hash(&self, alg: HashAlgorithm) -> Box<dyn HashContext>;

    /// HMAC(key, concatenation of `data`) (RFC 2104), used for Finished and binders.
    fn hmac(&self, alg: HashAlgorithm, key: &[u8], data: &[&[u8]]) -> HashOutput;

    /// HKDF-Extract(salt, IKM) (RFC 5869 §2.2).
    fn hkdf_extract(&self, alg: HashAlgorithm, salt: &[u8], ikm: &[u8]) -> Secret;

    /// HKDF-Expand(PRK, info, L) (RFC 5869 §2.3), with `info` given in pieces and
    /// `L = out.len()`.
    fn hkdf_expand(
        &self,
        alg: HashAlgorithm,
        prk: &[u8],
        info: &[&[u8]],
        out: &mut [u8],
    ) -> Result<(), CryptoError>;

    /// `prk` keyed for several HKDF-Expand calls. The default keeps a copy of `prk` and
    /// calls [`CryptoProvider::hkdf_expand`] for each; a provider can key its HMAC once.
    /// Fails with [`CryptoError::InvalidKey`] if `prk` is shorter than the hash output.
    fn hkdf_prk<'a>(
        &'a self,
        alg: HashAlgorithm,
        prk: &[u8],
    ) -> Result<Box<dyn HkdfPrk + 'a>, CryptoError> {
        if prk.len() < alg.output_len() {
            return Err(CryptoError::InvalidKey);
        }
        Ok(Box::new(PrkBytes {
            provider: self,
            alg,
            prk: Secret::new(prk),
        }))
    }

    /// An AEAD keyed with `key`.
    fn aead(&self, alg: AeadAlgorithm, key: &[u8]) -> Result<Box<dyn Aead>, CryptoError>;

    /// The groups this provider can compute, in its preference order.
    fn groups(&self) -> &[NamedGroup];

    /// The cipher suites whose AEAD this provider computes, in its preference order. Default
    /// configurations offer no other, and a configuration naming another is refused.
    fn cipher_suites(&self) -> &[CipherSuite];

    /// The signature schemes [`CryptoProvider::verify_signature`] computes, in its
    /// preference order. Default configurations offer no other; any other is
    /// [`CryptoError::Unsupported`].
    fn signature_schemes(&self) -> &[SignatureScheme];

    /// Generates an ephemeral key pair in `group`, drawing its private key from `rng`.
    fn start_key_exchange(
        &self,
        group: NamedGroup,
        rng: &mut dyn Rng,
    ) -> Result<Box<dyn KeyExchange>, CryptoError>;

    /// The server's half of a key exchange in `group` against the client's share: the
    /// server's own share, for the ServerHello's key_share, and the shared secret
    /// (RFC 9846 §4.3.8, §7.4).
    ///
    /// For an (EC)DHE group this is a fresh key pair combined with the client's public key,
    /// which is what the default does. A key-encapsulation group encapsulates to the
    /// client's encapsulation key instead, and its share is the ciphertext (RFC 10024).
    /// A client share that is not a valid key fails with [`CryptoError::InvalidPeerKey`].
    fn encapsulate(
        &self,
        group: NamedGroup,
        client_share: &[u8],
        rng: &mut dyn Rng,
    ) -> Result<(Vec<u8>, Secret), CryptoError> {
        encapsulate_by_key_pair(self, group, client_share, rng)
    }

    /// Verifies `signature` over `message` under `public_key`, which is the contents of a
    /// certificate's `subjectPublicKey` BIT STRING (an RSAPublicKey DER for RSA, a SEC1 point
    /// for ECDSA, 32 raw bytes for Ed25519).
    fn verify_signature(
        &self,
        scheme: SignatureScheme,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), CryptoError>;

    /// Loads a private key from its PKCS#8 DER encoding (or, for RSA, PKCS#1 DER).
    fn load_signing_key(&self, der: &[u8]) -> Result<Box<dyn SigningKey>, CryptoError>;
}

/// [`CryptoProvider::encapsulate`] for an (EC)DHE group: a fresh key pair from
/// `provider`, whose public key is the server's share, combined with the client's.
pub fn encapsulate_by_key_pair<P: CryptoProvider + ?Sized>(
    provider: &P,
    group: NamedGroup,
    client_share: &[u8],
    rng: &mut dyn Rng,
) -> Result<(Vec<u8>, Secret), CryptoError> {
    let key_pair = provider.start_key_exchange(group, rng)?;
    let server_share = key_pair.public_key().to_vec();
    Ok((server_share, key_pair.complete(client_share)?))
}

/// The suites the default client and server configurations offer, before
/// [`keep_supported`] drops those the provider does not compute: AES-128-GCM first.
pub(crate) const DEFAULT_CIPHER_SUITES: &[CipherSuite] = &[
    CipherSuite::TLS_AES_128_GCM_SHA256,
    CipherSuite::TLS_AES_256_GCM_SHA384,
    CipherSuite::TLS_CHACHA20_POLY1305_SHA256,
];

/// The groups the default configurations support, before [`keep_supported`]: the
/// post-quantum hybrid X25519MLKEM768 first (RFC 10024), then X25519, then the P-256 pair.
pub(crate) const DEFAULT_GROUPS: &[NamedGroup] = &[
    NamedGroup::X25519MlKem768,
    NamedGroup::X25519,
    NamedGroup::SecP256r1MlKem768,
    NamedGroup::Secp256r1,
];

/// The groups a default client sends key shares for, before [`keep_supported`]: the hybrid
/// and X25519, as OpenSSL 3.5 and the browsers do, so that a server without the hybrid
/// still answers in one round trip.
#[cfg(all(feature = "client", feature = "x25519"))]
pub(crate) const DEFAULT_KEY_SHARE_GROUPS: &[NamedGroup] =
    &[NamedGroup::X25519MlKem768, NamedGroup::X25519];
/// Without X25519 (feature `x25519`), the default key share is P-256's.
#[cfg(all(feature = "client", not(feature = "x25519")))]
pub(crate) const DEFAULT_KEY_SHARE_GROUPS: &[NamedGroup] = &[NamedGroup::Secp256r1];

/// The signature schemes the default configurations accept from the peer (a client's
/// signature_algorithms, a server's CertificateRequest), before [`keep_supported`]: ECDSA,
/// RSA-PSS for both RSA key types, Ed25519.
pub(crate) const DEFAULT_SIGNATURE_SCHEMES: &[SignatureScheme] = &[
    SignatureScheme::EcdsaSecp256r1Sha256,
    SignatureScheme::EcdsaSecp384r1Sha384,
    SignatureScheme::RsaPssRsaeSha256,
    SignatureScheme::RsaPssRsaeSha384,
    SignatureScheme::RsaPssRsaeSha512,
    SignatureScheme::RsaPssPssSha256,
    SignatureScheme::RsaPssPssSha384,
    SignatureScheme::RsaPssPssSha512,
    SignatureScheme::Ed25519,
];

/// The items of `wanted` that are in `supported`, in `wanted`'s order: how the default
/// configurations keep to what their provider computes (see
/// [`CryptoProvider::cipher_suites`]).
pub(crate) fn keep_supported<T: Copy + PartialEq>(wanted: &[T], supported: &[T]) -> Vec<T> {
    wanted
        .iter()
        .copied()
        .filter(|item| supported.contains(item))
        .collect()
}

/// The AEAD and hash a TLS 1.3 cipher suite names (RFC 9846 §B.4), or `None` for a suite
/// this library does not run.
pub fn suite_algorithms(suite: CipherSuite) -> Option<(AeadAlgorithm, HashAlgorithm)> {
    match suite {
        CipherSuite::TLS_AES_128_GCM_SHA256 => {
            Some((AeadAlgorithm::Aes128Gcm, HashAlgorithm::Sha256))
        }
        CipherSuite::TLS_AES_256_GCM_SHA384 => {
            Some((AeadAlgorithm::Aes256Gcm, HashAlgorithm::Sha384))
        }
        CipherSuite::TLS_CHACHA20_POLY1305_SHA256 => {
            Some((AeadAlgorithm::ChaCha20Poly1305, HashAlgorithm::Sha256))
        }
        _ => None,
    }
}
