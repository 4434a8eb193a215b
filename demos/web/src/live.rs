//! Live handshakes: lucid-tls's client and server with fresh randomness (from the page) and
//! the learner's options: the cipher suite, the key exchange group (any group the provider
//! runs), a forced HelloRetryRequest, resumption with or without 0-RTT data, mutual TLS,
//! a KeyUpdate, ALPN.
//!
//! The server's certificate and key are RFC 8448 §2's (its RSA key is published), and the
//! client trusts that certificate, as in the RFC's traces; with mutual TLS the client
//! presents the same certificate, which the server pins. Both sides see the time of the
//! RFC 8448 runs (`rfc8448::endpoints::NOW`), when the certificate is valid.
//!
//! After the handshake the client sends a request and the server answers; with KeyUpdate
//! the client then updates its keys and asks the server to update too (RFC 9846 §4.7.3);
//! both then close. With resumption, a second connection resumes with the ticket the
//! first one received (and sends 0-RTT data if asked to).

use alloc::boxed::Box;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;

use lucid_tls::client::{ClientConfig, ClientConnection, ClientHelloPadding, Ticket};
use lucid_tls::connection::Event;
use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::crypto::{CryptoProvider, Rng};
use lucid_tls::pair::{Pair, Side};
use lucid_tls::rfc8448::endpoints::NOW;
use lucid_tls::rfc8448::issuers::{PinnedClientCertificate, RfcTickets};
use lucid_tls::rfc8448::nss::{nss_client_config, nss_server_config};
use lucid_tls::rfc8448::server_key::rsa_certified_key;
use lucid_tls::server::{self, ServerConfig, ServerConnection};
use lucid_tls::wire::algorithms::{CipherSuite, NamedGroup};
use serde_json::Value;

use crate::rng::SeededRng;
use crate::run::{Edit, Step, free_step};

/// The learner's choices.
struct Options {
    suite: CipherSuite,
    group: NamedGroup,
    hrr: bool,
    resume: bool,
    early_data: bool,
    mtls: bool,
    key_update: bool,
    alpn: bool,
}

fn options(value: &Value) -> Options {
    let flag = |key: &str| value.get(key).and_then(Value::as_bool).unwrap_or(false);
    let code = |key: &str| {
        value
            .get(key)
            .and_then(Value::as_u64)
            .and_then(|c| u16::try_from(c).ok())
    };
    Options {
        suite: code("suite").map_or(CipherSuite::TLS_AES_128_GCM_SHA256, CipherSuite::from_u16),
        group: code("group").map_or(NamedGroup::X25519, NamedGroup::from_u16),
        hrr: flag("hrr"),
        resume: flag("resume") || flag("early_data"),
        early_data: flag("early_data"),
        mtls: flag("mtls"),
        key_update: flag("key_update"),
        alpn: flag("alpn"),
    }
}

/// One line saying what the options ask for.
pub fn describe(value: &Value) -> String {
    let o = options(value);
    let mut parts = vec![
        lucid_tls::explain::suite(o.suite),
        lucid_tls::explain::group(o.group),
    ];
    let flags = [
        (o.hrr, "forced HelloRetryRequest"),
        (o.resume, "resumption"),
        (o.early_data, "0-RTT data"),
        (o.mtls, "mutual TLS"),
        (o.key_update, "KeyUpdate"),
        (o.alpn, "ALPN"),
    ];
    parts.extend(
        flags
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, n)| n.to_string()),
    );
    format!(
        "Fresh randomness from crypto.getRandomValues; {}.",
        parts.join(", ")
    )
}

/// The request's 32-byte seed (64 hex digits).
pub fn parse_seed(request: &Value) -> Result<[u8; 32], String> {
    let hex = request
        .get("seed")
        .and_then(Value::as_str)
        .ok_or("no seed")?;
    let mut seed = [0u8; 32];
    if hex.len() != 64 {
        return Err("the seed is not 64 hex digits".to_string());
    }
    for (i, byte) in seed.iter_mut().enumerate() {
        let digits = hex.get(2 * i..2 * i + 2).ok_or("bad seed")?;
        *byte = u8::from_str_radix(digits, 16).map_err(|_| "bad seed")?;
    }
    Ok(seed)
}

/// Runs the live scenario.
pub fn run(value: &Value, seed: [u8; 32], edits: &[Edit]) -> Result<Vec<Step>, String> {
    let o = options(value);
    let provider = RustCryptoProvider;
    if !provider.groups().contains(&o.group) {
        return Err("the provider does not run this group".to_string());
    }
    if !provider.cipher_suites().contains(&o.suite) {
        return Err("the provider does not run this suite".to_string());
    }
    // Four independent streams: each side of each connection.
    let mut master = SeededRng::new(seed);
    let mut seeds = [[0u8; 32]; 4];
    for s in &mut seeds {
        master.fill(s).map_err(|_| "rng")?;
    }

    let trace = lucid_tls::rfc8448::vectors::load("simple").map_err(|e| e.to_string())?;
    let certified = rsa_certified_key(&trace).map_err(|e| e.0)?;
    let client_config = Arc::new(client_config(&o, &trace, &certified)?);
    let ticket_bytes: Vec<Vec<u8>> = (0..2u8)
        .map(|i| {
            let mut t = vec![0u8; 32];
            t[0] = i;
            let _ = master.fill(&mut t[1..]);
            t
        })
        .collect();
    let server_config = Arc::new(server_config(&o, certified, ticket_bytes));

    let mut steps = Vec::new();
    let client = ClientConnection::new(
        client_config.clone(),
        Some("server"),
        Box::new(SeededRng::new(seeds[0])),
        NOW,
    )
    .map_err(|e| format!("{e:?}"))?;
    let server = ServerConnection::new(
        server_config.clone(),
        Box::new(SeededRng::new(seeds[1])),
        NOW,
    )
    .map_err(|e| format!("{e:?}"))?;
    let mut pair = Pair::new(client, server, NOW);
    let ok = connection(&mut pair, 1, &o, edits, &mut steps, true);
    if !(ok && o.resume) {
        return Ok(steps);
    }
    let Some(ticket) = ticket_received(&steps) else {
        return Ok(steps);
    };
    // The client comes back two seconds later.
    let now = NOW.plus_millis(2000);
    let client = ClientConnection::resume(
        client_config,
        Some("server"),
        ticket,
        Box::new(SeededRng::new(seeds[2])),
        now,
    )
    .map_err(|e| format!("{e:?}"))?;
    let server = ServerConnection::new(server_config, Box::new(SeededRng::new(seeds[3])), now)
        .map_err(|e| format!("{e:?}"))?;
    let mut pair = Pair::new(client, server, now);
    if o.early_data {
        let _ = pair
            .client
            .write_early_data(b"0-RTT: GET /early HTTP/1.1\r\n\r\n");
    }
    connection(&mut pair, 2, &o, edits, &mut steps, true);
    Ok(steps)
}

fn client_config(
    o: &Options,
    trace: &lucid_tls::rfc8448::Trace,
    certified: &server::CertifiedKey,
) -> Result<ClientConfig, String> {
    // NSS's config trusts the RFC's certificate; the rest is lucid-tls's plain defaults.
    let mut config = nss_client_config(trace, false).map_err(|e| e.0)?;
    config.cipher_suites = vec![o.suite];
    let groups = RustCryptoProvider.groups().to_vec();
    // A forced HelloRetryRequest: the client's one share is for another group than the
    // server's only one.
    let other = groups.iter().copied().find(|g| *g != o.group);
    config.key_share_groups = match (o.hrr, other) {
        (true, Some(other)) => vec![other],
        _ => vec![o.group],
    };
    config.supported_groups = groups;
    config.record_size_limit = None;
    config.client_hello_padding = ClientHelloPadding::None;
    config.extra_extensions = Vec::new();
    config.extension_order = None;
    config.enable_early_data = o.early_data;
    if o.alpn {
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    }
    if o.mtls {
        config.client_auth = vec![lucid_tls::credentials::CertifiedKey::new(
            certified.chain.clone(),
            certified.key.clone(),
        )];
    }
    Ok(config)
}

fn server_config(
    o: &Options,
    certified: server::CertifiedKey,
    tickets: Vec<Vec<u8>>,
) -> ServerConfig {
    let pinned = certified.chain.first().cloned().unwrap_or_default();
    let mut config = nss_server_config(certified, Arc::new(RfcTickets::new(tickets)));
    config.key_share_groups = vec![o.group];
    config.advertised_groups = None;
    config.record_size_limit = None;
    if !o.resume {
        config.tickets = None;
    }
    if !o.early_data {
        config.early_data = None;
    }
    if o.alpn {
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
    }
    if o.mtls {
        config.client_auth =
            server::ClientAuth::Required(Arc::new(PinnedClientCertificate(pinned)));
    }
    config
}

/// Steps one connection through its handshake and the application's exchange; true if
/// the handshake completed on both sides.
fn connection(
    pair: &mut Pair,
    number: u8,
    o: &Options,
    edits: &[Edit],
    steps: &mut Vec<Step>,
    close: bool,
) -> bool {
    let mut actions = if pair.client.has_output() && o.early_data && number == 2 {
        vec!["writes 0-RTT data".to_string()]
    } else {
        Vec::new()
    };
    let first = steps.len();
    drain(pair, number, edits, steps, &mut actions);
    let complete = |steps: &[Step], side: Side| {
        steps[first..].iter().any(|s| {
            s.flight
                .events
                .iter()
                .any(|(w, e)| *w == side && matches!(e, Event::HandshakeComplete(_)))
        })
    };
    if !(complete(steps, Side::Client) && complete(steps, Side::Server)) {
        return false;
    }
    let mut actions = Vec::new();
    if pair
        .client
        .write(b"GET / HTTP/1.1\r\nHost: server\r\n\r\n")
        .is_ok()
    {
        actions.push("client writes a request".to_string());
    }
    drain(pair, number, edits, steps, &mut actions);
    if pair
        .server
        .write(b"HTTP/1.1 200 OK\r\n\r\nhello from lucid-tls")
        .is_ok()
    {
        actions.push("server writes its answer".to_string());
    }
    drain(pair, number, edits, steps, &mut actions);
    if o.key_update && pair.client.key_update(true).is_ok() {
        actions.push("client sends KeyUpdate(update_requested)".to_string());
        drain(pair, number, edits, steps, &mut actions);
        if pair.client.write(b"after the KeyUpdate").is_ok() {
            actions.push("client writes under its new keys".to_string());
        }
        drain(pair, number, edits, steps, &mut actions);
    }
    if close {
        pair.client.close();
        actions.push("client closes (close_notify)".to_string());
        drain(pair, number, edits, steps, &mut actions);
        pair.server.close();
        actions.push("server closes (close_notify)".to_string());
        drain(pair, number, edits, steps, &mut actions);
    }
    true
}

/// Delivers flights until neither side has anything to send; the first carries `actions`.
fn drain(
    pair: &mut Pair,
    number: u8,
    edits: &[Edit],
    steps: &mut Vec<Step>,
    actions: &mut Vec<String>,
) {
    while steps.len() < 64 {
        let Some(flight) = free_step(pair, edits, steps.len()) else {
            break;
        };
        steps.push(Step {
            connection: number,
            flight,
            checks: None,
            actions: core::mem::take(actions),
        });
    }
}

fn ticket_received(steps: &[Step]) -> Option<Ticket> {
    steps.iter().rev().find_map(|s| {
        s.flight
            .events
            .iter()
            .find_map(|(side, e)| match (side, e) {
                (Side::Client, Event::NewSessionTicket(t)) => Some(t.clone()),
                _ => None,
            })
    })
}
