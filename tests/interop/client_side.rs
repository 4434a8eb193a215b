//! lucid-tls as the client (examples/client, and the library's ClientStream for 1 MiB)
//! against `openssl s_server`, `gnutls-serv` and a rustls server.

use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use lucid_tls::client::ClientConfig;
use lucid_tls::stream::ClientStream;
use lucid_tls::x509::{CertificateValidator, TrustAnchors, WebPkiServerVerifier};

use crate::harness::{self, Proc, Run, TIMEOUT, client_summaries, example, pattern, require};
use crate::pki::{CertKind, pki};
use crate::results::{Failures, Peer, ensure};
use crate::rustls_peer::{self, RustlsServer};
use crate::{case, matrix, matrix_case, matrix_cases};

/// How a peer server is set up for a case.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Setup {
    /// Answers HTTP.
    Http,
    /// Answers HTTP; key exchange in P-256 only (our client's first share is X25519).
    P256Only,
    /// Answers HTTP; a client certificate from the test CA is required.
    RequireClientCert,
    /// Answers HTTP; ALPN `http/1.1` only.
    Alpn,
    /// Echoes.
    Echo,
    /// Answers HTTP; accepts 0-RTT.
    EarlyData,
    /// Answers HTTP after a KeyUpdate asking for ours (rustls only).
    PeerKeyUpdate,
}

/// A running peer server (stopped when dropped).
enum Running {
    Process(Proc),
    Rustls(RustlsServer),
}

impl Running {
    fn output(&self) -> String {
        match self {
            Running::Process(proc) => proc.output_text(),
            Running::Rustls(server) => format!("(rustls server in-process, port {})", server.port),
        }
    }
}

/// Starts `peer` with `cert`, set up for `setup`; `None` if the peer's program is missing.
fn start(peer: Peer, cert: CertKind, setup: Setup) -> Option<(Running, u16)> {
    let ca = pki().ca.display().to_string();
    let cert_file = pki().cert(cert).display().to_string();
    let key_file = pki().key(cert).display().to_string();
    match peer {
        Peer::OpensslServer => {
            let openssl = require("openssl")?;
            let mut args: Vec<String> = ["-tls1_3", "-cert", &cert_file, "-key", &key_file]
                .map(String::from)
                .to_vec();
            let extra: &[&str] = match setup {
                Setup::Http | Setup::PeerKeyUpdate => &["-www"],
                Setup::P256Only => &["-www", "-groups", "P-256"],
                Setup::RequireClientCert => &["-www", "-Verify", "1", "-CAfile", &ca],
                Setup::Alpn => &["-www", "-alpn", "http/1.1"],
                Setup::Echo | Setup::EarlyData => &["-early_data"],
            };
            args.extend(extra.iter().map(|s| s.to_string()));
            let (proc, port) = harness::start_peer_server("ACCEPT", |port| {
                let mut c = Command::new(&openssl);
                c.arg("s_server")
                    .arg("-accept")
                    .arg(format!("127.0.0.1:{port}"))
                    .args(&args);
                c
            });
            Some((Running::Process(proc), port))
        }
        Peer::GnutlsServer => {
            let gnutls = require("gnutls-serv")?;
            let extra: &[&str] = match setup {
                Setup::Http | Setup::PeerKeyUpdate => &["--http"],
                Setup::P256Only => &["--http", "--priority", "NORMAL:-GROUP-ALL:+GROUP-SECP256R1"],
                Setup::RequireClientCert => &[
                    "--http",
                    "--require-client-cert",
                    "--verify-client-cert",
                    "--x509cafile",
                    &ca,
                ],
                Setup::Alpn => &["--http", "--alpn", "http/1.1"],
                Setup::Echo => &["--echo"],
                Setup::EarlyData => &["--http", "--earlydata"],
            };
            let (proc, port) = harness::start_peer_server("listening", |port| {
                let mut c = Command::new(&gnutls);
                c.args(["-p", &port.to_string()])
                    .args(["--x509certfile", &cert_file, "--x509keyfile", &key_file])
                    .args(extra);
                c
            });
            Some((Running::Process(proc), port))
        }
        Peer::RustlsServer => {
            let options = rustls_peer::ServerOptions {
                groups: match setup {
                    Setup::P256Only => vec!["secp256r1"],
                    _ => Vec::new(),
                },
                alpn: match setup {
                    Setup::Alpn => vec!["http/1.1"],
                    _ => Vec::new(),
                },
                require_client_cert: setup == Setup::RequireClientCert,
                early_data: setup == Setup::EarlyData,
                echo: setup == Setup::Echo,
                key_update: setup == Setup::PeerKeyUpdate,
            };
            let server = RustlsServer::start(cert, options);
            let port = server.port;
            Some((Running::Rustls(server), port))
        }
        _ => unreachable!("{peer:?} is not a server"),
    }
}

/// Runs examples/client against `127.0.0.1:port` as `localhost`, with `extra` flags.
pub fn our_client(port: u16, extra: &[&str], env: &[(&str, &Path)]) -> Run {
    let mut command = Command::new(example("client"));
    command
        .args(["--connect", &format!("127.0.0.1:{port}")])
        .args(["--server-name", "localhost", "--ca"])
        .arg(&pki().ca)
        .args(extra);
    for (key, value) in env {
        command.env(key, value);
    }
    harness::run(&mut command, b"", TIMEOUT)
}

/// Checks that the client succeeded and that summary line `connection` (1-based) has each
/// `expected` key=value (a value ending in `*` is a prefix).
pub fn summary(run: &Run, connection: usize, expected: &[(&str, &str)]) -> Result<(), String> {
    ensure(run.success(), || {
        format!("the client failed\n{}", run.output_text())
    })?;
    let summaries = client_summaries(&run.stderr_text);
    let line = summaries.get(connection - 1).ok_or_else(|| {
        format!(
            "no summary for connection {connection}\n{}",
            run.output_text()
        )
    })?;
    for (key, value) in expected {
        let got = line.get(*key).map(String::as_str).unwrap_or("(missing)");
        let ok = match value.strip_suffix('*') {
            Some(prefix) => got.starts_with(prefix),
            None => got == *value,
        };
        ensure(ok, || {
            format!("{key}={got}, expected {value}\n{}", run.output_text())
        })?;
    }
    Ok(())
}

/// The whole matrix against one peer server: every suite × group × certificate.
fn matrix_against(peer: Peer) {
    let mut failures = Failures::default();
    for cert in CertKind::ALL {
        let Some((server, port)) = start(peer, cert, Setup::Http) else {
            let cases = matrix_cases();
            let cases: Vec<&str> = cases.iter().map(String::as_str).collect();
            return failures.skipped(peer, &cases);
        };
        for (suite, group, _) in matrix().into_iter().filter(|m| m.2 == cert) {
            let run = our_client(port, &["--suites", suite, "--groups", group], &[]);
            let result = summary(
                &run,
                1,
                &[
                    ("version", "TLS1.3"),
                    ("suite", suite),
                    ("group", group),
                    ("hrr", "no"),
                    ("signature", &format!("{}*", cert.scheme_prefix())),
                ],
            )
            .map_err(|e| format!("{e}\n{}", server.output()));
            failures.check(peer, &matrix_case(suite, group, cert), result);
        }
    }
    failures.assert_none();
}

#[test]
fn client_matrix_vs_openssl() {
    matrix_against(Peer::OpensslServer);
}

#[test]
fn client_matrix_vs_gnutls() {
    matrix_against(Peer::GnutlsServer);
}

#[test]
fn client_matrix_vs_rustls() {
    matrix_against(Peer::RustlsServer);
}

/// The cases every peer server runs: HelloRetryRequest, mTLS, resumption, our KeyUpdate,
/// ALPN; and, where the peer can, 1 MiB each way and 0-RTT.
fn features_against(peer: Peer) {
    let mut failures = Failures::default();
    let cert = CertKind::Ecdsa;
    let Some((server, port)) = start(peer, cert, Setup::P256Only) else {
        return failures.skipped(
            peer,
            &[
                case::HRR,
                case::MTLS,
                case::MTLS_REFUSED,
                case::RESUMPTION,
                case::KEY_UPDATE_OURS,
                case::ALPN,
            ],
        );
    };
    let run = our_client(port, &["--groups", "x25519,secp256r1"], &[]);
    let result = summary(&run, 1, &[("hrr", "yes"), ("group", "secp256r1")]);
    failures.check(
        peer,
        case::HRR,
        result.map_err(|e| format!("{e}\n{}", server.output())),
    );
    drop(server);

    let (server, port) = start(peer, cert, Setup::RequireClientCert).unwrap();
    let client_cert = pki().client_cert.display().to_string();
    let client_key = pki().client_key.display().to_string();
    let run = our_client(port, &["--cert", &client_cert, "--key", &client_key], &[]);
    let result = summary(&run, 1, &[("version", "TLS1.3")]).and_then(|()| match peer {
        // rustls's page counts the client's certificates.
        Peer::RustlsServer => ensure(run.stdout_text.contains("client-cert=1"), || {
            run.output_text()
        }),
        _ => Ok(()),
    });
    failures.check(
        peer,
        case::MTLS,
        result.map_err(|e| format!("{e}\n{}", server.output())),
    );
    let run = our_client(port, &[], &[]);
    let result = ensure(
        !run.success() && run.stderr_text.contains("certificate_required"),
        || {
            format!(
                "expected a certificate_required alert\n{}",
                run.output_text()
            )
        },
    );
    failures.check(
        peer,
        case::MTLS_REFUSED,
        result.map_err(|e| format!("{e}\n{}", server.output())),
    );
    drop(server);

    let (server, port) = start(peer, cert, Setup::Http).unwrap();
    let run = our_client(port, &["--resume"], &[]);
    let result = summary(&run, 1, &[("resumed", "no")])
        .and_then(|()| summary(&run, 2, &[("resumed", "yes"), ("signature", "none")]));
    failures.check(
        peer,
        case::RESUMPTION,
        result.map_err(|e| format!("{e}\n{}", server.output())),
    );
    let run = our_client(port, &["--key-update"], &[]);
    let result = summary(
        &run,
        1,
        &[("key-updates-sent", "1"), ("key-updates-received", "1")],
    );
    failures.check(
        peer,
        case::KEY_UPDATE_OURS,
        result.map_err(|e| format!("{e}\n{}", server.output())),
    );
    drop(server);

    let (server, port) = start(peer, cert, Setup::Alpn).unwrap();
    let run = our_client(port, &["--alpn", "h2,http/1.1"], &[]);
    let result = summary(&run, 1, &[("alpn", "http/1.1")]);
    failures.check(
        peer,
        case::ALPN,
        result.map_err(|e| format!("{e}\n{}", server.output())),
    );
    drop(server);

    if peer == Peer::RustlsServer {
        let (server, port) = start(peer, cert, Setup::PeerKeyUpdate).unwrap();
        let run = our_client(port, &[], &[]);
        let result = summary(
            &run,
            1,
            &[("key-updates-received", "1"), ("key-updates-sent", "1")],
        );
        failures.check(
            peer,
            case::KEY_UPDATE_PEERS,
            result.map_err(|e| format!("{e}\n{}", server.output())),
        );
    }
    if peer != Peer::OpensslServer {
        // s_server has no echo mode: see client_vs_openssl_driven.
        let (server, port) = start(peer, cert, Setup::Echo).unwrap();
        let result = mib_through_echo(port);
        failures.check(
            peer,
            case::MIB,
            result.map_err(|e| format!("{e}\n{}", server.output())),
        );
        drop(server);

        let (server, port) = start(peer, cert, Setup::EarlyData).unwrap();
        let run = our_client(port, &["--early-data", "X-Early: 1\r\n"], &[]);
        let result = summary(&run, 2, &[("resumed", "yes"), ("early-data", "accepted")]);
        failures.check(
            peer,
            case::EARLY_DATA,
            result.map_err(|e| format!("{e}\n{}", server.output())),
        );
        drop(server);
    }
    failures.assert_none();
}

#[test]
fn client_features_vs_openssl() {
    features_against(Peer::OpensslServer);
}

#[test]
fn client_features_vs_gnutls() {
    features_against(Peer::GnutlsServer);
}

#[test]
fn client_features_vs_rustls() {
    features_against(Peer::RustlsServer);
}

/// A lucid-tls client configuration trusting the test CA.
fn library_config() -> Arc<ClientConfig> {
    let provider: Arc<dyn lucid_tls::crypto::CryptoProvider> =
        Arc::new(lucid_tls::crypto::rustcrypto::RustCryptoProvider);
    let ca = lucid_tls::pem::load_certificates(&pki().ca).unwrap();
    let anchors = TrustAnchors::from_der_certificates(&ca).unwrap();
    let validator = CertificateValidator::new(provider.clone(), anchors);
    Arc::new(ClientConfig::new(
        provider,
        Arc::new(WebPkiServerVerifier::new(validator)),
    ))
}

/// A library ClientStream to `127.0.0.1:port` as `localhost`.
fn library_client(port: u16) -> Result<ClientStream<TcpStream>, String> {
    let tcp = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    tcp.set_read_timeout(Some(TIMEOUT))
        .map_err(|e| e.to_string())?;
    ClientStream::connect(library_config(), Some("localhost"), tcp).map_err(|e| e.to_string())
}

/// 1 MiB through an echo server with the library's ClientStream, 16 KiB at a time.
fn mib_through_echo(port: u16) -> Result<(), String> {
    let data = pattern(1 << 20);
    let mut tls = library_client(port)?;
    let back = harness::echo_in_chunks(&mut tls, &data)?;
    let _ = tls.close();
    ensure(back == data, || {
        "the echo differs from what was sent".into()
    })
}

/// Where `needle` starts in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let first = needle.get(..64.min(needle.len()))?;
    (0..haystack.len().saturating_sub(needle.len() - 1))
        .filter(|&i| haystack[i..].starts_with(first))
        .find(|&i| haystack[i..].starts_with(needle))
}

/// The cases that need s_server driven through its stdin: its KeyUpdate ("K"), 0-RTT to a
/// non-www s_server, 1 MiB each way (s_server prints what it receives and sends its
/// stdin), and our key log against s_server's.
#[test]
fn client_vs_openssl_driven() {
    let mut failures = Failures::default();
    let peer = Peer::OpensslServer;
    let Some((Running::Process(mut server), port)) = start(peer, CertKind::Ecdsa, Setup::EarlyData)
    else {
        return failures.skipped(
            peer,
            &[
                case::KEY_UPDATE_PEERS,
                case::EARLY_DATA,
                case::MIB,
                case::KEYLOG,
            ],
        );
    };
    let response = b"HTTP/1.0 200 OK\r\nContent-Length: 13\r\n\r\nfrom s_server";

    // Connection 1: s_server sends a KeyUpdate asking for ours, then the response;
    // connection 2 resumes with 0-RTT data, and gets the response.
    let mut client = Proc::spawn(
        Command::new(example("client"))
            .args(["--connect", &format!("127.0.0.1:{port}")])
            .args(["--server-name", "localhost", "--ca"])
            .arg(&pki().ca)
            .args(["--early-data", "early hello"]),
    );
    let mut steps = Ok(());
    for (round, key_update) in [(1, true), (2, false)] {
        if !server.wait_stdout_count("GET / HTTP/1.1", round, TIMEOUT) {
            steps = Err(format!("request {round} never reached s_server"));
            break;
        }
        if key_update {
            server.write_stdin(b"K\n");
            std::thread::sleep(Duration::from_millis(300));
        }
        server.write_stdin(response);
    }
    let status = client.wait(TIMEOUT);
    let run = Run {
        status,
        stdout: client.stdout(),
        stdout_text: client.stdout_text(),
        stderr_text: client.stderr_text(),
        name: client.name().to_string(),
    };
    let key_update = steps.clone().and_then(|()| {
        summary(
            &run,
            1,
            &[("key-updates-received", "1"), ("key-updates-sent", "1")],
        )
    });
    failures.check(
        peer,
        case::KEY_UPDATE_PEERS,
        key_update.map_err(|e| format!("{e}\n{}", server.output_text())),
    );
    let early = steps.and_then(|()| {
        summary(&run, 2, &[("resumed", "yes"), ("early-data", "accepted")])?;
        let out = server.stdout_text();
        ensure(
            out.contains("Early data received") && out.contains("early hello"),
            || "s_server did not print the early data".into(),
        )
    });
    failures.check(
        peer,
        case::EARLY_DATA,
        early.map_err(|e| format!("{e}\n{}", server.output_text())),
    );

    // 1 MiB each way, through the library's ClientStream.
    let data = pattern(1 << 20);
    let before = server.stdout().len();
    let result = (|| {
        let mut tls = library_client(port)?;
        tls.handshake().map_err(|e| e.to_string())?;
        tls.write_all(&data).map_err(|e| e.to_string())?;
        let arrived = server.wait_stdout(TIMEOUT, |out| {
            out.len() >= before + data.len() && find(&out[before..], &data).is_some()
        });
        ensure(arrived, || {
            "s_server did not print the 1 MiB we sent".into()
        })?;
        server.write_stdin(&data);
        let mut back = vec![0u8; data.len()];
        tls.read_exact(&mut back).map_err(|e| e.to_string())?;
        let _ = tls.close();
        ensure(back == data, || {
            "what s_server sent differs from its stdin".into()
        })
    })();
    failures.check(
        peer,
        case::MIB,
        result.map_err(|e| format!("{e}\n{}", server.stderr_text())),
    );
    drop(server);

    // SSLKEYLOGFILE: every line we write is one s_server writes.
    let dir = pki().dir.join("keylog-client");
    std::fs::create_dir_all(&dir).unwrap();
    let (ours, theirs) = (dir.join("ours.txt"), dir.join("openssl.txt"));
    let (server, port) = harness::start_peer_server("ACCEPT", |port| {
        let mut c = Command::new("openssl");
        c.arg("s_server")
            .arg("-accept")
            .arg(format!("127.0.0.1:{port}"))
            .args(["-tls1_3", "-www", "-cert"])
            .arg(pki().cert(CertKind::Ecdsa))
            .arg("-key")
            .arg(pki().key(CertKind::Ecdsa))
            .arg("-keylogfile")
            .arg(&theirs);
        c
    });
    let run = our_client(port, &["--resume"], &[("SSLKEYLOGFILE", &ours)]);
    let result =
        summary(&run, 2, &[("resumed", "yes")]).and_then(|()| keylogs_agree(&ours, &theirs));
    failures.check(
        peer,
        case::KEYLOG,
        result.map_err(|e| format!("{e}\n{}", server.output_text())),
    );
    failures.assert_none();
}

/// Every line of our key log is in the peer's, and ours has the five secrets of each of
/// the connections.
pub fn keylogs_agree(ours: &Path, theirs: &Path) -> Result<(), String> {
    let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
    let (ours, theirs) = (read(ours), read(theirs));
    let theirs: HashSet<&str> = theirs.lines().collect();
    let ours: Vec<&str> = ours.lines().collect();
    for label in [
        "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
        "SERVER_HANDSHAKE_TRAFFIC_SECRET",
        "CLIENT_TRAFFIC_SECRET_0",
        "SERVER_TRAFFIC_SECRET_0",
        "EXPORTER_SECRET",
    ] {
        ensure(
            ours.iter().any(|l| l.starts_with(&format!("{label} "))),
            || format!("our key log has no {label}:\n{}", ours.join("\n")),
        )?;
    }
    let missing: Vec<&&str> = ours.iter().filter(|l| !theirs.contains(**l)).collect();
    ensure(missing.is_empty(), || {
        format!("lines of our key log the peer does not have: {missing:#?}")
    })
}
