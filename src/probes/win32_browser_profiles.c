/* Browser profiles on Windows: where Chrome, Edge, Chromium, the 360
 * browsers and Firefox keep their profiles for the current user and, when
 * elevated, for every user profile the ProfileList registry key names. The
 * parsing is portable (browser_*.c); this file only knows the places. */
#include <windows.h>
#include <stdlib.h>
#include <string.h>

#include "../core/probe.h"
#include "../core/util.h"
#include "../platform/platform.h"
#include "../platform/win32_util.h"
#include "browser.h"
#include "win32_profiles.h"
#include "win32_reg.h"

/* Chromium-family user data directories under Local AppData (or Roaming).
 * The 360 browsers' places are the ones many public tools agree on (360安全
 * 浏览器 under Roaming\360se6, 360极速浏览器 and its X edition under Local);
 * they are not yet confirmed on a real installation, and the files in them
 * are read as Chromium's (360's builds are Chromium-based). */
static const struct {
	const char *browser;
	const char *dir;
	int roaming;
} chromium_dirs[] = {
	{ "chrome", "Google\\Chrome\\User Data", 0 },
	{ "edge", "Microsoft\\Edge\\User Data", 0 },
	{ "chromium", "Chromium\\User Data", 0 },
	{ "360se", "360se6\\User Data", 1 },
	{ "360chrome", "360Chrome\\Chrome\\User Data", 0 },
	{ "360chrome", "360ChromeX\\Chrome\\User Data", 0 },
};

/* Firefox's profiles.ini directory under Roaming AppData. */
#define FIREFOX_DIR "Mozilla\\Firefox"

/* Known folder ids (SHGetKnownFolderPath, Vista and later). */
static const GUID fid_local_app_data = { 0xf1b32785, 0x6fba, 0x4fcf, { 0x9d, 0x55, 0x7b, 0x8e, 0x7f, 0x15, 0x70, 0x91 } };
static const GUID fid_roaming_app_data = { 0x3eb685db, 0x65f9, 0x4cf6, { 0xa0, 0x3e, 0xe3, 0xef, 0x65, 0x72, 0x9f, 0x3d } };

static char *current_user_name(void)
{
	wchar_t buf[257];
	DWORD n = (DWORD)(sizeof(buf) / sizeof(buf[0]));
	if (GetUserNameW(buf, &n))
		return cd_utf8_from_w(buf);
	n = GetEnvironmentVariableW(L"USERNAME", buf, (DWORD)(sizeof(buf) / sizeof(buf[0])));
	if (n > 0 && n < sizeof(buf) / sizeof(buf[0]))
		return cd_utf8_from_w(buf);
	return NULL;
}

/* Every browser place of one user: local is Local AppData, roaming is
 * Roaming AppData. */
static void user_browsers(struct cd_probe_ctx *ctx, const char *user, const char *local, const char *roaming)
{
	size_t i;
	for (i = 0; i < sizeof(chromium_dirs) / sizeof(chromium_dirs[0]); i++) {
		const char *base = chromium_dirs[i].roaming ? roaming : local;
		char *dir;
		if (!base)
			continue;
		dir = cd_aprintf("%s\\%s", base, chromium_dirs[i].dir);
		if (dir)
			cd_browser_chromium_dir(ctx, chromium_dirs[i].browser, user, dir, NULL);
		free(dir);
	}
	if (roaming) {
		char *dir = cd_aprintf("%s\\%s", roaming, FIREFOX_DIR);
		if (dir)
			cd_browser_firefox_dir(ctx, user, dir);
		free(dir);
	}
}

/* One other user's browser places (cd_win_other_profiles). */
static void other_user(struct cd_probe_ctx *ctx, const char *user, const char *profile, void *ud)
{
	char *local = cd_aprintf("%s\\AppData\\Local", profile);
	char *roaming = cd_aprintf("%s\\AppData\\Roaming", profile);
	(void)ud;
	user_browsers(ctx, user, local, roaming);
	free(local);
	free(roaming);
}

static cd_err collect_profiles(struct cd_probe_ctx *ctx)
{
	char *user, *local, *roaming, *profile;

	if (!cd_probe_is_live(ctx))
		return CD_ERR_UNSUPPORTED;
	user = current_user_name();
	local = cd_win_known_folder(&fid_local_app_data, L"LOCALAPPDATA");
	roaming = cd_win_known_folder(&fid_roaming_app_data, L"APPDATA");
	profile = cd_win_own_profile();
	if (!local && profile)
		local = cd_aprintf("%s\\AppData\\Local", profile);
	if (!roaming && profile)
		roaming = cd_aprintf("%s\\AppData\\Roaming", profile);
	if (!local && !roaming)
		cd_probe_error(ctx, "AppData", CD_ERR_NOT_FOUND, "cannot find the current user's AppData folders");
	user_browsers(ctx, user, local, roaming);
	if (cd_win_is_elevated())
		cd_win_other_profiles(ctx, profile, other_user, NULL);
	free(user);
	free(local);
	free(roaming);
	free(profile);
	return CD_OK;
}

const struct cd_probe cd_probe_win32_browser_profiles = {
	"windows.browser_profiles",
	"browser_profiles, browser_extensions",
	collect_profiles,
};
