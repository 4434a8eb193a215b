//! WAIT_FINISHED (RFC 9846 Appendix A.1): the server's Finished (RFC 9846 §4.5.3), then
//! our second flight.
//!
//! ```text
//!                           WAIT_FINISHED
//!                  Recv Finished |  [Send EndOfEarlyData]
//!                                |  K_send = handshake
//!                                |  [Send Certificate [+ CertificateVerify]]
//!      Can send                  |  Send Finished
//!      app data   -->            |  K_send = K_recv = application
//!                                v
//!                            CONNECTED
//! ```
//!
//! After the server's Finished the Main Secret yields the application traffic secrets and
//! the exporter secret (over ClientHello..server Finished); after ours, the resumption
//! secret (over ClientHello..client Finished) for the tickets to come.

use alloc::vec::Vec;

use crate::connection::ccs::CcsWindow;
use crate::connection::cert_verify::{choose_scheme, sign_certificate_verify};
use crate::connection::{ConnectionCore, HandshakeInput};
use crate::error::Error;
use crate::trace::Epoch;
use crate::transcript::Transcript;
use crate::wire::certificate::{Certificate, CertificateEntry};
use crate::wire::certificate_verify::Signer;
use crate::wire::codes::ExtensionType;
use crate::wire::end_of_early_data::EndOfEarlyData;
use crate::wire::extensions::{Extension, find};
use crate::wire::finished::Finished;
use crate::wire::handshake::HandshakeMessage;

use super::ClientState;
use super::config::ClientConfig;
use super::connected::Connected;
use super::handshake::{ClientHandshake, EarlyData};
use super::wait_sh::unexpected;

/// WAIT_FINISHED: the server's Finished comes next.
pub struct WaitFinished {
    pub(super) handshake: ClientHandshake,
}

impl WaitFinished {
    /// Enters WAIT_FINISHED.
    pub fn new(handshake: ClientHandshake) -> Self {
        Self { handshake }
    }

    /// Handles the server's Finished and sends our second flight.
    pub fn handle(
        self,
        core: &mut ConnectionCore,
        input: HandshakeInput,
    ) -> Result<ClientState, Error> {
        let HandshakeMessage::Finished(finished) = &input.message else {
            return Err(unexpected("expected Finished"));
        };
        let mut hs = self.handshake;
        let provider = core.provider();
        // RFC 9846 §4.5.3: "Recipients of Finished messages MUST verify that the contents
        // are correct and if incorrect MUST terminate the connection with a
        // "decrypt_error" alert." (Compared in constant time.)
        hs.server_traffic.verify_finished(
            &*provider,
            &hs.transcript.current(),
            &finished.verify_data,
        )?;
        hs.transcript.add(&input.bytes);
        // RFC 9846 §5: dummy change_cipher_spec records are dropped only "before the peer's
        // Finished message has been received".
        core.set_ccs_window(CcsWindow::Closed);

        // RFC 9846 §7.1: Main Secret, then the application traffic secrets and the exporter
        // secret over ClientHello..server Finished.
        let server_finished_hash = hs.transcript.current();
        let observe = &mut |l, s: &_| core.emit_secret(l, s);
        let main = hs.handshake_secret.into_main(&*provider, observe)?;
        let application = main.application_secrets(&*provider, &server_finished_hash, observe)?;
        core.install_application_read_key(application.server)?;

        if hs.early_data == EarlyData::Accepted {
            // RFC 9846 §4.6: "If the server sent an "early_data" extension in
            // EncryptedExtensions, the client MUST send an EndOfEarlyData message after
            // receiving the server Finished." It is protected under the 0-RTT key.
            let eoed = HandshakeMessage::EndOfEarlyData(EndOfEarlyData);
            core.send_handshake(&eoed, Some(&mut hs.transcript))?;
        }
        if !matches!(core.write_epoch(), Epoch::Handshake) {
            core.install_write_key(&hs.client_traffic, Epoch::Handshake)?;
        }
        if hs.config.middlebox_compat && !hs.ccs_sent {
            // RFC 9846 Appendix E.4: "the client sends a dummy change_cipher_spec record
            // [...] immediately before its second flight".
            core.send_dummy_change_cipher_spec()?;
            hs.ccs_sent = true;
        }
        if let Some(request) = hs.certificate_request.take() {
            send_client_certificate(&hs.config, &mut hs.transcript, core, &request)?;
        }

        // RFC 9846 §4.5.3: verify_data = HMAC(finished_key, Transcript-Hash(Handshake
        // Context, Certificate*, CertificateVerify*)).
        let verify_data = hs
            .client_traffic
            .finished_verify_data(&*provider, &hs.transcript.current())?;
        let finished = HandshakeMessage::Finished(Finished {
            verify_data: verify_data.as_bytes().to_vec(),
        });
        core.send_handshake(&finished, Some(&mut hs.transcript))?;

        // RFC 9846 §7.1: resumption_secret over ClientHello..client Finished.
        let client_finished_hash = hs.transcript.current();
        let observe = &mut |l, s: &_| core.emit_secret(l, s);
        let resumption = main.into_resumption_secret(&*provider, &client_finished_hash, observe)?;
        core.install_application_write_key(application.client)?;
        core.set_exporter_secret(application.exporter);
        core.complete_handshake(hs.negotiated.clone());
        Ok(ClientState::Connected(Connected::new(
            hs.config,
            hs.negotiated,
            resumption,
        )))
    }
}

/// Answers a CertificateRequest (RFC 9846 §4.4.2): our chain and a CertificateVerify, or,
/// without a usable certificate, an empty Certificate.
///
/// RFC 9846 §4.5.1: "If the server requests certificate-based client authentication but
/// no suitable certificate is available, the client MUST send a Certificate message
/// containing no certificates". The server then decides whether to go on (RFC 9846 §4.5.1.3).
fn send_client_certificate(
    config: &ClientConfig,
    transcript: &mut Transcript,
    core: &mut ConnectionCore,
    request: &crate::wire::certificate_request::CertificateRequest,
) -> Result<(), Error> {
    let offered: Vec<_> = match find(&request.extensions, ExtensionType::SignatureAlgorithms) {
        Some(Extension::SignatureAlgorithms(list)) => list.supported_signature_algorithms.clone(),
        _ => Vec::new(),
    };
    let auth = config.client_auth.clone();
    // RFC 9846 §4.5.2: a client's signature "MUST be one of those present in the
    // supported_signature_algorithms field of the "signature_algorithms" extension in the
    // CertificateRequest message".
    let usable = auth
        .filter(|a| !a.certificate_chain.is_empty())
        .and_then(|auth| {
            let scheme = choose_scheme(&*auth.key, &offered)?;
            Some((auth, scheme))
        });
    let certificate_list = match &usable {
        Some((auth, _)) => auth
            .certificate_chain
            .iter()
            .map(|der| CertificateEntry {
                cert_data: der.clone(),
                extensions: Vec::new(),
            })
            .collect(),
        None => Vec::new(),
    };
    let certificate = HandshakeMessage::Certificate(Certificate {
        // RFC 9846 §4.5.1: "If this message is in response to a CertificateRequest, the
        // value of certificate_request_context in that message."
        certificate_request_context: request.certificate_request_context.clone(),
        certificate_list,
    });
    core.send_handshake(&certificate, Some(transcript))?;
    let Some((auth, scheme)) = usable else {
        return Ok(());
    };
    let hash = transcript.current();
    let certificate_verify =
        sign_certificate_verify(&*auth.key, scheme, Signer::Client, &hash, core.rng())?;
    core.send_handshake(
        &HandshakeMessage::CertificateVerify(certificate_verify),
        Some(transcript),
    )?;
    Ok(())
}
