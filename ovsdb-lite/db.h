/* SPDX-License-Identifier: Apache-2.0 */
#ifndef OVSDB_LITE_DB_H
#define OVSDB_LITE_DB_H 1

/*
 * db: the in-memory database of ovsdb-lite.
 *
 * A database holds one table per schema table; a table holds rows in a hash
 * map by uuid and one hash map per unique index.  A row stores one datum per
 * column, including the hidden _uuid and _version, and 'n_refs', the number
 * of strong references other committed rows hold to it (garbage collection
 * of non-root rows and "referential integrity violation" checks rely on
 * it).
 *
 * Committed rows are immutable: a transaction (transaction.h) works on
 * private copies and swaps them in at commit.  Everything runs on the
 * server's single thread.
 */

#include <stdint.h>
#include "vswitch/hmap.h"
#include "vswitch/ovsdb-data.h"
#include "vswitch/ovsdb-schema.h"

struct ovsdb_table;
struct ovsdb_row;

/* A row's membership in one unique index of its table. */
struct ovsdb_index_node {
    struct hmap_node node; /* In the table's index, by hash of the key. */
    struct ovsdb_row *row; /* The row. */
};

struct ovsdb_row {
    struct hmap_node node;           /* In table's 'rows', by uuid hash. */
    struct ovsdb_table *table;       /* Owning table. */
    struct ovsdb_index_node *inodes; /* One per index of the table. */
    unsigned int n_refs;         /* Strong references from committed rows. */
    struct ovsdb_datum fields[]; /* One per column (schema order). */
};

struct ovsdb_table {
    const struct ovsdb_table_schema *schema; /* Table schema. */
    struct hmap rows;                        /* ovsdb_row by uuid hash. */
    struct hmap *indexes;                    /* One per schema index. */
};

struct ovsdb {
    struct ovsdb_schema *schema; /* Owned. */
    struct ovsdb_table *tables;  /* By schema table 'serial'. */
    uint64_t n_txns;             /* Transactions committed so far. */
};

struct ovsdb *ovsdb_create(struct ovsdb_schema *);
void ovsdb_destroy(struct ovsdb *);
struct ovsdb_table *ovsdb_get_table(const struct ovsdb *, const char *name);
static inline struct ovsdb_table *
ovsdb_table_of(const struct ovsdb *db, const struct ovsdb_table_schema *ts)
{
    return &db->tables[ts->serial];
}

static inline const struct ovsdb_uuid *
ovsdb_row_uuid(const struct ovsdb_row *row)
{
    return &row->fields[OVSDB_COL_UUID].keys[0].uuid;
}

/* A row with default values and the given uuid, not in any table. */
struct ovsdb_row *ovsdb_row_create(struct ovsdb_table *,
                                   const struct ovsdb_uuid *);
struct ovsdb_row *ovsdb_row_clone(const struct ovsdb_row *);
void ovsdb_row_destroy(struct ovsdb_row *);
struct ovsdb_row *ovsdb_table_find_row(const struct ovsdb_table *,
                                       const struct ovsdb_uuid *);
void ovsdb_table_insert_row(struct ovsdb_table *, struct ovsdb_row *);
void ovsdb_table_remove_row(struct ovsdb_table *, struct ovsdb_row *);
size_t ovsdb_row_index_hash(const struct ovsdb_row *, unsigned int index);
bool ovsdb_row_index_equal(const struct ovsdb_row *, const struct ovsdb_row *,
                           unsigned int index);
/* {column: value} for the columns in 'cols' (all user columns if NULL). */
json_t *ovsdb_row_to_json(const struct ovsdb_row *, const unsigned long *cols);
/* Approximate bytes used by rows (for memory/show). */
size_t ovsdb_memory_usage(const struct ovsdb *, size_t *n_rows);

#endif /* OVSDB_LITE_DB_H */
