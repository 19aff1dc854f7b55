/* PE header machine field: see pe.h. Layout (PE/COFF specification): the
 * DOS header starts with "MZ" and holds at offset 0x3C the 32-bit offset
 * (e_lfanew) of the "PE\0\0" signature, which is followed by the COFF file
 * header whose first field is the 16-bit Machine; all little-endian. */
#include "pe.h"

#include <stdio.h>
#include <stdlib.h>

#include "../core/util.h"
#include "../platform/platform.h"

#define PE_READ_MAX ((size_t)64 << 10)

long cd_pe_machine(const unsigned char *buf, size_t n)
{
	unsigned long off;
	if (!buf || n < 0x40 || buf[0] != 'M' || buf[1] != 'Z')
		return -1;
	off = (unsigned long)buf[0x3c] | (unsigned long)buf[0x3d] << 8 | (unsigned long)buf[0x3e] << 16 |
	      (unsigned long)buf[0x3f] << 24;
	/* Compared without adding to off, which may be near ULONG_MAX. */
	if (n < 6 || off > n - 6)
		return -1;
	if (buf[off] != 'P' || buf[off + 1] != 'E' || buf[off + 2] || buf[off + 3])
		return -1;
	return (long)(buf[off + 4] | buf[off + 5] << 8);
}

long cd_pe_file_machine(const char *path)
{
	FILE *f = cd_fopen(path, "rb");
	unsigned char *data;
	size_t n;
	long m;
	if (!f)
		return -2;
	/* DLLs are megabytes; the header is in the first bytes. */
	data = malloc(PE_READ_MAX);
	if (!data) {
		fclose(f);
		return -2;
	}
	n = fread(data, 1, PE_READ_MAX, f);
	m = ferror(f) ? -2 : cd_pe_machine(data, n);
	fclose(f);
	free(data);
	return m;
}

const char *cd_pe_machine_name(long machine, char *out, size_t outlen)
{
	switch (machine) {
	case CD_PE_I386:
		snprintf(out, outlen, "x86 (32-bit)");
		break;
	case CD_PE_AMD64:
		snprintf(out, outlen, "x64 (64-bit)");
		break;
	case CD_PE_ARM64:
		snprintf(out, outlen, "ARM64");
		break;
	case CD_PE_ARMNT:
		snprintf(out, outlen, "ARM (32-bit)");
		break;
	default:
		snprintf(out, outlen, "machine 0x%04lX", (unsigned long)machine & 0xffff);
		break;
	}
	return out;
}

char *cd_pe_sibling_reader(const char *self_exe, long machine)
{
	const char *name, *slash = NULL, *p;
	switch (machine) {
	case CD_PE_I386:
		name = "cadoctor-x86.exe";
		break;
	case CD_PE_AMD64:
		name = "cadoctor-x64.exe";
		break;
	default:
		return NULL;
	}
	if (!self_exe)
		return NULL;
	for (p = self_exe; *p; p++)
		if (*p == '\\' || *p == '/')
			slash = p;
	if (!slash)
		return cd_strdup(name);
	return cd_aprintf("%.*s%s", (int)(slash - self_exe + 1), self_exe, name);
}
