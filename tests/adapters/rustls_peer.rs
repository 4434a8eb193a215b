//! rustls as the peer of the std and embedded-io adapters: a server on loopback for one
//! connection, which echoes, misbehaves or closes as a test asks.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::thread::{self, JoinHandle};

use crate::pki;

/// What the rustls server does after its handshake.
#[derive(Clone, Copy)]
pub enum Peer {
    /// Sends back what arrives; answers close_notify with close_notify.
    Echo,
    /// As `Echo`, after a HelloRetryRequest: only P-256 key shares are accepted.
    EchoAfterRetry,
    /// Writes "bye", then a record of garbage outside TLS (the client must fail with
    /// bad_record_mac).
    Garbage,
    /// Writes "bye", then closes the TCP connection without close_notify.
    Truncate,
    /// Writes "bye" and close_notify, then waits for the client to close.
    Close,
}

/// Starts the server; returns its port and the thread serving the one connection.
pub fn start(peer: Peer) -> (u16, JoinHandle<()>) {
    let config = pki::rustls_server_config(matches!(peer, Peer::EchoAfterRetry));
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = thread::spawn(move || {
        let (tcp, _) = listener.accept().unwrap();
        let conn = rustls::ServerConnection::new(config).unwrap();
        let mut tls = rustls::StreamOwned::new(conn, tcp);
        match peer {
            Peer::Echo | Peer::EchoAfterRetry => {
                let mut buffer = [0u8; 4096];
                loop {
                    match tls.read(&mut buffer) {
                        Ok(0) => break,
                        Ok(n) => tls.write_all(&buffer[..n]).unwrap(),
                        Err(e) => panic!("rustls echo: {e}"),
                    }
                }
                tls.conn.send_close_notify();
                tls.flush().unwrap();
            }
            Peer::Garbage => {
                tls.write_all(b"bye").unwrap();
                tls.flush().unwrap();
                // An application_data record whose tag cannot verify.
                let mut record = vec![23, 3, 3, 0, 40];
                record.extend([0x5a; 40]);
                tls.sock.write_all(&record).unwrap();
                let mut rest = Vec::new();
                let _ = tls.sock.read_to_end(&mut rest);
            }
            Peer::Truncate => {
                tls.write_all(b"bye").unwrap();
                tls.flush().unwrap();
            }
            Peer::Close => {
                tls.write_all(b"bye").unwrap();
                tls.conn.send_close_notify();
                tls.flush().unwrap();
                let mut rest = Vec::new();
                let _ = tls.sock.read_to_end(&mut rest);
            }
        }
    });
    (port, server)
}
