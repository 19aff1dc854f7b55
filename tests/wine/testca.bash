# A throwaway certificate authority for the set-ups of test machines that
# need certificates (certs_in_store, certs_other_user, pkcs11_middleware):
# sourced, never run, in a scratch directory the set-up removes.
#   testca_init SERIAL "CA SUBJECT" KEY_USAGE [preserve]
#       a self-signed CA (ca.pem, ca.key) and an `openssl ca` set-up whose
#       serial numbers start at SERIAL and whose certificates have KEY_USAGE
#       (e.g. "digitalSignature, keyEncipherment"); with "preserve" the
#       subject keeps the order it is written in (-preserveDN)
#   testca_issue NAME "SUBJECT" STARTDATE ENDDATE
#       NAME.key, NAME.pem and NAME.der, valid from STARTDATE to ENDDATE
#       (YYYYMMDDhhmmssZ)
# OpenSSL 3.0 has no -not_after for req/x509, so certificates are signed with
# `openssl ca` and explicit -startdate/-enddate.

testca_init() {
  mkdir -p newcerts
  : >index.txt
  echo "$1" >serial
  TESTCA_PRESERVE=()
  [ "${4:-}" = preserve ] && TESTCA_PRESERVE=(-preserveDN)
  cat >ca.cnf <<CNF
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = .
database = ./index.txt
new_certs_dir = ./newcerts
serial = ./serial
certificate = ./ca.pem
private_key = ./ca.key
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
x509_extensions = user_ext
[ policy_any ]
commonName = supplied
organizationName = optional
countryName = optional
[ user_ext ]
basicConstraints = CA:FALSE
keyUsage = $3
CNF
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 3650 -utf8 \
    -subj "$2" 2>/dev/null
}

testca_issue() {
  openssl req -new -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -utf8 -subj "$2" 2>/dev/null
  openssl ca -batch -config ca.cnf -utf8 -notext "${TESTCA_PRESERVE[@]}" -in "$1.csr" -out "$1.pem" \
    -startdate "$3" -enddate "$4" 2>/dev/null
  openssl x509 -in "$1.pem" -outform DER -out "$1.der"
}
