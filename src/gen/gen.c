/* cadoctor-gen: build-time tool linked with the core.
 *   cadoctor-gen rules DIR OUT.db      compile and check rules/ (fails the build on any problem)
 *   cadoctor-gen schema-doc SCHEMA.sql OUT.md   docs/facts.md from schema.sql */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/rules.h"
#include "../core/util.h"

static int gen_rules(const char *dir, const char *out)
{
	struct cd_diag_list diags = {0};
	unsigned char *bytes = NULL;
	size_t len = 0, i;
	cd_err e = cd_rules_compile(dir, &diags, &bytes, &len);
	for (i = 0; i < diags.n; i++)
		fprintf(stderr, "%s:%d: error: %s\n", diags.v[i].file, diags.v[i].line, diags.v[i].msg);
	cd_diag_list_release(&diags);
	if (e) {
		fprintf(stderr, "cadoctor-gen: rules in %s are invalid (%s)\n", dir, cd_err_name(e));
		return 1;
	}
	e = cd_write_file(out, bytes, len);
	free(bytes);
	if (e) {
		fprintf(stderr, "cadoctor-gen: cannot write %s\n", out);
		return 1;
	}
	return 0;
}

/* Reads the "-- @table" / column comment conventions of schema.sql. */
static int gen_schema_doc(const char *in, const char *out)
{
	char *text, *line, *next;
	size_t len;
	struct cd_buf b;
	int in_table = 0, rc;

	if (cd_read_file(in, 1 << 20, &text, &len) != CD_OK) {
		fprintf(stderr, "cadoctor-gen: cannot read %s\n", in);
		return 1;
	}
	cd_buf_init(&b, 0);
	cd_buf_adds(&b, "# Facts schema\n\n"
			"<!-- Generated from src/core/schema.sql by `cadoctor-gen schema-doc`; edit the schema, not this file. -->\n\n"
			"Probes fill these tables; rules read them; a snapshot is these tables saved to a file.\n"
			"Booleans are 0/1 (NULL when unknown); times are seconds since the epoch, UTC.\n"
			"The schema version is stored in `meta.schema_version`.\n");
	for (line = text; line && *line; line = next) {
		char *t;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		t = cd_trim(line);
		if (!strncmp(t, "-- @table ", 10)) {
			char *colon = strchr(t + 10, ':');
			if (colon) {
				*colon = '\0';
				cd_buf_addf(&b, "\n## `%s`\n\n%s\n\n| column | type | meaning |\n|---|---|---|\n",
					    t + 10, cd_trim(colon + 1));
			}
		} else if (!strncmp(t, "CREATE TABLE", 12)) {
			in_table = 1;
		} else if (in_table && t[0] == ')') {
			in_table = 0;
		} else if (in_table && *t) {
			char name[64], type[32];
			char *doc = strstr(t, "-- ");
			if (sscanf(t, "%63s %31[A-Za-z]", name, type) == 2)
				cd_buf_addf(&b, "| `%s` | %s | %s |\n", name, type, doc ? cd_trim(doc + 3) : "");
		}
	}
	free(text);
	rc = cd_buf_str(&b) ? (cd_write_file(out, b.data, b.len) != CD_OK) : 1;
	cd_buf_release(&b);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "rules"))
		return gen_rules(argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "schema-doc"))
		return gen_schema_doc(argv[2], argv[3]);
	fprintf(stderr, "usage: cadoctor-gen rules DIR OUT.db | schema-doc SCHEMA.sql OUT.md\n");
	return 2;
}
