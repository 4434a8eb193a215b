//! Both engines, in memory, replay every RFC 8448 trace: each record either side sends is
//! the RFC's, byte for byte; every secret and traffic key either side reports is the
//! RFC's; every replayed random value is drawn; nothing is left to send at the end.
//!
//! The handshakes are [`Rfc8448Handshake`]s (the RFC's configurations and randomness, the
//! trace's application data as a script), stepped flight by flight through the
//! [`lucid_tls::pair`] API.

use lucid_tls::pair::Side;
use lucid_tls::rfc8448::expected;
use lucid_tls::rfc8448::{Rfc8448Handshake, TraceName};
use lucid_tls::trace::TraceEvent;

/// Runs trace `name`; returns (records compared, secret and key values compared).
fn run(name: TraceName) -> (usize, usize) {
    let mut rfc = Rfc8448Handshake::new(name).unwrap();
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
