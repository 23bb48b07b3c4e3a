/* SPDX-License-Identifier: Apache-2.0 */
/* transaction: operations, commit checks, apply (see transaction.h). */
#include "transaction.h"
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/coverage.h"
#include "vswitch/hash.h"
#include "vswitch/util.h"

COVERAGE_DEFINE(ovsdb_txn_commit);
COVERAGE_DEFINE(ovsdb_txn_abort);
COVERAGE_DEFINE(ovsdb_gc_row);

#define BITS (8 * sizeof(unsigned long))

static void deltas_clear(struct hmap *);

/* Transaction rows. */

static struct ovsdb_txn *
txn_create(struct ovsdb *db)
{
    struct ovsdb_txn *txn = xzalloc(sizeof *txn);

    txn->db = db;
    hmap_init(&txn->rows);
    hmap_init(&txn->deltas);
    vs_list_init(&txn->order);
    return txn;
}

static struct ovsdb_txn_row *
txn_row_find(const struct ovsdb_txn *txn, const struct ovsdb_uuid *u)
{
    struct ovsdb_txn_row *tr;

    HMAP_FOR_EACH_WITH_HASH (tr, node, ovsdb_uuid_hash(u), &txn->rows) {
        if (ovsdb_uuid_equals(&tr->uuid, u)) {
            return tr;
        }
    }
    return NULL;
}

static struct ovsdb_txn_row *
txn_row_add(struct ovsdb_txn *txn, struct ovsdb_table *t,
            const struct ovsdb_uuid *u, struct ovsdb_row *old,
            struct ovsdb_row *new_)
{
    struct ovsdb_txn_row *tr = xzalloc(sizeof *tr);

    tr->table = t;
    tr->uuid = *u;
    tr->old = old;
    tr->new_ = new_;
    hmap_insert(&txn->rows, &tr->node, ovsdb_uuid_hash(u));
    vs_list_push_back(&txn->order, &tr->list_node);
    return tr;
}

/* The current version of row 'u' of 't' as the transaction sees it. */
static struct ovsdb_row *
txn_get_row(const struct ovsdb_txn *txn, const struct ovsdb_table *t,
            const struct ovsdb_uuid *u)
{
    struct ovsdb_txn_row *tr = txn_row_find(txn, u);

    if (tr) {
        return tr->table == t ? tr->new_ : NULL;
    }
    return ovsdb_table_find_row(t, u);
}

/* Any table: the current version of row 'u'. */
static struct ovsdb_row *
txn_get_any_row(const struct ovsdb_txn *txn, const struct ovsdb_table *t,
                const struct ovsdb_uuid *u, struct ovsdb_txn_row **trp)
{
    struct ovsdb_txn_row *tr = txn_row_find(txn, u);

    *trp = tr;
    return tr ? tr->new_ : ovsdb_table_find_row(t, u);
}

static struct ovsdb_row *
txn_modify(struct ovsdb_txn *txn, struct ovsdb_row *row)
{
    const struct ovsdb_uuid *u = ovsdb_row_uuid(row);
    struct ovsdb_txn_row *tr = txn_row_find(txn, u);

    if (tr) {
        return tr->new_;
    }
    tr = txn_row_add(txn, row->table, u, row, ovsdb_row_clone(row));
    return tr->new_;
}

static void
txn_delete(struct ovsdb_txn *txn, struct ovsdb_row *row)
{
    const struct ovsdb_uuid *u = ovsdb_row_uuid(row);
    struct ovsdb_txn_row *tr = txn_row_find(txn, u);

    if (!tr) {
        txn_row_add(txn, row->table, u, row, NULL);
    } else {
        ovsdb_row_destroy(tr->new_);
        tr->new_ = NULL;
    }
}

void
ovsdb_txn_destroy(struct ovsdb_txn *txn)
{
    struct ovsdb_txn_row *tr;

    if (!txn) {
        return;
    }
    HMAP_FOR_EACH_POP (tr, node, &txn->rows) {
        /* Before apply, 'new_' is private; after apply, 'old' is the
         * replaced row and 'new_' was set to NULL by apply. */
        ovsdb_row_destroy(tr->new_);
        free(tr->changed);
        free(tr);
    }
    hmap_destroy(&txn->rows);
    deltas_clear(&txn->deltas);
    hmap_destroy(&txn->deltas);
    free(txn);
}

bool
ovsdb_txn_row_changed(const struct ovsdb_txn_row *tr, unsigned int col)
{
    return tr->changed && (tr->changed[col / BITS] & (1UL << (col % BITS)));
}

/* Named uuids. */

struct symbol {
    struct hmap_node node;  /* In 'symtab'. */
    char *name;             /* uuid-name. */
    struct ovsdb_uuid uuid; /* Its uuid. */
};

struct exec_ctx {
    struct ovsdb *db;                     /* Database. */
    struct ovsdb_txn *txn;                /* Transaction being built. */
    struct hmap symtab;                   /* struct symbol by name hash. */
    const struct ovsdb_exec_hooks *hooks; /* Session hooks. */
    bool durable;                         /* "commit" with durable. */
    bool deadline_passed;                 /* Blocked waits must now fail. */
    long long wait_ms;                    /* A wait blocked for this long. */
};

static bool
resolve_symbol(const char *name, struct ovsdb_uuid *uuid, void *aux)
{
    struct exec_ctx *ctx = aux;
    struct symbol *s;

    HMAP_FOR_EACH_WITH_HASH (s, node, hash_string(name, 0), &ctx->symtab) {
        if (!strcmp(s->name, name)) {
            *uuid = s->uuid;
            return true;
        }
    }
    return false;
}

/* Parsing helpers. */

static struct ovsdb_error *
get_table(struct exec_ctx *ctx, const json_t *op, struct ovsdb_table **tp)
{
    const json_t *j = json_object_get(op, "table");

    if (!json_is_string(j)) {
        return ovsdb_error("syntax error", "\"table\" is missing or not a "
                                           "string");
    }
    *tp = ovsdb_get_table(ctx->db, json_string_value(j));
    if (!*tp) {
        return ovsdb_error("unknown table", "No table named %s.",
                           json_string_value(j));
    }
    return NULL;
}

static struct ovsdb_error *
get_column(const struct ovsdb_table *t, const json_t *name,
           const struct ovsdb_column **cp)
{
    if (!json_is_string(name)) {
        return ovsdb_error("syntax error", "column name must be a string");
    }
    *cp = ovsdb_table_schema_find_column(t->schema, json_string_value(name));
    if (!*cp) {
        return ovsdb_error("unknown column", "No column %s in table %s.",
                           json_string_value(name), t->schema->name);
    }
    return NULL;
}

enum cond_func {
    COND_LT,
    COND_LE,
    COND_EQ,
    COND_NE,
    COND_GE,
    COND_GT,
    COND_INCLUDES,
    COND_EXCLUDES,
};

struct condition {
    const struct ovsdb_column *column; /* Column compared. */
    enum cond_func func;               /* Function. */
    struct ovsdb_datum arg;            /* Operand. */
};

struct where {
    struct condition *conds;          /* Conditions (all must hold). */
    size_t n;                         /* Number of conditions. */
    const struct ovsdb_uuid *by_uuid; /* Set if some "_uuid == U". */
};

static void
where_destroy(struct where *w)
{
    for (size_t i = 0; i < w->n; i++) {
        ovsdb_datum_destroy(&w->conds[i].arg, &w->conds[i].column->type);
    }
    free(w->conds);
    w->conds = NULL;
    w->n = 0;
}

static struct ovsdb_error *
where_parse(struct exec_ctx *ctx, const struct ovsdb_table *t,
            const json_t *json, struct where *w)
{
    static const char *const names[] = {
        "<", "<=", "==", "!=", ">=", ">", "includes", "excludes"};
    struct ovsdb_error *e;

    memset(w, 0, sizeof *w);
    if (!json) {
        return NULL;
    }
    if (!json_is_array(json)) {
        return ovsdb_error("syntax error", "\"where\" must be an array");
    }
    w->conds = xcalloc(json_array_size(json) + 1, sizeof *w->conds);
    for (size_t i = 0; i < json_array_size(json); i++) {
        const json_t *c = json_array_get(json, i);
        struct condition *cond = &w->conds[w->n];
        const char *fn;
        int f;

        if (!json_is_array(c) || json_array_size(c) != 3
            || !json_is_string(json_array_get(c, 1))) {
            where_destroy(w);
            return ovsdb_error("syntax error", "condition must be "
                                               "[column, function, value]");
        }
        e = get_column(t, json_array_get(c, 0), &cond->column);
        if (e) {
            where_destroy(w);
            return e;
        }
        fn = json_string_value(json_array_get(c, 1));
        for (f = 0; f < (int) ARRAY_SIZE(names); f++) {
            if (!strcmp(fn, names[f])) {
                break;
            }
        }
        const struct ovsdb_type *type = &cond->column->type;
        if (f == (int) ARRAY_SIZE(names)
            || ((f == COND_LT || f == COND_LE || f == COND_GE || f == COND_GT)
                && (type->n_max != 1 || ovsdb_type_is_map(type)
                    || (type->key.type != OVSDB_TYPE_INTEGER
                        && type->key.type != OVSDB_TYPE_REAL)))) {
            e = ovsdb_error("syntax error",
                            "function \"%s\" is not valid "
                            "for column %s",
                            fn, cond->column->name);
            where_destroy(w);
            return e;
        }
        cond->func = f;
        /* Conditions compare against any value of the column's type: no
         * bounds, and constraints are not enforced on operands. */
        struct ovsdb_type relaxed = *type;
        relaxed.key.enum_ = NULL;
        relaxed.value.enum_ = NULL;
        relaxed.key.min_int = relaxed.value.min_int = INT64_MIN;
        relaxed.key.max_int = relaxed.value.max_int = INT64_MAX;
        relaxed.key.min_real = relaxed.value.min_real = -INFINITY;
        relaxed.key.max_real = relaxed.value.max_real = INFINITY;
        relaxed.key.min_len = relaxed.value.min_len = 0;
        relaxed.key.max_len = relaxed.value.max_len = UINT_MAX;
        e = ovsdb_datum_from_json_unbounded(
            &cond->arg, &relaxed, json_array_get(c, 2), resolve_symbol, ctx);
        if (e) {
            where_destroy(w);
            return e;
        }
        w->n++;
        if (cond->column->index == OVSDB_COL_UUID && f == COND_EQ
            && cond->arg.n == 1) {
            w->by_uuid = &cond->arg.keys[0].uuid;
        }
    }
    return NULL;
}

static bool
cond_eval(const struct condition *c, const struct ovsdb_row *row)
{
    const struct ovsdb_type *t = &c->column->type;
    const struct ovsdb_datum *d = &row->fields[c->column->index];
    int cmp;

    switch (c->func) {
    case COND_EQ:
        return ovsdb_datum_equals(d, &c->arg, t);
    case COND_NE:
        return !ovsdb_datum_equals(d, &c->arg, t);
    case COND_INCLUDES:
        return ovsdb_datum_includes_all(&c->arg, d, t);
    case COND_EXCLUDES:
        return ovsdb_datum_excludes_all(&c->arg, d, t);
    case COND_LT:
    case COND_LE:
    case COND_GE:
    case COND_GT:
    default:
        if (d->n != 1 || c->arg.n != 1) {
            return false;
        }
        cmp = ovsdb_atom_compare(&d->keys[0], &c->arg.keys[0], t->key.type);
        return c->func == COND_LT   ? cmp < 0
               : c->func == COND_LE ? cmp <= 0
               : c->func == COND_GE ? cmp >= 0
                                    : cmp > 0;
    }
}

static bool
where_eval(const struct where *w, const struct ovsdb_row *row)
{
    for (size_t i = 0; i < w->n; i++) {
        if (!cond_eval(&w->conds[i], row)) {
            return false;
        }
    }
    return true;
}

/* Current rows of 't' matching 'w', in a stable order (committed rows,
 * then rows inserted by the transaction).  Caller frees the array. */
static size_t
select_rows(struct exec_ctx *ctx, struct ovsdb_table *t, const struct where *w,
            struct ovsdb_row ***rowsp)
{
    struct ovsdb_row **rows = NULL, *row;
    struct ovsdb_txn_row *tr;
    size_t n = 0, allocated = 0;

#define ADD_ROW(R)                                                            \
    do {                                                                      \
        if (n >= allocated) {                                                 \
            allocated = allocated ? 2 * allocated : 8;                        \
            rows = xrealloc(rows, allocated * sizeof *rows);                  \
        }                                                                     \
        rows[n++] = (R);                                                      \
    } while (0)

    if (w->by_uuid) {
        row = txn_get_row(ctx->txn, t, w->by_uuid);
        if (row && where_eval(w, row)) {
            ADD_ROW(row);
        }
        *rowsp = rows;
        return n;
    }
    HMAP_FOR_EACH (row, node, &t->rows) {
        struct ovsdb_row *cur = row;

        if (!hmap_is_empty(&ctx->txn->rows)) {
            tr = txn_row_find(ctx->txn, ovsdb_row_uuid(row));
            if (tr) {
                cur = tr->new_;
            }
        }
        if (cur && where_eval(w, cur)) {
            ADD_ROW(cur);
        }
    }
    LIST_FOR_EACH (tr, list_node, &ctx->txn->order) {
        if (tr->table == t && !tr->old && tr->new_
            && where_eval(w, tr->new_)) {
            ADD_ROW(tr->new_);
        }
    }
#undef ADD_ROW
    *rowsp = rows;
    return n;
}

/* Parses a "row" object into 'row' (already holding defaults or current
 * values).  Marks columns set in 'seen' if non-NULL. */
static struct ovsdb_error *
parse_row(struct exec_ctx *ctx, struct ovsdb_table *t, const json_t *json,
          struct ovsdb_row *row, bool is_update)
{
    const char *name;
    json_t *value;

    if (!json_is_object(json)) {
        return ovsdb_error("syntax error", "\"row\" must be an object");
    }
    json_object_foreach ((json_t *) json, name, value) {
        const struct ovsdb_column *c =
            ovsdb_table_schema_find_column(t->schema, name);
        struct ovsdb_datum d;
        struct ovsdb_error *e;

        if (!c) {
            return ovsdb_error("unknown column", "No column %s in table %s.",
                               name, t->schema->name);
        }
        if (c->index < OVSDB_N_HIDDEN) {
            return ovsdb_error("constraint violation",
                               "column %s of table "
                               "%s is read-only",
                               name, t->schema->name);
        }
        if (is_update && !c->mutable_) {
            return ovsdb_error("constraint violation",
                               "column %s of table "
                               "%s is not mutable",
                               name, t->schema->name);
        }
        e = ovsdb_datum_from_json(&d, &c->type, value, resolve_symbol, ctx);
        if (e) {
            struct ovsdb_error *e2 =
                ovsdb_error(e->tag, "table %s column %s: %s", t->schema->name,
                            name, e->details ? e->details : "");
            ovsdb_error_destroy(e);
            return e2;
        }
        ovsdb_datum_swap(&row->fields[c->index], &d);
        ovsdb_datum_destroy(&d, &c->type);
    }
    return NULL;
}

static struct ovsdb_error *
parse_columns(const struct ovsdb_table *t, const json_t *json,
              unsigned long **colsp)
{
    unsigned long *cols =
        xcalloc(DIV_ROUND_UP(t->schema->n_columns, BITS), sizeof *cols);

    if (!json) {
        for (unsigned int i = 0; i < t->schema->n_columns; i++) {
            cols[i / BITS] |= 1UL << (i % BITS);
        }
    } else if (!json_is_array(json)) {
        free(cols);
        return ovsdb_error("syntax error", "\"columns\" must be an array");
    } else {
        for (size_t i = 0; i < json_array_size(json); i++) {
            const struct ovsdb_column *c;
            struct ovsdb_error *e = get_column(t, json_array_get(json, i), &c);

            if (e) {
                free(cols);
                return e;
            }
            cols[c->index / BITS] |= 1UL << (c->index % BITS);
        }
    }
    *colsp = cols;
    return NULL;
}

/* Operations. */

static struct ovsdb_error *
op_insert(struct exec_ctx *ctx, const json_t *op, json_t **resultp)
{
    struct ovsdb_table *t;
    struct ovsdb_error *e;
    struct ovsdb_uuid uuid;
    const json_t *name = json_object_get(op, "uuid-name");
    const json_t *ju = json_object_get(op, "uuid");
    struct ovsdb_row *row;
    char buf[37];

    if ((e = get_table(ctx, op, &t))) {
        return e;
    }
    if (name) {
        if (!json_is_string(name)
            || !resolve_symbol(json_string_value(name), &uuid, ctx)) {
            return ovsdb_error("syntax error", "bad uuid-name");
        }
    } else if (ju) {
        if (!json_is_string(ju)
            || !ovsdb_uuid_from_string(&uuid, json_string_value(ju))) {
            return ovsdb_error("syntax error", "bad \"uuid\"");
        }
    } else {
        ovsdb_uuid_generate(&uuid);
    }
    if (txn_row_find(ctx->txn, &uuid) || ovsdb_table_find_row(t, &uuid)) {
        ovsdb_uuid_to_string(&uuid, buf);
        return ovsdb_error("duplicate uuid",
                           "This UUID would duplicate a "
                           "UUID already present within the table or "
                           "transaction: %s",
                           buf);
    }
    row = ovsdb_row_create(t, &uuid);
    if (json_object_get(op, "row")) {
        e = parse_row(ctx, t, json_object_get(op, "row"), row, false);
    }
    if (e) {
        ovsdb_row_destroy(row);
        return e;
    }
    txn_row_add(ctx->txn, t, &uuid, NULL, row);
    ovsdb_uuid_to_string(&uuid, buf);
    *resultp = json_pack("{s:[ss]}", "uuid", "uuid", buf);
    return NULL;
}

static struct ovsdb_error *
op_select(struct exec_ctx *ctx, const json_t *op, json_t **resultp)
{
    struct ovsdb_table *t;
    struct ovsdb_error *e;
    struct where w;
    unsigned long *cols;
    struct ovsdb_row **rows;
    json_t *arr;
    size_t n;

    if ((e = get_table(ctx, op, &t))
        || (e = where_parse(ctx, t, json_object_get(op, "where"), &w))) {
        return e;
    }
    if ((e = parse_columns(t, json_object_get(op, "columns"), &cols))) {
        where_destroy(&w);
        return e;
    }
    n = select_rows(ctx, t, &w, &rows);
    arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(arr, ovsdb_row_to_json(rows[i], cols));
    }
    free(rows);
    free(cols);
    where_destroy(&w);
    *resultp = json_pack("{s:o}", "rows", arr);
    return NULL;
}

static struct ovsdb_error *
op_update(struct exec_ctx *ctx, const json_t *op, json_t **resultp)
{
    const json_t *rowj = json_object_get(op, "row");
    struct ovsdb_row **rows, *tmp;
    struct ovsdb_table *t;
    struct ovsdb_error *e;
    struct where w;
    size_t n;

    if ((e = get_table(ctx, op, &t))) {
        return e;
    }
    if (!rowj) {
        return ovsdb_error("syntax error", "\"row\" is required");
    }
    /* Parse once into a scratch row to validate, then copy the columns. */
    struct ovsdb_uuid zero = {{0, 0, 0, 0}};
    tmp = ovsdb_row_create(t, &zero);
    if ((e = parse_row(ctx, t, rowj, tmp, true))) {
        ovsdb_row_destroy(tmp);
        return e;
    }
    if ((e = where_parse(ctx, t, json_object_get(op, "where"), &w))) {
        ovsdb_row_destroy(tmp);
        return e;
    }
    n = select_rows(ctx, t, &w, &rows);
    for (size_t i = 0; i < n; i++) {
        struct ovsdb_row *row = txn_modify(ctx->txn, rows[i]);
        const char *name;
        json_t *value;

        json_object_foreach ((json_t *) rowj, name, value) {
            const struct ovsdb_column *c =
                ovsdb_table_schema_find_column(t->schema, name);

            ovsdb_datum_destroy(&row->fields[c->index], &c->type);
            ovsdb_datum_clone(&row->fields[c->index], &tmp->fields[c->index],
                              &c->type);
        }
    }
    free(rows);
    where_destroy(&w);
    ovsdb_row_destroy(tmp);
    *resultp = json_pack("{s:I}", "count", (json_int_t) n);
    return NULL;
}

static struct ovsdb_error *
mutate_arith(const struct ovsdb_column *c, const char *mut,
             union ovsdb_atom *a, const union ovsdb_atom *arg)
{
    enum ovsdb_atomic_type t = c->type.key.type;

    if (t == OVSDB_TYPE_INTEGER) {
        int64_t x = a->integer, y = arg->integer, r;

        switch (mut[0]) {
        case '+':
            if (__builtin_add_overflow(x, y, &r)) {
                goto range;
            }
            break;
        case '-':
            if (__builtin_sub_overflow(x, y, &r)) {
                goto range;
            }
            break;
        case '*':
            if (__builtin_mul_overflow(x, y, &r)) {
                goto range;
            }
            break;
        case '/':
        case '%':
            if (!y) {
                return ovsdb_error("domain error", "division by zero");
            }
            if (x == INT64_MIN && y == -1) {
                goto range;
            }
            r = mut[0] == '/' ? x / y : x % y;
            break;
        default:
            return ovsdb_error("syntax error", "bad mutator");
        }
        a->integer = r;
    } else {
        double r;

        switch (mut[0]) {
        case '+':
            r = a->real + arg->real;
            break;
        case '-':
            r = a->real - arg->real;
            break;
        case '*':
            r = a->real * arg->real;
            break;
        case '/':
            if (arg->real == 0) {
                return ovsdb_error("domain error", "division by zero");
            }
            r = a->real / arg->real;
            break;
        default:
            return ovsdb_error("syntax error", "%%= is not valid for reals");
        }
        if (!isfinite(r)) {
            goto range;
        }
        a->real = r;
    }
    return NULL;

range:
    return ovsdb_error("range error",
                       "result of %s on column %s is out of "
                       "range",
                       mut, c->name);
}

static struct ovsdb_error *
apply_mutation(struct exec_ctx *ctx, struct ovsdb_row *row,
               const struct ovsdb_column *c, const char *mut,
               const struct ovsdb_datum *arg, const struct ovsdb_type *argtype)
{
    struct ovsdb_datum *d = &row->fields[c->index];
    struct ovsdb_error *e;

    if (!strcmp(mut, "insert")) {
        ovsdb_datum_union(d, arg, &c->type);
    } else if (!strcmp(mut, "delete")) {
        ovsdb_datum_subtract(d, &c->type, arg, argtype);
    } else {
        for (unsigned int i = 0; i < d->n; i++) {
            e = mutate_arith(c, mut, &d->keys[i], &arg->keys[0]);
            if (e) {
                return e;
            }
            e = ovsdb_atom_check_constraints(&d->keys[i], &c->type.key);
            if (e) {
                return e;
            }
        }
        /* Arithmetic may create duplicates in a set (e.g. %=). */
        if ((e = ovsdb_datum_sort(d, &c->type))) {
            return e;
        }
    }
    if (d->n < c->type.n_min || d->n > c->type.n_max) {
        return ovsdb_error("constraint violation",
                           "mutation of column %s "
                           "in table %s leaves %u values; type requires "
                           "between %u and %u",
                           c->name, row->table->schema->name, d->n,
                           c->type.n_min, c->type.n_max);
    }
    return NULL;
}

struct mutation {
    const struct ovsdb_column *column; /* Mutated column. */
    const char *mutator;               /* "+=", "insert", ... */
    struct ovsdb_datum arg;            /* Argument. */
    struct ovsdb_type argtype;         /* Type of 'arg'. */
};

static struct ovsdb_error *
parse_mutation(struct exec_ctx *ctx, const struct ovsdb_table *t,
               const json_t *mj, struct mutation *m)
{
    static const char *const arith[] = {"+=", "-=", "*=", "/=", "%="};
    struct ovsdb_error *e;
    const char *mut;
    bool is_arith = false;

    if (!json_is_array(mj) || json_array_size(mj) != 3
        || !json_is_string(json_array_get(mj, 1))) {
        return ovsdb_error("syntax error", "mutation must be "
                                           "[column, mutator, value]");
    }
    if ((e = get_column(t, json_array_get(mj, 0), &m->column))) {
        return e;
    }
    const struct ovsdb_column *c = m->column;
    if (c->index < OVSDB_N_HIDDEN || !c->mutable_) {
        return ovsdb_error("constraint violation",
                           "cannot mutate "
                           "immutable column %s in table %s",
                           c->name, t->schema->name);
    }
    mut = json_string_value(json_array_get(mj, 1));
    for (size_t i = 0; i < ARRAY_SIZE(arith); i++) {
        is_arith |= !strcmp(mut, arith[i]);
    }
    m->mutator = mut;
    m->argtype = c->type;
    if (is_arith) {
        if (ovsdb_type_is_map(&c->type)
            || (c->type.key.type != OVSDB_TYPE_INTEGER
                && c->type.key.type != OVSDB_TYPE_REAL)
            || (!strcmp(mut, "%=")
                && c->type.key.type != OVSDB_TYPE_INTEGER)) {
            return ovsdb_error("constraint violation",
                               "mutator %s is not "
                               "valid for column %s",
                               mut, c->name);
        }
        /* The argument is one atom of the key type, constraints off. */
        memset(&m->argtype, 0, sizeof m->argtype);
        m->argtype.key.type = c->type.key.type;
        m->argtype.key.min_int = INT64_MIN;
        m->argtype.key.max_int = INT64_MAX;
        m->argtype.key.min_real = -INFINITY;
        m->argtype.key.max_real = INFINITY;
        m->argtype.n_min = m->argtype.n_max = 1;
        return ovsdb_datum_from_json(
            &m->arg, &m->argtype, json_array_get(mj, 2), resolve_symbol, ctx);
    } else if (!strcmp(mut, "insert") || !strcmp(mut, "delete")) {
        m->argtype.n_min = 0;
        m->argtype.n_max = OVSDB_UNLIMITED;
        if (!strcmp(mut, "delete") && ovsdb_type_is_map(&c->type)) {
            const json_t *v = json_array_get(mj, 2);
            if (!(json_is_array(v) && json_is_string(json_array_get(v, 0))
                  && !strcmp(json_string_value(json_array_get(v, 0)),
                             "map"))) {
                /* Deleting a set of keys from a map. */
                m->argtype.value.type = OVSDB_TYPE_VOID;
                m->argtype.value.enum_ = NULL;
            }
        }
        e = ovsdb_datum_from_json_unbounded(
            &m->arg, &m->argtype, json_array_get(mj, 2), resolve_symbol, ctx);
        return e;
    }
    return ovsdb_error("syntax error", "unknown mutator \"%s\"", mut);
}

static struct ovsdb_error *
op_mutate(struct exec_ctx *ctx, const json_t *op, json_t **resultp)
{
    const json_t *mj = json_object_get(op, "mutations");
    struct mutation *muts;
    struct ovsdb_row **rows = NULL;
    struct ovsdb_table *t;
    struct ovsdb_error *e;
    struct where w;
    size_t n = 0, n_muts = 0;

    if ((e = get_table(ctx, op, &t))) {
        return e;
    }
    if (!json_is_array(mj)) {
        return ovsdb_error("syntax error", "\"mutations\" must be an array");
    }
    muts = xcalloc(json_array_size(mj) + 1, sizeof *muts);
    for (; n_muts < json_array_size(mj); n_muts++) {
        e = parse_mutation(ctx, t, json_array_get(mj, n_muts), &muts[n_muts]);
        if (e) {
            goto out;
        }
    }
    if ((e = where_parse(ctx, t, json_object_get(op, "where"), &w))) {
        goto out;
    }
    n = select_rows(ctx, t, &w, &rows);
    for (size_t i = 0; i < n && !e; i++) {
        struct ovsdb_row *row = txn_modify(ctx->txn, rows[i]);

        for (size_t k = 0; k < n_muts && !e; k++) {
            e = apply_mutation(ctx, row, muts[k].column, muts[k].mutator,
                               &muts[k].arg, &muts[k].argtype);
        }
    }
    where_destroy(&w);
    free(rows);
out:
    for (size_t k = 0; k < n_muts; k++) {
        ovsdb_datum_destroy(&muts[k].arg, &muts[k].argtype);
    }
    free(muts);
    if (!e) {
        *resultp = json_pack("{s:I}", "count", (json_int_t) n);
    }
    return e;
}

static struct ovsdb_error *
op_delete(struct exec_ctx *ctx, const json_t *op, json_t **resultp)
{
    struct ovsdb_row **rows;
    struct ovsdb_table *t;
    struct ovsdb_error *e;
    struct where w;
    size_t n;

    if ((e = get_table(ctx, op, &t))
        || (e = where_parse(ctx, t, json_object_get(op, "where"), &w))) {
        return e;
    }
    n = select_rows(ctx, t, &w, &rows);
    for (size_t i = 0; i < n; i++) {
        txn_delete(ctx->txn, rows[i]);
    }
    free(rows);
    where_destroy(&w);
    *resultp = json_pack("{s:I}", "count", (json_int_t) n);
    return NULL;
}

static bool
row_matches_projection(const struct ovsdb_row *row, const struct ovsdb_row *r,
                       const unsigned long *cols)
{
    const struct ovsdb_table_schema *ts = row->table->schema;

    for (unsigned int i = 0; i < ts->n_columns; i++) {
        if ((cols[i / BITS] & (1UL << (i % BITS)))
            && !ovsdb_datum_equals(&row->fields[i], &r->fields[i],
                                   &ts->columns[i]->type)) {
            return false;
        }
    }
    return true;
}

static struct ovsdb_error *
op_wait(struct exec_ctx *ctx, const json_t *op, json_t **resultp)
{
    const json_t *until = json_object_get(op, "until");
    const json_t *rowsj = json_object_get(op, "rows");
    const json_t *tj = json_object_get(op, "timeout");
    struct ovsdb_row **rows = NULL, **given = NULL;
    unsigned long *cols = NULL;
    struct ovsdb_table *t;
    struct ovsdb_error *e;
    struct where w;
    size_t n = 0, n_given = 0;
    bool equal, want_equal;
    long long timeout = -1;

    if ((e = get_table(ctx, op, &t))) {
        return e;
    }
    if (!json_is_string(until)
        || (strcmp(json_string_value(until), "==")
            && strcmp(json_string_value(until), "!="))) {
        return ovsdb_error("syntax error", "\"until\" must be \"==\" or "
                                           "\"!=\"");
    }
    if (!json_is_array(rowsj)) {
        return ovsdb_error("syntax error", "\"rows\" must be an array");
    }
    if (tj) {
        if (!json_is_integer(tj) || json_integer_value(tj) < 0) {
            return ovsdb_error("syntax error", "bad \"timeout\"");
        }
        timeout = json_integer_value(tj);
    }
    want_equal = !strcmp(json_string_value(until), "==");
    if ((e = where_parse(ctx, t, json_object_get(op, "where"), &w))) {
        return e;
    }
    if ((e = parse_columns(t, json_object_get(op, "columns"), &cols))) {
        goto out;
    }
    given = xcalloc(json_array_size(rowsj) + 1, sizeof *given);
    for (; n_given < json_array_size(rowsj); n_given++) {
        struct ovsdb_uuid zero = {{0, 0, 0, 0}};

        given[n_given] = ovsdb_row_create(t, &zero);
        e = parse_row(ctx, t, json_array_get(rowsj, n_given), given[n_given],
                      false);
        if (e) {
            n_given++;
            goto out;
        }
    }
    n = select_rows(ctx, t, &w, &rows);
    equal = n == n_given;
    if (equal) {
        bool *used = xcalloc(n_given + 1, sizeof *used);

        for (size_t i = 0; i < n && equal; i++) {
            bool found = false;

            for (size_t k = 0; k < n_given && !found; k++) {
                if (!used[k]
                    && row_matches_projection(rows[i], given[k], cols)) {
                    used[k] = found = true;
                }
            }
            equal = found;
        }
        free(used);
    }
    if (equal != want_equal) {
        if (timeout == 0 || ctx->deadline_passed) {
            e = ovsdb_error("timed out", "\"wait\" timed out after %lld ms",
                            timeout);
        } else {
            /* Block: the server retries the whole transaction later. */
            ctx->wait_ms = timeout < 0 ? LLONG_MAX : (timeout ? timeout : 1);
            e = ovsdb_error("timed out", "blocked");
        }
    } else {
        *resultp = json_object();
    }

out:
    for (size_t k = 0; k < n_given; k++) {
        ovsdb_row_destroy(given[k]);
    }
    free(given);
    free(rows);
    free(cols);
    where_destroy(&w);
    return e;
}

static struct ovsdb_error *
op_commit(struct exec_ctx *ctx, const json_t *op, json_t **resultp)
{
    const json_t *d = json_object_get(op, "durable");

    if (!json_is_boolean(d)) {
        return ovsdb_error("syntax error", "\"durable\" must be a boolean");
    }
    ctx->durable |= json_is_true(d);
    *resultp = json_object();
    return NULL;
}

static struct ovsdb_error *
op_abort(struct exec_ctx *ctx, const json_t *op, json_t **resultp)
{
    return ovsdb_error("aborted", "aborted by request");
}

static struct ovsdb_error *
op_comment(struct exec_ctx *ctx, const json_t *op, json_t **resultp)
{
    if (!json_is_string(json_object_get(op, "comment"))) {
        return ovsdb_error("syntax error", "\"comment\" must be a string");
    }
    *resultp = json_object();
    return NULL;
}

static struct ovsdb_error *
op_assert(struct exec_ctx *ctx, const json_t *op, json_t **resultp)
{
    const json_t *lock = json_object_get(op, "lock");

    if (!json_is_string(lock)) {
        return ovsdb_error("syntax error", "\"lock\" must be a string");
    }
    if (!ctx->hooks || !ctx->hooks->owns_lock
        || !ctx->hooks->owns_lock(json_string_value(lock), ctx->hooks->aux)) {
        return ovsdb_error("not owner", "Asserted lock %s not held.",
                           json_string_value(lock));
    }
    *resultp = json_object();
    return NULL;
}

static const struct {
    const char *name;
    struct ovsdb_error *(*run)(struct exec_ctx *, const json_t *, json_t **);
} ops[] = {
    {"insert", op_insert}, {"select", op_select}, {"update", op_update},
    {"mutate", op_mutate}, {"delete", op_delete}, {"wait", op_wait},
    {"commit", op_commit}, {"abort", op_abort},   {"comment", op_comment},
    {"assert", op_assert},
};

/* Commit checks. */

static void
txn_row_compute_changed(struct ovsdb_txn_row *tr)
{
    const struct ovsdb_table_schema *ts = tr->table->schema;
    unsigned long *bits =
        xcalloc(DIV_ROUND_UP(ts->n_columns, BITS), sizeof *bits);

    free(tr->changed);
    for (unsigned int i = OVSDB_N_HIDDEN; i < ts->n_columns; i++) {
        if (!tr->old || !tr->new_
            || !ovsdb_datum_equals(&tr->old->fields[i], &tr->new_->fields[i],
                                   &ts->columns[i]->type)) {
            bits[i / BITS] |= 1UL << (i % BITS);
        }
    }
    tr->changed = bits;
}

/* Adds 'delta' for each strong reference held by 'row' in column 'c'. */
static void count_refs(struct ovsdb_txn *txn, const struct ovsdb_row *row,
                       const struct ovsdb_column *c, int delta,
                       struct hmap *deltas);

struct ref_delta {
    struct hmap_node node;     /* In 'deltas'. */
    struct ovsdb_uuid uuid;    /* Referenced row. */
    struct ovsdb_table *table; /* Its table. */
    long delta;                /* Change in strong references. */
};

static struct ref_delta *
ref_delta_get(struct hmap *deltas, struct ovsdb_table *t,
              const struct ovsdb_uuid *u)
{
    struct ref_delta *rd;

    HMAP_FOR_EACH_WITH_HASH (rd, node, ovsdb_uuid_hash(u), deltas) {
        if (ovsdb_uuid_equals(&rd->uuid, u)) {
            return rd;
        }
    }
    rd = xzalloc(sizeof *rd);
    rd->uuid = *u;
    rd->table = t;
    hmap_insert(deltas, &rd->node, ovsdb_uuid_hash(u));
    return rd;
}

static void
count_base_refs(struct ovsdb_txn *txn, const struct ovsdb_base_type *b,
                const union ovsdb_atom *atoms, unsigned int n, int delta,
                struct hmap *deltas)
{
    if (!b->ref_table || b->ref_type != OVSDB_REF_STRONG) {
        return;
    }
    for (unsigned int i = 0; i < n; i++) {
        ref_delta_get(deltas, ovsdb_table_of(txn->db, b->ref_table),
                      &atoms[i].uuid)
            ->delta += delta;
    }
}

static void
count_refs(struct ovsdb_txn *txn, const struct ovsdb_row *row,
           const struct ovsdb_column *c, int delta, struct hmap *deltas)
{
    const struct ovsdb_datum *d = &row->fields[c->index];

    count_base_refs(txn, &c->type.key, d->keys, d->n, delta, deltas);
    if (d->values) {
        count_base_refs(txn, &c->type.value, d->values, d->n, delta, deltas);
    }
}

static void
count_set_changes(struct ovsdb_txn *txn, const struct ovsdb_column *c,
                  const struct ovsdb_datum *old,
                  const struct ovsdb_datum *new_, struct hmap *deltas)
{
    const struct ovsdb_base_type *b = &c->type.key;
    struct ovsdb_table *rt = ovsdb_table_of(txn->db, b->ref_table);
    unsigned int i = 0, j = 0;

    while (i < old->n || j < new_->n) {
        int cmp = i >= old->n    ? 1
                  : j >= new_->n ? -1
                                 : ovsdb_uuid_compare(&old->keys[i].uuid,
                                                      &new_->keys[j].uuid);
        if (cmp < 0) {
            ref_delta_get(deltas, rt, &old->keys[i++].uuid)->delta--;
        } else if (cmp > 0) {
            ref_delta_get(deltas, rt, &new_->keys[j++].uuid)->delta++;
        } else {
            i++;
            j++;
        }
    }
}

static bool
column_has_strong_refs(const struct ovsdb_column *c)
{
    return (c->type.key.ref_table && c->type.key.ref_type == OVSDB_REF_STRONG)
           || (c->type.value.ref_table
               && c->type.value.ref_type == OVSDB_REF_STRONG);
}

/* Computes reference deltas of the whole transaction into 'deltas'. */
static void
compute_deltas(struct ovsdb_txn *txn, struct hmap *deltas)
{
    struct ovsdb_txn_row *tr;

    LIST_FOR_EACH (tr, list_node, &txn->order) {
        const struct ovsdb_table_schema *ts = tr->table->schema;

        for (unsigned int i = OVSDB_N_HIDDEN; i < ts->n_columns; i++) {
            const struct ovsdb_column *c = ts->columns[i];

            if (!column_has_strong_refs(c)) {
                continue;
            }
            if (tr->old && tr->new_
                && ovsdb_datum_equals(&tr->old->fields[i],
                                      &tr->new_->fields[i], &c->type)) {
                continue;
            }
            if (tr->old && tr->new_ && !ovsdb_type_is_map(&c->type)) {
                /* Sets are sorted: count only the elements that changed,
                 * so adding one port to a bridge with thousands costs one
                 * merge walk, not thousands of hash updates. */
                count_set_changes(txn, c, &tr->old->fields[i],
                                  &tr->new_->fields[i], deltas);
                continue;
            }
            if (tr->old) {
                count_refs(txn, tr->old, c, -1, deltas);
            }
            if (tr->new_) {
                count_refs(txn, tr->new_, c, +1, deltas);
            }
        }
    }
}

static void
deltas_clear(struct hmap *deltas)
{
    struct ref_delta *rd;

    HMAP_FOR_EACH_POP (rd, node, deltas) {
        free(rd);
    }
}

static long
final_refs(const struct ovsdb_txn_row *tr, const struct ovsdb_row *committed,
           struct hmap *deltas, const struct ovsdb_uuid *u)
{
    struct ref_delta *rd;
    long n = committed ? committed->n_refs : 0;

    HMAP_FOR_EACH_WITH_HASH (rd, node, ovsdb_uuid_hash(u), deltas) {
        if (ovsdb_uuid_equals(&rd->uuid, u)) {
            n += rd->delta;
        }
    }
    return n;
}

/* Garbage collection: deletes non-root rows that end up unreferenced. */
static void
collect_garbage(struct ovsdb_txn *txn, struct hmap *deltas)
{
    for (;;) {
        struct ovsdb_row **victims = NULL;
        size_t n = 0, allocated = 0;
        struct ovsdb_txn_row *tr;
        struct ref_delta *rd;

        deltas_clear(deltas);
        compute_deltas(txn, deltas);
        /* Candidates: rows of the transaction, and rows that lost
         * references. */
        LIST_FOR_EACH (tr, list_node, &txn->order) {
            if (tr->new_ && !tr->table->schema->is_root
                && final_refs(tr, tr->old, deltas, &tr->uuid) <= 0) {
                if (n >= allocated) {
                    allocated = allocated ? 2 * allocated : 8;
                    victims = xrealloc(victims, allocated * sizeof *victims);
                }
                victims[n++] = tr->new_;
            }
        }
        HMAP_FOR_EACH (rd, node, deltas) {
            if (rd->delta < 0 && !rd->table->schema->is_root
                && !txn_row_find(txn, &rd->uuid)) {
                struct ovsdb_row *row =
                    ovsdb_table_find_row(rd->table, &rd->uuid);
                if (row && (long) row->n_refs + rd->delta <= 0) {
                    if (n >= allocated) {
                        allocated = allocated ? 2 * allocated : 8;
                        victims =
                            xrealloc(victims, allocated * sizeof *victims);
                    }
                    victims[n++] = row;
                }
            }
        }
        for (size_t i = 0; i < n; i++) {
            COVERAGE_INC(ovsdb_gc_row);
            txn_delete(txn, victims[i]);
        }
        free(victims);
        if (!n) {
            return;
        }
    }
}

/* Drops weak references to rows that do not exist after the transaction.
 * Only rows of the transaction, and rows referencing deleted rows, can hold
 * such references. */
static bool
weak_ref_dangles(struct ovsdb_txn *txn, const struct ovsdb_base_type *b,
                 const union ovsdb_atom *a)
{
    struct ovsdb_txn_row *tr;

    return b->ref_table && b->ref_type == OVSDB_REF_WEAK
           && !txn_get_any_row(txn, ovsdb_table_of(txn->db, b->ref_table),
                               &a->uuid, &tr);
}

static bool
column_has_weak_refs(const struct ovsdb_column *c)
{
    return (c->type.key.ref_table && c->type.key.ref_type == OVSDB_REF_WEAK)
           || (c->type.value.ref_table
               && c->type.value.ref_type == OVSDB_REF_WEAK);
}

static void
strip_weak_refs(struct ovsdb_txn *txn, struct ovsdb_row *row, bool modify)
{
    const struct ovsdb_table_schema *ts = row->table->schema;

    for (unsigned int i = OVSDB_N_HIDDEN; i < ts->n_columns; i++) {
        const struct ovsdb_column *c = ts->columns[i];
        struct ovsdb_datum *d = &row->fields[i];

        if (!column_has_weak_refs(c)) {
            continue;
        }
        for (unsigned int k = d->n; k-- > 0;) {
            if (weak_ref_dangles(txn, &c->type.key, &d->keys[k])
                || (d->values
                    && weak_ref_dangles(txn, &c->type.value, &d->values[k]))) {
                if (modify) {
                    row = txn_modify(txn, row);
                    modify = false;
                    d = &row->fields[i];
                }
                ovsdb_datum_remove_at(d, k, &c->type);
            }
        }
    }
}

static void
remove_weak_refs(struct ovsdb_txn *txn)
{
    struct ovsdb_txn_row *tr;
    bool any_delete = false;

    LIST_FOR_EACH (tr, list_node, &txn->order) {
        if (tr->new_) {
            strip_weak_refs(txn, tr->new_, false);
        } else {
            any_delete = true;
        }
    }
    if (!any_delete) {
        return;
    }
    /* Committed rows with weak references into tables that lost rows. */
    for (unsigned int ti = 0; ti < txn->db->schema->n_tables; ti++) {
        struct ovsdb_table *t = &txn->db->tables[ti];
        bool has_weak = false;
        struct ovsdb_row *row;

        for (unsigned int i = OVSDB_N_HIDDEN; i < t->schema->n_columns; i++) {
            has_weak |= column_has_weak_refs(t->schema->columns[i]);
        }
        if (!has_weak) {
            continue;
        }
        struct ovsdb_row **rows =
            xcalloc(hmap_count(&t->rows) + 1, sizeof *rows);
        size_t n = 0;
        HMAP_FOR_EACH (row, node, &t->rows) {
            if (!txn_row_find(txn, ovsdb_row_uuid(row))) {
                rows[n++] = row;
            }
        }
        for (size_t i = 0; i < n; i++) {
            strip_weak_refs(txn, rows[i], true);
        }
        free(rows);
    }
}

static struct ovsdb_error *
check_row(struct ovsdb_txn *txn, struct ovsdb_txn_row *tr, struct hmap *deltas)
{
    const struct ovsdb_table_schema *ts = tr->table->schema;
    char buf[37];

    ovsdb_uuid_to_string(&tr->uuid, buf);
    if (!tr->new_) {
        long n = final_refs(tr, tr->old, deltas, &tr->uuid);

        if (n > 0) {
            return ovsdb_error("referential integrity violation",
                               "cannot delete %s row %s because of %ld "
                               "remaining reference(s)",
                               ts->name, buf, n);
        }
        return NULL;
    }
    for (unsigned int i = OVSDB_N_HIDDEN; i < ts->n_columns; i++) {
        const struct ovsdb_column *c = ts->columns[i];
        const struct ovsdb_datum *d = &tr->new_->fields[i];
        struct ovsdb_error *e;

        if (!ovsdb_txn_row_changed(tr, i)) {
            continue;
        }
        if ((e = ovsdb_datum_check(d, &c->type))) {
            struct ovsdb_error *e2 =
                ovsdb_error(e->tag, "table %s column %s row %s: %s", ts->name,
                            c->name, buf, e->details);
            ovsdb_error_destroy(e);
            return e2;
        }
        if (!column_has_strong_refs(c)) {
            continue;
        }
        for (int k = 0; k < 2; k++) {
            const struct ovsdb_base_type *b =
                k ? &c->type.value : &c->type.key;
            const union ovsdb_atom *atoms = k ? d->values : d->keys;
            struct ovsdb_txn_row *ttr;

            if (!b->ref_table || b->ref_type != OVSDB_REF_STRONG || !atoms) {
                continue;
            }
            for (unsigned int m = 0; m < d->n; m++) {
                struct ovsdb_table *rt = ovsdb_table_of(txn->db, b->ref_table);
                struct ovsdb_row *target =
                    txn_get_any_row(txn, rt, &atoms[m].uuid, &ttr);

                if (!target || target->table != rt) {
                    char tb[37];

                    ovsdb_uuid_to_string(&atoms[m].uuid, tb);
                    return ovsdb_error("referential integrity violation",
                                       "Table %s column %s row %s references "
                                       "nonexistent row %s in table %s.",
                                       ts->name, c->name, buf, tb,
                                       b->ref_table->name);
                }
            }
        }
    }
    return NULL;
}

static struct ovsdb_error *
check_indexes(struct ovsdb_txn *txn)
{
    struct ovsdb_txn_row *tr, *tr2;
    struct ovsdb_error *e = NULL;

    LIST_FOR_EACH (tr, list_node, &txn->order) {
        const struct ovsdb_table_schema *ts = tr->table->schema;

        if (!tr->new_ || !ts->n_indexes) {
            continue;
        }
        for (unsigned int ix = 0; ix < ts->n_indexes && !e; ix++) {
            size_t hash = ovsdb_row_index_hash(tr->new_, ix);
            struct ovsdb_index_node *in;
            bool dup = false;

            /* Committed rows not touched by the transaction. */
            HMAP_FOR_EACH_WITH_HASH (in, node, hash, &tr->table->indexes[ix]) {
                struct ovsdb_row *other = in->row;

                if (!txn_row_find(txn, ovsdb_row_uuid(other))
                    && ovsdb_row_index_equal(other, tr->new_, ix)) {
                    dup = true;
                    break;
                }
            }
            /* Other rows of the transaction (checked pairwise, each pair
             * once; transactions are small). */
            if (!dup) {
                LIST_FOR_EACH (tr2, list_node, &txn->order) {
                    if (tr2 == tr) {
                        break;
                    }
                    if (tr2->table == tr->table && tr2->new_
                        && ovsdb_row_index_equal(tr2->new_, tr->new_, ix)) {
                        dup = true;
                        break;
                    }
                }
            }
            if (dup) {
                json_t *key = json_object();
                char *s;

                for (unsigned int k = 0; k < ts->index_sizes[ix]; k++) {
                    unsigned int c = ts->indexes[ix][k];
                    json_object_set_new(
                        key, ts->columns[c]->name,
                        ovsdb_datum_to_json(&tr->new_->fields[c],
                                            &ts->columns[c]->type));
                }
                s = json_dumps(key, JSON_COMPACT | JSON_SORT_KEYS);
                e = ovsdb_error("constraint violation",
                                "Transaction causes multiple rows in \"%s\" "
                                "table to have identical values (%s) for "
                                "index on columns",
                                ts->name, s ? s : "?");
                free(s);
                json_decref(key);
            }
        }
        if (e) {
            break;
        }
    }
    return e;
}

static struct ovsdb_error *
check_max_rows(struct ovsdb_txn *txn)
{
    for (unsigned int ti = 0; ti < txn->db->schema->n_tables; ti++) {
        struct ovsdb_table *t = &txn->db->tables[ti];
        struct ovsdb_txn_row *tr;
        long n;

        if (t->schema->max_rows == UINT_MAX) {
            continue;
        }
        n = hmap_count(&t->rows);
        LIST_FOR_EACH (tr, list_node, &txn->order) {
            if (tr->table == t) {
                n += (tr->new_ != NULL) - (tr->old != NULL);
            }
        }
        if (n > (long) t->schema->max_rows) {
            return ovsdb_error("constraint violation",
                               "transaction causes "
                               "\"%s\" table to contain %ld rows, greater "
                               "than the schema-defined limit of %u row(s)",
                               t->schema->name, n, t->schema->max_rows);
        }
    }
    return NULL;
}

static struct ovsdb_error *
txn_precommit(struct ovsdb_txn *txn)
{
    struct hmap deltas = HMAP_INITIALIZER(&deltas);
    struct ovsdb_txn_row *tr, *next;
    struct ovsdb_error *e = NULL;

    collect_garbage(txn, &deltas);
    remove_weak_refs(txn);
    /* Weak-reference removal can change rows again: recount. */
    collect_garbage(txn, &deltas);
    /* Drop no-op rows (inserted then deleted) and compute changes. */
    LIST_FOR_EACH_SAFE (tr, next, list_node, &txn->order) {
        if (!tr->old && !tr->new_) {
            vs_list_remove(&tr->list_node);
            hmap_remove(&txn->rows, &tr->node);
            free(tr->changed);
            free(tr);
            continue;
        }
        txn_row_compute_changed(tr);
    }
    LIST_FOR_EACH (tr, list_node, &txn->order) {
        if ((e = check_row(txn, tr, &deltas))) {
            goto out;
        }
    }
    if ((e = check_indexes(txn)) || (e = check_max_rows(txn))) {
        goto out;
    }
    /* Remember the deltas for apply. */
    LIST_FOR_EACH (tr, list_node, &txn->order) {
        tr->ref_delta = final_refs(tr, NULL, &deltas, &tr->uuid);
    }
    hmap_swap(&deltas, &txn->deltas);

out:
    deltas_clear(&deltas);
    hmap_destroy(&deltas);
    return e;
}

void
ovsdb_txn_apply(struct ovsdb_txn *txn)
{
    struct ovsdb_txn_row *tr;

    struct ref_delta *rd;

    COVERAGE_INC(ovsdb_txn_commit);
    HMAP_FOR_EACH (rd, node, &txn->deltas) {
        if (!txn_row_find(txn, &rd->uuid)) {
            struct ovsdb_row *row = ovsdb_table_find_row(rd->table, &rd->uuid);
            if (row) {
                row->n_refs += rd->delta;
            }
        }
    }
    LIST_FOR_EACH (tr, list_node, &txn->order) {
        if (tr->old) {
            ovsdb_table_remove_row(tr->table, tr->old);
        }
        if (tr->new_) {
            tr->new_->n_refs = (tr->old ? tr->old->n_refs : 0) + tr->ref_delta;
            if (tr->old) {
                ovsdb_uuid_generate(
                    &tr->new_->fields[OVSDB_COL_VERSION].keys[0].uuid);
            }
            ovsdb_table_insert_row(tr->table, tr->new_);
        }
    }
    /* From now on the transaction owns the replaced rows: swap roles so
     * that destroy frees the old ones.  Monitors must run before destroy;
     * they read 'old' and 'new_' through the saved pointers below. */
    txn->db->n_txns++;
}

/* Frees replaced rows after apply; new rows now belong to the tables. */
static void
txn_release_after_apply(struct ovsdb_txn *txn)
{
    struct ovsdb_txn_row *tr;

    LIST_FOR_EACH (tr, list_node, &txn->order) {
        tr->new_ = tr->old; /* destroy frees 'new_'. */
        tr->old = NULL;
    }
}

void
ovsdb_txn_release(struct ovsdb_txn *txn)
{
    txn_release_after_apply(txn);
    ovsdb_txn_destroy(txn);
}

json_t *
ovsdb_txn_to_json(const struct ovsdb_txn *txn)
{
    json_t *rec = json_object();
    struct ovsdb_txn_row *tr;
    char buf[37];

    LIST_FOR_EACH (tr, list_node, &txn->order) {
        const struct ovsdb_table_schema *ts = tr->table->schema;
        json_t *tj = json_object_get(rec, ts->name);

        if (!tj) {
            tj = json_object();
            json_object_set_new(rec, ts->name, tj);
        }
        ovsdb_uuid_to_string(&tr->uuid, buf);
        if (!tr->new_) {
            json_object_set_new(tj, buf, json_null());
            continue;
        }
        json_t *row = json_object();
        for (unsigned int i = OVSDB_N_HIDDEN; i < ts->n_columns; i++) {
            const struct ovsdb_type *t = &ts->columns[i]->type;

            if (tr->old ? ovsdb_txn_row_changed(tr, i)
                        : !ovsdb_datum_is_default(&tr->new_->fields[i], t)) {
                json_object_set_new(
                    row, ts->columns[i]->name,
                    ovsdb_datum_to_json(&tr->new_->fields[i], t));
            }
        }
        json_object_set_new(tj, buf, row);
    }
    return rec;
}

static bool
replay_resolver(const char *name, struct ovsdb_uuid *uuid, void *aux)
{
    return false;
}

struct ovsdb_error *
ovsdb_txn_replay(struct ovsdb *db, const json_t *record)
{
    struct ovsdb_txn *txn;
    struct ovsdb_error *e = NULL;
    const char *tname, *ustr;
    json_t *tj, *rj;

    if (!json_is_object(record)) {
        return ovsdb_error("syntax error", "journal record is not an "
                                           "object");
    }
    txn = txn_create(db);
    json_object_foreach ((json_t *) record, tname, tj) {
        struct ovsdb_table *t;

        if (tname[0] == '_') {
            continue; /* Metadata such as "_date". */
        }
        t = ovsdb_get_table(db, tname);
        if (!t || !json_is_object(tj)) {
            e = ovsdb_error("syntax error", "journal names unknown table %s",
                            tname);
            goto out;
        }
        json_object_foreach (tj, ustr, rj) {
            struct ovsdb_uuid u;
            struct ovsdb_row *row;
            const char *cname;
            json_t *vj;

            if (!ovsdb_uuid_from_string(&u, ustr)) {
                e = ovsdb_error("syntax error", "bad uuid %s in journal",
                                ustr);
                goto out;
            }
            row = txn_get_row(txn, t, &u);
            if (json_is_null(rj)) {
                if (row) {
                    txn_delete(txn, row);
                }
                continue;
            }
            if (!row) {
                row = ovsdb_row_create(t, &u);
                txn_row_add(txn, t, &u, NULL, row);
            } else {
                row = txn_modify(txn, row);
            }
            json_object_foreach (rj, cname, vj) {
                const struct ovsdb_column *c =
                    ovsdb_table_schema_find_column(t->schema, cname);
                struct ovsdb_datum d;

                if (!c || c->index < OVSDB_N_HIDDEN) {
                    continue; /* Column dropped from the schema. */
                }
                e = ovsdb_datum_from_json_unbounded(&d, &c->type, vj,
                                                    replay_resolver, NULL);
                if (e) {
                    goto out;
                }
                ovsdb_datum_swap(&row->fields[c->index], &d);
                ovsdb_datum_destroy(&d, &c->type);
            }
        }
    }
    /* Recount references without enforcing anything: the journal holds
     * committed, checked states. */
    {
        struct hmap deltas = HMAP_INITIALIZER(&deltas);
        struct ovsdb_txn_row *tr;
        struct ref_delta *rd;

        compute_deltas(txn, &deltas);
        LIST_FOR_EACH (tr, list_node, &txn->order) {
            tr->ref_delta = final_refs(tr, NULL, &deltas, &tr->uuid);
        }
        (void) rd;
        hmap_swap(&deltas, &txn->deltas);
        hmap_destroy(&deltas);
    }
    ovsdb_txn_apply(txn);
    ovsdb_txn_release(txn);
    return NULL;

out:
    ovsdb_txn_destroy(txn);
    return e;
}

/* Execution. */

void
ovsdb_execute(struct ovsdb *db, const json_t *params, size_t first_op,
              const struct ovsdb_exec_hooks *hooks, bool deadline_passed,
              struct ovsdb_exec_result *r)
{
    struct exec_ctx ctx;
    struct ovsdb_error *e = NULL;
    size_t n_ops = json_array_size(params) - first_op;
    struct symbol *sym;
    json_t *results = json_array();

    memset(r, 0, sizeof *r);
    memset(&ctx, 0, sizeof ctx);
    ctx.db = db;
    ctx.txn = txn_create(db);
    ctx.hooks = hooks;
    ctx.deadline_passed = deadline_passed;
    hmap_init(&ctx.symtab);

    /* Named uuids may be used before the insert that defines them. */
    for (size_t i = first_op; i < json_array_size(params) && !e; i++) {
        const json_t *op = json_array_get(params, i);
        const json_t *name = json_object_get(op, "uuid-name");

        if (!name) {
            continue;
        }
        if (!json_is_string(name)) {
            e = ovsdb_error("syntax error", "\"uuid-name\" must be a string");
            break;
        }
        struct ovsdb_uuid u;
        if (resolve_symbol(json_string_value(name), &u, &ctx)) {
            e = ovsdb_error("duplicate uuid-name",
                            "This \"uuid-name\" "
                            "appeared on an earlier \"insert\" operation: %s",
                            json_string_value(name));
            break;
        }
        sym = xzalloc(sizeof *sym);
        sym->name = xstrdup(json_string_value(name));
        const json_t *ju = json_object_get(op, "uuid");
        if (!(json_is_string(ju)
              && ovsdb_uuid_from_string(&sym->uuid, json_string_value(ju)))) {
            ovsdb_uuid_generate(&sym->uuid);
        }
        hmap_insert(&ctx.symtab, &sym->node, hash_string(sym->name, 0));
    }

    for (size_t i = first_op; i < json_array_size(params) && !e; i++) {
        const json_t *op = json_array_get(params, i);
        const json_t *opname = json_object_get(op, "op");
        json_t *result = NULL;
        size_t k;

        if (!json_is_object(op) || !json_is_string(opname)) {
            e = ovsdb_error("syntax error", "operation must be an object "
                                            "with an \"op\"");
            break;
        }
        for (k = 0; k < ARRAY_SIZE(ops); k++) {
            if (!strcmp(ops[k].name, json_string_value(opname))) {
                break;
            }
        }
        if (k == ARRAY_SIZE(ops)) {
            e = ovsdb_error("unknown operation", "No operation \"%s\"",
                            json_string_value(opname));
            break;
        }
        e = ops[k].run(&ctx, op, &result);
        if (!e) {
            json_array_append_new(results, result);
        }
    }
    if (ctx.wait_ms) {
        /* A "wait" blocked: nothing to report yet. */
        ovsdb_error_destroy(e);
        json_decref(results);
        ovsdb_txn_destroy(ctx.txn);
        r->result = NULL;
        r->wait_ms = ctx.wait_ms;
        goto out;
    }
    if (e) {
        json_array_append_new(results, ovsdb_error_to_json(e));
        ovsdb_error_destroy(e);
        while (json_array_size(results) < n_ops) {
            json_array_append_new(results, json_null());
        }
        COVERAGE_INC(ovsdb_txn_abort);
        ovsdb_txn_destroy(ctx.txn);
    } else if (!hmap_is_empty(&ctx.txn->rows)
               && (e = txn_precommit(ctx.txn))) {
        json_array_append_new(results, ovsdb_error_to_json(e));
        ovsdb_error_destroy(e);
        COVERAGE_INC(ovsdb_txn_abort);
        ovsdb_txn_destroy(ctx.txn);
    } else if (hmap_is_empty(&ctx.txn->rows)) {
        ovsdb_txn_destroy(ctx.txn);
    } else {
        r->txn = ctx.txn;
    }
    r->result = results;
    r->durable = ctx.durable;

out:
    HMAP_FOR_EACH_POP (sym, node, &ctx.symtab) {
        free(sym->name);
        free(sym);
    }
    hmap_destroy(&ctx.symtab);
}
