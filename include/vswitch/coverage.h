/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_COVERAGE_H
#define VSWITCH_COVERAGE_H 1

/*
 * coverage: named event counters cheap enough to leave on in the fast path.
 *
 * Define a counter once, in the file that owns the event:
 *
 *     COVERAGE_DEFINE(upcall_lost);
 *
 * and count with COVERAGE_INC(upcall_lost) or COVERAGE_ADD(upcall_lost, n).
 * Use COVERAGE_DECLARE(name) in other files that count the same event.
 *
 * Design: every thread that counts owns a private array of 64-bit slots, one
 * per counter, so an increment is a plain add to thread-local memory: no
 * lock, no atomic read-modify-write, no shared cache line.  Readers sum the
 * slots of every thread under a mutex (coverage_read()); threads that exit
 * fold their counts into a global total first.  Counts are exact once the
 * counting threads are quiescent and never go backwards.
 *
 * Thread-safety: COVERAGE_INC/ADD from any thread; coverage_read() and
 * coverage_show() from any thread.
 */

#include <stdbool.h>
#include <stdint.h>
#include "vswitch/util.h"

#define COVERAGE_MAX 1024

struct coverage_counter {
    const char *name; /* Counter name. */
    unsigned int idx; /* Slot in every thread's array. */
};

void coverage_register__(struct coverage_counter *);
uint64_t *coverage_thread_slots__(void);

#define COVERAGE_DEFINE(NAME)                                                 \
    struct coverage_counter coverage_##NAME = {#NAME, 0};                     \
    static void __attribute__((constructor)) coverage_init_##NAME(void)       \
    {                                                                         \
        coverage_register__(&coverage_##NAME);                                \
    }                                                                         \
    struct coverage_dummy_##NAME

#define COVERAGE_DECLARE(NAME) extern struct coverage_counter coverage_##NAME

extern __thread uint64_t *coverage_slots__;

static inline void
coverage_add__(const struct coverage_counter *c, uint64_t n)
{
    uint64_t *slots = coverage_slots__;

    if (VS_UNLIKELY(!slots)) {
        slots = coverage_thread_slots__();
    }
    /* Only this thread writes the slot; readers load it atomically. */
    __atomic_store_n(&slots[c->idx],
                     __atomic_load_n(&slots[c->idx], __ATOMIC_RELAXED) + n,
                     __ATOMIC_RELAXED);
}

#define COVERAGE_INC(NAME) coverage_add__(&coverage_##NAME, 1)
#define COVERAGE_ADD(NAME, N) coverage_add__(&coverage_##NAME, (N))

/* The current total of the counter called 'name' (0 if none). */
uint64_t coverage_read(const char *name);
/* All counters with a non-zero total as "name  total" lines, sorted by name;
 * with 'all', zero counters too.  The caller frees the string. */
char *coverage_show(bool all);

#endif /* VSWITCH_COVERAGE_H */
