/* SPDX-License-Identifier: Apache-2.0 */
#include "vswitch/ctl-syntax.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/util.h"

/* ---- Parsing ------------------------------------------------------------ */

static const char *
type_noun(enum ovsdb_atomic_type t)
{
    switch (t) {
    case OVSDB_TYPE_INTEGER:
        return "integer";
    case OVSDB_TYPE_REAL:
        return "real";
    case OVSDB_TYPE_BOOLEAN:
        return "boolean";
    case OVSDB_TYPE_STRING:
        return "string";
    case OVSDB_TYPE_UUID:
        return "uuid";
    case OVSDB_TYPE_VOID:
    default:
        return "void";
    }
}

/* Unquotes the JSON string at 's' (which starts with '"'), storing the
 * text in '*out' and the position after the closing quote in '*endp'.
 * Returns false if there is no closing quote or an escape is bad. */
static bool
unquote(const char *s, char **out, const char **endp)
{
    const char *p = s + 1;
    json_t *j;
    char *text;

    while (*p && *p != '"') {
        if (*p == '\\' && p[1]) {
            p++;
        }
        p++;
    }
    if (*p != '"') {
        return false;
    }
    text = xmalloc(p - s + 2);
    memcpy(text, s, p - s + 1);
    text[p - s + 1] = '\0';
    j = json_loads(text, JSON_DECODE_ANY, NULL);
    free(text);
    if (!json_is_string(j)) {
        json_decref(j);
        return false;
    }
    *out = xstrdup(json_string_value(j));
    json_decref(j);
    *endp = p + 1;
    return true;
}

/* Parses the text 't' (already unquoted if it was quoted) as an atom. */
static char *
atom_from_text(union ovsdb_atom *atom, const struct ovsdb_base_type *base,
               const char *t, bool in_datum, ctl_symbol_fn *resolve, void *aux)
{
    union ovsdb_atom a;
    struct ovsdb_error *e;
    char *end;

    switch (base->type) {
    case OVSDB_TYPE_INTEGER: {
        long long v;

        errno = 0;
        v = strtoll(t, &end, 10);
        if (!*t || *end || errno || isspace((unsigned char) *t)) {
            return xasprintf("\"%s\" is not a valid integer%s", t,
                             in_datum ? " or range" : "");
        }
        a.integer = v;
        break;
    }
    case OVSDB_TYPE_REAL:
        errno = 0;
        a.real = strtod(t, &end);
        if (!*t || *end || errno) {
            return xasprintf("\"%s\" is not a valid real number", t);
        }
        break;
    case OVSDB_TYPE_BOOLEAN:
        if (!strcmp(t, "true")) {
            a.boolean = true;
        } else if (!strcmp(t, "false")) {
            a.boolean = false;
        } else {
            return xasprintf("\"%s\" is not a valid boolean "
                             "(use \"true\" or \"false\")",
                             t);
        }
        break;
    case OVSDB_TYPE_STRING:
        a.string = xstrdup(t);
        break;
    case OVSDB_TYPE_UUID:
        if (t[0] == '@') {
            if (!resolve || !resolve(t, &a.uuid, aux)) {
                return xasprintf("row id \"%s\" is not defined", t);
            }
        } else if (!ovsdb_uuid_from_string(&a.uuid, t)) {
            return xasprintf("\"%s\" is not a valid UUID", t);
        }
        break;
    case OVSDB_TYPE_VOID:
    default:
        return xstrdup("void type");
    }
    e = ovsdb_atom_check_constraints(&a, base);
    if (e) {
        char *msg = xasprintf("%s: %s", e->tag, e->details);

        ovsdb_error_destroy(e);
        ovsdb_atom_destroy(&a, base->type);
        return msg;
    }
    *atom = a;
    return NULL;
}

char *
ctl_atom_from_string(union ovsdb_atom *atom,
                     const struct ovsdb_base_type *base, const char *s,
                     ctl_symbol_fn *resolve, void *aux)
{
    char *text, *error;
    const char *end;

    if (s[0] == '"') {
        if (!unquote(s, &text, &end) || *end) {
            return xasprintf("%s: missing quote at end of quoted string", s);
        }
        error = atom_from_text(atom, base, text, false, resolve, aux);
        free(text);
        return error;
    }
    if (base->type != OVSDB_TYPE_STRING) {
        /* Surrounding white space is harmless for the other types. */
        size_t n;

        while (isspace((unsigned char) *s)) {
            s++;
        }
        n = strlen(s);
        while (n && isspace((unsigned char) s[n - 1])) {
            n--;
        }
        text = xmalloc(n + 1);
        memcpy(text, s, n);
        text[n] = '\0';
        error = atom_from_text(atom, base, text, false, resolve, aux);
        free(text);
        return error;
    }
    return atom_from_text(atom, base, s, false, resolve, aux);
}

static bool
is_delimiter(char c)
{
    return !c || isspace((unsigned char) c) || strchr(",=:[]{}", c);
}

/* Reads one token at '*pp': a quoted string or a run of non-delimiters.
 * Returns it (caller frees) and whether it was quoted, or NULL with
 * '*errorp' set. */
static char *
read_token(const char **pp, const char *whole, bool *quoted, char **errorp)
{
    const char *p = *pp;
    char *tok;

    *quoted = *p == '"';
    if (*quoted) {
        if (!unquote(p, &tok, pp)) {
            *errorp =
                xasprintf("%s: missing quote at end of quoted string", whole);
            return NULL;
        }
        return tok;
    }
    while (!is_delimiter(*p)) {
        if (strchr("!<>()'\\", *p)) {
            *errorp =
                xasprintf("%s: unexpected \"%c\" parsing string", whole, *p);
            return NULL;
        }
        p++;
    }
    tok = xmalloc(p - *pp + 1);
    memcpy(tok, *pp, p - *pp);
    tok[p - *pp] = '\0';
    *pp = p;
    return tok;
}

static void
skip_space(const char **pp)
{
    while (isspace((unsigned char) **pp)) {
        (*pp)++;
    }
}

static char *
describe_type(const struct ovsdb_type *type)
{
    const char *k = type_noun(type->key.type);

    if (ovsdb_type_is_map(type)) {
        return xasprintf("map of %s-%s pairs", k, type_noun(type->value.type));
    }
    if (type->n_max == OVSDB_UNLIMITED) {
        return xasprintf("set of %ss", k);
    }
    return xasprintf("set of up to %u %ss", type->n_max, k);
}

/* Adds the atoms denoted by token 'tok' (a key, or an integer range) to
 * 'd'. */
static char *
add_key(struct ovsdb_datum *d, const struct ovsdb_type *type, const char *tok,
        bool quoted, const union ovsdb_atom *value, ctl_symbol_fn *resolve,
        void *aux)
{
    union ovsdb_atom a;
    char *error;
    const char *dash;

    if (type->key.type == OVSDB_TYPE_INTEGER && !quoted && !value
        && (dash = strchr(tok + 1, '-')) != NULL) {
        union ovsdb_atom lo, hi;
        char *left = xmalloc(dash - tok + 1);

        memcpy(left, tok, dash - tok);
        left[dash - tok] = '\0';
        error = atom_from_text(&lo, &type->key, left, true, resolve, aux);
        free(left);
        if (!error) {
            error =
                atom_from_text(&hi, &type->key, dash + 1, true, resolve, aux);
        }
        if (error) {
            return error;
        }
        if (hi.integer < lo.integer) {
            return xasprintf("\"%s\" is not a valid range (end < start)", tok);
        }
        if (hi.integer - lo.integer >= 4096) {
            return xasprintf("\"%s\" is too large a range", tok);
        }
        for (int64_t i = lo.integer; i <= hi.integer; i++) {
            a.integer = i;
            ovsdb_datum_add_unsafe(d, &a, NULL, type);
        }
        return NULL;
    }
    error = atom_from_text(&a, &type->key, tok, true, resolve, aux);
    if (error) {
        return error;
    }
    ovsdb_datum_add_unsafe(d, &a, value, type);
    ovsdb_atom_destroy(&a, type->key.type);
    return NULL;
}

char *
ctl_datum_from_string(struct ovsdb_datum *datum, const struct ovsdb_type *type,
                      const char *s, ctl_symbol_fn *resolve, void *aux)
{
    bool is_map = ovsdb_type_is_map(type);
    const char *p = s;
    char close = 0;
    char *error = NULL;
    struct ovsdb_error *e;

    ovsdb_datum_init_empty(datum);
    skip_space(&p);
    if (*p == (is_map ? '{' : '[')) {
        close = is_map ? '}' : ']';
        p++;
    }
    for (;;) {
        char *key, *val = NULL;
        union ovsdb_atom v;
        bool quoted;

        skip_space(&p);
        if (!*p || (close && *p == close)) {
            break;
        }
        if (is_delimiter(*p) && *p != '"') {
            char *what = describe_type(type);

            error = xasprintf("%s: unexpected \"%c\" parsing %s", s, *p, what);
            free(what);
            goto err;
        }
        key = read_token(&p, s, &quoted, &error);
        if (!key) {
            goto err;
        }
        if (is_map) {
            bool vq;

            skip_space(&p);
            if (*p != '=') {
                free(key);
                if (*p) {
                    error = xasprintf("%s: syntax error at \"%c\" expecting "
                                      "\"=\"",
                                      s, *p);
                } else {
                    error = xasprintf("%s: syntax error at end of input "
                                      "expecting \"=\"",
                                      s);
                }
                goto err;
            }
            p++;
            skip_space(&p);
            val = read_token(&p, s, &vq, &error);
            if (!val) {
                free(key);
                goto err;
            }
            error = atom_from_text(&v, &type->value, val, true, resolve, aux);
            free(val);
            if (error) {
                free(key);
                goto err;
            }
        }
        error = add_key(datum, type, key, quoted, is_map ? &v : NULL, resolve,
                        aux);
        if (is_map) {
            ovsdb_atom_destroy(&v, type->value.type);
        }
        free(key);
        if (error) {
            goto err;
        }
        skip_space(&p);
        if (*p == ',') {
            p++;
            skip_space(&p);
            if (!*p || *p == ',' || (close && *p == close)) {
                char *what = describe_type(type);

                error = xasprintf("%s: unexpected \"%c\" parsing %s", s,
                                  *p ? *p : ',', what);
                free(what);
                goto err;
            }
        }
    }
    if (close) {
        if (*p != close) {
            error = xasprintf("%s: missing \"%c\" at end of data", s, close);
            goto err;
        }
        p++;
        skip_space(&p);
        if (*p) {
            error = xasprintf("%s: trailing garbage after \"%c\"", s, close);
            goto err;
        }
    }
    e = ovsdb_datum_sort(datum, type);
    if (e) {
        error = xasprintf("%s: %s", e->tag, e->details);
        ovsdb_error_destroy(e);
        goto err;
    }
    if (datum->n < type->n_min) {
        error = xasprintf("%s: %u value(s) specified but the minimum number "
                          "is %u",
                          s, datum->n, type->n_min);
        goto err;
    }
    if (datum->n > type->n_max) {
        error = xasprintf("%s: %u value(s) specified but the maximum number "
                          "is %u",
                          s, datum->n, type->n_max);
        goto err;
    }
    return NULL;

err:
    ovsdb_datum_destroy(datum, type);
    ovsdb_datum_init_empty(datum);
    return error;
}

/* ---- Printing ----------------------------------------------------------- */

bool
ctl_string_needs_quotes(const char *s)
{
    struct ovsdb_uuid u;
    const char *p = s;

    if (!isalpha((unsigned char) *p) && *p != '_') {
        return true;
    }
    for (p++; *p; p++) {
        unsigned char c = *p;

        if (!isalnum(c) && c != '_' && c != '-' && c != '.') {
            return true;
        }
    }
    return !strcmp(s, "true") || !strcmp(s, "false")
           || ovsdb_uuid_from_string(&u, s);
}

static void
put_quoted(struct ds *ds, const char *s)
{
    json_t *j = json_string(s);
    char *q = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;

    ds_put_cstr(ds, q ? q : "\"\"");
    free(q);
    json_decref(j);
}

static void
put_real(struct ds *ds, double d)
{
    char buf[64];

    snprintf(buf, sizeof buf, "%.17g", d);
    /* Use the shortest form that reads back the same. */
    for (int prec = 1; prec < 17; prec++) {
        char t[64];

        snprintf(t, sizeof t, "%.*g", prec, d);
        if (strtod(t, NULL) == d) {
            memcpy(buf, t, sizeof t);
            break;
        }
    }
    ds_put_cstr(ds, buf);
}

static void
atom_to_string(const union ovsdb_atom *a, enum ovsdb_atomic_type t, bool bare,
               struct ds *ds)
{
    char u[37];

    switch (t) {
    case OVSDB_TYPE_INTEGER:
        ds_put_format(ds, "%" PRId64, a->integer);
        break;
    case OVSDB_TYPE_REAL:
        put_real(ds, a->real);
        break;
    case OVSDB_TYPE_BOOLEAN:
        ds_put_cstr(ds, a->boolean ? "true" : "false");
        break;
    case OVSDB_TYPE_STRING:
        if (!bare && ctl_string_needs_quotes(a->string)) {
            put_quoted(ds, a->string);
        } else {
            ds_put_cstr(ds, a->string);
        }
        break;
    case OVSDB_TYPE_UUID:
        ovsdb_uuid_to_string(&a->uuid, u);
        ds_put_cstr(ds, u);
        break;
    case OVSDB_TYPE_VOID:
    default:
        break;
    }
}

void
ctl_atom_to_string(const union ovsdb_atom *a, enum ovsdb_atomic_type t,
                   struct ds *ds)
{
    atom_to_string(a, t, false, ds);
}

void
ctl_datum_to_string(const struct ovsdb_datum *d, const struct ovsdb_type *t,
                    struct ds *ds)
{
    bool is_map = ovsdb_type_is_map(t);

    if (!is_map && t->n_max == 1 && d->n == 1) {
        atom_to_string(&d->keys[0], t->key.type, false, ds);
        return;
    }
    ds_put_char(ds, is_map ? '{' : '[');
    for (unsigned int i = 0; i < d->n; i++) {
        if (i) {
            ds_put_cstr(ds, ", ");
        }
        atom_to_string(&d->keys[i], t->key.type, false, ds);
        if (is_map) {
            ds_put_char(ds, '=');
            atom_to_string(&d->values[i], t->value.type, false, ds);
        }
    }
    ds_put_char(ds, is_map ? '}' : ']');
}

void
ctl_datum_to_bare(const struct ovsdb_datum *d, const struct ovsdb_type *t,
                  struct ds *ds)
{
    for (unsigned int i = 0; i < d->n; i++) {
        if (i) {
            ds_put_char(ds, ' ');
        }
        atom_to_string(&d->keys[i], t->key.type, true, ds);
        if (ovsdb_type_is_map(t)) {
            ds_put_char(ds, '=');
            atom_to_string(&d->values[i], t->value.type, true, ds);
        }
    }
}

/* ---- Tables ------------------------------------------------------------- */

void
ctl_table_init(struct ctl_table *t)
{
    memset(t, 0, sizeof *t);
}

void
ctl_table_destroy(struct ctl_table *t)
{
    if (!t) {
        return;
    }
    for (size_t i = 0; i < t->n_rows * t->n_columns; i++) {
        if (t->cells[i].type) {
            ovsdb_datum_destroy(&t->cells[i].datum, t->cells[i].type);
        }
    }
    free(t->cells);
    for (size_t i = 0; i < t->n_columns; i++) {
        free(t->headings[i]);
    }
    free(t->headings);
}

void
ctl_table_add_column(struct ctl_table *t, const char *heading)
{
    t->headings =
        xrealloc(t->headings, (t->n_columns + 1) * sizeof *t->headings);
    t->headings[t->n_columns++] = xstrdup(heading);
}

void
ctl_table_add_row(struct ctl_table *t)
{
    if (t->n_rows == t->alloc_rows) {
        t->alloc_rows = t->alloc_rows ? 2 * t->alloc_rows : 8;
        t->cells = xrealloc(t->cells,
                            t->alloc_rows * t->n_columns * sizeof *t->cells);
    }
    memset(&t->cells[t->n_rows * t->n_columns], 0,
           t->n_columns * sizeof *t->cells);
    t->n_rows++;
}

void
ctl_table_set(struct ctl_table *t, size_t col, const struct ovsdb_datum *d,
              const struct ovsdb_type *type)
{
    struct ctl_cell *c = &t->cells[(t->n_rows - 1) * t->n_columns + col];

    if (c->type) {
        ovsdb_datum_destroy(&c->datum, c->type);
    }
    ovsdb_datum_clone(&c->datum, d, type);
    c->type = type;
}

static json_t *
cell_json(const struct ctl_cell *c)
{
    return c->type ? ovsdb_datum_to_json(&c->datum, c->type)
                   : json_pack("[s,[]]", "set");
}

static char *
cell_text(const struct ctl_cell *c, enum ctl_data data)
{
    struct ds ds;

    ds_init(&ds);
    if (!c->type) {
        ds_put_cstr(&ds, "");
    } else if (data == CTL_DATA_JSON) {
        json_t *j = cell_json(c);
        char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);

        ds_put_cstr(&ds, s);
        free(s);
        json_decref(j);
    } else if (data == CTL_DATA_BARE) {
        ctl_datum_to_bare(&c->datum, c->type, &ds);
    } else {
        ctl_datum_to_string(&c->datum, c->type, &ds);
    }
    {
        char *s = xstrdup(ds_cstr(&ds));

        ds_destroy(&ds);
        return s;
    }
}

static void
pretty(const json_t *j, int indent, struct ds *ds)
{
    if (json_is_array(j) && json_array_size(j)) {
        ds_put_char(ds, '[');
        for (size_t i = 0; i < json_array_size(j); i++) {
            if (i) {
                ds_put_char(ds, ',');
            }
            ds_put_char(ds, '\n');
            ds_put_char_multiple(ds, ' ', indent + 2);
            pretty(json_array_get(j, i), indent + 2, ds);
        }
        ds_put_char(ds, ']');
    } else if (json_is_object(j) && json_object_size(j)) {
        const char *k;
        json_t *v;
        bool first = true;

        ds_put_char(ds, '{');
        json_object_foreach ((json_t *) j, k, v) {
            if (!first) {
                ds_put_char(ds, ',');
            }
            first = false;
            ds_put_char(ds, '\n');
            ds_put_char_multiple(ds, ' ', indent + 2);
            put_quoted(ds, k);
            ds_put_cstr(ds, ": ");
            pretty(v, indent + 2, ds);
        }
        ds_put_char(ds, '}');
    } else {
        char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);

        ds_put_cstr(ds, s);
        free(s);
    }
}

void
ctl_json_pretty(const json_t *json, struct ds *ds)
{
    pretty(json, 0, ds);
}

static void
put_csv(struct ds *ds, const char *s)
{
    if (!strpbrk(s, "\",\n\r")) {
        ds_put_cstr(ds, s);
        return;
    }
    ds_put_char(ds, '"');
    for (; *s; s++) {
        if (*s == '"') {
            ds_put_char(ds, '"');
        }
        ds_put_char(ds, *s);
    }
    ds_put_char(ds, '"');
}

static void
put_html(struct ds *ds, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '"':
            ds_put_cstr(ds, "&quot;");
            break;
        case '<':
            ds_put_cstr(ds, "&lt;");
            break;
        case '>':
            ds_put_cstr(ds, "&gt;");
            break;
        case '&':
            ds_put_cstr(ds, "&amp;");
            break;
        default:
            ds_put_char(ds, *s);
        }
    }
}

static void
format_json(const struct ctl_table *t, const struct ctl_table_style *st,
            struct ds *ds)
{
    json_t *top = json_object(), *data = json_array(), *head = json_array();

    for (size_t r = 0; r < t->n_rows; r++) {
        json_t *row = json_array();

        for (size_t c = 0; c < t->n_columns; c++) {
            json_array_append_new(row,
                                  cell_json(&t->cells[r * t->n_columns + c]));
        }
        json_array_append_new(data, row);
    }
    for (size_t c = 0; c < t->n_columns; c++) {
        json_array_append_new(head, json_string(t->headings[c]));
    }
    json_object_set_new(top, "data", data);
    if (st->headings) {
        json_object_set_new(top, "headings", head);
    } else {
        json_decref(head);
    }
    if (st->pretty) {
        ctl_json_pretty(top, ds);
    } else {
        char *s = json_dumps(top, JSON_COMPACT | JSON_PRESERVE_ORDER);

        ds_put_cstr(ds, s);
        free(s);
    }
    ds_put_char(ds, '\n');
    json_decref(top);
}

void
ctl_table_format(const struct ctl_table *t, const struct ctl_table_style *st,
                 struct ds *ds)
{
    size_t n = t->n_rows * t->n_columns;
    char **text;
    size_t *width;

    if (st->format == CTL_FORMAT_JSON) {
        format_json(t, st, ds);
        return;
    }
    text = xcalloc(n + 1, sizeof *text);
    width = xcalloc(t->n_columns + 1, sizeof *width);
    for (size_t i = 0; i < n; i++) {
        text[i] = cell_text(&t->cells[i], st->data);
    }
    switch (st->format) {
    case CTL_FORMAT_LIST:
        for (size_t r = 0; r < t->n_rows; r++) {
            if (r) {
                ds_put_char(ds, '\n');
            }
            for (size_t c = 0; c < t->n_columns; c++) {
                if (st->headings) {
                    ds_put_format(ds, "%-20s: ", t->headings[c]);
                }
                ds_put_format(ds, "%s\n", text[r * t->n_columns + c]);
            }
        }
        break;
    case CTL_FORMAT_TABLE:
        for (size_t c = 0; c < t->n_columns; c++) {
            width[c] = st->headings ? strlen(t->headings[c]) : 0;
            for (size_t r = 0; r < t->n_rows; r++) {
                size_t w = strlen(text[r * t->n_columns + c]);

                width[c] = w > width[c] ? w : width[c];
            }
        }
        if (st->headings) {
            for (size_t c = 0; c < t->n_columns; c++) {
                bool last = c + 1 == t->n_columns;

                ds_put_format(ds, "%-*s%s", last ? 0 : (int) width[c],
                              t->headings[c], last ? "\n" : " ");
            }
            for (size_t c = 0; c < t->n_columns; c++) {
                ds_put_char_multiple(ds, '-', width[c]);
                ds_put_char(ds, c + 1 == t->n_columns ? '\n' : ' ');
            }
        }
        for (size_t r = 0; r < t->n_rows; r++) {
            for (size_t c = 0; c < t->n_columns; c++) {
                bool last = c + 1 == t->n_columns;

                ds_put_format(ds, "%-*s%s", last ? 0 : (int) width[c],
                              text[r * t->n_columns + c], last ? "\n" : " ");
            }
        }
        break;
    case CTL_FORMAT_CSV:
        if (st->headings) {
            for (size_t c = 0; c < t->n_columns; c++) {
                if (c) {
                    ds_put_char(ds, ',');
                }
                put_csv(ds, t->headings[c]);
            }
            ds_put_char(ds, '\n');
        }
        for (size_t r = 0; r < t->n_rows; r++) {
            for (size_t c = 0; c < t->n_columns; c++) {
                if (c) {
                    ds_put_char(ds, ',');
                }
                put_csv(ds, text[r * t->n_columns + c]);
            }
            ds_put_char(ds, '\n');
        }
        break;
    case CTL_FORMAT_HTML:
        ds_put_cstr(ds, "<table border=1>\n");
        if (st->headings) {
            ds_put_cstr(ds, "  <tr>\n");
            for (size_t c = 0; c < t->n_columns; c++) {
                ds_put_cstr(ds, "    <th>");
                put_html(ds, t->headings[c]);
                ds_put_cstr(ds, "</th>\n");
            }
            ds_put_cstr(ds, "  </tr>\n");
        }
        for (size_t r = 0; r < t->n_rows; r++) {
            ds_put_cstr(ds, "  <tr>\n");
            for (size_t c = 0; c < t->n_columns; c++) {
                ds_put_cstr(ds, "    <td>");
                put_html(ds, text[r * t->n_columns + c]);
                ds_put_cstr(ds, "</td>\n");
            }
            ds_put_cstr(ds, "  </tr>\n");
        }
        ds_put_cstr(ds, "</table>\n");
        break;
    case CTL_FORMAT_JSON:
    default:
        break;
    }
    for (size_t i = 0; i < n; i++) {
        free(text[i]);
    }
    free(text);
    free(width);
}
