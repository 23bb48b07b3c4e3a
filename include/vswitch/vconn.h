/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_VCONN_H
#define VSWITCH_VCONN_H 1

/*
 * vconn: one OpenFlow connection — framing, version negotiation, echo.
 *
 * A vconn wraps a stream socket (stream.h names: "tcp:IP[:PORT]",
 * "unix:PATH" for active connections; accepted sockets are wrapped with
 * vconn_from_fd()).  It sends our HELLO as soon as the socket is
 * connected, negotiates the version from the peer's HELLO (ofp-msgs.h), and
 * from then on delivers whole messages one at a time.  It answers
 * ECHO_REQUEST by itself.  Frames whose length field is below 8 lose the
 * framing: the connection fails with EPROTO.  Version negotiation failure
 * sends HELLO_FAILED/INCOMPATIBLE with an explanation and fails with
 * EPROTONOSUPPORT.
 *
 * Sending never blocks: messages queue until the socket takes them; a
 * connection whose queue exceeds 'max_backlog' bytes (a peer that stopped
 * reading) fails with ENOBUFS — the caller disconnects it, nothing else
 * slows down.  The default, VCONN_DEFAULT_MAX_BACKLOG, holds a whole FLOW
 * stats reply of 100,000 flows (about 10 MiB) and 100,000 pipelined
 * FLOW_MODs (about 12 MiB) with room to spare; larger replies should be
 * produced as the queue drains (vconn_backlog()).
 *
 * Use: after a readable/writable event (vconn_fd(), vconn_events()), call
 * vconn_run() then vconn_recv() until EAGAIN.
 *
 * Thread-safety: none; one owner.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vswitch/buf.h"

struct vconn;

/* Starts connecting to 'name' offering 'versions' (OFP_VERSION_BIT set).
 * Returns 0 with '*vconnp' set, or an errno. */
int vconn_open(const char *name, uint32_t versions, struct vconn **vconnp);
/* Wraps an accepted, connected socket (takes ownership of 'fd'). */
struct vconn *vconn_from_fd(int fd, const char *name, uint32_t versions);
void vconn_close(struct vconn *);

const char *vconn_name(const struct vconn *);
int vconn_fd(const struct vconn *);
/* EPOLLIN, plus EPOLLOUT while connecting or output is queued. */
uint32_t vconn_events(const struct vconn *);
/* The negotiated version, 0 before negotiation. */
uint8_t vconn_version(const struct vconn *);
#define VCONN_DEFAULT_MAX_BACKLOG (64 * 1024 * 1024)
size_t vconn_backlog(const struct vconn *);
void vconn_set_max_backlog(struct vconn *, size_t bytes);

/* Makes progress: completes the connection, writes queued output.
 * Returns 0, or the connection's (sticky) error. */
int vconn_run(struct vconn *);
/* The next message (caller owns it, buf_delete()), EAGAIN if none is
 * complete, or an errno (EOF when the peer closed). */
int vconn_recv(struct vconn *, struct buf **msgp);
/* Queues 'msg' (takes ownership).  Returns 0 or the sticky error. */
int vconn_send(struct vconn *, struct buf *msg);

/* Blocking helpers for tools and tests: connect and negotiate within
 * 'timeout_ms'; send 'request' and wait for the message with its xid. */
int vconn_open_block(const char *name, uint32_t versions, int timeout_ms,
                     struct vconn **);
int vconn_transact(struct vconn *, struct buf *request, int timeout_ms,
                   struct buf **replyp);

#endif /* VSWITCH_VCONN_H */
