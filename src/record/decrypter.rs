//! Record payload deprotection, receiving side (RFC 9846 §5.2, §5.4): one complete
//! `TLSCiphertext` in, the `TLSPlaintext` it protects out, decrypted in place.
//!
//! ```text
//!   record = header || encrypted_record
//!   inner  = AEAD-Decrypt(peer_write_key, nonce, header, encrypted_record)  or bad_record_mac
//!   inner  = content || type || zeros     → the type is the last non-zero byte
//! ```
//!
//! The five-byte header is the AEAD's additional data, so a record whose type, version or
//! length was altered fails to authenticate like any other tampering. Routing records by
//! their outer type (a change_cipher_spec to drop, a plaintext record where none may be)
//! is the engine's job, done before a record reaches this decrypter.

use crate::crypto::{AEAD_TAG_LEN, CryptoError};
use crate::error::Error;
use crate::record::check_protected;
use crate::record::limits::RecordSizeLimit;
use crate::record::nonce::TrafficKey;
use crate::wire::alert::AlertDescription;
use crate::wire::record::{RECORD_HEADER_LEN, TLSCiphertext, TLSInnerPlaintext, TLSPlaintext};

/// Deprotects the records the peer sends under one traffic key.
#[derive(Debug)]
pub struct RecordDecrypter {
    key: TrafficKey,
    size_limit: RecordSizeLimit,
}

impl RecordDecrypter {
    /// Starts receiving under `key`, at sequence number 0, within the protocol's size limit.
    pub fn new(key: TrafficKey) -> Self {
        Self {
            key,
            size_limit: RecordSizeLimit::PROTOCOL_MAX,
        }
    }

    /// Switches to the peer's new traffic key, which restarts the sequence number at 0
    /// (RFC 9846 §5.3).
    pub fn change_key(&mut self, key: TrafficKey) {
        self.key = key;
    }

    /// Applies the record size limit we advertised (RFC 8449, RFC 6066).
    pub fn set_size_limit(&mut self, limit: RecordSizeLimit) {
        self.size_limit = limit;
    }

    /// The sequence number the next record must have been sent with.
    ///
    /// Receivers do not enforce key usage limits: RFC 9846 §5.5: "Receiving implementations
    /// SHOULD NOT enforce these limits, as future analyses may result in updated values."
    pub fn sequence_number(&self) -> u64 {
        self.key.sequence_number()
    }

    /// Deprotects one complete record (header and encrypted_record, nothing more) in place
    /// and returns its content, which borrows from `record`.
    pub fn decrypt_in_place<'a>(
        &mut self,
        record: &'a mut [u8],
    ) -> Result<TLSPlaintext<'a>, Error> {
        let header = TLSCiphertext::parse(record)?.header;
        let length = usize::from(header.length);

        // RFC 8449 §4: "A TLS endpoint that receives a record larger than its advertised
        // limit MUST generate a fatal "record_overflow" alert"; RFC 6066 §4 says to do so
        // "without decrypting the message". With the default limit this is RFC 9846 §5.4's
        // "the full encoded TLSInnerPlaintext MUST NOT exceed 2^14 + 1 octets".
        if length > self.size_limit.max_ciphertext_len() {
            return Err(Error::PeerMisbehaved {
                alert: AlertDescription::RecordOverflow,
                reason: "TLSInnerPlaintext larger than the record size limit",
            });
        }
        // Too short to hold a tag: it cannot authenticate (RFC 9846 §5.2, bad_record_mac).
        let Some(ciphertext_len) = length.checked_sub(AEAD_TAG_LEN) else {
            return Err(Error::Crypto(CryptoError::AeadTagMismatch));
        };
        let nonce = self.key.next_nonce().ok_or(Error::PeerMisbehaved {
            // RFC 9846 §5.3: "If a TLS implementation would need to wrap a sequence number,
            // it MUST either rekey (Section 4.7.3) or terminate the connection."
            alert: AlertDescription::UnexpectedMessage,
            reason: "peer used up its sequence numbers without a KeyUpdate",
        })?;

        // `TLSCiphertext::parse` checked that `record` is exactly header + length bytes.
        let (additional_data, body) = record.split_at_mut(RECORD_HEADER_LEN);
        let (ciphertext, tag) = body.split_at_mut(ciphertext_len);
        let tag: [u8; AEAD_TAG_LEN] = (&*tag)
            .try_into()
            .map_err(|_| Error::Crypto(CryptoError::AeadTagMismatch))?;

        // RFC 9846 §5.2: "If the decryption fails, the receiver MUST terminate the
        // connection with a "bad_record_mac" alert." (CryptoError::AeadTagMismatch maps to
        // bad_record_mac.)
        self.key
            .aead()
            .open_in_place(&nonce, additional_data, ciphertext, &tag)?;
        self.key.advance();

        let inner = TLSInnerPlaintext::parse(ciphertext)?;
        check_protected(inner.content_type, inner.content.len())?;
        Ok(TLSPlaintext {
            content_type: inner.content_type,
            legacy_record_version: header.legacy_record_version,
            fragment: inner.content,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::AeadAlgorithm;
    use crate::record::encrypter::{Padding, RecordEncrypter};
    use crate::record::nonce::test_keys::*;
    use crate::wire::codes::ContentType;
    use crate::wire::record::{MAX_CIPHERTEXT_LEN, RecordHeader};
    use alloc::vec::Vec;

    fn decrypter_at(key: TrafficKey, sequence_number: u64) -> RecordDecrypter {
        let mut key = key;
        key.set_sequence_number_for_test(sequence_number);
        RecordDecrypter::new(key)
    }

    /// Seals `inner` as a TLSInnerPlaintext at sequence number 0, bypassing the encrypter's
    /// checks, to build records a well-behaved sender never would.
    fn seal_raw(inner: &[u8]) -> Vec<u8> {
        let key = server_ap_key();
        let header = RecordHeader {
            content_type: ContentType::ApplicationData,
            legacy_record_version: 0x0303,
            length: u16::try_from(inner.len() + AEAD_TAG_LEN).unwrap(),
        };
        let mut record = header.to_bytes().to_vec();
        let mut body = inner.to_vec();
        let nonce = key.next_nonce().unwrap();
        let tag = key
            .aead()
            .seal_in_place(&nonce, &record, &mut body)
            .unwrap();
        record.extend_from_slice(&body);
        record.extend_from_slice(&tag);
        record
    }

    fn alert_of(result: Result<TLSPlaintext<'_>, Error>) -> Option<AlertDescription> {
        result.unwrap_err().alert()
    }

    #[test]
    fn test_parse_rfc8448_alert_record() {
        let mut d = decrypter_at(server_ap_key(), ALERT_SEQUENCE_NUMBER);
        let mut record = ALERT_RECORD;
        let plain = d.decrypt_in_place(&mut record).unwrap();
        assert_eq!(plain.content_type, ContentType::Alert);
        assert_eq!(plain.legacy_record_version, 0x0303);
        assert_eq!(plain.fragment, ALERT_PAYLOAD);
        assert_eq!(d.sequence_number(), ALERT_SEQUENCE_NUMBER + 1);
    }

    #[test]
    fn test_parse_wrong_sequence_number_is_bad_record_mac() {
        for seq in [0, 1, 3] {
            let mut d = decrypter_at(server_ap_key(), seq);
            let mut record = ALERT_RECORD;
            let alert = alert_of(d.decrypt_in_place(&mut record));
            assert_eq!(alert, Some(AlertDescription::BadRecordMac), "seq {seq}");
            assert_eq!(d.sequence_number(), seq, "a failed record is not counted");
        }
    }

    #[test]
    fn test_parse_padding_round_trip() {
        let mut e = RecordEncrypter::new(server_ap_key());
        let mut d = RecordDecrypter::new(server_ap_key());
        for (typ, content, padding) in [
            (
                ContentType::Handshake,
                &[0x14, 0, 0, 1, 0xff][..],
                Padding::Exactly(300),
            ),
            (
                ContentType::ApplicationData,
                &[][..],
                Padding::ToMultipleOf(256),
            ),
            (
                ContentType::ApplicationData,
                &[0, 0, 0][..],
                Padding::Exactly(5),
            ),
            (ContentType::Alert, &[1, 0][..], Padding::None),
        ] {
            let mut record = e.encrypt(typ, content, padding).unwrap();
            let plain = d.decrypt_in_place(&mut record).unwrap();
            assert_eq!((plain.content_type, plain.fragment), (typ, content));
        }
        assert_eq!(d.sequence_number(), 4);
    }

    #[test]
    fn test_parse_inner_plaintext_rules() {
        // All zeros: no content type (RFC 9846 §5.4).
        let mut record = seal_raw(&[0, 0, 0, 0]);
        let mut d = RecordDecrypter::new(server_ap_key());
        let alert = alert_of(d.decrypt_in_place(&mut record));
        assert_eq!(alert, Some(AlertDescription::UnexpectedMessage));
        // A protected change_cipher_spec, an empty handshake, an unknown type (RFC 9846 §5).
        for inner in [&[0x01, 0x14][..], &[0x16, 0, 0][..], &[0x01, 0x18][..]] {
            let mut record = seal_raw(inner);
            let mut d = RecordDecrypter::new(server_ap_key());
            let alert = alert_of(d.decrypt_in_place(&mut record));
            assert_eq!(
                alert,
                Some(AlertDescription::UnexpectedMessage),
                "{inner:02x?}"
            );
        }
    }

    #[test]
    fn test_parse_record_overflow() {
        // RFC 9846 §5.4: a TLSInnerPlaintext of 2^14 + 2 bytes, refused before decrypting.
        let mut record = seal_raw(&[0x17; (1 << 14) + 2]);
        let mut d = RecordDecrypter::new(server_ap_key());
        let alert = alert_of(d.decrypt_in_place(&mut record));
        assert_eq!(alert, Some(AlertDescription::RecordOverflow));
        // 2^14 + 1 is fine.
        let mut record = seal_raw(&[0x17; (1 << 14) + 1]);
        assert_eq!(
            d.decrypt_in_place(&mut record).unwrap().fragment.len(),
            1 << 14
        );

        // RFC 9846 §5.2: more than 2^14 + 256 bytes of ciphertext.
        let mut record = seal_raw(&[0x17; MAX_CIPHERTEXT_LEN - AEAD_TAG_LEN + 1]);
        let mut d = RecordDecrypter::new(server_ap_key());
        let alert = alert_of(d.decrypt_in_place(&mut record));
        assert_eq!(alert, Some(AlertDescription::RecordOverflow));

        // RFC 8449: the limit we advertised, 64 bytes of TLSInnerPlaintext.
        let limit = RecordSizeLimit::from_record_size_limit(64).unwrap();
        let mut d = RecordDecrypter::new(server_ap_key());
        d.set_size_limit(limit);
        let mut record = seal_raw(&[0x17; 65]);
        let alert = alert_of(d.decrypt_in_place(&mut record));
        assert_eq!(alert, Some(AlertDescription::RecordOverflow));
        let mut record = seal_raw(&[0x17; 64]);
        assert!(d.decrypt_in_place(&mut record).is_ok());
    }

    #[test]
    fn test_parse_short_and_malformed_records() {
        let mut d = RecordDecrypter::new(server_ap_key());
        // Fewer bytes than a tag.
        let mut record = [
            0x17, 0x03, 0x03, 0x00, 0x0f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        ];
        let alert = alert_of(d.decrypt_in_place(&mut record));
        assert_eq!(alert, Some(AlertDescription::BadRecordMac));
        // A slice that disagrees with its header's length.
        let mut record = ALERT_RECORD[..23].to_vec();
        let alert = alert_of(d.decrypt_in_place(&mut record));
        assert_eq!(alert, Some(AlertDescription::DecodeError));
    }

    #[test]
    fn test_parse_sequence_number_never_wraps() {
        let mut e = RecordEncrypter::new(key(AeadAlgorithm::ChaCha20Poly1305, &[7; 32]));
        let mut record = e
            .encrypt(ContentType::ApplicationData, b"hi", Padding::None)
            .unwrap();
        let mut d = decrypter_at(key(AeadAlgorithm::ChaCha20Poly1305, &[7; 32]), u64::MAX);
        assert!(d.decrypt_in_place(&mut record).is_err());
        assert_eq!(d.sequence_number(), u64::MAX);
        // A key change starts again from zero.
        d.change_key(key(AeadAlgorithm::ChaCha20Poly1305, &[7; 32]));
        assert_eq!(d.decrypt_in_place(&mut record).unwrap().fragment, b"hi");
    }

    #[test]
    fn test_parse_random_bytes_never_panic() {
        // Arbitrary peer bytes through the deframer and decrypter: every outcome must be a
        // clean error (a forgery cannot authenticate), never a panic.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut d = RecordDecrypter::new(server_ap_key());
        for _ in 0..2000 {
            let len = (next() % 64) as usize;
            let mut bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            // Mostly well-formed headers, so the decrypter sees records.
            if let Some(first) = bytes.first_mut() {
                *first = 0x17;
            }
            if len >= 5 {
                bytes[3..5].copy_from_slice(&((len - 5) as u16).to_be_bytes());
            }
            let mut deframer = crate::record::deframer::RecordDeframer::new();
            deframer.feed(&bytes);
            if let Ok(Some(record)) = deframer.next_record() {
                assert!(d.decrypt_in_place(record.bytes).is_err());
            }
            assert!(d.decrypt_in_place(&mut bytes).is_err());
        }
        assert_eq!(d.sequence_number(), 0);
    }
}
