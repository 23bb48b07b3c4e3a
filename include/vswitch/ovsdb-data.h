/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_OVSDB_DATA_H
#define VSWITCH_OVSDB_DATA_H 1

/*
 * ovsdb-data: values of OVSDB columns.
 *
 * An atom is one scalar of an atomic type.  A datum is the value of a
 * column: 'n' keys (and, for a map, 'n' values), kept sorted by key with no
 * duplicate keys.  A scalar column is a datum with n == 1; an optional one
 * (min 0, max 1) has n of 0 or 1.  Keeping datums sorted makes comparison,
 * union, difference and duplicate detection O(n) or O(n log n), which
 * matters for columns like Bridge.ports that hold thousands of references.
 *
 * JSON forms (RFC 7047 section 5.1): an atom is a JSON number, boolean or
 * string, or ["uuid","..."]; a set is a bare atom (one element) or
 * ["set",[...]]; a map is ["map",[[k,v],...]].  ["named-uuid","name"] is
 * accepted where a uuid is expected if the caller passes a resolver.
 *
 * Errors are reported as struct ovsdb_error: an RFC 7047 error name
 * ("syntax error", "constraint violation", ...) and a human-readable
 * detail.  This is the one exception to the 0-or-errno convention, because
 * the protocol needs the name and the detail.
 *
 * Thread-safety: values are plain data; no shared state.
 */

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vswitch/ovsdb-schema.h"

struct ovsdb_uuid {
    uint32_t parts[4]; /* Big-endian order of the text form. */
};

union ovsdb_atom {
    int64_t integer;        /* OVSDB_TYPE_INTEGER. */
    double real;            /* OVSDB_TYPE_REAL. */
    bool boolean;           /* OVSDB_TYPE_BOOLEAN. */
    char *string;           /* OVSDB_TYPE_STRING, owned. */
    struct ovsdb_uuid uuid; /* OVSDB_TYPE_UUID. */
};

struct ovsdb_datum {
    unsigned int n;           /* Number of elements. */
    union ovsdb_atom *keys;   /* 'n' keys, sorted, distinct. */
    union ovsdb_atom *values; /* 'n' values for a map, else NULL. */
};

struct ovsdb_error {
    char *tag;     /* RFC 7047 error name, e.g. "constraint violation". */
    char *details; /* Human-readable explanation. */
};

struct ovsdb_error *ovsdb_error(const char *tag, const char *fmt, ...)
    VS_PRINTF_FORMAT(2, 3);
void ovsdb_error_destroy(struct ovsdb_error *);
/* {"error": tag, "details": details}. */
json_t *ovsdb_error_to_json(const struct ovsdb_error *);

/* UUIDs. */
void ovsdb_uuid_generate(struct ovsdb_uuid *);
bool ovsdb_uuid_from_string(struct ovsdb_uuid *, const char *);
/* Writes 36 characters plus NUL into 'buf'. */
void ovsdb_uuid_to_string(const struct ovsdb_uuid *, char buf[37]);
int ovsdb_uuid_compare(const struct ovsdb_uuid *, const struct ovsdb_uuid *);
static inline bool
ovsdb_uuid_equals(const struct ovsdb_uuid *a, const struct ovsdb_uuid *b)
{
    return !ovsdb_uuid_compare(a, b);
}
static inline size_t
ovsdb_uuid_hash(const struct ovsdb_uuid *u)
{
    return u->parts[0] ^ ((size_t) u->parts[1] << 16) ^ u->parts[2];
}
bool ovsdb_uuid_is_zero(const struct ovsdb_uuid *);

/* Resolves ["named-uuid", NAME] while parsing: returns true and sets
 * '*uuid' if NAME is known. */
typedef bool ovsdb_symbol_resolver(const char *name, struct ovsdb_uuid *uuid,
                                   void *aux);

/* Atoms. */
struct ovsdb_error *ovsdb_atom_from_json(union ovsdb_atom *,
                                         const struct ovsdb_base_type *,
                                         const json_t *,
                                         ovsdb_symbol_resolver *, void *aux);
json_t *ovsdb_atom_to_json(const union ovsdb_atom *, enum ovsdb_atomic_type);
void ovsdb_atom_clone(union ovsdb_atom *dst, const union ovsdb_atom *src,
                      enum ovsdb_atomic_type);
void ovsdb_atom_destroy(union ovsdb_atom *, enum ovsdb_atomic_type);
int ovsdb_atom_compare(const union ovsdb_atom *, const union ovsdb_atom *,
                       enum ovsdb_atomic_type);
size_t ovsdb_atom_hash(const union ovsdb_atom *, enum ovsdb_atomic_type,
                       size_t basis);
/* Checks enum/range/length constraints of 'base'. */
struct ovsdb_error *
ovsdb_atom_check_constraints(const union ovsdb_atom *,
                             const struct ovsdb_base_type *);
void ovsdb_atom_init_default(union ovsdb_atom *, enum ovsdb_atomic_type);

/* Datums. */
void ovsdb_datum_init_empty(struct ovsdb_datum *);
/* The default of 'type': empty, or one default atom if n_min is 1. */
void ovsdb_datum_init_default(struct ovsdb_datum *, const struct ovsdb_type *);
bool ovsdb_datum_is_default(const struct ovsdb_datum *,
                            const struct ovsdb_type *);
void ovsdb_datum_destroy(struct ovsdb_datum *, const struct ovsdb_type *);
void ovsdb_datum_clone(struct ovsdb_datum *dst, const struct ovsdb_datum *src,
                       const struct ovsdb_type *);
void ovsdb_datum_swap(struct ovsdb_datum *, struct ovsdb_datum *);

/* Parses 'json' as a value of 'type', checking element constraints and the
 * n_min/n_max bounds.  On error '*datum' is left empty. */
struct ovsdb_error *ovsdb_datum_from_json(struct ovsdb_datum *,
                                          const struct ovsdb_type *,
                                          const json_t *,
                                          ovsdb_symbol_resolver *, void *aux);
/* Like ovsdb_datum_from_json() without the n_min/n_max check (mutate
 * arguments, where-clause operands of includes/excludes). */
struct ovsdb_error *ovsdb_datum_from_json_unbounded(struct ovsdb_datum *,
                                                    const struct ovsdb_type *,
                                                    const json_t *,
                                                    ovsdb_symbol_resolver *,
                                                    void *aux);
json_t *ovsdb_datum_to_json(const struct ovsdb_datum *,
                            const struct ovsdb_type *);
int ovsdb_datum_compare(const struct ovsdb_datum *, const struct ovsdb_datum *,
                        const struct ovsdb_type *);
static inline bool
ovsdb_datum_equals(const struct ovsdb_datum *a, const struct ovsdb_datum *b,
                   const struct ovsdb_type *t)
{
    return !ovsdb_datum_compare(a, b, t);
}
size_t ovsdb_datum_hash(const struct ovsdb_datum *, const struct ovsdb_type *,
                        size_t basis);
/* Checks n_min/n_max and every atom's constraints. */
struct ovsdb_error *ovsdb_datum_check(const struct ovsdb_datum *,
                                      const struct ovsdb_type *);
/* Index of 'key' in 'datum', or -1. */
long ovsdb_datum_find_key(const struct ovsdb_datum *, const union ovsdb_atom *,
                          enum ovsdb_atomic_type);
/* Whether every element of 'a' is in 'b' (keys, and values for maps). */
bool ovsdb_datum_includes_all(const struct ovsdb_datum *a,
                              const struct ovsdb_datum *b,
                              const struct ovsdb_type *);
bool ovsdb_datum_excludes_all(const struct ovsdb_datum *a,
                              const struct ovsdb_datum *b,
                              const struct ovsdb_type *);
/* Adds the elements of 'b' whose keys are not in 'a' to 'a'. */
void ovsdb_datum_union(struct ovsdb_datum *a, const struct ovsdb_datum *b,
                       const struct ovsdb_type *);
/* Removes from 'a' the elements of 'b'; for a map 'b' may be a set of keys
 * ('b_type' says which). */
void ovsdb_datum_subtract(struct ovsdb_datum *a, const struct ovsdb_type *,
                          const struct ovsdb_datum *b,
                          const struct ovsdb_type *b_type);
/* Sorts and checks for duplicates. */
struct ovsdb_error *ovsdb_datum_sort(struct ovsdb_datum *,
                                     const struct ovsdb_type *);
/* The update2 "diff" from 'old' to 'new' (RFC 7047 extension used by
 * monitor_cond): for columns of at most one element (scalars and optional
 * scalars) the new value, for larger sets the symmetric
 * difference, for maps removed keys (with old values) plus added or
 * changed pairs. */
void ovsdb_datum_diff(struct ovsdb_datum *diff, const struct ovsdb_datum *old,
                      const struct ovsdb_datum *new_,
                      const struct ovsdb_type *);
/* Appends without keeping order; call ovsdb_datum_sort() afterwards. */
void ovsdb_datum_add_unsafe(struct ovsdb_datum *, const union ovsdb_atom *key,
                            const union ovsdb_atom *value,
                            const struct ovsdb_type *);
void ovsdb_datum_remove_at(struct ovsdb_datum *, unsigned int idx,
                           const struct ovsdb_type *);

#endif /* VSWITCH_OVSDB_DATA_H */
