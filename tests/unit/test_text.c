/* Text handling: stanza format, UTF-8, folding, versions, templates, time. */
#include <stdlib.h>

#include "../../src/core/stanza.h"
#include "../../src/core/template.h"
#include "../../src/core/util.h"
#include "check.h"

static void test_stanza(void)
{
	static const char text[] = "# comment\nRule: a.b\nQuery:\n  SELECT 1\n   AS x\n  .\n  FROM t\n"
				   "Title-zh: 标题\n\n\nRule: second\nX: y  \n";
	struct cd_stanza_file f;
	struct cd_diag d;
	CHECK(cd_stanza_parse("t.rules", text, sizeof(text) - 1, &f, &d) == CD_OK);
	CHECK(f.nstanzas == 2);
	CHECK_STR(cd_stanza_get(&f.stanzas[0], "rule"), "a.b");
	CHECK_STR(cd_stanza_get(&f.stanzas[0], "Query"), "SELECT 1\n AS x\n\nFROM t");
	CHECK(cd_stanza_field(&f.stanzas[0], "Query")->line == 3);
	CHECK(cd_stanza_field(&f.stanzas[0], "Query")->first_line == 4);
	CHECK_STR(cd_stanza_get(&f.stanzas[0], "Title-zh"), "标题");
	CHECK(f.stanzas[1].line == 11);
	CHECK_STR(cd_stanza_get(&f.stanzas[1], "X"), "y");
	cd_stanza_file_release(&f);

	/* Errors name the line. */
	CHECK(cd_stanza_parse("bad", "A: 1\nnot a field\n", 16, &f, &d) == CD_ERR_PARSE);
	CHECK(d.line == 2);
	CHECK(cd_stanza_parse("bad", "A: 1\nA: 2\n", 10, &f, &d) == CD_ERR_PARSE);
	CHECK(d.line == 2 && strstr(d.msg, "twice"));
	CHECK(cd_stanza_parse("bad", "  cont\n", 7, &f, &d) == CD_ERR_PARSE);
	CHECK(cd_stanza_parse("bad", "A: \xff\xfe\n", 7, &f, &d) == CD_ERR_PARSE);
	CHECK(strstr(d.msg, "UTF-8") != NULL);
	CHECK(cd_stanza_parse("bad", "A: x\0y\n", 7, &f, &d) == CD_ERR_PARSE);
	/* A BOM and CRLF line ends are accepted. */
	CHECK(cd_stanza_parse("bom", "\xEF\xBB\xBF" "A: 1\r\n", 9, &f, &d) == CD_OK);
	CHECK_STR(cd_stanza_get(&f.stanzas[0], "A"), "1");
	cd_stanza_file_release(&f);
}

static void test_utf8_fold(void)
{
	char *s;
	CHECK(cd_utf8_valid("证书", strlen("证书")));
	CHECK(!cd_utf8_valid("\xc0\xaf", 2)); /* overlong */
	CHECK(!cd_utf8_valid("\xed\xa0\x80", 3)); /* surrogate */
	CHECK(!cd_utf8_valid("\xe8\xaf", 2)); /* truncated */
	s = cd_utf8_sanitize("a\xffz", 3);
	CHECK_STR(s, "a\xEF\xBF\xBDz");
	free(s);
	s = cd_fold_for_match("Load XTX  fail!");
	CHECK_STR(s, "loadxtxfail");
	free(s);
	s = cd_fold_for_match("CA 解密失败，无法获取密钥");
	CHECK_STR(s, "ca解密失败无法获取密钥");
	free(s);
	s = cd_fold_for_match("ＬＯＡＤ　ｘｔｘ"); /* full-width letters and space */
	CHECK_STR(s, "loadxtx");
	free(s);
	s = cd_fold_for_match("“操作失败”");
	CHECK_STR(s, "操作失败");
	free(s);
}

static void test_versions(void)
{
	CHECK(cd_version_cmp("2.10", "2.9") > 0);
	CHECK(cd_version_cmp("2.9", "2.9.0") == 0);
	CHECK(cd_version_cmp("3.3.0.1", "3.3") > 0);
	CHECK(cd_version_cmp("v2.9", "2.9") == 0);
	CHECK(cd_version_cmp("1.0.1", "1.0.beta") > 0);
	CHECK(cd_version_cmp("", "0") == 0);
	CHECK(cd_version_cmp(NULL, "1") < 0);
	CHECK(cd_version_cmp("99999999999999999999", "1") > 0); /* no overflow trap */
}

static const char *lookup(void *ud, const char *name, int *found)
{
	(void)ud;
	*found = 1;
	if (!strcmp(name, "name"))
		return "飞天";
	if (!strcmp(name, "t"))
		return "1700000000";
	if (!strcmp(name, "nul"))
		return NULL;
	*found = 0;
	return NULL;
}

static void test_template(void)
{
	struct cd_buf b;
	char bad[64];
	const char *cols[] = {"name", "t"};
	cd_buf_init(&b, 0);
	CHECK(cd_template_render("{name} {{x}} {t:date} {t:datetime} {nul}", lookup, NULL, &b) == CD_OK);
	CHECK_STR(cd_buf_str(&b), "飞天 {x} 2023-11-14 2023-11-14 22:13 UTC -");
	cd_buf_release(&b);
	CHECK(cd_template_check("{name} and {t:date}", cols, 2, bad, sizeof(bad)) == CD_OK);
	CHECK(cd_template_check("{missing}", cols, 2, bad, sizeof(bad)) == CD_ERR_PARSE);
	CHECK_STR(bad, "{missing}");
	CHECK(cd_template_check("{t:weird}", cols, 2, bad, sizeof(bad)) == CD_ERR_PARSE);
	CHECK(cd_template_check("{name", cols, 2, bad, sizeof(bad)) == CD_ERR_PARSE);
}

static void test_time_and_buf(void)
{
	char t[32];
	struct cd_buf b;
	int i;
	cd_format_utc(0, t, sizeof(t));
	CHECK_STR(t, "1970-01-01T00:00:00Z");
	cd_format_utc(253402300799LL, t, sizeof(t)); /* year 9999 */
	CHECK_STR(t, "9999-12-31T23:59:59Z");
	cd_format_utc(-631152000LL, t, sizeof(t)); /* 1950 */
	CHECK_STR(t, "1950-01-01T00:00:00Z");
	cd_format_utc(951782400LL, t, sizeof(t)); /* leap day 2000 */
	CHECK_STR(t, "2000-02-29T00:00:00Z");
	/* A buffer with a maximum fails once and stays failed. */
	cd_buf_init(&b, 16);
	for (i = 0; i < 10; i++)
		cd_buf_adds(&b, "abc");
	CHECK(b.failed && cd_buf_str(&b) == NULL);
	CHECK(cd_buf_adds(&b, "x") == CD_ERR_NOMEM);
	cd_buf_release(&b);
	CHECK(cd_buf_adds(&b, "ok") == CD_OK);
	CHECK_STR(cd_buf_str(&b), "ok");
	cd_buf_release(&b);
}

int main(void)
{
	test_stanza();
	test_utf8_fold();
	test_versions();
	test_template();
	test_time_and_buf();
	return check_summary("test_text");
}
