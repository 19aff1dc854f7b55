/* What the test PKCS#11 module (pkcs11_testmod.c) needs from the OS, one
 * file per OS: pkcs11_testmod_posix.c, pkcs11_testmod_win32.c. */
#ifndef CD_PKCS11_TESTMOD_H
#define CD_PKCS11_TESTMOD_H

#include <stddef.h>

/* Full path of the module file this code was loaded from. 0 on success. */
int testmod_self_path(char *out, size_t outlen);
/* Never returns: the "hang" variant. */
void testmod_sleep_forever(void);

/* C_GetFunctionList is exported by default: no -fvisibility=hidden here,
 * and a DLL without dllexport exports every global symbol (GNU ld). */
#define TESTMOD_EXPORT

#endif
