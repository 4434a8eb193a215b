//! (EC)DHE: the ephemeral key shares of the handshake (RFC 9846 §4.3.8) and the shared
//! secret they produce (§7.4), which enters the key schedule as the IKM of the Handshake
//! Secret (§7.1).
//!
//! Two groups, which between them cover what real peers send first:
//!
//! - X25519 (RFC 7748; feature `x25519`, a default): a 32-byte private key, a 32-byte public u-coordinate (§4.3.8.2),
//!   and a shared secret that must not be all zeros (§7.4.2).
//! - secp256r1 (P-256): a private scalar, a 65-byte uncompressed SEC1 point as the public key
//!   (§4.3.8.2), and the x-coordinate of the shared point as the shared secret (§7.4.2).
//!
//! Private keys are drawn from the caller's [`Rng`] as raw bytes, so a test can replay the
//! private keys printed in RFC 8448 and get the RFC's key shares back. Both private key types
//! wipe themselves when dropped, and `complete` consumes them: a key share is used once.
//!
//! Not here: secp384r1, secp521r1, X448, and the FFDHE groups (RFC 7919). The hybrid
//! post-quantum groups, which use these two as their classical part, are in `hybrid`.

use alloc::boxed::Box;

use p256::elliptic_curve::sec1::ToSec1Point;
use zeroize::Zeroizing;

use crate::crypto::{CryptoError, KeyExchange, Rng, Secret};
use crate::wire::algorithms::NamedGroup;

/// The groups this module implements, in preference order: X25519 is faster and harder to
/// get wrong than P-256. (With `mlkem`, the provider's list also has the hybrids.)
#[cfg(all(feature = "x25519", not(feature = "mlkem")))]
pub(super) const GROUPS: &[NamedGroup] = &[NamedGroup::X25519, NamedGroup::Secp256r1];
/// Without the `x25519` feature (and so without `mlkem`): P-256 alone.
#[cfg(not(feature = "x25519"))]
pub(super) const GROUPS: &[NamedGroup] = &[NamedGroup::Secp256r1];

/// Starts a key exchange in `group`, or [`CryptoError::Unsupported`].
pub(super) fn start(
    group: NamedGroup,
    rng: &mut dyn Rng,
) -> Result<Box<dyn KeyExchange>, CryptoError> {
    match group {
        #[cfg(feature = "x25519")]
        NamedGroup::X25519 => Ok(Box::new(X25519KeyShare::generate(rng)?)),
        NamedGroup::Secp256r1 => Ok(Box::new(P256KeyShare::generate(rng)?)),
        _ => Err(CryptoError::Unsupported),
    }
}

/// An X25519 key pair.
#[cfg(feature = "x25519")]
struct X25519KeyShare {
    secret: x25519_dalek::StaticSecret,
    public: [u8; 32],
}

#[cfg(feature = "x25519")]
impl X25519KeyShare {
    /// RFC 7748 §6.1: the private key is 32 random bytes (clamping happens inside the
    /// scalar multiplication, so any 32 bytes are a valid key).
    fn generate(rng: &mut dyn Rng) -> Result<Self, CryptoError> {
        let mut private = Zeroizing::new([0u8; 32]);
        rng.fill(private.as_mut_slice())?;
        // `StaticSecret` rather than `EphemeralSecret` only because the latter can be made
        // from an RNG alone, not from bytes; `complete` still consumes it after one use.
        let secret = x25519_dalek::StaticSecret::from(*private);
        let public = x25519_dalek::PublicKey::from(&secret).to_bytes();
        Ok(Self { secret, public })
    }
}

#[cfg(feature = "x25519")]
impl KeyExchange for X25519KeyShare {
    fn group(&self) -> NamedGroup {
        NamedGroup::X25519
    }

    fn public_key(&self) -> &[u8] {
        &self.public
    }

    fn complete(self: Box<Self>, peer_public_key: &[u8]) -> Result<Secret, CryptoError> {
        // RFC 9846 §4.3.8.2: "For X25519 and X448, the content of the public value is the
        // K_A or K_B value described in Section 6 of [RFC7748]. This is 32 bytes for X25519".
        let peer: [u8; 32] = peer_public_key
            .try_into()
            .map_err(|_| CryptoError::InvalidPeerKey)?;
        let shared = self
            .secret
            .diffie_hellman(&x25519_dalek::PublicKey::from(peer));
        // RFC 9846 §7.4.2: "Implementations MUST check whether the computed Diffie-Hellman
        // shared secret is the all-zero value and abort if so". A low-order peer point
        // produces it; the check is constant time, like the rest of the computation.
        if bool::from(subtle::ConstantTimeEq::ct_eq(
            &shared.as_bytes()[..],
            &[0u8; 32][..],
        )) {
            return Err(CryptoError::InvalidPeerKey);
        }
        Ok(Secret::new(shared.as_bytes()))
    }
}

/// The length of an uncompressed P-256 point: 0x04 || X (32) || Y (32).
const P256_POINT_LEN: usize = 65;

/// SEC1's `legacy_form` byte for an uncompressed point.
const UNCOMPRESSED: u8 = 0x04;

/// A secp256r1 key pair.
struct P256KeyShare {
    secret: p256::SecretKey,
    public: [u8; P256_POINT_LEN],
}

/// How many 32-byte draws to try before deciding the RNG is broken. One draw fails only if
/// it is zero or at least the group order, which has probability below 2^-32; eight failures
/// in a row mean the RNG returns constant or garbage output.
const P256_MAX_DRAWS: usize = 8;

impl P256KeyShare {
    /// Draws 32 bytes and uses them as the private scalar if they are in [1, n-1]; redraws
    /// otherwise (FIPS 186-5 A.4.2, "rejection sampling").
    fn generate(rng: &mut dyn Rng) -> Result<Self, CryptoError> {
        for _ in 0..P256_MAX_DRAWS {
            let mut private = Zeroizing::new(p256::FieldBytes::default());
            rng.fill(private.as_mut_slice())?;
            if let Ok(secret) = p256::SecretKey::from_bytes(&private) {
                let point = secret.public_key().to_sec1_point(false);
                let public = point
                    .as_bytes()
                    .try_into()
                    .map_err(|_| CryptoError::InvalidKey)?;
                return Ok(Self { secret, public });
            }
        }
        Err(CryptoError::RngFailure)
    }
}

impl KeyExchange for P256KeyShare {
    fn group(&self) -> NamedGroup {
        NamedGroup::Secp256r1
    }

    fn public_key(&self) -> &[u8] {
        &self.public
    }

    fn complete(self: Box<Self>, peer_public_key: &[u8]) -> Result<Secret, CryptoError> {
        // RFC 9846 §4.3.8.2: the key_exchange is an UncompressedPointRepresentation,
        // "uint8 legacy_form = 4" followed by X and Y of 32 octets each; TLS 1.3 has "a
        // single point format for each curve", so compressed points are refused.
        if peer_public_key.len() != P256_POINT_LEN || peer_public_key.first() != Some(&UNCOMPRESSED)
        {
            return Err(CryptoError::InvalidPeerKey);
        }
        // RFC 9846 §4.3.8.2: "peers MUST validate each other's public value Q by ensuring
        // that the point is a valid point on the elliptic curve": not the point at infinity,
        // coordinates in range, and on the curve. `from_sec1_bytes` does all three.
        let peer = p256::PublicKey::from_sec1_bytes(peer_public_key)
            .map_err(|_| CryptoError::InvalidPeerKey)?;
        // RFC 9846 §7.4.2: "The shared secret Z is the x-coordinate of the ECDH shared secret
        // elliptic curve point represented as an octet string", leading zeros kept.
        let shared = self.secret.diffie_hellman(&peer);
        Ok(Secret::new(shared.raw_secret_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::hex;

    /// Returns its bytes in order, then fails.
    struct Replay<'a>(&'a [u8]);

    impl Rng for Replay<'_> {
        fn fill(&mut self, dest: &mut [u8]) -> Result<(), CryptoError> {
            if dest.len() > self.0.len() {
                return Err(CryptoError::RngFailure);
            }
            let (now, later) = self.0.split_at(dest.len());
            dest.copy_from_slice(now);
            self.0 = later;
            Ok(())
        }
    }

    #[test]
    fn test_x25519_rfc7748_section_6_1() {
        // RFC 7748 §6.1: Alice's and Bob's key pairs and their shared secret.
        let alice_private = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        let bob_private = hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        let alice = start(NamedGroup::X25519, &mut Replay(&alice_private)).unwrap();
        let bob = start(NamedGroup::X25519, &mut Replay(&bob_private)).unwrap();
        assert_eq!(
            alice.public_key(),
            hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")
        );
        assert_eq!(
            bob.public_key(),
            hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f")
        );
        let bob_public = bob.public_key().to_vec();
        let shared = alice.complete(&bob_public).unwrap();
        assert_eq!(
            shared.as_bytes(),
            hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742")
        );
    }

    #[test]
    fn test_x25519_rfc8448_simple_handshake() {
        // RFC 8448 §3: both ephemeral key pairs, and the shared secret that appears as the
        // IKM of "extract secret "handshake"".
        let client_private =
            hex("49af42ba7f7994852d713ef2784bcbcaa7911de26adc5642cb634540e7ea5005");
        let server_private =
            hex("b1580eeadf6dd589b8ef4f2d5652578cc810e9980191ec8d058308cea216a21e");
        let client = start(NamedGroup::X25519, &mut Replay(&client_private)).unwrap();
        let server = start(NamedGroup::X25519, &mut Replay(&server_private)).unwrap();
        assert_eq!(
            client.public_key(),
            hex("99381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c")
        );
        assert_eq!(
            server.public_key(),
            hex("c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f")
        );
        let (client_public, server_public) =
            (client.public_key().to_vec(), server.public_key().to_vec());
        let ikm = hex("8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d");
        assert_eq!(client.complete(&server_public).unwrap().as_bytes(), ikm);
        assert_eq!(server.complete(&client_public).unwrap().as_bytes(), ikm);
    }

    #[test]
    fn test_x25519_refuses_bad_peer_keys() {
        let fresh = || start(NamedGroup::X25519, &mut Replay(&[7; 32])).unwrap();
        assert_eq!(
            fresh().complete(&[9; 31]).err(),
            Some(CryptoError::InvalidPeerKey)
        );
        assert_eq!(
            fresh().complete(&[9; 33]).err(),
            Some(CryptoError::InvalidPeerKey)
        );
        // u = 0 and u = 1 are low-order points: the shared secret would be all zeros.
        let mut one = [0u8; 32];
        one[0] = 1;
        for low_order in [[0u8; 32], one] {
            assert_eq!(
                fresh().complete(&low_order).err(),
                Some(CryptoError::InvalidPeerKey)
            );
        }
    }

    #[test]
    fn test_p256_known_public_key() {
        // Private key 1 gives the generator G as the public key.
        let mut one = [0u8; 32];
        one[31] = 1;
        let kx = start(NamedGroup::Secp256r1, &mut Replay(&one)).unwrap();
        assert_eq!(kx.group(), NamedGroup::Secp256r1);
        assert_eq!(
            kx.public_key(),
            hex(concat!(
                "04",
                "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
                "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"
            ))
        );
    }

    #[test]
    fn test_p256_redraws_out_of_range_scalars() {
        // Zero and 0xff..ff (above the group order) are refused and redrawn.
        let mut draws = alloc::vec![0u8; 32];
        draws.extend_from_slice(&[0xff; 32]);
        draws.extend_from_slice(&[0x11; 32]);
        let kx = start(NamedGroup::Secp256r1, &mut Replay(&draws)).unwrap();
        let expected = start(NamedGroup::Secp256r1, &mut Replay(&[0x11; 32])).unwrap();
        assert_eq!(kx.public_key(), expected.public_key());
        // A stuck RNG is reported rather than looped on.
        let zeros = [0u8; 32 * P256_MAX_DRAWS];
        assert_eq!(
            start(NamedGroup::Secp256r1, &mut Replay(&zeros)).err(),
            Some(CryptoError::RngFailure)
        );
    }

    #[test]
    fn test_p256_refuses_bad_peer_keys() {
        let fresh = || start(NamedGroup::Secp256r1, &mut Replay(&[0x22; 32])).unwrap();
        let good = fresh().public_key().to_vec();
        // Compressed form of a valid point: 0x02/0x03 || X.
        let compressed = [&[0x02 | (good[64] & 1)][..], &good[1..33]].concat();
        let mut off_curve = good.clone();
        off_curve[64] ^= 1;
        let mut wrong_prefix = good.clone();
        wrong_prefix[0] = 0x06;
        let mut x_too_big = good.clone();
        x_too_big[1..33].fill(0xff);
        for bad in [
            &compressed[..],
            &off_curve,
            &wrong_prefix,
            &x_too_big,
            &[0x00],
            &[0u8; 65],
            &good[..64],
        ] {
            assert_eq!(
                fresh().complete(bad).err(),
                Some(CryptoError::InvalidPeerKey)
            );
        }
        assert!(fresh().complete(&good).is_ok());
    }

    #[test]
    fn test_unsupported_group() {
        for group in [
            NamedGroup::Secp384r1,
            NamedGroup::X448,
            NamedGroup::Ffdhe2048,
        ] {
            assert_eq!(
                start(group, &mut Replay(&[1; 64])).err(),
                Some(CryptoError::Unsupported)
            );
        }
    }
}
