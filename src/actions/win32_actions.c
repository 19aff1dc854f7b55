/* The action kinds a Windows repair can apply, and the journal directory:
 * %ProgramData%\cadoctor with a protected DACL that lets only Administrators
 * and SYSTEM in (set every time it is used). */
#include <windows.h>
#include <aclapi.h>
#include <sddl.h>
#include <shlobj.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "../platform/platform.h"
#include "../platform/win32_util.h"
#include "actions_os.h"
#include "win32_act.h"

extern const struct cd_action_ops cd_act_win32_registry_set;
extern const struct cd_action_ops cd_act_win32_registry_delete_value;
extern const struct cd_action_ops cd_act_win32_registry_delete_key;
extern const struct cd_action_ops cd_act_win32_service_start;
extern const struct cd_action_ops cd_act_win32_service_stop;
extern const struct cd_action_ops cd_act_win32_service_set_start;
extern const struct cd_action_ops cd_act_win32_program_uninstall;
extern const struct cd_action_ops cd_act_win32_file_quarantine;
extern const struct cd_action_ops cd_act_win32_com_register;
extern const struct cd_action_ops cd_act_win32_run_vendor_installer;
extern const struct cd_action_ops cd_act_win32_browser_extension_policy;
extern const struct cd_action_ops cd_act_win32_native_host_register;
extern const struct cd_action_ops cd_act_win32_open_url;
extern const struct cd_action_ops cd_act_win32_clock_sync;

static const struct cd_action_ops *const actions[] = {
	&cd_act_win32_registry_set,
	&cd_act_win32_registry_delete_value,
	&cd_act_win32_registry_delete_key,
	&cd_act_win32_service_start,
	&cd_act_win32_service_stop,
	&cd_act_win32_service_set_start,
	&cd_act_win32_program_uninstall,
	&cd_act_win32_file_quarantine,
	&cd_act_win32_com_register,
	&cd_act_win32_run_vendor_installer,
	&cd_act_win32_browser_extension_policy,
	&cd_act_win32_native_host_register,
	&cd_act_win32_open_url,
	&cd_act_win32_clock_sync,
	NULL,
};

const struct cd_action_ops *const *cd_os_actions(void)
{
	return actions;
}

/* Administrators and SYSTEM: full control, inherited; nothing from above. */
#define JOURNAL_SDDL L"D:P(A;OICI;FA;;;BA)(A;OICI;FA;;;SY)"

static const GUID fid_program_data = {0x62ab5d82, 0xfdc1, 0x4dc3, {0xa9, 0xdd, 0x07, 0x0d, 0x1d, 0x49, 0x5d, 0x97}};

static cd_err secure_dir(const wchar_t *w, int create, const char *u, struct cd_diag *d)
{
	PSECURITY_DESCRIPTOR sd = NULL;
	SECURITY_ATTRIBUTES sa;
	PACL dacl = NULL;
	BOOL present = FALSE, defaulted = FALSE;
	DWORD a, rc;
	if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(JOURNAL_SDDL, SDDL_REVISION_1, &sd, NULL))
		return cd_diag_set(d, CD_ERR_INTERNAL, u, 0, "cannot build the security descriptor");
	sa.nLength = sizeof(sa);
	sa.lpSecurityDescriptor = sd;
	sa.bInheritHandle = FALSE;
	if (create && !CreateDirectoryW(w, &sa) && GetLastError() != ERROR_ALREADY_EXISTS) {
		DWORD le = GetLastError();
		LocalFree(sd);
		return cd_diag_set(d, cd_wa_err(le), u, 0, "cannot create (error %lu)", (unsigned long)le);
	}
	a = GetFileAttributesW(w);
	if (a == INVALID_FILE_ATTRIBUTES) {
		LocalFree(sd);
		return cd_diag_set(d, CD_ERR_NOT_FOUND, u, 0, "does not exist");
	}
	if (!(a & FILE_ATTRIBUTE_DIRECTORY) || (a & FILE_ATTRIBUTE_REPARSE_POINT)) {
		LocalFree(sd);
		return cd_diag_set(d, CD_ERR_DENIED, u, 0, "not a plain directory (a link or a file)");
	}
	/* Tightened whenever a repair is about to write (not by a dry run or a
	 * listing, which change nothing): whatever loosened it is undone. */
	if (!create) {
		LocalFree(sd);
		return CD_OK;
	}
	GetSecurityDescriptorDacl(sd, &present, &dacl, &defaulted);
	rc = SetNamedSecurityInfoW((wchar_t *)w, SE_FILE_OBJECT,
				   DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION, NULL, NULL, dacl,
				   NULL);
	LocalFree(sd);
	if (rc != ERROR_SUCCESS)
		return cd_diag_set(d, CD_ERR_DENIED, u, 0, "cannot restrict it to administrators (error %lu)",
				   (unsigned long)rc);
	return CD_OK;
}

/* The test directory: owned by us (or the Administrators group when we are
 * an administrator) and writable by no broad group. */
static cd_err check_test_dir(const char *u, struct cd_diag *d)
{
	wchar_t *w = cd_w_from_utf8(u);
	PSECURITY_DESCRIPTOR sd = NULL;
	PSID owner = NULL;
	PACL dacl = NULL;
	HANDLE tok = NULL;
	BYTE tu[256];
	DWORD n = 0, a, i;
	cd_err e = CD_OK;
	if (!w)
		return CD_ERR_NOMEM;
	a = GetFileAttributesW(w);
	if (a == INVALID_FILE_ATTRIBUTES || !(a & FILE_ATTRIBUTE_DIRECTORY) || (a & FILE_ATTRIBUTE_REPARSE_POINT)) {
		free(w);
		return cd_diag_set(d, CD_ERR_DENIED, u, 0, "not a plain directory");
	}
	if (GetNamedSecurityInfoW(w, SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, &owner,
				  NULL, &dacl, NULL, &sd) != ERROR_SUCCESS) {
		free(w);
		return cd_diag_set(d, CD_ERR_DENIED, u, 0, "cannot read its owner");
	}
	free(w);
	if (OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok) &&
	    GetTokenInformation(tok, TokenUser, tu, sizeof(tu), &n)) {
		BYTE adm[SECURITY_MAX_SID_SIZE];
		DWORD asz = sizeof(adm);
		int ok = EqualSid(owner, ((TOKEN_USER *)tu)->User.Sid);
		if (!ok && cd_actions_is_admin() && CreateWellKnownSid(WinBuiltinAdministratorsSid, NULL, adm, &asz))
			ok = EqualSid(owner, adm);
		if (!ok)
			e = cd_diag_set(d, CD_ERR_DENIED, u, 0, "not owned by the current user");
	} else {
		e = cd_diag_set(d, CD_ERR_DENIED, u, 0, "cannot read the current user");
	}
	if (tok)
		CloseHandle(tok);
	if (!e && !dacl)
		e = cd_diag_set(d, CD_ERR_DENIED, u, 0, "anyone may write to it (no DACL)");
	for (i = 0; !e && dacl && i < dacl->AceCount; i++) {
		ACCESS_ALLOWED_ACE *ace;
		BYTE s[SECURITY_MAX_SID_SIZE];
		DWORD ssz;
		static const WELL_KNOWN_SID_TYPE broad[] = {WinWorldSid, WinAuthenticatedUserSid, WinBuiltinUsersSid};
		size_t k;
		if (!GetAce(dacl, i, (void **)&ace) || ace->Header.AceType != ACCESS_ALLOWED_ACE_TYPE)
			continue;
		if (!(ace->Mask & (FILE_WRITE_DATA | FILE_APPEND_DATA | GENERIC_WRITE | GENERIC_ALL | WRITE_DAC | WRITE_OWNER)))
			continue;
		for (k = 0; k < 3; k++) {
			ssz = sizeof(s);
			if (CreateWellKnownSid(broad[k], NULL, s, &ssz) && EqualSid(s, (PSID)&ace->SidStart))
				e = cd_diag_set(d, CD_ERR_DENIED, u, 0, "others may write to it");
		}
	}
	LocalFree(sd);
	return e;
}

cd_err cd_actions_journal_dir(int create, char **out, struct cd_diag *d)
{
	const char *test = cd_getenv(CD_TEST_JOURNAL_ENV);
	wchar_t *pd = NULL, *w;
	char *base, *u;
	cd_err e;
	if (test && *test) {
		if (!cd_win_path_is_plain_absolute(test))
			return cd_diag_set(d, CD_ERR_DENIED, test, 0, "%s must be a plain absolute path", CD_TEST_JOURNAL_ENV);
		if ((e = check_test_dir(test, d)))
			return e;
		*out = cd_strdup(test);
		return *out ? CD_OK : CD_ERR_NOMEM;
	}
	if (SHGetKnownFolderPath((REFKNOWNFOLDERID)&fid_program_data, 0, NULL, &pd) != S_OK || !pd) {
		CoTaskMemFree(pd);
		return cd_diag_set(d, CD_ERR_NOT_FOUND, "%ProgramData%", 0, "unknown folder");
	}
	base = cd_utf8_from_w(pd);
	CoTaskMemFree(pd);
	u = base ? cd_aprintf("%s\\cadoctor", base) : NULL;
	free(base);
	w = u ? cd_w_from_utf8(u) : NULL;
	if (!w) {
		free(u);
		return CD_ERR_NOMEM;
	}
	e = secure_dir(w, create, u, d);
	free(w);
	if (e) {
		free(u);
		return e;
	}
	*out = u;
	return CD_OK;
}

int cd_actions_is_admin(void)
{
	BYTE adm[SECURITY_MAX_SID_SIZE];
	DWORD sz = sizeof(adm);
	BOOL member = FALSE;
	if (cd_wa_test_not_elevated())
		return 0;
	if (!CreateWellKnownSid(WinBuiltinAdministratorsSid, NULL, adm, &sz))
		return 0;
	/* The token's own view: a filtered (not elevated) token has the group
	 * for denying only, and does not count. */
	return CheckTokenMembership(NULL, adm, &member) && member;
}

void cd_actions_identity(char *host, size_t hostlen, char *user, size_t userlen)
{
	wchar_t w[256];
	DWORD n = 256;
	char *u;
	snprintf(host, hostlen, "?");
	snprintf(user, userlen, "?");
	if (GetComputerNameW(w, &n) && (u = cd_utf8_from_w(w)) != NULL) {
		snprintf(host, hostlen, "%s", u);
		free(u);
	}
	n = 256;
	if (GetUserNameW(w, &n) && (u = cd_utf8_from_w(w)) != NULL) {
		snprintf(user, userlen, "%s", u);
		free(u);
	}
}
