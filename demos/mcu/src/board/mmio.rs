//! Memory-mapped device registers, read and written with volatile accesses.
//!
//! Reaching a device means reading and writing fixed addresses, which Rust cannot check:
//! this is one of the two places where the firmware needs `unsafe` (the other is the heap,
//! in [`super::memory`]). The promise is made once per register, where its address is
//! written down next to the board manual's name for it.

/// One 32-bit device register.
#[derive(Clone, Copy)]
pub struct Register(usize);

impl Register {
    /// The register at `address`.
    ///
    /// # Safety
    /// `address` must be a 32-bit device register of this board that may be read and
    /// written at any time without breaking memory safety (no DMA set-up, no remapping).
    pub const unsafe fn at(address: usize) -> Self {
        Self(address)
    }

    /// Reads the register.
    pub fn read(self) -> u32 {
        // SAFETY: `Register::at` promised a device register, valid to read at any time.
        unsafe { core::ptr::read_volatile(self.0 as *const u32) }
    }

    /// Writes the register.
    pub fn write(self, value: u32) {
        // SAFETY: `Register::at` promised a device register, valid to write at any time.
        unsafe { core::ptr::write_volatile(self.0 as *mut u32, value) }
    }
}
