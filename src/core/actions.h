/* The closed set of repair action kinds a rule may name. A rule can only pick
 * a kind from this table and fill its named arguments; nothing in a rule is
 * ever passed to a shell. The implementations (describe, capture, apply,
 * undo) live behind the per-OS action backend; this table is what the rule
 * checker and the planner need to know. */
#ifndef CD_ACTIONS_H
#define CD_ACTIONS_H

#include <stddef.h>

#include "i18n.h"

struct cd_action_kind {
	const char *name;
	const char *required; /* comma-separated argument names */
	const char *optional; /* comma-separated argument names */
	int needs_admin;      /* 1 if applying it needs administrator/root */
	const char *os;       /* "windows", "linux" or "any" */
	enum cd_str describe; /* template shown in a dry run, names arguments in {} */
};

const struct cd_action_kind *cd_action_kind_find(const char *name);
const struct cd_action_kind *cd_action_kinds(size_t *count);
/* 1 if arg is a required or optional argument of kind. */
int cd_action_kind_has_arg(const struct cd_action_kind *k, const char *arg);
/* 1 if id looks like a Firefox add-on id ("name@domain" or "{uuid}"; letters,
 * digits and @._{}+- only, at most 128): what browser_extension_policy
 * accepts for Firefox on every OS. */
int cd_action_firefox_addon_id(const char *id);

/* The kind's description in lang with its arguments filled in (a new
 * string, NULL without memory). Argument values that are words of a closed
 * set (start_type: auto, manual, disabled) are shown in lang,
 * not as the rule wrote them: a Chinese sentence gets Chinese words. */
char *cd_action_describe(const struct cd_action_kind *k, const char *const *keys, const char *const *values,
			 size_t n, enum cd_lang lang);

#endif
