/* Redaction (src/core/redact.h): the patterns, what is kept, pseudonyms that
 * are the same everywhere and stable, and redaction run twice changing
 * nothing more (a redacted snapshot loads and redacts to itself). */
#include <stdlib.h>
#include <string.h>

#include "../../src/core/facts.h"
#include "../../src/core/redact.h"
#include "check.h"

static int has(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
}

static void check_text(const char *in, const char *must_go, const char *must_stay)
{
	char *out = cd_redact_text(in);
	CHECK(out != NULL);
	if (must_go && has(out, must_go)) {
		check_failed++;
		fprintf(stderr, "not redacted: \"%s\" in \"%s\"\n", must_go, out);
	} else {
		check_passed++;
	}
	if (must_stay && !has(out, must_stay)) {
		check_failed++;
		fprintf(stderr, "over-redacted: \"%s\" gone from \"%s\"\n", must_stay, out);
	} else {
		check_passed++;
	}
	/* idempotent */
	{
		char *again = cd_redact_text(out);
		CHECK(again && !strcmp(again, out));
		free(again);
	}
	free(out);
}

static void patterns(void)
{
	char p1[32], p2[32];
	CHECK(cd_id18_valid("11010519491231002X", 18));
	CHECK(cd_id18_valid("11010519491231002x", 18));
	CHECK(cd_id18_valid("110101199003074514", 18));
	CHECK(!cd_id18_valid("110101199003074515", 18));
	CHECK(!cd_id18_valid("11010119900307451", 17));

	check_text("ID 110101199003074514 on file", "110101199003074514", "ID ");
	check_text("SERIALNUMBER=SF11010519491231002X,CN=x", "11010519491231002X", "SERIALNUMBER=");
	check_text("old id 110105491231002", "110105491231002", "old id");
	check_text("tel 13912345678.", "13912345678", "tel ");
	check_text("+86 139-1234-5678", "1234-5678", "+86");
	check_text("call 8613912345678 now", "8613912345678", "now");
	check_text("mail zhang.san@example.com please", "zhang.san@example.com", "please");
	check_text("C:\\Users\\zhangsan\\AppData\\x.dll", "zhangsan", "\\AppData\\x.dll");
	check_text("/home/lisi/.pki/nssdb", "lisi", "/.pki/nssdb");
	check_text("C:\\Users\\Zhang San\\Desktop", "Zhang San", "\\Desktop");
	check_text("http://bob:secret@proxy.corp.cn:8080", "secret", "@proxy.corp.cn:8080");
	/* kept: not personal */
	check_text("C:\\Users\\Public\\Documents", NULL, "C:\\Users\\Public\\Documents");
	check_text("/home/root", NULL, "/home/root");
	check_text("serial 110101199003074515 (bad check digit)", NULL, "110101199003074515");
	check_text("build 12345678901", NULL, "12345678901");
	check_text("size 1763769600000", NULL, "1763769600000");
	check_text("sha256 0a1b2c3d110101199003074514e5f60718293a4b5c6d7e8f9012345678abcdef", NULL,
		   "0a1b2c3d110101199003074514e5f6");
	check_text("version 3.3.0.1, https://www.lnwlzb.com/", NULL, "https://www.lnwlzb.com/");

	cd_pseudonym("phone", "+86 139 1234 5678", strlen("+86 139 1234 5678"), p1, sizeof(p1));
	cd_pseudonym("phone", "13912345678", 11, p2, sizeof(p2));
	CHECK_STR(p1, p2);
	CHECK(cd_is_pseudonym(p1, strlen(p1)));
	cd_pseudonym("sn", "0A1B", 4, p1, sizeof(p1));
	CHECK(strlen(p1) == 15 && cd_is_pseudonym(p1, 15));
	CHECK(!cd_is_pseudonym("name-xyz123", 11));
	/* stable across runs and machines: a fixed value */
	cd_pseudonym("name", "\xe5\xbc\xa0\xe4\xb8\x89", 6, p1, sizeof(p1));
	cd_pseudonym("name", "\xe5\xbc\xa0\xe4\xb8\x89", 6, p2, sizeof(p2));
	CHECK_STR(p1, p2);
}

static void row(struct cd_facts *f, const char *table, const char *const *kv)
{
	struct cd_row r;
	cd_row_init(&r, table);
	for (; kv[0]; kv += 2)
		cd_row_text(&r, kv[0], kv[1]);
	CHECK(cd_row_insert(f, &r) == CD_OK);
}

static char *dump(struct cd_facts *f)
{
	struct cd_buf b;
	cd_buf_init(&b, 0);
	CHECK(cd_facts_dump_text(f, &b) == CD_OK);
	return cd_buf_detach(&b);
}

static void facts(void)
{
	struct cd_facts *f;
	char *once, *twice, pz[32];
	static const char *const host[] = {"os_family", "windows", "hostname", "DESKTOP-ZS8K2Q", NULL};
	/* a personal certificate of an employee: CN differs from O */
	static const char *const personal[] = {
		"subject", "CN=\xe5\xbc\xa0\xe4\xb8\x89,O=\xe8\xbe\xbd\xe5\xae\x81\xe6\x9f\x90\xe6\x9f\x90\xe5\x85\xac\xe5\x8f\xb8,E=zs@example.com",
		"subject_cn", "\xe5\xbc\xa0\xe4\xb8\x89",
		"subject_o", "\xe8\xbe\xbd\xe5\xae\x81\xe6\x9f\x90\xe6\x9f\x90\xe5\x85\xac\xe5\x8f\xb8",
		"issuer", "CN=LNCA SM2 CA,O=LNCA", "issuer_cn", "LNCA SM2 CA", "issuer_o", "LNCA",
		"serial", "5A1B2C3D4E5F6071", "sha1", "00112233445566778899AABBCCDDEEFF00112233",
		"location", "D:\\\xe6\x8a\x95\xe6\xa0\x87\\\xe5\xbc\xa0\xe4\xb8\x89.pfx", "user", "zhangsan", NULL};
	/* an organisation's certificate and a CA: kept */
	static const char *const org[] = {
		"subject", "CN=\xe8\xbe\xbd\xe5\xae\x81\xe6\x9f\x90\xe6\x9f\x90\xe5\x85\xac\xe5\x8f\xb8,O=\xe8\xbe\xbd\xe5\xae\x81\xe6\x9f\x90\xe6\x9f\x90\xe5\x85\xac\xe5\x8f\xb8",
		"subject_cn", "\xe8\xbe\xbd\xe5\xae\x81\xe6\x9f\x90\xe6\x9f\x90\xe5\x85\xac\xe5\x8f\xb8",
		"subject_o", "\xe8\xbe\xbd\xe5\xae\x81\xe6\x9f\x90\xe6\x9f\x90\xe5\x85\xac\xe5\x8f\xb8",
		"issuer_cn", "LNCA SM2 CA", "serial", "77", NULL};
	static const char *const ca[] = {"subject", "CN=LNCA SM2 CA,O=LNCA", "subject_cn", "LNCA SM2 CA",
					 "subject_o", "LNCA", "issuer_cn", "LNCA Root", NULL};
	/* a name written beside the organisation: 王五@辽宁某某公司 */
	static const char *const beside[] = {
		"subject_cn", "\xe7\x8e\x8b\xe4\xba\x94@\xe8\xbe\xbd\xe5\xae\x81\xe6\x9f\x90\xe6\x9f\x90\xe5\x85\xac\xe5\x8f\xb8",
		"subject_o", "\xe8\xbe\xbd\xe5\xae\x81\xe6\x9f\x90\xe6\x9f\x90\xe5\x85\xac\xe5\x8f\xb8", "issuer_cn", "LNCA SM2 CA", NULL};
	static const char *const token[] = {"label", "\xe5\xbc\xa0\xe4\xb8\x89", "serial", "K0001TOKEN", NULL};
	static const char *const file[] = {"path", "C:\\Users\\zhangsan\\AppData\\Local\\DESKTOP-ZS8K2Q.log",
					   "purpose", "vendor log", NULL};

	CHECK(cd_facts_open(&f) == CD_OK);
	if (!f)
		return;
	row(f, "host", host);
	row(f, "certificates", personal);
	row(f, "certificates", org);
	row(f, "certificates", ca);
	row(f, "certificates", beside);
	row(f, "tokens", token);
	row(f, "files", file);
	CHECK(!cd_facts_redacted(f));
	CHECK(cd_redact_facts(f) == CD_OK);
	CHECK(cd_facts_redacted(f));
	once = dump(f);
	CHECK(!has(once, "\xe5\xbc\xa0\xe4\xb8\x89"));  /* the name, everywhere: subject, label, file name */
	CHECK(!has(once, "zhangsan"));
	CHECK(!has(once, "\xe7\x8e\x8b\xe4\xba\x94")); /* 王五 */
	CHECK(has(once, "@\xe8\xbe\xbd\xe5\xae\x81\xe6\x9f\x90\xe6\x9f\x90\xe5\x85\xac\xe5\x8f\xb8\n")); /* ...@辽宁某某公司 */
	CHECK(!has(once, "zs@example.com"));
	CHECK(!has(once, "DESKTOP-ZS8K2Q"));
	CHECK(!has(once, "5A1B2C3D4E5F6071"));
	CHECK(!has(once, "K0001TOKEN"));
	CHECK(!has(once, "00112233445566778899AABBCCDDEEFF00112233"));
	CHECK(has(once, "\xe8\xbe\xbd\xe5\xae\x81\xe6\x9f\x90\xe6\x9f\x90\xe5\x85\xac\xe5\x8f\xb8")); /* the company */
	CHECK(has(once, "subject_cn: LNCA SM2 CA"));
	CHECK(has(once, "\\AppData\\Local\\"));
	CHECK(has(once, "vendor log"));
	/* one pseudonym per value, wherever it was */
	cd_pseudonym("name", "\xe5\xbc\xa0\xe4\xb8\x89", 6, pz, sizeof(pz));
	CHECK(has(once, pz));
	{
		char *p = strstr(once, pz);
		int n = 0;
		for (; p; p = strstr(p + 1, pz))
			n++;
		CHECK(n >= 4); /* subject, subject_cn, location, token label */
	}
	CHECK(cd_redact_facts(f) == CD_OK);
	twice = dump(f);
	CHECK(once && twice && !strcmp(once, twice));
	free(once);
	free(twice);
	cd_facts_free(f);
}

int main(void)
{
	patterns();
	facts();
	return check_summary("test_redact");
}
