/* Windows implementation of netsock.h: Winsock2, Windows 7 and later. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include "netsock.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform.h"

/* WSAStartup is reference counted and never undone here: sockets may be
 * needed until the process ends, and an abandoned resolver thread may still
 * be inside getaddrinfo then. InitOnce makes the first call race-free. */
static INIT_ONCE wsa_once = INIT_ONCE_STATIC_INIT;
static int wsa_ok;

static BOOL WINAPI wsa_start(PINIT_ONCE once, PVOID param, PVOID *context)
{
	WSADATA wd;
	(void)once;
	(void)param;
	(void)context;
	wsa_ok = WSAStartup(MAKEWORD(2, 2), &wd) == 0;
	return TRUE;
}

static int wsa_ready(void)
{
	InitOnceExecuteOnce(&wsa_once, wsa_start, NULL, NULL);
	return wsa_ok;
}

/* The system's message for a Winsock error, in UTF-8 and on one line (it is
 * in the language of the system, which is what the user reads anyway). */
static void win_error_text(int code, char *out, size_t outlen)
{
	WCHAR w[256];
	char u[800];
	DWORD n;
	int un = 0;

	if (!outlen)
		return;
	n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
			   (DWORD)code, 0, w, (DWORD)(sizeof(w) / sizeof(w[0])), NULL);
	while (n > 0 && (w[n - 1] == L'\r' || w[n - 1] == L'\n' || w[n - 1] == L' ' ||
			 w[n - 1] == L'.' || w[n - 1] == 0x3002 /* 。 */))
		n--;
	if (n > 0)
		un = WideCharToMultiByte(CP_UTF8, 0, w, (int)n, u, (int)sizeof(u) - 1, NULL, NULL);
	if (un > 0) {
		u[un] = '\0';
		snprintf(out, outlen, "%s (%d)", u, code);
	} else {
		snprintf(out, outlen, "Winsock error %d", code);
	}
}

/* The resolver's job. It lives on the heap with two references, the
 * caller's and the worker's, and whichever side lets go last frees it: a
 * worker abandoned on time-out may finish long after the caller returned. */
struct resolve_job {
	volatile LONG refs;
	char host[256];
	char port[8];
	struct cd_net_addrs addrs;
	int failed;
	char err[256];
};

static void job_release(struct resolve_job *j)
{
	if (InterlockedDecrement(&j->refs) == 0)
		free(j);
}

static void resolve_worker(void *p)
{
	struct resolve_job *j = p;
	struct addrinfo hints, *res = NULL, *ai;
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_TCP;
	hints.ai_flags = AI_NUMERICSERV;
	rc = getaddrinfo(j->host, j->port, &hints, &res);
	if (rc != 0) {
		j->failed = 1;
		win_error_text(rc, j->err, sizeof(j->err));
		job_release(j);
		return;
	}
	for (ai = res; ai && j->addrs.n < CD_NET_MAX_ADDRS; ai = ai->ai_next) {
		struct cd_net_addr *a = &j->addrs.a[j->addrs.n];
		if ((ai->ai_family != AF_INET && ai->ai_family != AF_INET6) ||
		    ai->ai_addrlen > sizeof(a->sa.b))
			continue;
		a->family = ai->ai_family;
		a->len = (int)ai->ai_addrlen;
		memcpy(a->sa.b, ai->ai_addr, ai->ai_addrlen);
		if (getnameinfo(ai->ai_addr, (socklen_t)ai->ai_addrlen, a->text,
				(DWORD)sizeof(a->text), NULL, 0, NI_NUMERICHOST) != 0)
			snprintf(a->text, sizeof(a->text), "?");
		j->addrs.n++;
	}
	freeaddrinfo(res);
	if (!j->addrs.n) {
		j->failed = 1;
		snprintf(j->err, sizeof(j->err), "no IPv4 or IPv6 address for the name");
	}
	job_release(j);
}

cd_err cd_net_resolve(const char *host, int port, int timeout_ms, struct cd_net_addrs *out,
		      char *err, size_t errlen)
{
	struct resolve_job *j;
	cd_err e;

	out->n = 0;
	if (errlen)
		err[0] = '\0';
	if (!host || !*host || strlen(host) >= sizeof(j->host) || port <= 0 || port > 65535) {
		snprintf(err, errlen, "invalid host name or port");
		return CD_ERR_INVALID;
	}
	if (!wsa_ready()) {
		snprintf(err, errlen, "Winsock could not be started");
		return CD_ERR_NET;
	}
	if (!(j = calloc(1, sizeof(*j))))
		return CD_ERR_NOMEM;
	j->refs = 2;
	snprintf(j->host, sizeof(j->host), "%s", host);
	snprintf(j->port, sizeof(j->port), "%d", port);
	e = cd_run_with_timeout(resolve_worker, j, timeout_ms);
	if (e == CD_ERR_NOMEM) {
		free(j); /* the worker never ran */
		return e;
	}
	if (e == CD_ERR_TIMEOUT) {
		snprintf(err, errlen, "no answer from the resolver within %d ms", timeout_ms);
		job_release(j);
		return e;
	}
	if (j->failed) {
		snprintf(err, errlen, "%s", j->err);
		e = CD_ERR_NET;
	} else {
		*out = j->addrs;
	}
	job_release(j);
	return e;
}

static void ms_to_timeval(int ms, struct timeval *tv)
{
	if (ms < 0)
		ms = 0;
	tv->tv_sec = ms / 1000;
	tv->tv_usec = (ms % 1000) * 1000;
}

cd_err cd_net_connect(const struct cd_net_addr *addr, int timeout_ms, cd_sock *out, char *err,
		      size_t errlen)
{
	struct sockaddr_storage ss;
	SOCKET s;
	u_long nonblocking = 1;
	fd_set wr, ex;
	struct timeval tv;
	int r, soerr = 0, sl = (int)sizeof(soerr);

	*out = CD_SOCK_NONE;
	if (errlen)
		err[0] = '\0';
	if (addr->len <= 0 || (size_t)addr->len > sizeof(ss)) {
		snprintf(err, errlen, "invalid address");
		return CD_ERR_INVALID;
	}
	if (!wsa_ready()) {
		snprintf(err, errlen, "Winsock could not be started");
		return CD_ERR_NET;
	}
	memset(&ss, 0, sizeof(ss));
	memcpy(&ss, addr->sa.b, (size_t)addr->len);
	s = socket(addr->family, SOCK_STREAM, IPPROTO_TCP);
	if (s == INVALID_SOCKET) {
		win_error_text(WSAGetLastError(), err, errlen);
		return CD_ERR_NET;
	}
	/* Not inherited: a helper process started later must not hold it open. */
	SetHandleInformation((HANDLE)s, HANDLE_FLAG_INHERIT, 0);
	if (ioctlsocket(s, FIONBIO, &nonblocking) != 0) {
		win_error_text(WSAGetLastError(), err, errlen);
		closesocket(s);
		return CD_ERR_NET;
	}
	if (connect(s, (const struct sockaddr *)&ss, addr->len) == 0) {
		*out = (cd_sock)s;
		return CD_OK;
	}
	r = WSAGetLastError();
	if (r != WSAEWOULDBLOCK && r != WSAEINPROGRESS) {
		win_error_text(r, err, errlen);
		closesocket(s);
		return CD_ERR_NET;
	}
	/* A refused connection shows in the exception set, not the write set. */
	FD_ZERO(&wr);
	FD_ZERO(&ex);
	FD_SET(s, &wr);
	FD_SET(s, &ex);
	ms_to_timeval(timeout_ms, &tv);
	r = select(0, NULL, &wr, &ex, &tv);
	if (r == 0) {
		snprintf(err, errlen, "no connection within %d ms", timeout_ms);
		closesocket(s);
		return CD_ERR_TIMEOUT;
	}
	if (r == SOCKET_ERROR ||
	    getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&soerr, &sl) != 0) {
		win_error_text(WSAGetLastError(), err, errlen);
		closesocket(s);
		return CD_ERR_NET;
	}
	if (soerr || FD_ISSET(s, &ex)) {
		win_error_text(soerr ? soerr : WSAECONNREFUSED, err, errlen);
		closesocket(s);
		return CD_ERR_NET;
	}
	*out = (cd_sock)s;
	return CD_OK;
}

cd_err cd_net_set_timeouts(cd_sock s, int timeout_ms)
{
	/* Winsock takes a DWORD of milliseconds, not a struct timeval. */
	DWORD ms = timeout_ms > 0 ? (DWORD)timeout_ms : 1;
	if (setsockopt((SOCKET)s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&ms, sizeof(ms)) != 0 ||
	    setsockopt((SOCKET)s, SOL_SOCKET, SO_SNDTIMEO, (const char *)&ms, sizeof(ms)) != 0)
		return CD_ERR_NET;
	return CD_OK;
}

int cd_net_wait(cd_sock s, int for_write, int timeout_ms)
{
	fd_set set, ex;
	struct timeval tv;
	int r;

	FD_ZERO(&set);
	FD_ZERO(&ex);
	FD_SET((SOCKET)s, &set);
	FD_SET((SOCKET)s, &ex);
	ms_to_timeval(timeout_ms, &tv);
	r = for_write ? select(0, NULL, &set, &ex, &tv) : select(0, &set, NULL, &ex, &tv);
	if (r == SOCKET_ERROR)
		return -1;
	return r > 0 ? 1 : 0; /* an exception too: the next call reports it */
}

long cd_net_send(cd_sock s, const void *p, size_t n)
{
	int r = send((SOCKET)s, (const char *)p, n > INT_MAX ? INT_MAX : (int)n, 0);
	if (r != SOCKET_ERROR)
		return r;
	return WSAGetLastError() == WSAEWOULDBLOCK ? CD_NET_AGAIN : -1;
}

long cd_net_recv(cd_sock s, void *p, size_t n)
{
	int r = recv((SOCKET)s, (char *)p, n > INT_MAX ? INT_MAX : (int)n, 0);
	if (r != SOCKET_ERROR)
		return r;
	return WSAGetLastError() == WSAEWOULDBLOCK ? CD_NET_AGAIN : -1;
}

void cd_net_last_error_text(char *out, size_t outlen)
{
	win_error_text(WSAGetLastError(), out, outlen);
}

void cd_net_close(cd_sock s)
{
	if (s != CD_SOCK_NONE)
		closesocket((SOCKET)s);
}
