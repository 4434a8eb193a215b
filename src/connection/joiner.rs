//! Joining handshake messages out of handshake records (RFC 9846 §5.1).
//!
//! The record layer and the handshake layer cut the same bytes differently: one record may
//! hold several handshake messages (RFC 8448 §3's server packs EncryptedExtensions,
//! Certificate, CertificateVerify and Finished into one record), and one large message (a
//! Certificate chain) may span several records. [`HandshakeJoiner`] takes the fragments of
//! handshake records as they are deprotected and hands out whole messages.
//!
//! RFC 9846 §5.1 limits the freedom of the sender, and the joiner is where a receiver sees
//! it break those limits:
//!
//! - "Handshake messages MUST NOT be interleaved with other record types": the connection
//!   asks [`HandshakeJoiner::is_empty`] before accepting any other record type.
//! - "Handshake messages MUST NOT span key changes. Implementations MUST verify that all
//!   messages immediately preceding a key change align with a record boundary; if not, then
//!   they MUST terminate the connection with an "unexpected_message" alert": the connection
//!   asks [`HandshakeJoiner::is_empty`] before installing a new read key, and a fragment
//!   arriving under an epoch other than the bytes already held is refused here.
//!
//! Not here: decoding the message (see [`crate::wire::handshake`]) and deciding whether
//! it is expected in the current state (the state machines).

use alloc::vec::Vec;

use crate::error::Error;
use crate::trace::Epoch;
use crate::wire::alert::AlertDescription;

use super::core::unexpected;
use crate::wire::handshake::split_header;

/// The largest handshake message this implementation accepts, header included.
///
/// RFC 9846 allows a message up to 2^24 bytes; buffering that much for a peer is a denial
/// of service waiting to happen. 64 KiB holds any sensible certificate chain.
pub const MAX_HANDSHAKE_MESSAGE_LEN: usize = 0x1_0000;

/// How much of a message's declared length is reserved before its bytes arrive: up to this
/// many bytes, or twice what has arrived if that is more. Enough for the certificate chain
/// of a small device's server to be held in one buffer from its first fragment (a chain of
/// two P-256 certificates is about 1 KB); small enough that a header announcing more than
/// it sends costs no more than a message that size would.
const RESERVED_AHEAD_LEN: usize = 2048;

/// Collects handshake fragments and yields whole messages.
#[derive(Debug, Default)]
pub struct HandshakeJoiner {
    /// Bytes received but not handed out yet: the message being collected, or (until
    /// `next_message` moves them on) whole messages and the start of the next.
    buf: Vec<u8>,
    /// The epoch the pending bytes arrived under.
    epoch: Option<Epoch>,
    /// A message that a fragment completed, set apart from the bytes that followed it in
    /// the same fragment (those start `buf`); handed out first.
    completed: Option<Vec<u8>>,
}

impl HandshakeJoiner {
    /// An empty joiner.
    pub fn new() -> Self {
        Self::default()
    }

    /// True if no part of a message is waiting: the state in which a record of another type
    /// or a key change is allowed.
    pub fn is_empty(&self) -> bool {
        self.completed.is_none() && self.buf.is_empty()
    }

    /// Adds the fragment of one handshake record received under `epoch`.
    pub fn push(&mut self, fragment: &[u8], epoch: Epoch) -> Result<(), Error> {
        if !self.is_empty() && self.epoch != Some(epoch) {
            // RFC 9846 §5.1: "Handshake messages MUST NOT span key changes."
            return Err(unexpected("handshake message spans a key change"));
        }
        self.epoch = Some(epoch);
        let held = self.buf.len();
        let needed = held + fragment.len();
        let collecting = self.collecting_len(fragment);
        let completes_and_goes_on = collecting
            .filter(|&len| held < len && len < needed && self.completed.is_none())
            .and_then(|len| fragment.split_at_checked(len - held));
        if let Some((head, tail)) = completes_and_goes_on {
            // The fragment completes the message being collected and goes on past it. The
            // message is finished in its own buffer and set apart, and what follows starts a
            // buffer of its own: neither grows past its message (a Certificate chain followed
            // by CertificateVerify in one record is not copied into a buffer that holds both).
            self.buf.reserve_exact(head.len());
            self.buf.extend_from_slice(head);
            let rest = buffer_for(tail);
            self.completed = Some(core::mem::replace(&mut self.buf, rest));
            return Ok(());
        }
        if needed > self.buf.capacity() {
            // Once the header of the message being collected is in, grow to that message's
            // length, so that a message spanning records (a Certificate chain) is held in
            // one buffer of its own size; but not beyond `reserved_ahead`, so that a hostile
            // header cannot make us allocate much more than the peer sends.
            let doubled = needed.max(self.buf.capacity()) * 2;
            let target = match collecting {
                Some(len) if len >= needed => len.min(reserved_ahead(needed)),
                // Whole messages and more: `next_message` moves what follows them.
                Some(_) => needed,
                None => doubled,
            };
            self.buf.reserve_exact(target - held);
        }
        self.buf.extend_from_slice(fragment);
        Ok(())
    }

    /// The length, header included, of the message the buffer followed by `fragment`
    /// starts with, once its 4-byte header is among them.
    fn collecting_len(&self, fragment: &[u8]) -> Option<usize> {
        let mut header = [0u8; 4];
        let held = self.buf.len().min(4);
        header[..held].copy_from_slice(self.buf.get(..held)?);
        header[held..].copy_from_slice(fragment.get(..4 - held)?);
        message_len_of(&header)
    }

    /// The next whole message (header included) and the epoch it arrived under, or `None`
    /// until more fragments arrive.
    pub fn next_message(&mut self) -> Result<Option<(Vec<u8>, Epoch)>, Error> {
        let epoch = self.epoch.unwrap_or(Epoch::Initial);
        if let Some(message) = self.completed.take() {
            whole_message_len(&message)?;
            return Ok(Some((message, epoch)));
        }
        let Some(message_len) = whole_message_len(&self.buf)? else {
            return Ok(None);
        };
        // The message leaves in the joiner's own buffer, and what follows it moves to a new
        // one: the largest message, a Certificate chain spanning several records, is then
        // held once rather than copied (docs/embedded.md, "Stack and heap").
        let rest = buffer_for(self.buf.get(message_len..).unwrap_or(&[]));
        self.buf.truncate(message_len);
        let message = core::mem::replace(&mut self.buf, rest);
        Ok(Some((message, epoch)))
    }
}

/// The length of the message `pending` starts with if all of it is there, `None` if more is
/// needed, or the alert its header calls for (an unknown type, or a length over
/// [`MAX_HANDSHAKE_MESSAGE_LEN`]), judged as soon as the header is in.
fn whole_message_len(pending: &[u8]) -> Result<Option<usize>, Error> {
    let Some(header) = split_header(pending)? else {
        return Ok(None);
    };
    if header.message_len() > MAX_HANDSHAKE_MESSAGE_LEN {
        return Err(Error::PeerMisbehaved {
            alert: AlertDescription::DecodeError,
            reason: "handshake message longer than this implementation accepts",
        });
    }
    Ok((pending.len() >= header.message_len()).then_some(header.message_len()))
}

/// A buffer holding `bytes`, the start of the messages that follow one handed out or set
/// apart: sized for the whole of the first of them once its header is in (at most
/// [`reserved_ahead`]), so that a message spanning records (a Certificate after
/// EncryptedExtensions) is not moved again when its next fragment arrives.
fn buffer_for(bytes: &[u8]) -> Vec<u8> {
    let mut buf = Vec::new();
    if !bytes.is_empty() {
        let next_len = message_len_of(bytes).unwrap_or(0);
        let reserved = next_len.min(reserved_ahead(bytes.len()));
        buf.reserve_exact(reserved.max(bytes.len()));
        buf.extend_from_slice(bytes);
    }
    buf
}

/// How many bytes a buffer holding `held` bytes of a message may reserve for it.
fn reserved_ahead(held: usize) -> usize {
    (held * 2).max(RESERVED_AHEAD_LEN)
}

/// The length, header included, of the message `bytes` starts with, once its 4-byte header
/// is among them.
fn message_len_of(bytes: &[u8]) -> Option<usize> {
    let header = bytes.first_chunk::<4>()?;
    let body = u32::from_be_bytes([0, header[1], header[2], header[3]]);
    Some(4 + usize::try_from(body).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    /// Two messages back to back: a KeyUpdate (24) and a 36-byte Finished (20).
    fn two_messages() -> (Vec<u8>, Vec<u8>) {
        let key_update = vec![0x18, 0, 0, 1, 0];
        let mut finished = vec![0x14, 0, 0, 0x20];
        finished.extend_from_slice(&[0xab; 32]);
        (key_update, finished)
    }

    fn drain(joiner: &mut HandshakeJoiner) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        while let Some((message, _)) = joiner.next_message().unwrap() {
            out.push(message);
        }
        out
    }

    #[test]
    fn test_parse_several_messages_in_one_record() {
        let (a, b) = two_messages();
        let mut joiner = HandshakeJoiner::new();
        joiner
            .push(&[a.clone(), b.clone()].concat(), Epoch::Handshake)
            .unwrap();
        assert_eq!(drain(&mut joiner), vec![a, b]);
        assert!(joiner.is_empty());
    }

    #[test]
    fn test_parse_one_message_over_many_records() {
        let (a, b) = two_messages();
        let stream = [a.clone(), b.clone()].concat();
        for size in 1..stream.len() {
            let mut joiner = HandshakeJoiner::new();
            let mut out = Vec::new();
            for piece in stream.chunks(size) {
                joiner.push(piece, Epoch::Application(0)).unwrap();
                out.extend(drain(&mut joiner));
            }
            assert_eq!(out, vec![a.clone(), b.clone()], "fragments of {size}");
            assert!(joiner.is_empty());
        }
    }

    #[test]
    fn test_parse_partial_message_is_not_empty() {
        let (_, b) = two_messages();
        let mut joiner = HandshakeJoiner::new();
        joiner.push(&b[..3], Epoch::Handshake).unwrap();
        assert!(!joiner.is_empty());
        assert_eq!(joiner.next_message().unwrap(), None);
        joiner.push(&b[3..10], Epoch::Handshake).unwrap();
        assert_eq!(joiner.next_message().unwrap(), None);
        joiner.push(&b[10..], Epoch::Handshake).unwrap();
        assert_eq!(joiner.next_message().unwrap(), Some((b, Epoch::Handshake)));
    }

    #[test]
    fn test_parse_message_spanning_records_grows_to_its_own_length() {
        // A 900-byte Certificate in a 512-byte and a 388-byte fragment: the buffer ends at
        // 900 bytes, not the 1,024 that doubling would give.
        let mut message = vec![11, 0x00, 0x03, 0x80];
        message.resize(900, 0x5a);
        let mut joiner = HandshakeJoiner::default();
        joiner.push(&message[..512], Epoch::Handshake).unwrap();
        joiner.push(&message[512..], Epoch::Handshake).unwrap();
        assert_eq!(joiner.buf.capacity(), 900);
        let (whole, _) = joiner.next_message().unwrap().unwrap();
        assert_eq!(whole, message);
    }

    #[test]
    fn test_parse_message_after_another_gets_a_buffer_of_its_own_length() {
        // EncryptedExtensions and the first 490 bytes of a 900-byte Certificate in one
        // 512-byte record, the rest of the Certificate in the next: once the
        // EncryptedExtensions leaves, the Certificate's part moves to a buffer of 900 bytes,
        // which the next fragment fills without moving it again.
        let mut extensions = vec![8, 0, 0, 18];
        extensions.resize(22, 0);
        let mut certificate = vec![11, 0x00, 0x03, 0x80];
        certificate.resize(900, 0x5a);
        let stream = [extensions.clone(), certificate.clone()].concat();
        let mut joiner = HandshakeJoiner::default();
        joiner.push(&stream[..512], Epoch::Handshake).unwrap();
        assert_eq!(joiner.next_message().unwrap().unwrap().0, extensions);
        assert_eq!(joiner.buf.capacity(), 900);
        let held = joiner.buf.as_ptr();
        joiner.push(&stream[512..], Epoch::Handshake).unwrap();
        assert_eq!(joiner.buf.as_ptr(), held, "not moved");
        assert_eq!(joiner.next_message().unwrap().unwrap().0, certificate);
        // Bounded: a header claiming 60,000 bytes after 10 gets RESERVED_AHEAD_LEN.
        let mut joiner = HandshakeJoiner::default();
        joiner
            .push(
                &[&extensions[..], &[11, 0, 0xea, 0x5c, 1, 2, 3, 4, 5, 6]].concat(),
                Epoch::Handshake,
            )
            .unwrap();
        joiner.next_message().unwrap().unwrap();
        assert_eq!(joiner.buf.capacity(), RESERVED_AHEAD_LEN);
        // A chain of 1,008 bytes, 450 of them after the EncryptedExtensions: one buffer.
        let mut chain = vec![11, 0x00, 0x03, 0xec];
        chain.resize(1008, 0x5a);
        let stream = [extensions.clone(), chain.clone()].concat();
        let mut joiner = HandshakeJoiner::default();
        joiner.push(&stream[..472], Epoch::Handshake).unwrap();
        joiner.next_message().unwrap().unwrap();
        assert_eq!(joiner.buf.capacity(), 1008);
        // Its next 512 bytes, then its last 46 with a 40-byte CertificateVerify after them in
        // the same fragment: the chain is completed in its buffer, never moved or grown, and
        // the CertificateVerify starts a buffer of its own.
        let held = joiner.buf.as_ptr();
        let mut verify = vec![15, 0, 0, 36];
        verify.resize(40, 0x11);
        let stream = [stream, verify.clone()].concat();
        joiner.push(&stream[472..984], Epoch::Handshake).unwrap();
        assert_eq!(joiner.next_message().unwrap(), None);
        joiner.push(&stream[984..], Epoch::Handshake).unwrap();
        let (whole, _) = joiner.next_message().unwrap().unwrap();
        assert_eq!((whole.as_ptr(), whole.capacity()), (held, 1008));
        assert_eq!(whole, chain);
        assert_eq!(joiner.buf.capacity(), 40);
        assert_eq!(joiner.next_message().unwrap().unwrap().0, verify);
        assert!(joiner.is_empty());
    }

    #[test]
    fn test_parse_message_spanning_key_change_is_refused() {
        let (_, b) = two_messages();
        let mut joiner = HandshakeJoiner::new();
        joiner.push(&b[..10], Epoch::Initial).unwrap();
        let err = joiner.push(&b[10..], Epoch::Handshake).unwrap_err();
        assert_eq!(err.alert(), Some(AlertDescription::UnexpectedMessage));
        // Once a message is complete, the next record may come under a new key.
        let mut joiner = HandshakeJoiner::new();
        joiner.push(&b, Epoch::Initial).unwrap();
        assert_eq!(drain(&mut joiner).len(), 1);
        joiner.push(&b, Epoch::Handshake).unwrap();
        assert_eq!(joiner.next_message().unwrap(), Some((b, Epoch::Handshake)));
    }

    #[test]
    fn test_parse_unknown_type_and_oversized_messages_fail_early() {
        let mut joiner = HandshakeJoiner::new();
        joiner.push(&[0x03, 0, 0, 1], Epoch::Handshake).unwrap();
        let err = joiner.next_message().unwrap_err();
        assert_eq!(err.alert(), Some(AlertDescription::UnexpectedMessage));
        // A Certificate claiming 16 MiB is refused on its header, before it is buffered.
        let mut joiner = HandshakeJoiner::new();
        joiner
            .push(&[0x0b, 0xff, 0xff, 0xff, 0], Epoch::Handshake)
            .unwrap();
        let err = joiner.next_message().unwrap_err();
        assert_eq!(err.alert(), Some(AlertDescription::DecodeError));
    }
}
