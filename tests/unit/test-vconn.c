/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include "vswitch/ofp-msgs.h"
#include "vswitch/ofp-wire.h"
#include "vswitch/util.h"
#include "vswitch/vconn.h"
#include "vswitch/vlog.h"

/* Runs both ends until neither makes progress; collects one message from
 * 'b' if any. */
static void
pump(struct vconn *a, struct vconn *b, struct buf **from_b, int *err_a,
     int *err_b)
{
    for (int i = 0; i < 50; i++) {
        struct buf *m;
        int ea, eb;

        vconn_run(a);
        vconn_run(b);
        ea = vconn_recv(a, &m);
        if (!ea) {
            buf_delete(m);
        }
        eb = vconn_recv(b, &m);
        if (!eb) {
            if (from_b && !*from_b) {
                *from_b = m;
            } else {
                buf_delete(m);
            }
        }
        *err_a = ea;
        *err_b = eb;
        usleep(1000);
    }
}

static void
pair(uint32_t va, uint32_t vb, struct vconn **a, struct vconn **b)
{
    int fds[2];

    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    *a = vconn_from_fd(fds[0], "a", va);
    *b = vconn_from_fd(fds[1], "b", vb);
}

static void
test_negotiation(void **state)
{
    struct vconn *a, *b;
    int ea, eb;

    pair(OFP_SUPPORTED_VERSIONS, OFP_VERSION_BIT(OFP13_VERSION), &a, &b);
    pump(a, b, NULL, &ea, &eb);
    assert_int_equal(vconn_version(a), OFP13_VERSION);
    assert_int_equal(vconn_version(b), OFP13_VERSION);
    vconn_close(a);
    vconn_close(b);

    pair(OFP_SUPPORTED_VERSIONS, OFP_VERSION_BIT(OFP10_VERSION), &a, &b);
    pump(a, b, NULL, &ea, &eb);
    assert_int_equal(vconn_version(a), OFP10_VERSION);
    vconn_close(a);
    vconn_close(b);

    pair(OFP_VERSION_BIT(OFP13_VERSION), OFP_VERSION_BIT(OFP10_VERSION), &a,
         &b);
    pump(a, b, NULL, &ea, &eb);
    assert_int_equal(vconn_version(a), 0);
    assert_int_equal(ea, EPROTONOSUPPORT);
    assert_int_equal(vconn_version(b), 0);
    vconn_close(a);
    vconn_close(b);
}

/* A raw peer sees our HELLO, then errors for what breaks the rules. */
static void
test_raw_peer(void **state)
{
    uint8_t hello10[8] = {1, OFPT_HELLO, 0, 8, 0, 0, 0, 1};
    uint8_t echo[12] = {
        1, OFPT_ECHO_REQUEST, 0, 12, 0, 0, 0, 9, 'p', 'i', 'n', 'g'};
    uint8_t wrong_version[8] = {4, OFPT_FEATURES_REQUEST, 0, 8, 0, 0, 0, 5};
    uint8_t bad_frame[8] = {1, OFPT_ECHO_REQUEST, 0, 4, 0, 0, 0, 6};
    uint8_t got[256];
    struct vconn *vc;
    struct buf *m;
    int fds[2];
    ssize_t n;

    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    vc = vconn_from_fd(fds[0], "vc", OFP_SUPPORTED_VERSIONS);
    vconn_run(vc);
    n = read(fds[1], got, sizeof got);
    assert_int_equal(n, 16); /* Our HELLO with its bitmap. */
    assert_int_equal(got[0], OFP13_VERSION);

    assert_int_equal(write(fds[1], hello10, 8), 8);
    assert_int_equal(write(fds[1], echo, 12), 12);
    assert_int_equal(vconn_recv(vc, &m), EAGAIN);
    assert_int_equal(vconn_version(vc), OFP10_VERSION);
    n = read(fds[1], got, sizeof got);
    assert_int_equal(n, 12);
    assert_int_equal(got[1], OFPT_ECHO_REPLY);
    assert_memory_equal(got + 4, echo + 4, 8);

    assert_int_equal(write(fds[1], wrong_version, 8), 8);
    assert_int_equal(vconn_recv(vc, &m), EAGAIN);
    n = read(fds[1], got, sizeof got);
    assert_int_equal(n, 12 + 8);
    assert_int_equal(got[1], OFPT_ERROR);
    assert_int_equal(got[9], 1);  /* BAD_REQUEST */
    assert_int_equal(got[11], 0); /* BAD_VERSION */
    assert_int_equal(got[7], 5);  /* xid of the offender */

    assert_int_equal(write(fds[1], bad_frame, 8), 8);
    assert_int_equal(vconn_recv(vc, &m), EPROTO);
    assert_int_equal(vconn_send(vc, buf_new(0, 0)), EPROTO);
    vconn_close(vc);
    close(fds[1]);
}

/* vconn_open_block() returns as soon as the peer's HELLO is read, not when
 * its timeout expires (the HELLO arrives in the same read that finds the
 * connection complete). */
static void
test_open_block_prompt(void **state)
{
    uint8_t hello10[8] = {1, OFPT_HELLO, 0, 8, 0, 0, 0, 1};
    char dir[] = "/tmp/test-vconn.XXXXXX";
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    struct vconn *vc;
    char *name;
    int lfd, status;
    pid_t pid;

    (void) state;
    assert_non_null(mkdtemp(dir));
    snprintf(sun.sun_path, sizeof sun.sun_path, "%s/s", dir);
    lfd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_int_equal(bind(lfd, (struct sockaddr *) &sun, sizeof sun), 0);
    assert_int_equal(listen(lfd, 1), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (!pid) {
        int fd = accept(lfd, NULL, NULL);
        uint8_t got[64];

        if (fd < 0 || write(fd, hello10, 8) != 8) {
            _exit(1);
        }
        while (read(fd, got, sizeof got) > 0) {
            continue; /* Until the parent closes. */
        }
        _exit(0);
    }
    name = xasprintf("unix:%s", sun.sun_path);
    long long start = vs_time_msec();
    assert_int_equal(vconn_open_block(name, OFP_SUPPORTED_VERSIONS, 5000, &vc),
                     0);
    assert_true(vs_time_msec() - start < 1000);
    assert_int_equal(vconn_version(vc), OFP10_VERSION);
    vconn_close(vc);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(lfd);
    unlink(sun.sun_path);
    rmdir(dir);
    free(name);
}

static void
test_backlog_limit(void **state)
{
    struct vconn *a, *b;
    int ea, eb, error = 0;

    pair(OFP_SUPPORTED_VERSIONS, OFP_SUPPORTED_VERSIONS, &a, &b);
    pump(a, b, NULL, &ea, &eb);
    vconn_set_max_backlog(a, 64 * 1024);
    /* 'b' never reads: 'a' must give up, not grow without bound. */
    for (int i = 0; i < 100000 && !error; i++) {
        struct buf *msg = buf_new(0, 1024);

        ofp_start_msg(msg, OFP13_VERSION, OFPT_ECHO_REQUEST, i, 1000);
        error = vconn_send(a, msg);
    }
    assert_int_equal(error, ENOBUFS);
    assert_int_equal(vconn_run(a), ENOBUFS);
    vconn_close(a);
    vconn_close(b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_negotiation),
        cmocka_unit_test(test_raw_peer),
        cmocka_unit_test(test_backlog_limit),
        cmocka_unit_test(test_open_block_prompt),
    };
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_OFF);
    return cmocka_run_group_tests_name("vconn", tests, NULL, NULL);
}
