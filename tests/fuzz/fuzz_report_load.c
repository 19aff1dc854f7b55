/* Reading back a report a user sent (`cadoctor report load`, `report diff`):
 * an HTML page with embedded JSON, or the JSON itself, both untrusted. A
 * report that parses is also compared with itself and with a minimal one,
 * and the diff rendered as text, so the code that walks untrusted fields
 * runs too. */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../src/core/report_diff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char minimal[] = "{\"format\":\"cadoctor-report\",\"format_version\":1,\"findings\":[]}";
	struct cd_diag d;
	cJSON *doc = NULL, *small = NULL, *diff;
	if (cd_report_parse("fuzz", (const char *)data, size, &doc, &d) != CD_OK)
		return 0;
	if (cd_report_parse("minimal", minimal, sizeof(minimal) - 1, &small, &d) == CD_OK) {
		const cJSON *pairs[3][2] = {{doc, doc}, {doc, small}, {small, doc}};
		int i;
		for (i = 0; i < 3; i++) {
			struct cd_buf b;
			diff = cd_report_diff(pairs[i][0], pairs[i][1]);
			if (!diff)
				continue;
			cd_buf_init(&b, 0);
			cd_report_diff_text(diff, &b);
			cd_report_diff_exit(diff);
			cd_buf_release(&b);
			cJSON_Delete(diff);
		}
		cJSON_Delete(small);
	}
	cJSON_Delete(doc);
	return 0;
}
