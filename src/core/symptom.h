/* Narrowing a scan to one symptom ("证书名不显示"): keep the findings of the
 * rules that explain it, most likely first, and say which of its causes were
 * checked and ruled out. */
#ifndef CD_SYMPTOM_H
#define CD_SYMPTOM_H

#include <stddef.h>

#include "error.h"
#include "findings.h"

struct cd_facts;

struct cd_symptom_cause {
	char *rule_id;
	char *title[CD_LANG_COUNT];
	int likelihood;
};

struct cd_symptom_view {
	char *id;
	char *name[CD_LANG_COUNT];
	/* Causes whose rules ran and found nothing, most likely first. */
	struct cd_symptom_cause *ruled_out;
	size_t nruled_out;
	/* Causes that could not be checked (their rule failed to run). */
	struct cd_symptom_cause *unchecked;
	size_t nunchecked;
};

/* Keeps in res only the findings of rules that explain symptom (ordered by
 * likelihood, then severity) and fills view. os is the OS of the facts
 * (rules of another OS are neither causes found nor ruled out).
 * CD_ERR_NOT_FOUND when the symptom is not in the catalog. */
cd_err cd_symptom_narrow(struct cd_facts *f, const char *symptom, const char *os,
			 struct cd_results *res, struct cd_symptom_view *view);
void cd_symptom_view_release(struct cd_symptom_view *v);

#endif
