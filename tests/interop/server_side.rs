//! lucid-tls as the server (examples/server) against `openssl s_client`, `gnutls-cli`,
//! `curl` and a rustls client. The server's page names what it negotiated; the checks read
//! it from what the peer printed.
//!
//! The cases are here; how each peer client fetches the page, and the checks on what it
//! printed, are in `server_side/peer_clients.rs`.

mod peer_clients;

use std::io::{Read, Write};
use std::net::TcpStream;

use crate::client_side::keylogs_agree;
use crate::harness::{self, GET, OurServer, Proc, TIMEOUT, pattern};
use crate::pki::{CertKind, pki};
use crate::results::{Failures, Peer, ensure};
use crate::rustls_peer::{self, ClientOptions};
use crate::{case, matrix, matrix_case, matrix_cases};
use peer_clients::{
    Ask, CLIENT_SUBJECT, GNUTLS_TLS13, curl, expect_page, expect_refusal, file, gnutls_cli, logged,
    matrix_lines, our_server, page, present, run_page, s_client,
};

/// The whole matrix against one peer client.
fn matrix_against(peer: Peer) {
    let mut failures = Failures::default();
    let cases = matrix_cases();
    let cases: Vec<&str> = cases.iter().map(String::as_str).collect();
    if !present(peer, &cases, &mut failures) {
        return;
    }
    for cert in CertKind::ALL {
        let server = our_server(cert, &[]);
        for (suite, group, _) in matrix().into_iter().filter(|m| m.2 == cert) {
            let lines = matrix_lines(suite, group, cert);
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            let ask = Ask::Cell(suite, group, cert);
            expect_page(
                peer,
                &matrix_case(suite, group, cert),
                &server,
                ask,
                &lines,
                &mut failures,
            );
        }
    }
    failures.assert_none();
}

#[test]
fn server_matrix_vs_openssl() {
    matrix_against(Peer::OpensslClient);
}

#[test]
fn server_matrix_vs_gnutls() {
    matrix_against(Peer::GnutlsClient);
}

#[test]
fn server_matrix_vs_curl() {
    matrix_against(Peer::Curl);
}

#[test]
fn server_matrix_vs_rustls() {
    matrix_against(Peer::RustlsClient);
}

/// The cases every peer client runs the same way: HelloRetryRequest, mTLS with and
/// without a certificate, ALPN and ALPN refused.
fn common_cases(peer: Peer, failures: &mut Failures) {
    let cert = CertKind::Ecdsa;
    let server = our_server(cert, &["--groups", "secp256r1"]);
    let lines = ["hello retry request: yes\n", "group: secp256r1\n"];
    expect_page(
        peer,
        case::HRR,
        &server,
        Ask::ShareForAnotherGroup,
        &lines,
        failures,
    );

    let ca = pki().ca.display().to_string();
    let mut server = our_server(cert, &["--client-ca", &ca, "--require-client-cert"]);
    let lines = [
        CLIENT_SUBJECT,
        "client signature scheme: ecdsa_secp256r1_sha256\n",
    ];
    expect_page(
        peer,
        case::MTLS,
        &server,
        Ask::ClientCertificate,
        &lines,
        failures,
    );
    expect_refusal(
        peer,
        case::MTLS_REFUSED,
        &mut server,
        Ask::Page,
        "certificate_required",
        failures,
    );

    let mut server = our_server(cert, &["--alpn", "http/1.1"]);
    let offer = Ask::Alpn(&["h2", "http/1.1"]);
    expect_page(
        peer,
        case::ALPN,
        &server,
        offer,
        &["alpn: http/1.1\n"],
        failures,
    );
    let h2 = Ask::Alpn(&["h2"]);
    expect_refusal(
        peer,
        case::ALPN_MISMATCH,
        &mut server,
        h2,
        "no_application_protocol",
        failures,
    );
}

/// The names of the common cases, to record as skipped.
const COMMON_CASES: [&str; 5] = [
    case::HRR,
    case::MTLS,
    case::MTLS_REFUSED,
    case::ALPN,
    case::ALPN_MISMATCH,
];

#[test]
fn server_features_vs_openssl() {
    let mut failures = Failures::default();
    let peer = Peer::OpensslClient;
    let extra = [
        case::RESUMPTION,
        case::EARLY_DATA,
        case::KEY_UPDATE_PEERS,
        case::ONE_RECORD,
        case::MIB,
        case::KEYLOG,
        case::EXTERNAL_PSK,
    ];
    if !present(
        peer,
        &[&COMMON_CASES[..], &extra[..]].concat(),
        &mut failures,
    ) {
        return;
    }
    common_cases(peer, &mut failures);
    let cert = CertKind::Ecdsa;

    let server = our_server(cert, &["--early-data"]);
    let session = pki().dir.join("s_client-session.pem").display().to_string();
    let save_session = || {
        run_page(
            s_client(server.port, &["-quiet", "-sess_out", &session]),
            GET,
            &["resumed: no\n"],
            &server,
        )
    };
    let result = save_session().and_then(|_| {
        run_page(
            s_client(server.port, &["-quiet", "-sess_in", &session]),
            GET,
            &["resumed: ticket (psk_dhe_ke)\n", "signature scheme: none\n"],
            &server,
        )
    });
    failures.check(peer, case::RESUMPTION, result.map(|_| ()));
    let early_file = file("early-request.txt", GET).display().to_string();
    let result = save_session().and_then(|_| {
        // -ign_eof: stdin is empty (the request is the early data); wait for the page.
        let args = ["-ign_eof", "-sess_in", &session, "-early_data", &early_file];
        let lines = [
            &format!("early data: accepted, {} bytes\n", GET.len()),
            "resumed: ticket",
        ];
        let run = run_page(s_client(server.port, &args), b"", &lines, &server)?;
        ensure(run.stdout_text.contains("Early data was accepted"), || {
            run.output_text()
        })
    });
    failures.check(peer, case::EARLY_DATA, result);

    // s_client's "K" command, in the middle of a request: a KeyUpdate asking for ours,
    // which must come back before the request is complete. s_client runs interactively
    // (stdin lines such as "K" are commands) and with -msg, which prints every message
    // and record it sends (>>>) and receives (<<<).
    let server = our_server(cert, &[]);
    let mut client = Proc::spawn(&mut s_client(server.port, &["-msg"]));
    let (head, rest) = GET.split_at(GET.len() / 2);
    let answer = "<<< TLS 1.3, Handshake [length 0005], KeyUpdate";
    let result = (|| {
        ensure(
            client.wait_stdout_count("Verify return code: 0", 1, TIMEOUT),
            || client.output_text(),
        )?;
        // "K" is a command only at the start of what s_client reads from stdin at once:
        // wait until the head has gone out in a record of its own before typing it.
        let sent = ">>> TLS 1.2, RecordHeader";
        let records = client.stdout_text().matches(sent).count();
        client.write_stdin(head);
        ensure(client.wait_stdout_count(sent, records + 1, TIMEOUT), || {
            format!("s_client did not send the head\n{}", client.output_text())
        })?;
        client.write_stdin(b"K\n");
        ensure(client.wait_stdout_count(answer, 1, TIMEOUT), || {
            format!(
                "no KeyUpdate in answer before the request ended\n{}",
                client.output_text()
            )
        })?;
        client.write_stdin(rest);
        client.wait(TIMEOUT);
        page(
            &client.stdout_text(),
            &["key updates: received 1, sent 1\n"],
            || client.output_text(),
        )
    })();
    failures.check(peer, case::KEY_UPDATE_PEERS, result);
    // The same transcript shows the page's record: nothing between its first and last line
    // is another record.
    let out = client.stdout_text();
    let page_text = out
        .find("HTTP/1.1 200 OK")
        .and_then(|start| Some(&out[start..start + out[start..].find("request body:")?]));
    let result = match page_text {
        Some(text) => ensure(!text.contains("RecordHeader"), || format!("split:\n{text}")),
        None => Err(format!("no page\n{}", client.output_text())),
    };
    failures.check(peer, case::ONE_RECORD, result);

    let server = our_server(cert, &["--echo"]);
    let data = pattern(1 << 20);
    let mut client = Proc::spawn(&mut s_client(server.port, &["-quiet"]));
    client.feed_stdin_in_background(data.clone());
    let result = ensure(
        client.wait_stdout(TIMEOUT, |out| out.len() >= data.len()),
        || format!("{} bytes echoed\n{}", client.stdout().len(), server.log()),
    )
    .and_then(|()| ensure(client.stdout() == data, || "the echo differs".into()));
    failures.check(peer, case::MIB, result);
    drop(client);

    let dir = pki().dir.join("keylog-server");
    std::fs::create_dir_all(&dir).unwrap();
    let (ours, theirs) = (dir.join("ours.txt"), dir.join("openssl.txt"));
    let mut args = pki().server_args(cert);
    args.extend(["--tickets".to_string(), "0".to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut server = OurServer::start_with_env(&args, &[("SSLKEYLOGFILE", &ours)]);
    let theirs_arg = theirs.display().to_string();
    let result = run_page(
        s_client(server.port, &["-quiet", "-keylogfile", &theirs_arg]),
        GET,
        &[],
        &server,
    )
    .and_then(|_| logged(&mut server, "ok, 1 request(s)"))
    .and_then(|()| keylogs_agree(&ours, &theirs));
    failures.check(peer, case::KEYLOG, result);

    let psk = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    let server = our_server(cert, &["--psk-identity", "interop", "--psk", psk]);
    let args = ["-quiet", "-psk_identity", "interop", "-psk", psk];
    let result = run_page(
        s_client(server.port, &args),
        GET,
        &["resumed: external PSK"],
        &server,
    );
    failures.check(peer, case::EXTERNAL_PSK, result.map(|_| ()));
    failures.assert_none();
}

#[test]
fn server_features_vs_gnutls() {
    let mut failures = Failures::default();
    let peer = Peer::GnutlsClient;
    let extra = [case::RESUMPTION, case::EARLY_DATA, case::MIB];
    if !present(
        peer,
        &[&COMMON_CASES[..], &extra[..]].concat(),
        &mut failures,
    ) {
        return;
    }
    common_cases(peer, &mut failures);
    let cert = CertKind::Ecdsa;

    let server = our_server(cert, &["--early-data"]);
    let resume = ["--resume", "--waitresumption"];
    let lines = ["resumed: ticket (psk_dhe_ke)\n"];
    let result = run_page(
        gnutls_cli(server.port, GNUTLS_TLS13, &resume),
        GET,
        &lines,
        &server,
    );
    failures.check(peer, case::RESUMPTION, result.map(|_| ()));
    let early_file = file("gnutls-early-request.txt", GET).display().to_string();
    let args = ["--resume", "--waitresumption", "--earlydata", &early_file];
    let early = format!("early data: accepted, {} bytes\n", GET.len());
    let result = run_page(
        gnutls_cli(server.port, GNUTLS_TLS13, &args),
        b"",
        &[&early],
        &server,
    );
    failures.check(peer, case::EARLY_DATA, result.map(|_| ()));

    let server = our_server(cert, &["--echo"]);
    let data = pattern(1 << 20);
    let mut command = gnutls_cli(server.port, GNUTLS_TLS13, &["--logfile", "/dev/null"]);
    let run = harness::run(&mut command, &data, TIMEOUT);
    let result = ensure(run.stdout == data, || {
        format!(
            "{} bytes echoed\n{}\n{}",
            run.stdout.len(),
            run.stderr_text,
            server.log()
        )
    });
    failures.check(peer, case::MIB, result);
    failures.assert_none();
}

#[test]
fn server_features_vs_curl() {
    let mut failures = Failures::default();
    let peer = Peer::Curl;
    let extra = [case::RESUMPTION, case::MIB_UPLOAD, case::GARBAGE];
    if !present(
        peer,
        &[&COMMON_CASES[..], &extra[..]].concat(),
        &mut failures,
    ) {
        return;
    }
    common_cases(peer, &mut failures);
    let cert = CertKind::Ecdsa;

    // Two URLs, each on its own connection: the second resumes with a ticket from the first.
    let mut server = our_server(cert, &[]);
    let again = format!("https://localhost:{}/again", server.port);
    let command = curl(server.port, &["-H", "Connection: close", &again]);
    let lines = ["resumed: no\n", "resumed: ticket (psk_dhe_ke)\n"];
    let result = run_page(command, b"", &lines, &server);
    failures.check(peer, case::RESUMPTION, result.map(|_| ()));

    let upload = file("upload.bin", &pattern(1 << 20));
    let command = curl(
        server.port,
        &["--data-binary", &format!("@{}", upload.display())],
    );
    let result = run_page(command, b"", &["request body: 1048576 bytes\n"], &server);
    failures.check(peer, case::MIB_UPLOAD, result.map(|_| ()));

    // Not TLS at all: the server answers with an alert record, logs one line, and serves
    // the next connection.
    let result = (|| {
        let mut tcp = TcpStream::connect(("127.0.0.1", server.port)).map_err(|e| e.to_string())?;
        tcp.set_read_timeout(Some(TIMEOUT))
            .map_err(|e| e.to_string())?;
        tcp.write_all(GET).map_err(|e| e.to_string())?;
        let mut answer = Vec::new();
        let _ = tcp.read_to_end(&mut answer);
        ensure(answer.first() == Some(&0x15), || {
            format!("no alert record: {answer:02x?}")
        })?;
        logged(&mut server, "sent alert")?;
        run_page(curl(server.port, &[]), b"", &["resumed: no\n"], &server).map(|_| ())
    })();
    failures.check(peer, case::GARBAGE, result);

    failures.assert_none();
}

#[test]
fn server_features_vs_rustls() {
    let mut failures = Failures::default();
    let peer = Peer::RustlsClient;
    common_cases(peer, &mut failures);
    let cert = CertKind::Ecdsa;
    let text = |run: rustls_peer::ClientRun| String::from_utf8_lossy(&run.received).into_owned();

    let server = our_server(cert, &["--early-data"]);
    let options = ClientOptions {
        early_data: true,
        ..ClientOptions::default()
    };
    let config = rustls_peer::client_config(&options);
    let result = rustls_peer::client_run(&config, server.port, None, GET, false)
        .and_then(|run| page(&text(run), &["resumed: no\n"], || server.log()))
        .and_then(|()| rustls_peer::client_run(&config, server.port, None, GET, false))
        .and_then(|run| {
            ensure(run.kind == "resumed", || {
                format!("rustls saw a {} handshake", run.kind)
            })?;
            page(&text(run), &["resumed: ticket (psk_dhe_ke)\n"], || {
                server.log()
            })
        });
    failures.check(peer, case::RESUMPTION, result);
    let result =
        rustls_peer::client_run(&config, server.port, Some(GET), b"", false).and_then(|run| {
            ensure(run.early_data_accepted, || {
                "rustls saw its 0-RTT data rejected".into()
            })?;
            let early = format!("early data: accepted, {} bytes\n", GET.len());
            page(&text(run), &[&early], || server.log())
        });
    failures.check(peer, case::EARLY_DATA, result);
    let result = rustls_peer::client_run(&config, server.port, None, GET, true).and_then(|run| {
        page(&text(run), &["key updates: received 1, sent 1\n"], || {
            server.log()
        })
    });
    failures.check(peer, case::KEY_UPDATE_PEERS, result);

    let server = our_server(cert, &["--echo"]);
    let config = rustls_peer::client_config(&ClientOptions::default());
    let data = pattern(1 << 20);
    let result = rustls_peer::client_echo(&config, server.port, &data)
        .and_then(|back| ensure(back == data, || "the echo differs".into()));
    failures.check(peer, case::MIB, result);
    failures.assert_none();
}
