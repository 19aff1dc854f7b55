/* pkcs11_testmod.h on Windows: the DLL's own module handle from an address
 * inside it. Built by tests/wine/machines/pkcs11_middleware/setup.sh. */
#include <windows.h>

#include "pkcs11_testmod.h"

int testmod_self_path(char *out, size_t outlen)
{
	HMODULE h = NULL;
	DWORD n;
	if (!GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
				(LPCSTR)(void *)testmod_self_path, &h))
		return -1;
	n = GetModuleFileNameA(h, out, (DWORD)outlen);
	return n && n < outlen ? 0 : -1;
}

void testmod_sleep_forever(void)
{
	for (;;)
		Sleep(60000);
}
