//! WAIT_CV (RFC 9846 Appendix A.1): the server's CertificateVerify (RFC 9846 §4.5.2),
//! its signature over the transcript up to its Certificate, made with the certificate's
//! private key.
//!
//! ```text
//!                              WAIT_CV
//!             Recv CertificateVerify |
//!                                    v
//!                           WAIT_FINISHED
//! ```

use alloc::boxed::Box;

use crate::connection::cert_verify::verify_certificate_verify;
use crate::connection::{ConnectionCore, HandshakeInput};
use crate::error::Error;
use crate::wire::certificate_verify::Signer;
use crate::wire::handshake::HandshakeMessage;

use super::ClientState;
use super::handshake::ClientHandshake;
use super::wait_finished::WaitFinished;
use super::wait_sh::unexpected;

/// WAIT_CV: the server's CertificateVerify comes next.
pub struct WaitCv {
    pub(super) handshake: Box<ClientHandshake>,
}

impl WaitCv {
    /// Handles CertificateVerify.
    #[inline(never)] // its own stack frame: see `ClientState::handle_handshake`
    pub fn handle(
        mut self,
        core: &mut ConnectionCore,
        input: HandshakeInput,
    ) -> Result<ClientState, Error> {
        let HandshakeMessage::CertificateVerify(certificate_verify) = &input.message else {
            return Err(unexpected("expected CertificateVerify"));
        };
        let key = self
            .handshake
            .server_key
            .as_ref()
            .ok_or(Error::Misuse("CertificateVerify without a server key"))?;
        // RFC 9846 §4.5.2: the signature covers Transcript-Hash(Handshake Context,
        // Certificate), and "The receiver of a CertificateVerify message MUST verify the
        // signature field."
        verify_certificate_verify(
            &*core.provider(),
            key,
            certificate_verify,
            &self.handshake.config.signature_schemes,
            Signer::Server,
            &self.handshake.transcript.current(),
        )?;
        self.handshake.negotiated.signature_scheme = Some(certificate_verify.algorithm);
        self.handshake.transcript.add(&input.bytes);
        Ok(ClientState::WaitFinished(WaitFinished::new(self.handshake)))
    }
}
