/* SPDX-License-Identifier: Apache-2.0 */
#ifndef OVSDB_LITE_TRANSACTION_H
#define OVSDB_LITE_TRANSACTION_H 1

/*
 * transaction: RFC 7047 "transact" execution and atomic commit.
 *
 * ovsdb_execute() runs the operations of one "transact" request against a
 * private transaction: every row an operation touches is copied into the
 * transaction ('txn_row': old committed row, new private row or NULL for a
 * delete) and later operations read through it, so they see the earlier
 * ones' effects.  Nothing committed changes until ovsdb_txn_apply().
 *
 * Commit checks, in order, when every operation succeeded:
 *   1. garbage collection: rows of non-root tables left with no strong
 *      reference are deleted (repeated until nothing changes: Bridge ->
 *      Port -> Interface);
 *   2. weak references to rows that no longer exist are dropped;
 *   3. every value satisfies its type's size and constraints;
 *   4. strong references point at existing rows, and no deleted row is
 *      still strongly referenced ("referential integrity violation");
 *   5. unique indexes hold ("constraint violation");
 *   6. maxRows.
 * A failed operation or check discards the transaction: no trace remains.
 *
 * Thread-safety: single-threaded, like the database.
 */

#include <jansson.h>
#include <stdbool.h>
#include "db.h"
#include "vswitch/hmap.h"
#include "vswitch/list.h"

struct ovsdb_txn_row {
    struct hmap_node node;     /* In txn's 'rows', by uuid hash. */
    struct vs_list list_node;  /* In txn's 'order' (creation order). */
    struct ovsdb_table *table; /* Table of the row. */
    struct ovsdb_uuid uuid;    /* Row uuid. */
    struct ovsdb_row *old;     /* Committed row, NULL if inserted. */
    struct ovsdb_row *new_;    /* Private new row, NULL if deleted. */
    unsigned long *changed;    /* Bitmap of changed columns (at commit). */
    long ref_delta;            /* Change of incoming strong references. */
};

struct ovsdb_txn {
    struct ovsdb *db;     /* Database. */
    struct hmap rows;     /* ovsdb_txn_row by uuid hash. */
    struct vs_list order; /* ovsdb_txn_row in creation order. */
    struct hmap deltas;   /* Strong reference count changes. */
};

/* Hooks into the session executing a transaction. */
struct ovsdb_exec_hooks {
    /* Whether the session owns lock 'name' (for "assert"); NULL: never. */
    bool (*owns_lock)(const char *name, void *aux);
    void *aux; /* Passed to the hooks. */
};

/* Outcome of ovsdb_execute(). */
struct ovsdb_exec_result {
    json_t *result;        /* Result array (always set, caller owns). */
    struct ovsdb_txn *txn; /* Non-NULL: must be committed by caller. */
    bool durable;          /* "commit" asked for durability. */
    long long wait_ms;     /* >0: a "wait" blocked; retry until then. */
};

/* Executes 'params' (the "transact" params after the database name).
 * 'now_ms_deadline' > 0 means this is a retry of a blocked "wait" whose
 * deadline has passed: a still-unsatisfied wait then fails "timed out". */
void ovsdb_execute(struct ovsdb *, const json_t *ops, size_t first_op,
                   const struct ovsdb_exec_hooks *, bool deadline_passed,
                   struct ovsdb_exec_result *);

/* Record of a committed transaction for the journal:
 * {"TABLE": {"UUID": null | {column: value}}}. */
json_t *ovsdb_txn_to_json(const struct ovsdb_txn *);
/* Makes the transaction's changes the committed state. */
void ovsdb_txn_apply(struct ovsdb_txn *);
/* Frees the transaction (and, after apply, the replaced rows). */
void ovsdb_txn_destroy(struct ovsdb_txn *);
/* After ovsdb_txn_apply(): frees the replaced rows and the transaction. */
void ovsdb_txn_release(struct ovsdb_txn *);
bool ovsdb_txn_row_changed(const struct ovsdb_txn_row *, unsigned int col);

/* Replays a journal record produced by ovsdb_txn_to_json().  Returns NULL
 * or an error. */
struct ovsdb_error *ovsdb_txn_replay(struct ovsdb *, const json_t *record);

#endif /* OVSDB_LITE_TRANSACTION_H */
