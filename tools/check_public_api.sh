#!/bin/sh
# Regenerates the public API listing (tools/public_api.py, on the installed nightly's
# rustdoc JSON) and fails if it differs from the checked-in docs/public-api.txt: every API
# change then shows up as a diff in review. Update the listing with `--bless`. The listing
# covers every optional part of the public API: the RFC 8448 kit, the adapters and the ring
# provider (their features), beside the default build.
set -eu
cd "$(dirname "$0")/.."
cargo +nightly rustdoc --quiet --lib \
  --features rfc8448,tokio,embedded-io,embedded-io-async,ring-provider -- -Z unstable-options --output-format json
python3 tools/public_api.py target/doc/lucid_tls.json > target/public-api.txt
if [ "${1:-}" = "--bless" ]; then
  cp target/public-api.txt docs/public-api.txt
  exit 0
fi
if ! diff -u docs/public-api.txt target/public-api.txt; then
  echo "the public API changed: review the diff, then run tools/check_public_api.sh --bless" >&2
  exit 1
fi
