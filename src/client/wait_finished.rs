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

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::connection::ccs::CcsWindow;
use crate::connection::cert_verify::sign_or_request;
use crate::connection::{ConnectionCore, HandshakeInput, Negotiated};
use crate::error::Error;
use crate::key_schedule::{ApplicationTrafficSecret, ExporterSecret, MainSecret, TrafficSecret};
use crate::trace::Epoch;
use crate::transcript::Transcript;
use crate::wire::algorithms::SignatureScheme;
use crate::wire::certificate_verify::CertificateVerify;
use crate::wire::certificate_verify::Signer;
use crate::wire::end_of_early_data::EndOfEarlyData;
use crate::wire::finished::Finished;
use crate::wire::handshake::HandshakeMessage;

use super::ClientState;
use super::cert_choice::send_client_certificate;
use super::config::ClientConfig;
use super::connected::Connected;
use super::handshake::{ClientHandshake, EarlyData};
use super::wait_sh::unexpected;

/// WAIT_FINISHED: the server's Finished comes next.
pub struct WaitFinished {
    pub(super) handshake: Box<ClientHandshake>,
}

impl WaitFinished {
    /// Enters WAIT_FINISHED.
    pub fn new(handshake: Box<ClientHandshake>) -> Self {
        Self { handshake }
    }

    /// Handles the server's Finished and sends our second flight.
    #[inline(never)] // its own stack frame: see `ClientState::handle_handshake`
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
        let request = hs.certificate_request.take();
        let client_certificate_type = hs.certificate_types.client;
        let mut end = FlightEnd {
            config: hs.config,
            transcript: hs.transcript,
            client_traffic: hs.client_traffic,
            negotiated: hs.negotiated,
            main,
            client_application: application.client,
            exporter: application.exporter,
        };
        if let Some(request) = request {
            let signing = send_client_certificate(
                &end.config,
                &mut end.transcript,
                core,
                &request,
                client_certificate_type,
            )?;
            if let Some((key, scheme)) = signing {
                end.negotiated.client_certificate_type = Some(client_certificate_type);
                // RFC 9846 §4.5.2: CertificateVerify signs Transcript-Hash(Handshake
                // Context, Certificate) with the client's context string; a deferred key
                // pauses here.
                let hash = end.transcript.current();
                match sign_or_request(core, &*key, scheme, Signer::Client, &hash)? {
                    Some(verify) => end.send_certificate_verify(core, verify)?,
                    None => {
                        return Ok(ClientState::SigningFlight(Box::new(SigningFlight {
                            end,
                            scheme,
                        })));
                    }
                }
            }
        }
        end.finish(core)
    }
}

/// What our second flight needs after its Certificate.
struct FlightEnd {
    config: Arc<ClientConfig>,
    transcript: Transcript,
    /// client_handshake_traffic_secret, which keys our Finished.
    client_traffic: TrafficSecret,
    negotiated: Negotiated,
    main: MainSecret,
    client_application: ApplicationTrafficSecret,
    exporter: ExporterSecret,
}

impl FlightEnd {
    fn send_certificate_verify(
        &mut self,
        core: &mut ConnectionCore,
        verify: CertificateVerify,
    ) -> Result<(), Error> {
        let message = HandshakeMessage::CertificateVerify(verify);
        core.send_handshake(&message, Some(&mut self.transcript))?;
        Ok(())
    }

    /// Sends our Finished and enters CONNECTED.
    fn finish(self, core: &mut ConnectionCore) -> Result<ClientState, Error> {
        let mut transcript = self.transcript;
        let provider = core.provider();
        // RFC 9846 §4.5.3: verify_data = HMAC(finished_key, Transcript-Hash(Handshake
        // Context, Certificate*, CertificateVerify*)).
        let verify_data = self
            .client_traffic
            .finished_verify_data(&*provider, &transcript.current())?;
        let finished = HandshakeMessage::Finished(Finished {
            verify_data: verify_data.as_bytes().to_vec(),
        });
        core.send_handshake(&finished, Some(&mut transcript))?;

        // RFC 9846 §7.1: resumption_secret over ClientHello..client Finished. Only a client
        // that offered PSK modes can use a ticket (RFC 9846 §4.3.9); without them no ticket
        // is kept, and the secret is not derived.
        let resumption = if self.config.psk_modes.is_empty() {
            None
        } else {
            let client_finished_hash = transcript.current();
            let observe = &mut |l, s: &_| core.emit_secret(l, s);
            Some(
                self.main
                    .into_resumption_secret(&*provider, &client_finished_hash, observe)?,
            )
        };
        core.install_application_write_key(self.client_application)?;
        core.set_exporter_secret(self.exporter);
        core.complete_handshake(self.negotiated.clone());
        Ok(ClientState::Connected(Connected::new(
            self.negotiated,
            resumption,
        )))
    }
}

/// Still WAIT_FINISHED: the server's Finished is in and our flight stopped before its
/// CertificateVerify, for the signature a deferred key gives later (see
/// [`crate::connection::deferred`]).
pub struct SigningFlight {
    end: FlightEnd,
    scheme: SignatureScheme,
}

impl SigningFlight {
    /// Sends the CertificateVerify carrying `signature`, then our Finished.
    pub fn resume(
        self: Box<Self>,
        core: &mut ConnectionCore,
        signature: Vec<u8>,
    ) -> Result<ClientState, Error> {
        let mut end = self.end;
        let verify = CertificateVerify {
            algorithm: self.scheme,
            signature,
        };
        end.send_certificate_verify(core, verify)?;
        end.finish(core)
    }
}
