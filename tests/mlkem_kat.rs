//! lucid-tls's ML-KEM-768 (its own stack-lean `mlkem768`, through the provider's hybrid group)
//! against FIPS 203's known answers: NIST ACVP keyGen and encapsulation cases, and the
//! walkthrough's values computed by an independent ML-KEM-768 (kyber-py), all in
//! `vectors/mlkem768/acvp-fips203.txt`, which `tools/extract_mlkem_kat.py` extracts from a
//! registry package (never typed in by hand).
//!
//! The cases go through the public provider API, so they also pin how the provider draws
//! its randomness: the client's 64-byte seed is `d ‖ z` (FIPS 203 §7.1, ML-KEM.KeyGen),
//! the server's 32 bytes are `m` (§7.2, ML-KEM.Encaps).

use std::collections::HashMap;

use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::crypto::{CryptoError, CryptoProvider, Rng};
use lucid_tls::wire::algorithms::NamedGroup;

/// One `[title]` block: its fields by name.
type Block = (String, HashMap<String, Vec<u8>>);

fn kat() -> Vec<Block> {
    let text = include_str!("../vectors/mlkem768/acvp-fips203.txt");
    let mut blocks: Vec<Block> = Vec::new();
    for line in text.lines() {
        if let Some(title) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            blocks.push((title.to_string(), HashMap::new()));
        } else if let Some((key, value)) = line.split_once(" = ") {
            let block = blocks.last_mut().expect("a field inside a block");
            block.1.insert(key.to_string(), hex::decode(value).unwrap());
        }
    }
    blocks
}

/// Returns its bytes in order, then fails.
struct Replay(Vec<u8>);

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

/// RFC 7748 §6.1's X25519 private keys (Alice's, Bob's), for the classical half.
const ALICE: &str = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
const BOB: &str = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
const BOB_PUBLIC: &str = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";

/// The encapsulation key the provider's X25519MLKEM768 client share holds for `d ‖ z`.
fn encapsulation_key(d: &[u8], z: &[u8]) -> Vec<u8> {
    let draws = [d, z, &hex::decode(ALICE).unwrap()].concat();
    let client = RustCryptoProvider
        .start_key_exchange(NamedGroup::X25519MlKem768, &mut Replay(draws))
        .unwrap();
    client.public_key()[..1184].to_vec()
}

/// The provider's server side against the encapsulation key `ek` with message `m`: the
/// ciphertext and the ML-KEM shared secret.
fn encapsulate(ek: &[u8], m: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let client_share = [ek, &hex::decode(BOB_PUBLIC).unwrap()].concat();
    let draws = [m, &hex::decode(ALICE).unwrap()].concat();
    let (server_share, secret) = RustCryptoProvider
        .encapsulate(
            NamedGroup::X25519MlKem768,
            &client_share,
            &mut Replay(draws),
        )
        .unwrap();
    (
        server_share[..1088].to_vec(),
        secret.as_bytes()[..32].to_vec(),
    )
}

#[test]
fn keygen_matches_acvp() {
    let cases: Vec<Block> = kat()
        .into_iter()
        .filter(|b| b.0.starts_with("keyGen"))
        .collect();
    assert_eq!(cases.len(), 5);
    for (title, f) in cases {
        assert_eq!(encapsulation_key(&f["d"], &f["z"]), f["ek"], "{title}");
    }
}

#[test]
fn encapsulation_matches_acvp() {
    let cases: Vec<Block> = kat()
        .into_iter()
        .filter(|b| b.0.starts_with("encapsulation"))
        .collect();
    assert_eq!(cases.len(), 5);
    for (title, f) in cases {
        let (c, k) = encapsulate(&f["ek"], &f["m"]);
        assert_eq!(c, f["c"], "{title}: ciphertext");
        assert_eq!(k, f["k"], "{title}: shared secret");
    }
}

#[test]
fn walkthrough_values_match_an_independent_mlkem() {
    let (_, f) = kat().into_iter().find(|b| b.0 == "walkthrough").unwrap();
    assert_eq!(encapsulation_key(&f["d"], &f["z"]), f["ek"]);
    let (c, k) = encapsulate(&f["ek"], &f["m"]);
    assert_eq!((c, k), (f["c"].clone(), f["k"].clone()));
    // The client decapsulates the same secret, and the hybrid secret is ML-KEM's then
    // X25519's (RFC 10024).
    let draws = [&f["d"][..], &f["z"], &hex::decode(ALICE).unwrap()].concat();
    let client = RustCryptoProvider
        .start_key_exchange(NamedGroup::X25519MlKem768, &mut Replay(draws))
        .unwrap();
    let bob_x25519 = RustCryptoProvider
        .start_key_exchange(NamedGroup::X25519, &mut Replay(hex::decode(BOB).unwrap()))
        .unwrap();
    let server_share = [&f["c"][..], bob_x25519.public_key()].concat();
    let secret = client.complete(&server_share).unwrap();
    assert_eq!(&secret.as_bytes()[..32], &f["k"][..]);
    // RFC 7748 §6.1's shared secret of Alice and Bob.
    let x25519 = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
    assert_eq!(hex::encode(&secret.as_bytes()[32..]), x25519);
}
