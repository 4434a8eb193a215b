//! Received bytes, in arbitrary splits, through the record deframer, the record decrypter
//! (keyed with RFC 8448 §3's server handshake key) and the plaintext parsers: errors are
//! fine, panics are not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::crypto::{AeadAlgorithm, CryptoProvider};
use lucid_tls::record::decrypter::RecordDecrypter;
use lucid_tls::record::deframer::RecordDeframer;
use lucid_tls::record::nonce::TrafficKey;
use lucid_tls::wire::alert::Alert;
use lucid_tls::wire::record::TLSPlaintext;

// RFC 8448 §3, "{server} derive write traffic keys for handshake data".
const KEY: [u8; 16] = [
    0x3f, 0xce, 0x51, 0x60, 0x09, 0xc2, 0x17, 0x27, 0xd0, 0xf2, 0xe4, 0xe8, 0x6e, 0xe4, 0x03, 0xbc,
];
const IV: [u8; 12] = [
    0x5d, 0x31, 0x3e, 0xb2, 0x67, 0x12, 0x76, 0xee, 0x13, 0x00, 0x0b, 0x30,
];

fuzz_target!(|data: &[u8]| {
    let Some((&split, bytes)) = data.split_first() else {
        return;
    };
    let provider = RustCryptoProvider::default();
    let Ok(aead) = provider.aead(AeadAlgorithm::Aes128Gcm, &KEY) else {
        return;
    };
    let Ok(key) = TrafficKey::new(aead, &IV) else {
        return;
    };
    let mut decrypter = RecordDecrypter::new(key);
    let mut deframer = RecordDeframer::new();
    let step = usize::from(split).max(1);
    let mut input = bytes;
    while !input.is_empty() {
        let take = step.min(input.len());
        let used = deframer.feed(&input[..take]);
        input = &input[used..];
        loop {
            match deframer.next_record() {
                Ok(Some(record)) => {
                    let mut copy = record.bytes.to_vec();
                    let _ = TLSPlaintext::parse(&copy);
                    if let Ok(plain) = decrypter.decrypt_in_place(&mut copy) {
                        let _ = Alert::decode(plain.fragment);
                    }
                }
                Ok(None) => break,
                Err(_) => return,
            }
        }
        if used == 0 && take > 0 {
            // The deframer is full of records we have drained: nothing more to learn.
            if deframer.buffered_len() >= RecordDeframer::CAPACITY {
                return;
            }
        }
    }
});
