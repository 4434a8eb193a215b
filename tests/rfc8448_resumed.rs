//! RFC 8448 §4, "Resumed 0-RTT Handshake", replayed through the client engine, with the
//! ticket the same engine received in §3.
//!
//! The client resumes with §3's NewSessionTicket (psk_dhe_ke, its binder over the partial
//! ClientHello, padded to 512 bytes like NSS's), sends 0-RTT data under the early traffic
//! key, learns from EncryptedExtensions that the server accepted it, and sends
//! EndOfEarlyData before its Finished. Every client record must equal the RFC's.

mod common;

#[allow(unused_imports)]
use common::server_replay::*;

use std::sync::Arc;

use common::check::{check_client_keys, check_secrets, record, traced_secret, value};
use common::client_replay::{APP, HS, Step, replay_client};
use common::nss::{hello_rng, nss_client_config, simple_client};
use common::vectors;
use lucid_tls::client::{ClientConnection, Ticket};
use lucid_tls::connection::Event;
use lucid_tls::key_schedule::{PskKind, SecretLabel};
use lucid_tls::time::Time;
use lucid_tls::trace::TraceEvent;
use lucid_tls::wire::client_hello::ClientHello;
use lucid_tls::wire::extensions::Extension;

/// When §3 ran.
const SIMPLE_NOW: Time = Time::from_unix_secs(1_748_736_000);

/// §3's ticket, received by the client engine from the RFC's NewSessionTicket record.
fn simple_ticket() -> Ticket {
    let simple = vectors::load("simple");
    let (mut client, _) = simple_client(&simple, SIMPLE_NOW);
    let flight = [
        record(&simple, "server", "send handshake record", 0),
        record(&simple, "server", "send handshake record", 1),
        record(&simple, "server", "send handshake record", 2),
    ]
    .concat();
    client.feed(SIMPLE_NOW, &flight).unwrap();
    std::iter::from_fn(|| client.poll_event())
        .find_map(|e| match e {
            Event::NewSessionTicket(ticket) => Some(ticket),
            _ => None,
        })
        .expect("§3 delivers a ticket")
}

/// The ticket age §4's ClientHello reports, in milliseconds, so that resuming that long
/// after §3 reproduces its obfuscated_ticket_age.
fn resumption_time(ticket: &Ticket) -> Time {
    let resumed = vectors::load("resumed");
    // The RFC's "construct a ClientHello" stops before the binders; the record has it all.
    let hello = resumed
        .block("client", "send handshake record")
        .get("payload");
    let hello = ClientHello::decode(&hello[4..]).unwrap();
    let Some(Extension::PreSharedKeyClientHello(offered)) = hello.extensions.last() else {
        panic!("§4's ClientHello offers a PSK")
    };
    let age = offered.identities[0]
        .obfuscated_ticket_age
        .wrapping_sub(ticket.ticket_age_add);
    ticket.received_at.plus_millis(u64::from(age))
}

fn run_client(piece: usize) -> (ClientConnection, Vec<Event>, Vec<TraceEvent>) {
    let trace = vectors::load("resumed");
    let ticket = simple_ticket();
    let now = resumption_time(&ticket);
    let rng = hello_rng(&trace);
    // §4 has no certificate: the config trusts §3's, as the original connection did.
    let mut config = nss_client_config(&vectors::load("simple"), false);
    config.enable_early_data = true;
    let client =
        ClientConnection::resume(Arc::new(config), Some("server"), ticket, Box::new(rng), now)
            .unwrap();
    let mut may_write_early = |c: &mut ClientConnection| assert!(c.can_write_early_data());
    let mut may_not_write_early = |c: &mut ClientConnection| assert!(!c.can_write_early_data());
    let steps = vec![
        Step::Sends(&[(HS, 0)]),
        // 0-RTT data, right behind the ClientHello.
        Step::Then(&mut may_write_early),
        Step::WritesEarly(0),
        Step::Sends(&[(APP, 0)]),
        Step::Receives(&[(HS, 0), (HS, 1)]),
        Step::State("CONNECTED"),
        Step::Then(&mut may_not_write_early),
        // EndOfEarlyData under the early key, then Finished under the handshake key.
        Step::Sends(&[(HS, 1), (HS, 2)]),
        Step::Writes(1),
        Step::Sends(&[(APP, 1)]),
        Step::Receives(&[(APP, 0)]),
    ];
    let replayed = replay_client(&trace, client, now, piece, steps);
    (replayed.client, replayed.events, replayed.traces)
}

#[test]
fn client_resumes_rfc8448_with_early_data() {
    let (client, events, _) = run_client(usize::MAX);
    let negotiated = client.negotiated().unwrap();
    assert_eq!(negotiated.psk, Some(PskKind::Resumption));
    assert!(negotiated.early_data_accepted);
    // §4 has no Certificate: the chain reported is §3's, carried in §3's ticket.
    assert_eq!(
        negotiated.peer_certificates,
        simple_ticket().server_certificates
    );
    assert_eq!(negotiated.peer_certificates.len(), 1);
    assert!(negotiated.signature_scheme.is_none());
    assert!(matches!(events.first(), Some(Event::EarlyDataAccepted)));
    assert!(matches!(events.get(1), Some(Event::HandshakeComplete(_))));
}

#[test]
fn client_resumes_rfc8448_one_byte_at_a_time() {
    let (client, _, _) = run_client(1);
    assert!(client.negotiated().unwrap().early_data_accepted);
}

#[test]
fn client_reports_every_rfc8448_resumed_secret_and_key() {
    let trace = vectors::load("resumed");
    let (_, _, traces) = run_client(usize::MAX);
    assert_eq!(check_secrets(&trace, &traces), 12);
    assert_eq!(check_client_keys(&trace, &traces), 5);
    let early = traced_secret(&traces, SecretLabel::EarlySecret);
    assert_eq!(
        early.as_deref(),
        Some(value(&trace, "extract secret \"early\"", "secret"))
    );
    // The binder key is the PRK of the RFC's binder computation.
    let binder_key = traced_secret(&traces, SecretLabel::ResumptionBinderKey);
    assert_eq!(
        binder_key.as_deref(),
        Some(value(&trace, "calculate PSK binder", "PRK"))
    );
}

// ----- Server role ---------------------------------------------------------------------------

#[test]
fn rfc8448_resumed_0rtt_server() {
    // §4 resumes with the ticket §3's server issued: the §4 server shares §3's ticket store
    // and runs as much later as the §4 ClientHello's ticket age says.
    for split in [usize::MAX, 1] {
        let (mut server, rng, resumed, now) = rfc_server(TraceName::Resumed);
        let events = replay(&resumed, &mut server, now, split);
        assert_eq!(rng.remaining(), 0);
        let early = resumed
            .block("client", "send application_data")
            .get("payload");
        assert!(
            events
                .iter()
                .any(|e| matches!(e, Event::EarlyData(d) if d == early))
        );
        let negotiated = handshake_complete(&events);
        assert!(negotiated.early_data_accepted);
        assert_eq!(negotiated.psk, Some(PskKind::Resumption));
        if split == usize::MAX {
            let traces = traces(&mut server);
            assert_eq!(
                check_server_secrets(&resumed, &traces),
                11 + 10,
                "with the 0-RTT read key"
            );
            for label in [SecretLabel::ClientEarlyTraffic, SecretLabel::EarlyExporter] {
                let rfc_value = expected::secret(&resumed, label).unwrap();
                assert!(traces.iter().any(|t| matches!(t,
                    TraceEvent::SecretDerived { label: l, secret } if *l == label && secret.as_bytes() == rfc_value)));
            }
        }
    }
}
