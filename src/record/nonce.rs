//! The per-record nonce (RFC 9846 §5.3), and the state one direction of a connection keeps
//! to make it: a traffic key, its IV, and a 64-bit sequence number.
//!
//! ```text
//!   nonce = write_iv XOR (sequence number, big-endian, left-padded with zeros to 12 bytes)
//! ```
//!
//! No nonce is ever sent: both sides count records, so both know the sequence number. A
//! record that is dropped, reordered or replayed changes the count and fails to
//! authenticate. Not here: deriving `write_key` and `write_iv` from a traffic secret
//! (RFC 9846 §7.3, the key schedule).

use alloc::boxed::Box;

use zeroize::Zeroize;

use crate::crypto::{AEAD_NONCE_LEN, Aead, AeadAlgorithm, CryptoProvider};
use crate::error::Error;

/// A `client_write_iv` or `server_write_iv` (RFC 9846 §7.3): 12 bytes, zeroized on drop.
pub struct WriteIv([u8; AEAD_NONCE_LEN]);

impl WriteIv {
    /// Takes the IV the key schedule derived, which must be `iv_length` = 12 bytes long.
    pub fn new(iv: &[u8]) -> Result<Self, Error> {
        // RFC 9846 §5.3: "iv_length is set to the larger of 8 bytes and N_MIN for the AEAD
        // algorithm"; N_MIN is 12 for every AEAD in TLS 1.3's suites.
        let bytes = iv
            .try_into()
            .map_err(|_| Error::Misuse("write_iv must be iv_length = 12 bytes"))?;
        Ok(Self(bytes))
    }
}

impl Drop for WriteIv {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl core::fmt::Debug for WriteIv {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("WriteIv(redacted)")
    }
}

/// The nonce for the record numbered `sequence_number` (RFC 9846 §5.3).
pub fn per_record_nonce(iv: &WriteIv, sequence_number: u64) -> [u8; AEAD_NONCE_LEN] {
    // RFC 9846 §5.3: "1. The 64-bit record sequence number is encoded in network byte order
    // and padded to the left with zeros to iv_length."
    let mut nonce = [0u8; AEAD_NONCE_LEN];
    nonce[AEAD_NONCE_LEN - 8..].copy_from_slice(&sequence_number.to_be_bytes());
    // RFC 9846 §5.3: "2. The padded sequence number is XORed with either the static
    // client_write_iv or server_write_iv (depending on the role)."
    for (n, iv_byte) in nonce.iter_mut().zip(iv.0.iter()) {
        *n ^= iv_byte;
    }
    nonce
}

/// One direction's record protection state: the AEAD keyed with `[sender]_write_key`, the
/// `[sender]_write_iv`, and the sequence number of the next record.
///
/// A new `TrafficKey` starts at sequence number 0. RFC 9846 §5.3: "Each sequence number is
/// set to zero at the beginning of a connection and whenever the key is changed; the first
/// record transmitted under a particular traffic key MUST use sequence number 0."
pub struct TrafficKey {
    aead: Box<dyn Aead>,
    iv: WriteIv,
    sequence_number: u64,
}

impl TrafficKey {
    /// Pairs a keyed AEAD (from [`CryptoProvider::aead`]) with its IV.
    pub fn new(aead: Box<dyn Aead>, iv: &[u8]) -> Result<Self, Error> {
        Ok(Self {
            aead,
            iv: WriteIv::new(iv)?,
            sequence_number: 0,
        })
    }

    /// Keys `alg` with the `key` and `iv` that RFC 9846 §7.3 derives.
    pub fn from_key_and_iv(
        provider: &dyn CryptoProvider,
        alg: AeadAlgorithm,
        key: &[u8],
        iv: &[u8],
    ) -> Result<Self, Error> {
        Self::new(provider.aead(alg, key)?, iv)
    }

    /// Which AEAD protects this direction.
    pub fn algorithm(&self) -> AeadAlgorithm {
        self.aead.algorithm()
    }

    /// The keyed AEAD.
    pub fn aead(&self) -> &dyn Aead {
        &*self.aead
    }

    /// The sequence number the next record will use, which is also how many records this
    /// key has protected so far.
    pub fn sequence_number(&self) -> u64 {
        self.sequence_number
    }

    /// The nonce for the next record, or `None` once the sequence number is used up.
    ///
    /// RFC 9846 §5.3: "Because the size of sequence numbers is 64-bit, they should not
    /// wrap. If a TLS implementation would need to wrap a sequence number, it MUST either
    /// rekey (Section 4.7.3) or terminate the connection." The last value, 2^64 - 1, is
    /// never used, so the counter never has to go past it.
    pub fn next_nonce(&self) -> Option<[u8; AEAD_NONCE_LEN]> {
        if self.sequence_number == u64::MAX {
            return None;
        }
        Some(per_record_nonce(&self.iv, self.sequence_number))
    }

    /// Counts one record as done. RFC 9846 §5.3: "The appropriate sequence number is
    /// incremented by one after reading or writing each record."
    pub fn advance(&mut self) {
        self.sequence_number = self.sequence_number.saturating_add(1);
    }

    #[cfg(test)]
    pub(crate) fn set_sequence_number_for_test(&mut self, n: u64) {
        self.sequence_number = n;
    }
}

impl core::fmt::Debug for TrafficKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TrafficKey")
            .field("algorithm", &self.algorithm())
            .field("sequence_number", &self.sequence_number)
            .finish_non_exhaustive()
    }
}

/// Keys from RFC 8448 §3 for the record module's unit tests.
#[cfg(test)]
pub(crate) mod test_keys {
    use super::TrafficKey;
    use crate::crypto::AeadAlgorithm;
    use crate::crypto::rustcrypto::RustCryptoProvider;

    /// RFC 8448 §3, "{server} derive write traffic keys for application data": key expanded.
    pub const SERVER_AP_KEY: [u8; 16] = [
        0x9f, 0x02, 0x28, 0x3b, 0x6c, 0x9c, 0x07, 0xef, 0xc2, 0x6b, 0xb9, 0xf2, 0xac, 0x92, 0xe3,
        0x56,
    ];
    /// The same block's iv expanded.
    pub const SERVER_AP_IV: [u8; 12] = [
        0xcf, 0x78, 0x2b, 0x88, 0xdd, 0x83, 0x54, 0x9a, 0xad, 0xf1, 0xe9, 0x84,
    ];
    /// RFC 8448 §3, "{server} send alert record" (close_notify, the server's third record
    /// under that key): payload and complete record.
    pub const ALERT_PAYLOAD: [u8; 2] = [0x01, 0x00];
    pub const ALERT_RECORD: [u8; 24] = [
        0x17, 0x03, 0x03, 0x00, 0x13, 0xb5, 0x8f, 0xd6, 0x71, 0x66, 0xeb, 0xf5, 0x99, 0xd2, 0x47,
        0x20, 0xcf, 0xbe, 0x7e, 0xfa, 0x7a, 0x88, 0x64, 0xa9,
    ];
    pub const ALERT_SEQUENCE_NUMBER: u64 = 2;

    /// The server's application traffic key, at sequence number 0.
    pub fn server_ap_key() -> TrafficKey {
        key(AeadAlgorithm::Aes128Gcm, &SERVER_AP_KEY)
    }

    /// A key of `alg` with these bytes and the server's IV.
    pub fn key(alg: AeadAlgorithm, key: &[u8]) -> TrafficKey {
        TrafficKey::from_key_and_iv(&RustCryptoProvider, alg, key, &SERVER_AP_IV).unwrap()
    }

    /// A ChaCha20-Poly1305 key, for the limits that differ from AES-GCM's.
    pub fn chacha_key() -> TrafficKey {
        key(AeadAlgorithm::ChaCha20Poly1305, &[0x42; 32])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 8448 §3: the server's handshake write_iv ("iv expanded").
    const SERVER_HS_IV: [u8; 12] = [
        0x5d, 0x31, 0x3e, 0xb2, 0x67, 0x12, 0x76, 0xee, 0x13, 0x00, 0x0b, 0x30,
    ];

    #[test]
    fn test_nonce_for_sequence_zero_is_the_iv() {
        let iv = WriteIv::new(&SERVER_HS_IV).unwrap();
        assert_eq!(per_record_nonce(&iv, 0), SERVER_HS_IV);
    }

    #[test]
    fn test_nonce_xors_big_endian_sequence_into_last_eight_bytes() {
        let iv = WriteIv::new(&SERVER_HS_IV).unwrap();
        let mut expected = SERVER_HS_IV;
        expected[11] ^= 0x01;
        assert_eq!(per_record_nonce(&iv, 1), expected);

        let seq = 0x0102_0304_0506_0708u64;
        let nonce = per_record_nonce(&iv, seq);
        assert_eq!(
            nonce[..4],
            SERVER_HS_IV[..4],
            "the left padding leaves the IV"
        );
        for i in 0..8 {
            assert_eq!(nonce[4 + i], SERVER_HS_IV[4 + i] ^ (i as u8 + 1));
        }

        let zero_iv = WriteIv::new(&[0u8; 12]).unwrap();
        assert_eq!(
            per_record_nonce(&zero_iv, u64::MAX - 1),
            [0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe]
        );
    }

    #[test]
    fn test_iv_must_be_twelve_bytes() {
        assert!(WriteIv::new(&[0u8; 8]).is_err());
        assert!(WriteIv::new(&[0u8; 13]).is_err());
        assert_eq!(
            alloc::format!("{:?}", WriteIv::new(&SERVER_HS_IV).unwrap()),
            "WriteIv(redacted)"
        );
    }
}
