#!/bin/sh
# Makes the RSASSA-PSS PKI of the rsa_pss handshake tests (tests/x509/rsa_pss.rs) and the
# key-loading unit tests: end-entity keys whose PKCS#8 and certificate algorithm is
# id-RSASSA-PSS (1.2.840.113549.1.1.10), which rcgen cannot make.
#   tests/fixtures/rsa_pss/root.der        self-signed root CA, RSA 2048 (rsaEncryption),
#                                          sha256WithRSAEncryption
#   tests/fixtures/rsa_pss/server.der      leaf for DNS:www.example.com, EKU serverAuth, an
#                                          RSA-PSS key WITHOUT parameters (any hash)
#   tests/fixtures/rsa_pss/server.key.der  its private key, PKCS#8 DER
#   tests/fixtures/rsa_pss/client.der      leaf for CN=pss client, EKU clientAuth, an RSA-PSS
#                                          key WITH parameters: SHA-256, MGF1-SHA-256, salt 32
#   tests/fixtures/rsa_pss/client.key.der  its private key, PKCS#8 DER
#   tests/fixtures/rsa_pss/pss_ca.der      an intermediate CA with an RSA-PSS key (no
#                                          parameters), issued by the root
#   tests/fixtures/rsa_pss/under_pss_ca.der  a P-256 leaf for DNS:www.example.com that the
#                                          RSA-PSS CA signed (RSASSA-PSS, SHA-256, salt 32)
# The server and client leaves are issued by the root with sha256WithRSAEncryption, valid for 100 years from
# the day this runs (the tests validate at 2027-06-01). The root's key is thrown away.
# Usage: sh tools/make_rsa_pss_pki.sh   (from the repository root; needs openssl 1.1.1+)
set -eu
out=tests/fixtures/rsa_pss
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
days=36500

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/root.key"
openssl req -x509 -new -key "$work/root.key" -subj "/CN=PSS Test Root" -days $days -sha256 \
  -set_serial 0x2000 \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -out "$work/root.pem"

# leaf NAME SUBJECT SERIAL "GENPKEY OPTIONS" EXTENSIONS...
leaf() {
  name=$1 subject=$2 serial=$3 keyopts=$4
  shift 4
  # shellcheck disable=SC2086 # the key options are separate words on purpose
  openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 $keyopts -out "$work/$name.key"
  printf '%s\n' "$@" > "$work/$name.ext"
  openssl req -new -key "$work/$name.key" -subj "$subject" -out "$work/$name.csr"
  openssl x509 -req -in "$work/$name.csr" -CA "$work/root.pem" -CAkey "$work/root.key" \
    -set_serial "$serial" -days $days -sha256 -extfile "$work/$name.ext" -out "$work/$name.pem"
  openssl pkcs8 -topk8 -nocrypt -in "$work/$name.key" -outform der -out "$work/$name.key.der"
}

leaf server "/CN=www.example.com" 0x2001 "" \
  "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
  "extendedKeyUsage=serverAuth" "subjectAltName=DNS:www.example.com"
leaf client "/CN=pss client" 0x2002 \
  "-pkeyopt rsa_pss_keygen_md:sha256 -pkeyopt rsa_pss_keygen_mgf1_md:sha256 -pkeyopt rsa_pss_keygen_saltlen:32" \
  "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
  "extendedKeyUsage=clientAuth"

# A CA whose own key is id-RSASSA-PSS, and a leaf it signs (what lucid-tls does not accept
# on a path: see src/x509/signatures.rs).
leaf pss_ca "/CN=PSS Intermediate CA" 0x2003 "" \
  "basicConstraints=critical,CA:TRUE,pathlen:0" "keyUsage=critical,keyCertSign,cRLSign"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/under_pss_ca.key"
printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
  "extendedKeyUsage=serverAuth" "subjectAltName=DNS:www.example.com" > "$work/under_pss_ca.ext"
openssl req -new -key "$work/under_pss_ca.key" -subj "/CN=www.example.com" \
  -out "$work/under_pss_ca.csr"
openssl x509 -req -in "$work/under_pss_ca.csr" -CA "$work/pss_ca.pem" -CAkey "$work/pss_ca.key" \
  -set_serial 0x2004 -days $days -sha256 -sigopt rsa_padding_mode:pss \
  -sigopt rsa_pss_saltlen:32 -extfile "$work/under_pss_ca.ext" -out "$work/under_pss_ca.pem"

mkdir -p "$out"
for name in root server client pss_ca under_pss_ca; do
  openssl x509 -in "$work/$name.pem" -outform der -out "$out/$name.der"
done
cp "$work/server.key.der" "$work/client.key.der" "$out/"
echo "wrote $out/{root,server,client,pss_ca,under_pss_ca}.der and {server,client}.key.der"
