/* SPDX-License-Identifier: Apache-2.0 */
#include "vswitch/coverage.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/ds.h"
#include "vswitch/list.h"
#include "vswitch/thread.h"

struct thread_slots {
    struct vs_list node;          /* In 'threads'. */
    uint64_t slots[COVERAGE_MAX]; /* Written only by the owning thread. */
};

static struct vs_mutex coverage_mutex = VS_MUTEX_INITIALIZER;
/* Counters by index. */
static struct coverage_counter *
    counters[COVERAGE_MAX] VS_GUARDED_BY(coverage_mutex);
static unsigned int n_counters VS_GUARDED_BY(coverage_mutex);
static struct vs_list
    threads VS_GUARDED_BY(coverage_mutex) = VS_LIST_INITIALIZER(&threads);
/* Totals of exited threads. */
static uint64_t exited[COVERAGE_MAX] VS_GUARDED_BY(coverage_mutex);
static pthread_key_t slots_key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

__thread uint64_t *coverage_slots__;

void
coverage_register__(struct coverage_counter *c)
{
    vs_mutex_lock(&coverage_mutex);
    if (n_counters >= COVERAGE_MAX) {
        vs_abort("more than %d coverage counters", COVERAGE_MAX);
    }
    c->idx = n_counters;
    counters[n_counters++] = c;
    vs_mutex_unlock(&coverage_mutex);
}

static void
thread_exit(void *ts_)
{
    struct thread_slots *ts = ts_;

    vs_mutex_lock(&coverage_mutex);
    for (unsigned int i = 0; i < n_counters; i++) {
        exited[i] += ts->slots[i];
    }
    vs_list_remove(&ts->node);
    vs_mutex_unlock(&coverage_mutex);
    free(ts);
}

static void
make_key(void)
{
    pthread_key_create(&slots_key, thread_exit);
}

uint64_t *
coverage_thread_slots__(void)
{
    struct thread_slots *ts = xzalloc(sizeof *ts);

    pthread_once(&key_once, make_key);
    pthread_setspecific(slots_key, ts);
    vs_mutex_lock(&coverage_mutex);
    vs_list_push_back(&threads, &ts->node);
    vs_mutex_unlock(&coverage_mutex);
    coverage_slots__ = ts->slots;
    return ts->slots;
}

static uint64_t
total__(unsigned int idx) VS_REQUIRES(coverage_mutex)
{
    struct thread_slots *ts;
    uint64_t sum = exited[idx];

    LIST_FOR_EACH (ts, node, &threads) {
        sum += __atomic_load_n(&ts->slots[idx], __ATOMIC_RELAXED);
    }
    return sum;
}

uint64_t
coverage_read(const char *name)
{
    uint64_t total = 0;

    vs_mutex_lock(&coverage_mutex);
    for (unsigned int i = 0; i < n_counters; i++) {
        if (!strcmp(counters[i]->name, name)) {
            total = total__(i);
            break;
        }
    }
    vs_mutex_unlock(&coverage_mutex);
    return total;
}

static int
compare_counters(const void *a_, const void *b_)
{
    const struct coverage_counter *const *a = a_, *const *b = b_;

    return strcmp((*a)->name, (*b)->name);
}

char *
coverage_show(bool all)
{
    struct coverage_counter *sorted[COVERAGE_MAX];
    struct ds s = DS_EMPTY_INITIALIZER;
    unsigned int n, n_zero = 0;

    vs_mutex_lock(&coverage_mutex);
    n = n_counters;
    memcpy(sorted, counters, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, compare_counters);
    for (unsigned int i = 0; i < n; i++) {
        uint64_t total = total__(sorted[i]->idx);

        if (total || all) {
            ds_put_format(&s, "%-32s %12llu\n", sorted[i]->name,
                          (unsigned long long) total);
        } else {
            n_zero++;
        }
    }
    vs_mutex_unlock(&coverage_mutex);
    if (n_zero) {
        ds_put_format(&s, "%u events never hit\n", n_zero);
    }
    return ds_steal_cstr(&s);
}
