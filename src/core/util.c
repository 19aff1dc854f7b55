#include "util.h"

#include "../platform/platform.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

char *cd_strdup(const char *s)
{
	return s ? cd_strndup(s, strlen(s)) : NULL;
}

char *cd_strndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *cd_aprintf(const char *fmt, ...)
{
	struct cd_buf b;
	va_list ap;
	cd_buf_init(&b, 0);
	va_start(ap, fmt);
	cd_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	return cd_buf_detach(&b);
}

int cd_streq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

int cd_strieq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
	return *a == *b;
}

char *cd_trim(char *s)
{
	char *e;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

int cd_split_next(const char **pp, char sep, char *out, size_t outlen)
{
	const char *p = *pp, *e;
	size_t n;
	if (!p || !*p)
		return 0;
	e = strchr(p, sep);
	n = e ? (size_t)(e - p) : strlen(p);
	if (outlen) {
		size_t c = n < outlen - 1 ? n : outlen - 1;
		char *t;
		memcpy(out, p, c);
		out[c] = '\0';
		t = cd_trim(out);
		if (t != out)
			memmove(out, t, strlen(t) + 1);
	}
	*pp = e ? e + 1 : p + n;
	return 1;
}

long cd_utf8_next(const char **pp, const char *end)
{
	const unsigned char *p = (const unsigned char *)*pp;
	long cp;
	int n, i;

	if ((const char *)p >= end)
		return -1;
	if (p[0] < 0x80) {
		*pp += 1;
		return p[0];
	}
	if ((p[0] & 0xE0) == 0xC0) {
		n = 1;
		cp = p[0] & 0x1F;
	} else if ((p[0] & 0xF0) == 0xE0) {
		n = 2;
		cp = p[0] & 0x0F;
	} else if ((p[0] & 0xF8) == 0xF0) {
		n = 3;
		cp = p[0] & 0x07;
	} else {
		return -1;
	}
	if (end - (const char *)p <= n)
		return -1;
	for (i = 1; i <= n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return -1;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
	    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	*pp += n + 1;
	return cp;
}

int cd_utf8_valid(const char *s, size_t n)
{
	const char *p = s, *end = s + n;
	while (p < end)
		if (cd_utf8_next(&p, end) < 0)
			return 0;
	return 1;
}

char *cd_utf8_sanitize(const char *s, size_t n)
{
	struct cd_buf b;
	const char *p = s, *end = s + n;
	cd_buf_init(&b, 0);
	while (p < end) {
		const char *start = p;
		if (cd_utf8_next(&p, end) < 0) {
			cd_buf_adds(&b, "\xEF\xBF\xBD");
			p = start + 1;
		} else {
			cd_buf_add(&b, start, (size_t)(p - start));
		}
	}
	return cd_buf_detach(&b);
}

static void put_utf8(struct cd_buf *b, long cp)
{
	char t[4];
	if (cp < 0x80) {
		cd_buf_addc(b, (char)cp);
	} else if (cp < 0x800) {
		t[0] = (char)(0xC0 | (cp >> 6));
		t[1] = (char)(0x80 | (cp & 0x3F));
		cd_buf_add(b, t, 2);
	} else if (cp < 0x10000) {
		t[0] = (char)(0xE0 | (cp >> 12));
		t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		t[2] = (char)(0x80 | (cp & 0x3F));
		cd_buf_add(b, t, 3);
	} else {
		t[0] = (char)(0xF0 | (cp >> 18));
		t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		t[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		t[3] = (char)(0x80 | (cp & 0x3F));
		cd_buf_add(b, t, 4);
	}
}

char *cd_fold_for_match(const char *s)
{
	struct cd_buf b;
	const char *p = s, *end = s + strlen(s);
	cd_buf_init(&b, 0);
	while (p < end) {
		long cp = cd_utf8_next(&p, end);
		if (cp < 0) {
			p++;
			continue;
		}
		if (cp >= 0xFF01 && cp <= 0xFF5E) /* full-width ASCII */
			cp -= 0xFEE0;
		if (cp == 0x3000)
			cp = ' ';
		if (cp < 0x80) {
			if (!isalnum((int)cp))
				continue;
			put_utf8(&b, tolower((int)cp));
			continue;
		}
		/* CJK punctuation, general punctuation, quotes and brackets carry no meaning here. */
		if ((cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F) ||
		    (cp >= 0xFE30 && cp <= 0xFE4F) || cp == 0x00B7 || cp == 0x00A0 ||
		    (cp >= 0xFF5F && cp <= 0xFF65))
			continue;
		put_utf8(&b, cp);
	}
	return cd_buf_detach(&b);
}

int cd_version_cmp(const char *a, const char *b)
{
	a = a ? a : "";
	b = b ? b : "";
	/* "v2.9" is how some installers write 2.9. */
	if ((*a == 'v' || *a == 'V') && isdigit((unsigned char)a[1]))
		a++;
	if ((*b == 'v' || *b == 'V') && isdigit((unsigned char)b[1]))
		b++;
	while (*a || *b) {
		/* Skip separators. */
		while (*a && !isalnum((unsigned char)*a))
			a++;
		while (*b && !isalnum((unsigned char)*b))
			b++;
		if (!*a && !*b)
			return 0;
		if (isdigit((unsigned char)*a) || isdigit((unsigned char)*b) || !*a || !*b) {
			unsigned long long x = 0, y = 0;
			int ad = isdigit((unsigned char)*a), bd = isdigit((unsigned char)*b);
			if ((*a && !ad) || (*b && !bd)) {
				/* number vs text: a number sorts higher ("1.0.1" > "1.0.beta") */
				if (!*a)
					return -1;
				if (!*b)
					return 1;
				return ad ? 1 : -1;
			}
			while (isdigit((unsigned char)*a)) {
				if (x < 1000000000000ULL)
					x = x * 10 + (unsigned)(*a - '0');
				a++;
			}
			while (isdigit((unsigned char)*b)) {
				if (y < 1000000000000ULL)
					y = y * 10 + (unsigned)(*b - '0');
				b++;
			}
			if (x != y)
				return x < y ? -1 : 1;
		} else {
			while (isalpha((unsigned char)*a) || isalpha((unsigned char)*b)) {
				int ca = tolower((unsigned char)*a), cb = tolower((unsigned char)*b);
				if (!isalpha(ca))
					ca = 0;
				if (!isalpha(cb))
					cb = 0;
				if (ca != cb)
					return ca < cb ? -1 : 1;
				if (ca)
					a++;
				if (cb)
					b++;
			}
		}
	}
	return 0;
}

int64_t cd_now(void)
{
	const char *pin = getenv("CADOCTOR_NOW");
	if (pin && *pin) {
		char *end;
		long long v = strtoll(pin, &end, 10);
		if (*end == '\0')
			return (int64_t)v;
	}
	return (int64_t)time(NULL);
}

/* Civil-from-days (Howard Hinnant's algorithm), so we need neither gmtime_r
 * nor gmtime_s and handle dates far outside time_t on 32-bit Windows. */
void cd_format_utc(int64_t t, char *out, size_t outlen)
{
	int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	int64_t secs = t - days * 86400;
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	if (m <= 2)
		y++;
	snprintf(out, outlen, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", (long long)y,
		 (long long)m, (long long)d, (long long)(secs / 3600), (long long)(secs / 60 % 60),
		 (long long)(secs % 60));
}

cd_err cd_read_file(const char *path, size_t max, char **out, size_t *outlen)
{
	FILE *f = cd_fopen(path, "rb");
	struct cd_buf b;
	char tmp[65536];
	size_t n;

	if (!f)
		return errno == ENOENT ? CD_ERR_NOT_FOUND : (errno == EACCES ? CD_ERR_DENIED : CD_ERR_IO);
	cd_buf_init(&b, max);
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0) {
		if (cd_buf_add(&b, tmp, n)) {
			fclose(f);
			return CD_ERR_LIMIT;
		}
	}
	if (ferror(f)) {
		fclose(f);
		cd_buf_release(&b);
		return CD_ERR_IO;
	}
	fclose(f);
	if (outlen)
		*outlen = b.len;
	*out = cd_buf_detach(&b);
	return *out ? CD_OK : CD_ERR_NOMEM;
}

cd_err cd_write_file(const char *path, const void *data, size_t len)
{
	FILE *f = cd_fopen(path, "wb");
	if (!f)
		return errno == EACCES ? CD_ERR_DENIED : CD_ERR_IO;
	if (fwrite(data, 1, len, f) != len) {
		fclose(f);
		return CD_ERR_IO;
	}
	return fclose(f) == 0 ? CD_OK : CD_ERR_IO;
}
