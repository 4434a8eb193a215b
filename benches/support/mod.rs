//! What the benchmark binaries share: the scenarios, the certificates, and one driver per
//! TLS stack (lucid-tls on RustCrypto, lucid-tls on ring, rustls on ring), each of which
//! runs client and server in memory and reports their CPU time separately.
#![allow(dead_code)]

pub mod cpu;
pub mod floor;
pub mod lucid;
pub mod replay;
pub mod rustls_stack;

use std::cell::Cell;
use std::time::Duration;

use lucid_tls::wire::algorithms::{CipherSuite, NamedGroup};

/// The three TLS 1.3 suites lucid-tls and rustls both run.
pub const SUITES: [CipherSuite; 3] = [
    CipherSuite::TLS_AES_128_GCM_SHA256,
    CipherSuite::TLS_AES_256_GCM_SHA384,
    CipherSuite::TLS_CHACHA20_POLY1305_SHA256,
];

/// The two key-exchange groups.
pub const GROUPS: [NamedGroup; 2] = [NamedGroup::X25519, NamedGroup::Secp256r1];

/// Short names for benchmark ids.
pub fn suite_name(suite: CipherSuite) -> &'static str {
    match suite {
        CipherSuite::TLS_AES_128_GCM_SHA256 => "aes128gcm",
        CipherSuite::TLS_AES_256_GCM_SHA384 => "aes256gcm",
        _ => "chacha20",
    }
}

/// Short names for benchmark ids.
pub fn group_name(group: NamedGroup) -> &'static str {
    match group {
        NamedGroup::X25519 => "x25519",
        NamedGroup::X25519MlKem768 => "x25519mlkem768",
        _ => "p256",
    }
}

/// The server certificate kinds, each a self-signed certificate made once with openssl
/// (`benches/certs/`), pinned by the client: no chain building in either stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cert {
    /// ECDSA P-256: ecdsa_secp256r1_sha256.
    EcdsaP256,
    /// RSA-2048: rsa_pss_rsae_sha256.
    Rsa2048,
    /// Ed25519.
    Ed25519,
}

/// Every certificate kind.
pub const CERTS: [Cert; 3] = [Cert::EcdsaP256, Cert::Rsa2048, Cert::Ed25519];

impl Cert {
    /// Short name for benchmark ids.
    pub fn name(self) -> &'static str {
        match self {
            Self::EcdsaP256 => "ecdsa",
            Self::Rsa2048 => "rsa2048",
            Self::Ed25519 => "ed25519",
        }
    }

    /// The certificate, DER.
    pub fn der(self) -> Vec<u8> {
        match self {
            Self::EcdsaP256 => include_bytes!("../certs/ecdsa.cert.der").to_vec(),
            Self::Rsa2048 => include_bytes!("../certs/rsa.cert.der").to_vec(),
            Self::Ed25519 => include_bytes!("../certs/ed25519.cert.der").to_vec(),
        }
    }

    /// The private key, PKCS#8 DER.
    pub fn key_der(self) -> Vec<u8> {
        match self {
            Self::EcdsaP256 => include_bytes!("../certs/ecdsa.key.der").to_vec(),
            Self::Rsa2048 => include_bytes!("../certs/rsa.key.der").to_vec(),
            Self::Ed25519 => include_bytes!("../certs/ed25519.key.der").to_vec(),
        }
    }
}

/// One full-handshake scenario.
#[derive(Clone, Copy, Debug)]
pub struct Scenario {
    pub suite: CipherSuite,
    pub group: NamedGroup,
    pub cert: Cert,
}

impl Scenario {
    /// `aes128gcm/x25519/ecdsa`.
    pub fn id(&self) -> String {
        format!(
            "{}/{}/{}",
            suite_name(self.suite),
            group_name(self.group),
            self.cert.name()
        )
    }

    /// Every suite × group × certificate.
    pub fn all() -> Vec<Scenario> {
        let mut out = Vec::new();
        for suite in SUITES {
            for group in GROUPS {
                for cert in CERTS {
                    out.push(Scenario { suite, group, cert });
                }
            }
        }
        out
    }
}

/// Which side's CPU time a measurement accumulates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Client,
    Server,
}

impl Side {
    pub fn name(self) -> &'static str {
        match self {
            Side::Client => "client",
            Side::Server => "server",
        }
    }
}

thread_local! {
    /// Which side's code is running on this thread: 0 none, 1 client, 2 server. The
    /// memory benchmark's allocator charges each allocation to it.
    pub static CURRENT_SIDE: Cell<u8> = const { Cell::new(0) };
}

/// Time spent in each side's calls.
#[derive(Clone, Copy, Debug, Default)]
pub struct SideTimes {
    pub client: Duration,
    pub server: Duration,
}

impl SideTimes {
    /// Runs `f` and adds the CPU time it took to `side`.
    pub fn on<T>(&mut self, side: Side, f: impl FnOnce() -> T) -> T {
        let tag = match side {
            Side::Client => 1,
            Side::Server => 2,
        };
        let outer = CURRENT_SIDE.with(|s| s.replace(tag));
        let start = cpu::now();
        let out = f();
        let took = cpu::now().saturating_sub(start);
        CURRENT_SIDE.with(|s| s.set(outer));
        match side {
            Side::Client => self.client += took,
            Side::Server => self.server += took,
        }
        out
    }

    /// The time of `side`.
    pub fn of(&self, side: Side) -> Duration {
        match side {
            Side::Client => self.client,
            Side::Server => self.server,
        }
    }
}

/// Bulk transfer: 1 MiB of application data in 16 KiB records.
pub const BULK_BYTES: usize = 1 << 20;
/// The record payload size of the bulk transfer.
pub const RECORD_BYTES: usize = 16 * 1024;
/// The 0-RTT payload: a small request.
pub const EARLY_DATA: &[u8] = b"GET /index.html HTTP/1.1\r\nHost: server\r\n\r\n";
