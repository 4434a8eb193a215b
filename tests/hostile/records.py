"""TLS 1.3 records for the hostile server: framing (RFC 9846 §5.1), protection under one
traffic secret (§5.2, §5.3, with keys from §7.3 and updates from §7.2), padding (§5.4) and
alert names (§6).

The AEADs are tlslite-ng's (`RecordLayer._getCipherSettings`), the key derivation its
`HKDF_expand_label`. Unlike tlslite-ng's `RecordLayer`, nothing here checks what it sends:
a scenario may seal any TLSInnerPlaintext (all zeros, oversized, empty) and frame any length.
"""

import hashlib
import struct

from tlslite.constants import CipherSuite, ContentType
from tlslite.recordlayer import RecordLayer
from tlslite.utils.cryptomath import HKDF_expand_label

ALERTS = {
    0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac",
    22: "record_overflow", 40: "handshake_failure", 42: "bad_certificate",
    43: "unsupported_certificate", 44: "certificate_revoked",
    45: "certificate_expired", 46: "certificate_unknown",
    47: "illegal_parameter", 48: "unknown_ca", 49: "access_denied",
    50: "decode_error", 51: "decrypt_error", 70: "protocol_version",
    71: "insufficient_security", 80: "internal_error",
    86: "inappropriate_fallback", 90: "user_canceled",
    109: "missing_extension", 110: "unsupported_extension",
    112: "unrecognized_name", 115: "unknown_psk_identity",
    116: "certificate_required", 120: "no_application_protocol",
}
ALERT_CODES = {name: code for code, name in ALERTS.items()}


def hash_name(suite):
    return "sha384" if suite in CipherSuite.sha384PrfSuites else "sha256"


class Protection:
    """One direction's AEAD state under one traffic secret (RFC 9846 §5.2, §5.3, §7.3)."""

    def __init__(self, suite, secret):
        self.suite = suite
        self.secret = bytes(secret)
        h = hash_name(suite)
        key_len, _, cipher = RecordLayer._getCipherSettings(suite)
        self.aead = cipher(HKDF_expand_label(secret, b"key", b"", key_len, h), None)
        self.iv = bytes(HKDF_expand_label(secret, b"iv", b"", 12, h))
        self.seq = 0

    def nonce(self):
        padded = self.seq.to_bytes(12, "big")
        self.seq += 1
        return bytearray(a ^ b for a, b in zip(padded, self.iv))

    def seal(self, inner):
        """A whole TLSCiphertext record around the TLSInnerPlaintext `inner`."""
        length = len(inner) + 16
        header = struct.pack(">BHH", ContentType.application_data, 0x0303, length)
        body = self.aead.seal(self.nonce(), bytearray(inner), bytearray(header))
        return header + bytes(body)

    def open(self, header, body):
        """The TLSInnerPlaintext, or None if it does not authenticate (the seq stays)."""
        nonce = self.nonce()
        out = self.aead.open(nonce, bytearray(body), bytearray(header))
        if out is None:
            self.seq -= 1
        return None if out is None else bytes(out)

    def next(self):
        """The state after a KeyUpdate (RFC 9846 §7.2)."""
        h = hash_name(self.suite)
        size = hashlib.new(h).digest_size
        return Protection(self.suite, HKDF_expand_label(self.secret, b"traffic upd", b"", size, h))


def record(content_type, body, version=0x0303):
    """A TLSPlaintext record (RFC 9846 §5.1), lengths as they are."""
    return struct.pack(">BHH", content_type, version, len(body)) + bytes(body)


def split_records(data):
    """Whole records in `data` (header, body) and the trailing bytes of a partial one."""
    out = []
    while len(data) >= 5:
        length = struct.unpack(">H", data[3:5])[0]
        if len(data) < 5 + length:
            break
        out.append((data[:5], data[5:5 + length]))
        data = data[5 + length:]
    return out, data


def strip_padding(inner):
    """RFC 9846 §5.4: (content, type); type 0 if the plaintext is all zeros."""
    end = len(inner)
    while end > 0 and inner[end - 1] == 0:
        end -= 1
    if end == 0:
        return b"", 0
    return inner[:end - 1], inner[end - 1]


def alert_text(body):
    if len(body) != 2:
        return "malformed(%s)" % bytes(body).hex()
    return ALERTS.get(body[1], "code%d" % body[1])
