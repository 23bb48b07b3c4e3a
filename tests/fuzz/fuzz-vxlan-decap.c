/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: what a VXLAN port does with a received datagram.  The
 * input's first two bytes pick the inner MTU, the rest is the UDP payload:
 * the header check and decapsulation, then on the inner frame the receive
 * fix-ups (checksum completion, super-segment detection and its software
 * segmentation) and the ICMP/ICMPv6 "too big" reply.  None may read or
 * write outside the frame. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/tnl-vxlan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vxlan_outer outer = {.ip_src = 0x0100000a, .ip_dst = 0x0200000a};
    struct virtio_net_hdr vnet;
    struct flow_tnl tnl;
    uint8_t reply[1400], *copy;
    size_t ofs, n_segs = 0;
    uint32_t mtu;

    if (size < 2) {
        return 0;
    }
    mtu = (uint32_t) data[0] << 8 | data[1];
    data += 2;
    size -= 2;
    /* An exact-size copy, so that ASan sees any overread. */
    copy = malloc(size ? size : 1);
    memcpy(copy, data, size);
    if (vxlan_decap(copy, size, &outer, &tnl, &ofs) == VXLAN_RX_OK) {
        uint8_t *frame = copy + ofs;
        size_t fsize = size - ofs;

        if (vxlan_rx_gso(frame, fsize, mtu, &vnet)) {
            vxlan_gso_segment(frame, fsize, &vnet, sink, &n_segs);
        } else {
            vxlan_rx_complete_csum(frame, fsize);
        }
        vxlan_build_too_big(frame, fsize, mtu, reply, sizeof reply);
    }
    free(copy);
    return 0;
}
