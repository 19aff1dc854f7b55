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

/* The SID of this process's user as text, or NULL. */
char *cd_win_current_sid(void);

/* This process's user's account name (GetUserNameW), or NULL. */
char *cd_win_current_user(void);

/* One other user's registry hive: it is HKEY_USERS\hive (the user's own
 * HKCU, loaded), for the user with that SID and name: the account name,
 * else the profile folder's name (as cd_win_other_profiles names the user
 * of the same profile), else the SID. file is the NTUSER.DAT it was loaded
 * from for this call, NULL when the user is logged on. fn must close every key it opens
 * under it: the hive is unloaded after the call. */
typedef void (*cd_win_hive_fn)(struct cd_probe_ctx *ctx, const char *sid, const char *user,
			       const char *hive, const char *file, void *ud);

/* Calls fn for the hive of every user but this process's and the service
 * accounts: first the hives loaded under HKU (users logged on), then, with
 * SeBackup/SeRestore privileges enabled once, each other ProfileList user's
 * NTUSER.DAT, loaded under HKU\cadoctor_<SID> for the call and unloaded
 * after it. Problems are probe errors; not elevated, one error says how many
 * users' "what" (e.g. "programs") were not read. */
void cd_win_other_hives(struct cd_probe_ctx *ctx, const char *what, cd_win_hive_fn fn, void *ud);

#endif
