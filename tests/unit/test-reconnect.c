/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include "vswitch/reconnect.h"

static void
test_immediate_first_attempt_then_backoff(void **state)
{
    struct reconnect r;

    reconnect_init(&r, 0);
    reconnect_set_backoff(&r, 1000, 8000);
    assert_int_equal(reconnect_run(&r, 100), RECONNECT_NOTHING);
    assert_int_equal(reconnect_timeout(&r, 100), -1);
    reconnect_enable(&r, 100);
    assert_int_equal(reconnect_timeout(&r, 100), 0);
    assert_int_equal(reconnect_run(&r, 100), RECONNECT_CONNECT);
    reconnect_connecting(&r, 100);
    reconnect_connect_failed(&r, 110, ECONNREFUSED);
    /* 1 s, 2 s, 4 s, 8 s, 8 s. */
    long long now = 110;
    int expect[] = {1000, 2000, 4000, 8000, 8000};

    for (int i = 0; i < 5; i++) {
        assert_int_equal(reconnect_timeout(&r, now), expect[i]);
        assert_int_equal(reconnect_run(&r, now + expect[i] - 1),
                         RECONNECT_NOTHING);
        now += expect[i];
        assert_int_equal(reconnect_run(&r, now), RECONNECT_CONNECT);
        reconnect_connecting(&r, now);
        reconnect_connect_failed(&r, now, ECONNREFUSED);
    }
    assert_int_equal(r.n_attempts, 6);
    assert_int_equal(r.last_error, ECONNREFUSED);
}

static void
test_connect_timeout(void **state)
{
    struct reconnect r;

    reconnect_init(&r, 0);
    reconnect_enable(&r, 0);
    reconnect_run(&r, 0);
    reconnect_connecting(&r, 0);
    assert_int_equal(reconnect_run(&r, 999), RECONNECT_NOTHING);
    assert_int_equal(reconnect_run(&r, 1000), RECONNECT_DISCONNECT);
}

static void
test_probe_and_idle_disconnect(void **state)
{
    struct reconnect r;

    reconnect_init(&r, 0);
    reconnect_set_probe_interval(&r, 5000);
    reconnect_enable(&r, 0);
    reconnect_run(&r, 0);
    reconnect_connecting(&r, 0);
    reconnect_connected(&r, 10);
    assert_true(reconnect_is_connected(&r));
    reconnect_activity(&r, 3000);
    assert_int_equal(reconnect_run(&r, 7999), RECONNECT_NOTHING);
    assert_int_equal(reconnect_run(&r, 8000), RECONNECT_PROBE);
    assert_int_equal(r.state, RECONNECT_IDLE);
    /* An answer brings it back. */
    reconnect_activity(&r, 8100);
    assert_int_equal(r.state, RECONNECT_ACTIVE);
    assert_int_equal(reconnect_run(&r, 13100), RECONNECT_PROBE);
    /* No answer: dead after another interval. */
    assert_int_equal(reconnect_run(&r, 18099), RECONNECT_NOTHING);
    assert_int_equal(reconnect_run(&r, 18100), RECONNECT_DISCONNECT);
}

static void
test_backoff_reset_after_long_connection(void **state)
{
    struct reconnect r;

    reconnect_init(&r, 0);
    reconnect_set_probe_interval(&r, 0);
    reconnect_enable(&r, 0);
    reconnect_connecting(&r, 0);
    reconnect_connect_failed(&r, 0, ECONNREFUSED);
    reconnect_connecting(&r, 1000);
    reconnect_connect_failed(&r, 1000, ECONNREFUSED); /* backoff 2 s */
    reconnect_connecting(&r, 3000);
    reconnect_connected(&r, 3000);
    assert_int_equal(reconnect_timeout(&r, 3000), -1); /* No probes. */
    /* Dropped at once: back off further. */
    reconnect_disconnected(&r, 3001, ECONNRESET);
    assert_int_equal(reconnect_timeout(&r, 3001), 4000);
    reconnect_connecting(&r, 7001);
    reconnect_connected(&r, 7001);
    /* Up for longer than the backoff: retry immediately. */
    reconnect_disconnected(&r, 20000, ECONNRESET);
    assert_int_equal(reconnect_run(&r, 20000), RECONNECT_CONNECT);
    assert_int_equal(r.n_connects, 2);
}

static void
test_disable(void **state)
{
    struct reconnect r;

    reconnect_init(&r, 0);
    reconnect_enable(&r, 0);
    reconnect_disable(&r, 0);
    assert_int_equal(reconnect_run(&r, 100000), RECONNECT_NOTHING);
    reconnect_connect_failed(&r, 5, EIO);
    assert_int_equal(r.state, RECONNECT_VOID);
    assert_string_equal(reconnect_state_name(RECONNECT_IDLE), "IDLE");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_immediate_first_attempt_then_backoff),
        cmocka_unit_test(test_connect_timeout),
        cmocka_unit_test(test_probe_and_idle_disconnect),
        cmocka_unit_test(test_backoff_reset_after_long_connection),
        cmocka_unit_test(test_disable),
    };
    return cmocka_run_group_tests_name("reconnect", tests, NULL, NULL);
}
