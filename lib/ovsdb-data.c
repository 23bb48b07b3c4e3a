/* SPDX-License-Identifier: Apache-2.0 */
/* ovsdb-data: atoms and datums (see ovsdb-data.h). */
#include "vswitch/ovsdb-data.h"
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>
#include "vswitch/hash.h"
#include "vswitch/util.h"

struct ovsdb_error *
ovsdb_error(const char *tag, const char *fmt, ...)
{
    struct ovsdb_error *e = xmalloc(sizeof *e);
    va_list args;

    e->tag = xstrdup(tag);
    if (fmt) {
        va_start(args, fmt);
        e->details = xvasprintf(fmt, args);
        va_end(args);
    } else {
        e->details = NULL;
    }
    return e;
}

void
ovsdb_error_destroy(struct ovsdb_error *e)
{
    if (e) {
        free(e->tag);
        free(e->details);
        free(e);
    }
}

json_t *
ovsdb_error_to_json(const struct ovsdb_error *e)
{
    json_t *j = json_pack("{s:s}", "error", e->tag);

    if (e->details) {
        json_object_set_new(j, "details", json_string(e->details));
    }
    return j;
}

/* UUIDs: version 4, from a buffered getrandom() pool. */
void
ovsdb_uuid_generate(struct ovsdb_uuid *u)
{
    static uint32_t pool[256];
    static size_t avail;

    if (avail < 4) {
        size_t got = 0;

        while (got < sizeof pool) {
            ssize_t n = getrandom((char *) pool + got, sizeof pool - got, 0);
            if (n < 0) {
                if (errno == EINTR) {
                    continue;
                }
                vs_abort("getrandom failed");
            }
            got += n;
        }
        avail = ARRAY_SIZE(pool);
    }
    avail -= 4;
    memcpy(u->parts, &pool[avail], sizeof u->parts);
    u->parts[1] = (u->parts[1] & 0xffff0fff) | 0x00004000;
    u->parts[2] = (u->parts[2] & 0x3fffffff) | 0x80000000;
}

bool
ovsdb_uuid_is_zero(const struct ovsdb_uuid *u)
{
    return !(u->parts[0] | u->parts[1] | u->parts[2] | u->parts[3]);
}

static int
hexval(int c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

bool
ovsdb_uuid_from_string(struct ovsdb_uuid *u, const char *s)
{
    static const int dash[] = {8, 13, 18, 23};
    int nib = 0;

    memset(u, 0, sizeof *u);
    for (int i = 0; i < 36; i++) {
        if (i == dash[0] || i == dash[1] || i == dash[2] || i == dash[3]) {
            if (s[i] != '-') {
                return false;
            }
            continue;
        }
        int v = hexval((unsigned char) s[i]);
        if (v < 0) {
            return false;
        }
        u->parts[nib / 8] = (u->parts[nib / 8] << 4) | v;
        nib++;
    }
    return s[36] == '\0';
}

void
ovsdb_uuid_to_string(const struct ovsdb_uuid *u, char buf[37])
{
    snprintf(buf, 37, "%08x-%04x-%04x-%04x-%04x%08x", u->parts[0],
             u->parts[1] >> 16, u->parts[1] & 0xffff, u->parts[2] >> 16,
             u->parts[2] & 0xffff, u->parts[3]);
}

int
ovsdb_uuid_compare(const struct ovsdb_uuid *a, const struct ovsdb_uuid *b)
{
    for (int i = 0; i < 4; i++) {
        if (a->parts[i] != b->parts[i]) {
            return a->parts[i] < b->parts[i] ? -1 : 1;
        }
    }
    return 0;
}

/* Atoms. */

void
ovsdb_atom_init_default(union ovsdb_atom *a, enum ovsdb_atomic_type t)
{
    memset(a, 0, sizeof *a);
    if (t == OVSDB_TYPE_STRING) {
        a->string = xstrdup("");
    }
}

static bool
utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *) s;

    while (*p) {
        int n = *p < 0x80             ? 0
                : (*p & 0xe0) == 0xc0 ? 1
                : (*p & 0xf0) == 0xe0 ? 2
                : (*p & 0xf8) == 0xf0 ? 3
                                      : -1;
        if (n < 0) {
            return false;
        }
        p++;
        for (int i = 0; i < n; i++, p++) {
            if ((*p & 0xc0) != 0x80) {
                return false;
            }
        }
    }
    return true;
}

static size_t
utf8_len(const char *s)
{
    size_t n = 0;

    for (; *s; s++) {
        n += (*s & 0xc0) != 0x80;
    }
    return n;
}

struct ovsdb_error *
ovsdb_atom_from_json(union ovsdb_atom *a, const struct ovsdb_base_type *base,
                     const json_t *json, ovsdb_symbol_resolver *resolve,
                     void *aux)
{
    memset(a, 0, sizeof *a);
    switch (base->type) {
    case OVSDB_TYPE_INTEGER:
        if (json_is_integer(json)) {
            a->integer = json_integer_value(json);
            return NULL;
        }
        break;
    case OVSDB_TYPE_REAL:
        if (json_is_number(json)) {
            a->real = json_number_value(json);
            return NULL;
        }
        break;
    case OVSDB_TYPE_BOOLEAN:
        if (json_is_boolean(json)) {
            a->boolean = json_is_true(json);
            return NULL;
        }
        break;
    case OVSDB_TYPE_STRING:
        if (json_is_string(json)) {
            /* jansson validates UTF-8 on decode; check anyway for strings
             * built in memory. */
            if (!utf8_valid(json_string_value(json))) {
                return ovsdb_error("syntax error", "invalid UTF-8 string");
            }
            a->string = xstrdup(json_string_value(json));
            return NULL;
        }
        break;
    case OVSDB_TYPE_UUID:
        if (json_is_array(json) && json_array_size(json) == 2
            && json_is_string(json_array_get(json, 0))
            && json_is_string(json_array_get(json, 1))) {
            const char *kind = json_string_value(json_array_get(json, 0));
            const char *s = json_string_value(json_array_get(json, 1));

            if (!strcmp(kind, "uuid")) {
                if (ovsdb_uuid_from_string(&a->uuid, s)) {
                    return NULL;
                }
                return ovsdb_error("syntax error",
                                   "\"%s\" is not a valid "
                                   "UUID",
                                   s);
            } else if (!strcmp(kind, "named-uuid")) {
                if (resolve && resolve(s, &a->uuid, aux)) {
                    return NULL;
                }
                return ovsdb_error("syntax error",
                                   "unknown named-uuid "
                                   "\"%s\"",
                                   s);
            }
        }
        break;
    case OVSDB_TYPE_VOID:
    default:
        break;
    }
    return ovsdb_error("syntax error", "expected %s",
                       ovsdb_atomic_type_name(base->type));
}

json_t *
ovsdb_atom_to_json(const union ovsdb_atom *a, enum ovsdb_atomic_type t)
{
    char buf[37];

    switch (t) {
    case OVSDB_TYPE_INTEGER:
        return json_integer(a->integer);
    case OVSDB_TYPE_REAL:
        return json_real(a->real);
    case OVSDB_TYPE_BOOLEAN:
        return json_boolean(a->boolean);
    case OVSDB_TYPE_STRING:
        return json_string(a->string);
    case OVSDB_TYPE_UUID:
        ovsdb_uuid_to_string(&a->uuid, buf);
        return json_pack("[ss]", "uuid", buf);
    case OVSDB_TYPE_VOID:
    default:
        return json_null();
    }
}

void
ovsdb_atom_clone(union ovsdb_atom *dst, const union ovsdb_atom *src,
                 enum ovsdb_atomic_type t)
{
    *dst = *src;
    if (t == OVSDB_TYPE_STRING) {
        dst->string = xstrdup(src->string);
    }
}

void
ovsdb_atom_destroy(union ovsdb_atom *a, enum ovsdb_atomic_type t)
{
    if (t == OVSDB_TYPE_STRING) {
        free(a->string);
    }
}

int
ovsdb_atom_compare(const union ovsdb_atom *a, const union ovsdb_atom *b,
                   enum ovsdb_atomic_type t)
{
    switch (t) {
    case OVSDB_TYPE_INTEGER:
        return a->integer < b->integer ? -1 : a->integer > b->integer;
    case OVSDB_TYPE_REAL:
        return a->real < b->real ? -1 : a->real > b->real;
    case OVSDB_TYPE_BOOLEAN:
        return (int) a->boolean - (int) b->boolean;
    case OVSDB_TYPE_STRING:
        return strcmp(a->string, b->string);
    case OVSDB_TYPE_UUID:
        return ovsdb_uuid_compare(&a->uuid, &b->uuid);
    case OVSDB_TYPE_VOID:
    default:
        return 0;
    }
}

size_t
ovsdb_atom_hash(const union ovsdb_atom *a, enum ovsdb_atomic_type t,
                size_t basis)
{
    switch (t) {
    case OVSDB_TYPE_INTEGER:
        return hash_uint64(a->integer, basis);
    case OVSDB_TYPE_REAL:
        return hash_bytes(&a->real, sizeof a->real, basis);
    case OVSDB_TYPE_BOOLEAN:
        return hash_uint64(a->boolean, basis);
    case OVSDB_TYPE_STRING:
        return hash_string(a->string, basis);
    case OVSDB_TYPE_UUID:
        return hash_bytes(&a->uuid, sizeof a->uuid, basis);
    case OVSDB_TYPE_VOID:
    default:
        return basis;
    }
}

struct ovsdb_error *
ovsdb_atom_check_constraints(const union ovsdb_atom *a,
                             const struct ovsdb_base_type *b)
{
    if (b->enum_ && ovsdb_datum_find_key(b->enum_, a, b->type) < 0) {
        json_t *j = ovsdb_atom_to_json(a, b->type);
        char *s = json_dumps(j, JSON_ENCODE_ANY);
        struct ovsdb_error *e = ovsdb_error("constraint violation",
                                            "%s is not one of the allowed "
                                            "values",
                                            s ? s : "?");
        free(s);
        json_decref(j);
        return e;
    }
    switch (b->type) {
    case OVSDB_TYPE_INTEGER:
        if (a->integer < b->min_int || a->integer > b->max_int) {
            return ovsdb_error("constraint violation",
                               "%" PRId64 " is not in the valid range %" PRId64
                               " to %" PRId64 " (inclusive)",
                               a->integer, b->min_int, b->max_int);
        }
        break;
    case OVSDB_TYPE_REAL:
        if (a->real < b->min_real || a->real > b->max_real) {
            return ovsdb_error("constraint violation",
                               "%g is not in the valid range %g to %g "
                               "(inclusive)",
                               a->real, b->min_real, b->max_real);
        }
        break;
    case OVSDB_TYPE_STRING: {
        size_t len = utf8_len(a->string);

        if (len < b->min_len || len > b->max_len) {
            return ovsdb_error("constraint violation",
                               "\"%s\" length %zu is not between %u and %u",
                               a->string, len, b->min_len, b->max_len);
        }
        break;
    }
    case OVSDB_TYPE_BOOLEAN:
    case OVSDB_TYPE_UUID:
    case OVSDB_TYPE_VOID:
    default:
        break;
    }
    return NULL;
}

/* Datums. */

void
ovsdb_datum_init_empty(struct ovsdb_datum *d)
{
    d->n = 0;
    d->keys = NULL;
    d->values = NULL;
}

void
ovsdb_datum_init_default(struct ovsdb_datum *d, const struct ovsdb_type *t)
{
    ovsdb_datum_init_empty(d);
    if (t->n_min) {
        d->n = 1;
        d->keys = xmalloc(sizeof *d->keys);
        ovsdb_atom_init_default(&d->keys[0], t->key.type);
        if (ovsdb_type_is_map(t)) {
            d->values = xmalloc(sizeof *d->values);
            ovsdb_atom_init_default(&d->values[0], t->value.type);
        }
    }
}

bool
ovsdb_datum_is_default(const struct ovsdb_datum *d, const struct ovsdb_type *t)
{
    union ovsdb_atom def;
    bool is;

    if (!t->n_min) {
        return d->n == 0;
    }
    if (d->n != 1) {
        return false;
    }
    ovsdb_atom_init_default(&def, t->key.type);
    is = !ovsdb_atom_compare(&d->keys[0], &def, t->key.type);
    ovsdb_atom_destroy(&def, t->key.type);
    if (is && ovsdb_type_is_map(t)) {
        ovsdb_atom_init_default(&def, t->value.type);
        is = !ovsdb_atom_compare(&d->values[0], &def, t->value.type);
        ovsdb_atom_destroy(&def, t->value.type);
    }
    return is;
}

void
ovsdb_datum_destroy(struct ovsdb_datum *d, const struct ovsdb_type *t)
{
    if (!d) {
        return;
    }
    if (t->key.type == OVSDB_TYPE_STRING) {
        for (unsigned int i = 0; i < d->n; i++) {
            free(d->keys[i].string);
        }
    }
    if (d->values && t->value.type == OVSDB_TYPE_STRING) {
        for (unsigned int i = 0; i < d->n; i++) {
            free(d->values[i].string);
        }
    }
    free(d->keys);
    free(d->values);
    ovsdb_datum_init_empty(d);
}

void
ovsdb_datum_clone(struct ovsdb_datum *dst, const struct ovsdb_datum *src,
                  const struct ovsdb_type *t)
{
    dst->n = src->n;
    dst->keys = NULL;
    dst->values = NULL;
    if (!src->n) {
        return;
    }
    dst->keys = xmemdup(src->keys, src->n * sizeof *src->keys);
    if (t->key.type == OVSDB_TYPE_STRING) {
        for (unsigned int i = 0; i < src->n; i++) {
            dst->keys[i].string = xstrdup(src->keys[i].string);
        }
    }
    if (src->values) {
        dst->values = xmemdup(src->values, src->n * sizeof *src->values);
        if (t->value.type == OVSDB_TYPE_STRING) {
            for (unsigned int i = 0; i < src->n; i++) {
                dst->values[i].string = xstrdup(src->values[i].string);
            }
        }
    }
}

void
ovsdb_datum_swap(struct ovsdb_datum *a, struct ovsdb_datum *b)
{
    struct ovsdb_datum tmp = *a;

    *a = *b;
    *b = tmp;
}

void
ovsdb_datum_add_unsafe(struct ovsdb_datum *d, const union ovsdb_atom *key,
                       const union ovsdb_atom *value,
                       const struct ovsdb_type *t)
{
    d->keys = xrealloc(d->keys, (d->n + 1) * sizeof *d->keys);
    ovsdb_atom_clone(&d->keys[d->n], key, t->key.type);
    if (ovsdb_type_is_map(t)) {
        d->values = xrealloc(d->values, (d->n + 1) * sizeof *d->values);
        ovsdb_atom_clone(&d->values[d->n], value, t->value.type);
    }
    d->n++;
}

void
ovsdb_datum_remove_at(struct ovsdb_datum *d, unsigned int idx,
                      const struct ovsdb_type *t)
{
    ovsdb_atom_destroy(&d->keys[idx], t->key.type);
    memmove(&d->keys[idx], &d->keys[idx + 1],
            (d->n - idx - 1) * sizeof *d->keys);
    if (d->values) {
        ovsdb_atom_destroy(&d->values[idx], t->value.type);
        memmove(&d->values[idx], &d->values[idx + 1],
                (d->n - idx - 1) * sizeof *d->values);
    }
    d->n--;
}

/* Sorting: an index permutation sorted by key, applied afterwards, so that
 * keys and values move together. */
struct sort_ctx {
    const union ovsdb_atom *keys;
    enum ovsdb_atomic_type type;
};
static __thread struct sort_ctx sort_ctx;

static int
cmp_idx(const void *a_, const void *b_)
{
    const unsigned int *a = a_, *b = b_;

    return ovsdb_atom_compare(&sort_ctx.keys[*a], &sort_ctx.keys[*b],
                              sort_ctx.type);
}

static bool
is_sorted(const struct ovsdb_datum *d, enum ovsdb_atomic_type t, bool *dup)
{
    *dup = false;
    for (unsigned int i = 1; i < d->n; i++) {
        int c = ovsdb_atom_compare(&d->keys[i - 1], &d->keys[i], t);
        if (c > 0) {
            return false;
        }
        if (!c) {
            *dup = true;
        }
    }
    return true;
}

struct ovsdb_error *
ovsdb_datum_sort(struct ovsdb_datum *d, const struct ovsdb_type *t)
{
    bool dup;

    if (d->n < 2) {
        return NULL;
    }
    if (!is_sorted(d, t->key.type, &dup)) {
        unsigned int *perm = xmalloc(d->n * sizeof *perm);
        union ovsdb_atom *keys = xmalloc(d->n * sizeof *keys);
        union ovsdb_atom *values =
            d->values ? xmalloc(d->n * sizeof *values) : NULL;

        for (unsigned int i = 0; i < d->n; i++) {
            perm[i] = i;
        }
        sort_ctx.keys = d->keys;
        sort_ctx.type = t->key.type;
        qsort(perm, d->n, sizeof *perm, cmp_idx);
        for (unsigned int i = 0; i < d->n; i++) {
            keys[i] = d->keys[perm[i]];
            if (values) {
                values[i] = d->values[perm[i]];
            }
        }
        free(d->keys);
        free(d->values);
        d->keys = keys;
        d->values = values;
        free(perm);
        is_sorted(d, t->key.type, &dup);
    }
    if (dup) {
        return ovsdb_error("constraint violation",
                           ovsdb_type_is_map(t) ? "map contains duplicate key"
                                                : "set contains duplicate "
                                                  "value");
    }
    return NULL;
}

static struct ovsdb_error *
datum_from_json__(struct ovsdb_datum *d, const struct ovsdb_type *t,
                  const json_t *json, ovsdb_symbol_resolver *resolve,
                  void *aux)
{
    bool is_map = ovsdb_type_is_map(t);
    struct ovsdb_error *e = NULL;
    const json_t *elems;
    const char *kind;

    ovsdb_datum_init_empty(d);
    if (json_is_array(json) && json_array_size(json) == 2
        && json_is_string(json_array_get(json, 0))
        && (!strcmp(kind = json_string_value(json_array_get(json, 0)), "set")
            || !strcmp(kind, "map"))) {
        elems = json_array_get(json, 1);
        if (!json_is_array(elems)) {
            return ovsdb_error("syntax error", "\"%s\" needs an array", kind);
        }
        if (is_map != !strcmp(kind, "map")) {
            /* An empty ["set",[]] is accepted for maps too. */
            if (!(is_map && json_array_size(elems) == 0)) {
                return ovsdb_error("syntax error", "expected %s",
                                   is_map ? "map" : "set");
            }
        }
        size_t n = json_array_size(elems);
        if (n) {
            d->keys = xcalloc(n, sizeof *d->keys);
            d->values = is_map ? xcalloc(n, sizeof *d->values) : NULL;
        }
        for (size_t i = 0; i < n; i++) {
            const json_t *el = json_array_get(elems, i);

            if (is_map) {
                if (!json_is_array(el) || json_array_size(el) != 2) {
                    e = ovsdb_error("syntax error", "map element must be a "
                                                    "2-element array");
                    break;
                }
                e = ovsdb_atom_from_json(&d->keys[i], &t->key,
                                         json_array_get(el, 0), resolve, aux);
                if (e) {
                    break;
                }
                e = ovsdb_atom_from_json(&d->values[i], &t->value,
                                         json_array_get(el, 1), resolve, aux);
                if (e) {
                    ovsdb_atom_destroy(&d->keys[i], t->key.type);
                    break;
                }
            } else {
                e = ovsdb_atom_from_json(&d->keys[i], &t->key, el, resolve,
                                         aux);
                if (e) {
                    break;
                }
            }
            d->n++;
        }
        if (!e) {
            e = ovsdb_datum_sort(d, t);
        }
    } else if (!is_map) {
        d->keys = xmalloc(sizeof *d->keys);
        e = ovsdb_atom_from_json(&d->keys[0], &t->key, json, resolve, aux);
        if (!e) {
            d->n = 1;
        }
    } else {
        e = ovsdb_error("syntax error", "expected map");
    }
    if (!e) {
        for (unsigned int i = 0; i < d->n && !e; i++) {
            e = ovsdb_atom_check_constraints(&d->keys[i], &t->key);
            if (!e && is_map) {
                e = ovsdb_atom_check_constraints(&d->values[i], &t->value);
            }
        }
    }
    if (e) {
        ovsdb_datum_destroy(d, t);
    }
    return e;
}

struct ovsdb_error *
ovsdb_datum_from_json_unbounded(struct ovsdb_datum *d,
                                const struct ovsdb_type *t, const json_t *json,
                                ovsdb_symbol_resolver *resolve, void *aux)
{
    return datum_from_json__(d, t, json, resolve, aux);
}

struct ovsdb_error *
ovsdb_datum_from_json(struct ovsdb_datum *d, const struct ovsdb_type *t,
                      const json_t *json, ovsdb_symbol_resolver *resolve,
                      void *aux)
{
    struct ovsdb_error *e = datum_from_json__(d, t, json, resolve, aux);

    if (!e && (d->n < t->n_min || d->n > t->n_max)) {
        e = ovsdb_error("syntax error",
                        "%u values when type requires "
                        "between %u and %u",
                        d->n, t->n_min, t->n_max);
        ovsdb_datum_destroy(d, t);
    }
    return e;
}

json_t *
ovsdb_datum_to_json(const struct ovsdb_datum *d, const struct ovsdb_type *t)
{
    json_t *elems;

    if (ovsdb_type_is_map(t)) {
        elems = json_array();
        for (unsigned int i = 0; i < d->n; i++) {
            json_array_append_new(
                elems,
                json_pack("[oo]", ovsdb_atom_to_json(&d->keys[i], t->key.type),
                          ovsdb_atom_to_json(&d->values[i], t->value.type)));
        }
        return json_pack("[so]", "map", elems);
    }
    if (d->n == 1) {
        return ovsdb_atom_to_json(&d->keys[0], t->key.type);
    }
    elems = json_array();
    for (unsigned int i = 0; i < d->n; i++) {
        json_array_append_new(elems,
                              ovsdb_atom_to_json(&d->keys[i], t->key.type));
    }
    return json_pack("[so]", "set", elems);
}

int
ovsdb_datum_compare(const struct ovsdb_datum *a, const struct ovsdb_datum *b,
                    const struct ovsdb_type *t)
{
    if (a->n != b->n) {
        return a->n < b->n ? -1 : 1;
    }
    for (unsigned int i = 0; i < a->n; i++) {
        int c = ovsdb_atom_compare(&a->keys[i], &b->keys[i], t->key.type);
        if (c) {
            return c;
        }
    }
    if (ovsdb_type_is_map(t)) {
        for (unsigned int i = 0; i < a->n; i++) {
            int c = ovsdb_atom_compare(&a->values[i], &b->values[i],
                                       t->value.type);
            if (c) {
                return c;
            }
        }
    }
    return 0;
}

size_t
ovsdb_datum_hash(const struct ovsdb_datum *d, const struct ovsdb_type *t,
                 size_t basis)
{
    for (unsigned int i = 0; i < d->n; i++) {
        basis = ovsdb_atom_hash(&d->keys[i], t->key.type, basis);
        if (d->values) {
            basis = ovsdb_atom_hash(&d->values[i], t->value.type, basis);
        }
    }
    return hash_uint64(d->n, basis);
}

struct ovsdb_error *
ovsdb_datum_check(const struct ovsdb_datum *d, const struct ovsdb_type *t)
{
    struct ovsdb_error *e;

    if (d->n < t->n_min || d->n > t->n_max) {
        return ovsdb_error("constraint violation",
                           "%u values when type "
                           "requires between %u and %u",
                           d->n, t->n_min, t->n_max);
    }
    for (unsigned int i = 0; i < d->n; i++) {
        e = ovsdb_atom_check_constraints(&d->keys[i], &t->key);
        if (!e && d->values) {
            e = ovsdb_atom_check_constraints(&d->values[i], &t->value);
        }
        if (e) {
            return e;
        }
    }
    return NULL;
}

long
ovsdb_datum_find_key(const struct ovsdb_datum *d, const union ovsdb_atom *key,
                     enum ovsdb_atomic_type t)
{
    unsigned int lo = 0, hi = d->n;

    while (lo < hi) {
        unsigned int mid = lo + (hi - lo) / 2;
        int c = ovsdb_atom_compare(key, &d->keys[mid], t);

        if (!c) {
            return mid;
        } else if (c < 0) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    return -1;
}

static bool
has_element(const struct ovsdb_datum *d, const struct ovsdb_datum *src,
            unsigned int i, const struct ovsdb_type *t)
{
    long k = ovsdb_datum_find_key(d, &src->keys[i], t->key.type);

    return k >= 0
           && (!ovsdb_type_is_map(t)
               || !ovsdb_atom_compare(&d->values[k], &src->values[i],
                                      t->value.type));
}

bool
ovsdb_datum_includes_all(const struct ovsdb_datum *a,
                         const struct ovsdb_datum *b,
                         const struct ovsdb_type *t)
{
    for (unsigned int i = 0; i < a->n; i++) {
        if (!has_element(b, a, i, t)) {
            return false;
        }
    }
    return true;
}

bool
ovsdb_datum_excludes_all(const struct ovsdb_datum *a,
                         const struct ovsdb_datum *b,
                         const struct ovsdb_type *t)
{
    for (unsigned int i = 0; i < a->n; i++) {
        if (has_element(b, a, i, t)) {
            return false;
        }
    }
    return true;
}

void
ovsdb_datum_union(struct ovsdb_datum *a, const struct ovsdb_datum *b,
                  const struct ovsdb_type *t)
{
    unsigned int n0 = a->n;
    bool added = false;

    for (unsigned int i = 0; i < b->n; i++) {
        /* Binary search only among the original elements: 'b' has no
         * duplicates itself. */
        struct ovsdb_datum orig = {n0, a->keys, a->values};

        if (ovsdb_datum_find_key(&orig, &b->keys[i], t->key.type) < 0) {
            ovsdb_datum_add_unsafe(a, &b->keys[i],
                                   b->values ? &b->values[i] : NULL, t);
            added = true;
        }
    }
    if (added) {
        struct ovsdb_error *e = ovsdb_datum_sort(a, t);
        ovsdb_error_destroy(e); /* Cannot happen: no duplicates added. */
    }
}

void
ovsdb_datum_subtract(struct ovsdb_datum *a, const struct ovsdb_type *t,
                     const struct ovsdb_datum *b,
                     const struct ovsdb_type *b_type)
{
    bool by_key_only = !ovsdb_type_is_map(b_type);

    for (unsigned int i = 0; i < b->n; i++) {
        long k = ovsdb_datum_find_key(a, &b->keys[i], t->key.type);

        if (k >= 0
            && (by_key_only
                || !ovsdb_atom_compare(&a->values[k], &b->values[i],
                                       t->value.type))) {
            ovsdb_datum_remove_at(a, k, t);
        }
    }
}

void
ovsdb_datum_diff(struct ovsdb_datum *diff, const struct ovsdb_datum *old,
                 const struct ovsdb_datum *new_, const struct ovsdb_type *t)
{
    ovsdb_datum_init_empty(diff);
    if (t->n_max == 1) {
        /* A column of at most one element (Port.tag, say) gets its new
         * value, possibly empty, as ovsdb-server sends it and OVS clients
         * apply it; a symmetric difference here would make them store two
         * values.  (tests/interop/ovsdb-idl.sh caught this.) */
        ovsdb_datum_clone(diff, new_, t);
        return;
    }
    /* Merge walk over two sorted datums. */
    unsigned int i = 0, j = 0;
    while (i < old->n || j < new_->n) {
        int c = i >= old->n    ? 1
                : j >= new_->n ? -1
                               : ovsdb_atom_compare(
                                   &old->keys[i], &new_->keys[j], t->key.type);
        if (c < 0) {
            ovsdb_datum_add_unsafe(diff, &old->keys[i],
                                   old->values ? &old->values[i] : NULL, t);
            i++;
        } else if (c > 0) {
            ovsdb_datum_add_unsafe(diff, &new_->keys[j],
                                   new_->values ? &new_->values[j] : NULL, t);
            j++;
        } else {
            if (ovsdb_type_is_map(t)
                && ovsdb_atom_compare(&old->values[i], &new_->values[j],
                                      t->value.type)) {
                ovsdb_datum_add_unsafe(diff, &new_->keys[j], &new_->values[j],
                                       t);
            }
            i++;
            j++;
        }
    }
}
