/* Enterprise settings on Linux: one stanza in /etc/cadoctor/policy.conf
 * (or the file named by CADOCTOR_POLICY_FILE), fields named as the Windows
 * registry values:
 *     DefaultPlatform: lnwlzb
 *     ReportFolder: /srv/reports
 *     AllowedRepairActions: service_start, registry_set
 *     RedactionLevel: strict
 *     EventLog: 1
 * A missing or unreadable file sets nothing. There is no event log here. */
#include <stdlib.h>
#include <string.h>

#include "../core/stanza.h"
#include "../core/util.h"
#include "platform.h"
#include "policy.h"

#define POLICY_FILE "/etc/cadoctor/policy.conf"

static char *field(const struct cd_stanza *s, const char *name)
{
	const char *v = cd_stanza_get(s, name);
	return v && *v ? cd_strdup(v) : NULL;
}

void cd_policy_read(struct cd_policy_raw *r)
{
	struct cd_stanza_file sf;
	struct cd_diag d;
	const char *path = cd_getenv("CADOCTOR_POLICY_FILE");
	memset(r, 0, sizeof(*r));
	if (!path || !*path)
		path = POLICY_FILE;
	if (!cd_path_exists(path) || cd_stanza_load(path, &sf, &d) != CD_OK)
		return;
	if (sf.nstanzas > 0) {
		const struct cd_stanza *s = &sf.stanzas[0];
		r->default_platform = field(s, "DefaultPlatform");
		r->report_folder = field(s, "ReportFolder");
		r->allowed_actions = field(s, "AllowedRepairActions");
		r->redaction = field(s, "RedactionLevel");
		r->event_log = field(s, "EventLog");
		r->source = cd_strdup(path);
	}
	cd_stanza_file_release(&sf);
}

int cd_eventlog_write(enum cd_event_type type, const char *text)
{
	(void)type;
	(void)text;
	return -1;
}
