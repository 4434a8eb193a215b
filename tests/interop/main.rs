//! Interop: lucid-tls against implementations nobody here wrote, as real processes on
//! loopback (OpenSSL's s_server and s_client, GnuTLS's gnutls-serv and gnutls-cli, curl)
//! and rustls in-process.
//!
//! lucid-tls plays its part through the examples (`examples/server`, `examples/client`),
//! built by the cargo that runs this test, and through the library's blocking
//! [`lucid_tls::stream`] where a program's flags do not reach (1 MiB each way as a client).
//!
//! | file             | what                                                         |
//! |------------------|--------------------------------------------------------------|
//! | `harness.rs`     | processes with deadlines, free ports, the examples           |
//! | `pki.rs`         | the test PKI (CA; ECDSA, RSA, Ed25519 servers; a client)     |
//! | `results.rs`     | the results file behind `docs/interop.md`                    |
//! | `rustls_peer.rs` | rustls server and client, in threads                         |
//! | `client_side.rs` | lucid-tls as the client: against s_server, gnutls-serv, rustls |
//! | `server_side.rs` | lucid-tls as the server: against s_client, gnutls-cli, curl, rustls |
//! | `server_side/peer_clients.rs` | how each peer client fetches the server's page, and the checks on it |
//! | `raw_public_keys.rs` | raw public keys (RFC 7250) both ways against gnutls-serv and gnutls-cli |
//! | `post_quantum.rs` | X25519MLKEM768 against Node.js 26's OpenSSL 3.5 both ways; fallback vs OpenSSL 3.0 |
//!
//! Coverage, in both directions: every suite × X25519/P-256 × ECDSA P-256/RSA-PSS/Ed25519
//! certificates; HelloRetryRequest forced; mTLS required, with and without a certificate;
//! ticket resumption; 0-RTT (OpenSSL, rustls); KeyUpdate both ways (OpenSSL); ALPN;
//! 1 MiB each way; SSLKEYLOGFILE against OpenSSL's key log.
//!
//! In CI (`CI` set, as CI services do) a missing peer program fails its test; elsewhere the test says loudly
//! that it skipped, and records `skipped` in the results.

mod client_side;
mod harness;
mod pki;
mod post_quantum;
mod raw_public_keys;
mod results;
mod rustls_peer;
mod server_side;

use pki::CertKind;

/// The TLS 1.3 suites, by their RFC names.
pub const SUITES: [&str; 3] = [
    "TLS_AES_128_GCM_SHA256",
    "TLS_AES_256_GCM_SHA384",
    "TLS_CHACHA20_POLY1305_SHA256",
];

/// The groups, by their RFC names.
pub const GROUPS: [&str; 2] = ["x25519", "secp256r1"];

/// Every (suite, group, certificate) of the handshake matrix.
pub fn matrix() -> Vec<(&'static str, &'static str, CertKind)> {
    let mut all = Vec::new();
    for cert in CertKind::ALL {
        for suite in SUITES {
            for group in GROUPS {
                all.push((suite, group, cert));
            }
        }
    }
    all
}

/// The results' names of every matrix cell.
pub fn matrix_cases() -> Vec<String> {
    matrix()
        .into_iter()
        .map(|(suite, group, cert)| matrix_case(suite, group, cert))
        .collect()
}

/// The results' name of one matrix cell.
pub fn matrix_case(suite: &str, group: &str, cert: CertKind) -> String {
    format!("handshake {suite} {group} {}", cert.name())
}

/// OpenSSL's name of a group.
pub fn openssl_group(group: &str) -> &'static str {
    match group {
        "x25519" => "X25519",
        _ => "P-256",
    }
}

/// GnuTLS's priority item of a suite's cipher.
pub fn gnutls_cipher(suite: &str) -> &'static str {
    match suite {
        "TLS_AES_128_GCM_SHA256" => "AES-128-GCM",
        "TLS_AES_256_GCM_SHA384" => "AES-256-GCM",
        _ => "CHACHA20-POLY1305",
    }
}

/// GnuTLS's priority item of a group.
pub fn gnutls_group(group: &str) -> &'static str {
    match group {
        "x25519" => "GROUP-X25519",
        _ => "GROUP-SECP256R1",
    }
}

/// The names of the feature cases, shared by the client and server sides.
pub mod case {
    pub const HRR: &str = "HelloRetryRequest (peer's key share refused)";
    pub const MTLS: &str = "mTLS required: certificate sent";
    pub const MTLS_REFUSED: &str = "mTLS required: no certificate, refused";
    pub const RESUMPTION: &str = "ticket resumption";
    pub const EARLY_DATA: &str = "0-RTT accepted";
    pub const KEY_UPDATE_OURS: &str = "KeyUpdate from lucid-tls, answered";
    pub const KEY_UPDATE_PEERS: &str = "KeyUpdate from the peer, answered";
    pub const ONE_RECORD: &str = "the 200 page comes in a single record";
    pub const ALPN: &str = "ALPN";
    pub const ALPN_MISMATCH: &str = "ALPN: nothing in common, no_application_protocol";
    pub const MIB: &str = "1 MiB each way";
    pub const MIB_UPLOAD: &str = "1 MiB upload (POST)";
    pub const KEYLOG: &str = "SSLKEYLOGFILE lines match the peer's key log";
    pub const EXTERNAL_PSK: &str = "external PSK";
    pub const RAW_PUBLIC_KEY: &str = "raw public key (RFC 7250): the server's key pinned";
    pub const RAW_PUBLIC_KEY_MUTUAL: &str = "raw public keys both ways (client key required)";
    pub const RAW_PUBLIC_KEY_UNPINNED: &str = "raw public key not pinned: certificate_unknown";
    pub const GARBAGE: &str = "not TLS: alert, one log line, next connection served";
}
