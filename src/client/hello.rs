//! Building the ClientHello (RFC 9846 §4.2.2) from a [`ClientConfig`], and its PSK binders
//! (RFC 9846 §4.3.11.2).
//!
//! ```text
//!   legacy_version = 0x0303, random, legacy_session_id (32 random bytes in compat mode),
//!   cipher_suites, legacy_compression_methods = [0],
//!   extensions: server_name, supported_groups, key_share, supported_versions = [TLS 1.3],
//!               signature_algorithms, ..., extra_extensions, [padding], [pre_shared_key]
//! ```
//!
//! Extensions come out in generation order, then rearranged by `extension_order` if the
//! config has one; pre_shared_key always ends the list (RFC 9846 §4.3.11: "The
//! "pre_shared_key" extension MUST be the last extension in the ClientHello"), because its binders are computed over everything
//! before them.
//!
//! Binders: the hello is first encoded with zero binders of the right lengths; the binder
//! of each PSK is then an HMAC over the transcript hash of the hello cut just before the
//! binders list ([`crate::transcript::partial_client_hello`]), and the zeros are replaced.
//! The lengths do not change, so the cut is the same before and after.
//!
//! Not here: choosing what to offer (the START state, `start.rs`).

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use crate::codec::Writer;
use crate::crypto::{CryptoProvider, HashOutput, Secret, suite_algorithms};
use crate::error::Error;
use crate::key_schedule::{EarlySecret, PskKind, SecretLabel};
use crate::transcript::{Transcript, partial_client_hello};
use crate::wire::algorithms::CipherSuite;
use crate::wire::client_hello::ClientHello;
use crate::wire::codes::{ExtensionType, ProtocolVersion};
use crate::wire::extensions::{
    Cookie, Extension, KeyShareClientHello, KeyShareEntry, NamedGroupList, OfferedPsks,
    ProtocolName, ProtocolNameList, PskBinderEntry, PskIdentity, PskKeyExchangeModes,
    ServerNameList, SignatureSchemeList,
};
use crate::wire::handshake::HandshakeMessage;

use super::config::{ClientConfig, ClientHelloPadding};

/// A PSK offered in the ClientHello, with what the client must remember about it.
#[derive(Clone, Debug)]
pub struct OfferedPsk {
    /// The PskIdentity sent.
    pub identity: PskIdentity,
    /// The key.
    pub secret: Secret,
    /// Resumption (ticket) or external.
    pub kind: PskKind,
    /// The suite it is bound to; its hash computes the binder.
    pub cipher_suite: CipherSuite,
    /// `max_early_data_size` of the ticket, if it allows 0-RTT.
    pub max_early_data_size: Option<u32>,
    /// The ALPN protocol of the session the ticket came from.
    pub alpn: Option<Vec<u8>>,
    /// The ticket, for a resumption PSK (its age is recomputed for a second ClientHello).
    pub ticket: Option<crate::connection::Ticket>,
}

/// The per-connection values of one ClientHello.
#[derive(Clone, Debug)]
pub struct HelloParams {
    /// ClientHello.random.
    pub random: [u8; 32],
    /// legacy_session_id.
    pub session_id: Vec<u8>,
    /// The key shares, in offer order.
    pub key_shares: Vec<KeyShareEntry>,
    /// The server name for SNI.
    pub server_name: Option<String>,
    /// The cookie of a HelloRetryRequest, echoed in the second ClientHello.
    pub cookie: Option<Vec<u8>>,
    /// Send the early_data extension.
    pub early_data: bool,
}

/// The ClientHello for `config` and `params`, offering `psks` with zero binders.
pub fn build_client_hello(
    config: &ClientConfig,
    params: &HelloParams,
    psks: &[OfferedPsk],
) -> Result<ClientHello, Error> {
    let mut extensions = generated_extensions(config, params, psks);
    extensions.extend(config.extra_extensions.iter().cloned());
    if let Some(order) = &config.extension_order {
        // A stable sort keeps generation order among the types the list does not name.
        let rank = |e: &Extension| {
            let typ = e.extension_type();
            order.iter().position(|t| *t == typ).unwrap_or(order.len())
        };
        extensions.sort_by_key(rank);
    }
    let mut hello = ClientHello {
        legacy_version: ProtocolVersion::Tls12,
        random: params.random,
        legacy_session_id: params.session_id.clone(),
        cipher_suites: config.cipher_suites.clone(),
        legacy_compression_methods: vec![0],
        extensions,
    };
    let psk_extension = (!psks.is_empty()).then(|| {
        Extension::PreSharedKeyClientHello(OfferedPsks {
            identities: psks.iter().map(|p| p.identity.clone()).collect(),
            binders: psks
                .iter()
                .map(|p| PskBinderEntry(vec![0; binder_len(p)]))
                .collect(),
        })
    });
    if config.client_hello_padding == ClientHelloPadding::To512WhenBetween256And511 {
        let psk_len = match &psk_extension {
            Some(extension) => encoded_len(extension)?,
            None => 0,
        };
        pad_to_512(&mut hello, config.extension_order.as_deref(), psk_len)?;
    }
    hello.extensions.extend(psk_extension);
    Ok(hello)
}

/// The encoded size of one extension, header included.
fn encoded_len(extension: &Extension) -> Result<usize, Error> {
    let mut w = Writer::new();
    extension.encode(&mut w);
    Ok(w.finish()?.len())
}

/// `Hash.length` of the PSK's hash: the length of its binder.
fn binder_len(psk: &OfferedPsk) -> usize {
    suite_algorithms(psk.cipher_suite).map_or(32, |(_, hash)| hash.output_len())
}

/// Every extension lucid-tls itself generates, in its default order.
fn generated_extensions(
    config: &ClientConfig,
    params: &HelloParams,
    psks: &[OfferedPsk],
) -> Vec<Extension> {
    let mut out = Vec::new();
    // RFC 6066 §3: "Literal IPv4 and IPv6 addresses are not permitted in "HostName"": a
    // client connecting to an address sends no server_name (its verifier still checks the
    // address against the certificate).
    let host_name = params
        .server_name
        .as_ref()
        .filter(|name| name.parse::<core::net::IpAddr>().is_err());
    if let Some(name) = host_name {
        out.push(Extension::ServerNameList(ServerNameList::from_host_name(
            name.as_bytes(),
        )));
    }
    if let Some(length) = config.max_fragment_length {
        out.push(Extension::MaxFragmentLength(length));
    }
    out.push(Extension::SupportedGroups(NamedGroupList {
        named_group_list: config.advertised_groups().to_vec(),
    }));
    if !config.alpn_protocols.is_empty() {
        out.push(Extension::ApplicationLayerProtocolNegotiation(
            ProtocolNameList {
                protocol_name_list: config
                    .alpn_protocols
                    .iter()
                    .cloned()
                    .map(ProtocolName)
                    .collect(),
            },
        ));
    }
    out.push(Extension::KeyShareClientHello(KeyShareClientHello {
        client_shares: params.key_shares.clone(),
    }));
    if params.early_data {
        out.push(Extension::EarlyData);
    }
    // RFC 9846 §4.3.1: "Implementations of this specification MUST send this extension in
    // the ClientHello containing all versions of TLS which they are prepared to negotiate".
    out.push(Extension::SupportedVersionsClientHello(vec![
        ProtocolVersion::Tls13,
    ]));
    out.push(Extension::SignatureAlgorithms(SignatureSchemeList {
        supported_signature_algorithms: config.signature_schemes.clone(),
    }));
    if let Some(schemes) = &config.signature_schemes_cert {
        out.push(Extension::SignatureAlgorithmsCert(SignatureSchemeList {
            supported_signature_algorithms: schemes.clone(),
        }));
    }
    out.extend(super::certificate_type::offered_extensions(config));
    if let Some(cookie) = &params.cookie {
        out.push(Extension::Cookie(Cookie {
            cookie: cookie.clone(),
        }));
    }
    // RFC 9846 §4.3.9: "A client MUST provide a "psk_key_exchange_modes" extension if it
    // offers a "pre_shared_key" extension."
    if !config.psk_modes.is_empty() || !psks.is_empty() {
        out.push(Extension::PskKeyExchangeModes(PskKeyExchangeModes {
            ke_modes: config.psk_modes.clone(),
        }));
    }
    if let Some(limit) = config.record_size_limit {
        out.push(Extension::RecordSizeLimit(limit));
    }
    out
}

/// Adds a padding extension so that a hello whose encoding would be 256 to 511 bytes long
/// becomes exactly 512 (the padding extension is RFC 7685's; the 256..511 rule is the
/// widespread workaround for servers that hang on such hellos, as NSS sends in RFC 8448).
/// A hello of 509 to 511 bytes, too close to 512 for a 4-byte extension header, gets an
/// empty padding extension and ends just past 512, which is as good.
///
/// The pre_shared_key extension is not in `hello` yet; `psk_len` is its encoded size (which
/// does not depend on the binder values).
fn pad_to_512(
    hello: &mut ClientHello,
    order: Option<&[ExtensionType]>,
    psk_len: usize,
) -> Result<(), Error> {
    const TARGET: usize = 512;
    const EXTENSION_HEADER_LEN: usize = 4;
    let len = HandshakeMessage::ClientHello(hello.clone()).encode()?.len() + psk_len;
    if !(256..TARGET).contains(&len) {
        return Ok(());
    }
    let zeros = (TARGET - len).saturating_sub(EXTENSION_HEADER_LEN);
    let padding = Extension::Padding(u16::try_from(zeros).unwrap_or(0));
    // The padding goes where the order puts it, or last (before pre_shared_key).
    let at = order
        .and_then(|order| {
            let rank = |t: ExtensionType| order.iter().position(|o| *o == t).unwrap_or(order.len());
            let padding_rank = rank(ExtensionType::Padding);
            hello
                .extensions
                .iter()
                .position(|e| rank(e.extension_type()) > padding_rank)
        })
        .unwrap_or(hello.extensions.len());
    hello.extensions.insert(at, padding);
    Ok(())
}

/// Computes each offered PSK's binder and writes it into `hello`'s pre_shared_key.
///
/// `before` is the transcript before this hello: `None` for ClientHello1, the transcript
/// up to the HelloRetryRequest for ClientHello2 (RFC 9846 §4.3.11.2: "the PSK binder
/// ... [includes] the current ClientHello [and] the HelloRetryRequest ... and the first
/// ClientHello ... as message_hash").
pub fn fill_binders(
    provider: &dyn CryptoProvider,
    hello: &mut ClientHello,
    psks: &[OfferedPsk],
    before: Option<&Transcript>,
    observe: &mut dyn FnMut(SecretLabel, &Secret),
) -> Result<(), Error> {
    let Some(Extension::PreSharedKeyClientHello(offered)) = hello.extensions.last() else {
        return Ok(());
    };
    let binders_len = offered.binders_len();
    let encoded = HandshakeMessage::ClientHello(hello.clone()).encode()?;
    let partial = partial_client_hello(&encoded, binders_len)?;
    let mut binders = Vec::with_capacity(psks.len());
    for psk in psks {
        let (_, hash) =
            suite_algorithms(psk.cipher_suite).ok_or(Error::Misuse("PSK with an unknown suite"))?;
        let partial_hash: HashOutput = match before {
            Some(transcript) => transcript.current_with(partial),
            None => {
                let mut context = provider.hash(hash);
                context.update(partial);
                context.current()
            }
        };
        let early = EarlySecret::new(provider, hash, Some(&psk.secret), observe);
        let binder_key = early.binder_key(provider, psk.kind, observe)?;
        binders.push(PskBinderEntry(
            binder_key
                .binder(provider, &partial_hash)?
                .as_bytes()
                .to_vec(),
        ));
    }
    if let Some(Extension::PreSharedKeyClientHello(offered)) = hello.extensions.last_mut() {
        offered.binders = binders;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::danger::AcceptAnyServerCert;
    use crate::crypto::rustcrypto::RustCryptoProvider;
    use alloc::sync::Arc;

    fn config(padding: ClientHelloPadding) -> ClientConfig {
        let mut config =
            ClientConfig::new(Arc::new(RustCryptoProvider), Arc::new(AcceptAnyServerCert));
        config.client_hello_padding = padding;
        config
    }

    fn params(name_len: usize) -> HelloParams {
        HelloParams {
            random: [1; 32],
            session_id: Vec::new(),
            key_shares: vec![KeyShareEntry {
                group: crate::wire::algorithms::NamedGroup::X25519,
                key_exchange: vec![2; 32],
            }],
            server_name: Some(String::from_utf8(vec![b'a'; name_len]).unwrap()),
            cookie: None,
            early_data: false,
        }
    }

    fn encoded_len(config: &ClientConfig, params: &HelloParams) -> usize {
        let hello = build_client_hello(config, params, &[]).unwrap();
        HandshakeMessage::ClientHello(hello).encode().unwrap().len()
    }

    #[test]
    fn test_emit_padding_only_between_256_and_511() {
        let plain = config(ClientHelloPadding::None);
        let padded = config(ClientHelloPadding::To512WhenBetween256And511);
        for name_len in [1, 60, 100, 200, 250, 300, 400] {
            let unpadded = encoded_len(&plain, &params(name_len));
            let len = encoded_len(&padded, &params(name_len));
            match unpadded {
                0..=255 => assert_eq!(len, unpadded, "{unpadded}"),
                256..=508 => assert_eq!(len, 512, "{unpadded}"),
                509..=511 => assert_eq!(len, unpadded + 4, "{unpadded}"),
                _ => assert_eq!(len, unpadded, "{unpadded}"),
            }
        }
    }

    #[test]
    fn test_emit_padding_near_512() {
        let plain = config(ClientHelloPadding::None);
        let padded = config(ClientHelloPadding::To512WhenBetween256And511);
        // Find server names that bring the unpadded hello to 508..=511 bytes.
        let base = encoded_len(&plain, &params(1));
        for target in 508..=511 {
            let p = params(1 + target - base);
            assert_eq!(encoded_len(&plain, &p), target);
            let len = encoded_len(&padded, &p);
            assert!(len >= 512, "{target} -> {len}");
        }
    }

    #[test]
    fn test_emit_pre_shared_key_stays_last() {
        let mut config = config(ClientHelloPadding::None);
        // An order that names pre_shared_key first must not move it.
        config.extension_order = Some(vec![ExtensionType::PreSharedKey, ExtensionType::ServerName]);
        let psk = OfferedPsk {
            identity: PskIdentity {
                identity: vec![9; 8],
                obfuscated_ticket_age: 0,
            },
            secret: Secret::new(&[3; 32]),
            kind: PskKind::External,
            cipher_suite: CipherSuite::TLS_AES_128_GCM_SHA256,
            max_early_data_size: None,
            alpn: None,
            ticket: None,
        };
        let hello = build_client_hello(&config, &params(5), &[psk]).unwrap();
        let types: Vec<ExtensionType> = hello
            .extensions
            .iter()
            .map(|e| e.extension_type())
            .collect();
        assert_eq!(types.first(), Some(&ExtensionType::ServerName));
        assert_eq!(types.last(), Some(&ExtensionType::PreSharedKey));
    }
}
