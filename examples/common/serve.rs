//! What the two example servers share (`examples/server.rs`, one thread per connection,
//! and `examples/tokio_server.rs`, one task per connection): their common flags, the
//! server configuration those flags describe, reading an HTTP/1.x request head, and the
//! 200 page that names what a handshake negotiated.

use std::path::PathBuf;
use std::sync::Arc;

use lucid_tls::connection::Negotiated;
use lucid_tls::key_schedule::PskKind;
use lucid_tls::server::{CertifiedKey, ClientAuth, ServerConfig, ServerConfigBuilder};
use lucid_tls::wire::codes::PskKeyExchangeMode;
use lucid_tls::x509::WebPkiClientVerifier;
use lucid_tls::{CipherSuite, NamedGroup};

use crate::common;

/// The flags both servers take.
#[derive(clap::Args, Debug)]
pub struct ServerFlags {
    /// The address to listen on (port 0: any free port; the address is printed).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8443")]
    pub listen: String,
    /// A certificate chain, end-entity first (repeatable, paired with --key in order).
    #[arg(long = "cert", value_name = "CHAIN.pem")]
    pub certs: Vec<PathBuf>,
    /// The private key of the matching --cert (PKCS#8 EC P-256 or P-384, RSA, RSA-PSS or
    /// Ed25519; PKCS#1 RSA).
    #[arg(long = "key", value_name = "KEY.pem")]
    pub keys: Vec<PathBuf>,
    /// A raw public key to serve (RFC 7250), `PUBLIC KEY` PEM or DER, to clients that take
    /// one (with --rawpkkeyfile; beside or instead of --cert).
    #[arg(long, value_name = "PUB.pem", requires = "rawpkkeyfile")]
    pub rawpkfile: Option<PathBuf>,
    /// The private key of --rawpkfile.
    #[arg(long, value_name = "KEY.pem", requires = "rawpkfile")]
    pub rawpkkeyfile: Option<PathBuf>,
    /// Require each client to authenticate with one of these raw public keys (RFC 7250;
    /// repeatable): client_certificate_type RawPublicKey only.
    #[arg(
        long = "pin-client-spki",
        value_name = "PUB.pem",
        conflicts_with = "client_cas"
    )]
    pub pin_client_spkis: Vec<PathBuf>,
    /// Request a client certificate chaining to this CA (repeatable).
    #[arg(long = "client-ca", value_name = "CA.pem")]
    pub client_cas: Vec<PathBuf>,
    /// Refuse clients without a certificate (certificate_required).
    #[arg(long, requires = "client_cas")]
    pub require_client_cert: bool,
    /// ALPN protocols, most preferred first, e.g. `h2,http/1.1`.
    #[arg(long, value_name = "LIST")]
    pub alpn: Option<String>,
    /// Key exchange groups by IANA name, most preferred first (default:
    /// X25519MLKEM768,x25519,SecP256r1MLKEM768,secp256r1).
    #[arg(long, value_name = "LIST")]
    pub groups: Option<String>,
    /// Cipher suites, most preferred first (default: all three).
    #[arg(long, value_name = "LIST")]
    pub suites: Option<String>,
}

/// A server configuration builder with what the common flags describe (the caller may
/// add to it, then builds it). `psk_only` allows no certificate.
pub fn server_config(flags: &ServerFlags, psk_only: bool) -> Result<ServerConfigBuilder, String> {
    let provider = common::provider();
    if flags.certs.len() != flags.keys.len() {
        return Err("give each --cert its --key".into());
    }
    if flags.certs.is_empty() && flags.rawpkfile.is_none() && !psk_only {
        return Err("give a --cert and --key (or --rawpkfile, or an external --psk)".into());
    }
    let mut certificates = Vec::new();
    for (cert, key) in flags.certs.iter().zip(&flags.keys) {
        let chain = lucid_tls::pem::load_certificates(cert).map_err(|e| e.to_string())?;
        let key = lucid_tls::pem::load_signing_key(&*provider, key).map_err(|e| e.to_string())?;
        let server_names = dns_names(&chain[0]);
        certificates.push(CertifiedKey::new(chain, key).for_names(server_names));
    }
    // The same chains again, for any server name: a client that names no host, or one no
    // chain lists, still gets a certificate (picked by its signature_algorithms).
    let any_name: Vec<CertifiedKey> = certificates
        .iter()
        .map(|c| CertifiedKey::new(c.chain.clone(), c.key.clone()))
        .collect();
    certificates.extend(any_name);
    if let (Some(public), Some(key)) = (&flags.rawpkfile, &flags.rawpkkeyfile) {
        let spki = lucid_tls::pem::load_public_key(public).map_err(|e| e.to_string())?;
        let key = lucid_tls::pem::load_signing_key(&*provider, key).map_err(|e| e.to_string())?;
        certificates.push(CertifiedKey::from_raw_public_key(spki, key));
    }

    // The page names our CertificateVerify scheme, and any HelloRetryRequest: trace on.
    let mut builder = ServerConfig::builder(provider).trace(true);
    for certified in certificates {
        builder = builder.certified_key(certified);
    }
    if let Some(keylog) = common::keylog_from_env() {
        builder = builder.keylog(keylog);
    }
    if let Some(groups) = &flags.groups {
        builder = builder.groups(&common::parse_list::<NamedGroup>(groups)?);
    }
    if let Some(suites) = &flags.suites {
        builder = builder.cipher_suites(&common::parse_list::<CipherSuite>(suites)?);
    }
    if let Some(alpn) = &flags.alpn {
        builder = builder.alpn(common::split_list(alpn));
    }
    if !flags.pin_client_spkis.is_empty() {
        let keys = common::public_keys(&flags.pin_client_spkis)?;
        builder = builder.require_client_raw_public_keys(keys);
    }
    if !flags.client_cas.is_empty() {
        let verifier = Arc::new(WebPkiClientVerifier::new(common::validator(
            &flags.client_cas,
        )?));
        builder = builder.client_auth(match flags.require_client_cert {
            true => ClientAuth::Required(verifier),
            false => ClientAuth::Optional(verifier),
        });
    }
    Ok(builder)
}

/// The subjectAltName dNSName entries of a certificate.
fn dns_names(der: &[u8]) -> Vec<String> {
    use x509_parser::extensions::GeneralName;
    let Ok((_, cert)) = x509_parser::parse_x509_certificate(der) else {
        return Vec::new();
    };
    let Ok(Some(san)) = cert.subject_alternative_name() else {
        return Vec::new();
    };
    san.value
        .general_names
        .iter()
        .filter_map(|n| match n {
            GeneralName::DNSName(name) => Some(name.to_string()),
            _ => None,
        })
        .collect()
}

/// The negotiated parameters, on one line.
pub fn summary(negotiated: Option<&Negotiated>) -> String {
    let Some(n) = negotiated else {
        return "no handshake".into();
    };
    format!(
        "{} {} group={} alpn={}{}",
        n.version.rfc_name(),
        n.cipher_suite.rfc_name(),
        common::group_name(n.key_exchange_group),
        common::alpn_name(n.alpn.as_deref()),
        common::raw_public_key_pairs(n),
    )
}

/// The largest request head accepted (request line and headers).
pub const MAX_REQUEST_HEAD: usize = 64 * 1024;

/// An HTTP/1.x request head: how long it is, and what it says about what follows.
pub struct RequestHead {
    /// Bytes up to and including the blank line.
    pub len: usize,
    /// The Content-Length of the body.
    pub body_len: usize,
    /// The client wants the connection closed after the response (HTTP/1.0 without
    /// keep-alive, or `Connection: close`).
    pub close: bool,
    /// The request line's version, answered in kind.
    pub http10: bool,
}

/// The first complete request head in `buffer`, if there is one: it ends at the first
/// blank line (`\r\n\r\n` or `\n\n`).
pub fn parse_request_head(buffer: &[u8]) -> Option<RequestHead> {
    let len = common::http_head_len(buffer)?;
    let head = String::from_utf8_lossy(&buffer[..len]).to_ascii_lowercase();
    let mut lines = head.lines();
    let http10 = lines
        .next()
        .is_some_and(|l| l.trim_end().ends_with("http/1.0"));
    let mut body_len = 0;
    let mut close = http10;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        match (name.trim(), value.trim()) {
            ("content-length", v) => body_len = v.parse().unwrap_or(0),
            ("connection", "close") => close = true,
            ("connection", "keep-alive") => close = false,
            _ => {}
        }
    }
    Some(RequestHead {
        len,
        body_len,
        close,
        http10,
    })
}

/// HTTP/1.x requests out of a byte stream, sans-IO, for both example servers: they
/// [`push`](RequestReader::push) what they read and take each request once its head and
/// body have arrived (the body is skipped).
pub struct RequestReader {
    buffer: Vec<u8>,
    /// The request whose body is still arriving, and how much of it has.
    current: Option<(RequestHead, usize)>,
}

/// A request head over [`MAX_REQUEST_HEAD`] bytes.
pub struct RequestTooLarge;

impl RequestReader {
    /// A reader that starts with `early` (RFC 8470: 0-RTT data is the start of the request
    /// stream).
    pub fn new(early: Vec<u8>) -> Self {
        Self {
            buffer: early,
            current: None,
        }
    }

    /// Adds bytes read from the connection.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// The next whole request (head read, body skipped), or `None` until more bytes come.
    pub fn next_request(&mut self) -> Result<Option<RequestHead>, RequestTooLarge> {
        if self.current.is_none() {
            match parse_request_head(&self.buffer) {
                Some(head) => {
                    self.buffer.drain(..head.len);
                    self.current = Some((head, 0));
                }
                None if self.buffer.len() > MAX_REQUEST_HEAD => return Err(RequestTooLarge),
                None => return Ok(None),
            }
        }
        let Some((head, body_seen)) = &mut self.current else {
            return Ok(None);
        };
        let take = (head.body_len - *body_seen).min(self.buffer.len());
        self.buffer.drain(..take);
        *body_seen += take;
        if *body_seen < head.body_len {
            return Ok(None);
        }
        Ok(self.current.take().map(|(head, _)| head))
    }
}

/// The HTTP response carrying `page`.
pub fn response(page: &str, head: &RequestHead) -> String {
    format!(
        "{} 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n{}\r\n{page}",
        if head.http10 { "HTTP/1.0" } else { "HTTP/1.1" },
        page.len(),
        if head.close {
            "Connection: close\r\n"
        } else {
            ""
        },
    )
}

/// What a connection did that the page reports besides its [`Negotiated`] parameters.
pub struct PageFacts {
    /// What the trace showed.
    pub observed: common::Observed,
    /// 0-RTT bytes accepted.
    pub early_len: usize,
    /// The request body's length.
    pub body_len: usize,
    /// KeyUpdates received from the client and sent to it.
    pub key_updates: (u64, u64),
}

/// The page: what this connection negotiated.
pub fn page(negotiated: Option<&Negotiated>, facts: PageFacts) -> String {
    let Some(n) = negotiated else {
        return "no handshake\n".into();
    };
    let resumed = match (n.psk, n.psk_mode) {
        (None, _) => "no".to_string(),
        (Some(kind), mode) => format!(
            "{} ({})",
            match kind {
                PskKind::Resumption => "ticket",
                PskKind::External => "external PSK",
            },
            match mode {
                Some(PskKeyExchangeMode::PskKe) => "psk_ke",
                _ => "psk_dhe_ke",
            }
        ),
    };
    let early = match n.early_data_accepted {
        true => format!("accepted, {} bytes", facts.early_len),
        false => "none".into(),
    };
    format!(
        "lucid-tls example server\n\
         version: {}\n\
         cipher suite: {}\n\
         group: {}\n\
         hello retry request: {}\n\
         signature scheme: {}\n\
         alpn: {}\n\
         client certificate: {}\n\
         client signature scheme: {}\n\
         resumed: {resumed}\n\
         early data: {early}\n\
         key updates: received {}, sent {}\n\
         client record_size_limit: {}\n\
         request body: {} bytes\n{}",
        n.version.rfc_name(),
        n.cipher_suite.rfc_name(),
        common::group_name(n.key_exchange_group),
        if facts.observed.hello_retry_request {
            "yes"
        } else {
            "no"
        },
        common::scheme_name(facts.observed.our_signature_scheme),
        common::alpn_name(n.alpn.as_deref()),
        n.peer_certificates
            .first()
            .map_or("none".into(), |c| subject(c)),
        common::scheme_name(n.signature_scheme),
        facts.key_updates.0,
        facts.key_updates.1,
        n.peer_record_size_limit
            .map_or("none".into(), |limit| limit.to_string()),
        facts.body_len,
        raw_public_key_lines(n),
    )
}

/// One page line for each side that authenticated with a raw public key (RFC 7250), none
/// for X.509.
fn raw_public_key_lines(n: &Negotiated) -> String {
    common::raw_public_key_sides(n)
        .iter()
        .map(|side| format!("{side} certificate type: RawPublicKey (RFC 7250)\n"))
        .collect()
}

/// A certificate's subject, as RFC 4514 text.
fn subject(der: &[u8]) -> String {
    use x509_parser::prelude::FromDer;
    if let Ok((_, cert)) = x509_parser::parse_x509_certificate(der) {
        return cert.subject().to_string();
    }
    // A raw public key (RFC 7250) is a SubjectPublicKeyInfo: name its SHA-256, as
    // `openssl pkey -pubin -outform DER | sha256sum` prints it.
    match x509_parser::x509::SubjectPublicKeyInfo::from_der(der) {
        Ok(_) => format!(
            "raw public key sha256:{}",
            hex::encode(ring::digest::digest(&ring::digest::SHA256, der))
        ),
        Err(_) => "(unparsable)".into(),
    }
}
