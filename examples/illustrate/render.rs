//! The HTML page: a header, a sequence diagram in RFC 9846 §2's notation (one arrow per
//! record), every record with its header fields, bytes, protection and decoded handshake
//! messages, the key schedule's secrets, the traffic keys, and the certificates, decoded;
//! each value RFC 8448 prints is marked ✓ or ✗. Styles and the small script are inline: the
//! page loads nothing from the network.

use std::fmt::Write as _;

use lucid_tls::explain::{self, hex};
use lucid_tls::pair::Side;
use lucid_tls::rfc8448::expected;
use lucid_tls::rfc8448::vectors::Trace;
use lucid_tls::trace::{Direction, Epoch, TraceEvent};
use lucid_tls::wire::handshake::HandshakeMessage;

use super::records::{
    Protection, Record, TAG_LEN, content, content_type_name, records, split_messages,
};

/// Escapes text for HTML.
fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Table rows, one per `(field, value)`.
fn field_rows(fields: Vec<explain::Field>) -> String {
    fields
        .iter()
        .map(|(field, value)| format!("<tr><th>{}</th><td>{}</td></tr>", esc(field), esc(value)))
        .collect()
}

/// Hex with a space between bytes, for reading.
fn spaced_hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

pub(super) struct Renderer<'t> {
    pub(super) rfc: Option<&'t Trace>,
    pub(super) mismatches: usize,
}

impl<'t> Renderer<'t> {
    pub(super) fn new(rfc: Option<&'t Trace>) -> Self {
        Self { rfc, mismatches: 0 }
    }

    /// A check mark against RFC 8448, if the RFC has a value to compare with.
    fn check(&mut self, rfc_value: Option<&[u8]>, value: &[u8]) -> String {
        match rfc_value {
            Some(v) if v == value => {
                "<span class=\"ok\" title=\"equal to RFC 8448\">✓ RFC 8448</span>".to_string()
            }
            Some(v) => {
                self.mismatches += 1;
                format!(
                    "<span class=\"bad\" title=\"RFC 8448 has {}\">✗ differs from RFC 8448</span>",
                    hex(v)
                )
            }
            None => String::new(),
        }
    }

    pub(super) fn render(&mut self, title: &str, summary: &str, trace: &[TraceEvent]) -> String {
        let records = records(trace);
        let messages: Vec<(&HandshakeMessage, &[u8])> = trace
            .iter()
            .filter_map(|e| match e {
                TraceEvent::HandshakeMessage { message, bytes, .. } => {
                    Some((message, bytes.as_slice()))
                }
                _ => None,
            })
            .collect();
        let mut body = String::new();
        let _ = write!(
            body,
            "<header><h1>{}</h1><p>{}</p><p class=\"small\">Rendered by <code>cargo run --example illustrate</code> from the client's trace events (lucid-tls). \
             Protected records are decrypted here with the keys the trace reports. Notation as in RFC 9846 §2: \
             <code>{{…}}</code> protected with handshake keys, <code>[…]</code> with application keys, <code>(…)</code> with 0-RTT keys.</p></header>",
            esc(title),
            esc(summary)
        );
        body.push_str(
            "<nav><a href=\"#sequence\">Sequence</a> <a href=\"#records\">Records</a> \
             <a href=\"#secrets\">Secrets</a> <a href=\"#keys\">Keys</a> \
             <a href=\"#certificates\">Certificates</a> \
             <button id=\"toggle-bytes\" type=\"button\">hide bytes</button></nav>",
        );
        body.push_str(&self.sequence(&records, &messages));
        body.push_str(&self.records(&records, &messages));
        body.push_str(&self.secrets(trace));
        body.push_str(&self.keys(trace));
        body.push_str(&self.certificates(&messages));
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
            esc(title)
        )
    }

    /// One line per record for the diagram: what it carries, in RFC 9846 §2's notation.
    fn label(record: &Record, messages: &[(&HandshakeMessage, &[u8])]) -> String {
        let (inner, content) = content(record);
        let text = match inner {
            22 => split_messages(content)
                .iter()
                .map(|m| {
                    messages
                        .iter()
                        .find(|(_, bytes)| bytes == m)
                        .map_or("handshake", |(message, _)| explain::message_name(message))
                })
                .collect::<Vec<_>>()
                .join(", "),
            21 => content.get(1).map_or("alert".to_string(), |d| {
                format!(
                    "alert {}",
                    lucid_tls::wire::alert::AlertDescription::from_u8(*d).rfc_name()
                )
            }),
            20 => "change_cipher_spec".to_string(),
            23 => format!("application data, {} bytes", content.len()),
            _ => "?".to_string(),
        };
        match record.protection.as_ref().map(|p| p.epoch) {
            Some(Epoch::Handshake) => format!("{{{text}}}"),
            Some(Epoch::Application(_)) => format!("[{text}]"),
            Some(Epoch::Early) => format!("({text})"),
            _ => text,
        }
    }

    fn sequence(&mut self, records: &[Record], messages: &[(&HandshakeMessage, &[u8])]) -> String {
        let row = 34;
        let height = 70 + row * records.len();
        let mut svg = format!(
            "<section id=\"sequence\"><h2>Sequence diagram</h2><svg class=\"diagram\" viewBox=\"0 0 760 {height}\" role=\"img\" aria-label=\"sequence diagram\">\
             <text x=\"90\" y=\"24\" class=\"actor\">client</text><text x=\"670\" y=\"24\" class=\"actor\">server</text>\
             <line x1=\"90\" y1=\"34\" x2=\"90\" y2=\"{height}\" class=\"life\"/><line x1=\"670\" y1=\"34\" x2=\"670\" y2=\"{height}\" class=\"life\"/>"
        );
        for (i, record) in records.iter().enumerate() {
            let y = 60 + row * i;
            let (x1, x2) = match record.direction {
                Direction::Sent => (90, 670),
                Direction::Received => (670, 90),
            };
            let label = esc(&Self::label(record, messages));
            let _ = write!(
                svg,
                "<a href=\"#rec-{n}\"><line x1=\"{x1}\" y1=\"{y}\" x2=\"{x2}\" y2=\"{y}\" class=\"arrow\" marker-end=\"url(#head)\"/>\
                 <text x=\"380\" y=\"{ty}\" class=\"label\">{n}. {label}</text></a>",
                n = i + 1,
                ty = y - 6
            );
        }
        svg.push_str(
            "<defs><marker id=\"head\" markerWidth=\"10\" markerHeight=\"8\" refX=\"9\" refY=\"4\" orient=\"auto\">\
             <path d=\"M0,0 L10,4 L0,8 z\"/></marker></defs></svg></section>",
        );
        svg
    }

    fn records(&mut self, records: &[Record], messages: &[(&HandshakeMessage, &[u8])]) -> String {
        let mut out = String::from(
            "<section id=\"records\"><h2>Records</h2>\
            <p>Every record on the wire (RFC 9846 §5.1). Colours: <span class=\"hdr\">record header</span> \
            <span class=\"ct\">ciphertext</span> <span class=\"tag\">AEAD tag</span> \
            <span class=\"mh\">handshake message header</span>.</p>",
        );
        // The RFC's records of each side, in order, to compare with.
        let mut rfc_records: [Vec<&[u8]>; 2] = [Vec::new(), Vec::new()];
        if let Some(rfc) = self.rfc {
            rfc_records = [
                rfc.records("client").into_iter().map(|(_, r)| r).collect(),
                rfc.records("server").into_iter().map(|(_, r)| r).collect(),
            ];
        }
        let mut seen = [0usize; 2];
        for (i, record) in records.iter().enumerate() {
            let side = match record.direction {
                Direction::Sent => 0,
                Direction::Received => 1,
            };
            let rfc_record = rfc_records[side].get(seen[side]).copied();
            seen[side] += 1;
            let mark = self.check(rfc_record, &record.bytes);
            let arrow = if side == 0 {
                "client → server"
            } else {
                "server → client"
            };
            let outer = record.bytes.first().copied().unwrap_or(0);
            let version = record
                .bytes
                .get(1..3)
                .map_or(0, |v| u16::from_be_bytes([v[0], v[1]]));
            let length = record
                .bytes
                .get(3..5)
                .map_or(0, |v| u16::from_be_bytes([v[0], v[1]]));
            let _ = write!(
                out,
                "<article class=\"record\" id=\"rec-{n}\"><h3>{n}. {arrow} · {} · {} bytes {mark}</h3>\
                 <table class=\"fields\"><tr><th>content_type</th><td>{outer} ({})</td></tr>\
                 <tr><th>legacy_record_version</th><td>0x{version:04x}</td></tr>\
                 <tr><th>length</th><td>{length}</td></tr></table>",
                esc(&Self::label(record, messages)),
                record.bytes.len(),
                content_type_name(outer),
                n = i + 1,
            );
            let head = spaced_hex(record.bytes.get(..5).unwrap_or_default());
            let rest = record.bytes.get(5..).unwrap_or_default();
            match &record.protection {
                Some(protection) => {
                    let split = rest.len().saturating_sub(TAG_LEN);
                    let _ = write!(
                        out,
                        "<pre class=\"bytes\"><span class=\"hdr\">{head}</span> <span class=\"ct\">{}</span> <span class=\"tag\">{}</span></pre>",
                        spaced_hex(&rest[..split]),
                        spaced_hex(&rest[split..])
                    );
                    out.push_str(&self.protection(protection));
                }
                None => {
                    let _ = write!(
                        out,
                        "<pre class=\"bytes\"><span class=\"hdr\">{head}</span> {}</pre>",
                        spaced_hex(rest)
                    );
                }
            }
            let (inner, content) = content(record);
            if inner == 22 {
                for message in split_messages(content) {
                    out.push_str(&self.message(message, messages));
                }
            } else if inner == 23 {
                let _ = write!(
                    out,
                    "<p>Application data ({} bytes):</p><pre class=\"bytes\">{}</pre>",
                    content.len(),
                    spaced_hex(content)
                );
            }
            out.push_str("</article>");
        }
        out.push_str("</section>");
        out
    }

    fn protection(&mut self, p: &Protection) -> String {
        let mut nonce = [0u8; 12];
        nonce[4..].copy_from_slice(&p.sequence_number.to_be_bytes());
        for (n, iv) in nonce.iter_mut().zip(p.iv) {
            *n ^= iv;
        }
        let mut out = format!(
            "<table class=\"fields\"><tr><th>protected with</th><td>{} · {} keys (RFC 9846 §5.2)</td></tr>\
             <tr><th>key</th><td><code>{}</code></td></tr><tr><th>iv</th><td><code>{}</code></td></tr>\
             <tr><th>sequence number</th><td>{}</td></tr>\
             <tr><th>nonce = iv ⊕ seq (§5.3)</th><td><code>{}</code></td></tr>",
            p.aead,
            esc(&epoch_name(p.epoch)),
            hex(&p.key),
            hex(&p.iv),
            p.sequence_number,
            hex(&nonce)
        );
        match &p.inner {
            Ok((inner_type, content)) => {
                let _ = write!(
                    out,
                    "<tr><th>TLSInnerPlaintext</th><td>content ({} bytes) · type {inner_type} ({}) · no padding</td></tr></table>",
                    content.len(),
                    content_type_name(*inner_type)
                );
            }
            Err(why) => {
                self.mismatches += 1;
                let _ = write!(
                    out,
                    "<tr><th>decryption</th><td class=\"bad\">failed: {}</td></tr></table>",
                    esc(why)
                );
            }
        }
        out
    }

    fn message(&mut self, bytes: &[u8], messages: &[(&HandshakeMessage, &[u8])]) -> String {
        let Some((message, _)) = messages.iter().find(|(_, b)| *b == bytes) else {
            return format!(
                "<div class=\"message\"><h4>handshake fragment ({} bytes)</h4><pre class=\"bytes\">{}</pre></div>",
                bytes.len(),
                spaced_hex(bytes)
            );
        };
        let name = explain::message_name(message);
        let mut out = format!(
            "<div class=\"message\"><h4>{name} · {} bytes · {}</h4><table class=\"fields\">\
             <tr><th>msg_type</th><td>{} </td></tr><tr><th>length</th><td>{}</td></tr>",
            bytes.len(),
            explain::message_section(message),
            bytes.first().copied().unwrap_or(0),
            bytes.len().saturating_sub(4)
        );
        out.push_str(&field_rows(explain::message_fields(message)));
        let _ = write!(
            out,
            "</table><pre class=\"bytes\"><span class=\"mh\">{}</span> {}</pre></div>",
            spaced_hex(bytes.get(..4).unwrap_or_default()),
            spaced_hex(bytes.get(4..).unwrap_or_default())
        );
        out
    }

    fn secrets(&mut self, trace: &[TraceEvent]) -> String {
        let mut out = String::from(
            "<section id=\"secrets\"><h2>Secrets</h2><p>The key schedule (RFC 9846 §7.1), as the client derived it. \
             <code>Derive-Secret(Secret, Label, Messages) = HKDF-Expand-Label(Secret, Label, Transcript-Hash(Messages), Hash.length)</code>.</p>\
             <table class=\"secrets\"><tr><th>secret</th><th>derivation</th><th>value</th><th></th></tr>",
        );
        for event in trace {
            if let TraceEvent::KeyExchangeCompleted {
                group,
                shared_secret,
                parts,
                ..
            } = event
            {
                // A hybrid group (RFC 10024): each part's secret, then the joined one.
                for part in parts {
                    let _ = write!(
                        out,
                        "<tr><td>{} shared secret</td><td>{} part of {} <span class=\"small\">RFC 10024</span></td><td><code>{}</code></td><td></td></tr>",
                        esc(part.name),
                        esc(part.name),
                        esc(&explain::group(*group)),
                        hex(part.secret.as_bytes())
                    );
                }
                if let [first, second] = &parts[..] {
                    let _ = write!(
                        out,
                        "<tr><td>(EC)DHE shared secret</td><td>{} ‖ {} <span class=\"small\">RFC 10024, RFC 9846 §7.4</span></td><td><code>{}</code></td><td></td></tr>",
                        esc(first.name),
                        esc(second.name),
                        hex(shared_secret.as_bytes())
                    );
                }
            }
            if let TraceEvent::SecretDerived { label, secret } = event {
                let (formula, section) = explain::secret_derivation(*label);
                let rfc_value = self.rfc.and_then(|t| expected::secret(t, *label));
                let mark = self.check(rfc_value, secret.as_bytes());
                let _ = write!(
                    out,
                    "<tr><td>{}</td><td>{} <span class=\"small\">RFC 9846 {section}</span></td><td><code>{}</code></td><td>{mark}</td></tr>",
                    esc(&explain::secret_name(*label)),
                    esc(formula),
                    hex(secret.as_bytes())
                );
            }
        }
        out.push_str("</table></section>");
        out
    }

    fn keys(&mut self, trace: &[TraceEvent]) -> String {
        let mut out = String::from(
            "<section id=\"keys\"><h2>Keys</h2><p>Traffic keys and IVs (RFC 9846 §7.3): \
             <code>key = HKDF-Expand-Label(secret, \"key\", \"\", key_length)</code>, \
             <code>iv = HKDF-Expand-Label(secret, \"iv\", \"\", iv_length)</code>.</p>\
             <table><tr><th>direction</th><th>epoch</th><th>AEAD</th><th>key</th><th>iv</th><th></th></tr>",
        );
        for event in trace {
            if let TraceEvent::KeyInstalled {
                direction,
                epoch,
                aead,
                key,
                iv,
            } = event
            {
                let who = match direction {
                    Direction::Sent => "client → server",
                    Direction::Received => "server → client",
                };
                let rfc_pair = self
                    .rfc
                    .and_then(|t| expected::installed_key(t, Side::Client, *direction, *epoch));
                let key_mark = self.check(rfc_pair.map(|p| p.0), key.as_bytes());
                let iv_mark = self.check(rfc_pair.map(|p| p.1), iv);
                let _ = write!(
                    out,
                    "<tr><td>{who}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td><code>{}</code></td><td>{key_mark} {iv_mark}</td></tr>",
                    esc(&epoch_name(*epoch)),
                    explain::aead_name(*aead),
                    hex(key.as_bytes()),
                    hex(iv)
                );
            }
        }
        out.push_str("</table></section>");
        out
    }

    fn certificates(&mut self, messages: &[(&HandshakeMessage, &[u8])]) -> String {
        let mut out = String::from("<section id=\"certificates\"><h2>Certificates</h2>");
        let mut any = false;
        for (message, _) in messages {
            let HandshakeMessage::Certificate(certificate) = message else {
                continue;
            };
            for (i, entry) in certificate.certificate_list.iter().enumerate() {
                any = true;
                let _ = write!(
                    out,
                    "<article class=\"certificate\"><h3>certificate {i} · {} bytes of DER</h3><table class=\"fields\">",
                    entry.cert_data.len()
                );
                out.push_str(&field_rows(explain::certificate_summary(&entry.cert_data)));
                let _ = write!(
                    out,
                    "</table><details><summary>DER</summary><pre class=\"bytes\">{}</pre></details></article>",
                    spaced_hex(&entry.cert_data)
                );
            }
        }
        if !any {
            out.push_str("<p>No certificates: this handshake authenticated with a PSK.</p>");
        }
        out.push_str("</section>");
        out
    }
}

fn epoch_name(epoch: Epoch) -> String {
    match epoch {
        Epoch::Initial => "plaintext".to_string(),
        Epoch::Early => "0-RTT".to_string(),
        Epoch::Handshake => "handshake".to_string(),
        Epoch::Application(n) => format!("application (generation {n})"),
    }
}

const STYLE: &str = "
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:0 1em 4em;color:#1d232a}
h1{font-size:1.5em;margin-top:1em}h2{border-bottom:2px solid #d8dee4;padding-bottom:.2em;margin-top:2em}
h3{font-size:1.05em;margin:.2em 0}h4{margin:.8em 0 .3em;font-size:1em}
nav{position:sticky;top:0;background:#fff;padding:.5em 0;border-bottom:1px solid #d8dee4;z-index:1}
nav a{margin-right:1em}
code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px}
pre.bytes{white-space:pre-wrap;word-break:break-all;background:#f6f8fa;padding:.5em;border-radius:4px;margin:.3em 0}
.hdr{background:#ffd8a8}.ct{background:#d0ebff}.tag{background:#ffc9c9}.mh{background:#d3f9d8}
article{border:1px solid #d8dee4;border-radius:6px;padding:.6em .8em;margin:.8em 0}
.message{border-left:3px solid #8ce99a;padding-left:.7em;margin:.6em 0}
table{border-collapse:collapse;margin:.3em 0}th,td{text-align:left;vertical-align:top;padding:.15em .6em .15em 0}
table.fields th{font-weight:600;white-space:nowrap;color:#444}
table.secrets td code,table td code{word-break:break-all}
.ok{color:#2b8a3e;font-weight:600}.bad{color:#c92a2a;font-weight:700}.small{color:#666;font-size:.9em}
svg.diagram{width:100%;max-width:900px;height:auto;background:#fcfcfd;border:1px solid #eee}
svg .actor{font-weight:700;text-anchor:middle;font-size:15px}
svg .life{stroke:#adb5bd;stroke-width:2;stroke-dasharray:4 3}
svg .arrow{stroke:#1c7ed6;stroke-width:1.6}svg .label{text-anchor:middle;font-size:12px}
svg a:hover .arrow{stroke:#e8590c;stroke-width:2.5}
body.nobytes pre.bytes{display:none}
";

const SCRIPT: &str = "
document.getElementById('toggle-bytes').addEventListener('click', function () {
  var hidden = document.body.classList.toggle('nobytes');
  this.textContent = hidden ? 'show bytes' : 'hide bytes';
});
";
