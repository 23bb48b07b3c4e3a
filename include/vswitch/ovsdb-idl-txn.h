/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_OVSDB_IDL_TXN_H
#define VSWITCH_OVSDB_IDL_TXN_H 1

/*
 * ovsdb-idl-txn: the write side of the IDL — one RFC 7047 "transact" built
 * from what a client read in its replica.
 *
 * Optimistic concurrency: a client reads the replica, decides, and writes.
 * Every column whose value the decision depended on is "verified": the
 * transaction starts with a "wait" operation (until "==", timeout 0) that
 * the server fails at once if the column no longer holds the value the
 * replica showed.  The server then aborts the whole transaction and
 * ovsdb_idl_txn_commit_block() returns OVSDB_IDL_TXN_TRY_AGAIN: the caller
 * lets the replica catch up (the update is already on its way) and redoes
 * its work from the new contents.  Nothing is ever half-applied.
 *
 * Rows are named by uuid.  A row inserted by the transaction gets a
 * provisional uuid (the caller's, or a random one); wherever that uuid
 * appears in a written value it is sent as ["named-uuid","row<uuid>"], and
 * after a successful commit ovsdb_idl_txn_get_insert_uuid() maps it to the
 * uuid the server chose.
 *
 * Operation order in the transact: "assert" of the IDL's lock (if it has
 * one), the waits, inserts, updates, mutations, deletes, the increment's
 * "mutate" + "select" (whose result ovsdb_idl_txn_get_increment_new_value()
 * returns, as ovs-vsctl reads next_cfg), then "comment".
 *
 * Thread-safety: none; belongs to the IDL's owner.
 */

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "vswitch/ovsdb-data.h"

struct ovsdb_idl;
struct ovsdb_idl_row;
struct ovsdb_idl_txn;

enum ovsdb_idl_txn_status {
    OVSDB_IDL_TXN_UNCOMMITTED, /* Not committed yet. */
    OVSDB_IDL_TXN_UNCHANGED,   /* Nothing to do: nothing was sent. */
    OVSDB_IDL_TXN_SUCCESS,     /* Committed. */
    OVSDB_IDL_TXN_TRY_AGAIN,   /* A verification failed or the connection
                                * dropped: refresh and retry. */
    OVSDB_IDL_TXN_NOT_LOCKED,  /* The IDL's lock is not ours. */
    OVSDB_IDL_TXN_ERROR,       /* The server refused it: see get_error. */
};

const char *ovsdb_idl_txn_status_to_string(enum ovsdb_idl_txn_status);

struct ovsdb_idl_txn *ovsdb_idl_txn_create(struct ovsdb_idl *);
void ovsdb_idl_txn_destroy(struct ovsdb_idl_txn *);

/* Appends 'comment' to the transaction's "comment" operation. */
void ovsdb_idl_txn_add_comment(struct ovsdb_idl_txn *, const char *comment);
/* Commit builds the transaction but ends it with an "abort". */
void ovsdb_idl_txn_set_dry_run(struct ovsdb_idl_txn *);

/* Makes the transaction fail (TRY_AGAIN) unless 'column' of 'row' (a
 * replica row) still has the value the replica holds now. */
void ovsdb_idl_txn_verify(struct ovsdb_idl_txn *, const struct ovsdb_idl_row *,
                          const char *column);

/* Inserts a row into 'table'.  '*uuid' is its provisional uuid: if zero on
 * entry a random one is stored there. */
void ovsdb_idl_txn_insert(struct ovsdb_idl_txn *, const char *table,
                          struct ovsdb_uuid *uuid);
/* Sets 'column' (of type 'type') of row 'uuid' of 'table', an existing or
 * an inserted row, to 'datum' (copied). */
void ovsdb_idl_txn_write(struct ovsdb_idl_txn *, const char *table,
                         const struct ovsdb_uuid *uuid, const char *column,
                         const struct ovsdb_datum *datum,
                         const struct ovsdb_type *type);
/* Deletes row 'uuid' of 'table'. */
void ovsdb_idl_txn_delete(struct ovsdb_idl_txn *, const char *table,
                          const struct ovsdb_uuid *uuid);
/* Mutates 'column' of row 'uuid' with 'mutator' ("insert", "delete", "+=",
 * ...) and 'arg' (copied; for "insert"/"delete" a set or map of the
 * column's key/value types). */
void ovsdb_idl_txn_mutate(struct ovsdb_idl_txn *, const char *table,
                          const struct ovsdb_uuid *uuid, const char *column,
                          const char *mutator, const struct ovsdb_datum *arg,
                          const struct ovsdb_type *type);
/* Adds 1 to integer 'column' of 'row' at commit; the resulting value is
 * ovsdb_idl_txn_get_increment_new_value() afterwards. */
void ovsdb_idl_txn_increment(struct ovsdb_idl_txn *,
                             const struct ovsdb_idl_row *, const char *column);

/* Whether the transaction has anything to send (besides a comment). */
bool ovsdb_idl_txn_is_empty(const struct ovsdb_idl_txn *);

/* The transact params as they would be sent now (caller owns them). */
json_t *ovsdb_idl_txn_to_json(const struct ovsdb_idl_txn *);

/* Sends the transaction and waits up to 'timeout_ms' (-1: forever) for
 * the reply, running the IDL meanwhile.  A transaction is committed at
 * most once. */
enum ovsdb_idl_txn_status ovsdb_idl_txn_commit_block(struct ovsdb_idl_txn *,
                                                     int timeout_ms);
enum ovsdb_idl_txn_status
ovsdb_idl_txn_get_status(const struct ovsdb_idl_txn *);
/* After ERROR: the server's complaint, e.g. "transaction error: {...}". */
const char *ovsdb_idl_txn_get_error(const struct ovsdb_idl_txn *);
/* After SUCCESS: the incremented value, or -1 if none. */
int64_t ovsdb_idl_txn_get_increment_new_value(const struct ovsdb_idl_txn *);
/* After SUCCESS: the real uuid of the row inserted as 'provisional'. */
bool ovsdb_idl_txn_get_insert_uuid(const struct ovsdb_idl_txn *,
                                   const struct ovsdb_uuid *provisional,
                                   struct ovsdb_uuid *real);

#endif /* VSWITCH_OVSDB_IDL_TXN_H */
