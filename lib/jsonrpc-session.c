/* SPDX-License-Identifier: Apache-2.0 */
#include "vswitch/jsonrpc-session.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>
#include "vswitch/coverage.h"
#include "vswitch/jsonrpc.h"
#include "vswitch/reconnect.h"
#include "vswitch/stream.h"
#include "vswitch/util.h"
#include "vswitch/vlog.h"

VLOG_DEFINE_THIS_MODULE(jsonrpc_session);
COVERAGE_DEFINE(jsonrpc_session_reconnect);

struct jsonrpc_session {
    char *name;                /* Active stream name. */
    uint16_t default_port;     /* For tcp: without a port. */
    size_t max_msg_size;       /* Cap per message. */
    struct reconnect fsm;      /* When to connect, probe, give up. */
    int connecting_fd;         /* Socket whose connect is in progress. */
    struct jsonrpc_conn *conn; /* Connected, or NULL. */
    unsigned int seqno;        /* Bumped on connect and disconnect. */
    unsigned int next_echo_id; /* For our probes. */
};

struct jsonrpc_session *
jsonrpc_session_open(const char *name, uint16_t default_port,
                     size_t max_msg_size)
{
    struct jsonrpc_session *s;
    long long now = vs_time_msec();

    if (!stream_name_is_active(name)) {
        return NULL;
    }
    s = xzalloc(sizeof *s);
    s->name = xstrdup(name);
    s->default_port = default_port;
    s->max_msg_size = max_msg_size;
    s->connecting_fd = -1;
    reconnect_init(&s->fsm, now);
    /* Unix sockets are not probed, as Open vSwitch's clients do. */
    reconnect_set_probe_interval(&s->fsm,
                                 strncmp(name, "unix:", 5) ? 5000 : 0);
    reconnect_enable(&s->fsm, now);
    return s;
}

static void
disconnect(struct jsonrpc_session *s, long long now, int error)
{
    if (s->conn) {
        jsonrpc_conn_destroy(s->conn);
        s->conn = NULL;
        s->seqno++;
        reconnect_disconnected(&s->fsm, now, error);
        VLOG_INFO("%s: connection dropped (%s)", s->name,
                  error == EOF ? "end of file" : vs_strerror(error));
    } else if (s->connecting_fd >= 0) {
        close(s->connecting_fd);
        s->connecting_fd = -1;
        reconnect_connect_failed(&s->fsm, now, error);
    }
}

void
jsonrpc_session_close(struct jsonrpc_session *s)
{
    if (s) {
        if (s->conn) {
            jsonrpc_conn_destroy(s->conn);
        }
        if (s->connecting_fd >= 0) {
            close(s->connecting_fd);
        }
        free(s->name);
        free(s);
    }
}

void
jsonrpc_session_set_backoff(struct jsonrpc_session *s, int min_ms, int max_ms)
{
    reconnect_set_backoff(&s->fsm, min_ms, max_ms);
}

void
jsonrpc_session_set_probe_interval(struct jsonrpc_session *s, int ms)
{
    reconnect_set_probe_interval(&s->fsm, ms);
}

static void
start_connect(struct jsonrpc_session *s, long long now)
{
    int fd, error = stream_open(s->name, s->default_port, &fd);

    reconnect_connecting(&s->fsm, now);
    COVERAGE_INC(jsonrpc_session_reconnect);
    if (error) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

        VLOG_WARN_RL(&rl, "%s: connection attempt failed (%s)", s->name,
                     vs_strerror(error));
        reconnect_connect_failed(&s->fsm, now, error);
        return;
    }
    s->connecting_fd = fd;
}

void
jsonrpc_session_run(struct jsonrpc_session *s, long long now)
{
    if (s->connecting_fd >= 0) {
        int error = stream_connect_result(s->connecting_fd);

        if (!error) {
            s->conn = jsonrpc_conn_create(s->connecting_fd, s->name,
                                          s->max_msg_size);
            s->connecting_fd = -1;
            s->seqno++;
            reconnect_connected(&s->fsm, now);
            VLOG_INFO("%s: connected", s->name);
        } else if (error != EAGAIN) {
            disconnect(s, now, error);
        }
    }
    if (s->conn) {
        int error = jsonrpc_conn_flush(s->conn);

        if (error && error != EAGAIN) {
            disconnect(s, now, error);
        }
    }
    switch (reconnect_run(&s->fsm, now)) {
    case RECONNECT_CONNECT:
        start_connect(s, now);
        break;
    case RECONNECT_DISCONNECT:
        disconnect(s, now, ETIMEDOUT);
        break;
    case RECONNECT_PROBE:
        if (s->conn) {
            char id[32];

            snprintf(id, sizeof id, "echo-%u", s->next_echo_id++);
            jsonrpc_conn_send(s->conn, jsonrpc_request("echo", json_array(),
                                                       json_string(id)));
        }
        break;
    case RECONNECT_NOTHING:
    default:
        break;
    }
}

static bool
is_echo_request(const json_t *msg)
{
    const char *method = json_string_value(json_object_get(msg, "method"));

    return method && !strcmp(method, "echo")
           && !json_is_null(json_object_get(msg, "id"));
}

static bool
is_our_echo_reply(const json_t *msg)
{
    const char *id = json_string_value(json_object_get(msg, "id"));

    return id && !strncmp(id, "echo-", 5) && json_object_get(msg, "result");
}

int
jsonrpc_session_recv(struct jsonrpc_session *s, long long now, json_t **msgp)
{
    *msgp = NULL;
    while (s->conn) {
        json_t *msg;
        int error = jsonrpc_conn_recv(s->conn, &msg);

        if (error == EAGAIN) {
            return EAGAIN;
        }
        if (error) {
            disconnect(s, now, error);
            break;
        }
        reconnect_activity(&s->fsm, now);
        if (is_echo_request(msg)) {
            json_t *params = json_object_get(msg, "params");

            jsonrpc_conn_send(
                s->conn,
                jsonrpc_reply(json_object_get(msg, "id"),
                              json_incref(params ? params : json_null())));
            json_decref(msg);
            continue;
        }
        if (is_our_echo_reply(msg)) {
            json_decref(msg);
            continue;
        }
        *msgp = msg;
        return 0;
    }
    return ENOTCONN;
}

int
jsonrpc_session_send(struct jsonrpc_session *s, json_t *msg)
{
    if (!s->conn) {
        json_decref(msg);
        return ENOTCONN;
    }
    jsonrpc_conn_send(s->conn, msg);
    return 0;
}

bool
jsonrpc_session_is_connected(const struct jsonrpc_session *s)
{
    return s->conn != NULL;
}

unsigned int
jsonrpc_session_get_seqno(const struct jsonrpc_session *s)
{
    return s->seqno;
}

int
jsonrpc_session_last_error(const struct jsonrpc_session *s)
{
    return s->fsm.last_error == EOF ? ECONNRESET : s->fsm.last_error;
}

const char *
jsonrpc_session_name(const struct jsonrpc_session *s)
{
    return s->name;
}

int
jsonrpc_session_fd(const struct jsonrpc_session *s)
{
    return s->conn ? s->conn->fd : s->connecting_fd;
}

uint32_t
jsonrpc_session_events(const struct jsonrpc_session *s)
{
    if (s->conn) {
        return EPOLLIN | (jsonrpc_conn_backlog(s->conn) ? EPOLLOUT : 0);
    }
    return s->connecting_fd >= 0 ? EPOLLOUT : 0;
}

long long
jsonrpc_session_timeout(const struct jsonrpc_session *s, long long now)
{
    return reconnect_timeout(&s->fsm, now);
}
