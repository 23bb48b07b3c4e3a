/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_JSONRPC_H
#define VSWITCH_JSONRPC_H 1

/*
 * jsonrpc: JSON-RPC 1.0 connections over stream sockets, as OVSDB uses.
 *
 * A jsonrpc_conn wraps a connected, non-blocking socket: received bytes go
 * through a json_stream (so messages need no delimiters and each is bounded
 * by 'max_msg_size'), and sent messages are serialized into an output
 * buffer that jsonrpc_conn_flush() writes out as the socket accepts it.
 * Sending never blocks and never fails at once: a broken connection is
 * reported by the next recv or flush.  Errors are sticky.
 *
 * Messages: a request {"method","params","id"}, a reply {"result","error",
 * "id"}, a notification is a request with "id": null.  Helpers build them.
 *
 * A small blocking client (jsonrpc_client_*) connects to "unix:PATH" or
 * "tcp:IP:PORT" for tools and tests.
 *
 * Thread-safety: none; one connection per thread.
 */

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "vswitch/buf.h"
#include "vswitch/json-stream.h"

struct jsonrpc_conn {
    int fd;                        /* Socket, owned. */
    char *name;                    /* Peer description for logs. */
    struct json_stream in;         /* Received, not yet parsed bytes. */
    struct buf out;                /* Serialized, not yet written bytes. */
    int error;                     /* Sticky error: 0, EOF, or errno. */
    unsigned long long n_rx, n_tx; /* Messages received and sent. */
    long long last_rx_ms; /* Monotonic time of the last received bytes. */
};

/* Wraps 'fd' (made non-blocking). */
struct jsonrpc_conn *jsonrpc_conn_create(int fd, const char *name,
                                         size_t max_msg_size);
void jsonrpc_conn_destroy(struct jsonrpc_conn *);

/* Receives the next message.  Returns 0 and '*msg' (caller owns), EAGAIN if
 * none is complete yet, EOF when the peer closed cleanly, EPROTO on bad
 * input (see jsonrpc_conn_error_string()), or another errno. */
int jsonrpc_conn_recv(struct jsonrpc_conn *, json_t **msg);
/* Queues 'msg' (takes ownership). */
void jsonrpc_conn_send(struct jsonrpc_conn *, json_t *msg);
/* Writes queued bytes.  Returns 0 when all are written, EAGAIN if some
 * remain, or an errno. */
int jsonrpc_conn_flush(struct jsonrpc_conn *);
static inline size_t
jsonrpc_conn_backlog(const struct jsonrpc_conn *c)
{
    return c->out.size;
}
const char *jsonrpc_conn_error_string(const struct jsonrpc_conn *);

json_t *jsonrpc_reply(const json_t *id, json_t *result);
json_t *jsonrpc_error_reply(const json_t *id, json_t *error);
json_t *jsonrpc_notify(const char *method, json_t *params);
json_t *jsonrpc_request(const char *method, json_t *params, json_t *id);

/* Opens a listening socket for "punix:PATH" or "ptcp:PORT[:IP]".  Returns
 * the fd or a negative errno; '*bound' gets a description (caller frees). */
int jsonrpc_listen(const char *target, char **bound);
/* Connects (blocking) to "unix:PATH" or "tcp:IP:PORT". */
int jsonrpc_connect(const char *target);

struct jsonrpc_client;
int jsonrpc_client_open(const char *target, struct jsonrpc_client **);
void jsonrpc_client_close(struct jsonrpc_client *);
/* Sends 'request' (takes ownership) and waits for the reply with the same
 * id, answering echo requests and dropping notifications meanwhile.
 * Returns 0 and '*reply' (caller owns) or errno. */
int jsonrpc_client_transact(struct jsonrpc_client *, json_t *request,
                            json_t **reply);
/* Waits for any message. */
int jsonrpc_client_recv(struct jsonrpc_client *, json_t **msg);
int jsonrpc_client_send(struct jsonrpc_client *, json_t *msg);

#endif /* VSWITCH_JSONRPC_H */
