#!/usr/bin/env bash
# Renders the illustrate page of every RFC 8448 trace and has headless Chromium (Debian's
# `chromium`) screenshot it; fails if a page does not render. The screenshots stay in
# ${1:-target/illustrate}.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/lib/render.sh
out="${1:-target/illustrate}"
mkdir -p "$out"
cargo build --quiet --example illustrate
bin="${CARGO_TARGET_DIR:-target}/debug/examples/illustrate"
for trace in simple resumed-0rtt hrr client-auth compat; do
  "$bin" --trace "$trace" --out "$out/$trace.html" >/dev/null
  render_page "$out/$trace.html" "$out/$trace.png" "RFC 8448 $trace"
done
