/* service_set_start on Linux: a systemd unit's enablement, changed with
 * systemctl enable / disable / mask / unmask (run by absolute path with an
 * argument vector, never a shell). These work on the unit files alone, so
 * they work without systemd running as PID 1, and under --root with
 * systemctl --root=DIR.
 *   auto     -> enabled  (unmask when masked, then enable)
 *   manual   -> disabled (unmask when masked, then disable: it can still be
 *               started, by hand or through its socket)
 *   disabled -> masked   (nothing can start it)
 * Captured: systemctl is-enabled's answer, and the directories under
 * /etc/systemd/system (enable may create a .wants directory). Only the
 * states systemctl can put back (enabled, disabled, masked) are accepted;
 * any other (static, generated, linked, ...) refuses the capture, so the
 * action is not applied. Undo puts that state back with the same commands
 * and removes the directories the change created when they are empty. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/util.h"
#include "../platform/platform.h"
#include "posix_act.h"

#define UNIT_CONF "/etc/systemd/system"

static const char *systemctl(void)
{
	return cd_path_exists("/bin/systemctl")	    ? "/bin/systemctl"
	       : cd_path_exists("/usr/bin/systemctl") ? "/usr/bin/systemctl"
						      : NULL;
}

static int valid_unit(const char *s)
{
	size_t n = s ? strlen(s) : 0, i;
	if (!n || n > 128 || s[0] == '-' || s[0] == '.')
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || strchr("@._-\\:", s[i])))
			return 0;
	return 1;
}

/* The enablement state a start type asks for. */
static const char *wanted_state(const char *start_type)
{
	if (!start_type)
		return NULL;
	if (!strcmp(start_type, "auto"))
		return "enabled";
	if (!strcmp(start_type, "manual"))
		return "disabled";
	if (!strcmp(start_type, "disabled"))
		return "masked";
	return NULL;
}

static int restorable(const char *state)
{
	return !strcmp(state, "enabled") || !strcmp(state, "disabled") || !strcmp(state, "masked");
}

/* systemctl [--root=R] VERB UNIT; with out, its trimmed first line. */
static cd_err run_systemctl(const struct cd_action_env *env, const char *verb, const char *unit, int *status,
			    char *out, size_t outlen, struct cd_diag *d)
{
	char *rootopt = cd_act_live(env) ? NULL : cd_aprintf("--root=%s", env->root);
	const char *argv[6];
	char *text = NULL;
	size_t n = 0, len = 0;
	int code = -1;
	cd_err e;
	argv[n++] = systemctl();
	if (rootopt)
		argv[n++] = rootopt;
	argv[n++] = verb;
	argv[n++] = unit;
	argv[n] = NULL;
	if (!argv[0]) {
		free(rootopt);
		return cd_diag_set(d, CD_ERR_UNSUPPORTED, NULL, 0, "systemctl is not installed");
	}
	if (!cd_act_live(env) && !rootopt)
		return CD_ERR_NOMEM;
	e = cd_spawn_capture(argv, 60000, 1 << 16, &text, &len, &code);
	free(rootopt);
	if (e) {
		free(text);
		return cd_diag_set(d, e, argv[0], 0, "%s", cd_err_message(e));
	}
	*status = code;
	if (out && outlen) {
		char *nl;
		snprintf(out, outlen, "%s", text ? cd_trim(text) : "");
		if ((nl = strchr(out, '\n')) != NULL)
			*nl = '\0';
	}
	/* is-enabled answers with its exit status too: only other verbs fail. */
	if (code != 0 && strcmp(verb, "is-enabled"))
		cd_diag_set(d, CD_ERR_IO, argv[0], 0, "systemctl %s %s: exit status %d: %.300s", verb, unit, code,
			    text ? cd_trim(text) : "");
	free(text);
	return CD_OK;
}

/* The unit's enablement ("enabled", "disabled", "masked", "static", ...);
 * "" when systemctl does not know the unit. */
static cd_err unit_state(const struct cd_action_env *env, const char *unit, char *state, size_t len,
			 struct cd_diag *d)
{
	int st = -1;
	cd_err e = run_systemctl(env, "is-enabled", unit, &st, state, len, d);
	if (e)
		return e;
	if (!*state || strchr(state, ' '))
		return cd_diag_set(d, CD_ERR_NOT_FOUND, unit, 0, "systemctl does not know this unit: %s", state);
	return CD_OK;
}

static cd_err ss_check(const struct cd_action *a, const struct cd_action_env *env, struct cd_diag *d)
{
	const char *name = cd_action_arg(a, "name"), *type = cd_action_arg(a, "start_type");
	(void)env;
	if (!valid_unit(name))
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "not a unit name: %s", name ? name : "");
	if (!wanted_state(type))
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "start_type is auto, manual or disabled");
	if (!systemctl())
		return cd_diag_set(d, CD_ERR_UNSUPPORTED, NULL, 0, "no systemctl: start types are systemd's");
	return CD_OK;
}

static int ss_noop(const struct cd_action *a, const struct cd_action_env *env)
{
	char state[64];
	const char *want = wanted_state(cd_action_arg(a, "start_type"));
	return want && unit_state(env, cd_action_arg(a, "name"), state, sizeof(state), NULL) == CD_OK &&
	       !strcmp(state, want);
}

/* Brings the unit to state (enabled, disabled or masked). */
static cd_err set_state(const struct cd_action_env *env, const char *unit, const char *want, struct cd_diag *d)
{
	char now[64];
	int st = -1;
	cd_err e = unit_state(env, unit, now, sizeof(now), d);
	if (e)
		return e;
	if (!strcmp(now, want))
		return CD_OK;
	if (!strcmp(now, "masked") && (e = run_systemctl(env, "unmask", unit, &st, NULL, 0, d)) == CD_OK && st)
		return CD_ERR_IO;
	if (e)
		return e;
	if (!strcmp(want, "enabled"))
		e = run_systemctl(env, "enable", unit, &st, NULL, 0, d);
	else if (!strcmp(want, "disabled"))
		e = run_systemctl(env, "disable", unit, &st, NULL, 0, d);
	else
		e = run_systemctl(env, "mask", unit, &st, NULL, 0, d);
	if (e)
		return e;
	if (st)
		return CD_ERR_IO;
	if ((e = unit_state(env, unit, now, sizeof(now), d)))
		return e;
	if (strcmp(now, want))
		return cd_diag_set(d, CD_ERR_IO, unit, 0, "systemctl left it %s, not %s", now, want);
	return CD_OK;
}

static cd_err ss_capture(const struct cd_action *a, const struct cd_action_env *env, cJSON **before,
			 struct cd_diag *d)
{
	const char *name = cd_action_arg(a, "name");
	char state[64], *conf, **names = NULL;
	size_t n = 0, i;
	cJSON *dirs;
	cd_err e = ss_check(a, env, d);
	if (e || (e = unit_state(env, name, state, sizeof(state), d)))
		return e;
	if (!restorable(state))
		return cd_diag_set(d, CD_ERR_UNSUPPORTED, name, 0,
				   "its state is %s, which systemctl cannot put back: not changed", state);
	*before = cJSON_CreateObject();
	if (!*before || !cJSON_AddStringToObject(*before, "name", name) ||
	    !cJSON_AddStringToObject(*before, "state", state) ||
	    !(dirs = cJSON_AddArrayToObject(*before, "conf_dirs")))
		return CD_ERR_NOMEM;
	conf = cd_act_path(env, UNIT_CONF);
	if (conf && cd_list_dir(conf, &names, &n) == CD_OK) {
		for (i = 0; i < n; i++) {
			char *p = cd_aprintf("%s/%s", conf, names[i]);
			if (p && cd_is_dir(p))
				cJSON_AddItemToArray(dirs, cJSON_CreateString(names[i]));
			free(p);
		}
		cd_free_list(names, n);
	}
	free(conf);
	return CD_OK;
}

static cd_err ss_apply(const struct cd_action *a, const struct cd_action_env *env, const cJSON *before,
		       struct cd_diag *d)
{
	(void)before;
	return set_state(env, cd_action_arg(a, "name"), wanted_state(cd_action_arg(a, "start_type")), d);
}

static int listed(const cJSON *arr, const char *s)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, arr)
	if (cJSON_IsString(it) && !strcmp(it->valuestring, s))
		return 1;
	return 0;
}

static cd_err ss_undo(const struct cd_action *a, const struct cd_action_env *env, const cJSON *before,
		      struct cd_diag *d)
{
	const cJSON *state = cJSON_GetObjectItemCaseSensitive(before, "state"),
		    *dirs = cJSON_GetObjectItemCaseSensitive(before, "conf_dirs");
	char *conf, **names = NULL;
	size_t n = 0, i;
	cd_err e;
	if (!cJSON_IsString(state) || !restorable(state->valuestring))
		return cd_diag_set(d, CD_ERR_PARSE, NULL, 0, "recorded state lacks a usable \"state\"");
	if ((e = set_state(env, cd_action_arg(a, "name"), state->valuestring, d)))
		return e;
	/* Directories enable created (a .wants of a target that had none). */
	conf = cd_act_path(env, UNIT_CONF);
	if (cJSON_IsArray(dirs) && conf && cd_list_dir(conf, &names, &n) == CD_OK) {
		for (i = 0; i < n; i++) {
			char *p;
			if (listed(dirs, names[i]))
				continue;
			p = cd_aprintf("%s/%s", conf, names[i]);
			if (p && cd_is_dir(p))
				rmdir(p); /* only when empty */
			free(p);
		}
		cd_free_list(names, n);
	}
	free(conf);
	return CD_OK;
}

const struct cd_action_ops cd_act_posix_service_set_start = {
	"service_set_start", 1, 1, ss_check, ss_noop, ss_capture, ss_apply, ss_undo,
};
