/* Browsers on Linux: where Chromium-family browsers and Firefox keep their
 * profiles, policies and native messaging host manifests, for every user
 * (cadoctor runs as root while the key belongs to a desktop user). The
 * parsing is portable (browser_*.c); this file only knows the places. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/probe.h"
#include "../core/util.h"
#include "../platform/platform.h"
#include "browser.h"
#include "posix_common.h"

#define MAX_SMALL ((size_t)1 << 20)

/* A Chromium-family browser: its id, user data directories under a home,
 * the NSS database it loads security devices from, machine-wide policy and
 * native host directories, and its per-user host directory name. */
struct chromium_kind {
	const char *browser;
	const char *user_dir;  /* under the home */
	const char *nss_dir;   /* under the home */
};

static const struct chromium_kind chromium_dirs[] = {
	{ "chrome", "/.config/google-chrome", "/.pki/nssdb" },
	{ "chrome", "/.config/google-chrome-beta", "/.pki/nssdb" },
	{ "chrome", "/.config/google-chrome-unstable", "/.pki/nssdb" },
	{ "chrome", "/.var/app/com.google.Chrome/config/google-chrome", "/.pki/nssdb" },
	{ "chromium", "/.config/chromium", "/.pki/nssdb" },
	{ "chromium", "/snap/chromium/common/chromium", "/snap/chromium/current/.pki/nssdb" },
	{ "chromium", "/.var/app/org.chromium.Chromium/config/chromium", "/.pki/nssdb" },
	{ "edge", "/.config/microsoft-edge", "/.pki/nssdb" },
	{ "edge", "/.config/microsoft-edge-beta", "/.pki/nssdb" },
	{ "edge", "/.config/microsoft-edge-dev", "/.pki/nssdb" },
	{ "edge", "/.var/app/com.microsoft.Edge/config/microsoft-edge", "/.pki/nssdb" },
};

/* Firefox profile directories (profiles.ini) under a home: the classic one,
 * the XDG one new installs use since Firefox 147, snap and flatpak. */
static const char *const firefox_dirs[] = {
	"/.mozilla/firefox",
	"/.config/mozilla/firefox",
	"/snap/firefox/common/.mozilla/firefox",
	"/.var/app/org.mozilla.firefox/.mozilla/firefox",
	"/.var/app/org.mozilla.firefox/config/mozilla/firefox",
};

static const struct {
	const char *browser;
	const char *dir;
} machine_hosts[] = {
	{ "chrome", "/etc/opt/chrome/native-messaging-hosts" },
	{ "chromium", "/etc/chromium/native-messaging-hosts" },
	{ "chromium", "/etc/chromium-browser/native-messaging-hosts" },
	{ "edge", "/etc/opt/edge/native-messaging-hosts" },
	{ "firefox", "/usr/lib/mozilla/native-messaging-hosts" },
	{ "firefox", "/usr/lib64/mozilla/native-messaging-hosts" },
}, user_hosts[] = {
	{ "chrome", "/.config/google-chrome/NativeMessagingHosts" },
	{ "chromium", "/.config/chromium/NativeMessagingHosts" },
	{ "chromium", "/snap/chromium/common/chromium/NativeMessagingHosts" },
	{ "edge", "/.config/microsoft-edge/NativeMessagingHosts" },
	{ "firefox", "/.mozilla/native-messaging-hosts" },
}, policy_dirs[] = {
	{ "chrome", "/etc/opt/chrome/policies" },
	{ "chromium", "/etc/chromium/policies" },
	{ "chromium", "/etc/chromium-browser/policies" },
	{ "edge", "/etc/opt/edge/policies" },
};

/* Installed browsers: executable, and for Firefox the application.ini
 * beside it that holds the version. */
static const struct {
	const char *browser;
	const char *exe;
	const char *app_ini;
} installs[] = {
	{ "chrome", "/opt/google/chrome/chrome", NULL },
	{ "chromium", "/usr/lib/chromium/chromium", NULL },
	{ "chromium", "/usr/lib/chromium-browser/chromium-browser", NULL },
	{ "chromium", "/snap/chromium/current/usr/lib/chromium-browser/chrome", NULL },
	{ "edge", "/opt/microsoft/msedge/msedge", NULL },
	{ "firefox", "/usr/lib/firefox-esr/firefox-esr", "/usr/lib/firefox-esr/application.ini" },
	{ "firefox", "/usr/lib/firefox/firefox", "/usr/lib/firefox/application.ini" },
	{ "firefox", "/usr/lib64/firefox/firefox", "/usr/lib64/firefox/application.ini" },
	{ "firefox", "/opt/firefox/firefox", "/opt/firefox/application.ini" },
	{ "firefox", "/snap/firefox/current/usr/lib/firefox/firefox", "/snap/firefox/current/usr/lib/firefox/application.ini" },
};

/* Name of the user whose home this is: /etc/passwd's entry, else the last
 * path component. A new string. */
static char *user_of(const char *passwd, const char *home)
{
	const char *line = passwd, *slash;
	size_t hl = strlen(home);
	while (line && *line) {
		const char *end = strchr(line, '\n'), *f = line;
		int field;
		size_t ll = end ? (size_t)(end - line) : strlen(line);
		for (field = 0; field < 5 && f; field++) {
			f = memchr(f, ':', ll - (size_t)(f - line));
			if (f)
				f++;
		}
		if (f && (size_t)(f - line) + hl <= ll && !strncmp(f, home, hl) &&
		    ((size_t)(f - line) + hl == ll || f[hl] == ':')) {
			const char *colon = memchr(line, ':', ll);
			if (colon && colon > line)
				return cd_strndup(line, (size_t)(colon - line));
		}
		line = end ? end + 1 : NULL;
	}
	slash = strrchr(home, '/');
	return cd_strdup(slash && slash[1] ? slash + 1 : home);
}

/* The host program named by a manifest: present, and executable by someone
 * (the browser runs it as the user; a script copied without its mode bits
 * starts nothing). */
static void check_host(struct cd_probe_ctx *ctx, const char *sys_path, int *exists, char **error)
{
	char *p = cd_probe_path(ctx, sys_path);
	struct stat st;
	*exists = 0;
	if (p && stat(p, &st) == 0) {
		*exists = 1;
		if (S_ISDIR(st.st_mode) || !(st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH))) {
			const char *what = S_ISDIR(st.st_mode) ? "host path is a directory" : "host program is not executable";
			char *msg = *error ? cd_aprintf("%s; %s", *error, what) : cd_strdup(what);
			if (msg) {
				free(*error);
				*error = msg;
			}
		}
	}
	free(p);
}

static char *app_ini_version(struct cd_probe_ctx *ctx, const char *sys_ini)
{
	char *p = cd_probe_path(ctx, sys_ini), *text = NULL, *line, *next, *v = NULL;
	int in_app = 0;
	if (!p || cd_read_file(p, MAX_SMALL, &text, NULL) != CD_OK) {
		free(p);
		return NULL;
	}
	free(p);
	for (line = text; line && !v; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		line = cd_trim(line);
		if (line[0] == '[')
			in_app = !strcmp(line, "[App]");
		else if (in_app && !strncmp(line, "Version=", 8))
			v = cd_strdup(cd_trim(line + 8));
	}
	free(text);
	return v;
}

static void browser_installs(struct cd_probe_ctx *ctx)
{
	size_t i;
	for (i = 0; i < sizeof(installs) / sizeof(installs[0]); i++) {
		struct cd_row r;
		char *version, *dir, *slash, *pol;
		if (!cd_sys_exists(ctx, installs[i].exe))
			continue;
		version = installs[i].app_ini ? app_ini_version(ctx, installs[i].app_ini) : NULL;
		cd_row_init(&r, "browsers");
		cd_row_text(&r, "browser", installs[i].browser);
		cd_row_text(&r, "version", version);
		cd_row_text(&r, "path", installs[i].exe);
		cd_row_text(&r, "source", "file");
		if (cd_row_insert(ctx->facts, &r))
			cd_probe_error(ctx, installs[i].exe, CD_ERR_SQL, "cannot store the browser row");
		free(version);
		/* Firefox reads policies.json from its install's distribution folder. */
		if (strcmp(installs[i].browser, "firefox") != 0)
			continue;
		dir = cd_strdup(installs[i].exe);
		slash = dir ? strrchr(dir, '/') : NULL;
		if (slash) {
			*slash = '\0';
			pol = cd_aprintf("%s/distribution/policies.json", dir);
			if (pol)
				cd_browser_firefox_policies(ctx, "machine", pol);
			free(pol);
		}
		free(dir);
	}
}

static cd_err collect_browsers(struct cd_probe_ctx *ctx)
{
	struct cd_strv homes = { 0 };
	char *passwd = NULL, *pp;
	size_t h, i;

	browser_installs(ctx);
	/* Firefox's system policies (SysConfD/policies) win over the install's. */
	cd_browser_firefox_policies(ctx, "machine", "/etc/firefox/policies/policies.json");
	for (i = 0; i < sizeof(policy_dirs) / sizeof(policy_dirs[0]); i++) {
		char *m = cd_aprintf("%s/managed", policy_dirs[i].dir);
		char *r = cd_aprintf("%s/recommended", policy_dirs[i].dir);
		if (m)
			cd_browser_chromium_policies(ctx, policy_dirs[i].browser, "machine", m);
		if (r)
			cd_browser_chromium_policies(ctx, policy_dirs[i].browser, "recommended", r);
		free(m);
		free(r);
	}
	for (i = 0; i < sizeof(machine_hosts) / sizeof(machine_hosts[0]); i++)
		cd_browser_native_host_dir(ctx, machine_hosts[i].browser, "machine", NULL, machine_hosts[i].dir,
					   check_host);

	pp = cd_probe_path(ctx, "/etc/passwd");
	if (!pp || cd_read_file(pp, MAX_SMALL, &passwd, NULL) != CD_OK)
		passwd = NULL;
	free(pp);
	cd_posix_user_homes(ctx, &homes);
	for (h = 0; h < homes.n; h++) {
		const char *home = homes.v[h];
		char *user = user_of(passwd, home);
		for (i = 0; i < sizeof(chromium_dirs) / sizeof(chromium_dirs[0]); i++) {
			char *dir = cd_aprintf("%s%s", home, chromium_dirs[i].user_dir);
			char *nss = cd_aprintf("%s%s", home, chromium_dirs[i].nss_dir);
			if (dir && nss)
				cd_browser_chromium_dir(ctx, chromium_dirs[i].browser, user, dir, nss);
			free(dir);
			free(nss);
		}
		for (i = 0; i < sizeof(firefox_dirs) / sizeof(firefox_dirs[0]); i++) {
			char *dir = cd_aprintf("%s%s", home, firefox_dirs[i]);
			if (dir)
				cd_browser_firefox_dir(ctx, user, dir);
			free(dir);
		}
		for (i = 0; i < sizeof(user_hosts) / sizeof(user_hosts[0]); i++) {
			char *dir = cd_aprintf("%s%s", home, user_hosts[i].dir);
			if (dir)
				cd_browser_native_host_dir(ctx, user_hosts[i].browser, "user", user, dir, check_host);
			free(dir);
		}
		free(user);
	}
	free(passwd);
	cd_strv_release(&homes);
	return CD_OK;
}

const struct cd_probe cd_probe_posix_browsers = {
	"linux.browsers",
	"browsers, browser_profiles, browser_extensions, browser_policies, native_hosts",
	collect_browsers,
};
