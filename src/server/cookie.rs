//! HelloRetryRequest cookies, the server's side (RFC 9846 §4.3.2).
//!
//! A HelloRetryRequest may carry a `cookie` that the client must copy into its second
//! ClientHello. RFC 9846 §4.3.2 gives it two jobs: proving the client is reachable at its
//! address, and "Allowing the server to offload state to the client, thus allowing it to
//! send a HelloRetryRequest without storing any state. The server can do this by storing
//! the hash of the ClientHello in the HelloRetryRequest cookie (protected with some
//! suitable integrity protection algorithm)."
//!
//! This module holds the state a cookie carries ([`CookieState`]: what the server chose and
//! `Hash(ClientHello1)`), and the [`CookieIssuer`] trait that turns it into cookie bytes and
//! back. The default issuer is [`Sealer`] (AES-256-GCM, see [`super::seal`]).
//!
//! With the state in the cookie, a server that has forgotten the first ClientHello (a new
//! `ServerConnection` receiving the second one) can rebuild the transcript:
//! RFC 9846 §4.1 replaces ClientHello1 by `message_hash(Hash(ClientHello1))` precisely so
//! that the server can "do a stateless HelloRetryRequest by storing just the hash of
//! ClientHello1 in the cookie".
//!
//! # CookieState encoding (format 1)
//!
//! ```text
//!   struct {
//!       uint8 format = 1;
//!       CipherSuite cipher_suite;           /* chosen for HelloRetryRequest */
//!       uint8 has_group;                    /* 1: HelloRetryRequest carried key_share */
//!       NamedGroup selected_group;          /* 0 when has_group is 0 */
//!       opaque client_hello1_hash<32..48>;
//!       uint64 issued_at_ms;
//!   } CookieState;
//! ```

use alloc::vec::Vec;

use crate::codec::{DecodeError, Reader, Writer};
use crate::crypto::{HashOutput, Rng};
use crate::error::Error;
use crate::wire::algorithms::{CipherSuite, NamedGroup};

use super::config::CookieConfig;
use super::seal::{Purpose, Sealer};

/// Turns the retry state into the opaque cookie bytes and back.
pub trait CookieIssuer: Send + Sync {
    /// The cookie for `state` (an encoded [`CookieState`]); may draw from `rng`. It must be
    /// 1 to 65535 bytes long (`opaque cookie<1..2^16-1>`).
    fn issue(&self, state: &[u8], rng: &mut dyn Rng) -> Result<Vec<u8>, Error>;
    /// The state behind `cookie`, or `None` if it is not one of ours. `cookie` is received
    /// bytes: implementations must not panic on them.
    fn open(&self, cookie: &[u8]) -> Option<Vec<u8>>;
}

impl CookieIssuer for Sealer {
    /// Draws nothing from `rng`: the sealer makes its own nonces (see [`Sealer`]).
    fn issue(&self, state: &[u8], _rng: &mut dyn Rng) -> Result<Vec<u8>, Error> {
        self.seal(Purpose::Cookie, state)
    }

    fn open(&self, cookie: &[u8]) -> Option<Vec<u8>> {
        Sealer::open(self, Purpose::Cookie, cookie)
    }
}

const FORMAT: u8 = 1;

/// What a HelloRetryRequest cookie remembers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CookieState {
    /// The suite of the HelloRetryRequest, which the ServerHello must repeat (RFC 9846
    /// §4.2.4: "Servers MUST ensure that they negotiate the same cipher suite").
    pub cipher_suite: CipherSuite,
    /// The group the HelloRetryRequest asked a share for, if it had a key_share.
    pub selected_group: Option<NamedGroup>,
    /// `Hash(ClientHello1)` under the suite's hash.
    pub client_hello1_hash: HashOutput,
    /// When the cookie was made, ms since the UNIX epoch.
    pub issued_at_ms: u64,
}

impl CookieState {
    /// Encodes the state.
    pub fn encode(&self) -> Result<Vec<u8>, Error> {
        let mut w = Writer::new();
        w.u8(FORMAT);
        w.u16(self.cipher_suite.to_u16());
        w.u8(u8::from(self.selected_group.is_some()));
        w.u16(self.selected_group.map_or(0, NamedGroup::to_u16));
        w.vec_u8(self.client_hello1_hash.as_bytes());
        w.u32((self.issued_at_ms >> 32) as u32);
        w.u32(self.issued_at_ms as u32);
        Ok(w.finish()?)
    }

    /// Decodes a state that [`CookieIssuer::open`] returned.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        if r.u8()? != FORMAT {
            return Err(DecodeError::decode("unknown cookie state format"));
        }
        let cipher_suite = CipherSuite::from_u16(r.u16()?);
        let has_group = r.u8()?;
        let group = NamedGroup::from_u16(r.u16()?);
        let selected_group = match has_group {
            0 => None,
            1 => Some(group),
            _ => return Err(DecodeError::decode("cookie state: bad has_group")),
        };
        let client_hello1_hash = HashOutput::new(r.vec_u8(32, 48)?);
        let issued_at_ms = (u64::from(r.u32()?) << 32) | u64::from(r.u32()?);
        r.finish()?;
        Ok(Self {
            cipher_suite,
            selected_group,
            client_hello1_hash,
            issued_at_ms,
        })
    }
}

/// Makes the cookie for a HelloRetryRequest.
pub(crate) fn issue_cookie(
    config: &CookieConfig,
    state: &CookieState,
    rng: &mut dyn Rng,
) -> Result<Vec<u8>, Error> {
    let cookie = config.issuer.issue(&state.encode()?, rng)?;
    if cookie.is_empty() || cookie.len() > 0xffff {
        return Err(Error::Misuse(
            "CookieIssuer: a cookie must be 1..=65535 bytes",
        ));
    }
    Ok(cookie)
}

/// Opens a cookie received in a ClientHello: `None` if it is not ours, malformed, or older
/// than the configured lifetime (or from the future, by the caller's clock).
pub(crate) fn open_cookie(
    config: &CookieConfig,
    cookie: &[u8],
    now_ms: u64,
) -> Option<CookieState> {
    let state = CookieState::decode(&config.issuer.open(cookie)?).ok()?;
    let age = now_ms.checked_sub(state.issued_at_ms)?;
    (age <= config.lifetime_ms).then_some(state)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::RustCryptoProvider;
    use crate::server::seal::tests::CountingRng;
    use alloc::sync::Arc;

    fn state(group: Option<NamedGroup>) -> CookieState {
        CookieState {
            cipher_suite: CipherSuite::TLS_AES_128_GCM_SHA256,
            selected_group: group,
            client_hello1_hash: HashOutput::new(&[0xab; 32]),
            issued_at_ms: 10_000,
        }
    }

    fn config() -> CookieConfig {
        let sealer = Sealer::new(&RustCryptoProvider, [5; 4], &[6; 32]).unwrap();
        CookieConfig {
            issuer: Arc::new(sealer),
            lifetime_ms: 60_000,
        }
    }

    #[test]
    fn test_emit_and_parse_cookie_state() {
        for group in [None, Some(NamedGroup::Secp256r1)] {
            let s = state(group);
            let bytes = s.encode().unwrap();
            assert_eq!(CookieState::decode(&bytes).unwrap(), s);
            for len in 0..bytes.len() {
                assert!(CookieState::decode(&bytes[..len]).is_err());
            }
        }
        let mut bad = state(None).encode().unwrap();
        bad[3] = 2;
        assert!(CookieState::decode(&bad).is_err());
    }

    #[test]
    fn test_cookie_round_trip_and_lifetime() {
        let c = config();
        let s = state(Some(NamedGroup::Secp256r1));
        let cookie = issue_cookie(&c, &s, &mut CountingRng(0)).unwrap();
        assert_eq!(open_cookie(&c, &cookie, 10_000), Some(s.clone()));
        assert_eq!(open_cookie(&c, &cookie, 70_000), Some(s));
        assert_eq!(open_cookie(&c, &cookie, 70_001), None);
        assert_eq!(open_cookie(&c, &cookie, 9_999), None);
        let mut forged = cookie.clone();
        forged[20] ^= 1;
        assert_eq!(open_cookie(&c, &forged, 10_000), None);
    }
}
