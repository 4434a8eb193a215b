//! Memory: heap per connection, lucid-tls against rustls, in one run.
//!
//! A counting global allocator charges every allocation to the side whose code made it
//! (client or server: the drivers in `support` mark each call) and tracks, per side, the
//! bytes live and their peak. Reported, for one connection of each stack:
//!
//! - **handshake peak**: the most heap the side held at any moment from creating its
//!   connection to the end of the handshake, including its record buffers and the
//!   messages it had queued for sending (until the driver took them);
//! - **established, idle**: what stays allocated once the handshake is over and all output
//!   and events were taken (connection state, keys, and whatever buffers it keeps);
//! - **established, after traffic**: the same after 1 MiB each way in 16 KiB records (now
//!   including any record buffers that grew and were kept);
//! - `size_of` of the connection types (the part that lives wherever the application puts
//!   the connection, not on the heap; not included in the heap figures).
//!
//! Configurations (certificates, keys, verifiers, shared by all connections) are made
//! outside the counted region. Prints a markdown table and writes
//! `target/criterion/memory.json` for `examples/perf_report.rs`.

mod support;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use support::lucid::{self, ServerKind};
use support::{BULK_BYTES, CERTS, GROUPS, SUITES, Scenario, Side, SideTimes, rustls_stack};

/// Space before each block for the side it was charged to (and to keep alignment).
const HEADER: usize = 16;

struct Counting;

static LIVE: [AtomicUsize; 3] = [
    AtomicUsize::new(0),
    AtomicUsize::new(0),
    AtomicUsize::new(0),
];
/// How many allocations each side made (for the allocations per record).
static ALLOCS: [AtomicUsize; 3] = [
    AtomicUsize::new(0),
    AtomicUsize::new(0),
    AtomicUsize::new(0),
];
static PEAK: [AtomicUsize; 3] = [
    AtomicUsize::new(0),
    AtomicUsize::new(0),
    AtomicUsize::new(0),
];

fn current_side() -> usize {
    support::CURRENT_SIDE
        .try_with(|s| s.get() as usize)
        .unwrap_or(0)
        .min(2)
}

fn outer_layout(layout: Layout) -> (Layout, usize) {
    let align = layout.align().max(HEADER);
    // The size cannot overflow for any allocation a benchmark makes.
    let outer = Layout::from_size_align(layout.size() + align, align).expect("layout");
    (outer, align)
}

// SAFETY: every block handed out is `align` bytes into a System block of the outer layout;
// the byte just before it records the side, and dealloc undoes exactly that.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let (outer, offset) = outer_layout(layout);
        let base = unsafe { System.alloc(outer) };
        if base.is_null() {
            return base;
        }
        let side = current_side();
        ALLOCS[side].fetch_add(1, Ordering::Relaxed);
        let ptr = unsafe { base.add(offset) };
        unsafe { ptr.sub(1).write(side as u8) };
        let live = LIVE[side].fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK[side].fetch_max(live, Ordering::Relaxed);
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let (outer, offset) = outer_layout(layout);
        let side = unsafe { ptr.sub(1).read() } as usize;
        LIVE[side.min(2)].fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr.sub(offset), outer) };
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Live bytes of `side` now.
fn live(side: Side) -> usize {
    LIVE[side as usize + 1].load(Ordering::Relaxed)
}

/// Starts a peak measurement for both sides.
fn reset_peaks() {
    for i in 1..3 {
        PEAK[i].store(LIVE[i].load(Ordering::Relaxed), Ordering::Relaxed);
    }
}

fn peak(side: Side) -> usize {
    PEAK[side as usize + 1].load(Ordering::Relaxed)
}

/// One stack's figures for one side.
#[derive(Clone, Copy, Default)]
struct Figures {
    handshake_peak: usize,
    idle: usize,
    after_traffic: usize,
}

/// Measures `run` (a handshake returning the established pair, then traffic), given the
/// live bytes of each side before.
fn measure<P>(
    handshake: impl FnOnce(&mut SideTimes) -> P,
    traffic: impl FnOnce(&mut P, &mut SideTimes),
) -> [Figures; 2] {
    let mut times = SideTimes::default();
    let base = [live(Side::Client), live(Side::Server)];
    reset_peaks();
    let mut pair = handshake(&mut times);
    let mut out = [Figures::default(); 2];
    for (i, side) in [Side::Client, Side::Server].into_iter().enumerate() {
        out[i].handshake_peak = peak(side) - base[i];
        out[i].idle = live(side) - base[i];
    }
    traffic(&mut pair, &mut times);
    for (i, side) in [Side::Client, Side::Server].into_iter().enumerate() {
        out[i].after_traffic = live(side) - base[i];
    }
    drop(pair);
    out
}

fn lucid_figures(stack: &lucid::LucidStack, sc: Scenario) -> [Figures; 2] {
    let client = stack.client_config(sc, false);
    let server = stack.server_config(sc, ServerKind::Plain);
    let data = vec![0x5au8; BULK_BYTES];
    measure(
        |times| lucid::handshake(&client, &server, None, false, 1, times),
        |pair, times| {
            let records = times.on(Side::Client, || lucid::send(&mut pair.client, &data));
            let n = times.on(Side::Server, || lucid::receive(&mut pair.server, &records));
            drop(records);
            let records = times.on(Side::Server, || lucid::send(&mut pair.server, &data));
            let m = times.on(Side::Client, || lucid::receive(&mut pair.client, &records));
            assert_eq!((n, m), (BULK_BYTES, BULK_BYTES));
        },
    )
}

/// Allocations per 16 KiB record in a steady state (after one warm-up megabyte), client to
/// server, for each way of moving application data: (API, sender's allocations per record,
/// receiver's allocations per record).
fn allocations_per_record(
    stack: &lucid::LucidStack,
    sc: Scenario,
) -> Vec<(&'static str, f64, f64)> {
    let client = stack.client_config(sc, false);
    let server = stack.server_config(sc, ServerKind::Plain);
    let data = vec![0x5au8; BULK_BYTES];
    let records = (BULK_BYTES / support::RECORD_BYTES) as f64;
    let mut times = SideTimes::default();
    let mut pair = lucid::handshake(&client, &server, None, false, 1, &mut times);
    let count = |side: Side| ALLOCS[side as usize + 1].load(Ordering::Relaxed);
    let mut rows = Vec::new();
    // Each transfer runs twice: the first grows the buffers, the second is measured.
    let mut measured = |name, run: &mut dyn FnMut(&mut lucid::Established, &mut SideTimes)| {
        run(&mut pair, &mut times);
        let before = [count(Side::Client), count(Side::Server)];
        run(&mut pair, &mut times);
        rows.push((
            name,
            (count(Side::Client) - before[0]) as f64 / records,
            (count(Side::Server) - before[1]) as f64 / records,
        ));
    };
    measured(
        "write + take_output / feed + Event::ApplicationData",
        &mut |p, t| {
            let wire = t.on(Side::Client, || lucid::send(&mut p.client, &data));
            let n = t.on(Side::Server, || lucid::receive(&mut p.server, &wire));
            assert_eq!(n, BULK_BYTES);
        },
    );
    let mut wire = Vec::new();
    let mut buf = vec![0u8; support::RECORD_BYTES];
    measured("write + write_tls_into / feed + read", &mut |p, t| {
        t.on(Side::Client, || {
            lucid::send_into(&mut p.client, &data, &mut wire)
        });
        let n = t.on(Side::Server, || {
            lucid::receive_read(&mut p.server, &wire, &mut buf)
        });
        assert_eq!(n, BULK_BYTES);
    });
    let mut bufs = lucid::record_buffers(BULK_BYTES / support::RECORD_BYTES);
    let mut wire = Vec::new();
    measured("seal_in_place / open_in_place", &mut |p, t| {
        t.on(Side::Client, || {
            lucid::sealed_wire(&mut p.client, &mut bufs, &mut wire)
        });
        let n = t.on(Side::Server, || {
            lucid::open_records(&mut p.server, &mut wire)
        });
        assert_eq!(n, BULK_BYTES);
    });
    rows
}

fn rustls_figures(sc: Scenario) -> [Figures; 2] {
    let client = rustls_stack::client_config(sc, false);
    let server = rustls_stack::server_config(sc, ServerKind::Plain);
    let data = vec![0x5au8; BULK_BYTES];
    measure(
        |times| rustls_stack::handshake(&client, &server, false, times),
        |pair, times| {
            let mut buf = vec![0u8; 16384];
            let records = times.on(Side::Client, || rustls_stack::send(&mut pair.client, &data));
            let n = times.on(Side::Server, || {
                rustls_stack::feed(&mut pair.server, &records, &mut buf)
            });
            drop(records);
            let records = times.on(Side::Server, || rustls_stack::send(&mut pair.server, &data));
            let m = times.on(Side::Client, || {
                rustls_stack::feed(&mut pair.client, &records, &mut buf)
            });
            assert_eq!((n, m), (BULK_BYTES, BULK_BYTES));
        },
    )
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not, and then one
    // scenario is enough to show it still works.
    let scenarios: Vec<Scenario> = if std::env::args().any(|a| a == "--bench") {
        CERTS
            .into_iter()
            .map(|cert| Scenario {
                suite: SUITES[0],
                group: GROUPS[0],
                cert,
            })
            .collect()
    } else {
        vec![Scenario {
            suite: SUITES[0],
            group: GROUPS[0],
            cert: CERTS[0],
        }]
    };
    let sc0 = scenarios[0];
    // The post-quantum hybrid X25519MLKEM768 (ECDSA certificate), on the default provider
    // only: the ring provider has no ML-KEM.
    let hybrid = Scenario {
        group: lucid_tls::wire::algorithms::NamedGroup::X25519MlKem768,
        ..sc0
    };
    println!(
        "| stack | API (sender / receiver) | sender allocations per 16 KiB record | receiver allocations per record |"
    );
    println!("|---|---|---:|---:|");
    let mut alloc_json = Vec::new();
    for stack in lucid::stacks() {
        for (api, send, receive) in allocations_per_record(&stack, sc0) {
            println!("| {} | {api} | {send:.2} | {receive:.2} |", stack.name);
            alloc_json.push(serde_json::json!({
                "stack": stack.name, "api": api, "sender": send, "receiver": receive,
            }));
        }
    }
    println!();
    let mut rows = Vec::new();
    for sc in scenarios {
        for stack in lucid::stacks() {
            rows.push((stack.name, sc, lucid_figures(&stack, sc)));
        }
        rows.push(("rustls-ring", sc, rustls_figures(sc)));
    }
    let default_stack = lucid::stacks().remove(0);
    rows.push((
        default_stack.name,
        hybrid,
        lucid_figures(&default_stack, hybrid),
    ));
    println!(
        "| stack | scenario | side | handshake peak | established, idle | after 1 MiB each way |"
    );
    println!("|---|---|---|---:|---:|---:|");
    let mut json = Vec::new();
    for (stack, sc, figures) in &rows {
        for (side, f) in ["client", "server"].iter().zip(figures) {
            println!(
                "| {stack} | {} | {side} | {} | {} | {} |",
                sc.id(),
                f.handshake_peak,
                f.idle,
                f.after_traffic
            );
            json.push(serde_json::json!({
                "stack": stack, "scenario": sc.id(), "side": side,
                "handshake_peak": f.handshake_peak, "idle": f.idle,
                "after_traffic": f.after_traffic,
            }));
        }
    }
    let sizes = [
        (
            "lucid_tls::client::ClientConnection",
            std::mem::size_of::<lucid_tls::client::ClientConnection>(),
        ),
        (
            "lucid_tls::server::ServerConnection",
            std::mem::size_of::<lucid_tls::server::ServerConnection>(),
        ),
        (
            "lucid_tls::client::ClientRole",
            std::mem::size_of::<lucid_tls::client::ClientRole>(),
        ),
        (
            "lucid_tls::server::ServerRole",
            std::mem::size_of::<lucid_tls::server::ServerRole>(),
        ),
        (
            "rustls::ClientConnection",
            std::mem::size_of::<rustls::ClientConnection>(),
        ),
        (
            "rustls::ServerConnection",
            std::mem::size_of::<rustls::ServerConnection>(),
        ),
    ];
    println!();
    println!("| type | size_of (bytes) |");
    println!("|---|---:|");
    for (name, size) in sizes {
        println!("| `{name}` | {size} |");
    }
    let report = serde_json::json!({
        "allocations_per_record": alloc_json,
        "heap": json,
        "size_of": sizes.iter().map(|(n, s)| serde_json::json!({"type": n, "bytes": s})).collect::<Vec<_>>(),
    });
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("../criterion");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("memory.json"),
        serde_json::to_string_pretty(&report).unwrap(),
    )
    .unwrap();
}
