/* The repair history for reports (report.h), from the repair_history facts
 * that collection reads out of this machine's repair journal (so a snapshot
 * analysed by a help desk shows what the user's PC already tried). */
#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "facts.h"
#include "report.h"
#include "template.h"
#include "util.h"

/* Records of the last call; reports are written one at a time. */
static struct cd_repair_record *records;
static char **strings;
static size_t nrecords, nstrings;

static void release_all(void)
{
	size_t i;
	for (i = 0; i < nstrings; i++)
		free(strings[i]);
	free(strings);
	free(records);
	strings = NULL;
	records = NULL;
	nstrings = nrecords = 0;
}

/* Keeps s alive until the next call (or exit) and returns it. */
static const char *keep(char *s)
{
	char **nv;
	if (!s)
		return NULL;
	nv = realloc(strings, (nstrings + 1) * sizeof(*nv));
	if (!nv) {
		free(s);
		return NULL;
	}
	strings = nv;
	strings[nstrings++] = s;
	return s;
}

static char *describe(const char *kind, const char *args_json, enum cd_lang lang)
{
	const struct cd_action_kind *k = kind ? cd_action_kind_find(kind) : NULL;
	cJSON *args = args_json ? cJSON_Parse(args_json) : NULL, *a;
	const char *keys[16], *values[16];
	size_t n = 0;
	char *s;
	if (!k) {
		cJSON_Delete(args);
		return cd_strdup(kind ? kind : "?");
	}
	cJSON_ArrayForEach(a, args)
	{
		if (n < 16 && cJSON_IsString(a)) {
			keys[n] = a->string;
			values[n] = a->valuestring;
			n++;
		}
	}
	s = cd_action_describe(k, keys, values, n, lang);
	cJSON_Delete(args);
	return s;
}

size_t cd_report_repairs(struct cd_facts *f, const struct cd_repair_record **out)
{
	sqlite3_stmt *st;
	static int registered;
	*out = NULL;
	release_all();
	if (!registered) {
		atexit(release_all);
		registered = 1;
	}
	if (sqlite3_prepare_v2(cd_facts_db(f),
			       "SELECT run_id, started, rule, kind, args, coalesce(status, run_status)"
			       " FROM main.repair_history ORDER BY run_id DESC, seq",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct cd_repair_record *nv = realloc(records, (nrecords + 1) * sizeof(*nv)), *r;
		char when[32];
		if (!nv)
			break;
		records = nv;
		r = &records[nrecords++];
		memset(r, 0, sizeof(*r));
		cd_format_utc(sqlite3_column_int64(st, 1), when, sizeof(when));
		r->undo_id = keep(cd_aprintf("%lld", (long long)sqlite3_column_int64(st, 0)));
		r->applied_at = keep(cd_strdup(when));
		r->rule = keep(cd_strdup((const char *)sqlite3_column_text(st, 2)));
		r->kind = keep(cd_strdup((const char *)sqlite3_column_text(st, 3)));
		r->status = keep(cd_strdup((const char *)sqlite3_column_text(st, 5)));
		r->describe[CD_LANG_ZH] = keep(describe((const char *)sqlite3_column_text(st, 3),
							(const char *)sqlite3_column_text(st, 4), CD_LANG_ZH));
		r->describe[CD_LANG_EN] = keep(describe((const char *)sqlite3_column_text(st, 3),
							(const char *)sqlite3_column_text(st, 4), CD_LANG_EN));
	}
	sqlite3_finalize(st);
	*out = records;
	return nrecords;
}
