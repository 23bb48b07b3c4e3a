/* SPDX-License-Identifier: Apache-2.0 */
/* vswitch-ctl: the database commands (get, list, find, set, add, remove,
 * clear, create, destroy, wait-until). */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ctl.h"
#include "vswitch/vlog.h"

VLOG_DEFINE_THIS_MODULE(ctl_db);

static void
print_datum(struct ds *out, const struct ovsdb_datum *d,
            const struct ovsdb_type *t)
{
    ctl_datum_to_string(d, t, out);
    ds_put_char(out, '\n');
}

void
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

void
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

void
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

void
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

void
cmd_add(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    add_or_remove(ctx, cmd, false);
}

void
cmd_remove(struct ctl_ctx *ctx, struct ctl_command *cmd)
{
    add_or_remove(ctx, cmd, true);
}

void
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

void
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

void
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

void
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
