/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_CLASSIFIER_H
#define VSWITCH_CLASSIFIER_H 1

/*
 * classifier: OpenFlow-style rules (match + priority), looked up by packet,
 * examining as few bits as possible.
 *
 * Why the bits matter: the slow path turns a lookup into a megaflow whose
 * mask is exactly the set of bits the lookup depended on.  A lookup that
 * examines more bits than it needs makes narrower megaflows and sends more
 * packets to the slow path.  cls_lookup() therefore ORs into a caller's
 * 'wc' only the bits its decision depended on, and guarantees
 * (wildcard soundness): every packet that agrees with the looked-up packet
 * on the 1 bits of 'wc' gets the same result.
 *
 * Algorithm (tuple space search):
 *   - Rules with the same mask share a subtable, a hash table keyed by the
 *     hash of the masked flow.  A lookup probes each subtable once.  Rules
 *     with the very same match (differing in priority or version) hang off
 *     one entry in decreasing priority order, so a probe compares one
 *     match and walks only to the first rule visible in its version.
 *   - Subtables are kept sorted by the highest priority they hold; once a
 *     match of priority P is found, subtables whose maximum is <= P are not
 *     examined at all (early exit), and contribute no bits.
 *   - Staged lookup: the hash of the masked flow is computed stage by stage
 *     (metadata, L2, L3, L4; see flow.h).  Each subtable keeps the set of
 *     partial hashes its rules have after each stage; if the packet's
 *     partial hash is absent, no rule can match and only the mask bits of
 *     the stages examined so far are un-wildcarded.  So a subtable that
 *     matches on in_port and tp_dst costs a miss only in_port's bits when
 *     the in_port differs.
 *   - Prefix tries: for nw_src, nw_dst, ipv6_src and ipv6_dst, a trie of
 *     every rule's prefix (cls-trie.h) tells which prefix lengths match the
 *     packet's address; a subtable whose prefix length is not among them is
 *     skipped, un-wildcarding only the address bits the trie examined.
 *
 * Versions: each rule is visible in versions [add_version, remove_version).
 * A writer adds a batch of rules at version V+1 (and marks removals at
 * V+1), then calls cls_publish(V+1): readers that look up the current
 * version see the whole batch at once, and readers still in version V keep
 * a consistent old view.  cls_remove() physically unlinks a rule; call it
 * only once no reader can still look up a version in which the rule is
 * visible, and free the rule after an RCU grace period.
 *
 * Concurrency: one writer (insert, remove, publish, destroy; serialized by
 * the caller), any number of lock-free readers (cls_lookup) inside
 * vrcu_read_lock().  Every thread that uses a classifier must be registered
 * with RCU (vrcu_thread_init()); cls_init() registers its caller.
 */

#include <stdbool.h>
#include <stdint.h>
#include "vswitch/chash.h"
#include "vswitch/cls-trie.h"
#include "vswitch/hmap.h"
#include "vswitch/match.h"

#define CLS_VERSION_MAX UINT64_MAX
/* Address fields with a prefix trie. */
enum cls_trie_field {
    CLS_TRIE_NW_SRC,
    CLS_TRIE_NW_DST,
    CLS_TRIE_IPV6_SRC,
    CLS_TRIE_IPV6_DST,
    CLS_N_TRIES
};

/* Lookup options (for measurement). */
#define CLS_OPT_NO_STAGES (1u << 0) /* Probe whole masks only. */
#define CLS_OPT_NO_TRIES (1u << 1)  /* Don't skip subtables by trie. */

struct cls_subtable;
struct cls_match;

/* A rule keeps its match compactly: only the 64-bit words of struct flow
 * where the mask is nonzero, 'map' saying which.  cls_rule_get_match()
 * gives it back as a struct match. */
struct cls_rule {
    uint64_t *words; /* Masked flow words, then mask words, popcount('map')
                      * of each, in word order (owned; NULL: catch-all). */
    uint32_t map;    /* Bit i: word i of the mask is nonzero (immutable). */
    int priority;    /* Higher wins (immutable). */
    uint64_t add_version;          /* First version that sees the rule. */
    uint64_t remove_version;       /* First version that no longer does
                                    * (atomic; CLS_VERSION_MAX if none). */
    struct cls_subtable *subtable; /* Owning subtable while inserted. */
    struct cls_match *cls_match;   /* Rules with this exact match (writer). */
    struct cls_rule *next;         /* RCU: next rule with the same match, in
                                    * decreasing priority order. */
    uint64_t hash;                 /* Hash of the masked flow. */
};

struct cls_subtables;

struct classifier {
    struct cls_subtables *subtables; /* RCU: array sorted by max priority. */
    struct hmap by_mask;             /* All subtables by mask (writer). */
    struct cls_trie tries[CLS_N_TRIES]; /* Prefix tries. */
    uint64_t version;                   /* Published version (atomic). */
    size_t n_rules;                     /* Rules inserted (writer). */
    unsigned int opts;                  /* CLS_OPT_* (tests, benchmarks). */
};

void cls_init(struct classifier *);
/* Frees the classifier's own memory (not the rules).  No reader may remain
 * and every rule must have been removed, or will simply be forgotten. */
void cls_destroy(struct classifier *);

/* Copies 'match' (masked: flow bits outside the mask are dropped) into
 * 'rule', which owns the copy until cls_rule_destroy(). */
void cls_rule_init(struct cls_rule *, const struct match *, int priority);
/* Frees what cls_rule_init() allocated (not 'rule' itself); NULL is fine.
 * Only once no reader can see the rule (after an RCU grace period). */
void cls_rule_destroy(struct cls_rule *);
/* The rule's match, in 'match' (its flow masked). */
void cls_rule_get_match(const struct cls_rule *, struct match *);
/* Whether 'rule' has the same match as 'match' (ignoring bits of
 * 'match''s flow outside its mask). */
bool cls_rule_equal_match(const struct cls_rule *, const struct match *);

/* Writer: inserts 'rule', visible from 'version' on.  The classifier keeps
 * a pointer; the rule must stay allocated until removed. */
void cls_insert(struct classifier *, struct cls_rule *, uint64_t version);
/* Writer: makes 'rule' invisible from 'version' on. */
void cls_rule_make_invisible_in_version(struct cls_rule *, uint64_t version);
/* Writer: unlinks 'rule'.  Readers may still hold it: free it only after
 * a grace period (vrcu_postpone). */
void cls_remove(struct classifier *, struct cls_rule *);
/* Writer: the inserted rule with exactly 'match' and 'priority' that has
 * not been made invisible in any version, or NULL. */
const struct cls_rule *cls_find_exactly(const struct classifier *,
                                        const struct match *, int priority);
/* Writer: unlinks every rule at once, as cls_remove() of each would, in
 * time proportional to the classifier's size but with no per-rule hash or
 * trie updates.  The same rules as cls_remove(): free them only after a
 * grace period. */
void cls_clear(struct classifier *);
/* Writer: makes 'version' the current version. */
void cls_publish(struct classifier *, uint64_t version);
uint64_t cls_current_version(const struct classifier *);

/* Reader: the highest-priority rule visible in 'version' that matches
 * 'flow', or NULL.  ORs into 'wc' (if nonnull) the bits the result
 * depended on.  Must be called inside vrcu_read_lock(). */
const struct cls_rule *cls_lookup(const struct classifier *, uint64_t version,
                                  const struct flow *flow, struct flow *wc);

/* Number of subtables (writer's view). */
size_t cls_n_subtables(const struct classifier *);
/* Sets CLS_OPT_* (writer, before lookups start). */
void cls_set_opts(struct classifier *, unsigned int opts);

#endif /* VSWITCH_CLASSIFIER_H */
