//! The tokio adapter: 200 concurrent handshakes with echo, from our client, `openssl
//! s_client` and curl; deferred decisions answered off the executor; the handshake
//! timeout; 1,000 stalled clients while fresh ones are served, with the server's memory.

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use lucid_tls::Error;
use lucid_tls::adapters::tokio::{
    DEFAULT_MAX_HANDSHAKES, DecisionFuture, Decisions, TlsAcceptor, TlsConnector,
};
use lucid_tls::client::{ClientConfig, ServerCertVerifier};
use lucid_tls::connection::{SignRequest, VerifyRequest};
use lucid_tls::crypto::SigningKey;
use lucid_tls::os_rng::OsRng;
use lucid_tls::server::ServerConfig;
use rustls::pki_types::ServerName;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

use crate::harness;
use crate::later::{Later, verdict_of};
use crate::pki;

/// The body of the test server's HTTP answer.
const PAGE: &str = "hello from the tokio adapter\n";

/// Serves every connection on `listener` with `acceptor`: a line starting with `GET ` gets
/// an HTTP 200 with [`PAGE`]; any other line is echoed. Then close_notify. Counts the TCP
/// connections accepted.
async fn serve(listener: TcpListener, acceptor: TlsAcceptor, accepted: Arc<AtomicUsize>) {
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            continue;
        };
        accepted.fetch_add(1, Ordering::SeqCst);
        let acceptor = acceptor.clone();
        tokio::spawn(async move {
            let Ok(tls) = acceptor.accept(tcp).await else {
                return;
            };
            let mut tls = BufReader::new(tls);
            let mut line = String::new();
            if tls.read_line(&mut line).await.is_err() {
                return;
            }
            let answer = if line.starts_with("GET ") {
                // The rest of the request head.
                loop {
                    let mut header = String::new();
                    match tls.read_line(&mut header).await {
                        Ok(0) | Err(_) => return,
                        Ok(_) if header == "\r\n" || header == "\n" => break,
                        Ok(_) => {}
                    }
                }
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{PAGE}",
                    PAGE.len()
                )
            } else {
                line
            };
            let mut tls = tls.into_inner();
            let _ = tls.write_all(answer.as_bytes()).await;
            let _ = tls.shutdown().await;
        });
    }
}

/// Starts the test server on a free port with `acceptor`.
async fn start(acceptor: TlsAcceptor) -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(AtomicUsize::new(0));
    tokio::spawn(serve(listener, acceptor, accepted.clone()));
    (port, accepted)
}

/// One echo with our client: sends `line`, returns what came back before close_notify.
async fn our_client(connector: TlsConnector, port: u16, line: String) -> std::io::Result<String> {
    let tcp = TcpStream::connect(("127.0.0.1", port)).await?;
    let mut tls = connector
        .connect(ServerName::try_from("localhost").unwrap(), tcp)
        .await?;
    tls.write_all(line.as_bytes()).await?;
    tls.flush().await?;
    let mut echoed = String::new();
    tls.read_to_string(&mut echoed).await?;
    tls.shutdown().await?;
    Ok(echoed)
}

/// One echo with `openssl s_client`, in a blocking thread.
fn openssl_client(openssl: &std::path::Path, port: u16, line: &str) -> Result<String, String> {
    let mut child = Command::new(openssl)
        .args(["s_client", "-connect", &format!("127.0.0.1:{port}")])
        .args([
            "-servername",
            "localhost",
            "-tls1_3",
            "-quiet",
            "-verify_return_error",
        ])
        .arg("-CAfile")
        .arg(&pki::pki().ca_pem_path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(line.as_bytes())
        .map_err(|e| e.to_string())?;
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if stdout == line {
        Ok(stdout)
    } else {
        Err(format!(
            "{stdout:?} {}",
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// One GET with curl, in a blocking thread.
fn curl_client(curl: &std::path::Path, port: u16) -> Result<String, String> {
    let output = Command::new(curl)
        .args(["-s", "-S", "--max-time", "60", "--cacert"])
        .arg(&pki::pki().ca_pem_path)
        .arg(format!("https://localhost:{port}/"))
        .output()
        .map_err(|e| e.to_string())?;
    let body = String::from_utf8_lossy(&output.stdout).into_owned();
    if body == PAGE {
        Ok(body)
    } else {
        Err(format!(
            "{body:?} {}",
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// The resident set size of this process (the server's, with the clients we run in it).
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokio_200_concurrent_handshakes_with_echo_from_our_client_openssl_and_curl() {
    let (Some(openssl), Some(curl)) = (harness::require("openssl"), harness::require("curl"))
    else {
        return;
    };
    let acceptor = TlsAcceptor::new(Arc::new(pki::server_config()));
    let (port, accepted) = start(acceptor).await;
    let connector = TlsConnector::new(Arc::new(pki::client_config()));
    let rss_before = rss_kib();

    let mut ours = Vec::new();
    for i in 0..150 {
        let line = format!("hello {i} from lucid-tls\n");
        let connector = connector.clone();
        ours.push(tokio::spawn(async move {
            let echoed = our_client(connector, port, line.clone()).await;
            echoed.map_err(|e| e.to_string()).and_then(|echoed| {
                (echoed == line)
                    .then_some(())
                    .ok_or(format!("echo {echoed:?}"))
            })
        }));
    }
    let mut theirs = Vec::new();
    for i in 0..25 {
        let openssl = openssl.clone();
        theirs.push(tokio::task::spawn_blocking(move || {
            openssl_client(&openssl, port, &format!("hello {i} from openssl\n")).map(|_| ())
        }));
        let curl = curl.clone();
        theirs.push(tokio::task::spawn_blocking(move || {
            curl_client(&curl, port).map(|_| ())
        }));
    }
    let mut failures = Vec::new();
    for task in ours.into_iter().chain(theirs) {
        if let Err(e) = task.await.unwrap() {
            failures.push(e);
        }
    }
    let rss_after = rss_kib();
    println!(
        "200 concurrent handshakes (150 lucid-tls, 25 openssl s_client, 25 curl): {} failed; \
         {} TCP connections accepted; RSS {rss_before} KiB before, {rss_after} KiB after",
        failures.len(),
        accepted.load(Ordering::SeqCst)
    );
    assert!(failures.is_empty(), "failures: {failures:?}");
    assert_eq!(accepted.load(Ordering::SeqCst), 200);
}

/// Answers deferred decisions with the wrapped verifier and key, on tokio's blocking pool.
struct OffTheExecutor {
    verifier: Option<Arc<dyn ServerCertVerifier>>,
    key: Option<Arc<dyn SigningKey>>,
    answered: Arc<AtomicUsize>,
}

impl Decisions for OffTheExecutor {
    fn verify(&self, request: VerifyRequest) -> DecisionFuture<Result<(), Error>> {
        let verifier = self.verifier.clone().unwrap();
        let answered = self.answered.clone();
        Box::pin(async move {
            tokio::task::spawn_blocking(move || {
                answered.fetch_add(1, Ordering::SeqCst);
                verdict_of(verifier.as_ref(), &request)
            })
            .await
            .unwrap_or(Err(Error::Misuse("the verifier panicked")))
        })
    }

    fn sign(&self, request: SignRequest) -> DecisionFuture<Result<Vec<u8>, Error>> {
        let key = self.key.clone().unwrap();
        let answered = self.answered.clone();
        Box::pin(async move {
            tokio::task::spawn_blocking(move || {
                answered.fetch_add(1, Ordering::SeqCst);
                key.sign(request.scheme, &request.message, &mut OsRng)
                    .map_err(Error::from)
            })
            .await
            .unwrap_or(Err(Error::Misuse("the key panicked")))
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokio_deferred_decisions_are_answered_through_the_adapter() {
    let mut server_config: ServerConfig = pki::server_config();
    let key = server_config.certificates[0].key.clone();
    server_config.certificates[0].key = Arc::new(Later(key.clone()));
    let server_answers = Arc::new(AtomicUsize::new(0));
    let acceptor =
        TlsAcceptor::new(Arc::new(server_config)).with_decisions(Arc::new(OffTheExecutor {
            verifier: None,
            key: Some(key),
            answered: server_answers.clone(),
        }));
    let (port, _) = start(acceptor).await;

    let mut client_config: ClientConfig = pki::client_config();
    let verifier = client_config.verifier.clone();
    client_config.verifier = Arc::new(Later(verifier.clone()));
    let client_answers = Arc::new(AtomicUsize::new(0));
    let connector = TlsConnector::new(Arc::new(client_config.clone())).with_decisions(Arc::new(
        OffTheExecutor {
            verifier: Some(verifier),
            key: None,
            answered: client_answers.clone(),
        },
    ));
    let echoed = our_client(connector, port, "deferred\n".into())
        .await
        .unwrap();
    assert_eq!(echoed, "deferred\n");
    assert_eq!(server_answers.load(Ordering::SeqCst), 1);
    assert_eq!(client_answers.load(Ordering::SeqCst), 1);

    // Without a `Decisions`, a pause fails the handshake instead of hanging.
    let connector = TlsConnector::new(Arc::new(client_config));
    let err = our_client(connector, port, "x\n".into()).await.unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::Unsupported);
}

/// Half a ClientHello: the record header, the handshake header and the start of the body.
fn half_client_hello() -> Vec<u8> {
    let mut bytes = vec![
        0x16, 0x03, 0x01, 0x00, 0xc4, 0x01, 0x00, 0x00, 0xc0, 0x03, 0x03,
    ];
    bytes.extend([0u8; 40]);
    bytes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokio_handshake_timeout_ends_a_stalled_handshake() {
    let acceptor = TlsAcceptor::new(Arc::new(pki::server_config()))
        .with_handshake_timeout(Duration::from_millis(300));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut stalled = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    stalled.write_all(&half_client_hello()).await.unwrap();
    let (tcp, _) = listener.accept().await.unwrap();
    let err = acceptor.accept(tcp).await.unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::TimedOut);
    // The server dropped the connection: the stalled client sees its end.
    let mut rest = Vec::new();
    assert_eq!(stalled.read_to_end(&mut rest).await.unwrap_or(0), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokio_1000_stalled_clients_while_fresh_ones_are_served_in_bounded_memory() {
    const STALLED: usize = 1000;
    let acceptor = TlsAcceptor::new(Arc::new(pki::server_config()));
    let (port, accepted) = start(acceptor.clone()).await;
    let connector = TlsConnector::new(Arc::new(pki::client_config()));
    // Warm up: the first handshakes allocate what every later one reuses.
    for i in 0..5 {
        our_client(connector.clone(), port, format!("warm {i}\n"))
            .await
            .unwrap();
    }
    let rss_before = rss_kib();

    let mut stalled = Vec::with_capacity(STALLED);
    for _ in 0..STALLED {
        let mut tcp = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        tcp.write_all(&half_client_hello()).await.unwrap();
        stalled.push(tcp);
    }
    while accepted.load(Ordering::SeqCst) < 5 + STALLED {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // Let the server read every half ClientHello.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let in_progress = acceptor.handshakes_in_progress();
    let rss_stalled = rss_kib();

    let mut fresh = Vec::new();
    for i in 0..50 {
        let connector = connector.clone();
        fresh.push(tokio::spawn(async move {
            our_client(connector, port, format!("fresh {i}\n")).await
        }));
    }
    let mut served = 0;
    for task in fresh {
        if task
            .await
            .unwrap()
            .is_ok_and(|echo| echo.starts_with("fresh "))
        {
            served += 1;
        }
    }
    let rss_after = rss_kib();
    println!(
        "{STALLED} stalled clients (half a ClientHello each), {in_progress} handshakes in \
         progress (cap {DEFAULT_MAX_HANDSHAKES}), {served}/50 fresh clients served; server \
         RSS {rss_before} KiB before, {rss_stalled} KiB with the stalled clients, {rss_after} \
         KiB after the fresh ones"
    );
    assert_eq!(served, 50);
    assert!(in_progress <= DEFAULT_MAX_HANDSHAKES);
    // Bounded: the cap times what one stalled handshake holds, far below 1,000 of them
    // with a full record buffer each.
    assert!(
        rss_stalled.saturating_sub(rss_before) < 32 * 1024,
        "RSS grew by {} KiB",
        rss_stalled - rss_before
    );
    drop(stalled);
}
