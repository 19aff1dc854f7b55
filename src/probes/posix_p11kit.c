/* p11-kit module registrations: every *.module file p11-kit reads (the
 * package directory, the administrator's directory, each user's directory).
 * Firefox, Chromium and most Linux programs reach USB-key middleware through
 * p11-kit-proxy.so, so these files decide whether a key's PKCS#11 library is
 * visible to them at all. The modules are not loaded here: loading vendor code
 * is the isolated module loader's job. */
#include <stdlib.h>
#include <string.h>

#include "../core/probe.h"
#include "../core/util.h"
#include "../platform/platform.h"
#include "posix_common.h"

#define MAX_CONF_BYTES ((size_t)1 << 20)

/* p11-kit's default module directory on the analysed system: relative
 * "module:" names load from there. */
static char *default_module_dir(struct cd_probe_ctx *ctx)
{
	char *ma = cd_posix_multiarch(ctx), *dir;
	if (ma) {
		dir = cd_aprintf("/usr/lib/%s/pkcs11", ma);
		free(ma);
		return dir;
	}
	if (cd_sys_is_dir(ctx, "/usr/lib64/pkcs11"))
		return cd_strdup("/usr/lib64/pkcs11");
	return cd_strdup("/usr/lib/pkcs11");
}

/* One module config file's settings that matter here. */
struct modconf {
	const char *module;
	const char *remote;
	const char *enable_in;
	const char *disable_in;
	const char *user_config;
};

static void modconf_set(struct modconf *mc, const char *key, const char *value)
{
	/* A repeated key replaces the earlier one, as in p11-kit. */
	if (!strcmp(key, "module"))
		mc->module = value;
	else if (!strcmp(key, "remote"))
		mc->remote = value;
	else if (!strcmp(key, "enable-in"))
		mc->enable_in = value;
	else if (!strcmp(key, "disable-in"))
		mc->disable_in = value;
	else if (!strcmp(key, "user-config"))
		mc->user_config = value;
}

/* Parses p11-kit's config format in place ("name: value" lines, blank lines,
 * lines starting with '#'), the values pointing into text. Returns 0, or the
 * number of the first line that is none of these: p11-kit rejects the whole
 * file then, so nothing of it counts. */
static int conf_parse(char *text, struct modconf *mc)
{
	char *line, *next;
	int lineno = 0;

	memset(mc, 0, sizeof(*mc));
	for (line = text; line && *line; line = next) {
		char *colon, *key;
		lineno++;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		line = cd_trim(line);
		if (!*line || *line == '#')
			continue;
		colon = strchr(line, ':');
		if (!colon)
			return lineno;
		*colon = '\0';
		key = cd_trim(line);
		if (!*key)
			return lineno;
		modconf_set(mc, key, cd_trim(colon + 1));
	}
	return 0;
}

/* 1 if a comma and/or space separated program list names p11-kit-proxy. */
static int lists_proxy(const char *list)
{
	const char *p = list;
	while (p && *p) {
		size_t n;
		p += strspn(p, ", \t");
		n = strcspn(p, ", \t");
		if (n == strlen("p11-kit-proxy") && !strncmp(p, "p11-kit-proxy", n))
			return 1;
		p += n;
	}
	return 0;
}

/* Reads a config file (path on the analysed system) into *text; records the
 * problem and returns non-zero when it cannot be used. */
static int read_conf(struct cd_probe_ctx *ctx, const char *sys_path, char **text, int report_missing)
{
	char *path = cd_probe_path(ctx, sys_path);
	size_t len = 0;
	cd_err e;

	*text = NULL;
	if (!path) {
		cd_probe_error(ctx, sys_path, CD_ERR_NOMEM, "out of memory");
		return -1;
	}
	if (cd_is_dir(path)) {
		free(path);
		cd_probe_error(ctx, sys_path, CD_ERR_IO, "is a directory, not a config file");
		return -1;
	}
	e = cd_read_file(path, MAX_CONF_BYTES, text, &len);
	free(path);
	if (e) {
		if (e != CD_ERR_NOT_FOUND || report_missing)
			cd_probe_error(ctx, sys_path, e, "cannot read the config file: %s",
				       cd_err_message(e));
		return -1;
	}
	/* p11-kit reads text; NUL bytes or invalid UTF-8 mean a damaged file. */
	if (strlen(*text) != len || !cd_utf8_valid(*text, len)) {
		cd_probe_error(ctx, sys_path, CD_ERR_PARSE,
			       "not a text file (NUL bytes or invalid UTF-8)");
		free(*text);
		*text = NULL;
		return -1;
	}
	return 0;
}

/* user-config of the global config: "none" makes p11-kit ignore the users'
 * module files. The administrator's file overrides the package's. */
static int user_config_none(struct cd_probe_ctx *ctx)
{
	static const char *const files[] = { "/usr/share/p11-kit/pkcs11.conf", "/etc/pkcs11/pkcs11.conf" };
	int none = 0;
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct modconf mc;
		char *text;
		int bad;
		if (read_conf(ctx, files[i], &text, 0))
			continue;
		if ((bad = conf_parse(text, &mc)) != 0)
			cd_probe_error(ctx, files[i], CD_ERR_PARSE,
				       "line %d is not \"name: value\": p11-kit rejects the file", bad);
		else if (mc.user_config)
			none = !strcmp(mc.user_config, "none");
		free(text);
	}
	return none;
}

static void module_file(struct cd_probe_ctx *ctx, const char *sys_path, const char *file_name,
			const char *moddir, int ignored_user_file)
{
	struct modconf mc;
	struct cd_row r;
	char *text = NULL, *name = NULL, *resolved = NULL;
	int bad, enabled;

	if (read_conf(ctx, sys_path, &text, 1))
		return;
	if ((bad = conf_parse(text, &mc)) != 0) {
		cd_probe_error(ctx, sys_path, CD_ERR_PARSE,
			       "line %d is not \"name: value\": p11-kit rejects the file", bad);
		goto out;
	}
	if (!mc.module && !mc.remote) {
		cd_probe_error(ctx, sys_path, CD_ERR_PARSE,
			       "no \"module:\" line: the file registers no library");
		goto out;
	}
	name = cd_strndup(file_name, strlen(file_name) - strlen(".module"));
	/* "enabled" means: loaded by p11-kit-proxy, which is what browsers use. A
	 * blank module value is p11-kit's way to switch a system module off. */
	enabled = !ignored_user_file && (mc.remote || (mc.module && *mc.module));
	if (mc.enable_in && !lists_proxy(mc.enable_in))
		enabled = 0;
	if (mc.disable_in && lists_proxy(mc.disable_in))
		enabled = 0;
	if (mc.module && *mc.module)
		resolved = mc.module[0] == '/' ? cd_strdup(mc.module)
					       : cd_aprintf("%s/%s", moddir, mc.module);

	cd_row_init(&r, "pkcs11_modules");
	cd_row_text(&r, "name", name);
	cd_row_text(&r, "path", mc.module && *mc.module ? mc.module : NULL);
	cd_row_text(&r, "resolved_path", resolved);
	cd_row_bool(&r, "file_exists", resolved ? cd_sys_exists(ctx, resolved) : -1);
	cd_row_text(&r, "source", "p11kit");
	cd_row_text(&r, "source_file", sys_path);
	cd_row_int(&r, "enabled", enabled);
	cd_row_text(&r, "load_status", "not_loaded");
	if (cd_row_insert(ctx->facts, &r))
		cd_probe_error(ctx, sys_path, CD_ERR_SQL, "cannot store the module row");
out:
	free(name);
	free(resolved);
	free(text);
}

/* Every NAME.module in a directory (path on the analysed system). */
static void module_dir(struct cd_probe_ctx *ctx, const char *sys_dir, const char *moddir,
		       int ignored_user_dir)
{
	char **names = NULL, *path = cd_probe_path(ctx, sys_dir);
	size_t n = 0, i;
	cd_err e = path ? cd_list_dir(path, &names, &n) : CD_ERR_NOMEM;

	free(path);
	if (e) {
		if (e != CD_ERR_NOT_FOUND)
			cd_probe_error(ctx, sys_dir, e, "cannot list the module directory: %s",
				       cd_err_message(e));
		return;
	}
	for (i = 0; i < n; i++) {
		size_t len = strlen(names[i]);
		char *file;
		/* p11-kit skips hidden files and anything not named *.module. */
		if (names[i][0] == '.' || len <= strlen(".module") ||
		    strcmp(names[i] + len - strlen(".module"), ".module"))
			continue;
		file = cd_aprintf("%s/%s", sys_dir, names[i]);
		if (file)
			module_file(ctx, file, names[i], moddir, ignored_user_dir);
		free(file);
	}
	cd_free_list(names, n);
}

static cd_err collect_p11kit(struct cd_probe_ctx *ctx)
{
	struct cd_strv homes = { 0 };
	char *moddir = default_module_dir(ctx);
	int no_user;
	size_t i;

	if (!moddir)
		return CD_ERR_NOMEM;
	no_user = user_config_none(ctx);
	module_dir(ctx, "/usr/share/p11-kit/modules", moddir, 0);
	module_dir(ctx, "/etc/pkcs11/modules", moddir, 0);
	/* A user file with a system file's name overrides it in p11-kit; both
	 * rows are kept and source_file tells them apart. */
	cd_posix_user_homes(ctx, &homes);
	for (i = 0; i < homes.n; i++) {
		char *dir = cd_aprintf("%s/.config/pkcs11/modules", homes.v[i]);
		if (dir)
			module_dir(ctx, dir, moddir, no_user);
		free(dir);
	}
	cd_strv_release(&homes);
	free(moddir);
	return CD_OK;
}

const struct cd_probe cd_probe_posix_p11kit = {
	"linux.p11kit",
	"pkcs11_modules",
	collect_p11kit,
};
