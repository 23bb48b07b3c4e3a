/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_HMAP_H
#define VSWITCH_HMAP_H 1

/*
 * hmap: an intrusive, resizable hash map with separate chaining.
 *
 * Elements embed a 'struct hmap_node'.  The caller computes the hash (see
 * hash.h) and compares keys itself: the map only stores nodes in buckets by
 * hash, so one map can hold any kind of key and duplicates are allowed.
 *
 * Invariants: the bucket count is a power of two ('mask' + 1); a node lives in
 * bucket 'hash & mask'; 'n' counts the nodes.  hmap_insert() grows the
 * bucket array so that the mean chain length stays at most 2 (amortized
 * O(1)); removals never resize it, so that HMAP_FOR_EACH_SAFE may remove
 * while it iterates (a shrink would rehash under the iterator and skip
 * nodes): call hmap_shrink() after removing many.  hmap_insert_fast()
 * never resizes, for callers that batch insertions and call hmap_expand()
 * themselves.
 *
 * Iteration order is unspecified and changes when the map resizes.
 *
 * Thread-safety: none.  Readers and writers must be serialized by the
 * caller; for many lock-free readers use an RCU-protected structure.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vswitch/util.h"

struct hmap_node {
    size_t hash;            /* Hash of the element's key. */
    struct hmap_node *next; /* Next node in the same bucket. */
};

struct hmap {
    struct hmap_node **buckets; /* 'mask' + 1 chains. */
    struct hmap_node *one;      /* The bucket array while 'mask' == 0. */
    size_t mask;                /* Bucket count minus one. */
    size_t n;                   /* Number of nodes. */
};

#define HMAP_INITIALIZER(HMAP)                                                \
    {                                                                         \
        (struct hmap_node **) &(HMAP)->one, NULL, 0, 0                        \
    }

void hmap_init(struct hmap *);
void hmap_destroy(struct hmap *);
void hmap_clear(struct hmap *);
void hmap_swap(struct hmap *, struct hmap *);
void hmap_moved(struct hmap *);

static inline size_t hmap_count(const struct hmap *);
static inline bool hmap_is_empty(const struct hmap *);

/* Resizes so that the map can hold its current nodes (hmap_expand: plus
 * growth room) at the target load factor. */
void hmap_expand(struct hmap *);
void hmap_shrink(struct hmap *);
void hmap_reserve(struct hmap *, size_t capacity);

static inline void hmap_insert_fast(struct hmap *, struct hmap_node *,
                                    size_t hash);
static inline void hmap_insert(struct hmap *, struct hmap_node *, size_t hash);
static inline void hmap_remove_fast(struct hmap *, struct hmap_node *);
static inline void hmap_remove(struct hmap *, struct hmap_node *);
/* Puts 'new_node' in the place of 'old_node', which must have the same
 * hash. */
void hmap_replace(struct hmap *, const struct hmap_node *old_node,
                  struct hmap_node *new_node);

/* The first node with 'hash', or NULL; then the next one with the same hash.
 * Callers still compare keys. */
static inline struct hmap_node *hmap_first_with_hash(const struct hmap *,
                                                     size_t hash);
static inline struct hmap_node *hmap_next_with_hash(const struct hmap_node *);

/* Whole-map iteration by node. */
struct hmap_node *hmap_first(const struct hmap *);
struct hmap_node *hmap_next(const struct hmap *, const struct hmap_node *);

/* Position-based iteration that survives the caller dropping its lock
 * between calls (may skip or repeat nodes if the map changed meanwhile):
 * start with *bucket = *offset = 0; returns NULL at the end. */
struct hmap_node *hmap_at_position(const struct hmap *, uint32_t *bucket,
                                   uint32_t *offset);

/* Whether 'node' is in 'hmap' (O(chain length)). */
bool hmap_contains(const struct hmap *, const struct hmap_node *);

/* Iterates NODE (a pointer to the element type) over elements whose node is
 * member MEMBER and whose hash is HASH.  NODE must be a plain identifier:
 * the iteration cursor is named after it, so loops nest without
 * shadowing. */
#define HMAP_FOR_EACH_WITH_HASH(NODE, MEMBER, HASH, HMAP)                     \
    for (struct hmap_node *NODE##__n = hmap_first_with_hash(HMAP, HASH);      \
         NODE##__n                                                            \
         && ((NODE = OBJECT_CONTAINING(NODE##__n, NODE, MEMBER)), 1);         \
         NODE##__n = hmap_next_with_hash(NODE##__n))

/* Iterates NODE over every element.  The body must not insert or remove. */
#define HMAP_FOR_EACH(NODE, MEMBER, HMAP)                                     \
    for (struct hmap_node *NODE##__n = hmap_first(HMAP);                      \
         NODE##__n                                                            \
         && ((NODE = OBJECT_CONTAINING(NODE##__n, NODE, MEMBER)), 1);         \
         NODE##__n = hmap_next(HMAP, NODE##__n))

/* Like HMAP_FOR_EACH, but the body may hmap_remove() (and free) NODE. */
#define HMAP_FOR_EACH_SAFE(NODE, MEMBER, HMAP)                                \
    for (struct hmap_node *NODE##__n = hmap_first(HMAP), *NODE##__next;       \
         NODE##__n                                                            \
         && ((NODE##__next = hmap_next(HMAP, NODE##__n)),                     \
             (NODE = OBJECT_CONTAINING(NODE##__n, NODE, MEMBER)), 1);         \
         NODE##__n = NODE##__next)

/* Removes every element from HMAP, one at a time, into NODE.  The map does
 * not resize while popping. */
#define HMAP_FOR_EACH_POP(NODE, MEMBER, HMAP)                                 \
    for (struct {                                                             \
             size_t bucket;                                                   \
             struct hmap_node *node;                                          \
         } NODE##__it = {0, NULL};                                            \
         (NODE##__it.node = hmap_pop__(HMAP, &NODE##__it.bucket))             \
         && ((NODE = OBJECT_CONTAINING(NODE##__it.node, NODE, MEMBER)), 1);)

/* Inline implementations. */

void hmap_grow__(struct hmap *);
struct hmap_node *hmap_pop__(struct hmap *, size_t *bucket);
void hmap_shrink__(struct hmap *);

static inline size_t
hmap_count(const struct hmap *hmap)
{
    return hmap->n;
}

static inline bool
hmap_is_empty(const struct hmap *hmap)
{
    return hmap->n == 0;
}

static inline void
hmap_insert_fast(struct hmap *hmap, struct hmap_node *node, size_t hash)
{
    struct hmap_node **bucket = &hmap->buckets[hash & hmap->mask];

    node->hash = hash;
    node->next = *bucket;
    *bucket = node;
    hmap->n++;
}

static inline void
hmap_insert(struct hmap *hmap, struct hmap_node *node, size_t hash)
{
    hmap_insert_fast(hmap, node, hash);
    if (hmap->n / 2 > hmap->mask) {
        hmap_grow__(hmap);
    }
}

static inline void
hmap_remove_fast(struct hmap *hmap, struct hmap_node *node)
{
    struct hmap_node **pp = &hmap->buckets[node->hash & hmap->mask];

    while (*pp != node) {
        pp = &(*pp)->next;
    }
    *pp = node->next;
    hmap->n--;
}

static inline void
hmap_remove(struct hmap *hmap, struct hmap_node *node)
{
    hmap_remove_fast(hmap, node);
}

static inline struct hmap_node *
hmap_next_with_hash__(const struct hmap_node *node, size_t hash)
{
    while (node && node->hash != hash) {
        node = node->next;
    }
    return (struct hmap_node *) node;
}

static inline struct hmap_node *
hmap_first_with_hash(const struct hmap *hmap, size_t hash)
{
    return hmap_next_with_hash__(hmap->buckets[hash & hmap->mask], hash);
}

static inline struct hmap_node *
hmap_next_with_hash(const struct hmap_node *node)
{
    return hmap_next_with_hash__(node->next, node->hash);
}

#endif /* VSWITCH_HMAP_H */
