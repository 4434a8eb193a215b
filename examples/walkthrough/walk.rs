//! The walkthrough's text and running state: the introduction, each flight's records on
//! the wire (compared with RFC 8448's), the values each side drew from its replayed RNG, the
//! comparisons with the RFC, the verdict, and the text layout (hex lines, wrapped fields).
//! What each side did inside a flight is told by `narrate.rs`.

use std::collections::HashMap;

use lucid_tls::explain::hex;
use lucid_tls::keylog::KeyLogFile;
use lucid_tls::pair::Side;
use lucid_tls::rfc8448::{AppAction, CheckedFlight, Rfc8448Handshake};

/// How many hex digits of bytes go on one line.
const HEX_PER_LINE: usize = 64;

/// The walkthrough's running state: counters and what the key log needs.
pub(super) struct Walk {
    pub(super) flights: usize,
    pub(super) checked: usize,
    pub(super) mismatches: Vec<String>,
    /// How many messages of each (side, RFC label) were sent so far.
    pub(super) sent: HashMap<(Side, &'static str), usize>,
    /// How many values each side had drawn from its replayed RNG at the last flight.
    pub(super) draws: HashMap<Side, usize>,
    pub(super) client_random: Option<[u8; 32]>,
    pub(super) keylog: Option<(KeyLogFile, String)>,
    pub(super) keylog_lines: usize,
    /// The text printed so far.
    pub(super) out: String,
}

impl Walk {
    pub(super) fn new(keylog: Option<(KeyLogFile, String)>) -> Self {
        Self {
            flights: 0,
            checked: 0,
            mismatches: Vec::new(),
            sent: HashMap::new(),
            draws: HashMap::new(),
            client_random: None,
            keylog,
            keylog_lines: 0,
            out: String::new(),
        }
    }

    /// Appends one line of output.
    pub(super) fn line(&mut self, text: impl AsRef<str>) {
        self.out.push_str(text.as_ref());
        self.out.push('\n');
    }

    pub(super) fn introduce(&mut self, rfc: &Rfc8448Handshake) {
        let name = rfc.name;
        self.line(format!("RFC 8448 {} {}", name.section(), name.title()));
        self.line("═".repeat(88));
        self.wrap(name.summary(), "", 88);
        self.line("");
        self.wrap(
            "lucid-tls's client and server engines run in memory, configured like the RFC's \
             two NSS endpoints and drawing the RFC's randomness through the same Rng interface \
             a real application uses. Everything RFC 8448 prints is compared: ✓ equal, \
             ✗ different.",
            "",
            88,
        );
        if let Some(ticket) = &rfc.ticket {
            self.line("");
            self.line(format!(
                "The client resumes with the ticket it received in §3 ({} bytes, lifetime {} s, \
                 max_early_data_size {}).",
                ticket.ticket.len(),
                ticket.lifetime_secs,
                ticket.max_early_data_size.unwrap_or(0)
            ));
        }
        self.draws(rfc, Side::Client);
    }

    /// Lists the values `side` drew from its replayed RNG since the last call.
    pub(super) fn draws(&mut self, rfc: &Rfc8448Handshake, side: Side) {
        let rng = match side {
            Side::Client => &rfc.client_rng,
            Side::Server => &rfc.server_rng,
        };
        let drawn = rng.drawn();
        let seen = self.draws.entry(side).or_default();
        let new: Vec<String> = drawn
            .iter()
            .skip(*seen)
            .map(|(name, len)| format!("{name} ({len} bytes)"))
            .collect();
        *seen = drawn.len();
        if !new.is_empty() {
            self.field_lines(
                &format!("  {:<7} drew from its RNG (replayed): ", side.name()),
                &new.join(", "),
            );
        }
    }

    pub(super) fn flight(&mut self, rfc: &Rfc8448Handshake, checked: &CheckedFlight) {
        self.flights += 1;
        let from = checked.script.from;
        let arrow = match from {
            Side::Client => "client → server",
            Side::Server => "server → client",
        };
        let bytes = checked.flight.bytes.len();
        let title = format!(" Flight {} · {arrow} · {bytes} bytes ", self.flights);
        self.line("");
        self.line(format!("━━{title:━<86}"));

        for action in &checked.script.actions {
            match action {
                AppAction::Write(data) => {
                    self.line(format!(
                        "  {:<7} application writes {} bytes (RFC 9846 §5.1):",
                        from.name(),
                        data.len(),
                    ));
                    self.hex_lines(data, "            ");
                }
                AppAction::WriteEarly(data) => {
                    self.line(format!(
                        "  {:<7} application writes {} bytes of 0-RTT data (RFC 9846 §2.3):",
                        from.name(),
                        data.len(),
                    ));
                    self.hex_lines(data, "            ");
                }
                AppAction::Close => self.line(format!(
                    "  {:<7} application closes: close_notify (RFC 9846 §6.1)",
                    from.name()
                )),
            }
        }

        self.line("  on the wire (TLSPlaintext / TLSCiphertext records, RFC 9846 §5.1, §5.2):");
        for check in &checked.records {
            let Some(record) = &check.sent else {
                let heading = check.expected.as_ref().map_or("?", |r| r.heading.as_str());
                self.mismatch(format!(
                    "flight {}: missing record {heading:?}",
                    self.flights
                ));
                self.line(format!(
                    "    ✗ the engine did not send RFC 8448's {{{}}} {heading}",
                    from.name()
                ));
                continue;
            };
            let content_type = record.first().map_or("?", |t| match t {
                20 => "change_cipher_spec",
                21 => "alert",
                22 => "handshake",
                23 => "application_data",
                _ => "?",
            });
            let mark = if check.matches() {
                self.checked += 1;
                let heading = check.expected.as_ref().map_or("", |r| r.heading.as_str());
                format!("✓ RFC 8448 {{{}}} {heading}", from.name())
            } else {
                self.mismatch(format!("flight {}: a record differs", self.flights));
                "✗ differs from RFC 8448".to_string()
            };
            self.line(format!(
                "    {content_type:<18} {:>5} bytes  {mark}",
                record.len()
            ));
            let inner = check.expected.as_ref().map_or("", |r| {
                r.heading
                    .trim_start_matches("send ")
                    .trim_end_matches(" record")
            });
            if content_type == "application_data" && inner != "application_data" {
                self.line(format!(
                    "      protected (RFC 9846 §5.2): the outer type is application_data; \
                     inside, {inner}"
                ));
            }
            self.hex_lines(record, "      ");
        }
        self.trace_events(rfc, &checked.flight.trace);
        for (side, event) in &checked.flight.events {
            self.event(*side, event);
        }
        self.draws(rfc, from.peer());
    }

    pub(super) fn compare(
        &mut self,
        rfc_value: &[u8],
        value: &[u8],
        what: &dyn std::fmt::Debug,
    ) -> String {
        if rfc_value == value {
            self.checked += 1;
            "✓ RFC 8448".to_string()
        } else {
            self.mismatch(format!("{what:?} differs"));
            format!("✗ RFC 8448 has {}", hex(rfc_value))
        }
    }

    pub(super) fn mismatch(&mut self, what: String) {
        self.mismatches.push(what);
    }

    pub(super) fn conclude(&mut self, rfc: &Rfc8448Handshake, failed: Option<String>) -> bool {
        let mut problems = std::mem::take(&mut self.mismatches);
        problems.extend(failed);
        // A handshake that stopped early leaves values undrawn; only a complete one must not.
        let rngs = [
            (Side::Client, &rfc.client_rng),
            (Side::Server, &rfc.server_rng),
        ];
        let complete = problems.is_empty();
        for (side, rng) in rngs.into_iter().filter(|_| complete) {
            let left = rng.remaining_names();
            if !left.is_empty() {
                problems.push(format!("the {} never drew {left:?}", side.name()));
            }
        }
        self.line("");
        self.line("═".repeat(88));
        if let Some((_, path)) = &self.keylog {
            self.line(format!(
                "Key log: {} NSS lines appended to {path} (client random {}).",
                self.keylog_lines,
                self.client_random.map_or_else(String::new, |r| hex(&r))
            ));
        }
        if problems.is_empty() {
            self.line(format!(
                "RFC 8448 {}: {} flights, {} values compared with the RFC, all equal ✓",
                rfc.name.section(),
                self.flights,
                self.checked
            ));
            true
        } else {
            self.line(format!(
                "RFC 8448 {}: {} values equal, but NOT everything matches RFC 8448:",
                rfc.name.section(),
                self.checked
            ));
            for problem in &problems {
                self.line(format!("  ✗ {problem}"));
            }
            false
        }
    }

    /// Prints `bytes` as hex, `HEX_PER_LINE` digits a line, each line indented.
    pub(super) fn hex_lines(&mut self, bytes: &[u8], indent: &str) {
        let text = hex(bytes);
        for start in (0..text.len()).step_by(HEX_PER_LINE) {
            let end = (start + HEX_PER_LINE).min(text.len());
            self.line(format!("{indent}{}", &text[start..end]));
        }
    }

    /// Prints `lead` then `value`, wrapped at 100 columns under the start of the value.
    pub(super) fn field_lines(&mut self, lead: &str, value: &str) {
        let indent = " ".repeat(lead.chars().count());
        let mut line = lead.to_string();
        let mut empty = true;
        for word in value.split(' ') {
            if !empty && line.chars().count() + 1 + word.chars().count() > 100 {
                self.line(&line);
                line = indent.clone();
                empty = true;
            }
            if !empty {
                line.push(' ');
            }
            line.push_str(word);
            empty = false;
        }
        self.line(&line);
    }

    /// Prints `text` wrapped at `width` columns.
    pub(super) fn wrap(&mut self, text: &str, indent: &str, width: usize) {
        let mut line = String::from(indent);
        for word in text.split_whitespace() {
            if line.len() + word.len() + 1 > width && !line.trim().is_empty() {
                self.line(&line);
                line = String::from(indent);
            }
            if line.len() > indent.len() {
                line.push(' ');
            }
            line.push_str(word);
        }
        if !line.trim().is_empty() {
            self.line(&line);
        }
    }
}
