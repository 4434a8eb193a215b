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

use crate::connection::cert_verify::{EndEntityKey, verify_certificate_verify};
use crate::connection::{ConnectionCore, HandshakeInput};
use crate::error::Error;
use crate::wire::certificate_verify::Signer;
use crate::wire::codes::CertificateType;
use crate::wire::handshake::HandshakeMessage;

use super::wait_finished::WaitFinished;
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
        let mut flight = self.flight;
        let end_entity = self
            .chain
            .first()
            .ok_or(Error::Misuse("WAIT_CV without a client certificate"))?;
        let key = match flight.client_certificate_type {
            // RFC 7250 §3: a raw public key is the SubjectPublicKeyInfo itself.
            CertificateType::RawPublicKey => EndEntityKey::from_spki(end_entity)?,
            _ => EndEntityKey::from_certificate(end_entity)?,
        };
        // RFC 9846 §4.5.2: the client's scheme "MUST be one of those present in the
        // supported_signature_algorithms field of the signature_algorithms extension in the
        // CertificateRequest message", fit its key, and verify over Transcript-Hash(Handshake
        // Context, Certificate) (else decrypt_error).
        verify_certificate_verify(
            &*core.provider(),
            &key,
            &verify,
            &flight.config.client_auth_schemes,
            Signer::Client,
            &flight.transcript.current(),
        )?;
        flight.transcript.add(&input.bytes);
        flight.parameters.signature_scheme = Some(verify.algorithm);
        flight.parameters.peer_certificates = self.chain.into();
        flight.parameters.client_certificate_type = Some(flight.client_certificate_type);
        Ok(ServerState::WaitFinished(WaitFinished::new(flight)))
    }
}
