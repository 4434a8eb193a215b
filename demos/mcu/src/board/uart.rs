//! UART0 of the mps2-an386 board: an ARM CMSDK APB UART (registers at 0x4000_4000), polled.
//!
//! QEMU connects it to the host with `-serial tcp:127.0.0.1:PORT`: every byte written to
//! DATA goes to the TCP peer, every byte the peer sends appears in DATA. QEMU holds the
//! peer's bytes back while the one-byte receive buffer is full, so polling loses nothing.
//! A real board needs the same four operations from its UART (or any byte transport).
//!
//! Not here: interrupts, FIFOs, baud rates (QEMU ignores the rate; real hardware needs
//! BAUDDIV = clock / baud).

use super::mmio::Register;

const BASE: usize = 0x4000_4000;
// SAFETY (all five): the CMSDK APB UART's registers, at the offsets its technical reference
// manual gives, on UART0 of the AN386 memory map; none has side effects beyond the UART.
/// Received byte on read, byte to transmit on write.
const DATA: Register = unsafe { Register::at(BASE) };
/// Bit 0: transmit buffer full; bit 1: receive buffer full.
const STATE: Register = unsafe { Register::at(BASE + 0x04) };
/// Bit 0: transmitter enable; bit 1: receiver enable.
const CTRL: Register = unsafe { Register::at(BASE + 0x08) };
/// Bits 0-1: transmit/receive interrupt pending; writing 1 clears them.
const INTCLEAR: Register = unsafe { Register::at(BASE + 0x0c) };
/// Baud rate divider; the UART refuses to transmit while it is below 16.
const BAUDDIV: Register = unsafe { Register::at(BASE + 0x10) };

const STATE_TX_FULL: u32 = 1 << 0;
const STATE_RX_FULL: u32 = 1 << 1;

/// The board's first UART, which carries the TLS bytes (and the echo test's).
pub struct Uart0 {
    _private: (),
}

impl Uart0 {
    /// Enables the transmitter and the receiver.
    pub fn init() -> Self {
        BAUDDIV.write(16);
        INTCLEAR.write(0b11);
        CTRL.write(0b11);
        Self { _private: () }
    }

    /// Sends one byte, waiting while the transmit buffer is full.
    pub fn write_byte(&mut self, byte: u8) {
        while STATE.read() & STATE_TX_FULL != 0 {}
        DATA.write(u32::from(byte));
    }

    /// Sends all of `bytes`.
    pub fn write_all(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_byte(byte);
        }
    }

    /// The next received byte, if one has arrived.
    pub fn try_read_byte(&mut self) -> Option<u8> {
        if STATE.read() & STATE_RX_FULL != 0 {
            Some((DATA.read() & 0xff) as u8)
        } else {
            None
        }
    }
}
