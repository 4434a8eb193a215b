//! START (RFC 9846 Appendix A.1): the client sends its ClientHello, and, after a
//! HelloRetryRequest, its second ClientHello.
//!
//! ```text
//!                              START <----+
//!               Send ClientHello |        | Recv HelloRetryRequest
//!          [K_send = early data] |        |
//!                                v        |
//!           /                 WAIT_SH ----+
//! ```
//!
//! Randomness is drawn from the connection's RNG in this order, which the RFC 8448 replay
//! tests rely on (see docs/determinism.md):
//!
//! 1. legacy_session_id, 32 bytes, only in middlebox compatibility mode;
//! 2. ClientHello.random, 32 bytes;
//! 3. one private key per key share, in `key_share_groups` order (32 bytes for X25519;
//!    32 per attempt for P-256; for a hybrid group, the 64-byte ML-KEM seed d ‖ z, then
//!    its X25519 or P-256 key);
//! 4. after a HelloRetryRequest: the private key of the one new share.
//!
//! Not here: checking the server's answer (WAIT_SH, `wait_sh.rs`).

use alloc::boxed::Box;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;

use crate::connection::ConnectionCore;
use crate::connection::ccs::CcsWindow;
use crate::crypto::{KeyExchange, suite_algorithms};
use crate::error::Error;
use crate::key_schedule::{EarlySecret, PskKind};
use crate::time::Time;
use crate::trace::Epoch;
use crate::transcript::{PendingTranscript, Transcript};
use crate::wire::algorithms::{CipherSuite, NamedGroup};
use crate::wire::client_hello::ClientHello;
use crate::wire::extensions::{KeyShareEntry, PskIdentity};
use crate::wire::handshake::HandshakeMessage;
use crate::wire::record::{LEGACY_RECORD_VERSION, LEGACY_RECORD_VERSION_INITIAL_CLIENT_HELLO};

use super::config::ClientConfig;
use super::handshake::{EarlyData, Offer};
use super::hello::{HelloParams, OfferedPsk, build_client_hello, fill_binders};
use super::wait_sh::{HelloTranscript, WaitSh};
use crate::connection::Ticket;

/// START: nothing sent yet.
pub struct Start {
    config: Arc<ClientConfig>,
    server_name: Option<String>,
    ticket: Option<Ticket>,
}

impl Start {
    /// A client about to connect to `server_name`, resuming with `ticket` if given.
    pub fn new(
        config: Arc<ClientConfig>,
        server_name: Option<String>,
        ticket: Option<Ticket>,
    ) -> Self {
        Self {
            config,
            server_name,
            ticket,
        }
    }

    /// Sends ClientHello1 (and, when offering 0-RTT, switches to the early traffic key).
    pub fn send_client_hello(self, core: &mut ConnectionCore) -> Result<WaitSh, Error> {
        let config = self.config;
        let provider = core.provider();
        // RFC 9846 §4.2.2: legacy_session_id: "In compatibility mode (see Appendix E.4),
        // this field MUST be non-empty, so a client not offering a pre-TLS 1.3 session MUST
        // generate a new 32-byte value [...] Otherwise, it MUST be set as a zero-length
        // list".
        let mut session_id = Vec::new();
        if config.middlebox_compat {
            session_id = vec![0u8; 32];
            core.rng().fill(&mut session_id)?;
        }
        let mut random = [0u8; 32];
        core.rng().fill(&mut random)?;
        let mut key_shares = Vec::with_capacity(config.key_share_groups.len());
        for group in &config.key_share_groups {
            key_shares.push(provider.start_key_exchange(*group, core.rng())?);
        }
        let psks = offered_psks(&config, self.ticket.as_ref(), core.now());
        // RFC 9846 §4.3.10: "When a PSK is used and early data is allowed for that PSK
        // [...], the client can send Application Data in its first flight of messages",
        // protected with the first PSK offered.
        let early_max = psks
            .first()
            .filter(|_| config.enable_early_data)
            .and_then(|psk| psk.max_early_data_size)
            .filter(|max| *max > 0);
        let params = HelloParams {
            random,
            session_id,
            key_shares: share_entries(&key_shares),
            server_name: self.server_name.clone(),
            cookie: None,
            early_data: early_max.is_some(),
        };
        let mut hello = build_client_hello(&config, &params, &psks)?;
        fill_binders(&*provider, &mut hello, &psks, None, &mut |l, s| {
            core.emit_secret(l, s)
        })?;

        core.set_client_random(random);
        // RFC 9846 §5.1: "a record containing an initial ClientHello SHOULD have version
        // 0x0301".
        core.set_plaintext_record_version(LEGACY_RECORD_VERSION_INITIAL_CLIENT_HELLO);
        // What the ServerHello may echo back is checked against what we offered.
        let extension_types = hello
            .extensions
            .iter()
            .map(|e| e.extension_type())
            .collect();
        let message = HandshakeMessage::ClientHello(hello);
        let bytes = core.send_handshake(&message, None)?;
        core.flush_handshake()?;
        core.set_plaintext_record_version(LEGACY_RECORD_VERSION);
        let mut transcript = PendingTranscript::new();
        transcript.add(&bytes);
        // RFC 9846 §5: dummy change_cipher_spec records are dropped "after the first
        // ClientHello message has been sent".
        core.set_ccs_window(CcsWindow::Open);

        let mut ccs_sent = false;
        let early_data = match (early_max, psks.first()) {
            (Some(max), Some(psk)) => {
                if config.middlebox_compat {
                    // RFC 9846 Appendix E.4: "If offering early data, the record is placed
                    // immediately after the first ClientHello."
                    core.send_dummy_change_cipher_spec()?;
                    ccs_sent = true;
                }
                start_early_data(core, psk, &transcript)?;
                core.set_early_data_budget(max);
                EarlyData::Offered
            }
            _ => EarlyData::NotOffered,
        };
        let offer = Offer {
            session_id: params.session_id.clone(),
            extension_types,
            psks,
        };
        Ok(WaitSh {
            config,
            server_name: self.server_name,
            offer,
            params,
            key_shares,
            transcript: HelloTranscript::Pending(transcript),
            retry: None,
            early_data,
            ccs_sent,
        })
    }
}

/// Derives client_early_traffic_secret (and the early exporter) from the first PSK and
/// ClientHello1, and protects what we send next with it (RFC 9846 §7.1, §7.3).
fn start_early_data(
    core: &mut ConnectionCore,
    psk: &OfferedPsk,
    transcript: &PendingTranscript,
) -> Result<(), Error> {
    let provider = core.provider();
    let (_, hash) =
        suite_algorithms(psk.cipher_suite).ok_or(Error::Misuse("PSK with an unknown suite"))?;
    let hello_hash = transcript.hash_with(&*provider, hash, &[]);
    let observe = &mut |l, s: &_| core.emit_secret(l, s);
    let early = EarlySecret::new(&*provider, hash, Some(&psk.secret), observe);
    let traffic = early.client_early_traffic_secret(&*provider, &hello_hash, observe)?;
    let exporter = early.early_exporter_secret(&*provider, &hello_hash, observe)?;
    core.set_early_exporter_secret(exporter);
    core.set_cipher_suite(psk.cipher_suite);
    core.install_write_key(&traffic, Epoch::Early)
}

/// The PSKs to offer: the ticket (if usable), then the external PSKs.
fn offered_psks(
    config: &ClientConfig,
    ticket: Option<&Ticket>,
    now: crate::time::Time,
) -> Vec<OfferedPsk> {
    let mut psks = Vec::new();
    // RFC 9846 §4.3.9: "A client MUST provide a "psk_key_exchange_modes" extension if it
    // offers a "pre_shared_key" extension"; without modes, offer no PSK.
    if config.psk_modes.is_empty() {
        return psks;
    }
    if let Some(ticket) =
        ticket.filter(|t| !t.is_expired(now) && config.cipher_suites.contains(&t.cipher_suite))
    {
        psks.push(OfferedPsk {
            identity: PskIdentity {
                identity: ticket.ticket.clone(),
                obfuscated_ticket_age: ticket.obfuscated_age(now),
            },
            secret: ticket.psk.clone(),
            kind: PskKind::Resumption,
            cipher_suite: ticket.cipher_suite,
            max_early_data_size: ticket.max_early_data_size,
            alpn: ticket.alpn.clone(),
            ticket: Some(ticket.clone()),
        });
    }
    for external in &config.external_psks {
        psks.push(OfferedPsk {
            // RFC 9846 §4.3.11: "For identities established externally, an
            // obfuscated_ticket_age of 0 SHOULD be used".
            identity: PskIdentity {
                identity: external.identity.clone(),
                obfuscated_ticket_age: 0,
            },
            secret: external.secret.clone(),
            kind: PskKind::External,
            cipher_suite: external.cipher_suite,
            max_early_data_size: None,
            alpn: None,
            ticket: None,
        });
    }
    psks
}

/// The KeyShareEntry of each of our key pairs.
pub(super) fn share_entries(key_shares: &[Box<dyn KeyExchange>]) -> Vec<KeyShareEntry> {
    key_shares
        .iter()
        .map(|k| KeyShareEntry {
            group: k.group(),
            key_exchange: k.public_key().to_vec(),
        })
        .collect()
}

/// What a HelloRetryRequest asked for: its suite, the group it wants a share for, its
/// cookie.
pub struct RetryRequest {
    /// The suite the HelloRetryRequest chose; the ServerHello must repeat it.
    pub cipher_suite: CipherSuite,
    /// key_share's selected_group, if the HelloRetryRequest had one.
    pub selected_group: Option<NamedGroup>,
    /// The cookie to echo, if any.
    pub cookie: Option<Vec<u8>>,
}

/// Sends ClientHello2 in answer to a HelloRetryRequest (RFC 9846 §4.2.2): the same hello
/// but for a share of the requested group, the cookie, no early_data, and fresh PSK ages
/// and binders. `transcript` already holds message_hash(ClientHello1) and the
/// HelloRetryRequest.
pub fn send_second_client_hello(
    mut state: WaitSh,
    core: &mut ConnectionCore,
    retry: RetryRequest,
    transcript: Transcript,
) -> Result<WaitSh, Error> {
    let provider = core.provider();
    if let Some(group) = retry.selected_group {
        state.key_shares = vec![provider.start_key_exchange(group, core.rng())?];
        state.params.key_shares = share_entries(&state.key_shares);
    }
    state.params.cookie = retry.cookie.clone();
    state.params.early_data = false;
    // RFC 9846 §4.2.4: the client "SHOULD NOT offer any pre-shared keys associated with a
    // hash other than that of the selected cipher suite".
    let hash = suite_algorithms(retry.cipher_suite).map(|(_, h)| h);
    let now = core.now();
    state
        .offer
        .psks
        .retain(|p| suite_algorithms(p.cipher_suite).map(|(_, h)| h) == hash);
    for psk in &mut state.offer.psks {
        psk.identity.obfuscated_ticket_age = refreshed_age(psk, now);
    }
    let mut hello: ClientHello =
        build_client_hello(&state.config, &state.params, &state.offer.psks)?;
    fill_binders(
        &*provider,
        &mut hello,
        &state.offer.psks,
        Some(&transcript),
        &mut |l, s| core.emit_secret(l, s),
    )?;

    // A 0-RTT attempt ends here: RFC 9846 §4.3.10: "A client MUST NOT include the
    // "early_data" extension in its followup ClientHello", which goes out unprotected.
    if state.early_data != EarlyData::NotOffered {
        core.remove_write_key();
        state.early_data = EarlyData::Rejected;
        core.push_event(crate::connection::Event::EarlyDataRejected);
    }
    if state.config.middlebox_compat && !state.ccs_sent {
        // RFC 9846 Appendix E.4: the dummy change_cipher_spec goes "immediately before its
        // second flight. This may either be before its second ClientHello or before its
        // encrypted handshake flight."
        core.send_dummy_change_cipher_spec()?;
        state.ccs_sent = true;
    }
    let mut transcript = transcript;
    state.offer.extension_types = hello
        .extensions
        .iter()
        .map(|e| e.extension_type())
        .collect();
    core.send_handshake(&HandshakeMessage::ClientHello(hello), Some(&mut transcript))?;
    state.transcript = HelloTranscript::AfterRetry(transcript);
    state.retry = Some(retry);
    Ok(state)
}

/// `obfuscated_ticket_age` of `psk` at `now` (external PSKs keep 0).
fn refreshed_age(psk: &OfferedPsk, now: Time) -> u32 {
    match &psk.ticket {
        Some(ticket) => ticket.obfuscated_age(now),
        None => psk.identity.obfuscated_ticket_age,
    }
}
