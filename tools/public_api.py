#!/usr/bin/env python3
"""The public API of lucid-tls as a sorted list of item paths, from rustdoc's JSON output.

    cargo +nightly rustdoc --lib --features rfc8448,tokio,embedded-io,embedded-io-async,ring-provider \
        -- -Z unstable-options --output-format json
    python3 tools/public_api.py target/doc/lucid_tls.json > docs/public-api.txt

Each line is a kind and a path: every public module, type, trait, function, constant and
re-export reachable from the crate root, every variant and public field, and every public
method of a type of this crate (inherent methods, and the methods of this crate's traits).
Signatures are not listed: a renamed, added or removed item shows up as a diff, a changed
parameter does not. `tools/check_public_api.sh` regenerates the list and compares.
"""
import json
import sys


def main(path):
    doc = json.load(open(path))
    index, paths = doc["index"], doc["paths"]
    root = doc["root"]
    lines = set()

    def public(item):
        return item.get("visibility") == "public"

    def walk_module(mod_id, prefix):
        item = index[str(mod_id)] if str(mod_id) in index else index.get(mod_id)
        if item is None:
            return
        for child_id in item["inner"]["module"]["items"]:
            child = index.get(str(child_id)) or index.get(child_id)
            if child is None or not public(child):
                continue
            kind, inner = next(iter(child["inner"].items()))
            if kind == "use":
                name = inner.get("name")
                target = index.get(str(inner.get("id")))
                if target is None or inner.get("is_glob"):
                    # An item of another crate (or a glob): the re-export itself is the API.
                    lines.add(f"re-export {prefix}::{name} = {inner.get('source')}")
                    continue
                child, child_id = target, inner.get("id")
                kind, inner = next(iter(child["inner"].items()))
                here = f"{prefix}::{name}"
                lines.add(f"{kind} {here}")
                if kind == "module":
                    walk_module(child_id, here)
                elif kind in ("struct", "enum", "union", "trait"):
                    members(child, kind, inner, here)
                continue
            if kind == "impl":
                continue
            name = child.get("name")
            here = f"{prefix}::{name}"
            lines.add(f"{kind} {here}")
            if kind == "module":
                walk_module(child_id, here)
            elif kind in ("struct", "enum", "union", "trait"):
                members(child, kind, inner, here)

    def members(item, kind, inner, here):
        if kind == "enum":
            for v in inner.get("variants", []):
                lines.add(f"variant {here}::{index[str(v)]['name']}")
        if kind == "struct":
            fields = inner.get("kind", {})
            plain = fields.get("plain", {}) if isinstance(fields, dict) else {}
            for f in plain.get("fields", []):
                field = index.get(str(f))
                if field and public(field):
                    lines.add(f"field {here}::{field['name']}")
        if kind == "trait":
            for m in inner.get("items", []):
                lines.add(f"trait-item {here}::{index[str(m)]['name']}")
        for impl_id in inner.get("impls", []):
            impl = index.get(str(impl_id))
            if impl is None:
                continue
            body = impl["inner"]["impl"]
            trait = body.get("trait")
            # Inherent methods, and methods of this crate's own traits.
            if trait is not None:
                trait_path = paths.get(str(trait.get("id")), {})
                if trait_path.get("crate_id") != 0:
                    continue
            for m in body.get("items", []):
                method = index.get(str(m))
                if method is None or (trait is None and not public(method)):
                    continue
                label = "method" if trait is None else f"impl {trait.get('path', '?')}"
                lines.add(f"{label} {here}::{method['name']}")

    walk_module(root, "lucid_tls")
    for line in sorted(lines):
        print(line)


if __name__ == "__main__":
    main(sys.argv[1])
