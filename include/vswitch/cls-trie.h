/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_CLS_TRIE_H
#define VSWITCH_CLS_TRIE_H 1

/*
 * cls-trie: a binary prefix trie over one address field of the classifier's
 * rules (nw_src, nw_dst, ipv6_src, ipv6_dst), used to skip subtables
 * without looking at their other fields.
 *
 * Every rule of a subtable whose mask on the field is a CIDR prefix of
 * length L > 0 is inserted as (value, L).  A node at depth d counts the
 * prefixes that end there ('n_here') and that pass through it ('n_refs').
 *
 * cls_trie_lookup() walks the packet's address from the root and returns:
 *   - 'plens': bit L set if some inserted prefix of length L matches;
 *   - 'walk_bits': how many leading address bits the walk depended on.
 * Soundness: every address that agrees with the packet's on its first
 * 'walk_bits' bits walks the same path and gets the same 'plens'.  So a
 * subtable with prefix length L that is absent from 'plens' can be skipped
 * after un-wildcarding only min(L, walk_bits) bits of the field: with L
 * bits, the same length-L prefixes match; with walk_bits bits, the walk
 * ends at the same node.
 *
 * Concurrency: one writer (the classifier's), many readers under RCU.
 * Children are published with VRCU_SET and unlinked subtrees are freed
 * after a grace period.  A reader may see a prefix being added or removed
 * or not; the classifier keeps removed rules in the trie until they are
 * invisible to every version (see classifier.h), so a stale answer can
 * only cost a skip, never wrongly skip.
 */

#include <stdint.h>
#include "vswitch/util.h"

#define CLS_TRIE_MAX_BITS 128

struct cls_trie_node {
    struct cls_trie_node *child[2]; /* RCU-protected children (0, 1). */
    uint32_t n_here;                /* Prefixes ending at this node. */
    uint32_t n_refs;                /* Prefixes at or below (writer). */
};

struct cls_trie {
    struct cls_trie_node *root; /* Depth 0; never NULL after init. */
    unsigned int n_bits;        /* Field width: 32 or 128. */
};

/* Plens bitmap: bit L of words[L / 64]. */
struct cls_trie_plens {
    uint64_t words[3]; /* Lengths 0..128. */
};

void cls_trie_init(struct cls_trie *, unsigned int n_bits);
/* Frees every node at once (no reader may remain). */
void cls_trie_destroy(struct cls_trie *);
/* Writer: empties the trie; its nodes are freed after a grace period. */
void cls_trie_clear(struct cls_trie *);
/* Writer: adds (or removes) the prefix of 'plen' bits of 'addr' (network
 * order bytes). */
void cls_trie_insert(struct cls_trie *, const uint8_t *addr,
                     unsigned int plen);
void cls_trie_remove(struct cls_trie *, const uint8_t *addr,
                     unsigned int plen);
/* Reader (under vrcu_read_lock): see the header comment. */
void cls_trie_lookup(const struct cls_trie *, const uint8_t *addr,
                     struct cls_trie_plens *plens, unsigned int *walk_bits);

static inline bool
cls_trie_plens_has(const struct cls_trie_plens *p, unsigned int plen)
{
    return (p->words[plen / 64] >> (plen % 64)) & 1;
}

#endif /* VSWITCH_CLS_TRIE_H */
