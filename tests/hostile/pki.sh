#!/usr/bin/env bash
# The hostile server's PKI, made fresh with openssl in directory $1: an ECDSA P-256 CA
# (ca.pem), server certificates for hostile.test under it with ECDSA P-256 (ecdsa.pem/.key)
# and RSA 2048 (rsa.pem/.key) keys, one that expired in 2020 (expired.pem/.key), and a
# self-signed one the client must not trust (untrusted.pem/.key).
set -euo pipefail
dir=$1
mkdir -p "$dir"
cd "$dir"
[ -s expired.pem ] && exit 0
san="subjectAltName=DNS:hostile.test"
openssl ecparam -name prime256v1 -genkey -noout -out ca.key.sec1 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in ca.key.sec1 -out ca.key
openssl req -x509 -new -key ca.key -sha256 -days 2 -subj "/CN=hostile test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" \
  -out ca.pem 2>/dev/null
leaf() { # name, key options
  local name=$1; shift
  openssl genpkey "$@" -out "$name.key" 2>/dev/null
  openssl req -new -key "$name.key" -subj "/CN=hostile.test" -out "$name.csr" 2>/dev/null
  printf '%s\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' \
    "$san" >"$name.ext"
  openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -sha256 -days 2 \
    -extfile "$name.ext" -out "$name.pem" 2>/dev/null
}
leaf ecdsa -algorithm EC -pkeyopt ec_paramgen_curve:P-256
leaf rsa -algorithm RSA -pkeyopt rsa_keygen_bits:2048
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out untrusted.key.tmp 2>/dev/null
openssl req -x509 -new -key untrusted.key.tmp -sha256 -days 2 -subj "/CN=hostile.test" \
  -addext "$san" -addext "basicConstraints=critical,CA:FALSE" -out untrusted.pem 2>/dev/null
mv untrusted.key.tmp untrusted.key
# Expired: `openssl ca` is the openssl 3.0 tool that takes explicit validity dates.
cat >ca.cnf <<'CNF'
[ca]
default_ca = hostile
[hostile]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = any
[any]
commonName = supplied
[leaf]
subjectAltName = DNS:hostile.test
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
CNF
: >index.txt
echo 01 >serial
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out expired.key 2>/dev/null
openssl req -new -key expired.key -subj "/CN=hostile.test" -out expired.csr 2>/dev/null
openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in expired.csr -notext \
  -startdate 20200101000000Z -enddate 20200102000000Z -extensions leaf -out expired.pem 2>/dev/null
