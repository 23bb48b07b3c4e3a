/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/coverage.h"

COVERAGE_DEFINE(test_events);
COVERAGE_DEFINE(test_never);

enum { N_THREADS = 4, PER_THREAD = 100000 };

static void *
worker(void *aux)
{
    for (int i = 0; i < PER_THREAD; i++) {
        COVERAGE_INC(test_events);
    }
    return NULL;
}

static void
test_threads_sum(void **state)
{
    pthread_t t[N_THREADS];
    uint64_t before = coverage_read("test_events");

    for (int i = 0; i < N_THREADS; i++) {
        pthread_create(&t[i], NULL, worker, NULL);
    }
    for (int i = 0; i < N_THREADS; i++) {
        pthread_join(t[i], NULL);
    }
    /* Exited threads' counts are kept. */
    assert_int_equal(coverage_read("test_events") - before,
                     N_THREADS * PER_THREAD);
    COVERAGE_ADD(test_events, 5);
    assert_int_equal(coverage_read("test_events") - before,
                     N_THREADS * PER_THREAD + 5);
    assert_int_equal(coverage_read("no_such_counter"), 0);
}

static void
test_show(void **state)
{
    char *s;

    COVERAGE_INC(test_events);
    s = coverage_show(false);
    assert_non_null(strstr(s, "test_events"));
    assert_null(strstr(s, "test_never"));
    assert_non_null(strstr(s, "never hit"));
    free(s);
    s = coverage_show(true);
    assert_non_null(strstr(s, "test_never"));
    free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_sum),
        cmocka_unit_test(test_show),
    };
    return cmocka_run_group_tests_name("coverage", tests, NULL, NULL);
}
