//! The RFC 8448 (NSS) client configuration, from the library's
//! [`lucid_tls::rfc8448::nss`], with panics instead of errors for test brevity.

use lucid_tls::client::{ClientConfig, ClientConnection};
use lucid_tls::rfc8448::nss;
use lucid_tls::time::Time;

use super::replay_rng::ReplayRng;
use super::vectors::Trace;

/// The end-entity certificate (DER) of the trace's server Certificate message.
pub fn server_certificate(trace: &Trace) -> Vec<u8> {
    nss::server_certificate(trace).unwrap()
}

/// NSS's client config for `trace`; `session_ticket` adds NSS's empty session_ticket
/// extension (sent in §3).
pub fn nss_client_config(trace: &Trace, session_ticket: bool) -> ClientConfig {
    nss::nss_client_config(trace, session_ticket).unwrap()
}

/// RFC 8448 §3's client: NSS's config, drawing the trace's random and X25519 key. Its
/// ClientHello is ready in `take_output`. Returns the RNG to check it was used up.
pub fn simple_client(trace: &Trace, now: Time) -> (ClientConnection, ReplayRng) {
    let rng = hello_rng(trace);
    let config = std::sync::Arc::new(nss_client_config(trace, true));
    let client = ClientConnection::new(config, Some("server"), Box::new(rng.clone()), now).unwrap();
    (client, rng)
}

/// A replay RNG with the trace's ClientHello.random and X25519 private key, the draws of
/// every RFC 8448 ClientHello outside compatibility mode.
pub fn hello_rng(trace: &Trace) -> ReplayRng {
    let hello = trace
        .block("client", "construct a ClientHello")
        .get("ClientHello");
    ReplayRng::new(&[
        ("ClientHello.random", &hello[6..38]),
        (
            "x25519 private key",
            trace
                .block("client", "create an ephemeral x25519")
                .get("private key"),
        ),
    ])
}
