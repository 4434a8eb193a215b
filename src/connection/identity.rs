//! The peer's identity, one call away on a connection: [`Connection::peer_identity`].

use crate::x509::PeerIdentity;

use super::{Connection, Role};

impl<S: Role> Connection<S> {
    /// The subject and subjectAltName entries of the peer's end-entity certificate, once the
    /// handshake has completed and if the peer sent a certificate (a server always, a
    /// client when asked for one; not on resumption).
    pub fn peer_identity(&self) -> Option<PeerIdentity> {
        let end_entity = self.negotiated()?.peer_certificates.first()?;
        PeerIdentity::from_certificate(end_entity)
    }
}
