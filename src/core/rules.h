/* Rules and catalogs: text files in rules/ (docs/rules.md) compiled into an
 * SQLite rules database. The build compiles rules/ with cadoctor-gen and
 * embeds the result; `cadoctor rules check DIR` and `--rules DIR` compile a
 * directory at run time with the same code.
 *
 * Rules database tables:
 *   meta(key, value)            rules_version (content hash), format_version
 *   rules(...)                  one row per rule (see rules.c)
 *   rule_symptoms(rule_id, symptom)
 *   rule_actions(rule_id, seq, kind, args)   args: JSON object of templates
 *   cat_*                       catalog tables, as declared by *.cat files */
#ifndef CD_RULES_H
#define CD_RULES_H

#include <stddef.h>

#include "error.h"

#define CD_RULES_FORMAT_VERSION 1

/* Compiles every *.rules and *.cat file under dir (sorted, recursive) into a
 * serialized rules database (*bytes, free()). Every problem found is added to
 * diags with file:line; the result is CD_OK only when diags stays empty. */
cd_err cd_rules_compile(const char *dir, struct cd_diag_list *diags, unsigned char **bytes,
			size_t *len);

/* The rules database built into this binary. */
void cd_rules_embedded(const unsigned char **bytes, size_t *len);

#endif
