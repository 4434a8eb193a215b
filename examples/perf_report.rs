//! Turns a benchmark run into `docs/performance.md`'s tables and `docs/perf/handshakes.svg`.
//!
//! ```text
//! cargo bench --bench tls && cargo bench --bench memory && cargo run --release --example perf_report
//! ```
//!
//! Reads criterion's `target/criterion/**/new/{benchmark,estimates}.json` (the median of each
//! benchmark) and `target/criterion/memory.json` (written by `benches/memory.rs`), and
//! replaces the text between `<!-- results:begin -->` and `<!-- results:end -->` in
//! `docs/performance.md`. The target directory is `$CARGO_TARGET_DIR` or `target`; a first
//! argument overrides the criterion directory.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use plotters::prelude::*;
use serde_json::Value;

const STACKS: [&str; 3] = ["lucid-rustcrypto", "lucid-ring", "rustls-ring"];
const SUITES: [&str; 3] = ["aes128gcm", "aes256gcm", "chacha20"];
const GROUPS: [&str; 2] = ["x25519", "p256"];
const CERTS: [&str; 3] = ["ecdsa", "rsa2048", "ed25519"];
const MIB: f64 = 1024.0 * 1024.0;

/// Median time in nanoseconds of every benchmark, by its full id.
fn read_means(dir: &Path) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n == "benchmark.json")
                && path.parent().is_some_and(|p| p.ends_with("new"))
            {
                let bench: Value =
                    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
                let estimates: Value = serde_json::from_str(
                    &std::fs::read_to_string(path.with_file_name("estimates.json")).unwrap(),
                )
                .unwrap();
                let id = bench["full_id"].as_str().unwrap().to_string();
                out.insert(id, estimates["median"]["point_estimate"].as_f64().unwrap());
            }
        }
    }
    out
}

struct Results {
    means: BTreeMap<String, f64>,
}

impl Results {
    /// Mean in µs.
    fn us(&self, id: &str) -> Option<f64> {
        self.means.get(id).map(|ns| ns / 1000.0)
    }

    /// Client + server of `group/stack/scenario`, in µs.
    fn total(&self, group: &str, stack: &str, scenario: &str) -> Option<f64> {
        Some(
            self.us(&format!("{group}/{stack}/{scenario}/client"))?
                + self.us(&format!("{group}/{stack}/{scenario}/server"))?,
        )
    }

    /// MiB/s of a 1 MiB benchmark.
    fn mibs(&self, id: &str) -> Option<f64> {
        self.means.get(id).map(|ns| BULK / (ns / 1e9) / MIB)
    }
}

const BULK: f64 = MIB;

fn f(v: Option<f64>) -> String {
    match v {
        Some(x) if x >= 100.0 => format!("{x:.0}"),
        Some(x) => format!("{x:.1}"),
        None => "–".into(),
    }
}

fn r(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => format!("{:.2}", a / b),
        _ => "–".into(),
    }
}

fn scenarios() -> Vec<String> {
    let mut out = Vec::new();
    for s in SUITES {
        for g in GROUPS {
            for c in CERTS {
                out.push(format!("{s}/{g}/{c}"));
            }
        }
    }
    out
}

fn handshake_tables(res: &Results, md: &mut String) {
    writeln!(md, "### Full handshakes: CPU time per side (µs)\n").unwrap();
    writeln!(md, "| scenario (suite/group/cert) | lucid-rustcrypto client | server | lucid-ring client | server | rustls-ring client | server |").unwrap();
    writeln!(md, "|---|---:|---:|---:|---:|---:|---:|").unwrap();
    for sc in scenarios() {
        let mut row = format!("| {sc} |");
        for stack in STACKS {
            for side in ["client", "server"] {
                write!(
                    row,
                    " {} |",
                    f(res.us(&format!("full/{stack}/{sc}/{side}")))
                )
                .unwrap();
            }
        }
        writeln!(md, "{row}").unwrap();
    }
    writeln!(md, "\n### Full handshakes: ratios (client + server)\n").unwrap();
    writeln!(md, "Against rustls: time ÷ rustls-ring's time (below 1: lucid-tls is faster). Against the floor: time ÷ the crypto floor of the same provider (goal ≤ 1.05); rustls is set against the ring floor.\n").unwrap();
    writeln!(md, "| scenario | lucid-ring ÷ rustls-ring (equal crypto) | lucid-rustcrypto ÷ rustls-ring (default vs default) | lucid-rustcrypto ÷ floor | lucid-ring ÷ floor | rustls-ring ÷ ring floor | client: lucid-ring ÷ floor | server: lucid-ring ÷ floor |").unwrap();
    writeln!(md, "|---|---:|---:|---:|---:|---:|---:|---:|").unwrap();
    let mut columns: [Vec<f64>; 7] = Default::default();
    for sc in scenarios() {
        let lrc = res.total("full", "lucid-rustcrypto", &sc);
        let lr = res.total("full", "lucid-ring", &sc);
        let rr = res.total("full", "rustls-ring", &sc);
        let frc = res.total("floor", "rustcrypto", &sc);
        let fr = res.total("floor", "ring", &sc);
        let side = |s: &str| {
            r(
                res.us(&format!("full/lucid-ring/{sc}/{s}")),
                res.us(&format!("floor/ring/{sc}/{s}")),
            )
        };
        let cells = [
            r(lr, rr),
            r(lrc, rr),
            r(lrc, frc),
            r(lr, fr),
            r(rr, fr),
            side("client"),
            side("server"),
        ];
        for (column, cell) in columns.iter_mut().zip(&cells) {
            if let Ok(v) = cell.parse::<f64>() {
                column.push(v);
            }
        }
        writeln!(md, "| {sc} | {} |", cells.join(" | ")).unwrap();
    }
    let geomean = |v: &Vec<f64>| {
        if v.is_empty() {
            "–".to_string()
        } else {
            format!(
                "**{:.2}**",
                (v.iter().map(|x| x.ln()).sum::<f64>() / v.len() as f64).exp()
            )
        }
    };
    let means: Vec<String> = columns.iter().map(geomean).collect();
    writeln!(md, "| geometric mean | {} |", means.join(" | ")).unwrap();
    writeln!(md, "\n### The crypto floor (µs)\n").unwrap();
    writeln!(
        md,
        "| scenario | rustcrypto client | server | ring client | server |"
    )
    .unwrap();
    writeln!(md, "|---|---:|---:|---:|---:|").unwrap();
    for sc in scenarios() {
        writeln!(
            md,
            "| {sc} | {} | {} | {} | {} |",
            f(res.us(&format!("floor/rustcrypto/{sc}/client"))),
            f(res.us(&format!("floor/rustcrypto/{sc}/server"))),
            f(res.us(&format!("floor/ring/{sc}/client"))),
            f(res.us(&format!("floor/ring/{sc}/server")))
        )
        .unwrap();
    }
    writeln!(
        md,
        "\n### Resumed and 0-RTT handshakes (aes128gcm/x25519/ecdsa; µs)\n"
    )
    .unwrap();
    writeln!(
        md,
        "| kind | stack | client | server | total | ÷ rustls-ring |"
    )
    .unwrap();
    writeln!(md, "|---|---|---:|---:|---:|---:|").unwrap();
    let sc = "aes128gcm/x25519/ecdsa";
    for (group, kind) in [
        ("resumed", "resumed (ticket, psk_dhe_ke)"),
        ("0rtt", "0-RTT (+ 43-byte request)"),
    ] {
        let rustls = res.total(group, "rustls-ring", sc);
        for stack in STACKS {
            writeln!(
                md,
                "| {kind} | {stack} | {} | {} | {} | {} |",
                f(res.us(&format!("{group}/{stack}/{sc}/client"))),
                f(res.us(&format!("{group}/{stack}/{sc}/server"))),
                f(res.total(group, stack, sc)),
                r(res.total(group, stack, sc), rustls)
            )
            .unwrap();
        }
    }
}

fn bulk_tables(res: &Results, md: &mut String) {
    writeln!(
        md,
        "\n### Bulk: 1 MiB in 16 KiB records (MiB/s of CPU time)\n"
    )
    .unwrap();
    writeln!(md, "Send = `write` + taking the records (protect); receive = feeding them + taking the plaintext (unprotect). Raw = the provider's AEAD alone on the same 64 × 16 KiB (+1 type byte), 5-byte AAD; ÷ raw is record throughput ÷ raw throughput (goal ≥ 0.95).\n").unwrap();
    writeln!(md, "| AEAD | stack | c2s send | c2s receive | s2c send | s2c receive | raw seal | raw open | send ÷ raw (c2s) | receive ÷ raw (c2s) | send ÷ rustls | receive ÷ rustls |").unwrap();
    writeln!(
        md,
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    .unwrap();
    for aead in SUITES {
        for stack in STACKS {
            let id = |dir: &str, what: &str| format!("bulk/{stack}/{aead}/{dir}/{what}");
            let raw = if stack == "lucid-rustcrypto" {
                "raw-rustcrypto"
            } else {
                "raw-ring"
            };
            let seal = res.mibs(&format!("bulk/{raw}/{aead}/seal"));
            let open = res.mibs(&format!("bulk/{raw}/{aead}/open"));
            let send = res.mibs(&id("c2s", "send"));
            let recv = res.mibs(&id("c2s", "receive"));
            let rs = res.mibs(&format!("bulk/rustls-ring/{aead}/c2s/send"));
            let rrv = res.mibs(&format!("bulk/rustls-ring/{aead}/c2s/receive"));
            writeln!(
                md,
                "| {aead} | {stack} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                f(send),
                f(recv),
                f(res.mibs(&id("s2c", "send"))),
                f(res.mibs(&id("s2c", "receive"))),
                f(seal),
                f(open),
                r(send, seal),
                r(recv, open),
                r(send, rs),
                r(recv, rrv)
            )
            .unwrap();
        }
    }
}

fn memory_tables(dir: &Path, md: &mut String) {
    let Ok(text) = std::fs::read_to_string(dir.join("memory.json")) else {
        writeln!(md, "\n(no memory.json: run `cargo bench --bench memory`)").unwrap();
        return;
    };
    let mem: Value = serde_json::from_str(&text).unwrap();
    writeln!(md, "\n### Memory per connection (heap bytes)\n").unwrap();
    writeln!(md, "Handshake peak: the most the side held during the handshake, record buffers and queued output included. Idle: what an established connection keeps after its output and events were taken. After traffic: the same after 1 MiB each way in 16 KiB records (record buffers kept, if any). Configs, certificates and keys (shared) are not counted; `size_of` below is not heap.\n").unwrap();
    writeln!(md, "| scenario | side | stack | handshake peak | idle | after traffic | idle ÷ rustls | after traffic ÷ rustls |").unwrap();
    writeln!(md, "|---|---|---|---:|---:|---:|---:|---:|").unwrap();
    let rows = mem["heap"].as_array().unwrap();
    let find = |stack: &str, sc: &str, side: &str| {
        rows.iter()
            .find(|r| r["stack"] == stack && r["scenario"] == sc && r["side"] == side)
            .cloned()
    };
    let scs: Vec<String> = rows
        .iter()
        .map(|r| r["scenario"].as_str().unwrap().to_string())
        .fold(Vec::new(), |mut v, s| {
            if !v.contains(&s) {
                v.push(s);
            }
            v
        });
    for sc in scs {
        for side in ["client", "server"] {
            let rustls = find("rustls-ring", &sc, side);
            for stack in STACKS {
                let Some(row) = find(stack, &sc, side) else {
                    continue;
                };
                let g = |k: &str| row[k].as_f64();
                let rg = |k: &str| rustls.as_ref().and_then(|r| r[k].as_f64());
                writeln!(
                    md,
                    "| {sc} | {side} | {stack} | {} | {} | {} | {} | {} |",
                    f(g("handshake_peak")),
                    f(g("idle")),
                    f(g("after_traffic")),
                    r(g("idle"), rg("idle")),
                    r(g("after_traffic"), rg("after_traffic"))
                )
                .unwrap();
            }
        }
    }
    writeln!(md, "\n| type | size_of (bytes) |\n|---|---:|").unwrap();
    for t in mem["size_of"].as_array().unwrap() {
        writeln!(md, "| `{}` | {} |", t["type"].as_str().unwrap(), t["bytes"]).unwrap();
    }
}

/// Grouped bars: client + server time of each full-handshake scenario, per stack, with the
/// ring floor as a line of dots; log scale (RSA signing on RustCrypto dwarfs the rest).
fn chart(res: &Results, path: &Path) {
    let scs = scenarios();
    let root = SVGBackend::new(path, (1200, 560)).into_drawing_area();
    root.fill(&WHITE).unwrap();
    let max = scs
        .iter()
        .flat_map(|sc| STACKS.iter().filter_map(|s| res.total("full", s, sc)))
        .fold(100.0f64, f64::max);
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Full TLS 1.3 handshake, client + server CPU time (µs, log scale)",
            ("sans-serif", 20),
        )
        .margin(10)
        .x_label_area_size(50)
        .y_label_area_size(60)
        .build_cartesian_2d(
            -0.5f64..scs.len() as f64 - 0.5,
            (20f64..max * 6.0).log_scale(),
        )
        .unwrap();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(scs.len())
        .x_label_formatter(&|x| {
            let i = x.round();
            match scs.get(i as usize) {
                Some(sc) if (x - i).abs() < 0.01 && i >= 0.0 => short_name(sc),
                _ => String::new(),
            }
        })
        .x_label_style(("sans-serif", 11))
        .x_desc(
            "suite (A128 = AES-128-GCM, A256 = AES-256-GCM, CC20 = ChaCha20-Poly1305), \
             group (x = X25519, p = P-256), certificate (ecdsa, rsa = RSA-2048, ed = Ed25519)",
        )
        .y_desc("µs")
        .draw()
        .unwrap();
    let colors = [
        RGBColor(200, 80, 60),
        RGBColor(60, 120, 200),
        RGBColor(90, 160, 90),
    ];
    for (k, stack) in STACKS.iter().enumerate() {
        let bars: Vec<_> = scs
            .iter()
            .enumerate()
            .filter_map(|(i, sc)| {
                let v = res.total("full", stack, sc)?;
                let x0 = i as f64 - 0.4 + 0.27 * k as f64;
                Some(Rectangle::new(
                    [(x0, 20.0), (x0 + 0.25, v)],
                    colors[k].filled(),
                ))
            })
            .collect();
        let color = colors[k];
        chart
            .draw_series(bars)
            .unwrap()
            .label(*stack)
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], color.filled()));
    }
    let floor: Vec<_> = scs
        .iter()
        .enumerate()
        .filter_map(|(i, sc)| {
            Some(Circle::new(
                (i as f64 + 0.5, res.total("floor", "ring", sc)?),
                3,
                BLACK.filled(),
            ))
        })
        .collect();
    chart
        .draw_series(floor)
        .unwrap()
        .label("crypto floor (ring)")
        .legend(|(x, y)| Circle::new((x + 6, y), 3, BLACK.filled()));
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .position(SeriesLabelPosition::UpperLeft)
        .draw()
        .unwrap();
    root.present().unwrap();
}

/// `aes128gcm/x25519/ecdsa` → `A128 x ecdsa`, short enough for a horizontal axis label.
fn short_name(scenario: &str) -> String {
    scenario
        .replace("aes128gcm", "A128")
        .replace("aes256gcm", "A256")
        .replace("chacha20", "CC20")
        .replace("x25519", "x")
        .replace("p256", "p")
        .replace("rsa2048", "rsa")
        .replace("ed25519", "ed")
        .replace('/', " ")
}

fn main() {
    let criterion_dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into()))
                .join("criterion")
        });
    let res = Results {
        means: read_means(&criterion_dir),
    };
    assert!(
        !res.means.is_empty(),
        "no results in {}: run the benchmarks first",
        criterion_dir.display()
    );
    let mut md = String::new();
    handshake_tables(&res, &mut md);
    bulk_tables(&res, &mut md);
    memory_tables(&criterion_dir, &mut md);
    std::fs::create_dir_all("docs/perf").unwrap();
    chart(&res, Path::new("docs/perf/handshakes.svg"));
    std::fs::write("docs/perf/results.md", &md).unwrap();
    let doc_path = Path::new("docs/performance.md");
    let doc = std::fs::read_to_string(doc_path).unwrap_or_default();
    let (begin, end) = ("<!-- results:begin -->", "<!-- results:end -->");
    match (doc.find(begin), doc.find(end)) {
        (Some(b), Some(e)) if b < e => {
            let new = format!("{}{begin}\n{md}\n{}", &doc[..b], &doc[e..]);
            std::fs::write(doc_path, new).unwrap();
            println!("updated docs/performance.md, docs/perf/results.md, docs/perf/handshakes.svg");
        }
        _ => println!(
            "wrote docs/perf/results.md and docs/perf/handshakes.svg (no markers in docs/performance.md)"
        ),
    }
}
