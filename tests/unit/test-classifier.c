/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/classifier.h"
#include "vswitch/rcu.h"

/* A small deterministic PRNG so failures reproduce. */
static uint64_t rng_state = 0x1234567;

static uint32_t
rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state >> 16;
}

/* Field values come from tiny domains so that rules and packets collide. */
static void
random_flow(struct flow *f)
{
    memset(f, 0, sizeof *f);
    f->in_port = rnd() % 4;
    f->dl_dst.ea[5] = rnd() % 3;
    f->dl_type = htons(rnd() % 2 ? 0x0800 : 0x86dd);
    f->vlans[0].tci = rnd() % 2 ? htons(VLAN_CFI | (rnd() % 3)) : 0;
    f->nw_src =
        htonl(0x0a000000 | (rnd() % 4) << 16 | (rnd() % 4) << 8 | rnd() % 4);
    f->nw_dst = htonl((rnd() % 2 ? 0x0a000000 : 0xc0a80000) | (rnd() % 4) << 8
                      | rnd() % 8);
    f->ipv6_dst.s6_addr[0] = 0x20;
    f->ipv6_dst.s6_addr[15] = rnd() % 4;
    f->nw_proto = rnd() % 2 ? 6 : 17;
    f->tp_src = htons(rnd() % 3);
    f->tp_dst = htons(rnd() % 2 ? 80 : 443 + rnd() % 2);
}

static void
random_mask(struct flow *m, int template)
{
    memset(m, 0, sizeof *m);
    if (template & 1) {
        m->in_port = UINT32_MAX;
    }
    if (template & 2) {
        memset(&m->dl_dst, 0xff, 6);
    }
    if (template & 4) {
        m->dl_type = 0xffff;
        m->nw_proto = 0xff;
    }
    if (template & 8) {
        static const int lens[] = {8, 16, 24, 30, 32};
        int len = lens[(template >> 8) % 5];

        m->nw_dst = htonl(~0u << (32 - len));
    }
    if (template & 16) {
        m->tp_dst = 0xffff;
    }
    if (template & 32) {
        m->nw_src = htonl(0xffffff00);
    }
    if (template & 64) {
        m->vlans[0].tci = htons(0x1fff);
    }
    if (template & 128) {
        memset(&m->ipv6_dst, 0xff, 16);
        m->tp_src = 0xffff;
    }
}

struct rule_set {
    struct cls_rule **rules; /* All rules. */
    struct match *matches;   /* Their matches (rules keep them compactly). */
    size_t n;                /* Count. */
};

static void
build_rules(struct classifier *cls, struct rule_set *rs, size_t n,
            int n_templates)
{
    int *templates = malloc(n_templates * sizeof *templates);

    for (int i = 0; i < n_templates; i++) {
        templates[i] = rnd() & 0x7ff;
    }
    rs->rules = calloc(n, sizeof *rs->rules);
    rs->matches = calloc(n, sizeof *rs->matches);
    rs->n = n;
    for (size_t i = 0; i < n; i++) {
        struct flow f, m;
        struct match match;

        random_flow(&f);
        random_mask(&m, templates[rnd() % n_templates]);
        match_init(&match, &f, &m);
        rs->rules[i] = malloc(sizeof *rs->rules[i]);
        /* Distinct priorities: the answer is unique. */
        cls_rule_init(rs->rules[i], &match, (int) (i * 7919 % 100003));
        cls_rule_get_match(rs->rules[i], &rs->matches[i]);
        cls_insert(cls, rs->rules[i], 1);
    }
    cls_publish(cls, 1);
    free(templates);
}

static const struct cls_rule *
linear_lookup(const struct rule_set *rs, uint64_t version,
              const struct flow *f)
{
    const struct cls_rule *best = NULL;

    for (size_t i = 0; i < rs->n; i++) {
        const struct cls_rule *r = rs->rules[i];

        if (r && r->add_version <= version && version < r->remove_version
            && match_matches_flow(&rs->matches[i], f)
            && (!best || r->priority > best->priority)) {
            best = r;
        }
    }
    return best;
}

static void
free_rules(struct rule_set *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        cls_rule_destroy(rs->rules[i]);
        free(rs->rules[i]);
    }
    free(rs->rules);
    free(rs->matches);
}

/* Flips one random bit that 'wc' leaves wildcarded, preferring bits that
 * some rule looks at. */
static void
flip_wildcarded_bit(struct flow *f, const struct flow *wc,
                    const struct flow *interesting)
{
    uint64_t *fw = flow_u64_rw(f);
    const uint64_t *ww = flow_u64(wc), *iw = flow_u64(interesting);

    for (int tries = 0; tries < 1000; tries++) {
        unsigned int w = rnd() % FLOW_U64S, b = rnd() % 64;
        uint64_t bit = UINT64_C(1) << b;

        if (ww[w] & bit) {
            continue;
        }
        if (!(iw[w] & bit) && rnd() % 4) {
            continue;
        }
        fw[w] ^= bit;
        return;
    }
}

static void
check_against_linear(int n_rules, int n_templates, unsigned int opts)
{
    struct classifier cls;
    struct rule_set rs;
    struct flow interesting;

    cls_init(&cls);
    cls_set_opts(&cls, opts);
    build_rules(&cls, &rs, n_rules, n_templates);
    flow_zero(&interesting);
    for (size_t i = 0; i < rs.n; i++) {
        flow_or(&interesting, &rs.matches[i].wc);
    }

    vrcu_read_lock();
    for (int p = 0; p < 2000; p++) {
        struct flow f, wc;
        const struct cls_rule *got, *want;

        random_flow(&f);
        flow_zero(&wc);
        got = cls_lookup(&cls, 1, &f, &wc);
        want = linear_lookup(&rs, 1, &f);
        assert_ptr_equal(got, want);
        /* Wildcard soundness. */
        for (int k = 0; k < 8; k++) {
            struct flow g = f;

            for (int j = 0, n = 1 + rnd() % 4; j < n; j++) {
                flip_wildcarded_bit(&g, &wc, &interesting);
            }
            assert_ptr_equal(cls_lookup(&cls, 1, &g, NULL), want);
            assert_ptr_equal(linear_lookup(&rs, 1, &g), want);
        }
    }
    vrcu_read_unlock();

    /* Remove half of the rules and check again. */
    for (size_t i = 0; i < rs.n; i += 2) {
        cls_rule_make_invisible_in_version(rs.rules[i], 2);
    }
    cls_publish(&cls, 2);
    vrcu_read_lock();
    for (int p = 0; p < 500; p++) {
        struct flow f;

        random_flow(&f);
        assert_ptr_equal(cls_lookup(&cls, 2, &f, NULL),
                         linear_lookup(&rs, 2, &f));
        assert_ptr_equal(cls_lookup(&cls, 1, &f, NULL),
                         linear_lookup(&rs, 1, &f));
    }
    vrcu_read_unlock();
    for (size_t i = 0; i < rs.n; i += 2) {
        cls_remove(&cls, rs.rules[i]);
    }
    vrcu_synchronize();
    for (size_t i = 0; i < rs.n; i += 2) {
        cls_rule_destroy(rs.rules[i]);
        free(rs.rules[i]);
        rs.rules[i] = NULL;
    }
    vrcu_read_lock();
    for (int p = 0; p < 1000; p++) {
        struct flow f, wc;
        const struct cls_rule *want;

        random_flow(&f);
        flow_zero(&wc);
        want = linear_lookup(&rs, 2, &f);
        assert_ptr_equal(cls_lookup(&cls, 2, &f, &wc), want);
        for (int k = 0; k < 4; k++) {
            struct flow g = f;

            flip_wildcarded_bit(&g, &wc, &interesting);
            assert_ptr_equal(cls_lookup(&cls, 2, &g, NULL), want);
        }
    }
    vrcu_read_unlock();

    for (size_t i = 1; i < rs.n; i += 2) {
        cls_remove(&cls, rs.rules[i]);
    }
    assert_int_equal(cls_n_subtables(&cls), 0);
    vrcu_synchronize();
    free_rules(&rs);
    cls_destroy(&cls);
    vrcu_barrier();
}

static void
test_random_small(void **state)
{
    for (int i = 0; i < 10; i++) {
        check_against_linear(20, 3, 0);
    }
}

static void
test_random_medium(void **state)
{
    check_against_linear(500, 10, 0);
    check_against_linear(300, 30, 0);
}

static void
test_random_no_opts(void **state)
{
    check_against_linear(300, 10, CLS_OPT_NO_STAGES | CLS_OPT_NO_TRIES);
    check_against_linear(300, 10, CLS_OPT_NO_TRIES);
    check_against_linear(300, 10, CLS_OPT_NO_STAGES);
}

static struct cls_rule *
make_rule(const char *text, int priority)
{
    struct cls_rule *r = malloc(sizeof *r);
    struct match m;
    char *err = NULL;

    assert_int_equal(match_parse(&m, text, &err), 0);
    cls_rule_init(r, &m, priority);
    return r;
}

/* An L2 rule set and an L4 rule set: a packet that misses the L4 rules on
 * in_port should not un-wildcard tp_dst. */
static void
test_staged_bits(void **state)
{
    struct classifier cls;
    struct cls_rule *l4 = make_rule("tcp,in_port=1,tp_dst=80", 100);
    struct cls_rule *l2 = make_rule("dl_dst=00:00:00:00:00:01", 50);
    struct flow f, wc;

    cls_init(&cls);
    cls_insert(&cls, l4, 0);
    cls_insert(&cls, l2, 0);
    memset(&f, 0, sizeof f);
    f.in_port = 2;
    f.dl_type = htons(0x0800);
    f.nw_proto = 6;
    f.tp_dst = htons(80);
    f.dl_dst.ea[5] = 1;
    flow_zero(&wc);
    vrcu_read_lock();
    assert_ptr_equal(cls_lookup(&cls, 0, &f, &wc), l2);
    vrcu_read_unlock();
    assert_int_equal(wc.in_port, UINT32_MAX);
    assert_int_equal(wc.tp_dst, 0);
    assert_int_equal(wc.nw_proto, 0);
    cls_remove(&cls, l4);
    cls_remove(&cls, l2);
    cls_destroy(&cls);
    vrcu_synchronize();
    free(l4);
    free(l2);
}

/* cls_clear() unlinks every rule: lookups miss, no subtable is left, a
 * later cls_remove() of a cleared rule does nothing, and the classifier
 * takes rules again. */
static void
test_clear(void **state)
{
    struct classifier cls;
    struct cls_rule *a = make_rule("ip,nw_dst=10.1.2.3,tp_dst=80", 100);
    struct cls_rule *b = make_rule("ip,nw_dst=10.0.0.0/8", 10);
    struct cls_rule *c = make_rule("ip,nw_dst=10.0.0.0/8", 10);
    struct flow f;

    (void) state;
    cls_init(&cls);
    cls_insert(&cls, a, 1);
    cls_insert(&cls, b, 1);
    cls_publish(&cls, 1);
    cls_clear(&cls);
    assert_int_equal(cls_n_subtables(&cls), 0);
    memset(&f, 0, sizeof f);
    f.dl_type = htons(0x0800);
    f.nw_dst = htonl(0x0a010203);
    vrcu_read_lock();
    assert_null(cls_lookup(&cls, 1, &f, NULL));
    vrcu_read_unlock();
    cls_remove(&cls, a);
    cls_insert(&cls, c, 2);
    cls_publish(&cls, 2);
    vrcu_read_lock();
    assert_ptr_equal(cls_lookup(&cls, 2, &f, NULL), c);
    vrcu_read_unlock();
    cls_remove(&cls, c);
    cls_destroy(&cls);
    vrcu_synchronize();
    vrcu_barrier();
    for (struct cls_rule **r = (struct cls_rule *[]){a, b, c, NULL}; *r; r++) {
        cls_rule_destroy(*r);
        free(*r);
    }
}

/* Prefix tries: a /32 rule on nw_dst must not un-wildcard all 32 bits for
 * a packet that diverges early. */
static void
test_trie_bits(void **state)
{
    struct classifier cls;
    struct cls_rule *a = make_rule("ip,nw_dst=10.1.2.3,tp_dst=80", 100);
    struct cls_rule *b = make_rule("ip,nw_dst=10.0.0.0/8", 10);
    struct flow f, wc;

    cls_init(&cls);
    cls_insert(&cls, a, 0);
    cls_insert(&cls, b, 0);
    memset(&f, 0, sizeof f);
    f.dl_type = htons(0x0800);
    f.nw_dst = htonl(0x0a800001); /* 10.128.0.1 */
    flow_zero(&wc);
    vrcu_read_lock();
    assert_ptr_equal(cls_lookup(&cls, 0, &f, &wc), b);
    vrcu_read_unlock();
    /* 10.128: the trie diverges at bit 8 (9 bits). */
    assert_int_equal(ntohl(wc.nw_dst), 0xff800000);
    assert_int_equal(wc.tp_dst, 0);
    cls_remove(&cls, a);
    cls_remove(&cls, b);
    cls_destroy(&cls);
    vrcu_synchronize();
    free(a);
    free(b);
}

/* A batch becomes visible at once when its version is published. */
static void
test_versions(void **state)
{
    struct classifier cls;
    struct cls_rule *r1 = make_rule("in_port=1", 10);
    struct cls_rule *r2 = make_rule("in_port=1,dl_type=0x0800", 20);
    struct flow f;

    cls_init(&cls);
    cls_insert(&cls, r1, 1);
    cls_publish(&cls, 1);
    memset(&f, 0, sizeof f);
    f.in_port = 1;
    f.dl_type = htons(0x0800);
    cls_insert(&cls, r2, 2);
    cls_rule_make_invisible_in_version(r1, 2);
    vrcu_read_lock();
    assert_ptr_equal(cls_lookup(&cls, cls_current_version(&cls), &f, NULL),
                     r1);
    cls_publish(&cls, 2);
    assert_ptr_equal(cls_lookup(&cls, cls_current_version(&cls), &f, NULL),
                     r2);
    f.dl_type = htons(0x86dd);
    assert_null(cls_lookup(&cls, 2, &f, NULL));
    assert_ptr_equal(cls_lookup(&cls, 1, &f, NULL), r1);
    vrcu_read_unlock();
    cls_remove(&cls, r1);
    cls_remove(&cls, r2);
    cls_destroy(&cls);
    vrcu_synchronize();
    free(r1);
    free(r2);
}

/* Readers run lookups while the writer churns rules. */
struct reader_arg {
    struct classifier *cls; /* Shared classifier. */
    volatile bool stop;     /* Set by the writer. */
    uint64_t n_lookups;     /* Lookups done. */
};

static void *
reader_main(void *arg_)
{
    struct reader_arg *arg = arg_;
    uint64_t seed = 99;

    vrcu_register_thread();
    while (!__atomic_load_n(&arg->stop, __ATOMIC_ACQUIRE)) {
        struct flow f, wc;

        seed = seed * 6364136223846793005ULL + 1;
        memset(&f, 0, sizeof f);
        f.in_port = seed >> 60;
        f.nw_dst = htonl(0x0a000000 | ((seed >> 20) & 0xffff));
        f.dl_type = htons(0x0800);
        flow_zero(&wc);
        vrcu_read_lock();
        cls_lookup(arg->cls, cls_current_version(arg->cls), &f, &wc);
        vrcu_read_unlock();
        __atomic_add_fetch(&arg->n_lookups, 1, __ATOMIC_RELAXED);
    }
    vrcu_unregister_thread();
    return NULL;
}

static void
test_concurrent(void **state)
{
    struct classifier cls;
    struct reader_arg arg = {&cls, false, 0};
    struct cls_rule *rules[256] = {0};
    pthread_t th;
    uint64_t version = 0;

    cls_init(&cls);
    pthread_create(&th, NULL, reader_main, &arg);
    /* 3,000 changes, and more while the reader has not looked up much yet
     * (on a loaded machine it may not have run at all): bounded. */
    for (int round = 0;
         round < 3000
         || (__atomic_load_n(&arg.n_lookups, __ATOMIC_RELAXED) < 1000
             && round < 3000000);
         round++) {
        int i = rnd() % 256;

        version++;
        if (rules[i]) {
            struct cls_rule *r = rules[i];

            cls_rule_make_invisible_in_version(r, version);
            cls_publish(&cls, version);
            vrcu_synchronize();
            cls_remove(&cls, r);
            vrcu_postpone_free(r);
            rules[i] = NULL;
        } else {
            struct flow f, m;
            struct match match;

            memset(&f, 0, sizeof f);
            memset(&m, 0, sizeof m);
            f.in_port = i % 16;
            m.in_port = i % 3 ? UINT32_MAX : 0;
            f.nw_dst = htonl(0x0a000000 | rnd() % 65536);
            m.nw_dst = htonl(~0u << (i % 17));
            f.dl_type = htons(0x0800);
            m.dl_type = 0xffff;
            match_init(&match, &f, &m);
            rules[i] = malloc(sizeof *rules[i]);
            cls_rule_init(rules[i], &match, i);
            cls_insert(&cls, rules[i], version);
            cls_publish(&cls, version);
        }
    }
    __atomic_store_n(&arg.stop, true, __ATOMIC_RELEASE);
    pthread_join(th, NULL);
    for (int i = 0; i < 256; i++) {
        if (rules[i]) {
            cls_remove(&cls, rules[i]);
            vrcu_postpone_free(rules[i]);
        }
    }
    vrcu_barrier();
    cls_destroy(&cls);
    vrcu_barrier();
    assert_true(arg.n_lookups > 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_small),
        cmocka_unit_test(test_random_medium),
        cmocka_unit_test(test_random_no_opts),
        cmocka_unit_test(test_staged_bits),
        cmocka_unit_test(test_clear),
        cmocka_unit_test(test_trie_bits),
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_concurrent),
    };
    vrcu_register_thread();
    return cmocka_run_group_tests_name("classifier", tests, NULL, NULL);
}
