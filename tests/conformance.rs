//! RFC 9846's receiver-side MUSTs, each with a test that asserts the exact alert on the
//! wire and a sticky error (`conformance/*_rules.rs`, `conformance/alerts.rs`), and the
//! check that every test `docs/conformance.md` names exists (`conformance/table.rs`).

mod common;

#[path = "conformance/alerts.rs"]
mod alerts;
#[path = "conformance/client_rules.rs"]
mod client_rules;
#[path = "conformance/harness.rs"]
mod harness;
#[path = "conformance/raw_public_keys.rs"]
mod raw_public_keys;
#[path = "conformance/server_rules.rs"]
mod server_rules;
#[path = "conformance/table.rs"]
mod table;
