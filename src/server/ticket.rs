//! Session tickets, the server's side (RFC 9846 §4.7.1): what a ticket remembers, how it is
//! sealed ([`TicketIssuer`]), and the NewSessionTicket messages that carry it.
//!
//! After the handshake the server may send NewSessionTicket messages. Each one names a PSK
//!
//! ```text
//!   PSK = HKDF-Expand-Label(resumption_secret, "resumption", ticket_nonce, Hash.length)
//! ```
//!
//! that the client can offer in a later ClientHello, quoting the opaque `ticket` as the PSK
//! identity. The server must then recover the PSK (and the parameters that 0-RTT must
//! match) from the ticket alone: it puts a [`TicketState`] into the ticket, sealed by a
//! [`TicketIssuer`]. The default issuer is [`Sealer`] (AES-256-GCM under a server key, see
//! [`super::seal`]); a server that keeps a database can return a lookup key instead, and
//! RFC 8448's tests plug in an issuer that returns the RFC's ticket bytes.
//!
//! # TicketState encoding (format 1)
//!
//! ```text
//!   struct {
//!       uint8  format = 1;
//!       CipherSuite cipher_suite;            /* the resumed suite must share its hash */
//!       opaque psk<32..48>;
//!       uint32 ticket_age_add;
//!       uint64 issued_at_ms;                 /* server clock, ms since the UNIX epoch */
//!       uint32 ticket_lifetime;              /* seconds, as sent */
//!       uint32 max_early_data_size;          /* 0: no 0-RTT with this ticket */
//!       opaque alpn<0..255>;                 /* empty: none was negotiated */
//!       opaque client_certificates<0..2^24-1>; /* the client's chain, each cert<1..2^24-1> */
//!   } TicketState;
//! ```
//!
//! The client's certificate chain travels with the ticket so that a resumed connection
//! knows who the client authenticated as, and so that a server requiring client
//! authentication does not let a ticket from an unauthenticated connection in.
//!
//! # Randomness (see `docs/determinism.md`)
//!
//! Per ticket: `ticket_age_add` (4 bytes) first, then whatever the issuer draws (the
//! [`Sealer`] draws its 12-byte nonce). `ticket_nonce` is a counter and draws nothing.

use alloc::vec::Vec;

use zeroize::Zeroizing;

use crate::codec::{DecodeError, Reader, Writer};
use crate::crypto::{CryptoProvider, Rng, Secret};
use crate::error::Error;
use crate::key_schedule::{ResumptionSecret, SecretLabel};
use crate::wire::algorithms::CipherSuite;
use crate::wire::extensions::Extension;
use crate::wire::new_session_ticket::NewSessionTicket;

use super::config::TicketConfig;
use super::seal::{Purpose, Sealer};

/// Turns a ticket's state into the opaque `ticket` bytes and back.
pub trait TicketIssuer: Send + Sync {
    /// The `ticket` for `state` (an encoded [`TicketState`]); may draw from `rng`.
    fn issue(&self, state: &[u8], rng: &mut dyn Rng) -> Result<Vec<u8>, Error>;
    /// The state behind `ticket`, or `None` if the ticket is not one of ours (any more).
    /// `ticket` is received bytes: implementations must not panic on them.
    fn open(&self, ticket: &[u8]) -> Option<Vec<u8>>;
}

impl TicketIssuer for Sealer {
    /// Draws nothing from `rng`: the sealer makes its own nonces (see [`Sealer`]).
    fn issue(&self, state: &[u8], _rng: &mut dyn Rng) -> Result<Vec<u8>, Error> {
        self.seal(Purpose::Ticket, state)
    }

    fn open(&self, ticket: &[u8]) -> Option<Vec<u8>> {
        Sealer::open(self, Purpose::Ticket, ticket)
    }
}

const FORMAT: u8 = 1;

/// What a ticket remembers about the connection that issued it.
#[derive(Clone, Debug)]
pub struct TicketState {
    /// The suite of the issuing connection.
    pub cipher_suite: CipherSuite,
    /// The ticket's PSK.
    pub psk: Secret,
    /// `ticket_age_add` as sent.
    pub ticket_age_add: u32,
    /// When the ticket was issued, server clock, ms since the UNIX epoch.
    pub issued_at_ms: u64,
    /// `ticket_lifetime` as sent, in seconds.
    pub lifetime_secs: u32,
    /// `max_early_data_size` as sent (0: the ticket allows no 0-RTT).
    pub max_early_data_size: u32,
    /// The ALPN protocol of the issuing connection, which 0-RTT must repeat (RFC 9846
    /// §4.3.10).
    pub alpn: Option<Vec<u8>>,
    /// The client's certificate chain, if it authenticated.
    pub client_certificates: Vec<Vec<u8>>,
}

/// Equal field by field, the PSK compared in constant time.
impl PartialEq for TicketState {
    fn eq(&self, other: &Self) -> bool {
        self.psk.ct_eq(other.psk.as_bytes())
            && self.cipher_suite == other.cipher_suite
            && self.ticket_age_add == other.ticket_age_add
            && self.issued_at_ms == other.issued_at_ms
            && self.lifetime_secs == other.lifetime_secs
            && self.max_early_data_size == other.max_early_data_size
            && self.alpn == other.alpn
            && self.client_certificates == other.client_certificates
    }
}

impl TicketState {
    /// Encodes the state; the buffer is wiped when dropped, as it holds the PSK.
    pub fn encode(&self) -> Result<Zeroizing<Vec<u8>>, Error> {
        let mut w = Writer::new();
        w.u8(FORMAT);
        w.u16(self.cipher_suite.to_u16());
        w.vec_u8(self.psk.as_bytes());
        w.u32(self.ticket_age_add);
        w.u32((self.issued_at_ms >> 32) as u32);
        w.u32(self.issued_at_ms as u32);
        w.u32(self.lifetime_secs);
        w.u32(self.max_early_data_size);
        w.vec_u8(self.alpn.as_deref().unwrap_or_default());
        w.len_u24(|w| {
            for cert in &self.client_certificates {
                w.vec_u24(cert);
            }
        });
        Ok(Zeroizing::new(w.finish()?))
    }

    /// Decodes a state that [`TicketIssuer::open`] returned.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        if r.u8()? != FORMAT {
            return Err(DecodeError::decode("unknown ticket state format"));
        }
        let cipher_suite = CipherSuite::from_u16(r.u16()?);
        let psk = Secret::new(r.vec_u8(32, 48)?);
        let ticket_age_add = r.u32()?;
        let issued_at_ms = (u64::from(r.u32()?) << 32) | u64::from(r.u32()?);
        let lifetime_secs = r.u32()?;
        let max_early_data_size = r.u32()?;
        let alpn = r.vec_u8(0, 255)?;
        let alpn = (!alpn.is_empty()).then(|| alpn.to_vec());
        let mut list = r.sub_u24(0, 0xff_ffff)?;
        let mut client_certificates = Vec::new();
        while !list.is_empty() {
            client_certificates.push(list.vec_u24(1, 0xff_ffff)?.to_vec());
        }
        r.finish()?;
        Ok(Self {
            cipher_suite,
            psk,
            ticket_age_add,
            issued_at_ms,
            lifetime_secs,
            max_early_data_size,
            alpn,
            client_certificates,
        })
    }

    /// True once `ticket_lifetime` has passed: the server no longer accepts the ticket
    /// (RFC 9846 §4.7.1: "A server MAY treat a ticket as valid for a shorter period of time
    /// than what is stated in the ticket_lifetime", and never for longer).
    pub fn is_expired(&self, now_ms: u64) -> bool {
        now_ms >= self.expires_at_ms() || now_ms < self.issued_at_ms
    }

    /// When the ticket stops being accepted.
    pub fn expires_at_ms(&self) -> u64 {
        let lifetime_ms = u64::from(self.lifetime_secs) * 1000;
        self.issued_at_ms.saturating_add(lifetime_ms)
    }

    /// The client's view of the ticket's age in milliseconds, from the
    /// `obfuscated_ticket_age` it sent. RFC 9846 §4.3.10: "computed by subtracting
    /// ticket_age_add from PskIdentity.obfuscated_ticket_age modulo 2^32".
    pub fn client_ticket_age_ms(&self, obfuscated_ticket_age: u32) -> u32 {
        obfuscated_ticket_age.wrapping_sub(self.ticket_age_add)
    }
}

/// What the issuing connection negotiated, for its tickets.
#[derive(Clone, Copy, Debug)]
pub(crate) struct IssuingConnection<'a> {
    /// The negotiated suite.
    pub cipher_suite: CipherSuite,
    /// The negotiated ALPN protocol.
    pub alpn: Option<&'a [u8]>,
    /// The client's certificate chain, if it authenticated.
    pub client_certificates: &'a [Vec<u8>],
    /// `max_early_data_size` to offer (0: none).
    pub max_early_data_size: u32,
}

/// Builds the `index`-th NewSessionTicket of a connection (RFC 9846 §4.7.1), reporting the
/// ticket's PSK to `observe` under [`SecretLabel::ResumptionPsk`].
///
/// Draws `ticket_age_add` (4 bytes) from `rng`, then lets the issuer draw.
#[allow(clippy::too_many_arguments)]
pub(crate) fn new_session_ticket(
    provider: &dyn CryptoProvider,
    config: &TicketConfig,
    resumption: &ResumptionSecret,
    connection: IssuingConnection<'_>,
    index: u64,
    now_ms: u64,
    rng: &mut dyn Rng,
    observe: &mut dyn FnMut(SecretLabel, &Secret),
) -> Result<NewSessionTicket, Error> {
    // RFC 9846 §4.7.1: ticket_age_add is "A securely generated, random 32-bit value ...
    // The server MUST generate a fresh value for each ticket it sends."
    let mut age_add = [0u8; 4];
    rng.fill(&mut age_add)?;
    let ticket_age_add = u32::from_be_bytes(age_add);
    // RFC 9846 §4.7.1: ticket_nonce is "A per-ticket value that is unique across all
    // tickets issued on this connection": a big-endian counter.
    let width = usize::from(config.nonce_len).min(8);
    let ticket_nonce = index.to_be_bytes()[8 - width..].to_vec();
    let psk = resumption.ticket_psk(provider, &ticket_nonce, observe)?;
    let state = TicketState {
        cipher_suite: connection.cipher_suite,
        psk,
        ticket_age_add,
        issued_at_ms: now_ms,
        lifetime_secs: config.lifetime_secs,
        max_early_data_size: connection.max_early_data_size,
        alpn: connection.alpn.map(<[u8]>::to_vec),
        client_certificates: connection.client_certificates.to_vec(),
    };
    let ticket = config.issuer.issue(&state.encode()?, rng)?;
    let mut extensions = Vec::new();
    if connection.max_early_data_size > 0 {
        // RFC 9846 §4.7.1: early_data in a NewSessionTicket carries max_early_data_size,
        // "indicating that the ticket may be used to send 0-RTT data".
        extensions.push(Extension::EarlyDataMaxSize(connection.max_early_data_size));
    }
    Ok(NewSessionTicket {
        ticket_lifetime: config.lifetime_secs,
        ticket_age_add,
        ticket_nonce,
        ticket,
        extensions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::RustCryptoProvider;
    use crate::server::seal::tests::CountingRng;
    use alloc::sync::Arc;
    use alloc::vec;

    fn state() -> TicketState {
        TicketState {
            cipher_suite: CipherSuite::TLS_AES_128_GCM_SHA256,
            // RFC 8448 §3's ticket PSK ("generate resumption secret", expanded).
            psk: Secret::new(
                &hex::decode("4ecd0eb6ec3b4d87f5d6028f922ca4c5851a277fd41311c9e62d2c9492e1c4f3")
                    .unwrap(),
            ),
            ticket_age_add: 0xfad6_aac5,
            issued_at_ms: 1_700_000_000_123,
            lifetime_secs: 30,
            max_early_data_size: 0x400,
            alpn: Some(b"h2".to_vec()),
            client_certificates: vec![vec![0x30, 0x03, 1, 2, 3]],
        }
    }

    #[test]
    fn test_emit_and_parse_ticket_state() {
        let s = state();
        let bytes = s.encode().unwrap();
        assert_eq!(bytes[0], 1);
        assert_eq!(&bytes[1..3], &[0x13, 0x01]);
        assert_eq!(bytes[3], 32);
        assert_eq!(TicketState::decode(&bytes).unwrap(), s);
        let none = TicketState {
            alpn: None,
            client_certificates: Vec::new(),
            ..state()
        };
        assert_eq!(TicketState::decode(&none.encode().unwrap()).unwrap(), none);
    }

    #[test]
    fn test_parse_ticket_state_rejects_malformed() {
        let bytes = state().encode().unwrap();
        for len in 0..bytes.len() {
            assert!(TicketState::decode(&bytes[..len]).is_err(), "len {len}");
        }
        let mut trailing = bytes.to_vec();
        trailing.push(0);
        assert!(TicketState::decode(&trailing).is_err());
        let mut format = bytes.to_vec();
        format[0] = 2;
        assert!(TicketState::decode(&format).is_err());
    }

    #[test]
    fn test_ticket_age_and_expiry() {
        let s = state();
        // The age is obfuscated_ticket_age - ticket_age_add, modulo 2^32.
        assert_eq!(s.client_ticket_age_ms(0xfad6_aac5 + 1234), 1234);
        assert_eq!(s.client_ticket_age_ms(5), 5u32.wrapping_sub(0xfad6_aac5));
        assert!(!s.is_expired(s.issued_at_ms));
        assert!(!s.is_expired(s.issued_at_ms + 29_999));
        assert!(s.is_expired(s.issued_at_ms + 30_000));
        assert!(s.is_expired(s.issued_at_ms - 1));
    }

    #[test]
    fn test_emit_new_session_ticket_draws_only_age_add() {
        let provider = RustCryptoProvider;
        let sealer = Sealer::new(&provider, [9; 4], &[3; 32]).unwrap();
        let config = TicketConfig {
            issuer: Arc::new(sealer),
            count: 2,
            lifetime_secs: 7200,
            nonce_len: 2,
        };
        let mut schedule = crate::key_schedule::SecretLog::default();
        let resumption = test_resumption_secret(&provider);
        let connection = IssuingConnection {
            cipher_suite: CipherSuite::TLS_AES_128_GCM_SHA256,
            alpn: None,
            client_certificates: &[],
            max_early_data_size: 1024,
        };
        let mut rng = CountingRng(0);
        let nst = new_session_ticket(
            &provider,
            &config,
            &resumption,
            connection,
            1,
            5_000,
            &mut rng,
            &mut schedule.observer(),
        )
        .unwrap();
        assert_eq!(nst.ticket_age_add, 0x0001_0203);
        assert_eq!(nst.ticket_nonce, [0, 1]);
        assert_eq!(nst.ticket_lifetime, 7200);
        assert_eq!(nst.extensions, [Extension::EarlyDataMaxSize(1024)]);
        // The sealer makes its own nonce: the ticket draws nothing after ticket_age_add.
        let mut next = [0u8; 1];
        rng.fill(&mut next).unwrap();
        assert_eq!(next, [4]);
        let opened = config.issuer.open(&nst.ticket).unwrap();
        let state = TicketState::decode(&opened).unwrap();
        assert_eq!(state.ticket_age_add, nst.ticket_age_add);
        assert_eq!(state.issued_at_ms, 5_000);
        let psk = schedule.get(SecretLabel::ResumptionPsk).unwrap();
        assert_eq!(state.psk.as_bytes(), psk.as_bytes());
    }

    /// RFC 8448 §3's resumption secret, through the public key schedule (Early, Handshake
    /// and Main Secret from the RFC's shared secret and transcript hashes).
    pub(crate) fn test_resumption_secret(provider: &RustCryptoProvider) -> ResumptionSecret {
        use crate::crypto::{HashAlgorithm, HashOutput};
        use crate::key_schedule::EarlySecret;
        let hash = HashAlgorithm::Sha256;
        let shared = Secret::new(
            &hex::decode("8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d")
                .unwrap(),
        );
        let client_finished = HashOutput::new(
            &hex::decode("209145a96ee8e2a122ff810047cc952684658d6049e86429426db87c54ad143d")
                .unwrap(),
        );
        let main = EarlySecret::new(provider, hash, None, &mut |_, _| {})
            .into_handshake(provider, Some(&shared), &mut |_, _| {})
            .unwrap()
            .into_main(provider, &mut |_, _| {})
            .unwrap();
        main.into_resumption_secret(provider, &client_finished, &mut |_, _| {})
            .unwrap()
    }

    #[test]
    fn test_rfc8448_simple_ticket_psk() {
        // RFC 8448 §3: "generate resumption secret": nonce 00 00 → the PSK §4 resumes with.
        let provider = RustCryptoProvider;
        let resumption = test_resumption_secret(&provider);
        let expected = "7df235f2031d2a051287d02b0241b0bfdaf86cc856231f2d5aba46c434ec196c";
        assert_eq!(hex::encode(resumption.secret().as_bytes()), expected);
        let psk = resumption
            .ticket_psk(&provider, &[0, 0], &mut |_, _| {})
            .unwrap();
        assert_eq!(
            hex::encode(psk.as_bytes()),
            "4ecd0eb6ec3b4d87f5d6028f922ca4c5851a277fd41311c9e62d2c9492e1c4f3"
        );
    }
}
