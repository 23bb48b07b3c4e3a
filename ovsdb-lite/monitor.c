/* SPDX-License-Identifier: Apache-2.0 */
/* monitor: update and update2 notifications (see monitor.h). */
#include "monitor.h"
#include <stdlib.h>
#include <string.h>
#include "vswitch/util.h"

#define BITS (8 * sizeof(unsigned long))

static bool
col_on(const unsigned long *cols, unsigned int i)
{
    return cols[i / BITS] & (1UL << (i % BITS));
}

static struct ovsdb_error *
parse_select(struct ovsdb_monitor_table *mt, const json_t *sel)
{
    static const char *const names[] = {"initial", "insert", "delete",
                                        "modify"};
    bool *flags[] = {&mt->initial, &mt->insert, &mt->delete_, &mt->modify};

    if (!sel) {
        return NULL;
    }
    if (!json_is_object(sel)) {
        return ovsdb_error("syntax error", "\"select\" must be an object");
    }
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        const json_t *j = json_object_get(sel, names[i]);
        if (j) {
            if (!json_is_boolean(j)) {
                return ovsdb_error("syntax error",
                                   "\"%s\" must be a "
                                   "boolean",
                                   names[i]);
            }
            *flags[i] = json_is_true(j);
        }
    }
    return NULL;
}

static struct ovsdb_error *
parse_request(struct ovsdb_monitor_table *mt, const json_t *req)
{
    const json_t *cols = json_object_get(req, "columns");
    const json_t *where = json_object_get(req, "where");
    const struct ovsdb_table_schema *ts = mt->ts;

    if (!json_is_object(req)) {
        return ovsdb_error("syntax error", "monitor request must be an "
                                           "object");
    }
    if (where
        && !(json_is_array(where)
             && (json_array_size(where) == 0
                 || (json_array_size(where) == 1
                     && json_is_true(json_array_get(where, 0)))))) {
        return ovsdb_error("not supported", "monitor conditions other than "
                                            "[true] are not supported");
    }
    if (cols) {
        if (!json_is_array(cols)) {
            return ovsdb_error("syntax error", "\"columns\" must be an "
                                               "array");
        }
        for (size_t i = 0; i < json_array_size(cols); i++) {
            const json_t *cj = json_array_get(cols, i);
            const struct ovsdb_column *c =
                json_is_string(cj)
                    ? ovsdb_table_schema_find_column(ts, json_string_value(cj))
                    : NULL;

            if (!c) {
                return ovsdb_error("syntax error",
                                   "%s is not a valid column "
                                   "name in table %s",
                                   json_is_string(cj) ? json_string_value(cj)
                                                      : "?",
                                   ts->name);
            }
            mt->cols[c->index / BITS] |= 1UL << (c->index % BITS);
        }
    } else {
        for (unsigned int i = OVSDB_N_HIDDEN; i < ts->n_columns; i++) {
            mt->cols[i / BITS] |= 1UL << (i % BITS);
        }
    }
    return parse_select(mt, json_object_get(req, "select"));
}

static json_t *
row_json(const struct ovsdb_monitor *m, const struct ovsdb_monitor_table *mt,
         const struct ovsdb_row *row, const unsigned long *only,
         bool skip_defaults)
{
    json_t *obj = json_object();

    for (unsigned int i = 0; i < mt->ts->n_columns; i++) {
        const struct ovsdb_type *t = &mt->ts->columns[i]->type;

        if (!col_on(mt->cols, i) || (only && !col_on(only, i))) {
            continue;
        }
        if (skip_defaults && ovsdb_datum_is_default(&row->fields[i], t)) {
            continue;
        }
        json_object_set_new(obj, mt->ts->columns[i]->name,
                            ovsdb_datum_to_json(&row->fields[i], t));
    }
    return obj;
}

static void
add_row(json_t *updates, const char *table, const struct ovsdb_uuid *uuid,
        json_t *row_update)
{
    json_t *tj = json_object_get(updates, table);
    char buf[37];

    if (!tj) {
        tj = json_object();
        json_object_set_new(updates, table, tj);
    }
    ovsdb_uuid_to_string(uuid, buf);
    json_object_set_new(tj, buf, row_update);
}

struct ovsdb_error *
ovsdb_monitor_create(const struct ovsdb *db, const json_t *id,
                     const json_t *requests, int version,
                     struct ovsdb_monitor **monp, json_t **initialp)
{
    struct ovsdb_monitor *m;
    struct ovsdb_error *e = NULL;
    const char *tname;
    json_t *reqs, *initial;

    *monp = NULL;
    *initialp = NULL;
    if (!json_is_object(requests)) {
        return ovsdb_error("syntax error", "monitor requests must be an "
                                           "object");
    }
    m = xzalloc(sizeof *m);
    m->db = db;
    m->id = json_incref((json_t *) id);
    m->version = version;
    m->tables = xcalloc(json_object_size(requests) + 1, sizeof *m->tables);
    json_object_foreach ((json_t *) requests, tname, reqs) {
        struct ovsdb_table_schema *ts =
            ovsdb_schema_find_table(db->schema, tname);
        struct ovsdb_monitor_table *mt;

        if (!ts) {
            e = ovsdb_error("syntax error", "no table named %s", tname);
            goto err;
        }
        mt = &m->tables[m->n_tables++];
        mt->ts = ts;
        mt->cols =
            xcalloc(DIV_ROUND_UP(ts->n_columns, BITS), sizeof *mt->cols);
        mt->initial = mt->insert = mt->delete_ = mt->modify = true;
        if (json_is_array(reqs)) {
            for (size_t i = 0; i < json_array_size(reqs) && !e; i++) {
                e = parse_request(mt, json_array_get(reqs, i));
            }
        } else {
            e = parse_request(mt, reqs);
        }
        if (e) {
            goto err;
        }
    }

    initial = json_object();
    for (size_t i = 0; i < m->n_tables; i++) {
        const struct ovsdb_monitor_table *mt = &m->tables[i];
        const struct ovsdb_table *t = ovsdb_table_of(db, mt->ts);
        const struct ovsdb_row *row;

        if (!mt->initial) {
            continue;
        }
        HMAP_FOR_EACH (row, node, &t->rows) {
            json_t *u = version == 1
                            ? json_pack("{s:o}", "new",
                                        row_json(m, mt, row, NULL, false))
                            : json_pack("{s:o}", "initial",
                                        row_json(m, mt, row, NULL, true));
            add_row(initial, mt->ts->name, ovsdb_row_uuid(row), u);
        }
    }
    *monp = m;
    *initialp = initial;
    return NULL;

err:
    ovsdb_monitor_destroy(m);
    return e;
}

void
ovsdb_monitor_destroy(struct ovsdb_monitor *m)
{
    if (m) {
        for (size_t i = 0; i < m->n_tables; i++) {
            free(m->tables[i].cols);
        }
        free(m->tables);
        json_decref(m->id);
        free(m);
    }
}

static bool
any_monitored_change(const struct ovsdb_monitor_table *mt,
                     const struct ovsdb_txn_row *tr)
{
    for (unsigned int i = OVSDB_N_HIDDEN; i < mt->ts->n_columns; i++) {
        if (col_on(mt->cols, i) && ovsdb_txn_row_changed(tr, i)) {
            return true;
        }
    }
    return false;
}

static json_t *
modify_diff(const struct ovsdb_monitor_table *mt,
            const struct ovsdb_txn_row *tr)
{
    json_t *obj = json_object();

    for (unsigned int i = OVSDB_N_HIDDEN; i < mt->ts->n_columns; i++) {
        const struct ovsdb_type *t = &mt->ts->columns[i]->type;
        struct ovsdb_datum diff;

        if (!col_on(mt->cols, i) || !ovsdb_txn_row_changed(tr, i)) {
            continue;
        }
        ovsdb_datum_diff(&diff, &tr->old->fields[i], &tr->new_->fields[i], t);
        json_object_set_new(obj, mt->ts->columns[i]->name,
                            ovsdb_datum_to_json(&diff, t));
        ovsdb_datum_destroy(&diff, t);
    }
    return obj;
}

json_t *
ovsdb_monitor_changes(const struct ovsdb_monitor *m,
                      const struct ovsdb_txn *txn)
{
    json_t *updates = NULL;
    const struct ovsdb_txn_row *tr;

    if (txn->db != m->db) {
        return NULL;
    }
    LIST_FOR_EACH (tr, list_node, &txn->order) {
        const struct ovsdb_monitor_table *mt = NULL;
        json_t *u = NULL;

        for (size_t i = 0; i < m->n_tables; i++) {
            if (m->tables[i].ts == tr->table->schema) {
                mt = &m->tables[i];
                break;
            }
        }
        if (!mt) {
            continue;
        }
        if (!tr->old && tr->new_) {
            if (mt->insert) {
                u = m->version == 1
                        ? json_pack("{s:o}", "new",
                                    row_json(m, mt, tr->new_, NULL, false))
                        : json_pack("{s:o}", "insert",
                                    row_json(m, mt, tr->new_, NULL, true));
            }
        } else if (tr->old && !tr->new_) {
            if (mt->delete_) {
                u = m->version == 1 ? json_pack(
                        "{s:o}", "old", row_json(m, mt, tr->old, NULL, false))
                                    : json_pack("{s:n}", "delete");
            }
        } else if (tr->old && tr->new_ && mt->modify
                   && any_monitored_change(mt, tr)) {
            u = m->version == 1
                    ? json_pack("{s:o,s:o}", "old",
                                row_json(m, mt, tr->old, tr->changed, false),
                                "new", row_json(m, mt, tr->new_, NULL, false))
                    : json_pack("{s:o}", "modify", modify_diff(mt, tr));
        }
        if (u) {
            if (!updates) {
                updates = json_object();
            }
            add_row(updates, mt->ts->name, &tr->uuid, u);
        }
    }
    return updates;
}
