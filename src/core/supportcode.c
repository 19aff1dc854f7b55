/* Support codes (supportcode.h). */
#include "supportcode.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "findings.h"
#include "util.h"

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* Multiplication by x in GF(32) modulo x^5 + x^2 + 1. */
static unsigned gf_mul2(unsigned v)
{
	v <<= 1;
	return v & 32 ? (v ^ 0x25) & 31 : v;
}

/* Damm: r -> 2r + s is a totally anti-symmetric quasigroup over GF(32). */
static unsigned damm(const unsigned char *sym, size_t n)
{
	unsigned r = 0;
	size_t i;
	for (i = 0; i < n; i++)
		r = gf_mul2(r) ^ sym[i];
	return r;
}

unsigned cd_support_code_tag(const char *rules_version)
{
	unsigned v = 0, i;
	const char *p = rules_version ? rules_version : "";
	for (i = 0; i < 4; i++) {
		char c = p[i];
		unsigned d;
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			break;
		v = v << 4 | d;
	}
	if (i == 4)
		return v >> 1;
	/* not hex: any stable 15 bits of it */
	v = 2166136261u;
	for (; *p; p++) {
		v ^= (unsigned char)*p;
		v *= 16777619u;
	}
	return v & 0x7fff;
}

static int cmp_unsigned(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
	return x < y ? -1 : x > y;
}

cd_err cd_support_code_encode(unsigned tag, const unsigned *idx, size_t n, char *out, size_t outlen)
{
	unsigned char sym[CD_SUPPORT_CODE_MAX], list[CD_SUPPORT_CODE_MAX], bits[CD_SUPPORT_CODE_MAX];
	unsigned *s = NULL, prev;
	size_t nl = 0, nb = 0, ns = 0, i, k, u = 0;
	int mode, list_too_long = 0;

	if (n) {
		s = malloc(n * sizeof(*s));
		if (!s)
			return CD_ERR_NOMEM;
		memcpy(s, idx, n * sizeof(*s));
		qsort(s, n, sizeof(*s), cmp_unsigned);
		for (i = 0; i < n; i++)
			if (!u || s[u - 1] != s[i])
				s[u++] = s[i];
		if (s[u - 1] > CD_SUPPORT_CODE_MAX_INDEX) {
			free(s);
			return CD_ERR_LIMIT;
		}
	}
	/* list of gaps as varints */
	prev = (unsigned)-1;
	for (i = 0; i < u; i++) {
		unsigned gap = s[i] - prev - 1;
		prev = s[i];
		if (nl + 4 > sizeof(list)) {
			list_too_long = 1; /* the bitset, at most 820 symbols, is shorter */
			break;
		}
		do {
			unsigned v = gap & 15;
			gap >>= 4;
			list[nl++] = (unsigned char)(v | (gap ? 16 : 0));
		} while (gap);
	}
	/* bitset */
	if (u) {
		nb = s[u - 1] / 5 + 1;
		memset(bits, 0, nb);
		for (i = 0; i < u; i++)
			bits[s[i] / 5] |= (unsigned char)(1u << (s[i] % 5));
	}
	free(s);
	mode = u && (list_too_long || nb < nl);
	sym[ns++] = (unsigned char)(CD_SUPPORT_CODE_FORMAT * 4 + mode);
	sym[ns++] = (unsigned char)(tag >> 10 & 31);
	sym[ns++] = (unsigned char)(tag >> 5 & 31);
	sym[ns++] = (unsigned char)(tag & 31);
	memcpy(sym + ns, mode ? bits : list, mode ? nb : nl);
	ns += mode ? nb : nl;
	sym[ns] = (unsigned char)gf_mul2(damm(sym, ns));
	ns++;
	if (outlen < ns + ns / 4 + 1)
		return CD_ERR_LIMIT;
	for (i = 0, k = 0; i < ns; i++) {
		if (i && i % 4 == 0)
			out[k++] = '-';
		out[k++] = alphabet[sym[i]];
	}
	out[k] = '\0';
	return CD_OK;
}

static int symbol_value(char c)
{
	const char *p;
	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	if (c == 'I' || c == 'L')
		c = '1';
	else if (c == 'O')
		c = '0';
	p = c ? strchr(alphabet, c) : NULL;
	return p ? (int)(p - alphabet) : -1;
}

cd_err cd_support_code_decode(const char *code, unsigned *tag, unsigned **idx, size_t *n)
{
	unsigned char sym[CD_SUPPORT_CODE_MAX];
	unsigned *v = NULL, prev;
	size_t ns = 0, i, nv = 0, cap;
	int format, mode;

	for (; *code; code++) {
		int x;
		if (*code == '-' || *code == ' ' || *code == '\t')
			continue;
		x = symbol_value(*code);
		if (x < 0 || ns == sizeof(sym))
			return CD_ERR_PARSE;
		sym[ns++] = (unsigned char)x;
	}
	if (ns < 5)
		return CD_ERR_PARSE;
	if (damm(sym, ns) != 0)
		return CD_ERR_INVALID;
	format = sym[0] >> 2;
	mode = sym[0] & 3;
	if (format != CD_SUPPORT_CODE_FORMAT)
		return CD_ERR_VERSION;
	if (mode > 1)
		return CD_ERR_PARSE;
	ns--; /* the check symbol */
	cap = mode ? (ns - 4) * 5 : ns - 4;
	v = malloc((cap ? cap : 1) * sizeof(*v));
	if (!v)
		return CD_ERR_NOMEM;
	if (mode) {
		if (sym[ns - 1] == 0 || (ns - 4) * 5 > CD_SUPPORT_CODE_MAX_INDEX + 5)
			goto bad;
		for (i = 4; i < ns; i++) {
			unsigned b;
			for (b = 0; b < 5; b++)
				if (sym[i] & (1u << b))
					v[nv++] = (unsigned)(i - 4) * 5 + b;
		}
		if (nv && v[nv - 1] > CD_SUPPORT_CODE_MAX_INDEX)
			goto bad;
	} else {
		prev = (unsigned)-1;
		for (i = 4; i < ns;) {
			unsigned gap = 0, shift = 0;
			for (;;) {
				if (i >= ns || shift > 12)
					goto bad; /* cut off, or larger than any index */
				gap |= (unsigned)(sym[i] & 15) << shift;
				shift += 4;
				if (!(sym[i++] & 16))
					break;
			}
			if (gap > CD_SUPPORT_CODE_MAX_INDEX || prev + 1 + gap > CD_SUPPORT_CODE_MAX_INDEX)
				goto bad;
			prev = prev + 1 + gap;
			v[nv++] = prev;
		}
	}
	*tag = (unsigned)sym[1] << 10 | (unsigned)sym[2] << 5 | sym[3];
	*idx = v;
	*n = nv;
	return CD_OK;
bad:
	free(v);
	return CD_ERR_PARSE;
}

cd_err cd_support_code_for(struct cd_facts *f, const struct cd_results *res, char *out, size_t outlen)
{
	sqlite3_stmt *st;
	unsigned *idx;
	size_t n = 0, i;
	unsigned pos = 0;
	cd_err e;

	if (sqlite3_prepare_v2(cd_facts_db(f), "SELECT id FROM rules.rules ORDER BY ord", -1, &st, NULL) !=
	    SQLITE_OK)
		return CD_ERR_NOT_FOUND;
	idx = malloc((res->n ? res->n : 1) * sizeof(*idx));
	if (!idx) {
		sqlite3_finalize(st);
		return CD_ERR_NOMEM;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		for (i = 0; id && i < res->n; i++)
			if (!strcmp(res->v[i].rule_id, id)) {
				idx[n++] = pos;
				break;
			}
		pos++;
	}
	sqlite3_finalize(st);
	e = cd_support_code_encode(cd_support_code_tag(res->rules_version), idx, n, out, outlen);
	free(idx);
	return e;
}
