/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_CTL_SYNTAX_H
#define VSWITCH_CTL_SYNTAX_H 1

/*
 * ctl-syntax: the text forms of OVSDB values that ovs-vsctl's command
 * language uses, and its table printer.  vswitch-ctl uses it; the unit
 * tests pin the forms down.
 *
 * Values as typed on a command line:
 *   - an atom is an integer, a real, "true"/"false", a uuid (or "@name",
 *     resolved by the caller), or a string — bare, or double-quoted with
 *     JSON escapes;
 *   - a whole column value ("datum") is a list of atoms separated by
 *     commas or white space, optionally in [...]; a map is a list of
 *     key=value pairs, optionally in {...}; integer sets accept ranges
 *     "A-B".  Bare tokens end at white space and at , = : [ ] { }.
 *   - a single map value (key:subkey=VALUE) is one atom: the whole text,
 *     unless it begins with a double quote.
 *
 * Values as printed ("string" data): a string is bare if it is an
 * identifier-like word (a letter or '_', then letters, digits, '_', '-',
 * '.'), not "true"/"false" and not a uuid; otherwise it is JSON-quoted.
 * A scalar prints as its atom, a set of at most one element likewise, a
 * larger set as "[a, b]", a map as "{k=v, k2=v2}".  "bare" data prints
 * elements separated by spaces with no quotes; "json" data is RFC 7047
 * JSON.
 *
 * Thread-safety: none needed; plain functions and caller-owned tables.
 */

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "vswitch/ds.h"
#include "vswitch/ovsdb-data.h"

/* Resolves "@name" (passed with the '@') to a uuid; returns false if it
 * cannot. */
typedef bool ctl_symbol_fn(const char *name, struct ovsdb_uuid *, void *aux);

/* Parses 's' as one atom of 'base'.  Returns NULL, or an error message
 * (caller frees) with '*atom' untouched. */
char *ctl_atom_from_string(union ovsdb_atom *atom,
                           const struct ovsdb_base_type *base, const char *s,
                           ctl_symbol_fn *, void *aux);
/* Parses 's' as a whole value of 'type'.  Returns NULL, or an error
 * message (caller frees) with '*datum' left empty. */
char *ctl_datum_from_string(struct ovsdb_datum *datum,
                            const struct ovsdb_type *type, const char *s,
                            ctl_symbol_fn *, void *aux);

bool ctl_string_needs_quotes(const char *);
void ctl_atom_to_string(const union ovsdb_atom *, enum ovsdb_atomic_type,
                        struct ds *);
void ctl_datum_to_string(const struct ovsdb_datum *, const struct ovsdb_type *,
                         struct ds *);
void ctl_datum_to_bare(const struct ovsdb_datum *, const struct ovsdb_type *,
                       struct ds *);

/* Output styles (--format, --data). */
enum ctl_format {
    CTL_FORMAT_TABLE,
    CTL_FORMAT_LIST,
    CTL_FORMAT_CSV,
    CTL_FORMAT_HTML,
    CTL_FORMAT_JSON,
};
enum ctl_data {
    CTL_DATA_STRING,
    CTL_DATA_BARE,
    CTL_DATA_JSON,
};
struct ctl_table_style {
    enum ctl_format format; /* Layout. */
    enum ctl_data data;     /* How cells are written (not for JSON). */
    bool headings;          /* Print column headings. */
    bool pretty;            /* JSON: indent. */
};

/* A table of values: headings and rows of cells. */
struct ctl_cell {
    struct ovsdb_datum datum;      /* Owned copy. */
    const struct ovsdb_type *type; /* Its type (borrowed). */
};
struct ctl_table {
    char **headings;        /* Column headings. */
    size_t n_columns;       /* Elements in 'headings'. */
    struct ctl_cell *cells; /* n_rows * n_columns cells, row-major. */
    size_t n_rows;          /* Rows. */
    size_t alloc_rows;      /* Allocated rows. */
};

void ctl_table_init(struct ctl_table *);
void ctl_table_destroy(struct ctl_table *);
void ctl_table_add_column(struct ctl_table *, const char *heading);
/* Appends a row; fill it with ctl_table_set(). */
void ctl_table_add_row(struct ctl_table *);
/* Sets column 'col' of the last row to a copy of 'datum'; 'type' must
 * outlive the table. */
void ctl_table_set(struct ctl_table *, size_t col,
                   const struct ovsdb_datum *datum,
                   const struct ovsdb_type *type);
void ctl_table_format(const struct ctl_table *, const struct ctl_table_style *,
                      struct ds *);

/* Writes 'json' indented as ovs-vsctl --pretty does. */
void ctl_json_pretty(const json_t *json, struct ds *);

#endif /* VSWITCH_CTL_SYNTAX_H */
