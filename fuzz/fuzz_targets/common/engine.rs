//! What the two engine fuzz targets share: setting up an RFC 8448 trace's endpoints from the
//! selector byte, and driving one connection with arbitrary input.

use lucid_tls::connection::{Connection, StateMachine};
use lucid_tls::rfc8448::TraceName;
use lucid_tls::rfc8448::endpoints::Endpoints;
use lucid_tls::time::Time;

const TRACES: [TraceName; 5] = [
    TraceName::Simple,
    TraceName::Resumed,
    TraceName::Hrr,
    TraceName::ClientAuth,
    TraceName::Compat,
];

/// The trace named by the selector's low nibble, and the input split size from its high one.
pub fn endpoints(selector: u8) -> Option<(Endpoints, usize)> {
    let name = TRACES[usize::from(selector & 0x0f) % TRACES.len()];
    let split = usize::from(selector >> 4) * 97 + 1;
    Endpoints::new(name).ok().map(|e| (e, split))
}

/// Feeds `bytes` in pieces of `split`, draining every output after each piece. Errors are
/// fine; they must be sticky (RFC 9846 §6: after a fatal error the connection is dead).
pub fn drive<S: StateMachine>(
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
