/* SPDX-License-Identifier: Apache-2.0 */
/* Flow-table semantics: add/replace/overlap, modify and delete (strict or
 * not, cookies, out_port), timeouts and FLOW_REMOVED on a test clock,
 * versions, stats, table miss, groups. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/ofp-port.h"
#include "vswitch/ofp-table.h"
#include "vswitch/ofp-wire.h"
#include "vswitch/oftable.h"
#include "vswitch/rcu.h"

static struct of_tables *
new_tables(void)
{
    struct of_tables *t = xmalloc(sizeof *t);

    vrcu_thread_init();
    of_tables_init(t);
    return t;
}

static void
free_tables(struct of_tables *t)
{
    of_tables_destroy(t);
    free(t);
}

static enum ofperr
mod(struct of_tables *t, int command, const char *text, long long now,
    struct of_flow_removed_list *removed)
{
    struct ofp_flow_mod fm;
    char *error = NULL;
    enum ofperr e;

    if (ofp_flow_mod_parse(&fm, text, command, &error)) {
        fail_msg("%s: %s", text, error);
    }
    e = of_tables_flow_mod(t, &fm, now, removed);
    ofp_flow_mod_uninit(&fm);
    return e;
}

static void
add(struct of_tables *t, const char *text)
{
    enum ofperr e = mod(t, OFPFC_ADD, text, 0, NULL);

    if (e) {
        fail_msg("%s: %s", text, ofperr_name(e));
    }
}

/* The packet 'text' describes (a match's values). */
static struct flow
packet(const char *text)
{
    struct match m;

    assert_int_equal(match_parse(&m, text, NULL), 0);
    return m.flow;
}

static const struct of_rule *
lookup(struct of_tables *t, uint8_t table, const char *text)
{
    struct flow f = packet(text);
    const struct of_rule *r;

    vrcu_read_lock();
    r = of_tables_lookup(t, of_tables_version(t), table, &f, NULL);
    vrcu_read_unlock();
    return r;
}

static size_t
n_rules(struct of_tables *t, uint8_t table)
{
    return t->tables[table].n_rules;
}

static void
test_add_lookup_replace(void **state)
{
    struct of_tables *t = new_tables();
    const struct of_rule *r;
    uint64_t v0 = of_tables_version(t);

    (void) state;
    add(t, "priority=100,tcp,tp_dst=80,actions=output:1");
    add(t, "priority=50,ip,actions=output:2");
    assert_true(of_tables_version(t) > v0);
    r = lookup(t, 0, "tcp,nw_src=1.1.1.1,tp_dst=80");
    assert_non_null(r);
    assert_int_equal(r->cr.priority, 100);
    r = lookup(t, 0, "udp,tp_dst=80");
    assert_int_equal(r->cr.priority, 50);
    assert_null(lookup(t, 0, "arp"));
    assert_null(lookup(t, 1, "tcp,tp_dst=80"));

    /* Same match and priority replaces, keeping counters... */
    r = lookup(t, 0, "tcp,tp_dst=80");
    of_rule_credit(r, 2, 120, 10);
    add(t, "priority=100,tcp,tp_dst=80,actions=output:3");
    assert_int_equal(n_rules(t, 0), 2);
    r = lookup(t, 0, "tcp,tp_dst=80");
    assert_int_equal(r->packet_count, 2);
    assert_int_equal(of_rule_actions(r)->a[0].port, 3);
    /* ...unless reset_counts. */
    add(t, "priority=100,reset_counts,tcp,tp_dst=80,actions=output:4");
    r = lookup(t, 0, "tcp,tp_dst=80");
    assert_int_equal(r->packet_count, 0);
    of_tables_gc(t);

    /* Table stats. */
    {
        struct ofp_table_stats ts;

        of_tables_table_stats(t, 0, &ts);
        assert_int_equal(ts.active_count, 2);
        assert_true(ts.lookup_count >= 6);
        assert_int_equal(ts.lookup_count - ts.matched_count, 1);
    }
    free_tables(t);
}

static void
test_overlap_and_full(void **state)
{
    struct of_tables *t = new_tables();

    (void) state;
    add(t, "priority=10,ip,actions=drop");
    assert_int_equal(mod(t, OFPFC_ADD,
                         "priority=10,check_overlap,tcp,"
                         "actions=drop",
                         0, NULL),
                     OFPERR_FLOW_MOD_OVERLAP);
    /* Identical match overlaps too. */
    assert_int_equal(mod(t, OFPFC_ADD,
                         "priority=10,check_overlap,ip,"
                         "actions=drop",
                         0, NULL),
                     OFPERR_FLOW_MOD_OVERLAP);
    /* Another priority or disjoint packets do not. */
    assert_int_equal(mod(t, OFPFC_ADD,
                         "priority=11,check_overlap,tcp,"
                         "actions=drop",
                         0, NULL),
                     0);
    assert_int_equal(mod(t, OFPFC_ADD,
                         "priority=10,check_overlap,arp,"
                         "actions=drop",
                         0, NULL),
                     0);
    assert_int_equal(n_rules(t, 0), 3);

    t->max_rules = 3;
    assert_int_equal(mod(t, OFPFC_ADD, "priority=1,actions=drop", 0, NULL),
                     OFPERR_TABLE_FULL);
    /* Replacing is not growing. */
    assert_int_equal(
        mod(t, OFPFC_ADD, "priority=10,ip,actions=output:1", 0, NULL), 0);
    add(t, "table=1,actions=drop");
    free_tables(t);
}

static void
test_modify(void **state)
{
    struct of_tables *t = new_tables();
    const struct of_rule *r;

    (void) state;
    add(t, "priority=10,cookie=0x11,tcp,tp_dst=80,actions=output:1");
    add(t, "priority=20,cookie=0x22,tcp,actions=output:1");
    add(t, "priority=5,cookie=0x12,ip,actions=output:1");

    /* Non-strict: every rule within "tcp" (priority ignored). */
    assert_int_equal(mod(t, OFPFC_MODIFY, "tcp,actions=output:5", 0, NULL), 0);
    assert_int_equal(of_rule_actions(lookup(t, 0, "tcp,tp_dst=80"))->a[0].port,
                     5);
    r = lookup(t, 0, "udp");
    assert_int_equal(of_rule_actions(r)->a[0].port, 1);

    /* Strict: only the exact match and priority. */
    assert_int_equal(
        mod(t, OFPFC_MODIFY_STRICT, "priority=5,ip,actions=output:6", 0, NULL),
        0);
    assert_int_equal(of_rule_actions(lookup(t, 0, "udp"))->a[0].port, 6);
    assert_int_equal(
        mod(t, OFPFC_MODIFY_STRICT, "priority=6,ip,actions=output:7", 0, NULL),
        0);
    assert_int_equal(of_rule_actions(lookup(t, 0, "udp"))->a[0].port, 6);

    /* Cookie filter: only cookies 0x1? among ip rules. */
    assert_int_equal(mod(t, OFPFC_MODIFY,
                         "cookie=0x10/0xf0,ip,"
                         "actions=output:8",
                         0, NULL),
                     0);
    assert_int_equal(of_rule_actions(lookup(t, 0, "udp"))->a[0].port, 8);
    assert_int_equal(of_rule_actions(lookup(t, 0, "tcp,tp_dst=81"))->a[0].port,
                     5);

    /* 1.0: a modify that selects nothing adds. */
    {
        struct ofp_flow_mod fm;

        assert_int_equal(ofp_flow_mod_parse(&fm, "arp,actions=output:9",
                                            OFPFC_MODIFY, NULL),
                         0);
        assert_int_equal(of_tables_flow_mod(t, &fm, 0, NULL), 0);
        assert_null(lookup(t, 0, "arp"));
        fm.modify_may_add = true;
        assert_int_equal(of_tables_flow_mod(t, &fm, 0, NULL), 0);
        assert_non_null(lookup(t, 0, "arp"));
        ofp_flow_mod_uninit(&fm);
    }
    free_tables(t);
}

static void
test_delete(void **state)
{
    struct of_tables *t = new_tables();
    struct of_flow_removed_list removed = {NULL, 0, 0};

    (void) state;
    add(t, "priority=10,send_flow_rem,cookie=0x1,tcp,tp_dst=80,"
           "actions=output:1");
    add(t, "priority=20,tcp,actions=output:2");
    add(t, "priority=30,send_flow_rem,cookie=0x3,ip,actions=output:3");
    add(t, "table=2,priority=30,ip,actions=output:3");

    /* Strict: wrong priority deletes nothing. */
    assert_int_equal(mod(t, OFPFC_DELETE_STRICT,
                         "table=0,priority=11,tcp,"
                         "tp_dst=80",
                         1000, &removed),
                     0);
    assert_int_equal(n_rules(t, 0), 3);
    /* out_port filter: only rules that output to port 2. */
    assert_int_equal(mod(t, OFPFC_DELETE, "out_port=2,ip", 1000, &removed), 0);
    assert_int_equal(n_rules(t, 0), 2);
    assert_int_equal(removed.n, 0); /* No send_flow_rem on that one. */
    /* Cookie: 0x3 only. */
    assert_int_equal(mod(t, OFPFC_DELETE, "cookie=0x3/0xff", 2500, &removed),
                     0);
    assert_int_equal(n_rules(t, 0), 1);
    assert_int_equal(removed.n, 1);
    assert_int_equal(removed.v[0].reason, OFPRR_DELETE);
    assert_int_equal(removed.v[0].cookie, 3);
    assert_int_equal(removed.v[0].priority, 30);
    assert_int_equal(removed.v[0].duration_sec, 2);
    assert_int_equal(removed.v[0].duration_nsec, 500000000);
    /* Non-strict in every table ("table=255" by default). */
    assert_int_equal(mod(t, OFPFC_DELETE, "", 3000, &removed), 0);
    assert_int_equal(n_rules(t, 0), 0);
    assert_int_equal(n_rules(t, 2), 0);
    assert_int_equal(removed.n, 2);
    assert_null(lookup(t, 0, "tcp,tp_dst=80"));
    of_flow_removed_list_destroy(&removed);
    free_tables(t);
}

static void
test_timeouts(void **state)
{
    struct of_tables *t = new_tables();
    struct of_flow_removed_list removed = {NULL, 0, 0};

    (void) state;
    assert_int_equal(mod(t, OFPFC_ADD,
                         "priority=1,idle_timeout=10,"
                         "send_flow_rem,tcp,actions=drop",
                         0, NULL),
                     0);
    assert_int_equal(mod(t, OFPFC_ADD,
                         "priority=2,hard_timeout=20,"
                         "idle_timeout=5,send_flow_rem,udp,"
                         "actions=drop",
                         0, NULL),
                     0);
    assert_int_equal(mod(t, OFPFC_ADD,
                         "priority=3,hard_timeout=1,arp,"
                         "actions=drop",
                         0, NULL),
                     0);
    of_tables_expire(t, 999, &removed);
    assert_int_equal(n_rules(t, 0), 3);
    /* arp's hard timeout: gone, but no FLOW_REMOVED (flag not set). */
    of_tables_expire(t, 1000, &removed);
    assert_int_equal(n_rules(t, 0), 2);
    assert_int_equal(removed.n, 0);

    /* Traffic keeps tcp and udp alive. */
    of_rule_credit(lookup(t, 0, "tcp"), 1, 60, 8000);
    of_rule_credit(lookup(t, 0, "udp"), 1, 60, 4000);
    of_tables_expire(t, 9000, &removed);
    assert_int_equal(removed.n, 1); /* udp idle since 4 s, timeout 5 s. */
    assert_int_equal(removed.v[0].reason, OFPRR_IDLE_TIMEOUT);
    assert_int_equal(removed.v[0].priority, 2);
    assert_int_equal(removed.v[0].packet_count, 1);
    assert_int_equal(removed.v[0].duration_sec, 9);
    of_tables_expire(t, 17999, &removed);
    assert_int_equal(removed.n, 1);
    of_tables_expire(t, 18000, &removed);
    assert_int_equal(removed.n, 2);
    assert_int_equal(removed.v[1].reason, OFPRR_IDLE_TIMEOUT);
    assert_int_equal(removed.v[1].idle_timeout, 10);
    assert_int_equal(n_rules(t, 0), 0);

    /* Hard timeout beats idle traffic. */
    assert_int_equal(mod(t, OFPFC_ADD,
                         "hard_timeout=2,send_flow_rem,"
                         "actions=drop",
                         20000, NULL),
                     0);
    of_rule_credit(lookup(t, 0, "ip"), 1, 1, 21900);
    of_tables_expire(t, 22000, &removed);
    assert_int_equal(removed.n, 3);
    assert_int_equal(removed.v[2].reason, OFPRR_HARD_TIMEOUT);
    of_flow_removed_list_destroy(&removed);
    free_tables(t);
}

static void
test_stats_and_miss(void **state)
{
    struct of_tables *t = new_tables();
    struct ofp_flow_stats_request req;
    struct ofp_aggregate_stats as;
    struct ofp_flow_stats fs;
    const struct of_rule **v;
    size_t n;

    (void) state;
    add(t, "priority=1,cookie=0x1,tcp,actions=output:1");
    add(t, "priority=2,cookie=0x2,udp,actions=output:2");
    add(t, "table=5,priority=3,cookie=0x3,ip,actions=output:2");
    of_rule_credit(lookup(t, 0, "tcp"), 3, 300, 5);
    of_rule_credit(lookup(t, 0, "udp"), 4, 400, 5);

    memset(&req, 0, sizeof req);
    req.table_id = OFPTT_ALL;
    req.out_port = OFPP_NONE;
    req.out_group = OFPG_ANY;
    v = of_tables_select(t, &req, &n);
    assert_int_equal(n, 3);
    free(v);
    req.out_port = 2;
    of_tables_aggregate(t, &req, &as);
    assert_int_equal(as.flow_count, 2);
    assert_int_equal(as.packet_count, 4);
    req.out_port = OFPP_NONE;
    req.table_id = 0;
    of_tables_aggregate(t, &req, &as);
    assert_int_equal(as.flow_count, 2);
    assert_int_equal(as.byte_count, 700);
    req.cookie = 2;
    req.cookie_mask = UINT64_MAX;
    v = of_tables_select(t, &req, &n);
    assert_int_equal(n, 1);
    of_rule_to_flow_stats(v[0], 1500, &fs);
    assert_int_equal(fs.cookie, 2);
    assert_int_equal(fs.duration_sec, 1);
    assert_int_equal(fs.duration_nsec, 500000000);
    assert_int_equal(fs.packet_count, 4);
    assert_int_equal(fs.ofpacts.a[0].port, 2);
    ofpacts_uninit(&fs.ofpacts);
    free(v);

    assert_int_equal(of_tables_miss(OFP10_VERSION), OF_MISS_CONTROLLER);
    assert_int_equal(of_tables_miss(OFP13_VERSION), OF_MISS_DROP);
    /* A 1.3 table-miss rule is an ordinary priority-0 catch-all. */
    assert_null(lookup(t, 0, "arp"));
    add(t, "priority=0,actions=CONTROLLER:128");
    assert_int_equal(lookup(t, 0, "arp")->cr.priority, 0);
    free_tables(t);
}

static struct of_bucket *
buckets(const char *const *actions, size_t n, uint16_t weight,
        uint16_t watch_port)
{
    struct of_bucket *b = xcalloc(n, sizeof *b);

    for (size_t i = 0; i < n; i++) {
        b[i].weight = weight;
        b[i].watch_port = watch_port;
        b[i].watch_group = OFPG_ANY;
        ofpacts_init(&b[i].actions);
        assert_int_equal(ofpacts_parse(actions[i], NULL, &b[i].actions, NULL),
                         0);
    }
    return b;
}

static enum ofperr
group(struct of_tables *t, uint16_t command, uint8_t type, uint32_t id,
      const char *const *actions, size_t n, uint16_t weight,
      uint16_t watch_port, struct of_flow_removed_list *removed)
{
    struct ofp_group_mod_req gm = {command, type, id, NULL, 0};
    enum ofperr e;

    if (n) {
        gm.buckets = buckets(actions, n, weight, watch_port);
        gm.n_buckets = n;
    }
    e = of_tables_group_mod(t, &gm, 0, removed);
    for (size_t i = 0; i < gm.n_buckets; i++) {
        ofpacts_uninit(&gm.buckets[i].actions);
    }
    free(gm.buckets);
    return e;
}

static void
test_groups(void **state)
{
    static const char *const out1[] = {"output:1"};
    static const char *const out12[] = {"output:1", "output:2"};
    static const char *const to1[] = {"group:1", "output:3"};
    static const char *const to2[] = {"group:2"};
    struct of_tables *t = new_tables();
    struct of_flow_removed_list removed = {NULL, 0, 0};

    (void) state;
    assert_int_equal(
        group(t, OFPGC_ADD, OFPGT_INDIRECT, 1, out1, 1, 0, OFPP_NONE, NULL),
        0);
    assert_non_null(of_tables_group(t, 1));
    assert_int_equal(
        group(t, OFPGC_ADD, OFPGT_INDIRECT, 1, out1, 1, 0, OFPP_NONE, NULL),
        OFPERR_GROUP_EXISTS);
    assert_int_equal(
        group(t, OFPGC_MODIFY, OFPGT_ALL, 9, out1, 1, 0, OFPP_NONE, NULL),
        OFPERR_UNKNOWN_GROUP);
    assert_int_equal(
        group(t, OFPGC_ADD, OFPGT_INDIRECT, 3, out12, 2, 0, OFPP_NONE, NULL),
        OFPERR_INVALID_GROUP);
    assert_int_equal(group(t, OFPGC_ADD, 7, 3, out1, 1, 0, OFPP_NONE, NULL),
                     OFPERR_BAD_GROUP_TYPE);
    assert_int_equal(
        group(t, OFPGC_ADD, OFPGT_FF, 3, out12, 2, 0, OFPP_NONE, NULL),
        OFPERR_BAD_WATCH);
    assert_int_equal(group(t, OFPGC_ADD, OFPGT_FF, 3, out12, 2, 0, 1, NULL),
                     0);
    assert_int_equal(
        group(t, OFPGC_ADD, OFPGT_ALL, 4, out12, 2, 5, OFPP_NONE, NULL),
        OFPERR_WEIGHT_UNSUPPORTED);
    assert_int_equal(
        group(t, OFPGC_ADD, OFPGT_SELECT, 4, out12, 2, 5, OFPP_NONE, NULL), 0);
    assert_int_equal(group(t, 9, OFPGT_ALL, 4, out1, 1, 0, OFPP_NONE, NULL),
                     OFPERR_BAD_GROUP_COMMAND);
    assert_int_equal(
        group(t, OFPGC_ADD, OFPGT_ALL, OFPG_ALL, out1, 1, 0, OFPP_NONE, NULL),
        OFPERR_INVALID_GROUP);

    /* Chaining: 2 -> 1 is fine; 1 -> 2 would loop; 5 -> 99 is unknown. */
    assert_int_equal(
        group(t, OFPGC_ADD, OFPGT_ALL, 2, to1, 2, 0, OFPP_NONE, NULL), 0);
    assert_int_equal(
        group(t, OFPGC_MODIFY, OFPGT_INDIRECT, 1, to2, 1, 0, OFPP_NONE, NULL),
        OFPERR_GROUP_LOOP);
    assert_int_equal(group(t, OFPGC_ADD, OFPGT_INDIRECT, 6, to2 /* self */, 1,
                           0, OFPP_NONE, NULL),
                     0);
    {
        static const char *const self[] = {"group:7"};

        assert_int_equal(group(t, OFPGC_ADD, OFPGT_INDIRECT, 7, self, 1, 0,
                               OFPP_NONE, NULL),
                         OFPERR_GROUP_LOOP);
    }
    {
        static const char *const unknown[] = {"group:99"};

        assert_int_equal(group(t, OFPGC_ADD, OFPGT_INDIRECT, 8, unknown, 1, 0,
                               OFPP_NONE, NULL),
                         OFPERR_BAD_OUT_GROUP);
    }
    /* 1 is used by 2: cannot go. */
    assert_int_equal(group(t, OFPGC_DELETE, 0, 1, NULL, 0, 0, 0, NULL),
                     OFPERR_CHAINED_GROUP);

    /* Flows must name existing groups; deleting a group deletes its
     * flows. */
    assert_int_equal(mod(t, OFPFC_ADD, "ip,actions=group:99", 0, NULL),
                     OFPERR_BAD_OUT_GROUP);
    add(t, "priority=5,send_flow_rem,ip,actions=group:6");
    add(t, "priority=6,arp,actions=group:4");
    assert_int_equal(group(t, OFPGC_DELETE, 0, 6, NULL, 0, 0, 0, &removed), 0);
    assert_null(of_tables_group(t, 6));
    assert_int_equal(n_rules(t, 0), 1);
    assert_int_equal(removed.n, 1);
    assert_int_equal(removed.v[0].reason, OFPRR_GROUP_DELETE);
    /* Deleting all. */
    assert_int_equal(
        group(t, OFPGC_DELETE, 0, OFPG_ALL, NULL, 0, 0, 0, &removed), 0);
    assert_null(of_tables_group(t, 1));
    assert_int_equal(n_rules(t, 0), 0);
    of_flow_removed_list_destroy(&removed);
    free_tables(t);
}

static bool
odd_ports_live(uint16_t port, void *aux)
{
    (void) aux;
    return port % 2;
}

static void
test_group_buckets(void **state)
{
    static const char *const two[] = {"output:1", "output:2"};
    static const char *const three[] = {"output:1", "output:2", "output:3"};
    struct of_tables *t = new_tables();
    const struct of_group *g;
    int hits[3] = {0, 0, 0};

    (void) state;
    /* Select: weights 1 and 3 share hashes 1:3; a dead bucket gets none. */
    assert_int_equal(
        group(t, OFPGC_ADD, OFPGT_SELECT, 1, two, 2, 0, OFPP_NONE, NULL), 0);
    g = of_tables_group(t, 1);
    ((struct of_group *) g)->buckets[0].weight = 1;
    ((struct of_group *) g)->buckets[1].weight = 3;
    for (uint32_t h = 0; h < 400; h++) {
        hits[of_group_pick_bucket(t, g, h * 2654435761u, NULL, NULL)]++;
    }
    assert_int_equal(hits[0] + hits[1], 400);
    assert_true(hits[0] > 60 && hits[0] < 140);
    ((struct of_group *) g)->buckets[1].watch_port = 2;
    for (uint32_t h = 0; h < 50; h++) {
        assert_int_equal(of_group_pick_bucket(t, g, h, odd_ports_live, NULL),
                         0);
    }
    /* The same flow hash always picks the same bucket. */
    assert_int_equal(of_group_pick_bucket(t, g, 12345, NULL, NULL),
                     of_group_pick_bucket(t, g, 12345, NULL, NULL));

    /* Fast failover: the first live bucket. */
    assert_int_equal(group(t, OFPGC_ADD, OFPGT_FF, 2, three, 3, 0, 2, NULL),
                     0);
    g = of_tables_group(t, 2);
    ((struct of_group *) g)->buckets[1].watch_port = 3;
    ((struct of_group *) g)->buckets[2].watch_port = 5;
    assert_int_equal(of_group_pick_bucket(t, g, 0, odd_ports_live, NULL), 1);
    assert_int_equal(of_group_pick_bucket(t, g, 0, NULL, NULL), 0);
    /* Indirect: its one bucket; counters. */
    assert_int_equal(
        group(t, OFPGC_ADD, OFPGT_INDIRECT, 3, two, 1, 0, OFPP_NONE, NULL), 0);
    g = of_tables_group(t, 3);
    assert_int_equal(of_group_pick_bucket(t, g, 7, NULL, NULL), 0);
    of_group_credit((struct of_group *) g, 0, 100);
    assert_int_equal(g->packet_count, 1);
    assert_int_equal(g->buckets[0].byte_count, 100);
    free_tables(t);
}

struct reader_arg {
    struct of_tables *t;
    struct flow pkt;
    volatile bool stop;
    volatile bool started; /* The reader has done a lookup. */
    unsigned long hits, misses, bad;
};

static void *
reader_main(void *arg_)
{
    struct reader_arg *arg = arg_;

    vrcu_register_thread();
    while (!arg->stop) {
        const struct of_rule *r;

        vrcu_read_lock();
        r = of_tables_lookup(arg->t, of_tables_version(arg->t), 0, &arg->pkt,
                             NULL);
        if (r) {
            const struct ofpacts *a = of_rule_actions(r);

            /* Every version has exactly one output, to port 1..3. */
            if (a->n != 1 || a->a[0].port < 1 || a->a[0].port > 3) {
                arg->bad++;
            }
            arg->hits++;
        } else {
            arg->misses++;
        }
        vrcu_read_unlock();
        arg->started = true;
    }
    vrcu_unregister_thread();
    return NULL;
}

/* A reader looks up while the writer adds, replaces, modifies and deletes:
 * it always sees a whole rule with whole actions, or none. */
static void
test_concurrent_readers(void **state)
{
    struct of_tables *t = new_tables();
    struct reader_arg arg = {.t = t};
    pthread_t th;

    (void) state;
    arg.pkt = packet("tcp,tp_dst=80");
    pthread_create(&th, NULL, reader_main, &arg);
    /* On a loaded machine the reader may not run before the writer is
     * done: start writing once it reads. */
    while (!arg.started) {
        sched_yield();
    }
    for (int i = 0; i < 300; i++) {
        add(t, "priority=10,tcp,actions=output:1");
        add(t, "priority=10,tcp,actions=output:2");
        assert_int_equal(mod(t, OFPFC_MODIFY, "tcp,actions=output:3", 0, NULL),
                         0);
        add(t, "priority=20,tcp,tp_dst=80,actions=output:2");
        assert_int_equal(mod(t, OFPFC_DELETE, "tcp", 0, NULL), 0);
        if (i % 50 == 0) {
            of_tables_gc(t);
        }
    }
    arg.stop = true;
    pthread_join(th, NULL);
    assert_int_equal(arg.bad, 0);
    assert_true(arg.hits + arg.misses > 0);
    free_tables(t);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_lookup_replace),
        cmocka_unit_test(test_overlap_and_full),
        cmocka_unit_test(test_modify),
        cmocka_unit_test(test_delete),
        cmocka_unit_test(test_timeouts),
        cmocka_unit_test(test_stats_and_miss),
        cmocka_unit_test(test_groups),
        cmocka_unit_test(test_group_buckets),
        cmocka_unit_test(test_concurrent_readers),
    };
    return cmocka_run_group_tests_name("oftable", tests, NULL, NULL);
}
