/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "vswitch/jsonrpc-session.h"
#include "vswitch/jsonrpc.h"
#include "vswitch/stream.h"
#include "vswitch/util.h"
#include "vswitch/vlog.h"

/* A tiny server on its own thread: answers "ping" with "pong", answers
 * echo unless told to stay silent, sends one echo of its own on connect,
 * and stops when asked. */
struct server {
    char path[64];
    int lfd;
    pthread_t thread;
    volatile int stop;
    volatile int silent; /* Ignore everything (a hung peer). */
    volatile int n_accepted;
    volatile int got_echo_reply; /* Our echo was answered. */
};

static void *
server_main(void *s_)
{
    struct server *s = s_;
    struct jsonrpc_conn *c = NULL;

    while (!s->stop) {
        struct pollfd p = {.fd = c ? c->fd : s->lfd, .events = POLLIN};
        json_t *msg;
        int fd;

        poll(&p, 1, 20);
        if (!c) {
            if (!pstream_accept(s->lfd, &fd)) {
                c = jsonrpc_conn_create(fd, "client", 1 << 20);
                s->n_accepted++;
                jsonrpc_conn_send(c, jsonrpc_request("echo", json_array(),
                                                     json_string("srv")));
            }
            continue;
        }
        jsonrpc_conn_flush(c);
        while (!jsonrpc_conn_recv(c, &msg)) {
            const char *m = json_string_value(json_object_get(msg, "method"));
            json_t *id = json_object_get(msg, "id");

            if (!m && json_is_string(id)
                && !strcmp(json_string_value(id), "srv")) {
                s->got_echo_reply = 1;
            } else if (!s->silent && m && !strcmp(m, "ping")) {
                jsonrpc_conn_send(c, jsonrpc_reply(id, json_string("pong")));
            } else if (!s->silent && m && !strcmp(m, "echo")) {
                jsonrpc_conn_send(c, jsonrpc_reply(id, json_array()));
            }
            json_decref(msg);
        }
        if (c->error && c->error != EAGAIN) {
            jsonrpc_conn_destroy(c);
            c = NULL;
        } else {
            jsonrpc_conn_flush(c);
        }
    }
    if (c) {
        jsonrpc_conn_destroy(c);
    }
    return NULL;
}

static void
server_start(struct server *s, const char *path)
{
    char name[80];

    memset(s, 0, sizeof *s);
    snprintf(s->path, sizeof s->path, "%s", path);
    snprintf(name, sizeof name, "punix:%s", path);
    assert_int_equal(pstream_open(name, 0, &s->lfd), 0);
    pthread_create(&s->thread, NULL, server_main, s);
}

static void
server_stop(struct server *s)
{
    s->stop = 1;
    pthread_join(s->thread, NULL);
    close(s->lfd);
    unlink(s->path);
}

/* Runs the session until 'done(s, aux)' or 'ms' pass; returns done. */
static bool
drive(struct jsonrpc_session *js, int ms,
      bool (*done)(struct jsonrpc_session *, json_t *, void *), void *aux)
{
    long long deadline = vs_time_msec() + ms;

    while (vs_time_msec() < deadline) {
        long long now = vs_time_msec();
        json_t *msg;

        jsonrpc_session_run(js, now);
        while (!jsonrpc_session_recv(js, now, &msg)) {
            bool d = done(js, msg, aux);

            json_decref(msg);
            if (d) {
                return true;
            }
        }
        if (done(js, NULL, aux)) {
            return true;
        }
        usleep(5000);
    }
    return false;
}

static bool
connected(struct jsonrpc_session *js, json_t *msg, void *aux)
{
    return jsonrpc_session_is_connected(js);
}

static bool
got_pong(struct jsonrpc_session *js, json_t *msg, void *aux)
{
    return msg && json_is_string(json_object_get(msg, "result"))
           && !strcmp(json_string_value(json_object_get(msg, "result")),
                      "pong");
}

static bool
disconnected(struct jsonrpc_session *js, json_t *msg, void *aux)
{
    return !jsonrpc_session_is_connected(js);
}

static bool
echo_answered(struct jsonrpc_session *js, json_t *msg, void *srv_)
{
    struct server *srv = srv_;

    return srv->got_echo_reply;
}

static void
test_connect_request_echo(void **state)
{
    char path[64], name[80];
    struct server srv;
    struct jsonrpc_session *js;

    snprintf(path, sizeof path, "/tmp/test-jrs.%ld", (long) getpid());
    snprintf(name, sizeof name, "unix:%s", path);
    assert_null(jsonrpc_session_open("punix:/x", 0, 1024));
    server_start(&srv, path);
    js = jsonrpc_session_open(name, 0, 1 << 20);
    assert_non_null(js);
    assert_true(drive(js, 2000, connected, NULL));
    assert_int_equal(
        jsonrpc_session_send(
            js, jsonrpc_request("ping", json_array(), json_integer(1))),
        0);
    assert_true(drive(js, 2000, got_pong, NULL));
    /* The server's echo was answered by the session itself. */
    assert_true(drive(js, 2000, echo_answered, &srv));
    jsonrpc_session_close(js);
    server_stop(&srv);
}

static void
test_reconnect_after_restart(void **state)
{
    char path[64], name[80];
    struct server srv;
    struct jsonrpc_session *js;
    unsigned int seqno;

    snprintf(path, sizeof path, "/tmp/test-jrs2.%ld", (long) getpid());
    snprintf(name, sizeof name, "unix:%s", path);
    server_start(&srv, path);
    js = jsonrpc_session_open(name, 0, 1 << 20);
    jsonrpc_session_set_backoff(js, 50, 200);
    assert_true(drive(js, 2000, connected, NULL));
    seqno = jsonrpc_session_get_seqno(js);
    server_stop(&srv);
    assert_true(drive(js, 2000, disconnected, NULL));
    assert_int_not_equal(jsonrpc_session_get_seqno(js), seqno);
    assert_int_equal(jsonrpc_session_send(js, json_object()), ENOTCONN);
    /* Nothing listens for a while: attempts fail and back off. */
    assert_false(drive(js, 300, connected, NULL));
    server_start(&srv, path);
    assert_true(drive(js, 3000, connected, NULL));
    assert_true(jsonrpc_session_get_seqno(js) >= seqno + 2);
    jsonrpc_session_close(js);
    server_stop(&srv);
}

static void
test_silent_peer_is_dropped(void **state)
{
    struct jsonrpc_session *js;
    struct server srv;
    char name[64];
    int port;

    /* TCP sessions probe by default; make the interval short. */
    memset(&srv, 0, sizeof srv);
    assert_int_equal(pstream_open("ptcp:0:127.0.0.1", 0, &srv.lfd), 0);
    port = pstream_get_port(srv.lfd);
    srv.silent = 1;
    pthread_create(&srv.thread, NULL, server_main, &srv);
    snprintf(name, sizeof name, "tcp:127.0.0.1:%d", port);
    js = jsonrpc_session_open(name, 0, 1 << 20);
    jsonrpc_session_set_probe_interval(js, 100);
    assert_true(drive(js, 2000, connected, NULL));
    /* Probe after 100 ms, give up 100 ms later. */
    assert_true(drive(js, 2000, disconnected, NULL));
    assert_int_equal(jsonrpc_session_last_error(js), ETIMEDOUT);
    jsonrpc_session_close(js);
    srv.stop = 1;
    pthread_join(srv.thread, NULL);
    close(srv.lfd);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_connect_request_echo),
        cmocka_unit_test(test_reconnect_after_restart),
        cmocka_unit_test(test_silent_peer_is_dropped),
    };
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_OFF);
    return cmocka_run_group_tests_name("jsonrpc-session", tests, NULL, NULL);
}
