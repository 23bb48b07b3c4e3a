/* SPDX-License-Identifier: Apache-2.0 */
/* vswitch-ctl: the working copy of the replica, @name symbols, and how
 * tables, columns, records and values are named on the command line. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ctl.h"
#include <stdarg.h>

void
ctl_fatal(const char *fmt, ...)
{
    va_list args;

    fprintf(stderr, "%s: ", program_name);
    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);
    fputc('\n', stderr);
    exit(1);
}
/* ---- Parsed commands ---------------------------------------------------- */

const char *
cmd_option(const struct ctl_command *cmd, const char *name)
{
    for (size_t i = 0; i < cmd->n_opts; i++) {
        if (!strcmp(cmd->opt_names[i], name)) {
            return cmd->opt_values[i] ? cmd->opt_values[i] : "";
        }
    }
    return NULL;
}

bool
cmd_has(const struct ctl_command *cmd, const char *name)
{
    return cmd_option(cmd, name) != NULL;
}

/* ---- Working copy ------------------------------------------------------- */

struct wrow *
wrow_lookup(struct ctl_ctx *ctx, const struct ovsdb_uuid *uuid)
{
    struct wrow *w;

    HMAP_FOR_EACH_WITH_HASH (w, node, ovsdb_uuid_hash(uuid), &ctx->rows) {
        if (ovsdb_uuid_equals(&w->uuid, uuid)) {
            return w;
        }
    }
    return NULL;
}

struct wrow *
wrow_add(struct ctl_ctx *ctx, const struct ovsdb_table_schema *ts,
         const struct ovsdb_uuid *uuid, const struct ovsdb_idl_row *orig)
{
    struct wrow *w = xzalloc(sizeof *w);

    w->uuid = *uuid;
    w->ts = ts;
    w->orig = orig;
    w->dirty = xcalloc(ts->n_columns, sizeof *w->dirty);
    w->verify = xcalloc(ts->n_columns, sizeof *w->verify);
    hmap_insert(&ctx->rows, &w->node, ovsdb_uuid_hash(uuid));
    return w;
}

struct wrow *
wrow_from_idl(struct ctl_ctx *ctx, const struct ovsdb_table_schema *ts,
              const struct ovsdb_idl_row *r)
{
    struct wrow *w = wrow_lookup(ctx, &r->uuid);

    return w ? w : wrow_add(ctx, ts, &r->uuid, r);
}

/* The row 'uuid' of 'ts', or NULL (also if deleted). */
struct wrow *
wrow_get(struct ctl_ctx *ctx, const struct ovsdb_table_schema *ts,
         const struct ovsdb_uuid *uuid)
{
    struct wrow *w = wrow_lookup(ctx, uuid);

    if (!w) {
        const struct ovsdb_idl_row *r =
            ovsdb_idl_get_row(ctx->idl, ts->name, uuid);

        w = r ? wrow_add(ctx, ts, uuid, r) : NULL;
    }
    return w && !w->deleted && w->ts == ts ? w : NULL;
}

/* Every live row of 'ts'; caller frees the array. */
struct wrow **
wrow_all(struct ctl_ctx *ctx, const struct ovsdb_table_schema *ts, size_t *n)
{
    const struct ovsdb_idl_row *r;
    struct wrow **v = NULL, *w;
    size_t cap = 0;

    *n = 0;
    for (r = ovsdb_idl_first_row(ctx->idl, ts->name); r;
         r = ovsdb_idl_next_row(r)) {
        w = wrow_from_idl(ctx, ts, r);
        if (w->deleted) {
            continue;
        }
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            v = xrealloc(v, cap * sizeof *v);
        }
        v[(*n)++] = w;
    }
    HMAP_FOR_EACH (w, node, &ctx->rows) {
        if (!w->orig && !w->deleted && w->ts == ts) {
            if (*n == cap) {
                cap = cap ? 2 * cap : 16;
                v = xrealloc(v, cap * sizeof *v);
            }
            v[(*n)++] = w;
        }
    }
    return v;
}

const struct ovsdb_column *
column_of(const struct ovsdb_table_schema *ts, const char *name)
{
    const struct ovsdb_column *c = ovsdb_table_schema_find_column(ts, name);

    if (!c) {
        vs_abort("%s has no column %s", ts->name, name);
    }
    return c;
}

void
wrow_materialize(struct wrow *w)
{
    if (w->data) {
        return;
    }
    w->data = xcalloc(w->ts->n_columns, sizeof *w->data);
    for (unsigned int i = OVSDB_N_HIDDEN; i < w->ts->n_columns; i++) {
        const struct ovsdb_column *c = w->ts->columns[i];
        const struct ovsdb_datum *d =
            w->orig ? ovsdb_idl_row_get(w->orig, c->name, NULL) : NULL;

        if (d) {
            ovsdb_datum_clone(&w->data[i], d, &c->type);
        } else if (c->type.n_max > 1) {
            /* A new row's set starts empty even if it may not stay so. */
            ovsdb_datum_init_empty(&w->data[i]);
        } else {
            ovsdb_datum_init_default(&w->data[i], &c->type);
        }
    }
}

struct ovsdb_type uuid_type = {
    .key = {.type = OVSDB_TYPE_UUID},
    .value = {.type = OVSDB_TYPE_VOID},
    .n_min = 1,
    .n_max = 1,
};

/* The value of column 'c' of 'w'; for _uuid a datum built in 'tmp'. */
const struct ovsdb_datum *
wrow_read(const struct wrow *w, const struct ovsdb_column *c,
          struct ovsdb_datum *tmp)
{
    static struct ovsdb_datum empty;

    if (c->index == OVSDB_COL_UUID || c->index == OVSDB_COL_VERSION) {
        tmp->n = 1;
        tmp->keys = xmalloc(sizeof *tmp->keys);
        tmp->keys[0].uuid = w->uuid;
        tmp->values = NULL;
        return tmp;
    }
    if (w->data) {
        return &w->data[c->index];
    }
    if (w->orig) {
        const struct ovsdb_datum *d =
            ovsdb_idl_row_get(w->orig, c->name, NULL);

        if (d) {
            return d;
        }
    }
    return &empty;
}

/* The value of user column 'name' of 'w'. */
const struct ovsdb_datum *
wrow_col(const struct wrow *w, const char *name)
{
    static struct ovsdb_datum empty;
    const struct ovsdb_column *c = column_of(w->ts, name);
    const struct ovsdb_datum *d;

    if (w->data) {
        return &w->data[c->index];
    }
    d = w->orig ? ovsdb_idl_row_get(w->orig, c->name, NULL) : NULL;
    return d ? d : &empty;
}

/* Sets column 'c' of 'w' to 'd' (taken). */
void
wrow_write(struct wrow *w, const struct ovsdb_column *c, struct ovsdb_datum *d)
{
    wrow_materialize(w);
    ovsdb_datum_destroy(&w->data[c->index], &c->type);
    w->data[c->index] = *d;
    ovsdb_datum_init_empty(d);
    w->dirty[c->index] = true;
}

void
wrow_verify(struct wrow *w, const char *name)
{
    w->verify[column_of(w->ts, name)->index] = true;
}

struct wrow *
wrow_insert(struct ctl_ctx *ctx, const struct ovsdb_table_schema *ts,
            const struct ovsdb_uuid *uuid)
{
    struct ovsdb_uuid u;
    struct wrow *w;

    if (uuid) {
        u = *uuid;
    } else {
        ovsdb_uuid_generate(&u);
    }
    w = wrow_add(ctx, ts, &u, NULL);
    wrow_materialize(w);
    return w;
}

const char *
wrow_name(const struct wrow *w)
{
    const struct ovsdb_datum *d = wrow_col(w, "name");

    return d->n ? d->keys[0].string : "";
}

/* Adds (or with 'remove', removes) 'uuid' to set column 'col' of 'w'. */
void
wrow_set_uuid(struct wrow *w, const char *col, const struct ovsdb_uuid *uuid,
              bool remove)
{
    const struct ovsdb_column *c = column_of(w->ts, col);
    struct ovsdb_datum d, one;
    union ovsdb_atom a;

    ovsdb_datum_clone(&d, wrow_col(w, col), &c->type);
    a.uuid = *uuid;
    one.n = 1;
    one.keys = &a;
    one.values = NULL;
    if (remove) {
        ovsdb_datum_subtract(&d, &c->type, &one, &c->type);
    } else {
        ovsdb_datum_union(&d, &one, &c->type);
    }
    wrow_write(w, c, &d);
}

/* Sets column 'col' of 'w' to the single atom 'a', or to empty if 'a' is
 * NULL. */
void
wrow_set_atom(struct wrow *w, const char *col, const union ovsdb_atom *a)
{
    const struct ovsdb_column *c = column_of(w->ts, col);
    struct ovsdb_datum d;

    ovsdb_datum_init_empty(&d);
    if (a) {
        ovsdb_datum_add_unsafe(&d, a, NULL, &c->type);
    }
    wrow_write(w, c, &d);
}

void
wrow_set_string(struct wrow *w, const char *col, const char *s)
{
    union ovsdb_atom a = {.string = (char *) s};

    wrow_set_atom(w, col, s ? &a : NULL);
}

void
wrow_set_int(struct wrow *w, const char *col, int64_t v)
{
    wrow_set_atom(w, col, &(union ovsdb_atom){.integer = v});
}

void
wrow_set_bool(struct wrow *w, const char *col, bool b)
{
    wrow_set_atom(w, col, &(union ovsdb_atom){.boolean = b});
}

void
wrow_destroy(struct wrow *w)
{
    if (w->data) {
        for (unsigned int i = OVSDB_N_HIDDEN; i < w->ts->n_columns; i++) {
            ovsdb_datum_destroy(&w->data[i], &w->ts->columns[i]->type);
        }
    }
    free(w->data);
    free(w->dirty);
    free(w->verify);
    free(w);
}

const struct ovsdb_table_schema *
table_of(const struct ctl_ctx *ctx, const char *name)
{
    const struct ovsdb_table_schema *ts =
        ovsdb_schema_find_table(ctx->schema, name);

    if (!ts) {
        ctl_fatal("database has no %s table", name);
    }
    return ts;
}

/* ---- Symbols (@name) ---------------------------------------------------- */

struct symbol *
symbol_find(struct ctl_ctx *ctx, const char *name, bool create)
{
    struct symbol *s;

    for (size_t i = 0; i < ctx->n_symbols; i++) {
        if (!strcmp(ctx->symbols[i].name, name)) {
            return &ctx->symbols[i];
        }
    }
    if (!create) {
        return NULL;
    }
    ctx->symbols =
        xrealloc(ctx->symbols, (ctx->n_symbols + 1) * sizeof *ctx->symbols);
    s = &ctx->symbols[ctx->n_symbols++];
    memset(s, 0, sizeof *s);
    s->name = xstrdup(name);
    ovsdb_uuid_generate(&s->uuid);
    return s;
}

bool
resolve_symbol(const char *name, struct ovsdb_uuid *uuid, void *ctx_)
{
    struct symbol *s = symbol_find(ctx_, name, true);

    s->strong_ref = true;
    *uuid = s->uuid;
    return true;
}

/* ---- Table, column and record lookup ------------------------------------ */

int
cmp_strp(const void *a, const void *b)
{
    return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* Compares names ignoring case and treating '-' and '_' alike; returns 0
 * for a full match, 1 for 'abbr' being a proper prefix, -1 otherwise. */
int
name_match(const char *full, const char *abbr)
{
    for (; *abbr; full++, abbr++) {
        char a = tolower((unsigned char) *full);
        char b = tolower((unsigned char) *abbr);

        a = a == '-' ? '_' : a;
        b = b == '-' ? '_' : b;
        if (a != b) {
            return -1;
        }
    }
    return *full ? 1 : 0;
}

const struct ovsdb_table_schema *
get_table(const struct ctl_ctx *ctx, const char *name)
{
    const struct ovsdb_table_schema *ts, *best = NULL;
    struct ds cands;
    int n = 0;

    ds_init(&cands);
    HMAP_FOR_EACH (ts, node, &ctx->schema->tables) {
        int m = name_match(ts->name, name);

        if (m == 0) {
            ds_destroy(&cands);
            return ts;
        }
        if (m == 1) {
            best = ts;
            n++;
        }
    }
    if (n == 1) {
        ds_destroy(&cands);
        return best;
    }
    if (!n) {
        ctl_fatal("unknown table \"%s\"", name);
    }
    {
        /* List the candidates in alphabetical order. */
        const char **names = xcalloc(n, sizeof *names);
        int k = 0;

        HMAP_FOR_EACH (ts, node, &ctx->schema->tables) {
            if (name_match(ts->name, name) == 1) {
                names[k++] = ts->name;
            }
        }
        qsort(names, n, sizeof *names, cmp_strp);
        for (int i = 0; i < n; i++) {
            ds_put_format(&cands, "%s%s", i ? ", " : "", names[i]);
        }
        ctl_fatal("\"%s\" matches multiple table names: %s", name,
                  ds_cstr(&cands));
    }
}

const struct ovsdb_column *
get_column(const struct ovsdb_table_schema *ts, const char *name)
{
    const struct ovsdb_column *best = NULL;
    const char **names = xcalloc(ts->n_columns + 1, sizeof *names);
    int n = 0;

    for (unsigned int i = 0; i < ts->n_columns; i++) {
        const struct ovsdb_column *c = ts->columns[i];
        int m = name_match(c->name, name);

        if (i == OVSDB_COL_VERSION) {
            continue;
        }
        if (m == 0) {
            free(names);
            return c;
        }
        if (m == 1) {
            best = c;
            names[n++] = c->name;
        }
    }
    if (n == 1) {
        free(names);
        return best;
    }
    if (!n) {
        ctl_fatal("%s does not contain a column whose name matches \"%s\"",
                  ts->name, name);
    }
    {
        struct ds ds;

        ds_init(&ds);
        qsort(names, n, sizeof *names, cmp_strp);
        for (int i = 0; i < n; i++) {
            ds_put_format(&ds, "%s%s", i ? ", " : "", names[i]);
        }
        ctl_fatal("%s contains more than one column whose name matches "
                  "\"%s\": %s",
                  ts->name, name, ds_cstr(&ds));
    }
}

/* How records of a table are named on the command line, besides by uuid:
 * by a string column of their own, or through a column of a row of another
 * table found by that table's name column. */
struct row_id {
    const char *table;     /* Table. */
    const char *via_table; /* Table whose row is named, or NULL: self. */
    const char *name_col;  /* Naming column (of via_table or table). */
    const char *ref_col;   /* via_table's column that refers to us. */
};

static const struct row_id row_ids[] = {
    {"Bridge", NULL, "name", NULL},
    {"Port", NULL, "name", NULL},
    {"Interface", NULL, "name", NULL},
    {"Controller", "Bridge", "name", "controller"},
    {"Manager", NULL, "target", NULL},
    {"Mirror", NULL, "name", NULL},
    {"NetFlow", "Bridge", "name", "netflow"},
    {"sFlow", "Bridge", "name", "sflow"},
    {"IPFIX", "Bridge", "name", "ipfix"},
    {"QoS", "Port", "name", "qos"},
    {"Flow_Table", NULL, "name", NULL},
    {"AutoAttach", "Bridge", "name", "auto_attach"},
    {"SSL", "Open_vSwitch", NULL, "ssl"},
    {"Datapath", NULL, NULL, NULL},
};

/* Finds the record of 'ts' named 'id'; NULL if none ('must' false). */
struct wrow *
get_row(struct ctl_ctx *ctx, const struct ovsdb_table_schema *ts,
        const char *id, bool must)
{
    struct ovsdb_uuid u;
    struct wrow *found = NULL;

    if (ovsdb_uuid_from_string(&u, id)) {
        found = wrow_get(ctx, ts, &u);
    } else if (!strcmp(ts->name, "Open_vSwitch") && !strcmp(id, ".")) {
        size_t n;
        struct wrow **all = wrow_all(ctx, ts, &n);

        found = n ? all[0] : NULL;
        free(all);
    } else if (id[0] == '@') {
        struct symbol *s = symbol_find(ctx, id, false);

        found = s ? wrow_get(ctx, ts, &s->uuid) : NULL;
    } else {
        for (size_t i = 0; i < ARRAY_SIZE(row_ids) && !found; i++) {
            const struct row_id *ri = &row_ids[i];
            const struct ovsdb_table_schema *nts;
            struct wrow **all;
            size_t n;

            if (strcmp(ri->table, ts->name) || !ri->name_col) {
                continue;
            }
            nts = ri->via_table
                      ? ovsdb_schema_find_table(ctx->schema, ri->via_table)
                      : ts;
            if (!nts || !ovsdb_table_schema_find_column(nts, ri->name_col)) {
                continue;
            }
            all = wrow_all(ctx, nts, &n);
            for (size_t k = 0; k < n && !found; k++) {
                const struct ovsdb_datum *d = wrow_col(all[k], ri->name_col);

                if (d->n != 1 || strcmp(d->keys[0].string, id)) {
                    continue;
                }
                if (!ri->via_table) {
                    found = all[k];
                } else {
                    const struct ovsdb_datum *r =
                        wrow_col(all[k], ri->ref_col);

                    if (r->n == 1) {
                        found = wrow_get(ctx, ts, &r->keys[0].uuid);
                    }
                }
            }
            free(all);
        }
        if (!found && ovsdb_table_schema_find_column(ts, "name")
            && strcmp(ts->name, "Open_vSwitch")) {
            bool known = false;

            for (size_t i = 0; i < ARRAY_SIZE(row_ids); i++) {
                known |= !strcmp(row_ids[i].table, ts->name);
            }
            if (!known) {
                struct wrow **all;
                size_t n;

                all = wrow_all(ctx, ts, &n);
                for (size_t k = 0; k < n && !found; k++) {
                    const struct ovsdb_datum *d = wrow_col(all[k], "name");

                    if (d->n == 1 && d->keys[0].string
                        && !strcmp(d->keys[0].string, id)) {
                        found = all[k];
                    }
                }
                free(all);
            }
        }
    }
    if (!found && must) {
        ctl_fatal("no row \"%s\" in table %s", id, ts->name);
    }
    return found;
}

/* Splits "COLUMN[:KEY][OP VALUE]" at the first of 'ops' found.  Stores the
 * column, the key text (or NULL), the operator (or NULL) and the value. */
void
parse_column_key_value(const char *arg, const struct ovsdb_table_schema *ts,
                       const struct ovsdb_column **colp, char **keyp,
                       const char *const *ops, const char **opp, char **valuep)
{
    const char *p = arg;
    char *col;

    *keyp = NULL;
    *opp = NULL;
    *valuep = NULL;
    while (*p && (isalnum((unsigned char) *p) || *p == '_' || *p == '-')) {
        p++;
    }
    if (p == arg) {
        ctl_fatal("%s: missing column name", arg);
    }
    col = xmalloc(p - arg + 1);
    memcpy(col, arg, p - arg);
    col[p - arg] = '\0';
    *colp = get_column(ts, col);
    free(col);
    if (*p == ':') {
        const char *k = ++p;

        if (*p == '"') {
            char *dummy;

            /* Find the closing quote, honoring escapes. */
            for (p++; *p && *p != '"'; p++) {
                if (*p == '\\' && p[1]) {
                    p++;
                }
            }
            if (*p == '"') {
                p++;
            }
            (void) dummy;
        } else {
            while (*p && !strchr("=!<>{", *p)) {
                p++;
            }
        }
        *keyp = xmalloc(p - k + 1);
        memcpy(*keyp, k, p - k);
        (*keyp)[p - k] = '\0';
    }
    if (ops) {
        if (!*p) {
            return;
        }
        for (size_t i = 0; ops[i]; i++) {
            size_t n = strlen(ops[i]);

            if (!strncmp(p, ops[i], n)) {
                *opp = ops[i];
                *valuep = xstrdup(p + n);
                return;
            }
        }
        ctl_fatal("%s: argument does not end in \"=\" followed by a value.",
                  arg);
    } else if (*p) {
        ctl_fatal("%s: trailing garbage \"%s\" in argument", arg, p);
    }
}

void
parse_datum(struct ctl_ctx *ctx, struct ovsdb_datum *d,
            const struct ovsdb_type *type, const char *s)
{
    char *error = ctl_datum_from_string(d, type, s, resolve_symbol, ctx);

    if (error) {
        fputs(program_name, stderr);
        fputs(": ", stderr);
        fputs(error, stderr);
        fputc('\n', stderr);
        free(error);
        exit(1);
    }
}

void
parse_atom(struct ctl_ctx *ctx, union ovsdb_atom *a,
           const struct ovsdb_base_type *base, const char *s)
{
    char *error = ctl_atom_from_string(a, base, s, resolve_symbol, ctx);

    if (error) {
        fprintf(stderr, "%s: %s\n", program_name, error);
        free(error);
        exit(1);
    }
}

void
check_mutable(const struct wrow *w, const struct ovsdb_column *c)
{
    if (w->orig && (!c->mutable_ || c->index < OVSDB_N_HIDDEN)) {
        ctl_fatal("cannot modify read-only column %s in table %s", c->name,
                  w->ts->name);
    }
}

/* The type of one element of map column 'c' as a scalar. */
void
element_type(const struct ovsdb_type *t, struct ovsdb_type *key,
             struct ovsdb_type *value)
{
    memset(key, 0, sizeof *key);
    key->key = t->key;
    key->value.type = OVSDB_TYPE_VOID;
    key->n_min = key->n_max = 1;
    if (value) {
        memset(value, 0, sizeof *value);
        value->key = t->value;
        value->value.type = OVSDB_TYPE_VOID;
        value->n_min = value->n_max = 1;
    }
}

/* "set": COLUMN[:KEY]=VALUE applied to 'w'. */
void
set_column(struct ctl_ctx *ctx, struct wrow *w, const char *arg)
{
    static const char *const ops[] = {"=", NULL};
    const struct ovsdb_column *c;
    const char *op;
    char *key, *value;
    struct ovsdb_datum d;

    parse_column_key_value(arg, w->ts, &c, &key, ops, &op, &value);
    if (!op) {
        ctl_fatal("%s: argument does not end in \"=\" followed by a value.",
                  arg);
    }
    check_mutable(w, c);
    if (key) {
        union ovsdb_atom k, v;

        if (!ovsdb_type_is_map(&c->type)) {
            ctl_fatal("cannot specify key to set for non-map column %s",
                      c->name);
        }
        parse_atom(ctx, &k, &c->type.key, key);
        parse_atom(ctx, &v, &c->type.value, value);
        ovsdb_datum_clone(&d, wrow_col(w, c->name), &c->type);
        {
            long idx = ovsdb_datum_find_key(&d, &k, c->type.key.type);

            if (idx >= 0) {
                ovsdb_datum_remove_at(&d, idx, &c->type);
            }
        }
        {
            struct ovsdb_datum one = {1, &k, &v};

            ovsdb_datum_union(&d, &one, &c->type);
        }
        ovsdb_atom_destroy(&k, c->type.key.type);
        ovsdb_atom_destroy(&v, c->type.value.type);
    } else {
        parse_datum(ctx, &d, &c->type, value);
    }
    wrow_write(w, c, &d);
    free(key);
    free(value);
}
