/* SPDX-License-Identifier: Apache-2.0 */
/* Microbenchmark: flow_extract() ns/packet, IPv4/TCP alone and over a mix
 * (IPv4 TCP/UDP, ARP, IPv6 with a hop-by-hop header, double VLAN).  Median
 * of BENCH_ROUNDS rounds; one figure per line. */

#include <stdio.h>
#include <string.h>
#include "bench/micro/bench-util.h"
#include "tests/unit/sample-packets.h"
#include "vswitch/flow.h"

#define N_ITER 4000000

static double
run(const enum sample_kind *kinds, int n_kinds)
{
    uint8_t pkts[8][256];
    size_t sizes[8];
    double v[BENCH_ROUNDS];
    struct flow flow;
    uint64_t sink = 0;

    for (int i = 0; i < n_kinds; i++) {
        sizes[i] = sample_packet(kinds[i], pkts[i], NULL);
    }
    for (int r = 0; r < BENCH_ROUNDS; r++) {
        double t0 = bench_now();

        for (int i = 0; i < N_ITER; i++) {
            int k = i % n_kinds;

            flow_extract(pkts[k], sizes[k], NULL, &flow, NULL);
            sink += flow.tp_dst;
        }
        v[r] = (bench_now() - t0) * 1e9 / N_ITER;
    }
    if (sink == 42) {
        printf("#\n");
    }
    return bench_median(v, BENCH_ROUNDS);
}

int
main(void)
{
    static const enum sample_kind tcp[] = {SAMPLE_IPV4_TCP};
    static const enum sample_kind mix[] = {
        SAMPLE_IPV4_TCP,     SAMPLE_IPV4_UDP,      SAMPLE_ARP,
        SAMPLE_IPV6_HBH_UDP, SAMPLE_QINQ_IPV4_UDP,
    };

    printf("flow_extract_ipv4_tcp_ns_per_packet %.1f\n", run(tcp, 1));
    printf("flow_extract_mix_ns_per_packet %.1f\n", run(mix, ARRAY_SIZE(mix)));
    return 0;
}
