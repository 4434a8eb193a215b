//! Test support for the server's unit tests: RFC 8448 values read from `vectors/rfc8448`,
//! a stand-in signing key, configurations shaped like RFC 8448's server, and a ticket
//! issuer that hands out the RFC's ticket bytes.

use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;
use std::sync::Mutex;

use crate::crypto::rustcrypto::RustCryptoProvider;
use crate::crypto::{CryptoError, Rng, SigningKey};
use crate::error::Error;
use crate::wire::algorithms::{CipherSuite, NamedGroup, SignatureScheme};
use crate::wire::client_hello::ClientHello;
use crate::wire::handshake::HandshakeMessage;

use super::config::ServerConfig;
use super::ticket::TicketIssuer;
use crate::credentials::CertifiedKey;

/// The text of `vectors/rfc8448/<trace>.txt`.
fn trace_text(trace: &str) -> &'static str {
    match trace {
        "simple" => include_str!("../../vectors/rfc8448/simple.txt"),
        "resumed" => include_str!("../../vectors/rfc8448/resumed.txt"),
        "hrr" => include_str!("../../vectors/rfc8448/hrr.txt"),
        "client_auth" => include_str!("../../vectors/rfc8448/client_auth.txt"),
        "compat" => include_str!("../../vectors/rfc8448/compat.txt"),
        _ => panic!("unknown trace {trace}"),
    }
}

/// Every value `label` of the blocks of `actor` whose heading starts with `heading`, in RFC
/// order (a much smaller cousin of `tests/common/vectors.rs`).
pub(crate) fn rfc_values(trace: &str, actor: &str, heading: &str, label: &str) -> Vec<Vec<u8>> {
    let block_start = alloc::format!("[{actor}] {heading}");
    let value_start = alloc::format!("{label} = ");
    let mut in_block = false;
    let mut out = Vec::new();
    for line in trace_text(trace).lines() {
        if line.starts_with('[') {
            in_block = line.starts_with(&block_start);
        } else if let Some(hex_value) = line.strip_prefix(&value_start).filter(|_| in_block) {
            out.push(hex::decode(hex_value).unwrap());
        }
    }
    assert!(!out.is_empty(), "{trace}: no {label} in {block_start}");
    out
}

/// The first such value.
pub(crate) fn rfc_value(trace: &str, actor: &str, heading: &str, label: &str) -> Vec<u8> {
    rfc_values(trace, actor, heading, label).remove(0)
}

/// The `n`-th ClientHello of a trace, as sent (RFC 8448 prints §4's "construct" step
/// without binders, so the record payloads are used), and decoded.
pub(crate) fn rfc_client_hello(trace: &str, n: usize) -> (Vec<u8>, ClientHello) {
    let mut hellos = rfc_values(trace, "client", "send handshake record", "payload");
    hellos.retain(|payload| payload.first() == Some(&1));
    let bytes = hellos.remove(n);
    match HandshakeMessage::decode(&bytes, None).unwrap() {
        HandshakeMessage::ClientHello(hello) => (bytes, hello),
        other => panic!("not a ClientHello: {other:?}"),
    }
}

/// A signing key that offers schemes but cannot sign: selection tests need no signature.
pub(crate) struct SchemesOnly(pub Vec<SignatureScheme>);

impl SigningKey for SchemesOnly {
    fn schemes(&self) -> &[SignatureScheme] {
        &self.0
    }

    fn sign(&self, _: SignatureScheme, _: &[u8], _: &mut dyn Rng) -> Result<Vec<u8>, CryptoError> {
        Err(CryptoError::Unsupported)
    }
}

/// A certificate entry with an RSA-like key and the given names.
pub(crate) fn rsa_like_certificate(names: &[&str]) -> CertifiedKey {
    CertifiedKey {
        chain: vec![vec![0x30, 0x00]],
        raw_public_key: None,
        key: Arc::new(SchemesOnly(vec![
            SignatureScheme::RsaPssRsaeSha256,
            SignatureScheme::RsaPssRsaeSha384,
        ])),
        server_names: names.iter().map(|n| String::from(*n)).collect(),
    }
}

/// A configuration like RFC 8448's server: AES-128-GCM, then ChaCha20, then AES-256-GCM
/// (NSS's order), X25519 then P-256, one RSA certificate for any name.
pub(crate) fn nss_like_config() -> ServerConfig {
    let mut config = ServerConfig::new(
        Arc::new(RustCryptoProvider),
        vec![rsa_like_certificate(&[])],
    );
    config.cipher_suites = vec![
        CipherSuite::TLS_AES_128_GCM_SHA256,
        CipherSuite::TLS_CHACHA20_POLY1305_SHA256,
        CipherSuite::TLS_AES_256_GCM_SHA384,
    ];
    config.key_share_groups = vec![NamedGroup::X25519, NamedGroup::Secp256r1];
    config.record_size_limit = Some(0x4001);
    config
}

/// A ticket issuer that hands out fixed ticket bytes (RFC 8448's) and remembers the state
/// it was given for them: a database-style issuer.
#[derive(Default)]
pub(crate) struct FixedTickets {
    /// The ticket bytes to hand out, in order.
    pub tickets: Mutex<Vec<Vec<u8>>>,
    /// Ticket bytes and the state issued with them.
    pub issued: Mutex<Vec<(Vec<u8>, Vec<u8>)>>,
}

impl FixedTickets {
    /// Remembers `state` for `ticket` without issuing (to resume from a known state).
    pub(crate) fn remember(&self, ticket: Vec<u8>, state: Vec<u8>) {
        self.issued.lock().unwrap().push((ticket, state));
    }
}

impl TicketIssuer for FixedTickets {
    fn issue(&self, state: &[u8], _: &mut dyn Rng) -> Result<Vec<u8>, Error> {
        let ticket = self.tickets.lock().unwrap().remove(0);
        self.remember(ticket.clone(), state.to_vec());
        Ok(ticket)
    }

    fn open(&self, ticket: &[u8]) -> Option<Vec<u8>> {
        let issued = self.issued.lock().unwrap();
        issued
            .iter()
            .find(|(t, _)| t == ticket)
            .map(|(_, s)| s.clone())
    }
}
