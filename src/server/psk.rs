//! PSKs on the server (RFC 9846 §4.3.9–§4.3.11): choosing the key exchange mode, finding
//! the one offered PSK to use, checking its binder, and deciding whether 0-RTT is accepted.
//!
//! Each offered identity is either a ticket this server issued (opened by the configured
//! [`TicketIssuer`](super::TicketIssuer)) or the name of an [`ExternalPsk`]; anything else is
//! skipped (RFC 9846 §4.3.11: "Any unknown PSKs ... SHOULD simply be ignored"). The first
//! usable identity is selected, and only its binder is checked (§4.3.11: "Servers SHOULD NOT
//! attempt to validate multiple binders; rather, they SHOULD select a single PSK and
//! validate solely the binder that corresponds to that PSK"). A binder that does not
//! validate aborts the handshake with `decrypt_error` (§4.3.11: "If this value is not
//! present or does not validate, the server MUST abort the handshake"; §6.2 names the
//! alert).
//!
//! The cipher suite is chosen first, and PSKs whose hash differs are skipped (the
//! "implementor's note" of §4.3.11). Tickets from a connection that did not authenticate the
//! client are skipped when client authentication is required, since a PSK handshake never
//! asks for a certificate (§4.4.2).
//!
//! 0-RTT ([`decide_early_data`]) is accepted only under every condition of §4.3.10 and the
//! anti-replay rules of §8; otherwise it is rejected and the handshake goes on in 1-RTT.

use alloc::vec::Vec;

use crate::crypto::{HashAlgorithm, Secret, suite_algorithms};
use crate::error::Error;
use crate::key_schedule::{EarlySecret, PskKind, SecretLabel};
use crate::transcript::{Transcript, partial_client_hello};
use crate::wire::algorithms::CipherSuite;
use crate::wire::client_hello::ClientHello;
use crate::wire::codes::{ExtensionType, PskKeyExchangeMode};
use crate::wire::extensions::{Extension, OfferedPsks, PskIdentity};

use super::anti_replay::{AntiReplay, is_fresh, replay_key};
use super::config::{ClientAuth, ServerConfig};
use super::select::{ClientHelloInput, Negotiation};
use super::ticket::TicketState;

/// Whether the client offers a PSK the server could use, and with which mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PskOffer {
    /// No pre_shared_key, or no key exchange mode the server accepts.
    None,
    /// A PSK with (EC)DHE: psk_dhe_ke.
    WithKeyExchange,
    /// A PSK alone: psk_ke.
    WithoutKeyExchange,
}

/// The PSK key exchange mode the server would use (RFC 9846 §4.3.9: "Servers MUST NOT
/// select a key exchange mode that is not listed by the client"), in the server's order;
/// psk_dhe_ke only if some group is in common.
fn chosen_mode(
    config: &ServerConfig,
    hello: &ClientHello,
    group_available: bool,
) -> Option<PskKeyExchangeMode> {
    let Some(Extension::PskKeyExchangeModes(modes)) =
        hello.extension(ExtensionType::PskKeyExchangeModes)
    else {
        return None;
    };
    config.psk_modes.iter().copied().find(|mode| {
        modes.allows(*mode)
            && match mode {
                PskKeyExchangeMode::PskDheKe => group_available,
                PskKeyExchangeMode::PskKe => true,
                PskKeyExchangeMode::Unknown(_) => false,
            }
    })
}

/// What the ClientHello offers in the way of PSKs.
pub(crate) fn offer(config: &ServerConfig, hello: &ClientHello, group_available: bool) -> PskOffer {
    if hello.extension(ExtensionType::PreSharedKey).is_none() {
        return PskOffer::None;
    }
    match chosen_mode(config, hello, group_available) {
        Some(PskKeyExchangeMode::PskDheKe) => PskOffer::WithKeyExchange,
        Some(PskKeyExchangeMode::PskKe) => PskOffer::WithoutKeyExchange,
        Some(PskKeyExchangeMode::Unknown(_)) | None => PskOffer::None,
    }
}

/// True if tickets sent on this connection could be used: RFC 9846 §4.7.1, the server MAY
/// send NewSessionTicket "If the client's hello contained a suitable
/// psk_key_exchange_modes extension", and §4.3.9: "Servers SHOULD NOT send
/// NewSessionTicket with tickets that are not compatible with the advertised modes".
pub(crate) fn tickets_usable(config: &ServerConfig, hello: &ClientHello) -> bool {
    config.tickets.is_some() && chosen_mode(config, hello, true).is_some()
}

/// The PSK the server accepted.
#[derive(Debug)]
pub(crate) struct SelectedPsk {
    /// `selected_identity`: its index in the client's list.
    pub index: u16,
    /// Resumption or external.
    pub kind: PskKind,
    /// psk_ke or psk_dhe_ke.
    pub mode: PskKeyExchangeMode,
    /// The key schedule, started with this PSK.
    pub early_secret: EarlySecret,
    /// For a ticket: what it remembers.
    pub ticket: Option<TicketState>,
    /// The identity's `obfuscated_ticket_age`.
    pub obfuscated_ticket_age: u32,
    /// The validated binder.
    pub binder: Vec<u8>,
}

impl SelectedPsk {
    /// True for psk_dhe_ke: the handshake still does (EC)DHE.
    pub fn uses_key_exchange(&self) -> bool {
        self.mode == PskKeyExchangeMode::PskDheKe
    }
}

/// A PSK the server knows, found from an offered identity.
struct KnownPsk {
    secret: Secret,
    hash: HashAlgorithm,
    kind: PskKind,
    ticket: Option<TicketState>,
}

/// Looks `identity` up among the server's tickets and external PSKs.
fn find_psk(config: &ServerConfig, identity: &PskIdentity, now_ms: u64) -> Option<KnownPsk> {
    if let Some(external) = config
        .external_psks
        .iter()
        .find(|p| p.identity == identity.identity)
    {
        return Some(KnownPsk {
            secret: external.secret.clone(),
            hash: external.hash()?,
            kind: PskKind::External,
            ticket: None,
        });
    }
    let tickets = config.tickets.as_ref()?;
    let state = TicketState::decode(&tickets.issuer.open(&identity.identity)?).ok()?;
    if state.is_expired(now_ms) {
        return None;
    }
    // RFC 9846 §4.4.2: a PSK handshake sends no CertificateRequest, so a ticket must carry
    // the client's authentication if the server requires it.
    if matches!(config.client_auth, ClientAuth::Required(_)) && state.client_certificates.is_empty()
    {
        return None;
    }
    let (_, hash) = suite_algorithms(state.cipher_suite)?;
    Some(KnownPsk {
        secret: state.psk.clone(),
        hash,
        kind: PskKind::Resumption,
        ticket: Some(state),
    })
}

/// The max_early_data_size of the ticket a ClientHello offers first (the only PSK 0-RTT
/// can use, RFC 9846 §4.3.10), if the server can read it: how much 0-RTT data the client
/// may send, and so how much a server that does not take it must skip. The binder is not
/// checked here: the value only sizes the skipping, which a ticket of ours bounds anyway.
pub(crate) fn offered_ticket_early_data(
    config: &ServerConfig,
    hello: &ClientHello,
    now_ms: u64,
) -> Option<u32> {
    let Some(Extension::PreSharedKeyClientHello(offered)) =
        hello.extension(ExtensionType::PreSharedKey)
    else {
        return None;
    };
    let first = offered.identities.first()?;
    let ticket = find_psk(config, first, now_ms)?.ticket?;
    Some(ticket.max_early_data_size)
}

/// Selects and validates a PSK for a ClientHello whose suite is `cipher_suite`, or `None`
/// for a handshake without one.
pub(crate) fn select_psk(
    config: &ServerConfig,
    input: ClientHelloInput<'_>,
    offer: PskOffer,
    cipher_suite: CipherSuite,
    observe: &mut dyn FnMut(SecretLabel, &Secret),
) -> Result<Option<SelectedPsk>, Error> {
    let mode = match offer {
        PskOffer::None => return Ok(None),
        PskOffer::WithKeyExchange => PskKeyExchangeMode::PskDheKe,
        PskOffer::WithoutKeyExchange => PskKeyExchangeMode::PskKe,
    };
    let Some(Extension::PreSharedKeyClientHello(offered)) =
        input.hello.extension(ExtensionType::PreSharedKey)
    else {
        return Ok(None);
    };
    let suite_hash = suite_algorithms(cipher_suite).map(|(_, hash)| hash);
    let provider = config.provider.as_ref();
    for (index, identity) in offered.identities.iter().enumerate() {
        let Some(known) = find_psk(config, identity, input.now_ms) else {
            continue;
        };
        // RFC 9846 §4.3.11: "The server MUST ensure that it selects a compatible PSK (if
        // any) and cipher suite"; §4.7.1: "Any ticket MUST only be resumed with a cipher
        // suite that has the same KDF hash algorithm".
        if Some(known.hash) != suite_hash {
            continue;
        }
        let index = u16::try_from(index).map_err(|_| super::select::illegal("too many PSKs"))?;
        let binder = offered
            .binders
            .get(usize::from(index))
            .ok_or(super::select::illegal("PSK without a binder"))?;
        let early_secret = EarlySecret::new(provider, known.hash, Some(&known.secret), observe);
        let binder_key = early_secret.binder_key(provider, known.kind, observe)?;
        let partial_hash = binder_transcript_hash(config, input, offered, known.hash)?;
        binder_key.verify_binder(provider, &partial_hash, &binder.0)?;
        if !first_use_of_ticket(config, &known, &identity.identity, input.now_ms) {
            // RFC 9846 §8.1: "If an unknown ticket is provided, the server would then fall
            // back to a full handshake"; a used one is no better.
            return Ok(None);
        }
        return Ok(Some(SelectedPsk {
            index,
            kind: known.kind,
            mode,
            early_secret,
            ticket: known.ticket,
            obfuscated_ticket_age: identity.obfuscated_ticket_age,
            binder: binder.0.clone(),
        }));
    }
    Ok(None)
}

/// `Transcript-Hash(Truncate(ClientHello1))`, or after a HelloRetryRequest
/// `Transcript-Hash(ClientHello1, HelloRetryRequest, Truncate(ClientHello2))`
/// (RFC 9846 §4.3.11.2).
fn binder_transcript_hash(
    config: &ServerConfig,
    input: ClientHelloInput<'_>,
    offered: &OfferedPsks,
    hash: HashAlgorithm,
) -> Result<crate::crypto::HashOutput, Error> {
    let partial = partial_client_hello(input.bytes, offered.binders_len())?;
    Ok(match input.retry {
        Some(retry) => retry.transcript.current_with(partial),
        None => Transcript::new(config.provider.as_ref(), hash).current_with(partial),
    })
}

/// With single-use tickets (RFC 9846 §8.1), records the ticket and says whether this is its
/// first use. Always true for other PSKs and other mechanisms.
fn first_use_of_ticket(
    config: &ServerConfig,
    known: &KnownPsk,
    identity: &[u8],
    now_ms: u64,
) -> bool {
    let (Some(early), Some(ticket)) = (&config.early_data, &known.ticket) else {
        return true;
    };
    let AntiReplay::SingleUseTickets(store) = &early.anti_replay else {
        return true;
    };
    let key = replay_key(config.provider.as_ref(), b"ticket", identity);
    store.insert_if_new(&key, now_ms, ticket.issued_at_ms, ticket.expires_at_ms())
}

/// Whether 0-RTT data is accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EarlyData {
    /// The client did not offer it.
    NotOffered,
    /// Offered and rejected: its records are skipped (up to `max_early_data_size` bytes).
    Rejected(&'static str),
    /// Accepted: the server reads 0-RTT data up to this many bytes.
    Accepted {
        /// The ticket's `max_early_data_size`.
        max_early_data_size: u32,
    },
}

/// Decides on 0-RTT for a negotiated ClientHello (RFC 9846 §4.3.10, §8).
pub(crate) fn decide_early_data(
    config: &ServerConfig,
    input: ClientHelloInput<'_>,
    negotiation: &Negotiation,
) -> EarlyData {
    if input.hello.extension(ExtensionType::EarlyData).is_none() {
        return EarlyData::NotOffered;
    }
    // RFC 9846 §4.2.2: "Early data is not permitted after a HelloRetryRequest." A second
    // ClientHello with early_data is refused before this point
    // (`retry::check_second_client_hello`); this keeps 0-RTT off even if it were not.
    if input.retry.is_some() {
        return EarlyData::Rejected("early data after a HelloRetryRequest");
    }
    let Some(early) = &config.early_data else {
        return EarlyData::Rejected("0-RTT is not enabled");
    };
    let Some(psk) = &negotiation.psk else {
        return EarlyData::Rejected("no PSK was selected");
    };
    // RFC 9846 §4.3.10: "In order to accept early data, the server MUST have selected the
    // first key offered in the client's pre_shared_key extension."
    if psk.index != 0 {
        return EarlyData::Rejected("the selected PSK is not the first");
    }
    let Some(ticket) = &psk.ticket else {
        return EarlyData::Rejected("0-RTT is only accepted with tickets");
    };
    let max_early_data_size = ticket.max_early_data_size;
    if max_early_data_size == 0 {
        return EarlyData::Rejected("the ticket does not allow 0-RTT");
    }
    // RFC 9846 §4.7.1: the ticket's max_early_data_size is "The maximum amount of 0-RTT
    // data that the client is allowed to send when using this ticket": a client may have
    // sent that much already. A server whose limit is now lower rejects (and skips) it
    // rather than accept it and fail a client that kept to its ticket.
    if max_early_data_size > early.max_early_data_size {
        return EarlyData::Rejected("the ticket allows more 0-RTT than the server now takes");
    }
    // RFC 9846 §4.3.10: the server "MUST verify that the following values are the same as
    // those associated with the selected PSK: The selected TLS version number, The selected
    // cipher suite, The selected ALPN protocol, if any". The version is always TLS 1.3.
    if ticket.cipher_suite != negotiation.cipher_suite {
        return EarlyData::Rejected("the cipher suite differs from the ticket's");
    }
    if ticket.alpn != negotiation.alpn {
        return EarlyData::Rejected("the ALPN protocol differs from the ticket's");
    }
    // RFC 9846 §4.3.10: "a server MUST validate that the ticket age for the selected PSK
    // identity ... is within a small tolerance of the time since the ticket was issued
    // ... If it is not, the server SHOULD proceed with the handshake but reject 0-RTT".
    let age = ticket.client_ticket_age_ms(psk.obfuscated_ticket_age);
    let window = early.freshness_window_ms;
    if !is_fresh(ticket.issued_at_ms, age, input.now_ms, window) {
        return EarlyData::Rejected("the ticket age is not fresh");
    }
    if let AntiReplay::ClientHelloRecording(store) = &early.anti_replay {
        // RFC 9846 §8.2: "If no matching ClientHello is found, then it accepts 0-RTT and then
        // stores the ClientHello for as long as the expected_arrival_time is inside the
        // window"; a replay passing the freshness check arrives within twice the window.
        let key = replay_key(config.provider.as_ref(), b"binder", &psk.binder);
        let span = window.saturating_mul(2);
        let (from, until) = (
            input.now_ms.saturating_sub(span),
            input.now_ms.saturating_add(span),
        );
        if !store.insert_if_new(&key, input.now_ms, from, until) {
            return EarlyData::Rejected("ClientHello seen before (anti-replay)");
        }
    }
    EarlyData::Accepted {
        max_early_data_size,
    }
}
