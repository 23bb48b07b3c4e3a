/* SPDX-License-Identifier: Apache-2.0 */
/* jsonrpc: JSON-RPC 1.0 over stream sockets (see jsonrpc.h). */
#include "vswitch/jsonrpc.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "vswitch/stream.h"
#include "vswitch/util.h"

struct jsonrpc_conn *
jsonrpc_conn_create(int fd, const char *name, size_t max_msg_size)
{
    struct jsonrpc_conn *c = xzalloc(sizeof *c);

    vs_set_nonblocking(fd);
    c->fd = fd;
    c->name = xstrdup(name);
    json_stream_init(&c->in, max_msg_size);
    buf_init(&c->out, 0, 0);
    c->last_rx_ms = vs_time_msec();
    return c;
}

void
jsonrpc_conn_destroy(struct jsonrpc_conn *c)
{
    if (c) {
        if (c->fd >= 0) {
            close(c->fd);
        }
        json_stream_destroy(&c->in);
        buf_uninit(&c->out);
        free(c->name);
        free(c);
    }
}

const char *
jsonrpc_conn_error_string(const struct jsonrpc_conn *c)
{
    if (c->error == EPROTO && json_stream_error(&c->in)) {
        return json_stream_error(&c->in);
    }
    return c->error == EOF ? "connection closed by peer"
                           : vs_strerror(c->error);
}

int
jsonrpc_conn_recv(struct jsonrpc_conn *c, json_t **msg)
{
    *msg = NULL;
    for (;;) {
        int error = json_stream_next(&c->in, msg);

        if (error != EAGAIN) {
            if (error) {
                c->error = error;
            } else {
                c->n_rx++;
            }
            return error;
        }
        if (c->error) {
            return c->error;
        }
        char buf[65536];
        ssize_t n = read(c->fd, buf, sizeof buf);
        if (n > 0) {
            c->last_rx_ms = vs_time_msec();
            json_stream_feed(&c->in, buf, n);
        } else if (n == 0) {
            c->error = EOF;
            return json_stream_pending(&c->in) ? EPROTO : EOF;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            return EAGAIN;
        } else if (errno != EINTR) {
            c->error = errno;
            return errno;
        }
    }
}

void
jsonrpc_conn_send(struct jsonrpc_conn *c, json_t *msg)
{
    char *s = json_to_string_compact(msg);

    buf_put(&c->out, s, strlen(s));
    free(s);
    json_decref(msg);
    c->n_tx++;
}

int
jsonrpc_conn_flush(struct jsonrpc_conn *c)
{
    while (c->out.size) {
        ssize_t n = send(c->fd, c->out.data, c->out.size, MSG_NOSIGNAL);

        if (n > 0) {
            buf_pull(&c->out, n);
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return EAGAIN;
        } else {
            c->error = n < 0 ? errno : EPIPE;
            return c->error;
        }
    }
    buf_clear(&c->out);
    return 0;
}

json_t *
jsonrpc_reply(const json_t *id, json_t *result)
{
    return json_pack("{s:o,s:n,s:O}", "result", result ? result : json_null(),
                     "error", "id", id ? id : json_null());
}

json_t *
jsonrpc_error_reply(const json_t *id, json_t *error)
{
    return json_pack("{s:n,s:o,s:O}", "result", "error", error, "id",
                     id ? id : json_null());
}

json_t *
jsonrpc_notify(const char *method, json_t *params)
{
    return json_pack("{s:s,s:o,s:n}", "method", method, "params", params,
                     "id");
}

json_t *
jsonrpc_request(const char *method, json_t *params, json_t *id)
{
    return json_pack("{s:s,s:o,s:o}", "method", method, "params", params, "id",
                     id);
}

int
jsonrpc_listen(const char *target, char **bound)
{
    uint16_t port;
    int fd, error;

    *bound = NULL;
    if (!stream_name_is_passive(target)) {
        return -EAFNOSUPPORT;
    }
    error = pstream_open(target, 6640, &fd);
    if (error) {
        return -error;
    }
    port = pstream_get_port(fd);
    if (port) {
        /* Say which port a "ptcp:0" got. */
        const char *rest = strchr(target + 5, ':');

        *bound = xasprintf("ptcp:%u%s", port, rest ? rest : "");
    } else {
        *bound = xstrdup(target);
    }
    return fd;
}

int
jsonrpc_connect(const char *target)
{
    int fd, error;

    if (!stream_name_is_active(target)) {
        return -EAFNOSUPPORT;
    }
    error = stream_open(target, 6640, &fd);
    if (error) {
        return -error;
    }
    /* Blocking use: wait (bounded) for a TCP connect to finish. */
    for (int i = 0; i < 100; i++) {
        struct pollfd p = {.fd = fd, .events = POLLOUT};

        error = stream_connect_result(fd);
        if (error != EAGAIN) {
            break;
        }
        poll(&p, 1, 100);
    }
    if (error) {
        close(fd);
        return -(error == EAGAIN ? ETIMEDOUT : error);
    }
    return fd;
}

struct jsonrpc_client {
    struct jsonrpc_conn *conn; /* Connection (blocking use of it). */
};

int
jsonrpc_client_open(const char *target, struct jsonrpc_client **clientp)
{
    int fd = jsonrpc_connect(target);

    *clientp = NULL;
    if (fd < 0) {
        return -fd;
    }
    *clientp = xzalloc(sizeof **clientp);
    (*clientp)->conn = jsonrpc_conn_create(fd, target, 64 << 20);
    return 0;
}

void
jsonrpc_client_close(struct jsonrpc_client *client)
{
    if (client) {
        jsonrpc_conn_destroy(client->conn);
        free(client);
    }
}

static int
wait_fd(int fd, short events)
{
    struct pollfd pfd = {.fd = fd, .events = events};

    return poll(&pfd, 1, -1) < 0 && errno != EINTR ? errno : 0;
}

int
jsonrpc_client_send(struct jsonrpc_client *client, json_t *msg)
{
    int error;

    jsonrpc_conn_send(client->conn, msg);
    while ((error = jsonrpc_conn_flush(client->conn)) == EAGAIN) {
        wait_fd(client->conn->fd, POLLOUT);
    }
    return error;
}

int
jsonrpc_client_recv(struct jsonrpc_client *client, json_t **msg)
{
    int error;

    while ((error = jsonrpc_conn_recv(client->conn, msg)) == EAGAIN) {
        wait_fd(client->conn->fd, POLLIN);
    }
    return error;
}

int
jsonrpc_client_transact(struct jsonrpc_client *client, json_t *request,
                        json_t **reply)
{
    json_t *id = json_incref(json_object_get(request, "id"));
    int error = jsonrpc_client_send(client, request);

    *reply = NULL;
    while (!error) {
        json_t *msg;

        error = jsonrpc_client_recv(client, &msg);
        if (error) {
            break;
        }
        const json_t *method = json_object_get(msg, "method");
        if (json_is_string(method)
            && !strcmp(json_string_value(method), "echo")
            && !json_is_null(json_object_get(msg, "id"))) {
            jsonrpc_client_send(
                client,
                jsonrpc_reply(json_object_get(msg, "id"),
                              json_incref(json_object_get(msg, "params"))));
        } else if (!method && json_equal(json_object_get(msg, "id"), id)) {
            *reply = msg;
            break;
        }
        if (*reply != msg) {
            json_decref(msg);
        }
    }
    json_decref(id);
    return error == EOF ? EPIPE : error;
}
