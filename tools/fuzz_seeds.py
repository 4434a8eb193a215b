#!/usr/bin/env python3
"""Writes fuzz seed corpora from RFC 8448's vectors (vectors/rfc8448/*.txt).

Each fuzz target in fuzz/fuzz_targets/ takes one selector byte and then its input; this
tool prefixes each RFC 8448 value with the selector that makes sense for it:

- handshake_message: every handshake message of every trace (selector 1: SHA-256 suite);
- extensions: the extension list of every ClientHello, ServerHello/HelloRetryRequest and
  EncryptedExtensions, with the selector of its message context;
- record_layer: each trace's server records, concatenated (selector = split size);
- client_engine / server_engine: the records each engine would receive in each trace
  (selector: trace index in the low nibble, input split size in the high one);
- differential_client_hello: every ClientHello of every trace, as it is (no selector);
- x509_validate: certificate chains, each certificate with a 2-byte length, under every
  check selector: the certificates of RFC 8448's Certificate messages, and the chains of
  the fixture PKI in fuzz/fixtures/ (tools/make_fuzz_pki.sh): server and client leaves with
  and without their intermediate, out of order, and with the root;
- hybrid_key_exchange: the ML-KEM-768 known answers of vectors/mlkem768/ (keyGen's d and z,
  encapsulation's ek and m, the walkthrough's whole exchange) in each of the target's five
  modes and both groups; whole shares join them with RFC 8448's X25519 key shares and the
  P-256 point of the fixture server certificate.

Usage: python3 tools/fuzz_seeds.py [OUT_DIR]   (default: fuzz/corpus)
"""
import hashlib
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TRACES = ["simple", "resumed", "hrr", "client_auth", "compat"]

# Context selectors, in the order of fuzz_targets/extensions.rs's CONTEXTS.
CTX_CLIENT_HELLO, CTX_SERVER_HELLO, CTX_HRR, CTX_EE = 0, 1, 2, 3
HRR_RANDOM = bytes.fromhex("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c")


def load(trace):
    """Returns [(actor, heading, [(label, bytes)])] in RFC order."""
    blocks = []
    with open(os.path.join(ROOT, "vectors", "rfc8448", trace + ".txt"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            if line.startswith("["):
                actor, heading = line[1:].split("] ", 1)
                blocks.append((actor, heading, []))
            else:
                label, _, value = line.partition(" =")
                blocks[-1][2].append((label, bytes.fromhex(value.strip())))
    return blocks


def extension_list(message):
    """The extension list (with its length) of a ClientHello, ServerHello or EE message."""
    msg_type, body = message[0], message[4:]
    if msg_type == 8:  # EncryptedExtensions: the body is the list.
        return CTX_EE, body
    pos = 2 + 32  # legacy_version, random
    pos += 1 + body[pos]  # legacy_session_id
    if msg_type == 1:
        pos += 2 + int.from_bytes(body[pos:pos + 2], "big")  # cipher_suites
        pos += 1 + body[pos]  # legacy_compression_methods
        return CTX_CLIENT_HELLO, body[pos:]
    pos += 2 + 1  # cipher_suite, legacy_compression_method
    ctx = CTX_HRR if body[2:34] == HRR_RANDOM else CTX_SERVER_HELLO
    return ctx, body[pos:]


def certificates(message):
    """The DER certificates of a Certificate handshake message (type 11)."""
    body = message[4:]
    pos = 1 + body[0]  # certificate_request_context
    end = pos + 3 + int.from_bytes(body[pos:pos + 3], "big")
    pos += 3
    certs = []
    while pos < end:
        length = int.from_bytes(body[pos:pos + 3], "big")
        certs.append(body[pos + 3:pos + 3 + length])
        pos += 3 + length
        pos += 2 + int.from_bytes(body[pos:pos + 2], "big")  # extensions
    return certs


def chain_input(chain):
    """x509_validate's encoding of a chain: each certificate with a 2-byte length."""
    return b"".join(len(c).to_bytes(2, "big") + c for c in chain)


def fixture(name):
    with open(os.path.join(ROOT, "fuzz", "fixtures", name + ".der"), "rb") as f:
        return f.read()


def fixture_chains():
    root, intermediate = fixture("root"), fixture("intermediate")
    server, client = fixture("server"), fixture("client")
    return [
        [server, intermediate],
        [server],
        [server, root, intermediate],
        [client, intermediate],
        [intermediate, root],
        [root],
    ]


# The DER prefix of a P-256 SubjectPublicKeyInfo up to its point (RFC 5480): SEQUENCE,
# AlgorithmIdentifier (id-ecPublicKey, prime256v1), BIT STRING of 66 bytes.
P256_SPKI_PREFIX = bytes.fromhex("3059301306072a8648ce3d020106082a8648ce3d030107034200")


def p256_point(der):
    """The uncompressed point of the first P-256 SubjectPublicKeyInfo in a certificate."""
    start = der.index(P256_SPKI_PREFIX) + len(P256_SPKI_PREFIX)
    return der[start:start + 65]


def mlkem_kat():
    """[(heading, {name: bytes})] of vectors/mlkem768/acvp-fips203.txt, in file order."""
    blocks = []
    with open(os.path.join(ROOT, "vectors", "mlkem768", "acvp-fips203.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("["):
                blocks.append((line[1:-1], {}))
            else:
                name, _, value = line.partition(" = ")
                blocks[-1][1][name] = bytes.fromhex(value)
    return blocks


def hybrid_seeds(x25519_public):
    """hybrid_key_exchange's inputs: (selector, body) pairs. Selector: bit 0 the group
    (0 X25519MLKEM768, ML-KEM part first; 1 SecP256r1MLKEM768, ECDH part first), the rest
    the mode (fuzz_targets/hybrid_key_exchange.rs)."""
    ecdh = {0: x25519_public, 1: p256_point(fixture("server"))}

    def wire(group, mlkem, ecdh_part):
        return mlkem + ecdh_part if group == 0 else ecdh_part + mlkem

    blocks = mlkem_kat()
    ciphertexts = [v["c"] for _, v in blocks if "c" in v]
    seeds = []
    for heading, v in blocks:
        for group in (0, 1):
            if "ek" in v and "m" in v:  # encapsulation, walkthrough
                seeds.append((group | 0 << 1, v["m"] + wire(group, v["ek"], ecdh[group])))
                seeds.append((group | 1 << 1, v["m"] + v["ek"]))
            if "d" in v:  # keyGen, walkthrough
                seed = v["d"] + v["z"]
                # The walkthrough's ciphertext is for this very key (decapsulation succeeds);
                # the others are for other keys (implicit rejection).
                for c in ciphertexts:
                    seeds.append((group | 2 << 1, seed + wire(group, c, ecdh[group])))
                    seeds.append((group | 3 << 1, seed + c))
                m = v.get("m", bytes(32))
                seeds.append((group | 4 << 1, seed + m + bytes(3)))
                seeds.append((group | 4 << 1, seed + m + bytes([0x02, 0x1f, 0x80])))
    return seeds


def write(out, target, data):
    folder = os.path.join(out, target)
    os.makedirs(folder, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "fuzz", "corpus")
    count = 0
    chains = fixture_chains()
    for trace in TRACES:
        records = {"client": b"", "server": b""}
        for actor, heading, values in load(trace):
            for label, value in values:
                if heading.endswith("handshake message") and value and value[0] in (1, 2, 8, 4, 11, 13, 15, 20, 5, 24):
                    write(out, "handshake_message", b"\x01" + value)
                    count += 1
                    if value[0] in (1, 2, 8):
                        ctx, exts = extension_list(value)
                        write(out, "extensions", bytes([ctx]) + exts)
                        count += 1
                if heading.endswith("handshake message") and value and value[0] == 1:
                    write(out, "differential_client_hello", value)
                    count += 1
                if heading.endswith("handshake message") and value and value[0] == 11:
                    chains.append(certificates(value))
                if label == "complete record":
                    records[actor] += value
        for split in (1, 7, 255):
            write(out, "record_layer", bytes([split]) + records["server"])
            count += 1
        selector = bytes([TRACES.index(trace) | 0xf0])  # whole records at once
        write(out, "client_engine", selector + records["server"])
        write(out, "server_engine", selector + records["client"])
        count += 2
    x25519_public = [value for _, _, values in load("simple") for label, value in values
                     if label == "public key"]
    for public in x25519_public:
        for selector, body in hybrid_seeds(public):
            write(out, "hybrid_key_exchange", bytes([selector]) + body)
            count += 1
    for chain in chains:
        for selector in range(4):  # x509_validate's four checks
            write(out, "x509_validate", bytes([selector]) + chain_input(chain))
            count += 1
    print(f"wrote {count} seeds under {out}")


if __name__ == "__main__":
    main()
