#include "template.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Calls fn for each placeholder: name (not NUL-terminated) and filter. */
typedef int (*placeholder_fn)(void *ud, const char *name, size_t nlen, const char *filter,
			      size_t flen, struct cd_buf *out);

static cd_err walk(const char *t, placeholder_fn fn, void *ud, struct cd_buf *out)
{
	while (*t) {
		if (t[0] == '{' && t[1] == '{') {
			if (out)
				cd_buf_addc(out, '{');
			t += 2;
		} else if (t[0] == '}' && t[1] == '}') {
			if (out)
				cd_buf_addc(out, '}');
			t += 2;
		} else if (t[0] == '{') {
			const char *end = strchr(t, '}');
			const char *colon;
			if (!end)
				return CD_ERR_PARSE;
			colon = memchr(t + 1, ':', (size_t)(end - t - 1));
			if (fn(ud, t + 1, (size_t)((colon ? colon : end) - t - 1), colon ? colon + 1 : "",
			       colon ? (size_t)(end - colon - 1) : 0, out))
				return CD_ERR_PARSE;
			t = end + 1;
		} else {
			const char *next = t + 1;
			while (*next && *next != '{' && *next != '}')
				next++;
			if (out)
				cd_buf_add(out, t, (size_t)(next - t));
			t = next;
		}
	}
	return CD_OK;
}

struct check_ctx {
	const char *const *cols;
	int ncols;
	char *bad;
	size_t badlen;
};

static int check_one(void *ud, const char *name, size_t nlen, const char *filter, size_t flen,
		     struct cd_buf *out)
{
	struct check_ctx *c = ud;
	int i;
	(void)out;
	if (flen && !(flen == 4 && !strncmp(filter, "date", 4)) &&
	    !(flen == 8 && !strncmp(filter, "datetime", 8))) {
		snprintf(c->bad, c->badlen, "{%.*s:%.*s} (unknown format)", (int)nlen, name, (int)flen,
			 filter);
		return 1;
	}
	for (i = 0; i < c->ncols; i++)
		if (strlen(c->cols[i]) == nlen && !strncmp(c->cols[i], name, nlen))
			return 0;
	snprintf(c->bad, c->badlen, "{%.*s}", (int)nlen, name);
	return 1;
}

cd_err cd_template_check(const char *tmpl, const char *const *cols, int ncols, char *bad,
			 size_t badlen)
{
	struct check_ctx c = {cols, ncols, bad, badlen};
	cd_err e;
	bad[0] = '\0';
	e = walk(tmpl, check_one, &c, NULL);
	if (e && !bad[0])
		snprintf(bad, badlen, "an unclosed '{'");
	return e;
}

struct render_ctx {
	cd_template_lookup lookup;
	void *ud;
};

static int render_one(void *ud, const char *name, size_t nlen, const char *filter, size_t flen,
		      struct cd_buf *out)
{
	struct render_ctx *r = ud;
	char key[128], when[32];
	const char *v;
	int found = 1;
	if (nlen >= sizeof(key))
		nlen = sizeof(key) - 1;
	memcpy(key, name, nlen);
	key[nlen] = '\0';
	v = r->lookup(r->ud, key, &found);
	if (!v) {
		cd_buf_adds(out, "-");
		return 0;
	}
	if (flen) {
		char *end;
		long long t = strtoll(v, &end, 10);
		if (*end == '\0' && end != v) {
			cd_format_utc(t, when, sizeof(when));
			if (flen == 4) {
				when[10] = '\0';
			} else {
				when[10] = ' ';
				when[16] = '\0';
				cd_buf_adds(out, when);
				cd_buf_adds(out, " UTC");
				return 0;
			}
			cd_buf_adds(out, when);
			return 0;
		}
	}
	cd_buf_adds(out, v);
	return 0;
}

cd_err cd_template_render(const char *tmpl, cd_template_lookup lookup, void *ud, struct cd_buf *out)
{
	struct render_ctx r = {lookup, ud};
	cd_err e = walk(tmpl, render_one, &r, out);
	if (!e && !cd_buf_str(out))
		e = CD_ERR_NOMEM;
	return e;
}

char *cd_template_fill_args(const char *t, const char *const *keys, const char *const *values,
			    size_t n)
{
	struct cd_buf b;
	size_t i;
	cd_buf_init(&b, 1 << 16);
	while (*t) {
		const char *o = strchr(t, '{'), *c;
		if (!o || !(c = strchr(o, '}'))) {
			cd_buf_adds(&b, t);
			break;
		}
		cd_buf_add(&b, t, (size_t)(o - t));
		for (i = 0; i < n; i++)
			if (strlen(keys[i]) == (size_t)(c - o - 1) && !strncmp(keys[i], o + 1, (size_t)(c - o - 1)))
				break;
		cd_buf_adds(&b, i < n && values[i] ? values[i] : "");
		t = c + 1;
	}
	return cd_buf_detach(&b);
}
