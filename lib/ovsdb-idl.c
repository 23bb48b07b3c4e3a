/* SPDX-License-Identifier: Apache-2.0 */
#include "vswitch/ovsdb-idl.h"

#include <errno.h>
#include <poll.h>
#include <sys/epoll.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/coverage.h"
#include "vswitch/hash.h"
#include "vswitch/jsonrpc-session.h"
#include "vswitch/jsonrpc.h"
#include "vswitch/ovsdb-schema.h"
#include "vswitch/util.h"
#include "vswitch/vlog.h"

VLOG_DEFINE_THIS_MODULE(ovsdb_idl);
COVERAGE_DEFINE(ovsdb_idl_update);

#define OVSDB_DEFAULT_PORT 6640

enum idl_state {
    IDL_IDLE,              /* Not connected. */
    IDL_SCHEMA_REQUESTED,  /* get_schema sent. */
    IDL_MONITOR_REQUESTED, /* monitor_cond or monitor sent. */
    IDL_MONITORING,        /* Initial contents received. */
};

struct ovsdb_idl_table {
    struct hmap_node node; /* In idl->tables, by name. */
    char *name;            /* Table name. */
    char **want;           /* Requested columns, or NULL: all. */
    size_t n_want;         /* Elements in 'want'. */
    const struct ovsdb_table_schema *schema; /* Server's, once known. */
    const struct ovsdb_column **columns;     /* Monitored columns. */
    size_t n_columns;                        /* Elements in 'columns'. */
    struct hmap rows;                        /* Live rows, by uuid. */
    struct vs_list track;                    /* Changed rows. */
};

struct ovsdb_idl {
    char *db;                        /* Database name. */
    struct jsonrpc_session *session; /* Connection. */
    unsigned int session_seqno;      /* Session seqno last seen. */
    enum idl_state state;            /* Protocol state. */
    json_t *pending_id;              /* Id of the outstanding request. */
    bool use_monitor_cond;           /* Try monitor_cond first. */
    bool monitor_cond_active;        /* The monitor is monitor_cond. */
    int next_id;                     /* Request ids. */
    struct ovsdb_schema *schema;     /* Server's schema. */
    struct hmap tables;              /* ovsdb_idl_table, by name. */
    unsigned int change_seqno;       /* Bumped on every change. */
    char *last_error;                /* Last protocol error. */
    json_t *replies;   /* Replies to ovsdb_idl_send(), by id text. */
    char *lock_name;   /* Lock to own, or NULL. */
    json_t *lock_id;   /* Id of the outstanding lock request. */
    bool has_lock;     /* The server says we own 'lock_name'. */
    bool is_lost_lock; /* The lock was stolen from us. */
    bool monitor_all;  /* Monitor every table of the schema. */
};

static struct ovsdb_idl_table *
find_table(const struct ovsdb_idl *idl, const char *name)
{
    struct ovsdb_idl_table *t;

    HMAP_FOR_EACH_WITH_HASH (t, node, hash_string(name, 0), &idl->tables) {
        if (!strcmp(t->name, name)) {
            return t;
        }
    }
    return NULL;
}

struct ovsdb_idl *
ovsdb_idl_create(const char *remote, const char *db)
{
    struct jsonrpc_session *session;
    struct ovsdb_idl *idl;

    session =
        jsonrpc_session_open(remote, OVSDB_DEFAULT_PORT, 64 * 1024 * 1024);
    if (!session) {
        return NULL;
    }
    idl = xzalloc(sizeof *idl);
    idl->db = xstrdup(db);
    idl->session = session;
    idl->use_monitor_cond = true;
    idl->replies = json_object();
    hmap_init(&idl->tables);
    return idl;
}

static void
row_free(struct ovsdb_idl_row *row)
{
    const struct ovsdb_idl_table *t = row->table;

    for (size_t i = 0; i < t->n_columns; i++) {
        ovsdb_datum_destroy(&row->data[i], &t->columns[i]->type);
    }
    free(row->data);
    free(row);
}

/* Forgets 't''s changes, freeing the rows that were deleted. */
static void
table_clear_track(struct ovsdb_idl_table *t)
{
    struct ovsdb_idl_row *row;

    LIST_FOR_EACH_POP (row, track_node, &t->track) {
        if (row->change == OVSDB_IDL_DELETED) {
            row_free(row);
        } else {
            row->change = OVSDB_IDL_UNCHANGED;
        }
    }
}

static void
table_clear_rows(struct ovsdb_idl_table *t)
{
    struct ovsdb_idl_row *row;

    table_clear_track(t);
    HMAP_FOR_EACH_POP (row, node, &t->rows) {
        row_free(row);
    }
}

void
ovsdb_idl_destroy(struct ovsdb_idl *idl)
{
    struct ovsdb_idl_table *t;

    if (!idl) {
        return;
    }
    HMAP_FOR_EACH_POP (t, node, &idl->tables) {
        table_clear_rows(t);
        hmap_destroy(&t->rows);
        for (size_t i = 0; i < t->n_want; i++) {
            free(t->want[i]);
        }
        free(t->want);
        free(t->columns);
        free(t->name);
        free(t);
    }
    hmap_destroy(&idl->tables);
    jsonrpc_session_close(idl->session);
    ovsdb_schema_destroy(idl->schema);
    json_decref(idl->pending_id);
    json_decref(idl->replies);
    json_decref(idl->lock_id);
    free(idl->lock_name);
    free(idl->last_error);
    free(idl->db);
    free(idl);
}

void
ovsdb_idl_monitor(struct ovsdb_idl *idl, const char *table,
                  const char *const *columns)
{
    struct ovsdb_idl_table *t = find_table(idl, table);

    if (!t) {
        t = xzalloc(sizeof *t);
        t->name = xstrdup(table);
        hmap_init(&t->rows);
        vs_list_init(&t->track);
        hmap_insert(&idl->tables, &t->node, hash_string(table, 0));
    }
    for (size_t i = 0; i < t->n_want; i++) {
        free(t->want[i]);
    }
    free(t->want);
    t->want = NULL;
    t->n_want = 0;
    if (columns) {
        while (columns[t->n_want]) {
            t->n_want++;
        }
        t->want = xcalloc(t->n_want + 1, sizeof *t->want);
        for (size_t i = 0; i < t->n_want; i++) {
            t->want[i] = xstrdup(columns[i]);
        }
    }
}

static void
set_error(struct ovsdb_idl *idl, char *msg)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

    VLOG_WARN_RL(&rl, "%s: %s", jsonrpc_session_name(idl->session), msg);
    free(idl->last_error);
    idl->last_error = msg;
}

static void
send_request(struct ovsdb_idl *idl, const char *method, json_t *params)
{
    json_decref(idl->pending_id);
    idl->pending_id = json_integer(idl->next_id++);
    jsonrpc_session_send(
        idl->session,
        jsonrpc_request(method, params, json_incref(idl->pending_id)));
}

static void
send_lock_request(struct ovsdb_idl *idl)
{
    json_decref(idl->lock_id);
    idl->lock_id = json_integer(idl->next_id++);
    jsonrpc_session_send(
        idl->session, jsonrpc_request("lock", json_pack("[s]", idl->lock_name),
                                      json_incref(idl->lock_id)));
}

/* Resolves the monitored columns of every table against the (new) schema.
 * Rows survive when the columns are the same as before, so that rows that
 * do not come back after a reconnection can be reported deleted; if the
 * columns changed the replica starts over. */
static void
bind_schema(struct ovsdb_idl *idl)
{
    struct ovsdb_idl_table *t;

    if (idl->monitor_all) {
        const struct ovsdb_table_schema *ts;

        HMAP_FOR_EACH (ts, node, &idl->schema->tables) {
            if (!find_table(idl, ts->name)) {
                ovsdb_idl_monitor(idl, ts->name, NULL);
            }
        }
    }

    HMAP_FOR_EACH (t, node, &idl->tables) {
        const struct ovsdb_table_schema *ts;
        const struct ovsdb_column **cols;
        size_t n = 0;
        bool same;

        ts = ovsdb_schema_find_table(idl->schema, t->name);
        cols = xcalloc(ts ? ts->n_columns + 1 : 1, sizeof *cols);
        if (!ts) {
            VLOG_WARN("%s: database lacks table %s", idl->db, t->name);
        } else if (!t->want) {
            for (unsigned int i = 0; i < ts->n_columns; i++) {
                if (ts->columns[i]->name[0] != '_') {
                    cols[n++] = ts->columns[i];
                }
            }
        } else {
            for (size_t i = 0; i < t->n_want; i++) {
                const struct ovsdb_column *c;

                c = ovsdb_table_schema_find_column(ts, t->want[i]);
                if (c) {
                    cols[n++] = c;
                } else {
                    VLOG_WARN("%s table in %s database lacks %s column",
                              t->name, idl->db, t->want[i]);
                }
            }
        }
        same = t->schema && ts && n == t->n_columns;
        for (size_t i = 0; same && i < n; i++) {
            same = !strcmp(cols[i]->name, t->columns[i]->name);
        }
        if (!same) {
            table_clear_rows(t); /* Uses the old columns' types. */
        }
        free(t->columns);
        t->columns = cols;
        t->n_columns = n;
        t->schema = ts;
    }
}

static void
send_monitor(struct ovsdb_idl *idl)
{
    json_t *requests = json_object();
    struct ovsdb_idl_table *t;

    HMAP_FOR_EACH (t, node, &idl->tables) {
        json_t *cols;

        if (!t->schema) {
            continue;
        }
        cols = json_array();
        for (size_t i = 0; i < t->n_columns; i++) {
            json_array_append_new(cols, json_string(t->columns[i]->name));
        }
        json_object_set_new(requests, t->name,
                            json_pack("[{s:o}]", "columns", cols));
    }
    idl->monitor_cond_active = idl->use_monitor_cond;
    send_request(
        idl, idl->use_monitor_cond ? "monitor_cond" : "monitor",
        json_pack("[s,[s,s],o]", idl->db, "vswitch-idl", idl->db, requests));
    idl->state = IDL_MONITOR_REQUESTED;
}

static ssize_t
column_index(const struct ovsdb_idl_table *t, const char *name)
{
    for (size_t i = 0; i < t->n_columns; i++) {
        if (!strcmp(t->columns[i]->name, name)) {
            return i;
        }
    }
    return -1;
}

static void
track(struct ovsdb_idl *idl, struct ovsdb_idl_row *row,
      enum ovsdb_idl_change change)
{
    if (row->change == OVSDB_IDL_UNCHANGED) {
        vs_list_push_back(&row->table->track, &row->track_node);
        row->change = change;
    } else if (change == OVSDB_IDL_DELETED) {
        row->change = OVSDB_IDL_DELETED;
    } /* else INSERTED stays INSERTED, MODIFIED stays MODIFIED. */
    idl->change_seqno++;
}

static struct ovsdb_idl_row *
find_row(const struct ovsdb_idl_table *t, const struct ovsdb_uuid *uuid)
{
    struct ovsdb_idl_row *row;

    HMAP_FOR_EACH_WITH_HASH (row, node, ovsdb_uuid_hash(uuid), &t->rows) {
        if (ovsdb_uuid_equals(&row->uuid, uuid)) {
            return row;
        }
    }
    return NULL;
}

static struct ovsdb_idl_row *
insert_row(struct ovsdb_idl *idl, struct ovsdb_idl_table *t,
           const struct ovsdb_uuid *uuid)
{
    struct ovsdb_idl_row *row = xzalloc(sizeof *row);

    row->uuid = *uuid;
    row->table = t;
    row->data = xcalloc(t->n_columns + 1, sizeof *row->data);
    for (size_t i = 0; i < t->n_columns; i++) {
        ovsdb_datum_init_default(&row->data[i], &t->columns[i]->type);
    }
    hmap_insert(&t->rows, &row->node, ovsdb_uuid_hash(uuid));
    track(idl, row, OVSDB_IDL_INSERTED);
    return row;
}

/* Removes 'row' from the replica; it stays readable on the change list
 * until ovsdb_idl_track_clear(). */
static void
delete_row(struct ovsdb_idl *idl, struct ovsdb_idl_row *row)
{
    hmap_remove(&row->table->rows, &row->node);
    track(idl, row, OVSDB_IDL_DELETED);
}

/* Applies an update2 "diff" (see ovsdb_datum_diff()) to 'd'. */
static void
apply_diff(struct ovsdb_datum *d, const struct ovsdb_datum *diff,
           const struct ovsdb_type *type)
{
    bool is_map = type->value.type != OVSDB_TYPE_VOID;
    struct ovsdb_datum adds;

    /* Columns of at most one element (scalars and optional scalars, such
     * as Port.tag) carry the new value, as ovsdb-server sends it; larger
     * sets and maps carry the elements to toggle. */
    if (type->n_max == 1) {
        ovsdb_datum_destroy(d, type);
        ovsdb_datum_clone(d, diff, type);
        return;
    }
    ovsdb_datum_init_empty(&adds);
    for (unsigned int i = 0; i < diff->n; i++) {
        long idx = ovsdb_datum_find_key(d, &diff->keys[i], type->key.type);

        if (idx < 0) {
            ovsdb_datum_add_unsafe(&adds, &diff->keys[i],
                                   is_map ? &diff->values[i] : NULL, type);
        } else if (is_map
                   && ovsdb_atom_compare(&d->values[idx], &diff->values[i],
                                         type->value.type)) {
            ovsdb_atom_destroy(&d->values[idx], type->value.type);
            ovsdb_atom_clone(&d->values[idx], &diff->values[i],
                             type->value.type);
        } else {
            ovsdb_datum_remove_at(d, idx, type);
        }
    }
    if (adds.n) {
        struct ovsdb_error *e = ovsdb_datum_sort(&adds, type);

        ovsdb_error_destroy(e);
        ovsdb_datum_union(d, &adds, type);
    }
    ovsdb_datum_destroy(&adds, type);
}

/* Sets (or, with 'diff', patches) the columns of 'row' from the JSON
 * object 'columns'.  Returns whether anything changed. */
static bool
apply_columns(struct ovsdb_idl_table *t, struct ovsdb_idl_row *row,
              const json_t *columns, bool diff)
{
    const char *name;
    json_t *value;
    bool changed = false;

    json_object_foreach ((json_t *) columns, name, value) {
        ssize_t i = column_index(t, name);
        const struct ovsdb_type *type;
        struct ovsdb_datum datum;
        struct ovsdb_error *e;

        if (i < 0) {
            continue; /* Not ours (or _uuid/_version). */
        }
        type = &t->columns[i]->type;
        e = diff ? ovsdb_datum_from_json_unbounded(&datum, type, value, NULL,
                                                   NULL)
                 : ovsdb_datum_from_json(&datum, type, value, NULL, NULL);
        if (e) {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

            VLOG_WARN_RL(&rl, "%s.%s: bad value from server: %s", t->name,
                         name, e->details);
            ovsdb_error_destroy(e);
            continue;
        }
        if (diff) {
            apply_diff(&row->data[i], &datum, type);
            changed = true;
        } else if (!ovsdb_datum_equals(&row->data[i], &datum, type)) {
            ovsdb_datum_swap(&row->data[i], &datum);
            changed = true;
        }
        ovsdb_datum_destroy(&datum, type);
    }
    return changed;
}

/* Applies table-updates (update2 when 'v2') to the replica. */
static void
apply_updates(struct ovsdb_idl *idl, const json_t *updates, bool v2)
{
    const char *table_name;
    json_t *rows;

    COVERAGE_INC(ovsdb_idl_update);
    json_object_foreach ((json_t *) updates, table_name, rows) {
        struct ovsdb_idl_table *t = find_table(idl, table_name);
        const char *uuid_s;
        json_t *ru;

        if (!t || !t->schema || !json_is_object(rows)) {
            continue;
        }
        json_object_foreach (rows, uuid_s, ru) {
            struct ovsdb_uuid uuid;
            struct ovsdb_idl_row *row;
            json_t *new_, *old, *mod;

            if (!ovsdb_uuid_from_string(&uuid, uuid_s)
                || !json_is_object(ru)) {
                continue;
            }
            row = find_row(t, &uuid);
            if (v2) {
                new_ = json_object_get(ru, "initial");
                if (!new_) {
                    new_ = json_object_get(ru, "insert");
                }
                mod = json_object_get(ru, "modify");
                if (json_object_get(ru, "delete")) {
                    if (row) {
                        delete_row(idl, row);
                    }
                } else if (new_) {
                    if (!row) {
                        row = insert_row(idl, t, &uuid);
                    }
                    row->seen = true;
                    apply_columns(t, row, new_, false);
                } else if (mod && row) {
                    if (apply_columns(t, row, mod, true)) {
                        track(idl, row, OVSDB_IDL_MODIFIED);
                    }
                }
            } else {
                new_ = json_object_get(ru, "new");
                old = json_object_get(ru, "old");
                if (!new_) {
                    if (row) {
                        delete_row(idl, row);
                    }
                } else {
                    bool inserted = !row;

                    if (!row) {
                        row = insert_row(idl, t, &uuid);
                    }
                    row->seen = true;
                    if (apply_columns(t, row, new_, false) && !inserted
                        && old) {
                        track(idl, row, OVSDB_IDL_MODIFIED);
                    }
                }
            }
        }
    }
}

/* After the initial contents of a new connection: rows we had that did not
 * come back are gone. */
static void
drop_unseen(struct ovsdb_idl *idl)
{
    struct ovsdb_idl_table *t;

    HMAP_FOR_EACH (t, node, &idl->tables) {
        struct ovsdb_idl_row *row;

        HMAP_FOR_EACH_SAFE (row, node, &t->rows) {
            if (!row->seen) {
                delete_row(idl, row);
            } else {
                row->seen = false;
            }
        }
    }
}

static void
handle_reply(struct ovsdb_idl *idl, const json_t *msg)
{
    json_t *error = json_object_get(msg, "error");
    json_t *result = json_object_get(msg, "result");
    json_t *id = json_object_get(msg, "id");

    if (idl->lock_id && json_equal(id, idl->lock_id)) {
        json_decref(idl->lock_id);
        idl->lock_id = NULL;
        idl->has_lock = json_is_true(json_object_get(result, "locked"));
        idl->change_seqno++;
        return;
    }
    if (!idl->pending_id || !json_equal(id, idl->pending_id)) {
        if (json_is_integer(id)) {
            char key[32];

            snprintf(key, sizeof key, "%lld",
                     (long long) json_integer_value(id));
            json_object_set(idl->replies, key, (json_t *) msg);
        }
        return; /* An ovsdb_idl_send() reply, an echo reply, or stale. */
    }
    json_decref(idl->pending_id);
    idl->pending_id = NULL;

    if (idl->state == IDL_SCHEMA_REQUESTED) {
        char *err = NULL;
        struct ovsdb_schema *schema;

        if (error && !json_is_null(error)) {
            set_error(idl, xasprintf("get_schema %s failed", idl->db));
            return;
        }
        schema = ovsdb_schema_from_json(result, &err);
        if (!schema) {
            set_error(idl, xasprintf("bad schema: %s", err ? err : "?"));
            free(err);
            return;
        }
        {
            struct ovsdb_schema *old = idl->schema;

            idl->schema = schema;
            bind_schema(idl);
            ovsdb_schema_destroy(old); /* After the rows let go of it. */
        }
        send_monitor(idl);
    } else if (idl->state == IDL_MONITOR_REQUESTED) {
        if (error && !json_is_null(error)) {
            if (idl->use_monitor_cond) {
                /* An RFC 7047-only server: fall back. */
                VLOG_INFO("%s: monitor_cond refused; using monitor",
                          jsonrpc_session_name(idl->session));
                idl->use_monitor_cond = false;
                send_monitor(idl);
            } else {
                set_error(idl, xasprintf("monitor failed"));
            }
            return;
        }
        apply_updates(idl, result, idl->monitor_cond_active);
        drop_unseen(idl);
        idl->state = IDL_MONITORING;
        idl->change_seqno++;
    }
}

static void
handle_notification(struct ovsdb_idl *idl, const char *method,
                    const json_t *params)
{
    bool v2 = !strcmp(method, "update2");

    if ((v2 || !strcmp(method, "update")) && json_array_size(params) == 2
        && idl->state == IDL_MONITORING) {
        apply_updates(idl, json_array_get(params, 1), v2);
    } else if (idl->lock_name && json_array_size(params) == 1
               && json_is_string(json_array_get(params, 0))
               && !strcmp(json_string_value(json_array_get(params, 0)),
                          idl->lock_name)) {
        if (!strcmp(method, "locked")) {
            idl->has_lock = true;
            idl->is_lost_lock = false;
        } else if (!strcmp(method, "stolen")) {
            idl->has_lock = false;
            idl->is_lost_lock = true;
        }
        idl->change_seqno++;
    }
}

/* Starts over if the session connected or disconnected since we last
 * looked. */
static void
check_session(struct ovsdb_idl *idl)
{
    unsigned int seqno = jsonrpc_session_get_seqno(idl->session);

    if (seqno != idl->session_seqno) {
        idl->session_seqno = seqno;
        idl->state = IDL_IDLE;
        json_decref(idl->pending_id);
        idl->pending_id = NULL;
        json_object_clear(idl->replies);
        json_decref(idl->lock_id);
        idl->lock_id = NULL;
        idl->has_lock = false;
        if (jsonrpc_session_is_connected(idl->session)) {
            idl->use_monitor_cond = true;
            send_request(idl, "get_schema", json_pack("[s]", idl->db));
            idl->state = IDL_SCHEMA_REQUESTED;
            if (idl->lock_name) {
                send_lock_request(idl);
            }
        }
    }
}

void
ovsdb_idl_run(struct ovsdb_idl *idl)
{
    long long now = vs_time_msec();
    json_t *msg;

    jsonrpc_session_run(idl->session, now);
    check_session(idl);
    for (int i = 0; i < 100; i++) {
        const char *method;

        if (jsonrpc_session_recv(idl->session, now, &msg)) {
            break;
        }
        method = json_string_value(json_object_get(msg, "method"));
        if (method) {
            handle_notification(idl, method, json_object_get(msg, "params"));
        } else {
            handle_reply(idl, msg);
        }
        json_decref(msg);
    }
    jsonrpc_session_run(idl->session, now);
    /* A connection that completed just now: ask at once. */
    if (jsonrpc_session_get_seqno(idl->session) != idl->session_seqno) {
        check_session(idl);
        jsonrpc_session_run(idl->session, now);
    }
}

void
ovsdb_idl_run_block(struct ovsdb_idl *idl, int timeout_ms)
{
    long long now = vs_time_msec();
    long long t = jsonrpc_session_timeout(idl->session, now);
    int fd = jsonrpc_session_fd(idl->session);

    if (t < 0 || t > timeout_ms) {
        t = timeout_ms;
    }
    if (fd >= 0) {
        struct pollfd p = {.fd = fd, .events = POLLIN};

        if (jsonrpc_session_events(idl->session) & EPOLLOUT) {
            p.events |= POLLOUT;
        }
        poll(&p, 1, t);
    } else if (t > 0) {
        poll(NULL, 0, t);
    }
    ovsdb_idl_run(idl);
}

int
ovsdb_idl_wait_fd(const struct ovsdb_idl *idl, uint32_t *eventsp,
                  long long *timeoutp)
{
    long long t = jsonrpc_session_timeout(idl->session, vs_time_msec());
    int fd = jsonrpc_session_fd(idl->session);

    *eventsp = fd >= 0 ? jsonrpc_session_events(idl->session) | EPOLLIN : 0;
    *timeoutp = t;
    return fd;
}

bool
ovsdb_idl_is_synced(const struct ovsdb_idl *idl)
{
    return idl->state == IDL_MONITORING;
}

unsigned int
ovsdb_idl_get_seqno(const struct ovsdb_idl *idl)
{
    return idl->change_seqno;
}

const struct ovsdb_schema *
ovsdb_idl_get_schema(const struct ovsdb_idl *idl)
{
    return idl->schema;
}

const char *
ovsdb_idl_last_error(const struct ovsdb_idl *idl)
{
    return idl->last_error;
}

const char *
ovsdb_idl_monitor_method(const struct ovsdb_idl *idl)
{
    return idl->state != IDL_MONITORING ? NULL
           : idl->monitor_cond_active   ? "monitor_cond"
                                        : "monitor";
}

static const struct ovsdb_idl_row *
row_from_node(const struct hmap_node *node)
{
    return node ? CONTAINER_OF(node, struct ovsdb_idl_row, node) : NULL;
}

const struct ovsdb_idl_row *
ovsdb_idl_first_row(const struct ovsdb_idl *idl, const char *table)
{
    const struct ovsdb_idl_table *t = find_table(idl, table);

    return t ? row_from_node(hmap_first(&t->rows)) : NULL;
}

const struct ovsdb_idl_row *
ovsdb_idl_next_row(const struct ovsdb_idl_row *row)
{
    return row_from_node(hmap_next(&row->table->rows, &row->node));
}

const struct ovsdb_idl_row *
ovsdb_idl_get_row(const struct ovsdb_idl *idl, const char *table,
                  const struct ovsdb_uuid *uuid)
{
    const struct ovsdb_idl_table *t = find_table(idl, table);

    return t ? find_row(t, uuid) : NULL;
}

const struct ovsdb_datum *
ovsdb_idl_row_get(const struct ovsdb_idl_row *row, const char *column,
                  const struct ovsdb_type **typep)
{
    ssize_t i = column_index(row->table, column);

    if (i < 0) {
        return NULL;
    }
    if (typep) {
        *typep = &row->table->columns[i]->type;
    }
    return &row->data[i];
}

const struct ovsdb_idl_row *
ovsdb_idl_track_first(const struct ovsdb_idl *idl, const char *table)
{
    const struct ovsdb_idl_table *t = find_table(idl, table);

    if (!t || vs_list_is_empty(&t->track)) {
        return NULL;
    }
    return CONTAINER_OF(vs_list_front(&t->track), struct ovsdb_idl_row,
                        track_node);
}

const struct ovsdb_idl_row *
ovsdb_idl_track_next(const struct ovsdb_idl_row *row)
{
    if (row->track_node.next == &row->table->track) {
        return NULL;
    }
    return CONTAINER_OF(row->track_node.next, struct ovsdb_idl_row,
                        track_node);
}

void
ovsdb_idl_track_clear(struct ovsdb_idl *idl)
{
    struct ovsdb_idl_table *t;

    HMAP_FOR_EACH (t, node, &idl->tables) {
        table_clear_track(t);
    }
}

json_t *
ovsdb_idl_send(struct ovsdb_idl *idl, const char *method, json_t *params)
{
    json_t *id;

    if (!jsonrpc_session_is_connected(idl->session)) {
        json_decref(params);
        return NULL;
    }
    id = json_integer(idl->next_id++);
    if (jsonrpc_session_send(
            idl->session, jsonrpc_request(method, params, json_incref(id)))) {
        json_decref(id);
        return NULL;
    }
    return id;
}

json_t *
ovsdb_idl_take_reply(struct ovsdb_idl *idl, const json_t *id)
{
    char key[32];
    json_t *reply;

    snprintf(key, sizeof key, "%lld", (long long) json_integer_value(id));
    reply = json_object_get(idl->replies, key);
    if (reply) {
        json_incref(reply);
        json_object_del(idl->replies, key);
    }
    return reply;
}

unsigned int
ovsdb_idl_get_conn_seqno(const struct ovsdb_idl *idl)
{
    return idl->session_seqno;
}

bool
ovsdb_idl_is_connected(const struct ovsdb_idl *idl)
{
    return jsonrpc_session_is_connected(idl->session);
}

const char *
ovsdb_idl_get_db(const struct ovsdb_idl *idl)
{
    return idl->db;
}

void
ovsdb_idl_set_lock(struct ovsdb_idl *idl, const char *name)
{
    if (idl->lock_name && jsonrpc_session_is_connected(idl->session)) {
        json_t *id =
            ovsdb_idl_send(idl, "unlock", json_pack("[s]", idl->lock_name));

        json_decref(id);
    }
    free(idl->lock_name);
    idl->lock_name = name ? xstrdup(name) : NULL;
    idl->has_lock = false;
    idl->is_lost_lock = false;
    if (name && jsonrpc_session_is_connected(idl->session)) {
        send_lock_request(idl);
    }
}

const char *
ovsdb_idl_get_lock_name(const struct ovsdb_idl *idl)
{
    return idl->lock_name;
}

bool
ovsdb_idl_has_lock(const struct ovsdb_idl *idl)
{
    return idl->has_lock;
}

bool
ovsdb_idl_is_lock_contended(const struct ovsdb_idl *idl)
{
    return idl->lock_name && !idl->has_lock && !idl->lock_id;
}

const char *
ovsdb_idl_row_table_name(const struct ovsdb_idl_row *row)
{
    return row->table->name;
}

void
ovsdb_idl_monitor_all(struct ovsdb_idl *idl)
{
    idl->monitor_all = true;
}
