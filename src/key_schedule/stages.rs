//! The three stages of the key schedule (RFC 9846 §7.1), each holding one secret of the
//! left side of the diagram in [the module doc](super): [`EarlySecret`] →
//! [`HandshakeSecret`] → [`MainSecret`]. Each stage derives only the working secrets that
//! RFC 9846 takes from its secret, and moving on consumes it.

use crate::crypto::{CryptoError, CryptoProvider, HashAlgorithm, HashOutput, Secret};

use super::{
    ApplicationTrafficSecret, BinderKey, ExporterSecret, PskKind, ResumptionSecret, SecretLabel,
    TrafficSecret, empty_transcript_hash, expand_reported, without_psk,
};

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
    let prk = provider.hkdf_prk(hash, previous.as_bytes())?;
    let empty = without_psk::empty_hash(hash);
    let salt = expand_reported(&*prk, hash, derived_label, empty, observe)?;
    Ok(extract_reported(
        provider, hash, &salt, ikm, next_label, observe,
    ))
}

/// [`extract`], reporting the result under `label`.
fn extract_reported(
    provider: &dyn CryptoProvider,
    hash: HashAlgorithm,
    salt: &Secret,
    ikm: Option<&Secret>,
    label: SecretLabel,
    observe: &mut dyn FnMut(SecretLabel, &Secret),
) -> Secret {
    let next = extract(provider, hash, salt, ikm);
    observe(label, &next);
    next
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
    /// Made without a PSK: the secret and the next salt are constants ([`without_psk`]).
    without_psk: bool,
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
        let secret = match psk {
            // HKDF-Extract(0, 0), the same in every handshake without a PSK.
            None => Secret::new(without_psk::early_secret(hash)),
            Some(psk) => extract(provider, hash, &Secret::zeros(hash.output_len()), Some(psk)),
        };
        observe(SecretLabel::EarlySecret, &secret);
        Self {
            hash,
            secret,
            without_psk: psk.is_none(),
        }
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
        let secret = if self.without_psk {
            // Derive-Secret(HKDF-Extract(0, 0), "derived", ""): a constant too.
            let salt = Secret::new(without_psk::derived_salt(self.hash));
            observe(labels.0, &salt);
            extract_reported(provider, self.hash, &salt, shared_secret, labels.1, observe)
        } else {
            extract_next(
                provider,
                self.hash,
                &self.secret,
                shared_secret,
                labels,
                observe,
            )?
        };
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
        let prk = provider.hkdf_prk(self.hash, self.secret.as_bytes())?;
        expand_reported(&*prk, self.hash, label, context, observe)
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
        // One keyed PRK for both secrets.
        let prk = provider.hkdf_prk(self.hash, self.secret.as_bytes())?;
        let mut derive = |label: SecretLabel| {
            let context = hello_hash.as_bytes();
            expand_reported(&*prk, self.hash, label, context, observe)
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
        // One keyed PRK for the three secrets.
        let prk = provider.hkdf_prk(self.hash, self.secret.as_bytes())?;
        let mut derive = |label: SecretLabel| {
            let context = server_finished_hash.as_bytes();
            expand_reported(&*prk, self.hash, label, context, observe)
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
        let prk = provider.hkdf_prk(self.hash, self.secret.as_bytes())?;
        let secret = expand_reported(&*prk, self.hash, label, context, observe)?;
        Ok(ResumptionSecret::new(self.hash, secret))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rustcrypto::RustCryptoProvider;
    use crate::key_schedule::SecretLog;
    use crate::wire::alert::AlertDescription;
    use alloc::vec::Vec;

    #[test]
    fn test_schedule_without_psk_reports_in_rfc_order() {
        let provider = RustCryptoProvider;
        let hash = HashOutput::new(&[7; 32]);
        let mut log = SecretLog::default();
        let mut observe = log.observer();
        let early = EarlySecret::new(&provider, HashAlgorithm::Sha256, None, &mut observe);
        let handshake = early.into_handshake(&provider, None, &mut observe).unwrap();
        handshake
            .traffic_secrets(&provider, &hash, &mut observe)
            .unwrap();
        let main = handshake.into_main(&provider, &mut observe).unwrap();
        main.application_secrets(&provider, &hash, &mut observe)
            .unwrap();
        main.into_resumption_secret(&provider, &hash, &mut observe)
            .unwrap();
        drop(observe);
        let labels: Vec<SecretLabel> = log.entries.iter().map(|(label, _)| *label).collect();
        assert_eq!(
            labels,
            [
                SecretLabel::EarlySecret,
                SecretLabel::DerivedForHandshake,
                SecretLabel::HandshakeSecret,
                SecretLabel::ClientHandshakeTraffic,
                SecretLabel::ServerHandshakeTraffic,
                SecretLabel::DerivedForMain,
                SecretLabel::MainSecret,
                SecretLabel::ClientApplicationTraffic(0),
                SecretLabel::ServerApplicationTraffic(0),
                SecretLabel::Exporter,
                SecretLabel::Resumption,
            ]
        );
        // RFC 8448 §3: the Early Secret without a PSK is HKDF-Extract(0, 0) for SHA-256.
        let early_secret = log.get(SecretLabel::EarlySecret).unwrap();
        let rfc8448 = [
            0x33, 0xad, 0x0a, 0x1c, 0x60, 0x7e, 0xc0, 0x3b, 0x09, 0xe6, 0xcd, 0x98, 0x93, 0x68,
            0x0c, 0xe2, 0x10, 0xad, 0xf3, 0x00, 0xaa, 0x1f, 0x26, 0x60, 0xe1, 0xb2, 0x2e, 0x10,
            0xf1, 0x70, 0xf9, 0x2a,
        ];
        assert_eq!(early_secret.as_bytes(), rfc8448);
    }

    #[test]
    fn test_bad_finished_and_binder_are_decrypt_errors() {
        let provider = RustCryptoProvider;
        let hash = HashOutput::new(&[1; 32]);
        let ignore = &mut |_: SecretLabel, _: &Secret| {};
        let early = EarlySecret::new(&provider, HashAlgorithm::Sha256, None, ignore);
        let binder_key = early
            .binder_key(&provider, PskKind::External, ignore)
            .unwrap();
        let binder = binder_key.binder(&provider, &hash).unwrap();
        assert_eq!(
            binder_key.verify_binder(&provider, &hash, binder.as_bytes()),
            Ok(())
        );
        let err = binder_key
            .verify_binder(&provider, &hash, &[0; 32])
            .unwrap_err();
        assert_eq!(err.alert(), Some(AlertDescription::DecryptError));

        let handshake = early.into_handshake(&provider, None, ignore).unwrap();
        let secrets = handshake.traffic_secrets(&provider, &hash, ignore).unwrap();
        let mac = secrets
            .server
            .finished_verify_data(&provider, &hash)
            .unwrap();
        // The client's key does not verify the server's Finished.
        let err = secrets
            .client
            .verify_finished(&provider, &hash, mac.as_bytes())
            .unwrap_err();
        assert_eq!(err.alert(), Some(AlertDescription::DecryptError));
        // Nor does a truncated verify_data.
        let short = &mac.as_bytes()[..31];
        assert!(
            secrets
                .server
                .verify_finished(&provider, &hash, short)
                .is_err()
        );
    }

    #[test]
    fn test_next_generation_keeps_the_sender() {
        let provider = RustCryptoProvider;
        let hash = HashOutput::new(&[3; 32]);
        let ignore = &mut |_: SecretLabel, _: &Secret| {};
        let early = EarlySecret::new(&provider, HashAlgorithm::Sha256, None, ignore);
        let main = early
            .into_handshake(&provider, None, ignore)
            .unwrap()
            .into_main(&provider, ignore)
            .unwrap();
        let app = main.application_secrets(&provider, &hash, ignore).unwrap();
        let server1 = app.server.next_generation(&provider, ignore).unwrap();
        let server2 = server1.next_generation(&provider, ignore).unwrap();
        assert_eq!(server2.generation(), 2);
        assert_eq!(
            server2.traffic().label(),
            SecretLabel::ServerApplicationTraffic(2)
        );
        assert_eq!(server2.traffic().label().hkdf_label(), Some("traffic upd"));
    }
}
