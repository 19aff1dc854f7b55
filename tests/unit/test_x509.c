/* Certificate parsing (src/probes/x509.c) on the crafted certificates of the
 * fuzz corpus (tests/fuzz/corpus/x509): names in BMPString and T61String
 * come out as UTF-8, absurd dates (1950, 9999) as plain numbers, negative
 * and huge serials as hex, SM2 keys and SM3withSM2 signatures by name, and
 * everything OpenSSL cannot read as a parse_error. Real OpenSSL-made
 * certificates are compared with `openssl x509` in tests/integration/probe_pkcs11.sh. */
#include <stdlib.h>
#include <string.h>

#include "../../src/core/util.h"
#include "../../src/probes/x509.h"
#include "check.h"

static const char *dir;

static cd_err parse(const char *name, struct cd_x509 *x)
{
	char *path = cd_aprintf("%s/tests/fuzz/corpus/x509/%s", dir, name), *data = NULL;
	size_t len = 0;
	cd_err e;
	memset(x, 0, sizeof(*x));
	if (!path || cd_read_file(path, 1 << 20, &data, &len) != CD_OK) {
		fprintf(stderr, "cannot read %s\n", path ? path : name);
		free(path);
		return CD_ERR_IO;
	}
	e = cd_x509_parse((const unsigned char *)data, len, x);
	free(path);
	free(data);
	return e;
}

int main(void)
{
	struct cd_x509 x;

	dir = getenv("CADOCTOR_SOURCE_DIR");
	if (!dir)
		dir = ".";

	CHECK(cd_utc_from_tm(1970, 1, 1, 0, 0, 0) == 0);
	CHECK(cd_utc_from_tm(1950, 1, 1, 0, 0, 0) == -631152000);
	CHECK(cd_utc_from_tm(9999, 12, 31, 23, 59, 59) == 253402300799LL);
	CHECK(cd_utc_from_tm(2024, 2, 29, 12, 0, 0) == 1709208000);

	CHECK(parse("crafted_bmp_t61_negserial.der", &x) == CD_OK);
	CHECK_STR(x.issuer, "CN=LNCA 测试,O=辽宁省数字证书认证管理有限公司"); /* BMPString */
	CHECK_STR(x.issuer_o, "辽宁省数字证书认证管理有限公司");
	CHECK_STR(x.subject_o, "Café Société"); /* T61String (Latin-1) */
	CHECK_STR(x.subject_cn, "张三");
	CHECK_STR(x.serial, "-3039");
	CHECK(x.has_validity && x.not_before == -631152000 && x.not_after == 253402300799LL);
	CHECK_STR(x.key_alg, "1.2.3.4"); /* unknown key algorithm: its OID */
	CHECK_STR(x.sig_alg, "1.2.3.4.5.6.7");
	CHECK(x.key_bits == 0 && x.key_usage == NULL && x.parse_error == NULL);
	CHECK(x.sha1 && strlen(x.sha1) == 40 && x.sha256 && strlen(x.sha256) == 64);
	cd_x509_release(&x);

	CHECK(parse("sm2_oid_key.der", &x) == CD_OK);
	CHECK_STR(x.key_alg, "SM2");
	CHECK_STR(x.sig_alg, "SM3withSM2");
	cd_x509_release(&x);
	CHECK(parse("sm2_curve_badpoint.der", &x) == CD_OK);
	CHECK_STR(x.key_alg, "SM2");
	CHECK(x.key_bits == 0);
	cd_x509_release(&x);
	CHECK(parse("sm2_selfsigned_ca.der", &x) == CD_OK);
	CHECK_STR(x.key_alg, "SM2");
	CHECK(x.key_bits == 256 && x.is_ca == 1);
	CHECK_STR(x.subject_o, "辽宁省数字证书认证管理有限公司");
	cd_x509_release(&x);
	CHECK(parse("rsa_selfsigned.der", &x) == CD_OK);
	CHECK_STR(x.key_alg, "RSA");
	CHECK_STR(x.key_usage, "digitalSignature, nonRepudiation");
	CHECK_STR(x.sig_alg, "sha256WithRSAEncryption");
	CHECK(x.key_bits == 1024 && x.is_ca == 1);
	cd_x509_release(&x);

	/* Control characters are escaped, never stored raw. */
	CHECK(parse("ctrl_chars_in_cn.der", &x) == CD_OK);
	CHECK_STR(x.subject_cn, "a\\01b\\1Bc\\7Fd");
	CHECK_STR(x.subject, "O=Plain\\,Org\\+\\\"x\\\",CN=a\\01b\\1Bc\\7Fd");
	cd_x509_release(&x);

	CHECK(parse("long_serial.der", &x) == CD_OK);
	CHECK(x.serial && strlen(x.serial) == 122 && strchr(x.serial, '\n') == NULL);
	cd_x509_release(&x);

	/* Broken: a parse_error, and the bytes still identified. */
	CHECK(parse("bad_month.der", &x) == CD_ERR_PARSE);
	CHECK_STR(x.parse_error, "the validity dates cannot be read");
	CHECK(!x.has_validity);
	cd_x509_release(&x);
	CHECK(parse("time_garbage.der", &x) == CD_ERR_PARSE);
	cd_x509_release(&x);
	CHECK(parse("undecodable_names.der", &x) == CD_ERR_PARSE);
	CHECK(x.parse_error && !strncmp(x.parse_error, "not a DER X.509 certificate", 27));
	CHECK(x.sha256 && strlen(x.sha256) == 64);
	cd_x509_release(&x);
	CHECK(parse("truncated.der", &x) == CD_ERR_PARSE);
	cd_x509_release(&x);
	CHECK(parse("random.bin", &x) == CD_ERR_PARSE);
	cd_x509_release(&x);
	CHECK(parse("empty.der", &x) == CD_ERR_PARSE);
	CHECK_STR(x.parse_error, "empty value: no certificate bytes");
	cd_x509_release(&x);
	CHECK(cd_x509_parse(NULL, 0, &x) == CD_ERR_PARSE);
	cd_x509_release(&x);
	/* Bytes after the certificate: the certificate, fingerprinted without them. */
	CHECK(parse("trailing_bytes.der", &x) == CD_OK);
	{
		struct cd_x509 y;
		CHECK(parse("sm2_selfsigned_ca.der", &y) == CD_OK);
		CHECK_STR(x.sha256, y.sha256);
		cd_x509_release(&y);
	}
	cd_x509_release(&x);

	return check_summary("test_x509");
}
