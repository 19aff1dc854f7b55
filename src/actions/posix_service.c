/* service_start / service_stop on Linux. With systemd: systemctl start/stop.
 * Without it (containers, tests): only daemons this file knows are started,
 * by their binary, detached (they daemonize themselves); stopping sends
 * SIGTERM to the processes of that name and waits for them to go.
 * Captured: whether the service was running. Undo puts that back. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../core/util.h"
#include "../platform/platform.h"
#include "posix_act.h"

#define SYSTEMCTL "/bin/systemctl"
#define WAIT_MS 10000

/* Daemons that can be started without systemd: name -> binary. */
static const struct {
	const char *name, *binary, *ready_socket;
} daemons[] = {
	{"pcscd", "/usr/sbin/pcscd", "/run/pcscd/pcscd.comm"},
};

static int valid_name(const char *s)
{
	size_t n = s ? strlen(s) : 0, i;
	if (!n || n > 64 || s[0] == '-' || s[0] == '.')
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || strchr("@._-", s[i])))
			return 0;
	return 1;
}

static int known_daemon(const char *name)
{
	size_t i;
	for (i = 0; i < sizeof(daemons) / sizeof(daemons[0]); i++)
		if (!strcmp(daemons[i].name, name))
			return (int)i;
	return -1;
}

static const char *systemctl(void)
{
	return cd_path_exists(SYSTEMCTL) ? SYSTEMCTL : cd_path_exists("/usr/bin/systemctl") ? "/usr/bin/systemctl" : NULL;
}

static cd_err check(const struct cd_action *a, const struct cd_action_env *env, struct cd_diag *d)
{
	const char *name = cd_action_arg(a, "name");
	if (!valid_name(name))
		return cd_diag_set(d, CD_ERR_INVALID, NULL, 0, "not a service name: %s", name ? name : "");
	if (!cd_act_live(env))
		return cd_diag_set(d, CD_ERR_UNSUPPORTED, NULL, 0,
				   "services are started only on the running system, not under --root");
	if (!(cd_act_systemd() && systemctl()) && known_daemon(name) < 0)
		return cd_diag_set(d, CD_ERR_UNSUPPORTED, NULL, 0,
				   "no systemd here, and %s is not a daemon cadoctor can start by itself", name);
	return CD_OK;
}

/* Pids of live processes named name (/proc/<pid>/comm, not zombies). */
static size_t find_pids(const char *name, pid_t *pids, size_t max)
{
	char **names = NULL;
	size_t n = 0, i, k = 0;
	if (cd_list_dir("/proc", &names, &n) != CD_OK)
		return 0;
	for (i = 0; i < n && k < max; i++) {
		char *path, *text = NULL, *paren;
		int match = 0;
		if (strspn(names[i], "0123456789") != strlen(names[i]))
			continue;
		path = cd_aprintf("/proc/%s/comm", names[i]);
		if (path && cd_read_file(path, 4096, &text, NULL) == CD_OK && !strcmp(cd_trim(text), name))
			match = 1;
		free(path);
		free(text);
		if (!match)
			continue;
		text = NULL;
		path = cd_aprintf("/proc/%s/stat", names[i]);
		if (path && cd_read_file(path, 4096, &text, NULL) == CD_OK &&
		    (paren = strrchr(text, ')')) != NULL && paren[1] == ' ' && paren[2] != 'Z')
			pids[k++] = (pid_t)atol(names[i]);
		free(path);
		free(text);
	}
	cd_free_list(names, n);
	return k;
}

static int is_running(const char *name)
{
	pid_t pids[64];
	if (cd_act_systemd() && systemctl()) {
		const char *argv[] = {systemctl(), "is-active", "--quiet", name, NULL};
		int st = -1;
		struct cd_diag d;
		return cd_act_run(argv, WAIT_MS, &st, &d) == CD_OK && st == 0;
	}
	return find_pids(name, pids, 64) > 0;
}

/* Starts a known daemon detached from us: its own session, no terminal,
 * standard streams on /dev/null. */
static cd_err start_direct(int k, struct cd_diag *d)
{
	const char *bin = daemons[k].binary;
	pid_t pid;
	int st, waited;
	if (!cd_path_exists(bin))
		return cd_diag_set(d, CD_ERR_NOT_FOUND, bin, 0, "not installed");
	pid = fork();
	if (pid < 0)
		return cd_diag_set(d, CD_ERR_IO, bin, 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		int fd = open("/dev/null", O_RDWR);
		setsid();
		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execl(bin, bin, (char *)NULL);
		_exit(127);
	}
	/* The daemon forks itself into the background: its first process exits. */
	for (waited = 0; waitpid(pid, &st, WNOHANG) == 0 && waited < WAIT_MS; waited += 50)
		cd_sleep_ms(50);
	for (; waited < WAIT_MS; waited += 50) {
		if (is_running(daemons[k].name) &&
		    (!daemons[k].ready_socket || cd_path_exists(daemons[k].ready_socket)))
			return CD_OK;
		cd_sleep_ms(50);
	}
	return cd_diag_set(d, CD_ERR_TIMEOUT, bin, 0, "started, but not running after %d s", WAIT_MS / 1000);
}

static cd_err stop_direct(const char *name, struct cd_diag *d)
{
	pid_t pids[64];
	size_t n = find_pids(name, pids, 64), i;
	int waited;
	for (i = 0; i < n; i++)
		kill(pids[i], SIGTERM);
	for (waited = 0; waited < WAIT_MS; waited += 50) {
		if (!find_pids(name, pids, 64))
			return CD_OK;
		cd_sleep_ms(50);
	}
	return cd_diag_set(d, CD_ERR_TIMEOUT, name, 0, "still running %d s after SIGTERM", WAIT_MS / 1000);
}

static cd_err set_running(const char *name, int run, struct cd_diag *d)
{
	if (is_running(name) == run)
		return CD_OK;
	if (cd_act_systemd() && systemctl()) {
		const char *argv[] = {systemctl(), run ? "start" : "stop", name, NULL};
		int st = -1;
		cd_err e = cd_act_run(argv, 60000, &st, d);
		if (e)
			return e;
		if (st != 0)
			return CD_ERR_IO;
		return is_running(name) == run ? CD_OK
					       : cd_diag_set(d, CD_ERR_IO, name, 0, "systemctl %s did not take effect",
							     run ? "start" : "stop");
	}
	if (run) {
		int k = known_daemon(name);
		if (k < 0)
			return cd_diag_set(d, CD_ERR_UNSUPPORTED, name, 0, "cannot start without systemd");
		return start_direct(k, d);
	}
	return stop_direct(name, d);
}

static cd_err capture(const struct cd_action *a, const struct cd_action_env *env, cJSON **before,
		      struct cd_diag *d)
{
	const char *name = cd_action_arg(a, "name");
	cd_err e = check(a, env, d);
	if (e)
		return e;
	*before = cJSON_CreateObject();
	if (!*before || !cJSON_AddStringToObject(*before, "name", name) ||
	    !cJSON_AddBoolToObject(*before, "running", is_running(name)) ||
	    !cJSON_AddStringToObject(*before, "manager", cd_act_systemd() ? "systemd" : "direct"))
		return CD_ERR_NOMEM;
	return CD_OK;
}

static int start_noop(const struct cd_action *a, const struct cd_action_env *env)
{
	(void)env;
	return is_running(cd_action_arg(a, "name"));
}

static int stop_noop(const struct cd_action *a, const struct cd_action_env *env)
{
	(void)env;
	return !is_running(cd_action_arg(a, "name"));
}

static cd_err start_apply(const struct cd_action *a, const struct cd_action_env *env, const cJSON *b,
			  struct cd_diag *d)
{
	(void)env;
	(void)b;
	return set_running(cd_action_arg(a, "name"), 1, d);
}

static cd_err stop_apply(const struct cd_action *a, const struct cd_action_env *env, const cJSON *b,
			 struct cd_diag *d)
{
	(void)env;
	(void)b;
	return set_running(cd_action_arg(a, "name"), 0, d);
}

static cd_err restore(const struct cd_action *a, const struct cd_action_env *env, const cJSON *before,
		      struct cd_diag *d)
{
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(before, "running");
	(void)env;
	if (!cJSON_IsBool(r))
		return cd_diag_set(d, CD_ERR_PARSE, NULL, 0, "recorded state lacks \"running\"");
	return set_running(cd_action_arg(a, "name"), cJSON_IsTrue(r), d);
}

const struct cd_action_ops cd_act_posix_service_start = {
	"service_start", 1, 1, check, start_noop, capture, start_apply, restore,
};

const struct cd_action_ops cd_act_posix_service_stop = {
	"service_stop", 1, 1, check, stop_noop, capture, stop_apply, restore,
};
