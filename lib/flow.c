/* SPDX-License-Identifier: Apache-2.0 */
/* flow: word-wise operations on struct flow, and address text helpers. */

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include "vswitch/ds.h"
#include "vswitch/flow.h"
#include "vswitch/hash.h"

void
flow_zero(struct flow *flow)
{
    memset(flow, 0, sizeof *flow);
}

bool
flow_equal(const struct flow *a, const struct flow *b)
{
    return !memcmp(a, b, sizeof *a);
}

bool
flow_is_zero(const struct flow *flow)
{
    const uint64_t *w = flow_u64(flow);
    uint64_t acc = 0;

    for (size_t i = 0; i < FLOW_U64S; i++) {
        acc |= w[i];
    }
    return !acc;
}

void
flow_and(struct flow *dst, const struct flow *a, const struct flow *b)
{
    uint64_t *d = flow_u64_rw(dst);
    const uint64_t *x = flow_u64(a), *y = flow_u64(b);

    for (size_t i = 0; i < FLOW_U64S; i++) {
        d[i] = x[i] & y[i];
    }
}

void
flow_or(struct flow *dst, const struct flow *src)
{
    uint64_t *d = flow_u64_rw(dst);
    const uint64_t *s = flow_u64(src);

    for (size_t i = 0; i < FLOW_U64S; i++) {
        d[i] |= s[i];
    }
}

unsigned int
flow_popcount(const struct flow *flow)
{
    const uint64_t *w = flow_u64(flow);
    unsigned int n = 0;

    for (size_t i = 0; i < FLOW_U64S; i++) {
        n += __builtin_popcountll(w[i]);
    }
    return n;
}

uint64_t
flow_hash_masked(const struct flow *flow, const struct flow *mask,
                 uint64_t basis)
{
    uint64_t words[FLOW_U64S];
    const uint64_t *f = flow_u64(flow), *m = flow_u64(mask);

    for (size_t i = 0; i < FLOW_U64S; i++) {
        words[i] = f[i] & m[i];
    }
    return hash_words64(words, FLOW_U64S, basis);
}

uint64_t
flow_hash(const struct flow *flow, uint64_t basis)
{
    return hash_words64(flow_u64(flow), FLOW_U64S, basis);
}

void
flow_format_eth(struct ds *ds, const struct eth_addr *ea)
{
    ds_put_format(ds, "%02x:%02x:%02x:%02x:%02x:%02x", ea->ea[0], ea->ea[1],
                  ea->ea[2], ea->ea[3], ea->ea[4], ea->ea[5]);
}

void
flow_format_ipv4(struct ds *ds, vs_be32 ip)
{
    const uint8_t *b = (const uint8_t *) &ip;

    ds_put_format(ds, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
}

void
flow_format_ipv6(struct ds *ds, const struct in6_addr *a)
{
    char s[INET6_ADDRSTRLEN];

    inet_ntop(AF_INET6, a, s, sizeof s);
    ds_put_cstr(ds, s);
}

bool
flow_parse_eth(const char *s, struct eth_addr *ea)
{
    unsigned int b[6];
    int n = 0;

    if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%n", &b[0], &b[1], &b[2], &b[3],
               &b[4], &b[5], &n)
            != 6
        || s[n]) {
        return false;
    }
    for (int i = 0; i < 6; i++) {
        ea->ea[i] = b[i];
    }
    return true;
}

bool
flow_parse_ipv4(const char *s, vs_be32 *ip)
{
    struct in_addr a;

    if (inet_pton(AF_INET, s, &a) != 1) {
        return false;
    }
    *ip = a.s_addr;
    return true;
}

bool
flow_parse_ipv6(const char *s, struct in6_addr *a)
{
    return inet_pton(AF_INET6, s, a) == 1;
}
