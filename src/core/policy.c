/* Enterprise settings: interpretation of what the OS layer read
 * (src/platform/policy.h). See policy.h for the meaning of each value. */
#include "policy.h"

#include <stdlib.h>
#include <string.h>

#include "../platform/policy.h"
#include "actions.h"
#include "buf.h"
#include "repair.h"
#include "util.h"

static char *take_trimmed(char *s)
{
	char *t, *out;
	if (!s)
		return NULL;
	t = cd_trim(s);
	out = *t ? cd_strdup(t) : NULL;
	free(s);
	return out;
}

/* "a; b,c" (any of , ; space and newline as separators) -> "a,b,c". */
static char *normalise_list(const char *s)
{
	struct cd_buf b;
	const char *p = s;
	cd_buf_init(&b, 1 << 16);
	while (*p) {
		size_t n;
		while (*p && strchr(",; \t\r\n", *p))
			p++;
		n = strcspn(p, ",; \t\r\n");
		if (!n)
			break;
		if (b.len)
			cd_buf_addc(&b, ',');
		cd_buf_add(&b, p, n);
		p += n;
	}
	return cd_buf_detach(&b);
}

static enum cd_redaction_level parse_redaction(const char *s)
{
	if (!s)
		return CD_REDACTION_UNSET;
	if (cd_strieq(s, "0") || cd_strieq(s, "none") || cd_strieq(s, "off"))
		return CD_REDACTION_NONE;
	if (cd_strieq(s, "1") || cd_strieq(s, "standard") || cd_strieq(s, "default"))
		return CD_REDACTION_STANDARD;
	if (cd_strieq(s, "2") || cd_strieq(s, "strict") || cd_strieq(s, "enforced"))
		return CD_REDACTION_STRICT;
	return CD_REDACTION_UNSET;
}

void cd_policy_load(struct cd_policy *p)
{
	struct cd_policy_raw r;
	memset(p, 0, sizeof(*p));
	p->redaction = CD_REDACTION_UNSET;
	cd_policy_read(&r);
	p->default_platform = take_trimmed(r.default_platform);
	p->report_folder = take_trimmed(r.report_folder);
	if (r.allowed_actions) {
		p->allowed_actions = normalise_list(r.allowed_actions);
		if (p->allowed_actions && cd_strieq(p->allowed_actions, "none"))
			p->allowed_actions[0] = 0;
		free(r.allowed_actions);
	}
	p->redaction = parse_redaction(r.redaction ? cd_trim(r.redaction) : NULL);
	free(r.redaction);
	p->event_log = r.event_log && atoi(cd_trim(r.event_log)) != 0;
	free(r.event_log);
	p->source = r.source;
}

void cd_policy_release(struct cd_policy *p)
{
	free(p->default_platform);
	free(p->report_folder);
	free(p->allowed_actions);
	free(p->source);
	memset(p, 0, sizeof(*p));
	p->redaction = CD_REDACTION_UNSET;
}

static int in_list(const char *list, const char *kind)
{
	char item[128];
	const char *q = list;
	while (cd_split_next(&q, ',', item, sizeof(item)))
		if (!strcmp(item, "*") || cd_strieq(item, kind))
			return 1;
	return 0;
}

int cd_policy_action_allowed(const struct cd_policy *p, const char *kind)
{
	if (!p || !p->allowed_actions)
		return 1;
	return in_list(p->allowed_actions, kind);
}

char *cd_policy_forbidden_kinds(const struct cd_policy *p, const char *extra)
{
	struct cd_buf b;
	size_t n, i;
	const struct cd_action_kind *k = cd_action_kinds(&n);
	cd_buf_init(&b, 1 << 16);
	if (extra && *extra)
		cd_buf_adds(&b, extra);
	for (i = 0; i < n; i++) {
		if (cd_policy_action_allowed(p, k[i].name))
			continue;
		if (b.len)
			cd_buf_addc(&b, ',');
		cd_buf_adds(&b, k[i].name);
	}
	return cd_buf_detach(&b);
}

int cd_policy_redact(const struct cd_policy *p, int wish, int *refused)
{
	enum cd_redaction_level l = p ? p->redaction : CD_REDACTION_UNSET;
	if (refused)
		*refused = 0;
	if (l == CD_REDACTION_STRICT) {
		if (wish == 0 && refused)
			*refused = 1;
		return 1;
	}
	if (wish >= 0)
		return wish;
	return l == CD_REDACTION_NONE ? 0 : 1;
}

void cd_policy_log_repair(const struct cd_policy *p, const struct cd_plan *plan, long long run)
{
	struct cd_buf b;
	size_t i, n = 0, failed = 0;
	char *text;
	if (!p || !p->event_log || !plan || !run)
		return;
	cd_buf_init(&b, 1 << 20);
	/* Machine-readable like the scan's entry (cd_scan_summary): kinds and
	 * results, the same words as the journal and `repair --json`. */
	for (i = 0; i < plan->n; i++) {
		const struct cd_plan_item *it = &plan->v[i];
		if (it->state != CD_PLAN_READY)
			continue;
		failed += cd_streq(it->result, "failed");
		cd_buf_addf(&b, "%s%s (%s)", n++ ? ", " : ": ", it->act.kind, it->result ? it->result : "skipped");
	}
	text = cd_buf_detach(&b);
	if (text) {
		char *all = cd_aprintf("cadoctor %s: repair run %lld, %zu changes, %zu failed%s", CADOCTOR_VERSION, run, n,
				       failed, text);
		if (all)
			cd_eventlog_write(failed ? CD_EVENT_WARNING : CD_EVENT_INFO, all);
		free(all);
	}
	free(text);
}

void cd_policy_log_undo(const struct cd_policy *p, long long run, int complete)
{
	char *text;
	if (!p || !p->event_log || !run)
		return;
	text = cd_aprintf("cadoctor %s: repair run %lld undone%s", CADOCTOR_VERSION, run,
			  complete ? "" : ", some changes could not be undone");
	if (text)
		cd_eventlog_write(complete ? CD_EVENT_INFO : CD_EVENT_WARNING, text);
	free(text);
}
