/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_BENCH_UTIL_H
#define VSWITCH_BENCH_UTIL_H 1

/* Small helpers shared by the flow/odp/classifier microbenchmarks. */

#include <stdint.h>
#include <stdlib.h>
#include <time.h>

static inline double
bench_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static inline int
bench_cmp_double(const void *a_, const void *b_)
{
    double a = *(const double *) a_, b = *(const double *) b_;

    return a < b ? -1 : a > b;
}

/* Median of 'n' values (sorts them). */
static inline double
bench_median(double *v, int n)
{
    qsort(v, n, sizeof *v, bench_cmp_double);
    return v[n / 2];
}

static inline uint32_t
bench_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s >> 16;
}

#define BENCH_ROUNDS 5

#endif /* VSWITCH_BENCH_UTIL_H */
