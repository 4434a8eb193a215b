//! Thread CPU time, as criterion's measurement: this 2-core machine is shared with
//! compilers, and wall time would charge their work to ours. `CLOCK_THREAD_CPUTIME_ID`
//! counts only the time this thread ran (nanosecond resolution on Linux; a call costs about
//! a system call, well under 1 % of a handshake even at ~20 reads per side).

use std::time::Duration;

use criterion::measurement::{Measurement, ValueFormatter, WallTime};

/// The CPU time this thread has used so far.
pub fn now() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant Linux knows.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// criterion's measurement on [`now`], reported as durations.
pub struct ThreadCpuTime;

impl Measurement for ThreadCpuTime {
    type Intermediate = Duration;
    type Value = Duration;

    fn start(&self) -> Duration {
        now()
    }
    fn end(&self, start: Duration) -> Duration {
        now().saturating_sub(start)
    }
    fn add(&self, a: &Duration, b: &Duration) -> Duration {
        *a + *b
    }
    fn zero(&self) -> Duration {
        Duration::ZERO
    }
    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        WallTime.formatter()
    }
}

/// The Criterion settings every handshake and decoder benchmark uses: thread CPU time, a
/// short warm-up, 20 samples over 2 s, overridable from the command line.
pub fn criterion_config() -> criterion::Criterion<ThreadCpuTime> {
    criterion::Criterion::default()
        .with_measurement(ThreadCpuTime)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(20)
        .configure_from_args()
}
