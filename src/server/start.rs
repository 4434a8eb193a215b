//! START (RFC 9846 Appendix A.2): the server waits for a ClientHello, the first one or,
//! after a HelloRetryRequest, the second.
//!
//! ```text
//!                           START <-----+
//!            Recv ClientHello |         | Send HelloRetryRequest
//!                             v         |
//!                          RECVD_CH ----+
//! ```
//!
//! Anything but a ClientHello here is out of order (RFC 9846 §4: unexpected_message).
//! The ClientHello is handed on to RECVD_CH ([`super::recvd_ch`]).

use alloc::sync::Arc;

use crate::connection::ccs::CcsWindow;
use crate::connection::{ConnectionCore, HandshakeInput};
use crate::error::Error;
use crate::trace::Epoch;
use crate::wire::handshake::HandshakeMessage;

use super::config::ServerConfig;
use super::recvd_ch::RecvdCh;
use super::retry::RetryState;
use super::{ServerState, unexpected_message};

/// START: waiting for a ClientHello.
#[derive(Debug)]
pub struct Start {
    config: Arc<ServerConfig>,
    /// Set after a HelloRetryRequest: what it asked for.
    retry: Option<RetryState>,
}

impl Start {
    /// The first state of a connection.
    pub(crate) fn new(config: Arc<ServerConfig>) -> Self {
        Self {
            config,
            retry: None,
        }
    }

    /// Back to START after a HelloRetryRequest.
    pub(crate) fn after_retry(config: Arc<ServerConfig>, retry: RetryState) -> Self {
        Self {
            config,
            retry: Some(retry),
        }
    }

    /// Takes a ClientHello on to RECVD_CH.
    pub(crate) fn handle(
        self,
        core: &mut ConnectionCore,
        input: HandshakeInput,
    ) -> Result<ServerState, Error> {
        let HandshakeMessage::ClientHello(hello) = input.message else {
            return Err(unexpected_message("expected a ClientHello"));
        };
        if input.epoch != Epoch::Initial {
            return Err(unexpected_message("ClientHello under a protected epoch"));
        }
        // RFC 9846 §5: a dummy change_cipher_spec may arrive "at any time after the first
        // ClientHello message has been sent or received and before the peer's Finished".
        core.set_ccs_window(CcsWindow::Open);
        core.state_changed("START", "RECVD_CH");
        RecvdCh::new(self.config, self.retry, hello, input.bytes).select(core)
    }
}
