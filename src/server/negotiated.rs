//! NEGOTIATED (RFC 9846 Appendix A.2): the parameters are chosen; the server sends its
//! whole flight at once and waits for the client.
//!
//! ```text
//!                          NEGOTIATED
//!                             | Send ServerHello
//!                             | K_send = handshake
//!                             | Send EncryptedExtensions
//!                             | [Send CertificateRequest]
//!  Can send                   | [Send Certificate + CertificateVerify]
//!  app data                   | Send Finished
//!  after   -->                | K_send = application
//!  here              +--------+--------+
//!           No 0-RTT |                 | 0-RTT
//!  K_recv = handshake|                 | K_recv = early data
//!                WAIT_FLIGHT2       WAIT_EOED
//! ```
//!
//! The key schedule runs alongside (RFC 9846 §7.1): the Early Secret (from the PSK or
//! zeros) gives the 0-RTT secrets if early data is accepted; with the (EC)DHE shared secret
//! it becomes the Handshake Secret, whose traffic secrets protect the rest of the flight;
//! after the server's Finished the Main Secret gives the application traffic secrets and
//! the exporter secret. Every secret is reported as it is derived.
//!
//! The flight itself: ServerHello (RFC 9846 §4.2.3), a dummy change_cipher_spec in
//! middlebox compatibility mode (Appendix E.4), EncryptedExtensions (§4.4.1), then without
//! a PSK CertificateRequest if client authentication is configured (§4.4.2), Certificate
//! (§4.5.1) and CertificateVerify (§4.5.2), and Finished (§4.5.3). The part from
//! CertificateVerify on is in `flight_end.rs`, where a deferred signing key pauses the
//! flight.

use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::connection::cert_verify::sign_or_request;
use crate::connection::{ConnectionCore, Negotiated as NegotiatedParameters};
use crate::crypto::Secret;
use crate::error::Error;
use crate::key_schedule::{EarlySecret, SecretLabel};
use crate::record::limits::RecordSizeLimit;
use crate::trace::{Epoch, TraceEvent};
use crate::transcript::Transcript;
use crate::wire::certificate::{Certificate, CertificateEntry};
use crate::wire::certificate_request::CertificateRequest;
use crate::wire::certificate_verify::Signer;
use crate::wire::client_hello::ClientHello;
use crate::wire::codes::{CertificateType, ExtensionType, ProtocolVersion};
use crate::wire::encrypted_extensions::EncryptedExtensions;
use crate::wire::extensions::{
    CertificateAuthoritiesExtension, DistinguishedName, Extension, KeyShareEntry,
    KeyShareServerHello, NamedGroupList, ProtocolName, SignatureSchemeList,
};
use crate::wire::handshake::HandshakeMessage;
use crate::wire::server_hello::ServerHello;

use super::ServerState;
use super::config::ServerConfig;
use super::flight_end::{FlightEnd, SigningFlight};
use super::psk::EarlyData;
use super::recvd_ch::rejected_early_data_budget;
use super::retry::RetryState;
use super::select::Negotiation;

/// NEGOTIATED: everything needed to send the server's flight.
pub(crate) struct Negotiated {
    pub config: Arc<ServerConfig>,
    pub retry: Option<RetryState>,
    pub hello: ClientHello,
    pub bytes: Vec<u8>,
    pub negotiation: Negotiation,
    pub early_data: EarlyData,
}

impl Negotiated {
    /// Sends ServerHello through Finished and moves to WAIT_EOED or WAIT_FLIGHT2.
    pub(crate) fn send_flight(self, core: &mut ConnectionCore) -> Result<ServerState, Error> {
        let provider = core.provider();
        let provider = &*provider;
        let mut n = self.negotiation;
        let limits = Limits::negotiate(&self.config, &n)?;
        let after_retry = self.retry.is_some();
        core.set_cipher_suite(n.cipher_suite);
        let mut transcript = match self.retry {
            Some(retry) => retry.transcript,
            None => Transcript::new(provider, n.hash),
        };
        transcript.add(&self.bytes);

        // What the client's ticket allowed of 0-RTT, for skipping it if it is rejected.
        let ticket_early_data = n
            .psk
            .as_ref()
            .and_then(|psk| psk.ticket.as_ref())
            .map(|ticket| ticket.max_early_data_size);
        // Early Secret = HKDF-Extract(0, PSK), already started if a PSK was selected.
        let (early_secret, psk) = match n.psk.take() {
            Some(psk) => (
                psk.early_secret,
                Some((psk.kind, psk.mode, psk.index, psk.ticket)),
            ),
            None => (
                EarlySecret::new(provider, n.hash, None, &mut report(core)),
                None,
            ),
        };
        let accepted_early_data = match self.early_data {
            EarlyData::Accepted {
                max_early_data_size,
            } => {
                let hello_hash = transcript.current();
                let early = early_secret.client_early_traffic_secret(
                    provider,
                    &hello_hash,
                    &mut report(core),
                )?;
                let exporter =
                    early_secret.early_exporter_secret(provider, &hello_hash, &mut report(core))?;
                Some((early, exporter, max_early_data_size))
            }
            EarlyData::NotOffered | EarlyData::Rejected(_) => None,
        };

        // RFC 9846 §4.2.3: "random: 32 bytes generated by a secure random number generator".
        let mut random = [0u8; 32];
        core.rng().fill(&mut random)?;
        let (server_share, shared_secret) = match &n.client_share {
            Some(client_share) => {
                // RFC 9846 §7.4: the (EC)DHE shared secret, or for a hybrid group the
                // encapsulated one (RFC 10024); an invalid client share fails with
                // illegal_parameter (§4.3.8.2: peers "MUST validate each other's public
                // value"; RFC 10024 adds ML-KEM's encapsulation key check).
                let (key_exchange, shared_secret) = provider.encapsulate(
                    client_share.group,
                    &client_share.key_exchange,
                    core.rng(),
                )?;
                // Paced (`crate::connection::pacing`): the key exchange is this call's step.
                core.spend_step();
                core.trace(|| {
                    TraceEvent::key_exchange_completed(
                        client_share.group,
                        &client_share.key_exchange,
                        &key_exchange,
                        &shared_secret,
                    )
                });
                let server_share = KeyShareEntry {
                    group: client_share.group,
                    key_exchange,
                };
                (Some(server_share), Some(shared_secret))
            }
            None => (None, None),
        };
        let mut extensions = Vec::new();
        if let Some((_, _, index, _)) = &psk {
            // RFC 9846 §4.3.11: "To accept PSK key establishment, the server sends a
            // pre_shared_key extension indicating the selected identity."
            extensions.push(Extension::PreSharedKeyServerHello(*index));
        }
        if let Some(server_share) = server_share {
            extensions.push(Extension::KeyShareServerHello(KeyShareServerHello {
                server_share,
            }));
        }
        // RFC 9846 §4.3.1: "A server which negotiates TLS 1.3 MUST respond by sending a
        // supported_versions extension containing the selected version value (0x0304)."
        extensions.push(Extension::SupportedVersionsServerHello(
            ProtocolVersion::Tls13,
        ));
        let server_hello = ServerHello {
            legacy_version: ProtocolVersion::Tls12,
            random,
            // RFC 9846 §4.2.3: "The contents of the client's legacy_session_id field."
            legacy_session_id_echo: self.hello.legacy_session_id.clone(),
            cipher_suite: n.cipher_suite,
            legacy_compression_method: 0,
            extensions: self.config.in_extension_order(extensions),
        };
        core.send_handshake(
            &HandshakeMessage::ServerHello(server_hello),
            Some(&mut transcript),
        )?;
        // RFC 9846 Appendix E.4: the server sends a dummy change_cipher_spec "immediately
        // after its first handshake message", which is this ServerHello unless a
        // HelloRetryRequest came first (and had the dummy after it).
        if !self.hello.legacy_session_id.is_empty() && !after_retry {
            core.send_dummy_change_cipher_spec()?;
        }

        let handshake_secret =
            early_secret.into_handshake(provider, shared_secret.as_ref(), &mut report(core))?;
        let hello_hash = transcript.current();
        let traffic = handshake_secret.traffic_secrets(provider, &hello_hash, &mut report(core))?;
        core.set_send_limit(limits.send);
        core.install_write_key(&traffic.server, Epoch::Handshake)?;

        let ee = encrypted_extensions(&self.config, &self.hello, &n, accepted_early_data.is_some());
        core.send_handshake(
            &HandshakeMessage::EncryptedExtensions(ee),
            Some(&mut transcript),
        )?;
        // RFC 7250 §4.2: no CertificateRequest when optional client authentication
        // found no certificate type in common (`certificate_type.rs`).
        let certificate_requested = n.certificate.is_some()
            && self.config.client_auth.verifier().is_some()
            && n.certificate_types
                .as_ref()
                .is_some_and(|t| t.request_client_certificate);
        let (psk_kind, psk_mode, ticket) = match psk {
            Some((kind, mode, _, ticket)) => (Some(kind), Some(mode), ticket),
            None => (None, None, None),
        };
        let parameters = NegotiatedParameters {
            version: ProtocolVersion::Tls13,
            cipher_suite: n.cipher_suite,
            key_exchange_group: n.client_share.as_ref().map(|s| s.group),
            signature_scheme: None,
            alpn: n.alpn.clone(),
            server_name: n.server_name.clone(),
            psk: psk_kind,
            psk_mode,
            early_data_accepted: accepted_early_data.is_some(),
            // A resumed connection knows the client by the certificate of the connection
            // that issued the ticket.
            peer_certificates: ticket
                .map(|t| t.client_certificates.into())
                .unwrap_or_default(),
            // Our Certificate follows when a certificate was selected (not with a PSK).
            server_certificate_type: n.certificate.map(|_| {
                n.certificate_types
                    .as_ref()
                    .map_or(CertificateType::X509, |t| t.server)
            }),
            // Set when the client's Certificate has been verified (`wait_cv.rs`).
            client_certificate_type: None,
            peer_record_size_limit: n.client_record_size_limit,
            max_fragment_length: n.max_fragment_length.map(|m| m.max_fragment_len()),
        };
        let mut end = FlightEnd {
            config: self.config.clone(),
            transcript,
            handshake_secret,
            traffic,
            parameters,
            receive_limit: limits.receive,
            certificate_requested,
            client_certificate_type: n
                .certificate_types
                .as_ref()
                .map_or(CertificateType::X509, |t| t.client),
            tickets_usable: n.tickets_usable,
            accepted_early_data,
            // RFC 9846 §4.3.10: rejected 0-RTT is skipped, up to this many bytes.
            rejected_early_data_budget: match self.early_data {
                EarlyData::Rejected(_) => {
                    Some(rejected_early_data_budget(&self.config, ticket_early_data))
                }
                EarlyData::NotOffered | EarlyData::Accepted { .. } => None,
            },
        };
        if let Some((index, scheme)) = n.certificate {
            if certificate_requested {
                // RFC 9846 §4.4.2: "The signature_algorithms extension MUST be specified";
                // certificate_request_context "SHALL be zero length unless used for the
                // post-handshake authentication exchanges".
                let schemes = self.config.client_auth_schemes.clone();
                let mut extensions =
                    alloc::vec![Extension::SignatureAlgorithms(SignatureSchemeList {
                        supported_signature_algorithms: schemes,
                    })];
                if let Some(verifier) = self.config.client_auth.verifier() {
                    extensions.extend(certificate_request_hints(verifier.as_ref()));
                }
                let request = CertificateRequest {
                    certificate_request_context: Vec::new(),
                    extensions,
                };
                core.send_handshake(
                    &HandshakeMessage::CertificateRequest(request),
                    Some(&mut end.transcript),
                )?;
            }
            let certified = self
                .config
                .certificates
                .get(index)
                .ok_or(Error::Misuse("selected certificate is gone"))?;
            // RFC 9846 §4.5.1: the chain, or under RawPublicKey the SPKI alone.
            let server_type = n.certificate_types.as_ref().map(|t| t.server);
            let entries = certified.entries(server_type.unwrap_or(CertificateType::X509));
            send_certificate(core, &mut end.transcript, &entries)?;
            // RFC 9846 §4.5.2: CertificateVerify signs Transcript-Hash(Handshake Context,
            // Certificate) with the server's context string; a deferred key pauses here.
            // Paced, after the key exchange: the signature (or the request for it) is the
            // next call's step, taken on the deferred signature's path (`SigningFlight`).
            if core.pacing_spent() {
                core.hold_step();
                return Ok(ServerState::SigningFlight(SigningFlight::new(
                    end, scheme, index,
                )));
            }
            let hash = end.transcript.current();
            match sign_or_request(core, &*certified.key, scheme, Signer::Server, &hash)? {
                Some(verify) => end.send_certificate_verify(core, verify)?,
                None => {
                    return Ok(ServerState::SigningFlight(SigningFlight::new(
                        end, scheme, index,
                    )));
                }
            }
        }
        end.finish(core)
    }
}

/// The observer that reports each derived secret to the connection (trace and key log).
pub(crate) fn report(core: &mut ConnectionCore) -> impl FnMut(SecretLabel, &Secret) + '_ {
    |label, secret| core.emit_secret(label, secret)
}

/// The record size limits of the two directions (RFC 8449, RFC 6066 §4).
struct Limits {
    send: RecordSizeLimit,
    receive: RecordSizeLimit,
}

impl Limits {
    fn negotiate(config: &ServerConfig, n: &Negotiation) -> Result<Self, Error> {
        if let Some(length) = n.max_fragment_length {
            // RFC 6066 §4: once negotiated, the limit applies to both directions.
            let len = length.max_fragment_len();
            return Ok(Self {
                send: RecordSizeLimit::max_fragment_length_for_sending(len),
                receive: RecordSizeLimit::max_fragment_length_for_receiving(len),
            });
        }
        // RFC 8449 §4: the record_size_limit a peer sends limits the records sent to it;
        // ours applies only if the client sent one (and so reads ours in EE).
        let send = match n.client_record_size_limit {
            Some(limit) => RecordSizeLimit::from_record_size_limit(limit)?,
            None => RecordSizeLimit::PROTOCOL_MAX,
        };
        let receive = match (n.client_record_size_limit, config.record_size_limit) {
            (Some(_), Some(ours)) => RecordSizeLimit::from_record_size_limit(ours)?,
            _ => RecordSizeLimit::PROTOCOL_MAX,
        };
        Ok(Self { send, receive })
    }
}

/// The EncryptedExtensions (RFC 9846 §4.4.1): responses to what the client asked for, and
/// the server's supported_groups.
fn encrypted_extensions(
    config: &ServerConfig,
    hello: &ClientHello,
    n: &Negotiation,
    early_data_accepted: bool,
) -> EncryptedExtensions {
    let mut extensions = Vec::new();
    if let Some(groups) = &config.advertised_groups {
        // RFC 9846 §4.3.7: servers "are permitted to send the supported_groups extension to
        // the client".
        extensions.push(Extension::SupportedGroups(NamedGroupList {
            named_group_list: groups.clone(),
        }));
    }
    // RFC 9846 §4.3: "Implementations MUST NOT send extension responses ... if the remote
    // endpoint did not send the corresponding extension requests".
    if let (Some(_), Some(limit)) = (n.client_record_size_limit, config.record_size_limit) {
        extensions.push(Extension::RecordSizeLimit(limit));
    }
    if n.server_name.is_some() && config.acknowledge_server_name {
        // RFC 6066 §3: a server that used the name "SHALL include an extension of type
        // server_name in the (extended) server hello. The extension_data field of this
        // extension SHALL be empty."
        extensions.push(Extension::ServerNameAck);
    }
    if let Some(length) = n.max_fragment_length {
        // RFC 6066 §4: the server echoes the accepted max_fragment_length.
        extensions.push(Extension::MaxFragmentLength(length));
    }
    if let Some(protocol) = &n.alpn {
        // RFC 7301 §3.1: the server's response holds exactly one protocol.
        extensions.push(Extension::ApplicationLayerProtocolSelected(ProtocolName(
            protocol.clone(),
        )));
    }
    if let Some(types) = &n.certificate_types {
        // RFC 7250 §4.2: the selected server_certificate_type and client_certificate_type,
        // each answering the client's extension.
        extensions.extend(types.answers.iter().cloned());
    }
    if early_data_accepted && hello.extension(ExtensionType::EarlyData).is_some() {
        // RFC 9846 §4.3.10: the server may "Return its own early_data extension in
        // EncryptedExtensions, indicating that it intends to process the early data."
        extensions.push(Extension::EarlyData);
    }
    EncryptedExtensions {
        extensions: config.in_extension_order(extensions),
    }
}

/// Certificate (RFC 9846 §4.5.1): the chain, end-entity first, with no per-certificate
/// extensions; the context is empty in the main handshake.
fn send_certificate(
    core: &mut ConnectionCore,
    transcript: &mut Transcript,
    chain: &[Vec<u8>],
) -> Result<(), Error> {
    let certificate = Certificate {
        certificate_request_context: Vec::new(),
        certificate_list: chain
            .iter()
            .map(|der| CertificateEntry {
                cert_data: der.clone(),
                extensions: Vec::new(),
            })
            .collect(),
    };
    core.send_handshake(
        &HandshakeMessage::Certificate(certificate),
        Some(transcript),
    )?;
    Ok(())
}

/// What a client-certificate verifier asks for beyond signature_algorithms: the schemes it
/// accepts in certificates (RFC 9846 §4.3.3, signature_algorithms_cert) and the CAs it trusts
/// (§4.3.4, certificate_authorities: "The "certificate_authorities" extension is used to
/// indicate the certificate authorities (CAs) which an endpoint supports").
fn certificate_request_hints(verifier: &dyn crate::verify::ClientCertVerifier) -> Vec<Extension> {
    let mut extensions = Vec::new();
    if let Some(schemes) = verifier.certificate_schemes() {
        extensions.push(Extension::SignatureAlgorithmsCert(SignatureSchemeList {
            supported_signature_algorithms: schemes,
        }));
    }
    let authorities: Vec<DistinguishedName> = verifier
        .acceptable_issuers()
        .into_iter()
        .map(DistinguishedName)
        .collect();
    if !authorities.is_empty() {
        extensions.push(Extension::CertificateAuthorities(
            CertificateAuthoritiesExtension { authorities },
        ));
    }
    extensions
}
