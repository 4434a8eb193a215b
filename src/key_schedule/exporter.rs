//! Keying material exporters (RFC 9846 §7.5), over the `exporter_secret` or the
//! `early_exporter_secret`.
//!
//! ```text
//!   TLS-Exporter(label, context_value, key_length) =
//!       HKDF-Expand-Label(Derive-Secret(Secret, label, ""),
//!                         "exporter", Hash(context_value), key_length)
//! ```

use crate::crypto::{CryptoError, CryptoProvider, HashAlgorithm, Secret};

use super::{SecretLabel, derive_secret, empty_transcript_hash, hkdf_expand_label};

/// An exporter secret: [`SecretLabel::Exporter`] (from the Main Secret) or
/// [`SecretLabel::EarlyExporter`] (from the Early Secret, for use with 0-RTT).
///
/// RFC 9846 §7.5: "Implementations MUST use the exporter_secret unless explicitly specified
/// by the application." The two come from different methods of the key schedule and carry
/// their label, so an engine can keep them behind separate interfaces as §7.5 recommends.
#[derive(Clone, Debug)]
pub struct ExporterSecret {
    label: SecretLabel,
    hash: HashAlgorithm,
    secret: Secret,
}

impl ExporterSecret {
    pub(super) fn new(label: SecretLabel, hash: HashAlgorithm, secret: Secret) -> Self {
        Self {
            label,
            hash,
            secret,
        }
    }

    /// [`SecretLabel::Exporter`] or [`SecretLabel::EarlyExporter`].
    pub fn label(&self) -> SecretLabel {
        self.label
    }

    /// The secret's bytes, for trace events and key logs.
    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    /// `TLS-Exporter(label, context, out.len())`, written into `out`.
    ///
    /// RFC 9846 §7.5: "If no context is provided, the context_value is zero length.
    /// Consequently, providing no context computes the same value as providing an empty
    /// context." Pass `b""` for both. A `label` longer than 249 bytes or an `out` longer than
    /// 255 × Hash.length give [`CryptoError::BadLength`].
    pub fn export(
        &self,
        provider: &dyn CryptoProvider,
        label: &[u8],
        context: &[u8],
        out: &mut [u8],
    ) -> Result<(), CryptoError> {
        let empty = empty_transcript_hash(provider, self.hash);
        let per_label = derive_secret(provider, self.hash, &self.secret, label, &empty)?;
        let mut context_hash = provider.hash(self.hash);
        context_hash.update(context);
        let context_hash = context_hash.current();
        hkdf_expand_label(
            provider,
            self.hash,
            &per_label,
            b"exporter",
            context_hash.as_bytes(),
            out,
        )
    }
}
