/* SPDX-License-Identifier: Apache-2.0 */
#ifndef OVSDB_LITE_SERVER_H
#define OVSDB_LITE_SERVER_H 1

/*
 * server: the JSON-RPC front end of ovsdb-lite.
 *
 * The server listens on any number of remotes (punix:, ptcp:) and serves
 * each connection as a session: it parses requests from the byte stream,
 * dispatches them (list_dbs, get_schema, transact, cancel, monitor,
 * monitor_cond, monitor_cancel, lock, steal, unlock, echo), and answers.
 * Unknown methods, and the OVS extensions we do not implement
 * (monitor_cond_since, set_db_change_aware, get_server_id, ...), get an
 * error reply so that clients fall back to RFC 7047 methods.
 *
 * Ordering and durability: all sessions run on one thread.  Transactions
 * are executed and committed one at a time, in arrival order; a commit
 * appends to the journal, applies the change and queues monitor updates
 * at once.  Nothing is written to any socket until the end of the event
 * loop round, after one fsync covers every commit of the round (group
 * commit).  So no client ever sees a change that is not durable, and a
 * client's own monitor updates precede its transaction's reply.
 *
 * Fairness and bounds: a session handles at most SERVER_BURST requests per
 * round; a session whose unsent output exceeds the backlog limit is not
 * read until it drains, and one exceeding the hard limit is disconnected.
 * Malformed JSON or an oversized message disconnects that session only.
 * Idle TCP peers are probed with "echo" and dropped if silent.
 */

#include <stddef.h>

struct evloop;

struct server_options {
    size_t max_msg_size;        /* Largest accepted message, bytes. */
    size_t max_backlog;         /* Stop reading a session past this. */
    long long probe_ms;         /* Idle TCP probe interval; 0: never. */
    long long compact_min;      /* Smallest journal worth compacting. */
    unsigned int compact_ratio; /* Compact past ratio x snapshot size. */
};

struct server;

struct server *server_create(struct evloop *, const struct server_options *);
void server_destroy(struct server *);
/* Opens database file 'path'.  Returns 0 or errno (logged). */
int server_add_db(struct server *, const char *path);
/* Starts listening on 'remote'.  Returns 0 or errno (logged). */
int server_add_remote(struct server *, const char *remote);
/* Registers the unixctl commands. */
void server_register_commands(struct server *);

#endif /* OVSDB_LITE_SERVER_H */
