/* Serialized certificate store elements (src/probes/certser.c): the files of
 * other users' certificate stores are read from their profile folders, so
 * anything can be in them. Every input gives a certificate or a reason, the
 * certificate stays inside the input, and the names are valid UTF-8. */
#include <stdint.h>
#include <string.h>

#include "../../src/core/util.h"
#include "../../src/probes/certser.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cd_cert_element e;
	cd_cert_element_parse(data, size, &e);
	if (!e.cert && !e.error)
		__builtin_trap();
	if (e.cert && (e.cert < data || e.cert_len > size || (size_t)(e.cert - data) > size - e.cert_len))
		__builtin_trap();
	if ((e.provider && !cd_utf8_valid(e.provider, strlen(e.provider))) ||
	    (e.container && !cd_utf8_valid(e.container, strlen(e.container))))
		__builtin_trap();
	if ((e.provider || e.container) && !e.has_key_prov_info)
		__builtin_trap();
	cd_cert_element_release(&e);
	return 0;
}
