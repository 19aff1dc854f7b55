/* Loading a snapshot a user sent: text facts and SQLite files, both
 * untrusted. The input is written to a file because loading goes by path. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../src/core/facts.h"
#include "../../src/core/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct cd_facts *f;
	struct cd_diag d;
	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/cadoctor-fuzz-%ld.snap", (long)cd_now());
	if (cd_write_file(path, data, size) != CD_OK)
		return 0;
	if (cd_facts_load(path, &f, &d) == CD_OK)
		cd_facts_free(f);
	return 0;
}
