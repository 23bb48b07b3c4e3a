/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xlate-rewrite: actions that change the packet (set_field, push_vlan,
 * pop_vlan, dec_ttl, set_nw_ttl) and the commit that brings the datapath's
 * copy of the packet ('base') up to date with the pipeline's ('flow')
 * before the packet is sent anywhere.
 *
 * Masks: a rewrite un-wildcards the bits of the field it writes, because
 * the commit compares them with the packet's (and a later commit may have
 * to write the original value back, after a group bucket).  Checks of a
 * header's presence read dl_type, nw_proto and nw_frag, which join the
 * mask too.  The commit emits set_masked() for Ethernet, IPv4, IPv6, TCP,
 * UDP, ICMP and ICMPv6 and push_vlan()/pop_vlan() for tags; rewrites the
 * datapaths cannot do (ARP, ND, SCTP) are counted and left out.
 *
 * Tunnel metadata is no header of the packet: set_field of tun_id (also
 * set_tunnel, set_tunnel64, load:->NXM_NX_TUN_ID[]) writes
 * ctx->flow.tunnel.tun_id and sets FLOW_TNL_F_KEY in ctx->flow.tunnel.flags;
 * of tun_src writes ctx->flow.tunnel.ip_src; of tun_dst writes
 * ctx->flow.tunnel.ip_dst, whose being nonzero is what makes the metadata
 * present (odp-key's rule).  None of it is committed as set()/set_masked():
 * an output to a tunnel port emits the metadata from ctx->flow.tunnel.
 */
#include <arpa/inet.h>
#include <linux/openvswitch.h>
#include <netinet/in.h>
#include <string.h>
#include "vswitch/coverage.h"
#include "vswitch/match.h"
#include "vswitch/ofp-match.h"
#include "vswitch/ofp-wire.h"
#include "xlate-private.h"

COVERAGE_DEFINE(xlate_set_unsupported);
COVERAGE_DEFINE(xlate_set_field_skipped);
COVERAGE_DEFINE(xlate_ttl_expired);
COVERAGE_DEFINE(xlate_vlan_too_many);

static bool
is_ip(struct xlate_ctx *ctx, bool *v6)
{
    uint16_t type = ntohs(ctx->flow.dl_type);

    ctx->xout->wc.dl_type = 0xffff;
    *v6 = type == ETH_TYPE_IPV6;
    return type == ETH_TYPE_IP || type == ETH_TYPE_IPV6;
}

/* Whether the packet has L4 protocol 'proto' with its header (not a later
 * fragment), on IPv4 ('v4') or IPv6 ('v6'). */
static bool
has_l4(struct xlate_ctx *ctx, uint8_t proto, bool v4, bool v6)
{
    bool is_v6;

    if (!is_ip(ctx, &is_v6) || (is_v6 ? !v6 : !v4)) {
        return false;
    }
    ctx->xout->wc.nw_proto = 0xff;
    ctx->xout->wc.nw_frag |= FLOW_NW_FRAG_MASK;
    return ctx->flow.nw_proto == proto
           && !(ctx->flow.nw_frag & FLOW_NW_FRAG_LATER);
}

/* Whether the packet has the header that 'field' lives in. */
static bool
field_present(struct xlate_ctx *ctx, unsigned int id)
{
    bool v6;

    switch (id) {
    case OFPXMT_ETH_DST:
    case OFPXMT_ETH_SRC:
    case OFPXMT_METADATA:
    case OFPXMT_TUNNEL_ID:
    case OXM_ID_TUN_IPV4_SRC:
    case OXM_ID_TUN_IPV4_DST:
    case OXM_ID_TUN_IPV6_SRC:
    case OXM_ID_TUN_IPV6_DST:
    case OFPXMT_VLAN_VID:
    case OFPXMT_VLAN_PCP:
        return true;
    case OFPXMT_IP_DSCP:
    case OFPXMT_IP_ECN:
        return is_ip(ctx, &v6);
    case OFPXMT_IPV4_SRC:
    case OFPXMT_IPV4_DST:
        return is_ip(ctx, &v6) && !v6;
    case OFPXMT_IPV6_SRC:
    case OFPXMT_IPV6_DST:
    case OFPXMT_IPV6_FLABEL:
        return is_ip(ctx, &v6) && v6;
    case OFPXMT_TCP_SRC:
    case OFPXMT_TCP_DST:
        return has_l4(ctx, IPPROTO_TCP, true, true);
    case OFPXMT_UDP_SRC:
    case OFPXMT_UDP_DST:
        return has_l4(ctx, IPPROTO_UDP, true, true);
    case OFPXMT_ICMPV4_TYPE:
    case OFPXMT_ICMPV4_CODE:
        return has_l4(ctx, IPPROTO_ICMP, true, false);
    case OFPXMT_ICMPV6_TYPE:
    case OFPXMT_ICMPV6_CODE:
        return has_l4(ctx, IPPROTO_ICMPV6, false, true);
    default:
        /* ARP, ND, SCTP: the datapaths cannot rewrite them. */
        return false;
    }
}

void
xlate_unwildcard_vlans(struct xlate_ctx *ctx)
{
    for (int i = 0; i < FLOW_MAX_VLAN; i++) {
        ctx->xout->wc.vlans[i].tpid = 0xffff;
        ctx->xout->wc.vlans[i].tci = 0xffff;
    }
}

static bool
has_vlan(const struct flow *flow, int i)
{
    return (flow->vlans[i].tci & htons(VLAN_CFI)) != 0;
}

void
xlate_set_field(struct xlate_ctx *ctx, const struct ofpact *a)
{
    const struct oxm_field *f = a->field;
    struct match m, bits;

    if (!f) {
        return;
    }
    if (f->id == OFPXMT_VLAN_VID || f->id == OFPXMT_VLAN_PCP) {
        xlate_unwildcard_vlans(ctx);
        if (!has_vlan(&ctx->flow, 0)) {
            if (!a->legacy) {
                COVERAGE_INC(xlate_set_field_skipped);
                return;
            }
            xlate_push_vlan(ctx, ETH_TYPE_VLAN);
        }
    } else if (!field_present(ctx, f->id)) {
        /* No such header in this packet, or one no datapath rewrites. */
        COVERAGE_INC(xlate_set_field_skipped);
        xlate_trace(ctx, "set_field %s: not applicable -> skipped", f->name);
        return;
    }

    m.flow = ctx->flow;
    memset(&m.wc, 0xff, sizeof m.wc);
    oxm_field_write(f, &m, a->value, NULL);
    if (f->id == OFPXMT_VLAN_VID) {
        m.flow.vlans[0].tci |= htons(VLAN_CFI);
    } else if (f->id == OFPXMT_TUNNEL_ID) {
        /* The key travels with the tunnel metadata (as a received packet's
         * does); tun_dst makes that metadata present (odp-key's rule). */
        m.flow.tunnel.flags |= FLOW_TNL_F_KEY;
    }
    ctx->flow = m.flow;

    match_init_catchall(&bits);
    oxm_field_write(f, &bits, a->value, NULL);
    flow_or(&ctx->xout->wc, &bits.wc);
    xlate_trace(ctx, "set_field %s", f->name);
}

void
xlate_push_vlan(struct xlate_ctx *ctx, uint16_t tpid)
{
    struct flow *flow = &ctx->flow;

    xlate_unwildcard_vlans(ctx);
    if (has_vlan(flow, FLOW_MAX_VLAN - 1)) {
        COVERAGE_INC(xlate_vlan_too_many);
        return;
    }
    memmove(&flow->vlans[1], &flow->vlans[0],
            (FLOW_MAX_VLAN - 1) * sizeof flow->vlans[0]);
    flow->vlans[0].tpid = htons(tpid);
    /* A new tag copies VID and PCP from the tag it covers, if any. */
    flow->vlans[0].tci =
        has_vlan(flow, 1) ? flow->vlans[1].tci : htons(VLAN_CFI);
}

void
xlate_pop_vlan(struct xlate_ctx *ctx)
{
    struct flow *flow = &ctx->flow;

    xlate_unwildcard_vlans(ctx);
    memmove(&flow->vlans[0], &flow->vlans[1],
            (FLOW_MAX_VLAN - 1) * sizeof flow->vlans[0]);
    memset(&flow->vlans[FLOW_MAX_VLAN - 1], 0, sizeof flow->vlans[0]);
}

bool
xlate_dec_ttl(struct xlate_ctx *ctx)
{
    bool v6;

    if (!is_ip(ctx, &v6)) {
        return true;
    }
    ctx->xout->wc.nw_ttl = 0xff;
    if (ctx->flow.nw_ttl <= 1) {
        COVERAGE_INC(xlate_ttl_expired);
        xlate_trace(ctx, "dec_ttl: ttl %u -> drop", ctx->flow.nw_ttl);
        return false;
    }
    ctx->flow.nw_ttl--;
    return true;
}

void
xlate_set_ttl(struct xlate_ctx *ctx, uint8_t ttl)
{
    bool v6;

    if (is_ip(ctx, &v6)) {
        ctx->xout->wc.nw_ttl = 0xff;
        ctx->flow.nw_ttl = ttl;
    }
}

/* Appends set_masked(TYPE(key/mask)) of 'size'-byte structures. */
static void
put_set_masked(struct buf *odp, uint16_t type, const void *key,
               const void *mask, size_t size)
{
    uint8_t both[2 * sizeof(struct ovs_key_ipv6)];
    size_t ofs = xlate_nl_nest_start(odp, OVS_ACTION_ATTR_SET_MASKED);

    memcpy(both, key, size);
    memcpy(both + size, mask, size);
    xlate_nl_put(odp, type, both, 2 * size);
    xlate_nl_nest_end(odp, ofs);
}

/* If the 'size' bytes of 'src' and 'old' differ, copies 'src' to 'dst',
 * sets 'mask' to all-ones there and returns true; else zeroes both (so
 * that the action's bytes carry nothing of the packet under a zero mask:
 * every packet of a megaflow gets the same bytes). */
static bool
diff_field(void *dst, void *mask, const void *src, const void *old,
           size_t size)
{
    if (!memcmp(src, old, size)) {
        memset(dst, 0, size);
        memset(mask, 0, size);
        return false;
    }
    memcpy(dst, src, size);
    memset(mask, 0xff, size);
    return true;
}

static void
commit_eth(struct xlate_ctx *ctx)
{
    const struct dp_features *dpf = &ctx->br->features;
    struct ovs_key_ethernet k, m;
    bool d;

    if (dpf->probed && !dpf->set_masked_eth) {
        /* A datapath without set_masked(eth): a full set(eth()), whose
         * bytes come from the packet, so both addresses become exact in
         * the megaflow. */
        if (memcmp(&ctx->flow.dl_src, &ctx->base.dl_src, 6)
            || memcmp(&ctx->flow.dl_dst, &ctx->base.dl_dst, 6)) {
            size_t ofs = xlate_nl_nest_start(&ctx->xout->odp_actions,
                                             OVS_ACTION_ATTR_SET);

            memcpy(k.eth_src, &ctx->flow.dl_src, 6);
            memcpy(k.eth_dst, &ctx->flow.dl_dst, 6);
            memset(&ctx->xout->wc.dl_src, 0xff, 6);
            memset(&ctx->xout->wc.dl_dst, 0xff, 6);
            xlate_nl_put(&ctx->xout->odp_actions, OVS_KEY_ATTR_ETHERNET, &k,
                         sizeof k);
            xlate_nl_nest_end(&ctx->xout->odp_actions, ofs);
        }
        return;
    }
    d = diff_field(k.eth_src, m.eth_src, &ctx->flow.dl_src, &ctx->base.dl_src,
                   6);
    d |= diff_field(k.eth_dst, m.eth_dst, &ctx->flow.dl_dst, &ctx->base.dl_dst,
                    6);
    if (d) {
        put_set_masked(&ctx->xout->odp_actions, OVS_KEY_ATTR_ETHERNET, &k, &m,
                       sizeof k);
    }
}

static void
commit_vlans(struct xlate_ctx *ctx)
{
    const struct flow *f = &ctx->flow;
    struct flow *b = &ctx->base;
    int nb = 0, nf = 0, keep;

    if (!memcmp(f->vlans, b->vlans, sizeof f->vlans)) {
        return;
    }
    while (nb < FLOW_MAX_VLAN && has_vlan(b, nb)) {
        nb++;
    }
    while (nf < FLOW_MAX_VLAN && has_vlan(f, nf)) {
        nf++;
    }
    /* Keep the longest run of inner tags both agree on. */
    for (keep = nb < nf ? nb : nf; keep > 0; keep--) {
        if (!memcmp(&b->vlans[nb - keep], &f->vlans[nf - keep],
                    keep * sizeof f->vlans[0])) {
            break;
        }
    }
    for (int i = 0; i < nb - keep; i++) {
        xlate_nl_put(&ctx->xout->odp_actions, OVS_ACTION_ATTR_POP_VLAN, NULL,
                     0);
    }
    for (int i = nf - keep - 1; i >= 0; i--) {
        struct ovs_action_push_vlan pv = {.vlan_tpid = f->vlans[i].tpid,
                                          .vlan_tci = f->vlans[i].tci};

        xlate_nl_put(&ctx->xout->odp_actions, OVS_ACTION_ATTR_PUSH_VLAN, &pv,
                     sizeof pv);
    }
    memcpy(b->vlans, f->vlans, sizeof b->vlans);
}

static void
commit_l3(struct xlate_ctx *ctx)
{
    const struct flow *f = &ctx->flow, *b = &ctx->base;
    uint16_t type = ntohs(b->dl_type);

    if (type == ETH_TYPE_IP) {
        struct ovs_key_ipv4 k, m;
        bool d;

        memset(&k, 0, sizeof k);
        memset(&m, 0, sizeof m);
        d = diff_field(&k.ipv4_src, &m.ipv4_src, &f->nw_src, &b->nw_src, 4);
        d |= diff_field(&k.ipv4_dst, &m.ipv4_dst, &f->nw_dst, &b->nw_dst, 4);
        d |= diff_field(&k.ipv4_tos, &m.ipv4_tos, &f->nw_tos, &b->nw_tos, 1);
        d |= diff_field(&k.ipv4_ttl, &m.ipv4_ttl, &f->nw_ttl, &b->nw_ttl, 1);
        if (d) {
            put_set_masked(&ctx->xout->odp_actions, OVS_KEY_ATTR_IPV4, &k, &m,
                           sizeof k);
        }
    } else if (type == ETH_TYPE_IPV6) {
        struct ovs_key_ipv6 k, m;
        bool d;

        memset(&k, 0, sizeof k);
        memset(&m, 0, sizeof m);
        d = diff_field(k.ipv6_src, m.ipv6_src, &f->ipv6_src, &b->ipv6_src, 16);
        d |=
            diff_field(k.ipv6_dst, m.ipv6_dst, &f->ipv6_dst, &b->ipv6_dst, 16);
        d |= diff_field(&k.ipv6_label, &m.ipv6_label, &f->ipv6_label,
                        &b->ipv6_label, 4);
        d |= diff_field(&k.ipv6_tclass, &m.ipv6_tclass, &f->nw_tos, &b->nw_tos,
                        1);
        d |= diff_field(&k.ipv6_hlimit, &m.ipv6_hlimit, &f->nw_ttl, &b->nw_ttl,
                        1);
        if (d) {
            if (m.ipv6_label) {
                m.ipv6_label = htonl(0xfffff);
            }
            put_set_masked(&ctx->xout->odp_actions, OVS_KEY_ATTR_IPV6, &k, &m,
                           sizeof k);
        }
    }
}

static void
commit_l4(struct xlate_ctx *ctx)
{
    const struct flow *f = &ctx->flow, *b = &ctx->base;
    uint16_t type = ntohs(b->dl_type);
    bool l4 = (type == ETH_TYPE_IP || type == ETH_TYPE_IPV6)
              && !(b->nw_frag & FLOW_NW_FRAG_LATER);
    uint16_t attr;

    if (!l4 || (f->tp_src == b->tp_src && f->tp_dst == b->tp_dst)) {
        return;
    }
    switch (b->nw_proto) {
    case IPPROTO_TCP:
    case IPPROTO_UDP: {
        struct ovs_key_tcp k, m;

        diff_field(&k.tcp_src, &m.tcp_src, &f->tp_src, &b->tp_src, 2);
        diff_field(&k.tcp_dst, &m.tcp_dst, &f->tp_dst, &b->tp_dst, 2);
        attr =
            b->nw_proto == IPPROTO_TCP ? OVS_KEY_ATTR_TCP : OVS_KEY_ATTR_UDP;
        put_set_masked(&ctx->xout->odp_actions, attr, &k, &m, sizeof k);
        break;
    }
    case IPPROTO_ICMP:
    case IPPROTO_ICMPV6: {
        struct ovs_key_icmp k, m;

        memset(&m, 0, sizeof m);
        m.icmp_type = f->tp_src != b->tp_src ? 0xff : 0;
        m.icmp_code = f->tp_dst != b->tp_dst ? 0xff : 0;
        k.icmp_type = ntohs(f->tp_src) & m.icmp_type;
        k.icmp_code = ntohs(f->tp_dst) & m.icmp_code;
        attr = b->nw_proto == IPPROTO_ICMP ? OVS_KEY_ATTR_ICMP
                                           : OVS_KEY_ATTR_ICMPV6;
        put_set_masked(&ctx->xout->odp_actions, attr, &k, &m, sizeof k);
        break;
    }
    default:
        COVERAGE_INC(xlate_set_unsupported);
        break;
    }
}

void
xlate_commit(struct xlate_ctx *ctx)
{
    commit_eth(ctx);
    commit_vlans(ctx);
    commit_l3(ctx);
    commit_l4(ctx);
    /* What the datapath cannot change stays as the pipeline has it, so
     * later commits compare only what they can act on. */
    ctx->base = ctx->flow;
}
