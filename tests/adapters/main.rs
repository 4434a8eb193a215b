//! The adapters against real peers: the blocking std stream (owned and borrowed), the
//! tokio adapter, and the embedded-io and embedded-io-async adapters
//! (`lucid_tls::stream`, `lucid_tls::adapters`).
//!
//! | module          | what                                                              | peers |
//! |-----------------|-------------------------------------------------------------------|-------|
//! | `std_stream`    | nothing lost on `WouldBlock`, `Interrupted`, short writes (seeded); sticky TLS error; EOF; close_notify; a bounded ticket store | rustls, lucid-tls |
//! | `tokio_adapter` | 200 concurrent handshakes and echo; deferred decisions; timeout; 1,000 stalled clients | our client, openssl s_client, curl |
//! | `tokio_one_record` | one poll of a handshake does at most one expensive crypto operation, in both roles and with mutual TLS: records one per read, a server flight coalesced in one record and one read (`server_in_memory`), deferred decisions answered inline | lucid-tls (tokio and sans-IO) |
//! | `embedded`      | blocking and async embedded-io clients; a blocking embedded-io server | rustls, openssl s_client |
//!
//! In CI (`CI` set) a missing peer program fails its test; elsewhere it is skipped, loudly.

#[allow(dead_code)]
#[path = "../interop/harness.rs"]
mod harness;
#[allow(dead_code)]
#[path = "../common/later.rs"]
mod later;
#[path = "../common/observed_provider.rs"]
mod observed_provider;

mod embedded;
mod pki;
mod rustls_peer;
mod server_in_memory;
mod std_stream;
mod tokio_adapter;
mod tokio_one_record;
