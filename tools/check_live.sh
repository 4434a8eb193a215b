#!/usr/bin/env bash
# A live handshake with `openssl s_server -www`: illustrate --connect renders it, and tshark
# decrypts the capture with the key log (the Finished messages and the HTTP request), and
# headless Chromium renders the page. Needs openssl, Debian's tshark and chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/lib/render.sh
shots="${1:-target/illustrate}"
mkdir -p "$shots"
out=$(mktemp -d)
server_pid=
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$out"' EXIT
cargo build --quiet --example illustrate
bin="${CARGO_TARGET_DIR:-target}/debug/examples/illustrate"
bash tools/test_ca.sh "$out"
port=$((20000 + RANDOM % 20000))
openssl s_server -www -tls1_3 -accept "$port" -cert "$out/server.pem" -key "$out/server.key" \
  >"$out/s_server.log" 2>&1 &
server_pid=$!
sleep 1
SSLKEYLOGFILE="$out/keys" "$bin" --connect "localhost:$port" --ca "$out/ca.pem" \
  --out "$out/live.html" --pcap "$out/live.pcap"
fields=$(tshark -r "$out/live.pcap" -o "tls.keylog_file:$out/keys" -Y tls \
  -T fields -e tls.handshake.type -e http.request.method 2>/dev/null | tr '\t,' '\n\n')
finished=$(grep -cx 20 <<<"$fields" || true)
gets=$(grep -cx GET <<<"$fields" || true)
if [ "$finished" -ne 2 ] || [ "$gets" -ne 1 ]; then
  echo "tshark: live handshake: $finished Finished, $gets GET decrypted (want 2 and 1)"
  exit 1
fi
render_page "$out/live.html" "$shots/live.png" "the live handshake page"
echo "live handshake with openssl s_server: page rendered, tshark decrypts 2 Finished and the GET"
