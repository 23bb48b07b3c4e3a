/* SPDX-License-Identifier: Apache-2.0 */
#include "vswitch/hmap.h"

#include <stdlib.h>
#include <string.h>

void
hmap_init(struct hmap *hmap)
{
    hmap->buckets = &hmap->one;
    hmap->one = NULL;
    hmap->mask = 0;
    hmap->n = 0;
}

void
hmap_destroy(struct hmap *hmap)
{
    if (hmap && hmap->buckets != &hmap->one) {
        free(hmap->buckets);
    }
}

void
hmap_clear(struct hmap *hmap)
{
    if (hmap->n > 0) {
        hmap->n = 0;
        memset(hmap->buckets, 0, (hmap->mask + 1) * sizeof *hmap->buckets);
    }
}

void
hmap_swap(struct hmap *a, struct hmap *b)
{
    struct hmap tmp = *a;

    *a = *b;
    *b = tmp;
    hmap_moved(a);
    hmap_moved(b);
}

/* Fixes up 'hmap' after its struct was moved in memory. */
void
hmap_moved(struct hmap *hmap)
{
    if (!hmap->mask) {
        hmap->buckets = &hmap->one;
    }
}

static void
resize(struct hmap *hmap, size_t new_mask)
{
    struct hmap_node **buckets;
    struct hmap tmp;
    size_t i;

    if (new_mask == hmap->mask) {
        return;
    }
    tmp.mask = new_mask;
    tmp.n = hmap->n;
    if (new_mask) {
        tmp.buckets = xcalloc(new_mask + 1, sizeof *tmp.buckets);
    } else {
        tmp.one = NULL;
        tmp.buckets = &tmp.one;
    }
    for (i = 0; i <= hmap->mask; i++) {
        struct hmap_node *node, *next;

        for (node = hmap->buckets[i]; node; node = next) {
            struct hmap_node **b = &tmp.buckets[node->hash & new_mask];

            next = node->next;
            node->next = *b;
            *b = node;
        }
    }
    buckets = hmap->buckets;
    if (buckets != &hmap->one) {
        free(buckets);
    }
    if (new_mask) {
        hmap->buckets = tmp.buckets;
    } else {
        hmap->one = tmp.one;
        hmap->buckets = &hmap->one;
    }
    hmap->mask = new_mask;
}

/* The mask for 'capacity' nodes at a mean chain length of at most 1. */
static size_t
calc_mask(size_t capacity)
{
    size_t mask = capacity;

    if (mask <= 1) {
        return 0;
    }
    mask--;
    for (size_t shift = 1; shift < sizeof mask * 8; shift <<= 1) {
        mask |= mask >> shift;
    }
    return mask;
}

void
hmap_grow__(struct hmap *hmap)
{
    resize(hmap, calc_mask(hmap->n));
}

void
hmap_shrink__(struct hmap *hmap)
{
    resize(hmap, calc_mask(hmap->n));
}

void
hmap_expand(struct hmap *hmap)
{
    size_t mask = calc_mask(hmap->n);

    if (mask > hmap->mask) {
        resize(hmap, mask);
    }
}

void
hmap_shrink(struct hmap *hmap)
{
    size_t mask = calc_mask(hmap->n);

    if (mask < hmap->mask) {
        resize(hmap, mask);
    }
}

void
hmap_reserve(struct hmap *hmap, size_t capacity)
{
    size_t mask = calc_mask(capacity);

    if (mask > hmap->mask) {
        resize(hmap, mask);
    }
}

void
hmap_replace(struct hmap *hmap, const struct hmap_node *old_node,
             struct hmap_node *new_node)
{
    struct hmap_node **pp = &hmap->buckets[old_node->hash & hmap->mask];

    while (*pp != old_node) {
        pp = &(*pp)->next;
    }
    new_node->hash = old_node->hash;
    new_node->next = old_node->next;
    *pp = new_node;
}

static struct hmap_node *
first_from(const struct hmap *hmap, size_t bucket)
{
    for (; bucket <= hmap->mask; bucket++) {
        if (hmap->buckets[bucket]) {
            return hmap->buckets[bucket];
        }
    }
    return NULL;
}

struct hmap_node *
hmap_first(const struct hmap *hmap)
{
    return first_from(hmap, 0);
}

struct hmap_node *
hmap_next(const struct hmap *hmap, const struct hmap_node *node)
{
    return node->next ? node->next
                      : first_from(hmap, (node->hash & hmap->mask) + 1);
}

struct hmap_node *
hmap_pop__(struct hmap *hmap, size_t *bucket)
{
    for (; *bucket <= hmap->mask; (*bucket)++) {
        struct hmap_node *node = hmap->buckets[*bucket];

        if (node) {
            hmap->buckets[*bucket] = node->next;
            hmap->n--;
            return node;
        }
    }
    return NULL;
}

struct hmap_node *
hmap_at_position(const struct hmap *hmap, uint32_t *bucket, uint32_t *offset)
{
    for (size_t b = *bucket; b <= hmap->mask; b++) {
        struct hmap_node *node = hmap->buckets[b];
        uint32_t i;

        for (i = 0; node && i < *offset; i++) {
            node = node->next;
        }
        if (node) {
            *bucket = b;
            *offset = i + 1;
            return node;
        }
        *offset = 0;
    }
    *bucket = hmap->mask + 1;
    *offset = 0;
    return NULL;
}

bool
hmap_contains(const struct hmap *hmap, const struct hmap_node *node)
{
    const struct hmap_node *p;

    for (p = hmap->buckets[node->hash & hmap->mask]; p; p = p->next) {
        if (p == node) {
            return true;
        }
    }
    return false;
}
