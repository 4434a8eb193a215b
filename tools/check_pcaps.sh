#!/usr/bin/env bash
# For every RFC 8448 trace: the walkthrough writes a pcap and a key log, and tshark must
# decrypt the handshake (both Finished messages) and show the application data or the
# closing alerts. Needs Debian's tshark (apt-get install -y tshark).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo build --quiet --example walkthrough
bin="${CARGO_TARGET_DIR:-target}/debug/examples/walkthrough"
# trace, and how many application_data records (0-RTT included) RFC 8448 shows in it
for entry in simple:2 resumed-0rtt:3 hrr:0 client-auth:0 compat:0; do
  trace=${entry%%:*}
  want_data=${entry##*:}
  "$bin" --trace "$trace" --pcap "$out/$trace.pcap" --keylog "$out/$trace.keys" >/dev/null
  fields=$(tshark -r "$out/$trace.pcap" -o "tls.keylog_file:$out/$trace.keys" -Y tls \
    -T fields -e tls.handshake.type -e tls.alert_message.desc 2>/dev/null | tr '\t,' '\n\n')
  finished=$(grep -cx 20 <<<"$fields" || true)
  closes=$(grep -cx 0 <<<"$fields" || true)
  if [ "$finished" -ne 2 ] || [ "$closes" -ne 2 ]; then
    echo "tshark: $trace: $finished Finished messages and $closes close_notify decrypted (want 2 and 2)"
    exit 1
  fi
  # Decrypted application data is handed to a dissector: its name shows in app_data_proto.
  data=$(tshark -r "$out/$trace.pcap" -o "tls.keylog_file:$out/$trace.keys" -Y tls \
    -T fields -e tls.app_data_proto 2>/dev/null | grep -c . || true)
  if [ "$data" -ne "$want_data" ]; then
    echo "tshark: $trace: $data application data records decrypted (want $want_data)"
    exit 1
  fi
  echo "tshark decrypts RFC 8448 $trace: 2 Finished, 2 close_notify, $data application data records"
done
