"""The building blocks of the scenarios: scripts for the hostile server, and the messages
and values they send.

A script is a function of one `Session` (or, for two connections, of a `Session` and the
connection's number) that drives the server's side; most scenarios are a helper below with
an argument or two. Each helper says what the server does; `scenarios.py` says what the
client must do about it.
"""

from server import (
    AES128,
    ContentType,
    GroupName,
    ext,
    record,
)
import mutate as m


def after_request(hostile):
    """A script: the whole handshake, the client's request, then `hostile(s)`."""
    def script(s):
        s.flight()
        s.wait_for_request()
        hostile(s)
    return script


# The first flight after the ServerHello, with the `flight()` argument of each message.
FLIGHT = [("EE", "ee"), ("CT", "cert"), ("CV", "cv"), ("FIN", "fin")]


def upto(stop, then):
    """A script: the first flight up to and including message `stop`, then `then(s)`."""
    names = ["SH"] + [name for name, _ in FLIGHT]
    after = names.index(stop)
    left_out = {arg: False for i, (_, arg) in enumerate(FLIGHT, start=1) if i > after}

    def script(s):
        s.flight(app_keys=stop == "FIN", **left_out)
        then(s)
    return script


def only(**messages):
    """A script: the first flight with some messages left out or replaced."""
    return lambda s: s.flight(app_keys=False, **messages)


def then_send(*names):
    """A `then` that sends further messages by name."""
    def then(s):
        for name in names:
            make = {"SH": lambda: s.server_hello(), "EE": s.encrypted_extensions,
                    "CT": s.certificate, "CV": s.certificate_verify, "FIN": s.finished,
                    "NST": s.new_session_ticket, "KU": s.key_update}[name]
            s.send_hs(make())
    return then


def sh_with(**fields):
    """A script: a first flight whose ServerHello has `fields` (see Session.server_hello)."""
    return lambda s: s.flight(sh=s.server_hello(**fields), app_keys=False)


def sh_bytes(mutation):
    """A script: a first flight whose ServerHello bytes pass through `mutation`."""
    return lambda s: s.flight(mutate={"SH": mutation}, app_keys=False)


def msg_bytes(name, mutation):
    """A script: a first flight whose message `name` (EE, CT, CV, FIN) passes through
    `mutation`."""
    return lambda s: s.flight(mutate={name: mutation}, app_keys=False)


def inner_after_sh(inner):
    """A script: ServerHello, then one protected record whose TLSInnerPlaintext is `inner`."""
    def script(s):
        s.send_hs(s.server_hello())
        s.install_handshake_keys()
        s.send_inner(inner(s) if callable(inner) else inner)
    return script


def record_after_sh(raw):
    """A script: ServerHello, then the bytes `raw(s)` as they are."""
    def script(s):
        s.send_hs(s.server_hello())
        s.install_handshake_keys()
        s.send_raw(raw(s))
    return script


def hrr_then(then, **hrr):
    """A script: HelloRetryRequest, the second ClientHello, then `then(s)`."""
    def script(s):
        s.send_hs(s.hello_retry_request(**hrr))
        s.read_client_hello()
        then(s)
    return script


def alert_at(stop, name="handshake_failure", level=2):
    """A script: the flight up to `stop`, then an error alert under the current key."""
    def script(s):
        if stop == "CH":
            s.alert(name, level)
            return
        upto(stop, lambda s: s.alert(name, level))(s)
    return script


def resumption(hostile, early_data=False):
    """A two-connection script: a ticket on the first (allowing 0-RTT if `early_data`),
    `hostile(s)` on the resumption (where `s.psk` is the ticket's PSK)."""
    nonce = b"\x07"
    psk = []
    # RFC 9846 §4.3.10: early_data in a NewSessionTicket carries max_early_data_size.
    extensions = [ext(42, (2**14).to_bytes(4, "big"))] if early_data else []

    def script(s, number):
        if number == 0:
            s.flight()
            s.wait_for_request()
            psk[:] = [s.resumption_psk(nonce)]
            s.send_hs(s.new_session_ticket(nonce=nonce, extensions=extensions),
                      transcript=False)
            s.respond_ok()
        else:
            s.psk = psk[0]
            if s.client_hello.getExtension(42) is not None:
                s.install_early_key(s.psk)
            hostile(s)
    return script


def hrr_without_early_data(s):
    """A script: a HelloRetryRequest answers an offer of 0-RTT; the second ClientHello must
    not offer early data again (RFC 9846 §4.3.10); then a full handshake."""
    s.send_hs(s.hello_retry_request())
    ch = s.read_client_hello()
    if ch.getExtension(42) is not None:
        raise AssertionError("the second ClientHello offers early_data again")
    s.flight(sh=s.server_hello(group=GroupName.secp256r1))
    respond(s)


EARLY_DATA_ACCEPTED = ext(42, b"")  # in EncryptedExtensions (RFC 9846 §4.3.10)



def psk_flight(ee=None, cert=False, fin=None, then=None):
    """A resumption's flight (RFC 9846 §2.2): ServerHello with the PSK and a key share,
    EncryptedExtensions, Finished; a Certificate only if `cert` is given."""
    def hostile(s):
        s.send_hs(psk_sh(s, 0))
        s.install_handshake_keys(psk=s.psk)
        s.send_hs(ee(s) if ee else s.encrypted_extensions())
        if cert:
            s.send_hs(s.certificate())
        s.send_hs(fin(s) if fin else s.finished())
        if then:
            s.install_application_keys()
            then(s)
    return hostile


def complete(s):
    """After the server Finished: the application keys, the client's request, a response."""
    s.install_application_keys()
    respond(s)


def respond(s):
    """The client's request, then a response and close_notify."""
    s.wait_for_request()
    s.respond_ok()


def psk_sh(s, selected, suite=AES128, key_share=True):
    exts = [ext(41, selected.to_bytes(2, "big"))]  # pre_shared_key: selected_identity
    return s.server_hello(suite=suite, extra=exts, group=GroupName.x25519 if key_share else None)


def ok_flight(s):
    s.flight()
    respond(s)


def key_update_storm(requested, count):
    def hostile(s):
        for _ in range(count):
            s.send_hs(s.key_update(requested), transcript=False)
            s.update_write_key()
        s.respond_ok()
    return hostile


def nst_flood(count, per_record=100):
    """A script: a handshake with the RSA chain (the larger one), the request, then `count`
    NewSessionTickets, `per_record` to a record, then the response."""
    def hostile(s):
        s.flight(kind="rsa")
        s.wait_for_request()
        batch = b"".join(bytes(s.new_session_ticket(ticket=bytes([i % 256]) * 48,
                                                    nonce=i.to_bytes(4, "big")).write())
                         for i in range(per_record))
        for _ in range(count // per_record):
            s.send(batch)
        s.respond_ok()
    return hostile


def big_ee(inner_len):
    """An EncryptedExtensions record padded so that its TLSInnerPlaintext is inner_len bytes."""
    def script(s):
        s.send_hs(s.server_hello())
        s.install_handshake_keys()
        ee = s.hs(s.encrypted_extensions())
        s.send_inner(ee + bytes([ContentType.handshake]) + bytes(inner_len - len(ee) - 1))
        for make in (s.certificate, s.certificate_verify, s.finished):
            s.send_hs(make())
        complete(s)
    return script


def stop_mid(stage, close):
    """A script: part of a record, then silence (close: the server's write side closes)."""
    def script(s):
        if stage == "header":
            s.send_raw(record(22, s.hs(s.server_hello()))[:3])
        else:
            s.flight(cert=False, cv=False, fin=False, app_keys=False)
            sealed = s.write.seal(s.hs(s.certificate()) + b"\x16")
            s.send_raw(sealed[: len(sealed) // 2])
        if close:
            s.sock.shutdown(1)
    return script


def ccs_at(stage, body=b"\x01"):
    """A script: a whole handshake with a ChangeCipherSpec record after message `stage`."""
    def script(s):
        if stage == "CH":
            s.ccs(body)
        s.send_hs(s.server_hello())
        s.install_handshake_keys()
        if stage == "SH":
            s.ccs(body)
        for name, make in (("EE", s.encrypted_extensions), ("CT", s.certificate),
                           ("CV", s.certificate_verify), ("FIN", s.finished)):
            s.send_hs(make())
            if stage == name:
                s.ccs(body)
        complete(s)
    return script


def sh_then_plain(content_type, body):
    """A script: ServerHello, then an unprotected record where a protected one belongs."""
    def script(s):
        s.send_hs(s.server_hello())
        s.install_handshake_keys()
        s.send_record(content_type, body(s) if callable(body) else body)
    return script


def hrr_cookie(s):
    """A script: a HelloRetryRequest with a cookie; the second ClientHello must echo it."""
    cookie = b"hostile-cookie-0123456789"
    s.send_hs(s.hello_retry_request(extra=[ext(44, len(cookie).to_bytes(2, "big") + cookie)]))
    ch = s.read_client_hello()
    echoed = ch.getExtension(44)
    # RFC 9846 §4.3.2: "the client MUST copy the contents of the extension received in the
    # HelloRetryRequest into a "cookie" extension in the new ClientHello".
    if echoed is None or bytes(echoed.extData) != len(cookie).to_bytes(2, "big") + cookie:
        raise AssertionError("the second ClientHello does not echo the cookie")
    s.flight(sh=s.server_hello(group=GroupName.secp256r1))
    respond(s)


def one_byte_records(s):
    """A script: the whole first flight, one byte to a record (RFC 9846 §5.1 allows it)."""
    for byte in s.hs(s.server_hello()):
        s.send_record(ContentType.handshake, bytes([byte]))
    s.install_handshake_keys()
    for make in (s.encrypted_extensions, s.certificate, s.certificate_verify, s.finished):
        for byte in s.hs(make()):
            s.send(bytes([byte]))
    complete(s)


def coalesced_flight(s):
    """A script: EncryptedExtensions to Finished in one record (RFC 9846 §5.1 allows it)."""
    s.send_hs(s.server_hello())
    s.install_handshake_keys()
    flight = b""
    for make in (s.encrypted_extensions, s.certificate, s.certificate_verify, s.finished):
        flight += s.hs(make())
    s.send(flight)
    complete(s)


def certificate_with_entry_extension(extension):
    """A script whose Certificate carries `extension` in the end-entity entry (§4.5.1)."""
    def make(s):
        msg = bytes(s.hs(s.certificate(), transcript=False))
        at = m.cert_entry_extensions_length(msg)[0]
        assert msg[at:at + 2] == b"\x00\x00"
        grown = msg[:at] + len(extension).to_bytes(2, "big") + extension + msg[at + 2:]
        grown = m.off_by(m.cert_list_length, len(extension))(grown)
        return m.off_by(m.handshake_length, len(extension))(grown)
    return lambda s: s.flight(cert=make(s), app_keys=False)


def certificate_request(context=b"", extensions=b"\x00\x0d\x00\x04\x00\x02\x04\x03"):
    """A CertificateRequest (RFC 9846 §4.4.2); by default signature_algorithms with
    ecdsa_secp256r1_sha256."""
    body = bytes([len(context)]) + context + len(extensions).to_bytes(2, "big") + extensions
    return bytes([13]) + len(body).to_bytes(3, "big") + body


def client_auth_without_certificate(s):
    """A script: the server asks for a certificate; a client without one must answer with an
    empty Certificate and its Finished (RFC 9846 §4.5.1.3 does not apply; §4.5 does)."""
    s.flight(cr=certificate_request())
    s.wait_for_request()
    sent = ",".join(r[1] for r in s.client_records() if r[0] == "handshake" and r[2] == "hs")
    if sent != "0b,14":
        raise AssertionError("the client's second flight was %s, not Certificate, Finished" % sent)
    s.respond_ok()


def claimed_length(length):
    """A script: ServerHello, then a handshake message that claims `length` bytes, followed by
    16 KiB records of its body until the client stops reading."""
    def script(s):
        s.send_hs(s.server_hello())
        s.install_handshake_keys()
        s.send(bytes([8]) + length.to_bytes(3, "big") + bytes(2**14 - 4))
        for _ in range(length // 2**14 + 1):
            s.send(bytes(2**14))
    return script


def sh_record_version(version):
    """A script: a whole handshake whose ServerHello record has legacy_record_version
    `version`, which RFC 9846 §5.1 says "MUST be ignored for all purposes"."""
    def script(s):
        s.send_record(ContentType.handshake, s.hs(s.server_hello()), version=version)
        s.install_handshake_keys()
        for make in (s.encrypted_extensions, s.certificate, s.certificate_verify, s.finished):
            s.send_hs(make())
        complete(s)
    return script


# A post-handshake CertificateRequest (RFC 9846 §4.4.2): context 0x07, signature_algorithms
# ecdsa_secp256r1_sha256.
CERTIFICATE_REQUEST = bytes([13, 0, 0, 12, 1, 7, 0, 8, 0, 13, 0, 4, 0, 2, 4, 3])
ECDSA_P256 = (4, 3)
RSA_PKCS1_SHA256 = (4, 1)
ECDSA_P384 = (5, 3)
RSA_PSS_RSAE_SHA256 = (8, 4)
