/* SPDX-License-Identifier: Apache-2.0 */
#include "vswitch/unixctl.h"

#include <errno.h>
#include <jansson.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "vswitch/coverage.h"
#include "vswitch/ds.h"
#include "vswitch/evloop.h"
#include "vswitch/hash.h"
#include "vswitch/hmap.h"
#include "vswitch/json-stream.h"
#include "vswitch/list.h"
#include "vswitch/vlog.h"

VLOG_DEFINE_THIS_MODULE(unixctl);
COVERAGE_DEFINE(unixctl_received);
COVERAGE_DEFINE(unixctl_replied);
COVERAGE_DEFINE(unixctl_bad_request);

/* Largest request a client may send, and most reply bytes we queue for one
 * client before dropping it. */
#define UNIXCTL_MAX_REQUEST (1024 * 1024)
#define UNIXCTL_MAX_BACKLOG (64 * 1024 * 1024)

struct unixctl_command {
    struct hmap_node node; /* In 'commands', by hash of 'name'. */
    char *name;            /* Command name. */
    char *usage;           /* Argument description. */
    int min_args;          /* Fewest arguments. */
    int max_args;          /* Most arguments. */
    unixctl_cb_func *cb;   /* Handler. */
    void *aux;             /* Handler argument. */
};

struct unixctl_conn {
    struct vs_list node;           /* In server->conns. */
    struct unixctl_server *server; /* Owner. */
    int fd;                        /* Connected socket. */
    struct evloop_fd *handle;      /* Watches 'fd'. */
    struct json_stream in;         /* Framing of requests. */
    struct buf out;                /* Reply bytes not yet written. */
    json_t *request_id;            /* Id of the request being served. */
    bool busy;                     /* A command has not replied yet. */
    bool processing;               /* conn_process() is on the stack. */
    bool closing;                  /* Close once 'out' is flushed. */
};

struct unixctl_server {
    struct evloop *loop;      /* Serving loop. */
    int fd;                   /* Listening socket. */
    struct evloop_fd *handle; /* Watches 'fd'. */
    char *path;               /* Socket path (unlinked on destroy). */
    struct vs_list conns;     /* struct unixctl_conn. */
};

static struct hmap commands = HMAP_INITIALIZER(&commands);

static void conn_destroy(struct unixctl_conn *);
static void conn_update_events(struct unixctl_conn *);
static void conn_process(struct unixctl_conn *);

/* ---- Run directory. */

const char *
vs_rundir(void)
{
    const char *dir = getenv("VSWITCH_RUNDIR");

    return dir && *dir ? dir : "/run/vswitch";
}

/* ---- Command registry. */

static struct unixctl_command *
find_command(const char *name)
{
    struct unixctl_command *c;

    HMAP_FOR_EACH_WITH_HASH (c, node, hash_string(name, 0), &commands) {
        if (!strcmp(c->name, name)) {
            return c;
        }
    }
    return NULL;
}

void
unixctl_command_register(const char *name, const char *usage, int min_args,
                         int max_args, unixctl_cb_func *cb, void *aux)
{
    struct unixctl_command *c = find_command(name);

    if (!c) {
        c = xzalloc(sizeof *c);
        c->name = xstrdup(name);
        hmap_insert(&commands, &c->node, hash_string(name, 0));
    } else {
        free(c->usage);
    }
    c->usage = xstrdup(usage ? usage : "");
    c->min_args = min_args;
    c->max_args = max_args;
    c->cb = cb;
    c->aux = aux;
}

/* ---- Replies. */

static void
send_json(struct unixctl_conn *conn, json_t *msg)
{
    char *s = json_to_string_compact(msg);
    size_t len = strlen(s), done = 0;

    if (!conn->out.size) {
        /* Try to send at once, so that a reply goes out even if the loop
         * stops right after (as "exit" does). */
        ssize_t n = send(conn->fd, s, len, MSG_DONTWAIT | MSG_NOSIGNAL);

        done = n > 0 ? (size_t) n : 0;
    }
    buf_put(&conn->out, s + done, len - done);
    free(s);
    json_decref(msg);
    if (conn->out.size > UNIXCTL_MAX_BACKLOG) {
        VLOG_WARN("client on fd %d does not read its replies; disconnecting",
                  conn->fd);
        buf_clear(&conn->out);
        conn->closing = true;
    }
}

static void
reply__(struct unixctl_conn *conn, const char *result, const char *error)
{
    json_t *id = conn->request_id ? conn->request_id : json_null();
    json_t *msg;

    msg = json_pack("{s:o,s:o,s:O}", "result",
                    result ? json_string(result) : json_null(), "error",
                    error ? json_string(error) : json_null(), "id", id);
    if (!msg) {
        /* Not valid UTF-8: answer with a replacement message. */
        msg = json_pack("{s:n,s:s,s:O}", "result", "error",
                        "reply is not valid UTF-8", "id", id);
    }
    json_decref(conn->request_id);
    conn->request_id = NULL;
    COVERAGE_INC(unixctl_replied);

    if (conn->fd < 0) {
        /* The client left while the command ran: drop the reply. */
        json_decref(msg);
        conn->busy = false;
        conn_destroy(conn);
        return;
    }
    send_json(conn, msg);
    conn->busy = false;
    if (!conn->processing) {
        /* An asynchronous reply: serve requests that queued meanwhile. */
        conn_process(conn);
    }
}

void
unixctl_command_reply(struct unixctl_conn *conn, const char *result)
{
    reply__(conn, result ? result : "", NULL);
}

void
unixctl_command_reply_error(struct unixctl_conn *conn, const char *error)
{
    reply__(conn, NULL, error ? error : "error");
}

/* ---- Connections. */

static void
conn_destroy(struct unixctl_conn *conn)
{
    if (conn->fd >= 0) {
        evloop_del_fd(conn->handle);
        close(conn->fd);
        conn->fd = -1;
        vs_list_remove(&conn->node);
    }
    if (conn->busy) {
        return; /* Freed when the pending command replies. */
    }
    json_stream_destroy(&conn->in);
    buf_uninit(&conn->out);
    json_decref(conn->request_id);
    free(conn);
}

static void
conn_update_events(struct unixctl_conn *conn)
{
    uint32_t events = 0;

    if (conn->fd < 0) {
        return;
    }
    if (conn->out.size) {
        events |= EPOLLOUT;
    } else if (conn->closing) {
        conn_destroy(conn);
        return;
    }
    if (!conn->busy && !conn->closing) {
        events |= EPOLLIN;
    }
    evloop_mod_fd(conn->handle, events);
}

char *
unixctl_parse_request(const json_t *msg, int *argcp, const char ***argvp)
{
    const char *method = json_string_value(json_object_get(msg, "method"));
    json_t *params = json_object_get(msg, "params");
    const char **argv;
    size_t n;

    *argcp = 0;
    *argvp = NULL;
    if (!json_is_object(msg) || !method || !json_object_get(msg, "id")) {
        return xstrdup("not a JSON-RPC request (needs method, params and "
                       "id)");
    }
    if (!json_is_array(params)) {
        return xstrdup("\"params\" must be an array");
    }
    n = json_array_size(params);
    if (n > 4096) {
        return xstrdup("too many arguments");
    }
    argv = xcalloc(n + 2, sizeof *argv);
    argv[0] = method;
    for (size_t i = 0; i < n; i++) {
        argv[i + 1] = json_string_value(json_array_get(params, i));
        if (!argv[i + 1]) {
            free(argv);
            return xstrdup("arguments must be strings");
        }
    }
    *argcp = n + 1;
    *argvp = argv;
    return NULL;
}

static void
process_request(struct unixctl_conn *conn, json_t *msg)
{
    struct unixctl_command *cmd;
    const char **argv;
    json_t *id;
    char *err;
    int argc, n_args;

    COVERAGE_INC(unixctl_received);
    id = json_object_get(msg, "id");
    conn->request_id = json_incref(id ? id : json_null());
    err = unixctl_parse_request(msg, &argc, &argv);
    if (err) {
        goto bad_request;
    }
    cmd = find_command(argv[0]);
    n_args = argc - 1;
    if (!cmd) {
        err = xasprintf("\"%s\" is not a valid command (use "
                        "\"list-commands\" to see a list of valid commands)",
                        argv[0]);
    } else if (n_args < cmd->min_args) {
        err = xasprintf("\"%s\" command takes at least %d arguments, not "
                        "%d",
                        argv[0], cmd->min_args, n_args);
    } else if (n_args > cmd->max_args) {
        err = xasprintf("\"%s\" command takes at most %d arguments, not %d",
                        argv[0], cmd->max_args, n_args);
    } else {
        conn->busy = true;
        cmd->cb(conn, argc, argv, cmd->aux);
        free(argv);
        return;
    }
    free(argv);

bad_request:
    COVERAGE_INC(unixctl_bad_request);
    unixctl_command_reply_error(conn, err);
    free(err);
}

static void
conn_read(struct unixctl_conn *conn)
{
    char chunk[4096];
    ssize_t n;

    n = recv(conn->fd, chunk, sizeof chunk, MSG_DONTWAIT);
    if (n < 0) {
        if (errno == EAGAIN || errno == EINTR) {
            return;
        }
        VLOG_DBG("fd %d: recv: %s", conn->fd, vs_strerror(errno));
        conn_destroy(conn);
        return;
    }
    if (n == 0) {
        conn_destroy(conn);
        return;
    }
    json_stream_feed(&conn->in, chunk, n);
    conn_process(conn);
}

/* Serves the complete requests buffered on 'conn', one at a time: the next
 * waits until the current one is answered. */
static void
conn_process(struct unixctl_conn *conn)
{
    json_t *msg;
    int error;

    conn->processing = true;
    while (!conn->busy && conn->fd >= 0 && !conn->closing) {
        error = json_stream_next(&conn->in, &msg);
        if (error == EAGAIN) {
            break;
        }
        if (error) {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

            COVERAGE_INC(unixctl_bad_request);
            VLOG_WARN_RL(&rl, "fd %d: %s; closing connection", conn->fd,
                         json_stream_error(&conn->in));
            conn->request_id = json_null();
            unixctl_command_reply_error(conn, json_stream_error(&conn->in));
            conn->closing = true;
            break;
        }
        process_request(conn, msg);
        json_decref(msg);
    }
    conn->processing = false;
    conn_update_events(conn);
}

static void
conn_write(struct unixctl_conn *conn)
{
    ssize_t n = send(conn->fd, conn->out.data, conn->out.size,
                     MSG_DONTWAIT | MSG_NOSIGNAL);

    if (n < 0) {
        if (errno != EAGAIN && errno != EINTR) {
            conn_destroy(conn);
        }
        return;
    }
    buf_pull(&conn->out, n);
    if (!conn->out.size) {
        buf_shift_to_headroom(&conn->out, 0);
    }
    conn_update_events(conn);
}

static void
conn_event(int fd, uint32_t events, void *conn_)
{
    struct unixctl_conn *conn = conn_;

    if (events & EPOLLOUT) {
        conn_write(conn);
        if (conn->fd < 0) {
            return;
        }
    }
    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
        if (!conn->busy && !conn->closing) {
            conn_read(conn);
        } else if (events & (EPOLLHUP | EPOLLERR)) {
            conn_destroy(conn);
        }
    }
}

static void
server_accept(int fd, uint32_t events, void *server_)
{
    struct unixctl_server *server = server_;
    struct unixctl_conn *conn;
    int cfd;

    cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (cfd < 0) {
        if (errno != EAGAIN && errno != EINTR) {
            VLOG_WARN("accept: %s", vs_strerror(errno));
        }
        return;
    }
    conn = xzalloc(sizeof *conn);
    conn->server = server;
    conn->fd = cfd;
    json_stream_init(&conn->in, UNIXCTL_MAX_REQUEST);
    buf_init(&conn->out, 0, 0);
    conn->handle = evloop_add_fd(server->loop, cfd, EPOLLIN, conn_event, conn);
    vs_list_push_back(&server->conns, &conn->node);
}

/* ---- Built-in commands. */

static void
cmd_list_commands(struct unixctl_conn *conn, int argc, const char *argv[],
                  void *aux)
{
    struct unixctl_command **sorted, *c;
    struct ds s = DS_EMPTY_INITIALIZER;
    size_t n = 0, i, j;

    sorted = xcalloc(hmap_count(&commands), sizeof *sorted);
    HMAP_FOR_EACH (c, node, &commands) {
        sorted[n++] = c;
    }
    for (i = 1; i < n; i++) { /* Insertion sort: a few dozen names. */
        c = sorted[i];
        for (j = i; j > 0 && strcmp(sorted[j - 1]->name, c->name) > 0; j--) {
            sorted[j] = sorted[j - 1];
        }
        sorted[j] = c;
    }
    ds_put_cstr(&s, "The available commands are:\n");
    for (i = 0; i < n; i++) {
        ds_put_format(&s, "  %-23s %s\n", sorted[i]->name, sorted[i]->usage);
    }
    free(sorted);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
cmd_version(struct unixctl_conn *conn, int argc, const char *argv[], void *aux)
{
    char *s =
        xasprintf("%s (vswitch) %s\n", vs_program_name(), VSWITCH_VERSION);

    unixctl_command_reply(conn, s);
    free(s);
}

static void
cmd_vlog_list(struct unixctl_conn *conn, int argc, const char *argv[],
              void *aux)
{
    char *s = vlog_get_levels();

    unixctl_command_reply(conn, s);
    free(s);
}

static void
cmd_vlog_set(struct unixctl_conn *conn, int argc, const char *argv[],
             void *aux)
{
    for (int i = 1; i < argc; i++) {
        char *error = vlog_set_levels_from_string(argv[i]);

        if (error) {
            unixctl_command_reply_error(conn, error);
            free(error);
            return;
        }
    }
    unixctl_command_reply(conn, NULL);
}

static void
cmd_vlog_reopen(struct unixctl_conn *conn, int argc, const char *argv[],
                void *aux)
{
    int error;

    if (!vlog_get_log_file()) {
        unixctl_command_reply_error(conn, "Logging to file not configured");
        return;
    }
    error = vlog_reopen_log_file();
    if (error) {
        unixctl_command_reply_error(conn, vs_strerror(error));
    } else {
        unixctl_command_reply(conn, NULL);
    }
}

static void
cmd_coverage_show(struct unixctl_conn *conn, int argc, const char *argv[],
                  void *aux)
{
    char *s = coverage_show(argc > 1 && !strcmp(argv[1], "--all"));

    unixctl_command_reply(conn, s);
    free(s);
}

static void
cmd_exit(struct unixctl_conn *conn, int argc, const char *argv[], void *aux)
{
    struct unixctl_server *server = conn->server;

    VLOG_INFO("exit requested through unixctl");
    unixctl_command_reply(conn, NULL);
    evloop_stop(server->loop);
}

static void
register_builtins(struct unixctl_server *server)
{
    unixctl_command_register("list-commands", "", 0, 0, cmd_list_commands,
                             NULL);
    unixctl_command_register("help", "", 0, 0, cmd_list_commands, NULL);
    unixctl_command_register("version", "", 0, 0, cmd_version, NULL);
    unixctl_command_register("vlog/list", "", 0, 0, cmd_vlog_list, NULL);
    unixctl_command_register(
        "vlog/set", "{module|any}:{console|syslog|file|any}:LEVEL ...", 1,
        INT32_MAX, cmd_vlog_set, NULL);
    unixctl_command_register("vlog/reopen", "", 0, 0, cmd_vlog_reopen, NULL);
    unixctl_command_register("coverage/show", "[--all]", 0, 1,
                             cmd_coverage_show, NULL);
    unixctl_command_register("exit", "", 0, 0, cmd_exit, server);
}

/* ---- Server. */

static int
make_sockaddr(const char *path, struct sockaddr_un *sun)
{
    memset(sun, 0, sizeof *sun);
    sun->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof sun->sun_path) {
        return ENAMETOOLONG;
    }
    strcpy(sun->sun_path, path);
    return 0;
}

int
unixctl_server_create(struct evloop *loop, const char *path,
                      struct unixctl_server **serverp)
{
    struct unixctl_server *server;
    struct sockaddr_un sun;
    char *full;
    int fd, error;

    *serverp = NULL;
    if (path && !strcmp(path, "none")) {
        return 0;
    }
    if (!path) {
        full = xasprintf("%s/%s.%ld.ctl", vs_rundir(), vs_program_name(),
                         (long) getpid());
    } else if (path[0] != '/') {
        full = xasprintf("%s/%s", vs_rundir(), path);
    } else {
        full = xstrdup(path);
    }
    error = make_sockaddr(full, &sun);
    if (error) {
        VLOG_ERR("%s: socket path too long", full);
        goto err_free;
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error = errno;
        goto err_free;
    }
    unlink(full); /* A stale socket from a dead process. */
    if (bind(fd, (struct sockaddr *) &sun, sizeof sun) < 0
        || chmod(full, 0750) < 0 || listen(fd, 64) < 0) {
        error = errno;
        VLOG_ERR("%s: cannot listen: %s", full, vs_strerror(error));
        goto err_close;
    }
    server = xzalloc(sizeof *server);
    server->loop = loop;
    server->fd = fd;
    server->path = full;
    vs_list_init(&server->conns);
    server->handle = evloop_add_fd(loop, fd, EPOLLIN, server_accept, server);
    register_builtins(server);
    *serverp = server;
    return 0;

err_close:
    close(fd);
err_free:
    free(full);
    return error;
}

void
unixctl_server_destroy(struct unixctl_server *server)
{
    struct unixctl_conn *conn, *next;

    if (!server) {
        return;
    }
    LIST_FOR_EACH_SAFE (conn, next, node, &server->conns) {
        conn_destroy(conn);
    }
    evloop_del_fd(server->handle);
    close(server->fd);
    unlink(server->path);
    free(server->path);
    free(server);
}

const char *
unixctl_server_get_path(const struct unixctl_server *server)
{
    return server ? server->path : NULL;
}

size_t
unixctl_server_n_conns(const struct unixctl_server *server)
{
    return server ? vs_list_size(&server->conns) : 0;
}

/* ---- Client. */

struct unixctl_client {
    int fd;                /* Connected socket. */
    struct json_stream in; /* Framing of replies. */
    int next_id;           /* Id of the next request. */
};

int
unixctl_client_create(const char *path, struct unixctl_client **clientp)
{
    struct unixctl_client *client;
    struct sockaddr_un sun;
    int fd, error;

    *clientp = NULL;
    error = make_sockaddr(path, &sun);
    if (error) {
        return error;
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return errno;
    }
    if (connect(fd, (struct sockaddr *) &sun, sizeof sun) < 0) {
        error = errno;
        close(fd);
        return error;
    }
    client = xzalloc(sizeof *client);
    client->fd = fd;
    json_stream_init(&client->in, 64 * 1024 * 1024);
    *clientp = client;
    return 0;
}

void
unixctl_client_destroy(struct unixctl_client *client)
{
    if (client) {
        close(client->fd);
        json_stream_destroy(&client->in);
        free(client);
    }
}

int
unixctl_client_transact(struct unixctl_client *client, const char *command,
                        int argc, char *argv[], int timeout_ms, char **resultp,
                        char **errorp)
{
    long long deadline = timeout_ms < 0 ? -1 : vs_time_msec() + timeout_ms;
    json_t *params = json_array(), *msg, *reply = NULL;
    char *s;
    int error, id = client->next_id++;

    *resultp = *errorp = NULL;
    for (int i = 0; i < argc; i++) {
        json_array_append_new(params, json_string(argv[i]));
    }
    msg = json_pack("{s:s,s:o,s:i}", "method", command, "params", params, "id",
                    id);
    if (!msg) {
        return EINVAL; /* Not UTF-8. */
    }
    s = json_to_string_compact(msg);
    json_decref(msg);
    error = vs_write_fully(client->fd, s, strlen(s));
    free(s);
    if (error) {
        return error;
    }
    for (;;) {
        struct pollfd pfd = {.fd = client->fd, .events = POLLIN};
        char chunk[65536];
        ssize_t n;
        int wait = -1;

        error = json_stream_next(&client->in, &reply);
        if (!error) {
            break;
        } else if (error != EAGAIN) {
            return error;
        }
        if (deadline >= 0) {
            long long left = deadline - vs_time_msec();

            if (left <= 0) {
                return ETIMEDOUT;
            }
            wait = left;
        }
        n = poll(&pfd, 1, wait);
        if (n < 0 && errno != EINTR) {
            return errno;
        } else if (n <= 0) {
            continue;
        }
        n = recv(client->fd, chunk, sizeof chunk, 0);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return errno;
        } else if (n == 0) {
            return EPIPE; /* The server closed the connection. */
        }
        json_stream_feed(&client->in, chunk, n);
    }

    if (!json_is_object(reply)) {
        json_decref(reply);
        return EPROTO;
    }
    {
        json_t *result = json_object_get(reply, "result");
        json_t *err = json_object_get(reply, "error");

        if (err && !json_is_null(err)) {
            *errorp = json_is_string(err) ? xstrdup(json_string_value(err))
                                          : json_to_string_compact(err);
        } else if (json_is_string(result)) {
            *resultp = xstrdup(json_string_value(result));
        } else if (result && !json_is_null(result)) {
            *resultp = json_to_string_compact(result);
        } else {
            *resultp = xstrdup("");
        }
    }
    json_decref(reply);
    return 0;
}

char *
unixctl_resolve_target(const char *target, char **errorp)
{
    char *pidfile, line[64];
    long pid;
    FILE *f;

    *errorp = NULL;
    if (strchr(target, '/')) {
        return xstrdup(target);
    }
    pidfile = xasprintf("%s/%s.pid", vs_rundir(), target);
    f = fopen(pidfile, "r");
    if (!f) {
        *errorp = xasprintf("cannot read pidfile \"%s\" (%s)", pidfile,
                            vs_strerror(errno));
        free(pidfile);
        return NULL;
    }
    if (!fgets(line, sizeof line, f) || sscanf(line, "%ld", &pid) != 1
        || pid <= 0) {
        *errorp = xasprintf("pidfile \"%s\" does not hold a pid", pidfile);
        fclose(f);
        free(pidfile);
        return NULL;
    }
    fclose(f);
    free(pidfile);
    return xasprintf("%s/%s.%ld.ctl", vs_rundir(), target, pid);
}
