//! Time as a value the caller passes in.
//!
//! TLS 1.3 needs the time in three places: checking a certificate's validity period
//! (RFC 9846 §4.5.1.3, through the certificate verifier), computing a ticket's age
//! (RFC 9846 §4.3.11.1), and judging whether a ticket or a 0-RTT ClientHello is fresh
//! (RFC 9846 §8.3). lucid-tls never reads a clock: every call that may need the time takes a
//! [`Time`], which is what lets a test run "in July 2025" against RFC 8448's certificates
//! long after they expired.
//!
//! A [`Time`] is a count of milliseconds since the UNIX epoch (1970-01-01T00:00:00Z). With
//! the `std` feature, `Time::now` reads the system clock for callers that want it; the
//! library itself never calls it.

/// A point in time: milliseconds since the UNIX epoch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time {
    millis: u64,
}

impl Time {
    /// The UNIX epoch itself.
    pub const UNIX_EPOCH: Self = Self { millis: 0 };

    /// `secs` seconds after the UNIX epoch.
    pub const fn from_unix_secs(secs: u64) -> Self {
        Self {
            millis: secs.saturating_mul(1000),
        }
    }

    /// `millis` milliseconds after the UNIX epoch.
    pub const fn from_unix_millis(millis: u64) -> Self {
        Self { millis }
    }

    /// Milliseconds since the UNIX epoch.
    pub const fn as_unix_millis(self) -> u64 {
        self.millis
    }

    /// Whole seconds since the UNIX epoch.
    pub const fn as_unix_secs(self) -> u64 {
        self.millis / 1000
    }

    /// Milliseconds from `earlier` to `self`, or 0 if `earlier` is later (clocks can step
    /// backwards; a ticket age is never negative).
    pub const fn millis_since(self, earlier: Self) -> u64 {
        self.millis.saturating_sub(earlier.millis)
    }

    /// This time plus `millis` milliseconds (saturating).
    pub const fn plus_millis(self, millis: u64) -> Self {
        Self {
            millis: self.millis.saturating_add(millis),
        }
    }

    /// The system clock (requires the `std` feature). A clock before 1970 reads as the epoch.
    #[cfg(feature = "std")]
    pub fn now() -> Self {
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        Self::from_unix_millis(u64::try_from(since.as_millis()).unwrap_or(u64::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::Time;

    #[test]
    fn test_units() {
        let t = Time::from_unix_secs(1_700_000_000);
        assert_eq!(t.as_unix_millis(), 1_700_000_000_000);
        assert_eq!(t.as_unix_secs(), 1_700_000_000);
        assert_eq!(Time::from_unix_millis(1999).as_unix_secs(), 1);
        assert_eq!(Time::from_unix_secs(u64::MAX).as_unix_millis(), u64::MAX);
    }

    #[test]
    fn test_differences_never_go_negative() {
        let a = Time::from_unix_millis(5_000);
        let b = a.plus_millis(1_250);
        assert_eq!(b.millis_since(a), 1_250);
        assert_eq!(a.millis_since(b), 0);
        assert!(a < b);
    }
}
