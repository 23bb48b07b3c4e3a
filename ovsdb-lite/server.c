/* SPDX-License-Identifier: Apache-2.0 */
/* server: sessions, dispatch, group commit (see server.h). */
#include "server.h"
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "db.h"
#include "journal.h"
#include "monitor.h"
#include "transaction.h"
#include "vswitch/coverage.h"
#include "vswitch/ds.h"
#include "vswitch/evloop.h"
#include "vswitch/hash.h"
#include "vswitch/jsonrpc.h"
#include "vswitch/list.h"
#include "vswitch/unixctl.h"
#include "vswitch/util.h"
#include "vswitch/vlog.h"

VLOG_DEFINE_THIS_MODULE(ovsdb_server);
COVERAGE_DEFINE(server_request);
COVERAGE_DEFINE(server_disconnect);
COVERAGE_DEFINE(server_round);

#define SERVER_BURST 50

struct db_entry {
    struct ovsdb *db;              /* Database. */
    struct ovsdb_journal *journal; /* Its file. */
};

struct listener {
    struct server *srv;    /* Owner. */
    int fd;                /* Listening socket. */
    char *name;            /* "punix:..." or "ptcp:PORT:IP". */
    bool is_tcp;           /* Probe sessions accepted here. */
    struct evloop_fd *efd; /* Registration. */
};

struct lock {
    struct hmap_node node;  /* In server's 'locks'. */
    char *name;             /* Lock name. */
    struct vs_list waiters; /* struct lock_waiter; front = owner. */
};

struct lock_waiter {
    struct vs_list node;         /* In lock's 'waiters'. */
    struct vs_list session_node; /* In session's 'waiters'. */
    struct lock *lock;           /* The lock. */
    struct session *session;     /* Waiting or owning session. */
};

struct blocked_txn {
    struct vs_list node;        /* In server's 'blocked'. */
    struct session *session;    /* Requester. */
    json_t *request;            /* The "transact" request. */
    long long deadline;         /* Monotonic ms; LLONG_MAX: none. */
    struct evloop_timer *timer; /* Fires at 'deadline'. */
};

struct session {
    struct vs_list node;       /* In server's 'sessions'. */
    struct server *srv;        /* Owner. */
    struct jsonrpc_conn *conn; /* Connection. */
    struct evloop_fd *efd;     /* Registration. */
    uint32_t events;           /* Events currently watched. */
    bool probe;                /* Send inactivity probes (TCP). */
    bool probe_sent;           /* An echo probe is outstanding. */
    long long probe_sent_ms;   /* When it was sent (monotonic ms). */
    bool more_input;           /* Messages may be buffered unread. */
    bool dead;                 /* Closing; freed at the end of round. */
    struct vs_list monitors;   /* struct ovsdb_monitor. */
    struct vs_list waiters;    /* struct lock_waiter (session_node). */
    unsigned long long n_txns; /* Transactions requested. */
};

struct server {
    struct evloop *loop;                 /* Event loop. */
    struct server_options opts;          /* Limits. */
    struct db_entry *dbs;                /* Databases. */
    size_t n_dbs;                        /* Number of 'dbs'. */
    struct listener **listeners;         /* Listening sockets. */
    size_t n_listeners;                  /* Number of 'listeners'. */
    struct vs_list sessions;             /* struct session. */
    struct hmap locks;                   /* struct lock by name hash. */
    struct vs_list blocked;              /* struct blocked_txn. */
    bool round_posted;                   /* end_of_round() is scheduled. */
    bool retry_blocked;                  /* A commit happened: retry waits. */
    struct evloop_timer *probe_timer;    /* Inactivity probes. */
    unsigned long long n_commits;        /* Committed transactions. */
    unsigned long long n_sessions_total; /* Sessions accepted. */
};

static void end_of_round(void *srv_);
static void session_close(struct session *, const char *reason);
static void session_run(struct session *);

static void
schedule_round(struct server *srv)
{
    if (!srv->round_posted) {
        srv->round_posted = true;
        evloop_post(srv->loop, end_of_round, srv);
    }
}

static void
session_send(struct session *s, json_t *msg)
{
    if (s->dead) {
        json_decref(msg);
        return;
    }
    jsonrpc_conn_send(s->conn, msg);
    schedule_round(s->srv);
}

static struct db_entry *
find_db(struct server *srv, const json_t *name)
{
    if (!json_is_string(name)) {
        return NULL;
    }
    for (size_t i = 0; i < srv->n_dbs; i++) {
        if (!strcmp(srv->dbs[i].db->schema->name, json_string_value(name))) {
            return &srv->dbs[i];
        }
    }
    return NULL;
}

/* Locks. */

static struct lock *
lock_find(struct server *srv, const char *name, bool create)
{
    struct lock *l;

    HMAP_FOR_EACH_WITH_HASH (l, node, hash_string(name, 0), &srv->locks) {
        if (!strcmp(l->name, name)) {
            return l;
        }
    }
    if (!create) {
        return NULL;
    }
    l = xzalloc(sizeof *l);
    l->name = xstrdup(name);
    vs_list_init(&l->waiters);
    hmap_insert(&srv->locks, &l->node, hash_string(name, 0));
    return l;
}

static struct lock_waiter *
session_waiter(struct session *s, const char *name)
{
    struct lock_waiter *w;

    LIST_FOR_EACH (w, session_node, &s->waiters) {
        if (!strcmp(w->lock->name, name)) {
            return w;
        }
    }
    return NULL;
}

static bool
lock_owned_by(const struct lock *l, const struct session *s)
{
    const struct lock_waiter *owner;

    if (vs_list_is_empty(&l->waiters)) {
        return false;
    }
    owner = CONTAINER_OF(l->waiters.next, struct lock_waiter, node);
    return owner->session == s;
}

static bool
session_owns_lock(const char *name, void *s_)
{
    struct session *s = s_;
    struct lock *l = lock_find(s->srv, name, false);

    return l && lock_owned_by(l, s);
}

static void
waiter_remove(struct lock_waiter *w)
{
    struct lock *l = w->lock;
    bool was_owner = lock_owned_by(l, w->session);
    struct server *srv = w->session->srv;

    vs_list_remove(&w->node);
    vs_list_remove(&w->session_node);
    free(w);
    if (was_owner && !vs_list_is_empty(&l->waiters)) {
        struct lock_waiter *next =
            CONTAINER_OF(l->waiters.next, struct lock_waiter, node);
        session_send(next->session,
                     jsonrpc_notify("locked", json_pack("[s]", l->name)));
    }
    if (vs_list_is_empty(&l->waiters)) {
        hmap_remove(&srv->locks, &l->node);
        free(l->name);
        free(l);
    }
}

static json_t *
do_lock(struct session *s, const char *method, const json_t *params,
        json_t **errorp)
{
    const json_t *name = json_array_get(params, 0);
    struct lock_waiter *w;
    struct lock *l;

    if (!json_is_string(name) || json_array_size(params) != 1) {
        *errorp = json_string("invalid lock name");
        return NULL;
    }
    w = session_waiter(s, json_string_value(name));
    if (!strcmp(method, "unlock")) {
        if (!w) {
            *errorp = json_string("not locking");
            return NULL;
        }
        waiter_remove(w);
        return json_object();
    }
    if (w && !strcmp(method, "lock")) {
        *errorp = json_string("duplicate lock");
        return NULL;
    }
    l = lock_find(s->srv, json_string_value(name), true);
    if (!strcmp(method, "steal")) {
        if (w) {
            vs_list_remove(&w->node);
        } else {
            w = xzalloc(sizeof *w);
            w->lock = l;
            w->session = s;
            vs_list_push_back(&s->waiters, &w->session_node);
        }
        if (!vs_list_is_empty(&l->waiters)) {
            struct lock_waiter *old =
                CONTAINER_OF(l->waiters.next, struct lock_waiter, node);
            if (old->session != s) {
                session_send(
                    old->session,
                    jsonrpc_notify("stolen", json_pack("[s]", l->name)));
                /* The victim stops owning but keeps waiting behind us. */
            }
        }
        vs_list_push_front(&l->waiters, &w->node);
        return json_pack("{s:b}", "locked", 1);
    }
    w = xzalloc(sizeof *w);
    w->lock = l;
    w->session = s;
    vs_list_push_back(&s->waiters, &w->session_node);
    vs_list_push_back(&l->waiters, &w->node);
    return json_pack("{s:b}", "locked", lock_owned_by(l, s));
}

/* Transactions. */

static void
commit_txn(struct server *srv, struct db_entry *dbe,
           struct ovsdb_exec_result *r)
{
    struct ovsdb_txn *txn = r->txn;
    json_t *rec = ovsdb_txn_to_json(txn);
    struct session *s;
    int error;

    json_object_set_new(rec, "_date", json_integer(vs_time_wall_msec()));
    error = ovsdb_journal_append(dbe->journal, rec);
    json_decref(rec);
    if (error) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 10);

        VLOG_ERR_RL(&rl, "%s: cannot write transaction: %s",
                    dbe->journal->path, vs_strerror(error));
        ovsdb_txn_destroy(txn);
        json_array_append_new(r->result,
                              json_pack("{s:s,s:s}", "error", "I/O error",
                                        "details", vs_strerror(error)));
        return;
    }
    ovsdb_txn_apply(txn);
    srv->n_commits++;
    srv->retry_blocked = true;
    LIST_FOR_EACH (s, node, &srv->sessions) {
        struct ovsdb_monitor *m;

        if (s->dead) {
            continue;
        }
        LIST_FOR_EACH (m, node, &s->monitors) {
            json_t *changes = ovsdb_monitor_changes(m, txn);

            if (changes) {
                session_send(
                    s, jsonrpc_notify(m->version == 1 ? "update" : "update2",
                                      json_pack("[Oo]", m->id, changes)));
            }
        }
    }
    ovsdb_txn_release(txn);
}

static void blocked_timeout(void *b_);

/* Executes 'request' (a transact) for 's'.  Returns false if it blocked
 * in a "wait" (then it has been parked, unless 'retry'). */
static bool
run_transact(struct session *s, const json_t *request, bool deadline_passed,
             struct blocked_txn *retry)
{
    const json_t *params = json_object_get(request, "params");
    const json_t *id = json_object_get(request, "id");
    struct ovsdb_exec_hooks hooks = {session_owns_lock, s};
    struct ovsdb_exec_result r;
    struct db_entry *dbe = find_db(s->srv, json_array_get(params, 0));

    if (!dbe) {
        session_send(s, jsonrpc_error_reply(id, json_string("unknown "
                                                            "database")));
        return true;
    }
    ovsdb_execute(dbe->db, params, 1, &hooks, deadline_passed, &r);
    if (!r.result) {
        if (!retry) {
            struct blocked_txn *b = xzalloc(sizeof *b);

            b->session = s;
            b->request = json_incref((json_t *) request);
            b->deadline = r.wait_ms == LLONG_MAX ? LLONG_MAX
                                                 : vs_time_msec() + r.wait_ms;
            if (b->deadline != LLONG_MAX) {
                b->timer = evloop_add_timer(s->srv->loop, r.wait_ms, 0,
                                            blocked_timeout, b);
            }
            vs_list_push_back(&s->srv->blocked, &b->node);
        }
        return false;
    }
    if (r.txn) {
        commit_txn(s->srv, dbe, &r);
    }
    session_send(s, jsonrpc_reply(id, r.result));
    return true;
}

static void
blocked_destroy(struct blocked_txn *b)
{
    vs_list_remove(&b->node);
    if (b->timer) {
        evloop_cancel_timer(b->timer);
    }
    json_decref(b->request);
    free(b);
}

static void
blocked_timeout(void *b_)
{
    struct blocked_txn *b = b_;

    b->timer = NULL; /* One-shot timers are released after firing. */
    run_transact(b->session, b->request, true, b);
    blocked_destroy(b);
}

static void
retry_blocked(struct server *srv)
{
    struct blocked_txn *b, *next;

    while (srv->retry_blocked) {
        srv->retry_blocked = false;
        LIST_FOR_EACH_SAFE (b, next, node, &srv->blocked) {
            if (run_transact(b->session, b->request, false, b)) {
                blocked_destroy(b);
            }
        }
    }
}

/* Dispatch. */

static json_t *
do_monitor(struct session *s, const char *method, const json_t *params,
           json_t **errorp)
{
    struct ovsdb_monitor *m, *old;
    struct ovsdb_error *e;
    struct db_entry *dbe = find_db(s->srv, json_array_get(params, 0));
    json_t *initial;

    if (json_array_size(params) != 3) {
        *errorp = json_string("monitor needs [db, id, requests]");
        return NULL;
    }
    if (!dbe) {
        *errorp = json_string("unknown database");
        return NULL;
    }
    LIST_FOR_EACH (old, node, &s->monitors) {
        if (json_equal(old->id, json_array_get(params, 1))) {
            *errorp = json_string("duplicate monitor ID");
            return NULL;
        }
    }
    e = ovsdb_monitor_create(dbe->db, json_array_get(params, 1),
                             json_array_get(params, 2),
                             strcmp(method, "monitor") ? 2 : 1, &m, &initial);
    if (e) {
        *errorp = ovsdb_error_to_json(e);
        ovsdb_error_destroy(e);
        return NULL;
    }
    vs_list_push_back(&s->monitors, &m->node);
    return initial;
}

static json_t *
do_monitor_cancel(struct session *s, const json_t *params, json_t **errorp)
{
    struct ovsdb_monitor *m;

    LIST_FOR_EACH (m, node, &s->monitors) {
        if (json_equal(m->id, json_array_get(params, 0))) {
            vs_list_remove(&m->node);
            ovsdb_monitor_destroy(m);
            return json_object();
        }
    }
    *errorp = json_string("unknown monitor");
    return NULL;
}

static void
do_cancel(struct session *s, const json_t *params)
{
    struct blocked_txn *b, *next;

    LIST_FOR_EACH_SAFE (b, next, node, &s->srv->blocked) {
        if (b->session == s
            && json_equal(json_object_get(b->request, "id"),
                          json_array_get(params, 0))) {
            session_send(s,
                         jsonrpc_error_reply(json_object_get(b->request, "id"),
                                             json_string("canceled")));
            blocked_destroy(b);
        }
    }
}

static void
handle_request(struct session *s, json_t *msg)
{
    const json_t *method_j = json_object_get(msg, "method");
    const json_t *params = json_object_get(msg, "params");
    const json_t *id = json_object_get(msg, "id");
    json_t *result = NULL, *error = NULL;
    const char *method;

    COVERAGE_INC(server_request);
    if (!json_is_array(params)) {
        session_send(s, jsonrpc_error_reply(id, json_string("params must be "
                                                            "an array")));
        return;
    }
    method = json_string_value(method_j);
    if (!strcmp(method, "echo")) {
        result = json_incref((json_t *) params);
    } else if (!strcmp(method, "list_dbs")) {
        result = json_array();
        for (size_t i = 0; i < s->srv->n_dbs; i++) {
            json_array_append_new(
                result, json_string(s->srv->dbs[i].db->schema->name));
        }
    } else if (!strcmp(method, "get_schema")) {
        struct db_entry *dbe = find_db(s->srv, json_array_get(params, 0));

        if (dbe) {
            result = json_incref(dbe->db->schema->json);
        } else {
            error = json_string("unknown database");
        }
    } else if (!strcmp(method, "transact")) {
        s->n_txns++;
        run_transact(s, msg, false, NULL);
        return;
    } else if (!strcmp(method, "cancel")) {
        do_cancel(s, params);
        return;
    } else if (!strcmp(method, "monitor") || !strcmp(method, "monitor_cond")) {
        result = do_monitor(s, method, params, &error);
    } else if (!strcmp(method, "monitor_cancel")) {
        result = do_monitor_cancel(s, params, &error);
    } else if (!strcmp(method, "lock") || !strcmp(method, "steal")
               || !strcmp(method, "unlock")) {
        result = do_lock(s, method, params, &error);
    } else {
        error = json_string("unknown method");
    }
    if (json_is_null(id) || !id) {
        json_decref(result);
        json_decref(error);
        return; /* A notification: no reply. */
    }
    session_send(s, error ? jsonrpc_error_reply(id, error)
                          : jsonrpc_reply(id, result));
}

static void
handle_message(struct session *s, json_t *msg)
{
    const json_t *method = json_object_get(msg, "method");

    if (!json_is_object(msg)) {
        session_send(
            s, jsonrpc_error_reply(json_null(), json_string("message must be "
                                                            "an object")));
    } else if (json_is_string(method)) {
        handle_request(s, msg);
    } else if (json_object_get(msg, "result")
               || json_object_get(msg, "error")) {
        /* A reply: only to our echo probes. */
        s->probe_sent = false;
    } else {
        session_send(s, jsonrpc_error_reply(json_object_get(msg, "id"),
                                            json_string("invalid JSON-RPC "
                                                        "message")));
    }
}

/* Sessions. */

static void
session_update_events(struct session *s)
{
    uint32_t events = 0;

    if (jsonrpc_conn_backlog(s->conn) < s->srv->opts.max_backlog) {
        events |= EPOLLIN;
    }
    if (jsonrpc_conn_backlog(s->conn)) {
        events |= EPOLLOUT;
    }
    if (events != s->events) {
        evloop_mod_fd(s->efd, events);
        s->events = events;
    }
}

static void
session_cb(int fd, uint32_t events, void *s_)
{
    struct session *s = s_;

    if (s->dead) {
        return;
    }
    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
        s->more_input = true;
        session_run(s);
    }
    if (events & EPOLLOUT) {
        schedule_round(s->srv);
    }
}

/* Handles up to SERVER_BURST buffered or readable messages. */
static void
session_run(struct session *s)
{
    for (int i = 0; i < SERVER_BURST && !s->dead; i++) {
        json_t *msg;
        int error;

        if (jsonrpc_conn_backlog(s->conn) >= s->srv->opts.max_backlog) {
            return; /* Slow reader: resumed once its output drains. */
        }
        error = jsonrpc_conn_recv(s->conn, &msg);
        if (error == EAGAIN) {
            s->more_input = false;
            return;
        } else if (error) {
            session_close(
                s, error == EOF ? NULL : jsonrpc_conn_error_string(s->conn));
            return;
        }
        handle_message(s, msg);
        json_decref(msg);
    }
    if (!s->dead) {
        schedule_round(s->srv); /* More may be buffered: next round. */
    }
}

static void
session_close(struct session *s, const char *reason)
{
    struct ovsdb_monitor *m;
    struct lock_waiter *w;
    struct blocked_txn *b, *next;

    if (s->dead) {
        return;
    }
    COVERAGE_INC(server_disconnect);
    if (reason) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(10, 20);
        VLOG_WARN_RL(&rl, "%s: disconnecting: %s", s->conn->name, reason);
    } else {
        VLOG_DBG("%s: connection closed", s->conn->name);
    }
    s->dead = true;
    LIST_FOR_EACH_POP (m, node, &s->monitors) {
        ovsdb_monitor_destroy(m);
    }
    while (!vs_list_is_empty(&s->waiters)) {
        w = CONTAINER_OF(s->waiters.next, struct lock_waiter, session_node);
        waiter_remove(w);
    }
    LIST_FOR_EACH_SAFE (b, next, node, &s->srv->blocked) {
        if (b->session == s) {
            blocked_destroy(b);
        }
    }
    evloop_del_fd(s->efd);
    s->efd = NULL;
    schedule_round(s->srv); /* Frees it. */
}

static void
session_free(struct session *s)
{
    vs_list_remove(&s->node);
    jsonrpc_conn_destroy(s->conn);
    free(s);
}

static void
listener_cb(int fd, uint32_t events, void *l_)
{
    struct listener *l = l_;
    struct server *srv = l->srv;

    for (int i = 0; i < 16; i++) {
        int cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        struct session *s;
        char *name;

        if (cfd < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
                VLOG_WARN_RL(&rl, "%s: accept failed: %s", l->name,
                             vs_strerror(errno));
            }
            return;
        }
        srv->n_sessions_total++;
        name = xasprintf("%s#%llu", l->name, srv->n_sessions_total);
        s = xzalloc(sizeof *s);
        s->srv = srv;
        s->conn = jsonrpc_conn_create(cfd, name, srv->opts.max_msg_size);
        free(name);
        s->probe = l->is_tcp && srv->opts.probe_ms > 0;
        vs_list_init(&s->monitors);
        vs_list_init(&s->waiters);
        s->events = EPOLLIN;
        s->efd = evloop_add_fd(srv->loop, cfd, EPOLLIN, session_cb, s);
        vs_list_push_back(&srv->sessions, &s->node);
    }
}

static void
probe_cb(void *srv_)
{
    struct server *srv = srv_;
    long long now = vs_time_msec();
    struct session *s;

    LIST_FOR_EACH (s, node, &srv->sessions) {
        long long idle = now - s->conn->last_rx_ms;

        if (!s->probe || s->dead) {
            continue;
        }
        if (s->probe_sent && s->probe_sent_ms >= s->conn->last_rx_ms
            && now - s->probe_sent_ms >= srv->opts.probe_ms) {
            session_close(s, "no response to inactivity probe");
        } else if (idle >= srv->opts.probe_ms && !s->probe_sent) {
            s->probe_sent = true;
            s->probe_sent_ms = now;
            session_send(
                s, jsonrpc_request("echo", json_array(), json_string("echo")));
        }
    }
}

/* The end of an event-loop round: handle buffered input, make the round's
 * commits durable, then release output. */
static void
end_of_round(void *srv_)
{
    struct server *srv = srv_;
    struct session *s, *next;

    srv->round_posted = false;
    COVERAGE_INC(server_round);
    LIST_FOR_EACH_SAFE (s, next, node, &srv->sessions) {
        if (s->more_input && !s->dead) {
            session_run(s);
        }
    }
    retry_blocked(srv);
    for (size_t i = 0; i < srv->n_dbs; i++) {
        struct ovsdb_journal *j = srv->dbs[i].journal;
        int error = ovsdb_journal_sync(j);

        if (error) {
            /* We cannot tell what reached the disk: stop rather than
             * acknowledge possibly lost transactions. */
            VLOG_FATAL("%s: fsync failed: %s", j->path, vs_strerror(error));
        }
        if (ovsdb_journal_wants_compaction(j)) {
            ovsdb_journal_compact(j, srv->dbs[i].db);
        }
    }
    LIST_FOR_EACH_SAFE (s, next, node, &srv->sessions) {
        if (s->dead) {
            session_free(s);
            continue;
        }
        int error = jsonrpc_conn_flush(s->conn);
        if (error && error != EAGAIN) {
            session_close(s, jsonrpc_conn_error_string(s->conn));
            continue;
        }
        if (jsonrpc_conn_backlog(s->conn) > 4 * srv->opts.max_backlog) {
            session_close(s, "too much unsent output (client not reading)");
            continue;
        }
        session_update_events(s);
        if (s->more_input
            && jsonrpc_conn_backlog(s->conn) < srv->opts.max_backlog) {
            schedule_round(srv); /* Buffered requests remain. */
        }
    }
}

/* Set-up. */

struct server *
server_create(struct evloop *loop, const struct server_options *opts)
{
    struct server *srv = xzalloc(sizeof *srv);

    srv->loop = loop;
    srv->opts = *opts;
    vs_list_init(&srv->sessions);
    vs_list_init(&srv->blocked);
    hmap_init(&srv->locks);
    if (opts->probe_ms > 0) {
        long long period = VS_MAX(50, VS_MIN(1000, opts->probe_ms / 4));

        srv->probe_timer =
            evloop_add_timer(loop, period, period, probe_cb, srv);
    }
    return srv;
}

void
server_destroy(struct server *srv)
{
    struct session *s, *next;

    if (!srv) {
        return;
    }
    LIST_FOR_EACH_SAFE (s, next, node, &srv->sessions) {
        session_close(s, NULL);
        jsonrpc_conn_flush(s->conn);
        session_free(s);
    }
    for (size_t i = 0; i < srv->n_listeners; i++) {
        struct listener *l = srv->listeners[i];

        evloop_del_fd(l->efd);
        close(l->fd);
        if (!strncmp(l->name, "punix:", 6)) {
            unlink(l->name + 6);
        }
        free(l->name);
        free(l);
    }
    free(srv->listeners);
    for (size_t i = 0; i < srv->n_dbs; i++) {
        ovsdb_journal_close(srv->dbs[i].journal);
        ovsdb_destroy(srv->dbs[i].db);
    }
    free(srv->dbs);
    if (srv->probe_timer) {
        evloop_cancel_timer(srv->probe_timer);
    }
    hmap_destroy(&srv->locks);
    free(srv);
}

int
server_add_db(struct server *srv, const char *path)
{
    struct ovsdb_journal *j;
    struct ovsdb *db;
    char *err;
    int error = ovsdb_journal_open(path, &db, &j, &err);

    if (error) {
        VLOG_ERR("%s", err);
        free(err);
        return error;
    }
    for (size_t i = 0; i < srv->n_dbs; i++) {
        if (!strcmp(srv->dbs[i].db->schema->name, db->schema->name)) {
            VLOG_ERR("%s: database %s is already served", path,
                     db->schema->name);
            ovsdb_journal_close(j);
            ovsdb_destroy(db);
            return EEXIST;
        }
    }
    j->compact_min = srv->opts.compact_min;
    j->compact_ratio = srv->opts.compact_ratio;
    srv->dbs = xrealloc(srv->dbs, (srv->n_dbs + 1) * sizeof *srv->dbs);
    srv->dbs[srv->n_dbs].db = db;
    srv->dbs[srv->n_dbs].journal = j;
    srv->n_dbs++;
    VLOG_INFO("%s: serving database %s", path, db->schema->name);
    return 0;
}

int
server_add_remote(struct server *srv, const char *remote)
{
    struct listener *l;
    char *bound;
    int fd = jsonrpc_listen(remote, &bound);

    if (fd < 0) {
        VLOG_ERR("%s: cannot listen: %s", remote, vs_strerror(-fd));
        return -fd;
    }
    l = xzalloc(sizeof *l);
    l->srv = srv;
    l->fd = fd;
    l->name = bound;
    l->is_tcp = !strncmp(remote, "ptcp:", 5);
    l->efd = evloop_add_fd(srv->loop, fd, EPOLLIN, listener_cb, l);
    srv->listeners = xrealloc(srv->listeners,
                              (srv->n_listeners + 1) * sizeof *srv->listeners);
    srv->listeners[srv->n_listeners++] = l;
    VLOG_INFO("listening on %s", bound);
    return 0;
}

/* unixctl commands. */

static void
cmd_connections(struct unixctl_conn *conn, int argc, const char *argv[],
                void *srv_)
{
    struct server *srv = srv_;
    struct ds ds = DS_EMPTY_INITIALIZER;
    struct session *s;

    for (size_t i = 0; i < srv->n_listeners; i++) {
        ds_put_format(&ds, "listening: %s\n", srv->listeners[i]->name);
    }
    LIST_FOR_EACH (s, node, &srv->sessions) {
        size_t n_mon = 0, n_locks = 0;
        struct ovsdb_monitor *m;
        struct lock_waiter *w;

        if (s->dead) {
            continue;
        }
        LIST_FOR_EACH (m, node, &s->monitors) {
            n_mon++;
        }
        LIST_FOR_EACH (w, session_node, &s->waiters) {
            n_locks++;
        }
        ds_put_format(&ds,
                      "%s: rx=%llu tx=%llu transactions=%llu "
                      "monitors=%zu locks=%zu backlog=%zu\n",
                      s->conn->name, s->conn->n_rx, s->conn->n_tx, s->n_txns,
                      n_mon, n_locks, jsonrpc_conn_backlog(s->conn));
    }
    unixctl_command_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}

static long
rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;

    while (f && fgets(line, sizeof line, f)) {
        if (sscanf(line, "VmRSS: %ld", &kb) == 1) {
            break;
        }
    }
    if (f) {
        fclose(f);
    }
    return kb;
}

static void
cmd_memory(struct unixctl_conn *conn, int argc, const char *argv[], void *srv_)
{
    struct server *srv = srv_;
    struct ds ds = DS_EMPTY_INITIALIZER;
    size_t n_sessions = 0;
    struct session *s;

    LIST_FOR_EACH (s, node, &srv->sessions) {
        n_sessions++;
    }
    for (size_t i = 0; i < srv->n_dbs; i++) {
        size_t n_rows, bytes = ovsdb_memory_usage(srv->dbs[i].db, &n_rows);

        ds_put_format(&ds, "%s: rows:%zu data-bytes:%zu\n",
                      srv->dbs[i].db->schema->name, n_rows, bytes);
    }
    ds_put_format(&ds, "sessions:%zu commits:%llu rss-kB:%ld\n", n_sessions,
                  srv->n_commits, rss_kb());
    unixctl_command_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}

static void
cmd_journal(struct unixctl_conn *conn, int argc, const char *argv[],
            void *srv_)
{
    struct server *srv = srv_;
    struct ds ds = DS_EMPTY_INITIALIZER;

    for (size_t i = 0; i < srv->n_dbs; i++) {
        const struct ovsdb_journal *j = srv->dbs[i].journal;

        ds_put_format(&ds,
                      "%s: %s size:%lld snapshot:%lld records:%llu "
                      "fsyncs:%llu compactions:%llu\n",
                      srv->dbs[i].db->schema->name, j->path,
                      (long long) j->size, (long long) j->snapshot_size,
                      j->n_records, j->n_syncs, j->n_compactions);
    }
    unixctl_command_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}

static void
cmd_compact(struct unixctl_conn *conn, int argc, const char *argv[],
            void *srv_)
{
    struct server *srv = srv_;
    struct ds ds = DS_EMPTY_INITIALIZER;
    bool found = false;

    for (size_t i = 0; i < srv->n_dbs; i++) {
        struct db_entry *dbe = &srv->dbs[i];
        int error;

        if (argc > 1 && strcmp(argv[1], dbe->db->schema->name)) {
            continue;
        }
        found = true;
        error = ovsdb_journal_sync(dbe->journal);
        if (!error) {
            error = ovsdb_journal_compact(dbe->journal, dbe->db);
        }
        if (error) {
            ds_put_format(&ds, "%s: compaction failed: %s\n",
                          dbe->db->schema->name, vs_strerror(error));
        } else {
            ds_put_format(&ds, "%s: compacted to %lld bytes\n",
                          dbe->db->schema->name,
                          (long long) dbe->journal->size);
        }
    }
    if (!found) {
        unixctl_command_reply_error(conn, "no such database");
    } else {
        unixctl_command_reply(conn, ds_cstr(&ds));
    }
    ds_destroy(&ds);
}

void
server_register_commands(struct server *srv)
{
    unixctl_command_register("ovsdb-lite/connections", "", 0, 0,
                             cmd_connections, srv);
    unixctl_command_register("ovsdb-lite/memory", "", 0, 0, cmd_memory, srv);
    unixctl_command_register("ovsdb-lite/journal", "", 0, 0, cmd_journal, srv);
    unixctl_command_register("ovsdb-lite/compact", "[DB]", 0, 1, cmd_compact,
                             srv);
}
