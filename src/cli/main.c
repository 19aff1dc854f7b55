/* cadoctor: entry point and the table of sub-commands. */
#include <string.h>

#include "../actions/actions_os.h"
#include "../core/i18n.h"
#include "../core/util.h"
#include "../platform/platform.h"
#include "cli.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	enum cd_str help;
} commands[] = {
	{"scan", cmd_scan, S_CMD_SCAN},
	{"collect", cmd_collect, S_CMD_COLLECT},
	{"rules", cmd_rules, S_CMD_RULES},
	{"explain", cmd_explain, S_CMD_EXPLAIN},
	{"report", cmd_report, S_CMD_REPORT},
	{"repair", cmd_repair, S_CMD_REPAIR},
	{"undo", cmd_undo, S_CMD_UNDO},
	{"version", cmd_version, S_CMD_VERSION},
	{"help", cmd_help, S_CMD_HELP},
	/* Names starting with "__" are internal and left out of the help. */
	{"__pkcs11-worker", cmd_pkcs11_worker, S_CMD_HELP},
};

int cmd_help(int argc, char **argv)
{
	size_t i;
	(void)argc;
	(void)argv;
	out_printf("%s\n\n%s\n", cd_tr(S_USAGE_HEAD), cd_tr(S_USAGE_COMMANDS));
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strncmp(commands[i].name, "__", 2) != 0)
			out_printf("  %-9s %s\n", commands[i].name, cd_tr(commands[i].help));
	out_printf("\n%s\n", cd_tr(S_USAGE_TAIL));
	return CD_EXIT_OK;
}

int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	out_printf("cadoctor %s\n", CADOCTOR_VERSION);
	return CD_EXIT_OK;
}

/* The language comes from --lang anywhere on the line, else CADOCTOR_LANG,
 * else zh-CN. Looked at before dispatch so usage errors are translated too. */
static void pick_language(int argc, char **argv)
{
	enum cd_lang l;
	const char *env = cd_getenv("CADOCTOR_LANG");
	int i;
	if (env && cd_lang_parse(env, &l) == 0)
		cd_set_lang(l);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--lang") && i + 1 < argc && cd_lang_parse(argv[i + 1], &l) == 0)
			cd_set_lang(l);
		else if (!strncmp(argv[i], "--lang=", 7) && cd_lang_parse(argv[i] + 7, &l) == 0)
			cd_set_lang(l);
	}
}

int main(int argc, char **argv)
{
	size_t i;
	int rc;

	cd_platform_init(&argc, &argv);
	pick_language(argc, argv);
	/* An elevated copy of ourselves (cd_actions_relaunch_elevated): its
	 * output goes to the files its parent relays. */
	if (argc > 1 && !strncmp(argv[1], CD_ELEVATED_ARG, strlen(CD_ELEVATED_ARG))) {
		if (cd_actions_become_elevated_child(argv[1]) != CD_OK) {
			cd_platform_cleanup();
			return usage_error(NULL, cd_tr(S_ERR_BAD_OPTION), CD_ELEVATED_ARG);
		}
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	/* Global options may come before the command: cadoctor --lang en scan */
	while (argc > 2 && (!strcmp(argv[1], "--lang") || !strncmp(argv[1], "--lang=", 7))) {
		int n = argv[1][6] == '=' ? 1 : 2;
		argv[n] = argv[0];
		argv += n;
		argc -= n;
	}
	if (argc < 2) {
		cmd_help(0, NULL);
		cd_platform_cleanup();
		return CD_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		rc = cmd_help(0, NULL);
		cd_platform_cleanup();
		return rc;
	}
	if (!strcmp(argv[1], "--version")) {
		rc = cmd_version(0, NULL);
		cd_platform_cleanup();
		return rc;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (!strcmp(argv[1], commands[i].name)) {
			rc = commands[i].fn(argc - 1, argv + 1);
			fflush(stdout);
			cd_platform_cleanup();
			return rc;
		}
	}
	rc = usage_error(NULL, cd_tr(S_ERR_UNKNOWN_COMMAND), argv[1]);
	cd_platform_cleanup();
	return rc;
}
