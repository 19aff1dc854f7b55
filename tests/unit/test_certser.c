/* Serialized certificate store elements (src/probes/certser.c) on the seeds
 * of tests/fuzz/corpus/certser: wine_*.bin were written by the real
 * CertSerializeCertificateStoreElement (tests/wine/certimport.c --serialize
 * under Wine); the others are crafted: Chinese names and a character outside
 * the BMP, offsets pointing outside, a name without its NUL, a key provider
 * info shorter than its header, no certificate, an element longer than the
 * file, an end marker, trailing bytes. */
#include <stdlib.h>
#include <string.h>

#include "../../src/core/util.h"
#include "../../src/probes/certser.h"
#include "../../src/probes/x509.h"
#include "check.h"

static const char *dir;
static char *data;
static size_t len;

static void parse(const char *name, struct cd_cert_element *e)
{
	char *path = cd_aprintf("%s/tests/fuzz/corpus/certser/%s", dir, name);
	free(data);
	data = NULL;
	len = 0;
	if (!path || cd_read_file(path, 1 << 20, &data, &len) != CD_OK)
		fprintf(stderr, "cannot read %s\n", path ? path : name);
	free(path);
	cd_cert_element_parse((const unsigned char *)data, len, e);
}

/* The certificate found parses, and is the one made with subject CN cn. */
static void cert_is(const struct cd_cert_element *e, const char *cn)
{
	struct cd_x509 x;
	memset(&x, 0, sizeof(x));
	CHECK(e->cert != NULL);
	if (!e->cert)
		return;
	CHECK(cd_x509_parse(e->cert, e->cert_len, &x) == CD_OK);
	CHECK_STR(x.subject_cn, cn);
	cd_x509_release(&x);
}

static int contains(const char *s, const char *part)
{
	return s && strstr(s, part) != NULL;
}

int main(void)
{
	struct cd_cert_element e;
	dir = getenv("CADOCTOR_SOURCE_DIR");
	if (!dir)
		dir = ".";

	/* What Windows (Wine's crypt32) writes. */
	parse("wine_keyprov.bin", &e);
	cert_is(&e, "王五");
	CHECK(e.has_key_prov_info == 1);
	CHECK_STR(e.provider, "EnterSafe ePass3003 CSP");
	CHECK(e.container != NULL && strlen(e.container) > 2 && !strcmp(e.container + strlen(e.container) - 2, "-1"));
	CHECK(e.prov_type == 1);
	CHECK(e.key_spec == 1);
	CHECK(e.error == NULL);
	cd_cert_element_release(&e);
	parse("wine_no_keyprov.bin", &e);
	cert_is(&e, "王五");
	CHECK(e.has_key_prov_info == 0);
	CHECK(e.provider == NULL && e.container == NULL);
	CHECK(e.error == NULL);
	cd_cert_element_release(&e);

	parse("chinese_names.bin", &e);
	cert_is(&e, "BJCA 测试");
	CHECK_STR(e.container, "张三的容器\xf0\xa0\x80\x80");
	CHECK_STR(e.provider, "飞天诚信 ePass3003 CSP");
	CHECK(e.key_spec == 2);
	CHECK(e.error == NULL);
	cd_cert_element_release(&e);

	/* Broken key provider info: the certificate is still read. */
	parse("bad_offsets.bin", &e);
	CHECK(e.cert != NULL && e.has_key_prov_info == 1);
	CHECK(e.provider == NULL && e.container == NULL);
	CHECK(contains(e.error, "points outside the key provider info"));
	cd_cert_element_release(&e);
	parse("no_nul.bin", &e);
	CHECK(e.cert != NULL && e.provider == NULL);
	CHECK(contains(e.error, "no terminating NUL"));
	cd_cert_element_release(&e);
	parse("short_kpi.bin", &e);
	CHECK(e.cert != NULL && e.has_key_prov_info == 1 && e.provider == NULL);
	CHECK(contains(e.error, "shorter than its 28-byte header"));
	cd_cert_element_release(&e);
	parse("unpaired_surrogate.bin", &e);
	CHECK_STR(e.container, "\xef\xbf\xbd" "A");
	CHECK_STR(e.provider, "p");
	cd_cert_element_release(&e);

	/* Broken elements. */
	parse("truncated.bin", &e);
	CHECK(e.cert == NULL);
	CHECK(contains(e.error, "bytes but only"));
	cd_cert_element_release(&e);
	parse("huge_length.bin", &e);
	CHECK(e.cert == NULL);
	CHECK(contains(e.error, "element 0 (property 32) says 4294967295 bytes"));
	cd_cert_element_release(&e);
	parse("no_cert.bin", &e);
	CHECK(e.cert == NULL && e.has_key_prov_info == 1);
	CHECK(contains(e.error, "no certificate (property 32)"));
	cd_cert_element_release(&e);
	parse("empty.bin", &e);
	CHECK(e.cert == NULL);
	CHECK(contains(e.error, "empty"));
	cd_cert_element_release(&e);
	parse("end_marker.bin", &e);
	cert_is(&e, "BJCA 测试");
	CHECK(e.error == NULL);
	cd_cert_element_release(&e);
	parse("trailing.bin", &e);
	CHECK(e.cert != NULL);
	CHECK(contains(e.error, "3 bytes after the last element"));
	cd_cert_element_release(&e);

	cd_cert_element_parse(NULL, 10, &e);
	CHECK(e.cert == NULL && e.error != NULL);
	cd_cert_element_release(&e);
	free(data);
	return check_summary("test_certser");
}
