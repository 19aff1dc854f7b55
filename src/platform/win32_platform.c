/* Windows implementation of platform.h (Windows 7 SP1 and later, x86 and x64).
 * Everything inside cadoctor is UTF-8; this file converts to and from UTF-16
 * at the API edge. APIs newer than Windows 7 are loaded dynamically. */
#include "platform.h"

#include <windows.h>
#include <psapi.h>
#include <shellapi.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "win32_util.h"

/* ---- UTF-8 <-> UTF-16 (shared with the Windows probes through win32_util.h) ---- */

wchar_t *cd_w_from_utf8(const char *s)
{
	int n;
	wchar_t *w;
	if (!s)
		return NULL;
	n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
	if (n <= 0)
		return NULL;
	w = malloc((size_t)n * sizeof(wchar_t));
	if (w && MultiByteToWideChar(CP_UTF8, 0, s, -1, w, n) <= 0) {
		free(w);
		return NULL;
	}
	return w;
}

char *cd_utf8_from_w_n(const wchar_t *w, int wlen)
{
	int n;
	char *s;
	if (!w)
		return NULL;
	if (wlen == 0)
		return cd_strdup("");
	/* Unpaired surrogates become U+FFFD rather than failing the whole string. */
	n = WideCharToMultiByte(CP_UTF8, 0, w, wlen, NULL, 0, NULL, NULL);
	if (n <= 0)
		return NULL;
	s = malloc((size_t)n + 1);
	if (!s)
		return NULL;
	if (WideCharToMultiByte(CP_UTF8, 0, w, wlen, s, n, NULL, NULL) <= 0) {
		free(s);
		return NULL;
	}
	s[n] = '\0';
	if (wlen < 0)
		n--; /* the terminator was converted too */
	s[n] = '\0';
	return s;
}

char *cd_utf8_from_w(const wchar_t *w)
{
	return cd_utf8_from_w_n(w, -1);
}

/* ---- start-up ---- */

static UINT saved_output_cp;

void cd_platform_init(int *argc, char ***argv)
{
	int n, i;
	wchar_t **wargv = CommandLineToArgvW(GetCommandLineW(), &n);
	char **u;

	/* The console shows our UTF-16 output through WriteConsoleW whatever
	 * its code page (936 or 65001); setting the output code page too keeps
	 * child tools and redirected consoles consistent. */
	saved_output_cp = GetConsoleOutputCP();
	if (wargv && n > 0 && (u = calloc((size_t)n + 1, sizeof(char *))) != NULL) {
		for (i = 0; i < n; i++) {
			u[i] = cd_utf8_from_w(wargv[i]);
			if (!u[i])
				u[i] = cd_strdup("");
		}
		/* Lives until exit: argv strings are referenced by options. */
		*argc = n;
		*argv = u;
	}
	if (wargv)
		LocalFree(wargv);
	/* Error dialogs from the loader would hang an unattended run. */
	SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOOPENFILEERRORBOX);
}

void cd_platform_cleanup(void)
{
	if (saved_output_cp && saved_output_cp != GetConsoleOutputCP())
		SetConsoleOutputCP(saved_output_cp);
}

/* ---- files ---- */

FILE *cd_fopen(const char *path, const char *mode)
{
	wchar_t *wp = cd_w_from_utf8(path), *wm = cd_w_from_utf8(mode);
	FILE *f = NULL;
	if (wp && wm)
		f = _wfopen(wp, wm);
	free(wp);
	free(wm);
	return f;
}

int cd_path_exists(const char *path)
{
	wchar_t *wp;
	DWORD a;
	if (!path || !*path)
		return 0;
	wp = cd_w_from_utf8(path);
	a = wp ? GetFileAttributesW(wp) : INVALID_FILE_ATTRIBUTES;
	free(wp);
	return a != INVALID_FILE_ATTRIBUTES;
}

int cd_is_dir(const char *path)
{
	wchar_t *wp;
	DWORD a;
	if (!path || !*path)
		return 0;
	wp = cd_w_from_utf8(path);
	a = wp ? GetFileAttributesW(wp) : INVALID_FILE_ATTRIBUTES;
	free(wp);
	return a != INVALID_FILE_ATTRIBUTES && (a & FILE_ATTRIBUTE_DIRECTORY);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

cd_err cd_list_dir(const char *path, char ***names, size_t *count)
{
	WIN32_FIND_DATAW fd;
	HANDLE h;
	char *pattern = cd_aprintf("%s\\*", path);
	wchar_t *wp = pattern ? cd_w_from_utf8(pattern) : NULL;
	char **v = NULL;
	size_t n = 0, cap = 0;
	DWORD err;

	free(pattern);
	*names = NULL;
	*count = 0;
	if (!wp)
		return CD_ERR_NOMEM;
	h = FindFirstFileW(wp, &fd);
	free(wp);
	if (h == INVALID_HANDLE_VALUE) {
		err = GetLastError();
		if (err == ERROR_FILE_NOT_FOUND)
			return CD_OK; /* empty directory */
		return err == ERROR_PATH_NOT_FOUND || err == ERROR_DIRECTORY ? CD_ERR_NOT_FOUND
		       : err == ERROR_ACCESS_DENIED			     ? CD_ERR_DENIED
									     : CD_ERR_IO;
	}
	do {
		char *name;
		if (!wcscmp(fd.cFileName, L".") || !wcscmp(fd.cFileName, L".."))
			continue;
		if (n == cap) {
			char **nv;
			cap = cap ? cap * 2 : 16;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				goto nomem;
			v = nv;
		}
		name = cd_utf8_from_w(fd.cFileName);
		if (!name)
			goto nomem;
		v[n++] = name;
	} while (FindNextFileW(h, &fd));
	FindClose(h);
	if (n)
		qsort(v, n, sizeof(*v), cmp_str);
	*names = v;
	*count = n;
	return CD_OK;
nomem:
	FindClose(h);
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
	cd_err e = CD_OK;
	if (!p)
		return CD_ERR_NOMEM;
	for (s = p; *s; s++)
		if (*s == '/')
			*s = '\\';
	/* Skip a drive ("C:\") or UNC prefix ("\\server\share\"). */
	s = p;
	if (s[0] && s[1] == ':')
		s += 2;
	else if (s[0] == '\\' && s[1] == '\\') {
		s = strchr(s + 2, '\\');
		s = s ? strchr(s + 1, '\\') : NULL;
		if (!s)
			s = p + strlen(p);
	}
	for (; *s; s++) {
		if (*s == '\\' && s != p) {
			wchar_t *w;
			*s = '\0';
			w = cd_w_from_utf8(p);
			if (w && !CreateDirectoryW(w, NULL) && GetLastError() != ERROR_ALREADY_EXISTS &&
			    GetLastError() != ERROR_ACCESS_DENIED)
				e = CD_ERR_IO;
			free(w);
			*s = '\\';
		}
	}
	{
		wchar_t *w = cd_w_from_utf8(p);
		if (w && !CreateDirectoryW(w, NULL) && GetLastError() != ERROR_ALREADY_EXISTS)
			e = GetLastError() == ERROR_ACCESS_DENIED ? CD_ERR_DENIED : CD_ERR_IO;
		else
			e = CD_OK;
		free(w);
	}
	free(p);
	return e;
}

cd_err cd_remove_file(const char *path)
{
	wchar_t *w = cd_w_from_utf8(path);
	BOOL ok = w && DeleteFileW(w);
	DWORD err = GetLastError();
	free(w);
	if (ok)
		return CD_OK;
	return err == ERROR_FILE_NOT_FOUND || err == ERROR_PATH_NOT_FOUND ? CD_ERR_NOT_FOUND : CD_ERR_IO;
}

/* ---- console ---- */

void cd_write_text(FILE *stream, const char *text, size_t len)
{
	HANDLE h = GetStdHandle(stream == stderr ? STD_ERROR_HANDLE : STD_OUTPUT_HANDLE);
	DWORD mode;
	if (h != INVALID_HANDLE_VALUE && h && GetConsoleMode(h, &mode)) {
		/* A real console: UTF-16 shows Chinese whatever the code page. */
		int wn = MultiByteToWideChar(CP_UTF8, 0, text, (int)len, NULL, 0);
		wchar_t *w = wn > 0 ? malloc((size_t)wn * sizeof(wchar_t)) : NULL;
		if (w) {
			DWORD done = 0, off = 0;
			MultiByteToWideChar(CP_UTF8, 0, text, (int)len, w, wn);
			fflush(stream);
			while (off < (DWORD)wn &&
			       WriteConsoleW(h, w + off, (DWORD)wn - off > 8192 ? 8192 : (DWORD)wn - off,
					     &done, NULL) &&
			       done)
				off += done;
			free(w);
			return;
		}
	}
	/* Redirected to a file or pipe: UTF-8 bytes, unchanged. */
	fwrite(text, 1, len, stream);
}

int cd_isatty(FILE *stream)
{
	DWORD mode;
	HANDLE h = GetStdHandle(stream == stderr ? STD_ERROR_HANDLE : STD_OUTPUT_HANDLE);
	return h && h != INVALID_HANDLE_VALUE && GetConsoleMode(h, &mode);
}

/* ---- time, memory ---- */

int64_t cd_monotonic_ms(void)
{
	return (int64_t)GetTickCount64();
}

size_t cd_peak_rss_kib(void)
{
	PROCESS_MEMORY_COUNTERS pmc;
	if (!GetProcessMemoryInfo(GetCurrentProcess(), &pmc, sizeof(pmc)))
		return 0;
	return pmc.PeakWorkingSetSize / 1024;
}

void cd_sleep_ms(int ms)
{
	Sleep((DWORD)ms);
}

/* ---- timed calls ---- */

/* Shared state on the heap, freed by whichever side finishes last, so an
 * abandoned worker never touches freed memory. */
struct timed_call {
	void (*fn)(void *);
	void *arg;
	LONG refs;
};

static DWORD WINAPI timed_trampoline(LPVOID p)
{
	struct timed_call *tc = p;
	tc->fn(tc->arg);
	if (InterlockedDecrement(&tc->refs) == 0)
		free(tc);
	return 0;
}

cd_err cd_run_with_timeout(void (*fn)(void *), void *arg, int timeout_ms)
{
	struct timed_call *tc = calloc(1, sizeof(*tc));
	HANDLE th;
	DWORD w;
	if (!tc)
		return CD_ERR_NOMEM;
	tc->fn = fn;
	tc->arg = arg;
	tc->refs = 2;
	th = CreateThread(NULL, 0, timed_trampoline, tc, 0, NULL);
	if (!th) {
		free(tc);
		fn(arg);
		return CD_OK;
	}
	w = WaitForSingleObject(th, (DWORD)timeout_ms);
	CloseHandle(th);
	if (InterlockedDecrement(&tc->refs) == 0)
		free(tc);
	return w == WAIT_OBJECT_0 ? CD_OK : CD_ERR_TIMEOUT;
}

/* ---- environment ---- */

const char *cd_getenv(const char *name)
{
	/* Values are cached per name for the life of the process, so callers need
	 * not free them (matching getenv on POSIX). */
	static struct {
		char *name;
		char *value;
	} cache[32];
	static int ncache;
	wchar_t *wn, buf[32768];
	DWORD n;
	int i;
	for (i = 0; i < ncache; i++)
		if (!strcmp(cache[i].name, name))
			return cache[i].value;
	wn = cd_w_from_utf8(name);
	n = wn ? GetEnvironmentVariableW(wn, buf, 32768) : 0;
	free(wn);
	if (ncache < 32) {
		cache[ncache].name = cd_strdup(name);
		cache[ncache].value = n > 0 && n < 32768 ? cd_utf8_from_w(buf) : NULL;
		return cache[ncache++].value;
	}
	return NULL;
}
