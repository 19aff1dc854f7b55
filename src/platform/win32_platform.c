/* Windows implementation of platform.h (Windows 7 SP1 and later, x86 and x64).
 * Everything inside cadoctor is UTF-8; this file converts to and from UTF-16
 * at the API edge. APIs newer than Windows 7 are loaded dynamically. */
#include "platform.h"

#include <windows.h>
#include <fcntl.h>
#include <io.h>
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

/* ---- isolating vendor code ---- */

/* Set by the compiler's target, so a x86 build reports x86 even on x64 Windows. */
#if defined(_M_ARM64) || defined(__aarch64__)
#define SELF_PE_MACHINE 0xaa64L
#elif defined(_M_X64) || defined(__x86_64__)
#define SELF_PE_MACHINE 0x8664L
#elif defined(_M_IX86) || defined(__i386__)
#define SELF_PE_MACHINE 0x014cL
#else
#define SELF_PE_MACHINE 0L
#endif

char *cd_gbk_to_utf8(const char *s, size_t n)
{
	int wn;
	wchar_t *w;
	char *r = NULL;
	if (!s || !n || n > 1 << 20)
		return NULL;
	/* Code page 936 (GBK) is on every Chinese and non-Chinese Windows. */
	wn = MultiByteToWideChar(936, MB_ERR_INVALID_CHARS, s, (int)n, NULL, 0);
	if (wn <= 0)
		return NULL;
	w = malloc(((size_t)wn + 1) * sizeof(wchar_t));
	if (w && MultiByteToWideChar(936, MB_ERR_INVALID_CHARS, s, (int)n, w, wn) == wn)
		r = cd_utf8_from_w_n(w, wn);
	free(w);
	return r;
}

long cd_self_pe_machine(void)
{
	return SELF_PE_MACHINE;
}

char *cd_self_exe(void)
{
	DWORD cap = MAX_PATH;
	for (;;) {
		wchar_t *w = malloc((size_t)cap * sizeof(wchar_t));
		DWORD n;
		char *u;
		if (!w)
			return NULL;
		n = GetModuleFileNameW(NULL, w, cap);
		if (n == 0) {
			free(w);
			return NULL;
		}
		if (n < cap) {
			u = cd_utf8_from_w(w);
			free(w);
			return u;
		}
		free(w);
		if (cap >= 32768)
			return NULL;
		cap *= 2;
	}
}

/* Appends one argument to a command line, quoted so that CommandLineToArgvW
 * (and the C runtime) give it back unchanged. */
static int quote_arg(wchar_t **cmd, size_t *len, size_t *cap, const wchar_t *arg)
{
	size_t need = wcslen(arg) * 2 + 4;
	const wchar_t *p;
	size_t bs;
	if (*len + need + 1 > *cap) {
		size_t ncap = (*len + need + 1) * 2;
		wchar_t *n = realloc(*cmd, ncap * sizeof(wchar_t));
		if (!n)
			return -1;
		*cmd = n;
		*cap = ncap;
	}
	if (*len)
		(*cmd)[(*len)++] = L' ';
	(*cmd)[(*len)++] = L'"';
	for (p = arg;; p++) {
		for (bs = 0; *p == L'\\'; p++)
			bs++;
		if (!*p) {
			/* Backslashes before the closing quote are doubled. */
			while (bs--) {
				(*cmd)[(*len)++] = L'\\';
				(*cmd)[(*len)++] = L'\\';
			}
			break;
		}
		if (*p == L'"') {
			while (bs--) {
				(*cmd)[(*len)++] = L'\\';
				(*cmd)[(*len)++] = L'\\';
			}
			(*cmd)[(*len)++] = L'\\';
		} else {
			while (bs--)
				(*cmd)[(*len)++] = L'\\';
		}
		(*cmd)[(*len)++] = *p;
	}
	(*cmd)[(*len)++] = L'"';
	(*cmd)[*len] = 0;
	return 0;
}

struct spawn_reader {
	HANDLE pipe, process;
	char *buf;
	size_t len, cap, max;
	int over, nomem;
};

static DWORD WINAPI spawn_read(LPVOID p)
{
	struct spawn_reader *r = p;
	for (;;) {
		DWORD got = 0;
		if (r->cap - r->len < 4097) {
			size_t ncap = r->cap ? r->cap * 2 : 16384;
			char *nb = realloc(r->buf, ncap);
			if (!nb) {
				r->nomem = 1;
				TerminateProcess(r->process, 1);
				return 0;
			}
			r->buf = nb;
			r->cap = ncap;
		}
		if (!ReadFile(r->pipe, r->buf + r->len, 4096, &got, NULL) || got == 0)
			return 0;
		r->len += got;
		if (r->len > r->max) {
			r->len = r->max;
			r->over = 1;
			TerminateProcess(r->process, 1);
			return 0;
		}
	}
}

cd_err cd_spawn_capture(const char *const *argv, int timeout_ms, size_t max_out, char **out,
			size_t *out_len, int *exit_code)
{
	SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, TRUE };
	JOBOBJECT_EXTENDED_LIMIT_INFORMATION jl;
	STARTUPINFOW si;
	PROCESS_INFORMATION pi;
	struct spawn_reader r;
	HANDLE out_r = NULL, out_w = NULL, nul = INVALID_HANDLE_VALUE, job = NULL, reader = NULL;
	wchar_t *exe = NULL, *cmd = NULL;
	size_t clen = 0, ccap = 0;
	DWORD code = 0, w;
	UINT old_mode;
	cd_err e = CD_ERR_IO;
	int i, started = 0;

	if (!argv || !argv[0])
		return CD_ERR_INVALID;
	memset(&r, 0, sizeof(r));
	memset(&pi, 0, sizeof(pi));
	exe = cd_w_from_utf8(argv[0]);
	if (!exe)
		return CD_ERR_NOMEM;
	for (i = 0; argv[i]; i++) {
		wchar_t *wa = cd_w_from_utf8(argv[i]);
		int bad = !wa || quote_arg(&cmd, &clen, &ccap, wa) != 0;
		free(wa);
		if (bad) {
			e = CD_ERR_NOMEM;
			goto done;
		}
	}
	if (!CreatePipe(&out_r, &out_w, &sa, 0))
		goto done;
	SetHandleInformation(out_r, HANDLE_FLAG_INHERIT, 0);
	nul = CreateFileW(L"NUL", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa,
			  OPEN_EXISTING, 0, NULL);
	if (nul == INVALID_HANDLE_VALUE)
		goto done;

	/* A job kills everything the child starts, and makes a crash end the
	 * process at once instead of waiting on an error-report dialog. */
	job = CreateJobObjectW(NULL, NULL);
	if (job) {
		memset(&jl, 0, sizeof(jl));
		jl.BasicLimitInformation.LimitFlags =
			JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE | JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION;
		SetInformationJobObject(job, JobObjectExtendedLimitInformation, &jl, sizeof(jl));
	}

	memset(&si, 0, sizeof(si));
	si.cb = sizeof(si);
	si.dwFlags = STARTF_USESTDHANDLES;
	si.hStdInput = nul;
	si.hStdOutput = out_w;
	si.hStdError = nul;
	/* The error mode is inherited: no crash or missing-DLL dialogs. */
	old_mode = SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX | SEM_NOOPENFILEERRORBOX);
	if (!CreateProcessW(exe, cmd, NULL, NULL, TRUE, CREATE_SUSPENDED | CREATE_NO_WINDOW, NULL, NULL,
			    &si, &pi)) {
		DWORD err = GetLastError();
		SetErrorMode(old_mode);
		e = err == ERROR_FILE_NOT_FOUND || err == ERROR_PATH_NOT_FOUND ? CD_ERR_NOT_FOUND
		    : err == ERROR_ACCESS_DENIED				 ? CD_ERR_DENIED
										 : CD_ERR_IO;
		goto done;
	}
	SetErrorMode(old_mode);
	started = 1;
	/* Fails when cadoctor itself runs in a job that forbids nesting
	 * (Windows 7): the child then still runs, only without the job. */
	if (job && !AssignProcessToJobObject(job, pi.hProcess)) {
		CloseHandle(job);
		job = NULL;
	}
	CloseHandle(out_w);
	out_w = NULL;

	r.pipe = out_r;
	r.process = pi.hProcess;
	r.max = max_out;
	reader = CreateThread(NULL, 0, spawn_read, &r, 0, NULL);
	if (!reader) {
		TerminateProcess(pi.hProcess, 1);
		ResumeThread(pi.hThread);
		WaitForSingleObject(pi.hProcess, INFINITE);
		goto done;
	}
	ResumeThread(pi.hThread);

	w = WaitForSingleObject(pi.hProcess, timeout_ms > 0 ? (DWORD)timeout_ms : 0);
	if (w != WAIT_OBJECT_0) {
		if (job)
			TerminateJobObject(job, 1);
		TerminateProcess(pi.hProcess, 1);
		WaitForSingleObject(pi.hProcess, 5000);
	}
	/* Anything the child started dies with the job, closing the pipe. */
	if (job) {
		TerminateJobObject(job, 1);
		CloseHandle(job);
		job = NULL;
	}
	if (WaitForSingleObject(reader, 2000) != WAIT_OBJECT_0) {
		/* Something outside the job still holds the pipe open. */
		CancelSynchronousIo(reader);
		WaitForSingleObject(reader, INFINITE);
	}
	CloseHandle(reader);
	GetExitCodeProcess(pi.hProcess, &code);

	if (r.nomem) {
		e = CD_ERR_NOMEM;
		goto done;
	}
	if (!r.buf && !(r.buf = malloc(1))) {
		e = CD_ERR_NOMEM;
		goto done;
	}
	r.buf[r.len] = '\0';
	if (w != WAIT_OBJECT_0) {
		e = CD_ERR_TIMEOUT;
		*exit_code = -1;
	} else if (r.over) {
		e = CD_ERR_LIMIT;
		*exit_code = -1;
	} else if (code >= 0xC0000000UL) {
		/* An NTSTATUS error (0xC0000005 access violation, ...). */
		e = CD_ERR_CRASH;
		*exit_code = (int)code;
	} else {
		e = CD_OK;
		*exit_code = (int)code;
	}
	*out = r.buf;
	*out_len = r.len;
	r.buf = NULL;

done:
	if (started) {
		CloseHandle(pi.hThread);
		CloseHandle(pi.hProcess);
	}
	if (job)
		CloseHandle(job);
	if (out_r)
		CloseHandle(out_r);
	if (out_w)
		CloseHandle(out_w);
	if (nul != INVALID_HANDLE_VALUE)
		CloseHandle(nul);
	free(r.buf);
	free(exe);
	free(cmd);
	return e;
}

FILE *cd_take_stdout(void)
{
	FILE *f;
	int fd;
	fflush(stdout);
	fd = _dup(_fileno(stdout));
	if (fd < 0)
		return NULL;
	_setmode(fd, _O_BINARY);
	f = _fdopen(fd, "wb");
	if (!f) {
		_close(fd);
		return NULL;
	}
	if (_dup2(_fileno(stderr), _fileno(stdout)) != 0) {
		fclose(f);
		return NULL;
	}
	/* Code that writes to the OS handle rather than through the C runtime. */
	SetStdHandle(STD_OUTPUT_HANDLE, GetStdHandle(STD_ERROR_HANDLE));
	return f;
}

void *cd_lib_open(const char *path, char *err, size_t errlen)
{
	wchar_t *w = cd_w_from_utf8(path);
	HMODULE h = NULL;
	DWORD code = 0;
	if (w) {
		/* Vendor DLLs load their own dependencies from beside them. */
		h = LoadLibraryExW(w, NULL, LOAD_WITH_ALTERED_SEARCH_PATH);
		if (!h)
			code = GetLastError();
	}
	free(w);
	if (!h && err && errlen) {
		wchar_t msg[512];
		char *u = NULL;
		if (code && FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
					   code, 0, msg, 512, NULL))
			u = cd_utf8_from_w(msg);
		if (u) {
			char *t = cd_trim(u);
			snprintf(err, errlen, "LoadLibrary error %lu: %s", (unsigned long)code, t);
		} else {
			snprintf(err, errlen, "LoadLibrary error %lu", (unsigned long)code);
		}
		free(u);
	}
	return (void *)h;
}

void *cd_lib_sym(void *lib, const char *name)
{
	FARPROC p = lib ? GetProcAddress((HMODULE)lib, name) : NULL;
	void *v;
	/* A function pointer through memcpy: the two have one size here. */
	memcpy(&v, &p, sizeof(v));
	return v;
}

void cd_lib_close(void *lib)
{
	if (lib)
		FreeLibrary((HMODULE)lib);
}
