//! The time of day, for certificate validity checks.
//!
//! The board has no real-time clock. The firmware takes the time it was built (build.rs
//! writes it; `SOURCE_DATE_EPOCH` overrides it) and adds the time since reset, which under
//! QEMU's `-icount shift=0` is one nanosecond per instruction. A real board reads an RTC,
//! or asks the network (SNTP, or a time the server vouches for), before validating
//! certificates.

use lucid_tls::time::Time;

use super::counter::Counter;
use crate::build_info::BUILD_UNIX_SECS;

/// Nanoseconds of virtual time per instruction under `-icount shift=0`.
const NANOS_PER_INSTRUCTION: u64 = 1;

/// Now: the build time plus the time since reset.
pub fn now(counter: &Counter) -> Time {
    let since_reset_ns = counter.instructions_since_start() * NANOS_PER_INSTRUCTION;
    Time::from_unix_secs(BUILD_UNIX_SECS).plus_millis(since_reset_ns / 1_000_000)
}
