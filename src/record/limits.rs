//! How big a record may be, and how many records one key may protect.
//!
//! - **Size** (RFC 9846 §5.1, §5.2, §5.4): a protected record's plaintext, the whole
//!   `TLSInnerPlaintext` (content + type byte + padding), may be at most 2^14 + 1 bytes.
//!   A peer can ask for less with record_size_limit (RFC 8449) or max_fragment_length
//!   (RFC 6066); [`RecordSizeLimit`] carries whichever limit was negotiated, and the
//!   engine hands it to the encrypter (the peer's limit) and the decrypter (our own).
//! - **Key usage** (RFC 9846 §5.5): an AES-GCM key must stop after 2^24.5 records; a
//!   ChaCha20-Poly1305 key runs out of sequence numbers first.
//!
//! Not here: parsing the two extensions (see the extensions module), or deciding to send
//! a KeyUpdate (the engine, prompted by `RecordEncrypter::needs_key_update`).

use crate::crypto::{AEAD_TAG_LEN, AeadAlgorithm};
use crate::error::Error;
use crate::wire::alert::AlertDescription;
use crate::wire::record::MAX_INNER_PLAINTEXT_LEN;

/// The largest `TLSInnerPlaintext` (content, type and padding) allowed in one direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordSizeLimit {
    max_inner_plaintext_len: usize,
}

impl Default for RecordSizeLimit {
    fn default() -> Self {
        Self::PROTOCOL_MAX
    }
}

impl RecordSizeLimit {
    /// No extension negotiated: 2^14 + 1 bytes (RFC 9846 §5.4).
    pub const PROTOCOL_MAX: Self = Self {
        max_inner_plaintext_len: MAX_INNER_PLAINTEXT_LEN,
    };

    /// The smallest value record_size_limit may carry (RFC 8449 §4).
    pub const MIN_RECORD_SIZE_LIMIT: u16 = 64;

    /// The limit a record_size_limit extension's value sets.
    ///
    /// RFC 8449 §4: "This value is the length of the plaintext of a protected record. The
    /// value includes the content type and padding added in TLS 1.3 (that is, the complete
    /// length of TLSInnerPlaintext)."
    pub fn from_record_size_limit(value: u16) -> Result<Self, Error> {
        // RFC 8449 §4: "Endpoints MUST NOT send a "record_size_limit" extension with a
        // value smaller than 64. An endpoint MUST treat receipt of a smaller value as a
        // fatal error and generate an "illegal_parameter" alert."
        if value < Self::MIN_RECORD_SIZE_LIMIT {
            return Err(Error::PeerMisbehaved {
                alert: AlertDescription::IllegalParameter,
                reason: "record_size_limit below 64",
            });
        }
        // RFC 8449 §4: "Even if a larger record size limit is provided by a peer, an
        // endpoint MUST NOT send records larger than the protocol-defined limit".
        Ok(Self::capped(usize::from(value)))
    }

    /// The limit for records we *send* after max_fragment_length was negotiated with a
    /// fragment length of `fragment_len` (2^9 to 2^12).
    ///
    /// RFC 9846 §5.4: "If the maximum fragment length is reduced [...] then the reduced
    /// limit applies to the full plaintext, including the content type and padding." So a
    /// sender keeps the whole TLSInnerPlaintext within the fragment length.
    pub fn max_fragment_length_for_sending(fragment_len: usize) -> Self {
        Self::capped(fragment_len)
    }

    /// The limit for records we *receive* after max_fragment_length was negotiated.
    ///
    /// RFC 6066 §4 defines the limit on TLSPlaintext.length, the content alone, and peers
    /// written to that reading send `fragment_len` bytes of content plus the type byte.
    /// Being strict in what we send ([`Self::max_fragment_length_for_sending`]) and
    /// accepting that one extra byte here keeps both readings working.
    pub fn max_fragment_length_for_receiving(fragment_len: usize) -> Self {
        Self::capped(fragment_len.saturating_add(1))
    }

    fn capped(max_inner_plaintext_len: usize) -> Self {
        Self {
            max_inner_plaintext_len: max_inner_plaintext_len.min(MAX_INNER_PLAINTEXT_LEN),
        }
    }

    /// The largest `TLSInnerPlaintext`: content + 1 type byte + padding.
    pub fn max_inner_plaintext_len(self) -> usize {
        self.max_inner_plaintext_len
    }

    /// The most content one record can carry (with no padding).
    pub fn max_content_len(self) -> usize {
        self.max_inner_plaintext_len.saturating_sub(1)
    }

    /// The largest `TLSCiphertext.length` a record within this limit can have: the inner
    /// plaintext plus the 16-byte tag every AEAD lucid-tls supports adds.
    pub fn max_ciphertext_len(self) -> usize {
        self.max_inner_plaintext_len + AEAD_TAG_LEN
    }
}

/// RFC 9846 §5.5: "For AES-GCM, up to 2^24.5 full-size records (about 24 million) may be
/// encrypted under a given set of keys". This is ⌊2^24.5⌋.
pub const AES_GCM_MAX_RECORDS: u64 = 23_726_566;

/// How many records one key of `alg` may protect before it must be replaced.
///
/// RFC 9846 §5.5: "For ChaCha20/Poly1305, the record sequence number would wrap before the
/// safety limit is reached", so its limit is the sequence number space itself.
pub fn key_usage_limit(alg: AeadAlgorithm) -> u64 {
    match alg {
        AeadAlgorithm::Aes128Gcm | AeadAlgorithm::Aes256Gcm => AES_GCM_MAX_RECORDS,
        AeadAlgorithm::ChaCha20Poly1305 => u64::MAX,
    }
}

/// The key usage limit of `alg`, lowered to `max_records` if that is smaller: a
/// configuration may ask for KeyUpdates sooner than RFC 9846 §5.5 requires (and tests use
/// it to cross the limit). Never below 2 records: the KeyUpdate and one more.
pub fn lowered_usage_limit(alg: AeadAlgorithm, max_records: Option<u64>) -> u64 {
    let aead_limit = key_usage_limit(alg);
    max_records.map_or(aead_limit, |max| max.clamp(2, aead_limit))
}

/// The configuration rule for a `max_records_per_key` (both roles): it can only lower the
/// limits of RFC 9846 §5.5 ([`lowered_usage_limit`] caps anything above them), and a key
/// must protect at least 2 records. The problem, if the value breaks the rule.
pub(crate) fn check_max_records_per_key(max_records: Option<u64>) -> Option<&'static str> {
    match max_records {
        Some(max) if max < 2 => Some("below 2 records"),
        _ => None,
    }
}

/// How many records before the key usage limit a sender starts asking for a key update.
///
/// The KeyUpdate itself travels under the old key (RFC 9846 §4.7.3: "Both sender and
/// receiver MUST encrypt their KeyUpdate messages with the old keys"), and records already
/// queued must fit too, so the request comes with room to spare (half the limit, if a
/// configuration lowered it below twice this margin).
pub const KEY_UPDATE_MARGIN: u64 = 1 << 16;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_default_limit_is_the_protocol_max() {
        let limit = RecordSizeLimit::default();
        assert_eq!(limit.max_inner_plaintext_len(), (1 << 14) + 1);
        assert_eq!(limit.max_content_len(), 1 << 14);
        assert_eq!(limit.max_ciphertext_len(), (1 << 14) + 1 + 16);
    }

    #[test]
    fn test_record_size_limit_extension() {
        let limit = RecordSizeLimit::from_record_size_limit(64).unwrap();
        assert_eq!(limit.max_inner_plaintext_len(), 64);
        assert_eq!(limit.max_content_len(), 63);
        // Larger than TLS 1.3 allows: capped at 2^14 + 1.
        let limit = RecordSizeLimit::from_record_size_limit(u16::MAX).unwrap();
        assert_eq!(limit, RecordSizeLimit::PROTOCOL_MAX);
        let err = RecordSizeLimit::from_record_size_limit(63).unwrap_err();
        assert_eq!(err.alert(), Some(AlertDescription::IllegalParameter));
    }

    #[test]
    fn test_max_fragment_length() {
        let send = RecordSizeLimit::max_fragment_length_for_sending(512);
        let receive = RecordSizeLimit::max_fragment_length_for_receiving(512);
        assert_eq!(send.max_content_len(), 511);
        assert_eq!(receive.max_content_len(), 512);
    }

    #[test]
    fn test_aes_gcm_limit_is_two_to_the_24_point_5() {
        // n = ⌊2^24.5⌋ exactly when n² ≤ 2^49 < (n+1)².
        let n = u128::from(AES_GCM_MAX_RECORDS);
        assert!(n * n <= 1 << 49 && (n + 1) * (n + 1) > 1 << 49);
        assert_eq!(
            key_usage_limit(AeadAlgorithm::Aes128Gcm),
            AES_GCM_MAX_RECORDS
        );
        assert_eq!(
            key_usage_limit(AeadAlgorithm::Aes256Gcm),
            AES_GCM_MAX_RECORDS
        );
        assert_eq!(key_usage_limit(AeadAlgorithm::ChaCha20Poly1305), u64::MAX);
    }
}
