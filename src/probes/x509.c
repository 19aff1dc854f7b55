/* X.509 DER to certificate facts (x509.h). */
#include "x509.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>

#include "../core/facts.h"
#include "../core/util.h"

/* Days from 1970-01-01 to a civil date (proleptic Gregorian), after Howard
 * Hinnant's days_from_civil. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int64_t cd_utc_from_tm(int year, int mon, int mday, int hour, int min, int sec)
{
	return days_from_civil(year, mon, mday) * 86400 + (int64_t)hour * 3600 + (int64_t)min * 60 + sec;
}

/* A new string from a memory BIO's contents, NULL if empty or on failure. */
static char *bio_string(BIO *b)
{
	char *p = NULL;
	long n = BIO_get_mem_data(b, &p);
	if (n <= 0 || !p)
		return NULL;
	return cd_utf8_sanitize(p, (size_t)n);
}

/* Replaces control characters in a UTF-8 string by "\XX" (as RFC 2253 does). */
static char *escape_ctrl(const char *s, size_t n)
{
	char *out = malloc(n * 3 + 1), *w = out;
	size_t i;
	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f) {
			snprintf(w, 4, "\\%02X", c);
			w += 3;
		} else {
			*w++ = (char)c;
		}
	}
	*w = '\0';
	return out;
}

static char *name_string(const X509_NAME *name)
{
	static const unsigned long flags = XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB;
	/* When a value cannot be turned into UTF-8 (a BMPString of odd length,
	 * a UTF8String that is not UTF-8), every value is shown as hex instead. */
	static const unsigned long dump =
		(XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB & ~ASN1_STRFLGS_UTF8_CONVERT) | ASN1_STRFLGS_DUMP_ALL;
	BIO *b;
	char *s = NULL;
	if (!name)
		return NULL;
	b = BIO_new(BIO_s_mem());
	if (!b)
		return NULL;
	if (X509_NAME_print_ex(b, name, 0, flags) >= 0) {
		s = bio_string(b);
	} else {
		(void)BIO_reset(b);
		if (X509_NAME_print_ex(b, name, 0, dump) >= 0)
			s = bio_string(b);
	}
	BIO_free(b);
	return s;
}

/* The first value of an attribute (commonName, organizationName) as UTF-8. */
static char *name_entry(const X509_NAME *name, int nid)
{
	const X509_NAME_ENTRY *e;
	unsigned char *u = NULL;
	char *s, *v;
	int i, n;
	if (!name || (i = X509_NAME_get_index_by_NID(name, nid, -1)) < 0)
		return NULL;
	e = X509_NAME_get_entry(name, i);
	if (!e)
		return NULL;
	n = ASN1_STRING_to_UTF8(&u, X509_NAME_ENTRY_get_data(e));
	if (n < 0 || !u)
		return NULL;
	s = cd_utf8_sanitize((const char *)u, (size_t)n);
	OPENSSL_free(u);
	if (!s)
		return NULL;
	v = escape_ctrl(s, strlen(s));
	free(s);
	return v;
}

static char *hex_upper(const unsigned char *p, size_t n)
{
	static const char digits[] = "0123456789ABCDEF";
	char *s = malloc(n * 2 + 1);
	size_t i;
	if (!s)
		return NULL;
	for (i = 0; i < n; i++) {
		s[2 * i] = digits[p[i] >> 4];
		s[2 * i + 1] = digits[p[i] & 15];
	}
	s[2 * n] = '\0';
	return s;
}

/* As i2a_ASN1_INTEGER (what `openssl x509 -serial` prints), on one line. */
static char *serial_string(const ASN1_INTEGER *a)
{
	const unsigned char *p;
	char *hex, *s;
	int n;
	if (!a)
		return NULL;
	n = ASN1_STRING_length(a);
	p = ASN1_STRING_get0_data(a);
	if (n <= 0 || !p)
		return cd_strdup("00");
	hex = hex_upper(p, (size_t)n);
	if (!hex)
		return NULL;
	if (ASN1_STRING_type(a) != V_ASN1_NEG_INTEGER)
		return hex;
	s = cd_aprintf("-%s", hex);
	free(hex);
	return s;
}

static int asn1_time(const ASN1_TIME *t, int64_t *out)
{
	struct tm tm;
	if (!t)
		return 0;
	memset(&tm, 0, sizeof(tm));
	if (ASN1_TIME_to_tm(t, &tm) != 1)
		return 0;
	*out = cd_utc_from_tm(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return 1;
}

static char *oid_text(const ASN1_OBJECT *o)
{
	char buf[128];
	int n = o ? OBJ_obj2txt(buf, sizeof(buf), o, 1) : -1;
	if (n <= 0)
		return cd_strdup("unknown");
	if ((size_t)n >= sizeof(buf))
		return cd_strdup("unknown (OID too long)");
	return cd_strdup(buf);
}

/* Key algorithm from the SubjectPublicKeyInfo itself, so that a key OpenSSL
 * cannot decode still gets a name: an EC key on the SM2 curve is "SM2". */
static char *key_algorithm(X509 *x)
{
	X509_PUBKEY *pub = X509_get_X509_PUBKEY(x);
	ASN1_OBJECT *alg = NULL;
	X509_ALGOR *pa = NULL;
	const void *pval = NULL;
	int nid, ptype = 0;

	if (!pub || !X509_PUBKEY_get0_param(&alg, NULL, NULL, &pa, pub) || !alg)
		return NULL;
	nid = OBJ_obj2nid(alg);
	switch (nid) {
	case NID_rsaEncryption:
		return cd_strdup("RSA");
	case NID_rsassaPss:
		return cd_strdup("RSA-PSS");
	case NID_sm2:
		return cd_strdup("SM2");
	case NID_dsa:
		return cd_strdup("DSA");
	case NID_ED25519:
		return cd_strdup("Ed25519");
	case NID_ED448:
		return cd_strdup("Ed448");
	case NID_X9_62_id_ecPublicKey:
		if (pa)
			X509_ALGOR_get0(NULL, &ptype, &pval, pa);
		if (ptype == V_ASN1_OBJECT && pval && OBJ_obj2nid(pval) == NID_sm2)
			return cd_strdup("SM2");
		return cd_strdup("EC");
	case NID_undef:
		return oid_text(alg);
	default:
		return cd_strdup(OBJ_nid2sn(nid));
	}
}

static char *signature_algorithm(const X509 *x)
{
	const X509_ALGOR *sa = NULL;
	const ASN1_OBJECT *o = NULL;
	int nid = X509_get_signature_nid(x);
	/* The name Chinese CAs and Windows use (GM/T 0015); OpenSSL calls it
	 * SM2-with-SM3. */
	if (nid == NID_SM2_with_SM3)
		return cd_strdup("SM3withSM2");
	if (nid != NID_undef)
		return cd_strdup(OBJ_nid2ln(nid));
	X509_get0_signature(NULL, &sa, x);
	if (sa)
		X509_ALGOR_get0(&o, NULL, NULL, sa);
	return oid_text(o);
}

static char *key_usage(X509 *x)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} names[] = {
		{KU_DIGITAL_SIGNATURE, "digitalSignature"}, {KU_NON_REPUDIATION, "nonRepudiation"},
		{KU_KEY_ENCIPHERMENT, "keyEncipherment"},   {KU_DATA_ENCIPHERMENT, "dataEncipherment"},
		{KU_KEY_AGREEMENT, "keyAgreement"},         {KU_KEY_CERT_SIGN, "keyCertSign"},
		{KU_CRL_SIGN, "cRLSign"},                   {KU_ENCIPHER_ONLY, "encipherOnly"},
		{KU_DECIPHER_ONLY, "decipherOnly"},
	};
	char buf[256];
	size_t i, len = 0;
	uint32_t ku;

	if (!(X509_get_extension_flags(x) & EXFLAG_KUSAGE))
		return NULL;
	ku = X509_get_key_usage(x);
	buf[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (ku & names[i].bit) {
			int n = snprintf(buf + len, sizeof(buf) - len, "%s%s", len ? ", " : "", names[i].name);
			if (n > 0 && (size_t)n < sizeof(buf) - len)
				len += (size_t)n;
		}
	}
	return cd_strdup(buf);
}

static char *digest_hex(const EVP_MD *md, const unsigned char *p, size_t n)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int dn = 0;
	if (!md || !EVP_Digest(p, n, d, &dn, md, NULL))
		return NULL;
	return hex_upper(d, dn);
}

static char *openssl_reason(void)
{
	unsigned long e = ERR_peek_last_error();
	const char *r = e ? ERR_reason_error_string(e) : NULL;
	return cd_strdup(r ? r : "unknown reason");
}

cd_err cd_x509_parse(const unsigned char *der, size_t len, struct cd_x509 *x)
{
	const unsigned char *p = der;
	X509 *c = NULL;
	EVP_PKEY *pk;
	uint32_t flags;
	size_t used;

	memset(x, 0, sizeof(*x));
	if (!der || len == 0) {
		x->parse_error = cd_strdup("empty value: no certificate bytes");
		return x->parse_error ? CD_ERR_PARSE : CD_ERR_NOMEM;
	}
	ERR_clear_error();
	if (len <= (size_t)0x7fffffff)
		c = d2i_X509(NULL, &p, (long)len);
	if (!c) {
		char *why = openssl_reason();
		x->sha256 = digest_hex(EVP_sha256(), der, len);
		x->parse_error = cd_aprintf("not a DER X.509 certificate (%zu bytes): %s", len,
					    why ? why : "unknown reason");
		free(why);
		ERR_clear_error();
		return x->parse_error ? CD_ERR_PARSE : CD_ERR_NOMEM;
	}
	used = (size_t)(p - der);

	x->subject = name_string(X509_get_subject_name(c));
	x->subject_cn = name_entry(X509_get_subject_name(c), NID_commonName);
	x->subject_o = name_entry(X509_get_subject_name(c), NID_organizationName);
	x->issuer = name_string(X509_get_issuer_name(c));
	x->issuer_cn = name_entry(X509_get_issuer_name(c), NID_commonName);
	x->issuer_o = name_entry(X509_get_issuer_name(c), NID_organizationName);
	x->serial = serial_string(X509_get0_serialNumber(c));
	x->has_validity = asn1_time(X509_get0_notBefore(c), &x->not_before) &&
			  asn1_time(X509_get0_notAfter(c), &x->not_after);
	if (!x->has_validity)
		x->not_before = x->not_after = 0;
	x->key_alg = key_algorithm(c);
	pk = X509_get0_pubkey(c);
	x->key_bits = pk ? EVP_PKEY_get_bits(pk) : 0;
	if (x->key_bits < 0)
		x->key_bits = 0;
	x->sig_alg = signature_algorithm(c);
	/* Computes the extension flags (and key usage); never fails here. */
	flags = X509_get_extension_flags(c);
	x->key_usage = key_usage(c);
	x->is_ca = X509_check_ca(c) != 0 || (flags & EXFLAG_SS) != 0;
	x->sha1 = digest_hex(EVP_sha1(), der, used);
	x->sha256 = digest_hex(EVP_sha256(), der, used);
	if (!x->has_validity)
		x->parse_error = cd_strdup("the validity dates cannot be read");
	X509_free(c);
	ERR_clear_error();
	return x->has_validity ? CD_OK : CD_ERR_PARSE;
}

void cd_x509_release(struct cd_x509 *x)
{
	free(x->subject);
	free(x->subject_cn);
	free(x->subject_o);
	free(x->issuer);
	free(x->issuer_cn);
	free(x->issuer_o);
	free(x->serial);
	free(x->key_alg);
	free(x->sig_alg);
	free(x->key_usage);
	free(x->sha1);
	free(x->sha256);
	free(x->parse_error);
	memset(x, 0, sizeof(*x));
}

void cd_x509_fill_row(const struct cd_x509 *x, struct cd_row *r)
{
	cd_row_text(r, "subject", x->subject);
	cd_row_text(r, "subject_cn", x->subject_cn);
	cd_row_text(r, "subject_o", x->subject_o);
	cd_row_text(r, "issuer", x->issuer);
	cd_row_text(r, "issuer_cn", x->issuer_cn);
	cd_row_text(r, "issuer_o", x->issuer_o);
	cd_row_text(r, "serial", x->serial);
	if (x->has_validity) {
		cd_row_int(r, "not_before", x->not_before);
		cd_row_int(r, "not_after", x->not_after);
	} else {
		cd_row_null(r, "not_before");
		cd_row_null(r, "not_after");
	}
	cd_row_text(r, "key_alg", x->key_alg);
	if (x->key_bits > 0)
		cd_row_int(r, "key_bits", x->key_bits);
	else
		cd_row_null(r, "key_bits");
	cd_row_text(r, "sig_alg", x->sig_alg);
	cd_row_text(r, "key_usage", x->key_usage);
	if (x->subject || x->issuer || x->serial)
		cd_row_int(r, "is_ca", x->is_ca);
	else
		cd_row_null(r, "is_ca");
	cd_row_text(r, "sha1", x->sha1);
	cd_row_text(r, "sha256", x->sha256);
	cd_row_text(r, "parse_error", x->parse_error);
}
