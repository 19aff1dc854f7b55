/* clock_sync and open_url on Linux.
 * clock_sync turns on network time synchronisation with timedatectl where
 * systemd runs (captured: whether it was on; undo turns it off again);
 * elsewhere it fails with a message: there is nothing cadoctor can switch
 * on, and it never sets the clock itself. open_url is not journaled: the
 * command prints the address for the user to open. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "../platform/platform.h"
#include "posix_act.h"

static const char *timedatectl(void)
{
	if (!cd_act_systemd())
		return NULL;
	return cd_path_exists("/usr/bin/timedatectl") ? "/usr/bin/timedatectl"
	       : cd_path_exists("/bin/timedatectl")   ? "/bin/timedatectl"
						      : NULL;
}

/* 1 on, 0 off, -1 unknown */
static int ntp_state(void)
{
	const char *argv[] = {timedatectl(), "show", "-p", "NTP", "--value", NULL};
	char *out = NULL;
	size_t len = 0;
	int code = -1, r = -1;
	if (!argv[0])
		return -1;
	if (cd_spawn_capture(argv, 10000, 4096, &out, &len, &code) == CD_OK && code == 0)
		r = !strcmp(cd_trim(out), "yes") ? 1 : !strcmp(cd_trim(out), "no") ? 0 : -1;
	free(out);
	return r;
}

static cd_err set_ntp(int on, struct cd_diag *d)
{
	const char *argv[] = {timedatectl(), "set-ntp", on ? "true" : "false", NULL};
	int st = -1;
	cd_err e;
	if (!argv[0])
		return cd_diag_set(d, CD_ERR_UNSUPPORTED, NULL, 0,
				   "no time synchronisation service to switch on (timedatectl needs systemd): set the clock by hand");
	e = cd_act_run(argv, 30000, &st, d);
	return e ? e : st ? CD_ERR_IO : CD_OK;
}

static cd_err clock_check(const struct cd_action *a, const struct cd_action_env *env, struct cd_diag *d)
{
	(void)a;
	if (!cd_act_live(env))
		return cd_diag_set(d, CD_ERR_UNSUPPORTED, NULL, 0, "the clock is set only on the running system");
	return CD_OK;
}

static int clock_noop(const struct cd_action *a, const struct cd_action_env *env)
{
	(void)a;
	(void)env;
	return ntp_state() == 1;
}

static cd_err clock_capture(const struct cd_action *a, const struct cd_action_env *env, cJSON **before,
			    struct cd_diag *d)
{
	int s = ntp_state();
	cd_err e = clock_check(a, env, d);
	if (e)
		return e;
	*before = cJSON_CreateObject();
	if (!*before || !cJSON_AddStringToObject(*before, "ntp", s == 1 ? "yes" : s == 0 ? "no" : "unknown") ||
	    !cJSON_AddNumberToObject(*before, "clock", (double)cd_now()))
		return CD_ERR_NOMEM;
	return CD_OK;
}

static cd_err clock_apply(const struct cd_action *a, const struct cd_action_env *env, const cJSON *b,
			  struct cd_diag *d)
{
	(void)a;
	(void)env;
	(void)b;
	return set_ntp(1, d);
}

static cd_err clock_undo(const struct cd_action *a, const struct cd_action_env *env, const cJSON *before,
			 struct cd_diag *d)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(before, "ntp");
	(void)a;
	(void)env;
	/* Only synchronisation that was off is switched off again; the time
	 * itself is never set back. */
	if (cJSON_IsString(n) && !strcmp(n->valuestring, "no") && ntp_state() == 1)
		return set_ntp(0, d);
	return CD_OK;
}

const struct cd_action_ops cd_act_posix_clock_sync = {
	"clock_sync", 1, 1, clock_check, clock_noop, clock_capture, clock_apply, clock_undo,
};

static cd_err url_check(const struct cd_action *a, const struct cd_action_env *env, struct cd_diag *d)
{
	const char *u = cd_action_arg(a, "url");
	size_t i;
	(void)env;
	if (!u || (strncmp(u, "https://", 8) && strncmp(u, "http://", 7)))
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "only http and https addresses are opened");
	for (i = 0; u[i]; i++)
		if ((unsigned char)u[i] <= 0x20 || u[i] == '"' || u[i] == '\\')
			return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "address with blanks or quotes");
	return CD_OK;
}

static cd_err url_apply(const struct cd_action *a, const struct cd_action_env *env, const cJSON *b,
			struct cd_diag *d)
{
	(void)b;
	return url_check(a, env, d); /* the command shows it */
}

const struct cd_action_ops cd_act_posix_open_url = {
	"open_url", 0, 0, url_check, NULL, NULL, url_apply, NULL,
};
