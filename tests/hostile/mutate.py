"""Byte-level edits of encoded handshake messages: the length fields, found by walking the
encodings of RFC 9846 §4 (ServerHello §4.2.3, EncryptedExtensions §4.4.1, Certificate §4.5.1,
CertificateVerify §4.5.2, NewSessionTicket §4.7.1, KeyUpdate §4.7.3).

Every function takes a whole handshake message (4-byte header included) and returns the
offset and width of one length field; `off_by(field, delta)` turns that into a mutation.
"""


def handshake_length(msg):
    return 1, 3


def _sh_extensions(msg):
    """(offset of the extensions' length, list of (type, offset of the extension))."""
    sid_len = msg[38]
    pos = 39 + sid_len + 3
    ext_len_at = pos
    pos += 2
    out = []
    while pos + 4 <= len(msg):
        ext_type = int.from_bytes(msg[pos:pos + 2], "big")
        length = int.from_bytes(msg[pos + 2:pos + 4], "big")
        out.append((ext_type, pos))
        pos += 4 + length
    return ext_len_at, out


def sh_session_id_length(msg):
    return 38, 1


def sh_extensions_length(msg):
    return _sh_extensions(msg)[0], 2


def sh_extension_length(ext_type):
    def find(msg):
        for t, at in _sh_extensions(msg)[1]:
            if t == ext_type:
                return at + 2, 2
        raise ValueError("no extension %d" % ext_type)
    return find


def sh_key_exchange_length(msg):
    for t, at in _sh_extensions(msg)[1]:
        if t == 51:  # key_share: group(2), key_exchange<1..2^16-1>
            return at + 6, 2
    raise ValueError("no key_share")


def ee_extensions_length(msg):
    return 4, 2


def cert_context_length(msg):
    return 4, 1


def cert_list_length(msg):
    return 4 + 1 + msg[4], 3


def cert_data_length(msg):
    return 4 + 1 + msg[4] + 3, 3


def cert_entry_extensions_length(msg):
    at = 4 + 1 + msg[4] + 3
    data_len = int.from_bytes(msg[at:at + 3], "big")
    return at + 3 + data_len, 2


def cv_signature_length(msg):
    return 6, 2


def nst_ticket_length(msg):
    # lifetime(4), age_add(4), nonce<0..255>, ticket<1..2^16-1>
    return 4 + 8 + 1 + msg[12], 2


def off_by(field, delta):
    """A mutation: the length field `field` finds, plus `delta`; nothing else changes."""
    def mutate(msg):
        msg = bytearray(msg)
        at, width = field(msg)
        value = int.from_bytes(msg[at:at + width], "big") + delta
        msg[at:at + width] = (value % (1 << (8 * width))).to_bytes(width, "big")
        return bytes(msg)
    return mutate


def grow_body(extra):
    """A mutation: `extra` bytes appended, the handshake length kept consistent."""
    def mutate(msg):
        body = bytes(msg[4:]) + bytes(extra)
        return bytes(msg[:1]) + len(body).to_bytes(3, "big") + body
    return mutate


def flip(offset):
    """A mutation: one bit of the byte at `offset` (negative: from the end)."""
    def mutate(msg):
        msg = bytearray(msg)
        msg[offset] ^= 0x01
        return bytes(msg)
    return mutate
