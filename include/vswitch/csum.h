/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_CSUM_H
#define VSWITCH_CSUM_H 1

/*
 * csum: the Internet checksum (RFC 1071) and its incremental update
 * (RFC 1624).
 *
 * A checksum is built from a 32-bit partial sum: csum_partial() adds bytes
 * to it (any length, any alignment; an odd trailing byte is padded with
 * zero), csum_fold() folds it into the 16-bit one's-complement value to
 * store in a header.  Values are in network byte order as they sit in the
 * packet, so a sum over header bytes can be stored without swapping.
 *
 * When a header field changes from 'old' to 'new', RFC 1624 eqn. 3 gives
 * the new checksum without touching the rest of the packet:
 *     HC' = ~(~HC + ~m + m')
 * csum_update16() and csum_update32() apply it.
 *
 * Thread-safety: pure functions.
 */

#include <stddef.h>
#include <stdint.h>

/* Adds the 'size' bytes at 'data' to the partial sum 'sum'. */
uint32_t csum_partial(uint32_t sum, const void *data, size_t size);
/* Folds a partial sum into a checksum (complemented, network order). */
uint16_t csum_fold(uint32_t sum);
/* The checksum of 'size' bytes at 'data'. */
uint16_t csum(const void *data, size_t size);
/* Partial sum of the IPv4 pseudo-header (addresses in network order). */
uint32_t csum_pseudo_ipv4(uint32_t src, uint32_t dst, uint8_t proto,
                          uint16_t l4_size);
/* Partial sum of the IPv6 pseudo-header. */
uint32_t csum_pseudo_ipv6(const void *src16, const void *dst16, uint8_t proto,
                          uint32_t l4_size);

/* Checksum 'old_csum' after a 16-bit field changed from 'old' to 'new' (all
 * network order). */
uint16_t csum_update16(uint16_t old_csum, uint16_t old, uint16_t new);
/* Same for a 32-bit field (e.g. an IPv4 address). */
uint16_t csum_update32(uint16_t old_csum, uint32_t old, uint32_t new);
/* Same for a 128-bit field (an IPv6 address). */
uint16_t csum_update128(uint16_t old_csum, const void *old16,
                        const void *new16);

#endif /* VSWITCH_CSUM_H */
