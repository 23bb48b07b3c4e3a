/* SPDX-License-Identifier: Apache-2.0 */
/* The slow path end to end on the userspace datapath with dummy ports: a
 * miss is translated, its megaflow installed and the packet output; the
 * next identical packet takes the fast path; packet-in through the
 * callback; packet-out; revalidation; NORMAL through the handler. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <unistd.h>
#include "vswitch/coverage.h"
#include "vswitch/dpif.h"
#include "vswitch/netdev.h"
#include "vswitch/ofp-actions.h"
#include "vswitch/rcu.h"
#include "vswitchd/upcall.h"
#include "dummy-wait.h"
#include "sample-packets.h"
#include "xlate-fixture.h"

struct env {
    struct fx *fx;       /* Tables and ports. */
    struct dpif *dpif;   /* Datapath "tup" with dummy ports u1..u4. */
    struct udpif *udpif; /* The slow path under test. */
    int n_packet_in;     /* Callback count (atomic). */
    struct xlate_ctrl_cookie last_cookie; /* Last packet-in's cookie. */
    size_t last_size;                     /* And frame size. */
};

static void
packet_in_cb(void *env_, const struct upcall_packet_in *pin)
{
    struct env *env = env_;

    env->last_cookie = *pin->cookie;
    env->last_size = pin->size;
    __atomic_add_fetch(&env->n_packet_in, 1, __ATOMIC_RELEASE);
}

static int
setup(void **state)
{
    static const struct udpif_callbacks cb = {.packet_in = packet_in_cb};
    struct env *env = calloc(1, sizeof *env);
    char name[8];

    vrcu_thread_init();
    env->fx = fx_create();
    assert_int_equal(dpif_open("tup", "netdev", true, &env->dpif), 0);
    for (uint32_t i = 1; i <= FX_N_PORTS; i++) {
        uint32_t no = i;

        snprintf(name, sizeof name, "u%u", i);
        assert_int_equal(dpif_port_add(env->dpif, name, "dummy", &no), 0);
        assert_int_equal(no, i);
    }
    env->fx->br.n_ports = FX_N_PORTS; /* No LOCAL port here. */
    env->udpif = udpif_create(env->dpif, &cb, env);
    udpif_set_xbridge(env->udpif, &env->fx->br, NULL);
    *state = env;
    return 0;
}

static int
teardown(void **state)
{
    struct env *env = *state;

    udpif_destroy(env->udpif);
    dpif_delete(env->dpif);
    dpif_close(env->dpif);
    fx_destroy(env->fx);
    free(env);
    return 0;
}

static struct dpif_dp_stats
stats(struct env *env)
{
    struct dpif_dp_stats st;

    assert_int_equal(dpif_get_stats(env->dpif, &st), 0);
    return st;
}

/* Requests a revalidation and waits (up to 2 s) until it is done. */
static void
revalidate(struct env *env)
{
    udpif_revalidate(env->udpif);
    for (int i = 0; i < 200 && !udpif_revalidation_idle(env->udpif); i++) {
        usleep(10000);
    }
    assert_true(udpif_revalidation_idle(env->udpif));
}

static void
expect_frame(const char *port, const uint8_t *frame, size_t size)
{
    uint8_t *got;
    size_t got_size;

    assert_true(pop_sent(port, &got, &got_size));
    assert_int_equal(got_size, size);
    assert_memory_equal(got, frame, size);
    free(got);
}

static bool
find_actions(const struct dpif_flow *f, void *text_)
{
    const char **text = text_;
    struct ds s = DS_EMPTY_INITIALIZER;
    bool found;

    odp_actions_format(f->actions, f->actions_size, &s);
    found = !strcmp(ds_cstr(&s), *text);
    ds_destroy(&s);
    if (found) {
        *text = NULL;
    }
    return !found;
}

/* Waits (up to 2 s) until some megaflow has actions 'text' ('present') or
 * none has. */
static void
wait_flow_actions(struct env *env, const char *text, bool present)
{
    bool found = false;

    for (int i = 0; i < 200; i++) {
        const char *t = text;

        dpif_flow_dump(env->dpif, find_actions, &t);
        found = !t;
        if (found == present) {
            break;
        }
        usleep(10000);
    }
    assert_true(found == present);
}

/* Sends 'frame' on 'in' and expects it on 'out' alone, without a miss. */
static void
send_on_fast_path(struct env *env, const char *in, const uint8_t *frame,
                  size_t size, const char *out)
{
    uint64_t missed = stats(env).n_missed;

    assert_int_equal(netdev_dummy_receive(in, frame, size), 0);
    expect_frame(out, frame, size);
    assert_int_equal(stats(env).n_missed, missed);
}

static void
free_xbridge_copy(struct xbridge *xb)
{
    free(xb->ports);
    free(xb);
}

static void
test_miss_install_hit(void **state)
{
    struct env *env = *state;
    uint8_t f[256];
    size_t size = sample_packet(SAMPLE_IPV4_TCP, f, NULL);
    struct dpif_dp_stats st;

    fx_flow(env->fx, "priority=1,in_port=1,ip,actions=output:2");
    revalidate(env);

    assert_int_equal(netdev_dummy_receive("u1", f, size), 0);
    expect_frame("u2", f, size);
    st = stats(env);
    assert_int_equal(st.n_missed, 1);
    assert_int_equal(st.n_hit, 0);
    for (int i = 0; i < 200 && stats(env).n_flows < 1; i++) {
        usleep(10000);
    }
    assert_int_equal(stats(env).n_flows, 1);

    /* The second identical packet hits the megaflow: no new upcall. */
    send_on_fast_path(env, "u1", f, size, "u2");
    assert_int_equal(stats(env).n_hit, 1);

    /* Within a second or so, the fast path's packet is credited to the
     * rule too (the first one was credited at its upcall). */
    {
        const struct of_rule *rule;
        struct flow_md md = {.in_port = 1};
        struct flow flow;

        flow_extract(f, size, &md, &flow, NULL);
        rule = of_tables_lookup(&env->fx->tables,
                                of_tables_version(&env->fx->tables), 0, &flow,
                                NULL);
        assert_non_null(rule);
        for (int i = 0; i < 300; i++) {
            if (__atomic_load_n(&rule->packet_count, __ATOMIC_RELAXED) >= 2) {
                break;
            }
            usleep(10000);
        }
        assert_int_equal(
            __atomic_load_n(&rule->packet_count, __ATOMIC_RELAXED), 2);
        assert_int_equal(__atomic_load_n(&rule->byte_count, __ATOMIC_RELAXED),
                         2 * size);
    }

    /* The rule changes: revalidation fixes the megaflow in place, and the
     * next packet takes the fast path to the new port. */
    fx_flow(env->fx, "priority=1,in_port=1,ip,actions=output:3");
    revalidate(env);
    assert_int_equal(stats(env).n_flows, 1);
    send_on_fast_path(env, "u1", f, size, "u3");
    assert_int_equal(stats(env).n_hit, 2);

    {
        struct ds show = DS_EMPTY_INITIALIZER;

        udpif_show(env->udpif, &show);
        assert_non_null(strstr(ds_cstr(&show), "netdev@tup:\n"));
        assert_non_null(strstr(ds_cstr(&show), "flows         : (current 1)"));
        assert_non_null(strstr(ds_cstr(&show), "hit 2 missed 1"));
        ds_destroy(&show);
    }

    /* A rule that reads more bits: the megaflow is too wide, so it goes,
     * and the next packet makes a new one. */
    fx_flow(env->fx, "priority=5,in_port=1,tcp,tp_dst=22,actions=output:4");
    revalidate(env);
    assert_int_equal(stats(env).n_flows, 0);
    assert_int_equal(netdev_dummy_receive("u1", f, size), 0);
    expect_frame("u3", f, size); /* (Its tp_dst is 80.) */
    assert_int_equal(stats(env).n_missed, 2);
}

/* Tagged frames get megaflows that keep the tag's presence, so the second
 * one takes the fast path too. */
static void
test_tagged_fast_path(void **state)
{
    struct env *env = *state;
    uint8_t f[256];
    size_t size = sample_packet(SAMPLE_VLAN_IPV4_TCP, f, NULL);

    fx_flow(env->fx, "priority=1,in_port=2,ip,actions=output:1");
    for (int i = 0; i < 2; i++) {
        assert_int_equal(netdev_dummy_receive("u2", f, size), 0);
        expect_frame("u1", f, size);
    }
    assert_int_equal(stats(env).n_missed, 1);
    assert_int_equal(stats(env).n_hit, 1);
}

/* A heap copy of 'br' with its own port array. */
static struct xbridge *
copy_xbridge(const struct xbridge *br)
{
    struct xbridge *xb = malloc(sizeof *xb);

    *xb = *br;
    xb->ports = malloc(xb->n_ports * sizeof *xb->ports);
    memcpy(xb->ports, br->ports, xb->n_ports * sizeof *xb->ports);
    return xb;
}

/* A new snapshot where port 2 is no_fwd: the megaflow to it becomes a
 * drop, in place. */
static void
test_port_change(void **state)
{
    struct env *env = *state;
    struct xbridge *xb;
    uint8_t f[256], *got;
    size_t size = sample_packet(SAMPLE_IPV4_TCP, f, NULL), got_size;
    uint64_t missed;

    fx_flow(env->fx, "priority=1,in_port=1,ip,actions=output:2");
    assert_int_equal(netdev_dummy_receive("u1", f, size), 0);
    expect_frame("u2", f, size);

    xb = copy_xbridge(&env->fx->br);
    xb->ports[1].no_fwd = true;
    udpif_set_xbridge(env->udpif, xb, free_xbridge_copy);
    wait_flow_actions(env, "drop", true);

    /* Port 4 is not in the next snapshot: its packets get a drop
     * megaflow. */
    xb = copy_xbridge(xb);
    xb->n_ports = 3;
    udpif_set_xbridge(env->udpif, xb, free_xbridge_copy);
    revalidate(env);
    assert_int_equal(netdev_dummy_receive("u4", f, size), 0);
    for (int i = 0; i < 200 && stats(env).n_flows < 2; i++) {
        usleep(10000);
    }
    assert_int_equal(stats(env).n_flows, 2);

    missed = stats(env).n_missed;
    assert_int_equal(netdev_dummy_receive("u1", f, size), 0);
    usleep(50000);
    assert_int_not_equal(netdev_dummy_pop_sent("u2", &got, &got_size), 0);
    assert_int_equal(stats(env).n_missed, missed);
}

static void
test_packet_in_and_out(void **state)
{
    struct env *env = *state;
    uint8_t f[256];
    size_t size = sample_packet(SAMPLE_IPV4_UDP, f, NULL);
    struct ofpacts acts;
    char *error = NULL;

    fx_flow(env->fx, "priority=1,in_port=3,cookie=0x42,actions=CONTROLLER:64");
    assert_int_equal(netdev_dummy_receive("u3", f, size), 0);
    for (int i = 0; i < 200; i++) {
        if (__atomic_load_n(&env->n_packet_in, __ATOMIC_ACQUIRE)) {
            break;
        }
        usleep(10000);
    }
    assert_int_equal(__atomic_load_n(&env->n_packet_in, __ATOMIC_ACQUIRE), 1);
    assert_int_equal(env->last_cookie.type, XLATE_COOKIE_CONTROLLER);
    assert_int_equal(env->last_cookie.reason, OFPR_ACTION);
    assert_int_equal(env->last_cookie.in_port, 3);
    assert_int_equal(env->last_cookie.max_len, 64);
    assert_int_equal(env->last_cookie.cookie, 0x42);
    assert_int_equal(env->last_size, size);

    /* PACKET_OUT from the controller to port 4. */
    ofpacts_init(&acts);
    assert_int_equal(ofpacts_parse("output:4", NULL, &acts, &error), 0);
    assert_int_equal(
        udpif_packet_out(env->udpif, f, size, OFPP_CONTROLLER, &acts), 0);
    expect_frame("u4", f, size);
    /* From port 1 with IN_PORT. */
    ofpacts_clear(&acts);
    assert_int_equal(ofpacts_parse("output:IN_PORT", NULL, &acts, &error), 0);
    assert_int_equal(udpif_packet_out(env->udpif, f, size, 1, &acts), 0);
    expect_frame("u1", f, size);
    assert_int_equal(udpif_packet_out(env->udpif, f, size, 99, &acts), EINVAL);
    ofpacts_uninit(&acts);
}

static void
test_normal_end_to_end(void **state)
{
    struct env *env = *state;
    uint8_t ab[256], ba[256];
    size_t size = sample_packet(SAMPLE_IPV4_UDP, ab, NULL);

    /* ba: the same frame with the addresses swapped. */
    memcpy(ba, ab, size);
    memcpy(ba, ab + 6, 6);
    memcpy(ba + 6, ab, 6);
    env->fx->br.normal_only = true;
    revalidate(env);

    /* A -> B floods; B -> A goes to port 1 only; learning B turns the
     * flood megaflow towards B into a unicast in place, so A -> B goes to
     * port 2 only, on the fast path. */
    assert_int_equal(netdev_dummy_receive("u1", ab, size), 0);
    expect_frame("u2", ab, size);
    expect_frame("u3", ab, size);
    expect_frame("u4", ab, size);
    assert_int_equal(netdev_dummy_receive("u2", ba, size), 0);
    expect_frame("u1", ba, size);
    wait_flow_actions(env, "2,3,4", false);
    assert_int_equal(stats(env).n_flows, 2);
    send_on_fast_path(env, "u1", ab, size, "u2");
    usleep(50000);
    {
        uint8_t *got;
        size_t got_size;

        assert_int_not_equal(netdev_dummy_pop_sent("u3", &got, &got_size), 0);
        assert_int_not_equal(netdev_dummy_pop_sent("u4", &got, &got_size), 0);
    }

    /* B moves to port 3: A -> B follows it, fixed in place too. */
    assert_int_equal(netdev_dummy_receive("u3", ba, size), 0);
    expect_frame("u1", ba, size);
    wait_flow_actions(env, "2", false);
    send_on_fast_path(env, "u1", ab, size, "u3");
}

/* Waits (up to 2 s) until the datapath holds 'n' megaflows. */
static void
wait_n_flows(struct env *env, uint64_t n)
{
    for (int i = 0; i < 200 && stats(env).n_flows != n; i++) {
        usleep(10000);
    }
    assert_int_equal(stats(env).n_flows, n);
}

/* Waits (up to 2 s) until the datapath has seen 'n' misses in all. */
static void
wait_n_missed(struct env *env, uint64_t n)
{
    for (int i = 0; i < 200 && stats(env).n_missed < n; i++) {
        usleep(10000);
    }
    assert_int_equal(stats(env).n_missed, n);
}

/* A rule in_port=1 -> 2 and the megaflow of 'f' through it. */
static void
install_u1_to_u2(struct env *env, const uint8_t *f, size_t size)
{
    fx_flow(env->fx, "priority=1,in_port=1,ip,actions=output:2");
    revalidate(env);
    assert_int_equal(netdev_dummy_receive("u1", f, size), 0);
    expect_frame("u2", f, size);
    wait_n_flows(env, 1);
}

static void
wait_idle(struct env *env)
{
    for (int i = 0; i < 200 && !udpif_revalidation_idle(env->udpif); i++) {
        usleep(10000);
    }
    assert_true(udpif_revalidation_idle(env->udpif));
}

static struct udpif_stats
ustats(struct env *env)
{
    struct udpif_stats us;

    udpif_get_stats(env->udpif, &us);
    return us;
}

static void
revalidate_table(struct env *env, uint8_t table_id)
{
    uint8_t set[32] = {0};

    set[table_id / 8] = 1u << (table_id % 8);
    udpif_revalidate_tables(env->udpif, set);
    wait_idle(env);
}

/* A change to table 3 leaves the megaflows that read only table 0 alone
 * (not translated at all); a change to table 0 fixes them in place. */
static void
test_revalidate_by_table(void **state)
{
    struct env *env = *state;
    uint8_t f[256];
    size_t size = sample_packet(SAMPLE_IPV4_TCP, f, NULL);
    struct udpif_stats before;

    install_u1_to_u2(env, f, size);

    before = ustats(env);
    fx_flow(env->fx, "table=3,priority=1,ip,actions=output:4");
    revalidate_table(env, 3);
    assert_int_equal(ustats(env).n_reval_translated,
                     before.n_reval_translated);
    assert_int_equal(ustats(env).n_reval_skipped, before.n_reval_skipped + 1);
    send_on_fast_path(env, "u1", f, size, "u2");

    /* Table 0 now sends to table 3: the megaflow read table 0, so it is
     * translated again and follows, without a miss. */
    fx_flow(env->fx, "priority=1,in_port=1,ip,actions=goto_table:3");
    revalidate_table(env, 0);
    assert_int_equal(ustats(env).n_reval_translated,
                     before.n_reval_translated + 1);
    send_on_fast_path(env, "u1", f, size, "u4");

    /* It read table 3 too now: a change there reaches it. */
    fx_flow(env->fx, "table=3,priority=1,ip,actions=output:3");
    revalidate_table(env, 3);
    assert_int_equal(ustats(env).n_reval_translated,
                     before.n_reval_translated + 2);
    send_on_fast_path(env, "u1", f, size, "u3");

    /* A full request translates everything. */
    revalidate(env);
    assert_int_equal(ustats(env).n_reval_translated,
                     before.n_reval_translated + 3);
}

/* The sweep credits fast-path packets to the rules the megaflow's last
 * translation hit, without translating it again, while the tables stay
 * as they were. */
static void
test_stats_from_cached_rules(void **state)
{
    struct env *env = *state;
    uint8_t f[256];
    size_t size = sample_packet(SAMPLE_IPV4_TCP, f, NULL);
    uint64_t cached = coverage_read("revalidate_stats_cached");
    const struct of_rule *r0, *r3;
    struct flow_md md = {.in_port = 1};
    struct flow flow;

    fx_flow(env->fx, "priority=1,in_port=1,ip,actions=goto_table:3");
    fx_flow(env->fx, "table=3,priority=1,ip,actions=output:2");
    revalidate(env);
    assert_int_equal(netdev_dummy_receive("u1", f, size), 0);
    expect_frame("u2", f, size);
    wait_n_flows(env, 1);
    send_on_fast_path(env, "u1", f, size, "u2");
    send_on_fast_path(env, "u1", f, size, "u2");

    flow_extract(f, size, &md, &flow, NULL);
    r0 = of_tables_lookup(&env->fx->tables,
                          of_tables_version(&env->fx->tables), 0, &flow, NULL);
    r3 = of_tables_lookup(&env->fx->tables,
                          of_tables_version(&env->fx->tables), 3, &flow, NULL);
    assert_non_null(r0);
    assert_non_null(r3);
    for (int i = 0; i < 300; i++) {
        if (__atomic_load_n(&r3->packet_count, __ATOMIC_RELAXED) >= 3) {
            break;
        }
        usleep(10000);
    }
    assert_int_equal(__atomic_load_n(&r0->packet_count, __ATOMIC_RELAXED), 3);
    assert_int_equal(__atomic_load_n(&r3->packet_count, __ATOMIC_RELAXED), 3);
    assert_true(coverage_read("revalidate_stats_cached") > cached);
}

/* A group change re-translates only the megaflows that went through the
 * group. */
static void
test_revalidate_by_group(void **state)
{
    struct env *env = *state;
    uint8_t f[256], g[256];
    size_t size = sample_packet(SAMPLE_IPV4_TCP, f, NULL);
    uint32_t id = 7;
    uint64_t n;

    memcpy(g, f, size);
    fx_group(env->fx, "group_id=7,type=all,bucket=output:2");
    fx_flow(env->fx, "priority=1,in_port=1,ip,actions=group:7");
    fx_flow(env->fx, "priority=1,in_port=3,ip,actions=output:4");
    revalidate(env);
    assert_int_equal(netdev_dummy_receive("u1", f, size), 0);
    expect_frame("u2", f, size);
    assert_int_equal(netdev_dummy_receive("u3", g, size), 0);
    expect_frame("u4", g, size);
    wait_n_flows(env, 2);

    n = ustats(env).n_reval_translated;
    {
        struct ofp_group_mod_req gm;
        char *error = NULL;

        assert_int_equal(ofp_group_mod_parse(&gm,
                                             "group_id=7,type=all,"
                                             "bucket=output:3",
                                             OFPGC_MODIFY, &error),
                         0);
        assert_int_equal(of_tables_group_mod(&env->fx->tables, &gm, 0, NULL),
                         0);
        ofp_group_mod_uninit(&gm);
    }
    udpif_revalidate_groups(env->udpif, &id, 1);
    wait_idle(env);
    assert_int_equal(ustats(env).n_reval_translated, n + 1);
    send_on_fast_path(env, "u1", f, size, "u3");
    send_on_fast_path(env, "u3", g, size, "u4");
}

/* Port 1 floods the queue with misses while the handler is behind; port
 * 2's one miss among them is handled in the same budget window, and the
 * flood's excess beyond its budget is dropped and counted. */
static void
test_port_fairness(void **state)
{
    struct env *env = *state;
    uint8_t f[256], *got;
    size_t size = sample_packet(SAMPLE_IPV4_UDP, f, NULL), got_size;
    struct ds show = DS_EMPTY_INITIALIZER;

    fx_flow(env->fx, "priority=1,in_port=1,actions=output:4");
    fx_flow(env->fx, "priority=1,in_port=2,actions=output:3");
    revalidate(env);
    udpif_set_port_budget(env->udpif, 8);
    udpif_set_n_handlers(env->udpif, 0); /* Let the queue fill. */
    for (int i = 0; i < 10; i++) {
        assert_int_equal(netdev_dummy_receive("u1", f, size), 0);
    }
    assert_int_equal(netdev_dummy_receive("u2", f, size), 0);
    for (int i = 0; i < 390; i++) {
        assert_int_equal(netdev_dummy_receive("u1", f, size), 0);
    }
    wait_n_missed(env, 401);
    assert_int_equal(stats(env).n_lost, 0);

    udpif_set_n_handlers(env->udpif, 1);
    expect_frame("u3", f, size);
    for (int i = 0; i < 200 && !ustats(env).n_budget_skipped; i++) {
        usleep(10000);
    }
    assert_true(ustats(env).n_budget_skipped > 0);
    udpif_show(env->udpif, &show);
    assert_non_null(strstr(ds_cstr(&show), "skipped       : port budget"));
    ds_destroy(&show);
    while (netdev_dummy_pop_sent("u4", &got, &got_size) == 0) {
        free(got);
    }
}

/* More misses than the datapath's queue holds: the excess is lost and
 * counted, and an established megaflow keeps forwarding meanwhile. */
static void
test_upcall_storm(void **state)
{
    struct env *env = *state;
    struct dpif_config cfg = {.upcall_queue = 32};
    uint8_t f[256], g[256];
    size_t size = sample_packet(SAMPLE_IPV4_TCP, f, NULL);
    struct ds show = DS_EMPTY_INITIALIZER;
    uint64_t missed;

    sample_packet(SAMPLE_IPV4_UDP, g, NULL);
    fx_flow(env->fx, "priority=1,in_port=1,actions=output:2");
    fx_flow(env->fx, "priority=1,in_port=3,actions=drop");
    revalidate(env);
    assert_int_equal(netdev_dummy_receive("u1", f, size), 0);
    expect_frame("u2", f, size);
    wait_n_flows(env, 1);

    assert_int_equal(dpif_set_config(env->dpif, &cfg), 0);
    udpif_set_n_handlers(env->udpif, 0);
    missed = stats(env).n_missed;
    for (int i = 0; i < 500; i++) {
        assert_int_equal(netdev_dummy_receive("u3", g, size), 0);
    }
    wait_n_missed(env, missed + 500);
    assert_true(stats(env).n_lost >= 500 - 32);
    send_on_fast_path(env, "u1", f, size, "u2");

    udpif_set_n_handlers(env->udpif, 2);
    assert_int_equal(ustats(env).n_handlers, 2);
    assert_true(ustats(env).n_lost >= 500 - 32);
    udpif_show(env->udpif, &show);
    assert_non_null(strstr(ds_cstr(&show), "threads       : 2 handlers"));
    ds_destroy(&show);
    wait_n_flows(env, 2); /* The queued misses were handled. */
    send_on_fast_path(env, "u1", f, size, "u2");
}

/* The flow limit shrinks when sweeps are slow and grows back slowly. */
static void
test_flow_limit(void **state)
{
    struct env *env = *state;
    struct ds show = DS_EMPTY_INITIALIZER;
    long long limit = ustats(env).flow_limit;

    assert_true(udpif_flow_limit_next(10000, 4000, 10000) <= 2500);
    assert_int_equal(udpif_flow_limit_next(10000, 1500, 10000), 7500);
    assert_int_equal(udpif_flow_limit_next(10000, 700, 10000), 10000);
    assert_int_equal(udpif_flow_limit_next(10000, 100, 10), 10000);
    assert_true(udpif_flow_limit_next(10000, 100, 10000) > 10000);
    assert_true(udpif_flow_limit_next(10000, 100, 10000) <= 20000);
    /* Growth follows the sweep's speed: 10,000 dumped in 400 ms fit
     * 25,000 in a second, but one sweep at most doubles. */
    assert_int_equal(udpif_flow_limit_next(10000, 400, 10000), 20000);
    assert_int_equal(udpif_flow_limit_next(100000, 450, 95000), 200000);
    assert_true(udpif_flow_limit_next(1000, 100000, 1000) >= 1000);

    /* A (simulated) 3 s dump: the next sweep cuts the limit. */
    udpif_set_dump_delay(env->udpif, 3000);
    for (int i = 0; i < 300 && ustats(env).flow_limit >= limit; i++) {
        usleep(10000);
    }
    assert_true(ustats(env).flow_limit < limit);
    udpif_set_dump_delay(env->udpif, 0);
    udpif_show(env->udpif, &show);
    assert_non_null(strstr(ds_cstr(&show), "flow limit    : "));
    ds_destroy(&show);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_miss_install_hit, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_tagged_fast_path, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_port_change, setup, teardown),
        cmocka_unit_test_setup_teardown(test_packet_in_and_out, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_normal_end_to_end, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_revalidate_by_table, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_revalidate_by_group, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_stats_from_cached_rules, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_port_fairness, setup, teardown),
        cmocka_unit_test_setup_teardown(test_upcall_storm, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flow_limit, setup, teardown),
    };
    return cmocka_run_group_tests_name("upcall", tests, NULL, NULL);
}
