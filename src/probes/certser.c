/* Serialized certificate store elements: see certser.h. */
#include "certser.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/util.h"

#define KPI_HEADER 28 /* seven u32 fields */

static uint32_t u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Keeps the first problem only: later ones are usually its consequences. */
static void note(struct cd_cert_element *e, char *msg)
{
	if (!e->error)
		e->error = msg;
	else
		free(msg);
}

static void put_utf8(struct cd_buf *b, uint32_t c)
{
	char o[4];
	size_t n;
	if (c < 0x80) {
		o[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		o[0] = (char)(0xc0 | c >> 6);
		o[1] = (char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		o[0] = (char)(0xe0 | c >> 12);
		o[1] = (char)(0x80 | (c >> 6 & 0x3f));
		o[2] = (char)(0x80 | (c & 0x3f));
		n = 3;
	} else {
		o[0] = (char)(0xf0 | c >> 18);
		o[1] = (char)(0x80 | (c >> 12 & 0x3f));
		o[2] = (char)(0x80 | (c >> 6 & 0x3f));
		o[3] = (char)(0x80 | (c & 0x3f));
		n = 4;
	}
	cd_buf_add(b, o, n);
}

/* The NUL-terminated UTF-16LE string at v[off..len) as new UTF-8 (unpaired
 * surrogates become U+FFFD). NULL with *why set when it does not fit. */
static char *utf16_at(const unsigned char *v, size_t len, uint32_t off, const char **why)
{
	struct cd_buf b;
	size_t i;
	if (off < KPI_HEADER || off >= len) {
		*why = "points outside the key provider info";
		return NULL;
	}
	cd_buf_init(&b, 0);
	for (i = off; i + 1 < len; i += 2) {
		uint32_t c = (uint32_t)v[i] | (uint32_t)v[i + 1] << 8;
		if (c == 0) {
			char *s = cd_buf_detach(&b);
			return s ? s : cd_strdup("");
		}
		if (c >= 0xd800 && c < 0xdc00 && i + 3 < len) {
			uint32_t lo = (uint32_t)v[i + 2] | (uint32_t)v[i + 3] << 8;
			if (lo >= 0xdc00 && lo < 0xe000) {
				put_utf8(&b, 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00));
				i += 2;
				continue;
			}
		}
		put_utf8(&b, c >= 0xd800 && c < 0xe000 ? 0xfffd : c);
	}
	cd_buf_release(&b);
	*why = "has no terminating NUL inside the key provider info";
	return NULL;
}

static void key_prov_info(struct cd_cert_element *e, const unsigned char *v, size_t len)
{
	const char *why = NULL;
	uint32_t coff, poff;
	e->has_key_prov_info = 1;
	if (len < KPI_HEADER) {
		note(e, cd_aprintf("the key provider info is %zu bytes, shorter than its %d-byte header", len,
				   KPI_HEADER));
		return;
	}
	coff = u32(v);
	poff = u32(v + 4);
	e->prov_type = u32(v + 8);
	e->key_spec = u32(v + 24);
	if (poff) {
		free(e->provider);
		e->provider = utf16_at(v, len, poff, &why);
		if (why)
			note(e, cd_aprintf("the provider name (offset %lu) %s", (unsigned long)poff, why));
	}
	why = NULL;
	if (coff) {
		free(e->container);
		e->container = utf16_at(v, len, coff, &why);
		if (why)
			note(e, cd_aprintf("the container name (offset %lu) %s", (unsigned long)coff, why));
	}
}

void cd_cert_element_parse(const unsigned char *buf, size_t n, struct cd_cert_element *e)
{
	size_t off = 0;
	int index = 0;
	memset(e, 0, sizeof(*e));
	if (!buf)
		n = 0;
	while (n - off >= 12) {
		uint32_t id = u32(buf + off), len = u32(buf + off + 8);
		const unsigned char *v = buf + off + 12;
		if (len > n - off - 12) {
			note(e, cd_aprintf("element %d (property %lu) says %lu bytes but only %zu follow", index,
					   (unsigned long)id, (unsigned long)len, n - off - 12));
			off = n;
			break;
		}
		if (id == 0 && len == 0) {
			off += 12; /* an end marker, as in a serialized store */
			break;
		}
		if (id == CD_CERTSER_PROP_CERT && !e->cert) {
			e->cert = v;
			e->cert_len = len;
		} else if (id == CD_CERTSER_PROP_KEY_PROV_INFO && !e->has_key_prov_info) {
			key_prov_info(e, v, len);
		}
		off += 12 + (size_t)len;
		index++;
	}
	if (off < n && n - off < 12)
		note(e, cd_aprintf("%zu bytes after the last element are no element", n - off));
	if (!e->cert)
		note(e, cd_strdup(n ? "no certificate (property 32) in the element" : "empty: no element at all"));
}

void cd_cert_element_release(struct cd_cert_element *e)
{
	free(e->provider);
	free(e->container);
	free(e->error);
	memset(e, 0, sizeof(*e));
}
