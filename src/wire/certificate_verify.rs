//! CertificateVerify (RFC 9846 §4.5.2): a signature proving the sender holds the private key
//! of the certificate it just sent, over the transcript so far.
//!
//! ```text
//! struct {
//!     SignatureScheme algorithm;
//!     opaque signature<0..2^16-1>;
//! } CertificateVerify;
//! ```
//!
//! Besides the message, this module builds the bytes that are signed
//! ([`signed_content`]): 64 spaces, a context string naming the signer's role, a zero byte,
//! and the transcript hash. It does not sign or verify; that is the crypto provider, and
//! checking that `algorithm` was offered and fits the certificate's key is the engine's job.

use alloc::vec::Vec;

use crate::codec::{DecodeError, Reader, Writer};
use crate::wire::algorithms::SignatureScheme;

/// RFC 9846 §4.5.2: the CertificateVerify message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateVerify {
    /// `algorithm`: the signature scheme used.
    pub algorithm: SignatureScheme,
    /// `signature`: the signature over [`signed_content`].
    pub signature: Vec<u8>,
}

impl CertificateVerify {
    /// Decodes a CertificateVerify body.
    pub fn decode(body: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(body);
        let algorithm = SignatureScheme::from_u16(r.u16()?);
        let signature = r.vec_u16(0, 0xffff)?.to_vec();
        r.finish()?;
        Ok(Self {
            algorithm,
            signature,
        })
    }

    /// Appends the CertificateVerify body.
    pub fn encode(&self, w: &mut Writer) {
        w.u16(self.algorithm.to_u16());
        w.vec_u16(&self.signature);
    }
}

/// Which side signs: the context string differs so that a server's signature can never be
/// replayed as a client's, or the other way round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signer {
    /// The server, authenticating in its first flight.
    Server,
    /// The client, answering a CertificateRequest.
    Client,
}

impl Signer {
    /// RFC 9846 §4.5.2: "The context string for a server signature is "TLS 1.3, server
    /// CertificateVerify". The context string for a client signature is "TLS 1.3, client
    /// CertificateVerify"."
    pub fn context_string(self) -> &'static [u8] {
        match self {
            Self::Server => b"TLS 1.3, server CertificateVerify",
            Self::Client => b"TLS 1.3, client CertificateVerify",
        }
    }
}

/// The bytes a CertificateVerify signature covers, for `transcript_hash` =
/// Transcript-Hash(Handshake Context, Certificate).
///
/// RFC 9846 §4.5.2: the digital signature is computed over the concatenation of "octet 32
/// (0x20) repeated 64 times", the context string, "A single 0 byte which serves as the
/// separator", and the content to be signed.
pub fn signed_content(signer: Signer, transcript_hash: &[u8]) -> Vec<u8> {
    let context = signer.context_string();
    let mut out = Vec::with_capacity(64 + context.len() + 1 + transcript_hash.len());
    out.extend_from_slice(&[0x20; 64]);
    out.extend_from_slice(context);
    out.push(0x00);
    out.extend_from_slice(transcript_hash);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::alert::AlertDescription;

    #[test]
    fn test_signed_content_matches_rfc9846_example() {
        // RFC 9846 §4.5.2: "if the transcript hash was 32 bytes of 01 [...] the content
        // covered by the digital signature for a server CertificateVerify would be:"
        let expected = hex::decode(
            "2020202020202020202020202020202020202020202020202020202020202020\
             2020202020202020202020202020202020202020202020202020202020202020\
             544c5320312e332c207365727665722043657274696669636174655665726966\
             79\
             00\
             0101010101010101010101010101010101010101010101010101010101010101",
        )
        .unwrap();
        assert_eq!(signed_content(Signer::Server, &[0x01; 32]), expected);
        let client = signed_content(Signer::Client, &[0x01; 32]);
        assert_eq!(client.len(), expected.len());
        assert_eq!(&client[64..79], b"TLS 1.3, client");
    }

    /// RFC 8448 §6, the server's ECDSA CertificateVerify, without its header.
    const CLIENT_AUTH_SERVER_CV: &str = "\
        040300473045022100d7a4d34bd54f55fee1a89625678c3dd5e5f60dac73ec940c5c7b9304a02084a9022028\
        9f595ed488b9ac689a3d192b1a8bb38f34af7874c059c9806a1f38269353e8";

    #[test]
    fn test_parse_rfc8448_certificate_verify() {
        let cv = CertificateVerify::decode(&hex::decode(CLIENT_AUTH_SERVER_CV).unwrap()).unwrap();
        assert_eq!(cv.algorithm, SignatureScheme::EcdsaSecp256r1Sha256);
        assert_eq!(cv.signature.len(), 0x47);
        // A DER ECDSA signature: SEQUENCE of 0x45 bytes.
        assert_eq!(cv.signature[..2], [0x30, 0x45]);
    }

    #[test]
    fn test_emit_rfc8448_certificate_verify() {
        let body = hex::decode(CLIENT_AUTH_SERVER_CV).unwrap();
        let mut w = Writer::new();
        CertificateVerify::decode(&body).unwrap().encode(&mut w);
        assert_eq!(w.finish().unwrap(), body);
    }

    #[test]
    fn test_parse_rejects_bad_lengths() {
        let body = hex::decode(CLIENT_AUTH_SERVER_CV).unwrap();
        let mut trailing = body.clone();
        trailing.push(0);
        for bad in [&body[..3], &body[..body.len() - 1], &trailing] {
            let err = CertificateVerify::decode(bad).unwrap_err();
            assert_eq!(err.alert, AlertDescription::DecodeError);
        }
    }
}
