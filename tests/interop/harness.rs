//! Running real peers: finding their programs, starting them on loopback, feeding them,
//! reading what they print, and never leaving one behind.
//!
//! Every process is killed when its [`Proc`] is dropped, and every wait has a deadline, so a
//! peer that hangs fails its test instead of the run.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// How long any one peer run may take.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// True when running in CI (`CI` set to anything but empty, `0` or `false`): a missing
/// peer then fails instead of skipping.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !["", "0", "false"].contains(&v.as_str()))
}

/// The path of `program` on PATH.
fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// The peer program `program`. Missing: in CI the test fails; elsewhere it is skipped, loudly.
pub fn require(program: &str) -> Option<PathBuf> {
    if let Some(path) = which(program) {
        return Some(path);
    }
    if in_ci() {
        panic!(
            "peer program `{program}` is missing: CI must install it (.ci/interop installs \
             openssl, gnutls-bin and curl)"
        );
    }
    eprintln!(
        "\n!!!!!!!! SKIPPED: `{program}` is not installed; install openssl, gnutls-bin and curl \
         (`.ci/interop` does) to run this interop test !!!!!!!!\n"
    );
    None
}

/// A port that was free a moment ago, for peers that cannot report the port they bound.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A running process whose output is collected as it comes, killed on drop.
pub struct Proc {
    name: String,
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: Arc<Mutex<Vec<u8>>>,
    stderr: Arc<Mutex<Vec<u8>>>,
    /// The threads collecting the output, joined once the process has exited.
    readers: Vec<JoinHandle<()>>,
}

/// Copies everything `from` produces into `into`, in a thread that ends at end of file.
fn collect(mut from: impl Read + Send + 'static, into: Arc<Mutex<Vec<u8>>>) -> JoinHandle<()> {
    thread::spawn(move || {
        let mut buffer = [0u8; 64 * 1024];
        while let Ok(n) = from.read(&mut buffer) {
            if n == 0 {
                break;
            }
            into.lock().unwrap().extend_from_slice(&buffer[..n]);
        }
    })
}

impl Proc {
    /// Starts `command` with piped stdin, stdout and stderr.
    pub fn spawn(command: &mut Command) -> Proc {
        let name = format!("{command:?}");
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name}: {e}"));
        let stdout = Arc::new(Mutex::new(Vec::new()));
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let readers = vec![
            collect(child.stdout.take().unwrap(), stdout.clone()),
            collect(child.stderr.take().unwrap(), stderr.clone()),
        ];
        Proc {
            name,
            stdin: child.stdin.take(),
            child,
            stdout,
            stderr,
            readers,
        }
    }

    /// The command line, for messages.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Everything the process printed on stdout so far.
    pub fn stdout(&self) -> Vec<u8> {
        self.stdout.lock().unwrap().clone()
    }

    /// Stdout so far, as text.
    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout()).into_owned()
    }

    /// Stderr so far, as text.
    pub fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr.lock().unwrap()).into_owned()
    }

    /// Both outputs, for failure messages.
    pub fn output_text(&self) -> String {
        format!(
            "--- {}\n--- stdout:\n{}\n--- stderr:\n{}",
            self.name,
            self.stdout_text(),
            self.stderr_text()
        )
    }

    /// Waits until `ready` holds for stdout, or the deadline passes or the process exits.
    pub fn wait_stdout(&mut self, timeout: Duration, ready: impl Fn(&[u8]) -> bool) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            if ready(&self.stdout.lock().unwrap()) {
                return true;
            }
            if Instant::now() > deadline || self.exited() {
                return ready(&self.stdout.lock().unwrap());
            }
            thread::sleep(Duration::from_millis(5));
        }
    }

    /// Waits until stdout contains `needle` `count` times.
    pub fn wait_stdout_count(&mut self, needle: &str, count: usize, timeout: Duration) -> bool {
        self.wait_stdout(timeout, |out| {
            String::from_utf8_lossy(out).matches(needle).count() >= count
        })
    }

    /// Waits until stdout or stderr contains `needle`.
    pub fn wait_output(&mut self, needle: &str, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            if self.stdout_text().contains(needle) || self.stderr_text().contains(needle) {
                return true;
            }
            if Instant::now() > deadline || self.exited() {
                return false;
            }
            thread::sleep(Duration::from_millis(5));
        }
    }

    /// Waits until stderr contains `needle`.
    pub fn wait_stderr(&mut self, needle: &str, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if self.stderr_text().contains(needle) {
                return true;
            }
            thread::sleep(Duration::from_millis(5));
        }
        self.stderr_text().contains(needle)
    }

    /// Writes to the process's stdin.
    pub fn write_stdin(&mut self, data: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin still open");
        stdin.write_all(data).unwrap();
        stdin.flush().unwrap();
    }

    /// Writes to stdin from a thread (for inputs larger than a pipe holds).
    pub fn feed_stdin_in_background(&mut self, data: Vec<u8>) {
        let mut stdin = self.stdin.take().expect("stdin still open");
        thread::spawn(move || {
            let _ = stdin.write_all(&data);
        });
    }

    /// True once the process has exited.
    pub fn exited(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(Some(_)))
    }

    /// Waits for the process to exit; kills it at the deadline and returns `None`.
    pub fn wait(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                self.join_readers();
                return Some(status);
            }
            if Instant::now() > deadline {
                self.kill();
                return None;
            }
            thread::sleep(Duration::from_millis(5));
        }
    }

    /// Kills the process (if it still runs) and reaps it.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.join_readers();
    }

    /// Waits for the output threads to read the pipes to their end (the process has exited,
    /// so the pipes end).
    fn join_readers(&mut self) {
        for reader in self.readers.drain(..) {
            let _ = reader.join();
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A finished run: exit status (`None` if it had to be killed) and output.
pub struct Run {
    pub status: Option<ExitStatus>,
    pub stdout: Vec<u8>,
    pub stdout_text: String,
    pub stderr_text: String,
    pub name: String,
}

impl Run {
    /// True if the process exited with status 0.
    pub fn success(&self) -> bool {
        self.status.is_some_and(|s| s.success())
    }

    /// Both outputs, for failure messages.
    pub fn output_text(&self) -> String {
        format!(
            "--- {} (exit: {:?})\n--- stdout:\n{}\n--- stderr:\n{}",
            self.name, self.status, self.stdout_text, self.stderr_text
        )
    }
}

/// Runs `command` to its end with `stdin` as input (then end of file), within `timeout`.
pub fn run(command: &mut Command, stdin: &[u8], timeout: Duration) -> Run {
    let mut proc = Proc::spawn(command);
    proc.feed_stdin_in_background(stdin.to_vec());
    let status = proc.wait(timeout);
    let stdout = proc.stdout();
    Run {
        status,
        stdout_text: String::from_utf8_lossy(&stdout).into_owned(),
        stdout,
        stderr_text: proc.stderr_text(),
        name: proc.name().to_string(),
    }
}

/// The example binaries (`server`, `client`), built once per test run by the cargo that
/// runs the tests, in the environment it builds in (a no-op when `cargo test` has built
/// them already).
pub fn example(name: &str) -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    let dir = BUILT.get_or_init(|| {
        // This test binary lives in <target>/<profile>/deps/.
        let exe = std::env::current_exe().unwrap();
        let profile_dir = exe.parent().unwrap().parent().unwrap().to_path_buf();
        let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
            Some("debug") => "dev".to_string(),
            Some(other) => other.to_string(),
            None => "dev".to_string(),
        };
        let target_dir = profile_dir.parent().unwrap();
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut build = Command::new(cargo);
        // The variables cargo sets for a running test are not the builder's: a build script
        // that watches one (ring's watches CARGO_MANIFEST_DIR) would rebuild half the tree.
        for (key, _) in std::env::vars_os() {
            let key = key.to_string_lossy();
            let set_for_tests = [
                "CARGO_MANIFEST_",
                "CARGO_PKG_",
                "CARGO_CRATE_",
                "CARGO_BIN_",
            ]
            .iter()
            .any(|prefix| key.starts_with(prefix))
                || [
                    "CARGO_PRIMARY_PACKAGE",
                    "CARGO_TARGET_TMPDIR",
                    "CARGO_RUSTC_CURRENT_DIR",
                    "OUT_DIR",
                ]
                .contains(&key.as_ref());
            if set_for_tests {
                build.env_remove(key.as_ref());
            }
        }
        let status = build
            .args([
                "build",
                "--quiet",
                "--example",
                "server",
                "--example",
                "client",
            ])
            .args(["--profile", &profile])
            .arg("--manifest-path")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", target_dir)
            .status()
            .expect("cargo build --examples");
        assert!(status.success(), "building the examples failed");
        profile_dir.join("examples")
    });
    dir.join(name)
}

/// `examples/server`, running on a loopback port it chose itself.
pub struct OurServer {
    pub proc: Proc,
    pub port: u16,
}

impl OurServer {
    /// Starts the example server with `args` (and `--listen 127.0.0.1:0`).
    pub fn start(args: &[&str]) -> OurServer {
        Self::start_with_env(args, &[])
    }

    /// Like [`OurServer::start`], with extra environment variables.
    pub fn start_with_env(args: &[&str], env: &[(&str, &Path)]) -> OurServer {
        let mut command = Command::new(example("server"));
        command.args(["--listen", "127.0.0.1:0"]).args(args);
        for (key, value) in env {
            command.env(key, value);
        }
        let mut proc = Proc::spawn(&mut command);
        let ready = proc.wait_stdout(TIMEOUT, |out| out.ends_with(b"\n"));
        let line = proc.stdout_text();
        let port = line
            .trim()
            .strip_prefix("listening on 127.0.0.1:")
            .and_then(|p| p.parse().ok());
        match (ready, port) {
            (true, Some(port)) => OurServer { proc, port },
            _ => panic!("examples/server did not start:\n{}", proc.output_text()),
        }
    }

    /// What the server logged so far (one line per connection).
    pub fn log(&self) -> String {
        self.proc.stderr_text()
    }
}

/// A peer server started on a free port, retried on another port if the first was taken.
pub fn start_peer_server(ready_line: &str, mut command: impl FnMut(u16) -> Command) -> (Proc, u16) {
    for _ in 0..3 {
        let port = free_port();
        let mut proc = Proc::spawn(&mut command(port));
        if proc.wait_output(ready_line, TIMEOUT) {
            // Some servers print before they listen: wait for the port too.
            let deadline = Instant::now() + TIMEOUT;
            while Instant::now() < deadline {
                if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return (proc, port);
                }
                thread::sleep(Duration::from_millis(10));
            }
        }
        eprintln!(
            "peer server did not start, retrying:\n{}",
            proc.output_text()
        );
    }
    panic!("peer server did not start on three ports");
}

/// The `key=value` pairs of each summary line examples/client printed on stderr.
pub fn client_summaries(stderr: &str) -> Vec<std::collections::HashMap<String, String>> {
    stderr
        .lines()
        .filter(|l| l.starts_with("connection="))
        .map(|l| {
            l.split_whitespace()
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// The HTTP request the peers send our server.
pub const GET: &[u8] = b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

/// `size` bytes no peer's line discipline alters, each 64-byte line numbered: digits and
/// newlines only (openssl's s_server takes lines starting with letters as commands).
pub fn pattern(size: usize) -> Vec<u8> {
    let mut data = Vec::with_capacity(size + 64);
    let mut line = 0u64;
    while data.len() < size {
        data.extend_from_slice(format!("{line:063}\n").as_bytes());
        line += 1;
    }
    data.truncate(size);
    data
}

/// Sends `data` through an echo service on `stream`, 16 KiB at a time (each piece read
/// back before the next is sent, so neither side blocks on a full buffer), and returns
/// what came back.
pub fn echo_in_chunks(stream: &mut (impl Read + Write), data: &[u8]) -> Result<Vec<u8>, String> {
    let mut back = Vec::with_capacity(data.len());
    for piece in data.chunks(16 * 1024) {
        stream.write_all(piece).map_err(|e| e.to_string())?;
        let mut answer = vec![0u8; piece.len()];
        stream.read_exact(&mut answer).map_err(|e| e.to_string())?;
        back.extend_from_slice(&answer);
    }
    Ok(back)
}
