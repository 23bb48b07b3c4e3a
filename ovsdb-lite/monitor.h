/* SPDX-License-Identifier: Apache-2.0 */
#ifndef OVSDB_LITE_MONITOR_H
#define OVSDB_LITE_MONITOR_H 1

/*
 * monitor: RFC 7047 "monitor" and the "monitor_cond" extension.
 *
 * A monitor selects, per table, a set of columns and which kinds of change
 * to report (initial, insert, delete, modify).  It produces the initial
 * contents when created, and after each commit the changes of that
 * transaction restricted to its selection:
 *
 *   version 1 ("update"):  {TABLE: {UUID: {"old": {...}, "new": {...}}}},
 *                          "old" holding only changed columns on modify;
 *   version 2 ("update2"): {TABLE: {UUID: {"initial"|"insert": {...}} |
 *                          {"delete": null} | {"modify": DIFF}}}, with
 *                          default-valued columns omitted from
 *                          initial/insert and DIFF as in ovsdb_datum_diff().
 *
 * Because commits are serialized and each monitor's changes are queued on
 * its connection right after the commit, a client sees every change in
 * commit order, before the reply to its own transaction.
 */

#include <jansson.h>
#include "db.h"
#include "transaction.h"
#include "vswitch/list.h"

struct ovsdb_monitor_table {
    const struct ovsdb_table_schema *ts;   /* Monitored table. */
    unsigned long *cols;                   /* Bitmap of monitored columns. */
    bool initial, insert, delete_, modify; /* Selected kinds of change. */
};

struct ovsdb_monitor {
    struct vs_list node;                /* In the owning session's list. */
    const struct ovsdb *db;             /* Monitored database. */
    json_t *id;                         /* Monitor id as the client gave it. */
    int version;                        /* 1: "update", 2: "update2". */
    struct ovsdb_monitor_table *tables; /* Monitored tables. */
    size_t n_tables;                    /* Number of 'tables'. */
};

/* Parses 'requests' for a monitor of 'version'.  Returns NULL with
 * '*monp' and '*initialp' (the initial contents), or an error. */
struct ovsdb_error *ovsdb_monitor_create(const struct ovsdb *,
                                         const json_t *id,
                                         const json_t *requests, int version,
                                         struct ovsdb_monitor **monp,
                                         json_t **initialp);
void ovsdb_monitor_destroy(struct ovsdb_monitor *);
/* The update for committed 'txn', or NULL if it concerns nothing
 * monitored. */
json_t *ovsdb_monitor_changes(const struct ovsdb_monitor *,
                              const struct ovsdb_txn *);

#endif /* OVSDB_LITE_MONITOR_H */
