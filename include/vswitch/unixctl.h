/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_UNIXCTL_H
#define VSWITCH_UNIXCTL_H 1

/*
 * unixctl: run-time control of a daemon over a Unix socket.
 *
 * Protocol: JSON-RPC 1.0 on a stream socket, the same as Open vSwitch's
 * unixctl (so its ovs-appctl can talk to our daemons too):
 *
 *     request  {"method": "vlog/set", "params": ["dbg"], "id": 7}
 *     reply    {"result": "text", "error": null, "id": 7}
 *              {"result": null, "error": "text", "id": 7}
 *
 * 'params' is an array of strings.  A request that is not valid JSON loses
 * the framing: the server sends an error reply with a null id and closes that
 * connection.  A well-formed request for an unknown command, with the wrong
 * number of arguments, or that is not a request gets an error reply and the
 * connection stays open.  Other clients are never affected.
 *
 * Commands are registered process-wide with unixctl_command_register()
 * before or after the server starts.  A command's callback must eventually
 * answer with exactly one of unixctl_command_reply() or
 * unixctl_command_reply_error(); it may do so later (asynchronously).  If
 * the client goes away first, the reply is dropped and the connection is
 * freed then.
 *
 * Built-in commands (registered by unixctl_server_create()):
 *   list-commands, help, version, vlog/list, vlog/set, vlog/reopen,
 *   coverage/show, exit (stops the server's event loop).
 *
 * Socket path: unixctl_server_create() with NULL uses
 * $VSWITCH_RUNDIR/PROGRAM.PID.ctl (default rundir /run/vswitch); "none"
 * creates no server; a relative path is taken under the rundir.
 *
 * Thread-safety: the server and its callbacks run on its event loop's
 * thread; register commands from that thread too.  The client is blocking
 * and independent of any loop.
 */

#include <jansson.h>
#include <stdbool.h>
#include "vswitch/util.h"

struct evloop;
struct unixctl_conn;
struct unixctl_server;

typedef void unixctl_cb_func(struct unixctl_conn *, int argc,
                             const char *argv[], void *aux);

/* Registers 'name' taking between 'min_args' and 'max_args' arguments
 * (argv[0] is the command name, argv[1..argc-1] its arguments).  'usage'
 * describes the arguments for list-commands. */
void unixctl_command_register(const char *name, const char *usage,
                              int min_args, int max_args, unixctl_cb_func *cb,
                              void *aux);
void unixctl_command_reply(struct unixctl_conn *, const char *result);
void unixctl_command_reply_error(struct unixctl_conn *, const char *error);

/* Creates a server on 'path' (see above) served by 'loop'.  Returns 0 and
 * sets '*serverp' (NULL for "none"), or errno. */
int unixctl_server_create(struct evloop *loop, const char *path,
                          struct unixctl_server **serverp);
void unixctl_server_destroy(struct unixctl_server *);
const char *unixctl_server_get_path(const struct unixctl_server *);
/* Number of open client connections. */
size_t unixctl_server_n_conns(const struct unixctl_server *);

/* Validates a decoded request 'msg'.  Returns NULL and sets '*argcp' and
 * '*argvp' (argv[0] = method; the array is the caller's to free(), the
 * strings belong to 'msg'), or returns an error message (caller frees). */
char *unixctl_parse_request(const json_t *msg, int *argcp,
                            const char ***argvp);

/* The run directory: $VSWITCH_RUNDIR or /run/vswitch.  Never NULL. */
const char *vs_rundir(void);

/* Blocking client. */
struct unixctl_client;

/* Connects to the socket at 'path'.  Returns 0 or errno. */
int unixctl_client_create(const char *path, struct unixctl_client **);
void unixctl_client_destroy(struct unixctl_client *);
/* Sends 'command' with 'argc' arguments and waits up to 'timeout_ms'
 * (-1: forever) for the reply.  Returns 0 with exactly one of '*result' or
 * '*error' set (caller frees), or errno (ETIMEDOUT, EPROTO, ...). */
int unixctl_client_transact(struct unixctl_client *, const char *command,
                            int argc, char *argv[], int timeout_ms,
                            char **result, char **error);

/* Resolves a -t TARGET as vswitch-appctl understands it: a path containing
 * '/' is used as is; otherwise TARGET is a program name whose pid is read
 * from RUNDIR/TARGET.pid, giving RUNDIR/TARGET.PID.ctl.  Returns a newly
 * allocated path, or NULL with '*error' set (caller frees). */
char *unixctl_resolve_target(const char *target, char **error);

#endif /* VSWITCH_UNIXCTL_H */
