/* Support codes (src/core/supportcode.h): random finding sets round-trip,
 * every single wrong character and every swap of neighbours is caught, and
 * what people do when they read a code aloud (lower case, I/L for 1, O for
 * 0, dashes and blanks) is tolerated. */
#include <stdlib.h>
#include <string.h>

#include "../../src/core/supportcode.h"
#include "check.h"

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static unsigned long long rng = 0x9E3779B97F4A7C15ull;

static unsigned next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng >> 16);
}

static int cmp_u(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
	return x < y ? -1 : x > y;
}

/* Sorts and removes duplicates; returns the new count. */
static size_t uniq(unsigned *v, size_t n)
{
	size_t i, u = 0;
	qsort(v, n, sizeof(*v), cmp_u);
	for (i = 0; i < n; i++)
		if (!u || v[u - 1] != v[i])
			v[u++] = v[i];
	return u;
}

static int same_set(const unsigned *a, size_t na, const unsigned *b, size_t nb)
{
	return na == nb && (!na || !memcmp(a, b, na * sizeof(*a)));
}

/* Decodes code expecting tag and the set want[0..n). */
static int round_trips(const char *code, unsigned tag, const unsigned *want, size_t n)
{
	unsigned t = 0, *got = NULL;
	size_t ng = 0;
	int ok = cd_support_code_decode(code, &t, &got, &ng) == CD_OK && t == tag && same_set(got, ng, want, n);
	free(got);
	return ok;
}

static void random_sets(void)
{
	int iter;
	for (iter = 0; iter < 3000; iter++) {
		unsigned idx[64], tag = next_rand() & 0x7fff, range;
		size_t n = next_rand() % (iter % 10 == 0 ? 64 : 8), i, u;
		char code[CD_SUPPORT_CODE_MAX];
		/* mostly small rule sets, sometimes up to the largest index */
		range = iter % 7 == 0 ? CD_SUPPORT_CODE_MAX_INDEX + 1 : iter % 3 == 0 ? 500 : 60;
		for (i = 0; i < n; i++)
			idx[i] = next_rand() % range;
		u = uniq(idx, n);
		CHECK(cd_support_code_encode(tag, idx, n, code, sizeof(code)) == CD_OK);
		CHECK(round_trips(code, tag, idx, u));
	}
}

/* Every symbol of a code replaced by every other symbol: always refused. */
static void single_errors(void)
{
	unsigned idx[] = {3, 17, 40}, tag = 0x1234;
	char code[CD_SUPPORT_CODE_MAX], bad[CD_SUPPORT_CODE_MAX];
	size_t i, caught = 0, tried = 0;
	int iter;
	for (iter = 0; iter < 40; iter++) {
		size_t n = (size_t)(iter % 4);
		if (iter > 0) {
			idx[0] = next_rand() % 50;
			idx[1] = next_rand() % 300;
			idx[2] = next_rand() % 4096;
			tag = next_rand() & 0x7fff;
		}
		CHECK(cd_support_code_encode(tag, idx, n, code, sizeof(code)) == CD_OK);
		for (i = 0; code[i]; i++) {
			const char *a;
			if (code[i] == '-')
				continue;
			for (a = alphabet; *a; a++) {
				unsigned t, *got = NULL;
				size_t ng;
				cd_err e;
				if (*a == code[i])
					continue;
				strcpy(bad, code);
				bad[i] = *a;
				e = cd_support_code_decode(bad, &t, &got, &ng);
				tried++;
				caught += e != CD_OK;
				free(got);
			}
		}
	}
	CHECK(tried > 1000);
	CHECK(caught == tried);
}

/* Two neighbouring symbols swapped: refused (unless they are equal). */
static void transpositions(void)
{
	int iter;
	for (iter = 0; iter < 200; iter++) {
		unsigned idx[4], tag = next_rand() & 0x7fff, t, *got = NULL;
		char code[CD_SUPPORT_CODE_MAX], sym[CD_SUPPORT_CODE_MAX], bad[CD_SUPPORT_CODE_MAX];
		size_t n = 1 + next_rand() % 4, i, k = 0, ng;
		for (i = 0; i < n; i++)
			idx[i] = next_rand() % 100;
		CHECK(cd_support_code_encode(tag, idx, n, code, sizeof(code)) == CD_OK);
		for (i = 0; code[i]; i++)
			if (code[i] != '-')
				sym[k++] = code[i];
		sym[k] = '\0';
		for (i = 0; i + 1 < k; i++) {
			if (sym[i] == sym[i + 1])
				continue;
			strcpy(bad, sym);
			bad[i] = sym[i + 1];
			bad[i + 1] = sym[i];
			CHECK(cd_support_code_decode(bad, &t, &got, &ng) != CD_OK);
			free(got);
			got = NULL;
		}
	}
}

static void reading_aloud(void)
{
	unsigned idx[] = {1, 10, 21}, tag = cd_support_code_tag("27571327e681");
	char code[CD_SUPPORT_CODE_MAX], spoken[CD_SUPPORT_CODE_MAX * 2];
	size_t i, k = 0;
	CHECK(tag == 0x2757 >> 1);
	CHECK(cd_support_code_encode(tag, idx, 3, code, sizeof(code)) == CD_OK);
	/* lower case, blanks instead of dashes, and 1/0 read as l/o */
	for (i = 0; code[i]; i++) {
		char c = code[i];
		if (c == '-')
			spoken[k++] = ' ';
		else if (c == '1')
			spoken[k++] = i % 2 ? 'l' : 'I';
		else if (c == '0')
			spoken[k++] = 'o';
		else
			spoken[k++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	spoken[k] = '\0';
	CHECK(round_trips(spoken, tag, idx, 3));
	/* characters the alphabet never uses */
	{
		unsigned t, *got = NULL;
		size_t ng;
		CHECK(cd_support_code_decode("4ABU-D33", &t, &got, &ng) == CD_ERR_PARSE);
		CHECK(cd_support_code_decode("4A?C", &t, &got, &ng) == CD_ERR_PARSE);
		CHECK(cd_support_code_decode("", &t, &got, &ng) == CD_ERR_PARSE);
		CHECK(cd_support_code_decode("44", &t, &got, &ng) == CD_ERR_PARSE);
	}
	/* no findings: header, tag and check only */
	CHECK(cd_support_code_encode(tag, NULL, 0, code, sizeof(code)) == CD_OK);
	CHECK(strlen(code) == 6); /* "4XXX-C" */
	CHECK(round_trips(code, tag, NULL, 0));
	/* a few findings make a short code: what a person can read on the phone */
	{
		unsigned few[] = {2, 9, 30};
		CHECK(cd_support_code_encode(tag, few, 3, code, sizeof(code)) == CD_OK);
		CHECK(strlen(code) <= 11);
	}
	/* too large an index is refused, a full set fits */
	{
		unsigned big = CD_SUPPORT_CODE_MAX_INDEX + 1, *all = malloc(4096 * sizeof(*all));
		CHECK(cd_support_code_encode(tag, &big, 1, code, sizeof(code)) == CD_ERR_LIMIT);
		for (i = 0; all && i < 4096; i++)
			all[i] = (unsigned)i;
		CHECK(all && cd_support_code_encode(tag, all, 4096, code, sizeof(code)) == CD_OK);
		CHECK(all && round_trips(code, tag, all, 4096));
		free(all);
	}
	/* a newer format is told apart from a misread: header 8 = format 2,
	 * with a right check symbol (Damm over GF(32), as the format says) */
	{
		unsigned char sym[5] = {8, 1, 2, 3, 0};
		unsigned r = 0, t, *got = NULL;
		size_t ng;
		char newer[6];
		for (i = 0; i < 4; i++) {
			r <<= 1;
			if (r & 32)
				r = (r ^ 0x25) & 31;
			r ^= sym[i];
		}
		r <<= 1;
		if (r & 32)
			r = (r ^ 0x25) & 31;
		sym[4] = (unsigned char)r;
		for (i = 0; i < 5; i++)
			newer[i] = alphabet[sym[i]];
		newer[5] = '\0';
		CHECK(cd_support_code_decode(newer, &t, &got, &ng) == CD_ERR_VERSION);
		newer[2] = newer[2] == 'A' ? 'B' : 'A';
		CHECK(cd_support_code_decode(newer, &t, &got, &ng) == CD_ERR_INVALID);
	}
}

int main(void)
{
	random_sets();
	single_errors();
	transpositions();
	reading_aloud();
	return check_summary("test_supportcode");
}
