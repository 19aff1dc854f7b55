/* Self-elevation on Windows (actions_os.h). A non-elevated `repair --yes` or
 * `undo` starts itself again with ShellExecuteExW "runas" (the UAC prompt),
 * waits for it and relays what it printed. The elevated child gets its own
 * (hidden) console, so it writes its output to two files in a directory the
 * parent created for it, with a DACL that lets in only this user,
 * Administrators and SYSTEM; the child refuses a directory that is a link,
 * and creates the files new (never opens existing ones), so that its
 * administrator rights cannot be pointed at another place. */
#include <windows.h>
#include <fcntl.h>
#include <io.h>
#include <sddl.h>
#include <shellapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/cmdline.h"
#include "../core/exitcodes.h"
#include "../core/util.h"
#include "../platform/platform.h"
#include "../platform/win32_util.h"
#include "actions_os.h"
#include "win32_act.h"

static int elevated_child;

int cd_actions_is_elevated_child(void)
{
	return elevated_child;
}

/* The test switch (actions_os.h), read by cd_actions_is_admin(). */
int cd_wa_test_not_elevated(void)
{
	const char *t = cd_getenv(CD_TEST_NOT_ELEVATED_ENV);
	if (!t || !*t)
		return 0;
	return elevated_child ? cd_streq(t, "all") : 1;
}

static cd_err redirect(HANDLE h, DWORD which, int fd)
{
	int nfd = _open_osfhandle((intptr_t)h, _O_WRONLY | _O_BINARY);
	if (nfd < 0) {
		CloseHandle(h);
		return CD_ERR_IO;
	}
	fflush(fd == 1 ? stdout : stderr);
	if (_dup2(nfd, fd) != 0) {
		_close(nfd);
		return CD_ERR_IO;
	}
	/* cd_write_text looks at the Win32 handle: a file, so UTF-8 bytes. */
	SetStdHandle(which, (HANDLE)_get_osfhandle(fd));
	_close(nfd);
	return CD_OK;
}

static HANDLE create_new(const char *dir, const char *name)
{
	char *p = cd_aprintf("%s\\%s", dir, name);
	wchar_t *w = p ? cd_w_from_utf8(p) : NULL;
	HANDLE h = w ? CreateFileW(w, GENERIC_WRITE, FILE_SHARE_READ, NULL, CREATE_NEW,
				   FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT, NULL)
		     : INVALID_HANDLE_VALUE;
	free(w);
	free(p);
	return h;
}

cd_err cd_actions_become_elevated_child(const char *marker_arg)
{
	const char *dir = marker_arg + strlen(CD_ELEVATED_ARG);
	wchar_t *w;
	DWORD a;
	HANDLE out, err;
	elevated_child = 1; /* whatever happens next, never relaunch again */
	if (!cd_win_path_is_plain_absolute(dir) || !(w = cd_w_from_utf8(dir)))
		return CD_ERR_DENIED;
	a = GetFileAttributesW(w);
	free(w);
	if (a == INVALID_FILE_ATTRIBUTES || !(a & FILE_ATTRIBUTE_DIRECTORY) || (a & FILE_ATTRIBUTE_REPARSE_POINT))
		return CD_ERR_DENIED;
	out = create_new(dir, "out.txt");
	if (out == INVALID_HANDLE_VALUE)
		return CD_ERR_DENIED;
	err = create_new(dir, "err.txt");
	if (err == INVALID_HANDLE_VALUE) {
		CloseHandle(out);
		return CD_ERR_DENIED;
	}
	if (redirect(out, STD_OUTPUT_HANDLE, 1) || redirect(err, STD_ERROR_HANDLE, 2))
		return CD_ERR_IO;
	return CD_OK;
}

/* %TEMP%\cadoctor-elevate-PID-TICKS, for this user, Administrators and
 * SYSTEM only (an administrator who is another user answers the prompt on a
 * standard account). */
static char *private_dir(struct cd_diag *d)
{
	wchar_t tmp[MAX_PATH], *sddl = NULL, *sid = NULL, *w;
	BYTE tu[256];
	DWORD n = 0;
	HANDLE tok = NULL;
	PSECURITY_DESCRIPTOR sd = NULL;
	SECURITY_ATTRIBUTES sa;
	char *base, *u = NULL;
	if (!GetTempPathW(MAX_PATH, tmp) || !OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok)) {
		cd_diag_set(d, CD_ERR_IO, NULL, 0, "no temporary folder");
		return NULL;
	}
	if (!GetTokenInformation(tok, TokenUser, tu, sizeof(tu), &n) ||
	    !ConvertSidToStringSidW(((TOKEN_USER *)tu)->User.Sid, &sid)) {
		CloseHandle(tok);
		cd_diag_set(d, CD_ERR_IO, NULL, 0, "cannot read the current user");
		return NULL;
	}
	CloseHandle(tok);
	n = (DWORD)wcslen(sid) + 64;
	sddl = malloc(n * sizeof(wchar_t));
	if (sddl)
		_snwprintf(sddl, n, L"D:P(A;OICI;FA;;;%ls)(A;OICI;FA;;;BA)(A;OICI;FA;;;SY)", sid);
	LocalFree(sid);
	if (!sddl || !ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, &sd, NULL)) {
		free(sddl);
		cd_diag_set(d, CD_ERR_INTERNAL, NULL, 0, "cannot build the security descriptor");
		return NULL;
	}
	free(sddl);
	sa.nLength = sizeof(sa);
	sa.lpSecurityDescriptor = sd;
	sa.bInheritHandle = FALSE;
	base = cd_utf8_from_w(tmp);
	if (base) {
		size_t len = strlen(base);
		if (len && base[len - 1] == '\\')
			base[len - 1] = 0;
		u = cd_aprintf("%s\\cadoctor-elevate-%lu-%llu", base, (unsigned long)GetCurrentProcessId(),
			       (unsigned long long)GetTickCount64());
	}
	free(base);
	w = u ? cd_w_from_utf8(u) : NULL;
	if (!w || !CreateDirectoryW(w, &sa)) {
		cd_diag_set(d, CD_ERR_IO, u, 0, "cannot create (error %lu)", (unsigned long)GetLastError());
		free(u);
		u = NULL;
	}
	free(w);
	LocalFree(sd);
	return u;
}

/* Copies the child's output file to ours and removes it. */
static void relay(const char *dir, const char *name, FILE *stream)
{
	char *p = cd_aprintf("%s\\%s", dir, name), *text = NULL;
	size_t len = 0;
	if (p && cd_read_file(p, 64u << 20, &text, &len) == CD_OK && len)
		cd_write_text(stream, text, len);
	free(text);
	if (p)
		cd_remove_file(p);
	free(p);
}

cd_err cd_actions_relaunch_elevated(int argc, char **argv, int *code, struct cd_diag *d)
{
	const char *t = cd_getenv(CD_TEST_NOT_ELEVATED_ENV);
	SHELLEXECUTEINFOW sei;
	char **v, *dir, *exe, *line = NULL, *marker;
	wchar_t *wexe = NULL, *wparams = NULL, *wdir;
	DWORD rc = 0;
	int i;
	cd_err e = CD_OK;
	if (elevated_child)
		return CD_ERR_UNSUPPORTED;
	if (t && cd_streq(t, "declined"))
		return CD_ERR_DENIED;
	if (!(exe = cd_self_exe()))
		return cd_diag_set(d, CD_ERR_NOT_FOUND, NULL, 0, "cannot find cadoctor's own program");
	if (!(dir = private_dir(d))) {
		free(exe);
		return d && d->code ? d->code : CD_ERR_IO;
	}
	/* The parameters as CommandLineToArgvW will split them in the child:
	 * joined after a placeholder program name that is then cut off. */
	marker = cd_aprintf("%s%s", CD_ELEVATED_ARG, dir);
	v = calloc((size_t)argc + 2, sizeof(char *));
	if (v && marker) {
		v[0] = "x";
		v[1] = marker;
		for (i = 0; i < argc; i++)
			v[i + 2] = argv[i];
		line = cd_cmdline_join(v, (size_t)argc + 2);
	}
	free(v);
	free(marker);
	wexe = cd_w_from_utf8(exe);
	wparams = line ? cd_w_from_utf8(line + 2) : NULL;
	free(line);
	free(exe);
	if (!wexe || !wparams) {
		e = CD_ERR_NOMEM;
		goto out;
	}
	memset(&sei, 0, sizeof(sei));
	sei.cbSize = sizeof(sei);
	sei.fMask = SEE_MASK_NOCLOSEPROCESS | SEE_MASK_NOASYNC | SEE_MASK_FLAG_NO_UI;
	sei.lpVerb = L"runas";
	sei.lpFile = wexe;
	sei.lpParameters = wparams;
	sei.nShow = SW_HIDE;
	if (!ShellExecuteExW(&sei) || !sei.hProcess) {
		DWORD le = GetLastError();
		e = le == ERROR_CANCELLED ? CD_ERR_DENIED
					  : cd_diag_set(d, CD_ERR_IO, NULL, 0, "cannot start elevated (error %lu)",
							(unsigned long)le);
		goto out;
	}
	WaitForSingleObject(sei.hProcess, INFINITE);
	if (!GetExitCodeProcess(sei.hProcess, &rc))
		rc = CD_EXIT_INTERNAL;
	CloseHandle(sei.hProcess);
	relay(dir, "out.txt", stdout);
	relay(dir, "err.txt", stderr);
	*code = (int)rc;
out:
	wdir = cd_w_from_utf8(dir);
	if (wdir)
		RemoveDirectoryW(wdir);
	free(wdir);
	free(dir);
	free(wexe);
	free(wparams);
	return e;
}
