/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vswitch-ctl: configures the switch through its database, with the
 * command language of ovs-vsctl (so it can be installed under that name).
 *
 * One invocation: parse the global options and the "--"-separated
 * commands; connect the IDL and wait for the replica; run every command
 * against a working copy of the rows (reads see earlier commands' writes);
 * turn the changed rows into one transaction (verifying what was read),
 * commit, and on a failed verification redo everything from the refreshed
 * replica.  Any error before the commit exits 1 with nothing sent.  Without
 * --no-wait a changing transaction also bumps Open_vSwitch.next_cfg and we
 * wait until cur_cfg catches up (--timeout, else SIGALRM ends us, exit
 * 142, as ovs-vsctl does).
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "vswitch/ctl-syntax.h"
#include "vswitch/ds.h"
#include "vswitch/hash.h"
#include "vswitch/hmap.h"
#include "vswitch/ovsdb-data.h"
#include "vswitch/ovsdb-idl-txn.h"
#include "vswitch/ovsdb-idl.h"
#include "vswitch/ovsdb-schema.h"
#include "vswitch/util.h"
#include "vswitch/vlog.h"

VLOG_DEFINE_THIS_MODULE(vswitch_ctl);

#define DEFAULT_DB "unix:/var/run/openvswitch/db.sock"

static const char *program_name = "vswitch-ctl";

/* Global options. */
static const char *opt_db;
static int opt_timeout;
static bool opt_no_wait;
static bool opt_dry_run;
static bool opt_oneline;
static struct ctl_table_style opt_style = {CTL_FORMAT_TABLE, CTL_DATA_STRING,
                                           true, false};
static bool opt_style_explicit_format;
static char *opt_columns;
static bool verbose;

static void VS_PRINTF_FORMAT(1, 2) VS_NO_RETURN ctl_fatal(const char *fmt, ...)
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

struct ctl_command;
struct ctl_ctx;
typedef void ctl_run_fn(struct ctl_ctx *, struct ctl_command *);

struct ctl_command_syntax {
    const char *name;    /* Command name. */
    int min_args;        /* Fewest arguments. */
    int max_args;        /* Most arguments (INT_MAX: any). */
    const char *options; /* Allowed per-command options, comma-separated. */
    ctl_run_fn *run;     /* Implementation. */
    bool read_only;      /* Never writes. */
};

struct ctl_command {
    const struct ctl_command_syntax *syntax; /* What to run. */
    char **argv;                             /* argv[0] is the name. */
    int argc;                                /* Elements in 'argv'. */
    char **opt_names;          /* Per-command options ("--may-exist"). */
    char **opt_values;         /* Their values or NULL. */
    size_t n_opts;             /* Number of options. */
    struct ds output;          /* What it prints. */
    struct ctl_table *table;   /* Or a table to print. */
    struct ovsdb_uuid created; /* "create": provisional uuid to print. */
    bool has_created;          /* 'created' is set. */
};

static const char *
cmd_option(const struct ctl_command *cmd, const char *name)
{
    for (size_t i = 0; i < cmd->n_opts; i++) {
        if (!strcmp(cmd->opt_names[i], name)) {
            return cmd->opt_values[i] ? cmd->opt_values[i] : "";
        }
    }
    return NULL;
}

static bool
cmd_has(const struct ctl_command *cmd, const char *name)
{
    return cmd_option(cmd, name) != NULL;
}

/* ---- Working copy ------------------------------------------------------- */

struct wrow {
    struct hmap_node node;               /* In ctx->rows, by uuid. */
    struct ovsdb_uuid uuid;              /* Real or provisional. */
    const struct ovsdb_table_schema *ts; /* Table. */
    const struct ovsdb_idl_row *orig;    /* Replica row, or NULL if new. */
    struct ovsdb_datum *data;            /* NULL until written; by index. */
    bool *dirty;                         /* Written columns. */
    bool *verify;                        /* Columns to verify. */
    bool deleted;                        /* Destroyed. */
};

struct symbol {
    char *name;             /* "@name". */
    struct ovsdb_uuid uuid; /* Row it names. */
    bool created;           /* Defined by --id. */
    bool strong_ref;        /* Referenced. */
};

struct ctl_ctx {
    struct ovsdb_idl *idl;             /* Replica. */
    const struct ovsdb_schema *schema; /* Server's schema. */
    struct hmap rows;                  /* struct wrow. */
    struct symbol *symbols;            /* @names. */
    size_t n_symbols;                  /* Elements in 'symbols'. */
    bool try_again;                    /* wait-until not satisfied. */
};

static struct wrow *
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

static struct wrow *
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

static struct wrow *
wrow_from_idl(struct ctl_ctx *ctx, const struct ovsdb_table_schema *ts,
              const struct ovsdb_idl_row *r)
{
    struct wrow *w = wrow_lookup(ctx, &r->uuid);

    return w ? w : wrow_add(ctx, ts, &r->uuid, r);
}

/* The row 'uuid' of 'ts', or NULL (also if deleted). */
static struct wrow *
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
static struct wrow **
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

static const struct ovsdb_column *
column_of(const struct ovsdb_table_schema *ts, const char *name)
{
    const struct ovsdb_column *c = ovsdb_table_schema_find_column(ts, name);

    if (!c) {
        vs_abort("%s has no column %s", ts->name, name);
    }
    return c;
}

static void
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

static struct ovsdb_type uuid_type = {
    .key = {.type = OVSDB_TYPE_UUID},
    .value = {.type = OVSDB_TYPE_VOID},
    .n_min = 1,
    .n_max = 1,
};

/* The value of column 'c' of 'w'; for _uuid a datum built in 'tmp'. */
static const struct ovsdb_datum *
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
static const struct ovsdb_datum *
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
static void
wrow_write(struct wrow *w, const struct ovsdb_column *c, struct ovsdb_datum *d)
{
    wrow_materialize(w);
    ovsdb_datum_destroy(&w->data[c->index], &c->type);
    w->data[c->index] = *d;
    ovsdb_datum_init_empty(d);
    w->dirty[c->index] = true;
}

static void
wrow_verify(struct wrow *w, const char *name)
{
    w->verify[column_of(w->ts, name)->index] = true;
}

static struct wrow *
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

static const char *
wrow_name(const struct wrow *w)
{
    const struct ovsdb_datum *d = wrow_col(w, "name");

    return d->n ? d->keys[0].string : "";
}

/* Adds (or with 'remove', removes) 'uuid' to set column 'col' of 'w'. */
static void
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

static void
wrow_set_string(struct wrow *w, const char *col, const char *s)
{
    const struct ovsdb_column *c = column_of(w->ts, col);
    struct ovsdb_datum d;
    union ovsdb_atom a;

    ovsdb_datum_init_empty(&d);
    if (s) {
        a.string = (char *) s;
        ovsdb_datum_add_unsafe(&d, &a, NULL, &c->type);
    }
    wrow_write(w, c, &d);
}

static void
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

static const struct ovsdb_table_schema *
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

static struct symbol *
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

static bool
resolve_symbol(const char *name, struct ovsdb_uuid *uuid, void *ctx_)
{
    struct symbol *s = symbol_find(ctx_, name, true);

    s->strong_ref = true;
    *uuid = s->uuid;
    return true;
}

/* ---- Table, column and record lookup ------------------------------------ */

static int
cmp_strp(const void *a, const void *b)
{
    return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* Compares names ignoring case and treating '-' and '_' alike; returns 0
 * for a full match, 1 for 'abbr' being a proper prefix, -1 otherwise. */
static int
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

static const struct ovsdb_table_schema *
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

static const struct ovsdb_column *
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
static struct wrow *
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
static void
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

static void
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

static void
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

static void
check_mutable(const struct wrow *w, const struct ovsdb_column *c)
{
    if (w->orig && (!c->mutable_ || c->index < OVSDB_N_HIDDEN)) {
        ctl_fatal("cannot modify read-only column %s in table %s", c->name,
                  w->ts->name);
    }
}

/* The type of one element of map column 'c' as a scalar. */
static void
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
static void
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

static void
print_datum(struct ds *out, const struct ovsdb_datum *d,
            const struct ovsdb_type *t)
{
    ctl_datum_to_string(d, t, out);
    ds_put_char(out, '\n');
}

static void
cmd_get(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    const struct ovsdb_table_schema *ts = get_table(ctx, cmd->argv[1]);
    bool if_exists = cmd_has(cmd, "--if-exists");
    const char *id = cmd_option(cmd, "--id");
    struct wrow *w = get_row(ctx, ts, cmd->argv[2], !if_exists);

    if (!w) {
        return;
    }
    if (id && *id) {
        struct symbol *s = symbol_find(ctx, id, true);

        if (s->created) {
            ctl_fatal("row id \"%s\" specified on \"--id\" for more than "
                      "one command",
                      id);
        }
        s->created = true;
        s->uuid = w->uuid;
    }
    for (int i = 3; i < cmd->argc; i++) {
        const struct ovsdb_column *c;
        const char *op;
        char *key, *value;
        struct ovsdb_datum tmp;
        const struct ovsdb_datum *d;

        parse_column_key_value(cmd->argv[i], ts, &c, &key, NULL, &op, &value);
        d = wrow_read(w, c, &tmp);
        if (w->orig && c->index >= OVSDB_N_HIDDEN) {
            w->verify[c->index] = true;
        }
        if (key) {
            union ovsdb_atom k;
            long idx;

            if (!ovsdb_type_is_map(&c->type)) {
                ctl_fatal("cannot specify key to get for non-map column %s",
                          c->name);
            }
            parse_atom(ctx, &k, &c->type.key, key);
            idx = ovsdb_datum_find_key(d, &k, c->type.key.type);
            ovsdb_atom_destroy(&k, c->type.key.type);
            if (idx < 0) {
                if (!if_exists) {
                    ctl_fatal("no key \"%s\" in %s record \"%s\" column %s",
                              key, ts->name, cmd->argv[2], c->name);
                }
                ds_put_char(&cmd->output, '\n');
            } else {
                ctl_atom_to_string(&d->values[idx], c->type.value.type,
                                   &cmd->output);
                ds_put_char(&cmd->output, '\n');
            }
        } else {
            print_datum(&cmd->output, d, &c->type);
        }
        if (d == &tmp) {
            ovsdb_datum_destroy(&tmp, &uuid_type);
        }
        free(key);
    }
}

/* The columns to show: --columns, or all (_uuid first, then by name). */
static const struct ovsdb_column **
pick_columns(const struct ovsdb_table_schema *ts, const char *spec, size_t *n)
{
    const struct ovsdb_column **cols =
        xcalloc(ts->n_columns + 1, sizeof *cols);

    *n = 0;
    if (spec) {
        char *copy = xstrdup(spec), *save = NULL, *tok;

        cols = xrealloc(cols, (strlen(spec) + 2) * sizeof *cols);
        for (tok = strtok_r(copy, ",", &save); tok;
             tok = strtok_r(NULL, ",", &save)) {
            cols[(*n)++] = get_column(ts, tok);
        }
        free(copy);
    } else {
        const char **names = xcalloc(ts->n_columns, sizeof *names);
        size_t k = 0;

        cols[(*n)++] = ts->columns[OVSDB_COL_UUID];
        for (unsigned int i = OVSDB_N_HIDDEN; i < ts->n_columns; i++) {
            names[k++] = ts->columns[i]->name;
        }
        qsort(names, k, sizeof *names, cmp_strp);
        for (size_t i = 0; i < k; i++) {
            cols[(*n)++] = ovsdb_table_schema_find_column(ts, names[i]);
        }
        free(names);
    }
    return cols;
}

static void
add_table_row(struct ctl_table *t, struct wrow *w,
              const struct ovsdb_column **cols, size_t n)
{
    ctl_table_add_row(t);
    for (size_t i = 0; i < n; i++) {
        struct ovsdb_datum tmp;
        const struct ovsdb_datum *d = wrow_read(w, cols[i], &tmp);

        ctl_table_set(t, i, d,
                      cols[i]->index < OVSDB_N_HIDDEN ? &uuid_type
                                                      : &cols[i]->type);
        if (d == &tmp) {
            ovsdb_datum_destroy(&tmp, &uuid_type);
        }
    }
}

static struct ctl_table *
new_table(const struct ovsdb_column **cols, size_t n)
{
    struct ctl_table *t = xmalloc(sizeof *t);

    ctl_table_init(t);
    for (size_t i = 0; i < n; i++) {
        ctl_table_add_column(t, cols[i]->name);
    }
    return t;
}

static void
cmd_list(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    const struct ovsdb_table_schema *ts = get_table(ctx, cmd->argv[1]);
    const char *spec = cmd_option(cmd, "--columns");
    bool if_exists = cmd_has(cmd, "--if-exists");
    const struct ovsdb_column **cols;
    size_t n;

    cols = pick_columns(ts, spec ? spec : opt_columns, &n);
    cmd->table = new_table(cols, n);
    if (cmd->argc > 2) {
        for (int i = 2; i < cmd->argc; i++) {
            struct wrow *w = get_row(ctx, ts, cmd->argv[i], !if_exists);

            if (w) {
                add_table_row(cmd->table, w, cols, n);
            }
        }
    } else {
        size_t nr;
        struct wrow **all = wrow_all(ctx, ts, &nr);

        for (size_t i = 0; i < nr; i++) {
            add_table_row(cmd->table, all[i], cols, n);
        }
        free(all);
    }
    free(cols);
}

/* Whether 'w' satisfies condition 'arg' ("col[:key]OP value"). */
static bool
row_matches(struct ctl_ctx *ctx, struct wrow *w, const char *arg)
{
    static const char *const ops[] = {"{!=}", "{>=}", "{<=}", "{=}", "{>}",
                                      "{<}",  "!=",   ">=",   "<=",  "=",
                                      ">",    "<",    NULL};
    const struct ovsdb_column *c;
    const char *op;
    char *key, *value;
    struct ovsdb_datum tmp, want, have_one;
    const struct ovsdb_datum *have;
    const struct ovsdb_type *type;
    struct ovsdb_type vtype, ktype;
    bool result;
    int cmp;

    parse_column_key_value(arg, w->ts, &c, &key, ops, &op, &value);
    if (!op) {
        ctl_fatal("%s: missing value", arg);
    }
    have = wrow_read(w, c, &tmp);
    type = c->index < OVSDB_N_HIDDEN ? &uuid_type : &c->type;
    ovsdb_datum_init_empty(&have_one);
    if (key) {
        union ovsdb_atom k;
        long idx;

        if (!ovsdb_type_is_map(&c->type)) {
            ctl_fatal("cannot specify key to check for non-map column %s",
                      c->name);
        }
        element_type(&c->type, &ktype, &vtype);
        vtype.n_min = 0;
        parse_atom(ctx, &k, &c->type.key, key);
        idx = ovsdb_datum_find_key(have, &k, c->type.key.type);
        ovsdb_atom_destroy(&k, c->type.key.type);
        if (idx >= 0) {
            ovsdb_datum_add_unsafe(&have_one, &have->values[idx], NULL,
                                   &vtype);
        }
        have = &have_one;
        type = &vtype;
        {
            union ovsdb_atom v;

            parse_atom(ctx, &v, &c->type.value, value);
            ovsdb_datum_init_empty(&want);
            ovsdb_datum_add_unsafe(&want, &v, NULL, &vtype);
            ovsdb_atom_destroy(&v, vtype.key.type);
        }
    } else {
        struct ovsdb_type t = *type;

        /* The operand may be empty but no larger than the column. */
        t.n_min = 0;
        parse_datum(ctx, &want, &t, value);
    }
    cmp = ovsdb_datum_compare(have, &want, type);
    if (!strcmp(op, "=")) {
        result = key ? have->n && !cmp : !cmp;
    } else if (!strcmp(op, "!=")) {
        result = cmp != 0;
    } else if (!strcmp(op, "<")) {
        result = cmp < 0;
    } else if (!strcmp(op, ">")) {
        result = cmp > 0;
    } else if (!strcmp(op, "<=")) {
        result = cmp <= 0;
    } else if (!strcmp(op, ">=")) {
        result = cmp >= 0;
    } else if (!strcmp(op, "{=}")) {
        result = !cmp;
    } else if (!strcmp(op, "{!=}")) {
        result = cmp != 0;
    } else if (!strcmp(op, "{<=}")) {
        result = ovsdb_datum_includes_all(have, &want, type);
    } else if (!strcmp(op, "{>=}")) {
        result = ovsdb_datum_includes_all(&want, have, type);
    } else if (!strcmp(op, "{<}")) {
        result = cmp && ovsdb_datum_includes_all(have, &want, type);
    } else {
        result = cmp && ovsdb_datum_includes_all(&want, have, type);
    }
    ovsdb_datum_destroy(&want, type);
    ovsdb_datum_destroy(&have_one, type);
    if (have == &tmp) {
        ovsdb_datum_destroy(&tmp, &uuid_type);
    }
    free(key);
    free(value);
    return result;
}

static void
cmd_find(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    const struct ovsdb_table_schema *ts = get_table(ctx, cmd->argv[1]);
    const char *spec = cmd_option(cmd, "--columns");
    const struct ovsdb_column **cols;
    struct wrow **all;
    size_t n, nr;

    cols = pick_columns(ts, spec ? spec : opt_columns, &n);
    cmd->table = new_table(cols, n);
    all = wrow_all(ctx, ts, &nr);
    for (size_t i = 0; i < nr; i++) {
        bool ok = true;

        for (int k = 2; k < cmd->argc && ok; k++) {
            ok = row_matches(ctx, all[i], cmd->argv[k]);
        }
        if (ok) {
            add_table_row(cmd->table, all[i], cols, n);
        }
    }
    free(all);
    free(cols);
}

static void
cmd_set(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    const struct ovsdb_table_schema *ts = get_table(ctx, cmd->argv[1]);
    struct wrow *w =
        get_row(ctx, ts, cmd->argv[2], !cmd_has(cmd, "--if-exists"));

    if (!w) {
        return;
    }
    for (int i = 3; i < cmd->argc; i++) {
        set_column(ctx, w, cmd->argv[i]);
    }
}

/* "add" and "remove". */
static void
add_or_remove(struct ctl_ctx *ctx, struct ctl_command *cmd, bool remove)
{
    const struct ovsdb_table_schema *ts = get_table(ctx, cmd->argv[1]);
    struct wrow *w =
        get_row(ctx, ts, cmd->argv[2], !cmd_has(cmd, "--if-exists"));
    const struct ovsdb_column *c;
    struct ovsdb_datum d;

    if (!w) {
        return;
    }
    c = get_column(ts, cmd->argv[3]);
    check_mutable(w, c);
    ovsdb_datum_clone(&d, wrow_col(w, c->name), &c->type);
    for (int i = 4; i < cmd->argc; i++) {
        struct ovsdb_type t = c->type;
        struct ovsdb_datum arg;

        t.n_min = 0;
        t.n_max = OVSDB_UNLIMITED;
        if (remove && ovsdb_type_is_map(&c->type)) {
            char *error = ctl_datum_from_string(&arg, &t, cmd->argv[i],
                                                resolve_symbol, ctx);

            if (error) {
                /* Keys only. */
                struct ovsdb_type kt = t;

                free(error);
                kt.value.type = OVSDB_TYPE_VOID;
                parse_datum(ctx, &arg, &kt, cmd->argv[i]);
                ovsdb_datum_subtract(&d, &c->type, &arg, &kt);
                ovsdb_datum_destroy(&arg, &kt);
                continue;
            }
        } else {
            parse_datum(ctx, &arg, &t, cmd->argv[i]);
        }
        if (remove) {
            ovsdb_datum_subtract(&d, &c->type, &arg, &t);
        } else {
            ovsdb_datum_union(&d, &arg, &c->type);
        }
        ovsdb_datum_destroy(&arg, &t);
    }
    if (d.n > c->type.n_max) {
        ctl_fatal("\"add\" operation would put %u values in column %s of "
                  "table %s but the maximum number is %u",
                  d.n, c->name, ts->name, c->type.n_max);
    }
    if (d.n < c->type.n_min) {
        ctl_fatal("\"remove\" operation would put %u values in column %s of "
                  "table %s but the minimum number is %u",
                  d.n, c->name, ts->name, c->type.n_min);
    }
    wrow_write(w, c, &d);
}

static void
cmd_add(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    add_or_remove(ctx, cmd, false);
}

static void
cmd_remove(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    add_or_remove(ctx, cmd, true);
}

static void
cmd_clear(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    const struct ovsdb_table_schema *ts = get_table(ctx, cmd->argv[1]);
    struct wrow *w =
        get_row(ctx, ts, cmd->argv[2], !cmd_has(cmd, "--if-exists"));

    if (!w) {
        return;
    }
    for (int i = 3; i < cmd->argc; i++) {
        const struct ovsdb_column *c = get_column(ts, cmd->argv[i]);
        struct ovsdb_datum d;

        check_mutable(w, c);
        if (c->type.n_min > 0) {
            ctl_fatal("\"clear\" operation cannot be applied to column %s of "
                      "table %s, which is not allowed to be empty",
                      c->name, ts->name);
        }
        ovsdb_datum_init_empty(&d);
        wrow_write(w, c, &d);
    }
}

static void
cmd_create(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    const struct ovsdb_table_schema *ts = get_table(ctx, cmd->argv[1]);
    const char *id = cmd_option(cmd, "--id");
    struct ovsdb_uuid u;
    struct wrow *w;

    if (id && *id) {
        struct symbol *s;

        if (id[0] != '@') {
            ctl_fatal("row id \"%s\" does not begin with \"@\"", id);
        }
        s = symbol_find(ctx, id, true);
        if (s->created) {
            ctl_fatal("row id \"%s\" may only be specified on one --id "
                      "option",
                      id);
        }
        s->created = true;
        u = s->uuid;
    } else {
        if (!ts->is_root) {
            VLOG_WARN("applying \"create\" command to table %s without --id "
                      "option will have no effect",
                      ts->name);
        }
        ovsdb_uuid_generate(&u);
    }
    w = wrow_insert(ctx, ts, &u);
    for (int i = 2; i < cmd->argc; i++) {
        set_column(ctx, w, cmd->argv[i]);
    }
    cmd->created = u;
    cmd->has_created = true;
}

static void
cmd_destroy(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    const struct ovsdb_table_schema *ts = get_table(ctx, cmd->argv[1]);
    bool if_exists = cmd_has(cmd, "--if-exists");

    if (cmd_has(cmd, "--all")) {
        size_t n;
        struct wrow **all;

        if (cmd->argc > 2) {
            ctl_fatal("--all and records argument should not be specified "
                      "together");
        }
        all = wrow_all(ctx, ts, &n);
        for (size_t i = 0; i < n; i++) {
            all[i]->deleted = true;
        }
        free(all);
        return;
    }
    if (cmd->argc < 3) {
        ctl_fatal("either --all or records argument should be specified");
    }
    for (int i = 2; i < cmd->argc; i++) {
        struct wrow *w = get_row(ctx, ts, cmd->argv[i], !if_exists);

        if (w) {
            w->deleted = true;
        }
    }
}

static void
cmd_wait_until(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    const struct ovsdb_table_schema *ts = get_table(ctx, cmd->argv[1]);
    struct wrow *w = get_row(ctx, ts, cmd->argv[2], false);

    if (!w) {
        ctx->try_again = true;
        return;
    }
    for (int i = 3; i < cmd->argc; i++) {
        if (!row_matches(ctx, w, cmd->argv[i])) {
            ctx->try_again = true;
            return;
        }
    }
}

/* ---- The switch model: Open_vSwitch -> Bridge -> Port -> Interface ------ */

static struct wrow *
ovs_row(struct ctl_ctx *ctx, bool create)
{
    const struct ovsdb_table_schema *ts = table_of(ctx, "Open_vSwitch");
    size_t n;
    struct wrow **all = wrow_all(ctx, ts, &n);
    struct wrow *w = n ? all[0] : NULL;

    free(all);
    if (!w && create) {
        w = wrow_insert(ctx, ts, NULL);
    }
    if (!w) {
        ctl_fatal("database contains no Open_vSwitch record; run "
                  "\"init\" first");
    }
    return w;
}

/* Calls 'fn' for each uuid in column 'col' of 'w' that names a live row
 * of table 'ts'. */
static size_t
children(struct ctl_ctx *ctx, struct wrow *w, const char *col,
         const char *table, struct wrow ***out)
{
    const struct ovsdb_table_schema *ts = table_of(ctx, table);
    const struct ovsdb_datum *d = wrow_col(w, col);
    size_t n = 0;

    *out = xcalloc(d->n + 1, sizeof **out);
    for (unsigned int i = 0; i < d->n; i++) {
        struct wrow *c = wrow_get(ctx, ts, &d->keys[i].uuid);

        if (c) {
            (*out)[n++] = c;
        }
    }
    return n;
}

struct model {
    struct wrow *ovs; /* Open_vSwitch row. */
    struct wrow **br; /* Bridges. */
    size_t n_br;      /* Elements in 'br'. */
};

static void
model_load(struct ctl_ctx *ctx, struct model *m, bool create_ovs)
{
    m->ovs = ovs_row(ctx, create_ovs);
    wrow_verify(m->ovs, "bridges");
    m->n_br = children(ctx, m->ovs, "bridges", "Bridge", &m->br);
}

static void
model_free(struct model *m)
{
    free(m->br);
}

static struct wrow *
find_bridge(struct ctl_ctx *ctx, struct model *m, const char *name, bool must)
{
    (void) ctx;
    for (size_t i = 0; i < m->n_br; i++) {
        if (!strcmp(wrow_name(m->br[i]), name)) {
            return m->br[i];
        }
    }
    if (must) {
        ctl_fatal("no bridge named %s", name);
    }
    return NULL;
}

/* Finds port 'name' (or, with 'by_iface', the port with that interface);
 * stores its bridge. */
static struct wrow *
find_port(struct ctl_ctx *ctx, struct model *m, const char *name,
          bool by_iface, struct wrow **brp)
{
    for (size_t i = 0; i < m->n_br; i++) {
        struct wrow **ports;
        size_t np;

        wrow_verify(m->br[i], "ports");
        np = children(ctx, m->br[i], "ports", "Port", &ports);
        for (size_t k = 0; k < np; k++) {
            bool hit = !strcmp(wrow_name(ports[k]), name);

            if (!hit && by_iface) {
                struct wrow **ifs;
                size_t ni =
                    children(ctx, ports[k], "interfaces", "Interface", &ifs);

                for (size_t j = 0; j < ni && !hit; j++) {
                    hit = !strcmp(wrow_name(ifs[j]), name);
                }
                free(ifs);
            }
            if (hit) {
                struct wrow *p = ports[k];

                *brp = m->br[i];
                free(ports);
                return p;
            }
        }
        free(ports);
    }
    return NULL;
}

static struct wrow *
find_iface(struct ctl_ctx *ctx, struct model *m, const char *name,
           struct wrow **brp)
{
    for (size_t i = 0; i < m->n_br; i++) {
        struct wrow **ports;
        size_t np = children(ctx, m->br[i], "ports", "Port", &ports);

        for (size_t k = 0; k < np; k++) {
            struct wrow **ifs;
            size_t ni =
                children(ctx, ports[k], "interfaces", "Interface", &ifs);

            for (size_t j = 0; j < ni; j++) {
                if (!strcmp(wrow_name(ifs[j]), name)) {
                    struct wrow *f = ifs[j];

                    *brp = m->br[i];
                    free(ifs);
                    free(ports);
                    return f;
                }
            }
            free(ifs);
        }
        free(ports);
    }
    return NULL;
}

static void
cmd_init(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    (void) cmd;
    ovs_row(ctx, true);
}

static struct wrow *
new_iface(struct ctl_ctx *ctx, const char *name, const char *type)
{
    struct wrow *w = wrow_insert(ctx, table_of(ctx, "Interface"), NULL);

    wrow_set_string(w, "name", name);
    if (type) {
        wrow_set_string(w, "type", type);
    }
    return w;
}

static struct wrow *
new_port(struct ctl_ctx *ctx, const char *name, struct wrow **ifs, size_t n)
{
    struct wrow *w = wrow_insert(ctx, table_of(ctx, "Port"), NULL);

    wrow_set_string(w, "name", name);
    for (size_t i = 0; i < n; i++) {
        wrow_set_uuid(w, "interfaces", &ifs[i]->uuid, false);
    }
    return w;
}

static void
check_name_free(struct ctl_ctx *ctx, struct model *m, const char *what,
                const char *name)
{
    struct wrow *br, *p;

    if (find_bridge(ctx, m, name, false)) {
        ctl_fatal("cannot create a %s named %s because a bridge named %s "
                  "already exists",
                  what, name, name);
    }
    p = find_port(ctx, m, name, false, &br);
    if (p) {
        ctl_fatal("cannot create a %s named %s because a port named %s "
                  "already exists on bridge %s",
                  what, name, name, wrow_name(br));
    }
    if (find_iface(ctx, m, name, &br)) {
        ctl_fatal("cannot create a %s named %s because an interface named "
                  "%s already exists on bridge %s",
                  what, name, name, wrow_name(br));
    }
}

static void
cmd_add_br(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    const char *name = cmd->argv[1];
    struct wrow *iface, *port, *br;
    struct model m;

    if (cmd->argc != 2) {
        ctl_fatal("fake bridges (add-br BRIDGE PARENT VLAN) are not "
                  "supported");
    }
    model_load(ctx, &m, true);
    if (cmd_has(cmd, "--may-exist") && find_bridge(ctx, &m, name, false)) {
        model_free(&m);
        return;
    }
    check_name_free(ctx, &m, "bridge", name);
    iface = new_iface(ctx, name, "internal");
    port = new_port(ctx, name, &iface, 1);
    br = wrow_insert(ctx, table_of(ctx, "Bridge"), NULL);
    wrow_set_string(br, "name", name);
    wrow_set_uuid(br, "ports", &port->uuid, false);
    wrow_set_uuid(m.ovs, "bridges", &br->uuid, false);
    model_free(&m);
}

static void
cmd_del_br(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    struct model m;
    struct wrow *br;

    model_load(ctx, &m, false);
    br = find_bridge(ctx, &m, cmd->argv[1], !cmd_has(cmd, "--if-exists"));
    if (br) {
        wrow_set_uuid(m.ovs, "bridges", &br->uuid, true);
    }
    model_free(&m);
}

static int
cmp_names(const void *a, const void *b)
{
    return strcmp(wrow_name(*(struct wrow *const *) a),
                  wrow_name(*(struct wrow *const *) b));
}

static void
cmd_list_br(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    struct model m;

    model_load(ctx, &m, false);
    qsort(m.br, m.n_br, sizeof *m.br, cmp_names);
    for (size_t i = 0; i < m.n_br; i++) {
        ds_put_format(&cmd->output, "%s\n", wrow_name(m.br[i]));
    }
    model_free(&m);
}

static void
cmd_br_exists(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    struct model m;

    model_load(ctx, &m, false);
    if (!find_bridge(ctx, &m, cmd->argv[1], false)) {
        exit(2);
    }
    model_free(&m);
}

/* list-ports and list-ifaces. */
static void
list_ports_or_ifaces(struct ctl_ctx *ctx, struct ctl_command *cmd, bool ifaces)
{
    const char *brname = cmd->argv[1];
    struct wrow **ports, **names = NULL, *br;
    size_t np, n = 0;
    struct model m;

    model_load(ctx, &m, false);
    br = find_bridge(ctx, &m, brname, true);
    np = children(ctx, br, "ports", "Port", &ports);
    for (size_t i = 0; i < np; i++) {
        struct wrow **ifs;
        size_t ni;

        if (!ifaces) {
            if (strcmp(wrow_name(ports[i]), brname)) {
                names = xrealloc(names, (n + 1) * sizeof *names);
                names[n++] = ports[i];
            }
            continue;
        }
        ni = children(ctx, ports[i], "interfaces", "Interface", &ifs);
        for (size_t k = 0; k < ni; k++) {
            if (strcmp(wrow_name(ifs[k]), brname)) {
                names = xrealloc(names, (n + 1) * sizeof *names);
                names[n++] = ifs[k];
            }
        }
        free(ifs);
    }
    qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        ds_put_format(&cmd->output, "%s\n", wrow_name(names[i]));
    }
    free(names);
    free(ports);
    model_free(&m);
}

static void
cmd_list_ports(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    list_ports_or_ifaces(ctx, cmd, false);
}

static void
cmd_list_ifaces(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    list_ports_or_ifaces(ctx, cmd, true);
}

/* add-port BR PORT [COL=VAL...] and add-bond BR PORT IFACE... [COL=VAL]. */
static void
add_port(struct ctl_ctx *ctx, struct ctl_command *cmd, bool bond)
{
    const char *brname = cmd->argv[1], *pname = cmd->argv[2];
    struct wrow *br, *port, *obr, **ifs;
    int first_setting = 3, n_ifs = 0;
    struct model m;

    model_load(ctx, &m, false);
    br = find_bridge(ctx, &m, brname, true);
    if (bond) {
        while (first_setting < cmd->argc
               && !strchr(cmd->argv[first_setting], '=')) {
            first_setting++;
        }
        if (first_setting - 3 < 2 && !cmd_has(cmd, "--fake-iface")) {
            ctl_fatal("add-bond requires at least 2 interfaces, but only "
                      "%d were specified",
                      first_setting - 3);
        }
    }
    port = find_port(ctx, &m, pname, false, &obr);
    if (port && cmd_has(cmd, "--may-exist")) {
        if (obr != br) {
            ctl_fatal("\"--may-exist add-port %s %s\" specified but %s is "
                      "actually attached to bridge %s",
                      brname, pname, pname, wrow_name(obr));
        }
        model_free(&m);
        return;
    }
    check_name_free(ctx, &m, "port", pname);
    ifs = xcalloc(cmd->argc, sizeof *ifs);
    if (bond) {
        for (int i = 3; i < first_setting; i++) {
            check_name_free(ctx, &m, "interface", cmd->argv[i]);
            ifs[n_ifs++] = new_iface(ctx, cmd->argv[i], NULL);
        }
    } else {
        ifs[n_ifs++] = new_iface(ctx, pname, NULL);
    }
    port = new_port(ctx, pname, ifs, n_ifs);
    if (bond && cmd_has(cmd, "--fake-iface")) {
        struct ovsdb_datum d;
        union ovsdb_atom t = {.boolean = true};
        const struct ovsdb_column *c = column_of(port->ts, "bond_fake_iface");

        ovsdb_datum_init_empty(&d);
        ovsdb_datum_add_unsafe(&d, &t, NULL, &c->type);
        wrow_write(port, c, &d);
    }
    for (int i = first_setting; i < cmd->argc; i++) {
        set_column(ctx, port, cmd->argv[i]);
    }
    wrow_set_uuid(br, "ports", &port->uuid, false);
    free(ifs);
    model_free(&m);
}

static void
cmd_add_port(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    add_port(ctx, cmd, false);
}

static void
cmd_add_bond(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    add_port(ctx, cmd, true);
}

static void
cmd_del_port(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    const char *pname = cmd->argv[cmd->argc - 1];
    struct wrow *port, *br;
    struct model m;

    model_load(ctx, &m, false);
    port = find_port(ctx, &m, pname, cmd_has(cmd, "--with-iface"), &br);
    if (!port) {
        if (cmd->argc == 3) {
            find_bridge(ctx, &m, cmd->argv[1], true);
        }
        if (!cmd_has(cmd, "--if-exists")) {
            ctl_fatal("no port named %s", pname);
        }
        model_free(&m);
        return;
    }
    if (cmd->argc == 3) {
        struct wrow *want = find_bridge(ctx, &m, cmd->argv[1], true);

        if (want != br) {
            ctl_fatal("bridge %s does not have a port %s", cmd->argv[1],
                      pname);
        }
    }
    if (!strcmp(wrow_name(port), wrow_name(br))) {
        ctl_fatal("cannot delete port %s because it is the local port for "
                  "bridge %s (deleting this port requires deleting the "
                  "entire bridge)",
                  pname, wrow_name(br));
    }
    wrow_set_uuid(br, "ports", &port->uuid, true);
    model_free(&m);
}

static void
cmd_port_to_br(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    struct wrow *br;
    struct model m;

    model_load(ctx, &m, false);
    if (!find_port(ctx, &m, cmd->argv[1], false, &br)) {
        ctl_fatal("no port named %s", cmd->argv[1]);
    }
    ds_put_format(&cmd->output, "%s\n", wrow_name(br));
    model_free(&m);
}

static void
cmd_iface_to_br(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    struct wrow *br;
    struct model m;

    model_load(ctx, &m, false);
    if (!find_iface(ctx, &m, cmd->argv[1], &br)) {
        ctl_fatal("no interface named %s", cmd->argv[1]);
    }
    ds_put_format(&cmd->output, "%s\n", wrow_name(br));
    model_free(&m);
}

static void
cmd_br_to_vlan(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    struct model m;

    model_load(ctx, &m, false);
    find_bridge(ctx, &m, cmd->argv[1], true);
    ds_put_cstr(&cmd->output, "0\n");
    model_free(&m);
}

static void
cmd_br_to_parent(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    struct model m;

    model_load(ctx, &m, false);
    find_bridge(ctx, &m, cmd->argv[1], true);
    ds_put_format(&cmd->output, "%s\n", cmd->argv[1]);
    model_free(&m);
}

/* Sets or deletes key 'key' of map column 'col' of 'w'. */
static void
map_set(struct wrow *w, const char *col, const char *key, const char *value)
{
    const struct ovsdb_column *c = column_of(w->ts, col);
    union ovsdb_atom k = {.string = (char *) key};
    struct ovsdb_datum d;
    long idx;

    ovsdb_datum_clone(&d, wrow_col(w, col), &c->type);
    idx = ovsdb_datum_find_key(&d, &k, OVSDB_TYPE_STRING);
    if (idx >= 0) {
        ovsdb_datum_remove_at(&d, idx, &c->type);
    }
    if (value) {
        union ovsdb_atom v = {.string = (char *) value};
        struct ovsdb_datum one = {1, &k, &v};

        ovsdb_datum_union(&d, &one, &c->type);
    }
    wrow_write(w, c, &d);
}

static void
print_map(struct ds *out, const struct ovsdb_datum *d, const char *key)
{
    for (unsigned int i = 0; i < d->n; i++) {
        if (!key) {
            ds_put_format(out, "%s=%s\n", d->keys[i].string,
                          d->values[i].string);
        } else if (!strcmp(d->keys[i].string, key)) {
            ds_put_format(out, "%s\n", d->values[i].string);
        }
    }
}

static void
cmd_br_set_external_id(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    struct model m;
    struct wrow *br;

    model_load(ctx, &m, false);
    br = find_bridge(ctx, &m, cmd->argv[1], true);
    map_set(br, "external_ids", cmd->argv[2],
            cmd->argc > 3 ? cmd->argv[3] : NULL);
    model_free(&m);
}

static void
cmd_br_get_external_id(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    struct model m;
    struct wrow *br;

    model_load(ctx, &m, false);
    br = find_bridge(ctx, &m, cmd->argv[1], true);
    print_map(&cmd->output, wrow_col(br, "external_ids"),
              cmd->argc > 2 ? cmd->argv[2] : NULL);
    model_free(&m);
}

/* Replaces the targets in set column 'col' of 'owner' (rows of 'table',
 * naming column "target") with new rows for argv[first..]. */
static void
set_targets(struct ctl_ctx *ctx, struct wrow *owner, const char *col,
            const char *table, char **argv, int argc)
{
    const struct ovsdb_column *c = column_of(owner->ts, col);
    struct ovsdb_datum d;

    ovsdb_datum_init_empty(&d);
    wrow_write(owner, c, &d);
    for (int i = 0; i < argc; i++) {
        struct wrow *t = wrow_insert(ctx, table_of(ctx, table), NULL);

        wrow_set_string(t, "target", argv[i]);
        wrow_set_uuid(owner, col, &t->uuid, false);
    }
}

static void
print_targets(struct ctl_ctx *ctx, struct ctl_command *cmd, struct wrow *owner,
              const char *col, const char *table)
{
    struct wrow **rows;
    size_t n = children(ctx, owner, col, table, &rows);
    char **names = xcalloc(n + 1, sizeof *names);

    for (size_t i = 0; i < n; i++) {
        const struct ovsdb_datum *d = wrow_col(rows[i], "target");

        names[i] = d->n ? d->keys[0].string : "";
    }
    qsort(names, n, sizeof *names, cmp_strp);
    for (size_t i = 0; i < n; i++) {
        ds_put_format(&cmd->output, "%s\n", names[i]);
    }
    free(names);
    free(rows);
}

static void
cmd_set_controller(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    struct model m;
    struct wrow *br;

    model_load(ctx, &m, false);
    br = find_bridge(ctx, &m, cmd->argv[1], true);
    set_targets(ctx, br, "controller", "Controller", cmd->argv + 2,
                cmd->argc - 2);
    model_free(&m);
}

static void
cmd_get_controller(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    struct model m;
    struct wrow *br;

    model_load(ctx, &m, false);
    br = find_bridge(ctx, &m, cmd->argv[1], true);
    print_targets(ctx, cmd, br, "controller", "Controller");
    model_free(&m);
}

static void
cmd_del_controller(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    struct model m;
    struct wrow *br;

    model_load(ctx, &m, false);
    br = find_bridge(ctx, &m, cmd->argv[1], true);
    set_targets(ctx, br, "controller", "Controller", NULL, 0);
    model_free(&m);
}

static void
cmd_set_fail_mode(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    const char *mode = cmd->argv[2];
    struct model m;
    struct wrow *br;

    model_load(ctx, &m, false);
    br = find_bridge(ctx, &m, cmd->argv[1], true);
    if (strcmp(mode, "standalone") && strcmp(mode, "secure")) {
        ctl_fatal("fail-mode must be \"standalone\" or \"secure\"");
    }
    wrow_set_string(br, "fail_mode", mode);
    model_free(&m);
}

static void
cmd_get_fail_mode(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    const struct ovsdb_datum *d;
    struct model m;
    struct wrow *br;

    model_load(ctx, &m, false);
    br = find_bridge(ctx, &m, cmd->argv[1], true);
    d = wrow_col(br, "fail_mode");
    if (d->n) {
        ds_put_format(&cmd->output, "%s\n", d->keys[0].string);
    }
    model_free(&m);
}

static void
cmd_del_fail_mode(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    struct model m;
    struct wrow *br;

    model_load(ctx, &m, false);
    br = find_bridge(ctx, &m, cmd->argv[1], true);
    wrow_set_string(br, "fail_mode", NULL);
    model_free(&m);
}

static void
cmd_set_manager(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    set_targets(ctx, ovs_row(ctx, false), "manager_options", "Manager",
                cmd->argv + 1, cmd->argc - 1);
}

static void
cmd_get_manager(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    print_targets(ctx, cmd, ovs_row(ctx, false), "manager_options", "Manager");
}

static void
cmd_del_manager(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    set_targets(ctx, ovs_row(ctx, false), "manager_options", "Manager", NULL,
                0);
}

static void
cmd_emer_reset(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    static const char *const ovs_cols[] = {"manager_options", "ssl",
                                           "external_ids", NULL};
    static const char *const br_cols[] = {
        "controller", "fail_mode",   "mirrors",      "netflow", "sflow",
        "ipfix",      "flood_vlans", "other_config", NULL};
    struct model m;

    (void) cmd;
    model_load(ctx, &m, false);
    for (size_t i = 0; ovs_cols[i]; i++) {
        const struct ovsdb_column *c =
            ovsdb_table_schema_find_column(m.ovs->ts, ovs_cols[i]);
        struct ovsdb_datum d;

        if (c) {
            ovsdb_datum_init_empty(&d);
            wrow_write(m.ovs, c, &d);
        }
    }
    for (size_t b = 0; b < m.n_br; b++) {
        struct wrow **ports;
        size_t np;

        for (size_t i = 0; br_cols[i]; i++) {
            const struct ovsdb_column *c =
                ovsdb_table_schema_find_column(m.br[b]->ts, br_cols[i]);
            struct ovsdb_datum d;

            if (c) {
                ovsdb_datum_init_empty(&d);
                wrow_write(m.br[b], c, &d);
            }
        }
        np = children(ctx, m.br[b], "ports", "Port", &ports);
        for (size_t p = 0; p < np; p++) {
            const struct ovsdb_column *c =
                column_of(ports[p]->ts, "other_config");
            struct ovsdb_datum d;

            ovsdb_datum_init_empty(&d);
            wrow_write(ports[p], c, &d);
        }
        free(ports);
    }
    model_free(&m);
}

static void
show_value(struct ds *out, int indent, const char *label, const struct wrow *w,
           const char *col)
{
    const struct ovsdb_column *c = ovsdb_table_schema_find_column(w->ts, col);
    const struct ovsdb_datum *d;

    if (!c) {
        return;
    }
    d = wrow_col(w, col);
    if (ovsdb_datum_is_default(d, &c->type)) {
        return;
    }
    ds_put_char_multiple(out, ' ', indent);
    ds_put_format(out, "%s: ", label);
    ctl_datum_to_string(d, &c->type, out);
    ds_put_char(out, '\n');
}

static void
show_name(struct ds *out, int indent, const char *kind, const char *name)
{
    union ovsdb_atom a = {.string = (char *) name};

    ds_put_char_multiple(out, ' ', indent);
    ds_put_format(out, "%s ", kind);
    ctl_atom_to_string(&a, OVSDB_TYPE_STRING, out);
    ds_put_char(out, '\n');
}

static void
show_targets(struct ctl_ctx *ctx, struct ds *out, int indent,
             struct wrow *owner, const char *col, const char *table,
             const char *kind)
{
    struct wrow **rows;
    size_t n = children(ctx, owner, col, table, &rows);

    for (size_t i = 0; i < n; i++) {
        const struct ovsdb_datum *t = wrow_col(rows[i], "target");

        ds_put_char_multiple(out, ' ', indent);
        ds_put_format(out, "%s \"%s\"\n", kind, t->n ? t->keys[0].string : "");
        show_value(out, indent + 4, "is_connected", rows[i], "is_connected");
    }
    free(rows);
}

static void
cmd_show(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    struct ds *out = &cmd->output;
    char u[37];
    struct model m;

    model_load(ctx, &m, false);
    ovsdb_uuid_to_string(&m.ovs->uuid, u);
    ds_put_format(out, "%s\n", u);
    show_targets(ctx, out, 4, m.ovs, "manager_options", "Manager", "Manager");
    for (size_t b = 0; b < m.n_br; b++) {
        struct wrow **ports;
        size_t np;

        show_name(out, 4, "Bridge", wrow_name(m.br[b]));
        show_targets(ctx, out, 8, m.br[b], "controller", "Controller",
                     "Controller");
        show_value(out, 8, "fail_mode", m.br[b], "fail_mode");
        show_value(out, 8, "datapath_type", m.br[b], "datapath_type");
        np = children(ctx, m.br[b], "ports", "Port", &ports);
        for (size_t p = 0; p < np; p++) {
            struct wrow **ifs;
            size_t ni;

            show_name(out, 8, "Port", wrow_name(ports[p]));
            show_value(out, 12, "tag", ports[p], "tag");
            show_value(out, 12, "trunks", ports[p], "trunks");
            show_value(out, 12, "vlan_mode", ports[p], "vlan_mode");
            ni = children(ctx, ports[p], "interfaces", "Interface", &ifs);
            for (size_t i = 0; i < ni; i++) {
                show_name(out, 12, "Interface", wrow_name(ifs[i]));
                show_value(out, 16, "type", ifs[i], "type");
                show_value(out, 16, "options", ifs[i], "options");
                show_value(out, 16, "error", ifs[i], "error");
            }
            free(ifs);
        }
        free(ports);
    }
    show_value(out, 4, "ovs_version", m.ovs, "ovs_version");
    model_free(&m);
}

/* ---- Command table and driver ------------------------------------------- */

#define ANY 1000000

static const struct ctl_command_syntax cmds[] = {
    {"init", 0, 0, "", cmd_init, false},
    {"show", 0, 0, "", cmd_show, true},
    {"emer-reset", 0, 0, "", cmd_emer_reset, false},
    {"add-br", 1, 3, "--may-exist", cmd_add_br, false},
    {"del-br", 1, 1, "--if-exists", cmd_del_br, false},
    {"list-br", 0, 0, "--real,--fake", cmd_list_br, true},
    {"br-exists", 1, 1, "", cmd_br_exists, true},
    {"br-to-vlan", 1, 1, "", cmd_br_to_vlan, true},
    {"br-to-parent", 1, 1, "", cmd_br_to_parent, true},
    {"br-set-external-id", 2, 3, "", cmd_br_set_external_id, false},
    {"br-get-external-id", 1, 2, "", cmd_br_get_external_id, true},
    {"list-ports", 1, 1, "", cmd_list_ports, true},
    {"add-port", 2, ANY, "--may-exist", cmd_add_port, false},
    {"add-bond", 4, ANY, "--may-exist,--fake-iface,--lacp", cmd_add_bond,
     false},
    {"del-port", 1, 2, "--if-exists,--with-iface", cmd_del_port, false},
    {"port-to-br", 1, 1, "", cmd_port_to_br, true},
    {"list-ifaces", 1, 1, "", cmd_list_ifaces, true},
    {"iface-to-br", 1, 1, "", cmd_iface_to_br, true},
    {"get-controller", 1, 1, "", cmd_get_controller, true},
    {"del-controller", 1, 1, "", cmd_del_controller, false},
    {"set-controller", 1, ANY, "", cmd_set_controller, false},
    {"get-fail-mode", 1, 1, "", cmd_get_fail_mode, true},
    {"del-fail-mode", 1, 1, "", cmd_del_fail_mode, false},
    {"set-fail-mode", 2, 2, "", cmd_set_fail_mode, false},
    {"get-manager", 0, 0, "", cmd_get_manager, true},
    {"del-manager", 0, 0, "", cmd_del_manager, false},
    {"set-manager", 1, ANY, "", cmd_set_manager, false},
    {"get", 2, ANY, "--if-exists,--id=", cmd_get, true},
    {"list", 1, ANY, "--if-exists,--columns=", cmd_list, true},
    {"find", 1, ANY, "--columns=", cmd_find, true},
    {"set", 3, ANY, "--if-exists", cmd_set, false},
    {"add", 4, ANY, "--if-exists", cmd_add, false},
    {"remove", 4, ANY, "--if-exists", cmd_remove, false},
    {"clear", 3, ANY, "--if-exists", cmd_clear, false},
    {"create", 2, ANY, "--id=", cmd_create, false},
    {"destroy", 1, ANY, "--if-exists,--all", cmd_destroy, false},
    {"wait-until", 2, ANY, "", cmd_wait_until, true},
};

static const struct ctl_command_syntax *
find_syntax(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
        if (!strcmp(cmds[i].name, name)) {
            return &cmds[i];
        }
    }
    return NULL;
}

/* Whether option 'opt' (e.g. "--id=@x" or "--may-exist") is allowed by
 * 'allowed'; stores its name and value. */
static bool
option_allowed(const char *allowed, const char *opt, char **namep,
               char **valuep)
{
    const char *eq = strchr(opt, '=');
    size_t n = eq ? (size_t) (eq - opt) : strlen(opt);
    const char *p = allowed;

    while (*p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t) (comma - p) : strlen(p);
        bool takes_arg = len && p[len - 1] == '=';
        size_t nlen = takes_arg ? len - 1 : len;

        if (nlen == n && !strncmp(p, opt, n)) {
            if (eq && !takes_arg) {
                ctl_fatal("'%.*s' option does not accept an argument", (int) n,
                          opt);
            }
            if (!eq && takes_arg) {
                ctl_fatal("'%s' option requires an argument", opt);
            }
            *namep = xmalloc(n + 1);
            memcpy(*namep, opt, n);
            (*namep)[n] = '\0';
            *valuep = eq ? xstrdup(eq + 1) : NULL;
            return true;
        }
        p += len + (comma != NULL);
    }
    return false;
}

static bool
is_command_option(const char *opt)
{
    static const char *const all[] = {
        "--may-exist",  "--if-exists", "--id",   "--all",  "--with-iface",
        "--fake-iface", "--real",      "--fake", "--lacp", NULL};
    size_t n = strcspn(opt, "=");

    for (size_t i = 0; all[i]; i++) {
        if (strlen(all[i]) == n && !strncmp(all[i], opt, n)) {
            return true;
        }
    }
    return false;
}

/* Parses "[--opt...] name args..." from argv[0..argc). */
static void
parse_command(char **argv, int argc, char **pending, size_t n_pending,
              struct ctl_command *cmd)
{
    int i = 0;

    memset(cmd, 0, sizeof *cmd);
    ds_init(&cmd->output);
    cmd->opt_names = xcalloc(argc + n_pending + 1, sizeof *cmd->opt_names);
    cmd->opt_values = xcalloc(argc + n_pending + 1, sizeof *cmd->opt_values);
    while (i < argc && !strncmp(argv[i], "--", 2)) {
        i++;
    }
    if (i >= argc) {
        ctl_fatal("missing command name (use --help for help)");
    }
    cmd->syntax = find_syntax(argv[i]);
    if (!cmd->syntax) {
        ctl_fatal("unknown command '%s'; use --help for help", argv[i]);
    }
    for (size_t k = 0; k < n_pending + (size_t) i; k++) {
        const char *opt = k < n_pending ? pending[k] : argv[k - n_pending];
        char *name, *value;

        if (!option_allowed(cmd->syntax->options, opt, &name, &value)) {
            ctl_fatal("'%s' command has no '%.*s' option", argv[i],
                      (int) strcspn(opt, "="), opt);
        }
        for (size_t j = 0; j < cmd->n_opts; j++) {
            if (!strcmp(cmd->opt_names[j], name)) {
                ctl_fatal("'%s' option specified multiple times", name);
            }
        }
        cmd->opt_names[cmd->n_opts] = name;
        cmd->opt_values[cmd->n_opts++] = value;
    }
    cmd->argv = argv + i;
    cmd->argc = argc - i;
    if (cmd->argc - 1 < cmd->syntax->min_args) {
        ctl_fatal("'%s' command requires at least %d arguments",
                  cmd->syntax->name, cmd->syntax->min_args);
    }
    if (cmd->argc - 1 > cmd->syntax->max_args) {
        ctl_fatal("'%s' command takes at most %d arguments", cmd->syntax->name,
                  cmd->syntax->max_args);
    }
}

static void
usage(void)
{
    printf("%s: configures the switch database (ovs-vsctl syntax)\n"
           "usage: %s [OPTIONS] COMMAND [ARG...] [-- [OPTIONS] COMMAND "
           "...]\n\n"
           "Bridge commands: init show emer-reset add-br del-br list-br "
           "br-exists\n"
           "  br-set-external-id br-get-external-id br-to-vlan "
           "br-to-parent\n"
           "Port commands: list-ports add-port add-bond del-port "
           "port-to-br\n"
           "Interface commands: list-ifaces iface-to-br\n"
           "Controller, fail mode, manager: set-/get-/del-controller, "
           "-fail-mode, -manager\n"
           "Database commands: list find get set add remove clear create "
           "destroy wait-until\n\n"
           "Options: --db=DATABASE --timeout=SECS --no-wait --dry-run "
           "--oneline\n"
           "  --format=table|list|csv|html|json --data=string|bare|json "
           "--no-headings\n"
           "  --columns=COL,... --bare --pretty -v --help --version\n",
           program_name, program_name);
    exit(0);
}

/* Global long options, matched by unique prefix like getopt_long. */
static const char *const global_opts[] = {
    "--db=",      "--timeout=", "--no-wait", "--dry-run",
    "--oneline",  "--format=",  "--data=",   "--no-headings",
    "--columns=", "--pretty",   "--bare",    "--verbose",
    "--help",     "--version",  "--retry",   "--no-syslog",
    "--log-file", NULL};

static const char *
match_global(const char *arg, const char **valuep)
{
    size_t n = strcspn(arg, "=");
    const char *hit = NULL;
    int hits = 0;

    for (size_t i = 0; global_opts[i]; i++) {
        size_t len = strcspn(global_opts[i], "=");

        if (n <= len && !strncmp(global_opts[i], arg, n) && n > 2) {
            if (n == len) {
                hit = global_opts[i];
                hits = 1;
                break;
            }
            hit = global_opts[i];
            hits++;
        }
    }
    if (hits != 1) {
        return NULL;
    }
    *valuep = arg[n] == '=' ? arg + n + 1 : NULL;
    return hit;
}

static void
set_global(const char *opt, const char *value)
{
    if (!strcmp(opt, "--db=")) {
        opt_db = value;
    } else if (!strcmp(opt, "--timeout=")) {
        char *end;
        long t = strtol(value, &end, 10);

        if (*end || t < 0) {
            ctl_fatal("value %s on -t or --timeout is invalid", value);
        }
        opt_timeout = t;
    } else if (!strcmp(opt, "--no-wait")) {
        opt_no_wait = true;
    } else if (!strcmp(opt, "--dry-run")) {
        opt_dry_run = true;
    } else if (!strcmp(opt, "--oneline")) {
        opt_oneline = true;
    } else if (!strcmp(opt, "--format=")) {
        static const char *const names[] = {"table", "list", "csv", "html",
                                            "json"};
        size_t i;

        for (i = 0; i < ARRAY_SIZE(names); i++) {
            if (!strcasecmp(value, names[i])) {
                break;
            }
        }
        if (i == ARRAY_SIZE(names)) {
            ctl_fatal("unknown output format \"%s\"", value);
        }
        opt_style.format = (enum ctl_format) i;
        opt_style_explicit_format = true;
    } else if (!strcmp(opt, "--data=")) {
        if (!strcasecmp(value, "string")) {
            opt_style.data = CTL_DATA_STRING;
        } else if (!strcasecmp(value, "bare")) {
            opt_style.data = CTL_DATA_BARE;
        } else if (!strcasecmp(value, "json")) {
            opt_style.data = CTL_DATA_JSON;
        } else {
            ctl_fatal("unknown cell format \"%s\"", value);
        }
    } else if (!strcmp(opt, "--no-headings")) {
        opt_style.headings = false;
    } else if (!strcmp(opt, "--columns=")) {
        opt_columns = (char *) value;
    } else if (!strcmp(opt, "--pretty")) {
        opt_style.pretty = true;
    } else if (!strcmp(opt, "--bare")) {
        opt_style.format = CTL_FORMAT_LIST;
        opt_style.data = CTL_DATA_BARE;
        opt_style.headings = false;
        opt_style_explicit_format = true;
    } else if (!strcmp(opt, "--verbose")) {
        verbose = true;
        free(vlog_set_levels_from_string("dbg"));
    } else if (!strcmp(opt, "--help")) {
        usage();
    } else if (!strcmp(opt, "--version")) {
        printf("%s (vswitch) 1.0\n", program_name);
        exit(0);
    }
}

static void
ctx_init(struct ctl_ctx *ctx, struct ovsdb_idl *idl)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->idl = idl;
    ctx->schema = ovsdb_idl_get_schema(idl);
    hmap_init(&ctx->rows);
}

static void
ctx_destroy(struct ctl_ctx *ctx)
{
    struct wrow *w;

    HMAP_FOR_EACH_POP (w, node, &ctx->rows) {
        wrow_destroy(w);
    }
    hmap_destroy(&ctx->rows);
    for (size_t i = 0; i < ctx->n_symbols; i++) {
        free(ctx->symbols[i].name);
    }
    free(ctx->symbols);
}

/* Turns the working copy into 'txn'. */
static void
build_txn(struct ctl_ctx *ctx, struct ovsdb_idl_txn *txn)
{
    struct wrow *w;

    HMAP_FOR_EACH (w, node, &ctx->rows) {
        if (!w->orig && !w->deleted) {
            ovsdb_idl_txn_insert(txn, w->ts->name, &w->uuid);
        }
    }
    HMAP_FOR_EACH (w, node, &ctx->rows) {
        const struct ovsdb_table_schema *ts = w->ts;

        if (w->deleted) {
            if (w->orig) {
                ovsdb_idl_txn_verify(txn, w->orig, "_uuid");
                ovsdb_idl_txn_delete(txn, ts->name, &w->uuid);
            }
            continue;
        }
        for (unsigned int i = OVSDB_N_HIDDEN; i < ts->n_columns; i++) {
            const struct ovsdb_column *c = ts->columns[i];

            if (!w->orig) {
                if (!ovsdb_datum_is_default(&w->data[i], &c->type)) {
                    ovsdb_idl_txn_write(txn, ts->name, &w->uuid, c->name,
                                        &w->data[i], &c->type);
                }
                continue;
            }
            if (w->dirty[i]) {
                const struct ovsdb_datum *old =
                    ovsdb_idl_row_get(w->orig, c->name, NULL);

                if (!old || !ovsdb_datum_equals(old, &w->data[i], &c->type)) {
                    ovsdb_idl_txn_verify(txn, w->orig, c->name);
                    ovsdb_idl_txn_write(txn, ts->name, &w->uuid, c->name,
                                        &w->data[i], &c->type);
                }
            }
        }
    }
    /* Verifications count only if something is written. */
    if (!ovsdb_idl_txn_is_empty(txn)) {
        HMAP_FOR_EACH (w, node, &ctx->rows) {
            for (unsigned int i = OVSDB_N_HIDDEN;
                 w->orig && !w->deleted && i < w->ts->n_columns; i++) {
                if (w->verify[i]) {
                    ovsdb_idl_txn_verify(txn, w->orig,
                                         w->ts->columns[i]->name);
                }
            }
        }
    }
}

static void
wait_for_sync(struct ovsdb_idl *idl)
{
    ovsdb_idl_run(idl);
    while (!ovsdb_idl_is_synced(idl)) {
        ovsdb_idl_run_block(idl, 1000);
    }
}

/* Prints each command's output (with 'created' uuids made real). */
static void
print_output(struct ctl_command *cmds_, size_t n, struct ovsdb_idl_txn *txn)
{
    for (size_t i = 0; i < n; i++) {
        struct ctl_command *c = &cmds_[i];
        struct ds out;

        ds_init(&out);
        if (c->has_created) {
            struct ovsdb_uuid real = c->created;
            char s[37];

            if (txn) {
                ovsdb_idl_txn_get_insert_uuid(txn, &c->created, &real);
            }
            ovsdb_uuid_to_string(&real, s);
            ds_put_format(&out, "%s\n", s);
        }
        if (c->table) {
            struct ctl_table_style st = opt_style;

            /* "list" and "find" default to the list layout. */
            if (!opt_style_explicit_format) {
                st.format = CTL_FORMAT_LIST;
            }
            ctl_table_format(c->table, &st, &out);
        }
        ds_put_cstr(&out, ds_cstr(&c->output));
        if (opt_oneline) {
            const char *s = ds_cstr(&out);
            size_t len = strlen(s);

            if (len && s[len - 1] == '\n') {
                len--;
            }
            for (size_t k = 0; k < len; k++) {
                if (s[k] == '\n') {
                    fputs("\\n", stdout);
                } else if (s[k] == '\\') {
                    fputs("\\\\", stdout);
                } else {
                    putchar(s[k]);
                }
            }
            putchar('\n');
        } else {
            fputs(ds_cstr(&out), stdout);
        }
        ds_destroy(&out);
    }
    fflush(stdout);
}

static const struct ovsdb_idl_row *
first_ovs(struct ovsdb_idl *idl)
{
    return ovsdb_idl_first_row(idl, "Open_vSwitch");
}

static int64_t
cur_cfg(struct ovsdb_idl *idl)
{
    const struct ovsdb_idl_row *r = first_ovs(idl);
    const struct ovsdb_datum *d =
        r ? ovsdb_idl_row_get(r, "cur_cfg", NULL) : NULL;

    return d && d->n ? d->keys[0].integer : 0;
}

/* After the wait: complain about interfaces this transaction added that
 * vswitchd could not set up. */
static void
check_new_ifaces(struct ovsdb_idl *idl, struct ctl_ctx *ctx,
                 struct ovsdb_idl_txn *txn)
{
    bool any = false;
    struct wrow *w;

    HMAP_FOR_EACH (w, node, &ctx->rows) {
        const struct ovsdb_idl_row *r;
        const struct ovsdb_datum *ofport, *error, *name;
        struct ovsdb_uuid real;

        if (w->orig || w->deleted || strcmp(w->ts->name, "Interface")
            || !ovsdb_idl_txn_get_insert_uuid(txn, &w->uuid, &real)) {
            continue;
        }
        r = ovsdb_idl_get_row(idl, "Interface", &real);
        if (!r) {
            continue;
        }
        ofport = ovsdb_idl_row_get(r, "ofport", NULL);
        error = ovsdb_idl_row_get(r, "error", NULL);
        name = ovsdb_idl_row_get(r, "name", NULL);
        if (ofport && ofport->n && ofport->keys[0].integer != -1) {
            continue;
        }
        if (error && error->n) {
            fprintf(stderr,
                    "Error detected while setting up '%s': %s.  See "
                    "ovs-vswitchd log for details.\n",
                    name && name->n ? name->keys[0].string : "",
                    error->keys[0].string);
        } else {
            fprintf(stderr,
                    "Error detected while setting up '%s'.  See "
                    "ovs-vswitchd log for details.\n",
                    name && name->n ? name->keys[0].string : "");
        }
        any = true;
    }
    if (any) {
        fprintf(stderr, "The default log directory is \"%s\".\n",
                "/var/log/openvswitch");
    }
}

int
main(int argc, char *argv[])
{
    struct ctl_command *commands = NULL;
    size_t n_commands = 0;
    char **pending = NULL;
    size_t n_pending = 0;
    struct ovsdb_idl *idl;
    bool read_only = true;
    int i = 1;

    {
        const char *slash = strrchr(argv[0], '/');

        program_name = slash ? slash + 1 : argv[0];
    }
    /* Global options, then commands.  Command options seen among the
     * global ones apply to the first command. */
    for (; i < argc; i++) {
        const char *a = argv[i], *value, *opt;

        if (!strcmp(a, "--")) {
            break;
        }
        if (!strcmp(a, "-v")) {
            set_global("--verbose", NULL);
            continue;
        }
        if (!strcmp(a, "-h")) {
            usage();
        }
        if (!strncmp(a, "-t", 2) || !strncmp(a, "-f", 2)
            || !strncmp(a, "-d", 2)) {
            const char *full = a[1] == 't'   ? "--timeout="
                               : a[1] == 'f' ? "--format="
                                             : "--data=";

            value = a[2] ? a + 2 : (i + 1 < argc ? argv[++i] : NULL);
            if (!value) {
                ctl_fatal("option '%s' requires an argument", a);
            }
            set_global(full, value);
            continue;
        }
        if (strncmp(a, "--", 2)) {
            break; /* A command. */
        }
        if (is_command_option(a)) {
            pending = xrealloc(pending, (n_pending + 1) * sizeof *pending);
            pending[n_pending++] = argv[i];
            continue;
        }
        opt = match_global(a, &value);
        if (!opt) {
            ctl_fatal("unrecognized option '%s'", a);
        }
        if (opt[strlen(opt) - 1] == '=' && !value) {
            if (i + 1 >= argc) {
                ctl_fatal("option '%s' requires an argument", a);
            }
            value = argv[++i];
        }
        set_global(opt, value);
    }
    if (i >= argc) {
        ctl_fatal("missing command name (use --help for help)");
    }
    if (!verbose) {
        free(vlog_set_levels_from_string("warn"));
    }
    /* Split the rest at "--". */
    while (i < argc) {
        int start, end;

        if (!strcmp(argv[i], "--")) {
            i++;
            continue;
        }
        start = i;
        for (end = start; end < argc && strcmp(argv[end], "--"); end++) {
            continue;
        }
        commands = xrealloc(commands, (n_commands + 1) * sizeof *commands);
        parse_command(argv + start, end - start, pending, n_pending,
                      &commands[n_commands]);
        n_pending = 0;
        read_only &= commands[n_commands].syntax->read_only;
        n_commands++;
        i = end;
    }
    if (!n_commands) {
        ctl_fatal("missing command name (use --help for help)");
    }
    if (n_pending) {
        ctl_fatal("options without a command");
    }
    if (opt_timeout) {
        alarm(opt_timeout);
    }
    if (!opt_db) {
        const char *rundir = getenv("OVS_RUNDIR");

        opt_db = rundir ? xasprintf("unix:%s/db.sock", rundir) : DEFAULT_DB;
    }
    idl = ovsdb_idl_create(opt_db, "Open_vSwitch");
    if (!idl) {
        ctl_fatal("%s: invalid database name", opt_db);
    }
    ovsdb_idl_monitor_all(idl);

    for (;;) {
        struct ovsdb_idl_txn *txn;
        enum ovsdb_idl_txn_status status;
        struct ctl_ctx ctx;
        int64_t next_cfg = -1;
        unsigned int seqno;

        wait_for_sync(idl);
        seqno = ovsdb_idl_get_seqno(idl);
        ctx_init(&ctx, idl);
        for (size_t k = 0; k < n_commands; k++) {
            ds_clear(&commands[k].output);
            if (commands[k].table) {
                ctl_table_destroy(commands[k].table);
                free(commands[k].table);
                commands[k].table = NULL;
            }
            commands[k].has_created = false;
            commands[k].syntax->run(&ctx, &commands[k]);
        }
        for (size_t k = 0; k < ctx.n_symbols; k++) {
            const struct symbol *s = &ctx.symbols[k];

            if (!s->created) {
                ctl_fatal("row id \"%s\" is referenced but never created "
                          "(e.g. with \"-- --id=%s create ...\")",
                          s->name, s->name);
            }
        }
        if (ctx.try_again) {
            ctx_destroy(&ctx);
            while (ovsdb_idl_get_seqno(idl) == seqno) {
                ovsdb_idl_run_block(idl, 1000);
            }
            continue;
        }
        txn = ovsdb_idl_txn_create(idl);
        build_txn(&ctx, txn);
        if (!ovsdb_idl_txn_is_empty(txn)) {
            struct ds comment;

            ds_init(&comment);
            ds_put_format(&comment, "%s:", program_name);
            for (int k = 1; k < argc; k++) {
                ds_put_format(&comment, " %s", argv[k]);
            }
            ovsdb_idl_txn_add_comment(txn, ds_cstr(&comment));
            ds_destroy(&comment);
            if (!opt_no_wait && !opt_dry_run) {
                const struct ovsdb_idl_row *ovs = first_ovs(idl);

                if (ovs) {
                    ovsdb_idl_txn_increment(txn, ovs, "next_cfg");
                }
            }
        }
        if (opt_dry_run) {
            status = ovsdb_idl_txn_is_empty(txn) ? OVSDB_IDL_TXN_UNCHANGED
                                                 : OVSDB_IDL_TXN_SUCCESS;
        } else {
            status = ovsdb_idl_txn_commit_block(txn, -1);
        }
        switch (status) {
        case OVSDB_IDL_TXN_UNCHANGED:
        case OVSDB_IDL_TXN_SUCCESS:
            break;
        case OVSDB_IDL_TXN_TRY_AGAIN:
            VLOG_DBG("verification failed; retrying");
            ovsdb_idl_txn_destroy(txn);
            ctx_destroy(&ctx);
            while (ovsdb_idl_get_seqno(idl) == seqno
                   && ovsdb_idl_is_connected(idl)) {
                ovsdb_idl_run_block(idl, 100);
            }
            continue;
        case OVSDB_IDL_TXN_NOT_LOCKED:
            ctl_fatal("transaction failed: lock not held");
        case OVSDB_IDL_TXN_ERROR:
        case OVSDB_IDL_TXN_UNCOMMITTED:
        default:
            ctl_fatal("%s", ovsdb_idl_txn_get_error(txn)
                                ? ovsdb_idl_txn_get_error(txn)
                                : "transaction failed");
        }
        print_output(commands, n_commands,
                     status == OVSDB_IDL_TXN_SUCCESS ? txn : NULL);
        if (status == OVSDB_IDL_TXN_SUCCESS && !opt_dry_run) {
            next_cfg = ovsdb_idl_txn_get_increment_new_value(txn);
        }
        if (next_cfg >= 0) {
            while (cur_cfg(idl) < next_cfg) {
                ovsdb_idl_run_block(idl, 1000);
            }
            check_new_ifaces(idl, &ctx, txn);
        }
        ovsdb_idl_txn_destroy(txn);
        ctx_destroy(&ctx);
        break;
    }
    (void) read_only;
    for (size_t k = 0; k < n_commands; k++) {
        ds_destroy(&commands[k].output);
        if (commands[k].table) {
            ctl_table_destroy(commands[k].table);
            free(commands[k].table);
        }
        for (size_t j = 0; j < commands[k].n_opts; j++) {
            free(commands[k].opt_names[j]);
            free(commands[k].opt_values[j]);
        }
        free(commands[k].opt_names);
        free(commands[k].opt_values);
    }
    free(commands);
    free(pending);
    ovsdb_idl_destroy(idl);
    return 0;
}
