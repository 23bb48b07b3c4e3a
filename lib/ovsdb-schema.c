/* SPDX-License-Identifier: Apache-2.0 */
/* ovsdb-schema: parsing RFC 7047 schemas (see ovsdb-schema.h). */
#include "vswitch/ovsdb-schema.h"
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/hash.h"
#include "vswitch/ovsdb-data.h"
#include "vswitch/util.h"

static const char *const type_names[] = {
    [OVSDB_TYPE_VOID] = "void",     [OVSDB_TYPE_INTEGER] = "integer",
    [OVSDB_TYPE_REAL] = "real",     [OVSDB_TYPE_BOOLEAN] = "boolean",
    [OVSDB_TYPE_STRING] = "string", [OVSDB_TYPE_UUID] = "uuid",
};

const char *
ovsdb_atomic_type_name(enum ovsdb_atomic_type t)
{
    return t <= OVSDB_TYPE_UUID ? type_names[t] : "?";
}

static int
atomic_type_from_string(const char *s, enum ovsdb_atomic_type *t)
{
    for (int i = OVSDB_TYPE_INTEGER; i <= OVSDB_TYPE_UUID; i++) {
        if (!strcmp(s, type_names[i])) {
            *t = i;
            return 0;
        }
    }
    return EINVAL;
}

static void
base_type_init(struct ovsdb_base_type *b, enum ovsdb_atomic_type t)
{
    memset(b, 0, sizeof *b);
    b->type = t;
    b->min_int = INT64_MIN;
    b->max_int = INT64_MAX;
    b->min_real = -DBL_MAX;
    b->max_real = DBL_MAX;
    b->min_len = 0;
    b->max_len = UINT_MAX;
    b->ref_type = OVSDB_REF_STRONG;
}

static int
fail(char **errorp, char *msg)
{
    if (errorp) {
        *errorp = msg;
    } else {
        free(msg);
    }
    return EINVAL;
}

int
ovsdb_base_type_from_json(struct ovsdb_base_type *b, const json_t *json,
                          char **errorp)
{
    enum ovsdb_atomic_type t;
    const json_t *j;

    if (json_is_string(json)) {
        if (atomic_type_from_string(json_string_value(json), &t)) {
            return fail(errorp, xasprintf("unknown atomic type \"%s\"",
                                          json_string_value(json)));
        }
        base_type_init(b, t);
        return 0;
    }
    if (!json_is_object(json) || !json_is_string(json_object_get(json, "type"))
        || atomic_type_from_string(
            json_string_value(json_object_get(json, "type")), &t)) {
        return fail(errorp, xstrdup("base type must be an atomic type name "
                                    "or an object with a valid \"type\""));
    }
    base_type_init(b, t);
    if ((j = json_object_get(json, "enum"))) {
        struct ovsdb_type et;
        struct ovsdb_error *e;

        memset(&et, 0, sizeof et);
        base_type_init(&et.key, t);
        et.value.type = OVSDB_TYPE_VOID;
        et.n_min = 0;
        et.n_max = OVSDB_UNLIMITED;
        b->enum_ = xmalloc(sizeof *b->enum_);
        e = ovsdb_datum_from_json(b->enum_, &et, j, NULL, NULL);
        if (e) {
            free(b->enum_);
            b->enum_ = NULL;
            char *msg = xasprintf("bad enum: %s", e->details);
            ovsdb_error_destroy(e);
            return fail(errorp, msg);
        }
    }
    if (t == OVSDB_TYPE_INTEGER) {
        if (json_is_integer(j = json_object_get(json, "minInteger"))) {
            b->min_int = json_integer_value(j);
        }
        if (json_is_integer(j = json_object_get(json, "maxInteger"))) {
            b->max_int = json_integer_value(j);
        }
    } else if (t == OVSDB_TYPE_REAL) {
        if (json_is_number(j = json_object_get(json, "minReal"))) {
            b->min_real = json_number_value(j);
        }
        if (json_is_number(j = json_object_get(json, "maxReal"))) {
            b->max_real = json_number_value(j);
        }
    } else if (t == OVSDB_TYPE_STRING) {
        if (json_is_integer(j = json_object_get(json, "minLength"))) {
            b->min_len = json_integer_value(j);
        }
        if (json_is_integer(j = json_object_get(json, "maxLength"))) {
            b->max_len = json_integer_value(j);
        }
    } else if (t == OVSDB_TYPE_UUID) {
        if (json_is_string(j = json_object_get(json, "refTable"))) {
            b->ref_table_name = xstrdup(json_string_value(j));
            j = json_object_get(json, "refType");
            if (j && json_is_string(j)
                && !strcmp(json_string_value(j), "weak")) {
                b->ref_type = OVSDB_REF_WEAK;
            } else if (j
                       && (!json_is_string(j)
                           || strcmp(json_string_value(j), "strong"))) {
                ovsdb_base_type_destroy(b);
                return fail(errorp, xstrdup("refType must be \"strong\" or "
                                            "\"weak\""));
            }
        }
    }
    return 0;
}

void
ovsdb_base_type_destroy(struct ovsdb_base_type *b)
{
    if (b->enum_) {
        struct ovsdb_type et;

        memset(&et, 0, sizeof et);
        et.key.type = b->type;
        ovsdb_datum_destroy(b->enum_, &et);
        free(b->enum_);
        b->enum_ = NULL;
    }
    free(b->ref_table_name);
    b->ref_table_name = NULL;
}

int
ovsdb_type_from_json(struct ovsdb_type *t, const json_t *json, char **errorp)
{
    const json_t *j;
    int error;

    memset(t, 0, sizeof *t);
    t->n_min = t->n_max = 1;
    t->value.type = OVSDB_TYPE_VOID;
    if (json_is_string(json)) {
        return ovsdb_base_type_from_json(&t->key, json, errorp);
    }
    if (!json_is_object(json) || !(j = json_object_get(json, "key"))) {
        return fail(errorp, xstrdup("type must be a string or an object "
                                    "with a \"key\""));
    }
    error = ovsdb_base_type_from_json(&t->key, j, errorp);
    if (error) {
        return error;
    }
    if ((j = json_object_get(json, "value"))) {
        error = ovsdb_base_type_from_json(&t->value, j, errorp);
        if (error) {
            ovsdb_base_type_destroy(&t->key);
            return error;
        }
    }
    if ((j = json_object_get(json, "min"))) {
        if (!json_is_integer(j) || json_integer_value(j) < 0
            || json_integer_value(j) > 1) {
            ovsdb_type_destroy(t);
            return fail(errorp, xstrdup("\"min\" must be 0 or 1"));
        }
        t->n_min = json_integer_value(j);
    }
    if ((j = json_object_get(json, "max"))) {
        if (json_is_string(j) && !strcmp(json_string_value(j), "unlimited")) {
            t->n_max = OVSDB_UNLIMITED;
        } else if (json_is_integer(j) && json_integer_value(j) >= 1
                   && json_integer_value(j) < OVSDB_UNLIMITED) {
            t->n_max = json_integer_value(j);
        } else {
            ovsdb_type_destroy(t);
            return fail(errorp, xstrdup("\"max\" must be a positive integer "
                                        "or \"unlimited\""));
        }
    }
    if (t->n_min > t->n_max) {
        ovsdb_type_destroy(t);
        return fail(errorp, xstrdup("\"min\" exceeds \"max\""));
    }
    return 0;
}

void
ovsdb_type_destroy(struct ovsdb_type *t)
{
    ovsdb_base_type_destroy(&t->key);
    ovsdb_base_type_destroy(&t->value);
}

static struct ovsdb_column *
column_create(const char *name, unsigned int index)
{
    struct ovsdb_column *c = xzalloc(sizeof *c);

    c->name = xstrdup(name);
    c->index = index;
    return c;
}

static void
column_destroy(struct ovsdb_column *c)
{
    if (c) {
        ovsdb_type_destroy(&c->type);
        free(c->name);
        free(c);
    }
}

static void
table_destroy(struct ovsdb_table_schema *ts)
{
    for (unsigned int i = 0; i < ts->n_columns; i++) {
        column_destroy(ts->columns[i]);
    }
    free(ts->columns);
    for (unsigned int i = 0; i < ts->n_indexes; i++) {
        free(ts->indexes[i]);
    }
    free(ts->indexes);
    free(ts->index_sizes);
    free(ts->name);
    free(ts);
}

static struct ovsdb_table_schema *
table_from_json(const char *name, const json_t *json, bool *has_root,
                char **errorp)
{
    struct ovsdb_table_schema *ts;
    const json_t *cols, *j;
    const char *cname;
    json_t *cj;
    char *err = NULL;

    if (!json_is_object(json)
        || !json_is_object(cols = json_object_get(json, "columns"))) {
        fail(errorp, xasprintf("table %s: \"columns\" missing", name));
        return NULL;
    }
    ts = xzalloc(sizeof *ts);
    ts->name = xstrdup(name);
    ts->max_rows = UINT_MAX;
    ts->columns =
        xcalloc(json_object_size(cols) + OVSDB_N_HIDDEN, sizeof *ts->columns);
    for (int i = 0; i < OVSDB_N_HIDDEN; i++) {
        struct ovsdb_column *c = column_create(i ? "_version" : "_uuid", i);

        c->type.n_min = c->type.n_max = 1;
        c->type.key.type = OVSDB_TYPE_UUID;
        c->type.value.type = OVSDB_TYPE_VOID;
        ovsdb_type_destroy(&c->type);
        memset(&c->type, 0, sizeof c->type);
        c->type.n_min = c->type.n_max = 1;
        c->type.key.type = OVSDB_TYPE_UUID;
        c->type.key.min_len = 0;
        ts->columns[ts->n_columns++] = c;
    }
    json_object_foreach ((json_t *) cols, cname, cj) {
        struct ovsdb_column *c;

        if (cname[0] == '_' || !cname[0]) {
            fail(errorp,
                 xasprintf("table %s: bad column name \"%s\"", name, cname));
            goto error;
        }
        c = column_create(cname, ts->n_columns);
        if (!json_is_object(cj)
            || ovsdb_type_from_json(&c->type, json_object_get(cj, "type"),
                                    &err)) {
            fail(errorp, xasprintf("table %s column %s: %s", name, cname,
                                   err ? err : "bad column"));
            free(err);
            free(c->name);
            free(c);
            goto error;
        }
        j = json_object_get(cj, "mutable");
        c->mutable_ = !j || json_is_true(j);
        c->ephemeral = json_is_true(json_object_get(cj, "ephemeral"));
        ts->columns[ts->n_columns++] = c;
    }
    if ((j = json_object_get(json, "isRoot"))) {
        *has_root = true;
        ts->is_root = json_is_true(j);
    }
    if (json_is_integer(j = json_object_get(json, "maxRows"))
        && json_integer_value(j) > 0) {
        ts->max_rows = json_integer_value(j);
    }
    if (json_is_array(j = json_object_get(json, "indexes"))) {
        size_t n = json_array_size(j);

        ts->indexes = xcalloc(n, sizeof *ts->indexes);
        ts->index_sizes = xcalloc(n, sizeof *ts->index_sizes);
        for (size_t i = 0; i < n; i++) {
            const json_t *ij = json_array_get(j, i);
            size_t m = json_array_size(ij);

            if (!json_is_array(ij) || !m) {
                fail(errorp, xasprintf("table %s: bad index", name));
                goto error;
            }
            ts->indexes[i] = xcalloc(m, sizeof **ts->indexes);
            ts->n_indexes++;
            for (size_t k = 0; k < m; k++) {
                const struct ovsdb_column *c;
                const json_t *cn = json_array_get(ij, k);

                c = json_is_string(cn) ? ovsdb_table_schema_find_column(
                        ts, json_string_value(cn))
                                       : NULL;
                if (!c) {
                    fail(errorp, xasprintf("table %s: index names an "
                                           "unknown column",
                                           name));
                    goto error;
                }
                ts->indexes[i][k] = c->index;
            }
            ts->index_sizes[i] = m;
        }
    }
    return ts;

error:
    table_destroy(ts);
    return NULL;
}

struct ovsdb_schema *
ovsdb_schema_from_json(const json_t *json, char **errorp)
{
    struct ovsdb_schema *s;
    const json_t *tables, *j;
    struct ovsdb_table_schema *ts;
    const char *tname;
    json_t *tj;
    bool has_root = false;

    if (errorp) {
        *errorp = NULL;
    }
    if (!json_is_object(json) || !json_is_string(json_object_get(json, "name"))
        || !json_is_object(tables = json_object_get(json, "tables"))) {
        fail(errorp, xstrdup("schema must be an object with \"name\" and "
                             "\"tables\""));
        return NULL;
    }
    s = xzalloc(sizeof *s);
    hmap_init(&s->tables);
    s->name = xstrdup(json_string_value(json_object_get(json, "name")));
    if (json_is_string(j = json_object_get(json, "version"))) {
        s->version = xstrdup(json_string_value(j));
    }
    s->json = json_deep_copy(json);
    json_object_foreach ((json_t *) tables, tname, tj) {
        if (tname[0] == '_' || !tname[0]) {
            fail(errorp, xasprintf("bad table name \"%s\"", tname));
            goto error;
        }
        ts = table_from_json(tname, tj, &has_root, errorp);
        if (!ts) {
            goto error;
        }
        ts->serial = s->n_tables++;
        hmap_insert(&s->tables, &ts->node, hash_string(tname, 0));
    }
    HMAP_FOR_EACH (ts, node, &s->tables) {
        if (!has_root) {
            ts->is_root = true;
        }
        for (unsigned int i = 0; i < ts->n_columns; i++) {
            struct ovsdb_base_type *bases[2] = {&ts->columns[i]->type.key,
                                                &ts->columns[i]->type.value};

            for (int k = 0; k < 2; k++) {
                if (bases[k]->ref_table_name) {
                    bases[k]->ref_table =
                        ovsdb_schema_find_table(s, bases[k]->ref_table_name);
                    if (!bases[k]->ref_table) {
                        fail(errorp,
                             xasprintf("table %s column %s: refTable %s "
                                       "does not exist",
                                       ts->name, ts->columns[i]->name,
                                       bases[k]->ref_table_name));
                        goto error;
                    }
                }
            }
        }
    }
    return s;

error:
    ovsdb_schema_destroy(s);
    return NULL;
}

void
ovsdb_schema_destroy(struct ovsdb_schema *s)
{
    struct ovsdb_table_schema *ts;

    if (!s) {
        return;
    }
    HMAP_FOR_EACH_POP (ts, node, &s->tables) {
        table_destroy(ts);
    }
    hmap_destroy(&s->tables);
    json_decref(s->json);
    free(s->name);
    free(s->version);
    free(s);
}

struct ovsdb_table_schema *
ovsdb_schema_find_table(const struct ovsdb_schema *s, const char *name)
{
    struct ovsdb_table_schema *ts;

    HMAP_FOR_EACH_WITH_HASH (ts, node, hash_string(name, 0), &s->tables) {
        if (!strcmp(ts->name, name)) {
            return ts;
        }
    }
    return NULL;
}

const struct ovsdb_column *
ovsdb_table_schema_find_column(const struct ovsdb_table_schema *ts,
                               const char *name)
{
    for (unsigned int i = 0; i < ts->n_columns; i++) {
        if (!strcmp(ts->columns[i]->name, name)) {
            return ts->columns[i];
        }
    }
    return NULL;
}
