//! The time of day, for certificate validity checks.
//!
//! The board has no real-time clock. The firmware takes the time it was built (build.rs
//! writes it; `SOURCE_DATE_EPOCH` overrides it) and adds the time since reset, which under
//! QEMU's `-icount shift=0` is one nanosecond per instruction. A real board reads an RTC,
//! or asks the network (SNTP, or a time the server vouches for), before validating
//! certificates.

use super::counter::Counter;
use crate::build_info::BUILD_UNIX_SECS;

/// Nanoseconds of virtual time per instruction under `-icount shift=0`.
const NANOS_PER_INSTRUCTION: u64 = 1;

/// Milliseconds since the UNIX epoch: the build time plus the time since reset.
pub fn now_unix_millis(counter: &Counter) -> u64 {
    let since_reset_ns = counter.instructions_since_start() * NANOS_PER_INSTRUCTION;
    BUILD_UNIX_SECS * 1000 + since_reset_ns / 1_000_000
}
