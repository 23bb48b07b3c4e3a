/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdlib.h>
#include "vswitch/rcu.h"
#include "vswitch/util.h"

/* Writers replace a version object; readers must always see a consistent
 * one (a == b) and never a freed one (ASan would catch a use after free). */
struct version {
    long a;
    long b;
};

static struct version *current;
static volatile int stop;
static long n_reads;
static long live_reads; /* Updated while readers run. */

static void *
reader(void *aux)
{
    long reads = 0;

    vrcu_register_thread();
    while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
        struct version *v;

        vrcu_read_lock();
        v = VRCU_GET(current);
        assert_true(v->a == v->b);
        vrcu_read_unlock();
        reads++;
        __atomic_add_fetch(&live_reads, 1, __ATOMIC_RELAXED);
    }
    vrcu_unregister_thread();
    __atomic_add_fetch(&n_reads, reads, __ATOMIC_RELAXED);
    return NULL;
}

static void
test_replace_under_readers(void **state)
{
    pthread_t t[2];
    struct version *v = calloc(1, sizeof *v);

    VRCU_SET(current, v);
    vrcu_register_thread();
    for (int i = 0; i < 2; i++) {
        pthread_create(&t[i], NULL, reader, NULL);
    }
    /* Replace at least 2000 times, and until the readers have read a lot
     * in between (they may start late on a loaded machine); bounded. */
    long long deadline = vs_time_msec() + 20000;
    long i;

    for (i = 1; i <= 2000
                || (__atomic_load_n(&live_reads, __ATOMIC_RELAXED) < 100000
                    && vs_time_msec() < deadline);
         i++) {
        struct version *old = current, *new = malloc(sizeof *new);

        new->a = new->b = i;
        VRCU_SET(current, new);
        if (i % 2) {
            vrcu_postpone_free(old);
        } else {
            vrcu_synchronize();
            free(old);
        }
    }
    __atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
    for (int k = 0; k < 2; k++) {
        pthread_join(t[k], NULL);
    }
    vrcu_barrier();
    assert_int_equal(current->a, i - 1);
    free(current);
    assert_true(n_reads > 0);
    assert_true(vrcu_thread_registered());
    vrcu_unregister_thread();
    assert_false(vrcu_thread_registered());
}

static int n_called;

static void
callback(void *aux)
{
    __atomic_add_fetch(&n_called, *(int *) aux, __ATOMIC_RELAXED);
}

static void
test_postpone_runs(void **state)
{
    static int three = 3;

    vrcu_thread_init();
    vrcu_postpone(callback, &three);
    vrcu_postpone(callback, &three);
    vrcu_barrier();
    assert_int_equal(n_called, 6);
    vrcu_unregister_thread();
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replace_under_readers),
        cmocka_unit_test(test_postpone_runs),
    };
    return cmocka_run_group_tests_name("rcu", tests, NULL, NULL);
}
