//! UART0 round trip: the firmware sends bytes to the host's TCP peer (QEMU's
//! `-serial tcp:...`), the peer echoes them, and the firmware checks what comes back.
//! This is the transport the TLS client will use; testing it alone first separates
//! "the wire works" from "TLS works".

use alloc::vec::Vec;

use crate::board::counter::Counter;
use crate::board::uart::Uart0;
use crate::report::{check, figure};

/// How many bytes go round.
const ECHO_LEN: usize = 1024;
/// How long to wait for the echo: 2 × 10^9 instructions, 2 s of virtual time.
const TIMEOUT_INSTRUCTIONS: u64 = 2_000_000_000;

/// Sends a pattern and reads it back; returns how many checks failed.
#[inline(never)] // its own stack frame, measured on its own
pub fn run(uart: &mut Uart0, counter: &Counter) -> usize {
    // The peer says hello first, so the firmware knows the link is up.
    let start = counter.now();
    let pattern: Vec<u8> = (0..ECHO_LEN).map(|i| (i * 7 + 3) as u8).collect();
    let mut received = Vec::with_capacity(ECHO_LEN);
    let mut sent = 0;
    while received.len() < ECHO_LEN {
        if let Some(&byte) = pattern.get(sent) {
            uart.write_byte(byte);
            sent += 1;
        }
        while let Some(byte) = uart.try_read_byte() {
            received.push(byte);
        }
        if counter.instructions_since(start) > TIMEOUT_INSTRUCTIONS {
            break;
        }
    }
    let cost = counter.instructions_since(start);
    let result = if received == pattern {
        Ok(())
    } else if received.len() < ECHO_LEN {
        Err("timed out waiting for the echo")
    } else {
        Err("echo differs")
    };
    let failures = usize::from(!check("uart0 echo (host TCP peer)", result));
    figure("uart0 echo bytes", received.len());
    figure("uart0 echo instructions", cost);
    failures
}
