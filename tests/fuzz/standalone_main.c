/* Runs a fuzz target over files (or every file of directories) given on the
 * command line, without libFuzzer: the corpus becomes a regression test. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/util.h"
#include "../../src/platform/platform.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	char *data;
	size_t len;
	if (cd_read_file(path, (size_t)16 << 20, &data, &len) != CD_OK) {
		fprintf(stderr, "cannot read %s\n", path);
		return 1;
	}
	/* An exact-size copy, as libFuzzer passes it: no terminator to lean on,
	 * so AddressSanitizer sees a read past the end. */
	{
		uint8_t *exact = malloc(len ? len : 1);
		if (exact) {
			memcpy(exact, data, len);
			LLVMFuzzerTestOneInput(exact, len);
			free(exact);
		}
	}
	free(data);
	return 0;
}

int main(int argc, char **argv)
{
	int i, n = 0, bad = 0;
	for (i = 1; i < argc; i++) {
		if (cd_is_dir(argv[i])) {
			char **names;
			size_t k, count;
			if (cd_list_dir(argv[i], &names, &count) != CD_OK)
				return 1;
			for (k = 0; k < count; k++) {
				char *p = cd_aprintf("%s/%s", argv[i], names[k]);
				bad |= run_file(p);
				n++;
				free(p);
			}
			cd_free_list(names, count);
		} else {
			bad |= run_file(argv[i]);
			n++;
		}
	}
	printf("%s: %d passed, %d failed\n", argv[0], bad ? n - 1 : n, bad);
	return bad;
}
