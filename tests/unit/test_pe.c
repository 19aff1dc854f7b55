/* The PE machine reader (src/probes/pe.c): the machine of 32- and 64-bit
 * images, and everything that is not a PE image, cut short or lying about
 * its header offset, gives -1 without reading past the buffer. */
#include <stdio.h>
#include <stdlib.h>

#include "../../src/platform/platform.h"
#include "../../src/probes/pe.h"
#include "check.h"

/* A minimal image: MZ, e_lfanew = off, "PE\0\0", Machine. */
static size_t make(unsigned char *b, size_t cap, unsigned long off, unsigned machine)
{
	memset(b, 0, cap);
	b[0] = 'M';
	b[1] = 'Z';
	b[0x3c] = (unsigned char)off;
	b[0x3d] = (unsigned char)(off >> 8);
	b[0x3e] = (unsigned char)(off >> 16);
	b[0x3f] = (unsigned char)(off >> 24);
	if (off + 6 <= cap) {
		memcpy(b + off, "PE\0\0", 4);
		b[off + 4] = (unsigned char)machine;
		b[off + 5] = (unsigned char)(machine >> 8);
		return off + 24;
	}
	return cap;
}

int main(void)
{
	unsigned char b[512];
	char name[32], path[256];
	size_t n;
	FILE *f;

	n = make(b, sizeof(b), 0x80, CD_PE_I386);
	CHECK(cd_pe_machine(b, n) == CD_PE_I386);
	n = make(b, sizeof(b), 0x80, CD_PE_AMD64);
	CHECK(cd_pe_machine(b, n) == CD_PE_AMD64);
	/* the signature right at the end of the buffer: machine still inside */
	n = make(b, sizeof(b), 0x40, CD_PE_ARM64);
	CHECK(cd_pe_machine(b, 0x46) == CD_PE_ARM64);
	/* one byte short of the machine field */
	CHECK(cd_pe_machine(b, 0x45) == -1);
	/* e_lfanew beyond the buffer, and near 2^32 (no wrap-around) */
	n = make(b, sizeof(b), 0x1000, CD_PE_I386);
	CHECK(cd_pe_machine(b, n) == -1);
	n = make(b, sizeof(b), 0xfffffffcUL, CD_PE_I386);
	CHECK(cd_pe_machine(b, n) == -1);
	/* no MZ, no PE signature, too short, NULL */
	n = make(b, sizeof(b), 0x80, CD_PE_I386);
	b[0] = 0x7f;
	CHECK(cd_pe_machine(b, n) == -1);
	n = make(b, sizeof(b), 0x80, CD_PE_I386);
	b[0x81] = 'X';
	CHECK(cd_pe_machine(b, n) == -1);
	CHECK(cd_pe_machine(b, 0x3f) == -1);
	CHECK(cd_pe_machine(NULL, 100) == -1);
	CHECK(cd_pe_machine((const unsigned char *)"\x7f" "ELF", 4) == -1);

	CHECK_STR(cd_pe_machine_name(CD_PE_I386, name, sizeof(name)), "x86 (32-bit)");
	CHECK_STR(cd_pe_machine_name(CD_PE_AMD64, name, sizeof(name)), "x64 (64-bit)");
	CHECK_STR(cd_pe_machine_name(0x1234, name, sizeof(name)), "machine 0x1234");

	/* From a file: a 32-bit image padded past the read limit, an ELF file,
	 * a missing file. */
	snprintf(path, sizeof(path), "test_pe_%ld.dll", (long)rand());
	f = fopen(path, "wb");
	CHECK(f != NULL);
	if (f) {
		size_t i;
		n = make(b, sizeof(b), 0x100, CD_PE_I386);
		fwrite(b, 1, sizeof(b), f);
		for (i = 0; i < 300; i++)
			fwrite(b, 1, sizeof(b), f);
		fclose(f);
		CHECK(cd_pe_file_machine(path) == CD_PE_I386);
		f = fopen(path, "wb");
		fwrite("\x7f" "ELF\2\1\1", 1, 7, f);
		fclose(f);
		CHECK(cd_pe_file_machine(path) == -1);
		remove(path);
	}
	CHECK(cd_pe_file_machine("/nonexistent/x.dll") == -2);

	/* The reader for another machine's DLLs sits next to cadoctor. */
	{
		char *r = cd_pe_sibling_reader("C:\\Program Files\\cadoctor\\cadoctor.exe", CD_PE_I386);
		CHECK_STR(r, "C:\\Program Files\\cadoctor\\cadoctor-x86.exe");
		free(r);
		r = cd_pe_sibling_reader("C:\\Program Files (x86)\\cadoctor\\cadoctor.exe", CD_PE_AMD64);
		CHECK_STR(r, "C:\\Program Files (x86)\\cadoctor\\cadoctor-x64.exe");
		free(r);
		r = cd_pe_sibling_reader("/work/build/win-x64/src/cadoctor.exe", CD_PE_I386);
		CHECK_STR(r, "/work/build/win-x64/src/cadoctor-x86.exe");
		free(r);
		r = cd_pe_sibling_reader("cadoctor.exe", CD_PE_I386);
		CHECK_STR(r, "cadoctor-x86.exe");
		free(r);
		CHECK(cd_pe_sibling_reader("C:\\x\\cadoctor.exe", CD_PE_ARM64) == NULL);
		CHECK(cd_pe_sibling_reader(NULL, CD_PE_I386) == NULL);
	}
	return check_summary("test_pe");
}
