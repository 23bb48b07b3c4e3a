/* SPDX-License-Identifier: Apache-2.0 */
/* packet: frames with headroom, metadata and header offsets. */

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/packet.h"

struct dp_packet *
dp_packet_clone_data(const void *data, size_t size)
{
    struct dp_packet *p = xzalloc(sizeof *p);

    buf_init(&p->buf, DP_PACKET_HEADROOM, size);
    buf_put(&p->buf, data, size);
    p->ofs.l2_5 = p->ofs.l3 = p->ofs.l4 = UINT16_MAX;
    return p;
}

void
dp_packet_delete(struct dp_packet *p)
{
    if (p) {
        buf_uninit(&p->buf);
        free(p);
    }
}

enum flow_extract_status
dp_packet_extract(struct dp_packet *p, struct flow *flow)
{
    return flow_extract(p->buf.data, p->buf.size, &p->md, flow, &p->ofs);
}

static void
shift_ofs(uint16_t *ofs, long delta)
{
    if (*ofs != UINT16_MAX) {
        long v = (long) *ofs + delta;

        *ofs = v < 0 || v >= UINT16_MAX ? UINT16_MAX : v;
    }
}

static void
shift_all(struct dp_packet *p, long delta)
{
    shift_ofs(&p->ofs.l2_5, delta);
    shift_ofs(&p->ofs.l3, delta);
    shift_ofs(&p->ofs.l4, delta);
}

void *
dp_packet_push(struct dp_packet *p, size_t size)
{
    shift_all(p, size);
    return buf_push_uninit(&p->buf, size);
}

void
dp_packet_pull(struct dp_packet *p, size_t size)
{
    buf_pull(&p->buf, size);
    shift_all(p, -(long) size);
}

int
dp_packet_push_vlan(struct dp_packet *p, uint16_t tpid, uint16_t tci)
{
    uint8_t *d;

    if (p->buf.size < 12) {
        return EINVAL;
    }
    d = dp_packet_push(p, 4);
    memmove(d, d + 4, 12);
    memcpy(d + 12, &tpid, 2);
    tci &= ~htons(VLAN_CFI);
    memcpy(d + 14, &tci, 2);
    return 0;
}

int
dp_packet_pop_vlan(struct dp_packet *p)
{
    uint8_t *d = p->buf.data;
    uint16_t type;

    if (p->buf.size < 18) {
        return ENOENT;
    }
    memcpy(&type, d + 12, 2);
    if (type != htons(ETH_TYPE_VLAN) && type != htons(ETH_TYPE_VLAN_8021AD)) {
        return ENOENT;
    }
    memmove(d + 4, d, 12);
    dp_packet_pull(p, 4);
    return 0;
}
