/* pkcs11.txt, the module database of NSS (Firefox profiles, ~/.pki/nssdb,
 * /etc/pki/nssdb): the one parser both OSes' probes use. */
#ifndef CD_NSS_DB_H
#define CD_NSS_DB_H

/* Called once per module block that names a library; name may be NULL. */
typedef void (*cd_nss_module_fn)(void *ud, const char *library, const char *name);

/* Parses text (modified in place): blocks of key=value lines separated by
 * blank lines, one block per module. The internal NSS module has an empty
 * library= and is not reported: it is not a PKCS#11 library of its own. */
void cd_nss_db_parse(char *text, cd_nss_module_fn fn, void *ud);

#endif
