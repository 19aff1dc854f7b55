/* The stanza parser reads rule files, catalogs and text facts. */
#include <stdint.h>

#include "../../src/core/stanza.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cd_stanza_file f;
	struct cd_diag d;
	if (cd_stanza_parse("fuzz", (const char *)data, size, &f, &d) == CD_OK)
		cd_stanza_file_release(&f);
	return 0;
}
