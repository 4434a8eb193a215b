//! `cargo run --example illustrate`, run as a test: the page for every RFC 8448 trace is
//! one self-contained HTML document (nothing loaded from the network) whose structure
//! matches the handshake: one diagram arrow and one record article per record, every
//! protected record decrypted, every secret the RFC prints shown with a check mark.

#[allow(dead_code)]
#[path = "../examples/illustrate/main.rs"]
mod illustrate;

use lucid_tls::explain::hex;
use lucid_tls::rfc8448::{TraceName, expected, vectors};

fn count(html: &str, needle: &str) -> usize {
    html.matches(needle).count()
}

#[test]
fn every_trace_renders_a_self_contained_page() {
    for trace in TraceName::ALL {
        let page = illustrate::illustrate_trace(trace).unwrap();
        let html = &page.html;
        assert!(page.all_equal, "{trace:?}");
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        assert!(html.trim_end().ends_with("</html>"));
        // Self-contained: no external scripts, styles, images or fonts.
        for external in ["src=", "<link", "@import", "url(http", "href=\"http"] {
            assert_eq!(count(html, external), 0, "{trace:?}: {external}");
        }
        // Balanced structure.
        for tag in [
            "section", "article", "table", "svg", "pre", "details", "script", "style",
        ] {
            let open = count(html, &format!("<{tag}>")) + count(html, &format!("<{tag} "));
            assert_eq!(
                open,
                count(html, &format!("</{tag}>")),
                "{trace:?}: <{tag}>"
            );
        }
        for id in ["sequence", "records", "secrets", "keys", "certificates"] {
            assert_eq!(count(html, &format!("<section id=\"{id}\">")), 1, "{id}");
        }
        // One arrow and one article per record of the RFC's trace, both ways.
        let rfc = vectors::load(trace.file()).unwrap();
        let records = rfc.records("client").len() + rfc.records("server").len();
        assert_eq!(
            count(html, "<article class=\"record\""),
            records,
            "{trace:?}"
        );
        assert_eq!(count(html, "class=\"arrow\""), records, "{trace:?}");
        assert_eq!(count(html, "✗"), 0, "{trace:?}");
        assert_eq!(
            count(html, "decryption</th>"),
            0,
            "{trace:?}: a record did not decrypt"
        );
        // Every secret the RFC prints (those the client derives) is on the page, checked.
        for label in expected::PRINTED_SECRETS {
            if let Some(value) = expected::secret(&rfc, label) {
                assert!(html.contains(&hex(value)), "{trace:?}: {label:?}");
            }
        }
        // Both Finished messages were decrypted and decoded.
        assert_eq!(count(html, "<h4>Finished · 36 bytes"), 2, "{trace:?}");
        assert_eq!(page.wire.len(), illustrate_flights(trace), "{trace:?}");
    }
}

/// How many flights the trace has (runs of records by one sender).
fn illustrate_flights(trace: TraceName) -> usize {
    lucid_tls::rfc8448::handshakes::script(&vectors::load(trace.file()).unwrap()).len()
}

#[test]
fn the_simple_page_decodes_the_certificate_and_the_protected_records() {
    let html = illustrate::illustrate_trace(TraceName::Simple)
        .unwrap()
        .html;
    assert!(html.contains("<th>subject</th><td>CN=rsa</td>"));
    assert!(html.contains("<th>not after</th><td>2026-07-30T01:23:59Z</td>"));
    // The server's handshake record: the key, and its inner content.
    let simple = vectors::load("simple").unwrap();
    let key = simple
        .block("server", "derive write traffic keys for handshake data")
        .get("key expanded");
    assert!(html.contains(&format!("<code>{}</code>", hex(key))));
    assert!(html.contains(
        "3. server → client · {EncryptedExtensions, Certificate, CertificateVerify, Finished}"
    ));
    assert!(html.contains("type 22 (handshake)"));
    // The sequence diagram labels, in RFC 9846 §2's notation.
    assert!(html.contains("5. [NewSessionTicket]"));
    assert!(html.contains("9. [alert close_notify]"));
}

#[test]
fn the_hybrid_handshake_renders_with_its_parts() {
    let page = illustrate::illustrate_pq().unwrap();
    assert!(page.all_equal);
    let html = &page.html;
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("X25519MLKEM768"));
    assert_eq!(count(html, "<td>ML-KEM-768 shared secret</td>"), 1);
    assert_eq!(count(html, "<td>X25519 shared secret</td>"), 1);
    assert!(html.contains("<td>ML-KEM-768 ‖ X25519 "));
    // RFC 7748 §6.1's X25519 shared secret is the second part.
    assert!(html.contains("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"));
}
