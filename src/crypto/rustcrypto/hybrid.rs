//! The post-quantum hybrid groups X25519MLKEM768 and SecP256r1MLKEM768 (RFC 10024): ML-KEM-768
//! (FIPS 203; RustCrypto's `ml-kem`, or our stack-lean implementation under the `mlkem-lean`
//! feature) joined with the X25519 or P-256 key exchange of `super::kx`. The layout (order and lengths) is [`crate::crypto::hybrid`].
//!
//! ML-KEM is a key-encapsulation mechanism, not a Diffie-Hellman: the two roles differ.
//!
//! - The client generates an ML-KEM key pair and sends the encapsulation key (1184 bytes)
//!   with an ECDH public key ([`start`]); when the ServerHello comes it decapsulates the
//!   server's ciphertext and finishes its ECDH ([`KeyExchange::complete`]).
//! - The server checks the client's encapsulation key (FIPS 203 §7.2's input check),
//!   encapsulates a fresh secret to it, getting a ciphertext (1088 bytes), and makes its
//!   own ECDH key ([`encapsulate`]).
//!
//! Randomness, all from the caller's [`Rng`], in this order: the client draws the 64-byte
//! ML-KEM seed `d ‖ z` (FIPS 203 §7.1, ML-KEM.KeyGen), then its ECDH private key; the server
//! draws the 32-byte message `m` (FIPS 203 §7.2, ML-KEM.Encaps), then its ECDH private key.
//! With a replayed RNG both sides are reproducible, which the walkthrough uses.
//!
//! Refused with [`CryptoError::InvalidPeerKey`] (→ illegal_parameter): a share of the wrong
//! length, an encapsulation key whose coefficients are not all below q = 3329 (FIPS 203
//! §7.2, "modulus check"), and whatever the ECDH part refuses. A ciphertext of the right
//! length is never refused: ML-KEM decapsulation rejects implicitly, giving a pseudorandom
//! secret, and the handshake then fails at the server's Finished.
//!
//! Not here: ML-KEM on its own as a group, and the ML-KEM-1024 hybrids.

use alloc::boxed::Box;
use alloc::vec::Vec;

use zeroize::Zeroizing;

use super::kx;
// ML-KEM-768: RustCrypto's `ml-kem`, or our stack-lean one under `mlkem-lean`; both offer
// the same calls.
#[cfg(feature = "mlkem-lean")]
use super::mlkem768;
#[cfg(not(feature = "mlkem-lean"))]
use super::mlkem768_crate as mlkem768;
use crate::crypto::hybrid::{self, HybridLayout};
use crate::crypto::{CryptoError, KeyExchange, Rng, Secret};
use crate::wire::algorithms::NamedGroup;
use mlkem768::{CIPHERTEXT_LEN, DecapsulationKey, ENCAPSULATION_KEY_LEN};

/// The hybrid groups this module implements, in preference order.
pub(super) const GROUPS: &[NamedGroup] =
    &[NamedGroup::X25519MlKem768, NamedGroup::SecP256r1MlKem768];

/// The client's side: an ML-KEM-768 decapsulation key (in seed form, 96 bytes) and an ECDH
/// key pair.
struct HybridKeyShare {
    layout: &'static HybridLayout,
    mlkem: DecapsulationKey,
    ecdh: Box<dyn KeyExchange>,
    /// The client share: the two public parts in the layout's order. Its ML-KEM part is the
    /// encapsulation key, which decapsulation needs again.
    public: Vec<u8>,
}

/// Starts the client's side of a hybrid key exchange in `group`.
pub(super) fn start(
    group: NamedGroup,
    rng: &mut dyn Rng,
) -> Result<Box<dyn KeyExchange>, CryptoError> {
    let layout = hybrid::layout(group).ok_or(CryptoError::Unsupported)?;
    // FIPS 203 §7.1, ML-KEM.KeyGen: d and z, 32 random bytes each; `generate` is
    // ML-KEM.KeyGen_internal(d, z).
    let mut seed = Zeroizing::new([0u8; mlkem768::SEED_LEN]);
    rng.fill(seed.as_mut_slice())?;
    // The share is made in place: the encapsulation key is written straight into it (not
    // into a 1,184-byte array on the stack first: key generation is the hybrid client's
    // deepest point on a microcontroller, docs/embedded.md).
    let mut public = alloc::vec![0u8; layout.client_share_len()];
    let ecdh_len = public.len() - ENCAPSULATION_KEY_LEN;
    let (mlkem_part, ecdh_part) = if layout.mlkem_first() {
        let (mlkem_part, ecdh_part) = public.split_at_mut(ENCAPSULATION_KEY_LEN);
        (mlkem_part, ecdh_part)
    } else {
        let (ecdh_part, mlkem_part) = public.split_at_mut(ecdh_len);
        (mlkem_part, ecdh_part)
    };
    let encapsulation_key: &mut [u8; ENCAPSULATION_KEY_LEN] = mlkem_part
        .try_into()
        .map_err(|_| CryptoError::Unsupported)?;
    let mlkem = mlkem768::generate(&seed, encapsulation_key);
    let ecdh = kx::start(layout.classical, rng)?;
    if ecdh.public_key().len() != ecdh_part.len() {
        return Err(CryptoError::Unsupported);
    }
    ecdh_part.copy_from_slice(ecdh.public_key());
    Ok(Box::new(HybridKeyShare {
        layout,
        mlkem,
        ecdh,
        public,
    }))
}

impl KeyExchange for HybridKeyShare {
    fn group(&self) -> NamedGroup {
        self.layout.group
    }

    fn public_key(&self) -> &[u8] {
        &self.public
    }

    fn complete(self: Box<Self>, server_share: &[u8]) -> Result<Secret, CryptoError> {
        // RFC 10024: the server share is the ciphertext and the ECDH public key, each of
        // fixed length; anything else is malformed.
        let parts = self
            .layout
            .split_server_share(server_share)
            .ok_or(CryptoError::InvalidPeerKey)?;
        let (ciphertext, ecdh_share) = in_roles(self.layout, parts);
        let ciphertext: &[u8; CIPHERTEXT_LEN] = ciphertext
            .try_into()
            .map_err(|_| CryptoError::InvalidPeerKey)?;
        // Our own encapsulation key, from our share (its length is right by construction).
        let own_parts = self
            .layout
            .split_client_share(&self.public)
            .ok_or(CryptoError::InvalidPeerKey)?;
        let encapsulation_key: &[u8; ENCAPSULATION_KEY_LEN] = in_roles(self.layout, own_parts)
            .0
            .try_into()
            .map_err(|_| CryptoError::InvalidPeerKey)?;
        // FIPS 203 §7.3, ML-KEM.Decaps: no input check is needed on a ciphertext of the right
        // length; a forged one yields the implicit-rejection secret.
        let mlkem_secret = mlkem768::decapsulate(&self.mlkem, encapsulation_key, ciphertext);
        let ecdh_secret = self.ecdh.complete(ecdh_share)?;
        Ok(combined(
            self.layout,
            mlkem_secret.as_slice(),
            ecdh_secret.as_bytes(),
        ))
    }
}

/// The server's side: checks the client's share, encapsulates to its ML-KEM part and
/// completes an ECDH with its other part.
pub(super) fn encapsulate(
    group: NamedGroup,
    client_share: &[u8],
    rng: &mut dyn Rng,
) -> Result<(Vec<u8>, Secret), CryptoError> {
    let layout = hybrid::layout(group).ok_or(CryptoError::Unsupported)?;
    let parts = layout
        .split_client_share(client_share)
        .ok_or(CryptoError::InvalidPeerKey)?;
    let (encapsulation_key, ecdh_share) = in_roles(layout, parts);
    // FIPS 203 §7.2: before ML-KEM.Encaps, the encapsulation key must pass the input
    // checks, its length (type check) and every coefficient below q (modulus check).
    let encapsulation_key: &[u8; ENCAPSULATION_KEY_LEN] = encapsulation_key
        .try_into()
        .map_err(|_| CryptoError::InvalidPeerKey)?;
    if !mlkem768::encapsulation_key_is_valid(encapsulation_key) {
        return Err(CryptoError::InvalidPeerKey);
    }
    // FIPS 203 §7.2, ML-KEM.Encaps: m, 32 random bytes; the rest is
    // ML-KEM.Encaps_internal(ek, m).
    let mut m = Zeroizing::new([0u8; 32]);
    rng.fill(m.as_mut_slice())?;
    let (ciphertext, mlkem_secret) = mlkem768::encapsulate(encapsulation_key, &m);
    let ecdh = kx::start(layout.classical, rng)?;
    let server_share = joined(layout, &ciphertext, ecdh.public_key());
    let ecdh_secret = ecdh.complete(ecdh_share)?;
    Ok((
        server_share,
        combined(layout, mlkem_secret.as_slice(), ecdh_secret.as_bytes()),
    ))
}

/// The two parts of a share named by role, (ML-KEM, ECDH), from their wire order.
fn in_roles<'a>(layout: &HybridLayout, [first, second]: [&'a [u8]; 2]) -> (&'a [u8], &'a [u8]) {
    if layout.mlkem_first() {
        (first, second)
    } else {
        (second, first)
    }
}

/// The ML-KEM and ECDH parts of a share joined in wire order.
fn joined(layout: &HybridLayout, mlkem: &[u8], ecdh: &[u8]) -> Vec<u8> {
    if layout.mlkem_first() {
        [mlkem, ecdh].concat()
    } else {
        [ecdh, mlkem].concat()
    }
}

/// RFC 10024: the shared secret is the two parts' shared secrets concatenated, in the same
/// order as the shares (no KDF: the TLS key schedule's HKDF-Extract is the combiner).
fn combined(layout: &HybridLayout, mlkem: &[u8], ecdh: &[u8]) -> Secret {
    let both = Zeroizing::new(if layout.mlkem_first() {
        [mlkem, ecdh].concat()
    } else {
        [ecdh, mlkem].concat()
    });
    Secret::new(&both)
}

#[cfg(test)]
mod tests;
