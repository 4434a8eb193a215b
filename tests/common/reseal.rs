//! Opening RFC 8448 §3's encrypted server flight with the RFC's server handshake key and
//! sealing altered contents again, so a test can change one field of EncryptedExtensions,
//! Certificate, CertificateVerify or Finished and nothing else.

use lucid_tls::crypto::AeadAlgorithm;
use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::record::decrypter::RecordDecrypter;
use lucid_tls::record::encrypter::{Padding, RecordEncrypter};
use lucid_tls::record::nonce::TrafficKey;
use lucid_tls::wire::codes::ContentType;
use lucid_tls::wire::handshake::split_header;

use super::check::record;
use super::vectors::Trace;

/// The RFC's server handshake key, to open and re-seal the encrypted flight.
pub fn server_handshake_key(trace: &Trace) -> TrafficKey {
    let block = trace.block("server", "derive write traffic keys for handshake data");
    TrafficKey::from_key_and_iv(
        &RustCryptoProvider,
        AeadAlgorithm::Aes128Gcm,
        block.get("key expanded"),
        block.get("iv expanded"),
    )
    .unwrap()
}

/// The four messages of the server's encrypted flight (EE, Certificate, CV, Finished).
pub fn flight_messages(trace: &Trace) -> Vec<Vec<u8>> {
    let mut record = record(trace, "server", "send handshake record", 1).to_vec();
    let plaintext = RecordDecrypter::new(server_handshake_key(trace))
        .decrypt_in_place(&mut record)
        .unwrap();
    let mut rest = plaintext.fragment;
    let mut messages = Vec::new();
    while let Some(header) = split_header(rest).unwrap() {
        let (message, tail) = rest.split_at(header.message_len());
        messages.push(message.to_vec());
        rest = tail;
    }
    messages
}

/// ServerHello (the RFC's record) followed by `plaintext` sealed as the encrypted flight.
pub fn sealed_flight(trace: &Trace, plaintext: &[u8]) -> Vec<u8> {
    let sealed = RecordEncrypter::new(server_handshake_key(trace))
        .encrypt(ContentType::Handshake, plaintext, Padding::None)
        .unwrap();
    [
        record(trace, "server", "send handshake record", 0).to_vec(),
        sealed,
    ]
    .concat()
}
