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
 * bucket 'hash & mask'; 'n' counts the nodes.  hmap_insert() and
 * hmap_remove() grow or shrink the bucket array so that the mean chain length
 * stays between 1/8 and 2 (amortized O(1)); hmap_insert_fast() and
 * hmap_remove_fast() never resize, for callers that batch changes and call
 * hmap_expand()/hmap_shrink() themselves.
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
 * member MEMBER and whose hash is HASH. */
#define HMAP_FOR_EACH_WITH_HASH(NODE, MEMBER, HASH, HMAP)                     \
    for (struct hmap_node *node__ = hmap_first_with_hash(HMAP, HASH);         \
         node__ && ((NODE = OBJECT_CONTAINING(node__, NODE, MEMBER)), 1);     \
         node__ = hmap_next_with_hash(node__))

/* Iterates NODE over every element.  The body must not insert or remove. */
#define HMAP_FOR_EACH(NODE, MEMBER, HMAP)                                     \
    for (struct hmap_node *node__ = hmap_first(HMAP);                         \
         node__ && ((NODE = OBJECT_CONTAINING(node__, NODE, MEMBER)), 1);     \
         node__ = hmap_next(HMAP, node__))

/* Like HMAP_FOR_EACH, but the body may hmap_remove() (and free) NODE. */
#define HMAP_FOR_EACH_SAFE(NODE, MEMBER, HMAP)                                \
    for (struct hmap_node *node__ = hmap_first(HMAP), *next__;                \
         node__                                                               \
         && ((next__ = hmap_next(HMAP, node__)),                              \
             (NODE = OBJECT_CONTAINING(node__, NODE, MEMBER)), 1);            \
         node__ = next__)

/* Removes every element from HMAP, one at a time, into NODE.  The map does
 * not resize while popping. */
#define HMAP_FOR_EACH_POP(NODE, MEMBER, HMAP)                                 \
    for (struct {                                                             \
             size_t bucket;                                                   \
             struct hmap_node *node;                                          \
         } it__ = {0, NULL};                                                  \
         (it__.node = hmap_pop__(HMAP, &it__.bucket))                         \
         && ((NODE = OBJECT_CONTAINING(it__.node, NODE, MEMBER)), 1);)

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
    if (hmap->mask > 7 && hmap->n < (hmap->mask + 1) / 8) {
        hmap_shrink__(hmap);
    }
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
