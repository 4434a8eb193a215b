#!/usr/bin/env python3
"""Writes vectors/mlkem768/acvp-fips203.txt: ML-KEM-768 known answers from NIST's ACVP
vectors for FIPS 203, and the walkthrough's ML-KEM values computed by an independent
ML-KEM-768.

Both come from one registry package, the source distribution of PyPI's `kyber-py` 1.2.0
(pinned by its SHA-256 below):

- `assets/ML-KEM-keyGen-FIPS203/internalProjection.json` and
  `assets/ML-KEM-encapDecap-FIPS203/internalProjection.json` are NIST ACVP's vector sets;
  the first five ML-KEM-768 cases of keyGen (d, z -> ek) and of encapsulation
  (ek, m -> c, k) are copied out as they are;
- `src/kyber_py/ml_kem` is a pure-Python ML-KEM, written apart from lucid-tls's `mlkem768` and RustCrypto's `ml-kem`.
  It is first checked against every ML-KEM-768 ACVP case above, then used to compute the
  walkthrough's values (`cargo run --example walkthrough -- --trace pq`): the client's
  key pair from keyGen case 26's (d, z), and the encapsulation of encapsulation case 26's
  message m to that key.

tests/mlkem_kat.rs checks lucid-tls's provider against the file, and the walkthrough's
values against its last block.

    python3 tools/extract_mlkem_kat.py [--check]

With --check nothing is written, and the script fails if the file differs. Needs pip and
the PyPI registry; nothing is installed.
"""

import hashlib
import json
import os
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "kyber-py==1.2.0"
SDIST = "kyber_py-1.2.0.tar.gz"
SDIST_SHA256 = "9062b7c307b4b84980ec6b775091558d60c488985c4e8081eeb66fd4bb29a354"
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "vectors", "mlkem768", "acvp-fips203.txt")
CASES = 5
# The walkthrough's ML-KEM randomness: keyGen case 26's (d, z), encapsulation case 26's m.
WALK_KEYGEN_CASE = 26
WALK_ENCAPS_CASE = 26


def fetch(tmp):
    """Downloads the sdist and unpacks it; returns the unpacked directory."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
         PACKAGE, "-d", tmp],
        check=True,
    )
    path = os.path.join(tmp, SDIST)
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    if digest != SDIST_SHA256:
        sys.exit(f"{SDIST}: SHA-256 {digest}, expected {SDIST_SHA256}")
    with tarfile.open(path) as tar:
        tar.extractall(tmp, filter="data")
    return os.path.join(tmp, SDIST[: -len(".tar.gz")])


def mlkem768_tests(assets, name, function=None):
    with open(os.path.join(assets, name, "internalProjection.json"), encoding="utf-8") as f:
        vector_set = json.load(f)
    tests = []
    for group in vector_set["testGroups"]:
        if group["parameterSet"] == "ML-KEM-768" and group.get("function") == function:
            tests += group["tests"]
    return vector_set["vsId"], tests


def block(title, fields):
    lines = [f"[{title}]"]
    lines += [f"{key} = {value.lower()}" for key, value in fields]
    return "\n".join(lines)


def generate():
    with tempfile.TemporaryDirectory() as tmp:
        sdist = fetch(tmp)
        assets = os.path.join(sdist, "assets")
        keygen_vs, keygen = mlkem768_tests(assets, "ML-KEM-keyGen-FIPS203")
        encaps_vs, encaps = mlkem768_tests(assets, "ML-KEM-encapDecap-FIPS203", "encapsulation")
        sys.path.insert(0, os.path.join(sdist, "src"))
        from kyber_py.ml_kem import ML_KEM_768  # the independent ML-KEM-768

        # The independent implementation must agree with NIST before it computes anything.
        for t in keygen:
            ek, _ = ML_KEM_768._keygen_internal(bytes.fromhex(t["d"]), bytes.fromhex(t["z"]))
            assert ek.hex().upper() == t["ek"].upper(), f"keyGen tcId {t['tcId']}"
        for t in encaps:
            k, c = ML_KEM_768._encaps_internal(bytes.fromhex(t["ek"]), bytes.fromhex(t["m"]))
            assert (c.hex().upper(), k.hex().upper()) == (t["c"].upper(), t["k"].upper()), (
                f"encapsulation tcId {t['tcId']}"
            )

        walk_keygen = next(t for t in keygen if t["tcId"] == WALK_KEYGEN_CASE)
        walk_encaps = next(t for t in encaps if t["tcId"] == WALK_ENCAPS_CASE)
        d, z = bytes.fromhex(walk_keygen["d"]), bytes.fromhex(walk_keygen["z"])
        m = bytes.fromhex(walk_encaps["m"])
        ek, _ = ML_KEM_768._keygen_internal(d, z)
        k, c = ML_KEM_768._encaps_internal(ek, m)

    blocks = [
        "# ML-KEM-768 (FIPS 203) known answers. Written by tools/extract_mlkem_kat.py; do not edit.\n"
        f"# Source: NIST ACVP vector sets {keygen_vs} (keyGen) and {encaps_vs} (encapDecap),\n"
        f"# internal projections, as shipped in PyPI {PACKAGE} ({SDIST}, sha256 {SDIST_SHA256}).\n"
        "# [walkthrough]: the client's key from keyGen tcId 26's d and z, the server's encapsulation\n"
        "# with encapsulation tcId 26's m, computed by kyber-py's independent ML-KEM-768 after it\n"
        "# reproduced every ML-KEM-768 case of both vector sets."
    ]
    for t in keygen[:CASES]:
        blocks.append(block(f"keyGen tcId={t['tcId']}", [("d", t["d"]), ("z", t["z"]), ("ek", t["ek"])]))
    for t in encaps[:CASES]:
        fields = [("ek", t["ek"]), ("m", t["m"]), ("c", t["c"]), ("k", t["k"])]
        blocks.append(block(f"encapsulation tcId={t['tcId']}", fields))
    fields = [("d", d.hex()), ("z", z.hex()), ("m", m.hex()), ("ek", ek.hex()), ("c", c.hex()), ("k", k.hex())]
    blocks.append(block("walkthrough", fields))
    return "\n\n".join(blocks) + "\n"


def main(argv):
    text = generate()
    if "--check" in argv:
        with open(OUT, encoding="utf-8") as f:
            if f.read() != text:
                sys.exit(f"{OUT} differs from what {PACKAGE}'s vectors give")
        print(f"{OUT}: up to date")
        return
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main(sys.argv[1:])
