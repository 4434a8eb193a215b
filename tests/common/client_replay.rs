//! One driver for the RFC 8448 client replays (`tests/rfc8448_*.rs`): a trace's records
//! are fed to a client engine, in pieces of any size, and every record the client sends
//! must equal the trace's byte for byte. Each test file builds its client (config and
//! replayed randomness) and writes its exchange as a list of [`Step`]s; every replay ends
//! with close_notify both ways, as every RFC 8448 trace does.

use lucid_tls::client::ClientConnection;
use lucid_tls::connection::Event;
use lucid_tls::time::Time;
use lucid_tls::trace::TraceEvent;

use super::check::{feed_in_pieces, record};
use super::vectors::Trace;

/// The trace's heading for handshake records.
pub const HS: &str = "send handshake record";
/// The trace's heading for application_data records.
pub const APP: &str = "send application_data record";
/// The trace's heading for dummy change_cipher_spec records.
pub const CCS: &str = "send change_cipher_spec record";

/// One step of a replayed exchange. Records are named by their heading in the trace and
/// their number (from 0) under it, as [`record`] finds them.
pub enum Step<'a> {
    /// The client's queued output is exactly these client records, back to back.
    Sends(&'a [(&'a str, usize)]),
    /// These server records, back to back, are fed to the client, which takes them all.
    Receives(&'a [(&'a str, usize)]),
    /// The client writes the payload of its `n`th "send application_data record".
    Writes(usize),
    /// The client writes the payload of its `n`th "send application_data record" as 0-RTT
    /// data.
    WritesEarly(usize),
    /// The client is in this state (RFC 9846 Appendix A names).
    State(&'static str),
    /// Anything else the test checks or does between two steps.
    Then(&'a mut dyn FnMut(&mut ClientConnection)),
}

/// What a replay left: the client and everything it reported.
pub struct Replayed {
    /// The client, closed.
    pub client: ClientConnection,
    /// Its application events, in order.
    pub events: Vec<Event>,
    /// Its trace events, in order.
    pub traces: Vec<TraceEvent>,
}

/// The concatenation of `actor`'s records `names` in `trace`.
fn records(trace: &Trace, actor: &str, names: &[(&str, usize)]) -> Vec<u8> {
    names
        .iter()
        .flat_map(|(heading, n)| record(trace, actor, heading, *n).iter().copied())
        .collect()
}

/// Runs `steps` on `client` at `now`, feeding the server's bytes in pieces of `piece`
/// bytes, then closes: the client's close_notify must be the trace's, and the server's is
/// fed back.
pub fn replay_client(
    trace: &Trace,
    mut client: ClientConnection,
    now: Time,
    piece: usize,
    steps: Vec<Step>,
) -> Replayed {
    let payload =
        |n: usize| trace.blocks("client", "send application_data record")[n].get("payload");
    for (i, step) in steps.into_iter().enumerate() {
        match step {
            Step::Sends(names) => assert_eq!(
                client.take_output(),
                records(trace, "client", names),
                "step {i}: the client's records {names:?}"
            ),
            Step::Receives(names) => {
                feed_in_pieces(&mut client, now, &records(trace, "server", names), piece)
            }
            Step::Writes(n) => client.write(payload(n)).unwrap(),
            Step::WritesEarly(n) => client.write_early_data(payload(n)).unwrap(),
            Step::State(name) => assert_eq!(client.state_name(), name, "step {i}"),
            Step::Then(check) => check(&mut client),
        }
    }
    client.close();
    assert_eq!(
        client.take_output(),
        record(trace, "client", "send alert record", 0)
    );
    feed_in_pieces(
        &mut client,
        now,
        record(trace, "server", "send alert record", 0),
        piece,
    );
    let events = std::iter::from_fn(|| client.poll_event()).collect();
    let traces = std::iter::from_fn(|| client.poll_trace()).collect();
    Replayed {
        client,
        events,
        traces,
    }
}
