#!/usr/bin/env bash
# Renders the illustrate page of every RFC 8448 trace and has headless Chromium (Debian's
# `chromium`) screenshot it; fails if a page does not render. The screenshots stay in
# ${1:-target/illustrate}.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-target/illustrate}"
mkdir -p "$out"
cargo build --quiet --example illustrate
bin="${CARGO_TARGET_DIR:-target}/debug/examples/illustrate"
for trace in simple resumed-0rtt hrr client-auth compat; do
  "$bin" --trace "$trace" --out "$out/$trace.html" >/dev/null
  rm -f "$out/$trace.png"
  timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --window-size=1200,1600 --screenshot="$out/$trace.png" "file://$(realpath "$out/$trace.html")" \
    >/dev/null 2>&1 || true
  size=$(stat -c %s "$out/$trace.png" 2>/dev/null || echo 0)
  if [ "$size" -lt 20000 ]; then
    echo "chromium did not render $trace.html (screenshot: $size bytes)"
    exit 1
  fi
  echo "chromium renders RFC 8448 $trace: $out/$trace.png ($size bytes)"
done
