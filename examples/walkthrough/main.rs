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
//!
//! | file | what |
//! | --- | --- |
//! | `main.rs` | the command line, and the driver that steps through the flights |
//! | `walk.rs` | the walkthrough's text: a flight's records, the RFC comparisons, the verdict |
//! | `narrate.rs` | what each side did, told from its trace events and connection events |
//! | `../common/pq_walk.rs` | `--trace pq`, the post-quantum hybrid handshake |

use std::path::PathBuf;
use std::process::ExitCode;

use lucid_tls::keylog::KeyLogFile;
use lucid_tls::rfc8448::{Rfc8448Handshake, SetupError, TraceName};

mod narrate;
#[path = "../common/pcap.rs"]
mod pcap;
#[path = "../common/pq_walk.rs"]
#[allow(dead_code)] // `flights` is for examples/illustrate
pub mod pq_walk;
mod walk;

use walk::Walk;

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
