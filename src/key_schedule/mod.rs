//! The TLS 1.3 key schedule (RFC 9846 §7.1–§7.3, §7.5), as a chain of types that each
//! consume the one before, so that no stage can derive a secret that belongs to another.
//!
//! # The schedule
//!
//! Three HKDF-Extract steps run down the middle; each one mixes one input secret into the
//! state, and every working secret branches off to the right with Derive-Secret, named by its
//! label and the transcript it is bound to. (Redrawn from RFC 9846 §7.1, Figure 5; "0" is a
//! string of Hash.length zero bytes.)
//!
//! ```text
//!                 salt: 0
//!                    |
//!                    v
//!   PSK or 0 --> HKDF-Extract = Early Secret                           [EarlySecret]
//!                    |
//!                    +--> "ext binder"|"res binder", ()  = binder_key
//!                    +--> "c e traffic", (CH)            = client_early_traffic_secret
//!                    +--> "e exp master", (CH)           = early_exporter_secret
//!                    v
//!               "derived", ()
//!                    | salt
//!                    v
//!   (EC)DHE  --> HKDF-Extract = Handshake Secret                   [HandshakeSecret]
//!   or 0             |
//!                    +--> "c hs traffic", (CH..SH)       = client_handshake_traffic_secret
//!                    +--> "s hs traffic", (CH..SH)       = server_handshake_traffic_secret
//!                    v
//!               "derived", ()
//!                    | salt
//!                    v
//!   0 ---------> HKDF-Extract = Main Secret                             [MainSecret]
//!                    |
//!                    +--> "c ap traffic", (CH..SF)       = client_application_traffic_secret_0
//!                    +--> "s ap traffic", (CH..SF)       = server_application_traffic_secret_0
//!                    +--> "exp master", (CH..SF)         = exporter_secret
//!                    '--> "res master", (CH..CF)         = resumption_secret
//!
//!   --> "label", (M1..Mn)   Derive-Secret(secret above, label, M1..Mn), that is
//!                           HKDF-Expand-Label(secret, label, Transcript-Hash(M1..Mn),
//!                                             Hash.length)
//!   ()                      no messages: the hash is Hash("")
//!   CH, SH, SF, CF          ClientHello, ServerHello, server Finished, client Finished
//! ```
//!
//! Below the working secrets hang the leaves, each computed on demand by the type that holds
//! its secret:
//!
//! ```text
//!   any traffic secret ---- "key", "" ---> write key    "iv", "" ---> write IV   (§7.3)
//!   application_traffic_secret_N ---- "traffic upd", "" ---> ..._N+1             (§7.2)
//!   traffic secret or binder_key ---- "finished", "" ---> finished_key
//!        finished_key --- HMAC(transcript hash) ---> Finished verify_data or binder (§4.5.3)
//!   resumption_secret ---- "resumption", ticket_nonce ---> PSK of a later Early Secret (§4.7.1)
//!   (early_)exporter_secret ---- Derive-Secret(label, ()) ---- "exporter", Hash(context)
//!        ---> exported keying material                                           (§7.5)
//! ```
//!
//! # The types
//!
//! | stage               | made by                            | derives                        |
//! |---------------------|------------------------------------|--------------------------------|
//! | [`EarlySecret`]     | [`EarlySecret::new`] (PSK or none) | binder key, 0-RTT secrets      |
//! | [`HandshakeSecret`] | [`EarlySecret::into_handshake`]    | handshake traffic secrets      |
//! | [`MainSecret`]      | [`HandshakeSecret::into_main`]     | 1-RTT, exporter and resumption |
//!
//! Moving to the next stage consumes the previous one, whose secret is then zeroized
//! (RFC 9846 §7.1: "Once all the values which are to be derived from a given secret have
//! been computed, that secret SHOULD be erased."). The working secrets come back as
//! [`TrafficSecret`], [`ApplicationTrafficSecret`], [`BinderKey`], [`ExporterSecret`] and
//! [`ResumptionSecret`], each offering only the leaves that RFC 9846 derives from it.
//!
//! # Watching the secrets
//!
//! Every function that derives a secret of the schedule takes
//! `observe: &mut dyn FnMut(SecretLabel, &Secret)` and calls it once per secret, right after
//! deriving it, in RFC order: the stages themselves (Early, Handshake and Main Secret), the
//! two "derived" salts, every working secret, each later application traffic generation and
//! each ticket PSK. That is what trace events and key logs are built on. Pass
//! `&mut |_, _| {}` to ignore them. Leaf keying material (write keys, IVs, finished keys,
//! exporter outputs) is not reported: it is returned to the caller, which knows from the
//! secret's [`SecretLabel`] what it belongs to.
//!
//! # Not here
//!
//! The transcript hashes are computed by [`crate::transcript`]; the (EC)DHE shared secret by
//! the [`crate::crypto`] provider; which secret protects which record, and when keys change,
//! is the engines' business.

use alloc::vec::Vec;

use crate::crypto::{CryptoError, CryptoProvider, HashAlgorithm, HashOutput, HkdfPrk, Secret};

mod exporter;
mod finished;
mod labels;
mod resumption;
mod stages;
mod traffic;
mod without_psk;

pub use exporter::ExporterSecret;
pub use finished::{BinderKey, PskKind};
pub use labels::SecretLabel;
pub use resumption::ResumptionSecret;
pub use stages::{
    ApplicationSecrets, EarlySecret, HandshakeSecret, HandshakeTrafficSecrets, MainSecret,
};
pub use traffic::{ApplicationTrafficSecret, TrafficKeys, TrafficSecret};

/// `HKDF-Expand-Label(Secret, Label, Context, Length)` (RFC 9846 §7.1), writing `Length =
/// out.len()` bytes into `out`.
///
/// ```text
///   HKDF-Expand-Label(Secret, Label, Context, Length) = HKDF-Expand(Secret, HkdfLabel, Length)
///
///   struct {
///       uint16 length = Length;
///       opaque label<7..255> = "tls13 " + Label;
///       opaque context<0..255> = Context;
///   } HkdfLabel;
/// ```
///
/// `label` is given without the `"tls13 "` prefix. A label longer than 249 bytes, a context
/// longer than 255 bytes, or a length over 65535 do not fit `HkdfLabel` and give
/// [`CryptoError::BadLength`], as does a length HKDF-Expand cannot produce.
pub fn hkdf_expand_label(
    provider: &dyn CryptoProvider,
    hash: HashAlgorithm,
    secret: &Secret,
    label: &[u8],
    context: &[u8],
    out: &mut [u8],
) -> Result<(), CryptoError> {
    let prk = provider.hkdf_prk(hash, secret.as_bytes())?;
    hkdf_expand_label_with(&*prk, label, context, out)
}

/// [`hkdf_expand_label`] from a PRK already keyed ([`CryptoProvider::hkdf_prk`]): for a
/// secret expanded more than once at a time.
pub fn hkdf_expand_label_with(
    prk: &dyn HkdfPrk,
    label: &[u8],
    context: &[u8],
    out: &mut [u8],
) -> Result<(), CryptoError> {
    let mut header = [0u8; 4];
    let info = hkdf_label(&mut header, label, context, out.len())?;
    prk.expand(&info, out)
}

/// The `HkdfLabel` struct, serialized in pieces (no allocation, and a secret-free info):
/// `header` receives its length, label-length and context-length bytes.
fn hkdf_label<'a>(
    header: &'a mut [u8; 4],
    label: &'a [u8],
    context: &'a [u8],
    length: usize,
) -> Result<[&'a [u8]; 6], CryptoError> {
    const PREFIX: &[u8] = b"tls13 ";
    let length = u16::try_from(length).map_err(|_| CryptoError::BadLength)?;
    let label_len = u8::try_from(PREFIX.len() + label.len()).map_err(|_| CryptoError::BadLength)?;
    let context_len = u8::try_from(context.len()).map_err(|_| CryptoError::BadLength)?;
    let [length_high, length_low] = length.to_be_bytes();
    *header = [length_high, length_low, label_len, context_len];
    let header: &'a [u8; 4] = header;
    Ok([
        &header[..2],
        &header[2..3],
        PREFIX,
        label,
        &header[3..],
        context,
    ])
}

/// `HKDF-Expand-Label(secret, label, context, Hash.length)`: the shape of every secret the
/// schedule derives.
fn expand_to_secret(
    provider: &dyn CryptoProvider,
    hash: HashAlgorithm,
    secret: &Secret,
    label: &[u8],
    context: &[u8],
) -> Result<Secret, CryptoError> {
    secret_of_hash_length(hash, |out| {
        hkdf_expand_label(provider, hash, secret, label, context, out)
    })
}

/// A secret of Hash.length bytes written by `fill`; the stack copy is zeroized.
fn secret_of_hash_length(
    hash: HashAlgorithm,
    fill: impl FnOnce(&mut [u8]) -> Result<(), CryptoError>,
) -> Result<Secret, CryptoError> {
    let mut out = [0u8; crate::crypto::MAX_HASH_LEN];
    let len = hash.output_len();
    let result = fill(&mut out[..len]).map(|()| Secret::new(&out[..len]));
    zeroize::Zeroize::zeroize(&mut out);
    result
}

/// `Derive-Secret(Secret, Label, Messages)` (RFC 9846 §7.1), given
/// `Transcript-Hash(Messages)`:
///
/// ```text
///   Derive-Secret(Secret, Label, Messages) =
///        HKDF-Expand-Label(Secret, Label, Transcript-Hash(Messages), Hash.length)
/// ```
pub fn derive_secret(
    provider: &dyn CryptoProvider,
    hash: HashAlgorithm,
    secret: &Secret,
    label: &[u8],
    transcript_hash: &HashOutput,
) -> Result<Secret, CryptoError> {
    expand_to_secret(provider, hash, secret, label, transcript_hash.as_bytes())
}

/// `Transcript-Hash()` of no messages, `Hash("")`: the Messages of every `Derive-Secret(.,
/// "derived", "")` and of the exporter's inner Derive-Secret (RFC 9846 §7.1, §7.5).
pub fn empty_transcript_hash(provider: &dyn CryptoProvider, hash: HashAlgorithm) -> HashOutput {
    provider.hash(hash).current()
}

/// `HKDF-Expand-Label(secret, label, context, Hash.length)` under the HKDF label of
/// `label`, from `prk` (the secret, keyed), reported to `observe`: every secret of the
/// schedule after an Extract is made here. For a Derive-Secret, `context` is the
/// transcript hash.
fn expand_reported(
    prk: &dyn HkdfPrk,
    hash: HashAlgorithm,
    label: SecretLabel,
    context: &[u8],
    observe: &mut dyn FnMut(SecretLabel, &Secret),
) -> Result<Secret, CryptoError> {
    // Only expanded secrets come here; an Extract output (no HKDF label) never does.
    let text = label.hkdf_label().ok_or(CryptoError::Unsupported)?;
    let derived = secret_of_hash_length(hash, |out| {
        hkdf_expand_label_with(prk, text.as_bytes(), context, out)
    })?;
    observe(label, &derived);
    Ok(derived)
}

/// Collects every reported secret, in order: a ready-made observer for tests and tools.
#[derive(Debug, Default)]
pub struct SecretLog {
    /// The reported secrets, oldest first.
    pub entries: Vec<(SecretLabel, Secret)>,
}

impl SecretLog {
    /// The observer that appends to this log.
    pub fn observer(&mut self) -> impl FnMut(SecretLabel, &Secret) + '_ {
        |label, secret| self.entries.push((label, secret.clone()))
    }

    /// The most recent secret reported under `label`.
    pub fn get(&self, label: SecretLabel) -> Option<&Secret> {
        self.entries
            .iter()
            .rev()
            .find(|(l, _)| *l == label)
            .map(|(_, s)| s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::RustCryptoProvider;

    #[test]
    fn test_hkdf_label_bounds() {
        let provider = RustCryptoProvider;
        let secret = Secret::zeros(32);
        let mut out = [0u8; 32];
        let expand = |label: &[u8], context: &[u8], out: &mut [u8]| {
            hkdf_expand_label(
                &provider,
                HashAlgorithm::Sha256,
                &secret,
                label,
                context,
                out,
            )
        };
        // opaque label<7..255> holds "tls13 " + Label: at most 249 bytes of Label.
        assert!(expand(&[b'a'; 249], b"", &mut out).is_ok());
        assert_eq!(
            expand(&[b'a'; 250], b"", &mut out),
            Err(CryptoError::BadLength)
        );
        // opaque context<0..255>.
        assert!(expand(b"key", &[0; 255], &mut out).is_ok());
        assert_eq!(
            expand(b"key", &[0; 256], &mut out),
            Err(CryptoError::BadLength)
        );
        // uint16 length, and HKDF-Expand's own limit of 255 × Hash.length.
        let mut long = alloc::vec![0u8; 255 * 32 + 1];
        assert_eq!(expand(b"key", b"", &mut long), Err(CryptoError::BadLength));
    }
}
