//! The instruction counter: how much work each step costs.
//!
//! QEMU does not model the Cortex-M4's cycle counter (DWT CYCCNT reads 0), but with
//! `-icount shift=0` it runs one instruction per nanosecond of *virtual* time, and the
//! board's timers run on that virtual time. So the board's 32-bit CMSDK APB Timer0
//! (registers at 0x4000_0000, counting down from 0xFFFF_FFFF) counts instructions, in steps
//! that [`Counter::calibrate`] measures at start-up against a loop of known length (on this
//! QEMU: 20 instructions per tick). SysTick counts the same, but is only 24 bits wide.
//!
//! On a real board, read DWT CYCCNT instead (`cortex_m::peripheral::DWT::cycle_count`):
//! that counts cycles, which is what a datasheet's power and latency figures need.
//! Without `-icount`, QEMU's timers follow the host's clock and the figures mean nothing.

use super::mmio::Register;

const BASE: usize = 0x4000_0000;
// SAFETY (all three): the CMSDK APB timer's registers, at the offsets of its technical
// reference manual, on Timer0 of the AN386 memory map; reading VALUE has no side effect.
/// Bit 0: enable.
const CTRL: Register = unsafe { Register::at(BASE) };
/// The current value, counting down.
const VALUE: Register = unsafe { Register::at(BASE + 0x04) };
/// The value the counter restarts from when it reaches zero.
const RELOAD: Register = unsafe { Register::at(BASE + 0x08) };

/// How many instructions the calibration loop runs.
const CALIBRATION_INSTRUCTIONS: u32 = 1_000_000;

/// The running timer, and how many instructions one of its ticks stands for.
pub struct Counter {
    instructions_per_tick: u64,
}

/// A reading of the counter, in ticks since it started (wraps after 2^32 ticks).
#[derive(Clone, Copy)]
pub struct Reading(u32);

impl Counter {
    /// Starts Timer0 free-running from 0xFFFF_FFFF and calibrates it.
    pub fn start() -> Self {
        CTRL.write(0);
        RELOAD.write(u32::MAX);
        VALUE.write(u32::MAX);
        CTRL.write(1);
        let mut counter = Self {
            instructions_per_tick: 1,
        };
        counter.calibrate();
        counter
    }

    /// Measures the instructions per tick with a loop of known length:
    /// `cortex_m::asm::delay(n)` runs `n / 2 + 1` iterations of `subs; bne`.
    fn calibrate(&mut self) {
        let start = self.now();
        cortex_m::asm::delay(CALIBRATION_INSTRUCTIONS);
        let ticks = u64::from(self.now().0.wrapping_sub(start.0)).max(1);
        let per_tick = (u64::from(CALIBRATION_INSTRUCTIONS) + ticks / 2) / ticks;
        self.instructions_per_tick = per_tick.max(1);
    }

    /// How many instructions one tick stands for.
    pub fn instructions_per_tick(&self) -> u64 {
        self.instructions_per_tick
    }

    /// The current reading.
    pub fn now(&self) -> Reading {
        Reading(ticks_now())
    }

    /// Instructions run since [`Counter::start`] (the counter starts at zero).
    pub fn instructions_since_start(&self) -> u64 {
        self.instructions_since(Reading(0))
    }

    /// Instructions run from `earlier` to now.
    pub fn instructions_since(&self, earlier: Reading) -> u64 {
        u64::from(self.now().0.wrapping_sub(earlier.0)) * self.instructions_per_tick
    }

    /// How many instructions `ticks` of the timer stand for.
    pub fn instructions_for_ticks(&self, ticks: u32) -> u64 {
        u64::from(ticks) * self.instructions_per_tick
    }

    /// Runs `work` and returns its result and how many instructions it took.
    pub fn measure<R>(&self, work: impl FnOnce() -> R) -> (R, u64) {
        let start = self.now();
        let result = work();
        (result, self.instructions_since(start))
    }
}

/// The timer's reading in ticks, for code that holds no [`Counter`] (a crypto provider
/// shared through the TLS configuration); [`Counter::instructions_for_ticks`] converts.
pub fn ticks_now() -> u32 {
    // The timer counts down; its complement counts up.
    !VALUE.read()
}
