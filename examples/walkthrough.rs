//! Walk through one of RFC 8448's TLS 1.3 handshakes, step by step, with lucid-tls's
//! client and server engines talking to each other in memory.
//!
//! ```text
//! cargo run --example walkthrough                        # RFC 8448 §3, the simple 1-RTT handshake
//! cargo run --example walkthrough -- --trace hrr         # simple | resumed-0rtt | hrr | client-auth | compat
//! cargo run --example walkthrough -- --trace pq          # a post-quantum X25519MLKEM768 handshake (not RFC 8448)
//! cargo run --example walkthrough -- --keylog keys.txt   # also write an NSS key log (or set SSLKEYLOGFILE)
//! cargo run --example walkthrough -- --pcap hs.pcap      # and the records as a capture, for Wireshark
//! cargo run --example walkthrough -- --tamper 2          # flip the last byte of flight 2: see the alert
//! ```
//!
//! Both engines are configured like the RFC's two NSS endpoints and draw the RFC's
//! randomness (`lucid_tls::rfc8448`). For each flight, the walkthrough prints the records on
//! the wire, then what each side did: the messages it sent (decoded field by field, and
//! their bytes) and read, every secret it derived (with its RFC 9846 derivation), every key
//! it installed, and the application data. Each record, message, secret and key that
//! RFC 8448 prints is compared with it: ✓ equal, ✗ different. The exit status is non-zero
//! if anything differs, or if the handshake does not complete.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;

use lucid_tls::connection::Event;
use lucid_tls::explain::{self, hex};
use lucid_tls::key_schedule::PskKind;
use lucid_tls::keylog::{KeyLog, KeyLogFile};
use lucid_tls::pair::Side;
use lucid_tls::rfc8448::{
    AppAction, CheckedFlight, Rfc8448Handshake, SetupError, TraceName, expected,
};
use lucid_tls::trace::{Direction, Epoch, TraceEvent};
use lucid_tls::wire::alert::AlertLevel;
use lucid_tls::wire::handshake::HandshakeMessage;

/// How many hex digits of bytes go on one line.
const HEX_PER_LINE: usize = 64;

#[path = "common/pcap.rs"]
mod pcap;
#[path = "common/pq_walk.rs"]
#[allow(dead_code)] // `flights` is for examples/illustrate.rs
pub mod pq_walk;

struct Args {
    trace: TraceName,
    /// `--trace pq`: the hybrid handshake of `pq_walk` instead of an RFC 8448 trace.
    pq: bool,
    keylog: Option<PathBuf>,
    pcap: Option<PathBuf>,
    tamper: Option<usize>,
}

fn usage() -> String {
    let names: Vec<&str> = TraceName::ALL.iter().map(|t| t.cli_name()).collect();
    format!(
        "usage: walkthrough [--trace {}|pq] [--keylog PATH] [--pcap FILE] [--tamper N]\n\
         \n  --trace NAME   the RFC 8448 trace to step through (default: simple), or pq: a\
         \n                 post-quantum hybrid X25519MLKEM768 handshake, every value shown\
         \n  --keylog PATH  append NSS key log lines to PATH (default: $SSLKEYLOGFILE, if set)\
         \n  --pcap FILE    write the records as one synthetic TCP stream (pcap)\
         \n  --tamper N     flip the last byte of flight N on the wire, to see what goes wrong",
        names.join("|")
    )
}

fn parse_args() -> Result<Args, String> {
    use lexopt::prelude::*;
    let mut args = Args {
        trace: TraceName::Simple,
        pq: false,
        keylog: None,
        pcap: None,
        tamper: None,
    };
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long("trace") | Short('t') => {
                let name = parser.value().map_err(|e| e.to_string())?;
                let name = name.to_string_lossy();
                if name == "pq" {
                    args.pq = true;
                    continue;
                }
                args.trace = TraceName::from_name(&name)
                    .ok_or_else(|| format!("unknown trace {name:?}\n{}", usage()))?;
            }
            Long("keylog") => args.keylog = Some(parser.value().map_err(|e| e.to_string())?.into()),
            Long("pcap") => args.pcap = Some(parser.value().map_err(|e| e.to_string())?.into()),
            Long("tamper") => {
                let n = parser.value().map_err(|e| e.to_string())?;
                let n = n.to_string_lossy().parse().map_err(|_| usage())?;
                args.tamper = Some(n);
            }
            Long("help") | Short('h') => return Err(usage()),
            other => return Err(format!("{}\n{}", other.unexpected(), usage())),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    if args.pq {
        return match pq_walk::walkthrough() {
            Ok((text, all_equal)) => {
                print!("{text}");
                if all_equal {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                }
            }
            Err(e) => {
                eprintln!("cannot set up the hybrid handshake: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let keylog = match &args.keylog {
        Some(path) => match KeyLogFile::append_to(path) {
            Ok(file) => Some((file, path.display().to_string())),
            Err(e) => {
                eprintln!("cannot open {}: {e}", path.display());
                return ExitCode::from(2);
            }
        },
        None => KeyLogFile::from_env().map(|file| (file, "$SSLKEYLOGFILE".to_string())),
    };
    let options = Options {
        trace: args.trace,
        keylog,
        pcap: args.pcap,
        tamper: args.tamper,
    };
    match walkthrough(options) {
        Ok((text, all_equal)) => {
            print!("{text}");
            if all_equal {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("cannot set up RFC 8448 {}: {e}", args.trace.section());
            ExitCode::FAILURE
        }
    }
}

/// What to walk through, and what to write besides the text.
pub struct Options {
    /// The RFC 8448 trace.
    pub trace: TraceName,
    /// Where the client's NSS key log lines go, and the name to print for it.
    pub keylog: Option<(KeyLogFile, String)>,
    /// Where to write the records as a capture.
    pub pcap: Option<PathBuf>,
    /// Flip the last byte of this flight (from 1) on the wire.
    pub tamper: Option<usize>,
}

impl Options {
    /// Just the text for `trace`.
    pub fn trace(trace: TraceName) -> Self {
        Self {
            trace,
            keylog: None,
            pcap: None,
            tamper: None,
        }
    }
}

/// Steps through the trace; returns the walkthrough's text, and whether everything matched
/// RFC 8448 and the handshake completed.
pub fn walkthrough(options: Options) -> Result<(String, bool), SetupError> {
    let mut rfc = Rfc8448Handshake::new(options.trace)?;
    let mut walk = Walk::new(options.keylog);
    let mut wire = pcap::TcpStream::new();
    walk.introduce(&rfc);
    let mut failed = None;
    loop {
        let flight = if options.tamper == Some(walk.flights + 1) {
            walk.line("");
            walk.line(format!(
                "⚡ Flight {} is tampered with: its last byte is flipped on the wire.",
                walk.flights + 1
            ));
            rfc.next_flight_tampered(|bytes| {
                if let Some(last) = bytes.last_mut() {
                    *last ^= 0x01;
                }
            })
        } else {
            rfc.next_flight()
        };
        let Some(flight) = flight else { break };
        match flight {
            Ok(flight) => {
                wire.send(flight.flight.from, &flight.flight.bytes);
                walk.flight(&rfc, &flight);
                if let Err(e) = flight.flight.result {
                    failed = Some(format!(
                        "the {} rejected flight {}: {e:?}",
                        flight.script.from.peer().name(),
                        walk.flights
                    ));
                    // Deliver the alert it answered with, if any, and stop.
                    if let Some(alert) = rfc.pair.step() {
                        wire.send(alert.from, &alert.bytes);
                        walk.trace_events(&rfc, &alert.trace);
                    }
                    break;
                }
            }
            Err(e) => {
                failed = Some(format!("the application could not act: {e:?}"));
                break;
            }
        }
    }
    wire.close();
    if let Some(path) = &options.pcap {
        match wire.write(path) {
            Ok(()) => walk.line(format!(
                "Capture: {} flights as one TCP stream (10.0.0.1:50000 ⇄ 10.0.0.2:443) in {}.",
                walk.flights,
                path.display()
            )),
            Err(e) => walk.mismatch(format!("cannot write {}: {e}", path.display())),
        }
    }
    let all_equal = walk.conclude(&rfc, failed);
    Ok((walk.out, all_equal))
}

/// The walkthrough's running state: counters and what the key log needs.
struct Walk {
    flights: usize,
    checked: usize,
    mismatches: Vec<String>,
    /// How many messages of each (side, RFC label) were sent so far.
    sent: HashMap<(Side, &'static str), usize>,
    /// How many values each side had drawn from its replayed RNG at the last flight.
    draws: HashMap<Side, usize>,
    client_random: Option<[u8; 32]>,
    keylog: Option<(KeyLogFile, String)>,
    keylog_lines: usize,
    /// The text printed so far.
    out: String,
}

impl Walk {
    fn new(keylog: Option<(KeyLogFile, String)>) -> Self {
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
    fn line(&mut self, text: impl AsRef<str>) {
        self.out.push_str(text.as_ref());
        self.out.push('\n');
    }

    fn introduce(&mut self, rfc: &Rfc8448Handshake) {
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
    fn draws(&mut self, rfc: &Rfc8448Handshake, side: Side) {
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

    fn flight(&mut self, rfc: &Rfc8448Handshake, checked: &CheckedFlight) {
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

    fn trace_events(&mut self, rfc: &Rfc8448Handshake, trace: &[(Side, TraceEvent)]) {
        let mut current = None;
        for (side, event) in trace {
            if matches!(event, TraceEvent::Record { .. }) {
                continue; // shown with the flight that carries the record
            }
            if current != Some(*side) {
                current = Some(*side);
                self.line(format!("  {}", side.name()));
            }
            self.trace_event(rfc, *side, event);
        }
    }

    fn trace_event(&mut self, rfc: &Rfc8448Handshake, side: Side, event: &TraceEvent) {
        match event {
            TraceEvent::StateChanged { from, to } => {
                self.line(format!("    state {from} → {to}  (RFC 9846 Appendix A)"));
            }
            TraceEvent::HandshakeMessage {
                direction: Direction::Received,
                message,
                bytes,
            } => self.line(format!(
                "    reads {} ({} bytes)",
                explain::message_name(message),
                bytes.len()
            )),
            TraceEvent::HandshakeMessage {
                direction: Direction::Sent,
                message,
                bytes,
            } => self.sent_message(rfc, side, message, bytes),
            TraceEvent::SecretDerived { label, secret } => {
                let (formula, section) = explain::secret_derivation(*label);
                let mark = match expected::secret(&rfc.trace, *label) {
                    Some(rfc_value) => self.compare(rfc_value, secret.as_bytes(), label),
                    None => "(not printed by RFC 8448)".to_string(),
                };
                if side == Side::Client
                    && let (Some(random), Some(name)) = (self.client_random, label.keylog_label())
                    && let Some((file, _)) = &self.keylog
                {
                    file.log(name, &random, secret.as_bytes());
                    self.keylog_lines += 1;
                }
                self.line(format!(
                    "    derives {:<44} RFC 9846 {section}",
                    explain::secret_name(*label)
                ));
                self.line(format!("      = {formula}"));
                self.line(format!("      {}  {mark}", hex(secret.as_bytes())));
            }
            TraceEvent::KeyInstalled {
                direction,
                epoch,
                aead,
                key,
                iv,
            } => {
                let (verb, who) = match direction {
                    Direction::Sent => ("write", side),
                    Direction::Received => ("read", side.peer()),
                };
                self.line(format!(
                    "    installs {} keys to {verb} {} records ({} sends them)  RFC 9846 §7.3",
                    explain::aead_name(*aead),
                    epoch_name(*epoch),
                    who.name()
                ));
                let rfc_key = expected::installed_key(&rfc.trace, side, *direction, *epoch);
                let (key_mark, iv_mark) = match rfc_key {
                    Some((rfc_key, rfc_iv)) => (
                        self.compare(rfc_key, key.as_bytes(), &"key"),
                        self.compare(rfc_iv, iv, &"iv"),
                    ),
                    None => (String::new(), String::new()),
                };
                self.line(format!("      key {}  {key_mark}", hex(key.as_bytes())));
                self.line(format!("      iv  {}  {iv_mark}", hex(iv)));
            }
            TraceEvent::Alert { direction, alert } => {
                let verb = match direction {
                    Direction::Sent => "sends",
                    Direction::Received => "receives",
                };
                self.line(format!(
                    "    {verb} alert {} ({})  RFC 9846 §6",
                    alert.description.rfc_name(),
                    match alert.level {
                        AlertLevel::Warning => "warning",
                        AlertLevel::Fatal => "fatal",
                        AlertLevel::Unknown(_) => "unknown level",
                    }
                ));
            }
            TraceEvent::ChangeCipherSpec { direction } => match direction {
                Direction::Sent => self
                    .line("    sends a dummy change_cipher_spec record  (RFC 9846 Appendix E.4)"),
                Direction::Received => {
                    self.line("    drops the peer's dummy change_cipher_spec record  (RFC 9846 §5)")
                }
            },
            TraceEvent::DecisionRequested { id, kind } => self.line(format!(
                "    pauses for the caller's {kind:?} (request {})",
                id.0
            )),
            TraceEvent::DecisionAnswered { id, accepted } => self.line(format!(
                "    request {} answered ({})",
                id.0,
                if *accepted { "accepted" } else { "rejected" }
            )),
            // The RFC 8448 traces are X25519: their shared secret shows as the IKM of the
            // handshake secret. `--trace pq` prints this event (see common/pq_walk.rs).
            TraceEvent::Record { .. } | TraceEvent::KeyExchangeCompleted { .. } => {}
        }
    }

    fn sent_message(
        &mut self,
        rfc: &Rfc8448Handshake,
        side: Side,
        message: &HandshakeMessage,
        bytes: &[u8],
    ) {
        let name = explain::message_name(message);
        if let HandshakeMessage::ClientHello(hello) = message {
            self.client_random = Some(hello.random);
        }
        // RFC 8448 labels a HelloRetryRequest "ServerHello".
        let label = match message {
            HandshakeMessage::HelloRetryRequest(_) => "ServerHello",
            _ => name,
        };
        let count = self.sent.entry((side, label)).or_default();
        let rfc_bytes = expected::message(&rfc.trace, side, label, *count);
        *count += 1;
        let mark = match rfc_bytes {
            Some(rfc_bytes) if rfc_bytes == bytes => {
                self.checked += 1;
                "✓ RFC 8448".to_string()
            }
            // §4 prints the ClientHello up to the binders, which it computes over that part.
            Some(rfc_bytes) if bytes.starts_with(rfc_bytes) => {
                self.checked += 1;
                "✓ RFC 8448 (printed up to the binders)".to_string()
            }
            Some(_) => {
                self.mismatch(format!("{} {name} differs", side.name()));
                "✗ differs from RFC 8448".to_string()
            }
            None => String::new(),
        };
        self.line(format!(
            "    sends {name}: {} bytes, {}  {mark}",
            bytes.len(),
            explain::message_section(message)
        ));
        for (field, value) in explain::message_fields(message) {
            self.field_lines(&format!("      {field:<28} "), &value);
        }
        if let HandshakeMessage::Certificate(certificate) = message {
            for entry in &certificate.certificate_list {
                for (field, value) in explain::certificate_summary(&entry.cert_data) {
                    self.field_lines(&format!("        {field:<26} "), &value);
                }
            }
        }
        self.line("      bytes");
        self.hex_lines(bytes, "        ");
    }

    fn event(&mut self, side: Side, event: &Event) {
        let who = side.name();
        match event {
            Event::HandshakeComplete(negotiated) => {
                self.line(format!("  {who:<7} ⇒ handshake complete:"));
                let group = negotiated
                    .key_exchange_group
                    .map_or("none", |g| g.rfc_name());
                let scheme = negotiated
                    .signature_scheme
                    .map_or("none (PSK)", |s| s.rfc_name());
                let psk = match negotiated.psk {
                    Some(PskKind::Resumption) => "resumption",
                    Some(PskKind::External) => "external",
                    None => "none",
                };
                let early = if negotiated.early_data_accepted {
                    "accepted"
                } else {
                    "none"
                };
                self.line(format!(
                    "            {}, key exchange {group}, peer signature {scheme}",
                    negotiated.cipher_suite.rfc_name(),
                ));
                self.line(format!("            PSK {psk}, 0-RTT data {early}"));
            }
            Event::ApplicationData(data) => {
                self.line(format!(
                    "  {who:<7} ⇒ receives {} bytes of application data:",
                    data.len()
                ));
                self.hex_lines(data, "            ");
            }
            Event::EarlyData(data) => {
                self.line(format!(
                    "  {who:<7} ⇒ receives {} bytes of 0-RTT data:",
                    data.len()
                ));
                self.hex_lines(data, "            ");
            }
            Event::EarlyDataAccepted => {
                self.line(format!("  {who:<7} ⇒ the server accepted the 0-RTT data"))
            }
            Event::EarlyDataRejected => {
                self.line(format!("  {who:<7} ⇒ the server rejected the 0-RTT data"))
            }
            Event::NewSessionTicket(ticket) => self.line(format!(
                "  {who:<7} ⇒ stores a ticket for resumption: {} bytes, PSK {}",
                ticket.ticket.len(),
                hex(ticket.psk.as_bytes())
            )),
            Event::KeyUpdated { direction } => {
                self.line(format!("  {who:<7} ⇒ key update ({direction:?})"))
            }
            Event::PeerClosed => self.line(format!("  {who:<7} ⇒ the peer closed its side")),
            Event::AlertSent(alert) | Event::AlertReceived(alert) => {
                let _ = alert; // already shown as a trace event
            }
            Event::VerifyRequest(_) | Event::SignRequest(_) => {
                self.line(format!("  {who:<7} ⇒ waits for a deferred decision"))
            }
            // Event is #[non_exhaustive]: a kind added later is named, not dropped.
            other => self.line(format!("  {who:<7} ⇒ {other:?}")),
        }
    }

    fn compare(&mut self, rfc_value: &[u8], value: &[u8], what: &dyn std::fmt::Debug) -> String {
        if rfc_value == value {
            self.checked += 1;
            "✓ RFC 8448".to_string()
        } else {
            self.mismatch(format!("{what:?} differs"));
            format!("✗ RFC 8448 has {}", hex(rfc_value))
        }
    }

    fn mismatch(&mut self, what: String) {
        self.mismatches.push(what);
    }

    fn conclude(&mut self, rfc: &Rfc8448Handshake, failed: Option<String>) -> bool {
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
    fn hex_lines(&mut self, bytes: &[u8], indent: &str) {
        let text = hex(bytes);
        for start in (0..text.len()).step_by(HEX_PER_LINE) {
            let end = (start + HEX_PER_LINE).min(text.len());
            self.line(format!("{indent}{}", &text[start..end]));
        }
    }

    /// Prints `lead` then `value`, wrapped at 100 columns under the start of the value.
    fn field_lines(&mut self, lead: &str, value: &str) {
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
    fn wrap(&mut self, text: &str, indent: &str, width: usize) {
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

fn epoch_name(epoch: Epoch) -> String {
    match epoch {
        Epoch::Initial => "plaintext".to_string(),
        Epoch::Early => "0-RTT (early data)".to_string(),
        Epoch::Handshake => "handshake".to_string(),
        Epoch::Application(0) => "application data".to_string(),
        Epoch::Application(n) => format!("application data (generation {n})"),
    }
}
