/* Redaction of personal data in facts, before anything leaves the machine.
 *
 * cd_redact_facts() rewrites a facts database in place, right after collection
 * or loading and before rule evaluation, so that everything derived from the
 * facts (evidence, messages, repair descriptions, the console, JSON and HTML
 * reports, saved snapshots) carries no personal data. What is replaced:
 *
 *   resident ID numbers    18 digits with a valid GB 11643 check character,
 *                          and 15-digit ones with a valid birth date  -> id-xxxxxx
 *   mobile numbers         1[3-9] + 9 digits as a whole number (+86/0086,
 *                          3-4-4 with '-' or ' ')                      -> phone-xxxxxx
 *   e-mail addresses                                                   -> email-xxxxxx
 *   personal names         the CN of personal certificates (not CAs, not
 *                          domain names, not organisations), personal
 *                          subject attributes (GN, SN, email, UID, ...),
 *                          browser profile names                       -> name-xxxxxx
 *   user names             user columns, C:\Users\<u>\, /home/<u>/,
 *                          /media/<u>/, URL user:password@            -> user-xxxxxx
 *   the computer name      host.hostname                               -> host-xxxxxx
 *   serial numbers         certificate, token and USB serials          -> sn-xxxxxxxxxxxx
 *   thumbprints            sha1/sha256 of personal certificates        -> fp-xxxxxxxxxxxx
 *
 * A value found in one place (a personal CN, a user name, the computer name,
 * a serial) is then replaced wherever else it occurs in the facts, so the
 * same value has the same pseudonym everywhere. Organisation names, CA
 * names, products, versions and the non-personal parts of paths are kept.
 *
 * Pseudonyms are a truncated SHA-256 of a fixed domain string, the kind and
 * the value: stable across reports and machines (before/after reports can be
 * compared, and a live scan and its snapshot give the same findings), not
 * keyed to a secret. A guess can therefore be confirmed; the truncation to
 * 24 bits makes ID and phone numbers ambiguous (hundreds to thousands of
 * candidates per pseudonym) but a short name list can still be tested.
 *
 * Redaction is idempotent: pseudonyms are never redacted again, so a redacted
 * snapshot loads, is redacted again without change and gives the same
 * findings. */
#ifndef CD_REDACT_H
#define CD_REDACT_H

#include <stddef.h>

#include "error.h"

struct cd_facts;

/* Version of the redaction rules, stored in meta "redaction". */
#define CD_REDACT_VERSION "1"

/* Redacts the facts in place and sets meta redacted=1. */
cd_err cd_redact_facts(struct cd_facts *f);

/* 1 when the facts were redacted (meta redacted=1). */
int cd_facts_redacted(struct cd_facts *f);

/* Pattern-only redaction of one text (ID numbers, mobile numbers, e-mail
 * addresses, user names in paths, URL credentials), for text that is not in
 * the facts. A new string (free()), or NULL when out of memory. */
char *cd_redact_text(const char *s);

/* The pseudonym of a value: kind is "name", "user", "host", "id", "phone",
 * "email" (6 hex digits) or "sn", "fp" (12). Writes "kind-hex" into out. */
void cd_pseudonym(const char *kind, const char *value, size_t len, char *out, size_t outlen);

/* 1 if s[0..n) is exactly one pseudonym. */
int cd_is_pseudonym(const char *s, size_t n);

/* 1 if s[0..n) is an 18-character resident ID number (17 digits and a digit
 * or X) whose GB 11643 check character is right. */
int cd_id18_valid(const char *s, size_t n);

#endif
