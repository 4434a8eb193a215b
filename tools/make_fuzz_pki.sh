#!/bin/sh
# Makes the small PKI the x509_validate fuzz target trusts and its seeds start from:
#   fuzz/fixtures/root.der          self-signed root CA (the fuzz target's one trust anchor)
#   fuzz/fixtures/intermediate.der  CA issued by the root
#   fuzz/fixtures/server.der        leaf for DNS:fuzz.example, EKU serverAuth
#   fuzz/fixtures/client.der        leaf for CN=fuzz client, EKU clientAuth
#   fuzz/fixtures/intermediate.crl.der  the intermediate's CRL, revoking serial 0x1002
# All ECDSA P-256 / SHA-256, valid for 100 years from the day it is run. The private keys
# are thrown away. Usage: sh tools/make_fuzz_pki.sh   (from the repository root; needs openssl)
set -eu
out=fuzz/fixtures
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
days=36500

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/$1.key"; }

key root
openssl req -x509 -new -key "$work/root.key" -subj "/CN=Fuzz Root" -days $days -sha256 \
  -set_serial 0x1000 \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -out "$work/root.pem"

# issue NAME SUBJECT ISSUER SERIAL EXTENSIONS...
issue() {
  name=$1 subject=$2 issuer=$3 serial=$4
  shift 4
  key "$name"
  printf '%s\n' "$@" > "$work/$name.ext"
  openssl req -new -key "$work/$name.key" -subj "$subject" -out "$work/$name.csr"
  openssl x509 -req -in "$work/$name.csr" -CA "$work/$issuer.pem" -CAkey "$work/$issuer.key" \
    -set_serial "$serial" -days $days -sha256 -extfile "$work/$name.ext" -out "$work/$name.pem"
}

issue intermediate "/CN=Fuzz Intermediate" root 0x1001 \
  "basicConstraints=critical,CA:TRUE,pathlen:0" "keyUsage=critical,keyCertSign,cRLSign"
issue server "/CN=fuzz.example" intermediate 0x1003 \
  "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
  "extendedKeyUsage=serverAuth" "subjectAltName=DNS:fuzz.example"
issue client "/CN=fuzz client" intermediate 0x1004 \
  "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
  "extendedKeyUsage=clientAuth"

# The intermediate's CRL, revoking serial 0x1002 (a certificate never issued).
mkdir -p "$work/ca"
printf 'R\t21260101000000Z\t261128000000Z\t1002\tunknown\t/CN=revoked\n' > "$work/ca/index.txt"
cat > "$work/ca.cnf" <<CNF
[ca]
default_ca = fuzz
[fuzz]
database = $work/ca/index.txt
crlnumber = $work/ca/crlnumber
default_md = sha256
default_crl_days = $days
CNF
echo 01 > "$work/ca/crlnumber"
openssl ca -config "$work/ca.cnf" -gencrl -keyfile "$work/intermediate.key" \
  -cert "$work/intermediate.pem" -out "$work/intermediate.crl.pem" 2>/dev/null

mkdir -p "$out"
for name in root intermediate server client; do
  openssl x509 -in "$work/$name.pem" -outform der -out "$out/$name.der"
done
openssl crl -in "$work/intermediate.crl.pem" -outform der -out "$out/intermediate.crl.der"
echo "wrote $out/{root,intermediate,server,client}.der and intermediate.crl.der"
