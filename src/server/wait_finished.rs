//! WAIT_FINISHED (RFC 9846 Appendix A.2): the client's Finished completes the handshake.
//!
//! ```text
//!                       WAIT_FINISHED
//!                             | Recv Finished
//!                             | K_recv = application
//!                             v
//!                         CONNECTED
//! ```
//!
//! The Finished is checked in constant time against `HMAC(finished_key,
//! Transcript-Hash(Handshake Context, Certificate*, CertificateVerify*))` with the client's
//! handshake traffic secret as Base Key (RFC 9846 §4.5.3, §4.5 Table 2). Then the
//! resumption secret is derived over the whole transcript, the handshake is reported
//! complete, and the configured NewSessionTickets are sent (RFC 9846 §4.7.1).

use alloc::sync::Arc;

use crate::connection::ccs::CcsWindow;
use crate::connection::{ConnectionCore, HandshakeInput, Negotiated as NegotiatedParameters};
use crate::error::Error;
use crate::key_schedule::ResumptionSecret;
use crate::wire::handshake::HandshakeMessage;

use super::config::ServerConfig;
use super::connected::Connected;
use super::negotiated::report;
use super::ticket::{IssuingConnection, new_session_ticket};
use super::wait_flight2::ClientFlight;
use super::{ServerState, unexpected_message};

/// WAIT_FINISHED: the client's Finished is next.
#[derive(Debug)]
pub struct WaitFinished {
    flight: ClientFlight,
}

impl WaitFinished {
    pub(crate) fn new(flight: ClientFlight) -> Self {
        Self { flight }
    }

    /// Checks the client's Finished and completes the handshake.
    pub(crate) fn handle(
        self,
        core: &mut ConnectionCore,
        input: HandshakeInput,
    ) -> Result<ServerState, Error> {
        ClientFlight::check_epoch(&input)?;
        let HandshakeMessage::Finished(finished) = input.message else {
            return Err(unexpected_message("expected the client's Finished"));
        };
        let ClientFlight {
            config,
            mut transcript,
            client_handshake_secret,
            client_application_secret,
            main_secret,
            parameters,
            tickets_usable,
            ..
        } = self.flight;
        let provider = core.provider();
        // RFC 9846 §4.5.3: "Recipients of Finished messages MUST verify that the contents
        // are correct and if incorrect MUST terminate the connection with a decrypt_error
        // alert."
        client_handshake_secret.verify_finished(
            &*provider,
            &transcript.current(),
            &finished.verify_data,
        )?;
        transcript.add(&input.bytes);
        // RFC 9846 §5: a change_cipher_spec after the peer's Finished "MUST be treated as an
        // unexpected record type".
        core.set_ccs_window(CcsWindow::Closed);
        // RFC 9846 Appendix A.2: "Recv Finished, K_recv = application".
        core.install_application_read_key(client_application_secret)?;
        let client_finished_hash = transcript.current();
        let resumption = main_secret.into_resumption_secret(
            &*provider,
            &client_finished_hash,
            &mut report(core),
        )?;
        core.complete_handshake(parameters.clone());
        if tickets_usable {
            send_tickets(core, &config, &resumption, &parameters)?;
        }
        Ok(ServerState::Connected(Connected))
    }
}

/// Sends the configured number of NewSessionTickets (RFC 9846 §4.7.1: "the server MAY send
/// a NewSessionTicket message at any time after it has received the client Finished").
fn send_tickets(
    core: &mut ConnectionCore,
    config: &Arc<ServerConfig>,
    resumption: &ResumptionSecret,
    parameters: &NegotiatedParameters,
) -> Result<(), Error> {
    let Some(tickets) = &config.tickets else {
        return Ok(());
    };
    let provider = core.provider();
    let connection = IssuingConnection {
        cipher_suite: parameters.cipher_suite,
        alpn: parameters.alpn.as_deref(),
        client_certificates: &parameters.peer_certificates,
        max_early_data_size: config
            .early_data
            .as_ref()
            .map_or(0, |early| early.max_early_data_size),
    };
    let now_ms = core.now().as_unix_millis();
    for index in 0..u64::from(tickets.count) {
        let mut secrets = alloc::vec::Vec::new();
        let ticket = new_session_ticket(
            &*provider,
            tickets,
            resumption,
            connection,
            index,
            now_ms,
            core.rng(),
            &mut |label, secret| secrets.push((label, secret.clone())),
        )?;
        for (label, secret) in &secrets {
            core.emit_secret(*label, secret);
        }
        core.send_handshake(&HandshakeMessage::NewSessionTicket(ticket), None)?;
    }
    Ok(())
}
