/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_JSONRPC_SESSION_H
#define VSWITCH_JSONRPC_SESSION_H 1

/*
 * jsonrpc-session: a JSON-RPC connection that stays up.
 *
 * A session connects to an active stream name ("unix:PATH", "tcp:IP:PORT"),
 * and whenever the connection fails or the peer goes silent it reconnects
 * with backoff (reconnect.h).  While connected it answers the peer's
 * "echo" requests by itself and, after 'probe_interval' of silence, sends
 * its own echo request; a peer that does not answer within another interval
 * is disconnected.  This is what an OVSDB client (the IDL of vswitch-ctl and
 * vswitchd) needs: callers send and receive messages and watch
 * jsonrpc_session_get_seqno(), which changes on every (re)connection, to
 * know when to resend their monitor requests.
 *
 * Driving it: add jsonrpc_session_fd() to a poll set with
 * jsonrpc_session_events(), wake at least after jsonrpc_session_timeout()
 * ms, and call jsonrpc_session_run() then jsonrpc_session_recv() until
 * EAGAIN.  'now' is vs_time_msec().
 *
 * Thread-safety: none; one owner.
 */

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct jsonrpc_session;

/* Starts a session to 'name' (an active stream name; a missing TCP port is
 * 'default_port').  Messages longer than 'max_msg_size' end the
 * connection.  Returns NULL if 'name' is not a valid active name. */
struct jsonrpc_session *jsonrpc_session_open(const char *name,
                                             uint16_t default_port,
                                             size_t max_msg_size);
void jsonrpc_session_close(struct jsonrpc_session *);

void jsonrpc_session_set_backoff(struct jsonrpc_session *, int min_ms,
                                 int max_ms);
/* 0 disables probes (the default for unix: sockets). */
void jsonrpc_session_set_probe_interval(struct jsonrpc_session *, int ms);

void jsonrpc_session_run(struct jsonrpc_session *, long long now);
/* The next message (caller owns it), or EAGAIN, or ENOTCONN while not
 * connected.  Echo requests and replies are handled inside. */
int jsonrpc_session_recv(struct jsonrpc_session *, long long now,
                         json_t **msg);
/* Queues 'msg' (takes ownership).  ENOTCONN (and 'msg' freed) while not
 * connected. */
int jsonrpc_session_send(struct jsonrpc_session *, json_t *msg);

bool jsonrpc_session_is_connected(const struct jsonrpc_session *);
/* Changes every time a connection is made or lost. */
unsigned int jsonrpc_session_get_seqno(const struct jsonrpc_session *);
/* errno of the last failure, 0 if none (EOF counts as ECONNRESET). */
int jsonrpc_session_last_error(const struct jsonrpc_session *);
const char *jsonrpc_session_name(const struct jsonrpc_session *);

/* -1 while there is no socket. */
int jsonrpc_session_fd(const struct jsonrpc_session *);
uint32_t jsonrpc_session_events(const struct jsonrpc_session *);
/* ms until jsonrpc_session_run() must be called again, or -1. */
long long jsonrpc_session_timeout(const struct jsonrpc_session *,
                                  long long now);

#endif /* VSWITCH_JSONRPC_SESSION_H */
