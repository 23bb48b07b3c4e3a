/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xlate-normal: the NORMAL action, a MAC learning switch with VLANs.
 *
 * 1. Frames to the reserved multicast range 01:80:c2:00:00:0x (STP, LACP,
 *    802.1X, ...) are dropped.
 * 2. The input port's VLAN mode gives the frame's VLAN: an access port
 *    takes untagged frames into its 'tag' (tagged ones are dropped); a
 *    trunk takes tagged frames of the VLANs in 'trunks' (untagged: VLAN 0);
 *    native modes take untagged frames into 'tag' and tagged ones as a
 *    trunk does.
 * 3. The source address is learned on (VLAN, input port); a gratuitous
 *    ARP locks the entry against moves for a while (mac-learning.h).
 * 4. A unicast destination learned on another port of the VLAN is sent
 *    there; everything else floods the VLAN's ports but the input port
 *    and no_flood ports.  Each output gets the tagging its port wants
 *    (trunk: tagged except VLAN 0, native-untagged: untagged for 'tag',
 *    native-tagged: always tagged, access: never).
 *
 * 5. Tunnel ports (tunnel.h) are ports like the others: a source is
 *    learned on the tunnel's OpenFlow port, a destination learned there
 *    is sent into that tunnel, and a flood goes to every tunnel port of
 *    the VLAN (head-end replication); a tunnel Port's 'tag' maps its VNI
 *    to a VLAN.  Split horizon: a frame that came in on a tunnel is not
 *    flooded to other tunnels.  This is our choice, not Open vSwitch's
 *    (whose NORMAL floods tunnel to tunnel): it lets NORMAL run on a full
 *    mesh of tunnels, where every VTEP reaches every other directly, with
 *    neither loops nor duplicates; a hub-and-spoke overlay through one
 *    VTEP needs OpenFlow rules instead.
 *
 * Mask: dl_dst (reserved range, lookup), dl_src (learning: a new source
 * must come to the slow path), the VLAN tags, and for ARP the addresses
 * that tell a gratuitous ARP.  The learned state itself is not in the
 * mask: a change of it bumps mac_learning_seq() and the slow path
 * revalidates.
 */
#include <arpa/inet.h>
#include <string.h>
#include "mac-learning.h"
#include "vswitch/coverage.h"
#include "vswitch/ofp-port.h"
#include "xlate-private.h"

COVERAGE_DEFINE(xlate_normal_reserved_mcast);
COVERAGE_DEFINE(xlate_normal_bad_vlan);
COVERAGE_DEFINE(xlate_normal_flood);
COVERAGE_DEFINE(xlate_normal_hairpin);
COVERAGE_DEFINE(xlate_normal_split_horizon);

static bool
trunk_has(const struct xport *xp, int vlan)
{
    return !xp->trunks || (xp->trunks[vlan / 8] >> (vlan % 8)) & 1;
}

static int
native_vlan(const struct xport *xp)
{
    return xp->tag < 0 ? 0 : xp->tag;
}

/* Whether 'xp' carries 'vlan'. */
static bool
port_in_vlan(const struct xport *xp, int vlan)
{
    switch (xp->vlan_mode) {
    case XPORT_VLAN_ACCESS:
        return native_vlan(xp) == vlan;
    case XPORT_VLAN_TRUNK:
        return trunk_has(xp, vlan);
    case XPORT_VLAN_NATIVE_TAGGED:
    case XPORT_VLAN_NATIVE_UNTAGGED:
        return native_vlan(xp) == vlan || trunk_has(xp, vlan);
    }
    return false;
}

/* Whether frames of 'vlan' leave 'xp' tagged. */
static bool
port_tags(const struct xport *xp, int vlan)
{
    switch (xp->vlan_mode) {
    case XPORT_VLAN_ACCESS:
        return false;
    case XPORT_VLAN_TRUNK:
        return vlan != 0;
    case XPORT_VLAN_NATIVE_TAGGED:
        return vlan != 0;
    case XPORT_VLAN_NATIVE_UNTAGGED:
        return vlan != 0 && vlan != native_vlan(xp);
    }
    return false;
}

/* The VLAN of the frame arriving on 'in', or -1 to drop it. */
static int
input_vlan(const struct xlate_ctx *ctx, const struct xport *in, bool *tagged)
{
    uint16_t tci = ntohs(ctx->flow.vlans[0].tci);
    int vlan;

    *tagged = (tci & VLAN_CFI) != 0;
    if (in->vlan_mode == XPORT_VLAN_ACCESS) {
        return *tagged ? -1 : native_vlan(in);
    }
    if (*tagged) {
        vlan = tci & VLAN_VID_MASK;
    } else {
        vlan = in->vlan_mode == XPORT_VLAN_TRUNK ? 0 : native_vlan(in);
    }
    return port_in_vlan(in, vlan) ? vlan : -1;
}

/* Outputs to 'xp' in 'vlan', tagging or untagging as it wants. */
static void
output_in_vlan(struct xlate_ctx *ctx, const struct xport *xp, int vlan,
               bool in_tagged)
{
    struct flow_vlan saved[FLOW_MAX_VLAN];
    bool tag = port_tags(xp, vlan);

    memcpy(saved, ctx->flow.vlans, sizeof saved);
    if (in_tagged && !tag) {
        xlate_pop_vlan(ctx);
    } else if (!in_tagged && tag) {
        xlate_push_vlan(ctx, ETH_TYPE_VLAN);
        ctx->flow.vlans[0].tci = htons(VLAN_CFI | vlan);
    }
    xlate_output_xport(ctx, xp);
    memcpy(ctx->flow.vlans, saved, sizeof saved);
}

static bool
is_reserved_mcast(const struct eth_addr *ea)
{
    static const uint8_t prefix[5] = {0x01, 0x80, 0xc2, 0x00, 0x00};

    return !memcmp(ea->ea, prefix, 5) && (ea->ea[5] & 0xf0) == 0;
}

static bool
is_grat_arp(struct xlate_ctx *ctx)
{
    if (ctx->flow.dl_type != htons(ETH_TYPE_ARP)) {
        return false;
    }
    ctx->xout->wc.nw_src = ctx->xout->wc.nw_dst = UINT32_MAX;
    return ctx->flow.nw_src == ctx->flow.nw_dst;
}

void
xlate_normal(struct xlate_ctx *ctx)
{
    const struct xport *in = ctx->in_xport;
    struct flow *wc = &ctx->xout->wc;
    struct mac_learning *ml = ctx->br->ml;
    bool in_tagged, grat;
    int vlan, port = -1;

    ctx->xout->used_normal = true;

    wc->dl_type = 0xffff;
    memset(&wc->dl_dst, 0xff, sizeof wc->dl_dst);
    memset(&wc->dl_src, 0xff, sizeof wc->dl_src);
    xlate_unwildcard_vlans(ctx);
    if (is_reserved_mcast(&ctx->flow.dl_dst)) {
        COVERAGE_INC(xlate_normal_reserved_mcast);
        xlate_trace(ctx, "NORMAL: reserved multicast -> drop");
        return;
    }
    if (in) {
        vlan = input_vlan(ctx, in, &in_tagged);
    } else {
        /* A PACKET_OUT from the controller: its own tag, if any, says the
         * VLAN; nothing is learned. */
        in_tagged = (ctx->flow.vlans[0].tci & htons(VLAN_CFI)) != 0;
        vlan = in_tagged ? ntohs(ctx->flow.vlans[0].tci) & VLAN_VID_MASK : 0;
    }
    if (vlan < 0) {
        COVERAGE_INC(xlate_normal_bad_vlan);
        xlate_trace(ctx, "NORMAL: VLAN not allowed on port %u -> drop",
                    in->ofp_port);
        return;
    }

    grat = is_grat_arp(ctx);
    if (ml && in && ctx->xin->may_learn) {
        mac_learning_learn(ml, vlan, &ctx->flow.dl_src, in->ofp_port, grat,
                           ctx->xin->now);
    }
    if (ml && !(ctx->flow.dl_dst.ea[0] & 1)) {
        port = mac_learning_lookup(ml, vlan, &ctx->flow.dl_dst, ctx->xin->now);
    }
    if (port >= 0) {
        const struct xport *xp = xbridge_port_by_ofp(ctx->br, port);

        if (xp == in) {
            COVERAGE_INC(xlate_normal_hairpin);
            xlate_trace(ctx, "NORMAL: learned on the input port -> drop");
            return;
        }
        if (xp && port_in_vlan(xp, vlan)) {
            xlate_trace(ctx, "NORMAL: VLAN %d, learned on port %u", vlan,
                        xp->ofp_port);
            output_in_vlan(ctx, xp, vlan, in_tagged);
            return;
        }
    }

    COVERAGE_INC(xlate_normal_flood);
    xlate_trace(ctx, "NORMAL: VLAN %d, flood", vlan);
    /* (A NULL 'in' matches no port: a PACKET_OUT floods everywhere.) */
    for (size_t i = 0; i < ctx->br->n_ports; i++) {
        const struct xport *xp = &ctx->br->ports[i];

        if (xp == in || xp->no_flood || !port_in_vlan(xp, vlan)) {
            continue;
        }
        if (ctx->in_tnl && xlate_xport_tnl(ctx, xp)) {
            COVERAGE_INC(xlate_normal_split_horizon);
            xlate_trace(ctx, "NORMAL: tunnel to tunnel %u -> skipped",
                        xp->ofp_port);
            continue;
        }
        output_in_vlan(ctx, xp, vlan, in_tagged);
    }
}
