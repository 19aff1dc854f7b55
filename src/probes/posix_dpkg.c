/* Installed Debian packages (Debian, UOS, Kylin): /var/lib/dpkg/status.
 * Vendor middleware for USB keys usually comes as a .deb, so this is where a
 * half-installed or removed driver shows.
 *
 * The parser is deliberately tolerant, unlike src/core/stanza: a status file
 * damaged by a crash or a bad vendor script still holds every other package,
 * and the diagnosis needs them. Garbage lines are counted, reported once and
 * skipped. */
#include <stdlib.h>
#include <string.h>

#include "../core/probe.h"
#include "../core/util.h"
#include "../platform/platform.h"

#define STATUS_FILE "/var/lib/dpkg/status"
#define MAX_STATUS_BYTES ((size_t)512 << 20)

/* The fields of one stanza that are kept; values point into the file text. */
struct pkg {
	const char *package;
	const char *status;
	const char *version;
	const char *maintainer;
	const char *arch;
	int first_line; /* 0 while no field has been seen */
};

struct bad_lines {
	long count;
	long first;
};

static void bad_line(struct bad_lines *b, long lineno)
{
	if (!b->count++)
		b->first = lineno;
}

/* deb822 field names: printable ASCII without ':' and white space, not
 * starting with '#' or '-'. */
static int field_name_ok(const char *s, size_t n)
{
	size_t i;
	if (!n || s[0] == '#' || s[0] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 32 || (unsigned char)s[i] >= 127)
			return 0;
	return 1;
}

/* The dpkg state: the third word of "Status: want flag state". */
static char *status_state(const char *status)
{
	const char *p = status;
	int word;
	size_t n;

	for (word = 0; word < 2; word++) {
		p += strspn(p, " \t");
		p += strcspn(p, " \t");
	}
	p += strspn(p, " \t");
	n = strcspn(p, " \t");
	return n ? cd_strndup(p, n) : NULL;
}

static void emit(struct cd_probe_ctx *ctx, struct pkg *pk, struct bad_lines *bad)
{
	struct cd_row r;
	char *state;

	if (!pk->first_line)
		return;
	/* Fields without a Package: line belong to no package: damage. */
	if (!pk->package || !*pk->package) {
		bad_line(bad, pk->first_line);
		goto out;
	}
	state = pk->status ? status_state(pk->status) : NULL;
	if (state && !strcmp(state, "not-installed")) {
		free(state);
		goto out;
	}
	cd_row_init(&r, "programs");
	cd_row_text(&r, "source", "dpkg");
	cd_row_text(&r, "key", pk->package);
	cd_row_text(&r, "name", pk->package);
	cd_row_text(&r, "version", pk->version);
	cd_row_text(&r, "publisher", pk->maintainer);
	cd_row_text(&r, "status", state);
	cd_row_text(&r, "arch", pk->arch);
	if (cd_row_insert(ctx->facts, &r))
		cd_probe_error(ctx, pk->package, CD_ERR_SQL, "cannot store the package row");
	free(state);
out:
	memset(pk, 0, sizeof(*pk));
}

/* One pass over the text, each line split off in place. */
static void parse_status(struct cd_probe_ctx *ctx, char *text, size_t len, struct bad_lines *bad)
{
	struct pkg pk = { 0 };
	char *p = text, *end = text + len;
	long lineno = 0;
	int in_field = 0;

	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p)), *line = p, *colon, *value;
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		p = nl ? nl + 1 : end;
		lineno++;
		line[n] = '\0'; /* the '\n', or the terminating NUL of the buffer */
		if (n && line[n - 1] == '\r')
			line[--n] = '\0';
		if (strlen(line) != n) { /* NUL bytes: binary garbage */
			bad_line(bad, lineno);
			continue;
		}
		if (!*cd_trim(line)) {
			emit(ctx, &pk, bad);
			in_field = 0;
			continue;
		}
		if (line[0] == ' ' || line[0] == '\t') {
			/* Continuation of a multi-line field; nothing kept needs it. */
			if (!in_field)
				bad_line(bad, lineno);
			continue;
		}
		colon = strchr(line, ':');
		if (!colon || !field_name_ok(line, (size_t)(colon - line))) {
			/* The stanza goes on: one bad line must not cost the package. */
			bad_line(bad, lineno);
			continue;
		}
		*colon = '\0';
		value = cd_trim(colon + 1);
		in_field = 1;
		if (!pk.first_line)
			pk.first_line = (int)lineno;
		/* deb822 field names are case-insensitive. */
		if (cd_strieq(line, "Package"))
			pk.package = value;
		else if (cd_strieq(line, "Status"))
			pk.status = value;
		else if (cd_strieq(line, "Version"))
			pk.version = value;
		else if (cd_strieq(line, "Maintainer"))
			pk.maintainer = value;
		else if (cd_strieq(line, "Architecture"))
			pk.arch = value;
	}
	emit(ctx, &pk, bad);
}

static cd_err collect_dpkg(struct cd_probe_ctx *ctx)
{
	struct bad_lines bad = { 0, 0 };
	char *path = cd_probe_path(ctx, STATUS_FILE), *text = NULL, *dpkg_dir;
	size_t len = 0;
	cd_err e;
	int has_dpkg;

	if (!path)
		return CD_ERR_NOMEM;
	e = cd_read_file(path, MAX_STATUS_BYTES, &text, &len);
	free(path);
	if (e == CD_ERR_NOT_FOUND) {
		/* No dpkg at all (an RPM-based system): not applicable, not a failure. */
		dpkg_dir = cd_probe_path(ctx, "/var/lib/dpkg");
		has_dpkg = cd_is_dir(dpkg_dir);
		free(dpkg_dir);
		if (!has_dpkg)
			return CD_ERR_UNSUPPORTED;
	}
	if (e) {
		cd_probe_error(ctx, STATUS_FILE, e, "cannot read the package list: %s",
			       cd_err_message(e));
		return CD_OK;
	}
	parse_status(ctx, text, len, &bad);
	if (bad.count)
		cd_probe_error(ctx, STATUS_FILE, CD_ERR_PARSE,
			       "%ld line(s) are not package fields (first: line %ld); "
			       "they were skipped and the other packages read",
			       bad.count, bad.first);
	free(text);
	return CD_OK;
}

const struct cd_probe cd_probe_posix_dpkg = {
	"linux.dpkg",
	"programs",
	collect_dpkg,
};
