/* Option parsing and output helpers shared by the commands. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/facts.h"
#include "../core/i18n.h"
#include "../core/rules.h"
#include "../core/util.h"
#include "../platform/platform.h"
#include "cli.h"

int cli_quiet;

void cli_args_init(struct cli_args *a, int argc, char **argv)
{
	memset(a, 0, sizeof(*a));
	a->argc = argc;
	a->argv = argv;
	a->i = 1;
}

int cli_next(struct cli_args *a, const struct cli_opt *opts)
{
	const char *w;
	const struct cli_opt *o;
	a->arg = NULL;
	a->bad = NULL;
	if (a->i >= a->argc)
		return CLI_END;
	w = a->argv[a->i++];
	if (a->positional_only || w[0] != '-' || !w[1]) {
		a->arg = w;
		return CLI_POSITIONAL;
	}
	if (!strcmp(w, "--")) {
		a->positional_only = 1;
		return cli_next(a, opts);
	}
	if (w[1] == '-') {
		const char *eq = strchr(w + 2, '=');
		size_t n = eq ? (size_t)(eq - w - 2) : strlen(w + 2);
		for (o = opts; o->name; o++) {
			if (strlen(o->name) == n && !strncmp(o->name, w + 2, n)) {
				if (o->has_arg) {
					if (eq)
						a->arg = eq + 1;
					else if (a->i < a->argc)
						a->arg = a->argv[a->i++];
					else {
						a->bad = w;
						return CLI_MISSING_ARG;
					}
				} else if (eq) {
					a->bad = w;
					return CLI_UNKNOWN;
				}
				return o->id;
			}
		}
	} else if (!w[2]) {
		for (o = opts; o->name; o++) {
			if (o->short_name == w[1]) {
				if (o->has_arg) {
					if (a->i < a->argc)
						a->arg = a->argv[a->i++];
					else {
						a->bad = w;
						return CLI_MISSING_ARG;
					}
				}
				return o->id;
			}
		}
	}
	a->bad = w;
	return CLI_UNKNOWN;
}

int cli_common(int id, const char *arg, const char *cmd)
{
	switch (id) {
	case OPT_LANG: {
		enum cd_lang l;
		if (cd_lang_parse(arg, &l) != 0) {
			usage_error(cmd, cd_tr(S_ERR_BAD_LANG), arg);
			exit(CD_EXIT_USAGE);
		}
		cd_set_lang(l);
		return 1;
	}
	case OPT_QUIET:
		cli_quiet = 1;
		return 1;
	default:
		return 0;
	}
}

void out_text(const char *s)
{
	cd_write_text(stdout, s, strlen(s));
}

static void vprint(FILE *stream, const char *fmt, va_list ap)
{
	struct cd_buf b;
	cd_buf_init(&b, 1 << 24);
	cd_buf_vaddf(&b, fmt, ap);
	if (cd_buf_str(&b))
		cd_write_text(stream, b.data, b.len);
	cd_buf_release(&b);
}

void out_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprint(stdout, fmt, ap);
	va_end(ap);
}

void err_printf(const char *fmt, ...)
{
	va_list ap;
	fflush(stdout);
	va_start(ap, fmt);
	vprint(stderr, fmt, ap);
	va_end(ap);
}

void err_diag(const struct cd_diag *d)
{
	if (d->file[0] && d->line)
		err_printf("cadoctor: %s:%d: %s\n", d->file, d->line, d->msg);
	else if (d->file[0])
		err_printf("cadoctor: %s: %s\n", d->file, d->msg);
	else
		err_printf("cadoctor: %s\n", d->msg);
}

int write_output(const char *path, const char *data, size_t len)
{
	cd_err e;
	if (!strcmp(path, "-")) {
		cd_write_text(stdout, data, len);
		return CD_EXIT_OK;
	}
	e = cd_write_file(path, data, len);
	if (e) {
		err_printf("cadoctor: %s: %s (%s)\n", path, cd_tr(S_ERR_CANT_WRITE), cd_err_message(e));
		return CD_EXIT_CANT_WRITE;
	}
	return CD_EXIT_OK;
}

int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	err_printf("cadoctor%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vprint(stderr, fmt, ap);
	va_end(ap);
	err_printf("\n%s\n", cd_tr(S_HINT_HELP));
	return CD_EXIT_USAGE;
}

int exit_for_error(cd_err e)
{
	switch (e) {
	case CD_ERR_NOT_FOUND:
	case CD_ERR_IO:
	case CD_ERR_DENIED:
		return CD_EXIT_NO_INPUT;
	case CD_ERR_PARSE:
	case CD_ERR_VERSION:
	case CD_ERR_LIMIT:
	case CD_ERR_SQL:
		return CD_EXIT_BAD_INPUT;
	default:
		return CD_EXIT_INTERNAL;
	}
}

/* Compiled rule bytes must outlive every facts database that attaches them. */
static unsigned char *compiled_rules;
static size_t compiled_rules_len;

static void free_compiled_rules(void)
{
	free(compiled_rules);
}

int cli_attach_rules(struct cd_facts *f, const char *rules_dir)
{
	const unsigned char *bytes;
	size_t len;
	if (rules_dir) {
		if (!compiled_rules) {
			struct cd_diag_list diags = {0};
			size_t i;
			cd_err e = cd_rules_compile(rules_dir, &diags, &compiled_rules, &compiled_rules_len);
			for (i = 0; i < diags.n; i++)
				err_diag(&diags.v[i]);
			cd_diag_list_release(&diags);
			if (e) {
				err_printf("cadoctor: %s: %s\n", rules_dir, cd_tr(S_ERR_RULES_INVALID));
				return e == CD_ERR_NOT_FOUND ? CD_EXIT_NO_INPUT : CD_EXIT_BAD_INPUT;
			}
			atexit(free_compiled_rules);
		}
		bytes = compiled_rules;
		len = compiled_rules_len;
	} else {
		cd_rules_embedded(&bytes, &len);
	}
	if (cd_facts_attach_rules(f, bytes, len) != CD_OK) {
		err_printf("cadoctor: %s\n", cd_tr(S_ERR_RULES_INVALID));
		return CD_EXIT_INTERNAL;
	}
	return CD_EXIT_OK;
}
