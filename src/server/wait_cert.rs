//! WAIT_CERT (RFC 9846 Appendix A.2): the server asked for a certificate; the client's
//! Certificate comes first in its flight.
//!
//! ```text
//!                         WAIT_CERT
//!                    Recv |       | Recv Certificate
//!                   empty |       v
//!             Certificate |    WAIT_CV
//!                         v
//!                   WAIT_FINISHED
//! ```
//!
//! RFC 9846 §4.5.1.3: "If the client does not send any certificates (i.e., it sends an
//! empty Certificate message), the server MAY at its discretion either continue the
//! handshake without client authentication, or abort the handshake with a
//! certificate_required alert": [`ClientAuth::Optional`] continues, [`ClientAuth::Required`]
//! aborts. A chain is handed to the configured [`ClientCertVerifier`] (or, if it defers, to
//! the caller as `Event::VerifyRequest`); its signature is checked in WAIT_CV. When
//! RawPublicKey was negotiated for the client (RFC 7250), the Certificate holds one
//! SubjectPublicKeyInfo, which goes to the verifier's `verify_raw_public_key`.
//!
//! [`ClientCertVerifier`]: super::ClientCertVerifier

use alloc::vec::Vec;

use crate::connection::cert_verify::{EndEntityKey, check_raw_public_key_count};
use crate::connection::{ConnectionCore, HandshakeInput};
use crate::error::Error;
use crate::verify::Answer;
use crate::wire::alert::AlertDescription;
use crate::wire::codes::CertificateType;
use crate::wire::handshake::HandshakeMessage;

use super::config::ClientAuth;
use super::select::illegal;
use super::wait_cv::WaitCv;
use super::wait_finished::WaitFinished;
use super::wait_flight2::ClientFlight;
use super::{ServerState, unexpected_message};

/// WAIT_CERT: the client's Certificate is next.
#[derive(Debug)]
pub struct WaitCert {
    flight: ClientFlight,
}

impl WaitCert {
    pub(crate) fn new(flight: ClientFlight) -> Self {
        Self { flight }
    }

    /// Takes the client's Certificate.
    pub(crate) fn handle(
        self,
        core: &mut ConnectionCore,
        input: HandshakeInput,
    ) -> Result<ServerState, Error> {
        ClientFlight::check_epoch(&input)?;
        let HandshakeMessage::Certificate(certificate) = input.message else {
            return Err(unexpected_message("expected the client's Certificate"));
        };
        // RFC 9846 §4.4.2: the certificate_request_context "will be echoed in the client's
        // Certificate message"; ours was empty.
        if !certificate.certificate_request_context.is_empty() {
            return Err(illegal("Certificate does not echo the request context"));
        }
        // RFC 9846 §4.3: "Implementations MUST NOT send extension responses (i.e., in the
        // ... Certificate messages) if the remote endpoint did not send the corresponding
        // extension requests ... Upon receiving such an extension, an endpoint MUST abort
        // the handshake with an unsupported_extension alert." Our CertificateRequest asks
        // for no per-certificate extension.
        if certificate
            .certificate_list
            .iter()
            .any(|e| !e.extensions.is_empty())
        {
            return Err(Error::PeerMisbehaved {
                alert: AlertDescription::UnsupportedExtension,
                reason: "client certificate carries an extension we did not request",
            });
        }
        let mut flight = self.flight;
        flight.transcript.add(&input.bytes);
        let chain: Vec<Vec<u8>> = certificate
            .certificate_list
            .into_iter()
            .map(|entry| entry.cert_data)
            .collect();
        let Some((end_entity, intermediates)) = chain.split_first() else {
            return match flight.config.client_auth {
                ClientAuth::Required(_) => Err(Error::PeerMisbehaved {
                    alert: AlertDescription::CertificateRequired,
                    reason: "client sent no certificate",
                }),
                ClientAuth::Optional(_) | ClientAuth::None => {
                    Ok(ServerState::WaitFinished(WaitFinished::new(flight)))
                }
            };
        };
        let verifier = flight
            .config
            .client_auth
            .verifier()
            .ok_or(Error::Misuse("certificate requested without a verifier"))?;
        if flight.client_certificate_type == CertificateType::RawPublicKey {
            // RFC 9846 §4.5.1: one entry, a SubjectPublicKeyInfo (RFC 7250 §3), which must
            // parse before the verifier sees it.
            check_raw_public_key_count(chain.len())?;
            EndEntityKey::from_spki(end_entity)?;
            match verifier.verify_raw_public_key(end_entity, core.now()) {
                Answer::Now(verdict) => verdict?,
                Answer::Later => core.request_verification(end_entity, &[], None),
            }
            return Ok(ServerState::WaitCv(WaitCv::new(flight, chain)));
        }
        let intermediates: Vec<&[u8]> = intermediates.iter().map(Vec::as_slice).collect();
        match verifier.verify(end_entity, &intermediates, core.now()) {
            Answer::Now(verdict) => verdict?,
            // The verdict comes later (`crate::connection::deferred`); until then nothing
            // after this Certificate is processed, so the CertificateVerify waits for it.
            Answer::Later => core.request_verification(end_entity, &intermediates, None),
        }
        Ok(ServerState::WaitCv(WaitCv::new(flight, chain)))
    }
}
