//! NSS key log lines (the `SSLKEYLOGFILE` format Wireshark reads), built on the secrets the
//! key schedule reports.
//!
//! ```text
//!   <LABEL> <client_random, 64 hex digits> <secret, hex>
//!   CLIENT_HANDSHAKE_TRAFFIC_SECRET cb34ecb1... b3eddb12...
//! ```
//!
//! The labels are those of [`SecretLabel::keylog_label`]: CLIENT_EARLY_TRAFFIC_SECRET,
//! CLIENT_HANDSHAKE_TRAFFIC_SECRET, SERVER_HANDSHAKE_TRAFFIC_SECRET, CLIENT_TRAFFIC_SECRET_0,
//! SERVER_TRAFFIC_SECRET_0, EXPORTER_SECRET (and EARLY_EXPORTER_SECRET). Each line is keyed
//! by the ClientHello's random, which is how a reader of a capture finds the connection.
//!
//! Without `std` a key log is anything implementing [`KeyLog`] (a callback); with `std`,
//! `KeyLogFile` appends lines to a file, and `KeyLogFile::from_env` opens the file the
//! `SSLKEYLOGFILE` environment variable names: the only place lucid-tls reads the
//! environment, and only when the caller asks.
//!
//! A key log lets anyone holding it decrypt the connection: use it for debugging only.

use alloc::string::String;

use crate::crypto::Secret;
use crate::key_schedule::SecretLabel;

/// Receives key log entries. One key log may be shared by every connection of a config,
/// hence `&self`: an implementation that keeps state uses its own interior mutability.
pub trait KeyLog: Send + Sync {
    /// Records that the connection whose ClientHello.random is `client_random` has the
    /// secret `label` (an NSS key log label) equal to `secret`.
    fn log(&self, label: &str, client_random: &[u8; 32], secret: &[u8]);
}

/// The key log label of `label` and, if the secret goes into key logs at all, the line
/// `LABEL client_random secret` (without the newline).
pub fn keylog_line(
    label: SecretLabel,
    client_random: &[u8; 32],
    secret: &Secret,
) -> Option<String> {
    let name = label.keylog_label()?;
    Some(format_line(name, client_random, secret.as_bytes()))
}

/// `label client_random secret` in the NSS format, hex in lower case.
pub fn format_line(label: &str, client_random: &[u8; 32], secret: &[u8]) -> String {
    let mut line = String::with_capacity(label.len() + 2 + 64 + 2 * secret.len());
    line.push_str(label);
    line.push(' ');
    push_hex(&mut line, client_random);
    line.push(' ');
    push_hex(&mut line, secret);
    line
}

fn push_hex(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
}

/// A key log that appends NSS lines to a file (requires the `std` feature).
#[cfg(feature = "std")]
#[derive(Debug)]
pub struct KeyLogFile {
    file: std::sync::Mutex<std::fs::File>,
}

#[cfg(feature = "std")]
impl KeyLogFile {
    /// Opens (creating if needed) `path` for appending.
    pub fn append_to(path: impl AsRef<std::path::Path>) -> std::io::Result<Self> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        Ok(Self {
            file: std::sync::Mutex::new(file),
        })
    }

    /// Opens the file named by the `SSLKEYLOGFILE` environment variable, or `None` if it is
    /// unset or cannot be opened.
    pub fn from_env() -> Option<Self> {
        let path = std::env::var_os("SSLKEYLOGFILE")?;
        Self::append_to(path).ok()
    }
}

#[cfg(feature = "std")]
impl KeyLog for KeyLogFile {
    fn log(&self, label: &str, client_random: &[u8; 32], secret: &[u8]) {
        use std::io::Write;
        let line = format_line(label, client_random, secret);
        if let Ok(mut file) = self.file.lock() {
            // A key log is a debugging aid: failing to write one must not fail the connection.
            let _ = writeln!(file, "{line}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_emit_nss_line() {
        let random = [0xcb; 32];
        let secret = Secret::new(&[0x01, 0xab, 0xff]);
        let line = keylog_line(SecretLabel::ClientHandshakeTraffic, &random, &secret).unwrap();
        let expected = alloc::format!("CLIENT_HANDSHAKE_TRAFFIC_SECRET {} 01abff", "cb".repeat(32));
        assert_eq!(line, expected);
        // Secrets outside the key log format give no line.
        assert!(keylog_line(SecretLabel::MainSecret, &random, &secret).is_none());
        assert!(keylog_line(SecretLabel::ClientApplicationTraffic(1), &random, &secret).is_none());
    }

    #[cfg(feature = "std")]
    #[test]
    fn test_key_log_file_appends_lines() {
        let path = std::env::temp_dir().join(alloc::format!(
            "lucid-tls-keylog-test-{}.txt",
            std::process::id()
        ));
        let _ = std::fs::remove_file(&path);
        let log = KeyLogFile::append_to(&path).unwrap();
        log.log("EXPORTER_SECRET", &[0; 32], &[0x11; 2]);
        log.log("SERVER_TRAFFIC_SECRET_0", &[1; 32], &[0x22; 2]);
        let text = std::fs::read_to_string(&path).unwrap();
        let _ = std::fs::remove_file(&path);
        let lines: std::vec::Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(
            lines[0],
            alloc::format!("EXPORTER_SECRET {} 1111", "00".repeat(32))
        );
        assert!(lines[1].starts_with("SERVER_TRAFFIC_SECRET_0 0101"));
    }
}
