//! Record payload protection, sending side (RFC 9846 §5.2, §5.4): one plaintext record in,
//! one `TLSCiphertext` out.
//!
//! ```text
//!   TLSInnerPlaintext = content || type || zeros            (§5.2, padding chosen by caller)
//!   header            = 23 || 0x0303 || length(inner) + 16  (the additional data)
//!   record            = header || AEAD-Encrypt(write_key, nonce, header, inner)
//! ```
//!
//! The 16 is the tag length of every suite lucid-tls supports (AES-GCM and
//! ChaCha20-Poly1305), not a rule of §5.2, which counts "any expansion added by the AEAD
//! algorithm": TLS_AES_128_CCM_8_SHA256 (Appendix B.4), which lucid-tls does not implement,
//! has an 8-byte tag.
//!
//! The record is built in place: the caller's buffer holds the content right after five
//! bytes reserved for the header, and the type, padding and tag are written behind it.
//! Not here: splitting messages into records (the engine, using
//! [`RecordSizeLimit::max_content_len`]), and deciding when keys change.

use alloc::vec;
use alloc::vec::Vec;

use crate::crypto::AEAD_TAG_LEN;
use crate::error::Error;
use crate::record::content_rule;
use crate::record::limits::{KEY_UPDATE_MARGIN, RecordSizeLimit, lowered_usage_limit};
use crate::record::nonce::TrafficKey;
use crate::wire::codes::ContentType;
use crate::wire::record::{
    MAX_CIPHERTEXT_RECORD_LEN, RECORD_HEADER_LEN, TLSCiphertext, TLSInnerPlaintext,
};

/// How many zero bytes to add after the content type (RFC 9846 §5.4).
///
/// RFC 9846 §5.4: "Selecting a padding policy that suggests when and how much to pad is a
/// complex topic and is beyond the scope of this specification", so the caller chooses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Padding {
    /// No padding: "An unpadded record is just a record with a padding length of zero."
    #[default]
    None,
    /// Exactly this many zero bytes; the record must still fit the size limit.
    Exactly(usize),
    /// Pad the TLSInnerPlaintext up to a multiple of this many bytes, or up to the size
    /// limit if that is smaller, so an observer sees only coarse record sizes.
    ToMultipleOf(usize),
}

impl Padding {
    /// `length_of_padding` for `content_len` bytes of content under `limit`.
    pub fn padding_len(self, content_len: usize, limit: RecordSizeLimit) -> usize {
        match self {
            Self::None => 0,
            Self::Exactly(n) => n,
            Self::ToMultipleOf(block) => {
                let inner = content_len.saturating_add(1);
                let padded = inner
                    .checked_next_multiple_of(block)
                    .unwrap_or(inner)
                    .min(limit.max_inner_plaintext_len());
                padded.saturating_sub(inner)
            }
        }
    }
}

/// Protects the records one side sends under one traffic key.
#[derive(Debug)]
pub struct RecordEncrypter {
    key: TrafficKey,
    size_limit: RecordSizeLimit,
    /// A lower key usage limit than the AEAD's, if the configuration set one.
    max_records: Option<u64>,
}

impl RecordEncrypter {
    /// Starts sending under `key`, at sequence number 0, within the protocol's size limit.
    pub fn new(key: TrafficKey) -> Self {
        Self {
            key,
            size_limit: RecordSizeLimit::PROTOCOL_MAX,
            max_records: None,
        }
    }

    /// Switches to a new traffic key (handshake → application, or a KeyUpdate), which
    /// restarts the sequence number at 0 (RFC 9846 §5.3).
    pub fn change_key(&mut self, key: TrafficKey) {
        self.key = key;
    }

    /// Applies the peer's record size limit (RFC 8449, RFC 6066).
    pub fn set_size_limit(&mut self, limit: RecordSizeLimit) {
        self.size_limit = limit;
    }

    /// Lowers the key usage limit to `max_records` records per key (never raises it above
    /// the AEAD's, [`crate::record::limits::key_usage_limit`]). See
    /// [`RecordEncrypter::needs_key_update`] for where KeyUpdates go.
    pub fn set_max_records(&mut self, max_records: Option<u64>) {
        self.max_records = max_records;
    }

    /// How many records this key may protect: the AEAD's limit (RFC 9846 §5.5), or the
    /// lower one set by [`RecordEncrypter::set_max_records`].
    pub fn usage_limit(&self) -> u64 {
        lowered_usage_limit(self.key.algorithm(), self.max_records)
    }

    /// The size limit records are held to.
    pub fn size_limit(&self) -> RecordSizeLimit {
        self.size_limit
    }

    /// The sequence number of the next record: how many records this key has protected.
    pub fn sequence_number(&self) -> u64 {
        self.key.sequence_number()
    }

    /// True once this key is close to its usage limit (RFC 9846 §5.5) and the engine should
    /// send a KeyUpdate (RFC 9846 §4.7.3) or close the connection.
    pub fn needs_key_update(&self) -> bool {
        let limit = self.usage_limit();
        // Room for the KeyUpdate itself and what may be queued with it (alerts, tickets):
        // KEY_UPDATE_MARGIN records, or half of a lowered limit.
        let margin = KEY_UPDATE_MARGIN.min(limit / 2);
        self.sequence_number() >= limit.saturating_sub(margin)
    }

    /// The size of the complete record that `content_len` bytes of content and
    /// `padding_len` zeros become: header, content, type byte, padding and tag.
    pub fn record_len(content_len: usize, padding_len: usize) -> usize {
        RECORD_HEADER_LEN
            .saturating_add(content_len)
            .saturating_add(1)
            .saturating_add(padding_len)
            .saturating_add(AEAD_TAG_LEN)
    }

    /// Protects the record whose content is already in `record[5..5 + content_len]`.
    ///
    /// `record` must be at least [`RecordEncrypter::record_len`] bytes; its first five
    /// bytes receive the header, and the type, padding and tag follow the content.
    /// Returns the length of the finished record.
    pub fn encrypt_in_place(
        &mut self,
        content_type: ContentType,
        record: &mut [u8],
        content_len: usize,
        padding: Padding,
    ) -> Result<usize, Error> {
        // The same content-type rules a receiver enforces, turned on ourselves.
        content_rule(content_type, content_len, true).map_err(Error::Misuse)?;

        let padding_len = padding.padding_len(content_len, self.size_limit);
        let inner_len = content_len.saturating_add(1).saturating_add(padding_len);
        // RFC 9846 §5.4: "the full encoded TLSInnerPlaintext MUST NOT exceed 2^14 + 1
        // octets", or the peer's smaller limit. RFC 8449 §4: "an endpoint MUST NOT generate
        // a protected record with plaintext that is larger than the RecordSizeLimit value
        // it receives from its peer."
        if inner_len > self.size_limit.max_inner_plaintext_len() {
            return Err(Error::Misuse("record larger than the record size limit"));
        }

        // RFC 9846 §5.5: "Implementations MUST either close the connection or do a key
        // update as described in Section 4.7.3 prior to reaching these limits."
        if self.sequence_number() >= self.usage_limit() {
            return Err(Error::Misuse(
                "key usage limit reached: a KeyUpdate was needed first",
            ));
        }
        let nonce = self.key.next_nonce().ok_or(Error::Misuse(
            "sequence number exhausted: a KeyUpdate was needed",
        ))?;

        let total_len = Self::record_len(content_len, padding_len);
        let record = record
            .get_mut(..total_len)
            .ok_or(Error::Misuse("record buffer too small"))?;
        let header = TLSCiphertext::header_for_length(inner_len + AEAD_TAG_LEN)?.to_bytes();
        let (header_out, body) = record.split_at_mut(RECORD_HEADER_LEN);
        let (inner, tag_out) = body.split_at_mut(inner_len);
        header_out.copy_from_slice(&header);
        TLSInnerPlaintext::emit_trailer(content_type, &mut inner[content_len..]);

        // RFC 9846 §5.2: "AEADEncrypted = AEAD-Encrypt(write_key, nonce, additional_data,
        // plaintext)", where the additional data is the record header.
        let tag = self.key.aead().seal_in_place(&nonce, &header, inner)?;
        tag_out.copy_from_slice(&tag);
        self.key.advance();
        Ok(total_len)
    }

    /// Protects `content` as one record of type `content_type`, returning the complete
    /// record (header and encrypted_record).
    pub fn encrypt(
        &mut self,
        content_type: ContentType,
        content: &[u8],
        padding: Padding,
    ) -> Result<Vec<u8>, Error> {
        let padding_len = padding.padding_len(content.len(), self.size_limit);
        // A record within any size limit fits MAX_CIPHERTEXT_RECORD_LEN; one that does not
        // is refused by `encrypt_in_place` before the buffer is touched.
        let len = Self::record_len(content.len(), padding_len).min(MAX_CIPHERTEXT_RECORD_LEN);
        let mut record = vec![0u8; len];
        if let Some(slot) = record.get_mut(RECORD_HEADER_LEN..RECORD_HEADER_LEN + content.len()) {
            slot.copy_from_slice(content);
        }
        let len = self.encrypt_in_place(content_type, &mut record, content.len(), padding)?;
        record.truncate(len);
        Ok(record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::limits::AES_GCM_MAX_RECORDS;
    use crate::record::nonce::test_keys::*;
    use crate::wire::record::MAX_INNER_PLAINTEXT_LEN;

    fn encrypter_at(key: TrafficKey, sequence_number: u64) -> RecordEncrypter {
        let mut key = key;
        key.set_sequence_number_for_test(sequence_number);
        RecordEncrypter::new(key)
    }

    #[test]
    fn test_emit_rfc8448_alert_record() {
        let mut e = encrypter_at(server_ap_key(), ALERT_SEQUENCE_NUMBER);
        let record = e
            .encrypt(ContentType::Alert, &ALERT_PAYLOAD, Padding::None)
            .unwrap();
        assert_eq!(record, ALERT_RECORD);
        assert_eq!(e.sequence_number(), ALERT_SEQUENCE_NUMBER + 1);
    }

    #[test]
    fn test_emit_in_place_matches_allocating() {
        let mut buf = [0u8; 64];
        buf[5..7].copy_from_slice(&ALERT_PAYLOAD);
        let mut e = encrypter_at(server_ap_key(), ALERT_SEQUENCE_NUMBER);
        let len = e
            .encrypt_in_place(ContentType::Alert, &mut buf, 2, Padding::None)
            .unwrap();
        assert_eq!(len, RecordEncrypter::record_len(2, 0));
        assert_eq!(buf[..len], ALERT_RECORD);
        // A buffer one byte short is refused, and uses no sequence number.
        let mut short = [0u8; 23];
        let mut e = RecordEncrypter::new(server_ap_key());
        assert!(matches!(
            e.encrypt_in_place(ContentType::Alert, &mut short, 2, Padding::None),
            Err(Error::Misuse(_))
        ));
        assert_eq!(e.sequence_number(), 0);
    }

    #[test]
    fn test_emit_sequence_numbers_count_up_and_restart_on_key_change() {
        let mut e = RecordEncrypter::new(server_ap_key());
        let first = e
            .encrypt(ContentType::ApplicationData, b"x", Padding::None)
            .unwrap();
        let second = e
            .encrypt(ContentType::ApplicationData, b"x", Padding::None)
            .unwrap();
        assert_ne!(first, second, "a new nonce for every record");
        assert_eq!(e.sequence_number(), 2);
        e.change_key(server_ap_key());
        assert_eq!(e.sequence_number(), 0);
        let again = e
            .encrypt(ContentType::ApplicationData, b"x", Padding::None)
            .unwrap();
        assert_eq!(again, first);
    }

    #[test]
    fn test_emit_padding_policies() {
        let limit = RecordSizeLimit::PROTOCOL_MAX;
        assert_eq!(Padding::None.padding_len(10, limit), 0);
        assert_eq!(Padding::Exactly(7).padding_len(10, limit), 7);
        // 10 bytes of content + 1 type byte, padded to 64.
        assert_eq!(Padding::ToMultipleOf(64).padding_len(10, limit), 53);
        assert_eq!(Padding::ToMultipleOf(64).padding_len(63, limit), 0);
        assert_eq!(Padding::ToMultipleOf(0).padding_len(10, limit), 0);
        // Never past the limit.
        let small = RecordSizeLimit::from_record_size_limit(100).unwrap();
        assert_eq!(Padding::ToMultipleOf(4096).padding_len(10, small), 89);
        assert_eq!(
            Padding::ToMultipleOf(4096).padding_len(1 << 14, limit),
            0,
            "a full record has no room"
        );

        let mut e = RecordEncrypter::new(server_ap_key());
        let record = e
            .encrypt(ContentType::Handshake, &[1, 2, 3], Padding::Exactly(100))
            .unwrap();
        assert_eq!(record.len(), 5 + 3 + 1 + 100 + 16);
        assert_eq!(record[3..5], (3u16 + 1 + 100 + 16).to_be_bytes());
    }

    #[test]
    fn test_emit_size_limits() {
        let mut e = RecordEncrypter::new(server_ap_key());
        let full = [0xabu8; 1 << 14];
        let record = e
            .encrypt(ContentType::ApplicationData, &full, Padding::None)
            .unwrap();
        assert_eq!(record.len(), 5 + MAX_INNER_PLAINTEXT_LEN + 16);
        let over = [0xabu8; (1 << 14) + 1];
        for (content, padding) in [(&over[..], Padding::None), (&full[..], Padding::Exactly(1))] {
            let err = e.encrypt(ContentType::ApplicationData, content, padding);
            assert!(matches!(err, Err(Error::Misuse(_))));
        }
        let err = e.encrypt(
            ContentType::ApplicationData,
            b"",
            Padding::Exactly(usize::MAX),
        );
        assert!(matches!(err, Err(Error::Misuse(_))));

        // RFC 8449: the peer's limit of 64 bytes of TLSInnerPlaintext.
        e.set_size_limit(RecordSizeLimit::from_record_size_limit(64).unwrap());
        assert_eq!(e.size_limit().max_content_len(), 63);
        assert!(
            e.encrypt(ContentType::ApplicationData, &full[..63], Padding::None)
                .is_ok()
        );
        let err = e.encrypt(ContentType::ApplicationData, &full[..64], Padding::None);
        assert!(matches!(err, Err(Error::Misuse(_))));
    }

    #[test]
    fn test_emit_refuses_what_a_receiver_must_reject() {
        let mut e = RecordEncrypter::new(server_ap_key());
        for (typ, content) in [
            (ContentType::ChangeCipherSpec, &[1u8][..]),
            (ContentType::Handshake, &[][..]),
            (ContentType::Alert, &[][..]),
            (ContentType::Invalid, &[1][..]),
            (ContentType::Unknown(0x18), &[1][..]),
        ] {
            let err = e.encrypt(typ, content, Padding::None);
            assert!(matches!(err, Err(Error::Misuse(_))), "{typ:?}");
        }
        assert!(
            e.encrypt(ContentType::ApplicationData, &[], Padding::None)
                .is_ok()
        );
    }

    #[test]
    fn test_emit_aes_gcm_key_usage_limit() {
        let start = AES_GCM_MAX_RECORDS - KEY_UPDATE_MARGIN;
        let e = encrypter_at(server_ap_key(), start - 1);
        assert!(!e.needs_key_update());
        let e = encrypter_at(server_ap_key(), start);
        assert!(e.needs_key_update());

        let mut e = encrypter_at(server_ap_key(), AES_GCM_MAX_RECORDS - 1);
        assert!(
            e.encrypt(ContentType::ApplicationData, b"x", Padding::None)
                .is_ok()
        );
        let err = e.encrypt(ContentType::ApplicationData, b"x", Padding::None);
        assert!(matches!(err, Err(Error::Misuse(_))));
        assert_eq!(e.sequence_number(), AES_GCM_MAX_RECORDS);
        // A key update starts the count again.
        e.change_key(server_ap_key());
        assert!(!e.needs_key_update());
        assert!(
            e.encrypt(ContentType::ApplicationData, b"x", Padding::None)
                .is_ok()
        );
    }

    #[test]
    fn test_emit_lowered_key_usage_limit() {
        let mut e = RecordEncrypter::new(server_ap_key());
        e.set_max_records(Some(8));
        assert_eq!(e.usage_limit(), 8);
        for _ in 0..4 {
            assert!(!e.needs_key_update());
            e.encrypt(ContentType::ApplicationData, b"x", Padding::None)
                .unwrap();
        }
        assert!(
            e.needs_key_update(),
            "half of a lowered limit is the margin"
        );
        for _ in 4..8 {
            e.encrypt(ContentType::ApplicationData, b"x", Padding::None)
                .unwrap();
        }
        let err = e.encrypt(ContentType::ApplicationData, b"x", Padding::None);
        assert!(matches!(err, Err(Error::Misuse(_))));
        // Never above the AEAD's own limit.
        e.set_max_records(Some(u64::MAX));
        assert_eq!(e.usage_limit(), AES_GCM_MAX_RECORDS);
    }

    #[test]
    fn test_emit_sequence_number_never_wraps() {
        // ChaCha20-Poly1305 has no usage limit below the sequence number space.
        let e = encrypter_at(chacha_key(), AES_GCM_MAX_RECORDS);
        assert!(!e.needs_key_update());
        let e = encrypter_at(chacha_key(), u64::MAX - KEY_UPDATE_MARGIN);
        assert!(e.needs_key_update());

        let mut e = encrypter_at(chacha_key(), u64::MAX - 1);
        assert!(
            e.encrypt(ContentType::ApplicationData, b"x", Padding::None)
                .is_ok()
        );
        assert_eq!(e.sequence_number(), u64::MAX);
        let err = e.encrypt(ContentType::ApplicationData, b"x", Padding::None);
        assert!(matches!(err, Err(Error::Misuse(_))));
        assert_eq!(e.sequence_number(), u64::MAX, "still not wrapped");
    }
}
