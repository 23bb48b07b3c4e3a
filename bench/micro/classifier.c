/* SPDX-License-Identifier: Apache-2.0 */
/* Microbenchmark: classifier lookups/s (with wildcard tracking) for
 * 1k/10k/100k rules across 1/10/50 subtables and 10k rules in 20
 * subtables; and the average number of un-wildcarded bits per lookup on an
 * L2 + L3/L4 pipeline, against the same classifier without staged lookup
 * and tries, and against a naive classifier that un-wildcards every field
 * any of its rules matches. */

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include "bench/micro/bench-util.h"
#include "vswitch/classifier.h"
#include "vswitch/rcu.h"

#define N_PACKETS 4096

static uint64_t seed = 0x5eed;

static void
bench_mask(struct flow *m, int i)
{
    int len = 8 + i % 25;

    memset(m, 0, sizeof *m);
    m->dl_type = 0xffff;
    m->nw_proto = 0xff;
    m->nw_dst = htonl(~0u << (32 - len));
    if ((i / 25) % 2) {
        m->tp_dst = 0xffff;
    }
    if (i % 3 == 0) {
        m->in_port = UINT32_MAX;
    }
}

static void
bench_flow(struct flow *f)
{
    memset(f, 0, sizeof *f);
    f->dl_type = htons(0x0800);
    f->nw_proto = 6;
    f->in_port = bench_rand(&seed) % 16;
    f->nw_dst = htonl(0x0a000000 | (bench_rand(&seed) & 0xffffff));
    f->tp_dst = htons(bench_rand(&seed) % 1024);
}

static void
run_lookups(int n_rules, int n_subtables)
{
    struct classifier cls;
    struct cls_rule *rules = xcalloc(n_rules, sizeof *rules);
    struct flow *pkts = xcalloc(N_PACKETS, sizeof *pkts);
    double v[BENCH_ROUNDS];
    size_t hits = 0;
    int n_iter = 400000;

    cls_init(&cls);
    for (int i = 0; i < n_rules; i++) {
        struct flow f, m;
        struct match match;

        bench_flow(&f);
        bench_mask(&m, i % n_subtables);
        match_init(&match, &f, &m);
        cls_rule_init(&rules[i], &match, bench_rand(&seed) % 65536);
        cls_insert(&cls, &rules[i], 0);
    }
    for (int i = 0; i < N_PACKETS; i++) {
        bench_flow(&pkts[i]);
        if (i % 2) {
            /* Half the packets hit some rule's address. */
            struct match m;

            cls_rule_get_match(&rules[bench_rand(&seed) % n_rules], &m);
            pkts[i].nw_dst = m.flow.nw_dst | htonl(bench_rand(&seed) & 0xff);
        }
    }
    for (int r = 0; r < BENCH_ROUNDS; r++) {
        double t0 = bench_now();

        vrcu_read_lock();
        for (int i = 0; i < n_iter; i++) {
            struct flow wc;

            flow_zero(&wc);
            hits += cls_lookup(&cls, 0, &pkts[i % N_PACKETS], &wc) != NULL;
        }
        vrcu_read_unlock();
        v[r] = n_iter / (bench_now() - t0);
    }
    printf("cls_lookups_per_sec_%drules_%dsubtables %.0f\n", n_rules,
           (int) cls_n_subtables(&cls), bench_median(v, BENCH_ROUNDS));
    for (int i = 0; i < n_rules; i++) {
        cls_remove(&cls, &rules[i]);
    }
    vrcu_barrier();
    cls_destroy(&cls);
    vrcu_barrier();
    free(rules);
    free(pkts);
    (void) hits;
}

/* The pipeline: 1000 L2 rules (dl_dst) at priority 100, and 1000 L3/L4
 * rules (tcp, nw_dst /16../24, tp_dst) at priority 200 in 9 subtables. */
static void
run_bits(void)
{
    enum { N_L2 = 1000, N_L4 = 1000, N_LOOKUPS = 20000 };
    struct classifier cls;
    struct cls_rule *rules = xcalloc(N_L2 + N_L4, sizeof *rules);
    struct flow naive, *macs = xcalloc(N_L2, sizeof *macs);
    double bits[3] = {0, 0, 0};
    static const unsigned int opts[2] = {
        0,
        CLS_OPT_NO_STAGES | CLS_OPT_NO_TRIES,
    };

    cls_init(&cls);
    flow_zero(&naive);
    for (int i = 0; i < N_L2 + N_L4; i++) {
        struct flow f, m;
        struct match match;

        memset(&f, 0, sizeof f);
        memset(&m, 0, sizeof m);
        if (i < N_L2) {
            f.dl_dst.ea[0] = 0x02;
            for (int j = 1; j < 6; j++) {
                f.dl_dst.ea[j] = bench_rand(&seed);
            }
            memset(&m.dl_dst, 0xff, 6);
            macs[i] = f;
        } else {
            int len = 16 + (i % 9);

            f.dl_type = htons(0x0800);
            f.nw_proto = 6;
            f.nw_dst = htonl(0x0a000000 | (bench_rand(&seed) & 0xffff00));
            f.tp_dst = htons(bench_rand(&seed) % 1024);
            m.dl_type = 0xffff;
            m.nw_proto = 0xff;
            m.nw_dst = htonl(~0u << (32 - len));
            m.tp_dst = 0xffff;
        }
        match_init(&match, &f, &m);
        flow_or(&naive, &m);
        cls_rule_init(&rules[i], &match, i < N_L2 ? 100 : 200);
        cls_insert(&cls, &rules[i], 0);
    }
    for (int o = 0; o < 2; o++) {
        uint64_t s = 77;

        cls_set_opts(&cls, opts[o]);
        vrcu_read_lock();
        for (int i = 0; i < N_LOOKUPS; i++) {
            struct flow p = macs[bench_rand(&s) % N_L2], wc;

            p.dl_type = htons(0x0800);
            p.nw_proto = bench_rand(&s) % 4 ? 6 : 17;
            p.nw_dst = htonl((bench_rand(&s) % 2 ? 0x0a000000 : 0xc0a80000)
                             | (bench_rand(&s) & 0xffffff));
            p.tp_dst = htons(bench_rand(&s) % 2048);
            p.in_port = bench_rand(&s) % 8;
            flow_zero(&wc);
            cls_lookup(&cls, 0, &p, &wc);
            bits[o] += flow_popcount(&wc);
        }
        vrcu_read_unlock();
    }
    bits[2] = flow_popcount(&naive);
    printf("cls_unwildcarded_bits_per_lookup %.1f\n", bits[0] / N_LOOKUPS);
    printf("cls_unwildcarded_bits_per_lookup_no_stages_no_tries %.1f\n",
           bits[1] / N_LOOKUPS);
    printf("cls_unwildcarded_bits_per_lookup_naive %.1f\n", bits[2]);
    for (int i = 0; i < N_L2 + N_L4; i++) {
        cls_remove(&cls, &rules[i]);
    }
    vrcu_barrier();
    cls_destroy(&cls);
    vrcu_barrier();
    free(rules);
    free(macs);
}

int
main(void)
{
    static const int sizes[] = {1000, 10000, 100000};
    static const int subtables[] = {1, 10, 50};

    setvbuf(stdout, NULL, _IOLBF, 0);
    vrcu_register_thread();
    run_bits();
    run_lookups(10000, 20);
    for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
        for (size_t j = 0; j < ARRAY_SIZE(subtables); j++) {
            run_lookups(sizes[i], subtables[j]);
        }
    }
    vrcu_unregister_thread();
    return 0;
}
