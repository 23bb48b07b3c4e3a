/* SPDX-License-Identifier: Apache-2.0 */
/* oftable: OpenFlow flow tables and groups on the classifier. */
#include "vswitch/oftable.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/hash.h"
#include "vswitch/ofp-port.h"
#include "vswitch/ofp-table.h"
#include "vswitch/ofp-wire.h"
#include "vswitch/rcu.h"
#include "vswitch/util.h"

#define DEFAULT_MAX_RULES 1000000

void
of_tables_init(struct of_tables *t)
{
    memset(t, 0, sizeof *t);
    for (size_t i = 0; i < OFP_N_TABLES; i++) {
        struct of_table *tb = &t->tables[i];

        cls_init(&tb->cls);
        vs_list_init(&tb->rules);
    }
    t->version = 1;
    for (size_t i = 0; i < OFP_N_TABLES; i++) {
        cls_publish(&t->tables[i].cls, 1);
    }
    t->max_rules = DEFAULT_MAX_RULES;
    hmap_init(&t->groups);
    vs_list_init(&t->dead);
}

static void
free_actions(void *p)
{
    struct ofpacts *a = p;

    if (a && a->a != (struct ofpact *) (a + 1)) {
        ofpacts_uninit(a);
    }
    free(a);
}

static void
rule_free(void *p)
{
    struct of_rule *r = p;

    free_actions(r->actions);
    cls_rule_destroy(&r->cr);
    free(r);
}

/* Frees the rules of a list of them and the list head (postponed). */
static void
rule_batch_free(void *batch_)
{
    struct vs_list *batch = batch_;
    struct of_rule *r;

    LIST_FOR_EACH_POP (r, node, batch) {
        rule_free(r);
    }
    free(batch);
}

static void
group_free(struct of_group *g)
{
    for (size_t i = 0; i < g->n_buckets; i++) {
        ofpacts_uninit(&g->buckets[i].actions);
    }
    free(g->buckets);
    free(g);
}

void
of_tables_destroy(struct of_tables *t)
{
    struct of_group *g;

    of_tables_gc(t);
    for (size_t i = 0; i < OFP_N_TABLES; i++) {
        struct of_table *tb = &t->tables[i];
        struct of_rule *r, *next;

        LIST_FOR_EACH_SAFE (r, next, node, &tb->rules) {
            cls_remove(&tb->cls, &r->cr);
            rule_free(r);
        }
        cls_destroy(&tb->cls);
    }
    HMAP_FOR_EACH_POP (g, node, &t->groups) {
        group_free(g);
    }
    hmap_destroy(&t->groups);
}

void
of_tables_gc(struct of_tables *t)
{
    struct vs_list *batch;
    struct of_rule *r;

    if (vs_list_is_empty(&t->dead)) {
        return;
    }
    /* Readers that may still look up a version where these rules are
     * visible finish first; then they are unlinked, and freed once no
     * reader can be walking them. */
    vrcu_synchronize();
    /* A table left with no live rule (a delete of everything) drops all
     * of its dead ones at once. */
    for (size_t i = 0; i < OFP_N_TABLES; i++) {
        if (!t->tables[i].n_rules) {
            cls_clear(&t->tables[i].cls);
        }
    }
    /* One postponed free for all of them ('node' is the writer's). */
    batch = xmalloc(sizeof *batch);
    vs_list_init(batch);
    LIST_FOR_EACH_POP (r, node, &t->dead) {
        cls_remove(&t->tables[r->table_id].cls, &r->cr);
        vs_list_push_back(batch, &r->node);
    }
    vrcu_postpone(rule_batch_free, batch);
}

uint64_t
of_tables_version(const struct of_tables *t)
{
    return __atomic_load_n(&t->version, __ATOMIC_ACQUIRE);
}

static void
publish(struct of_tables *t, uint64_t version)
{
    for (size_t i = 0; i < OFP_N_TABLES; i++) {
        cls_publish(&t->tables[i].cls, version);
    }
    __atomic_store_n(&t->version, version, __ATOMIC_RELEASE);
}

/* The rule of 'tb' with match 'm' and 'priority' that is not retired. */
static struct of_rule *
find_strict(struct of_table *tb, const struct match *m, int priority)
{
    const struct cls_rule *cr = cls_find_exactly(&tb->cls, m, priority);

    return cr ? CONTAINER_OF(cr, struct of_rule, cr) : NULL;
}

static bool
rule_is_timed(const struct of_rule *r)
{
    return r->idle_timeout || r->hard_timeout;
}

static void
removed_push(struct of_flow_removed_list *l, const struct of_rule *r,
             uint8_t reason, long long now)
{
    struct ofp_flow_removed *fr;
    long long age = now - r->created_ms;

    if (!l || !(r->flags & OFPFF_SEND_FLOW_REM)) {
        return;
    }
    if (l->n >= l->allocated) {
        l->allocated = l->allocated ? 2 * l->allocated : 8;
        l->v = xrealloc(l->v, l->allocated * sizeof *l->v);
    }
    fr = &l->v[l->n++];
    memset(fr, 0, sizeof *fr);
    cls_rule_get_match(&r->cr, &fr->match);
    fr->cookie = r->cookie;
    fr->priority = r->cr.priority;
    fr->reason = reason;
    fr->table_id = r->table_id;
    if (age < 0) {
        age = 0;
    }
    fr->duration_sec = age / 1000;
    fr->duration_nsec = (age % 1000) * 1000000;
    fr->idle_timeout = r->idle_timeout;
    fr->hard_timeout = r->hard_timeout;
    fr->packet_count = __atomic_load_n(&r->packet_count, __ATOMIC_RELAXED);
    fr->byte_count = __atomic_load_n(&r->byte_count, __ATOMIC_RELAXED);
}

void
of_flow_removed_list_destroy(struct of_flow_removed_list *l)
{
    free(l->v);
    l->v = NULL;
    l->n = l->allocated = 0;
}

/* Takes 'r' out of its table from 'version' on. */
static void
rule_retire(struct of_tables *t, struct of_rule *r, uint64_t version)
{
    struct of_table *tb = &t->tables[r->table_id];

    cls_rule_make_invisible_in_version(&r->cr, version);
    vs_list_remove(&r->node);
    tb->n_rules--;
    tb->n_timed -= rule_is_timed(r);
    vs_list_push_back(&t->dead, &r->node);
}

static enum ofperr
check_groups(const struct of_tables *t, const struct ofpacts *acts)
{
    for (size_t i = 0; i < acts->n; i++) {
        if (acts->a[i].type == OFPACT_GROUP
            && !of_tables_group(t, acts->a[i].id)) {
            return OFPERR_BAD_OUT_GROUP;
        }
    }
    return 0;
}

/* A copy of 'src' in one allocation (the array right after the header),
 * freed by free_actions(). */
static struct ofpacts *
actions_dup(const struct ofpacts *src)
{
    struct ofpacts *a = xmalloc(sizeof *a + src->n * sizeof *src->a);

    a->a = (struct ofpact *) (a + 1);
    a->n = a->allocated = src->n;
    if (src->n) {
        memcpy(a->a, src->a, src->n * sizeof *src->a);
    }
    return a;
}

static enum ofperr
add_flow(struct of_tables *t, const struct ofp_flow_mod *fm, long long now)
{
    struct of_table *tb = &t->tables[fm->table_id];
    uint64_t version = t->version + 1;
    struct of_rule *old, *r;

    if (fm->table_id >= OFP_N_TABLES) {
        return OFPERR_FLOW_MOD_BAD_TABLE_ID;
    }
    if (fm->flags & OFPFF_CHECK_OVERLAP) {
        struct of_rule *o;

        LIST_FOR_EACH (o, node, &tb->rules) {
            struct match both, om;

            if (o->cr.priority != fm->priority) {
                continue;
            }
            cls_rule_get_match(&o->cr, &om);
            if (match_combine(&both, &om, &fm->match)) {
                return OFPERR_FLOW_MOD_OVERLAP;
            }
        }
    }
    old = find_strict(tb, &fm->match, fm->priority);
    if (!old && tb->n_rules >= t->max_rules) {
        return OFPERR_TABLE_FULL;
    }

    r = xzalloc(sizeof *r);
    cls_rule_init(&r->cr, &fm->match, fm->priority);
    r->table_id = fm->table_id;
    r->cookie = fm->new_cookie == UINT64_MAX ? 0 : fm->new_cookie;
    r->idle_timeout = fm->idle_timeout;
    r->hard_timeout = fm->hard_timeout;
    r->flags = fm->flags;
    r->created_ms = r->modified_ms = r->used_ms = now;
    r->actions = actions_dup(&fm->ofpacts);
    if (old && !(fm->flags & OFPFF_RESET_COUNTS)) {
        r->packet_count = old->packet_count;
        r->byte_count = old->byte_count;
    }
    if (old) {
        rule_retire(t, old, version);
    }
    cls_insert(&tb->cls, &r->cr, version);
    vs_list_push_back(&tb->rules, &r->node);
    tb->n_rules++;
    tb->n_timed += rule_is_timed(r);
    publish(t, version);
    return 0;
}

/* Whether 'r' is selected by a modify or delete with these criteria
 * ('m_is_all': 'm' matches everything). */
static bool
rule_selected(const struct of_rule *r, const struct match *m, bool m_is_all,
              int priority, bool strict, uint64_t cookie, uint64_t cookie_mask)
{
    struct match rm;

    if ((r->cookie & cookie_mask) != (cookie & cookie_mask)) {
        return false;
    }
    if (strict) {
        return r->cr.priority == priority && cls_rule_equal_match(&r->cr, m);
    }
    if (m_is_all) {
        return true;
    }
    cls_rule_get_match(&r->cr, &rm);
    return match_is_subset(&rm, m);
}

/* Collects the rules 'fm'-like criteria select into a malloc'd array. */
static struct of_rule **
collect(struct of_tables *t, uint8_t table_id, const struct match *m,
        int priority, bool strict, uint64_t cookie, uint64_t cookie_mask,
        uint16_t out_port, uint32_t out_group, size_t *np)
{
    struct of_rule **v = NULL;
    size_t n = 0, allocated = 0;
    size_t first = table_id == OFPTT_ALL ? 0 : table_id;
    size_t last = table_id == OFPTT_ALL ? OFP_N_TABLES - 1 : table_id;
    bool m_is_all = flow_is_zero(&m->wc);

    for (size_t i = first; i <= last && i < OFP_N_TABLES; i++) {
        struct of_table *tb = &t->tables[i];
        struct of_rule *r;

        if (strict) {
            r = find_strict(tb, m, priority);
            if (r
                && rule_selected(r, m, m_is_all, priority, true, cookie,
                                 cookie_mask)
                && ofpacts_output_to_port(r->actions, out_port)
                && ofpacts_output_to_group(r->actions, out_group)) {
                if (n >= allocated) {
                    allocated = allocated ? 2 * allocated : 8;
                    v = xrealloc(v, allocated * sizeof *v);
                }
                v[n++] = r;
            }
            continue;
        }
        LIST_FOR_EACH (r, node, &tb->rules) {
            if (rule_selected(r, m, m_is_all, priority, false, cookie,
                              cookie_mask)
                && ofpacts_output_to_port(r->actions, out_port)
                && ofpacts_output_to_group(r->actions, out_group)) {
                if (n >= allocated) {
                    allocated = allocated ? 2 * allocated : 8;
                    v = xrealloc(v, allocated * sizeof *v);
                }
                v[n++] = r;
            }
        }
    }
    *np = n;
    return v;
}

enum ofperr
of_tables_flow_mod(struct of_tables *t, const struct ofp_flow_mod *fm,
                   long long now, struct of_flow_removed_list *removed)
{
    bool strict = fm->command == OFPFC_MODIFY_STRICT
                  || fm->command == OFPFC_DELETE_STRICT;
    struct of_rule **v;
    size_t n;
    enum ofperr e;

    switch (fm->command) {
    case OFPFC_ADD:
        e = check_groups(t, &fm->ofpacts);
        return e ? e : add_flow(t, fm, now);

    case OFPFC_MODIFY:
    case OFPFC_MODIFY_STRICT:
        e = check_groups(t, &fm->ofpacts);
        if (e) {
            return e;
        }
        v = collect(t, fm->table_id, &fm->match, fm->priority, strict,
                    fm->cookie, fm->cookie_mask, OFPP_NONE, OFPG_ANY, &n);
        if (!n && fm->modify_may_add) {
            struct ofp_flow_mod add = *fm;

            /* (A 1.0 modify names no table: it adds to table 0.) */
            if (add.table_id == OFPTT_ALL) {
                add.table_id = 0;
            }
            free(v);
            return add_flow(t, &add, now);
        }
        for (size_t i = 0; i < n; i++) {
            struct of_rule *r = v[i];
            struct ofpacts *old = r->actions;

            VRCU_SET(r->actions, actions_dup(&fm->ofpacts));
            vrcu_postpone(free_actions, old);
            r->modified_ms = now;
            if (fm->flags & OFPFF_RESET_COUNTS) {
                __atomic_store_n(&r->packet_count, 0, __ATOMIC_RELAXED);
                __atomic_store_n(&r->byte_count, 0, __ATOMIC_RELAXED);
            }
            if (fm->new_cookie != UINT64_MAX) {
                r->cookie = fm->new_cookie;
            }
        }
        free(v);
        if (n) {
            publish(t, t->version + 1);
        }
        return 0;

    case OFPFC_DELETE:
    case OFPFC_DELETE_STRICT:
        v = collect(t, fm->table_id, &fm->match, fm->priority, strict,
                    fm->cookie, fm->cookie_mask, fm->out_port, fm->out_group,
                    &n);
        for (size_t i = 0; i < n; i++) {
            removed_push(removed, v[i], OFPRR_DELETE, now);
            rule_retire(t, v[i], t->version + 1);
        }
        free(v);
        if (n) {
            publish(t, t->version + 1);
        }
        return 0;
    }
    return OFPERR_BAD_COMMAND;
}

void
of_tables_expire(struct of_tables *t, long long now,
                 struct of_flow_removed_list *removed)
{
    uint64_t version = t->version + 1;
    bool any = false;

    for (size_t i = 0; i < OFP_N_TABLES; i++) {
        struct of_table *tb = &t->tables[i];
        size_t n_timed = tb->n_timed;
        struct of_rule *r, *next;

        /* Only tables with timed rules, and only until the last of them:
         * permanent flows cost nothing here. */
        LIST_FOR_EACH_SAFE (r, next, node, &tb->rules) {
            long long used;
            int reason = -1;

            if (!n_timed) {
                break;
            }
            if (!rule_is_timed(r)) {
                continue;
            }
            n_timed--;
            used = __atomic_load_n(&r->used_ms, __ATOMIC_RELAXED);

            if (r->hard_timeout
                && now >= r->created_ms + r->hard_timeout * 1000LL) {
                reason = OFPRR_HARD_TIMEOUT;
            } else if (r->idle_timeout
                       && now >= used + r->idle_timeout * 1000LL) {
                reason = OFPRR_IDLE_TIMEOUT;
            }
            if (reason >= 0) {
                removed_push(removed, r, reason, now);
                rule_retire(t, r, version);
                any = true;
            }
        }
    }
    if (any) {
        publish(t, version);
    }
}

const struct of_rule *
of_tables_lookup(struct of_tables *t, uint64_t version, uint8_t table_id,
                 const struct flow *flow, struct flow *wc)
{
    struct of_table *tb = &t->tables[table_id];
    const struct cls_rule *cr;

    __atomic_add_fetch(&tb->lookup_count, 1, __ATOMIC_RELAXED);
    cr = cls_lookup(&tb->cls, version, flow, wc);
    if (!cr) {
        return NULL;
    }
    __atomic_add_fetch(&tb->matched_count, 1, __ATOMIC_RELAXED);
    return CONTAINER_OF(cr, struct of_rule, cr);
}

void
of_rule_credit(const struct of_rule *r_, uint64_t packets, uint64_t bytes,
               long long now)
{
    struct of_rule *r = (struct of_rule *) r_;

    __atomic_add_fetch(&r->packet_count, packets, __ATOMIC_RELAXED);
    __atomic_add_fetch(&r->byte_count, bytes, __ATOMIC_RELAXED);
    __atomic_store_n(&r->used_ms, now, __ATOMIC_RELAXED);
}

const struct ofpacts *
of_rule_actions(const struct of_rule *r)
{
    return VRCU_GET(r->actions);
}

enum of_miss
of_tables_miss(uint8_t ofp_version)
{
    return ofp_version == OFP10_VERSION ? OF_MISS_CONTROLLER : OF_MISS_DROP;
}

const struct of_rule **
of_tables_select(struct of_tables *t, const struct ofp_flow_stats_request *req,
                 size_t *n)
{
    return (const struct of_rule **) collect(
        t, req->table_id, &req->match, 0, false, req->cookie, req->cookie_mask,
        req->out_port, req->out_group, n);
}

void
of_rule_to_flow_stats(const struct of_rule *r, long long now,
                      struct ofp_flow_stats *fs)
{
    long long age = now > r->created_ms ? now - r->created_ms : 0;
    long long used = __atomic_load_n(&r->used_ms, __ATOMIC_RELAXED);

    if (used < r->created_ms) {
        used = r->created_ms;
    }
    memset(fs, 0, sizeof *fs);
    fs->idle_age = now > used ? (now - used) / 1000 : 0;
    fs->hard_age = now > r->modified_ms ? (now - r->modified_ms) / 1000 : 0;
    cls_rule_get_match(&r->cr, &fs->match);
    fs->table_id = r->table_id;
    fs->duration_sec = age / 1000;
    fs->duration_nsec = (age % 1000) * 1000000;
    fs->priority = r->cr.priority;
    fs->idle_timeout = r->idle_timeout;
    fs->hard_timeout = r->hard_timeout;
    fs->flags = r->flags;
    fs->cookie = r->cookie;
    fs->packet_count = __atomic_load_n(&r->packet_count, __ATOMIC_RELAXED);
    fs->byte_count = __atomic_load_n(&r->byte_count, __ATOMIC_RELAXED);
    ofpacts_copy(&fs->ofpacts, r->actions);
}

void
of_tables_aggregate(struct of_tables *t,
                    const struct ofp_flow_stats_request *req,
                    struct ofp_aggregate_stats *as)
{
    size_t n;
    const struct of_rule **v = of_tables_select(t, req, &n);

    memset(as, 0, sizeof *as);
    for (size_t i = 0; i < n; i++) {
        as->packet_count +=
            __atomic_load_n(&v[i]->packet_count, __ATOMIC_RELAXED);
        as->byte_count += __atomic_load_n(&v[i]->byte_count, __ATOMIC_RELAXED);
    }
    as->flow_count = n;
    free(v);
}

void
of_tables_table_stats(const struct of_tables *t, uint8_t table_id,
                      struct ofp_table_stats *ts)
{
    const struct of_table *tb = &t->tables[table_id];

    memset(ts, 0, sizeof *ts);
    ts->table_id = table_id;
    snprintf(ts->name, sizeof ts->name, "table%u", table_id);
    ts->max_entries = t->max_rules;
    ts->active_count = tb->n_rules;
    ts->lookup_count = __atomic_load_n(&tb->lookup_count, __ATOMIC_RELAXED);
    ts->matched_count = __atomic_load_n(&tb->matched_count, __ATOMIC_RELAXED);
}

/* ---------------------------------------------------------------------- */
/* Groups. */

const struct of_group *
of_tables_group(const struct of_tables *t, uint32_t id)
{
    struct of_group *g;

    HMAP_FOR_EACH_WITH_HASH (g, node, hash_uint64(id, 0), &t->groups) {
        if (g->id == id) {
            return g;
        }
    }
    return NULL;
}

/* Whether following group references from 'buckets' (standing in for
 * group 'self') can reach 'self'. */
static bool
reaches(const struct of_tables *t, const struct of_bucket *buckets, size_t n,
        uint32_t self, int depth)
{
    if (depth > 64) {
        return true;
    }
    for (size_t i = 0; i < n; i++) {
        const struct ofpacts *a = &buckets[i].actions;

        for (size_t j = 0; j < a->n; j++) {
            const struct of_group *g;

            if (a->a[j].type != OFPACT_GROUP) {
                continue;
            }
            if (a->a[j].id == self) {
                return true;
            }
            g = of_tables_group(t, a->a[j].id);
            if (g && reaches(t, g->buckets, g->n_buckets, self, depth + 1)) {
                return true;
            }
        }
    }
    return false;
}

static bool
group_referenced(const struct of_tables *t, uint32_t id)
{
    const struct of_group *g;

    HMAP_FOR_EACH (g, node, &t->groups) {
        for (size_t i = 0; i < g->n_buckets; i++) {
            if (g->id != id
                && ofpacts_output_to_group(&g->buckets[i].actions, id)) {
                return true;
            }
        }
    }
    return false;
}

static enum ofperr
validate_buckets(const struct of_tables *t, const struct ofp_group_mod_req *gm)
{
    if (gm->type > OFPGT_FF) {
        return OFPERR_BAD_GROUP_TYPE;
    }
    if (gm->type == OFPGT_INDIRECT && gm->n_buckets != 1) {
        return OFPERR_INVALID_GROUP;
    }
    for (size_t i = 0; i < gm->n_buckets; i++) {
        const struct of_bucket *b = &gm->buckets[i];
        enum ofperr e;

        if (gm->type != OFPGT_SELECT && b->weight) {
            return OFPERR_WEIGHT_UNSUPPORTED;
        }
        if (gm->type == OFPGT_FF && b->watch_port == OFPP_NONE
            && b->watch_group == OFPG_ANY) {
            return OFPERR_BAD_WATCH;
        }
        for (size_t j = 0; j < b->actions.n; j++) {
            if (b->actions.a[j].type >= OFPACT_CLEAR_ACTIONS) {
                return OFPERR_BAD_BUCKET;
            }
        }
        for (size_t j = 0; j < b->actions.n; j++) {
            const struct ofpact *a = &b->actions.a[j];

            if (a->type == OFPACT_GROUP && a->id == gm->group_id) {
                return OFPERR_GROUP_LOOP;
            }
        }
        e = check_groups(t, &b->actions);
        if (e) {
            return e;
        }
    }
    if (reaches(t, gm->buckets, gm->n_buckets, gm->group_id, 0)) {
        return OFPERR_GROUP_LOOP;
    }
    return 0;
}

static void
delete_group(struct of_tables *t, struct of_group *g, long long now,
             struct of_flow_removed_list *removed)
{
    struct match all;
    struct of_rule **v;
    size_t n;

    match_init_catchall(&all);
    v = collect(t, OFPTT_ALL, &all, 0, false, 0, 0, OFPP_NONE, g->id, &n);
    for (size_t i = 0; i < n; i++) {
        removed_push(removed, v[i], OFPRR_GROUP_DELETE, now);
        rule_retire(t, v[i], t->version + 1);
    }
    free(v);
    hmap_remove(&t->groups, &g->node);
    group_free(g);
}

enum ofperr
of_tables_group_mod(struct of_tables *t, struct ofp_group_mod_req *gm,
                    long long now, struct of_flow_removed_list *removed)
{
    struct of_group *g = (struct of_group *) of_tables_group(t, gm->group_id);
    enum ofperr e;

    switch (gm->command) {
    case OFPGC_ADD:
    case OFPGC_MODIFY:
        if (gm->group_id > OFPG_MAX) {
            return OFPERR_INVALID_GROUP;
        }
        if (gm->command == OFPGC_ADD && g) {
            return OFPERR_GROUP_EXISTS;
        }
        if (gm->command == OFPGC_MODIFY && !g) {
            return OFPERR_UNKNOWN_GROUP;
        }
        e = validate_buckets(t, gm);
        if (e) {
            return e;
        }
        if (!g) {
            g = xzalloc(sizeof *g);
            g->id = gm->group_id;
            g->created_ms = now;
            hmap_insert(&t->groups, &g->node, hash_uint64(g->id, 0));
        } else {
            for (size_t i = 0; i < g->n_buckets; i++) {
                ofpacts_uninit(&g->buckets[i].actions);
            }
            free(g->buckets);
        }
        g->type = gm->type;
        g->buckets = gm->buckets;
        g->n_buckets = gm->n_buckets;
        gm->buckets = NULL;
        gm->n_buckets = 0;
        publish(t, t->version + 1);
        return 0;

    case OFPGC_DELETE:
        if (gm->group_id == OFPG_ALL) {
            HMAP_FOR_EACH_SAFE (g, node, &t->groups) {
                delete_group(t, g, now, removed);
            }
        } else if (g) {
            if (group_referenced(t, g->id)) {
                return OFPERR_CHAINED_GROUP;
            }
            delete_group(t, g, now, removed);
        }
        publish(t, t->version + 1);
        return 0;
    }
    return OFPERR_BAD_GROUP_COMMAND;
}

static bool bucket_live(const struct of_tables *, const struct of_bucket *,
                        bool (*)(uint16_t, void *), void *, int depth);

static bool
group_live(const struct of_tables *t, uint32_t id,
           bool (*port_live)(uint16_t, void *), void *aux, int depth)
{
    const struct of_group *g = of_tables_group(t, id);

    if (!g || depth > 16) {
        return false;
    }
    for (size_t i = 0; i < g->n_buckets; i++) {
        if (bucket_live(t, &g->buckets[i], port_live, aux, depth + 1)) {
            return true;
        }
    }
    return false;
}

static bool
bucket_live(const struct of_tables *t, const struct of_bucket *b,
            bool (*port_live)(uint16_t, void *), void *aux, int depth)
{
    if (b->watch_port != OFPP_NONE && port_live
        && !port_live(b->watch_port, aux)) {
        return false;
    }
    if (b->watch_group != OFPG_ANY
        && !group_live(t, b->watch_group, port_live, aux, depth)) {
        return false;
    }
    return true;
}

int
of_group_pick_bucket(const struct of_tables *t, const struct of_group *g,
                     uint32_t hash, bool (*port_live)(uint16_t, void *),
                     void *aux)
{
    switch (g->type) {
    case OFPGT_INDIRECT:
        return g->n_buckets ? 0 : -1;
    case OFPGT_FF:
        for (size_t i = 0; i < g->n_buckets; i++) {
            if (bucket_live(t, &g->buckets[i], port_live, aux, 0)) {
                return i;
            }
        }
        return -1;
    case OFPGT_SELECT: {
        uint64_t total = 0, point;

        for (size_t i = 0; i < g->n_buckets; i++) {
            if (bucket_live(t, &g->buckets[i], port_live, aux, 0)) {
                total += g->buckets[i].weight;
            }
        }
        if (!total) {
            return -1;
        }
        point = hash % total;
        for (size_t i = 0; i < g->n_buckets; i++) {
            if (!bucket_live(t, &g->buckets[i], port_live, aux, 0)) {
                continue;
            }
            if (point < g->buckets[i].weight) {
                return i;
            }
            point -= g->buckets[i].weight;
        }
        return -1;
    }
    }
    return -1;
}

void
of_group_credit(struct of_group *g, int bucket, uint64_t bytes)
{
    __atomic_add_fetch(&g->packet_count, 1, __ATOMIC_RELAXED);
    __atomic_add_fetch(&g->byte_count, bytes, __ATOMIC_RELAXED);
    if (bucket >= 0 && (size_t) bucket < g->n_buckets) {
        __atomic_add_fetch(&g->buckets[bucket].packet_count, 1,
                           __ATOMIC_RELAXED);
        __atomic_add_fetch(&g->buckets[bucket].byte_count, bytes,
                           __ATOMIC_RELAXED);
    }
}
