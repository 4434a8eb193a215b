//! An in-memory client and server: bytes move between them until neither has anything to
//! send, optionally cut into pieces (single bytes, or seeded random sizes), with the
//! caller's simulated clock.

use std::sync::Arc;

use lucid_tls::client::{ClientConfig, ClientConnection, PinnedCertificates, Ticket};
use lucid_tls::connection::Event;
use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::crypto::{CryptoError, Rng};
use lucid_tls::server::anti_replay::MemoryReplayStore;
use lucid_tls::server::{
    AntiReplay, CertifiedKey, EarlyDataConfig, Sealer, ServerConfig, ServerConnection, TicketConfig,
};
use lucid_tls::time::Time;
use lucid_tls::trace::{Direction, TraceEvent};
use lucid_tls::wire::handshake::HandshakeMessage;

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

/// How bytes are cut on their way.
#[derive(Clone, Copy, Debug)]
pub enum Split {
    /// As they come out of `take_output`.
    Whole,
    /// One byte at a time.
    Bytes,
    /// Pieces of random sizes (1 to 64), from this seed.
    Random(u64),
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

/// A default server config with the RFC's certificate.
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

/// True if `client` received a HelloRetryRequest (from its trace events, which it drains).
pub fn saw_hello_retry(client: &mut ClientConnection) -> bool {
    std::iter::from_fn(|| client.poll_trace()).any(|t| {
        matches!(
            t,
            TraceEvent::HandshakeMessage {
                direction: Direction::Received,
                message: HandshakeMessage::HelloRetryRequest(_),
                ..
            }
        )
    })
}

/// A client and a server talking in memory.
pub struct Pair {
    pub client: ClientConnection,
    pub server: ServerConnection,
    pub now: Time,
    split: Split,
    cutter: SeededRng,
}

impl Pair {
    /// A new pair at 2025-06-01 (within the RFC certificate's validity); the client's
    /// ClientHello is ready. `ticket` resumes.
    pub fn new(
        client: ClientConfig,
        server: ServerConfig,
        ticket: Option<Ticket>,
        seed: u64,
    ) -> Self {
        Self::at(
            client,
            server,
            ticket,
            seed,
            Time::from_unix_secs(1_748_736_000),
        )
    }

    /// A new pair at `now`.
    pub fn at(
        client: ClientConfig,
        server: ServerConfig,
        ticket: Option<Ticket>,
        seed: u64,
        now: Time,
    ) -> Self {
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
        Self {
            client,
            server,
            now,
            split: Split::Whole,
            cutter: SeededRng::new(seed.wrapping_add(7)),
        }
    }

    /// Cuts the bytes from now on as `split` says.
    pub fn with_split(mut self, split: Split) -> Self {
        if let Split::Random(seed) = split {
            self.cutter = SeededRng::new(seed);
        }
        self.split = split;
        self
    }

    fn pieces(&mut self, bytes: &[u8]) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        let mut rest = bytes;
        while !rest.is_empty() {
            let n = match self.split {
                Split::Whole => rest.len(),
                Split::Bytes => 1,
                Split::Random(_) => 1 + self.cutter.below(64),
            }
            .min(rest.len());
            out.push(rest[..n].to_vec());
            rest = &rest[n..];
        }
        out
    }

    /// Moves bytes both ways until neither side has output. Panics on an error.
    pub fn run(&mut self) {
        self.try_run().unwrap();
    }

    /// Moves bytes both ways until neither side has output, or one side fails.
    pub fn try_run(&mut self) -> Result<(), lucid_tls::Error> {
        for _ in 0..32 {
            let to_server = self.client.take_output();
            let to_client = self.server.take_output();
            if to_server.is_empty() && to_client.is_empty() {
                return Ok(());
            }
            for piece in self.pieces(&to_server) {
                self.server.feed(self.now, &piece)?;
            }
            for piece in self.pieces(&to_client) {
                self.client.feed(self.now, &piece)?;
            }
        }
        panic!("the pair did not go quiet");
    }

    /// The client's events so far.
    pub fn client_events(&mut self) -> Vec<Event> {
        std::iter::from_fn(|| self.client.poll_event()).collect()
    }

    /// The server's events so far.
    pub fn server_events(&mut self) -> Vec<Event> {
        std::iter::from_fn(|| self.server.poll_event()).collect()
    }
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
