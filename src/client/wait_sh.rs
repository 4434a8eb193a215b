//! WAIT_SH (RFC 9846 Appendix A.1): the ClientHello is out; the server answers with a
//! ServerHello, or a HelloRetryRequest (then back through START, once).
//!
//! ```text
//!                             WAIT_SH
//!       Recv ServerHello         |  K_recv = handshake
//!   Can(Re)send --->  [K_send = handshake, unless 0-RTT was offered: see WAIT_EE]
//!                                v
//!                             WAIT_EE
//! ```
//!
//! The checks on the server's hello (RFC 9846 §4.2.3, §4.2.4, §4.3.1, §4.3.8, §4.3.11), in
//! the order they are made: supported_versions (and the downgrade sentinels without it),
//! legacy_version and legacy_compression_method, the session id echo, the suite, that every
//! extension answers one we sent, then the PSK and key share. Then the key schedule runs
//! to the handshake traffic secrets and the read key changes.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::connection::cert_verify::EndEntityKey;
use crate::connection::{ConnectionCore, HandshakeInput, Negotiated};
use crate::crypto::{CryptoError, KeyExchange, Secret, suite_algorithms};
use crate::error::Error;
use crate::key_schedule::EarlySecret;
use crate::trace::{Epoch, TraceEvent};
use crate::transcript::{PendingTranscript, Transcript};
use crate::wire::alert::AlertDescription;
use crate::wire::algorithms::CipherSuite;
use crate::wire::codes::{ExtensionType, ProtocolVersion, PskKeyExchangeMode};
use crate::wire::extensions::{Extension, find};
use crate::wire::handshake::HandshakeMessage;
use crate::wire::server_hello::{HelloRetryRequest, ServerHello, check_legacy_fields};

use super::ClientState;
use super::config::ClientConfig;
use super::handshake::{ClientHandshake, EarlyData, Offer};
use super::hello::HelloParams;
use super::start::{RetryRequest, send_second_client_hello};
use super::wait_ee::WaitEe;

/// The transcript while waiting for the ServerHello: the hash is not known before the
/// first hello from the server, unless a HelloRetryRequest already chose it.
pub enum HelloTranscript {
    /// ClientHello1 only, as bytes.
    Pending(PendingTranscript),
    /// message_hash(ClientHello1), HelloRetryRequest, ClientHello2.
    AfterRetry(Transcript),
}

/// WAIT_SH: a ClientHello is out.
pub struct WaitSh {
    pub(super) config: Arc<ClientConfig>,
    pub(super) server_name: Option<String>,
    pub(super) offer: Offer,
    pub(super) params: HelloParams,
    pub(super) key_shares: Vec<Box<dyn KeyExchange>>,
    pub(super) transcript: HelloTranscript,
    pub(super) retry: Option<RetryRequest>,
    pub(super) early_data: EarlyData,
    pub(super) ccs_sent: bool,
}

impl WaitSh {
    /// Handles the server's first message.
    #[inline(never)] // its own stack frame: see `ClientState::handle_handshake`
    pub fn handle(
        self: Box<Self>,
        core: &mut ConnectionCore,
        input: HandshakeInput,
    ) -> Result<ClientState, Error> {
        match input.message {
            HandshakeMessage::ServerHello(hello) => self.server_hello(core, &hello, &input.bytes),
            HandshakeMessage::HelloRetryRequest(retry) => {
                self.hello_retry_request(core, &retry, &input.bytes)
            }
            // RFC 9846 §4: "A peer which receives a handshake message in an unexpected
            // order MUST abort the handshake with an "unexpected_message" alert."
            _ => Err(unexpected("expected ServerHello")),
        }
    }

    /// The checks every server hello gets, HelloRetryRequest or not.
    fn check_common(
        &self,
        extensions: &[Extension],
        legacy: (ProtocolVersion, u8),
        session_id_echo: &[u8],
        suite: CipherSuite,
    ) -> Result<(), Error> {
        match find(extensions, ExtensionType::SupportedVersions) {
            // RFC 9846 §4.3.1: "If the "supported_versions" extension in the ServerHello
            // contains a version not offered by the client or contains a version prior to
            // TLS 1.3, the client MUST abort the handshake with an "illegal_parameter"
            // alert."
            Some(Extension::SupportedVersionsServerHello(ProtocolVersion::Tls13)) => {}
            Some(_) => return Err(illegal("server selected a version other than TLS 1.3")),
            // No supported_versions: a TLS 1.2 (or older) server, which this library does
            // not speak (RFC 9846 §6.2: protocol_version).
            None => {
                return Err(Error::Incompatible {
                    alert: AlertDescription::ProtocolVersion,
                    reason: "server does not speak TLS 1.3",
                });
            }
        }
        check_legacy_fields(legacy.0, legacy.1)?;
        // RFC 9846 §4.2.3: "A client which receives a legacy_session_id_echo field that
        // does not match what it sent in the ClientHello MUST abort the handshake with an
        // "illegal_parameter" alert."
        if session_id_echo != self.offer.session_id.as_slice() {
            return Err(illegal(
                "legacy_session_id_echo differs from the session id sent",
            ));
        }
        // RFC 9846 §4.2.3: "A client which receives a cipher suite that was not offered
        // MUST abort the handshake with an "illegal_parameter" alert."
        if !self.config.cipher_suites.contains(&suite) || suite_algorithms(suite).is_none() {
            return Err(illegal("server chose a cipher suite that was not offered"));
        }
        Ok(())
    }

    fn hello_retry_request(
        self,
        core: &mut ConnectionCore,
        retry: &HelloRetryRequest,
        bytes: &[u8],
    ) -> Result<ClientState, Error> {
        // RFC 9846 §4.2.4: "If a client receives a second HelloRetryRequest in the same
        // connection [...], it MUST abort the handshake with an "unexpected_message" alert."
        if self.retry.is_some() {
            return Err(unexpected("second HelloRetryRequest"));
        }
        let legacy = (retry.legacy_version, retry.legacy_compression_method);
        self.check_common(
            &retry.extensions,
            legacy,
            &retry.legacy_session_id_echo,
            retry.cipher_suite,
        )?;
        // RFC 9846 §4.2.4: "A HelloRetryRequest MUST NOT contain any extensions that were
        // not first offered by the client in its ClientHello, with the exception of
        // optionally the "cookie" (see Section 4.3.2) extension."
        let others: Vec<Extension> = retry
            .extensions
            .iter()
            .filter(|e| e.extension_type() != ExtensionType::Cookie)
            .cloned()
            .collect();
        self.offer.check_answered(&others)?;
        let selected_group = match find(&retry.extensions, ExtensionType::KeyShare) {
            Some(Extension::KeyShareHelloRetryRequest(share)) => Some(share.selected_group),
            _ => None,
        };
        if let Some(group) = selected_group {
            // RFC 9846 §4.3.8: the client "MUST verify that (1) the selected_group field
            // corresponds to a group which was provided in the "supported_groups" extension
            // in the original ClientHello and (2) the selected_group field does not
            // correspond to a group which was provided in the "key_share" extension in the
            // original ClientHello. If either of these checks fails, then the client MUST
            // abort the handshake with an "illegal_parameter" alert."
            let advertised = self.config.advertised_groups().contains(&group);
            let already_shared = self.key_shares.iter().any(|k| k.group() == group);
            if !advertised || already_shared || !core.provider().groups().contains(&group) {
                return Err(illegal("HelloRetryRequest asks for an unusable group"));
            }
        }
        let cookie = match find(&retry.extensions, ExtensionType::Cookie) {
            Some(Extension::Cookie(cookie)) => Some(cookie.cookie.clone()),
            _ => None,
        };
        // RFC 9846 §4.2.4: "Clients MUST abort the handshake with an "illegal_parameter"
        // alert if the HelloRetryRequest would not result in any change in the
        // ClientHello."
        if selected_group.is_none() && cookie.is_none() {
            return Err(illegal("HelloRetryRequest asks for no change"));
        }
        let (_, hash) = suite_algorithms(retry.cipher_suite).ok_or(CryptoError::Unsupported)?;
        let provider = core.provider();
        let mut transcript = match self.transcript {
            HelloTranscript::Pending(ref pending) => pending
                .clone()
                .into_transcript_after_hello_retry(&*provider, hash)?,
            HelloTranscript::AfterRetry(_) => return Err(unexpected("second HelloRetryRequest")),
        };
        transcript.add(bytes);
        core.set_cipher_suite(retry.cipher_suite);
        // RFC 9846 Appendix A.1: "Recv HelloRetryRequest" leads back to START, which sends
        // the second ClientHello and moves to WAIT_SH again.
        core.state_changed("WAIT_SH", "START");
        let request = RetryRequest {
            cipher_suite: retry.cipher_suite,
            selected_group,
            cookie,
        };
        send_second_client_hello(self, core, request, transcript)
            .map(|next| ClientState::WaitSh(Box::new(next)))
    }

    fn server_hello(
        self,
        core: &mut ConnectionCore,
        hello: &ServerHello,
        bytes: &[u8],
    ) -> Result<ClientState, Error> {
        // RFC 9846 §4.2.3: TLS 1.3 clients receiving a ServerHello indicating TLS 1.2 or
        // below "MUST check that the last 8 bytes are not equal to either of these values
        // [...] If a match is found, the client MUST abort the handshake with an
        // "illegal_parameter" alert."
        if find(&hello.extensions, ExtensionType::SupportedVersions).is_none()
            && hello.has_downgrade_sentinel()
        {
            return Err(illegal("downgrade sentinel in ServerHello.random"));
        }
        let legacy = (hello.legacy_version, hello.legacy_compression_method);
        let suite = hello.cipher_suite;
        self.check_common(
            &hello.extensions,
            legacy,
            &hello.legacy_session_id_echo,
            suite,
        )?;
        if let Some(retry) = &self.retry {
            // RFC 9846 §4.2.4: "clients MUST check that the cipher suite supplied in the
            // ServerHello is the same as that in the HelloRetryRequest and otherwise abort
            // the handshake with an "illegal_parameter" alert."
            if retry.cipher_suite != suite {
                return Err(illegal(
                    "ServerHello suite differs from the HelloRetryRequest's",
                ));
            }
        }
        self.offer.check_answered(&hello.extensions)?;
        let (_, hash) = suite_algorithms(suite).ok_or(CryptoError::Unsupported)?;

        // The PSK, if the server selected one.
        let selected_psk = match find(&hello.extensions, ExtensionType::PreSharedKey) {
            Some(Extension::PreSharedKeyServerHello(index)) => {
                // RFC 9846 §4.3.11: "Clients MUST verify that the server's
                // selected_identity is within the range supplied by the client, that the
                // server selected a cipher suite indicating a Hash associated with the PSK
                // [...]. If these values are not consistent, the client MUST abort the
                // handshake with an "illegal_parameter" alert."
                let psk = self
                    .offer
                    .psks
                    .get(usize::from(*index))
                    .ok_or(illegal("selected_identity out of range"))?;
                if suite_algorithms(psk.cipher_suite).map(|(_, h)| h) != Some(hash) {
                    return Err(illegal("PSK hash differs from the suite's hash"));
                }
                Some((*index, psk.clone()))
            }
            _ => None,
        };

        // The (EC)DHE share.
        let mut key_shares = self.key_shares;
        let server_share = match find(&hello.extensions, ExtensionType::KeyShare) {
            Some(Extension::KeyShareServerHello(share)) => Some(share.server_share.clone()),
            _ => None,
        };
        let (shared_secret, group): (Option<Secret>, _) = match &server_share {
            Some(share) => {
                if let Some(group) = self.retry.as_ref().and_then(|r| r.selected_group) {
                    // RFC 9846 §4.3.8: after a HelloRetryRequest with a key_share, "the
                    // client MUST verify that the selected NamedGroup in the ServerHello is
                    // the same as that in the HelloRetryRequest".
                    if share.group != group {
                        return Err(illegal(
                            "ServerHello group differs from the HelloRetryRequest's",
                        ));
                    }
                }
                // RFC 9846 §2: "the server's share MUST be in the same group as one of the
                // client's shares".
                let position = key_shares
                    .iter()
                    .position(|k| k.group() == share.group)
                    .ok_or(illegal(
                        "server key share in a group the client did not share",
                    ))?;
                let ours = key_shares.swap_remove(position);
                let client_share = core.tracing().then(|| ours.public_key().to_vec());
                let shared = ours.complete(&share.key_exchange)?;
                if let Some(client_share) = client_share {
                    core.trace(|| {
                        TraceEvent::key_exchange_completed(
                            share.group,
                            &client_share,
                            &share.key_exchange,
                            &shared,
                        )
                    });
                }
                (Some(shared), Some(share.group))
            }
            None => {
                // No (EC)DHE: only a psk_ke handshake may do without (RFC 9846 §4.3.11: the
                // client checks "that a server "key_share" extension is present if required
                // by the ClientHello "psk_key_exchange_modes" extension").
                let psk_ke_offered = self.config.psk_modes.contains(&PskKeyExchangeMode::PskKe);
                match &selected_psk {
                    Some(_) if psk_ke_offered => (None, None),
                    Some(_) => return Err(illegal("psk_ke was not offered but no key_share came")),
                    None => {
                        return Err(Error::PeerMisbehaved {
                            alert: AlertDescription::MissingExtension,
                            reason: "ServerHello has neither key_share nor pre_shared_key",
                        });
                    }
                }
            }
        };
        drop(key_shares);

        // The transcript gets its hash, and the ServerHello.
        let provider = core.provider();
        let mut transcript = match self.transcript {
            HelloTranscript::Pending(pending) => pending.into_transcript(&*provider, hash),
            HelloTranscript::AfterRetry(transcript) => transcript,
        };
        transcript.add(bytes);

        // RFC 9846 §7.1: Early Secret (from the PSK or zeros), then Handshake Secret, then
        // the handshake traffic secrets over ClientHello..ServerHello.
        let observe = &mut |l, s: &_| core.emit_secret(l, s);
        let psk = selected_psk.as_ref().map(|(_, p)| &p.secret);
        let early = EarlySecret::new(&*provider, hash, psk, observe);
        let handshake_secret = early.into_handshake(&*provider, shared_secret.as_ref(), observe)?;
        let traffic =
            handshake_secret.traffic_secrets(&*provider, &transcript.current(), observe)?;

        core.set_cipher_suite(suite);
        core.install_read_key(&traffic.server, Epoch::Handshake)?;
        // With 0-RTT offered, our records stay under the early key until EncryptedExtensions
        // says whether the server takes them (WAIT_EE).
        if !matches!(self.early_data, EarlyData::Offered) {
            core.install_write_key(&traffic.client, Epoch::Handshake)?;
        }
        let negotiated = Negotiated {
            version: ProtocolVersion::Tls13,
            cipher_suite: suite,
            key_exchange_group: group,
            signature_scheme: None,
            alpn: None,
            server_name: self.server_name.clone(),
            psk: selected_psk.as_ref().map(|(_, p)| p.kind),
            psk_mode: selected_psk.as_ref().map(|_| match group {
                Some(_) => PskKeyExchangeMode::PskDheKe,
                None => PskKeyExchangeMode::PskKe,
            }),
            early_data_accepted: false,
            // Resuming: the chain the ticket's connection validated (no Certificate follows).
            peer_certificates: selected_psk
                .as_ref()
                .and_then(|(_, p)| p.ticket.as_ref())
                .map(|ticket| ticket.server_certificates.clone())
                .unwrap_or_default(),
            // Set when the Certificates come (a PSK handshake has none).
            server_certificate_type: None,
            client_certificate_type: None,
            peer_record_size_limit: None,
            max_fragment_length: None,
        };
        let mut offer = self.offer;
        // Keep only the selected PSK: 0-RTT acceptance is checked against it.
        offer.psks = selected_psk
            .map(|(_, p)| alloc::vec![p])
            .unwrap_or_default();
        let server_key: Option<EndEntityKey> = None;
        Ok(ClientState::WaitEe(WaitEe {
            // Boxed: the states after this one move it on by pointer, not through copies
            // on the stack (docs/embedded.md, "Stack").
            handshake: Box::new(ClientHandshake {
                config: self.config,
                server_name: self.server_name,
                offer,
                transcript,
                handshake_secret,
                client_traffic: traffic.client,
                server_traffic: traffic.server,
                negotiated,
                ccs_sent: self.ccs_sent,
                early_data: self.early_data,
                certificate_request: None,
                server_key,
                certificate_types: Default::default(),
            }),
            selected_identity: match find(&hello.extensions, ExtensionType::PreSharedKey) {
                Some(Extension::PreSharedKeyServerHello(index)) => Some(*index),
                _ => None,
            },
        }))
    }
}

pub(super) use crate::error::{illegal_parameter as illegal, unexpected_message as unexpected};
