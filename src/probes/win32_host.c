/* Windows host facts: version and build, architecture, privileges, clock and
 * time zone, UI language, proxy, and the hosts-file entries for the
 * platform domains in the catalog. */
#include <windows.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "../core/probe.h"
#include "../core/util.h"
#include "../platform/platform.h"
#include "../platform/win32_util.h"
#include "win32_profiles.h"
#include "win32_reg.h"

typedef LONG(WINAPI *rtl_get_version_fn)(OSVERSIONINFOW *);
typedef int(WINAPI *get_locale_name_fn)(LPWSTR, int);
typedef DWORD(WINAPI *get_dyn_tz_fn)(PDYNAMIC_TIME_ZONE_INFORMATION);

static const char *arch_name(WORD a)
{
	switch (a) {
	case PROCESSOR_ARCHITECTURE_AMD64:
		return "x86_64";
	case PROCESSOR_ARCHITECTURE_INTEL:
		return "x86";
	case PROCESSOR_ARCHITECTURE_ARM64:
		return "arm64";
	default:
		return "unknown";
	}
}

static char *reg_str(HKEY root, const char *key, const char *value)
{
	HKEY h;
	char *s = NULL;
	if (cd_reg_open(root, key, CD_REG_VIEW_64, &h) == CD_OK) {
		cd_reg_get_str(h, value, 0, &s);
		cd_reg_close(h);
	}
	return s;
}

/* The proxy the user's WinINet settings put in effect (what IE, Chrome and
 * Edge use by default), or NULL. */
static char *wininet_proxy(void)
{
	static const char key[] = "Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings";
	HKEY h;
	uint32_t enable = 0;
	char *server = NULL, *pac = NULL, *r = NULL;
	if (cd_reg_open(HKEY_CURRENT_USER, key, CD_REG_VIEW_64, &h) != CD_OK)
		return NULL;
	cd_reg_get_dword(h, "ProxyEnable", &enable);
	cd_reg_get_str(h, "ProxyServer", 0, &server);
	cd_reg_get_str(h, "AutoConfigURL", 0, &pac);
	cd_reg_close(h);
	if (enable && server && *server)
		r = pac && *pac ? cd_aprintf("%s (pac %s)", server, pac) : cd_strdup(server);
	else if (pac && *pac)
		r = cd_aprintf("pac %s", pac);
	free(server);
	free(pac);
	return r;
}

/* Lines of the hosts file that name a platform host of the catalog: a
 * redirected platform domain explains a blank page better than anything. */
static void hosts_file(struct cd_probe_ctx *ctx)
{
	wchar_t wdir[MAX_PATH];
	char *dir, *path, *text = NULL, *line, *next;
	sqlite3_stmt *st = NULL;
	cd_err e;
	UINT n = GetSystemDirectoryW(wdir, MAX_PATH);
	if (!n || n >= MAX_PATH)
		return;
	dir = cd_utf8_from_w(wdir);
	path = dir ? cd_aprintf("%s\\drivers\\etc\\hosts", dir) : NULL;
	free(dir);
	if (!path)
		return;
	e = cd_read_file(path, (size_t)8 << 20, &text, NULL);
	if (e) {
		if (e != CD_ERR_NOT_FOUND)
			cd_probe_error(ctx, path, e, "cannot read the hosts file");
		free(path);
		return;
	}
	sqlite3_prepare_v2(cd_facts_db(ctx->facts),
			   "SELECT 1 FROM rules.cat_platforms WHERE url LIKE '%://' || ?1 || '/%'"
			   " OR url LIKE '%://' || ?1 || ':%' OR url LIKE '%://' || ?1",
			   -1, &st, NULL);
	for (line = text; line && *line; line = next) {
		char *hash, *addr, *name, *save;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if ((hash = strchr(line, '#')) != NULL)
			*hash = '\0';
		addr = strtok_s(line, " \t\r", &save);
		while (addr && (name = strtok_s(NULL, " \t\r", &save)) != NULL) {
			int hit = 0;
			if (st) {
				sqlite3_reset(st);
				sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
				hit = sqlite3_step(st) == SQLITE_ROW;
			}
			if (hit) {
				struct cd_row r;
				cd_row_init(&r, "hosts_entries");
				cd_row_text(&r, "hostname", name);
				cd_row_text(&r, "address", addr);
				cd_row_text(&r, "source", path);
				cd_row_insert(ctx->facts, &r);
			}
		}
	}
	sqlite3_finalize(st);
	free(text);
	free(path);
}

static cd_err collect_host(struct cd_probe_ctx *ctx)
{
	static const char nt[] = "SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion";
	OSVERSIONINFOW vi;
	SYSTEM_INFO si, psi;
	rtl_get_version_fn rtl;
	get_locale_name_fn gln;
	get_dyn_tz_fn gdtz;
	wchar_t wname[MAX_COMPUTERNAME_LENGTH + 1], wloc[LOCALE_NAME_MAX_LENGTH];
	DWORD nlen = MAX_COMPUTERNAME_LENGTH + 1;
	DYNAMIC_TIME_ZONE_INFORMATION dtz;
	TIME_ZONE_INFORMATION tzi;
	struct cd_row r;
	char *product, *display, *build, *ubr_build = NULL, *name = NULL, *ver, *hostname = NULL,
							   *tz = NULL, *loc = NULL, *proxy, *kernel;
	uint32_t ubr = 0;
	long bias = 0;
	HKEY h;
	cd_err e;

	/* GetVersionEx lies to programs without a manifest entry for the OS;
	 * RtlGetVersion does not. */
	memset(&vi, 0, sizeof(vi));
	vi.dwOSVersionInfoSize = sizeof(vi);
	rtl = (rtl_get_version_fn)(void (*)(void))GetProcAddress(GetModuleHandleW(L"ntdll.dll"),
								 "RtlGetVersion");
	if (!rtl || rtl(&vi) != 0)
		cd_probe_error(ctx, "RtlGetVersion", CD_ERR_UNSUPPORTED, "Windows version unknown");
	product = reg_str(HKEY_LOCAL_MACHINE, nt, "ProductName");
	display = reg_str(HKEY_LOCAL_MACHINE, nt, "DisplayVersion");
	if (!display)
		display = reg_str(HKEY_LOCAL_MACHINE, nt, "ReleaseId");
	build = reg_str(HKEY_LOCAL_MACHINE, nt, "CurrentBuildNumber");
	if (cd_reg_open(HKEY_LOCAL_MACHINE, nt, CD_REG_VIEW_64, &h) == CD_OK) {
		cd_reg_get_dword(h, "UBR", &ubr);
		cd_reg_close(h);
	}
	/* Windows 11 still calls itself "Windows 10" in ProductName. */
	if (product && vi.dwBuildNumber >= 22000 && !strncmp(product, "Windows 10", 10))
		name = cd_aprintf("Windows 11%s", product + 10);
	else
		name = product ? cd_strdup(product) : NULL;
	if (display && name) {
		char *t = cd_aprintf("%s %s", name, display);
		free(name);
		name = t;
	}
	ver = cd_aprintf("%lu.%lu", (unsigned long)vi.dwMajorVersion, (unsigned long)vi.dwMinorVersion);
	kernel = cd_aprintf("%lu.%lu.%lu", (unsigned long)vi.dwMajorVersion,
			    (unsigned long)vi.dwMinorVersion, (unsigned long)vi.dwBuildNumber);
	ubr_build = ubr ? cd_aprintf("%lu.%lu", (unsigned long)vi.dwBuildNumber, (unsigned long)ubr)
			: cd_aprintf("%lu", (unsigned long)vi.dwBuildNumber);

	GetNativeSystemInfo(&si);
	GetSystemInfo(&psi);
	if (GetComputerNameW(wname, &nlen))
		hostname = cd_utf8_from_w(wname);

	/* Vista and later: the time-zone key name ("China Standard Time"). */
	gdtz = (get_dyn_tz_fn)(void (*)(void))GetProcAddress(GetModuleHandleW(L"kernel32.dll"),
							     "GetDynamicTimeZoneInformation");
	if (gdtz && gdtz(&dtz) != TIME_ZONE_ID_INVALID) {
		tz = cd_utf8_from_w(dtz.TimeZoneKeyName[0] ? dtz.TimeZoneKeyName : dtz.StandardName);
		bias = dtz.Bias;
	} else if (GetTimeZoneInformation(&tzi) != TIME_ZONE_ID_INVALID) {
		tz = cd_utf8_from_w(tzi.StandardName);
		bias = tzi.Bias;
	}
	gln = (get_locale_name_fn)(void (*)(void))GetProcAddress(GetModuleHandleW(L"kernel32.dll"),
								  "GetUserDefaultLocaleName");
	if (gln && gln(wloc, LOCALE_NAME_MAX_LENGTH) > 0)
		loc = cd_utf8_from_w(wloc);
	proxy = wininet_proxy();

	cd_row_init(&r, "host");
	cd_row_text(&r, "os_family", "windows");
	cd_row_text(&r, "os_name", name);
	cd_row_text(&r, "os_version", ver);
	cd_row_text(&r, "os_build", ubr_build ? ubr_build : build);
	cd_row_text(&r, "kernel", kernel);
	cd_row_text(&r, "arch", arch_name(si.wProcessorArchitecture));
	cd_row_text(&r, "process_arch", arch_name(psi.wProcessorArchitecture));
	cd_row_text(&r, "hostname", hostname);
	cd_row_int(&r, "elevated", cd_win_is_elevated());
	cd_row_int(&r, "clock_utc", cd_now());
	cd_row_text(&r, "tz_name", tz);
	cd_row_int(&r, "tz_offset_min", -bias); /* Bias is UTC minus local */
	cd_row_text(&r, "locale", loc);
	cd_row_text(&r, "proxy", proxy);
	e = cd_row_insert(ctx->facts, &r);

	hosts_file(ctx);
	free(product);
	free(display);
	free(build);
	free(ubr_build);
	free(name);
	free(ver);
	free(kernel);
	free(hostname);
	free(tz);
	free(loc);
	free(proxy);
	return e;
}

const struct cd_probe cd_probe_win32_host = {
	"windows.host",
	"host, hosts_entries",
	collect_host,
};
