/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>
#include "vswitch/evloop.h"
#include "vswitch/util.h"

struct counter {
    int n;
    struct evloop *loop;
    int stop_at;
    long long last;
};

static void
count_timer(void *c_)
{
    struct counter *c = c_;

    c->n++;
    c->last = vs_time_msec();
    if (c->n == c->stop_at) {
        evloop_stop(c->loop);
    }
}

static void
test_timers_order_and_period(void **state)
{
    struct evloop *loop = evloop_create();
    struct counter periodic = {.loop = loop, .stop_at = 5};
    struct counter once = {.loop = loop};
    long long start = vs_time_msec();

    evloop_add_timer(loop, 10, 10, count_timer, &periodic);
    evloop_add_timer(loop, 1, 0, count_timer, &once);
    assert_int_equal(evloop_run(loop), 0);
    assert_int_equal(periodic.n, 5);
    assert_int_equal(once.n, 1);
    /* Five periods of 10 ms cannot take less than 50 ms. */
    assert_true(periodic.last - start >= 50);
    evloop_destroy(loop);
}

static void
cancel_other(void *t_)
{
    evloop_cancel_timer(*(struct evloop_timer **) t_);
}

static void
test_cancel(void **state)
{
    struct evloop *loop = evloop_create();
    struct counter c = {.loop = loop};
    struct evloop_timer *victim;

    victim = evloop_add_timer(loop, 20, 0, count_timer, &c);
    evloop_add_timer(loop, 5, 0, cancel_other, &victim);
    for (int i = 0; i < 10; i++) {
        evloop_run_once(loop, 5);
    }
    assert_int_equal(c.n, 0);
    evloop_destroy(loop);
}

struct self_cancel {
    struct evloop_timer *t;
    int n;
};

static void
cancel_self(void *s_)
{
    struct self_cancel *s = s_;

    if (++s->n == 3) {
        evloop_cancel_timer(s->t);
    }
}

static void
test_periodic_cancels_itself(void **state)
{
    struct evloop *loop = evloop_create();
    struct self_cancel s = {0};

    s.t = evloop_add_timer(loop, 1, 1, cancel_self, &s);
    for (int i = 0; i < 20; i++) {
        evloop_run_once(loop, 2);
    }
    assert_int_equal(s.n, 3);
    evloop_destroy(loop);
}

struct pipe_ctx {
    int fds[2];
    struct evloop_fd *h;
    int reads;
    struct evloop *loop;
};

static void
on_readable(int fd, uint32_t events, void *ctx_)
{
    struct pipe_ctx *ctx = ctx_;
    char c;

    assert_true(events & EPOLLIN);
    assert_int_equal(read(fd, &c, 1), 1);
    if (++ctx->reads == 2) {
        /* Removing ourselves from inside the callback is allowed. */
        evloop_del_fd(ctx->h);
        evloop_stop(ctx->loop);
    }
}

static void
test_fd_events_and_self_delete(void **state)
{
    struct evloop *loop = evloop_create();
    struct pipe_ctx ctx = {.loop = loop};

    assert_int_equal(pipe(ctx.fds), 0);
    ctx.h = evloop_add_fd(loop, ctx.fds[0], EPOLLIN, on_readable, &ctx);
    assert_int_equal(write(ctx.fds[1], "ab", 2), 2);
    evloop_run(loop);
    assert_int_equal(ctx.reads, 2);
    close(ctx.fds[0]);
    close(ctx.fds[1]);
    evloop_destroy(loop);
}

struct post_ctx {
    struct evloop *loop;
    int n;
    pthread_t runner;
};

static void
posted(void *ctx_)
{
    struct post_ctx *ctx = ctx_;

    assert_true(pthread_equal(pthread_self(), ctx->runner));
    if (++ctx->n == 1000) {
        evloop_stop(ctx->loop);
    }
}

static void *
poster(void *ctx_)
{
    struct post_ctx *ctx = ctx_;

    for (int i = 0; i < 500; i++) {
        evloop_post(ctx->loop, posted, ctx);
    }
    return NULL;
}

static void
test_cross_thread_post(void **state)
{
    struct post_ctx ctx = {.loop = evloop_create()};
    pthread_t a, b;

    ctx.runner = pthread_self();
    pthread_create(&a, NULL, poster, &ctx);
    pthread_create(&b, NULL, poster, &ctx);
    evloop_run(ctx.loop);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    assert_int_equal(ctx.n, 1000);
    evloop_destroy(ctx.loop);
}

static void
on_signal(int signo, void *loop)
{
    assert_int_equal(signo, SIGUSR1);
    evloop_stop(loop);
}

static void
test_signal(void **state)
{
    struct evloop *loop = evloop_create();

    assert_int_equal(evloop_add_signal(loop, SIGUSR1, on_signal, loop), 0);
    kill(getpid(), SIGUSR1);
    evloop_run(loop);
    assert_true(evloop_is_stopped(loop));
    evloop_destroy(loop);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_timers_order_and_period),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_periodic_cancels_itself),
        cmocka_unit_test(test_fd_events_and_self_delete),
        cmocka_unit_test(test_cross_thread_post),
        cmocka_unit_test(test_signal),
    };
    return cmocka_run_group_tests_name("evloop", tests, NULL, NULL);
}
