//! UART0 as an `embedded_io` transport for lucid-tls's blocking embedded-io adapter
//! (`lucid_tls::adapters::embedded::TlsStream`), which replaces the firmware's own send /
//! feed loops.
//!
//! - **Reading** blocks until a byte arrives, then gathers bytes until the buffer is full
//!   or a TLS record is complete, so the connection is fed in chunks rather than byte by
//!   byte, as a driver that reads a record's 5-byte header and then its body would (QEMU's
//!   UART holds one byte at a time, and how quickly the host hands it the next one varies
//!   with the host's load: a link that stopped at the first pause would feed the
//!   connection in more, smaller pieces on a busy host, and each piece is a call into the
//!   connection that the handshake's instruction count includes). The record framing is
//!   only counted here, never checked: the connection does that.
//! - **Time spent here is waiting**, not TLS work: the link counts the instructions spent
//!   inside its calls, and the firmware subtracts them from the exchange's total to report
//!   the instructions spent inside lucid-tls.
//! - **A deadline** (in instructions since the exchange started) ends a run whose peer went
//!   silent: reads then fail with `TimedOut`.

use crate::board::counter::{Counter, Reading};
use crate::board::uart::Uart0;

/// Where the received byte stream stands in TLS's record framing (RFC 9846 §5.1: a 5-byte
/// header whose last two bytes are the length of the body that follows).
#[derive(Default)]
struct RecordFraming {
    header: [u8; 5],
    header_len: usize,
    body_left: usize,
}

impl RecordFraming {
    /// Counts one received byte; true if it ends a record.
    fn ends_record(&mut self, byte: u8) -> bool {
        if let Some(slot) = self.header.get_mut(self.header_len) {
            *slot = byte;
            self.header_len += 1;
            if self.header_len < self.header.len() {
                return false;
            }
            self.body_left = usize::from(u16::from_be_bytes([self.header[3], self.header[4]]));
        } else {
            self.body_left = self.body_left.saturating_sub(1);
        }
        let ended = self.body_left == 0;
        if ended {
            self.header_len = 0;
        }
        ended
    }
}

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
    /// The record framing of the bytes received so far.
    framing: RecordFraming,
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
            framing: RecordFraming::default(),
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
        let mut record_ended = false;
        if let (Some(byte), Some(slot)) = (self.first, buf.first_mut()) {
            *slot = byte;
            self.first = None;
            n = 1;
            record_ended = self.framing.ends_record(byte);
        }
        let result = loop {
            if n == buf.len() || (n > 0 && record_ended) {
                break Ok(n);
            }
            match self.uart.try_read_byte() {
                Some(byte) => {
                    if let Some(slot) = buf.get_mut(n) {
                        *slot = byte;
                    }
                    n += 1;
                    record_ended = self.framing.ends_record(byte);
                }
                None if self.past_deadline() => break if n == 0 { Err(TimedOut) } else { Ok(n) },
                None => {}
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
