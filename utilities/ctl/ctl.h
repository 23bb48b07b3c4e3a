/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_CTL_H
#define VSWITCH_CTL_H 1

/*
 * Internal interfaces of vswitch-ctl (utilities/vswitch-ctl.c and
 * utilities/ctl/).
 *
 * Commands run against a working copy of the IDL replica: a 'struct wrow'
 * per row touched, holding (once written) a full copy of the row's
 * columns, which columns were written and which were read in a way that
 * must be verified at commit.  Rows inserted by the chain have no replica
 * row ('orig' NULL) and a provisional uuid.  The driver turns the working
 * copy into one transaction (utilities/vswitch-ctl.c: build_txn()).
 *
 * Errors: ctl_fatal() prints "PROGRAM: message" and exits 1; since nothing
 * is sent before every command has run, an error commits nothing.
 *
 * Thread-safety: single-threaded program.
 */

#include <stdbool.h>
#include <stddef.h>
#include "vswitch/ctl-syntax.h"
#include "vswitch/ds.h"
#include "vswitch/hash.h"
#include "vswitch/hmap.h"
#include "vswitch/ovsdb-data.h"
#include "vswitch/ovsdb-idl.h"
#include "vswitch/ovsdb-schema.h"
#include "vswitch/util.h"

extern const char *program_name;    /* argv[0]'s base name. */
extern char *opt_columns;           /* Global --columns, or NULL. */
extern struct ovsdb_type uuid_type; /* Type of _uuid. */

void ctl_fatal(const char *fmt, ...) VS_PRINTF_FORMAT(1, 2) VS_NO_RETURN;

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

/* ctl-rows.c */
const char *cmd_option(const struct ctl_command *cmd, const char *name);
bool cmd_has(const struct ctl_command *cmd, const char *name);
struct wrow *wrow_lookup(struct ctl_ctx *ctx, const struct ovsdb_uuid *uuid);
struct wrow *wrow_add(struct ctl_ctx *ctx, const struct ovsdb_table_schema *ts,
                      const struct ovsdb_uuid *uuid,
                      const struct ovsdb_idl_row *orig);
struct wrow *wrow_from_idl(struct ctl_ctx *ctx,
                           const struct ovsdb_table_schema *ts,
                           const struct ovsdb_idl_row *r);
struct wrow *wrow_get(struct ctl_ctx *ctx, const struct ovsdb_table_schema *ts,
                      const struct ovsdb_uuid *uuid);
struct wrow **wrow_all(struct ctl_ctx *ctx,
                       const struct ovsdb_table_schema *ts, size_t *n);
const struct ovsdb_column *column_of(const struct ovsdb_table_schema *ts,
                                     const char *name);
void wrow_materialize(struct wrow *w);
const struct ovsdb_datum *wrow_read(const struct wrow *w,
                                    const struct ovsdb_column *c,
                                    struct ovsdb_datum *tmp);
const struct ovsdb_datum *wrow_col(const struct wrow *w, const char *name);
void wrow_write(struct wrow *w, const struct ovsdb_column *c,
                struct ovsdb_datum *d);
void wrow_verify(struct wrow *w, const char *name);
struct wrow *wrow_insert(struct ctl_ctx *ctx,
                         const struct ovsdb_table_schema *ts,
                         const struct ovsdb_uuid *uuid);
const char *wrow_name(const struct wrow *w);
void wrow_set_uuid(struct wrow *w, const char *col,
                   const struct ovsdb_uuid *uuid, bool remove);
void wrow_set_atom(struct wrow *w, const char *col, const union ovsdb_atom *);
void wrow_set_string(struct wrow *w, const char *col, const char *s);
void wrow_set_int(struct wrow *w, const char *col, int64_t v);
void wrow_set_bool(struct wrow *w, const char *col, bool b);
void wrow_destroy(struct wrow *w);
const struct ovsdb_table_schema *table_of(const struct ctl_ctx *ctx,
                                          const char *name);
struct symbol *symbol_find(struct ctl_ctx *ctx, const char *name, bool create);
bool resolve_symbol(const char *name, struct ovsdb_uuid *uuid, void *ctx_);
int cmp_strp(const void *a, const void *b);
int name_match(const char *full, const char *abbr);
const struct ovsdb_table_schema *get_table(const struct ctl_ctx *ctx,
                                           const char *name);
const struct ovsdb_column *get_column(const struct ovsdb_table_schema *ts,
                                      const char *name);
struct wrow *get_row(struct ctl_ctx *ctx, const struct ovsdb_table_schema *ts,
                     const char *id, bool must);
void parse_column_key_value(const char *arg,
                            const struct ovsdb_table_schema *ts,
                            const struct ovsdb_column **colp, char **keyp,
                            const char *const *ops, const char **opp,
                            char **valuep);
void parse_datum(struct ctl_ctx *ctx, struct ovsdb_datum *d,
                 const struct ovsdb_type *type, const char *s);
void parse_atom(struct ctl_ctx *ctx, union ovsdb_atom *a,
                const struct ovsdb_base_type *base, const char *s);
void check_mutable(const struct wrow *w, const struct ovsdb_column *c);
void element_type(const struct ovsdb_type *t, struct ovsdb_type *key,
                  struct ovsdb_type *value);
void set_column(struct ctl_ctx *ctx, struct wrow *w, const char *arg);

/* ctl-db.c */
void cmd_get(struct ctl_ctx *ctx, struct ctl_command *cmd);
void cmd_list(struct ctl_ctx *ctx, struct ctl_command *cmd);
void cmd_find(struct ctl_ctx *ctx, struct ctl_command *cmd);
void cmd_set(struct ctl_ctx *ctx, struct ctl_command *cmd);
void cmd_add(struct ctl_ctx *ctx, struct ctl_command *cmd);
void cmd_remove(struct ctl_ctx *ctx, struct ctl_command *cmd);
void cmd_clear(struct ctl_ctx *ctx, struct ctl_command *cmd);
void cmd_create(struct ctl_ctx *ctx, struct ctl_command *cmd);
void cmd_destroy(struct ctl_ctx *ctx, struct ctl_command *cmd);
void cmd_wait_until(struct ctl_ctx *ctx, struct ctl_command *cmd);

/* ctl-switch.c */
void cmd_init(struct ctl_ctx *ctx, struct ctl_command *cmd);
void cmd_add_br(struct ctl_ctx *ctx, struct ctl_command *cmd);
void cmd_del_br(struct ctl_ctx *ctx, struct ctl_command *cmd);
void cmd_list_br(struct ctl_ctx *ctx, struct ctl_command *cmd);
void cmd_br_exists(struct ctl_ctx *ctx, struct ctl_command *cmd);
void cmd_list_ports(struct ctl_ctx *ctx, struct ctl_command *cmd);
void cmd_list_ifaces(struct ctl_ctx *ctx, struct ctl_command *cmd);
void cmd_add_port(struct ctl_ctx *ctx, struct ctl_command *cmd);
void cmd_add_bond(struct ctl_ctx *ctx, struct ctl_command *cmd);
void cmd_del_port(struct ctl_ctx *ctx, struct ctl_command *cmd);
void cmd_port_to_br(struct ctl_ctx *ctx, struct ctl_command *cmd);
void cmd_iface_to_br(struct ctl_ctx *ctx, struct ctl_command *cmd);
void cmd_br_to_vlan(struct ctl_ctx *ctx, struct ctl_command *cmd);
void cmd_br_to_parent(struct ctl_ctx *ctx, struct ctl_command *cmd);
void cmd_br_set_external_id(struct ctl_ctx *ctx, struct ctl_command *cmd);
void cmd_br_get_external_id(struct ctl_ctx *ctx, struct ctl_command *cmd);
void cmd_set_controller(struct ctl_ctx *ctx, struct ctl_command *cmd);
void cmd_get_controller(struct ctl_ctx *ctx, struct ctl_command *cmd);
void cmd_del_controller(struct ctl_ctx *ctx, struct ctl_command *cmd);
void cmd_set_fail_mode(struct ctl_ctx *ctx, struct ctl_command *cmd);
void cmd_get_fail_mode(struct ctl_ctx *ctx, struct ctl_command *cmd);
void cmd_del_fail_mode(struct ctl_ctx *ctx, struct ctl_command *cmd);
void cmd_set_manager(struct ctl_ctx *ctx, struct ctl_command *cmd);
void cmd_get_manager(struct ctl_ctx *ctx, struct ctl_command *cmd);
void cmd_del_manager(struct ctl_ctx *ctx, struct ctl_command *cmd);
void cmd_emer_reset(struct ctl_ctx *ctx, struct ctl_command *cmd);
void cmd_show(struct ctl_ctx *ctx, struct ctl_command *cmd);

#endif /* VSWITCH_CTL_H */
