//! The figures and results, as `name: value` lines on the host's standard output
//! (semihosting: QEMU's `-semihosting-config enable=on,target=native` prints them).
//! `demos/mcu/run` passes these lines through; the names are stable, for scripts.

use core::fmt::Display;

use cortex_m_semihosting::hprintln;

/// Prints one `name: value` line.
pub fn figure(name: &str, value: impl Display) {
    hprintln!("{}: {}", name, value);
}

/// Prints `name: ok` or `name: FAILED (why)` and returns whether it passed.
pub fn check(name: &str, result: Result<(), &str>) -> bool {
    match result {
        Ok(()) => figure(name, "ok"),
        Err(why) => hprintln!("{}: FAILED ({})", name, why),
    }
    result.is_ok()
}

/// Compares bytes the library produced with the expected ones.
#[cfg(not(feature = "client-only"))]
pub fn same(produced: &[u8], expected: &[u8], what: &'static str) -> Result<(), &'static str> {
    if produced == expected {
        Ok(())
    } else {
        Err(what)
    }
}
