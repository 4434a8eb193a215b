//! What the two engine fuzz targets share: the RFC 8448 traces' setups, built once per
//! process, the selector byte that picks one, and driving one connection with arbitrary
//! input.
//!
//! Setting a trace up (parsing it, loading RFC 8448 §2's RSA key, recovering the RSA-PSS
//! salts, for §4 running §3) costs milliseconds; starting a connection from a ready
//! [`Setup`] costs microseconds, and each start gets fresh copies of everything a
//! connection changes, so every input sees the same starting state.

use std::sync::OnceLock;

use lucid_tls::connection::{Connection, Role};
use lucid_tls::rfc8448::TraceName;
use lucid_tls::rfc8448::endpoints::Setup;
use lucid_tls::time::Time;

const TRACES: [TraceName; 5] = [
    TraceName::Simple,
    TraceName::Resumed,
    TraceName::Hrr,
    TraceName::ClientAuth,
    TraceName::Compat,
];

/// The setup of the trace named by the selector's low nibble, and the input split size
/// from its high one.
pub fn setup(selector: u8) -> (&'static Setup, usize) {
    static SETUPS: OnceLock<Vec<Setup>> = OnceLock::new();
    let setups = SETUPS.get_or_init(|| {
        TRACES
            .iter()
            .map(|&name| Setup::new(name).expect("every RFC 8448 trace sets up"))
            .collect()
    });
    let setup = &setups[usize::from(selector & 0x0f) % TRACES.len()];
    let split = usize::from(selector >> 4) * 97 + 1;
    (setup, split)
}

/// Feeds `bytes` in pieces of `split`, draining every output after each piece. Errors are
/// fine; they must be sticky (RFC 9846 §6: after a fatal error the connection is dead).
pub fn drive<S: Role>(
    connection: &mut Connection<S>,
    now: Time,
    bytes: &[u8],
    split: usize,
) {
    let mut first_error = None;
    for piece in bytes.chunks(split) {
        if let Err(e) = connection.feed(now, piece) {
            match first_error {
                None => first_error = Some(e),
                Some(first) => assert_eq!(first, e, "errors are sticky"),
            }
        }
        let _ = connection.take_output();
        while connection.poll_event().is_some() {}
        while connection.poll_trace().is_some() {}
    }
    let _ = connection.write(b"after the input");
}
