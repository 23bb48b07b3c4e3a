/* SPDX-License-Identifier: Apache-2.0 */
/* cls-trie: binary prefix trie for classifier address fields. */

#include <stdlib.h>
#include <string.h>
#include "vswitch/cls-trie.h"
#include "vswitch/rcu.h"

static inline unsigned int
addr_bit(const uint8_t *addr, unsigned int i)
{
    return (addr[i / 8] >> (7 - i % 8)) & 1;
}

void
cls_trie_init(struct cls_trie *t, unsigned int n_bits)
{
    t->root = xzalloc(sizeof *t->root);
    t->n_bits = n_bits;
}

static void
free_subtree(void *node_)
{
    struct cls_trie_node *node = node_;

    if (node) {
        free_subtree(node->child[0]);
        free_subtree(node->child[1]);
        free(node);
    }
}

void
cls_trie_destroy(struct cls_trie *t)
{
    if (t) {
        free_subtree(t->root);
        t->root = NULL;
    }
}

void
cls_trie_clear(struct cls_trie *t)
{
    struct cls_trie_node *old = t->root;

    VRCU_SET(t->root, xzalloc(sizeof *t->root));
    vrcu_postpone(free_subtree, old);
}

void
cls_trie_insert(struct cls_trie *t, const uint8_t *addr, unsigned int plen)
{
    struct cls_trie_node *node = t->root;

    node->n_refs++;
    for (unsigned int d = 0; d < plen; d++) {
        unsigned int b = addr_bit(addr, d);
        struct cls_trie_node *child = node->child[b];

        if (!child) {
            child = xzalloc(sizeof *child);
            VRCU_SET(node->child[b], child);
        }
        node = child;
        node->n_refs++;
    }
    __atomic_store_n(&node->n_here, node->n_here + 1, __ATOMIC_RELEASE);
}

void
cls_trie_remove(struct cls_trie *t, const uint8_t *addr, unsigned int plen)
{
    struct cls_trie_node *node = t->root;

    node->n_refs--;
    for (unsigned int d = 0; d < plen; d++) {
        unsigned int b = addr_bit(addr, d);
        struct cls_trie_node *child = node->child[b];

        if (!--child->n_refs) {
            /* Nothing left below: unlink the whole subtree. */
            VRCU_SET(node->child[b], NULL);
            vrcu_postpone(free_subtree, child);
            return;
        }
        node = child;
    }
    __atomic_store_n(&node->n_here, node->n_here - 1, __ATOMIC_RELEASE);
}

void
cls_trie_lookup(const struct cls_trie *t, const uint8_t *addr,
                struct cls_trie_plens *plens, unsigned int *walk_bits)
{
    const struct cls_trie_node *node = VRCU_GET(t->root);
    unsigned int d = 0;

    memset(plens, 0, sizeof *plens);
    for (;;) {
        const struct cls_trie_node *child, *other;
        unsigned int b;

        if (__atomic_load_n(&node->n_here, __ATOMIC_ACQUIRE)) {
            plens->words[d / 64] |= UINT64_C(1) << (d % 64);
        }
        if (d == t->n_bits) {
            break;
        }
        b = addr_bit(addr, d);
        child = VRCU_GET(node->child[b]);
        if (!child) {
            /* Examined bit 'd' only if the other branch exists. */
            other = VRCU_GET(node->child[!b]);
            d += other != NULL;
            break;
        }
        node = child;
        d++;
    }
    *walk_bits = d;
}
