//! The transcript hash (RFC 9846 §4.1): one running hash over every handshake message, read
//! "so far" at each point where the key schedule, CertificateVerify, Finished or a PSK binder
//! needs it.
//!
//! ```text
//!   Transcript-Hash(M1, M2, ... Mn) = Hash(M1 || M2 || ... || Mn)
//! ```
//!
//! Each `Mi` is a whole handshake message *with* its 4-byte header (type and uint24 length)
//! and *without* any record header. Three wrinkles shape this module:
//!
//! 1. **The hash is not known at first.** The client sends its ClientHello before the
//!    ServerHello picks the cipher suite, and the suite names the hash. A
//!    [`PendingTranscript`] keeps the messages as bytes until then, and
//!    [`PendingTranscript::into_transcript`] turns them into a running [`Transcript`].
//! 2. **HelloRetryRequest.** After a HelloRetryRequest, ClientHello1 is replaced in the
//!    transcript by a synthetic `message_hash` message carrying `Hash(ClientHello1)`
//!    ([`message_hash_header`], [`Transcript::replace_client_hello1`],
//!    [`PendingTranscript::into_transcript_after_hello_retry`],
//!    [`Transcript::from_client_hello1_hash`] for a server that kept only the hash in its
//!    cookie).
//! 3. **PSK binders** (§4.3.11.2) are computed over a *partial* ClientHello that stops just
//!    before the binders list ([`partial_client_hello`]), hashed after the messages so far
//!    without adding it to the transcript ([`Transcript::current_with`],
//!    [`PendingTranscript::hash_with`]).
//!
//! Not here: which messages go in, and when. The handshake engines add each message as they
//! send or accept it; this module hashes what it is given and checks nothing about it.

use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::codec::DecodeError;
use crate::crypto::{CryptoProvider, HashAlgorithm, HashContext, HashOutput};
use crate::error::Error;
use crate::wire::codes::HandshakeType;

/// The 4-byte handshake header of the synthetic `message_hash` message that stands in for
/// ClientHello1 after a HelloRetryRequest.
///
/// RFC 9846 §4.1: ClientHello1 "is replaced with a special synthetic handshake message of
/// handshake type "message_hash" (254) containing Hash(ClientHello1)", that is
/// `message_hash || 00 00 Hash.length || Hash(ClientHello1)`.
pub fn message_hash_header(hash: HashAlgorithm) -> [u8; 4] {
    // Hash.length is 32 or 48, so the uint24 length is always 00 00 Hash.length.
    let len = hash.output_len() as u8;
    [HandshakeType::MessageHash.to_u8(), 0, 0, len]
}

/// `Truncate(ClientHello)`: the ClientHello up to and including
/// `PreSharedKeyExtension.identities`, i.e. without the binders list at its very end.
///
/// `client_hello` is the whole message with its header; `binders_len` is the encoded length
/// of the `binders` field including its 2-byte length prefix.
///
/// RFC 9846 §4.3.11.2: the binder is "an HMAC over a transcript hash ... containing a partial
/// ClientHello up to and including the PreSharedKeyExtension.identities field. That is, it
/// includes all of the ClientHello but not the binders list itself." The length fields of the
/// partial message stay "as if binders of the correct lengths were present", which is why the
/// truncation is a plain cut of the complete message.
pub fn partial_client_hello(client_hello: &[u8], binders_len: usize) -> Result<&[u8], DecodeError> {
    // RFC 9846 §4.3.11: "The pre_shared_key extension MUST be the last extension in the
    // ClientHello", and `binders` is its last field, so the binders end the message.
    const HEADER_LEN: usize = 4;
    client_hello
        .len()
        .checked_sub(binders_len)
        .filter(|&cut| cut >= HEADER_LEN)
        .and_then(|cut| client_hello.get(..cut))
        .ok_or(DecodeError::decode(
            "PSK binders longer than the ClientHello",
        ))
}

/// The handshake messages so far, kept as bytes because the hash function is not chosen yet.
///
/// This is the client's transcript between sending ClientHello and receiving ServerHello
/// (or HelloRetryRequest).
#[derive(Clone, Debug, Default)]
pub struct PendingTranscript {
    messages: Vec<u8>,
    count: usize,
}

impl PendingTranscript {
    /// An empty transcript.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends one whole handshake message (with its 4-byte header).
    pub fn add(&mut self, message: &[u8]) {
        self.messages.extend_from_slice(message);
        self.count += 1;
    }

    /// `Transcript-Hash(messages so far, partial)` under `hash`, without adding `partial`.
    ///
    /// This is how a client computes the binder over `Truncate(ClientHello1)` before any
    /// suite is chosen. RFC 9846 §4.3.11.2: "this hash will be computed using the hash
    /// associated with the PSK, as the client does not know which cipher suite the server
    /// will select."
    pub fn hash_with(
        &self,
        provider: &dyn CryptoProvider,
        hash: HashAlgorithm,
        partial: &[u8],
    ) -> HashOutput {
        let mut context = provider.hash(hash);
        context.update(&self.messages);
        context.update(partial);
        context.current()
    }

    /// The ServerHello chose the suite, and with it the hash: hash the buffered messages and
    /// keep a running hash from here on (RFC 9846 §4.1: "keeping a running transcript hash
    /// value based on the negotiated hash, once the hash has been selected in the
    /// ServerHello").
    pub fn into_transcript(self, provider: &dyn CryptoProvider, hash: HashAlgorithm) -> Transcript {
        let mut transcript = Transcript::new(provider, hash);
        transcript.context.update(&self.messages);
        transcript.count = self.count;
        transcript
    }

    /// A HelloRetryRequest chose the suite: the transcript restarts as
    /// `message_hash(Hash(ClientHello1))`, to which the caller then adds the
    /// HelloRetryRequest itself.
    ///
    /// Fails with [`Error::Misuse`] unless exactly one message (ClientHello1) was added.
    pub fn into_transcript_after_hello_retry(
        self,
        provider: &dyn CryptoProvider,
        hash: HashAlgorithm,
    ) -> Result<Transcript, Error> {
        let mut transcript = self.into_transcript(provider, hash);
        transcript.replace_client_hello1(provider)?;
        Ok(transcript)
    }
}

/// A running transcript hash under the negotiated hash function.
pub struct Transcript {
    context: Box<dyn HashContext>,
    /// How many messages went in (the synthetic `message_hash` counts as one).
    count: usize,
}

impl Transcript {
    /// An empty transcript hashed with `hash` (for a server, which picks the suite from the
    /// ClientHello before adding it).
    pub fn new(provider: &dyn CryptoProvider, hash: HashAlgorithm) -> Self {
        Self {
            context: provider.hash(hash),
            count: 0,
        }
    }

    /// A transcript that starts with `message_hash(client_hello1_hash)`: what a server that
    /// sent a HelloRetryRequest rebuilds from the hash it stored in its cookie.
    ///
    /// RFC 9846 §4.1: the construction exists "to allow the server to do a stateless
    /// HelloRetryRequest by storing just the hash of ClientHello1 in the cookie".
    pub fn from_client_hello1_hash(
        provider: &dyn CryptoProvider,
        hash: HashAlgorithm,
        client_hello1_hash: &HashOutput,
    ) -> Self {
        let mut transcript = Self::new(provider, hash);
        transcript.context.update(&message_hash_header(hash));
        transcript.context.update(client_hello1_hash.as_bytes());
        transcript.count = 1;
        transcript
    }

    /// The hash function of this transcript.
    pub fn algorithm(&self) -> HashAlgorithm {
        self.context.algorithm()
    }

    /// How many handshake messages went in.
    pub fn message_count(&self) -> usize {
        self.count
    }

    /// Appends one whole handshake message (with its 4-byte header).
    pub fn add(&mut self, message: &[u8]) {
        self.context.update(message);
        self.count += 1;
    }

    /// `Transcript-Hash` of every message added so far.
    pub fn current(&self) -> HashOutput {
        self.context.current()
    }

    /// `Transcript-Hash(messages so far, partial)`, without adding `partial`: the binder
    /// hash over `Truncate(ClientHello2)` after a HelloRetryRequest (RFC 9846 §4.3.11.2), or
    /// for a server checking a binder before it adds the ClientHello.
    pub fn current_with(&self, partial: &[u8]) -> HashOutput {
        let mut fork = self.context.fork();
        fork.update(partial);
        fork.current()
    }

    /// Replaces ClientHello1, the only message so far, by `message_hash(Hash(ClientHello1))`
    /// (RFC 9846 §4.1). A server calls this when it sends a HelloRetryRequest, then adds the
    /// HelloRetryRequest.
    ///
    /// Fails with [`Error::Misuse`] unless exactly one message was added.
    pub fn replace_client_hello1(&mut self, provider: &dyn CryptoProvider) -> Result<(), Error> {
        if self.count != 1 {
            return Err(Error::Misuse(
                "message_hash replaces ClientHello1 only when it is the sole message",
            ));
        }
        let client_hello1_hash = self.current();
        *self = Self::from_client_hello1_hash(provider, self.algorithm(), &client_hello1_hash);
        Ok(())
    }
}

impl Clone for Transcript {
    fn clone(&self) -> Self {
        Self {
            context: self.context.fork(),
            count: self.count,
        }
    }
}

impl core::fmt::Debug for Transcript {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Transcript")
            .field("algorithm", &self.algorithm())
            .field("messages", &self.count)
            .field("current", &self.current())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::RustCryptoProvider;

    const CH1: &[u8] = &[1, 0, 0, 2, 0xaa, 0xbb];
    const HRR: &[u8] = &[2, 0, 0, 1, 0xcc];
    const CH2: &[u8] = &[1, 0, 0, 1, 0xdd];

    fn hash_of(alg: HashAlgorithm, parts: &[&[u8]]) -> HashOutput {
        let mut context = RustCryptoProvider.hash(alg);
        for part in parts {
            context.update(part);
        }
        context.current()
    }

    #[test]
    fn test_message_hash_header() {
        assert_eq!(message_hash_header(HashAlgorithm::Sha256), [0xfe, 0, 0, 32]);
        assert_eq!(message_hash_header(HashAlgorithm::Sha384), [0xfe, 0, 0, 48]);
    }

    #[test]
    fn test_partial_client_hello_cuts_the_binders() {
        let hello = [1, 0, 0, 6, 9, 9, 0, 2, 1, 7];
        assert_eq!(partial_client_hello(&hello, 4), Ok(&hello[..6]));
        assert_eq!(partial_client_hello(&hello, 6), Ok(&hello[..4]));
        // Binders that would eat the handshake header or run past the start are refused.
        assert!(partial_client_hello(&hello, 7).is_err());
        assert!(partial_client_hello(&hello, 11).is_err());
    }

    #[test]
    fn test_pending_transcript_hashes_like_a_running_one() {
        let provider = RustCryptoProvider;
        for alg in [HashAlgorithm::Sha256, HashAlgorithm::Sha384] {
            let mut pending = PendingTranscript::new();
            pending.add(CH1);
            assert_eq!(
                pending.hash_with(&provider, alg, HRR),
                hash_of(alg, &[CH1, HRR])
            );
            let mut transcript = pending.into_transcript(&provider, alg);
            assert_eq!(transcript.algorithm(), alg);
            assert_eq!(transcript.current(), hash_of(alg, &[CH1]));
            assert_eq!(transcript.current_with(HRR), hash_of(alg, &[CH1, HRR]));
            // `current_with` did not add anything.
            assert_eq!(transcript.message_count(), 1);
            transcript.add(HRR);
            assert_eq!(transcript.current(), hash_of(alg, &[CH1, HRR]));
        }
    }

    #[test]
    fn test_hello_retry_replaces_client_hello1_by_message_hash() {
        let provider = RustCryptoProvider;
        for alg in [HashAlgorithm::Sha256, HashAlgorithm::Sha384] {
            // The RFC's formula, written out: message_hash || 00 00 Hash.length ||
            // Hash(ClientHello1) || HelloRetryRequest || ClientHello2.
            let ch1_hash = hash_of(alg, &[CH1]);
            let header = message_hash_header(alg);
            let expected = hash_of(alg, &[&header, ch1_hash.as_bytes(), HRR, CH2]);

            // Client: ClientHello1 was buffered before the HelloRetryRequest chose the suite.
            let mut pending = PendingTranscript::new();
            pending.add(CH1);
            let mut client = pending
                .into_transcript_after_hello_retry(&provider, alg)
                .unwrap();
            // Server: it knew the suite, hashed ClientHello1, then sent a HelloRetryRequest.
            let mut server = Transcript::new(&provider, alg);
            server.add(CH1);
            server.replace_client_hello1(&provider).unwrap();
            // Stateless server: only Hash(ClientHello1) came back in the cookie.
            let mut stateless = Transcript::from_client_hello1_hash(&provider, alg, &ch1_hash);

            for transcript in [&mut client, &mut server, &mut stateless] {
                transcript.add(HRR);
                transcript.add(CH2);
                assert_eq!(transcript.current(), expected);
                assert_eq!(transcript.message_count(), 3);
            }
        }
    }

    #[test]
    fn test_message_hash_only_replaces_a_lone_client_hello1() {
        let provider = RustCryptoProvider;
        let mut transcript = Transcript::new(&provider, HashAlgorithm::Sha256);
        assert!(transcript.replace_client_hello1(&provider).is_err());
        transcript.add(CH1);
        transcript.add(HRR);
        assert!(transcript.replace_client_hello1(&provider).is_err());
        let mut pending = PendingTranscript::new();
        pending.add(CH1);
        pending.add(CH2);
        assert!(
            pending
                .into_transcript_after_hello_retry(&provider, HashAlgorithm::Sha256)
                .is_err()
        );
    }

    #[test]
    fn test_clone_forks_the_running_hash() {
        let provider = RustCryptoProvider;
        let mut transcript = Transcript::new(&provider, HashAlgorithm::Sha256);
        transcript.add(CH1);
        let mut fork = transcript.clone();
        fork.add(HRR);
        assert_eq!(transcript.current(), hash_of(HashAlgorithm::Sha256, &[CH1]));
        assert_eq!(fork.current(), hash_of(HashAlgorithm::Sha256, &[CH1, HRR]));
    }
}
