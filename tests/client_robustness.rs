//! The client never panics on what a server sends: every byte of RFC 8448 §3's server
//! flight is altered in turn (in the clear ServerHello, in the sealed record, and inside
//! the flight's plaintext, sealed again so the alteration reaches the parsers), and random
//! bytes are fed as well. Each run must end in a clean result; a failure must leave the
//! error sticky and an alert to send (unless the error was the peer's own alert).

mod common;

use common::check::first_server_flight;
use common::nss::simple_client;
use common::reseal::{flight_messages, sealed_flight};
use common::setup::SeededRng;
use common::vectors::{self, Trace};
use lucid_tls::crypto::Rng;
use lucid_tls::time::Time;

const NOW: Time = Time::from_unix_secs(1_748_736_000);

/// Feeds `bytes` to a fresh §3 client; checks what a failure leaves behind.
fn feed(trace: &Trace, bytes: &[u8]) {
    let (mut client, _) = simple_client(trace, NOW);
    client.take_output();
    match client.feed(NOW, bytes) {
        Ok(n) => assert_eq!(n, bytes.len()),
        Err(err) => {
            assert_eq!(client.error(), Some(err));
            assert_eq!(client.feed(NOW, b"more"), Err(err));
            if err.alert().is_some() {
                assert!(client.has_output(), "{err:?} must send its alert");
            }
        }
    }
}

#[test]
fn every_altered_byte_of_the_server_flight() {
    let trace = vectors::load("simple");
    let flight = first_server_flight(&trace);
    for i in 0..flight.len() {
        for mask in [0x01, 0x80] {
            let mut altered = flight.clone();
            altered[i] ^= mask;
            feed(&trace, &altered);
        }
    }
}

#[test]
fn every_altered_byte_inside_the_sealed_flight() {
    let trace = vectors::load("simple");
    let plaintext = flight_messages(&trace).concat();
    for i in 0..plaintext.len() {
        for mask in [0x01, 0xff] {
            let mut altered = plaintext.clone();
            altered[i] ^= mask;
            feed(&trace, &sealed_flight(&trace, &altered));
        }
    }
    // Every truncation of the plaintext, too.
    for len in 1..plaintext.len() {
        feed(&trace, &sealed_flight(&trace, &plaintext[..len]));
    }
}

#[test]
fn random_bytes() {
    let trace = vectors::load("simple");
    let mut rng = SeededRng::new(99);
    for _ in 0..500 {
        let len = rng.below(300);
        let mut bytes = vec![0u8; len];
        rng.fill(&mut bytes).unwrap();
        // Half of the runs get a plausible record header, to get past the deframer.
        if len > 5 && rng.below(2) == 0 {
            bytes[0] = [20, 21, 22, 23][rng.below(4)];
            bytes[1..3].copy_from_slice(&[3, 3]);
            bytes[3..5].copy_from_slice(&((len - 5) as u16).to_be_bytes());
        }
        feed(&trace, &bytes);
    }
}
