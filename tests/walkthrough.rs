//! `cargo run --example walkthrough`, run as a test: for every RFC 8448 trace the
//! walkthrough reports every value equal to the RFC, the in-memory handshake matches the
//! RFC flight by flight, and its key log has the NSS lines for the trace's client random.

#[allow(dead_code)]
#[path = "../examples/walkthrough/main.rs"]
mod walkthrough;

use lucid_tls::keylog::KeyLogFile;
use lucid_tls::rfc8448::{Rfc8448Handshake, TraceName, expected, vectors};
use walkthrough::Options;

#[test]
fn walkthrough_matches_rfc8448_for_every_trace() {
    for trace in TraceName::ALL {
        let (text, all_equal) = walkthrough::walkthrough(Options::trace(trace)).unwrap();
        // Every value of every trace is equal to the RFC's, and the handshake completes in
        // memory with every flight matching.
        assert!(all_equal, "{trace:?}: the walkthrough found a difference");
        let flights = Rfc8448Handshake::new(trace).unwrap().run().unwrap();
        assert!(!flights.is_empty(), "{trace:?}");
        assert!(
            flights.iter().all(|f| f.all_match()),
            "{trace:?}: a flight differs from the RFC"
        );
        let verdict = text.lines().last().unwrap();
        assert!(verdict.ends_with("all equal ✓"), "{trace:?}: {verdict}");
        assert!(!text.contains("✗ differs"), "{trace:?}");
        assert!(!text.contains("✗ RFC 8448 has"), "{trace:?}");
        assert!(
            !text.contains("NOT everything matches RFC 8448"),
            "{trace:?}"
        );
        assert!(text.starts_with(&format!("RFC 8448 {}", trace.section())));
    }
}

#[test]
fn walkthrough_prints_every_rfc8448_simple_secret() {
    let (text, all_equal) = walkthrough::walkthrough(Options::trace(TraceName::Simple)).unwrap();
    assert!(all_equal);
    let simple = vectors::load("simple").unwrap();
    for label in expected::PRINTED_SECRETS {
        if let Some(value) = expected::secret(&simple, label) {
            let line = format!("{}  ✓ RFC 8448", lucid_tls::explain::hex(value));
            assert!(text.contains(&line), "{label:?}");
        }
    }
    assert_eq!(text.matches("━━ Flight").count(), 8);
}

#[test]
fn walkthrough_writes_the_nss_key_log() {
    let path = std::env::temp_dir().join(format!(
        "lucid-tls-walkthrough-keylog-{}.txt",
        std::process::id()
    ));
    let _ = std::fs::remove_file(&path);
    let file = KeyLogFile::append_to(&path).unwrap();
    let mut options = Options::trace(TraceName::Resumed);
    options.keylog = Some((file, "test".into()));
    let (_, all_equal) = walkthrough::walkthrough(options).unwrap();
    assert!(all_equal);
    let log = std::fs::read_to_string(&path).unwrap();
    let _ = std::fs::remove_file(&path);
    let resumed = vectors::load("resumed").unwrap();
    let hello = resumed
        .block("client", "construct a ClientHello")
        .get("ClientHello");
    let random = lucid_tls::explain::hex(&hello[6..38]);
    let labels: Vec<&str> = log
        .lines()
        .map(|line| {
            let fields: Vec<&str> = line.split(' ').collect();
            assert_eq!(fields[1], random, "keyed by §4's client random");
            fields[0]
        })
        .collect();
    assert_eq!(
        labels,
        [
            "CLIENT_EARLY_TRAFFIC_SECRET",
            "EARLY_EXPORTER_SECRET",
            "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
            "SERVER_HANDSHAKE_TRAFFIC_SECRET",
            "CLIENT_TRAFFIC_SECRET_0",
            "SERVER_TRAFFIC_SECRET_0",
            "EXPORTER_SECRET"
        ]
    );
    let early = expected::secret(
        &resumed,
        lucid_tls::key_schedule::SecretLabel::ClientEarlyTraffic,
    );
    assert!(log.contains(&lucid_tls::explain::hex(early.unwrap())));
}
