/* The part of a scan that the command line and the GUI share (scan.h). */
#include "scan.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "../platform/platform.h"
#include "buf.h"
#include "facts.h"
#include "redact.h"
#include "report.h"
#include "util.h"

char *cd_scan_facts_os(struct cd_facts *f)
{
	sqlite3_stmt *st;
	char *os = NULL;
	if (sqlite3_prepare_v2(cd_facts_db(f), "SELECT os_family FROM main.host LIMIT 1", -1, &st,
			       NULL) != SQLITE_OK)
		return NULL;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		os = cd_strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return os;
}

cd_err cd_scan_analyse(struct cd_facts *f, const struct cd_scan_analysis *a, struct cd_scan_result *out)
{
	struct cd_eval_opts eo;
	cd_err e;
	memset(out, 0, sizeof(*out));
	/* Before evaluation, so that evidence, messages and every report are
	 * redacted alike and a snapshot gives the findings of the live scan. */
	if (a->redact && cd_redact_facts(f) != CD_OK) {
		out->failed = CD_SCAN_REDACT;
		return CD_ERR_INTERNAL;
	}
	/* The OS whose rules apply is the one the facts describe, so a Windows
	 * snapshot analysed on Linux gets the Windows rules. */
	out->os = cd_scan_facts_os(f);
	memset(&eo, 0, sizeof(eo));
	eo.os = out->os;
	eo.only_rule = a->only_rule;
	if (cd_evaluate(f, &eo, &out->res) != CD_OK) {
		free(out->os);
		memset(out, 0, sizeof(*out));
		out->failed = CD_SCAN_EVALUATE;
		return CD_ERR_INTERNAL;
	}
	if (a->symptom) {
		e = cd_symptom_narrow(f, a->symptom, out->os, &out->res, &out->sv);
		if (e) {
			cd_results_release(&out->res);
			free(out->os);
			memset(out, 0, sizeof(*out));
			out->failed = CD_SCAN_SYMPTOM;
			return e;
		}
	}
	return CD_OK;
}

void cd_scan_result_release(struct cd_scan_result *r)
{
	cd_symptom_view_release(&r->sv);
	cd_results_release(&r->res);
	free(r->os);
	memset(r, 0, sizeof(*r));
}

static char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t && *t ? cd_strdup((const char *)t) : NULL;
}

static const char *choice_sql(enum cd_choice_kind kind)
{
	return kind == CD_CHOICE_PLATFORMS
		       ? "SELECT id, name_zh, name_en, url, notes_zh, notes_en FROM rules.cat_platforms"
		       : "SELECT id, name_zh, name_en, NULL, NULL, NULL FROM rules.cat_symptoms";
}

static void fill_choice(sqlite3_stmt *st, struct cd_choice *c)
{
	memset(c, 0, sizeof(*c));
	c->id = col(st, 0);
	c->name[CD_LANG_ZH] = col(st, 1);
	c->name[CD_LANG_EN] = col(st, 2);
	c->url = col(st, 3);
	c->notes[CD_LANG_ZH] = col(st, 4);
	c->notes[CD_LANG_EN] = col(st, 5);
}

cd_err cd_scan_choices(struct cd_facts *f, enum cd_choice_kind kind, struct cd_choice **v, size_t *n)
{
	sqlite3_stmt *st;
	struct cd_choice *arr = NULL;
	size_t cnt = 0, cap = 0;
	char *sql = cd_aprintf("%s ORDER BY rowid", choice_sql(kind));
	if (!sql)
		return CD_ERR_NOMEM;
	if (sqlite3_prepare_v2(cd_facts_db(f), sql, -1, &st, NULL) != SQLITE_OK) {
		free(sql);
		return CD_ERR_SQL;
	}
	free(sql);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (cnt == cap) {
			size_t nc = cap ? cap * 2 : 16;
			struct cd_choice *na = realloc(arr, nc * sizeof(*na));
			if (!na) {
				sqlite3_finalize(st);
				cd_choices_free(arr, cnt);
				return CD_ERR_NOMEM;
			}
			arr = na;
			cap = nc;
		}
		fill_choice(st, &arr[cnt]);
		if (!arr[cnt].id) {
			cd_choice_release(&arr[cnt]);
			continue;
		}
		cnt++;
	}
	sqlite3_finalize(st);
	*v = arr;
	*n = cnt;
	return CD_OK;
}

cd_err cd_scan_choice(struct cd_facts *f, enum cd_choice_kind kind, const char *id, struct cd_choice *out)
{
	sqlite3_stmt *st;
	cd_err e = CD_ERR_NOT_FOUND;
	char *sql = cd_aprintf("%s WHERE id = ?1", choice_sql(kind));
	if (!sql)
		return CD_ERR_NOMEM;
	if (sqlite3_prepare_v2(cd_facts_db(f), sql, -1, &st, NULL) != SQLITE_OK) {
		free(sql);
		return CD_ERR_SQL;
	}
	free(sql);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW) {
		fill_choice(st, out);
		e = CD_OK;
	}
	sqlite3_finalize(st);
	return e;
}

void cd_choice_release(struct cd_choice *c)
{
	int l;
	free(c->id);
	free(c->url);
	for (l = 0; l < CD_LANG_COUNT; l++) {
		free(c->name[l]);
		free(c->notes[l]);
	}
	memset(c, 0, sizeof(*c));
}

void cd_choices_free(struct cd_choice *v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		cd_choice_release(&v[i]);
	free(v);
}

/* A host name fit for a file name on any system. */
static void file_safe(const char *in, char *out, size_t outlen)
{
	size_t i = 0;
	for (; in && *in && i + 1 < outlen; in++) {
		unsigned char c = (unsigned char)*in;
		out[i++] = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
				   c == '-' || c == '_' || c == '.' || c >= 0x80
			       ? (char)c
			       : '_';
	}
	if (!i && outlen > 1)
		out[i++] = '_';
	out[i] = 0;
}

static cd_err write_one(const char *path, cd_err (*writer)(const struct cd_report_in *, struct cd_buf *),
			const struct cd_report_in *in, struct cd_diag *d)
{
	struct cd_buf b;
	cd_err e;
	cd_buf_init(&b, 0);
	e = writer(in, &b);
	if (e == CD_OK)
		e = cd_write_file(path, b.data ? b.data : "", b.len);
	cd_buf_release(&b);
	if (e)
		cd_diag_set(d, e, path, 0, "%s", cd_err_message(e));
	return e;
}

static cd_err json_writer(const struct cd_report_in *in, struct cd_buf *b)
{
	return cd_report_json(in, 1, b);
}

cd_err cd_scan_save_reports(const char *folder, const char *host, const struct cd_report_in *in,
			    char **json_path, struct cd_diag *d)
{
	char name[128], utc[32], stamp[32], sep[2] = {CD_PATH_SEP, 0}, *base, *jp, *hp;
	size_t fl = strlen(folder), i, k = 0;
	cd_err e;

	if (!cd_is_dir(folder) && cd_mkdirs(folder) != CD_OK)
		return cd_diag_set(d, CD_ERR_IO, folder, 0, "%s", cd_err_message(CD_ERR_IO));
	file_safe(host, name, sizeof(name));
	/* "2025-11-22T01:02:03Z" -> "20251122T010203Z" */
	cd_format_utc(in->generated_at, utc, sizeof(utc));
	for (i = 0; utc[i] && k + 1 < sizeof(stamp); i++)
		if (utc[i] != '-' && utc[i] != ':')
			stamp[k++] = utc[i];
	stamp[k] = 0;
	if (fl && (folder[fl - 1] == '/' || folder[fl - 1] == '\\'))
		sep[0] = 0;
	base = cd_aprintf("%s%scadoctor-%s-%s", folder, sep, name, stamp);
	if (!base)
		return CD_ERR_NOMEM;
	jp = cd_aprintf("%s.json", base);
	hp = cd_aprintf("%s.html", base);
	free(base);
	if (!jp || !hp) {
		free(jp);
		free(hp);
		return CD_ERR_NOMEM;
	}
	e = write_one(jp, json_writer, in, d);
	if (!e)
		e = write_one(hp, cd_report_html, in, d);
	free(hp);
	if (!e && json_path)
		*json_path = jp;
	else
		free(jp);
	return e;
}

char *cd_scan_summary(const struct cd_results *res, const char *saved)
{
	struct cd_buf b;
	size_t i;
	cd_buf_init(&b, 1 << 20);
	cd_buf_addf(&b, "cadoctor %s: %zu errors, %zu warnings, %zu notes", CADOCTOR_VERSION,
		    res->counts[CD_SEV_ERROR], res->counts[CD_SEV_WARNING], res->counts[CD_SEV_INFO]);
	for (i = 0; i < res->n; i++)
		cd_buf_addf(&b, "%s%s (%s)", i ? ", " : ": ", res->v[i].rule_id, cd_severity_name(res->v[i].severity));
	if (saved)
		cd_buf_addf(&b, ". Report: %s", saved);
	return cd_buf_detach(&b);
}
