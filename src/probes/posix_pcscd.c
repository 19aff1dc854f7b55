/* The PC/SC daemon. Every CCID USB key on Linux is reached through pcscd: when
 * it is missing, stopped with its socket unit disabled, or its socket does
 * not answer, no middleware sees the key. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "../core/buf.h"
#include "../core/probe.h"
#include "../core/util.h"
#include "../platform/platform.h"

#define PCSCD_BINARY "/usr/sbin/pcscd"
#define PCSCD_SOCKET "/run/pcscd/pcscd.comm"

/* Unit directories, the administrator's first (it overrides and masks). */
static const char *const unit_dirs[] = { "/etc/systemd/system", "/lib/systemd/system",
					 "/usr/lib/systemd/system" };
#define N_UNIT_DIRS (sizeof(unit_dirs) / sizeof(unit_dirs[0]))

static int sys_lstat(struct cd_probe_ctx *ctx, const char *sys_path, struct stat *st)
{
	char *p = cd_probe_path(ctx, sys_path);
	int r = p ? lstat(p, st) : -1;
	free(p);
	return r;
}

/* Status of the pcscd stanza in dpkg's status file says "installed". */
static int dpkg_installed(struct cd_probe_ctx *ctx)
{
	char *path = cd_probe_path(ctx, "/var/lib/dpkg/status"), *text = NULL, *p, *end, *st;
	int installed = 0;

	if (!path || cd_read_file(path, (size_t)512 << 20, &text, NULL) != CD_OK)
		goto out;
	for (p = text; (p = strstr(p, "Package: pcscd")) != NULL; p++) {
		if ((p != text && p[-1] != '\n') || (p[14] != '\n' && p[14] != '\r'))
			continue;
		end = strstr(p, "\n\n");
		st = strstr(p, "\nStatus:");
		if (st && (!end || st < end)) {
			size_t n = strcspn(st + 1, "\n");
			char *line = cd_strndup(st + 1, n);
			installed = line && strstr(line, " installed") != NULL;
			free(line);
		}
		break;
	}
out:
	free(path);
	free(text);
	return installed;
}

/* A unit is masked by a link to /dev/null in /etc/systemd/system. */
static int unit_masked(struct cd_probe_ctx *ctx, const char *unit)
{
	char *sys = cd_aprintf("/etc/systemd/system/%s", unit), *p, target[64];
	ssize_t n = -1;
	if (sys && (p = cd_probe_path(ctx, sys)) != NULL) {
		n = readlink(p, target, sizeof(target) - 1);
		free(p);
	}
	free(sys);
	if (n <= 0)
		return 0;
	target[n] = '\0';
	return !strcmp(target, "/dev/null");
}

/* The unit file (path on the analysed system), or NULL. */
static char *unit_file(struct cd_probe_ctx *ctx, const char *unit)
{
	size_t i;
	for (i = 0; i < N_UNIT_DIRS; i++) {
		char *sys = cd_aprintf("%s/%s", unit_dirs[i], unit);
		struct stat st;
		if (sys && sys_lstat(ctx, sys, &st) == 0)
			return sys;
		free(sys);
	}
	return NULL;
}

/* Enabled: systemctl enable made a link in a .wants directory. lstat, not
 * stat: the link is absolute and, under --root, points outside the root. */
static int unit_enabled(struct cd_probe_ctx *ctx, const char *wants_dir, const char *unit)
{
	char *sys = cd_aprintf("/etc/systemd/system/%s/%s", wants_dir, unit);
	struct stat st;
	int r = sys && sys_lstat(ctx, sys, &st) == 0;
	free(sys);
	return r;
}

/* Description= of a unit file, or NULL. */
static char *unit_description(struct cd_probe_ctx *ctx, const char *sys_unit)
{
	char *path = cd_probe_path(ctx, sys_unit), *text = NULL, *line, *next, *desc = NULL;
	if (path && cd_read_file(path, 1 << 20, &text, NULL) == CD_OK) {
		for (line = text; line && !desc; line = next) {
			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			line = cd_trim(line);
			if (!strncmp(line, "Description=", 12))
				desc = cd_strdup(cd_trim(line + 12));
		}
	}
	free(text);
	free(path);
	return desc;
}

/* Start type from the systemd units; NULL when there are none (SysV init or
 * a container without systemd: nothing to tell). */
static const char *start_type(struct cd_probe_ctx *ctx, struct cd_buf *detail, char **display)
{
	char *sock = unit_file(ctx, "pcscd.socket"), *svc = unit_file(ctx, "pcscd.service");
	int sock_masked = unit_masked(ctx, "pcscd.socket"), svc_masked = unit_masked(ctx, "pcscd.service");
	const char *type = NULL;

	if (svc && !svc_masked)
		*display = unit_description(ctx, svc);
	if (!sock && !svc) {
		cd_buf_adds(detail, "; no systemd unit");
	} else if ((!sock || sock_masked) && (!svc || svc_masked)) {
		type = "disabled";
		cd_buf_adds(detail, "; units masked");
	} else if (sock && !sock_masked && unit_enabled(ctx, "sockets.target.wants", "pcscd.socket")) {
		type = "socket";
		cd_buf_adds(detail, "; pcscd.socket enabled (sockets.target.wants)");
	} else if (svc && !svc_masked && unit_enabled(ctx, "multi-user.target.wants", "pcscd.service")) {
		type = "auto";
		cd_buf_adds(detail, "; pcscd.service enabled (multi-user.target.wants)");
	} else {
		type = "manual";
		cd_buf_addf(detail, "; %s not enabled", sock ? "pcscd.socket" : "pcscd.service");
	}
	free(sock);
	free(svc);
	return type;
}

/* A live pcscd process: /proc/<pid>/comm is "pcscd" and it is not a zombie. */
static long find_pcscd(struct cd_probe_ctx *ctx, cd_err *err)
{
	char **names = NULL, *proc = cd_probe_path(ctx, "/proc");
	size_t n = 0, i;
	long pid = 0;

	*err = proc ? cd_list_dir(proc, &names, &n) : CD_ERR_NOMEM;
	for (i = 0; !*err && i < n && !pid; i++) {
		char *path, *text = NULL, *paren;
		if (strspn(names[i], "0123456789") != strlen(names[i]))
			continue;
		path = cd_aprintf("%s/%s/comm", proc, names[i]);
		if (path && cd_read_file(path, 4096, &text, NULL) == CD_OK &&
		    !strcmp(cd_trim(text), "pcscd"))
			pid = atol(names[i]);
		free(path);
		free(text);
		if (!pid)
			continue;
		/* "pid (comm) S ...": a killed daemon nobody reaped is not running. */
		text = NULL;
		path = cd_aprintf("%s/%s/stat", proc, names[i]);
		if (path && cd_read_file(path, 4096, &text, NULL) == CD_OK &&
		    (paren = strrchr(text, ')')) != NULL && paren[1] == ' ' && paren[2] == 'Z')
			pid = 0;
		free(path);
		free(text);
	}
	cd_free_list(names, n);
	free(proc);
	return pid;
}

/* Connects to pcscd's socket and closes at once. Under systemd socket
 * activation this starts pcscd, which is what any client would do anyway. */
static void check_socket(struct cd_probe_ctx *ctx, struct cd_buf *detail)
{
	char *path = cd_probe_path(ctx, PCSCD_SOCKET);
	struct sockaddr_un sa;
	int fd = -1;

	if (!path || !cd_path_exists(path)) {
		cd_buf_adds(detail, "; socket " PCSCD_SOCKET " absent");
		goto out;
	}
	if (strlen(path) >= sizeof(sa.sun_path)) {
		cd_buf_adds(detail, "; socket " PCSCD_SOCKET " exists, path too long to connect");
		goto out;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0) {
		cd_buf_addf(detail, "; socket " PCSCD_SOCKET " exists, no socket to test it: %s",
			    strerror(errno));
	} else if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		cd_buf_adds(detail, "; socket " PCSCD_SOCKET " accepts connections");
	} else {
		cd_buf_addf(detail, "; socket " PCSCD_SOCKET " exists but refuses connections: %s",
			    strerror(errno));
	}
out:
	if (fd >= 0)
		close(fd);
	free(path);
}

static cd_err collect_pcscd(struct cd_probe_ctx *ctx)
{
	struct cd_buf detail;
	struct cd_row r;
	struct stat st;
	char *bin = cd_probe_path(ctx, PCSCD_BINARY), *display = NULL;
	int has_bin = bin && stat(bin, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
	int installed = has_bin || dpkg_installed(ctx);
	const char *state = "unknown", *type;
	cd_err e = CD_OK;

	free(bin);
	cd_buf_init(&detail, 1 << 16);
	if (!cd_probe_is_live(ctx)) {
		/* This machine's processes say nothing about a mounted system. */
		cd_buf_adds(&detail, "state not checked: facts read from --root");
	} else {
		long pid = find_pcscd(ctx, &e);
		if (e) {
			cd_probe_error(ctx, "/proc", e, "cannot list processes: %s", cd_err_message(e));
			cd_buf_adds(&detail, "state unknown: /proc cannot be listed");
		} else if (pid) {
			state = "running";
			cd_buf_addf(&detail, "process pcscd found (pid %ld)", pid);
		} else {
			state = "stopped";
			cd_buf_adds(&detail, "no pcscd process in /proc");
		}
		check_socket(ctx, &detail);
	}
	type = start_type(ctx, &detail, &display);

	cd_row_init(&r, "services");
	cd_row_text(&r, "name", "pcscd");
	cd_row_text(&r, "display_name", display);
	cd_row_int(&r, "installed", installed);
	cd_row_text(&r, "state", state);
	cd_row_text(&r, "start_type", type);
	cd_row_text(&r, "binary_path", has_bin ? PCSCD_BINARY : NULL);
	cd_row_text(&r, "detail", cd_buf_str(&detail));
	e = cd_row_insert(ctx->facts, &r);
	cd_buf_release(&detail);
	free(display);
	return e;
}

const struct cd_probe cd_probe_posix_pcscd = {
	"linux.pcscd",
	"services",
	collect_pcscd,
};
