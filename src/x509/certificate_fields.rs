//! The few fields of an X.509 certificate (RFC 5280 §4.1) that lucid-tls reads itself: the
//! issuer and subject names (as DER), the SubjectPublicKeyInfo, the extensions, and the
//! outer signatureAlgorithm.
//!
//! ```text
//!   Certificate  ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
//!   TBSCertificate ::= SEQUENCE {
//!       version [0] EXPLICIT OPTIONAL, serialNumber, signature, issuer, validity, subject,
//!       subjectPublicKeyInfo, issuerUniqueID [1] OPTIONAL, subjectUniqueID [2] OPTIONAL,
//!       extensions [3] EXPLICIT OPTIONAL }
//!   Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
//! ```
//!
//! The DER is walked field by field (with the `der` crate) and only these fields are
//! decoded: names, validity and other extensions stay bytes. Decoding whole certificates
//! (`x509-cert`'s `Certificate`) costs some 30 KB of flash on a microcontroller, for names
//! and times this crate never looks at (docs/embedded.md). Whether the certificate is
//! well-formed in full, valid and trusted is the validator's business (webpki, which parses
//! all of it).
//!
//! Not here: the meaning of the fields (see [`super::key_usage`], [`super::chain_schemes`],
//! `crate::connection::cert_verify`); the subject's names for the application
//! ([`super::PeerIdentity`], which decodes the whole certificate).

use x509_cert::der::asn1::{ObjectIdentifier, OctetStringRef};
use x509_cert::der::{self, Decode, Reader, SliceReader, Tag, TagNumber};
use x509_cert::spki::SubjectPublicKeyInfoRef;

/// The fields of one DER certificate, borrowed from it.
#[derive(Clone, Debug)]
pub struct CertificateFields<'a> {
    /// The issuer's Name, as DER (tag, length, value).
    pub issuer: &'a [u8],
    /// The subject's Name, as DER.
    pub subject: &'a [u8],
    /// The subject's public key and its algorithm.
    pub subject_public_key_info: SubjectPublicKeyInfoRef<'a>,
    /// The outer signatureAlgorithm (AlgorithmIdentifier), as DER.
    pub signature_algorithm: &'a [u8],
    /// The contents of the Extensions SEQUENCE, if the certificate has extensions.
    #[cfg_attr(not(feature = "x509"), allow(dead_code))] // keyUsage is read with `x509`
    extensions: Option<&'a [u8]>,
}

/// `[0]` and `[3]` EXPLICIT: version and extensions.
const VERSION: Tag = Tag::ContextSpecific {
    constructed: true,
    number: TagNumber(0),
};
const EXTENSIONS: Tag = Tag::ContextSpecific {
    constructed: true,
    number: TagNumber(3),
};

impl<'a> CertificateFields<'a> {
    /// Reads the fields of the DER certificate `der`; an error if its outline (the SEQUENCEs,
    /// the order of the fields, the SubjectPublicKeyInfo) does not decode.
    pub fn parse(der: &'a [u8]) -> der::Result<Self> {
        let mut reader = SliceReader::new(der)?;
        let fields = reader.sequence(|certificate| {
            let mut fields = certificate.sequence(|tbs| {
                if Tag::peek(tbs)? == VERSION {
                    tbs.tlv_bytes()?;
                }
                tbs.tlv_bytes()?; // serialNumber
                tbs.tlv_bytes()?; // signature (must equal signatureAlgorithm: webpki checks)
                let issuer = tbs.tlv_bytes()?;
                tbs.tlv_bytes()?; // validity
                let subject = tbs.tlv_bytes()?;
                let subject_public_key_info = SubjectPublicKeyInfoRef::decode(tbs)?;
                let mut extensions = None;
                while !tbs.is_finished() {
                    if Tag::peek(tbs)? == EXTENSIONS {
                        extensions = Some(tbs.context_specific_contents()?);
                    } else {
                        tbs.tlv_bytes()?; // issuerUniqueID, subjectUniqueID
                    }
                }
                Ok::<_, der::Error>(Self {
                    issuer,
                    subject,
                    subject_public_key_info,
                    signature_algorithm: &[],
                    extensions,
                })
            })?;
            fields.signature_algorithm = certificate.tlv_bytes()?;
            certificate.tlv_bytes()?; // signatureValue
            Ok::<_, der::Error>(fields)
        })?;
        reader.finish()?;
        Ok(fields)
    }

    /// The value (extnValue's contents) and criticality of the extension `id`: `None` if
    /// absent, an error if the extensions do not decode or `id` appears twice (RFC 5280
    /// §4.2: "A certificate MUST NOT include more than one instance of a particular
    /// extension").
    #[cfg_attr(not(feature = "x509"), allow(dead_code))]
    pub fn extension(&self, id: ObjectIdentifier) -> der::Result<Option<(bool, &'a [u8])>> {
        let Some(extensions) = self.extensions else {
            return Ok(None);
        };
        let mut reader = SliceReader::new(extensions)?;
        let found = reader.sequence(|list| {
            let mut found = None;
            while !list.is_finished() {
                let extension = list.sequence(|extension| {
                    // The OID's DER, compared as bytes: decoding each OID's arcs is most of
                    // this walk's cost, and only equality matters here.
                    let extn_id = extension.tlv_bytes()?;
                    let critical = if Tag::peek(extension)? == Tag::Boolean {
                        bool::decode(extension)?
                    } else {
                        false
                    };
                    let value = <&OctetStringRef>::decode(extension)?;
                    Ok::<_, der::Error>((extn_id, critical, value.as_bytes()))
                })?;
                if is_der_of(extension.0, &id) {
                    if found.is_some() {
                        return Err(der::Error::from(Tag::Sequence.value_error()));
                    }
                    found = Some((extension.1, extension.2));
                }
            }
            Ok::<_, der::Error>(found)
        })?;
        reader.finish()?;
        Ok(found)
    }
}

/// Whether `tlv` is the DER encoding of `id`: tag, (short) length, contents.
fn is_der_of(tlv: &[u8], id: &ObjectIdentifier) -> bool {
    let contents = id.as_bytes();
    match tlv.split_first_chunk::<2>() {
        Some(([tag, len], rest)) => {
            *tag == 0x06 && usize::from(*len) == contents.len() && rest == contents
        }
        None => false,
    }
}

/// Reads the contents of a context-specific EXPLICIT field: its one inner TLV.
trait ContextSpecificContents<'a> {
    fn context_specific_contents(&mut self) -> der::Result<&'a [u8]>;
}

impl<'a> ContextSpecificContents<'a> for SliceReader<'a> {
    fn context_specific_contents(&mut self) -> der::Result<&'a [u8]> {
        let header = der::Header::decode(self)?;
        self.read_slice(header.length())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use x509_cert::Certificate;
    use x509_cert::der::Encode;

    fn test_certificate() -> alloc::vec::Vec<u8> {
        let mut params = rcgen::CertificateParams::new(["localhost".into()]).unwrap();
        params.key_usages = alloc::vec![rcgen::KeyUsagePurpose::DigitalSignature];
        let key = rcgen::KeyPair::generate().unwrap();
        params.self_signed(&key).unwrap().der().to_vec()
    }

    #[test]
    fn test_parse_fields_match_the_whole_certificate_decoder() {
        let der = test_certificate();
        let fields = CertificateFields::parse(&der).unwrap();
        let whole = Certificate::from_der(&der).unwrap();
        let tbs = whole.tbs_certificate();
        assert_eq!(fields.issuer, tbs.issuer().to_der().unwrap());
        assert_eq!(fields.subject, tbs.subject().to_der().unwrap());
        assert_eq!(
            fields.signature_algorithm,
            whole.signature_algorithm().to_der().unwrap()
        );
        let spki = tbs.subject_public_key_info();
        assert_eq!(
            fields.subject_public_key_info.algorithm.oid,
            spki.algorithm.oid
        );
        assert_eq!(
            fields
                .subject_public_key_info
                .subject_public_key
                .raw_bytes(),
            spki.subject_public_key.raw_bytes()
        );
        // keyUsage (2.5.29.15) is there, once, with the digitalSignature bit.
        let key_usage = ObjectIdentifier::new_unwrap("2.5.29.15");
        let (_critical, value) = fields.extension(key_usage).unwrap().unwrap();
        let expected = tbs
            .extensions()
            .unwrap()
            .iter()
            .find(|e| e.extn_id == key_usage);
        assert_eq!(value, expected.unwrap().extn_value.as_bytes());
        let absent = ObjectIdentifier::new_unwrap("2.5.29.30");
        assert_eq!(fields.extension(absent).unwrap(), None);
    }

    #[test]
    fn test_parse_truncated_or_trailing_bytes_is_an_error() {
        let der = test_certificate();
        assert!(CertificateFields::parse(&der[..der.len() - 1]).is_err());
        let mut longer = der.clone();
        longer.push(0);
        assert!(CertificateFields::parse(&longer).is_err());
        assert!(CertificateFields::parse(b"garbage").is_err());
    }
}
