/* Support codes: a short code a user reads over the phone that tells a help
 * desk which rules version ran and which rules found something.
 *
 * Alphabet: Crockford base 32, 0-9 A-Z without I L O U. Reading it back,
 * case is ignored, I and L count as 1 and O as 0, and '-' and blanks are
 * skipped. Layout (format 1), one symbol = 5 bits:
 *
 *   H TTT P... C       shown in groups of four: "5K3M-7Q2X-9"
 *
 *   H    header: format (1) * 4 + mode; mode 0 = list, 1 = bitset
 *   TTT  rules tag: 15 bits of rules_version (its first four hex digits >> 1)
 *   P    findings as indices of their rules in the rules database (order of
 *        rules.rules.ord, the same in every cadoctor built from the same rules):
 *          list:   the sorted indices as gaps (index - previous - 1), each a
 *                  little-endian varint of 4-bit groups, 16 = more follows
 *          bitset: bit i (symbol i / 5, value 1 << i % 5) set for index i
 *        whichever is shorter; no findings = no payload
 *   C    check symbol: Damm's algorithm over GF(32) (x^5 + x^2 + 1,
 *        r = 2r + s), which catches every single wrong symbol and every swap
 *        of two neighbours. */
#ifndef CD_SUPPORTCODE_H
#define CD_SUPPORTCODE_H

#include <stddef.h>

#include "error.h"

struct cd_facts;
struct cd_results;

#define CD_SUPPORT_CODE_FORMAT 1
/* Largest rule index a code carries. */
#define CD_SUPPORT_CODE_MAX_INDEX 4095
/* Room for any code this cadoctor makes: 4096 indices as a bitset. */
#define CD_SUPPORT_CODE_MAX 1100

/* The 15-bit tag of a rules version. */
unsigned cd_support_code_tag(const char *rules_version);

/* Encodes a rules tag and rule indices (any order, duplicates allowed) into
 * out, grouped with '-'. CD_ERR_LIMIT when an index is too large or out too small. */
cd_err cd_support_code_encode(unsigned tag, const unsigned *idx, size_t n, char *out, size_t outlen);

/* Decodes a code a person typed. On success *tag is set and *idx (free())
 * holds *n sorted indices. CD_ERR_PARSE: a character outside the alphabet or
 * a malformed payload; CD_ERR_INVALID: the check symbol does not match (a
 * symbol was misread); CD_ERR_VERSION: a format this cadoctor does not know. */
cd_err cd_support_code_decode(const char *code, unsigned *tag, unsigned **idx, size_t *n);

/* The support code of evaluation results, from the rules attached to the
 * facts (schema "rules"). */
cd_err cd_support_code_for(struct cd_facts *f, const struct cd_results *res, char *out, size_t outlen);

#endif
