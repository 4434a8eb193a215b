//! Raw public keys (RFC 7250) against GnuTLS, both roles: `gnutls-serv` and `gnutls-cli`
//! with `--rawpkfile`/`--rawpkkeyfile` and the priority items `+CTYPE-SRV-RAWPK` and
//! `+CTYPE-CLI-RAWPK`. lucid-tls plays its part through examples/client (`--pin-spki`,
//! `--rawpkfile`, `--rawpkkeyfile`) and examples/server (`--rawpkfile`, `--rawpkkeyfile`,
//! `--pin-client-spki`).
//!
//! Cases, each way: the server's raw key pinned by the client; raw keys both ways (the
//! client's pinned by lucid-tls's server, or required by gnutls-serv); a key that is not
//! pinned, refused by lucid-tls with certificate_unknown.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use rcgen::KeyPair;

use crate::case;
use crate::harness::{self, GET, OurServer, TIMEOUT, require};
use crate::pki::pki;
use crate::results::{Failures, Peer, ensure};

/// GnuTLS's priority string with raw public keys enabled for both sides.
const PRIORITY: &str = "NORMAL:+CTYPE-SRV-RAWPK:+CTYPE-CLI-RAWPK";

/// The raw key files of this run: a server key and a client key (ECDSA P-256), each as
/// `PUBLIC KEY` PEM and PKCS#8 `PRIVATE KEY` PEM, and a third key nobody pins.
struct RawKeys {
    server_public: PathBuf,
    server_private: PathBuf,
    client_public: PathBuf,
    client_private: PathBuf,
    stranger_public: PathBuf,
    stranger_private: PathBuf,
}

fn raw_keys() -> &'static RawKeys {
    static KEYS: OnceLock<RawKeys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let dir = &pki().dir;
        let write = |name: &str| {
            let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
            let (public, private) = (
                dir.join(format!("{name}.pub")),
                dir.join(format!("{name}.rawkey")),
            );
            std::fs::write(&public, key.public_key_pem()).unwrap();
            std::fs::write(&private, key.serialize_pem()).unwrap();
            (public, private)
        };
        let (server_public, server_private) = write("raw-server");
        let (client_public, client_private) = write("raw-client");
        let (stranger_public, stranger_private) = write("raw-stranger");
        RawKeys {
            server_public,
            server_private,
            client_public,
            client_private,
            stranger_public,
            stranger_private,
        }
    })
}

fn path(p: &std::path::Path) -> String {
    p.display().to_string()
}

/// examples/client to `127.0.0.1:port`, pinning `pin` as the server's raw key.
fn our_client(port: u16, pin: &std::path::Path, extra: &[&str]) -> harness::Run {
    let mut command = Command::new(harness::example("client"));
    command
        .args(["--connect", &format!("127.0.0.1:{port}")])
        .args(["--pin-spki", &path(pin)])
        .args(extra);
    harness::run(&mut command, b"", TIMEOUT)
}

/// gnutls-serv answering HTTP with the server's raw key; `extra` flags after.
fn gnutls_serv(extra: &[&str]) -> Option<(harness::Proc, u16)> {
    let gnutls = require("gnutls-serv")?;
    let keys = raw_keys();
    Some(harness::start_peer_server("listening", |port| {
        let mut c = Command::new(&gnutls);
        c.args(["-p", &port.to_string(), "--http", "--priority", PRIORITY])
            .args(["--rawpkfile", &path(&keys.server_public)])
            .args(["--rawpkkeyfile", &path(&keys.server_private)])
            .args(extra);
        c
    }))
}

#[test]
fn raw_public_keys_client_vs_gnutls() {
    let peer = Peer::GnutlsServer;
    let mut failures = Failures::default();
    let cases = [
        case::RAW_PUBLIC_KEY,
        case::RAW_PUBLIC_KEY_MUTUAL,
        case::RAW_PUBLIC_KEY_UNPINNED,
    ];
    let Some((server, port)) = gnutls_serv(&[]) else {
        return failures.skipped(peer, &cases);
    };
    let keys = raw_keys();
    let run = our_client(port, &keys.server_public, &[]);
    // Our summary line names the type (`Negotiated::server_certificate_type`).
    let result = ensure(
        run.success()
            && run.stdout_text.contains("Raw Public Key")
            && run
                .stderr_text
                .contains(" server-certificate-type=RawPublicKey"),
        || format!("{}\n{}", run.output_text(), server.output_text()),
    );
    failures.check(peer, case::RAW_PUBLIC_KEY, result);
    let run = our_client(port, &keys.stranger_public, &[]);
    let result = ensure(
        !run.success() && run.stderr_text.contains("certificate_unknown"),
        || format!("expected certificate_unknown\n{}", run.output_text()),
    );
    failures.check(peer, case::RAW_PUBLIC_KEY_UNPINNED, result);
    drop(server);

    let (server, port) = gnutls_serv(&["--require-client-cert"]).unwrap();
    let client = [
        "--rawpkfile",
        &path(&keys.client_public),
        "--rawpkkeyfile",
        &path(&keys.client_private),
    ];
    let run = our_client(port, &keys.server_public, &client);
    // gnutls-serv's page describes the session, the client's raw key included.
    let result = ensure(
        run.success()
            && run.stdout_text.contains("Raw Public Key")
            && run
                .stderr_text
                .contains(" client-certificate-type=RawPublicKey"),
        || format!("{}\n{}", run.output_text(), server.output_text()),
    )
    .and_then(|()| {
        ensure(
            server.output_text().contains("Got 1 Raw public-key"),
            || {
                format!(
                    "gnutls-serv saw no client raw key\n{}",
                    server.output_text()
                )
            },
        )
    });
    failures.check(peer, case::RAW_PUBLIC_KEY_MUTUAL, result);
    failures.assert_none();
}

/// gnutls-cli to our server with raw keys enabled, printing the server's key (`-V`).
fn gnutls_cli(port: u16, extra: &[&str]) -> Command {
    let mut c = Command::new("gnutls-cli");
    c.args(["127.0.0.1", "-p", &port.to_string(), "-V"])
        // A raw key has no chain to a CA: the check here is that the key gnutls-cli
        // printed is ours.
        .args(["--no-ca-verification", "--priority", PRIORITY])
        .args(extra);
    c
}

/// The base64 body of a PEM file, on one line.
fn pem_body(file: &std::path::Path) -> String {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect()
}

#[test]
fn raw_public_keys_server_vs_gnutls() {
    let peer = Peer::GnutlsClient;
    let mut failures = Failures::default();
    if require("gnutls-cli").is_none() {
        return failures.skipped(
            peer,
            &[
                case::RAW_PUBLIC_KEY,
                case::RAW_PUBLIC_KEY_MUTUAL,
                case::RAW_PUBLIC_KEY_UNPINNED,
            ],
        );
    }
    let keys = raw_keys();
    let server_key = ["--rawpkfile", &path(&keys.server_public), "--rawpkkeyfile"];
    let mut args: Vec<&str> = server_key.to_vec();
    let server_private = path(&keys.server_private);
    args.push(&server_private);
    let server = OurServer::start(&args);
    let run = harness::run(&mut gnutls_cli(server.port, &[]), GET, TIMEOUT);
    let printed: String = run
        .stdout_text
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let result = ensure(
        run.success()
            && run.stdout_text.contains("Certificate type: Raw Public Key")
            && printed.contains(&pem_body(&keys.server_public))
            && run.stdout_text.contains("lucid-tls example server")
            && run
                .stdout_text
                .contains("server certificate type: RawPublicKey"),
        || format!("{}\n{}", run.output_text(), server.log()),
    );
    failures.check(peer, case::RAW_PUBLIC_KEY, result);
    drop(server);

    let client_public = path(&keys.client_public);
    let mut pinning = args.clone();
    pinning.extend(["--pin-client-spki", &client_public]);
    let mut server = OurServer::start(&pinning);
    let client_private = path(&keys.client_private);
    let client = [
        "--rawpkfile",
        &client_public,
        "--rawpkkeyfile",
        &client_private,
    ];
    let run = harness::run(&mut gnutls_cli(server.port, &client), GET, TIMEOUT);
    let result = ensure(
        run.success()
            && run
                .stdout_text
                .contains("client certificate: raw public key sha256:")
            && run
                .stdout_text
                .contains("client certificate type: RawPublicKey"),
        || format!("{}\n{}", run.output_text(), server.log()),
    );
    failures.check(peer, case::RAW_PUBLIC_KEY_MUTUAL, result);

    // The same server, a client key it does not pin.
    let (other_public, other_private) = (path(&keys.stranger_public), path(&keys.stranger_private));
    let client = [
        "--rawpkfile",
        &other_public,
        "--rawpkkeyfile",
        &other_private,
    ];
    let run = harness::run(&mut gnutls_cli(server.port, &client), GET, TIMEOUT);
    // The server logs the refusal once the connection is over: wait for the line.
    let refused = server.proc.wait_stderr("certificate_unknown", TIMEOUT);
    let result = ensure(!run.success() && refused, || {
        format!(
            "expected certificate_unknown\n{}\n{}",
            run.output_text(),
            server.log()
        )
    });
    failures.check(peer, case::RAW_PUBLIC_KEY_UNPINNED, result);
    failures.assert_none();
}
