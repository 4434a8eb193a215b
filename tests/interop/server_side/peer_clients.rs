//! The peer clients against our server: examples/server started with the test PKI's
//! certificate and extra flags; `openssl s_client`, `gnutls-cli`, `curl` and a rustls client
//! fetching its page the way a case asks (`Ask`); and the checks on what the peer printed
//! (the page names what the server negotiated) or on what the server logged. The cases
//! themselves are in `server_side.rs`.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use crate::harness::{self, GET, OurServer, Run, TIMEOUT, require};
use crate::pki::{CertKind, pki};
use crate::results::{Failures, Peer, ensure};
use crate::rustls_peer::{self, ClientOptions};
use crate::{gnutls_cipher, gnutls_group, openssl_group};

/// The server's page for the client certificate of the test PKI.
pub(super) const CLIENT_SUBJECT: &str = "client certificate: CN=interop client";

/// examples/server with `cert` and `extra` flags.
pub(super) fn our_server(cert: CertKind, extra: &[&str]) -> OurServer {
    let mut args = pki().server_args(cert);
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    OurServer::start(&args)
}

/// `openssl s_client` to our server, checking its chain and name; `-quiet` unless
/// `interactive` (then stdin lines such as `K` are commands).
pub(super) fn s_client(port: u16, extra: &[&str]) -> Command {
    let mut c = Command::new("openssl");
    c.arg("s_client")
        .arg("-connect")
        .arg(format!("127.0.0.1:{port}"))
        .args(["-servername", "localhost", "-verify_hostname", "localhost"])
        .args(["-verify_return_error", "-tls1_3", "-CAfile"])
        .arg(&pki().ca)
        .args(extra);
    c
}

/// `gnutls-cli` to our server as `localhost`, with a priority string.
pub(super) fn gnutls_cli(port: u16, priority: &str, extra: &[&str]) -> Command {
    let mut c = Command::new("gnutls-cli");
    c.args(["127.0.0.1", "-p", &port.to_string()])
        .args([
            "--sni-hostname",
            "localhost",
            "--verify-hostname",
            "localhost",
        ])
        .arg("--x509cafile")
        .arg(&pki().ca)
        .args(["--priority", priority])
        .args(extra);
    c
}

/// `curl` to our server's page.
pub(super) fn curl(port: u16, extra: &[&str]) -> Command {
    let mut c = Command::new("curl");
    c.args(["-sS", "--max-time", "30", "--cacert"])
        .arg(&pki().ca)
        .args(["--resolve", &format!("localhost:{port}:127.0.0.1")])
        .arg(format!("https://localhost:{port}/"))
        .args(extra);
    c
}

/// GnuTLS's priority string for TLS 1.3 with one suite, one group and one signature scheme.
fn gnutls_priority(suite: &str, group: &str, cert: CertKind) -> String {
    format!(
        "NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+{}:-GROUP-ALL:+{}:-SIGN-ALL:+{}",
        gnutls_cipher(suite),
        gnutls_group(group),
        cert.gnutls_sign()
    )
}

/// Checks that `text` (what the peer printed) holds our page with each of `lines`.
pub(super) fn page(
    text: &str,
    lines: &[&str],
    context: impl FnOnce() -> String,
) -> Result<(), String> {
    let mut missing: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| !text.contains(l))
        .collect();
    if !text.contains("lucid-tls example server") {
        missing.insert(0, "lucid-tls example server");
    }
    ensure(missing.is_empty(), || {
        format!("the page lacks {missing:?}\n{}", context())
    })
}

/// The lines a matrix cell's page must have.
pub(super) fn matrix_lines(suite: &str, group: &str, cert: CertKind) -> [String; 4] {
    [
        format!("cipher suite: {suite}\n"),
        format!("group: {group}\n"),
        "hello retry request: no\n".to_string(),
        format!("signature scheme: {}", cert.scheme_prefix()),
    ]
}

/// Runs a peer client `command` with stdin `input` and checks the page it printed.
pub(super) fn run_page(
    mut command: Command,
    input: &[u8],
    lines: &[&str],
    server: &OurServer,
) -> Result<Run, String> {
    let run = harness::run(&mut command, input, TIMEOUT);
    page(&run.stdout_text, lines, || {
        format!("{}\n--- server log:\n{}", run.output_text(), server.log())
    })?;
    Ok(run)
}

/// What a case asks of the peer client when it fetches our page.
#[derive(Clone, Copy)]
pub(super) enum Ask {
    /// Just the page.
    Page,
    /// Only this suite, group and signature scheme (curl: the suite and group).
    Cell(&'static str, &'static str, CertKind),
    /// A key share for another group than P-256 first: our P-256-only server retries.
    ShareForAnotherGroup,
    /// Send the test PKI's client certificate.
    ClientCertificate,
    /// Offer these ALPN protocols.
    Alpn(&'static [&'static str]),
}

/// What the peer printed (the page, if it got one) and its error messages.
struct Fetched {
    printed: String,
    errors: String,
}

/// The program a peer client needs, if it is one.
fn program(peer: Peer) -> Option<&'static str> {
    match peer {
        Peer::OpensslClient => Some("openssl"),
        Peer::GnutlsClient => Some("gnutls-cli"),
        Peer::Curl => Some("curl"),
        _ => None,
    }
}

/// TLS 1.3 only, otherwise GnuTLS's defaults.
pub(super) const GNUTLS_TLS13: &str = "NORMAL:-VERS-ALL:+VERS-TLS1.3";

/// Fetches our page from `port` as `peer` does it, doing what `ask` says; `None` if the
/// peer has no way to.
fn fetch(peer: Peer, port: u16, ask: Ask) -> Option<Fetched> {
    let client_cert = pki().client_cert.display().to_string();
    let client_key = pki().client_key.display().to_string();
    let mut command = match peer {
        Peer::OpensslClient => {
            let args: Vec<String> = match ask {
                Ask::Page => vec![],
                Ask::Cell(suite, group, cert) => vec![
                    "-ciphersuites".into(),
                    suite.into(),
                    "-groups".into(),
                    openssl_group(group).into(),
                    "-sigalgs".into(),
                    cert.openssl_sigalg().into(),
                ],
                Ask::ShareForAnotherGroup => vec!["-groups".into(), "X25519:P-256".into()],
                Ask::ClientCertificate => {
                    vec!["-cert".into(), client_cert, "-key".into(), client_key]
                }
                Ask::Alpn(list) => vec!["-alpn".into(), list.join(",")],
            };
            let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
            args.insert(0, "-quiet");
            s_client(port, &args)
        }
        Peer::GnutlsClient => {
            let (priority, args): (String, Vec<String>) = match ask {
                Ask::Page => (GNUTLS_TLS13.into(), vec![]),
                Ask::Cell(suite, group, cert) => (gnutls_priority(suite, group, cert), vec![]),
                // GnuTLS sends one share per kind of group: P-384 and P-256 are one kind,
                // so it offers a P-384 share only, which lucid-tls does not do.
                Ask::ShareForAnotherGroup => (
                    format!("{GNUTLS_TLS13}:-GROUP-ALL:+GROUP-SECP384R1:+GROUP-SECP256R1"),
                    vec![],
                ),
                Ask::ClientCertificate => (
                    GNUTLS_TLS13.into(),
                    vec![
                        "--x509certfile".into(),
                        client_cert,
                        "--x509keyfile".into(),
                        client_key,
                    ],
                ),
                Ask::Alpn(list) => (
                    GNUTLS_TLS13.into(),
                    list.iter()
                        .flat_map(|a| ["--alpn".into(), a.to_string()])
                        .collect(),
                ),
            };
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            gnutls_cli(port, &priority, &args)
        }
        Peer::Curl => {
            let args: Vec<String> = match ask {
                Ask::Page => vec![],
                // curl cannot narrow signature schemes: each server holds one certificate.
                Ask::Cell(suite, group, _) => vec![
                    "--tlsv1.3".into(),
                    "--tls13-ciphers".into(),
                    suite.into(),
                    "--curves".into(),
                    openssl_group(group).into(),
                ],
                Ask::ShareForAnotherGroup => vec!["--curves".into(), "X25519:P-256".into()],
                Ask::ClientCertificate => {
                    vec!["--cert".into(), client_cert, "--key".into(), client_key]
                }
                // curl offers h2 and http/1.1, and nothing else.
                Ask::Alpn(["h2", "http/1.1"]) => vec![],
                Ask::Alpn(_) => return None,
            };
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            curl(port, &args)
        }
        Peer::RustlsClient => return Some(fetch_rustls(port, ask)),
        _ => unreachable!("{peer:?} is not a client"),
    };
    let run = harness::run(&mut command, GET, TIMEOUT);
    Some(Fetched {
        printed: run.stdout_text.clone(),
        errors: run.output_text(),
    })
}

/// [`fetch`] for the rustls client.
fn fetch_rustls(port: u16, ask: Ask) -> Fetched {
    let mut options = ClientOptions::default();
    match ask {
        Ask::Page => {}
        Ask::Cell(suite, group, _) => {
            options.suites = vec![suite];
            options.groups = vec![group];
        }
        Ask::ShareForAnotherGroup => options.groups = vec!["x25519", "secp256r1"],
        Ask::ClientCertificate => options.client_cert = true,
        Ask::Alpn(list) => options.alpn = list.to_vec(),
    }
    let config = rustls_peer::client_config(&options);
    match rustls_peer::client_run(&config, port, None, GET, false) {
        Ok(run) => Fetched {
            printed: String::from_utf8_lossy(&run.received).into_owned(),
            errors: String::new(),
        },
        Err(e) => Fetched {
            printed: String::new(),
            errors: e,
        },
    }
}

/// Checks `case`: `peer` fetches our page from `server` doing `ask`, and the page has
/// each of `lines`.
pub(super) fn expect_page(
    peer: Peer,
    case: &str,
    server: &OurServer,
    ask: Ask,
    lines: &[&str],
    failures: &mut Failures,
) {
    let Some(fetched) = fetch(peer, server.port, ask) else {
        return;
    };
    let result = page(&fetched.printed, lines, || {
        format!("{}\n--- server log:\n{}", fetched.errors, server.log())
    });
    failures.check(peer, case, result);
}

/// Checks `case`: `peer` doing `ask` is refused with `alert`, which our server logs.
pub(super) fn expect_refusal(
    peer: Peer,
    case: &str,
    server: &mut OurServer,
    ask: Ask,
    alert: &str,
    failures: &mut Failures,
) {
    let Some(fetched) = fetch(peer, server.port, ask) else {
        return;
    };
    let result = ensure(!fetched.printed.contains("200 OK"), || {
        format!("served anyway:\n{}", fetched.errors)
    })
    .and_then(|()| logged(server, &format!("sent alert {alert}")));
    failures.check(peer, case, result);
}

/// The cases that need a missing `peer` are recorded as skipped; true if it is present.
pub(super) fn present(peer: Peer, cases: &[&str], failures: &mut Failures) -> bool {
    match program(peer) {
        Some(program) if require(program).is_none() => {
            failures.skipped(peer, cases);
            false
        }
        _ => true,
    }
}

/// A file in the PKI directory with `data` in it.
pub(super) fn file(name: &str, data: &[u8]) -> PathBuf {
    let path = pki().dir.join(name);
    std::fs::write(&path, data).unwrap();
    path
}

/// Waits until the server logged `needle` (each connection logs one line when it ends).
pub(super) fn logged(server: &mut OurServer, needle: &str) -> Result<(), String> {
    let found = server.proc.wait_stderr(needle, Duration::from_secs(5));
    ensure(found, || {
        format!("the server did not log {needle:?}:\n{}", server.log())
    })
}
