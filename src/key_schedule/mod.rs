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
//!                            salt: 0
//!                               |
//!   PSK (or 0) ------> HKDF-Extract                                        [EarlySecret]
//!                               |= Early Secret
//!                               |
//!                               +- "ext binder"/"res binder", ()             -> binder_key
//!                               +- "c e traffic",  (CH)            -> client_early_traffic_secret
//!                               +- "e exp master", (CH)                -> early_exporter_secret
//!                               |
//!                        "derived", ()
//!                               | (salt)
//!   (EC)DHE shared --> HKDF-Extract                                    [HandshakeSecret]
//!   secret (or 0)               |= Handshake Secret
//!                               |
//!                               +- "c hs traffic", (CH..SH)   -> client_handshake_traffic_secret
//!                               +- "s hs traffic", (CH..SH)   -> server_handshake_traffic_secret
//!                               |
//!                        "derived", ()
//!                               | (salt)
//!   0 ---------------> HKDF-Extract                                         [MainSecret]
//!                               |= Main Secret
//!                               |
//!                               +- "c ap traffic", (CH..server Fin) -> client_application_
//!                               |                                        traffic_secret_0
//!                               +- "s ap traffic", (CH..server Fin) -> server_application_
//!                               |                                        traffic_secret_0
//!                               +- "exp master",   (CH..server Fin)      -> exporter_secret
//!                               '- "res master",   (CH..client Fin)    -> resumption_secret
//!
//!   each "+- label, (messages)" is Derive-Secret(secret above, label, Messages), that is
//!   HKDF-Expand-Label(secret, label, Transcript-Hash(Messages), Hash.length); "()" is the
//!   empty transcript, whose hash is Hash("").
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
//! | stage               | made by                              | derives                     |
//! |---------------------|--------------------------------------|-----------------------------|
//! | [`EarlySecret`]     | [`EarlySecret::new`] (PSK or none)   | binder key, 0-RTT secrets   |
//! | [`HandshakeSecret`] | [`EarlySecret::into_handshake`]      | handshake traffic secrets   |
//! | [`MainSecret`]      | [`HandshakeSecret::into_main`]       | application, exporter, resumption secrets |
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

use crate::crypto::{CryptoError, CryptoProvider, HashAlgorithm, HashOutput, Secret};

mod exporter;
mod finished;
mod labels;
mod resumption;
mod traffic;

pub use exporter::ExporterSecret;
pub use finished::{BinderKey, PskKind};
pub use labels::SecretLabel;
pub use resumption::ResumptionSecret;
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
    const PREFIX: &[u8] = b"tls13 ";
    let length = u16::try_from(out.len()).map_err(|_| CryptoError::BadLength)?;
    let label_len = u8::try_from(PREFIX.len() + label.len()).map_err(|_| CryptoError::BadLength)?;
    let context_len = u8::try_from(context.len()).map_err(|_| CryptoError::BadLength)?;
    // The HkdfLabel struct, serialized in pieces: no allocation, and a secret-free info.
    let info: [&[u8]; 6] = [
        &length.to_be_bytes(),
        &[label_len],
        PREFIX,
        label,
        &[context_len],
        context,
    ];
    provider.hkdf_expand(hash, secret.as_bytes(), &info, out)
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
    let mut out = [0u8; crate::crypto::MAX_HASH_LEN];
    let len = hash.output_len();
    let result = hkdf_expand_label(provider, hash, secret, label, context, &mut out[..len])
        .map(|()| Secret::new(&out[..len]));
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

/// One step down the schedule's left side: `Derive-Secret(previous, "derived", "")` becomes
/// the salt, and `ikm` (or Hash.length zeros) the input keying material, of the next
/// HKDF-Extract. Reports the salt under `derived_label`, then the result under `next_label`.
fn extract_next(
    provider: &dyn CryptoProvider,
    hash: HashAlgorithm,
    previous: &Secret,
    ikm: Option<&Secret>,
    (derived_label, next_label): (SecretLabel, SecretLabel),
    observe: &mut dyn FnMut(SecretLabel, &Secret),
) -> Result<Secret, CryptoError> {
    let empty = empty_transcript_hash(provider, hash);
    let salt = expand_reported(
        provider,
        hash,
        previous,
        derived_label,
        empty.as_bytes(),
        observe,
    )?;
    let next = extract(provider, hash, &salt, ikm);
    observe(next_label, &next);
    Ok(next)
}

/// `HKDF-Extract(salt, ikm)`, where a missing `ikm` is RFC 9846 §7.1's 0 value: "If a given
/// secret is not available, then the 0-value consisting of a string of Hash.length bytes set
/// to zeros is used."
fn extract(
    provider: &dyn CryptoProvider,
    hash: HashAlgorithm,
    salt: &Secret,
    ikm: Option<&Secret>,
) -> Secret {
    let zeros = Secret::zeros(hash.output_len());
    let ikm = ikm.unwrap_or(&zeros);
    provider.hkdf_extract(hash, salt.as_bytes(), ikm.as_bytes())
}

/// The first stage: `Early Secret = HKDF-Extract(0, PSK)`.
///
/// Derives what depends only on the PSK and the ClientHello: the binder key and the 0-RTT
/// secrets. Without a PSK it is still computed (from zeros), because the next stages extract
/// on top of it. RFC 9846 §7.1: "this does not mean skipping rounds, so if PSK is not in use,
/// Early Secret will still be HKDF-Extract(0, 0)."
#[derive(Debug)]
pub struct EarlySecret {
    hash: HashAlgorithm,
    secret: Secret,
}

impl EarlySecret {
    /// Starts the schedule for `hash` (the suite's hash, or the PSK's hash for binders)
    /// with the PSK, or with none. Reports [`SecretLabel::EarlySecret`].
    ///
    /// A client offering several PSKs makes one `EarlySecret` per PSK to compute their
    /// binders, and a fresh one for the PSK the server selects (or none). RFC 9846 §7.1:
    /// "The client will need to compute one for each potential PSK; if no PSK is selected,
    /// it will then need to compute the Early Secret corresponding to the zero PSK."
    pub fn new(
        provider: &dyn CryptoProvider,
        hash: HashAlgorithm,
        psk: Option<&Secret>,
        observe: &mut dyn FnMut(SecretLabel, &Secret),
    ) -> Self {
        let salt = Secret::zeros(hash.output_len());
        let secret = extract(provider, hash, &salt, psk);
        observe(SecretLabel::EarlySecret, &secret);
        Self { hash, secret }
    }

    /// The hash function of this schedule.
    pub fn hash_algorithm(&self) -> HashAlgorithm {
        self.hash
    }

    /// `binder_key = Derive-Secret(Early Secret, "ext binder" | "res binder", "")`.
    ///
    /// RFC 9846 §7.1: "the label is "ext binder" for external PSKs (those provisioned outside
    /// of TLS) and "res binder" for resumption PSKs ... The different labels prevent the
    /// substitution of one type of PSK for the other."
    pub fn binder_key(
        &self,
        provider: &dyn CryptoProvider,
        kind: PskKind,
        observe: &mut dyn FnMut(SecretLabel, &Secret),
    ) -> Result<BinderKey, CryptoError> {
        let empty = empty_transcript_hash(provider, self.hash);
        let secret = self.derive(provider, kind.label(), &empty, observe)?;
        Ok(BinderKey::new(kind, self.hash, secret))
    }

    /// `client_early_traffic_secret = Derive-Secret(Early Secret, "c e traffic",
    /// ClientHello)`, which protects 0-RTT data and EndOfEarlyData (RFC 9846 §7.3).
    pub fn client_early_traffic_secret(
        &self,
        provider: &dyn CryptoProvider,
        client_hello_hash: &HashOutput,
        observe: &mut dyn FnMut(SecretLabel, &Secret),
    ) -> Result<TrafficSecret, CryptoError> {
        let label = SecretLabel::ClientEarlyTraffic;
        let secret = self.derive(provider, label, client_hello_hash, observe)?;
        Ok(TrafficSecret::new(label, self.hash, secret))
    }

    /// `early_exporter_secret = Derive-Secret(Early Secret, "e exp master", ClientHello)`.
    pub fn early_exporter_secret(
        &self,
        provider: &dyn CryptoProvider,
        client_hello_hash: &HashOutput,
        observe: &mut dyn FnMut(SecretLabel, &Secret),
    ) -> Result<ExporterSecret, CryptoError> {
        let label = SecretLabel::EarlyExporter;
        let secret = self.derive(provider, label, client_hello_hash, observe)?;
        Ok(ExporterSecret::new(label, self.hash, secret))
    }

    /// The next stage: `Handshake Secret = HKDF-Extract(Derive-Secret(Early Secret,
    /// "derived", ""), shared_secret)`, with `None` for the 0 value of a `psk_ke` handshake,
    /// which has no (EC)DHE (RFC 9846 §4.3.9). Reports the salt and the Handshake Secret.
    pub fn into_handshake(
        self,
        provider: &dyn CryptoProvider,
        shared_secret: Option<&Secret>,
        observe: &mut dyn FnMut(SecretLabel, &Secret),
    ) -> Result<HandshakeSecret, CryptoError> {
        let labels = (
            SecretLabel::DerivedForHandshake,
            SecretLabel::HandshakeSecret,
        );
        let secret = extract_next(
            provider,
            self.hash,
            &self.secret,
            shared_secret,
            labels,
            observe,
        )?;
        Ok(HandshakeSecret {
            hash: self.hash,
            secret,
        })
    }

    fn derive(
        &self,
        provider: &dyn CryptoProvider,
        label: SecretLabel,
        transcript_hash: &HashOutput,
        observe: &mut dyn FnMut(SecretLabel, &Secret),
    ) -> Result<Secret, CryptoError> {
        let context = transcript_hash.as_bytes();
        expand_reported(provider, self.hash, &self.secret, label, context, observe)
    }
}

/// The second stage: the Handshake Secret, which has the (EC)DHE shared secret mixed in.
#[derive(Debug)]
pub struct HandshakeSecret {
    hash: HashAlgorithm,
    secret: Secret,
}

/// The two handshake traffic secrets, derived together from the same transcript.
#[derive(Debug)]
pub struct HandshakeTrafficSecrets {
    /// `client_handshake_traffic_secret`.
    pub client: TrafficSecret,
    /// `server_handshake_traffic_secret`.
    pub server: TrafficSecret,
}

impl HandshakeSecret {
    /// The hash function of this schedule.
    pub fn hash_algorithm(&self) -> HashAlgorithm {
        self.hash
    }

    /// `[sender]_handshake_traffic_secret = Derive-Secret(Handshake Secret,
    /// "c hs traffic" | "s hs traffic", ClientHello...ServerHello)`. Reports the client's,
    /// then the server's.
    pub fn traffic_secrets(
        &self,
        provider: &dyn CryptoProvider,
        hello_hash: &HashOutput,
        observe: &mut dyn FnMut(SecretLabel, &Secret),
    ) -> Result<HandshakeTrafficSecrets, CryptoError> {
        let mut derive = |label: SecretLabel| {
            let context = hello_hash.as_bytes();
            expand_reported(provider, self.hash, &self.secret, label, context, observe)
                .map(|secret| TrafficSecret::new(label, self.hash, secret))
        };
        Ok(HandshakeTrafficSecrets {
            client: derive(SecretLabel::ClientHandshakeTraffic)?,
            server: derive(SecretLabel::ServerHandshakeTraffic)?,
        })
    }

    /// The next stage: `Main Secret = HKDF-Extract(Derive-Secret(Handshake Secret,
    /// "derived", ""), 0)`. Reports the salt and the Main Secret.
    pub fn into_main(
        self,
        provider: &dyn CryptoProvider,
        observe: &mut dyn FnMut(SecretLabel, &Secret),
    ) -> Result<MainSecret, CryptoError> {
        let labels = (SecretLabel::DerivedForMain, SecretLabel::MainSecret);
        let secret = extract_next(provider, self.hash, &self.secret, None, labels, observe)?;
        Ok(MainSecret {
            hash: self.hash,
            secret,
        })
    }
}

/// The last stage: the Main Secret (RFC 8446's "master secret").
#[derive(Debug)]
pub struct MainSecret {
    hash: HashAlgorithm,
    secret: Secret,
}

/// What the Main Secret yields once the server's Finished is in the transcript.
#[derive(Debug)]
pub struct ApplicationSecrets {
    /// `client_application_traffic_secret_0`.
    pub client: ApplicationTrafficSecret,
    /// `server_application_traffic_secret_0`.
    pub server: ApplicationTrafficSecret,
    /// `exporter_secret`.
    pub exporter: ExporterSecret,
}

impl MainSecret {
    /// The hash function of this schedule.
    pub fn hash_algorithm(&self) -> HashAlgorithm {
        self.hash
    }

    /// `client_application_traffic_secret_0`, `server_application_traffic_secret_0` and
    /// `exporter_secret`: `Derive-Secret(Main Secret, "c ap traffic" | "s ap traffic" |
    /// "exp master", ClientHello...server Finished)`. Reports them in that order.
    pub fn application_secrets(
        &self,
        provider: &dyn CryptoProvider,
        server_finished_hash: &HashOutput,
        observe: &mut dyn FnMut(SecretLabel, &Secret),
    ) -> Result<ApplicationSecrets, CryptoError> {
        let mut derive = |label: SecretLabel| {
            let context = server_finished_hash.as_bytes();
            expand_reported(provider, self.hash, &self.secret, label, context, observe)
        };
        let client = SecretLabel::ClientApplicationTraffic(0);
        let server = SecretLabel::ServerApplicationTraffic(0);
        Ok(ApplicationSecrets {
            client: ApplicationTrafficSecret::first(client, self.hash, derive(client)?),
            server: ApplicationTrafficSecret::first(server, self.hash, derive(server)?),
            exporter: ExporterSecret::new(
                SecretLabel::Exporter,
                self.hash,
                derive(SecretLabel::Exporter)?,
            ),
        })
    }

    /// `resumption_secret = Derive-Secret(Main Secret, "res master", ClientHello...client
    /// Finished)`: the last secret derived from the Main Secret, which is consumed and
    /// erased. Reports [`SecretLabel::Resumption`].
    pub fn into_resumption_secret(
        self,
        provider: &dyn CryptoProvider,
        client_finished_hash: &HashOutput,
        observe: &mut dyn FnMut(SecretLabel, &Secret),
    ) -> Result<ResumptionSecret, CryptoError> {
        let label = SecretLabel::Resumption;
        let context = client_finished_hash.as_bytes();
        let secret = expand_reported(provider, self.hash, &self.secret, label, context, observe)?;
        Ok(ResumptionSecret::new(self.hash, secret))
    }
}

/// `HKDF-Expand-Label(secret, label, context, Hash.length)` under the HKDF label of
/// `label`, reported to `observe`: every secret of the schedule after an Extract is made
/// here. For a Derive-Secret, `context` is the transcript hash.
fn expand_reported(
    provider: &dyn CryptoProvider,
    hash: HashAlgorithm,
    secret: &Secret,
    label: SecretLabel,
    context: &[u8],
    observe: &mut dyn FnMut(SecretLabel, &Secret),
) -> Result<Secret, CryptoError> {
    // Only expanded secrets come here; an Extract output (no HKDF label) never does.
    let text = label.hkdf_label().ok_or(CryptoError::Unsupported)?;
    let derived = expand_to_secret(provider, hash, secret, text.as_bytes(), context)?;
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
