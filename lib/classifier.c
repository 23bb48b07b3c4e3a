/* SPDX-License-Identifier: Apache-2.0 */
/* classifier: tuple space search with priority-sorted subtables, staged
 * lookup and prefix tries (see classifier.h for the design). */

#include <stdlib.h>
#include <string.h>
#include "vswitch/classifier.h"
#include "vswitch/coverage.h"
#include "vswitch/hash.h"
#include "vswitch/rcu.h"

COVERAGE_DEFINE(cls_stage_miss);
COVERAGE_DEFINE(cls_trie_skip);

struct cls_subtable {
    struct hmap_node by_mask_node;    /* In classifier's 'by_mask'. */
    struct flow mask;                 /* The mask all rules share. */
    uint8_t words[FLOW_U64S];         /* Indexes of nonzero mask words. */
    uint8_t stage_end[FLOW_N_STAGES]; /* End of each stage in 'words'. */
    int n_stages;                     /* Stages up to the last nonempty. */
    struct chash rules;               /* cls_match entries by full hash. */
    struct chash stage_sets[FLOW_N_STAGES]; /* stage_entry by partial hash. */
    int max_priority;                       /* Highest priority (atomic). */
    size_t n_max_priority; /* Rules of priority 'max_priority' (writer). */
    size_t n_rules;        /* Rules (writer). */
    int16_t trie_plen[CLS_N_TRIES]; /* Prefix length per trie field, 0 if
                                        * unmatched, -1 if not a prefix. */
};

/* The rules of a subtable that share one match. */
struct cls_match {
    uint64_t hash;         /* Hash of the masked flow. */
    struct cls_rule *head; /* RCU: highest-priority rule. */
};

struct cls_subtables {
    size_t n;                  /* Subtables. */
    struct cls_subtable *st[]; /* By decreasing max priority. */
};

static const struct {
    uint16_t ofs;    /* Offset in struct flow. */
    uint16_t n_bits; /* Width. */
} trie_fields[CLS_N_TRIES] = {
    [CLS_TRIE_NW_SRC] = {offsetof(struct flow, nw_src), 32},
    [CLS_TRIE_NW_DST] = {offsetof(struct flow, nw_dst), 32},
    [CLS_TRIE_IPV6_SRC] = {offsetof(struct flow, ipv6_src), 128},
    [CLS_TRIE_IPV6_DST] = {offsetof(struct flow, ipv6_dst), 128},
};

/* Length of the CIDR prefix in the 'n_bytes' at 'p', 0 if all zero, -1 if
 * not a prefix. */
static int
prefix_len(const uint8_t *p, size_t n_bytes)
{
    int len = 0;
    size_t i = 0;

    for (; i < n_bytes && p[i] == 0xff; i++) {
        len += 8;
    }
    if (i < n_bytes) {
        uint8_t b = p[i];
        int ones = __builtin_clz((unsigned int) (uint8_t) ~b) - 24;

        if ((uint8_t) (b << ones)) {
            return -1;
        }
        len += ones;
        for (i++; i < n_bytes; i++) {
            if (p[i]) {
                return -1;
            }
        }
    }
    return len;
}

static void
set_prefix_bits(uint8_t *p, unsigned int n_bits)
{
    unsigned int i;

    for (i = 0; i < n_bits / 8; i++) {
        p[i] = 0xff;
    }
    if (n_bits % 8) {
        p[i] |= (uint8_t) (0xff00 >> (n_bits % 8));
    }
}

void
cls_init(struct classifier *cls)
{
    struct cls_subtables *empty = xzalloc(sizeof *empty);

    vrcu_thread_init();
    cls->subtables = empty;
    hmap_init(&cls->by_mask);
    for (int i = 0; i < CLS_N_TRIES; i++) {
        cls_trie_init(&cls->tries[i], trie_fields[i].n_bits);
    }
    cls->version = 0;
    cls->n_rules = 0;
    cls->opts = 0;
}

static void
free_cls_match(void *cm, void *aux)
{
    (void) aux;
    free(cm);
}

static void
subtable_destroy(void *st_)
{
    struct cls_subtable *st = st_;

    chash_for_each(&st->rules, free_cls_match, NULL);
    chash_destroy(&st->rules);
    for (int s = 0; s < FLOW_N_STAGES; s++) {
        chash_destroy(&st->stage_sets[s]);
    }
    free(st);
}

void
cls_destroy(struct classifier *cls)
{
    struct cls_subtable *st;

    if (!cls) {
        return;
    }
    HMAP_FOR_EACH_POP (st, by_mask_node, &cls->by_mask) {
        subtable_destroy(st);
    }
    hmap_destroy(&cls->by_mask);
    for (int i = 0; i < CLS_N_TRIES; i++) {
        cls_trie_destroy(&cls->tries[i]);
    }
    free(cls->subtables);
    cls->subtables = NULL;
}

void
cls_set_opts(struct classifier *cls, unsigned int opts)
{
    cls->opts = opts;
}

size_t
cls_n_subtables(const struct classifier *cls)
{
    return hmap_count(&cls->by_mask);
}

_Static_assert(FLOW_U64S <= 32, "cls_rule.map has a bit per flow word");

/* The compact form of 'match' in 'words' (room for 2 * FLOW_U64S): returns
 * the map, see struct cls_rule. */
static uint32_t
mini_build(const struct match *match, uint64_t *words)
{
    const uint64_t *f = flow_u64(&match->flow), *m = flow_u64(&match->wc);
    uint32_t map = 0;
    int n = 0;

    for (size_t i = 0; i < FLOW_U64S; i++) {
        if (m[i]) {
            map |= 1u << i;
            n++;
        }
    }
    for (size_t i = 0, j = 0; i < FLOW_U64S; i++) {
        if (m[i]) {
            words[j] = f[i] & m[i];
            words[n + j] = m[i];
            j++;
        }
    }
    return map;
}

void
cls_rule_init(struct cls_rule *rule, const struct match *match, int priority)
{
    uint64_t words[2 * FLOW_U64S];
    size_t size;

    memset(rule, 0, sizeof *rule);
    rule->map = mini_build(match, words);
    size = 2 * __builtin_popcount(rule->map) * sizeof *words;
    rule->words = size ? xmemdup(words, size) : NULL;
    rule->priority = priority;
    rule->remove_version = CLS_VERSION_MAX;
}

void
cls_rule_destroy(struct cls_rule *rule)
{
    if (rule) {
        free(rule->words);
        rule->words = NULL;
    }
}

void
cls_rule_get_match(const struct cls_rule *rule, struct match *match)
{
    uint64_t *f = flow_u64_rw(&match->flow), *m = flow_u64_rw(&match->wc);
    int n = __builtin_popcount(rule->map), j = 0;

    memset(match, 0, sizeof *match);
    for (uint32_t map = rule->map; map; map &= map - 1, j++) {
        int i = __builtin_ctz(map);

        f[i] = rule->words[j];
        m[i] = rule->words[n + j];
    }
}

static bool
mini_equal(const struct cls_rule *a, const struct cls_rule *b)
{
    return a->map == b->map
           && (!a->map
               || !memcmp(a->words, b->words,
                          2 * __builtin_popcount(a->map) * sizeof *a->words));
}

bool
cls_rule_equal_match(const struct cls_rule *rule, const struct match *match)
{
    uint64_t words[2 * FLOW_U64S];
    uint32_t map = mini_build(match, words);

    return map == rule->map
           && (!map
               || !memcmp(words, rule->words,
                          2 * __builtin_popcount(map) * sizeof *words));
}

/* Whether 'flow' has the rule's values on the bits of its mask. */
static inline bool
mini_matches_flow(const struct cls_rule *rule, const struct flow *flow)
{
    const uint64_t *f = flow_u64(flow);
    int n = __builtin_popcount(rule->map), j = 0;
    uint64_t diff = 0;

    for (uint32_t map = rule->map; map; map &= map - 1, j++) {
        diff |= (f[__builtin_ctz(map)] & rule->words[n + j]) ^ rule->words[j];
    }
    return !diff;
}

void
cls_rule_make_invisible_in_version(struct cls_rule *rule, uint64_t version)
{
    __atomic_store_n(&rule->remove_version, version, __ATOMIC_RELEASE);
}

void
cls_publish(struct classifier *cls, uint64_t version)
{
    __atomic_store_n(&cls->version, version, __ATOMIC_RELEASE);
}

uint64_t
cls_current_version(const struct classifier *cls)
{
    return __atomic_load_n(&cls->version, __ATOMIC_ACQUIRE);
}

/* Computes the partial hashes of 'flow' under 'st''s mask; returns the full
 * hash. */
static uint64_t
subtable_hashes(const struct cls_subtable *st, const struct flow *flow,
                uint64_t stage_hashes[FLOW_N_STAGES])
{
    const uint64_t *f = flow_u64(flow), *m = flow_u64(&st->mask);
    uint64_t h = 0;
    int i = 0;

    for (int s = 0; s < FLOW_N_STAGES; s++) {
        for (; i < st->stage_end[s]; i++) {
            unsigned int w = st->words[i];

            h = hash_uint64(f[w] & m[w], h);
        }
        stage_hashes[s] = h;
    }
    return h;
}

/* Rebuilds and publishes the subtable array in priority order. */
static int
cmp_subtables(const void *a_, const void *b_)
{
    const struct cls_subtable *a = *(struct cls_subtable *const *) a_;
    const struct cls_subtable *b = *(struct cls_subtable *const *) b_;

    return a->max_priority < b->max_priority   ? 1
           : a->max_priority > b->max_priority ? -1
                                               : 0;
}

static void
publish_subtables(struct classifier *cls)
{
    size_t n = hmap_count(&cls->by_mask);
    struct cls_subtables *arr = xzalloc(sizeof *arr + n * sizeof arr->st[0]);
    struct cls_subtables *old = cls->subtables;
    struct cls_subtable *st;

    HMAP_FOR_EACH (st, by_mask_node, &cls->by_mask) {
        arr->st[arr->n++] = st;
    }
    qsort(arr->st, arr->n, sizeof arr->st[0], cmp_subtables);
    VRCU_SET(cls->subtables, arr);
    vrcu_postpone_free(old);
}

static struct cls_subtable *
subtable_create(struct classifier *cls, const struct flow *mask,
                uint64_t mask_hash)
{
    struct cls_subtable *st = xzalloc(sizeof *st);
    const uint64_t *m = flow_u64(mask);
    int n = 0;

    st->mask = *mask;
    for (int s = 0; s < FLOW_N_STAGES; s++) {
        for (unsigned int w = flow_stage_start(s); w < flow_stage_start(s + 1);
             w++) {
            if (m[w]) {
                st->words[n++] = w;
            }
        }
        st->stage_end[s] = n;
        if (flow_stage_start(s) < flow_stage_start(s + 1) && n
            && st->stage_end[s] > (s ? st->stage_end[s - 1] : 0)) {
            st->n_stages = s + 1;
        }
    }
    chash_init(&st->rules);
    for (int s = 0; s < FLOW_N_STAGES; s++) {
        chash_init(&st->stage_sets[s]);
    }
    for (int t = 0; t < CLS_N_TRIES; t++) {
        st->trie_plen[t] =
            prefix_len((const uint8_t *) mask + trie_fields[t].ofs,
                       trie_fields[t].n_bits / 8);
    }
    st->max_priority = INT32_MIN;
    hmap_insert(&cls->by_mask, &st->by_mask_node, mask_hash);
    return st;
}

static struct cls_subtable *
find_subtable(const struct classifier *cls, const struct flow *mask,
              uint64_t mask_hash)
{
    struct cls_subtable *st;

    HMAP_FOR_EACH_WITH_HASH (st, by_mask_node, mask_hash, &cls->by_mask) {
        if (flow_equal(&st->mask, mask)) {
            return st;
        }
    }
    return NULL;
}

/* A stage set holds each partial hash once, in a node whose data is not a
 * pointer but the number of rules with that partial hash: no allocation
 * beyond the node.  Readers only test presence. */
static void
stage_set_add(struct chash *set, uint64_t hash)
{
    struct chash_node *n = (struct chash_node *) chash_first(set, hash);

    if (n) {
        n->data = (void *) ((uintptr_t) n->data + 1);
    } else {
        chash_insert(set, hash, (void *) (uintptr_t) 1);
    }
}

static void
stage_set_del(struct chash *set, uint64_t hash)
{
    struct chash_node *n = (struct chash_node *) chash_first(set, hash);

    if (!n) {
        return;
    }
    if ((uintptr_t) n->data > 1) {
        n->data = (void *) ((uintptr_t) n->data - 1);
    } else {
        chash_remove(set, hash, n->data);
    }
}

/* Whether stage 's' of 'st' has a set to check (a nonempty stage before the
 * last nonempty one). */
static inline bool
stage_checked(const struct cls_subtable *st, int s)
{
    return s < st->n_stages - 1
           && st->stage_end[s] > (s ? st->stage_end[s - 1] : 0);
}

void
cls_insert(struct classifier *cls, struct cls_rule *rule, uint64_t version)
{
    struct match match;
    uint64_t mask_hash;
    struct cls_subtable *st;
    uint64_t stage_hashes[FLOW_N_STAGES];
    bool republish = false;

    cls_rule_get_match(rule, &match);
    mask_hash = flow_hash(&match.wc, 0);
    st = find_subtable(cls, &match.wc, mask_hash);
    if (!st) {
        st = subtable_create(cls, &match.wc, mask_hash);
        republish = true;
    }
    rule->add_version = version;
    rule->subtable = st;
    rule->hash = subtable_hashes(st, &match.flow, stage_hashes);

    for (int s = 0; s < FLOW_N_STAGES; s++) {
        if (stage_checked(st, s)) {
            stage_set_add(&st->stage_sets[s], stage_hashes[s]);
        }
    }
    for (int t = 0; t < CLS_N_TRIES; t++) {
        if (st->trie_plen[t] > 0) {
            cls_trie_insert(&cls->tries[t],
                            (const uint8_t *) &match.flow + trie_fields[t].ofs,
                            st->trie_plen[t]);
        }
    }
    {
        struct cls_match *cm = NULL;

        for (const struct chash_node *n = chash_first(&st->rules, rule->hash);
             n; n = chash_next(n)) {
            struct cls_match *c = n->data;

            if (mini_equal(c->head, rule)) {
                cm = c;
                break;
            }
        }
        if (cm) {
            struct cls_rule **pp = &cm->head;

            while (*pp && (*pp)->priority >= rule->priority) {
                pp = &(*pp)->next;
            }
            rule->next = *pp;
            VRCU_SET(*pp, rule);
        } else {
            cm = xmalloc(sizeof *cm);
            cm->hash = rule->hash;
            rule->next = NULL;
            cm->head = rule;
            chash_insert(&st->rules, cm->hash, cm);
        }
        rule->cls_match = cm;
    }
    st->n_rules++;
    cls->n_rules++;
    if (rule->priority > st->max_priority) {
        __atomic_store_n(&st->max_priority, rule->priority, __ATOMIC_RELAXED);
        st->n_max_priority = 1;
        republish = true;
    } else if (rule->priority == st->max_priority) {
        st->n_max_priority++;
    }
    if (republish) {
        publish_subtables(cls);
    }
}

/* For recomputing a subtable's highest priority and its count. */
struct max_priority {
    int max;  /* Highest priority seen. */
    size_t n; /* Rules with it. */
};

const struct cls_rule *
cls_find_exactly(const struct classifier *cls, const struct match *match,
                 int priority)
{
    const struct cls_subtable *st =
        find_subtable(cls, &match->wc, flow_hash(&match->wc, 0));
    uint64_t stage_hashes[FLOW_N_STAGES];
    uint64_t hash;

    if (!st) {
        return NULL;
    }
    hash = subtable_hashes(st, &match->flow, stage_hashes);
    for (const struct chash_node *n = chash_first(&st->rules, hash); n;
         n = chash_next(n)) {
        const struct cls_match *cm = n->data;

        if (!cls_rule_equal_match(cm->head, match)) {
            continue;
        }
        for (const struct cls_rule *r = cm->head; r && r->priority >= priority;
             r = r->next) {
            if (r->priority == priority
                && r->remove_version == CLS_VERSION_MAX) {
                return r;
            }
        }
        break;
    }
    return NULL;
}

static void
max_priority_cb(void *cm_, void *mp_)
{
    const struct cls_match *cm = cm_;
    struct max_priority *mp = mp_;

    /* Each list is in decreasing priority order. */
    for (const struct cls_rule *r = cm->head; r; r = r->next) {
        if (r->priority > mp->max) {
            mp->max = r->priority;
            mp->n = 1;
        } else if (r->priority == mp->max) {
            mp->n++;
        } else {
            break;
        }
    }
}

void
cls_remove(struct classifier *cls, struct cls_rule *rule)
{
    struct cls_subtable *st = rule->subtable;

    struct cls_match *cm = rule->cls_match;
    uint64_t stage_hashes[FLOW_N_STAGES];
    struct match match;
    struct cls_rule **pp;

    if (!st || !cm) {
        return;
    }
    for (pp = &cm->head; *pp && *pp != rule; pp = &(*pp)->next) {
        continue;
    }
    if (!*pp) {
        return;
    }
    /* Readers standing on 'rule' still find its successor. */
    VRCU_SET(*pp, rule->next);
    if (!cm->head) {
        chash_remove(&st->rules, cm->hash, cm);
        vrcu_postpone_free(cm);
    }
    rule->cls_match = NULL;
    cls_rule_get_match(rule, &match);
    subtable_hashes(st, &match.flow, stage_hashes);
    for (int s = 0; s < FLOW_N_STAGES; s++) {
        if (stage_checked(st, s)) {
            stage_set_del(&st->stage_sets[s], stage_hashes[s]);
        }
    }
    for (int t = 0; t < CLS_N_TRIES; t++) {
        if (st->trie_plen[t] > 0) {
            cls_trie_remove(&cls->tries[t],
                            (const uint8_t *) &match.flow + trie_fields[t].ofs,
                            st->trie_plen[t]);
        }
    }
    rule->subtable = NULL;
    st->n_rules--;
    cls->n_rules--;
    if (!st->n_rules) {
        hmap_remove(&cls->by_mask, &st->by_mask_node);
        publish_subtables(cls);
        vrcu_postpone(subtable_destroy, st);
    } else if (rule->priority == st->max_priority && !--st->n_max_priority) {
        /* The last rule of the highest priority went: find the next. */
        struct max_priority mp = {INT32_MIN, 0};

        chash_for_each(&st->rules, max_priority_cb, &mp);
        st->n_max_priority = mp.n;
        __atomic_store_n(&st->max_priority, mp.max, __ATOMIC_RELAXED);
        publish_subtables(cls);
    }
}

/* Detaches every rule of the subtable holding 'cm' from it. */
static void
detach_rules_cb(void *cm_, void *aux)
{
    struct cls_match *cm = cm_;

    (void) aux;
    for (struct cls_rule *r = cm->head; r; r = r->next) {
        r->subtable = NULL;
        r->cls_match = NULL;
    }
}

void
cls_clear(struct classifier *cls)
{
    struct cls_subtable *st;

    if (!cls->n_rules) {
        return;
    }
    HMAP_FOR_EACH_POP (st, by_mask_node, &cls->by_mask) {
        chash_for_each(&st->rules, detach_rules_cb, NULL);
        vrcu_postpone(subtable_destroy, st);
    }
    publish_subtables(cls);
    for (int t = 0; t < CLS_N_TRIES; t++) {
        cls_trie_clear(&cls->tries[t]);
    }
    cls->n_rules = 0;
}

static inline bool
rule_visible(const struct cls_rule *rule, uint64_t version)
{
    return rule->add_version <= version
           && version
                  < __atomic_load_n(&rule->remove_version, __ATOMIC_ACQUIRE);
}

/* ORs the mask words of 'st' in 'words[0 .. end)' into 'wc'. */
static inline void
unwildcard(const struct cls_subtable *st, int end, struct flow *wc)
{
    const uint64_t *m = flow_u64(&st->mask);
    uint64_t *w;

    if (!wc) {
        return;
    }
    w = flow_u64_rw(wc);
    for (int i = 0; i < end; i++) {
        w[st->words[i]] |= m[st->words[i]];
    }
}

static const struct cls_rule *
subtable_lookup(const struct cls_subtable *st, unsigned int opts,
                uint64_t version, const struct flow *flow, struct flow *wc)
{
    const uint64_t *f = flow_u64(flow), *m = flow_u64(&st->mask);
    int n_words = st->n_stages ? st->stage_end[st->n_stages - 1] : 0;
    uint64_t h = 0;
    int i = 0;

    for (int s = 0; s < st->n_stages; s++) {
        for (; i < st->stage_end[s]; i++) {
            unsigned int w = st->words[i];

            h = hash_uint64(f[w] & m[w], h);
        }
        if (!(opts & CLS_OPT_NO_STAGES) && stage_checked(st, s)
            && !chash_contains(&st->stage_sets[s], h)) {
            COVERAGE_INC(cls_stage_miss);
            unwildcard(st, st->stage_end[s], wc);
            return NULL;
        }
    }
    unwildcard(st, n_words, wc);
    for (const struct chash_node *n = chash_first(&st->rules, h); n;
         n = chash_next(n)) {
        const struct cls_match *cm = n->data;
        const struct cls_rule *rule = VRCU_GET(cm->head);

        if (rule && mini_matches_flow(rule, flow)) {
            /* Only one entry can match: the first visible rule of its
             * list has the highest priority. */
            for (; rule; rule = VRCU_GET(rule->next)) {
                if (rule_visible(rule, version)) {
                    return rule;
                }
            }
            return NULL;
        }
    }
    return NULL;
}

struct trie_ctx {
    bool done;                   /* Looked up yet? */
    unsigned int walk_bits;      /* Bits examined. */
    struct cls_trie_plens plens; /* Matching prefix lengths. */
};

const struct cls_rule *
cls_lookup(const struct classifier *cls, uint64_t version,
           const struct flow *flow, struct flow *wc)
{
    const struct cls_subtables *arr = VRCU_GET(cls->subtables);
    const struct cls_rule *best = NULL;
    struct trie_ctx tries[CLS_N_TRIES];
    unsigned int opts = cls->opts;

    for (int t = 0; t < CLS_N_TRIES; t++) {
        tries[t].done = false;
    }
    for (size_t i = 0; i < arr->n; i++) {
        const struct cls_subtable *st = arr->st[i];
        const struct cls_rule *rule;
        bool skip = false;

        if (best
            && best->priority
                   >= __atomic_load_n(&st->max_priority, __ATOMIC_RELAXED)) {
            break;
        }
        if (!(opts & CLS_OPT_NO_TRIES)) {
            for (int t = 0; t < CLS_N_TRIES && !skip; t++) {
                int plen = st->trie_plen[t];
                struct trie_ctx *ctx = &tries[t];

                if (plen <= 0) {
                    continue;
                }
                if (!ctx->done) {
                    cls_trie_lookup(&cls->tries[t],
                                    (const uint8_t *) flow
                                        + trie_fields[t].ofs,
                                    &ctx->plens, &ctx->walk_bits);
                    ctx->done = true;
                }
                if (!cls_trie_plens_has(&ctx->plens, plen)) {
                    COVERAGE_INC(cls_trie_skip);
                    if (wc) {
                        set_prefix_bits(
                            (uint8_t *) wc + trie_fields[t].ofs,
                            VS_MIN((unsigned int) plen, ctx->walk_bits));
                    }
                    skip = true;
                }
            }
            if (skip) {
                continue;
            }
        }
        rule = subtable_lookup(st, opts, version, flow, wc);
        if (rule && (!best || rule->priority > best->priority)) {
            best = rule;
        }
    }
    return best;
}
