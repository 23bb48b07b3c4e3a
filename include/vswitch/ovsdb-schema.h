/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_OVSDB_SCHEMA_H
#define VSWITCH_OVSDB_SCHEMA_H 1

/*
 * ovsdb-schema: the type system and schemas of RFC 7047.
 *
 * A database schema names tables; a table names columns; a column has a
 * type.  A type is a key "base type", an optional value base type (then the
 * column is a map), and bounds 'min' (0 or 1) and 'max' (>= 1, or
 * UINT_MAX for "unlimited") on the number of elements.  A base type is one
 * of the five atomic types plus optional constraints: an enumeration, an
 * integer or real range, a string length range, or for uuids a reference
 * to another table (strong or weak).
 *
 * Every table implicitly has the columns "_uuid" and "_version" (uuid,
 * read-only); they are column indexes 0 and 1 of every table, so user
 * columns start at OVSDB_N_HIDDEN.
 *
 * Invariants after a successful ovsdb_schema_from_json(): every refTable
 * names a table of the same schema ('ref_table' points to it), every index
 * names existing columns, columns are numbered 0..n_columns-1.
 *
 * Thread-safety: a schema is immutable once parsed; share it freely.
 */

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "vswitch/hmap.h"

enum ovsdb_atomic_type {
    OVSDB_TYPE_VOID,    /* No value (the value type of a set). */
    OVSDB_TYPE_INTEGER, /* int64_t. */
    OVSDB_TYPE_REAL,    /* double. */
    OVSDB_TYPE_BOOLEAN, /* bool. */
    OVSDB_TYPE_STRING,  /* UTF-8 string. */
    OVSDB_TYPE_UUID,    /* 128-bit identifier. */
};

enum ovsdb_ref_type {
    OVSDB_REF_STRONG, /* Target may not be deleted while referenced. */
    OVSDB_REF_WEAK,   /* Reference disappears with its target. */
};

union ovsdb_atom;
struct ovsdb_datum;
struct ovsdb_table_schema;

struct ovsdb_base_type {
    enum ovsdb_atomic_type type;   /* The atomic type. */
    struct ovsdb_datum *enum_;     /* Allowed values, or NULL. */
    int64_t min_int, max_int;      /* Integer range (inclusive). */
    double min_real, max_real;     /* Real range (inclusive). */
    unsigned int min_len, max_len; /* String length range, in chars. */
    char *ref_table_name;          /* uuid: referenced table, or NULL. */
    struct ovsdb_table_schema *ref_table; /* Resolved 'ref_table_name'. */
    enum ovsdb_ref_type ref_type;         /* Strength of the reference. */
};

struct ovsdb_type {
    struct ovsdb_base_type key;   /* Type of keys (of the elements). */
    struct ovsdb_base_type value; /* Type of values; VOID for non-maps. */
    unsigned int n_min;           /* Fewest elements: 0 or 1. */
    unsigned int n_max;           /* Most elements; UINT_MAX: unlimited. */
};

#define OVSDB_UNLIMITED UINT32_MAX

struct ovsdb_column {
    char *name;             /* Column name. */
    unsigned int index;     /* Position in the table's 'columns'. */
    struct ovsdb_type type; /* Column type. */
    bool mutable_;          /* May be changed after insert. */
    bool ephemeral;         /* Not written to disk (we store it anyway). */
};

/* Hidden columns present in every table. */
enum { OVSDB_COL_UUID, OVSDB_COL_VERSION, OVSDB_N_HIDDEN };

struct ovsdb_table_schema {
    struct hmap_node node;         /* In ovsdb_schema's 'tables'. */
    char *name;                    /* Table name. */
    bool is_root;                  /* Rows survive without references. */
    unsigned int max_rows;         /* Row limit; UINT_MAX: none. */
    struct ovsdb_column **columns; /* All columns, by index. */
    unsigned int n_columns;        /* Elements in 'columns'. */
    unsigned int **indexes;        /* Each a list of column indexes... */
    unsigned int *index_sizes;     /* ...of this many columns. */
    unsigned int n_indexes;        /* Number of indexes. */
    unsigned int serial;           /* Position of the table in the schema. */
};

struct ovsdb_schema {
    char *name;            /* Database name. */
    char *version;         /* Schema version string, or NULL. */
    struct hmap tables;    /* ovsdb_table_schema, by hash of name. */
    unsigned int n_tables; /* Number of tables. */
    json_t *json; /* The schema as received, returned by get_schema. */
};

/* Parses 'json'.  Returns the schema, or NULL and '*errorp' set (caller
 * frees) on failure. */
struct ovsdb_schema *ovsdb_schema_from_json(const json_t *json, char **errorp);
void ovsdb_schema_destroy(struct ovsdb_schema *);
struct ovsdb_table_schema *ovsdb_schema_find_table(const struct ovsdb_schema *,
                                                   const char *name);
/* Case-sensitive column lookup, NULL if there is none. */
const struct ovsdb_column *
ovsdb_table_schema_find_column(const struct ovsdb_table_schema *,
                               const char *name);

/* Base and column type parsing (used for schemas and by tests). */
int ovsdb_base_type_from_json(struct ovsdb_base_type *, const json_t *,
                              char **errorp);
void ovsdb_base_type_destroy(struct ovsdb_base_type *);
int ovsdb_type_from_json(struct ovsdb_type *, const json_t *, char **errorp);
void ovsdb_type_destroy(struct ovsdb_type *);
static inline bool
ovsdb_type_is_map(const struct ovsdb_type *t)
{
    return t->value.type != OVSDB_TYPE_VOID;
}
static inline bool
ovsdb_type_is_scalar(const struct ovsdb_type *t)
{
    return t->n_min == 1 && t->n_max == 1 && !ovsdb_type_is_map(t);
}
const char *ovsdb_atomic_type_name(enum ovsdb_atomic_type);

#endif /* VSWITCH_OVSDB_SCHEMA_H */
