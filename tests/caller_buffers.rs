//! Caller-owned buffers (issue 12 §3): output written into the caller's buffer or an
//! `io::Write` that takes it in pieces, plaintext read into the caller's buffer, and
//! application data records sealed and opened in the caller's buffer.

mod common;

use std::io::{self, Write};

use common::setup::{client_config, connect, run, server_config};
use lucid_tls::Error;
use lucid_tls::client::ClientConnection;
use lucid_tls::connection::Event;
use lucid_tls::pair::Pair;
use lucid_tls::server::ServerConnection;
use lucid_tls::wire::alert::AlertDescription;

fn established() -> Pair {
    let mut pair = connect(client_config(), server_config(), None, 1);
    run(&mut pair);
    pair
}

/// The events the server queued since the last call.
fn server_events(server: &mut ServerConnection) -> Vec<Event> {
    std::iter::from_fn(|| server.poll_event()).collect()
}

/// Everything `from` has queued, taken `chunk` bytes at a time with `write_tls_into`.
fn drain(from: &mut ClientConnection, chunk: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = vec![0u8; chunk];
    loop {
        let n = from.write_tls_into(&mut buf);
        if n == 0 {
            return out;
        }
        out.extend_from_slice(&buf[..n]);
    }
}

#[test]
fn write_tls_into_and_read_move_data_in_small_pieces() {
    let mut pair = established();
    pair.server.enable_reader();
    let data: Vec<u8> = (0..40_000u32).map(|i| i as u8).collect();
    pair.client.write(&data).unwrap();
    let wire = drain(&mut pair.client, 7);
    assert!(!pair.client.has_output());
    pair.server.feed(pair.now, &wire).unwrap();
    // The data is for `read`, not an event.
    assert!(server_events(&mut pair.server).is_empty());
    assert_eq!(pair.server.readable(), data.len());
    let mut received = Vec::new();
    let mut buf = [0u8; 1000];
    loop {
        let n = pair.server.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        received.extend_from_slice(&buf[..n]);
    }
    assert_eq!(received, data);
    // Without enable_reader, read is refused and data stays an event.
    let mut buf = [0u8; 4];
    assert!(matches!(pair.client.read(&mut buf), Err(Error::Misuse(_))));
}

/// A transport that takes at most `max` bytes per write and refuses every third call.
struct Stingy {
    taken: Vec<u8>,
    max: usize,
    calls: usize,
}

impl Write for Stingy {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.calls += 1;
        if self.calls.is_multiple_of(3) {
            return Err(io::ErrorKind::WouldBlock.into());
        }
        let n = buf.len().min(self.max);
        self.taken.extend_from_slice(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn write_tls_loses_nothing_on_short_writes_and_would_block() {
    let mut pair = established();
    pair.client.write(&[0x5a; 20_000]).unwrap();
    let mut transport = Stingy {
        taken: Vec::new(),
        max: 1000,
        calls: 0,
    };
    while pair.client.has_output() {
        match pair.client.write_tls(&mut transport) {
            Ok(n) => assert!(n > 0),
            // Refused before anything was written: the bytes stay queued.
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
            Err(e) => panic!("{e}"),
        }
    }
    assert!(
        transport.calls / 3 > 5,
        "the transport refused several writes"
    );
    pair.server.feed(pair.now, &transport.taken).unwrap();
    let data: Vec<u8> = server_events(&mut pair.server)
        .into_iter()
        .filter_map(|e| match e {
            Event::ApplicationData(d) => Some(d),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(data, vec![0x5a; 20_000]);
}

#[test]
fn records_seal_and_open_in_the_callers_buffer() {
    let mut pair = established();
    let content = b"in place, no copies";
    let mut record = vec![0u8; ClientConnection::sealed_len(content.len())];
    record[5..5 + content.len()].copy_from_slice(content);
    let len = pair
        .client
        .seal_in_place(&mut record, content.len())
        .unwrap();
    assert_eq!(len, record.len());
    assert_ne!(&record[5..5 + content.len()], content, "sealed in place");

    // Half a record: nothing used yet.
    let (used, data) = pair
        .server
        .open_in_place(pair.now, &mut record[..10])
        .unwrap();
    assert_eq!((used, data), (0, None));
    let (used, data) = pair.server.open_in_place(pair.now, &mut record).unwrap();
    assert_eq!(used, len);
    assert_eq!(data, Some(&content[..]));

    // A KeyUpdate travels the engine's path; later records open under the new key.
    pair.client.key_update(true).unwrap();
    let mut other = vec![0u8; ClientConnection::sealed_len(1)];
    assert!(matches!(
        pair.client.seal_in_place(&mut other, 1),
        Err(Error::Misuse(_))
    ));
    let mut key_update = drain(&mut pair.client, 4096);
    let key_update_len = key_update.len();
    let (used, data) = pair
        .server
        .open_in_place(pair.now, &mut key_update)
        .unwrap();
    assert_eq!((used, data), (key_update_len, None));
    assert!(
        pair.server.has_output(),
        "the server answers update_requested"
    );
    let mut record = vec![0u8; ClientConnection::sealed_len(content.len())];
    record[5..5 + content.len()].copy_from_slice(content);
    pair.client
        .seal_in_place(&mut record, content.len())
        .unwrap();
    let (_, data) = pair.server.open_in_place(pair.now, &mut record).unwrap();
    assert_eq!(data, Some(&content[..]));
}

#[test]
fn a_tampered_record_opened_in_place_fails_with_bad_record_mac() {
    let mut pair = established();
    let mut record = vec![0u8; ClientConnection::sealed_len(3)];
    record[5..8].copy_from_slice(b"abc");
    pair.client.seal_in_place(&mut record, 3).unwrap();
    let last = record.len() - 1;
    record[last] ^= 1;
    let err = pair
        .server
        .open_in_place(pair.now, &mut record)
        .unwrap_err();
    assert_eq!(err.alert(), Some(AlertDescription::BadRecordMac));
    // Sticky, and the alert is queued for the peer.
    assert_eq!(
        pair.server
            .open_in_place(pair.now, &mut record)
            .unwrap_err(),
        err
    );
    assert!(pair.server.has_output());
}
