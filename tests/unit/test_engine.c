/* The engine: the SQL sandbox, facts rows and snapshots, rule compilation
 * and evaluation, and the string table. */
#include <sqlite3.h>
#include <stdlib.h>

#include "../../src/core/facts.h"
#include "../../src/core/findings.h"
#include "../../src/core/i18n.h"
#include "../../src/core/rules.h"
#include "../../src/core/sandbox.h"
#include "../../src/core/util.h"
#include "../../src/platform/platform.h"
#include "check.h"

static const char *tmpdir(void)
{
	/* A fresh directory per run: leftovers of an earlier run must not count. */
	static char dir[256];
	if (!dir[0]) {
		const char *t = getenv("TMPDIR");
		snprintf(dir, sizeof(dir), "%s/cadoctor-unit-XXXXXX", t && *t ? t : "/tmp");
		if (!mkdtemp(dir))
			abort();
	}
	return dir;
}

static int prepare(struct cd_facts *f, const char *sql, char *why, size_t n)
{
	sqlite3_stmt *st = NULL;
	struct cd_diag d;
	cd_err e;
	cd_diag_clear(&d);
	e = cd_sandbox_prepare(cd_facts_db(f), sql, &st, &d);
	snprintf(why, n, "%s", d.msg);
	sqlite3_finalize(st);
	return e;
}

static void test_sandbox(void)
{
	struct cd_facts *f;
	char why[1024];
	CHECK(cd_facts_open(&f) == CD_OK);
	CHECK(prepare(f, "SELECT name FROM programs WHERE version_cmp(version, '2.9') < 0", why, sizeof(why)) == CD_OK);
	CHECK(prepare(f, "WITH t(x) AS (SELECT 1) SELECT x FROM t", why, sizeof(why)) == CD_OK);
	CHECK(prepare(f, "INSERT INTO programs(name) VALUES('x')", why, sizeof(why)) == CD_ERR_DENIED);
	CHECK(strstr(why, "writes to table programs") != NULL);
	CHECK(prepare(f, "UPDATE host SET clock_utc = 0", why, sizeof(why)) == CD_ERR_DENIED);
	CHECK(prepare(f, "CREATE TABLE x(a)", why, sizeof(why)) == CD_ERR_DENIED);
	CHECK(prepare(f, "DROP TABLE host", why, sizeof(why)) == CD_ERR_DENIED);
	CHECK(prepare(f, "ATTACH ':memory:' AS y", why, sizeof(why)) == CD_ERR_DENIED);
	CHECK(prepare(f, "PRAGMA table_info(host)", why, sizeof(why)) == CD_ERR_DENIED);
	CHECK(prepare(f, "SELECT * FROM pragma_table_info('host')", why, sizeof(why)) == CD_ERR_DENIED);
	CHECK(prepare(f, "SELECT sql FROM sqlite_schema", why, sizeof(why)) == CD_ERR_DENIED);
	CHECK(prepare(f, "SELECT load_extension('x')", why, sizeof(why)) == CD_ERR_DENIED);
	/* Reads that name no column (count(*)) come without a database name. */
	CHECK(prepare(f, "SELECT count(*) FROM sqlite_master", why, sizeof(why)) == CD_ERR_DENIED);
	CHECK(prepare(f, "SELECT count(*) FROM host", why, sizeof(why)) == CD_OK);
	CHECK(prepare(f, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n LIMIT 3) SELECT count(*) FROM n",
		      why, sizeof(why)) == CD_OK);
	CHECK(prepare(f, "SELECT 1; DELETE FROM host", why, sizeof(why)) == CD_ERR_DENIED);
	CHECK(prepare(f, "BEGIN", why, sizeof(why)) == CD_ERR_DENIED);
	CHECK(prepare(f, "SELECT nothing FROM host", why, sizeof(why)) == CD_ERR_SQL);
	CHECK(prepare(f, "", why, sizeof(why)) == CD_ERR_SQL);
	/* Writes through the engine's own connection still work: the authorizer is
	 * only in force while a rule is prepared. */
	CHECK(cd_facts_set_meta(f, "k", "v") == CD_OK);
	cd_facts_free(f);
}

static void test_step_budget(void)
{
	struct cd_facts *f;
	sqlite3_stmt *st = NULL;
	struct cd_diag d;
	long long budget = 100000;
	int rc;
	CHECK(cd_facts_open(&f) == CD_OK);
	CHECK(cd_sandbox_prepare(cd_facts_db(f),
				 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n) SELECT count(*) FROM n",
				 &st, &d) == CD_OK);
	rc = cd_sandbox_step(cd_facts_db(f), st, &budget);
	CHECK(rc == SQLITE_INTERRUPT);
	CHECK(budget <= 0);
	sqlite3_finalize(st);
	cd_facts_free(f);
}

static void test_rows_and_snapshot(void)
{
	struct cd_facts *f, *g;
	struct cd_row r;
	struct cd_diag d;
	char path[512], *v;
	CHECK(cd_facts_open(&f) == CD_OK);
	cd_row_init(&r, "programs");
	cd_row_text(&r, "name", "CA互联互通(辽宁版)");
	cd_row_text(&r, "version", "3.3");
	cd_row_text(&r, "publisher", "bad\xff utf8"); /* stored sanitised */
	cd_row_int(&r, "system_component", 0);
	cd_row_bool(&r, "status", -1);
	CHECK(cd_row_insert(f, &r) == CD_OK);
	cd_row_init(&r, "programs");
	cd_row_text(&r, "no_such_column", "x");
	CHECK(cd_row_insert(f, &r) == CD_ERR_SQL);
	cd_row_init(&r, "not_a_table");
	cd_row_text(&r, "x", "x");
	CHECK(cd_row_insert(f, &r) == CD_ERR_INVALID);
	CHECK(cd_facts_count(f, "programs") == 1);
	CHECK(cd_facts_count(f, "sqlite_master") == -1);

	snprintf(path, sizeof(path), "%s/snap.db", tmpdir());
	CHECK(cd_facts_save(f, path, &d) == CD_OK);
	CHECK(cd_facts_save(f, path, &d) == CD_OK); /* overwrite */
	CHECK(cd_facts_load(path, &g, &d) == CD_OK);
	CHECK(cd_facts_count(g, "programs") == 1);
	v = cd_facts_get_meta(g, "schema_version");
	CHECK_STR(v, "1");
	free(v);
	{
		sqlite3_stmt *st;
		sqlite3_prepare_v2(cd_facts_db(g), "SELECT name, publisher FROM programs", -1, &st, NULL);
		CHECK(sqlite3_step(st) == SQLITE_ROW);
		CHECK_STR((const char *)sqlite3_column_text(st, 0), "CA互联互通(辽宁版)");
		CHECK_STR((const char *)sqlite3_column_text(st, 1), "bad\xEF\xBF\xBD utf8");
		sqlite3_finalize(st);
	}
	cd_facts_free(g);

	/* A snapshot whose "programs" is a view (a trap) is not read through. */
	{
		sqlite3 *db;
		char evil[512];
		snprintf(evil, sizeof(evil), "%s/evil.db", tmpdir());
		cd_remove_file(evil);
		sqlite3_open(evil, &db);
		sqlite3_exec(db, "CREATE TABLE meta(key, value); INSERT INTO meta VALUES('schema_version','1');"
				 "CREATE TABLE host(os_family); INSERT INTO host VALUES('linux');"
				 "CREATE VIEW programs AS SELECT 'from-a-view' AS name;", NULL, NULL, NULL);
		sqlite3_close(db);
		CHECK(cd_facts_load(evil, &g, &d) == CD_OK);
		CHECK(cd_facts_count(g, "programs") == 0);
		CHECK(cd_facts_count(g, "host") == 1);
		cd_facts_free(g);
		cd_remove_file(evil);
	}
	cd_remove_file(path);
	cd_facts_free(f);
}

static void write(const char *dir, const char *name, const char *text)
{
	char *p = cd_aprintf("%s/%s", dir, name);
	cd_write_file(p, text, strlen(text));
	free(p);
}

static void test_compile_and_evaluate(void)
{
	char dir[512];
	struct cd_diag_list diags = {0};
	unsigned char *bytes = NULL;
	size_t len = 0;
	struct cd_facts *f;
	struct cd_row r;
	struct cd_results res;
	struct cd_eval_opts eo;

	snprintf(dir, sizeof(dir), "%s/rules", tmpdir());
	cd_mkdirs(dir);
	write(dir, "s.cat", "Table: cat_symptoms\nDescription: d\nColumns: id, name_zh, name_en\n\n"
			    "id: slow\nname_zh: 慢\nname_en: slow\n");
	write(dir, "v.cat", "Table: cat_min\nDescription: d\nColumns: family, min INTEGER\n\n"
			    "family: x\nmin: 3\n");
	write(dir, "a.rules",
	      "Rule: t.old\nSeverity: warning\nArea: drivers\nSymptoms: slow\nQuery:\n"
	      " SELECT p.name, p.version FROM programs p, cat_min m\n"
	      " WHERE version_cmp(p.version, m.min) < 0 ORDER BY p.name\n"
	      "Title-zh: 旧\nTitle-en: old\nMessage-zh: {name} 版本 {version}\nMessage-en: {name} is {version}\n"
	      "Repair:\n program_uninstall key=\"{name}\" source=hklm64\n\n"
	      "Rule: t.never\nSeverity: error\nArea: system\nQuery: SELECT 1 AS x FROM host WHERE 0\n"
	      "Title-zh: 无\nTitle-en: none\nMessage-zh: 无\nMessage-en: none\n");
	CHECK(cd_rules_compile(dir, &diags, &bytes, &len) == CD_OK);
	CHECK(diags.n == 0);
	CHECK(cd_facts_open(&f) == CD_OK);
	CHECK(cd_facts_attach_rules(f, bytes, len) == CD_OK);
	cd_row_init(&r, "programs");
	cd_row_text(&r, "name", "A 驱动");
	cd_row_text(&r, "version", "2.10");
	cd_row_insert(f, &r);
	cd_row_init(&r, "programs");
	cd_row_text(&r, "name", "B");
	cd_row_text(&r, "version", "3.1");
	cd_row_insert(f, &r);
	cd_row_init(&r, "programs");
	cd_row_text(&r, "name", "C");
	cd_row_text(&r, "version", "2.9");
	cd_row_insert(f, &r);
	memset(&eo, 0, sizeof(eo));
	CHECK(cd_evaluate(f, &eo, &res) == CD_OK);
	CHECK(res.n == 1);
	CHECK(res.rules_evaluated == 2);
	if (res.n == 1) {
		const struct cd_finding *fd = &res.v[0];
		CHECK_STR(fd->rule_id, "t.old");
		CHECK(fd->severity == CD_SEV_WARNING);
		CHECK(fd->total_rows == 2);
		CHECK_STR(fd->messages[CD_LANG_ZH][0], "A 驱动 版本 2.10");
		CHECK_STR(fd->messages[CD_LANG_EN][1], "C is 2.9");
		CHECK(fd->nactions == 2);
		CHECK(fd->nactions == 2 && !strcmp(fd->actions[1].values[0], "C"));
		CHECK(fd->nsymptoms == 1 && !strcmp(fd->symptoms[0], "slow"));
	}
	CHECK(res.counts[CD_SEV_WARNING] == 1);
	cd_results_release(&res);
	cd_facts_free(f);
	free(bytes);

	/* The same directory with a duplicate id and an unknown symptom. */
	write(dir, "b.rules", "Rule: t.old\nSeverity: info\nArea: system\nSymptoms: fast\nQuery: SELECT 1 AS x FROM host\n"
			      "Title-zh: x\nTitle-en: x\nMessage-zh: x\nMessage-en: x\n");
	CHECK(cd_rules_compile(dir, &diags, &bytes, &len) == CD_ERR_PARSE);
	CHECK(bytes == NULL);
	CHECK(diags.n >= 1);
	cd_diag_list_release(&diags);
}

/* A translated format string must take the same arguments in both languages,
 * or printing it in one of them is undefined behaviour. */
static void conversions(const char *s, char *out, size_t n)
{
	size_t k = 0;
	for (; *s && k + 2 < n; s++) {
		if (*s != '%')
			continue;
		s++;
		if (*s == '%')
			continue;
		while (*s && strchr("0123456789.-+ #lhzjt", *s)) {
			if (strchr("lhzjt", *s))
				out[k++] = *s;
			s++;
		}
		if (*s)
			out[k++] = *s;
	}
	out[k] = '\0';
}

static void test_string_table(void)
{
	int i, mismatches = 0;
	for (i = 0; i < CD_STR__COUNT; i++) {
		char a[64], b[64];
		conversions(cd_tr_lang((enum cd_str)i, CD_LANG_ZH), a, sizeof(a));
		conversions(cd_tr_lang((enum cd_str)i, CD_LANG_EN), b, sizeof(b));
		if (strcmp(a, b)) {
			fprintf(stderr, "string %s: zh-CN uses %s, en uses %s\n", cd_str_name((enum cd_str)i), a, b);
			mismatches++;
		}
		if (!*cd_tr_lang((enum cd_str)i, CD_LANG_ZH) || !*cd_tr_lang((enum cd_str)i, CD_LANG_EN))
			mismatches++;
	}
	CHECK(mismatches == 0);
	cd_set_lang(CD_LANG_EN);
	CHECK_STR(cd_err_message(CD_ERR_TIMEOUT), "timed out");
	cd_set_lang(CD_LANG_ZH);
	CHECK_STR(cd_err_message(CD_ERR_TIMEOUT), "超时");
	CHECK_STR(cd_err_name(CD_ERR_CRASH), "crash");
}

int main(void)
{
	test_sandbox();
	test_step_budget();
	test_rows_and_snapshot();
	test_compile_and_evaluate();
	test_string_table();
	return check_summary("test_engine");
}
