//! CONNECTED (RFC 9846 Appendix A.2): the handshake is complete. Application data flows
//! both ways; the only handshake message the client may still send is KeyUpdate
//! (RFC 9846 §4.7.3), handled by the shared core.
//!
//! RFC 9846 §4.2.2: "Because TLS 1.3 forbids renegotiation, if a server has negotiated TLS
//! 1.3 and receives a ClientHello at any other time, it MUST terminate the connection with
//! an unexpected_message alert." Post-handshake client authentication (§4.7.2) is not
//! offered, so a client's Certificate here is out of order as well.

use alloc::vec::Vec;

use crate::connection::{ConnectionCore, HandshakeInput};
use crate::error::Error;
use crate::wire::handshake::HandshakeMessage;

use super::{ServerState, unexpected_message};

/// CONNECTED: the handshake is over.
#[derive(Debug)]
pub struct Connected;

impl Connected {
    /// KeyUpdate; any other handshake message is out of order.
    pub(crate) fn handle(
        self,
        core: &mut ConnectionCore,
        input: HandshakeInput,
    ) -> Result<ServerState, Error> {
        match input.message {
            HandshakeMessage::KeyUpdate(key_update) => core.receive_key_update(&key_update)?,
            HandshakeMessage::ClientHello(_) => {
                return Err(unexpected_message("ClientHello after the handshake"));
            }
            _ => return Err(unexpected_message("handshake message after the handshake")),
        }
        Ok(ServerState::Connected(self))
    }

    /// Application data from the client.
    pub(crate) fn handle_application_data(
        self,
        core: &mut ConnectionCore,
        data: Vec<u8>,
    ) -> Result<ServerState, Error> {
        core.deliver_application_data(data);
        Ok(ServerState::Connected(self))
    }
}
