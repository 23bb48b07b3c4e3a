/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "vswitch/evloop.h"
#include "vswitch/unixctl.h"
#include "vswitch/util.h"
#include "vswitch/vlog.h"

static struct evloop *loop;
static struct unixctl_server *server;
static pthread_t loop_thread;
static char sock_path[64];
static struct unixctl_conn *pending; /* For the asynchronous command. */

static void
cmd_join(struct unixctl_conn *conn, int argc, const char *argv[], void *aux)
{
    char buf[256] = "";

    for (int i = 1; i < argc; i++) {
        strcat(buf, argv[i]);
        strcat(buf, i + 1 < argc ? "+" : "");
    }
    unixctl_command_reply(conn, buf);
}

static void
reply_later(void *aux)
{
    struct unixctl_conn *conn = pending;

    pending = NULL;
    unixctl_command_reply(conn, "late");
}

static void
cmd_async(struct unixctl_conn *conn, int argc, const char *argv[], void *aux)
{
    pending = conn;
    evloop_add_timer(loop, atoi(argv[1]), 0, reply_later, NULL);
}

static void *
run_loop(void *aux)
{
    evloop_run(loop);
    return NULL;
}

static int
setup(void **state)
{
    snprintf(sock_path, sizeof sock_path, "/tmp/test-unixctl.%ld.ctl",
             (long) getpid());
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_OFF);
    loop = evloop_create();
    assert_int_equal(unixctl_server_create(loop, sock_path, &server), 0);
    unixctl_command_register("test/join", "ARG...", 0, 5, cmd_join, NULL);
    unixctl_command_register("test/async", "MSEC", 1, 1, cmd_async, NULL);
    pthread_create(&loop_thread, NULL, run_loop, NULL);
    return 0;
}

static int
teardown(void **state)
{
    evloop_stop(loop);
    pthread_join(loop_thread, NULL);
    unixctl_server_destroy(server);
    evloop_destroy(loop);
    assert_int_equal(access(sock_path, F_OK), -1);
    return 0;
}

static void
transact(struct unixctl_client *c, const char *cmd, int argc, char **argv,
         const char *want_result, const char *want_error_part)
{
    char *result, *error;

    assert_int_equal(
        unixctl_client_transact(c, cmd, argc, argv, 5000, &result, &error), 0);
    if (want_result) {
        assert_null(error);
        assert_string_equal(result, want_result);
    } else {
        assert_null(result);
        assert_non_null(strstr(error, want_error_part));
    }
    free(result);
    free(error);
}

static void
test_commands_and_errors(void **state)
{
    struct unixctl_client *c;

    assert_int_equal(unixctl_client_create(sock_path, &c), 0);
    transact(c, "test/join", 3, (char *[]){"a", "b", "c"}, "a+b+c", NULL);
    transact(c, "no/such", 0, NULL, NULL, "not a valid command");
    /* The connection is still usable after an error. */
    transact(c, "test/join", 6, (char *[]){"1", "2", "3", "4", "5", "6"}, NULL,
             "at most 5 arguments");
    transact(c, "vlog/set", 1, (char *[]){"bogus_module:dbg"}, NULL,
             "bogus_module");
    transact(c, "test/join", 1, (char *[]){"ok"}, "ok", NULL);
    unixctl_client_destroy(c);
}

static void
test_builtins(void **state)
{
    struct unixctl_client *c;
    char *result, *error;

    assert_int_equal(unixctl_client_create(sock_path, &c), 0);
    assert_int_equal(unixctl_client_transact(c, "list-commands", 0, NULL, 5000,
                                             &result, &error),
                     0);
    assert_non_null(strstr(result, "test/join"));
    assert_non_null(strstr(result, "vlog/set"));
    assert_non_null(strstr(result, "coverage/show"));
    free(result);
    assert_int_equal(unixctl_client_transact(c, "coverage/show", 0, NULL, 5000,
                                             &result, &error),
                     0);
    assert_non_null(strstr(result, "unixctl_received"));
    free(result);
    assert_int_equal(
        unixctl_client_transact(c, "version", 0, NULL, 5000, &result, &error),
        0);
    assert_non_null(strstr(result, VSWITCH_VERSION));
    free(result);
    unixctl_client_destroy(c);
}

static int
raw_connect(void)
{
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    strcpy(sun.sun_path, sock_path);
    assert_int_equal(connect(fd, (struct sockaddr *) &sun, sizeof sun), 0);
    return fd;
}

/* Reads until EOF or 2 s; returns what arrived. */
static char *
raw_read_all(int fd, bool *eof)
{
    char *buf = calloc(1, 8192);
    size_t n = 0;

    *eof = false;
    for (;;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        ssize_t r;

        if (poll(&p, 1, 2000) <= 0) {
            break;
        }
        r = read(fd, buf + n, 8191 - n);
        if (r <= 0) {
            *eof = r == 0;
            break;
        }
        n += r;
    }
    return buf;
}

static void
test_malformed_json_closes_only_that_client(void **state)
{
    struct unixctl_client *good;
    bool eof;
    char *got;
    int bad;

    assert_int_equal(unixctl_client_create(sock_path, &good), 0);
    bad = raw_connect();
    assert_int_equal(write(bad, "{\"method\": nope}", 16), 16);
    got = raw_read_all(bad, &eof);
    assert_non_null(strstr(got, "\"error\":\"invalid JSON"));
    assert_non_null(strstr(got, "\"id\":null"));
    assert_true(eof);
    free(got);
    close(bad);
    transact(good, "test/join", 1, (char *[]){"still"}, "still", NULL);
    unixctl_client_destroy(good);
}

static void
test_pipelined_and_not_a_request(void **state)
{
    const char *req = "{\"method\":\"test/join\",\"params\":[\"x\"],\"id\":1}"
                      "{\"params\":[],\"id\":2}"
                      "{\"method\":\"test/join\",\"params\":[7],\"id\":3}"
                      "{\"method\":\"test/join\",\"params\":[\"y\"],\"id\":4}";
    bool eof;
    char *got, *p1, *p2, *p3, *p4;
    int fd = raw_connect();

    assert_int_equal(write(fd, req, strlen(req)), (ssize_t) strlen(req));
    shutdown(fd, SHUT_WR);
    got = raw_read_all(fd, &eof);
    p1 = strstr(got, "\"result\":\"x\"");
    p2 = strstr(got, "not a JSON-RPC request");
    p3 = strstr(got, "arguments must be strings");
    p4 = strstr(got, "\"result\":\"y\"");
    assert_true(p1 && p2 && p3 && p4);
    assert_true(p1 < p2 && p2 < p3 && p3 < p4);
    free(got);
    close(fd);
}

static void
test_disconnect_mid_request(void **state)
{
    struct unixctl_client *c;
    int fd = raw_connect();

    /* Half a request, then gone. */
    assert_int_equal(write(fd, "{\"method\":\"test/jo", 18), 18);
    close(fd);
    /* A request whose client leaves before the asynchronous reply. */
    fd = raw_connect();
    assert_int_equal(write(fd,
                           "{\"method\":\"test/async\",\"params\":"
                           "[\"200\"],\"id\":9}",
                           47),
                     47);
    usleep(50 * 1000);
    close(fd);
    usleep(400 * 1000);
    assert_int_equal(unixctl_client_create(sock_path, &c), 0);
    transact(c, "test/async", 1, (char *[]){"10"}, "late", NULL);
    transact(c, "test/join", 0, NULL, "", NULL);
    unixctl_client_destroy(c);
}

static void
test_oversized_request(void **state)
{
    size_t size = 2 * 1024 * 1024;
    char *big = malloc(size);
    bool eof;
    char *got;
    int fd = raw_connect();

    memset(big, ' ', size);
    big[0] = '[';
    big[1] = '"';
    /* The server stops reading at its cap: write what it accepts. */
    for (size_t off = 0; off < size;) {
        struct pollfd p = {.fd = fd, .events = POLLOUT};
        ssize_t n;

        if (poll(&p, 1, 2000) <= 0) {
            break;
        }
        n = send(fd, big + off, size - off, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n <= 0) {
            break;
        }
        off += n;
    }
    got = raw_read_all(fd, &eof);
    assert_non_null(strstr(got, "longer than"));
    free(got);
    free(big);
    close(fd);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commands_and_errors),
        cmocka_unit_test(test_builtins),
        cmocka_unit_test(test_malformed_json_closes_only_that_client),
        cmocka_unit_test(test_pipelined_and_not_a_request),
        cmocka_unit_test(test_disconnect_mid_request),
        cmocka_unit_test(test_oversized_request),
    };
    return cmocka_run_group_tests_name("unixctl", tests, setup, teardown);
}
