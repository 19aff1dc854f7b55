/* Certificate parsing (src/probes/x509.c): certificate values come from
 * vendor PKCS#11 modules, stores and files. Every input must give either the
 * facts of a certificate or a parse_error, and the row must take them. */
#include <stdint.h>
#include <string.h>

#include "../../src/core/facts.h"
#include "../../src/probes/x509.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cd_x509 x;
	struct cd_row r;
	cd_err e = cd_x509_parse(data, size, &x);
	/* Either parsed, or says why not. */
	if (e == CD_ERR_PARSE && !x.parse_error)
		__builtin_trap();
	if (e == CD_OK && (x.parse_error || !x.sha256))
		__builtin_trap();
	cd_row_init(&r, "certificates");
	cd_x509_fill_row(&x, &r);
	if (r.overflow)
		__builtin_trap();
	cd_x509_release(&x);
	return 0;
}
