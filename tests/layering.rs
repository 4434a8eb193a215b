//! The module graph matches the layers (issue 12 §6, `docs/architecture.md`): no module
//! imports one from a higher layer. Lowest first:
//!
//! | layer | modules |
//! |------:|---------|
//! | 0 | `alert_codes` and `codec`, then `wire` (codec imports nothing of wire), `time` |
//! | 1 | `crypto`, `error`, `os_rng`, `pem` |
//! | 2 | `key_schedule`, `transcript`, `record`, `keylog` |
//! | 3 | `verify`, `x509`, `credentials`, `trace`, `explain` |
//! | 4 | `connection` |
//! | 5 | `client`, `server` |
//! | 6 | adapters and tools: `adapters` (tokio, embedded-io), `stream`, `pair` |
//! | 7 | the teaching kit: `rfc8448` |
//!
//! A reference is `crate::module` in code (comments and doc links do not count), outside
//! test modules (`#[cfg(test)] mod tests` at the end of a file, and files named `tests*.rs`
//! or `test_support.rs`). `lib.rs` sits above everything.

use std::path::Path;

/// Each module's layer; `alert_codes` and `codec` are below `wire` in layer 0.
const LAYERS: &[(&str, u32)] = &[
    ("alert_codes", 0),
    ("codec", 0),
    ("wire", 1),
    ("time", 1),
    ("crypto", 10),
    ("error", 10),
    ("os_rng", 10),
    ("pem", 10),
    ("key_schedule", 20),
    ("transcript", 20),
    ("record", 20),
    ("keylog", 20),
    ("verify", 30),
    ("x509", 30),
    ("credentials", 30),
    ("trace", 30),
    ("explain", 30),
    ("connection", 40),
    ("client", 50),
    ("server", 50),
    ("adapters", 60),
    ("stream", 60),
    ("pair", 60),
    ("rfc8448", 70),
];

/// Back-arrows that remain, each with the reason; the check fails on any other, and on an
/// entry here that is no longer needed.
const KNOWN: &[(&str, &str, &str)] = &[];

fn layer(module: &str) -> Option<u32> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

/// `(file, line, from, to)` for every reference from a module to a higher one.
fn back_arrows(src: &Path) -> Vec<(String, usize, String, String)> {
    let mut found = Vec::new();
    let mut files = vec![src.to_path_buf()];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let rel = path
            .strip_prefix(src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !rel.ends_with(".rs") || rel == "lib.rs" || name.starts_with("tests") {
            continue;
        }
        if name == "test_support.rs" {
            continue;
        }
        let module = rel.split('/').next().unwrap().trim_end_matches(".rs");
        let from =
            layer(module).unwrap_or_else(|| panic!("src/{rel}: module {module} has no layer"));
        let text = std::fs::read_to_string(&path).unwrap();
        let code = text.split("#[cfg(test)]\nmod tests").next().unwrap();
        for (n, line) in code.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for (i, _) in line.match_indices("crate::") {
                let target: String = line[i + 7..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if target == module {
                    continue;
                }
                // Crate-root re-exports (`crate::Error`) are not modules.
                let Some(to) = layer(&target) else { continue };
                if to > from {
                    found.push((format!("src/{rel}"), n + 1, module.to_string(), target));
                }
            }
        }
    }
    found.sort();
    found
}

#[test]
fn no_module_imports_a_higher_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let arrows = back_arrows(&src);
    let known = |from: &str, to: &str| KNOWN.iter().any(|(f, t, _)| *f == from && *t == to);
    let report: Vec<String> = arrows
        .iter()
        .filter(|(_, _, from, to)| !known(from, to))
        .map(|(file, line, from, to)| format!("{file}:{line}: {from} imports {to}"))
        .collect();
    assert!(report.is_empty(), "back-arrows:\n{}", report.join("\n"));
    for (from, to, _) in KNOWN {
        assert!(
            arrows.iter().any(|(_, _, f, t)| f == from && t == to),
            "{from} no longer imports {to}: remove it from KNOWN"
        );
    }
}

#[test]
fn the_check_sees_a_back_arrow() {
    let dir = std::env::temp_dir().join(format!("lucid-layering-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("record")).unwrap();
    std::fs::write(
        dir.join("record/mod.rs"),
        "use crate::client::Ticket;\n// crate::server\n",
    )
    .unwrap();
    let arrows = back_arrows(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(arrows.len(), 1);
    assert_eq!(
        (arrows[0].2.as_str(), arrows[0].3.as_str()),
        ("record", "client")
    );
}
