//! Loader for the RFC 8448 test vectors in `vectors/rfc8448/*.txt`.
//!
//! The files are generated from the RFC text by `tools/extract_rfc8448.py`; their format is
//! described in `vectors/README.md`. A trace is a list of blocks in RFC order; a block is one
//! step of the trace (`{client}  derive secret "tls13 c hs traffic":`) holding labelled values.
//!
//! ```ignore
//! let simple = vectors::load("simple");
//! let key = simple.block("client", "create an ephemeral x25519").get("private key");
//! ```
//!
//! This is test support code: malformed files and missing blocks or labels panic with a message
//! that says what was asked for and what is there instead.

use std::fs;
use std::path::PathBuf;

/// The trace names and the RFC 8448 section each comes from.
pub const TRACES: [(&str, &str); 6] = [
    ("keys", "§2 Private Keys"),
    ("simple", "§3 Simple 1-RTT Handshake"),
    ("resumed", "§4 Resumed 0-RTT Handshake"),
    ("hrr", "§5 HelloRetryRequest"),
    ("client_auth", "§6 Client Authentication"),
    ("compat", "§7 Compatibility Mode"),
];

/// One RFC 8448 trace: its blocks in RFC order.
#[derive(Debug, Clone)]
pub struct Trace {
    /// The trace name given to [`load`], e.g. `"simple"`.
    pub name: String,
    /// Every block of the trace, in RFC order.
    pub blocks: Vec<Block>,
}

/// One step of a trace, e.g. `{server}  derive secret "tls13 c hs traffic":`.
#[derive(Debug, Clone)]
pub struct Block {
    /// `"client"` or `"server"`.
    pub actor: String,
    /// The RFC's text after `{client}`/`{server}`, without the trailing colon. Blocks the RFC
    /// marks "(same as ...)" keep that text and have no values.
    pub heading: String,
    /// The labelled values, in RFC order, e.g. `("PRK", [0x1d, 0xc8, ...])`.
    pub values: Vec<(String, Vec<u8>)>,
}

/// Loads `vectors/rfc8448/<trace>.txt`; `trace` is one of the names in [`TRACES`].
pub fn load(trace: &str) -> Trace {
    if !TRACES.iter().any(|(name, _)| *name == trace) {
        let names: Vec<&str> = TRACES.iter().map(|(name, _)| *name).collect();
        panic!("unknown RFC 8448 trace {trace:?}; the traces are {names:?}");
    }
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "vectors", "rfc8448"]
        .iter()
        .collect::<PathBuf>()
        .join(format!("{trace}.txt"));
    let text =
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    parse(trace, &text, &path.display().to_string())
}

/// Parses a vectors file: `# comment`, blank lines, `[actor] heading`, `label = hex`.
fn parse(name: &str, text: &str, path: &str) -> Trace {
    let mut blocks: Vec<Block> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let at = || format!("{path}:{}", index + 1);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let (actor, heading) = rest
                .split_once("] ")
                .unwrap_or_else(|| panic!("{}: malformed block line {line:?}", at()));
            blocks.push(Block {
                actor: actor.to_string(),
                heading: heading.to_string(),
                values: Vec::new(),
            });
            continue;
        }
        let (label, hex_text) = line
            .split_once(" =")
            .unwrap_or_else(|| panic!("{}: expected `label = hex`, found {line:?}", at()));
        let octets = hex::decode(hex_text.trim_start())
            .unwrap_or_else(|e| panic!("{}: bad hex for {label:?}: {e}", at()));
        let block = blocks
            .last_mut()
            .unwrap_or_else(|| panic!("{}: value {label:?} before any block", at()));
        block.values.push((label.to_string(), octets));
    }
    Trace {
        name: name.to_string(),
        blocks,
    }
}

impl Trace {
    /// The first block of `actor` whose heading starts with `heading_prefix`.
    ///
    /// Panics, listing the closest headings, if there is none.
    pub fn block(&self, actor: &str, heading_prefix: &str) -> &Block {
        match self.blocks(actor, heading_prefix).first() {
            Some(block) => block,
            None => panic!("{}", self.not_found(actor, heading_prefix)),
        }
    }

    /// Every block of `actor` whose heading starts with `heading_prefix`, in RFC order.
    pub fn blocks(&self, actor: &str, heading_prefix: &str) -> Vec<&Block> {
        self.blocks
            .iter()
            .filter(|b| b.actor == actor && b.heading.starts_with(heading_prefix))
            .collect()
    }

    /// Explains a failed [`Trace::block`] lookup: the same heading under the other actor, and
    /// the headings sharing the most words with the one asked for.
    fn not_found(&self, actor: &str, heading_prefix: &str) -> String {
        let wanted: Vec<&str> = heading_prefix.split_whitespace().collect();
        let shared = |heading: &str| {
            let words: Vec<&str> = heading.split_whitespace().collect();
            wanted.iter().filter(|w| words.contains(w)).count()
        };
        let mut candidates: Vec<(usize, String)> = self
            .blocks
            .iter()
            .map(|b| {
                let score = shared(&b.heading) + usize::from(b.actor == actor);
                (score, format!("[{}] {}", b.actor, b.heading))
            })
            .filter(|(score, _)| *score > 1)
            .collect();
        // Highest score first; the sort is stable, so ties stay in RFC order.
        candidates.sort_by_key(|c| std::cmp::Reverse(c.0));
        candidates.dedup_by(|a, b| a.1 == b.1);
        let list: Vec<String> = candidates
            .into_iter()
            .take(10)
            .map(|(_, text)| format!("\n    {text}"))
            .collect();
        format!(
            "RFC 8448 trace {:?} has no block [{actor}] starting with {heading_prefix:?}; \
             closest:{}",
            self.name,
            if list.is_empty() {
                " (none)".to_string()
            } else {
                list.concat()
            }
        )
    }
}

impl Block {
    /// The value labelled `label`; panics, listing the block's labels, if there is none.
    pub fn get(&self, label: &str) -> &[u8] {
        self.try_get(label).unwrap_or_else(|| {
            let labels: Vec<&str> = self.values.iter().map(|(l, _)| l.as_str()).collect();
            panic!(
                "block [{}] {:?} has no value {label:?}; its labels are {labels:?}",
                self.actor, self.heading
            )
        })
    }

    /// The value labelled `label`, if the block has one.
    pub fn try_get(&self, label: &str) -> Option<&[u8]> {
        self.values
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, v)| v.as_slice())
    }
}
