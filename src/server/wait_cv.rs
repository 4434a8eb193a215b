//! WAIT_CV (RFC 9846 Appendix A.2): the client sent a certificate; its CertificateVerify
//! proves it holds the private key.
//!
//! ```text
//!                          WAIT_CV
//!                             | Recv CertificateVerify
//!                             v
//!                       WAIT_FINISHED
//! ```
//!
//! RFC 9846 §4.5.2: the signature covers `Transcript-Hash(Handshake Context, Certificate)`
//! with the context string "TLS 1.3, client CertificateVerify"; its scheme "MUST be one of
//! those present in the supported_signature_algorithms field of the signature_algorithms
//! extension in the CertificateRequest message"; and "If the verification fails, the
//! receiver MUST terminate the handshake with a decrypt_error alert."

use alloc::vec::Vec;

use crate::connection::{ConnectionCore, HandshakeInput};
use crate::error::Error;
use crate::wire::alert::AlertDescription;
use crate::wire::handshake::HandshakeMessage;

use super::select::{illegal, usable_in_certificate_verify};
use super::wait_flight2::ClientFlight;
use super::{ServerState, unexpected_message};

/// WAIT_CV: the client's CertificateVerify is next.
#[derive(Debug)]
pub struct WaitCv {
    flight: ClientFlight,
    /// The client's chain, end-entity first.
    chain: Vec<Vec<u8>>,
}

impl WaitCv {
    pub(crate) fn new(flight: ClientFlight, chain: Vec<Vec<u8>>) -> Self {
        Self { flight, chain }
    }

    /// Checks the client's CertificateVerify.
    pub(crate) fn handle(
        self,
        core: &mut ConnectionCore,
        input: HandshakeInput,
    ) -> Result<ServerState, Error> {
        ClientFlight::check_epoch(&input)?;
        let HandshakeMessage::CertificateVerify(verify) = input.message else {
            return Err(unexpected_message(
                "expected the client's CertificateVerify",
            ));
        };
        // RFC 9846 §4.5.2: the client's scheme "MUST be one of those present in the
        // supported_signature_algorithms field of the signature_algorithms extension in the
        // CertificateRequest message".
        let offered = &self.flight.config.client_auth_schemes;
        if !offered.contains(&verify.algorithm) || !usable_in_certificate_verify(verify.algorithm) {
            return Err(illegal("client CertificateVerify scheme was not offered"));
        }
        let _ = (core, self.chain.first());
        // TODO(engine-client): check the signature with the end-entity key through the
        // shared connection::cert_verify once it lands.
        Err(Error::Incompatible {
            alert: AlertDescription::HandshakeFailure,
            reason: "client CertificateVerify checking not wired yet",
        })
    }
}
