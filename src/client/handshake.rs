//! What the client carries through the encrypted part of the handshake (WAIT_EE to
//! WAIT_FINISHED): the config, what it offered, the transcript, the handshake secrets, and
//! what has been negotiated so far. Each state struct holds one [`ClientHandshake`] plus
//! what only it needs.

use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::connection::Negotiated;
use crate::connection::cert_verify::EndEntityKey;
use crate::error::Error;
use crate::key_schedule::{HandshakeSecret, TrafficSecret};
use crate::transcript::Transcript;
use crate::wire::alert::AlertDescription;
use crate::wire::algorithms::CipherSuite;
use crate::wire::certificate_request::CertificateRequest;
use crate::wire::codes::ExtensionType;
use crate::wire::extensions::Extension;

use super::certificate_type::CertificateTypes;
use super::config::ClientConfig;
use super::hello::OfferedPsk;

/// What the (last) ClientHello offered, to check the server's answers against.
#[derive(Clone, Debug)]
pub struct Offer {
    /// legacy_session_id (RFC 9846 §4.2.2), which the server must echo.
    pub session_id: Vec<u8>,
    /// The extension types sent: the server may answer only these (RFC 9846 §4.3).
    pub extension_types: Vec<ExtensionType>,
    /// The PSKs offered, in order.
    pub psks: Vec<OfferedPsk>,
}

impl Offer {
    /// RFC 9846 §4.3: "Implementations MUST NOT send extension responses (i.e., in the
    /// ServerHello, EncryptedExtensions, HelloRetryRequest, and Certificate messages) if the
    /// remote endpoint did not send the corresponding extension requests [...] Upon
    /// receiving such an extension, an endpoint MUST abort the handshake with an
    /// "unsupported_extension" alert."
    pub fn check_answered(&self, extensions: &[Extension]) -> Result<(), Error> {
        let unsolicited = extensions
            .iter()
            .any(|e| !self.extension_types.contains(&e.extension_type()));
        if unsolicited {
            return Err(Error::PeerMisbehaved {
                alert: AlertDescription::UnsupportedExtension,
                reason: "server sent an extension the client did not offer",
            });
        }
        Ok(())
    }
}

/// Where 0-RTT stands (RFC 9846 §4.3.10).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EarlyData {
    /// No early_data extension was sent.
    NotOffered,
    /// Offered; the server's EncryptedExtensions will say.
    Offered,
    /// The server accepted it: EndOfEarlyData follows its Finished.
    Accepted,
    /// The server rejected it (or sent a HelloRetryRequest).
    Rejected,
}

/// The client's handshake so far.
pub struct ClientHandshake {
    /// The configuration.
    pub config: Arc<ClientConfig>,
    /// The server name we sent, if any.
    pub server_name: Option<String>,
    /// What the ClientHello offered.
    pub offer: Offer,
    /// The transcript, ClientHello..last message handled.
    pub transcript: Transcript,
    /// The Handshake Secret, on its way to the Main Secret.
    pub handshake_secret: HandshakeSecret,
    /// client_handshake_traffic_secret: our write key, and our Finished.
    pub client_traffic: TrafficSecret,
    /// server_handshake_traffic_secret: the server's Finished.
    pub server_traffic: TrafficSecret,
    /// What has been agreed so far.
    pub negotiated: Negotiated,
    /// The dummy change_cipher_spec of compatibility mode was sent.
    pub ccs_sent: bool,
    /// Where 0-RTT stands.
    pub early_data: EarlyData,
    /// The server's CertificateRequest, if it asked for our certificate.
    pub certificate_request: Option<CertificateRequest>,
    /// The key of the server's end-entity certificate, once its Certificate arrived.
    pub server_key: Option<EndEntityKey>,
    /// The certificate types EncryptedExtensions settled (RFC 7250).
    pub certificate_types: CertificateTypes,
}

impl ClientHandshake {
    /// The negotiated suite.
    pub fn cipher_suite(&self) -> CipherSuite {
        self.negotiated.cipher_suite
    }

    /// True if the handshake is authenticated by a PSK rather than a certificate.
    pub fn psk_authenticated(&self) -> bool {
        self.negotiated.psk.is_some()
    }
}
