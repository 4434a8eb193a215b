//! The client engine, set up exactly as in an RFC 8448 trace (its configuration and replayed
//! randomness), receives arbitrary bytes as if from the server, in arbitrary splits. Seeded
//! with the RFC's server records, mutations reach every state. Errors are fine (they must
//! be sticky); panics are not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lucid_tls::rfc8448::TraceName;
use lucid_tls::rfc8448::endpoints::Endpoints;

const TRACES: [TraceName; 5] = [
    TraceName::Simple,
    TraceName::Resumed,
    TraceName::Hrr,
    TraceName::ClientAuth,
    TraceName::Compat,
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let name = TRACES[usize::from(selector & 0x0f) % TRACES.len()];
    let split = usize::from(selector >> 4) * 97 + 1;
    let Ok(endpoints) = Endpoints::new(name) else {
        return;
    };
    let now = endpoints.now;
    let mut client = endpoints.client;
    let mut first_error = None;
    for piece in bytes.chunks(split) {
        match client.feed(now, piece) {
            Ok(_) => {}
            Err(e) => {
                // RFC 9846 §6: after a fatal error the connection is dead; the error sticks.
                match first_error {
                    None => first_error = Some(e),
                    Some(first) => assert_eq!(first, e, "errors are sticky"),
                }
            }
        }
        let _ = client.take_output();
        while client.poll_event().is_some() {}
        while client.poll_trace().is_some() {}
    }
    let _ = client.write(b"after the input");
});
