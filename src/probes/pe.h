/* The machine a Windows DLL is built for, from its PE header. A process can
 * only load DLLs of its own machine: LoadLibrary of a 32-bit DLL in 64-bit
 * cadoctor fails with ERROR_BAD_EXE_FORMAT, so the PKCS#11 probe checks first
 * and says why instead of reporting a load failure. Portable: it reads bytes,
 * so it is unit-tested on Linux. */
#ifndef CD_PE_H
#define CD_PE_H

#include <stddef.h>

#define CD_PE_I386 0x014c
#define CD_PE_AMD64 0x8664
#define CD_PE_ARM64 0xaa64
#define CD_PE_ARMNT 0x01c4

/* IMAGE_FILE_HEADER.Machine of the PE image in buf (the file's first n
 * bytes), or -1 when buf is not a PE image (no MZ header, e_lfanew outside
 * buf, no "PE\0\0" signature). */
long cd_pe_machine(const unsigned char *buf, size_t n);

/* The same for a file (reads at most its first 64 KiB): -1 when it is not a
 * PE image, -2 when it cannot be read. */
long cd_pe_file_machine(const char *path);

/* "x86 (32-bit)", "x64 (64-bit)", "ARM64", ... or "machine 0xNNNN" written
 * into out. Returns out. */
const char *cd_pe_machine_name(long machine, char *out, size_t outlen);

/* The reader for modules of another machine: the cadoctor built for that
 * machine, installed next to this one under a fixed name (the x64 MSI ships
 * the x86 build as cadoctor-x86.exe, so that the 32-bit middleware DLLs in
 * SysWOW64 -- most USB-key vendors ship 32-bit PKCS#11 DLLs -- can be read
 * from 64-bit Windows). Returns the path (a new string) for self_exe's
 * folder, or NULL when there is no such build for machine. */
char *cd_pe_sibling_reader(const char *self_exe, long machine);

#endif
