/* SPDX-License-Identifier: Apache-2.0 */
/* revalidator: see revalidator.h. */
#include "revalidator.h"

#include <stdlib.h>
#include <string.h>
#include "vswitch/buf.h"
#include "vswitch/coverage.h"
#include "vswitch/dpif.h"
#include "vswitch/hash.h"
#include "vswitch/hmap.h"
#include "vswitch/odp.h"
#include "vswitch/oftable.h"
#include "vswitch/thread.h"
#include "vswitch/util.h"
#include "vswitch/vlog.h"
#include "mac-learning.h"
#include "xlate.h"

VLOG_DEFINE_THIS_MODULE(revalidator);

COVERAGE_DEFINE(revalidate_kept);
COVERAGE_DEFINE(revalidate_modified);
COVERAGE_DEFINE(revalidate_deleted);
COVERAGE_DEFINE(revalidate_idle_deleted);
COVERAGE_DEFINE(revalidate_translated);
COVERAGE_DEFINE(revalidate_not_affected);
COVERAGE_DEFINE(revalidate_stats_cached);

/* What the revalidator knows of one megaflow. */
struct reval_seen {
    struct hmap_node node;                /* In reval_cache.flows. */
    struct dpif_ufid ufid;                /* The megaflow. */
    uint64_t n_packets;                   /* Its counters at the last push. */
    uint64_t n_bytes;                     /* Same, bytes. */
    uint64_t sweep;                       /* Last sweep that saw it. */
    long long first_seen;                 /* ms, when a sweep first saw it. */
    bool known;                           /* The fields below are set. */
    uint8_t tables[XLATE_TABLE_SET_SIZE]; /* Tables its translation read. */
    uint32_t groups[XLATE_MAX_GROUPS_SEEN]; /* Groups it went through. */
    size_t n_groups;                        /* In 'groups'. */
    bool groups_overflow;                   /* More than 'groups' holds. */
    const struct of_rule *rules[XLATE_MAX_RULES_SEEN]; /* Rules it hit. */
    size_t n_rules;   /* In 'rules'; SIZE_MAX: the
                                             * stats need a translation. */
    uint64_t version; /* Tables version of 'rules'. */
};

struct reval_cache {
    struct vs_mutex mutex; /* Protects everything below. */
    struct hmap flows;     /* reval_seen by UFID. */
    uint64_t sweep;        /* Sweeps so far. */
};

static struct reval_seen *seen_find(struct reval_cache *c,
                                    const struct dpif_ufid *)
    VS_REQUIRES(c->mutex);
static void reval_cache_forget(struct reval_cache *, const struct dpif_ufid *);

/* What to do with one dumped megaflow. */
struct reval_op {
    struct dpif_ufid ufid; /* Which. */
    struct buf actions;    /* New actions; empty size with !modify. */
    bool modify;           /* Replace the actions, else delete. */
};

struct reval_ops {
    struct reval_op *v;  /* The ops. */
    size_t n, allocated; /* In 'v'. */
};

static struct reval_op *
ops_add(struct reval_ops *ops, const struct dpif_ufid *ufid, bool modify)
{
    struct reval_op *op;

    if (ops->n == ops->allocated) {
        ops->allocated = ops->allocated ? 2 * ops->allocated : 32;
        ops->v = xrealloc(ops->v, ops->allocated * sizeof *ops->v);
    }
    op = &ops->v[ops->n++];
    op->ufid = *ufid;
    op->modify = modify;
    /* A put never gets NULL actions, even empty ones. */
    buf_init(&op->actions, 0, modify ? 64 : 0);
    return op;
}

static void
ops_destroy(struct reval_ops *ops)
{
    for (size_t i = 0; i < ops->n; i++) {
        buf_uninit(&ops->v[i].actions);
    }
    free(ops->v);
}

struct reval_ctx {
    const struct xbridge *br;            /* The bridge now. */
    long long now;                       /* ms. */
    struct reval_ops ops;                /* Changes to make after the dump. */
    struct reval_counts *counts;         /* Results. */
    const struct mac_entry_info *macs;   /* Only to these, if nonnull. */
    size_t n_macs;                       /* In 'macs'. */
    struct reval_cache *cache;           /* Records; may be NULL. */
    const struct reval_changes *changes; /* Only affected ones, if
                                          * nonnull (needs 'cache'). */
};

/* Whether the recorded reads of 'ufid' meet 'ctx->changes'. */
static bool
affected(const struct reval_ctx *ctx, const struct dpif_ufid *ufid)
{
    const struct reval_changes *ch = ctx->changes;
    const struct reval_seen *s;
    bool hit;

    if (!ch || ch->all) {
        return true;
    }
    vs_mutex_lock(&ctx->cache->mutex);
    s = seen_find(ctx->cache, ufid);
    hit = !s || !s->known || xlate_table_sets_meet(s->tables, ch->tables);
    if (!hit && (s->n_groups || s->groups_overflow)
        && (ch->n_groups || ch->any_group)) {
        hit = s->groups_overflow || ch->any_group;
        for (size_t i = 0; !hit && i < s->n_groups; i++) {
            for (size_t j = 0; !hit && j < ch->n_groups; j++) {
                hit = s->groups[i] == ch->groups[j];
            }
        }
    }
    vs_mutex_unlock(&ctx->cache->mutex);
    return hit;
}

/* Whether the megaflow 'flow'/'mask' goes to an exact destination among
 * ctx->macs. */
static bool
dst_selected(const struct reval_ctx *ctx, const struct flow *flow,
             const struct flow *mask)
{
    static const struct eth_addr ones = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};

    if (memcmp(&mask->dl_dst, &ones, sizeof ones)) {
        return false;
    }
    for (size_t i = 0; i < ctx->n_macs; i++) {
        if (!memcmp(&flow->dl_dst, &ctx->macs[i].mac, sizeof flow->dl_dst)) {
            return true;
        }
    }
    return false;
}

/* Whether 'a' has a 1 bit where 'b' has none. */
static bool
mask_exceeds(const struct flow *a, const struct flow *b)
{
    for (size_t i = 0; i < FLOW_U64S; i++) {
        if (flow_u64(a)[i] & ~flow_u64(b)[i]) {
            return true;
        }
    }
    return false;
}

static bool
check_megaflow(const struct dpif_flow *f, void *ctx_)
{
    struct reval_ctx *ctx = ctx_;
    struct xlate_out xout;
    struct xlate_in xin;
    struct flow mask, new_mask;

    memset(&xin, 0, sizeof xin);
    if (odp_key_to_flow(f->key, f->key_size, f->mask, f->mask_size, &xin.flow,
                        &mask, NULL)) {
        ops_add(&ctx->ops, &f->ufid, false);
        return true;
    }
    if (ctx->macs && !dst_selected(ctx, &xin.flow, &mask)) {
        return true;
    }
    if (!affected(ctx, &f->ufid)) {
        ctx->counts->n_skipped++;
        COVERAGE_INC(revalidate_not_affected);
        return true;
    }
    ctx->counts->n_translated++;
    COVERAGE_INC(revalidate_translated);
    xin.br = ctx->br;
    xin.version = of_tables_version(ctx->br->tables);
    xin.now = ctx->now;
    xlate_out_init(&xout);
    if (xlate_actions(&xin, &xout) || xout.slow) {
        ops_add(&ctx->ops, &f->ufid, false);
        goto out;
    }
    new_mask = xout.wc;
    odp_mask_normalize(&xin.flow, &new_mask);
    if (mask_exceeds(&new_mask, &mask)) {
        ops_add(&ctx->ops, &f->ufid, false);
    } else if (xout.odp_actions.size != f->actions_size
               || memcmp(xout.odp_actions.data, f->actions, f->actions_size)) {
        struct reval_op *op = ops_add(&ctx->ops, &f->ufid, true);

        buf_put(&op->actions, xout.odp_actions.data, xout.odp_actions.size);
    } else {
        ctx->counts->n_kept++;
        COVERAGE_INC(revalidate_kept);
    }
    if (ctx->cache) {
        /* Kept or modified: the megaflow now stands for this translation
         * (a delete forgets it in apply_ops()). */
        reval_cache_note(ctx->cache, &f->ufid, &xout);
    }
out:
    xlate_out_uninit(&xout);
    return true;
}

/* Applies the collected changes. */
static void
apply_ops(struct dpif *dpif, struct reval_ops *ops, struct reval_counts *c,
          struct reval_cache *cache)
{
    for (size_t i = 0; i < ops->n; i++) {
        struct reval_op *op = &ops->v[i];

        if (op->modify
            && !dpif_flow_put(dpif, DPIF_FP_MODIFY, NULL, 0, NULL, 0,
                              op->actions.data, op->actions.size, &op->ufid,
                              NULL, NULL)) {
            c->n_modified++;
            continue;
        }
        if (!dpif_flow_del(dpif, NULL, 0, &op->ufid, NULL)) {
            c->n_deleted++;
        }
        if (cache) {
            reval_cache_forget(cache, &op->ufid);
        }
    }
}

static void
revalidate__(struct dpif *dpif, struct reval_ctx *ctx)
{
    memset(ctx->counts, 0, sizeof *ctx->counts);
    dpif_flow_dump(dpif, check_megaflow, ctx);
    apply_ops(dpif, &ctx->ops, ctx->counts, ctx->cache);
    ops_destroy(&ctx->ops);
    COVERAGE_ADD(revalidate_modified, ctx->counts->n_modified);
    COVERAGE_ADD(revalidate_deleted, ctx->counts->n_deleted);
}

void
revalidate_megaflows_to(struct dpif *dpif, const struct xbridge *br,
                        long long now, const struct mac_entry_info *macs,
                        size_t n, struct reval_counts *counts)
{
    struct reval_ctx ctx = {
        .br = br, .now = now, .counts = counts, .macs = macs, .n_macs = n};

    revalidate__(dpif, &ctx);
}

void
revalidate_megaflows(struct dpif *dpif, const struct xbridge *br,
                     long long now, struct reval_counts *counts)
{
    struct reval_ctx ctx = {.br = br, .now = now, .counts = counts};

    revalidate__(dpif, &ctx);
}

void
revalidate_changed(struct dpif *dpif, const struct xbridge *br,
                   struct reval_cache *cache, long long now,
                   const struct reval_changes *changes,
                   struct reval_counts *counts)
{
    struct reval_ctx ctx = {.br = br,
                            .now = now,
                            .counts = counts,
                            .cache = cache,
                            .changes = changes};

    revalidate__(dpif, &ctx);
}

bool
reval_changes_empty(const struct reval_changes *c)
{
    static const uint8_t zero[XLATE_TABLE_SET_SIZE];

    return !c->all && !c->n_groups && !c->any_group
           && !memcmp(c->tables, zero, sizeof zero);
}

void
reval_changes_add_group(struct reval_changes *c, uint32_t group_id)
{
    for (size_t i = 0; i < c->n_groups; i++) {
        if (c->groups[i] == group_id) {
            return;
        }
    }
    if (c->n_groups < REVAL_MAX_GROUPS) {
        c->groups[c->n_groups++] = group_id;
    } else {
        c->any_group = true;
    }
}

void
reval_changes_merge(struct reval_changes *a, const struct reval_changes *b)
{
    a->all |= b->all;
    a->any_group |= b->any_group;
    for (size_t i = 0; i < XLATE_TABLE_SET_SIZE; i++) {
        a->tables[i] |= b->tables[i];
    }
    for (size_t i = 0; i < b->n_groups; i++) {
        reval_changes_add_group(a, b->groups[i]);
    }
}

struct reval_cache *
reval_cache_create(void)
{
    struct reval_cache *c = xzalloc(sizeof *c);

    vs_mutex_init(&c->mutex);
    hmap_init(&c->flows);
    return c;
}

void
reval_cache_destroy(struct reval_cache *c)
{
    struct reval_seen *s;

    if (!c) {
        return;
    }
    HMAP_FOR_EACH_POP (s, node, &c->flows) {
        free(s);
    }
    hmap_destroy(&c->flows);
    vs_mutex_destroy(&c->mutex);
    free(c);
}

static struct reval_seen *
seen_find(struct reval_cache *c, const struct dpif_ufid *ufid)
    VS_REQUIRES(c->mutex)
{
    size_t hash = hash_bytes(ufid, sizeof *ufid, 0);
    struct reval_seen *s;

    HMAP_FOR_EACH_WITH_HASH (s, node, hash, &c->flows) {
        if (dpif_ufid_equal(&s->ufid, ufid)) {
            return s;
        }
    }
    return NULL;
}

static struct reval_seen *
seen_find_or_add(struct reval_cache *c, const struct dpif_ufid *ufid)
    VS_REQUIRES(c->mutex)
{
    struct reval_seen *s = seen_find(c, ufid);

    if (!s) {
        s = xzalloc(sizeof *s);
        s->ufid = *ufid;
        s->sweep = c->sweep;
        hmap_insert(&c->flows, &s->node, hash_bytes(ufid, sizeof *ufid, 0));
    }
    return s;
}

void
reval_cache_note(struct reval_cache *c, const struct dpif_ufid *ufid,
                 const struct xlate_out *xout)
{
    struct reval_seen *s;

    vs_mutex_lock(&c->mutex);
    s = seen_find_or_add(c, ufid);
    s->known = true;
    s->sweep = c->sweep;
    memcpy(s->tables, xout->tables_read, sizeof s->tables);
    s->n_groups = xout->n_groups;
    memcpy(s->groups, xout->groups, xout->n_groups * sizeof *s->groups);
    s->groups_overflow = xout->groups_overflow;
    /* Counters can go straight to the rules unless the translation also
     * did something per packet: learned MACs (which a push refreshes),
     * counted groups, or hit more rules than fit. */
    if (xout->used_normal || xout->n_groups || xout->groups_overflow
        || xout->rules_overflow) {
        s->n_rules = SIZE_MAX;
    } else {
        s->n_rules = xout->n_rules;
        memcpy(s->rules, xout->rules, xout->n_rules * sizeof *s->rules);
    }
    s->version = xout->version;
    vs_mutex_unlock(&c->mutex);
}

static void
reval_cache_forget(struct reval_cache *c, const struct dpif_ufid *ufid)
{
    struct reval_seen *s;

    vs_mutex_lock(&c->mutex);
    s = seen_find(c, ufid);
    if (s) {
        hmap_remove(&c->flows, &s->node);
        free(s);
    }
    vs_mutex_unlock(&c->mutex);
}

size_t
reval_cache_count(struct reval_cache *c)
{
    size_t n;

    vs_mutex_lock(&c->mutex);
    n = hmap_count(&c->flows);
    vs_mutex_unlock(&c->mutex);
    return n;
}

struct sweep_ctx {
    const struct xbridge *br;  /* NULL: no pushes. */
    struct reval_cache *cache; /* Pushed so far. */
    long long now, max_idle;   /* ms. */
    struct reval_ops ops;      /* Idle megaflows to delete. */
};

/* Credits 'n_packets' and 'n_bytes' of the megaflow 'f' to what its
 * translation hits now. */
static void
push_stats(const struct sweep_ctx *ctx, const struct dpif_flow *f,
           uint64_t n_packets, uint64_t n_bytes)
{
    struct xlate_out xout;
    struct xlate_in xin;

    memset(&xin, 0, sizeof xin);
    if (odp_key_to_flow(f->key, f->key_size, NULL, 0, &xin.flow, NULL, NULL)) {
        return;
    }
    xin.br = ctx->br;
    xin.version = of_tables_version(ctx->br->tables);
    xin.may_learn = true;
    xin.credit_stats = true;
    xin.now = f->stats.used ? f->stats.used : ctx->now;
    xin.packet_size = n_bytes;
    xin.n_packets = n_packets;
    xlate_out_init(&xout);
    if (!xlate_actions(&xin, &xout)) {
        /* The rules for the next push (a revalidation pass fixes the
         * megaflow itself if this translation differs). */
        reval_cache_note(ctx->cache, &f->ufid, &xout);
    }
    xlate_out_uninit(&xout);
}

static bool
sweep_flow(const struct dpif_flow *f, void *ctx_)
{
    struct sweep_ctx *ctx = ctx_;
    const struct of_rule *rules[XLATE_MAX_RULES_SEEN];
    size_t n_rules = SIZE_MAX;
    uint64_t n_packets, n_bytes, version = 0;
    long long first_seen;
    struct reval_seen *s;

    vs_mutex_lock(&ctx->cache->mutex);
    s = seen_find_or_add(ctx->cache, &f->ufid);
    if (!s->first_seen) {
        s->first_seen = ctx->now;
    }
    first_seen = s->first_seen;
    s->sweep = ctx->cache->sweep;
    if (f->stats.n_packets < s->n_packets) {
        /* Deleted and made again under the same UFID. */
        s->n_packets = s->n_bytes = 0;
    }
    n_packets = f->stats.n_packets - s->n_packets;
    n_bytes = f->stats.n_bytes - s->n_bytes;
    s->n_packets = f->stats.n_packets;
    s->n_bytes = f->stats.n_bytes;
    if (s->known && s->n_rules != SIZE_MAX) {
        n_rules = s->n_rules;
        version = s->version;
        memcpy(rules, s->rules, n_rules * sizeof *rules);
    }
    vs_mutex_unlock(&ctx->cache->mutex);
    if (ctx->br && n_packets) {
        if (n_rules != SIZE_MAX
            && version == of_tables_version(ctx->br->tables)) {
            /* No rule changed since the translation that found these: they
             * are alive (a removal bumps the version, and frees only after
             * a grace period this read lock holds back) and still the
             * ones every packet of the megaflow hits. */
            long long used = f->stats.used ? f->stats.used : ctx->now;

            for (size_t i = 0; i < n_rules; i++) {
                of_rule_credit(rules[i], n_packets, n_bytes, used);
            }
            COVERAGE_INC(revalidate_stats_cached);
        } else {
            push_stats(ctx, f, n_packets, n_bytes);
        }
    }
    /* Never hit since it was installed: idle since a sweep first saw it. */
    if (ctx->now - (f->stats.used ? f->stats.used : first_seen)
        >= ctx->max_idle) {
        ops_add(&ctx->ops, &f->ufid, false);
    }
    return true;
}

size_t
revalidate_sweep(struct dpif *dpif, const struct xbridge *br,
                 struct reval_cache *cache, long long now, long long max_idle)
{
    struct reval_counts counts;
    struct sweep_ctx ctx = {
        .br = br, .cache = cache, .now = now, .max_idle = max_idle};
    struct reval_seen *s;

    memset(&counts, 0, sizeof counts);
    vs_mutex_lock(&cache->mutex);
    cache->sweep++;
    vs_mutex_unlock(&cache->mutex);
    dpif_flow_dump(dpif, sweep_flow, &ctx);
    apply_ops(dpif, &ctx.ops, &counts, cache);
    ops_destroy(&ctx.ops);
    /* Forget megaflows that are gone.  (Records noted during the dump carry
     * this sweep's number and stay.) */
    vs_mutex_lock(&cache->mutex);
    HMAP_FOR_EACH_SAFE (s, node, &cache->flows) {
        if (s->sweep != cache->sweep) {
            hmap_remove(&cache->flows, &s->node);
            free(s);
        }
    }
    vs_mutex_unlock(&cache->mutex);
    COVERAGE_ADD(revalidate_idle_deleted, counts.n_deleted);
    return counts.n_deleted;
}
