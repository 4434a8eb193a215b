//! The TLS 1.3 server on UART0: the board answers `openssl s_client`.
//!
//! QEMU listens for the client itself (`-serial tcp::PORT,server`): the first byte the
//! board receives is the client's, 0x16, the start of a handshake record carrying its
//! ClientHello. `main` reads that byte to tell this run from the host peer's runs, and
//! hands it over. The server presents the demo chain (server certificate, then the demo
//! CA) and signs CertificateVerify with the server's ECDSA P-256 key, both embedded at
//! build time. It accepts the client's max_fragment_length (OpenSSL's `-maxfraglen 512`)
//! or record_size_limit, answers one HTTP request with a short text, and closes.
//!
//! Settings chosen for a small MCU: one suite (TLS_AES_128_GCM_SHA256), X25519 then
//! P-256, no tickets (nothing to seal or store), no trace events, and a record_size_limit
//! of 513 for clients that send one.

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;

use lucid_tls::connection::{Event, Negotiated};
use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::crypto::{CryptoProvider, Rng};
use lucid_tls::server::{CertifiedKey, ServerConfig, ServerConnection};
use lucid_tls::wire::algorithms::CipherSuite;

use crate::HEAP;
use crate::board::clock;
use crate::board::counter::Counter;
use crate::board::uart::Uart0;
use crate::report::{check, figure};
use crate::tls::pki;

/// The response to any request.
const RESPONSE: &[u8] =
    b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nHello from lucid-tls on a Cortex-M4\n";
/// How long the whole exchange may take: 3 × 10^10 instructions, 30 s of virtual time.
const TIMEOUT_INSTRUCTIONS: u64 = 30_000_000_000;

/// Runs the server; `first` is the client's first byte, already read. Returns how many
/// checks failed.
#[inline(never)] // its own stack frame, measured on its own
pub fn run(uart: &mut Uart0, counter: &Counter, rng: Box<dyn Rng + Send>, first: u8) -> usize {
    let config = match config() {
        Ok(config) => Arc::new(config),
        Err(_) => {
            return usize::from(!check(
                "tls server",
                Err("no usable certificate or key in this build (./run embeds them)"),
            ));
        }
    };
    HEAP.reset_peak();
    let start = counter.now();
    let (connection, mut library) =
        counter.measure(|| ServerConnection::new(config, rng, clock::now(counter)));
    let Ok(mut connection) = connection else {
        return usize::from(!check("tls server", Err("could not start the connection")));
    };
    let mut received = vec![first];
    let mut request = Vec::new();
    let mut negotiated: Option<Negotiated> = None;
    let mut handshake_instructions = 0;
    let mut answered = false;
    let mut error = None;
    loop {
        if !received.is_empty() {
            let now = clock::now(counter);
            let (fed, cost) = counter.measure(|| connection.feed(now, &received));
            library += cost;
            received.clear();
            if fed.is_err() {
                error = Some("the connection failed (see the alert above)");
            }
        }
        while let Some(event) = connection.poll_event() {
            match event {
                Event::HandshakeComplete(n) => {
                    handshake_instructions = library;
                    negotiated = Some(n);
                }
                Event::ApplicationData(data) => request.extend_from_slice(&data),
                Event::PeerClosed => error = error.or(Some("the client closed first")),
                Event::AlertReceived(alert) => figure("tls alert received", alert.rfc_name()),
                Event::AlertSent(alert) => figure("tls alert sent", alert.rfc_name()),
                _ => {}
            }
        }
        if !answered && request.windows(4).any(|w| w == b"\r\n\r\n") {
            let (written, cost) = counter.measure(|| {
                let written = connection.write(RESPONSE);
                connection.close();
                written
            });
            library += cost;
            answered = written.is_ok();
        }
        if connection.has_output() {
            let (output, cost) = counter.measure(|| connection.take_output());
            library += cost;
            uart.write_all(&output);
        }
        if answered || error.is_some() || counter.instructions_since(start) > TIMEOUT_INSTRUCTIONS {
            break;
        }
        // Whatever has arrived; the next round feeds it.
        while let Some(byte) = uart.try_read_byte() {
            received.push(byte);
        }
    }

    if let Some(n) = &negotiated {
        figure("server handshake", "complete");
        figure("tls cipher suite", n.cipher_suite.rfc_name());
        if let Some(group) = n.key_exchange_group {
            figure("tls key exchange group", group.rfc_name());
        }
        if let Some(len) = n.max_fragment_length {
            figure("tls max fragment length", len);
        }
        if let Some(limit) = n.peer_record_size_limit {
            figure("tls peer record size limit", limit);
        }
    }
    let mut failures = usize::from(!check(
        "tls server handshake",
        match (&negotiated, error) {
            (Some(_), _) => Ok(()),
            (None, Some(why)) => Err(why),
            (None, None) => Err("timed out"),
        },
    ));
    failures += usize::from(!check(
        "http request answered",
        if answered { Ok(()) } else { Err("no request") },
    ));
    figure("server handshake instructions", handshake_instructions);
    figure("server tls library instructions", library);
    figure("server heap peak live bytes", HEAP.figures().peak_live);
    failures
}

/// The server configuration for a small device.
fn config() -> Result<ServerConfig, lucid_tls::Error> {
    let provider = Arc::new(RustCryptoProvider);
    let key = provider
        .load_signing_key(pki::SERVER_KEY)
        .map_err(lucid_tls::Error::Crypto)?;
    let certificate = CertifiedKey {
        chain: vec![pki::SERVER_CERT.to_vec(), pki::CA_CERT.to_vec()],
        key: Arc::from(key),
        server_names: Vec::new(),
    };
    let mut config = ServerConfig::new(provider, vec![certificate]);
    config.cipher_suites = vec![CipherSuite::TLS_AES_128_GCM_SHA256];
    config.record_size_limit = Some(513);
    config.trace = false;
    Ok(config)
}
