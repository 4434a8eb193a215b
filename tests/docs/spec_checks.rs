//! Two checks that the teaching stays right, against RFC 9846's own text
//! (`../shared/reference/rfc9846.txt` from the crate root; in CI, `shared/` sits beside the
//! clone at the same relative path).
//!
//! - Every RFC 9846 section cited — `RFC 9846 §4.3.11.2`, `RFC 9846 Section 4.1`,
//!   `RFC 9846 Appendix E.4`, and the `§x.y` that follow one in a list (`RFC 9846 §5.1,
//!   §5.2`, `§5.2–§5.5`) — in `docs/`, `src/`, `examples/`, `tests/`, `benches/` and the
//!   README must be a section RFC 9846 has. RFC 8446's numbers are the usual mistake: RFC
//!   9846 moved the HelloRetryRequest, the extensions and the post-handshake messages.
//! - Every handshake state name used in `docs/` (`WAIT_…`, `RECVD_…`, and any capitalised
//!   name in an arrow chain like `START → WAIT_SH`) must be one of Appendix A's, read from
//!   the RFC's diagrams.
//!
//! Bare `§x.y` citations with no RFC before them are not checked: in the docs they may
//! belong to RFC 8448 or to another document.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const RFC: &str = "RFC 9846";

fn crate_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// RFC 9846's text, from `shared/reference/` beside the crate root, or else beside one of
/// its ancestors (a worktree under `wt/`), as `tools/extract_rfc8448.py` looks for RFC 8448.
/// Its absence is a failure, never a skip.
fn rfc9846() -> String {
    let relative = Path::new("shared/reference/rfc9846.txt");
    let root = crate_root();
    let found = root
        .ancestors()
        .skip(1)
        .map(|dir| dir.join(relative))
        .find(|path| path.is_file());
    let path = found.unwrap_or_else(|| {
        panic!(
            "RFC 9846's text is needed at {} (or beside an ancestor directory); \
             in CI, shared/ must sit beside the clone",
            root.join("..").join(relative).display()
        )
    });
    std::fs::read_to_string(&path).unwrap()
}

/// A section number at the start of `text`: `4`, `4.3.11.2`, `A`, `E.4`. Returns it and the
/// rest. A trailing dot (end of a sentence, or a heading's `4.1.`) is left in the rest.
fn section_number(text: &str) -> Option<(&str, &str)> {
    let bytes = text.as_bytes();
    let mut end = match bytes.first()? {
        b'0'..=b'9' => bytes.iter().take_while(|b| b.is_ascii_digit()).count(),
        b'A'..=b'Z' if !bytes.get(1).is_some_and(|b| b.is_ascii_alphabetic()) => 1,
        _ => return None,
    };
    while bytes.get(end) == Some(&b'.') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
        end += 1;
        end += bytes[end..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
    }
    Some((&text[..end], &text[end..]))
}

/// Every section RFC 9846 has: each heading, "4.3.11.2.  PSK Binder" or "Appendix A.  State
/// Machine", in the body (at the margin) or at the top level of the table of contents
/// (indented by three spaces). The table of contents stops at three levels; the body has
/// them all.
pub fn rfc_sections(rfc: &str) -> BTreeSet<String> {
    let mut sections = BTreeSet::new();
    for line in rfc.lines() {
        let line = line.strip_prefix("   ").unwrap_or(line);
        let line = line.strip_prefix("Appendix ").unwrap_or(line);
        if let Some((number, rest)) = section_number(line) {
            let title = rest.strip_prefix(".  ");
            if title.is_some_and(|t| t.starts_with(|c: char| !c.is_whitespace())) {
                sections.insert(number.to_string());
            }
        }
    }
    sections
}

/// Skips spaces, line breaks and the comment markers a citation may wrap across.
fn skip_space(mut text: &str) -> &str {
    loop {
        let trimmed = text.trim_start();
        let trimmed = ["///", "//!", "//"]
            .iter()
            .find_map(|m| trimmed.strip_prefix(m))
            .unwrap_or(trimmed);
        if trimmed.len() == text.len() {
            return text;
        }
        text = trimmed;
    }
}

/// After `RFC 9846`: `§`, `Section`, `Sections` or `Appendix`, then the number.
fn first_citation(text: &str) -> Option<(&str, &str)> {
    let text = skip_space(text.strip_prefix(',').unwrap_or(text));
    let after = [
        "§",
        "Sections ",
        "Section ",
        "sections ",
        "section ",
        "Appendix ",
    ]
    .iter()
    .find_map(|p| text.strip_prefix(p))?;
    section_number(after.strip_prefix(' ').unwrap_or(after))
}

/// A further citation in the same list: `, §5.2`, ` and §4.3`, `–§5.5`, `, Appendix F.1`.
fn next_citation(text: &str) -> Option<(&str, &str)> {
    let mut rest = text.strip_prefix(',').unwrap_or(text);
    rest = skip_space(rest);
    for joiner in ["and ", "or ", "–", "-"] {
        if let Some(r) = rest.strip_prefix(joiner) {
            rest = skip_space(r);
            break;
        }
    }
    let after = ["§", "Appendix "]
        .iter()
        .find_map(|p| rest.strip_prefix(p))?;
    section_number(after.strip_prefix(' ').unwrap_or(after))
}

/// Every RFC 9846 section `text` cites, with its line number.
pub fn citations(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices(RFC) {
        let line = text[..at].matches('\n').count() + 1;
        let mut next = first_citation(&text[at + RFC.len()..]);
        while let Some((number, rest)) = next {
            found.push((line, number.to_string()));
            next = next_citation(rest);
        }
    }
    found
}

/// The files under `dir` (recursively) whose name ends with `suffix`.
fn files(dir: &Path, suffix: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, suffix, out);
        } else if path.to_string_lossy().ends_with(suffix) {
            out.push(path);
        }
    }
}

/// Runs `extract` over every file of `paths`: how many names it found, and
/// `file:line: name` for each name that is not in `known`.
fn find_unknown(
    paths: &[PathBuf],
    extract: fn(&str) -> Vec<(usize, String)>,
    known: &BTreeSet<String>,
) -> (usize, Vec<String>) {
    let root = crate_root();
    let mut count = 0;
    let mut unknown = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(path).unwrap();
        for (line, name) in extract(&text) {
            count += 1;
            if !known.contains(&name) {
                let file = path.strip_prefix(&root).unwrap_or(path).display();
                unknown.push(format!("{file}:{line}: {name}"));
            }
        }
    }
    (count, unknown)
}

#[test]
fn every_rfc_9846_section_cited_exists() {
    let sections = rfc_sections(&rfc9846());
    // The reading must have found the whole outline, or every check below means nothing.
    for known in ["4.3.11.2", "4.5.1.3", "7.4.2", "A.1", "E.4", "F.1.5", "B"] {
        assert!(
            sections.contains(known),
            "section {known} not found in RFC 9846"
        );
    }
    let root = crate_root();
    let mut paths = vec![root.join("README.md")];
    files(&root.join("docs"), ".md", &mut paths);
    for dir in ["src", "examples", "tests", "benches"] {
        files(&root.join(dir), ".rs", &mut paths);
    }
    let (count, wrong) = find_unknown(&paths, citations, &sections);
    assert!(count >= 100, "only {count} RFC 9846 citations found");
    assert!(
        wrong.is_empty(),
        "{} citations of sections RFC 9846 does not have (RFC 8446's numbering?):\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn citation_check_reads_lists_and_catches_rfc_8446_numbers() {
    let sections = rfc_sections(&rfc9846());
    // Built from pieces so that this file does not cite them itself.
    let text = [
        RFC,
        " §4.2.2 and §4.3, then\n//! ",
        RFC,
        "\n//! Appendix E.4; ",
        RFC,
        ", §5.2–§5.5; ",
        RFC,
        " §4.6.3 (RFC 8446's KeyUpdate); ",
        RFC,
        " Section 4.1.4.",
    ]
    .concat();
    let cited: Vec<String> = citations(&text).into_iter().map(|(_, n)| n).collect();
    assert_eq!(
        cited,
        ["4.2.2", "4.3", "E.4", "5.2", "5.5", "4.6.3", "4.1.4"]
    );
    let missing: Vec<&String> = cited.iter().filter(|n| !sections.contains(*n)).collect();
    assert_eq!(missing, ["4.6.3", "4.1.4"]);
}

/// The names in RFC 9846 Appendix A's two state diagrams: the capitalised words of five or
/// more letters (START, WAIT_SH, RECVD_CH, …) between "Appendix A." and "Appendix B.",
/// outside the prose paragraphs (indented by exactly three spaces), whose "SHOULD" is no
/// state.
pub fn appendix_a_states(rfc: &str) -> BTreeSet<String> {
    let start = rfc.find("\nAppendix A.  ").expect("Appendix A in RFC 9846");
    let end = start + rfc[start..].find("\nAppendix B.  ").expect("Appendix B");
    let is_prose = |line: &&str| line.len() - line.trim_start().len() == 3;
    rfc[start..end]
        .lines()
        .filter(|line| !is_prose(line))
        .flat_map(words)
        .filter(|w| w.len() >= 5 && is_capitalised(w))
        .map(str::to_string)
        .collect()
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
}

fn is_capitalised(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_uppercase())
        && word
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// The state names `text` uses: WAIT_… and RECVD_… words, and capitalised words of five or
/// more letters on either side of an arrow (`START → WAIT_SH`, but not `CRL →`), with their
/// line numbers.
pub fn state_names(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let mut names: Vec<&str> = words(line)
            .filter(|w| w.starts_with("WAIT_") || w.starts_with("RECVD_"))
            .collect();
        for (left, right) in line.split('→').zip(line.split('→').skip(1)) {
            let before = words(left).last();
            let after = words(right).next();
            for word in [before, after].into_iter().flatten() {
                if word.len() >= 5 && is_capitalised(word) && !names.contains(&word) {
                    names.push(word);
                }
            }
        }
        found.extend(names.into_iter().map(|n| (index + 1, n.to_string())));
    }
    found
}

#[test]
fn every_state_name_in_the_docs_is_appendix_a_s() {
    let states = appendix_a_states(&rfc9846());
    for known in [
        "START",
        "WAIT_CERT_CR",
        "WAIT_FLIGHT2",
        "RECVD_CH",
        "CONNECTED",
    ] {
        assert!(states.contains(known), "{known} not found in Appendix A");
    }
    let root = crate_root();
    let mut paths = Vec::new();
    files(&root.join("docs"), ".md", &mut paths);
    let (count, wrong) = find_unknown(&paths, state_names, &states);
    assert!(count >= 20, "only {count} state names found in docs/");
    assert!(
        wrong.is_empty(),
        "state names that RFC 9846 Appendix A does not have ({}):\n{}",
        states.iter().cloned().collect::<Vec<_>>().join(", "),
        wrong.join("\n")
    );
}

#[test]
fn state_name_check_catches_an_invented_state() {
    let states = appendix_a_states(&rfc9846());
    let text = "state WAIT_SERVER_HELLO → WAIT_EE\nthen NEGOTIATED → SENT_FINISHED\n";
    let wrong: Vec<String> = state_names(text)
        .into_iter()
        .map(|(_, n)| n)
        .filter(|n| !states.contains(n))
        .collect();
    assert_eq!(wrong, ["WAIT_SERVER_HELLO", "SENT_FINISHED"]);
}
