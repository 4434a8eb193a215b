//! The peer-input paths of the post-quantum hybrid groups X25519MLKEM768 and
//! SecP256r1MLKEM768, through the public provider interface of [`RustCryptoProvider`]: the
//! server's [`CryptoProvider::encapsulate`] given a client share, and the client's
//! [`KeyExchange::complete`] given a server share. Neither panics, a refusal is always
//! [`CryptoError::InvalidPeerKey`] (→ illegal_parameter), and every verdict and secret is
//! the one an independent computation gives:
//!
//! - the ML-KEM-768 part against RustCrypto's `ml-kem`, called here directly: the same
//!   accept/refuse verdict on an encapsulation key (FIPS 203 §7.2's modulus check, also
//!   written out below as a third opinion), the same ciphertext and secret from an
//!   encapsulation, and the same secret from the decapsulation of any 1088-byte ciphertext
//!   (FIPS 203 §6.3's implicit rejection included);
//! - the ECDH part against the provider's classical X25519 or P-256 key exchange with the
//!   same private key;
//! - the layout (which part first, the lengths) against [`lucid_tls::crypto::hybrid`].
//!
//! Built as it is, the provider's ML-KEM-768 *is* `ml-kem`, and the target checks the
//! hybrid code around it. Built with the fuzz crate's feature `mlkem-lean` (lucid-tls's
//! stack-lean ML-KEM-768, `src/crypto/rustcrypto/mlkem768/`), it compares the two
//! implementations in one binary; the CI smoke runs it both ways.
//!
//! Input: one selector byte, then the mode's fields, each cut from the input in order and
//! padded with zeros when the input is short. Bit 0 of the selector picks the group
//! (0: X25519MLKEM768, 1: SecP256r1MLKEM768), the rest, modulo 5, the mode:
//!
//! | mode | fields | what is checked |
//! |------|--------|-----------------|
//! | 0 | `m` (32), then the whole client share (the rest, any length) | the server on any share |
//! | 1 | `m` (32), an encapsulation key (1184) | the server on that key, joined with a valid ECDH part |
//! | 2 | `d ‖ z` (64), then the whole server share (the rest, any length) | the client on any share |
//! | 3 | `d ‖ z` (64), a ciphertext (1088) | the client on that ciphertext, joined with a valid ECDH part |
//! | 4 | `d ‖ z` (64), `m` (32), a position (2), a mask (1) | a whole exchange; the ciphertext's byte at the position XOR the mask |
//!
//! `d ‖ z` is the client's ML-KEM key-generation seed (FIPS 203 §7.1), `m` the server's
//! encapsulation randomness (§7.2). The ECDH private keys are fixed. Seeds from the ACVP
//! known answers in `vectors/mlkem768/` and RFC 8448's X25519 key shares:
//! `tools/fuzz_seeds.py`.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use lucid_tls::crypto::hybrid::{
    self, HybridLayout, HybridPart, MLKEM768_CIPHERTEXT_LEN, MLKEM768_ENCAPSULATION_KEY_LEN,
};
use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::crypto::{CryptoError, CryptoProvider, KeyExchange, Rng, Secret};
use lucid_tls::wire::algorithms::NamedGroup;
use ml_kem::array::Array;
use ml_kem::{Decapsulate, DecapsulationKey, EncapsulationKey, KeyExport, MlKem768};

/// The groups, by bit 0 of the selector.
const GROUPS: [NamedGroup; 2] = [NamedGroup::X25519MlKem768, NamedGroup::SecP256r1MlKem768];
/// The client's ECDH private key (any 32 bytes for X25519; below the order for P-256).
const CLIENT_ECDH_KEY: [u8; 32] = [0x11; 32];
/// The server's ECDH private key.
const SERVER_ECDH_KEY: [u8; 32] = [0x22; 32];
/// q, the ML-KEM modulus (FIPS 203 §2.4).
const Q: u16 = 3329;

/// An [`Rng`] that hands out exactly the bytes it was given, in order, then fails.
struct Scripted(Vec<u8>);

impl Rng for Scripted {
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), CryptoError> {
        if dest.len() > self.0.len() {
            return Err(CryptoError::RngFailure);
        }
        dest.copy_from_slice(&self.0[..dest.len()]);
        self.0.drain(..dest.len());
        Ok(())
    }
}

/// The next `N` bytes of the input, zero-padded if it runs out.
fn take<const N: usize>(input: &mut &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    let n = N.min(input.len());
    out[..n].copy_from_slice(&input[..n]);
    *input = &input[n..];
    out
}

/// Whether a part of a layout's table is the ML-KEM-768 one (by its client share length;
/// the target reads the order from the table, not from `HybridLayout::mlkem_first`).
fn is_mlkem(part: &HybridPart) -> bool {
    part.client_share_len == MLKEM768_ENCAPSULATION_KEY_LEN
}

/// The (ML-KEM, ECDH) parts of a share or secret cut in wire order.
fn in_roles<'a>(layout: &HybridLayout, pieces: [&'a [u8]; 2]) -> (&'a [u8], &'a [u8]) {
    let mlkem_at = usize::from(!is_mlkem(&layout.parts[0]));
    (pieces[mlkem_at], pieces[1 - mlkem_at])
}

/// An ML-KEM part and an ECDH part laid out in the table's order.
fn joined(layout: &HybridLayout, mlkem: &[u8], ecdh: &[u8]) -> Vec<u8> {
    let part_bytes = |part: &HybridPart| if is_mlkem(part) { mlkem } else { ecdh };
    layout.parts.iter().flat_map(part_bytes).copied().collect()
}

/// The provider's `answer` against the reference's `expected`: both accept, with `same`
/// answers, or both refuse, the provider with [`CryptoError::InvalidPeerKey`]. `side`
/// names the side in the panic message. Returns the provider's answer if it accepted.
fn agreed<T, E>(
    side: &str,
    answer: Result<T, CryptoError>,
    expected: Option<E>,
    same: impl FnOnce(&T, &E) -> bool,
) -> Option<T> {
    match (answer, expected) {
        (Ok(answer), Some(expected)) => {
            assert!(
                same(&answer, &expected),
                "the {side}'s answer differs from ml-kem's"
            );
            Some(answer)
        }
        (Err(error), None) => {
            assert_eq!(
                error,
                CryptoError::InvalidPeerKey,
                "the {side}'s refusal is not illegal_parameter"
            );
            None
        }
        (Ok(_), None) => panic!("the {side} accepted a share the reference refuses"),
        (Err(error), Some(_)) => {
            panic!("the {side} refused ({error:?}) a share the reference accepts")
        }
    }
}

/// The classical key exchange of `layout` with a fixed private key.
fn classical(layout: &HybridLayout, private_key: [u8; 32]) -> Box<dyn KeyExchange> {
    RustCryptoProvider
        .start_key_exchange(layout.classical, &mut Scripted(private_key.to_vec()))
        .expect("a classical key exchange starts from a fixed key")
}

/// The ECDH public keys of the fixed private keys, per group: (client's, server's).
fn public_keys(layout: &HybridLayout) -> &'static (Vec<u8>, Vec<u8>) {
    static KEYS: OnceLock<[(Vec<u8>, Vec<u8>); 2]> = OnceLock::new();
    let keys = KEYS.get_or_init(|| {
        GROUPS.map(|group| {
            let layout = hybrid::layout(group).expect("a hybrid group");
            (
                classical(layout, CLIENT_ECDH_KEY).public_key().to_vec(),
                classical(layout, SERVER_ECDH_KEY).public_key().to_vec(),
            )
        })
    });
    &keys[usize::from(layout.group == GROUPS[1])]
}

/// FIPS 203 §7.2's modulus check written out: every 12-bit coefficient of t̂ (the key's
/// first 1152 bytes, two coefficients in three bytes, least significant first) is below q.
fn passes_modulus_check(encapsulation_key: &[u8; MLKEM768_ENCAPSULATION_KEY_LEN]) -> bool {
    encapsulation_key[..MLKEM768_ENCAPSULATION_KEY_LEN - 32]
        .chunks_exact(3)
        .all(|b| {
            let low = u16::from(b[0]) | (u16::from(b[1] & 0x0f) << 8);
            let high = (u16::from(b[1]) >> 4) | (u16::from(b[2]) << 4);
            low < Q && high < Q
        })
}

/// `ml-kem`'s reading of an encapsulation key, checked against the written-out modulus check.
fn reference_key(
    encapsulation_key: &[u8; MLKEM768_ENCAPSULATION_KEY_LEN],
) -> Option<EncapsulationKey<MlKem768>> {
    let bytes = ml_kem::Key::<EncapsulationKey<MlKem768>>::try_from(&encapsulation_key[..])
        .expect("1184 bytes are an ML-KEM-768 key's length");
    let key = EncapsulationKey::<MlKem768>::new(&bytes).ok();
    assert_eq!(
        key.is_some(),
        passes_modulus_check(encapsulation_key),
        "ml-kem and FIPS 203 §7.2's modulus check disagree on an encapsulation key"
    );
    key
}

/// What the server must answer to `client_share` with randomness `m`: the server share and
/// the shared secret, or `None` for a refusal.
fn expected_encapsulation(
    layout: &HybridLayout,
    m: &[u8; 32],
    client_share: &[u8],
) -> Option<(Vec<u8>, Vec<u8>)> {
    let (encapsulation_key, ecdh_part) = in_roles(layout, layout.split_client_share(client_share)?);
    let key = reference_key(encapsulation_key.try_into().ok()?)?;
    let ecdh_secret = classical(layout, SERVER_ECDH_KEY)
        .complete(ecdh_part)
        .ok()?;
    let (ciphertext, secret) = key.encapsulate_deterministic(&Array::from(*m));
    Some((
        joined(layout, &ciphertext, &public_keys(layout).1),
        joined(layout, &secret, ecdh_secret.as_bytes()),
    ))
}

/// The server's side on `client_share`: the provider agrees with [`expected_encapsulation`].
/// Returns what the server sent and its secret, if it accepted.
fn check_server(
    layout: &HybridLayout,
    m: [u8; 32],
    client_share: &[u8],
) -> Option<(Vec<u8>, Secret)> {
    let mut rng = Scripted([m, SERVER_ECDH_KEY].concat());
    let answer = RustCryptoProvider.encapsulate(layout.group, client_share, &mut rng);
    let expected = expected_encapsulation(layout, &m, client_share);
    agreed(
        "server",
        answer,
        expected,
        |(share, secret), (want_share, want_secret)| {
            share == want_share && secret.as_bytes() == want_secret.as_slice()
        },
    )
}

/// The client's side started from `seed` (`d ‖ z`): its share is `ml-kem`'s encapsulation
/// key for that seed and the fixed ECDH public key, in the layout's order.
fn start_client(
    layout: &HybridLayout,
    seed: [u8; 64],
) -> (Box<dyn KeyExchange>, DecapsulationKey<MlKem768>) {
    let mut rng = Scripted([&seed[..], &CLIENT_ECDH_KEY].concat());
    let client = RustCryptoProvider
        .start_key_exchange(layout.group, &mut rng)
        .expect("a hybrid key exchange starts from any seed");
    let reference = DecapsulationKey::<MlKem768>::from_seed(Array::from(seed));
    let share = layout
        .split_client_share(client.public_key())
        .expect("the client share has the layout's length");
    let (encapsulation_key, ecdh_part) = in_roles(layout, share);
    assert!(
        encapsulation_key == reference.encapsulation_key().to_bytes().as_slice(),
        "the client's encapsulation key differs from ml-kem's"
    );
    assert!(
        ecdh_part == public_keys(layout).0,
        "the client's ECDH part is not its key's"
    );
    (client, reference)
}

/// The client's side completed with `server_share`: the provider agrees with `ml-kem`'s
/// decapsulation and the classical exchange. Returns the secret, if it accepted.
fn check_client(
    layout: &HybridLayout,
    client: Box<dyn KeyExchange>,
    reference: &DecapsulationKey<MlKem768>,
    server_share: &[u8],
) -> Option<Secret> {
    let expected = layout.split_server_share(server_share).and_then(|parts| {
        let (ciphertext, ecdh_part) = in_roles(layout, parts);
        let ciphertext: &[u8; MLKEM768_CIPHERTEXT_LEN] = ciphertext.try_into().ok()?;
        let ecdh_secret = classical(layout, CLIENT_ECDH_KEY)
            .complete(ecdh_part)
            .ok()?;
        let secret = reference.decapsulate(&Array::from(*ciphertext));
        Some(joined(layout, &secret, ecdh_secret.as_bytes()))
    });
    agreed(
        "client",
        client.complete(server_share),
        expected,
        |secret, want| secret.as_bytes() == want.as_slice(),
    )
}

/// Mode 4: a whole exchange, with the ciphertext's byte at `position` XORed with `mask`.
/// Untouched, both sides agree; touched, the client gets the implicit-rejection secret,
/// which is `ml-kem`'s (checked in [`check_client`]) and not the server's.
fn check_exchange(layout: &HybridLayout, seed: [u8; 64], m: [u8; 32], position: usize, mask: u8) {
    let (client, reference) = start_client(layout, seed);
    let client_share = client.public_key().to_vec();
    let (mut server_share, server_secret) =
        check_server(layout, m, &client_share).expect("the server accepts an honest client share");
    let ciphertext_start = if is_mlkem(&layout.parts[0]) {
        0
    } else {
        server_share.len() - MLKEM768_CIPHERTEXT_LEN
    };
    server_share[ciphertext_start + position % MLKEM768_CIPHERTEXT_LEN] ^= mask;
    let client_secret = check_client(layout, client, &reference, &server_share)
        .expect("the client accepts a ciphertext of the right length");
    let [server_parts, client_parts] = [&server_secret, &client_secret].map(|secret| {
        layout
            .split_secret(secret.as_bytes())
            .expect("a hybrid secret has the layout's length")
    });
    let (server_mlkem, _) = in_roles(layout, server_parts);
    let (client_mlkem, _) = in_roles(layout, client_parts);
    assert_eq!(
        server_mlkem == client_mlkem,
        mask == 0,
        "the ML-KEM secrets agree if and only if the ciphertext arrived untouched"
    );
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, mut input)) = data.split_first() else {
        return;
    };
    let group = GROUPS[usize::from(selector & 1)];
    let layout = hybrid::layout(group).expect("a hybrid group");
    match (selector >> 1) % 5 {
        0 => {
            let m = take::<32>(&mut input);
            check_server(layout, m, input);
        }
        1 => {
            let m = take::<32>(&mut input);
            let encapsulation_key = take::<MLKEM768_ENCAPSULATION_KEY_LEN>(&mut input);
            let share = joined(layout, &encapsulation_key, &public_keys(layout).0);
            check_server(layout, m, &share);
        }
        2 => {
            let (client, reference) = start_client(layout, take::<64>(&mut input));
            check_client(layout, client, &reference, input);
        }
        3 => {
            let (client, reference) = start_client(layout, take::<64>(&mut input));
            let ciphertext = take::<MLKEM768_CIPHERTEXT_LEN>(&mut input);
            let share = joined(layout, &ciphertext, &public_keys(layout).1);
            check_client(layout, client, &reference, &share)
                .expect("the client accepts any ciphertext of the right length");
        }
        _ => {
            let seed = take::<64>(&mut input);
            let m = take::<32>(&mut input);
            let position = usize::from(u16::from_be_bytes(take::<2>(&mut input)));
            let [mask] = take::<1>(&mut input);
            check_exchange(layout, seed, m, position, mask);
        }
    }
});
