/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_RCU_H
#define VSWITCH_RCU_H 1

/*
 * rcu: read-copy-update for userspace, a thin layer over liburcu.
 *
 * Why: readers of shared tables (classifier, megaflow cache, MAC table) must
 * never wait for a writer.  With RCU a reader brackets its accesses with
 * vrcu_read_lock()/vrcu_read_unlock() (a few instructions, no shared-memory
 * write) and loads protected pointers with VRCU_GET(); a writer publishes a
 * new version with VRCU_SET() and frees the old one only after every reader
 * that might still see it has left its read-side section: vrcu_synchronize()
 * waits for that, vrcu_postpone() defers a free without waiting.
 *
 * Flavor: liburcu's "memb" flavor (membarrier-based): read-side sections need
 * no periodic quiescent-state announcements, which suits threads that block
 * in epoll.  We call liburcu's functions rather than inlining its LGPL code
 * (_LGPL_SOURCE is not defined).
 *
 * Rules:
 *   - every thread that reads under RCU calls vrcu_register_thread() once
 *     (vrcu_thread_init() does it idempotently) and vrcu_unregister_thread()
 *     before it exits;
 *   - read-side sections may nest and must not block for long;
 *   - vrcu_synchronize() must not be called inside a read-side section;
 *   - callbacks passed to vrcu_postpone() run on liburcu's call_rcu thread.
 *
 * Thread-safety: all functions are safe from any registered thread.
 */

#include <stdbool.h>
#include <urcu/urcu-memb.h>
#include <urcu/rculist.h>
#include "vswitch/util.h"

/* Loads an RCU-protected pointer inside a read-side section. */
#define VRCU_GET(P) rcu_dereference(P)
/* Publishes 'V' into RCU-protected pointer 'P' (orders prior stores). */
#define VRCU_SET(P, V) rcu_assign_pointer(P, V)

static inline void
vrcu_read_lock(void)
{
    urcu_memb_read_lock();
}

static inline void
vrcu_read_unlock(void)
{
    urcu_memb_read_unlock();
}

void vrcu_register_thread(void);
void vrcu_unregister_thread(void);
/* Registers the calling thread if it is not yet registered. */
void vrcu_thread_init(void);
bool vrcu_thread_registered(void);

/* Waits until every read-side section that began before the call ended. */
void vrcu_synchronize(void);

/* Calls 'fn(aux)' after a grace period, without blocking the caller. */
void vrcu_postpone(void (*fn)(void *aux), void *aux);
/* Shorthand for vrcu_postpone(free, p). */
void vrcu_postpone_free(void *p);

/* Waits for every postponed callback queued so far to have run (tests and
 * clean shutdown). */
void vrcu_barrier(void);

#endif /* VSWITCH_RCU_H */
