//! What the page shows beside the trace events, recomputed from them with the library's
//! public building blocks: the inner plaintext of each protected record a side received
//! (decrypted with the key the side reported installing: RFC 9846 §5.2), and each side's
//! transcript hash after each handshake message (RFC 9846 §4.1, with §4.5.1's message_hash
//! after a HelloRetryRequest).
//!
//! Not here: anything the engines decide. If a record does not decrypt here (it was
//! tampered with), the engine's own verdict is in its trace.

use alloc::boxed::Box;
use alloc::vec::Vec;

use lucid_tls::crypto::rustcrypto::RustCryptoProvider;
use lucid_tls::crypto::{CryptoProvider, HashAlgorithm, suite_algorithms};
use lucid_tls::record::decrypter::RecordDecrypter;
use lucid_tls::record::nonce::TrafficKey;
use lucid_tls::transcript::message_hash_header;
use lucid_tls::wire::codes::ContentType;
use lucid_tls::wire::handshake::HandshakeMessage;

/// A decrypted record: its real content type and content.
pub struct InnerPlaintext {
    /// The inner content type (TLSInnerPlaintext.type).
    pub content_type: ContentType,
    /// TLSInnerPlaintext.content.
    pub content: Vec<u8>,
}

/// One side's view, across the steps of one connection.
#[derive(Default)]
pub struct SideInspector {
    read: Option<RecordDecrypter>,
    /// The handshake messages in the transcript so far (encodings with headers).
    transcript: Vec<Vec<u8>>,
    hash: Option<HashAlgorithm>,
    /// The handshake is over: later messages (tickets, KeyUpdate) are not in the transcript.
    done: bool,
}

impl SideInspector {
    /// The side now reads with `key` and `iv` under `aead`.
    pub fn install_read_key(
        &mut self,
        aead: lucid_tls::crypto::AeadAlgorithm,
        key: &[u8],
        iv: &[u8],
    ) {
        let keyed = RustCryptoProvider.aead(aead, key).ok();
        self.read = keyed
            .and_then(|aead| TrafficKey::new(aead, iv).ok())
            .map(RecordDecrypter::new);
    }

    /// Decrypts a protected record the side received (None for a plaintext record, or one
    /// that does not authenticate).
    pub fn decrypt(&mut self, content_type: ContentType, record: &[u8]) -> Option<InnerPlaintext> {
        if content_type != ContentType::ApplicationData {
            return None;
        }
        let decrypter = self.read.as_mut()?;
        let mut bytes = record.to_vec();
        let plaintext = decrypter.decrypt_in_place(&mut bytes).ok()?;
        Some(InnerPlaintext {
            content_type: plaintext.content_type,
            content: plaintext.fragment.to_vec(),
        })
    }

    /// Adds a handshake message the side sent or accepted; returns the transcript hash
    /// after it, and its algorithm, once the suite (and so the hash) is known.
    pub fn add_message(
        &mut self,
        message: &HandshakeMessage,
        bytes: &[u8],
    ) -> Option<(HashAlgorithm, Vec<u8>)> {
        if self.done {
            return None;
        }
        let provider = RustCryptoProvider;
        match message {
            HandshakeMessage::ServerHello(hello) => {
                self.hash = suite_algorithms(hello.cipher_suite).map(|(_, hash)| hash);
            }
            HandshakeMessage::HelloRetryRequest(retry) => {
                // RFC 9846 §4.5.1: ClientHello1 is replaced by message_hash ||
                // Hash(ClientHello1).
                let hash = suite_algorithms(retry.cipher_suite).map(|(_, hash)| hash)?;
                self.hash = Some(hash);
                if let Some(first) = self.transcript.first_mut() {
                    let mut context = provider.hash(hash);
                    context.update(first);
                    let mut replaced = message_hash_header(hash).to_vec();
                    replaced.extend_from_slice(context.current().as_bytes());
                    *first = replaced;
                }
            }
            HandshakeMessage::NewSessionTicket(_) | HandshakeMessage::KeyUpdate(_) => {
                return None;
            }
            _ => {}
        }
        self.transcript.push(bytes.to_vec());
        if matches!(message, HandshakeMessage::Finished(_)) && self.transcript_has_two_finished() {
            self.done = true;
        }
        let hash = self.hash?;
        let mut context: Box<dyn lucid_tls::crypto::HashContext> = provider.hash(hash);
        for message in &self.transcript {
            context.update(message);
        }
        Some((hash, context.current().as_bytes().to_vec()))
    }

    fn transcript_has_two_finished(&self) -> bool {
        // Finished is handshake type 20.
        self.transcript
            .iter()
            .filter(|m| m.first() == Some(&20))
            .count()
            >= 2
    }
}
