/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Microbenchmark: hash_bytes() (XXH3 via libxxhash) against two simple
 * alternatives a project might write itself, on the key sizes vswitch hashes
 * (8 B integers, 16 B UFIDs, 64 B and 256 B flow keys).  Prints one figure
 * per line: "hash <name> <size>B: <ns> ns/hash".  It reports; it never
 * judges.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "vswitch/hash.h"
#include "vswitch/util.h"

static uint64_t
fnv1a(const void *data, size_t size, uint64_t seed)
{
    const uint8_t *p = data;
    uint64_t h = 0xcbf29ce484222325ULL ^ seed;

    for (size_t i = 0; i < size; i++) {
        h = (h ^ p[i]) * 0x100000001b3ULL;
    }
    return h;
}

/* Word-at-a-time multiply-rotate hash with a final mix. */
static uint64_t
mulrot(const void *data, size_t size, uint64_t seed)
{
    const uint8_t *p = data;
    uint64_t h = seed ^ (size * 0x9e3779b97f4a7c15ULL);
    size_t i;

    for (i = 0; i + 8 <= size; i += 8) {
        uint64_t w;

        memcpy(&w, p + i, 8);
        h = (h ^ (w * 0x87c37b91114253d5ULL)) * 0x4cf5ad432745937fULL;
        h = (h << 31) | (h >> 33);
    }
    for (; i < size; i++) {
        h = (h ^ p[i]) * 0x100000001b3ULL;
    }
    return hash_uint64(h, 0);
}

typedef uint64_t hash_fn(const void *, size_t, uint64_t);

static double
measure(hash_fn *fn, size_t size)
{
    enum { N = 2000000 };
    uint8_t key[256];
    uint64_t sink = 0;
    long long start;

    for (size_t i = 0; i < sizeof key; i++) {
        key[i] = i * 31 + 7;
    }
    start = vs_time_usec();
    for (int i = 0; i < N; i++) {
        key[0] = i; /* Defeat hoisting. */
        sink += fn(key, size, sink);
    }
    if (sink == 42) {
        puts("");
    }
    return (vs_time_usec() - start) * 1000.0 / N;
}

int
main(void)
{
    static const size_t sizes[] = {8, 16, 64, 256};
    static const struct {
        const char *name;
        hash_fn *fn;
    } fns[] = {
        {"xxh3", hash_bytes},
        {"fnv1a", fnv1a},
        {"mulrot", mulrot},
    };

    for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
        for (size_t f = 0; f < ARRAY_SIZE(fns); f++) {
            printf("hash %s %zuB: %.2f ns/hash\n", fns[f].name, sizes[s],
                   measure(fns[f].fn, sizes[s]));
        }
    }
    return 0;
}
