#!/usr/bin/env python3
"""Where a firmware image's flash goes: per crate and per module, from the ELF's symbols.

    tools/flash_report.py IMAGE.elf [--name NAME] [IMAGE2.elf --name NAME2 ...]
        [--modules N] [--update docs/embedded.md]

Reads each image's section sizes (`llvm-size -A`) and its defined symbols with their sizes
(`llvm-nm -S -C`), and prints Markdown tables:

- the flash total (vector table, .text, .rodata and the initial values of .data, as the
  firmware's own `flash total bytes:` line counts it), per image;
- flash per crate, one column per image;
- flash per module of the first crates (lucid_tls's modules by their path, e.g.
  `client::hello`), one column per image.

A symbol is counted to the crate (and module) of the first path in its demangled name,
after `<`, `&`, `mut`, `dyn`: `<lucid_tls::x509::server_verifier::WebPkiServerVerifier as
lucid_tls::verify::ServerCertVerifier>::verify` is lucid_tls's `x509::server_verifier`. A
generic function of `core` or `alloc` instantiated for another crate's type (sorting,
drop glue, `Vec` growth) is counted to that crate, because leaving that crate out removes
it too; `core::fmt` and the like stay with `core`. Symbols without a path (memcpy, the
compiler's intrinsics, the vector table) are `(no path)`; the compiler's unnamed constants
(`.Lanon.*`: string literals, error messages, switch tables) are `(anonymous constants)`.
Bytes of a section that no symbol covers (merged literals, alignment) are `(no symbol)`.

With LTO, functions inlined into a caller are counted to the caller: the figures say what
leaving a module's entry points out would save, not a source line count.

`--update FILE` replaces the text between the lines `<!-- flash-report:begin -->` and
`<!-- flash-report:end -->` in FILE with the report, so docs/embedded.md can be refreshed
after a build (demos/mcu/run prints the command).
"""

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict

BEGIN = "<!-- flash-report:begin -->"
END = "<!-- flash-report:end -->"
FLASH_SECTIONS = (".vector_table", ".text", ".rodata", ".data")
STD_CRATES = {"core", "alloc", "std"}
PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:::[A-Za-z_][A-Za-z0-9_]*)*")


def llvm_tool(name):
    """Debian's LLVM tools: on PATH as `llvm-nm`, or under /usr/lib/llvm-*/bin."""
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(glob.glob(f"/usr/lib/llvm-*/bin/{name}"), reverse=True):
        if os.access(candidate, os.X_OK):
            return candidate
    sys.exit(f"flash_report: {name} not found (apt-get install llvm)")


def sections(elf):
    """Section name -> (size, address)."""
    out = subprocess.run(
        [llvm_tool("llvm-size"), "-A", elf], check=True, capture_output=True, text=True
    ).stdout
    result = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0].startswith(".") and parts[1].isdigit():
            result[parts[0]] = (int(parts[1]), int(parts[2]))
    return result


def sidata(elf):
    """The address of cortex-m-rt's `__sidata` (where .data's initial values sit in flash)."""
    out = subprocess.run(
        [llvm_tool("llvm-nm"), "--defined-only", elf], check=True, capture_output=True, text=True
    ).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == "__sidata":
            return int(parts[0], 16)
    return None


def symbols(elf):
    """(address, size, kind, demangled name) of every defined symbol with a size."""
    out = subprocess.run(
        [llvm_tool("llvm-nm"), "-S", "-C", "--defined-only", elf],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result = []
    for line in out.splitlines():
        parts = line.split(" ", 3)
        if len(parts) != 4:
            continue
        address, size, kind, name = parts
        result.append((int(address, 16), int(size, 16), kind, name))
    return result


def first_path(name):
    """The first path in a demangled name, past `<`, `&`, `mut `, `dyn `, `[`."""
    rest = name
    while True:
        stripped = rest.lstrip("<&[(* ")
        for prefix in ("mut ", "dyn ", "const "):
            if stripped.startswith(prefix):
                stripped = stripped[len(prefix) :]
        if stripped == rest:
            break
        rest = stripped
    match = PATH.match(rest)
    return match.group(0) if match else ""


def owner(name):
    """(crate, module path within the crate) that a symbol is counted to."""
    if name.startswith("."):
        return "(anonymous constants)", ""
    path = first_path(name)
    segments = path.split("::") if path else []
    if not segments or len(segments) == 1:
        return "(no path)", ""
    crate = segments[0]
    if crate in STD_CRATES:
        # A generic of core/alloc instantiated for another crate's type counts there.
        rest = name[len(path) :]
        for found in PATH.finditer(rest):
            other = found.group(0)
            if rest[: found.start()].endswith("::"):
                continue  # a method or inner function of the std type, not a type argument
            other_crate = other.split("::")[0]
            if "::" in other and other_crate not in STD_CRATES:
                crate, segments = other_crate, other.split("::")
                break
    # Modules are snake_case; the path stops at the first type (CamelCase) or function.
    modules = []
    for segment in segments[1:-1]:
        if not segment[:1].islower() and segment[:1] != "_":
            break
        modules.append(segment)
    return crate, "::".join(modules[:2])


def measure(elf):
    """Flash total, bytes per crate, bytes per (crate, module)."""
    secs = sections(elf)
    spans = {s: secs[s] for s in FLASH_SECTIONS if s in secs}
    total = sum(size for size, _ in spans.values())
    # As the firmware counts its `flash total bytes`: up to the end of .data's initial
    # values, alignment gaps included.
    start = sidata(elf)
    if start is not None:
        total = start + spans.get(".data", (0, 0))[0]
    crates = defaultdict(int)
    modules = defaultdict(int)
    covered = 0
    for address, size, _kind, name in symbols(elf):
        if size == 0:
            continue
        in_flash = any(start <= address < start + length for length, start in spans.values())
        if not in_flash:
            continue
        crate, module = owner(name)
        crates[crate] += size
        modules[(crate, module)] += size
        covered += size
    crates["(no symbol)"] += max(total - covered, 0)
    return total, crates, modules


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" + "---:|" * (len(header) - 1)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def bytes_cell(value):
    return f"{value:,}" if value else "–"


def report(images, module_crates, module_rows):
    names = [name for name, _ in images]
    measured = [measure(elf) for _, elf in images]
    out = []
    out.append(
        table(
            ["image", "flash total bytes", "KiB"],
            [[n, f"{t:,}", f"{t / 1024:.1f}"] for n, (t, _, _) in zip(names, measured)],
        )
    )
    all_crates = set().union(*(c.keys() for _, c, _ in measured))
    order = sorted(all_crates, key=lambda c: -max(m[1].get(c, 0) for m in measured))
    out.append("")
    out.append("Per crate:")
    out.append("")
    out.append(
        table(
            ["crate"] + names,
            [[f"`{c}`"] + [bytes_cell(m[1].get(c, 0)) for m in measured] for c in order],
        )
    )
    all_modules = set().union(*(m.keys() for _, _, m in measured))
    chosen = [key for key in all_modules if key[0] in module_crates]
    chosen.sort(key=lambda k: -max(m[2].get(k, 0) for m in measured))
    out.append("")
    out.append(f"Per module ({', '.join(module_crates)}; the {module_rows} largest):")
    out.append("")
    out.append(
        table(
            ["module"] + names,
            [
                [f"`{crate}::{module}`" if module else f"`{crate}` (root)"]
                + [bytes_cell(m[2].get((crate, module), 0)) for m in measured]
                for crate, module in chosen[:module_rows]
            ],
        )
    )
    return "\n".join(out) + "\n"


def update(path, text):
    with open(path, encoding="utf-8") as f:
        doc = f.read()
    start, end = doc.find(BEGIN), doc.find(END)
    if start < 0 or end < start:
        sys.exit(f"flash_report: {path} has no {BEGIN} ... {END} block")
    doc = doc[: start + len(BEGIN)] + "\n" + text + doc[end:]
    with open(path, "w", encoding="utf-8") as f:
        f.write(doc)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("images", nargs="+", help="ELF files, each optionally NAME=PATH")
    parser.add_argument("--modules", type=int, default=30, help="module rows (default 30)")
    parser.add_argument(
        "--module-crates",
        default="lucid_tls,webpki,p256,lucid_tls_mcu_demo",
        help="crates whose modules are listed (comma-separated)",
    )
    parser.add_argument("--update", metavar="FILE", help="replace the report block in FILE")
    args = parser.parse_args()
    images = []
    for spec in args.images:
        name, _, path = spec.rpartition("=")
        images.append((name or os.path.basename(path), path))
    text = report(images, args.module_crates.split(","), args.modules)
    if args.update:
        update(args.update, text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
