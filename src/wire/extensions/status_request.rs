//! status_request (RFC 6066 §8, RFC 9846 §4.5.1.1): OCSP stapling, a certificate's
//! revocation status sent along with the certificate.
//!
//! The body has three forms:
//!
//! - ClientHello: a `CertificateStatusRequest`, the client asking for the server's status
//!   ([`CertificateStatusRequest`]).
//! - CertificateRequest: empty, the server asking for the client's status (RFC 9846
//!   §4.5.1.1: "sending an empty "status_request" extension in its CertificateRequest").
//! - CertificateEntry: a `CertificateStatus` holding the OCSP response for that certificate
//!   ([`CertificateStatus`]). TLS 1.2's separate CertificateStatus message is gone.
//!
//! The OCSP structures are kept as DER bytes; checking the response (RFC 6960, and the
//! `bad_certificate_status_response` alert) is for the certificate verifier.

use alloc::vec::Vec;

use super::decode_items;
use crate::codec::{DecodeError, Reader, Writer};

/// `CertificateStatusType` `ocsp(1)`, the only status type defined for this extension.
pub const STATUS_TYPE_OCSP: u8 = 1;

/// `OCSPStatusRequest`: which OCSP responders the client trusts, and OCSP request extensions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OcspStatusRequest {
    /// `ResponderID responder_id_list<0..2^16-1>`, each `opaque ResponderID<1..2^16-1>` in
    /// DER. Empty means "responders known to the server by prior arrangement".
    pub responder_id_list: Vec<Vec<u8>>,
    /// `opaque Extensions<0..2^16-1>`: DER-encoded OCSP request extensions, or empty.
    pub request_extensions: Vec<u8>,
}

impl OcspStatusRequest {
    /// Reads the responder IDs and request extensions.
    pub fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let responder_id_list = decode_items(r.sub_u16(0, 0xffff)?, |r| {
            Ok(r.vec_u16(1, 0xffff)?.to_vec())
        })?;
        let request_extensions = r.vec_u16(0, 0xffff)?.to_vec();
        Ok(Self {
            responder_id_list,
            request_extensions,
        })
    }

    /// Writes the responder IDs and request extensions.
    pub fn encode(&self, w: &mut Writer) {
        w.len_u16(|w| {
            for responder_id in &self.responder_id_list {
                w.vec_u16(responder_id);
            }
        });
        w.vec_u16(&self.request_extensions);
    }
}

/// `CertificateStatusRequest`: the ClientHello form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CertificateStatusRequest {
    /// `status_type` ocsp(1).
    Ocsp(OcspStatusRequest),
    /// Another status_type, kept as received. Its body has no defined syntax here, so a
    /// server just ignores it.
    Unknown {
        /// The status_type.
        status_type: u8,
        /// Everything after the status_type.
        request: Vec<u8>,
    },
}

impl CertificateStatusRequest {
    /// Reads the request.
    pub fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let status_type = r.u8()?;
        if status_type == STATUS_TYPE_OCSP {
            return Ok(Self::Ocsp(OcspStatusRequest::decode(r)?));
        }
        let request = r.rest().to_vec();
        Ok(Self::Unknown {
            status_type,
            request,
        })
    }

    /// Writes the request.
    pub fn encode(&self, w: &mut Writer) {
        match self {
            Self::Ocsp(request) => {
                w.u8(STATUS_TYPE_OCSP);
                request.encode(w);
            }
            Self::Unknown {
                status_type,
                request,
            } => {
                w.u8(*status_type);
                w.bytes(request);
            }
        }
    }
}

/// `CertificateStatus`: the CertificateEntry form, with status_type ocsp(1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateStatus {
    /// `opaque OCSPResponse<1..2^24-1>`: a complete DER-encoded OCSP response.
    pub ocsp_response: Vec<u8>,
}

impl CertificateStatus {
    /// Reads the status.
    pub fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        // RFC 9846 §4.5.1.1: the body "MUST be a CertificateStatus structure as defined in
        // [RFC6066]", whose only status_type is ocsp(1); no other was requested.
        if r.u8()? != STATUS_TYPE_OCSP {
            return Err(DecodeError::illegal(
                "status_request: status_type is not ocsp",
            ));
        }
        let ocsp_response = r.vec_u24(1, 0xff_ffff)?.to_vec();
        Ok(Self { ocsp_response })
    }

    /// Writes the status.
    pub fn encode(&self, w: &mut Writer) {
        w.u8(STATUS_TYPE_OCSP);
        w.vec_u24(&self.ocsp_response);
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{emit, parse, rfc_hex, round_trip};
    use super::super::{Extension, ExtensionContext};
    use super::*;
    use crate::wire::alert::AlertDescription;
    use crate::wire::codes::ExtensionType;
    use alloc::vec;

    // RFC 8448 staples no OCSP; these bytes follow RFC 6066 §8.

    /// ocsp, no responder IDs, no request extensions: what most clients send.
    const PLAIN_REQUEST: &str = "01 00 00 00 00";
    /// A DER name, "CN=rsa" (RFC 8448 §3's certificate issuer), as a responder ID.
    const CN_RSA: &str = "30 0e 31 0c 30 0a 06 03 55 04 03 13 03 72 73 61";

    /// ocsp, one responder ID, and request extensions `30 00` (an empty SEQUENCE).
    fn full_request() -> Vec<u8> {
        rfc_hex(&alloc::format!("01 00 12 00 10 {CN_RSA} 00 02 30 00"))
    }
    /// ocsp, and the shortest OCSPResponse: `SEQUENCE { responseStatus unauthorized(6) }`.
    const STATUS: &str = "01 00 00 05 30 03 0a 01 06";

    #[test]
    fn test_parse_certificate_status_request() {
        let plain = parse(&rfc_hex(PLAIN_REQUEST), CertificateStatusRequest::decode).unwrap();
        let empty = OcspStatusRequest {
            responder_id_list: vec![],
            request_extensions: vec![],
        };
        assert_eq!(plain, CertificateStatusRequest::Ocsp(empty));
        let full = parse(&full_request(), CertificateStatusRequest::decode).unwrap();
        let CertificateStatusRequest::Ocsp(full) = full else {
            panic!("not ocsp: {full:?}");
        };
        assert_eq!(full.responder_id_list, [rfc_hex(CN_RSA)]);
        assert_eq!(full.request_extensions, [0x30, 0x00]);
        let ext = round_trip(
            ExtensionType::StatusRequest,
            ExtensionContext::ClientHello,
            &full_request(),
        );
        assert_eq!(
            ext,
            Extension::StatusRequest(CertificateStatusRequest::Ocsp(full))
        );
    }

    #[test]
    fn test_emit_certificate_status_request() {
        let request = CertificateStatusRequest::Ocsp(OcspStatusRequest {
            responder_id_list: vec![],
            request_extensions: vec![],
        });
        assert_eq!(emit(|w| request.encode(w)), rfc_hex(PLAIN_REQUEST));
    }

    #[test]
    fn test_parse_certificate_status_request_unknown_type() {
        let request = parse(&[2, 0xaa, 0xbb], CertificateStatusRequest::decode).unwrap();
        let expected = CertificateStatusRequest::Unknown {
            status_type: 2,
            request: vec![0xaa, 0xbb],
        };
        assert_eq!(request, expected);
        assert_eq!(emit(|w| request.encode(w)), [2, 0xaa, 0xbb]);
    }

    #[test]
    fn test_parse_status_request_empty_in_certificate_request() {
        let ext = round_trip(
            ExtensionType::StatusRequest,
            ExtensionContext::CertificateRequest,
            &[],
        );
        assert_eq!(ext, Extension::StatusRequestEmpty);
    }

    #[test]
    fn test_parse_certificate_status() {
        let status = parse(&rfc_hex(STATUS), CertificateStatus::decode).unwrap();
        assert_eq!(status.ocsp_response, rfc_hex("30 03 0a 01 06"));
        let ext = round_trip(
            ExtensionType::StatusRequest,
            ExtensionContext::Certificate,
            &rfc_hex(STATUS),
        );
        assert_eq!(ext, Extension::CertificateStatus(status));
    }

    #[test]
    fn test_emit_certificate_status() {
        let status = CertificateStatus {
            ocsp_response: rfc_hex("30 03 0a 01 06"),
        };
        assert_eq!(emit(|w| status.encode(w)), rfc_hex(STATUS));
    }

    #[test]
    fn test_parse_rejects_bad_certificate_status() {
        let not_ocsp = parse(&rfc_hex("02 00 00 01 00"), CertificateStatus::decode);
        assert_eq!(
            not_ocsp.unwrap_err().alert,
            AlertDescription::IllegalParameter
        );
        let empty = parse(&rfc_hex("01 00 00 00"), CertificateStatus::decode);
        assert_eq!(empty.unwrap_err().alert, AlertDescription::DecodeError);
        let empty_responder = parse(
            &rfc_hex("01 00 02 00 00 00 00"),
            CertificateStatusRequest::decode,
        );
        assert_eq!(
            empty_responder.unwrap_err().alert,
            AlertDescription::DecodeError
        );
    }
}
