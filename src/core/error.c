#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static const struct {
	cd_err code;
	const char *name;
} err_names[] = {
	{CD_OK, "ok"},
	{CD_ERR_NOMEM, "nomem"},
	{CD_ERR_IO, "io"},
	{CD_ERR_PARSE, "parse"},
	{CD_ERR_SQL, "sql"},
	{CD_ERR_NOT_FOUND, "not_found"},
	{CD_ERR_INVALID, "invalid"},
	{CD_ERR_TIMEOUT, "timeout"},
	{CD_ERR_DENIED, "denied"},
	{CD_ERR_UNSUPPORTED, "unsupported"},
	{CD_ERR_LIMIT, "limit"},
	{CD_ERR_NET, "network"},
	{CD_ERR_VERSION, "version"},
	{CD_ERR_CRASH, "crash"},
	{CD_ERR_INTERNAL, "internal"},
};

const char *cd_err_name(cd_err e)
{
	size_t i;
	for (i = 0; i < sizeof(err_names) / sizeof(err_names[0]); i++)
		if (err_names[i].code == e)
			return err_names[i].name;
	return "unknown";
}

void cd_diag_clear(struct cd_diag *d)
{
	if (d)
		memset(d, 0, sizeof(*d));
}

cd_err cd_diag_set(struct cd_diag *d, cd_err code, const char *file, int line,
		   const char *fmt, ...)
{
	va_list ap;
	if (!d)
		return code;
	d->code = code;
	d->line = line;
	snprintf(d->file, sizeof(d->file), "%s", file ? file : "");
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	return code;
}

void cd_diag_list_add(struct cd_diag_list *l, const struct cd_diag *d)
{
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 8;
		struct cd_diag *p = realloc(l->v, ncap * sizeof(*p));
		if (!p)
			return; /* dropping a diagnostic beats crashing; the count shows it */
		l->v = p;
		l->cap = ncap;
	}
	l->v[l->n++] = *d;
}

void cd_diag_list_release(struct cd_diag_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}
