#!/usr/bin/env python3
"""Extract the test vectors of RFC 8448 ("Example Handshake Traces for TLS 1.3")
into plain-text data files, one per trace, so tests never retype a byte.

    python3 tools/extract_rfc8448.py [RFC8448.TXT]          # (re)write vectors/rfc8448/*.txt
    python3 tools/extract_rfc8448.py --check [RFC8448.TXT]  # exit 1 if the files are stale

Input: the RFC Editor's plain-text RFC 8448, page headers, footers and form
feeds included. Without a path argument the tool looks for
`shared/reference/rfc8448.txt` next to the repository root and then next to
each of its ancestors (so it works from /work/main and from a worktree such as
/work/wt/<name>). The file's SHA-256 is pinned: another text is refused, so
the output depends on nothing but this script.

Output: vectors/rfc8448/{keys,simple,resumed,hrr,client_auth,compat}.txt for
RFC 8448 §2 to §7. The format is documented in vectors/README.md; in short:

    # comment lines (file header, summary, notes on values the RFC writes in words)
    [client] derive secret "tls13 c hs traffic"      <- a block: [actor] heading
    PRK = 1dc826e9...                                 <- a value: label = lowercase hex
    hash =                                            <- an empty value

How the RFC text is read (each step is a function below, in this order):
 1. remove_page_breaks: drop each page's footer ("Thomson  Informational
    [Page N]"), the form feed, the next page's header ("RFC 8448  TLS 1.3
    Traces  January 2019") and the blank lines around them. A hex value or a
    heading split by a page break becomes contiguous again.
 2. split_sections: cut the text at the numbered section titles ("3.  Simple
    1-RTT Handshake") and keep §2 to §7.
 3. parse_section: a block starts at "{client}  ..." or "{server}  ..."
    (3 spaces of indent); its heading may continue on following lines while a
    parenthesis is open ("(same as server handshake\\n secret)"). A heading
    ending in ':' announces values; one ending in "(same as ...)" has none. A
    value starts with "label (N octets):  hex..." (6 spaces of indent) and
    continues on lines of hex (9 spaces). §2 has no {actor} markers: its values
    sit at 3 and 6 spaces and are put into one block (see KEYS_BLOCK).
 4. Every declared "(N octets)" is checked against the bytes read, so a lost
    or doubled line (the typical page-break bug) stops the tool.

Values the RFC writes in words rather than hex:
  * "hash (0 octets):  (empty)"  -> an empty value ("hash =").
  * "salt:  0 (all zero octets)" -> Hash.length zero octets. RFC 9846 §7.1
    uses "0" for "a string of Hash.length bytes set to zero"; Hash.length is
    taken from the same block's `secret` (the HKDF-Extract output, always
    Hash.length long). A comment line above the value quotes the RFC's words.
Any other non-hex text is an error, so nothing is silently misread.

Python 3 standard library only; output is deterministic (RFC order, no
timestamps, '\\n' line endings).
"""

import hashlib
import os
import re
import sys

# SHA-256 of the RFC Editor's rfc8448.txt (see shared/reference/README.md).
RFC8448_SHA256 = "6564d1376d1ec744fc7a9993da15ebc1b9be361908b166091f47ef605c537fba"

# Section number -> output file name (without .txt), in RFC order.
TRACE_FILES = {
    2: "keys",
    3: "simple",
    4: "resumed",
    5: "hrr",
    6: "client_auth",
    7: "compat",
}

# §2 lists the server's RSA key without a "{server}" marker; its sentence
# reads "The server in most examples uses an RSA certificate with a private
# key of:". The tool files those values under this (actor, heading).
KEYS_BLOCK = ("server", "RSA certificate private key")

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT_DIR = os.path.join(REPO_ROOT, "vectors", "rfc8448")
SOURCE_RELPATH = os.path.join("shared", "reference", "rfc8448.txt")

# Page furniture of the RFC Editor's text format.
PAGE_FOOTER = re.compile(r"^Thomson\s+Informational\s+\[Page \d+\]$")
PAGE_HEADER = re.compile(r"^RFC 8448\s+TLS 1\.3 Traces\s+January 2019$")
# A numbered top-level section title, e.g. "3.  Simple 1-RTT Handshake".
SECTION_TITLE = re.compile(r"^(\d+)\.\s+(\S.*)$")
# "{client}  derive secret ..." - the start of a block.
BLOCK_START = re.compile(r"^ {3}\{(client|server)\}  (\S.*)$")
# "label (N octets):  text" - the start of a value; two spaces follow the colon.
VALUE_START = re.compile(r"^(?P<label>\S[^:]*?)(?: \((?P<octets>\d+) octets\))?:  (?P<text>\S.*)$")
# Hex octets separated by single spaces: "01 00 00 c0".
HEX_OCTETS = re.compile(r"^[0-9a-f]{2}(?: [0-9a-f]{2})*$")


class ExtractError(Exception):
    """The RFC text did not have the shape this tool expects."""


# ---------------------------------------------------------------------------
# Step 1: page breaks
# ---------------------------------------------------------------------------

def remove_page_breaks(text):
    """Return [(line_number, line)] without page footers, form feeds, page
    headers and the blank lines that pad them, so page breaks vanish."""
    lines = []
    after_header = False  # True while skipping the blank lines below a page header
    for number, raw in enumerate(text.split("\n"), start=1):
        # A form feed starts a new page; it may share its line with the header.
        line = raw.rstrip().lstrip("\f")
        if PAGE_FOOTER.match(line):
            while lines and lines[-1][1] == "":
                lines.pop()  # the blank lines that pad the bottom of the page
            continue
        if PAGE_HEADER.match(line):
            after_header = True
            continue
        if line == "" and (after_header or raw.startswith("\f")):
            continue  # the form feed's own line, or padding at the top of a page
        after_header = False
        lines.append((number, line))
    return lines


# ---------------------------------------------------------------------------
# Step 2: sections
# ---------------------------------------------------------------------------

def split_sections(lines):
    """Return {section number: (title, [(line_number, line)])} for the body
    sections (the table of contents is skipped: its titles are indented)."""
    sections = {}
    current = None
    for number, line in lines:
        match = SECTION_TITLE.match(line)
        if match:
            current = int(match.group(1))
            if current in sections:
                raise ExtractError(f"line {number}: section {current} appears twice")
            sections[current] = (match.group(2).strip(), [])
            continue
        if current is not None:
            sections[current][1].append((number, line))
    missing = [n for n in TRACE_FILES if n not in sections]
    if missing:
        raise ExtractError(f"sections not found: {missing}")
    return sections


# ---------------------------------------------------------------------------
# Step 3: blocks and values
# ---------------------------------------------------------------------------

class Value:
    """One labelled value: `label`, `octets` (bytes), and `notes` (comment
    lines that explain a value the RFC wrote in words)."""

    def __init__(self, label, declared, first_line):
        self.label = label
        self.declared = declared  # the "(N octets)" count, or None
        self.first_line = first_line
        self.hex_lines = []  # the raw hex text, line by line
        self.words = None  # non-hex text such as "(empty)"
        self.octets = b""
        self.notes = []


class Block:
    """One step of a trace: `actor` ("client"/"server"), `heading` (without
    the trailing colon) and its `values` in RFC order."""

    def __init__(self, actor, heading, first_line):
        self.actor = actor
        self.heading = heading
        self.first_line = first_line
        self.has_values = True  # False for "(same as ...)" blocks
        self.values = []


def parse_section(section, lines):
    """Parse one section's lines into a list of Blocks."""
    if section == 2:
        value_indent, first_block = 3, Block(*KEYS_BLOCK, lines[0][0])
    else:
        value_indent, first_block = 6, None
    continuation_indent = value_indent + 3

    blocks = [first_block] if first_block else []
    value = None  # the value whose hex lines are being read
    i = 0
    while i < len(lines):
        number, line = lines[i]
        i += 1
        if line == "":
            value = None  # a blank line ends a value
            continue

        block_match = BLOCK_START.match(line) if section != 2 else None
        if block_match:
            heading = block_match.group(2)
            # A heading continues on the next lines while a parenthesis is open.
            while heading.count("(") > heading.count(")"):
                if i >= len(lines) or lines[i][1] == "":
                    raise ExtractError(f"line {number}: unterminated heading {heading!r}")
                heading += " " + lines[i][1].strip()
                i += 1
            heading = " ".join(heading.split())
            block = Block(block_match.group(1), heading.removesuffix(":"), number)
            if re.search(r"\(same as [^()]*\)$", block.heading):
                # "{client}  derive secret ... (same as server)" repeats no values.
                # (Once, in §4, such a heading also ends in ':'; the ':' is dropped.)
                block.has_values = False
            elif not heading.endswith(":"):
                raise ExtractError(f"line {number}: heading neither ends in ':' nor "
                                   f"'(same as ...)': {heading!r}")
            blocks.append(block)
            value = None
            continue

        indent = len(line) - len(line.lstrip(" "))
        body = line.strip()

        if indent == continuation_indent and value is not None and HEX_OCTETS.match(body):
            if value.words is not None:
                raise ExtractError(f"line {number}: hex after non-hex text in {value.label!r}")
            value.hex_lines.append(body)
            continue

        value_match = VALUE_START.match(body) if indent == value_indent else None
        if value_match and blocks:
            block = blocks[-1]
            if not block.has_values:
                raise ExtractError(f"line {number}: value in a '(same as ...)' block")
            declared = value_match.group("octets")
            value = Value(value_match.group("label"),
                          int(declared) if declared is not None else None, number)
            text = value_match.group("text")
            if HEX_OCTETS.match(text):
                value.hex_lines.append(text)
            else:
                value.words = text
            block.values.append(value)
            continue

        started = blocks[-1].values if section == 2 else blocks
        if not started:
            continue  # introductory prose before the section's first block (§2: value)
        raise ExtractError(f"line {number}: unexpected text in section {section}: {line!r}")

    for block in blocks:
        if block.has_values and not block.values:
            raise ExtractError(f"line {block.first_line}: no values under {block.heading!r}")
        labels = [v.label for v in block.values]
        if len(labels) != len(set(labels)):
            raise ExtractError(f"line {block.first_line}: repeated label in {block.heading!r}")
        for value in block.values:
            resolve_value(block, value)
    return blocks


def resolve_value(block, value):
    """Turn a value's text into octets and check the declared length."""
    where = f"line {value.first_line} ({block.heading!r} / {value.label!r})"
    if value.words is None:
        value.octets = bytes.fromhex(" ".join(value.hex_lines))
    elif value.words == "(empty)" and value.declared == 0:
        value.octets = b""
        value.notes.append(f'{value.label}: the RFC writes "(empty)"')
    elif value.words == "0 (all zero octets)" and value.declared is None:
        # RFC 9846 §7.1: "0" indicates a string of Hash.length bytes set to zero.
        # HKDF-Extract outputs Hash.length octets, so the block's `secret` gives it.
        secrets = [v for v in block.values if v.label == "secret" and v.words is None]
        if len(secrets) != 1:
            raise ExtractError(f"{where}: no 'secret' to take Hash.length from")
        hash_length = len(bytes.fromhex(" ".join(secrets[0].hex_lines)))
        value.octets = bytes(hash_length)
        value.notes.append(f'{value.label}: the RFC writes "{value.words}"; written here as '
                           f"Hash.length ({hash_length}) zero octets (RFC 9846 §7.1)")
    else:
        raise ExtractError(f"{where}: cannot read value text {value.words!r}")
    if value.declared is not None and value.declared != len(value.octets):
        raise ExtractError(f"{where}: declared {value.declared} octets, read {len(value.octets)}")


# ---------------------------------------------------------------------------
# Step 4: output
# ---------------------------------------------------------------------------

def render(section, title, blocks):
    """Render one trace file's text."""
    values = sum(len(b.values) for b in blocks)
    octets = sum(len(v.octets) for b in blocks for v in b.values)
    out = [
        f"# RFC 8448 §{section} {title} — generated by tools/extract_rfc8448.py; do not edit",
        f"# source: rfc8448.txt, sha256 {RFC8448_SHA256}",
        f"# summary: {len(blocks)} blocks, {values} values, {octets} octets",
    ]
    for block in blocks:
        out.append("")
        out.append(f"[{block.actor}] {block.heading}")
        for value in block.values:
            out.extend(f"# {note}" for note in value.notes)
            out.append(f"{value.label} = {value.octets.hex()}".rstrip())
    return "\n".join(out) + "\n"


def extract(text):
    """Return ({file name: file text}, {file name: (blocks, values)})."""
    sections = split_sections(remove_page_breaks(text))
    files, counts = {}, {}
    for section, name in TRACE_FILES.items():
        title, lines = sections[section]
        blocks = parse_section(section, lines)
        files[name + ".txt"] = render(section, title, blocks)
        counts[name] = (len(blocks), sum(len(b.values) for b in blocks))
    return files, counts


def find_source():
    """The RFC next to the repository root or next to one of its ancestors."""
    directory = os.path.dirname(REPO_ROOT)
    while True:
        candidate = os.path.join(directory, SOURCE_RELPATH)
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            raise ExtractError(f"{SOURCE_RELPATH} not found next to {REPO_ROOT} or its "
                               "ancestors; pass the path to rfc8448.txt as an argument")
        directory = parent


def main(argv):
    args = argv[1:]
    check = "--check" in args
    paths = [a for a in args if a != "--check"]
    if len(paths) > 1 or any(p.startswith("-") for p in paths):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    try:
        source = paths[0] if paths else find_source()
        with open(source, "rb") as f:
            raw = f.read()
        digest = hashlib.sha256(raw).hexdigest()
        if digest != RFC8448_SHA256:
            raise ExtractError(f"{source}: sha256 {digest} is not the RFC Editor's "
                               f"rfc8448.txt ({RFC8448_SHA256})")
        files, counts = extract(raw.decode("ascii"))
    except (OSError, ExtractError) as error:
        print(f"extract_rfc8448: {error}", file=sys.stderr)
        return 1

    if check:
        stale = []
        for name, text in files.items():
            path = os.path.join(OUTPUT_DIR, name)
            try:
                with open(path, encoding="utf-8", newline="") as f:
                    current = f.read()
            except OSError:
                current = None
            if current != text:
                stale.append(os.path.relpath(path, REPO_ROOT))
        if stale:
            print("extract_rfc8448: out of date (run python3 tools/extract_rfc8448.py): "
                  + ", ".join(stale), file=sys.stderr)
            return 1
        print(f"extract_rfc8448: {len(files)} files up to date")
        return 0

    os.makedirs(OUTPUT_DIR, exist_ok=True)
    for name, text in files.items():
        with open(os.path.join(OUTPUT_DIR, name), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    for name, (blocks, values) in counts.items():
        print(f"{name}: {blocks} blocks, {values} values")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
