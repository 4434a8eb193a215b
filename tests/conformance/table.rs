//! `docs/conformance.md` maps every receiver-side MUST and MUST NOT of RFC 9846 §4–§6,
//! RFC 8449 and RFC 6066 §4 to the code and to the test that proves it. A table that
//! names a test which does not exist is wrong: this test reads the table and looks for
//! `fn NAME` in each named file.

use std::path::Path;

/// Every `` `path/file.rs::test_name` `` reference in `text`.
fn test_references(text: &str) -> Vec<(String, String)> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .filter_map(|quoted| {
            let (file, name) = quoted.split_once("::")?;
            let is_test_name = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            (file.ends_with(".rs") && is_test_name).then(|| (file.to_string(), name.to_string()))
        })
        .collect()
}

/// The table's rows: lines starting with `|`, without the header and separator lines.
fn rows(table: &str) -> Vec<&str> {
    table
        .lines()
        .filter(|line| line.starts_with('|'))
        .filter(|line| !line.starts_with("|---") && !line.starts_with("| ---"))
        .filter(|line| !line.starts_with("| Rule"))
        .collect()
}

#[test]
fn every_test_named_in_the_conformance_table_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let table = std::fs::read_to_string(root.join("docs/conformance.md")).unwrap();
    let rows = rows(&table);
    assert!(rows.len() >= 60, "only {} rows", rows.len());
    let mut missing = Vec::new();
    let mut checked = 0;
    for row in &rows {
        let references = test_references(row);
        assert!(!references.is_empty(), "a row names no test: {row}");
        for (file, name) in references {
            let source = std::fs::read_to_string(root.join(&file)).unwrap_or_default();
            let defined = source.contains(&format!("fn {name}("));
            let is_test = source
                .split(&format!("fn {name}("))
                .next()
                .is_some_and(|before| before.trim_end().ends_with("#[test]"));
            if !(defined && is_test) {
                missing.push(format!("{file}::{name}"));
            }
            checked += 1;
        }
    }
    assert!(
        missing.is_empty(),
        "tests named in docs/conformance.md but not found: {missing:#?}"
    );
    assert!(checked >= rows.len());
}

#[test]
fn test_references_are_found_in_backticks() {
    let row = "| §5.2 | `src/a.rs` `fail()` | `tests/x.rs::a_test` and `src/b.rs::test_b_2` |";
    assert_eq!(
        test_references(row),
        [
            ("tests/x.rs".to_string(), "a_test".to_string()),
            ("src/b.rs".to_string(), "test_b_2".to_string())
        ]
    );
    assert!(test_references("| `src/a.rs::Fn()` |").is_empty());
}
