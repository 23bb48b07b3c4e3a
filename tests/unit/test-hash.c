/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "vswitch/hash.h"

static void
test_deterministic_and_seeded(void **state)
{
    const char *s = "vswitch";

    assert_true(hash_bytes(s, 7, 0) == hash_bytes(s, 7, 0));
    assert_true(hash_bytes(s, 7, 0) == hash_string(s, 0));
    assert_true(hash_bytes(s, 7, 0) != hash_bytes(s, 7, 1));
    assert_true(hash_bytes(s, 7, 0) != hash_bytes(s, 6, 0));
    assert_true(hash_uint64(1, 0) != hash_uint64(2, 0));
    assert_true(hash_uint64(1, 0) != hash_uint64(1, 1));
}

/* Every input bit should flip about half of the output bits. */
static void
test_avalanche(void **state)
{
    uint64_t words[4] = {0x0123456789abcdefULL, 42, 7, 0};
    uint64_t base = hash_words64(words, 4, 0);
    int total = 0, n = 0;

    for (int w = 0; w < 4; w++) {
        for (int bit = 0; bit < 64; bit++) {
            words[w] ^= 1ULL << bit;
            total += __builtin_popcountll(base ^ hash_words64(words, 4, 0));
            words[w] ^= 1ULL << bit;
            n++;
        }
    }
    /* Mean flipped bits within 32 +/- 3. */
    assert_true(total / n >= 29 && total / n <= 35);

    base = hash_uint64(12345, 0);
    total = 0;
    for (int bit = 0; bit < 64; bit++) {
        total +=
            __builtin_popcountll(base ^ hash_uint64(12345 ^ (1ULL << bit), 0));
    }
    assert_true(total / 64 >= 28 && total / 64 <= 36);
}

/* Low bits (what an hmap uses) of sequential keys spread evenly. */
static void
test_bucket_spread(void **state)
{
    enum { BUCKETS = 64, N = 64 * 1000 };
    int counts[BUCKETS] = {0};

    for (uint64_t i = 0; i < N; i++) {
        counts[hash_words64(&i, 1, 0) % BUCKETS]++;
    }
    for (int i = 0; i < BUCKETS; i++) {
        assert_true(counts[i] > 850 && counts[i] < 1150);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deterministic_and_seeded),
        cmocka_unit_test(test_avalanche),
        cmocka_unit_test(test_bucket_spread),
    };
    return cmocka_run_group_tests_name("hash", tests, NULL, NULL);
}
