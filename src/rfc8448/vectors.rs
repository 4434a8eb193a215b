//! RFC 8448's values as data: the files of `vectors/rfc8448/`, embedded in the library and
//! parsed into [`Trace`]s.
//!
//! The files are extracted from the RFC text by `tools/extract_rfc8448.py`, one
//! `label = hex` line per value under a `[actor] heading` line per step of the trace, in
//! RFC order (the format is described in `vectors/README.md`):
//!
//! ```text
//! [client] derive secret "tls13 c hs traffic"
//! PRK = 1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac
//! ...
//! ```
//!
//! [`load`] parses an embedded file and reports a malformed line as a [`VectorError`]; the
//! lookups [`Trace::find_block`] and [`Block::try_get`] return `Option`s. The shorter
//! [`Trace::block`] and [`Block::get`] are for tests: a missing block or value panics, with
//! a message listing what the trace does have.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// The trace files, with the RFC 8448 section each comes from.
pub const TRACES: [(&str, &str); 6] = [
    ("keys", "§2 Private Keys"),
    ("simple", "§3 Simple 1-RTT Handshake"),
    ("resumed", "§4 Resumed 0-RTT Handshake"),
    ("hrr", "§5 HelloRetryRequest"),
    ("client_auth", "§6 Client Authentication"),
    ("compat", "§7 Compatibility Mode"),
];

/// The text of `vectors/rfc8448/<name>.txt`, embedded at build time.
pub fn text(name: &str) -> Option<&'static str> {
    Some(match name {
        "keys" => include_str!("../../vectors/rfc8448/keys.txt"),
        "simple" => include_str!("../../vectors/rfc8448/simple.txt"),
        "resumed" => include_str!("../../vectors/rfc8448/resumed.txt"),
        "hrr" => include_str!("../../vectors/rfc8448/hrr.txt"),
        "client_auth" => include_str!("../../vectors/rfc8448/client_auth.txt"),
        "compat" => include_str!("../../vectors/rfc8448/compat.txt"),
        _ => return None,
    })
}

/// One RFC 8448 trace: its blocks in RFC order.
#[derive(Debug, Clone)]
pub struct Trace {
    /// The file name given to [`load`], e.g. `"simple"`.
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

/// Why a vectors file could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VectorError {
    /// No trace has this name (see [`TRACES`]).
    UnknownTrace(String),
    /// A line of the file is not `# comment`, `[actor] heading` or `label = hex`.
    Malformed {
        /// The trace.
        trace: String,
        /// The line number, from 1.
        line: usize,
        /// What is wrong with it.
        reason: &'static str,
    },
}

impl core::fmt::Display for VectorError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::UnknownTrace(name) => {
                let names: Vec<&str> = TRACES.iter().map(|(n, _)| *n).collect();
                write!(
                    f,
                    "unknown RFC 8448 trace {name:?}; the traces are {names:?}"
                )
            }
            Self::Malformed {
                trace,
                line,
                reason,
            } => write!(f, "vectors/rfc8448/{trace}.txt:{line}: {reason}"),
        }
    }
}

impl core::error::Error for VectorError {}

/// Loads the embedded trace `name` (one of [`TRACES`]).
pub fn load(name: &str) -> Result<Trace, VectorError> {
    let text = text(name).ok_or_else(|| VectorError::UnknownTrace(name.to_string()))?;
    parse(name, text)
}

/// Parses a vectors file: `# comment`, blank lines, `[actor] heading`, `label = hex`.
pub fn parse(name: &str, text: &str) -> Result<Trace, VectorError> {
    let mut blocks: Vec<Block> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let malformed = |reason| VectorError::Malformed {
            trace: name.to_string(),
            line: index + 1,
            reason,
        };
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let (actor, heading) = rest
                .split_once("] ")
                .ok_or_else(|| malformed("a block line is `[actor] heading`"))?;
            blocks.push(Block {
                actor: actor.to_string(),
                heading: heading.to_string(),
                values: Vec::new(),
            });
            continue;
        }
        let (label, hex_text) = line
            .split_once(" =")
            .ok_or_else(|| malformed("expected `label = hex`"))?;
        let octets = decode_hex(hex_text.trim_start()).ok_or_else(|| malformed("bad hex"))?;
        let block = blocks
            .last_mut()
            .ok_or_else(|| malformed("a value before any block"))?;
        block.values.push((label.to_string(), octets));
    }
    Ok(Trace {
        name: name.to_string(),
        blocks,
    })
}

/// Decodes lower- or upper-case hex of even length.
pub fn decode_hex(text: &str) -> Option<Vec<u8>> {
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    };
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    bytes
        .chunks_exact(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

impl Trace {
    /// Every block of `actor` whose heading starts with `heading_prefix`, in RFC order.
    pub fn blocks(&self, actor: &str, heading_prefix: &str) -> Vec<&Block> {
        self.blocks
            .iter()
            .filter(|b| b.actor == actor && b.heading.starts_with(heading_prefix))
            .collect()
    }

    /// The first block of `actor` whose heading starts with `heading_prefix`.
    pub fn find_block(&self, actor: &str, heading_prefix: &str) -> Option<&Block> {
        self.blocks
            .iter()
            .find(|b| b.actor == actor && b.heading.starts_with(heading_prefix))
    }

    /// Like [`Trace::find_block`], for tests.
    ///
    /// # Panics
    ///
    /// If there is no such block, listing the closest headings.
    pub fn block(&self, actor: &str, heading_prefix: &str) -> &Block {
        match self.find_block(actor, heading_prefix) {
            Some(block) => block,
            None => panic!("{}", self.not_found(actor, heading_prefix)),
        }
    }

    /// The value `label` of the first block, of either actor (client's first), whose
    /// heading starts with `heading_prefix` and which has that value. The RFC prints most
    /// secrets once, under the side that derives them first, and marks the other side's
    /// block "(same as ...)".
    pub fn value(&self, heading_prefix: &str, label: &str) -> Option<&[u8]> {
        ["client", "server"]
            .iter()
            .flat_map(|actor| self.blocks(actor, heading_prefix))
            .find_map(|block| block.try_get(label))
    }

    /// The `complete record`s `actor` sends, in RFC order, with their block headings.
    pub fn records(&self, actor: &str) -> Vec<(&str, &[u8])> {
        self.blocks
            .iter()
            .filter(|b| b.actor == actor)
            .filter_map(|b| Some((b.heading.as_str(), b.try_get("complete record")?)))
            .collect()
    }

    /// Explains a failed [`Trace::block`] lookup: the headings sharing the most words with
    /// the one asked for.
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
        candidates.sort_by_key(|c| core::cmp::Reverse(c.0));
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
    /// The value labelled `label`, if the block has one.
    pub fn try_get(&self, label: &str) -> Option<&[u8]> {
        self.values
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, v)| v.as_slice())
    }

    /// Like [`Block::try_get`], for tests.
    ///
    /// # Panics
    ///
    /// If the block has no such value, listing its labels.
    pub fn get(&self, label: &str) -> &[u8] {
        self.try_get(label).unwrap_or_else(|| {
            let labels: Vec<&str> = self.values.iter().map(|(l, _)| l.as_str()).collect();
            panic!(
                "block [{}] {:?} has no value {label:?}; its labels are {labels:?}",
                self.actor, self.heading
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_parse_every_embedded_trace() {
        for (name, _) in TRACES {
            let trace = load(name).unwrap();
            assert!(!trace.blocks.is_empty(), "{name}");
        }
        assert_eq!(
            load("nope").unwrap_err(),
            VectorError::UnknownTrace("nope".into())
        );
    }

    #[test]
    fn test_parse_rejects_malformed_lines() {
        let err = |text| parse("t", text).unwrap_err();
        assert!(matches!(
            err("x = 00"),
            VectorError::Malformed { line: 1, .. }
        ));
        assert!(matches!(err("[client]x"), VectorError::Malformed { .. }));
        assert!(matches!(
            err("[a] b\nv = 0"),
            VectorError::Malformed { line: 2, .. }
        ));
        assert!(matches!(
            err("[a] b\nv = zz"),
            VectorError::Malformed { .. }
        ));
        assert!(matches!(
            err("[a] b\nno value"),
            VectorError::Malformed { .. }
        ));
        let trace = parse("t", "# c\n[a] b c\nv = 0aFF\n").unwrap();
        assert_eq!(trace.block("a", "b").get("v"), [0x0a, 0xff]);
    }

    #[test]
    fn test_value_looks_at_both_actors() {
        let simple = load("simple").unwrap();
        // The server derives the handshake secret first; the client's block says "same as".
        let secret = simple
            .value("extract secret \"handshake\"", "secret")
            .unwrap();
        assert_eq!(secret[..4], [0x1d, 0xc8, 0x26, 0xe9]);
        assert_eq!(simple.records("client").len(), 4);
        assert_eq!(simple.records("server").len(), 5);
    }
}
