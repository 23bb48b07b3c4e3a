/* SPDX-License-Identifier: Apache-2.0 */
/* Microbenchmark: odp key encode (flow -> OVS_KEY_ATTR_*) and decode
 * (attributes -> flow + exact mask) in ns/key over the sample packets. */

#include <stdio.h>
#include <string.h>
#include "bench/micro/bench-util.h"
#include "tests/unit/sample-packets.h"
#include "vswitch/buf.h"
#include "vswitch/odp.h"

#define N_ITER 300000

int
main(void)
{
    struct flow flows[N_SAMPLES];
    struct buf keys[N_SAMPLES];
    double enc[BENCH_ROUNDS], dec[BENCH_ROUNDS];
    struct buf out;

    for (int k = 0; k < N_SAMPLES; k++) {
        uint8_t pkt[256];
        size_t n = sample_packet(k, pkt, NULL);

        flow_extract(pkt, n, NULL, &flows[k], NULL);
        buf_init(&keys[k], 0, 512);
        odp_key_from_flow(&keys[k], &flows[k]);
    }
    buf_init(&out, 0, 1024);
    for (int r = 0; r < BENCH_ROUNDS; r++) {
        double t0 = bench_now();

        for (int i = 0; i < N_ITER; i++) {
            buf_clear(&out);
            odp_key_from_flow(&out, &flows[i % N_SAMPLES]);
        }
        enc[r] = (bench_now() - t0) * 1e9 / N_ITER;

        t0 = bench_now();
        for (int i = 0; i < N_ITER; i++) {
            const struct buf *k = &keys[i % N_SAMPLES];
            struct flow f, m;

            odp_key_to_flow(k->data, k->size, NULL, 0, &f, &m, NULL);
        }
        dec[r] = (bench_now() - t0) * 1e9 / N_ITER;
    }
    printf("odp_key_encode_ns_per_key %.1f\n",
           bench_median(enc, BENCH_ROUNDS));
    printf("odp_key_decode_ns_per_key %.1f\n",
           bench_median(dec, BENCH_ROUNDS));
    for (int k = 0; k < N_SAMPLES; k++) {
        buf_uninit(&keys[k]);
    }
    buf_uninit(&out);
    return 0;
}
