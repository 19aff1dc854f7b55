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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cd_cmdline c, back, u;
	struct cd_uninstall_opts opt = {exists_all, NULL, "C:\\Windows\\System32"};
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
		cd_cmdline_release(&u);
	}
	free(line);
	return 0;
}
