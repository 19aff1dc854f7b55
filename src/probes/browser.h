/* Browser profiles, extensions, policies and native messaging hosts: the
 * parsing both OSes share (browser_*.c, portable: files through the platform
 * layer, JSON through cJSON). The OS probes (posix_browsers.c, a Windows one
 * later) only know where things live and hand the places to these functions
 * as system paths; everything below maps them under --root itself.
 *
 * Two layers:
 *   - pure parsers (cd_bjson_*, cd_bprefs_*, cd_bini_*): text in, plain
 *     structs out, no files and no facts. The fuzz target drives these.
 *   - collectors (cd_browser_*): read the files of one place and write
 *     browser_profiles, browser_extensions, browser_policies and native_hosts
 *     rows, recording every unreadable or damaged file as a probe error.
 *
 * Untrusted input throughout: profile files are written by browsers, copied
 * between machines, truncated by full disks. A file that does not parse gives
 * a probe error (cJSON refuses nesting deeper than CJSON_NESTING_LIMIT, and
 * no function here recurses over a document), never a crash. */
#ifndef CD_BROWSER_H
#define CD_BROWSER_H

#include <stddef.h>

#include "../core/error.h"
#include "../core/probe.h"

/* Largest profile file read (Chromium's Preferences of a heavy profile run to
 * a few MB). */
#define CD_BROWSER_MAX_JSON ((size_t)32 << 20)

/* ---- pure parsers ---- */

typedef struct cJSON cJSON;

/* Parses a JSON document of len bytes (no terminator needed; a UTF-8 byte
 * order mark is skipped). Returns the tree (cJSON_Delete it) or NULL with
 * *why set to a static reason: "empty", "not valid JSON (or nested too
 * deeply)", "not a JSON object". */
cJSON *cd_bjson_parse(const char *text, size_t len, const char **why);

/* One extension or add-on as its profile records it. Strings are malloc'd
 * (NULL when absent); ints are -1 when unknown. */
struct cd_bext {
	char *ext_id;
	char *name;           /* as stored: may still be a __MSG_x__ reference */
	char *version;
	char *default_locale; /* Chromium manifest default_locale, for __MSG_ names */
	char *state;          /* raw state as stored (Chromium "state"), text */
	char *disable_reasons; /* names, comma separated; NULL when none */
	char *location;       /* install location name */
	char *path;           /* extension directory or XPI as stored */
	int enabled;
	int from_webstore;
	int incognito_allowed;
	int user_disabled, app_disabled, soft_disabled, signed_state;
	int has_manifest;     /* Chromium: the preferences carried the manifest */
};

struct cd_bext_list {
	struct cd_bext *v;
	size_t n, cap;
};

void cd_bext_list_release(struct cd_bext_list *l);

/* Chromium: names of the disable reasons in a bit field, comma separated
 * ("user, policy"); NULL for 0. Unknown bits are named "bit<N>". */
char *cd_bprefs_disable_reason_names(long long bits);

/* Chromium: the extensions of one profile from its Preferences and Secure
 * Preferences documents (either may be NULL). extensions.settings.<id> of
 * both are merged key by key, Secure Preferences winning (newer Chrome keeps
 * the state only there). Enabled = no disable reason and a state that is not
 * 0 (disabled) or 2 (uninstalled external extension). Appends to out;
 * returns CD_OK or CD_ERR_NOMEM. */
cd_err cd_bprefs_chromium_extensions(const cJSON *prefs, const cJSON *secure, struct cd_bext_list *out);

/* Chromium: "extensions.last_chrome_version" of a Preferences document, or
 * NULL (a new string). */
char *cd_bprefs_chromium_version(const cJSON *prefs);

/* Chromium: name, version and default_locale of a manifest.json document
 * into e where e lacks them. */
void cd_bprefs_manifest_fill(const cJSON *manifest, struct cd_bext *e);

/* Chromium: the message KEY of a _locales/<l>/messages.json document (key
 * case-insensitive, as Chromium matches it), or NULL. A new string. */
char *cd_bprefs_message(const cJSON *messages, const char *key);

/* Key of a "__MSG_key__" reference (a new string), or NULL if s is none. */
char *cd_bprefs_msg_key(const char *s);

/* Firefox: the add-ons of type extension in extensions.json, with the
 * private-window permission from extension-preferences.json (may be NULL).
 * Only the visible entry of an id counts: another location's copy of the
 * same add-on is shadowed and never runs. */
cd_err cd_bprefs_firefox_extensions(const cJSON *extensions, const cJSON *ext_prefs, struct cd_bext_list *out);

/* A profile a Local State or profiles.ini names. */
struct cd_bprof {
	char *dir;   /* Chromium: folder name in the user data dir; Firefox: Path= */
	char *name;  /* name shown */
	int relative; /* Firefox IsRelative (1 default) */
	int is_default;
};

struct cd_bprof_list {
	struct cd_bprof *v;
	size_t n, cap;
};

void cd_bprof_list_release(struct cd_bprof_list *l);

/* Chromium Local State: profile.info_cache entries, is_default for
 * profile.last_used ("Default" when it names none). */
cd_err cd_bini_local_state(const cJSON *local_state, struct cd_bprof_list *out);

/* Firefox profiles.ini (text of len bytes, CRLF or LF): every [Profile*]
 * section with a Path; is_default from the [Install*] section's Default=
 * (Firefox 67 and later) or else the profile's Default=1. */
cd_err cd_bini_profiles_ini(const char *text, size_t len, struct cd_bprof_list *out);

/* Firefox compatibility.ini: the version in LastVersion= ("153.7.0" of
 * "153.7.0_20261103151912/20261103151912"), or NULL. */
char *cd_bini_compat_version(const char *text, size_t len);

/* A native messaging host manifest, checked as the browser checks it. */
struct cd_bhost {
	int ok;          /* parsed as a JSON object */
	char *path;      /* "path" as written */
	char *origins;   /* allowed_origins (Chromium) or allowed_extensions (Firefox), JSON array */
	char *error;     /* what the browser would refuse, "; " separated, or NULL */
};

/* Parses a manifest registered under name; firefox selects the Firefox
 * fields. Fills h (release with cd_bhost_release) and returns CD_OK, or
 * CD_ERR_NOMEM. */
cd_err cd_bhost_parse(const char *text, size_t len, const char *name, int firefox, struct cd_bhost *h);
void cd_bhost_release(struct cd_bhost *h);

/* ---- collectors (system paths; rows into ctx->facts) ---- */

/* A Chromium-family user data directory (~/.config/google-chrome, ...\User
 * Data): every profile Local State lists plus profile folders found on disk,
 * each with its extensions. nss_dir is the NSS database the browser loads
 * security devices from (Linux: ~/.pki/nssdb), NULL where it uses the OS
 * store. */
void cd_browser_chromium_dir(struct cd_probe_ctx *ctx, const char *browser, const char *user,
			     const char *sys_dir, const char *nss_dir);

/* A Firefox directory holding profiles.ini: listed profiles (relative and
 * absolute paths) plus profile folders found on disk. */
void cd_browser_firefox_dir(struct cd_probe_ctx *ctx, const char *user, const char *sys_dir);

/* Chromium policies: every *.json file of a policy directory, one row per
 * policy. Missing directory: nothing, no error. */
void cd_browser_chromium_policies(struct cd_probe_ctx *ctx, const char *browser, const char *scope,
				  const char *sys_dir);

/* Firefox policies.json: one row per policy under "policies". */
void cd_browser_firefox_policies(struct cd_probe_ctx *ctx, const char *scope, const char *sys_file);

/* Checks a host program: sets *exists (1/0) and may add to *error (the
 * caller's string, replaced) what is wrong with it (not executable). The OS
 * layer supplies it; path is a system path. */
typedef void (*cd_bhost_check_fn)(struct cd_probe_ctx *ctx, const char *sys_path, int *exists, char **error);

/* A directory of native messaging host manifests (<name>.json each). user
 * is NULL for machine scope. Relative host paths are refused (Linux and
 * macOS browsers need absolute ones). */
void cd_browser_native_host_dir(struct cd_probe_ctx *ctx, const char *browser, const char *scope,
				const char *user, const char *sys_dir, cd_bhost_check_fn check);

#endif
