//! WAIT_EOED (RFC 9846 Appendix A.2): the server accepted 0-RTT and reads early data,
//! protected with client_early_traffic_secret, until the client's EndOfEarlyData.
//!
//! ```text
//!   K_recv = early data
//!      +------> WAIT_EOED --+
//!      |   Recv |           | Recv EndOfEarlyData
//!      | early data         | K_recv = handshake
//!      +--------+           v
//!                      WAIT_FLIGHT2
//! ```
//!
//! Early data reaches the application as [`Event::EarlyData`]: it may be a replay
//! (RFC 9846 §8, Appendix F.5), which the application must keep in mind. At most the
//! ticket's `max_early_data_size` bytes are accepted (RFC 9846 §4.7.1: "A server receiving
//! more than max_early_data_size bytes of 0-RTT data SHOULD terminate the connection with
//! an unexpected_message alert").

use alloc::vec::Vec;

use crate::connection::{ConnectionCore, Event, HandshakeInput};
use crate::error::Error;
use crate::trace::Epoch;
use crate::wire::handshake::HandshakeMessage;

use super::wait_flight2::{ClientFlight, WaitFlight2};
use super::{ServerState, unexpected_message};

/// WAIT_EOED: reading 0-RTT data.
#[derive(Debug)]
pub struct WaitEoed {
    flight: ClientFlight,
    max_early_data_size: u32,
    received: u64,
}

impl WaitEoed {
    pub(crate) fn new(flight: ClientFlight, max_early_data_size: u32) -> Self {
        Self {
            flight,
            max_early_data_size,
            received: 0,
        }
    }

    /// One record of early data.
    pub(crate) fn handle_early_data(
        mut self,
        core: &mut ConnectionCore,
        data: Vec<u8>,
    ) -> Result<ServerState, Error> {
        // RFC 9846 §4.7.1: max_early_data_size counts "Application Data payload (i.e.,
        // plaintext but not padding or the inner content type byte)".
        self.received = self.received.saturating_add(data.len() as u64);
        if self.received > u64::from(self.max_early_data_size) {
            return Err(unexpected_message(
                "more 0-RTT data than max_early_data_size",
            ));
        }
        core.push_event(Event::EarlyData(data));
        Ok(ServerState::WaitEoed(self))
    }

    /// EndOfEarlyData (RFC 9846 §4.6) ends the early data; anything else is out of order.
    pub(crate) fn handle(
        mut self,
        core: &mut ConnectionCore,
        input: HandshakeInput,
    ) -> Result<ServerState, Error> {
        let HandshakeMessage::EndOfEarlyData(_) = input.message else {
            return Err(unexpected_message("expected EndOfEarlyData"));
        };
        // RFC 9846 §4.3.10: EndOfEarlyData "will be encrypted with the 0-RTT traffic keys".
        if input.epoch != Epoch::Early {
            return Err(unexpected_message("EndOfEarlyData outside the 0-RTT epoch"));
        }
        self.flight.transcript.add(&input.bytes);
        // RFC 9846 Appendix A.2: "Recv EndOfEarlyData, K_recv = handshake".
        self.flight.install_client_handshake_key(core)?;
        Ok(ServerState::WaitFlight2(WaitFlight2::new(self.flight)))
    }
}
