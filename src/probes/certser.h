/* Serialized certificate store elements: the files under a user's
 * %APPDATA%\Microsoft\SystemCertificates\My\Certificates\<SHA1> (and the
 * "Blob" values of registry-backed stores), as CertSerializeCertificate-
 * StoreElement writes them. Read without CryptoAPI so that the files of users
 * who are not logged on can be read from their profile folders (CryptoAPI
 * opens only the current user's store), and so the parser is tested and
 * fuzzed on Linux.
 *
 * Format ([MS-GPEF] 2.2.1.1.1.1 "Certificate BLOB Properties"): a sequence
 * of elements, each { u32 property id, u32 reserved (1), u32 length, length
 * bytes }, all little-endian. Property 32 (CERT_CERT_PROP_ID) is the DER
 * certificate; property 2 (CERT_KEY_PROV_INFO_PROP_ID) is CRYPT_KEY_PROV_INFO
 * with its pointers replaced by offsets from the start of the value:
 *   u32 container offset, u32 provider offset, u32 provider type, u32 flags,
 *   u32 provider parameter count, u32 parameters offset, u32 key spec,
 * then the names as NUL-terminated UTF-16LE strings (offset 0: no name). */
#ifndef CD_CERTSER_H
#define CD_CERTSER_H

#include <stddef.h>

#define CD_CERTSER_PROP_KEY_PROV_INFO 2
#define CD_CERTSER_PROP_CERT 32

struct cd_cert_element {
	const unsigned char *cert; /* DER certificate inside the parsed buffer; NULL if none */
	size_t cert_len;
	int has_key_prov_info;  /* property 2 is present (even if unreadable) */
	char *provider;         /* CSP / KSP name, UTF-8; NULL when absent or unreadable */
	char *container;        /* key container name, UTF-8 */
	unsigned long prov_type, key_spec;
	char *error;            /* what was wrong with the element, if anything (UTF-8) */
};

/* Parses buf[0..n). Never fails outright: what could be read is filled in,
 * and e->error says what could not (no certificate, an element running past
 * the end, a key provider info whose offsets point outside it, ...). Release
 * with cd_cert_element_release. */
void cd_cert_element_parse(const unsigned char *buf, size_t n, struct cd_cert_element *e);
void cd_cert_element_release(struct cd_cert_element *e);

#endif
