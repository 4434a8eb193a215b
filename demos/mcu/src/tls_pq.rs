//! The TLS client in the post-quantum hybrid group X25519MLKEM768 (RFC 10024), built with the
//! feature `pq` (lucid-tls's `mlkem`): the costs of ML-KEM-768 on this core, then the same
//! handshake, GET and close as `tls.rs`, with X25519MLKEM768 as the only key share.
//!
//! The ML-KEM figures are measured through the provider, as the handshake uses it: the
//! hybrid's key generation (or decapsulation) minus X25519's alone is ML-KEM-768's.

use alloc::boxed::Box;

use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::crypto::{CryptoProvider, Rng};
use lucid_tls::wire::algorithms::NamedGroup;

use crate::board::counter::Counter;
use crate::board::memory;
use crate::board::rng::InsecureDemoRng;
use crate::board::uart::Uart0;
use crate::report::figure;
use crate::tls;

/// Runs the hybrid client, then the ML-KEM measurements; returns how many checks failed.
/// The handshake comes first so that the stack and heap figures printed after it are the
/// client's alone (the measurements also encapsulate, which only a server does).
#[inline(never)]
pub fn run(uart: &mut Uart0, counter: &Counter, rng: Box<dyn Rng + Send>) -> usize {
    let Ok(config) = tls::config(|config| {
        config.key_share_groups = alloc::vec![NamedGroup::X25519MlKem768];
        config.supported_groups = alloc::vec![NamedGroup::X25519MlKem768, NamedGroup::X25519];
    }) else {
        figure("tls", "FAILED (no usable trust anchor in this build)");
        return 1;
    };
    figure("tls key share offered", "X25519MLKEM768 (1216 bytes)");
    crate::HEAP.reset_peak();
    let start = counter.now();
    let outcome = tls::exchange(uart, counter, rng, config, None);
    let elapsed = counter.instructions_since(start);
    let failures = tls::report(&outcome, elapsed);
    let heap = crate::HEAP.figures();
    let stack = memory::stack_high_water(crate::build_info::STACK_RESERVE);
    figure("pq client heap high-water bytes", heap.high_water);
    figure("pq client stack high-water bytes", stack.high_water);
    // A fresh deterministic RNG for the measurements (the client's went with it).
    let mut rng = InsecureDemoRng::from_predictable_seed(&[0x5a; 16]);
    failures + usize::from(costs(counter, &mut rng).is_none())
}

/// Instructions for one call of `f`.
fn cost<T>(counter: &Counter, f: impl FnOnce() -> T) -> (T, u64) {
    let start = counter.now();
    let value = f();
    (value, counter.instructions_since(start))
}

/// ML-KEM-768's key generation, encapsulation and decapsulation on this core, through the
/// provider; `None` if any step failed.
fn costs(counter: &Counter, rng: &mut dyn Rng) -> Option<()> {
    let p = RustCryptoProvider;
    let (hybrid, hybrid_keygen) = cost(counter, || {
        p.start_key_exchange(NamedGroup::X25519MlKem768, rng)
    });
    let (x25519, x25519_keygen) = cost(counter, || p.start_key_exchange(NamedGroup::X25519, rng));
    let (hybrid, x25519) = (hybrid.ok()?, x25519.ok()?);
    let (encapsulated, encapsulation) = cost(counter, || {
        p.encapsulate(NamedGroup::X25519MlKem768, hybrid.public_key(), rng)
    });
    let (server_share, server_secret) = encapsulated.ok()?;
    let (peer, _) = cost(counter, || p.start_key_exchange(NamedGroup::X25519, rng));
    let peer_public = peer.ok()?.public_key().to_vec();
    let (secret, hybrid_complete) = cost(counter, || hybrid.complete(&server_share));
    let (_, x25519_complete) = cost(counter, || x25519.complete(&peer_public));
    let agree = secret.ok()?.as_bytes() == server_secret.as_bytes();
    figure(
        "ml-kem-768 keygen instructions",
        hybrid_keygen.saturating_sub(x25519_keygen),
    );
    figure(
        "ml-kem-768 decapsulation instructions",
        hybrid_complete.saturating_sub(x25519_complete),
    );
    figure(
        "x25519mlkem768 client keygen instructions (both parts)",
        hybrid_keygen,
    );
    figure(
        "x25519mlkem768 server encapsulate instructions (both parts)",
        encapsulation,
    );
    figure(
        "x25519mlkem768 client complete instructions (both parts)",
        hybrid_complete,
    );
    figure(
        "x25519mlkem768 shared secrets agree",
        if agree { "yes" } else { "NO" },
    );
    agree.then_some(())
}
