#!/usr/bin/env bash
# Issue 5's "done when", in its own words: examples/server on 127.0.0.1:8443 with a fresh
# CA and certificate (openssl CLI), and exactly `curl --cacert ca.pem https://localhost:8443/`
# gets the 200 page. The server is stopped (its whole process group) however this ends.
# Needs openssl and curl.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
out=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then
    kill -- "-$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$out"
}
trap cleanup EXIT

if (exec 3<>/dev/tcp/127.0.0.1/8443) 2>/dev/null; then
  echo "check_curl: port 8443 is already in use; stop what listens there" >&2
  exit 1
fi

cargo build --quiet --example server

bash tools/test_ca.sh "$out"
cd "$out"

# setsid: the server (cargo execs it) leads its own process group, killed as one.
setsid cargo run --quiet --manifest-path "$repo/Cargo.toml" --example server -- \
  --listen 127.0.0.1:8443 --cert server.pem --key server.key >server.log 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do
  grep -q '^listening on' server.log && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if ! grep -q '^listening on 127.0.0.1:8443' server.log; then
  echo "check_curl: examples/server did not start:" >&2
  cat server.log >&2
  exit 1
fi

status=0
page=$(curl --cacert ca.pem https://localhost:8443/ 2>curl.err) || status=$?
head=$(curl --cacert ca.pem -sS -o /dev/null -w '%{http_code}' https://localhost:8443/ 2>>curl.err) || status=$?
if [ "$status" -ne 0 ] || [ "$head" != 200 ] || ! grep -q 'lucid-tls example server' <<<"$page"; then
  echo "check_curl: curl --cacert ca.pem https://localhost:8443/ failed (exit $status, HTTP $head)" >&2
  cat curl.err >&2
  printf '%s\n' "$page" >&2
  echo "--- server log:" >&2
  cat server.log >&2
  exit 1
fi
printf '%s\n' "$page"
echo "check_curl: curl --cacert ca.pem https://localhost:8443/ got the 200 page from examples/server"
