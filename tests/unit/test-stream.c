/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>
#include "vswitch/stream.h"

static void
expect_ok(const char *name, bool passive, int family, const char *ip, int port)
{
    struct stream_addr a;
    char *err;

    assert_int_equal(stream_parse(name, 6653, &a, &err), 0);
    assert_null(err);
    assert_int_equal(a.passive, passive);
    assert_int_equal(a.family, family);
    if (family == AF_INET) {
        struct sockaddr_in *sin = (struct sockaddr_in *) &a.ss;
        char buf[32];

        assert_string_equal(
            inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof buf), ip);
        assert_int_equal(ntohs(sin->sin_port), port);
    } else if (family == AF_INET6) {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) &a.ss;
        char buf[64];

        assert_string_equal(
            inet_ntop(AF_INET6, &sin6->sin6_addr, buf, sizeof buf), ip);
        assert_int_equal(ntohs(sin6->sin6_port), port);
    } else {
        assert_string_equal(((struct sockaddr_un *) &a.ss)->sun_path, ip);
    }
}

static void
expect_bad(const char *name, const char *needle)
{
    struct stream_addr a;
    char *err;

    assert_int_equal(stream_parse(name, 6653, &a, &err), EINVAL);
    assert_non_null(err);
    assert_non_null(strstr(err, needle));
    free(err);
}

static void
test_parse(void **state)
{
    expect_ok("tcp:127.0.0.1", false, AF_INET, "127.0.0.1", 6653);
    expect_ok("tcp:10.0.0.5:6633", false, AF_INET, "10.0.0.5", 6633);
    expect_ok("tcp:[::1]:6640", false, AF_INET6, "::1", 6640);
    expect_ok("tcp:[fe80::1]", false, AF_INET6, "fe80::1", 6653);
    expect_ok("ptcp:6654", true, AF_INET6, "::", 6654);
    expect_ok("ptcp:", true, AF_INET6, "::", 6653);
    expect_ok("ptcp:6654:127.0.0.1", true, AF_INET, "127.0.0.1", 6654);
    expect_ok("ptcp::[::1]", true, AF_INET6, "::1", 6653);
    expect_ok("unix:/run/x.sock", false, AF_UNIX, "/run/x.sock", 0);
    expect_ok("punix:/tmp/y", true, AF_UNIX, "/tmp/y", 0);
    expect_bad("127.0.0.1", "expected");
    expect_bad("ssl:1.2.3.4", "unknown connection method");
    expect_bad("tcp:", "address is required");
    expect_bad("tcp:1.2.3.4:99999", "bad port");
    expect_bad("tcp:1.2.3.4:x", "bad port");
    expect_bad("tcp:example.com", "not an IPv4 or IPv6");
    expect_bad("tcp:[::1", "missing ']'");
    expect_bad("unix:", "path is required");
    assert_true(stream_name_is_active("unix:/x"));
    assert_false(stream_name_is_active("punix:/x"));
    assert_true(stream_name_is_passive("ptcp:0"));
}

static int
wait_fd(int fd, short events)
{
    struct pollfd p = {.fd = fd, .events = events};

    return poll(&p, 1, 2000);
}

static void
round_trip(const char *passive, const char *active_fmt)
{
    int lfd, cfd, sfd;
    char active[128], buf[8];

    assert_int_equal(pstream_open(passive, 0, &lfd), 0);
    snprintf(active, sizeof active, active_fmt, pstream_get_port(lfd));
    assert_int_equal(stream_open(active, 0, &cfd), 0);
    assert_int_equal(wait_fd(cfd, POLLOUT), 1);
    assert_int_equal(stream_connect_result(cfd), 0);
    assert_int_equal(wait_fd(lfd, POLLIN), 1);
    assert_int_equal(pstream_accept(lfd, &sfd), 0);
    assert_int_equal(write(cfd, "ping", 4), 4);
    assert_int_equal(wait_fd(sfd, POLLIN), 1);
    assert_int_equal(read(sfd, buf, sizeof buf), 4);
    assert_memory_equal(buf, "ping", 4);
    assert_int_equal(pstream_accept(lfd, &sfd), EAGAIN);
    close(cfd);
    close(lfd);
}

static void
test_tcp_and_unix(void **state)
{
    char path[64], passive[80], active[80];

    round_trip("ptcp:0:127.0.0.1", "tcp:127.0.0.1:%u");
    round_trip("ptcp:0", "tcp:[::1]:%u");
    snprintf(path, sizeof path, "/tmp/test-stream.%ld", (long) getpid());
    snprintf(passive, sizeof passive, "punix:%s", path);
    snprintf(active, sizeof active, "unix:%s", path);
    round_trip(passive, active);
    /* A stale socket file is replaced. */
    round_trip(passive, active);
    unlink(path);
}

static void
test_refused(void **state)
{
    int lfd, cfd, rc;
    uint16_t port;

    /* Find a port that nothing listens on. */
    assert_int_equal(pstream_open("ptcp:0:127.0.0.1", 0, &lfd), 0);
    port = pstream_get_port(lfd);
    close(lfd);
    {
        char name[64];

        snprintf(name, sizeof name, "tcp:127.0.0.1:%u", port);
        rc = stream_open(name, 0, &cfd);
    }
    if (rc == 0) {
        assert_int_equal(wait_fd(cfd, POLLOUT), 1);
        assert_int_equal(stream_connect_result(cfd), ECONNREFUSED);
        close(cfd);
    } else {
        assert_int_equal(rc, ECONNREFUSED);
    }
    assert_int_equal(stream_open("unix:/nonexistent/sock", 0, &cfd), ENOENT);
    assert_int_equal(stream_open("ptcp:0", 0, &cfd), EINVAL);
    assert_int_equal(pstream_open("tcp:1.2.3.4", 0, &cfd), EINVAL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_tcp_and_unix),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests_name("stream", tests, NULL, NULL);
}
