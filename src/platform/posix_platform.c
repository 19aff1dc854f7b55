/* POSIX implementation of platform.h (Linux: Debian, UOS, Kylin). */
#include "platform.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../core/util.h"

void cd_platform_init(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
}

void cd_platform_cleanup(void)
{
}

FILE *cd_fopen(const char *path, const char *mode)
{
	return fopen(path, mode);
}

int cd_path_exists(const char *path)
{
	struct stat st;
	return path && *path && stat(path, &st) == 0;
}

int cd_is_dir(const char *path)
{
	struct stat st;
	return path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

cd_err cd_list_dir(const char *path, char ***names, size_t *count)
{
	DIR *d = opendir(path);
	struct dirent *de;
	char **v = NULL;
	size_t n = 0, cap = 0;

	*names = NULL;
	*count = 0;
	if (!d)
		return errno == ENOENT || errno == ENOTDIR ? CD_ERR_NOT_FOUND
		       : errno == EACCES		   ? CD_ERR_DENIED
							   : CD_ERR_IO;
	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (n == cap) {
			char **nv;
			cap = cap ? cap * 2 : 16;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				goto nomem;
			v = nv;
		}
		if (!(v[n] = cd_strdup(de->d_name)))
			goto nomem;
		n++;
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), cmp_str);
	*names = v;
	*count = n;
	return CD_OK;
nomem:
	closedir(d);
	cd_free_list(v, n);
	return CD_ERR_NOMEM;
}

void cd_free_list(char **names, size_t count)
{
	size_t i;
	for (i = 0; i < count; i++)
		free(names[i]);
	free(names);
}

cd_err cd_mkdirs(const char *path)
{
	char *p = cd_strdup(path), *s;
	if (!p)
		return CD_ERR_NOMEM;
	for (s = p + 1; *s; s++) {
		if (*s == '/') {
			*s = '\0';
			if (mkdir(p, 0755) != 0 && errno != EEXIST) {
				free(p);
				return CD_ERR_IO;
			}
			*s = '/';
		}
	}
	if (mkdir(p, 0755) != 0 && errno != EEXIST) {
		free(p);
		return errno == EACCES ? CD_ERR_DENIED : CD_ERR_IO;
	}
	free(p);
	return CD_OK;
}

cd_err cd_remove_file(const char *path)
{
	return unlink(path) == 0 ? CD_OK : (errno == ENOENT ? CD_ERR_NOT_FOUND : CD_ERR_IO);
}

void cd_write_text(FILE *stream, const char *text, size_t len)
{
	fwrite(text, 1, len, stream);
}

int cd_isatty(FILE *stream)
{
	return isatty(fileno(stream));
}

int64_t cd_monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

size_t cd_peak_rss_kib(void)
{
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 0;
	return (size_t)ru.ru_maxrss; /* KiB on Linux */
}

void cd_sleep_ms(int ms)
{
	struct timespec ts;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* The shared state lives on the heap and is freed by whichever side
 * finishes last, so an abandoned worker never touches freed memory. */
struct timed_call {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int done;
	int abandoned;
	void (*fn)(void *);
	void *arg;
};

static void *timed_trampoline(void *p)
{
	struct timed_call *tc = p;
	int free_it;
	tc->fn(tc->arg);
	pthread_mutex_lock(&tc->mu);
	tc->done = 1;
	free_it = tc->abandoned;
	pthread_cond_signal(&tc->cv);
	pthread_mutex_unlock(&tc->mu);
	if (free_it) {
		pthread_mutex_destroy(&tc->mu);
		pthread_cond_destroy(&tc->cv);
		free(tc);
	}
	return NULL;
}

cd_err cd_run_with_timeout(void (*fn)(void *), void *arg, int timeout_ms)
{
	struct timed_call *tc = calloc(1, sizeof(*tc));
	pthread_t th;
	struct timespec deadline;
	int done;

	if (!tc)
		return CD_ERR_NOMEM;
	pthread_mutex_init(&tc->mu, NULL);
	pthread_cond_init(&tc->cv, NULL);
	tc->fn = fn;
	tc->arg = arg;
	if (pthread_create(&th, NULL, timed_trampoline, tc) != 0) {
		pthread_mutex_destroy(&tc->mu);
		pthread_cond_destroy(&tc->cv);
		free(tc);
		fn(arg); /* no thread: run inline rather than not at all */
		return CD_OK;
	}
	pthread_detach(th);
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&tc->mu);
	while (!tc->done)
		if (pthread_cond_timedwait(&tc->cv, &tc->mu, &deadline) == ETIMEDOUT)
			break;
	done = tc->done;
	if (!done)
		tc->abandoned = 1;
	pthread_mutex_unlock(&tc->mu);
	if (done) {
		pthread_mutex_destroy(&tc->mu);
		pthread_cond_destroy(&tc->cv);
		free(tc);
		return CD_OK;
	}
	return CD_ERR_TIMEOUT;
}

const char *cd_getenv(const char *name)
{
	return getenv(name);
}

/* ---- isolating vendor code ---- */

char *cd_gbk_to_utf8(const char *s, size_t n)
{
	iconv_t cd;
	char *out, *in = (char *)s, *o;
	size_t cap = n * 4 + 1, left = n, oleft;
	if (!s || !n)
		return NULL;
	/* GB18030 is a superset of GBK: every GBK label decodes the same. */
	cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1)
		return NULL;
	out = malloc(cap);
	o = out;
	oleft = cap - 1;
	if (out && iconv(cd, &in, &left, &o, &oleft) == (size_t)-1) {
		free(out);
		out = NULL;
	} else if (out) {
		*o = '\0';
	}
	iconv_close(cd);
	return out;
}

long cd_self_pe_machine(void)
{
	return 0; /* shared objects here are ELF */
}

char *cd_self_exe(void)
{
	size_t cap = 256;
	for (;;) {
		char *p = malloc(cap);
		ssize_t n;
		if (!p)
			return NULL;
		n = readlink("/proc/self/exe", p, cap);
		if (n < 0) {
			free(p);
			return NULL;
		}
		if ((size_t)n < cap) {
			p[n] = '\0';
			return p;
		}
		free(p);
		if (cap >= 65536)
			return NULL;
		cap *= 2;
	}
}

static void set_cloexec(int fd)
{
	int fl = fcntl(fd, F_GETFD);
	if (fl >= 0)
		fcntl(fd, F_SETFD, fl | FD_CLOEXEC);
}

/* The child between fork and exec: only async-signal-safe calls. */
static void spawn_child(const char *const *argv, int devnull, int out_w, int err_w)
{
	struct rlimit no_core = { 0, 0 };
	int e;
	setpgid(0, 0);
	if (dup2(devnull, 0) < 0 || dup2(out_w, 1) < 0 || dup2(devnull, 2) < 0)
		goto fail;
	setrlimit(RLIMIT_CORE, &no_core);
	/* Signals the parent ignores would stay ignored across exec. */
	signal(SIGPIPE, SIG_DFL);
	execv(argv[0], (char *const *)argv);
fail:
	e = errno;
	if (write(err_w, &e, sizeof(e)) < 0) {
		/* nothing more to do */
	}
	_exit(127);
}

cd_err cd_spawn_capture(const char *const *argv, int timeout_ms, size_t max_out, char **out,
			size_t *out_len, int *exit_code)
{
	int outp[2] = { -1, -1 }, errp[2] = { -1, -1 }, devnull, status = 0, exec_errno = 0;
	int exited = 0, eof = 0, over = 0, timed_out = 0;
	int64_t deadline;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	pid_t pid;
	cd_err e;

	if (!argv || !argv[0])
		return CD_ERR_INVALID;
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0)
		return CD_ERR_IO;
	if (pipe(outp) != 0 || pipe(errp) != 0)
		goto io_fail;
	set_cloexec(outp[0]);
	set_cloexec(outp[1]);
	set_cloexec(errp[0]);
	set_cloexec(errp[1]);
	pid = fork();
	if (pid < 0)
		goto io_fail;
	if (pid == 0)
		spawn_child(argv, devnull, outp[1], errp[1]);
	/* Both sides call setpgid so the group exists before anyone kills it. */
	setpgid(pid, pid);
	close(devnull);
	close(outp[1]);
	close(errp[1]);
	devnull = outp[1] = errp[1] = -1;
	if (read(errp[0], &exec_errno, sizeof(exec_errno)) == (ssize_t)sizeof(exec_errno)) {
		/* exec failed: the child has already _exit-ed. */
		waitpid(pid, &status, 0);
		close(errp[0]);
		close(outp[0]);
		return exec_errno == ENOENT || exec_errno == ENOTDIR ? CD_ERR_NOT_FOUND
		       : exec_errno == EACCES			     ? CD_ERR_DENIED
								     : CD_ERR_IO;
	}
	close(errp[0]);
	errp[0] = -1;

	deadline = cd_monotonic_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	for (;;) {
		struct pollfd pfd;
		int64_t left = deadline - cd_monotonic_ms();
		siginfo_t si;

		if (!exited) {
			/* Notice the exit without reaping, so the pid (and the
			 * group id) cannot be reused before the group is killed. */
			memset(&si, 0, sizeof(si));
			if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == pid)
				exited = 1;
		}
		if (eof && exited)
			break;
		if (left <= 0) {
			timed_out = !exited;
			break;
		}
		pfd.fd = outp[0];
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (eof || poll(&pfd, 1, (int)(left < 50 ? left : 50)) <= 0) {
			if (eof)
				cd_sleep_ms(left < 10 ? (int)left : 10);
			else if (exited)
				break; /* exited, and what it left in the pipe is read */
			continue;
		}
		if (cap - len < 4097) {
			size_t ncap = cap ? cap * 2 : 16384;
			char *nb = realloc(buf, ncap);
			if (!nb) {
				over = -1;
				break;
			}
			buf = nb;
			cap = ncap;
		}
		{
			ssize_t n = read(outp[0], buf + len, 4096);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				eof = 1;
				continue;
			}
			len += (size_t)n;
			if (len > max_out) {
				len = max_out;
				over = 1;
				break;
			}
		}
	}
	/* Whatever the child started goes with it. */
	kill(-pid, SIGKILL);
	if (!exited)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	close(outp[0]);
	if (over < 0) {
		free(buf);
		return CD_ERR_NOMEM;
	}
	if (!buf && !(buf = malloc(1)))
		return CD_ERR_NOMEM;
	buf[len] = '\0';
	if (timed_out) {
		e = CD_ERR_TIMEOUT;
		*exit_code = -1;
	} else if (over) {
		e = CD_ERR_LIMIT;
		*exit_code = -1;
	} else if (WIFSIGNALED(status)) {
		e = CD_ERR_CRASH;
		*exit_code = WTERMSIG(status);
	} else {
		e = CD_OK;
		*exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	}
	*out = buf;
	*out_len = len;
	return e;

io_fail:
	if (devnull >= 0)
		close(devnull);
	if (outp[0] >= 0)
		close(outp[0]);
	if (outp[1] >= 0)
		close(outp[1]);
	if (errp[0] >= 0)
		close(errp[0]);
	if (errp[1] >= 0)
		close(errp[1]);
	return CD_ERR_IO;
}

FILE *cd_take_stdout(void)
{
	FILE *f;
	int fd;
	fflush(stdout);
	fd = dup(1);
	if (fd < 0)
		return NULL;
	set_cloexec(fd);
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return NULL;
	}
	if (dup2(2, 1) < 0) {
		fclose(f);
		return NULL;
	}
	return f;
}

void *cd_lib_open(const char *path, char *err, size_t errlen)
{
	void *h;
	dlerror();
	h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h && err && errlen) {
		const char *m = dlerror();
		snprintf(err, errlen, "%s", m ? m : "dlopen failed");
	}
	return h;
}

void *cd_lib_sym(void *lib, const char *name)
{
	return lib ? dlsym(lib, name) : NULL;
}

void cd_lib_close(void *lib)
{
	if (lib)
		dlclose(lib);
}
