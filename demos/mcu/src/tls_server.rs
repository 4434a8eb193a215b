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
//! The I/O loop is lucid-tls's blocking embedded-io adapter over UART0 ([`crate::link`]),
//! as for the client.
//!
//! Mutual TLS: the server requires the client's certificate and validates its chain up to
//! the demo CA. A certificate from another CA is refused with unknown_ca, which this run
//! reports for `./run` to check (its refusal run).
//!
//! Settings chosen for a small MCU: one suite (TLS_AES_128_GCM_SHA256), X25519 then
//! P-256, no tickets (nothing to seal or store), no trace events, and a record_size_limit
//! of 513 for clients that send one.

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;

use embedded_io::{Read, Write};
use lucid_tls::adapters::embedded::TlsStream;
use lucid_tls::connection::{Event, Negotiated};
use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::crypto::{CryptoProvider, Rng};
#[cfg(feature = "x509")]
use lucid_tls::server::ClientAuth;
use lucid_tls::server::{CertifiedKey, ServerConfig, ServerConnection, ServerRole};
use lucid_tls::time::Time;
use lucid_tls::wire::alert::AlertDescription;
use lucid_tls::wire::algorithms::CipherSuite;
#[cfg(feature = "x509")]
use lucid_tls::wire::algorithms::SignatureScheme;
#[cfg(feature = "x509")]
use lucid_tls::x509::{CertificateValidator, TrustAnchors, WebPkiClientVerifier};

use crate::HEAP;
use crate::board::clock;
use crate::board::counter::Counter;
use crate::board::uart::Uart0;
use crate::link::UartLink;
use crate::report::{check, figure};
use crate::tls::{TIMEOUT_INSTRUCTIONS, describe, pki};

/// The response to any request.
const RESPONSE: &[u8] =
    b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nHello from lucid-tls on a Cortex-M4\n";
/// The buffer the UART is read into before the connection takes the bytes.
const RECEIVE_CHUNK: usize = 256;

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
    let (connection, new_cost) =
        counter.measure(|| ServerConnection::new(config, rng, clock::now(counter)));
    let Ok(connection) = connection else {
        return usize::from(!check("tls server", Err("could not start the connection")));
    };
    let mut read_buffer = [0u8; RECEIVE_CHUNK];
    let link = UartLink::new(uart, counter, TIMEOUT_INSTRUCTIONS, Some(first));
    let mut tls = TlsStream::new(connection, link, &mut read_buffer, || clock::now(counter));
    // Everything but the time spent waiting on the UART is lucid-tls's.
    let start = counter.now();
    let handshake = tls.handshake();
    let handshake_instructions = new_cost
        + counter
            .instructions_since(start)
            .saturating_sub(tls.transport().waited());
    let negotiated: Option<Negotiated> = tls.connection().negotiated().cloned();
    let mut answered = false;
    let result = handshake.map_err(describe).and_then(|()| {
        answer(&mut tls)?;
        answered = true;
        Ok(())
    });
    let library = new_cost
        + counter
            .instructions_since(start)
            .saturating_sub(tls.transport().waited());
    let error = result.err();
    let mut alert_sent = None;
    while let Some(event) = tls.connection_mut().poll_event() {
        match event {
            Event::AlertReceived(alert) => figure("tls alert received", alert.rfc_name()),
            Event::AlertSent(alert) => {
                figure("tls alert sent", alert.rfc_name());
                alert_sent = Some(alert);
            }
            _ => {}
        }
    }
    // The refusal run: a client certificate from a CA the board does not know must end the
    // handshake with unknown_ca (RFC 9846 §6.2). Which run this is, only the host knows;
    // `./run` checks this line there.
    if negotiated.is_none() && alert_sent == Some(AlertDescription::UnknownCa) {
        figure("tls server refused the client certificate", "unknown_ca");
        return 0;
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
        figure("tls client certificates", n.peer_certificates.len());
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

/// Reads one HTTP request (to its blank line), answers it, and closes.
fn answer<C: FnMut() -> Time>(
    tls: &mut TlsStream<'_, ServerRole, UartLink<'_>, C>,
) -> Result<(), &'static str> {
    let mut request = Vec::new();
    let mut chunk = [0u8; 128];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = tls.read(&mut chunk).map_err(describe)?;
        if n == 0 {
            return Err("the client closed first");
        }
        request.extend_from_slice(chunk.get(..n).unwrap_or(&[]));
    }
    tls.write_all(RESPONSE).map_err(describe)?;
    tls.close().map_err(describe)
}

/// The server configuration for a small device.
fn config() -> Result<ServerConfig, lucid_tls::Error> {
    let provider = Arc::new(RustCryptoProvider);
    let key = provider
        .load_signing_key(pki::SERVER_KEY)
        .map_err(lucid_tls::Error::Crypto)?;
    let certificate = CertifiedKey {
        chain: vec![pki::SERVER_CERT.to_vec(), pki::CA_CERT.to_vec()],
        raw_public_key: None,
        key: Arc::from(key),
        server_names: Vec::new(),
    };
    let mut config = ServerConfig::new(provider.clone(), vec![certificate]);
    // Mutual TLS: the client's chain must lead to the demo CA (full X.509 validation).
    #[cfg(feature = "x509")]
    {
        let anchors = TrustAnchors::from_der_certificates([pki::CA_CERT])?;
        let validator = CertificateValidator::new(provider, anchors)
            .with_signature_schemes(&[SignatureScheme::EcdsaSecp256r1Sha256]);
        config.client_auth = ClientAuth::Required(Arc::new(WebPkiClientVerifier::new(validator)));
    }
    config.cipher_suites = vec![CipherSuite::TLS_AES_128_GCM_SHA256];
    config.record_size_limit = Some(513);
    config.trace = false;
    Ok(config)
}
