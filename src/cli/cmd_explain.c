/* cadoctor explain TEXT: what an error message or symptom a user typed means,
 * its likely causes (rule ids) and the steps to take; --list shows symptoms.
 * Matching folds case, width, spaces and punctuation, so "Load XTX fail!"
 * and "loadxtxfail" find the same entry. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "../core/facts.h"
#include "../core/i18n.h"
#include "../core/util.h"
#include "cli.h"

#define MAX_HITS 3

struct hit {
	int score;
	int kind; /* 0 message, 1 symptom */
	char *id;
};

static size_t cp_count(const char *s)
{
	size_t n = 0;
	const char *end = s + strlen(s);
	while (s < end)
		if (cd_utf8_next(&s, end) >= 0)
			n++;
		else
			s++;
	return n;
}

/* Code points of a folded string (at most max). */
static size_t to_cps(const char *s, long *out, size_t max)
{
	const char *end = s + strlen(s);
	size_t n = 0;
	while (s < end && n < max) {
		long cp = cd_utf8_next(&s, end);
		if (cp < 0)
			s++;
		else
			out[n++] = cp;
	}
	return n;
}

/* Dice similarity of the character bigrams of two folded strings, 0..100:
 * users retype messages with words added or left out ("提示登陆成功,然后
 * 跳转到主页面,右上角还是立即登陆"), which substring tests miss. */
static int bigram_dice(const char *a, const char *b)
{
	long x[256], y[256];
	size_t nx = to_cps(a, x, 256), ny = to_cps(b, y, 256), i, j, common = 0;
	unsigned char used[256] = {0};
	if (nx < 2 || ny < 2)
		return 0;
	for (i = 0; i + 1 < nx; i++) {
		for (j = 0; j + 1 < ny; j++) {
			if (!used[j] && x[i] == y[j] && x[i + 1] == y[j + 1]) {
				used[j] = 1;
				common++;
				break;
			}
		}
	}
	return (int)(200 * common / ((nx - 1) + (ny - 1)));
}

/* Score of a pattern list ("a|b|c") against folded input. */
static int match_score(const char *patterns, const char *input)
{
	const char *p = patterns;
	char item[512];
	int best = 0;
	size_t in_len = cp_count(input);
	if (!patterns)
		return 0;
	while (cd_split_next(&p, '|', item, sizeof(item))) {
		char *f = cd_fold_for_match(item);
		int s = 0;
		if (f && *f) {
			size_t f_len = cp_count(f);
			if (!strcmp(f, input))
				s = 100;
			else if (f_len >= 2 && strstr(input, f))
				s = 70 + (int)(f_len * 20 / (in_len ? in_len : 1)); /* closer to whole = better */
			else if (in_len >= 2 && strstr(f, input))
				s = 50 + (int)(in_len * 20 / (f_len ? f_len : 1));
			else {
				int dice = bigram_dice(f, input);
				if (dice >= 55)
					s = 20 + dice / 3; /* below any substring match */
			}
		}
		free(f);
		if (s > best)
			best = s;
	}
	return best;
}

static void add_hit(struct hit *hits, int *n, int score, int kind, const char *id)
{
	int i, worst = 0;
	if (score <= 0)
		return;
	for (i = 0; i < *n; i++)
		if (hits[i].kind == kind && cd_streq(hits[i].id, id)) {
			if (score > hits[i].score)
				hits[i].score = score;
			return;
		}
	if (*n < MAX_HITS) {
		hits[*n].score = score;
		hits[*n].kind = kind;
		hits[*n].id = cd_strdup(id);
		(*n)++;
		return;
	}
	for (i = 1; i < *n; i++)
		if (hits[i].score < hits[worst].score)
			worst = i;
	if (score > hits[worst].score) {
		free(hits[worst].id);
		hits[worst].score = score;
		hits[worst].kind = kind;
		hits[worst].id = cd_strdup(id);
	}
}

static int cmp_hits(const void *a, const void *b)
{
	return ((const struct hit *)b)->score - ((const struct hit *)a)->score;
}

static const char *col(sqlite3_stmt *st, int i)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	return t ? t : "";
}

static void print_block(const char *label, const char *text)
{
	const char *p;
	if (!text || !*text)
		return;
	out_printf("  %s:\n    ", label);
	for (p = text; *p; p++) {
		char c[2] = {*p, 0};
		out_text(c);
		if (*p == '\n' && p[1])
			out_text("    ");
	}
	out_text("\n");
}

static void print_causes(sqlite3 *db, const char *causes, int en)
{
	const char *p = causes;
	char id[128];
	int first = 1;
	sqlite3_stmt *st;
	if (!causes || !*causes)
		return;
	if (sqlite3_prepare_v2(db, "SELECT CASE WHEN ?2 THEN title_en ELSE title_zh END FROM rules.rules WHERE id = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return;
	while (cd_split_next(&p, ',', id, sizeof(id))) {
		if (!*id)
			continue;
		if (first)
			out_printf("  %s:\n", cd_tr(S_EXPLAIN_CAUSES));
		first = 0;
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 2, en);
		if (sqlite3_step(st) == SQLITE_ROW)
			out_printf("    - %s (%s)\n", col(st, 0), id);
		else
			out_printf("    - %s\n", id);
	}
	sqlite3_finalize(st);
}

static void show_message(sqlite3 *db, const char *id, int en)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db,
			       "SELECT m.patterns, coalesce(CASE WHEN ?2 THEN p.name_en ELSE p.name_zh END, m.platform),"
			       " CASE WHEN ?2 THEN m.meaning_en ELSE m.meaning_zh END,"
			       " m.causes, CASE WHEN ?2 THEN m.steps_en ELSE m.steps_zh END,"
			       " CASE WHEN ?2 THEN m.contact_en ELSE m.contact_zh END, m.server_side"
			       " FROM rules.cat_messages m LEFT JOIN rules.cat_platforms p ON p.id = m.platform"
			       " WHERE m.id = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, en);
	if (sqlite3_step(st) == SQLITE_ROW) {
		char first[512];
		const char *p = col(st, 0);
		cd_split_next(&p, '|', first, sizeof(first));
		out_printf("\n\xE3\x80\x8C%s\xE3\x80\x8D  (%s)\n", first, id);
		if (*col(st, 1))
			out_printf("  %s: %s\n", cd_tr(S_EXPLAIN_PLATFORM), col(st, 1));
		print_block(cd_tr(S_EXPLAIN_MEANING), col(st, 2));
		if (sqlite3_column_int(st, 6))
			out_printf("  %s\n", cd_tr(S_EXPLAIN_SERVER_SIDE));
		print_causes(db, col(st, 3), en);
		print_block(cd_tr(S_EXPLAIN_STEPS), col(st, 4));
		print_block(cd_tr(S_EXPLAIN_CONTACT), col(st, 5));
	}
	sqlite3_finalize(st);
}

static void show_symptom(sqlite3 *db, const char *id, int en)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db,
			       "SELECT CASE WHEN ?2 THEN name_en ELSE name_zh END,"
			       " (SELECT group_concat(rule_id) FROM (SELECT s.rule_id FROM rules.rule_symptoms s"
			       "   JOIN rules.rules r ON r.id = s.rule_id WHERE s.symptom = ?1"
			       "   ORDER BY r.likelihood DESC, r.id))"
			       " FROM rules.cat_symptoms WHERE id = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, en);
	if (sqlite3_step(st) == SQLITE_ROW) {
		out_printf("\n%s: %s  (%s)\n", cd_tr(S_EXPLAIN_SYMPTOM), col(st, 0), id);
		print_causes(db, col(st, 1), en);
		out_printf("  %s\n", cd_tr(S_EXPLAIN_RUN_SCAN));
	}
	sqlite3_finalize(st);
}

static int list_symptoms(sqlite3 *db, int en)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT id, CASE WHEN ?1 THEN name_en ELSE name_zh END FROM rules.cat_symptoms ORDER BY rowid",
			       -1, &st, NULL) != SQLITE_OK)
		return CD_EXIT_INTERNAL;
	sqlite3_bind_int(st, 1, en);
	while (sqlite3_step(st) == SQLITE_ROW)
		out_printf("%-28s %s\n", col(st, 0), col(st, 1));
	sqlite3_finalize(st);
	return CD_EXIT_OK;
}

int cmd_explain(int argc, char **argv)
{
	static const struct cli_opt opts[] = {
		CLI_COMMON_OPTS, {"list", 0, 0, 'l'}, {"rules", 0, 1, 'r'}, {"code", 0, 1, 'c'},
		{NULL, 0, 0, 0},
	};
	struct cli_args a;
	struct cd_buf text;
	struct cd_facts *f;
	struct hit hits[MAX_HITS];
	const char *dir = NULL, *code = NULL;
	char *folded;
	int list = 0, id, rc, nhits = 0, i, en = cd_get_lang() == CD_LANG_EN;
	sqlite3 *db;
	sqlite3_stmt *st;

	cd_buf_init(&text, 1 << 16);
	cli_args_init(&a, argc, argv);
	while ((id = cli_next(&a, opts)) != CLI_END) {
		if (id == CLI_POSITIONAL) {
			if (text.len)
				cd_buf_addc(&text, ' ');
			cd_buf_adds(&text, a.arg);
		} else if (id == 'l') {
			list = 1;
		} else if (id == 'r') {
			dir = a.arg;
		} else if (id == 'c') {
			code = a.arg;
		} else if (id == OPT_HELP) {
			out_printf("%s\n", cd_tr(S_HELP_EXPLAIN));
			cd_buf_release(&text);
			return CD_EXIT_OK;
		} else if (!cli_common(id, a.arg, "explain")) {
			cd_buf_release(&text);
			return usage_error("explain", cd_tr(S_ERR_BAD_OPTION), a.bad ? a.bad : "?");
		}
	}
	en = cd_get_lang() == CD_LANG_EN;
	if (!list && !text.len && !code) {
		cd_buf_release(&text);
		return usage_error("explain", "%s", cd_tr(S_HELP_EXPLAIN));
	}
	if (cd_facts_open(&f) != CD_OK) {
		cd_buf_release(&text);
		return CD_EXIT_INTERNAL;
	}
	if ((rc = cli_attach_rules(f, dir)) != CD_EXIT_OK) {
		cd_facts_free(f);
		cd_buf_release(&text);
		return rc;
	}
	db = cd_facts_db(f);
	if (code) { /* a support code read out by a user: explain_code.c */
		rc = explain_support_code(f, code);
		cd_facts_free(f);
		cd_buf_release(&text);
		return rc;
	}
	if (list) {
		rc = list_symptoms(db, en);
		cd_facts_free(f);
		cd_buf_release(&text);
		return rc;
	}
	folded = cd_fold_for_match(cd_buf_str(&text) ? cd_buf_str(&text) : "");
	if (folded && *folded) {
		if (sqlite3_prepare_v2(db, "SELECT id, patterns FROM rules.cat_messages", -1, &st, NULL) ==
		    SQLITE_OK) {
			while (sqlite3_step(st) == SQLITE_ROW)
				add_hit(hits, &nhits, match_score(col(st, 1), folded), 0, col(st, 0));
			sqlite3_finalize(st);
		}
		if (sqlite3_prepare_v2(db,
				       "SELECT id, id || '|' || name_zh || '|' || name_en || '|' || coalesce(aliases, '')"
				       " FROM rules.cat_symptoms",
				       -1, &st, NULL) == SQLITE_OK) {
			while (sqlite3_step(st) == SQLITE_ROW)
				add_hit(hits, &nhits, match_score(col(st, 1), folded) - 5, 1, col(st, 0));
			sqlite3_finalize(st);
		}
	}
	qsort(hits, (size_t)nhits, sizeof(hits[0]), cmp_hits);
	if (!nhits) {
		out_printf("%s\n", cd_tr(S_EXPLAIN_NOTHING));
		rc = CD_EXIT_WARNINGS;
	} else {
		for (i = 0; i < nhits; i++) {
			/* Show weaker matches only when they are nearly as good as the best. */
			if (i > 0 && hits[i].score < hits[0].score - 15)
				break;
			if (hits[i].kind == 0)
				show_message(db, hits[i].id, en);
			else
				show_symptom(db, hits[i].id, en);
		}
		rc = CD_EXIT_OK;
	}
	for (i = 0; i < nhits; i++)
		free(hits[i].id);
	free(folded);
	cd_buf_release(&text);
	cd_facts_free(f);
	return rc;
}
