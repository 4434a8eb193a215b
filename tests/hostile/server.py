"""The scripted hostile TLS 1.3 server, built on tlslite-ng's primitives.

A `Session` holds one accepted TCP connection and the server's half of a TLS 1.3
handshake: tlslite-ng parses the ClientHello and writes the messages (`tlslite.messages`),
computes the ECDHE shares (`tlslite.keyexchange`), the transcript (`HandshakeHashes`), the
key schedule (`derive_secret`, `HKDF_expand_label`), the CertificateVerify input
(`KeyExchange.calcVerifyBytes`) and the record protection (the AEADs of
`RecordLayer`). What it does not do is keep to the protocol: a scenario script calls the
steps in any order, changes any byte, and sends records of any shape.

A reader thread drains everything the client sends, so that the client's alert is never
lost to a reset; `Session.client_records()` decrypts it afterwards with every key the
client could have used (plaintext, client handshake key, client application keys).
"""

import hashlib
import os
import socket
import struct
import threading
import time

from tlslite.constants import (
    CertificateType,
    CipherSuite,
    ContentType,
    GroupName,
    HandshakeType,
)
from tlslite.extensions import (
    HRRKeyShareExtension,
    KeyShareEntry,
    ServerKeyShareExtension,
    SrvSupportedVersionsExtension,
)
from tlslite.handshakehashes import HandshakeHashes
from tlslite.keyexchange import ECDHKeyExchange, KeyExchange
from tlslite.messages import (
    Certificate,
    CertificateVerify,
    ClientHello,
    EncryptedExtensions,
    Finished,
    KeyUpdate,
    NewSessionTicket,
    ServerHello,
)
from records import (
    ALERT_CODES,
    Protection,
    alert_text,
    hash_name,
    record,
    split_records,
    strip_padding,
)
from tlslite.utils.codec import Parser
from tlslite.utils.cryptomath import HKDF_expand_label, derive_secret, secureHMAC

# RFC 9846 §4.2.3: the ServerHello.random of a HelloRetryRequest.
HRR_RANDOM = bytes.fromhex(
    "CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C"
)

AES128 = CipherSuite.TLS_AES_128_GCM_SHA256
AES256 = CipherSuite.TLS_AES_256_GCM_SHA384
CHACHA = CipherSuite.TLS_CHACHA20_POLY1305_SHA256


class Stop(Exception):
    """The client has gone: the script ends early (its verdict comes from what it sent)."""


def ext(ext_type, body):
    """A raw extension, written as-is: type, length, body."""
    return RawExt(ext_type, struct.pack(">HH", ext_type, len(body)) + bytes(body))


class RawExt:
    """Bytes that stand where tlslite-ng expects an extension object."""

    def __init__(self, ext_type, data):
        self.extType = ext_type
        self.data = bytes(data)

    def write(self):
        return bytearray(self.data)


class Pki:
    """The server's certificates and keys (made by pki.sh), loaded with tlslite-ng."""

    def __init__(self, directory):
        from tlslite.utils.keyfactory import parsePEMKey
        from tlslite.x509certchain import X509CertChain

        self.dir = directory
        self.chains = {}
        self.keys = {}
        for kind in ("ecdsa", "rsa", "untrusted", "expired"):
            with open(os.path.join(directory, kind + ".pem")) as f:
                chain = X509CertChain()
                chain.parsePemList(f.read())
                self.chains[kind] = chain
            with open(os.path.join(directory, kind + ".key")) as f:
                self.keys[kind] = parsePEMKey(f.read(), private=True)
        self.ca = os.path.join(directory, "ca.pem")


class Session:
    """One connection from the client and the server's side of its handshake."""

    def __init__(self, conn, pki):
        self.sock = conn
        self.pki = pki
        self.raw = bytearray()  # everything the client sent, in order
        self.raw_lock = threading.Lock()
        self.eof = threading.Event()
        self.reader = threading.Thread(target=self._drain, daemon=True)
        self.reader.start()
        self.consumed = 0  # how much of `raw` the script has read
        self.transcript = HandshakeHashes()
        self.suite = AES128
        self.write = None  # the server's current write Protection, None for plaintext
        self.client_keys = []  # (label, Protection): keys the client may have written under
        self.client_hello = None  # the latest one
        self.marks = {}  # "request": the offset in `raw` after the client's request
        self.stopped = None  # why the script ended early, if it did

    # ----- the client's bytes -----

    def _drain(self):
        try:
            while True:
                data = self.sock.recv(65536)
                if not data:
                    break
                with self.raw_lock:
                    self.raw += data
        except OSError:
            pass
        self.eof.set()

    def _wait_raw(self, n, timeout=10.0):
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.raw_lock:
                if len(self.raw) >= n:
                    return True
            if self.eof.is_set():
                with self.raw_lock:
                    return len(self.raw) >= n
            time.sleep(0.002)
        return False

    def read_client_hello(self):
        """The next ClientHello (plaintext handshake records), parsed; in the transcript."""
        buf = bytearray()
        while True:
            if not self._wait_raw(self.consumed + 5):
                raise Stop("no ClientHello")
            header = self.raw[self.consumed:self.consumed + 5]
            length = struct.unpack(">H", header[3:5])[0]
            if not self._wait_raw(self.consumed + 5 + length):
                raise Stop("partial ClientHello record")
            body = bytes(self.raw[self.consumed + 5:self.consumed + 5 + length])
            self.consumed += 5 + length
            # RFC 9846 §4.3.10: after a HelloRetryRequest, the server skips the client's
            # 0-RTT records (application_data) on its way to the second ClientHello.
            if header[0] in (ContentType.change_cipher_spec, ContentType.application_data):
                continue
            if header[0] != ContentType.handshake:
                raise Stop("the client sent record type %d instead of a ClientHello" % header[0])
            buf += body
            if len(buf) >= 4 and len(buf) >= 4 + int.from_bytes(buf[1:4], "big"):
                break
        msg = bytes(buf)
        ch = ClientHello().parse(Parser(bytearray(msg[1:])))
        self.client_hello = ch
        self.transcript.update(bytearray(msg))
        return ch

    def wait_for_client_record(self, timeout=10.0):
        """Waits until the client has sent one more whole record than read so far."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.raw_lock:
                records, _ = split_records(bytes(self.raw[self.consumed:]))
            if records:
                self.consumed += 5 + len(records[0][1])
                return records[0]
            if self.eof.is_set():
                return None
            time.sleep(0.002)
        return None

    def wait_for_request(self):
        """Waits for the client's Finished and its first application data record (the GET)."""
        for _ in range(8):
            rec = self.wait_for_client_record()
            if rec is None:
                raise Stop("the client sent no request")
            if rec[0][0] == ContentType.application_data and self._opens_as_app_data(rec):
                self.marks["request"] = self.consumed
                return
        raise Stop("no request")

    def _opens_as_app_data(self, rec):
        """Whether rec is the client's first application-data-key record (peeks, no state)."""
        for label, prot in self.client_keys:
            if label.startswith("app"):
                probe = Protection(prot.suite, prot.secret)
                if probe.open(rec[0], rec[1]) is not None:
                    return True
        return False

    # ----- sending -----

    def send_raw(self, data):
        try:
            self.sock.sendall(bytes(data))
        except OSError as e:
            raise Stop("send failed: %s" % e)

    def send_record(self, content_type, body, version=0x0303):
        """A plaintext record of any type."""
        self.send_raw(record(content_type, body, version))

    def send_inner(self, inner):
        """A protected record around the TLSInnerPlaintext `inner`, as it is."""
        self.send_raw(self.write.seal(inner))

    def send(self, content, content_type=ContentType.handshake, padding=0):
        """A record under the current write state: protected once keys are installed."""
        if self.write is None:
            self.send_record(content_type, content)
        else:
            self.send_inner(bytes(content) + bytes([content_type]) + bytes(padding))

    def hs(self, msg, transcript=True):
        """Bytes of a handshake message (a tlslite-ng message or bytes); in the transcript."""
        data = bytes(msg.write()) if hasattr(msg, "write") else bytes(msg)
        if transcript:
            self.transcript.update(bytearray(data))
        return data

    def send_hs(self, msg, transcript=True):
        data = self.hs(msg, transcript)
        self.send(data)
        return data

    def alert(self, name, level=2):
        code = ALERT_CODES.get(name, name)
        self.send(bytes([level, code]), ContentType.alert)

    def ccs(self, body=b"\x01"):
        self.send_record(ContentType.change_cipher_spec, body)

    # ----- messages -----

    def _client_share(self, group):
        for ks in self.client_hello.getExtension(51).client_shares:
            if ks.group == group:
                return ks.key_exchange
        return None

    def server_hello(self, suite=None, group=GroupName.x25519, version=(3, 4),
                     session_id=None, extensions=None, extra=(), share=None,
                     legacy_version=(3, 3), random=None, compression=0):
        """A ServerHello (tlslite-ng's class); the ECDHE secret is kept for the schedule."""
        self.suite = suite if suite is not None else AES128
        ch = self.client_hello
        if extensions is None:
            extensions = []
            if version is not None:
                extensions.append(SrvSupportedVersionsExtension().create(version))
            if group is not None:
                kex = ECDHKeyExchange(group, (3, 4))
                private = kex.get_random_private_key()
                public = kex.calc_public_value(private)
                peer = self._client_share(group)
                self.shared = kex.calc_shared_key(private, peer) if peer else bytes(32)
                entry = KeyShareEntry().create(group, share if share is not None else public)
                extensions.append(ServerKeyShareExtension().create(entry))
            extensions += list(extra)
        sh = ServerHello().create(
            legacy_version,
            random if random is not None else bytearray(os.urandom(32)),
            ch.session_id if session_id is None else session_id,
            self.suite,
            extensions=extensions,
        )
        sh.compression_method = compression
        return sh

    def hello_retry_request(self, group=GroupName.secp256r1, suite=None, extra=(),
                            version=(3, 4), session_id=None):
        """A HelloRetryRequest; the transcript is rewritten as RFC 9846 §4.1 says."""
        self.suite = suite if suite is not None else AES128
        h = hash_name(self.suite)
        ch1 = hashlib.new(h, bytes(self._transcript_bytes())).digest()
        self.transcript = HandshakeHashes()
        self.transcript.update(bytearray(bytes([254, 0, 0, len(ch1)]) + ch1))
        exts = []
        if version is not None:
            exts.append(SrvSupportedVersionsExtension().create(version))
        if group is not None:
            exts.append(HRRKeyShareExtension().create(group))
        exts += list(extra)
        if session_id is None:
            session_id = self.client_hello.session_id
        return ServerHello().create((3, 3), bytearray(HRR_RANDOM), session_id, self.suite,
                                    extensions=exts)

    def _transcript_bytes(self):
        return self.transcript._handshake_buffer

    def encrypted_extensions(self, extensions=()):
        return EncryptedExtensions().create(list(extensions))

    def certificate(self, kind="ecdsa", context=b""):
        return Certificate(CertificateType.x509, (3, 4)).create(
            self.pki.chains[kind], bytearray(context))

    def certificate_verify(self, kind="ecdsa", scheme=None, corrupt=False, sign_as=None,
                           context=b"server"):
        """A CertificateVerify over the transcript so far (RFC 9846 §4.5.2)."""
        if scheme is None:  # rsa_pss_rsae_sha256, ecdsa_secp256r1_sha256
            scheme = (8, 4) if kind == "rsa" else (4, 3)
        # The scheme named in the message is `scheme`; the signature is made as `sign_as`.
        key = self.pki.keys[kind]
        sign_scheme = sign_as or scheme
        to_sign = KeyExchange.calcVerifyBytes((3, 4), self.transcript, sign_scheme,
                                              None, None, None, hash_name(self.suite), context)
        hashes = {4: "sha256", 5: "sha384", 6: "sha512"}
        if sign_scheme[1] == 3:  # ecdsa_*
            sig = key.sign(to_sign, None, hashes[sign_scheme[0]], None)
        elif sign_scheme[0] == 8:  # rsa_pss_rsae_*
            h = hashes[sign_scheme[1]]
            sig = key.sign(to_sign, "pss", h, hashlib.new(h).digest_size)
        else:  # rsa_pkcs1_*
            h = hashes[sign_scheme[0]]
            sig = key.sign(to_sign, "pkcs1", h, None)
        sig = bytearray(sig)
        if corrupt:
            sig[len(sig) // 2] ^= 0x01
        return CertificateVerify((3, 4)).create(sig, scheme)

    def finished(self, corrupt=False):
        """The server Finished over the transcript so far (RFC 9846 §4.5.3)."""
        h = hash_name(self.suite)
        size = hashlib.new(h).digest_size
        key = HKDF_expand_label(self.server_hs_secret, b"finished", b"", size, h)
        verify = bytearray(secureHMAC(key, self.transcript.digest(h), h))
        if corrupt:
            verify[0] ^= 0x80
        return Finished((3, 4), size).create(verify)

    def new_session_ticket(self, ticket=b"\x42" * 32, nonce=b"\x00", lifetime=3600, extensions=()):
        return NewSessionTicket().create(lifetime, 0x12345678, bytearray(nonce),
                                         bytearray(ticket), list(extensions))

    def key_update(self, requested=0):
        return KeyUpdate().create(requested)

    # ----- key schedule (RFC 9846 §7.1) -----

    def install_handshake_keys(self, psk=None):
        """After the ServerHello is in the transcript: handshake traffic keys both ways
        (from `psk` and the ECDHE secret for a resumption)."""
        h = hash_name(self.suite)
        size = hashlib.new(h).digest_size
        zeros = bytearray(size)
        early = secureHMAC(zeros, bytearray(psk) if psk else zeros, h)
        derived = derive_secret(early, b"derived", None, h)
        hs_secret = secureHMAC(derived, bytearray(self.shared), h)
        self.server_hs_secret = derive_secret(hs_secret, b"s hs traffic", self.transcript, h)
        client_hs = derive_secret(hs_secret, b"c hs traffic", self.transcript, h)
        self.master = secureHMAC(derive_secret(hs_secret, b"derived", None, h), zeros, h)
        self.client_hs_secret = client_hs
        self.write = Protection(self.suite, self.server_hs_secret)
        self.client_keys.append(("hs", Protection(self.suite, client_hs)))

    def install_application_keys(self):
        """After the server Finished is in the transcript: application traffic keys."""
        h = hash_name(self.suite)
        server_app = derive_secret(self.master, b"s ap traffic", self.transcript, h)
        client_app = derive_secret(self.master, b"c ap traffic", self.transcript, h)
        self.write = Protection(self.suite, server_app)
        self.client_keys.append(("app", Protection(self.suite, client_app)))

    def install_early_key(self, psk):
        """The client's 0-RTT key under `psk` (RFC 9846 §7.1 client_early_traffic_secret),
        once the ClientHello is in the transcript: so that its early data can be read."""
        h = hash_name(self.suite)
        zeros = bytearray(hashlib.new(h).digest_size)
        early = secureHMAC(zeros, bytearray(psk), h)
        secret = derive_secret(early, b"c e traffic", self.transcript, h)
        self.client_keys.append(("early", Protection(self.suite, secret)))

    def resumption_psk(self, nonce):
        """The PSK of a ticket with `nonce` (RFC 9846 §4.7.1, §7.1), once the server Finished
        is in the transcript; the client's Finished (no client certificate) is computed, not
        read: it is the only value a correct client can have sent."""
        h = hash_name(self.suite)
        size = hashlib.new(h).digest_size
        key = HKDF_expand_label(self.client_hs_secret, b"finished", b"", size, h)
        client_finished = Finished((3, 4), size).create(
            bytearray(secureHMAC(key, self.transcript.digest(h), h)))
        transcript = self.transcript.copy()
        transcript.update(client_finished.write())
        res_master = derive_secret(self.master, b"res master", transcript, h)
        return HKDF_expand_label(res_master, b"resumption", bytearray(nonce), size, h)

    def update_write_key(self):
        self.write = self.write.next()

    # ----- a whole flight -----

    def flight(self, sh=None, ee=None, cert=None, cv=None, fin=None, kind="ecdsa",
               mutate=None, app_keys=True, cr=None):
        """The server's first flight, each message in its own record.

        A message argument replaces the default message (False leaves it out; a
        CertificateRequest, `cr`, is sent only when given); `mutate`
        maps a message name to a function from its bytes to the bytes sent (the transcript
        keeps what was sent).
        """
        mutate = mutate or {}

        def put(name, msg):
            if callable(msg):
                msg = msg()
            data = bytes(msg.write()) if hasattr(msg, "write") else bytes(msg)
            if name in mutate:
                data = mutate[name](data)
            self.send_hs(data)

        put("SH", sh if sh is not None else self.server_hello())
        self.install_handshake_keys()
        if ee is not False:
            put("EE", ee if ee is not None else self.encrypted_extensions())
        if cr is not None:
            put("CR", cr)
        if cert is not False:
            put("CT", cert if cert is not None else self.certificate(kind))
        if cv is not False:
            put("CV", cv if cv is not None else self.certificate_verify(kind))
        if fin is not False:
            put("FIN", fin if fin is not None else self.finished())
        if app_keys:
            self.install_application_keys()

    def respond_ok(self, body=b"hostile ok\n"):
        """An HTTP response and close_notify under the current key."""
        head = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(body)
        self.send(head + body, ContentType.application_data)
        self.alert(0, level=1)

    # ----- what the client sent -----

    def client_records(self):
        """Every record the client sent, decrypted where possible.

        A list of (what, detail, key, end offset): what is "handshake-plain", "ccs", "alert",
        "handshake" (detail: the message types, "0b,14"),
        "appdata", "opaque" (undecryptable) or "partial"; key names the protection.
        """
        with self.raw_lock:
            data = bytes(self.raw)
        records, rest = split_records(data)
        out = []
        # Fresh states: reading must not move the sequence numbers of a later reading.
        keys = [[label, Protection(prot.suite, prot.secret)] for label, prot in self.client_keys]
        offset = 0
        for header, body in records:
            offset += 5 + len(body)
            t = header[0]
            if t == ContentType.handshake:
                out.append(("handshake-plain", body[:1].hex(), "plain", offset))
                continue
            if t == ContentType.change_cipher_spec:
                out.append(("ccs", body.hex(), "plain", offset))
                continue
            if t == ContentType.alert:
                out.append(("alert", alert_text(body), "plain", offset))
                continue
            opened = None
            for entry in keys:
                inner = entry[1].open(header, body)
                if inner is not None:
                    opened = (entry, inner)
                    break
            if opened is None:
                out.append(("opaque", "type %d, %d bytes" % (t, len(body)), "?", offset))
                continue
            entry, inner = opened
            content, ctype = strip_padding(inner)
            if ctype == ContentType.alert:
                out.append(("alert", alert_text(content), entry[0], offset))
            elif ctype == ContentType.application_data:
                out.append(("appdata", "%d bytes" % len(content), entry[0], offset))
            elif ctype == ContentType.handshake:
                types = handshake_types(content)
                out.append(("handshake", ",".join("%02x" % t for t in types), entry[0], offset))
                if HandshakeType.key_update in types:
                    entry[1] = entry[1].next()
                    entry[0] = entry[0] + "+"
            else:
                out.append(("inner-type-%d" % ctype, "", entry[0], offset))
        if rest:
            out.append(("partial", "%d bytes" % len(rest), "?", len(data)))
        return out


def handshake_types(content):
    """The types of the handshake messages in a record's content."""
    types = []
    while len(content) >= 4:
        types.append(content[0])
        content = content[4 + int.from_bytes(content[1:4], "big"):]
    return types


def serve(pki, script, ready, done, connections=1):
    """Listens on an ephemeral loopback port, runs `script` on each connection.

    `ready` receives the port; `done` receives (sessions, error text or None).
    """
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(20)
    ready(listener.getsockname()[1])
    sessions = []
    error = None
    try:
        for number in range(connections):
            conn, _ = listener.accept()
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            s = Session(conn, pki)
            s.number = number
            sessions.append(s)
            try:
                script(s) if connections == 1 else script(s, number)
            except Stop as stop:
                s.stopped = str(stop)
            # Let the client finish speaking: it closes after its alert.
            s.eof.wait(8)
            try:
                conn.close()
            except OSError:
                pass
    except Exception as e:  # a broken script is a failed scenario, not a crash
        import traceback
        error = "server script error: %s\n%s" % (e, traceback.format_exc())
    finally:
        listener.close()
        done(sessions, error)
