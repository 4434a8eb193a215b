//! [`Rfc8448Handshake`]: one RFC 8448 trace as a client/server [`Pair`], configured like
//! the RFC's endpoints and drawing the RFC's randomness, with a script of the trace's
//! flights.
//!
//! The script comes from the trace itself: its records in RFC order, grouped into flights
//! by sender. Records the application causes become [`AppAction`]s (application data is
//! written, and 0-RTT data when the client sends it before hearing from the server;
//! close_notify is a close); the other records the engines produce on their own.
//! [`Rfc8448Handshake::next_flight`] performs a flight's actions, delivers it, and checks
//! each record the sender put on the wire against the RFC's.
//!
//! How each trace's two endpoints are set up is in [`super::endpoints`].

use alloc::string::String;
use alloc::vec::Vec;

use crate::client::Ticket;
use crate::error::Error;
use crate::pair::{Flight, Pair, Side};

use super::endpoints::Endpoints;
use super::replay::ReplayRng;
use super::vectors::Trace;
use super::{SetupError, TraceName};

/// Something the application does before a flight goes out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AppAction {
    /// Write application data.
    Write(Vec<u8>),
    /// Write 0-RTT data (client, before the server's Finished).
    WriteEarly(Vec<u8>),
    /// Send close_notify.
    Close,
}

/// One record of the trace: the RFC's block heading and the record's bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RfcRecord {
    /// e.g. `"send handshake record"`.
    pub heading: String,
    /// The `complete record`.
    pub bytes: Vec<u8>,
}

/// One flight of the script: the sender's application actions, then the records the RFC
/// shows it sending.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptedFlight {
    /// Who sends.
    pub from: Side,
    /// What its application does first.
    pub actions: Vec<AppAction>,
    /// The RFC's records for this flight, in order.
    pub records: Vec<RfcRecord>,
}

/// A record the engine sent, next to the RFC's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordCheck {
    /// The RFC's record at this position, if the RFC has one.
    pub expected: Option<RfcRecord>,
    /// The engine's record at this position, if it sent one.
    pub sent: Option<Vec<u8>>,
}

impl RecordCheck {
    /// True if the engine sent exactly the RFC's record.
    pub fn matches(&self) -> bool {
        match (&self.expected, &self.sent) {
            (Some(expected), Some(sent)) => expected.bytes == *sent,
            _ => false,
        }
    }
}

/// A delivered flight with its script and the record-by-record comparison.
#[derive(Debug)]
pub struct CheckedFlight {
    /// What the script said.
    pub script: ScriptedFlight,
    /// What happened.
    pub flight: Flight,
    /// The sender's records against the RFC's.
    pub records: Vec<RecordCheck>,
}

impl CheckedFlight {
    /// True if every record is the RFC's and the receiver accepted the flight.
    pub fn all_match(&self) -> bool {
        self.flight.result.is_ok() && self.records.iter().all(RecordCheck::matches)
    }
}

/// An RFC 8448 trace, ready to step through.
pub struct Rfc8448Handshake {
    /// Which trace.
    pub name: TraceName,
    /// Its values.
    pub trace: Trace,
    /// The RFC's client and server.
    pub pair: Pair,
    /// The client's replayed randomness (shared with the client).
    pub client_rng: ReplayRng,
    /// The server's replayed randomness (shared with the server).
    pub server_rng: ReplayRng,
    /// The flights of the trace, in order.
    pub script: Vec<ScriptedFlight>,
    /// §4 only: the ticket §3's client received, which the client resumes with.
    pub ticket: Option<Ticket>,
    next: usize,
}

impl Rfc8448Handshake {
    /// Sets up trace `name`: its client (whose ClientHello is queued), its server, and the
    /// script.
    pub fn new(name: TraceName) -> Result<Self, SetupError> {
        Ok(Self::from_endpoints(name, Endpoints::new(name)?))
    }

    /// Steps through `endpoints` (set up for trace `name`).
    pub fn from_endpoints(name: TraceName, endpoints: Endpoints) -> Self {
        Self {
            name,
            script: script(&endpoints.trace),
            pair: Pair::new(endpoints.client, endpoints.server, endpoints.now),
            trace: endpoints.trace,
            client_rng: endpoints.client_rng,
            server_rng: endpoints.server_rng,
            ticket: endpoints.ticket,
            next: 0,
        }
    }

    /// Performs the next scripted flight: the sender's application actions, then the
    /// delivery, with the sender's records checked against the RFC's. `None` after the
    /// last flight.
    pub fn next_flight(&mut self) -> Option<Result<CheckedFlight, Error>> {
        self.next_flight_tampered(|_| {})
    }

    /// Like [`Rfc8448Handshake::next_flight`], letting `tamper` change the flight's bytes on
    /// the wire (the record check still compares what the sender sent).
    pub fn next_flight_tampered(
        &mut self,
        tamper: impl FnOnce(&mut Vec<u8>),
    ) -> Option<Result<CheckedFlight, Error>> {
        let script = self.script.get(self.next)?.clone();
        self.next += 1;
        Some(self.perform(script, tamper))
    }

    fn perform(
        &mut self,
        script: ScriptedFlight,
        tamper: impl FnOnce(&mut Vec<u8>),
    ) -> Result<CheckedFlight, Error> {
        for action in &script.actions {
            match (script.from, action) {
                (Side::Client, AppAction::Write(data)) => self.pair.client.write(data)?,
                (Side::Server, AppAction::Write(data)) => self.pair.server.write(data)?,
                (Side::Client, AppAction::WriteEarly(data)) => {
                    self.pair.client.write_early_data(data)?;
                }
                (Side::Server, AppAction::WriteEarly(_)) => {
                    return Err(Error::Misuse("only a client sends 0-RTT data"));
                }
                (Side::Client, AppAction::Close) => self.pair.client.close(),
                (Side::Server, AppAction::Close) => self.pair.server.close(),
            }
        }
        let mut sent_bytes = Vec::new();
        let flight = self.pair.step_tampered(script.from, |bytes| {
            sent_bytes = bytes.clone();
            tamper(bytes);
        });
        let sent = crate::pair::split_records(&sent_bytes);
        let count = sent.len().max(script.records.len());
        let records = (0..count)
            .map(|i| RecordCheck {
                expected: script.records.get(i).cloned(),
                sent: sent.get(i).map(|r| r.to_vec()),
            })
            .collect();
        Ok(CheckedFlight {
            script,
            flight,
            records,
        })
    }

    /// Runs every remaining flight. Errors only if an application action is refused; a
    /// flight the receiver rejects is returned (see [`CheckedFlight::all_match`]).
    pub fn run(&mut self) -> Result<Vec<CheckedFlight>, SetupError> {
        let mut flights = Vec::new();
        while let Some(flight) = self.next_flight() {
            flights.push(flight?);
        }
        Ok(flights)
    }
}

/// The trace's flights: its records in RFC order, grouped by sender.
pub fn script(trace: &Trace) -> Vec<ScriptedFlight> {
    let mut flights: Vec<ScriptedFlight> = Vec::new();
    let mut server_spoke = false;
    for block in &trace.blocks {
        let Some(record) = block.try_get("complete record") else {
            continue;
        };
        let from = if block.actor == "client" {
            Side::Client
        } else {
            server_spoke = true;
            Side::Server
        };
        if flights.last().is_none_or(|f| f.from != from) {
            flights.push(ScriptedFlight {
                from,
                actions: Vec::new(),
                records: Vec::new(),
            });
        }
        let Some(flight) = flights.last_mut() else {
            continue;
        };
        if block.heading.starts_with("send application_data") {
            let payload = block.try_get("payload").unwrap_or_default().to_vec();
            // Client data sent before the server said anything is 0-RTT data.
            flight
                .actions
                .push(if from == Side::Client && !server_spoke {
                    AppAction::WriteEarly(payload)
                } else {
                    AppAction::Write(payload)
                });
        } else if block.heading.starts_with("send alert") {
            flight.actions.push(AppAction::Close);
        }
        flight.records.push(RfcRecord {
            heading: block.heading.clone(),
            bytes: record.to_vec(),
        });
    }
    flights
}
