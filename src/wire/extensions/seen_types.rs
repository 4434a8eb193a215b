//! The extension types already seen in one extension list, for RFC 9846 §4.3's rule that
//! "There MUST NOT be more than one extension of the same type in a given extension block",
//! and the same for other lists of 16-bit code points that must not repeat (groups in
//! supported_groups and key_share).
//!
//! The check runs on every ClientHello before anything is authenticated, so its cost must
//! not grow faster than the list: a 64 KiB ClientHello holds up to 16,383 empty
//! extensions, and comparing each with all before it would be 134 million comparisons.
//! [`SeenTypes`] is linear in time and bounded in memory: a short list is scanned (no
//! allocation), and past [`SCAN_LIMIT`] types one bit per possible type is kept (8 KiB, on
//! the heap, allocated once per list).
//!
//! Not here: which types may appear in which message (the extensions module).

use alloc::boxed::Box;
use alloc::vec::Vec;

/// How many types are kept in a plain list before switching to the bitset.
pub const SCAN_LIMIT: usize = 32;

/// 2^16 types, one bit each, in 64-bit words.
const BITSET_WORDS: usize = (1 << 16) / 64;

/// The set of types seen so far in one extension list.
#[derive(Debug, Default)]
pub struct SeenTypes {
    /// The first [`SCAN_LIMIT`] types, while there are no more.
    few: Vec<u16>,
    /// Every type seen, once the list grew past [`SCAN_LIMIT`].
    bits: Option<Box<[u64]>>,
}

impl SeenTypes {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `typ`; false if it was already there.
    pub fn insert(&mut self, typ: u16) -> bool {
        if let Some(bits) = self.bits.as_mut() {
            return set_bit(bits, typ);
        }
        if self.few.contains(&typ) {
            return false;
        }
        if self.few.len() < SCAN_LIMIT {
            self.few.push(typ);
            return true;
        }
        let mut bits = alloc::vec![0u64; BITSET_WORDS].into_boxed_slice();
        for &seen in &self.few {
            set_bit(&mut bits, seen);
        }
        self.few = Vec::new();
        let new = set_bit(&mut bits, typ);
        self.bits = Some(bits);
        new
    }
}

/// Sets the bit of `typ`; false if it was set already.
fn set_bit(bits: &mut [u64], typ: u16) -> bool {
    let (word, bit) = (usize::from(typ) / 64, typ % 64);
    match bits.get_mut(word) {
        Some(w) => {
            let mask = 1u64 << bit;
            let new = *w & mask == 0;
            *w |= mask;
            new
        }
        // Unreachable: BITSET_WORDS words cover every u16.
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_duplicates_found_before_and_after_the_switch() {
        let mut seen = SeenTypes::new();
        for typ in 0..SCAN_LIMIT as u16 {
            assert!(seen.insert(typ * 7));
        }
        assert!(!seen.insert(7), "found in the short list");
        assert!(seen.bits.is_none());
        assert!(seen.insert(0xffff), "the switch keeps the new type");
        assert!(seen.bits.is_some());
        assert!(!seen.insert(0xffff));
        assert!(
            !seen.insert(7),
            "the short list's types moved to the bitset"
        );
        assert!(seen.insert(8));
        assert!(!seen.insert(0));
    }
}
