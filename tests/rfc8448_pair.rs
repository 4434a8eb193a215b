//! Both engines, in memory, replay every RFC 8448 trace: each record either side sends is
//! the RFC's, byte for byte; every secret and traffic key either side reports is the
//! RFC's; every replayed random value is drawn; nothing is left to send at the end.
//!
//! The handshakes are [`Rfc8448Handshake`]s (the RFC's configurations and randomness, the
//! trace's application data as a script), stepped flight by flight through the
//! [`lucid_tls::pair`] API. Pacing (one expensive crypto step per call) changes no byte.

use lucid_tls::pair::Side;
use lucid_tls::rfc8448::expected;
use lucid_tls::rfc8448::{Rfc8448Handshake, TraceName};
use lucid_tls::trace::TraceEvent;

/// Runs trace `name`; returns (records compared, secret and key values compared).
fn run(name: TraceName) -> (usize, usize) {
    run_paced(name, false)
}

/// [`run`], with both connections paced or not (`lucid_tls::connection::pacing`).
fn run_paced(name: TraceName, paced: bool) -> (usize, usize) {
    let mut rfc = Rfc8448Handshake::new(name).unwrap();
    rfc.pair.client.set_pacing(paced);
    rfc.pair.server.set_pacing(paced);
    let flights = rfc.run().unwrap();
    let (mut records, mut values) = (0, 0);
    for (i, f) in flights.iter().enumerate() {
        for check in &f.records {
            assert!(check.matches(), "{name:?} flight {i}: {check:?}");
            records += 1;
        }
        assert_eq!(f.flight.result, Ok(()), "{name:?} flight {i}");
        for (side, event) in &f.flight.trace {
            match event {
                TraceEvent::SecretDerived { label, secret } => {
                    if let Some(rfc_value) = expected::secret(&rfc.trace, *label) {
                        assert_eq!(secret.as_bytes(), rfc_value, "{name:?} {side:?} {label:?}");
                        values += 1;
                    }
                }
                TraceEvent::KeyInstalled {
                    direction,
                    epoch,
                    key,
                    iv,
                    ..
                } => {
                    let printed = expected::installed_key(&rfc.trace, *side, *direction, *epoch);
                    if let Some((rfc_key, rfc_iv)) = printed {
                        let what = format!("{name:?} {side:?} {direction:?} {epoch:?}");
                        assert_eq!(key.as_bytes(), rfc_key, "{what}");
                        assert_eq!(&iv[..], rfc_iv, "{what}");
                        values += 2;
                    }
                }
                _ => {}
            }
        }
    }
    assert!(!rfc.pair.has_output(Side::Client) && !rfc.pair.has_output(Side::Server));
    assert!(rfc.client_rng.remaining_names().is_empty(), "{name:?}");
    assert!(rfc.server_rng.remaining_names().is_empty(), "{name:?}");
    (records, values)
}

#[test]
fn rfc8448_simple_in_memory() {
    // 9 records; 24 secrets (12 per side) and 16 key/IV values (4 keys per side).
    assert_eq!(run(TraceName::Simple), (9, 24 + 16));
}

#[test]
fn rfc8448_resumed_in_memory() {
    assert_eq!(run(TraceName::Resumed), (10, 50));
}

#[test]
fn rfc8448_hrr_in_memory() {
    assert_eq!(run(TraceName::Hrr), (8, 38));
}

#[test]
fn rfc8448_client_auth_in_memory() {
    assert_eq!(run(TraceName::ClientAuth), (6, 38));
}

#[test]
fn rfc8448_compat_in_memory() {
    assert_eq!(run(TraceName::Compat), (8, 38));
}

#[test]
fn rfc8448_every_trace_paced_in_memory() {
    // Both sides stop after each expensive step (the pair takes the steps one call each):
    // the same records, byte for byte, and the same secrets.
    for name in TraceName::ALL {
        assert_eq!(run_paced(name, true), run(name), "{name:?}");
    }
}

#[test]
fn rfc8448_simple_paced_stops_after_each_expensive_step() {
    let mut rfc = Rfc8448Handshake::new(TraceName::Simple).unwrap();
    let now = rfc.pair.now;
    let (client, server) = (&mut rfc.pair.client, &mut rfc.pair.server);
    client.set_pacing(true);
    server.set_pacing(true);
    let hello = client.take_output();

    // The server: its key exchange in one call, its CertificateVerify signature in the
    // next, on the deferred signature's path (still NEGOTIATED in between).
    assert_eq!(server.feed(now, &hello).unwrap(), hello.len());
    assert!(server.has_paced_step());
    assert_eq!(server.state_name(), "NEGOTIATED");
    server.take_paced_step(now).unwrap();
    assert_eq!(server.state_name(), "WAIT_FLIGHT2");
    server.take_paced_step(now).unwrap();
    assert!(!server.has_paced_step());
    let flight = server.take_output();

    // The client, offered the whole flight: the key exchange (ServerHello), the chain
    // validation (Certificate), the CertificateVerify check, each in a call of its own. The
    // connection takes one record at a time, so the bytes after the ServerHello's record
    // wait for the next feed, after the paced key exchange.
    let mut rest = &flight[..];
    let mut states = Vec::new();
    while !rest.is_empty() || client.has_paced_step() {
        if client.has_paced_step() {
            client.take_paced_step(now).unwrap();
        } else {
            let taken = client.feed(now, rest).unwrap();
            rest = &rest[taken..];
        }
        states.push(client.state_name());
    }
    assert_eq!(
        states,
        [
            "WAIT_EE",
            "WAIT_EE",
            "WAIT_CV",
            "WAIT_FINISHED",
            "CONNECTED"
        ],
        "the client's state after each call"
    );
    assert!(!client.is_handshaking());
}
