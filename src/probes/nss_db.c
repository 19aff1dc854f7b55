/* The pkcs11.txt parser (nss_db.h). NSS writes these files itself
 * (modutil, Firefox's Security Devices dialog, vendor installers through
 * NSS), but a profile copied by hand or cut short by a full disk is read
 * just the same: any line that is not key=value is ignored. */
#include <string.h>

#include "../core/util.h"
#include "nss_db.h"

/* Value with one pair of surrounding double quotes removed, in place. */
static char *unquote(char *v)
{
	size_t n = strlen(v);
	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		v[n - 1] = '\0';
		return v + 1;
	}
	return v;
}

void cd_nss_db_parse(char *text, cd_nss_module_fn fn, void *ud)
{
	char *line, *next, *lib = NULL, *name = NULL;
	for (line = text; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		line = cd_trim(line);
		if (!*line) {
			if (lib && *lib)
				fn(ud, lib, name);
			lib = name = NULL;
		} else if (!strncmp(line, "library=", 8)) {
			lib = unquote(cd_trim(line + 8));
		} else if (!strncmp(line, "name=", 5)) {
			name = unquote(cd_trim(line + 5));
		}
	}
	if (lib && *lib)
		fn(ud, lib, name);
}
