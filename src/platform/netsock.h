/* TCP sockets with time limits, for the network probe. The probe is portable
 * code; posix_netsock.c and win32_netsock.c implement this for each OS (BSD
 * sockets / Winsock2), so it carries no #ifdef.
 *
 * Every call that can wait takes a limit in milliseconds: a platform address
 * that is slow, filtered or hostile must never hang a scan. Sockets come out
 * of cd_net_connect non-blocking; the caller waits with cd_net_wait. Error
 * texts are UTF-8 and name the OS reason ("Connection refused"). */
#ifndef CD_NETSOCK_H
#define CD_NETSOCK_H

#include <stddef.h>
#include <stdint.h>

#include "../core/error.h"

/* A socket: an int on POSIX, a SOCKET (UINT_PTR) on Windows; both fit. */
typedef intptr_t cd_sock;
#define CD_SOCK_NONE ((cd_sock)-1)

/* cd_net_send/cd_net_recv: the socket would block; wait and try again. */
#define CD_NET_AGAIN (-2)

#define CD_NET_MAX_ADDRS 8

/* One resolved address, copied out of getaddrinfo's list so that it does not
 * depend on memory the resolver owns. */
struct cd_net_addr {
	int family;    /* AF_INET / AF_INET6 of this OS */
	int len;       /* bytes used in sa */
	char text[64]; /* numeric form, e.g. "127.0.0.1" or "::1" */
	union {
		unsigned char b[128]; /* a struct sockaddr_in or sockaddr_in6 */
		int64_t align;
	} sa;
};

struct cd_net_addrs {
	int n;
	struct cd_net_addr a[CD_NET_MAX_ADDRS];
};

/* Resolves host (a name or a numeric address, without brackets) for a TCP
 * connection to port, waiting at most timeout_ms. getaddrinfo has no limit
 * of its own, so it runs on a worker thread that is abandoned on time-out.
 * Returns CD_OK with out->n >= 1, CD_ERR_TIMEOUT, CD_ERR_NET (the name does
 * not resolve; err says why), CD_ERR_INVALID or CD_ERR_NOMEM. */
cd_err cd_net_resolve(const char *host, int port, int timeout_ms, struct cd_net_addrs *out,
		      char *err, size_t errlen);

/* Opens a TCP connection to one address, waiting at most timeout_ms. On
 * CD_OK *out is a connected, non-blocking socket. CD_ERR_TIMEOUT or
 * CD_ERR_NET (err says why) otherwise. */
cd_err cd_net_connect(const struct cd_net_addr *addr, int timeout_ms, cd_sock *out, char *err,
		      size_t errlen);

/* Sets the OS send and receive time-outs (SO_SNDTIMEO/SO_RCVTIMEO): a second
 * guard for any call that would block on the socket. */
cd_err cd_net_set_timeouts(cd_sock s, int timeout_ms);

/* Waits until s can be read (for_write 0) or written (1). Returns 1 when it
 * can (or has an error to report), 0 on time-out, -1 on failure. */
int cd_net_wait(cd_sock s, int for_write, int timeout_ms);

/* Returns the bytes sent / received (0 from recv: the peer closed),
 * CD_NET_AGAIN when the call would block, -1 on error (then see
 * cd_net_last_error_text, on the same thread, before any other socket call).
 * Sending never raises SIGPIPE. */
long cd_net_send(cd_sock s, const void *p, size_t n);
long cd_net_recv(cd_sock s, void *p, size_t n);

/* Text for the error of the last failed socket call on this thread. */
void cd_net_last_error_text(char *out, size_t outlen);

void cd_net_close(cd_sock s);

#endif
