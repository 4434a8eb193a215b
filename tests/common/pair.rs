//! An in-memory client and server: bytes move between them until neither has anything to
//! send, optionally cut into pieces (single bytes, or seeded random sizes), with the
//! caller's simulated clock.

use std::sync::Arc;

use lucid_tls::client::{ClientConfig, ClientConnection, PinnedCertificates, Ticket};
use lucid_tls::connection::Event;
use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::crypto::{CryptoError, CryptoProvider, Rng};
use lucid_tls::server::{CertifiedKey, ServerConfig, ServerConnection};
use lucid_tls::time::Time;
use lucid_tls::wire::certificate::Certificate;

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
    use rsa::pkcs1::EncodeRsaPrivateKey;
    let keys = vectors::load("keys");
    let block = keys.block("server", "RSA certificate private key");
    let int = |label: &str| rsa::BoxedUint::from_be_slice_vartime(block.get(label));
    let private = rsa::PrivateKey::from_components(
        int("modulus (public)"),
        int("public exponent"),
        int("private exponent"),
        vec![int("prime1"), int("prime2")],
    )
    .unwrap();
    let der = private.to_pkcs1_der().unwrap();
    let key = RustCryptoProvider.load_signing_key(der.as_bytes()).unwrap();
    CertifiedKey {
        chain: vec![rfc_certificate()],
        key: Arc::from(key),
        server_names: Vec::new(),
    }
}

/// RFC 8448 §3's server certificate (DER).
pub fn rfc_certificate() -> Vec<u8> {
    let simple = vectors::load("simple");
    let message = simple
        .block("server", "construct a Certificate handshake message")
        .get("Certificate");
    Certificate::decode(&message[4..]).unwrap().certificate_list[0]
        .cert_data
        .clone()
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
    ServerConfig::new(Arc::new(RustCryptoProvider), vec![rfc_certified_key()])
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
