//! The TLS 1.3 client on UART0: a handshake with the server the host's peer relays to
//! (`openssl s_server`, or lucid-tls's own `examples/server`), an HTTP/1.0 GET, the
//! response, close_notify.
//!
//! The I/O loop is lucid-tls's blocking embedded-io adapter
//! (`lucid_tls::adapters::embedded::TlsStream`) over UART0 ([`crate::link`]). Only the
//! time spent inside the library is counted as the handshake's cost: the time spent in
//! the link is the firmware waiting for the host, and is subtracted.
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

use embedded_io::{Read, Write};
use lucid_tls::adapters::embedded::{StreamError, TlsStream};
use lucid_tls::client::{CertifiedKey, ClientConfig, ClientConnection, ClientRole};
use lucid_tls::connection::{Event, Negotiated, RequestKind};
use lucid_tls::crypto::Rng;
use lucid_tls::record::limits::RecordSizeLimit;
use lucid_tls::time::Time;
use lucid_tls::wire::alert::AlertDescription;
use lucid_tls::wire::algorithms::{CipherSuite, NamedGroup, SignatureScheme};
use lucid_tls::wire::extensions::MaxFragmentLength;
use lucid_tls::wire::record::RECORD_HEADER_LEN;
#[cfg(feature = "x509")]
use lucid_tls::x509::{CertificateValidator, TrustAnchors, WebPkiServerVerifier};

use crate::HEAP;
use crate::board::clock;
use crate::board::counter::Counter;
use crate::board::rng::InsecureDemoRng;
use crate::board::uart::Uart0;
use crate::link::UartLink;
use crate::measured::{self, MeasuredProvider};
use crate::report::{check, figure};
use crate::secure_element::{DeferredKey, SecureElement};

/// `CA_CERT` is the trust anchor; `SERVER_CERT` and `SERVER_KEY` (PKCS#8) are what the
/// server presents and signs with (the board's own server mode, [`crate::tls_server`]).
#[cfg_attr(not(feature = "server"), allow(dead_code))]
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
/// The key share sent, and the groups offered: X25519 (P-256 after a HelloRetryRequest),
/// or P-256 alone in the client-only image (its minimal algorithm set).
#[cfg(not(feature = "client-only"))]
const KEY_SHARE_GROUP: NamedGroup = NamedGroup::X25519;
#[cfg(not(feature = "client-only"))]
const SUPPORTED_GROUPS: &[NamedGroup] = &[NamedGroup::X25519, NamedGroup::Secp256r1];
#[cfg(feature = "client-only")]
const KEY_SHARE_GROUP: NamedGroup = NamedGroup::Secp256r1;
#[cfg(feature = "client-only")]
const SUPPORTED_GROUPS: &[NamedGroup] = &[NamedGroup::Secp256r1];
/// The buffer the UART is read into before the connection takes the bytes.
pub(crate) const RECEIVE_CHUNK: usize = 128;
/// How long the whole exchange may take: 3 × 10^10 instructions, 30 s of virtual time.
pub const TIMEOUT_INSTRUCTIONS: u64 = 30_000_000_000;

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
    /// Instructions the secure element's signatures took (within the handshake's count).
    signing_instructions: u64,
    /// Instructions of the signature verifications (within the handshake's count), and
    /// how many there were ([`crate::measured`]).
    verify_instructions: u64,
    verifications: u32,
    /// Reads of the UART that brought bytes during the handshake: each is one call into
    /// the connection, whose fixed cost is part of the handshake's count.
    handshake_reads: usize,
}

/// What the server is expected to do.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// Present a chain from the demo CA: the handshake and the GET must succeed.
    Trusted,
    /// Present a certificate from elsewhere: the client must refuse it.
    Untrusted,
    /// Present a chain from the demo CA and require the board's certificate (mutual TLS):
    /// the board signs its CertificateVerify through the deferred signing interface.
    Mutual,
}

/// Runs the client; returns how many checks failed.
#[inline(never)] // its own stack frame, measured on its own
pub fn run(uart: &mut Uart0, counter: &Counter, rng: Box<dyn Rng + Send>, expect: Expect) -> usize {
    let mutual = expect == Expect::Mutual;
    let Ok(config) = config(|config| {
        if mutual {
            // The board's certificate, with a key that defers to the secure element.
            config.client_auth = vec![CertifiedKey::new(
                vec![pki::CLIENT_CERT.to_vec()],
                Arc::new(DeferredKey),
            )];
        }
    }) else {
        return usize::from(!check(
            "tls",
            Err("no usable trust anchor in this build (build with MCU_PKI_DIR; ./run does)"),
        ));
    };
    figure("certificate check", SERVER_CHECK);
    let secure_element = match expect {
        Expect::Mutual => match SecureElement::load() {
            Ok(element) => {
                figure(
                    "client certificate",
                    "board.lucid.test from the demo CA, signed through Event::SignRequest",
                );
                Some(element)
            }
            Err(_) => return usize::from(!check("tls", Err("no client key in this build"))),
        },
        _ => None,
    };
    HEAP.reset_peak();
    let start = counter.now();
    let outcome = exchange(uart, counter, rng, config, secure_element.as_ref());
    let elapsed = counter.instructions_since(start);
    match expect {
        Expect::Trusted | Expect::Mutual => report(&outcome, elapsed),
        Expect::Untrusted => report_refusal(&outcome),
    }
}

/// The client configuration for a small device, with what `adjust` changes. Made in a
/// frame of its own and handed over shared, so that no caller's frame holds a copy.
#[inline(never)]
pub(crate) fn config(
    adjust: impl FnOnce(&mut ClientConfig),
) -> Result<Arc<ClientConfig>, lucid_tls::Error> {
    let mut config = server_check()?;
    config.cipher_suites = vec![CipherSuite::TLS_AES_128_GCM_SHA256];
    config.key_share_groups = vec![KEY_SHARE_GROUP];
    config.supported_groups = SUPPORTED_GROUPS.to_vec();
    // The same single scheme for CertificateVerify and for certificates, so no
    // signature_algorithms_cert is needed.
    config.signature_schemes = vec![SignatureScheme::EcdsaSecp256r1Sha256];
    config.signature_schemes_cert = None;
    config.psk_modes = Vec::new();
    config.max_fragment_length = Some(MaxFragmentLength::Len512);
    config.record_size_limit = Some(RECORD_SIZE_LIMIT);
    adjust(&mut config);
    Ok(Arc::new(config))
}

/// How the server is authenticated, in the X.509 image: its chain is validated in full up
/// to the demo CA, and must name `server.lucid.test`.
#[cfg(feature = "x509")]
fn server_check() -> Result<ClientConfig, lucid_tls::Error> {
    let anchors = TrustAnchors::from_der_certificates([pki::CA_CERT])?;
    let validator = CertificateValidator::new(Arc::new(MeasuredProvider), anchors)
        .with_signature_schemes(&[SignatureScheme::EcdsaSecp256r1Sha256]);
    Ok(WebPkiServerVerifier::new(validator).into_client_config())
}

/// How the server is authenticated, in the image without X.509 (rustls-webpki compiled
/// out): the server sends its raw public key (RFC 7250), which must be the one pinned at
/// build time. The ClientHello offers the raw public key type alone, so a server that
/// answers with a certificate is refused.
#[cfg(not(feature = "x509"))]
fn server_check() -> Result<ClientConfig, lucid_tls::Error> {
    use lucid_tls::verify::PinnedPublicKeys;
    use lucid_tls::wire::codes::CertificateType;
    let pinned = PinnedPublicKeys::new(vec![pki::SERVER_SPKI.to_vec()]);
    let mut config = ClientConfig::new(Arc::new(MeasuredProvider), Arc::new(pinned));
    config.server_certificate_types = vec![CertificateType::RawPublicKey];
    Ok(config)
}

/// What [`server_check`] checks, for the report.
pub const SERVER_CHECK: &str = if cfg!(feature = "x509") {
    "X.509 chain validation to the demo CA (rustls-webpki), name server.lucid.test"
} else {
    "raw public key (RFC 7250) pinned at build time; no X.509 code in this image"
};

/// The handshake, the request and the response. Its own frame, apart from the reports.
#[inline(never)]
pub(crate) fn exchange(
    uart: &mut Uart0,
    counter: &Counter,
    rng: Box<dyn Rng + Send>,
    config: Arc<ClientConfig>,
    secure_element: Option<&SecureElement>,
) -> Outcome {
    let mut outcome = Outcome::default();
    let mut read_buffer = [0u8; RECEIVE_CHUNK];
    measured::reset();
    let opened = counter.now();
    let Some(mut tls) = open(uart, counter, rng, config, &mut read_buffer) else {
        outcome.error = Some("could not start the connection");
        return outcome;
    };
    let cost = counter.instructions_since(opened);
    outcome.library_instructions += cost;
    // Everything but the time spent waiting on the UART is lucid-tls's.
    let start = counter.now();
    let handshake = loop {
        match tls.handshake() {
            // Paused for the board's CertificateVerify: the secure element signs.
            Err(StreamError::Paused(RequestKind::Signature)) if secure_element.is_some() => {
                let (answered, signing) =
                    counter.measure(|| answer_sign_requests(&mut tls, secure_element));
                outcome.signing_instructions += signing;
                if let Err(why) = answered {
                    break Err(StreamError::Tls(why));
                }
            }
            result => break result,
        }
    };
    outcome.handshake_instructions = cost
        + counter
            .instructions_since(start)
            .saturating_sub(tls.transport().waited());
    outcome.handshake_reads = tls.transport().reads;
    let (verify_ticks, verifications) = measured::verification_ticks();
    outcome.verify_instructions = counter.instructions_for_ticks(verify_ticks);
    outcome.verifications = verifications;
    let result = handshake.map_err(describe).and_then(|()| {
        outcome.negotiated = tls.connection().negotiated().cloned();
        talk(&mut *tls, &mut outcome)
    });
    outcome.library_instructions += counter
        .instructions_since(start)
        .saturating_sub(tls.transport().waited());
    if let Err(why) = result {
        outcome.error = Some(why);
    }
    // The alerts either side sent, from the events the adapter leaves in the connection.
    while let Some(event) = tls.connection_mut().poll_event() {
        match event {
            Event::AlertReceived(alert) => figure("tls alert received", alert.rfc_name()),
            Event::AlertSent(alert) => {
                figure("tls alert sent", alert.rfc_name());
                outcome.alert_sent = Some(alert);
            }
            _ => {}
        }
    }
    outcome
}

/// Answers the connection's signature requests with the secure element's signatures. Its
/// own frame, off the handshake's deepest path.
#[inline(never)]
fn answer_sign_requests<C: FnMut() -> Time>(
    tls: &mut TlsStream<'_, ClientRole, UartLink<'_>, C>,
    secure_element: Option<&SecureElement>,
) -> Result<(), lucid_tls::Error> {
    let element = secure_element.ok_or(lucid_tls::Error::Misuse("no secure element"))?;
    // The stand-in's signatures are deterministic (RFC 6979); this RNG is not drawn from.
    let mut rng = InsecureDemoRng::from_predictable_seed(b"secure element");
    while let Some(event) = tls.connection_mut().poll_event() {
        if let Event::SignRequest(request) = event {
            figure("tls sign request", request.scheme.rfc_name());
            let signature = element.sign(&request, &mut rng);
            tls.connection_mut()
                .answer_signature(request.id, signature)?;
        }
    }
    Ok(())
}

/// Starts the connection and wraps it in the adapter, in a frame of its own: the
/// temporaries of `ClientConnection::new` (the config before it is shared, the connection
/// before it moves into the stream) are gone before the handshake's deepest point.
#[inline(never)]
fn open<'a, 'b>(
    uart: &'a mut Uart0,
    counter: &'a Counter,
    rng: Box<dyn Rng + Send>,
    config: Arc<ClientConfig>,
    read_buffer: &'b mut [u8],
) -> Option<Box<TlsStream<'b, ClientRole, UartLink<'a>, impl FnMut() -> Time + 'a>>> {
    let connection =
        ClientConnection::new(config, Some(SERVER_NAME), rng, clock::now(counter)).ok()?;
    let link = UartLink::new(uart, counter, TIMEOUT_INSTRUCTIONS, None);
    // On the heap: the stream is then not copied from frame to frame on its way up.
    Some(Box::new(TlsStream::new(
        connection,
        link,
        read_buffer,
        move || clock::now(counter),
    )))
}

/// After the handshake: the GET, the response until the server's close_notify, and ours.
#[inline(never)]
pub(crate) fn talk<C: FnMut() -> Time>(
    tls: &mut TlsStream<'_, ClientRole, UartLink<'_>, C>,
    outcome: &mut Outcome,
) -> Result<(), &'static str> {
    tls.write_all(REQUEST).map_err(describe)?;
    tls.flush().map_err(describe)?;
    let mut chunk = [0u8; 128];
    loop {
        let n = tls.read(&mut chunk).map_err(describe)?;
        if n == 0 {
            outcome.peer_closed = true;
            break;
        }
        outcome
            .response
            .extend_from_slice(chunk.get(..n).unwrap_or(&[]));
    }
    tls.close().map_err(describe)
}

/// Why a call on the stream failed, in a few words.
pub fn describe<E>(err: StreamError<E>) -> &'static str {
    match err {
        StreamError::Tls(_) => "the connection failed (see the alert above)",
        StreamError::Transport(_) => "timed out",
        StreamError::UnexpectedEof => "the peer went away without close_notify",
        StreamError::WriteZero => "the UART took nothing",
        StreamError::Paused(_) => "paused for a deferred decision",
    }
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
    if outcome.signing_instructions > 0 {
        figure(
            "secure element signing instructions (within the handshake's)",
            outcome.signing_instructions,
        );
    }
    figure(
        "signature verification instructions (within the handshake's)",
        outcome.verify_instructions,
    );
    figure(
        "signature verifications (within the handshake's)",
        outcome.verifications,
    );
    figure("handshake uart reads", outcome.handshake_reads);
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
