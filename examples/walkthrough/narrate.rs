//! What each side did, told from what the engines reported: their trace events (state
//! changes, messages sent and read, secrets derived, keys installed, alerts; RFC 9846's
//! names and sections for each, and RFC 8448's value to compare with) and their connection
//! events (handshake complete, application data, tickets, 0-RTT). The client's secrets also
//! go to the NSS key log here.

use lucid_tls::connection::Event;
use lucid_tls::explain::{self, hex};
use lucid_tls::key_schedule::PskKind;
use lucid_tls::keylog::KeyLog;
use lucid_tls::pair::Side;
use lucid_tls::rfc8448::{Rfc8448Handshake, expected};
use lucid_tls::trace::{Direction, Epoch, TraceEvent};
use lucid_tls::wire::alert::AlertLevel;
use lucid_tls::wire::handshake::HandshakeMessage;

use super::walk::Walk;

impl Walk {
    pub(super) fn trace_events(&mut self, rfc: &Rfc8448Handshake, trace: &[(Side, TraceEvent)]) {
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

    pub(super) fn trace_event(&mut self, rfc: &Rfc8448Handshake, side: Side, event: &TraceEvent) {
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

    pub(super) fn sent_message(
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

    pub(super) fn event(&mut self, side: Side, event: &Event) {
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
