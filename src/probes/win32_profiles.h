/* Other users' profile folders on Windows, for probes that read per-user
 * files of users other than the one running cadoctor (browser profiles,
 * certificate store files). Reading them needs an elevated process. */
#ifndef CD_WIN32_PROFILES_H
#define CD_WIN32_PROFILES_H

#include <windows.h>

#include "../core/probe.h"

/* 1 when this process runs with an administrator's full (elevated) token. */
int cd_win_is_elevated(void);

/* A known folder of the current user (SHGetKnownFolderPath, looked up at run
 * time: absent before Vista), else the environment variable env. A new
 * string or NULL. */
char *cd_win_known_folder(const GUID *id, const wchar_t *env);

/* The current user's profile folder (SHGetKnownFolderPath, else
 * %USERPROFILE%), a new string or NULL. */
char *cd_win_own_profile(void);

/* Calls fn once for every profile folder that the ProfileList registry key
 * names for a user account (not SYSTEM, LocalService, NetworkService), that
 * exists and is not own_profile. user is the account name of the SID, else
 * the folder's last component. Problems reading the key or a folder are
 * probe errors; stale entries (folder gone) are skipped. */
void cd_win_other_profiles(struct cd_probe_ctx *ctx, const char *own_profile,
			   void (*fn)(struct cd_probe_ctx *ctx, const char *user, const char *profile, void *ud),
			   void *ud);

#endif
