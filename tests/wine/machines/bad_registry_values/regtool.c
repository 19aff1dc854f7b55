/* Test helper for the bad_registry_values machine: writes what regedit
 * cannot (raw REG_SZ bytes, huge values) and denies access to keys.
 *   regtool raw KEY VALUE TYPE HEXBYTES   value of any type from raw bytes
 *   regtool fill KEY VALUE NCHARS         REG_SZ of NCHARS 'x' and a terminator
 *   regtool deny KEY                      DACL denying Everyone all access
 * KEY is under HKLM, in the 64-bit view. Wine keeps key security only in the
 * running wineserver: setup.sh keeps one alive for the scan. */
#include <windows.h>
#include <sddl.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

static int fail(const char *what, LONG rc)
{
	fprintf(stderr, "regtool: %s: error %ld\n", what, (long)rc);
	return 1;
}

int wmain(int argc, wchar_t **argv)
{
	HKEY h;
	LONG rc;
	if (argc < 3)
		return fail("usage", 0);
	if (!wcscmp(argv[1], L"deny")) {
		PSECURITY_DESCRIPTOR sd;
		rc = RegOpenKeyExW(HKEY_LOCAL_MACHINE, argv[2], 0, WRITE_DAC | KEY_WOW64_64KEY, &h);
		if (rc)
			return fail("open", rc);
		if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(L"D:(D;;KA;;;WD)",
									  SDDL_REVISION_1, &sd, NULL))
			return fail("sddl", (LONG)GetLastError());
		rc = RegSetKeySecurity(h, DACL_SECURITY_INFORMATION, sd);
		return rc ? fail("set security", rc) : 0;
	}
	if (argc < 5)
		return fail("usage", 0);
	rc = RegCreateKeyExW(HKEY_LOCAL_MACHINE, argv[2], 0, NULL, 0, KEY_SET_VALUE | KEY_WOW64_64KEY,
			     NULL, &h, NULL);
	if (rc)
		return fail("create", rc);
	if (!wcscmp(argv[1], L"fill")) {
		size_t n = wcstoul(argv[4], NULL, 10), i;
		wchar_t *s = malloc((n + 1) * sizeof(wchar_t));
		if (!s)
			return fail("memory", 0);
		for (i = 0; i < n; i++)
			s[i] = L'x';
		s[n] = 0;
		rc = RegSetValueExW(h, argv[3], 0, REG_SZ, (BYTE *)s, (DWORD)((n + 1) * sizeof(wchar_t)));
	} else if (!wcscmp(argv[1], L"raw") && argc >= 6) {
		size_t len = wcslen(argv[5]) / 2, i;
		BYTE *b = malloc(len + 1);
		if (!b)
			return fail("memory", 0);
		for (i = 0; i < len; i++)
			b[i] = (BYTE)wcstoul((wchar_t[]){argv[5][2 * i], argv[5][2 * i + 1], 0}, NULL, 16);
		rc = RegSetValueExW(h, argv[3], 0, wcstoul(argv[4], NULL, 10), b, (DWORD)len);
	} else {
		return fail("usage", 0);
	}
	return rc ? fail("set value", rc) : 0;
}
