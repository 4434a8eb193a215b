//! The end of the server's flight, still in NEGOTIATED (RFC 9846 Appendix A.2): its
//! CertificateVerify, its Finished, the application keys, and the move to WAIT_EOED or
//! WAIT_FLIGHT2.
//!
//! ```text
//!                          NEGOTIATED
//!                             | ... [Send Certificate]
//!                             |     ── a deferred key pauses here: [`SigningFlight`] ──
//!                             |     ── and a paced connection stops here ──
//!                             | [Send CertificateVerify]
//!                             | Send Finished
//!                             | K_send = application
//!                    +--------+--------+
//!                WAIT_FLIGHT2       WAIT_EOED
//! ```
//!
//! Split from `negotiated.rs` so that the flight can stop before its CertificateVerify
//! when the signing key answers later (see [`crate::connection::deferred`]): what the rest
//! of the flight needs is kept in a [`FlightEnd`], and [`SigningFlight`] holds it until
//! the caller's signature arrives. A paced connection (see [`crate::connection::pacing`])
//! stops at the same point after its key exchange, and signs in the next call.

use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::connection::cert_verify::sign_or_request;
use crate::connection::{ConnectionCore, Negotiated as NegotiatedParameters};
use crate::error::Error;
use crate::key_schedule::TrafficSecret;
use crate::key_schedule::{ExporterSecret, HandshakeSecret, HandshakeTrafficSecrets};
use crate::record::limits::RecordSizeLimit;
use crate::trace::Epoch;
use crate::transcript::Transcript;
use crate::wire::algorithms::SignatureScheme;
use crate::wire::certificate_verify::{CertificateVerify, Signer};
use crate::wire::finished::Finished;
use crate::wire::handshake::HandshakeMessage;

use super::ServerState;
use super::config::ServerConfig;
use super::negotiated::report;
use super::wait_eoed::WaitEoed;
use super::wait_flight2::{ClientFlight, WaitFlight2};
use crate::wire::codes::CertificateType;

/// Accepted 0-RTT: `client_early_traffic_secret`, `early_exporter_secret` and the
/// max_early_data_size to enforce.
pub(crate) type AcceptedEarlyData = (TrafficSecret, ExporterSecret, u32);

/// What the server's flight needs after its Certificate.
pub(crate) struct FlightEnd {
    pub config: Arc<ServerConfig>,
    pub transcript: Transcript,
    pub handshake_secret: HandshakeSecret,
    pub traffic: HandshakeTrafficSecrets,
    /// The parameters reported when the handshake completes.
    pub parameters: NegotiatedParameters,
    pub receive_limit: RecordSizeLimit,
    pub certificate_requested: bool,
    /// The type the client's Certificate is to carry (RFC 7250), if requested.
    pub client_certificate_type: CertificateType,
    pub tickets_usable: bool,
    pub accepted_early_data: Option<AcceptedEarlyData>,
    /// 0-RTT was offered and rejected: up to this many bytes of its records are skipped.
    pub rejected_early_data_budget: Option<u32>,
}

impl FlightEnd {
    /// CertificateVerify (RFC 9846 §4.5.2), signed over `Transcript-Hash(Handshake
    /// Context, Certificate)`.
    pub(crate) fn send_certificate_verify(
        &mut self,
        core: &mut ConnectionCore,
        verify: CertificateVerify,
    ) -> Result<(), Error> {
        core.send_handshake(
            &HandshakeMessage::CertificateVerify(verify),
            Some(&mut self.transcript),
        )?;
        Ok(())
    }

    /// Sends Finished, installs the application write key and waits for the client.
    pub(crate) fn finish(self, core: &mut ConnectionCore) -> Result<ServerState, Error> {
        let provider = core.provider();
        let provider = &*provider;
        let mut transcript = self.transcript;
        // RFC 9846 §4.5.3: verify_data = HMAC(finished_key, Transcript-Hash(Handshake
        // Context, Certificate*, CertificateVerify*)), with the server's handshake traffic
        // secret as Base Key (§4.5, Table 2).
        let verify_data = self
            .traffic
            .server
            .finished_verify_data(provider, &transcript.current())?;
        let finished = Finished {
            verify_data: verify_data.as_bytes().to_vec(),
        };
        core.send_handshake(&HandshakeMessage::Finished(finished), Some(&mut transcript))?;

        let main = self
            .handshake_secret
            .into_main(provider, &mut report(core))?;
        let finished_hash = transcript.current();
        let application = main.application_secrets(provider, &finished_hash, &mut report(core))?;
        // RFC 9846 Appendix A.2: "K_send = application" right after the Finished; the server
        // may send 0.5-RTT data from here on (§2).
        core.install_application_write_key(application.server)?;
        core.set_exporter_secret(application.exporter);

        let flight = ClientFlight {
            config: self.config.clone(),
            transcript,
            client_handshake_secret: self.traffic.client,
            client_application_secret: application.client,
            main_secret: main,
            parameters: self.parameters,
            receive_limit: self.receive_limit,
            certificate_requested: self.certificate_requested,
            client_certificate_type: self.client_certificate_type,
            tickets_usable: self.tickets_usable,
        };
        match self.accepted_early_data {
            Some((early, exporter, max_early_data_size)) => {
                core.set_early_exporter_secret(exporter);
                // RFC 9846 Appendix A.2: "K_recv = early data".
                core.install_read_key(&early, Epoch::Early)?;
                Ok(ServerState::WaitEoed(WaitEoed::new(
                    flight,
                    max_early_data_size,
                )))
            }
            None => {
                if let Some(budget) = self.rejected_early_data_budget {
                    // RFC 9846 §4.3.10: the server "skips past early data by attempting to
                    // deprotect received records using the handshake traffic key,
                    // discarding records which fail deprotection (up to the configured
                    // max_early_data_size)".
                    core.skip_rejected_early_data(budget);
                }
                // RFC 9846 Appendix A.2: "K_recv = handshake".
                flight.install_client_handshake_key(core)?;
                Ok(ServerState::WaitFlight2(WaitFlight2::new(flight)))
            }
        }
    }
}

/// NEGOTIATED, paused: the flight is built up to its Certificate and waits for the
/// signature a deferred key gives later (`Connection::answer_signature`), or, paced, for
/// the next call to sign (`Connection::take_paced_step`).
pub struct SigningFlight {
    end: FlightEnd,
    scheme: SignatureScheme,
    /// The index of the signing certificate in `ServerConfig::certificates`.
    certificate: usize,
}

impl core::fmt::Debug for SigningFlight {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SigningFlight")
            .field("scheme", &self.scheme)
            .field("parameters", &self.end.parameters)
            .finish_non_exhaustive()
    }
}

impl SigningFlight {
    pub(crate) fn new(end: FlightEnd, scheme: SignatureScheme, certificate: usize) -> Self {
        Self {
            end,
            scheme,
            certificate,
        }
    }

    /// Paced: signs now with the certificate's key (or asks for the signature, if the key
    /// defers), then sends the CertificateVerify and the rest of the flight.
    pub(crate) fn sign(self, core: &mut ConnectionCore) -> Result<ServerState, Error> {
        let config = self.end.config.clone();
        let certified = config
            .certificates
            .get(self.certificate)
            .ok_or(Error::Misuse("selected certificate is gone"))?;
        // RFC 9846 §4.5.2: CertificateVerify signs Transcript-Hash(Handshake Context,
        // Certificate) with the server's context string.
        let hash = self.end.transcript.current();
        match sign_or_request(core, &*certified.key, self.scheme, Signer::Server, &hash)? {
            Some(verify) => {
                let mut end = self.end;
                end.send_certificate_verify(core, verify)?;
                end.finish(core)
            }
            None => Ok(ServerState::SigningFlight(self)),
        }
    }

    /// Sends the CertificateVerify carrying `signature`, then the rest of the flight.
    pub(crate) fn resume(
        self,
        core: &mut ConnectionCore,
        signature: Vec<u8>,
    ) -> Result<ServerState, Error> {
        let mut end = self.end;
        let verify = CertificateVerify {
            algorithm: self.scheme,
            signature,
        };
        end.send_certificate_verify(core, verify)?;
        end.finish(core)
    }
}
