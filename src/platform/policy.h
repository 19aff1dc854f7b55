/* Enterprise settings as the OS stores them, and the OS's event log. The
 * platform layer only reads raw text; src/core/policy.c interprets it.
 *   Windows: HKLM\SOFTWARE\Policies\cadoctor (installer/cadoctor.admx)
 *   Linux:   /etc/cadoctor/policy.conf, one stanza (docs/deploy.md); the
 *            environment variable CADOCTOR_POLICY_FILE names another file. */
#ifndef CD_PLATFORM_POLICY_H
#define CD_PLATFORM_POLICY_H

/* Each value is a new UTF-8 string (free()) or NULL when not set. A
 * REG_MULTI_SZ comes as a comma list, a REG_DWORD as decimal text, a
 * REG_EXPAND_SZ expanded. */
struct cd_policy_raw {
	char *default_platform; /* DefaultPlatform */
	char *report_folder;    /* ReportFolder */
	char *allowed_actions;  /* AllowedRepairActions */
	char *redaction;        /* RedactionLevel */
	char *event_log;        /* EventLog */
	char *source;           /* where the settings were read, NULL if nowhere */
};

/* Fills r (zeroed first); never fails: what cannot be read is not set. */
void cd_policy_read(struct cd_policy_raw *r);

/* Event log severities. */
enum cd_event_type { CD_EVENT_INFO = 0, CD_EVENT_WARNING = 1, CD_EVENT_ERROR = 2 };

/* One entry in the Windows Application event log (source "cadoctor", event
 * id CD_EVENT_ID; the installer registers the message file). Elsewhere it
 * does nothing. Returns 0 when written. */
#define CD_EVENT_ID 1000
int cd_eventlog_write(enum cd_event_type type, const char *text);

#endif
