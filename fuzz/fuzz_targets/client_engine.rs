//! The client engine, set up exactly as in an RFC 8448 trace (its configuration and replayed
//! randomness), receives arbitrary bytes as if from the server, in arbitrary splits. Seeded
//! with the RFC's server records, mutations reach every state. Errors are fine (they must
//! be sticky); panics are not.
#![no_main]

#[path = "common/engine.rs"]
mod engine;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let (setup, split) = engine::setup(selector);
    let (mut client, _rng) = setup.start_client().expect("a ready setup starts");
    engine::drive(&mut client, setup.now, bytes, split);
});
