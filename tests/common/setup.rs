//! Endpoints for [`lucid_tls::pair::Pair`]: seeded RNGs, the RFC 8448 certificate in
//! default client and server configs, a ticket server, and helpers that read what a run of
//! flights did (events, data, tickets, states).

use std::sync::Arc;

use lucid_tls::Error;
use lucid_tls::client::{ClientConfig, ClientConnection, PinnedCertificates, Ticket};
use lucid_tls::connection::Event;
use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::crypto::{CryptoError, Rng};
use lucid_tls::pair::{Flight, Pair, Side, Split};
use lucid_tls::server::anti_replay::MemoryReplayStore;
use lucid_tls::server::{
    AntiReplay, CertifiedKey, EarlyDataConfig, Sealer, ServerConfig, ServerConnection, TicketConfig,
};
use lucid_tls::time::Time;
use lucid_tls::trace::{Direction, TraceEvent};
use lucid_tls::wire::handshake::HandshakeMessage;

/// 2025-06-01: within the RFC certificate's validity.
pub const NOW: Time = Time::from_unix_secs(1_748_736_000);

use super::vectors;

/// A seeded ChaCha20 stream as a connection's RNG: reproducible runs.
pub struct SeededRng(rand_chacha::ChaCha20Rng);

impl SeededRng {
    /// The stream for `seed`.
    pub fn new(seed: u64) -> Self {
        use rand_chacha::rand_core::SeedableRng;
        Self(rand_chacha::ChaCha20Rng::seed_from_u64(seed))
    }

    /// A number below `bound` (for random splits).
    pub fn below(&mut self, bound: usize) -> usize {
        let mut bytes = [0u8; 8];
        self.fill(&mut bytes).unwrap();
        (u64::from_le_bytes(bytes) % bound.max(1) as u64) as usize
    }
}

impl Rng for SeededRng {
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), CryptoError> {
        use rand_chacha::rand_core::Rng as _;
        self.0.fill_bytes(dest);
        Ok(())
    }
}

/// Pieces of random sizes (1 to 64) drawn from `seed`, for [`Pair::split`].
pub fn random_split(seed: u64) -> Split {
    let mut rng = SeededRng::new(seed);
    Split::Sizes((0..256).map(|_| 1 + rng.below(64)).collect())
}

/// RFC 8448's server certificate and RSA key (§2, §3): what the in-memory server presents.
pub fn rfc_certified_key() -> CertifiedKey {
    lucid_tls::rfc8448::server_key::rsa_certified_key(&vectors::load("simple")).unwrap()
}

/// RFC 8448 §3's server certificate (DER).
pub fn rfc_certificate() -> Vec<u8> {
    lucid_tls::rfc8448::nss::server_certificate(&vectors::load("simple")).unwrap()
}

/// A default client config trusting the RFC's certificate, with tracing on.
pub fn client_config() -> ClientConfig {
    let verifier = Arc::new(PinnedCertificates::new(vec![rfc_certificate()]));
    let mut config = ClientConfig::new(Arc::new(RustCryptoProvider), verifier);
    config.trace = true;
    config
}

/// A default server config with the RFC's certificate, with tracing on.
pub fn server_config() -> ServerConfig {
    let mut config = ServerConfig::new(Arc::new(RustCryptoProvider), vec![rfc_certified_key()]);
    config.trace = true;
    config
}

/// A server with tickets (`count` per connection, an hour long) and single-use-ticket
/// 0-RTT of up to `max_early_data_size` bytes.
pub fn ticket_server(count: u8, max_early_data_size: u32) -> ServerConfig {
    let mut config = server_config();
    config.tickets = Some(TicketConfig {
        issuer: sealer(),
        count,
        lifetime_secs: 3600,
        nonce_len: 1,
    });
    config.early_data = Some(EarlyDataConfig {
        max_early_data_size,
        anti_replay: AntiReplay::SingleUseTickets(Arc::new(MemoryReplayStore::new(0, 64))),
        freshness_window_ms: 10_000,
    });
    config
}

/// The sealer for tickets and cookies (a fixed test key).
pub fn sealer() -> Arc<Sealer> {
    Sealer::new(&RustCryptoProvider, *b"key1", &[0x42; 32])
        .unwrap()
        .into_arc()
}

/// A pair at [`NOW`] (see [`connect_at`]).
pub fn connect(
    client: ClientConfig,
    server: ServerConfig,
    ticket: Option<Ticket>,
    seed: u64,
) -> Pair {
    connect_at(client, server, ticket, seed, NOW)
}

/// A client (resuming `ticket` if given) and a server at `now`, their RNGs seeded from
/// `seed`; the client's ClientHello is ready.
pub fn connect_at(
    client: ClientConfig,
    server: ServerConfig,
    ticket: Option<Ticket>,
    seed: u64,
    now: Time,
) -> Pair {
    let client_rng = Box::new(SeededRng::new(seed));
    let server_rng = Box::new(SeededRng::new(seed ^ 0x5eed));
    let client = match ticket {
        Some(ticket) => {
            ClientConnection::resume(Arc::new(client), Some("server"), ticket, client_rng, now)
        }
        None => ClientConnection::new(Arc::new(client), Some("server"), client_rng, now),
    }
    .unwrap();
    let server = ServerConnection::new(Arc::new(server), server_rng, now).unwrap();
    Pair::new(client, server, now)
}

/// Steps until neither side has anything to send; the first flight a receiver failed on
/// gives the error (its alert is delivered too).
pub fn try_run(pair: &mut Pair) -> Result<Vec<Flight>, Error> {
    let flights = pair.run(64);
    assert!(
        !pair.has_output(Side::Client) && !pair.has_output(Side::Server),
        "the pair did not go quiet"
    );
    match flights.iter().find_map(|f| f.result.err()) {
        Some(err) => Err(err),
        None => Ok(flights),
    }
}

/// Like [`try_run`], panicking on an error.
pub fn run(pair: &mut Pair) -> Vec<Flight> {
    try_run(pair).unwrap()
}

/// `side`'s application events during `flights`.
pub fn events(flights: &[Flight], side: Side) -> Vec<Event> {
    flights
        .iter()
        .flat_map(|f| f.events_of(side).cloned())
        .collect()
}

/// The tickets among `events`.
pub fn tickets(events: &[Event]) -> Vec<Ticket> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::NewSessionTicket(t) => Some(t.clone()),
            _ => None,
        })
        .collect()
}

/// The application data among `events`, concatenated.
pub fn data(events: &[Event]) -> Vec<u8> {
    events
        .iter()
        .flat_map(|e| match e {
            Event::ApplicationData(d) | Event::EarlyData(d) => d.clone(),
            _ => Vec::new(),
        })
        .collect()
}

/// True if the client received a HelloRetryRequest during `flights`.
pub fn saw_hello_retry(flights: &[Flight]) -> bool {
    flights.iter().any(|f| {
        f.trace.iter().any(|(side, t)| {
            *side == Side::Client
                && matches!(
                    t,
                    TraceEvent::HandshakeMessage {
                        direction: Direction::Received,
                        message: HandshakeMessage::HelloRetryRequest(_),
                        ..
                    }
                )
        })
    })
}

/// The states `side` walked through during `flights`, checking that each move starts where
/// the previous one ended.
pub fn state_path(flights: &[Flight], side: Side) -> Vec<&'static str> {
    let mut path: Vec<&'static str> = Vec::new();
    for (s, event) in flights.iter().flat_map(|f| f.trace.iter()) {
        if let (true, TraceEvent::StateChanged { from, to }) = (*s == side, event) {
            match path.last() {
                Some(last) => assert_eq!(*last, *from, "state trace jumps"),
                None => path.push(from),
            }
            path.push(to);
        }
    }
    path
}
