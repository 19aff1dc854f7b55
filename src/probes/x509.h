/* X.509 certificates (DER) to the columns of the certificates fact table,
 * with OpenSSL. Untrusted input: certificates come from vendor modules, stores
 * and files. Whatever the bytes, the result is either the facts of a parsed
 * certificate or a row with parse_error set; names are UTF-8 (Chinese names
 * in UTF8String, BMPString or T61String alike), SM2 keys and SM3withSM2
 * signatures are named as such. */
#ifndef CD_X509_H
#define CD_X509_H

#include <stddef.h>
#include <stdint.h>

#include "../core/error.h"

struct cd_row;

struct cd_x509 {
	char *subject;     /* RFC 2253 order (most specific first), UTF-8, as
			      `openssl x509 -nameopt RFC2253,-esc_msb` prints it */
	char *subject_cn;  /* first commonName, UTF-8 */
	char *subject_o;   /* first organizationName */
	char *issuer;
	char *issuer_cn;
	char *issuer_o;
	char *serial;      /* hex, as `openssl x509 -serial` prints it */
	int has_validity;  /* 0 when the dates could not be read */
	int64_t not_before, not_after; /* seconds since the epoch, UTC */
	char *key_alg;     /* "RSA", "SM2", "EC", "DSA", "Ed25519", or the OID */
	int key_bits;      /* 0 when unknown */
	char *sig_alg;     /* "SM3withSM2", "sha256WithRSAEncryption", or the OID */
	char *key_usage;   /* "digitalSignature, nonRepudiation", NULL without the extension */
	int is_ca;         /* basicConstraints CA:TRUE, or self-signed */
	char *sha1;        /* upper-case hex of the DER bytes read */
	char *sha256;
	char *parse_error; /* NULL when parsed */
};

/* Parses der[0..len) into x (which the caller releases in every case).
 * Returns CD_OK when it is a certificate, CD_ERR_PARSE when it is not (then
 * x->parse_error says why and x->sha256 identifies the bytes), CD_ERR_NOMEM. */
cd_err cd_x509_parse(const unsigned char *der, size_t len, struct cd_x509 *x);
void cd_x509_release(struct cd_x509 *x);

/* Adds x's columns to a certificates row; the strings stay owned by x and
 * must live until the row is inserted. */
void cd_x509_fill_row(const struct cd_x509 *x, struct cd_row *r);

/* Seconds since the epoch of a broken-down UTC time (timegm, on any OS and
 * for any year from 0 to 9999). */
int64_t cd_utc_from_tm(int year, int mon, int mday, int hour, int min, int sec);

#endif
