/* The JSON report: the machine-readable result of a scan. Its shape is
 * versioned (format_version) and documented in docs/report-schema.json; add
 * fields freely, but bump the version when one changes meaning or goes. */
#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "redact.h"
#include "report.h"
#include "supportcode.h"
#include "util.h"

int cd_results_exit_code(const struct cd_results *res)
{
	if (res->counts[CD_SEV_ERROR])
		return 2;
	/* A rule that could not run leaves the diagnosis incomplete: not "all clear". */
	if (res->counts[CD_SEV_WARNING] || res->rule_errors.n)
		return 1;
	return 0;
}

static cJSON *lang_pair(char *const *v)
{
	cJSON *o = cJSON_CreateObject();
	int l;
	for (l = 0; l < CD_LANG_COUNT; l++)
		cJSON_AddItemToObject(o, cd_lang_tag((enum cd_lang)l),
				      v[l] ? cJSON_CreateString(v[l]) : cJSON_CreateNull());
	return o;
}

static cJSON *value_json(const struct cd_value *v)
{
	switch (v->type) {
	case 1:
		return cJSON_CreateNumber((double)v->i);
	case 2:
		return cJSON_CreateNumber(v->r);
	case 3:
		return cJSON_CreateString(v->text ? v->text : "");
	default:
		return cJSON_CreateNull();
	}
}

/* Every row of a fact table as an array of objects (NULL columns omitted). */
static cJSON *table_rows(struct cd_facts *f, const char *sql, int single)
{
	sqlite3_stmt *st;
	cJSON *arr = cJSON_CreateArray();
	if (sqlite3_prepare_v2(cd_facts_db(f), sql, -1, &st, NULL) != SQLITE_OK)
		return arr;
	while (sqlite3_step(st) == SQLITE_ROW) {
		cJSON *o = cJSON_CreateObject();
		int c;
		for (c = 0; c < sqlite3_column_count(st); c++) {
			const char *name = sqlite3_column_name(st, c);
			switch (sqlite3_column_type(st, c)) {
			case SQLITE_INTEGER:
				cJSON_AddNumberToObject(o, name, (double)sqlite3_column_int64(st, c));
				break;
			case SQLITE_FLOAT:
				cJSON_AddNumberToObject(o, name, sqlite3_column_double(st, c));
				break;
			case SQLITE_NULL:
				break;
			default: {
				/* Snapshots are untrusted: keep the JSON valid whatever they hold. */
				const char *t = (const char *)sqlite3_column_text(st, c);
				size_t n = (size_t)sqlite3_column_bytes(st, c);
				if (t && cd_utf8_valid(t, n)) {
					cJSON_AddStringToObject(o, name, t);
				} else if (t) {
					char *clean = cd_utf8_sanitize(t, n);
					cJSON_AddStringToObject(o, name, clean ? clean : "");
					free(clean);
				}
			}
			}
		}
		cJSON_AddItemToArray(arr, o);
		if (single)
			break;
	}
	sqlite3_finalize(st);
	return arr;
}

static cJSON *finding_json(const struct cd_finding *fd)
{
	cJSON *o = cJSON_CreateObject(), *a, *ev, *cols, *rows, *msgs, *rep;
	size_t i, r, c;
	int l;

	cJSON_AddStringToObject(o, "rule", fd->rule_id);
	cJSON_AddStringToObject(o, "severity", cd_severity_name(fd->severity));
	cJSON_AddStringToObject(o, "area", fd->area ? fd->area : "");
	cJSON_AddStringToObject(o, "os", fd->os ? fd->os : "any");
	a = cJSON_AddArrayToObject(o, "symptoms");
	for (i = 0; i < fd->nsymptoms; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(fd->symptoms[i]));
	cJSON_AddNumberToObject(o, "likelihood", fd->likelihood);
	cJSON_AddItemToObject(o, "title", lang_pair(fd->title));
	cJSON_AddItemToObject(o, "fix", fd->fix[0] ? lang_pair(fd->fix) : cJSON_CreateNull());
	msgs = cJSON_AddObjectToObject(o, "messages");
	for (l = 0; l < CD_LANG_COUNT; l++) {
		cJSON *m = cJSON_AddArrayToObject(msgs, cd_lang_tag((enum cd_lang)l));
		for (r = 0; r < fd->nrows; r++)
			cJSON_AddItemToArray(m, cJSON_CreateString(fd->messages[l] && fd->messages[l][r]
									   ? fd->messages[l][r]
									   : ""));
	}
	ev = cJSON_AddObjectToObject(o, "evidence");
	cols = cJSON_AddArrayToObject(ev, "columns");
	for (c = 0; c < fd->ncols; c++)
		cJSON_AddItemToArray(cols, cJSON_CreateString(fd->cols[c]));
	rows = cJSON_AddArrayToObject(ev, "rows");
	for (r = 0; r < fd->nrows; r++) {
		cJSON *row = cJSON_CreateArray();
		for (c = 0; c < fd->ncols; c++)
			cJSON_AddItemToArray(row, value_json(&fd->cells[r * fd->ncols + c]));
		cJSON_AddItemToArray(rows, row);
	}
	cJSON_AddNumberToObject(ev, "total_rows", (double)fd->total_rows);
	cJSON_AddBoolToObject(ev, "truncated", fd->total_rows > fd->nrows);
	rep = cJSON_AddArrayToObject(o, "repair");
	for (i = 0; i < fd->nactions; i++) {
		const struct cd_action_plan *ap = &fd->actions[i];
		cJSON *act = cJSON_CreateObject(), *args;
		size_t k;
		cJSON_AddStringToObject(act, "kind", ap->kind);
		args = cJSON_AddObjectToObject(act, "args");
		for (k = 0; k < ap->nargs; k++)
			cJSON_AddStringToObject(args, ap->keys[k], ap->values[k] ? ap->values[k] : "");
		cJSON_AddNumberToObject(act, "row", (double)ap->row);
		cJSON_AddBoolToObject(act, "needs_admin", ap->needs_admin);
		cJSON_AddItemToObject(act, "description", lang_pair(ap->describe));
		cJSON_AddItemToArray(rep, act);
	}
	return o;
}

/* For the help desk: the support code, whether personal data was redacted,
 * and the repair history (empty until the repair journal exists). */
static void add_helpdesk(cJSON *root, const struct cd_report_in *in)
{
	const struct cd_repair_record *rec;
	char code[CD_SUPPORT_CODE_MAX];
	size_t i, n = cd_report_repairs(in->facts, &rec);
	cJSON *arr;

	if (cd_support_code_for(in->facts, in->res, code, sizeof(code)) == CD_OK)
		cJSON_AddStringToObject(root, "support_code", code);
	cJSON_AddBoolToObject(root, "redacted", cd_facts_redacted(in->facts));
	arr = cJSON_AddArrayToObject(root, "repairs");
	for (i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "undo_id", rec[i].undo_id ? rec[i].undo_id : "");
		if (rec[i].applied_at)
			cJSON_AddStringToObject(o, "applied_at", rec[i].applied_at);
		if (rec[i].rule)
			cJSON_AddStringToObject(o, "rule", rec[i].rule);
		cJSON_AddStringToObject(o, "kind", rec[i].kind ? rec[i].kind : "");
		cJSON_AddStringToObject(o, "status", rec[i].status ? rec[i].status : "");
		cJSON_AddItemToObject(o, "description", lang_pair((char *const *)rec[i].describe));
		cJSON_AddItemToArray(arr, o);
	}
}

static cJSON *build(const struct cd_report_in *in)
{
	const struct cd_results *res = in->res;
	cJSON *root = cJSON_CreateObject(), *o, *arr, *host;
	const char *const *t;
	char when[32], *meta;
	size_t i;

	cJSON_AddStringToObject(root, "format", "cadoctor-report");
	cJSON_AddNumberToObject(root, "format_version", CD_REPORT_FORMAT_VERSION);
	o = cJSON_AddObjectToObject(root, "tool");
	cJSON_AddStringToObject(o, "name", "cadoctor");
	cJSON_AddStringToObject(o, "version", CADOCTOR_VERSION);
	cJSON_AddStringToObject(root, "rules_version", res->rules_version ? res->rules_version : "");
	cJSON_AddNumberToObject(root, "facts_schema_version", CD_FACTS_SCHEMA_VERSION);
	cd_format_utc(in->generated_at, when, sizeof(when));
	cJSON_AddStringToObject(root, "generated_at", when);
	meta = cd_facts_get_meta(in->facts, "collected_at");
	cJSON_AddItemToObject(root, "collected_at", meta ? cJSON_CreateString(meta) : cJSON_CreateNull());
	free(meta);
	cJSON_AddStringToObject(root, "source", in->source ? in->source : "live");
	cJSON_AddStringToObject(root, "lang", cd_lang_tag(cd_get_lang()));

	host = table_rows(in->facts, "SELECT * FROM main.host", 1);
	if (cJSON_GetArraySize(host) > 0)
		cJSON_AddItemToObject(root, "host", cJSON_DetachItemFromArray(host, 0));
	else
		cJSON_AddItemToObject(root, "host", cJSON_CreateObject());
	cJSON_Delete(host);

	o = cJSON_AddObjectToObject(root, "summary");
	cJSON_AddNumberToObject(o, "errors", (double)res->counts[CD_SEV_ERROR]);
	cJSON_AddNumberToObject(o, "warnings", (double)res->counts[CD_SEV_WARNING]);
	cJSON_AddNumberToObject(o, "infos", (double)res->counts[CD_SEV_INFO]);
	cJSON_AddNumberToObject(o, "exit_code", cd_results_exit_code(res));
	cJSON_AddNumberToObject(o, "rules_evaluated", (double)res->rules_evaluated);
	arr = cJSON_AddObjectToObject(o, "facts");
	for (t = cd_facts_tables(); *t; t++)
		if (strcmp(*t, "meta") != 0)
			cJSON_AddNumberToObject(arr, *t, (double)cd_facts_count(in->facts, *t));

	arr = cJSON_AddArrayToObject(root, "findings");
	for (i = 0; i < res->n; i++)
		cJSON_AddItemToArray(arr, finding_json(&res->v[i]));

	cJSON_AddItemToObject(root, "probes",
			      table_rows(in->facts, "SELECT probe, status, elapsed_ms, rows, detail FROM main.probe_runs", 0));
	cJSON_AddItemToObject(root, "probe_errors",
			      table_rows(in->facts, "SELECT probe, target, code, message FROM main.probe_errors", 0));
	arr = cJSON_AddArrayToObject(root, "rule_errors");
	for (i = 0; i < res->rule_errors.n; i++) {
		const struct cd_diag *d = &res->rule_errors.v[i];
		cJSON *e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "file", d->file);
		cJSON_AddNumberToObject(e, "line", d->line);
		cJSON_AddStringToObject(e, "code", cd_err_name(d->code));
		cJSON_AddStringToObject(e, "message", d->msg);
		cJSON_AddItemToArray(arr, e);
	}
	add_helpdesk(root, in);
	return root;
}

char *cd_report_json_string(const struct cd_report_in *in, int pretty)
{
	cJSON *root = build(in);
	char *s = root ? (pretty ? cJSON_Print(root) : cJSON_PrintUnformatted(root)) : NULL;
	cJSON_Delete(root);
	return s;
}

cd_err cd_report_json(const struct cd_report_in *in, int pretty, struct cd_buf *out)
{
	char *s;
	cd_err e;
	if (in->json) {
		e = cd_buf_adds(out, in->json);
		return e ? e : cd_buf_addc(out, '\n');
	}
	s = cd_report_json_string(in, pretty);
	if (!s)
		return CD_ERR_NOMEM;
	e = cd_buf_adds(out, s);
	if (!e)
		e = cd_buf_addc(out, '\n');
	cJSON_free(s);
	return e;
}
