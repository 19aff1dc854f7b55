#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cd_buf_init(struct cd_buf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max ? max : CD_BUF_MAX_DEFAULT;
}

static cd_err buf_fail(struct cd_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->failed = 1;
	return CD_ERR_NOMEM;
}

static cd_err buf_reserve(struct cd_buf *b, size_t extra)
{
	size_t need, ncap;
	char *p;

	if (b->failed)
		return CD_ERR_NOMEM;
	if (extra > b->max || b->len > b->max - extra - 1)
		return buf_fail(b);
	need = b->len + extra + 1;
	if (need <= b->cap)
		return CD_OK;
	ncap = b->cap ? b->cap : 64;
	while (ncap < need)
		ncap = ncap > b->max / 2 ? b->max + 1 : ncap * 2;
	p = realloc(b->data, ncap);
	if (!p)
		return buf_fail(b);
	b->data = p;
	b->cap = ncap;
	return CD_OK;
}

cd_err cd_buf_add(struct cd_buf *b, const void *p, size_t n)
{
	cd_err e = buf_reserve(b, n);
	if (e)
		return e;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return CD_OK;
}

cd_err cd_buf_adds(struct cd_buf *b, const char *s)
{
	return cd_buf_add(b, s ? s : "", s ? strlen(s) : 0);
}

cd_err cd_buf_addc(struct cd_buf *b, char c)
{
	return cd_buf_add(b, &c, 1);
}

cd_err cd_buf_vaddf(struct cd_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	cd_err e;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return buf_fail(b);
	e = buf_reserve(b, (size_t)n);
	if (e)
		return e;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return CD_OK;
}

cd_err cd_buf_addf(struct cd_buf *b, const char *fmt, ...)
{
	va_list ap;
	cd_err e;
	va_start(ap, fmt);
	e = cd_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return e;
}

const char *cd_buf_str(const struct cd_buf *b)
{
	if (b->failed)
		return NULL;
	return b->data ? b->data : "";
}

void cd_buf_release(struct cd_buf *b)
{
	size_t max = b->max;
	free(b->data);
	cd_buf_init(b, max);
}

char *cd_buf_detach(struct cd_buf *b)
{
	char *p;
	size_t max = b->max;
	if (b->failed) {
		cd_buf_init(b, max);
		return NULL;
	}
	p = b->data ? b->data : calloc(1, 1);
	cd_buf_init(b, max);
	return p;
}
