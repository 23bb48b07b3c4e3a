/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_STREAM_H
#define VSWITCH_STREAM_H 1

/*
 * stream: byte-stream connections named the way Open vSwitch names them.
 *
 *   active   "unix:PATH"          a Unix domain socket
 *            "tcp:HOST[:PORT]"    TCP to an IPv4 address or [IPv6] address
 *   passive  "punix:PATH"         listen on a Unix domain socket
 *            "ptcp:[PORT][:HOST]" listen on TCP (default: all addresses)
 *
 * A missing PORT is the caller's default (6640 for OVSDB, 6653 for
 * OpenFlow).  ptcp with port 0 picks a free port; pstream_get_port() says
 * which.  Names are parsed fully before anything is opened: a bad name is
 * EINVAL with no side effect.
 *
 * All sockets are non-blocking and close-on-exec.  stream_open() may return
 * with the connection still in progress (TCP); poll for writability and
 * call stream_connect_result() to learn how it ended.  TCP connections get
 * TCP_NODELAY: everything we carry is request/response.
 *
 * Thread-safety: the functions keep no state of their own.
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

struct stream_addr {
    bool passive;               /* punix/ptcp. */
    int family;                 /* AF_UNIX, AF_INET, AF_INET6. */
    struct sockaddr_storage ss; /* The address. */
    socklen_t ss_len;           /* Bytes used in 'ss'. */
};

/* Parses 'name' (see above) with 'default_port' for TCP.  Returns 0 or
 * EINVAL (and, if 'errorp' is nonnull, a message the caller frees). */
int stream_parse(const char *name, uint16_t default_port, struct stream_addr *,
                 char **errorp);
/* Whether 'name' is a syntactically valid active (passive) name. */
bool stream_name_is_active(const char *name);
bool stream_name_is_passive(const char *name);

/* Starts connecting to active 'name'.  Returns 0 with '*fdp' set (the
 * connection may still be in progress), or an errno. */
int stream_open(const char *name, uint16_t default_port, int *fdp);
/* For a socket from stream_open(): 0 once connected, EAGAIN while in
 * progress, or the errno of the failure. */
int stream_connect_result(int fd);

/* Listens on passive 'name'.  A stale Unix socket file is replaced.
 * Returns 0 with '*fdp' set, or an errno. */
int pstream_open(const char *name, uint16_t default_port, int *fdp);
/* Accepts one connection: 0 with '*fdp' set, EAGAIN if none waits. */
int pstream_accept(int listen_fd, int *fdp);
/* The local TCP port of 'listen_fd' (0 for Unix sockets). */
uint16_t pstream_get_port(int listen_fd);

#endif /* VSWITCH_STREAM_H */
