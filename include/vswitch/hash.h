/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_HASH_H
#define VSWITCH_HASH_H 1

/*
 * hash: fast non-cryptographic hashing for hash tables.
 *
 * All functions are XXH3 (Debian's libxxhash), 64-bit, seeded: the seed lets
 * a table randomize itself against collisions chosen by an attacker, and
 * lets callers chain hashes (hash of b seeded with hash of a).  For tiny
 * fixed-size keys there are inline finalizers that avoid the call.
 *
 * bench/micro/hash.c compares XXH3 with the simple alternatives on the key
 * sizes we use (docs/dependencies.md says why libxxhash earns its place).
 *
 * Thread-safety: all functions are pure.
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

uint64_t hash_bytes(const void *data, size_t size, uint64_t seed);
uint64_t hash_string(const char *s, uint64_t seed);

/* Mixes 64 bits into 'seed' (a strong finalizer; good for integer keys and
 * for combining hashes). */
static inline uint64_t
hash_uint64(uint64_t x, uint64_t seed)
{
    x ^= seed + 0x9e3779b97f4a7c15ULL;
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93ULL;
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93ULL;
    x ^= x >> 32;
    return x;
}

static inline uint64_t
hash_pointer(const void *p, uint64_t seed)
{
    return hash_uint64((uintptr_t) p, seed);
}

/* Hashes an array of 'n' 64-bit words (fixed-size keys such as flow keys
 * and masks; the fast path). */
uint64_t hash_words64(const uint64_t *words, size_t n, uint64_t seed);

#endif /* VSWITCH_HASH_H */
