/* POSIX implementation of platform.h (Linux: Debian, UOS, Kylin). */
#include "platform.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
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
