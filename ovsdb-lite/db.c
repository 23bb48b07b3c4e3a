/* SPDX-License-Identifier: Apache-2.0 */
/* db: tables, rows and indexes (see db.h). */
#include "db.h"
#include <stdlib.h>
#include <string.h>
#include "vswitch/util.h"

struct ovsdb *
ovsdb_create(struct ovsdb_schema *schema)
{
    struct ovsdb *db = xzalloc(sizeof *db);
    struct ovsdb_table_schema *ts;

    db->schema = schema;
    db->tables = xcalloc(schema->n_tables, sizeof *db->tables);
    HMAP_FOR_EACH (ts, node, &schema->tables) {
        struct ovsdb_table *t = &db->tables[ts->serial];

        t->schema = ts;
        hmap_init(&t->rows);
        t->indexes =
            xcalloc(ts->n_indexes ? ts->n_indexes : 1, sizeof *t->indexes);
        for (unsigned int i = 0; i < ts->n_indexes; i++) {
            hmap_init(&t->indexes[i]);
        }
    }
    return db;
}

void
ovsdb_destroy(struct ovsdb *db)
{
    if (!db) {
        return;
    }
    for (unsigned int i = 0; i < db->schema->n_tables; i++) {
        struct ovsdb_table *t = &db->tables[i];
        struct ovsdb_row *row;

        HMAP_FOR_EACH_POP (row, node, &t->rows) {
            ovsdb_row_destroy(row);
        }
        hmap_destroy(&t->rows);
        for (unsigned int k = 0; k < t->schema->n_indexes; k++) {
            hmap_destroy(&t->indexes[k]);
        }
        free(t->indexes);
    }
    free(db->tables);
    ovsdb_schema_destroy(db->schema);
    free(db);
}

struct ovsdb_table *
ovsdb_get_table(const struct ovsdb *db, const char *name)
{
    struct ovsdb_table_schema *ts = ovsdb_schema_find_table(db->schema, name);

    return ts ? &db->tables[ts->serial] : NULL;
}

static struct ovsdb_row *
row_alloc(struct ovsdb_table *t)
{
    const struct ovsdb_table_schema *ts = t->schema;
    struct ovsdb_row *row =
        xzalloc(sizeof *row + ts->n_columns * sizeof row->fields[0]);

    row->table = t;
    if (ts->n_indexes) {
        row->inodes = xcalloc(ts->n_indexes, sizeof *row->inodes);
    }
    return row;
}

struct ovsdb_row *
ovsdb_row_create(struct ovsdb_table *t, const struct ovsdb_uuid *uuid)
{
    const struct ovsdb_table_schema *ts = t->schema;
    struct ovsdb_row *row = row_alloc(t);

    for (unsigned int i = 0; i < ts->n_columns; i++) {
        ovsdb_datum_init_default(&row->fields[i], &ts->columns[i]->type);
    }
    row->fields[OVSDB_COL_UUID].keys[0].uuid = *uuid;
    ovsdb_uuid_generate(&row->fields[OVSDB_COL_VERSION].keys[0].uuid);
    return row;
}

struct ovsdb_row *
ovsdb_row_clone(const struct ovsdb_row *src)
{
    const struct ovsdb_table_schema *ts = src->table->schema;
    struct ovsdb_row *row = row_alloc(src->table);

    for (unsigned int i = 0; i < ts->n_columns; i++) {
        ovsdb_datum_clone(&row->fields[i], &src->fields[i],
                          &ts->columns[i]->type);
    }
    row->n_refs = src->n_refs;
    return row;
}

void
ovsdb_row_destroy(struct ovsdb_row *row)
{
    if (!row) {
        return;
    }
    const struct ovsdb_table_schema *ts = row->table->schema;
    for (unsigned int i = 0; i < ts->n_columns; i++) {
        ovsdb_datum_destroy(&row->fields[i], &ts->columns[i]->type);
    }
    free(row->inodes);
    free(row);
}

struct ovsdb_row *
ovsdb_table_find_row(const struct ovsdb_table *t, const struct ovsdb_uuid *u)
{
    struct ovsdb_row *row;

    HMAP_FOR_EACH_WITH_HASH (row, node, ovsdb_uuid_hash(u), &t->rows) {
        if (ovsdb_uuid_equals(ovsdb_row_uuid(row), u)) {
            return row;
        }
    }
    return NULL;
}

size_t
ovsdb_row_index_hash(const struct ovsdb_row *row, unsigned int index)
{
    const struct ovsdb_table_schema *ts = row->table->schema;
    size_t hash = index;

    for (unsigned int i = 0; i < ts->index_sizes[index]; i++) {
        unsigned int c = ts->indexes[index][i];
        hash = ovsdb_datum_hash(&row->fields[c], &ts->columns[c]->type, hash);
    }
    return hash;
}

bool
ovsdb_row_index_equal(const struct ovsdb_row *a, const struct ovsdb_row *b,
                      unsigned int index)
{
    const struct ovsdb_table_schema *ts = a->table->schema;

    for (unsigned int i = 0; i < ts->index_sizes[index]; i++) {
        unsigned int c = ts->indexes[index][i];
        if (!ovsdb_datum_equals(&a->fields[c], &b->fields[c],
                                &ts->columns[c]->type)) {
            return false;
        }
    }
    return true;
}

void
ovsdb_table_insert_row(struct ovsdb_table *t, struct ovsdb_row *row)
{
    hmap_insert(&t->rows, &row->node, ovsdb_uuid_hash(ovsdb_row_uuid(row)));
    for (unsigned int i = 0; i < t->schema->n_indexes; i++) {
        row->inodes[i].row = row;
        hmap_insert(&t->indexes[i], &row->inodes[i].node,
                    ovsdb_row_index_hash(row, i));
    }
}

void
ovsdb_table_remove_row(struct ovsdb_table *t, struct ovsdb_row *row)
{
    hmap_remove(&t->rows, &row->node);
    for (unsigned int i = 0; i < t->schema->n_indexes; i++) {
        hmap_remove(&t->indexes[i], &row->inodes[i].node);
    }
}

json_t *
ovsdb_row_to_json(const struct ovsdb_row *row, const unsigned long *cols)
{
    const struct ovsdb_table_schema *ts = row->table->schema;
    json_t *obj = json_object();
    const unsigned int bits = 8 * sizeof *cols;

    for (unsigned int i = cols ? 0 : OVSDB_N_HIDDEN; i < ts->n_columns; i++) {
        if (cols && !(cols[i / bits] & (1UL << (i % bits)))) {
            continue;
        }
        json_object_set_new(
            obj, ts->columns[i]->name,
            ovsdb_datum_to_json(&row->fields[i], &ts->columns[i]->type));
    }
    return obj;
}

size_t
ovsdb_memory_usage(const struct ovsdb *db, size_t *n_rowsp)
{
    size_t size = 0, n_rows = 0;

    for (unsigned int i = 0; i < db->schema->n_tables; i++) {
        const struct ovsdb_table *t = &db->tables[i];
        const struct ovsdb_row *row;

        n_rows += hmap_count(&t->rows);
        HMAP_FOR_EACH (row, node, &t->rows) {
            size += sizeof *row + t->schema->n_columns * sizeof row->fields[0];
            for (unsigned int c = 0; c < t->schema->n_columns; c++) {
                size += row->fields[c].n * sizeof(union ovsdb_atom)
                        * (row->fields[c].values ? 2 : 1);
            }
        }
    }
    if (n_rowsp) {
        *n_rowsp = n_rows;
    }
    return size;
}
