//! WAIT_CERT_CR (RFC 9846 Appendix A.1): after EncryptedExtensions in a certificate
//! handshake, the server may ask for our certificate (CertificateRequest, RFC 9846
//! §4.4.2) before sending its own.
//!
//! ```text
//!                           WAIT_CERT_CR
//!         Recv CertificateRequest |  Recv Certificate
//!                  +--------------+---------------+
//!                  v                              v
//!              WAIT_CERT                       WAIT_CV
//! ```

use alloc::boxed::Box;

use crate::connection::{ConnectionCore, HandshakeInput};
use crate::error::Error;
use crate::wire::alert::AlertDescription;
use crate::wire::codes::ExtensionType;
use crate::wire::extensions::find;
use crate::wire::handshake::HandshakeMessage;

use super::ClientState;
use super::handshake::ClientHandshake;
use super::wait_cert::WaitCert;
use super::wait_sh::{illegal, unexpected};

/// WAIT_CERT_CR: a CertificateRequest or the server's Certificate comes next.
pub struct WaitCertCr {
    pub(super) handshake: Box<ClientHandshake>,
}

impl WaitCertCr {
    /// Handles CertificateRequest or Certificate.
    #[inline(never)] // its own stack frame: see `ClientState::handle_handshake`
    pub fn handle(
        mut self,
        core: &mut ConnectionCore,
        input: HandshakeInput,
    ) -> Result<ClientState, Error> {
        match input.message {
            HandshakeMessage::CertificateRequest(request) => {
                // RFC 9846 §4.4.2: certificate_request_context "SHALL be zero length unless
                // used for the post-handshake authentication exchanges".
                if !request.certificate_request_context.is_empty() {
                    return Err(illegal(
                        "CertificateRequest context not empty in the handshake",
                    ));
                }
                // RFC 9846 §4.4.2: "The "signature_algorithms" extension MUST be specified".
                if find(&request.extensions, ExtensionType::SignatureAlgorithms).is_none() {
                    return Err(Error::PeerMisbehaved {
                        alert: AlertDescription::MissingExtension,
                        reason: "CertificateRequest without signature_algorithms",
                    });
                }
                self.handshake.transcript.add(&input.bytes);
                self.handshake.certificate_request = Some(request);
                Ok(ClientState::WaitCert(WaitCert {
                    handshake: self.handshake,
                }))
            }
            HandshakeMessage::Certificate(_) => WaitCert {
                handshake: self.handshake,
            }
            .handle(core, input),
            _ => Err(unexpected("expected CertificateRequest or Certificate")),
        }
    }
}
