//! The client and server engines against each other, in memory, over the whole matrix:
//! every suite × key share group (X25519, P-256 and the hybrids X25519MLKEM768 and
//! SecP256r1MLKEM768) × (HelloRetryRequest forced or not) × (full handshake,
//! resumption, 0-RTT accepted, 0-RTT rejected, external PSK). Every run ends with
//! application data and a KeyUpdate each way and the same exported keying material on both
//! sides; input is cut into random pieces.
//!
//! A HelloRetryRequest always rejects 0-RTT (RFC 9846 §4.3.10: "A client MUST NOT include
//! the "early_data" extension in its followup ClientHello"), so "0-RTT accepted" with a
//! forced HelloRetryRequest expects the rejection.

mod common;

use common::setup::{
    client_config, connect, data, events, random_split, run as run_pair, saw_hello_retry,
    ticket_server, tickets,
};
use lucid_tls::client::{ClientConfig, ExternalPsk};
use lucid_tls::connection::Event;
use lucid_tls::crypto::Secret;
use lucid_tls::key_schedule::PskKind;
use lucid_tls::pair::Side;
use lucid_tls::server::ServerConfig;
use lucid_tls::wire::algorithms::{CipherSuite, NamedGroup};

const SUITES: [CipherSuite; 3] = [
    CipherSuite::TLS_AES_128_GCM_SHA256,
    CipherSuite::TLS_AES_256_GCM_SHA384,
    CipherSuite::TLS_CHACHA20_POLY1305_SHA256,
];
const GROUPS: [NamedGroup; 4] = [
    NamedGroup::X25519,
    NamedGroup::Secp256r1,
    NamedGroup::X25519MlKem768,
    NamedGroup::SecP256r1MlKem768,
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Full,
    Resumption,
    EarlyDataAccepted,
    EarlyDataRejected,
    ExternalPsk,
}

const MODES: [Mode; 5] = [
    Mode::Full,
    Mode::Resumption,
    Mode::EarlyDataAccepted,
    Mode::EarlyDataRejected,
    Mode::ExternalPsk,
];

/// One cell of the matrix.
#[derive(Clone, Copy, Debug)]
struct Case {
    suite: CipherSuite,
    group: NamedGroup,
    retry: bool,
    mode: Mode,
}

impl Case {
    /// The client: one suite; a share for `group`, or, to force a HelloRetryRequest, a
    /// share for the other group (X25519, or P-256 when `group` is X25519) while `group`
    /// is still supported.
    fn client(&self) -> ClientConfig {
        let mut config = client_config();
        config.cipher_suites = vec![self.suite];
        let other = if self.group == NamedGroup::X25519 {
            NamedGroup::Secp256r1
        } else {
            NamedGroup::X25519
        };
        config.key_share_groups = vec![if self.retry { other } else { self.group }];
        config.supported_groups = vec![
            config.key_share_groups[0],
            if self.retry { self.group } else { other },
        ];
        config.enable_early_data =
            matches!(self.mode, Mode::EarlyDataAccepted | Mode::EarlyDataRejected);
        if self.mode == Mode::ExternalPsk {
            config.external_psks = vec![ExternalPsk {
                identity: b"matrix".to_vec(),
                secret: Secret::new(&[0x33; 32]),
                cipher_suite: self.suite,
            }];
        }
        config
    }

    /// The server: only `group` for key exchange, tickets allowing 0-RTT, the external PSK.
    fn server(&self) -> ServerConfig {
        let mut config = ticket_server(1, 4096);
        config.key_share_groups = vec![self.group];
        if self.mode == Mode::ExternalPsk {
            config.external_psks = vec![lucid_tls::server::ExternalPsk {
                identity: b"matrix".to_vec(),
                secret: Secret::new(&[0x33; 32]),
                cipher_suite: self.suite,
            }];
        }
        config
    }

    fn seed(&self) -> u64 {
        let suite = u64::from(self.suite.to_u16());
        suite * 1000 + u64::from(self.group.to_u16()) * 10 + u64::from(self.retry)
    }
}

fn run(case: Case) {
    let server = case.server();
    // Resumption and 0-RTT need a ticket from a first, full handshake (without retry).
    let ticket = match case.mode {
        Mode::Resumption | Mode::EarlyDataAccepted | Mode::EarlyDataRejected => {
            let mut first = Case {
                retry: false,
                ..case
            }
            .client();
            first.enable_early_data = false;
            let mut pair = connect(first, server.clone(), None, case.seed() + 1);
            let flights = run_pair(&mut pair);
            tickets(&events(&flights, Side::Client)).into_iter().next()
        }
        Mode::Full | Mode::ExternalPsk => None,
    };
    if let (Mode::EarlyDataRejected, Some(ticket)) = (case.mode, &ticket) {
        // Spend the single-use ticket once, so that the run below is a replay.
        let mut spend = connect(
            case.client(),
            server.clone(),
            Some(ticket.clone()),
            case.seed() + 2,
        );
        run_pair(&mut spend);
    }
    let mut pair =
        connect(case.client(), server, ticket, case.seed()).with_split(random_split(case.seed()));
    let early = matches!(case.mode, Mode::EarlyDataAccepted | Mode::EarlyDataRejected);
    if early {
        pair.client.write_early_data(b"zero round trips").unwrap();
    }
    let flights = run_pair(&mut pair);
    assert_eq!(saw_hello_retry(&flights), case.retry, "{case:?}");

    let negotiated = pair.client.negotiated().unwrap().clone();
    assert_eq!(negotiated.cipher_suite, case.suite, "{case:?}");
    assert_eq!(negotiated.key_exchange_group, Some(case.group), "{case:?}");
    let expected_psk = match case.mode {
        Mode::Full => None,
        Mode::ExternalPsk => Some(PskKind::External),
        Mode::Resumption | Mode::EarlyDataAccepted => Some(PskKind::Resumption),
        // The replayed single-use ticket is refused: a full handshake.
        Mode::EarlyDataRejected => None,
    };
    assert_eq!(negotiated.psk, expected_psk, "{case:?}");
    let accepted = case.mode == Mode::EarlyDataAccepted && !case.retry;
    assert_eq!(negotiated.early_data_accepted, accepted, "{case:?}");
    let client_events = events(&flights, Side::Client);
    let server_events = events(&flights, Side::Server);
    if early {
        let told = client_events.iter().any(|e| match e {
            Event::EarlyDataAccepted => accepted,
            Event::EarlyDataRejected => !accepted,
            _ => false,
        });
        assert!(told, "{case:?}");
        let expected: &[u8] = if accepted { b"zero round trips" } else { b"" };
        assert_eq!(data(&server_events), expected, "{case:?}");
    }

    // Application data and a KeyUpdate each way, then the exporters.
    pair.client.key_update(true).unwrap();
    pair.client.write(b"from the client").unwrap();
    let flights = run_pair(&mut pair);
    assert_eq!(
        data(&events(&flights, Side::Server)),
        b"from the client",
        "{case:?}"
    );
    pair.server.key_update(true).unwrap();
    pair.server.write(b"from the server").unwrap();
    let flights = run_pair(&mut pair);
    let client_events = events(&flights, Side::Client);
    assert_eq!(data(&client_events), b"from the server", "{case:?}");
    let updates = client_events
        .iter()
        .filter(|e| matches!(e, Event::KeyUpdated { .. }))
        .count();
    assert!(
        updates >= 2,
        "{case:?}: the client took the server's update and answered it"
    );
    let mut client_out = [0u8; 32];
    let mut server_out = [0u8; 32];
    pair.client
        .export_keying_material(b"EXPORTER-matrix", Some(b"c"), &mut client_out)
        .unwrap();
    pair.server
        .export_keying_material(b"EXPORTER-matrix", Some(b"c"), &mut server_out)
        .unwrap();
    assert_eq!(client_out, server_out, "{case:?}");
}

#[test]
fn every_suite_group_retry_and_mode() {
    let mut runs = 0;
    for suite in SUITES {
        for group in GROUPS {
            for retry in [false, true] {
                for mode in MODES {
                    run(Case {
                        suite,
                        group,
                        retry,
                        mode,
                    });
                    runs += 1;
                }
            }
        }
    }
    assert_eq!(runs, 120);
}

/// A ticket that allowed 0-RTT, brought back to a server that no longer accepts early data:
/// the server rejects it, skips the 0-RTT records and completes in 1-RTT (RFC 9846 §4.3.10,
/// "Ignore the extension and return a regular 1-RTT response. The server then skips past
/// early data by attempting to deprotect received records using the handshake traffic key,
/// discarding records which fail deprotection (up to the configured max_early_data_size)").
/// A server that still reads the ticket skips what the ticket allowed (here more than one
/// record); one that cannot read it any more (tickets turned off) falls back to a full
/// handshake and skips up to 2^14 bytes.
#[test]
fn early_data_from_an_older_ticket_is_skipped() {
    let mut client = client_config();
    client.enable_early_data = true;
    let issuing = ticket_server(1, 40_000);
    let mut first = connect(client.clone(), issuing.clone(), None, 11);
    let flights = run_pair(&mut first);
    let ticket = tickets(&events(&flights, Side::Client)).remove(0);
    assert_eq!(ticket.max_early_data_size, Some(40_000));

    let mut no_early_data = issuing.clone();
    no_early_data.early_data = None;
    let mut no_tickets = no_early_data.clone();
    no_tickets.tickets = None;
    for (server, early_data, resumed) in
        [(no_early_data, 30_000, true), (no_tickets, 16_000, false)]
    {
        let mut pair =
            connect(client.clone(), server, Some(ticket.clone()), 12).with_split(random_split(13));
        pair.client
            .write_early_data(&vec![0x61; early_data])
            .unwrap();
        let flights = run_pair(&mut pair);
        let negotiated = pair.client.negotiated().unwrap().clone();
        assert!(!negotiated.early_data_accepted);
        assert_eq!(negotiated.psk.is_some(), resumed);
        assert!(
            events(&flights, Side::Client)
                .iter()
                .any(|e| matches!(e, Event::EarlyDataRejected))
        );
        assert!(data(&events(&flights, Side::Server)).is_empty());
        pair.client.write(b"after the skip").unwrap();
        let flights = run_pair(&mut pair);
        assert_eq!(data(&events(&flights, Side::Server)), b"after the skip");
    }
}
