/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: what a VXLAN port does with a received UDP buffer.  The
 * input's first two bytes pick the inner MTU, the next two the UDP GRO
 * gso_size (0: one datagram), the rest is the UDP payload: the GRO split
 * into datagrams, then for each the header check and decapsulation, on the
 * inner frame the receive fix-ups (checksum completion, super-segment
 * detection and its software segmentation and UDP GSO rebuild, and the
 * coalescing of consecutive inner segments), the ICMP/ICMPv6 "too big"
 * reply and the inner-flow hash that picks a send socket (also of the
 * whole datagram).  Each datagram is decapsulated as if it came over IPv4 and over
 * IPv6: the metadata must agree but for the addresses, and the "too big"
 * reply is built for both underlays' inner MTU.  None may read or write
 * outside its datagram. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/tnl-vxlan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
sink_gso(void *aux, uint8_t *buf, size_t size, size_t gso_size,
         unsigned int n_segs)
{
    volatile uint8_t x = 0;

    (void) gso_size;
    (void) n_segs;
    for (size_t i = 0; i < size; i++) {
        x ^= buf[i];
    }
    (void) x;
    (*(size_t *) aux)++;
}

static void
sink(void *aux, uint8_t *seg, size_t size)
{
    volatile uint8_t x = 0;

    for (size_t i = 0; i < size; i++) {
        x ^= seg[i];
    }
    (void) x;
    (*(size_t *) aux)++;
}

/* One datagram of the buffer, in an exact-size copy so that ASan sees any
 * access past its end. */
static void
one_dgram(const uint8_t *data, size_t size, uint32_t mtu,
          struct vxlan_coalesce *c)
{
    struct vxlan_outer outer = {.ip_src = 0x0100000a, .ip_dst = 0x0200000a};
    struct vxlan_outer outer6 = {
        .ipv6_src = {{{0xfd, 0x77, [15] = 1}}},
        .ipv6_dst = {{{0xfd, 0x77, [15] = 2}}},
        .ttl = 64,
    };
    struct virtio_net_hdr vnet;
    struct flow_tnl tnl, tnl6;
    uint8_t reply[1400], *copy;
    size_t ofs, ofs6, n_segs = 0;
    enum vxlan_rx_verdict v;

    copy = malloc(size ? size : 1);
    memcpy(copy, data, size);
    if (vxlan_flow_hash(copy, size) != vxlan_flow_hash(copy, size)) {
        abort();
    }
    v = vxlan_decap(copy, size, &outer6, &tnl6, &ofs6);
    if (vxlan_decap(copy, size, &outer, &tnl, &ofs) != v) {
        abort();
    }
    if (v == VXLAN_RX_OK
        && (ofs6 != ofs || tnl6.tun_id != tnl.tun_id || tnl6.ip_src
            || tnl6.ip_dst || !vxlan_tnl_is_ipv6(&tnl6)
            || vxlan_tnl_is_ipv6(&tnl) || tnl6.flags != tnl.flags
            || memcmp(&tnl6.ipv6_dst, &outer6.ipv6_dst, 16))) {
        abort();
    }
    if (v == VXLAN_RX_OK) {
        uint8_t *frame = copy + ofs;
        size_t fsize = size - ofs, l3 = 14;
        uint16_t eth_type;

        (void) vxlan_flow_hash(frame, fsize);

        if (vxlan_rx_gso(frame, fsize, mtu, &vnet)) {
            vxlan_gso_segment(frame, fsize, &vnet, sink, &n_segs);
            vxlan_gso_build(frame, fsize, &vnet, 42, mtu + 8 + 14, sink_gso,
                            &n_segs);
        } else {
            vxlan_rx_complete_csum(frame, fsize);
            /* The inner frames of one buffer, merged as the datapath would
             * for a port with virtio-net GSO. */
            if (!c->n_segs || !vxlan_coalesce_add(c, frame, fsize)) {
                if (c->n_segs > 1) {
                    vxlan_coalesce_finish(c);
                }
                c->n_segs = 0;
                vxlan_coalesce_start(c, frame, fsize);
            }
        }
        vxlan_build_too_big(frame, fsize, mtu, reply, sizeof reply);
        vxlan_l3_size(frame, fsize, &l3, &eth_type);
        vxlan_build_too_big(frame, fsize, vxlan_inner_mtu(mtu, true, l3),
                            reply, sizeof reply);
    }
    free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t ofs[VXLAN_GSO_MAX_SEGS], lens[VXLAN_GSO_MAX_SEGS], gso_size;
    struct vxlan_coalesce c = {.cap = 70000};
    unsigned int n;
    uint32_t mtu;

    if (size < 4) {
        return 0;
    }
    mtu = (uint32_t) data[0] << 8 | data[1];
    gso_size = (size_t) data[2] << 8 | data[3];
    data += 4;
    size -= 4;
    c.buf = malloc(c.cap);
    n = vxlan_gro_split(size, gso_size, ofs, lens, VXLAN_GSO_MAX_SEGS);
    for (unsigned int i = 0; i < n; i++) {
        if (ofs[i] + lens[i] > size
            || (i && ofs[i] != ofs[i - 1] + lens[i - 1])) {
            abort();
        }
        one_dgram(data + ofs[i], lens[i], mtu, &c);
    }
    if (c.n_segs > 1) {
        vxlan_coalesce_finish(&c);
    }
    free(c.buf);
    return 0;
}
