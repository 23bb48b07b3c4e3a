/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_PACKET_H
#define VSWITCH_PACKET_H 1

/*
 * packet: a packet in userspace, as the slow path and the userspace datapath
 * handle it.
 *
 * A 'struct dp_packet' is a 'struct buf' (see buf.h) holding the frame,
 * starting at the Ethernet header, plus the metadata that came with it
 * (input port, tunnel, marks: 'struct flow_md') and the offsets of its
 * headers relative to the frame start, as flow_extract() found them.  New
 * packets reserve DP_PACKET_HEADROOM bytes in front so that encapsulation
 * (VLAN push, VXLAN over IPv4/IPv6) prepends without moving the payload.
 *
 * Invariants: an offset is either UINT16_MAX (layer absent) or <= the
 * packet's size.  dp_packet_push()/pull() shift the offsets with the data.
 *
 * Thread-safety: a packet belongs to one thread at a time.
 */

#include <stdint.h>
#include "vswitch/buf.h"
#include "vswitch/flow.h"

/* Room for Ethernet + VLAN + IPv6 + UDP + VXLAN, rounded up. */
#define DP_PACKET_HEADROOM 128

struct dp_packet {
    struct buf buf;           /* Frame bytes from the Ethernet header. */
    struct flow_md md;        /* Metadata received with the packet. */
    struct flow_offsets ofs;  /* Header offsets from the frame start. */
};

/* A new packet with a copy of 'size' bytes at 'data'.  Free with
 * dp_packet_delete(). */
struct dp_packet *dp_packet_clone_data(const void *data, size_t size);
void dp_packet_delete(struct dp_packet *);

static inline const void *
dp_packet_data(const struct dp_packet *p)
{
    return p->buf.data;
}

static inline size_t
dp_packet_size(const struct dp_packet *p)
{
    return p->buf.size;
}

/* Pointer to the layer at offset 'ofs', or NULL if absent. */
static inline void *
dp_packet_at_ofs(const struct dp_packet *p, uint16_t ofs)
{
    return ofs == UINT16_MAX || ofs > p->buf.size ? NULL : p->buf.data + ofs;
}

static inline void *
dp_packet_l3(const struct dp_packet *p)
{
    return dp_packet_at_ofs(p, p->ofs.l3);
}

static inline void *
dp_packet_l4(const struct dp_packet *p)
{
    return dp_packet_at_ofs(p, p->ofs.l4);
}

/* Extracts 'p''s flow into 'flow' and records its header offsets. */
enum flow_extract_status dp_packet_extract(struct dp_packet *p,
                                           struct flow *flow);

/* Prepends 'size' bytes (uninitialized) and returns them; offsets move. */
void *dp_packet_push(struct dp_packet *p, size_t size);
/* Removes 'size' bytes from the front (at most the packet's size); offsets
 * that pointed inside them become UINT16_MAX. */
void dp_packet_pull(struct dp_packet *p, size_t size);

/* Inserts an 802.1Q/802.1ad tag ('tpid', 'tci', network order) after the
 * Ethernet addresses.  Returns 0, or EINVAL if the frame is too short. */
int dp_packet_push_vlan(struct dp_packet *p, uint16_t tpid, uint16_t tci);
/* Removes the outer VLAN tag.  Returns 0, or ENOENT if there is none. */
int dp_packet_pop_vlan(struct dp_packet *p);

#endif /* VSWITCH_PACKET_H */
