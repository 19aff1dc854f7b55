/* Linux host facts: distribution, kernel, architecture, privileges, clock,
 * time zone, locale and proxy. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "../core/probe.h"
#include "../core/util.h"
#include "../platform/platform.h"

/* Value of KEY= in an os-release file, unquoted (free()). */
static char *os_release_value(const char *text, const char *key)
{
	size_t klen = strlen(key);
	const char *p = text;
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len > klen && !strncmp(p, key, klen) && p[klen] == '=') {
			const char *v = p + klen + 1;
			size_t vlen = len - klen - 1;
			if (vlen >= 2 && (v[0] == '"' || v[0] == '\'') && v[vlen - 1] == v[0]) {
				v++;
				vlen -= 2;
			}
			return cd_strndup(v, vlen);
		}
		p = nl ? nl + 1 : NULL;
	}
	return NULL;
}

static char *time_zone_name(struct cd_probe_ctx *ctx)
{
	char *path, *text = NULL, buf[PATH_MAX];
	const char *tz = cd_getenv("TZ");
	ssize_t n;
	if (tz && *tz && !(ctx->opts && ctx->opts->root))
		return cd_strdup(tz[0] == ':' ? tz + 1 : tz);
	path = cd_probe_path(ctx, "/etc/timezone");
	if (path && cd_read_file(path, 4096, &text, NULL) == CD_OK) {
		free(path);
		cd_trim(text);
		if (*text)
			return text;
		free(text);
	} else {
		free(path);
	}
	/* /etc/localtime -> /usr/share/zoneinfo/Asia/Shanghai */
	path = cd_probe_path(ctx, "/etc/localtime");
	n = path ? readlink(path, buf, sizeof(buf) - 1) : -1;
	free(path);
	if (n > 0) {
		const char *z;
		buf[n] = '\0';
		z = strstr(buf, "zoneinfo/");
		return cd_strdup(z ? z + 9 : buf);
	}
	return NULL;
}

static cd_err collect_host(struct cd_probe_ctx *ctx)
{
	struct cd_row r;
	struct utsname u;
	char host[256] = "", *osr_path, *osr = NULL, *name = NULL, *ver = NULL, *id = NULL,
			   *build = NULL, *tz;
	const char *lang, *proxy;
	time_t now = (time_t)cd_now();
	struct tm lt;
	int has_uname = uname(&u) == 0;
	cd_err e;

	osr_path = cd_probe_path(ctx, "/etc/os-release");
	if (!osr_path || cd_read_file(osr_path, 65536, &osr, NULL) != CD_OK) {
		free(osr_path);
		osr_path = cd_probe_path(ctx, "/usr/lib/os-release");
		if (!osr_path || (e = cd_read_file(osr_path, 65536, &osr, NULL)) != CD_OK)
			cd_probe_error(ctx, "/etc/os-release", CD_ERR_NOT_FOUND,
				       "no os-release file: distribution unknown");
	}
	free(osr_path);
	if (osr) {
		name = os_release_value(osr, "PRETTY_NAME");
		ver = os_release_value(osr, "VERSION_ID");
		id = os_release_value(osr, "ID");
		build = os_release_value(osr, "VERSION");
	}
	gethostname(host, sizeof(host) - 1);
	tz = time_zone_name(ctx);
	localtime_r(&now, &lt);
	lang = cd_getenv("LC_ALL");
	if (!lang || !*lang)
		lang = cd_getenv("LANG");
	proxy = cd_getenv("https_proxy");
	if (!proxy || !*proxy)
		proxy = cd_getenv("HTTPS_PROXY");
	if (!proxy || !*proxy)
		proxy = cd_getenv("all_proxy");

	cd_row_init(&r, "host");
	cd_row_text(&r, "os_family", "linux");
	cd_row_text(&r, "os_name", name);
	cd_row_text(&r, "os_version", ver);
	cd_row_text(&r, "os_build", build);
	cd_row_text(&r, "distro_id", id);
	cd_row_text(&r, "kernel", has_uname ? u.release : NULL);
	cd_row_text(&r, "arch", has_uname ? u.machine : NULL);
	cd_row_text(&r, "process_arch", sizeof(void *) == 8 ? "64-bit" : "32-bit");
	cd_row_text(&r, "hostname", host[0] ? host : NULL);
	cd_row_int(&r, "elevated", geteuid() == 0);
	cd_row_int(&r, "clock_utc", (int64_t)now);
	cd_row_text(&r, "tz_name", tz);
	cd_row_int(&r, "tz_offset_min", (int64_t)(lt.tm_gmtoff / 60));
	cd_row_text(&r, "locale", lang && *lang ? lang : NULL);
	cd_row_text(&r, "proxy", proxy && *proxy ? proxy : NULL);
	cd_row_text(&r, "root", ctx->opts && ctx->opts->root ? ctx->opts->root : NULL);
	e = cd_row_insert(ctx->facts, &r);
	free(osr);
	free(name);
	free(ver);
	free(id);
	free(build);
	free(tz);
	return e;
}

const struct cd_probe cd_probe_posix_host = {
	"linux.host",
	"host",
	collect_host,
};
