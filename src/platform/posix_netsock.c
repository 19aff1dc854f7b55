/* POSIX implementation of netsock.h: BSD sockets and poll. */
#include "netsock.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "platform.h"

static void errno_text(int code, char *out, size_t outlen)
{
	/* XSI strerror_r (no _GNU_SOURCE): thread-safe, fills out. */
	if (!outlen)
		return;
	if (strerror_r(code, out, outlen) != 0)
		snprintf(out, outlen, "error %d", code);
}

/* The resolver's job. It lives on the heap with two references, the
 * caller's and the worker's, and whichever side lets go last frees it: a
 * worker abandoned on time-out may finish long after the caller returned. */
struct resolve_job {
	atomic_int refs;
	char host[256];
	char port[8];
	struct cd_net_addrs addrs;
	int failed;
	char err[256];
};

static void job_release(struct resolve_job *j)
{
	if (atomic_fetch_sub(&j->refs, 1) == 1)
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
	/* No AI_ADDRCONFIG: on a machine whose only interface is loopback it
	 * hides 127.0.0.1 and ::1; connecting tries each address anyway. */
	hints.ai_flags = AI_NUMERICSERV;
	rc = getaddrinfo(j->host, j->port, &hints, &res);
	if (rc != 0) {
		j->failed = 1;
		if (rc == EAI_SYSTEM)
			errno_text(errno, j->err, sizeof(j->err));
		else
			snprintf(j->err, sizeof(j->err), "%s", gai_strerror(rc));
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
		if (getnameinfo(ai->ai_addr, ai->ai_addrlen, a->text, sizeof(a->text), NULL, 0,
				NI_NUMERICHOST) != 0)
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
	if (!(j = calloc(1, sizeof(*j))))
		return CD_ERR_NOMEM;
	atomic_init(&j->refs, 2);
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

/* poll() for one event, restarted after signals with the time that is left. */
static int wait_fd(int fd, short events, int timeout_ms)
{
	int64_t deadline = cd_monotonic_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	for (;;) {
		struct pollfd pfd;
		int64_t left = deadline - cd_monotonic_ms();
		int r;
		pfd.fd = fd;
		pfd.events = events;
		pfd.revents = 0;
		r = poll(&pfd, 1, left > 0 ? (int)left : 0);
		if (r > 0)
			return 1; /* POLLERR/POLLHUP too: the next call reports the error */
		if (r == 0)
			return 0;
		if (errno != EINTR)
			return -1;
	}
}

cd_err cd_net_connect(const struct cd_net_addr *addr, int timeout_ms, cd_sock *out, char *err,
		      size_t errlen)
{
	struct sockaddr_storage ss;
	int fd, flags, soerr = 0, w;
	socklen_t sl = sizeof(soerr);

	*out = CD_SOCK_NONE;
	if (errlen)
		err[0] = '\0';
	if (addr->len <= 0 || (size_t)addr->len > sizeof(ss)) {
		snprintf(err, errlen, "invalid address");
		return CD_ERR_INVALID;
	}
	memset(&ss, 0, sizeof(ss));
	memcpy(&ss, addr->sa.b, (size_t)addr->len);
	fd = socket(addr->family, SOCK_STREAM, IPPROTO_TCP);
	if (fd < 0) {
		errno_text(errno, err, errlen);
		return CD_ERR_NET;
	}
	/* Close-on-exec: a probe that later runs a helper must not leak this. */
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	flags = fcntl(fd, F_GETFL, 0);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
		errno_text(errno, err, errlen);
		close(fd);
		return CD_ERR_NET;
	}
	if (connect(fd, (struct sockaddr *)&ss, (socklen_t)addr->len) == 0) {
		*out = fd;
		return CD_OK;
	}
	if (errno != EINPROGRESS && errno != EINTR) {
		errno_text(errno, err, errlen);
		close(fd);
		return CD_ERR_NET;
	}
	w = wait_fd(fd, POLLOUT, timeout_ms);
	if (w == 0) {
		snprintf(err, errlen, "no connection within %d ms", timeout_ms);
		close(fd);
		return CD_ERR_TIMEOUT;
	}
	if (w < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0) {
		errno_text(errno, err, errlen);
		close(fd);
		return CD_ERR_NET;
	}
	if (soerr) {
		errno_text(soerr, err, errlen);
		close(fd);
		return CD_ERR_NET;
	}
	*out = fd;
	return CD_OK;
}

cd_err cd_net_set_timeouts(cd_sock s, int timeout_ms)
{
	struct timeval tv;
	tv.tv_sec = timeout_ms / 1000;
	tv.tv_usec = (timeout_ms % 1000) * 1000;
	if (setsockopt((int)s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0 ||
	    setsockopt((int)s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) != 0)
		return CD_ERR_NET;
	return CD_OK;
}

int cd_net_wait(cd_sock s, int for_write, int timeout_ms)
{
	return wait_fd((int)s, for_write ? POLLOUT : POLLIN, timeout_ms);
}

long cd_net_send(cd_sock s, const void *p, size_t n)
{
	for (;;) {
		/* MSG_NOSIGNAL: a peer that has gone away gives EPIPE, not SIGPIPE. */
		ssize_t r = send((int)s, p, n, MSG_NOSIGNAL);
		if (r >= 0)
			return (long)r;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return CD_NET_AGAIN;
		if (errno != EINTR)
			return -1;
	}
}

long cd_net_recv(cd_sock s, void *p, size_t n)
{
	for (;;) {
		ssize_t r = recv((int)s, p, n, 0);
		if (r >= 0)
			return (long)r;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return CD_NET_AGAIN;
		if (errno != EINTR)
			return -1;
	}
}

void cd_net_last_error_text(char *out, size_t outlen)
{
	errno_text(errno, out, outlen);
}

void cd_net_close(cd_sock s)
{
	if (s != CD_SOCK_NONE)
		close((int)s);
}
