/* SPDX-License-Identifier: Apache-2.0 */
/* jsonrpc: JSON-RPC 1.0 over stream sockets (see jsonrpc.h). */
#include "vswitch/jsonrpc.h"
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
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

static int
parse_unix(const char *path, struct sockaddr_un *sun)
{
    memset(sun, 0, sizeof *sun);
    sun->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof sun->sun_path) {
        return ENAMETOOLONG;
    }
    strcpy(sun->sun_path, path);
    return 0;
}

static int
parse_inet(const char *port_s, const char *ip_s, struct sockaddr_in *sin)
{
    long long port;

    memset(sin, 0, sizeof *sin);
    sin->sin_family = AF_INET;
    if (!vs_str_to_llong(port_s, 0, 65535, &port)) {
        return EINVAL;
    }
    sin->sin_port = htons(port);
    if (ip_s && inet_pton(AF_INET, ip_s, &sin->sin_addr) != 1) {
        return EINVAL;
    }
    return 0;
}

int
jsonrpc_listen(const char *target, char **bound)
{
    int fd, error, one = 1;

    *bound = NULL;
    if (!strncmp(target, "punix:", 6)) {
        struct sockaddr_un sun;

        if ((error = parse_unix(target + 6, &sun))) {
            return -error;
        }
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            return -errno;
        }
        unlink(target + 6);
        if (bind(fd, (struct sockaddr *) &sun, sizeof sun) < 0) {
            goto err;
        }
        *bound = xstrdup(target);
    } else if (!strncmp(target, "ptcp:", 5)) {
        char *copy = xstrdup(target + 5), *colon = strchr(copy, ':');
        struct sockaddr_in sin;
        socklen_t len = sizeof sin;

        if (colon) {
            *colon++ = '\0';
        }
        error = parse_inet(copy, colon ? colon : "0.0.0.0", &sin);
        free(copy);
        if (error) {
            return -error;
        }
        fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            return -errno;
        }
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, (struct sockaddr *) &sin, sizeof sin) < 0
            || getsockname(fd, (struct sockaddr *) &sin, &len) < 0) {
            goto err;
        }
        char ip[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &sin.sin_addr, ip, sizeof ip);
        *bound = xasprintf("ptcp:%d:%s", ntohs(sin.sin_port), ip);
    } else {
        return -EAFNOSUPPORT;
    }
    if (listen(fd, 128) < 0) {
        free(*bound);
        *bound = NULL;
        goto err;
    }
    vs_set_nonblocking(fd);
    return fd;

err:
    error = errno;
    close(fd);
    return -error;
}

int
jsonrpc_connect(const char *target)
{
    int fd, error;

    if (!strncmp(target, "unix:", 5)) {
        struct sockaddr_un sun;

        if ((error = parse_unix(target + 5, &sun))) {
            return -error;
        }
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            return -errno;
        }
        if (connect(fd, (struct sockaddr *) &sun, sizeof sun) < 0) {
            goto err;
        }
    } else if (!strncmp(target, "tcp:", 4)) {
        char *copy = xstrdup(target + 4), *colon = strrchr(copy, ':');
        struct sockaddr_in sin;
        int one = 1;

        if (!colon) {
            free(copy);
            return -EINVAL;
        }
        *colon++ = '\0';
        error = parse_inet(colon, copy, &sin);
        free(copy);
        if (error) {
            return -error;
        }
        fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            return -errno;
        }
        if (connect(fd, (struct sockaddr *) &sin, sizeof sin) < 0) {
            goto err;
        }
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    } else {
        return -EAFNOSUPPORT;
    }
    return fd;

err:
    error = errno;
    close(fd);
    return -error;
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
