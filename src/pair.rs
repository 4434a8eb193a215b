//! Stepping through a handshake: a client and a server connected in memory, driven one
//! flight at a time, each step returning what that flight made both sides do.
//!
//! A [`Pair`] owns a [`ClientConnection`] and a [`ServerConnection`] and moves bytes
//! between them, nothing else: no IO, no randomness of its own, and a simulated clock (the
//! pair's `now`, passed to both, which only moves when the test calls [`Pair::advance`]).
//! One [`Pair::step`] is one *flight*: everything one side has queued to send, delivered
//! to the other in one piece, or cut into smaller pieces as [`Pair::split`] says (a
//! receiver must accept any split, RFC 9846 §5.1). The returned [`Flight`] holds the
//! bytes, and the trace events ([`TraceEvent`]: messages with their decoded fields and
//! bytes, records, secrets, keys, state changes, alerts) and application events ([`Event`])
//! that the flight caused, in order: first what the sender did since the previous step
//! (writing application data, closing, ...), then everything the receiver did with the
//! flight: the messages it read and accepted, the secrets it derived, the keys it
//! installed, and the reply it built, which is the next flight.
//!
//! Application actions (writing data, closing, a KeyUpdate) are calls on the public
//! connections, [`Pair::client`] and [`Pair::server`], between steps. Tracing must be
//! enabled in both configs (`trace: true`) for flights to carry trace events.
//!
//! # Asserting on RFC 8448, step by step
//!
//! `lucid_tls::rfc8448` (feature `rfc8448`) builds the RFC's client and server (same
//! configs, replayed randomness). The second flight of RFC 8448 §3 is the server's: the client reads a
//! ServerHello carrying the RFC's random, and derives the RFC's
//! client_handshake_traffic_secret:
//!
//! ```
//! use lucid_tls::key_schedule::SecretLabel;
//! use lucid_tls::pair::Side;
//! use lucid_tls::rfc8448::{Rfc8448Handshake, TraceName};
//! use lucid_tls::wire::handshake::HandshakeMessage;
//!
//! let mut rfc = Rfc8448Handshake::new(TraceName::Simple)?;
//! let hello = rfc.pair.step().expect("the client sends its ClientHello first");
//! assert_eq!(hello.from, Side::Client);
//! // The server read the ClientHello in this step, and derived its handshake secrets.
//! let server_secret = hello.secret(Side::Server, SecretLabel::ServerHandshakeTraffic);
//! let rfc_server_secret = rfc.trace.value("derive secret \"tls13 s hs traffic\"", "expanded");
//! assert_eq!(server_secret.map(|s| s.as_bytes()), rfc_server_secret);
//!
//! let flight = rfc.pair.step().expect("the server answers");
//! assert_eq!(flight.from, Side::Server);
//! let Some(HandshakeMessage::ServerHello(server_hello)) = flight.received_messages().first()
//! else {
//!     panic!("the server's flight starts with its ServerHello");
//! };
//! let rfc_hello = rfc.trace.block("server", "construct a ServerHello").get("ServerHello");
//! assert_eq!(server_hello.random[..], rfc_hello[6..38]);
//!
//! let secret = flight.secret(Side::Client, SecretLabel::ClientHandshakeTraffic).unwrap();
//! let rfc_secret = rfc.trace.value("derive secret \"tls13 c hs traffic\"", "expanded");
//! assert_eq!(Some(secret.as_bytes()), rfc_secret);
//! # Ok::<(), lucid_tls::rfc8448::SetupError>(())
//! ```
//!
//! # Pieces and time
//!
//! A flight can reach its receiver one byte at a time, or in pieces of any sizes; the
//! handshake comes out the same. Time stands still until the test moves it: here a ticket
//! is received, and a day later it is a day old.
//!
//! ```
//! use lucid_tls::connection::Event;
//! use lucid_tls::pair::{Side, Split};
//! use lucid_tls::rfc8448::{Rfc8448Handshake, TraceName};
//!
//! let mut rfc = Rfc8448Handshake::new(TraceName::Simple)?;
//! rfc.pair.split = Split::Chunks(1);
//! let flights = rfc.pair.run(8);
//! assert!(flights.iter().all(|f| f.result.is_ok()));
//! assert!(flights.iter().all(|f| f.pieces == f.bytes.len()), "one byte at a time");
//! assert!(!rfc.pair.client.is_handshaking());
//! let ticket = flights
//!     .iter()
//!     .flat_map(|f| f.events_of(Side::Client))
//!     .find_map(|e| match e {
//!         Event::NewSessionTicket(ticket) => Some(ticket),
//!         _ => None,
//!     })
//!     .expect("RFC 8448 §3's server sends a ticket");
//! let start = rfc.pair.now;
//! rfc.pair.advance(24 * 3600 * 1000);
//! assert_eq!(rfc.pair.now.millis_since(start), 24 * 3600 * 1000);
//! assert_eq!(rfc.pair.now.millis_since(ticket.received_at), 24 * 3600 * 1000);
//! # Ok::<(), lucid_tls::rfc8448::SetupError>(())
//! ```
//!
//! # Corrupting a flight
//!
//! [`Pair::step_tampered`] lets a test change the bytes on the wire. Flipping one bit in
//! the server's encrypted flight makes its record fail to decrypt: the client answers with
//! bad_record_mac (RFC 9846 §5.2), which the next step delivers to the server:
//!
//! ```
//! use lucid_tls::Error;
//! use lucid_tls::crypto::CryptoError;
//! use lucid_tls::pair::Side;
//! use lucid_tls::rfc8448::{Rfc8448Handshake, TraceName};
//! use lucid_tls::trace::Direction;
//! use lucid_tls::wire::alert::AlertDescription;
//!
//! let mut rfc = Rfc8448Handshake::new(TraceName::Simple)?;
//! rfc.pair.step(); // ClientHello
//! let flight = rfc.pair.step_tampered(Side::Server, |bytes| {
//!     let last = bytes.len() - 1;
//!     bytes[last] ^= 0x01; // the last byte of the AEAD tag of EncryptedExtensions..Finished
//! });
//! assert_eq!(flight.result, Err(Error::Crypto(CryptoError::AeadTagMismatch)));
//! assert_eq!(
//!     flight.alerts(),
//!     [(Side::Client, Direction::Sent, AlertDescription::BadRecordMac)]
//! );
//!
//! let alert = rfc.pair.step().expect("the client's alert goes out");
//! assert_eq!(
//!     alert.alerts(),
//!     [(Side::Server, Direction::Received, AlertDescription::BadRecordMac)]
//! );
//! assert!(rfc.pair.step().is_none(), "both sides are done");
//! # Ok::<(), lucid_tls::rfc8448::SetupError>(())
//! ```

use alloc::vec::Vec;

use crate::client::ClientConnection;
use crate::connection::{Connection, Event, Role};
use crate::crypto::Secret;
use crate::error::Error;
use crate::key_schedule::SecretLabel;
use crate::server::ServerConnection;
use crate::time::Time;
use crate::trace::{Direction, TraceEvent};
use crate::wire::alert::AlertDescription;
use crate::wire::handshake::HandshakeMessage;
use crate::wire::record::RECORD_HEADER_LEN;

/// One of the two endpoints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    /// The client.
    Client,
    /// The server.
    Server,
}

impl Side {
    /// The other side.
    pub fn peer(self) -> Self {
        match self {
            Self::Client => Self::Server,
            Self::Server => Self::Client,
        }
    }

    /// `"client"` or `"server"`, as RFC 8448 names the actors.
    pub fn name(self) -> &'static str {
        match self {
            Self::Client => "client",
            Self::Server => "server",
        }
    }
}

/// How a flight is cut on its way to the receiver.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Split {
    /// In one piece, as the sender queued it.
    Whole,
    /// In pieces of this many bytes (the last one may be shorter; 0 counts as 1).
    Chunks(usize),
    /// In pieces of these sizes, taken in turn and repeated (an empty list, or a 0, counts
    /// as 1): a test draws them from its own seeded RNG for reproducible random cuts.
    Sizes(Vec<usize>),
}

impl Split {
    /// The size of piece number `n` (from 0) of a flight.
    fn piece_len(&self, n: usize) -> usize {
        let len = match self {
            Self::Whole => usize::MAX,
            Self::Chunks(len) => *len,
            Self::Sizes(sizes) => sizes.get(n % sizes.len().max(1)).copied().unwrap_or(1),
        };
        len.max(1)
    }
}

/// A client and a server, connected in memory.
pub struct Pair {
    /// The client: call its methods (write, close, key_update, ...) between steps.
    pub client: ClientConnection,
    /// The server.
    pub server: ServerConnection,
    /// The time passed to both sides when a flight is delivered; see [`Pair::advance`].
    pub now: Time,
    /// How flights are cut on their way ([`Split::Whole`] unless the test changes it).
    pub split: Split,
}

/// What one flight did: the bytes one side sent, and what both sides did around it.
#[derive(Debug)]
pub struct Flight {
    /// Who sent it.
    pub from: Side,
    /// The bytes delivered (after any tampering), records back to back.
    pub bytes: Vec<u8>,
    /// How many pieces the bytes were cut into on their way (see [`Split`]); fewer if
    /// the receiver failed before the last one.
    pub pieces: usize,
    /// Both sides' trace events, in order: the sender's since the previous step, then the
    /// receiver's while reading the flight.
    pub trace: Vec<(Side, TraceEvent)>,
    /// Both sides' application events, in the same order.
    pub events: Vec<(Side, Event)>,
    /// What the receiver's `feed` returned: an error means it failed on this flight (its
    /// alert, if any, is the next flight).
    pub result: Result<(), Error>,
}

impl Pair {
    /// Connects `client` and `server`; `now` is the time both see.
    pub fn new(client: ClientConnection, server: ServerConnection, now: Time) -> Self {
        Self {
            client,
            server,
            now,
            split: Split::Whole,
        }
    }

    /// The same pair, its flights cut as `split` says.
    pub fn with_split(mut self, split: Split) -> Self {
        self.split = split;
        self
    }

    /// Moves the clock `millis` milliseconds forward: the next flights arrive that much
    /// later (ticket ages, lifetimes and 0-RTT freshness are judged by it).
    pub fn advance(&mut self, millis: u64) {
        self.now = self.now.plus_millis(millis);
    }

    /// True if `side` has bytes queued to send.
    pub fn has_output(&self, side: Side) -> bool {
        match side {
            Side::Client => self.client.has_output(),
            Side::Server => self.server.has_output(),
        }
    }

    /// Delivers the next flight: the client's queued bytes if it has any, else the
    /// server's. `None` when neither side has anything to send.
    pub fn step(&mut self) -> Option<Flight> {
        let from = [Side::Client, Side::Server]
            .into_iter()
            .find(|side| self.has_output(*side))?;
        Some(self.step_from(from))
    }

    /// Delivers everything `from` has queued (possibly nothing) to its peer.
    pub fn step_from(&mut self, from: Side) -> Flight {
        self.step_tampered(from, |_| {})
    }

    /// Like [`Pair::step_from`], letting `tamper` change the bytes before they arrive.
    pub fn step_tampered(&mut self, from: Side, tamper: impl FnOnce(&mut Vec<u8>)) -> Flight {
        let mut flight = Flight {
            from,
            bytes: Vec::new(),
            pieces: 0,
            trace: Vec::new(),
            events: Vec::new(),
            result: Ok(()),
        };
        self.collect(from, &mut flight);
        flight.bytes = match from {
            Side::Client => self.client.take_output(),
            Side::Server => self.server.take_output(),
        };
        tamper(&mut flight.bytes);
        flight.result = self.deliver(from.peer(), &flight.bytes, &mut flight.pieces);
        self.collect(from.peer(), &mut flight);
        flight
    }

    /// Feeds `bytes` to `to`, piece by piece as [`Pair::split`] says, counting the pieces
    /// in `pieces`; stops at the first error (the receiver's error is sticky: the rest
    /// would only repeat it).
    fn deliver(&mut self, to: Side, bytes: &[u8], pieces: &mut usize) -> Result<(), Error> {
        let mut rest = bytes;
        while !rest.is_empty() {
            let len = self.split.piece_len(*pieces).min(rest.len());
            let (piece, tail) = rest.split_at(len);
            *pieces += 1;
            match to {
                Side::Client => feed_paced(&mut self.client, self.now, piece)?,
                Side::Server => feed_paced(&mut self.server, self.now, piece)?,
            };
            rest = tail;
        }
        Ok(())
    }

    /// Steps until neither side has anything to send (at most `max_flights` flights).
    pub fn run(&mut self, max_flights: usize) -> Vec<Flight> {
        core::iter::from_fn(|| self.step())
            .take(max_flights)
            .collect()
    }

    /// Moves `side`'s pending trace and application events into `flight`.
    fn collect(&mut self, side: Side, flight: &mut Flight) {
        loop {
            let next = match side {
                Side::Client => self.client.poll_trace(),
                Side::Server => self.server.poll_trace(),
            };
            let Some(event) = next else { break };
            flight.trace.push((side, event));
        }
        loop {
            let next = match side {
                Side::Client => self.client.poll_event(),
                Side::Server => self.server.poll_event(),
            };
            let Some(event) = next else { break };
            flight.events.push((side, event));
        }
    }
}

/// Feeds `bytes` to `conn`. A paced connection (see [`crate::connection::pacing`]) stops
/// after each expensive step of its handshake: its steps are taken here, one call each, and
/// the bytes it left are fed after them.
fn feed_paced<S: Role>(conn: &mut Connection<S>, now: Time, bytes: &[u8]) -> Result<(), Error> {
    let mut rest = bytes;
    loop {
        let taken = conn.feed(now, rest)?;
        rest = rest.get(taken..).unwrap_or_default();
        if !conn.has_paced_step() {
            return Ok(());
        }
        while conn.has_paced_step() {
            conn.take_paced_step(now)?;
        }
        if rest.is_empty() {
            return Ok(());
        }
    }
}

/// Cuts back-to-back records at each record header's length (a truncated last record is
/// returned as it is).
pub fn split_records(bytes: &[u8]) -> Vec<&[u8]> {
    let mut records = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let length = match rest.get(3..RECORD_HEADER_LEN) {
            Some(&[high, low]) => usize::from(u16::from_be_bytes([high, low])),
            _ => rest.len(),
        };
        let end = (RECORD_HEADER_LEN + length).min(rest.len());
        let (record, tail) = rest.split_at(end);
        records.push(record);
        rest = tail;
    }
    records
}

impl Flight {
    /// The handshake messages of this flight, as the receiver decoded and accepted them,
    /// in order (a message the receiver rejected is not there).
    pub fn received_messages(&self) -> Vec<&HandshakeMessage> {
        self.messages(self.from.peer(), Direction::Received)
    }

    /// The handshake messages `side` sent or received (and accepted), in order.
    pub fn messages(&self, side: Side, direction: Direction) -> Vec<&HandshakeMessage> {
        self.trace
            .iter()
            .filter_map(|(s, event)| match event {
                TraceEvent::HandshakeMessage {
                    direction: d,
                    message,
                    ..
                } if *s == side && *d == direction => Some(message),
                _ => None,
            })
            .collect()
    }

    /// The flight's records, as delivered (see [`split_records`]).
    pub fn records(&self) -> Vec<&[u8]> {
        split_records(&self.bytes)
    }

    /// The application events of `side` during this flight, in order.
    pub fn events_of(&self, side: Side) -> impl Iterator<Item = &Event> {
        self.events
            .iter()
            .filter(move |(s, _)| *s == side)
            .map(|(_, event)| event)
    }

    /// The last value of the secret `label` that `side` derived during this flight.
    pub fn secret(&self, side: Side, label: SecretLabel) -> Option<&Secret> {
        self.trace.iter().rev().find_map(|(s, event)| match event {
            TraceEvent::SecretDerived { label: l, secret } if *s == side && *l == label => {
                Some(secret)
            }
            _ => None,
        })
    }

    /// Every alert sent or received during this flight, by whom and which way.
    pub fn alerts(&self) -> Vec<(Side, Direction, AlertDescription)> {
        self.trace
            .iter()
            .filter_map(|(side, event)| match event {
                TraceEvent::Alert { direction, alert } => {
                    Some((*side, *direction, alert.description))
                }
                _ => None,
            })
            .collect()
    }

    /// The states `side` entered during this flight.
    pub fn states(&self, side: Side) -> Vec<&'static str> {
        self.trace
            .iter()
            .filter_map(|(s, event)| match event {
                TraceEvent::StateChanged { to, .. } if *s == side => Some(*to),
                _ => None,
            })
            .collect()
    }
}
