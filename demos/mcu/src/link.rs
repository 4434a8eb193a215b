//! UART0 as an `embedded_io` transport for lucid-tls's blocking embedded-io adapter
//! (`lucid_tls::adapters::embedded::TlsStream`), which replaces the firmware's own send /
//! feed loops.
//!
//! - **Reading** blocks until a byte arrives, then gathers bytes until the buffer is full
//!   or the line has been idle for a while, so the connection is fed in chunks rather than
//!   byte by byte.
//! - **Time spent here is waiting**, not TLS work: the link counts the instructions spent
//!   inside its calls, and the firmware subtracts them from the exchange's total to report
//!   the instructions spent inside lucid-tls.
//! - **A deadline** (in instructions since the exchange started) ends a run whose peer went
//!   silent: reads then fail with `TimedOut`.

use crate::board::counter::{Counter, Reading};
use crate::board::uart::Uart0;

/// Polls of an idle UART after which the bytes gathered so far are returned.
const IDLE_POLLS: u32 = 200;

/// The peer stayed silent past the deadline.
#[derive(Debug, Clone, Copy)]
pub struct TimedOut;

impl core::fmt::Display for TimedOut {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("the peer stayed silent past the deadline")
    }
}

impl core::error::Error for TimedOut {}

impl embedded_io::Error for TimedOut {
    fn kind(&self) -> embedded_io::ErrorKind {
        embedded_io::ErrorKind::TimedOut
    }
}

/// UART0 with a deadline and a count of the instructions spent waiting on it.
pub struct UartLink<'a> {
    uart: &'a mut Uart0,
    counter: &'a Counter,
    start: Reading,
    deadline_instructions: u64,
    /// A byte already read by `main` (a TLS client's first byte), returned first.
    first: Option<u8>,
    /// Instructions spent inside `read`, `write` and `flush`.
    waited: u64,
    /// Bytes that went each way.
    pub bytes_sent: usize,
    pub bytes_received: usize,
    /// Reads that returned bytes.
    pub reads: usize,
}

impl<'a> UartLink<'a> {
    /// The link; reads fail once `deadline_instructions` have passed from now.
    pub fn new(
        uart: &'a mut Uart0,
        counter: &'a Counter,
        deadline_instructions: u64,
        first: Option<u8>,
    ) -> Self {
        Self {
            start: counter.now(),
            uart,
            counter,
            deadline_instructions,
            first,
            waited: 0,
            bytes_sent: 0,
            bytes_received: 0,
            reads: 0,
        }
    }

    /// Instructions spent inside the link's calls so far.
    pub fn waited(&self) -> u64 {
        self.waited
    }

    fn past_deadline(&self) -> bool {
        self.counter.instructions_since(self.start) > self.deadline_instructions
    }
}

impl embedded_io::ErrorType for UartLink<'_> {
    type Error = TimedOut;
}

impl embedded_io::Read for UartLink<'_> {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, TimedOut> {
        let entered = self.counter.now();
        let mut n = 0;
        let mut idle = 0u32;
        if let (Some(byte), Some(slot)) = (self.first, buf.first_mut()) {
            *slot = byte;
            self.first = None;
            n = 1;
        }
        let result = loop {
            if n == buf.len() || (n > 0 && idle > IDLE_POLLS) {
                break Ok(n);
            }
            match self.uart.try_read_byte() {
                Some(byte) => {
                    if let Some(slot) = buf.get_mut(n) {
                        *slot = byte;
                    }
                    n += 1;
                    idle = 0;
                }
                None if n == 0 && self.past_deadline() => break Err(TimedOut),
                None => idle = idle.saturating_add(1),
            }
        };
        self.bytes_received += n;
        self.reads += usize::from(n > 0);
        self.waited += self.counter.instructions_since(entered);
        result
    }
}

impl embedded_io::Write for UartLink<'_> {
    fn write(&mut self, buf: &[u8]) -> Result<usize, TimedOut> {
        let entered = self.counter.now();
        self.uart.write_all(buf);
        self.bytes_sent += buf.len();
        self.waited += self.counter.instructions_since(entered);
        Ok(buf.len())
    }

    fn flush(&mut self) -> Result<(), TimedOut> {
        Ok(())
    }
}
