//! The embedded-io adapters over TCP on loopback: the blocking and the async client
//! against a rustls server, and the blocking server against `openssl s_client`.

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::Arc;

use embedded_io::{Read, Write};
use lucid_tls::adapters::embedded::{StreamError, TlsStream};
use lucid_tls::client::ClientConnection;
use lucid_tls::os_rng::OsRng;
use lucid_tls::server::ServerConnection;
use lucid_tls::time::Time;
use lucid_tls::wire::alert::AlertDescription;

use crate::harness;
use crate::pki;
use crate::rustls_peer::{self, Peer};

/// A std TCP stream as an embedded-io transport.
struct Tcp(TcpStream);

impl embedded_io::ErrorType for Tcp {
    type Error = std::io::Error;
}

impl embedded_io::Read for Tcp {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, Self::Error> {
        self.0.read(buf)
    }
}

impl embedded_io::Write for Tcp {
    fn write(&mut self, buf: &[u8]) -> Result<usize, Self::Error> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> Result<(), Self::Error> {
        self.0.flush()
    }
}

/// A tokio TCP stream as an embedded-io-async transport.
struct AsyncTcp(tokio::net::TcpStream);

impl embedded_io_async::ErrorType for AsyncTcp {
    type Error = std::io::Error;
}

impl embedded_io_async::Read for AsyncTcp {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, Self::Error> {
        tokio::io::AsyncReadExt::read(&mut self.0, buf).await
    }
}

impl embedded_io_async::Write for AsyncTcp {
    async fn write(&mut self, buf: &[u8]) -> Result<usize, Self::Error> {
        tokio::io::AsyncWriteExt::write(&mut self.0, buf).await
    }
    async fn flush(&mut self) -> Result<(), Self::Error> {
        tokio::io::AsyncWriteExt::flush(&mut self.0).await
    }
}

/// A client connection with the test PKI's trust.
fn client_connection() -> ClientConnection {
    ClientConnection::new(
        Arc::new(pki::client_config()),
        Some("localhost"),
        Box::new(OsRng),
        Time::now(),
    )
    .unwrap()
}

#[test]
fn embedded_io_blocking_client_echoes_through_rustls() {
    let (port, server) = rustls_peer::start(Peer::Echo);
    let tcp = Tcp(TcpStream::connect(("127.0.0.1", port)).unwrap());
    // A small read buffer, as on a microcontroller: records are gathered by the connection.
    let mut read_buffer = [0u8; 300];
    let mut tls = TlsStream::new(client_connection(), tcp, &mut read_buffer, Time::now);
    tls.handshake().unwrap();
    let message: Vec<u8> = (0..40_000u32).map(|i| (i % 251) as u8).collect();
    let mut echoed = vec![0u8; message.len()];
    let mut sent = 0;
    let mut received = 0;
    while received < message.len() {
        if sent < message.len() {
            let end = (sent + 7000).min(message.len());
            tls.write_all(&message[sent..end]).unwrap();
            tls.flush().unwrap();
            sent = end;
        }
        received += tls.read(&mut echoed[received..sent]).unwrap();
    }
    assert!(echoed == message);
    tls.close().unwrap();
    assert_eq!(tls.read(&mut [0u8; 8]).unwrap(), 0);
    server.join().unwrap();
}

#[test]
fn embedded_io_blocking_client_reports_truncation_and_sticky_errors() {
    let (port, server) = rustls_peer::start(Peer::Truncate);
    let tcp = Tcp(TcpStream::connect(("127.0.0.1", port)).unwrap());
    let mut read_buffer = [0u8; 512];
    let mut tls = TlsStream::new(client_connection(), tcp, &mut read_buffer, Time::now);
    let mut bye = [0u8; 3];
    tls.read_exact(&mut bye).unwrap();
    assert!(matches!(
        tls.read(&mut bye),
        Err(StreamError::UnexpectedEof)
    ));
    server.join().unwrap();

    let (port, server) = rustls_peer::start(Peer::Garbage);
    let tcp = Tcp(TcpStream::connect(("127.0.0.1", port)).unwrap());
    let mut tls = TlsStream::new(client_connection(), tcp, &mut read_buffer, Time::now);
    tls.read_exact(&mut bye).unwrap();
    let Err(StreamError::Tls(first)) = tls.read(&mut bye) else {
        panic!("no TLS error");
    };
    assert_eq!(first.alert(), Some(AlertDescription::BadRecordMac));
    // Sticky, without waiting on the transport (the peer waits too).
    assert!(matches!(tls.read(&mut bye), Err(StreamError::Tls(again)) if again == first));
    drop(tls);
    server.join().unwrap();
}

#[tokio::test]
async fn embedded_io_async_client_echoes_through_rustls() {
    use embedded_io_async::{Read, Write};
    use lucid_tls::adapters::embedded_async::TlsStream;
    let (port, server) = rustls_peer::start(Peer::Echo);
    let tcp = AsyncTcp(
        tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .unwrap(),
    );
    let mut read_buffer = [0u8; 1024];
    let mut tls = TlsStream::new(client_connection(), tcp, &mut read_buffer, Time::now);
    tls.handshake().await.unwrap();
    tls.write_all(b"async embedded hello").await.unwrap();
    tls.flush().await.unwrap();
    let mut echoed = [0u8; 20];
    tls.read_exact(&mut echoed).await.unwrap();
    assert_eq!(&echoed, b"async embedded hello");
    tls.close().await.unwrap();
    assert_eq!(tls.read(&mut [0u8; 8]).await.unwrap(), 0);
    drop(tls);
    tokio::task::spawn_blocking(move || server.join().unwrap())
        .await
        .unwrap();
}

#[test]
fn embedded_io_blocking_server_answers_openssl_s_client() {
    let Some(openssl) = harness::require("openssl") else {
        return;
    };
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut client = Command::new(openssl)
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
        .unwrap();
    let mut stdin = client.stdin.take().unwrap();
    stdin.write_all(b"ping from openssl\n").unwrap();
    let (tcp, _) = listener.accept().unwrap();
    let conn = ServerConnection::new(Arc::new(pki::server_config()), Box::new(OsRng), Time::now())
        .unwrap();
    let mut read_buffer = [0u8; 256];
    let mut tls = TlsStream::new(conn, Tcp(tcp), &mut read_buffer, Time::now);
    let mut line = [0u8; 18];
    tls.read_exact(&mut line).unwrap();
    assert_eq!(&line, b"ping from openssl\n");
    tls.write_all(b"pong from lucid-tls\n").unwrap();
    tls.close().unwrap();
    drop(stdin);
    let output = client.wait_with_output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "pong from lucid-tls\n",
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
