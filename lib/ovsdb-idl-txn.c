/* SPDX-License-Identifier: Apache-2.0 */
#include "vswitch/ovsdb-idl-txn.h"

#include <stdlib.h>
#include <string.h>
#include "vswitch/ds.h"
#include "vswitch/ovsdb-idl.h"
#include "vswitch/util.h"
#include "vswitch/vlog.h"

VLOG_DEFINE_THIS_MODULE(ovsdb_idl_txn);

enum txn_row_kind {
    TXN_ROW_INSERT, /* Inserted by this transaction. */
    TXN_ROW_UPDATE, /* Existing row, columns written. */
    TXN_ROW_DELETE, /* Existing row, deleted. */
};

struct txn_row {
    char *table;            /* Table name. */
    struct ovsdb_uuid uuid; /* Provisional (inserts) or real uuid. */
    enum txn_row_kind kind; /* What happens to it. */
    json_t *columns;        /* Column name -> value, for insert/update. */
    struct ovsdb_uuid real; /* Inserts: the server's uuid, after commit. */
};

struct txn_verify {
    char *table;            /* Table name. */
    struct ovsdb_uuid uuid; /* Row. */
    char *column;           /* Column name. */
    json_t *value;          /* Value the replica showed. */
};

struct ovsdb_idl_txn {
    struct ovsdb_idl *idl;             /* Owner of the replica. */
    struct txn_row *rows;              /* Inserted/updated/deleted rows. */
    size_t n_rows, alloc_rows;         /* Elements used and allocated. */
    struct txn_verify *verifies;       /* Waits. */
    size_t n_verifies, alloc_verifies; /* Elements used and allocated. */
    json_t *mutations;          /* {table, uuid, column, mutator, arg}. */
    char *inc_table;            /* Increment: table, or NULL. */
    struct ovsdb_uuid inc_uuid; /* Increment: row. */
    char *inc_column;           /* Increment: column. */
    int64_t inc_new_value;      /* Increment: result, or -1. */
    struct ds comment;          /* Comment text. */
    bool dry_run;               /* End with "abort". */
    enum ovsdb_idl_txn_status status; /* Result. */
    char *error;                      /* ERROR details. */
};

const char *
ovsdb_idl_txn_status_to_string(enum ovsdb_idl_txn_status s)
{
    switch (s) {
    case OVSDB_IDL_TXN_UNCOMMITTED:
        return "uncommitted";
    case OVSDB_IDL_TXN_UNCHANGED:
        return "unchanged";
    case OVSDB_IDL_TXN_SUCCESS:
        return "success";
    case OVSDB_IDL_TXN_TRY_AGAIN:
        return "try again";
    case OVSDB_IDL_TXN_NOT_LOCKED:
        return "not locked";
    case OVSDB_IDL_TXN_ERROR:
        return "error";
    }
    return "<unknown>";
}

struct ovsdb_idl_txn *
ovsdb_idl_txn_create(struct ovsdb_idl *idl)
{
    struct ovsdb_idl_txn *txn = xzalloc(sizeof *txn);

    txn->idl = idl;
    txn->mutations = json_array();
    txn->inc_new_value = -1;
    ds_init(&txn->comment);
    return txn;
}

void
ovsdb_idl_txn_destroy(struct ovsdb_idl_txn *txn)
{
    if (!txn) {
        return;
    }
    for (size_t i = 0; i < txn->n_rows; i++) {
        free(txn->rows[i].table);
        json_decref(txn->rows[i].columns);
    }
    free(txn->rows);
    for (size_t i = 0; i < txn->n_verifies; i++) {
        free(txn->verifies[i].table);
        free(txn->verifies[i].column);
        json_decref(txn->verifies[i].value);
    }
    free(txn->verifies);
    json_decref(txn->mutations);
    free(txn->inc_table);
    free(txn->inc_column);
    ds_destroy(&txn->comment);
    free(txn->error);
    free(txn);
}

void
ovsdb_idl_txn_add_comment(struct ovsdb_idl_txn *txn, const char *comment)
{
    if (txn->comment.length) {
        ds_put_char(&txn->comment, '\n');
    }
    ds_put_cstr(&txn->comment, comment);
}

void
ovsdb_idl_txn_set_dry_run(struct ovsdb_idl_txn *txn)
{
    txn->dry_run = true;
}

static json_t *
uuid_json(const struct ovsdb_uuid *uuid)
{
    char s[37];

    ovsdb_uuid_to_string(uuid, s);
    return json_pack("[s,s]", "uuid", s);
}

static struct txn_row *
find_txn_row(const struct ovsdb_idl_txn *txn, const char *table,
             const struct ovsdb_uuid *uuid)
{
    for (size_t i = 0; i < txn->n_rows; i++) {
        struct txn_row *r = &txn->rows[i];

        if (ovsdb_uuid_equals(&r->uuid, uuid) && !strcmp(r->table, table)) {
            return r;
        }
    }
    return NULL;
}

static struct txn_row *
add_txn_row(struct ovsdb_idl_txn *txn, const char *table,
            const struct ovsdb_uuid *uuid, enum txn_row_kind kind)
{
    struct txn_row *r;

    if (txn->n_rows == txn->alloc_rows) {
        txn->alloc_rows = txn->alloc_rows ? 2 * txn->alloc_rows : 8;
        txn->rows = xrealloc(txn->rows, txn->alloc_rows * sizeof *txn->rows);
    }
    r = &txn->rows[txn->n_rows++];
    memset(r, 0, sizeof *r);
    r->table = xstrdup(table);
    r->uuid = *uuid;
    r->kind = kind;
    r->columns = json_object();
    return r;
}

void
ovsdb_idl_txn_verify(struct ovsdb_idl_txn *txn,
                     const struct ovsdb_idl_row *row, const char *column)
{
    const struct ovsdb_type *type;
    const struct ovsdb_datum *d = ovsdb_idl_row_get(row, column, &type);
    struct txn_verify *v;
    const char *table = ovsdb_idl_row_table_name(row);

    if (!d) {
        return; /* Not monitored: nothing to compare against. */
    }
    for (size_t i = 0; i < txn->n_verifies; i++) {
        v = &txn->verifies[i];
        if (ovsdb_uuid_equals(&v->uuid, &row->uuid)
            && !strcmp(v->column, column) && !strcmp(v->table, table)) {
            return;
        }
    }
    if (txn->n_verifies == txn->alloc_verifies) {
        txn->alloc_verifies =
            txn->alloc_verifies ? 2 * txn->alloc_verifies : 8;
        txn->verifies = xrealloc(txn->verifies,
                                 txn->alloc_verifies * sizeof *txn->verifies);
    }
    v = &txn->verifies[txn->n_verifies++];
    v->table = xstrdup(table);
    v->uuid = row->uuid;
    v->column = xstrdup(column);
    v->value = ovsdb_datum_to_json(d, type);
}

void
ovsdb_idl_txn_insert(struct ovsdb_idl_txn *txn, const char *table,
                     struct ovsdb_uuid *uuid)
{
    if (ovsdb_uuid_is_zero(uuid)) {
        ovsdb_uuid_generate(uuid);
    }
    add_txn_row(txn, table, uuid, TXN_ROW_INSERT);
}

void
ovsdb_idl_txn_write(struct ovsdb_idl_txn *txn, const char *table,
                    const struct ovsdb_uuid *uuid, const char *column,
                    const struct ovsdb_datum *datum,
                    const struct ovsdb_type *type)
{
    struct txn_row *r = find_txn_row(txn, table, uuid);

    if (!r) {
        r = add_txn_row(txn, table, uuid, TXN_ROW_UPDATE);
    }
    if (r->kind == TXN_ROW_DELETE) {
        return;
    }
    json_object_set_new(r->columns, column, ovsdb_datum_to_json(datum, type));
}

void
ovsdb_idl_txn_delete(struct ovsdb_idl_txn *txn, const char *table,
                     const struct ovsdb_uuid *uuid)
{
    struct txn_row *r = find_txn_row(txn, table, uuid);

    if (!r) {
        add_txn_row(txn, table, uuid, TXN_ROW_DELETE);
    } else if (r->kind == TXN_ROW_INSERT) {
        /* Never sent: drop it (keep the slot, emptied, for simplicity). */
        r->kind = TXN_ROW_DELETE;
        r->table[0] = '\0';
    } else {
        r->kind = TXN_ROW_DELETE;
        json_object_clear(r->columns);
    }
}

void
ovsdb_idl_txn_mutate(struct ovsdb_idl_txn *txn, const char *table,
                     const struct ovsdb_uuid *uuid, const char *column,
                     const char *mutator, const struct ovsdb_datum *arg,
                     const struct ovsdb_type *type)
{
    struct ovsdb_type t = *type;

    /* A mutation argument is a set or map of any size. */
    t.n_min = 0;
    t.n_max = OVSDB_UNLIMITED;
    json_array_append_new(txn->mutations,
                          json_pack("{s:s,s:o,s:s,s:s,s:o}", "table", table,
                                    "uuid", uuid_json(uuid), "column", column,
                                    "mutator", mutator, "arg",
                                    ovsdb_datum_to_json(arg, &t)));
}

void
ovsdb_idl_txn_increment(struct ovsdb_idl_txn *txn,
                        const struct ovsdb_idl_row *row, const char *column)
{
    free(txn->inc_table);
    free(txn->inc_column);
    txn->inc_table = xstrdup(ovsdb_idl_row_table_name(row));
    txn->inc_uuid = row->uuid;
    txn->inc_column = xstrdup(column);
}

bool
ovsdb_idl_txn_is_empty(const struct ovsdb_idl_txn *txn)
{
    for (size_t i = 0; i < txn->n_rows; i++) {
        const struct txn_row *r = &txn->rows[i];

        if (r->table[0]
            && (r->kind != TXN_ROW_UPDATE || json_object_size(r->columns))) {
            return false;
        }
    }
    return !json_array_size(txn->mutations) && !txn->inc_table;
}

static void
row_name(const struct ovsdb_uuid *uuid, char name[41])
{
    char s[37];

    ovsdb_uuid_to_string(uuid, s);
    for (char *p = s; *p; p++) {
        if (*p == '-') {
            *p = '_';
        }
    }
    snprintf(name, 41, "row%s", s);
}

/* Whether 'uuid' is the provisional uuid of a row this transaction
 * inserts. */
static bool
is_inserted(const struct ovsdb_idl_txn *txn, const struct ovsdb_uuid *uuid)
{
    for (size_t i = 0; i < txn->n_rows; i++) {
        const struct txn_row *r = &txn->rows[i];

        if (r->kind == TXN_ROW_INSERT && ovsdb_uuid_equals(&r->uuid, uuid)) {
            return true;
        }
    }
    return false;
}

/* Replaces, in place, every ["uuid", U] of 'json' where U is inserted by
 * 'txn' with ["named-uuid", "rowU"]. */
static void
substitute_named(const struct ovsdb_idl_txn *txn, json_t *json)
{
    if (json_is_array(json)) {
        struct ovsdb_uuid u;

        if (json_array_size(json) == 2
            && json_is_string(json_array_get(json, 0))
            && !strcmp(json_string_value(json_array_get(json, 0)), "uuid")
            && json_is_string(json_array_get(json, 1))
            && ovsdb_uuid_from_string(
                &u, json_string_value(json_array_get(json, 1)))) {
            if (is_inserted(txn, &u)) {
                char name[41];

                row_name(&u, name);
                json_array_set_new(json, 0, json_string("named-uuid"));
                json_array_set_new(json, 1, json_string(name));
            }
            return;
        }
        for (size_t i = 0; i < json_array_size(json); i++) {
            substitute_named(txn, json_array_get(json, i));
        }
    } else if (json_is_object(json)) {
        const char *k;
        json_t *v;

        json_object_foreach (json, k, v) {
            substitute_named(txn, v);
        }
    }
}

static json_t *
where_uuid(const struct ovsdb_idl_txn *txn, const struct ovsdb_uuid *uuid)
{
    json_t *u = uuid_json(uuid);

    substitute_named(txn, u);
    return json_pack("[[s,s,o]]", "_uuid", "==", u);
}

/* Builds the params; the positions of the interesting results go to
 * '*first_insert' and '*select_idx' (-1 if none). */
static json_t *
build_params(const struct ovsdb_idl_txn *txn, size_t *first_insert,
             ssize_t *select_idx)
{
    const char *lock = ovsdb_idl_get_lock_name(txn->idl);
    json_t *ops = json_array();

    json_array_append_new(ops, json_string(ovsdb_idl_get_db(txn->idl)));
    if (lock) {
        json_array_append_new(
            ops, json_pack("{s:s,s:s}", "op", "assert", "lock", lock));
    }
    for (size_t i = 0; i < txn->n_verifies; i++) {
        const struct txn_verify *v = &txn->verifies[i];

        json_array_append_new(
            ops,
            json_pack("{s:s,s:s,s:o,s:[s],s:s,s:[{s:O}],s:i}", "op", "wait",
                      "table", v->table, "where", where_uuid(txn, &v->uuid),
                      "columns", v->column, "until", "==", "rows", v->column,
                      v->value, "timeout", 0));
    }
    *first_insert = json_array_size(ops) - 1; /* Results lack the db. */
    for (size_t i = 0; i < txn->n_rows; i++) {
        const struct txn_row *r = &txn->rows[i];
        char name[41];
        json_t *row;

        if (r->kind != TXN_ROW_INSERT) {
            continue;
        }
        row = json_deep_copy(r->columns);
        substitute_named(txn, row);
        row_name(&r->uuid, name);
        json_array_append_new(ops, json_pack("{s:s,s:s,s:o,s:s}", "op",
                                             "insert", "table", r->table,
                                             "row", row, "uuid-name", name));
    }
    for (size_t i = 0; i < txn->n_rows; i++) {
        const struct txn_row *r = &txn->rows[i];
        json_t *row;

        if (r->kind != TXN_ROW_UPDATE || !json_object_size(r->columns)) {
            continue;
        }
        row = json_deep_copy(r->columns);
        substitute_named(txn, row);
        json_array_append_new(
            ops,
            json_pack("{s:s,s:s,s:o,s:o}", "op", "update", "table", r->table,
                      "where", where_uuid(txn, &r->uuid), "row", row));
    }
    for (size_t i = 0; i < json_array_size(txn->mutations); i++) {
        const json_t *m = json_array_get(txn->mutations, i);
        struct ovsdb_uuid u;
        json_t *arg = json_deep_copy(json_object_get(m, "arg"));

        ovsdb_uuid_from_string(&u, json_string_value(json_array_get(
                                       json_object_get(m, "uuid"), 1)));
        substitute_named(txn, arg);
        json_array_append_new(
            ops, json_pack("{s:s,s:O,s:o,s:[[O,O,o]]}", "op", "mutate",
                           "table", json_object_get(m, "table"), "where",
                           where_uuid(txn, &u), "mutations",
                           json_object_get(m, "column"),
                           json_object_get(m, "mutator"), arg));
    }
    for (size_t i = 0; i < txn->n_rows; i++) {
        const struct txn_row *r = &txn->rows[i];

        if (r->kind != TXN_ROW_DELETE || !r->table[0]) {
            continue;
        }
        json_array_append_new(ops, json_pack("{s:s,s:s,s:o}", "op", "delete",
                                             "table", r->table, "where",
                                             where_uuid(txn, &r->uuid)));
    }
    *select_idx = -1;
    if (txn->inc_table) {
        json_array_append_new(
            ops,
            json_pack("{s:s,s:s,s:o,s:[[s,s,i]]}", "op", "mutate", "table",
                      txn->inc_table, "where", where_uuid(txn, &txn->inc_uuid),
                      "mutations", txn->inc_column, "+=", 1));
        *select_idx = json_array_size(ops) - 1;
        json_array_append_new(ops,
                              json_pack("{s:s,s:s,s:o,s:[s]}", "op", "select",
                                        "table", txn->inc_table, "where",
                                        where_uuid(txn, &txn->inc_uuid),
                                        "columns", txn->inc_column));
    }
    if (txn->comment.length) {
        json_array_append_new(ops,
                              json_pack("{s:s,s:s}", "op", "comment",
                                        "comment", ds_cstr(&txn->comment)));
    }
    if (txn->dry_run) {
        json_array_append_new(ops, json_pack("{s:s}", "op", "abort"));
    }
    return ops;
}

json_t *
ovsdb_idl_txn_to_json(const struct ovsdb_idl_txn *txn)
{
    size_t first_insert;
    ssize_t select_idx;

    return build_params(txn, &first_insert, &select_idx);
}

static enum ovsdb_idl_txn_status
set_error(struct ovsdb_idl_txn *txn, char *error)
{
    free(txn->error);
    txn->error = error;
    return txn->status = OVSDB_IDL_TXN_ERROR;
}

/* Interprets the reply 'msg' of the transaction. */
static enum ovsdb_idl_txn_status
process_reply(struct ovsdb_idl_txn *txn, const json_t *msg,
              size_t first_insert, ssize_t select_idx)
{
    const json_t *error = json_object_get(msg, "error");
    const json_t *result = json_object_get(msg, "result");
    size_t n_ops, ins;

    if (error && !json_is_null(error)) {
        char *s =
            json_dumps(error, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);

        set_error(txn, xasprintf("transaction error: %s", s));
        free(s);
        return txn->status;
    }
    if (!json_is_array(result)) {
        return set_error(txn, xstrdup("transaction error: bad reply"));
    }
    n_ops = json_array_size(result);
    for (size_t i = 0; i < n_ops; i++) {
        const json_t *r = json_array_get(result, i);
        const json_t *e = json_object_get(r, "error");
        const char *tag = json_string_value(e);

        if (!e) {
            continue;
        }
        if (tag && !strcmp(tag, "timed out")) {
            return txn->status = OVSDB_IDL_TXN_TRY_AGAIN;
        }
        if (tag && !strcmp(tag, "not owner")) {
            return txn->status = OVSDB_IDL_TXN_NOT_LOCKED;
        }
        if (txn->dry_run && tag && !strcmp(tag, "aborted")) {
            return txn->status = OVSDB_IDL_TXN_SUCCESS;
        }
        {
            char *s = json_dumps(r, JSON_COMPACT | JSON_SORT_KEYS);

            set_error(txn, xasprintf("transaction error: %s", s));
            free(s);
        }
        return txn->status;
    }
    ins = first_insert;
    for (size_t i = 0; i < txn->n_rows; i++) {
        struct txn_row *r = &txn->rows[i];
        const json_t *u;

        if (r->kind != TXN_ROW_INSERT) {
            continue;
        }
        u = json_object_get(json_array_get(result, ins++), "uuid");
        ovsdb_uuid_from_string(&r->real,
                               json_string_value(json_array_get(u, 1)));
    }
    if (select_idx >= 0) {
        const json_t *rows =
            json_object_get(json_array_get(result, select_idx), "rows");
        const json_t *v =
            json_object_get(json_array_get(rows, 0), txn->inc_column);

        txn->inc_new_value = json_is_integer(v) ? json_integer_value(v) : -1;
    }
    return txn->status = OVSDB_IDL_TXN_SUCCESS;
}

enum ovsdb_idl_txn_status
ovsdb_idl_txn_commit_block(struct ovsdb_idl_txn *txn, int timeout_ms)
{
    long long deadline =
        timeout_ms < 0 ? -1 : vs_time_msec() + (long long) timeout_ms;
    size_t first_insert;
    ssize_t select_idx;
    unsigned int conn;
    json_t *params, *id;

    if (txn->status != OVSDB_IDL_TXN_UNCOMMITTED) {
        return txn->status;
    }
    if (ovsdb_idl_txn_is_empty(txn)) {
        return txn->status = OVSDB_IDL_TXN_UNCHANGED;
    }
    if (ovsdb_idl_get_lock_name(txn->idl) && !ovsdb_idl_has_lock(txn->idl)) {
        return txn->status = OVSDB_IDL_TXN_NOT_LOCKED;
    }
    params = build_params(txn, &first_insert, &select_idx);
    conn = ovsdb_idl_get_conn_seqno(txn->idl);
    id = ovsdb_idl_send(txn->idl, "transact", params);
    if (!id) {
        return txn->status = OVSDB_IDL_TXN_TRY_AGAIN;
    }
    for (;;) {
        json_t *reply = ovsdb_idl_take_reply(txn->idl, id);
        long long now;

        if (reply) {
            process_reply(txn, reply, first_insert, select_idx);
            json_decref(reply);
            break;
        }
        if (ovsdb_idl_get_conn_seqno(txn->idl) != conn) {
            txn->status = OVSDB_IDL_TXN_TRY_AGAIN;
            break;
        }
        now = vs_time_msec();
        if (deadline >= 0 && now >= deadline) {
            set_error(txn, xstrdup("transaction timed out"));
            break;
        }
        ovsdb_idl_run_block(txn->idl,
                            deadline < 0 ? 1000 : (int) (deadline - now));
    }
    json_decref(id);
    return txn->status;
}

enum ovsdb_idl_txn_status
ovsdb_idl_txn_get_status(const struct ovsdb_idl_txn *txn)
{
    return txn->status;
}

const char *
ovsdb_idl_txn_get_error(const struct ovsdb_idl_txn *txn)
{
    return txn->error;
}

int64_t
ovsdb_idl_txn_get_increment_new_value(const struct ovsdb_idl_txn *txn)
{
    return txn->inc_new_value;
}

bool
ovsdb_idl_txn_get_insert_uuid(const struct ovsdb_idl_txn *txn,
                              const struct ovsdb_uuid *provisional,
                              struct ovsdb_uuid *real)
{
    for (size_t i = 0; i < txn->n_rows; i++) {
        const struct txn_row *r = &txn->rows[i];

        if (r->kind == TXN_ROW_INSERT
            && ovsdb_uuid_equals(&r->uuid, provisional)) {
            *real = r->real;
            return txn->status == OVSDB_IDL_TXN_SUCCESS;
        }
    }
    return false;
}
