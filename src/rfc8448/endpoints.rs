//! The two endpoints of each RFC 8448 trace: NSS's configurations ([`super::nss`]) with
//! what differs per trace, each drawing the trace's randomness from a [`ReplayRng`].
//!
//! | trace | client | server |
//! |-------|--------|--------|
//! | §3 simple | session_ticket extension | issues the RFC's ticket (ticket_age_add from the RFC) |
//! | §4 resumed | resumes with the ticket §3's client received, sends 0-RTT data | opens §3's ticket, accepts 0-RTT, issues none |
//! | §5 hrr | also advertises P-256 and P-384 | prefers P-256 and asks for it, with the RFC's cookie |
//! | §6 client-auth | the RFC's RSA certificate; its signature replayed | asks for a certificate; ECDSA signature replayed |
//! | §7 compat | middlebox compatibility mode: a legacy_session_id | echoes it, dummy change_cipher_spec |
//!
//! §4 needs §3's ticket, so §4's endpoints are set up by first running §3 (checked by the
//! §3 tests, not here) and resuming at the time that reproduces §4's obfuscated ticket age.
//!
//! RFC 8448 §6 does not publish the endpoints' private keys. There, each side signs with a
//! [`ReplaySigner`], which returns the RFC's signature only if it verifies over the content
//! the engine asked it to sign.
//!
//! Setting a trace up costs milliseconds (parsing its text, loading §2's RSA key, reading
//! the RSA-PSS salts back out of the RFC's signatures, and for §4 running all of §3).
//! [`Setup`] does that once; [`Setup::start`] then starts fresh endpoints as often as
//! needed, cheaply (the engine fuzz targets start one pair per input). [`Endpoints::new`]
//! is both steps at once.

use alloc::boxed::Box;
use alloc::format;
use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;

use crate::client::{ClientConfig, ClientConnection, Ticket};
use crate::connection::Event;
use crate::connection::cert_verify::EndEntityKey;
use crate::crypto::rustcrypto::RustCryptoProvider;
use crate::pair::Side;
use crate::server::anti_replay::MemoryReplayStore;
use crate::server::{self, AntiReplay, CertifiedKey, CookieConfig, ServerConfig, ServerConnection};
use crate::time::Time;
use crate::wire::algorithms::NamedGroup;
use crate::wire::codes::ExtensionType;
use crate::wire::extensions::Extension;
use crate::wire::handshake::HandshakeMessage;

use super::handshakes::Rfc8448Handshake;
use super::issuers::{RfcCookie, RfcTickets};
use super::nss::{certificate_chain, nss_client_config, nss_server_config, nss_signature_schemes};
use super::replay::{OtherDraws, ReplayRng, ReplaySigner};
use super::server_key::{pss_salt, rsa_certified_key};
use super::vectors::{self, Trace};
use super::{SetupError, TraceName};
use crate::x509::{CertificateValidator, TrustAnchors, WebPkiClientVerifier};

/// The time both sides see: 2025-06-01, when RFC 8448's certificates are valid (they
/// expire in July 2026; the engines never read a clock).
pub const NOW: Time = Time::from_unix_secs(1_748_736_000);

/// A trace's client (its ClientHello queued) and server, with their randomness.
pub struct Endpoints {
    /// The trace's values.
    pub trace: Trace,
    /// The client.
    pub client: ClientConnection,
    /// The server.
    pub server: ServerConnection,
    /// The client's replayed randomness, shared with the client.
    pub client_rng: ReplayRng,
    /// The server's replayed randomness, shared with the server.
    pub server_rng: ReplayRng,
    /// The time both sides see.
    pub now: Time,
    /// §4 only: the ticket the client resumes with (received in §3).
    pub ticket: Option<Ticket>,
}

impl Endpoints {
    /// Sets up trace `name` and starts its endpoints.
    pub fn new(name: TraceName) -> Result<Self, SetupError> {
        Setup::new(name)?.start()
    }
}

/// A trace's two configurations and randomness, before any connection starts: built once,
/// started any number of times. Each start gets its own copy of everything a connection
/// changes (the replayed randomness, the RFC ticket issuer's queue, the anti-replay store),
/// so every start behaves exactly like the first.
pub struct Setup {
    /// The trace's values.
    pub trace: Trace,
    /// The client's configuration.
    pub client_config: Arc<ClientConfig>,
    /// The server's configuration, with the stateful parts [`Setup::start_server`] renews.
    server_config: ServerConfig,
    /// The ticket issuer in `server_config`, if it has one, as set up.
    tickets: Option<Arc<RfcTickets>>,
    /// The client's randomness, never drawn from: each start draws from a copy.
    client_rng: ReplayRng,
    /// The server's randomness, never drawn from.
    server_rng: ReplayRng,
    /// The time both sides see.
    pub now: Time,
    /// §4 only: the ticket the client resumes with (received in §3).
    pub ticket: Option<Ticket>,
}

impl Setup {
    /// Sets up trace `name`.
    pub fn new(name: TraceName) -> Result<Self, SetupError> {
        match name {
            TraceName::Simple => Ok(simple()?.0),
            TraceName::Resumed => resumed(),
            TraceName::Hrr => hrr(),
            TraceName::ClientAuth => client_auth(),
            TraceName::Compat => compat(),
        }
    }

    /// Starts the trace's client and server.
    pub fn start(&self) -> Result<Endpoints, SetupError> {
        let issuer = self.tickets.as_ref().map(|t| Arc::new(t.fork()));
        self.start_with_issuer(issuer)
    }

    /// Starts the client and a server whose ticket issuer is this setup's own, not a copy:
    /// §4 resumes with what §3's server issued.
    fn start_sharing_issuer(&self) -> Result<Endpoints, SetupError> {
        self.start_with_issuer(self.tickets.clone())
    }

    fn start_with_issuer(&self, issuer: Option<Arc<RfcTickets>>) -> Result<Endpoints, SetupError> {
        let (client, client_rng) = self.start_client()?;
        let (server, server_rng) = self.server_with_issuer(issuer)?;
        Ok(Endpoints {
            trace: self.trace.clone(),
            client,
            server,
            client_rng,
            server_rng,
            now: self.now,
            ticket: self.ticket.clone(),
        })
    }

    /// Starts the client alone (its ClientHello queued), with its own copy of the
    /// randomness, which it returns too.
    pub fn start_client(&self) -> Result<(ClientConnection, ReplayRng), SetupError> {
        let rng = self.client_rng.fork();
        let config = self.client_config.clone();
        let client = start_client(&self.trace, config, &rng, self.ticket.clone(), self.now)?;
        Ok((client, rng))
    }

    /// Starts the server alone, with its own copy of the randomness, which it returns too.
    pub fn start_server(&self) -> Result<(ServerConnection, ReplayRng), SetupError> {
        let issuer = self.tickets.as_ref().map(|t| Arc::new(t.fork()));
        self.server_with_issuer(issuer)
    }

    fn server_with_issuer(
        &self,
        issuer: Option<Arc<RfcTickets>>,
    ) -> Result<(ServerConnection, ReplayRng), SetupError> {
        let mut config = self.server_config.clone();
        if let (Some(tickets), Some(issuer)) = (config.tickets.as_mut(), issuer) {
            tickets.issuer = issuer;
        }
        if let Some(early) = config.early_data.as_mut() {
            let store = Arc::new(MemoryReplayStore::new(0, REPLAY_STORE_CAPACITY));
            early.anti_replay = AntiReplay::ClientHelloRecording(store);
        }
        let rng = self.server_rng.fork();
        let server = ServerConnection::new(Arc::new(config), Box::new(rng.clone()), self.now)?;
        Ok((server, rng))
    }
}

/// How many ClientHellos a server's anti-replay store records (a fresh store per start).
const REPLAY_STORE_CAPACITY: usize = 64;

// ----- Reading the trace ------------------------------------------------------------------

/// The value `label` of `actor`'s first block under `heading`.
fn value<'t>(
    trace: &'t Trace,
    actor: &str,
    heading: &str,
    label: &str,
) -> Result<&'t [u8], SetupError> {
    trace
        .find_block(actor, heading)
        .and_then(|b| b.try_get(label))
        .ok_or_else(|| SetupError::missing(trace, actor, heading))
}

/// `bytes[range]` of the message `what`.
fn slice<'b>(
    bytes: &'b [u8],
    range: core::ops::Range<usize>,
    what: &str,
) -> Result<&'b [u8], SetupError> {
    bytes
        .get(range)
        .ok_or_else(|| SetupError(format!("{what} is too short")))
}

/// The ClientHello's random (bytes 6..38 of the message: type, length, legacy_version).
fn client_random(trace: &Trace) -> Result<&[u8], SetupError> {
    let hello = value(trace, "client", "construct a ClientHello", "ClientHello")?;
    slice(hello, 6..38, "ClientHello")
}

/// The random of the trace's last ServerHello (§5's first is a HelloRetryRequest).
fn server_random(trace: &Trace) -> Result<&[u8], SetupError> {
    let hello = trace
        .blocks("server", "construct a ServerHello")
        .last()
        .and_then(|b| b.try_get("ServerHello"))
        .ok_or_else(|| SetupError::missing(trace, "server", "ServerHello"))?;
    slice(hello, 6..38, "ServerHello")
}

/// The private key of `actor`'s ephemeral key pair in `group` ("x25519" or "P-256").
fn private_key<'t>(trace: &'t Trace, actor: &str, group: &str) -> Result<&'t [u8], SetupError> {
    value(
        trace,
        actor,
        &format!("create an ephemeral {group}"),
        "private key",
    )
}

/// The RFC's message `label` of `actor` under `heading`, decoded.
fn message(
    trace: &Trace,
    actor: &str,
    heading: &str,
    label: &str,
) -> Result<HandshakeMessage, SetupError> {
    let bytes = value(trace, actor, heading, label)?;
    Ok(HandshakeMessage::decode(bytes, Some(32))?)
}

// ----- Randomness -----------------------------------------------------------------------

/// The client's draws (docs/determinism.md): its random, then one private key per share
/// it offers, in order (`groups`: "x25519", "P-256").
fn client_rng(trace: &Trace, groups: &[&str]) -> Result<ReplayRng, SetupError> {
    let rng = ReplayRng::new(&[("ClientHello.random", client_random(trace)?)]);
    for group in groups {
        let name = format!("client {group} private key");
        rng.push(&name, private_key(trace, "client", group)?);
    }
    Ok(rng)
}

/// The server's draws: its random, its key share's private key in `group`, and, when it
/// signs with §2's RSA key, the RSA-PSS salt (the provider's RSA blinding draws get
/// filler bytes: they do not change the signature).
fn server_rng(trace: &Trace, group: &str, rsa: bool) -> Result<ReplayRng, SetupError> {
    let name = format!("server {group} private key");
    let rng = ReplayRng::new(&[
        ("ServerHello.random", server_random(trace)?),
        (&name, private_key(trace, "server", group)?),
    ]);
    if !rsa {
        return Ok(rng);
    }
    rng.push("CertificateVerify RSA-PSS salt", &pss_salt(trace)?);
    Ok(rng.with_other_draws(OtherDraws::Fill))
}

/// Starts the client: it sends its ClientHello right away.
fn start_client(
    trace: &Trace,
    config: Arc<ClientConfig>,
    rng: &ReplayRng,
    ticket: Option<Ticket>,
    now: Time,
) -> Result<ClientConnection, SetupError> {
    let boxed = Box::new(rng.clone());
    let started = match ticket {
        Some(ticket) => ClientConnection::resume(config, Some("server"), ticket, boxed, now),
        None => ClientConnection::new(config, Some("server"), boxed, now),
    };
    started.map_err(|e| match rng.failure() {
        Some(why) => SetupError(format!("{} ({}: {why})", SetupError::from(e), trace.name)),
        None => SetupError::from(e),
    })
}

/// The setup of a trace without resumption; `tickets` is the server's ticket issuer.
fn setup(
    trace: Trace,
    (client, client_rng): (ClientConfig, ReplayRng),
    (server, server_rng): (ServerConfig, ReplayRng),
    tickets: Option<Arc<RfcTickets>>,
) -> Setup {
    Setup {
        trace,
        client_config: Arc::new(client),
        server_config: server,
        tickets,
        client_rng,
        server_rng,
        now: NOW,
        ticket: None,
    }
}

// ----- Per trace ------------------------------------------------------------------------

/// §3, and the server's ticket issuer (§4 resumes with what it issued).
fn simple() -> Result<(Setup, Arc<RfcTickets>), SetupError> {
    let trace = vectors::load("simple")?;
    let client = nss_client_config(&trace, true)?;
    let client_rng = client_rng(&trace, &["x25519"])?;

    let HandshakeMessage::NewSessionTicket(ticket) = message(
        &trace,
        "server",
        "construct a NewSessionTicket",
        "NewSessionTicket",
    )?
    else {
        return Err(SetupError::missing(&trace, "server", "NewSessionTicket"));
    };
    let tickets = Arc::new(RfcTickets::new(vec![ticket.ticket.clone()]));
    let server = nss_server_config(rsa_certified_key(&trace)?, tickets.clone());
    let server_rng = server_rng(&trace, "x25519", true)?;
    server_rng.push(
        "NewSessionTicket.ticket_age_add",
        &ticket.ticket_age_add.to_be_bytes(),
    );
    let setup = setup(
        trace,
        (client, client_rng),
        (server, server_rng),
        Some(tickets.clone()),
    );
    Ok((setup, tickets))
}

/// §4: runs §3 for its ticket, then resumes with it.
fn resumed() -> Result<Setup, SetupError> {
    let (first, tickets) = simple()?;
    let simple = first.trace.clone();
    // The issuer `tickets` is the one this run's server issues through.
    let mut first =
        Rfc8448Handshake::from_endpoints(TraceName::Simple, first.start_sharing_issuer()?);
    let ticket = first
        .run()?
        .into_iter()
        .flat_map(|f| f.flight.events)
        .find_map(|(side, event)| match (side, event) {
            (Side::Client, Event::NewSessionTicket(ticket)) => Some(ticket),
            _ => None,
        })
        .ok_or_else(|| SetupError::new("§3's client received no ticket"))?;
    let trace = vectors::load("resumed")?;

    // The client resumes as much later as §4's obfuscated_ticket_age says.
    let record = value(&trace, "client", "send handshake record", "payload")?;
    let HandshakeMessage::ClientHello(hello) = HandshakeMessage::decode(record, None)? else {
        return Err(SetupError::missing(&trace, "client", "ClientHello"));
    };
    let Some(Extension::PreSharedKeyClientHello(offered)) = hello.extensions.last() else {
        return Err(SetupError::missing(&trace, "client", "pre_shared_key"));
    };
    let obfuscated = offered
        .identities
        .first()
        .map(|identity| identity.obfuscated_ticket_age)
        .ok_or_else(|| SetupError::missing(&trace, "client", "PSK identity"))?;
    let age = obfuscated.wrapping_sub(ticket.ticket_age_add);
    let now = ticket.received_at.plus_millis(u64::from(age));

    // §4 shows no certificate: the client trusts §3's, as the original connection did.
    let mut config_client = nss_client_config(&simple, false)?;
    config_client.enable_early_data = true;
    let client_rng = client_rng(&trace, &["x25519"])?;

    // It opens the ticket with what §3's issuer remembers; it sends no NewSessionTicket.
    let mut config = nss_server_config(rsa_certified_key(&simple)?, tickets.clone());
    if let Some(tickets) = config.tickets.as_mut() {
        tickets.count = 0;
    }
    let server_rng = server_rng(&trace, "x25519", false)?;
    Ok(Setup {
        trace,
        client_config: Arc::new(config_client),
        server_config: config,
        tickets: Some(tickets),
        client_rng,
        server_rng,
        now,
        ticket: Some(ticket),
    })
}

/// §5: the server asks for P-256 with a HelloRetryRequest carrying a cookie.
fn hrr() -> Result<Setup, SetupError> {
    let trace = vectors::load("hrr")?;
    let mut client = nss_client_config(&trace, false)?;
    client.supported_groups = vec![
        NamedGroup::X25519,
        NamedGroup::Secp256r1,
        NamedGroup::Secp384r1,
    ];
    let client_rng = client_rng(&trace, &["x25519", "P-256"])?;

    let HandshakeMessage::HelloRetryRequest(retry) =
        message(&trace, "server", "construct a ServerHello", "ServerHello")?
    else {
        return Err(SetupError::missing(&trace, "server", "HelloRetryRequest"));
    };
    let Some(Extension::Cookie(cookie)) = retry.extension(ExtensionType::Cookie) else {
        return Err(SetupError::missing(&trace, "server", "cookie"));
    };
    let mut server = nss_server_config(rsa_certified_key(&trace)?, Arc::default());
    // NSS in §5 prefers secp256r1 and asks for it even though an X25519 share came.
    server.key_share_groups = vec![NamedGroup::Secp256r1, NamedGroup::X25519];
    server.retry_for_preferred_group = true;
    server.advertised_groups = Some(vec![
        NamedGroup::Secp256r1,
        NamedGroup::Secp384r1,
        NamedGroup::X25519,
    ]);
    server.cookies = Some(CookieConfig {
        issuer: Arc::new(RfcCookie(cookie.cookie.clone())),
        lifetime_ms: 60_000,
    });
    server.tickets = None;
    server.early_data = None;
    let server_rng = server_rng(&trace, "P-256", true)?;
    Ok(setup(
        trace,
        (client, client_rng),
        (server, server_rng),
        None,
    ))
}

/// `actor`'s certificate chain in `trace`, and a signer that replays the RFC's
/// CertificateVerify signature of `actor` (checking it first: see [`ReplaySigner`]).
pub fn replayed_key(
    trace: &Trace,
    actor: &str,
) -> Result<(Vec<Vec<u8>>, Arc<ReplaySigner>), SetupError> {
    let chain = certificate_chain(trace, actor)?;
    let HandshakeMessage::CertificateVerify(verify) = message(
        trace,
        actor,
        "construct a CertificateVerify",
        "CertificateVerify",
    )?
    else {
        return Err(SetupError::missing(trace, actor, "CertificateVerify"));
    };
    let end_entity = chain
        .first()
        .ok_or_else(|| SetupError::missing(trace, actor, "certificate"))?;
    let key = EndEntityKey::from_certificate(end_entity)?;
    let signer = ReplaySigner {
        provider: Arc::new(RustCryptoProvider),
        scheme: verify.algorithm,
        signature: verify.signature,
        public_key: key.public_key,
    };
    Ok((chain, Arc::new(signer)))
}

/// §6: the server asks for the client's certificate. Neither private key is published.
fn client_auth() -> Result<Setup, SetupError> {
    let trace = vectors::load("client_auth")?;
    let (client_chain, client_key) = replayed_key(&trace, "client")?;
    let client_certificate = client_chain.first().cloned().unwrap_or_default();
    let mut client = nss_client_config(&trace, false)?;
    client.client_auth = vec![crate::credentials::CertifiedKey::new(
        client_chain,
        client_key,
    )];
    let client_rng = client_rng(&trace, &["x25519"])?;

    let (server, server_rng) = client_auth_server(&trace, client_certificate)?;
    Ok(setup(
        trace,
        (client, client_rng),
        (server, server_rng),
        None,
    ))
}

/// §6's server (its config and its randomness): an ECDSA certificate whose signature is
/// replayed, requiring a client certificate that it validates in full.
pub fn client_auth_server(
    trace: &Trace,
    client_certificate: Vec<u8>,
) -> Result<(ServerConfig, ReplayRng), SetupError> {
    let (chain, key) = replayed_key(trace, "server")?;
    let certified = CertifiedKey {
        chain,
        raw_public_key: None,
        key,
        server_names: Vec::new(),
    };
    let mut server = nss_server_config(certified, Arc::default());
    // Full validation of the client's self-signed certificate, trusted as its own anchor;
    // NSS's CertificateRequest carries only signature_algorithms, hence no request hints.
    let anchors = TrustAnchors::from_der_certificates([client_certificate])
        .map_err(|e| SetupError(alloc::format!("client certificate as anchor: {e}")))?;
    let validator =
        CertificateValidator::new(Arc::new(RustCryptoProvider), anchors).with_min_rsa_bits(1024);
    let verifier = Arc::new(WebPkiClientVerifier::new(validator).without_request_hints());
    server.client_auth = server::ClientAuth::Required(verifier);
    server.client_auth_schemes = nss_signature_schemes();
    server.tickets = None;
    server.early_data = None;
    let server_rng = server_rng(trace, "x25519", false)?;
    Ok((server, server_rng))
}

/// §7: middlebox compatibility mode.
fn compat() -> Result<Setup, SetupError> {
    let trace = vectors::load("compat")?;
    let hello = value(&trace, "client", "construct a ClientHello", "ClientHello")?;
    // The session id follows the random and its one-byte length; it is drawn first.
    let client_rng = ReplayRng::new(&[("legacy_session_id", slice(hello, 39..71, "ClientHello")?)]);
    client_rng.push("ClientHello.random", client_random(&trace)?);
    client_rng.push(
        "client x25519 private key",
        private_key(&trace, "client", "x25519")?,
    );
    let mut client = nss_client_config(&trace, false)?;
    client.middlebox_compat = true;

    let mut server = nss_server_config(rsa_certified_key(&trace)?, Arc::default());
    server.tickets = None;
    server.early_data = None;
    let server_rng = server_rng(&trace, "x25519", true)?;
    Ok(setup(
        trace,
        (client, client_rng),
        (server, server_rng),
        None,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_every_start_of_a_setup_replays_the_whole_trace() {
        for name in TraceName::ALL {
            let setup = Setup::new(name).unwrap();
            for start in 0..2 {
                let endpoints = setup.start().unwrap();
                let flights = Rfc8448Handshake::from_endpoints(name, endpoints)
                    .run()
                    .unwrap();
                assert!(
                    flights.iter().all(|f| f.all_match()),
                    "{name:?}, start {start}: a record differs from the RFC's"
                );
            }
        }
    }
}
