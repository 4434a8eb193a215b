//! What a connection tells its caller: [`Event`]s, and the [`Negotiated`] parameters of a
//! finished handshake.
//!
//! A peer's certificate chain is a [`CertificateChain`]: one shared allocation however
//! many tickets and resumed connections report it.
//!
//! Events are the application's view (handshake done, data arrived, the peer closed); the
//! step-by-step view for learners and tests is [`crate::trace::TraceEvent`].

use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use super::ticket::Ticket;
use crate::key_schedule::PskKind;
use crate::trace::Direction;
use crate::wire::alert::AlertDescription;
use crate::wire::algorithms::{CipherSuite, NamedGroup, SignatureScheme};
use crate::wire::codes::{CertificateType, ProtocolVersion, PskKeyExchangeMode};

use super::deferred::{SignRequest, VerifyRequest};

/// Something the application should know about. Take them with `poll_event()`.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Event {
    /// The handshake finished; these are the parameters both sides agreed on.
    HandshakeComplete(Negotiated),
    /// Application data from the peer (RFC 9846 §5.1: opaque to TLS).
    ApplicationData(Vec<u8>),
    /// 0-RTT data from the client (server only, RFC 9846 §2.3): it may be a replay; treat
    /// it as the RFC's §8 and Appendix F.5 say.
    EarlyData(Vec<u8>),
    /// The server accepted our 0-RTT data (client only).
    EarlyDataAccepted,
    /// The server rejected our 0-RTT data (client only): resend it as normal data if it is
    /// still wanted (RFC 9846 §4.3.10).
    EarlyDataRejected,
    /// A NewSessionTicket arrived (client only): store the ticket to resume with later
    /// (RFC 9846 §4.7.1).
    NewSessionTicket(Ticket),
    /// A KeyUpdate took effect in one direction (RFC 9846 §4.7.3).
    KeyUpdated {
        /// Sent: we now send under new keys; Received: the peer does.
        direction: Direction,
    },
    /// The peer sent close_notify: it will send no more data (RFC 9846 §6.1).
    PeerClosed,
    /// The connection paused: a deferred verifier is to judge the peer's chain. Answer
    /// with `Connection::answer_verification` (see `connection::deferred`).
    VerifyRequest(VerifyRequest),
    /// The connection paused: a deferred key is to sign our CertificateVerify. Answer
    /// with `Connection::answer_signature` (see `connection::deferred`).
    SignRequest(SignRequest),
    /// We sent this alert.
    AlertSent(AlertDescription),
    /// The peer sent this alert.
    AlertReceived(AlertDescription),
}

/// The parameters of a completed handshake. `#[non_exhaustive]`: later versions may report
/// more of what was agreed without breaking code that reads these fields.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Negotiated {
    /// The protocol version: always TLS 1.3 here (RFC 9846 §4.3.1).
    pub version: ProtocolVersion,
    /// The cipher suite (RFC 9846 §4.2.3).
    pub cipher_suite: CipherSuite,
    /// The (EC)DHE group, or `None` for a psk_ke handshake (RFC 9846 §4.3.9).
    pub key_exchange_group: Option<NamedGroup>,
    /// The scheme of the peer's CertificateVerify, or `None` when the peer authenticated
    /// with a PSK.
    pub signature_scheme: Option<SignatureScheme>,
    /// The application protocol both sides agreed on (RFC 7301), if any.
    pub alpn: Option<Vec<u8>>,
    /// The server name the client asked for (RFC 6066 §3), if any.
    pub server_name: Option<String>,
    /// Which kind of PSK the handshake used, if any (RFC 9846 §4.3.11).
    pub psk: Option<PskKind>,
    /// The PSK key exchange mode, when a PSK was used (RFC 9846 §4.3.9).
    pub psk_mode: Option<PskKeyExchangeMode>,
    /// True if the server accepted 0-RTT data (RFC 9846 §4.3.10).
    pub early_data_accepted: bool,
    /// The peer's certificate chain, end-entity first, as DER. Empty for a client that sent
    /// no certificate and with an external PSK. On a resumed connection it is the chain of
    /// the connection that issued the ticket (the client keeps the server's in its
    /// [`Ticket`](crate::client::Ticket), the server the client's in its ticket state);
    /// nothing is validated again. Shared, not copied: the tickets of the connection and
    /// the connections resumed with them hold the same chain. When the peer authenticated
    /// with a raw public key (RFC 7250), its one entry is the DER SubjectPublicKeyInfo
    /// (see [`server_certificate_type`](Self::server_certificate_type) and
    /// [`client_certificate_type`](Self::client_certificate_type)).
    pub peer_certificates: CertificateChain,
    /// What the server's Certificate in this handshake carried: the type negotiated in
    /// server_certificate_type (RFC 7250 §4.2), [`CertificateType::RawPublicKey`] for a bare
    /// SubjectPublicKeyInfo, or [`CertificateType::X509`] for a chain, which is also the type
    /// when the extension was not exchanged (RFC 9846 §4.5.1.2). `None` when the server sent
    /// no Certificate: a handshake authenticated with a PSK, a resumption included (its
    /// `peer_certificates` on the client are those of the earlier connection, whose type
    /// this handshake did not negotiate).
    pub server_certificate_type: Option<CertificateType>,
    /// What the client's Certificate in this handshake carried: the type negotiated in
    /// client_certificate_type (RFC 7250 §4.2), or [`CertificateType::X509`] when the
    /// extension was not exchanged. `None` when the client authenticated with no
    /// certificate: the server sent no CertificateRequest, the client answered one with an
    /// empty Certificate, or the handshake used a PSK. The same in both roles: on the
    /// server it describes the peer, on the client what it sent.
    pub client_certificate_type: Option<CertificateType>,
    /// The record_size_limit the peer advertised (RFC 8449), if it sent one.
    pub peer_record_size_limit: Option<u16>,
    /// The max_fragment_length both sides agreed on (RFC 6066 §4), in bytes, if any.
    pub max_fragment_length: Option<usize>,
}

/// A peer's certificate chain, end-entity first, as DER: read-only and shared. Cloning it
/// (into every [`Ticket`] of a connection, and into the [`Negotiated`] of each connection
/// resumed with one) copies a pointer, not the certificates, so a flood of
/// NewSessionTickets costs no copy of the chain each.
///
/// It reads as a slice of certificates (`chain.len()`, `chain[0]`, `chain.iter()`), and
/// compares with a `Vec` or an array of them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CertificateChain(Arc<[Vec<u8>]>);

impl CertificateChain {
    /// A chain of `certificates` (DER, end-entity first).
    pub fn new(certificates: Vec<Vec<u8>>) -> Self {
        Self(certificates.into())
    }

    /// True if `self` and `other` are the same allocation (one shared, not copied).
    pub fn is_shared_with(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl core::ops::Deref for CertificateChain {
    type Target = [Vec<u8>];

    fn deref(&self) -> &[Vec<u8>] {
        &self.0
    }
}

impl From<Vec<Vec<u8>>> for CertificateChain {
    fn from(certificates: Vec<Vec<u8>>) -> Self {
        Self::new(certificates)
    }
}

impl PartialEq<Vec<Vec<u8>>> for CertificateChain {
    fn eq(&self, other: &Vec<Vec<u8>>) -> bool {
        self.0[..] == other[..]
    }
}

impl<const N: usize> PartialEq<[Vec<u8>; N]> for CertificateChain {
    fn eq(&self, other: &[Vec<u8>; N]) -> bool {
        self.0[..] == other[..]
    }
}
