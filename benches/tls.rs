//! lucid-tls against rustls and against the crypto floor, in one criterion run: full
//! handshakes (every suite × group × certificate), resumed and 0-RTT handshakes, bulk
//! transfer, and the raw AEADs. Client and server in memory, no sockets; each side's CPU
//! time is measured on its own. `docs/performance.md` explains the ids and shows the results
//! (`cargo run --release --example perf_report` turns target/criterion into the tables).
//!
//! Stacks: `lucid-rustcrypto` (lucid-tls, default provider), `lucid-ring` (lucid-tls on the
//! optional ring provider), `rustls-ring` (rustls 0.23 on ring).

mod support;

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use support::cpu::{ThreadCpuTime, criterion_config};

use lucid_tls::crypto::{AEAD_TAG_LEN, CryptoProvider, suite_algorithms};
use support::lucid::{self, LucidStack, ServerKind};
use support::replay::{PairedTimes, Recorded};
use support::{
    BULK_BYTES, CERTS, GROUPS, RECORD_BYTES, SUITES, Scenario, Side, SideTimes, floor::FloorInput,
    rustls_stack, suite_name,
};

const SIDES: [Side; 2] = [Side::Client, Side::Server];
const RUSTLS: &str = "rustls-ring";

/// Full handshakes, and the floor of each.
fn full_handshakes(c: &mut Criterion<ThreadCpuTime>) {
    // Each scenario's handshakes and its floor are measured back to back: the machine's
    // background load drifts, and the ratio is between neighbours.
    for sc in Scenario::all() {
        let mut group = c.benchmark_group("full");
        for stack in lucid::stacks() {
            let client = stack.client_config(sc, false);
            let server = stack.server_config(sc, ServerKind::Plain);
            for side in SIDES {
                group.bench_function(format!("{}/{}/{}", stack.name, sc.id(), side.name()), |b| {
                    b.iter_custom(|iters| {
                        let mut times = SideTimes::default();
                        for i in 0..iters {
                            lucid::full_handshake(&client, &server, i, &mut times);
                        }
                        times.of(side)
                    })
                });
            }
        }
        let client = rustls_stack::client_config(sc, false);
        let server = rustls_stack::server_config(sc, ServerKind::Plain);
        for side in SIDES {
            group.bench_function(format!("{RUSTLS}/{}/{}", sc.id(), side.name()), |b| {
                b.iter_custom(|iters| {
                    let mut times = SideTimes::default();
                    for _ in 0..iters {
                        rustls_stack::full_handshake(&client, &server, &mut times);
                    }
                    times.of(side)
                })
            });
        }
        group.finish();
        let mut group = c.benchmark_group("floor");
        for stack in lucid::stacks() {
            let input = FloorInput::new(&stack, sc);
            let provider = stack.name.trim_start_matches("lucid-");
            group.bench_function(format!("{provider}/{}/client", sc.id()), |b| {
                let mut seed = 0;
                b.iter(|| {
                    seed += 1;
                    input.client(seed)
                })
            });
            group.bench_function(format!("{provider}/{}/server", sc.id()), |b| {
                let mut seed = 0;
                b.iter(|| {
                    seed += 1;
                    input.server(seed)
                })
            });
        }
        group.finish();
    }
}

/// The post-quantum hybrid X25519MLKEM768 against X25519 alone, on the default provider (the
/// ring provider has no ML-KEM), each side against its crypto floor. Three groups of ids,
/// e.g. `pq/lucid-rustcrypto/aes128gcm/x25519mlkem768/ecdsa/client`:
/// - `pq/...`: full handshakes with both sides alternating on one thread, each call into a
///   side timed on its own (as the `full` group);
/// - `pq-alone/...`: one side alone against its peer's recorded flights
///   (`support/replay.rs`), run in turns with its floor; besides criterion's time it prints
///   the side's time over the floor's from the same rounds (`side ÷ floor, paired`), the
///   figure issue 14's 1.05 goal is read from;
/// - `pq-floor/...`: the floor alone (`support/floor.rs`).
fn hybrid_handshakes(c: &mut Criterion<ThreadCpuTime>) {
    let stack = lucid::stacks().remove(0);
    for group in [
        lucid_tls::wire::algorithms::NamedGroup::X25519,
        lucid_tls::wire::algorithms::NamedGroup::X25519MlKem768,
    ] {
        let sc = Scenario {
            group,
            ..base(SUITES[0])
        };
        let mut bench = c.benchmark_group("pq");
        let client = stack.client_config(sc, false);
        let server = stack.server_config(sc, ServerKind::Plain);
        for side in SIDES {
            bench.bench_function(format!("{}/{}/{}", stack.name, sc.id(), side.name()), |b| {
                b.iter_custom(|iters| {
                    let mut times = SideTimes::default();
                    for i in 0..iters {
                        lucid::full_handshake(&client, &server, i, &mut times);
                    }
                    times.of(side)
                })
            });
        }
        bench.finish();
        // Each side alone against its peer's recorded flights, timed once per batch as the
        // floor is (support/replay.rs says why the interleaved figure above is higher).
        let recorded = Recorded::new(&client, &server);
        recorded.check(&client, &server);
        let input = FloorInput::new(&stack, sc);
        let mut bench = c.benchmark_group("pq-alone");
        for side in SIDES {
            let id = format!("{}/{}/{}", stack.name, sc.id(), side.name());
            let mut paired = PairedTimes::default();
            bench.bench_function(&id, |b| {
                b.iter_custom(|iters| {
                    paired.run(
                        iters,
                        || match side {
                            Side::Client => recorded.client(&client),
                            Side::Server => recorded.server(&server),
                        },
                        |seed| match side {
                            Side::Client => input.client(seed),
                            Side::Server => input.server(seed),
                        },
                    )
                })
            });
            paired.report(&format!("pq-alone/{id}"));
        }
        bench.finish();
        let mut bench = c.benchmark_group("pq-floor");
        for side in SIDES {
            bench.bench_function(format!("rustcrypto/{}/{}", sc.id(), side.name()), |b| {
                let mut seed = 0;
                b.iter(|| {
                    seed += 1;
                    match side {
                        Side::Client => input.client(seed),
                        Side::Server => input.server(seed),
                    }
                })
            });
        }
        bench.finish();
    }
}

/// The scenario of the resumption, 0-RTT and bulk benchmarks.
fn base(suite: lucid_tls::wire::algorithms::CipherSuite) -> Scenario {
    Scenario {
        suite,
        group: GROUPS[0],
        cert: CERTS[0],
    }
}

/// Resumed handshakes (a ticket, psk_dhe_ke; the server issues one new ticket each time,
/// which the next handshake uses) and 0-RTT (the same, sending a small request early).
fn resumed_handshakes(c: &mut Criterion<ThreadCpuTime>) {
    let sc = base(SUITES[0]);
    for (name, early) in [("resumed", false), ("0rtt", true)] {
        let kind = if early {
            ServerKind::EarlyData
        } else {
            ServerKind::Tickets
        };
        let mut group = c.benchmark_group(name);
        for stack in lucid::stacks() {
            let client = stack.client_config(sc, early);
            let server = stack.server_config(sc, kind);
            let mut untimed = SideTimes::default();
            let mut ticket = lucid::handshake(&client, &server, None, false, 0, &mut untimed)
                .ticket
                .expect("the server issues a ticket");
            for side in SIDES {
                group.bench_function(format!("{}/{}/{}", stack.name, sc.id(), side.name()), |b| {
                    b.iter_custom(|iters| {
                        let mut times = SideTimes::default();
                        for i in 0..iters {
                            let pair = lucid::handshake(
                                &client,
                                &server,
                                Some(ticket.clone()),
                                early,
                                i,
                                &mut times,
                            );
                            assert!(pair.client.negotiated().unwrap().psk.is_some());
                            ticket = pair.ticket.clone().expect("a new ticket");
                            times.on(Side::Client, || drop(pair.client));
                            times.on(Side::Server, || drop(pair.server));
                        }
                        times.of(side)
                    })
                });
            }
        }
        let client = rustls_stack::client_config(sc, early);
        let server = rustls_stack::server_config(sc, kind);
        rustls_stack::handshake(&client, &server, false, &mut SideTimes::default());
        for side in SIDES {
            group.bench_function(format!("{RUSTLS}/{}/{}", sc.id(), side.name()), |b| {
                b.iter_custom(|iters| {
                    let mut times = SideTimes::default();
                    for _ in 0..iters {
                        let pair = rustls_stack::handshake(&client, &server, early, &mut times);
                        assert_eq!(
                            pair.client.handshake_kind(),
                            Some(rustls::HandshakeKind::Resumed)
                        );
                        times.on(Side::Client, || drop(pair.client));
                        times.on(Side::Server, || drop(pair.server));
                    }
                    times.of(side)
                })
            });
        }
        group.finish();
    }
}

/// Runs `send` (untimed) and `receive` (timed) `iters` times.
fn timed_receive(
    iters: u64,
    mut send: impl FnMut() -> Vec<u8>,
    mut receive: impl FnMut(&[u8]) -> usize,
) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let records = send();
        let start = support::cpu::now();
        let n = receive(&records);
        total += support::cpu::now() - start;
        assert_eq!(n, BULK_BYTES);
    }
    total
}

/// 1 MiB in 16 KiB records, client to server and server to client: the sender's protect
/// (`write` + taking the records) and the receiver's unprotect (feeding them + taking the
/// plaintext) measured apart; and the raw AEAD on the same amount of data.
fn bulk(c: &mut Criterion<ThreadCpuTime>) {
    let data = vec![0xa5u8; BULK_BYTES];
    let mut group = c.benchmark_group("bulk");
    group.throughput(criterion::Throughput::Bytes(BULK_BYTES as u64));
    for suite in SUITES {
        let sc = base(suite);
        let aead = suite_name(suite);
        // A fresh pair for each benchmark: a sender benchmark drops its records, so its
        // peer's sequence numbers fall behind.
        for stack in lucid::stacks() {
            let client = stack.client_config(sc, false);
            let server = stack.server_config(sc, ServerKind::Plain);
            let pair =
                || lucid::handshake(&client, &server, None, false, 0, &mut SideTimes::default());
            let id = |dir: &str, what: &str| format!("{}/{aead}/{dir}/{what}", stack.name);
            let mut p = pair();
            group.bench_function(id("c2s", "send"), |b| {
                b.iter(|| black_box(lucid::send(&mut p.client, &data).len()))
            });
            let mut p = pair();
            group.bench_function(id("c2s", "receive"), |b| {
                b.iter_custom(|iters| {
                    timed_receive(
                        iters,
                        || lucid::send(&mut p.client, &data),
                        |r| lucid::receive(&mut p.server, r),
                    )
                })
            });
            let mut p = pair();
            group.bench_function(id("s2c", "send"), |b| {
                b.iter(|| black_box(lucid::send(&mut p.server, &data).len()))
            });
            let mut p = pair();
            group.bench_function(id("s2c", "receive"), |b| {
                b.iter_custom(|iters| {
                    timed_receive(
                        iters,
                        || lucid::send(&mut p.server, &data),
                        |r| lucid::receive(&mut p.client, r),
                    )
                })
            });
            caller_owned(&mut group, &pair, &id, &data);
        }
        let client = rustls_stack::client_config(sc, false);
        let server = rustls_stack::server_config(sc, ServerKind::Plain);
        let pair = || rustls_stack::handshake(&client, &server, false, &mut SideTimes::default());
        let mut buf = vec![0u8; RECORD_BYTES];
        let id = |dir: &str, what: &str| format!("{RUSTLS}/{aead}/{dir}/{what}");
        let mut p = pair();
        group.bench_function(id("c2s", "send"), |b| {
            b.iter(|| black_box(rustls_stack::send(&mut p.client, &data).len()))
        });
        let mut p = pair();
        group.bench_function(id("c2s", "receive"), |b| {
            b.iter_custom(|iters| {
                timed_receive(
                    iters,
                    || rustls_stack::send(&mut p.client, &data),
                    |r| rustls_stack::feed(&mut p.server, r, &mut buf),
                )
            })
        });
        let mut p = pair();
        group.bench_function(id("s2c", "send"), |b| {
            b.iter(|| black_box(rustls_stack::send(&mut p.server, &data).len()))
        });
        let mut p = pair();
        group.bench_function(id("s2c", "receive"), |b| {
            b.iter_custom(|iters| {
                timed_receive(
                    iters,
                    || rustls_stack::send(&mut p.server, &data),
                    |r| rustls_stack::feed(&mut p.client, r, &mut buf),
                )
            })
        });
        for stack in lucid::stacks() {
            raw_aead(&mut group, &stack, suite);
        }
    }
    group.finish();
}

/// The caller-owned buffer APIs, both directions: `seal`/`open` are records sealed and
/// opened in place in the caller's buffers (`seal_in_place`, `open_in_place`: no copy);
/// `send-into`/`receive-read` are `write` + `write_tls_into` and `feed` + `read` (copies,
/// into and out of the caller's reused buffers).
fn caller_owned(
    group: &mut criterion::BenchmarkGroup<'_, ThreadCpuTime>,
    pair: &dyn Fn() -> lucid::Established,
    id: &dyn Fn(&str, &str) -> String,
    data: &[u8],
) {
    let records = BULK_BYTES / RECORD_BYTES;
    for dir in ["c2s", "s2c"] {
        let mut p = pair();
        let mut bufs = lucid::record_buffers(records);
        group.bench_function(id(dir, "seal"), |b| {
            b.iter(|| match dir {
                "c2s" => black_box(lucid::seal_records(&mut p.client, &mut bufs)),
                _ => black_box(lucid::seal_records(&mut p.server, &mut bufs)),
            })
        });
        let mut p = pair();
        let mut bufs = lucid::record_buffers(records);
        let mut wire = Vec::new();
        group.bench_function(id(dir, "open"), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let n = if dir == "c2s" {
                        lucid::sealed_wire(&mut p.client, &mut bufs, &mut wire);
                        let start = support::cpu::now();
                        let n = lucid::open_records(&mut p.server, &mut wire);
                        total += support::cpu::now() - start;
                        n
                    } else {
                        lucid::sealed_wire(&mut p.server, &mut bufs, &mut wire);
                        let start = support::cpu::now();
                        let n = lucid::open_records(&mut p.client, &mut wire);
                        total += support::cpu::now() - start;
                        n
                    };
                    assert_eq!(n, BULK_BYTES);
                }
                total
            })
        });
        let mut p = pair();
        let mut out = Vec::new();
        group.bench_function(id(dir, "send-into"), |b| {
            b.iter(|| match dir {
                "c2s" => black_box(lucid::send_into(&mut p.client, data, &mut out)),
                _ => black_box(lucid::send_into(&mut p.server, data, &mut out)),
            })
        });
        let mut p = pair();
        let mut buf = vec![0u8; RECORD_BYTES];
        let mut wire = Vec::new();
        group.bench_function(id(dir, "receive-read"), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let (from, to) = match dir {
                        "c2s" => (
                            &mut p.client as &mut dyn Bulk,
                            &mut p.server as &mut dyn Bulk,
                        ),
                        _ => (
                            &mut p.server as &mut dyn Bulk,
                            &mut p.client as &mut dyn Bulk,
                        ),
                    };
                    from.send_into(data, &mut wire);
                    let start = support::cpu::now();
                    let n = to.receive_read(&wire, &mut buf);
                    total += support::cpu::now() - start;
                    assert_eq!(n, BULK_BYTES);
                }
                total
            })
        });
    }
}

/// Either role, for the benchmarks that run both directions.
trait Bulk {
    fn send_into(&mut self, data: &[u8], out: &mut Vec<u8>) -> usize;
    fn receive_read(&mut self, records: &[u8], buf: &mut [u8]) -> usize;
}

impl<S: lucid_tls::connection::Role> Bulk for lucid_tls::connection::Connection<S> {
    fn send_into(&mut self, data: &[u8], out: &mut Vec<u8>) -> usize {
        lucid::send_into(self, data, out)
    }
    fn receive_read(&mut self, records: &[u8], buf: &mut [u8]) -> usize {
        lucid::receive_read(self, records, buf)
    }
}

/// The provider's AEAD sealing and opening 64 records of 16 KiB + 1 content-type byte, with
/// a 5-byte header as AAD: the data the record layer protects.
fn raw_aead(
    group: &mut criterion::BenchmarkGroup<'_, ThreadCpuTime>,
    stack: &LucidStack,
    suite: lucid_tls::wire::algorithms::CipherSuite,
) {
    let provider: Arc<dyn CryptoProvider> = stack.provider.clone();
    let (alg, _) = suite_algorithms(suite).unwrap();
    let key = provider.aead(alg, &vec![7u8; alg.key_len()]).unwrap();
    let records = BULK_BYTES / RECORD_BYTES;
    let header = [23u8, 3, 3, 0x40, 0x11];
    let nonce = |i: usize| {
        let mut n = [0u8; 12];
        n[4..].copy_from_slice(&(i as u64).to_be_bytes());
        n
    };
    let mut sealed: Vec<(Vec<u8>, [u8; AEAD_TAG_LEN])> = (0..records)
        .map(|i| {
            let mut r = vec![0xa5u8; RECORD_BYTES + 1];
            let tag = key.seal_in_place(&nonce(i), &header, &mut r).unwrap();
            (r, tag)
        })
        .collect();
    let name = format!(
        "raw-{}/{}",
        stack.name.trim_start_matches("lucid-"),
        suite_name(suite)
    );
    group.bench_function(format!("{name}/seal"), |b| {
        b.iter(|| {
            for (i, (r, _)) in sealed.iter_mut().enumerate() {
                black_box(key.seal_in_place(&nonce(i), &header, r).unwrap());
            }
        })
    });
    // Re-seal so that every record opens.
    for (i, (r, tag)) in sealed.iter_mut().enumerate() {
        r.fill(0xa5);
        *tag = key.seal_in_place(&nonce(i), &header, r).unwrap();
    }
    group.bench_function(format!("{name}/open"), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let mut work = sealed.clone();
                let start = support::cpu::now();
                for (i, (r, tag)) in work.iter_mut().enumerate() {
                    key.open_in_place(&nonce(i), &header, r, tag).unwrap();
                }
                total += support::cpu::now() - start;
            }
            total
        })
    });
    // The same records where the record layer finds them: one after another in one buffer,
    // each behind its 5-byte header and followed by its tag, so the ciphertext starts at
    // the same (unaligned) addresses as in `open` of the record layer.
    let mut wire = Vec::new();
    for (r, tag) in &sealed {
        wire.extend_from_slice(&header);
        wire.extend_from_slice(r);
        wire.extend_from_slice(tag);
    }
    let stride = 5 + RECORD_BYTES + 1 + AEAD_TAG_LEN;
    group.bench_function(format!("{name}/open-in-wire"), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let mut work = wire.clone();
                let start = support::cpu::now();
                for (i, record) in work.chunks_exact_mut(stride).enumerate() {
                    let (ciphertext, tag) = record[5..].split_at_mut(RECORD_BYTES + 1);
                    let tag: [u8; AEAD_TAG_LEN] = (&*tag).try_into().unwrap();
                    key.open_in_place(&nonce(i), &header, ciphertext, &tag)
                        .unwrap();
                }
                total += support::cpu::now() - start;
            }
            total
        })
    });
}

criterion_group! {
    name = benches;
    config = criterion_config();
    targets = full_handshakes, resumed_handshakes, bulk, hybrid_handshakes
}
criterion_main!(benches);
