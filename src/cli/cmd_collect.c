/* cadoctor collect -o FILE: save this machine's facts as a snapshot (SQLite),
 * or as readable text when FILE ends in .txt or is "-". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../actions/history.h"
#include "../core/facts.h"
#include "../core/i18n.h"
#include "../core/policy.h"
#include "../core/redact.h"
#include "../core/util.h"
#include "../platform/platform.h"
#include "scanopts.h"

void scan_cli_init(struct scan_cli *s)
{
	memset(s, 0, sizeof(*s));
	s->opts.net_targets = s->targets;
}

int scan_cli_option(struct scan_cli *s, int id, const char *arg, const char *cmd)
{
	char *end;
	long v;
	switch (id) {
	case OPT_ROOT:
		if (!cd_is_dir(arg)) {
			usage_error(cmd, cd_tr(S_ERR_NOT_A_DIR), arg);
			return -1;
		}
		s->opts.root = arg;
		return 1;
	case OPT_OFFLINE:
		s->opts.offline = 1;
		return 1;
	case OPT_PROBES:
		s->opts.only_probes = arg;
		return 1;
	case OPT_NET_TARGET:
		if (!strchr(arg, '=') || s->opts.n_net_targets >= SCAN_MAX_TARGETS) {
			usage_error(cmd, cd_tr(S_ERR_BAD_NET_TARGET), arg);
			return -1;
		}
		s->targets[s->opts.n_net_targets++] = arg;
		return 1;
	case OPT_NET_TIMEOUT:
		v = strtol(arg, &end, 10);
		if (*end || v < 1 || v > 600000) {
			usage_error(cmd, cd_tr(S_ERR_BAD_NUMBER), arg);
			return -1;
		}
		s->opts.net_timeout_ms = (int)v;
		return 1;
	case OPT_MODULE_TIMEOUT:
		v = strtol(arg, &end, 10);
		if (end == arg || *end || v < SCAN_MODULE_TIMEOUT_MIN || v > SCAN_MODULE_TIMEOUT_MAX) {
			usage_error(cmd, cd_tr(S_ERR_BAD_MODULE_TIMEOUT), arg);
			return -1;
		}
		s->opts.module_timeout_ms = (int)v;
		return 1;
	case OPT_RULES_DIR:
		s->rules_dir = arg;
		return 1;
	default:
		return 0;
	}
}

/* Progress on stderr, only for a person watching a terminal. */
static void show_progress(void *ud, const char *probe, int index, int total)
{
	(void)ud;
	err_printf("\r%s %d/%d %-28s", cd_tr(S_PROGRESS), index + 1, total, probe);
	if (index + 1 == total)
		err_printf("\r%60s\r", "");
}

int scan_cli_collect(struct scan_cli *s, struct cd_facts **out)
{
	struct cd_facts *f;
	int rc;
	if (cd_facts_open(&f) != CD_OK) {
		err_printf("cadoctor: %s\n", cd_err_message(CD_ERR_NOMEM));
		return CD_EXIT_INTERNAL;
	}
	rc = cli_attach_rules(f, s->rules_dir);
	if (rc) {
		cd_facts_free(f);
		return rc;
	}
	if (!cli_quiet && cd_isatty(stderr)) {
		s->opts.progress = show_progress;
		s->opts.progress_ud = NULL;
	}
	cd_collect(f, &s->opts);
	/* What repairs already did here: facts too, so snapshots carry it. */
	cd_actions_record_history(f, s->opts.root);
	*out = f;
	return CD_EXIT_OK;
}

static int is_text_name(const char *path)
{
	size_t n = strlen(path);
	return !strcmp(path, "-") || (n > 4 && cd_strieq(path + n - 4, ".txt"));
}

int cmd_collect(int argc, char **argv)
{
	static const struct cli_opt opts[] = {
		SCAN_COMMON_OPTS, CLI_COMMON_OPTS, {"output", 'o', 1, 'o'},
		{"snapshot", 0, 1, 's'}, {"no-redact", 0, 0, 'n'}, {NULL, 0, 0, 0},
	};
	struct scan_cli s;
	struct cli_args a;
	struct cd_facts *f = NULL;
	const char *output = NULL, *snapshot = NULL;
	struct cd_policy pol;
	int id, rc, redact, redact_wish = -1, refused = 0;

	scan_cli_init(&s);
	cli_args_init(&a, argc, argv);
	while ((id = cli_next(&a, opts)) != CLI_END) {
		int h;
		if (id == 'o') {
			output = a.arg;
			continue;
		}
		if (id == 's') {
			snapshot = a.arg;
			continue;
		}
		if (id == 'n') {
			redact_wish = 0;
			continue;
		}
		if (id == OPT_HELP) {
			out_printf("%s\n", cd_tr(S_HELP_COLLECT));
			return CD_EXIT_OK;
		}
		if (cli_common(id, a.arg, "collect"))
			continue;
		h = scan_cli_option(&s, id, a.arg, "collect");
		if (h < 0)
			return CD_EXIT_USAGE;
		if (h)
			continue;
		if (id == CLI_POSITIONAL)
			return usage_error("collect", cd_tr(S_ERR_UNEXPECTED_ARG), a.arg);
		return usage_error("collect", cd_tr(S_ERR_BAD_OPTION), a.bad ? a.bad : "?");
	}
	if (!output)
		return usage_error("collect", "%s", cd_tr(S_ERR_NEED_OUTPUT));
	if (snapshot && (s.opts.root || s.opts.only_probes || s.opts.n_net_targets))
		return usage_error("collect", "%s", cd_tr(S_ERR_SNAPSHOT_AND_COLLECT));
	/* The redaction level of the enterprise policy, as scan applies it:
	 * strict refuses --no-redact, none leaves personal data in by default. */
	cd_policy_load(&pol);
	redact = cd_policy_redact(&pol, redact_wish, &refused);
	cd_policy_release(&pol);
	if (refused && !cli_quiet)
		err_printf("cadoctor: %s\n", cd_tr(S_POLICY_REDACT_ENFORCED));
	if (snapshot) {
		/* an existing snapshot, written again (redacted) for support */
		struct cd_diag d;
		cd_err e;
		char ver[16];
		cd_diag_clear(&d);
		e = cd_facts_load(snapshot, &f, &d);
		if (e) {
			err_diag(&d);
			return exit_for_error(e);
		}
		/* loaded into this cadoctor's schema (text facts carry no version) */
		snprintf(ver, sizeof(ver), "%d", CD_FACTS_SCHEMA_VERSION);
		if (cd_facts_set_meta(f, "schema_version", ver) != CD_OK) {
			cd_facts_free(f);
			return CD_EXIT_INTERNAL;
		}
	} else {
		rc = scan_cli_collect(&s, &f);
		if (rc)
			return rc;
	}
	/* Snapshots are what users send to support: no personal data unless
	 * asked (or the policy's level is none). */
	if (redact && cd_redact_facts(f) != CD_OK) {
		cd_facts_free(f);
		err_printf("cadoctor: %s\n", cd_tr(S_ERR_REDACT));
		return CD_EXIT_INTERNAL;
	}
	if (!redact && !cli_quiet)
		err_printf("%s\n", cd_tr(S_SNAPSHOT_UNREDACTED));
	rc = CD_EXIT_OK;
	if (is_text_name(output)) {
		struct cd_buf b;
		cd_buf_init(&b, 0);
		if (cd_facts_dump_text(f, &b) != CD_OK) {
			cd_buf_release(&b);
			cd_facts_free(f);
			return CD_EXIT_INTERNAL;
		}
		rc = write_output(output, b.data, b.len);
		cd_buf_release(&b);
	} else {
		struct cd_diag d;
		cd_diag_clear(&d);
		if (cd_facts_save(f, output, &d) != CD_OK) {
			err_diag(&d);
			rc = CD_EXIT_CANT_WRITE;
		} else if (!cli_quiet) {
			err_printf("%s %s\n", cd_tr(S_SNAPSHOT_WRITTEN), output);
		}
	}
	cd_facts_free(f);
	return rc;
}
