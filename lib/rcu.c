/* SPDX-License-Identifier: Apache-2.0 */
#include "vswitch/rcu.h"

#include <stdlib.h>

struct postponed {
    struct rcu_head head;  /* liburcu's callback link. */
    void (*fn)(void *aux); /* Function to run after a grace period. */
    void *aux;             /* Its argument. */
};

static __thread bool registered;

void
vrcu_register_thread(void)
{
    urcu_memb_register_thread();
    registered = true;
}

void
vrcu_unregister_thread(void)
{
    if (registered) {
        urcu_memb_unregister_thread();
        registered = false;
    }
}

void
vrcu_thread_init(void)
{
    if (!registered) {
        vrcu_register_thread();
    }
}

bool
vrcu_thread_registered(void)
{
    return registered;
}

void
vrcu_synchronize(void)
{
    urcu_memb_synchronize_rcu();
}

static void
run_postponed(struct rcu_head *head)
{
    struct postponed *p = CONTAINER_OF(head, struct postponed, head);

    p->fn(p->aux);
    free(p);
}

void
vrcu_postpone(void (*fn)(void *aux), void *aux)
{
    struct postponed *p = xmalloc(sizeof *p);

    p->fn = fn;
    p->aux = aux;
    vrcu_thread_init();
    urcu_memb_call_rcu(&p->head, run_postponed);
}

void
vrcu_postpone_free(void *p)
{
    if (p) {
        vrcu_postpone(free, p);
    }
}

void
vrcu_barrier(void)
{
    urcu_memb_barrier();
}
