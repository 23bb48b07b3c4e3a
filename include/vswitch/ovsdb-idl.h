/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_OVSDB_IDL_H
#define VSWITCH_OVSDB_IDL_H 1

/*
 * ovsdb-idl: a live, local replica of chosen tables and columns of an OVSDB
 * database — how vswitch-ctl and vswitchd read their configuration.
 *
 * The IDL keeps a jsonrpc_session to the server (reconnecting with
 * backoff).  On every (re)connection it fetches the schema, then asks for
 * the monitored tables and columns with "monitor_cond" (update2: rows come
 * as diffs) and falls back to RFC 7047 "monitor" (update: whole rows) if the
 * server refuses; the initial contents and every later change land in the
 * replica.  After a reconnection the replica is rebuilt from the new
 * initial contents, and rows that did not come back are reported deleted.
 *
 * Change tracking: every row inserted, modified or deleted since the last
 * ovsdb_idl_track_clear() is on its table's change list (a deleted row
 * stays readable there until then); ovsdb_idl_get_seqno() increases with
 * every change, so a caller can tell cheaply whether to look.
 *
 * This is the read side.  Transactions (optimistic verification,
 * named-uuid, increment, retry) are in ovsdb-idl-txn.h and use the
 * request/reply hooks below: ovsdb_idl_send() puts a request on the IDL's
 * connection and the reply is kept until ovsdb_idl_take_reply() (replies
 * are dropped when the connection is lost, so a caller waiting for one
 * also watches ovsdb_idl_get_conn_seqno()).
 *
 * Locks (RFC 7047 section 4.1.8): with ovsdb_idl_set_lock() the IDL asks
 * for the named lock on every connection and follows "locked" and
 * "stolen" notifications; a transaction asserts it.
 *
 * Thread-safety: none; one owner.
 */

#include <stdbool.h>
#include <stdint.h>
#include "vswitch/hmap.h"
#include "vswitch/list.h"
#include "vswitch/ovsdb-data.h"

struct ovsdb_idl;
struct ovsdb_idl_table;

enum ovsdb_idl_change {
    OVSDB_IDL_UNCHANGED,
    OVSDB_IDL_INSERTED,
    OVSDB_IDL_MODIFIED,
    OVSDB_IDL_DELETED,
};

struct ovsdb_idl_row {
    struct hmap_node node;         /* In its table's rows, by uuid. */
    struct ovsdb_uuid uuid;        /* Row id. */
    struct ovsdb_idl_table *table; /* Owner. */
    struct ovsdb_datum *data;      /* One per monitored column. */
    enum ovsdb_idl_change change;  /* Since the last track_clear. */
    struct vs_list track_node;     /* In the table's change list. */
    bool seen;                     /* Came back after a reconnection. */
};

/* Creates an IDL for database 'db' at 'remote' (an active stream name).
 * Returns NULL if 'remote' is not valid. */
struct ovsdb_idl *ovsdb_idl_create(const char *remote, const char *db);
void ovsdb_idl_destroy(struct ovsdb_idl *);

/* Monitors 'table', with the NULL-terminated 'columns' (NULL: every
 * column).  Call before the first ovsdb_idl_run(). */
void ovsdb_idl_monitor(struct ovsdb_idl *, const char *table,
                       const char *const *columns);

/* Monitors every column of every table the server's schema has. */
void ovsdb_idl_monitor_all(struct ovsdb_idl *);

void ovsdb_idl_run(struct ovsdb_idl *);
/* For callers with their own event loop: the connection's fd (-1 if
 * none) and the epoll events to watch in '*eventsp', and in '*timeoutp'
 * the most milliseconds to wait before calling ovsdb_idl_run() again (-1:
 * no limit).  The fd changes on reconnection (see
 * ovsdb_idl_get_conn_seqno()). */
int ovsdb_idl_wait_fd(const struct ovsdb_idl *, uint32_t *eventsp,
                      long long *timeoutp);
/* Blocks up to 'timeout_ms' for something to do, then runs. */
void ovsdb_idl_run_block(struct ovsdb_idl *, int timeout_ms);

/* Whether the initial contents of the current connection have arrived. */
bool ovsdb_idl_is_synced(const struct ovsdb_idl *);
unsigned int ovsdb_idl_get_seqno(const struct ovsdb_idl *);
/* The server's schema (NULL before the first one arrives). */
const struct ovsdb_schema *ovsdb_idl_get_schema(const struct ovsdb_idl *);
/* The last error, as a message (NULL if none). */
const char *ovsdb_idl_last_error(const struct ovsdb_idl *);
/* "monitor_cond" or "monitor", once monitoring. */
const char *ovsdb_idl_monitor_method(const struct ovsdb_idl *);

/* Rows of 'table' in unspecified order (deleted ones excluded). */
const struct ovsdb_idl_row *ovsdb_idl_first_row(const struct ovsdb_idl *,
                                                const char *table);
const struct ovsdb_idl_row *ovsdb_idl_next_row(const struct ovsdb_idl_row *);
const struct ovsdb_idl_row *ovsdb_idl_get_row(const struct ovsdb_idl *,
                                              const char *table,
                                              const struct ovsdb_uuid *);
/* The value of 'column' of 'row' (NULL if not monitored); its type in
 * '*typep' if nonnull. */
const struct ovsdb_datum *ovsdb_idl_row_get(const struct ovsdb_idl_row *,
                                            const char *column,
                                            const struct ovsdb_type **typep);

/* The name of the table 'row' belongs to. */
const char *ovsdb_idl_row_table_name(const struct ovsdb_idl_row *);

/* Rows of 'table' changed since the last ovsdb_idl_track_clear(). */
const struct ovsdb_idl_row *ovsdb_idl_track_first(const struct ovsdb_idl *,
                                                  const char *table);
const struct ovsdb_idl_row *ovsdb_idl_track_next(const struct ovsdb_idl_row *);
/* Forgets the changes (and frees rows that were deleted). */
void ovsdb_idl_track_clear(struct ovsdb_idl *);

/* Sends request 'method' with 'params' (taken) on the current connection.
 * Returns its id (caller owns it), or NULL if not connected. */
json_t *ovsdb_idl_send(struct ovsdb_idl *, const char *method, json_t *params);
/* The reply (a whole JSON-RPC message, caller owns it) to the request with
 * 'id', once it has arrived, else NULL. */
json_t *ovsdb_idl_take_reply(struct ovsdb_idl *, const json_t *id);
/* Changes whenever a connection is made or lost. */
unsigned int ovsdb_idl_get_conn_seqno(const struct ovsdb_idl *);
bool ovsdb_idl_is_connected(const struct ovsdb_idl *);
const char *ovsdb_idl_get_db(const struct ovsdb_idl *);

/* Asks for lock 'name' (NULL: none) now and on every reconnection. */
void ovsdb_idl_set_lock(struct ovsdb_idl *, const char *name);
const char *ovsdb_idl_get_lock_name(const struct ovsdb_idl *);
bool ovsdb_idl_has_lock(const struct ovsdb_idl *);
/* Whether the lock is wanted, the server answered, and someone else has
 * it. */
bool ovsdb_idl_is_lock_contended(const struct ovsdb_idl *);

#endif /* VSWITCH_OVSDB_IDL_H */
