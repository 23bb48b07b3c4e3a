/* SPDX-License-Identifier: Apache-2.0 */
/* chash: RCU-safe hash multimap (one writer, lock-free readers). */

#include <stdlib.h>
#include "vswitch/chash.h"

static struct chash_impl *
impl_new(size_t n_buckets)
{
    struct chash_impl *impl =
        xzalloc(sizeof *impl + n_buckets * sizeof impl->buckets[0]);

    impl->mask = n_buckets - 1;
    return impl;
}

static void
impl_free(void *impl_)
{
    struct chash_impl *impl = impl_;

    for (size_t i = 0; i <= impl->mask; i++) {
        struct chash_node *node = impl->buckets[i], *next;

        for (; node; node = next) {
            next = node->next;
            free(node);
        }
    }
    free(impl);
}

void
chash_init(struct chash *ch)
{
    ch->impl = impl_new(1);
}

void
chash_destroy(struct chash *ch)
{
    if (ch && ch->impl) {
        impl_free(ch->impl);
        ch->impl = NULL;
    }
}

size_t
chash_count(const struct chash *ch)
{
    return ch->impl->n;
}

static void
link_node(struct chash_impl *impl, uint64_t hash, void *data)
{
    struct chash_node *node = xmalloc(sizeof *node);
    struct chash_node **head = &impl->buckets[hash & impl->mask];

    node->hash = hash;
    node->data = data;
    node->next = *head;
    VRCU_SET(*head, node);
    impl->n++;
}

static void
resize(struct chash *ch, size_t n_buckets)
{
    struct chash_impl *old = ch->impl;
    struct chash_impl *new = impl_new(n_buckets);

    for (size_t i = 0; i <= old->mask; i++) {
        for (struct chash_node *node = old->buckets[i]; node;
             node = node->next) {
            link_node(new, node->hash, node->data);
        }
    }
    VRCU_SET(ch->impl, new);
    vrcu_postpone(impl_free, old);
}

void
chash_insert(struct chash *ch, uint64_t hash, void *data)
{
    link_node(ch->impl, hash, data);
    if (ch->impl->n / 2 > ch->impl->mask) {
        resize(ch, (ch->impl->mask + 1) * 4);
    }
}

bool
chash_remove(struct chash *ch, uint64_t hash, const void *data)
{
    struct chash_impl *impl = ch->impl;
    struct chash_node **pp = &impl->buckets[hash & impl->mask];

    for (; *pp; pp = &(*pp)->next) {
        struct chash_node *node = *pp;

        if (node->hash == hash && node->data == data) {
            VRCU_SET(*pp, node->next);
            vrcu_postpone_free(node);
            impl->n--;
            if (impl->mask > 7 && impl->n < (impl->mask + 1) / 8) {
                resize(ch, (impl->mask + 1) / 4);
            }
            return true;
        }
    }
    return false;
}

void
chash_for_each(const struct chash *ch, void (*cb)(void *data, void *aux),
               void *aux)
{
    const struct chash_impl *impl = ch->impl;

    for (size_t i = 0; i <= impl->mask; i++) {
        for (struct chash_node *node = impl->buckets[i], *next; node;
             node = next) {
            next = node->next;
            cb(node->data, aux);
        }
    }
}
