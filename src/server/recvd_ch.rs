//! RECVD_CH (RFC 9846 Appendix A.2): a ClientHello is in; the server selects the
//! parameters and either moves on to NEGOTIATED or sends a HelloRetryRequest and goes back
//! to START.
//!
//! ```text
//!                           START <-----+
//!                                       | Send HelloRetryRequest
//!                          RECVD_CH ----+
//!                             | Select parameters
//!                             v
//!                          NEGOTIATED
//! ```
//!
//! Before selecting, a second ClientHello is checked against what the retry asked
//! ([`super::retry::check_second_client_hello`]); a ClientHello that arrives first on the
//! connection but carries a cookie is the second ClientHello of a stateless retry, whose
//! state comes back out of the cookie ([`super::retry::restore_from_cookie`]) and goes
//! through the same check.
//!
//! The HelloRetryRequest (RFC 9846 §4.2.4) restarts the transcript as
//! `message_hash(Hash(ClientHello1)) || HelloRetryRequest` (§4.1). In middlebox
//! compatibility mode it is followed by a dummy change_cipher_spec (Appendix E.4). Any 0-RTT
//! data the client sent with ClientHello1 is skipped (§4.3.10).

use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::connection::ConnectionCore;
use crate::crypto::suite_algorithms;
use crate::error::Error;
use crate::transcript::Transcript;
use crate::wire::algorithms::{CipherSuite, NamedGroup};
use crate::wire::client_hello::ClientHello;
use crate::wire::codes::ExtensionType;
use crate::wire::handshake::HandshakeMessage;

use super::config::ServerConfig;
use super::negotiated::{Negotiated, report};
use super::psk::offered_ticket_early_data;
use super::retry::{
    RetryState, check_second_client_hello, hello_retry_request, make_cookie, restore_from_cookie,
};
use super::select::{ClientHelloInput, Decision, illegal, select};
use super::start::Start;
use super::{ServerState, unexpected_message};

/// RECVD_CH: a ClientHello to answer.
pub(crate) struct RecvdCh {
    config: Arc<ServerConfig>,
    retry: Option<RetryState>,
    hello: ClientHello,
    bytes: Vec<u8>,
}

impl RecvdCh {
    /// The ClientHello `hello`, received as `bytes`, after the HelloRetryRequest `retry`
    /// if there was one.
    pub(crate) fn new(
        config: Arc<ServerConfig>,
        retry: Option<RetryState>,
        hello: ClientHello,
        bytes: Vec<u8>,
    ) -> Self {
        Self {
            config,
            retry,
            hello,
            bytes,
        }
    }

    /// Selects the parameters and answers.
    pub(crate) fn select(self, core: &mut ConnectionCore) -> Result<ServerState, Error> {
        let Self {
            config,
            retry,
            hello,
            bytes,
        } = self;
        let now_ms = core.now().as_unix_millis();
        let retry = match retry {
            Some(retry) => Some(retry),
            None => restore_from_cookie(&config, &hello, now_ms)?,
        };
        // One check for both paths: the state kept since the HelloRetryRequest, or the state
        // the cookie of a stateless retry brought back.
        if let Some(retry) = &retry {
            check_second_client_hello(retry, &hello)?;
        }
        // The key log's lines are keyed by ClientHello.random.
        core.set_client_random(hello.random);
        let input = ClientHelloInput {
            hello: &hello,
            bytes: &bytes,
            retry: retry.as_ref(),
            now_ms,
        };
        let decision = select(&config, input, &mut report(core))?;
        match decision {
            Decision::Proceed(negotiation) => {
                core.state_changed("RECVD_CH", "NEGOTIATED");
                let early_data = super::psk::decide_early_data(&config, input, &negotiation);
                let negotiated = Negotiated {
                    config,
                    retry,
                    hello,
                    bytes,
                    negotiation: *negotiation,
                    early_data,
                };
                negotiated.send_flight(core)
            }
            Decision::Retry {
                cipher_suite,
                selected_group,
            } => {
                if retry.is_some() {
                    // RFC 9846 §4.2.4: "If a client receives a second HelloRetryRequest in
                    // the same connection ... it MUST abort"; a server never sends one. A
                    // second ClientHello that still needs one did not do what was asked.
                    return Err(illegal("second ClientHello still needs a retry"));
                }
                let first = RecvdCh::new(config, None, hello, bytes);
                first.send_hello_retry_request(core, cipher_suite, selected_group)
            }
        }
    }

    /// Sends the HelloRetryRequest asking for a share in `selected_group`, and goes back to
    /// START.
    fn send_hello_retry_request(
        self,
        core: &mut ConnectionCore,
        cipher_suite: CipherSuite,
        selected_group: NamedGroup,
    ) -> Result<ServerState, Error> {
        let provider = core.provider();
        let (_, hash) = suite_algorithms(cipher_suite).ok_or(unexpected_message("no suite"))?;
        let mut transcript = Transcript::new(&*provider, hash);
        transcript.add(&self.bytes);
        let now_ms = core.now().as_unix_millis();
        let group = Some(selected_group);
        let cookie = make_cookie(
            &self.config,
            cipher_suite,
            group,
            transcript.current(),
            now_ms,
            core.rng(),
        )?;
        // RFC 9846 §4.1: "when the server responds to a ClientHello with a
        // HelloRetryRequest, the value of ClientHello1 is replaced with a special synthetic
        // handshake message of handshake type message_hash".
        transcript.replace_client_hello1(&*provider)?;
        core.set_cipher_suite(cipher_suite);
        let session_id = &self.hello.legacy_session_id;
        let hrr = hello_retry_request(
            &self.config,
            session_id,
            cipher_suite,
            group,
            cookie.clone(),
        );
        core.send_handshake(
            &HandshakeMessage::HelloRetryRequest(hrr),
            Some(&mut transcript),
        )?;
        // RFC 9846 Appendix E.4: "The server sends a dummy change_cipher_spec record
        // immediately after its first handshake message. This may either be after a
        // ServerHello or a HelloRetryRequest"; it MUST when the client "sends a non-empty
        // session ID".
        if !session_id.is_empty() {
            core.send_dummy_change_cipher_spec()?;
        }
        if self.hello.extension(ExtensionType::EarlyData).is_some() {
            // RFC 9846 §4.3.10: after a HelloRetryRequest the server "ignores early data by
            // skipping all records with an external content type of application_data ...
            // up to the configured max_early_data_size". No PSK is chosen before the retry,
            // but the ticket offered first says how much the client may have sent.
            let now_ms = core.now().as_unix_millis();
            let ticket_allowed = offered_ticket_early_data(&self.config, &self.hello, now_ms);
            core.skip_rejected_early_data(rejected_early_data_budget(&self.config, ticket_allowed));
        }
        core.state_changed("RECVD_CH", "START");
        let retry = RetryState {
            cipher_suite,
            selected_group: group,
            cookie,
            transcript,
            client_hello1: Some(self.hello),
        };
        Ok(ServerState::Start(Start::after_retry(self.config, retry)))
    }
}

/// The least the server skips of rejected 0-RTT data: one record's worth of plaintext
/// (2^14 bytes), for a client holding a ticket this server no longer reads or whose 0-RTT it
/// no longer accepts, since none of its current settings says how much that client may send.
pub(crate) const MIN_REJECTED_EARLY_DATA_SKIP: u32 = 1 << 14;

/// How many bytes of rejected 0-RTT data the server skips: the most its tickets allow now,
/// the `max_early_data_size` of the client's ticket (`ticket_allowed`, when the server could
/// read it: what the client was told it may send), and at least
/// [`MIN_REJECTED_EARLY_DATA_SKIP`].
///
/// RFC 9846 §4.3.10: a server that ignores early_data "skips past early data ... (up to the
/// configured max_early_data_size)"; a server whose configuration no longer allows 0-RTT
/// still has to skip what an older ticket allowed, or the client's second flight would be
/// lost behind a bad_record_mac.
pub(crate) fn rejected_early_data_budget(
    config: &ServerConfig,
    ticket_allowed: Option<u32>,
) -> u32 {
    let configured = config
        .early_data
        .as_ref()
        .map_or(0, |early| early.max_early_data_size);
    configured
        .max(ticket_allowed.unwrap_or(0))
        .max(MIN_REJECTED_EARLY_DATA_SKIP)
}
