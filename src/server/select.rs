//! Choosing the connection's parameters from a ClientHello: the step RFC 9846 Appendix A
//! calls "Select parameters", between RECVD_CH and NEGOTIATED.
//!
//! RFC 9846 §4.2.1: the client offers cipher suites, groups with key shares, signature
//! algorithms and PSKs; "If the server does not select a PSK, then the first three of these
//! options are entirely orthogonal". [`select`] makes the choices in this order:
//!
//! 1. the version: TLS 1.3 must be in supported_versions (§4.3.1), else `protocol_version`;
//!    then the legacy fields (§4.2.2) and the extensions a TLS 1.3 ClientHello must carry
//!    (§9.2, `missing_extension`);
//! 2. the cipher suite, by [`Preference`] (§4.2.2: unknown suites are ignored);
//! 3. the group, and whether a HelloRetryRequest is needed (§4.2.1, §4.3.8): see
//!    [`select_group`];
//! 4. the PSK, if one is offered and acceptable, with its binder checked (§4.3.11; see
//!    [`super::psk`]);
//! 5. without a PSK, the certificate types (RFC 7250, see [`super::certificate_type`]),
//!    then a certificate of that type and a signature scheme (§4.3.3, §4.5.1.2);
//! 6. the rest, which never fails the choice of the above: server name (RFC 6066), ALPN
//!    (RFC 7301), record_size_limit (RFC 8449), max_fragment_length (RFC 6066 §4).
//!
//! The result is a [`Decision`]: go on with a [`Negotiation`], or ask for a new ClientHello
//! with a HelloRetryRequest. Nothing here sends anything or touches the connection.
//!
//! Not here: comparing a second ClientHello with the first ([`super::retry`]) and whether
//! 0-RTT is accepted ([`super::psk`]).

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use crate::connection::cert_verify::allowed_in_certificate_verify;
use crate::crypto::{HashAlgorithm, Secret, suite_algorithms};
use crate::error::Error;
use crate::key_schedule::SecretLabel;
use crate::wire::alert::AlertDescription;
use crate::wire::algorithms::{CipherSuite, NamedGroup, SignatureScheme};
use crate::wire::client_hello::ClientHello;
use crate::wire::codes::{CertificateType, ExtensionType, ProtocolVersion};
use crate::wire::extensions::{Extension, KeyShareEntry, MaxFragmentLength};

use super::certificate_type::{self, CertificateTypes};
use super::config::{Preference, ServerConfig};
use super::psk::{self, PskOffer, SelectedPsk};
use super::retry::RetryState;

/// The ClientHello being answered, as received.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ClientHelloInput<'a> {
    /// The decoded message.
    pub hello: &'a ClientHello,
    /// The whole message as received, header included (binders are checked over it).
    pub bytes: &'a [u8],
    /// For a second ClientHello: what the HelloRetryRequest asked for.
    pub retry: Option<&'a RetryState>,
    /// The caller's clock, ms since the UNIX epoch.
    pub now_ms: u64,
}

/// What to do with a ClientHello.
#[derive(Debug)]
pub(crate) enum Decision {
    /// Send a HelloRetryRequest (RFC 9846 §4.2.4).
    Retry {
        /// The suite the ServerHello will have too.
        cipher_suite: CipherSuite,
        /// The group to send a share for.
        selected_group: NamedGroup,
    },
    /// Answer with a ServerHello.
    Proceed(Box<Negotiation>),
}

/// The parameters of the connection, as chosen.
#[derive(Debug)]
pub(crate) struct Negotiation {
    /// The cipher suite.
    pub cipher_suite: CipherSuite,
    /// Its hash.
    pub hash: HashAlgorithm,
    /// The client's key share the server answers; `None` for a psk_ke handshake.
    pub client_share: Option<KeyShareEntry>,
    /// The PSK, if one was accepted.
    pub psk: Option<SelectedPsk>,
    /// Without a PSK: the certificate (an index into [`ServerConfig::certificates`]) and
    /// the scheme its CertificateVerify uses.
    pub certificate: Option<(usize, SignatureScheme)>,
    /// Without a PSK: the certificate types of both Certificates (RFC 7250).
    pub certificate_types: Option<CertificateTypes>,
    /// The host name the client asked for.
    pub server_name: Option<String>,
    /// The ALPN protocol chosen.
    pub alpn: Option<Vec<u8>>,
    /// The client's record_size_limit, if it sent one.
    pub client_record_size_limit: Option<u16>,
    /// The client's max_fragment_length, when the server accepts it.
    pub max_fragment_length: Option<MaxFragmentLength>,
    /// The client sent psk_key_exchange_modes with a mode the server accepts, so tickets
    /// can be used (RFC 9846 §4.7.1: the server MAY send NewSessionTicket "If the client's
    /// hello contained a suitable psk_key_exchange_modes extension").
    pub tickets_usable: bool,
}

/// Chooses the parameters for `input`, reporting PSK schedule secrets to `observe`.
pub(crate) fn select(
    config: &ServerConfig,
    input: ClientHelloInput<'_>,
    observe: &mut dyn FnMut(SecretLabel, &Secret),
) -> Result<Decision, Error> {
    let hello = input.hello;
    check_version(hello)?;
    hello.check_legacy_fields()?;
    check_mandatory_extensions(hello)?;
    let cipher_suite = select_suite(config, hello)?;
    let (_, hash) = suite_algorithms(cipher_suite).ok_or(Error::Misuse(
        "ServerConfig: a configured suite has no algorithms",
    ))?;
    if let Some(retry) = input.retry {
        // RFC 9846 §4.2.4: "Servers MUST ensure that they negotiate the same cipher suite
        // when receiving a conformant updated ClientHello".
        if retry.cipher_suite != cipher_suite {
            return Err(illegal(
                "second ClientHello changed the cipher suite choice",
            ));
        }
    }
    let server_name = server_name(config, hello)?;
    let group = select_group(config, hello, input.retry)?;
    let offer = psk::offer(config, hello, !matches!(group, GroupChoice::NoCommonGroup));

    // A HelloRetryRequest is decided before any PSK is examined when the PSK could not
    // spare the key exchange anyway: its binder would be checked again on the second
    // ClientHello.
    if let (GroupChoice::Retry(selected_group), PskOffer::None | PskOffer::WithKeyExchange) =
        (&group, offer)
    {
        let selected_group = *selected_group;
        return Ok(Decision::Retry {
            cipher_suite,
            selected_group,
        });
    }
    let psk = psk::select_psk(config, input, offer, cipher_suite, observe)?;
    let needs_key_exchange = psk.as_ref().is_none_or(SelectedPsk::uses_key_exchange);
    let client_share = match (needs_key_exchange, group) {
        (false, _) => None,
        (true, GroupChoice::Share(share)) => Some(share),
        (true, GroupChoice::Retry(selected_group)) => {
            return Ok(Decision::Retry {
                cipher_suite,
                selected_group,
            });
        }
        // RFC 9846 §4.2.1: "If there is no overlap between the received supported_groups
        // and the groups supported by the server, then the server MUST abort the handshake
        // with a handshake_failure or an insufficient_security alert."
        (true, GroupChoice::NoCommonGroup) => {
            return Err(incompatible(
                AlertDescription::HandshakeFailure,
                "no group in common",
            ));
        }
    };
    // RFC 9846 §4.2.1: "If PSK is not being used, then asymmetric key exchange and
    // certificate-based authentication are always used."
    let (certificate, certificate_types) = match psk {
        Some(_) => (None, None),
        None => {
            // RFC 7250 §4.2: server_certificate_type "indicates the certificate type carried
            // in the Certificate payload": the types are chosen first, then a certificate
            // of the server's type.
            let requested = config.client_auth.verifier().is_some();
            let types = certificate_type::negotiate(config, hello, requested)?;
            let name = server_name.as_deref();
            let certificate = select_certificate(config, hello, name, types.server)?;
            (Some(certificate), Some(types))
        }
    };
    Ok(Decision::Proceed(Box::new(Negotiation {
        cipher_suite,
        hash,
        client_share,
        psk,
        certificate,
        certificate_types,
        server_name,
        alpn: select_alpn(config, hello)?,
        client_record_size_limit: record_size_limit(hello),
        max_fragment_length: max_fragment_length(config, hello),
        tickets_usable: psk::tickets_usable(config, hello),
    })))
}

/// RFC 9846 §4.3.1: the server "MUST use only the supported_versions extension to
/// determine client preferences", and TLS 1.3 is the only version this library speaks.
fn check_version(hello: &ClientHello) -> Result<(), Error> {
    match hello.extension(ExtensionType::SupportedVersions) {
        Some(Extension::SupportedVersionsClientHello(versions))
            if versions.contains(&ProtocolVersion::Tls13) =>
        {
            Ok(())
        }
        // RFC 9846 §4.3.1: "Servers MUST be prepared to receive ClientHellos that include
        // this extension but do not include 0x0304"; RFC 9846 Appendix E.2: without the
        // extension, a server that "only supports versions greater than
        // ClientHello.legacy_version ... MUST abort the handshake with a protocol_version
        // alert".
        _ => Err(incompatible(
            AlertDescription::ProtocolVersion,
            "client does not offer TLS 1.3",
        )),
    }
}

/// RFC 9846 §9.2: the extensions a TLS 1.3 ClientHello must carry.
fn check_mandatory_extensions(hello: &ClientHello) -> Result<(), Error> {
    let has = |typ| hello.extension(typ).is_some();
    let missing = |reason| {
        Err(Error::PeerMisbehaved {
            alert: AlertDescription::MissingExtension,
            reason,
        })
    };
    // RFC 9846 §9.2: "If not containing a pre_shared_key extension, it MUST contain both a
    // signature_algorithms extension and a supported_groups extension. ... Servers
    // receiving a ClientHello which does not conform to these requirements MUST abort the
    // handshake with a missing_extension alert."
    let certificate_ready =
        has(ExtensionType::SignatureAlgorithms) && has(ExtensionType::SupportedGroups);
    if !has(ExtensionType::PreSharedKey) && !certificate_ready {
        return missing("no PSK, and no signature_algorithms or supported_groups");
    }
    // RFC 9846 §9.2: "If containing a supported_groups extension, it MUST also contain a
    // key_share extension, and vice versa."
    if has(ExtensionType::SupportedGroups) != has(ExtensionType::KeyShare) {
        return missing("supported_groups without key_share, or the reverse");
    }
    // RFC 9846 §4.3.9: "If clients offer pre_shared_key without a psk_key_exchange_modes
    // extension, servers MUST abort the handshake"; §9.2 names the alert.
    if has(ExtensionType::PreSharedKey) && !has(ExtensionType::PskKeyExchangeModes) {
        return missing("pre_shared_key without psk_key_exchange_modes");
    }
    Ok(())
}

/// Picks `server` or `client` order: the first item of the preferred list found in the
/// other one.
fn preferred<T: Copy + PartialEq>(preference: Preference, server: &[T], client: &[T]) -> Option<T> {
    let (first, second) = match preference {
        Preference::Server => (server, client),
        Preference::Client => (client, server),
    };
    first.iter().copied().find(|item| second.contains(item))
}

/// The cipher suite. RFC 9846 §4.2.2: "If the list contains cipher suites that the server
/// does not recognize, support, or wish to use, the server MUST ignore those cipher suites
/// and process the remaining ones as usual."
fn select_suite(config: &ServerConfig, hello: &ClientHello) -> Result<CipherSuite, Error> {
    let runnable: Vec<CipherSuite> = config
        .cipher_suites
        .iter()
        .copied()
        .filter(|s| suite_algorithms(*s).is_some())
        .collect();
    // RFC 9846 §4.2.1: "If the server is unable to negotiate a supported set of parameters
    // ... it MUST abort the handshake with either a handshake_failure or
    // insufficient_security fatal alert".
    preferred(config.preference, &runnable, &hello.cipher_suites).ok_or(incompatible(
        AlertDescription::HandshakeFailure,
        "no cipher suite in common",
    ))
}

/// The outcome of choosing a group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum GroupChoice {
    /// Use this share of the client's.
    Share(KeyShareEntry),
    /// Ask for a share in this group.
    Retry(NamedGroup),
    /// No group in common (or the client offered none).
    NoCommonGroup,
}

/// The (EC)DHE group (RFC 9846 §4.2.1, §4.3.7, §4.3.8), after checking that the client's
/// key shares agree with its supported_groups.
pub(crate) fn select_group(
    config: &ServerConfig,
    hello: &ClientHello,
    retry: Option<&RetryState>,
) -> Result<GroupChoice, Error> {
    let client_groups: &[NamedGroup] = match hello.extension(ExtensionType::SupportedGroups) {
        Some(Extension::SupportedGroups(list)) => &list.named_group_list,
        _ => &[],
    };
    let shares: &[KeyShareEntry] = match hello.extension(ExtensionType::KeyShare) {
        Some(Extension::KeyShareClientHello(shares)) => &shares.client_shares,
        _ => &[],
    };
    // RFC 9846 §4.3.8: "Each KeyShareEntry value MUST correspond to a group offered in the
    // supported_groups extension and MUST appear in the same order. ... Servers MAY check
    // for violations of these rules and abort the handshake with an illegal_parameter
    // alert if one is violated."
    let mut position = 0;
    for share in shares {
        let found = client_groups
            .get(position..)
            .and_then(|rest| rest.iter().position(|g| *g == share.group));
        match found {
            Some(offset) => position += offset + 1,
            None => return Err(illegal("key_share not in supported_groups order")),
        }
    }
    if let Some(selected) = retry.and_then(|r| r.selected_group) {
        // RFC 9846 §4.3.8: after a HelloRetryRequest with key_share the client "MUST replace
        // the original key_share extension with one containing only a new KeyShareEntry for
        // the group indicated in the selected_group field".
        return match shares {
            [share] if share.group == selected => Ok(GroupChoice::Share(share.clone())),
            _ => Err(illegal("second ClientHello lacks the requested key share")),
        };
    }
    let provider_groups = config.provider.groups();
    let ours: Vec<NamedGroup> = config
        .key_share_groups
        .iter()
        .copied()
        .filter(|g| provider_groups.contains(g))
        .collect();
    let share_for = |group: NamedGroup| shares.iter().find(|s| s.group == group).cloned();
    let Some(best) = preferred(config.preference, &ours, client_groups) else {
        return Ok(GroupChoice::NoCommonGroup);
    };
    if best.is_hybrid() && share_for(best).is_none() {
        // RFC 10024's hybrids are worth a round trip (OpenSSL 3.5 does the same): a client
        // that lists one only in supported_groups is asked for its share rather than
        // settled with a classical share it also sent.
        return Ok(GroupChoice::Retry(best));
    }
    if config.retry_for_preferred_group {
        // RFC 9846 §4.3.8: servers "SHOULD first select a group based on supported_groups
        // and then either send a ServerHello or a HelloRetryRequest depending on the
        // contents of KeyshareClientHello".
        return Ok(share_for(best).map_or(GroupChoice::Retry(best), GroupChoice::Share));
    }
    let offered: Vec<NamedGroup> = shares.iter().map(|s| s.group).collect();
    let with_share = preferred(config.preference, &ours, &offered).and_then(share_for);
    // RFC 9846 §4.2.1: "If the server selects an asymmetric key exchange group and the
    // client did not offer a compatible key_share extension in the initial ClientHello, the
    // server MUST respond with a HelloRetryRequest".
    Ok(with_share.map_or(GroupChoice::Retry(best), GroupChoice::Share))
}

/// The client's host name, if it sent one (RFC 6066 §3).
fn server_name(config: &ServerConfig, hello: &ClientHello) -> Result<Option<String>, Error> {
    let Some(Extension::ServerNameList(list)) = hello.extension(ExtensionType::ServerName) else {
        // RFC 9846 §9.2: "Servers requiring this extension SHOULD respond to a ClientHello
        // lacking a server_name extension by terminating the connection with a
        // missing_extension alert."
        if config.require_server_name {
            return Err(Error::PeerMisbehaved {
                alert: AlertDescription::MissingExtension,
                reason: "server_name required",
            });
        }
        return Ok(None);
    };
    let Some(name) = list.host_name() else {
        return Ok(None);
    };
    // RFC 6066 §3: "The hostname is represented as a byte string using ASCII encoding
    // without a trailing dot."
    let valid = name.iter().all(|b| b.is_ascii_graphic()) && name.last() != Some(&b'.');
    match core::str::from_utf8(name) {
        Ok(text) if valid => Ok(Some(text.to_ascii_lowercase())),
        _ => Err(illegal("server_name is not an ASCII host name")),
    }
}

/// True if `pattern` (a configured name, possibly `*.example.com`) covers `name` (already
/// lower case).
fn name_matches(pattern: &str, name: &str) -> bool {
    let pattern = pattern.to_ascii_lowercase();
    match pattern.strip_prefix("*.") {
        Some(suffix) => name
            .split_once('.')
            .is_some_and(|(label, rest)| !label.is_empty() && rest == suffix),
        None => pattern == name,
    }
}

/// The certificate and CertificateVerify scheme (RFC 9846 §4.5.1.2, §4.5.2).
fn select_certificate(
    config: &ServerConfig,
    hello: &ClientHello,
    server_name: Option<&str>,
    typ: CertificateType,
) -> Result<(usize, SignatureScheme), Error> {
    // RFC 9846 §4.3.3: "If a server is authenticating via a certificate and the client has
    // not sent a signature_algorithms extension, then the server MUST abort the handshake
    // with a missing_extension alert".
    let Some(Extension::SignatureAlgorithms(list)) =
        hello.extension(ExtensionType::SignatureAlgorithms)
    else {
        return Err(Error::PeerMisbehaved {
            alert: AlertDescription::MissingExtension,
            reason: "no signature_algorithms",
        });
    };
    let client: Vec<SignatureScheme> = list
        .supported_signature_algorithms
        .iter()
        .copied()
        .filter(|s| allowed_in_certificate_verify(*s))
        .collect();
    // RFC 9846 §4.5.1.2: "The server_name [RFC6066] extension is used to guide certificate
    // selection": chains that name the host come first, then chains for any name.
    let named = |i: &usize| {
        let names = &config.certificates[*i].server_names;
        server_name.is_some_and(|n| names.iter().any(|p| name_matches(p, n)))
    };
    let indexes = (0..config.certificates.len()).filter(|i| config.certificates[*i].serves(typ));
    let mut candidates: Vec<usize> = indexes.clone().filter(named).collect();
    candidates.extend(indexes.filter(|i| config.certificates[*i].server_names.is_empty()));
    // RFC 9846 §4.5.1.2: "All certificates provided by the sender MUST be signed by a
    // signature algorithm advertised by the peer, if it is able to provide such a chain";
    // the peer's list is signature_algorithms_cert, or signature_algorithms without it
    // (§4.3.3). Chains that fit come first; the others stay as fallbacks.
    let certificate_schemes = match hello.extension(ExtensionType::SignatureAlgorithmsCert) {
        Some(Extension::SignatureAlgorithmsCert(cert_list)) => {
            &cert_list.supported_signature_algorithms
        }
        _ => &list.supported_signature_algorithms,
    };
    candidates.sort_by_key(|i| {
        !crate::x509::chain_schemes::chain_fits(&config.certificates[*i].chain, certificate_schemes)
    });
    if candidates.is_empty() {
        // RFC 6066 §3: a server that "does not recognize the server name" may "abort the
        // handshake by sending a fatal-level unrecognized_name(112) alert".
        return Err(incompatible(
            AlertDescription::UnrecognizedName,
            "no certificate for this server name",
        ));
    }
    for index in candidates {
        let schemes = config.certificates[index].key.schemes();
        // RFC 9846 §4.5.2: the server's signature algorithm "MUST be one offered in the
        // client's signature_algorithms extension".
        if let Some(scheme) = preferred(config.preference, schemes, &client) {
            return Ok((index, scheme));
        }
    }
    Err(incompatible(
        AlertDescription::HandshakeFailure,
        "no signature scheme in common",
    ))
}

/// The ALPN protocol (RFC 7301 §3.2).
fn select_alpn(config: &ServerConfig, hello: &ClientHello) -> Result<Option<Vec<u8>>, Error> {
    let Some(Extension::ApplicationLayerProtocolNegotiation(list)) =
        hello.extension(ExtensionType::ApplicationLayerProtocolNegotiation)
    else {
        return Ok(None);
    };
    if config.alpn_protocols.is_empty() {
        return Ok(None);
    }
    let client: Vec<&[u8]> = list
        .protocol_name_list
        .iter()
        .map(|p| p.0.as_slice())
        .collect();
    let server: Vec<&[u8]> = config.alpn_protocols.iter().map(Vec::as_slice).collect();
    // RFC 7301 §3.2: "In the event that the server supports no protocols that the client
    // advertises, then the server SHALL respond with a fatal no_application_protocol
    // alert."
    match preferred(config.preference, &server, &client) {
        Some(protocol) => Ok(Some(protocol.to_vec())),
        None => Err(incompatible(
            AlertDescription::NoApplicationProtocol,
            "no ALPN protocol in common",
        )),
    }
}

/// The client's record_size_limit (RFC 8449 §4; the decoder refused values below 64).
fn record_size_limit(hello: &ClientHello) -> Option<u16> {
    match hello.extension(ExtensionType::RecordSizeLimit) {
        Some(Extension::RecordSizeLimit(limit)) => Some(*limit),
        _ => None,
    }
}

/// The client's max_fragment_length, if the server takes it. RFC 8449 §5: "A server that
/// supports the record_size_limit extension MUST ignore a max_fragment_length that appears
/// in a ClientHello if both extensions appear."
fn max_fragment_length(config: &ServerConfig, hello: &ClientHello) -> Option<MaxFragmentLength> {
    if !config.accept_max_fragment_length || record_size_limit(hello).is_some() {
        return None;
    }
    match hello.extension(ExtensionType::MaxFragmentLength) {
        Some(Extension::MaxFragmentLength(length)) => Some(*length),
        _ => None,
    }
}

pub(crate) use crate::error::{illegal_parameter as illegal, incompatible};

#[cfg(test)]
#[path = "tests_select.rs"]
mod tests;
