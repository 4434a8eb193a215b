//! Stack and heap per phase of the client's handshake, for docs/embedded.md.
//!
//! The same client as [`crate::tls`] against the same `openssl s_server`, but the handshake
//! is driven by hand and fed **one byte at a time**: each handshake message is then handled
//! in a feed of its own, and the state the connection leaves names the phase that just
//! ended. At each change of state the stack's high-water mark is read and the free stack
//! painted again ([`crate::board::memory::repaint_free_stack`]), and the heap's peak is read
//! and restarted. After the handshake, the request and response run on the adapter as in
//! [`crate::tls`]: the "application data" phase.
//!
//! The figures are absolute (from the top of the stack, with `main`'s frames), so each can
//! be compared with the whole run's. Byte-wise feeding costs more instructions than the
//! adapter's chunks; this run's instruction count is not the handshake's cost.

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec::Vec;

use embedded_io::{Read, Write};
use lucid_tls::adapters::embedded::TlsStream;
use lucid_tls::client::ClientConnection;
use lucid_tls::crypto::Rng;

use crate::HEAP;
use crate::board::clock;
use crate::board::counter::Counter;
use crate::board::memory;
use crate::board::uart::Uart0;
use crate::build_info::STACK_RESERVE;
use crate::link::UartLink;
use crate::report::{check, figure};
use crate::tls::{self, Outcome, SERVER_NAME, TIMEOUT_INSTRUCTIONS};

/// One phase's figures.
struct Phase {
    name: &'static str,
    stack_high_water: usize,
    heap_peak_live: usize,
}

/// The phases measured so far.
#[derive(Default)]
struct Meter {
    phases: Vec<Phase>,
}

impl Meter {
    /// Ends the phase `name`: reads the stack and heap since the last mark, then starts
    /// both again.
    fn mark(&mut self, name: &'static str) {
        let stack = memory::stack_high_water(STACK_RESERVE);
        self.phases.push(Phase {
            name,
            stack_high_water: stack.high_water,
            heap_peak_live: HEAP.figures().peak_live,
        });
        memory::repaint_free_stack(STACK_RESERVE);
        HEAP.reset_peak();
    }
}

/// What phase a message moving the client out of `state` ends.
fn phase_of(state: &str) -> &'static str {
    match state {
        "WAIT_SH" => "ServerHello and key exchange",
        "WAIT_EE" => "EncryptedExtensions",
        "WAIT_CERT_CR" | "WAIT_CERT" => "certificate validation",
        "WAIT_CV" => "CertificateVerify",
        "WAIT_FINISHED" => "Finished (the server's and ours)",
        _ => "other",
    }
}

/// Runs the client with the meter; returns how many checks failed.
#[inline(never)]
pub fn run(uart: &mut Uart0, counter: &Counter, rng: Box<dyn Rng + Send>) -> usize {
    let Ok(config) = tls::config(|_| {}) else {
        return usize::from(!check("tls phases", Err("no usable trust anchor")));
    };
    let mut meter = Meter::default();
    memory::repaint_free_stack(STACK_RESERVE);
    HEAP.reset_peak();
    let result = measure(uart, counter, rng, config, &mut meter);
    for phase in &meter.phases {
        figure(
            "phase",
            format_args!(
                "{}: stack high-water {} B, heap peak live {} B",
                phase.name, phase.stack_high_water, phase.heap_peak_live
            ),
        );
    }
    usize::from(!check("tls handshake, measured per phase", result))
}

/// The handshake byte by byte, then the GET on the adapter.
#[inline(never)]
fn measure(
    uart: &mut Uart0,
    counter: &Counter,
    rng: Box<dyn Rng + Send>,
    config: Arc<lucid_tls::client::ClientConfig>,
    meter: &mut Meter,
) -> Result<(), &'static str> {
    let connection = ClientConnection::new(config, Some(SERVER_NAME), rng, clock::now(counter));
    let mut connection = Box::new(connection.map_err(|_| "could not start the connection")?);
    meter.mark("ClientHello");
    let mut link = UartLink::new(uart, counter, TIMEOUT_INSTRUCTIONS, None);
    let mut byte = [0u8; 1];
    while connection.is_handshaking() {
        let output = connection.take_output();
        link.write_all(&output)
            .map_err(|_| "the UART took nothing")?;
        if connection.error().is_some() {
            return Err("the handshake failed");
        }
        link.read(&mut byte).map_err(|_| "timed out")?;
        let before = connection.state_name();
        connection
            .feed(clock::now(counter), &byte)
            .map_err(|_| "the handshake failed")?;
        if connection.state_name() != before {
            meter.mark(phase_of(before));
        }
    }
    let output = connection.take_output();
    link.write_all(&output)
        .map_err(|_| "the UART took nothing")?;
    let mut read_buffer = [0u8; tls::RECEIVE_CHUNK];
    let mut tls = Box::new(TlsStream::new(*connection, link, &mut read_buffer, || {
        clock::now(counter)
    }));
    let mut outcome = Outcome::default();
    let result = tls::talk(&mut *tls, &mut outcome);
    meter.mark("application data (GET, response, close)");
    result
}
