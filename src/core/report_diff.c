/* Reading reports back and comparing two (report_diff.h). */
#include "report_diff.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "report.h"
#include "util.h"

#define REPORT_MAX_BYTES ((size_t)256 << 20)
/* Evidence rows listed per unchanged finding, each way. */
#define DIFF_ROWS_LISTED 20

static const char *find_bytes(const char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;
	if (k > n)
		return NULL;
	for (i = 0; i + k <= n; i++)
		if (hay[i] == needle[0] && !memcmp(hay + i, needle, k))
			return hay + i;
	return NULL;
}

cd_err cd_report_parse(const char *name, const char *data, size_t len, cJSON **out, struct cd_diag *d)
{
	const char *p = data, *end = data + len, *js, *je, *parse_end = NULL;
	cJSON *doc, *v;

	if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		p += 3;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	if (p < end && *p == '{') {
		js = p;
		je = end;
	} else {
		/* the HTML page: <script type="application/json" id="cadoctor-data">...</script> */
		const char *id = find_bytes(p, (size_t)(end - p), "id=\"cadoctor-data\"");
		js = id ? memchr(id, '>', (size_t)(end - id)) : NULL;
		je = js ? find_bytes(js, (size_t)(end - js), "</script>") : NULL;
		if (!je)
			return cd_diag_set(d, CD_ERR_PARSE, name, 0, "%s", cd_tr(S_REPORT_NOT_A_REPORT));
		js++;
	}
	doc = cJSON_ParseWithLengthOpts(js, (size_t)(je - js), &parse_end, 0);
	if (!doc)
		return cd_diag_set(d, CD_ERR_PARSE, name, 0, cd_tr(S_REPORT_DAMAGED),
				   parse_end && parse_end >= data && parse_end <= end ? (long long)(parse_end - data)
										     : -1LL);
	v = cJSON_GetObjectItemCaseSensitive(doc, "format");
	if (!cJSON_IsObject(doc) || !cJSON_IsString(v) || strcmp(v->valuestring, "cadoctor-report") != 0 ||
	    !cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(doc, "format_version")) ||
	    !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc, "findings"))) {
		cJSON_Delete(doc);
		return cd_diag_set(d, CD_ERR_PARSE, name, 0, "%s", cd_tr(S_REPORT_WRONG_FORMAT));
	}
	v = cJSON_GetObjectItemCaseSensitive(doc, "format_version");
	if (v->valuedouble > CD_REPORT_FORMAT_VERSION || v->valuedouble < 1) {
		int fv = v->valuedouble > 1e6 ? 1000000 : v->valuedouble < -1e6 ? -1000000 : (int)v->valuedouble;
		cJSON_Delete(doc);
		return cd_diag_set(d, CD_ERR_VERSION, name, 0, cd_tr(S_REPORT_NEWER_FORMAT), fv);
	}
	*out = doc;
	return CD_OK;
}

cd_err cd_report_load(const char *path, cJSON **out, struct cd_diag *d)
{
	char *data;
	size_t len;
	cd_err e = cd_read_file(path, REPORT_MAX_BYTES, &data, &len);
	if (e)
		return cd_diag_set(d, e == CD_ERR_LIMIT ? CD_ERR_PARSE : e, path, 0, "%s", cd_err_message(e));
	e = cd_report_parse(path, data, len, out, d);
	free(data);
	return e;
}

/* ---- helpers for untrusted documents ---- */

static const cJSON *get(const cJSON *o, const char *key)
{
	return cJSON_IsObject(o) ? cJSON_GetObjectItemCaseSensitive(o, key) : NULL;
}

static const char *get_str(const cJSON *o, const char *key)
{
	const cJSON *v = get(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double get_num(const cJSON *o, const char *key, double dflt)
{
	const cJSON *v = get(o, key);
	return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

/* A count from an untrusted document, as an int whatever the number. */
static int get_int(const cJSON *o, const char *key)
{
	double v = get_num(o, key, 0);
	return v != v ? 0 : v > 1e9 ? 1000000000 : v < -1e9 ? -1000000000 : (int)v;
}

static cJSON *dup_or_null(const cJSON *v)
{
	cJSON *c = v ? cJSON_Duplicate(v, 1) : NULL;
	return c ? c : cJSON_CreateNull();
}

/* The finding of a rule in a report's findings, or NULL. */
static const cJSON *finding_of(const cJSON *findings, const char *rule)
{
	const cJSON *f;
	cJSON_ArrayForEach(f, findings)
	{
		const char *r = get_str(f, "rule");
		if (r && !strcmp(r, rule))
			return f;
	}
	return NULL;
}

static int severity_rank(const char *s)
{
	return s && !strcmp(s, "error") ? 2 : s && !strcmp(s, "warning") ? 1 : 0;
}

static cJSON *finding_brief(const cJSON *f)
{
	cJSON *o = cJSON_CreateObject();
	const char *sev = get_str(f, "severity");
	cJSON_AddStringToObject(o, "rule", get_str(f, "rule"));
	cJSON_AddStringToObject(o, "severity", sev ? sev : "info");
	cJSON_AddItemToObject(o, "title", dup_or_null(get(f, "title")));
	cJSON_AddNumberToObject(o, "rows", get_num(get(f, "evidence"), "total_rows", 0));
	return o;
}

/* Evidence rows of finding f that finding g does not have, each with its
 * messages (at most DIFF_ROWS_LISTED). */
static cJSON *rows_missing(const cJSON *f, const cJSON *g)
{
	const cJSON *rows = get(get(f, "evidence"), "rows"), *other = get(get(g, "evidence"), "rows"), *r;
	const cJSON *msgs = get(f, "messages");
	cJSON *out = cJSON_CreateArray();
	int i = 0, listed = 0;
	char **keys = NULL;
	int nkeys = 0, k;

	if (!cJSON_IsArray(rows))
		return out;
	if (cJSON_IsArray(other)) {
		int n = cJSON_GetArraySize(other);
		keys = calloc((size_t)(n ? n : 1), sizeof(char *));
		if (!keys)
			return out;
		cJSON_ArrayForEach(r, other) keys[nkeys++] = cJSON_PrintUnformatted(r);
	}
	cJSON_ArrayForEach(r, rows)
	{
		char *s = cJSON_PrintUnformatted(r);
		int found = 0;
		for (k = 0; s && k < nkeys && !found; k++)
			found = keys[k] && !strcmp(keys[k], s);
		if (s && !found && listed < DIFF_ROWS_LISTED) {
			cJSON *e = cJSON_CreateObject(), *m = cJSON_CreateObject();
			int l;
			cJSON_AddItemToObject(e, "row", cJSON_Duplicate(r, 1));
			for (l = 0; l < CD_LANG_COUNT; l++) {
				const char *tag = cd_lang_tag((enum cd_lang)l);
				const cJSON *arr = get(msgs, tag), *msg = cJSON_IsArray(arr) ? cJSON_GetArrayItem(arr, i) : NULL;
				cJSON_AddItemToObject(m, tag, cJSON_IsString(msg) ? cJSON_CreateString(msg->valuestring)
										 : cJSON_CreateNull());
			}
			cJSON_AddItemToObject(e, "messages", m);
			cJSON_AddItemToArray(out, e);
			listed++;
		}
		cJSON_free(s);
		i++;
	}
	for (k = 0; k < nkeys; k++)
		cJSON_free(keys[k]);
	free(keys);
	return out;
}

static cJSON *side(const cJSON *doc)
{
	cJSON *o = cJSON_CreateObject(), *s;
	const cJSON *sum = get(doc, "summary");
	static const char *const fields[] = {"generated_at", "collected_at", "source", "rules_version",
					     "support_code", NULL};
	int i;
	for (i = 0; fields[i]; i++) {
		const char *v = get_str(doc, fields[i]);
		cJSON_AddItemToObject(o, fields[i], v ? cJSON_CreateString(v) : cJSON_CreateNull());
	}
	s = cJSON_AddObjectToObject(o, "summary");
	cJSON_AddNumberToObject(s, "errors", get_num(sum, "errors", 0));
	cJSON_AddNumberToObject(s, "warnings", get_num(sum, "warnings", 0));
	cJSON_AddNumberToObject(s, "infos", get_num(sum, "infos", 0));
	return o;
}

static int same_json(const cJSON *a, const cJSON *b)
{
	if (!a || !b)
		return !a && !b;
	return cJSON_Compare(a, b, 1);
}

static int in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}

/* Fields of two objects that differ, both ways: [{field, before, after}]. */
static void object_changes(cJSON *out, const cJSON *a, const cJSON *b, const char *const *skip)
{
	const cJSON *v;
	int pass;
	for (pass = 0; pass < 2; pass++) {
		const cJSON *from = pass ? b : a, *to = pass ? a : b;
		if (!cJSON_IsObject(from))
			continue;
		cJSON_ArrayForEach(v, from)
		{
			const cJSON *w = get(to, v->string);
			cJSON *c;
			if (!v->string || in_list(v->string, skip) || (pass && w) || same_json(v, w))
				continue;
			c = cJSON_CreateObject();
			cJSON_AddStringToObject(c, "field", v->string);
			cJSON_AddItemToObject(c, "before", dup_or_null(pass ? w : v));
			cJSON_AddItemToObject(c, "after", dup_or_null(pass ? v : w));
			cJSON_AddItemToArray(out, c);
		}
	}
}

static const cJSON *probe_of(const cJSON *probes, const char *name)
{
	const cJSON *p;
	cJSON_ArrayForEach(p, probes)
	{
		const char *n = get_str(p, "probe");
		if (n && !strcmp(n, name))
			return p;
	}
	return NULL;
}

static void probe_changes(cJSON *out, const cJSON *a, const cJSON *b)
{
	const cJSON *p;
	int pass;
	for (pass = 0; pass < 2; pass++) {
		const cJSON *from = pass ? b : a, *to = pass ? a : b;
		if (!cJSON_IsArray(from))
			continue;
		cJSON_ArrayForEach(p, from)
		{
			const char *name = get_str(p, "probe"), *st = get_str(p, "status"), *other;
			const cJSON *q;
			cJSON *c;
			if (!name)
				continue;
			q = cJSON_IsArray(to) ? probe_of(to, name) : NULL;
			if (pass && q)
				continue; /* seen in the first pass */
			other = get_str(q, "status");
			if (st && other && !strcmp(st, other))
				continue;
			c = cJSON_CreateObject();
			cJSON_AddStringToObject(c, "probe", name);
			cJSON_AddItemToObject(c, "before", (pass ? other : st) ? cJSON_CreateString(pass ? other : st)
									       : cJSON_CreateNull());
			cJSON_AddItemToObject(c, "after", (pass ? st : other) ? cJSON_CreateString(pass ? st : other)
									       : cJSON_CreateNull());
			cJSON_AddItemToArray(out, c);
		}
	}
}

static int has_undo_id(const cJSON *repairs, const char *id)
{
	const cJSON *r;
	cJSON_ArrayForEach(r, repairs)
	{
		const char *u = get_str(r, "undo_id");
		if (u && !strcmp(u, id))
			return 1;
	}
	return 0;
}

cJSON *cd_report_diff(const cJSON *before, const cJSON *after)
{
	static const char *const skip_host[] = {"clock_utc", NULL};
	static const char *const skip_tables[] = {"probe_runs", "probe_errors", NULL};
	cJSON *d = cJSON_CreateObject(), *cleared, *added, *same, *facts, *arr;
	const cJSON *fb = get(before, "findings"), *fa = get(after, "findings"), *f, *r;
	const char *rb = get_str(before, "rules_version"), *ra = get_str(after, "rules_version");

	if (!d)
		return NULL;
	cJSON_AddStringToObject(d, "format", "cadoctor-report-diff");
	cJSON_AddNumberToObject(d, "format_version", CD_REPORT_DIFF_FORMAT_VERSION);
	cJSON_AddItemToObject(d, "before", side(before));
	cJSON_AddItemToObject(d, "after", side(after));
	cJSON_AddBoolToObject(d, "same_rules", rb && ra && !strcmp(rb, ra));
	cleared = cJSON_AddArrayToObject(d, "cleared");
	added = cJSON_AddArrayToObject(d, "new");
	same = cJSON_AddArrayToObject(d, "unchanged");
	cJSON_ArrayForEach(f, fb)
	{
		const char *rule = get_str(f, "rule");
		if (rule && (!cJSON_IsArray(fa) || !finding_of(fa, rule)))
			cJSON_AddItemToArray(cleared, finding_brief(f));
	}
	cJSON_ArrayForEach(f, fa)
	{
		const char *rule = get_str(f, "rule");
		const cJSON *g = rule && cJSON_IsArray(fb) ? finding_of(fb, rule) : NULL;
		cJSON *o;
		if (!rule)
			continue;
		if (!g) {
			cJSON_AddItemToArray(added, finding_brief(f));
			continue;
		}
		o = finding_brief(f);
		cJSON_AddNumberToObject(o, "rows_before", get_num(get(g, "evidence"), "total_rows", 0));
		cJSON_AddItemToObject(o, "rows_gone", rows_missing(g, f));
		cJSON_AddItemToObject(o, "rows_added", rows_missing(f, g));
		cJSON_AddItemToArray(same, o);
	}

	facts = cJSON_AddObjectToObject(d, "facts");
	/* the clock always moves; probe runs and errors are compared on their own */
	arr = cJSON_AddArrayToObject(facts, "host");
	object_changes(arr, get(before, "host"), get(after, "host"), skip_host);
	arr = cJSON_AddArrayToObject(facts, "tables");
	object_changes(arr, get(get(before, "summary"), "facts"), get(get(after, "summary"), "facts"), skip_tables);
	arr = cJSON_AddArrayToObject(facts, "probes");
	probe_changes(arr, get(before, "probes"), get(after, "probes"));
	{
		const cJSON *eb = get(before, "probe_errors"), *ea = get(after, "probe_errors");
		cJSON *pe = cJSON_AddObjectToObject(facts, "probe_errors");
		cJSON_AddNumberToObject(pe, "before", cJSON_IsArray(eb) ? cJSON_GetArraySize(eb) : 0);
		cJSON_AddNumberToObject(pe, "after", cJSON_IsArray(ea) ? cJSON_GetArraySize(ea) : 0);
	}
	arr = cJSON_AddArrayToObject(d, "repairs");
	cJSON_ArrayForEach(r, get(after, "repairs"))
	{
		const char *u = get_str(r, "undo_id");
		if (u && !has_undo_id(get(before, "repairs"), u))
			cJSON_AddItemToArray(arr, cJSON_Duplicate(r, 1));
	}
	return d;
}

/* ---- text ---- */

static const char *text_of(const cJSON *pair)
{
	const char *t = get_str(pair, cd_lang_tag(cd_get_lang()));
	if (!t)
		t = get_str(pair, cd_lang_tag(cd_get_lang() == CD_LANG_EN ? CD_LANG_ZH : CD_LANG_EN));
	return t ? t : "";
}

static const char *severity_text(const char *s)
{
	int r = severity_rank(s);
	return cd_tr(r == 2 ? S_SEV_ERROR : r == 1 ? S_SEV_WARNING : S_SEV_INFO);
}

static void value_text(struct cd_buf *b, const cJSON *v)
{
	if (cJSON_IsString(v)) {
		cd_buf_adds(b, v->valuestring);
	} else if (!v || cJSON_IsNull(v)) {
		cd_buf_adds(b, cd_tr(S_DIFF_NONE));
	} else {
		char *s = cJSON_PrintUnformatted(v);
		cd_buf_adds(b, s ? s : "?");
		cJSON_free(s);
	}
}

static void finding_lines(struct cd_buf *b, const cJSON *list, const char *mark)
{
	const cJSON *f;
	cJSON_ArrayForEach(f, list)
	{
		cd_buf_addf(b, "  %s [%s] %s  (%s)\n", mark, severity_text(get_str(f, "severity")),
			    text_of(get(f, "title")), get_str(f, "rule") ? get_str(f, "rule") : "?");
	}
}

static void row_messages(struct cd_buf *b, const cJSON *rows, enum cd_str label, const char *mark)
{
	const cJSON *r;
	cJSON_ArrayForEach(r, rows)
	{
		const char *m = text_of(get(r, "messages"));
		cd_buf_addf(b, "      %s %s: ", mark, cd_tr(label));
		if (*m) {
			cd_buf_adds(b, m);
		} else {
			char *s = cJSON_PrintUnformatted(get(r, "row"));
			cd_buf_adds(b, s ? s : "");
			cJSON_free(s);
		}
		cd_buf_addc(b, '\n');
	}
}

cd_err cd_report_diff_text(const cJSON *d, struct cd_buf *b)
{
	const cJSON *bs = get(d, "before"), *as = get(d, "after"), *f, *c;
	const cJSON *facts = get(d, "facts");
	const char *tb = get_str(bs, "collected_at"), *ta = get_str(as, "collected_at");
	int nc = cJSON_GetArraySize(get(d, "cleared")), nn = cJSON_GetArraySize(get(d, "new"));
	int nu = cJSON_GetArraySize(get(d, "unchanged")), any = 0;
	const cJSON *pe = get(facts, "probe_errors");

	cd_buf_addf(b, cd_tr(S_DIFF_HEAD), tb ? tb : get_str(bs, "generated_at") ? get_str(bs, "generated_at") : "?",
		    ta ? ta : get_str(as, "generated_at") ? get_str(as, "generated_at") : "?");
	cd_buf_addc(b, '\n');
	cd_buf_addf(b, cd_tr(S_DIFF_SUMMARY), get_int(get(bs, "summary"), "errors"),
		    get_int(get(bs, "summary"), "warnings"), get_int(get(bs, "summary"), "infos"),
		    get_int(get(as, "summary"), "errors"), get_int(get(as, "summary"), "warnings"),
		    get_int(get(as, "summary"), "infos"));
	cd_buf_addc(b, '\n');
	if (!cJSON_IsTrue(get(d, "same_rules"))) {
		const char *rb = get_str(bs, "rules_version"), *ra = get_str(as, "rules_version");
		cd_buf_addf(b, cd_tr(S_DIFF_RULES_DIFFER), rb ? rb : "?", ra ? ra : "?");
		cd_buf_addc(b, '\n');
	}
	if (!nc && !nn) {
		cd_buf_addf(b, "\n%s\n", cd_tr(S_DIFF_NOTHING));
	}
	if (nc) {
		cd_buf_adds(b, "\n");
		cd_buf_addf(b, cd_tr(S_DIFF_CLEARED), (unsigned)nc);
		cd_buf_addc(b, '\n');
		finding_lines(b, get(d, "cleared"), "-");
	}
	if (nn) {
		cd_buf_adds(b, "\n");
		cd_buf_addf(b, cd_tr(S_DIFF_NEW), (unsigned)nn);
		cd_buf_addc(b, '\n');
		finding_lines(b, get(d, "new"), "+");
	}
	if (nu) {
		cd_buf_adds(b, "\n");
		cd_buf_addf(b, cd_tr(S_DIFF_UNCHANGED), (unsigned)nu);
		cd_buf_addc(b, '\n');
		cJSON_ArrayForEach(f, get(d, "unchanged"))
		{
			int rb = get_int(f, "rows_before"), ra = get_int(f, "rows");
			cd_buf_addf(b, "  = [%s] %s  (%s)", severity_text(get_str(f, "severity")), text_of(get(f, "title")),
				    get_str(f, "rule") ? get_str(f, "rule") : "?");
			if (rb != ra) {
				cd_buf_adds(b, "  ");
				cd_buf_addf(b, cd_tr(S_DIFF_ROWS), rb, ra);
			}
			cd_buf_addc(b, '\n');
			row_messages(b, get(f, "rows_gone"), S_DIFF_ROW_GONE, "-");
			row_messages(b, get(f, "rows_added"), S_DIFF_ROW_ADDED, "+");
		}
	}

	cd_buf_addf(b, "\n%s\n", cd_tr(S_DIFF_FACTS));
	cJSON_ArrayForEach(c, get(facts, "host"))
	{
		cd_buf_adds(b, "  ");
		cd_buf_addf(b, cd_tr(S_DIFF_HOST), get_str(c, "field") ? get_str(c, "field") : "?");
		cd_buf_adds(b, ": ");
		value_text(b, get(c, "before"));
		cd_buf_adds(b, " -> ");
		value_text(b, get(c, "after"));
		cd_buf_addc(b, '\n');
		any = 1;
	}
	cJSON_ArrayForEach(c, get(facts, "tables"))
	{
		cd_buf_adds(b, "  ");
		cd_buf_addf(b, cd_tr(S_DIFF_TABLE_ROWS), get_str(c, "field") ? get_str(c, "field") : "?",
			    (long long)get_int(c, "before"), (long long)get_int(c, "after"));
		cd_buf_addc(b, '\n');
		any = 1;
	}
	cJSON_ArrayForEach(c, get(facts, "probes"))
	{
		const char *pb = get_str(c, "before"), *pa = get_str(c, "after");
		cd_buf_adds(b, "  ");
		cd_buf_addf(b, cd_tr(S_DIFF_PROBE), get_str(c, "probe") ? get_str(c, "probe") : "?",
			    pb ? pb : cd_tr(S_DIFF_NONE), pa ? pa : cd_tr(S_DIFF_NONE));
		cd_buf_addc(b, '\n');
		any = 1;
	}
	if (get_num(pe, "before", 0) != get_num(pe, "after", 0)) {
		cd_buf_adds(b, "  ");
		cd_buf_addf(b, cd_tr(S_DIFF_PROBE_ERRORS), get_int(pe, "before"), get_int(pe, "after"));
		cd_buf_addc(b, '\n');
		any = 1;
	}
	if (!any)
		cd_buf_addf(b, "  %s\n", cd_tr(S_DIFF_NO_FACTS));
	if (cJSON_GetArraySize(get(d, "repairs")) > 0) {
		cd_buf_adds(b, "\n");
		cd_buf_addf(b, cd_tr(S_DIFF_REPAIRS), (unsigned)cJSON_GetArraySize(get(d, "repairs")));
		cd_buf_addc(b, '\n');
		cJSON_ArrayForEach(c, get(d, "repairs"))
		{
			const char *u = get_str(c, "undo_id"), *st = get_str(c, "status");
			cd_buf_addf(b, "  %s  %s  %s\n", u ? u : "?", st ? st : "", text_of(get(c, "description")));
		}
	}
	return cd_buf_str(b) ? CD_OK : CD_ERR_NOMEM;
}

int cd_report_diff_exit(const cJSON *d)
{
	const cJSON *f;
	int worst = 0;
	cJSON_ArrayForEach(f, get(d, "new"))
	{
		int r = severity_rank(get_str(f, "severity"));
		worst = r == 2 ? 2 : worst > 1 ? worst : 1;
	}
	return worst;
}
