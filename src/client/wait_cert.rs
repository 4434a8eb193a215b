//! WAIT_CERT (RFC 9846 Appendix A.1): the server's Certificate (RFC 9846 §4.5.1).
//!
//! ```text
//!                             WAIT_CERT
//!                   Recv Certificate |
//!                                    v
//!                              WAIT_CV
//! ```
//!
//! When RawPublicKey was negotiated for the server (RFC 7250), the Certificate holds one
//! entry, a DER SubjectPublicKeyInfo, which goes to the verifier's
//! `verify_raw_public_key` instead, and whose key checks the CertificateVerify.
//!
//! The chain goes to the config's [`ServerCertVerifier`](super::verify::ServerCertVerifier)
//! with the server name and the time (or, if it defers, to the caller as
//! `Event::VerifyRequest`); the end-entity certificate's public key is kept to
//! check the CertificateVerify that follows.

use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::connection::cert_verify::{EndEntityKey, check_raw_public_key_count};
use crate::connection::{ConnectionCore, HandshakeInput};
use crate::error::Error;
use crate::verify::Answer;
use crate::wire::alert::AlertDescription;
use crate::wire::codes::CertificateType;
use crate::wire::handshake::HandshakeMessage;

use super::ClientState;
use super::handshake::ClientHandshake;
use super::wait_cv::WaitCv;
use super::wait_sh::{illegal, unexpected};

/// WAIT_CERT: the server's Certificate comes next.
pub struct WaitCert {
    pub(super) handshake: Box<ClientHandshake>,
}

impl WaitCert {
    /// Handles the server's Certificate.
    #[inline(never)] // its own stack frame: see `ClientState::handle_handshake`
    pub fn handle(
        mut self,
        core: &mut ConnectionCore,
        input: HandshakeInput,
    ) -> Result<ClientState, Error> {
        let HandshakeInput { message, bytes, .. } = input;
        let HandshakeMessage::Certificate(certificate) = message else {
            return Err(unexpected("expected Certificate"));
        };
        // RFC 9846 §4.5.2: CertificateVerify covers the transcript up to this Certificate.
        // Added now, so that the message's bytes are freed before the chain is validated,
        // the deepest point of the client's RAM (docs/embedded.md, "Stack and heap").
        self.handshake.transcript.add(&bytes);
        drop(bytes);
        // RFC 9846 §4.5.1: certificate_request_context: "Otherwise (in the case of server
        // authentication), this field SHALL be zero length."
        if !certificate.certificate_request_context.is_empty() {
            return Err(illegal("server Certificate has a request context"));
        }
        // RFC 9846 §4.5.1.3: "If the server supplies an empty Certificate message, the
        // client MUST abort the handshake with a "decode_error" alert."
        let Some((end_entity, intermediates)) = certificate.certificate_list.split_first() else {
            return Err(Error::PeerMisbehaved {
                alert: AlertDescription::DecodeError,
                reason: "server sent an empty Certificate",
            });
        };
        // RFC 9846 §4.3: extensions in a CertificateEntry must answer ones we sent.
        for entry in &certificate.certificate_list {
            self.handshake.offer.check_answered(&entry.extensions)?;
        }
        let verifier = self.handshake.config.verifier.clone();
        let server_name = self.handshake.server_name.as_deref();
        if self.handshake.certificate_types.server == CertificateType::RawPublicKey {
            check_raw_public_key_count(certificate.certificate_list.len())?;
            let spki = end_entity.cert_data.as_slice();
            // RFC 7250 §3: the entry is a SubjectPublicKeyInfo; it must parse before the
            // verifier sees it, and its key checks the CertificateVerify.
            self.handshake.server_key = Some(EndEntityKey::from_spki(spki)?);
            match verifier.verify_raw_public_key(spki, server_name, core.now()) {
                Answer::Now(verdict) => verdict?,
                Answer::Later => core.request_verification(spki, &[], server_name),
            }
        } else {
            let intermediates: Vec<&[u8]> = intermediates
                .iter()
                .map(|e| e.cert_data.as_slice())
                .collect();
            match verifier.verify(
                &end_entity.cert_data,
                &intermediates,
                server_name,
                core.now(),
            ) {
                Answer::Now(verdict) => verdict?,
                // The verdict comes later (`crate::connection::deferred`); until then nothing
                // after this Certificate is processed, so the CertificateVerify waits for it.
                Answer::Later => {
                    core.request_verification(&end_entity.cert_data, &intermediates, server_name)
                }
            }
            self.handshake.server_key =
                Some(EndEntityKey::from_certificate(&end_entity.cert_data)?);
        }
        self.handshake.negotiated.server_certificate_type =
            Some(self.handshake.certificate_types.server);
        // The chain is kept for `Negotiated::peer_certificates`: moved, not copied.
        self.handshake.negotiated.peer_certificates = certificate
            .certificate_list
            .into_iter()
            .map(|e| e.cert_data)
            .collect::<Vec<_>>()
            .into();
        Ok(ClientState::WaitCv(WaitCv {
            handshake: self.handshake,
        }))
    }
}
