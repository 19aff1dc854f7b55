/* Reachability of the e-bidding platforms (network_checks): for each address
 * in the catalog, or each --net-target, the steps a browser takes (DNS, TCP,
 * TLS, an HTTP HEAD) each under its own short time limit, one row per
 * address whatever happens.
 *
 * Old protocols and certificates that do not verify are recorded, not
 * treated as failures: the rules need to see that a platform still speaks
 * only TLS 1.0, or that the local trust store lacks its CA, to explain why a
 * browser refuses it. The server's Date header measures the local clock's
 * skew, a common cause of "certificate not yet valid".
 *
 * Nothing here may hang on a slow or hostile server: sockets are
 * non-blocking, every wait has a deadline and the response header read is
 * bounded in size. */
#include <limits.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/probe.h"
#include "../core/util.h"
#include "../platform/netsock.h"
#include "../platform/platform.h"

#define NET_DEFAULT_TIMEOUT_MS 3000
#define NET_MAX_TIMEOUT_MS 60000
#define HTTP_MAX_HEADER (16 * 1024)
#define NAME_MAX_TEXT 2048 /* certificate subject/issuer kept in a row */

struct target {
	char *id;
	char *url;
};

struct url {
	int https;
	int ip_literal;     /* host is a numeric address: no SNI, IP check */
	int ipv6;           /* written in brackets */
	int port;
	int port_explicit;
	char host[256];     /* without brackets */
	char path[2048];    /* request target, bytes outside printable ASCII %-encoded */
};

/* One network_checks row in the making. Booleans are -1 while unknown (the
 * step did not run), which stores NULL. */
struct check {
	struct url u;
	int url_ok;
	int dns_ok, tcp_ok, tls_ok, verify_ok;
	char address[64];
	char tls_version[32];
	char tls_cipher[128];
	char *cert_subject;
	char *cert_issuer;
	int have_not_before, have_not_after;
	int64_t not_before, not_after;
	char verify_error[256];
	int http_status;
	int have_date;
	int64_t server_date;
	const char *failed_step;
	char error[768];
};

/* The connection the TLS and HTTP steps talk through. */
struct conn {
	cd_sock s;
	SSL *ssl;
	int eof;           /* the peer closed its side */
	int timed_out;     /* the last read or write hit the deadline */
	char io_err[256];  /* why the last read or write failed */
};

/* ---- URL ---- */

static int is_host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_';
}

/* Schemes are case-insensitive (RFC 3986). */
static int has_prefix_ci(const char *s, const char *prefix)
{
	for (; *prefix; s++, prefix++) {
		char c = *s >= 'A' && *s <= 'Z' ? (char)(*s + ('a' - 'A')) : *s;
		if (c != *prefix)
			return 0;
	}
	return 1;
}

static int is_ipv4_literal(const char *h)
{
	int dots = 0;
	for (; *h; h++) {
		if (*h == '.')
			dots++;
		else if (*h < '0' || *h > '9')
			return 0;
	}
	return dots == 3;
}

/* Parses http(s)://[user@]host[:port][/path][?query][#fragment]. Returns 0
 * and sets err on a URL we cannot check. */
static int parse_url(const char *s, struct url *u, char *err, size_t errlen)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *p, *auth_end, *at, *h, *h_end, *port_s = NULL;
	size_t hlen, o = 0;

	memset(u, 0, sizeof(*u));
	if (has_prefix_ci(s, "https://")) {
		u->https = 1;
		p = s + 8;
	} else if (has_prefix_ci(s, "http://")) {
		p = s + 7;
	} else {
		snprintf(err, errlen, "not an http:// or https:// URL");
		return 0;
	}
	auth_end = p + strcspn(p, "/?#");
	/* user:password@ is not sent anywhere: skip it. */
	for (at = auth_end; at > p && at[-1] != '@'; at--)
		;
	h = at > p ? at : p;
	if (*h == '[') {
		h_end = memchr(h, ']', (size_t)(auth_end - h));
		if (!h_end) {
			snprintf(err, errlen, "unterminated [IPv6 address]");
			return 0;
		}
		h++;
		u->ipv6 = u->ip_literal = 1;
		if (h_end + 1 < auth_end) {
			if (h_end[1] != ':') {
				snprintf(err, errlen, "unexpected text after ]");
				return 0;
			}
			port_s = h_end + 2;
		}
	} else {
		h_end = memchr(h, ':', (size_t)(auth_end - h));
		if (h_end)
			port_s = h_end + 1;
		else
			h_end = auth_end;
	}
	hlen = (size_t)(h_end - h);
	if (!hlen || hlen >= sizeof(u->host)) {
		snprintf(err, errlen, "missing or overlong host name");
		return 0;
	}
	memcpy(u->host, h, hlen);
	u->host[hlen] = '\0';
	for (o = 0; o < hlen; o++) {
		char c = u->host[o];
		if (u->ipv6 ? !(is_host_char(c) || c == ':' || c == '%') : !is_host_char(c)) {
			snprintf(err, errlen, "host name has a character we do not resolve (%s)",
				 (unsigned char)c >= 0x80 ? "internationalised names need punycode"
							  : "invalid character");
			return 0;
		}
	}
	if (!u->ipv6)
		u->ip_literal = is_ipv4_literal(u->host);
	u->port = u->https ? 443 : 80;
	if (port_s && port_s < auth_end) {
		long v = 0;
		const char *q;
		for (q = port_s; q < auth_end; q++) {
			if (*q < '0' || *q > '9' || v > 65535) {
				snprintf(err, errlen, "invalid port");
				return 0;
			}
			v = v * 10 + (*q - '0');
		}
		if (v < 1 || v > 65535) {
			snprintf(err, errlen, "invalid port");
			return 0;
		}
		u->port = (int)v;
		u->port_explicit = 1;
	}
	/* The request target: path and query, never the fragment. Bytes that
	 * cannot appear on a request line are %-encoded, so a URL can never
	 * inject a header. */
	o = 0;
	if (*auth_end != '/')
		u->path[o++] = '/';
	for (p = auth_end; *p && *p != '#'; p++) {
		unsigned char c = (unsigned char)*p;
		if (o + 4 > sizeof(u->path)) {
			snprintf(err, errlen, "URL path too long");
			return 0;
		}
		if (c <= 0x20 || c >= 0x7f) {
			u->path[o++] = '%';
			u->path[o++] = hex[c >> 4];
			u->path[o++] = hex[c & 15];
		} else {
			u->path[o++] = (char)c;
		}
	}
	u->path[o] = '\0';
	return 1;
}

/* ---- time ---- */

/* Days from 1970-01-01 to a civil date (Howard Hinnant's algorithm): a
 * portable timegm, which neither C11 nor Windows has. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int64_t utc_seconds(int64_t y, int mon, int d, int hh, int mm, int ss)
{
	return days_from_civil(y, mon, d) * 86400 + hh * 3600 + mm * 60 + ss;
}

static int month_index(const char *m)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int i;
	for (i = 0; i < 12; i++)
		if (!strncmp(m, names + 3 * i, 3))
			return i + 1;
	return 0;
}

/* An HTTP date: IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), and the
 * obsolete RFC 850 and asctime forms, which RFC 7231 says a recipient must
 * accept too. Returns 1 and sets *out on success. */
static int parse_http_date(const char *s, int64_t *out)
{
	char wk[16], mon[4], zone[4];
	int d, y, hh, mm, ss, m;

	if (sscanf(s, "%15[A-Za-z], %2d %3s %4d %2d:%2d:%2d %3s", wk, &d, mon, &y, &hh, &mm, &ss,
		   zone) == 8 &&
	    !strcmp(zone, "GMT")) {
	} else if (sscanf(s, "%15[A-Za-z], %2d-%3s-%2d %2d:%2d:%2d %3s", wk, &d, mon, &y, &hh, &mm,
			  &ss, zone) == 8 &&
		   !strcmp(zone, "GMT")) {
		y += y < 70 ? 2000 : 1900;
	} else if (sscanf(s, "%3s %3s %2d %2d:%2d:%2d %4d", wk, mon, &d, &hh, &mm, &ss, &y) != 7) {
		return 0;
	}
	m = month_index(mon);
	if (!m || d < 1 || d > 31 || hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60 ||
	    y < 1970 || y > 9999)
		return 0;
	*out = utc_seconds(y, m, d, hh, mm, ss);
	return 1;
}

static int asn1_time_epoch(const ASN1_TIME *t, int64_t *out)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	if (!t || ASN1_TIME_to_tm(t, &tm) != 1)
		return 0;
	*out = utc_seconds((int64_t)tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
			   tm.tm_min, tm.tm_sec);
	return 1;
}

/* ---- OpenSSL over netsock ---- */

/* TLS reads and writes go through netsock rather than OpenSSL's own socket
 * BIO: that one writes with plain send(), which raises SIGPIPE on Linux when
 * the server resets the connection, and takes the socket as an int. */
static int bio_conn_write(BIO *b, const char *p, int n)
{
	struct conn *c = BIO_get_data(b);
	long r;

	BIO_clear_retry_flags(b);
	if (n <= 0)
		return 0;
	r = cd_net_send(c->s, p, (size_t)n);
	if (r == CD_NET_AGAIN) {
		BIO_set_retry_write(b);
		return -1;
	}
	if (r < 0) {
		cd_net_last_error_text(c->io_err, sizeof(c->io_err));
		return -1;
	}
	return (int)r;
}

static int bio_conn_read(BIO *b, char *p, int n)
{
	struct conn *c = BIO_get_data(b);
	long r;

	BIO_clear_retry_flags(b);
	if (n <= 0)
		return 0;
	r = cd_net_recv(c->s, p, (size_t)n);
	if (r == CD_NET_AGAIN) {
		BIO_set_retry_read(b);
		return -1;
	}
	if (r < 0) {
		cd_net_last_error_text(c->io_err, sizeof(c->io_err));
		return -1;
	}
	if (r == 0)
		c->eof = 1;
	return (int)r;
}

static long bio_conn_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	struct conn *c = BIO_get_data(b);
	(void)num;
	(void)ptr;
	switch (cmd) {
	case BIO_CTRL_FLUSH:
		return 1;
	case BIO_CTRL_EOF:
		/* OpenSSL asks after a read of 0 bytes to tell EOF from an error. */
		return c && c->eof;
	default:
		return 0;
	}
}

/* A method table per run, freed at the end. Its type has no index from
 * BIO_get_new_index(): that is a process-wide counter that runs out after
 * some hundred calls, and nothing looks this BIO up by type. */
static BIO_METHOD *conn_bio_method(void)
{
	BIO_METHOD *m = BIO_meth_new(BIO_TYPE_SOURCE_SINK, "cadoctor netsock");
	if (!m)
		return NULL;
	if (!BIO_meth_set_write(m, bio_conn_write) || !BIO_meth_set_read(m, bio_conn_read) ||
	    !BIO_meth_set_ctrl(m, bio_conn_ctrl)) {
		BIO_meth_free(m);
		return NULL;
	}
	return m;
}

static SSL_CTX *tls_client_ctx(void)
{
	SSL_CTX *t = SSL_CTX_new(TLS_client_method());
	if (!t)
		return NULL;
	/* Every protocol from TLS 1.0 up, and security level 0 (OpenSSL 3's
	 * default level forbids the SHA-1 signatures TLS 1.0/1.1 need), so an
	 * outdated platform is reported with what it speaks instead of failing. */
	SSL_CTX_set_security_level(t, 0);
	SSL_CTX_set_min_proto_version(t, TLS1_VERSION);
	SSL_CTX_set_max_proto_version(t, 0);
	/* Old servers without secure renegotiation are common on government
	 * sites; a server that closes without close_notify after "Connection:
	 * close" is normal HTTP, not an error. */
	SSL_CTX_set_options(t, SSL_OP_LEGACY_SERVER_CONNECT | SSL_OP_IGNORE_UNEXPECTED_EOF);
	/* Verify, but only record the outcome: SSL_VERIFY_NONE still runs the
	 * check and keeps its result for SSL_get_verify_result. */
	SSL_CTX_set_verify(t, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_default_verify_paths(t);
	return t;
}

/* The first queued OpenSSL reason, e.g. "unsupported protocol", else what
 * the socket said, else what happened. */
static void tls_error_text(const struct conn *c, int ssl_err, char *out, size_t outlen)
{
	unsigned long e = ERR_get_error();
	if (e) {
		const char *reason = ERR_reason_error_string(e);
		if (reason)
			snprintf(out, outlen, "%s", reason);
		else
			ERR_error_string_n(e, out, outlen);
	} else if (c->io_err[0]) {
		snprintf(out, outlen, "%s", c->io_err);
	} else if (c->eof) {
		snprintf(out, outlen, "the server closed the connection");
	} else {
		snprintf(out, outlen, "TLS error %d", ssl_err);
	}
	ERR_clear_error();
}

/* Subject or issuer as one UTF-8 line in RFC 2253 order (the form the
 * certificates table uses), bounded in length. */
static char *name_text(const X509_NAME *name)
{
	BIO *m = BIO_new(BIO_s_mem());
	char *p = NULL, *s = NULL;
	long len;

	if (!m)
		return NULL;
	if (X509_NAME_print_ex(m, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
		len = BIO_get_mem_data(m, &p);
		if (len > 0 && p) {
			size_t n = (size_t)len;
			if (n > NAME_MAX_TEXT) {
				n = NAME_MAX_TEXT;
				while (n > 0 && ((unsigned char)p[n] & 0xC0) == 0x80)
					n--; /* do not cut a UTF-8 sequence */
			}
			s = cd_strndup(p, n);
		}
	}
	BIO_free(m);
	return s;
}

static void record_peer(SSL *ssl, struct check *ck)
{
	X509 *cert = SSL_get1_peer_certificate(ssl);
	long v;

	if (!cert)
		return;
	ck->cert_subject = name_text(X509_get_subject_name(cert));
	ck->cert_issuer = name_text(X509_get_issuer_name(cert));
	ck->have_not_before = asn1_time_epoch(X509_get0_notBefore(cert), &ck->not_before);
	ck->have_not_after = asn1_time_epoch(X509_get0_notAfter(cert), &ck->not_after);
	v = SSL_get_verify_result(ssl);
	ck->verify_ok = v == X509_V_OK;
	if (v != X509_V_OK)
		snprintf(ck->verify_error, sizeof(ck->verify_error), "%s",
			 X509_verify_cert_error_string(v));
	X509_free(cert);
}

static int tls_handshake(SSL_CTX *sctx, BIO_METHOD *meth, struct conn *c, struct check *ck,
			 int timeout_ms)
{
	int64_t deadline = cd_monotonic_ms() + timeout_ms;
	BIO *bio;

	ERR_clear_error();
	c->ssl = SSL_new(sctx);
	bio = BIO_new(meth);
	if (!c->ssl || !bio) {
		BIO_free(bio);
		snprintf(ck->error, sizeof(ck->error), "out of memory starting TLS");
		return 0;
	}
	BIO_set_data(bio, c);
	BIO_set_init(bio, 1);
	SSL_set_bio(c->ssl, bio, bio); /* the SSL owns it now */
	/* SNI and the name check are for host names; RFC 6066 forbids an
	 * address in SNI, and an address is checked against IP SANs. */
	if (!ck->u.ip_literal) {
		SSL_set_tlsext_host_name(c->ssl, ck->u.host);
		SSL_set1_host(c->ssl, ck->u.host);
	} else {
		X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(c->ssl), ck->u.host);
	}
	SSL_set_connect_state(c->ssl);
	for (;;) {
		int r, err, w;
		int64_t left;

		ERR_clear_error();
		r = SSL_do_handshake(c->ssl);
		if (r == 1)
			break;
		err = SSL_get_error(c->ssl, r);
		if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) {
			tls_error_text(c, err, ck->error, sizeof(ck->error));
			record_peer(c->ssl, ck); /* a certificate may have come before the failure */
			return 0;
		}
		left = deadline - cd_monotonic_ms();
		w = left > 0 ? cd_net_wait(c->s, err == SSL_ERROR_WANT_WRITE, (int)left) : 0;
		if (w == 0) {
			snprintf(ck->error, sizeof(ck->error),
				 "TLS handshake not finished within %d ms",
				 timeout_ms);
			return 0;
		}
		if (w < 0) {
			cd_net_last_error_text(ck->error, sizeof(ck->error));
			return 0;
		}
	}
	snprintf(ck->tls_version, sizeof(ck->tls_version), "%s", SSL_get_version(c->ssl));
	snprintf(ck->tls_cipher, sizeof(ck->tls_cipher), "%s", SSL_get_cipher_name(c->ssl));
	record_peer(c->ssl, ck);
	return 1;
}

/* ---- HTTP ---- */

/* One read or write, waiting no later than deadline. Returns the bytes
 * moved, 0 at the end of the stream, -1 on error (c->io_err says which) or
 * time-out (c->timed_out). */
static long conn_io(struct conn *c, void *p, size_t n, int writing, int64_t deadline)
{
	for (;;) {
		int want_write = writing, w;
		int64_t left;
		long r;

		if (c->ssl) {
			int k = n > INT_MAX ? INT_MAX : (int)n;
			ERR_clear_error();
			r = writing ? SSL_write(c->ssl, p, k) : SSL_read(c->ssl, p, k);
			if (r > 0)
				return r;
			switch (SSL_get_error(c->ssl, (int)r)) {
			case SSL_ERROR_ZERO_RETURN:
				return 0;
			case SSL_ERROR_WANT_READ:
				want_write = 0;
				break;
			case SSL_ERROR_WANT_WRITE:
				want_write = 1;
				break;
			default:
				tls_error_text(c, -1, c->io_err, sizeof(c->io_err));
				return -1;
			}
		} else {
			r = writing ? cd_net_send(c->s, p, n) : cd_net_recv(c->s, p, n);
			if (r >= 0)
				return r;
			if (r != CD_NET_AGAIN) {
				cd_net_last_error_text(c->io_err, sizeof(c->io_err));
				return -1;
			}
		}
		left = deadline - cd_monotonic_ms();
		w = left > 0 ? cd_net_wait(c->s, want_write, (int)left) : 0;
		if (w == 0) {
			c->timed_out = 1;
			snprintf(c->io_err, sizeof(c->io_err), "timed out");
			return -1;
		}
		if (w < 0) {
			cd_net_last_error_text(c->io_err, sizeof(c->io_err));
			return -1;
		}
	}
}

/* Header value of a line "Name: value" if the line is that header. */
static const char *header_value(const char *line, size_t len, const char *name)
{
	size_t n = strlen(name), i;
	if (len <= n || line[n] != ':')
		return NULL;
	for (i = 0; i < n; i++)
		if ((line[i] | 0x20) != (name[i] | 0x20))
			return NULL;
	line += n + 1;
	while (*line == ' ' || *line == '\t')
		line++;
	return line;
}

/* Status code and Date from a response header (NUL-terminated, possibly cut
 * short by the size limit: what is there is still used). */
static int parse_response(char *hdr, struct check *ck)
{
	char *line = hdr, *nl;
	int first = 1;

	while (line && *line) {
		size_t len;
		nl = strchr(line, '\n');
		len = nl ? (size_t)(nl - line) : strlen(line);
		if (len && line[len - 1] == '\r')
			len--;
		if (nl)
			*nl = '\0';
		line[len] = '\0';
		if (!len)
			break; /* end of the header */
		if (first) {
			/* HTTP/1.1 200 OK */
			const char *sp = strchr(line, ' ');
			if (strncmp(line, "HTTP/", 5) || !sp || sp[1] < '1' || sp[1] > '5' ||
			    sp[2] < '0' || sp[2] > '9' || sp[3] < '0' || sp[3] > '9' ||
			    (sp[4] && sp[4] != ' '))
				return 0;
			ck->http_status = (sp[1] - '0') * 100 + (sp[2] - '0') * 10 + (sp[3] - '0');
			first = 0;
		} else {
			const char *v = header_value(line, len, "Date");
			if (v && !ck->have_date)
				ck->have_date = parse_http_date(v, &ck->server_date);
		}
		line = nl ? nl + 1 : NULL;
	}
	return !first;
}

static int http_head(struct conn *c, struct check *ck, int timeout_ms)
{
	int64_t deadline = cd_monotonic_ms() + timeout_ms;
	char req[3072], port[8] = "", *hdr;
	size_t len = 0, reqlen, sent = 0;
	int n;
	long r = 0;

	if (ck->u.port_explicit)
		snprintf(port, sizeof(port), ":%d", ck->u.port);
	n = snprintf(req, sizeof(req),
		     "HEAD %s HTTP/1.1\r\nHost: %s%s%s%s\r\nUser-Agent: cadoctor/%s\r\n"
		     "Accept: */*\r\nConnection: close\r\n\r\n",
		     ck->u.path, ck->u.ipv6 ? "[" : "", ck->u.host, ck->u.ipv6 ? "]" : "", port,
		     CADOCTOR_VERSION);
	if (n < 0 || (size_t)n >= sizeof(req)) {
		snprintf(ck->error, sizeof(ck->error), "request too long");
		return 0;
	}
	reqlen = (size_t)n;
	while (sent < reqlen) {
		r = conn_io(c, req + sent, reqlen - sent, 1, deadline);
		if (r <= 0) {
			snprintf(ck->error, sizeof(ck->error), "sending the request: %s",
				 r == 0 ? "connection closed" : c->io_err);
			return 0;
		}
		sent += (size_t)r;
	}
	if (!(hdr = malloc(HTTP_MAX_HEADER + 1))) {
		snprintf(ck->error, sizeof(ck->error), "out of memory");
		return 0;
	}
	/* Until the blank line that ends the header, the end of the stream, the
	 * size limit or the deadline, whichever comes first. */
	while (len < HTTP_MAX_HEADER) {
		r = conn_io(c, hdr + len, HTTP_MAX_HEADER - len, 0, deadline);
		if (r <= 0)
			break;
		len += (size_t)r;
		hdr[len] = '\0';
		if (strstr(hdr, "\r\n\r\n") || strstr(hdr, "\n\n"))
			break;
	}
	hdr[len] = '\0';
	if (!len) {
		if (c->timed_out)
			snprintf(ck->error, sizeof(ck->error), "no response within %d ms",
				 timeout_ms);
		else
			snprintf(ck->error, sizeof(ck->error), "no response: %s",
				 r == 0 ? "the server closed the connection" : c->io_err);
		free(hdr);
		return 0;
	}
	if (!parse_response(hdr, ck)) {
		snprintf(ck->error, sizeof(ck->error), "the response is not HTTP");
		free(hdr);
		return 0;
	}
	free(hdr);
	return 1;
}

/* ---- one target ---- */

static void fail(struct check *ck, const char *step)
{
	if (!ck->failed_step)
		ck->failed_step = step;
}

static void run_check(const char *url, SSL_CTX *sctx, BIO_METHOD *meth, int timeout_ms,
		      struct check *ck)
{
	struct cd_net_addrs addrs;
	struct conn c;
	char err[256];
	size_t off = 0;
	int64_t deadline;
	int i;

	memset(&c, 0, sizeof(c));
	c.s = CD_SOCK_NONE;
	if (!parse_url(url, &ck->u, ck->error, sizeof(ck->error))) {
		fail(ck, "url");
		return;
	}
	ck->url_ok = 1;

	if (cd_net_resolve(ck->u.host, ck->u.port, timeout_ms, &addrs, err, sizeof(err)) != CD_OK) {
		ck->dns_ok = 0;
		snprintf(ck->error, sizeof(ck->error), "%s: %s", ck->u.host, err);
		fail(ck, "dns");
		return;
	}
	ck->dns_ok = 1;
	snprintf(ck->address, sizeof(ck->address), "%s", addrs.a[0].text);

	/* Each address in turn (::1 may refuse where 127.0.0.1 answers), all
	 * within the one time limit of the step. */
	deadline = cd_monotonic_ms() + timeout_ms;
	ck->tcp_ok = 0;
	for (i = 0; i < addrs.n; i++) {
		const struct cd_net_addr *a = &addrs.a[i];
		int64_t left = deadline - cd_monotonic_ms();
		if (left <= 0)
			break;
		if (cd_net_connect(a, (int)left, &c.s, err, sizeof(err)) == CD_OK) {
			ck->tcp_ok = 1;
			break;
		}
		if (off < sizeof(ck->error)) {
			int v6 = strchr(a->text, ':') != NULL;
			int k = snprintf(ck->error + off, sizeof(ck->error) - off, "%s%s%s%s:%d: %s",
					 off ? "; " : "", v6 ? "[" : "", a->text, v6 ? "]" : "",
					 ck->u.port, err);
			off += k > 0 ? (size_t)k : 0;
		}
	}
	if (!ck->tcp_ok) {
		if (!off)
			snprintf(ck->error, sizeof(ck->error), "no connection within %d ms", timeout_ms);
		fail(ck, "tcp");
		return;
	}
	ck->error[0] = '\0';
	/* A second guard: the steps below never block, but should one ever do
	 * so the OS limits it too. */
	cd_net_set_timeouts(c.s, timeout_ms);

	if (ck->u.https) {
		ck->tls_ok = tls_handshake(sctx, meth, &c, ck, timeout_ms);
		if (!ck->tls_ok) {
			fail(ck, "tls");
			goto out;
		}
	}
	if (!http_head(&c, ck, timeout_ms))
		fail(ck, "http");
out:
	/* No SSL_shutdown: it would wait on the server again, and the socket is
	 * closed at once anyway. */
	SSL_free(c.ssl);
	cd_net_close(c.s);
	ERR_clear_error();
}

static cd_err insert_row(struct cd_probe_ctx *ctx, const struct target *t, const struct check *ck,
			 int64_t elapsed)
{
	struct cd_row r;
	cd_row_init(&r, "network_checks");
	cd_row_text(&r, "target", t->id);
	cd_row_text(&r, "url", t->url);
	cd_row_text(&r, "host", ck->u.host[0] ? ck->u.host : NULL);
	if (ck->url_ok)
		cd_row_int(&r, "port", ck->u.port);
	cd_row_bool(&r, "dns_ok", ck->dns_ok);
	cd_row_text(&r, "address", ck->address[0] ? ck->address : NULL);
	cd_row_bool(&r, "tcp_ok", ck->tcp_ok);
	cd_row_bool(&r, "tls_ok", ck->tls_ok);
	cd_row_text(&r, "tls_version", ck->tls_version[0] ? ck->tls_version : NULL);
	cd_row_text(&r, "tls_cipher", ck->tls_cipher[0] ? ck->tls_cipher : NULL);
	cd_row_text(&r, "cert_subject", ck->cert_subject);
	cd_row_text(&r, "cert_issuer", ck->cert_issuer);
	if (ck->have_not_before)
		cd_row_int(&r, "cert_not_before", ck->not_before);
	if (ck->have_not_after)
		cd_row_int(&r, "cert_not_after", ck->not_after);
	cd_row_bool(&r, "verify_ok", ck->verify_ok);
	cd_row_text(&r, "verify_error", ck->verify_error[0] ? ck->verify_error : NULL);
	if (ck->http_status > 0)
		cd_row_int(&r, "http_status", ck->http_status);
	if (ck->have_date)
		cd_row_int(&r, "server_date", ck->server_date);
	cd_row_text(&r, "failed_step", ck->failed_step);
	cd_row_text(&r, "error", ck->failed_step && ck->error[0] ? ck->error : NULL);
	cd_row_int(&r, "elapsed_ms", elapsed);
	return cd_row_insert(ctx->facts, &r);
}

/* ---- targets ---- */

static int add_target(struct target **v, size_t *n, size_t *cap, const char *id, size_t idlen,
		      const char *url)
{
	struct target *t;
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		struct target *nv = realloc(*v, nc * sizeof(*nv));
		if (!nv)
			return 0;
		*v = nv;
		*cap = nc;
	}
	t = &(*v)[*n];
	t->id = cd_strndup(id, idlen);
	t->url = cd_strdup(url);
	if (!t->id || !t->url) {
		free(t->id);
		free(t->url);
		return 0;
	}
	(*n)++;
	return 1;
}

static void free_targets(struct target *v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].url);
	}
	free(v);
}

/* --net-target values ("id=URL"; a bare URL is its own id) or else the
 * catalog's platform addresses. */
static cd_err load_targets(struct cd_probe_ctx *ctx, struct target **out, size_t *count)
{
	const struct cd_scan_opts *o = ctx->opts;
	struct target *v = NULL;
	size_t n = 0, cap = 0, i;
	sqlite3_stmt *st = NULL;

	*out = NULL;
	*count = 0;
	if (o && o->n_net_targets > 0 && o->net_targets) {
		for (i = 0; i < o->n_net_targets; i++) {
			const char *s = o->net_targets[i];
			const char *eq = s ? strchr(s, '=') : NULL;
			const char *scheme = s ? strstr(s, "://") : NULL;
			int ok;
			if (!s)
				continue;
			/* The '=' of a query string is not an id separator. */
			if (eq && (!scheme || eq < scheme))
				ok = add_target(&v, &n, &cap, s, (size_t)(eq - s), eq + 1);
			else
				ok = add_target(&v, &n, &cap, s, strlen(s), s);
			if (!ok) {
				free_targets(v, n);
				return CD_ERR_NOMEM;
			}
		}
	} else if (sqlite3_prepare_v2(cd_facts_db(ctx->facts),
				      "SELECT id, url FROM rules.cat_platforms WHERE url LIKE 'http%'",
				      -1, &st, NULL) == SQLITE_OK) {
		/* No rules attached or no such catalog table: no targets. */
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *id = (const char *)sqlite3_column_text(st, 0);
			const char *url = (const char *)sqlite3_column_text(st, 1);
			if (!url)
				continue;
			if (!id)
				id = url;
			if (!add_target(&v, &n, &cap, id, strlen(id), url)) {
				sqlite3_finalize(st);
				free_targets(v, n);
				return CD_ERR_NOMEM;
			}
		}
	}
	sqlite3_finalize(st);
	*out = v;
	*count = n;
	return CD_OK;
}

static cd_err collect_net(struct cd_probe_ctx *ctx)
{
	const struct cd_scan_opts *o = ctx->opts;
	int timeout_ms = o && o->net_timeout_ms > 0 ? o->net_timeout_ms : NET_DEFAULT_TIMEOUT_MS;
	struct target *targets;
	size_t n, i;
	SSL_CTX *sctx;
	BIO_METHOD *meth;
	cd_err e;

	if (o && o->offline)
		return CD_ERR_UNSUPPORTED;
	if (timeout_ms > NET_MAX_TIMEOUT_MS)
		timeout_ms = NET_MAX_TIMEOUT_MS;
	if ((e = load_targets(ctx, &targets, &n)) != CD_OK)
		return e;
	if (!n)
		return CD_OK;
	sctx = tls_client_ctx();
	meth = conn_bio_method();
	if (!sctx || !meth) {
		SSL_CTX_free(sctx);
		BIO_meth_free(meth);
		free_targets(targets, n);
		ERR_clear_error();
		return CD_ERR_NOMEM;
	}
	for (i = 0; i < n; i++) {
		struct check ck;
		int64_t t0 = cd_monotonic_ms();

		memset(&ck, 0, sizeof(ck));
		ck.dns_ok = ck.tcp_ok = ck.tls_ok = ck.verify_ok = -1;
		run_check(targets[i].url, sctx, meth, timeout_ms, &ck);
		if (ck.failed_step && !strcmp(ck.failed_step, "url"))
			cd_probe_error(ctx, targets[i].url, CD_ERR_INVALID, "%s", ck.error);
		e = insert_row(ctx, &targets[i], &ck, cd_monotonic_ms() - t0);
		free(ck.cert_subject);
		free(ck.cert_issuer);
		if (e)
			cd_probe_error(ctx, targets[i].id, e, "could not record the check");
	}
	SSL_CTX_free(sctx);
	BIO_meth_free(meth);
	free_targets(targets, n);
	return CD_OK;
}

const struct cd_probe cd_probe_net_platforms = {
	"net.platforms",
	"network_checks",
	collect_net,
};
