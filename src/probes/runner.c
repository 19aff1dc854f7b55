#include "../core/probe.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../platform/platform.h"
#include "../core/buf.h"
#include "../core/util.h"

void cd_probe_error(struct cd_probe_ctx *ctx, const char *target, cd_err code, const char *fmt, ...)
{
	struct cd_row r;
	struct cd_buf msg;
	va_list ap;

	ctx->errors++;
	cd_buf_init(&msg, 1 << 16);
	va_start(ap, fmt);
	cd_buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	cd_row_init(&r, "probe_errors");
	cd_row_text(&r, "probe", ctx->probe ? ctx->probe->name : "?");
	cd_row_text(&r, "target", target);
	cd_row_text(&r, "code", cd_err_name(code));
	cd_row_text(&r, "message", cd_buf_str(&msg) ? cd_buf_str(&msg) : "(message too long)");
	cd_row_insert(ctx->facts, &r);
	cd_buf_release(&msg);
}

char *cd_probe_path(const struct cd_probe_ctx *ctx, const char *abs_path)
{
	const char *root = ctx->opts ? ctx->opts->root : NULL;
	size_t n;
	if (!root || !*root || !strcmp(root, "/"))
		return cd_strdup(abs_path);
	n = strlen(root);
	while (n > 1 && root[n - 1] == '/')
		n--;
	return cd_aprintf("%.*s%s", (int)n, root, abs_path);
}

int cd_probe_is_live(const struct cd_probe_ctx *ctx)
{
	const char *root = ctx->opts ? ctx->opts->root : NULL;
	if (!root)
		return 1;
	while (*root == '/' || *root == CD_PATH_SEP)
		root++;
	return *root == '\0';
}

static int selected(const char *list, const char *name)
{
	const char *p = list;
	char item[64];
	if (!list)
		return 1;
	while (cd_split_next(&p, ',', item, sizeof(item)))
		if (!strcmp(item, name))
			return 1;
	return 0;
}

cd_err cd_collect(struct cd_facts *facts, const struct cd_scan_opts *opts)
{
	const struct cd_probe *const *list = cd_os_probes();
	sqlite3 *db = cd_facts_db(facts);
	int total = 0, i;
	char when[32];

	for (i = 0; list[i]; i++)
		total++;
	cd_format_utc(cd_now(), when, sizeof(when));
	cd_facts_set_meta(facts, "collected_at", when);
	cd_facts_set_meta(facts, "source", "live");
	for (i = 0; list[i]; i++) {
		struct cd_probe_ctx ctx;
		struct cd_row r;
		int64_t t0, before;
		cd_err e;
		const char *status;

		if (!selected(opts ? opts->only_probes : NULL, list[i]->name))
			continue;
		if (opts && opts->progress)
			opts->progress(opts->progress_ud, list[i]->name, i, total);
		memset(&ctx, 0, sizeof(ctx));
		ctx.facts = facts;
		ctx.opts = opts;
		ctx.probe = list[i];
		t0 = cd_monotonic_ms();
		before = sqlite3_total_changes64(db);
		e = list[i]->collect(&ctx);
		/* UNSUPPORTED means "not applicable here" (e.g. --offline): a skip, not an error. */
		if (e && e != CD_ERR_UNSUPPORTED)
			cd_probe_error(&ctx, NULL, e, "%s", cd_err_message(e));
		status = e == CD_ERR_UNSUPPORTED ? "skipped" : e ? "failed" : ctx.errors ? "partial" : "ok";
		cd_row_init(&r, "probe_runs");
		cd_row_text(&r, "probe", list[i]->name);
		cd_row_text(&r, "status", status);
		cd_row_int(&r, "elapsed_ms", cd_monotonic_ms() - t0);
		cd_row_int(&r, "rows", sqlite3_total_changes64(db) - before - ctx.errors);
		if (e)
			cd_row_text(&r, "detail", cd_err_message(e));
		cd_row_insert(facts, &r);
	}
	return CD_OK;
}
