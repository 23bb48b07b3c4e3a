/* SPDX-License-Identifier: Apache-2.0 */
#include "vswitch/hash.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

uint64_t
hash_bytes(const void *data, size_t size, uint64_t seed)
{
    return XXH3_64bits_withSeed(data, size, seed);
}

uint64_t
hash_string(const char *s, uint64_t seed)
{
    return XXH3_64bits_withSeed(s, strlen(s), seed);
}

uint64_t
hash_words64(const uint64_t *words, size_t n, uint64_t seed)
{
    return XXH3_64bits_withSeed(words, n * sizeof *words, seed);
}
