/* Uninstall strings come from any installer's registry entry: the command
 * line splitter and the uninstall-string checker must take anything. The
 * split of a joined argv must give the argv back (the Windows backend joins
 * what it runs); a violated property aborts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/cmdline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int exists_all(void *ud, const char *path)
{
	(void)ud;
	return path[0] != 'Z'; /* Z: is "missing", to reach both branches */
}

/* Short names: "~1" anywhere stands for "Program Files (x86)". */
static char *long_tilde(void *ud, const char *path)
{
	const char *t = strstr(path, "\\PROGRA~2");
	char *l;
	(void)ud;
	if (!t || !(l = malloc(strlen(path) + 32)))
		return NULL;
	memcpy(l, path, (size_t)(t - path));
	strcpy(l + (t - path), "\\Program Files (x86)");
	strcat(l, t + 9);
	return l;
}

static int under_pf(const char *p)
{
	return !strncmp(p, "C:\\Program Files\\", 17) || !strncmp(p, "C:\\Program Files (x86)\\", 23);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cd_cmdline c, back, u;
	struct cd_uninstall_opts opt = {exists_all, NULL, "C:\\Windows\\System32",
					{"C:\\Program Files", "C:\\Program Files (x86)"}, long_tilde};
	char why[256], *line = malloc(size + 1), *joined;
	size_t i;
	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	if (cd_cmdline_split(line, size, &c) == CD_OK) {
		joined = cd_cmdline_join(c.argv, c.argc);
		if (joined) {
			if (cd_cmdline_split(joined, strlen(joined), &back) != CD_OK || back.argc != c.argc)
				abort();
			for (i = 0; i < c.argc; i++)
				if (strcmp(back.argv[i], c.argv[i]))
					abort();
			cd_cmdline_release(&back);
			free(joined);
		}
		cd_cmdline_release(&c);
	}
	if (!memchr(data, 0, size) && cd_uninstall_parse(line, &opt, &u, why, sizeof(why)) == CD_OK) {
		/* Whatever is accepted runs a plain absolute .exe and no shell. */
		if (!u.argc || !cd_win_path_is_plain_absolute(u.argv[0]))
			abort();
		/* The one wrapper allowed: the system's rundll32 calling
		 * LaunchSetup of a Ctor.dll under Program Files for a setup .exe
		 * under Program Files, then switches only. */
		if (strstr(u.argv[0], "undll32") || strstr(u.argv[0], "UNDLL32")) {
			size_t n = u.argc > 1 ? strlen(u.argv[1]) : 0;
			if (strcmp(u.argv[0], "C:\\Windows\\System32\\rundll32.exe") || u.argc < 3 || n < 12 ||
			    strcmp(u.argv[1] + n - 12, ",LaunchSetup") || !under_pf(u.argv[1]) || !under_pf(u.argv[2]) ||
			    !cd_win_path_is_plain_absolute(u.argv[2]))
				abort();
			for (i = 3; i < u.argc; i++)
				if ((u.argv[i][0] != '-' && u.argv[i][0] != '/') || strpbrk(u.argv[i] + 1, "\\/:\". "))
					abort();
		}
		cd_cmdline_release(&u);
	}
	free(line);
	return 0;
}
