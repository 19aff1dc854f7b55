/* Redaction of personal data in facts (redact.h). Two passes over the facts:
 * the first finds the sensitive values that columns identify (personal
 * certificate names, user names, the computer name, serials) and indexes
 * them; the second rewrites every cell: whole-value columns get their
 * pseudonym, every other text has the indexed values and the patterns (ID
 * numbers, mobile numbers, e-mail addresses, users in paths, URL
 * credentials) replaced. Changes are applied after each table is read. */
#include "redact.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "util.h"

/* ---- SHA-256 (FIPS 180-4) ---- */

struct sha256 {
	uint32_t h[8];
	uint64_t bytes;
	unsigned char buf[64];
	size_t used;
};

static const uint32_t sha_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha_block(struct sha256 *c, const unsigned char *p)
{
	uint32_t w[64], a, b, d, e, f, g, h, cc, t1, t2;
	int i;
	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 |
		       p[4 * i + 3];
	for (i = 16; i < 64; i++) {
		uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = c->h[0], b = c->h[1], cc = c->h[2], d = c->h[3];
	e = c->h[4], f = c->h[5], g = c->h[6], h = c->h[7];
	for (i = 0; i < 64; i++) {
		t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + sha_k[i] + w[i];
		t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & cc) ^ (b & cc));
		h = g, g = f, f = e, e = d + t1;
		d = cc, cc = b, b = a, a = t1 + t2;
	}
	c->h[0] += a, c->h[1] += b, c->h[2] += cc, c->h[3] += d;
	c->h[4] += e, c->h[5] += f, c->h[6] += g, c->h[7] += h;
}

static void sha_init(struct sha256 *c)
{
	static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
				       0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
	memcpy(c->h, iv, sizeof(iv));
	c->bytes = 0;
	c->used = 0;
}

static void sha_update(struct sha256 *c, const void *data, size_t n)
{
	const unsigned char *p = data;
	c->bytes += n;
	while (n) {
		size_t take = 64 - c->used < n ? 64 - c->used : n;
		memcpy(c->buf + c->used, p, take);
		c->used += take;
		p += take;
		n -= take;
		if (c->used == 64) {
			sha_block(c, c->buf);
			c->used = 0;
		}
	}
}

static void sha_final(struct sha256 *c, unsigned char out[32])
{
	uint64_t bits = c->bytes * 8;
	unsigned char pad = 0x80, len[8];
	int i;
	sha_update(c, &pad, 1);
	pad = 0;
	while (c->used != 56)
		sha_update(c, &pad, 1);
	for (i = 0; i < 8; i++)
		len[i] = (unsigned char)(bits >> (56 - 8 * i));
	sha_update(c, len, 8);
	for (i = 0; i < 32; i++)
		out[i] = (unsigned char)(c->h[i / 4] >> (24 - 8 * (i % 4)));
}

/* ---- pseudonyms ---- */

static const char *const kinds6[] = {"name", "user", "host", "id", "phone", "email", NULL};
static const char *const kinds12[] = {"sn", "fp", NULL};

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int is_alnum(int c)
{
	return is_digit(c) || is_alpha(c);
}

static int is_hex(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Characters that continue an ASCII word: a match must not cut through one. */
static int is_word(int c)
{
	return is_alnum(c) || c == '_' || c == '-';
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int hexlen_of(const char *kind, size_t klen)
{
	size_t i;
	for (i = 0; kinds6[i]; i++)
		if (strlen(kinds6[i]) == klen && !memcmp(kinds6[i], kind, klen))
			return 6;
	for (i = 0; kinds12[i]; i++)
		if (strlen(kinds12[i]) == klen && !memcmp(kinds12[i], kind, klen))
			return 12;
	return 0;
}

void cd_pseudonym(const char *kind, const char *value, size_t len, char *out, size_t outlen)
{
	static const char hex[] = "0123456789abcdef";
	static const char domain[] = "cadoctor-redact-" CD_REDACT_VERSION;
	struct sha256 c;
	unsigned char md[32];
	char norm[64];
	size_t i, n = 0, k = strlen(kind);
	int hl = hexlen_of(kind, k), fold = !strcmp(kind, "user") || !strcmp(kind, "host") ||
					     !strcmp(kind, "email");
	struct cd_buf b;

	if (!hl)
		hl = 6;
	cd_buf_init(&b, 0);
	if (!strcmp(kind, "phone")) {
		/* the last 11 digits: +86 139..., 0086139... and 139-... are one number */
		for (i = 0; i < len; i++)
			if (is_digit((unsigned char)value[i]))
				norm[n++ % 11] = value[i];
		if (n >= 11) {
			char ring[11];
			for (i = 0; i < 11; i++)
				ring[i] = norm[(n + i) % 11];
			cd_buf_add(&b, ring, 11);
		} else {
			cd_buf_add(&b, value, len);
		}
	} else {
		for (i = 0; i < len; i++) {
			int ch = (unsigned char)value[i];
			if (fold)
				ch = lower(ch);
			else if (!strcmp(kind, "id") && ch == 'x')
				ch = 'X';
			cd_buf_addc(&b, (char)ch);
		}
	}
	sha_init(&c);
	sha_update(&c, domain, sizeof(domain));
	sha_update(&c, kind, k + 1);
	sha_update(&c, b.data ? b.data : "", b.len);
	sha_final(&c, md);
	cd_buf_release(&b);
	if (outlen < k + 2 + (size_t)hl) {
		if (outlen)
			out[0] = '\0';
		return;
	}
	memcpy(out, kind, k);
	out[k] = '-';
	for (i = 0; i < (size_t)hl; i++)
		out[k + 1 + i] = hex[(md[i / 2] >> (i % 2 ? 0 : 4)) & 15];
	out[k + 1 + hl] = '\0';
}

/* Length of the pseudonym starting at s (at most n bytes), or 0. */
static size_t pseudonym_at(const char *s, size_t n)
{
	size_t k = 0, i;
	int hl;
	while (k < n && k < 6 && s[k] >= 'a' && s[k] <= 'z')
		k++;
	if (!k || k >= n || s[k] != '-')
		return 0;
	hl = hexlen_of(s, k);
	if (!hl || k + 1 + (size_t)hl > n)
		return 0;
	for (i = 0; i < (size_t)hl; i++) {
		char ch = s[k + 1 + i];
		if (!is_digit((unsigned char)ch) && !(ch >= 'a' && ch <= 'f'))
			return 0;
	}
	if (k + 1 + (size_t)hl < n && is_word((unsigned char)s[k + 1 + hl]))
		return 0;
	return k + 1 + (size_t)hl;
}

int cd_is_pseudonym(const char *s, size_t n)
{
	return n && pseudonym_at(s, n) == n;
}

/* Length of a pseudonym-shaped token at s[i] (kind, '-', its hex digits),
 * whatever follows it, when it starts a word; else 0. Every scan treats such
 * a token as opaque, so what one run writes the next leaves alone. */
static size_t token_at(const char *s, size_t n, size_t i)
{
	size_t k, h;
	int hl;
	if (s[i] < 'a' || s[i] > 'z' || (i && is_word((unsigned char)s[i - 1])))
		return 0;
	for (k = i; k < n && k - i < 6 && s[k] >= 'a' && s[k] <= 'z'; k++)
		;
	if (k >= n || s[k] != '-' || !(hl = hexlen_of(s + i, k - i)) || k + 1 + (size_t)hl > n)
		return 0;
	for (h = 0; h < (size_t)hl; h++)
		if (!is_digit((unsigned char)s[k + 1 + h]) && !(s[k + 1 + h] >= 'a' && s[k + 1 + h] <= 'f'))
			return 0;
	return k + 1 + (size_t)hl - i;
}

/* 1 if s[0..n) holds a pseudonym anywhere, even run into other text: the
 * value was redacted already and is left as it is (idempotence). */
static int has_pseudonym_n(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (token_at(s, n, i))
			return 1;
	return 0;
}

static int has_pseudonym(const char *s)
{
	return has_pseudonym_n(s, strlen(s));
}

static char *pseudo_dup(const char *kind, const char *v, size_t n)
{
	char p[32];
	cd_pseudonym(kind, v, n, p, sizeof(p));
	return cd_strdup(p);
}

/* ---- ID and mobile numbers ---- */

int cd_id18_valid(const char *s, size_t n)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	static const char codes[] = "10X98765432";
	int sum = 0, i;
	if (n != 18)
		return 0;
	for (i = 0; i < 17; i++) {
		if (!is_digit((unsigned char)s[i]))
			return 0;
		sum += (s[i] - '0') * w[i];
	}
	return codes[sum % 11] == (s[17] == 'x' ? 'X' : s[17]);
}

/* First-generation (15-digit) ID: region 1-8, then YYMMDD, then 3 digits. */
static int id15_plausible(const char *s)
{
	int mm = (s[8] - '0') * 10 + (s[9] - '0'), dd = (s[10] - '0') * 10 + (s[11] - '0');
	return s[0] >= '1' && s[0] <= '8' && mm >= 1 && mm <= 12 && dd >= 1 && dd <= 31;
}

static int mobile11(const char *s)
{
	return s[0] == '1' && s[1] >= '3' && s[1] <= '9';
}

/* ---- the index of values found in pass 1 ---- */

#define NBUCKETS 8192

struct entry {
	char *orig;
	size_t len;
	char *pseudo;
	int next;
};

struct redactor {
	struct entry *v;
	size_t n, cap;
	int head3[NBUCKETS]; /* keys of 3-5 bytes, by their first 3 (folded) */
	int head6[NBUCKETS]; /* keys of 6+ bytes, by their first 6 */
	unsigned char prefix3[NBUCKETS / 8]; /* bitmap of every key's first-3-byte bucket */
	unsigned char prefix6[NBUCKETS / 8]; /* the same for the first 6 bytes of keys of 6+ */
	int failed;
	/* certificates: CNs that issue other certificates */
	char **issuers;
	size_t nissuers;
};

static unsigned bucket(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;
	for (i = 0; i < n; i++) {
		h ^= (unsigned char)lower((unsigned char)s[i]);
		h *= 16777619u;
	}
	return h & (NBUCKETS - 1);
}

static int key_eq(const char *a, const char *b, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return 0;
	return 1;
}

static void redactor_init(struct redactor *r)
{
	memset(r, 0, sizeof(*r));
	memset(r->head3, -1, sizeof(r->head3));
	memset(r->head6, -1, sizeof(r->head6));
}

static void redactor_release(struct redactor *r)
{
	size_t i;
	for (i = 0; i < r->n; i++) {
		free(r->v[i].orig);
		free(r->v[i].pseudo);
	}
	free(r->v);
	for (i = 0; i < r->nissuers; i++)
		free(r->issuers[i]);
	free(r->issuers);
	memset(r, 0, sizeof(*r));
}

/* Indexes value -> pseudonym. Values shorter than 3 bytes, pseudonyms and
 * values already known are left alone. Lists stay sorted longest first, so
 * the first match at a position is the longest. */
static void add_value(struct redactor *r, const char *kind, const char *val, size_t n)
{
	int *head, *link;
	unsigned c0;
	while (n && (*val == ' ' || *val == '\t'))
		val++, n--;
	while (n && (val[n - 1] == ' ' || val[n - 1] == '\t'))
		n--;
	if (n < 3 || has_pseudonym_n(val, n))
		return;
	head = n >= 6 ? &r->head6[bucket(val, 6)] : &r->head3[bucket(val, 3)];
	for (link = head; *link >= 0; link = &r->v[*link].next)
		if (r->v[*link].len == n && key_eq(r->v[*link].orig, val, n))
			return;
	if (r->n == r->cap) {
		size_t ncap = r->cap ? r->cap * 2 : 64;
		struct entry *nv = realloc(r->v, ncap * sizeof(*nv));
		if (!nv) {
			r->failed = 1;
			return;
		}
		r->v = nv;
		r->cap = ncap;
	}
	r->v[r->n].orig = cd_strndup(val, n);
	r->v[r->n].len = n;
	r->v[r->n].pseudo = pseudo_dup(kind, val, n);
	if (!r->v[r->n].orig || !r->v[r->n].pseudo) {
		free(r->v[r->n].orig);
		free(r->v[r->n].pseudo);
		r->failed = 1;
		return;
	}
	/* insert keeping the list longest first */
	for (link = head; *link >= 0 && r->v[*link].len >= n; link = &r->v[*link].next)
		;
	r->v[r->n].next = *link;
	*link = (int)r->n;
	c0 = bucket(val, 3);
	r->prefix3[c0 / 8] |= (unsigned char)(1u << (c0 % 8));
	if (n >= 6) {
		c0 = bucket(val, 6);
		r->prefix6[c0 / 8] |= (unsigned char)(1u << (c0 % 8));
	}
	r->n++;
}

/* The entry matching at s (n bytes left), or NULL. ASCII word characters at
 * either end of a key must not continue outside the match. */
static const struct entry *match_at(const struct redactor *r, const char *s, size_t n, int prev)
{
	int pass, e;
	unsigned b3;
	if (n < 3 || ((unsigned char)s[0] & 0xC0) == 0x80)
		return NULL;
	b3 = bucket(s, 3);
	if (!(r->prefix3[b3 / 8] & (1u << (b3 % 8))))
		return NULL;
	for (pass = 0; pass < 2; pass++) {
		unsigned b6;
		if (pass == 0) {
			if (n < 6)
				continue;
			b6 = bucket(s, 6);
			if (!(r->prefix6[b6 / 8] & (1u << (b6 % 8))))
				continue;
			e = r->head6[b6];
		} else {
			e = r->head3[b3];
		}
		for (; e >= 0; e = r->v[e].next) {
			const struct entry *en = &r->v[e];
			if (en->len > n || !key_eq(en->orig, s, en->len))
				continue;
			if (is_word((unsigned char)en->orig[0]) && prev >= 0 && is_word(prev))
				continue;
			if (is_word((unsigned char)en->orig[en->len - 1]) && en->len < n &&
			    is_word((unsigned char)s[en->len]))
				continue;
			return en;
		}
	}
	return NULL;
}

/* ---- text transforms: each returns 1 and fills out when it changed s ---- */

static int tf_values(const struct redactor *r, const char *s, struct cd_buf *out)
{
	size_t n = strlen(s), i = 0, copied = 0;
	int changed = 0;
	if (!r || !r->n)
		return 0;
	while (i < n) {
		const struct entry *en;
		int prev = i ? (unsigned char)s[i - 1] : -1;
		{
			size_t pl = token_at(s, n, i);
			if (pl) {
				i += pl;
				continue;
			}
		}
		en = match_at(r, s + i, n - i, prev);
		if (!en) {
			i++;
			continue;
		}
		cd_buf_add(out, s + copied, i - copied);
		cd_buf_adds(out, en->pseudo);
		i += en->len;
		copied = i;
		changed = 1;
	}
	if (changed)
		cd_buf_add(out, s + copied, n - copied);
	return changed;
}

static const char *const common_users[] = {
	"root", "administrator", "admin", "user", "users", "guest", "public", "default", "default user",
	"defaultuser0", "defaultapppool", "all users", "system", "local service", "network service",
	"localservice", "networkservice", "wdagutilityaccount", "owner", "test", "pc", "nobody",
	"daemon", "www-data", "shared", "administrators", "everyone", "localsystem", NULL,
};

static int common_user(const char *u, size_t n)
{
	size_t i;
	if (!n || (n > 4 && !strncmp(u, "S-1-", 4)) || has_pseudonym_n(u, n))
		return 1;
	if (u[0] == '%' || u[0] == '$' || u[0] == '*' || (n == 1 && u[0] == '.'))
		return 1; /* %USERNAME%, $USER, globs */
	for (i = 0; common_users[i]; i++)
		if (strlen(common_users[i]) == n && key_eq(common_users[i], u, n))
			return 1;
	return 0;
}

/* Finds the next user name in a path: "\Users\<u>", "/home/<u>", ... from
 * *pos; sets [*us, *ue) and returns 1. */
static int next_path_user(const char *s, size_t n, size_t *pos, size_t *us, size_t *ue)
{
	static const struct {
		const char *seg;
		int spaces; /* Windows names may contain spaces */
	} segs[] = {
		{"users", 1}, {"documents and settings", 1}, {"home", 0}, {"media", 0},
	};
	size_t i, k;
	for (i = *pos; i < n; i++) {
		if (s[i] != '\\' && s[i] != '/')
			continue;
		for (k = 0; k < sizeof(segs) / sizeof(segs[0]); k++) {
			size_t sl = strlen(segs[k].seg), j;
			if (i + 1 + sl + 1 >= n || !key_eq(s + i + 1, segs[k].seg, sl) ||
			    (s[i + 1 + sl] != '\\' && s[i + 1 + sl] != '/'))
				continue;
			j = i + 2 + sl;
			while (j < n && !strchr("\\/\"':;|=,+*?<>@[]\t\r\n", s[j]) &&
			       (segs[k].spaces || s[j] != ' '))
				j++;
			/* "C:\Users\Zhang San failed": no trailing blanks */
			while (j > i + 2 + sl && s[j - 1] == ' ')
				j--;
			if (j == i + 2 + sl || common_user(s + i + 2 + sl, j - (i + 2 + sl)))
				continue;
			*us = i + 2 + sl;
			*ue = j;
			*pos = j;
			return 1;
		}
	}
	*pos = n;
	return 0;
}

static int tf_paths(const char *s, struct cd_buf *out)
{
	size_t n = strlen(s), pos = 0, us, ue, copied = 0;
	int changed = 0;
	char p[32];
	while (next_path_user(s, n, &pos, &us, &ue)) {
		cd_pseudonym("user", s + us, ue - us, p, sizeof(p));
		cd_buf_add(out, s + copied, us - copied);
		cd_buf_adds(out, p);
		copied = ue;
		changed = 1;
	}
	if (changed)
		cd_buf_add(out, s + copied, n - copied);
	return changed;
}

/* scheme://user:password@host -> scheme://user-xxxxxx@host */
static int tf_url_userinfo(const char *s, struct cd_buf *out)
{
	const char *p = s, *copied = s;
	int changed = 0;
	char ps[32];
	while ((p = strstr(p, "://")) != NULL) {
		const char *a = p + 3, *e = a, *at = NULL, *colon = NULL;
		while (*e && !strchr("/?#\\ \t\r\n\"'<>", *e)) {
			if (*e == '@')
				at = e;
			e++;
		}
		if (at) {
			const char *c;
			for (c = a; c < at; c++)
				if (*c == ':') {
					colon = c;
					break;
				}
			if (!colon)
				colon = at;
			if (!cd_is_pseudonym(a, (size_t)(at - a))) {
				/* the user (already a pseudonym when known elsewhere); the password goes */
				if (cd_is_pseudonym(a, (size_t)(colon - a)))
					snprintf(ps, sizeof(ps), "%.*s", (int)(colon - a), a);
				else
					cd_pseudonym("user", a, (size_t)(colon - a), ps, sizeof(ps));
				cd_buf_add(out, copied, (size_t)(a - copied));
				cd_buf_adds(out, ps);
				copied = at;
				changed = 1;
			}
		}
		p = e;
	}
	if (changed)
		cd_buf_adds(out, copied);
	return changed;
}

static int email_local(int c)
{
	return is_alnum(c) || (c && strchr("._%+-", c) != NULL);
}

static int tf_email(const char *s, struct cd_buf *out)
{
	size_t n = strlen(s), i, copied = 0;
	int changed = 0;
	char p[32];
	for (i = 0; i < n; i++) {
		size_t ls, de, lastdot = 0, j, letters = 0;
		if (s[i] != '@' || !i)
			continue;
		ls = i;
		while (ls > copied && email_local((unsigned char)s[ls - 1]))
			ls--;
		if (ls == i || (ls >= 3 && !memcmp(s + ls - 3, "://", 3)))
			continue; /* URL credentials are tf_url_userinfo's */
		for (de = i + 1; de < n && (is_alnum((unsigned char)s[de]) || s[de] == '.' || s[de] == '-'); de++)
			if (s[de] == '.')
				lastdot = de;
		while (de > i + 1 && (s[de - 1] == '.' || s[de - 1] == '-'))
			de--;
		if (!lastdot || lastdot >= de - 1 || lastdot == i + 1)
			continue;
		for (j = lastdot + 1; j < de; j++)
			letters += is_alpha((unsigned char)s[j]) != 0;
		if (letters < 2 || letters != de - lastdot - 1)
			continue;
		cd_pseudonym("email", s + ls, de - ls, p, sizeof(p));
		cd_buf_add(out, s + copied, ls - copied);
		cd_buf_adds(out, p);
		copied = de;
		i = de - 1;
		changed = 1;
	}
	if (changed)
		cd_buf_add(out, s + copied, n - copied);
	return changed;
}

/* ID numbers and mobile numbers among the digits of s. Long hex strings
 * (thumbprints, hashes) are skipped whole. */
static int tf_digits(const char *s, struct cd_buf *out)
{
	size_t n = strlen(s), i = 0, copied = 0, digits = 0;
	int changed = 0;
	char p[32];
	for (i = 0; i < n; i++)
		digits += is_digit((unsigned char)s[i]) != 0;
	if (digits < 11)
		return 0;
	i = 0;
	while (i < n) {
		size_t j, len, end = 0, tl = token_at(s, n, i);
		const char *kind = NULL;
		if (tl) {
			i += tl;
			continue;
		}
		if (is_hex((unsigned char)s[i]) && (!i || !is_hex((unsigned char)s[i - 1]))) {
			int letter = 0;
			for (j = i; j < n && is_hex((unsigned char)s[j]); j++)
				letter |= !is_digit((unsigned char)s[j]);
			if (j - i >= 32 && letter) {
				i = j;
				continue;
			}
		}
		if (!is_digit((unsigned char)s[i]) || (i && is_digit((unsigned char)s[i - 1]))) {
			i++;
			continue;
		}
		for (j = i; j < n && is_digit((unsigned char)s[j]); j++)
			;
		len = j - i;
		if (len == 3 && mobile11(s + i) && j + 10 <= n && (s[j] == '-' || s[j] == ' ')) {
			/* 139-1234-5678 or 139 1234 5678 */
			size_t k;
			int ok = s[j + 5] == s[j] && (j + 10 == n || !is_digit((unsigned char)s[j + 10]));
			for (k = 1; ok && k <= 9; k++)
				if (k != 5 && !is_digit((unsigned char)s[j + k]))
					ok = 0;
			if (ok) {
				kind = "phone";
				end = j + 10;
			}
		} else if (len == 17 && j < n && (s[j] == 'X' || s[j] == 'x') &&
			   (j + 1 == n || !is_alnum((unsigned char)s[j + 1])) && cd_id18_valid(s + i, 18)) {
			kind = "id";
			end = j + 1;
		} else if (len == 18 && cd_id18_valid(s + i, 18)) {
			kind = "id";
		} else if (len == 11 && mobile11(s + i)) {
			kind = "phone";
		} else if (len == 13 && s[i] == '8' && s[i + 1] == '6' && mobile11(s + i + 2)) {
			kind = "phone";
		} else if (len == 15 && !memcmp(s + i, "0086", 4) && mobile11(s + i + 4)) {
			kind = "phone";
		} else if (len == 15 && id15_plausible(s + i)) {
			kind = "id";
		}
		if (!kind) {
			i = j;
			continue;
		}
		if (!end)
			end = j;
		cd_pseudonym(kind, s + i, end - i, p, sizeof(p));
		cd_buf_add(out, s + copied, i - copied);
		cd_buf_adds(out, p);
		copied = i = end;
		changed = 1;
	}
	if (changed)
		cd_buf_add(out, s + copied, n - copied);
	return changed;
}

/* Runs every transform over s; a new string, or NULL when nothing changed
 * (or, with *oom set, when memory ran out). */
static char *redact_generic(const struct redactor *r, const char *s, int *oom)
{
	char *owned = NULL;
	const char *cur = s;
	int t;
	for (t = 0; t < 5; t++) {
		struct cd_buf b;
		int changed;
		cd_buf_init(&b, 0);
		switch (t) {
		case 0:
			changed = tf_values(r, cur, &b);
			break;
		case 1:
			changed = tf_paths(cur, &b);
			break;
		case 2:
			changed = strchr(cur, '@') && tf_url_userinfo(cur, &b);
			break;
		case 3:
			changed = strchr(cur, '@') && tf_email(cur, &b);
			break;
		default:
			changed = tf_digits(cur, &b);
		}
		if (changed) {
			char *nv = cd_buf_detach(&b);
			if (!nv) {
				*oom = 1;
				free(owned);
				return NULL;
			}
			free(owned);
			owned = nv;
			cur = owned;
		} else {
			cd_buf_release(&b);
		}
	}
	return owned;
}



/* ---- certificates ---- */

static int contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle), h = strlen(hay), i;
	for (i = 0; i + n <= h; i++)
		if (key_eq(hay + i, needle, n))
			return 1;
	return 0;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !memcmp(s + n - k, suffix, k);
}

static size_t cp_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Names of organisations rather than people. */
static int looks_like_org(const char *cn)
{
	static const char *const words[] = {
		"\xe5\x85\xac\xe5\x8f\xb8", /* 公司 */
		"\xe9\x9b\x86\xe5\x9b\xa2", /* 集团 */
		"\xe6\x9c\x89\xe9\x99\x90", /* 有限 */
		"\xe8\x82\xa1\xe4\xbb\xbd", /* 股份 */
		"\xe4\xb8\xad\xe5\xbf\x83", /* 中心 */
		"\xe5\x8d\x8f\xe4\xbc\x9a", /* 协会 */
		"\xe5\xa7\x94\xe5\x91\x98\xe4\xbc\x9a", /* 委员会 */
		"\xe5\xad\xa6\xe6\xa0\xa1", /* 学校 */
		"\xe5\xa4\xa7\xe5\xad\xa6", /* 大学 */
		"\xe5\xad\xa6\xe9\x99\xa2", /* 学院 */
		"\xe5\x8c\xbb\xe9\x99\xa2", /* 医院 */
		"\xe9\x93\xb6\xe8\xa1\x8c", /* 银行 */
		"\xe6\x94\xbf\xe5\xba\x9c", /* 政府 */
		"\xe4\xba\x8b\xe5\x8a\xa1\xe6\x89\x80", /* 事务所 */
		"\xe5\x90\x88\xe4\xbd\x9c\xe7\xa4\xbe", /* 合作社 */
		"\xe5\x8a\x9e\xe5\x85\xac\xe5\xae\xa4", /* 办公室 */
		"\xe8\xae\xa4\xe8\xaf\x81", /* 认证 */
		"\xe8\xaf\x81\xe4\xb9\xa6", /* 证书 */
		"\xe6\xb5\x8b\xe8\xaf\x95", /* 测试 */
		"CA", "Co.", "Ltd", "LTD", "Inc.", "Corp", "Company", "LLC", "GmbH", "Limited",
		"University", "Bank", "Government", "Authority", "Center", "Centre", "Bureau",
		"Department", "Ministry", "Association", "Institute", "Group", "Root", "ROOT", "Test",
		"TEST", NULL,
	};
	/* one-character endings of longer names: 北京市公安局, 某某设计院 */
	static const char *const endings[] = {
		"\xe5\xb1\x80", "\xe5\x8e\x85", "\xe9\x99\xa2", "\xe6\x89\x80", "\xe7\xab\x99",
		"\xe9\x83\xa8", "\xe5\xa4\x84", "\xe5\xba\x97", "\xe5\x8e\x82", "\xe5\xa7\x94",
		"\xe5\x8a\x9e", "\xe7\xa4\xbe", "\xe8\xa1\x8c", NULL,
	};
	size_t i;
	for (i = 0; words[i]; i++)
		if (strstr(cn, words[i]))
			return 1;
	if (cp_len(cn) >= 4)
		for (i = 0; endings[i]; i++)
			if (ends_with(cn, endings[i]))
				return 1;
	return 0;
}

static int looks_like_domain(const char *cn)
{
	const char *p;
	if (!strchr(cn, '.'))
		return 0;
	for (p = cn; *p; p++)
		if (!is_alnum((unsigned char)*p) && !strchr(".-*_", *p))
			return 0;
	return 1;
}

struct cert_row {
	const char *subject, *subject_cn, *subject_o, *issuer, *issuer_cn, *key_usage, *location;
	int is_ca; /* -1 unknown */
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int is_issuer(const struct redactor *r, const char *cn)
{
	return r->nissuers && bsearch(&cn, r->issuers, r->nissuers, sizeof(char *), cmp_str) != NULL;
}

/* Separators around a name written beside its organisation in a CN. */
static size_t cn_sep_len(const char *p)
{
	static const char *const seps[] = {"@", "(", ")", "-", "_", " ", ",", "/", "|", ":",
					   "\xef\xbc\x88", "\xef\xbc\x89", "\xc2\xb7", "\xef\xbc\x9a", NULL};
	size_t i;
	for (i = 0; seps[i]; i++)
		if (!strncmp(p, seps[i], strlen(seps[i])))
			return strlen(seps[i]);
	return 0;
}

/* For a CN holding its organisation and more ("陈静@天津某某公司"): indexes
 * each other part as a name, so it is replaced and the organisation kept. */
static void add_cn_beside_org(struct redactor *r, const char *cn, const char *at, size_t olen)
{
	const char *parts[2][2] = {{cn, at}, {at + olen, cn + strlen(cn)}};
	int k;
	for (k = 0; k < 2; k++) {
		const char *a = parts[k][0], *e = parts[k][1];
		size_t sl;
		while (a < e && (sl = cn_sep_len(a)) != 0)
			a += sl;
		while (e > a) {
			size_t back = 0;
			const char *q = e - 1;
			while (q > a && ((unsigned char)*q & 0xC0) == 0x80)
				q--;
			back = cn_sep_len(q);
			if (!back || q + back != e)
				break;
			e = q;
		}
		if (e > a) {
			char *part = cd_strndup(a, (size_t)(e - a));
			if (part && !looks_like_org(part) && !looks_like_domain(part))
				add_value(r, "name", part, strlen(part));
			free(part);
		}
	}
}

/* A certificate of a person: 1 when its CN is a personal name, 2 when the
 * CN is a name beside the organisation ("陈静@天津某某公司"), 0 otherwise. */
static int cert_personal(const struct redactor *r, const struct cert_row *c)
{
	const char *cn = c->subject_cn, *o = c->subject_o;
	/* a CN redacted before (wholly or in part) is decided: redaction is idempotent */
	if (!cn || !*cn || has_pseudonym(cn) || (o && has_pseudonym(o)))
		return 0;
	if (c->is_ca == 1 || is_issuer(r, cn))
		return 0;
	if (c->key_usage && (contains_ci(c->key_usage, "keyCertSign") || contains_ci(c->key_usage, "cRLSign") ||
			     contains_ci(c->key_usage, "Certificate Sign")))
		return 0;
	if (c->location && (ends_with(c->location, "\\Root") || ends_with(c->location, "\\AuthRoot") ||
			    ends_with(c->location, "\\CA") || ends_with(c->location, "\\TrustedPublisher")))
		return 0;
	if (o && *o && (cd_strieq(cn, o) || strstr(o, cn)))
		return 0;
	if (o && *o && strstr(cn, o))
		return 2;
	if (looks_like_domain(cn) || looks_like_org(cn))
		return 0;
	return 1;
}

/* Attribute types whose values are personal, and the pseudonym kind. */
static const char *personal_attr(const char *t, size_t n, int personal)
{
	static const struct {
		const char *type, *kind;
	} attrs[] = {
		{"GN", "name"}, {"givenName", "name"}, {"2.5.4.42", "name"}, {"SN", "name"},
		{"surname", "name"}, {"2.5.4.4", "name"}, {"initials", "name"}, {"2.5.4.43", "name"},
		{"pseudonym", "name"}, {"2.5.4.65", "name"}, {"UID", "user"}, {"userid", "user"},
		{"0.9.2342.19200300.100.1.1", "user"}, {"emailAddress", "email"}, {"E", "email"},
		{"EMAIL", "email"}, {"mail", "email"}, {"1.2.840.113549.1.9.1", "email"},
		{"0.9.2342.19200300.100.1.3", "email"}, {"telephoneNumber", "phone"}, {"2.5.4.20", "phone"},
		{"mobile", "phone"}, {"street", "name"}, {"2.5.4.9", "name"}, {"postalAddress", "name"},
		{"2.5.4.16", "name"}, {"homePostalAddress", "name"},
	};
	size_t i;
	if (n > 4 && key_eq(t, "OID.", 4))
		t += 4, n -= 4;
	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++)
		if (strlen(attrs[i].type) == n && key_eq(attrs[i].type, t, n))
			return attrs[i].kind;
	if (personal && ((n == 2 && key_eq(t, "CN", 2)) || (n == 12 && key_eq(t, "serialNumber", 12)) ||
			 (n == 7 && key_eq(t, "2.5.4.5", 7)) || (n == 7 && key_eq(t, "2.5.4.3", 7))))
		return n == 2 || t[6] == '3' ? "name" : "id";
	return NULL;
}

/* Walks a distinguished name ("CN=a,O=b" or "CN=a, O=b"; ',', ';' and '+'
 * separate, '\' escapes, quotes group). For each personal attribute either
 * indexes its value (r set, out NULL) or writes the DN with the value
 * replaced (out set). Returns 1 if out was written with a change. */
static int walk_dn(struct redactor *r, const char *dn, int personal, struct cd_buf *out)
{
	const char *p = dn, *copied = dn;
	int changed = 0;
	while (*p) {
		const char *ts, *te, *vs, *ve, *eq, *kind;
		int quoted = 0;
		while (*p == ' ' || *p == ',' || *p == ';' || *p == '+')
			p++;
		ts = p;
		while (*p && *p != '=' && *p != ',' && *p != ';' && *p != '+')
			p++;
		if (*p != '=')
			continue;
		eq = p;
		te = eq;
		while (te > ts && te[-1] == ' ')
			te--;
		p = eq + 1;
		while (*p == ' ')
			p++;
		vs = p;
		while (*p) {
			if (*p == '\\' && p[1]) {
				p += 2;
				continue;
			}
			if (*p == '"')
				quoted = !quoted;
			else if (!quoted && (*p == ',' || *p == ';' || *p == '+'))
				break;
			p++;
		}
		ve = p;
		while (ve > vs && ve[-1] == ' ')
			ve--;
		kind = personal_attr(ts, (size_t)(te - ts), personal);
		if (!kind || ve == vs || cd_is_pseudonym(vs, (size_t)(ve - vs)))
			continue;
		if (!out) {
			add_value(r, kind, vs, (size_t)(ve - vs));
		} else {
			char ps[32];
			cd_pseudonym(kind, vs, (size_t)(ve - vs), ps, sizeof(ps));
			cd_buf_add(out, copied, (size_t)(vs - copied));
			cd_buf_adds(out, ps);
			copied = ve;
			changed = 1;
		}
	}
	if (changed)
		cd_buf_adds(out, copied);
	return changed;
}

/* Parts of a personal CN such as "041@Z123@张三@1" or "张三(法人)" that
 * are themselves names (contain CJK) are indexed too, so that the bare name
 * elsewhere (a token label, a file name) gets a pseudonym as well. */
static int cn_separator(const char *p)
{
	return *p == '@' || *p == '(' || *p == ')' || !strncmp(p, "\xef\xbc\x88", 3) ||
	       !strncmp(p, "\xef\xbc\x89", 3);
}

static void add_cn_parts(struct redactor *r, const char *cn)
{
	const char *p = cn, *s = cn;
	int cjk = 0, split = 0;
	for (;; ) {
		if (!*p || cn_separator(p)) {
			if (cjk && (split || *p))
				add_value(r, "name", s, (size_t)(p - s));
			if (!*p)
				break;
			split = 1;
			p += (unsigned char)*p < 0x80 ? 1 : 3;
			s = p;
			cjk = 0;
			continue;
		}
		cjk |= (unsigned char)*p >= 0xE3 && (unsigned char)*p <= 0xE9;
		p++;
	}
}

/* ---- the facts ---- */

enum role {
	R_TEXT,    /* patterns and indexed values */
	R_USER,    /* a user name (DOMAIN\user kept as DOMAIN\user-x) */
	R_HOST,    /* the computer name */
	R_SERIAL,  /* a serial number: hashed whole */
	R_PROFILE, /* a browser profile name */
	R_SKIP,    /* meta keys */
};

static enum role column_role(const char *table, const char *col)
{
	if (!strcmp(col, "user") &&
	    (!strcmp(table, "programs") || !strcmp(table, "certificates") || !strcmp(table, "processes") ||
	     !strcmp(table, "browser_profiles") || !strcmp(table, "browser_extensions")))
		return R_USER;
	if (!strcmp(table, "host") && !strcmp(col, "hostname"))
		return R_HOST;
	if ((!strcmp(col, "serial") &&
	     (!strcmp(table, "tokens") || !strcmp(table, "usb_devices") || !strcmp(table, "certificates"))) ||
	    (!strcmp(table, "certificates") && !strcmp(col, "token_serial")))
		return R_SERIAL;
	if (!strcmp(table, "browser_profiles") && !strcmp(col, "profile_name"))
		return R_PROFILE;
	if (!strcmp(table, "meta") && !strcmp(col, "key"))
		return R_SKIP;
	return R_TEXT;
}

/* "Default", "Person 1", "用户 1", "default-release": not a person's name. */
static int generic_profile(const char *s)
{
	static const char *const names[] = {
		"default", "person", "profile", "user", "guest", "work", "personal", "default-release",
		"default-esr", "default-nightly", "dev-edition-default", "system profile",
		"\xe7\x94\xa8\xe6\x88\xb7", /* 用户 */
		"\xe4\xba\xba\xe5\x91\x98", /* 人员 */
		"\xe9\xbb\x98\xe8\xae\xa4", /* 默认 */
		"\xe4\xb8\xaa\xe4\xba\xba\xe8\xb5\x84\xe6\x96\x99", /* 个人资料 */
		"\xe8\xae\xbf\xe5\xae\xa2", /* 访客 */
		"\xe5\xb7\xa5\xe4\xbd\x9c", /* 工作 */
		NULL,
	};
	size_t i;
	for (i = 0; names[i]; i++) {
		size_t n = strlen(names[i]);
		const char *p = s + n;
		if (strlen(s) < n || !key_eq(s, names[i], n))
			continue;
		while (*p == ' ' || *p == '-' || *p == '_' || is_digit((unsigned char)*p))
			p++;
		if (!*p)
			return 1;
	}
	return 0;
}

/* Pseudonym of a user column value; NULL when it stays. */
static char *redact_user(const char *v)
{
	const char *bs = strrchr(v, '\\');
	const char *u = bs ? bs + 1 : v;
	char ps[32];
	if (has_pseudonym(v) || common_user(u, strlen(u)) || (bs && common_user(v, strlen(v))))
		return NULL;
	cd_pseudonym("user", u, strlen(u), ps, sizeof(ps));
	return cd_aprintf("%.*s%s", (int)(u - v), v, ps);
}

static void index_user(struct redactor *r, const char *v)
{
	const char *bs = strrchr(v, '\\');
	const char *u = bs ? bs + 1 : v;
	if (!common_user(u, strlen(u)))
		add_value(r, "user", u, strlen(u));
}

struct change {
	int64_t rowid;
	int col;
	char *value;
};

struct table_pass {
	sqlite3 *db;
	const char *table;
	struct redactor *r;
	int ncols;
	char **names; /* copies: the SELECT is finalized before the updates */
	enum role *roles;
	/* certificates */
	int c_subject, c_cn, c_o, c_issuer, c_issuer_cn, c_usage, c_location, c_is_ca, c_sha1, c_sha256;
	struct change *ch;
	size_t nch, capch;
	int failed;
};

static int col_index(const struct table_pass *t, const char *name)
{
	int i;
	for (i = 0; i < t->ncols; i++)
		if (!strcmp(t->names[i], name))
			return i;
	return -1;
}

static const char *text_at(sqlite3_stmt *st, int i)
{
	if (i < 0 || sqlite3_column_type(st, i + 1) != SQLITE_TEXT)
		return NULL;
	return (const char *)sqlite3_column_text(st, i + 1);
}

static void read_cert(const struct table_pass *t, sqlite3_stmt *st, struct cert_row *c)
{
	c->subject = text_at(st, t->c_subject);
	c->subject_cn = text_at(st, t->c_cn);
	c->subject_o = text_at(st, t->c_o);
	c->issuer = text_at(st, t->c_issuer);
	c->issuer_cn = text_at(st, t->c_issuer_cn);
	c->key_usage = text_at(st, t->c_usage);
	c->location = text_at(st, t->c_location);
	c->is_ca = t->c_is_ca >= 0 && sqlite3_column_type(st, t->c_is_ca + 1) != SQLITE_NULL
			   ? sqlite3_column_int(st, t->c_is_ca + 1)
			   : -1;
}

/* Pass 1 over one row: index the values its columns identify. */
static void index_row(struct table_pass *t, sqlite3_stmt *st)
{
	struct redactor *r = t->r;
	int i;
	for (i = 0; i < t->ncols; i++) {
		const char *v = text_at(st, i);
		size_t pos = 0, us, ue, n;
		if (!v)
			continue;
		n = strlen(v);
		switch (t->roles[i]) {
		case R_USER:
			index_user(r, v);
			break;
		case R_HOST:
			if (!cd_strieq(v, "localhost")) {
				const char *dot = strchr(v, '.');
				add_value(r, "host", v, n);
				if (dot && dot - v >= 4)
					add_value(r, "host", v, (size_t)(dot - v));
			}
			break;
		case R_SERIAL:
			if (n >= 8)
				add_value(r, "sn", v, n);
			break;
		case R_PROFILE:
			if (!generic_profile(v))
				add_value(r, "name", v, n);
			break;
		default:
			break;
		}
		while (next_path_user(v, n, &pos, &us, &ue))
			add_value(r, "user", v + us, ue - us);
	}
	if (!strcmp(t->table, "certificates")) {
		struct cert_row c;
		int personal;
		read_cert(t, st, &c);
		personal = cert_personal(r, &c);
		if (personal == 1) {
			add_value(r, "name", c.subject_cn, strlen(c.subject_cn));
			add_cn_parts(r, c.subject_cn);
		} else if (personal == 2) {
			add_cn_beside_org(r, c.subject_cn, strstr(c.subject_cn, c.subject_o), strlen(c.subject_o));
		}
		if (c.subject)
			walk_dn(r, c.subject, personal == 1, NULL);
	}
}

static void add_change(struct table_pass *t, int64_t rowid, int col, char *value)
{
	if (!value) {
		t->failed = 1;
		return;
	}
	if (t->nch == t->capch) {
		size_t ncap = t->capch ? t->capch * 2 : 32;
		struct change *nv = realloc(t->ch, ncap * sizeof(*nv));
		if (!nv) {
			free(value);
			t->failed = 1;
			return;
		}
		t->ch = nv;
		t->capch = ncap;
	}
	t->ch[t->nch].rowid = rowid;
	t->ch[t->nch].col = col;
	t->ch[t->nch].value = value;
	t->nch++;
}

/* The transforms (and, for a distinguished name, the attribute rewrite)
 * repeated until the text no longer changes, so that redacting the result
 * again changes nothing even when one transform changes what another sees
 * (URL credentials removed from inside a DN, say). A text that does not
 * settle within a few rounds is replaced whole. NULL when unchanged. */
#define SETTLE_ROUNDS 4
static char *redact_cell(const struct redactor *r, const char *v, int dn, int personal_dn, int *oom)
{
	char *cur = NULL, *p;
	int round;
	for (round = 0; round < SETTLE_ROUNDS; round++) {
		const char *in = cur ? cur : v;
		char *a = NULL, *g;
		if (dn) {
			struct cd_buf b;
			cd_buf_init(&b, 0);
			if (walk_dn(NULL, in, personal_dn, &b)) {
				a = cd_buf_detach(&b);
				if (!a) {
					*oom = 1;
					free(cur);
					return NULL;
				}
			} else {
				cd_buf_release(&b);
			}
		}
		g = redact_generic(r, a ? a : in, oom);
		if (*oom) {
			free(a);
			free(cur);
			return NULL;
		}
		if (g) {
			free(a);
			a = g;
		}
		if (!a)
			return cur; /* settled */
		free(cur);
		cur = a;
	}
	free(cur);
	p = pseudo_dup("name", v, strlen(v));
	if (!p)
		*oom = 1;
	return p;
}

char *cd_redact_text(const char *s)
{
	int oom = 0;
	char *r;
	if (!s)
		return NULL;
	r = redact_cell(NULL, s, 0, 0, &oom);
	return r ? r : oom ? NULL : cd_strdup(s);
}

/* Pass 2 over one row: the new value of every cell that changes. */
static void redact_row(struct table_pass *t, sqlite3_stmt *st)
{
	int64_t rowid = sqlite3_column_int64(st, 0);
	struct cert_row c;
	int personal = 0, i, oom = 0;
	int is_cert = !strcmp(t->table, "certificates");
	if (is_cert) {
		read_cert(t, st, &c);
		personal = cert_personal(t->r, &c);
	}
	for (i = 0; i < t->ncols; i++) {
		int type = sqlite3_column_type(st, i + 1);
		const char *v;
		char *nv = NULL;
		if (type == SQLITE_INTEGER) {
			/* an ID or mobile number stored as a number */
			sqlite3_int64 x = sqlite3_column_int64(st, i + 1);
			if (x >= 10000000000LL || x <= -10000000000LL) {
				char digits[32];
				snprintf(digits, sizeof(digits), "%lld", (long long)x);
				nv = redact_generic(NULL, digits, &oom);
			}
			if (nv)
				add_change(t, rowid, i, nv);
			continue;
		}
		if (type != SQLITE_TEXT || t->roles[i] == R_SKIP)
			continue;
		v = (const char *)sqlite3_column_text(st, i + 1);
		switch (t->roles[i]) {
		case R_USER:
			nv = redact_user(v);
			break;
		case R_HOST:
			if (!cd_strieq(v, "localhost") && !has_pseudonym(v))
				nv = pseudo_dup("host", v, strlen(v));
			break;
		case R_SERIAL:
			if (*v && !has_pseudonym(v))
				nv = pseudo_dup("sn", v, strlen(v));
			break;
		case R_PROFILE:
			if (!generic_profile(v) && !has_pseudonym(v))
				nv = pseudo_dup("name", v, strlen(v));
			break;
		case R_SKIP:
			break;
		default:
			if (is_cert && personal && (i == t->c_sha1 || i == t->c_sha256) && !has_pseudonym(v)) {
				nv = pseudo_dup("fp", v, strlen(v));
				break;
			}
			if (is_cert && (i == t->c_subject || i == t->c_issuer)) {
				int p = i == t->c_subject ? personal == 1
							  : personal == 1 && c.issuer_cn && c.subject_cn &&
								    !strcmp(c.issuer_cn, c.subject_cn);
				nv = redact_cell(t->r, v, 1, p, &oom);
			} else {
				nv = redact_cell(t->r, v, 0, 0, &oom);
			}
		}
		if (!oom && t->roles[i] != R_TEXT) {
			/* what a whole-value column keeps (DOMAIN\ of a user...) gets the patterns too */
			char *more = redact_cell(t->r, nv ? nv : v, 0, 0, &oom);
			if (more) {
				free(nv);
				nv = more;
			}
		}
		if (oom) {
			free(nv);
			t->failed = 1;
			return;
		}
		if (nv)
			add_change(t, rowid, i, nv);
	}
}

/* Writes the changes, one UPDATE per row (the changes of a row are
 * consecutive); statements are kept per set of columns changed. */
#define UPDATE_CACHE 8
static cd_err apply_changes(struct table_pass *t)
{
	struct {
		uint64_t cols;
		sqlite3_stmt *st;
	} cache[UPDATE_CACHE];
	size_t ncache = 0, i, j, k;
	cd_err e = CD_OK;

	memset(cache, 0, sizeof(cache));
	for (i = 0; i < t->nch && !e; i = j) {
		uint64_t cols = 0;
		sqlite3_stmt *st = NULL;
		int p = 1;
		for (j = i; j < t->nch && t->ch[j].rowid == t->ch[i].rowid; j++)
			cols |= (uint64_t)1 << (t->ch[j].col & 63);
		for (k = 0; k < ncache; k++)
			if (cache[k].cols == cols)
				st = cache[k].st;
		if (!st) {
			struct cd_buf sql;
			int c, first = 1;
			cd_buf_init(&sql, 0);
			cd_buf_addf(&sql, "UPDATE main.\"%s\" SET ", t->table);
			for (c = 0; c < t->ncols && c < 64; c++)
				if (cols & ((uint64_t)1 << c)) {
					cd_buf_addf(&sql, "%s\"%s\" = ?", first ? "" : ", ", t->names[c]);
					first = 0;
				}
			cd_buf_adds(&sql, " WHERE rowid = ?");
			if (!cd_buf_str(&sql))
				e = CD_ERR_NOMEM;
			else if (sqlite3_prepare_v2(t->db, cd_buf_str(&sql), -1, &st, NULL) != SQLITE_OK)
				e = CD_ERR_SQL;
			cd_buf_release(&sql);
			if (e)
				break;
			if (ncache == UPDATE_CACHE) {
				sqlite3_finalize(cache[0].st);
				memmove(cache, cache + 1, sizeof(cache[0]) * (UPDATE_CACHE - 1));
				ncache--;
			}
			cache[ncache].cols = cols;
			cache[ncache].st = st;
			ncache++;
		}
		/* parameters in column order, as in the SQL */
		{
			int c;
			for (c = 0; c < t->ncols && c < 64; c++) {
				if (!(cols & ((uint64_t)1 << c)))
					continue;
				for (k = i; k < j; k++)
					if (t->ch[k].col == c)
						break;
				sqlite3_bind_text(st, p++, t->ch[k].value, -1, SQLITE_STATIC);
			}
		}
		sqlite3_bind_int64(st, p, t->ch[i].rowid);
		if (sqlite3_step(st) != SQLITE_DONE)
			e = CD_ERR_SQL;
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	}
	for (k = 0; k < ncache; k++)
		sqlite3_finalize(cache[k].st);
	return e;
}

/* One pass over one table: index (pass 1) or rewrite (pass 2). */
static cd_err table_pass(sqlite3 *db, struct redactor *r, const char *table, int pass)
{
	struct table_pass t;
	sqlite3_stmt *st;
	char *sql = cd_aprintf("SELECT rowid, * FROM main.\"%s\"", table);
	cd_err e = CD_OK;
	int i;

	memset(&t, 0, sizeof(t));
	if (!sql)
		return CD_ERR_NOMEM;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		free(sql);
		return CD_ERR_SQL;
	}
	free(sql);
	t.db = db;
	t.table = table;
	t.r = r;
	t.ncols = sqlite3_column_count(st) - 1;
	if (t.ncols > 64) { /* updates track columns in a 64-bit set; fail closed */
		sqlite3_finalize(st);
		return CD_ERR_LIMIT;
	}
	t.names = calloc((size_t)(t.ncols > 0 ? t.ncols : 1), sizeof(*t.names));
	t.roles = calloc((size_t)(t.ncols > 0 ? t.ncols : 1), sizeof(*t.roles));
	if (!t.names || !t.roles) {
		e = CD_ERR_NOMEM;
		goto out;
	}
	for (i = 0; i < t.ncols; i++) {
		t.names[i] = cd_strdup(sqlite3_column_name(st, i + 1));
		if (!t.names[i]) {
			e = CD_ERR_NOMEM;
			goto out;
		}
		t.roles[i] = column_role(table, t.names[i]);
	}
	t.c_subject = col_index(&t, "subject");
	t.c_cn = col_index(&t, "subject_cn");
	t.c_o = col_index(&t, "subject_o");
	t.c_issuer = col_index(&t, "issuer");
	t.c_issuer_cn = col_index(&t, "issuer_cn");
	t.c_usage = col_index(&t, "key_usage");
	t.c_location = col_index(&t, "location");
	t.c_is_ca = col_index(&t, "is_ca");
	t.c_sha1 = col_index(&t, "sha1");
	t.c_sha256 = col_index(&t, "sha256");
	while (sqlite3_step(st) == SQLITE_ROW && !t.failed) {
		if (pass == 1)
			index_row(&t, st);
		else
			redact_row(&t, st);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (t.failed || r->failed)
		e = CD_ERR_NOMEM;
	else if (t.nch)
		e = apply_changes(&t);
out:
	if (st)
		sqlite3_finalize(st);
	for (i = 0; (size_t)i < t.nch; i++)
		free(t.ch[i].value);
	free(t.ch);
	for (i = 0; t.names && i < t.ncols; i++)
		free(t.names[i]);
	free(t.names);
	free(t.roles);
	return e;
}

/* CNs that issue another certificate: CAs, never personal. */
static cd_err load_issuers(sqlite3 *db, struct redactor *r)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	if (sqlite3_prepare_v2(db,
			       "SELECT DISTINCT issuer_cn FROM main.certificates"
			       " WHERE issuer_cn IS NOT NULL AND issuer_cn IS NOT subject_cn",
			       -1, &st, NULL) != SQLITE_OK)
		return CD_ERR_SQL;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (r->nissuers == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			char **nv = realloc(r->issuers, ncap * sizeof(*nv));
			if (!nv) {
				sqlite3_finalize(st);
				return CD_ERR_NOMEM;
			}
			r->issuers = nv;
			cap = ncap;
		}
		r->issuers[r->nissuers] = cd_strdup((const char *)sqlite3_column_text(st, 0));
		if (!r->issuers[r->nissuers]) {
			sqlite3_finalize(st);
			return CD_ERR_NOMEM;
		}
		r->nissuers++;
	}
	sqlite3_finalize(st);
	if (r->nissuers > 1)
		qsort(r->issuers, r->nissuers, sizeof(char *), cmp_str);
	return CD_OK;
}

cd_err cd_redact_facts(struct cd_facts *f)
{
	sqlite3 *db = cd_facts_db(f);
	const char *const *tables = cd_facts_tables();
	struct redactor r;
	cd_err e;
	int pass;
	size_t i;

	redactor_init(&r);
	if (sqlite3_exec(db, "SAVEPOINT redact", NULL, NULL, NULL) != SQLITE_OK)
		return CD_ERR_SQL;
	e = load_issuers(db, &r);
	for (pass = 1; pass <= 2 && !e; pass++)
		for (i = 0; tables[i] && !e; i++)
			e = table_pass(db, &r, tables[i], pass);
	if (!e)
		e = cd_facts_set_meta(f, "redacted", "1");
	if (!e)
		e = cd_facts_set_meta(f, "redaction", CD_REDACT_VERSION);
	if (e) {
		sqlite3_exec(db, "ROLLBACK TO redact", NULL, NULL, NULL);
		sqlite3_exec(db, "RELEASE redact", NULL, NULL, NULL);
	} else if (sqlite3_exec(db, "RELEASE redact", NULL, NULL, NULL) != SQLITE_OK) {
		e = CD_ERR_SQL;
	}
	redactor_release(&r);
	return e;
}

int cd_facts_redacted(struct cd_facts *f)
{
	char *v = cd_facts_get_meta(f, "redacted");
	int yes = v && !strcmp(v, "1");
	free(v);
	return yes;
}
