/* SPDX-License-Identifier: Apache-2.0 */
/* csum: Internet checksum and RFC 1624 incremental updates. */

#include <arpa/inet.h>
#include <string.h>
#include "vswitch/csum.h"

uint32_t
csum_partial(uint32_t sum, const void *data, size_t size)
{
    const uint8_t *p = data;
    uint64_t acc = sum;

    while (size >= 2) {
        uint16_t w;

        memcpy(&w, p, 2);
        acc += w;
        p += 2;
        size -= 2;
    }
    if (size) {
        uint16_t w = 0;

        memcpy(&w, p, 1);
        acc += w;
    }
    while (acc >> 32) {
        acc = (acc & 0xffffffff) + (acc >> 32);
    }
    return acc;
}

uint16_t
csum_fold(uint32_t sum)
{
    sum = (sum & 0xffff) + (sum >> 16);
    sum = (sum & 0xffff) + (sum >> 16);
    return ~sum;
}

uint16_t
csum(const void *data, size_t size)
{
    return csum_fold(csum_partial(0, data, size));
}

uint32_t
csum_pseudo_ipv4(uint32_t src, uint32_t dst, uint8_t proto, uint16_t l4_size)
{
    uint32_t sum = 0;
    uint16_t w[2] = {htons(proto), htons(l4_size)};

    sum = csum_partial(sum, &src, 4);
    sum = csum_partial(sum, &dst, 4);
    return csum_partial(sum, w, sizeof w);
}

uint32_t
csum_pseudo_ipv6(const void *src16, const void *dst16, uint8_t proto,
                 uint32_t l4_size)
{
    uint32_t sum = 0;
    uint32_t w[2] = {htonl(l4_size), htonl(proto)};

    sum = csum_partial(sum, src16, 16);
    sum = csum_partial(sum, dst16, 16);
    return csum_partial(sum, w, sizeof w);
}

uint16_t
csum_update16(uint16_t old_csum, uint16_t old, uint16_t new)
{
    uint32_t sum = (uint16_t) ~old_csum;

    sum += (uint16_t) ~old;
    sum += new;
    return csum_fold(sum);
}

uint16_t
csum_update32(uint16_t old_csum, uint32_t old, uint32_t new)
{
    uint16_t o[2], n[2];

    memcpy(o, &old, 4);
    memcpy(n, &new, 4);
    return csum_update16(csum_update16(old_csum, o[0], n[0]), o[1], n[1]);
}

uint16_t
csum_update128(uint16_t old_csum, const void *old16, const void *new16)
{
    uint16_t o[8], n[8];

    memcpy(o, old16, 16);
    memcpy(n, new16, 16);
    for (int i = 0; i < 8; i++) {
        old_csum = csum_update16(old_csum, o[i], n[i]);
    }
    return old_csum;
}
