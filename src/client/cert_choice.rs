//! Answering the server's CertificateRequest (RFC 9846 §4.4.2): which of the configured
//! certificates to send, and the Certificate message carrying it (RFC 9846 §4.5.1).
//!
//! The client may hold several chains ([`ClientConfig::client_auth`], in preference
//! order), say an ECDSA one and an Ed25519 one, or chains from different CAs. The
//! CertificateRequest says what the server accepts, and the rules of RFC 9846 §4.5.1.2
//! ("Certificate Selection") pick among them:
//!
//! 1. **signature_algorithms** (a MUST): our key must be able to sign the CertificateVerify
//!    with a scheme the server listed. Chains whose key cannot are never sent.
//! 2. **certificate_authorities** (a SHOULD): "at least one of the certificates in the
//!    certificate chain SHOULD be issued by one of the listed CAs". A chain issued by (or
//!    containing) a listed CA is preferred.
//! 3. **signature_algorithms_cert** (or signature_algorithms without it): next, a chain
//!    whose links are all signed with schemes the server listed is preferred ("if it is
//!    able to provide such a chain").
//!
//! Ties go to the configuration's order. Rules 2 and 3 rank, they do not exclude: with no
//! preferred chain the first one the key rule allows is still sent, and the server judges
//! it (it may know the CA under another name). Only when no key can sign with a listed
//! scheme does the client send an empty Certificate (RFC 9846 §4.5.1); the server then
//! decides: go on unauthenticated, or certificate_required (§4.5.1.3).
//! With RawPublicKey negotiated (RFC 7250), only credentials with a raw public key take
//! part, and rule 1 alone decides.
//! Not implemented: oid_filters (RFC 9846 §4.3.5), which this client never matches because
//! it does not offer the extension's OIDs.

use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::connection::ConnectionCore;
use crate::connection::cert_verify::choose_scheme;
use crate::crypto::SigningKey;
use crate::error::Error;
use crate::transcript::Transcript;
use crate::wire::algorithms::SignatureScheme;
use crate::wire::certificate::{Certificate, CertificateEntry};
use crate::wire::certificate_request::CertificateRequest;
use crate::wire::codes::{CertificateType, ExtensionType};
use crate::wire::extensions::{Extension, find};
use crate::wire::handshake::HandshakeMessage;
use crate::x509::certificate_fields::CertificateFields;
use crate::x509::chain_schemes::chain_fits;

use super::config::ClientConfig;
use crate::credentials::CertifiedKey;

/// The key and scheme our CertificateVerify is to be signed with.
pub(super) type ClientSigner = (Arc<dyn SigningKey>, SignatureScheme);

/// What the CertificateRequest asks of our chain.
struct Wanted {
    /// signature_algorithms: what our CertificateVerify may use.
    schemes: Vec<SignatureScheme>,
    /// signature_algorithms_cert, or signature_algorithms without it (RFC 9846 §4.3.3).
    certificate_schemes: Vec<SignatureScheme>,
    /// certificate_authorities (DER Names), if the server sent any.
    authorities: Option<Vec<Vec<u8>>>,
}

impl Wanted {
    fn from_request(request: &CertificateRequest) -> Self {
        let schemes = match find(&request.extensions, ExtensionType::SignatureAlgorithms) {
            Some(Extension::SignatureAlgorithms(list)) => {
                list.supported_signature_algorithms.clone()
            }
            _ => Vec::new(),
        };
        // RFC 9846 §4.3.3: "If no "signature_algorithms_cert" extension is present, then
        // the "signature_algorithms" extension also applies to signatures appearing in
        // certificates."
        let certificate_schemes =
            match find(&request.extensions, ExtensionType::SignatureAlgorithmsCert) {
                Some(Extension::SignatureAlgorithmsCert(list)) => {
                    list.supported_signature_algorithms.clone()
                }
                _ => schemes.clone(),
            };
        let authorities = match find(&request.extensions, ExtensionType::CertificateAuthorities) {
            Some(Extension::CertificateAuthorities(cas)) => {
                Some(cas.authorities.iter().map(|dn| dn.0.clone()).collect())
            }
            _ => None,
        };
        Self {
            schemes,
            certificate_schemes,
            authorities,
        }
    }

    /// True if a certificate of `chain` is issued by (or is) one of the listed CAs, or the
    /// server listed none.
    fn issued_by_listed_ca(&self, chain: &[Vec<u8>]) -> bool {
        let Some(authorities) = &self.authorities else {
            return true;
        };
        chain.iter().any(|der| {
            let Ok(cert) = CertificateFields::parse(der) else {
                return false;
            };
            [cert.issuer, cert.subject]
                .into_iter()
                .any(|name| authorities.iter().any(|listed| listed == name))
        })
    }
}

/// Picks the chain to answer `request` with, and the scheme of its CertificateVerify
/// (see the module doc for the rules); `None` when no configured chain is acceptable.
pub fn choose_client_certificate<'a>(
    candidates: &'a [CertifiedKey],
    request: &CertificateRequest,
    typ: CertificateType,
) -> Option<(&'a CertifiedKey, SignatureScheme)> {
    let wanted = Wanted::from_request(request);
    // RFC 9846 §4.5.2: a client's signature "MUST be one of those present in the
    // supported_signature_algorithms field of the "signature_algorithms" extension in the
    // CertificateRequest message".
    let acceptable: Vec<(&CertifiedKey, SignatureScheme)> = candidates
        .iter()
        .filter(|auth| auth.serves(typ))
        .filter_map(|auth| Some((auth, choose_scheme(&*auth.key, &wanted.schemes)?)))
        .collect();
    // The best rank wins; `min_by_key` keeps the first of equals: the configuration's order.
    acceptable.into_iter().min_by_key(|(auth, _)| {
        let chain = &auth.chain;
        // RFC 9846 §4.5.1.2: "If the peer sent a "certificate_authorities" extension, at
        // least one of the certificates in the certificate chain SHOULD be issued by one
        // of the listed CAs."
        let from_listed_ca = wanted.issued_by_listed_ca(chain);
        // RFC 9846 §4.5.1.2: "All certificates provided by the sender MUST be signed by a
        // signature algorithm advertised by the peer, if it is able to provide such a
        // chain".
        let signed_as_asked = chain_fits(chain, &wanted.certificate_schemes);
        (!from_listed_ca, !signed_as_asked)
    })
}

/// Sends our Certificate in answer to `request`: the chosen chain (or, when the server
/// chose RawPublicKey in client_certificate_type, the chosen raw public key alone, RFC
/// 9846 §4.5.1), or, without an acceptable one, no certificates. Returns the key and scheme to sign the
/// CertificateVerify with, when a chain was sent.
///
/// RFC 9846 §4.5.1: "If the server requests certificate-based client authentication but
/// no suitable certificate is available, the client MUST send a Certificate message
/// containing no certificates". The server then decides whether to go on (RFC 9846 §4.5.1.3).
pub(super) fn send_client_certificate(
    config: &ClientConfig,
    transcript: &mut Transcript,
    core: &mut ConnectionCore,
    request: &CertificateRequest,
    typ: CertificateType,
) -> Result<Option<ClientSigner>, Error> {
    let chosen = choose_client_certificate(&config.client_auth, request, typ);
    let certificate_list = match chosen {
        Some((auth, _)) => auth
            .entries(typ)
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
    Ok(chosen.map(|(auth, scheme)| (auth.key.clone(), scheme)))
}
