//! What the example client and server share: parsing the command line's lists, loading
//! trust anchors, the key log, and naming what a handshake negotiated.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use lucid_tls::connection::Negotiated;
use lucid_tls::crypto::CryptoProvider;
use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::keylog::{KeyLog, KeyLogFile};
use lucid_tls::stream::TraceSink;
use lucid_tls::trace::{Direction, TraceEvent};
use lucid_tls::wire::algorithms::{NamedGroup, SignatureScheme};
use lucid_tls::wire::codes::CertificateType;
use lucid_tls::wire::handshake::HandshakeMessage;
use lucid_tls::x509::{CertificateValidator, TrustAnchors};

/// The crypto provider both examples use.
pub fn provider() -> Arc<dyn CryptoProvider> {
    Arc::new(RustCryptoProvider)
}

/// A comma-separated list, items trimmed, empty items dropped.
pub fn split_list(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// A comma-separated list of names into values, by their `FromStr` (suites, groups and
/// signature schemes parse their RFC names, ignoring case: `TLS_AES_128_GCM_SHA256`,
/// `x25519,secp256r1`, also `P-256`).
pub fn parse_list<T>(list: &str) -> Result<Vec<T>, String>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    split_list(list)
        .iter()
        .map(|name| name.parse::<T>().map_err(|e| format!("{name:?}: {e}")))
        .collect()
}

/// A certificate validator trusting every certificate in the PEM files `paths`.
pub fn validator(paths: &[PathBuf]) -> Result<CertificateValidator, String> {
    let mut anchors = TrustAnchors::new();
    for path in paths {
        let certificates = lucid_tls::pem::load_certificates(path).map_err(|e| e.to_string())?;
        for certificate in certificates {
            anchors
                .add_der_certificate(&certificate)
                .map_err(|e| format!("{}: not a usable trust anchor: {e}", path.display()))?;
        }
    }
    Ok(CertificateValidator::new(provider(), anchors))
}

/// The public keys (DER SubjectPublicKeyInfo) in the files `paths`: raw public keys
/// (RFC 7250) to pin.
pub fn public_keys(paths: &[PathBuf]) -> Result<Vec<Vec<u8>>, String> {
    paths
        .iter()
        .map(|path| lucid_tls::pem::load_public_key(path).map_err(|e| e.to_string()))
        .collect()
}

/// The key log the SSLKEYLOGFILE environment variable asks for, if any.
pub fn keylog_from_env() -> Option<Arc<dyn KeyLog>> {
    let keylog = KeyLogFile::from_env()?;
    Some(Arc::new(keylog))
}

/// A signature scheme's name, or `none`.
pub fn scheme_name(scheme: Option<SignatureScheme>) -> &'static str {
    scheme.map_or("none", SignatureScheme::rfc_name)
}

/// A group's name, or `none` (psk_ke).
pub fn group_name(group: Option<NamedGroup>) -> &'static str {
    group.map_or("none", NamedGroup::rfc_name)
}

/// The sides ("server", "client") that authenticated with a raw public key (RFC 7250), from
/// `Negotiated::server_certificate_type` and `client_certificate_type`.
pub fn raw_public_key_sides(negotiated: &Negotiated) -> Vec<&'static str> {
    let raw = Some(CertificateType::RawPublicKey);
    let mut sides = Vec::new();
    if negotiated.server_certificate_type == raw {
        sides.push("server");
    }
    if negotiated.client_certificate_type == raw {
        sides.push("client");
    }
    sides
}

/// ` server-certificate-type=RawPublicKey` and ` client-certificate-type=RawPublicKey` for
/// a summary line, each when that side used a raw public key; nothing for X.509, so that
/// the lines of X.509 handshakes read as before.
pub fn raw_public_key_pairs(negotiated: &Negotiated) -> String {
    raw_public_key_sides(negotiated)
        .iter()
        .map(|side| format!(" {side}-certificate-type=RawPublicKey"))
        .collect()
}

/// An ALPN protocol as text, or `none`.
pub fn alpn_name(alpn: Option<&[u8]>) -> String {
    alpn.map_or("none".into(), |a| String::from_utf8_lossy(a).into_owned())
}

/// One line naming a failure: the TLS error and the alert it sent or received, or the I/O
/// error.
pub fn describe_error(e: &std::io::Error) -> String {
    let tls = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<lucid_tls::Error>());
    match tls {
        Some(lucid_tls::Error::AlertReceived(alert)) => {
            format!("TLS error: the peer sent alert {}", alert.rfc_name())
        }
        Some(err) => match err.alert() {
            Some(alert) => format!("TLS error: {err}; sent alert {}", alert.rfc_name()),
            None => format!("TLS error: {err}"),
        },
        None => format!("connection error: {e}"),
    }
}

/// The length of an HTTP/1.x message head in `data`, through the first blank line
/// (`\r\n\r\n` or `\n\n`), once it is all there.
pub fn http_head_len(data: &[u8]) -> Option<usize> {
    let crlf = data
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + 4);
    let lf = data.windows(2).position(|w| w == b"\n\n").map(|i| i + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// What the trace shows and `Negotiated` does not say: the scheme of our own
/// CertificateVerify, and whether a HelloRetryRequest was exchanged.
#[derive(Clone, Copy, Debug, Default)]
pub struct Observed {
    /// The scheme we signed our CertificateVerify with, if we sent one.
    pub our_signature_scheme: Option<SignatureScheme>,
    /// A HelloRetryRequest was sent or received.
    pub hello_retry_request: bool,
}

/// A trace sink that fills in an [`Observed`], and the place to read it from.
pub fn observer() -> (TraceSink, Arc<Mutex<Observed>>) {
    let observed = Arc::new(Mutex::new(Observed::default()));
    let filled = observed.clone();
    let sink: TraceSink = Box::new(move |event| {
        let TraceEvent::HandshakeMessage {
            direction, message, ..
        } = event
        else {
            return;
        };
        let Ok(mut seen) = filled.lock() else {
            return;
        };
        match (direction, message) {
            (Direction::Sent, HandshakeMessage::CertificateVerify(cv)) => {
                seen.our_signature_scheme = Some(cv.algorithm);
            }
            (_, HandshakeMessage::HelloRetryRequest(_)) => seen.hello_retry_request = true,
            _ => {}
        }
    });
    (sink, observed)
}

/// A copy of what the observer saw so far.
pub fn observed(observed: &Mutex<Observed>) -> Observed {
    observed.lock().map(|o| *o).unwrap_or_default()
}
