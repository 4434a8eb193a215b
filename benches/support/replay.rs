//! One side of a full handshake on its own, as the crypto floor is measured: the peer's
//! flights are recorded once, and the side under test replays against them.
//!
//! The interleaved benchmark (`lucid::full_handshake`) times every call into a side
//! separately, about ten regions per side and handshake, each bracketed by two reads of the
//! thread CPU clock (a system call: 0.7 µs each on this machine), and it alternates the two
//! sides on one thread, so that each side starts every call on caches the other side has
//! just used. The floor pays neither cost: criterion reads the clock once per batch of
//! iterations and the floor runs alone. Here a side runs alone too, timed the same way as
//! the floor.
//!
//! Replaying is exact because both sides are deterministic: a connection draws its randoms,
//! its key shares and its signature's randomness from its [`BenchRng`] seed, and the clock
//! is fixed. A side created with the recorded seed writes the very bytes it wrote while
//! recording, so the peer's recorded answers fit it. [`Recorded::check`] proves that before
//! any timing: a replayed side must write the recorded bytes and finish its handshake.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use lucid_tls::client::{ClientConfig, ClientConnection};
use lucid_tls::connection::{Connection, Role};
use lucid_tls::server::{ServerConfig, ServerConnection};

use super::cpu;
use super::lucid::{BenchRng, now};

/// The client's seed; the server's is its complement, as in `lucid::handshake`.
const SEED: u64 = 7;

/// Both sides' flights of one full handshake, in the order they were written.
pub struct Recorded {
    pub client_flights: Vec<Vec<u8>>,
    pub server_flights: Vec<Vec<u8>>,
}

impl Recorded {
    /// Runs one handshake in memory and keeps what each side wrote.
    pub fn new(client_config: &Arc<ClientConfig>, server_config: &Arc<ServerConfig>) -> Self {
        let mut client = new_client(client_config);
        let mut server = new_server(server_config);
        let (mut client_flights, mut server_flights) = (Vec::new(), Vec::new());
        loop {
            let sent = pass(&mut client, &mut server, &mut client_flights);
            let answered = pass(&mut server, &mut client, &mut server_flights);
            if !sent && !answered {
                break;
            }
        }
        assert!(!client.is_handshaking() && !server.is_handshaking());
        Self {
            client_flights,
            server_flights,
        }
    }

    /// Replays each side once, outside any timing, and panics unless it writes what was
    /// recorded and completes its handshake.
    pub fn check(&self, client_config: &Arc<ClientConfig>, server_config: &Arc<ServerConfig>) {
        let client = new_client(client_config);
        check_side(client, &self.server_flights, &self.client_flights, "client");
        let server = new_server(server_config);
        check_side(server, &self.client_flights, &self.server_flights, "server");
    }

    /// The client's whole handshake against the recorded server, then dropping it.
    #[inline(never)]
    pub fn client(&self, client_config: &Arc<ClientConfig>) {
        let client = replay(new_client(client_config), &self.server_flights, |flight| {
            black_box(flight);
        });
        drop(black_box(client));
    }

    /// The server's whole handshake against the recorded client, then dropping it.
    #[inline(never)]
    pub fn server(&self, server_config: &Arc<ServerConfig>) {
        let server = replay(new_server(server_config), &self.client_flights, |flight| {
            black_box(flight);
        });
        drop(black_box(server));
    }
}

/// Moves what `from` has to write into `to` and keeps a copy; false if it had nothing.
fn pass<A: Role, B: Role>(
    from: &mut Connection<A>,
    to: &mut Connection<B>,
    kept: &mut Vec<Vec<u8>>,
) -> bool {
    let flight = from.take_output();
    if flight.is_empty() {
        return false;
    }
    to.feed(now(), &flight)
        .expect("the peer accepts the flight");
    while to.poll_event().is_some() {}
    kept.push(flight);
    true
}

/// Replays `conn` against `flights` and panics unless it writes `expected` and finishes.
fn check_side<S: Role>(conn: Connection<S>, flights: &[Vec<u8>], expected: &[Vec<u8>], who: &str) {
    let mut written = Vec::new();
    let conn = replay(conn, flights, |flight| written.push(flight));
    written.retain(|f| !f.is_empty());
    assert_eq!(written, expected, "the replayed {who} wrote other bytes");
    assert!(!conn.is_handshaking(), "the replayed {who} did not finish");
}

/// Drives `conn` through the peer's `flights`: what it writes first (a client's
/// ClientHello; nothing for a server), then each flight fed in, its events drained and what
/// it writes in answer, each written flight handed to `written`.
fn replay<S: Role>(
    mut conn: Connection<S>,
    flights: &[Vec<u8>],
    mut written: impl FnMut(Vec<u8>),
) -> Connection<S> {
    written(conn.take_output());
    for flight in flights {
        // A refused flight shows in `check` (the side does not finish); timed runs only
        // replay what `check` accepted.
        let _ = conn.feed(now(), flight);
        while let Some(event) = conn.poll_event() {
            black_box(event);
        }
        written(conn.take_output());
    }
    conn
}

fn new_client(config: &Arc<ClientConfig>) -> ClientConnection {
    ClientConnection::new(config.clone(), Some("server"), BenchRng::new(SEED), now())
        .expect("client starts")
}

fn new_server(config: &Arc<ServerConfig>) -> ServerConnection {
    ServerConnection::new(config.clone(), BenchRng::new(!SEED), now()).expect("server starts")
}

/// A side's handshakes and its crypto floor, run in turns and timed separately, so that the
/// machine's drifting load falls on both alike: their ratio is read from the same seconds.
#[derive(Default)]
pub struct PairedTimes {
    /// Per criterion call: (the side's time, the floor's time).
    samples: Vec<(Duration, Duration)>,
}

impl PairedTimes {
    /// `iters` rounds of `side` then `floor` (given a fresh seed), returning the side's time.
    pub fn run(
        &mut self,
        iters: u64,
        mut side: impl FnMut(),
        mut floor: impl FnMut(u64),
    ) -> Duration {
        let (mut side_time, mut floor_time) = (Duration::ZERO, Duration::ZERO);
        for i in 0..iters {
            let start = cpu::now();
            side();
            let middle = cpu::now();
            floor(i);
            let end = cpu::now();
            side_time += middle - start;
            floor_time += end - middle;
        }
        self.samples.push((side_time, floor_time));
        side_time
    }

    /// Prints the side's time over its floor's: over all rounds, and the median of the
    /// per-call ratios (criterion's warm-up calls included: they are rounds like the rest).
    pub fn report(&self, id: &str) {
        let side: Duration = self.samples.iter().map(|s| s.0).sum();
        let floor: Duration = self.samples.iter().map(|s| s.1).sum();
        if floor.is_zero() {
            return;
        }
        let mut ratios: Vec<f64> = self
            .samples
            .iter()
            .filter(|s| !s.1.is_zero())
            .map(|s| s.0.as_secs_f64() / s.1.as_secs_f64())
            .collect();
        ratios.sort_by(f64::total_cmp);
        println!(
            "{id}: side ÷ floor, paired: {:.3} over all rounds, median {:.3} of {} calls",
            side.as_secs_f64() / floor.as_secs_f64(),
            ratios[ratios.len() / 2],
            ratios.len()
        );
    }
}
