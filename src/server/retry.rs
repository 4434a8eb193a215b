//! HelloRetryRequest, the server's side (RFC 9846 §4.2.4): building it, remembering what
//! it asked for, and checking that the second ClientHello is the first one changed only as
//! RFC 9846 §4.2.2 allows.
//!
//! RFC 9846 §4.2.2: after a HelloRetryRequest "the client MUST send the same ClientHello
//! without modification, except as follows": the key_share list replaced by one share of
//! the requested group, early_data removed, the cookie added if the server sent one, the
//! pre_shared_key updated (new ticket ages and binders, and PSKs that do not fit the
//! suite may be dropped), and the padding changed. [`check_second_client_hello`] allows
//! exactly those changes and answers anything else with `illegal_parameter`.
//!
//! A server that keeps the [`RetryState`] between the two ClientHellos compares them in
//! full. A server that sent a cookie can also forget everything and rebuild the state from
//! the cookie when the second ClientHello arrives on a new connection
//! ([`restore_from_cookie`]); it can then check only what the cookie remembers.

use alloc::vec::Vec;

use crate::crypto::{HashOutput, Rng, suite_algorithms};
use crate::error::Error;
use crate::transcript::Transcript;
use crate::wire::algorithms::{CipherSuite, NamedGroup};
use crate::wire::client_hello::ClientHello;
use crate::wire::codes::{ExtensionType, ProtocolVersion};
use crate::wire::extensions::{Cookie, Extension, KeyShareHelloRetryRequest};
use crate::wire::handshake::HandshakeMessage;
use crate::wire::server_hello::HelloRetryRequest;

use super::config::ServerConfig;
use super::cookie::{CookieState, issue_cookie, open_cookie};
use super::select::illegal;

/// What the server remembers between its HelloRetryRequest and the second ClientHello.
#[derive(Debug)]
pub(crate) struct RetryState {
    /// The suite of the HelloRetryRequest.
    pub cipher_suite: CipherSuite,
    /// The group it asked a share for.
    pub selected_group: Option<NamedGroup>,
    /// The cookie it sent, which must come back unchanged.
    pub cookie: Option<Vec<u8>>,
    /// `message_hash(ClientHello1) || HelloRetryRequest`, under the suite's hash.
    pub transcript: Transcript,
    /// The first ClientHello, unless the state was rebuilt from a cookie.
    pub client_hello1: Option<ClientHello>,
}

/// The HelloRetryRequest asking for a share in `selected_group` (RFC 9846 §4.2.4: "The
/// server's extensions MUST contain supported_versions"; it "SHOULD contain the minimal set
/// of extensions necessary for the client to generate a correct ClientHello pair").
pub(crate) fn hello_retry_request(
    config: &ServerConfig,
    legacy_session_id: &[u8],
    cipher_suite: CipherSuite,
    selected_group: Option<NamedGroup>,
    cookie: Option<Vec<u8>>,
) -> HelloRetryRequest {
    let mut extensions = Vec::new();
    if let Some(selected_group) = selected_group {
        extensions.push(Extension::KeyShareHelloRetryRequest(
            KeyShareHelloRetryRequest { selected_group },
        ));
    }
    if let Some(cookie) = cookie {
        extensions.push(Extension::Cookie(Cookie { cookie }));
    }
    // RFC 9846 §4.3.1: "A server which negotiates TLS 1.3 MUST respond by sending a
    // supported_versions extension containing the selected version value (0x0304)."
    extensions.push(Extension::SupportedVersionsServerHello(
        ProtocolVersion::Tls13,
    ));
    HelloRetryRequest {
        // RFC 9846 §4.2.3: "the legacy_version field MUST be set to 0x0303".
        legacy_version: ProtocolVersion::Tls12,
        // RFC 9846 §4.2.3: legacy_session_id_echo is "The contents of the client's
        // legacy_session_id field".
        legacy_session_id_echo: legacy_session_id.to_vec(),
        cipher_suite,
        legacy_compression_method: 0,
        extensions: config.in_extension_order(extensions),
    }
}

/// The cookie for a HelloRetryRequest, if the server sends cookies: the sealed
/// [`CookieState`]. Draws from `rng` as the cookie issuer does.
pub(crate) fn make_cookie(
    config: &ServerConfig,
    cipher_suite: CipherSuite,
    selected_group: Option<NamedGroup>,
    client_hello1_hash: HashOutput,
    now_ms: u64,
    rng: &mut dyn Rng,
) -> Result<Option<Vec<u8>>, Error> {
    let Some(cookies) = &config.cookies else {
        return Ok(None);
    };
    let state = CookieState {
        cipher_suite,
        selected_group,
        client_hello1_hash,
        issued_at_ms: now_ms,
    };
    issue_cookie(cookies, &state, rng).map(Some)
}

/// For a ClientHello that arrives first on a connection but carries a cookie: the retry
/// state rebuilt from the cookie (a stateless HelloRetryRequest, RFC 9846 §4.3.2), with the
/// transcript `message_hash(Hash(ClientHello1)) || HelloRetryRequest` (§4.1). `Ok(None)`
/// if there is no cookie.
pub(crate) fn restore_from_cookie(
    config: &ServerConfig,
    hello: &ClientHello,
    now_ms: u64,
) -> Result<Option<RetryState>, Error> {
    let Some(Extension::Cookie(cookie)) = hello.extension(ExtensionType::Cookie) else {
        return Ok(None);
    };
    // RFC 9846 §4.3.2: "Clients MUST NOT use cookies in their initial ClientHello in
    // subsequent connections": a cookie that is not a live one of ours is refused.
    let state = config
        .cookies
        .as_ref()
        .and_then(|c| open_cookie(c, &cookie.cookie, now_ms))
        .ok_or(illegal("cookie not issued by this server, or expired"))?;
    let (_, hash) = suite_algorithms(state.cipher_suite).ok_or(illegal("cookie names no suite"))?;
    let provider = config.provider.as_ref();
    let mut transcript =
        Transcript::from_client_hello1_hash(provider, hash, &state.client_hello1_hash);
    let retry = hello_retry_request(
        config,
        &hello.legacy_session_id,
        state.cipher_suite,
        state.selected_group,
        Some(cookie.cookie.clone()),
    );
    transcript.add(&HandshakeMessage::HelloRetryRequest(retry).encode()?);
    Ok(Some(RetryState {
        cipher_suite: state.cipher_suite,
        selected_group: state.selected_group,
        cookie: Some(cookie.cookie.clone()),
        transcript,
        client_hello1: None,
    }))
}

/// The extensions a second ClientHello may change (RFC 9846 §4.2.2).
fn may_change(typ: ExtensionType) -> bool {
    matches!(
        typ,
        ExtensionType::KeyShare
            | ExtensionType::EarlyData
            | ExtensionType::Cookie
            | ExtensionType::PreSharedKey
            | ExtensionType::Padding
    )
}

/// Checks ClientHello2 against what the HelloRetryRequest asked and against ClientHello1.
/// The new key share itself is checked when the group is chosen.
pub(crate) fn check_second_client_hello(
    retry: &RetryState,
    hello: &ClientHello,
) -> Result<(), Error> {
    // RFC 9846 §4.3.2: "When sending the new ClientHello, the client MUST copy the contents
    // of the extension received in the HelloRetryRequest into a cookie extension".
    let cookie = match hello.extension(ExtensionType::Cookie) {
        Some(Extension::Cookie(c)) => Some(c.cookie.as_slice()),
        _ => None,
    };
    if cookie != retry.cookie.as_deref() {
        return Err(illegal("second ClientHello does not echo the cookie"));
    }
    // RFC 9846 §4.2.4: "A client MUST NOT include the early_data extension in its followup
    // ClientHello" (§4.3.10); §4.2.2: "Early data is not permitted after a
    // HelloRetryRequest."
    if hello.extension(ExtensionType::EarlyData).is_some() {
        return Err(illegal("early_data after a HelloRetryRequest"));
    }
    let Some(first) = &retry.client_hello1 else {
        return Ok(());
    };
    // RFC 9846 §4.2.2: "the client MUST send the same ClientHello without modification,
    // except as follows".
    let same_fields = first.legacy_version == hello.legacy_version
        && first.random == hello.random
        && first.legacy_session_id == hello.legacy_session_id
        && first.cipher_suites == hello.cipher_suites
        && first.legacy_compression_methods == hello.legacy_compression_methods;
    let fixed = |h: &ClientHello| -> Vec<Extension> {
        h.extensions
            .iter()
            .filter(|e| !may_change(e.extension_type()))
            .cloned()
            .collect()
    };
    if !same_fields || fixed(first) != fixed(hello) {
        return Err(illegal("second ClientHello differs from the first"));
    }
    if first.extension(ExtensionType::KeyShare).is_some()
        != hello.extension(ExtensionType::KeyShare).is_some()
    {
        return Err(illegal("second ClientHello added or dropped key_share"));
    }
    check_psk_update(first, hello)
}

/// RFC 9846 §4.2.2: the client may update pre_shared_key "by recomputing the
/// obfuscated_ticket_age and binder values and (optionally) removing any PSKs which are
/// incompatible with the server's indicated cipher suite", and nothing else: the identities
/// of ClientHello2 are those of ClientHello1, in order, with some possibly left out.
fn check_psk_update(first: &ClientHello, second: &ClientHello) -> Result<(), Error> {
    let identities = |h: &ClientHello| match h.extension(ExtensionType::PreSharedKey) {
        Some(Extension::PreSharedKeyClientHello(offered)) => Some(
            offered
                .identities
                .iter()
                .map(|i| i.identity.clone())
                .collect::<Vec<_>>(),
        ),
        _ => None,
    };
    match (identities(first), identities(second)) {
        (_, None) => Ok(()),
        (None, Some(_)) => Err(illegal("second ClientHello added a PSK")),
        (Some(before), Some(after)) => {
            let mut remaining = before.iter();
            let subsequence = after.iter().all(|id| remaining.any(|b| b == id));
            if subsequence {
                Ok(())
            } else {
                Err(illegal("second ClientHello changed its PSK identities"))
            }
        }
    }
}

#[cfg(test)]
#[path = "tests_retry.rs"]
mod tests;
