//! WAIT_FLIGHT2 (RFC 9846 Appendix A.2): the server's flight is out, 0-RTT (if any) is
//! over, and the client's second flight comes next under its handshake traffic key.
//!
//! ```text
//!                        WAIT_FLIGHT2
//!                             |
//!                    +--------+--------+
//!            No auth |                 | Cert-based client auth
//!                    |                 v
//!                    |             WAIT_CERT
//!                    v
//!               WAIT_FINISHED
//! ```
//!
//! The state decides nothing itself: the first message of the client's flight is handled
//! by WAIT_CERT if a certificate was requested, else by WAIT_FINISHED. This module also
//! holds [`ClientFlight`], what the server carries from NEGOTIATED to CONNECTED.

use alloc::sync::Arc;

use crate::connection::{ConnectionCore, HandshakeInput, Negotiated as NegotiatedParameters};
use crate::error::Error;
use crate::key_schedule::{ApplicationTrafficSecret, MainSecret, TrafficSecret};
use crate::record::limits::RecordSizeLimit;
use crate::trace::Epoch;
use crate::transcript::Transcript;

use super::config::ServerConfig;
use super::wait_cert::WaitCert;
use super::wait_finished::WaitFinished;
use super::{ServerState, unexpected_message};
use crate::wire::codes::CertificateType;

/// What the server keeps between its flight and the client's: the transcript, the secrets
/// still to be used, and what was negotiated.
pub(crate) struct ClientFlight {
    pub config: Arc<ServerConfig>,
    /// Every handshake message so far.
    pub transcript: Transcript,
    /// Protects the client's flight and keys its Finished.
    pub client_handshake_secret: TrafficSecret,
    /// The client's first application traffic secret, installed after its Finished.
    pub client_application_secret: ApplicationTrafficSecret,
    /// Gives the resumption secret once the client's Finished is in the transcript.
    pub main_secret: MainSecret,
    /// The parameters reported when the handshake completes.
    pub parameters: NegotiatedParameters,
    /// The limit on records the client sends from its second flight on (what we advertised).
    pub receive_limit: RecordSizeLimit,
    /// A CertificateRequest was sent.
    pub certificate_requested: bool,
    /// The type the client's Certificate is to carry (RFC 7250).
    pub client_certificate_type: CertificateType,
    /// NewSessionTickets may be sent.
    pub tickets_usable: bool,
}

impl core::fmt::Debug for ClientFlight {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ClientFlight")
            .field("transcript", &self.transcript)
            .field("parameters", &self.parameters)
            .field("certificate_requested", &self.certificate_requested)
            .finish_non_exhaustive()
    }
}

impl ClientFlight {
    /// Reads the client's records with its handshake traffic key from now on (RFC 9846
    /// Appendix A.2: "K_recv = handshake"), within the record size we advertised.
    pub(crate) fn install_client_handshake_key(
        &self,
        core: &mut ConnectionCore,
    ) -> Result<(), Error> {
        core.set_receive_limit(self.receive_limit);
        core.install_read_key(&self.client_handshake_secret, Epoch::Handshake)
    }

    /// Checks that a message of the client's second flight came under its handshake key.
    pub(crate) fn check_epoch(input: &HandshakeInput) -> Result<(), Error> {
        if input.epoch == Epoch::Handshake {
            Ok(())
        } else {
            Err(unexpected_message(
                "client flight message outside the handshake epoch",
            ))
        }
    }
}

/// WAIT_FLIGHT2: the client's second flight is next.
#[derive(Debug)]
pub struct WaitFlight2 {
    flight: ClientFlight,
}

impl WaitFlight2 {
    pub(crate) fn new(flight: ClientFlight) -> Self {
        Self { flight }
    }

    /// Hands the first message of the client's flight to WAIT_CERT or WAIT_FINISHED.
    pub(crate) fn handle(
        self,
        core: &mut ConnectionCore,
        input: HandshakeInput,
    ) -> Result<ServerState, Error> {
        if self.flight.certificate_requested {
            core.state_changed("WAIT_FLIGHT2", "WAIT_CERT");
            WaitCert::new(self.flight).handle(core, input)
        } else {
            WaitFinished::new(self.flight).handle(core, input)
        }
    }
}
