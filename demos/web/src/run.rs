//! Running a scenario from start to end: the flights of an RFC 8448 trace (replayed by
//! `lucid_tls::rfc8448`, each record checked against the RFC's) or of a live handshake
//! (see [`crate::live`]), with the page's byte edits applied to the flights they name
//! before delivery (`lucid_tls::pair::Pair::step_tampered`).
//!
//! Once a flight has been rejected, the script no longer applies: the run continues with
//! plain `Pair::step`s, which deliver the alert the receiver queued, until neither side has
//! anything to send.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use lucid_tls::crypto::CryptoProvider;
use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::explain;
use lucid_tls::pair::{Flight, Pair, Side};
use lucid_tls::rfc8448::handshakes::RecordCheck;
use lucid_tls::rfc8448::{Rfc8448Handshake, Trace, TraceName};
use serde_json::{Value, json};

use crate::report::Report;

/// At most this many flights per run (a full live run with resumption has about 20).
const MAX_FLIGHTS: usize = 64;

/// One delivered flight and what the page needs beside it.
pub struct Step {
    /// 1 for the first connection, 2 for a resumption.
    pub connection: u8,
    /// The flight.
    pub flight: Flight,
    /// RFC 8448 scenarios: the sender's records against the RFC's.
    pub checks: Option<Vec<RecordCheck>>,
    /// What the sender's application did before the flight ("writes 22 bytes", ...).
    pub actions: Vec<String>,
}

/// A byte the page wants changed: `flight` (0-based, over the whole run), `offset` in the
/// flight's bytes, and the new `value`.
#[derive(Clone, Copy)]
pub struct Edit {
    pub flight: usize,
    pub offset: usize,
    pub value: u8,
}

/// Applies the edits meant for flight `index` (offsets past the end are ignored).
pub fn apply_edits(edits: &[Edit], index: usize, bytes: &mut [u8]) {
    for edit in edits.iter().filter(|e| e.flight == index) {
        if let Some(byte) = bytes.get_mut(edit.offset) {
            *byte = edit.value;
        }
    }
}

/// Delivers whatever one side has queued (the client first, as `Pair::step` does).
pub fn free_step(pair: &mut Pair, edits: &[Edit], index: usize) -> Option<Flight> {
    let from = [Side::Client, Side::Server]
        .into_iter()
        .find(|side| pair.has_output(*side))?;
    Some(pair.step_tampered(from, |bytes| apply_edits(edits, index, bytes)))
}

/// The `info` answer: the traces, suites and groups the page offers.
pub fn info() -> Value {
    let traces: Vec<Value> = TraceName::ALL
        .iter()
        .map(|t| {
            json!({ "name": t.cli_name(), "section": t.section(), "title": t.title(),
                    "summary": t.summary() })
        })
        .collect();
    let provider = RustCryptoProvider;
    let suites: Vec<Value> = provider
        .cipher_suites()
        .iter()
        .map(|s| json!({ "code": s.to_u16(), "name": explain::suite(*s) }))
        .collect();
    // The groups come from the provider: a group added to the library appears here.
    let groups: Vec<Value> = provider
        .groups()
        .iter()
        .map(|g| json!({ "code": g.to_u16(), "name": explain::group(*g) }))
        .collect();
    json!({ "traces": traces, "suites": suites, "groups": groups })
}

/// The `run` answer.
pub fn run(request: &Value) -> Result<Value, String> {
    let edits = parse_edits(request);
    let scenario = request
        .get("scenario")
        .and_then(Value::as_str)
        .unwrap_or("simple");
    if scenario == "live" {
        let options = request.get("options").cloned().unwrap_or(Value::Null);
        let seed = crate::live::parse_seed(request)?;
        let steps = crate::live::run(&options, seed, &edits)?;
        let mut report = Report::new(None);
        return Ok(report.answer(
            &steps,
            json!({ "scenario": "live", "title": "Live handshake",
            "section": "", "summary": crate::live::describe(&options) }),
        ));
    }
    let name = TraceName::from_name(scenario).ok_or("unknown scenario")?;
    let steps = rfc8448(name, &edits)?;
    let trace: Trace = lucid_tls::rfc8448::vectors::load(name.file()).map_err(|e| e.to_string())?;
    let mut report = Report::new(Some(&trace));
    Ok(report.answer(
        &steps,
        json!({ "scenario": name.cli_name(), "title": name.title(), "section": name.section(),
                "summary": name.summary() }),
    ))
}

fn parse_edits(request: &Value) -> Vec<Edit> {
    let Some(list) = request.get("edits").and_then(Value::as_array) else {
        return Vec::new();
    };
    let number = |edit: &Value, key: &str| edit.get(key).and_then(Value::as_u64);
    list.iter()
        .filter_map(|edit| {
            Some(Edit {
                flight: usize::try_from(number(edit, "flight")?).ok()?,
                offset: usize::try_from(number(edit, "offset")?).ok()?,
                value: u8::try_from(number(edit, "value")?).ok()?,
            })
        })
        .collect()
}

/// Replays RFC 8448 trace `name` to its end.
fn rfc8448(name: TraceName, edits: &[Edit]) -> Result<Vec<Step>, String> {
    let mut rfc = Rfc8448Handshake::new(name).map_err(|e| e.0)?;
    let mut steps: Vec<Step> = Vec::new();
    let mut scripted = true;
    while steps.len() < MAX_FLIGHTS {
        let index = steps.len();
        if scripted {
            let actions = rfc
                .script
                .get(index)
                .map(|s| s.actions.iter().map(describe_action).collect())
                .unwrap_or_default();
            match rfc.next_flight_tampered(|bytes| apply_edits(edits, index, bytes)) {
                None => scripted = false,
                Some(Ok(checked)) => {
                    scripted = checked.flight.result.is_ok();
                    steps.push(Step {
                        connection: 1,
                        flight: checked.flight,
                        checks: Some(checked.records),
                        actions,
                    });
                }
                // An application action the connection refused (it failed earlier).
                Some(Err(_)) => scripted = false,
            }
            continue;
        }
        let Some(flight) = free_step(&mut rfc.pair, edits, index) else {
            break;
        };
        steps.push(Step {
            connection: 1,
            flight,
            checks: None,
            actions: Vec::new(),
        });
    }
    Ok(steps)
}

fn describe_action(action: &lucid_tls::rfc8448::AppAction) -> String {
    use lucid_tls::rfc8448::AppAction;
    match action {
        AppAction::Write(data) => alloc::format!("writes {} bytes of application data", data.len()),
        AppAction::WriteEarly(data) => alloc::format!("writes {} bytes of 0-RTT data", data.len()),
        AppAction::Close => "closes (close_notify)".to_string(),
    }
}
