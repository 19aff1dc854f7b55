#include "stanza.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "util.h"

#define STANZA_MAX_FILE ((size_t)64 << 20)

static int is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.';
}

static void stanza_release(struct cd_stanza *s)
{
	size_t i;
	for (i = 0; i < s->nfields; i++) {
		free(s->fields[i].name);
		free(s->fields[i].value);
	}
	free(s->fields);
	memset(s, 0, sizeof(*s));
}

void cd_stanza_file_release(struct cd_stanza_file *f)
{
	size_t i;
	for (i = 0; i < f->nstanzas; i++)
		stanza_release(&f->stanzas[i]);
	free(f->stanzas);
	free(f->path);
	memset(f, 0, sizeof(*f));
}

/* Parser state: the field being read collects its continuation lines. */
struct parse {
	struct cd_stanza_file file;
	struct cd_stanza cur;
	size_t fcap;
	size_t scap;
	struct cd_buf value;
	char *fname;
	int fline;
	int ffirst;
	size_t indent; /* indentation of the first continuation line, 0 = none yet */
};

static cd_err flush_field(struct parse *p)
{
	struct cd_field *f;
	char *v;
	if (!p->fname)
		return CD_OK;
	if (p->cur.nfields == p->fcap) {
		size_t ncap = p->fcap ? p->fcap * 2 : 8;
		struct cd_field *nf = realloc(p->cur.fields, ncap * sizeof(*nf));
		if (!nf)
			return CD_ERR_NOMEM;
		p->cur.fields = nf;
		p->fcap = ncap;
	}
	v = cd_buf_detach(&p->value);
	if (!v)
		return CD_ERR_NOMEM;
	f = &p->cur.fields[p->cur.nfields++];
	f->name = p->fname;
	f->value = v;
	f->line = p->fline;
	f->first_line = p->ffirst ? p->ffirst : p->fline;
	p->fname = NULL;
	p->indent = 0;
	return CD_OK;
}

static cd_err flush_stanza(struct parse *p)
{
	cd_err e = flush_field(p);
	if (e)
		return e;
	if (!p->cur.nfields)
		return CD_OK;
	if (p->file.nstanzas == p->scap) {
		size_t ncap = p->scap ? p->scap * 2 : 16;
		struct cd_stanza *ns = realloc(p->file.stanzas, ncap * sizeof(*ns));
		if (!ns)
			return CD_ERR_NOMEM;
		p->file.stanzas = ns;
		p->scap = ncap;
	}
	p->file.stanzas[p->file.nstanzas++] = p->cur;
	memset(&p->cur, 0, sizeof(p->cur));
	p->fcap = 0;
	return CD_OK;
}

cd_err cd_stanza_parse(const char *path, const char *text, size_t len,
		       struct cd_stanza_file *out, struct cd_diag *d)
{
	struct parse p;
	const char *pos = text, *end = text + len;
	int lineno = 0;
	cd_err e = CD_OK;

	memset(&p, 0, sizeof(p));
	cd_buf_init(&p.value, STANZA_MAX_FILE);
	if (!cd_utf8_valid(text, len)) {
		const char *q = text;
		int l = 1;
		while (q < end) {
			const char *s = q;
			if (cd_utf8_next(&q, end) < 0)
				break;
			if (*s == '\n')
				l++;
		}
		return cd_diag_set(d, CD_ERR_PARSE, path, l, "not valid UTF-8 text");
	}
	if (len >= 3 && memcmp(pos, "\xEF\xBB\xBF", 3) == 0)
		pos += 3;
	if (memchr(text, '\0', len))
		return cd_diag_set(d, CD_ERR_PARSE, path, 0, "contains a NUL byte (binary file?)");

	while (pos < end) {
		const char *nl = memchr(pos, '\n', (size_t)(end - pos));
		const char *lend = nl ? nl : end;
		size_t n = (size_t)(lend - pos);
		lineno++;
		if (n && pos[n - 1] == '\r')
			n--;

		if (n == 0) {
			if ((e = flush_stanza(&p)))
				goto fail;
		} else if (pos[0] == '#') {
			/* comment */
		} else if (pos[0] == ' ' || pos[0] == '\t') {
			/* Bounded by the line: the text need not be NUL-terminated. */
			size_t ws = 0;
			while (ws < n && (pos[ws] == ' ' || pos[ws] == '\t'))
				ws++;
			if (ws >= n) {
				/* white space only: ends the stanza like a blank line */
				if ((e = flush_stanza(&p)))
					goto fail;
			} else {
				if (!p.fname) {
					e = cd_diag_set(d, CD_ERR_PARSE, path, lineno,
							"continuation line without a field before it");
					goto fail;
				}
				if (!p.indent)
					p.indent = ws;
				if (!p.ffirst)
					p.ffirst = lineno;
				if (ws > p.indent)
					ws = p.indent;
				if (p.value.len)
					cd_buf_addc(&p.value, '\n');
				if (!(n - ws == 1 && pos[ws] == '.'))
					cd_buf_add(&p.value, pos + ws, n - ws);
			}
		} else {
			size_t k = 0;
			const char *v;
			size_t i;
			while (k < n && is_name_char(pos[k]))
				k++;
			if (k == 0 || k >= n || pos[k] != ':') {
				e = cd_diag_set(d, CD_ERR_PARSE, path, lineno,
						"expected \"Field: value\", a comment or a blank line");
				goto fail;
			}
			if ((e = flush_field(&p)))
				goto fail;
			p.fname = cd_strndup(pos, k);
			if (!p.fname) {
				e = CD_ERR_NOMEM;
				goto fail;
			}
			for (i = 0; i < p.cur.nfields; i++) {
				if (cd_strieq(p.cur.fields[i].name, p.fname)) {
					e = cd_diag_set(d, CD_ERR_PARSE, path, lineno,
							"field \"%s\" appears twice in one stanza (first on line %d)",
							p.fname, p.cur.fields[i].line);
					goto fail;
				}
			}
			if (!p.cur.nfields)
				p.cur.line = lineno;
			p.fline = lineno;
			v = pos + k + 1;
			while (v < pos + n && (*v == ' ' || *v == '\t'))
				v++;
			p.ffirst = v < pos + n ? lineno : 0;
			cd_buf_add(&p.value, v, (size_t)(pos + n - v));
			while (p.value.len && (p.value.data[p.value.len - 1] == ' ' ||
					       p.value.data[p.value.len - 1] == '\t'))
				p.value.data[--p.value.len] = '\0';
		}
		if (p.value.failed) {
			e = cd_diag_set(d, CD_ERR_LIMIT, path, lineno, "value too large");
			goto fail;
		}
		pos = nl ? nl + 1 : end;
	}
	if ((e = flush_stanza(&p)))
		goto fail;
	p.file.path = cd_strdup(path);
	*out = p.file;
	return CD_OK;
fail:
	if (e == CD_ERR_NOMEM)
		cd_diag_set(d, e, path, lineno, "out of memory");
	free(p.fname);
	cd_buf_release(&p.value);
	stanza_release(&p.cur);
	cd_stanza_file_release(&p.file);
	return e;
}

cd_err cd_stanza_load(const char *path, struct cd_stanza_file *out, struct cd_diag *d)
{
	char *text;
	size_t len;
	cd_err e = cd_read_file(path, STANZA_MAX_FILE, &text, &len);
	if (e)
		return cd_diag_set(d, e, path, 0, "cannot read (%s)", cd_err_name(e));
	e = cd_stanza_parse(path, text, len, out, d);
	free(text);
	return e;
}

const struct cd_field *cd_stanza_field(const struct cd_stanza *s, const char *name)
{
	size_t i;
	for (i = 0; i < s->nfields; i++)
		if (cd_strieq(s->fields[i].name, name))
			return &s->fields[i];
	return NULL;
}

const char *cd_stanza_get(const struct cd_stanza *s, const char *name)
{
	const struct cd_field *f = cd_stanza_field(s, name);
	return f ? f->value : NULL;
}
