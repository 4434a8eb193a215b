//! The TLS 1.3 client on UART0: a handshake with the server the host's peer relays to
//! (`openssl s_server`, or lucid-tls's own `examples/server`), an HTTP/1.0 GET, the
//! response, close_notify.
//!
//! The loop is the sans-IO pattern of `lucid_tls::connection`: send what `take_output`
//! returns, `feed` what the UART received, and act on `poll_event`. Only the time spent
//! inside the library is counted as the handshake's cost: the rest is the firmware
//! waiting for the host.
//!
//! Settings chosen for a small MCU: one suite (TLS_AES_128_GCM_SHA256), one key share
//! (X25519), one signature scheme (ecdsa_secp256r1_sha256, which the demo's P-256
//! certificates use), no PSK modes (no tickets to store), and small records both ways:
//! max_fragment_length 2^9 (RFC 6066), which OpenSSL honours, and record_size_limit 513
//! (RFC 8449: 512 bytes of content and the content type byte), which lucid-tls's server
//! honours. A server that knows record_size_limit ignores max_fragment_length (RFC 8449
//! §5), so each server picks the one it knows. Either way the client then receives no
//! record longer than 5 + 513 + 16 bytes, and its receive buffer stays within that.
//!
//! The server's certificate chain is validated in full (`lucid_tls::x509`, on
//! rustls-webpki): signatures up to the demo CA that `./run` made (the only trust anchor,
//! embedded at build time), validity at the board's time, basicConstraints, keyUsage,
//! extendedKeyUsage, and the name `server.lucid.test` against subjectAltName. Then the
//! CertificateVerify signature proves the server holds the certificate's key.
//!
//! Two expectations, as the host's peer asks: `tls` must complete the handshake and the
//! GET; `tls-untrusted` (a server whose certificate is not from the demo CA) must be
//! refused with an alert, without any application data.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;

use lucid_tls::client::{ClientConfig, ClientConnection};
use lucid_tls::connection::{Event, Negotiated};
use lucid_tls::crypto::Rng;
use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::record::limits::RecordSizeLimit;
use lucid_tls::wire::alert::AlertDescription;
use lucid_tls::wire::algorithms::{CipherSuite, NamedGroup, SignatureScheme};
use lucid_tls::wire::extensions::MaxFragmentLength;
use lucid_tls::wire::record::RECORD_HEADER_LEN;
use lucid_tls::x509::{CertificateValidator, TrustAnchors, WebPkiServerVerifier};

use crate::HEAP;
use crate::board::clock;
use crate::board::counter::Counter;
use crate::board::uart::Uart0;
use crate::report::{check, figure};

/// `CA_CERT` is the trust anchor; `SERVER_CERT` and `SERVER_KEY` (PKCS#8) are what the
/// server presents and signs with (the board's own server mode, [`crate::tls_server`]).
pub mod pki {
    include!(concat!(env!("OUT_DIR"), "/pki.rs"));
}

/// The name in the server certificate that `./run` generates, sent as SNI.
pub const SERVER_NAME: &str = "server.lucid.test";
/// What the client asks for; `./run` serves this file with `openssl s_server -WWW`.
const REQUEST: &[u8] = b"GET /hello.txt HTTP/1.0\r\nHost: server.lucid.test\r\n\r\n";
/// The status line a successful response starts with (OpenSSL says `ok`, lucid-tls `OK`:
/// compared without case).
const EXPECTED_STATUS: &[u8] = b"HTTP/1.0 200 ok";
/// The record_size_limit we advertise: the same 512 bytes of content as
/// max_fragment_length 2^9, plus the content type byte that RFC 8449 §4 counts.
const RECORD_SIZE_LIMIT: u16 = 513;
/// How much the firmware reads from the UART before feeding the connection.
const RECEIVE_CHUNK: usize = 256;
/// How long the whole exchange may take: 3 × 10^10 instructions, 30 s of virtual time.
const TIMEOUT_INSTRUCTIONS: u64 = 30_000_000_000;
/// Polls of an idle UART after which a partial chunk is fed anyway.
const IDLE_POLLS: u32 = 200;

/// What the exchange achieved.
#[derive(Default)]
pub(crate) struct Outcome {
    negotiated: Option<Negotiated>,
    response: Vec<u8>,
    peer_closed: bool,
    error: Option<&'static str>,
    /// The last alert we sent.
    alert_sent: Option<AlertDescription>,
    /// Instructions spent inside lucid-tls until the handshake completed.
    handshake_instructions: u64,
    /// Instructions spent inside lucid-tls in total.
    library_instructions: u64,
}

/// What the server is expected to do.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// Present a chain from the demo CA: the handshake and the GET must succeed.
    Trusted,
    /// Present a certificate from elsewhere: the client must refuse it.
    Untrusted,
}

/// Runs the client; returns how many checks failed.
#[inline(never)] // its own stack frame, measured on its own
pub fn run(uart: &mut Uart0, counter: &Counter, rng: Box<dyn Rng + Send>, expect: Expect) -> usize {
    let Ok(config) = config() else {
        return usize::from(!check(
            "tls",
            Err("no usable trust anchor in this build (build with MCU_PKI_DIR; ./run does)"),
        ));
    };
    figure(
        "certificate check",
        "X.509 chain validation to the demo CA (rustls-webpki), name server.lucid.test",
    );
    HEAP.reset_peak();
    let start = counter.now();
    let outcome = exchange(uart, counter, rng, config);
    let elapsed = counter.instructions_since(start);
    match expect {
        Expect::Trusted => report(&outcome, elapsed),
        Expect::Untrusted => report_refusal(&outcome),
    }
}

/// The client configuration for a small device.
pub(crate) fn config() -> Result<ClientConfig, lucid_tls::Error> {
    let anchors = TrustAnchors::from_der_certificates([pki::CA_CERT])?;
    let validator = CertificateValidator::new(Arc::new(RustCryptoProvider), anchors)
        .with_signature_schemes(&[SignatureScheme::EcdsaSecp256r1Sha256]);
    let mut config = WebPkiServerVerifier::new(validator).into_client_config();
    config.cipher_suites = vec![CipherSuite::TLS_AES_128_GCM_SHA256];
    config.key_share_groups = vec![NamedGroup::X25519];
    config.supported_groups = vec![NamedGroup::X25519, NamedGroup::Secp256r1];
    // The same single scheme for CertificateVerify and for certificates, so no
    // signature_algorithms_cert is needed.
    config.signature_schemes = vec![SignatureScheme::EcdsaSecp256r1Sha256];
    config.signature_schemes_cert = None;
    config.psk_modes = Vec::new();
    config.max_fragment_length = Some(MaxFragmentLength::Len512);
    config.record_size_limit = Some(RECORD_SIZE_LIMIT);
    Ok(config)
}

/// The handshake, the request and the response.
pub(crate) fn exchange(
    uart: &mut Uart0,
    counter: &Counter,
    rng: Box<dyn Rng + Send>,
    config: ClientConfig,
) -> Outcome {
    let mut outcome = Outcome::default();
    let config = Arc::new(config);
    let (connection, cost) = counter
        .measure(|| ClientConnection::new(config, Some(SERVER_NAME), rng, clock::now(counter)));
    outcome.library_instructions += cost;
    let mut connection = match connection {
        Ok(connection) => connection,
        Err(_) => {
            outcome.error = Some("could not start the connection");
            return outcome;
        }
    };

    let start = counter.now();
    let mut received = Vec::with_capacity(RECEIVE_CHUNK);
    let mut idle = 0u32;
    let mut closed = false;
    loop {
        // Send whatever the connection has queued.
        if connection.has_output() {
            let (output, cost) = counter.measure(|| connection.take_output());
            outcome.library_instructions += cost;
            uart.write_all(&output);
        }
        if closed || outcome.error.is_some() {
            break;
        }

        // Gather received bytes; feed a full chunk, or what arrived once the line is idle.
        match uart.try_read_byte() {
            Some(byte) => {
                received.push(byte);
                idle = 0;
            }
            None => idle = idle.saturating_add(1),
        }
        if received.len() == RECEIVE_CHUNK || (!received.is_empty() && idle > IDLE_POLLS) {
            let now = clock::now(counter);
            let (fed, cost) = counter.measure(|| connection.feed(now, &received));
            outcome.library_instructions += cost;
            received.clear();
            if fed.is_err() {
                outcome.error = Some("the connection failed (see the alert above)");
            }
        }

        // Act on what happened.
        while let Some(event) = connection.poll_event() {
            match event {
                Event::HandshakeComplete(negotiated) => {
                    outcome.handshake_instructions = outcome.library_instructions;
                    outcome.negotiated = Some(negotiated);
                    let (written, cost) = counter.measure(|| connection.write(REQUEST));
                    outcome.library_instructions += cost;
                    if written.is_err() {
                        outcome.error = Some("could not send the request");
                    }
                }
                Event::ApplicationData(data) => outcome.response.extend_from_slice(&data),
                Event::PeerClosed => {
                    outcome.peer_closed = true;
                    connection.close();
                    closed = true;
                }
                Event::AlertReceived(alert) => figure("tls alert received", alert.rfc_name()),
                Event::AlertSent(alert) => {
                    figure("tls alert sent", alert.rfc_name());
                    outcome.alert_sent = Some(alert);
                }
                _ => {}
            }
        }
        if counter.instructions_since(start) > TIMEOUT_INSTRUCTIONS {
            outcome.error = Some("timed out");
        }
    }
    outcome
}

/// Prints the outcome and the figures; returns how many checks failed.
pub(crate) fn report(outcome: &Outcome, elapsed: u64) -> usize {
    let mut failures = 0;
    if let Some(negotiated) = &outcome.negotiated {
        figure("handshake", "complete");
        figure("tls version", negotiated.version.rfc_name());
        figure("tls cipher suite", negotiated.cipher_suite.rfc_name());
        if let Some(group) = negotiated.key_exchange_group {
            figure("tls key exchange group", group.rfc_name());
        }
        if let Some(scheme) = negotiated.signature_scheme {
            figure("tls server signature scheme", scheme.rfc_name());
        }
        if let Some(name) = &negotiated.server_name {
            figure("tls server name", name);
        }
        if let Some(len) = negotiated.max_fragment_length {
            figure("tls max fragment length", len);
        }
        if let Some(limit) = negotiated.peer_record_size_limit {
            figure("tls peer record size limit", limit);
        }
        figure(
            "tls server certificates",
            negotiated.peer_certificates.len(),
        );
    }
    failures += usize::from(!check(
        "tls handshake",
        match (&outcome.negotiated, outcome.error) {
            (Some(_), _) => Ok(()),
            (None, Some(why)) => Err(why),
            (None, None) => Err("no handshake"),
        },
    ));
    let status_line = outcome
        .response
        .split(|&b| b == b'\r' || b == b'\n')
        .next()
        .unwrap_or(&[]);
    figure("http status", String::from_utf8_lossy(status_line));
    if let Some(body) = find_body(&outcome.response) {
        figure("http body", String::from_utf8_lossy(body).trim_end());
    }
    failures += usize::from(!check(
        "http get",
        if status_line
            .get(..EXPECTED_STATUS.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(EXPECTED_STATUS))
        {
            Ok(())
        } else {
            Err("no \"200 ok\" response")
        },
    ));
    failures += usize::from(!check(
        "tls close_notify from the server",
        if outcome.peer_closed {
            Ok(())
        } else {
            Err("the server did not close")
        },
    ));
    figure("handshake instructions", outcome.handshake_instructions);
    figure("tls library instructions", outcome.library_instructions);
    figure("tls elapsed instructions (including waiting)", elapsed);
    let heap = HEAP.figures();
    figure("tls heap peak live bytes", heap.peak_live);
    // What the connection's receive buffer may hold at most: one record within the limit
    // we advertised (the deframer is sized from it once the server agreed to it).
    let negotiated = outcome.negotiated.as_ref();
    let limit = match negotiated.and_then(|n| n.max_fragment_length) {
        Some(len) => RecordSizeLimit::max_fragment_length_for_receiving(len),
        None if negotiated.is_some_and(|n| n.peer_record_size_limit.is_some()) => {
            RecordSizeLimit::from_record_size_limit(RECORD_SIZE_LIMIT).unwrap_or_default()
        }
        None => RecordSizeLimit::PROTOCOL_MAX,
    };
    figure(
        "tls receive buffer limit bytes (one record)",
        RECORD_HEADER_LEN + limit.max_ciphertext_len(),
    );
    figure(
        "client connection struct bytes",
        core::mem::size_of::<ClientConnection>(),
    );
    failures
}

/// The untrusted server's outcome: refused with a certificate alert, no data exchanged.
fn report_refusal(outcome: &Outcome) -> usize {
    let refused = match (&outcome.negotiated, outcome.alert_sent) {
        (Some(_), _) => Err("the handshake completed with an untrusted certificate"),
        (None, Some(AlertDescription::UnknownCa | AlertDescription::BadCertificate)) => Ok(()),
        (None, Some(_)) => Err("refused, but not with unknown_ca or bad_certificate"),
        (None, None) => Err("no alert sent"),
    };
    let failures = usize::from(!check("untrusted server certificate refused", refused));
    failures
        + usize::from(!check(
            "no application data from the untrusted server",
            if outcome.response.is_empty() {
                Ok(())
            } else {
                Err("data arrived")
            },
        ))
}

/// The body of an HTTP response: what follows the first empty line.
fn find_body(response: &[u8]) -> Option<&[u8]> {
    let at = response.windows(4).position(|w| w == b"\r\n\r\n")?;
    response.get(at + 4..)
}
