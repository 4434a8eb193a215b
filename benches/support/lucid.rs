//! lucid-tls, client and server in memory, on either crypto provider.

use std::sync::Arc;

use lucid_tls::client::{ClientConfig, ClientConnection, PinnedCertificates, Ticket};
use lucid_tls::connection::Event;
use lucid_tls::crypto::ring_provider::RingProvider;
use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::crypto::{CryptoError, CryptoProvider, Rng};
use lucid_tls::server::anti_replay::MemoryReplayStore;
use lucid_tls::server::{
    AntiReplay, CertifiedKey, EarlyDataConfig, Sealer, ServerConfig, ServerConnection, TicketConfig,
};
use lucid_tls::time::Time;

use super::{EARLY_DATA, Scenario, Side, SideTimes};

/// lucid-tls on one crypto provider.
#[derive(Clone)]
pub struct LucidStack {
    /// `lucid-rustcrypto` or `lucid-ring`.
    pub name: &'static str,
    pub provider: Arc<dyn CryptoProvider>,
}

/// lucid-tls on its default provider, then on ring.
pub fn stacks() -> Vec<LucidStack> {
    vec![
        LucidStack {
            name: "lucid-rustcrypto",
            provider: Arc::new(RustCryptoProvider),
        },
        LucidStack {
            name: "lucid-ring",
            provider: Arc::new(RingProvider),
        },
    ]
}

/// A ChaCha20 stream as a connection's RNG (RustCrypto's provider draws everything from it;
/// ring's draws from the OS instead).
pub struct BenchRng(rand_chacha::ChaCha20Rng);

impl BenchRng {
    pub fn new(seed: u64) -> Box<Self> {
        use rand_chacha::rand_core::SeedableRng;
        Box::new(Self(rand_chacha::ChaCha20Rng::seed_from_u64(seed)))
    }
}

impl Rng for BenchRng {
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), CryptoError> {
        use rand_chacha::rand_core::Rng as _;
        self.0.fill_bytes(dest);
        Ok(())
    }
}

/// Within the benchmark certificates' validity.
pub fn now() -> Time {
    Time::from_unix_secs(1_780_000_000)
}

/// What a resumption or 0-RTT server adds to a full-handshake server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServerKind {
    /// No tickets.
    Plain,
    /// One ticket per handshake (AEAD-sealed, stateless).
    Tickets,
    /// One ticket per handshake, allowing 0-RTT, single-use tickets against replay.
    EarlyData,
}

impl LucidStack {
    /// A client offering only the scenario's suite and group, pinning its certificate.
    pub fn client_config(&self, sc: Scenario, early_data: bool) -> Arc<ClientConfig> {
        let verifier = Arc::new(PinnedCertificates::new(vec![sc.cert.der()]));
        let mut config = ClientConfig::new(self.provider.clone(), verifier);
        config.cipher_suites = vec![sc.suite];
        config.key_share_groups = vec![sc.group];
        config.supported_groups = vec![sc.group];
        config.enable_early_data = early_data;
        config.trace = false;
        Arc::new(config)
    }

    /// A server with the scenario's certificate, tracing off.
    pub fn server_config(&self, sc: Scenario, kind: ServerKind) -> Arc<ServerConfig> {
        let key = self
            .provider
            .load_signing_key(&sc.cert.key_der())
            .expect("benchmark key loads");
        let certified = CertifiedKey {
            chain: vec![sc.cert.der()],
            raw_public_key: None,
            key: Arc::from(key),
            server_names: Vec::new(),
        };
        let mut config = ServerConfig::new(self.provider.clone(), vec![certified]);
        config.cipher_suites = vec![sc.suite];
        config.key_share_groups = vec![sc.group];
        config.trace = false;
        if kind != ServerKind::Plain {
            let sealer = Sealer::new(self.provider.as_ref(), *b"key1", &[0x42; 32]).unwrap();
            config.tickets = Some(TicketConfig {
                issuer: sealer.into_arc(),
                count: 1,
                lifetime_secs: 3600,
                nonce_len: 1,
            });
        }
        if kind == ServerKind::EarlyData {
            config.early_data = Some(EarlyDataConfig {
                max_early_data_size: 16384,
                // Large enough for every iteration of a benchmark run: keys never expire
                // at a fixed clock.
                anti_replay: AntiReplay::SingleUseTickets(Arc::new(MemoryReplayStore::new(
                    0, 50_000_000,
                ))),
                freshness_window_ms: 10_000,
            });
        }
        Arc::new(config)
    }
}

/// An established pair of connections.
pub struct Established {
    pub client: ClientConnection,
    pub server: ServerConnection,
    /// The newest ticket the client received, if any.
    pub ticket: Option<Ticket>,
}

/// Runs a handshake (full, or resumed with `ticket`, sending `EARLY_DATA` as 0-RTT when
/// `early`), timing each side's calls into `times`. Panics if it does not complete.
pub fn handshake(
    client_config: &Arc<ClientConfig>,
    server_config: &Arc<ServerConfig>,
    ticket: Option<Ticket>,
    early: bool,
    seed: u64,
    times: &mut SideTimes,
) -> Established {
    let now = now();
    let mut client = times
        .on(Side::Client, || match ticket {
            Some(t) => ClientConnection::resume(
                client_config.clone(),
                Some("server"),
                t,
                BenchRng::new(seed),
                now,
            ),
            None => ClientConnection::new(
                client_config.clone(),
                Some("server"),
                BenchRng::new(seed),
                now,
            ),
        })
        .unwrap();
    if early {
        times
            .on(Side::Client, || client.write_early_data(EARLY_DATA))
            .unwrap();
    }
    let mut server = times
        .on(Side::Server, || {
            ServerConnection::new(server_config.clone(), BenchRng::new(!seed), now)
        })
        .unwrap();
    let mut early_received = 0;
    let mut ticket = None;
    loop {
        let to_server = times.on(Side::Client, || client.take_output());
        if !to_server.is_empty() {
            times
                .on(Side::Server, || server.feed(now, &to_server))
                .unwrap();
        }
        let to_client = times.on(Side::Server, || server.take_output());
        if !to_client.is_empty() {
            times
                .on(Side::Client, || client.feed(now, &to_client))
                .unwrap();
        }
        times.on(Side::Server, || {
            while let Some(event) = server.poll_event() {
                if let Event::EarlyData(data) = event {
                    early_received += data.len();
                }
            }
        });
        times.on(Side::Client, || {
            while let Some(event) = client.poll_event() {
                if let Event::NewSessionTicket(t) = event {
                    ticket = Some(t);
                }
            }
        });
        if to_server.is_empty() && to_client.is_empty() {
            break;
        }
    }
    assert!(!client.is_handshaking() && !server.is_handshaking());
    if early {
        assert_eq!(early_received, EARLY_DATA.len(), "0-RTT was not accepted");
    }
    Established {
        client,
        server,
        ticket,
    }
}

/// A full handshake, then dropping both connections, each side timed.
pub fn full_handshake(
    client_config: &Arc<ClientConfig>,
    server_config: &Arc<ServerConfig>,
    seed: u64,
    times: &mut SideTimes,
) {
    let Established { client, server, .. } =
        handshake(client_config, server_config, None, false, seed, times);
    times.on(Side::Client, || drop(client));
    times.on(Side::Server, || drop(server));
}

/// Sends `data` from `from` and returns the records on the wire.
pub fn send<S: lucid_tls::connection::Role>(
    from: &mut lucid_tls::connection::Connection<S>,
    data: &[u8],
) -> Vec<u8> {
    from.write(data).unwrap();
    from.take_output()
}

/// Feeds `records` into `to` and returns how many application bytes came out.
pub fn receive<S: lucid_tls::connection::Role>(
    to: &mut lucid_tls::connection::Connection<S>,
    records: &[u8],
) -> usize {
    to.feed(now(), records).unwrap();
    let mut received = 0;
    while let Some(event) = to.poll_event() {
        if let Event::ApplicationData(data) = event {
            received += data.len();
        }
    }
    received
}

/// `count` record buffers of [`RECORD_BYTES`] of content each, laid out for
/// `seal_in_place` (header room before the content, type and tag room behind it).
pub fn record_buffers(count: usize) -> Vec<Vec<u8>> {
    let len = ClientConnection::sealed_len(super::RECORD_BYTES);
    (0..count)
        .map(|_| {
            let mut record = vec![0u8; len];
            record[5..5 + super::RECORD_BYTES].fill(0xa5);
            record
        })
        .collect()
}

/// Seals each buffer of `records` in place as one application data record (caller-owned
/// buffers: no copy, no allocation). The content is whatever the buffer holds.
pub fn seal_records<S: lucid_tls::connection::Role>(
    from: &mut lucid_tls::connection::Connection<S>,
    records: &mut [Vec<u8>],
) -> usize {
    records
        .iter_mut()
        .map(|r| from.seal_in_place(r, super::RECORD_BYTES).unwrap())
        .sum()
}

/// `records` sealed in place, then laid end to end as they arrive from the network.
pub fn sealed_wire<S: lucid_tls::connection::Role>(
    from: &mut lucid_tls::connection::Connection<S>,
    records: &mut [Vec<u8>],
    wire: &mut Vec<u8>,
) {
    for r in records.iter_mut() {
        r[5..5 + super::RECORD_BYTES].fill(0xa5);
    }
    seal_records(from, records);
    wire.clear();
    for r in records.iter() {
        wire.extend_from_slice(r);
    }
}

/// Opens every record of `wire` in place (caller-owned buffer) and returns how many
/// application bytes came out.
pub fn open_records<S: lucid_tls::connection::Role>(
    to: &mut lucid_tls::connection::Connection<S>,
    wire: &mut [u8],
) -> usize {
    let mut received = 0;
    let mut rest = wire;
    while !rest.is_empty() {
        let (used, data) = to.open_in_place(now(), rest).unwrap();
        received += data.map_or(0, <[u8]>::len);
        rest = &mut rest[used..];
    }
    received
}

/// Sends `data` with `write`, then copies the records into the caller's `out` with
/// `write_tls_into` (the copying API, with the caller's buffer reused).
pub fn send_into<S: lucid_tls::connection::Role>(
    from: &mut lucid_tls::connection::Connection<S>,
    data: &[u8],
    out: &mut Vec<u8>,
) -> usize {
    from.write(data).unwrap();
    // Room for the records: the content plus 22 bytes of header, type and tag per record.
    let room = data.len() + data.len().div_ceil(super::RECORD_BYTES).max(1) * 22;
    out.resize(room, 0);
    let n = from.write_tls_into(out);
    out.truncate(n);
    assert!(!from.has_output());
    n
}

/// Feeds `records` into `to` (its reader enabled) and reads the plaintext into `buf`.
pub fn receive_read<S: lucid_tls::connection::Role>(
    to: &mut lucid_tls::connection::Connection<S>,
    records: &[u8],
    buf: &mut [u8],
) -> usize {
    to.enable_reader();
    let mut received = 0;
    let mut rest = records;
    while !rest.is_empty() {
        // One record's worth at a time, read out before the next: the plaintext buffer
        // stays one record long.
        let piece = rest
            .len()
            .min(ClientConnection::sealed_len(super::RECORD_BYTES));
        to.feed(now(), &rest[..piece]).unwrap();
        rest = &rest[piece..];
        loop {
            let n = to.read(buf).unwrap();
            if n == 0 {
                break;
            }
            received += n;
        }
    }
    received
}
