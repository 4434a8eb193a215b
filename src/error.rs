//! Errors, grouped by who is at fault, and the alert each one sends (RFC 9846 §6.2).
//!
//! Every failure a connection can meet is an [`Error`]; [`Error::alert`] maps it to the
//! alert to send by an exhaustive match, so adding a kind of error forces a decision about
//! its alert. After a fatal error a connection only sends that alert and is dead.

use crate::codec::{DecodeError, EncodeError};
use crate::crypto::CryptoError;
use crate::wire::alert::AlertDescription;

/// Everything that can go wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The peer sent bytes that do not parse (the alert is named by the decoder).
    Decode(DecodeError),
    /// The peer broke a rule of the protocol.
    PeerMisbehaved {
        /// The alert RFC 9846 names for this violation.
        alert: AlertDescription,
        /// What the rule was, for logs and tests.
        reason: &'static str,
    },
    /// The two sides share no acceptable parameters (suite, group, version, scheme, ...).
    Incompatible {
        /// The alert to send, usually handshake_failure or protocol_version.
        alert: AlertDescription,
        /// What did not match.
        reason: &'static str,
    },
    /// Our certificate verifier did not accept the peer's chain (an issuer not among our
    /// trust anchors, an expired or revoked certificate, a name that does not match): a
    /// decision of our trust policy, not a rule the peer broke.
    CertificateRejected {
        /// The alert RFC 9846 §6.2 names for it (unknown_ca, certificate_expired, ...).
        alert: AlertDescription,
        /// Why the chain was not accepted.
        reason: &'static str,
    },
    /// A cryptographic check or operation failed.
    Crypto(CryptoError),
    /// The peer sent us an alert; the connection is over.
    AlertReceived(AlertDescription),
    /// Our own encoding did not fit a length prefix: a local bug or a bad configuration.
    Encode(EncodeError),
    /// The caller used the API in a way it does not allow (no alert: nothing reached the peer).
    Misuse(&'static str),
    /// A configuration breaks a rule (found when it is built; no alert).
    Config(ConfigError),
}

/// A configuration that breaks a rule: which config, which field, and what is wrong.
/// `ClientConfig::builder(..).build()` and `ServerConfig::builder(..).build()` return it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConfigError {
    /// `"ClientConfig"` or `"ServerConfig"`.
    pub config: &'static str,
    /// The offending field, as the config names it (`cipher_suites`, `certificates`, ...).
    pub field: &'static str,
    /// What is wrong with it.
    pub problem: &'static str,
}

impl core::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}.{}: {}", self.config, self.field, self.problem)
    }
}

impl core::error::Error for ConfigError {}

impl From<ConfigError> for Error {
    fn from(e: ConfigError) -> Self {
        Self::Config(e)
    }
}

impl Error {
    /// The alert this error sends to the peer, if any.
    pub fn alert(&self) -> Option<AlertDescription> {
        match self {
            Self::Decode(e) => Some(e.alert),
            Self::PeerMisbehaved { alert, .. }
            | Self::Incompatible { alert, .. }
            | Self::CertificateRejected { alert, .. } => Some(*alert),
            Self::Crypto(e) => Some(match e {
                // RFC 9846 §5.2: a record that fails to deprotect "MUST terminate the
                // connection with a bad_record_mac alert".
                CryptoError::AeadTagMismatch => AlertDescription::BadRecordMac,
                // RFC 9846 §6.2: decrypt_error covers a signature or Finished that fails.
                CryptoError::BadSignature => AlertDescription::DecryptError,
                CryptoError::InvalidPeerKey => AlertDescription::IllegalParameter,
                CryptoError::InvalidKey
                | CryptoError::Unsupported
                | CryptoError::BadLength
                | CryptoError::RngFailure => AlertDescription::InternalError,
            }),
            // RFC 9846 §6: nothing is sent back in answer to a fatal alert.
            Self::AlertReceived(_) => None,
            Self::Encode(_) => Some(AlertDescription::InternalError),
            Self::Misuse(_) | Self::Config(_) => None,
        }
    }
}

/// The peer broke a rule and RFC 9846 §6.2 names `unexpected_message`: "An inappropriate
/// message (e.g., the wrong handshake message, premature Application Data, etc.) was
/// received." RFC 9846 §4: "A peer which receives a handshake message in an unexpected
/// order MUST abort the handshake with an "unexpected_message" alert."
pub(crate) const fn unexpected_message(reason: &'static str) -> Error {
    Error::PeerMisbehaved {
        alert: AlertDescription::UnexpectedMessage,
        reason,
    }
}

/// The peer broke a rule and RFC 9846 §6.2 names `illegal_parameter`: "A field in the
/// handshake was incorrect or inconsistent with other fields."
pub(crate) const fn illegal_parameter(reason: &'static str) -> Error {
    Error::PeerMisbehaved {
        alert: AlertDescription::IllegalParameter,
        reason,
    }
}

/// The two sides share no acceptable parameters; `alert` is usually handshake_failure.
#[cfg(feature = "server")]
pub(crate) const fn incompatible(alert: AlertDescription, reason: &'static str) -> Error {
    Error::Incompatible { alert, reason }
}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Self {
        Self::Decode(e)
    }
}

impl From<CryptoError> for Error {
    fn from(e: CryptoError) -> Self {
        Self::Crypto(e)
    }
}

impl From<EncodeError> for Error {
    fn from(e: EncodeError) -> Self {
        Self::Encode(e)
    }
}

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Decode(e) => write!(f, "malformed message: {e}"),
            Self::PeerMisbehaved { alert, reason } => {
                write!(f, "peer misbehaved: {reason} ({})", alert.rfc_name())
            }
            Self::Incompatible { alert, reason } => {
                write!(f, "incompatible peer: {reason} ({})", alert.rfc_name())
            }
            Self::CertificateRejected { alert, reason } => {
                write!(
                    f,
                    "peer certificate not accepted: {reason} ({})",
                    alert.rfc_name()
                )
            }
            Self::Crypto(e) => write!(f, "cryptographic failure: {e}"),
            Self::AlertReceived(a) => write!(f, "peer sent alert {}", a.rfc_name()),
            Self::Encode(e) => write!(f, "encoding failed: {e}"),
            Self::Misuse(m) => write!(f, "API misuse: {m}"),
            Self::Config(e) => write!(f, "invalid configuration: {e}"),
        }
    }
}

impl core::error::Error for Error {}
