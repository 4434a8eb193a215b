//! Decoding a ClientHello as large as a handshake message may be, made of empty
//! extensions: the work a server does on any such message before anything is
//! authenticated. RFC 9846 §4.3's duplicate check ("There MUST NOT be more than one
//! extension of the same type in a given extension block") must stay linear here.
//!
//! Goal (issue 13 §1 c): a 64 KiB ClientHello of 16,000 distinct empty extensions decodes
//! in under 1 ms in release. The same holds for the lists inside one extension that must
//! not repeat a code point (a supported_groups of 32,000 groups). Run:
//! `cargo bench --bench extensions`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};

// Thread CPU time, not wall time: the machine is shared (see the module).
#[path = "support/cpu.rs"]
mod cpu;
use cpu::{ThreadCpuTime, criterion_config};

use lucid_tls::wire::handshake::HandshakeMessage;

/// How many empty extensions the ClientHello carries (4 bytes each: 64,000 bytes).
const EXTENSIONS: u16 = 16_000;

/// The first extension type used: above every type this library knows, so each stays an
/// opaque, empty extension.
const FIRST_TYPE: u16 = 0x0100;

/// How many distinct groups the other ClientHello's supported_groups lists (64,000 bytes).
const GROUPS: u16 = 32_000;

/// A ClientHello message (header included) around the extension block `extensions`: TLS
/// 1.2 legacy_version, a zero random, no session id, one suite, null compression.
fn client_hello(extensions: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(&[0x03, 0x03]);
    body.extend_from_slice(&[0; 32]);
    body.push(0);
    body.extend_from_slice(&[0x00, 0x02, 0x13, 0x01]);
    body.extend_from_slice(&[0x01, 0x00]);
    body.extend_from_slice(&(extensions.len() as u16).to_be_bytes());
    body.extend_from_slice(extensions);
    let mut message = vec![1];
    message.extend_from_slice(&(body.len() as u32).to_be_bytes()[1..]);
    message.extend_from_slice(&body);
    message
}

/// 16,000 distinct empty extensions.
fn empty_extensions() -> Vec<u8> {
    let mut block = Vec::new();
    for typ in FIRST_TYPE..FIRST_TYPE + EXTENSIONS {
        block.extend_from_slice(&typ.to_be_bytes());
        block.extend_from_slice(&[0, 0]);
    }
    block
}

/// One supported_groups extension (RFC 9846 §4.3.7) of 32,000 distinct groups.
fn many_groups() -> Vec<u8> {
    let list_len = GROUPS * 2;
    let mut block = vec![0x00, 0x0a];
    block.extend_from_slice(&(list_len + 2).to_be_bytes());
    block.extend_from_slice(&list_len.to_be_bytes());
    for group in 0x0100..0x0100 + GROUPS {
        block.extend_from_slice(&group.to_be_bytes());
    }
    block
}

fn decode(c: &mut Criterion<ThreadCpuTime>) {
    let message = client_hello(&empty_extensions());
    assert!(message.len() > 64_000 && message.len() < 1 << 16);
    // A sanity check that the benchmark measures a successful decode, not an early error.
    match HandshakeMessage::decode(&message, None) {
        Ok(HandshakeMessage::ClientHello(hello)) => {
            assert_eq!(hello.extensions.len(), usize::from(EXTENSIONS))
        }
        other => panic!("not decoded: {other:?}"),
    }
    let mut group = c.benchmark_group("extensions");
    group.bench_function("decode 64 KiB ClientHello of 16000 empty extensions", |b| {
        b.iter(|| HandshakeMessage::decode(black_box(&message), None))
    });
    let groups = client_hello(&many_groups());
    assert!(groups.len() > 64_000 && groups.len() < 1 << 16);
    assert!(HandshakeMessage::decode(&groups, None).is_ok());
    group.bench_function("decode 64 KiB ClientHello of 32000 supported groups", |b| {
        b.iter(|| HandshakeMessage::decode(black_box(&groups), None))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = criterion_config();
    targets = decode
}
criterion_main!(benches);
