/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_CHASH_H
#define VSWITCH_CHASH_H 1

/*
 * chash: a hash multimap from 64-bit hashes to pointers, for one writer and
 * many lock-free readers under RCU.
 *
 * Why not hmap: an hmap's nodes are intrusive and move between chains when
 * it resizes, which a concurrent reader cannot survive.  chash allocates its
 * own small chain nodes; a reader follows 'next' pointers loaded with
 * VRCU_GET() and always sees a consistent chain:
 *   - insert links a fully initialized node at the head of its chain;
 *   - remove unlinks a node with one pointer store and frees it after a
 *     grace period (vrcu_postpone), so a reader standing on it can go on;
 *   - resize builds a complete new table (new nodes), publishes it with one
 *     pointer store and frees the old one after a grace period.
 * The table doubles when the mean chain exceeds 2 and halves below 1/8.
 *
 * Readers must be inside vrcu_read_lock()/unlock() (and registered with
 * RCU).  Writers must be serialized by the caller.  The map never owns or
 * frees the data pointers.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vswitch/rcu.h"

struct chash_node {
    uint64_t hash;              /* Hash of the entry's key. */
    void *data;                 /* The caller's pointer. */
    struct chash_node *next;    /* RCU-protected next node in the chain. */
};

struct chash_impl {
    size_t mask;                /* Bucket count minus one. */
    size_t n;                   /* Entries (writer's count). */
    struct chash_node *buckets[]; /* RCU-protected chain heads. */
};

struct chash {
    struct chash_impl *impl;    /* RCU-protected current table. */
};

void chash_init(struct chash *);
/* Frees the table and nodes at once (the caller ensures no reader remains,
 * e.g. from a postponed callback). */
void chash_destroy(struct chash *);

/* Writer: adds 'data' under 'hash' (duplicates allowed). */
void chash_insert(struct chash *, uint64_t hash, void *data);
/* Writer: removes the entry ('hash', 'data').  Returns false if absent. */
bool chash_remove(struct chash *, uint64_t hash, const void *data);
/* Number of entries (writer's view). */
size_t chash_count(const struct chash *);

/* Reader: the first node with 'hash' or NULL; then the next one. */
static inline const struct chash_node *
chash_next_with_hash__(const struct chash_node *node, uint64_t hash)
{
    while (node && node->hash != hash) {
        node = VRCU_GET(node->next);
    }
    return node;
}

static inline const struct chash_node *
chash_first(const struct chash *ch, uint64_t hash)
{
    const struct chash_impl *impl = VRCU_GET(ch->impl);

    return chash_next_with_hash__(VRCU_GET(impl->buckets[hash & impl->mask]),
                                  hash);
}

static inline const struct chash_node *
chash_next(const struct chash_node *node)
{
    return chash_next_with_hash__(VRCU_GET(node->next), node->hash);
}

static inline bool
chash_contains(const struct chash *ch, uint64_t hash)
{
    return chash_first(ch, hash) != NULL;
}

/* Writer: calls 'cb(data, aux)' for every entry. */
void chash_for_each(const struct chash *, void (*cb)(void *data, void *aux),
                    void *aux);

#endif /* VSWITCH_CHASH_H */
