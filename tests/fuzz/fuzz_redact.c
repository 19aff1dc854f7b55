/* Redaction of untrusted facts (a snapshot a user sent is redacted again on
 * load): the patterns over any text, and a whole facts database whose
 * certificate subject, CN, organisation, user and paths come from the input.
 * Redacting twice must change nothing. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/facts.h"
#include "../../src/core/redact.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *dump(struct cd_facts *f)
{
	struct cd_buf b;
	cd_buf_init(&b, 0);
	cd_facts_dump_text(f, &b);
	return cd_buf_detach(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *r, *parts[4], *once, *twice;
	struct cd_facts *f;
	struct cd_row row;
	size_t i, k = 0, start = 0;
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	r = cd_redact_text(s);
	if (r) {
		char *again = cd_redact_text(r);
		if (again && strcmp(again, r) != 0)
			abort(); /* not idempotent */
		free(again);
	}
	free(r);
	/* four fields separated by newlines: subject, CN, O, a path */
	for (i = 0; i <= size && k < 4; i++)
		if (i == size || s[i] == '\n') {
			s[i] = '\0';
			parts[k++] = s + start;
			start = i + 1;
		}
	while (k < 4)
		parts[k++] = "";
	if (cd_facts_open(&f) == CD_OK) {
		cd_row_init(&row, "certificates");
		cd_row_text(&row, "subject", parts[0]);
		cd_row_text(&row, "subject_cn", parts[1]);
		cd_row_text(&row, "subject_o", parts[2]);
		cd_row_text(&row, "location", parts[3]);
		cd_row_text(&row, "user", parts[1]);
		cd_row_text(&row, "serial", parts[2]);
		cd_row_insert(f, &row);
		cd_row_init(&row, "files");
		cd_row_text(&row, "path", parts[3]);
		cd_row_text(&row, "purpose", parts[0]);
		cd_row_insert(f, &row);
		if (cd_redact_facts(f) == CD_OK) {
			once = dump(f);
			if (cd_redact_facts(f) == CD_OK) {
				twice = dump(f);
				if (once && twice && strcmp(once, twice) != 0)
					abort(); /* not idempotent */
				free(twice);
			}
			free(once);
		}
		cd_facts_free(f);
	}
	free(s);
	return 0;
}
