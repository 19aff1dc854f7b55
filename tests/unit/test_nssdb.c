/* The pkcs11.txt parser (src/probes/nss_db.c) that the Linux NSS probe and
 * the Windows Firefox security-device probe share: modules in order, quotes
 * removed, the internal module (empty library=) skipped, a last block
 * without a blank line after it, CRLF files, junk lines ignored. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/probes/nss_db.h"
#include "check.h"

struct seen {
	int n;
	char lib[8][128], name[8][128];
};

static void on_module(void *ud, const char *lib, const char *name)
{
	struct seen *s = ud;
	if (s->n >= 8)
		return;
	snprintf(s->lib[s->n], sizeof(s->lib[0]), "%s", lib);
	snprintf(s->name[s->n], sizeof(s->name[0]), "%s", name ? name : "(null)");
	s->n++;
}

static void parse(const char *text, struct seen *s)
{
	char *copy = strdup(text);
	memset(s, 0, sizeof(*s));
	cd_nss_db_parse(copy, on_module, s);
	free(copy);
}

int main(void)
{
	struct seen s;

	/* As NSS writes it: the internal module first, then modutil's. */
	parse("library=\nname=\"NSS Internal PKCS #11 Module\"\nparameters=configdir='sql:/x'\n"
	      "NSS=Flags=internal,critical trustOrder=75\n\n"
	      "library=/usr/lib/softhsm/libsofthsm2.so\nname=\"SoftHSM\"\n",
	      &s);
	CHECK(s.n == 1);
	CHECK_STR(s.lib[0], "/usr/lib/softhsm/libsofthsm2.so");
	CHECK_STR(s.name[0], "SoftHSM");

	/* Windows: CRLF, a path with spaces and Chinese, name after library,
	 * two modules, junk between them. */
	parse("name=\"飞天\"\r\nlibrary=\"C:\\Program Files\\飞天\\eps2003csp11.dll\"\r\n\r\n"
	      "garbage without equals\r\nlibrary=C:\\x\\b.dll\r\n",
	      &s);
	CHECK(s.n == 2);
	CHECK_STR(s.lib[0], "C:\\Program Files\\飞天\\eps2003csp11.dll");
	CHECK_STR(s.name[0], "飞天");
	CHECK_STR(s.lib[1], "C:\\x\\b.dll");
	CHECK_STR(s.name[1], "(null)");

	/* Nothing to report: empty, only the internal module, a lone quote. */
	parse("", &s);
	CHECK(s.n == 0);
	parse("library=\n\n\n", &s);
	CHECK(s.n == 0);
	parse("library=\"", &s);
	CHECK(s.n == 1 && !strcmp(s.lib[0], "\""));
	return check_summary("test_nssdb");
}
