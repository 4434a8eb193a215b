//! WAIT_EE (RFC 9846 Appendix A.1): the server's EncryptedExtensions (RFC 9846 §4.4.1),
//! the first message under the handshake keys.
//!
//! ```text
//!                             WAIT_EE
//!              Recv EncryptedExtensions |
//!                     +-----------------+-----------------+
//!   Using PSK         |                                   |  Using certificate
//!                     v                                   v
//!               WAIT_FINISHED                        WAIT_CERT_CR
//! ```
//!
//! What EncryptedExtensions settles: the ALPN protocol (RFC 7301), the record size
//! limit (RFC 8449) or max_fragment_length (RFC 6066) that the record layer then honours,
//! whether 0-RTT data was accepted (RFC 9846 §4.3.10), and the certificate types of both
//! Certificates (RFC 7250, `certificate_type.rs`). Every extension in it must
//! answer one the ClientHello sent.

use alloc::boxed::Box;

use crate::connection::{ConnectionCore, Event, HandshakeInput};
use crate::error::Error;
use crate::record::limits::RecordSizeLimit;
use crate::trace::Epoch;
use crate::wire::codes::ExtensionType;
use crate::wire::encrypted_extensions::EncryptedExtensions;
use crate::wire::extensions::{Extension, find};
use crate::wire::handshake::HandshakeMessage;

use super::ClientState;
use super::certificate_type;
use super::handshake::{ClientHandshake, EarlyData};
use super::wait_cert_cr::WaitCertCr;
use super::wait_finished::WaitFinished;
use super::wait_sh::{illegal, unexpected};

/// WAIT_EE: handshake keys are in; EncryptedExtensions comes next.
pub struct WaitEe {
    pub(super) handshake: Box<ClientHandshake>,
    /// The server's selected_identity, if it chose a PSK.
    pub(super) selected_identity: Option<u16>,
}

impl WaitEe {
    /// Handles EncryptedExtensions.
    #[inline(never)] // its own stack frame: see `ClientState::handle_handshake`
    pub fn handle(
        mut self,
        core: &mut ConnectionCore,
        input: HandshakeInput,
    ) -> Result<ClientState, Error> {
        let HandshakeMessage::EncryptedExtensions(ee) = &input.message else {
            self.rekey_for_an_alert(core, None)?;
            return Err(unexpected("expected EncryptedExtensions"));
        };
        if let Err(error) = self.read_extensions(core, ee) {
            self.rekey_for_an_alert(core, Some(ee))?;
            return Err(error);
        }
        self.handshake.transcript.add(&input.bytes);
        if self.handshake.psk_authenticated() {
            // RFC 9846 §2: the Certificate "is omitted by the server if not authenticating
            // with a certificate" (PSK-based authentication "happens as a side effect of key
            // exchange").
            Ok(ClientState::WaitFinished(WaitFinished::new(self.handshake)))
        } else {
            Ok(ClientState::WaitCertCr(WaitCertCr {
                handshake: self.handshake,
            }))
        }
    }

    /// Everything EncryptedExtensions settles, in order: each extension answers an offer,
    /// then ALPN, the record size limits and 0-RTT.
    fn read_extensions(
        &mut self,
        core: &mut ConnectionCore,
        ee: &EncryptedExtensions,
    ) -> Result<(), Error> {
        self.handshake.offer.check_answered(&ee.extensions)?;
        let offered = certificate_type::offered_extensions(&self.handshake.config);
        let certificate_follows = !self.handshake.psk_authenticated();
        self.handshake.certificate_types =
            certificate_type::read_answers(&offered, &ee.extensions, certificate_follows)?;
        self.apply_alpn(ee)?;
        apply_record_limits(&mut self.handshake, core, ee)?;
        self.settle_early_data(core, ee)
    }

    /// Before a fatal alert in WAIT_EE: while 0-RTT is offered our records still go under
    /// the early key, which a server that did not take our early data skips unread
    /// (RFC 9846 §4.3.10). RFC 9846 Appendix A.1: clients "SHOULD first rekey to the
    /// handshake keys if possible". The one server that reads the early key is one whose
    /// EncryptedExtensions accepts 0-RTT for the first PSK offered: it expects
    /// EndOfEarlyData under that key, so the alert stays there.
    fn rekey_for_an_alert(
        &self,
        core: &mut ConnectionCore,
        ee: Option<&EncryptedExtensions>,
    ) -> Result<(), Error> {
        let EarlyData::Offered = self.handshake.early_data else {
            return Ok(());
        };
        let server_reads_early_key = ee
            .is_some_and(|ee| find(&ee.extensions, ExtensionType::EarlyData).is_some())
            && self.selected_identity == Some(0);
        if !server_reads_early_key {
            core.install_write_key(&self.handshake.client_traffic, Epoch::Handshake)?;
        }
        Ok(())
    }

    fn apply_alpn(&mut self, ee: &EncryptedExtensions) -> Result<(), Error> {
        if let Some(Extension::ApplicationLayerProtocolSelected(name)) = find(
            &ee.extensions,
            ExtensionType::ApplicationLayerProtocolNegotiation,
        ) {
            // RFC 7301: the server selects one of the protocols the client advertised; one
            // we never offered is a value the server may not choose (illegal_parameter).
            if !self.handshake.config.alpn_protocols.contains(&name.0) {
                return Err(illegal(
                    "server selected an ALPN protocol that was not offered",
                ));
            }
            self.handshake.negotiated.alpn = Some(name.0.clone());
        }
        Ok(())
    }

    fn settle_early_data(
        &mut self,
        core: &mut ConnectionCore,
        ee: &EncryptedExtensions,
    ) -> Result<(), Error> {
        let EarlyData::Offered = self.handshake.early_data else {
            return Ok(());
        };
        let accepted = find(&ee.extensions, ExtensionType::EarlyData).is_some();
        if accepted {
            // RFC 9846 §4.3.10: "In order to accept early data, the server MUST have
            // selected the first key offered in the client's "pre_shared_key" extension",
            // with the same cipher suite and ALPN protocol as the ticket's.
            let psk = self.handshake.offer.psks.first();
            let same_suite = psk.is_some_and(|p| p.cipher_suite == self.handshake.cipher_suite());
            let same_alpn = psk.is_some_and(|p| p.alpn == self.handshake.negotiated.alpn);
            if self.selected_identity != Some(0) || !same_suite || !same_alpn {
                return Err(illegal(
                    "early data accepted for a PSK it cannot be used with",
                ));
            }
            self.handshake.early_data = EarlyData::Accepted;
            self.handshake.negotiated.early_data_accepted = true;
            core.push_event(Event::EarlyDataAccepted);
        } else {
            // Rejected: what follows goes under the handshake key (RFC 9846 §4.3.10).
            self.handshake.early_data = EarlyData::Rejected;
            core.install_write_key(&self.handshake.client_traffic, Epoch::Handshake)?;
            core.push_event(Event::EarlyDataRejected);
        }
        Ok(())
    }
}

/// The record size limits EncryptedExtensions negotiates, handed to the record layer.
fn apply_record_limits(
    handshake: &mut ClientHandshake,
    core: &mut ConnectionCore,
    ee: &EncryptedExtensions,
) -> Result<(), Error> {
    let record_size_limit = match find(&ee.extensions, ExtensionType::RecordSizeLimit) {
        Some(Extension::RecordSizeLimit(value)) => Some(*value),
        _ => None,
    };
    let max_fragment_length = match find(&ee.extensions, ExtensionType::MaxFragmentLength) {
        Some(Extension::MaxFragmentLength(length)) => Some(*length),
        _ => None,
    };
    match (record_size_limit, max_fragment_length) {
        // RFC 8449 §5: "A client MUST treat receipt of both "max_fragment_length" and
        // "record_size_limit" as a fatal error, and it SHOULD generate an
        // "illegal_parameter" alert."
        (Some(_), Some(_)) => Err(illegal("both record_size_limit and max_fragment_length")),
        (Some(value), None) => {
            // RFC 8449 §4: the peer's value limits what we send; ours what we receive.
            core.set_send_limit(RecordSizeLimit::from_record_size_limit(value)?);
            if let Some(ours) = handshake.config.record_size_limit {
                core.set_receive_limit(RecordSizeLimit::from_record_size_limit(ours)?);
            }
            handshake.negotiated.peer_record_size_limit = Some(value);
            Ok(())
        }
        (None, Some(length)) => {
            // RFC 6066 §4: "if a client receives a maximum fragment length negotiation
            // response that differs from the length it requested, it MUST also abort the
            // handshake with an "illegal_parameter" alert."
            if handshake.config.max_fragment_length != Some(length) {
                return Err(illegal(
                    "max_fragment_length differs from the one requested",
                ));
            }
            let len = length.max_fragment_len();
            core.set_send_limit(RecordSizeLimit::max_fragment_length_for_sending(len));
            core.set_receive_limit(RecordSizeLimit::max_fragment_length_for_receiving(len));
            handshake.negotiated.max_fragment_length = Some(len);
            Ok(())
        }
        (None, None) => Ok(()),
    }
}
